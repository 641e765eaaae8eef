// SPDX-License-Identifier: MIT
/*
 * Loop devices by hand (Documentation/admin-guide/devices.txt, loop(4)):
 * LOOP_CTL_GET_FREE, then LOOP_CONFIGURE (Linux 5.8) with a fallback to
 * LOOP_SET_FD + LOOP_SET_STATUS64; the filesystem is mounted with libmount.
 */
#include <errno.h>
#include <stdbool.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>
#include <linux/loop.h>

#include <libmount/libmount.h>

#include "mount.h"
#include "log.h"
#include "loop.h"

#ifndef LOOP_CONFIGURE
#define LOOP_CONFIGURE 0x4C0A
struct loop_config { __u32 fd; __u32 block_size; struct loop_info64 info; __u64 __reserved[8]; };
#endif

/* Node for loop N when devtmpfs has not made it (yet). */
static int loop_node(int n, char *dev, size_t devlen)
{
	snprintf(dev, devlen, "/dev/loop%d", n);
	if (access(dev, F_OK) == 0)
		return 0;
	if (mknod(dev, S_IFBLK | 0600, makedev(7, (unsigned)n)) < 0 && errno != EEXIST)
		return -errno;
	return 0;
}

static int loop_configure(int lfd, int ffd, const char *image, bool rw)
{
	struct loop_config cfg;
	memset(&cfg, 0, sizeof(cfg));
	cfg.fd = (__u32)ffd;
	cfg.info.lo_flags = (rw ? 0 : LO_FLAGS_READ_ONLY) | LO_FLAGS_AUTOCLEAR;
	snprintf((char *)cfg.info.lo_file_name, sizeof(cfg.info.lo_file_name), "%s", image);
	if (ioctl(lfd, LOOP_CONFIGURE, &cfg) == 0)
		return 0;
	if (errno != EINVAL && errno != ENOTTY)
		return -errno;
	/* Before Linux 5.8. */
	if (ioctl(lfd, LOOP_SET_FD, ffd) < 0)
		return -errno;
	if (ioctl(lfd, LOOP_SET_STATUS64, &cfg.info) < 0) {
		int e = -errno;
		ioctl(lfd, LOOP_CLR_FD, 0);
		return e;
	}
	return 0;
}

static int loop_attach_mode(const char *image, bool rw, char *dev, size_t devlen, int *hold)
{
	int ctl = open("/dev/loop-control", O_RDWR | O_CLOEXEC);
	if (ctl < 0) {
		int e = -errno;
		nl_err("mount", "/dev/loop-control: %s (is the loop module loaded?)", strerror(errno));
		return e;
	}
	int ffd = open(image, (rw ? O_RDWR : O_RDONLY) | O_CLOEXEC);
	if (ffd < 0) {
		int e = -errno;
		close(ctl);
		nl_err("mount", "%s: %s", image, strerror(-e));
		return e;
	}
	int r = -EBUSY;
	/* Another process may take the free device between the two calls. */
	for (int tries = 0; tries < 8 && r == -EBUSY; tries++) {
		int n = ioctl(ctl, LOOP_CTL_GET_FREE);
		if (n < 0) {
			r = -errno;
			break;
		}
		if ((r = loop_node(n, dev, devlen)) < 0)
			break;
		int lfd = open(dev, (rw ? O_RDWR : O_RDONLY) | O_CLOEXEC);
		if (lfd < 0) {
			r = -errno;
			break;
		}
		r = loop_configure(lfd, ffd, image, rw);
		if (r == 0)
			*hold = lfd;
		else
			close(lfd);
	}
	close(ffd);
	close(ctl);
	if (r < 0)
		nl_err("mount", "loop setup for %s: %s", image, strerror(-r));
	return r;
}

int loop_attach(const char *image, char *dev, size_t devlen, int *hold)
{
	return loop_attach_mode(image, false, dev, devlen, hold);
}

int loop_mount_image(const char *image, const char *fstype, const char *target, bool rw)
{
	char dev[64];
	int hold = -1;
	int r = loop_attach_mode(image, rw, dev, sizeof(dev), &hold);
	if (r < 0)
		return r;
	/* libmount's context mount fails inside the initramfs (it looks for
	 * files that are not there); mount_fs() parses options with libmount
	 * and mounts with mount(2) (mount/mount.c). */
	r = mount_fs(dev, target, fstype, rw ? "rw" : "ro");
	if (r < 0) {
		nl_err("mount", "mount %s (%s on %s) at %s: %s", image, fstype, dev, target, strerror(-r));
		ioctl(hold, LOOP_CLR_FD, 0);
	} else {
		nl_info("mount", "%s (%s) on %s mounted %s at %s", image, fstype, dev,
			rw ? "read-write" : "read-only", target);
	}
	close(hold); /* the mount keeps the device; autoclear frees it at umount */
	return r;
}
