/* SPDX-License-Identifier: MIT */
/*
 * Per-host directories over NFS; see hostdir.h and doc/writable.md for why
 * bind mounts of the node's NFS directories, not an overlay (overlayfs
 * refuses NFS as its upper layer: Documentation/filesystems/overlayfs.rst
 * "Upper and Lower": the upper must support trusted.* xattrs and d_type).
 */
#include "hostdir.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "codec.h"
#include "log.h"
#include "mount.h"
#include "netinit_config.h"
#include "nfsroot.h"
#include "overlay.h"
#include "plan.h"
#include "util.h"

#define HD_STAGE "writable"

/* ---- pure ---- */

int hostdir_record_mac(const char *text, uint8_t mac[6])
{
	for (const char *l = text; l && *l; l = strchr(l, '\n'), l = l ? l + 1 : NULL) {
		char v[18];
		size_t n;

		if (strncmp(l, "mac=", 4))
			continue;
		n = strcspn(l + 4, " \t\r\n");
		if (n != 17)
			return -EINVAL;
		memcpy(v, l + 4, 17);
		v[17] = '\0';
		return mac_parse(v, ':', mac) == 0 && !mac_is_zero(mac) ? 0 : -EINVAL;
	}
	return -ENOENT;
}

enum hostdir_verdict hostdir_verdict(const char *owner, const char *claim, const uint8_t mac[6],
				     uint8_t other[6])
{
	const char *rec = owner ? owner : claim;

	memset(other, 0, 6);
	if (!rec)
		return HOSTDIR_FREE;
	if (hostdir_record_mac(rec, other) < 0)
		return HOSTDIR_BAD_RECORD;
	if (memcmp(other, mac, 6))
		return HOSTDIR_TAKEN;
	return owner ? HOSTDIR_OWNED : HOSTDIR_CLAIMED;
}

int hostdir_claim_text(const struct hostdir_who *w, char *out, size_t size)
{
	char m[18];
	int n = snprintf(out, size, "# claimed at boot by the first machine with this host name;\n"
			 "# another MAC is refused until this file is deleted on the server\n"
			 "mac=%s\nboot_id=%s\ntime=%lld\nhost=%s\n", mac_format(w->mac, ':', m),
			 w->boot_id, w->now, w->key);

	return n < 0 || (size_t)n >= size ? -ENAMETOOLONG : 0;
}

/* ---- the stage ---- */

__attribute__((format(printf, 1, 2)))
static void loud(const char *fmt, ...)
{
	char msg[600];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	nl_warn(HD_STAGE, "**********************************************************************");
	nl_warn(HD_STAGE, "*** %s", msg);
	nl_warn(HD_STAGE, "*** VOLATILE BOOT: this node's changes are lost at reboot");
	nl_warn(HD_STAGE, "**********************************************************************");
}

/* A small record in the node's directory, never through a symlink; NULL when absent. */
static const char *read_record(int nodefd, const char *name, char *buf, size_t size, int *err)
{
	int fd = openat(nodefd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	ssize_t n;

	*err = 0;
	if (fd < 0) {
		*err = errno == ENOENT ? 0 : -errno;
		return NULL;
	}
	n = read(fd, buf, size - 1);
	close(fd);
	if (n < 0) {
		*err = -EIO;
		return NULL;
	}
	buf[n] = '\0';
	return buf;
}

/* The claim: created exclusively when free, refreshed when ours. */
static int write_claim(int nodefd, const struct hostdir_who *w, bool fresh)
{
	char text[400];
	int r = hostdir_claim_text(w, text, sizeof(text));

	if (r == 0)
		r = write_file_at(nodefd, HOSTDIR_CLAIM, text, strlen(text), 0644,
				  fresh ? WRITE_EXCL : WRITE_ATOMIC);
	if (r == -EEXIST)
		nl_err(HD_STAGE, "%s/%s appeared while this node claimed it: another machine "
		       "boots with the same name", w->key, HOSTDIR_CLAIM);
	return r;
}

/* 0 when this MAC may use the directory, 1 refused (logged), <0 error. */
static int check_owner(int nodefd, const struct plan_hostdir *h, const struct hostdir_who *w)
{
	char owner[512], claim[512], mine[18], theirs[18];
	int e1, e2, r;
	const char *o = read_record(nodefd, HOSTDIR_OWNER, owner, sizeof(owner), &e1);
	const char *c = o ? NULL : read_record(nodefd, HOSTDIR_CLAIM, claim, sizeof(claim), &e2);
	uint8_t other[6];

	if (e1 < 0 || (!o && e2 < 0)) {
		nl_err(HD_STAGE, "%s: the ownership record cannot be read: %s", w->key,
		       strerror(-(e1 < 0 ? e1 : e2)));
		return 1;
	}
	mac_format(w->mac, ':', mine);
	switch (hostdir_verdict(o, c, w->mac, other)) {
	case HOSTDIR_OWNED:
		nl_info(HD_STAGE, "%s belongs to %s (%s, written by netinit-export)", w->key, mine,
			HOSTDIR_OWNER);
		return 0;
	case HOSTDIR_CLAIMED:
		nl_info(HD_STAGE, "%s was claimed by this MAC (%s) before: claim refreshed", w->key, mine);
		return write_claim(nodefd, w, false);
	case HOSTDIR_FREE:
		r = write_claim(nodefd, w, true);
		if (r == 0)
			nl_info(HD_STAGE, "%s had no owner record: claimed for %s (%s)", w->key, mine,
				HOSTDIR_CLAIM);
		return r == -EEXIST ? 1 : r;
	case HOSTDIR_TAKEN:
		mac_format(other, ':', theirs);
		nl_err(HD_STAGE, "host name collision: %s/%s belongs to %s (%s), this machine is %s; "
		       "the directory is not used", h->path, w->key, theirs, o ? HOSTDIR_OWNER :
		       HOSTDIR_CLAIM, mine);
		return 1;
	default:
		nl_err(HD_STAGE, "%s/%s/%s has no valid mac= line: the directory is not used",
		       h->path, w->key, o ? HOSTDIR_OWNER : HOSTDIR_CLAIM);
		return 1;
	}
}

struct hd_open {
	int node;
	int dir[PLAN_MAX_DIRS];
	size_t ndir;
};

static void hd_close(struct hd_open *o)
{
	for (size_t i = 0; i < o->ndir; i++)
		close(o->dir[i]);
	if (o->node >= 0)
		close(o->node);
	o->ndir = 0;
	o->node = -1;
}

/* Open each directory below the node's mount, one component, O_NOFOLLOW:
 * 0, 1 when incomplete (logged), <0 error. */
static int hd_open_dirs(const struct plan_hostdir *h, const char *key, struct hd_open *o)
{
	o->node = open(HOSTDIR_MNT, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (o->node < 0)
		return -errno;
	for (o->ndir = 0; o->ndir < h->ndirs; o->ndir++) {
		int fd = openat(o->node, h->dirs[o->ndir], O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);

		if (fd < 0) {
			loud("%s:%s/%s/%s: %s", h->server, h->path, key, h->dirs[o->ndir],
			     errno == ENOENT ? "missing: the node's directory is empty or incomplete "
			     "(seed it on the server: netinit-export nodedirs)" :
			     "not a directory (a symlink is never followed)");
			return 1;
		}
		o->dir[o->ndir] = fd;
	}
	return 0;
}

/* Bind each opened directory over newroot/<dir>; undone on failure. */
static int hd_bind(const struct plan_hostdir *h, const struct hd_open *o, const char *newroot)
{
	char src[64], dst[4200];

	for (size_t i = 0; i < o->ndir; i++) {
		snprintf(src, sizeof(src), "/proc/self/fd/%d", o->dir[i]);
		snprintf(dst, sizeof(dst), "%s/%s", newroot, h->dirs[i]);
		if (mount(src, dst, NULL, MS_BIND, NULL) < 0) {
			int e = errno;

			nl_err(HD_STAGE, "bind %s/%s over %s: %s%s", h->path, h->dirs[i], dst, strerror(e),
			       e == ENOENT ? " (the shared root has no such directory)" : "");
			while (i--) {
				snprintf(dst, sizeof(dst), "%s/%s", newroot, h->dirs[i]);
				umount2(dst, MNT_DETACH);
			}
			return -e;
		}
	}
	return 0;
}

/* The NFS version newroot was mounted with: the file system type in
 * /proc/self/mounts is "nfs" for v2/v3 and "nfs4" for v4 (fs/nfs/super.c,
 * fs/nfs/nfs4super.c); 0 when newroot is not NFS. */
static int root_nfs_version(const char *newroot)
{
	static char buf[32768];
	char mp[256], type[16];
	int v = 0;

	if (read_file("/proc/self/mounts", buf, sizeof(buf)) < 0)
		return 0;
	for (const char *l = buf; l && *l; l = strchr(l, '\n'), l = l ? l + 1 : NULL)
		if (sscanf(l, "%*s %255s %15s", mp, type) == 2 && !strcmp(mp, newroot))
			v = !strcmp(type, "nfs4") ? 4 : !strcmp(type, "nfs") ? 3 : 0; /* the last wins */
	return v;
}

/* NFSv3 carries POSIX ACLs in a side protocol (NFSACL, nfs(5) "acl"), which
 * nfs-ganesha answers with an I/O error: removexattr("system.posix_acl_*"),
 * as systemd does on a StateDirectory= (systemd-timesyncd's /var/lib/...),
 * then fails with EIO on the node's /var.  With noacl the client answers
 * ACL requests from the mode bits itself.  A site that wants ACLs says
 * "acl" in the root's options. */
static void hd_add_noacl(char *opts, size_t size)
{
	size_t len = strlen(opts), t;

	for (const char *p = opts; *p; p += t + (p[t] == ',')) {
		t = strcspn(p, ",");
		if ((t == 3 && !strncmp(p, "acl", 3)) || (t == 5 && !strncmp(p, "noacl", 5)))
			return; /* the site's choice */
	}
	snprintf(opts + len, size - len, "%snoacl", len ? "," : "");
}

/* <server>:<base>/<key>, read-write: the node's own export (netinit-export
 * renders one a node, read-write to that node's address only).  On the
 * root's server it is mounted with the root's options and the version the
 * root got (not "4, then 3" again): the kernel then finds its nfs_client
 * for that server, version and transport (fs/nfs/client.c
 * nfs_match_client()) and uses the root's TCP connection, with no new
 * connect, no rpcbind query for a port the root's options name, and no
 * NFSv4 try a v3 server refuses. */
static int hd_mount_node(const struct plan_hostdir *h, const char *key,
			 const struct net_lease *lease, const struct mount_modules *mm,
			 const char *newroot)
{
	struct plan_nfs n;

	memset(&n, 0, sizeof(n));
	strscpy_ok(n.server, h->server, sizeof(n.server));
	if (snprintf(n.path, sizeof(n.path), "%s/%s", h->path, key) >= (int)sizeof(n.path))
		return -ENAMETOOLONG;
	n.version = h->version;
	if (h->root_options) {
		strscpy_ok(n.options, h->options, sizeof(n.options));
		n.has_minor = h->has_minor;
		n.minor = h->minor;
		if (!n.version)
			n.version = root_nfs_version(newroot);
	}
	hd_add_noacl(n.options, sizeof(n.options));
	n.wait_s = h->wait_s;
	n.retry_s = h->retry_s;
	const char *mods[4];

	if (!CFG_NFS) {
		nl_err(HD_STAGE, "per-host directories need NFS (CONFIG_NFS=n)");
		return -ENOTSUP;
	}
	mkdir_p(HOSTDIR_MNT, 0700);
	mount_load_modules(mm, mods, nfsroot_modules(&n, false, mods));
	return nfs_mount_at(&n, false, lease, HOSTDIR_MNT);
}

int hostdir_mount(const struct plan_hostdir *h, const struct hostdir_who *who,
		  const struct net_lease *lease, const struct mount_modules *mm,
		  const char *newroot)
{
	struct hd_open o = { .node = -1 };
	int r = hd_mount_node(h, who->key, lease, mm, newroot);

	if (r < 0) {
		nl_err(HD_STAGE, "the node's directory %s:%s/%s cannot be mounted: %s", h->server,
		       h->path, who->key, strerror(-r));
		return r;
	}
	r = hd_open_dirs(h, who->key, &o);
	if (r == 0 && (r = check_owner(o.node, h, who)) == 1 && h->collision_fail) {
		nl_err(HD_STAGE, "netinit.writable.collision=fail: the boot stops here");
		r = -EADDRINUSE;
	} else if (r == 1) {
		loud("%s:%s/%s is not this machine's: see the collision above", h->server, h->path,
		     who->key);
	}
	if (r == 0)
		r = hd_bind(h, &o, newroot);
	hd_close(&o);
	/* the bind mounts keep the NFS mount alive; its top (the records) stays
	 * out of the booted node's mount table */
	umount2(HOSTDIR_MNT, MNT_DETACH);
	if (r == 0) {
		char list[PLAN_MAX_DIRS * 65] = "";

		for (size_t i = 0; i < h->ndirs; i++)
			snprintf(list + strlen(list), sizeof(list) - strlen(list), " /%s", h->dirs[i]);
		nl_info(HD_STAGE, "persistent: %s:%s/%s bound over%s", h->server, h->path, who->key, list);
	}
	return r;
}

int hostdir_fallback_volatile(const struct mount_modules *mm, const char *newroot)
{
	static const char *const mods[] = { "overlay" };

	mount_load_modules(mm, mods, 1);
	return overlay_mount_volatile(newroot, "/run/netinit/rw", NULL, newroot);
}
