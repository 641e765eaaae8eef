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
#include "util.h"
#include "log.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

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

/* What the seed tree of an image holds, looked up once per image. */
struct seedinfo {
	const struct image *image;
	char dirs[16][64];
	bool has[16];
	size_t n;
};

static void seed_lookup(const struct model *m, const struct outset *os, const struct image *im,
			struct seedinfo *si)
{
	const char *dirs = m->site.writable_dirs ? m->site.writable_dirs : "etc,var,tmp";
	char list[256], *save = NULL, *d;
	struct stat st;

	memset(si, 0, sizeof(*si));
	si->image = im;
	snprintf(list, sizeof(list), "%s", dirs);
	for (d = strtok_r(list, ",", &save); d && si->n < 16; d = strtok_r(NULL, ",", &save)) {
		char seed[4200];

		snprintf(si->dirs[si->n], sizeof(si->dirs[0]), "%s", d);
		if (im->seed && strcmp(d, "tmp")) {
			snprintf(seed, sizeof(seed), "%s%s/%s", os->root ? os->root : "", im->seed, d);
			si->has[si->n] = lstat(seed, &st) == 0 && S_ISDIR(st.st_mode);
		}
		si->n++;
	}
}

/* The owner record init checks at boot (mount/hostdir.h, ".netinit-owner"):
 * the drop-in's MAC.  dir: the node's directory (or its temporary name).
 * Written atomically; rewritten only when the MAC changed (a new NIC).
 * 0 unchanged, 1 written, -errno. */
static int owner_record(const struct outset *os, const struct node *n, const char *dir)
{
	char path[4200], want[128], have[128], mac[18];
	int fd, len;

	struct stat st;

	if (!n->has_mac || lstat(dir, &st) < 0 || !S_ISDIR(st.st_mode))
		return 0; /* a node directory that is not a plain directory is never written through */
	mac_format(n->mac, ':', mac);
	len = snprintf(want, sizeof(want), "# written by netinit-export from %s\nmac=%s\n",
		       n->name, mac);
	snprintf(path, sizeof(path), "%s/.netinit-owner", dir);
	fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd >= 0) {
		ssize_t k = read(fd, have, sizeof(have) - 1);

		close(fd);
		have[k > 0 ? k : 0] = '\0';
		if (strstr(have, want + strcspn(want, "\n") + 1))
			return 0;
	}
	if (os->dry_run) {
		printf("would record %s as the owner of %s\n", mac, dir);
		return 1;
	}
	fd = write_file_at(AT_FDCWD, path, want, (size_t)len, 0644, WRITE_ATOMIC);
	return fd < 0 ? fd : 1;
}

/* Build the directory of one new node (the caller knows it does not exist). */
static int nodedir_create(const struct outset *os, const struct node *n, const char *base,
			  const struct seedinfo *si)
{
	char final[4096], tmp[4096], key[64];
	size_t i;
	int r = 0;

	node_dir_key(n, key);
	if (snprintf(final, sizeof(final), "%s/%s", base, key) >= (int)sizeof(final) ||
	    snprintf(tmp, sizeof(tmp), "%s/.%s.netinit-new", base, key) >= (int)sizeof(tmp))
		return -ENAMETOOLONG;
	if (os->dry_run) {
		printf("would create %s%s%s\n", final, n->image->seed ? " seeded from " : "",
		       n->image->seed ? n->image->seed : "");
		return 1;
	}
	if (mkdir(tmp, 0755) < 0) {
		if (errno != EEXIST)
			return -errno;
		/* Left by an interrupted run: it is ours, start again. */
		nftw(tmp, rm_tree_one, 32, FTW_DEPTH | FTW_PHYS);
		if (mkdir(tmp, 0755) < 0)
			return -errno;
	}
	for (i = 0; i < si->n && r == 0; i++) {
		const char *d = si->dirs[i];
		bool is_tmp = !strcmp(d, "tmp");
		char sub[4200], seed[4200];

		snprintf(sub, sizeof(sub), "%s/%s", tmp, d);
		if (si->has[i]) {
			snprintf(seed, sizeof(seed), "%s%s/%s", os->root ? os->root : "", n->image->seed, d);
			r = copy_tree(seed, sub);
			continue;
		}
		if (mkdir(sub, is_tmp ? 01777 : 0755) < 0)
			r = -errno;
		else if (is_tmp && !out_exact_modes && chmod(sub, 01777) < 0)
			r = -errno; /* umask would drop the sticky bit */
	}
	if (r == 0 && (r = owner_record(os, n, tmp)) > 0)
		r = 0;
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

static int name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The entries of nodes-dir, sorted (one readdir instead of a stat per node). */
static char **list_dir(const char *dir, size_t *n)
{
	char **names = NULL;
	size_t cap = 0;
	DIR *d = opendir(dir);
	struct dirent *de;

	*n = 0;
	if (!d)
		return NULL;
	while ((de = readdir(d))) {
		if (*n == cap) {
			void *p;

			cap = cap ? cap * 2 : 256;
			p = realloc(names, cap * sizeof(*names));
			if (!p)
				break;
			names = p;
		}
		if (!(names[*n] = strdup(de->d_name)))
			break;
		(*n)++;
	}
	closedir(d);
	if (*n)
		qsort(names, *n, sizeof(*names), name_cmp);
	return names;
}

int nodedirs_apply(const struct model *m, struct outset *os)
{
	struct seedinfo si = { 0 };
	char base[4096], **names;
	size_t i, nnames;
	int r, ret = 0;
	bool made = false;

	snprintf(base, sizeof(base), "%s%s", os->root ? os->root : "", m->site.nodes_dir);
	names = list_dir(base, &nnames);
	for (i = 0; i < m->nnodes; i++) {
		const struct node *n = &m->nodes[i];
		char keybuf[64];
		const char *key = node_dir_key(n, keybuf);

		if (n->set.writable != WR_PERSISTENT)
			continue;
		/* Exists (any type): the node's own data, never touched; only
		 * the owner record follows the drop-in's MAC. */
		if (nnames && bsearch(&key, names, nnames, sizeof(*names), name_cmp)) {
			char dir[4200];

			snprintf(dir, sizeof(dir), "%s/%s", base, key);
			if ((r = owner_record(os, n, dir)) < 0)
				nl_err(EXPORT_STAGE, "%s: cannot record the owner MAC: %s", dir, strerror(-r));
			continue;
		}
		if (!os->dry_run && !made) {
			made = true;
			r = mkdir_p(base, 0755);
			if (r < 0) {
				nl_err(EXPORT_STAGE, "%s: cannot create: %s", base, strerror(-r));
				ret = r;
				break;
			}
		}
		if (si.image != n->image)
			seed_lookup(m, os, n->image, &si);
		r = nodedir_create(os, n, base, &si);
		if (r < 0) {
			nl_err(EXPORT_STAGE, "%s:%u: node %s: cannot create %s/%s: %s", n->loc.file, n->loc.line,
			       n->name, base, key, strerror(-r));
			ret = ret < 0 ? ret : r;
		} else if (r > 0) {
			os->created_dirs++;
		}
	}
	for (i = 0; i < nnames; i++)
		free(names[i]);
	free(names);
	return ret;
}
