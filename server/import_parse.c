/* SPDX-License-Identifier: MIT */
/*
 * import: the readers of the host lists a site already has.
 *   hosts    "name ip mac" per line (the cluster recipes' node lists)
 *   ethers   "mac name-or-ip" (ethers(5)), the other half from a hosts(5) file
 *   dhcpd    host declarations of dhcpd.conf(5): hardware ethernet,
 *            fixed-address, option host-name or the declaration's name
 *   dnsmasq  dhcp-host= lines (dnsmasq(8)): MAC, address, name; tags skipped
 * Each reader adds entries and reports every line it does not take, with
 * its line number; nothing here writes.
 */
#include "export.h"
#include "model_priv.h"
#include "import.h"
#include "cmdline.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void imp_skip(struct import *im, unsigned line, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	im->skipped++;
	fprintf(stderr, "netinit-export: %s:%u: not taken: %s\n", im->file, line, msg);
}

/* Validate and append one host; false (and a report) when it is not usable. */
bool imp_add(struct import *im, unsigned line, const char *name, const char *ip, const char *mac)
{
	struct imp_entry *e;

	if (!name || !hostname_valid(name) || strlen(name) >= sizeof(e->name)) {
		imp_skip(im, line, "\"%.80s\" is not a host name (RFC 1123)", name ? name : "");
		return false;
	}
	if (im->n == im->cap) {
		size_t cap = im->cap ? im->cap * 2 : 256;
		void *p = realloc(im->e, cap * sizeof(*im->e));

		if (!p) {
			imp_skip(im, line, "out of memory");
			return false;
		}
		im->e = p;
		im->cap = cap;
	}
	e = &im->e[im->n];
	memset(e, 0, sizeof(*e));
	if (!mac || mac_parse(mac, 0, e->mac) < 0) {
		imp_skip(im, line, "%s: \"%.80s\" is not a MAC address", name, mac ? mac : "(none)");
		return false;
	}
	if (!ip || !ex_parse_ip(ip, &e->ip)) {
		imp_skip(im, line, "%s: \"%.80s\" is not an IPv4 address", name, ip ? ip : "(none)");
		return false;
	}
	snprintf(e->name, sizeof(e->name), "%s", name);
	e->line = line;
	im->n++;
	return true;
}

/* Split a line into at most max words at blanks; '#' starts a comment. */
static int words(char *s, char **w, int max)
{
	int n = 0;
	char *hash = strchr(s, '#');

	if (hash)
		*hash = '\0';
	while (*s) {
		while (*s && isspace((unsigned char)*s))
			s++;
		if (!*s)
			break;
		if (n == max)
			return max + 1;
		w[n++] = s;
		while (*s && !isspace((unsigned char)*s))
			s++;
		if (*s)
			*s++ = '\0';
	}
	return n;
}

/* The next line of *cur, NUL-terminated in place (NULL at the end); counts lines. */
static char *next_line(char **cur, unsigned *no)
{
	char *line = *cur, *nl;

	if (!line || !*line)
		return NULL;
	nl = strchr(line, '\n');
	if (nl)
		*nl++ = '\0';
	*cur = nl;
	(*no)++;
	return line;
}

static bool is_mac(const char *s)
{
	uint8_t m[6];

	return mac_parse(s, 0, m) == 0;
}

static bool is_ip(const char *s)
{
	struct in_addr a;

	return ex_parse_ip(s, &a);
}

/* "name ip mac", in any order of ip and mac after the name. */
void imp_read_hosts(struct import *im, char *text)
{
	unsigned no = 0;
	char *w[4], *line;

	while ((line = next_line(&text, &no))) {
		int n = words(line, w, 3);

		if (n == 0)
			continue;
		if (n != 3) {
			imp_skip(im, no, "want \"name ip mac\", got %d field%s", n > 3 ? 4 : n, n == 1 ? "" : "s");
			continue;
		}
		if (is_mac(w[1]) && is_ip(w[2]))
			imp_add(im, no, w[0], w[2], w[1]);
		else
			imp_add(im, no, w[0], w[1], w[2]);
	}
}

/* hosts(5): the address and the names of each line, for ethers lookups. */
static const char *hosts_lookup(char *hosts, const char *key, bool want_ip)
{
	static char found[256];
	char *copy = strdup(hosts), *cur = copy, *w[16], *line;
	unsigned no = 0;
	const char *res = NULL;

	if (!copy)
		return NULL;
	while ((line = next_line(&cur, &no))) {
		int n = words(line, w, 15), i;

		if (n < 2 || n > 15 || !is_ip(w[0]))
			continue;
		if (want_ip) {
			for (i = 1; i < n; i++)
				if (!strcasecmp(w[i], key))
					break;
			if (i < n) {
				snprintf(found, sizeof(found), "%s", w[0]);
				res = found;
				break;
			}
		} else if (!strcmp(w[0], key)) {
			snprintf(found, sizeof(found), "%s", w[1]);
			res = found;
			break;
		}
	}
	free(copy);
	return res;
}

void imp_read_ethers(struct import *im, char *text, char *hosts)
{
	unsigned no = 0;
	char *w[3], *line;

	while ((line = next_line(&text, &no))) {
		int n = words(line, w, 2);
		char name[256];
		const char *ip;

		if (n == 0)
			continue;
		if (n != 2) {
			imp_skip(im, no, "want \"mac name\" (ethers(5)), got %d field%s", n, n == 1 ? "" : "s");
			continue;
		}
		if (is_ip(w[1])) {
			const char *nm = hosts ? hosts_lookup(hosts, w[1], false) : NULL;

			if (!nm) {
				imp_skip(im, no, "%s: no name for it in the hosts file", w[1]);
				continue;
			}
			snprintf(name, sizeof(name), "%s", nm);
			ip = w[1];
		} else {
			snprintf(name, sizeof(name), "%s", w[1]);
			ip = hosts ? hosts_lookup(hosts, w[1], true) : NULL;
			if (!ip) {
				imp_skip(im, no, "%s: no address for it in the hosts file", w[1]);
				continue;
			}
		}
		/* Short names: the node name is the first label. */
		if (strchr(name, '.'))
			*strchr(name, '.') = '\0';
		imp_add(im, no, name, ip, w[0]);
	}
}

/* A lease time of dhcp-host=: digits with an optional unit (dnsmasq(8)). */
static bool is_lease(const char *f)
{
	size_t n = strspn(f, "0123456789");

	return (n && (!f[n] || (strchr("smhdw", f[n]) && !f[n + 1]))) || !strcmp(f, "infinite");
}

/* dnsmasq: dhcp-host=[mac][,set:tag][,tag:x][,id:..][,ip][,name][,lease] */
void imp_read_dnsmasq(struct import *im, char *text)
{
	unsigned no = 0;
	char *line;

	while ((line = next_line(&text, &no))) {
		char *s = line, *save = NULL, *f;
		const char *mac = NULL, *ip = NULL, *name = NULL;

		while (isspace((unsigned char)*s))
			s++;
		if (!*s || *s == '#')
			continue;
		if (strncmp(s, "dhcp-host=", 10)) {
			imp_skip(im, no, "\"%.*s\" is not a dhcp-host= line", (int)strcspn(s, "= \t\r"), s);
			continue;
		}
		for (f = strtok_r(s + 10, ",", &save); f; f = strtok_r(NULL, ",", &save)) {
			while (isspace((unsigned char)*f))
				f++;
			f[strcspn(f, " \t\r")] = '\0';
			if (!strncmp(f, "set:", 4) || !strncmp(f, "tag:", 4) || !strncmp(f, "id:", 3) ||
			    !strcmp(f, "ignore"))
				continue;
			if (is_ip(f))
				ip = ip ? ip : f;
			else if (is_mac(f))
				mac = mac ? mac : f;
			else if (!is_lease(f))
				name = name ? name : f;
		}
		if (!mac || !ip || !name) {
			imp_skip(im, no, "dhcp-host= without %s", !mac ? "a MAC address" : !ip ? "an IPv4 address" : "a name");
			continue;
		}
		imp_add(im, no, name, ip, mac);
	}
}

/* ---- dhcpd.conf: a tokenizer and the host declarations ---- */
struct dtok {
	const char *p;    /* cursor */
	unsigned line;
	char tok[256];
	unsigned tokline; /* line of the last token */
	unsigned stline;  /* line of the first token of the last statement */
};

/* Next token: a word, a "string" (unquoted), or one of { } ;  — 0 at the end. */
static int dtok_next(struct dtok *t)
{
	size_t n = 0;

	for (;;) {
		while (*t->p && isspace((unsigned char)*t->p))
			t->line += *t->p++ == '\n';
		if (*t->p != '#')
			break;
		while (*t->p && *t->p != '\n')
			t->p++;
	}
	t->tokline = t->line;
	if (!*t->p)
		return 0;
	if (strchr("{};", *t->p)) {
		t->tok[0] = *t->p++;
		t->tok[1] = '\0';
		return t->tok[0];
	}
	if (*t->p == '"') {
		for (t->p++; *t->p && *t->p != '"'; t->p++) {
			if (*t->p == '\\' && t->p[1])
				t->p++;
			t->line += *t->p == '\n';
			if (n + 1 < sizeof(t->tok))
				t->tok[n++] = *t->p;
		}
		if (*t->p)
			t->p++;
		t->tok[n] = '\0';
		return 's';
	}
	while (*t->p && !isspace((unsigned char)*t->p) && !strchr("{};#\"", *t->p)) {
		if (n + 1 < sizeof(t->tok))
			t->tok[n++] = *t->p;
		t->p++;
	}
	t->tok[n] = '\0';
	return 'w';
}

/* Skip to the end of the current statement or block (depth-aware). */
static void dtok_skip(struct dtok *t, int c)
{
	int depth = 0;

	while (c) {
		if (c == '{')
			depth++;
		else if (c == '}' && --depth <= 0)
			return;
		else if (c == ';' && depth == 0)
			return;
		c = dtok_next(t);
	}
}

/* The words of one statement up to ';' (kept in w[], at most 4). */
static int dtok_statement(struct dtok *t, char w[4][256], int *nw)
{
	int c;

	*nw = 0;
	t->stline = 0;
	while ((c = dtok_next(t)) && c != ';' && c != '{' && c != '}') {
		if (!t->stline)
			t->stline = t->tokline;
		if (*nw < 4)
			snprintf(w[(*nw)++], 256, "%s", t->tok);
	}
	return c;
}

static void dhcpd_host(struct import *im, struct dtok *t, const char *decl, unsigned line)
{
	char w[4][256], mac[64] = "", ip[64] = "", name[256];
	int nw, c;

	snprintf(name, sizeof(name), "%s", decl);
	for (;;) {
		c = dtok_statement(t, w, &nw);
		if (c == '}' || c == 0)
			break;
		if (c == '{') { /* no blocks inside a host */
			imp_skip(im, t->stline, "host %s: a block inside a host declaration", decl);
			dtok_skip(t, c);
			continue;
		}
		if (nw == 0)
			continue;
		if (nw == 3 && !strcmp(w[0], "hardware") && !strcmp(w[1], "ethernet"))
			snprintf(mac, sizeof(mac), "%.63s", w[2]);
		else if (nw >= 2 && !strcmp(w[0], "fixed-address"))
			snprintf(ip, sizeof(ip), "%.*s", (int)strcspn(w[1], ","), w[1]);
		else if (nw == 3 && !strcmp(w[0], "option") && !strcmp(w[1], "host-name"))
			snprintf(name, sizeof(name), "%s", w[2]);
		else
			imp_skip(im, t->stline, "host %s: \"%s%s%s\" is not imported (netinit-export renders it from [site] and the image)",
				 decl, w[0], nw > 1 ? " " : "", nw > 1 ? w[1] : "");
	}
	imp_add(im, line, name, ip[0] ? ip : NULL, mac[0] ? mac : NULL);
}

void imp_read_dhcpd(struct import *im, char *text)
{
	struct dtok t = { .p = text, .line = 1 };
	char w[4][256];
	int nw, c, depth = 0;

	for (;;) {
		c = dtok_statement(&t, w, &nw);
		if (c == 0)
			break;
		if (c == '}') {
			depth -= depth > 0;
			continue;
		}
		if (c == '{' && nw == 2 && !strcmp(w[0], "host")) {
			dhcpd_host(im, &t, w[1], t.stline);
			continue;
		}
		if (c == '{' && nw >= 1 && (!strcmp(w[0], "group") || !strcmp(w[0], "subnet") ||
					    !strcmp(w[0], "shared-network"))) {
			depth++; /* hosts may be declared inside: look in */
			if (strcmp(w[0], "group"))
				imp_skip(im, t.stline, "\"%s %s\" declaration (set network = in [site])", w[0], nw > 1 ? w[1] : "");
			continue;
		}
		if (nw)
			imp_skip(im, t.stline, "\"%s%s%s\" is not a host declaration", w[0], nw > 1 ? " " : "", nw > 1 ? w[1] : "");
		if (c == '{')
			dtok_skip(&t, c);
	}
}
