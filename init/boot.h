/* SPDX-License-Identifier: MIT */
/*
 * The stages between init/main.c and the network, fetch, mount and hook
 * modules.  Each takes the part of the plan (init/plan.h) it needs and
 * leaves its result in struct boot_state, which boot() in init/main.c
 * passes from stage to stage: no stage keeps state of its own.
 */
#ifndef NETINIT_BOOT_H
#define NETINIT_BOOT_H

#include <stdbool.h>
#include <stdio.h>

#include "cmdline.h"
#include "hostname.h"
#include "imageroot.h"
#include "net.h"
#include "plan.h"

struct boot_state {
	struct boot_plan plan;   /* from the command line, then again with the lease */
	struct net_lease lease;  /* the network stage's result (have_lease) */
	bool have_lease;
	bool have_net;           /* a lease or static address is configured */
	char hostname[254];      /* validated (hostname_valid()), "" if none */
	char ifname[16];
	char ipaddr[16];
	struct staged_root staged; /* an image root between fetch and mount */
	struct node_name name;   /* the node's name (init/hostname.h), chosen at the mount stage */
	enum plan_writable_mode layer; /* the writable layer the root got (persistent may fall back) */
	size_t extra_done;       /* netinit.mount= entries mounted so far */
	int preload_pid;         /* the child loading the root's modules, or 0 */
	const char *mount_step;  /* the part of the mount stage that failed ("" for the root
	                          * itself); set by boot_mount_root() */
};

/* Stage plan: plan_build() with what is known so far; its problems logged
 * with their stage.  0, or -EINVAL when the root cannot be reached. */
int boot_plan(const struct cmdline *cl, struct boot_state *bs);
/* Before the network: load the modules the plan's root needs in a child,
 * while DHCP waits (reaped by boot_mount_root()). */
void boot_preload_modules(const struct cmdline *cl, struct boot_state *bs);
/* Stage net: bring the network up (net_up()); fills lease, have_net, names. */
int boot_network_up(const struct cmdline *cl, struct boot_state *bs);
/* Stage mount: the plan's root on newroot (local, NFS, or fetch + mount). */
int boot_mount_root(const struct cmdline *cl, struct boot_state *bs, const char *newroot);
/* init/writable.c: the node's name (logged with its source); the per-host
 * directories over the mounted root, or the volatile fallback (0, or
 * -errno: the failure policy); the node's /etc/hosts line. */
struct mount_modules;
int boot_choose_name(struct boot_state *bs);
int boot_writable(const struct cmdline *cl, const struct mount_modules *mm, struct boot_state *bs,
		  const char *newroot);
void boot_hosts_line(struct boot_state *bs, const char *newroot);
/* netinit.hostfiles= over the volatile layer (fetch_hostfiles()); 0 or -errno. */
int boot_hostfiles(struct boot_state *bs, const char *newroot);
/* Stage mount, after the root: netinit.mount= under newroot (mount/extra.c);
 * a retry goes on with the first that failed.  0 or -errno. */
int boot_extra_mounts(const struct cmdline *cl, struct boot_state *bs, const char *newroot);
/* Stage hand-over: the network state for the real root. */
void boot_handover(struct boot_state *bs, const char *newroot);
void boot_hooks(const struct cmdline *cl, enum boot_stage stage, struct boot_state *bs);
void boot_print_config(const struct cmdline *cl, FILE *out);

/* Applets provided by the optional modules, appended to init/main.c's table. */
int dhcp_main(int argc, char **argv);  /* net/net.h */
int fetch_main(int argc, char **argv); /* fetch/fetch.h */
#define BOOT_EXTRA_APPLETS \
	{ "dhcp", dhcp_main, "IFACE...     run the DHCP client alone and print the lease" }, \
	{ "fetch", fetch_main, "URL OUT      download (verify, unpack) an image as the boot does" },

#endif
