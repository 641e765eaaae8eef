/* SPDX-License-Identifier: MIT */
/* Lease renewal messages (net/renew.c, RFC 2131 section 4.4.5). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <errno.h>
#include <string.h>

#include "dhcp.h"
#include "renew.h"

static const uint8_t mac[6] = { 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 };

static void lease(struct net_lease *l)
{
	memset(l, 0, sizeof(*l));
	l->source = NET_SOURCE_DHCP;
	memcpy(l->mac, mac, 6);
	strcpy(l->ifname, "eth0");
	l->addr.s_addr = inet_addr("10.79.0.50");
	l->prefix = 24;
	l->server_id.s_addr = inet_addr("10.79.0.1");
	l->lease_time = 20;
	l->t1 = 10;
	l->t2 = 17;
}

/* A server reply: type, yiaddr, lease time. */
static size_t reply(uint8_t *b, uint32_t xid, int type, const char *yiaddr, uint32_t lt)
{
	size_t o = DHCP_OFF_OPTIONS;
	in_addr_t y = inet_addr(yiaddr), sid = inet_addr("10.79.0.1");

	memset(b, 0, 400);
	b[DHCP_OFF_OP] = DHCP_BOOTREPLY;
	b[DHCP_OFF_HTYPE] = 1;
	b[DHCP_OFF_HLEN] = 6;
	b[DHCP_OFF_XID] = (uint8_t)(xid >> 24);
	b[DHCP_OFF_XID + 1] = (uint8_t)(xid >> 16);
	b[DHCP_OFF_XID + 2] = (uint8_t)(xid >> 8);
	b[DHCP_OFF_XID + 3] = (uint8_t)xid;
	memcpy(b + DHCP_OFF_YIADDR, &y, 4);
	memcpy(b + DHCP_OFF_CHADDR, mac, 6);
	b[DHCP_OFF_MAGIC] = 0x63, b[DHCP_OFF_MAGIC + 1] = 0x82, b[DHCP_OFF_MAGIC + 2] = 0x53,
	b[DHCP_OFF_MAGIC + 3] = 0x63;
	b[o++] = DHO_MSG_TYPE, b[o++] = 1, b[o++] = (uint8_t)type;
	b[o++] = DHO_SERVER_ID, b[o++] = 4;
	memcpy(b + o, &sid, 4), o += 4;
	b[o++] = DHO_SUBNET_MASK, b[o++] = 4, b[o++] = 255, b[o++] = 255, b[o++] = 255, b[o++] = 0;
	b[o++] = DHO_LEASE_TIME, b[o++] = 4;
	b[o++] = (uint8_t)(lt >> 24), b[o++] = (uint8_t)(lt >> 16), b[o++] = (uint8_t)(lt >> 8),
	b[o++] = (uint8_t)lt;
	b[o++] = DHO_END;
	return o;
}

static void test_request(void **s)
{
	struct net_lease l;
	uint8_t b[1500], v;
	struct in_addr a;
	int n;

	lease(&l);
	n = net_renew_build(&l, 0x01020304, b, sizeof(b));
	assert_true(n >= 300);
	struct dhcp_msg m = { b, (size_t)n };
	assert_int_equal(b[DHCP_OFF_OP], DHCP_BOOTREQUEST);
	assert_int_equal(dhcp_msg_type(&m), DHCPREQUEST);
	/* RENEWING: ciaddr is ours; no requested address, no server id (4.3.2) */
	assert_memory_equal(b + DHCP_OFF_CIADDR, &l.addr.s_addr, 4);
	assert_int_equal(dhcp_opt_addr(&m, DHO_REQUESTED_IP, &a), -ENOENT);
	assert_int_equal(dhcp_opt_addr(&m, DHO_SERVER_ID, &a), -ENOENT);
	assert_int_equal(dhcp_opt_u8(&m, DHO_MSG_TYPE, &v), 0);
}

static void test_reply(void **s)
{
	struct net_lease l;
	uint8_t b[400];
	size_t n;

	lease(&l);
	n = reply(b, 7, DHCPACK, "10.79.0.50", 40);
	assert_int_equal(net_renew_reply(&l, 8, b, n, 12.0), 0); /* another xid */
	assert_int_equal(l.lease_time, 20);
	n = reply(b, 7, DHCPACK, "10.79.0.51", 40);
	assert_int_equal(net_renew_reply(&l, 7, b, n, 12.0), 0); /* another address */
	n = reply(b, 7, DHCPOFFER, "10.79.0.50", 40);
	assert_int_equal(net_renew_reply(&l, 7, b, n, 12.0), 0);
	n = reply(b, 7, DHCPACK, "10.79.0.50", 40);
	assert_int_equal(net_renew_reply(&l, 7, b, 100, 12.0), 0); /* truncated */
	assert_int_equal(net_renew_reply(&l, 7, b, n, 12.0), 1);
	assert_int_equal(l.lease_time, 40);
	assert_int_equal(l.t1, 20); /* 1/2 of the lease (RFC 2131 4.4.5) */
	assert_true(l.obtained == 12.0);
	n = reply(b, 7, DHCPNAK, "0.0.0.0", 0);
	assert_int_equal(net_renew_reply(&l, 7, b, n, 13.0), -EACCES);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_request),
		cmocka_unit_test(test_reply),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
