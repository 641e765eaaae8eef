/* SPDX-License-Identifier: MIT */
/* A minimal DNS stub resolver: A records over UDP (RFC 1035). */
#ifndef NETINIT_DNS_H
#define NETINIT_DNS_H

#include <stddef.h>
#include <stdint.h>
#include <netinet/in.h>

#include "net.h"

#define DNS_TIMEOUT_MS 1000  /* first round; doubled for the second */
#define DNS_ROUNDS 2

/*
 * One RFC 1035 §4.1.4 name at *pos of p[0..len): labels and compression
 * pointers, which must point strictly backwards (so every walk ends).
 * Writes the dotted name (at most size-1 bytes), moves *pos past the name
 * where it appears.  0 or -EBADMSG.  Shared with DHCP option 119.
 */
int dns_name_read(const uint8_t *p, size_t len, size_t *pos, char *out, size_t size);

/* A query for the A record of name (no trailing dot).  Length or -errno. */
int dns_build_query(const char *name, uint16_t id, uint8_t *buf, size_t size);

/*
 * Check an answer to our query (id, the question echoed back) and find the
 * A record of qname, following CNAMEs inside the answer.
 * 0: *out set; -ENOENT: the name has no A record (NXDOMAIN or no data);
 * -EAGAIN: try another server (SERVFAIL, REFUSED, truncated);
 * -EBADMSG: malformed or not the answer to our question.
 */
int dns_parse_response(const uint8_t *p, size_t len, uint16_t id, const char *qname,
		       struct in_addr *out);

/* resolv.conf text -> servers and search list (counts in *nservers, *nsearch). */
void dns_parse_resolv_conf(const char *text, struct in_addr *servers, size_t *nservers, size_t max,
			   char search[][NET_NAME_MAX], size_t *nsearch, size_t smax);

/* Resolve with explicit servers and search list.  0 or -errno. */
int dns_resolve(const char *name, const struct in_addr *servers, size_t nservers,
		char search[][NET_NAME_MAX], size_t nsearch, struct in_addr *out);

#endif
