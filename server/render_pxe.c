/* SPDX-License-Identifier: MIT */
/*
 * PXE: pxelinux.cfg files and iPXE scripts.
 *
 * pxelinux looks for, in order (syslinux doc/pxelinux.txt): the UUID,
 * "01-" + the MAC in lowercase hex with dashes (01 = ARP type Ethernet),
 * the IP address in uppercase hex, then that hex string shortened one digit
 * at a time, then "default".  We write one file per node's MAC and, when
 * pxe-default-image is set, one for the site network's hex prefix.
 * iPXE gets boot.ipxe, which chains "${mac:hexhyp}.ipxe", one per node.
 */
#include "export.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

static const char *base_name(const char *p)
{
	const char *s = strrchr(p, '/');

	return s ? s + 1 : p;
}

static void pxelinux_entry(struct buf *b, const struct node *n, const char *what)
{
	buf_printf(b, "# netinit: %s; " EXPORT_MARK "; do not edit\n", what);
	buf_printf(b, "DEFAULT netinit\nPROMPT 0\nTIMEOUT 0\n\nLABEL netinit\n"
		      "  KERNEL %s\n  INITRD %s\n  APPEND %s\n"
		      "  # BOOTIF=01-<mac> of the booting NIC, for init's choice of interface\n"
		      "  IPAPPEND 2\n",
		   n->set.kernel, n->set.initrd, n->cmdline);
}

int render_pxelinux(const struct model *m, struct outset *os)
{
	const char *dir = m->site.out_path[OUT_PXELINUX];
	char path[4200], mac[18], what[128], ip[16];
	size_t i;

	for (i = 0; i < m->nnodes; i++) {
		const struct node *n = &m->nodes[i];
		struct output *o;

		mac_format(n->mac, '-', mac);
		snprintf(path, sizeof(path), "%s/01-%s", dir, mac);
		o = out_new(os, OUT_PXELINUX, path, 0644, CHECK_NONE);
		if (!o)
			return -ENOMEM;
		o->is_dir_owned = true;
		ex_fmt_ip(n->ip, ip);
		snprintf(what, sizeof(what), "node %s (%s)", n->name, ip);
		pxelinux_entry(&o->data, n, what);
		if (o->data.oom)
			return -ENOMEM;
	}
	if (m->site.pxe_default && m->site.mask.s_addr) {
		/* Hex of the network address, one digit per whole 4 bits of prefix. */
		uint32_t net = ntohl(m->site.net.s_addr);
		unsigned digits = m->site.prefix / 4;
		char hex[9], netip[16];
		struct output *o;

		snprintf(hex, sizeof(hex), "%08X", net);
		hex[digits ? digits : 1] = '\0';
		snprintf(path, sizeof(path), "%s/%s", dir, hex);
		o = out_new(os, OUT_PXELINUX, path, 0644, CHECK_NONE);
		if (!o)
			return -ENOMEM;
		o->is_dir_owned = true;
		ex_fmt_ip(m->site.net, netip);
		snprintf(what, sizeof(what), "any other host in %s/%u, image %s", netip, m->site.prefix,
			 m->site.pxe_default_image);
		pxelinux_entry(&o->data, m->site.pxe_default, what);
		if (o->data.oom)
			return -ENOMEM;
	}
	return 0;
}

static void ipxe_entry(struct buf *b, const struct model *m, const struct node *n, const char *what,
		       const char *bootif)
{
	const char *url = m->site.boot_url;
	const char *sep = url[strlen(url) - 1] == '/' ? "" : "/";

	buf_printf(b, "#!ipxe\n# netinit: %s; " EXPORT_MARK "; do not edit\n", what);
	buf_printf(b, "kernel %s%s%s initrd=%s %s%s%s\n", url, sep, n->set.kernel, base_name(n->set.initrd),
		   n->cmdline, bootif ? " BOOTIF=01-" : "", bootif ? bootif : "");
	buf_printf(b, "initrd %s%s%s\nboot\n", url, sep, n->set.initrd);
}

int render_ipxe(const struct model *m, struct outset *os)
{
	const char *dir = m->site.out_path[OUT_IPXE];
	char path[4200], mac[18], what[128], ip[16];
	struct output *o;
	size_t i;

	snprintf(path, sizeof(path), "%s/boot.ipxe", dir);
	o = out_new(os, OUT_IPXE, path, 0644, CHECK_NONE);
	if (!o)
		return -ENOMEM;
	o->is_dir_owned = true;
	buf_printf(&o->data, "#!ipxe\n# netinit: " EXPORT_MARK "; do not edit\n"
			     "# Chain here from DHCP (filename \"%s/ipxe/boot.ipxe\" for iPXE clients);\n"
			     "# each node's script is named after its MAC.\n"
			     "chain --autofree ${mac:hexhyp}.ipxe || %s\n",
		   m->site.boot_url, m->site.pxe_default ? "chain --autofree default.ipxe" : "shell");
	for (i = 0; i < m->nnodes; i++) {
		const struct node *n = &m->nodes[i];

		mac_format(n->mac, '-', mac);
		snprintf(path, sizeof(path), "%s/%s.ipxe", dir, mac);
		o = out_new(os, OUT_IPXE, path, 0644, CHECK_NONE);
		if (!o)
			return -ENOMEM;
		o->is_dir_owned = true;
		ex_fmt_ip(n->ip, ip);
		snprintf(what, sizeof(what), "node %s (%s)", n->name, ip);
		ipxe_entry(&o->data, m, n, what, mac);
		if (o->data.oom)
			return -ENOMEM;
	}
	if (m->site.pxe_default) {
		snprintf(path, sizeof(path), "%s/default.ipxe", dir);
		o = out_new(os, OUT_IPXE, path, 0644, CHECK_NONE);
		if (!o)
			return -ENOMEM;
		o->is_dir_owned = true;
		snprintf(what, sizeof(what), "any other host, image %s", m->site.pxe_default_image);
		ipxe_entry(&o->data, m, m->site.pxe_default, what, NULL);
	}
	return 0;
}
