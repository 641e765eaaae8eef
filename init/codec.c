/* SPDX-License-Identifier: MIT */
#include "codec.h"

#include <errno.h>

static const char hex_digits[] = "0123456789abcdef";

int hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

void hex_encode(const uint8_t *in, size_t n, char *out)
{
	for (size_t i = 0; i < n; i++) {
		out[2 * i] = hex_digits[in[i] >> 4];
		out[2 * i + 1] = hex_digits[in[i] & 15];
	}
	out[2 * n] = '\0';
}

int hex_decode(const char *hex, size_t len, uint8_t *out, size_t n, bool lower_only)
{
	if (len != 2 * n)
		return -EINVAL;
	for (size_t i = 0; i < len; i++)
		if (hex_digit(hex[i]) < 0 || (lower_only && hex[i] >= 'A' && hex[i] <= 'F'))
			return -EINVAL;
	for (size_t i = 0; i < n; i++)
		out[i] = (uint8_t)(hex_digit(hex[2 * i]) << 4 | hex_digit(hex[2 * i + 1]));
	return 0;
}

static int b64_value(char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}

/* RFC 4648 section 4; section 3.5: leftover bits must be zero. */
int base64_decode(const char *s, size_t len, uint8_t *out, size_t max, bool need_pad)
{
	size_t o = 0, data = len;
	uint32_t acc = 0;
	int bits = 0;

	while (data > 0 && s[data - 1] == '=')
		data--;
	if (len - data > 2 || (len != data && len % 4) || (need_pad && len % 4))
		return -EINVAL;
	for (size_t i = 0; i < data; i++) {
		int d = b64_value(s[i]);

		if (d < 0)
			return -EINVAL;
		acc = acc << 6 | (uint32_t)d;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			if (o >= max)
				return -EINVAL;
			out[o++] = (uint8_t)(acc >> bits);
		}
	}
	if (bits >= 6 || (acc & ((1u << bits) - 1)))
		return -EINVAL; /* a lone sextet, or non-zero leftover bits */
	return (int)o;
}

int mac_parse(const char *s, char sep, uint8_t mac[6])
{
	char used = sep;

	for (int i = 0; i < 6; i++) {
		int hi = hex_digit(s[0]), lo = hi < 0 ? -1 : hex_digit(s[1]);

		if (lo < 0)
			return -EINVAL;
		mac[i] = (uint8_t)(hi << 4 | lo);
		s += 2;
		if (i == 5)
			break;
		if (!used && (*s == ':' || *s == '-'))
			used = *s;
		if (!used || *s++ != used)
			return -EINVAL;
	}
	return *s ? -EINVAL : 0;
}

char *mac_format(const uint8_t mac[6], char sep, char out[18])
{
	for (int i = 0; i < 6; i++) {
		out[i * 3] = hex_digits[mac[i] >> 4];
		out[i * 3 + 1] = hex_digits[mac[i] & 15];
		out[i * 3 + 2] = i < 5 ? sep : '\0';
	}
	return out;
}

bool mac_is_zero(const uint8_t mac[6])
{
	return !(mac[0] | mac[1] | mac[2] | mac[3] | mac[4] | mac[5]);
}
