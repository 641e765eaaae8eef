/* SPDX-License-Identifier: MIT */
#ifndef NETINIT_SWITCHROOT_H
#define NETINIT_SWITCHROOT_H

#include <stdbool.h>

/*
 * Check that a switch into newroot can work (PID 1, "/" is ramfs/tmpfs,
 * newroot is a different filesystem, init exists there and is executable,
 * resolved inside newroot).  0 or -errno with the reason logged.
 */
int switchroot_check(const char *newroot, const char *init);

/*
 * Move /dev /proc /sys /run into newroot, delete the initramfs contents
 * without crossing mount points, make newroot "/" and exec init with argv.
 * Returns only on failure (-errno); before the point of no return the
 * initramfs is untouched.  dry_run: only check and report.
 */
int switch_root(const char *newroot, const char *init, char *const argv[], bool dry_run);

#endif
