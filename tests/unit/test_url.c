// SPDX-License-Identifier: MIT
/* URL parsing, resolution, %h/%m expansion and the mirror order. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "url.h"

static const struct {
	const char *in;
	int ret;
	int scheme;
	const char *host;
	unsigned port;
	const char *path;
} parse_cases[] = {
	{ "http://10.0.2.2/root.img", 0, URL_HTTP, "10.0.2.2", 80, "/root.img" },
	{ "HTTP://10.0.2.2:8080/a/b?x=1#frag", 0, URL_HTTP, "10.0.2.2", 8080, "/a/b?x=1" },
	{ "tftp://server/boot/root.cpio", 0, URL_TFTP, "server", 69, "/boot/root.cpio" },
	{ "live:http://1.2.3.4/squash", 0, URL_HTTP, "1.2.3.4", 80, "/squash" },
	{ "http://[::1]:81/x", 0, URL_HTTP, "::1", 81, "/x" },
	{ "http://host", 0, URL_HTTP, "host", 80, "/" },
	{ "http://host:0/x", -EINVAL, 0, NULL, 0, NULL },
	{ "http://host:65536/x", -EINVAL, 0, NULL, 0, NULL },
	{ "http://host:/x", -EINVAL, 0, NULL, 0, NULL },
	{ "http://user:pw@host/x", -EINVAL, 0, NULL, 0, NULL },
	{ "http:///x", -EINVAL, 0, NULL, 0, NULL },
	{ "http://ho st/x", -EINVAL, 0, NULL, 0, NULL },
	{ "http://host/a b", -EINVAL, 0, NULL, 0, NULL },
	{ "http://host/a\x01", -EINVAL, 0, NULL, 0, NULL },
	{ "http://[::1/x", -EINVAL, 0, NULL, 0, NULL },
	{ "http://[zz]/x", -EINVAL, 0, NULL, 0, NULL },
	{ "https://host/x", -EPROTONOSUPPORT, 0, NULL, 0, NULL },
	{ "nfs://host/x", -EPROTONOSUPPORT, 0, NULL, 0, NULL },
	{ "/dev/nfs", -EINVAL, 0, NULL, 0, NULL },
	{ "", -EINVAL, 0, NULL, 0, NULL },
	{ "http://host?q", -EINVAL, 0, NULL, 0, NULL },
};

static void test_parse(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(parse_cases) / sizeof(parse_cases[0]); i++) {
		struct url u;
		int r = url_parse(parse_cases[i].in, &u);
		if (r != parse_cases[i].ret)
			fail_msg("case %zu '%s': got %d want %d", i, parse_cases[i].in, r, parse_cases[i].ret);
		if (r)
			continue;
		assert_int_equal(u.scheme, parse_cases[i].scheme);
		assert_string_equal(u.host, parse_cases[i].host);
		assert_int_equal(u.port, parse_cases[i].port);
		assert_string_equal(u.path, parse_cases[i].path);
	}
}

static void test_format_roundtrip(void **state)
{
	(void)state;
	const char *in[] = { "http://10.0.2.2/root.img", "tftp://h:1069/x", "http://[::1]:81/x" };
	for (size_t i = 0; i < 3; i++) {
		struct url u;
		char out[URL_MAX];
		assert_int_equal(url_parse(in[i], &u), 0);
		assert_true(url_format(&u, out, sizeof(out)) > 0);
		assert_string_equal(out, in[i]);
	}
}

static void test_resolve(void **state)
{
	(void)state;
	static const struct { const char *ref, *want; } c[] = {
		{ "http://other:81/new", "http://other:81/new" },
		{ "//other/p", "http://other/p" },
		{ "/abs/path", "http://base:8080/abs/path" },
		{ "rel.img", "http://base:8080/dir/rel.img" },
		{ "tftp://t/x", "tftp://t/x" },
	};
	struct url base, out;
	char buf[URL_MAX];
	assert_int_equal(url_parse("http://base:8080/dir/file?q=1", &base), 0);
	for (size_t i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		assert_int_equal(url_resolve(&base, c[i].ref, &out), 0);
		url_format(&out, buf, sizeof(buf));
		assert_string_equal(buf, c[i].want);
	}
	assert_int_not_equal(url_resolve(&base, "/a b", &out), 0);
}

static void test_expand(void **state)
{
	(void)state;
	const uint8_t mac[6] = { 0x52, 0x54, 0x00, 0xab, 0xcd, 0xef };
	char out[URL_MAX];
	assert_int_equal(url_expand("http://s/%h/%m.img", "node7", mac, out, sizeof(out)), 0);
	assert_string_equal(out, "http://s/node7/52-54-00-ab-cd-ef.img");
	assert_int_equal(url_expand("http://s/a%20b%%", "n", mac, out, sizeof(out)), 0);
	assert_string_equal(out, "http://s/a%20b%25");
	assert_int_equal(url_expand("http://s/%h", "", mac, out, sizeof(out)), -ENXIO);
	assert_int_equal(url_expand("http://s/%h", "../x", mac, out, sizeof(out)), -ENXIO);
	assert_int_equal(url_expand("http://s/%h", "a/b", mac, out, sizeof(out)), -ENXIO);
	assert_int_equal(url_expand("http://s/%m", "n", NULL, out, sizeof(out)), -ENXIO);
	assert_int_equal(url_expand("http://s/%s", "n", mac, out, sizeof(out)), -EINVAL);
	assert_int_equal(url_expand("http://s/%", "n", mac, out, sizeof(out)), -EINVAL);
	assert_int_equal(url_expand("http://s/%h", "n", mac, out, 10), -ENOSPC);
}

static void test_decode(void **state)
{
	(void)state;
	char out[64];
	assert_int_equal(url_decode_path("a%20b", out, sizeof(out)), 0);
	assert_string_equal(out, "a b");
	assert_int_equal(url_decode_path("a%00b", out, sizeof(out)), -EINVAL);
	assert_int_equal(url_decode_path("a%2", out, sizeof(out)), -EINVAL);
	assert_int_equal(url_decode_path("a%zz", out, sizeof(out)), -EINVAL);
}

static void test_mirror_order(void **state)
{
	(void)state;
	size_t a[8], b[8];
	int first[8] = { 0 };
	url_mirror_order(8, 42, a);
	url_mirror_order(8, 42, b);
	assert_memory_equal(a, b, sizeof(a)); /* same host, same order */
	unsigned seen = 0;
	for (int i = 0; i < 8; i++)
		seen |= 1u << a[i];
	assert_int_equal(seen, 0xff); /* a permutation */
	/* a rack of hosts spreads its first choice over all mirrors */
	for (uint8_t host = 0; host < 200; host++) {
		uint8_t mac[6] = { 0x52, 0x54, 0, 0, 1, host };
		url_mirror_order(4, url_seed(mac, 6), a);
		first[a[0]]++;
	}
	for (int i = 0; i < 4; i++)
		assert_true(first[i] > 25);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse),          cmocka_unit_test(test_format_roundtrip),
		cmocka_unit_test(test_resolve),        cmocka_unit_test(test_expand),
		cmocka_unit_test(test_decode),         cmocka_unit_test(test_mirror_order),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
