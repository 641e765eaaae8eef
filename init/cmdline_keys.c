/* SPDX-License-Identifier: MIT */
/*
 * The keys of the kernel (admin-guide/kernel-parameters.txt,
 * filesystems/nfs/nfsroot.rst), dracut (dracut.cmdline(7)) and
 * initramfs-tools (initramfs-tools(7)), and the boot stage names.  Each
 * handler parses into a temporary and commits only a fully valid value.
 */
#include "cmdline_internal.h"

#include <arpa/inet.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "codec.h"

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

/*
 * One NFS option that names a version: vers=/nfsvers=<v> and the kernel's
 * flags v2, v3, v4, v4.0, v4.1, v4.2 (fs/nfs/fs_context.c: they all set the
 * same thing).  Returns 1 and sets the major and minor version (minor -1: none), 0 when the
 * option is not about the version, -1 when it names one we do not mount.
 */
int nfs_option_version(const char *opt, size_t len, int *major, int *minor)
{
	const char *v;
	size_t n;

	if (len > 5 && !strncmp(opt, "vers=", 5))
		v = opt + 5;
	else if (len > 8 && !strncmp(opt, "nfsvers=", 8))
		v = opt + 8;
	else if (len >= 2 && opt[0] == 'v' && opt[1] >= '0' && opt[1] <= '9')
		v = opt + 1;
	else
		return 0;
	n = len - (size_t)(v - opt);
	if (n == 1 && *v == '3') {
		*major = 3;
		*minor = -1;
		return 1;
	}
	if (*v == '4' && (n == 1 || (n == 3 && v[1] == '.' && v[2] >= '0' && v[2] <= '2'))) {
		*major = 4;
		*minor = n == 3 ? v[2] - '0' : -1;
		return 1;
	}
	return -1;
}

/* The version the options name (the last one wins, as in the kernel); NULL or why not. */
static const char *nfs_options_apply(const char *opts, struct nfs_spec *nfs)
{
	int major = 0, minor = -1;

	for (const char *p = opts; *p;) {
		size_t n = strcspn(p, ",");
		int r = nfs_option_version(p, n, &major, &minor);

		if (r < 0)
			return "unsupported NFS version in the options (3, 4, 4.0, 4.1 or 4.2)";
		p += n;
		if (*p == ',')
			p++;
	}
	if (!major)
		return NULL;
	if (nfs->version && nfs->version != major)
		return "the options name another NFS version than nfs4: does";
	nfs->version = major;
	nfs->has_minor = minor >= 0;
	nfs->minor = minor >= 0 ? minor : 0;
	return NULL;
}

/* The options after the separator: kept as written, their version applied. */
static const char *nfs_options_set(const char *opts, struct nfs_spec *nfs)
{
	if (!*opts)
		return "empty NFS options after the separator";
	if (!graph_only(opts) || !copy_str(nfs->options, sizeof(nfs->options), opts))
		return "bad NFS options (no spaces or control characters, max 511 bytes)";
	return nfs_options_apply(opts, nfs);
}

/*
 * dracut.cmdline(7): [<server>:]<root-dir>[:<nfs-options>], where "NFS
 * options can be appended with the prefix ':' or ','"; the same for the
 * kernel's nfsroot= (',') and a DHCP root-path.  So the path ends at the
 * first ':' or ',' after the server.  IPv6 "[addr]" servers are refused.
 * nfs->version may be preset (nfs4:).  Returns NULL, or what is wrong.
 */
const char *nfs_location_parse(const char *s, struct nfs_spec *nfs)
{
	const char *colon, *dir = s;
	size_t n;

	if (*s == '[')
		return "IPv6 server addresses are not supported";
	if (*s != '/') {
		colon = strchr(s, ':');
		if (!colon)
			return "expected [<server>:]/<path>";
		if (!host_valid_n(s, (size_t)(colon - s)))
			return "bad server (expected an IPv4 address or a host name)";
		copy_mem(nfs->server, sizeof(nfs->server), s, (size_t)(colon - s));
		dir = colon + 1;
	}
	n = strcspn(dir, ":,");
	if (n == 0 || dir[0] != '/')
		return "the NFS path must be absolute (start with '/')";
	if (!copy_mem(nfs->path, sizeof(nfs->path), dir, n))
		return "NFS path too long";
	if (!dir[n])
		return NULL;
	return nfs_options_set(dir + n + 1, nfs);
}

/* nfs_location_parse() reported as an error of key; true when fine. */
static bool nfs_location(struct pstate *ps, const char *key, const char *s, struct nfs_spec *nfs)
{
	const char *why = nfs_location_parse(s, nfs);
	char v[64];

	if (why)
		ERR(ps, key, "%s: \"%s\"", why, cmdline_show(v, s));
	return !why;
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
		const char *why;

		rest = strchr(val, ',');
		if (rest && (why = nfs_options_set(rest + 1, &nfs))) {
			ERR(ps, key, "%s", why);
			return;
		}
		ps->nfsroot = nfs;
		ps->has_nfsroot = true;
		ps->nfsroot_auto = true;
		ps->nfsroot_key = key;
		return;
	}
	if (!nfs_location(ps, key, val, &nfs))
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
	r->type = ROOT_NFS;
	r->nfs.version = version;
	if (!*s)
		return true; /* root=nfs: -> location from DHCP, see cmdline_resolve() */
	return nfs_location(ps, key, s, &r->nfs);
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
			ERR(ps, key, "bad device path \"%s\"", cmdline_show(v, val));
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
			    "\"%s\"", cmdline_show(v, val));
			return;
		}
		if (!cmdline_url_check(ps, key, val + 5))
			return;
		copy_str(r.url, sizeof(r.url), val + 5);
		r.type = ROOT_URL;
	} else if (strstr(val, "://")) {
		if (!cmdline_url_check(ps, key, val))
			return;
		copy_str(r.url, sizeof(r.url), val);
		r.type = ROOT_URL;
	} else if (strchr(val, ':') && strchr(val, ':')[1] == '/') {
		/* dracut's legacy root=<server>:<root-dir>[:<nfs-options>] */
		if (!root_dracut_nfs(ps, key, val, 0, &r))
			return;
	} else {
		for (i = 0; i < ARRAY_SIZE(by); i++)
			if (starts_with(val, by[i]))
				break;
		if (i == ARRAY_SIZE(by)) {
			ERR(ps, key, "unsupported root \"%s\"; expected /dev/<name>, LABEL=, UUID=, "
			    "PARTUUID=, PARTLABEL=, /dev/nfs, nfs:, nfs4:, <server>:/<path>, dhcp, "
			    "live:<url>, http:// or tftp://", cmdline_show(v, val));
			return;
		}
		if (!val[strlen(by[i])] || !print_only(val) ||
		    !copy_str(r.device, sizeof(r.device), val)) {
			ERR(ps, key, "bad %s value \"%s\"", by[i], cmdline_show(v, val));
			return;
		}
		r.type = ROOT_BLOCK;
	}
	ps->cl->root = r;
	ps->root_devnfs = devnfs;
}

static void h_boot(struct pstate *ps, const char *key, const char *val)
{
	ps->boot_live = !strcmp(val, "live");
	if (!strcmp(val, "nfs"))
		ps->boot_nfs = true;
	else if (!strcmp(val, "local") || ps->boot_live)
		ps->boot_nfs = false;
	else
		WARN(ps, key, "only boot=nfs, boot=local (initramfs-tools) and boot=live "
		     "(live-boot) are known; ignored");
}

/* live-boot(7) fetch=<url>: the image is downloaded into RAM and mounted (with
 * boot=live; cmdline.c makes it the URL root). */
static void h_fetch(struct pstate *ps, const char *key, const char *val)
{
	if (!cmdline_url_check(ps, key, val))
		return;
	ps->live_fetch = val;
}

/* live-boot's other network sources mount over the network instead of copying
 * into RAM: refused, not ignored (the line would boot something else). */
static void h_live_unsupported(struct pstate *ps, const char *key, const char *val)
{
	(void)val;
	ERR(ps, key, "live-boot's %s= is not supported; use fetch=<http:// or tftp:// URL> "
	    "(the image is downloaded into RAM)", key);
}

static void h_rootfstype(struct pstate *ps, const char *key, const char *val)
{
	const char *p;

	for (p = val; *p; p++)
		if (!ch_alnum(*p) && *p != '_' && *p != '.' && *p != ',' && *p != '-')
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
		ERR(ps, key, "expected an absolute path such as /sbin/init, got \"%s\"", cmdline_show(v, val));
}

static void h_panic(struct pstate *ps, const char *key, const char *val)
{
	/* kernel: >0 reboot after N seconds, 0 wait forever, <0 reboot at once */
	if (!valid_int(val, -SECONDS_MAX, SECONDS_MAX, &ps->cl->panic))
		ERR(ps, key, "expected whole seconds from %d to %d", -SECONDS_MAX, SECONDS_MAX);
}

/* Integer keys that are plain fields: offsetof into struct cmdline. */
static void set_seconds(struct pstate *ps, const char *key, const char *val, int *field, int min)
{
	if (!valid_int(val, min, SECONDS_MAX, field))
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

static void h_dhcp_retry(struct pstate *ps, const char *key, const char *val)
{
	if (!valid_int(val, 0, 1000, &ps->cl->dhcp_retry))
		ERR(ps, key, "expected a whole number from 0 to 1000");
}
static void h_fetch_timeout(struct pstate *ps, const char *key, const char *val)
{
	set_seconds(ps, key, val, &ps->cl->fetch_timeout, 1);
}
static void h_fetch_retries(struct pstate *ps, const char *key, const char *val)
{
	if (!valid_int(val, 0, 1000, &ps->cl->fetch_retries))
		ERR(ps, key, "expected a whole number from 0 to 1000");
}

static void set_bool(struct pstate *ps, const char *key, const char *val, bool *field)
{
	if (!valid_bool(val, field))
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

	if (valid_bool(val, &b))
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
			    "initramfs-tools' names) in \"%s\"", cmdline_show(v, val));
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
			    "'_' and '-' separated by commas", cmdline_show(v, val));
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

	if (!valid_ip4(val, &a)) {
		ERR(ps, key, "expected an IPv4 address, got \"%s\"", cmdline_show(v, val));
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

	if (!starts_with(val, "01-") || mac_parse(val + 3, '-', mac) < 0) {
		ERR(ps, key, "expected 01-aa-bb-cc-dd-ee-ff (Ethernet), got \"%s\"", cmdline_show(v, val));
		return;
	}
	mac_format(mac, ':', ps->cl->bootif);
}

/* dracut ifname=<name>:<aa:bb:cc:dd:ee:ff> */
static void h_ifname(struct pstate *ps, const char *key, const char *val)
{
	struct cmdline *cl = ps->cl;
	const char *colon = strchr(val, ':');
	uint8_t mac[6];
	char v[64];

	if (!colon || !ifname_valid_n(val, (size_t)(colon - val)) || mac_parse(colon + 1, ':', mac) < 0) {
		ERR(ps, key, "expected <interface>:<aa:bb:cc:dd:ee:ff>, got \"%s\"", cmdline_show(v, val));
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
	if (!slash || !c1 || !valid_ip4_n(val, (size_t)(slash - val), &a) ||
	    !copy_mem(num, sizeof(num), slash + 1, (size_t)(c1 - slash - 1)) ||
	    !valid_int(num, 0, 32, &prefix) || num[0] == '-' ||
	    !valid_ip4_n(c1 + 1, c2 ? (size_t)(c2 - c1 - 1) : strlen(c1 + 1), &a) ||
	    (c2 && !ifname_valid_n(c2 + 1, strlen(c2 + 1)))) {
		ERR(ps, key, "expected <net>/<prefix>:<gateway>[:<interface>] (IPv4), got \"%s\"",
		    cmdline_show(v, val));
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

/* ---- the table ---- */

const struct keydef cmdline_keys_std[] = {
	/* kernel (admin-guide/kernel-parameters.txt, filesystems/nfs/nfsroot.rst) */
	{ "root", h_root, VAL_NEEDED },
	{ "nfsroot", h_nfsroot, VAL_NEEDED },
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
	{ "rd.net.dhcp.retry", h_dhcp_retry, VAL_NEEDED },
	/* initramfs-tools (initramfs-tools(7)) */
	{ "boot", h_boot, VAL_NEEDED },
	{ "break", h_break, FLAG_OK },
	/* live-boot (live-boot(7)), with boot=live */
	{ "fetch", h_fetch, VAL_NEEDED },
	{ "httpfs", h_live_unsupported, VAL_NEEDED },
	{ "ftpfs", h_live_unsupported, VAL_NEEDED },
	/* netinit */
	{ "netinit.onfail", h_emergency, VAL_NEEDED },
	{ "netinit.debug", h_debug, FLAG_OK },
	{ "netinit.fetch.timeout", h_fetch_timeout, VAL_NEEDED },
	{ "netinit.fetch.retries", h_fetch_retries, VAL_NEEDED },
};
const size_t cmdline_nkeys_std = ARRAY_SIZE(cmdline_keys_std);
