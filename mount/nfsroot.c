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

#include "cmdline.h"
#include "log.h"
#include "modules.h"
#include "net.h"
#include "netinit_config.h"
#include "overlay.h"
#include "util.h"

#define NFS_STAGE "nfs"

/* Split "[server:]path[,options]" (kernel nfsroot and DHCP root-path form). */
static int split_location(const char *s, struct nfsroot_target *t)
{
	const char *colon = strchr(s, ':'), *comma;
	const char *path = s;

	/* "server:/path": a colon before the first '/' separates the server. */
	if (colon && (!strchr(s, '/') || colon < strchr(s, '/'))) {
		size_t n = (size_t)(colon - s);

		if (n >= sizeof(t->server))
			return -ENAMETOOLONG;
		memcpy(t->server, s, n);
		t->server[n] = '\0';
		path = colon + 1;
	}
	comma = strchr(path, ',');
	if (comma) {
		if (!strscpy_ok(t->options, comma + 1, sizeof(t->options)))
			return -ENAMETOOLONG;
		if ((size_t)(comma - path) >= sizeof(t->path))
			return -ENAMETOOLONG;
		memcpy(t->path, path, (size_t)(comma - path));
		t->path[comma - path] = '\0';
	} else if (!strscpy_ok(t->path, path, sizeof(t->path))) {
		return -ENAMETOOLONG;
	}
	return 0;
}

/* Options that pick the version: vers=/nfsvers= (the kernel's names). */
static int options_version(const char *opts)
{
	const char *p = opts;

	while (p && *p) {
		if (!strncmp(p, "vers=", 5) || !strncmp(p, "nfsvers=", 8))
			return atoi(strchr(p, '=') + 1);
		p = strchr(p, ',');
		if (p)
			p++;
	}
	return 0;
}

int nfsroot_resolve(const struct cmdline *cl, const struct net_lease *lease, struct nfsroot_target *t)
{
	char raw[1100];
	struct in_addr client = { 0 };
	int r;

	memset(t, 0, sizeof(*t));
	if (lease)
		client = lease->addr;
	if (cl->root.type == ROOT_NFS && cl->root.nfs.path[0]) {
		strscpy_ok(t->server, cl->root.nfs.server, sizeof(t->server));
		strscpy_ok(raw, cl->root.nfs.path, sizeof(raw));
		strscpy_ok(t->options, cl->root.nfs.options, sizeof(t->options));
		t->version = cl->root.nfs.version;
	} else if (lease && lease->root_path[0]) {
		/* DHCP root-path; an "nfs:" prefix (dracut style) is accepted too. */
		const char *rp = lease->root_path;

		if (!strncmp(rp, "nfs4:", 5)) {
			t->version = 4;
			rp += 5;
		} else if (!strncmp(rp, "nfs:", 4)) {
			rp += 4;
		}
		r = split_location(rp, t);
		if (r < 0) {
			nl_err(NFS_STAGE, "DHCP root-path \"%s\" is too long", lease->root_path);
			return r;
		}
		strscpy_ok(raw, t->path, sizeof(raw));
		/* root=nfs:...:<opts> or nfsroot=,<opts> add to the DHCP location */
		if (cl->root.nfs.options[0] && !t->options[0])
			strscpy_ok(t->options, cl->root.nfs.options, sizeof(t->options));
		if (cl->root.nfs.version)
			t->version = cl->root.nfs.version;
		nl_info(NFS_STAGE, "root from DHCP root-path: %s", lease->root_path);
	} else {
		nl_err(NFS_STAGE, "no NFS location: give nfsroot=SERVER:/PATH or root=nfs:SERVER:/PATH, "
		       "or have the DHCP server send a root-path (option 17)");
		return -EINVAL;
	}
	if (!t->version)
		t->version = options_version(t->options);
	if (t->version && t->version != 3 && t->version != 4) {
		nl_err(NFS_STAGE, "NFS version %d is not supported (3 or 4)", t->version);
		return -EINVAL;
	}
	if (raw[0] != '/') {
		nl_err(NFS_STAGE, "NFS path \"%s\" is not absolute", raw);
		return -EINVAL;
	}
	if (cmdline_nfs_path(raw, client, t->path, sizeof(t->path)) < 0) {
		nl_err(NFS_STAGE, "NFS path \"%s\" is too long after %%s substitution", raw);
		return -ENAMETOOLONG;
	}

	/* The server: as given, else ip= field 2, else next-server, else the DHCP server. */
	if (!t->server[0]) {
		struct in_addr a = { 0 };

		for (size_t i = 0; i < cl->nip && !a.s_addr; i++)
			a = cl->ip[i].server;
		if (!a.s_addr && lease)
			a = lease->siaddr.s_addr ? lease->siaddr : lease->server_id;
		if (!a.s_addr) {
			nl_err(NFS_STAGE, "no NFS server: name one in nfsroot=/root=nfs:, or in ip= field 2, "
			       "or send next-server by DHCP");
			return -EINVAL;
		}
		inet_ntop(AF_INET, &a, t->server, sizeof(t->server));
	}
	r = net_resolve(t->server, &t->addr);
	if (r < 0) {
		nl_err(NFS_STAGE, "cannot resolve NFS server %s: %s", t->server, strerror(-r));
		return r;
	}
	return 0;
}

int nfsroot_options(const struct nfsroot_target *t, int version, const struct in_addr *client,
		    int ro, char *out, size_t size)
{
	char addr[INET_ADDRSTRLEN], caddr[INET_ADDRSTRLEN];
	const char *user = t->options;
	char filtered[512] = "";
	const char *p = user;
	int n;

	/* Drop the user's vers= (we set it), keep the rest in order. */
	while (p && *p) {
		const char *end = strchr(p, ',');
		size_t len = end ? (size_t)(end - p) : strlen(p);

		if (len && strncmp(p, "vers=", 5) && strncmp(p, "nfsvers=", 8) &&
		    strncmp(p, "ro", len > 2 ? len : 2) && strncmp(p, "rw", len > 2 ? len : 2)) {
			size_t cur = strlen(filtered);

			if (cur + len + 2 >= sizeof(filtered))
				return -ENAMETOOLONG;
			snprintf(filtered + cur, sizeof(filtered) - cur, ",%.*s", (int)len, p);
		}
		p = end ? end + 1 : NULL;
	}
	inet_ntop(AF_INET, &t->addr, addr, sizeof(addr));
	if (version == 4) {
		inet_ntop(AF_INET, client, caddr, sizeof(caddr));
		n = snprintf(out, size, "vers=4,addr=%s,clientaddr=%s%s", addr, caddr, filtered);
	} else {
		/* nolock unless the user asked for locking (no statd here) */
		int lock = strstr(filtered, ",lock") != NULL;

		n = snprintf(out, size, "vers=3,addr=%s%s%s", addr, lock ? "" : ",nolock", filtered);
	}
	(void)ro;
	return n < 0 || (size_t)n >= size ? -ENAMETOOLONG : 0;
}

static int nfs_try(const struct nfsroot_target *t, int version, const struct in_addr *client,
		   int ro, const char *target)
{
	char src[1300], data[800];
	unsigned long flags = ro ? MS_RDONLY : 0;
	int r = nfsroot_options(t, version, client, ro, data, sizeof(data));

	if (r < 0)
		return r;
	snprintf(src, sizeof(src), "%s:%s", t->server, t->path);
	nl_debug(NFS_STAGE, "mount -t %s %s %s -o %s", version == 4 ? "nfs4" : "nfs", src, target, data);
	if (mount(src, target, version == 4 ? "nfs4" : "nfs", flags, data) < 0)
		return -errno;
	return 0;
}

/* One mount try for deadline_wait(): 0 mounted, >0 try again, <0 give up. */
struct nfs_attempt {
	const struct nfsroot_target *t;
	struct in_addr client;
	int ro, version;
	const char *target;
};

static int nfs_attempt(void *ctx)
{
	struct nfs_attempt *a = ctx;
	const struct nfsroot_target *t = a->t;
	int r;

	a->version = t->version ? t->version : 4;
	r = nfs_try(t, a->version, &a->client, a->ro, a->target);
	if (r < 0 && !t->version && (r == -EPROTONOSUPPORT || r == -ENOENT || r == -EINVAL ||
				     r == -EACCES || r == -EPERM || r == -ENODEV)) {
		nl_info(NFS_STAGE, "NFSv4 mount failed (%s); trying NFSv3", strerror(-r));
		a->version = 3;
		r = nfs_try(t, a->version, &a->client, a->ro, a->target);
	}
	if (r == -EACCES || r == -EPERM) {
		nl_err(NFS_STAGE, "the server refused %s:%s (%s): check its exports for this client",
		       t->server, t->path, strerror(-r));
		return r;
	}
	return -r;
}

static void nfs_retry_note(void *ctx, int err, unsigned pause_ms, unsigned tries)
{
	const struct nfs_attempt *a = ctx;

	nl_warn(NFS_STAGE, "mount %s:%s failed: %s; retrying in %.1f s", a->t->server, a->t->path,
		strerror(err), pause_ms / 1000.0);
}

/* Mount t on target, retrying with backoff until the deadline; 0 or -errno. */
static int nfs_mount_retry(const struct nfsroot_target *t, struct in_addr client, int ro,
			   const char *target, int wait_s, int retry_s)
{
	struct nfs_attempt a = { .t = t, .client = client, .ro = ro, .target = target };
	/* rd.retry=N (dracut): at most N s between attempts; default: doubling up to
	 * 8 s, with jitter so a rack does not retry in step. */
	const struct deadline_wait w = {
		.timeout_ms = (unsigned)wait_s * 1000, .delay_ms = 500,
		.max_delay_ms = retry_s > 0 ? (unsigned)retry_s * 1000 : 8000, .jitter_ms = 250,
		.on_retry = nfs_retry_note,
	};
	unsigned tries = 0;
	int last = 0, r = deadline_wait(&w, nfs_attempt, &a, &last, &tries);

	if (r == 0) {
		nl_info(NFS_STAGE, "mounted %s:%s with NFSv%d on %s", t->server, t->path, a.version,
			target);
		return 0;
	}
	if (r == -ETIMEDOUT) {
		nl_err(NFS_STAGE, "mounting %s:%s failed after %u tries in %d s: %s "
		       "(is the server up and exporting it? raise rd.timeout=)",
		       t->server, t->path, tries, wait_s, strerror(last));
		return -last;
	}
	return r;
}

int nfsroot_mount(const struct cmdline *cl, const struct net_lease *lease, const char *newroot)
{
	const char *mods[4];
	size_t nmods = 0;
	struct nfsroot_target t;
	struct in_addr client = { 0 };
	int wait_s = cl->timeout >= 0 ? cl->timeout : NFSROOT_TIMEOUT_DEFAULT;
	int volatile_layer = strcmp(cl->writable, "none") != 0;
	/* With the overlay the NFS lower layer is read-only; without it ro/rw decides. */
	int ro = volatile_layer ? 1 : cl->ro != 0;
	const char *target = newroot;
	char lower[] = "/run/netinit/nfsroot";
	int r;

	if (!CFG_NFS) {
		nl_err(NFS_STAGE, "NFS roots are not built into this init (CONFIG_NFS=n)");
		return -ENOTSUP;
	}
	r = nfsroot_resolve(cl, lease, &t);
	if (r < 0)
		return r;
	if (lease)
		client = lease->addr;
	/* Only what this mount needs: each module costs time (signature checks). */
	mods[nmods++] = "nfs";
	if (t.version != 4)
		mods[nmods++] = "nfsv3";
	if (t.version != 3)
		mods[nmods++] = "nfsv4";
	if (volatile_layer)
		mods[nmods++] = "overlay";
	modules_load(cl, mods, nmods, 1);
	if (volatile_layer) {
		mkdir_p(lower, 0755);
		target = lower;
	}
	nl_info(NFS_STAGE, "mounting %s:%s (NFSv%s, %s) from %s", t.server, t.path,
		t.version == 4 ? "4" : t.version == 3 ? "3" : "4, then 3", ro ? "ro" : "rw",
		inet_ntoa(t.addr));
	r = nfs_mount_retry(&t, client, ro, target, wait_s, cl->retry);
	if (r < 0)
		return r;
	if (volatile_layer) {
		r = overlay_mount_volatile(lower, "/run/netinit/rw", NULL, newroot);
		if (r < 0) {
			umount2(lower, MNT_DETACH);
			return r;
		}
		nl_info(NFS_STAGE, "volatile writable layer (overlayfs, tmpfs upper) on the NFS root");
	}
	return 0;
}
