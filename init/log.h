/* SPDX-License-Identifier: MIT */
/*
 * Logging for every stage of netinit.
 *
 * Each message carries the time since boot and the stage that wrote it:
 *     [    1.234] netinit dhcp: eth0: lease 10.0.2.15/24 from 10.0.2.2
 * and goes to the console (stderr) and, when running as PID 1 (or when
 * log_open_kmsg() succeeded), to /dev/kmsg with a syslog priority, so the
 * journal of the booted system shows the boot history.
 */
#ifndef NETINIT_LOG_H
#define NETINIT_LOG_H

#include <stdarg.h>

enum nl_level {
	NL_ERR = 3,
	NL_WARN = 4,
	NL_NOTICE = 5,
	NL_INFO = 6,
	NL_DEBUG = 7,
};

/* Open /dev/kmsg for writing; returns 0 or -errno (console logging goes on). */
int log_open_kmsg(void);
/* Messages above this level are dropped (rd.debug raises it to NL_DEBUG). */
void log_set_level(enum nl_level max);
enum nl_level log_get_level(void);

void nlog(enum nl_level lvl, const char *stage, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void vnlog(enum nl_level lvl, const char *stage, const char *fmt, va_list ap);

/*
 * A progress line (downloads): rewritten in place on the console with '\r',
 * rate-limited by the caller; never sent to /dev/kmsg.  Finish with
 * nlog() for the summary line, which first ends the progress line.
 */
void nl_progress(const char *stage, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#define nl_err(stage, ...)   nlog(NL_ERR, stage, __VA_ARGS__)
#define nl_warn(stage, ...)  nlog(NL_WARN, stage, __VA_ARGS__)
#define nl_info(stage, ...)  nlog(NL_INFO, stage, __VA_ARGS__)
#define nl_debug(stage, ...) nlog(NL_DEBUG, stage, __VA_ARGS__)

/* The last n (at most 32) logged lines, newline-terminated, oldest first,
 * into buf; returns the length.  For the rescue summary and the report. */
#include <stddef.h>
size_t log_last_lines(unsigned n, char *buf, size_t size);

/* Called at every nl_progress() (init/watchdog.c counts it as progress). */
void log_set_progress_hook(void (*fn)(void));

/* Monotonic seconds since boot (CLOCK_BOOTTIME), as printed in the log. */
double log_uptime(void);

#endif
