/* SPDX-License-Identifier: MIT */
/*
 * Validators shared by the command line parser, net/ (names from DHCP) and
 * netinit-export (drop-in files): the rules of doc/cmdline.md in one place.
 * Pure functions of their input: no I/O, no allocation.
 */
#include "validate.h"

#include "cmdline.h" /* CMDLINE_MAX_URL */
#include "util.h"    /* ARRAY_SIZE */

#include <arpa/inet.h>
#include <limits.h>
#include <string.h>

/* Printable ASCII, no space: what URLs, paths and options may contain. */
bool graph_only(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s <= 0x20 || (unsigned char)*s >= 0x7f)
			return false;
	return true;
}

/* Printable ASCII with spaces (labels may contain them once quoted). */
bool print_only(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || (unsigned char)*s >= 0x7f)
			return false;
	return true;
}

bool copy_str(char *dst, size_t size, const char *src)
{
	size_t n = strlen(src);

	if (n >= size)
		return false;
	memcpy(dst, src, n + 1);
	return true;
}

bool copy_mem(char *dst, size_t size, const char *src, size_t n)
{
	if (n >= size)
		return false;
	memcpy(dst, src, n);
	dst[n] = '\0';
	return true;
}

bool starts_with(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* Strict decimal: optional '-', digits only, within [min, max]. */
bool valid_int(const char *s, long min, long max, int *out)
{
	long long v = 0;
	bool neg = false;

	if (!s || !*s)
		return false;
	if (*s == '-') {
		neg = true;
		s++;
	}
	if (!*s)
		return false;
	for (; *s; s++) {
		if (!ch_digit(*s))
			return false;
		v = v * 10 + (*s - '0');
		if (v > (long long)INT_MAX + 1)
			return false;
	}
	if (neg)
		v = -v;
	if (v < min || v > max)
		return false;
	*out = (int)v;
	return true;
}

/* dracut's getargbool spellings; a bare flag (NULL) is true. */
bool valid_bool(const char *s, bool *out)
{
	static const char *const yes[] = { "1", "yes", "on", "true" };
	static const char *const no[] = { "0", "no", "off", "false" };
	size_t i;

	if (!s) {
		*out = true;
		return true;
	}
	for (i = 0; i < ARRAY_SIZE(yes); i++) {
		if (!strcmp(s, yes[i])) {
			*out = true;
			return true;
		}
		if (!strcmp(s, no[i])) {
			*out = false;
			return true;
		}
	}
	return false;
}

/* Dotted quad only (inet_pton is strict: no octal, no short forms). */
bool valid_ip4(const char *s, struct in_addr *out)
{
	return inet_pton(AF_INET, s, out) == 1;
}

bool valid_ip4_n(const char *s, size_t n, struct in_addr *out)
{
	char tmp[INET_ADDRSTRLEN];

	if (!copy_mem(tmp, sizeof(tmp), s, n))
		return false;
	return valid_ip4(tmp, out);
}

/* Linux dev_valid_name(): 1..15 bytes, not "." or "..", no '/', ':' or space. */
bool ifname_valid_n(const char *s, size_t n)
{
	size_t i;

	if (n == 0 || n >= 16)
		return false;
	if ((n == 1 && s[0] == '.') || (n == 2 && s[0] == '.' && s[1] == '.'))
		return false;
	for (i = 0; i < n; i++)
		if (s[i] == '/' || s[i] == ':' || (unsigned char)s[i] <= 0x20 ||
		    (unsigned char)s[i] >= 0x7f)
			return false;
	return true;
}

/* Module names as modprobe takes them: letters, digits, '_' and '-'. */
bool modname_valid_n(const char *s, size_t n)
{
	size_t i;

	if (n == 0 || n >= 64)
		return false;
	for (i = 0; i < n; i++)
		if (!ch_alnum(s[i]) && s[i] != '_' && s[i] != '-')
			return false;
	return true;
}

/* A writable directory: one simple path component, never "." or "..". */
bool dirname_valid_n(const char *s, size_t n)
{
	size_t i;

	if (n == 0 || n > 32)
		return false;
	if ((n == 1 && s[0] == '.') || (n == 2 && s[0] == '.' && s[1] == '.'))
		return false;
	for (i = 0; i < n; i++)
		if (!ch_alnum(s[i]) && s[i] != '_' && s[i] != '-' && s[i] != '.')
			return false;
	return true;
}

/* RFC 1123 section 2.1 (labels may start with a digit), RFC 1035 2.3.4 sizes. */
bool hostname_valid(const char *name)
{
	size_t total = 0, label = 0;
	const char *p;

	if (!name || !*name)
		return false;
	for (p = name; *p; p++, total++) {
		if (total >= 253)
			return false;
		if (*p == '.') {
			if (label == 0 || p[-1] == '-')
				return false;
			label = 0;
			continue;
		}
		if (!ch_alnum(*p) && *p != '-')
			return false;
		if (*p == '-' && label == 0)
			return false;
		if (++label > 63)
			return false;
	}
	return label > 0 && p[-1] != '-';
}

/* A host: IPv4 dotted quad (when it looks numeric) or an RFC 1123 name. */
bool host_valid_n(const char *s, size_t n)
{
	char tmp[254];
	struct in_addr a;
	size_t i;
	bool numeric = true;

	if (!copy_mem(tmp, sizeof(tmp), s, n))
		return false;
	for (i = 0; i < n; i++)
		if (!ch_digit(tmp[i]) && tmp[i] != '.')
			numeric = false;
	if (numeric)
		return valid_ip4(tmp, &a);
	return hostname_valid(tmp);
}

/*
 * Light URL syntax check: scheme, host (name or IPv4), optional port, no
 * space or control characters.  Returns NULL when fine, else what is wrong.
 */
const char *url_problem(const char *url)
{
	const char *p, *host, *end;
	int port;
	char num[8];

	if (strlen(url) >= CMDLINE_MAX_URL)
		return "URL too long (max 1023 bytes)";
	if (!graph_only(url))
		return "URL contains a space or control character";
	if (starts_with(url, "http://"))
		host = url + 7;
	else if (starts_with(url, "tftp://"))
		host = url + 7;
	else if (starts_with(url, "https://"))
		return "https:// is not supported yet; use http:// with netinit.sha256= "
		       "or a signed manifest";
	else if (strstr(url, "://"))
		return "unsupported URL scheme; expected http:// or tftp://";
	else
		return "not a URL; expected http://<host>[:<port>]/<path> or tftp://<host>/<path>";

	end = host + strcspn(host, "/?#");
	if (memchr(host, '@', (size_t)(end - host)))
		return "user names in URLs are not supported";
	if (*host == '[')
		return "IPv6 addresses are not supported; use an IPv4 address or a host name";
	p = memchr(host, ':', (size_t)(end - host));
	if (p) {
		if (!copy_mem(num, sizeof(num), p + 1, (size_t)(end - p - 1)) ||
		    !valid_int(num, 1, 65535, &port) || num[0] == '-')
			return "bad port; expected 1-65535";
	} else {
		p = end;
	}
	if (p == host)
		return "URL has no host";
	if (!host_valid_n(host, (size_t)(p - host)))
		return "bad host in URL; expected an IPv4 address or a host name";
	return NULL;
}
