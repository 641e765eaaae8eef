/* SPDX-License-Identifier: MIT */
/*
 * netinit.mount=<source>:<mountpoint>[:<type>[:<options>]] (init/plan.c
 * splits it): what a classic diskless recipe does after the root, e.g.
 * /usr read-only from the master over NFS, a shared /home, a sized tmpfs.
 * Mounted on <newroot><mountpoint> before switch_root; the booted system
 * sees them in /proc/self/mountinfo (doc/boot.md says what /etc/fstab
 * should say so that systemd takes them as they are).
 */
#include "extra.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "localroot.h"
#include "log.h"
#include "mount.h"
#include "netinit_config.h"
#include "nfsroot.h"
#include "plan.h"
#include "util.h"

#define EXTRA_STAGE "mount"

/* A device (or tmpfs): mounted as it is, retried while the device is missing. */
struct dev_try {
	const struct plan_mount *m;
	const char *target;
};

static int dev_attempt(void *ctx)
{
	const struct dev_try *d = ctx;
	char dev[256];
	const char *src = d->m->source;
	int r;

	if (!strncmp(src, "LABEL=", 6) || !strncmp(src, "UUID=", 5) ||
	    !strncmp(src, "PARTUUID=", 9) || !strncmp(src, "PARTLABEL=", 10)) {
		if (localroot_resolve(src, dev, sizeof(dev)) < 0)
			return ENODEV; /* not there yet: try again */
		src = dev;
	}
	r = mount_fs(src, d->target, d->m->type, d->m->options);
	return r == -ENOENT || r == -ENXIO || r == -ENODEV ? -r : r;
}

static int mount_device(const struct plan_mount *m, const char *target, int wait_s)
{
	struct dev_try d = { m, target };
	const struct deadline_wait w = {
		.timeout_ms = (unsigned)wait_s * 1000, .delay_ms = 250, .max_delay_ms = 2000,
	};
	int last = 0, r = deadline_wait(&w, dev_attempt, &d, &last, NULL);

	return r == -ETIMEDOUT ? -last : r;
}

static int extra_one(const struct plan_mount *m, const struct net_lease *lease,
		     const struct mount_modules *mm, const char *newroot)
{
	char target[512];
	const char *mods[4];
	int r;

	snprintf(target, sizeof(target), "%s%s", newroot, m->target);
	r = mkdir_p(target, 0755);
	if (r < 0) {
		nl_err(EXTRA_STAGE, "netinit.mount: cannot create %s in the new root: %s "
		       "(a read-only root needs the directory in its image)", m->target, strerror(-r));
		return r;
	}
	if (!strcmp(m->type, "nfs") || !strcmp(m->type, "nfs4")) {
		if (!CFG_NFS) {
			nl_err(EXTRA_STAGE, "NFS is not built into this init (CONFIG_NFS=n)");
			return -ENOTSUP;
		}
		mount_load_modules(mm, mods, nfsroot_modules(&m->nfs, false, mods));
		return nfs_mount_at(&m->nfs, m->ro, lease, target);
	}
	if (strcmp(m->type, "tmpfs")) {
		char fs[48];

		snprintf(fs, sizeof(fs), "fs-%s", m->type);
		mods[0] = fs;
		mount_load_modules(mm, mods, 1);
	}
	r = mount_device(m, target, m->wait_s);
	if (r < 0)
		nl_err(EXTRA_STAGE, "netinit.mount: %s on %s (%s, %s): %s", m->source, m->target,
		       m->type, m->options[0] ? m->options : "defaults", strerror(-r));
	else
		nl_info(EXTRA_STAGE, "mounted %s on %s (%s, %s)", m->source, m->target, m->type,
			m->options[0] ? m->options : "defaults");
	return r;
}

int extra_mounts(const struct plan_mount *m, size_t n, size_t *done,
		 const struct net_lease *lease, const struct mount_modules *mm,
		 const char *newroot)
{
	for (; *done < n; (*done)++) {
		int r = extra_one(&m[*done], lease, mm, newroot);

		if (r < 0)
			return r;
	}
	return 0;
}
