/* SPDX-License-Identifier: MIT */
/*
 * plan_build(): the one place that decides where the root comes from
 * (see plan.h).  The rules, in the order they are applied:
 *  - root=/dev/..., LABEL=, UUID=, ...        -> local device;
 *  - root=http://, tftp://, live:<url>        -> image, with netinit.mirror=;
 *  - root=/dev/nfs + nfsroot=, root=nfs:, boot=nfs -> NFS, the location from
 *    the command line, else the DHCP root-path (option 17, RFC 2132 3.19);
 *  - root=dhcp: a root-path that is not a URL is an NFS location, otherwise
 *    the image URL is the root-path, or next-server + boot file over TFTP.
 * No I/O: host names are resolved, and %h/%m expanded, by the stages.
 */
#include "plan.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "codec.h"
#include "net.h"
#include "util.h"

/* How long the mount stage waits when rd.timeout= does not say (doc/cmdline.md). */
#define LOCAL_WAIT_DEFAULT 30 /* for the root device to appear */
#define NFS_WAIT_DEFAULT 60   /* retrying the NFS mount */

struct pctx {
	plan_report_fn report;
	void *ctx;
	int errors;
};

__attribute__((format(printf, 4, 5)))
static void note(struct pctx *c, enum cmdline_severity sev, const char *stage, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	if (sev == CMDLINE_ERROR)
		c->errors++;
	if (!c->report)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	c->report(c->ctx, sev, stage, msg);
}

#define PERR(c, stage, ...)  note(c, CMDLINE_ERROR, stage, __VA_ARGS__)
#define PWARN(c, stage, ...) note(c, CMDLINE_WARNING, stage, __VA_ARGS__)

const char *plan_root_name(enum plan_root r)
{
	switch (r) {
	case PLAN_ROOT_LOCAL: return "local";
	case PLAN_ROOT_NFS: return "nfs";
	case PLAN_ROOT_IMAGE: return "image";
	case PLAN_ROOT_DHCP: return "dhcp";
	default: return "none";
	}
}

/* ---- verification and writable layer: from the command line alone ---- */

static void plan_verify(const struct cmdline *cl, struct plan_verify *v)
{
	v->off = cl->verify_off;
	v->pin_invalid = cl->sha256_invalid;
	if (cl->sha256[0] && !cl->sha256_invalid)
		v->has_pin = hex_decode(cl->sha256, strlen(cl->sha256), v->pin, sizeof(v->pin),
					true) == 0;
	v->nkey = cl->nkey;
	memcpy(v->key, cl->key, cl->nkey * sizeof(cl->key[0]));
	strscpy_ok(v->key_invalid, cl->key_invalid, sizeof(v->key_invalid));
}

static void plan_hostdir(const struct cmdline *cl, struct plan_hostdir *h, struct pctx *c)
{
	const char *base = cl->writable_base, *colon = strchr(base, ':');
	static const char *const defaults[] = { "etc", "var", "tmp" };

	h->collision_fail = cl->collision_fail;
	h->wait_s = cl->timeout >= 0 ? cl->timeout : NFS_WAIT_DEFAULT;
	h->retry_s = cl->retry > 0 ? cl->retry : 0;
	h->ndirs = cl->nwritable_dirs ? cl->nwritable_dirs : ARRAY_SIZE(defaults);
	for (size_t i = 0; i < h->ndirs; i++)
		strscpy_ok(h->dirs[i], cl->nwritable_dirs ? cl->writable_dirs[i] : defaults[i],
			   sizeof(h->dirs[i]));
	if (!base[0]) {
		PERR(c, "mount", "netinit.writable=persistent needs netinit.writable.base=[<server>:]<dir> "
		     "(netinit-export renders it from nodes-dir)");
		return;
	}
	if (colon && (size_t)(colon - base) < sizeof(h->server)) {
		memcpy(h->server, base, (size_t)(colon - base));
		h->server[colon - base] = '\0';
	}
	strscpy_ok(h->path, colon ? colon + 1 : base, sizeof(h->path));
}

static void plan_writable(const struct cmdline *cl, struct plan_writable *w, struct pctx *c)
{
	w->mode = !strcmp(cl->writable, "none") ? PLAN_RW_NONE :
		  !strcmp(cl->writable, "persistent") ? PLAN_RW_PERSISTENT : PLAN_RW_VOLATILE;
	if (w->mode == PLAN_RW_PERSISTENT)
		plan_hostdir(cl, &w->hostdir, c);
	else if (cl->writable_base[0] || cl->nwritable_dirs || cl->collision_fail)
		PWARN(c, "mount", "netinit.writable.base=, .dirs= and .collision= are only used with "
		      "netinit.writable=persistent (this boot: %s)", cl->writable);
	for (w->nhostfiles = 0; w->nhostfiles < cl->nhostfiles; w->nhostfiles++)
		strscpy_ok(w->hostfiles[w->nhostfiles], cl->hostfiles[w->nhostfiles],
			   sizeof(w->hostfiles[0]));
	if (cl->nhostfiles && w->mode == PLAN_RW_NONE)
		PERR(c, "mount", "netinit.hostfiles= is unpacked over the volatile layer, and "
		     "netinit.writable=none has none");
	else if (cl->nhostfiles && w->mode == PLAN_RW_PERSISTENT)
		PWARN(c, "mount", "netinit.hostfiles=: with netinit.writable=persistent the per-host "
		      "files are unpacked only when the boot falls back to a volatile layer");
}

/* The host of an http:// or tftp:// URL (IPv4 or name; no IPv6 here). */
static void url_host(const char *url, char *out, size_t size)
{
	const char *h = strstr(url, "://");
	size_t n;

	out[0] = '\0';
	if (!h)
		return;
	h += 3;
	n = strcspn(h, ":/?#");
	if (n < size && host_valid_n(h, n)) {
		memcpy(out, h, n);
		out[n] = '\0';
	}
}

/* The base's server when netinit.writable.base= names none: the root's. */
static void plan_hostdir_server(struct boot_plan *p, const struct net_lease *lease,
				struct pctx *c)
{
	struct plan_hostdir *h = &p->writable.hostdir;

	if (p->writable.mode != PLAN_RW_PERSISTENT || !h->path[0])
		return;
	if (p->root == PLAN_ROOT_NFS)
		h->version = p->nfs.version;
	if (!h->server[0] && p->root == PLAN_ROOT_NFS)
		strscpy_ok(h->server, p->nfs.server, sizeof(h->server));
	else if (!h->server[0] && p->root == PLAN_ROOT_IMAGE && p->image.nurl)
		url_host(p->image.url[0], h->server, sizeof(h->server));
	if (!h->server[0] && (lease || p->root == PLAN_ROOT_LOCAL))
		PERR(c, "mount", "netinit.writable.base=%s names no server and the root has none "
		     "to borrow: write netinit.writable.base=<server>:%s", h->path, h->path);
	h->root_options = p->root == PLAN_ROOT_NFS && h->server[0] &&
			  !strcmp(h->server, p->nfs.server);
	if (h->root_options) {
		strscpy_ok(h->options, p->nfs.options, sizeof(h->options));
		h->has_minor = p->nfs.has_minor;
		h->minor = p->nfs.minor;
	}
}

/* ---- NFS ---- */

static void nfs_from_spec(const struct nfs_spec *s, struct plan_nfs *n)
{
	strscpy_ok(n->server, s->server, sizeof(n->server));
	strscpy_ok(n->path, s->path, sizeof(n->path));
	strscpy_ok(n->options, s->options, sizeof(n->options));
	n->version = s->version;
	n->has_minor = s->has_minor;
	n->minor = s->minor;
}

/* The location: root=nfs:/nfsroot= first, else the lease's root-path. */
static int nfs_location(const struct cmdline *cl, const struct net_lease *lease,
			struct plan_nfs *n, struct pctx *c)
{
	struct nfs_spec spec = { 0 };
	const char *rp, *why;

	if (cl->root.nfs.path[0]) {
		nfs_from_spec(&cl->root.nfs, n);
		return 0;
	}
	if (!lease)
		return 1; /* from DHCP, once the lease is there */
	if (!lease->root_path[0]) {
		PERR(c, "nfs", "no NFS location: give nfsroot=SERVER:/PATH or root=nfs:SERVER:/PATH, "
		     "or have the DHCP server send a root-path (option 17)");
		return -EINVAL;
	}
	/* dracut.cmdline(7): root-path=[nfs:|nfs4:]<server-ip>:<root-dir>[(:|,)<nfs-options>] */
	rp = lease->root_path;
	if (!strncmp(rp, "nfs4:", 5)) {
		spec.version = 4;
		rp += 5;
	} else if (!strncmp(rp, "nfs:", 4)) {
		rp += 4;
	}
	why = nfs_location_parse(rp, &spec);
	if (why) {
		PERR(c, "nfs", "DHCP root-path \"%s\": %s", lease->root_path, why);
		return -EINVAL;
	}
	nfs_from_spec(&spec, n);
	n->from_lease = true;
	/* root=nfs:...:<opts> or nfsroot=,<opts> add to the DHCP location */
	if (cl->root.nfs.options[0] && !n->options[0])
		strscpy_ok(n->options, cl->root.nfs.options, sizeof(n->options));
	if (cl->root.nfs.version) {
		n->version = cl->root.nfs.version;
		n->has_minor = cl->root.nfs.has_minor;
		n->minor = cl->root.nfs.minor;
	}
	return 0;
}

/* The server when none is named: ip= field 2, else next-server, else the DHCP server. */
static void nfs_default_server(const struct cmdline *cl, const struct net_lease *lease,
			       struct plan_nfs *n)
{
	struct in_addr a = { 0 };

	for (size_t i = 0; i < cl->nip && !a.s_addr; i++)
		a = cl->ip[i].server;
	if (!a.s_addr && lease)
		a = lease->siaddr.s_addr ? lease->siaddr : lease->server_id;
	if (a.s_addr)
		inet_ntop(AF_INET, &a, n->server, sizeof(n->server));
}

static int plan_nfs(const struct cmdline *cl, const struct net_lease *lease, struct plan_nfs *n,
		    struct pctx *c)
{
	char raw[sizeof(n->path)];
	int r = nfs_location(cl, lease, n, c);

	n->wait_s = cl->timeout >= 0 ? cl->timeout : NFS_WAIT_DEFAULT;
	n->retry_s = cl->retry > 0 ? cl->retry : 0;
	if (r < 0)
		return r;
	if (r > 0)
		return 0; /* everything comes with the lease */
	if (n->path[0] != '/') {
		PERR(c, "nfs", "NFS path \"%s\" is not absolute", n->path);
		return -EINVAL;
	}
	/* "%s" is the client's address (filesystems/nfs/nfsroot.rst): known with the lease */
	strscpy_ok(raw, n->path, sizeof(raw));
	if (lease && cmdline_nfs_path(raw, lease->addr, n->path, sizeof(n->path)) < 0) {
		PERR(c, "nfs", "NFS path \"%s\" is too long after %%s substitution", raw);
		return -ENAMETOOLONG;
	}
	if (!n->server[0])
		nfs_default_server(cl, lease, n);
	if (!n->server[0] && lease) {
		PERR(c, "nfs", "no NFS server: name one in nfsroot=/root=nfs:, or in ip= field 2, "
		     "or send next-server by DHCP");
		return -EINVAL;
	}
	return 0;
}

/* ---- extra mounts ---- */

/* The mount point: the last ':'-separated field that starts with '/' (the
 * source may hold ':' itself, server:/usr; a type or options never start
 * with '/'). Returns its start in s, or NULL. */
static const char *mount_target_field(const char *s)
{
	const char *t = NULL;

	for (const char *p = strchr(s, ':'); p; p = strchr(p + 1, ':'))
		if (p[1] == '/')
			t = p + 1;
	return t;
}

/* Defaults, and the NFS location: type nfs for server:/path, tmpfs for "tmpfs". */
static int mount_type(struct plan_mount *m, const char *spec, struct pctx *c)
{
	const char *colon = strchr(m->source, ':');
	struct nfs_spec nfs = { 0 };
	char loc[sizeof(m->source) + sizeof(m->options) + 1];
	const char *why;

	if (!m->type[0]) {
		if (colon && colon[1] == '/')
			strcpy(m->type, "nfs");
		else if (!strcmp(m->source, "tmpfs"))
			strcpy(m->type, "tmpfs");
		else {
			PERR(c, "mount", "netinit.mount=%s: give the file system type "
			     "(<source>:<mountpoint>:<type>[:<options>])", spec);
			return -EINVAL;
		}
	}
	if (strcmp(m->type, "nfs") && strcmp(m->type, "nfs4"))
		return 0;
	/* one NFS spelling for all: the options join the location as in nfsroot= */
	nfs.version = !strcmp(m->type, "nfs4") ? 4 : 0;
	if (snprintf(loc, sizeof(loc), "%s%s%s", m->source, m->options[0] ? "," : "",
		     m->options) >= (int)sizeof(loc))
		why = "too long";
	else
		why = nfs_location_parse(loc, &nfs);
	if (why || !nfs.server[0]) {
		PERR(c, "mount", "netinit.mount=%s: the NFS source must be <server>:/<path>%s%s", spec,
		     why ? ": " : "", why ? why : "");
		return -EINVAL;
	}
	nfs_from_spec(&nfs, &m->nfs);
	return 0;
}

/* "ro" among the comma-separated options. */
static bool options_ro(const char *opts)
{
	for (const char *p = opts; *p; p += strcspn(p, ","), p += *p == ',')
		if (!strncmp(p, "ro", 2) && (p[2] == ',' || !p[2]))
			return true;
	return false;
}

static int plan_mount_one(const char *spec, struct plan_mount *m, struct pctx *c)
{
	const char *t = mount_target_field(spec), *end;
	size_t tl;

	if (!t || t == spec + 1) {
		PERR(c, "mount", "netinit.mount=%s: expected <source>:<mountpoint>[:<type>"
		     "[:<options>]] (e.g. 10.0.0.1:/usr:/usr:nfs:ro or tmpfs:/tmp:tmpfs:size=512m)", spec);
		return -EINVAL;
	}
	end = strchr(t, ':');
	tl = end ? (size_t)(end - t) : strlen(t);
	if ((size_t)(t - 1 - spec) >= sizeof(m->source) || tl >= sizeof(m->target) ||
	    strstr(t, "/../") || (tl >= 3 && !strncmp(t + tl - 3, "/..", 3)) || tl < 2) {
		PERR(c, "mount", "netinit.mount=%s: the mount point must be an absolute path below / "
		     "without \"..\"", spec);
		return -EINVAL;
	}
	memcpy(m->source, spec, (size_t)(t - 1 - spec));
	memcpy(m->target, t, tl);
	if (end) {
		const char *o = strchr(end + 1, ':');
		size_t yl = o ? (size_t)(o - end - 1) : strlen(end + 1);

		if (yl >= sizeof(m->type) || (o && !strscpy_ok(m->options, o + 1, sizeof(m->options)))) {
			PERR(c, "mount", "netinit.mount=%s: type or options too long", spec);
			return -EINVAL;
		}
		memcpy(m->type, end + 1, yl);
	}
	m->ro = options_ro(m->options);
	return mount_type(m, spec, c);
}

static void plan_mounts(const struct cmdline *cl, struct boot_plan *p, struct pctx *c)
{
	for (size_t i = 0; i < cl->nmount; i++) {
		struct plan_mount *m = &p->mount[p->nmount];

		if (plan_mount_one(cl->mount[i], m, c) < 0)
			continue;
		/* retried like the root (rd.timeout=, rd.retry=) */
		m->wait_s = cl->timeout >= 0 ? cl->timeout : NFS_WAIT_DEFAULT;
		m->nfs.wait_s = m->wait_s;
		m->nfs.retry_s = cl->retry > 0 ? cl->retry : 0;
		if (!strncmp(m->type, "nfs", 3))
			p->need_net = true; /* an NFS mount under a local root needs the network too */
		p->nmount++;
	}
}

/* ---- image URLs ---- */

/* The lease's image: a URL root-path, else next-server (or option 66) + boot file. */
static int lease_image_url(const struct net_lease *lease, char *url, size_t n, struct pctx *c)
{
	char addr[INET_ADDRSTRLEN];
	const char *server, *file;

	if (!lease || lease->source == NET_SOURCE_NONE)
		return -ENOENT;
	if (!strncmp(lease->root_path, "http://", 7) || !strncmp(lease->root_path, "tftp://", 7) ||
	    !strncmp(lease->root_path, "live:", 5))
		return strscpy_ok(url, lease->root_path, n) ? 0 : -ENAMETOOLONG;
	if (lease->root_path[0]) {
		PERR(c, "fetch", "root=dhcp: root-path '%s' is not an http:// or tftp:// URL",
		     lease->root_path);
		return -EINVAL;
	}
	server = lease->tftp_server;
	if (!server[0] && lease->siaddr.s_addr)
		server = inet_ntop(AF_INET, &lease->siaddr, addr, sizeof(addr));
	if (!lease->bootfile[0] || !server || !server[0])
		return -ENOENT;
	file = lease->bootfile[0] == '/' ? lease->bootfile + 1 : lease->bootfile;
	if (snprintf(url, n, "tftp://%s/%s", server, file) >= (int)n)
		return -ENAMETOOLONG;
	return 0;
}

static int plan_image(const struct cmdline *cl, const struct net_lease *lease,
		      struct plan_image *im, struct pctx *c)
{
	im->stall_s = cl->fetch_timeout;
	im->tries = cl->fetch_retries;
	/* cmdline.c put the root= URL first in the mirror list */
	for (size_t i = 0; i < cl->nmirror && im->nurl < CMDLINE_MAX_LIST; i++)
		strscpy_ok(im->url[im->nurl++], cl->mirror[i], CMDLINE_MAX_URL);
	if (!im->nurl && cl->root.type == ROOT_URL)
		strscpy_ok(im->url[im->nurl++], cl->root.url, CMDLINE_MAX_URL);
	im->from_lease = im->nurl; /* none */
	/* root=dhcp: the lease's image comes last (before the lease: pending) */
	if (cl->root.type == ROOT_DHCP && lease && im->nurl < CMDLINE_MAX_LIST) {
		if (lease_image_url(lease, im->url[im->nurl], CMDLINE_MAX_URL, c) < 0) {
			im->url[im->nurl][0] = '\0';
			PERR(c, "fetch", "root=dhcp: the DHCP lease has neither a URL root-path "
			     "(option 17) nor next-server + boot file");
			return -ENOENT;
		}
		im->from_lease = im->nurl++;
	}
	return 0;
}

/* ---- the node ---- */

static void plan_node(const struct cmdline *cl, struct plan_node *nd)
{
	nd->has_mac = cl->bootif[0] && mac_parse(cl->bootif, ':', nd->mac) == 0;
	for (size_t i = 0; i < cl->nip && !nd->has_mac; i++)
		if (cl->ip[i].has_mac) {
			memcpy(nd->mac, cl->ip[i].mac, 6);
			nd->has_mac = true;
		}
	for (size_t i = 0; i < cl->nip && !nd->hostname[0]; i++)
		strscpy_ok(nd->hostname, cl->ip[i].hostname, sizeof(nd->hostname));
}

/* ---- the root ---- */

static void plan_local(const struct cmdline *cl, struct plan_local *l)
{
	strscpy_ok(l->device, cl->root.device, sizeof(l->device));
	strscpy_ok(l->fstype, cl->rootfstype, sizeof(l->fstype));
	strscpy_ok(l->flags, cl->rootflags, sizeof(l->flags));
	l->wait_s = cl->timeout >= 0 ? cl->timeout : cl->rootdelay >= 0 ? cl->rootdelay
									 : LOCAL_WAIT_DEFAULT;
}

/* root=dhcp: NFS when the root-path is a location, not a URL. */
static enum plan_root dhcp_root(const struct net_lease *lease)
{
	if (!lease)
		return PLAN_ROOT_DHCP;
	if (lease->root_path[0] && !strstr(lease->root_path, "://"))
		return PLAN_ROOT_NFS;
	return PLAN_ROOT_IMAGE;
}

static void plan_root(const struct cmdline *cl, const struct net_lease *lease,
		      struct boot_plan *p, struct pctx *c)
{
	switch (cl->root.type) {
	case ROOT_BLOCK:
		p->root = PLAN_ROOT_LOCAL;
		break;
	case ROOT_NFS:
		p->root = PLAN_ROOT_NFS;
		break;
	case ROOT_URL:
		p->root = PLAN_ROOT_IMAGE;
		break;
	case ROOT_DHCP:
		p->root = dhcp_root(lease);
		break;
	default:
		p->root = PLAN_ROOT_NONE;
		PERR(c, "mount", "no root= on the command line (e.g. root=/dev/vda, "
		     "root=nfs:SERVER:/PATH, root=http://SERVER/image.squashfs)");
		return;
	}
	if (p->root == PLAN_ROOT_LOCAL)
		plan_local(cl, &p->local);
	else if (p->root == PLAN_ROOT_NFS)
		plan_nfs(cl, lease, &p->nfs, c);
	else if (p->root == PLAN_ROOT_IMAGE || p->root == PLAN_ROOT_DHCP)
		plan_image(cl, lease, &p->image, c);
}

int plan_build(const struct cmdline *cl, const struct net_lease *lease, struct boot_plan *p,
	       plan_report_fn report, void *ctx)
{
	struct pctx c = { report, ctx, 0 };

	memset(p, 0, sizeof(*p));
	p->need_net = cl->neednet;
	p->ro = cl->ro != 0;
	strscpy_ok(p->init, cl->init, sizeof(p->init));
	for (size_t i = 0, o = 0; cmdline_init_arg(cl, i); i++) {
		int w = snprintf(p->init_args + o, sizeof(p->init_args) - o, "%s%s", i ? " " : "",
				 cmdline_init_arg(cl, i));

		if (w < 0 || (size_t)w >= sizeof(p->init_args) - o)
			break;
		o += (size_t)w;
	}
	plan_node(cl, &p->node);
	plan_verify(cl, &p->verify);
	plan_writable(cl, &p->writable, &c);
	plan_root(cl, lease, p, &c);
	plan_hostdir_server(p, lease, &c);
	plan_mounts(cl, p, &c);
	return c.errors;
}

/* ---- `init plan` ---- */

static void print_writable(const struct plan_writable *w, FILE *out)
{
	const struct plan_hostdir *h = &w->hostdir;

	fprintf(out, "writable=%s\n", w->mode == PLAN_RW_NONE ? "none" :
		w->mode == PLAN_RW_PERSISTENT ? "persistent" : "volatile");
	if (w->mode == PLAN_RW_PERSISTENT) {
		fprintf(out, "writable.base=%s:%s\nwritable.dirs=", h->server[0] ? h->server :
			"(from DHCP)", h->path);
		for (size_t i = 0; i < h->ndirs; i++)
			fprintf(out, "%s%s", i ? "," : "", h->dirs[i]);
		fprintf(out, "\nwritable.collision=%s\n", h->collision_fail ? "fail" : "volatile");
		if (h->root_options)
			fprintf(out, "writable.nfs=the root's version and options%s%s\n",
				h->options[0] ? ": " : "", h->options);
	}
	for (size_t i = 0; i < w->nhostfiles; i++)
		fprintf(out, "writable.hostfiles=%s\n", w->hostfiles[i]);
}

const char *nfs_version_name(const struct plan_nfs *n)
{
	static const char *const v4[] = { "4.0", "4.1", "4.2" };

	if (n->version == 3)
		return "3";
	if (n->version == 4)
		return n->has_minor && n->minor >= 0 && n->minor <= 2 ? v4[n->minor] : "4";
	return "4, then 3";
}

static void print_nfs(const struct plan_nfs *n, FILE *out)
{
	fprintf(out, "nfs.server=%s\nnfs.path=%s%s\nnfs.version=%s\nnfs.options=%s\n",
		n->server[0] ? n->server : "(from DHCP)", n->path[0] ? n->path : "(from DHCP)",
		strstr(n->path, "%s") ? " (%s: the client's address, once known)" : "",
		nfs_version_name(n), n->options);
	fprintf(out, "nfs.wait=%d s\n", n->wait_s);
	if (n->from_lease)
		fprintf(out, "nfs.source=DHCP root-path\n");
}

static void print_image(const struct plan_image *im, const struct plan_verify *v, FILE *out)
{
	char hex[65];

	for (size_t i = 0; i < im->nurl; i++)
		fprintf(out, "image.url=%s%s\n", im->url[i], i == im->from_lease ? " (from DHCP)" : "");
	if (im->stall_s > 0)
		fprintf(out, "image.stall_timeout=%d s\n", im->stall_s);
	if (im->tries >= 0)
		fprintf(out, "image.retries=%d\n", im->tries);
	if (v->pin_invalid)
		fprintf(out, "verify.pin=INVALID (the boot is refused)\n");
	else if (v->has_pin) {
		hex_encode(v->pin, sizeof(v->pin), hex);
		fprintf(out, "verify.pin=%s\n", hex);
	}
	fprintf(out, "verify.keys=%zu on the command line, plus those built into the initramfs\n",
		v->nkey);
	if (v->key_invalid[0])
		fprintf(out, "verify.key=%s INVALID (the boot is refused)\n", v->key_invalid);
	fprintf(out, "verify=%s\n", v->off ? "off (netinit.verify=off)" :
		"signed manifest when keys are trusted; the pin when given");
}

void plan_print(const struct boot_plan *p, FILE *out)
{
	char mac[18];

	fprintf(out, "root=%s\n", plan_root_name(p->root));
	if (p->root == PLAN_ROOT_DHCP)
		fprintf(out, "root.source=the DHCP lease: an NFS root-path, a URL root-path, or "
			"next-server + boot file over TFTP\n");
	if (p->root == PLAN_ROOT_LOCAL)
		fprintf(out, "local.device=%s\nlocal.fstype=%s\nlocal.flags=%s\nlocal.wait=%d s\n",
			p->local.device, p->local.fstype[0] ? p->local.fstype : "(probe)",
			p->local.flags, p->local.wait_s);
	if (p->root == PLAN_ROOT_NFS)
		print_nfs(&p->nfs, out);
	if (p->root == PLAN_ROOT_IMAGE || p->root == PLAN_ROOT_DHCP)
		print_image(&p->image, &p->verify, out);
	if (p->node.has_mac)
		fprintf(out, "node.mac=%s\n", mac_format(p->node.mac, ':', mac));
	if (p->node.hostname[0])
		fprintf(out, "node.hostname=%s\n", p->node.hostname);
	fprintf(out, "network=%s\n", p->need_net ? "up before the root" : "not needed");
	fprintf(out, "ro=%d\n", p->ro);
	print_writable(&p->writable, out);
	for (size_t i = 0; i < p->nmount; i++)
		fprintf(out, "mount=%s on %s type %s options %s\n", p->mount[i].source,
			p->mount[i].target, p->mount[i].type,
			p->mount[i].options[0] ? p->mount[i].options : "(defaults)");
	fprintf(out, "init=%s\n", p->init);
	if (p->init_args[0])
		fprintf(out, "init.args=%s\n", p->init_args);
}
