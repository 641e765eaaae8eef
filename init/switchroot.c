/* SPDX-License-Identifier: MIT */
/*
 * switch_root: hand the machine to the real init.
 * Rules from Documentation/filesystems/ramfs-rootfs-initramfs.rst: rootfs
 * cannot be unmounted (pivot_root does not work on it), so delete its
 * contents to free the memory, move the new root over "/" and chroot.
 */
#include "switchroot.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <linux/magic.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "log.h"
#include "report.h"
#include "watchdog.h"
#include "util.h"

static const char *const api_mounts[] = { "/dev", "/proc", "/sys", "/run" };

/* Open path as seen from inside root (symlinks resolved there, "/" = root). */
static int open_in_root(int rootfd, const char *path)
{
	struct open_how how = { .flags = O_PATH | O_CLOEXEC, .resolve = RESOLVE_IN_ROOT };
	int fd = (int)syscall(SYS_openat2, rootfd, path, &how, sizeof(how));

	if (fd < 0 && errno == ENOSYS) /* kernels before 5.6: best effort */
		fd = openat(rootfd, path[0] == '/' ? path + 1 : path, O_PATH | O_CLOEXEC);
	return fd < 0 ? -errno : fd;
}

int switchroot_check(const char *newroot, const char *init)
{
	struct statfs sfs;
	struct stat rst, nst, ist;
	int rootfd, fd;

	if (getpid() != 1) {
		nl_err("switch_root", "not running as PID 1 (pid %d)", (int)getpid());
		return -EPERM;
	}
	if (statfs("/", &sfs) < 0 || (sfs.f_type != RAMFS_MAGIC && sfs.f_type != TMPFS_MAGIC)) {
		nl_err("switch_root", "/ is not the initramfs (ramfs/tmpfs); refusing to delete its contents");
		return -EINVAL;
	}
	if (stat("/", &rst) < 0 || stat(newroot, &nst) < 0) {
		nl_err("switch_root", "cannot stat / or %s: %s", newroot, strerror(errno));
		return -errno;
	}
	if (rst.st_dev == nst.st_dev) {
		nl_err("switch_root", "%s is not a mount point of its own (same device as /)", newroot);
		return -EINVAL;
	}
	rootfd = open(newroot, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (rootfd < 0)
		return -errno;
	fd = open_in_root(rootfd, init);
	close(rootfd);
	if (fd < 0) {
		nl_err("switch_root", "init %s not found in the new root: %s (check init= and the image)",
		       init, strerror(-fd));
		return fd;
	}
	if (fstat(fd, &ist) < 0 || !S_ISREG(ist.st_mode) || !(ist.st_mode & 0111)) {
		nl_err("switch_root", "init %s in the new root is not an executable file", init);
		close(fd);
		return -ENOEXEC;
	}
	close(fd);
	return 0;
}

struct freed {
	unsigned long long bytes;
	unsigned files;
};

/* Delete the contents of dirfd, staying on device dev (never crossing mounts). */
static void delete_tree(int dirfd, dev_t dev, struct freed *f)
{
	DIR *dir = fdopendir(dirfd);
	struct dirent *d;

	if (!dir) {
		close(dirfd);
		return;
	}
	while ((d = readdir(dir))) {
		struct stat st;
		int isdir;

		if (!strcmp(d->d_name, ".") || !strcmp(d->d_name, ".."))
			continue;
		if (fstatat(dirfd, d->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0)
			continue;
		if (st.st_dev != dev)
			continue; /* a mount point (the new root, moved API mounts) */
		isdir = S_ISDIR(st.st_mode);
		if (isdir) {
			int sub = openat(dirfd, d->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);

			if (sub >= 0)
				delete_tree(sub, dev, f);
		}
		if (unlinkat(dirfd, d->d_name, isdir ? AT_REMOVEDIR : 0) == 0) {
			f->files++;
			f->bytes += (unsigned long long)st.st_blocks * 512;
		}
	}
	closedir(dir);
}

/*
 * Free memory in kB: MemFree from /proc/meminfo plus the pages parked in the
 * per-CPU free lists ("count:" under "pagesets" in /proc/zoneinfo), which
 * MemFree leaves out: a few MB freed go to those lists first and MemFree
 * does not move.  The files are opened before /proc moves and stay readable.
 */
static long long free_kb(int memfd, int zonefd)
{
	static char buf[65536];
	long long kb = -1, pcp = 0;
	ssize_t n;
	char *p;

	n = memfd >= 0 ? pread(memfd, buf, sizeof(buf) - 1, 0) : -1;
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	p = strstr(buf, "MemFree:");
	if (p)
		kb = strtoll(p + 8, NULL, 10);
	n = zonefd >= 0 ? pread(zonefd, buf, sizeof(buf) - 1, 0) : -1;
	if (n > 0) {
		buf[n] = '\0';
		for (p = strstr(buf, "count: "); p; p = strstr(p + 7, "count: "))
			pcp += strtoll(p + 7, NULL, 10);
	}
	return kb < 0 ? -1 : kb + pcp * (sysconf(_SC_PAGESIZE) / 1024);
}

/* A user-space process (kernel threads have no /proc/PID/exe). */
static bool user_process(pid_t pid, char *comm, size_t size)
{
	char path[64], link[16];
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/%d/exe", (int)pid);
	if (readlink(path, link, sizeof(link)) < 0)
		return false;
	snprintf(path, sizeof(path), "/proc/%d/comm", (int)pid);
	n = read_file(path, comm, size);
	if (n <= 0)
		snprintf(comm, size, "?");
	comm[strcspn(comm, "\n")] = '\0';
	return true;
}

/* Signal every process but us; returns how many were signalled. */
static int signal_all(int sig, bool say)
{
	DIR *d = opendir("/proc");
	struct dirent *e;
	char comm[32];
	int n = 0;

	while (d && (e = readdir(d))) {
		pid_t pid = (pid_t)atoi(e->d_name);

		if (pid <= 1 || pid == getpid() || !user_process(pid, comm, sizeof(comm)))
			continue;
		if (say)
			nl_warn("switch_root", "killing pid %d (%s): left running by a hook or the shell, "
				"it would pin the initramfs", (int)pid, comm);
		if (kill(pid, sig) == 0)
			n++;
	}
	if (d)
		closedir(d);
	return n;
}

/*
 * Processes that hooks or the rescue shell left behind would keep files of
 * the initramfs open (its memory is never freed) and run on under the real
 * init: SIGTERM, up to 2 s, then SIGKILL; all bounded.
 */
static void kill_strays(void)
{
	uint64_t end;

	reap_children();
	if (signal_all(SIGTERM, true) == 0)
		return;
	for (end = now_ms() + 2000; now_ms() < end; sleep_ms(50))
		if (reap_children() >= 0 && signal_all(0, false) == 0)
			break;
	signal_all(SIGKILL, false);
	for (end = now_ms() + 2000; now_ms() < end && signal_all(0, false); sleep_ms(50))
		reap_children();
}

/*
 * The new root needs a directory for each API mount: create it when missing
 * (a minimal image may lack /run), or fail while nothing is changed yet.  A
 * lazily detached /dev or /run would leave the real init without them.
 */
static int api_targets_ready(const char *newroot)
{
	char target[512];
	struct stat st;

	for (size_t i = 0; i < ARRAY_SIZE(api_mounts); i++) {
		snprintf(target, sizeof(target), "%s%s", newroot, api_mounts[i]);
		if (lstat(target, &st) == 0 && S_ISDIR(st.st_mode))
			continue;
		if (mkdir(target, 0755) == 0) {
			nl_info("switch_root", "created %s in the new root (the image has none)",
				api_mounts[i]);
			continue;
		}
		nl_err("switch_root", "the new root has no directory %s and it cannot be created (%s); "
		       "add it to the image", api_mounts[i], strerror(errno));
		return -ENOTDIR;
	}
	return 0;
}

/* MS_MOVE /dev /proc /sys /run under the new root; all or none. */
static int move_api_mounts(const char *newroot)
{
	char target[512];
	size_t i;
	int r = api_targets_ready(newroot);

	if (r < 0)
		return r;
	for (i = 0; i < ARRAY_SIZE(api_mounts); i++) {
		snprintf(target, sizeof(target), "%s%s", newroot, api_mounts[i]);
		if (mount(api_mounts[i], target, NULL, MS_MOVE, NULL) < 0)
			break;
	}
	if (i == ARRAY_SIZE(api_mounts))
		return 0;
	r = -errno;
	nl_err("switch_root", "cannot move %s to %s: %s", api_mounts[i], target, strerror(-r));
	while (i-- > 0) { /* put back what moved: the initramfs is still intact */
		snprintf(target, sizeof(target), "%s%s", newroot, api_mounts[i]);
		mount(target, api_mounts[i], NULL, MS_MOVE, NULL);
	}
	return r;
}

int switch_root(const char *newroot, const char *init, char *const argv[], bool dry_run)
{
	int memfd, zonefd;
	struct stat rst;
	struct freed f = { 0, 0 };
	long long free_before, free_after;
	int r, rootfd;

	r = switchroot_check(newroot, init);
	if (r < 0 || dry_run)
		return r;
	memfd = open("/proc/meminfo", O_RDONLY | O_CLOEXEC);
	zonefd = open("/proc/zoneinfo", O_RDONLY | O_CLOEXEC);

	kill_strays();
	report_at_switch_root(); /* into /run/netinit/ before /run moves */
	r = move_api_mounts(newroot);
	if (r < 0) {
		if (memfd >= 0)
			close(memfd);
		if (zonefd >= 0)
			close(zonefd);
		return r;
	}
	/* From here on the initramfs goes away: no return to the old root. */
	if (chdir(newroot) < 0) {
		nl_err("switch_root", "chdir %s: %s", newroot, strerror(errno));
		return -errno;
	}
	free_before = free_kb(memfd, zonefd);
	rootfd = open("/", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (rootfd >= 0 && fstat(rootfd, &rst) == 0)
		delete_tree(rootfd, rst.st_dev, &f);
	else if (rootfd >= 0)
		close(rootfd);
	free_after = free_kb(memfd, zonefd);
	if (memfd >= 0)
		close(memfd);
	if (zonefd >= 0)
		close(zonefd);
	if (mount(".", "/", NULL, MS_MOVE, NULL) < 0) {
		nl_err("switch_root", "moving %s to /: %s", newroot, strerror(errno));
		return -errno;
	}
	if (chroot(".") < 0 || chdir("/") < 0) {
		nl_err("switch_root", "chroot into %s: %s", newroot, strerror(errno));
		return -errno;
	}
	nl_info("switch_root", "freed the initramfs: %u files, %llu KiB (free memory %lld -> %lld kB); exec %s",
		f.files, f.bytes / 1024, free_before, free_after, init);
	watchdog_handover();
	execv(init, argv);
	r = -errno;
	nl_err("switch_root", "exec %s failed: %s", init, strerror(errno));
	return r;
}
