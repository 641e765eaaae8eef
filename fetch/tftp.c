// SPDX-License-Identifier: MIT
/*
 * TFTP read client: RFC 1350 with option negotiation (RFC 2347), blksize
 * (RFC 2348), tsize (RFC 2349), windowsize (RFC 7440).
 *
 * - The server's first answer fixes its transfer ID (port); a packet from
 *   any other address/port gets ERROR 5 and is otherwise ignored
 *   (RFC 1350 section 4).
 * - Block numbers are 16 bits and wrap after 65535 to 0 (what tftp-hpa
 *   and most servers do; a server that wraps to 1 is accepted too); the
 *   position is kept in 64 bits.
 * - Windowed transfers: an ACK after each full window, on the last block,
 *   and for the last in-order block whenever a block is missing or the
 *   timer expires (RFC 7440 section 4), so the server resends from there.
 * - A server that ignores our options sends DATA 1 directly: 512-byte
 *   blocks, window 1.  ERROR 8 (option refused) is retried once without
 *   options.  An OACK with values we did not ask for aborts with a reason.
 * TFTP cannot resume: a retry starts from byte 0.
 */
#include <errno.h>
#include <inttypes.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "log.h"
#include "tftp.h"
#include "transport.h"
#include "util.h"

static bool same_host(const struct sockaddr_storage *a, const struct sockaddr_storage *b)
{
	if (a->ss_family != b->ss_family)
		return false;
	if (a->ss_family == AF_INET)
		return ((const struct sockaddr_in *)a)->sin_addr.s_addr ==
		       ((const struct sockaddr_in *)b)->sin_addr.s_addr;
	return memcmp(&((const struct sockaddr_in6 *)a)->sin6_addr,
		      &((const struct sockaddr_in6 *)b)->sin6_addr, 16) == 0;
}

static uint16_t port_of(const struct sockaddr_storage *a)
{
	return ntohs(a->ss_family == AF_INET ? ((const struct sockaddr_in *)a)->sin_port
					     : ((const struct sockaddr_in6 *)a)->sin6_port);
}

struct tftp_xfer {
	int fd;
	struct sockaddr_storage server, peer;  /* peer: server address + its TID */
	socklen_t slen;
	bool have_tid;
	unsigned blksize, window;
	uint64_t blocks;          /* in-order blocks received */
	uint16_t last;            /* wire number of the last in-order block */
	unsigned in_window;
	uint8_t pkt[TFTP_PKT_MAX];
	uint8_t out[1100];
	size_t outlen;            /* last packet sent (RRQ or ACK), for resending */
};

static void send_last(struct tftp_xfer *x)
{
	const struct sockaddr_storage *to = x->have_tid ? &x->peer : &x->server;
	sendto(x->fd, x->out, x->outlen, 0, (const struct sockaddr *)to, x->slen);
}

static void send_ack(struct tftp_xfer *x, uint16_t block)
{
	x->outlen = (size_t)tftp_build_ack(x->out, sizeof(x->out), block);
	send_last(x);
}

static void send_error_to(struct tftp_xfer *x, const struct sockaddr_storage *to, socklen_t tl,
			  uint16_t code, const char *msg)
{
	uint8_t b[128];
	int n = tftp_build_error(b, sizeof(b), code, msg);
	if (n > 0)
		sendto(x->fd, b, (size_t)n, 0, (const struct sockaddr *)to, tl);
}

/* Wait for one packet from the server's TID; 0 timeout, >0 length, <0 error. */
static ssize_t recv_pkt(struct tftp_xfer *x, unsigned timeout_ms)
{
	uint64_t t0 = now_ms();
	for (;;) {
		long el = (long)(now_ms() - t0);
		if (el >= (long)timeout_ms)
			return 0;
		struct pollfd pf = { .fd = x->fd, .events = POLLIN };
		int pr = poll(&pf, 1, (int)(timeout_ms - (unsigned)el));
		if (pr < 0 && errno == EINTR)
			continue;
		if (pr <= 0)
			return pr;
		struct sockaddr_storage from;
		socklen_t fl = sizeof(from);
		ssize_t n = recvfrom(x->fd, x->pkt, sizeof(x->pkt), 0, (struct sockaddr *)&from, &fl);
		if (n < 0) {
			if (errno == EINTR || errno == EAGAIN || errno == ECONNREFUSED)
				continue;
			return -errno;
		}
		if (!same_host(&from, &x->server))
			continue; /* not even the server's address: ignore silently */
		if (!x->have_tid) {
			x->peer = from;
			x->have_tid = true;
		} else if (port_of(&from) != port_of(&x->peer)) {
			/* RFC 1350 section 4: wrong TID -> ERROR 5, transfer goes on */
			send_error_to(x, &from, fl, TFTP_EBADID, "Unknown transfer ID");
			nl_debug("fetch", "tftp: packet from foreign port %u ignored", port_of(&from));
			continue;
		}
		return n;
	}
}

static int open_socket(struct tftp_xfer *x, const struct url *u, const struct fetch_opts *o,
		       struct try_state *ts)
{
	int r = fetch_resolve(o->dns, u->host, u->port, &x->server, &x->slen);
	if (r < 0)
		return try_why(ts, r, "cannot resolve %s", u->host);
	x->fd = socket(x->server.ss_family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (x->fd < 0)
		return try_why(ts, -EAGAIN, "socket: %s", strerror(errno));
	int sz = 4 << 20;
	setsockopt(x->fd, SOL_SOCKET, SO_RCVBUF, &sz, sizeof(sz));
	return 0;
}

static int handle_error_pkt(const struct tftp_packet *p, struct try_state *ts)
{
	if (p->errcode == TFTP_ENOTFOUND)
		return try_why(ts, -ENOENT, "TFTP error 1: %s", p->errmsg);
	if (p->errcode == TFTP_EACCESS)
		return try_why(ts, -EACCES, "TFTP error 2: %s", p->errmsg);
	return try_why(ts, -EAGAIN, "TFTP error %u: %s", p->errcode, p->errmsg);
}

/* Is `block` the next one after the last in-order block? */
static bool is_next(const struct tftp_xfer *x, uint16_t block)
{
	if (block == (uint16_t)(x->last + 1))
		return true;
	/* a server that wraps from 65535 to 1 instead of 0 */
	return x->last == 65535 && block == 1;
}

static int data_packet(struct tftp_xfer *x, const struct tftp_packet *p, struct sink *k,
		       struct try_state *ts, bool *done)
{
	if (!is_next(x, p->block)) {
		/* duplicate or a gap: ack the last in-order block (RFC 7440 4) */
		send_ack(x, x->last);
		x->in_window = 0;
		return 0;
	}
	if (p->datalen > x->blksize)
		return try_why(ts, -EPROTO, "DATA block of %zu bytes, blksize is %u", p->datalen,
			      x->blksize);
	int r = p->datalen ? k->write(k, p->data, p->datalen) : 0;
	if (r < 0) {
		ts->sink_failed = true;
		return try_why(ts, r, "cannot store the data");
	}
	x->blocks++;
	x->last = p->block;
	if (p->datalen < x->blksize) {
		*done = true;
		send_ack(x, p->block);
		return 0;
	}
	if (++x->in_window >= x->window) {
		send_ack(x, p->block);
		x->in_window = 0;
	}
	return 0;
}

/* One transfer's state across packets. */
struct tftp_run {
	struct tftp_xfer *x;
	struct tftp_options req;  /* what the RRQ asked for */
	struct sink *k;
	struct try_state *ts;
	bool with_opts, started, done;
	bool garbage;             /* the last packet did not parse */
};

/* The server's OACK (RFC 2347): accept what we asked for, set up the transfer. */
static int oack_packet(struct tftp_run *t, const struct tftp_packet *p)
{
	struct tftp_xfer *x = t->x;
	char why[128];
	int r;

	if (t->started)
		return 0; /* a duplicate OACK: our ACK 0 crossed it */
	if (tftp_check_oack(&t->req, &p->opts, why, sizeof(why)) < 0) {
		send_error_to(x, &x->peer, x->slen, TFTP_EOPTNEG, "bad OACK");
		return try_why(t->ts, -EPROTO, "%s: aborted", why);
	}
	x->blksize = p->opts.blksize ? p->opts.blksize : 512;
	x->window = p->opts.windowsize ? p->opts.windowsize : 1;
	if (p->opts.has_tsize && (r = t->k->expect(t->k, p->opts.tsize)) < 0) {
		send_error_to(x, &x->peer, x->slen, 3, "Disk full");
		t->ts->sink_failed = true;
		return try_why(t->ts, r, "refused before the first byte");
	}
	nl_debug("fetch", "tftp: blksize %u windowsize %u tsize %" PRIu64, x->blksize, x->window,
		 p->opts.tsize);
	t->started = true;
	send_ack(x, 0);
	return 0;
}

/* One received packet: 0 go on, 1 retry without options, <0 fail. */
static int on_tftp_packet(struct tftp_run *t, size_t len)
{
	struct tftp_xfer *x = t->x;
	struct tftp_packet p;

	t->garbage = tftp_parse(x->pkt, len, &p) < 0;
	if (t->garbage) {
		if (x->pkt[1] == TFTP_OACK && !t->started) {
			send_error_to(x, &x->peer, x->slen, TFTP_EOPTNEG, "bad OACK");
			return try_why(t->ts, -EPROTO, "malformed OACK (unknown option or value)");
		}
		return 0; /* garbage: wait for the real packet */
	}
	if (p.op == TFTP_ERROR) {
		if (p.errcode == TFTP_EOPTNEG && !t->started && t->with_opts)
			return 1; /* retry without options */
		return handle_error_pkt(&p, t->ts);
	}
	if (p.op == TFTP_OACK)
		return oack_packet(t, &p);
	if (p.op != TFTP_DATA)
		return 0;
	t->started = true;
	return data_packet(x, &p, t->k, t->ts, &t->done);
}

/* Send the RRQ (RFC 1350, with RFC 2348/2349/7440 options when asked). */
static int send_rrq(struct tftp_run *t, const char *file, const struct fetch_opts *o)
{
	struct tftp_xfer *x = t->x;
	int n;

	if (t->with_opts) {
		t->req.blksize = o->tftp_blksize;
		t->req.windowsize = o->tftp_windowsize > 1 ? o->tftp_windowsize : 0;
		t->req.has_tsize = true;
	}
	n = tftp_build_rrq(x->out, sizeof(x->out), file, &t->req);
	if (n < 0)
		return try_why(t->ts, -EINVAL, "file name too long for a TFTP request");
	x->outlen = (size_t)n;
	x->blksize = 512, x->window = 1;
	send_last(x);
	return 0;
}

/* Receive until the last block, retransmitting on timeouts. */
static int tftp_receive(struct tftp_run *t, const struct fetch_opts *o)
{
	struct tftp_xfer *x = t->x;
	unsigned timeouts = 0;
	int r;

	while (!t->done) {
		ssize_t got = recv_pkt(x, o->tftp_timeout_ms);

		if (got < 0)
			return try_why(t->ts, -EAGAIN, "receive: %s", strerror((int)-got));
		if (got == 0) {
			if (++timeouts > o->tftp_retries)
				return try_why(t->ts, -EAGAIN, "timeout after %u retransmissions at block %"
					       PRIu64, o->tftp_retries, x->blocks);
			x->in_window = 0;
			send_last(x); /* the RRQ, or the ACK of the last in-order block */
			continue;
		}
		r = on_tftp_packet(t, (size_t)got);
		if (r != 0)
			return r;
		if (!t->garbage)
			timeouts = 0; /* only a real packet proves the server is there */
	}
	return 0;
}

static int tftp_once(const struct url *u, const char *file, struct sink *k,
		     const struct fetch_opts *o, struct try_state *ts, bool with_opts)
{
	struct tftp_run t = { .k = k, .ts = ts, .with_opts = with_opts };
	int r;

	t.x = calloc(1, sizeof(*t.x));
	if (!t.x)
		return -ENOMEM;
	t.x->fd = -1;
	r = open_socket(t.x, u, o, ts);
	if (r == 0)
		r = send_rrq(&t, file, o);
	if (r == 0)
		r = tftp_receive(&t, o);
	if (r == 0 && k->total != SINK_SIZE_UNKNOWN && k->offset != k->total)
		r = try_why(ts, -EAGAIN, "got %" PRIu64 " bytes, tsize said %" PRIu64, k->offset,
			    k->total);
	if (t.x->fd >= 0)
		close(t.x->fd);
	free(t.x);
	return r;
}

int tftp_get(const struct url *u, struct sink *k, const struct fetch_opts *o,
	     struct try_state *ts)
{
	char file[URL_MAX];
	ts->retry_after = -1;
	/* RFC 3617: the file name is the path without its leading '/'. */
	if (url_decode_path(u->path[0] == '/' ? u->path + 1 : u->path, file, sizeof(file)) < 0 ||
	    !file[0])
		return try_why(ts, -EINVAL, "bad file name in the URL");
	if (k->offset) {
		int r = k->restart(k); /* TFTP cannot resume */
		if (r < 0)
			return r;
	}
	int r = tftp_once(u, file, k, o, ts, true);
	if (r == 1) {
		nl_warn("fetch", "tftp server refused our options (error 8); retrying without them");
		r = tftp_once(u, file, k, o, ts, false);
	}
	if (r > 0)
		r = try_why(ts, -EPROTO, "server refused a request without options");
	return r;
}
