/* SPDX-License-Identifier: MIT */
/*
 * From sections to the validated model: site defaults, images, nodes.
 *
 * Merge rules (documented in netinit.conf(5)):
 *  - [site], [output] and [image NAME] sections merge key by key, a later
 *    file or line winning: that is how a drop-in overrides a default;
 *  - a node is defined once, by [node NAME] or as a member of a [group]:
 *    the same name, MAC or IP defined twice is an error naming both places;
 *    [override NAME] changes settings of a node defined elsewhere;
 *  - a node inherits what it does not say: node > override > group > image > site.
 * Every value is checked against the formats it will be written into, so a
 * renderer never has to escape: what would become syntax is rejected here.
 */
#include "export.h"
#include "cmdline.h"
#include "log.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#ifndef EXPORT_GROUP_MAX
#define EXPORT_GROUP_MAX 1000000 /* members of one [group] */
#endif

/* ---- string pool: everything the model allocates, freed at once ---- */
struct pool_block {
	struct pool_block *next;
	size_t used, size;
	char data[];
};

static char *pool_alloc(struct model *m, size_t n)
{
	struct pool_block *b = m->pool;

	n = (n + 7) & ~(size_t)7; /* keep every allocation aligned for any struct */
	if (!b || b->size - b->used < n) {
		size_t size = n > 65536 ? n : 65536;

		b = malloc(sizeof(*b) + size);
		if (!b)
			return NULL;
		b->next = m->pool;
		b->used = 0;
		b->size = size;
		m->pool = b;
	}
	b->used += n;
	return b->data + b->used - n;
}

static char *pool_printf(struct model *m, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static char *pool_printf(struct model *m, const char *fmt, ...)
{
	va_list ap;
	int n;
	char *p;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0 || !(p = pool_alloc(m, (size_t)n + 1)))
		return NULL;
	va_start(ap, fmt);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return p;
}

static void merr(struct model *m, const struct loc *l, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void merr(struct model *m, const struct loc *l, const char *fmt, ...)
{
	char msg[768];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	m->errors++;
	if (l && l->file)
		nl_err(EXPORT_STAGE, "%s:%u: %s", l->file, l->line, msg);
	else
		nl_err(EXPORT_STAGE, "%s", msg);
}

/* ---- value validators ---- */
static bool in_set(char ch, const char *extra)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
	       (ch && strchr(extra, ch));
}

/* File paths: written into dhcpd/Kea strings, pxelinux KERNEL lines, exports
 * and ganesha Path = "..." lines: no space, quote, ';', '{', '*', '(' or '#'. */
bool ex_path_ok(const char *s)
{
	const char *p;

	if (!*s || strlen(s) > 1024)
		return false;
	for (p = s; *p; p++)
		if (!in_set(*p, "._+-/@~"))
			return false;
	/* No ".." component: names never escape their folders. */
	for (p = s; (p = strstr(p, "..")); p += 2) {
		bool start = p == s || p[-1] == '/', end = p[2] == '\0' || p[2] == '/';

		if (start && end)
			return false;
	}
	return true;
}

bool ex_url_ok(const char *s)
{
	const char *p;

	if (strncmp(s, "http://", 7) && strncmp(s, "https://", 8) && strncmp(s, "tftp://", 7))
		return false;
	if (strlen(s) > CMDLINE_MAX_URL - 1)
		return false;
	for (p = s; *p; p++)
		if (!in_set(*p, "._+-/@~:%"))
			return false;
	return true;
}

bool ex_word_ok(const char *s)
{
	if (!*s || strlen(s) > 63)
		return false;
	for (; *s; s++)
		if (!in_set(*s, "._+~-"))
			return false;
	return true;
}

/* Command lines go verbatim into pxelinux APPEND and iPXE "kernel" lines:
 * printable ASCII only, and no '$' (iPXE would expand "${...}"). */
bool ex_cmdline_ok(const char *s, char *bad)
{
	for (; *s; s++) {
		unsigned char ch = (unsigned char)*s;

		if (ch < 0x20 || ch >= 0x7f || ch == '$' || ch == '\\') {
			if (bad)
				*bad = (char)ch;
			return false;
		}
	}
	return true;
}

static int hexval(char ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	if (ch >= 'A' && ch <= 'F')
		return ch - 'A' + 10;
	return -1;
}

/* "aa:bb:cc:dd:ee:ff" or with '-' separators. */
int ex_parse_mac(const char *s, uint8_t mac[6])
{
	int i;

	for (i = 0; i < 6; i++) {
		int hi = hexval(s[0]), lo = hi < 0 ? -1 : hexval(s[1]);

		if (hi < 0 || lo < 0)
			return -EINVAL;
		mac[i] = (uint8_t)(hi << 4 | lo);
		s += 2;
		if (i < 5) {
			if (*s != ':' && *s != '-')
				return -EINVAL;
			s++;
		}
	}
	return *s ? -EINVAL : 0;
}

void ex_fmt_mac(const uint8_t mac[6], char sep, char out[18])
{
	static const char hx[] = "0123456789abcdef";
	int i;

	for (i = 0; i < 6; i++) {
		out[i * 3] = hx[mac[i] >> 4];
		out[i * 3 + 1] = hx[mac[i] & 15];
		out[i * 3 + 2] = i < 5 ? sep : '\0';
	}
}

void ex_fmt_ip(struct in_addr a, char out[16])
{
	uint32_t h = ntohl(a.s_addr);

	snprintf(out, 16, "%u.%u.%u.%u", h >> 24, (h >> 16) & 255, (h >> 8) & 255, h & 255);
}

/* Strict dotted quad (inet_pton's rules: no leading zeros, 4 parts). */
static bool parse_ip(const char *s, struct in_addr *a)
{
	return inet_pton(AF_INET, s, a) == 1;
}

static bool parse_uint(const char *s, unsigned long max, unsigned long *out)
{
	char *end;
	unsigned long v;

	if (*s < '0' || *s > '9')
		return false;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || *end || v > max)
		return false;
	*out = v;
	return true;
}

static bool parse_bool(const char *s, bool *out)
{
	if (!strcmp(s, "yes") || !strcmp(s, "true") || !strcmp(s, "on") || !strcmp(s, "1"))
		*out = true;
	else if (!strcmp(s, "no") || !strcmp(s, "false") || !strcmp(s, "off") || !strcmp(s, "0"))
		*out = false;
	else
		return false;
	return true;
}

/* ---- key tables ---- */
static const char *const site_keys[] = {
	"server", "network", "tftp-root", "images-dir", "nodes-dir", "http-url", "boot-url",
	"kernel", "initrd", "bootfile", "writable", "writable-dirs", "cmdline",
	"pxe-default-image", "outputs", "public-key", "secret-key", "node-export-id-base",
	"dnsmasq-tftp", NULL
};
static const char *const output_keys[] = {
	"dhcpd", "dnsmasq", "kea", "pxelinux", "ipxe", "exports", "ganesha", "nginx", NULL
};
static const char *const image_keys[] = {
	"root", "path", "file", "url", "version", "seed", "kernel", "initrd", "bootfile",
	"writable", "cmdline", "export-id", NULL
};
static const char *const node_keys[] = {
	"mac", "ip", "image", "kernel", "initrd", "bootfile", "writable", "cmdline", NULL
};
static const char *const group_keys[] = {
	"name", "start", "count", "ip", "mac", "mac-start", "image", "kernel", "initrd",
	"bootfile", "writable", "cmdline", NULL
};
static const char *const override_keys[] = {
	"image", "kernel", "initrd", "bootfile", "writable", "cmdline", NULL
};

const char *const out_kind_names[OUT__COUNT] = {
	[OUT_DHCPD] = "dhcpd", [OUT_DNSMASQ] = "dnsmasq", [OUT_KEA] = "kea",
	[OUT_PXELINUX] = "pxelinux", [OUT_IPXE] = "ipxe", [OUT_EXPORTS] = "exports",
	[OUT_GANESHA] = "ganesha", [OUT_NGINX] = "nginx", [OUT_NODEDIRS] = "nodedirs",
	[OUT_MANIFESTS] = "manifests",
};

int out_kind_parse(const char *name)
{
	int i;

	for (i = 0; i < OUT__COUNT; i++)
		if (strcmp(out_kind_names[i], name) == 0)
			return i;
	return -EINVAL;
}

static bool key_known(const char *const *keys, const char *k)
{
	for (; *keys; keys++)
		if (strcmp(*keys, k) == 0)
			return true;
	return false;
}

static const char *const *keys_for(const char *type)
{
	if (!strcmp(type, "site"))
		return site_keys;
	if (!strcmp(type, "output"))
		return output_keys;
	if (!strcmp(type, "image"))
		return image_keys;
	if (!strcmp(type, "node"))
		return node_keys;
	if (!strcmp(type, "group"))
		return group_keys;
	return override_keys;
}

static void check_keys(struct model *m, const struct conf *c)
{
	size_t i, j;

	for (i = 0; i < c->nsec; i++) {
		const struct conf_section *s = &c->sec[i];
		const char *const *keys = keys_for(s->type);

		for (j = 0; j < s->nkv; j++) {
			if (!key_known(keys, s->kv[j].key)) {
				char list[512] = "";
				const char *const *k;

				for (k = keys; *k; k++) {
					strncat(list, *k, sizeof(list) - strlen(list) - 3);
					if (k[1])
						strncat(list, ", ", sizeof(list) - strlen(list) - 1);
				}
				merr(m, &s->kv[j].loc, "unknown key \"%s\" in [%s] (known: %s)",
				     s->kv[j].key, s->type, list);
			}
		}
	}
}

/* The last value of key over the sections of one type (and name). */
static const char *merged_get(const struct conf *c, const char *type, const char *name,
			      const char *key, struct loc *where)
{
	size_t i = c->nsec;

	while (i-- > 0) {
		const struct conf_section *s = &c->sec[i];
		const char *v;

		if (strcmp(s->type, type) || (name && strcmp(s->name, name)))
			continue;
		v = conf_get(s, key, where);
		if (v)
			return v;
	}
	return NULL;
}

/* ---- settings ---- */
static int parse_writable(const char *v, enum writable_mode *out)
{
	if (!strcmp(v, "volatile"))
		*out = WR_VOLATILE;
	else if (!strcmp(v, "persistent"))
		*out = WR_PERSISTENT;
	else if (!strcmp(v, "none"))
		*out = WR_NONE;
	else
		return -EINVAL;
	return 0;
}

static const char *writable_name(enum writable_mode w)
{
	return w == WR_PERSISTENT ? "persistent" : w == WR_NONE ? "none" : "volatile";
}

/* kernel/initrd/bootfile/writable of one section (or merged image sections). */
static void settings_read(struct model *m, const struct conf *c, const char *type,
			  const char *name, const struct conf_section *one, struct settings *set)
{
	static const char *const pathkeys[] = { "kernel", "initrd", "bootfile" };
	const char **dst[] = { &set->kernel, &set->initrd, &set->bootfile };
	struct loc l;
	const char *v;
	size_t i;

	for (i = 0; i < 3; i++) {
		v = one ? conf_get(one, pathkeys[i], &l) : merged_get(c, type, name, pathkeys[i], &l);
		if (!v)
			continue;
		if (!ex_path_ok(v) || v[0] == '/')
			merr(m, &l, "%s: \"%.80s\" is not a path relative to tftp-root (letters, digits, ._+-/@~; no \"..\")",
			     pathkeys[i], v);
		else
			*dst[i] = v;
	}
	v = one ? conf_get(one, "writable", &l) : merged_get(c, type, name, "writable", &l);
	if (v && parse_writable(v, &set->writable) < 0)
		merr(m, &l, "writable: \"%.80s\" is not one of volatile, persistent, none", v);
}

static void settings_inherit(struct settings *dst, const struct settings *src)
{
	if (!dst->kernel)
		dst->kernel = src->kernel;
	if (!dst->initrd)
		dst->initrd = src->initrd;
	if (!dst->bootfile)
		dst->bootfile = src->bootfile;
	if (dst->writable == WR_UNSET)
		dst->writable = src->writable;
}

static void settings_override(struct settings *dst, const struct settings *src)
{
	if (src->kernel)
		dst->kernel = src->kernel;
	if (src->initrd)
		dst->initrd = src->initrd;
	if (src->bootfile)
		dst->bootfile = src->bootfile;
	if (src->writable != WR_UNSET)
		dst->writable = src->writable;
}

static const char *get_cmdline(struct model *m, const struct conf_section *one, const struct conf *c,
			       const char *type, const char *name)
{
	struct loc l;
	const char *v = one ? conf_get(one, "cmdline", &l) : merged_get(c, type, name, "cmdline", &l);
	char bad = 0;

	if (v && !ex_cmdline_ok(v, &bad)) {
		merr(m, &l, "cmdline: character 0x%02x is not allowed (printable ASCII without '$' and '\\')",
		     (unsigned char)bad);
		return NULL;
	}
	return v && *v ? v : NULL;
}

static const char *get_dir(struct model *m, const char *v, const struct loc *l, const char *key,
			   const char *def)
{
	if (!v)
		return def;
	if (!ex_path_ok(v) || v[0] != '/') {
		merr(m, l, "%s: \"%.80s\" is not an absolute path (letters, digits, ._+-/@~; no \"..\")", key, v);
		return def;
	}
	return v;
}

/* Key files: absolute, or relative to the directory of the file naming them. */
static const char *key_path(struct model *m, const struct conf *c, const char *key, const char *def)
{
	struct loc l;
	const char *v = merged_get(c, "site", NULL, key, &l), *slash;

	if (!v)
		return def;
	if (!ex_path_ok(v)) {
		merr(m, &l, "%s: \"%.80s\" is not a path (letters, digits, ._+-/@~; no \"..\")", key, v);
		return def;
	}
	if (v[0] == '/')
		return v;
	slash = strrchr(l.file, '/');
	return slash ? pool_printf(m, "%.*s/%s", (int)(slash - l.file), l.file, v) : v;
}

/* ---- site ---- */
static void site_build(struct model *m, const struct conf *c)
{
	struct site *s = &m->site;
	struct loc l = { 0 };
	const char *v;
	char sv[16];
	unsigned long ul;
	int k;

	if ((v = merged_get(c, "site", NULL, "server", &l))) {
		if (parse_ip(v, &s->server))
			s->has_server = true;
		else
			merr(m, &l, "server: \"%.80s\" is not an IPv4 address", v);
	}
	if ((v = merged_get(c, "site", NULL, "network", &l))) {
		char tmp[64];
		char *slash;
		unsigned long p;

		snprintf(tmp, sizeof(tmp), "%s", v);
		slash = strchr(tmp, '/');
		if (slash)
			*slash = '\0';
		if (!slash || !parse_ip(tmp, &s->net) || !parse_uint(slash + 1, 32, &p) || p < 8) {
			merr(m, &l, "network: \"%.80s\" is not a network in CIDR form (10.0.0.0/24)", v);
		} else {
			s->prefix = (unsigned)p;
			s->mask.s_addr = htonl(p == 32 ? 0xffffffffu : ~(0xffffffffu >> p));
			if (s->net.s_addr & ~s->mask.s_addr)
				merr(m, &l, "network: \"%.80s\" has host bits set", v);
		}
	}
	s->tftp_root = get_dir(m, merged_get(c, "site", NULL, "tftp-root", &l), &l, "tftp-root", "/srv/tftp");
	s->images_dir = get_dir(m, merged_get(c, "site", NULL, "images-dir", &l), &l, "images-dir", "/srv/netinit/images");
	s->nodes_dir = get_dir(m, merged_get(c, "site", NULL, "nodes-dir", &l), &l, "nodes-dir", "/srv/netinit/nodes");
	s->pubkey = key_path(m, c, "public-key", "/etc/netinit/keys/image.pub");
	s->seckey = key_path(m, c, "secret-key", "/etc/netinit/keys/image.key");
	ex_fmt_ip(s->server, sv);
	s->http_url = merged_get(c, "site", NULL, "http-url", &l);
	if (s->http_url && !ex_url_ok(s->http_url)) {
		merr(m, &l, "http-url: \"%.80s\" is not an http:// URL of the safe characters", s->http_url);
		s->http_url = NULL;
	}
	if (!s->http_url)
		s->http_url = pool_printf(m, "http://%s/netinit/images", sv);
	s->boot_url = merged_get(c, "site", NULL, "boot-url", &l);
	if (s->boot_url && !ex_url_ok(s->boot_url)) {
		merr(m, &l, "boot-url: \"%.80s\" is not a tftp:// or http:// URL of the safe characters", s->boot_url);
		s->boot_url = NULL;
	}
	if (!s->boot_url)
		s->boot_url = pool_printf(m, "tftp://%s", sv);
	s->cmdline = get_cmdline(m, NULL, c, "site", NULL);
	if ((v = merged_get(c, "site", NULL, "writable-dirs", &l))) {
		const char *p;
		bool ok = *v != '\0';

		for (p = v; *p && ok; p++)
			ok = in_set(*p, ",_-.") && !(p[0] == '.' && p[1] == '.');
		if (ok)
			s->writable_dirs = v;
		else
			merr(m, &l, "writable-dirs: \"%.80s\" is not a comma separated list of directory names", v);
	}
	if ((v = merged_get(c, "site", NULL, "pxe-default-image", &l))) {
		s->pxe_default_image = v;
		s->loc = l;
	}
	s->node_export_base = 1024;
	if ((v = merged_get(c, "site", NULL, "node-export-id-base", &l))) {
		if (parse_uint(v, 65000, &ul) && ul >= 1)
			s->node_export_base = (unsigned)ul;
		else
			merr(m, &l, "node-export-id-base: \"%.80s\" is not a number 1-65000", v);
	}
	if ((v = merged_get(c, "site", NULL, "dnsmasq-tftp", &l)) && !parse_bool(v, &s->dnsmasq_tftp))
		merr(m, &l, "dnsmasq-tftp: \"%.80s\" is not yes or no", v);

	settings_read(m, c, "site", NULL, NULL, &s->set);
	if (!s->set.kernel)
		s->set.kernel = "vmlinuz";
	if (!s->set.initrd)
		s->set.initrd = "initramfs.img";
	if (!s->set.bootfile)
		s->set.bootfile = "pxelinux.0";
	if (s->set.writable == WR_UNSET)
		s->set.writable = WR_VOLATILE;

	s->outputs = (1u << OUT__COUNT) - 1;
	if ((v = merged_get(c, "site", NULL, "outputs", &l))) {
		char tmp[512], *save = NULL, *w;

		snprintf(tmp, sizeof(tmp), "%s", v);
		s->outputs = 0;
		for (w = strtok_r(tmp, " ,\t", &save); w; w = strtok_r(NULL, " ,\t", &save)) {
			if (!strcmp(w, "all"))
				s->outputs = (1u << OUT__COUNT) - 1;
			else if ((k = out_kind_parse(w)) >= 0)
				s->outputs |= 1u << k;
			else
				merr(m, &l, "outputs: unknown output \"%.40s\" (dhcpd dnsmasq kea pxelinux ipxe exports ganesha nginx nodedirs manifests all)", w);
		}
	}
	static const char *const defpath[OUT__COUNT] = {
		[OUT_DHCPD] = "/etc/dhcp/netinit-hosts.conf",
		[OUT_DNSMASQ] = "/etc/dnsmasq.d/netinit.conf",
		[OUT_KEA] = "/etc/kea/netinit-reservations.json",
		[OUT_EXPORTS] = "/etc/exports.d/netinit.exports",
		[OUT_GANESHA] = "/etc/ganesha/netinit-exports.conf",
		[OUT_NGINX] = "/etc/nginx/snippets/netinit-images.conf",
	};
	for (k = 0; k < OUT__COUNT; k++) {
		if (k == OUT_NODEDIRS || k == OUT_MANIFESTS)
			continue;
		v = k < (int)(sizeof(output_keys) / sizeof(*output_keys)) - 1
			    ? merged_get(c, "output", NULL, out_kind_names[k], &l) : NULL;
		if (v)
			s->out_path[k] = get_dir(m, v, &l, out_kind_names[k], NULL);
		else if (k == OUT_PXELINUX)
			s->out_path[k] = pool_printf(m, "%s/pxelinux.cfg", s->tftp_root);
		else if (k == OUT_IPXE)
			s->out_path[k] = pool_printf(m, "%s/ipxe", s->tftp_root);
		else
			s->out_path[k] = defpath[k];
	}
}

/* ---- images ---- */
struct image *model_image(const struct model *m, const char *name)
{
	size_t i;

	for (i = 0; i < m->nimages; i++)
		if (strcmp(m->images[i].name, name) == 0)
			return &m->images[i];
	return NULL;
}

static void image_build(struct model *m, const struct conf *c, struct image *im)
{
	const char *n = im->name, *v;
	struct loc l = im->loc;
	unsigned long ul;

	if (!ex_word_ok(n) || n[0] == '.')
		merr(m, &im->loc, "image name \"%.80s\" must be 1-63 of letters, digits, ._+~- (not starting with '.')", n);
	im->root = RK_UNSET;
	if ((v = merged_get(c, "image", n, "root", &l))) {
		if (!strcmp(v, "nfs"))
			im->root = RK_NFS;
		else if (!strcmp(v, "http"))
			im->root = RK_HTTP;
		else
			merr(m, &l, "root: \"%.80s\" is not nfs or http", v);
	}
	if ((v = merged_get(c, "image", n, "file", &l))) {
		if (!ex_path_ok(v) || v[0] == '/')
			merr(m, &l, "file: \"%.80s\" is not a path relative to images-dir (no \"..\")", v);
		else
			im->file = pool_printf(m, "%s/%s", m->site.images_dir, v);
		if (im->root == RK_UNSET)
			im->root = RK_HTTP;
		if ((v = merged_get(c, "image", n, "url", &l))) {
			if (ex_url_ok(v))
				im->url = v;
			else
				merr(m, &l, "url: \"%.80s\" is not an http:// URL of the safe characters", v);
		} else {
			im->url = pool_printf(m, "%s/%s", m->site.http_url, merged_get(c, "image", n, "file", NULL));
		}
	}
	if (im->root == RK_UNSET)
		im->root = RK_NFS;
	if (im->root == RK_HTTP && !im->file)
		merr(m, &im->loc, "image %s: root = http needs file = (the image file under images-dir)", n);
	v = merged_get(c, "image", n, "path", &l);
	im->path = get_dir(m, v, &l, "path", pool_printf(m, "%s/%s", m->site.images_dir, n));
	if ((v = merged_get(c, "image", n, "version", &l))) {
		if (ex_word_ok(v))
			im->version = v;
		else
			merr(m, &l, "version: \"%.80s\" must be 1-63 of letters, digits, ._+~-", v);
	}
	if (!im->version)
		im->version = "1";
	v = merged_get(c, "image", n, "seed", &l);
	im->seed = get_dir(m, v, &l, "seed", im->root == RK_NFS ? im->path : NULL);
	im->cmdline = get_cmdline(m, NULL, c, "image", n);
	settings_read(m, c, "image", n, NULL, &im->set);
	if ((v = merged_get(c, "image", n, "export-id", &l))) {
		if (parse_uint(v, 65535, &ul) && ul >= 1)
			im->export_id = (unsigned)ul;
		else
			merr(m, &l, "export-id: \"%.80s\" is not a number 1-65535", v);
	}
}

static void images_build(struct model *m, const struct conf *c)
{
	size_t i, cap = 0;

	for (i = 0; i < c->nsec; i++)
		cap += strcmp(c->sec[i].type, "image") == 0;
	m->images = calloc(cap ? cap : 1, sizeof(*m->images));
	if (!m->images) {
		m->errors++;
		return;
	}
	for (i = 0; i < c->nsec; i++) {
		const struct conf_section *s = &c->sec[i];

		if (strcmp(s->type, "image") || model_image(m, s->name))
			continue;
		m->images[m->nimages].name = s->name;
		m->images[m->nimages].loc = s->loc;
		m->nimages++;
	}
	for (i = 0; i < m->nimages; i++) {
		image_build(m, c, &m->images[i]);
		if (!m->images[i].export_id)
			m->images[i].export_id = (unsigned)i + 1;
	}
}

/* ---- nodes ---- */
static struct node *node_new(struct model *m)
{
	if (m->nnodes == m->nodecap) {
		size_t cap = m->nodecap ? m->nodecap * 2 : 64;
		void *p = realloc(m->nodes, cap * sizeof(*m->nodes));

		if (!p)
			return NULL;
		m->nodes = p;
		m->nodecap = cap;
	}
	memset(&m->nodes[m->nnodes], 0, sizeof(*m->nodes));
	return &m->nodes[m->nnodes++];
}

static struct image *node_image(struct model *m, const struct conf_section *s, const char *what)
{
	struct loc l;
	const char *v = conf_get(s, "image", &l);
	struct image *im;

	if (!v) {
		if (m->nimages == 1)
			return &m->images[0];
		merr(m, &s->loc, "%s: no image = (there are %zu images, say which one)", what, m->nimages);
		return NULL;
	}
	im = model_image(m, v);
	if (!im)
		merr(m, &l, "%s: image \"%.80s\" is not defined by any [image] section", what, v);
	return im;
}

static void node_from_section(struct model *m, const struct conf *c, const struct conf_section *s)
{
	struct node *n = node_new(m);
	struct loc l;
	const char *v;

	if (!n) {
		m->errors++;
		return;
	}
	n->loc = s->loc;
	if (!hostname_valid(s->name) || strlen(s->name) >= sizeof(n->name)) {
		merr(m, &s->loc, "node name \"%.80s\" is not a valid host name (RFC 1123 labels: letters, digits, '-')", s->name);
		m->nnodes--;
		return;
	}
	snprintf(n->name, sizeof(n->name), "%s", s->name);
	if ((v = conf_get(s, "mac", &l))) {
		n->mac_loc = l;
		if (ex_parse_mac(v, n->mac) < 0)
			merr(m, &l, "mac: \"%.80s\" is not a MAC address (aa:bb:cc:dd:ee:ff)", v);
		else
			n->has_mac = true;
	} else {
		merr(m, &s->loc, "node %s: no mac =", n->name);
	}
	if ((v = conf_get(s, "ip", &l))) {
		n->ip_loc = l;
		if (!parse_ip(v, &n->ip))
			merr(m, &l, "ip: \"%.80s\" is not an IPv4 address", v);
		else
			n->has_ip = true;
	} else {
		merr(m, &s->loc, "node %s: no ip =", n->name);
	}
	n->image = node_image(m, s, n->name);
	settings_read(m, c, "node", s->name, s, &n->set);
	n->extra = get_cmdline(m, s, c, "node", s->name);
}

/* "blade%02d": text, one %d or %0Nd, text.  Never handed to printf. */
static int pattern_parse(const char *pat, size_t *pre, unsigned *width, const char **post)
{
	const char *p = strchr(pat, '%');

	if (!p)
		return -EINVAL;
	*pre = (size_t)(p - pat);
	p++;
	*width = 0;
	if (*p == '0') {
		p++;
		if (*p < '1' || *p > '9')
			return -EINVAL;
		*width = (unsigned)(*p++ - '0');
	}
	if (*p++ != 'd')
		return -EINVAL;
	if (strchr(p, '%'))
		return -EINVAL;
	*post = p;
	return 0;
}

static bool pattern_name(const char *pat, size_t pre, unsigned width, const char *post,
			 unsigned long num, char *out, size_t outlen)
{
	char digits[24];
	int n = snprintf(digits, sizeof(digits), "%0*lu", (int)width, num);

	return n > 0 && (size_t)snprintf(out, outlen, "%.*s%s%s", (int)pre, pat, digits, post) < outlen;
}

struct maclist {
	uint8_t (*mac)[6];
	struct loc *loc;
	size_t n, cap;
};

/* Every "mac =" line of the group, in order, each a list of MACs. */
static int group_macs(struct model *m, const struct conf_section *s, struct maclist *ml)
{
	size_t i;

	for (i = 0; i < s->nkv; i++) {
		char *dup, *save = NULL, *w;

		if (strcmp(s->kv[i].key, "mac"))
			continue;
		dup = strdup(s->kv[i].value);
		if (!dup)
			return -ENOMEM;
		for (w = strtok_r(dup, " ,\t", &save); w; w = strtok_r(NULL, " ,\t", &save)) {
			if (ml->n == ml->cap) {
				size_t cap = ml->cap ? ml->cap * 2 : 64;
				void *a = realloc(ml->mac, cap * sizeof(*ml->mac));
				void *b = a ? realloc(ml->loc, cap * sizeof(*ml->loc)) : NULL;

				if (a)
					ml->mac = a;
				if (!b) {
					free(dup);
					return -ENOMEM;
				}
				ml->loc = b;
				ml->cap = cap;
			}
			if (ex_parse_mac(w, ml->mac[ml->n]) < 0) {
				merr(m, &s->kv[i].loc, "mac: \"%.40s\" is not a MAC address (aa:bb:cc:dd:ee:ff)", w);
				continue;
			}
			ml->loc[ml->n++] = s->kv[i].loc;
		}
		free(dup);
	}
	return 0;
}

static void group_expand(struct model *m, const struct conf *c, const struct conf_section *s)
{
	struct loc l = s->loc, ipl = s->loc, macl = s->loc;
	const char *v, *pat, *post;
	unsigned long start = 1, count = 0, i;
	size_t pre;
	unsigned width;
	struct in_addr ip0 = { 0 }, ip1 = { 0 };
	bool has_ip = false, has_macstart = false;
	uint8_t mac0[6];
	struct maclist ml = { 0 };
	struct settings set = { 0 };
	struct image *im;
	const char *extra;

	if (!ex_word_ok(s->name))
		merr(m, &s->loc, "group name \"%.80s\" must be 1-63 of letters, digits, ._+~-", s->name);
	pat = conf_get(s, "name", &l);
	if (!pat || pattern_parse(pat, &pre, &width, &post) < 0) {
		merr(m, pat ? &l : &s->loc, "group %s: name = needs a pattern with one %%d or %%0Nd (blade%%02d)", s->name);
		return;
	}
	if ((v = conf_get(s, "start", &l)) && !parse_uint(v, 999999999, &start)) {
		merr(m, &l, "start: \"%.80s\" is not a number", v);
		return;
	}
	if (!(v = conf_get(s, "count", &l)) || !parse_uint(v, EXPORT_GROUP_MAX, &count) || count == 0) {
		merr(m, v ? &l : &s->loc, "group %s: count = must be a number 1-%d", s->name, EXPORT_GROUP_MAX);
		return;
	}
	if ((v = conf_get(s, "ip", &ipl))) {
		char tmp[64], *dash;

		snprintf(tmp, sizeof(tmp), "%s", v);
		dash = strchr(tmp, '-');
		if (dash)
			*dash = '\0';
		if (!parse_ip(tmp, &ip0) || (dash && !parse_ip(dash + 1, &ip1))) {
			merr(m, &ipl, "ip: \"%.80s\" is not an IPv4 address or range (10.0.1.1-10.0.1.58)", v);
			return;
		}
		if (dash && (ntohl(ip1.s_addr) < ntohl(ip0.s_addr) ||
			     ntohl(ip1.s_addr) - ntohl(ip0.s_addr) + 1 != count)) {
			merr(m, &ipl, "ip: range \"%.80s\" holds %ld addresses, count = %lu", v,
			     (long)ntohl(ip1.s_addr) - (long)ntohl(ip0.s_addr) + 1, count);
			return;
		}
		if ((uint64_t)ntohl(ip0.s_addr) + count - 1 > 0xffffffffu) {
			merr(m, &ipl, "ip: %lu addresses from %.40s run past 255.255.255.255", count, v);
			return;
		}
		has_ip = true;
	} else {
		merr(m, &s->loc, "group %s: no ip = (first address, or a range a-b)", s->name);
		return;
	}
	if ((v = conf_get(s, "mac-start", &macl))) {
		if (ex_parse_mac(v, mac0) < 0) {
			merr(m, &macl, "mac-start: \"%.80s\" is not a MAC address", v);
			return;
		}
		has_macstart = true;
	}
	if (group_macs(m, s, &ml) < 0) {
		m->errors++;
		goto out;
	}
	if (has_macstart && ml.n) {
		merr(m, &macl, "group %s: give mac = (a list) or mac-start =, not both", s->name);
		goto out;
	}
	if (!has_macstart && ml.n != count) {
		merr(m, ml.n ? &ml.loc[ml.n - 1] : &s->loc, "group %s: %zu MAC addresses for count = %lu%s",
		     s->name, ml.n, count, ml.n ? "" : " (give mac = list or mac-start =)");
		goto out;
	}
	im = node_image(m, s, s->name);
	settings_read(m, c, "group", s->name, s, &set);
	extra = get_cmdline(m, s, c, "group", s->name);

	for (i = 0; i < count; i++) {
		struct node *n = node_new(m);

		if (!n) {
			m->errors++;
			break;
		}
		n->loc = s->loc;
		if (!pattern_name(pat, pre, width, post, start + i, n->name, sizeof(n->name)) ||
		    !hostname_valid(n->name)) {
			merr(m, &s->loc, "group %s: member %lu gets the name \"%.80s\", not a valid host name",
			     s->name, i + 1, n->name);
			m->nnodes--;
			break;
		}
		if (has_macstart) {
			uint64_t v48 = 0;
			int b;

			for (b = 0; b < 6; b++)
				v48 = v48 << 8 | mac0[b];
			v48 += i;
			for (b = 5; b >= 0; b--, v48 >>= 8)
				n->mac[b] = (uint8_t)v48;
			n->mac_loc = macl;
		} else {
			memcpy(n->mac, ml.mac[i], 6);
			n->mac_loc = ml.loc[i];
		}
		n->has_mac = true;
		if (has_ip) {
			n->ip.s_addr = htonl(ntohl(ip0.s_addr) + (uint32_t)i);
			n->ip_loc = ipl;
			n->has_ip = true;
		}
		n->image = im;
		n->set = set;
		n->extra = extra;
	}
out:
	free(ml.mac);
	free(ml.loc);
}

/* ---- duplicate detection: open addressing over node indexes ---- */
static uint64_t hash64(uint64_t x)
{
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdULL;
	x ^= x >> 33;
	return x;
}

static uint64_t hash_str(const char *s)
{
	uint64_t h = 1469598103934665603ULL;

	for (; *s; s++) /* host names compare without case (RFC 4343) */
		h = (h ^ (unsigned char)(*s | (*s >= 'A' && *s <= 'Z' ? 0x20 : 0))) * 1099511628211ULL;
	return h;
}

static uint64_t mac_u64(const uint8_t mac[6])
{
	uint64_t v = 0;
	int i;

	for (i = 0; i < 6; i++)
		v = v << 8 | mac[i];
	return v;
}

enum dupkind { DUP_NAME, DUP_MAC, DUP_IP };

static uint64_t node_key(const struct node *n, enum dupkind k)
{
	if (k == DUP_NAME)
		return hash_str(n->name);
	if (k == DUP_MAC)
		return hash64(mac_u64(n->mac));
	return hash64(n->ip.s_addr);
}

static bool node_same(const struct node *a, const struct node *b, enum dupkind k)
{
	if (k == DUP_NAME)
		return strcasecmp(a->name, b->name) == 0;
	if (k == DUP_MAC)
		return memcmp(a->mac, b->mac, 6) == 0;
	return a->ip.s_addr == b->ip.s_addr;
}

/* Look n up in table; insert it, or return the earlier node with the same key. */
static struct node *dup_find(struct model *m, size_t *table, size_t mask, size_t idx, enum dupkind k)
{
	struct node *n = &m->nodes[idx];
	size_t h = (size_t)node_key(n, k) & mask;

	while (table[h]) {
		struct node *o = &m->nodes[table[h] - 1];

		if (node_same(o, n, k))
			return o;
		h = (h + 1) & mask;
	}
	table[h] = idx + 1;
	return NULL;
}

static void check_duplicates(struct model *m)
{
	size_t size = 16, mask, i;
	size_t *t[3];
	int k;

	while (size < m->nnodes * 2)
		size <<= 1;
	mask = size - 1;
	for (k = 0; k < 3; k++) {
		t[k] = calloc(size, sizeof(size_t));
		if (!t[k]) {
			while (k-- > 0)
				free(t[k]);
			m->errors++;
			return;
		}
	}
	for (i = 0; i < m->nnodes; i++) {
		struct node *n = &m->nodes[i], *o;
		char a[18];

		if ((o = dup_find(m, t[DUP_NAME], mask, i, DUP_NAME)))
			merr(m, &n->loc, "node %s is already defined at %s:%u (names must be unique; use [override %s] to change it)",
			     n->name, o->loc.file, o->loc.line, n->name);
		if (n->has_mac && (o = dup_find(m, t[DUP_MAC], mask, i, DUP_MAC))) {
			ex_fmt_mac(n->mac, ':', a);
			merr(m, &n->mac_loc, "node %s: MAC %s is already used by node %s at %s:%u",
			     n->name, a, o->name, o->mac_loc.file, o->mac_loc.line);
		}
		if (n->has_ip && (o = dup_find(m, t[DUP_IP], mask, i, DUP_IP))) {
			char ip[16];

			ex_fmt_ip(n->ip, ip);
			merr(m, &n->ip_loc, "node %s: IP %s is already used by node %s at %s:%u",
			     n->name, ip, o->name, o->ip_loc.file, o->ip_loc.line);
		}
	}
	for (k = 0; k < 3; k++)
		free(t[k]);
}

static struct node *node_by_name(struct model *m, const char *name)
{
	size_t i;

	for (i = 0; i < m->nnodes; i++)
		if (strcmp(m->nodes[i].name, name) == 0)
			return &m->nodes[i];
	return NULL;
}

static void apply_overrides(struct model *m, const struct conf *c)
{
	size_t i;

	for (i = 0; i < c->nsec; i++) {
		const struct conf_section *s = &c->sec[i];
		struct settings set = { 0 };
		struct node *n;
		const char *v;
		struct loc l;

		if (strcmp(s->type, "override"))
			continue;
		n = node_by_name(m, s->name);
		if (!n) {
			merr(m, &s->loc, "[override %.80s]: no node of that name is defined", s->name);
			continue;
		}
		settings_read(m, c, "override", s->name, s, &set);
		settings_override(&n->set, &set);
		if ((v = conf_get(s, "image", &l))) {
			struct image *im = model_image(m, v);

			if (im)
				n->image = im;
			else
				merr(m, &l, "image \"%.80s\" is not defined by any [image] section", v);
		}
		if ((v = get_cmdline(m, s, c, "override", s->name)))
			n->extra2 = v;
	}
}

/* ---- the full command line, and its lint by init's own parser ---- */
struct lint_ctx {
	struct model *m;
	const struct node *n;
	int errors;
};

static void lint_report(void *ctx, enum cmdline_severity sev, const char *param, const char *msg)
{
	struct lint_ctx *lc = ctx;

	if (sev == CMDLINE_ERROR) {
		merr(lc->m, &lc->n->loc, "node %s: kernel command line: %s: %s", lc->n->name, param, msg);
		lc->errors++;
	} else {
		lc->m->warnings++;
		nl_warn(EXPORT_STAGE, "%s:%u: node %s: kernel command line: %s: %s", lc->n->loc.file,
			lc->n->loc.line, lc->n->name, param, msg);
	}
}

static const char *build_cmdline(struct model *m, const struct node *n)
{
	const struct image *im = n->image;
	char srv[16];
	struct buf b = { 0 };
	const char *res;

	ex_fmt_ip(m->site.server, srv);
	if (im->root == RK_NFS)
		buf_printf(&b, "root=/dev/nfs nfsroot=%s:%s ro", srv, im->path);
	else
		buf_printf(&b, "root=%s", im->url);
	buf_printf(&b, " ip=dhcp netinit.writable=%s", writable_name(n->set.writable));
	if (m->site.writable_dirs)
		buf_printf(&b, " netinit.writable.dirs=%s", m->site.writable_dirs);
	if (n->set.writable == WR_PERSISTENT) /* the node's directory: <nodes-dir>/<name> */
		buf_printf(&b, " netinit.writable.base=%s:%s", srv, m->site.nodes_dir);
	if (m->site.cmdline)
		buf_printf(&b, " %s", m->site.cmdline);
	if (im->cmdline)
		buf_printf(&b, " %s", im->cmdline);
	if (n->extra)
		buf_printf(&b, " %s", n->extra);
	if (n->extra2)
		buf_printf(&b, " %s", n->extra2);
	buf_add(&b, "", 1);
	res = b.oom ? NULL : pool_printf(m, "%s", b.p);
	buf_free(&b);
	return res;
}

static void nodes_finish(struct model *m)
{
	struct cmdline *cl = m->lint_cmdline ? malloc(sizeof(*cl)) : NULL;
	const char *last_linted = NULL;
	size_t i;

	for (i = 0; i < m->nnodes; i++) {
		struct node *n = &m->nodes[i];
		char ip[16];

		if (!n->image)
			continue;
		settings_inherit(&n->set, &n->image->set);
		settings_inherit(&n->set, &m->site.set);
		if (m->site.mask.s_addr && n->has_ip) {
			uint32_t host = n->ip.s_addr & ~m->site.mask.s_addr;

			ex_fmt_ip(n->ip, ip);
			if ((n->ip.s_addr & m->site.mask.s_addr) != m->site.net.s_addr)
				merr(m, &n->ip_loc, "node %s: IP %s is outside network = %s/%u", n->name, ip,
				     inet_ntoa(m->site.net), m->site.prefix);
			else if (m->site.prefix < 31 && (host == 0 || host == ~m->site.mask.s_addr))
				merr(m, &n->ip_loc, "node %s: IP %s is the network or broadcast address", n->name, ip);
		}
		if (n->has_ip && m->site.has_server && n->ip.s_addr == m->site.server.s_addr) {
			ex_fmt_ip(n->ip, ip);
			merr(m, &n->ip_loc, "node %s: IP %s is the boot server's own address (server =)", n->name, ip);
		}
		if (n->has_mac && (n->mac[0] & 1))
			merr(m, &n->mac_loc, "node %s: MAC is a multicast address (first octet odd)", n->name);
		n->cmdline = build_cmdline(m, n);
		if (!n->cmdline) {
			m->errors++;
			continue;
		}
		if (strlen(n->cmdline) >= CMDLINE_MAX) {
			merr(m, &n->loc, "node %s: kernel command line is %zu bytes, the kernel takes %d",
			     n->name, strlen(n->cmdline), CMDLINE_MAX - 1);
			continue;
		}
		/* Lint with init's own parser; group members share a line: lint it once. */
		if (cl && (!last_linted || strcmp(last_linted, n->cmdline))) {
			struct lint_ctx lc = { m, n, 0 };

			cmdline_parse(n->cmdline, cl, lint_report, &lc);
			last_linted = n->cmdline;
		}
	}
	/* The per-subnet default entry: a node without name, MAC or IP. */
	if (m->site.pxe_default_image) {
		struct node *d = (struct node *)pool_alloc(m, sizeof(*d));

		if (d) {
			memset(d, 0, sizeof(*d));
			snprintf(d->name, sizeof(d->name), "(pxe-default-image)");
			d->loc = m->site.loc;
			d->image = model_image(m, m->site.pxe_default_image);
			settings_inherit(&d->set, &d->image->set);
			settings_inherit(&d->set, &m->site.set);
			d->cmdline = build_cmdline(m, d);
			if (d->cmdline && cl) {
				struct lint_ctx lc = { m, d, 0 };

				cmdline_parse(d->cmdline, cl, lint_report, &lc);
			}
			m->site.pxe_default = d->cmdline ? d : NULL;
		}
	}
	free(cl);
}

int model_build(struct model *m, const struct conf *c)
{
	size_t i;

	m->errors += c->errors;
	check_keys(m, c);
	site_build(m, c);
	if (!m->site.has_server)
		merr(m, NULL, "no server = in [site]: the boot server's IPv4 address is needed for next-server and root=");
	images_build(m, c);
	if (m->nimages == 0 && c->nsec)
		merr(m, NULL, "no [image NAME] section: nodes need an image to boot");
	if (m->site.pxe_default_image && !model_image(m, m->site.pxe_default_image))
		merr(m, NULL, "pxe-default-image: image \"%.80s\" is not defined", m->site.pxe_default_image);
	for (i = 0; i < c->nsec; i++) {
		if (!strcmp(c->sec[i].type, "node"))
			node_from_section(m, c, &c->sec[i]);
		else if (!strcmp(c->sec[i].type, "group"))
			group_expand(m, c, &c->sec[i]);
	}
	check_duplicates(m);
	apply_overrides(m, c);
	if (m->errors == 0)
		nodes_finish(m);
	return m->errors ? -EINVAL : 0;
}

void model_free(struct model *m)
{
	while (m->pool) {
		struct pool_block *b = m->pool;

		m->pool = b->next;
		free(b);
	}
	free(m->images);
	free(m->nodes);
	memset(m, 0, sizeof(*m));
}
