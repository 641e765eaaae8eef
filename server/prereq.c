/* SPDX-License-Identifier: MIT */
/*
 * What "render" needs besides the drop-ins, checked by "check" and before
 * "render" writes anything: the signing key and the image files (manifests),
 * the kernel, the initramfs and pxelinux (tftp), the NFS root trees.  Each
 * finding names the file and what to run; "check" saying ok means render
 * will not stop half-way for a missing input.
 */
#include "export.h"
#include "log.h"

#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

struct prereq {
	const struct model *m;
	const char *root; /* --root prefix of the outputs, "" for none */
	bool render;      /* render (everything missing is an error) or check */
	int errors, warnings;
};

static void warn_count(struct prereq *p) { p->warnings++; }

static bool dir_exists(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

static void need_images(struct prereq *p)
{
	const struct model *m = p->m;
	char path[4200];
	bool http = false;
	size_t i;

	for (i = 0; i < m->nimages; i++) {
		const struct image *im = &m->images[i];

		snprintf(path, sizeof(path), "%s%s", p->root, im->root == RK_HTTP ? im->file : im->path);
		if (im->root == RK_HTTP) {
			http = true;
			if (!out_file_exists(path)) {
				nl_err(EXPORT_STAGE, "%s:%u: image %s: %s does not exist (build it first, e.g. mksquashfs TREE %s)",
				       im->loc.file, im->loc.line, im->name, path, path);
				p->errors++;
			}
		} else if (!dir_exists(path)) {
			warn_count(p);
			nl_warn(EXPORT_STAGE, "%s:%u: image %s: the NFS root %s does not exist yet (nodes cannot mount it)",
				im->loc.file, im->loc.line, im->name, path);
		}
	}
	/* check: a warning (keygen is the next step of a new site); render: an error. */
	if (http && !out_file_exists(m->site.seckey)) {
		nlog(p->render ? NL_ERR : NL_WARN, EXPORT_STAGE,
		     "the signing key %s does not exist: run netinit-export keygen%s", m->site.seckey,
		     p->render ? "" : " before render");
		if (p->render)
			p->errors++;
		else
			warn_count(p);
	}
}

/* One boot file of a node: from its *-source =, or already in the TFTP tree. */
static void need_boot_file(struct prereq *p, const char *name, const char *src, const char *key, const char *hint)
{
	char path[4200];

	if (src) {
		if (!out_file_exists(src)) {
			nl_err(EXPORT_STAGE, "%s = %s does not exist%s", key, src, hint);
			p->errors++;
		}
		return;
	}
	snprintf(path, sizeof(path), "%s%s/%s", p->root, p->m->site.tftp_root, name);
	if (!out_file_exists(path)) {
		warn_count(p);
		nl_warn(EXPORT_STAGE, "%s does not exist and no %s = names where it comes from%s", path, key, hint);
	}
}

static void need_tftp(struct prereq *p)
{
	const struct model *m = p->m;
	const char *lastk = NULL, *lasti = NULL;
	bool pxelinux = false;
	size_t i;

	for (i = 0; i <= m->nnodes; i++) {
		const struct node *n = i < m->nnodes ? &m->nodes[i] : m->site.pxe_default;
		size_t bl;

		if (!n)
			continue;
		bl = strlen(n->set.bootfile);
		pxelinux |= bl >= 10 && !strcmp(n->set.bootfile + bl - 10, "pxelinux.0");
		/* Group members share their settings: report each file once. */
		if (!lastk || strcmp(lastk, n->set.kernel))
			need_boot_file(p, n->set.kernel, n->set.kernel_src, "kernel-source",
				       " (the kernel the nodes boot, e.g. /vmlinuz)");
		if (!lasti || strcmp(lasti, n->set.initrd))
			need_boot_file(p, n->set.initrd, n->set.initrd_src, "initrd-source",
				       " (build it: netinit-mkinitramfs --key PUBLIC-KEY --output FILE)");
		lastk = n->set.kernel;
		lasti = n->set.initrd;
	}
	if (pxelinux && !out_file_exists(m->site.pxelinux_src)) {
		nl_err(EXPORT_STAGE, "%s is missing: apt-get install pxelinux (or set pxelinux-source =)", m->site.pxelinux_src);
		p->errors++;
	}
	if (pxelinux && !out_file_exists(m->site.ldlinux_src)) {
		nl_err(EXPORT_STAGE, "%s is missing: apt-get install syslinux-common (or set ldlinux-source =)",
		       m->site.ldlinux_src);
		p->errors++;
	}
}

int prereq_check(const struct model *m, unsigned kinds, const char *root, bool render, int *warnings)
{
	struct prereq p = { m, root ? root : "", render, 0, 0 };

	if (kinds & (1u << OUT_MANIFESTS))
		need_images(&p);
	if (kinds & (1u << OUT_TFTP))
		need_tftp(&p);
	if (warnings)
		*warnings += p.warnings;
	return p.errors;
}
