/* SPDX-License-Identifier: MIT */
/*
 * Value validators and parsers of the drop-ins: each value is checked
 * against the formats it will be written into (dhcpd, dnsmasq, Kea,
 * pxelinux, iPXE, exports), so a renderer never has to escape.
 */
#include "export.h"
#include "model_priv.h"
#include "cmdline.h"
#include "log.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---- value validators ---- */
bool ex_in_set(char ch, const char *extra)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
	       (ch && strchr(extra, ch));
}

/* File paths: written into dhcpd/Kea strings, pxelinux KERNEL lines, exports
 * and ganesha Path = "..." lines: no space, quote, ';', '{', '*', '(' or '#'. */
bool ex_path_ok(const char *s)
{
	const char *p;

	if (!*s || strlen(s) > 1024)
		return false;
	for (p = s; *p; p++)
		if (!ex_in_set(*p, "._+-/@~"))
			return false;
	/* No ".." component: names never escape their folders. */
	for (p = s; (p = strstr(p, "..")); p += 2) {
		bool start = p == s || p[-1] == '/', end = p[2] == '\0' || p[2] == '/';

		if (start && end)
			return false;
	}
	return true;
}

bool ex_url_ok(const char *s)
{
	const char *p;

	if (strncmp(s, "http://", 7) && strncmp(s, "https://", 8) && strncmp(s, "tftp://", 7))
		return false;
	if (strlen(s) > CMDLINE_MAX_URL - 1)
		return false;
	for (p = s; *p; p++)
		if (!ex_in_set(*p, "._+-/@~:%"))
			return false;
	return true;
}

bool ex_word_ok(const char *s)
{
	if (!*s || strlen(s) > 63)
		return false;
	for (; *s; s++)
		if (!ex_in_set(*s, "._+~-"))
			return false;
	return true;
}

/* NFS mount options for nfsroot=: "vers=3,proto=tcp" (nfs(5)); one word of
 * letters, digits and "=,._-", as it is pasted into the command line. */
bool ex_nfs_options_ok(const char *s)
{
	if (!*s || strlen(s) > 200 || *s == ',')
		return false;
	for (; *s; s++)
		if (!ex_in_set(*s, "=,._-"))
			return false;
	return true;
}

/* Command lines go verbatim into pxelinux APPEND and iPXE "kernel" lines:
 * printable ASCII only, and no '$' (iPXE would expand "${...}"). */
bool ex_cmdline_ok(const char *s, char *bad)
{
	for (; *s; s++) {
		unsigned char ch = (unsigned char)*s;

		if (ch < 0x20 || ch >= 0x7f || ch == '$' || ch == '\\') {
			if (bad)
				*bad = (char)ch;
			return false;
		}
	}
	return true;
}

void ex_fmt_ip(struct in_addr a, char out[16])
{
	uint32_t h = ntohl(a.s_addr);

	snprintf(out, 16, "%u.%u.%u.%u", h >> 24, (h >> 16) & 255, (h >> 8) & 255, h & 255);
}

/* Strict dotted quad (inet_pton's rules: no leading zeros, 4 parts). */
bool ex_parse_ip(const char *s, struct in_addr *a)
{
	return inet_pton(AF_INET, s, a) == 1;
}

bool ex_parse_uint(const char *s, unsigned long max, unsigned long *out)
{
	char *end;
	unsigned long v;

	if (*s < '0' || *s > '9')
		return false;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || *end || v > max)
		return false;
	*out = v;
	return true;
}

bool ex_parse_bool(const char *s, bool *out)
{
	if (!strcmp(s, "yes") || !strcmp(s, "true") || !strcmp(s, "on") || !strcmp(s, "1"))
		*out = true;
	else if (!strcmp(s, "no") || !strcmp(s, "false") || !strcmp(s, "off") || !strcmp(s, "0"))
		*out = false;
	else
		return false;
	return true;
}


/* ---- settings ---- */
int ex_parse_writable(const char *v, enum writable_mode *out)
{
	if (!strcmp(v, "volatile"))
		*out = WR_VOLATILE;
	else if (!strcmp(v, "persistent"))
		*out = WR_PERSISTENT;
	else if (!strcmp(v, "none"))
		*out = WR_NONE;
	else
		return -EINVAL;
	return 0;
}

const char *ex_writable_name(enum writable_mode w)
{
	return w == WR_PERSISTENT ? "persistent" : w == WR_NONE ? "none" : "volatile";
}

/* kernel/initrd/bootfile/writable of one section (or merged image sections). */
