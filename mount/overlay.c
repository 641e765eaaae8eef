// SPDX-License-Identifier: MIT
/* overlayfs mounts; see overlay.h. */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>

#include "log.h"
#include "overlay.h"

/* overlayfs splits its options on ',' and lowerdir on ':' (overlayfs.rst
 * "Multiple lower layers"); such paths would be misread, so refuse them. */
static bool path_ok(const char *p)
{
	return p[0] == '/' && !strpbrk(p, ",:\\");
}

int overlay_mount(const char *lower, const char *upper, const char *work, const char *target)
{
	char opts[3 * 4096 + 64];
	if (!path_ok(lower) || !path_ok(upper) || !path_ok(work)) {
		nl_err("mount", "overlay: paths must be absolute, without ',' ':' '\\'");
		return -EINVAL;
	}
	int n = snprintf(opts, sizeof(opts), "lowerdir=%s,upperdir=%s,workdir=%s", lower, upper, work);
	if (n < 0 || (size_t)n >= sizeof(opts))
		return -ENAMETOOLONG;
	if (mount("overlay", target, "overlay", 0, opts) < 0) {
		int e = errno;
		nl_err("mount", "overlay on %s (lower %s, upper %s): %s%s", target, lower, upper,
		       strerror(e), e == ENODEV ? " (overlay module not loaded?)" : "");
		return -e;
	}
	nl_info("mount", "overlay on %s: lower %s, upper %s", target, lower, upper);
	return 0;
}

int overlay_mount_volatile(const char *lower, const char *rwdir, const char *size,
			   const char *target)
{
	char upper[4096], work[4096], opt[64];
	snprintf(opt, sizeof(opt), "mode=0755%s%s", size ? ",size=" : "", size ? size : "");
	if (mkdir(rwdir, 0755) < 0 && errno != EEXIST)
		return -errno;
	if (mount("tmpfs", rwdir, "tmpfs", MS_NOSUID | MS_NODEV, opt) < 0) {
		int e = errno;
		nl_err("mount", "tmpfs for the writable layer at %s: %s", rwdir, strerror(e));
		return -e;
	}
	snprintf(upper, sizeof(upper), "%s/upper", rwdir);
	snprintf(work, sizeof(work), "%s/work", rwdir);
	if ((mkdir(upper, 0755) < 0 && errno != EEXIST) || (mkdir(work, 0700) < 0 && errno != EEXIST)) {
		int e = errno;
		umount2(rwdir, MNT_DETACH);
		return -e;
	}
	int r = overlay_mount(lower, upper, work, target);
	if (r < 0)
		umount2(rwdir, MNT_DETACH);
	return r;
}
