/* SPDX-License-Identifier: MIT */
/*
 * Small helpers shared by the net module: address formatting, masks, and
 * the validation rules for values that come off the network
 * (doc/network.md, "Untrusted values").
 */
#include "net.h"
#include "netutil.h"
#include "cmdline.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

const char *net_ntoa(struct in_addr a, char *buf)
{
	if (!inet_ntop(AF_INET, &a, buf, INET_ADDRSTRLEN))
		strcpy(buf, "?");
	return buf;
}

int net_mask_to_prefix(struct in_addr mask)
{
	uint32_t m = ntohl(mask.s_addr);
	int p = 0;

	while (p < 32 && (m & 0x80000000u)) {
		m <<= 1;
		p++;
	}
	return m ? -1 : p;
}

struct in_addr net_prefix_to_mask(unsigned prefix)
{
	struct in_addr a;

	a.s_addr = prefix == 0 ? 0 : htonl(0xffffffffu << (32 - (prefix > 32 ? 32 : prefix)));
	return a;
}

/* RFC 791 classes, the kernel's ipconfig fallback when no mask is given. */
unsigned net_classful_prefix(struct in_addr a)
{
	uint32_t h = ntohl(a.s_addr);

	if ((h & 0x80000000u) == 0)
		return 8;
	if ((h & 0xc0000000u) == 0x80000000u)
		return 16;
	return 24;
}

/* Domain names (options 12, 15, 119, 66): the host name rule of
 * cmdline.h (RFC 1123 LDH labels, 63 a label, 253 in all). */
bool net_domain_valid(const char *name)
{
	return name && name[0] && hostname_valid(name);
}

/*
 * root-path (option 17) and bootfile (option 67 / file): 1..254 bytes of
 * printable ASCII from the set  A-Z a-z 0-9 . _ - ~ / : @ % + , = [ ]
 * (enough for "server:/path,opts", "nfs:...", URLs without query strings,
 * IPv6 literals).  Refused: spaces, controls, NUL, quotes, backslash and
 * the shell metacharacters ; & | $ ` < > ( ) * ? { } ! # and a ".."
 * path segment.  A value that fails is dropped (never "cleaned") and logged.
 */
bool net_path_valid(const char *path)
{
	static const char extra[] = "._-~/:@%+,=[]";
	size_t i, n;

	if (!path)
		return false;
	n = strlen(path);
	if (n == 0 || n >= NET_PATH_MAX - 1)
		return false;
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)path[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || strchr(extra, c)))
			return false;
		/* ".." as a whole segment: between '/', ':', ',' or the ends */
		if (c == '.' && i + 1 < n && path[i + 1] == '.' &&
		    (i == 0 || strchr("/:,=", path[i - 1])) &&
		    (i + 2 == n || strchr("/:,", path[i + 2])))
			return false;
	}
	return true;
}

/* Make untrusted bytes printable for a log line: \xNN for anything that
 * is not graphic ASCII, cut at 80 bytes. */
const char *net_escape(const void *data, size_t len, char *buf, size_t size)
{
	const unsigned char *p = data;
	size_t i, o = 0;

	for (i = 0; i < len && i < 80 && o + 5 < size; i++) {
		if (p[i] > 0x20 && p[i] < 0x7f && p[i] != '\\')
			buf[o++] = (char)p[i];
		else
			o += (size_t)snprintf(buf + o, size - o, "\\x%02x", p[i]);
	}
	if (i < len && o + 4 < size) {
		memcpy(buf + o, "...", 3);
		o += 3;
	}
	buf[o < size ? o : size - 1] = '\0';
	return buf;
}
