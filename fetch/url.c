// SPDX-License-Identifier: MIT
/* URL parsing for root images; see url.h. */
#include <ctype.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <arpa/inet.h>

#include "url.h"
#include "codec.h"

static bool host_char_ok(char c)
{
	return isalnum((unsigned char)c) || c == '-' || c == '.' || c == '_';
}

static int parse_port(const char *s, size_t len, uint16_t *port)
{
	unsigned v = 0;
	if (len == 0 || len > 5)
		return -EINVAL;
	for (size_t i = 0; i < len; i++) {
		if (!isdigit((unsigned char)s[i]))
			return -EINVAL;
		v = v * 10 + (unsigned)(s[i] - '0');
	}
	if (v == 0 || v > 65535)
		return -EINVAL;
	*port = (uint16_t)v;
	return 0;
}

/* Path bytes: printable ASCII without space, '"', '<', '>', '\\', '^', '`',
 * '{', '|', '}' (RFC 3986 section 2: those must be percent-encoded). */
static bool path_char_ok(char c)
{
	unsigned char u = (unsigned char)c;
	return u > ' ' && u < 0x7f && !strchr("\"<>\\^`{|}", c);
}

static int parse_authority(const char *a, size_t len, struct url *u)
{
	const char *port = NULL;
	size_t hlen;

	if (memchr(a, '@', len))
		return -EINVAL; /* credentials in a boot line end up in logs */
	if (len && a[0] == '[') {
		const char *end = memchr(a, ']', len);
		struct in6_addr tmp;
		if (!end)
			return -EINVAL;
		hlen = (size_t)(end - a - 1);
		if (hlen == 0 || hlen >= sizeof(u->host))
			return -EINVAL;
		memcpy(u->host, a + 1, hlen);
		u->host[hlen] = '\0';
		if (inet_pton(AF_INET6, u->host, &tmp) != 1)
			return -EINVAL;
		u->ipv6 = 1;
		if (end + 1 < a + len) {
			if (end[1] != ':')
				return -EINVAL;
			port = end + 2;
		}
	} else {
		const char *colon = memchr(a, ':', len);
		hlen = colon ? (size_t)(colon - a) : len;
		if (hlen == 0 || hlen >= sizeof(u->host))
			return -EINVAL;
		for (size_t i = 0; i < hlen; i++)
			if (!host_char_ok(a[i]))
				return -EINVAL;
		memcpy(u->host, a, hlen);
		u->host[hlen] = '\0';
		if (colon)
			port = colon + 1;
	}
	if (port)
		return parse_port(port, (size_t)(a + len - port), &u->port);
	return 0;
}

int url_parse(const char *s, struct url *u)
{
	size_t slen;
	memset(u, 0, sizeof(*u));
	if (strncmp(s, "live:", 5) == 0)
		s += 5;
	if (strncasecmp(s, "http://", 7) == 0) {
		u->scheme = URL_HTTP, u->port = 80, s += 7;
	} else if (strncasecmp(s, "tftp://", 7) == 0) {
		u->scheme = URL_TFTP, u->port = 69, s += 7;
	} else {
		const char *colon = strchr(s, ':');
		return colon && colon != s && strncmp(colon, "://", 3) == 0 ? -EPROTONOSUPPORT : -EINVAL;
	}
	slen = strlen(s);
	const char *slash = memchr(s, '/', slen);
	size_t alen = slash ? (size_t)(slash - s) : slen;
	const char *q = memchr(s, '?', alen), *h = memchr(s, '#', alen);
	if (q || h)
		return -EINVAL; /* "http://host?x" is legal but no root lives there */
	int r = parse_authority(s, alen, u);
	if (r < 0)
		return r;
	const char *p = s + alen;
	size_t plen = strcspn(p, "#");
	if (plen == 0) {
		strcpy(u->path, "/");
		return 0;
	}
	if (plen >= sizeof(u->path))
		return -EINVAL;
	for (size_t i = 0; i < plen; i++)
		if (!path_char_ok(p[i]))
			return -EINVAL;
	for (const char *f = p + plen; *f; f++)
		if ((unsigned char)*f <= ' ' || (unsigned char)*f >= 0x7f)
			return -EINVAL;
	memcpy(u->path, p, plen);
	u->path[plen] = '\0';
	return 0;
}

int url_format(const struct url *u, char *out, size_t outlen)
{
	const char *scheme = u->scheme == URL_TFTP ? "tftp" : "http";
	unsigned defport = u->scheme == URL_TFTP ? 69 : 80;
	char port[8] = "";
	if (u->port != defport)
		snprintf(port, sizeof(port), ":%u", u->port);
	int n = snprintf(out, outlen, "%s://%s%s%s%s%s", scheme, u->ipv6 ? "[" : "", u->host,
			 u->ipv6 ? "]" : "", port, u->path);
	if (n < 0 || (size_t)n >= outlen)
		return -ENOSPC;
	return n;
}

int url_resolve(const struct url *base, const char *ref, struct url *out)
{
	char buf[URL_MAX + URL_HOST_MAX + 16];
	int r;

	if (strstr(ref, "://"))
		return url_parse(ref, out);
	if (ref[0] == '/' && ref[1] == '/') {
		snprintf(buf, sizeof(buf), "%s:%s", base->scheme == URL_TFTP ? "tftp" : "http", ref);
		return url_parse(buf, out);
	}
	*out = *base;
	if (ref[0] == '/') {
		r = snprintf(out->path, sizeof(out->path), "%s", ref);
	} else {
		/* Relative: replace the last segment of base's path (no query). */
		char dir[URL_MAX];
		size_t qs = strcspn(base->path, "?");
		snprintf(dir, sizeof(dir), "%.*s", (int)qs, base->path);
		char *last = strrchr(dir, '/');
		if (last)
			last[1] = '\0';
		r = snprintf(out->path, sizeof(out->path), "%s%s", dir, ref);
	}
	if (r < 0 || (size_t)r >= sizeof(out->path))
		return -EINVAL;
	/* Re-validate the result through the parser (path bytes, fragment). */
	if (url_format(out, buf, sizeof(buf)) < 0)
		return -EINVAL;
	return url_parse(buf, out);
}

int url_with_suffix(const struct url *u, const char *suffix, struct url *out)
{
	*out = *u;
	size_t qs = strcspn(u->path, "?");
	int r = snprintf(out->path, sizeof(out->path), "%.*s%s%s", (int)qs, u->path, suffix,
			 u->path + qs);
	return r < 0 || (size_t)r >= sizeof(out->path) ? -ENOSPC : 0;
}

static bool expand_name_ok(const char *h)
{
	size_t n = h ? strlen(h) : 0;
	if (n == 0 || n > 253)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!isalnum((unsigned char)h[i]) && h[i] != '-' && h[i] != '.')
			return false;
	return h[0] != '.' && h[0] != '-' && !strstr(h, "..");
}

int url_expand(const char *in, const char *hostname, const uint8_t *mac,
	       char *out, size_t outlen)
{
	size_t o = 0;
	for (const char *p = in; *p; p++) {
		char tmp[32];
		const char *add = tmp;
		size_t alen;
		if (*p != '%') {
			tmp[0] = *p, alen = 1;
		} else if (p[1] == 'h') {
			if (!expand_name_ok(hostname))
				return -ENXIO;
			add = hostname, alen = strlen(hostname), p++;
		} else if (p[1] == 'm') {
			if (!mac)
				return -ENXIO;
			alen = (size_t)snprintf(tmp, sizeof(tmp), "%02x-%02x-%02x-%02x-%02x-%02x",
						mac[0], mac[1], mac[2], mac[3], mac[4], mac[5]);
			p++;
		} else if (p[1] == '%') {
			/* a literal '%' stays percent-encoded in the URL */
			memcpy(tmp, "%25", 3), alen = 3, p++;
		} else if (isxdigit((unsigned char)p[1]) && isxdigit((unsigned char)p[2])) {
			memcpy(tmp, p, 3), alen = 3, p += 2;
		} else {
			return -EINVAL;
		}
		if (o + alen >= outlen)
			return -ENOSPC;
		memcpy(out + o, add, alen);
		o += alen;
	}
	if (o >= outlen)
		return -ENOSPC;
	out[o] = '\0';
	return 0;
}

int url_decode_path(const char *in, char *out, size_t outlen)
{
	size_t o = 0;
	for (const char *p = in; *p; p++) {
		char c = *p;
		if (c == '%') {
			int hi = hex_digit(p[1]), lo = hi < 0 ? -1 : hex_digit(p[2]);
			if (hi < 0 || lo < 0 || (hi == 0 && lo == 0))
				return -EINVAL;
			c = (char)(hi << 4 | lo);
			p += 2;
		}
		if (o + 1 >= outlen)
			return -ENOSPC;
		out[o++] = c;
	}
	out[o] = '\0';
	return 0;
}

uint64_t url_seed(const void *data, size_t len)
{
	const uint8_t *p = data;
	uint64_t h = 0xcbf29ce484222325ull;
	for (size_t i = 0; i < len; i++) {
		h ^= p[i];
		h *= 0x100000001b3ull;
	}
	return h;
}

void url_mirror_order(size_t n, uint64_t seed, size_t *order)
{
	uint64_t x = seed;
	for (size_t i = 0; i < n; i++)
		order[i] = i;
	if (!seed)
		return; /* 0: the order as given */
	/* Fisher-Yates with xorshift64*: deterministic per seed. */
	for (size_t i = n; i > 1; i--) {
		x ^= x >> 12, x ^= x << 25, x ^= x >> 27;
		size_t j = (size_t)((x * 0x2545f4914f6cdd1dull) % i);
		size_t t = order[i - 1];
		order[i - 1] = order[j];
		order[j] = t;
	}
}
