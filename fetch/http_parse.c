// SPDX-License-Identifier: MIT
/*
 * HTTP/1.1 response parsing (RFC 9112) and request building.  No I/O here:
 * everything is table-tested (tests/unit/test_http.c) and fuzzed
 * (fuzz/fuzz_http.c, fuzz/fuzz_chunked.c).
 */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "http.h"
#include "codec.h"

size_t http_head_end(const char *buf, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		if (buf[i] != '\n')
			continue;
		if (i + 1 < len && buf[i + 1] == '\n')
			return i + 2;
		if (i + 2 < len && buf[i + 1] == '\r' && buf[i + 2] == '\n')
			return i + 3;
	}
	return 0;
}

/* Decimal without sign; at most 18 digits (fits int64). */
static int parse_dec(const char *s, size_t len, int64_t *out)
{
	int64_t v = 0;
	if (len == 0 || len > 18)
		return -EINVAL;
	for (size_t i = 0; i < len; i++) {
		if (!isdigit((unsigned char)s[i]))
			return -EINVAL;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 0;
}

int http_parse_status(const char *line, size_t len, int *minor, int *status)
{
	/* RFC 9112 section 4: HTTP-version SP 3DIGIT SP [reason] */
	if (len < 12 || memcmp(line, "HTTP/1.", 7) != 0 || !isdigit((unsigned char)line[7]) ||
	    line[8] != ' ')
		return -EINVAL;
	for (int i = 9; i < 12; i++)
		if (!isdigit((unsigned char)line[i]))
			return -EINVAL;
	if (len > 12 && line[12] != ' ')
		return -EINVAL;
	*minor = line[7] - '0';
	*status = (line[9] - '0') * 100 + (line[10] - '0') * 10 + (line[11] - '0');
	if (*status < 100)
		return -EINVAL;
	return 0;
}

static void trim(const char **s, size_t *len)
{
	while (*len && (**s == ' ' || **s == '\t'))
		(*s)++, (*len)--;
	while (*len && ((*s)[*len - 1] == ' ' || (*s)[*len - 1] == '\t'))
		(*len)--;
}

static bool name_is(const char *name, size_t nlen, const char *want)
{
	return strlen(want) == nlen && strncasecmp(name, want, nlen) == 0;
}

static int64_t month_of(const char *m)
{
	static const char names[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
	for (int i = 0; i < 12; i++)
		if (memcmp(names + 3 * i, m, 3) == 0)
			return i;
	return -1;
}

int64_t http_parse_date(const char *s, size_t len)
{
	/* IMF-fixdate only (RFC 9110 section 5.6.7): "Sun, 06 Nov 1994 08:49:37 GMT" */
	char buf[30];
	if (len != 29)
		return -1;
	memcpy(buf, s, 29);
	buf[29] = '\0';
	int day, year, hh, mm, ss;
	char mon[4], wd[4];
	if (sscanf(buf, "%3s, %2d %3s %4d %2d:%2d:%2d GMT", wd, &day, mon, &year, &hh, &mm, &ss) != 7 ||
	    buf[3] != ',' || memcmp(buf + 26, "GMT", 3) != 0)
		return -1;
	int64_t m = month_of(mon);
	if (m < 0 || day < 1 || day > 31 || hh > 23 || mm > 59 || ss > 60 || year < 1970)
		return -1;
	struct tm tm = { .tm_year = year - 1900, .tm_mon = (int)m, .tm_mday = day,
			 .tm_hour = hh, .tm_min = mm, .tm_sec = ss };
	return (int64_t)timegm(&tm);
}

static int parse_content_range(const char *v, size_t len, struct http_response *r)
{
	/* RFC 9110 section 14.4: "bytes first-last/complete" or "bytes first-last/ *" */
	int64_t a, b, t = -1;
	if (len < 6 || strncasecmp(v, "bytes ", 6) != 0)
		return -EINVAL;
	v += 6, len -= 6;
	if (len > 2 && v[0] == '*' && v[1] == '/') {
		/* "bytes * /complete" of a 416 answer: only the length is known */
		if (parse_dec(v + 2, len - 2, &t) < 0)
			return -EINVAL;
		r->range_total = t;
		return 0;
	}
	const char *dash = memchr(v, '-', len), *slash = memchr(v, '/', len);
	if (!dash || !slash || slash < dash)
		return -EINVAL;
	if (parse_dec(v, (size_t)(dash - v), &a) < 0 ||
	    parse_dec(dash + 1, (size_t)(slash - dash - 1), &b) < 0 || b < a)
		return -EINVAL;
	size_t tl = len - (size_t)(slash + 1 - v);
	if (!(tl == 1 && slash[1] == '*') && (parse_dec(slash + 1, tl, &t) < 0 || t <= b))
		return -EINVAL;
	r->has_range = true;
	r->range_start = (uint64_t)a, r->range_end = (uint64_t)b, r->range_total = t;
	return 0;
}

int http_parse_header(const char *line, size_t len, struct http_response *r)
{
	const char *colon = memchr(line, ':', len);
	if (!colon || colon == line)
		return -EINVAL;
	size_t nlen = (size_t)(colon - line);
	for (size_t i = 0; i < nlen; i++)
		if ((unsigned char)line[i] <= ' ' || (unsigned char)line[i] >= 0x7f)
			return -EINVAL; /* RFC 9112 section 5.1: no space before ':' */
	const char *v = colon + 1;
	size_t vlen = len - nlen - 1;
	trim(&v, &vlen);
	for (size_t i = 0; i < vlen; i++)
		if (v[i] == '\0' || v[i] == '\r' || v[i] == '\n')
			return -EINVAL;

	if (name_is(line, nlen, "Content-Length")) {
		int64_t n;
		if (parse_dec(v, vlen, &n) < 0)
			return -EINVAL;
		if (r->content_length >= 0 && r->content_length != n)
			return -EINVAL; /* RFC 9112 section 6.3 item 5 */
		r->content_length = n;
	} else if (name_is(line, nlen, "Transfer-Encoding")) {
		/* Only "chunked" (possibly after "identity") is supported. */
		const char *last = v;
		for (size_t i = 0; i < vlen; i++)
			if (v[i] == ',')
				last = v + i + 1;
		size_t ll = vlen - (size_t)(last - v);
		trim(&last, &ll);
		if (!name_is(last, ll, "chunked"))
			return -EINVAL;
		r->chunked = true;
	} else if (name_is(line, nlen, "Content-Range")) {
		if (parse_content_range(v, vlen, r) < 0)
			return -EINVAL;
	} else if (name_is(line, nlen, "Location")) {
		if (vlen == 0 || vlen >= sizeof(r->location))
			return -EINVAL;
		memcpy(r->location, v, vlen);
		r->location[vlen] = '\0';
	} else if (name_is(line, nlen, "Retry-After")) {
		int64_t n;
		if (parse_dec(v, vlen, &n) == 0) {
			r->retry_after = n;
		} else {
			int64_t t = http_parse_date(v, vlen);
			/* Stored as a negative absolute time marker below. */
			if (t > 0)
				r->retry_after = -2 - t;
		}
	} else if (name_is(line, nlen, "Date")) {
		r->date = http_parse_date(v, vlen);
	} else if (name_is(line, nlen, "ETag")) {
		/* Only a strong validator may be used with If-Range (RFC 9110 13.1.5). */
		if (vlen >= 2 && v[0] == '"' && vlen < sizeof(r->etag)) {
			memcpy(r->etag, v, vlen);
			r->etag[vlen] = '\0';
		}
	} else if (name_is(line, nlen, "Last-Modified")) {
		if (vlen < sizeof(r->last_modified) && http_parse_date(v, vlen) > 0) {
			memcpy(r->last_modified, v, vlen);
			r->last_modified[vlen] = '\0';
		}
	}
	return 0;
}

int http_parse_head(const char *buf, size_t len, struct http_response *r)
{
	memset(r, 0, sizeof(*r));
	r->content_length = -1;
	r->retry_after = -1;
	r->date = -1;
	r->range_total = -1;

	size_t pos = 0;
	int lineno = 0;
	while (pos < len) {
		const char *nl = memchr(buf + pos, '\n', len - pos);
		if (!nl)
			return -EINVAL;
		size_t ll = (size_t)(nl - (buf + pos));
		if (ll && buf[pos + ll - 1] == '\r')
			ll--;
		if (ll == 0)
			break; /* end of head */
		if (lineno == 0) {
			if (http_parse_status(buf + pos, ll, &r->minor, &r->status) < 0)
				return -EINVAL;
		} else {
			if (buf[pos] == ' ' || buf[pos] == '\t')
				return -EINVAL; /* obs-fold, RFC 9112 section 5.2 */
			if (http_parse_header(buf + pos, ll, r) < 0)
				return -EINVAL;
		}
		lineno++;
		pos = (size_t)(nl - buf) + 1;
	}
	if (lineno == 0)
		return -EINVAL;
	/* Retry-After as a date: relative to the server's Date when given. */
	if (r->retry_after < -1) {
		int64_t when = -2 - r->retry_after;
		int64_t now = r->date > 0 ? r->date : (int64_t)time(NULL);
		r->retry_after = when > now ? when - now : 0;
	}
	if (r->chunked)
		r->content_length = -1; /* RFC 9112 section 6.3 item 3 */
	return 0;
}

enum { CH_SIZE, CH_DATA, CH_DATA_CR, CH_DATA_LF, CH_TRAILER, CH_DONE };

void http_chunked_init(struct http_chunked *c)
{
	memset(c, 0, sizeof(*c));
	c->state = CH_SIZE;
}

ssize_t http_chunked_decode(struct http_chunked *c, uint8_t *buf, size_t len, size_t *consumed)
{
	size_t in = 0, out = 0;
	while (in < len && c->state != CH_DONE) {
		uint8_t ch = buf[in];
		switch (c->state) {
		case CH_SIZE:
			in++;
			if (++c->linelen > 1024)
				return -EINVAL;
			if (ch == '\n') {
				if (!c->digits)
					return -EINVAL;
				c->state = c->left ? CH_DATA : CH_TRAILER;
				c->linelen = 0, c->digits = false, c->ext = false;
			} else if (c->ext || ch == '\r') {
				/* extension bytes and the CR are skipped */
			} else if (ch == ';' || ch == ' ' || ch == '\t') {
				if (!c->digits)
					return -EINVAL;
				c->ext = true;
			} else {
				int h = hex_digit((char)ch);
				if (h < 0 || c->left >> 56)
					return -EINVAL; /* bad digit, or over 2^60 */
				c->left = c->left << 4 | (uint64_t)h;
				c->digits = true;
			}
			break;
		case CH_DATA: {
			size_t n = len - in;
			if (n > c->left)
				n = (size_t)c->left;
			memmove(buf + out, buf + in, n);
			in += n, out += n;
			c->left -= n;
			if (!c->left)
				c->state = CH_DATA_CR;
			break;
		}
		case CH_DATA_CR:
			in++;
			if (ch == '\r')
				c->state = CH_DATA_LF;
			else if (ch == '\n')
				c->state = CH_SIZE;
			else
				return -EINVAL;
			break;
		case CH_DATA_LF:
			in++;
			if (ch != '\n')
				return -EINVAL;
			c->state = CH_SIZE;
			break;
		case CH_TRAILER:
			/* trailer fields, ignored, until an empty line */
			in++;
			if (ch == '\n') {
				if (c->linelen == 0)
					c->state = CH_DONE, c->done = true;
				c->linelen = 0;
			} else if (ch != '\r') {
				if (++c->linelen > 8192)
					return -EINVAL;
			}
			break;
		}
	}
	*consumed = in;
	return (ssize_t)out;
}

int http_build_request(const struct url *u, uint64_t range_from, const char *validator,
		       char *out, size_t outlen)
{
	char host[URL_HOST_MAX + 10], range[128] = "";
	if (u->port == 80)
		snprintf(host, sizeof(host), "%s%s%s", u->ipv6 ? "[" : "", u->host, u->ipv6 ? "]" : "");
	else
		snprintf(host, sizeof(host), "%s%s%s:%u", u->ipv6 ? "[" : "", u->host,
			 u->ipv6 ? "]" : "", u->port);
	if (range_from) {
		int n = snprintf(range, sizeof(range), "Range: bytes=%" PRIu64 "-\r\n", range_from);
		if (validator && *validator && n > 0 && strlen(validator) < 64)
			snprintf(range + n, sizeof(range) - (size_t)n, "If-Range: %s\r\n", validator);
	}
	int n = snprintf(out, outlen,
			 "GET %s HTTP/1.1\r\nHost: %s\r\nUser-Agent: netinit\r\n"
			 "Accept-Encoding: identity\r\n%sConnection: close\r\n\r\n",
			 u->path, host, range);
	if (n < 0 || (size_t)n >= outlen)
		return -ENOSPC;
	return n;
}
