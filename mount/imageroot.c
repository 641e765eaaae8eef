/* SPDX-License-Identifier: MIT */
#include "imageroot.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "log.h"
#include "loop.h"
#include "mount.h"
#include "netinit_config.h"
#include "overlay.h"

int staged_root_init(struct staged_root *s, const char *run)
{
	memset(s, 0, sizeof(*s));
	snprintf(s->run, sizeof(s->run), "%s", run);
	snprintf(s->stage, sizeof(s->stage), "%s/stage", run);
	snprintf(s->imagedir, sizeof(s->imagedir), "%s/image", run);
	snprintf(s->image, sizeof(s->image), "%s/image/root.img", run);
	if (mkdir(run, 0755) < 0 && errno != EEXIST) {
		int e = errno;

		nl_err("fetch", "mkdir %s: %s", run, strerror(e));
		return -e;
	}
	return 0;
}

static int staged_tmpfs(const char *dir, const char *mode)
{
	char opt[64];
	int r;

	snprintf(opt, sizeof(opt), "mode=%s,size=90%%", mode);
	r = mount_tmpfs(dir, opt);
	if (r < 0)
		nl_err("fetch", "tmpfs at %s: %s", dir, strerror(-r));
	return r;
}

int staged_root_open_tree(struct staged_root *s, int *dirfd)
{
	int r = staged_tmpfs(s->stage, "0755");

	if (r < 0)
		return r;
	s->stage_mounted = true;
	s->kind = STAGED_TREE;
	*dirfd = open(s->stage, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	return *dirfd < 0 ? -errno : 0;
}

int staged_root_open_image(struct staged_root *s, const char *fstype, int *fd)
{
	int r = staged_tmpfs(s->imagedir, "0700");

	if (r < 0)
		return r;
	s->image_mounted = true;
	s->kind = STAGED_IMAGE;
	s->fstype = fstype;
	*fd = open(s->image, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0400);
	return *fd < 0 ? -errno : 0;
}

void staged_root_discard(struct staged_root *s)
{
	if (s->stage_mounted && umount2(s->stage, MNT_DETACH) == 0)
		s->stage_mounted = false;
	if (s->image_mounted && umount2(s->imagedir, MNT_DETACH) == 0)
		s->image_mounted = false;
}

/* `rw netinit.writable=none` on an ext image: the image itself, read-write
 * (as the classic recipe's ramdisk was); squashfs/erofs cannot be written. */
static int commit_image_rw(struct staged_root *s, const char *newroot)
{
	if (strcmp(s->fstype, "ext4")) {
		nl_warn("mount", "rw: a %s image cannot be written; mounted read-only (use the "
			"volatile layer, or an ext2/3/4 image)", s->fstype);
		return loop_mount_image(s->image, s->fstype, newroot, false);
	}
	return loop_mount_image(s->image, s->fstype, newroot, true);
}

static int commit_image(struct staged_root *s, enum staged_mode mode, const char *newroot)
{
	char lower[300], rw[300];
	bool volatile_layer = mode == STAGED_VOLATILE;
	int r;

	if (mode == STAGED_RW)
		return commit_image_rw(s, newroot);

	snprintf(lower, sizeof(lower), "%s/lower", s->run);
	snprintf(rw, sizeof(rw), "%s/rw", s->run);
	if (mkdir(lower, 0755) < 0 && errno != EEXIST)
		return -errno;
	r = loop_mount_image(s->image, s->fstype, lower, false);
	if (r < 0)
		return r;
	if (!CFG_OVERLAY || !volatile_layer) {
		r = mount_bind_ro(lower, newroot);
		if (r == 0)
			nl_info("mount", "read-only root at %s (no writable layer)", newroot);
	} else {
		r = overlay_mount_volatile(lower, rw, "50%", newroot);
	}
	/* A failed layer must not leave the image mounted: a retry of the stage
	 * would stack a second loop mount on lower. */
	if (r < 0)
		umount2(lower, MNT_DETACH);
	return r;
}

int staged_root_commit(struct staged_root *s, enum staged_mode mode, const char *newroot)
{
	int r;

	if (s->kind == STAGED_TREE) {
		r = mount_move(s->stage, newroot);
		if (r == 0) {
			s->stage_mounted = false;
			nl_info("mount", "unpacked root (tmpfs) at %s", newroot);
		}
	} else if (s->kind == STAGED_IMAGE) {
		r = commit_image(s, mode, newroot);
		/* The loop device holds the image file open, and with it its tmpfs
		 * (umount2(2): MNT_DETACH only takes the mount out of the tree).
		 * Left in the tree, the booted system's shutdown tries to unmount a
		 * busy tmpfs ("Failed unmounting /run/netinit/image"). */
		if (r == 0 && umount2(s->imagedir, MNT_DETACH) == 0)
			s->image_mounted = false;
	} else {
		r = -EINVAL;
	}
	if (r < 0)
		staged_root_discard(s);
	return r;
}
