/* SPDX-License-Identifier: MIT */
/*
 * The TFTP tree: pxelinux.0 and ldlinux.c32 (Debian's pxelinux and
 * syslinux-common packages), and each kernel and initramfs the nodes boot,
 * copied from kernel-source = / initrd-source =.  Like every output they
 * are written only when their bytes differ, through a temp file and rename.
 * pxelinux loads ldlinux.c32 from the directory pxelinux.0 came from
 * (syslinux doc/pxelinux.txt), so both go side by side.
 */
#include "export.h"
#include "log.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

/* The files placed so far (destination under tftp-root -> source). */
struct placed {
	char dst[64][256];
	const char *src[64];
	size_t n;
};

static int place(const struct model *m, struct outset *os, struct placed *pl, const char *dst,
		 const char *src, const char *what)
{
	char path[4200];
	struct output *o;
	size_t i;
	int r;

	for (i = 0; i < pl->n; i++) {
		if (strcmp(pl->dst[i], dst))
			continue;
		if (strcmp(pl->src[i], src) == 0)
			return 0;
		nl_err(EXPORT_STAGE, "tftp: %s/%s would come from both %s and %s: give the nodes different %s = names",
		       m->site.tftp_root, dst, pl->src[i], src, what);
		return -EINVAL;
	}
	if (pl->n == sizeof(pl->dst) / sizeof(*pl->dst)) {
		nl_err(EXPORT_STAGE, "tftp: more than %zu different boot files", pl->n);
		return -E2BIG;
	}
	if (snprintf(pl->dst[pl->n], sizeof(pl->dst[0]), "%s", dst) >= (int)sizeof(pl->dst[0]))
		return -ENAMETOOLONG;
	pl->src[pl->n++] = src;
	snprintf(path, sizeof(path), "%s/%s", m->site.tftp_root, dst);
	o = out_new(os, OUT_TFTP, path, 0644, CHECK_NONE);
	if (!o)
		return -ENOMEM;
	r = out_load_file(&o->data, src);
	if (r < 0)
		nl_err(EXPORT_STAGE, "tftp: cannot read %s (%s for %s): %s", src, what, path, strerror(-r));
	return r;
}

/* pxelinux.0 and ldlinux.c32 for a node booting pxelinux, side by side. */
static int place_pxelinux(const struct model *m, struct outset *os, struct placed *pl, const char *bootfile)
{
	static const char pkg_pxe[] = "apt-get install pxelinux", pkg_ld[] = "apt-get install syslinux-common";
	const char *slash = strrchr(bootfile, '/');
	char ld[300];
	int r;

	if (!out_file_exists(m->site.pxelinux_src)) {
		nl_err(EXPORT_STAGE, "tftp: %s is missing (%s, or set pxelinux-source =)", m->site.pxelinux_src, pkg_pxe);
		return -ENOENT;
	}
	if (!out_file_exists(m->site.ldlinux_src)) {
		nl_err(EXPORT_STAGE, "tftp: %s is missing (%s, or set ldlinux-source =)", m->site.ldlinux_src, pkg_ld);
		return -ENOENT;
	}
	snprintf(ld, sizeof(ld), "%.*sldlinux.c32", slash ? (int)(slash - bootfile + 1) : 0, bootfile);
	r = place(m, os, pl, bootfile, m->site.pxelinux_src, "bootfile");
	if (r == 0)
		r = place(m, os, pl, ld, m->site.ldlinux_src, "bootfile");
	return r;
}

static bool is_pxelinux(const char *bootfile)
{
	size_t n = strlen(bootfile);

	return n >= 10 && strcmp(bootfile + n - 10, "pxelinux.0") == 0;
}

static int place_node(const struct model *m, struct outset *os, struct placed *pl, const struct node *n)
{
	int r = 0;

	if (is_pxelinux(n->set.bootfile))
		r = place_pxelinux(m, os, pl, n->set.bootfile);
	if (r == 0 && n->set.kernel_src)
		r = place(m, os, pl, n->set.kernel, n->set.kernel_src, "kernel");
	if (r == 0 && n->set.initrd_src)
		r = place(m, os, pl, n->set.initrd, n->set.initrd_src, "initrd");
	return r;
}

int render_tftp(const struct model *m, struct outset *os)
{
	static struct placed pl;
	size_t i;
	int r = 0;

	pl.n = 0;
	for (i = 0; i < m->nnodes && r == 0; i++)
		r = place_node(m, os, &pl, &m->nodes[i]);
	if (r == 0 && m->site.pxe_default)
		r = place_node(m, os, &pl, m->site.pxe_default);
	return r;
}
