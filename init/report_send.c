/* SPDX-License-Identifier: MIT */
/*
 * Sending the boot report before the final action: RFC 5424 syslog over UDP
 * (RFC 5426) to the DHCP log servers, and a plain HTTP/1.1 POST of the
 * key=value report to netinit.report=<url>.  Every step is bounded
 * (REPORT_HTTP_TIMEOUT_MS); a report that cannot be sent is logged, and the
 * failure policy goes on.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "log.h"
#include "net.h"
#include "netinit_config.h"
#include "report.h"
#include "url.h"
#include "util.h"

/* RFC 5424 section 6.2.3: FULL-DATE "T" FULL-TIME, UTC; "-" when the clock
 * was never set (a node without RTC boots in 1970). */
static void syslog_time(char *buf, size_t size)
{
	struct timespec ts;
	struct tm tm;

	if (clock_gettime(CLOCK_REALTIME, &ts) < 0 || ts.tv_sec < 946684800 ||
	    !gmtime_r(&ts.tv_sec, &tm)) {
		snprintf(buf, size, "-");
		return;
	}
	snprintf(buf, size, "%04d-%02d-%02dT%02d:%02d:%02d.%03ldZ", tm.tm_year + 1900, tm.tm_mon + 1,
		 tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, (ts.tv_nsec / 1000000) % 1000);
}

size_t report_syslog_line(char *buf, size_t size, int severity, const char *msgid,
			  const char *msg)
{
	char ts[64], host[256];
	int n;

	syslog_time(ts, sizeof(ts));
	/* HOSTNAME (section 6.2.4): the host name, else "-" */
	if (gethostname(host, sizeof(host)) < 0 || !host[0] || !hostname_valid(host))
		snprintf(host, sizeof(host), "-");
	/* PRI = facility daemon (3) * 8 + severity; VERSION 1; no STRUCTURED-DATA */
	n = snprintf(buf, size, "<%d>1 %s %s netinit %d %s - %s", 3 * 8 + severity, ts, host,
		     (int)getpid(), msgid, msg);
	return n < 0 ? 0 : (size_t)n >= size ? size - 1 : (size_t)n;
}

static void send_syslog(const struct in_addr *srv, size_t nsrv, const char *report)
{
	static char msg[1400], line[1500];
	const char *p, *nl;
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	if (fd < 0)
		return;
	for (size_t i = 0; i < nsrv; i++) {
		struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons(REPORT_SYSLOG_PORT),
					  .sin_addr = srv[i] };
		char a[INET_ADDRSTRLEN];
		int sent = 0;

		/* One datagram per report line (syslog is line oriented), cut at
		 * 1400 bytes: one Ethernet frame, below the 2048 that RFC 5426
		 * section 3.2 says receivers should accept. */
		for (p = report; *p; p = nl + 1) {
			nl = strchr(p, '\n');
			if (!nl)
				break;
			snprintf(msg, sizeof(msg), "%.*s", (int)(nl - p), p);
			size_t n = report_syslog_line(line, sizeof(line), 3,
						      strncmp(p, "log=", 4) ? "boot-report" : "boot-log", msg);
			if (sendto(fd, line, n, 0, (struct sockaddr *)&sa, sizeof(sa)) == (ssize_t)n)
				sent++;
		}
		nl_info("report", "sent %d syslog lines to %s:%d (DHCP log server)", sent,
			inet_ntop(AF_INET, &srv[i], a, sizeof(a)), REPORT_SYSLOG_PORT);
	}
	close(fd);
}

/* connect() bounded by poll(); the socket stays non-blocking. */
static int connect_bounded(struct in_addr a, uint16_t port, int ms)
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons(port), .sin_addr = a };
	struct pollfd p;
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0), err = 0;
	socklen_t el = sizeof(err);

	if (fd < 0)
		return -errno;
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 && errno != EINPROGRESS) {
		err = errno;
		close(fd);
		return -err;
	}
	p = (struct pollfd){ fd, POLLOUT, 0 };
	if (poll(&p, 1, ms) <= 0) {
		close(fd);
		return -ETIMEDOUT;
	}
	getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &el);
	if (err) {
		close(fd);
		return -err;
	}
	return fd;
}

/* Write all of buf before the deadline. */
static int send_all(int fd, const char *buf, size_t len, uint64_t deadline)
{
	while (len > 0) {
		struct pollfd p = { fd, POLLOUT, 0 };
		uint64_t now = now_ms();
		ssize_t n;

		if (now >= deadline || poll(&p, 1, (int)(deadline - now)) <= 0)
			return -ETIMEDOUT;
		n = send(fd, buf, len, MSG_NOSIGNAL);
		if (n < 0 && errno != EAGAIN && errno != EINTR)
			return -errno;
		if (n > 0) {
			buf += n;
			len -= (size_t)n;
		}
	}
	return 0;
}

/* The status code of the answer, or -errno. */
static int read_status(int fd, uint64_t deadline)
{
	char buf[256];
	size_t len = 0;
	int code;

	while (len < sizeof(buf) - 1 && !memchr(buf, '\n', len)) {
		struct pollfd p = { fd, POLLIN, 0 };
		uint64_t now = now_ms();
		ssize_t n;

		if (now >= deadline || poll(&p, 1, (int)(deadline - now)) <= 0)
			return -ETIMEDOUT;
		n = recv(fd, buf + len, sizeof(buf) - 1 - len, 0);
		if (n <= 0)
			return n < 0 ? -errno : -ECONNRESET;
		len += (size_t)n;
	}
	buf[len] = '\0';
	if (sscanf(buf, "HTTP/1.%*d %d", &code) != 1)
		return -EPROTO;
	return code;
}

static int post_report(const char *urltext, const char *body, size_t blen)
{
	static char head[URL_MAX + 512];
	static struct url u;
	struct in_addr a;
	uint64_t deadline = now_ms() + REPORT_HTTP_TIMEOUT_MS;
	int fd, r, n;

	if (url_parse(urltext, &u) < 0 || u.scheme != URL_HTTP || u.ipv6)
		return -EINVAL;
	if ((r = net_resolve(report_lease(), u.host, &a)) < 0)
		return r;
	fd = connect_bounded(a, u.port, REPORT_HTTP_TIMEOUT_MS);
	if (fd < 0)
		return fd;
	n = snprintf(head, sizeof(head), "POST %s HTTP/1.1\r\nHost: %s:%u\r\nUser-Agent: netinit\r\n"
		     "Content-Type: text/plain; charset=utf-8\r\nContent-Length: %zu\r\n"
		     "Connection: close\r\n\r\n", u.path, u.host, u.port, blen);
	r = send_all(fd, head, (size_t)n, deadline);
	if (r == 0)
		r = send_all(fd, body, blen, deadline);
	if (r == 0)
		r = read_status(fd, deadline);
	close(fd);
	return r;
}

void report_send(const struct cmdline *cl)
{
	static char buf[16384];
	static struct in_addr srv[8];
	size_t n = report_format(buf, sizeof(buf)), nsrv;
	int r;

	/* /run/netinit/boot-summary: read by whoever gets a shell next */
	mkdir(REPORT_RUN_DIR, 0755);
	write_file(REPORT_RUN_DIR "/boot-summary", buf, n, 0644);
	if (!CFG_NET)
		return;
	nsrv = report_log_servers(srv, ARRAY_SIZE(srv));
	if (nsrv)
		send_syslog(srv, nsrv, buf);
	if (!cl || !cl->report_url[0])
		return;
	r = post_report(cl->report_url, buf, n);
	if (r >= 200 && r < 300)
		nl_info("report", "report sent to %s (HTTP %d)", cl->report_url, r);
	else if (r > 0)
		nl_warn("report", "report to %s: the server answered HTTP %d", cl->report_url, r);
	else
		nl_warn("report", "report to %s could not be sent: %s", cl->report_url, strerror(-r));
}
