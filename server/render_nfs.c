/* SPDX-License-Identifier: MIT */
/*
 * NFS: kernel nfsd exports.d entries and the same exports as nfs-ganesha
 * EXPORT blocks.
 *
 * The shared roots are read-only to the cluster network (or, without
 * network =, to the nodes using them); each persistent node directory is
 * read-write to that node's address only.  no_root_squash: a node's root
 * must own its /etc and /var; the shared root stays read-only anyway.
 * Paths come from the model's path charset (no spaces, quotes, '(', '*'),
 * so "*(rw,no_root_squash)" can never appear in a field as syntax.
 */
#include "export.h"
#include "log.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool nfs_path_ok(const char *s)
{
	for (; *s; s++)
		if (*s == ' ' || *s == '\t' || *s == '"' || *s == '(' || *s == '*' || *s == '#' ||
		    *s == ';' || *s == '{' || *s == '}' || (unsigned char)*s < 0x21)
			return false;
	return true;
}

/* Client list of an image's read-only export: the network, or its nodes. */
static void image_clients(const struct model *m, const struct image *im, struct buf *b,
			  const char *pre, const char *post, const char *sep)
{
	char ip[16];
	size_t i;
	bool first = true;

	if (m->site.mask.s_addr) {
		ex_fmt_ip(m->site.net, ip);
		buf_printf(b, "%s%s/%u%s", pre, ip, m->site.prefix, post);
		return;
	}
	for (i = 0; i < m->nnodes; i++) {
		if (m->nodes[i].image != im)
			continue;
		ex_fmt_ip(m->nodes[i].ip, ip);
		buf_printf(b, "%s%s%s%s", first ? "" : sep, pre, ip, post);
		first = false;
	}
}

static bool image_used(const struct model *m, const struct image *im)
{
	size_t i;

	if (m->site.mask.s_addr)
		return true;
	for (i = 0; i < m->nnodes; i++)
		if (m->nodes[i].image == im)
			return true;
	return false;
}

int render_exports(const struct model *m, struct outset *os)
{
	struct output *o = out_new(os, OUT_EXPORTS, m->site.out_path[OUT_EXPORTS], 0644, CHECK_NONE);
	struct buf *b;
	char ip[16], key[64];
	size_t i;

	if (!o)
		return -ENOMEM;
	b = &o->data;
	buf_puts(b, "# netinit: " EXPORT_MARK "; do not edit\n"
		    "# exports(5) format; apply with: exportfs -ra\n"
		    "# Shared roots: read-only to the cluster.\n");
	for (i = 0; i < m->nimages; i++) {
		const struct image *im = &m->images[i];

		if (im->root != RK_NFS || !image_used(m, im))
			continue;
		if (!nfs_path_ok(im->path))
			return -EINVAL;
		buf_printf(b, "%s", im->path);
		image_clients(m, im, b, " ", "(ro,no_subtree_check,no_root_squash)", "");
		buf_puts(b, "\n");
	}
	buf_puts(b, "# Per-node writable directories: read-write to that node's address only.\n");
	for (i = 0; i < m->nnodes; i++) {
		const struct node *n = &m->nodes[i];

		if (n->set.writable != WR_PERSISTENT)
			continue;
		if (!nfs_path_ok(m->site.nodes_dir))
			return -EINVAL;
		ex_fmt_ip(n->ip, ip);
		buf_printf(b, "%s/%s %s(rw,sync,no_subtree_check,no_root_squash)\n", m->site.nodes_dir,
			   node_dir_key(n, key), ip);
	}
	return b->oom ? -ENOMEM : 0;
}

/* Export_Id of a node's directory: stable while its IP stays the same. */
static unsigned node_export_id(const struct model *m, const struct node *n)
{
	uint32_t host = ntohl(n->ip.s_addr);

	host &= m->site.mask.s_addr ? ~ntohl(m->site.mask.s_addr) : 0xffffu;
	return m->site.node_export_base + host;
}

static void ganesha_export(struct buf *b, unsigned id, const char *path, const char *access)
{
	buf_printf(b, "\nEXPORT {\n\tExport_Id = %u;\n\tPath = \"%s\";\n\tPseudo = \"%s\";\n"
		      "\tProtocols = 3, 4;\n\tTransports = TCP;\n\tSecType = sys;\n"
		      "\tAccess_Type = None;\n\tSquash = No_Root_Squash;\n"
		      "\tFSAL {\n\t\tName = VFS;\n\t}\n\tCLIENT {\n\t\tAccess_Type = %s;\n",
		   id, path, path, access);
}

int render_ganesha(const struct model *m, struct outset *os)
{
	struct output *o = out_new(os, OUT_GANESHA, m->site.out_path[OUT_GANESHA], 0644, CHECK_NONE);
	unsigned char *used;
	struct buf *b;
	char ip[16], key[64];
	size_t i;
	int r = 0;

	if (!o)
		return -ENOMEM;
	used = calloc(65536, 1);
	if (!used)
		return -ENOMEM;
	b = &o->data;
	buf_printf(b, "# netinit: " EXPORT_MARK "; do not edit\n"
		      "# nfs-ganesha EXPORT blocks; include from ganesha.conf:  %%include \"%s\"\n"
		      "# Export_Id: images 1.., nodes node-export-id-base (%u) + host part of their IP.\n",
		   m->site.out_path[OUT_GANESHA], m->site.node_export_base);
	for (i = 0; i < m->nimages; i++) {
		const struct image *im = &m->images[i];

		if (im->root != RK_NFS || !image_used(m, im))
			continue;
		if (!nfs_path_ok(im->path)) {
			r = -EINVAL;
			break;
		}
		used[im->export_id] = 1;
		ganesha_export(b, im->export_id, im->path, "RO");
		buf_puts(b, "\t\tClients = ");
		image_clients(m, im, b, "", "", ", ");
		buf_puts(b, ";\n\t}\n}\n");
	}
	for (i = 0; i < m->nnodes && r == 0; i++) {
		const struct node *n = &m->nodes[i];
		char path[1200];
		unsigned id;

		if (n->set.writable != WR_PERSISTENT)
			continue;
		id = node_export_id(m, n);
		if (id > 65535 || used[id]) {
			nl_err(EXPORT_STAGE, "%s:%u: node %s: ganesha Export_Id %u is %s; set node-export-id-base "
			       "or network = so that base + host part of the IP is unique and below 65536",
			       n->loc.file, n->loc.line, n->name, id, id > 65535 ? "above 65535" : "already used");
			r = id > 65535 ? -ERANGE : -EEXIST;
			break;
		}
		used[id] = 1;
		ex_fmt_ip(n->ip, ip);
		snprintf(path, sizeof(path), "%s/%s", m->site.nodes_dir, node_dir_key(n, key));
		ganesha_export(b, id, path, "RW");
		buf_printf(b, "\t\tClients = %s;\n\t}\n}\n", ip);
	}
	free(used);
	if (r < 0)
		return r;
	return b->oom ? -ENOMEM : 0;
}
