/* SPDX-License-Identifier: MIT */
#include "localroot.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cmdline.h"
#include "log.h"
#include "modules.h"
#include "netinit_config.h"
#include "util.h"

#include <blkid/blkid.h>
#include <libmount/libmount.h>

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

#if CFG_LOCAL_ROOT

int localroot_resolve(const char *spec, char *dev, size_t size)
{
	char *name = NULL, *value = NULL, *found;
	struct stat st;

	if (spec[0] == '/') {
		if (stat(spec, &st) < 0)
			return -errno;
		if (!S_ISBLK(st.st_mode))
			return -ENOTBLK;
		return strscpy_ok(dev, spec, size) ? 0 : -ENAMETOOLONG;
	}
	if (blkid_parse_tag_string(spec, &name, &value) < 0)
		return -EINVAL;
	free(name);
	free(value);
	/* A fresh cache each time: the device may have appeared since. */
	found = blkid_evaluate_tag(spec, NULL, NULL);
	if (!found)
		return -ENOENT;
	if (!strscpy_ok(dev, found, size)) {
		free(found);
		return -ENAMETOOLONG;
	}
	free(found);
	return 0;
}

/* The filesystem type, probed from the superblock (no file names trusted). */
static int probe_fstype(const char *dev, char *type, size_t size)
{
	blkid_probe pr = blkid_new_probe_from_filename(dev);
	const char *t = NULL;
	int r = -ENODATA;

	if (!pr)
		return -errno ? -errno : -EIO;
	blkid_probe_enable_superblocks(pr, 1);
	blkid_probe_set_superblocks_flags(pr, BLKID_SUBLKS_TYPE);
	if (blkid_do_safeprobe(pr) == 0 && blkid_probe_lookup_value(pr, "TYPE", &t, NULL) == 0 && t) {
		strscpy_ok(type, t, size);
		r = 0;
	}
	blkid_free_probe(pr);
	return r;
}

int localroot_mount(const struct cmdline *cl, const char *newroot)
{
	int wait_s = cl->timeout >= 0 ? cl->timeout : cl->rootdelay >= 0 ? cl->rootdelay : LOCALROOT_WAIT_DEFAULT;
	const char *spec = cl->root.device;
	char dev[256], type[32] = "", opts[600], modname[48];
	uint64_t deadline = now_ms() + (uint64_t)wait_s * 1000;
	uint64_t next_note = now_ms() + 5000;
	int r;

	nl_info("mount", "waiting up to %d s for root device %s", wait_s, spec);
	for (;;) {
		r = localroot_resolve(spec, dev, sizeof(dev));
		if (r == 0)
			break;
		if (r == -EINVAL) {
			nl_err("mount", "root=%s: not a device path or LABEL=/UUID=/PARTUUID=/PARTLABEL= tag", spec);
			return r;
		}
		if (now_ms() >= deadline) {
			nl_err("mount", "root device %s did not appear within %d s (%s); "
			       "check root= and that its disk driver is in the initramfs, "
			       "or raise rd.timeout=", spec, wait_s, strerror(-r));
			return -ETIMEDOUT;
		}
		if (now_ms() >= next_note) {
			nl_info("mount", "still waiting for %s", spec);
			next_note = now_ms() + 5000;
		}
		reap_children();
		sleep_ms(100);
	}

	if (cl->rootfstype[0])
		strscpy_ok(type, cl->rootfstype, sizeof(type));
	else if (probe_fstype(dev, type, sizeof(type)) < 0)
		nl_warn("mount", "%s: no filesystem signature found; letting the kernel try", dev);
	if (type[0]) {
		const char *m = modname;

		snprintf(modname, sizeof(modname), "fs-%s", type);
		modules_load(cl, &m, 1, 1);
	}
	snprintf(opts, sizeof(opts), "%s%s%s", cl->ro == 0 ? "rw" : "ro",
		 cl->rootflags[0] ? "," : "", cl->rootflags);
	if (type[0]) {
		r = mount_fs(dev, newroot, type, opts);
	} else {
		/* No signature: try each block filesystem the kernel knows, as mount(8) does. */
		char fs[4096], *save = NULL;

		r = -ENODEV;
		if (read_file("/proc/filesystems", fs, sizeof(fs)) > 0) {
			for (char *l = strtok_r(fs, "\n", &save); l && r < 0; l = strtok_r(NULL, "\n", &save)) {
				if (strncmp(l, "nodev", 5) == 0)
					continue;
				l += strspn(l, " \t");
				if (mount_fs(dev, newroot, l, opts) == 0) {
					strscpy_ok(type, l, sizeof(type));
					r = 0;
				}
			}
		}
	}
	if (r < 0) {
		nl_err("mount", "mounting %s (%s) on %s with \"%s\" failed: %s", dev,
		       type[0] ? type : "auto", newroot, opts, strerror(-r));
		return r;
	}
	nl_info("mount", "root %s (%s, %s) mounted on %s", dev, type[0] ? type : "auto", opts, newroot);
	return 0;
}

#else /* !CFG_LOCAL_ROOT */

int localroot_resolve(const char *spec, char *dev, size_t size) { return -ENOTSUP; }
int localroot_mount(const struct cmdline *cl, const char *newroot)
{
	nl_err("mount", "local roots not built in (CONFIG_LOCAL_ROOT=n)");
	return -ENOTSUP;
}
#endif
