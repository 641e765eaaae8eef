/* SPDX-License-Identifier: MIT */
/* The boot report: see report.h and doc/failure.md. */
#include "report.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "boot.h"
#include "hookenv.h"
#include "log.h"
#include "net.h"
#include "url.h"
#include "util.h"

static struct {
	enum boot_stage stage;
	bool seen[STAGE__COUNT];
	double begin[STAGE__COUNT];
	bool failed;
	enum boot_stage failed_stage;
	char failure[400];
	char host[254], ip[24], mac[24], root[300], kind[16];
	struct in_addr logsrv[NET_MAX_LOG];
	size_t nlog;
	const struct net_lease *lease; /* DNS for the report URL */
} rep = { .stage = STAGE__COUNT };

void report_stage(enum boot_stage s)
{
	if (s >= STAGE__COUNT)
		return;
	rep.stage = s;
	if (!rep.seen[s]) { /* a retried stage keeps its first start */
		rep.seen[s] = true;
		rep.begin[s] = log_uptime();
	}
}

enum boot_stage report_current_stage(void) { return rep.stage; }

void report_state(const struct cmdline *cl, const struct boot_state *bs)
{
	const struct net_lease *l = bs->have_lease ? &bs->lease : NULL;

	snprintf(rep.kind, sizeof(rep.kind), "%s", hookenv_root_kind(cl, bs));
	if (cl->root.type == ROOT_BLOCK)
		snprintf(rep.root, sizeof(rep.root), "%s", cl->root.device);
	else if (cl->root.type == ROOT_NFS)
		snprintf(rep.root, sizeof(rep.root), "%.40s:%.200s", cl->root.nfs.server, cl->root.nfs.path);
	else if (cl->root.type == ROOT_URL)
		snprintf(rep.root, sizeof(rep.root), "%.290s", cl->root.url);
	if (bs->hostname[0] && hostname_valid(bs->hostname))
		snprintf(rep.host, sizeof(rep.host), "%s", bs->hostname);
	if (!l || !bs->have_net)
		return;
	rep.lease = l;
	snprintf(rep.ip, sizeof(rep.ip), "%s/%u", bs->ipaddr, l->prefix);
	snprintf(rep.mac, sizeof(rep.mac), "%02x:%02x:%02x:%02x:%02x:%02x", l->mac[0], l->mac[1],
		 l->mac[2], l->mac[3], l->mac[4], l->mac[5]);
	rep.nlog = l->nlog < NET_MAX_LOG ? l->nlog : NET_MAX_LOG;
	memcpy(rep.logsrv, l->log_servers, rep.nlog * sizeof(rep.logsrv[0]));
}

void report_failure(enum boot_stage s, const char *reason)
{
	rep.failed = true;
	rep.failed_stage = s;
	snprintf(rep.failure, sizeof(rep.failure), "%s", reason);
}

size_t report_timings(char *buf, size_t size, const char *sep)
{
	double now = log_uptime(), first = -1;
	size_t len = 0;

	buf[0] = '\0';
	for (int s = 0; s < STAGE__COUNT; s++) {
		double end = now;
		int w;

		if (!rep.seen[s])
			continue;
		if (first < 0)
			first = rep.begin[s];
		for (int t = s + 1; t < STAGE__COUNT; t++)
			if (rep.seen[t]) {
				end = rep.begin[t];
				break;
			}
		w = snprintf(buf + len, size - len, "%s%s=%.3f", len ? sep : "",
			     boot_stage_name((enum boot_stage)s), end - rep.begin[s]);
		if (w < 0 || (size_t)w >= size - len)
			return len;
		len += (size_t)w;
	}
	/* kernel: boot until netinit's first stage; total: since the kernel started */
	int w = snprintf(buf + len, size - len, "%skernel=%.3f%stotal=%.3f", len ? sep : "",
			 first < 0 ? now : first, sep, now);
	if (w > 0 && (size_t)w < size - len)
		len += (size_t)w;
	return len;
}

/* Log text as a value on one line: no newline, no control bytes. */
static void one_line(char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			*s = ' ';
}

size_t report_format(char *buf, size_t size)
{
	static char last[32 * 220], t[512];
	size_t len;
	char *p, *nl;

	report_timings(t, sizeof(t), " ");
	one_line(rep.failure);
	len = (size_t)snprintf(buf, size,
		"result=%s\nstage=%s\nerror=%s\nhostname=%s\nmac=%s\nip=%s\nroot=%s\nroot_kind=%s\n"
		"uptime=%.3f\ntimings=%s\n", rep.failed ? "failed" : "ok",
		rep.failed ? boot_stage_name(rep.failed_stage) :
		rep.stage < STAGE__COUNT ? boot_stage_name(rep.stage) : "early",
		rep.failure, rep.host, rep.mac, rep.ip, rep.root, rep.kind, log_uptime(), t);
	if (len >= size)
		return size - 1;
	log_last_lines(20, last, sizeof(last));
	for (p = last; *p && len < size; p = nl + 1) {
		nl = strchr(p, '\n');
		if (!nl)
			break;
		*nl = '\0';
		one_line(p);
		int w = snprintf(buf + len, size - len, "log=%s\n", p);
		if (w < 0 || (size_t)w >= size - len)
			break;
		len += (size_t)w;
	}
	return len;
}

void report_print_summary(const char *why)
{
	static char last[16 * 220];
	char t[512];

	log_last_lines(12, last, sizeof(last));
	report_timings(t, sizeof(t), " ");
	fprintf(stderr, "\n======== netinit rescue shell: %s ========\n"
		"stage:     %s\nfailure:   %s\nhost name: %s\naddress:   %s%s%s%s\n"
		"root:      %s (%s)\ntimings:   %s\nlast log lines:\n%s"
		"=====================================================\n",
		why, rep.stage < STAGE__COUNT ? boot_stage_name(rep.stage) : "early",
		rep.failed ? rep.failure : "none", rep.host[0] ? rep.host : "-",
		rep.ip[0] ? rep.ip : "-", rep.mac[0] ? " (MAC " : "", rep.mac,
		rep.mac[0] ? ")" : "", rep.root[0] ? rep.root : "-", rep.kind[0] ? rep.kind : "-", t,
		last);
	fflush(stderr);
}

static void write_run(const char *name, const char *data, size_t len)
{
	char path[128];
	int r;

	mkdir(REPORT_RUN_DIR, 0755);
	snprintf(path, sizeof(path), "%s/%s", REPORT_RUN_DIR, name);
	r = write_file(path, data, len, 0644);
	if (r < 0)
		nl_warn("report", "cannot write %s: %s", path, strerror(-r));
}

void report_at_switch_root(void)
{
	static char buf[16384];
	size_t n;

	n = report_timings(buf, sizeof(buf), " ");
	nl_info("switch_root", "timings: %s", buf);
	n = report_timings(buf, sizeof(buf), "\n");
	buf[n++] = '\n';
	write_run("timings", buf, n);
	n = report_format(buf, sizeof(buf));
	write_run("boot-summary", buf, n);
}

size_t report_log_servers(struct in_addr *out, size_t max)
{
	size_t n = rep.nlog < max ? rep.nlog : max;

	memcpy(out, rep.logsrv, n * sizeof(*out));
	return n;
}

const struct net_lease *report_lease(void) { return rep.lease; }
