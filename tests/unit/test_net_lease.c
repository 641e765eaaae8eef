/* SPDX-License-Identifier: MIT */
/* The lease file format, rd.route= parsing, the RFC 2131 backoff. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <errno.h>
#include <string.h>

#include "net.h"
#include "net_internal.h"
#include "dhcp_client.h"
#include "rtnl.h"
#include <linux/if_arp.h>
#include "log.h"

static void fill(struct net_lease *l)
{
	memset(l, 0, sizeof(*l));
	l->source = NET_SOURCE_DHCP;
	strcpy(l->ifname, "eth0");
	memcpy(l->mac, "\x52\x54\x00\x12\x34\x56", 6);
	l->addr.s_addr = inet_addr("10.0.2.15");
	l->prefix = 24;
	l->broadcast.s_addr = inet_addr("10.0.2.255");
	l->router.s_addr = inet_addr("10.0.2.2");
	l->routes[0].gw = l->router;
	l->routes[1].dst.s_addr = inet_addr("192.168.0.0");
	l->routes[1].prefix = 16;
	l->routes[1].gw.s_addr = inet_addr("10.0.2.3");
	l->nroutes = 2;
	l->dns[0].s_addr = inet_addr("10.0.2.3");
	l->dns[1].s_addr = inet_addr("10.0.2.4");
	l->ndns = 2;
	strcpy(l->hostname, "node7");
	strcpy(l->domain, "example.org");
	strcpy(l->search[0], "example.org");
	strcpy(l->search[1], "lab.example.org");
	l->nsearch = 2;
	strcpy(l->root_path, "10.0.2.2:/srv/root");
	strcpy(l->bootfile, "pxelinux.0");
	l->siaddr.s_addr = inet_addr("10.0.2.2");
	l->server_id.s_addr = inet_addr("10.0.2.2");
	l->lease_time = 86400;
	l->t1 = 43200;
	l->t2 = 75600;
	l->mtu = 1400;
	l->obtained = 1.5;
}

static void test_format_good(void **state)
{
	struct net_lease l;
	char buf[4096];
	static const char *const expect[] = {
		"NETINIT_LEASE='1'\n", "SOURCE='dhcp'\n", "IFNAME='eth0'\n",
		"MAC='52:54:00:12:34:56'\n", "ADDR='10.0.2.15'\n", "PREFIX='24'\n",
		"NETMASK='255.255.255.0'\n", "BROADCAST='10.0.2.255'\n", "ROUTER='10.0.2.2'\n",
		"ROUTES='0.0.0.0/0,10.0.2.2 192.168.0.0/16,10.0.2.3'\n", "MTU='1400'\n",
		"DNS='10.0.2.3 10.0.2.4'\n", "HOSTNAME='node7'\n", "DOMAIN='example.org'\n",
		"SEARCH='example.org lab.example.org'\n", "ROOT_PATH='10.0.2.2:/srv/root'\n",
		"BOOTFILE='pxelinux.0'\n", "NEXT_SERVER='10.0.2.2'\n", "SERVER_ID='10.0.2.2'\n",
		"LEASE_TIME='86400'\n", "T1='43200'\n", "T2='75600'\n", "OBTAINED_UPTIME='1.500'\n",
	};
	size_t i;
	int n;

	fill(&l);
	n = net_lease_format(&l, buf, sizeof(buf));
	assert_true(n > 0);
	assert_int_equal((size_t)n, strlen(buf));
	for (i = 0; i < sizeof(expect) / sizeof(expect[0]); i++)
		if (!strstr(buf, expect[i]))
			fail_msg("missing %s in\n%s", expect[i], buf);
	assert_null(strstr(buf, "NTP="));
	assert_int_equal(net_lease_format(&l, buf, 100), -ENOSPC);
	assert_string_equal(buf, "");
	l.lease_time = NET_LEASE_INFINITE;
	net_lease_format(&l, buf, sizeof(buf));
	assert_non_null(strstr(buf, "LEASE_TIME='infinite'\n"));
	l.source = NET_SOURCE_STATIC;
	net_lease_format(&l, buf, sizeof(buf));
	assert_null(strstr(buf, "LEASE_TIME"));
}

/* Values that slipped past the parser (or a corrupted struct) are left out. */
struct bad_case {
	const char *name;
	size_t off, size;
	const char *val;
	const char *key;
};

static const struct bad_case bad_cases[] = {
	{ "host name with quote", offsetof(struct net_lease, hostname), NET_NAME_MAX, "a'b", "HOSTNAME=" },
	{ "host name with newline", offsetof(struct net_lease, hostname), NET_NAME_MAX, "a\nX='1'", "HOSTNAME=" },
	{ "host name with $()", offsetof(struct net_lease, hostname), NET_NAME_MAX, "$(reboot)", "HOSTNAME=" },
	{ "domain ..", offsetof(struct net_lease, domain), NET_NAME_MAX, "..", "DOMAIN=" },
	{ "root-path with ;", offsetof(struct net_lease, root_path), NET_PATH_MAX, "/a;b", "ROOT_PATH=" },
	{ "root-path with space", offsetof(struct net_lease, root_path), NET_PATH_MAX, "/a b", "ROOT_PATH=" },
	{ "bootfile ../", offsetof(struct net_lease, bootfile), NET_PATH_MAX, "../x", "BOOTFILE=" },
	{ "tftp server a/b", offsetof(struct net_lease, tftp_server), NET_NAME_MAX, "a/b", "TFTP_SERVER=" },
	{ "interface ..", offsetof(struct net_lease, ifname), IF_NAMESIZE, "..", "IFNAME=" },
	{ "interface a/b", offsetof(struct net_lease, ifname), IF_NAMESIZE, "a/b", "IFNAME=" },
};

static void test_format_bad_values(void **state)
{
	size_t i;

	for (i = 0; i < sizeof(bad_cases) / sizeof(bad_cases[0]); i++) {
		const struct bad_case *c = &bad_cases[i];
		struct net_lease l;
		char buf[4096];

		fill(&l);
		memset((char *)&l + c->off, 0, c->size);
		strcpy((char *)&l + c->off, c->val);
		if (net_lease_format(&l, buf, sizeof(buf)) <= 0)
			fail_msg("%s: format failed", c->name);
		if (strstr(buf, c->key))
			fail_msg("%s: written:\n%s", c->name, buf);
	}
}

/* A string field without its NUL is not read past its array. */
static void test_format_unterminated(void **state)
{
	struct net_lease l;
	char buf[4096];

	fill(&l);
	memset(l.hostname, 'a', sizeof(l.hostname));
	memset(l.root_path, 'b', sizeof(l.root_path));
	memset(l.search[1], 'c', sizeof(l.search[1]));
	assert_true(net_lease_format(&l, buf, sizeof(buf)) > 0);
	assert_null(strstr(buf, "HOSTNAME="));
	assert_null(strstr(buf, "ROOT_PATH="));
	assert_non_null(strstr(buf, "SEARCH='example.org'\n"));
}

struct route_case {
	const char *in;
	int r;
	const char *dst;
	int prefix;
	const char *gw;
	const char *dev;
};

static const struct route_case route_cases[] = {
	{ "192.168.5.0/24:10.0.0.1", 0, "192.168.5.0", 24, "10.0.0.1", "" },
	{ "192.168.5.7/24:10.0.0.1:eth1", 0, "192.168.5.0", 24, "10.0.0.1", "eth1" },
	{ "0.0.0.0/0:10.0.0.1", 0, "0.0.0.0", 0, "10.0.0.1", "" },
	{ "10.9.0.0/16:", 0, "10.9.0.0", 16, "0.0.0.0", "" },
	{ "10.9.0.0/33:10.0.0.1", -EINVAL, NULL, 0, NULL, NULL },
	{ "10.9.0.0:10.0.0.1", -EINVAL, NULL, 0, NULL, NULL },
	{ "10.9.0.0/16", -EINVAL, NULL, 0, NULL, NULL },
	{ "10.9.0.0/x:10.0.0.1", -EINVAL, NULL, 0, NULL, NULL },
	{ "10.9.0/16:10.0.0.1", -EINVAL, NULL, 0, NULL, NULL },
	{ "10.9.0.0/16:gw", -EINVAL, NULL, 0, NULL, NULL },
	{ "10.9.0.0/16:10.0.0.1:averyveryverylongname", -EINVAL, NULL, 0, NULL, NULL },
	{ "[fd00::]/64:fd00::1", -EINVAL, NULL, 0, NULL, NULL },
};

static void test_parse_route(void **state)
{
	size_t i;

	for (i = 0; i < sizeof(route_cases) / sizeof(route_cases[0]); i++) {
		const struct route_case *c = &route_cases[i];
		struct net_route rt;
		char dev[IF_NAMESIZE];
		int r = net_parse_route(c->in, &rt, dev, sizeof(dev));

		if (r != c->r)
			fail_msg("%s: %d", c->in, r);
		if (r == 0) {
			assert_int_equal(rt.dst.s_addr, inet_addr(c->dst));
			assert_int_equal(rt.prefix, c->prefix);
			assert_int_equal(rt.gw.s_addr, inet_addr(c->gw));
			assert_string_equal(dev, c->dev);
		}
	}
}

/* RFC 2131 §4.1: 4, 8, 16, 32, 64 s, then 64 s, each -1..+1 s. */
static void test_backoff(void **state)
{
	static const int64_t base[] = { 4000, 8000, 16000, 32000, 64000, 64000, 64000 };
	unsigned k;

	for (k = 0; k < 7; k++) {
		assert_int_equal(dhcp_backoff_ms(k, 0), base[k] - 1000);
		assert_int_equal(dhcp_backoff_ms(k, 2000), base[k] + 1000);
		assert_int_equal(dhcp_backoff_ms(k, 1000), base[k]);
		assert_true(dhcp_backoff_ms(k, 0xffffffffu) >= base[k] - 1000 &&
			    dhcp_backoff_ms(k, 0xffffffffu) <= base[k] + 1000);
	}
	assert_int_equal(dhcp_backoff_ms(1000, 1000), 64000);
}

/* Which links are candidates (doc/network.md, "Candidate links"). */
static void test_link_wanted(void **state)
{
	static const struct {
		const char *name, *kind;
		unsigned short type;
		bool has_mac;
		bool any, named, bootif;
	} t[] = {
		/* name    kind      type            mac    any    named(eth1) bootif(..:02) */
		{ "eth0", "", ARPHRD_ETHER, true, true, false, false },
		{ "eth1", "", ARPHRD_ETHER, true, true, true, false },
		{ "veth0", "veth", ARPHRD_ETHER, true, true, false, false },
		{ "lo", "", ARPHRD_LOOPBACK, false, false, false, false },
		{ "br0", "bridge", ARPHRD_ETHER, true, false, false, false },
		{ "bond0", "bond", ARPHRD_ETHER, true, false, false, false },
		{ "eth0.5", "vlan", ARPHRD_ETHER, true, false, false, false },
		{ "ib0", "", ARPHRD_INFINIBAND, false, false, false, false },
		{ "wg0", "wireguard", ARPHRD_NONE, false, false, false, false },
		{ "eth2", "", ARPHRD_ETHER, true, false, false, true }, /* off-listed below for "any" */
	};
	struct net_want any, named, bootif;
	size_t i;

	net_want_init(&any);
	strcpy(any.off[any.noff++], "eth2");
	net_want_init(&named);
	net_want_name(&named, "eth1");
	net_want_name(&named, "eth1"); /* duplicates are merged */
	assert_int_equal(named.nnames, 1);
	net_want_init(&bootif);
	memcpy(bootif.mac, "\x52\x54\x00\x00\x00\x02", 6);
	bootif.has_mac = true;
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct rtnl_link l;

		memset(&l, 0, sizeof(l));
		strcpy(l.name, t[i].name);
		strcpy(l.kind, t[i].kind);
		l.type = t[i].type;
		l.has_mac = t[i].has_mac;
		memcpy(l.mac, "\x52\x54\x00\x00\x00\x01", 6);
		if (strcmp(t[i].name, "eth2") == 0)
			l.mac[5] = 2;
		if (net_link_wanted(&any, &l) != t[i].any)
			fail_msg("%s: any", t[i].name);
		if (net_link_wanted(&named, &l) != t[i].named)
			fail_msg("%s: named", t[i].name);
		if (net_link_wanted(&bootif, &l) != t[i].bootif)
			fail_msg("%s: bootif", t[i].name);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_format_good),
		cmocka_unit_test(test_format_bad_values),
		cmocka_unit_test(test_format_unterminated),
		cmocka_unit_test(test_parse_route),
		cmocka_unit_test(test_backoff),
		cmocka_unit_test(test_link_wanted),
	};

	log_set_level(NL_ERR);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
