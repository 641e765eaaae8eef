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
 * Returns the length or -errno. */
ssize_t read_file(const char *path, char *buf, size_t size);
/* Write data to path (O_CREAT|O_TRUNC, mode), all of it.  0 or -errno. */
int write_file(const char *path, const char *data, size_t len, mode_t mode);
/* mkdir -p; 0 or -errno. */
int mkdir_p(const char *path, mode_t mode);
/* Copy at most size-1 bytes and always terminate; returns true if it fit. */
bool strscpy_ok(char *dst, const char *src, size_t size);
/* Value of "Key:" from /proc/meminfo in kB, or -errno. */
long long meminfo_kb(const char *key);
/* Sleep for ms milliseconds, restarting after signals. */
void sleep_ms(unsigned ms);
/* Monotonic milliseconds. */
uint64_t now_ms(void);

/*
 * Run argv (absolute path) with env and wait for it, reaping any other
 * children (orphans re-parented to PID 1) meanwhile.  Returns the exit code
 * (0-255), 128+signal, or -errno when it could not be started.
 */
int run_wait(char *const argv[], char *const envp[]);
/* Reap exited children without blocking; returns how many. */
int reap_children(void);

#endif
