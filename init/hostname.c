/* SPDX-License-Identifier: MIT */
/* The node's name; see hostname.h. */
#include "hostname.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "util.h"
#include "validate.h"

const char *hostname_source_name(enum host_source s)
{
	switch (s) {
	case HOST_SRC_DHCP: return "DHCP option 12";
	case HOST_SRC_IP: return "ip= field 5";
	case HOST_SRC_MAC: return "the MAC address";
	default: return "none";
	}
}

/* What a refused name looked like, safe for a log line. */
static void shown(const char *s, char *out, size_t size)
{
	size_t i;

	for (i = 0; s[i] && i + 1 < size; i++)
		out[i] = s[i] > 0x20 && s[i] < 0x7f ? s[i] : '?';
	out[i] = '\0';
}

/* One candidate: lower-cased, checked, split into key and FQDN. */
static bool take(const char *name, const char *domain, struct node_name *out)
{
	char low[254];
	size_t i, n = strlen(name), dot;

	if (n == 0 || n >= sizeof(low))
		return false;
	for (i = 0; i <= n; i++)
		low[i] = name[i] >= 'A' && name[i] <= 'Z' ? (char)(name[i] - 'A' + 'a') : name[i];
	if (!hostname_valid(low))
		return false;
	dot = strcspn(low, ".");
	if (dot >= sizeof(out->key))
		return false;
	memcpy(out->key, low, dot);
	out->key[dot] = '\0';
	if (low[dot] || !domain || !domain[0] || !hostname_valid(domain) ||
	    snprintf(out->fqdn, sizeof(out->fqdn), "%s.%s", low, domain) >= (int)sizeof(out->fqdn))
		strscpy_ok(out->fqdn, low, sizeof(out->fqdn));
	/* the domain's case too: the FQDN is lower case as a whole */
	for (i = 0; out->fqdn[i]; i++)
		if (out->fqdn[i] >= 'A' && out->fqdn[i] <= 'Z')
			out->fqdn[i] = (char)(out->fqdn[i] - 'A' + 'a');
	return true;
}

int hostname_choose(const char *dhcp, const char *ipname, const uint8_t *mac,
		    const char *domain, struct node_name *out, hostname_refused_fn refused,
		    void *ctx)
{
	const char *cand[2] = { dhcp, ipname };
	char show[80], macname[24];

	memset(out, 0, sizeof(*out));
	for (size_t i = 0; i < ARRAY_SIZE(cand); i++) {
		if (!cand[i] || !cand[i][0])
			continue;
		if (take(cand[i], domain, out)) {
			out->source = i == 0 ? HOST_SRC_DHCP : HOST_SRC_IP;
			return 0;
		}
		if (refused) {
			shown(cand[i], show, sizeof(show));
			refused(ctx, hostname_source_name(i == 0 ? HOST_SRC_DHCP : HOST_SRC_IP), show);
		}
	}
	if (!mac)
		return -ENOENT;
	snprintf(macname, sizeof(macname), "node-%02x%02x%02x%02x%02x%02x", mac[0], mac[1], mac[2],
		 mac[3], mac[4], mac[5]);
	if (!take(macname, domain, out))
		return -ENOENT;
	out->source = HOST_SRC_MAC;
	return 0;
}

int hostname_hosts_line(const struct node_name *n, struct in_addr addr, char *out, size_t size)
{
	char a[INET_ADDRSTRLEN];
	int w;

	inet_ntop(AF_INET, &addr, a, sizeof(a));
	if (strcmp(n->fqdn, n->key))
		w = snprintf(out, size, "%s\t%s %s\n", a, n->fqdn, n->key);
	else
		w = snprintf(out, size, "%s\t%s\n", a, n->key);
	return w < 0 || (size_t)w >= size ? -ENAMETOOLONG : 0;
}

/* Does a hosts(5) line name key (as a whole word after the address)? */
static bool names_key(const char *text, const char *key)
{
	size_t k = strlen(key);

	for (const char *line = text; line && *line; line = strchr(line, '\n'), line = line ? line + 1 : NULL) {
		const char *end = strchr(line, '\n'), *p = line + strcspn(line, " \t\n");

		if (!end)
			end = line + strlen(line);
		if (*line == '#')
			continue;
		while (p < end) {
			p += strspn(p, " \t");
			size_t w = strcspn(p, " \t\n#");

			if (w == k && !strncmp(p, key, k))
				return true;
			if (p[w] == '#')
				break;
			p += w ? w : 1;
		}
	}
	return false;
}

int hostname_write_hosts(const char *newroot, const struct node_name *n, struct in_addr addr)
{
	static char text[65536];
	char path[4096], line[400];
	ssize_t len;
	int etc, r;

	snprintf(path, sizeof(path), "%s/etc", newroot);
	etc = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (etc < 0)
		return -errno;
	len = 0;
	{
		int fd = openat(etc, "hosts", O_RDONLY | O_NOFOLLOW | O_CLOEXEC);

		if (fd >= 0) {
			len = read(fd, text, sizeof(text) - 400);
			close(fd);
		}
		if (len < 0 || (fd < 0 && errno != ENOENT)) {
			r = fd < 0 ? -errno : -EIO;
			close(etc);
			return r;
		}
	}
	text[len] = '\0';
	if (names_key(text, n->key)) {
		close(etc);
		return 1;
	}
	if ((r = hostname_hosts_line(n, addr, line, sizeof(line))) == 0) {
		if (len && text[len - 1] != '\n')
			text[len++] = '\n';
		memcpy(text + len, line, strlen(line) + 1);
		r = write_file_at(etc, "hosts", text, strlen(text), 0644, WRITE_ATOMIC);
	}
	close(etc);
	return r;
}
