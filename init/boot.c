/* SPDX-License-Identifier: MIT */
#include "boot.h"

#include <arpa/inet.h>
#include <errno.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "extra.h"
#include "fetch.h"
#include "localroot.h"
#include "modules.h"
#include "mount.h"
#include "hooks.h"
#include "log.h"
#include "net.h"
#include "nfsroot.h"
#include "netinit_config.h"
#include "rescue.h"
#include "report.h"
#include "util.h"

static void log_plan_problem(void *ctx, enum cmdline_severity sev, const char *stage,
			     const char *msg)
{
	if (sev == CMDLINE_ERROR)
		nl_err(stage, "%s", msg);
	else
		nl_warn(stage, "%s", msg);
}

int boot_plan(const struct cmdline *cl, struct boot_state *bs)
{
	int errors = plan_build(cl, bs->have_lease ? &bs->lease : NULL, &bs->plan,
				log_plan_problem, NULL);

	return errors ? -EINVAL : 0;
}

int boot_network_up(const struct cmdline *cl, struct boot_state *bs)
{
	int r;

	if (!CFG_NET) {
		nl_err("net", "this init was built without network support (CONFIG_NET=n); "
		       "a network root cannot boot");
		return -ENOTSUP;
	}
	r = net_up(cl, &bs->lease);
	if (r < 0)
		return r;
	bs->have_lease = true;
	bs->have_net = bs->lease.source != NET_SOURCE_NONE;
	/* net_up() validated the host name (hostname_valid()) before storing it. */
	strscpy_ok(bs->hostname, bs->lease.hostname, sizeof(bs->hostname));
	strscpy_ok(bs->ifname, bs->lease.ifname, sizeof(bs->ifname));
	if (bs->have_net) {
		inet_ntop(AF_INET, &bs->lease.addr, bs->ipaddr, sizeof(bs->ipaddr));
		/* The lease files in /run/netinit/ as soon as the lease is applied:
		 * post-net hooks read them (doc/hooks.md); rewritten at hand-over. */
		net_handover(&bs->lease, NULL);
		boot_renew_lease(&bs->lease); /* at T1, during a long download */
	}
	return 0;
}

/*
 * The root's modules are known from the command line (the plan before the
 * lease): a child loads them while the parent waits for DHCP, so the mount
 * stage finds them loaded.  The child only calls init_module(2) through
 * libkmod and exits; boot_mount_root() reaps it (bounded) before mounting.
 */
void boot_preload_modules(const struct cmdline *cl, struct boot_state *bs)
{
	const struct boot_plan *p = &bs->plan;
	const char *mods[4 * (CMDLINE_MAX_MOUNT + 1)];
	size_t n = 0;
	pid_t pid;

	if (!CFG_MODULES || !CFG_NFS)
		return;
	if (p->root == PLAN_ROOT_NFS)
		n = nfsroot_modules(&p->nfs, p->writable.mode == PLAN_RW_VOLATILE, mods);
	for (size_t i = 0; i < p->nmount; i++)
		if (!strncmp(p->mount[i].type, "nfs", 3))
			n += nfsroot_modules(&p->mount[i].nfs, false, mods + n);
	if (!n)
		return;
	pid = fork();
	if (pid < 0)
		return; /* the mount stage loads them itself */
	if (pid == 0) {
		modules_load(cl, mods, n, 1);
		_exit(0);
	}
	bs->preload_pid = pid;
	nl_debug("modules", "loading the root's modules while the network comes up (pid %d)",
		 (int)pid);
}

/* Wait for the preloading child (at most 30 s: a module load that hangs must
 * not hang the boot; the mount stage then loads what is missing itself). */
static void preload_wait(struct boot_state *bs)
{
	uint64_t end = now_ms() + 30000;

	while (bs->preload_pid > 0) {
		pid_t r = waitpid(bs->preload_pid, NULL, WNOHANG);

		if (r == bs->preload_pid || (r < 0 && errno != EINTR))
			bs->preload_pid = 0;
		else if (now_ms() > end) {
			nl_warn("modules", "preloading the root's modules takes over 30 s; going on");
			bs->preload_pid = 0;
		} else
			sleep_ms(20);
	}
}

/* mount/ loads its modules through this (it never calls up into init/). */
static int load_for_mount(void *ctx, const char *const *names, size_t n)
{
	return modules_load(ctx, names, n, 1);
}

static int image_root(struct boot_state *bs, const char *newroot)
{
	const struct net_lease *lease = bs->have_lease ? &bs->lease : NULL;
	int r;

	if (!CFG_FETCH_HTTP && !CFG_FETCH_TFTP) {
		nl_err("mount", "image roots are not built into this init (CONFIG_FETCH_HTTP/TFTP=n)");
		return -ENOTSUP;
	}
	r = fetch_root(&bs->plan, lease, FETCH_RUN_DIR, FETCH_KEY_DIR, &bs->staged);
	if (r < 0)
		return r;
	return staged_root_commit(&bs->staged, bs->plan.writable.mode == PLAN_RW_VOLATILE ?
				  STAGED_VOLATILE : bs->plan.ro ? STAGED_RO : STAGED_RW, newroot);
}

static int mount_root(const struct mount_modules *mm, struct boot_state *bs, const char *newroot)
{
	const struct boot_plan *p = &bs->plan;

	switch (p->root) {
	case PLAN_ROOT_LOCAL:
		return localroot_mount(&p->local, p->ro || p->writable.mode == PLAN_RW_PERSISTENT, mm,
				       newroot);
	case PLAN_ROOT_NFS:
		return nfsroot_mount(&p->nfs, &p->writable, p->ro, bs->have_lease ? &bs->lease : NULL,
				     mm, newroot);
	case PLAN_ROOT_IMAGE:
		return image_root(bs, newroot);
	default:
		nl_err("mount", "the root is still undecided (root=%s)", plan_root_name(p->root));
		return -EINVAL;
	}
}

int boot_mount_root(const struct cmdline *cl, struct boot_state *bs, const char *newroot)
{
	const struct mount_modules mm = { load_for_mount, (void *)cl };
	int r;

	bs->mount_step = "";
	mkdir(newroot, 0755);
	preload_wait(bs);
	/* where the root comes from was decided by the plan, with the lease */
	if ((r = boot_plan(cl, bs)) < 0)
		return r;
	if (bs->have_net || bs->plan.writable.mode == PLAN_RW_PERSISTENT)
		boot_choose_name(bs);
	if ((r = mount_root(&mm, bs, newroot)) < 0)
		return r;
	r = boot_writable(cl, &mm, bs, newroot);
	if (r < 0)
		bs->mount_step = "the writable layer (netinit.writable=): ";
	else if ((r = boot_hostfiles(bs, newroot)) < 0)
		bs->mount_step = "the per-host files (netinit.hostfiles=): ";
	if (r < 0) /* the failure policy may try the mount stage again: start clean */
		while (umount2(newroot, MNT_DETACH) == 0)
			;
	return r;
}

int boot_extra_mounts(const struct cmdline *cl, struct boot_state *bs, const char *newroot)
{
	const struct mount_modules mm = { load_for_mount, (void *)cl };

	return extra_mounts(bs->plan.mount, bs->plan.nmount, &bs->extra_done,
			    bs->have_lease ? &bs->lease : NULL, &mm, newroot);
}

void boot_handover(struct boot_state *bs, const char *newroot)
{
	int r;

	boot_hosts_line(bs, newroot);
	if (!bs->have_net)
		return;
	/* DHCP's resolv.conf and host name go into the new root's /etc only on
	 * a network root (its writable layer): on a local disk they would
	 * persist, and a rogue DHCP server's DNS settings with them.  The
	 * booted system still finds them in /run/netinit/ (doc/network.md). */
	r = net_handover(&bs->lease, bs->plan.root == PLAN_ROOT_LOCAL ? NULL : newroot);
	if (r < 0)
		nl_warn("net", "hand-over of the network state to the new root was incomplete: %s; "
			"the booted system's network manager may reconfigure the interface", strerror(-r));
}

void boot_hooks(const struct cmdline *cl, enum boot_stage stage, struct boot_state *bs)
{
	int r;

	report_state(cl, bs); /* what the rescue summary and the report tell */
	if (!CFG_HOOKS)
		return;
	while ((r = hooks_stage(cl, stage, bs, "/newroot")) < 0)
		boot_fail(cl, stage, "%s hooks failed: %s", boot_stage_name(stage),
			  r == -E2BIG ? "more hooks than the limit" : "a hook failed (see above)");
}

static const char *root_type_name(enum root_type t)
{
	switch (t) {
	case ROOT_BLOCK: return "block";
	case ROOT_NFS: return "nfs";
	case ROOT_URL: return "url";
	case ROOT_DHCP: return "dhcp";
	default: return "unset";
	}
}

void boot_print_config(const struct cmdline *cl, FILE *out)
{
	char a[INET_ADDRSTRLEN];

	fprintf(out, "root.type=%s\n", root_type_name(cl->root.type));
	if (cl->root.type == ROOT_BLOCK)
		fprintf(out, "root.device=%s\n", cl->root.device);
	if (cl->root.type == ROOT_NFS)
		fprintf(out, "root.nfs=%s:%s version=%d options=%s\n", cl->root.nfs.server,
			cl->root.nfs.path, cl->root.nfs.version, cl->root.nfs.options);
	for (size_t i = 0; i < cl->nmirror; i++)
		fprintf(out, "mirror=%s\n", cl->mirror[i]);
	fprintf(out, "rootfstype=%s\nrootflags=%s\nro=%d\ninit=%s\npanic=%d\n", cl->rootfstype,
		cl->rootflags, cl->ro, cl->init, cl->panic);
	for (size_t i = 0; i < cl->nip; i++) {
		const struct ip_spec *ip = &cl->ip[i];

		fprintf(out, "ip[%zu]=%s device=%s", i,
			ip->method == IP_METHOD_DHCP ? "dhcp" : ip->method == IP_METHOD_STATIC ? "static" :
			ip->method == IP_METHOD_OFF ? "off" : "unset", ip->device);
		if (ip->method == IP_METHOD_STATIC)
			fprintf(out, " client=%s", inet_ntop(AF_INET, &ip->client, a, sizeof(a)));
		if (ip->hostname[0])
			fprintf(out, " hostname=%s", ip->hostname);
		fputc('\n', out);
	}
	fprintf(out, "neednet=%d\nshell=%d\nbreak_mask=0x%x\nemergency=%d\ntimeout=%d\ndebug=%d\n",
		cl->neednet, cl->shell, cl->break_mask, (int)cl->emergency, cl->timeout, cl->debug);
	if (cl->sha256[0])
		fprintf(out, "sha256=%s\n", cl->sha256);
	fprintf(out, "writable=%s\n", cl->writable);
}
