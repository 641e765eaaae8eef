/* SPDX-License-Identifier: MIT */
/* Read-only loop mounts of filesystem images (squashfs, erofs, ext4). */
#ifndef NETINIT_LOOP_H
#define NETINIT_LOOP_H

#include <stdbool.h>
#include <stddef.h>

/* Attach image (read-only, autoclear: the device goes away with the last
 * unmount) to a free loop device; its path into dev.  With LO_FLAGS_AUTOCLEAR
 * the kernel unbinds the device on its last close (drivers/block/loop.c
 * lo_release()), so the fd that configured it comes back in *hold: keep it
 * open until a mount holds its own reference, then close it.  0 or -errno. */
int loop_attach(const char *image, char *dev, size_t devlen, int *hold);

/* Attach and mount at target with the given fstype ("squashfs", "erofs",
 * "ext4") through libmount, read-only unless rw (an ext image in RAM under
 * `rw netinit.writable=none`: writes go to the image file in the tmpfs).
 * 0 or -errno, logged with the stage "mount". */
int loop_mount_image(const char *image, const char *fstype, const char *target, bool rw);

#endif
