/* SPDX-License-Identifier: MIT */
/*
 * netinit-export import --from hosts|ethers|dhcpd|dnsmasq FILE [-o OUT]
 *
 * The hosts a site already lists become one nodes.d drop-in.  Consecutive
 * hosts whose names count up (s0, s1, ... or blade01, blade02, ...) with
 * consecutive addresses become one [group]: MACs that count up too as
 * mac-start =, others as a mac = list.  Every other host is a [node].
 * Every line not taken is reported on stderr with its line number.
 * Exit codes: 0 all taken, 4 written but some lines not taken, 1 nothing
 * written (unreadable input, no hosts, duplicates, cannot write), 2 usage.
 */
#include "export.h"
#include "model_priv.h"
#include "import.h"
#include "log.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

/* Name = prefix, a number, suffix (the last run of digits). */
struct nparts {
	size_t pre;        /* length of the prefix */
	unsigned long num;
	unsigned width;    /* 0 = no leading zeros */
	const char *post;
};

static bool name_parts(const char *name, struct nparts *np)
{
	const char *p = name + strlen(name), *end;

	while (p > name && (p[-1] < '0' || p[-1] > '9'))
		p--;
	end = p;
	while (p > name && p[-1] >= '0' && p[-1] <= '9')
		p--;
	if (p == end || end - p > 9)
		return false;
	np->pre = (size_t)(p - name);
	np->num = strtoul(p, NULL, 10);
	np->width = (*p == '0' && end - p > 1) ? (unsigned)(end - p) : 0;
	np->post = end;
	return true;
}

static uint64_t mac48(const uint8_t m[6])
{
	uint64_t v = 0;
	int i;

	for (i = 0; i < 6; i++)
		v = v << 8 | m[i];
	return v;
}

/* Does b follow a in a run started at first (same pattern, next number, next IP)? */
static bool follows(const struct imp_entry *first, const struct nparts *fp, const struct imp_entry *a,
		    const struct imp_entry *b, size_t k)
{
	struct nparts bp;
	char want[80];

	if (!name_parts(b->name, &bp) || bp.pre != fp->pre || strncmp(b->name, first->name, fp->pre) ||
	    strcmp(bp.post, fp->post) || bp.num != fp->num + k)
		return false;
	/* The pattern must give back the very name (widths, leading zeros). */
	snprintf(want, sizeof(want), "%.*s%0*lu%s", (int)fp->pre, first->name, (int)fp->width, bp.num, fp->post);
	return !strcmp(want, b->name) && ntohl(b->ip.s_addr) == ntohl(a->ip.s_addr) + 1;
}

static size_t run_length(const struct import *im, size_t i)
{
	struct nparts fp;
	size_t k = 1;

	if (!name_parts(im->e[i].name, &fp))
		return 1;
	while (i + k < im->n && follows(&im->e[i], &fp, &im->e[i + k - 1], &im->e[i + k], k))
		k++;
	return k;
}

/* A group name from the prefix ("blade" of blade01), unique in this file. */
struct gnames {
	char name[256][80];
	size_t n;
};

static bool gname_taken(const struct gnames *g, const char *s)
{
	size_t i;

	for (i = 0; i < g->n; i++)
		if (!strcmp(g->name[i], s))
			return true;
	return false;
}

static void group_name(const struct imp_entry *e, const struct nparts *np, char *out, size_t len,
		       struct gnames *g)
{
	size_t n = np->pre;
	unsigned seq = 1;

	while (n && (e->name[n - 1] == '-' || e->name[n - 1] == '.' || e->name[n - 1] == '_'))
		n--;
	snprintf(out, len, "%.*s", (int)n, n ? e->name : "nodes");
	while (gname_taken(g, out))
		snprintf(out, len, "%.*s-%u", (int)(n ? n : 5), n ? e->name : "nodes", ++seq);
	if (g->n < sizeof(g->name) / sizeof(*g->name))
		snprintf(g->name[g->n++], sizeof(g->name[0]), "%s", out);
}

static void write_group(struct buf *b, const struct import *im, size_t i, size_t k, struct gnames *g)
{
	const struct imp_entry *e = &im->e[i];
	struct nparts np;
	char gname[80], mac[18], a[16], z[16];
	bool macrun = true;
	size_t j;

	name_parts(e->name, &np);
	group_name(e, &np, gname, sizeof(gname), g);
	for (j = 1; j < k; j++)
		macrun &= mac48(im->e[i + j].mac) == mac48(e->mac) + j;
	ex_fmt_ip(e->ip, a);
	ex_fmt_ip(im->e[i + k - 1].ip, z);
	buf_printf(b, "\n# %s lines %u-%u\n[group %s]\nname = %.*s%%", im->file, e->line, im->e[i + k - 1].line,
		   gname, (int)np.pre, e->name);
	if (np.width)
		buf_printf(b, "0%u", np.width);
	buf_printf(b, "d%s\nstart = %lu\ncount = %zu\nip = %s-%s\n", np.post, np.num, k, a, z);
	mac_format(e->mac, ':', mac);
	if (macrun) {
		buf_printf(b, "mac-start = %s\n", mac);
		return;
	}
	for (j = 0; j < k; j++) {
		mac_format(im->e[i + j].mac, ':', mac);
		buf_printf(b, "%s%s", j % 4 ? ", " : j ? "\nmac = " : "mac = ", mac);
	}
	buf_puts(b, "\n");
}

static void write_node(struct buf *b, const struct import *im, const struct imp_entry *e)
{
	char mac[18], ip[16];

	mac_format(e->mac, ':', mac);
	ex_fmt_ip(e->ip, ip);
	buf_printf(b, "\n# %s line %u\n[node %s]\nmac = %s\nip = %s\n", im->file, e->line, e->name, mac, ip);
}

/* The same name, MAC or address twice: which one is meant is not ours to guess. */
static int check_dups(const struct import *im)
{
	size_t i, j;
	int bad = 0;

	for (i = 0; i < im->n; i++)
		for (j = 0; j < i; j++) {
			const struct imp_entry *a = &im->e[j], *b = &im->e[i];
			const char *what = !strcasecmp(a->name, b->name) ? "name" :
					   !memcmp(a->mac, b->mac, 6) ? "MAC" :
					   a->ip.s_addr == b->ip.s_addr ? "address" : NULL;

			if (what) {
				nl_err(EXPORT_STAGE, "%s:%u: %s: the same %s as %s on line %u", im->file, b->line,
				       b->name, what, a->name, a->line);
				bad++;
				break;
			}
		}
	return bad;
}

static int write_out(const char *out, const struct buf *b)
{
	int r;

	if (!out || !strcmp(out, "-")) {
		fwrite(b->p, 1, b->len, stdout);
		return fflush(stdout) == 0 ? 0 : -EIO;
	}
	r = out_write_atomic(out, b, 0644);
	if (r < 0)
		nl_err(EXPORT_STAGE, "%s: cannot write: %s", out, strerror(-r));
	return r;
}

static int render_dropin(const struct import *im, const char *from, struct buf *b)
{
	static struct gnames g;
	unsigned groups = 0, nodes = 0;
	size_t i, k;

	g.n = 0;

	buf_printf(b, "# Imported by: netinit-export import --from %s %s\n"
		      "# %zu hosts; review, then run: netinit-export check\n", from, im->file, im->n);
	for (i = 0; i < im->n; i += k) {
		k = run_length(im, i);
		if (k >= 2) {
			write_group(b, im, i, k, &g);
			groups++;
		} else {
			write_node(b, im, &im->e[i]);
			nodes++;
		}
	}
	/* On stderr: stdout may be the drop-in itself. */
	if (log_get_level() >= NL_INFO)
		fprintf(stderr, "netinit-export: %s: %zu hosts as %u group%s and %u node%s; %u line%s not taken\n",
			im->file, im->n, groups, groups == 1 ? "" : "s", nodes, nodes == 1 ? "" : "s", im->skipped,
			im->skipped == 1 ? "" : "s");
	return b->oom ? -ENOMEM : 0;
}

static char *slurp(const char *path)
{
	struct buf b = { 0 };
	int r = out_load_file(&b, path);

	if (r == 0 && b.len && memchr(b.p, '\0', b.len))
		r = -EINVAL; /* a binary file is no host list */
	if (r < 0 || !b.p) {
		nl_err(EXPORT_STAGE, "%s: cannot read: %s", path, strerror(r < 0 ? -r : ENOMEM));
		buf_free(&b);
		return NULL;
	}
	return b.p;
}

int import_main(int argc, char **argv)
{
	static const struct option lopts[] = {
		{ "from", required_argument, NULL, 'f' }, { "output", required_argument, NULL, 'o' },
		{ "hosts", required_argument, NULL, 'H' }, { NULL, 0, NULL, 0 },
	};
	const char *from = NULL, *out = NULL, *hostsfile = "/etc/hosts";
	struct import im = { 0 };
	struct buf b = { 0 };
	char *text, *hosts = NULL;
	int opt, ret = 1;

	optind = 1;
	while ((opt = getopt_long(argc, argv, "f:o:H:", lopts, NULL)) != -1) {
		if (opt == 'f')
			from = optarg;
		else if (opt == 'o')
			out = optarg;
		else if (opt == 'H')
			hostsfile = optarg;
		else
			return 2;
	}
	if (!from || optind != argc - 1 || (strcmp(from, "hosts") && strcmp(from, "ethers") &&
					    strcmp(from, "dhcpd") && strcmp(from, "dnsmasq"))) {
		fprintf(stderr, "usage: netinit-export import --from hosts|ethers|dhcpd|dnsmasq FILE [-o OUT] [--hosts HOSTS]\n");
		return 2;
	}
	im.file = argv[optind];
	if (!(text = slurp(im.file)))
		return 1;
	if (!strcmp(from, "ethers") && !(hosts = slurp(hostsfile)))
		goto out;
	if (!strcmp(from, "hosts"))
		imp_read_hosts(&im, text);
	else if (!strcmp(from, "ethers"))
		imp_read_ethers(&im, text, hosts);
	else if (!strcmp(from, "dhcpd"))
		imp_read_dhcpd(&im, text);
	else
		imp_read_dnsmasq(&im, text);
	if (im.n == 0) {
		nl_err(EXPORT_STAGE, "%s: no hosts found; nothing was written", im.file);
	} else if (check_dups(&im)) {
		nl_err(EXPORT_STAGE, "%s: duplicates (above); nothing was written", im.file);
	} else if (render_dropin(&im, from, &b) == 0 && write_out(out, &b) == 0) {
		ret = im.skipped ? 4 : 0;
	}
out:
	buf_free(&b);
	free(text);
	free(hosts);
	free(im.e);
	return ret;
}
