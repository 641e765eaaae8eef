/* SPDX-License-Identifier: MIT */
/*
 * mount/: every mount of the boot (tmpfs, block devices, NFS, loop images,
 * overlay, move, bind).  Other folders ask for mounts through these
 * functions; nothing outside mount/ calls mount(2) on the root's behalf.
 */
#ifndef NETINIT_MOUNT_H
#define NETINIT_MOUNT_H

#include <stdbool.h>
#include <stddef.h>

/* How mount/ gets a kernel module (fs-ext4, nfsv4, overlay) it needs: a
 * function the caller passes (init/ has libkmod), so mount/ never calls up
 * into init/.  Returns how many names could not be loaded.  NULL: none. */
struct mount_modules {
	int (*load)(void *ctx, const char *const *names, size_t n);
	void *ctx;
};
/* Load names through mm (which may be NULL). */
void mount_load_modules(const struct mount_modules *mm, const char *const *names, size_t n);

/* The API filesystems of early boot (/proc, /sys, /dev, /run, /dev/pts):
 * mkdir dir, mount; EBUSY (already there) is fine.  0 or -errno, logged with
 * the stage "early". */
int mount_api(const char *src, const char *dir, const char *type, unsigned long flags,
	      const char *data);

/* Mount src on target with libmount parsing opts (may be NULL) into
 * MS_* flags and data, then one mount(2).  0 or -errno. */
int mount_fs(const char *src, const char *target, const char *fstype, const char *opts);

/* mkdir dir (0755) and mount a tmpfs there with opts ("mode=0755,size=90%").
 * 0 or -errno. */
int mount_tmpfs(const char *dir, const char *opts);
/* MS_MOVE from to to; logged on failure.  0 or -errno. */
int mount_move(const char *from, const char *to);
/* Bind from at to, read-only; logged on failure.  0 or -errno. */
int mount_bind_ro(const char *from, const char *to);

#endif
