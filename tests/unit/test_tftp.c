// SPDX-License-Identifier: MIT
/* TFTP packets: RRQ with options, ACK, ERROR, parsing, OACK checks. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "tftp.h"

static void test_rrq(void **state)
{
	(void)state;
	uint8_t b[600];
	struct tftp_options o = { .blksize = 1468, .windowsize = 16, .has_tsize = true };
	int n = tftp_build_rrq(b, sizeof(b), "boot/root.img", &o);
	static const uint8_t want[] = "\0\1boot/root.img\0octet\0blksize\0001468\0tsize\0000\0"
				      "windowsize\00016";
	assert_int_equal(n, sizeof(want));
	assert_memory_equal(b, want, sizeof(want));
	struct tftp_options none = { 0 };
	n = tftp_build_rrq(b, sizeof(b), "f", &none);
	assert_int_equal(n, 2 + 2 + 6);
	assert_int_equal(tftp_build_rrq(b, 10, "boot/root.img", &o), -ENOSPC);
	assert_int_equal(tftp_build_rrq(b, sizeof(b), "", &o), -EINVAL);
	assert_int_equal(tftp_build_ack(b, sizeof(b), 0xabcd), 4);
	assert_memory_equal(b, "\0\4\xab\xcd", 4);
	n = tftp_build_error(b, sizeof(b), 5, "Unknown transfer ID");
	assert_int_equal(n, 4 + 20);
	assert_memory_equal(b, "\0\5\0\5Unknown", 11);
}

static void test_parse(void **state)
{
	(void)state;
	static const struct { const char *pkt; size_t len; int ret, op; } c[] = {
		{ "\0\3\0\1abc", 7, 0, TFTP_DATA },
		{ "\0\3\xff\xff", 4, 0, TFTP_DATA },            /* empty last block 65535 */
		{ "\0\3\0", 3, -EINVAL, 0 },
		{ "\0\4\0\1", 4, 0, TFTP_ACK },
		{ "\0\4\0\1x", 5, -EINVAL, 0 },
		{ "\0\5\0\1File not found\0", 19, 0, TFTP_ERROR },
		{ "\0\5\0\1no nul", 10, 0, TFTP_ERROR },
		{ "\0\5\0", 3, -EINVAL, 0 },
		{ "\0\6blksize\0001024\0", 15, 0, TFTP_OACK },
		{ "\0\6BLKSIZE\0001024\0tsize\00099\0windowsize\0004\0", 37, 0, TFTP_OACK },
		{ "\0\6blksize\0001024", 14, -EINVAL, 0 },          /* no final NUL */
		{ "\0\6blksize\0", 10, -EINVAL, 0 },                 /* no value */
		{ "\0\6blksize\00010x4\0", 15, -EINVAL, 0 },
		{ "\0\6blksize\0000\0", 12, -EINVAL, 0 },
		{ "\0\6blksize\00099999\0", 16, -EINVAL, 0 },
		{ "\0\6multicast\0x\0", 14, -EINVAL, 0 },            /* not asked for */
		{ "\0\6", 2, -EINVAL, 0 },
		{ "\0\1f\0octet\0", 10, -EINVAL, 0 },                /* RRQ from a server? */
		{ "\1\3\0\1", 4, -EINVAL, 0 },
		{ "\0\7\0\1", 4, -EINVAL, 0 },
		{ "", 0, -EINVAL, 0 },
	};
	for (size_t i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		struct tftp_packet p;
		int r = tftp_parse((const uint8_t *)c[i].pkt, c[i].len, &p);
		if (r != c[i].ret)
			fail_msg("case %zu: %d", i, r);
		if (!r)
			assert_int_equal(p.op, c[i].op);
	}
	struct tftp_packet p;
	assert_int_equal(tftp_parse((const uint8_t *)"\0\3\xff\xfe" "data", 8, &p), 0);
	assert_int_equal(p.block, 65534);
	assert_int_equal(p.datalen, 4);
	assert_int_equal(tftp_parse((const uint8_t *)"\0\5\0\1bad\x1b[2J\0", 12, &p), 0);
	assert_int_equal(p.errcode, 1);
	assert_string_equal(p.errmsg, "bad?[2J"); /* no escape sequences in the log */
	assert_int_equal(tftp_parse((const uint8_t *)"\0\6blksize\0001024\0tsize\00012345678901\0", 33, &p), 0);
	assert_int_equal(p.opts.blksize, 1024);
	assert_true(p.opts.has_tsize);
	assert_int_equal(p.opts.tsize, 12345678901ull);
}

static void test_oack(void **state)
{
	(void)state;
	struct tftp_options req = { .blksize = 1468, .windowsize = 8, .has_tsize = true };
	static const struct { struct tftp_options got; int ret; } c[] = {
		{ { .blksize = 1468, .windowsize = 8, .has_tsize = true, .tsize = 5 }, 0 },
		{ { .blksize = 512 }, 0 },
		{ { 0 }, 0 },
		{ { .blksize = 1469 }, -EPROTO },
		{ { .blksize = 4 }, -EPROTO },
		{ { .windowsize = 9 }, -EPROTO },
	};
	char why[128];
	for (size_t i = 0; i < sizeof(c) / sizeof(c[0]); i++)
		if (tftp_check_oack(&req, &c[i].got, why, sizeof(why)) != c[i].ret)
			fail_msg("case %zu", i);
	struct tftp_options plain = { .blksize = 1468 };
	struct tftp_options got = { .windowsize = 2 };
	assert_int_equal(tftp_check_oack(&plain, &got, why, sizeof(why)), -EPROTO);
	struct tftp_options got2 = { .has_tsize = true };
	assert_int_equal(tftp_check_oack(&plain, &got2, why, sizeof(why)), -EPROTO);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rrq), cmocka_unit_test(test_parse), cmocka_unit_test(test_oack),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
