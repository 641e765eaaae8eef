/* SPDX-License-Identifier: MIT */
/* The DNS stub resolver's wire format, table-driven with raw answers. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <errno.h>
#include <string.h>

#include "dns.h"
#include "log.h"

#define B(...) (const uint8_t[]){ __VA_ARGS__ }, sizeof((const uint8_t[]){ __VA_ARGS__ })
#define Q 4, 'b', 'o', 'o', 't', 7, 'e', 'x', 'a', 'm', 'p', 'l', 'e', 3, 'o', 'r', 'g', 0
#define QTAIL 0, 1, 0, 1
#define HDR(flags2, flags3, an) 0xab, 0xcd, flags2, flags3, 0, 1, 0, an, 0, 0, 0, 0

static void test_build_query(void **state)
{
	uint8_t buf[300];
	static const uint8_t expect[] = { HDR(1, 0, 0), Q, QTAIL };

	assert_int_equal(dns_build_query("boot.example.org", 0xabcd, buf, sizeof(buf)), sizeof(expect));
	assert_memory_equal(buf, expect, sizeof(expect));
	assert_int_equal(dns_build_query("a..b", 1, buf, sizeof(buf)), -EINVAL);
	assert_int_equal(dns_build_query("", 1, buf, sizeof(buf)), -EINVAL);
	assert_int_equal(dns_build_query("boot.example.org", 1, buf, 20), -EINVAL);
}

struct resp_case {
	const char *name;
	const uint8_t *p; size_t len;
	int expect;
	const char *addr;
};

static const struct resp_case resp_cases[] = {
	{ "A record", B(HDR(0x81, 0x80, 1), Q, QTAIL,
			0xc0, 12, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 10, 0, 0, 9), 0, "10.0.0.9" },
	{ "CNAME then A", B(HDR(0x81, 0x80, 2), Q, QTAIL,
			    0xc0, 12, 0, 5, 0, 1, 0, 0, 0, 60, 0, 6, 3, 'w', 'w', 'w', 0xc0, 17,
			    3, 'w', 'w', 'w', 0xc0, 17, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 10, 0, 0, 7),
	  0, "10.0.0.7" },
	{ "A before CNAME", B(HDR(0x81, 0x80, 2), Q, QTAIL,
			      3, 'w', 'w', 'w', 0xc0, 17, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 10, 0, 0, 7,
			      0xc0, 12, 0, 5, 0, 1, 0, 0, 0, 60, 0, 2, 0xc0, 34),
	  0, "10.0.0.7" },
	{ "A of another name only", B(HDR(0x81, 0x80, 1), Q, QTAIL,
				      1, 'x', 0, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 10, 0, 0, 9), -ENOENT, NULL },
	{ "NXDOMAIN", B(HDR(0x81, 0x83, 0), Q, QTAIL), -ENOENT, NULL },
	{ "no data", B(HDR(0x81, 0x80, 0), Q, QTAIL), -ENOENT, NULL },
	{ "SERVFAIL", B(HDR(0x81, 0x82, 0), Q, QTAIL), -EAGAIN, NULL },
	{ "truncated", B(HDR(0x83, 0x80, 0), Q, QTAIL), -EAGAIN, NULL },
	{ "wrong id", B(0xab, 0xce, 0x81, 0x80, 0, 1, 0, 0, 0, 0, 0, 0, Q, QTAIL), -EBADMSG, NULL },
	{ "a query, not a response", B(HDR(0x01, 0x00, 0), Q, QTAIL), -EBADMSG, NULL },
	{ "other question", B(HDR(0x81, 0x80, 0), 1, 'x', 0, QTAIL), -EBADMSG, NULL },
	{ "question type AAAA", B(HDR(0x81, 0x80, 0), Q, 0, 28, 0, 1), -EBADMSG, NULL },
	{ "short header", B(0xab, 0xcd, 0x81), -EBADMSG, NULL },
	{ "rdlength past the end", B(HDR(0x81, 0x80, 1), Q, QTAIL,
				     0xc0, 12, 0, 1, 0, 1, 0, 0, 0, 60, 0, 40, 10, 0, 0, 9), -EBADMSG, NULL },
	{ "A with rdlength 3", B(HDR(0x81, 0x80, 1), Q, QTAIL,
				 0xc0, 12, 0, 1, 0, 1, 0, 0, 0, 60, 0, 3, 10, 0, 0), -ENOENT, NULL },
	{ "pointer loop", B(HDR(0x81, 0x80, 1), Q, QTAIL,
			    0xc0, 34, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 10, 0, 0, 9), -EBADMSG, NULL },
	{ "forward pointer", B(HDR(0x81, 0x80, 1), Q, QTAIL,
			       0xc0, 40, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 10, 0, 0, 9), -EBADMSG, NULL },
	{ "CNAME loop", B(HDR(0x81, 0x80, 2), Q, QTAIL,
			  0xc0, 12, 0, 5, 0, 1, 0, 0, 0, 60, 0, 6, 3, 'w', 'w', 'w', 0xc0, 17,
			  3, 'w', 'w', 'w', 0xc0, 17, 0, 5, 0, 1, 0, 0, 0, 60, 0, 2, 0xc0, 12), -ENOENT, NULL },
	{ "class CH", B(HDR(0x81, 0x80, 1), Q, QTAIL,
			0xc0, 12, 0, 1, 0, 3, 0, 0, 0, 60, 0, 4, 10, 0, 0, 9), -ENOENT, NULL },
};

static void test_response_table(void **state)
{
	size_t i;

	for (i = 0; i < sizeof(resp_cases) / sizeof(resp_cases[0]); i++) {
		const struct resp_case *c = &resp_cases[i];
		struct in_addr a = { 0 };
		int r = dns_parse_response(c->p, c->len, 0xabcd, "boot.example.org", &a);

		if (r != c->expect)
			fail_msg("%s: %d, expected %d", c->name, r, c->expect);
		if (r == 0 && a.s_addr != inet_addr(c->addr))
			fail_msg("%s: wrong address", c->name);
	}
}

static void test_resolv_conf(void **state)
{
	struct in_addr s[3];
	char search[4][NET_NAME_MAX];
	size_t ns, nsearch;

	dns_parse_resolv_conf("# comment\nnameserver 10.0.0.1\nnameserver ::1\n"
			      "domain old.org\nsearch a.org b;c.org  c.org\n"
			      "nameserver 10.0.0.2\noptions ndots:2\nnameserver 10.0.0.3\nnameserver 10.0.0.4",
			      s, &ns, 3, search, &nsearch, 4);
	assert_int_equal(ns, 3);
	assert_int_equal(s[2].s_addr, inet_addr("10.0.0.3"));
	assert_int_equal(nsearch, 2);
	assert_string_equal(search[0], "a.org");
	assert_string_equal(search[1], "c.org");
}

static void test_resolve_errors(void **state)
{
	struct in_addr a;

	assert_int_equal(dns_resolve("a;b", NULL, 0, NULL, 0, &a), -EINVAL);
	assert_int_equal(dns_resolve("", NULL, 0, NULL, 0, &a), -EINVAL);
	assert_int_equal(dns_resolve("boot", NULL, 0, NULL, 0, &a), -ENONET);
	assert_int_equal(net_resolve(NULL, "192.0.2.7", &a), 0);
	assert_int_equal(a.s_addr, inet_addr("192.0.2.7"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_build_query),
		cmocka_unit_test(test_response_table),
		cmocka_unit_test(test_resolv_conf),
		cmocka_unit_test(test_resolve_errors),
	};

	log_set_level(NL_ERR);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
