/* SPDX-License-Identifier: MIT */
/* A root on a local block device: root=/dev/x, LABEL=, UUID=, PARTUUID=, PARTLABEL=. */
#ifndef NETINIT_LOCALROOT_H
#define NETINIT_LOCALROOT_H

#include <stddef.h>

struct cmdline;

/*
 * Wait for the device named by root= (up to rd.timeout= or rootdelay=,
 * default LOCALROOT_WAIT_DEFAULT seconds), load its filesystem module, and
 * mount it on newroot with rootfstype=, rootflags= and ro/rw.  0 or -errno
 * (logged with what was waited for).
 */
#define LOCALROOT_WAIT_DEFAULT 30
int localroot_mount(const struct cmdline *cl, const char *newroot);

/* Resolve "LABEL=x" etc. to a device path once (no waiting). 0 or -errno. */
int localroot_resolve(const char *spec, char *dev, size_t size);

/* Mount src on target with libmount; opts may be NULL. 0 or -errno. */
int mount_fs(const char *src, const char *target, const char *fstype, const char *opts);

#endif
