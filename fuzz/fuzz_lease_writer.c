/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target for the lease writer (net/lease.c): a struct net_lease
 * filled with arbitrary bytes (strings not terminated, counts out of
 * range, names with quotes, newlines, '/', "..") must still produce only
 * KEY='value' lines of printable ASCII without a quote inside a value, and
 * every HOSTNAME/ROOT_PATH/... written must pass its validation rule.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "net.h"
#include "cmdline.h"
#include "log.h"

#define CHECK(c) do { if (!(c)) abort(); } while (0)

static void check_value(const char *key, size_t klen, const char *v, size_t vlen)
{
	char val[2048];

	CHECK(vlen < sizeof(val));
	memcpy(val, v, vlen);
	val[vlen] = '\0';
	if (klen == 8 && !memcmp(key, "HOSTNAME", 8))
		CHECK(hostname_valid(val));
	if (klen == 6 && !memcmp(key, "DOMAIN", 6))
		CHECK(hostname_valid(val));
	if (klen == 9 && !memcmp(key, "ROOT_PATH", 9))
		CHECK(net_path_valid(val));
	if (klen == 8 && !memcmp(key, "BOOTFILE", 8))
		CHECK(net_path_valid(val));
	if (klen == 6 && !memcmp(key, "IFNAME", 6))
		CHECK(!strchr(val, '/') && strcmp(val, "..") != 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char text[16384];
	static int quiet;
	struct net_lease l;
	const char *t;
	int r;

	if (!quiet) {
		log_set_level(0);
		quiet = 1;
	}
	memset(&l, 0, sizeof(l));
	memcpy(&l, data, size < sizeof(l) ? size : sizeof(l));
	/* The writer trusts nothing but the array bounds of the struct. */
	r = net_lease_format(&l, text, sizeof(text));
	if (r < 0)
		return 0;
	CHECK((size_t)r == strlen(text));
	for (t = text; *t;) {
		const char *nl = strchr(t, '\n'), *p = t;

		CHECK(nl);
		if (*p != '#') {
			while ((*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || *p == '_')
				p++;
			CHECK(p > t && p[0] == '=' && p[1] == '\'' && nl[-1] == '\'' && nl - p >= 3);
			for (const char *q = p + 2; q < nl - 1; q++)
				CHECK(*q != '\'' && (unsigned char)*q >= 0x20 && (unsigned char)*q < 0x7f);
			check_value(t, (size_t)(p - t), p + 2, (size_t)(nl - 1 - (p + 2)));
		}
		t = nl + 1;
	}
	return 0;
}
