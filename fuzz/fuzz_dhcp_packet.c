/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target for the DHCP packet parser (net/dhcp_pkt.c,
 * net/dhcp_opt.c): the whole path a received frame takes.
 *
 * Byte 0 selects the mode: bit 0 set = the rest is a DHCP message (skips
 * the IP/UDP checks to reach the option code faster), clear = a raw IPv4
 * frame; bit 1 = the kernel says the UDP checksum is not computed.
 * Invariants: the iterator ends, every getter keeps within its buffer, a
 * lease that is accepted has a usable address and only strings that pass
 * their rule, and the lease file written from it is KEY='value' lines.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dhcp.h"
#include "cmdline.h"
#include "log.h"

#define CHECK(c) do { if (!(c)) abort(); } while (0)

static void check_lease_text(const char *t)
{
	while (*t) {
		const char *nl = strchr(t, '\n');
		const char *p = t;

		CHECK(nl);
		if (*p != '#') {
			while ((*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || *p == '_')
				p++;
			CHECK(p > t && p[0] == '=' && p[1] == '\'' && nl[-1] == '\'');
			for (p += 2; p < nl - 1; p++)
				CHECK(*p != '\'' && (unsigned char)*p >= 0x20 && (unsigned char)*p < 0x7f);
		}
		t = nl + 1;
	}
}

static void check_lease(const struct net_lease *l)
{
	size_t i;

	CHECK(dhcp_addr_usable(l->addr));
	CHECK(l->prefix >= 1 && l->prefix <= 32);
	CHECK(l->ndns <= NET_MAX_DNS && l->nntp <= NET_MAX_NTP && l->nlog <= NET_MAX_LOG);
	CHECK(l->nroutes <= NET_MAX_ROUTES && l->nsearch <= NET_MAX_SEARCH);
	CHECK(!l->hostname[0] || hostname_valid(l->hostname));
	CHECK(!l->domain[0] || hostname_valid(l->domain));
	CHECK(!l->tftp_server[0] || hostname_valid(l->tftp_server));
	CHECK(!l->root_path[0] || net_path_valid(l->root_path));
	CHECK(!l->bootfile[0] || net_path_valid(l->bootfile));
	for (i = 0; i < l->nsearch; i++)
		CHECK(hostname_valid(l->search[i]));
	for (i = 0; i < l->nroutes; i++)
		CHECK(l->routes[i].prefix <= 32);
	CHECK(!l->mtu || l->mtu >= 68);
}

static void exercise(const struct dhcp_msg *m)
{
	static const uint8_t mac[6] = { 0x52, 0x54, 0, 0x12, 0x34, 0x56 };
	static char text[8192];
	struct net_lease l;
	uint8_t buf[64];
	uint32_t u32;
	struct in_addr a[4];
	char s[32];
	int r;

	(void)dhcp_msg_type(m);
	(void)dhcp_msg_is_ours(m, 0x11223344, mac);
	(void)dhcp_opt_u32(m, DHO_LEASE_TIME, &u32);
	r = dhcp_opt_addrs(m, DHO_DNS, a, 4);
	CHECK(r <= 4);
	r = dhcp_opt_get(m, DHO_ROOT_PATH, buf, sizeof(buf));
	CHECK(r <= (int)sizeof(buf));
	r = dhcp_opt_string(m, DHO_HOSTNAME, s, sizeof(s));
	CHECK(r < 0 || (size_t)r == strlen(s));
	memset(&l, 0, sizeof(l));
	if (dhcp_lease_from_msg(m, &l, NULL) == 0) {
		check_lease(&l);
		r = net_lease_format(&l, text, sizeof(text));
		CHECK(r > 0 && (size_t)r == strlen(text));
		check_lease_text(text);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int quiet;
	struct dhcp_msg m;

	if (!quiet) {
		log_set_level(0);
		quiet = 1;
	}
	if (size < 1)
		return 0;
	if (data[0] & 1) {
		/* as a DHCP message; the fixed part must be readable */
		m.p = data + 1;
		m.len = size - 1;
		if (m.len < DHCP_OFF_OPTIONS)
			return 0;
		exercise(&m);
	} else if (dhcp_frame_parse(data + 1, size - 1, data[0] & 2, &m) == 0) {
		CHECK(m.p >= data + 1 && m.p + m.len <= data + size);
		exercise(&m);
	}
	return 0;
}
