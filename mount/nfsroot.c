/* SPDX-License-Identifier: MIT */
/*
 * The kernel's NFS client parses text mount options itself
 * (fs/nfs/fs_context.c) and speaks the MOUNT protocol for NFSv3, so no
 * mount.nfs helper is needed; it does not resolve names, hence addr=.
 * Without rpc.statd in the initramfs, NFSv3 locking is local ("nolock"),
 * as klibc's nfsmount and the kernel's own nfsroot do.
 */
#include "nfsroot.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "log.h"
#include "mount.h"
#include "net.h"
#include "netinit_config.h"
#include "overlay.h"
#include "plan.h"
#include "util.h"

#define NFS_STAGE "nfs"

/*
 * One mount(2) must end against a server that never answers.  nfs(5): timeo
 * is the first RPC timeout in tenths of a second, retrans the retries before
 * a "major timeout"; over TCP each retry waits timeo longer (linear backoff,
 * net/sunrpc/xprt.c xprt_adjust_timeout).  The RPCs of the mount itself are
 * soft (rpc_ping() in net/sunrpc/clnt.c: RPC_TASK_SOFT|RPC_TASK_SOFTCONN; the
 * MNT call of NFSv3, which honours timeo/retrans since Linux 5.13), so they
 * fail at the major timeout: 5 + 10 = 15 s here (measured in the VM test:
 * 15.4 s), against 60 + 120 = 180 s with the kernel's TCP defaults
 * (timeo=600, retrans=2; measured: 181 s).  The mount stays hard once
 * mounted: a silent server then means "server not responding, still
 * trying" after 15 s and a reconnect, never an error.
 * The user's own timeo=/retrans= win (doc/nfs.md, "Timeouts").
 */
#define NFS_TIMEO_DS 50
#define NFS_RETRANS 2

/* Does the comma list (",a,b=c") hold option name=? */
static bool nfs_has_option(const char *list, const char *name)
{
	size_t len = strlen(name);

	for (const char *p = list; (p = strstr(p, name)); p += len)
		if (p > list && p[-1] == ',' && p[len] == '=')
			return true;
	return false;
}

/* timeo=/retrans= unless the user set them: ",timeo=50,retrans=2" or less. */
static void nfs_timeouts(const char *filtered, char *out, size_t size)
{
	int w = 0;

	out[0] = '\0';
	if (!nfs_has_option(filtered, "timeo"))
		w = snprintf(out, size, ",timeo=%d", NFS_TIMEO_DS);
	if (!nfs_has_option(filtered, "retrans") && w >= 0 && (size_t)w < size)
		snprintf(out + w, size - w, ",retrans=%d", NFS_RETRANS);
}

/* Options we set ourselves: the version (vers=, nfsvers=, v3, v4.1, ...) and ro/rw. */
static bool nfs_option_ours(const char *p, size_t len)
{
	int major, minor;

	return nfs_option_version(p, len, &major, &minor) != 0 ||
	       (len == 2 && (!strncmp(p, "ro", 2) || !strncmp(p, "rw", 2)));
}

int nfsroot_options(const struct plan_nfs *n, struct in_addr server, int version,
		    struct in_addr client, char *out, size_t size)
{
	char addr[INET_ADDRSTRLEN], caddr[INET_ADDRSTRLEN], vers[8] = "4";
	char filtered[512] = "", tmo[32];
	const char *p = n->options;
	int w;

	/* Keep the user's options in order, without those we set. */
	while (p && *p) {
		const char *end = strchr(p, ',');
		size_t len = end ? (size_t)(end - p) : strlen(p);

		if (len && !nfs_option_ours(p, len)) {
			size_t cur = strlen(filtered);

			if (cur + len + 2 >= sizeof(filtered))
				return -ENAMETOOLONG;
			snprintf(filtered + cur, sizeof(filtered) - cur, ",%.*s", (int)len, p);
		}
		p = end ? end + 1 : NULL;
	}
	nfs_timeouts(filtered, tmo, sizeof(tmo));
	inet_ntop(AF_INET, &server, addr, sizeof(addr));
	if (version == 4) {
		if (n->version == 4 && n->has_minor)
			snprintf(vers, sizeof(vers), "4.%d", n->minor);
		inet_ntop(AF_INET, &client, caddr, sizeof(caddr));
		w = snprintf(out, size, "vers=%s,addr=%s,clientaddr=%s%s%s", vers, addr, caddr,
			     tmo, filtered);
	} else {
		/* nolock unless the user asked for locking (no statd here) */
		int lock = strstr(filtered, ",lock") != NULL;

		w = snprintf(out, size, "vers=3,addr=%s%s%s%s", addr, lock ? "" : ",nolock", tmo,
			     filtered);
	}
	return w < 0 || (size_t)w >= size ? -ENAMETOOLONG : 0;
}

/* What a mount try needs: the plan's location, the server's address. */
struct nfs_target {
	const struct plan_nfs *n;
	struct in_addr addr;     /* n->server resolved: the kernel needs addr= */
	struct in_addr client;
	int ro;
	const char *target;
};

static int nfs_try(const struct nfs_target *t, int version)
{
	char src[1300], data[800];
	const struct plan_nfs *n = t->n;
	int r = nfsroot_options(n, t->addr, version, t->client, data, sizeof(data));

	if (r < 0)
		return r;
	snprintf(src, sizeof(src), "%s:%s", n->server, n->path);
	nl_debug(NFS_STAGE, "mount -t %s %s %s -o %s", version == 4 ? "nfs4" : "nfs", src, t->target,
		 data);
	if (mount(src, t->target, version == 4 ? "nfs4" : "nfs", t->ro ? MS_RDONLY : 0, data) < 0)
		return -errno;
	return 0;
}

/* One mount try for deadline_wait(): 0 mounted, >0 try again, <0 give up. */
struct nfs_attempt {
	const struct nfs_target *t;
	int version;
};

static int nfs_attempt(void *ctx)
{
	struct nfs_attempt *a = ctx;
	const struct plan_nfs *n = a->t->n;
	int r;

	a->version = n->version ? n->version : 4;
	r = nfs_try(a->t, a->version);
	if (r < 0 && !n->version && (r == -EPROTONOSUPPORT || r == -ENOENT || r == -EINVAL ||
				     r == -EACCES || r == -EPERM || r == -ENODEV)) {
		nl_info(NFS_STAGE, "NFSv4 mount failed (%s); trying NFSv3", strerror(-r));
		a->version = 3;
		r = nfs_try(a->t, a->version);
	}
	if (r == -EACCES || r == -EPERM) {
		nl_err(NFS_STAGE, "the server refused %s:%s (%s): check its exports for this client",
		       n->server, n->path, strerror(-r));
		return r;
	}
	return -r;
}

static void nfs_retry_note(void *ctx, int err, unsigned pause_ms, unsigned tries)
{
	const struct nfs_attempt *a = ctx;

	nl_warn(NFS_STAGE, "mount %s:%s failed: %s; retrying in %.1f s", a->t->n->server,
		a->t->n->path, strerror(err), pause_ms / 1000.0);
}

/* Mount on t->target, retrying with backoff until the deadline; 0 or -errno. */
static int nfs_mount_retry(const struct nfs_target *t)
{
	const struct plan_nfs *n = t->n;
	struct nfs_attempt a = { .t = t };
	/* rd.retry=N (dracut): at most N s between attempts; default: doubling up to
	 * 8 s, with jitter so a rack does not retry in step. */
	const struct deadline_wait w = {
		.timeout_ms = (unsigned)n->wait_s * 1000, .delay_ms = 500,
		.max_delay_ms = n->retry_s > 0 ? (unsigned)n->retry_s * 1000 : 8000,
		.jitter_ms = 250, .on_retry = nfs_retry_note,
	};
	unsigned tries = 0;
	int last = 0, r = deadline_wait(&w, nfs_attempt, &a, &last, &tries);

	if (r == 0) {
		/* the version that answered, not the plan's "4, then 3" */
		nl_info(NFS_STAGE, "mounted %s:%s with NFSv%s on %s", n->server, n->path,
			a.version == 3 ? "3" : n->version == 4 ? nfs_version_name(n) : "4", t->target);
		return 0;
	}
	if (r == -ETIMEDOUT) {
		nl_err(NFS_STAGE, "mounting %s:%s failed after %u tries in %d s: %s "
		       "(is the server up and exporting it? raise rd.timeout=)",
		       n->server, n->path, tries, n->wait_s, strerror(last));
		return -last;
	}
	return r;
}

size_t nfsroot_modules(const struct plan_nfs *n, bool volatile_layer, const char *mods[4])
{
	size_t nmods = 0;

	mods[nmods++] = "nfs";
	if (n->version != 4)
		mods[nmods++] = "nfsv3";
	if (n->version != 3)
		mods[nmods++] = "nfsv4";
	if (volatile_layer)
		mods[nmods++] = "overlay";
	return nmods;
}

int nfs_mount_at(const struct plan_nfs *n, bool ro, const struct net_lease *lease,
		 const char *target)
{
	struct nfs_target t = { .n = n, .ro = ro, .target = target };
	int r = net_resolve(lease, n->server, &t.addr);

	if (r < 0) {
		nl_err(NFS_STAGE, "cannot resolve NFS server %s: %s", n->server, strerror(-r));
		return r;
	}
	if (lease)
		t.client = lease->addr;
	nl_info(NFS_STAGE, "mounting %s:%s (NFSv%s, %s) from %s on %s", n->server, n->path,
		nfs_version_name(n), ro ? "ro" : "rw", inet_ntoa(t.addr), target);
	return nfs_mount_retry(&t);
}

int nfsroot_mount(const struct plan_nfs *n, const struct plan_writable *wr, bool ro,
		  const struct net_lease *lease, const struct mount_modules *mm, const char *newroot)
{
	bool volatile_layer = wr->mode == PLAN_RW_VOLATILE;
	/* With the overlay the NFS lower layer is read-only; without it ro/rw
	 * decides; under per-host directories (mount/hostdir.c) it is read-only. */
	bool lower_ro = volatile_layer || ro || wr->mode == PLAN_RW_PERSISTENT;
	char lower[] = "/run/netinit/nfsroot";
	const char *target = newroot;
	const char *mods[4];
	int r;

	if (!CFG_NFS) {
		nl_err(NFS_STAGE, "NFS roots are not built into this init (CONFIG_NFS=n)");
		return -ENOTSUP;
	}
	if (n->from_lease)
		nl_info(NFS_STAGE, "root from DHCP root-path: %s", lease ? lease->root_path : "");
	mount_load_modules(mm, mods, nfsroot_modules(n, volatile_layer, mods));
	if (volatile_layer) {
		mkdir_p(lower, 0755);
		/* A retry of the mount stage (the failure policy, after e.g. a bad
		 * per-host archive) finds the earlier try's lower still mounted:
		 * the same export twice on one mount point is EBUSY. */
		while (umount2(lower, MNT_DETACH) == 0)
			;
		target = lower;
	}
	r = nfs_mount_at(n, lower_ro, lease, target);
	if (r < 0 || !volatile_layer)
		return r;
	r = overlay_mount_volatile(lower, "/run/netinit/rw", NULL, newroot);
	if (r < 0) {
		umount2(lower, MNT_DETACH);
		return r;
	}
	nl_info(NFS_STAGE, "volatile writable layer (overlayfs, tmpfs upper) on the NFS root");
	return 0;
}
