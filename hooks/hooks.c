/* SPDX-License-Identifier: MIT */
/* The hook runner: see hooks.h and doc/hooks.md. */
#include "hooks.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "log.h"
#include "util.h"

#define HOOK_HEADER_MAX 4096
#define HOOK_LINE_MAX 480

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* A hook file name: letters, digits, '-', '_', '.', not starting with '.'. */
static bool hook_name_ok(const char *n)
{
	if (!n[0] || n[0] == '.' || strlen(n) > 64)
		return false;
	return strspn(n, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.") == strlen(n);
}

int hooks_parse_timeout(const char *val, int *out)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(val, &end, 10);
	if (errno || end == val || *end || v < 1 || v > 86400)
		return -EINVAL;
	*out = (int)v;
	return 0;
}

int hooks_parse_policy(const char *val, enum hook_policy *out)
{
	if (!strcmp(val, "fail"))
		*out = HOOK_POLICY_FAIL;
	else if (!strcmp(val, "skip"))
		*out = HOOK_POLICY_SKIP;
	else
		return -EINVAL;
	return 0;
}

/* One "# netinit-KEY: VALUE" line (already without the "# netinit-"). */
static int header_line(const char *l, size_t n, struct hook_opts *o, char *err, size_t errsize)
{
	char val[32];
	const char *colon = memchr(l, ':', n), *v;
	size_t vn;

	if (!colon)
		return 0;
	for (v = colon + 1; v < l + n && (*v == ' ' || *v == '\t'); v++)
		;
	vn = (size_t)(l + n - v);
	while (vn && (v[vn - 1] == ' ' || v[vn - 1] == '\t' || v[vn - 1] == '\r'))
		vn--;
	snprintf(val, sizeof(val), "%.*s", (int)(vn < sizeof(val) ? vn : sizeof(val) - 1), v);
	if ((size_t)(colon - l) == 7 && !memcmp(l, "timeout", 7)) {
		if (vn < sizeof(val) && hooks_parse_timeout(val, &o->timeout_s) == 0)
			return 0;
		snprintf(err, errsize, "netinit-timeout: expected seconds from 1 to 86400, got \"%s\"", val);
		return -EINVAL;
	}
	if ((size_t)(colon - l) == 6 && !memcmp(l, "onfail", 6)) {
		if (vn < sizeof(val) && hooks_parse_policy(val, &o->policy) == 0)
			return 0;
		snprintf(err, errsize, "netinit-onfail: expected fail or skip, got \"%s\"", val);
		return -EINVAL;
	}
	snprintf(err, errsize, "unknown setting \"# netinit-%.*s\" (netinit-timeout, netinit-onfail)",
		 (int)(colon - l), l);
	return -EINVAL;
}

int hook_parse_header(const char *buf, size_t len, struct hook_opts *o, char *err, size_t errsize)
{
	static const char tag[] = "# netinit-";
	const char *p = buf, *end = buf + len;

	o->timeout_s = 0;
	o->policy = HOOK_POLICY_UNSET;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);

		if (n > sizeof(tag) - 1 && !memcmp(p, tag, sizeof(tag) - 1)) {
			int r = header_line(p + sizeof(tag) - 1, n - (sizeof(tag) - 1), o, err, errsize);

			if (r < 0)
				return r;
		}
		if (!nl)
			break;
		p = nl + 1;
	}
	return 0;
}

/* The hook names of dir, sorted; -E2BIG past HOOKS_MAX (never a silent cut). */
static int list_hooks(const char *dir, char **names, size_t *count)
{
	DIR *dp = opendir(dir);
	struct dirent *d;
	size_t n = 0, seen = 0;
	int r = 0;

	*count = 0;
	if (!dp)
		return errno == ENOENT ? 0 : -errno;
	while ((d = readdir(dp))) {
		if (d->d_name[0] == '.')
			continue;
		if (!hook_name_ok(d->d_name)) {
			nl_warn("hooks", "%s/%s: ignored (name must be [A-Za-z0-9._-], at most 64)", dir,
				d->d_name);
			continue;
		}
		if (++seen > HOOKS_MAX)
			continue;
		names[n] = strdup(d->d_name);
		if (!names[n]) {
			r = -ENOMEM;
			break;
		}
		n++;
	}
	closedir(dp);
	if (!r && seen > HOOKS_MAX) {
		nl_err("hooks", "%s holds %zu hooks, more than the limit of %d: none of them is run",
		       dir, seen, HOOKS_MAX);
		r = -E2BIG;
	}
	if (r < 0) {
		while (n)
			free(names[--n]);
		return r;
	}
	qsort(names, n, sizeof(names[0]), cmp_names);
	*count = n;
	return 0;
}

/* Settings of one hook file; also refuses what cannot be exec'd. */
static int hook_read_opts(const char *path, struct hook_opts *o, char *err, size_t errsize)
{
	char buf[HOOK_HEADER_MAX];
	struct stat st;
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);

	if (fd < 0 || fstat(fd, &st) < 0) {
		int e = errno;

		snprintf(err, errsize, "cannot open: %s", strerror(e));
		if (fd >= 0)
			close(fd);
		return -e;
	}
	if (!S_ISREG(st.st_mode) || !(st.st_mode & 0100)) {
		close(fd);
		snprintf(err, errsize, "not an executable file (chmod +x it; a script needs a #! line)");
		return -ENOEXEC;
	}
	n = read(fd, buf, sizeof(buf));
	close(fd);
	return hook_parse_header(buf, n > 0 ? (size_t)n : 0, o, err, errsize);
}

struct hook_run {
	const char *stage, *name;
	pid_t pid;
	int fd;                  /* read end of stdout+stderr, -1 at EOF */
	char line[HOOK_LINE_MAX];
	size_t len;
	bool exited;
	int status;
};

/* One line of output: control characters shown as '?', one log line. */
static void emit_line(struct hook_run *h)
{
	for (size_t i = 0; i < h->len; i++)
		if ((unsigned char)h->line[i] < 0x20 || h->line[i] == 0x7f)
			h->line[i] = '?';
	nl_info(h->stage, "hook %s: %.*s", h->name, (int)h->len, h->line);
	h->len = 0;
}

static void take_output(struct hook_run *h, const char *buf, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (buf[i] == '\n') {
			emit_line(h);
			continue;
		}
		if (h->len == sizeof(h->line))
			emit_line(h); /* a long line goes out in pieces */
		h->line[h->len++] = buf[i];
	}
}

/* Read what is there (waiting up to ms); false at EOF or error. */
static bool pump_output(struct hook_run *h, int ms)
{
	struct pollfd p = { h->fd, POLLIN, 0 };
	char buf[1024];
	ssize_t n;

	if (poll(&p, 1, ms) <= 0)
		return true;
	n = read(h->fd, buf, sizeof(buf));
	if (n < 0 && (errno == EINTR || errno == EAGAIN))
		return true;
	if (n <= 0)
		return false;
	take_output(h, buf, (size_t)n);
	return true;
}

/* Reap every exited child (orphans come to PID 1 too), noting ours. */
static void reap(struct hook_run *h)
{
	int st;
	pid_t w;

	while ((w = waitpid(-1, &st, WNOHANG)) > 0)
		if (w == h->pid) {
			h->exited = true;
			h->status = st;
		}
}

static pid_t hook_spawn(const char *path, char *const envp[], int *outfd)
{
	char *argv[] = { (char *)path, NULL };
	int p[2], nul;
	pid_t pid;

	if (pipe2(p, O_CLOEXEC) < 0)
		return -errno;
	pid = fork();
	if (pid < 0) {
		close(p[0]);
		close(p[1]);
		return -errno;
	}
	if (pid == 0) {
		/* Own process group: the timeout kills the hook and all it started. */
		setpgid(0, 0);
		nul = open("/dev/null", O_RDONLY);
		if (nul >= 0)
			dup2(nul, 0); /* dup2 clears O_CLOEXEC on 0-2: meant here */
		dup2(p[1], 1);
		dup2(p[1], 2);
		execve(path, argv, envp);
		dprintf(2, "cannot execute: %s%s\n", strerror(errno),
			errno == ENOEXEC ? " (a script needs a #! line)" :
			errno == ENOENT ? " (is the #! interpreter in the initramfs?)" : "");
		_exit(127);
	}
	setpgid(pid, pid); /* both sides: whichever runs first */
	close(p[1]);
	*outfd = p[0];
	return pid;
}

/* SIGTERM to the group, a grace period, then SIGKILL; bounded. */
static void kill_group(struct hook_run *h)
{
	uint64_t end;

	kill(-h->pid, SIGTERM);
	for (end = now_ms() + HOOKS_KILL_GRACE_MS; !h->exited && now_ms() < end;) {
		if (h->fd >= 0 && !pump_output(h, 50)) {
			close(h->fd);
			h->fd = -1;
		} else if (h->fd < 0) {
			sleep_ms(50);
		}
		reap(h);
	}
	kill(-h->pid, SIGKILL); /* the rest of the group, even when the leader ended */
	/* Until the group is gone (its orphans are reaped here, as PID 1's). */
	for (end = now_ms() + 5000; (!h->exited || kill(-h->pid, 0) == 0) && now_ms() < end;
	     sleep_ms(20))
		reap(h);
}

/* Wait for the hook, logging its output, until it exits or timeout_s passes.
 * Returns false on timeout. */
static bool hook_wait(struct hook_run *h, int timeout_s)
{
	uint64_t deadline = now_ms() + (uint64_t)timeout_s * 1000;

	while (!h->exited) {
		uint64_t now = now_ms();

		if (now >= deadline)
			return false;
		if (h->fd >= 0) {
			if (!pump_output(h, deadline - now < 200 ? (int)(deadline - now) : 200)) {
				close(h->fd);
				h->fd = -1;
			}
		} else {
			sleep_ms(50);
		}
		reap(h);
	}
	/* Exited: take what it wrote; a background child may still hold the
	 * pipe, so read only what is already there. */
	while (h->fd >= 0 && pump_output(h, 0)) {
		struct pollfd p = { h->fd, POLLIN, 0 };

		if (poll(&p, 1, 0) <= 0)
			break;
	}
	return true;
}

/* Run one hook; 0 when it succeeded, -ECHILD when it failed. */
static int hook_run_one(const char *dir, const char *name, const char *stage,
			const struct hooks_conf *c, char *const envp[])
{
	struct hook_run h = { .stage = stage, .name = name, .fd = -1 };
	struct hook_opts o;
	char path[512], err[160];
	uint64_t t0 = now_ms();
	int timeout;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if (hook_read_opts(path, &o, err, sizeof(err)) < 0) {
		nl_err(stage, "hook %s: %s", path, err);
		return c->policy == HOOK_POLICY_SKIP ? 1 : -ECHILD;
	}
	timeout = o.timeout_s ? o.timeout_s : c->timeout_s > 0 ? c->timeout_s : HOOKS_TIMEOUT_DEFAULT;
	h.pid = hook_spawn(path, envp, &h.fd);
	if (h.pid < 0) {
		nl_err(stage, "hook %s: cannot start: %s", path, strerror((int)-h.pid));
		return -ECHILD;
	}
	nl_debug(stage, "hook %s: started (pid %d, timeout %d s)", name, (int)h.pid, timeout);
	if (!hook_wait(&h, timeout)) {
		nl_err(stage, "hook %s: still running after %d s (its timeout): killing its process group",
		       name, timeout);
		kill_group(&h);
		h.status = -1;
	}
	if (h.len)
		emit_line(&h);
	if (h.fd >= 0)
		close(h.fd);
	if (h.status == 0) {
		nl_info(stage, "hook %s done (%.3f s)", name, (double)(now_ms() - t0) / 1000.0);
		return 0;
	}
	if (h.status > 0 && WIFEXITED(h.status))
		nl_err(stage, "hook %s failed: exit status %d", name, WEXITSTATUS(h.status));
	else if (h.status > 0 && WIFSIGNALED(h.status))
		nl_err(stage, "hook %s failed: killed by signal %d", name, WTERMSIG(h.status));
	return (o.policy ? o.policy : c->policy) == HOOK_POLICY_SKIP ? 1 : -ECHILD;
}

int hooks_run_dir(const char *dir, const char *stage, const struct hooks_conf *c,
		  char *const envp[])
{
	char *names[HOOKS_MAX];
	size_t n;
	int r = list_hooks(dir, names, &n);

	if (r < 0)
		return r;
	for (size_t i = 0; i < n; i++) {
		int one = r < 0 ? 0 : hook_run_one(dir, names[i], stage, c, envp);

		if (one > 0)
			nl_warn(stage, "hook %s: failure ignored (onfail=skip)", names[i]);
		else if (one < 0)
			r = one; /* the rest of the folder is not run */
		free(names[i]);
	}
	return r;
}
