/* SPDX-License-Identifier: MIT */
/*
 * Per-node writable directories: <nodes-dir>/<name>/{etc,var,tmp}.
 *
 * A node's directory holds that node's own data, so the rule is simple:
 * a directory that exists is never written, overwritten or removed, whatever
 * the configuration says.  A new node's directory is built under a
 * temporary name (".<name>.netinit-new"), seeded from its image's seed tree,
 * and renamed into place: a crash never leaves a half-seeded directory under
 * the node's name.  Names come from hostname_valid() (no '/', no "..").
 */
#include "export.h"
#include "log.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

static int nodedir_mkdir_p(const char *path)
{
	char tmp[4096];
	char *p;

	if (snprintf(tmp, sizeof(tmp), "%s", path) >= (int)sizeof(tmp))
		return -ENAMETOOLONG;
	for (p = tmp + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(tmp, 0755) < 0 && errno != EEXIST)
			return -errno;
		*p = '/';
	}
	if (mkdir(tmp, 0755) < 0 && errno != EEXIST)
		return -errno;
	return 0;
}

/* ---- copying a seed tree (nftw has no context pointer: one copy at a time) ---- */
static const char *copy_src, *copy_dst;
static int copy_err;

static int copy_file(const char *src, const char *dst, const struct stat *st)
{
	char chunk[65536];
	int in, out, r = 0;

	in = open(src, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (in < 0)
		return -errno;
	out = open(dst, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (out < 0) {
		r = -errno;
		close(in);
		return r;
	}
	for (;;) {
		ssize_t n = read(in, chunk, sizeof(chunk)), w = 0;

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			r = -errno;
			break;
		}
		if (n == 0)
			break;
		while (w < n) {
			ssize_t k = write(out, chunk + w, (size_t)(n - w));

			if (k < 0 && errno == EINTR)
				continue;
			if (k < 0) {
				r = -errno;
				break;
			}
			w += k;
		}
		if (r < 0)
			break;
	}
	if (r == 0 && fchown(out, st->st_uid, st->st_gid) < 0 && errno != EPERM)
		r = -errno;
	if (r == 0 && fchmod(out, st->st_mode & 07777) < 0)
		r = -errno;
	if (r == 0) {
		struct timespec ts[2] = { st->st_atim, st->st_mtim };

		futimens(out, ts);
	}
	close(in);
	if (close(out) < 0 && r == 0)
		r = -errno;
	return r;
}

static int copy_one(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	char dst[4096];
	int r = 0;

	(void)ftw;
	if (snprintf(dst, sizeof(dst), "%s%s", copy_dst, path + strlen(copy_src)) >= (int)sizeof(dst)) {
		copy_err = -ENAMETOOLONG;
		return 1;
	}
	switch (type) {
	case FTW_D:
		if (mkdir(dst, 0700) < 0 && errno != EEXIST)
			r = -errno;
		else if (lchown(dst, st->st_uid, st->st_gid) < 0 && errno != EPERM)
			r = -errno;
		else if (chmod(dst, st->st_mode & 07777) < 0)
			r = -errno;
		break;
	case FTW_F:
		if (S_ISREG(st->st_mode))
			r = copy_file(path, dst, st);
		else if (mknod(dst, st->st_mode, st->st_rdev) < 0)
			r = -errno;
		else if (lchown(dst, st->st_uid, st->st_gid) < 0 && errno != EPERM)
			r = -errno;
		break;
	case FTW_SL:
	case FTW_SLN: {
		char target[4096];
		ssize_t n = readlink(path, target, sizeof(target) - 1);

		if (n < 0) {
			r = -errno;
			break;
		}
		target[n] = '\0';
		if (symlink(target, dst) < 0 || (lchown(dst, st->st_uid, st->st_gid) < 0 && errno != EPERM))
			r = -errno;
		break;
	}
	default: /* FTW_DNR, FTW_NS: unreadable */
		r = -EACCES;
	}
	if (r < 0) {
		nl_err(EXPORT_STAGE, "seeding %s from %s: %s", dst, path, strerror(-r));
		copy_err = r;
		return 1;
	}
	return 0;
}

static int copy_tree(const char *src, const char *dst)
{
	copy_src = src;
	copy_dst = dst;
	copy_err = 0;
	if (nftw(src, copy_one, 32, FTW_PHYS) < 0 && !copy_err)
		return -errno;
	return copy_err;
}

static int rm_tree_one(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	if (type == FTW_DP)
		rmdir(path);
	else
		unlink(path);
	return 0;
}

/* Build the directory of one new node; 1 = created, 0 = existed. */
static int nodedir_create(const struct model *m, const struct outset *os, const struct node *n,
			  const char *base)
{
	const char *dirs = m->site.writable_dirs ? m->site.writable_dirs : "etc,var,tmp";
	char final[4096], tmp[4096], list[256], *save = NULL, *d;
	struct stat st;
	int r = 0;

	if (snprintf(final, sizeof(final), "%s/%s", base, n->name) >= (int)sizeof(final) ||
	    snprintf(tmp, sizeof(tmp), "%s/.%s.netinit-new", base, n->name) >= (int)sizeof(tmp))
		return -ENAMETOOLONG;
	if (lstat(final, &st) == 0)
		return 0; /* exists: the node's own data, never touched */
	if (os->dry_run) {
		printf("would create %s%s%s\n", final, n->image->seed ? " seeded from " : "",
		       n->image->seed ? n->image->seed : "");
		return 1;
	}
	if (lstat(tmp, &st) == 0) /* left by an interrupted run: ours, start again */
		nftw(tmp, rm_tree_one, 32, FTW_DEPTH | FTW_PHYS);
	if (mkdir(tmp, 0755) < 0)
		return -errno;
	snprintf(list, sizeof(list), "%s", dirs);
	for (d = strtok_r(list, ",", &save); d && r == 0; d = strtok_r(NULL, ",", &save)) {
		char sub[4200], seed[4200];

		snprintf(sub, sizeof(sub), "%s/%s", tmp, d);
		if (n->image->seed && strcmp(d, "tmp")) {
			snprintf(seed, sizeof(seed), "%s%s/%s", os->root ? os->root : "", n->image->seed, d);
			if (lstat(seed, &st) == 0 && S_ISDIR(st.st_mode)) {
				r = copy_tree(seed, sub);
				continue;
			}
		}
		if (mkdir(sub, strcmp(d, "tmp") ? 0755 : 01777) < 0)
			r = -errno;
		else if (!strcmp(d, "tmp"))
			r = chmod(sub, 01777) < 0 ? -errno : 0; /* umask would drop the sticky bit */
	}
	if (r == 0 && rename(tmp, final) < 0)
		r = -errno;
	if (r < 0) {
		nftw(tmp, rm_tree_one, 32, FTW_DEPTH | FTW_PHYS);
		return r;
	}
	if (os->verbose)
		nl_info(EXPORT_STAGE, "created %s", final);
	return 1;
}

int nodedirs_apply(const struct model *m, struct outset *os)
{
	char base[4096];
	size_t i;
	int r, ret = 0;
	bool made = false;

	snprintf(base, sizeof(base), "%s%s", os->root ? os->root : "", m->site.nodes_dir);
	for (i = 0; i < m->nnodes; i++) {
		const struct node *n = &m->nodes[i];

		if (n->set.writable != WR_PERSISTENT)
			continue;
		if (!os->dry_run && !made) {
			made = true;
			r = nodedir_mkdir_p(base);
			if (r < 0) {
				nl_err(EXPORT_STAGE, "%s: cannot create: %s", base, strerror(-r));
				return r;
			}
		}
		r = nodedir_create(m, os, n, base);
		if (r < 0) {
			nl_err(EXPORT_STAGE, "%s:%u: node %s: cannot create %s/%s: %s", n->loc.file, n->loc.line,
			       n->name, base, n->name, strerror(-r));
			ret = ret < 0 ? ret : r;
		} else if (r > 0) {
			os->created_dirs++;
		}
	}
	return ret;
}
