/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of the boot plan (init/plan.c): the one place that decides
 * where the root comes from.
 *
 * Table-driven like test_cmdline.c: every row is a command line and, when
 * the network is up, a lease; then the stages that must report errors (in
 * order) and "key=value" lines that plan_print() must show.  A row with
 * lease.set == false is the plan before the network (and of `init plan`).
 * Every row runs as its own cmocka test, named after the row.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <cmocka.h>

#include "cmdline.h"
#include "net.h"
#include "plan.h"

/* rows leave the trailing lists out */
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

struct lease_spec {
	bool set;
	const char *addr, *siaddr, *server_id;
	const char *root_path, *bootfile, *tftp_server, *hostname;
	bool none; /* ip=off: the network stage ran, no address */
};

#define MAXE 12
struct row {
	const char *name;
	const char *line;
	struct lease_spec lease;
	const char *errors;       /* stages of the plan's errors, space separated ("" = none) */
	const char *expect[MAXE]; /* lines of plan_print() */
	const char *absent[4];    /* lines that must not be printed */
};

#define LEASE(...) { .set = true, .addr = "10.0.2.15", __VA_ARGS__ }
#define SHA "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
#define KEY_B64 "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="

static const struct row rows[] = {
	/* local */
	{ "local_label", "root=LABEL=root rootfstype=ext4 rootflags=noatime rw rd.timeout=7", { 0 }, "",
	  { "root=local", "local.device=LABEL=root", "local.fstype=ext4", "local.flags=noatime",
	    "local.wait=7 s", "ro=0", "network=not needed" } },
	{ "local_defaults", "root=/dev/vda", { 0 }, "",
	  { "root=local", "local.fstype=(probe)", "local.wait=30 s", "ro=1", "init=/sbin/init" } },
	{ "local_rootdelay", "root=/dev/vda rootdelay=3 init=/bin/sh -- single x=1", { 0 }, "",
	  { "local.wait=3 s", "init=/bin/sh", "init.args=single x=1" } },
	{ "no_root", "quiet splash", { 0 }, "mount", { "root=none" } },

	/* NFS from the command line */
	{ "nfs_kernel", "root=/dev/nfs nfsroot=10.0.2.2:/srv/%s,vers=3,tcp ip=dhcp", { 0 }, "",
	  { "root=nfs", "nfs.server=10.0.2.2", "nfs.path=/srv/%s (%s: the client's address, once known)",
	    "nfs.version=3",
	    "nfs.options=vers=3,tcp", "network=up before the root" } },
	{ "nfs_kernel_lease_substitutes", "root=/dev/nfs nfsroot=10.0.2.2:/srv/%s ip=dhcp",
	  LEASE(.siaddr = "10.0.2.9"), "", { "nfs.server=10.0.2.2", "nfs.path=/srv/10.0.2.15",
	  "nfs.version=4, then 3" } },
	{ "nfs_dracut_v4", "root=nfs4:10.0.2.2:/exports/root:ro,nolock", LEASE(0), "",
	  { "root=nfs", "nfs.version=4", "nfs.path=/exports/root" } },
	{ "nfs_server_from_ip_field2", "root=/dev/nfs nfsroot=/srv/root "
	  "ip=10.0.2.15:10.0.2.4:10.0.2.1:255.255.255.0::eth0:off", LEASE(.siaddr = "10.0.2.9"), "",
	  { "nfs.server=10.0.2.4" } },
	{ "nfs_server_from_next_server", "root=/dev/nfs nfsroot=/srv/root ip=dhcp",
	  LEASE(.siaddr = "10.0.2.9", .server_id = "10.0.2.2"), "", { "nfs.server=10.0.2.9" } },
	{ "nfs_server_from_dhcp_server", "root=/dev/nfs nfsroot=/srv/root ip=dhcp",
	  LEASE(.server_id = "10.0.2.2"), "", { "nfs.server=10.0.2.2" } },
	{ "nfs_server_pending", "root=/dev/nfs nfsroot=/srv/root ip=dhcp", { 0 }, "",
	  { "nfs.server=(from DHCP)", "nfs.path=/srv/root" } },
	{ "nfs_no_server", "root=/dev/nfs nfsroot=/srv/root", LEASE(.none = true), "nfs", { "root=nfs" } },
	{ "nfs_rd_timeout", "root=nfs:10.0.2.2:/r rd.timeout=9 rd.retry=2", LEASE(0), "",
	  { "nfs.wait=9 s" } },
	{ "nfs_writable_none_rw", "root=nfs:10.0.2.2:/r rw netinit.writable=none", LEASE(0), "",
	  { "writable=none", "ro=0" } },

	/* netinit.mount= */
	{ "mount_nfs_usr", "root=http://s/r.ext3.gz netinit.mount=10.0.2.2:/usr:/usr:nfs:ro,vers=3 "
	  "netinit.mount=tmpfs:/scratch:tmpfs:size=64m,mode=1777", { 0 }, "",
	  { "mount=10.0.2.2:/usr on /usr type nfs options ro,vers=3",
	    "mount=tmpfs on /scratch type tmpfs options size=64m,mode=1777" } },
	{ "mount_defaults", "root=/dev/vda netinit.mount=srv:/home:/home netinit.mount=tmpfs:/tmp",
	  { 0 }, "", { "mount=srv:/home on /home type nfs options (defaults)",
	  "mount=tmpfs on /tmp type tmpfs options (defaults)", "network=up before the root" } },
	{ "mount_tmpfs_no_net", "root=/dev/vda netinit.mount=tmpfs:/tmp", { 0 }, "",
	  { "network=not needed" } },
	{ "mount_device_needs_type", "root=/dev/vda netinit.mount=/dev/vdb:/data", { 0 }, "mount",
	  { "root=local" }, { "mount=" } },
	{ "mount_bad", "root=/dev/vda netinit.mount=tmpfs netinit.mount=tmpfs:/a/../b:tmpfs "
	  "netinit.mount=srv:/x:/x:nfs:vers=2 netinit.mount=/dev/vdb:/:ext4", { 0 },
	  "mount mount mount mount", { "root=local" }, { "mount=" } },
	{ "mount_device", "root=/dev/vda netinit.mount=LABEL=data:/srv/data:ext4:noatime", { 0 }, "",
	  { "mount=LABEL=data on /srv/data type ext4 options noatime" } },

	/* NFS from DHCP */
	{ "nfs_root_path", "root=/dev/nfs ip=dhcp", LEASE(.root_path = "10.0.2.2:/srv/nfs/%s,vers=3",
	  .siaddr = "10.0.2.9"), "", { "root=nfs", "nfs.server=10.0.2.2", "nfs.path=/srv/nfs/10.0.2.15",
	  "nfs.version=3", "nfs.source=DHCP root-path" } },
	{ "nfs_root_path_no_server", "boot=nfs", LEASE(.root_path = "/srv/root", .siaddr = "10.0.2.9"),
	  "", { "nfs.server=10.0.2.9", "nfs.path=/srv/root" } },
	{ "nfs_root_path_nfs4_prefix", "root=dhcp", LEASE(.root_path = "nfs4:10.0.2.2:/r"), "",
	  { "root=nfs", "nfs.version=4", "nfs.server=10.0.2.2" } },
	{ "nfs_root_path_cmdline_options", "root=/dev/nfs nfsroot=,vers=3,tcp ip=dhcp",
	  LEASE(.root_path = "10.0.2.2:/r"), "", { "nfs.options=vers=3,tcp", "nfs.version=3" } },
	{ "devnfs_alone_is_dhcp", "root=/dev/nfs ip=dhcp", LEASE(0), "fetch", { "root=image" } },
	{ "nfs_relative_path", "root=dhcp", LEASE(.root_path = "10.0.2.2:srv"), "nfs", { "root=nfs" } },
	{ "nfs_bad_version", "root=/dev/nfs ip=dhcp", LEASE(.root_path = "10.0.2.2:/r,vers=2"), "nfs",
	  { "root=nfs" } },

	/* image URLs */
	{ "image_url_mirrors", "root=http://10.0.2.2/root.squashfs "
	  "netinit.mirror=http://10.0.2.3/root.squashfs netinit.mirror=tftp://10.0.2.4/root.squashfs",
	  LEASE(0), "", { "root=image", "image.url=http://10.0.2.2/root.squashfs",
	  "image.url=http://10.0.2.3/root.squashfs", "image.url=tftp://10.0.2.4/root.squashfs" } },
	{ "image_live", "root=live:http://10.0.2.2/%h/root.cpio.zst", { 0 }, "",
	  { "root=image", "image.url=http://10.0.2.2/%h/root.cpio.zst", "network=up before the root" } },
	{ "image_fetch_opts", "root=http://s/r netinit.fetch.timeout=30 netinit.fetch.retries=0", { 0 },
	  "", { "image.stall_timeout=30 s", "image.retries=0" } },
	{ "image_dhcp_url", "root=dhcp", LEASE(.root_path = "http://10.0.2.2/root.squashfs"), "",
	  { "root=image", "image.url=http://10.0.2.2/root.squashfs (from DHCP)" } },
	{ "image_dhcp_mirror_first", "root=dhcp netinit.mirror=http://m/r",
	  LEASE(.root_path = "tftp://10.0.2.2/r"), "",
	  { "image.url=http://m/r", "image.url=tftp://10.0.2.2/r (from DHCP)" } },
	{ "image_dhcp_bootfile", "root=dhcp", LEASE(.bootfile = "/root.cpio.zst", .siaddr = "10.0.2.2"),
	  "", { "image.url=tftp://10.0.2.2/root.cpio.zst (from DHCP)" } },
	{ "image_dhcp_option66", "root=dhcp", LEASE(.bootfile = "img", .tftp_server = "boot.example",
	  .siaddr = "10.0.2.2"), "", { "image.url=tftp://boot.example/img (from DHCP)" } },
	{ "image_dhcp_nothing", "root=dhcp", LEASE(.siaddr = "10.0.2.2"), "fetch", { "root=image" } },
	{ "image_dhcp_https", "root=dhcp", LEASE(.root_path = "https://10.0.2.2/r"), "fetch fetch",
	  { "root=image" } },
	{ "image_dhcp_no_network", "root=dhcp ip=off", LEASE(.none = true, .bootfile = "x"), "fetch",
	  { "root=image" } },
	{ "dhcp_pending", "root=dhcp", { 0 }, "", { "root=dhcp", "network=up before the root" } },

	/* verification */
	{ "verify_pin_key", "root=http://s/r netinit.sha256=" SHA " netinit.key=" KEY_B64, { 0 }, "",
	  { "verify.pin=" SHA, "verify.keys=1 on the command line, plus those built into the initramfs" } },
	{ "verify_pin_malformed", "root=http://s/r netinit.sha256=xyz", { 0 }, "",
	  { "verify.pin=INVALID (the boot is refused)" } },
	{ "verify_pin_bare_flag", "root=http://s/r netinit.sha256", { 0 }, "",
	  { "verify.pin=INVALID (the boot is refused)" } },
	{ "verify_key_malformed", "root=http://s/r netinit.key=AAAA netinit.key=" KEY_B64, { 0 }, "",
	  { "verify.key=AAAA INVALID (the boot is refused)",
	    "verify.keys=1 on the command line, plus those built into the initramfs" } },
	{ "verify_off", "root=http://s/r netinit.verify=off", { 0 }, "",
	  { "verify=off (netinit.verify=off)" } },

	/* the writable layer */
	{ "writable_default", "root=http://s/r", { 0 }, "", { "writable=volatile" } },
	{ "writable_persistent_image", "root=http://s/r netinit.writable=persistent "
	  "netinit.writable.base=/srv/nodes", { 0 }, "",
	  { "writable=persistent", "writable.base=s:/srv/nodes", "writable.dirs=etc,var,tmp",
	    "writable.collision=volatile" } },
	{ "writable_persistent_nfs", "root=nfs:10.0.2.9:/r:vers=3 netinit.writable=persistent "
	  "netinit.writable.base=/srv/nodes netinit.writable.dirs=etc,var "
	  "netinit.writable.collision=fail", { 0 }, "",
	  { "writable.base=10.0.2.9:/srv/nodes", "writable.dirs=etc,var", "writable.collision=fail" } },
	{ "writable_persistent_server", "root=nfs:10.0.2.9:/r netinit.writable=persistent "
	  "netinit.writable.base=nodes.example:/srv/nodes", { 0 }, "",
	  { "writable.base=nodes.example:/srv/nodes" }, { "writable.nfs=" } },
	/* the root's server: its options, so the kernel shares the root's NFS client */
	{ "writable_persistent_root_options", "root=/dev/nfs nfsroot=10.0.2.9:/r,vers=3,port=2049,"
	  "mountport=20048 netinit.writable=persistent netinit.writable.base=10.0.2.9:/srv/nodes",
	  { 0 }, "", { "writable.base=10.0.2.9:/srv/nodes",
	  "writable.nfs=the root's version and options: vers=3,port=2049,mountport=20048" } },
	{ "writable_persistent_image_no_root_options", "root=http://s/r netinit.writable=persistent "
	  "netinit.writable.base=/srv/nodes", { 0 }, "", { "writable.base=s:/srv/nodes" },
	  { "writable.nfs=" } },
	{ "writable_persistent_no_base", "root=http://s/r netinit.writable=persistent", { 0 }, "mount",
	  { "writable=persistent" } },
	{ "writable_hostfiles", "root=http://s/r netinit.hostfiles=http://s/hosts/%h.tar", { 0 }, "",
	  { "writable.hostfiles=http://s/hosts/%h.tar" } },
	{ "writable_hostfiles_mirrors", "root=http://s/r netinit.hostfiles=http://s/hosts/%h.tar "
	  "netinit.hostfiles=tftp://t/%h.tar", { 0 }, "",
	  { "writable.hostfiles=http://s/hosts/%h.tar\nwritable.hostfiles=tftp://t/%h.tar" } },
	{ "writable_hostfiles_none", "root=http://s/r netinit.writable=none "
	  "netinit.hostfiles=http://s/hosts/%h.tar", { 0 }, "mount", { "writable=none" } },

	/* who the node is */
	{ "node_bootif", "root=http://s/%m BOOTIF=01-52-54-00-AB-cd-01 ip=::::node9::dhcp", { 0 }, "",
	  { "node.mac=52:54:00:ab:cd:01", "node.hostname=node9" } },
	{ "node_ip_mac", "root=http://s/r ip=eth0:dhcp:1500:52:54:00:00:00:02", { 0 }, "",
	  { "node.mac=52:54:00:00:00:02" }, { "node.hostname=" } },
};

static void fill_lease(const struct lease_spec *ls, struct net_lease *l)
{
	memset(l, 0, sizeof(*l));
	l->source = ls->none ? NET_SOURCE_NONE : NET_SOURCE_DHCP;
	if (!ls->none && ls->addr)
		inet_pton(AF_INET, ls->addr, &l->addr);
	if (ls->siaddr)
		inet_pton(AF_INET, ls->siaddr, &l->siaddr);
	if (ls->server_id)
		inet_pton(AF_INET, ls->server_id, &l->server_id);
	snprintf(l->root_path, sizeof(l->root_path), "%s", ls->root_path ? ls->root_path : "");
	snprintf(l->bootfile, sizeof(l->bootfile), "%s", ls->bootfile ? ls->bootfile : "");
	snprintf(l->tftp_server, sizeof(l->tftp_server), "%s", ls->tftp_server ? ls->tftp_server : "");
	snprintf(l->hostname, sizeof(l->hostname), "%s", ls->hostname ? ls->hostname : "");
}

static void record(void *ctx, enum cmdline_severity sev, const char *stage, const char *msg)
{
	char *errs = ctx;
	size_t n = strlen(errs);

	if (sev == CMDLINE_ERROR)
		snprintf(errs + n, 256 - n, "%s%s", n ? " " : "", stage);
}

static bool has_line(const char *text, const char *line)
{
	size_t n = strlen(line);

	for (const char *p = text; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL)
		if (!strncmp(p, line, n) && (p[n] == '\n' || p[n] == '\0'))
			return true;
	return false;
}

static void run_row(void **state)
{
	const struct row *r = *state;
	static struct cmdline cl;
	static struct boot_plan p;
	struct net_lease lease;
	char errs[256] = "", text[16384];
	FILE *f;

	cmdline_parse(r->line, &cl, NULL, NULL);
	if (r->lease.set)
		fill_lease(&r->lease, &lease);
	plan_build(&cl, r->lease.set ? &lease : NULL, &p, record, errs);
	f = fmemopen(text, sizeof(text), "w");
	assert_non_null(f);
	plan_print(&p, f);
	fclose(f);
	if (strcmp(errs, r->errors))
		fail_msg("%s: errors from \"%s\", expected \"%s\"", r->name, errs, r->errors);
	for (size_t i = 0; i < MAXE && r->expect[i]; i++)
		if (!has_line(text, r->expect[i]))
			fail_msg("%s: no line \"%s\" in the plan:\n%s", r->name, r->expect[i], text);
	for (size_t i = 0; i < 4 && r->absent[i]; i++)
		if (strstr(text, r->absent[i]))
			fail_msg("%s: \"%s\" should not be in the plan:\n%s", r->name, r->absent[i], text);
}

/* Same input, same plan: plan_build keeps nothing between calls. */
static void test_pure(void **state)
{
	static struct cmdline cl;
	static struct boot_plan a, b;
	struct net_lease l;
	const struct lease_spec ls = LEASE(.root_path = "10.0.2.2:/r");

	cmdline_parse("root=dhcp netinit.mirror=http://m/r", &cl, NULL, NULL);
	fill_lease(&ls, &l);
	plan_build(&cl, &l, &a, NULL, NULL);
	plan_build(&cl, NULL, &b, NULL, NULL);
	plan_build(&cl, &l, &b, NULL, NULL);
	assert_memory_equal(&a, &b, sizeof(a));
	assert_int_equal(a.root, PLAN_ROOT_NFS);
}

/* The decoded key is the one on the command line (decoded once, by the parser). */
static void test_key_bytes(void **state)
{
	static struct cmdline cl;
	static struct boot_plan p;

	cmdline_parse("root=http://s/r netinit.key=" KEY_B64, &cl, NULL, NULL);
	assert_int_equal(plan_build(&cl, NULL, &p, NULL, NULL), 0);
	assert_int_equal(p.verify.nkey, 1);
	for (int i = 0; i < 32; i++)
		assert_int_equal(p.verify.key[0][i], i);
}

int main(void)
{
	size_t nrows = sizeof(rows) / sizeof(rows[0]);
	static const struct CMUnitTest fixed[] = {
		cmocka_unit_test(test_pure),
		cmocka_unit_test(test_key_bytes),
	};
	size_t nfixed = sizeof(fixed) / sizeof(fixed[0]);
	struct CMUnitTest *tests = calloc(nrows + nfixed, sizeof(*tests));

	if (!tests)
		return 1;
	for (size_t i = 0; i < nrows; i++) {
		tests[i].name = rows[i].name;
		tests[i].test_func = run_row;
		tests[i].initial_state = (void *)&rows[i];
	}
	memcpy(tests + nrows, fixed, sizeof(fixed));
	return _cmocka_run_group_tests("plan", tests, nrows + nfixed, NULL, NULL);
}
