// SPDX-License-Identifier: MIT
/* TFTP packet building and parsing; see tftp.h. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "tftp.h"

static int put_str(uint8_t *buf, size_t cap, size_t *o, const char *s)
{
	size_t n = strlen(s) + 1;
	if (*o + n > cap)
		return -ENOSPC;
	memcpy(buf + *o, s, n);
	*o += n;
	return 0;
}

int tftp_build_rrq(uint8_t *buf, size_t cap, const char *file, const struct tftp_options *o)
{
	size_t n = 2;
	char num[24];
	if (cap < 2 || !file[0] || strlen(file) > 1024)
		return -EINVAL;
	buf[0] = 0, buf[1] = TFTP_RRQ;
	if (put_str(buf, cap, &n, file) < 0 || put_str(buf, cap, &n, "octet") < 0)
		return -ENOSPC;
	if (o->blksize) {
		snprintf(num, sizeof(num), "%u", o->blksize);
		if (put_str(buf, cap, &n, "blksize") < 0 || put_str(buf, cap, &n, num) < 0)
			return -ENOSPC;
	}
	if (o->has_tsize && (put_str(buf, cap, &n, "tsize") < 0 || put_str(buf, cap, &n, "0") < 0))
		return -ENOSPC;
	if (o->windowsize) {
		snprintf(num, sizeof(num), "%u", o->windowsize);
		if (put_str(buf, cap, &n, "windowsize") < 0 || put_str(buf, cap, &n, num) < 0)
			return -ENOSPC;
	}
	return (int)n;
}

int tftp_build_ack(uint8_t *buf, size_t cap, uint16_t block)
{
	if (cap < 4)
		return -ENOSPC;
	buf[0] = 0, buf[1] = TFTP_ACK, buf[2] = (uint8_t)(block >> 8), buf[3] = (uint8_t)block;
	return 4;
}

int tftp_build_error(uint8_t *buf, size_t cap, uint16_t code, const char *msg)
{
	size_t n = 4;
	if (cap < 5)
		return -ENOSPC;
	buf[0] = 0, buf[1] = TFTP_ERROR, buf[2] = (uint8_t)(code >> 8), buf[3] = (uint8_t)code;
	return put_str(buf, cap, &n, msg) < 0 ? -ENOSPC : (int)n;
}

/* Decimal option value: digits only, no sign, bounded. */
static int opt_num(const char *v, uint64_t max, uint64_t *out)
{
	uint64_t x = 0;
	if (!*v || strlen(v) > 20)
		return -EINVAL;
	for (; *v; v++) {
		if (*v < '0' || *v > '9' || x > (UINT64_MAX - 9) / 10)
			return -EINVAL;
		x = x * 10 + (uint64_t)(*v - '0');
	}
	if (x > max)
		return -EINVAL;
	*out = x;
	return 0;
}

static int parse_oack(const uint8_t *b, size_t len, struct tftp_options *o)
{
	size_t i = 2;
	memset(o, 0, sizeof(*o));
	while (i < len) {
		const char *k = (const char *)b + i;
		const uint8_t *z = memchr(b + i, 0, len - i);
		if (!z)
			return -EINVAL;
		i = (size_t)(z - b) + 1;
		const uint8_t *z2 = i < len ? memchr(b + i, 0, len - i) : NULL;
		if (!z2)
			return -EINVAL;
		const char *v = (const char *)b + i;
		i = (size_t)(z2 - b) + 1;
		uint64_t x;
		if (strcasecmp(k, "blksize") == 0) {
			if (opt_num(v, 65535, &x) < 0 || x == 0)
				return -EINVAL;
			o->blksize = (unsigned)x;
		} else if (strcasecmp(k, "windowsize") == 0) {
			if (opt_num(v, 65535, &x) < 0 || x == 0)
				return -EINVAL;
			o->windowsize = (unsigned)x;
		} else if (strcasecmp(k, "tsize") == 0) {
			if (opt_num(v, INT64_MAX, &x) < 0)
				return -EINVAL;
			o->tsize = x, o->has_tsize = true;
		} else {
			return -EINVAL; /* we asked for nothing else (RFC 2347) */
		}
	}
	return 0;
}

int tftp_parse(const uint8_t *b, size_t len, struct tftp_packet *p)
{
	memset(p, 0, sizeof(*p));
	if (len < 2 || b[0] != 0)
		return -EINVAL;
	p->op = b[1];
	switch (p->op) {
	case TFTP_DATA:
	case TFTP_ACK:
		if (len < 4 || (p->op == TFTP_ACK && len != 4))
			return -EINVAL;
		p->block = (uint16_t)(b[2] << 8 | b[3]);
		p->data = b + 4;
		p->datalen = len - 4;
		if (p->datalen > TFTP_BLKSIZE_MAX)
			return -EINVAL;
		return 0;
	case TFTP_ERROR: {
		if (len < 4)
			return -EINVAL;
		p->errcode = (uint16_t)(b[2] << 8 | b[3]);
		size_t n = strnlen((const char *)b + 4, len - 4);
		if (n >= sizeof(p->errmsg))
			n = sizeof(p->errmsg) - 1;
		/* the message is shown in the log: printable ASCII only */
		for (size_t i = 0; i < n; i++) {
			uint8_t c = b[4 + i];
			p->errmsg[i] = (char)(c >= ' ' && c < 0x7f ? c : '?');
		}
		p->errmsg[n] = '\0';
		return 0;
	}
	case TFTP_OACK:
		if (len < 3)
			return -EINVAL;
		return parse_oack(b, len, &p->opts);
	default:
		return -EINVAL;
	}
}

int tftp_check_oack(const struct tftp_options *req, const struct tftp_options *got,
		    char *why, size_t whylen)
{
	if (got->blksize && (!req->blksize || got->blksize > req->blksize ||
			     got->blksize < TFTP_BLKSIZE_MIN)) {
		snprintf(why, whylen, "OACK blksize %u (asked for %u)", got->blksize, req->blksize);
		return -EPROTO;
	}
	if (got->windowsize && (!req->windowsize || got->windowsize > req->windowsize)) {
		snprintf(why, whylen, "OACK windowsize %u (asked for %u)", got->windowsize,
			 req->windowsize);
		return -EPROTO;
	}
	if (got->has_tsize && !req->has_tsize) {
		snprintf(why, whylen, "OACK tsize not asked for");
		return -EPROTO;
	}
	return 0;
}
