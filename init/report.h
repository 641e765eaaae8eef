/* SPDX-License-Identifier: MIT */
/*
 * What the boot knows about itself, for the people who were not watching
 * (doc/failure.md): the stage it is in, the time each stage took, the
 * failure if any, host name, MAC, address, root; and where that goes:
 *  - the rescue shell's summary on the console;
 *  - the report before the final action: RFC 5424 syslog over UDP to every
 *    DHCP log server (option 7, RFC 2132 section 3.7) and an HTTP POST to
 *    netinit.report=<url>;
 *  - /run/netinit/boot-summary and /run/netinit/timings (key=value) for the
 *    booted system, and one "timings:" log line at switch_root.
 */
#ifndef NETINIT_REPORT_H
#define NETINIT_REPORT_H

#include <stddef.h>

#include "cmdline.h"

struct boot_state;

#define REPORT_SYSLOG_PORT 514      /* RFC 5426 section 3.3 */
#define REPORT_HTTP_TIMEOUT_MS 5000 /* connect + answer: the report never holds the boot */
#define REPORT_RUN_DIR "/run/netinit"

/* A stage begins (called by boot_break(), at the start of every stage). */
void report_stage(enum boot_stage s);
/* The current stage (STAGE__COUNT before the first). */
enum boot_stage report_current_stage(void);
/* Note host name, address, MAC, root from the boot state. */
void report_state(const struct cmdline *cl, const struct boot_state *bs);
/* A stage failed with this reason. */
void report_failure(enum boot_stage s, const char *reason);

/* "cmdline=0.012 pre-udev=0.912 ... total=4.201", seconds, stages seen;
 * sep between entries (" " or "\n").  Returns the length. */
size_t report_timings(char *buf, size_t size, const char *sep);
/* The report as key=value lines (result, stage, error, hostname, ...,
 * timings, the last log lines as log=...).  Returns the length. */
size_t report_format(char *buf, size_t size);
/* The human summary on the console (before a rescue shell). */
void report_print_summary(const char *why);

/* The timings log line, /run/netinit/timings and /run/netinit/boot-summary:
 * called by switch_root() before /run moves into the new root. */
void report_at_switch_root(void);
/* Before the final action: the files in /run, syslog, HTTP; bounded. */
void report_send(const struct cmdline *cl);

/* The DHCP log servers (option 7) noted by report_state(). */
#include <netinet/in.h>
size_t report_log_servers(struct in_addr *out, size_t max);
/* The lease noted by report_state() (its DNS servers), or NULL. */
struct net_lease;
const struct net_lease *report_lease(void);

/* One RFC 5424 message: <PRI>1 TIMESTAMP HOST netinit PID MSGID - MSG.
 * Returns the length. */
size_t report_syslog_line(char *buf, size_t size, int severity, const char *msgid,
			  const char *msg);

#endif
