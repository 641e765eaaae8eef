/* SPDX-License-Identifier: MIT */
/*
 * HTTP/1.1 client for root images (RFC 9110, RFC 9112): the parsers (pure,
 * table-tested and fuzzed) and one GET with resume.
 */
#ifndef NETINIT_HTTP_H
#define NETINIT_HTTP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "url.h"

#define HTTP_HEAD_MAX 16384   /* status line + headers */

struct http_response {
	int minor;                /* HTTP/1.<minor> */
	int status;
	int64_t content_length;   /* -1: not given */
	bool chunked;             /* Transfer-Encoding ends in chunked */
	bool has_range;           /* Content-Range: bytes a-b/total */
	uint64_t range_start, range_end;
	int64_t range_total;      /* -1: "*" */
	int64_t retry_after;      /* seconds, -1: not given */
	int64_t date;             /* Date: as time_t, -1: not given */
	char location[URL_MAX];
	char etag[128];           /* strong ETag only ("" otherwise) */
	char last_modified[64];
};

/* Offset just past the "\r\n\r\n" (or "\n\n") that ends the head in
 * buf[0..len), 0 when not complete yet. */
size_t http_head_end(const char *buf, size_t len);

/* "HTTP/1.x NNN reason": 0 or -EINVAL. */
int http_parse_status(const char *line, size_t len, int *minor, int *status);

/* One "Name: value" line (no line ending).  Unknown headers are ignored;
 * contradicting or malformed framing headers (Content-Length,
 * Transfer-Encoding) are -EINVAL, the rest is ignored when malformed. */
int http_parse_header(const char *line, size_t len, struct http_response *r);

/* A complete head (as bounded by http_head_end()). */
int http_parse_head(const char *buf, size_t len, struct http_response *r);

/* Parse an IMF-fixdate ("Sun, 06 Nov 1994 08:49:37 GMT"): time_t or -1. */
int64_t http_parse_date(const char *s, size_t len);

/* Chunked transfer coding (RFC 9112 section 7.1), decoded in place. */
struct http_chunked {
	int state;
	uint64_t left;            /* bytes left in the current chunk */
	unsigned linelen;         /* bytes of the current size/trailer line */
	bool ext;                 /* in a chunk extension */
	bool digits;              /* saw a size digit */
	bool done;                /* last chunk and trailers consumed */
};
void http_chunked_init(struct http_chunked *c);
/* Decode buf[0..len) in place: the payload bytes are moved to the front of
 * buf; returns their count, or -EINVAL (*consumed then undefined).  Bytes
 * after the end of the body are left: *consumed tells how many were used. */
ssize_t http_chunked_decode(struct http_chunked *c, uint8_t *buf, size_t len,
			    size_t *consumed);

/* Build a GET request; range_from > 0 adds Range (and If-Range with
 * validator when not NULL/empty).  Length or -ENOSPC. */
int http_build_request(const struct url *u, uint64_t range_from, const char *validator,
		       char *out, size_t outlen);

#endif
