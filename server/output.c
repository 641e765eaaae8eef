/* SPDX-License-Identifier: MIT */
/*
 * Outputs: rendered files held in memory, then written the safe way.
 *
 * A file is only written when its bytes change (so rendering twice changes
 * nothing, not even an mtime).  A change goes to a temporary file in the
 * target's directory, is checked by the target server's own parser where
 * one exists, and is renamed over the old file: a server never sees half a
 * config, and a config its server rejects never replaces a working one.
 * Generated files in directories netinit-export owns (pxelinux.cfg/, ipxe/)
 * whose node is gone are removed; nothing else ever is.
 */
#include "export.h"
#include "util.h"
#include "log.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

/* ---- buffer ---- */
static bool buf_grow(struct buf *b, size_t need)
{
	size_t cap;
	char *p;

	if (b->oom)
		return false;
	if (b->len + need + 1 <= b->cap)
		return true;
	cap = b->cap ? b->cap : 256;
	while (cap < b->len + need + 1)
		cap *= 2;
	p = realloc(b->p, cap);
	if (!p) {
		b->oom = true;
		return false;
	}
	b->p = p;
	b->cap = cap;
	return true;
}

void buf_add(struct buf *b, const char *s, size_t n)
{
	if (!buf_grow(b, n))
		return;
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

void buf_puts(struct buf *b, const char *s) { buf_add(b, s, strlen(s)); }

void buf_printf(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (!buf_grow(b, 128))
		return;
	va_start(ap, fmt);
	n = vsnprintf(b->p + b->len, b->cap - b->len, fmt, ap);
	va_end(ap);
	if (n < 0) {
		b->oom = true;
		return;
	}
	if ((size_t)n >= b->cap - b->len) {
		if (!buf_grow(b, (size_t)n))
			return;
		va_start(ap, fmt);
		vsnprintf(b->p + b->len, b->cap - b->len, fmt, ap);
		va_end(ap);
	}
	b->len += (size_t)n;
}

void buf_free(struct buf *b)
{
	free(b->p);
	memset(b, 0, sizeof(*b));
}

int out_load_file(struct buf *b, const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC), r = 0;
	struct stat st;

	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return -EINVAL;
	}
	if (!buf_grow(b, (size_t)st.st_size))
		r = -ENOMEM;
	while (r == 0) {
		ssize_t n = read(fd, b->p + b->len, b->cap - b->len - 1);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			r = -errno;
		if (n <= 0)
			break;
		b->len += (size_t)n;
		if (b->len + 1 == b->cap && !buf_grow(b, 65536))
			r = -ENOMEM;
	}
	if (b->p)
		b->p[b->len] = '\0';
	close(fd);
	return r;
}

bool out_file_exists(const char *path)
{
	struct stat st;

	return path && stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* ---- output set ---- */
struct output *out_new(struct outset *os, enum out_kind kind, const char *path,
		       unsigned mode, enum out_check check)
{
	struct output *o;

	if (os->n == os->cap) {
		size_t cap = os->cap ? os->cap * 2 : 64;
		void *p = realloc(os->o, cap * sizeof(*os->o));

		if (!p)
			return NULL;
		os->o = p;
		os->cap = cap;
	}
	o = &os->o[os->n];
	memset(o, 0, sizeof(*o));
	o->path = strdup(path);
	if (!o->path)
		return NULL;
	o->kind = kind;
	o->mode = mode;
	o->check = check;
	os->n++;
	return o;
}

void outset_free(struct outset *os)
{
	size_t i;

	for (i = 0; i < os->n; i++) {
		free(os->o[i].path);
		buf_free(&os->o[i].data);
	}
	free(os->o);
	os->o = NULL;
	os->n = os->cap = 0;
}

static void full_path(const struct outset *os, const char *path, char *out, size_t len)
{
	snprintf(out, len, "%s%s", os->root ? os->root : "", path);
}

/* The per-node files share a few directories: remember the last one made. */
static char last_parent[4096];

static int mkdir_parent(const char *path)
{
	char dir[4096];
	char *slash;
	int r;

	snprintf(dir, sizeof(dir), "%s", path);
	slash = strrchr(dir, '/');
	if (!slash || slash == dir)
		return 0;
	*slash = '\0';
	if (strcmp(dir, last_parent) == 0)
		return 0;
	r = mkdir_p(dir, 0755);
	if (r == 0)
		snprintf(last_parent, sizeof(last_parent), "%s", dir);
	return r;
}

/* 1 = the file holds exactly these bytes, 0 = differs or missing. */
static int same_content(const char *path, const struct buf *b, unsigned mode)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	struct stat st;
	char small[8192], *cmp = small;
	size_t off = 0;
	int same = 0;

	if (fd < 0)
		return 0;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || (size_t)st.st_size != b->len ||
	    (st.st_mode & 07777) != mode)
		goto out;
	if (b->len > sizeof(small) && !(cmp = malloc(b->len)))
		goto out;
	/* The size is known: read exactly that much, no read to EOF. */
	while (off < b->len) {
		ssize_t n = read(fd, cmp + off, b->len - off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		off += (size_t)n;
	}
	same = off == b->len && memcmp(cmp, b->p ? b->p : "", b->len) == 0;
	if (cmp != small)
		free(cmp);
out:
	close(fd);
	return same;
}

/* Set by export_main() after umask(0): open() gives the exact mode, no fchmod. */
bool out_exact_modes;

/* Temp file next to path, holding b; its name is returned in tmp.  The name
 * is ours alone (pid and a counter, O_EXCL), in the target's directory so
 * the rename is atomic. */
static int write_temp(const char *path, const struct buf *b, unsigned mode, bool sync,
		      char *tmp, size_t tmplen)
{
	static unsigned seq;
	const char *slash = strrchr(path, '/');
	int fd, r, tries;

	for (tries = 0;; tries++) {
		if (snprintf(tmp, tmplen, "%.*s.%s.netinit-%d-%u", slash ? (int)(slash - path + 1) : 0, path,
			     slash ? slash + 1 : path, (int)getpid(), seq++) >= (int)tmplen)
			return -ENAMETOOLONG;
		fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, mode);
		if (fd >= 0)
			break;
		if (errno != EEXIST || tries > 100)
			return -errno;
	}
	r = write_fd_all(fd, b->p ? b->p : "", b->len);
	if (r == 0 && !out_exact_modes && fchmod(fd, mode) < 0)
		r = -errno;
	if (r == 0 && sync && fsync(fd) < 0)
		r = -errno;
	if (close(fd) < 0 && r == 0)
		r = -errno;
	if (r < 0)
		unlink(tmp);
	return r;
}

int out_write_atomic(const char *path, const struct buf *b, unsigned mode)
{
	return write_file_at(AT_FDCWD, path, b->p ? b->p : "", b->len, mode, WRITE_ATOMIC | WRITE_SYNC);
}

/* ---- server checkers ---- */
static const char *find_tool(const char *name, char *out, size_t len)
{
	static const char *const dirs[] = { "/usr/sbin", "/sbin", "/usr/bin", "/bin", "/usr/local/sbin", NULL };
	size_t i;

	for (i = 0; dirs[i]; i++) {
		snprintf(out, len, "%s/%s", dirs[i], name);
		if (access(out, X_OK) == 0)
			return out;
	}
	return NULL;
}

/* Run argv, collect its output into msg; returns the exit status or -errno. */
static int run_tool(char *const argv[], char *msg, size_t msglen)
{
	int pfd[2], status;
	pid_t pid;
	size_t got = 0;

	if (pipe2(pfd, O_CLOEXEC) < 0)
		return -errno;
	pid = fork();
	if (pid < 0) {
		close(pfd[0]);
		close(pfd[1]);
		return -errno;
	}
	if (pid == 0) {
		int devnull = open("/dev/null", O_RDONLY);

		if (devnull >= 0)
			dup2(devnull, 0);
		dup2(pfd[1], 1);
		dup2(pfd[1], 2);
		alarm(600); /* a checker that hangs is killed (SIGALRM survives exec) */
		execv(argv[0], argv);
		_exit(127);
	}
	close(pfd[1]);
	for (;;) {
		char tmp[4096];
		ssize_t n = read(pfd[0], tmp, sizeof(tmp));

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		if (got + 1 < msglen) {
			size_t take = (size_t)n < msglen - 1 - got ? (size_t)n : msglen - 1 - got;

			memcpy(msg + got, tmp, take);
			got += take;
		}
	}
	msg[got] = '\0';
	close(pfd[0]);
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -errno;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

/* Kea checks whole configs: wrap the reservations or the subnet in a minimal one. */
static int kea_wrapper(const struct outset *os, const char *file, char *wrap, size_t len)
{
	const struct site *s = &os->m->site;
	struct buf b = { 0 };
	char net[16];
	int fd, r = 0;

	ex_fmt_ip(s->net, net);
	if (s->kea == KEA_FULL) /* a whole config: checked as a copy (kea-dhcp4 -t misreads
				 * the temp file's name, dots after ".conf") */
		r = out_load_file(&b, file);
	else if (s->kea == KEA_SUBNET)
		buf_printf(&b, "{ \"Dhcp4\": { \"interfaces-config\": { \"interfaces\": [] },\n"
			       "  \"subnet4\": [ <?include \"%s\"?> ] } }\n", file);
	else if (s->mask.s_addr)
		buf_printf(&b, "{ \"Dhcp4\": { \"interfaces-config\": { \"interfaces\": [] },\n"
			       "  \"subnet4\": [ { \"id\": 1, \"subnet\": \"%s/%u\",\n"
			       "    \"reservations\": <?include \"%s\"?> } ] } }\n", net, s->prefix, file);
	else
		buf_printf(&b, "{ \"Dhcp4\": { \"interfaces-config\": { \"interfaces\": [] },\n"
			       "  \"reservations\": <?include \"%s\"?> } }\n", file);
	snprintf(wrap, len, "/tmp/netinit-kea-check-XXXXXX");
	fd = r < 0 ? -1 : mkstemp(wrap);
	if (fd < 0) {
		*wrap = '\0';
		buf_free(&b);
		return r < 0 ? r : -errno;
	}
	r = b.oom ? -ENOMEM : write_fd_all(fd, b.p ? b.p : "", b.len);
	close(fd);
	buf_free(&b);
	if (r < 0)
		unlink(wrap);
	return r;
}

int out_server_check(const struct outset *os, enum out_check chk, const char *file)
{
	static char msg[16384];
	char tool[256], wrap[64] = "";
	const char *name = chk == CHECK_DHCPD ? "dhcpd" : chk == CHECK_DNSMASQ ? "dnsmasq" : "kea-dhcp4";
	char *argv[6];
	char copt[4200];
	int r;

	if (chk == CHECK_NONE)
		return 0;
	if (!find_tool(name, tool, sizeof(tool)))
		return -ENOENT;
	argv[0] = tool;
	if (chk == CHECK_DHCPD) {
		argv[1] = "-t";
		argv[2] = "-q";
		argv[3] = "-cf";
		argv[4] = (char *)file;
		argv[5] = NULL;
	} else if (chk == CHECK_DNSMASQ) {
		snprintf(copt, sizeof(copt), "--conf-file=%s", file);
		argv[1] = "--test";
		argv[2] = copt;
		argv[3] = NULL;
	} else {
		r = kea_wrapper(os, file, wrap, sizeof(wrap));
		if (r < 0)
			return r;
		argv[1] = "-t";
		argv[2] = wrap;
		argv[3] = NULL;
	}
	r = run_tool(argv, msg, sizeof(msg));
	if (*wrap)
		unlink(wrap);
	if (r == 0) {
		if (os->verbose)
			nl_info(EXPORT_STAGE, "%s accepts %s", name, file);
		return 0;
	}
	if (r == 127)
		return -ENOENT;
	nl_err(EXPORT_STAGE, "%s rejects the rendered config (exit %d):\n%s", name, r, msg);
	return -EINVAL;
}

/* ---- commit ---- */
static int str_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The names in one directory, sorted: the per-node files of a directory we
 * own are looked up here instead of one failing open() each. */
static struct {
	char dir[4096];
	char **names;
	size_t n;
	bool valid;
} listing;

static void listing_free(void)
{
	size_t i;

	for (i = 0; i < listing.n; i++)
		free(listing.names[i]);
	free(listing.names);
	memset(&listing, 0, sizeof(listing));
}

static void listing_load(const char *dir)
{
	size_t cap = 0;
	DIR *d;
	struct dirent *de;

	listing_free();
	snprintf(listing.dir, sizeof(listing.dir), "%s", dir);
	listing.valid = true;
	d = opendir(dir);
	if (!d)
		return; /* missing: nothing exists in it */
	while ((de = readdir(d))) {
		if (listing.n == cap) {
			cap = cap ? cap * 2 : 256;
			void *p = realloc(listing.names, cap * sizeof(char *));
			if (!p) {
				listing.valid = false;
				break;
			}
			listing.names = p;
		}
		if (!(listing.names[listing.n] = strdup(de->d_name))) {
			listing.valid = false;
			break;
		}
		listing.n++;
	}
	closedir(d);
	if (listing.n)
		qsort(listing.names, listing.n, sizeof(char *), str_cmp);
}

/* false only when the file surely does not exist. */
static bool may_exist(const char *path)
{
	const char *slash = strrchr(path, '/');
	char dir[4096], *base;

	if (!slash)
		return true;
	snprintf(dir, sizeof(dir), "%.*s", (int)(slash - path), path);
	if (!listing.valid || strcmp(dir, listing.dir))
		listing_load(dir);
	if (!listing.valid)
		return true;
	base = (char *)slash + 1;
	return listing.n && bsearch(&base, listing.names, listing.n, sizeof(char *), str_cmp);
}

static bool is_ours(const char *path);

static int commit_one(struct outset *os, struct output *o, bool *changed)
{
	char path[4096], tmp[4200];
	int r;

	*changed = false;
	if (o->data.oom)
		return -ENOMEM;
	full_path(os, o->path, path, sizeof(path));
	if ((!o->is_dir_owned || may_exist(path)) && same_content(path, &o->data, o->mode))
		return 0;
	*changed = true;
	if (os->dry_run)
		return 0;
	r = mkdir_parent(path);
	if (r < 0) {
		nl_err(EXPORT_STAGE, "%s: cannot create its directory: %s", path, strerror(-r));
		return r;
	}
	/* The many small per-node files are synced once at the end (syncfs). */
	r = write_temp(path, &o->data, o->mode, !o->is_dir_owned, tmp, sizeof(tmp));
	if (r < 0) {
		nl_err(EXPORT_STAGE, "%s: cannot write: %s", path, strerror(-r));
		return r;
	}
	if (!os->no_server_check && o->check != CHECK_NONE) {
		r = out_server_check(os, o->check, tmp);
		if (r == -ENOENT) {
			nl_warn(EXPORT_STAGE, "%s: %s is not installed, the file is not checked",
				path, o->check == CHECK_DHCPD ? "dhcpd" : o->check == CHECK_DNSMASQ ? "dnsmasq" : "kea-dhcp4");
		} else if (r < 0) {
			nl_err(EXPORT_STAGE, "%s: not replaced, the server's own check failed (temp file was %s)", path, tmp);
			unlink(tmp);
			return r;
		}
	}
	if (o->replaces_foreign && access(path, F_OK) == 0 && !is_ours(path)) {
		/* The distribution's sample (or the admin's own file): keep it. */
		char orig[4200];

		snprintf(orig, sizeof(orig), "%s.netinit-orig", path);
		if (access(orig, F_OK) == 0 || rename(path, orig) < 0) {
			nl_err(EXPORT_STAGE, "%s: not replaced: it was not written by netinit-export and %s %s",
			       path, orig, access(orig, F_OK) == 0 ? "exists already" : "cannot be made");
			unlink(tmp);
			return -EEXIST;
		}
		nl_info(EXPORT_STAGE, "%s: the file there before is kept as %s", path, orig);
	}
	if (rename(tmp, path) < 0) {
		r = -errno;
		nl_err(EXPORT_STAGE, "%s: cannot rename %s into place: %s", path, tmp, strerror(-r));
		unlink(tmp);
		return r;
	}
	if (os->verbose)
		nl_info(EXPORT_STAGE, "wrote %s", path);
	return 0;
}

/* Does the file start with our mark (in its first lines)? */
static bool is_ours(const char *path)
{
	char head[512];
	struct stat st;

	/* Only a regular file, never through a symlink: only our own files go. */
	return lstat(path, &st) == 0 && S_ISREG(st.st_mode) && read_file(path, head, sizeof(head)) > 0 &&
	       strstr(head, EXPORT_MARK) != NULL;
}

/* Generated files in an owned directory that no node needs any more. */
static int sweep_dir(struct outset *os, const char *dir, enum out_kind kind, bool apply, unsigned *removed)
{
	char full[4096];
	char **names = NULL;
	size_t n = 0, cap = 0, i, dlen = strlen(dir);
	DIR *d;
	struct dirent *de;
	int r = 0;

	for (i = 0; i < os->n; i++) {
		const struct output *o = &os->o[i];

		if (o->kind != kind || !o->is_dir_owned || strncmp(o->path, dir, dlen) || o->path[dlen] != '/')
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 256;
			void *p = realloc(names, cap * sizeof(*names));
			if (!p) {
				free(names);
				return -ENOMEM;
			}
			names = p;
		}
		names[n++] = o->path + dlen + 1;
	}
	if (n)
		qsort(names, n, sizeof(*names), str_cmp);
	full_path(os, dir, full, sizeof(full));
	d = opendir(full);
	if (!d) {
		free(names);
		return 0;
	}
	while ((de = readdir(d))) {
		char *key = de->d_name, p[4400];

		if (de->d_name[0] == '.')
			continue;
		if (n && bsearch(&key, names, n, sizeof(*names), str_cmp))
			continue;
		snprintf(p, sizeof(p), "%s/%s", full, de->d_name);
		if (!is_ours(p))
			continue;
		(*removed)++;
		if (!apply) {
			printf("remove %s (no node uses it any more)\n", p);
			continue;
		}
		if (unlink(p) < 0) {
			r = -errno;
			nl_err(EXPORT_STAGE, "%s: cannot remove stale file: %s", p, strerror(errno));
		} else if (os->verbose) {
			nl_info(EXPORT_STAGE, "removed stale %s", p);
		}
	}
	closedir(d);
	free(names);
	return r;
}

static int sweep_owned(struct outset *os, bool apply, unsigned *removed)
{
	const struct site *s = &os->m->site;
	int r = 0, q;

	/* Only the kinds rendered in this run: "render dnsmasq" has no
	 * pxelinux outputs, and that must not read as "no node needs any". */
	if (os->kinds & (1u << OUT_PXELINUX)) {
		q = sweep_dir(os, s->out_path[OUT_PXELINUX], OUT_PXELINUX, apply, removed);
		r = r < 0 ? r : q;
	}
	if (os->kinds & (1u << OUT_IPXE)) {
		q = sweep_dir(os, s->out_path[OUT_IPXE], OUT_IPXE, apply, removed);
		r = r < 0 ? r : q;
	}
	return r;
}

int out_commit(struct outset *os)
{
	size_t i;
	unsigned removed = 0;
	int r = 0, q;
	bool synced_any = false;

	for (i = 0; i < os->n; i++) {
		bool changed;

		q = commit_one(os, &os->o[i], &changed);
		if (q < 0) {
			os->failed++;
			r = r < 0 ? r : q;
			continue;
		}
		if (changed) {
			os->changed++;
			synced_any |= os->o[i].is_dir_owned;
			if (os->dry_run)
				printf("would write %s%s\n", os->root ? os->root : "", os->o[i].path);
		} else {
			os->unchanged++;
		}
	}
	listing_free();
	q = sweep_owned(os, !os->dry_run, &removed);
	r = r < 0 ? r : q;
	os->changed += removed;
	if (synced_any && !os->dry_run) {
		/* One syncfs for the per-node files instead of one fsync each. */
		int fd = open(os->root && *os->root ? os->root : "/", O_RDONLY | O_DIRECTORY | O_CLOEXEC);

		if (fd >= 0) {
			syncfs(fd);
			close(fd);
		}
	}
	return r;
}

/* ---- diff ---- */
static int show_diff(const char *old, const struct output *o)
{
	char tmp[] = "/tmp/netinit-diff-XXXXXX", tool[256];
	char lbl_a[4200], lbl_b[4200];
	int fd = mkstemp(tmp), r;

	if (fd < 0)
		return -errno;
	r = write_fd_all(fd, o->data.p ? o->data.p : "", o->data.len);
	close(fd);
	if (r == 0 && find_tool("diff", tool, sizeof(tool))) {
		pid_t pid;

		snprintf(lbl_a, sizeof(lbl_a), "%s (now)", old);
		snprintf(lbl_b, sizeof(lbl_b), "%s (rendered)", old);
		fflush(stdout);
		pid = fork();
		if (pid == 0) {
			execl(tool, "diff", "-u", "--label", lbl_a, "--label", lbl_b,
			      access(old, F_OK) == 0 ? old : "/dev/null", tmp, (char *)NULL);
			_exit(127);
		}
		if (pid > 0)
			while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
				;
	}
	unlink(tmp);
	return r;
}

int out_diff(struct outset *os, bool unified)
{
	unsigned removed = 0;
	int changed = 0;
	size_t i;

	for (i = 0; i < os->n; i++) {
		const struct output *o = &os->o[i];
		char path[4096];

		full_path(os, o->path, path, sizeof(path));
		if (same_content(path, &o->data, o->mode))
			continue;
		changed++;
		printf("%s %s\n", access(path, F_OK) == 0 ? "update" : "create", path);
		if (unified) {
			fflush(stdout);
			show_diff(path, o);
		}
	}
	sweep_owned(os, false, &removed);
	fflush(stdout);
	return changed + (int)removed;
}
