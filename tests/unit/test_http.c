// SPDX-License-Identifier: MIT
/* HTTP status line, headers, whole heads, chunked decoding, requests. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "http.h"

static void test_status(void **state)
{
	(void)state;
	static const struct { const char *line; int ret, minor, status; } c[] = {
		{ "HTTP/1.1 200 OK", 0, 1, 200 },
		{ "HTTP/1.0 404 Not Found", 0, 0, 404 },
		{ "HTTP/1.1 206", 0, 1, 206 },
		{ "HTTP/1.1 503 ", 0, 1, 503 },
		{ "HTTP/2 200 OK", -EINVAL, 0, 0 },
		{ "HTTP/1.1 20 OK", -EINVAL, 0, 0 },
		{ "HTTP/1.1 2000 OK", -EINVAL, 0, 0 },
		{ "HTTP/1.1  200 OK", -EINVAL, 0, 0 },
		{ "http/1.1 200 OK", -EINVAL, 0, 0 },
		{ "HTTP/1.1 099 x", -EINVAL, 0, 0 },
		{ "", -EINVAL, 0, 0 },
	};
	for (size_t i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		int minor = -1, st = -1;
		int r = http_parse_status(c[i].line, strlen(c[i].line), &minor, &st);
		if (r != c[i].ret)
			fail_msg("case '%s': %d", c[i].line, r);
		if (!r) {
			assert_int_equal(minor, c[i].minor);
			assert_int_equal(st, c[i].status);
		}
	}
}

static int head(const char *s, struct http_response *r)
{
	return http_parse_head(s, strlen(s), r);
}

static void test_head(void **state)
{
	(void)state;
	struct http_response r;
	assert_int_equal(head("HTTP/1.1 200 OK\r\nContent-Length: 1234\r\nETag: \"abc\"\r\n"
			      "Last-Modified: Sun, 06 Nov 1994 08:49:37 GMT\r\n\r\n", &r), 0);
	assert_int_equal(r.status, 200);
	assert_int_equal(r.content_length, 1234);
	assert_string_equal(r.etag, "\"abc\"");
	assert_string_equal(r.last_modified, "Sun, 06 Nov 1994 08:49:37 GMT");

	/* weak ETags are not usable with If-Range */
	assert_int_equal(head("HTTP/1.1 200 OK\r\nETag: W/\"x\"\r\n\r\n", &r), 0);
	assert_string_equal(r.etag, "");

	/* duplicate Content-Length: equal is fine, different is an error */
	assert_int_equal(head("HTTP/1.1 200 OK\r\nContent-Length: 5\r\ncontent-length: 5\r\n\r\n", &r), 0);
	assert_int_equal(head("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\n", &r), -EINVAL);
	assert_int_equal(head("HTTP/1.1 200 OK\r\nContent-Length: -5\r\n\r\n", &r), -EINVAL);
	assert_int_equal(head("HTTP/1.1 200 OK\r\nContent-Length: 5x\r\n\r\n", &r), -EINVAL);
	assert_int_equal(head("HTTP/1.1 200 OK\r\nContent-Length: 99999999999999999999\r\n\r\n", &r), -EINVAL);

	/* chunked wins over Content-Length (RFC 9112 6.3) */
	assert_int_equal(head("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n", &r), 0);
	assert_true(r.chunked);
	assert_int_equal(r.content_length, -1);
	assert_int_equal(head("HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\n", &r), -EINVAL);
	assert_int_equal(head("HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n", &r), 0);

	/* obs-fold and space before the colon are refused */
	assert_int_equal(head("HTTP/1.1 200 OK\r\nX: a\r\n b\r\n\r\n", &r), -EINVAL);
	assert_int_equal(head("HTTP/1.1 200 OK\r\nContent-Length : 5\r\n\r\n", &r), -EINVAL);
	/* bare LF line ends are accepted */
	assert_int_equal(head("HTTP/1.1 302 Found\nLocation: /x\n\n", &r), 0);
	assert_string_equal(r.location, "/x");
	assert_int_equal(head("garbage\r\n\r\n", &r), -EINVAL);
}

static void test_range_and_retry(void **state)
{
	(void)state;
	struct http_response r;
	static const struct { const char *cr; int ret; uint64_t a, b; int64_t t; } c[] = {
		{ "bytes 100-199/200", 0, 100, 199, 200 },
		{ "bytes 0-0/1", 0, 0, 0, 1 },
		{ "bytes 5-9/*", 0, 5, 9, -1 },
		{ "bytes 9-5/20", -EINVAL, 0, 0, 0 },
		{ "bytes 5-9/9", -EINVAL, 0, 0, 0 },
		{ "bytes */20", 0, 0, 0, 20 },
		{ "items 0-1/2", -EINVAL, 0, 0, 0 },
		{ "bytes 1-2", -EINVAL, 0, 0, 0 },
	};
	for (size_t i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		char buf[256];
		snprintf(buf, sizeof(buf), "HTTP/1.1 206 Partial\r\nContent-Range: %s\r\n\r\n", c[i].cr);
		int ret = head(buf, &r);
		if (ret != c[i].ret)
			fail_msg("Content-Range '%s': %d", c[i].cr, ret);
		if (!ret) {
			assert_int_equal(r.has_range, c[i].cr[6] != '*');
			assert_int_equal(r.range_start, c[i].a);
			assert_int_equal(r.range_end, c[i].b);
			assert_int_equal(r.range_total, c[i].t);
		}
	}
	assert_int_equal(head("HTTP/1.1 503 x\r\nRetry-After: 7\r\n\r\n", &r), 0);
	assert_int_equal(r.retry_after, 7);
	assert_int_equal(head("HTTP/1.1 503 x\r\nDate: Sun, 06 Nov 1994 08:49:37 GMT\r\n"
			      "Retry-After: Sun, 06 Nov 1994 08:50:07 GMT\r\n\r\n", &r), 0);
	assert_int_equal(r.retry_after, 30);
	assert_int_equal(head("HTTP/1.1 503 x\r\nRetry-After: soon\r\n\r\n", &r), 0);
	assert_int_equal(r.retry_after, -1);
	assert_int_equal(http_parse_date("Sun, 06 Nov 1994 08:49:37 GMT", 29), 784111777);
	assert_int_equal(http_parse_date("Sunday, 06-Nov-94 08:49:37 GMT", 30), -1);
}

static void test_head_end(void **state)
{
	(void)state;
	const char *a = "HTTP/1.1 200 OK\r\n\r\nBODY";
	assert_int_equal(http_head_end(a, strlen(a)), strlen(a) - 4);
	assert_int_equal(http_head_end("HTTP/1.1 200 OK\r\n", 17), 0);
	assert_int_equal(http_head_end("X\n\nY", 4), 3);
}

/* Decode `in` fed in pieces of `step` bytes; compare with `want`. */
static int chunked(const char *in, size_t step, char *out, size_t *outlen, size_t *rest)
{
	struct http_chunked c;
	uint8_t buf[1024];
	size_t len = strlen(in), pos = 0;
	http_chunked_init(&c);
	*outlen = 0;
	while (pos < len && !c.done) {
		size_t n = len - pos < step ? len - pos : step, used;
		memcpy(buf, in + pos, n);
		ssize_t d = http_chunked_decode(&c, buf, n, &used);
		if (d < 0)
			return (int)d;
		memcpy(out + *outlen, buf, (size_t)d);
		*outlen += (size_t)d;
		pos += used;
	}
	out[*outlen] = '\0';
	*rest = len - pos;
	return c.done ? 0 : -EAGAIN;
}

static void test_chunked(void **state)
{
	(void)state;
	static const struct { const char *in; int ret; const char *want; size_t rest; } c[] = {
		{ "5\r\nhello\r\n0\r\n\r\n", 0, "hello", 0 },
		{ "5\r\nhello\r\n6\r\n world\r\n0\r\n\r\nEXTRA", 0, "hello world", 5 },
		{ "A;ext=1\r\n0123456789\r\n0\r\nTrailer: x\r\n\r\n", 0, "0123456789", 0 },
		{ "5\nhello\n0\n\n", 0, "hello", 0 },
		{ "5\r\nhello\r\n", -EAGAIN, "hello", 0 },
		{ "5\r\nhelloXX0\r\n\r\n", -EINVAL, "", 0 },
		{ "g\r\n", -EINVAL, "", 0 },
		{ "\r\n", -EINVAL, "", 0 },
		{ ";x\r\n", -EINVAL, "", 0 },
		{ "fffffffffffffffffff\r\n", -EINVAL, "", 0 },
	};
	for (size_t i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		for (size_t step = 1; step <= 64; step *= 4) {
			char out[256];
			size_t n, rest;
			int r = chunked(c[i].in, step, out, &n, &rest);
			if (r != c[i].ret)
				fail_msg("case %zu step %zu: %d", i, step, r);
			if (r == 0) {
				assert_string_equal(out, c[i].want);
				assert_int_equal(rest, c[i].rest);
			}
		}
	}
}

static void test_request(void **state)
{
	(void)state;
	struct url u;
	char req[2048];
	assert_int_equal(url_parse("http://10.0.0.1:8080/img", &u), 0);
	assert_true(http_build_request(&u, 0, NULL, req, sizeof(req)) > 0);
	assert_non_null(strstr(req, "GET /img HTTP/1.1\r\nHost: 10.0.0.1:8080\r\n"));
	assert_null(strstr(req, "Range"));
	assert_true(http_build_request(&u, 100, "\"e1\"", req, sizeof(req)) > 0);
	assert_non_null(strstr(req, "Range: bytes=100-\r\nIf-Range: \"e1\"\r\n"));
	assert_int_equal(http_build_request(&u, 0, NULL, req, 20), -ENOSPC);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_status),  cmocka_unit_test(test_head),
		cmocka_unit_test(test_range_and_retry), cmocka_unit_test(test_head_end),
		cmocka_unit_test(test_chunked), cmocka_unit_test(test_request),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
