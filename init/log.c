/* SPDX-License-Identifier: MIT */
#include "log.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static void write_all(int fd, const char *buf, size_t len);
static int kmsg_fd = -1;
static int kmsg_writes;       /* on this fd: see kmsg_write() */
static int console_loglevel = 0; /* the kernel echoes kmsg lines below this level */
static enum nl_level max_level = NL_INFO;
static int progress_open; /* a '\r' progress line is on the console */
static void (*progress_hook)(void);

void log_set_progress_hook(void (*fn)(void)) { progress_hook = fn; }

/* The last lines, for the rescue summary and the failure report. */
#define RING_LINES 32
#define RING_LEN 200
static char ring[RING_LINES][RING_LEN];
static unsigned ring_next, ring_count;

static void ring_add(const char *stage, const char *tag, const char *msg)
{
	snprintf(ring[ring_next], RING_LEN, "[%.3f] %.16s: %s%.160s", log_uptime(), stage, tag, msg);
	ring_next = (ring_next + 1) % RING_LINES;
	if (ring_count < RING_LINES)
		ring_count++;
}

size_t log_last_lines(unsigned n, char *buf, size_t size)
{
	size_t len = 0;

	if (size == 0)
		return 0;
	buf[0] = '\0';
	if (n > ring_count)
		n = ring_count;
	for (unsigned i = 0; i < n; i++) {
		const char *l = ring[(ring_next + RING_LINES - n + i) % RING_LINES];
		int w = snprintf(buf + len, size - len, "%s\n", l);

		if (w < 0 || (size_t)w >= size - len)
			break;
		len += (size_t)w;
	}
	return len;
}

int log_open_kmsg(void)
{
	if (kmsg_fd >= 0)
		return 0;
	kmsg_fd = open("/dev/kmsg", O_WRONLY | O_CLOEXEC | O_NOCTTY);
	if (kmsg_fd < 0)
		return -errno;
	kmsg_writes = 0;
	{
		char buf[64] = "";
		int fd = open("/proc/sys/kernel/printk", O_RDONLY | O_CLOEXEC);

		if (fd >= 0) {
			ssize_t n = read(fd, buf, sizeof(buf) - 1);

			if (n > 0)
				buf[n] = '\0';
			close(fd);
		}
		console_loglevel = atoi(buf);
	}
	return 0;
}

/*
 * The kernel rate-limits writes to /dev/kmsg per open file (10 lines per 5 s
 * unless printk.devkmsg=on, kernel/printk/printk.c devkmsg_write()); a
 * fresh open gets a fresh budget, so reopen before reaching it.
 */
static void kmsg_write(const char *line, size_t len)
{
	if (kmsg_writes >= 8) {
		int fd = open("/dev/kmsg", O_WRONLY | O_CLOEXEC | O_NOCTTY);

		/* dup3(O_CLOEXEC), not dup2(): dup2() clears close-on-exec on
		 * the target, and the kmsg fd would leak into hooks, the shell
		 * and the real init (dup(2): "the close-on-exec flag for the
		 * duplicate descriptor is off"). */
		if (fd >= 0) {
			dup3(fd, kmsg_fd, O_CLOEXEC);
			close(fd);
		}
		kmsg_writes = 0;
	}
	kmsg_writes++;
	write_all(kmsg_fd, line, len);
}

void log_set_level(enum nl_level max) { max_level = max; }
enum nl_level log_get_level(void) { return max_level; }

double log_uptime(void)
{
	struct timespec ts;

	if (clock_gettime(CLOCK_BOOTTIME, &ts) < 0)
		return 0;
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Write all of buf; the console may be slow (serial) and writes can be short. */
static void write_all(int fd, const char *buf, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, buf, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return;
		buf += n;
		len -= (size_t)n;
	}
}

void vnlog(enum nl_level lvl, const char *stage, const char *fmt, va_list ap)
{
	char msg[1024], line[1200];
	int n;

	if (lvl > max_level)
		return;
	vsnprintf(msg, sizeof(msg), fmt, ap);
	/* Strip one trailing newline; every message is one line. */
	n = (int)strlen(msg);
	if (n > 0 && msg[n - 1] == '\n')
		msg[--n] = '\0';

	const char *tag = lvl <= NL_ERR ? "ERROR: " : lvl == NL_WARN ? "warning: " : "";

	ring_add(stage, tag, msg);
	/* When the kernel echoes our kmsg line on the console, don't print it twice. */
	int echoed = kmsg_fd >= 0 && (int)lvl < console_loglevel;

	if (!echoed || progress_open) {
		n = snprintf(line, sizeof(line), "%s[%9.3f] netinit %s: %s%s\n",
			     progress_open ? "\n" : "", log_uptime(), stage, tag, msg);
		if (echoed) /* only end the progress line */
			n = 1;
		progress_open = 0;
		if (n > (int)sizeof(line) - 1)
			n = (int)sizeof(line) - 1;
		write_all(STDERR_FILENO, line, (size_t)n);
	}
	if (kmsg_fd >= 0) {
		/* /dev/kmsg: "<prio>text"; facility 1 (user) keeps it apart from the kernel's. */
		n = snprintf(line, sizeof(line), "<%d>netinit %s: %s%s\n", 8 + (int)lvl, stage, tag, msg);
		if (n > (int)sizeof(line) - 1)
			n = (int)sizeof(line) - 1;
		kmsg_write(line, (size_t)n);
	}
}

void nlog(enum nl_level lvl, const char *stage, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vnlog(lvl, stage, fmt, ap);
	va_end(ap);
}

void nl_progress(const char *stage, const char *fmt, ...)
{
	char msg[256], line[320];
	va_list ap;
	int n;

	if (progress_hook)
		progress_hook(); /* a download that moves is progress (the watchdog) */
	if (max_level < NL_INFO)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	n = snprintf(line, sizeof(line), "\r[%9.3f] netinit %s: %s\033[K", log_uptime(), stage, msg);
	if (n > (int)sizeof(line) - 1)
		n = (int)sizeof(line) - 1;
	write_all(STDERR_FILENO, line, (size_t)n);
	progress_open = 1;
}
