/* SPDX-License-Identifier: MIT */
/*
 * The kernel command line parser (see cmdline.h and doc/cmdline.md).
 *
 * Two passes: cmdline_tokenize() splits the line into words the way the
 * kernel does (Documentation/admin-guide/kernel-parameters.rst: spaces
 * separate, double quotes group, "--" ends the kernel's part), then every
 * word is dispatched through one table of handlers.  A handler parses into a
 * temporary and commits only a fully valid value, so an invalid value leaves
 * the previous (or default) value in place.  cmdline_resolve() then applies
 * the rules that depend on more than one key (root=/dev/nfs + nfsroot=,
 * boot=nfs, the mirror list, neednet).
 *
 * No I/O, no allocation: it also runs on the server to lint pxelinux.cfg
 * lines, and under libFuzzer.
 */
#include "cmdline.h"

#include <arpa/inet.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define MAX_WORDS (sizeof(((struct cmdline *)0)->words) / sizeof(struct cmdline_word))
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* Seconds: a day is more than any sane boot wait and keeps sums in int. */
#define SECONDS_MAX 86400

struct pstate {
	struct cmdline *cl;
	cmdline_report_fn report;
	void *ctx;
	int errors;
	/* keys whose meaning depends on others: applied in cmdline_resolve() */
	struct nfs_spec nfsroot;
	bool has_nfsroot, nfsroot_auto;
	const char *nfsroot_key;
	bool root_devnfs; /* root=/dev/nfs: location from nfsroot= */
	bool boot_nfs;    /* initramfs-tools boot=nfs */
	int neednet;      /* rd.neednet: -1 not given, 0, 1 */
};

/* ---- small helpers ---- */

static bool is_space(char c)
{
	/* the kernel's isspace() in lib/ctype.c for the ASCII range */
	return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}

static bool is_digit(char c) { return c >= '0' && c <= '9'; }
static bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
static bool is_alnum(char c) { return is_alpha(c) || is_digit(c); }

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Printable ASCII, no space: what URLs, paths and options may contain. */
static bool graph_only(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s <= 0x20 || (unsigned char)*s >= 0x7f)
			return false;
	return true;
}

/* Printable ASCII with spaces (labels may contain them once quoted). */
static bool print_only(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || (unsigned char)*s >= 0x7f)
			return false;
	return true;
}

static bool copy_str(char *dst, size_t size, const char *src)
{
	size_t n = strlen(src);

	if (n >= size)
		return false;
	memcpy(dst, src, n + 1);
	return true;
}

static bool copy_mem(char *dst, size_t size, const char *src, size_t n)
{
	if (n >= size)
		return false;
	memcpy(dst, src, n);
	dst[n] = '\0';
	return true;
}

static bool starts_with(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* A value quoted for a message: printable, at most 48 bytes, never a raw control char. */
static const char *show(char out[64], const char *v)
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
static const char *show_key(char out[64], const char *k)
{
	char *p;

	show(out, k);
	for (p = out; *p; p++)
		if (*p == ' ')
			*p = '?';
	return out;
}

__attribute__((format(printf, 4, 5)))
static void report(struct pstate *ps, enum cmdline_severity sev, const char *param,
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

#define ERR(ps, param, ...)  report(ps, CMDLINE_ERROR, param, __VA_ARGS__)
#define WARN(ps, param, ...) report(ps, CMDLINE_WARNING, param, __VA_ARGS__)

/* Strict decimal: optional '-', digits only, within [min, max]. */
static bool parse_int(const char *s, long min, long max, int *out)
{
	long long v = 0;
	bool neg = false;

	if (!s || !*s)
		return false;
	if (*s == '-') {
		neg = true;
		s++;
	}
	if (!*s)
		return false;
	for (; *s; s++) {
		if (!is_digit(*s))
			return false;
		v = v * 10 + (*s - '0');
		if (v > (long long)INT_MAX + 1)
			return false;
	}
	if (neg)
		v = -v;
	if (v < min || v > max)
		return false;
	*out = (int)v;
	return true;
}

/* dracut's getargbool spellings; a bare flag (NULL) is true. */
static bool parse_bool(const char *s, bool *out)
{
	static const char *const yes[] = { "1", "yes", "on", "true" };
	static const char *const no[] = { "0", "no", "off", "false" };
	size_t i;

	if (!s) {
		*out = true;
		return true;
	}
	for (i = 0; i < ARRAY_SIZE(yes); i++) {
		if (!strcmp(s, yes[i])) {
			*out = true;
			return true;
		}
		if (!strcmp(s, no[i])) {
			*out = false;
			return true;
		}
	}
	return false;
}

/* Dotted quad only (inet_pton is strict: no octal, no short forms). */
static bool parse_ip4(const char *s, struct in_addr *out)
{
	return inet_pton(AF_INET, s, out) == 1;
}

static bool parse_ip4_n(const char *s, size_t n, struct in_addr *out)
{
	char tmp[INET_ADDRSTRLEN];

	if (!copy_mem(tmp, sizeof(tmp), s, n))
		return false;
	return parse_ip4(tmp, out);
}

/* Exactly aa:bb:cc:dd:ee:ff (case-insensitive), sep given. */
static bool parse_mac_sep(const char *s, char sep, uint8_t mac[6])
{
	int i, hi, lo;

	for (i = 0; i < 6; i++) {
		hi = hexval(s[0]);
		lo = hi < 0 ? -1 : hexval(s[1]);
		if (lo < 0)
			return false;
		mac[i] = (uint8_t)(hi << 4 | lo);
		s += 2;
		if (i < 5 && *s++ != sep)
			return false;
	}
	return *s == '\0';
}

static bool parse_mac(const char *s, uint8_t mac[6])
{
	return parse_mac_sep(s, ':', mac);
}

/* Linux dev_valid_name(): 1..15 bytes, not "." or "..", no '/', ':' or space. */
static bool ifname_valid_n(const char *s, size_t n)
{
	size_t i;

	if (n == 0 || n >= 16)
		return false;
	if ((n == 1 && s[0] == '.') || (n == 2 && s[0] == '.' && s[1] == '.'))
		return false;
	for (i = 0; i < n; i++)
		if (s[i] == '/' || s[i] == ':' || (unsigned char)s[i] <= 0x20 ||
		    (unsigned char)s[i] >= 0x7f)
			return false;
	return true;
}

/* Module names as modprobe takes them: letters, digits, '_' and '-'. */
static bool modname_valid_n(const char *s, size_t n)
{
	size_t i;

	if (n == 0 || n >= 64)
		return false;
	for (i = 0; i < n; i++)
		if (!is_alnum(s[i]) && s[i] != '_' && s[i] != '-')
			return false;
	return true;
}

/* A writable directory: one simple path component, never "." or "..". */
static bool dirname_valid_n(const char *s, size_t n)
{
	size_t i;

	if (n == 0 || n > 32)
		return false;
	if ((n == 1 && s[0] == '.') || (n == 2 && s[0] == '.' && s[1] == '.'))
		return false;
	for (i = 0; i < n; i++)
		if (!is_alnum(s[i]) && s[i] != '_' && s[i] != '-' && s[i] != '.')
			return false;
	return true;
}

/* RFC 1123 section 2.1 (labels may start with a digit), RFC 1035 2.3.4 sizes. */
bool hostname_valid(const char *name)
{
	size_t total = 0, label = 0;
	const char *p;

	if (!name || !*name)
		return false;
	for (p = name; *p; p++, total++) {
		if (total >= 253)
			return false;
		if (*p == '.') {
			if (label == 0 || p[-1] == '-')
				return false;
			label = 0;
			continue;
		}
		if (!is_alnum(*p) && *p != '-')
			return false;
		if (*p == '-' && label == 0)
			return false;
		if (++label > 63)
			return false;
	}
	return label > 0 && p[-1] != '-';
}

/* A host: IPv4 dotted quad (when it looks numeric) or an RFC 1123 name. */
static bool host_valid_n(const char *s, size_t n)
{
	char tmp[254];
	struct in_addr a;
	size_t i;
	bool numeric = true;

	if (!copy_mem(tmp, sizeof(tmp), s, n))
		return false;
	for (i = 0; i < n; i++)
		if (!is_digit(tmp[i]) && tmp[i] != '.')
			numeric = false;
	if (numeric)
		return parse_ip4(tmp, &a);
	return hostname_valid(tmp);
}

/*
 * Light URL syntax check: scheme, host (name or IPv4), optional port, no
 * space or control characters.  Returns NULL when fine, else what is wrong.
 */
static const char *url_problem(const char *url)
{
	const char *p, *host, *end;
	int port;
	char num[8];

	if (strlen(url) >= CMDLINE_MAX_URL)
		return "URL too long (max 1023 bytes)";
	if (!graph_only(url))
		return "URL contains a space or control character";
	if (starts_with(url, "http://"))
		host = url + 7;
	else if (starts_with(url, "tftp://"))
		host = url + 7;
	else if (starts_with(url, "https://"))
		return "https:// is not supported yet; use http:// with netinit.sha256= "
		       "or a signed manifest";
	else if (strstr(url, "://"))
		return "unsupported URL scheme; expected http:// or tftp://";
	else
		return "not a URL; expected http://<host>[:<port>]/<path> or tftp://<host>/<path>";

	end = host + strcspn(host, "/?#");
	if (memchr(host, '@', (size_t)(end - host)))
		return "user names in URLs are not supported";
	if (*host == '[')
		return "IPv6 addresses are not supported; use an IPv4 address or a host name";
	p = memchr(host, ':', (size_t)(end - host));
	if (p) {
		if (!copy_mem(num, sizeof(num), p + 1, (size_t)(end - p - 1)) ||
		    !parse_int(num, 1, 65535, &port) || num[0] == '-')
			return "bad port; expected 1-65535";
	} else {
		p = end;
	}
	if (p == host)
		return "URL has no host";
	if (!host_valid_n(host, (size_t)(p - host)))
		return "bad host in URL; expected an IPv4 address or a host name";
	return NULL;
}

static bool url_check(struct pstate *ps, const char *key, const char *url)
{
	const char *why = url_problem(url);
	char v[64];

	if (why)
		ERR(ps, key, "%s: \"%s\"", why, show(v, url));
	return why == NULL;
}

/* ---- tokenizer ---- */

static void cmdline_defaults(struct cmdline *cl)
{
	memset(cl, 0, sizeof(*cl));
	cl->ro = -1;
	cl->panic = -1;
	cl->rootdelay = -1;
	cl->timeout_iflink = cl->timeout_carrier = cl->timeout_dhcp = cl->timeout_ifup = -1;
	cl->dhcp_retry = -1;
	cl->retry = -1;
	cl->timeout = -1;
	cl->fetch_timeout = -1;
	cl->fetch_retries = -1;
	cl->hook_timeout = -1;
	cl->retries = -1;
	cl->shell_timeout = -1;
	strcpy(cl->init, "/sbin/init");
	strcpy(cl->writable, "volatile");
	strcpy(cl->writable_dirs, "etc,var,tmp");
}

static bool add_word(struct pstate *ps, char *word, bool init_arg)
{
	struct cmdline *cl = ps->cl;
	size_t n = cl->nwords + cl->ninit_args;
	char *eq;

	if (n >= MAX_WORDS) {
		ERR(ps, "cmdline", "more than %zu words; the rest is ignored", MAX_WORDS);
		return false;
	}
	cl->words[n].key = word;
	cl->words[n].value = NULL;
	if (init_arg) {
		cl->ninit_args++;
		return true;
	}
	eq = strchr(word, '=');
	if (eq) {
		*eq = '\0';
		cl->words[n].value = eq + 1;
	}
	cl->nwords++;
	return true;
}

/*
 * Split into words in cl->buf.  Quotes are removed wherever they are (the
 * kernel removes only a leading and a trailing one; the words that matter
 * are the same).  Output never exceeds input + 1 byte: every word's NUL takes
 * the place of the separator that ended it, the last one the extra byte.
 */
static void cmdline_tokenize(struct pstate *ps, const char *line)
{
	struct cmdline *cl = ps->cl;
	size_t len = strnlen(line, CMDLINE_MAX + 1);
	const char *p = line, *end;
	char *o = cl->buf, *start;
	bool cut_word = false, in_quote, after_dashdash = false;

	if (len > CMDLINE_MAX) {
		cl->truncated = true;
		len = CMDLINE_MAX;
		cut_word = !is_space(line[CMDLINE_MAX]);
		ERR(ps, "cmdline", "longer than %d bytes; cut after byte %d, a word cut in two "
		    "is dropped", CMDLINE_MAX, CMDLINE_MAX);
	}
	end = line + len;
	for (;;) {
		while (p < end && is_space(*p))
			p++;
		if (p >= end)
			break;
		start = o;
		in_quote = false;
		while (p < end && (in_quote || !is_space(*p))) {
			if (*p == '"')
				in_quote = !in_quote;
			else
				*o++ = *p;
			p++;
		}
		if (p >= end && cl->truncated && (cut_word || in_quote)) {
			o = start;
			break;
		}
		*o++ = '\0';
		if (in_quote)
			WARN(ps, "cmdline", "unterminated quote; it runs to the end of the line");
		if (!*start)
			continue; /* "" */
		if (!after_dashdash && !strcmp(start, "--")) {
			after_dashdash = true;
			continue;
		}
		if (!add_word(ps, start, after_dashdash))
			break;
	}
}

/* ---- boot stages ---- */

static const char *const stage_names[STAGE__COUNT] = {
	[STAGE_CMDLINE] = "cmdline",     [STAGE_PRE_UDEV] = "pre-udev",
	[STAGE_PRE_NET] = "pre-net",     [STAGE_POST_NET] = "post-net",
	[STAGE_PRE_MOUNT] = "pre-mount", [STAGE_MOUNT] = "mount",
	[STAGE_POST_MOUNT] = "post-mount", [STAGE_PRE_PIVOT] = "pre-pivot",
};

/* Other spellings: dracut's hook names and initramfs-tools' break= names. */
static const struct {
	const char *name;
	enum boot_stage stage;
} stage_aliases[] = {
	{ "pre-trigger", STAGE_PRE_UDEV }, /* dracut: before udev trigger = before modules */
	{ "initqueue", STAGE_PRE_NET },    /* dracut: the main loop brings up the network */
	{ "cleanup", STAGE_PRE_PIVOT },    /* dracut: right before switch_root */
	{ "top", STAGE_CMDLINE },          /* initramfs-tools: before init-top */
	{ "modules", STAGE_PRE_UDEV },     /* initramfs-tools: before load_modules */
	{ "premount", STAGE_PRE_NET },     /* initramfs-tools: before init-premount */
	{ "mountroot", STAGE_MOUNT },      /* initramfs-tools: before mountroot */
	{ "bottom", STAGE_POST_MOUNT },    /* initramfs-tools: before init-bottom */
	{ "init", STAGE_PRE_PIVOT },       /* initramfs-tools: before run-init */
};

const char *boot_stage_name(enum boot_stage s)
{
	if ((unsigned)s >= STAGE__COUNT)
		return "unknown";
	return stage_names[s];
}

int boot_stage_parse(const char *name, enum boot_stage *out)
{
	size_t i;

	if (!name)
		return -1;
	for (i = 0; i < STAGE__COUNT; i++)
		if (!strcmp(name, stage_names[i])) {
			*out = (enum boot_stage)i;
			return 0;
		}
	for (i = 0; i < ARRAY_SIZE(stage_aliases); i++)
		if (!strcmp(name, stage_aliases[i].name)) {
			*out = stage_aliases[i].stage;
			return 0;
		}
	return -1;
}

/* ---- handlers: one per key ---- */

typedef void (*handler_fn)(struct pstate *ps, const char *key, const char *val);

/* [<server>:]<dir>, the part both nfsroot= and root=nfs: share.  dirend: where dir stops. */
static bool nfs_parse_location(struct pstate *ps, const char *key, const char *s,
			       char dir_end, struct nfs_spec *nfs, const char **rest)
{
	const char *colon, *dir = s;
	size_t n;
	char v[64];

	if (*s == '[') {
		ERR(ps, key, "IPv6 server addresses are not supported: \"%s\"", show(v, s));
		return false;
	}
	if (*s != '/') {
		colon = strchr(s, ':');
		if (!colon) {
			ERR(ps, key, "expected [<server>:]/<path>, got \"%s\"", show(v, s));
			return false;
		}
		if (!host_valid_n(s, (size_t)(colon - s))) {
			ERR(ps, key, "bad server (expected an IPv4 address or a host name): \"%s\"",
			    show(v, s));
			return false;
		}
		copy_mem(nfs->server, sizeof(nfs->server), s, (size_t)(colon - s));
		dir = colon + 1;
	}
	n = strcspn(dir, (char[]){ dir_end, '\0' });
	if (n == 0 || dir[0] != '/') {
		ERR(ps, key, "the NFS path must be absolute (start with '/'): \"%s\"", show(v, s));
		return false;
	}
	if (!copy_mem(nfs->path, sizeof(nfs->path), dir, n)) {
		ERR(ps, key, "NFS path too long (max %zu bytes)", sizeof(nfs->path) - 1);
		return false;
	}
	*rest = dir[n] ? dir + n + 1 : NULL;
	return true;
}

/* vers=/nfsvers= in the options decide the version when the spelling did not. */
static bool nfs_options(struct pstate *ps, const char *key, const char *opts, struct nfs_spec *nfs)
{
	const char *p = opts, *q;
	size_t n;

	if (!opts)
		return true;
	if (!*opts) {
		ERR(ps, key, "empty NFS options after the separator");
		return false;
	}
	if (!graph_only(opts) || !copy_str(nfs->options, sizeof(nfs->options), opts)) {
		ERR(ps, key, "bad NFS options (no spaces or control characters, max %zu bytes)",
		    sizeof(nfs->options) - 1);
		return false;
	}
	while (*p) {
		n = strcspn(p, ",");
		q = NULL;
		if (n > 5 && starts_with(p, "vers="))
			q = p + 5;
		else if (n > 8 && starts_with(p, "nfsvers="))
			q = p + 8;
		if (q && nfs->version == 0) {
			if (*q == '3' && q + 1 == p + n)
				nfs->version = 3;
			else if (*q == '4' && (q + 1 == p + n || q[1] == '.'))
				nfs->version = 4;
			else {
				ERR(ps, key, "unsupported NFS version in options (expected 3 or 4)");
				return false;
			}
		}
		p += n;
		if (*p == ',')
			p++;
	}
	return true;
}

/* kernel nfsroot=[<server>:]<root-dir>[,<nfs-options>] (filesystems/nfs/nfsroot.rst) */
static void h_nfsroot(struct pstate *ps, const char *key, const char *val)
{
	struct nfs_spec nfs;
	const char *rest;

	memset(&nfs, 0, sizeof(nfs));
	if (!strcmp(val, "auto")) {
		/* initramfs-tools: the location comes from DHCP (root-path) */
		ps->has_nfsroot = true;
		ps->nfsroot_auto = true;
		ps->nfsroot_key = key;
		memset(&ps->nfsroot, 0, sizeof(ps->nfsroot));
		return;
	}
	if (val[0] == ',' || !strcmp(val, "default") || starts_with(val, "default,")) {
		/* kernel: options only (or the "default" directory); the
		 * location comes from DHCP root-path, these options are added */
		rest = strchr(val, ',');
		if (rest && !nfs_options(ps, key, rest + 1, &nfs))
			return;
		ps->nfsroot = nfs;
		ps->has_nfsroot = true;
		ps->nfsroot_auto = true;
		ps->nfsroot_key = key;
		return;
	}
	if (!nfs_parse_location(ps, key, val, ',', &nfs, &rest))
		return;
	if (!nfs_options(ps, key, rest, &nfs))
		return;
	ps->nfsroot = nfs;
	ps->has_nfsroot = true;
	ps->nfsroot_auto = false;
	ps->nfsroot_key = key;
}

/* dracut root=nfs:[<server>:]<root-dir>[:<nfs-options>], nfs4: the same with version 4 */
static bool root_dracut_nfs(struct pstate *ps, const char *key, const char *s, int version,
			    struct root_spec *r)
{
	const char *rest;

	r->type = ROOT_NFS;
	r->nfs.version = version;
	if (!*s)
		return true; /* root=nfs: -> location from DHCP, see cmdline_resolve() */
	if (!nfs_parse_location(ps, key, s, ':', &r->nfs, &rest))
		return false;
	return nfs_options(ps, key, rest, &r->nfs);
}

static void h_root(struct pstate *ps, const char *key, const char *val)
{
	static const char *const by[] = { "LABEL=", "UUID=", "PARTUUID=", "PARTLABEL=" };
	struct root_spec r;
	bool devnfs = false;
	char v[64];
	size_t i;

	memset(&r, 0, sizeof(r));
	if (!strcmp(val, "/dev/nfs")) {
		r.type = ROOT_NFS;
		devnfs = true;
	} else if (starts_with(val, "/dev/")) {
		if (!val[5] || !graph_only(val) || !copy_str(r.device, sizeof(r.device), val)) {
			ERR(ps, key, "bad device path \"%s\"", show(v, val));
			return;
		}
		r.type = ROOT_BLOCK;
	} else if (starts_with(val, "nfs:") || starts_with(val, "nfs4:")) {
		bool v4 = val[3] == '4';

		if (!root_dracut_nfs(ps, key, val + (v4 ? 5 : 4), v4 ? 4 : 0, &r))
			return;
	} else if (!strcmp(val, "dhcp")) {
		r.type = ROOT_DHCP;
	} else if (!strcmp(val, "dhcp6")) {
		ERR(ps, key, "dhcp6 is not supported (IPv4 only); use root=dhcp");
		return;
	} else if (starts_with(val, "live:")) {
		if (!strstr(val + 5, "://")) {
			ERR(ps, key, "live: takes a URL (http:// or tftp://), not a local device: "
			    "\"%s\"", show(v, val));
			return;
		}
		if (!url_check(ps, key, val + 5))
			return;
		copy_str(r.url, sizeof(r.url), val + 5);
		r.type = ROOT_URL;
	} else if (strstr(val, "://")) {
		if (!url_check(ps, key, val))
			return;
		copy_str(r.url, sizeof(r.url), val);
		r.type = ROOT_URL;
	} else {
		for (i = 0; i < ARRAY_SIZE(by); i++)
			if (starts_with(val, by[i]))
				break;
		if (i == ARRAY_SIZE(by)) {
			ERR(ps, key, "unsupported root \"%s\"; expected /dev/<name>, LABEL=, UUID=, "
			    "PARTUUID=, PARTLABEL=, /dev/nfs, nfs:, nfs4:, dhcp, live:<url>, "
			    "http:// or tftp://", show(v, val));
			return;
		}
		if (!val[strlen(by[i])] || !print_only(val) ||
		    !copy_str(r.device, sizeof(r.device), val)) {
			ERR(ps, key, "bad %s value \"%s\"", by[i], show(v, val));
			return;
		}
		r.type = ROOT_BLOCK;
	}
	ps->cl->root = r;
	ps->root_devnfs = devnfs;
}

static void h_boot(struct pstate *ps, const char *key, const char *val)
{
	if (!strcmp(val, "nfs"))
		ps->boot_nfs = true;
	else if (!strcmp(val, "local"))
		ps->boot_nfs = false;
	else
		WARN(ps, key, "only boot=nfs and boot=local (initramfs-tools) are known; ignored");
}

static void h_rootfstype(struct pstate *ps, const char *key, const char *val)
{
	const char *p;

	for (p = val; *p; p++)
		if (!is_alnum(*p) && *p != '_' && *p != '.' && *p != ',' && *p != '-')
			break;
	if (*p || !copy_str(ps->cl->rootfstype, sizeof(ps->cl->rootfstype), val))
		ERR(ps, key, "expected a file system type such as ext4 or squashfs (max %zu bytes)",
		    sizeof(ps->cl->rootfstype) - 1);
}

static void h_rootflags(struct pstate *ps, const char *key, const char *val)
{
	if (!graph_only(val) || !copy_str(ps->cl->rootflags, sizeof(ps->cl->rootflags), val))
		ERR(ps, key, "expected comma-separated mount options without spaces (max %zu bytes)",
		    sizeof(ps->cl->rootflags) - 1);
}

static void h_ro(struct pstate *ps, const char *key, const char *val)
{
	if (val)
		WARN(ps, key, "is a flag; the value is ignored");
	ps->cl->ro = key[1] == 'o';
}

static void h_init(struct pstate *ps, const char *key, const char *val)
{
	char v[64];

	if (val[0] != '/' || !graph_only(val) || !copy_str(ps->cl->init, sizeof(ps->cl->init), val))
		ERR(ps, key, "expected an absolute path such as /sbin/init, got \"%s\"", show(v, val));
}

static void h_panic(struct pstate *ps, const char *key, const char *val)
{
	/* kernel: >0 reboot after N seconds, 0 wait forever, <0 reboot at once */
	if (parse_int(val, -SECONDS_MAX, SECONDS_MAX, &ps->cl->panic))
		ps->cl->panic_set = true;
	else
		ERR(ps, key, "expected whole seconds from %d to %d", -SECONDS_MAX, SECONDS_MAX);
}

/* Integer keys that are plain fields: offsetof into struct cmdline. */
static void set_seconds(struct pstate *ps, const char *key, const char *val, int *field, int min)
{
	if (!parse_int(val, min, SECONDS_MAX, field))
		ERR(ps, key, "expected a whole number from %d to %d", min, SECONDS_MAX);
}

static void h_rootdelay(struct pstate *ps, const char *key, const char *val)
{
	set_seconds(ps, key, val, &ps->cl->rootdelay, 0);
}
static void h_rd_retry(struct pstate *ps, const char *key, const char *val)
{
	set_seconds(ps, key, val, &ps->cl->retry, 0);
}
static void h_rd_timeout(struct pstate *ps, const char *key, const char *val)
{
	set_seconds(ps, key, val, &ps->cl->timeout, 0);
}
static void h_t_iflink(struct pstate *ps, const char *key, const char *val)
{
	set_seconds(ps, key, val, &ps->cl->timeout_iflink, 0);
}
static void h_t_carrier(struct pstate *ps, const char *key, const char *val)
{
	set_seconds(ps, key, val, &ps->cl->timeout_carrier, 0);
}
static void h_t_dhcp(struct pstate *ps, const char *key, const char *val)
{
	set_seconds(ps, key, val, &ps->cl->timeout_dhcp, 0);
}
static void h_t_ifup(struct pstate *ps, const char *key, const char *val)
{
	set_seconds(ps, key, val, &ps->cl->timeout_ifup, 0);
}
static void h_dhcp_retry(struct pstate *ps, const char *key, const char *val)
{
	if (!parse_int(val, 0, 1000, &ps->cl->dhcp_retry))
		ERR(ps, key, "expected a whole number from 0 to 1000");
}
static void h_fetch_timeout(struct pstate *ps, const char *key, const char *val)
{
	set_seconds(ps, key, val, &ps->cl->fetch_timeout, 1);
}
static void h_fetch_retries(struct pstate *ps, const char *key, const char *val)
{
	if (!parse_int(val, 0, 1000, &ps->cl->fetch_retries))
		ERR(ps, key, "expected a whole number from 0 to 1000");
}

static void set_bool(struct pstate *ps, const char *key, const char *val, bool *field)
{
	if (!parse_bool(val, field))
		ERR(ps, key, "expected 0 or 1 (or no value for 1)");
}

static void h_rd_shell(struct pstate *ps, const char *key, const char *val)
{
	set_bool(ps, key, val, &ps->cl->shell);
}

static void h_debug(struct pstate *ps, const char *key, const char *val)
{
	set_bool(ps, key, val, &ps->cl->debug);
}

static void h_neednet(struct pstate *ps, const char *key, const char *val)
{
	bool b;

	if (parse_bool(val, &b))
		ps->neednet = b;
	else
		ERR(ps, key, "expected 0 or 1 (or no value for 1)");
}

/* rd.break[=<stage>[,<stage>...]] and initramfs-tools break[=<stage>,...] */
static void h_break(struct pstate *ps, const char *key, const char *val)
{
	enum boot_stage st;
	unsigned mask = 0;
	char name[32], v[64];
	const char *p = val;
	size_t n;

	if (!val) {
		/* bare rd.break: dracut's pre-pivot; bare break: initramfs-tools' premount */
		ps->cl->break_mask |= 1u << (key[0] == 'r' ? STAGE_PRE_PIVOT : STAGE_PRE_NET);
		return;
	}
	for (;;) {
		n = strcspn(p, ",");
		if (!copy_mem(name, sizeof(name), p, n) || boot_stage_parse(name, &st) < 0) {
			ERR(ps, key, "unknown stage; expected cmdline, pre-udev, pre-net, "
			    "post-net, pre-mount, mount, post-mount, pre-pivot (or dracut's and "
			    "initramfs-tools' names) in \"%s\"", show(v, val));
			return;
		}
		mask |= 1u << st;
		if (!p[n])
			break;
		p += n + 1;
	}
	ps->cl->break_mask |= mask;
}

static void h_emergency(struct pstate *ps, const char *key, const char *val)
{
	static const struct { const char *name; enum fail_action a; } acts[] = {
		{ "reboot", FAIL_REBOOT }, { "poweroff", FAIL_POWEROFF },
		{ "halt", FAIL_HALT },     { "shell", FAIL_SHELL },
	};
	bool onfail = key[0] == 'n'; /* netinit.onfail also takes shell */
	size_t i;

	for (i = 0; i < ARRAY_SIZE(acts) - !onfail; i++)
		if (!strcmp(val, acts[i].name)) {
			ps->cl->emergency = acts[i].a;
			return;
		}
	ERR(ps, key, "expected reboot, poweroff or halt%s", onfail ? " or shell" : "");
}

/* Comma-separated names appended to a fixed list: all of them or none. */
static void add_names(struct pstate *ps, const char *key, const char *val,
		      char (*list)[64], size_t *count)
{
	const char *p;
	size_t n, total = 0;
	char v[64];

	for (p = val;; p += n + 1) {
		n = strcspn(p, ",");
		if (!modname_valid_n(p, n)) {
			ERR(ps, key, "bad module name in \"%s\"; expected names of letters, digits, "
			    "'_' and '-' separated by commas", show(v, val));
			return;
		}
		total++;
		if (!p[n])
			break;
	}
	if (*count + total > CMDLINE_MAX_LIST) {
		ERR(ps, key, "too many modules (max %d in all)", CMDLINE_MAX_LIST);
		return;
	}
	for (p = val;; p += n + 1) {
		n = strcspn(p, ",");
		copy_mem(list[(*count)++], 64, p, n);
		if (!p[n])
			break;
	}
}

static void h_driver_pre(struct pstate *ps, const char *key, const char *val)
{
	add_names(ps, key, val, ps->cl->driver_pre, &ps->cl->ndriver_pre);
}

static void h_blacklist(struct pstate *ps, const char *key, const char *val)
{
	add_names(ps, key, val, ps->cl->driver_blacklist, &ps->cl->ndriver_blacklist);
}

static void h_nameserver(struct pstate *ps, const char *key, const char *val)
{
	struct cmdline *cl = ps->cl;
	struct in_addr a;
	char v[64];

	if (!parse_ip4(val, &a)) {
		ERR(ps, key, "expected an IPv4 address, got \"%s\"", show(v, val));
		return;
	}
	if (cl->nnameserver >= CMDLINE_MAX_LIST) {
		ERR(ps, key, "too many name servers (max %d)", CMDLINE_MAX_LIST);
		return;
	}
	cl->nameserver[cl->nnameserver++] = a;
}

/* BOOTIF=01-aa-bb-cc-dd-ee-ff (pxelinux IPAPPEND 2): ARP type 1 = Ethernet. */
static void h_bootif(struct pstate *ps, const char *key, const char *val)
{
	uint8_t mac[6];
	char v[64];

	if (!starts_with(val, "01-") || !parse_mac_sep(val + 3, '-', mac)) {
		ERR(ps, key, "expected 01-aa-bb-cc-dd-ee-ff (Ethernet), got \"%s\"", show(v, val));
		return;
	}
	snprintf(ps->cl->bootif, sizeof(ps->cl->bootif), "%02x:%02x:%02x:%02x:%02x:%02x",
		 mac[0], mac[1], mac[2], mac[3], mac[4], mac[5]);
}

/* dracut ifname=<name>:<aa:bb:cc:dd:ee:ff> */
static void h_ifname(struct pstate *ps, const char *key, const char *val)
{
	struct cmdline *cl = ps->cl;
	const char *colon = strchr(val, ':');
	uint8_t mac[6];
	char v[64];

	if (!colon || !ifname_valid_n(val, (size_t)(colon - val)) || !parse_mac(colon + 1, mac)) {
		ERR(ps, key, "expected <interface>:<aa:bb:cc:dd:ee:ff>, got \"%s\"", show(v, val));
		return;
	}
	if (cl->nifname >= CMDLINE_MAX_LIST) {
		ERR(ps, key, "too many interface names (max %d)", CMDLINE_MAX_LIST);
		return;
	}
	copy_mem(cl->ifname[cl->nifname].name, sizeof(cl->ifname[0].name), val,
		 (size_t)(colon - val));
	memcpy(cl->ifname[cl->nifname].mac, mac, 6);
	cl->nifname++;
}

/* dracut rd.route=<net>/<prefix>:<gateway>[:<interface>] (IPv4 only) */
static void h_route(struct pstate *ps, const char *key, const char *val)
{
	struct cmdline *cl = ps->cl;
	const char *slash = strchr(val, '/'), *c1, *c2;
	struct in_addr a;
	char num[4], v[64];
	int prefix;

	c1 = slash ? strchr(slash, ':') : NULL;
	c2 = c1 ? strchr(c1 + 1, ':') : NULL;
	if (!slash || !c1 || !parse_ip4_n(val, (size_t)(slash - val), &a) ||
	    !copy_mem(num, sizeof(num), slash + 1, (size_t)(c1 - slash - 1)) ||
	    !parse_int(num, 0, 32, &prefix) || num[0] == '-' ||
	    !parse_ip4_n(c1 + 1, c2 ? (size_t)(c2 - c1 - 1) : strlen(c1 + 1), &a) ||
	    (c2 && !ifname_valid_n(c2 + 1, strlen(c2 + 1)))) {
		ERR(ps, key, "expected <net>/<prefix>:<gateway>[:<interface>] (IPv4), got \"%s\"",
		    show(v, val));
		return;
	}
	if (cl->nroute >= CMDLINE_MAX_LIST) {
		ERR(ps, key, "too many routes (max %d)", CMDLINE_MAX_LIST);
		return;
	}
	if (!copy_str(cl->route[cl->nroute], sizeof(cl->route[0]), val)) {
		ERR(ps, key, "route too long (max %zu bytes)", sizeof(cl->route[0]) - 1);
		return;
	}
	cl->nroute++;
}

/* ---- ip= / nfsaddrs= ---- */

enum ip_word { IPW_NONE, IPW_DHCP, IPW_OFF, IPW_STATIC, IPW_V6 };

static enum ip_word ip_method_word(const char *s)
{
	static const char *const dhcp[] = { "dhcp", "on", "any", "both", "bootp", "rarp" };
	static const char *const v6[] = { "dhcp6", "auto6", "either6", "link6", "ibft",
					  "single-dhcp", "link-local" };
	size_t i;

	for (i = 0; i < ARRAY_SIZE(dhcp); i++)
		if (!strcmp(s, dhcp[i]))
			return IPW_DHCP;
	if (!strcmp(s, "off") || !strcmp(s, "none"))
		return IPW_OFF;
	if (!strcmp(s, "static"))
		return IPW_STATIC;
	for (i = 0; i < ARRAY_SIZE(v6); i++)
		if (!strcmp(s, v6[i]))
			return IPW_V6;
	return IPW_NONE;
}

#define IP_FIELDS 16

struct ip_fields {
	char *f[IP_FIELDS];
	size_t n;
	char buf[256];
};

static bool ip_split(const char *val, struct ip_fields *fs)
{
	char *p;

	if (!copy_str(fs->buf, sizeof(fs->buf), val))
		return false;
	fs->n = 0;
	for (p = fs->buf;;) {
		if (fs->n >= IP_FIELDS)
			return false;
		fs->f[fs->n++] = p;
		p = strchr(p, ':');
		if (!p)
			return true;
		*p++ = '\0';
	}
}

static bool ip_opt_addr(struct pstate *ps, const char *key, const char *what, const char *s,
			struct in_addr *out)
{
	char v[64];

	if (!*s)
		return true;
	if (parse_ip4(s, out))
		return true;
	ERR(ps, key, "bad %s \"%s\"; expected an IPv4 address or nothing", what, show(v, s));
	return false;
}

/* Netmask as a dotted quad with contiguous ones, or a prefix length (dracut). */
static bool ip_netmask(struct pstate *ps, const char *key, const char *s, struct in_addr *out)
{
	uint32_t m;
	int prefix;
	char v[64];

	if (!*s)
		return true;
	if (parse_int(s, 0, 32, &prefix) && s[0] != '-') {
		m = prefix ? ~0u << (32 - prefix) : 0;
	} else if (parse_ip4(s, out)) {
		m = ntohl(out->s_addr);
		if (m & (~m >> 1)) {
			ERR(ps, key, "netmask \"%s\" is not contiguous", show(v, s));
			return false;
		}
	} else {
		ERR(ps, key, "bad netmask \"%s\"; expected e.g. 255.255.255.0 or 24", show(v, s));
		return false;
	}
	out->s_addr = htonl(m);
	return true;
}

static bool ip_mtu(struct pstate *ps, const char *key, const char *s, struct ip_spec *ip)
{
	int mtu;

	if (!*s)
		return true;
	if (!parse_int(s, 68, 65535, &mtu) || s[0] == '-') {
		ERR(ps, key, "bad MTU; expected 68-65535");
		return false;
	}
	ip->mtu = (unsigned)mtu;
	return true;
}

/* The MAC of dracut's forms arrives split into 6 fields (or one empty field). */
static bool ip_mac(struct pstate *ps, const char *key, char **f, size_t n, struct ip_spec *ip)
{
	char mac[18];

	if (n == 0 || (n == 1 && !*f[0]))
		return true;
	if (n == 6 && snprintf(mac, sizeof(mac), "%s:%s:%s:%s:%s:%s", f[0], f[1], f[2], f[3],
			       f[4], f[5]) == 17 && parse_mac(mac, ip->mac)) {
		ip->has_mac = true;
		return true;
	}
	ERR(ps, key, "bad MAC address; expected aa:bb:cc:dd:ee:ff");
	return false;
}

static bool ip_device(struct pstate *ps, const char *key, const char *s, struct ip_spec *ip)
{
	char v[64];

	if (!*s)
		return true;
	if (!ifname_valid_n(s, strlen(s))) {
		ERR(ps, key, "bad interface name \"%s\"", show(v, s));
		return false;
	}
	copy_str(ip->device, sizeof(ip->device), s);
	return true;
}

/* dracut ip=<interface>:{dhcp|on|any|off}[:[<mtu>][:<macaddr>]] */
static bool ip_dracut_if(struct pstate *ps, const char *key, struct ip_fields *fs,
			 enum ip_word w, struct ip_spec *ip)
{
	if (!ip_device(ps, key, fs->f[0], ip))
		return false;
	ip->method = w == IPW_OFF ? IP_METHOD_OFF : IP_METHOD_DHCP;
	if (fs->n > 2 && !ip_mtu(ps, key, fs->f[2], ip))
		return false;
	return ip_mac(ps, key, fs->f + 3, fs->n > 3 ? fs->n - 3 : 0, ip);
}

/*
 * Kernel <client>:<server>:<gw>:<netmask>:<hostname>:<device>:<autoconf>:<dns0>:<dns1>:<ntp0>
 * (filesystems/nfs/nfsroot.rst) and dracut's
 * <client>:[<peer>]:<gw>:<netmask>:<hostname>:<if>:<method>[:[<mtu>][:<mac>]] or [:<dns1>[:<dns2>]].
 * Field 2 is the kernel's NFS server; dracut's peer is not used (doc/cmdline.md).
 */
static bool ip_full(struct pstate *ps, const char *key, struct ip_fields *fs, struct ip_spec *ip)
{
	char *f[IP_FIELDS] = { 0 };
	enum ip_word w;
	char v[64];
	size_t i;

	for (i = 0; i < IP_FIELDS; i++)
		f[i] = i < fs->n ? fs->f[i] : (char *)"";
	if (!ip_opt_addr(ps, key, "client address", f[0], &ip->client) ||
	    !ip_opt_addr(ps, key, "server address (field 2)", f[1], &ip->server) ||
	    !ip_opt_addr(ps, key, "gateway", f[2], &ip->gateway) ||
	    !ip_netmask(ps, key, f[3], &ip->netmask))
		return false;
	if (*f[4]) {
		if (!hostname_valid(f[4])) {
			ERR(ps, key, "bad host name \"%s\" (field 5); expected RFC 1123 labels",
			    show(v, f[4]));
			return false;
		}
		if (strlen(f[4]) >= sizeof(ip->hostname)) {
			ERR(ps, key, "host name (field 5) longer than %zu bytes",
			    sizeof(ip->hostname) - 1);
			return false;
		}
		copy_str(ip->hostname, sizeof(ip->hostname), f[4]);
	}
	if (!ip_device(ps, key, f[5], ip))
		return false;

	w = *f[6] ? ip_method_word(f[6]) : (ip->client.s_addr ? IPW_STATIC : IPW_DHCP);
	switch (w) {
	case IPW_NONE:
		ERR(ps, key, "unknown autoconf method \"%s\" (field 7); expected off, none, dhcp, "
		    "on, any, bootp, rarp or both", show(v, f[6]));
		return false;
	case IPW_V6:
		ERR(ps, key, "\"%s\" is not supported (IPv4 only); use dhcp or none", show(v, f[6]));
		return false;
	case IPW_DHCP:
		ip->method = IP_METHOD_DHCP;
		break;
	case IPW_OFF:
	case IPW_STATIC:
		/* without an address "off" means: no network on this device */
		ip->method = ip->client.s_addr ? IP_METHOD_STATIC : IP_METHOD_OFF;
		break;
	}

	if (fs->n == 14 || (fs->n >= 8 && *f[7] && is_digit(f[7][0]) && !strchr(f[7], '.'))) {
		/* dracut: <mtu>[:<mac>] */
		return ip_mtu(ps, key, f[7], ip) &&
		       ip_mac(ps, key, fs->f + 8, fs->n > 8 ? fs->n - 8 : 0, ip);
	}
	if (fs->n > 10) {
		ERR(ps, key, "too many fields (%zu); expected at most 10", fs->n);
		return false;
	}
	return ip_opt_addr(ps, key, "DNS server (field 8)", f[7], &ip->dns[0]) &&
	       ip_opt_addr(ps, key, "DNS server (field 9)", f[8], &ip->dns[1]) &&
	       ip_opt_addr(ps, key, "NTP server (field 10)", f[9], &ip->ntp);
}

static void h_ip(struct pstate *ps, const char *key, const char *val)
{
	struct cmdline *cl = ps->cl;
	struct ip_fields fs;
	struct ip_spec ip;
	struct in_addr a;
	enum ip_word w;
	char v[64];
	bool ok;

	memset(&ip, 0, sizeof(ip));
	if (strchr(val, '[')) {
		ERR(ps, key, "IPv6 addresses are not supported: \"%s\"", show(v, val));
		return;
	}
	if (!ip_split(val, &fs)) {
		ERR(ps, key, "too long or too many fields: \"%s\"", show(v, val));
		return;
	}
	w = ip_method_word(fs.f[0]);
	if (fs.n == 1 && w != IPW_NONE && w != IPW_STATIC) {
		if (w == IPW_V6) {
			ERR(ps, key, "\"%s\" is not supported (IPv4 only); use ip=dhcp", show(v, val));
			return;
		}
		ip.method = w == IPW_DHCP ? IP_METHOD_DHCP : IP_METHOD_OFF;
		ok = true;
	} else if (fs.n >= 2 && !parse_ip4(fs.f[0], &a) && *fs.f[0] &&
		   (w = ip_method_word(fs.f[1])) != IPW_NONE) {
		if (w == IPW_V6) {
			ERR(ps, key, "\"%s\" is not supported (IPv4 only); use <if>:dhcp",
			    show(v, fs.f[1]));
			return;
		}
		if (w == IPW_STATIC) {
			ERR(ps, key, "static needs an address: "
			    "<client>:<server>:<gw>:<netmask>:<hostname>:<if>:none");
			return;
		}
		ok = ip_dracut_if(ps, key, &fs, w, &ip);
	} else {
		ok = ip_full(ps, key, &fs, &ip);
	}
	if (!ok)
		return;
	if (cl->nip >= CMDLINE_MAX_IP) {
		ERR(ps, key, "too many ip= (max %d)", CMDLINE_MAX_IP);
		return;
	}
	cl->ip[cl->nip++] = ip;
}

/* ---- netinit.* ---- */

static void h_mirror(struct pstate *ps, const char *key, const char *val)
{
	struct cmdline *cl = ps->cl;

	if (!url_check(ps, key, val))
		return;
	if (cl->nmirror >= CMDLINE_MAX_LIST - 1) { /* one slot for the root= URL */
		ERR(ps, key, "too many mirrors (max %d)", CMDLINE_MAX_LIST - 1);
		return;
	}
	copy_str(cl->mirror[cl->nmirror++], CMDLINE_MAX_URL, val);
}

static void h_sha256(struct pstate *ps, const char *key, const char *val)
{
	struct cmdline *cl = ps->cl;
	size_t i;

	for (i = 0; val[i] && i < 64; i++)
		if (hexval(val[i]) < 0)
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

static void h_writable_dirs(struct pstate *ps, const char *key, const char *val)
{
	const char *p = val;
	size_t n;
	char v[64];

	if (strlen(val) >= sizeof(ps->cl->writable_dirs)) {
		ERR(ps, key, "too long (max %zu bytes)", sizeof(ps->cl->writable_dirs) - 1);
		return;
	}
	for (;;) {
		n = strcspn(p, ",");
		if (!dirname_valid_n(p, n)) {
			ERR(ps, key, "bad directory list \"%s\"; expected simple names such as "
			    "etc,var,tmp (no '/', '.' or '..')", show(v, val));
			return;
		}
		if (list_has(val, (size_t)(p - val), p, n)) {
			ERR(ps, key, "\"%.*s\" is listed twice", (int)n, p);
			return;
		}
		if (!p[n])
			break;
		p += n + 1;
	}
	copy_str(ps->cl->writable_dirs, sizeof(ps->cl->writable_dirs), val);
}

/* netinit.hook.timeout=, netinit.hook.onfail=, netinit.report=,
 * netinit.retries=, netinit.shell.timeout= (doc/hooks.md, doc/failure.md) */
static void h_hook_timeout(struct pstate *ps, const char *key, const char *val)
{
	set_seconds(ps, key, val, &ps->cl->hook_timeout, 1);
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
	else if (url_check(ps, key, val))
		copy_str(ps->cl->report_url, sizeof(ps->cl->report_url), val);
}
static void h_retries(struct pstate *ps, const char *key, const char *val)
{
	if (!parse_int(val, 0, 100, &ps->cl->retries))
		ERR(ps, key, "expected a whole number from 0 to 100");
}
static void h_shell_timeout(struct pstate *ps, const char *key, const char *val)
{
	set_seconds(ps, key, val, &ps->cl->shell_timeout, 0);
}

static void h_hostfiles(struct pstate *ps, const char *key, const char *val)
{
	if (url_check(ps, key, val))
		copy_str(ps->cl->hostfiles, sizeof(ps->cl->hostfiles), val);
}

/* RFC 4648 section 4, padding optional; returns decoded length or -1. */
static int base64_decode(const char *s, uint8_t *out, size_t max)
{
	size_t o = 0, i, len = strlen(s);
	uint32_t acc = 0;
	int bits = 0, d;
	char c;

	while (len > 0 && s[len - 1] == '=')
		len--;
	if (strlen(s) - len > 2 || (strlen(s) != len && strlen(s) % 4))
		return -1;
	for (i = 0; i < len; i++) {
		c = s[i];
		if (c >= 'A' && c <= 'Z')
			d = c - 'A';
		else if (c >= 'a' && c <= 'z')
			d = c - 'a' + 26;
		else if (is_digit(c))
			d = c - '0' + 52;
		else if (c == '+')
			d = 62;
		else if (c == '/')
			d = 63;
		else
			return -1;
		acc = acc << 6 | (uint32_t)d;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			if (o >= max)
				return -1;
			out[o++] = (uint8_t)(acc >> bits);
		}
	}
	if (bits >= 6 || (acc & ((1u << bits) - 1)))
		return -1; /* a lone sextet, or non-zero leftover bits */
	return (int)o;
}

static void h_key(struct pstate *ps, const char *key, const char *val)
{
	struct cmdline *cl = ps->cl;
	uint8_t k[32];

	if (base64_decode(val, k, sizeof(k)) != 32) {
		ERR(ps, key, "expected an ed25519 public key: 32 bytes in base64 (44 characters)");
		return;
	}
	if (cl->nkey >= CMDLINE_MAX_LIST) {
		ERR(ps, key, "too many keys (max %d)", CMDLINE_MAX_LIST);
		return;
	}
	memcpy(cl->key[cl->nkey++], k, 32);
}

/* ---- dispatch ---- */

enum { VAL_NEEDED = 1, /* key=value only */ FLAG_OK = 2 /* bare key allowed */ };

static const struct keydef {
	const char *key;
	handler_fn fn;
	int flags;
} keys[] = {
	/* kernel (admin-guide/kernel-parameters.txt, filesystems/nfs/nfsroot.rst) */
	{ "root", h_root, VAL_NEEDED },
	{ "nfsroot", h_nfsroot, VAL_NEEDED },
	{ "ip", h_ip, VAL_NEEDED },
	{ "nfsaddrs", h_ip, VAL_NEEDED },
	{ "rootfstype", h_rootfstype, VAL_NEEDED },
	{ "rootflags", h_rootflags, VAL_NEEDED },
	{ "ro", h_ro, FLAG_OK },
	{ "rw", h_ro, FLAG_OK },
	{ "init", h_init, VAL_NEEDED },
	{ "panic", h_panic, VAL_NEEDED },
	{ "rootdelay", h_rootdelay, VAL_NEEDED },
	/* dracut (dracut.cmdline(7)) */
	{ "BOOTIF", h_bootif, VAL_NEEDED },
	{ "ifname", h_ifname, VAL_NEEDED },
	{ "nameserver", h_nameserver, VAL_NEEDED },
	{ "rd.route", h_route, VAL_NEEDED },
	{ "rd.neednet", h_neednet, FLAG_OK },
	{ "rd.retry", h_rd_retry, VAL_NEEDED },
	{ "rd.timeout", h_rd_timeout, VAL_NEEDED },
	{ "rd.shell", h_rd_shell, FLAG_OK },
	{ "rd.break", h_break, FLAG_OK },
	{ "rd.emergency", h_emergency, VAL_NEEDED },
	{ "rd.debug", h_debug, FLAG_OK },
	{ "rd.driver.pre", h_driver_pre, VAL_NEEDED },
	{ "rd.driver.blacklist", h_blacklist, VAL_NEEDED },
	{ "modprobe.blacklist", h_blacklist, VAL_NEEDED },
	{ "rd.net.timeout.iflink", h_t_iflink, VAL_NEEDED },
	{ "rd.net.timeout.carrier", h_t_carrier, VAL_NEEDED },
	{ "rd.net.timeout.dhcp", h_t_dhcp, VAL_NEEDED },
	{ "rd.net.timeout.ifup", h_t_ifup, VAL_NEEDED },
	{ "rd.net.dhcp.retry", h_dhcp_retry, VAL_NEEDED },
	/* initramfs-tools (initramfs-tools(7)) */
	{ "boot", h_boot, VAL_NEEDED },
	{ "break", h_break, FLAG_OK },
	/* netinit */
	{ "netinit.mirror", h_mirror, VAL_NEEDED },
	{ "netinit.sha256", h_sha256, VAL_NEEDED },
	{ "netinit.verify", h_verify, VAL_NEEDED },
	{ "netinit.writable", h_writable, VAL_NEEDED },
	{ "netinit.writable.dirs", h_writable_dirs, VAL_NEEDED },
	{ "netinit.hostfiles", h_hostfiles, VAL_NEEDED },
	{ "netinit.onfail", h_emergency, VAL_NEEDED },
	{ "netinit.debug", h_debug, FLAG_OK },
	{ "netinit.key", h_key, VAL_NEEDED },
	{ "netinit.fetch.timeout", h_fetch_timeout, VAL_NEEDED },
	{ "netinit.fetch.retries", h_fetch_retries, VAL_NEEDED },
	{ "netinit.hook.timeout", h_hook_timeout, VAL_NEEDED },
	{ "netinit.hook.onfail", h_hook_onfail, VAL_NEEDED },
	{ "netinit.report", h_report, VAL_NEEDED },
	{ "netinit.retries", h_retries, VAL_NEEDED },
	{ "netinit.shell.timeout", h_shell_timeout, VAL_NEEDED },
};

static void cmdline_dispatch(struct pstate *ps, const struct cmdline_word *w)
{
	const struct keydef *k;
	size_t i;
	char v[64];

	for (i = 0; i < ARRAY_SIZE(keys); i++) {
		k = &keys[i];
		if (strcmp(w->key, k->key))
			continue;
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
		ERR(ps, show_key(v, w->key), "unknown netinit parameter (see doc/cmdline.md for the "
		    "netinit.* keys)");
	else if (starts_with(w->key, "rd.net."))
		WARN(ps, show_key(v, w->key), "this dracut network setting is not supported; ignored");
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
	if (cl->hostfiles[0]) {
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
	resolve_mirrors(&ps);
	resolve_neednet(&ps);
	return ps.errors;
}

/* ---- lookups ---- */

const char *cmdline_get(const struct cmdline *cl, const char *key)
{
	size_t i = cl->nwords;

	while (i-- > 0)
		if (!strcmp(cl->words[i].key, key))
			return cl->words[i].value;
	return NULL;
}

bool cmdline_has(const struct cmdline *cl, const char *key)
{
	size_t i;

	for (i = 0; i < cl->nwords; i++)
		if (!strcmp(cl->words[i].key, key))
			return true;
	return false;
}

const char *cmdline_init_arg(const struct cmdline *cl, size_t i)
{
	if (i >= cl->ninit_args)
		return NULL;
	return cl->words[cl->nwords + i].key;
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
