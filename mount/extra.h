/* SPDX-License-Identifier: MIT */
/* netinit.mount=: extra mounts under the new root before switch_root. */
#ifndef NETINIT_EXTRA_H
#define NETINIT_EXTRA_H

#include <stddef.h>

struct mount_modules;
struct net_lease;
struct plan_mount;

/*
 * Mount m[*done .. n) under newroot, in order: NFS through the root's NFS
 * code (resolve, version, retry for rd.timeout=), a tmpfs or a device
 * (LABEL=/UUID= resolved, the device waited for like the root) with
 * libmount's option parsing.  The mount point is created when missing.
 * *done counts what is mounted, so a retry after a failure (the failure
 * policy's "try again") goes on where it stopped.  0 or -errno, logged with
 * the stage "mount".  After switch_root the mounts are where the booted
 * system expects them (MS_MOVE takes submounts along).
 */
int extra_mounts(const struct plan_mount *m, size_t n, size_t *done,
		 const struct net_lease *lease, const struct mount_modules *mm,
		 const char *newroot);

#endif
