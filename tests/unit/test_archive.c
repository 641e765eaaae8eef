// SPDX-License-Identifier: MIT
/*
 * cpio/tar/pax parsing tables and unpacking into a scratch directory,
 * including every traversal trick of issue 4 point 7: nothing may land
 * outside the target.
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "archive.h"

/* ---- archive builders ---- */

struct buf { uint8_t *p; size_t len, cap; };

static void put(struct buf *b, const void *d, size_t n)
{
	if (b->len + n > b->cap) {
		b->cap = (b->len + n) * 2 + 4096;
		b->p = realloc(b->p, b->cap);
	}
	memcpy(b->p + b->len, d, n);
	b->len += n;
}

static void pad(struct buf *b, size_t to)
{
	static const uint8_t z[512];
	while (b->len % to)
		put(b, z, to - b->len % to > 512 ? 512 : to - b->len % to);
}

static void tar_entry(struct buf *b, const char *name, char type, const char *link,
		      const void *data, size_t size, unsigned mode)
{
	uint8_t h[512] = { 0 };
	snprintf((char *)h, 100, "%s", name);
	snprintf((char *)h + 100, 8, "%07o", mode);
	snprintf((char *)h + 108, 8, "%07o", 0);
	snprintf((char *)h + 116, 8, "%07o", 0);
	snprintf((char *)h + 124, 12, "%011zo", size);
	snprintf((char *)h + 136, 12, "%011o", 1700000000);
	h[156] = (uint8_t)type;
	if (link)
		snprintf((char *)h + 157, 100, "%s", link);
	memcpy(h + 257, "ustar", 6);
	memcpy(h + 263, "00", 2);
	memset(h + 148, ' ', 8);
	unsigned sum = 0;
	for (int i = 0; i < 512; i++)
		sum += h[i];
	snprintf((char *)h + 148, 8, "%06o", sum);
	h[155] = ' ';
	put(b, h, 512);
	if (size) {
		put(b, data, size);
		pad(b, 512);
	}
}

static void tar_end(struct buf *b)
{
	static const uint8_t z[1024];
	put(b, z, sizeof(z));
}

static void cpio_entry(struct buf *b, const char *name, unsigned mode, unsigned ino,
		       unsigned nlink, const void *data, size_t size)
{
	char h[160];
	size_t ns = strlen(name) + 1;
	snprintf(h, sizeof(h), "070701%08X%08X%08X%08X%08X%08X%08zX%08X%08X%08X%08X%08zX%08X",
		 ino, mode, 0, 0, nlink, 1700000000, size, 0, 0, 0, 0, ns, 0);
	put(b, h, 110);
	put(b, name, ns);
	pad(b, 4);
	if (size) {
		put(b, data, size);
		pad(b, 4);
	}
}

static void cpio_end(struct buf *b) { cpio_entry(b, "TRAILER!!!", 0, 0, 1, NULL, 0); }

/* ---- scratch tree: <tmp>/outside and <tmp>/root ---- */

static char top[64], rootdir[96], outside[96];

static int setup(void **state)
{
	(void)state;
	strcpy(top, "/tmp/test_archive.XXXXXX");
	if (!mkdtemp(top))
		return -1;
	snprintf(rootdir, sizeof(rootdir), "%s/root", top);
	snprintf(outside, sizeof(outside), "%s/outside", top);
	mkdir(rootdir, 0755);
	mkdir(outside, 0755);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	char cmd[160];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", top);
	return system(cmd) == 0 ? 0 : -1;
}

/* Unpack b into a fresh root (fed in pieces of step bytes). */
static int unpack(struct buf *b, size_t step, uint64_t limit, char *err, size_t errlen)
{
	char cmd[512];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s' '%s' && mkdir '%s' '%s'", rootdir, outside, rootdir,
		 outside);
	if (system(cmd) != 0)
		return -EIO;
	int fd = open(rootdir, O_RDONLY | O_DIRECTORY);
	struct archive *a = archive_new(fd, limit);
	close(fd);
	int r = 0;
	for (size_t pos = 0; pos < b->len && r == 0; pos += step)
		r = archive_feed(a, b->p + pos, b->len - pos < step ? b->len - pos : step);
	if (r == 0)
		r = archive_finish(a);
	snprintf(err, errlen, "%s", archive_error(a));
	archive_free(a);
	return r;
}

static bool exists(const char *rel, const char *base)
{
	char p[1024];
	struct stat st;
	snprintf(p, sizeof(p), "%s/%s", base, rel);
	return lstat(p, &st) == 0;
}

static bool outside_empty(void)
{
	char cmd[160];
	snprintf(cmd, sizeof(cmd), "[ -z \"$(ls -A '%s')\" ]", outside);
	return system(cmd) == 0;
}

/* ---- tables ---- */

static void test_clean_path(void **state)
{
	(void)state;
	static const struct { const char *in; int ret; const char *out; } c[] = {
		{ "a/b/c", 0, "a/b/c" }, { "./a//b/", 0, "a/b" }, { ".", 0, "" }, { "./", 0, "" },
		{ "a/./b", 0, "a/b" },    { "/etc/passwd", -EPERM, NULL }, { "../x", -EPERM, NULL },
		{ "a/../../x", -EPERM, NULL }, { "a/..", -EPERM, NULL }, { "..", -EPERM, NULL },
		{ "a/...", 0, "a/..." },  { "..a/b", 0, "..a/b" },
	};
	for (size_t i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		char out[AR_PATH_MAX];
		int r = ar_clean_path(c[i].in, out, sizeof(out));
		if (r != c[i].ret)
			fail_msg("'%s': %d", c[i].in, r);
		if (!r)
			assert_string_equal(out, c[i].out);
	}
	char big[AR_PATH_MAX + 10], out[AR_PATH_MAX];
	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	assert_int_equal(ar_clean_path(big, out, sizeof(out)), -ENAMETOOLONG);
}

static void test_cpio_header(void **state)
{
	(void)state;
	struct ar_entry e;
	uint32_t ns;
	static const struct { const char *h; int ret; } c[] = {
		{ "070701" "00000001" "000081A4" "00000000" "00000000" "00000001" "00000000"
		  "00000005" "00000000" "00000000" "00000000" "00000000" "00000006" "00000000", 0 },
		{ "070702" "00000001" "000041ED" "00000000" "00000000" "00000002" "00000000"
		  "00000000" "00000000" "00000000" "00000000" "00000000" "00000002" "00000000", 0 },
		{ "070707" "00000001" "000081A4" "00000000" "00000000" "00000001" "00000000"
		  "00000005" "00000000" "00000000" "00000000" "00000000" "00000006" "00000000", -EINVAL },
		{ "070701" "0000000G" "000081A4" "00000000" "00000000" "00000001" "00000000"
		  "00000005" "00000000" "00000000" "00000000" "00000000" "00000006" "00000000", -EINVAL },
		/* namesize 0 and huge */
		{ "070701" "00000001" "000081A4" "00000000" "00000000" "00000001" "00000000"
		  "00000005" "00000000" "00000000" "00000000" "00000000" "00000000" "00000000", -EINVAL },
		{ "070701" "00000001" "000081A4" "00000000" "00000000" "00000001" "00000000"
		  "00000005" "00000000" "00000000" "00000000" "00000000" "FFFFFFFF" "00000000", -EINVAL },
		/* unknown file type with data */
		{ "070701" "00000001" "0000F1A4" "00000000" "00000000" "00000001" "00000000"
		  "00000005" "00000000" "00000000" "00000000" "00000000" "00000006" "00000000", -EINVAL },
		/* symlink target longer than PATH_MAX */
		{ "070701" "00000001" "0000A1FF" "00000000" "00000000" "00000001" "00000000"
		  "00100000" "00000000" "00000000" "00000000" "00000000" "00000006" "00000000", -EINVAL },
	};
	for (size_t i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		int r = cpio_parse_header((const uint8_t *)c[i].h, &e, &ns);
		if (r != c[i].ret)
			fail_msg("case %zu: %d", i, r);
	}
	assert_int_equal(cpio_parse_header((const uint8_t *)c[0].h, &e, &ns), 0);
	assert_int_equal(e.type, AR_FILE);
	assert_int_equal(e.mode, 0644);
	assert_int_equal(e.size, 5);
	assert_int_equal(ns, 6);
}

static void test_tar_header(void **state)
{
	(void)state;
	struct buf b = { 0 };
	struct ar_entry e;
	char meta;
	tar_entry(&b, "dir/file", '0', NULL, "hello", 5, 04755);
	assert_int_equal(tar_parse_header(b.p, &e, &meta), 1);
	assert_int_equal(meta, 0);
	assert_string_equal(e.path, "dir/file");
	assert_int_equal(e.size, 5);
	assert_int_equal(e.mode, 04755);
	assert_int_equal(e.type, AR_FILE);
	assert_int_equal(ar_detect(b.p, 512), AR_TAR);

	uint8_t blk[512];
	memcpy(blk, b.p, 512);
	blk[0] ^= 1; /* checksum no longer matches */
	assert_int_equal(tar_parse_header(blk, &e, &meta), -EINVAL);
	assert_int_equal(ar_detect(blk, 512), AR_UNKNOWN);

	memset(blk, 0, 512);
	assert_int_equal(tar_parse_header(blk, &e, &meta), 0);

	/* size field with a non-octal digit */
	b.len = 0;
	tar_entry(&b, "x", '0', NULL, NULL, 0, 0644);
	memcpy(blk, b.p, 512);
	memcpy(blk + 124, "0000000009\0", 12);
	memset(blk + 148, ' ', 8);
	unsigned sum = 0;
	for (int i = 0; i < 512; i++)
		sum += blk[i];
	snprintf((char *)blk + 148, 8, "%06o", sum);
	assert_int_equal(tar_parse_header(blk, &e, &meta), -EINVAL);

	/* GNU base-256 size */
	b.len = 0;
	tar_entry(&b, "big", '0', NULL, NULL, 0, 0644);
	memcpy(blk, b.p, 512);
	memset(blk + 124, 0, 12);
	blk[124] = 0x80;
	blk[131] = 0x01; /* 2^32 */
	memset(blk + 148, ' ', 8);
	sum = 0;
	for (int i = 0; i < 512; i++)
		sum += blk[i];
	snprintf((char *)blk + 148, 8, "%06o", sum);
	assert_int_equal(tar_parse_header(blk, &e, &meta), 1);
	assert_int_equal(e.size, 1ull << 32);

	b.len = 0;
	tar_entry(&b, "././@PaxHeader", 'x', NULL, "13 path=abc\n", 12, 0644);
	assert_int_equal(tar_parse_header(b.p, &e, &meta), 1);
	assert_int_equal(meta, 'x');
	assert_int_equal(e.size, 12);
	free(b.p);
}

static void test_pax(void **state)
{
	(void)state;
	static const struct { const char *rec; int ret; } c[] = {
		{ "12 path=abc\n", 0 },
		{ "30 mtime=1700000000.123456789\n", 0 },
		{ "16 size=1048576\n", 0 },
		{ "20 uname=someone012\n", 0 },
		{ "13 path=abc\n", -EINVAL },   /* wrong length */
		{ "12 path=abc ", -EINVAL },    /* no newline */
		{ "9 =abcde\n", -EINVAL },      /* empty key */
		{ "x path=a\n", -EINVAL },
		{ "11 size=-1\n", -EINVAL },
		{ "15 size=1x2345\n", -EINVAL },
		{ "4 a\n", -EINVAL },
		{ "99999999999 path=a\n", -EINVAL },
	};
	for (size_t i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		struct ar_entry e = { 0 };
		unsigned set = 0;
		int r = pax_apply(c[i].rec, strlen(c[i].rec), &e, &set);
		if (r != c[i].ret)
			fail_msg("'%s': %d", c[i].rec, r);
	}
	struct ar_entry e = { 0 };
	unsigned set = 0;
	const char *two = "12 path=abc\n16 linkpath=xyz\n";
	assert_int_equal(pax_apply(two, strlen(two), &e, &set), 0);
	assert_string_equal(e.path, "abc");
	assert_string_equal(e.link, "xyz");
	assert_int_equal(set, PAX_PATH | PAX_LINK);
}

/* ---- unpacking ---- */

static void test_unpack_tar(void **state)
{
	(void)state;
	struct buf b = { 0 };
	char err[512], longname[300], rec[400], p[400];
	memset(longname, 'L', 250);
	longname[250] = '\0';
	tar_entry(&b, "./", '5', NULL, NULL, 0, 0755);
	tar_entry(&b, "./bin/", '5', NULL, NULL, 0, 0755);
	tar_entry(&b, "./bin/su", '0', NULL, "#!/bin/sh\n", 10, 04755);
	tar_entry(&b, "./bin/sh", '2', "busybox", NULL, 0, 0777);
	tar_entry(&b, "./bin/su2", '1', "./bin/su", NULL, 0, 0755);
	tar_entry(&b, "./dev/null", '3', NULL, NULL, 0, 0666);
	int rl = snprintf(rec, sizeof(rec), "%d path=dir/%s\n", (int)(strlen(longname) + 14), longname);
	tar_entry(&b, "././@PaxHeader", 'x', NULL, rec, (size_t)rl, 0644);
	tar_entry(&b, "short", '0', NULL, "pax", 3, 0644);
	tar_entry(&b, "././@LongLink", 'L', NULL, longname, strlen(longname) + 1, 0644);
	tar_entry(&b, "trunc", '0', NULL, "gnu", 3, 0644);
	/* a GNU long name whose cut 100-byte header name ends in '/' */
	char cut[120], full[200];
	memset(cut, 'd', 98);
	strcpy(cut + 98, "/");
	snprintf(full, sizeof(full), "%sfile.pas", cut);
	tar_entry(&b, "././@LongLink", 'L', NULL, full, strlen(full) + 1, 0644);
	tar_entry(&b, cut, '0', NULL, "cut", 3, 0644);
	tar_end(&b);
	for (size_t step = 1; step <= 8192; step *= 8) {
		int r = unpack(&b, step, 0, err, sizeof(err));
		if (r)
			fail_msg("step %zu: %d %s", step, r, err);
		struct stat st;
		snprintf(p, sizeof(p), "%s/bin/su", rootdir);
		assert_int_equal(stat(p, &st), 0);
		assert_int_equal(st.st_mode & 07777, 04755); /* setuid kept */
		assert_int_equal(st.st_size, 10);
		assert_int_equal(st.st_nlink, 2);           /* hard link inside */
		snprintf(p, sizeof(p), "%s/dev/null", rootdir);
		if (geteuid() == 0) {
			assert_int_equal(lstat(p, &st), 0);
			assert_true(S_ISCHR(st.st_mode));
		}
		assert_true(exists("bin/sh", rootdir));
		snprintf(p, sizeof(p), "dir/%s", longname);
		assert_true(exists(p, rootdir));
		assert_true(exists(longname, rootdir));
		assert_false(exists("short", rootdir));
		assert_false(exists("trunc", rootdir));
		snprintf(p, sizeof(p), "%s/%s", rootdir, full);
		assert_int_equal(stat(p, &st), 0);
		assert_true(S_ISREG(st.st_mode)); /* not a directory */
	}
	free(b.p);
}

static void test_unpack_cpio(void **state)
{
	(void)state;
	struct buf b = { 0 };
	char err[512];
	cpio_entry(&b, ".", 040755, 1, 2, NULL, 0);
	cpio_entry(&b, "etc", 040755, 2, 2, NULL, 0);
	cpio_entry(&b, "etc/hostname", 0100644, 3, 1, "node\n", 5);
	cpio_entry(&b, "etc/link", 0120777, 4, 1, "hostname", 8);
	/* hard links: newc puts the data with the last one */
	cpio_entry(&b, "a", 0100755, 9, 2, NULL, 0);
	cpio_entry(&b, "b", 0100755, 9, 2, "shared", 6);
	cpio_end(&b);
	for (size_t step = 1; step <= 4096; step *= 8) {
		int r = unpack(&b, step, 0, err, sizeof(err));
		if (r)
			fail_msg("step %zu: %d %s", step, r, err);
		char p[256], t[64] = "";
		snprintf(p, sizeof(p), "%s/etc/link", rootdir);
		assert_int_equal(readlink(p, t, sizeof(t)), 8);
		struct stat sa, sb;
		snprintf(p, sizeof(p), "%s/a", rootdir);
		assert_int_equal(stat(p, &sa), 0);
		snprintf(p, sizeof(p), "%s/b", rootdir);
		assert_int_equal(stat(p, &sb), 0);
		assert_int_equal(sa.st_ino, sb.st_ino);
		assert_int_equal(sa.st_size, 6);
	}
	free(b.p);
}

/* Every trick must fail or stay inside: <top>/outside stays empty. */
static void test_traversal(void **state)
{
	(void)state;
	char err[512], abs_out[200], rel_out[64];
	snprintf(abs_out, sizeof(abs_out), "%s/evil", outside);
	snprintf(rel_out, sizeof(rel_out), "../outside/evil");
	struct { const char *what; struct buf b; int want_fail; } c[8];
	memset(c, 0, sizeof(c));
	int n = 0;

	c[n].what = "absolute path";
	tar_entry(&c[n].b, abs_out, '0', NULL, "x", 1, 0644), tar_end(&c[n].b), c[n++].want_fail = 1;
	c[n].what = "dot-dot path";
	tar_entry(&c[n].b, rel_out, '0', NULL, "x", 1, 0644), tar_end(&c[n].b), c[n++].want_fail = 1;
	c[n].what = "symlink dir then file through it";
	tar_entry(&c[n].b, "lnk", '2', outside, NULL, 0, 0777);
	tar_entry(&c[n].b, "lnk/evil", '0', NULL, "x", 1, 0644), tar_end(&c[n].b), c[n++].want_fail = 1;
	c[n].what = "symlink then file of the same path";
	tar_entry(&c[n].b, "f", '2', abs_out, NULL, 0, 0777);
	tar_entry(&c[n].b, "f", '0', NULL, "x", 1, 0644), tar_end(&c[n].b), c[n++].want_fail = 0;
	c[n].what = "hard link to outside";
	tar_entry(&c[n].b, "h", '1', "../outside/evil", NULL, 0, 0644), tar_end(&c[n].b), c[n++].want_fail = 1;
	c[n].what = "hard link through a symlink";
	tar_entry(&c[n].b, "lnk", '2', outside, NULL, 0, 0777);
	tar_entry(&c[n].b, "h", '1', "lnk/x", NULL, 0, 0644), tar_end(&c[n].b), c[n++].want_fail = 1;
	c[n].what = "cpio symlink then file through it";
	cpio_entry(&c[n].b, "lnk", 0120777, 1, 1, outside, strlen(outside));
	cpio_entry(&c[n].b, "lnk/evil", 0100644, 2, 1, "x", 1), cpio_end(&c[n].b), c[n++].want_fail = 1;
	c[n].what = "pax path with dot-dot";
	tar_entry(&c[n].b, "././@PaxHeader", 'x', NULL, "26 path=../outside/evil2\n", 25, 0644);
	tar_entry(&c[n].b, "ok", '0', NULL, "x", 1, 0644), tar_end(&c[n].b), c[n++].want_fail = 1;

	for (int i = 0; i < n; i++) {
		int r = unpack(&c[i].b, 512, 0, err, sizeof(err));
		if (c[i].want_fail && r == 0)
			fail_msg("%s: accepted", c[i].what);
		if (!c[i].want_fail && r != 0)
			fail_msg("%s: %s", c[i].what, err);
		if (!outside_empty())
			fail_msg("%s: wrote outside the target", c[i].what);
		free(c[i].b.p);
	}
	/* the replaced symlink is now a regular file inside */
	struct buf b = { 0 };
	tar_entry(&b, "f", '2', abs_out, NULL, 0, 0777);
	tar_entry(&b, "f", '0', NULL, "x", 1, 0644);
	tar_end(&b);
	assert_int_equal(unpack(&b, 512, 0, err, sizeof(err)), 0);
	char p[256];
	struct stat st;
	snprintf(p, sizeof(p), "%s/f", rootdir);
	assert_int_equal(lstat(p, &st), 0);
	assert_true(S_ISREG(st.st_mode));
	free(b.p);
}

static void test_limits(void **state)
{
	(void)state;
	struct buf b = { 0 };
	char err[512];
	static char big[100000];
	tar_entry(&b, "bomb", '0', NULL, big, sizeof(big), 0644);
	tar_end(&b);
	assert_int_equal(unpack(&b, 4096, 50000, err, sizeof(err)), -EFBIG);
	assert_non_null(strstr(err, "limit"));
	assert_int_equal(unpack(&b, 4096, 200000, err, sizeof(err)), 0);
	/* truncated archives are errors */
	b.len -= 1024 + 512;
	assert_int_equal(unpack(&b, 4096, 0, err, sizeof(err)), -EBADMSG);
	b.len = 100;
	assert_int_not_equal(unpack(&b, 4096, 0, err, sizeof(err)), 0);
	/* a tar cut exactly at a member boundary (no end blocks) */
	struct buf c = { 0 };
	tar_entry(&c, "a", '0', NULL, "x", 1, 0644);
	assert_int_equal(unpack(&c, 4096, 0, err, sizeof(err)), -EBADMSG);
	free(c.p);
	/* not an archive */
	memset(b.p, 'x', 600);
	b.len = 600;
	assert_int_equal(unpack(&b, 4096, 0, err, sizeof(err)), -EMEDIUMTYPE);
	free(b.p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_clean_path), cmocka_unit_test(test_cpio_header),
		cmocka_unit_test(test_tar_header), cmocka_unit_test(test_pax),
		cmocka_unit_test(test_unpack_tar), cmocka_unit_test(test_unpack_cpio),
		cmocka_unit_test(test_traversal),  cmocka_unit_test(test_limits),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
