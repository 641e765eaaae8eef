/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of the per-host layer's pure parts: the host-name choice
 * (init/hostname.c: source order, the one host-name rule, lower case, key
 * and FQDN, /etc/hosts), and the ownership records of a node's directory
 * (mount/hostdir.c: the mac= line, the verdict, the claim text).
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <unistd.h>
#include <sys/stat.h>
#include <arpa/inet.h>
#include <cmocka.h>

#include "hostdir.h"
#include "hostname.h"

static const uint8_t MAC[6] = { 0x52, 0x54, 0x00, 0xaa, 0x00, 0x01 };
static int nrefused;
static char last_refused[128];

static void refused(void *ctx, const char *src, const char *name)
{
	(void)ctx;
	nrefused++;
	snprintf(last_refused, sizeof(last_refused), "%s: %s", src, name);
}

static void choose(const char *dhcp, const char *ip, const uint8_t *mac, const char *domain,
		   int want_r, const char *key, const char *fqdn, enum host_source src, int refusals)
{
	struct node_name n;
	int r;

	nrefused = 0;
	r = hostname_choose(dhcp, ip, mac, domain, &n, refused, NULL);
	assert_int_equal(r, want_r);
	assert_int_equal(nrefused, refusals);
	if (r < 0)
		return;
	assert_string_equal(n.key, key);
	assert_string_equal(n.fqdn, fqdn);
	assert_int_equal(n.source, src);
}

static void test_order(void **state)
{
	(void)state;
	choose("blade03", "other", MAC, NULL, 0, "blade03", "blade03", HOST_SRC_DHCP, 0);
	choose(NULL, "other", MAC, NULL, 0, "other", "other", HOST_SRC_IP, 0);
	choose("", "", MAC, NULL, 0, "node-525400aa0001", "node-525400aa0001", HOST_SRC_MAC, 0);
	choose(NULL, NULL, NULL, NULL, -ENOENT, "", "", HOST_SRC_NONE, 0);
}

static void test_normalise(void **state)
{
	(void)state;
	choose("Blade03.Cluster.EXAMPLE", NULL, MAC, NULL, 0, "blade03", "blade03.cluster.example",
	       HOST_SRC_DHCP, 0);
	choose("blade03", NULL, MAC, "Cluster.Example", 0, "blade03", "blade03.cluster.example",
	       HOST_SRC_DHCP, 0);
	/* a domain that is not a valid name is not appended */
	choose("blade03", NULL, MAC, "bad/domain", 0, "blade03", "blade03", HOST_SRC_DHCP, 0);
	/* a name with dots keeps its own domain */
	choose("n1.a.example", NULL, MAC, "b.example", 0, "n1", "n1.a.example", HOST_SRC_DHCP, 0);
	choose("007", NULL, MAC, NULL, 0, "007", "007", HOST_SRC_DHCP, 0); /* RFC 1123 2.1 */
}

static void test_hostile(void **state)
{
	static const char *const bad[] = {
		"..", "a/b", "$(reboot)", "a b", "-lead", "trail-", "a..b", ".", "x\n",
		"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", /* 64 bytes */
		"`id`", "a;b", "é",
	};
	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		choose(bad[i], "good5", MAC, NULL, 0, "good5", "good5", HOST_SRC_IP, 1);
		assert_non_null(strstr(last_refused, "DHCP option 12"));
		assert_null(strpbrk(last_refused + strlen("DHCP option 12: "), "\n"));
		choose(bad[i], bad[i], MAC, NULL, 0, "node-525400aa0001", "node-525400aa0001",
		       HOST_SRC_MAC, 2);
	}
	/* 63 bytes is the longest label */
	choose("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", NULL, NULL, NULL, 0,
	       "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
	       "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", HOST_SRC_DHCP, 0);
	/* every source refused and no MAC: no name */
	choose("a/b", "..", NULL, NULL, -ENOENT, "", "", HOST_SRC_NONE, 2);
}

static void test_hosts(void **state)
{
	char dir[] = "/tmp/test_hostdir.XXXXXX", path[256], text[512], line[128];
	struct node_name n;
	struct in_addr a;
	int fd;
	ssize_t len;

	(void)state;
	inet_pton(AF_INET, "10.0.0.11", &a);
	assert_int_equal(hostname_choose("blade03", NULL, NULL, "example.org", &n, NULL, NULL), 0);
	assert_int_equal(hostname_hosts_line(&n, a, line, sizeof(line)), 0);
	assert_string_equal(line, "10.0.0.11\tblade03.example.org blade03\n");
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/etc", dir);
	assert_int_equal(mkdir(path, 0755), 0);
	/* no hosts file: created */
	assert_int_equal(hostname_write_hosts(dir, &n, a), 0);
	snprintf(path, sizeof(path), "%s/etc/hosts", dir);
	fd = open(path, O_RDONLY);
	len = read(fd, text, sizeof(text) - 1);
	close(fd);
	text[len] = '\0';
	assert_string_equal(text, line);
	/* the node's line is there: nothing rewritten */
	assert_int_equal(hostname_write_hosts(dir, &n, a), 1);
	/* existing lines kept, the new one appended (a missing final newline added) */
	fd = open(path, O_WRONLY | O_TRUNC);
	assert_int_equal(write(fd, "127.0.0.1 localhost # blade03", 29), 29);
	close(fd);
	assert_int_equal(hostname_write_hosts(dir, &n, a), 0);
	fd = open(path, O_RDONLY);
	len = read(fd, text, sizeof(text) - 1);
	close(fd);
	text[len] = '\0';
	assert_string_equal(text, "127.0.0.1 localhost # blade03\n10.0.0.11\tblade03.example.org blade03\n");
	/* a symlink at etc/hosts is never followed */
	unlink(path);
	assert_int_equal(symlink("/etc/passwd", path), 0);
	assert_true(hostname_write_hosts(dir, &n, a) < 0);
	unlink(path);
	snprintf(path, sizeof(path), "%s/etc", dir);
	rmdir(path);
	rmdir(dir);
}

static void test_records(void **state)
{
	uint8_t m[6], other[6];
	static const uint8_t M2[6] = { 0x52, 0x54, 0x00, 0xaa, 0x00, 0x02 };

	(void)state;
	assert_int_equal(hostdir_record_mac("# comment\nmac=52:54:00:aa:00:01\n", m), 0);
	assert_memory_equal(m, MAC, 6);
	assert_int_equal(hostdir_record_mac("mac=52:54:00:AA:00:01", m), 0);
	assert_int_equal(hostdir_record_mac("boot_id=x\n", m), -ENOENT);
	assert_int_equal(hostdir_record_mac("", m), -ENOENT);
	assert_int_equal(hostdir_record_mac("mac=52:54:00:aa:00\n", m), -EINVAL);
	assert_int_equal(hostdir_record_mac("mac=zz:54:00:aa:00:01\n", m), -EINVAL);
	assert_int_equal(hostdir_record_mac("mac=00:00:00:00:00:00\n", m), -EINVAL);

	assert_int_equal(hostdir_verdict(NULL, NULL, MAC, other), HOSTDIR_FREE);
	assert_int_equal(hostdir_verdict("mac=52:54:00:aa:00:01\n", NULL, MAC, other), HOSTDIR_OWNED);
	assert_int_equal(hostdir_verdict(NULL, "mac=52:54:00:aa:00:01\n", MAC, other), HOSTDIR_CLAIMED);
	assert_int_equal(hostdir_verdict("mac=52:54:00:aa:00:02\n", NULL, MAC, other), HOSTDIR_TAKEN);
	assert_memory_equal(other, M2, 6);
	assert_int_equal(hostdir_verdict(NULL, "mac=52:54:00:aa:00:02\n", MAC, other), HOSTDIR_TAKEN);
	/* the owner record decides over a stale claim */
	assert_int_equal(hostdir_verdict("mac=52:54:00:aa:00:01\n", "mac=52:54:00:aa:00:02\n", MAC,
					 other), HOSTDIR_OWNED);
	assert_int_equal(hostdir_verdict("garbage\n", NULL, MAC, other), HOSTDIR_BAD_RECORD);
	assert_int_equal(hostdir_verdict(NULL, "mac=\n", MAC, other), HOSTDIR_BAD_RECORD);
}

static void test_claim_text(void **state)
{
	struct hostdir_who w = { .key = "blade03", .boot_id = "0f1e2d3c-0000-4000-8000-000000000001",
				 .now = 1764633600 };
	char text[400], small[40];
	uint8_t m[6];

	(void)state;
	memcpy(w.mac, MAC, 6);
	assert_int_equal(hostdir_claim_text(&w, text, sizeof(text)), 0);
	assert_non_null(strstr(text, "\nmac=52:54:00:aa:00:01\n"));
	assert_non_null(strstr(text, "\nboot_id=0f1e2d3c-0000-4000-8000-000000000001\n"));
	assert_non_null(strstr(text, "\ntime=1764633600\n"));
	assert_int_equal(hostdir_record_mac(text, m), 0);
	assert_memory_equal(m, MAC, 6);
	assert_int_equal(hostdir_claim_text(&w, small, sizeof(small)), -ENAMETOOLONG);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_order),   cmocka_unit_test(test_normalise),
		cmocka_unit_test(test_hostile), cmocka_unit_test(test_hosts),
		cmocka_unit_test(test_records), cmocka_unit_test(test_claim_text),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
