/* SPDX-License-Identifier: MIT */
/*
 * DHCP: ISC dhcpd host stanzas, dnsmasq dhcp-host/dhcp-boot lines and Kea
 * DHCPv4 reservations, for the same nodes.
 *
 * Values reaching here passed the model's validators (host names by
 * hostname_valid(), paths and URLs by a charset without quotes, ';', '{',
 * ',' or spaces).  The string writers below still escape what their format
 * would read as syntax, so a validator bug cannot become a config injection.
 */
#include "export.h"
#include "log.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#define HEADER_FMT "%s netinit: " EXPORT_MARK "; do not edit (change the drop-ins and run netinit-export render)\n"

/* dhcpd string: "..." with '"' and '\' escaped (dhcpd's conflex.c reads \-escapes). */
static void dhcpd_str(struct buf *b, const char *s)
{
	buf_puts(b, "\"");
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			buf_add(b, "\\", 1);
		if ((unsigned char)*s >= 0x20 && *s != 0x7f)
			buf_add(b, s, 1);
	}
	buf_puts(b, "\"");
}

/* JSON string (RFC 8259 section 7). */
static void json_str(struct buf *b, const char *s)
{
	buf_puts(b, "\"");
	for (; *s; s++) {
		unsigned char ch = (unsigned char)*s;

		if (ch == '"' || ch == '\\')
			buf_printf(b, "\\%c", ch);
		else if (ch < 0x20 || ch == 0x7f)
			buf_printf(b, "\\u%04x", ch);
		else
			buf_add(b, s, 1);
	}
	buf_puts(b, "\"");
}

/* dnsmasq splits its values at ','; nothing we write may contain one. */
static bool dnsmasq_ok(const char *s)
{
	for (; *s; s++)
		if (*s == ',' || *s == '"' || *s == '#' || (unsigned char)*s < 0x21 || *s == 0x7f)
			return false;
	return true;
}

static void root_path(const struct model *m, const struct image *im, char *out, size_t len)
{
	char srv[16];

	ex_fmt_ip(m->site.server, srv);
	snprintf(out, len, "%s:%s", srv, im->path);
}

/* A list of addresses joined by sep ("a, b" for dhcpd, "a,b" for dnsmasq). */
static void addrs(struct buf *b, const struct in_addr *a, unsigned n, const char *sep)
{
	char ip[16];
	unsigned i;

	for (i = 0; i < n; i++) {
		ex_fmt_ip(a[i], ip);
		buf_printf(b, "%s%s", i ? sep : "", ip);
	}
}

/* ---- ISC dhcpd (dhcpd.conf(5), dhcp-options(5)) ---- */
static void dhcpd_opts(struct buf *b, const struct netopts *no, const char *ind)
{
	unsigned i;

	if (no->given & NO_GATEWAY) {
		buf_printf(b, "%soption routers ", ind);
		addrs(b, &no->gateway, 1, "");
		buf_puts(b, ";\n");
	}
	if (no->given & NO_DNS) {
		buf_printf(b, "%soption domain-name-servers ", ind);
		addrs(b, no->dns, no->ndns, ", ");
		buf_puts(b, ";\n");
	}
	if (no->given & NO_DOMAIN) {
		buf_printf(b, "%soption domain-name ", ind);
		dhcpd_str(b, no->domain);
		buf_puts(b, ";\n");
	}
	if (no->given & NO_SEARCH) {
		buf_printf(b, "%soption domain-search ", ind);
		for (i = 0; i < no->nsearch; i++) {
			buf_puts(b, i ? ", " : "");
			dhcpd_str(b, no->search[i]);
		}
		buf_puts(b, ";\n");
	}
	if (no->given & NO_NTP) {
		buf_printf(b, "%soption ntp-servers ", ind);
		addrs(b, no->ntp, no->nntp, ", ");
		buf_puts(b, ";\n");
	}
	if (no->given & NO_LOG) {
		buf_printf(b, "%soption log-servers ", ind);
		addrs(b, no->logsrv, no->nlog, ", ");
		buf_puts(b, ";\n");
	}
	if (no->given & NO_MTU)
		buf_printf(b, "%soption interface-mtu %u;\n", ind, no->mtu);
}

/* The subnet declaration: dhcpd answers only on networks it has one for. */
static void dhcpd_subnet(struct buf *b, const struct model *m)
{
	const struct site *s = &m->site;
	char net[16], mask[16], a[16], z[16];

	ex_fmt_ip(s->net, net);
	ex_fmt_ip(s->mask, mask);
	buf_printf(b, "\nsubnet %s netmask %s {\n\tauthoritative;\n", net, mask);
	dhcpd_opts(b, &s->opts, "\t");
	if (s->lease_time)
		buf_printf(b, "\tdefault-lease-time %u;\n\tmax-lease-time %u;\n", s->lease_time, s->lease_time);
	if (s->dyn_first.s_addr) {
		ex_fmt_ip(s->dyn_first, a);
		ex_fmt_ip(s->dyn_last, z);
		buf_printf(b, "\trange %s %s;\n", a, z);
	}
	buf_puts(b, "}\n");
}

int render_dhcpd(const struct model *m, struct outset *os)
{
	struct output *o = out_new(os, OUT_DHCPD, m->site.out_path[OUT_DHCPD], 0644, CHECK_DHCPD);
	struct buf *b;
	char srv[16], mac[18], ip[16], rp[1100];
	size_t i;

	if (!o)
		return -ENOMEM;
	b = &o->data;
	ex_fmt_ip(m->site.server, srv);
	buf_printf(b, HEADER_FMT, "#");
	buf_printf(b, "# Include it from dhcpd.conf:  include \"%s\";\n", m->site.out_path[OUT_DHCPD]);
	if (m->site.mask.s_addr)
		dhcpd_subnet(b, m);
	/* Each host sends its name as option 12, as use-host-decl-names would. */
	buf_printf(b, "# %zu nodes.\n", m->nnodes);
	for (i = 0; i < m->nnodes; i++) {
		const struct node *n = &m->nodes[i];

		mac_format(n->mac, ':', mac);
		ex_fmt_ip(n->ip, ip);
		buf_printf(b, "\nhost %s {\n\thardware ethernet %s;\n\tfixed-address %s;\n", n->name, mac, ip);
		buf_puts(b, "\toption host-name ");
		dhcpd_str(b, n->name);
		buf_printf(b, ";\n\tnext-server %s;\n\tfilename ", srv);
		dhcpd_str(b, n->set.bootfile);
		buf_puts(b, ";\n");
		if (n->image->root == RK_NFS) {
			root_path(m, n->image, rp, sizeof(rp));
			buf_puts(b, "\toption root-path ");
			dhcpd_str(b, rp);
			buf_puts(b, ";\n");
		}
		if (n->net != &m->site.opts)
			dhcpd_opts(b, n->net, "\t");
		buf_puts(b, "}\n");
	}
	return b->oom ? -ENOMEM : 0;
}

/* Index of s in the list (appending it when new). */
static size_t intern(const char **list, size_t *n, const char *s)
{
	size_t i;

	for (i = 0; i < *n; i++)
		if (strcmp(list[i], s) == 0)
			return i;
	list[*n] = s;
	return (*n)++;
}

/* ---- dnsmasq (dnsmasq(8)) ---- */
static void dnsmasq_opts(struct buf *b, const char *tag, unsigned tagn, const struct netopts *no)
{
	static const struct { unsigned bit; const char *name; } names[] = {
		{ NO_GATEWAY, "router" }, { NO_DNS, "dns-server" }, { NO_DOMAIN, "domain-name" },
		{ NO_SEARCH, "domain-search" }, { NO_NTP, "ntp-server" }, { NO_LOG, "log-server" },
		{ NO_MTU, "mtu" },
	};
	size_t k;
	unsigned i;

	for (k = 0; k < sizeof(names) / sizeof(*names); k++) {
		if (!(no->given & names[k].bit))
			continue;
		buf_puts(b, "dhcp-option=");
		if (tag)
			buf_printf(b, "tag:%s%u,", tag, tagn);
		buf_printf(b, "option:%s,", names[k].name);
		switch (names[k].bit) {
		case NO_GATEWAY: addrs(b, &no->gateway, 1, ""); break;
		case NO_DNS: addrs(b, no->dns, no->ndns, ","); break;
		case NO_DOMAIN: buf_puts(b, no->domain); break;
		case NO_NTP: addrs(b, no->ntp, no->nntp, ","); break;
		case NO_LOG: addrs(b, no->logsrv, no->nlog, ","); break;
		case NO_MTU: buf_printf(b, "%u", no->mtu); break;
		default:
			for (i = 0; i < no->nsearch; i++)
				buf_printf(b, "%s%s", i ? "," : "", no->search[i]);
		}
		buf_puts(b, "\n");
	}
}

/* The cluster network: "static" = leases only for the dhcp-host lines. */
static void dnsmasq_ranges(struct buf *b, const struct site *s)
{
	char net[16], mask[16], a[16], z[16], lease[24] = "";

	if (s->lease_time)
		snprintf(lease, sizeof(lease), ",%u", s->lease_time);
	ex_fmt_ip(s->net, net);
	ex_fmt_ip(s->mask, mask);
	buf_printf(b, "dhcp-range=%s,static,%s%s\n", net, mask, lease);
	if (s->dyn_first.s_addr) {
		ex_fmt_ip(s->dyn_first, a);
		ex_fmt_ip(s->dyn_last, z);
		buf_printf(b, "dhcp-range=%s,%s,%s%s\n", a, z, mask, lease);
	}
}

/* Nodes with their own network options: one tag per distinct set. */
static int dnsmasq_node_nets(struct buf *b, const struct model *m, const struct netopts **nets, size_t *nnets)
{
	char mac[18];
	size_t i, k;

	for (i = 0; i < m->nnodes; i++) {
		const struct node *n = &m->nodes[i];

		if (n->net == &m->site.opts)
			continue;
		for (k = 0; k < *nnets && nets[k] != n->net; k++)
			;
		if (k == *nnets) {
			if (k == 256) {
				nl_err(EXPORT_STAGE, "dnsmasq: more than 256 groups/nodes with their own network options");
				return -E2BIG;
			}
			nets[(*nnets)++] = n->net;
			dnsmasq_opts(b, "netinit-net", (unsigned)k, n->net);
		}
		mac_format(n->mac, ':', mac);
		buf_printf(b, "dhcp-mac=set:netinit-net%zu,%s\n", k, mac);
	}
	return 0;
}

int render_dnsmasq(const struct model *m, struct outset *os)
{
	struct output *o = out_new(os, OUT_DNSMASQ, m->site.out_path[OUT_DNSMASQ], 0644, CHECK_DNSMASQ);
	const char *boot[64];
	static const struct netopts *nets[256];
	size_t nboot = 0, nnets = 0, i;
	struct buf *b;
	char srv[16], mac[18], ip[16], rp[1100];
	int r;

	if (!o)
		return -ENOMEM;
	b = &o->data;
	ex_fmt_ip(m->site.server, srv);
	buf_printf(b, HEADER_FMT, "#");
	buf_printf(b, "# dnsmasq reads it from /etc/dnsmasq.d/ or with conf-file=%s\n", m->site.out_path[OUT_DNSMASQ]);
	if (m->site.dnsmasq_tftp)
		buf_printf(b, "enable-tftp\ntftp-root=%s\n", m->site.tftp_root);
	if (m->site.mask.s_addr)
		dnsmasq_ranges(b, &m->site);
	dnsmasq_opts(b, NULL, 0, &m->site.opts);
	if ((r = dnsmasq_node_nets(b, m, nets, &nnets)) < 0)
		return r;
	/* Tags: "netinit-boot<N>" per distinct boot file, "netinit-image-<name>" per image. */
	for (i = 0; i < m->nnodes; i++) {
		if (nboot == sizeof(boot) / sizeof(*boot))
			break;
		intern(boot, &nboot, m->nodes[i].set.bootfile);
	}
	if (nboot == sizeof(boot) / sizeof(*boot)) {
		nl_err(EXPORT_STAGE, "dnsmasq: more than %zu different boot files; use fewer bootfile = values",
		       sizeof(boot) / sizeof(*boot) - 1);
		return -E2BIG;
	}
	for (i = 0; i < nboot; i++) {
		if (!dnsmasq_ok(boot[i]))
			return -EINVAL;
		buf_printf(b, "dhcp-boot=tag:netinit-boot%zu,%s,,%s\n", i, boot[i], srv);
	}
	for (i = 0; i < m->nimages; i++) {
		const struct image *im = &m->images[i];

		if (im->root != RK_NFS)
			continue;
		root_path(m, im, rp, sizeof(rp));
		if (!dnsmasq_ok(rp) || !dnsmasq_ok(im->name))
			return -EINVAL;
		buf_printf(b, "dhcp-option=tag:netinit-image-%s,option:root-path,%s\n", im->name, rp);
	}
	buf_printf(b, "# %zu nodes.\n", m->nnodes);
	for (i = 0; i < m->nnodes; i++) {
		const struct node *n = &m->nodes[i];

		mac_format(n->mac, ':', mac);
		ex_fmt_ip(n->ip, ip);
		buf_printf(b, "dhcp-host=%s,set:netinit-boot%zu,set:netinit-image-%s,%s,%s\n", mac,
			   intern(boot, &nboot, n->set.bootfile), n->image->name, ip, n->name);
	}
	return b->oom ? -ENOMEM : 0;
}

/* ---- Kea (the Kea ARM, "DHCPv4 server": subnet4, reservations, option-data) ---- */
static void kea_opt(struct buf *b, bool *first, const char *name, const char *data)
{
	buf_printf(b, "%s{ \"name\": \"%s\", \"data\": ", *first ? "" : ", ", name);
	json_str(b, data);
	buf_puts(b, " }");
	*first = false;
}

/* "option-data": [ ... ] with the network options and root-path (may be NULL). */
static void kea_opts(struct buf *b, const struct netopts *no, const char *rootpath, const char *ind)
{
	struct buf v = { 0 };
	bool first = true;
	unsigned i;

	if (!no->given && !rootpath)
		return;
	buf_printf(b, ",\n%s\"option-data\": [ ", ind);
#define KOPT(bit, name, fill) \
	if (no->given & (bit)) { v.len = 0; fill; buf_add(&v, "", 0); kea_opt(b, &first, name, v.p ? v.p : ""); }
	KOPT(NO_GATEWAY, "routers", addrs(&v, &no->gateway, 1, ""));
	KOPT(NO_DNS, "domain-name-servers", addrs(&v, no->dns, no->ndns, ", "));
	KOPT(NO_DOMAIN, "domain-name", buf_puts(&v, no->domain));
	KOPT(NO_SEARCH, "domain-search",
	     for (i = 0; i < no->nsearch; i++) buf_printf(&v, "%s%s", i ? ", " : "", no->search[i]));
	KOPT(NO_NTP, "ntp-servers", addrs(&v, no->ntp, no->nntp, ", "));
	KOPT(NO_LOG, "log-servers", addrs(&v, no->logsrv, no->nlog, ", "));
	KOPT(NO_MTU, "interface-mtu", buf_printf(&v, "%u", no->mtu));
#undef KOPT
	if (rootpath)
		kea_opt(b, &first, "root-path", rootpath);
	buf_puts(b, " ]");
	buf_free(&v);
}

static void kea_reservations(struct buf *b, const struct model *m, const char *ind)
{
	static const struct netopts none;
	char srv[16], mac[18], ip[16], rp[1100], in2[32];
	size_t i;

	ex_fmt_ip(m->site.server, srv);
	snprintf(in2, sizeof(in2), "%s    ", ind);
	buf_puts(b, "[");
	for (i = 0; i < m->nnodes; i++) {
		const struct node *n = &m->nodes[i];

		mac_format(n->mac, ':', mac);
		ex_fmt_ip(n->ip, ip);
		buf_printf(b, "%s\n%s  {\n%s\"hw-address\": \"%s\",\n%s\"ip-address\": \"%s\",\n%s\"hostname\": ",
			   i ? "," : "", ind, in2, mac, in2, ip, in2);
		json_str(b, n->name);
		buf_printf(b, ",\n%s\"next-server\": \"%s\",\n%s\"boot-file-name\": ", in2, srv, in2);
		json_str(b, n->set.bootfile);
		if (n->image->root == RK_NFS)
			root_path(m, n->image, rp, sizeof(rp));
		kea_opts(b, n->net == &m->site.opts ? &none : n->net, n->image->root == RK_NFS ? rp : NULL, in2);
		buf_printf(b, "\n%s  }", ind);
	}
	buf_printf(b, "\n%s]", ind);
}

/* One subnet4 entry: the network, its options, the pool and the reservations. */
static void kea_subnet(struct buf *b, const struct model *m, const char *ind)
{
	const struct site *s = &m->site;
	char net[16], a[16], z[16];

	ex_fmt_ip(s->net, net);
	buf_printf(b, "%s{\n%s  \"id\": 1,\n%s  \"subnet\": \"%s/%u\"", ind, ind, ind, net, s->prefix);
	if (s->lease_time)
		buf_printf(b, ",\n%s  \"valid-lifetime\": %u", ind, s->lease_time);
	if (s->dyn_first.s_addr) {
		ex_fmt_ip(s->dyn_first, a);
		ex_fmt_ip(s->dyn_last, z);
		buf_printf(b, ",\n%s  \"pools\": [ { \"pool\": \"%s - %s\" } ]", ind, a, z);
	}
	{
		char in2[32];

		snprintf(in2, sizeof(in2), "%s  ", ind);
		kea_opts(b, &s->opts, NULL, in2);
		buf_printf(b, ",\n%s\"reservations\": ", in2);
		kea_reservations(b, m, in2);
	}
	buf_printf(b, "\n%s}", ind);
}

int render_kea(const struct model *m, struct outset *os)
{
	struct output *o = out_new(os, OUT_KEA, m->site.out_path[OUT_KEA], 0644, CHECK_KEA);
	const char *path = m->site.out_path[OUT_KEA];
	struct buf *b;

	if (!o)
		return -ENOMEM;
	b = &o->data;
	/* Kea's parser takes '#' comments, also in included files. */
	buf_printf(b, HEADER_FMT, "#");
	switch (m->site.kea) {
	case KEA_RESERVATIONS:
		buf_printf(b, "# Include it in kea-dhcp4.conf as a subnet's (or the global) reservations:\n"
			      "#   \"reservations\": <?include \"%s\"?>\n", path);
		kea_reservations(b, m, "");
		break;
	case KEA_SUBNET:
		buf_printf(b, "# Include it in kea-dhcp4.conf as the subnet of the cluster network:\n"
			      "#   \"subnet4\": [ <?include \"%s\"?> ]\n", path);
		kea_subnet(b, m, "");
		break;
	case KEA_FULL:
		/* A whole kea-dhcp4.conf: "kea-dhcp4 -c" it as it is. */
		o->replaces_foreign = true;
		buf_puts(b, "# The whole DHCPv4 configuration (kea = full in netinit.conf).\n"
			    "{\n\"Dhcp4\": {\n  \"interfaces-config\": { \"interfaces\": [ \"*\" ] },\n"
			    "  \"lease-database\": { \"type\": \"memfile\", \"lfc-interval\": 3600 },\n"
			    "  \"subnet4\": [\n");
		kea_subnet(b, m, "    ");
		buf_puts(b, "\n  ]\n}\n}");
		break;
	}
	buf_puts(b, "\n");
	return b->oom ? -ENOMEM : 0;
}
