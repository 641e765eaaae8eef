/* SPDX-License-Identifier: MIT */
/*
 * Root image URLs: http://host[:port]/path and tftp://host[:port]/path
 * (RFC 3986 subset, RFC 3617 for tftp), dracut's "live:" prefix, the %h/%m
 * substitutions of netinit and the per-host mirror order.
 */
#ifndef NETINIT_URL_H
#define NETINIT_URL_H

#include <stddef.h>
#include <stdint.h>

#define URL_MAX 1024
#define URL_HOST_MAX 256

enum url_scheme { URL_HTTP = 1, URL_TFTP = 2 };

struct url {
	enum url_scheme scheme;
	char host[URL_HOST_MAX];  /* without [] for IPv6 literals */
	uint16_t port;            /* always set: 80 / 69 when not given */
	char path[URL_MAX];       /* starts with '/', query kept, fragment dropped */
	int ipv6;                 /* host was a [bracketed] literal */
};

/* Parse an absolute URL; a leading "live:" is skipped.  Userinfo, empty
 * hosts, bad ports, spaces and control bytes are refused (-EINVAL);
 * unsupported schemes (https, ftp, nfs) give -EPROTONOSUPPORT. */
int url_parse(const char *s, struct url *u);

/* The inverse, NUL terminated; length or -ENOSPC. */
int url_format(const struct url *u, char *out, size_t outlen);

/* Resolve a Location header value against base (RFC 3986 section 5.2,
 * for the forms servers send: absolute, "//host/p", "/p", "p"). */
int url_resolve(const struct url *base, const char *ref, struct url *out);

/* Append a suffix to the path part (".manifest"). */
int url_with_suffix(const struct url *u, const char *suffix, struct url *out);

/* Substitute %h (host name) and %m (MAC, "aa-bb-cc-dd-ee-ff") in the text
 * of a URL; "%%" is a literal '%', "%XX" (hex) percent-encoding is kept.
 * A %h without a valid host name or %m without a MAC is -ENXIO; any other
 * '%' sequence is -EINVAL.  mac may be NULL. */
int url_expand(const char *in, const char *hostname, const uint8_t *mac,
	       char *out, size_t outlen);

/* Percent-decode a path (tftp file names): -EINVAL on a bad escape or a
 * decoded NUL. */
int url_decode_path(const char *in, char *out, size_t outlen);

/* A per-host order of n mirrors (n <= 64): a permutation of 0..n-1 that is
 * the same for the same seed, so one host always starts with the same
 * mirror and a rack spreads over all of them.  Seed 0 keeps the order. */
void url_mirror_order(size_t n, uint64_t seed, size_t *order);

/* FNV-1a, the seed from a MAC or a host name. */
uint64_t url_seed(const void *data, size_t len);

#endif
