/* SPDX-License-Identifier: MIT */
#include "localroot.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "log.h"
#include "mount.h"
#include "plan.h"
#include "netinit_config.h"
#include "util.h"

#include <blkid/blkid.h>
#include <libmount/libmount.h>

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

/* One look for the device for deadline_wait(): 0 found, >0 not yet, <0 bad spec. */
struct dev_wait {
	const char *spec;
	char *dev;
	size_t size;
	uint64_t next_note;
};

static int dev_attempt(void *ctx)
{
	struct dev_wait *d = ctx;
	int r = localroot_resolve(d->spec, d->dev, d->size);

	if (r == -EINVAL) {
		nl_err("mount", "root=%s: not a device path or LABEL=/UUID=/PARTUUID=/PARTLABEL= tag",
		       d->spec);
		return r;
	}
	return -r;
}

static void dev_wait_note(void *ctx, int err, unsigned pause_ms, unsigned tries)
{
	struct dev_wait *d = ctx;

	if (now_ms() < d->next_note)
		return;
	nl_info("mount", "still waiting for %s", d->spec);
	d->next_note = now_ms() + 5000;
}

/* Wait for the root device to appear (udev-less: the kernel's devtmpfs). */
static int wait_root_device(const char *spec, int wait_s, char *dev, size_t size)
{
	struct dev_wait d = { spec, dev, size, now_ms() + 5000 };
	const struct deadline_wait w = {
		.timeout_ms = (unsigned)wait_s * 1000, .delay_ms = 100, .max_delay_ms = 100,
		.on_retry = dev_wait_note,
	};
	int last = 0, r;

	nl_info("mount", "waiting up to %d s for root device %s", wait_s, spec);
	r = deadline_wait(&w, dev_attempt, &d, &last, NULL);
	if (r == -ETIMEDOUT)
		nl_err("mount", "root device %s did not appear within %d s (%s); "
		       "check root= and that its disk driver is in the initramfs, "
		       "or raise rd.timeout=", spec, wait_s, strerror(last));
	return r;
}

/* No signature: try each block filesystem the kernel knows, as mount(8) does. */
static int mount_any_fs(const char *dev, const char *newroot, const char *opts, char *type,
			size_t size)
{
	char fs[4096], *save = NULL;

	if (read_file("/proc/filesystems", fs, sizeof(fs)) <= 0)
		return -ENODEV;
	for (char *l = strtok_r(fs, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
		if (strncmp(l, "nodev", 5) == 0)
			continue;
		l += strspn(l, " \t");
		if (mount_fs(dev, newroot, l, opts) == 0) {
			strscpy_ok(type, l, size);
			return 0;
		}
	}
	return -ENODEV;
}

int localroot_mount(const struct plan_local *l, bool ro, const struct mount_modules *mm,
		    const char *newroot)
{
	char dev[256], type[32] = "", opts[600], modname[48];
	int r = wait_root_device(l->device, l->wait_s, dev, sizeof(dev));

	if (r < 0)
		return r;
	if (l->fstype[0])
		strscpy_ok(type, l->fstype, sizeof(type));
	else if (probe_fstype(dev, type, sizeof(type)) < 0)
		nl_warn("mount", "%s: no filesystem signature found; letting the kernel try", dev);
	if (type[0]) {
		const char *m = modname;

		snprintf(modname, sizeof(modname), "fs-%s", type);
		mount_load_modules(mm, &m, 1);
	}
	snprintf(opts, sizeof(opts), "%s%s%s", ro ? "ro" : "rw", l->flags[0] ? "," : "", l->flags);
	if (type[0])
		r = mount_fs(dev, newroot, type, opts);
	else
		r = mount_any_fs(dev, newroot, opts, type, sizeof(type));
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
int localroot_mount(const struct plan_local *l, bool ro, const struct mount_modules *mm,
		    const char *newroot)
{
	nl_err("mount", "local roots not built in (CONFIG_LOCAL_ROOT=n)");
	return -ENOTSUP;
}
#endif
