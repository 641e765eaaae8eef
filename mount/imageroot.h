/* SPDX-License-Identifier: MIT */
/*
 * The mounts of an image root (fetch/ downloads, mount/ mounts):
 *   archives -> unpacked by fetch/ into a tmpfs at <run>/stage, moved onto
 *               newroot once verified (a tmpfs is writable already);
 *   images   -> stored in a tmpfs at <run>/image/root.img, loop-mounted
 *               read-only at <run>/lower once verified (the tmpfs is then
 *               detached: the loop device keeps it), with the volatile
 *               overlay (tmpfs upper at <run>/rw) on newroot, or bound
 *               read-only with netinit.writable=none.
 * A failed or unverified download is unmounted: nothing of it stays.
 */
#ifndef NETINIT_IMAGEROOT_H
#define NETINIT_IMAGEROOT_H

#include <stdbool.h>

enum staged_kind { STAGED_NONE = 0, STAGED_TREE, STAGED_IMAGE };

struct staged_root {
	char run[256];
	char stage[300], imagedir[300], image[320];
	bool stage_mounted, image_mounted;
	enum staged_kind kind;
	const char *fstype;   /* STAGED_IMAGE: "squashfs", "erofs", "ext4" */
};

/* Paths below run (created if missing).  0 or -errno (logged). */
int staged_root_init(struct staged_root *s, const char *run);
/* A tmpfs for the unpacked tree; *dirfd opened on it.  0 or -errno (logged). */
int staged_root_open_tree(struct staged_root *s, int *dirfd);
/* A tmpfs for the image file; *fd: the new file (0400).  0 or -errno (logged). */
int staged_root_open_image(struct staged_root *s, const char *fstype, int *fd);
/* Unmount whatever was staged. */
void staged_root_discard(struct staged_root *s);
/* How the image goes on newroot: an overlay with a tmpfs upper (the
 * default), the image read-only (netinit.writable=none), or an ext image
 * read-write (rw netinit.writable=none). */
enum staged_mode { STAGED_VOLATILE, STAGED_RO, STAGED_RW };
/* Put the verified root on newroot: move the tree, or loop-mount the image
 * as mode says.  Discards on failure.  0 or -errno (logged). */
int staged_root_commit(struct staged_root *s, enum staged_mode mode, const char *newroot);

#endif
