// SPDX-License-Identifier: MIT
/*
 * HTTP/1.1 GET with resume (RFC 9110 section 14 ranges, 13.1.5 If-Range),
 * redirects (section 15.4) and Retry-After (section 10.2.3).  One
 * connection per request ("Connection: close"): a boot fetches one large
 * object, keep-alive buys nothing.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <netinet/in.h>
#include <netinet/tcp.h>

#include "http.h"
#include "log.h"
#include "transport.h"
#include "util.h"

#define RECV_BUF (256 * 1024)

static int tcp_connect(const struct url *u, const struct fetch_opts *o, struct try_state *ts)
{
	struct sockaddr_storage ss;
	socklen_t sl;
	int r = fetch_resolve(o->dns, u->host, u->port, &ss, &sl);
	if (r < 0)
		return try_why(ts, r == -EAGAIN ? -EAGAIN : r, "cannot resolve %s: %s", u->host, strerror(-r));
	int fd = socket(ss.ss_family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return try_why(ts, -EAGAIN, "socket: %s", strerror(errno));
	if (connect(fd, (struct sockaddr *)&ss, sl) < 0 && errno != EINPROGRESS) {
		int e = errno;
		close(fd);
		return try_why(ts, -EAGAIN, "connect %s:%u: %s", u->host, u->port, strerror(e));
	}
	struct pollfd p = { .fd = fd, .events = POLLOUT };
	int n;
	do
		n = poll(&p, 1, (int)o->connect_timeout_ms);
	while (n < 0 && errno == EINTR);
	int err = 0;
	socklen_t el = sizeof(err);
	if (n == 0)
		err = ETIMEDOUT;
	else if (n < 0 || getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &el) < 0)
		err = errno;
	if (err) {
		close(fd);
		return try_why(ts, -EAGAIN, "connect %s:%u: %s", u->host, u->port, strerror(err));
	}
	return fd;
}

static int send_all(int fd, const char *p, size_t n, const struct fetch_opts *o)
{
	while (n) {
		ssize_t w = send(fd, p, n, MSG_NOSIGNAL);
		if (w < 0 && errno == EAGAIN) {
			struct pollfd pf = { .fd = fd, .events = POLLOUT };
			if (poll(&pf, 1, (int)o->low_speed_time_s * 1000) <= 0)
				return -ETIMEDOUT;
			continue;
		}
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return -errno;
		p += w, n -= (size_t)w;
	}
	return 0;
}

/* Low-speed watchdog: like curl's --speed-limit/--speed-time. */
struct speed {
	int64_t window_start;
	uint64_t window_bytes;
};

/* recv() with the watchdog: >0 bytes, 0 EOF, -ETIMEDOUT, -errno. */
static ssize_t recv_some(int fd, uint8_t *buf, size_t cap, const struct fetch_opts *o,
			 struct speed *sp)
{
	for (;;) {
		ssize_t n = recv(fd, buf, cap, 0);
		if (n > 0) {
			sp->window_bytes += (uint64_t)n;
			return n;
		}
		if (n == 0)
			return 0;
		if (errno != EAGAIN && errno != EINTR)
			return -errno;
		int64_t t = (int64_t)now_ms();
		int64_t span = (int64_t)o->low_speed_time_s * 1000;
		if (t - sp->window_start >= span) {
			if (sp->window_bytes < (uint64_t)o->low_speed_limit * o->low_speed_time_s)
				return -ETIMEDOUT;
			sp->window_start = t, sp->window_bytes = 0;
		}
		struct pollfd pf = { .fd = fd, .events = POLLIN };
		int64_t wait = sp->window_start + span - t;
		poll(&pf, 1, (int)(wait > 1000 ? 1000 : wait < 1 ? 1 : wait));
	}
}

static void speed_check_after(struct speed *sp, const struct fetch_opts *o, int *slow)
{
	int64_t t = (int64_t)now_ms();
	int64_t span = (int64_t)o->low_speed_time_s * 1000;
	if (t - sp->window_start >= span) {
		if (sp->window_bytes < (uint64_t)o->low_speed_limit * o->low_speed_time_s)
			*slow = 1;
		sp->window_start = t, sp->window_bytes = 0;
	}
}

/* Read the response head; leftover body bytes stay in buf[*head..*have). */
static int read_head(int fd, uint8_t *buf, size_t cap, size_t *have, size_t *head,
		     const struct fetch_opts *o, struct speed *sp, struct try_state *ts)
{
	*have = 0;
	for (;;) {
		size_t room = cap - *have;
		if (room > HTTP_HEAD_MAX)
			room = HTTP_HEAD_MAX;
		if (*have >= HTTP_HEAD_MAX)
			return try_why(ts, -EPROTO, "response head over %d bytes", HTTP_HEAD_MAX);
		ssize_t n = recv_some(fd, buf + *have, room, o, sp);
		if (n == -ETIMEDOUT)
			return try_why(ts, -EAGAIN, "no response within %u s", o->low_speed_time_s);
		if (n < 0)
			return try_why(ts, -EAGAIN, "receive: %s", strerror((int)-n));
		if (n == 0)
			return try_why(ts, -EAGAIN, "connection closed before the response head");
		size_t prev = *have;
		*have += (size_t)n;
		size_t from = prev > 3 ? prev - 3 : 0;
		size_t end = http_head_end((const char *)buf + from, *have - from);
		if (end) {
			*head = from + end;
			return 0;
		}
	}
}

static bool is_redirect(int st)
{
	return st == 301 || st == 302 || st == 303 || st == 307 || st == 308;
}

/* Decide what to do with the status; 1 = go on reading the body. */
static int check_status(const struct http_response *rsp, struct sink *k, uint64_t offset,
			const struct fetch_opts *o, struct try_state *ts)
{
	int st = rsp->status;
	if (st == 503 || st == 429) {
		ts->retry_after = rsp->retry_after;
		if (ts->retry_after > (int64_t)o->retry_after_max_s)
			ts->retry_after = o->retry_after_max_s;
		return try_why(ts, -EAGAIN, "HTTP %d%s", st,
			   rsp->retry_after >= 0 ? " with Retry-After" : "");
	}
	if (st == 408 || st >= 500)
		return try_why(ts, -EAGAIN, "HTTP %d", st);
	if (st == 416 && offset) {
		int r = k->restart(k);
		return r < 0 ? r : try_why(ts, -EAGAIN, "HTTP 416 for a resume at byte %" PRIu64
				       ": restarting from byte 0", offset);
	}
	if (st == 404 || st == 410)
		return try_why(ts, -ENOENT, "HTTP %d: not on this server", st);
	if (st >= 400)
		return try_why(ts, -EACCES, "HTTP %d", st);
	if (st == 200) {
		if (offset) {
			nl_warn("fetch", "%s%s: server answered the resume at byte %" PRIu64
				" with the whole object: restarting from byte 0", ts->host, ts->path, offset);
			int r = k->restart(k);
			if (r < 0)
				return r;
		}
		if (rsp->content_length >= 0) {
			int r = k->expect(k, (uint64_t)rsp->content_length);
			if (r < 0) {
				ts->sink_failed = true;
				return try_why(ts, r, "refused before the first byte");
			}
		}
		return 1;
	}
	if (st == 206) {
		uint64_t total = k->total;
		bool ok = offset && rsp->has_range && rsp->range_start == offset &&
			  (rsp->range_total < 0 || total == SINK_SIZE_UNKNOWN ||
			   (uint64_t)rsp->range_total == total) &&
			  (rsp->content_length < 0 ||
			   (uint64_t)rsp->content_length == rsp->range_end - rsp->range_start + 1);
		if (!ok) {
			int r = k->restart(k);
			if (r < 0)
				return r;
			ts->validator[0] = '\0';
			return try_why(ts, -EAGAIN, "wrong Content-Range in a 206 answer to a resume at byte %"
				   PRIu64 ": restarting from byte 0", offset);
		}
		if (rsp->range_total >= 0 && total == SINK_SIZE_UNKNOWN) {
			int r = k->expect(k, (uint64_t)rsp->range_total);
			if (r < 0) {
				ts->sink_failed = true;
				return try_why(ts, r, "refused before the first byte");
			}
		}
		return 1;
	}
	return try_why(ts, -EPROTO, "unexpected HTTP status %d", st);
}

static int deliver_body(struct sink *k, uint8_t *p, size_t n, struct http_chunked *ch,
			bool chunked, struct try_state *ts)
{
	if (chunked) {
		size_t used;
		ssize_t d = http_chunked_decode(ch, p, n, &used);
		if (d < 0)
			return try_why(ts, -EAGAIN, "bad chunked encoding");
		n = (size_t)d;
	}
	if (!n)
		return 0;
	int r = k->write(k, p, n);
	if (r < 0) {
		ts->sink_failed = true;
		return try_why(ts, r, "cannot store the data");
	}
	return 0;
}

static int read_body(int fd, uint8_t *buf, size_t have, size_t head,
		     const struct http_response *rsp, struct sink *k,
		     const struct fetch_opts *o, struct speed *sp, struct try_state *ts)
{
	struct http_chunked ch;
	http_chunked_init(&ch);
	bool chunked = rsp->chunked;
	int64_t left = rsp->content_length; /* -1: until close or chunked end */
	size_t n = have - head;
	uint64_t start = k->offset;
	int r, slow = 0;

	memmove(buf, buf + head, n);
	for (;;) {
		if (left >= 0 && (int64_t)n > left)
			n = (size_t)left; /* extra bytes after the body are dropped */
		if (n) {
			if ((r = deliver_body(k, buf, n, &ch, chunked, ts)) < 0)
				return r;
			if (left >= 0)
				left -= (int64_t)n;
		}
		if ((chunked && ch.done) || left == 0)
			return 0;
		speed_check_after(sp, o, &slow);
		if (slow)
			return try_why(ts, -EAGAIN, "slower than %u bytes/s for %u s (at byte %" PRIu64 ")",
				   o->low_speed_limit, o->low_speed_time_s, k->offset);
		ssize_t got = recv_some(fd, buf, RECV_BUF, o, sp);
		if (got == -ETIMEDOUT)
			return try_why(ts, -EAGAIN, "slower than %u bytes/s for %u s (at byte %" PRIu64 ")",
				   o->low_speed_limit, o->low_speed_time_s, k->offset);
		if (got < 0)
			return try_why(ts, -EAGAIN, "receive at byte %" PRIu64 ": %s", k->offset,
				   strerror((int)-got));
		if (got == 0) {
			if (!chunked && left < 0)
				return 0; /* body delimited by close (RFC 9112 6.3 item 8) */
			return try_why(ts, -EAGAIN, "connection closed at byte %" PRIu64 " (%" PRIu64
				   " bytes this time)", k->offset, k->offset - start);
		}
		n = (size_t)got;
	}
}

int http_get(const struct url *url, struct sink *k, const struct fetch_opts *o,
	     struct try_state *ts)
{
	struct url cur = *url;
	uint8_t *buf = malloc(RECV_BUF);
	char req[URL_MAX + 512];
	int r = 0;

	if (!buf)
		return -ENOMEM;
	ts->retry_after = -1;
	ts->host = url->host, ts->path = url->path;
	for (unsigned hops = 0;; hops++) {
		struct speed sp = { (int64_t)now_ms(), 0 };
		struct http_response rsp;
		size_t have = 0, head = 0;
		uint64_t offset = k->offset;
		int fd = tcp_connect(&cur, o, ts);
		if (fd < 0) {
			r = fd;
			break;
		}
		int n = http_build_request(&cur, offset, ts->validator, req, sizeof(req));
		if (n < 0 || (r = send_all(fd, req, (size_t)n, o)) < 0) {
			close(fd);
			r = try_why(ts, -EAGAIN, "send request: %s", strerror(n < 0 ? -n : -r));
			break;
		}
		r = read_head(fd, buf, RECV_BUF, &have, &head, o, &sp, ts);
		if (r == 0 && http_parse_head((const char *)buf, head, &rsp) < 0)
			r = try_why(ts, -EAGAIN, "malformed response head");
		if (r < 0) {
			close(fd);
			break;
		}
		if (is_redirect(rsp.status)) {
			struct url next;
			close(fd);
			if (!rsp.location[0]) {
				r = try_why(ts, -EPROTO, "HTTP %d without Location", rsp.status);
				break;
			}
			if (hops + 1 > o->max_redirects) {
				r = try_why(ts, -ELOOP, "more than %u redirects (loop?)", o->max_redirects);
				break;
			}
			r = url_resolve(&cur, rsp.location, &next);
			if (r < 0 || next.scheme != URL_HTTP) {
				/* Only http -> http: no scheme change, never a downgrade. */
				r = try_why(ts, -EPROTO, "redirect to '%.100s' refused", rsp.location);
				break;
			}
			nl_debug("fetch", "HTTP %d -> %s%s", rsp.status, next.host, next.path);
			cur = next;
			continue;
		}
		r = check_status(&rsp, k, offset, o, ts);
		if (r < 0) {
			close(fd);
			break;
		}
		/* Keep a validator so that a resume gets the same object (If-Range). */
		if (rsp.etag[0])
			snprintf(ts->validator, sizeof(ts->validator), "%s", rsp.etag);
		else if (rsp.last_modified[0])
			snprintf(ts->validator, sizeof(ts->validator), "%s", rsp.last_modified);
		r = read_body(fd, buf, have, head, &rsp, k, o, &sp, ts);
		close(fd);
		if (r == 0 && k->total != SINK_SIZE_UNKNOWN && k->offset != k->total)
			r = try_why(ts, -EAGAIN, "body ended at byte %" PRIu64 " of %" PRIu64,
				k->offset, k->total);
		break;
	}
	free(buf);
	return r;
}
