/* SPDX-License-Identifier: MIT */
/* A root on a local block device: root=/dev/x, LABEL=, UUID=, PARTUUID=, PARTLABEL=. */
#ifndef NETINIT_LOCALROOT_H
#define NETINIT_LOCALROOT_H

#include <stdbool.h>
#include <stddef.h>

struct mount_modules;
struct plan_local;

/*
 * Wait for the device of the plan (root=, up to l->wait_s: rd.timeout= or
 * rootdelay=, default 30 s, init/plan.c), load its filesystem module
 * through mm, and mount it on newroot with rootfstype=, rootflags= and
 * ro/rw.  0 or -errno (logged with what was waited for).
 */
int localroot_mount(const struct plan_local *l, bool ro, const struct mount_modules *mm,
		    const char *newroot);

/* Resolve "LABEL=x" etc. to a device path once (no waiting). 0 or -errno. */
int localroot_resolve(const char *spec, char *dev, size_t size);

#endif
