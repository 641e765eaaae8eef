/* SPDX-License-Identifier: MIT */
/* Small helpers shared by every stage: files, strings, child processes. */
#ifndef NETINIT_UTIL_H
#define NETINIT_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* Read a whole small file (at most size-1 bytes) into buf, NUL-terminated.
 * Returns the length or -errno; a longer file is cut at size-1 bytes. */
ssize_t read_file(const char *path, char *buf, size_t size);
/* The same, but a file longer than size-1 bytes is -EFBIG (never half read). */
ssize_t read_file_whole(const char *path, char *buf, size_t size);

/* Write all len bytes to fd, restarting after signals.  0 or -errno. */
int write_fd_all(int fd, const void *data, size_t len);

/* How write_file_at() writes. */
enum {
	WRITE_EXCL = 1,   /* refuse (-EEXIST) when path exists: never overwrite a key */
	WRITE_ATOMIC = 2, /* write ".<name>.tmp" beside it, then rename(2) over path */
	WRITE_SYNC = 4,   /* fsync before close (host tools: the file survives a crash) */
	WRITE_UNCHANGED = 8, /* leave path alone when it already holds exactly data (on
			      * NFS a read is fewer round trips than a rewrite) */
};
/* Write all of data to path (relative to dirfd, or AT_FDCWD), created with
 * mode, never following a symlink at path.  0 or -errno; on failure an
 * atomic write leaves path as it was. */
int write_file_at(int dirfd, const char *path, const void *data, size_t len, mode_t mode,
		  unsigned how);
/* write_file_at(AT_FDCWD, path, ..., 0): O_CREAT|O_TRUNC. */
int write_file(const char *path, const char *data, size_t len, mode_t mode);

/* Format a one-line reason into buf (may be NULL) and return r: the one
 * helper behind every "return why(..., -EIO, "what: %s", ...)" in fetch/. */
int errbuf_set(char *buf, size_t size, int r, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/* mkdir -p; 0 or -errno. */
int mkdir_p(const char *path, mode_t mode);
/* Copy at most size-1 bytes and always terminate; returns true if it fit. */
bool strscpy_ok(char *dst, const char *src, size_t size);
/* Value of "Key:" from /proc/meminfo in kB, or -errno. */
long long meminfo_kb(const char *key);
/* Sleep for ms milliseconds, restarting after signals. */
void sleep_ms(unsigned ms);
/* Monotonic milliseconds (CLOCK_MONOTONIC): the one clock for timeouts. */
uint64_t now_ms(void);

/*
 * 32 random bits that never block.  As PID 1 early in boot the kernel's
 * CRNG may not be seeded yet (getrandom(2) with GRND_NONBLOCK gives EAGAIN):
 * then a mix of the clock, the pid and the caller's salt (a MAC: every node
 * boots with the same clock) is used, which is enough for DHCP xids, DNS ids
 * and retry jitter; never for keys.
 */
uint32_t random_u32(uint64_t salt);

/*
 * "Try until it works or a deadline passes": try(ctx) returns 0 when done,
 * a positive errno to try again after a pause, or a negative errno to give
 * up at once.  The pause starts at delay_ms and doubles up to max_delay_ms
 * (equal for a fixed pause), plus up to jitter_ms (random_u32) so a rack of
 * nodes does not retry in step; a pause that would end past the deadline is
 * not started.  on_retry (may be NULL) is told each failed try before the
 * pause.  Children are reaped during the wait (PID 1).
 * Returns 0, the negative error of try, or -ETIMEDOUT with the last positive
 * error in *last (may be NULL).  *tries counts the tries (may be NULL).
 */
struct deadline_wait {
	unsigned timeout_ms;
	unsigned delay_ms, max_delay_ms, jitter_ms;
	void (*on_retry)(void *ctx, int err, unsigned pause_ms, unsigned tries);
};
int deadline_wait(const struct deadline_wait *w, int (*try_fn)(void *ctx), void *ctx,
		  int *last, unsigned *tries);

/*
 * Run argv (absolute path) with env and wait for it, reaping any other
 * children (orphans re-parented to PID 1) meanwhile.  Returns the exit code
 * (0-255), 128+signal, or -errno when it could not be started.
 */
int run_wait(char *const argv[], char *const envp[]);
/* Reap exited children without blocking; returns how many. */
int reap_children(void);

#endif
