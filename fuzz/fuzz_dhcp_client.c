/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target for the DHCP client state machine (net/dhcp_client.c),
 * which is included here so that its static functions can be driven
 * without sockets: every send goes to /dev/null, and the input is a
 * sequence of events for two links:
 *
 *   [op][len hi][len lo][len bytes]...
 *   op bit 0     link 0 or 1
 *   op bits 1-2  0 = a DHCP message (wrapped into IPv4/UDP here; with
 *                    bit 3 its xid and chaddr are set to the link's, so
 *                    hostile sequences reach OFFER/ACK/NAK handling),
 *                1 = a raw IPv4 frame (bit 5: "checksum not computed"),
 *                2 = an ARP packet, 3 = time passes (first byte * 50 ms)
 *
 * Invariants: states stay valid; a bound link holds a lease that passed
 * every check (usable address, valid strings); nothing reads out of bounds.
 */
#include "../net/dhcp_client.c"

#include <fcntl.h>
#include <stdlib.h>

#include "cmdline.h"

#define CHECK(x) do { if (!(x)) abort(); } while (0)

static size_t wrap(uint8_t *f, size_t fsize, const uint8_t *msg, size_t mlen)
{
	struct in_addr s = { htonl(0x0a000001) }, d = { 0xffffffff };
	size_t tot = 28 + mlen;
	uint16_t c;

	if (tot > fsize)
		return 0;
	memset(f, 0, 28);
	f[0] = 0x45;
	f[2] = (uint8_t)(tot >> 8);
	f[3] = (uint8_t)tot;
	f[8] = 64;
	f[9] = IPPROTO_UDP;
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

static void check_link(const struct dlink *l)
{
	CHECK(l->st <= D_DEAD);
	if (l->st == D_BOUND || l->st == D_PROBING || l->st == D_REQUESTING) {
		CHECK(dhcp_addr_usable(l->offer.addr));
		CHECK(l->offer.prefix >= 1 && l->offer.prefix <= 32);
		CHECK(!l->offer.hostname[0] || hostname_valid(l->offer.hostname));
		CHECK(!l->offer.root_path[0] || net_path_valid(l->offer.root_path));
		CHECK(!l->offer.bootfile[0] || net_path_valid(l->offer.bootfile));
		CHECK(l->offer.nroutes <= NET_MAX_ROUTES && l->offer.ndns <= NET_MAX_DNS);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct dctx c;
	static struct dhcp_config cfg;
	static int devnull = -1;
	static uint8_t frame[2048], msg[1600];
	int64_t now = 1000000;
	size_t pos = 0, i;

	if (devnull < 0) {
		log_set_level(0);
		devnull = open("/dev/null", O_WRONLY | O_CLOEXEC);
	}
	dhcp_config_default(&cfg);
	cfg.select_window_ms = 300;
	memset(&c, 0, sizeof(c));
	c.cfg = &cfg;
	c.fd = c.arp_fd = devnull; /* sends fail quietly, nothing is opened */
	c.ev_fd = -1;
	c.id.vendor_class = cfg.vendor_class;
	c.n = 2;
	for (i = 0; i < 2; i++) {
		snprintf(c.l[i].spec.name, IF_NAMESIZE, "eth%zu", i);
		c.l[i].spec.index = (int)i + 2;
		memcpy(c.l[i].spec.mac, "\x52\x54\x00\x00\x00", 5);
		c.l[i].spec.mac[5] = (uint8_t)i;
		link_start(&c, &c.l[i], now);
	}
	while (pos + 3 <= size) {
		uint8_t op = data[pos];
		size_t len = (size_t)data[pos + 1] << 8 | data[pos + 2];
		const uint8_t *p = data + pos + 3;
		struct dlink *l = &c.l[op & 1];
		size_t n;

		if (len > size - pos - 3)
			len = size - pos - 3;
		pos += 3 + len;
		switch ((op >> 1) & 3) {
		case 0:
			if (len > sizeof(msg))
				break;
			memcpy(msg, p, len);
			if ((op & 8) && len >= DHCP_OFF_OPTIONS) {
				msg[DHCP_OFF_XID] = (uint8_t)(l->xid >> 24);
				msg[DHCP_OFF_XID + 1] = (uint8_t)(l->xid >> 16);
				msg[DHCP_OFF_XID + 2] = (uint8_t)(l->xid >> 8);
				msg[DHCP_OFF_XID + 3] = (uint8_t)l->xid;
				memcpy(msg + DHCP_OFF_CHADDR, l->spec.mac, 6);
			}
			n = wrap(frame, sizeof(frame), msg, len);
			if (n)
				client_frame(&c, l->spec.index, frame, n, false, now);
			break;
		case 1:
			client_frame(&c, l->spec.index, p, len, (op & 0x20) != 0, now);
			break;
		case 2:
			client_arp(&c, l->spec.index, p, len, now);
			break;
		case 3:
			now += len ? (int64_t)p[0] * 50 : 50;
			for (i = 0; i < c.n; i++)
				if (c.l[i].st != D_BOUND && c.l[i].st != D_DEAD && now >= c.l[i].next_ms)
					on_timer(&c, &c.l[i], now);
			break;
		}
		for (i = 0; i < c.n; i++)
			check_link(&c.l[i]);
	}
	return 0;
}
