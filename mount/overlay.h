/* SPDX-License-Identifier: MIT */
/*
 * overlayfs for the writable layer (Documentation/filesystems/overlayfs.rst).
 * Used by fetch/ for the volatile root of image roots, and meant for the
 * per-host writable modes too.
 */
#ifndef NETINIT_OVERLAY_H
#define NETINIT_OVERLAY_H

/* mount -t overlay -o lowerdir=lower,upperdir=upper,workdir=work at target.
 * upper and work must be on the same filesystem (not NFS).  0 or -errno,
 * logged with the stage "mount". */
int overlay_mount(const char *lower, const char *upper, const char *work, const char *target);

/* A volatile overlay: a tmpfs at rwdir holding upper/ and work/, then the
 * overlay of lower at target.  size: tmpfs size option ("50%"), NULL for
 * the kernel default. */
int overlay_mount_volatile(const char *lower, const char *rwdir, const char *size,
			   const char *target);

#endif
