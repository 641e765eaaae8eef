// SPDX-License-Identifier: MIT
/*
 * Decompressed filesystem images (see image_decomp.h).  The sizes come from
 * the superblocks:
 *   ext2/3/4  at 1024: s_blocks_count_lo (0x04), s_log_block_size (0x18),
 *             s_feature_incompat (0x60) bit 0x80 (64bit) -> s_blocks_count_hi
 *             (0x150); block size 1024 << s_log_block_size (fs/ext4/ext4.h)
 *   squashfs  bytes_used, u64 LE at 40 (fs/squashfs/squashfs_fs.h)
 *   erofs     at 1024: blkszbits (0x0C), blocks (0x24) (fs/erofs/erofs_fs.h)
 */
#include "image_decomp.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "stream.h"
#include "util.h"

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
		return st_fail(s, -EMEDIUMTYPE, "compressed twice (a compressed stream inside "
			       "the %s stream)", s->comp == COMP_GZIP ? "gzip" : "zstd");
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
