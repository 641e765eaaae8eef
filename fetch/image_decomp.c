// SPDX-License-Identifier: MIT
/*
 * Decompressed filesystem images (see image_decomp.h).  The sizes come from
 * the superblocks:
 *   ext2/3/4  at 1024: s_blocks_count_lo (0x04), s_log_block_size (0x18),
 *             s_feature_incompat (0x60) bit 0x80 (64bit) -> s_blocks_count_hi
 *             (0x150); block size 1024 << s_log_block_size (fs/ext4/ext4.h)
 *   squashfs  bytes_used, u64 LE at 40 (fs/squashfs/squashfs_fs.h)
 *   erofs     at 1024: blkszbits (0x0C), blocks (0x24) (fs/erofs/erofs_fs.h)
 * and the xz decoder (liblzma), which stream.c calls like its own gzip/zstd.
 */
#include "image_decomp.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "netinit_config.h"
#include "stream.h"
#include "util.h"

#if CFG_XZ
#include <lzma.h>
#endif

#define st_fail(s, r, ...) errbuf_set((s)->err, sizeof((s)->err), (r), __VA_ARGS__)

static uint32_t rd32(const uint8_t *p)
{
	return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t rd64(const uint8_t *p)
{
	return rd32(p) | (uint64_t)rd32(p + 4) << 32;
}

uint64_t image_fs_size(const uint8_t *h, size_t len)
{
	enum stream_comp comp;
	const uint8_t *sb = h + 1024;

	switch (stream_detect(h, len, &comp)) {
	case FMT_EXT4: {
		uint32_t log = rd32(sb + 0x18);
		uint64_t blocks = rd32(sb + 0x04);

		if (log > 6) /* 64 KiB blocks at most */
			return 0;
		if (len >= 1024 + 0x154 && (rd32(sb + 0x60) & 0x80))
			blocks |= (uint64_t)rd32(sb + 0x150) << 32;
		return blocks << (10 + log);
	}
	case FMT_SQUASHFS:
		return len >= 48 ? rd64(h + 40) : 0;
	case FMT_EROFS:
		if (len < 1024 + 0x28 || sb[0x0C] < 9 || sb[0x0C] > 16)
			return 0;
		return (uint64_t)rd32(sb + 0x24) << sb[0x0C];
	default:
		return 0;
	}
}

/* The inner format is known: refuse what does not fit, open the target. */
static int inner_open(struct stream *s)
{
	enum stream_comp comp;
	enum stream_fmt f = stream_detect(s->ihead, s->iheadlen, &comp);
	uint64_t need = s->unpacked_hint ? s->unpacked_hint : image_fs_size(s->ihead, s->iheadlen);
	int fd = -1, r;

	if (comp != COMP_NONE)
		return st_fail(s, -EMEDIUMTYPE, "compressed twice (a %s stream inside the %s "
			       "stream)", stream_comp_name(comp), stream_comp_name(s->comp));
	if (f == FMT_UNKNOWN)
		return st_fail(s, -EMEDIUMTYPE, "the decompressed data is neither squashfs, erofs, "
			       "ext2/3/4 nor a cpio/tar archive");
	s->inner = f;
	if (f == FMT_ARCHIVE)
		return 0; /* stream.c unpacks it, bounded by unpacked-size or the space */
	if (s->space && need > s->space)
		return st_fail(s, -ENOSPC, "the decompressed %s image needs %llu MiB but only %llu "
			       "MiB are available: refused", stream_fmt_name(f),
			       (unsigned long long)(need >> 20), (unsigned long long)(s->space >> 20));
	r = s->target.open ? s->target.open(s->target.ctx, f, &fd) : 0;
	if (r < 0)
		return st_fail(s, r, "cannot take a %s image: %s", stream_fmt_name(f),
			       r == -EMEDIUMTYPE ? "format not wanted here" : strerror(-r));
	s->out_fd = fd;
	s->image_limit = need;
	return 0;
}

/* Bytes past the head: into the image file, never more than it announced. */
static int image_write(struct stream *s, const uint8_t *p, size_t n)
{
	int r;

	s->decoded += n;
	if (s->image_limit && s->decoded > s->image_limit && !s->unpacked_hint)
		return st_fail(s, -EFBIG, "the decompressed image is larger than its superblock "
			       "says (%llu bytes)", (unsigned long long)s->image_limit);
	if (s->out_fd >= 0 && (r = write_fd_all(s->out_fd, p, n)) < 0)
		return st_fail(s, r, "write image: %s", strerror(-r));
	return 0;
}

static int head_flush(struct stream *s)
{
	int r = inner_open(s);

	if (r < 0)
		return r;
	if (s->inner == FMT_ARCHIVE)
		return stream_archive_open(s, s->ihead, s->iheadlen);
	return image_write(s, s->ihead, s->iheadlen);
}

int image_decomp_out(struct stream *s, const uint8_t *p, size_t n)
{
	int r;

	if (s->inner == FMT_UNKNOWN) {
		size_t take = STREAM_HEAD - s->iheadlen < n ? STREAM_HEAD - s->iheadlen : n;

		memcpy(s->ihead + s->iheadlen, p, take);
		s->iheadlen += take;
		p += take;
		n -= take;
		if (s->iheadlen < STREAM_HEAD)
			return 0;
		if ((r = head_flush(s)) < 0)
			return r;
	}
	if (!n)
		return 0;
	if (s->inner == FMT_ARCHIVE)
		return stream_archive_feed(s, p, n);
	return image_write(s, p, n);
}

int image_decomp_finish(struct stream *s)
{
	if (s->inner != FMT_UNKNOWN)
		return 0;
	return head_flush(s);
}

/* ---- xz ---- */

#if CFG_XZ
/* The decoder's memory bound: xz -9 needs 65 MiB; more would be a memory
 * bomb on a small node (the same 128 MiB as zstd's window in stream.c). */
#define XZ_MEMLIMIT (128u << 20)
#define XZ_OUT 131072

struct xz_dec {
	lzma_stream z;
	size_t pad;        /* zero bytes after a stream's end (stream padding) */
	uint8_t out[XZ_OUT];
};

static const char *xz_error(lzma_ret r)
{
	switch (r) {
	case LZMA_MEMLIMIT_ERROR: return "needs more than 128 MiB of memory to decompress";
	case LZMA_FORMAT_ERROR: return "not an xz stream";
	case LZMA_OPTIONS_ERROR: return "unsupported options (a newer xz?)";
	case LZMA_DATA_ERROR: return "corrupt data";
	case LZMA_BUF_ERROR: return "truncated";
	case LZMA_MEM_ERROR: return "out of memory";
	default: return "decoder error";
	}
}

static int xz_start(struct stream *s, struct xz_dec *x)
{
	lzma_ret r;

	lzma_end(&x->z);
	x->z = (lzma_stream)LZMA_STREAM_INIT;
	x->pad = 0;
	r = lzma_stream_decoder(&x->z, XZ_MEMLIMIT, 0);
	return r == LZMA_OK ? 0 : st_fail(s, -ENOMEM, "xz: %s", xz_error(r));
}
#endif

int image_xz_init(struct stream *s)
{
	if (!CFG_XZ)
		return st_fail(s, -EMEDIUMTYPE, "xz support is not built in (CONFIG_XZ): compress "
			       "with gzip or zstd");
#if CFG_XZ
	struct xz_dec *x = calloc(1, sizeof(*x));

	if (!x)
		return -ENOMEM;
	x->z = (lzma_stream)LZMA_STREAM_INIT;
	s->dec = x;
	return xz_start(s, x);
#else
	return -ENOTSUP;
#endif
}

/* After a stream's end: stream padding (zeros, a multiple of 4 bytes), then
 * maybe another stream (xz format 2.2).  Returns the bytes consumed. */
#if CFG_XZ
static int xz_between(struct stream *s, struct xz_dec *x, const uint8_t *p, size_t n, size_t *used)
{
	size_t i = 0;

	while (i < n && !p[i])
		i++;
	x->pad += i;
	*used = i;
	if (i == n)
		return 0;
	if (x->pad % 4)
		return st_fail(s, -EBADMSG, "xz: data after the end of the stream");
	s->dec_end = false;
	return xz_start(s, x);
}
#endif

int image_xz_feed(struct stream *s, const uint8_t *p, size_t n)
{
#if CFG_XZ
	struct xz_dec *x = s->dec;

	for (;;) {
		size_t used;
		lzma_ret zr;
		int r;

		if (s->dec_end) {
			if ((r = xz_between(s, x, p, n, &used)) < 0)
				return r;
			p += used, n -= used;
			if (s->dec_end)
				return 0;
		}
		x->z.next_in = p;
		x->z.avail_in = n;
		x->z.next_out = x->out;
		x->z.avail_out = XZ_OUT;
		zr = lzma_code(&x->z, LZMA_RUN);
		used = n - x->z.avail_in;
		p += used, n -= used;
		if (zr != LZMA_OK && zr != LZMA_STREAM_END)
			return st_fail(s, -EBADMSG, "xz: %s", xz_error(zr));
		if ((r = image_decomp_out(s, x->out, XZ_OUT - x->z.avail_out)) < 0)
			return r;
		if (zr == LZMA_STREAM_END)
			s->dec_end = true;
		else if (!n && x->z.avail_out)
			return 0; /* all input taken, all output given */
		if (!n && s->dec_end)
			return 0;
	}
#else
	(void)p, (void)n;
	return st_fail(s, -EMEDIUMTYPE, "xz support is not built in (CONFIG_XZ)");
#endif
}

void image_xz_free(void *dec)
{
#if CFG_XZ
	struct xz_dec *x = dec;

	if (!x)
		return;
	lzma_end(&x->z);
	free(x);
#else
	(void)dec;
#endif
}
