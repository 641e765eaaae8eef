/* SPDX-License-Identifier: MIT */
/*
 * Compressed filesystem images through the image pipeline (fetch/stream.c +
 * fetch/image_decomp.c): a gzip'd or zstd'd ext/squashfs image is detected
 * after decompression and lands, decompressed, in the image file; the hash
 * is over the bytes as served (xz too, with its stream padding and a
 * concatenated stream; a corrupt xz stream is refused); a superblock larger than the space is
 * refused; a compressed cpio still unpacks; sizes from the superblocks.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <cmocka.h>
#include <zlib.h>
#include <zstd.h>
#include <lzma.h>

#include "image_decomp.h"
#include "stream.h"

#define IMG (256 * 1024)

struct tgt {
	enum stream_fmt opened;
	int fd;
	int discards;
};

static int t_open(void *ctx, enum stream_fmt fmt, int *fd)
{
	struct tgt *t = ctx;

	t->opened = fmt;
	if (fmt == FMT_ARCHIVE) {
		*fd = -1; /* the archive writer gets no directory: only detection is tested */
		return 0;
	}
	t->fd = memfd_create("img", 0);
	*fd = dup(t->fd);
	return *fd < 0 ? -1 : 0;
}

static void t_discard(void *ctx)
{
	((struct tgt *)ctx)->discards++;
}

/* An ext4-looking image: the magic, 256 blocks of 1 KiB; pattern after it. */
static uint8_t *fake_ext(size_t *len, uint32_t blocks)
{
	uint8_t *b = calloc(1, IMG);

	for (size_t i = 2048; i < IMG; i++)
		b[i] = (uint8_t)(i * 7);
	b[1024 + 0x04] = (uint8_t)blocks;
	b[1024 + 0x05] = (uint8_t)(blocks >> 8);
	b[1024 + 0x06] = (uint8_t)(blocks >> 16);
	b[1024 + 0x38] = 0x53;
	b[1024 + 0x39] = 0xEF;
	*len = IMG;
	return b;
}

static size_t gz(const uint8_t *in, size_t n, uint8_t *out, size_t cap)
{
	z_stream z = { 0 };

	assert_int_equal(deflateInit2(&z, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY), Z_OK);
	z.next_in = (Bytef *)in;
	z.avail_in = (uInt)n;
	z.next_out = out;
	z.avail_out = (uInt)cap;
	assert_int_equal(deflate(&z, Z_FINISH), Z_STREAM_END);
	deflateEnd(&z);
	return z.total_out;
}

static size_t xz(const uint8_t *in, size_t n, uint8_t *out, size_t cap)
{
	size_t pos = 0;

	assert_int_equal(lzma_easy_buffer_encode(6, LZMA_CHECK_CRC64, NULL, in, n, out, &pos, cap),
			 LZMA_OK);
	return pos;
}

/* Feed in pieces (as a transport does), finish; returns stream_finish's result. */
static int run(struct stream *s, const uint8_t *p, size_t n, uint64_t space)
{
	uint8_t sha[32];
	int r = 0;

	s->quiet = true;
	s->hash = true;
	s->space = space;
	for (size_t off = 0; off < n && r == 0; off += 1000)
		r = s->sink.write(&s->sink, p + off, n - off < 1000 ? n - off : 1000);
	if (r == 0)
		r = stream_finish(s, sha);
	return r;
}

static void check_image(const uint8_t *img, size_t len, const uint8_t *z, size_t zn,
			enum stream_fmt want)
{
	struct tgt t = { 0 };
	struct stream_target st = { &t, t_open, t_discard };
	static struct stream s;
	uint8_t *back = malloc(len);

	stream_init(&s, &st, -1, "t");
	assert_int_equal(run(&s, z, zn, 64u << 20), 0);
	assert_int_equal(t.opened, want);
	assert_int_equal(s.inner, want);
	assert_int_equal(s.sink.offset, zn); /* hashed and counted as served */
	assert_int_equal(lseek(t.fd, 0, SEEK_END), (off_t)len);
	assert_int_equal(pread(t.fd, back, len, 0), (ssize_t)len);
	assert_memory_equal(back, img, len);
	stream_free(&s);
	close(t.fd);
	free(back);
}

static void test_gzip_ext(void **state)
{
	size_t len, zn;
	uint8_t *img = fake_ext(&len, 256), *z = malloc(IMG + 1024);

	(void)state;
	zn = gz(img, len, z, IMG + 1024);
	check_image(img, len, z, zn, FMT_EXT4);
	free(img);
	free(z);
}

static void test_zstd_ext_and_squashfs(void **state)
{
	size_t len, zn;
	uint8_t *img = fake_ext(&len, 256), *z = malloc(ZSTD_compressBound(IMG));

	(void)state;
	zn = ZSTD_compress(z, ZSTD_compressBound(IMG), img, len, 3);
	check_image(img, len, z, zn, FMT_EXT4);
	memset(img, 0, 2048);
	memcpy(img, "hsqs", 4);
	img[40] = 0;
	img[41] = 0;
	img[42] = 4; /* bytes_used = 256 KiB */
	zn = ZSTD_compress(z, ZSTD_compressBound(IMG), img, len, 3);
	check_image(img, len, z, zn, FMT_SQUASHFS);
	free(img);
	free(z);
}

static void test_xz_ext_and_squashfs(void **state)
{
	size_t len, zn, cap = IMG + 4096;
	uint8_t *img = fake_ext(&len, 256), *z = malloc(2 * cap + 8);

	(void)state;
	zn = xz(img, len, z, cap);
	check_image(img, len, z, zn, FMT_EXT4);
	/* stream padding (4 zeros), as xz(1) may write after a stream */
	memset(z + zn, 0, 4);
	check_image(img, len, z, zn + 4, FMT_EXT4);
	memset(img, 0, 2048);
	memcpy(img, "hsqs", 4);
	img[42] = 4; /* bytes_used = 256 KiB */
	zn = xz(img, len, z, cap);
	check_image(img, len, z, zn, FMT_SQUASHFS);
	free(img);
	free(z);
}

/* Two xz streams back to back (cat a.xz b.xz): one image, as xz -d gives it. */
static void test_xz_concatenated(void **state)
{
	size_t len, z1, z2, cap = IMG + 4096;
	uint8_t *img = fake_ext(&len, 256), *z = malloc(2 * cap);

	(void)state;
	z1 = xz(img, len / 2, z, cap);
	z2 = xz(img + len / 2, len - len / 2, z + z1, cap);
	check_image(img, len, z, z1 + z2, FMT_EXT4);
	free(img);
	free(z);
}

/* A flipped byte in the xz data: refused (CRC64 / LZMA2 error), never an image. */
static void test_xz_corrupt(void **state)
{
	struct tgt t = { 0 };
	struct stream_target st = { &t, t_open, t_discard };
	static struct stream s;
	size_t len, zn, cap = IMG + 4096;
	uint8_t *img = fake_ext(&len, 256), *z = malloc(cap);

	(void)state;
	zn = xz(img, len, z, cap);
	z[zn / 2] ^= 0x55;
	stream_init(&s, &st, -1, "t");
	assert_int_equal(run(&s, z, zn, 64u << 20), -EBADMSG);
	assert_non_null(strstr(s.err, "xz: "));
	/* cut short: the stream never ended */
	stream_free(&s);
	if (t.fd > 0)
		close(t.fd);
	zn = xz(img, len, z, cap);
	memset(&t, 0, sizeof(t));
	stream_init(&s, &st, -1, "t");
	assert_int_equal(run(&s, z, zn - 20, 64u << 20), -EBADMSG);
	stream_free(&s);
	if (t.fd > 0)
		close(t.fd);
	free(img);
	free(z);
}

/* The superblock says 8 MiB, 4 MiB are free: refused before the file is opened. */
static void test_too_big(void **state)
{
	struct tgt t = { 0 };
	struct stream_target st = { &t, t_open, t_discard };
	static struct stream s;
	size_t len, zn;
	uint8_t *img = fake_ext(&len, 8192), *z = malloc(IMG + 1024);

	(void)state;
	zn = gz(img, len, z, IMG + 1024);
	stream_init(&s, &st, -1, "t");
	assert_int_equal(run(&s, z, zn, 4u << 20), -ENOSPC);
	assert_int_equal(t.opened, FMT_UNKNOWN);
	assert_non_null(strstr(s.err, "needs 8 MiB"));
	stream_free(&s);
	free(img);
	free(z);
}

/* Longer than the superblock says: the image is cut off, not trusted. */
static void test_longer_than_superblock(void **state)
{
	struct tgt t = { 0 };
	struct stream_target st = { &t, t_open, t_discard };
	static struct stream s;
	size_t len, zn;
	uint8_t *img = fake_ext(&len, 64), *z = malloc(IMG + 1024);

	(void)state;
	zn = gz(img, len, z, IMG + 1024);
	stream_init(&s, &st, -1, "t");
	assert_int_equal(run(&s, z, zn, 64u << 20), -EFBIG);
	stream_free(&s);
	close(t.fd);
	free(img);
	free(z);
}

static void test_unknown_inner(void **state)
{
	struct tgt t = { 0 };
	struct stream_target st = { &t, t_open, t_discard };
	static struct stream s;
	uint8_t img[4096] = { 1, 2, 3 }, z[8192];
	size_t zn = gz(img, sizeof(img), z, sizeof(z));

	(void)state;
	stream_init(&s, &st, -1, "t");
	assert_int_equal(run(&s, z, zn, 64u << 20), -EMEDIUMTYPE);
	assert_non_null(strstr(s.err, "neither squashfs"));
	stream_free(&s);
}

static void test_fs_size(void **state)
{
	size_t len;
	uint8_t *img = fake_ext(&len, 1000);

	(void)state;
	assert_int_equal(image_fs_size(img, 2048), 1000u * 1024);
	img[1024 + 0x18] = 2; /* 4 KiB blocks */
	assert_int_equal(image_fs_size(img, 2048), 1000u * 4096);
	img[1024 + 0x18] = 40; /* nonsense */
	assert_int_equal(image_fs_size(img, 2048), 0);
	memset(img, 0, 2048);
	assert_int_equal(image_fs_size(img, 2048), 0);
	free(img);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_gzip_ext),
		cmocka_unit_test(test_zstd_ext_and_squashfs),
		cmocka_unit_test(test_xz_ext_and_squashfs),
		cmocka_unit_test(test_xz_concatenated),
		cmocka_unit_test(test_xz_corrupt),
		cmocka_unit_test(test_too_big),
		cmocka_unit_test(test_longer_than_superblock),
		cmocka_unit_test(test_unknown_inner),
		cmocka_unit_test(test_fs_size),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
