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
	buf_printf(b, "# %zu nodes.\n", m->nnodes);
	for (i = 0; i < m->nnodes; i++) {
		const struct node *n = &m->nodes[i];

		ex_fmt_mac(n->mac, ':', mac);
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

int render_dnsmasq(const struct model *m, struct outset *os)
{
	struct output *o = out_new(os, OUT_DNSMASQ, m->site.out_path[OUT_DNSMASQ], 0644, CHECK_DNSMASQ);
	const char *boot[64];
	size_t nboot = 0, i;
	struct buf *b;
	char srv[16], mac[18], ip[16], rp[1100];

	if (!o)
		return -ENOMEM;
	b = &o->data;
	ex_fmt_ip(m->site.server, srv);
	buf_printf(b, HEADER_FMT, "#");
	buf_printf(b, "# dnsmasq reads it from /etc/dnsmasq.d/ or with conf-file=%s\n", m->site.out_path[OUT_DNSMASQ]);
	if (m->site.dnsmasq_tftp)
		buf_printf(b, "enable-tftp\ntftp-root=%s\n", m->site.tftp_root);

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

		ex_fmt_mac(n->mac, ':', mac);
		ex_fmt_ip(n->ip, ip);
		buf_printf(b, "dhcp-host=%s,set:netinit-boot%zu,set:netinit-image-%s,%s,%s\n", mac,
			   intern(boot, &nboot, n->set.bootfile), n->image->name, ip, n->name);
	}
	return b->oom ? -ENOMEM : 0;
}

int render_kea(const struct model *m, struct outset *os)
{
	struct output *o = out_new(os, OUT_KEA, m->site.out_path[OUT_KEA], 0644, CHECK_KEA);
	struct buf *b;
	char srv[16], mac[18], ip[16], rp[1100];
	size_t i;

	if (!o)
		return -ENOMEM;
	b = &o->data;
	ex_fmt_ip(m->site.server, srv);
	/* Kea's parser takes '#' comments, also in included files. */
	buf_printf(b, HEADER_FMT, "#");
	buf_printf(b, "# Include it in kea-dhcp4.conf as a subnet's (or the global) reservations:\n"
		      "#   \"reservations\": <?include \"%s\"?>\n[", m->site.out_path[OUT_KEA]);
	for (i = 0; i < m->nnodes; i++) {
		const struct node *n = &m->nodes[i];

		ex_fmt_mac(n->mac, ':', mac);
		ex_fmt_ip(n->ip, ip);
		buf_printf(b, "%s\n  {\n    \"hw-address\": \"%s\",\n    \"ip-address\": \"%s\",\n    \"hostname\": ",
			   i ? "," : "", mac, ip);
		json_str(b, n->name);
		buf_printf(b, ",\n    \"next-server\": \"%s\",\n    \"boot-file-name\": ", srv);
		json_str(b, n->set.bootfile);
		if (n->image->root == RK_NFS) {
			root_path(m, n->image, rp, sizeof(rp));
			buf_puts(b, ",\n    \"option-data\": [ { \"name\": \"root-path\", \"data\": ");
			json_str(b, rp);
			buf_puts(b, " } ]");
		}
		buf_puts(b, "\n  }");
	}
	buf_puts(b, "\n]\n");
	return b->oom ? -ENOMEM : 0;
}
