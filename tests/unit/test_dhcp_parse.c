/* SPDX-License-Identifier: MIT */
/*
 * DHCP wire format: the option iterator, the typed getters, lease
 * extraction and frame checks, driven by tables of raw bytes.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "dhcp.h"
#include "log.h"

#define B(...) (const uint8_t[]){ __VA_ARGS__ }, sizeof((const uint8_t[]){ __VA_ARGS__ })
#define NONE NULL, 0

static const uint8_t MAC[6] = { 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 };
#define XID 0x11223344u

/* A BOOTREPLY with yiaddr 10.0.0.5, siaddr 10.0.0.1, our xid/chaddr, the
 * given options after the cookie, and raw file/sname contents. */
static size_t mk_msg(uint8_t *buf, size_t size, const uint8_t *opts, size_t olen,
		     const uint8_t *file, size_t flen, const uint8_t *sname, size_t slen)
{
	assert_true(DHCP_OFF_OPTIONS + olen <= size);
	memset(buf, 0, DHCP_OFF_OPTIONS);
	buf[0] = 2;
	buf[1] = 1;
	buf[2] = 6;
	buf[4] = 0x11; buf[5] = 0x22; buf[6] = 0x33; buf[7] = 0x44;
	buf[16] = 10; buf[17] = 0; buf[18] = 0; buf[19] = 5;
	buf[20] = 10; buf[21] = 0; buf[22] = 0; buf[23] = 1;
	memcpy(buf + DHCP_OFF_CHADDR, MAC, 6);
	if (file)
		memcpy(buf + DHCP_OFF_FILE, file, flen);
	if (sname)
		memcpy(buf + DHCP_OFF_SNAME, sname, slen);
	buf[236] = 0x63; buf[237] = 0x82; buf[238] = 0x53; buf[239] = 0x63;
	memcpy(buf + DHCP_OFF_OPTIONS, opts, olen);
	return DHCP_OFF_OPTIONS + olen;
}

/* ---- the iterator: well-formedness ---- */

struct iter_case {
	const char *name;
	const uint8_t *opts; size_t olen;
	const uint8_t *file; size_t flen;
	const uint8_t *sname; size_t slen;
	int expect;      /* dhcp_opt_check() */
	int count;       /* options returned (when expect == 0) */
};

static const struct iter_case iter_cases[] = {
	{ "empty, only End", B(255), NONE, NONE, 0, 0 },
	{ "no End at the end of the packet (tolerated)", B(53, 1, 2), NONE, NONE, 0, 1 },
	{ "pads are skipped", B(0, 0, 53, 1, 2, 0, 255), NONE, NONE, 0, 1 },
	{ "bytes after End are ignored", B(53, 1, 2, 255, 1, 200), NONE, NONE, 0, 1 },
	{ "trailing tag without length", B(53, 1, 2, 54), NONE, NONE, -EBADMSG, 0 },
	{ "length runs past the end", B(53, 1, 2, 54, 4, 10, 0), NONE, NONE, -EBADMSG, 0 },
	{ "length 255 with 3 bytes", B(12, 255, 'a', 'b', 'c'), NONE, NONE, -EBADMSG, 0 },
	{ "zero-length option", B(12, 0, 255), NONE, NONE, 0, 1 },
	{ "overload file: options in file", B(52, 1, 1, 255), B(53, 1, 5, 255), NONE, 0, 2 },
	{ "overload sname", B(52, 1, 2, 255), NONE, B(12, 1, 'x', 255), 0, 2 },
	{ "overload both", B(52, 1, 3, 255), B(53, 1, 5, 255), B(12, 1, 'x', 255), 0, 3 },
	{ "file not read without overload", B(255), B(12, 200), NONE, 0, 0 },
	{ "nested overload in file", B(52, 1, 1, 255), B(52, 1, 2, 255), NONE, -EBADMSG, 0 },
	{ "overload twice", B(52, 1, 1, 52, 1, 1, 255), NONE, NONE, -EBADMSG, 0 },
	{ "overload value 0", B(52, 1, 0, 255), NONE, NONE, -EBADMSG, 0 },
	{ "overload value 4", B(52, 1, 4, 255), NONE, NONE, -EBADMSG, 0 },
	{ "overload length 2", B(52, 2, 1, 1, 255), NONE, NONE, -EBADMSG, 0 },
	{ "overload length 0", B(52, 0, 255), NONE, NONE, -EBADMSG, 0 },
	{ "overloaded file: option past the field", B(52, 1, 1, 255),
	  (const uint8_t[128]){ [126] = 12, [127] = 5 }, 128, NONE, -EBADMSG, 0 },
	{ "overloaded file: trailing tag at the field end", B(52, 1, 1, 255),
	  (const uint8_t[128]){ [127] = 12 }, 128, NONE, -EBADMSG, 0 },
	{ "overloaded file without End (tolerated)", B(52, 1, 1, 255),
	  (const uint8_t[128]){ [125] = 12, [126] = 1, [127] = 'a' }, 128, NONE, 0, 2 },
};

static void test_iter_table(void **state)
{
	size_t i;

	for (i = 0; i < sizeof(iter_cases) / sizeof(iter_cases[0]); i++) {
		const struct iter_case *c = &iter_cases[i];
		uint8_t buf[1500];
		struct dhcp_msg m;
		struct dhcp_opt_iter it;
		const uint8_t *d;
		uint8_t code, len;
		int r, n = 0;

		m.p = buf;
		m.len = mk_msg(buf, sizeof(buf), c->opts, c->olen, c->file, c->flen, c->sname, c->slen);
		r = dhcp_opt_check(&m);
		if (r != c->expect)
			fail_msg("%s: check %d, expected %d", c->name, r, c->expect);
		if (c->expect)
			continue;
		dhcp_opt_iter_init(&it, &m);
		while (dhcp_opt_next(&it, &code, &d, &len) > 0)
			n++;
		if (n != c->count)
			fail_msg("%s: %d options, expected %d", c->name, n, c->count);
	}
}

/* A message shorter than the fixed part has no options at all. */
static void test_iter_short(void **state)
{
	uint8_t buf[100] = { 0 };
	struct dhcp_msg m = { buf, sizeof(buf) };

	assert_int_equal(dhcp_opt_check(&m), 0);
	assert_int_equal(dhcp_opt_get(&m, 53, buf, 10), -ENOENT);
}

/* ---- typed getters ---- */

struct get_case {
	const char *name;
	const uint8_t *opts; size_t olen;
	int r_u32, r_addr, r_u16, r_u8;  /* for option 51 / 54 / 26 / 53 */
};

static const struct get_case get_cases[] = {
	{ "all good", B(51, 4, 0, 0, 14, 16, 54, 4, 10, 0, 0, 1, 26, 2, 5, 220, 53, 1, 2, 255),
	  0, 0, 0, 0 },
	{ "4-byte option with length 0", B(51, 0, 54, 0, 26, 0, 53, 0, 255),
	  -EBADMSG, -EBADMSG, -EBADMSG, -EBADMSG },
	{ "4-byte option with length 1", B(51, 1, 9, 54, 1, 9, 26, 1, 9, 53, 2, 1, 1, 255),
	  -EBADMSG, -EBADMSG, -EBADMSG, -EBADMSG },
	{ "4-byte option with length 3", B(51, 3, 1, 2, 3, 54, 3, 1, 2, 3, 255),
	  -EBADMSG, -EBADMSG, -ENOENT, -ENOENT },
	{ "4-byte option with length 5", B(51, 5, 1, 2, 3, 4, 5, 255),
	  -EBADMSG, -ENOENT, -ENOENT, -ENOENT },
	{ "split 2+2 (RFC 3396) is one value", B(51, 2, 0, 0, 51, 2, 14, 16, 255),
	  0, -ENOENT, -ENOENT, -ENOENT },
	{ "repeated: 4+4 is not a 4-byte value", B(54, 4, 1, 1, 1, 1, 54, 4, 2, 2, 2, 2, 255),
	  -ENOENT, -EBADMSG, -ENOENT, -ENOENT },
	{ "absent", B(255), -ENOENT, -ENOENT, -ENOENT, -ENOENT },
	{ "malformed message", B(51, 4, 0, 0, 14, 16, 12), -EBADMSG, -EBADMSG, -EBADMSG, -EBADMSG },
};

static void test_getters_table(void **state)
{
	size_t i;

	for (i = 0; i < sizeof(get_cases) / sizeof(get_cases[0]); i++) {
		const struct get_case *c = &get_cases[i];
		uint8_t buf[1500];
		struct dhcp_msg m;
		uint32_t u32;
		uint16_t u16;
		uint8_t u8;
		struct in_addr a;
		int r;

		m.p = buf;
		m.len = mk_msg(buf, sizeof(buf), c->opts, c->olen, NONE, NONE);
		if ((r = dhcp_opt_u32(&m, 51, &u32)) != c->r_u32)
			fail_msg("%s: u32 %d", c->name, r);
		if (r == 0)
			assert_int_equal(u32, 3600);
		if ((r = dhcp_opt_addr(&m, 54, &a)) != c->r_addr)
			fail_msg("%s: addr %d", c->name, r);
		if (r == 0)
			assert_int_equal(a.s_addr, inet_addr("10.0.0.1"));
		if ((r = dhcp_opt_u16(&m, 26, &u16)) != c->r_u16)
			fail_msg("%s: u16 %d", c->name, r);
		if (r == 0)
			assert_int_equal(u16, 1500);
		if ((r = dhcp_opt_u8(&m, 53, &u8)) != c->r_u8)
			fail_msg("%s: u8 %d", c->name, r);
	}
}

static void test_addrs_and_strings(void **state)
{
	uint8_t buf[1500];
	struct dhcp_msg m = { buf, 0 };
	struct in_addr a[4];
	char s[16];

	m.len = mk_msg(buf, sizeof(buf), B(6, 8, 1, 1, 1, 1, 2, 2, 2, 2, 3, 6, 1, 2, 3, 4, 5, 6, 255),
		       NONE, NONE);
	assert_int_equal(dhcp_opt_addrs(&m, 6, a, 4), 2);
	assert_int_equal(a[1].s_addr, inet_addr("2.2.2.2"));
	assert_int_equal(dhcp_opt_addrs(&m, 6, a, 1), 1);
	assert_int_equal(dhcp_opt_addrs(&m, 3, a, 4), -EBADMSG); /* 6 bytes */

	m.len = mk_msg(buf, sizeof(buf), B(12, 5, 'n', 'o', 'd', 'e', 0, 15, 3, 'a', 0, 'b',
					   17, 0, 255), NONE, NONE);
	assert_int_equal(dhcp_opt_string(&m, 12, s, sizeof(s)), 4); /* trailing NUL dropped */
	assert_string_equal(s, "node");
	assert_int_equal(dhcp_opt_string(&m, 15, s, sizeof(s)), -EBADMSG); /* embedded NUL */
	assert_int_equal(dhcp_opt_string(&m, 17, s, sizeof(s)), -EBADMSG); /* empty */
	assert_int_equal(dhcp_opt_string(&m, 12, s, 4), -EMSGSIZE);
}

/* RFC 3396: a long option split over options, file and sname, in that order. */
static void test_rfc3396_concat_over_overload(void **state)
{
	uint8_t buf[1500], out[64];
	struct dhcp_msg m = { buf, 0 };

	m.len = mk_msg(buf, sizeof(buf), B(52, 1, 3, 17, 3, 's', 'r', 'v', 255),
		       B(17, 2, ':', '/', 255), B(17, 3, 'r', 'o', 'o', 255));
	assert_int_equal(dhcp_opt_get(&m, 17, out, sizeof(out)), 8);
	assert_memory_equal(out, "srv:/roo", 8);
	assert_int_equal(dhcp_opt_get(&m, 17, out, 7), -EMSGSIZE);
}

/* ---- classless routes (RFC 3442) and search list (RFC 3397) ---- */

struct route_case {
	const char *name;
	const uint8_t *p; size_t len;
	int expect;
	const char *dst0; int prefix0; const char *gw0;
};

static const struct route_case route_cases[] = {
	{ "default", B(0, 10, 0, 0, 1), 1, "0.0.0.0", 0, "10.0.0.1" },
	{ "/8", B(8, 10, 10, 0, 0, 1), 1, "10.0.0.0", 8, "10.0.0.1" },
	{ "/24 + default", B(24, 192, 168, 1, 10, 0, 0, 2, 0, 10, 0, 0, 1), 2, "192.168.1.0", 24, "10.0.0.2" },
	{ "/32 host", B(32, 1, 2, 3, 4, 10, 0, 0, 1), 1, "1.2.3.4", 32, "10.0.0.1" },
	{ "/9 masks extra bits", B(9, 10, 255, 0, 0, 0, 0), 1, "10.128.0.0", 9, "0.0.0.0" },
	{ "width 33", B(33, 1, 2, 3, 4, 5, 10, 0, 0, 1), -EBADMSG, NULL, 0, NULL },
	{ "truncated router", B(0, 10, 0, 0), -EBADMSG, NULL, 0, NULL },
	{ "truncated destination", B(24, 192, 168), -EBADMSG, NULL, 0, NULL },
	{ "second route truncated", B(0, 10, 0, 0, 1, 8), -EBADMSG, NULL, 0, NULL },
};

static void test_classless_table(void **state)
{
	size_t i;

	for (i = 0; i < sizeof(route_cases) / sizeof(route_cases[0]); i++) {
		const struct route_case *c = &route_cases[i];
		struct net_route r[4];
		int n = dhcp_parse_classless(c->p, c->len, r, 4);

		if (n != c->expect)
			fail_msg("%s: %d, expected %d", c->name, n, c->expect);
		if (n > 0) {
			assert_int_equal(r[0].dst.s_addr, inet_addr(c->dst0));
			assert_int_equal(r[0].prefix, c->prefix0);
			assert_int_equal(r[0].gw.s_addr, inet_addr(c->gw0));
		}
	}
	assert_int_equal(dhcp_parse_classless(NULL, 0, NULL, 0), -EBADMSG);
}

static void test_search_list(void **state)
{
	char names[4][NET_NAME_MAX];
	/* RFC 3397 §3 example: eng.apple.com, marketing.apple.com (pointer to 4) */
	static const uint8_t ok[] = { 3, 'e', 'n', 'g', 5, 'a', 'p', 'p', 'l', 'e', 3, 'c', 'o', 'm', 0,
				      9, 'm', 'a', 'r', 'k', 'e', 't', 'i', 'n', 'g', 0xc0, 4 };
	static const uint8_t loop[] = { 3, 'a', 'b', 'c', 0xc0, 0 };
	static const uint8_t fwd[] = { 0xc0, 2, 1, 'a', 0 };
	static const uint8_t trunc[] = { 5, 'a', 'b' };
	static const uint8_t reserved[] = { 0x41, 'a', 0 };
	static const uint8_t nul[] = { 3, 'a', 0, 'b', 0 };

	assert_int_equal(dhcp_parse_search(ok, sizeof(ok), names, 4), 2);
	assert_string_equal(names[0], "eng.apple.com");
	assert_string_equal(names[1], "marketing.apple.com");
	assert_int_equal(dhcp_parse_search(ok, sizeof(ok), names, 1), 1);
	assert_int_equal(dhcp_parse_search(loop, sizeof(loop), names, 4), -EBADMSG);
	assert_int_equal(dhcp_parse_search(fwd, sizeof(fwd), names, 4), -EBADMSG);
	assert_int_equal(dhcp_parse_search(trunc, sizeof(trunc), names, 4), -EBADMSG);
	assert_int_equal(dhcp_parse_search(reserved, sizeof(reserved), names, 4), -EBADMSG);
	assert_int_equal(dhcp_parse_search(nul, sizeof(nul), names, 4), -EBADMSG);
}

/* ---- lease extraction ---- */

#define GOOD_BASE 53, 1, 5, 54, 4, 10, 0, 0, 1, 51, 4, 0, 0, 14, 16, 1, 4, 255, 255, 255, 0

static void test_lease_good(void **state)
{
	uint8_t buf[1500];
	struct dhcp_msg m = { buf, 0 };
	struct net_lease l;
	int rej = 0;
	char a[INET_ADDRSTRLEN];

	m.len = mk_msg(buf, sizeof(buf),
		       B(GOOD_BASE, 3, 8, 10, 0, 0, 1, 10, 0, 0, 2, 6, 4, 10, 0, 0, 53,
			 7, 4, 10, 0, 0, 7, 12, 5, 'n', 'o', 'd', 'e', '1',
			 15, 12, 'e', 'x', 'a', 'm', 'p', 'l', 'e', '.', 'o', 'r', 'g', '.',
			 17, 15, '1', '0', '.', '0', '.', '0', '.', '1', ':', '/', 's', 'r', 'v', '/', 'r',
			 26, 2, 0x05, 0xdc, 28, 4, 10, 0, 0, 255, 42, 4, 10, 0, 0, 123,
			 66, 4, 't', 'f', 't', 'p', 67, 6, 'p', 'x', 'e', '.', '0', 0, 255),
		       B('i', 'g', 'n', 'o', 'r', 'e', 'd'), B('s', 'n', 'a', 'm', 'e'));
	memset(&l, 0, sizeof(l));
	assert_int_equal(dhcp_lease_from_msg(&m, &l, &rej), 0);
	assert_int_equal(rej, 0);
	assert_string_equal(net_ntoa(l.addr, a), "10.0.0.5");
	assert_int_equal(l.prefix, 24);
	assert_string_equal(net_ntoa(l.router, a), "10.0.0.1");
	assert_int_equal(l.nroutes, 1);
	assert_false(l.classless);
	assert_int_equal(l.ndns, 1);
	assert_string_equal(net_ntoa(l.dns[0], a), "10.0.0.53");
	assert_int_equal(l.nlog, 1);
	assert_int_equal(l.nntp, 1);
	assert_string_equal(l.hostname, "node1");
	assert_string_equal(l.domain, "example.org"); /* trailing dot dropped */
	assert_int_equal(l.nsearch, 1);
	assert_string_equal(l.search[0], "example.org");
	assert_string_equal(l.root_path, "10.0.0.1:/srv/r");
	assert_int_equal(l.mtu, 1500);
	assert_string_equal(net_ntoa(l.broadcast, a), "10.0.0.255");
	assert_string_equal(l.tftp_server, "tftp");   /* option 66 wins over sname */
	assert_string_equal(l.bootfile, "pxe.0");     /* option 67 wins over file */
	assert_string_equal(net_ntoa(l.siaddr, a), "10.0.0.1");
	assert_int_equal(l.lease_time, 3600);
	assert_int_equal(l.t1, 1800);
	assert_int_equal(l.t2, 3150);
	assert_true(dhcp_lease_has_boot_info(&l));
}

static void test_lease_fields_and_121(void **state)
{
	uint8_t buf[1500];
	struct dhcp_msg m = { buf, 0 };
	struct net_lease l;
	int rej = 0;
	char a[INET_ADDRSTRLEN];

	/* file/sname as BOOTP fields; 121 overrides 3 (RFC 3442 §3); no mask:
	 * classful (10/8); no lease time: infinite. */
	m.len = mk_msg(buf, sizeof(buf),
		       B(53, 1, 5, 54, 4, 10, 0, 0, 1, 3, 4, 10, 0, 0, 99,
			 121, 13, 24, 192, 168, 7, 10, 0, 0, 2, 0, 10, 0, 0, 1, 255),
		       B('b', 'o', 'o', 't', '/', 'x', '.', 'e', 'f', 'i'), B('s', 'r', 'v', '1'));
	memset(&l, 0, sizeof(l));
	assert_int_equal(dhcp_lease_from_msg(&m, &l, &rej), 0);
	assert_int_equal(rej, 0);
	assert_int_equal(l.prefix, 8);
	assert_true(l.classless);
	assert_int_equal(l.nroutes, 2);
	assert_string_equal(net_ntoa(l.router, a), "10.0.0.1"); /* from 121's default */
	assert_string_equal(l.bootfile, "boot/x.efi");
	assert_string_equal(l.tftp_server, "srv1");
	assert_int_equal(l.lease_time, NET_LEASE_INFINITE);
	assert_int_equal(l.nsearch, 0);

	/* malformed 121: falls back to option 3 and is counted */
	m.len = mk_msg(buf, sizeof(buf),
		       B(53, 1, 5, 54, 4, 10, 0, 0, 1, 3, 4, 10, 0, 0, 99, 121, 3, 40, 1, 2, 255),
		       NONE, NONE);
	rej = 0;
	assert_int_equal(dhcp_lease_from_msg(&m, &l, &rej), 0);
	assert_int_equal(rej, 1);
	assert_false(l.classless);
	assert_string_equal(net_ntoa(l.router, a), "10.0.0.99");
}

/* Overloaded file field carries the bootfile option; the field is not a name. */
static void test_lease_overload(void **state)
{
	uint8_t buf[1500];
	struct dhcp_msg m = { buf, 0 };
	struct net_lease l;
	int rej = 0;

	m.len = mk_msg(buf, sizeof(buf), B(GOOD_BASE, 52, 1, 3, 255),
		       B(67, 4, 'a', '.', 'e', 'f', 255), B(12, 2, 'h', '1', 255));
	memset(&l, 0, sizeof(l));
	assert_int_equal(dhcp_lease_from_msg(&m, &l, &rej), 0);
	assert_int_equal(rej, 0);
	assert_string_equal(l.bootfile, "a.ef");
	assert_string_equal(l.hostname, "h1");
	assert_string_equal(l.tftp_server, "");
}

/* Hostile strings: each is dropped and counted, the lease stays usable. */
struct evil_case {
	const char *name;
	uint8_t code;
	const char *val;
	size_t len;
};

static char long255[256];

static const struct evil_case evil_cases[] = {
	{ "host name with ;", 12, "a;reboot", 8 },
	{ "host name with $()", 12, "$(reboot)", 9 },
	{ "host name with /", 12, "a/b", 3 },
	{ "host name ..", 12, "..", 2 },
	{ "host name with space", 12, "a b", 3 },
	{ "host name with NUL inside", 12, "ab\0cd", 5 },
	{ "host name with newline", 12, "ab\nX=1", 6 },
	{ "host name with quote", 12, "a'b", 3 },
	{ "host name label over 63", 12, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", 76 },
	{ "domain with `", 15, "ex`id`.org", 10 },
	{ "domain ../..", 15, "../..", 5 },
	{ "root-path with ;", 17, "10.0.0.1:/srv;rm -rf /", 22 },
	{ "root-path with ..", 17, "10.0.0.1:/srv/../etc", 20 },
	{ "root-path with space", 17, "/srv/a b", 8 },
	{ "root-path with $", 17, "/srv/$HOME", 10 },
	{ "root-path with quote", 17, "/srv/'x'", 8 },
	{ "bootfile ..", 67, "../../etc/shadow", 16 },
	{ "bootfile with |", 67, "a|b", 3 },
	{ "bootfile control char", 67, "a\x1b[2Jb", 7 },
	{ "tftp server with /", 66, "srv/x", 5 },
};

static void put_long_option(uint8_t *opts, size_t *olen, uint8_t code, const char *val, size_t len)
{
	/* split per RFC 3396 when over 255 */
	while (len > 0) {
		size_t c = len > 255 ? 255 : len;

		opts[(*olen)++] = code;
		opts[(*olen)++] = (uint8_t)c;
		memcpy(opts + *olen, val, c);
		*olen += c;
		val += c;
		len -= c;
	}
}

static void test_lease_evil_table(void **state)
{
	size_t i;

	for (i = 0; i < sizeof(evil_cases) / sizeof(evil_cases[0]); i++) {
		const struct evil_case *c = &evil_cases[i];
		static const uint8_t base[] = { GOOD_BASE };
		uint8_t opts[1200], buf[1500];
		size_t olen = sizeof(base);
		struct dhcp_msg m = { buf, 0 };
		struct net_lease l;
		int rej = 0;

		memcpy(opts, base, sizeof(base));
		put_long_option(opts, &olen, c->code, c->val, c->len);
		opts[olen++] = 255;
		m.len = mk_msg(buf, sizeof(buf), opts, olen, NONE, NONE);
		memset(&l, 0, sizeof(l));
		if (dhcp_lease_from_msg(&m, &l, &rej) != 0)
			fail_msg("%s: lease refused", c->name);
		if (rej != 1)
			fail_msg("%s: rejected %d", c->name, rej);
		if (l.hostname[0] || l.domain[0] || l.root_path[0] || l.bootfile[0] || l.tftp_server[0])
			fail_msg("%s: value kept", c->name);
	}
}

/* 255-byte values: host name over 253, root-path at the 255 limit. */
static void test_lease_long_values(void **state)
{
	static const uint8_t base[] = { GOOD_BASE };
	uint8_t opts[1200], buf[1500];
	size_t olen = sizeof(base);
	struct dhcp_msg m = { buf, 0 };
	struct net_lease l;
	char path[600];
	int rej = 0;
	size_t i;

	for (i = 0; i < 255; i++)
		long255[i] = (i % 10 == 9) ? '.' : 'a';
	memcpy(opts, base, sizeof(base));
	put_long_option(opts, &olen, 12, long255, 255);
	/* a 300-byte root path split over two options (RFC 3396) */
	path[0] = '/';
	for (i = 1; i < 300; i++)
		path[i] = 'p';
	put_long_option(opts, &olen, 17, path, 300);
	/* a 254-byte bootfile: fits */
	put_long_option(opts, &olen, 67, path, 254);
	opts[olen++] = 255;
	m.len = mk_msg(buf, sizeof(buf), opts, olen, NONE, NONE);
	memset(&l, 0, sizeof(l));
	assert_int_equal(dhcp_lease_from_msg(&m, &l, &rej), 0);
	assert_int_equal(rej, 2);
	assert_string_equal(l.hostname, "");
	assert_string_equal(l.root_path, "");
	assert_int_equal(strlen(l.bootfile), 254);
}

struct refuse_case {
	const char *name;
	const uint8_t *opts; size_t olen;
	int yiaddr_zero;
};

static const struct refuse_case refuse_cases[] = {
	{ "no server id", B(53, 1, 5, 1, 4, 255, 255, 255, 0, 255), 0 },
	{ "server id 0.0.0.0", B(53, 1, 5, 54, 4, 0, 0, 0, 0, 255), 0 },
	{ "server id length 3", B(53, 1, 5, 54, 3, 10, 0, 0, 255), 0 },
	{ "yiaddr 0.0.0.0", B(GOOD_BASE, 255), 1 },
	{ "malformed options", B(GOOD_BASE, 12, 9, 'a'), 0 },
};

static void test_lease_refused_table(void **state)
{
	size_t i;

	for (i = 0; i < sizeof(refuse_cases) / sizeof(refuse_cases[0]); i++) {
		const struct refuse_case *c = &refuse_cases[i];
		uint8_t buf[1500];
		struct dhcp_msg m = { buf, 0 };
		struct net_lease l;

		m.len = mk_msg(buf, sizeof(buf), c->opts, c->olen, NONE, NONE);
		if (c->yiaddr_zero)
			memset(buf + DHCP_OFF_YIADDR, 0, 4);
		if (dhcp_lease_from_msg(&m, &l, NULL) != -EBADMSG)
			fail_msg("%s: accepted", c->name);
	}
}

static void test_lease_bad_optional(void **state)
{
	uint8_t buf[1500];
	struct dhcp_msg m = { buf, 0 };
	struct net_lease l;
	int rej = 0;

	/* mask not contiguous (classful /8 used), MTU 60, broadcast elsewhere,
	 * DNS 3 bytes, lease time 0, routers 127.0.0.1 (unusable: skipped) */
	m.len = mk_msg(buf, sizeof(buf),
		       B(53, 1, 5, 54, 4, 10, 0, 0, 1, 1, 4, 255, 0, 255, 0, 26, 2, 0, 60,
			 28, 4, 192, 168, 0, 255, 6, 3, 1, 1, 1, 51, 4, 0, 0, 0, 0,
			 3, 4, 127, 0, 0, 1, 255), NONE, NONE);
	assert_int_equal(dhcp_lease_from_msg(&m, &l, &rej), 0);
	assert_int_equal(rej, 5);
	assert_int_equal(l.prefix, 8);
	assert_int_equal(l.mtu, 0);
	assert_int_equal(l.ndns, 0);
	assert_int_equal(l.nroutes, 0);
	assert_int_equal(l.lease_time, NET_LEASE_INFINITE);
}

/* ---- frames ---- */

/* Wrap a message into IPv4/UDP from 10.0.0.1:67 to 255.255.255.255:68. */
static size_t mk_frame(uint8_t *f, const uint8_t *msg, size_t mlen)
{
	struct in_addr s = { inet_addr("10.0.0.1") }, d = { 0xffffffff };
	size_t tot = 28 + mlen;
	uint16_t c;

	memset(f, 0, 28);
	f[0] = 0x45;
	f[2] = (uint8_t)(tot >> 8);
	f[3] = (uint8_t)tot;
	f[8] = 64;
	f[9] = 17;
	memcpy(f + 12, &s, 4);
	memcpy(f + 16, &d, 4);
	c = dhcp_ip_checksum(f, 20);
	f[10] = (uint8_t)(c >> 8);
	f[11] = (uint8_t)c;
	f[21] = 67;
	f[23] = 68;
	f[24] = (uint8_t)((8 + mlen) >> 8);
	f[25] = (uint8_t)(8 + mlen);
	memcpy(f + 28, msg, mlen);
	c = dhcp_udp_checksum(s, d, f + 20, 8 + mlen);
	f[26] = (uint8_t)(c >> 8);
	f[27] = (uint8_t)c;
	return tot;
}

static void fix_ip_csum(uint8_t *f)
{
	uint16_t c;

	f[10] = f[11] = 0;
	c = dhcp_ip_checksum(f, (size_t)(f[0] & 15) * 4);
	f[10] = (uint8_t)(c >> 8);
	f[11] = (uint8_t)c;
}

enum mut {
	M_NONE, M_VERSION, M_IHL4, M_IHL_BIG, M_TOT_BIG, M_TOT_SMALL, M_IPCSUM, M_UDPCSUM,
	M_UDPCSUM_UNCHECKED, M_UDPCSUM_ZERO, M_ULEN_BIG, M_ULEN_SMALL, M_MAGIC, M_FRAG,
	M_MF, M_PORT, M_OP, M_HLEN, M_PROTO, M_PADDING, M_SHORT_MSG, M_TRUNC,
};

struct frame_case {
	const char *name;
	enum mut mut;
	int expect;
};

static const struct frame_case frame_cases[] = {
	{ "good", M_NONE, 0 },
	{ "IPv6 version", M_VERSION, -EPROTO },
	{ "IHL 4", M_IHL4, -EBADMSG },
	{ "IHL beyond packet", M_IHL_BIG, -EBADMSG },
	{ "total length beyond packet", M_TOT_BIG, -EBADMSG },
	{ "total length below headers", M_TOT_SMALL, -EBADMSG },
	{ "bad IP checksum", M_IPCSUM, -EBADMSG },
	{ "bad UDP checksum", M_UDPCSUM, -EBADMSG },
	{ "bad UDP checksum, kernel says not computed", M_UDPCSUM_UNCHECKED, 0 },
	{ "UDP checksum 0 = none", M_UDPCSUM_ZERO, 0 },
	{ "UDP length beyond IP", M_ULEN_BIG, -EBADMSG },
	{ "UDP length below 8", M_ULEN_SMALL, -EBADMSG },
	{ "bad magic cookie", M_MAGIC, -EBADMSG },
	{ "fragment offset", M_FRAG, -EPROTO },
	{ "more fragments", M_MF, -EPROTO },
	{ "to port 67", M_PORT, -EPROTO },
	{ "BOOTREQUEST", M_OP, -EPROTO },
	{ "hlen 16", M_HLEN, -EPROTO },
	{ "TCP", M_PROTO, -EPROTO },
	{ "Ethernet padding after the packet", M_PADDING, 0 },
	{ "message shorter than 240", M_SHORT_MSG, -EBADMSG },
	{ "packet shorter than its IP header", M_TRUNC, -EPROTO },
};

static void test_frame_table(void **state)
{
	size_t i;

	for (i = 0; i < sizeof(frame_cases) / sizeof(frame_cases[0]); i++) {
		const struct frame_case *c = &frame_cases[i];
		uint8_t msg[1500], f[1600];
		size_t mlen = mk_msg(msg, sizeof(msg), B(GOOD_BASE, 255), NONE, NONE);
		size_t len;
		bool unchecked = false;
		struct dhcp_msg m;
		int r;

		if (c->mut == M_SHORT_MSG)
			mlen = 200;
		if (c->mut == M_OP)
			msg[0] = 1;
		if (c->mut == M_HLEN)
			msg[2] = 16;
		if (c->mut == M_MAGIC)
			msg[236] = 0x64;
		len = mk_frame(f, msg, mlen);
		switch (c->mut) {
		case M_VERSION: f[0] = 0x65; break;
		case M_IHL4: f[0] = 0x44; break;
		case M_IHL_BIG: f[0] = 0x4f; len = 40; break;
		case M_TOT_BIG: f[2] = 0x10; fix_ip_csum(f); break;
		case M_TOT_SMALL: f[2] = 0; f[3] = 20; fix_ip_csum(f); break;
		case M_IPCSUM: f[10] ^= 1; break;
		case M_UDPCSUM: f[27] ^= 1; break;
		case M_UDPCSUM_UNCHECKED: f[27] ^= 1; unchecked = true; break;
		case M_UDPCSUM_ZERO: f[26] = f[27] = 0; break;
		case M_ULEN_BIG: f[24] = 0x10; break;
		case M_ULEN_SMALL: f[24] = 0; f[25] = 4; break;
		case M_FRAG: f[7] = 1; fix_ip_csum(f); break;
		case M_MF: f[6] = 0x20; fix_ip_csum(f); break;
		case M_PORT: f[23] = 67; break;
		case M_PROTO: f[9] = 6; fix_ip_csum(f); break;
		case M_PADDING: memset(f + len, 0xee, 40); len += 40; break;
		case M_TRUNC: len = 19; break;
		default: break;
		}
		r = dhcp_frame_parse(f, len, unchecked, &m);
		if (r != c->expect)
			fail_msg("%s: %d, expected %d", c->name, r, c->expect);
		if (r == 0) {
			assert_int_equal(m.len, mlen);
			assert_true(dhcp_msg_is_ours(&m, XID, MAC));
			assert_int_equal(dhcp_msg_type(&m), DHCPACK);
		}
	}
}

static void test_msg_is_ours(void **state)
{
	uint8_t buf[1500];
	struct dhcp_msg m = { buf, 0 };
	uint8_t other[6] = { 0x52, 0x54, 0, 0x12, 0x34, 0x57 };

	m.len = mk_msg(buf, sizeof(buf), B(53, 1, 9, 255), NONE, NONE);
	assert_true(dhcp_msg_is_ours(&m, XID, MAC));
	assert_false(dhcp_msg_is_ours(&m, XID + 1, MAC));
	assert_false(dhcp_msg_is_ours(&m, XID, other));
	assert_int_equal(dhcp_msg_type(&m), -EBADMSG); /* type 9 */
}

/* ---- building ---- */

static void test_build_discover(void **state)
{
	uint8_t f[1500], out[400];
	struct dhcp_client_id id = { MAC, "netinit", "node7" };
	struct in_addr none = { 0 }, req = { inet_addr("10.0.0.5") }, srv = { inet_addr("10.0.0.1") };
	struct dhcp_msg m;
	int len;
	uint8_t t;

	len = dhcp_build(f, sizeof(f), DHCPREQUEST, XID, 3, &id, req, srv, none);
	assert_true(len >= 328);
	assert_int_equal(dhcp_ip_checksum(f, 20), 0);
	assert_int_equal(dhcp_udp_checksum((struct in_addr){ 0 }, (struct in_addr){ 0xffffffff },
					   f + 20, (size_t)len - 20), 0);
	m.p = f + 28;
	m.len = (size_t)len - 28;
	assert_int_equal(dhcp_opt_check(&m), 0);
	assert_true(dhcp_msg_is_ours(&m, XID, MAC));
	assert_int_equal(dhcp_opt_u8(&m, DHO_MSG_TYPE, &t), 0);
	assert_int_equal(t, DHCPREQUEST);
	assert_int_equal(dhcp_opt_get(&m, DHO_CLIENT_ID, out, sizeof(out)), 7);
	assert_int_equal(out[0], 1);
	assert_memory_equal(out + 1, MAC, 6);
	assert_int_equal(dhcp_opt_get(&m, DHO_VENDOR_CLASS, out, sizeof(out)), 7);
	assert_int_equal(dhcp_opt_get(&m, DHO_HOSTNAME, out, sizeof(out)), 5);
	assert_int_equal(dhcp_opt_get(&m, DHO_REQUESTED_IP, out, sizeof(out)), 4);
	assert_int_equal(dhcp_opt_get(&m, DHO_SERVER_ID, out, sizeof(out)), 4);
	assert_true(dhcp_opt_get(&m, DHO_PARAM_REQ, out, sizeof(out)) >= 17);
	assert_int_equal(f[28 + 10], 0); /* no broadcast flag: raw socket sees unicast */
	assert_int_equal(f[28 + 9], 3);  /* secs */
}

/* A vendor class over 255 bytes is split (RFC 3396) and read back whole. */
static void test_build_long_option_split(void **state)
{
	uint8_t f[1500], out[600];
	char vc[301];
	struct dhcp_client_id id = { MAC, vc, NULL };
	struct in_addr none = { 0 };
	struct dhcp_msg m;
	int len;

	memset(vc, 'v', 300);
	vc[300] = '\0';
	len = dhcp_build(f, sizeof(f), DHCPDISCOVER, XID, 0, &id, none, none, none);
	assert_true(len > 0);
	m.p = f + 28;
	m.len = (size_t)len - 28;
	assert_int_equal(dhcp_opt_get(&m, DHO_VENDOR_CLASS, out, sizeof(out)), 300);
	assert_int_equal(dhcp_build(f, 200, DHCPDISCOVER, XID, 0, &id, none, none, none), -ENOSPC);
	assert_int_equal(dhcp_build(f, 400, DHCPDISCOVER, XID, 0, &id, none, none, none), -ENOSPC);
}

/* ---- validators ---- */

static void test_path_valid(void **state)
{
	static const struct { const char *p; bool ok; } t[] = {
		{ "10.0.0.1:/srv/nfs/root", true },
		{ "nfs:10.0.0.1:/srv/r,vers=3", true },
		{ "http://boot.example.org/img/root.squashfs", true },
		{ "pxelinux.0", true },
		{ "[fd00::1]:/srv", true },
		{ "/srv/a..b", true },
		{ "/srv/..", false },
		{ "../x", false },
		{ "a/../b", false },
		{ "..", false },
		{ "srv:..", false },
		{ "", false },
		{ "a b", false },
		{ "a;b", false },
		{ "a&b", false },
		{ "a$b", false },
		{ "a`b`", false },
		{ "a\"b", false },
		{ "a'b", false },
		{ "a\\b", false },
		{ "a\nb", false },
		{ "a*b", false },
		{ "a?b", false },
		{ "a|b", false },
		{ "a>b", false },
		{ "\xc3\xa9", false },
	};
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		if (net_path_valid(t[i].p) != t[i].ok)
			fail_msg("net_path_valid(\"%s\") != %d", t[i].p, t[i].ok);
	memset(long255, 'a', 255);
	long255[255] = '\0';
	assert_false(net_path_valid(long255));
	long255[254] = '\0';
	assert_true(net_path_valid(long255));
}

static void test_mask_helpers(void **state)
{
	assert_int_equal(net_mask_to_prefix((struct in_addr){ inet_addr("255.255.255.0") }), 24);
	assert_int_equal(net_mask_to_prefix((struct in_addr){ inet_addr("255.255.255.255") }), 32);
	assert_int_equal(net_mask_to_prefix((struct in_addr){ 0 }), 0);
	assert_int_equal(net_mask_to_prefix((struct in_addr){ inet_addr("255.0.255.0") }), -1);
	assert_int_equal(net_prefix_to_mask(20).s_addr, inet_addr("255.255.240.0"));
	assert_int_equal(net_prefix_to_mask(0).s_addr, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_iter_table),
		cmocka_unit_test(test_iter_short),
		cmocka_unit_test(test_getters_table),
		cmocka_unit_test(test_addrs_and_strings),
		cmocka_unit_test(test_rfc3396_concat_over_overload),
		cmocka_unit_test(test_classless_table),
		cmocka_unit_test(test_search_list),
		cmocka_unit_test(test_lease_good),
		cmocka_unit_test(test_lease_fields_and_121),
		cmocka_unit_test(test_lease_overload),
		cmocka_unit_test(test_lease_evil_table),
		cmocka_unit_test(test_lease_long_values),
		cmocka_unit_test(test_lease_refused_table),
		cmocka_unit_test(test_lease_bad_optional),
		cmocka_unit_test(test_frame_table),
		cmocka_unit_test(test_msg_is_ours),
		cmocka_unit_test(test_build_discover),
		cmocka_unit_test(test_build_long_option_split),
		cmocka_unit_test(test_path_valid),
		cmocka_unit_test(test_mask_helpers),
	};

	log_set_level(NL_ERR); /* the rejections are expected */
	return cmocka_run_group_tests(tests, NULL, NULL);
}
