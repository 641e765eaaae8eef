/* SPDX-License-Identifier: MIT */
/*
 * DHCP options: the one iterator and the typed getters built on it.
 *
 * Rules (RFC 2132 §2, RFC 2131 §4.1, RFC 3396):
 *  - Pad (0) is one byte; End (255) closes the current region.
 *  - Any other tag is followed by a length byte and that many bytes; a tag
 *    without its length byte ("trailing tag") or a length that runs past
 *    the region is a malformed message, and the whole message is refused.
 *  - Option 52 (overload, length 1, value 1..3) may appear once, in the
 *    options field only; then the file field and after it the sname field
 *    are read as further options.  Option 52 inside file/sname ("nested
 *    overload") or twice is malformed.
 *  - An option that appears several times is one option whose value is the
 *    concatenation, in order (RFC 3396 §5).
 */
#include "dhcp.h"
#include "dns.h"

#include <errno.h>
#include <string.h>

void dhcp_opt_iter_init(struct dhcp_opt_iter *it, const struct dhcp_msg *m)
{
	memset(it, 0, sizeof(*it));
	it->m = *m;
	if (m->len < DHCP_OFF_OPTIONS) {
		it->region = 3;
		return;
	}
	it->cur = m->p + DHCP_OFF_OPTIONS;
	it->end = m->p + m->len;
}

/* Move to the next region once the current one is exhausted or closed. */
static void opt_next_region(struct dhcp_opt_iter *it)
{
	for (;;) {
		it->region++;
		if (it->region == 1 && (it->overload & 1)) {
			it->cur = it->m.p + DHCP_OFF_FILE;
			it->end = it->cur + DHCP_FILE_LEN;
			return;
		}
		if (it->region == 2 && (it->overload & 2)) {
			it->cur = it->m.p + DHCP_OFF_SNAME;
			it->end = it->cur + DHCP_SNAME_LEN;
			return;
		}
		if (it->region >= 3) {
			it->region = 3;
			it->cur = it->end = NULL;
			return;
		}
	}
}

int dhcp_opt_next(struct dhcp_opt_iter *it, uint8_t *code,
		  const uint8_t **data, uint8_t *len)
{
	while (it->region < 3) {
		uint8_t c, l;

		if (it->cur >= it->end) { /* region ended without End: tolerated */
			opt_next_region(it);
			continue;
		}
		c = *it->cur;
		if (c == DHO_PAD) {
			it->cur++;
			continue;
		}
		if (c == DHO_END) {
			opt_next_region(it);
			continue;
		}
		if (it->end - it->cur < 2)
			return -EBADMSG; /* a trailing tag without its length */
		l = it->cur[1];
		if (it->end - it->cur - 2 < l)
			return -EBADMSG; /* runs past the end of its region */
		if (c == DHO_OVERLOAD) {
			/* RFC 2131 §4.1: only in the options field, once. */
			if (it->region != 0 || it->overload || l != 1 ||
			    it->cur[2] < 1 || it->cur[2] > 3)
				return -EBADMSG;
			it->overload = it->cur[2];
		}
		*code = c;
		*len = l;
		*data = it->cur + 2;
		it->cur += 2 + (size_t)l;
		return 1;
	}
	return 0;
}

int dhcp_opt_check(const struct dhcp_msg *m)
{
	struct dhcp_opt_iter it;
	const uint8_t *d;
	uint8_t c, l;
	int r;

	dhcp_opt_iter_init(&it, m);
	while ((r = dhcp_opt_next(&it, &c, &d, &l)) > 0)
		;
	return r;
}

int dhcp_opt_get(const struct dhcp_msg *m, uint8_t code, uint8_t *buf, size_t size)
{
	struct dhcp_opt_iter it;
	const uint8_t *d;
	uint8_t c, l;
	size_t total = 0;
	bool found = false;
	int r;

	dhcp_opt_iter_init(&it, m);
	while ((r = dhcp_opt_next(&it, &c, &d, &l)) > 0) {
		if (c != code)
			continue;
		found = true;
		if (l > size - total)
			return -EMSGSIZE;
		if (l)
			memcpy(buf + total, d, l);
		total += l;
	}
	if (r < 0)
		return r;
	return found ? (int)total : -ENOENT;
}

/* Fixed-length getters: the concatenated value must be exactly n bytes. */
static int opt_fixed(const struct dhcp_msg *m, uint8_t code, uint8_t *out, size_t n)
{
	uint8_t buf[8];
	int r = dhcp_opt_get(m, code, buf, sizeof(buf));

	if (r == -EMSGSIZE)
		return -EBADMSG;
	if (r < 0)
		return r;
	if ((size_t)r != n)
		return -EBADMSG;
	memcpy(out, buf, n);
	return 0;
}

int dhcp_opt_u8(const struct dhcp_msg *m, uint8_t code, uint8_t *out)
{
	return opt_fixed(m, code, out, 1);
}

int dhcp_opt_u16(const struct dhcp_msg *m, uint8_t code, uint16_t *out)
{
	uint8_t b[2];
	int r = opt_fixed(m, code, b, 2);

	if (r == 0)
		*out = dhcp_be16(b);
	return r;
}

int dhcp_opt_u32(const struct dhcp_msg *m, uint8_t code, uint32_t *out)
{
	uint8_t b[4];
	int r = opt_fixed(m, code, b, 4);

	if (r == 0)
		*out = dhcp_be32(b);
	return r;
}

int dhcp_opt_addr(const struct dhcp_msg *m, uint8_t code, struct in_addr *out)
{
	uint8_t b[4];
	int r = opt_fixed(m, code, b, 4);

	if (r == 0)
		*out = dhcp_addr_at(b);
	return r;
}

int dhcp_opt_addrs(const struct dhcp_msg *m, uint8_t code, struct in_addr *out, size_t max)
{
	uint8_t buf[1024];
	size_t i, n;
	int r = dhcp_opt_get(m, code, buf, sizeof(buf));

	if (r == -EMSGSIZE)
		return -EBADMSG;
	if (r < 0)
		return r;
	if (r == 0 || r % 4)
		return -EBADMSG;
	n = (size_t)r / 4;
	for (i = 0; i < n && i < max; i++)
		out[i] = dhcp_addr_at(buf + 4 * i);
	return (int)i;
}

int dhcp_opt_string(const struct dhcp_msg *m, uint8_t code, char *out, size_t size)
{
	uint8_t buf[1024];
	int r = dhcp_opt_get(m, code, buf, sizeof(buf));
	size_t n;

	if (r == -EMSGSIZE)
		return -EBADMSG;
	if (r < 0)
		return r;
	n = (size_t)r;
	while (n > 0 && buf[n - 1] == 0)
		n--;
	if (n == 0 || memchr(buf, 0, n))
		return -EBADMSG;
	if (n >= size)
		return -EMSGSIZE;
	memcpy(out, buf, n);
	out[n] = '\0';
	return (int)n;
}

/*
 * RFC 3442 §3: each route is <width 0..32> <significant octets of the
 * destination: ceil(width/8)> <router, 4 octets>.  Bits of the destination
 * beyond the width must be ignored, so they are masked off here.
 */
int dhcp_parse_classless(const uint8_t *p, size_t len, struct net_route *out, size_t max)
{
	size_t off = 0, n = 0;

	if (len == 0)
		return -EBADMSG;
	while (off < len) {
		uint8_t width = p[off++];
		size_t sig;
		uint8_t dst[4] = { 0, 0, 0, 0 };
		uint32_t mask;

		if (width > 32)
			return -EBADMSG;
		sig = (width + 7u) / 8u;
		if (len - off < sig + 4)
			return -EBADMSG;
		memcpy(dst, p + off, sig);
		off += sig;
		if (n < max) {
			mask = width ? htonl(0xffffffffu << (32 - width)) : 0;
			memcpy(&out[n].dst.s_addr, dst, 4);
			out[n].dst.s_addr &= mask;
			out[n].prefix = width;
			out[n].gw = dhcp_addr_at(p + off);
			n++;
		}
		off += 4;
	}
	return (int)n;
}

int dhcp_parse_search(const uint8_t *p, size_t len, char out[][NET_NAME_MAX], size_t max)
{
	size_t pos = 0, n = 0;
	char name[NET_NAME_MAX];

	while (pos < len) {
		int r = dns_name_read(p, len, &pos, name, sizeof(name));

		if (r < 0)
			return r;
		if (n < max)
			memcpy(out[n++], name, sizeof(name));
	}
	return (int)n;
}
