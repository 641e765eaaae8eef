/* SPDX-License-Identifier: MIT */
/*
 * The log of the host tools: init/log.h's interface, written the way a tool
 * on a server prints (no time since boot, no /dev/kmsg, no stage words):
 *     netinit-export: wrote /etc/dnsmasq.d/netinit.conf        (stdout)
 *     netinit-export: warning: ...  /  netinit-export: error: ...  (stderr)
 * Linked instead of init/log.c into netinit-export, so the code it shares
 * with init (the command line parser, the manifest signer) logs this way too.
 */
#include "log.h"

#include <stdio.h>
#include <string.h>

static enum nl_level max_level = NL_INFO;
static const char *const tool_name = "netinit-export";

int log_open_kmsg(void) { return -1; } /* a host tool never writes the kernel log */
void log_set_level(enum nl_level max) { max_level = max; }
enum nl_level log_get_level(void) { return max_level; }
double log_uptime(void) { return 0; }

void vnlog(enum nl_level lvl, const char *stage, const char *fmt, va_list ap)
{
	char msg[1024];
	size_t n;
	FILE *f = lvl <= NL_WARN ? stderr : stdout;

	(void)stage;
	if (lvl > max_level)
		return;
	vsnprintf(msg, sizeof(msg), fmt, ap);
	n = strlen(msg);
	if (n > 0 && msg[n - 1] == '\n')
		msg[--n] = '\0';
	/* stdout and stderr interleave in a terminal and in "2>&1" logs. */
	fflush(stdout);
	fprintf(f, "%s: %s%s\n", tool_name, lvl <= NL_ERR ? "error: " : lvl == NL_WARN ? "warning: " : "", msg);
	fflush(f);
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
	(void)stage;
	(void)fmt; /* progress lines are for the boot console only */
}
