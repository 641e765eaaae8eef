/* SPDX-License-Identifier: MIT */
/*
 * Every NFS spelling a pxelinux line or a DHCP server may use, as a table:
 * the command line (and the DHCP root-path, when the location comes from
 * there), then the server, path, version and options the plan must hold and
 * the mount(2) data mount/nfsroot.c gives the kernel for the first try.
 * Sources: dracut.cmdline(7) ("NFS options can be appended with the prefix
 * ':' or ','"), the kernel's filesystems/nfs/nfsroot.rst and
 * fs/nfs/fs_context.c (v2..v4.2 flags, vers=, nfsvers=), initramfs-tools(7).
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
#include "nfsroot.h"
#include "plan.h"

#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

struct row {
	const char *name;
	const char *line;
	const char *root_path;   /* DHCP option 17, or NULL: no lease */
	const char *server, *path, *version, *options;
	const char *data;        /* mount(2) data of the first try; NULL: the plan fails */
};

#define ADDR "addr=10.0.0.3"
/* timeo/retrans: mount/nfsroot.c's bound on one mount try, unless the user set them */
#define TMO ",timeo=50,retrans=2"
#define V4(rest) "vers=4," ADDR ",clientaddr=10.0.0.15" TMO rest
#define V3(rest) "vers=3," ADDR ",nolock" TMO rest
#define V3NT(rest) "vers=3," ADDR ",nolock" rest

static const struct row rows[] = {
	/* dracut.cmdline(7), on the command line */
	{ "dracut_nfs_colon_opts", "root=nfs:10.0.0.3:/nfs/client:wsize=4096", NULL,
	  "10.0.0.3", "/nfs/client", "4, then 3", "wsize=4096", V4(",wsize=4096") },
	{ "dracut_nfs_comma_opts", "root=nfs:10.0.0.3:/nfs/client,wsize=4096,ro", NULL,
	  "10.0.0.3", "/nfs/client", "4, then 3", "wsize=4096,ro", V4(",wsize=4096") },
	{ "dracut_nfs4_comma_opts", "root=nfs4:10.0.0.3:/client,wsize=4096", NULL,
	  "10.0.0.3", "/client", "4", "wsize=4096", V4(",wsize=4096") },
	{ "dracut_nfs4_colon_opts", "root=nfs4:10.0.0.3:/client:rsize=8192,sec=sys", NULL,
	  "10.0.0.3", "/client", "4", "rsize=8192,sec=sys", V4(",rsize=8192,sec=sys") },
	/* the user's timeo=/retrans= win, each on its own (nfs(5)) */
	{ "user_timeo_wins", "root=nfs:10.0.0.3:/r:vers=3,timeo=600", NULL,
	  "10.0.0.3", "/r", "3", "vers=3,timeo=600", "vers=3," ADDR ",nolock,retrans=2,timeo=600" },
	{ "user_retrans_wins", "root=nfs4:10.0.0.3:/r,retrans=5,soft", NULL,
	  "10.0.0.3", "/r", "4", "retrans=5,soft",
	  "vers=4," ADDR ",clientaddr=10.0.0.15,timeo=50,retrans=5,soft" },
	{ "user_both_win", "root=/dev/nfs nfsroot=10.0.0.3:/r,v3,timeo=20,retrans=1", NULL,
	  "10.0.0.3", "/r", "3", "v3,timeo=20,retrans=1", V3NT(",timeo=20,retrans=1") },
	{ "acregmax_is_not_timeo", "root=nfs:10.0.0.3:/r:vers=3,acregmax=5,actimeo=3", NULL,
	  "10.0.0.3", "/r", "3", "vers=3,acregmax=5,actimeo=3", V3(",acregmax=5,actimeo=3") },
	{ "dracut_nfs_vers3", "root=nfs:10.0.0.3:/r:vers=3,tcp", NULL,
	  "10.0.0.3", "/r", "3", "vers=3,tcp", V3(",tcp") },
	{ "dracut_nfs_no_server", "root=nfs:/srv/root ip=10.0.0.15::10.0.0.1:255.255.255.0::eth0:off",
	  NULL, "", "/srv/root", "4, then 3", "", NULL },
	{ "dracut_legacy_server_path", "root=10.0.0.3:/srv/root", NULL,
	  "10.0.0.3", "/srv/root", "4, then 3", "", V4("") },
	{ "dracut_legacy_opts", "root=10.0.0.3:/srv/root:nfsvers=3,nolock", NULL,
	  "10.0.0.3", "/srv/root", "3", "nfsvers=3,nolock", V3(",nolock") },
	{ "dracut_nfsroot_colon", "root=/dev/nfs nfsroot=10.0.0.3:/srv/root:vers=4.1", NULL,
	  "10.0.0.3", "/srv/root", "4.1", "vers=4.1",
	  "vers=4.1," ADDR ",clientaddr=10.0.0.15" TMO },
	/* the kernel's nfsroot= and its version flags */
	{ "kernel_nfsroot", "root=/dev/nfs nfsroot=10.0.0.3:/srv/root,vers=3,tcp", NULL,
	  "10.0.0.3", "/srv/root", "3", "vers=3,tcp", V3(",tcp") },
	{ "initramfs_tools_line",
	  "root=/dev/nfs nfsroot=10.0.0.3:/srv/root,tcp,v3,nolock,port=2049 ip=dhcp", NULL,
	  "10.0.0.3", "/srv/root", "3", "tcp,v3,nolock,port=2049", V3(",tcp,nolock,port=2049") },
	{ "flag_v4", "root=/dev/nfs nfsroot=10.0.0.3:/r,v4", NULL,
	  "10.0.0.3", "/r", "4", "v4", V4("") },
	{ "flag_v4_0", "root=nfs:10.0.0.3:/r:v4.0", NULL, "10.0.0.3", "/r", "4.0", "v4.0",
	  "vers=4.0," ADDR ",clientaddr=10.0.0.15" TMO },
	{ "flag_v4_2", "root=nfs:10.0.0.3:/r:v4.2,hard", NULL, "10.0.0.3", "/r", "4.2", "v4.2,hard",
	  "vers=4.2," ADDR ",clientaddr=10.0.0.15" TMO ",hard" },
	{ "nfsvers_4_1", "root=nfs:10.0.0.3:/r:nfsvers=4.1", NULL, "10.0.0.3", "/r", "4.1",
	  "nfsvers=4.1", "vers=4.1," ADDR ",clientaddr=10.0.0.15" TMO },
	{ "last_version_wins", "root=nfs:10.0.0.3:/r:v4,vers=3", NULL, "10.0.0.3", "/r", "3",
	  "v4,vers=3", V3("") },
	{ "boot_nfs", "boot=nfs nfsroot=10.0.0.3:/srv/root", NULL,
	  "10.0.0.3", "/srv/root", "4, then 3", "", V4("") },
	/* refused: a version the init does not mount, or a conflict */
	{ "flag_v2_refused", "root=nfs:10.0.0.3:/r:v2", NULL, NULL, NULL, NULL, NULL, NULL },
	{ "vers_5_refused", "root=/dev/nfs nfsroot=10.0.0.3:/r,vers=5", NULL, NULL, NULL, NULL, NULL,
	  NULL },
	{ "nfs4_vers3_refused", "root=nfs4:10.0.0.3:/r:vers=3", NULL, NULL, NULL, NULL, NULL, NULL },
	/* the DHCP root-path (dracut.cmdline(7) "root=dhcp ... root-path=") */
	{ "rp_plain", "root=dhcp", "10.0.0.3:/nfs/client", "10.0.0.3", "/nfs/client",
	  "4, then 3", "", V4("") },
	{ "rp_comma", "root=dhcp", "10.0.0.3:/nfs/client,wsize=4096", "10.0.0.3", "/nfs/client",
	  "4, then 3", "wsize=4096", V4(",wsize=4096") },
	{ "rp_nfs_colon", "root=dhcp", "nfs:10.0.0.3:/nfs/client:wsize=4096", "10.0.0.3",
	  "/nfs/client", "4, then 3", "wsize=4096", V4(",wsize=4096") },
	{ "rp_nfs4_comma", "root=dhcp", "nfs4:10.0.0.3:/client,wsize=4096", "10.0.0.3", "/client",
	  "4", "wsize=4096", V4(",wsize=4096") },
	{ "rp_nfs4_colon", "root=dhcp", "nfs4:10.0.0.3:/client:wsize=4096,hard", "10.0.0.3",
	  "/client", "4", "wsize=4096,hard", V4(",wsize=4096,hard") },
	{ "rp_nfs_v3_flag", "root=dhcp", "nfs:10.0.0.3:/r,v3,tcp", "10.0.0.3", "/r", "3", "v3,tcp",
	  V3(",tcp") },
	{ "rp_path_percent_s", "root=dhcp", "10.0.0.3:/nodes/%s:vers=3", "10.0.0.3",
	  "/nodes/10.0.0.15", "3", "vers=3", V3("") },
	{ "rp_no_server", "root=dhcp", "/srv/root", "10.0.0.9", "/srv/root", "4, then 3", "",
	  "vers=4,addr=10.0.0.9,clientaddr=10.0.0.15" TMO },
	{ "rp_devnfs", "root=/dev/nfs ip=dhcp", "nfs:10.0.0.3:/r:vers=4.2", "10.0.0.3", "/r", "4.2",
	  "vers=4.2", "vers=4.2," ADDR ",clientaddr=10.0.0.15" TMO },
	{ "rp_nfsroot_auto", "root=/dev/nfs nfsroot=auto ip=dhcp", "10.0.0.3:/r,v3", "10.0.0.3", "/r",
	  "3", "v3", V3("") },
	{ "rp_cmdline_opts_added", "root=/dev/nfs nfsroot=,v3,tcp ip=dhcp", "10.0.0.3:/r",
	  "10.0.0.3", "/r", "3", "v3,tcp", V3(",tcp") },
	{ "rp_relative_refused", "root=dhcp", "10.0.0.3:srv", NULL, NULL, NULL, NULL, NULL },
	{ "rp_v2_refused", "root=dhcp", "10.0.0.3:/r,vers=2", NULL, NULL, NULL, NULL, NULL },
};

static void ignore(void *ctx, enum cmdline_severity sev, const char *stage, const char *msg)
{
	int *errors = ctx;

	(void)stage;
	(void)msg;
	if (sev == CMDLINE_ERROR)
		(*errors)++;
}

static void cl_ignore(void *ctx, enum cmdline_severity sev, const char *param, const char *msg)
{
	ignore(ctx, sev, param, msg);
}

static void run_row(void **state)
{
	const struct row *r = *state;
	static struct cmdline cl;
	static struct boot_plan p;
	struct net_lease lease;
	struct in_addr server, client;
	char data[800];
	int errors = 0;

	memset(&lease, 0, sizeof(lease));
	lease.source = NET_SOURCE_DHCP;
	inet_pton(AF_INET, "10.0.0.15", &lease.addr);
	inet_pton(AF_INET, "10.0.0.9", &lease.siaddr);
	snprintf(lease.root_path, sizeof(lease.root_path), "%s", r->root_path ? r->root_path : "");
	cmdline_parse(r->line, &cl, cl_ignore, &errors);
	plan_build(&cl, r->root_path ? &lease : NULL, &p, ignore, &errors);
	if (!r->server) {
		if (!errors)
			fail_msg("%s: \"%s\" (root-path \"%s\") should be refused", r->name, r->line,
				 r->root_path ? r->root_path : "");
		return;
	}
	assert_int_equal(errors, 0);
	assert_int_equal(p.root, PLAN_ROOT_NFS);
	assert_string_equal(p.nfs.server, r->server);
	assert_string_equal(p.nfs.path, r->path);
	assert_string_equal(nfs_version_name(&p.nfs), r->version);
	assert_string_equal(p.nfs.options, r->options);
	if (!r->data)
		return;
	inet_pton(AF_INET, p.nfs.server, &server);
	client = lease.addr;
	assert_int_equal(nfsroot_options(&p.nfs, server, p.nfs.version ? p.nfs.version : 4, client,
					 data, sizeof(data)), 0);
	assert_string_equal(data, r->data);
}

int main(void)
{
	size_t nrows = sizeof(rows) / sizeof(rows[0]);
	struct CMUnitTest *tests = calloc(nrows, sizeof(*tests));

	if (!tests)
		return 1;
	for (size_t i = 0; i < nrows; i++) {
		tests[i].name = rows[i].name;
		tests[i].test_func = run_row;
		tests[i].initial_state = (void *)&rows[i];
	}
	return _cmocka_run_group_tests("nfs_spelling", tests, nrows, NULL, NULL);
}
