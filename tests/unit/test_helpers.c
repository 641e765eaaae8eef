/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of the shared helpers: init/codec.c (hex, base64, MAC) and
 * init/util.c (whole-file read, atomic/exclusive write, deadline wait,
 * random fallback, error formatter).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "codec.h"
#include "util.h"

static void test_hex(void **state)
{
	const uint8_t in[3] = { 0x00, 0xab, 0xff };
	uint8_t out[3];
	char hex[7];

	hex_encode(in, 3, hex);
	assert_string_equal(hex, "00abff");
	assert_int_equal(hex_decode("00abff", 6, out, 3, true), 0);
	assert_memory_equal(out, in, 3);
	assert_int_equal(hex_decode("00ABff", 6, out, 3, true), -EINVAL); /* one spelling */
	assert_int_equal(hex_decode("00ABff", 6, out, 3, false), 0);
	assert_memory_equal(out, in, 3);
	assert_int_equal(hex_decode("00abf", 5, out, 3, false), -EINVAL);
	assert_int_equal(hex_decode("00abfg", 6, out, 3, false), -EINVAL);
	assert_int_equal(hex_digit('F'), 15);
	assert_int_equal(hex_digit('g'), -1);
}

static void test_base64(void **state)
{
	uint8_t out[8];

	/* RFC 4648 section 10 test vectors */
	assert_int_equal(base64_decode("Zm9vYmFy", 8, out, sizeof(out), true), 6);
	assert_memory_equal(out, "foobar", 6);
	assert_int_equal(base64_decode("Zm9vYg==", 8, out, sizeof(out), true), 4);
	assert_memory_equal(out, "foob", 4);
	assert_int_equal(base64_decode("Zm9vYg", 6, out, sizeof(out), false), 4);
	assert_int_equal(base64_decode("Zm9vYg", 6, out, sizeof(out), true), -EINVAL);
	assert_int_equal(base64_decode("Zm9vYh==", 8, out, sizeof(out), true), -EINVAL); /* bits */
	assert_int_equal(base64_decode("Zm9v!mFy", 8, out, sizeof(out), true), -EINVAL);
	assert_int_equal(base64_decode("Zm9vYmFy", 8, out, 5, true), -EINVAL); /* too long */
	assert_int_equal(base64_decode("Z===", 4, out, sizeof(out), true), -EINVAL);
	assert_int_equal(base64_decode("", 0, out, sizeof(out), true), 0);
}

static void test_mac(void **state)
{
	uint8_t mac[6];
	char s[18];

	assert_int_equal(mac_parse("52:54:00:AB:cd:01", ':', mac), 0);
	assert_string_equal(mac_format(mac, ':', s), "52:54:00:ab:cd:01");
	assert_string_equal(mac_format(mac, '-', s), "52-54-00-ab-cd-01");
	assert_int_equal(mac_parse("52-54-00-ab-cd-01", ':', mac), -EINVAL);
	assert_int_equal(mac_parse("52-54-00-ab-cd-01", 0, mac), 0);
	assert_int_equal(mac_parse("52:54-00:ab:cd:01", 0, mac), -EINVAL); /* one separator */
	assert_int_equal(mac_parse("52:54:00:ab:cd:1", ':', mac), -EINVAL);
	assert_int_equal(mac_parse("52:54:00:ab:cd:01:", ':', mac), -EINVAL);
	assert_int_equal(mac_parse("5:54:00:ab:cd:01", ':', mac), -EINVAL);
	assert_false(mac_is_zero(mac));
	memset(mac, 0, 6);
	assert_true(mac_is_zero(mac));
}

static char tmpdir[] = "/tmp/netinit-helpers.XXXXXX";

static void test_files(void **state)
{
	char path[128], buf[8];
	struct stat st;

	assert_non_null(mkdtemp(tmpdir));
	snprintf(path, sizeof(path), "%s/f", tmpdir);
	assert_int_equal(write_file_at(AT_FDCWD, path, "1234567", 7, 0600, WRITE_ATOMIC), 0);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	assert_int_equal(read_file_whole(path, buf, sizeof(buf)), 7);
	assert_string_equal(buf, "1234567");
	/* one byte more than fits: refused whole, never cut */
	assert_int_equal(write_file(path, "12345678", 8, 0600), 0);
	assert_int_equal(read_file_whole(path, buf, sizeof(buf)), -EFBIG);
	assert_int_equal(read_file(path, buf, sizeof(buf)), 7);
	/* EXCL never overwrites, atomic or not */
	assert_int_equal(write_file_at(AT_FDCWD, path, "x", 1, 0600, WRITE_EXCL), -EEXIST);
	assert_int_equal(write_file_at(AT_FDCWD, path, "x", 1, 0600, WRITE_EXCL | WRITE_ATOMIC),
			 -EEXIST);
	assert_int_equal(read_file(path, buf, sizeof(buf)), 7);
	/* UNCHANGED: the same bytes leave the file (its inode) alone, others replace it */
	assert_int_equal(write_file_at(AT_FDCWD, path, "abc", 3, 0600, WRITE_ATOMIC), 0);
	assert_int_equal(stat(path, &st), 0);
	ino_t ino = st.st_ino;
	assert_int_equal(write_file_at(AT_FDCWD, path, "abc", 3, 0600, WRITE_ATOMIC | WRITE_UNCHANGED), 0);
	assert_int_equal(stat(path, &st), 0);
	assert_true(st.st_ino == ino);
	assert_int_equal(write_file_at(AT_FDCWD, path, "abd", 3, 0600, WRITE_ATOMIC | WRITE_UNCHANGED), 0);
	assert_int_equal(stat(path, &st), 0);
	assert_true(st.st_ino != ino);
	assert_int_equal(read_file(path, buf, sizeof(buf)), 3);
	assert_string_equal(buf, "abd");
	assert_int_equal(write_file_at(AT_FDCWD, path, "ab", 2, 0600, WRITE_ATOMIC | WRITE_UNCHANGED), 0);
	assert_int_equal(read_file(path, buf, sizeof(buf)), 2); /* a prefix is not the same */
	/* no temp file left behind */
	snprintf(path, sizeof(path), "%s/.f.tmp", tmpdir);
	assert_int_equal(access(path, F_OK), -1);
	assert_int_equal(read_file_whole("/nonexistent/x", buf, sizeof(buf)), -ENOENT);
	snprintf(path, sizeof(path), "%s/f", tmpdir);
	unlink(path);
	rmdir(tmpdir);
}

struct tries {
	int left, err, notes;
};

static int try_count(void *ctx)
{
	struct tries *t = ctx;

	return --t->left > 0 ? t->err : 0;
}

static void note(void *ctx, int err, unsigned pause_ms, unsigned n)
{
	((struct tries *)ctx)->notes++;
}

static void test_deadline_wait(void **state)
{
	const struct deadline_wait w = { .timeout_ms = 2000, .delay_ms = 5, .max_delay_ms = 20,
					 .on_retry = note };
	const struct deadline_wait w0 = { .timeout_ms = 40, .delay_ms = 10, .max_delay_ms = 10 };
	struct tries t = { 3, EAGAIN, 0 };
	unsigned n = 0;
	int last = 0;
	uint64_t t0;

	assert_int_equal(deadline_wait(&w, try_count, &t, &last, &n), 0);
	assert_int_equal(n, 3);
	assert_int_equal(t.notes, 2);
	assert_int_equal(last, EAGAIN);
	/* a negative error ends the wait at once */
	t = (struct tries){ 5, -EACCES, 0 };
	assert_int_equal(deadline_wait(&w, try_count, &t, &last, &n), -EACCES);
	assert_int_equal(n, 1);
	/* the deadline: -ETIMEDOUT, the last error kept, no pause started past it */
	t = (struct tries){ 1000, ENOENT, 0 };
	t0 = now_ms();
	assert_int_equal(deadline_wait(&w0, try_count, &t, &last, &n), -ETIMEDOUT);
	assert_int_equal(last, ENOENT);
	assert_true(now_ms() - t0 < 40 + 200);
	assert_true(n >= 2 && n <= 5);
}

static void test_random_errbuf(void **state)
{
	char buf[16];
	uint32_t a = random_u32(1), b = random_u32(1);

	assert_true(a != b || random_u32(1) != a); /* not a constant */
	assert_int_equal(errbuf_set(buf, sizeof(buf), -EIO, "x=%d %s", 42, "long text here"), -EIO);
	assert_string_equal(buf, "x=42 long text ");
	assert_int_equal(errbuf_set(NULL, 0, -EINVAL, "%s", "ignored"), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hex),
		cmocka_unit_test(test_base64),
		cmocka_unit_test(test_mac),
		cmocka_unit_test(test_files),
		cmocka_unit_test(test_deadline_wait),
		cmocka_unit_test(test_random_errbuf),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
