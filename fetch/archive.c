// SPDX-License-Identifier: MIT
/*
 * Streaming unpacker for cpio and tar: a push state machine fed with the
 * decompressed bytes as they arrive, writing below one directory fd.  See
 * archive.h for the safety rules.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "archive.h"
#include "util.h"

#define DIR_DEPTH 128

enum st { ST_DETECT, ST_HDR, ST_NAME, ST_META, ST_LINKDATA, ST_DATA, ST_PAD, ST_END, ST_ERR };

struct hlink { uint32_t ino, maj, min; char *path; };

struct archive {
	int rootfd;               /* -1: parse only */
	uint64_t limit, written, entries, offset;
	enum ar_kind kind;
	enum st state;
	uint8_t *buf;             /* header / name / metadata accumulation */
	size_t have, need;
	struct ar_entry e, pax;   /* current entry; pending pax/GNU overrides */
	unsigned pax_set;
	char meta;                /* type of the metadata block being read */
	uint64_t data_left, pad_left;
	int outfd;
	int zero_blocks;
	/* The open directories of the last parent path, one per component, so
	 * that the next entry only opens what differs (archives are ordered). */
	char cdir[AR_PATH_MAX];
	int dfd[DIR_DEPTH];
	size_t dend[DIR_DEPTH];   /* end of component i in cdir */
	int depth;
	mode_t umask;             /* of this process, to skip needless chmods */
	uid_t euid;
	gid_t egid;
	struct hlink *links;
	size_t nlinks, caplinks;
	bool is_root;
	bool need_chmod;          /* the creation mode is not the final mode */
	char err[512];
};

/* Record the error, stop the archive, return r. */
#define ar_fail(a, r, ...) \
	((a)->state = ST_ERR, errbuf_set((a)->err, sizeof((a)->err), (r), __VA_ARGS__))

static void cache_drop(struct archive *a);

struct archive *archive_new(int rootfd, uint64_t limit)
{
	struct archive *a = calloc(1, sizeof(*a));
	if (!a)
		return NULL;
	a->buf = malloc(AR_META_MAX + 512);
	if (!a->buf) {
		free(a);
		return NULL;
	}
	a->rootfd = rootfd >= 0 ? fcntl(rootfd, F_DUPFD_CLOEXEC, 3) : -1;
	if (rootfd >= 0 && a->rootfd < 0) {
		free(a->buf);
		free(a);
		return NULL;
	}
	a->limit = limit;
	a->outfd = -1;
	a->umask = umask(0);
	umask(a->umask);
	a->euid = geteuid(), a->egid = getegid();
	a->state = ST_DETECT;
	a->need = 512;
	a->is_root = geteuid() == 0;
	return a;
}

void archive_free(struct archive *a)
{
	if (!a)
		return;
	if (a->outfd >= 0)
		close(a->outfd);
	cache_drop(a);
	if (a->rootfd >= 0)
		close(a->rootfd);
	for (size_t i = 0; i < a->nlinks; i++)
		free(a->links[i].path);
	free(a->links);
	free(a->buf);
	free(a);
}

const char *archive_error(const struct archive *a) { return a->err; }
enum ar_kind archive_kind(const struct archive *a) { return a->kind; }
uint64_t archive_bytes(const struct archive *a) { return a->written; }
uint64_t archive_entries(const struct archive *a) { return a->entries; }

/* ---- the filesystem side ---- */

static void cache_trim(struct archive *a, int depth)
{
	while (a->depth > depth)
		close(a->dfd[--a->depth]);
	a->cdir[a->depth ? a->dend[a->depth - 1] : 0] = '\0';
}

static void cache_drop(struct archive *a)
{
	cache_trim(a, 0);
}

/* The fd of directory `dir` (clean, relative, "" = root) below rootfd,
 * walking one component at a time without following symlinks; missing
 * components are created when create is set.  Returns a borrowed fd. */
static int walk_dir(struct archive *a, const char *dir, bool create)
{
	/* keep the components shared with the cached path */
	int keep = 0;
	for (; keep < a->depth; keep++) {
		size_t end = a->dend[keep];
		if (strncmp(a->cdir, dir, end) != 0 || (dir[end] != '/' && dir[end] != '\0'))
			break;
	}
	cache_trim(a, keep);
	size_t pos = keep ? a->dend[keep - 1] : 0;
	if (dir[pos] == '/')
		pos++;
	while (dir[pos]) {
		char comp[NAME_MAX + 1];
		size_t n = strcspn(dir + pos, "/");
		if (n > NAME_MAX)
			return ar_fail(a, -ENAMETOOLONG, "'%s': name too long", dir);
		if (a->depth == DIR_DEPTH)
			return ar_fail(a, -ENAMETOOLONG, "'%s': more than %d directories deep", dir, DIR_DEPTH);
		memcpy(comp, dir + pos, n);
		comp[n] = '\0';
		int at = a->depth ? a->dfd[a->depth - 1] : a->rootfd;
		int nfd = openat(at, comp, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (nfd < 0 && errno == ENOENT && create) {
			if (mkdirat(at, comp, 0755) < 0 && errno != EEXIST)
				return ar_fail(a, -errno, "mkdir %s: %s", dir, strerror(errno));
			nfd = openat(at, comp, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		}
		if (nfd < 0) {
			int e = errno;
			if (e == ELOOP || e == ENOTDIR)
				return ar_fail(a, -ELOOP, "'%s': a path component is a symlink or not a directory (refused)", dir);
			return ar_fail(a, -e, "'%s': %s", dir, strerror(e));
		}
		/* cdir grows with the walk: cdir[0..pos+n) == dir[0..pos+n) */
		memcpy(a->cdir + pos, dir + pos, n);
		a->cdir[pos + n] = '\0';
		if (pos)
			a->cdir[pos - 1] = '/';
		a->dfd[a->depth] = nfd;
		a->dend[a->depth++] = pos + n;
		pos += n;
		if (dir[pos] == '/')
			pos++;
	}
	return a->depth ? a->dfd[a->depth - 1] : a->rootfd;
}

/* Split clean path into parent fd and base name. */
static int parent_of(struct archive *a, const char *path, bool create, const char **base)
{
	char dir[AR_PATH_MAX];
	const char *slash = strrchr(path, '/');
	if (slash) {
		memcpy(dir, path, (size_t)(slash - path));
		dir[slash - path] = '\0';
		*base = slash + 1;
	} else {
		dir[0] = '\0';
		*base = path;
	}
	return walk_dir(a, dir, create);
}

/* Remove whatever non-directory is at pfd/base (a symlink is removed, never
 * followed); an empty directory too when want_dir is false. */
static int clear_slot(struct archive *a, int pfd, const char *base, bool want_dir, bool *is_dir)
{
	struct stat st;
	*is_dir = false;
	if (fstatat(pfd, base, &st, AT_SYMLINK_NOFOLLOW) < 0)
		return errno == ENOENT ? 0 : ar_fail(a, -errno, "stat %s: %s", base, strerror(errno));
	if (S_ISDIR(st.st_mode)) {
		if (want_dir) {
			*is_dir = true;
			return 0;
		}
		if (unlinkat(pfd, base, AT_REMOVEDIR) < 0)
			return ar_fail(a, -errno, "'%s' replaces a directory: %s", base, strerror(errno));
		cache_drop(a); /* pfd may be the cache; the removed dir may be in it */
		return 0;
	}
	if (unlinkat(pfd, base, 0) < 0)
		return ar_fail(a, -errno, "unlink %s: %s", base, strerror(errno));
	cache_drop(a);
	return 0;
}

static void set_owner_time(struct archive *a, int pfd, const char *base, int fd)
{
	const struct ar_entry *e = &a->e;
	struct timespec ts[2] = { { .tv_nsec = UTIME_OMIT }, { .tv_sec = e->mtime } };
	/* New nodes belong to us already: chown only what differs (most of a
	 * root is 0:0), chmod only when the creation mode was not final. */
	if (a->is_root && (e->uid != a->euid || e->gid != a->egid)) {
		/* chown first: it clears setuid/setgid, chmod restores them */
		if (fd >= 0)
			(void)!fchown(fd, e->uid, e->gid);
		else
			(void)!fchownat(pfd, base, e->uid, e->gid, AT_SYMLINK_NOFOLLOW);
	}
	if (fd >= 0) {
		if (a->need_chmod)
			(void)!fchmod(fd, e->mode);
		(void)!futimens(fd, ts);
	} else {
		if (e->type != AR_SYMLINK && a->need_chmod)
			(void)!fchmodat(pfd, base, e->mode, 0); /* we made it: not a symlink */
		if (e->type != AR_DIR)
			(void)!utimensat(pfd, base, ts, AT_SYMLINK_NOFOLLOW);
	}
}

static struct hlink *hlink_find(struct archive *a)
{
	for (size_t i = 0; i < a->nlinks; i++)
		if (a->links[i].ino == a->e.ino && a->links[i].maj == a->e.dev_major &&
		    a->links[i].min == a->e.dev_minor)
			return &a->links[i];
	return NULL;
}

static int hlink_add(struct archive *a, const char *path)
{
	if (a->nlinks == a->caplinks) {
		size_t cap = a->caplinks ? a->caplinks * 2 : 64;
		struct hlink *n = realloc(a->links, cap * sizeof(*n));
		if (!n)
			return ar_fail(a, -ENOMEM, "out of memory");
		a->links = n, a->caplinks = cap;
	}
	char *p = strdup(path);
	if (!p)
		return ar_fail(a, -ENOMEM, "out of memory");
	a->links[a->nlinks++] = (struct hlink){ a->e.ino, a->e.dev_major, a->e.dev_minor, p };
	return 0;
}

static int do_hardlink(struct archive *a, const char *path, const char *target_raw)
{
	char target[AR_PATH_MAX];
	const char *tbase, *base;
	int r = ar_clean_path(target_raw, target, sizeof(target));
	if (r < 0 || !target[0])
		return ar_fail(a, -EPERM, "hard link %s -> %s: target outside the tree (refused)",
			       path, target_raw);
	int tpfd = parent_of(a, target, false, &tbase);
	if (tpfd < 0)
		return tpfd;
	int tfd = fcntl(tpfd, F_DUPFD_CLOEXEC, 3);
	if (tfd < 0)
		return ar_fail(a, -errno, "dup: %s", strerror(errno));
	char tb[AR_PATH_MAX];
	snprintf(tb, sizeof(tb), "%s", tbase);
	int pfd = parent_of(a, path, true, &base);
	bool isdir;
	if (pfd >= 0 && (r = clear_slot(a, pfd, base, false, &isdir)) >= 0)
		pfd = parent_of(a, path, true, &base);
	else if (pfd >= 0)
		pfd = r;
	if (pfd >= 0 && linkat(tfd, tb, pfd, base, 0) < 0)
		pfd = ar_fail(a, -errno, "hard link %s -> %s: %s", path, target, strerror(errno));
	close(tfd);
	return pfd < 0 ? pfd : 0;
}

/* One node at pfd/base with its final permissions where the umask allows;
 * -EEXIST when something is there. */
static int make_node(struct archive *a, int pfd, const char *base)
{
	const struct ar_entry *e = &a->e;
	mode_t perm = e->mode & 0777;
	a->need_chmod = (e->mode & 07000) || (perm & a->umask);
	switch (e->type) {
	case AR_FILE:
		a->outfd = openat(pfd, base, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
				  perm | 0200);
		a->need_chmod |= !(perm & 0200);
		return a->outfd < 0 ? -errno : 0;
	case AR_DIR:
		/* owner rwx while unpacking (a 0555 directory must take its files) */
		a->need_chmod |= (perm & 0700) != 0700;
		return mkdirat(pfd, base, perm | 0700) < 0 ? -errno : 0;
	case AR_SYMLINK:
		return symlinkat(e->link, pfd, base) < 0 ? -errno : 0;
	case AR_CHR:
	case AR_BLK:
	case AR_FIFO: {
		mode_t t = e->type == AR_CHR ? S_IFCHR : e->type == AR_BLK ? S_IFBLK : S_IFIFO;
		return mknodat(pfd, base, t | perm, makedev(e->rdev_major, e->rdev_minor)) < 0 ? -errno : 0;
	}
	default:
		return 0;
	}
}

/* Create the current entry (a->e, path already clean). */
static int create_entry(struct archive *a, const char *path)
{
	struct ar_entry *e = &a->e;
	const char *base;
	bool isdir;
	int r;

	if (!path[0]) {
		if (e->type == AR_DIR)
			return 0; /* "." : the target itself keeps its mode */
		return ar_fail(a, -EPERM, "entry without a name");
	}
	if (e->type == AR_HARDLINK)
		return do_hardlink(a, path, e->link);
	if (e->type == AR_FILE && e->nlink > 1 && a->kind == AR_CPIO) {
		/* cpio: links share (dev, ino); the data comes with one of them. */
		struct hlink *h = hlink_find(a);
		if (h) {
			r = do_hardlink(a, path, h->path);
			if (r < 0 || e->size == 0)
				return r;
			int pfd = parent_of(a, path, false, &base);
			if (pfd < 0)
				return pfd;
			a->outfd = openat(pfd, base, O_WRONLY | O_TRUNC | O_NOFOLLOW | O_CLOEXEC);
			if (a->outfd < 0)
				return ar_fail(a, -errno, "open %s: %s", path, strerror(errno));
			a->need_chmod = true;
			return 0;
		}
		if ((r = hlink_add(a, path)) < 0)
			return r;
	}
	int pfd = parent_of(a, path, true, &base);
	if (pfd < 0)
		return pfd;
	/* Create first; only when something is in the way, look at it (a
	 * symlink or file is removed, never followed) and try once more. */
	for (int attempt = 0;; attempt++) {
		r = make_node(a, pfd, base);
		if (r != -EEXIST || attempt)
			break;
		if ((r = clear_slot(a, pfd, base, e->type == AR_DIR, &isdir)) < 0)
			return r;
		pfd = parent_of(a, path, true, &base); /* clear_slot may drop the cache */
		if (pfd < 0)
			return pfd;
		if (isdir) { /* a directory entry for an existing directory */
			a->need_chmod = true;
			r = 0;
			break;
		}
	}
	if (r < 0)
		return ar_fail(a, r, "create %s: %s", path, strerror(-r));
	if (e->type == AR_FILE)
		return 0; /* owner, mode, time when the data is complete */
	if (e->type == AR_SKIP || e->type == AR_SOCK)
		return 0;
	set_owner_time(a, pfd, base, -1);
	return 0;
}

static int finish_file(struct archive *a)
{
	if (a->outfd < 0)
		return 0;
	set_owner_time(a, -1, NULL, a->outfd);
	int r = close(a->outfd);
	a->outfd = -1;
	return r < 0 ? ar_fail(a, -errno, "close %s: %s", a->e.path, strerror(errno)) : 0;
}

/* ---- the stream side ---- */

static uint64_t pad4(uint64_t n) { return (4 - (n & 3)) & 3; }
static uint64_t pad512(uint64_t n) { return (512 - (n & 511)) & 511; }

/* After a header (and name) is complete: create the entry, set up its data. */
static int start_entry(struct archive *a)
{
	struct ar_entry *e = &a->e;
	char clean[AR_PATH_MAX];
	int r = ar_clean_path(e->path, clean, sizeof(clean));
	if (r == -EPERM)
		return ar_fail(a, r, "'%s': absolute path or '..' component (refused)", e->path);
	if (r < 0)
		return ar_fail(a, r, "'%.200s...': name too long", e->path);
	a->entries++;
	uint64_t pad = a->kind == AR_CPIO ? pad4(e->size) : pad512(e->size);
	bool data_is_file = e->type == AR_FILE;
	if (a->kind == AR_CPIO && e->type == AR_SYMLINK) {
		/* the link target is the data */
		a->state = ST_LINKDATA, a->have = 0, a->need = e->size;
		a->pad_left = pad;
		snprintf(e->path, sizeof(e->path), "%s", clean);
		return 0;
	}
	if (data_is_file && a->limit && e->size > a->limit - a->written)
		return ar_fail(a, -EFBIG, "'%s': %llu bytes would pass the unpack limit of %llu bytes "
			       "(decompression bomb or wrong unpacked-size)", clean,
			       (unsigned long long)e->size, (unsigned long long)a->limit);
	if (a->rootfd >= 0 && e->type != AR_SKIP && e->type != AR_SOCK) {
		r = create_entry(a, clean);
		if (r < 0)
			return r;
	}
	/* Hard links and tar's non-files: their size bytes are skipped. */
	a->data_left = e->size;
	a->pad_left = pad;
	a->state = ST_DATA;
	return 0;
}

static int cpio_header_done(struct archive *a)
{
	uint32_t namesize;
	memset(&a->e, 0, sizeof(a->e));
	if (cpio_parse_header(a->buf, &a->e, &namesize) < 0)
		return ar_fail(a, -EINVAL, "bad cpio header at offset %llu",
			       (unsigned long long)(a->offset - 110));
	a->state = ST_NAME;
	a->have = 0;
	a->need = namesize + pad4(110 + namesize);
	return 0;
}

static int cpio_name_done(struct archive *a)
{
	uint32_t namesize;
	struct ar_entry save = a->e;
	/* buf holds name + padding; the name ends with its NUL */
	(void)save;
	for (namesize = 0; namesize < a->need && a->buf[namesize]; namesize++)
		;
	if (namesize >= a->need || namesize >= AR_PATH_MAX)
		return ar_fail(a, -EINVAL, "cpio name without NUL");
	memcpy(a->e.path, a->buf, namesize + 1);
	if (strcmp(a->e.path, "TRAILER!!!") == 0) {
		a->state = ST_END;
		return 0;
	}
	if (!a->e.type)
		return ar_fail(a, -EINVAL, "cpio entry '%s' with an unknown file type", a->e.path);
	return start_entry(a);
}

static int tar_header_done(struct archive *a)
{
	char meta;
	struct ar_entry e;
	int r = tar_parse_header(a->buf, &e, &meta);
	if (r < 0)
		return ar_fail(a, r, "bad tar header (checksum or field) at offset %llu",
			       (unsigned long long)(a->offset - 512));
	if (r == 0) {
		if (++a->zero_blocks == 2)
			a->state = ST_END;
		a->have = 0;
		return 0;
	}
	if (a->zero_blocks)
		return ar_fail(a, -EINVAL, "tar header after an end-of-archive block");
	if (meta) {
		a->meta = meta;
		a->state = ST_META;
		a->have = 0;
		a->need = (size_t)e.size;
		a->pad_left = pad512(e.size);
		return 0;
	}
	/* Overrides from a preceding pax 'x' header or GNU 'L'/'K' blocks. */
	if (a->pax_set & PAX_PATH)
		memcpy(e.path, a->pax.path, strlen(a->pax.path) + 1);
	if (a->pax_set & PAX_LINK)
		memcpy(e.link, a->pax.link, strlen(a->pax.link) + 1);
	if (a->pax_set & PAX_SIZE)
		e.size = a->pax.size;
	if (a->pax_set & PAX_UID)
		e.uid = a->pax.uid;
	if (a->pax_set & PAX_GID)
		e.gid = a->pax.gid;
	if (a->pax_set & PAX_MTIME)
		e.mtime = a->pax.mtime;
	a->pax_set = 0;
	a->e = e;
	return start_entry(a);
}

static int tar_meta_done(struct archive *a)
{
	const char *d = (const char *)a->buf;
	size_t n = a->need;
	switch (a->meta) {
	case 'x':
		if (pax_apply(d, n, &a->pax, &a->pax_set) < 0)
			return ar_fail(a, -EINVAL, "malformed pax extended header");
		break;
	case 'g': {
		/* Global defaults: validated, but none of the keys we use is
		 * meaningful for every member, so they are not applied. */
		struct ar_entry tmp;
		unsigned set = 0;
		if (pax_apply(d, n, &tmp, &set) < 0)
			return ar_fail(a, -EINVAL, "malformed pax global header");
		break;
	}
	case 'L':
	case 'K': {
		size_t l = strnlen(d, n);
		if (l == 0 || l >= AR_PATH_MAX)
			return ar_fail(a, -EINVAL, "bad GNU long name");
		char *dst = a->meta == 'L' ? a->pax.path : a->pax.link;
		memcpy(dst, d, l), dst[l] = '\0';
		a->pax_set |= a->meta == 'L' ? PAX_PATH : PAX_LINK;
		break;
	}
	}
	a->state = ST_PAD;
	return 0;
}

static int after_data(struct archive *a)
{
	int r = finish_file(a);
	if (r < 0)
		return r;
	a->state = a->pad_left ? ST_PAD : ST_HDR;
	a->have = 0;
	a->need = a->kind == AR_CPIO ? 110 : 512;
	return 0;
}

static int data_bytes(struct archive *a, const uint8_t *p, size_t n)
{
	if (a->outfd >= 0) {
		if (a->limit && n > a->limit - a->written)
			return ar_fail(a, -EFBIG, "unpack limit of %llu bytes passed (decompression bomb?)",
				       (unsigned long long)a->limit);
		while (n) {
			ssize_t w = write(a->outfd, p, n);
			if (w < 0 && errno == EINTR)
				continue;
			if (w < 0)
				return ar_fail(a, -errno, "write %s: %s", a->e.path, strerror(errno));
			p += w, n -= (size_t)w;
			a->written += (uint64_t)w;
		}
	} else if (a->e.type == AR_FILE) {
		a->written += n;
	}
	return 0;
}

static int detect(struct archive *a, bool at_end)
{
	if (a->have >= 6 || at_end) {
		enum ar_kind k = ar_detect(a->buf, a->have);
		if (k == AR_UNKNOWN && a->have < 512 && !at_end)
			return 0; /* maybe tar: wait for the whole block */
		if (k == AR_UNKNOWN)
			return ar_fail(a, -EMEDIUMTYPE, "neither a cpio (newc) nor a tar archive");
		a->kind = k;
		return 1;
	}
	return 0;
}

/* ST_DETECT: buffer until the format is known, then replay through the real
 * states.  Each feed_ step takes bytes from (p, len) and returns r. */
static int feed_detect(struct archive *a, const uint8_t **p, size_t *len)
{
	size_t n = *len < 512 - a->have ? *len : 512 - a->have;
	uint8_t head[512];
	size_t hl;
	int r;

	memcpy(a->buf + a->have, *p, n);
	a->have += n, *p += n, *len -= n;
	if (a->have < 512 && a->have < 6)
		return 0;
	r = detect(a, false);
	if (r <= 0)
		return r;
	hl = a->have;
	memcpy(head, a->buf, hl);
	a->state = ST_HDR, a->have = 0, a->need = a->kind == AR_CPIO ? 110 : 512;
	return archive_feed(a, head, hl);
}

/* The symlink target is complete: create the link. */
static int linkdata_done(struct archive *a)
{
	char clean[AR_PATH_MAX];
	int r = 0;

	memcpy(a->e.link, a->buf, a->need);
	a->e.link[a->need] = '\0';
	memcpy(clean, a->e.path, sizeof(clean));
	if (a->rootfd >= 0)
		r = create_entry(a, clean);
	return r >= 0 ? after_data(a) : r;
}

/* ST_HDR, ST_NAME, ST_META, ST_LINKDATA: fixed-size pieces, buffered whole. */
static int feed_buffered(struct archive *a, const uint8_t **p, size_t *len)
{
	size_t n = a->need - a->have;
	int r;

	if (n > *len)
		n = *len;
	memcpy(a->buf + a->have, *p, n);
	a->have += n, *p += n, *len -= n, a->offset += n;
	if (a->have < a->need)
		return 0;
	if (a->state == ST_HDR)
		r = a->kind == AR_CPIO ? cpio_header_done(a) : tar_header_done(a);
	else if (a->state == ST_NAME)
		r = cpio_name_done(a);
	else if (a->state == ST_META)
		r = tar_meta_done(a);
	else
		r = linkdata_done(a);
	if (r >= 0 && a->state == ST_DATA && a->data_left == 0)
		r = after_data(a);
	return r;
}

static int feed_data(struct archive *a, const uint8_t **p, size_t *len)
{
	size_t n = a->data_left < *len ? (size_t)a->data_left : *len;
	int r = data_bytes(a, *p, n);

	*p += n, *len -= n, a->offset += n;
	a->data_left -= n;
	if (r >= 0 && a->data_left == 0)
		r = after_data(a);
	return r;
}

static void feed_pad(struct archive *a, const uint8_t **p, size_t *len)
{
	size_t n = a->pad_left < *len ? (size_t)a->pad_left : *len;

	*p += n, *len -= n, a->offset += n;
	a->pad_left -= n;
	if (!a->pad_left) {
		a->state = ST_HDR, a->have = 0;
		a->need = a->kind == AR_CPIO ? 110 : 512;
	}
}

int archive_feed(struct archive *a, const uint8_t *p, size_t len)
{
	int r = 0;

	while (len && r >= 0) {
		switch (a->state) {
		case ST_ERR:
			return -EINVAL;
		case ST_DETECT:
			r = feed_detect(a, &p, &len);
			break;
		case ST_HDR:
		case ST_NAME:
		case ST_META:
		case ST_LINKDATA:
			r = feed_buffered(a, &p, &len);
			break;
		case ST_DATA:
			r = feed_data(a, &p, &len);
			break;
		case ST_PAD:
			feed_pad(a, &p, &len);
			break;
		case ST_END:
			/* Padding after the end marker (tar records, cpio blocks). */
			a->offset += len;
			len = 0;
			break;
		default:
			return -EINVAL;
		}
	}
	return r < 0 ? r : 0;
}

int archive_finish(struct archive *a)
{
	if (a->state == ST_ERR)
		return -EINVAL;
	if (a->state == ST_DETECT) {
		if (detect(a, true) < 0)
			return -EMEDIUMTYPE;
		return ar_fail(a, -EBADMSG, "archive truncated (%zu bytes)", a->have);
	}
	if (a->state == ST_END)
		return 0;
	/* tar: one zero block is accepted (some writers omit the second); an
	 * end without any could be a transfer cut at a member boundary. */
	if (a->kind == AR_TAR && a->state == ST_HDR && a->have == 0 && a->zero_blocks)
		return 0;
	return ar_fail(a, -EBADMSG, "archive truncated at offset %llu (in %s)",
		       (unsigned long long)a->offset,
		       a->state == ST_DATA ? a->e.path : "a header");
}
