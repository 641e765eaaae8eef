/* SPDX-License-Identifier: MIT */
#include "mount.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>

#include <libmount/libmount.h>

#include "log.h"

void mount_load_modules(const struct mount_modules *mm, const char *const *names, size_t n)
{
	if (mm && mm->load)
		mm->load(mm->ctx, names, n);
}

/*
 * libmount parses the options (its table of MS_* flags, so "ro,noatime,
 * data=journal" splits exactly as mount(8) would); the mount itself is one
 * mount(2) call, with no fstab, mtab or helper lookups in the initramfs.
 */
int mount_fs(const char *src, const char *target, const char *fstype, const char *opts)
{
	unsigned long flags = 0;
	char *fsopts = NULL;
	int r;

	if (!fstype || !*fstype)
		return -EINVAL;
	if (opts && *opts) {
		r = mnt_optstr_get_flags(opts, &flags, mnt_get_builtin_optmap(MNT_LINUX_MAP));
		if (r < 0)
			return r;
		r = mnt_split_optstr(opts, NULL, NULL, &fsopts, 0, 0);
		if (r < 0)
			return r;
	}
	r = mount(src, target, fstype, flags, fsopts) < 0 ? -errno : 0;
	free(fsopts);
	return r;
}

int mount_api(const char *src, const char *dir, const char *type, unsigned long flags,
	      const char *data)
{
	int e;

	mkdir(dir, 0755);
	if (mount(src, dir, type, flags, data) == 0 || errno == EBUSY)
		return 0;
	e = errno;
	nl_err("early", "mounting %s on %s failed: %s", type, dir, strerror(e));
	return -e;
}

int mount_tmpfs(const char *dir, const char *opts)
{
	if (mkdir(dir, 0755) < 0 && errno != EEXIST)
		return -errno;
	if (mount("tmpfs", dir, "tmpfs", 0, opts) < 0)
		return -errno;
	return 0;
}

int mount_move(const char *from, const char *to)
{
	int e;

	if (mount(from, to, NULL, MS_MOVE, NULL) == 0)
		return 0;
	e = errno;
	nl_err("mount", "move %s to %s: %s", from, to, strerror(e));
	return -e;
}

/* A read-only bind needs a second call: MS_RDONLY is ignored with the
 * first MS_BIND (mount(2), "Creating a bind mount"). */
int mount_bind_ro(const char *from, const char *to)
{
	int e;

	if (mount(from, to, NULL, MS_BIND, NULL) == 0 &&
	    mount(NULL, to, NULL, MS_REMOUNT | MS_BIND | MS_RDONLY, NULL) == 0)
		return 0;
	e = errno;
	nl_err("mount", "bind %s to %s: %s", from, to, strerror(e));
	return -e;
}
