/* SPDX-License-Identifier: MIT */
/* The hand-over files, written into a temporary directory. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "net.h"
#include "net_internal.h"
#include "log.h"

static char top[256], run[300], root[300];

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
	l->nroutes = 1;
	l->dns[0].s_addr = inet_addr("10.0.2.3");
	l->ndns = 1;
	strcpy(l->hostname, "node7");
	strcpy(l->search[0], "example.org");
	l->nsearch = 1;
	strcpy(l->root_path, "10.0.2.2:/srv/root");
	l->siaddr.s_addr = inet_addr("10.0.2.2");
	l->server_id = l->siaddr;
	l->lease_time = 3600;
}

static char *slurp(const char *dir, const char *name)
{
	static char buf[8192];
	char path[600];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return NULL;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	buf[n > 0 ? n : 0] = '\0';
	return buf;
}

static int setup(void **state)
{
	strcpy(top, "/tmp/test_net_handover.XXXXXX");
	if (!mkdtemp(top))
		return -1;
	snprintf(run, sizeof(run), "%s/run", top);
	snprintf(root, sizeof(root), "%s/root", top);
	mkdir(run, 0755);
	mkdir(root, 0755);
	return 0;
}

static int teardown(void **state)
{
	char cmd[300];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", top);
	return system(cmd) == 0 ? 0 : -1;
}

static void test_files(void **state)
{
	struct net_lease l;
	struct net_handover_opts o = { run, root, false };
	char expect[4096], etc[400];
	char *s;

	fill(&l);
	snprintf(etc, sizeof(etc), "%s/etc", root);
	mkdir(etc, 0755);
	assert_int_equal(net_handover_opts(&l, &o), 0);
	assert_true(net_lease_format(&l, expect, sizeof(expect)) > 0);
	assert_non_null(s = slurp(run, "netinit/lease-eth0.conf"));
	assert_string_equal(s, expect);
	assert_non_null(s = slurp(run, "netinit/resolv.conf"));
	assert_non_null(strstr(s, "\nsearch example.org\nnameserver 10.0.2.3\n"));
	assert_non_null(s = slurp(run, "netinit/hostname"));
	assert_string_equal(s, "node7\n");
	assert_non_null(s = slurp(run, "net-eth0.conf"));
	assert_non_null(strstr(s, "IPV4ADDR='10.0.2.15'\n"));
	assert_non_null(strstr(s, "ROOTPATH='10.0.2.2:/srv/root'\n"));
	assert_non_null(s = slurp(run, "systemd/network/10-netinit-eth0.network"));
	assert_non_null(strstr(s, "[Match]\nMACAddress=52:54:00:12:34:56\n"));
	assert_non_null(strstr(s, "DHCP=ipv4\n"));
	assert_non_null(strstr(s, "KeepConfiguration=yes\n"));
	assert_non_null(strstr(s, "ClientIdentifier=mac\n"));
	assert_non_null(s = slurp(run, "systemd/network/10-netinit-eth0.link"));
	assert_non_null(strstr(s, "[Match]\nMACAddress=52:54:00:12:34:56\n\n[Link]\nName=eth0\n"));
	assert_non_null(s = slurp(run, "systemd/system/networking.service.d/10-netinit.conf"));
	assert_non_null(strstr(s, "[Service]\nExecStop=\nExecStop=/sbin/ifdown -a --read-environment --exclude=lo --exclude=eth0\n"));
	assert_non_null(s = slurp(run, "systemd/system/ifup@eth0.service.d/10-netinit.conf"));
	assert_non_null(strstr(s, "[Service]\nExecStop=\n"));
	assert_null(strstr(s, "ifdown"));
	assert_non_null(s = slurp(etc, "hostname"));
	assert_string_equal(s, "node7\n");
	assert_non_null(s = slurp(etc, "resolv.conf"));
	assert_non_null(strstr(s, "nameserver 10.0.2.3\n"));
}

/* The image's resolv.conf symlink (systemd-resolved) is kept. */
static void test_resolv_symlink_kept(void **state)
{
	struct net_lease l;
	struct net_handover_opts o = { run, root, false };
	char etc[400], link[500], target[100];
	ssize_t n;

	fill(&l);
	snprintf(etc, sizeof(etc), "%s/etc", root);
	mkdir(etc, 0755);
	snprintf(link, sizeof(link), "%s/resolv.conf", etc);
	unlink(link);
	assert_int_equal(symlink("../run/systemd/resolve/stub-resolv.conf", link), 0);
	assert_int_equal(net_handover_opts(&l, &o), 0);
	n = readlink(link, target, sizeof(target) - 1);
	assert_true(n > 0);
	target[n] = '\0';
	assert_string_equal(target, "../run/systemd/resolve/stub-resolv.conf");
}

/* <newroot>/etc as a symlink is not followed (it could point anywhere). */
static void test_etc_symlink_not_followed(void **state)
{
	struct net_lease l;
	struct net_handover_opts o = { run, root, false };
	char etc[400], elsewhere[400];

	fill(&l);
	snprintf(elsewhere, sizeof(elsewhere), "%s/elsewhere", top);
	mkdir(elsewhere, 0755);
	snprintf(etc, sizeof(etc), "%s/etc", root);
	assert_int_equal(symlink(elsewhere, etc), 0);
	assert_int_equal(net_handover_opts(&l, &o), 0);
	assert_null(slurp(elsewhere, "hostname"));
	unlink(etc);
}

/* Static: Address= and Gateway= instead of DHCP=; no host name file. */
static void test_static_networkd(void **state)
{
	struct net_lease l;
	struct net_handover_opts o = { run, NULL, false };
	char *s;

	fill(&l);
	l.source = NET_SOURCE_STATIC;
	strcpy(l.ifname, "eth1");
	l.hostname[0] = '\0';
	assert_int_equal(net_handover_opts(&l, &o), 0);
	assert_non_null(s = slurp(run, "systemd/network/10-netinit-eth1.network"));
	assert_non_null(strstr(s, "Address=10.0.2.15/24\nGateway=10.0.2.2\n"));
	assert_null(strstr(s, "DHCP="));
}

static void test_bad_ifname(void **state)
{
	struct net_lease l;
	struct net_handover_opts o = { run, NULL, false };

	fill(&l);
	strcpy(l.ifname, "..");
	assert_int_equal(net_handover_opts(&l, &o), -EINVAL);
	strcpy(l.ifname, "a/b");
	assert_int_equal(net_handover_opts(&l, &o), -EINVAL);
	assert_null(slurp(run, "netinit/lease-...conf"));
	l.source = NET_SOURCE_NONE;
	assert_int_equal(net_handover_opts(&l, &o), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_files, setup, teardown),
		cmocka_unit_test_setup_teardown(test_resolv_symlink_kept, setup, teardown),
		cmocka_unit_test_setup_teardown(test_etc_symlink_not_followed, setup, teardown),
		cmocka_unit_test_setup_teardown(test_static_networkd, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_ifname, setup, teardown),
	};

	log_set_level(NL_ERR);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
