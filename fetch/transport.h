/* SPDX-License-Identifier: MIT */
/*
 * One try of a transfer (HTTP or TFTP) into a sink, and the knobs shared
 * by both.  The retry loop, mirrors and backoff live in fetch.c.
 */
#ifndef NETINIT_TRANSPORT_H
#define NETINIT_TRANSPORT_H

#include <stdint.h>
#include <sys/socket.h>

struct net_lease; /* net/net.h */

#include "sink.h"
#include "url.h"
#include "util.h"

struct fetch_opts {
	unsigned connect_timeout_ms;   /* TCP connect */
	unsigned low_speed_time_s;     /* abort when slower than ... */
	unsigned low_speed_limit;      /* ... this many bytes/s for that long */
	unsigned max_redirects;
	unsigned tries;                /* per mirror and round */
	unsigned rounds;               /* passes over the mirror list */
	unsigned backoff_ms, backoff_max_ms;
	unsigned retry_after_max_s;    /* cap on a server's Retry-After */
	unsigned tftp_blksize, tftp_windowsize, tftp_timeout_ms, tftp_retries;
	const struct net_lease *dns;   /* resolver for host names (NULL: /etc/resolv.conf) */
};
void fetch_opts_default(struct fetch_opts *o);

/* State kept between tries of one object on one mirror. */
struct try_state {
	char validator[128];           /* ETag or Last-Modified for If-Range */
	int64_t retry_after;           /* seconds from the last 503/429, -1 */
	char why[256];                 /* reason of the last failure */
	bool sink_failed;
	const char *host, *path;       /* for log lines */              /* the sink refused: its own error says why */
};

/* Record why a try failed (in ts->why) and return r: `return try_why(ts, -EAGAIN, ...)`. */
#define try_why(ts, r, ...) errbuf_set((ts)->why, sizeof((ts)->why), (r), __VA_ARGS__)

/* Results of a try: 0 done; -EAGAIN transient (retry, maybe resuming);
 * anything else: this mirror will not serve it (next mirror). */
int http_get(const struct url *u, struct sink *k, const struct fetch_opts *o,
	     struct try_state *ts);
int tftp_get(const struct url *u, struct sink *k, const struct fetch_opts *o,
	     struct try_state *ts);

/* Host name or literal -> address, names through net_resolve() with the
 * DNS servers of dns (the boot's lease; NULL: /etc/resolv.conf). */
int fetch_resolve(const struct net_lease *dns, const char *host, uint16_t port,
		  struct sockaddr_storage *ss, socklen_t *sslen);

#endif
