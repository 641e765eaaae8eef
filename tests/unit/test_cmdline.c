/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of the kernel command line parser (init/cmdline.c).
 *
 * Table-driven: every row is one command line, the parameters that must be
 * reported as errors (and as warnings), in order, and a list of
 * "field=value" expectations.  Fields are rendered to strings by
 * field_str() so a row reads like the documentation (doc/cmdline.md).
 * Every row runs as its own cmocka test, named after the row.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <arpa/inet.h>
#include <cmocka.h>

#include "cmdline.h"

/* ---- recording the reports ---- */

struct reports {
	char errors[512];   /* params of errors, space separated, in order */
	char warnings[512];
	char last_msg[256];
	int nerr;
};

static void append(char *dst, size_t size, const char *word)
{
	size_t n = strlen(dst);

	snprintf(dst + n, size - n, "%s%s", n ? " " : "", word);
}

static void record(void *ctx, enum cmdline_severity sev, const char *param, const char *msg)
{
	struct reports *r = ctx;

	assert_non_null(param);
	assert_non_null(msg);
	assert_true(strlen(msg) > 0);
	if (sev == CMDLINE_ERROR) {
		append(r->errors, sizeof(r->errors), param);
		r->nerr++;
	} else {
		append(r->warnings, sizeof(r->warnings), param);
	}
	snprintf(r->last_msg, sizeof(r->last_msg), "%s", msg);
}

/* ---- rendering fields ---- */

static const char *addr(struct in_addr a, char *out)
{
	if (!a.s_addr)
		return "";
	return inet_ntop(AF_INET, &a, out, INET_ADDRSTRLEN);
}

static const char *mac_str(const uint8_t *m, char *out)
{
	sprintf(out, "%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1], m[2], m[3], m[4], m[5]);
	return out;
}

static const char *const root_types[] = { "unset", "block", "nfs", "url", "dhcp" };
static const char *const methods[] = { "unset", "off", "dhcp", "static" };
static const char *const actions[] = { "default", "reboot", "poweroff", "halt", "shell" };

/* ipN.<field> */
static int ip_field(const struct cmdline *cl, const char *name, char *out, size_t size)
{
	char a[32];
	const struct ip_spec *ip;
	unsigned idx;
	int off;

	if (sscanf(name, "ip%u.%n", &idx, &off) != 1 || off == 0)
		return -1;
	if (idx >= cl->nip) {
		snprintf(out, size, "(no ip[%u])", idx);
		return 0;
	}
	ip = &cl->ip[idx];
	name += off;
	if (!strcmp(name, "method"))
		snprintf(out, size, "%s", methods[ip->method]);
	else if (!strcmp(name, "device"))
		snprintf(out, size, "%s", ip->device);
	else if (!strcmp(name, "client"))
		snprintf(out, size, "%s", addr(ip->client, a));
	else if (!strcmp(name, "server"))
		snprintf(out, size, "%s", addr(ip->server, a));
	else if (!strcmp(name, "gateway"))
		snprintf(out, size, "%s", addr(ip->gateway, a));
	else if (!strcmp(name, "netmask"))
		snprintf(out, size, "%s", addr(ip->netmask, a));
	else if (!strcmp(name, "hostname"))
		snprintf(out, size, "%s", ip->hostname);
	else if (!strcmp(name, "dns0"))
		snprintf(out, size, "%s", addr(ip->dns[0], a));
	else if (!strcmp(name, "dns1"))
		snprintf(out, size, "%s", addr(ip->dns[1], a));
	else if (!strcmp(name, "ntp"))
		snprintf(out, size, "%s", addr(ip->ntp, a));
	else if (!strcmp(name, "mtu"))
		snprintf(out, size, "%u", ip->mtu);
	else if (!strcmp(name, "mac"))
		snprintf(out, size, "%s", ip->has_mac ? mac_str(ip->mac, a) : "");
	else
		return -1;
	return 0;
}

#define JOIN(count, expr)                                                        \
	do {                                                                     \
		out[0] = '\0';                                                   \
		for (size_t i_ = 0; i_ < (count); i_++)                          \
			append(out, size, (expr));                               \
	} while (0)

static int field_str(const struct cmdline *cl, const char *name, char *out, size_t size)
{
	char tmp[64];
	const struct root_spec *r = &cl->root;

#define INT(f, v)  if (!strcmp(name, f)) { snprintf(out, size, "%d", (int)(v)); return 0; }
#define STR(f, v)  if (!strcmp(name, f)) { snprintf(out, size, "%s", (v)); return 0; }
	if (!strncmp(name, "ip", 2) && name[2] >= '0' && name[2] <= '9')
		return ip_field(cl, name, out, size);
	STR("root.type", root_types[r->type]);
	STR("root.device", r->device);
	STR("root.url", r->url);
	STR("nfs.server", r->nfs.server);
	STR("nfs.path", r->nfs.path);
	STR("nfs.options", r->nfs.options);
	INT("nfs.version", r->nfs.version);
	STR("rootfstype", cl->rootfstype);
	STR("rootflags", cl->rootflags);
	INT("ro", cl->ro);
	STR("init", cl->init);
	INT("panic", cl->panic);
	INT("rootdelay", cl->rootdelay);
	INT("nip", cl->nip);
	STR("bootif", cl->bootif);
	INT("neednet", cl->neednet);
	INT("timeout_iflink", cl->timeout_iflink);
	INT("timeout_carrier", cl->timeout_carrier);
	INT("timeout_dhcp", cl->timeout_dhcp);
	INT("dhcp_retry", cl->dhcp_retry);
	INT("shell", cl->shell);
	STR("emergency", actions[cl->emergency]);
	INT("retry", cl->retry);
	INT("timeout", cl->timeout);
	INT("debug", cl->debug);
	STR("sha256", cl->sha256);
	INT("sha256_invalid", cl->sha256_invalid);
	INT("verify_off", cl->verify_off);
	STR("writable", cl->writable);
	INT("nhostfiles", cl->nhostfiles);
	STR("writable_base", cl->writable_base);
	INT("nwritable_dirs", cl->nwritable_dirs);
	STR("writable_dir0", cl->writable_dirs[0]);
	STR("writable_dir3", cl->writable_dirs[3]);
	INT("collision_fail", cl->collision_fail);
	INT("truncated", cl->truncated);
	INT("nkey", cl->nkey);
	STR("key_invalid", cl->key_invalid);
	INT("fetch_timeout", cl->fetch_timeout);
	INT("fetch_retries", cl->fetch_retries);
	INT("hook_timeout", cl->hook_timeout);
	INT("shell_timeout", cl->shell_timeout);
	INT("watchdog_stuck", cl->watchdog_stuck);
	INT("nwords", cl->nwords);
	INT("nmirror", cl->nmirror);
	if (!strcmp(name, "nameservers")) {
		JOIN(cl->nnameserver, addr(cl->nameserver[i_], tmp));
		return 0;
	}
	if (!strcmp(name, "ifnames")) {
		char one[96];

		JOIN(cl->nifname, (snprintf(one, sizeof(one), "%s=%s", cl->ifname[i_].name,
					    mac_str(cl->ifname[i_].mac, tmp)), one));
		return 0;
	}
	if (!strcmp(name, "routes")) {
		JOIN(cl->nroute, cl->route[i_]);
		return 0;
	}
	if (!strcmp(name, "break")) {
		JOIN(STAGE__COUNT, (cl->break_mask & (1u << i_)) ? boot_stage_name(i_) : "");
		/* JOIN leaves double spaces for absent stages: squeeze them */
		char *s = out, *d = out;
		for (; *s; s++)
			if (!(*s == ' ' && (d == out || d[-1] == ' ')))
				*d++ = *s;
		if (d > out && d[-1] == ' ')
			d--;
		*d = '\0';
		return 0;
	}
	if (!strcmp(name, "driver_pre")) {
		JOIN(cl->ndriver_pre, cl->driver_pre[i_]);
		return 0;
	}
	if (!strcmp(name, "blacklist")) {
		JOIN(cl->ndriver_blacklist, cl->driver_blacklist[i_]);
		return 0;
	}
	if (!strcmp(name, "hostfiles")) {
		JOIN(cl->nhostfiles, cl->hostfiles[i_]);
		return 0;
	}
	if (!strcmp(name, "mirrors")) {
		JOIN(cl->nmirror, cl->mirror[i_]);
		return 0;
	}
	if (!strcmp(name, "init_args")) {
		JOIN(cl->ninit_args, cmdline_init_arg(cl, i_));
		return 0;
	}
	if (!strcmp(name, "key0") || !strcmp(name, "key1")) {
		unsigned k = name[3] - '0';

		out[0] = '\0';
		if (k < cl->nkey)
			for (int j = 0; j < 32; j++)
				sprintf(out + 2 * j, "%02x", cl->key[k][j]);
		return 0;
	}
	if (!strncmp(name, "get:", 4)) {
		const char *v = cmdline_get(cl, name + 4);

		snprintf(out, size, "%s", v ? v : "(null)");
		return 0;
	}
	if (!strncmp(name, "has:", 4)) {
		snprintf(out, size, "%d", cmdline_has(cl, name + 4));
		return 0;
	}
#undef INT
#undef STR
	return -1;
}

/* ---- the table ---- */

#define MAXF 14
struct row {
	const char *name;
	const char *line;
	const char *errors;   /* params reported as errors, in order ("" = none) */
	const char *warnings; /* NULL = not checked */
	const char *expect[MAXF]; /* "field=value" */
};

#define SHA_LOWER "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
#define SHA_MIXED "0123456789ABCDEF0123456789abcdef0123456789ABCDEF0123456789abcdef"
/* 32 bytes 0x00..0x1f in base64 */
#define KEY_B64 "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="
#define KEY_HEX "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"

static const struct row rows[] = {
	/* defaults */
	{ "empty", "", "", "", { "root.type=unset", "ro=-1", "panic=-1",
	  "rootdelay=-1", "init=/sbin/init", "writable=volatile",
	  "neednet=0", "retry=-1", "timeout=-1", "dhcp_retry=-1", "fetch_timeout=-1",
	  "emergency=default" } },
	{ "defaults_net", "quiet", "", "", { "timeout_iflink=-1", "timeout_carrier=-1",
	  "timeout_dhcp=-1", "fetch_retries=-1", "sha256=",
	  "sha256_invalid=0", "verify_off=0", "shell=0", "debug=0", "break=", "nwords=1",
	  "nmirror=0", "nkey=0" } },
	{ "whitespace_only", " \t\n\r\v\f ", "", "", { "nwords=0" } },

	/* tokenizing */
	{ "tabs_newlines", "ro\tpanic=5\ninit=/bin/sh\r\n", "", "",
	  { "ro=1", "panic=5", "init=/bin/sh", "nwords=3" } },
	{ "quoted_value", "rootflags=\"a,b\" netinit.hostfiles=\"http://h/x\"", "", "",
	  { "rootflags=a,b", "hostfiles=http://h/x" } },
	{ "quoted_space_value", "foo=\"a b c\" ro", "", "",
	  { "get:foo=a b c", "ro=1", "nwords=2" } },
	{ "quoted_whole_word", "\"root=LABEL=my root\" rw", "", "",
	  { "root.type=block", "root.device=LABEL=my root", "ro=0" } },
	{ "quote_in_middle", "root=LABEL=\"my root\"", "", "",
	  { "root.device=LABEL=my root" } },
	{ "unterminated_quote", "ro foo=\"a b panic=3", "", "cmdline",
	  { "get:foo=a b panic=3", "panic=-1", "ro=1" } },
	{ "empty_quotes", "\"\" ro \"\"", "", "", { "nwords=1", "ro=1" } },
	{ "dashdash", "ro -- single panic=3 \"a b\"", "", "",
	  { "ro=1", "panic=-1", "nwords=1", "init_args=single panic=3 a b",
	    "has:single=0", "has:panic=0" } },
	{ "dashdash_quoted", "rw \"--\" x", "", "", { "ro=0", "init_args=x" } },
	{ "dashdash_twice", "-- -- x", "", "", { "init_args=-- x", "nwords=0" } },
	{ "get_has", "a=1 b a=2 c= b=3 b", "", "",
	  { "get:a=2", "get:b=(null)", "get:c=", "get:zz=(null)", "has:b=1", "has:c=1",
	    "has:zz=0", "nwords=6" } },
	{ "ignored_unknown", "quiet splash console=ttyS0,115200 rd.luks=0 nosuchkey=1", "", "",
	  { "nwords=5", "root.type=unset" } },

	/* kernel root= */
	{ "root_dev", "root=/dev/vda1 rootfstype=ext4 rootflags=noatime,errors=remount-ro ro", "",
	  "", { "root.type=block", "root.device=/dev/vda1", "rootfstype=ext4",
	  "rootflags=noatime,errors=remount-ro", "ro=1", "neednet=0" } },
	{ "root_label", "root=LABEL=rootfs", "", "", { "root.type=block", "root.device=LABEL=rootfs" } },
	{ "root_uuid", "root=UUID=0a3407de-014b-458b-b5c1-848e92a327a3", "", "",
	  { "root.type=block", "root.device=UUID=0a3407de-014b-458b-b5c1-848e92a327a3" } },
	{ "root_partuuid", "root=PARTUUID=00112233-01", "", "",
	  { "root.type=block", "root.device=PARTUUID=00112233-01" } },
	{ "root_partlabel", "root=PARTLABEL=system", "", "",
	  { "root.type=block", "root.device=PARTLABEL=system" } },
	{ "root_last_wins", "root=/dev/sda1 root=/dev/sdb2", "", "",
	  { "root.device=/dev/sdb2", "get:root=/dev/sdb2" } },
	{ "root_invalid_keeps_previous", "root=/dev/sda1 root=sda2", "root", "",
	  { "root.type=block", "root.device=/dev/sda1" } },
	{ "root_bad_forms", "root root= root=/dev/ root=LABEL= root=nbd:x root=dhcp6", 
	  "root root root root root root", "", { "root.type=unset" } },
	{ "ro_rw_last_wins", "ro rw", "", "", { "ro=0" } },
	{ "rw_ro_last_wins", "rw ro", "", "", { "ro=1" } },
	{ "ro_with_value", "ro=1", "", "ro", { "ro=1" } },
	{ "init_ok", "init=/lib/systemd/systemd", "", "", { "init=/lib/systemd/systemd" } },
	{ "init_relative", "init=sbin/init", "init", "", { "init=/sbin/init" } },
	{ "init_empty", "init=", "init", "", { "init=/sbin/init" } },
	{ "panic_negative", "panic=-1", "", "", { "panic=-1" } },
	{ "panic_values", "panic=10 panic=0", "", "", { "panic=0" } },
	{ "panic_bad", "panic=10 panic=5s panic=+3 panic= panic=-", "panic panic panic panic", "",
	  { "panic=10" } },
	{ "panic_overflow", "panic=99999999999999999999 panic=86401", "panic panic", "",
	  { "panic=-1" } },
	{ "rootdelay", "rootdelay=10", "", "", { "rootdelay=10" } },
	{ "rootdelay_bad", "rootdelay=-1 rootdelay=0x10 rootdelay=1.5", "rootdelay rootdelay rootdelay",
	  "", { "rootdelay=-1" } },
	{ "rootfstype_bad", "rootfstype=ext4;rm rootfstype=squashfs", "rootfstype", "",
	  { "rootfstype=squashfs" } },
	{ "rootflags_ctl", "rootflags=a\x01", "rootflags", "", { "rootflags=" } },

	/* kernel NFS root */
	{ "nfsroot_kernel", "root=/dev/nfs nfsroot=10.0.2.2:/srv/nfs/%s,vers=3,tcp ip=dhcp", "", "",
	  { "root.type=nfs", "nfs.server=10.0.2.2", "nfs.path=/srv/nfs/%s",
	    "nfs.options=vers=3,tcp", "nfs.version=3", "neednet=1", "ip0.method=dhcp" } },
	{ "nfsroot_no_server_uses_ip_field2",
	  "root=/dev/nfs nfsroot=/export/root ip=10.0.0.5:10.0.0.1:10.0.0.254:255.255.255.0:node5:eth0:off",
	  "", "", { "root.type=nfs", "nfs.server=10.0.0.1", "nfs.path=/export/root",
	  "nfs.version=0", "ip0.method=static", "ip0.server=10.0.0.1", "ip0.hostname=node5" } },
	{ "nfsroot_hostname_server", "root=/dev/nfs nfsroot=boot-1.example.org:/srv/root", "", "",
	  { "nfs.server=boot-1.example.org", "nfs.path=/srv/root" } },
	{ "devnfs_without_nfsroot", "root=/dev/nfs ip=dhcp", "", "",
	  { "root.type=dhcp", "neednet=1" } },
	{ "nfsroot_vers4", "root=/dev/nfs nfsroot=1.2.3.4:/r,nfsvers=4.2", "", "",
	  { "nfs.version=4", "nfs.options=nfsvers=4.2" } },
	{ "nfsroot_bad", "root=/dev/nfs nfsroot=srv nfsroot=1.2.3.4:rel nfsroot=bad_host:/x "
	  "nfsroot=/r,vers=2 nfsroot=/r, nfsroot=[::1]:/r",
	  "nfsroot nfsroot nfsroot nfsroot nfsroot nfsroot", "", { "root.type=dhcp" } },
	{ "nfsroot_without_root", "nfsroot=10.0.0.1:/r", "", "nfsroot",
	  { "root.type=nfs", "nfs.server=10.0.0.1", "neednet=1" } },
	{ "nfsroot_ignored_for_block", "root=/dev/sda nfsroot=10.0.0.1:/r", "", "nfsroot",
	  { "root.type=block", "root.device=/dev/sda", "neednet=0" } },
	{ "nfsroot_options_only", "root=/dev/nfs nfsroot=,vers=3,tcp", "", "",
	  { "root.type=dhcp", "nfs.options=vers=3,tcp", "nfs.version=3", "nfs.path=" } },
	{ "nfsroot_default_dir", "root=/dev/nfs nfsroot=default,nolock", "", "",
	  { "root.type=dhcp", "nfs.options=nolock" } },
	{ "nfsroot_default_bare", "boot=nfs nfsroot=default", "", "", { "root.type=dhcp" } },
	{ "nfsroot_last_wins", "root=/dev/nfs nfsroot=1.1.1.1:/a nfsroot=2.2.2.2:/b", "", "",
	  { "nfs.server=2.2.2.2", "nfs.path=/b" } },

	/* dracut NFS, dhcp, live */
	{ "dracut_nfs", "root=nfs:10.0.2.2:/srv/root:vers=3,ro", "", "",
	  { "root.type=nfs", "nfs.server=10.0.2.2", "nfs.path=/srv/root", "nfs.options=vers=3,ro",
	    "nfs.version=3", "neednet=1" } },
	{ "dracut_nfs_no_server", "root=nfs:/srv/root", "", "",
	  { "root.type=nfs", "nfs.server=", "nfs.path=/srv/root", "nfs.version=0" } },
	{ "dracut_nfs4", "root=nfs4:srv:/:sec=sys", "", "",
	  { "root.type=nfs", "nfs.version=4", "nfs.server=srv", "nfs.path=/",
	    "nfs.options=sec=sys" } },
	{ "dracut_nfs4_vers3_opt", "root=nfs4:srv:/x:vers=3", "root", "", { "root.type=unset" } },
	{ "dracut_nfs_empty", "root=nfs:", "", "", { "root.type=dhcp", "nfs.version=0" } },
	{ "dracut_nfs4_empty", "root=nfs4:", "", "", { "root.type=dhcp", "nfs.version=4" } },
	{ "dracut_nfs_percent_s", "root=nfs:10.0.0.1:/nodes/%s", "", "",
	  { "nfs.path=/nodes/%s" } },
	{ "dracut_nfs_bad", "root=nfs:srv root=nfs:1.2.3.4:x root=nfs:999.1.1.1:/x", "root root root",
	  "", { "root.type=unset" } },
	{ "root_dhcp", "root=dhcp", "", "", { "root.type=dhcp", "neednet=1" } },
	{ "root_live_http", "root=live:http://10.0.2.2:8080/img/root.squashfs", "", "",
	  { "root.type=url", "root.url=http://10.0.2.2:8080/img/root.squashfs",
	    "mirrors=http://10.0.2.2:8080/img/root.squashfs", "neednet=1" } },
	{ "root_live_local", "root=live:CDLABEL=x root=live:/dev/sr0", "root root", "",
	  { "root.type=unset" } },

	/* URL roots */
	{ "root_http", "root=http://boot.example.org/images/node.squashfs", "", "",
	  { "root.type=url", "root.url=http://boot.example.org/images/node.squashfs",
	    "nmirror=1", "neednet=1" } },
	{ "root_tftp", "root=tftp://10.0.2.2/root.cpio.zst", "", "",
	  { "root.type=url", "root.url=tftp://10.0.2.2/root.cpio.zst" } },
	{ "root_https", "root=https://h/x", "root", "", { "root.type=unset" } },
	{ "root_url_bad", "root=ftp://h/x root=http:///x root=http://h:0/x root=http://h:99999/x "
	  "root=http://u@h/x root=http://[::1]/x root=http://bad_host/x root=http://h:8a/x "
	  "root=http://300.1.1.1/x", "root root root root root root root root root", "",
	  { "root.type=unset", "nmirror=0" } },
	{ "root_url_port", "root=http://h:65535", "", "", { "root.url=http://h:65535" } },
	{ "mirrors_order", "netinit.mirror=http://m1/x root=http://main/x netinit.mirror=tftp://m2/x",
	  "", "", { "mirrors=http://main/x http://m1/x tftp://m2/x", "nmirror=3" } },
	{ "mirror_same_as_root", "root=http://a/x netinit.mirror=http://a/x netinit.mirror=http://b/x",
	  "", "", { "mirrors=http://a/x http://b/x" } },
	{ "mirrors_no_url_root", "root=/dev/sda netinit.mirror=http://m1/x", "", "",
	  { "mirrors=http://m1/x" } },
	{ "root_url_then_block", "root=http://a/x root=/dev/sda", "", "",
	  { "root.type=block", "nmirror=0", "neednet=0" } },
	{ "mirror_bad", "netinit.mirror=https://x/y netinit.mirror=nope netinit.mirror",
	  "netinit.mirror netinit.mirror netinit.mirror", "", { "nmirror=0" } },

	/* initramfs-tools */
	{ "boot_nfs_nfsroot", "boot=nfs nfsroot=10.0.0.1:/srv/nfsroot", "", "",
	  { "root.type=nfs", "nfs.server=10.0.0.1", "nfs.path=/srv/nfsroot", "neednet=1" } },
	{ "boot_nfs_no_nfsroot", "boot=nfs", "", "", { "root.type=dhcp", "neednet=1" } },
	{ "boot_nfs_auto", "boot=nfs nfsroot=auto root=/dev/nfs", "", "",
	  { "root.type=dhcp", "neednet=1" } },
	{ "nfsroot_auto_alone", "nfsroot=auto", "", NULL, { "root.type=dhcp", "neednet=1" } },
	{ "boot_nfs_overrides_block", "root=/dev/sda1 boot=nfs nfsroot=1.2.3.4:/r", "", "boot",
	  { "root.type=nfs", "nfs.server=1.2.3.4" } },
	{ "boot_nfs_keeps_dracut_nfs", "boot=nfs root=nfs:1.1.1.1:/a", "", "",
	  { "root.type=nfs", "nfs.server=1.1.1.1", "nfs.path=/a" } },
	{ "boot_local", "boot=nfs boot=local root=/dev/sda", "", "", { "root.type=block" } },
	{ "boot_unknown", "boot=casper", "", "boot", { "root.type=unset" } },
	/* live-boot (live-boot(7)) */
	{ "boot_live_fetch", "boot=live fetch=http://10.0.2.2/live/x.squashfs ip=dhcp", "", "",
	  { "root.type=url", "root.url=http://10.0.2.2/live/x.squashfs", "neednet=1" } },
	{ "boot_live_no_fetch", "boot=live", "boot", "", { "root.type=unset" } },
	{ "boot_live_overrides_root", "root=/dev/sda boot=live fetch=tftp://h/x.squashfs", "", "boot",
	  { "root.type=url", "root.url=tftp://h/x.squashfs" } },
	{ "fetch_without_boot_live", "root=/dev/sda fetch=http://h/x", "", "fetch",
	  { "root.type=block" } },
	{ "live_httpfs_refused", "boot=live httpfs=http://h/x.squashfs", "httpfs boot", "",
	  { "root.type=unset" } },
	{ "dracut_legacy_nfs", "root=10.0.0.3:/srv/root:vers=3", "", "",
	  { "root.type=nfs", "nfs.server=10.0.0.3", "nfs.path=/srv/root", "nfs.version=3" } },
	{ "break_itools", "break=top,modules,premount break=mount break=mountroot,bottom,init", "", "",
	  { "break=cmdline pre-udev pre-net mount post-mount pre-pivot" } },
	{ "break_bare", "break", "", "", { "break=pre-net" } },
	{ "break_bad", "break=nowhere break=top,,", "break break", "", { "break=" } },
	{ "break_empty_value", "break=", "", "", { "break=pre-net" } },

	/* dracut rd.* */
	{ "rd_break_bare", "rd.break", "", "", { "break=pre-pivot" } },
	{ "rd_break_empty_value", "rd.break=", "", "", { "break=pre-pivot" } },
	{ "rd_break_stages", "rd.break=cmdline rd.break=pre-udev rd.break=pre-trigger "
	  "rd.break=initqueue rd.break=pre-mount rd.break=mount rd.break=cleanup", "", "",
	  { "break=cmdline pre-udev pre-net pre-mount mount pre-pivot" } },
	{ "rd_break_ours", "rd.break=post-net,post-mount", "", "", { "break=post-net post-mount" } },
	{ "rd_break_bad", "rd.break=pre-net,bogus", "rd.break", "", { "break=" } },
	{ "rd_shell", "rd.shell", "", "", { "shell=1" } },
	{ "rd_shell_values", "rd.shell=1 rd.shell=0", "", "", { "shell=0" } },
	{ "rd_shell_bad", "rd.shell rd.shell=maybe", "rd.shell", "", { "shell=1" } },
	{ "rd_debug", "rd.debug", "", "", { "debug=1" } },
	{ "netinit_debug", "netinit.debug=1", "", "", { "debug=1" } },
	{ "rd_retry_timeout", "rd.retry=30 rd.timeout=0", "", "", { "retry=30", "timeout=0" } },
	{ "rd_retry_bad", "rd.retry=-1 rd.timeout=abc rd.retry=", "rd.retry rd.timeout rd.retry", "",
	  { "retry=-1", "timeout=-1" } },
	{ "rd_emergency", "rd.emergency=poweroff", "", "", { "emergency=poweroff" } },
	{ "rd_emergency_all", "rd.emergency=halt rd.emergency=reboot", "", "",
	  { "emergency=reboot" } },
	{ "rd_emergency_bad", "rd.emergency=shell rd.emergency=explode", "rd.emergency rd.emergency",
	  "", { "emergency=default" } },
	{ "onfail", "netinit.onfail=shell", "", "", { "emergency=shell" } },
	{ "onfail_vs_emergency_last_wins", "netinit.onfail=halt rd.emergency=poweroff", "", "",
	  { "emergency=poweroff" } },
	{ "onfail_bad", "netinit.onfail=ignore", "netinit.onfail", "", { "emergency=default" } },
	{ "rd_neednet", "rd.neednet", "", "", { "neednet=1" } },
	{ "rd_neednet_1", "rd.neednet=1", "", "", { "neednet=1" } },
	{ "rd_neednet_0_ip", "ip=dhcp rd.neednet=0", "", "", { "neednet=0" } },
	{ "rd_neednet_0_netroot", "rd.neednet=0 root=dhcp", "", "", { "neednet=1" } },
	{ "ip_dhcp_neednet", "ip=dhcp", "", "", { "neednet=1" } },
	{ "ip_off_no_neednet", "ip=off", "", "", { "neednet=0", "ip0.method=off" } },
	{ "drivers", "rd.driver.pre=virtio_net,e1000e rd.driver.pre=igb "
	  "rd.driver.blacklist=nouveau modprobe.blacklist=pcspkr,floppy", "", "",
	  { "driver_pre=virtio_net e1000e igb", "blacklist=nouveau pcspkr floppy" } },
	{ "drivers_bad", "rd.driver.pre=a/b rd.driver.pre=a,,b modprobe.blacklist=x;y "
	  "rd.driver.blacklist=", "rd.driver.pre rd.driver.pre modprobe.blacklist rd.driver.blacklist",
	  "", { "driver_pre=", "blacklist=" } },
	/* rd.net.timeout.ifup: not used by netinit (the other limits bound every wait): warned */
	{ "net_timeouts", "rd.net.timeout.iflink=5 rd.net.timeout.carrier=6 rd.net.timeout.dhcp=7 "
	  "rd.net.timeout.ifup=8 rd.net.dhcp.retry=3", "", "rd.net.timeout.ifup",
	  { "timeout_iflink=5", "timeout_carrier=6", "timeout_dhcp=7", "dhcp_retry=3" } },
	{ "rd_net_unsupported_warns", "rd.net.timeout.ipv6dad=5 rd.net.dhcp.vendor-class=x rd.neednet",
	  "", "rd.net.timeout.ipv6dad rd.net.dhcp.vendor-class", { "neednet=1" } },
	{ "net_timeouts_bad", "rd.net.timeout.dhcp=-5 rd.net.timeout.ifup=1e3 rd.net.dhcp.retry=x",
	  "rd.net.timeout.dhcp rd.net.dhcp.retry", "rd.net.timeout.ifup",
	  { "timeout_dhcp=-1", "dhcp_retry=-1" } },
	{ "bootif", "BOOTIF=01-52-54-00-AB-cd-EF", "", "", { "bootif=52:54:00:ab:cd:ef" } },
	{ "bootif_bad", "BOOTIF=01-52-54-00-ab-cd BOOTIF=06-52-54-00-ab-cd-ef "
	  "BOOTIF=52:54:00:ab:cd:ef BOOTIF=01-52-54-00-ab-cd-eg BOOTIF=01-52-54-00-ab-cd-ef-00",
	  "BOOTIF BOOTIF BOOTIF BOOTIF BOOTIF", "", { "bootif=" } },
	{ "ifname", "ifname=boot0:52:54:00:12:34:56 ifname=data:AA:BB:CC:DD:EE:FF", "", "",
	  { "ifnames=boot0=52:54:00:12:34:56 data=aa:bb:cc:dd:ee:ff" } },
	{ "ifname_bad", "ifname=boot0 ifname=a/b:52:54:00:12:34:56 ifname=x:52:54:00:12:34 "
	  "ifname=waytoolonginterface:52:54:00:12:34:56",
	  "ifname ifname ifname ifname", "", { "ifnames=" } },
	{ "nameserver", "nameserver=10.0.0.1 nameserver=8.8.8.8", "", "",
	  { "nameservers=10.0.0.1 8.8.8.8" } },
	{ "nameserver_bad", "nameserver=10.0.0 nameserver=010.0.0.1 nameserver=dns.example",
	  "nameserver nameserver nameserver", "", { "nameservers=" } },
	{ "route", "rd.route=10.1.0.0/16:10.0.0.1 rd.route=0.0.0.0/0:10.0.0.254:eth1", "", "",
	  { "routes=10.1.0.0/16:10.0.0.1 0.0.0.0/0:10.0.0.254:eth1" } },
	{ "route_bad", "rd.route=10.1.0.0:10.0.0.1 rd.route=10.1.0.0/33:10.0.0.1 "
	  "rd.route=10.1.0.0/16 rd.route=10.1.0.0/16:gw rd.route=10.1.0.0/16:1.1.1.1:a/b",
	  "rd.route rd.route rd.route rd.route rd.route", "", { "routes=" } },

	/* ip= kernel forms */
	{ "ip_short_forms", "ip=dhcp ip=on ip=any ip=both ip=bootp ip=rarp ip=off ip=none", "", "",
	  { "nip=8", "ip0.method=dhcp", "ip1.method=dhcp", "ip2.method=dhcp", "ip3.method=dhcp",
	    "ip4.method=dhcp", "ip5.method=dhcp", "ip6.method=off", "ip7.method=off" } },
	{ "ip_too_many", "ip=dhcp ip=dhcp ip=dhcp ip=dhcp ip=dhcp ip=dhcp ip=dhcp ip=dhcp ip=dhcp",
	  "ip", "", { "nip=8" } },
	{ "nfsaddrs", "nfsaddrs=10.0.0.9::10.0.0.1:255.255.255.0:n9:eth0:none", "", "",
	  { "ip0.method=static", "ip0.client=10.0.0.9", "ip0.gateway=10.0.0.1",
	    "ip0.netmask=255.255.255.0", "ip0.hostname=n9", "ip0.device=eth0" } },
	{ "ip_kernel_full", "ip=10.0.0.5:10.0.0.1:10.0.0.254:255.255.0.0:node-5:eth1:off:"
	  "10.0.0.2:10.0.0.3:10.0.0.4", "", "",
	  { "ip0.method=static", "ip0.client=10.0.0.5", "ip0.server=10.0.0.1",
	    "ip0.gateway=10.0.0.254", "ip0.netmask=255.255.0.0", "ip0.hostname=node-5",
	    "ip0.device=eth1", "ip0.dns0=10.0.0.2", "ip0.dns1=10.0.0.3", "ip0.ntp=10.0.0.4",
	    "ip0.mtu=0", "ip0.mac=" } },
	{ "ip_kernel_autoconf_dhcp", "ip=::::node7:eth0:dhcp", "", "",
	  { "ip0.method=dhcp", "ip0.hostname=node7", "ip0.device=eth0", "ip0.client=" } },
	{ "ip_kernel_empty_autoconf", "ip=:::::eth0:", "", "",
	  { "ip0.method=dhcp", "ip0.device=eth0" } },
	{ "ip_kernel_client_only", "ip=10.1.2.3", "", "",
	  { "ip0.method=static", "ip0.client=10.1.2.3" } },
	{ "ip_kernel_off_no_addr", "ip=:::::eth0:off", "", "",
	  { "ip0.method=off", "ip0.device=eth0", "neednet=0" } },
	{ "ip_kernel_bootp", "ip=:::::eth0:bootp", "", "", { "ip0.method=dhcp" } },
	{ "ip_prefix_netmask", "ip=10.0.0.5::10.0.0.1:24::eth0:none", "", "",
	  { "ip0.netmask=255.255.255.0" } },
	{ "ip_prefix_zero", "ip=10.0.0.5:::0::eth0:none", "", "", { "ip0.netmask=" } },
	{ "ip_bad_fields", "ip=10.0.0.300::::: ip=10.0.0.5:x ip=10.0.0.5::gw ip=10.0.0.5:::255.0.255.0 "
	  "ip=10.0.0.5:::33 ip=10.0.0.5::::bad_name ip=10.0.0.5:::::a/b ip=10.0.0.5::::::magic "
	  "ip=10.0.0.5:::::::1.2.3 ip=1:2:3:4:5:6:7:8:9:10:11",
	  "ip ip ip ip ip ip ip ip ip ip", "", { "nip=0", "neednet=0" } },
	{ "ip_field2_kernel_server_not_dracut_peer", "ip=10.0.0.5:10.0.0.99:10.0.0.1:24:n:eth0:none",
	  "", "", { "ip0.server=10.0.0.99" } },
	{ "ip_empty", "ip=", "ip", "", { "nip=0" } },
	{ "ip_flag", "ip", "ip", "", { "nip=0" } },

	/* ip= dracut forms */
	{ "ip_dracut_if_dhcp", "ip=eth0:dhcp", "", "",
	  { "ip0.method=dhcp", "ip0.device=eth0", "ip0.mtu=0", "ip0.mac=" } },
	{ "ip_dracut_if_on_mtu", "ip=ens3:on:9000", "", "",
	  { "ip0.method=dhcp", "ip0.device=ens3", "ip0.mtu=9000" } },
	{ "ip_dracut_if_any_mtu_mac", "ip=eth1:any:1500:52:54:00:AA:bb:01", "", "",
	  { "ip0.method=dhcp", "ip0.device=eth1", "ip0.mtu=1500", "ip0.mac=52:54:00:aa:bb:01" } },
	{ "ip_dracut_if_mac_only", "ip=eth1:dhcp::52:54:00:aa:bb:01", "", "",
	  { "ip0.mtu=0", "ip0.mac=52:54:00:aa:bb:01" } },
	{ "ip_dracut_if_off", "ip=eth2:off", "", "", { "ip0.method=off", "ip0.device=eth2" } },
	{ "ip_dracut_dhcp6", "ip=eth0:dhcp6 ip=dhcp6 ip=auto6 ip=ibft ip=eth0:auto6 "
	  "ip=10.0.0.5:::24::eth0:dhcp6", "ip ip ip ip ip ip", "", { "nip=0" } },
	{ "ip_dracut_if_bad", "ip=eth0:dhcp:10 ip=eth0:dhcp:1500:52:54:00 ip=a/b:dhcp "
	  "ip=eth0:static", "ip ip ip ip", "", { "nip=0" } },
	{ "ip_dracut_static_mtu_mac",
	  "ip=192.168.1.10::192.168.1.1:255.255.255.0:web1:eth0:none:9000:52:54:00:12:34:56", "", "",
	  { "ip0.method=static", "ip0.client=192.168.1.10", "ip0.gateway=192.168.1.1",
	    "ip0.hostname=web1", "ip0.mtu=9000", "ip0.mac=52:54:00:12:34:56", "ip0.dns0=" } },
	{ "ip_dracut_static_mac_no_mtu",
	  "ip=192.168.1.10::192.168.1.1:24:web1:eth0:none::52:54:00:12:34:56", "", "",
	  { "ip0.mtu=0", "ip0.mac=52:54:00:12:34:56" } },
	{ "ip_dracut_static_mtu", "ip=192.168.1.10::192.168.1.1:24:web1:eth0:none:1400", "", "",
	  { "ip0.mtu=1400", "ip0.method=static" } },
	{ "ip_dracut_static_dns", "ip=192.168.1.10::192.168.1.1:24:web1:eth0:off:1.1.1.1:9.9.9.9", "",
	  "", { "ip0.dns0=1.1.1.1", "ip0.dns1=9.9.9.9", "ip0.mtu=0" } },
	{ "ip_ipv6_rejected", "ip=[fe80::1]::[fe80::2]:64::eth0:none", "ip", "", { "nip=0" } },
	{ "ip_accumulate", "ip=eth0:dhcp ip=10.0.0.2::10.0.0.1:24::eth1:none", "", "",
	  { "nip=2", "ip0.device=eth0", "ip1.device=eth1", "ip1.method=static" } },
	{ "ip_hostname_64_label",
	  "ip=::::aaaaaaaaaabbbbbbbbbbccccccccccddddddddddeeeeeeeeeeffffffffffabcd:eth0:dhcp", "ip", "",
	  { "nip=0" } },
	{ "ip_hostname_63_label",
	  "ip=::::aaaaaaaaaabbbbbbbbbbccccccccccddddddddddeeeeeeeeeeffffffffffabc:eth0:dhcp", "", "",
	  { "nip=1", "ip0.hostname=aaaaaaaaaabbbbbbbbbbccccccccccddddddddddeeeeeeeeeeffffffffffabc" } },

	{ "ip_hostname_too_long_for_field",
	  "ip=::::aaaaaaaaaabbbbbbbbbbcccccccccc.ddddddddddeeeeeeeeeeffffffffff.abcd:eth0:dhcp", "ip",
	  "", { "nip=0" } },
	{ "ip_hostname_metachars", "ip=::::a;reboot:eth0:dhcp ip=::::..:eth0:dhcp "
	  "ip=::::a$(id):eth0:dhcp", "ip ip ip", "", { "nip=0" } },

	/* netinit.* */
	{ "sha256", "netinit.sha256=" SHA_MIXED, "", "", { "sha256=" SHA_LOWER, "sha256_invalid=0" } },
	{ "sha256_short", "netinit.sha256=0123", "netinit.sha256", "",
	  { "sha256=", "sha256_invalid=1" } },
	{ "sha256_long", "netinit.sha256=" SHA_LOWER "0", "netinit.sha256", "",
	  { "sha256=", "sha256_invalid=1" } },
	{ "sha256_nonhex", "netinit.sha256=g123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
	  "netinit.sha256", "", { "sha256=", "sha256_invalid=1" } },
	{ "sha256_valid_then_invalid", "netinit.sha256=" SHA_LOWER " netinit.sha256=xyz",
	  "netinit.sha256", "", { "sha256=", "sha256_invalid=1" } },
	{ "sha256_invalid_then_valid", "netinit.sha256=xyz netinit.sha256=" SHA_LOWER,
	  "netinit.sha256", "", { "sha256=" SHA_LOWER, "sha256_invalid=0" } },
	{ "sha256_empty", "netinit.sha256=", "netinit.sha256", "", { "sha256=" } },
	{ "verify", "netinit.verify=off", "", "", { "verify_off=1" } },
	{ "verify_on", "netinit.verify=off netinit.verify=on", "", "", { "verify_off=0" } },
	{ "verify_bad", "netinit.verify=off netinit.verify=no", "netinit.verify", "",
	  { "verify_off=1" } },
	{ "writable", "netinit.writable=persistent netinit.writable.dirs=etc,var,srv,home "
	  "netinit.writable.base=10.0.2.2:/srv/nodes netinit.writable.collision=fail", "", "",
	  { "writable=persistent", "nwritable_dirs=4", "writable_dir0=etc", "writable_dir3=home",
	    "writable_base=10.0.2.2:/srv/nodes", "collision_fail=1" } },
	{ "writable_base_bad", "netinit.writable.base=/srv/nodes netinit.writable.base=srv "
	  "netinit.writable.base=a/b:/x netinit.writable.base=h:/srv/../etc "
	  "netinit.writable.collision=maybe",
	  "netinit.writable.base netinit.writable.base netinit.writable.base "
	  "netinit.writable.collision", "", { "writable_base=/srv/nodes", "collision_fail=0" } },
	{ "writable_none", "netinit.writable=none", "", "", { "writable=none" } },
	{ "writable_bad", "netinit.writable=tmpfs netinit.writable.dirs=etc,../x "
	  "netinit.writable.dirs=etc,,var netinit.writable.dirs=/etc netinit.writable.dirs=.. "
	  "netinit.writable.dirs=a/b netinit.writable.dirs=etc,var,etc",
	  "netinit.writable netinit.writable.dirs netinit.writable.dirs "
	  "netinit.writable.dirs netinit.writable.dirs netinit.writable.dirs netinit.writable.dirs", "",
	  { "writable=volatile" } },
	{ "hostfiles", "netinit.hostfiles=http://10.0.2.2/hosts/", "", "",
	  { "hostfiles=http://10.0.2.2/hosts/", "neednet=1" } },
	{ "hostfiles_bad", "netinit.hostfiles=/local/path", "netinit.hostfiles", "",
	  { "hostfiles=", "neednet=0" } },
	/* repeated: mirrors of one archive, in order, like netinit.mirror= */
	{ "hostfiles_mirrors", "netinit.hostfiles=http://a/%h.tar netinit.hostfiles=tftp://b/%h.tar "
	  "netinit.hostfiles=http://a/%h.tar netinit.hostfiles=https://c/x", "netinit.hostfiles", "",
	  { "hostfiles=http://a/%h.tar tftp://b/%h.tar", "nhostfiles=2", "neednet=1" } },
	{ "hostfiles_too_many", "netinit.hostfiles=http://m1/%h.tar netinit.hostfiles=http://m2/%h.tar netinit.hostfiles=http://m3/%h.tar netinit.hostfiles=http://m4/%h.tar netinit.hostfiles=http://m5/%h.tar netinit.hostfiles=http://m6/%h.tar netinit.hostfiles=http://m7/%h.tar netinit.hostfiles=http://m8/%h.tar netinit.hostfiles=http://m9/%h.tar netinit.hostfiles=http://m10/%h.tar netinit.hostfiles=http://m11/%h.tar netinit.hostfiles=http://m12/%h.tar netinit.hostfiles=http://m13/%h.tar netinit.hostfiles=http://m14/%h.tar netinit.hostfiles=http://m15/%h.tar netinit.hostfiles=http://m16/%h.tar netinit.hostfiles=http://m17/%h.tar", "netinit.hostfiles", "",
	  { "nhostfiles=16" } },
	{ "key", "netinit.key=" KEY_B64, "", "", { "nkey=1", "key0=" KEY_HEX } },
	{ "key_unpadded_two", "netinit.key=AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8 netinit.key="
	  KEY_B64, "", "", { "nkey=2", "key0=" KEY_HEX, "key1=" KEY_HEX } },
	{ "key_bad", "netinit.key=AAECAwQ= netinit.key=AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8g "
	  "netinit.key=AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8x netinit.key=!!!",
	  "netinit.key netinit.key netinit.key netinit.key", "", { "nkey=0", "key_invalid=AAECAwQ=" } },
	{ "fetch", "netinit.fetch.timeout=30 netinit.fetch.retries=0", "", "",
	  { "fetch_timeout=30", "fetch_retries=0" } },
	{ "fetch_bad", "netinit.fetch.timeout=0 netinit.fetch.retries=-1 netinit.fetch.timeout=5m",
	  "netinit.fetch.timeout netinit.fetch.retries netinit.fetch.timeout", "",
	  { "fetch_timeout=-1", "fetch_retries=-1" } },
	{ "policy", "netinit.hook.timeout=30 netinit.shell.timeout=0 netinit.watchdog.stuck=45", "", "",
	  { "hook_timeout=30", "shell_timeout=0", "watchdog_stuck=45" } },
	{ "policy_defaults", "quiet", "", "", { "hook_timeout=-1", "shell_timeout=-1", "watchdog_stuck=-1" } },
	/* below 10 s would reset healthy nodes; no unit suffixes; a value is needed */
	{ "watchdog_bad", "netinit.watchdog.stuck=9 netinit.watchdog.stuck=10m netinit.watchdog.stuck=86401 "
	  "netinit.watchdog.stuck=-1 netinit.watchdog.stuck", "netinit.watchdog.stuck netinit.watchdog.stuck "
	  "netinit.watchdog.stuck netinit.watchdog.stuck netinit.watchdog.stuck", "", { "watchdog_stuck=-1" } },
	{ "watchdog_last_wins", "netinit.watchdog.stuck=20 netinit.watchdog.stuck=86400", "", "",
	  { "watchdog_stuck=86400" } },
	{ "netinit_unknown", "netinit.mirrors=http://x/ netinit.writeable=none netinit.debug "
	  "netinit.", "netinit.mirrors netinit.writeable netinit.", "",
	  { "nmirror=0", "writable=volatile", "debug=1" } },
	{ "netinit_unknown_ctl_key_sanitized", "netinit.\x1b[2J=1 \"netinit.a b\"", "netinit.?[2J netinit.a?b",
	  "", { "nwords=2" } },
	/* a pin or key asked for without a value refuses the boot (plan.verify) */
	{ "netinit_flag_needs_value", "netinit.sha256 netinit.verify netinit.key",
	  "netinit.sha256 netinit.verify netinit.key", "", { "sha256_invalid=1", "key_invalid=(none)" } },

	/* a realistic pxelinux.cfg line of each convention */
	{ "pxelinux_kernel", "initrd=initrd.img root=/dev/nfs nfsroot=192.168.0.1:/tftpboot/%s,v3 "
	  "ip=::::::dhcp rw console=ttyS0", "", "",
	  { "root.type=nfs", "nfs.path=/tftpboot/%s", "nfs.options=v3", "ro=0",
	    "ip0.method=dhcp" } },
	{ "pxelinux_dracut", "root=nfs4:10.0.2.2:/nodes ip=eth0:dhcp rd.neednet=1 rd.shell "
	  "rd.retry=10 BOOTIF=01-52-54-00-12-34-56", "", "",
	  { "root.type=nfs", "nfs.version=4", "neednet=1", "shell=1", "retry=10",
	    "bootif=52:54:00:12:34:56" } },
	{ "pxelinux_itools", "boot=nfs nfsroot=10.0.2.2:/srv/nfs/root ip=dhcp ro panic=10 break=init",
	  "", "", { "root.type=nfs", "ro=1", "panic=10", "break=pre-pivot" } },
	{ "pxelinux_netinit", "root=http://10.0.2.2/img.sqfs netinit.sha256=" SHA_LOWER
	  " netinit.writable=persistent netinit.onfail=reboot ip=dhcp", "", "",
	  { "root.type=url", "sha256=" SHA_LOWER, "writable=persistent", "emergency=reboot",
	    "mirrors=http://10.0.2.2/img.sqfs" } },
};

static void run_row(void **state)
{
	const struct row *row = *state;
	static struct cmdline cl;
	struct reports rep;
	char got[8192], field[64];
	const char *eq;
	int n, i;

	memset(&rep, 0, sizeof(rep));
	n = cmdline_parse(row->line, &cl, record, &rep);
	if (strcmp(rep.errors, row->errors))
		fail_msg("line \"%s\": errors reported for \"%s\", expected \"%s\" (last: %s)",
			 row->line, rep.errors, row->errors, rep.last_msg);
	assert_int_equal(n, rep.nerr);
	if (row->warnings && strcmp(rep.warnings, row->warnings))
		fail_msg("line \"%s\": warnings for \"%s\", expected \"%s\"", row->line,
			 rep.warnings, row->warnings);
	for (i = 0; i < MAXF && row->expect[i]; i++) {
		eq = strchr(row->expect[i], '=');
		assert_non_null(eq);
		snprintf(field, sizeof(field), "%.*s", (int)(eq - row->expect[i]), row->expect[i]);
		if (field_str(&cl, field, got, sizeof(got)) < 0)
			fail_msg("test bug: unknown field \"%s\"", field);
		if (strcmp(got, eq + 1))
			fail_msg("line \"%s\": %s is \"%s\", expected \"%s\"", row->line, field, got,
				 eq + 1);
	}
}

/* ---- tests that are not one line ---- */

static const struct {
	const char *name;
	bool ok;
} hostnames[] = {
	{ "node1", true }, { "a", true }, { "1", true }, { "node-1.rack-2.example.org", true },
	{ "A-B.c", true }, { "123.example", true },
	{ "aaaaaaaaaabbbbbbbbbbccccccccccddddddddddeeeeeeeeeeffffffffffabc", true }, /* 63 */
	{ "", false }, { ".", false }, { "..", false }, { "a..b", false }, { ".a", false },
	{ "a.", false }, { "a/b", false }, { "../etc", false }, { "-a", false }, { "a-", false },
	{ "a.-b", false }, { "a-.b", false }, { "a b", false }, { "a_b", false },
	{ "a;reboot", false }, { "$(reboot)", false }, { "`id`", false }, { "a|b", false },
	{ "a&b", false }, { "a>b", false }, { "a*", false }, { "a\nb", false }, { "a\\b", false },
	{ "a'b", false }, { "a\"b", false }, { "n\xc3\xa9", false },
	{ "aaaaaaaaaabbbbbbbbbbccccccccccddddddddddeeeeeeeeeeffffffffffabcd", false }, /* 64 */
};

static void test_hostname_valid(void **state)
{
	char name[300];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(hostnames) / sizeof(hostnames[0]); i++)
		if (hostname_valid(hostnames[i].name) != hostnames[i].ok)
			fail_msg("hostname_valid(\"%s\") != %d", hostnames[i].name, hostnames[i].ok);
	assert_false(hostname_valid(NULL));
	/* 253 bytes in all is the limit: 3 labels of 63 + 1 of 61 + 3 dots = 253 */
	memset(name, 'a', sizeof(name));
	name[63] = name[127] = name[191] = '.';
	name[253] = '\0';
	assert_true(hostname_valid(name));
	name[253] = 'a';
	name[254] = '\0';
	assert_false(hostname_valid(name));
}

static void test_boot_stages(void **state)
{
	static const struct { const char *name; enum boot_stage st; } aliases[] = {
		{ "top", STAGE_CMDLINE }, { "modules", STAGE_PRE_UDEV }, { "premount", STAGE_PRE_NET },
		{ "mount", STAGE_MOUNT }, { "mountroot", STAGE_MOUNT }, { "bottom", STAGE_POST_MOUNT },
		{ "init", STAGE_PRE_PIVOT }, { "pre-trigger", STAGE_PRE_UDEV },
		{ "initqueue", STAGE_PRE_NET }, { "cleanup", STAGE_PRE_PIVOT },
	};
	enum boot_stage st;
	int i;

	(void)state;
	for (i = 0; i < STAGE__COUNT; i++) {
		assert_int_equal(boot_stage_parse(boot_stage_name(i), &st), 0);
		assert_int_equal(st, i);
	}
	assert_string_equal(boot_stage_name(STAGE_PRE_PIVOT), "pre-pivot");
	assert_string_equal(boot_stage_name(STAGE__COUNT), "unknown");
	assert_string_equal(boot_stage_name((enum boot_stage)-1), "unknown");
	for (i = 0; i < (int)(sizeof(aliases) / sizeof(aliases[0])); i++) {
		assert_int_equal(boot_stage_parse(aliases[i].name, &st), 0);
		assert_int_equal(st, aliases[i].st);
	}
	assert_int_equal(boot_stage_parse("Mount", &st), -1);
	assert_int_equal(boot_stage_parse("", &st), -1);
	assert_int_equal(boot_stage_parse(NULL, &st), -1);
}

static void test_nfs_path(void **state)
{
	struct in_addr ip;
	char out[64];

	(void)state;
	inet_pton(AF_INET, "10.0.0.5", &ip);
	assert_int_equal(cmdline_nfs_path("/tftpboot/%s", ip, out, sizeof(out)), 0);
	assert_string_equal(out, "/tftpboot/10.0.0.5");
	assert_int_equal(cmdline_nfs_path("/n/%s/%s%", ip, out, sizeof(out)), 0);
	assert_string_equal(out, "/n/10.0.0.5/10.0.0.5%");
	assert_int_equal(cmdline_nfs_path("/a%d%%x", ip, out, sizeof(out)), 0);
	assert_string_equal(out, "/a%d%%x");
	assert_int_equal(cmdline_nfs_path("/x/%s", ip, out, 12), 0); /* 11 bytes + NUL */
	assert_string_equal(out, "/x/10.0.0.5");
	assert_int_equal(cmdline_nfs_path("/x/%s", ip, out, 11), -ENAMETOOLONG);
	assert_int_equal(cmdline_nfs_path("/xy", ip, out, 3), -ENAMETOOLONG);
	assert_int_equal(cmdline_nfs_path("", ip, out, 1), 0);
	assert_string_equal(out, "");
	assert_int_equal(cmdline_nfs_path("", ip, out, 0), -ENAMETOOLONG);
}

/* A line of exactly CMDLINE_MAX bytes is accepted whole; its last word counts. */
static void test_line_4k(void **state)
{
	static struct cmdline cl;
	static char line[CMDLINE_MAX + 1];
	struct reports rep = { 0 };
	size_t n;

	(void)state;
	memset(line, 'x', CMDLINE_MAX);
	line[CMDLINE_MAX] = '\0';
	memcpy(line, "foo=", 4);
	n = CMDLINE_MAX - strlen(" panic=7");
	memcpy(line + n, " panic=7", strlen(" panic=7"));
	assert_int_equal(strlen(line), CMDLINE_MAX);
	assert_int_equal(cmdline_parse(line, &cl, record, &rep), 0);
	assert_false(cl.truncated);
	assert_int_equal(cl.panic, 7);
	assert_int_equal(cl.nwords, 2);
	assert_int_equal(strlen(cmdline_get(&cl, "foo")), n - 4);
}

/* One byte more: error, the cut word is dropped, the words before stay. */
static void test_line_too_long(void **state)
{
	static struct cmdline cl;
	static char line[CMDLINE_MAX + 64];
	struct reports rep = { 0 };
	size_t n;

	(void)state;
	memset(line, 'x', sizeof(line));
	line[sizeof(line) - 1] = '\0';
	memcpy(line, "foo=", 4);
	n = CMDLINE_MAX - 10;
	memcpy(line + n, " panic=777777", 13); /* straddles byte 4096 */
	assert_int_equal(cmdline_parse(line, &cl, record, &rep), 1);
	assert_string_equal(rep.errors, "cmdline");
	assert_true(cl.truncated);
	assert_int_equal(cl.panic, -1);
	assert_int_equal(cl.nwords, 1);

	/* cut exactly at a separator: nothing is dropped */
	memset(&rep, 0, sizeof(rep));
	memset(line, 'x', sizeof(line));
	line[sizeof(line) - 1] = '\0';
	memcpy(line, "ro", 2);
	line[2] = ' ';
	memcpy(line + CMDLINE_MAX - 7, " rw a=b", 7);
	line[CMDLINE_MAX] = ' ';
	assert_int_equal(cmdline_parse(line, &cl, record, &rep), 1);
	assert_true(cl.truncated);
	assert_int_equal(cl.ro, 0);
	assert_string_equal(cmdline_get(&cl, "a"), "b");
}

/* A quote open across the cut: that word is dropped too. */
static void test_line_too_long_in_quote(void **state)
{
	static struct cmdline cl;
	static char line[CMDLINE_MAX + 64];
	struct reports rep = { 0 };

	(void)state;
	memset(line, ' ', sizeof(line));
	line[sizeof(line) - 1] = '\0';
	memcpy(line, "rw", 2);
	memcpy(line + CMDLINE_MAX - 8, "foo=\"a b", 8); /* byte 4096 is a space */
	memcpy(line + CMDLINE_MAX + 4, "\" ro", 4);
	assert_int_equal(cmdline_parse(line, &cl, record, &rep), 1);
	assert_true(cl.truncated);
	assert_false(cmdline_has(&cl, "foo"));
	assert_int_equal(cl.nwords, 1);
	assert_int_equal(cl.ro, 0);
}

/* 4096 one-letter words: the word table (512) overflows with one error. */
static void test_too_many_words(void **state)
{
	static struct cmdline cl;
	static char line[CMDLINE_MAX + 1];
	struct reports rep = { 0 };
	size_t i;

	(void)state;
	for (i = 0; i < CMDLINE_MAX; i++)
		line[i] = i % 2 ? ' ' : 'a';
	line[CMDLINE_MAX] = '\0';
	assert_int_equal(cmdline_parse(line, &cl, record, &rep), 1);
	assert_string_equal(rep.errors, "cmdline");
	assert_int_equal(cl.nwords, 512);
}

/* List keys stop at their bound with one error per extra word. */
static void test_list_bounds(void **state)
{
	static struct cmdline cl;
	char line[2048] = "";
	struct reports rep = { 0 };
	int i;

	(void)state;
	for (i = 0; i < CMDLINE_MAX_LIST + 2; i++) {
		char w[80];

		snprintf(w, sizeof(w), "nameserver=10.0.0.%d netinit.mirror=http://m%d/x ", i + 1, i);
		strcat(line, w);
	}
	strcat(line, "root=http://root/x rd.driver.pre=a,b,c,d,e,f,g,h,i,j,k,l,m,n,o,p rd.driver.pre=q");
	assert_int_equal(cmdline_parse(line, &cl, record, &rep), 2 + 3 + 1);
	assert_int_equal(cl.nnameserver, CMDLINE_MAX_LIST);
	assert_int_equal(cl.nmirror, CMDLINE_MAX_LIST);
	assert_string_equal(cl.mirror[0], "http://root/x");
	assert_string_equal(cl.mirror[1], "http://m0/x");
	assert_int_equal(cl.ndriver_pre, CMDLINE_MAX_LIST);
	assert_string_equal(cl.driver_pre[15], "p");
}

/* Messages never carry raw control characters and always name the problem. */
static void test_messages_sanitized(void **state)
{
	static struct cmdline cl;
	struct reports rep = { 0 };

	(void)state;
	assert_int_equal(cmdline_parse("init=\x1b[2Jx", &cl, record, &rep), 1);
	assert_string_equal(rep.errors, "init");
	assert_null(strchr(rep.last_msg, '\x1b'));
	assert_non_null(strstr(rep.last_msg, "absolute"));
	assert_int_equal(cmdline_parse("netinit.bogus=1", &cl, NULL, NULL), 1);
	assert_int_equal(cmdline_parse(NULL, &cl, NULL, NULL), 0);
	assert_string_equal(cl.init, "/sbin/init");
}

/* Random bytes: no crash, strings terminated, counts in bounds (the fuzzer does more). */
static void test_random_lines(void **state)
{
	static struct cmdline cl;
	static const char alphabet[] = "=:,/\". \t-0123456789abcdefrotipnsdhcx.[]%";
	char line[300];
	unsigned seed = 12345;
	int i, j, len;

	(void)state;
	for (i = 0; i < 20000; i++) {
		seed = seed * 1103515245 + 12345;
		len = (seed >> 16) % (sizeof(line) - 1);
		for (j = 0; j < len; j++) {
			seed = seed * 1103515245 + 12345;
			line[j] = (seed >> 20) & 1 ? alphabet[(seed >> 8) % (sizeof(alphabet) - 1)]
						   : (char)((seed >> 8) % 255 + 1);
		}
		line[len] = '\0';
		cmdline_parse(line, &cl, NULL, NULL);
		assert_true(cl.nwords + cl.ninit_args <= 512);
		assert_true(cl.nip <= CMDLINE_MAX_IP);
		assert_true(cl.nmirror <= CMDLINE_MAX_LIST);
		assert_true(strlen(cl.init) < sizeof(cl.init));
		assert_true(cl.init[0] == '/');
	}
}

int main(void)
{
	size_t nrows = sizeof(rows) / sizeof(rows[0]);
	static const struct CMUnitTest fixed[] = {
		cmocka_unit_test(test_hostname_valid),
		cmocka_unit_test(test_boot_stages),
		cmocka_unit_test(test_nfs_path),
		cmocka_unit_test(test_line_4k),
		cmocka_unit_test(test_line_too_long),
		cmocka_unit_test(test_line_too_long_in_quote),
		cmocka_unit_test(test_too_many_words),
		cmocka_unit_test(test_list_bounds),
		cmocka_unit_test(test_messages_sanitized),
		cmocka_unit_test(test_random_lines),
	};
	size_t nfixed = sizeof(fixed) / sizeof(fixed[0]);
	struct CMUnitTest *tests = calloc(nrows + nfixed, sizeof(*tests));
	size_t i;

	if (!tests)
		return 1;
	for (i = 0; i < nrows; i++) {
		tests[i].name = rows[i].name;
		tests[i].test_func = run_row;
		tests[i].initial_state = (void *)&rows[i];
	}
	memcpy(tests + nrows, fixed, sizeof(fixed));
	return _cmocka_run_group_tests("cmdline", tests, nrows + nfixed, NULL, NULL);
}
