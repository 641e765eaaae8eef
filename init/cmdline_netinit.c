/* SPDX-License-Identifier: MIT */
/* netinit's own keys, netinit.* (doc/cmdline.md). */
#include "cmdline_internal.h"

#include <arpa/inet.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "codec.h"

/* ---- netinit.* ---- */

static void h_mirror(struct pstate *ps, const char *key, const char *val)
{
	struct cmdline *cl = ps->cl;

	if (!cmdline_url_check(ps, key, val))
		return;
	if (cl->nmirror >= CMDLINE_MAX_LIST - 1) { /* one slot for the root= URL */
		ERR(ps, key, "too many mirrors (max %d)", CMDLINE_MAX_LIST - 1);
		return;
	}
	copy_str(cl->mirror[cl->nmirror++], CMDLINE_MAX_URL, val);
}

/* netinit.mount=<source>:<mountpoint>[:<type>[:<options>]]: kept as written
 * (a list); init/plan.c splits and checks it, so `init plan` and the
 * server's lint report the same problems the boot does. */
static void h_mount(struct pstate *ps, const char *key, const char *val)
{
	struct cmdline *cl = ps->cl;

	if (cl->nmount >= CMDLINE_MAX_MOUNT) {
		ERR(ps, key, "too many extra mounts (max %d)", CMDLINE_MAX_MOUNT);
		return;
	}
	if (!graph_only(val) || !copy_str(cl->mount[cl->nmount], sizeof(cl->mount[0]), val)) {
		ERR(ps, key, "expected <source>:<mountpoint>[:<type>[:<options>]] without spaces "
		    "(max %zu bytes)", sizeof(cl->mount[0]) - 1);
		return;
	}
	cl->nmount++;
}

static void h_sha256(struct pstate *ps, const char *key, const char *val)
{
	struct cmdline *cl = ps->cl;
	size_t i;

	if (!val) { /* "netinit.sha256" or "netinit.sha256=": a pin asked for, none given */
		ERR(ps, key, "needs a value (netinit.sha256=<64 hex digits>); boot is refused");
		cl->sha256[0] = '\0';
		cl->sha256_invalid = true;
		return;
	}
	for (i = 0; val[i] && i < 64; i++)
		if (hex_digit(val[i]) < 0)
			break;
	if (i != 64 || val[64]) {
		cl->sha256[0] = '\0';
		cl->sha256_invalid = true;
		ERR(ps, key, "expected 64 hexadecimal digits; the image cannot be verified, "
		    "boot is refused");
		return;
	}
	for (i = 0; i < 64; i++)
		cl->sha256[i] = (char)(val[i] >= 'A' && val[i] <= 'F' ? val[i] + 32 : val[i]);
	cl->sha256[64] = '\0';
	cl->sha256_invalid = false;
}

static void h_verify(struct pstate *ps, const char *key, const char *val)
{
	if (!strcmp(val, "on"))
		ps->cl->verify_off = false;
	else if (!strcmp(val, "off"))
		ps->cl->verify_off = true;
	else
		ERR(ps, key, "expected on or off");
}

static void h_writable(struct pstate *ps, const char *key, const char *val)
{
	if (strcmp(val, "volatile") && strcmp(val, "persistent") && strcmp(val, "none")) {
		ERR(ps, key, "expected volatile, persistent or none");
		return;
	}
	copy_str(ps->cl->writable, sizeof(ps->cl->writable), val);
}

/* Is the name s[0..n) among the comma-separated names in list[0..len)? */
static bool list_has(const char *list, size_t len, const char *s, size_t n)
{
	const char *p = list, *end = list + len;
	size_t m;

	while (p < end) {
		m = strcspn(p, ",");
		if (m == n && !memcmp(p, s, n))
			return true;
		p += m + 1;
	}
	return false;
}

/* etc,var,tmp: simple names, each once, at most 127 bytes. */
static bool dirs_valid(struct pstate *ps, const char *key, const char *val)
{
	const char *p = val;
	size_t n;
	char v[64];

	if (strlen(val) >= 128) {
		ERR(ps, key, "too long (max %d bytes)", 127);
		return false;
	}
	for (;;) {
		n = strcspn(p, ",");
		if (!dirname_valid_n(p, n)) {
			ERR(ps, key, "bad directory list \"%s\"; expected simple names such as "
			    "etc,var,tmp (no '/', '.' or '..')", cmdline_show(v, val));
			return false;
		}
		if (list_has(val, (size_t)(p - val), p, n)) {
			ERR(ps, key, "\"%.*s\" is listed twice", (int)n, p);
			return false;
		}
		if (!p[n])
			return true;
		p += n + 1;
	}
}

/* netinit.writable.dirs=etc,var,tmp: the per-host layer's directories
 * (struct plan_hostdir), checked by dirs_valid(); at most 8. */
static void h_writable_dirs(struct pstate *ps, const char *key, const char *val)
{
	struct cmdline *cl = ps->cl;
	size_t n = 0;

	if (!dirs_valid(ps, key, val))
		return;
	for (const char *p = val; ; p++) {
		size_t len = strcspn(p, ",");

		if (n == ARRAY_SIZE(cl->writable_dirs) || len >= sizeof(cl->writable_dirs[0])) {
			ERR(ps, key, "at most %zu directories", ARRAY_SIZE(cl->writable_dirs));
			cl->nwritable_dirs = 0;
			return;
		}
		memcpy(cl->writable_dirs[n], p, len);
		cl->writable_dirs[n++][len] = '\0';
		p += len;
		if (!*p)
			break;
	}
	cl->nwritable_dirs = n;
}

/* netinit.writable.base=[<server>:]<dir>: where the node directories are. */
static void h_writable_base(struct pstate *ps, const char *key, const char *val)
{
	const char *colon = strchr(val, ':'), *dir = colon ? colon + 1 : val;

	if (dir[0] != '/' || !graph_only(val) || strstr(dir, "/..") || strchr(dir, ',') ||
	    (colon && !host_valid_n(val, (size_t)(colon - val)))) {
		ERR(ps, key, "expected [<server>:]/<dir> (an absolute directory, a host name or "
		    "IPv4 address before ':')");
		return;
	}
	if (!copy_str(ps->cl->writable_base, sizeof(ps->cl->writable_base), val))
		ERR(ps, key, "too long");
}

static void h_collision(struct pstate *ps, const char *key, const char *val)
{
	if (!strcmp(val, "fail") || !strcmp(val, "volatile"))
		ps->cl->collision_fail = !strcmp(val, "fail");
	else
		ERR(ps, key, "expected volatile or fail");
}

/* netinit.hostfiles=<url>, repeatable like netinit.mirror=: each one more
 * place to get the same per-host archive (a URL given twice is kept once). */
static void h_hostfiles(struct pstate *ps, const char *key, const char *val)
{
	struct cmdline *cl = ps->cl;

	if (!cmdline_url_check(ps, key, val))
		return;
	for (size_t i = 0; i < cl->nhostfiles; i++)
		if (!strcmp(cl->hostfiles[i], val))
			return;
	if (cl->nhostfiles >= CMDLINE_MAX_LIST) {
		ERR(ps, key, "too many per-host file URLs (max %d)", CMDLINE_MAX_LIST);
		return;
	}
	copy_str(cl->hostfiles[cl->nhostfiles++], CMDLINE_MAX_URL, val);
}

static void h_key(struct pstate *ps, const char *key, const char *val)
{
	struct cmdline *cl = ps->cl;
	uint8_t k[32];
	char v[64];

	if (!val || base64_decode(val, strlen(val), k, sizeof(k), false) != 32) {
		ERR(ps, key, "expected an ed25519 public key: 32 bytes in base64 (44 characters)");
		/* fetch/ refuses the boot: a key that was asked for is never dropped */
		if (!cl->key_invalid[0])
			copy_str(cl->key_invalid, sizeof(cl->key_invalid), cmdline_show(v, val));
		return;
	}
	if (cl->nkey >= CMDLINE_MAX_LIST) {
		ERR(ps, key, "too many keys (max %d)", CMDLINE_MAX_LIST);
		return;
	}
	memcpy(cl->key[cl->nkey++], k, 32);
}

/* ---- the table ---- */

/* netinit.hook.timeout=, netinit.hook.onfail=, netinit.report=,
 * netinit.retries=, netinit.shell.timeout=, netinit.watchdog.stuck=
 * (doc/hooks.md, doc/failure.md) */
static void h_hook_timeout(struct pstate *ps, const char *key, const char *val)
{
	if (!valid_int(val, 1, 86400, &ps->cl->hook_timeout))
		ERR(ps, key, "expected whole seconds from 1 to 86400");
}
static void h_hook_onfail(struct pstate *ps, const char *key, const char *val)
{
	if (!strcmp(val, "fail") || !strcmp(val, "skip"))
		copy_str(ps->cl->hook_onfail, sizeof(ps->cl->hook_onfail), val);
	else
		ERR(ps, key, "expected fail or skip");
}
static void h_report(struct pstate *ps, const char *key, const char *val)
{
	if (strncmp(val, "http://", 7) != 0)
		ERR(ps, key, "expected an http:// URL (the report is a plain HTTP POST)");
	else if (cmdline_url_check(ps, key, val))
		copy_str(ps->cl->report_url, sizeof(ps->cl->report_url), val);
}
static void h_retries(struct pstate *ps, const char *key, const char *val)
{
	if (!valid_int(val, 0, 100, &ps->cl->retries))
		ERR(ps, key, "expected a whole number from 0 to 100");
}
static void h_shell_timeout(struct pstate *ps, const char *key, const char *val)
{
	if (!valid_int(val, 0, 86400, &ps->cl->shell_timeout))
		ERR(ps, key, "expected whole seconds from 0 to 86400");
}

/* At least 10 s: a stage start or a download line every few seconds is
 * normal progress, and a bound below that would reset healthy nodes. */
static void h_watchdog_stuck(struct pstate *ps, const char *key, const char *val)
{
	if (!valid_int(val, 10, 86400, &ps->cl->watchdog_stuck))
		ERR(ps, key, "expected whole seconds from 10 to 86400");
}

const struct keydef cmdline_keys_netinit[] = {
	/* netinit */
	{ "netinit.mirror", h_mirror, VAL_NEEDED },
	{ "netinit.mount", h_mount, VAL_NEEDED },
	{ "netinit.sha256", h_sha256, FLAG_OK }, /* a bare flag refuses the boot */
	{ "netinit.verify", h_verify, VAL_NEEDED },
	{ "netinit.writable", h_writable, VAL_NEEDED },
	{ "netinit.writable.dirs", h_writable_dirs, VAL_NEEDED },
	{ "netinit.writable.base", h_writable_base, VAL_NEEDED },
	{ "netinit.writable.collision", h_collision, VAL_NEEDED },
	{ "netinit.hostfiles", h_hostfiles, VAL_NEEDED },
	{ "netinit.key", h_key, FLAG_OK },       /* a bare flag refuses the boot */
	{ "netinit.hook.timeout", h_hook_timeout, VAL_NEEDED },
	{ "netinit.hook.onfail", h_hook_onfail, VAL_NEEDED },
	{ "netinit.report", h_report, VAL_NEEDED },
	{ "netinit.retries", h_retries, VAL_NEEDED },
	{ "netinit.shell.timeout", h_shell_timeout, VAL_NEEDED },
	{ "netinit.watchdog.stuck", h_watchdog_stuck, VAL_NEEDED },
};
const size_t cmdline_nkeys_netinit = ARRAY_SIZE(cmdline_keys_netinit);
