// SPDX-License-Identifier: MIT
/*
 * The image pipeline (see stream.h).  Detection is by magic only:
 *   squashfs  "hsqs" at 0                       (fs/squashfs/squashfs_fs.h)
 *   erofs     0xE0F5E1E2 LE at 1024             (fs/erofs/erofs_fs.h)
 *   ext4      0xEF53 LE at 1024 + 0x38          (fs/ext4/ext4.h, s_magic)
 *   gzip      1f 8b 08                          (RFC 1952 section 2.3.1)
 *   zstd      28 b5 2f fd                       (RFC 8878 section 3.1.1)
 *   xz        fd 37 7a 58 5a 00                 (xz file format 1.1.0, 2.1.1.1)
 *   cpio/tar  see archive.c
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "netinit_config.h"
#include "log.h"
#include "image_decomp.h"
#include "stream.h"
#include "util.h"

#if CFG_GZIP
#include <zlib.h>
#endif
#if CFG_ZSTD
#include <zstd.h>
#endif

#define DECBUF 131072

/* The stream's error text and code in one step. */
#define st_fail(s, r, ...) errbuf_set((s)->err, sizeof((s)->err), (r), __VA_ARGS__)

static uint32_t le32(const uint8_t *p) { return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24; }

enum stream_fmt stream_detect(const uint8_t *b, size_t len, enum stream_comp *comp)
{
	*comp = COMP_NONE;
	if (len >= 3 && b[0] == 0x1f && b[1] == 0x8b && b[2] == 8) {
		*comp = COMP_GZIP;
		return FMT_ARCHIVE;
	}
	if (len >= 4 && le32(b) == 0xFD2FB528) {
		*comp = COMP_ZSTD;
		return FMT_ARCHIVE;
	}
	if (len >= 6 && !memcmp(b, "\xfd" "7zXZ\0", 6)) {
		*comp = COMP_XZ;
		return FMT_ARCHIVE;
	}
	if (len >= 4 && memcmp(b, "hsqs", 4) == 0)
		return FMT_SQUASHFS;
	if (ar_detect(b, len) != AR_UNKNOWN)
		return FMT_ARCHIVE;
	if (len >= 1028 && le32(b + 1024) == 0xE0F5E1E2)
		return FMT_EROFS;
	if (len >= 1082 && b[1080] == 0x53 && b[1081] == 0xEF)
		return FMT_EXT4;
	return FMT_UNKNOWN;
}

const char *stream_fmt_name(enum stream_fmt f)
{
	static const char *names[] = { "unknown", "squashfs", "erofs", "ext4", "archive" };
	return (unsigned)f < sizeof(names) / sizeof(names[0]) ? names[f] : "?";
}

const char *stream_comp_name(enum stream_comp c)
{
	static const char *names[] = { "plain", "gzip", "zstd", "xz" };
	return (unsigned)c < sizeof(names) / sizeof(names[0]) ? names[c] : "?";
}

static void dec_free(struct stream *s)
{
	if (!s->dec)
		return;
	if (s->comp == COMP_XZ)
		image_xz_free(s->dec);
#if CFG_GZIP
	if (s->comp == COMP_GZIP) {
		inflateEnd(s->dec);
		free(s->dec);
	}
#endif
#if CFG_ZSTD
	if (s->comp == COMP_ZSTD)
		ZSTD_freeDStream(s->dec);
#endif
	s->dec = NULL;
}

static void stream_clear(struct stream *s)
{
	dec_free(s);
	archive_free(s->ar);
	s->ar = NULL;
	if (s->out_fd >= 0)
		close(s->out_fd);
	s->out_fd = -1;
	if (s->fmt != FMT_UNKNOWN && s->target.discard)
		s->target.discard(s->target.ctx);
	s->fmt = FMT_UNKNOWN;
	s->comp = COMP_NONE;
	s->headlen = 0;
	s->dec_end = false;
	s->passthrough = false;
	s->decoded = 0;
	s->iheadlen = 0;
	s->inner = FMT_UNKNOWN;
	s->image_limit = 0;
	s->sink.offset = 0;
	s->sink.total = SINK_SIZE_UNKNOWN;
	if (s->hash)
		crypto_hash_sha256_init(&s->sha);
}

static int st_restart(struct sink *k)
{
	struct stream *s = (struct stream *)k;
	stream_clear(s);
	if (s->raw_fd >= 0) {
		if (ftruncate(s->raw_fd, 0) < 0 && errno != EINVAL)
			return -errno;
		lseek(s->raw_fd, 0, SEEK_SET);
	}
	s->t_start = (now_ms() / 1000.0);
	return 0;
}

static int st_expect(struct sink *k, uint64_t total)
{
	struct stream *s = (struct stream *)k;
	if (s->sink.total != SINK_SIZE_UNKNOWN && total != s->sink.total)
		return st_fail(s, -ESTALE, "size changed from %llu to %llu bytes",
			       (unsigned long long)s->sink.total, (unsigned long long)total);
	s->sink.total = total;
	uint64_t need = total > s->unpacked_hint ? total : s->unpacked_hint;
	if (s->space && need > s->space)
		return st_fail(s, -ENOSPC, "needs %llu MiB but only %llu MiB are available: refused "
			       "before the first byte", (unsigned long long)(need >> 20),
			       (unsigned long long)(s->space >> 20));
	return 0;
}

static int dec_init(struct stream *s)
{
	if (!s->decbuf && !(s->decbuf = malloc(DECBUF)))
		return -ENOMEM;
	switch (s->comp) {
	case COMP_NONE:
		return 0;
	case COMP_GZIP:
		if (!CFG_GZIP)
			return st_fail(s, -EMEDIUMTYPE, "gzip support is not built in (CONFIG_GZIP)");
#if CFG_GZIP
		z_stream *z = calloc(1, sizeof(*z));
		if (!z)
			return -ENOMEM;
		if (inflateInit2(z, 15 + 16) != Z_OK) { /* 16: gzip wrapper only */
			free(z);
			return -ENOMEM;
		}
		s->dec = z;
#endif
		return 0;
	case COMP_ZSTD:
		if (!CFG_ZSTD)
			return st_fail(s, -EMEDIUMTYPE, "zstd support is not built in (CONFIG_ZSTD)");
#if CFG_ZSTD
		s->dec = ZSTD_createDStream();
		if (!s->dec)
			return -ENOMEM;
		/* A window over 128 MiB would be a memory bomb on a small node. */
		ZSTD_DCtx_setParameter(s->dec, ZSTD_d_windowLogMax, 27);
#endif
		return 0;
	case COMP_XZ:
		return image_xz_init(s);
	}
	return -EINVAL;
}

int stream_archive_feed(struct stream *s, const uint8_t *p, size_t n)
{
	s->decoded += n;
	int r = archive_feed(s->ar, p, n);
	if (r < 0)
		return st_fail(s, r, "unpack: %s", archive_error(s->ar));
	return 0;
}

/* Decompressed bytes go to image_decomp.c, which finds out what they are. */
static int to_archive(struct stream *s, const uint8_t *p, size_t n)
{
	return image_decomp_out(s, p, n);
}

static int decompress(struct stream *s, const uint8_t *p, size_t n)
{
	if (s->comp == COMP_NONE)
		return stream_archive_feed(s, p, n);
	if (s->comp == COMP_XZ)
		return image_xz_feed(s, p, n); /* its own stream padding and concatenation */
	if (s->dec_end) {
		/* RFC 1952 2.2: a gzip file may hold several members. */
		if (s->comp == COMP_GZIP && n && p[0] == 0x1f) {
#if CFG_GZIP
			inflateReset(s->dec);
			s->dec_end = false;
#endif
		} else {
			for (size_t i = 0; i < n; i++)
				if (p[i])
					return st_fail(s, -EBADMSG, "data after the end of the compressed stream");
			return 0;
		}
	}
#if CFG_GZIP
	if (s->comp == COMP_GZIP) {
		z_stream *z = s->dec;
		z->next_in = (Bytef *)p;
		z->avail_in = (uInt)n;
		while (z->avail_in && !s->dec_end) {
			z->next_out = s->decbuf;
			z->avail_out = DECBUF;
			int zr = inflate(z, Z_NO_FLUSH);
			if (zr != Z_OK && zr != Z_STREAM_END && zr != Z_BUF_ERROR)
				return st_fail(s, -EBADMSG, "gzip: %s", z->msg ? z->msg : "corrupt data");
			int r = to_archive(s, s->decbuf, DECBUF - z->avail_out);
			if (r < 0)
				return r;
			if (zr == Z_STREAM_END) {
				s->dec_end = true;
				if (z->avail_in)
					return decompress(s, z->next_in, z->avail_in);
			}
		}
		return 0;
	}
#endif
#if CFG_ZSTD
	if (s->comp == COMP_ZSTD) {
		ZSTD_inBuffer in = { p, n, 0 };
		while (in.pos < in.size) {
			ZSTD_outBuffer out = { s->decbuf, DECBUF, 0 };
			size_t zr = ZSTD_decompressStream(s->dec, &out, &in);
			if (ZSTD_isError(zr))
				return st_fail(s, -EBADMSG, "zstd: %s", ZSTD_getErrorName(zr));
			int r = to_archive(s, s->decbuf, out.pos);
			if (r < 0)
				return r;
			s->dec_end = zr == 0;
		}
		return 0;
	}
#endif
	return -EINVAL;
}

static int deliver(struct stream *s, const uint8_t *p, size_t n)
{
	int r;
	if (s->passthrough)
		return 0;
	if (s->fmt == FMT_ARCHIVE)
		return decompress(s, p, n);
	if (s->out_fd >= 0 && (r = write_fd_all(s->out_fd, p, n)) < 0)
		return st_fail(s, r, "write image: %s", strerror(-r));
	return 0;
}

static int detect_and_open(struct stream *s)
{
	int fd = -1, r;
	s->fmt = stream_detect(s->head, s->headlen, &s->comp);
	if (s->fmt == FMT_UNKNOWN && s->target.open &&
	    s->target.open(s->target.ctx, FMT_UNKNOWN, &fd) == 1) {
		s->passthrough = true; /* raw download of any bytes */
		return 0;
	}
	if (s->fmt == FMT_UNKNOWN) {
		char hex[3 * 8 + 1] = "";
		for (size_t i = 0; i < 8 && i < s->headlen; i++)
			snprintf(hex + 3 * i, 4, "%02x ", s->head[i]);
		return st_fail(s, -EMEDIUMTYPE,
			       "unknown format (first bytes %s): expected squashfs, erofs, ext4, "
			       "or a cpio/tar archive (plain, gzip, zstd or xz)", hex);
	}
	if (s->comp != COMP_NONE)
		return dec_init(s); /* the decompressed head says what it is (image_decomp.c) */
	r = s->target.open ? s->target.open(s->target.ctx, s->fmt, &fd) : 0;
	if (r < 0) {
		enum stream_fmt f = s->fmt;
		s->fmt = FMT_UNKNOWN; /* nothing to discard */
		return st_fail(s, r, "cannot take a %s image: %s", stream_fmt_name(f),
			       r == -EMEDIUMTYPE ? "format not wanted here" : strerror(-r));
	}
	if (r == 1) {
		s->passthrough = true;
		return 0;
	}
	if (s->fmt == FMT_ARCHIVE) {
		uint64_t limit = s->unpacked_hint ? s->unpacked_hint : s->space;
		s->inner = FMT_ARCHIVE;
		s->ar = archive_new(fd, limit);
		if (fd >= 0)
			close(fd);
		if (!s->ar)
			return -ENOMEM;
		return dec_init(s);
	}
	s->out_fd = fd;
	return 0;
}

int stream_archive_open(struct stream *s, const uint8_t *p, size_t n)
{
	uint64_t limit = s->unpacked_hint ? s->unpacked_hint : s->space;
	int fd = -1, r = s->target.open ? s->target.open(s->target.ctx, FMT_ARCHIVE, &fd) : 0;

	if (r < 0)
		return st_fail(s, r, "cannot take an archive: %s",
			       r == -EMEDIUMTYPE ? "format not wanted here" : strerror(-r));
	s->ar = archive_new(fd, limit);
	if (fd >= 0)
		close(fd);
	if (!s->ar)
		return -ENOMEM;
	return stream_archive_feed(s, p, n);
}

static void progress(struct stream *s, bool force)
{
	double t = (now_ms() / 1000.0);
	if (s->quiet || (!force && t - s->t_last < 0.25))
		return;
	s->t_last = t;
	double el = t - s->t_start;
	double mbs = el > 0 ? s->sink.offset / el / 1e6 : 0;
	if (s->sink.total != SINK_SIZE_UNKNOWN && s->sink.total) {
		double pct = 100.0 * s->sink.offset / s->sink.total;
		double eta = mbs > 0 ? (s->sink.total - s->sink.offset) / (mbs * 1e6) : 0;
		nl_progress("fetch", "%s: %5.1f%% %llu/%llu MiB %.1f MB/s ETA %.0fs", s->label, pct,
			    (unsigned long long)(s->sink.offset >> 20),
			    (unsigned long long)(s->sink.total >> 20), mbs, eta);
	} else {
		nl_progress("fetch", "%s: %llu MiB %.1f MB/s", s->label,
			    (unsigned long long)(s->sink.offset >> 20), mbs);
	}
}

static int st_write(struct sink *k, const uint8_t *p, size_t n)
{
	struct stream *s = (struct stream *)k;
	int r;
	if (s->sink.total != SINK_SIZE_UNKNOWN && n > s->sink.total - s->sink.offset)
		return st_fail(s, -EFBIG, "more bytes than the announced %llu",
			       (unsigned long long)s->sink.total);
	if (s->hash)
		crypto_hash_sha256_update(&s->sha, p, n);
	if (s->raw_fd >= 0 && (r = write_fd_all(s->raw_fd, p, n)) < 0)
		return st_fail(s, r, "write: %s", strerror(-r));
	s->sink.offset += n;
	if (s->fmt == FMT_UNKNOWN && !s->passthrough) {
		size_t take = STREAM_HEAD - s->headlen < n ? STREAM_HEAD - s->headlen : n;
		memcpy(s->head + s->headlen, p, take);
		s->headlen += take, p += take, n -= take;
		if (s->headlen < STREAM_HEAD)
			return 0;
		if ((r = detect_and_open(s)) < 0 || (r = deliver(s, s->head, s->headlen)) < 0)
			return r;
	}
	if (n && (r = deliver(s, p, n)) < 0)
		return r;
	progress(s, false);
	return 0;
}

int stream_init(struct stream *s, const struct stream_target *t, int raw_fd, const char *label)
{
	memset(s, 0, sizeof(*s));
	s->sink.restart = st_restart;
	s->sink.expect = st_expect;
	s->sink.write = st_write;
	s->sink.total = SINK_SIZE_UNKNOWN;
	if (t)
		s->target = *t;
	s->raw_fd = raw_fd;
	s->out_fd = -1;
	s->label = label ? label : "image";
	s->t_start = s->t_last = (now_ms() / 1000.0);
	crypto_hash_sha256_init(&s->sha);
	return 0;
}

void stream_free(struct stream *s)
{
	dec_free(s);
	archive_free(s->ar);
	s->ar = NULL;
	if (s->out_fd >= 0)
		close(s->out_fd);
	s->out_fd = -1;
	free(s->decbuf);
	s->decbuf = NULL;
}

int stream_finish(struct stream *s, uint8_t sha[SHA256_LEN])
{
	int r;
	if (s->fmt == FMT_UNKNOWN && !s->passthrough) {
		if ((r = detect_and_open(s)) < 0 || (r = deliver(s, s->head, s->headlen)) < 0)
			return r;
	}
	progress(s, true);
	if (s->hash)
		crypto_hash_sha256_final(&s->sha, sha);
	if (s->fmt == FMT_ARCHIVE && !s->passthrough) {
		if (s->comp != COMP_NONE && !s->dec_end)
			return st_fail(s, -EBADMSG, "compressed stream truncated");
		if (s->comp != COMP_NONE && (r = image_decomp_finish(s)) < 0)
			return r;
		r = s->ar ? archive_finish(s->ar) : 0;
		if (r < 0)
			return st_fail(s, r, "unpack: %s", archive_error(s->ar));
	}
	if (s->out_fd >= 0) {
		r = close(s->out_fd);
		s->out_fd = -1;
		if (r < 0)
			return st_fail(s, -errno, "close image: %s", strerror(errno));
	}
	return 0;
}

void stream_report(const struct stream *s)
{
	double el = (now_ms() / 1000.0) - s->t_start;
	if (el <= 0)
		el = 1e-6;
	if (s->fmt == FMT_ARCHIVE && s->ar && !s->passthrough)
		nl_info("fetch", "%s: %llu bytes in %.2f s (%.1f MB/s), %s archive: %llu entries, %llu bytes unpacked",
			s->label, (unsigned long long)s->sink.offset, el, s->sink.offset / el / 1e6,
			stream_comp_name(s->comp),
			(unsigned long long)archive_entries(s->ar), (unsigned long long)archive_bytes(s->ar));
	else if (s->fmt == FMT_ARCHIVE && !s->passthrough)
		nl_info("fetch", "%s: %llu bytes in %.2f s (%.1f MB/s), %s %s image: %llu bytes "
			"decompressed into RAM", s->label, (unsigned long long)s->sink.offset, el,
			s->sink.offset / el / 1e6, stream_comp_name(s->comp),
			stream_fmt_name(s->inner), (unsigned long long)s->decoded);
	else
		nl_info("fetch", "%s: %llu bytes in %.2f s (%.1f MB/s), %s", s->label,
			(unsigned long long)s->sink.offset, el, s->sink.offset / el / 1e6,
			stream_fmt_name(s->fmt));
}

/* ---- memory sink ---- */

static int mem_restart(struct sink *k)
{
	k->offset = 0;
	k->total = SINK_SIZE_UNKNOWN;
	return 0;
}

static int mem_expect(struct sink *k, uint64_t total)
{
	struct mem_sink *m = (struct mem_sink *)k;
	if (total > m->cap)
		return -EFBIG;
	k->total = total;
	return 0;
}

static int mem_write(struct sink *k, const uint8_t *p, size_t n)
{
	struct mem_sink *m = (struct mem_sink *)k;
	if (n > m->cap - k->offset)
		return -EFBIG;
	memcpy(m->buf + k->offset, p, n);
	k->offset += n;
	return 0;
}

void mem_sink_init(struct mem_sink *m, uint8_t *buf, size_t cap)
{
	memset(m, 0, sizeof(*m));
	m->sink.restart = mem_restart;
	m->sink.expect = mem_expect;
	m->sink.write = mem_write;
	m->sink.total = SINK_SIZE_UNKNOWN;
	m->buf = buf;
	m->cap = cap;
}
