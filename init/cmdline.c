/* SPDX-License-Identifier: MIT */
/*
 * The kernel command line parser (see cmdline.h and doc/cmdline.md).
 *
 * Two passes: cmdline_tokenize() splits the line into words the way the
 * kernel does (Documentation/admin-guide/kernel-parameters.rst: spaces
 * separate, double quotes group, "--" ends the kernel's part), then every
 * word is dispatched through the key tables of cmdline_keys.c, cmdline_ip.c
 * and cmdline_netinit.c (see cmdline_internal.h).  A handler parses into a
 * temporary and commits only a fully valid value, so an invalid value leaves
 * the previous (or default) value in place.  cmdline_resolve() then applies
 * the rules that depend on more than one key (root=/dev/nfs + nfsroot=,
 * boot=nfs, the mirror list, neednet).
 *
 * No I/O, no allocation: it also runs on the server to lint pxelinux.cfg
 * lines, and under libFuzzer.
 */
#include "cmdline_internal.h"

#include <arpa/inet.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* ---- reports ---- */

/* A value quoted for a message: printable, at most 48 bytes, never a raw control char. */
const char *cmdline_show(char out[64], const char *v)
{
	size_t i, o = 0;

	if (!v)
		return "(none)";
	for (i = 0; v[i] && o < 48; i++)
		out[o++] = ((unsigned char)v[i] < 0x20 || (unsigned char)v[i] >= 0x7f) ? '?' : v[i];
	if (v[i]) {
		memcpy(out + o, "...", 3);
		o += 3;
	}
	out[o] = '\0';
	return out;
}

/* A key as the param of a report: one printable token, at most 48 bytes. */
const char *cmdline_show_key(char out[64], const char *k)
{
	char *p;

	cmdline_show(out, k);
	for (p = out; *p; p++)
		if (*p == ' ')
			*p = '?';
	return out;
}

void cmdline_report(struct pstate *ps, enum cmdline_severity sev, const char *param,
		   const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	if (sev == CMDLINE_ERROR)
		ps->errors++;
	if (!ps->report)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	ps->report(ps->ctx, sev, param, msg);
}

bool cmdline_url_check(struct pstate *ps, const char *key, const char *url)
{
	const char *why = url_problem(url);
	char v[64];

	if (why)
		ERR(ps, key, "%s: \"%s\"", why, cmdline_show(v, url));
	return why == NULL;
}

/* ---- dispatch ---- */

static const struct keydef *lookup_key(const char *key)
{
	static const struct { const struct keydef *t; const size_t *n; } tables[] = {
		{ cmdline_keys_std, &cmdline_nkeys_std },
		{ cmdline_keys_ip, &cmdline_nkeys_ip },
		{ cmdline_keys_netinit, &cmdline_nkeys_netinit },
	};

	for (size_t t = 0; t < ARRAY_SIZE(tables); t++)
		for (size_t i = 0; i < *tables[t].n; i++)
			if (!strcmp(key, tables[t].t[i].key))
				return &tables[t].t[i];
	return NULL;
}

static void cmdline_dispatch(struct pstate *ps, const struct cmdline_word *w)
{
	const struct keydef *k = lookup_key(w->key);
	char v[64];

	if (k) {
		if (!w->value && !(k->flags & FLAG_OK)) {
			ERR(ps, w->key, "needs a value (%s=...)", k->key);
			return;
		}
		if (w->value && !*w->value && (k->flags & VAL_NEEDED)) {
			ERR(ps, w->key, "empty value");
			return;
		}
		if (w->value && !*w->value) {
			/* "rd.shell=" reads as the bare flag */
			k->fn(ps, w->key, NULL);
			return;
		}
		k->fn(ps, w->key, w->value);
		return;
	}
	if (starts_with(w->key, "netinit."))
		ERR(ps, cmdline_show_key(v, w->key), "unknown netinit parameter (see doc/cmdline.md for the "
		    "netinit.* keys)");
	else if (starts_with(w->key, "rd.net."))
		WARN(ps, cmdline_show_key(v, w->key), "this dracut network setting is not supported; ignored");
	/* anything else belongs to the kernel or the real init */
}

/* ---- rules across keys ---- */

static void resolve_nfs(struct pstate *ps)
{
	struct cmdline *cl = ps->cl;
	struct root_spec *r = &cl->root;
	bool from_nfsroot;
	size_t i;

	/* root=/dev/nfs (kernel) and boot=nfs (initramfs-tools) take nfsroot=;
	 * initramfs-tools lets boot=nfs override any root= */
	from_nfsroot = ps->root_devnfs;
	if (ps->boot_nfs && !(r->type == ROOT_NFS && !ps->root_devnfs) && r->type != ROOT_DHCP) {
		if (r->type != ROOT_UNSET && r->type != ROOT_NFS)
			WARN(ps, "boot", "boot=nfs overrides root=, as in initramfs-tools");
		from_nfsroot = true;
	}
	if (!from_nfsroot && r->type == ROOT_UNSET && ps->has_nfsroot) {
		WARN(ps, ps->nfsroot_key, "nfsroot= without root=/dev/nfs or boot=nfs: "
		     "taken as the root");
		from_nfsroot = true;
	}
	if (from_nfsroot) {
		memset(r, 0, sizeof(*r));
		r->nfs = ps->nfsroot; /* nfsroot=auto / ,<opts>: options, version only */
		if (ps->has_nfsroot && !ps->nfsroot_auto)
			r->type = ROOT_NFS;
		else
			r->type = ROOT_DHCP; /* root-path from DHCP option 17 */
	} else if (ps->has_nfsroot && !(ps->nfsroot_auto && r->type == ROOT_DHCP)) {
		WARN(ps, ps->nfsroot_key, "ignored: root= is not /dev/nfs");
	}

	if (r->type == ROOT_NFS && !r->nfs.path[0])
		r->type = ROOT_DHCP; /* root=nfs: with nothing after it */
	/* kernel: nfsroot= without a server uses ip= field 2, the server address */
	if (r->type == ROOT_NFS && !r->nfs.server[0])
		for (i = 0; i < cl->nip; i++)
			if (cl->ip[i].server.s_addr) {
				inet_ntop(AF_INET, &cl->ip[i].server, r->nfs.server,
					  sizeof(r->nfs.server));
				break;
			}
}

/* live-boot(7): boot=live fetch=<url> downloads the image into RAM and mounts
 * it with a tmpfs overlay on top: netinit's URL root with the volatile layer. */
static void resolve_live(struct pstate *ps)
{
	struct root_spec *r = &ps->cl->root;

	if (!ps->boot_live) {
		if (ps->live_fetch)
			WARN(ps, "fetch", "ignored without boot=live (live-boot reads it only then)");
		return;
	}
	if (!ps->live_fetch) {
		if (r->type != ROOT_URL)
			ERR(ps, "boot", "boot=live needs fetch=<http:// or tftp:// URL>: this init "
			    "boots live images over the network only");
		return;
	}
	if (r->type != ROOT_UNSET)
		WARN(ps, "boot", "boot=live fetch= overrides root=, as in live-boot");
	memset(r, 0, sizeof(*r));
	r->type = ROOT_URL;
	copy_str(r->url, sizeof(r->url), ps->live_fetch);
}

static void resolve_mirrors(struct pstate *ps)
{
	struct cmdline *cl = ps->cl;
	size_t i;

	if (cl->root.type != ROOT_URL)
		return;
	for (i = 0; i < cl->nmirror; i++)
		if (!strcmp(cl->mirror[i], cl->root.url)) { /* listed twice: keep one */
			memmove(cl->mirror[i], cl->mirror[i + 1],
				(cl->nmirror - i - 1) * sizeof(cl->mirror[0]));
			cl->nmirror--;
			break;
		}
	memmove(cl->mirror[1], cl->mirror[0], cl->nmirror * sizeof(cl->mirror[0]));
	copy_str(cl->mirror[0], sizeof(cl->mirror[0]), cl->root.url);
	cl->nmirror++;
}

static void resolve_neednet(struct pstate *ps)
{
	struct cmdline *cl = ps->cl;
	size_t i;

	switch (cl->root.type) {
	case ROOT_NFS:
	case ROOT_URL:
	case ROOT_DHCP:
		cl->neednet = true; /* rd.neednet=0 cannot switch off a network root */
		return;
	default:
		break;
	}
	if (cl->nhostfiles) {
		cl->neednet = true;
		return;
	}
	if (ps->neednet >= 0) {
		cl->neednet = ps->neednet;
		return;
	}
	for (i = 0; i < cl->nip; i++)
		if (cl->ip[i].method == IP_METHOD_DHCP || cl->ip[i].method == IP_METHOD_STATIC)
			cl->neednet = true;
}

int cmdline_parse(const char *line, struct cmdline *cl, cmdline_report_fn report_fn, void *ctx)
{
	struct pstate ps;
	size_t i;

	memset(&ps, 0, sizeof(ps));
	ps.cl = cl;
	ps.report = report_fn;
	ps.ctx = ctx;
	ps.neednet = -1;
	cmdline_defaults(cl);
	if (!line)
		return 0;
	cmdline_tokenize(&ps, line);
	for (i = 0; i < cl->nwords; i++)
		cmdline_dispatch(&ps, &cl->words[i]);
	resolve_nfs(&ps);
	resolve_live(&ps);
	resolve_mirrors(&ps);
	resolve_neednet(&ps);
	return ps.errors;
}

/* Kernel rule (filesystems/nfs/nfsroot.rst): "%s" in the path is the client's
 * IPv4 address.  Every "%s" is replaced; any other '%' stays as it is. */
int cmdline_nfs_path(const char *path, struct in_addr client, char *out, size_t size)
{
	char ip[INET_ADDRSTRLEN];
	size_t o = 0, n;

	if (!size)
		return -ENAMETOOLONG;
	inet_ntop(AF_INET, &client, ip, sizeof(ip));
	for (; *path; path++) {
		if (path[0] == '%' && path[1] == 's') {
			n = strlen(ip);
			if (o + n >= size)
				return -ENAMETOOLONG;
			memcpy(out + o, ip, n);
			o += n;
			path++;
			continue;
		}
		if (o + 1 >= size)
			return -ENAMETOOLONG;
		out[o++] = *path;
	}
	out[o] = '\0';
	return 0;
}
