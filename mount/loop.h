/* SPDX-License-Identifier: MIT */
/* Read-only loop mounts of filesystem images (squashfs, erofs, ext4). */
#ifndef NETINIT_LOOP_H
#define NETINIT_LOOP_H

#include <stddef.h>

/* Attach image (read-only, autoclear: the device goes away with the last
 * unmount) to a free loop device; its path into dev.  0 or -errno. */
int loop_attach(const char *image, char *dev, size_t devlen);

/* Attach and mount read-only at target with the given fstype
 * ("squashfs", "erofs", "ext4") through libmount.  0 or -errno, logged
 * with the stage "mount". */
int loop_mount_image(const char *image, const char *fstype, const char *target);

#endif
