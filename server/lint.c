/* SPDX-License-Identifier: MIT */
/*
 * Each node's full kernel command line, the per-node address checks, and
 * the lint of that line by init's own parser (cmdline_parse), so a line
 * init would refuse is refused before any node boots it.
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

/* ---- the full command line, and its lint by init's own parser ---- */
struct lint_ctx {
	struct model *m;
	const struct node *n;
	int errors;
};

static void lint_report(void *ctx, enum cmdline_severity sev, const char *param, const char *msg)
{
	struct lint_ctx *lc = ctx;

	if (sev == CMDLINE_ERROR) {
		model_err(lc->m, &lc->n->loc, "node %s: kernel command line: %s: %s", lc->n->name, param, msg);
		lc->errors++;
	} else {
		lc->m->warnings++;
		nl_warn(EXPORT_STAGE, "%s:%u: node %s: kernel command line: %s: %s", lc->n->loc.file,
			lc->n->loc.line, lc->n->name, param, msg);
	}
}

static const char *build_cmdline(struct model *m, const struct node *n)
{
	const struct image *im = n->image;
	char srv[16];
	struct buf b = { 0 };
	const char *res;

	ex_fmt_ip(m->site.server, srv);
	if (im->root == RK_NFS)
		buf_printf(&b, "root=/dev/nfs nfsroot=%s:%s%s%s ro", srv, im->path,
			   im->nfs_options ? "," : "", im->nfs_options ? im->nfs_options : "");
	else
		buf_printf(&b, "root=%s", im->url);
	buf_printf(&b, " ip=dhcp netinit.writable=%s", ex_writable_name(n->set.writable));
	if (m->site.writable_dirs)
		buf_printf(&b, " netinit.writable.dirs=%s", m->site.writable_dirs);
	if (n->set.writable == WR_PERSISTENT) /* the node's directory: <nodes-dir>/<name> */
		buf_printf(&b, " netinit.writable.base=%s:%s", srv, m->site.nodes_dir);
	if (m->site.cmdline)
		buf_printf(&b, " %s", m->site.cmdline);
	if (im->cmdline)
		buf_printf(&b, " %s", im->cmdline);
	if (n->extra)
		buf_printf(&b, " %s", n->extra);
	if (n->extra2)
		buf_printf(&b, " %s", n->extra2);
	buf_add(&b, "", 1);
	res = b.oom ? NULL : model_printf(m, "%s", b.p);
	buf_free(&b);
	return res;
}

void model_nodes_finish(struct model *m)
{
	struct cmdline *cl = m->lint_cmdline ? malloc(sizeof(*cl)) : NULL;
	const char *last_linted = NULL;
	size_t i;

	for (i = 0; i < m->nnodes; i++) {
		struct node *n = &m->nodes[i];
		char ip[16];

		if (!n->image)
			continue;
		model_settings_inherit(&n->set, &n->image->set);
		model_settings_inherit(&n->set, &m->site.set);
		if (m->site.mask.s_addr && n->has_ip) {
			uint32_t host = n->ip.s_addr & ~m->site.mask.s_addr;

			ex_fmt_ip(n->ip, ip);
			if ((n->ip.s_addr & m->site.mask.s_addr) != m->site.net.s_addr)
				model_err(m, &n->ip_loc, "node %s: IP %s is outside network = %s/%u", n->name, ip,
				     inet_ntoa(m->site.net), m->site.prefix);
			else if (m->site.prefix < 31 && (host == 0 || host == ~m->site.mask.s_addr))
				model_err(m, &n->ip_loc, "node %s: IP %s is the network or broadcast address", n->name, ip);
		}
		if (n->has_ip && m->site.has_server && n->ip.s_addr == m->site.server.s_addr) {
			ex_fmt_ip(n->ip, ip);
			model_err(m, &n->ip_loc, "node %s: IP %s is the boot server's own address (server =)", n->name, ip);
		}
		if (n->has_mac && (n->mac[0] & 1))
			model_err(m, &n->mac_loc, "node %s: MAC is a multicast address (first octet odd)", n->name);
		n->cmdline = build_cmdline(m, n);
		if (!n->cmdline) {
			m->errors++;
			continue;
		}
		if (strlen(n->cmdline) >= CMDLINE_MAX) {
			model_err(m, &n->loc, "node %s: kernel command line is %zu bytes, the kernel takes %d",
			     n->name, strlen(n->cmdline), CMDLINE_MAX - 1);
			continue;
		}
		/* Lint with init's own parser; group members share a line: lint it once. */
		if (cl && (!last_linted || strcmp(last_linted, n->cmdline))) {
			struct lint_ctx lc = { m, n, 0 };

			cmdline_parse(n->cmdline, cl, lint_report, &lc);
			last_linted = n->cmdline;
		}
	}
	/* The per-subnet default entry: a node without name, MAC or IP. */
	if (m->site.pxe_default_image) {
		struct node *d = (struct node *)model_alloc(m, sizeof(*d));

		if (d) {
			memset(d, 0, sizeof(*d));
			snprintf(d->name, sizeof(d->name), "(pxe-default-image)");
			d->loc = m->site.loc;
			d->image = model_image(m, m->site.pxe_default_image);
			d->net = &m->site.opts;
			model_settings_inherit(&d->set, &d->image->set);
			model_settings_inherit(&d->set, &m->site.set);
			d->cmdline = build_cmdline(m, d);
			if (d->cmdline && cl) {
				struct lint_ctx lc = { m, d, 0 };

				cmdline_parse(d->cmdline, cl, lint_report, &lc);
			}
			m->site.pxe_default = d->cmdline ? d : NULL;
		}
	}
	free(cl);
}

