/* SPDX-License-Identifier: MIT */
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static ssize_t read_fd(int fd, char *buf, size_t size, bool whole)
{
	size_t len = 0;

	while (len < size - 1) {
		ssize_t n = read(fd, buf + len, size - 1 - len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			break;
		len += (size_t)n;
	}
	buf[len] = '\0';
	if (whole && len == size - 1) {
		char more;
		ssize_t n;

		while ((n = read(fd, &more, 1)) < 0 && errno == EINTR)
			;
		if (n != 0)
			return n < 0 ? -errno : -EFBIG;
	}
	return (ssize_t)len;
}

static ssize_t read_path(const char *path, char *buf, size_t size, bool whole)
{
	ssize_t r;
	int fd;

	if (size == 0)
		return -EINVAL;
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return -errno;
	r = read_fd(fd, buf, size, whole);
	close(fd);
	return r;
}

ssize_t read_file(const char *path, char *buf, size_t size)
{
	return read_path(path, buf, size, false);
}

ssize_t read_file_whole(const char *path, char *buf, size_t size)
{
	return read_path(path, buf, size, true);
}

int write_fd_all(int fd, const void *data, size_t len)
{
	const char *p = data;

	while (len > 0) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return n < 0 ? -errno : -EIO;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/* "<dir>/.<base>.tmp" for path "<dir>/<base>". */
static int temp_name(const char *path, char *out, size_t size)
{
	const char *slash = strrchr(path, '/');
	int dlen = slash ? (int)(slash - path + 1) : 0;
	int n = snprintf(out, size, "%.*s.%s.tmp", dlen, path, slash ? slash + 1 : path);

	return n < 0 || (size_t)n >= size ? -ENAMETOOLONG : 0;
}

/* path (a regular file, not through a symlink) holds exactly data. */
static bool file_holds(int dirfd, const char *path, const void *data, size_t len)
{
	char buf[4096];
	int fd = len < sizeof(buf) ? openat(dirfd, path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC) : -1;
	struct stat st;
	ssize_t n = -1;

	if (fd < 0)
		return false;
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size == (off_t)len)
		n = read(fd, buf, len + 1);
	close(fd);
	return n == (ssize_t)len && memcmp(buf, data, len) == 0;
}

int write_file_at(int dirfd, const char *path, const void *data, size_t len, mode_t mode,
		  unsigned how)
{
	char tmp[4096];
	const char *target = path;
	int flags = O_WRONLY | O_CREAT | O_CLOEXEC | O_NOFOLLOW;
	int fd, r;

	if ((how & WRITE_UNCHANGED) && file_holds(dirfd, path, data, len))
		return 0;

	if (how & WRITE_ATOMIC) {
		r = temp_name(path, tmp, sizeof(tmp));
		if (r < 0)
			return r;
		target = tmp;
		if ((how & WRITE_EXCL) && faccessat(dirfd, path, F_OK, AT_SYMLINK_NOFOLLOW) == 0)
			return -EEXIST;
	}
	flags |= (how & WRITE_EXCL) && !(how & WRITE_ATOMIC) ? O_EXCL : O_TRUNC;
	fd = openat(dirfd, target, flags, mode);
	if (fd < 0)
		return -errno;
	r = write_fd_all(fd, data, len);
	/* EINVAL: a file system without fsync; the data is written all the same. */
	if (r == 0 && (how & WRITE_SYNC) && fsync(fd) < 0 && errno != EINVAL)
		r = -errno;
	if (close(fd) < 0 && r == 0)
		r = -errno;
	if (r == 0 && (how & WRITE_ATOMIC) && renameat(dirfd, tmp, dirfd, path) < 0)
		r = -errno;
	if (r < 0 && (how & WRITE_ATOMIC))
		unlinkat(dirfd, tmp, 0);
	return r;
}

int write_file(const char *path, const char *data, size_t len, mode_t mode)
{
	return write_file_at(AT_FDCWD, path, data, len, mode, 0);
}

int errbuf_set(char *buf, size_t size, int r, const char *fmt, ...)
{
	va_list ap;

	if (!buf || !size)
		return r;
	va_start(ap, fmt);
	vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return r;
}

int mkdir_p(const char *path, mode_t mode)
{
	char tmp[4096];
	size_t len = strlen(path);

	if (len == 0 || len >= sizeof(tmp))
		return -ENAMETOOLONG;
	memcpy(tmp, path, len + 1);
	for (char *p = tmp + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(tmp, mode) < 0 && errno != EEXIST)
			return -errno;
		*p = '/';
	}
	if (mkdir(tmp, mode) < 0 && errno != EEXIST)
		return -errno;
	return 0;
}

bool strscpy_ok(char *dst, const char *src, size_t size)
{
	size_t len = strlen(src);

	if (size == 0)
		return false;
	if (len >= size) {
		memcpy(dst, src, size - 1);
		dst[size - 1] = '\0';
		return false;
	}
	memcpy(dst, src, len + 1);
	return true;
}

long long meminfo_kb(const char *key)
{
	char buf[8192], *p;
	size_t klen = strlen(key);
	ssize_t n = read_file("/proc/meminfo", buf, sizeof(buf));

	if (n < 0)
		return n;
	for (p = buf; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL) {
		if (strncmp(p, key, klen) == 0 && p[klen] == ':')
			return strtoll(p + klen + 1, NULL, 10);
	}
	return -ENOENT;
}

void sleep_ms(unsigned ms)
{
	struct timespec ts = { .tv_sec = ms / 1000, .tv_nsec = (long)(ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

uint32_t random_u32(uint64_t salt)
{
	static uint64_t state;
	struct timespec ts;
	uint32_t r;
	uint64_t x;

	if (getrandom(&r, sizeof(r), GRND_NONBLOCK) == (ssize_t)sizeof(r))
		return r;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	/* splitmix64's finaliser over the clock, pid, salt and the last value */
	x = state ^ salt ^ (uint64_t)ts.tv_nsec * 0x9e3779b97f4a7c15ull ^ (uint64_t)ts.tv_sec ^
	    (uint64_t)getpid() << 32;
	x ^= x >> 30, x *= 0xbf58476d1ce4e5b9ull;
	x ^= x >> 27, x *= 0x94d049bb133111ebull;
	x ^= x >> 31;
	state = x;
	return (uint32_t)(x >> 16);
}

int deadline_wait(const struct deadline_wait *w, int (*try_fn)(void *ctx), void *ctx,
		  int *last, unsigned *tries)
{
	uint64_t deadline = now_ms() + w->timeout_ms;
	unsigned pause = w->delay_ms, n = 0;
	int r;

	for (;;) {
		n++;
		if (tries)
			*tries = n;
		r = try_fn(ctx);
		if (r <= 0)
			return r;
		if (last)
			*last = r;
		if (now_ms() + pause >= deadline)
			return -ETIMEDOUT;
		if (w->on_retry)
			w->on_retry(ctx, r, pause, n);
		sleep_ms(pause + (w->jitter_ms ? random_u32(n) % w->jitter_ms : 0));
		reap_children();
		pause = pause * 2 > w->max_delay_ms ? w->max_delay_ms : pause * 2;
	}
}

int reap_children(void)
{
	int n = 0;

	while (waitpid(-1, NULL, WNOHANG) > 0)
		n++;
	return n;
}

int run_wait(char *const argv[], char *const envp[])
{
	int status;
	pid_t pid = fork();

	if (pid < 0)
		return -errno;
	if (pid == 0) {
		execve(argv[0], argv, envp);
		_exit(127);
	}
	for (;;) {
		pid_t w = waitpid(-1, &status, 0);

		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if (w != pid)
			continue; /* an orphan: reaped, keep waiting for ours */
		if (WIFEXITED(status))
			return WEXITSTATUS(status);
		if (WIFSIGNALED(status))
			return 128 + WTERMSIG(status);
	}
}
