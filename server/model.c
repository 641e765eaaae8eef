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
#include "model_priv.h"
#include "cmdline.h"
#include "log.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---- string pool: everything the model allocates, freed at once ---- */
struct pool_block {
	struct pool_block *next;
	size_t used, size;
	char data[];
};

char *model_alloc(struct model *m, size_t n)
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

char *model_printf(struct model *m, const char *fmt, ...)
{
	va_list ap;
	int n;
	char *p;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0 || !(p = model_alloc(m, (size_t)n + 1)))
		return NULL;
	va_start(ap, fmt);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return p;
}

void model_err(struct model *m, const struct loc *l, const char *fmt, ...)
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
/* ---- key tables ---- */
#define NETOPT_KEYS "gateway", "dns", "domain", "search", "ntp", "log-server", "mtu"
static const char *const site_keys[] = {
	"server", "network", "tftp-root", "images-dir", "nodes-dir", "http-url", "boot-url",
	"kernel", "initrd", "bootfile", "writable", "writable-dirs", "cmdline",
	"pxe-default-image", "outputs", "public-key", "secret-key", "node-export-id-base",
	"dnsmasq-tftp", "kernel-source", "initrd-source", "gateway", "dns", "domain", "search", "ntp",
	"log-server", "mtu", "lease-time", "dynamic-range", "kea", "pxelinux-source", "ldlinux-source", NULL
};
static const char *const output_keys[] = {
	"dhcpd", "dnsmasq", "kea", "pxelinux", "ipxe", "exports", "ganesha", "nginx", NULL
};
static const char *const image_keys[] = {
	"root", "path", "file", "url", "version", "seed", "kernel", "initrd", "bootfile",
	"writable", "cmdline", "export-id", "kernel-source", "initrd-source", "nfs-options", NULL
};
static const char *const node_keys[] = {
	"mac", "ip", "image", "kernel", "initrd", "bootfile", "writable", "cmdline", "kernel-source",
	"initrd-source", NETOPT_KEYS, NULL
};
static const char *const group_keys[] = {
	"name", "start", "count", "ip", "mac", "mac-start", "image", "kernel", "initrd",
	"bootfile", "writable", "cmdline", "kernel-source", "initrd-source", NETOPT_KEYS, NULL
};
static const char *const override_keys[] = {
	"image", "kernel", "initrd", "bootfile", "writable", "cmdline", "kernel-source", "initrd-source",
	NETOPT_KEYS, NULL
};

const char *const out_kind_names[OUT__COUNT] = {
	[OUT_DHCPD] = "dhcpd", [OUT_DNSMASQ] = "dnsmasq", [OUT_KEA] = "kea",
	[OUT_PXELINUX] = "pxelinux", [OUT_IPXE] = "ipxe", [OUT_EXPORTS] = "exports",
	[OUT_GANESHA] = "ganesha", [OUT_NGINX] = "nginx", [OUT_NODEDIRS] = "nodedirs",
	[OUT_MANIFESTS] = "manifests", [OUT_TFTP] = "tftp",
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
				model_err(m, &s->kv[j].loc, "unknown key \"%s\" in [%s] (known: %s)",
				     s->kv[j].key, s->type, list);
			}
		}
	}
}

const char *model_get(const struct conf *c, const char *type, const char *name,
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

void model_settings_read(struct model *m, const struct conf *c, const char *type,
			  const char *name, const struct conf_section *one, struct settings *set)
{
	static const char *const pathkeys[] = { "kernel", "initrd", "bootfile" };
	const char **dst[] = { &set->kernel, &set->initrd, &set->bootfile };
	struct loc l;
	const char *v;
	size_t i;

	for (i = 0; i < 3; i++) {
		v = one ? conf_get(one, pathkeys[i], &l) : model_get(c, type, name, pathkeys[i], &l);
		if (!v)
			continue;
		if (!ex_path_ok(v) || v[0] == '/')
			model_err(m, &l, "%s: \"%.80s\" is not a path relative to tftp-root (letters, digits, ._+-/@~; no \"..\")",
			     pathkeys[i], v);
		else
			*dst[i] = v;
	}
	v = one ? conf_get(one, "kernel-source", &l) : model_get(c, type, name, "kernel-source", &l);
	if (v)
		set->kernel_src = model_file_path(m, "kernel-source", v, &l);
	v = one ? conf_get(one, "initrd-source", &l) : model_get(c, type, name, "initrd-source", &l);
	if (v)
		set->initrd_src = model_file_path(m, "initrd-source", v, &l);
	v = one ? conf_get(one, "writable", &l) : model_get(c, type, name, "writable", &l);
	if (v && ex_parse_writable(v, &set->writable) < 0)
		model_err(m, &l, "writable: \"%.80s\" is not one of volatile, persistent, none", v);
}

void model_settings_inherit(struct settings *dst, const struct settings *src)
{
	if (!dst->kernel)
		dst->kernel = src->kernel;
	if (!dst->initrd)
		dst->initrd = src->initrd;
	if (!dst->bootfile)
		dst->bootfile = src->bootfile;
	if (!dst->kernel_src)
		dst->kernel_src = src->kernel_src;
	if (!dst->initrd_src)
		dst->initrd_src = src->initrd_src;
	if (dst->writable == WR_UNSET)
		dst->writable = src->writable;
}

void model_settings_override(struct settings *dst, const struct settings *src)
{
	if (src->kernel)
		dst->kernel = src->kernel;
	if (src->initrd)
		dst->initrd = src->initrd;
	if (src->bootfile)
		dst->bootfile = src->bootfile;
	if (src->kernel_src)
		dst->kernel_src = src->kernel_src;
	if (src->initrd_src)
		dst->initrd_src = src->initrd_src;
	if (src->writable != WR_UNSET)
		dst->writable = src->writable;
}

const char *model_cmdline(struct model *m, const struct conf_section *one, const struct conf *c,
			       const char *type, const char *name)
{
	struct loc l;
	const char *v = one ? conf_get(one, "cmdline", &l) : model_get(c, type, name, "cmdline", &l);
	char bad = 0;

	if (v && !ex_cmdline_ok(v, &bad)) {
		model_err(m, &l, "cmdline: character 0x%02x is not allowed (printable ASCII without '$' and '\\')",
		     (unsigned char)bad);
		return NULL;
	}
	return v && *v ? v : NULL;
}

const char *model_dir(struct model *m, const char *v, const struct loc *l, const char *key,
			   const char *def)
{
	if (!v)
		return def;
	if (!ex_path_ok(v) || v[0] != '/') {
		model_err(m, l, "%s: \"%.80s\" is not an absolute path (letters, digits, ._+-/@~; no \"..\")", key, v);
		return def;
	}
	return v;
}

/* Files named in the drop-ins (keys, kernel and initrd sources): absolute, or
 * relative to the directory of the file naming them. */
const char *model_file_path(struct model *m, const char *key, const char *v, const struct loc *l)
{
	const char *slash;

	if (!ex_path_ok(v)) {
		model_err(m, l, "%s: \"%.80s\" is not a path (letters, digits, ._+-/@~; no \"..\")", key, v);
		return NULL;
	}
	if (v[0] == '/')
		return v;
	slash = strrchr(l->file, '/');
	return slash ? model_printf(m, "%.*s/%s", (int)(slash - l->file), l->file, v) : v;
}

static const char *key_path(struct model *m, const struct conf *c, const char *key, const char *def)
{
	struct loc l;
	const char *v = model_get(c, "site", NULL, key, &l), *p;

	if (!v)
		return def;
	p = model_file_path(m, key, v, &l);
	return p ? p : def;
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

	if ((v = model_get(c, "site", NULL, "server", &l))) {
		if (ex_parse_ip(v, &s->server))
			s->has_server = true;
		else
			model_err(m, &l, "server: \"%.80s\" is not an IPv4 address", v);
	}
	if ((v = model_get(c, "site", NULL, "network", &l))) {
		char tmp[64];
		char *slash;
		unsigned long p;

		snprintf(tmp, sizeof(tmp), "%s", v);
		slash = strchr(tmp, '/');
		if (slash)
			*slash = '\0';
		if (!slash || !ex_parse_ip(tmp, &s->net) || !ex_parse_uint(slash + 1, 32, &p) || p < 8) {
			model_err(m, &l, "network: \"%.80s\" is not a network in CIDR form (10.0.0.0/24)", v);
		} else {
			s->prefix = (unsigned)p;
			s->mask.s_addr = htonl(p == 32 ? 0xffffffffu : ~(0xffffffffu >> p));
			if (s->net.s_addr & ~s->mask.s_addr)
				model_err(m, &l, "network: \"%.80s\" has host bits set", v);
		}
	}
	s->tftp_root = model_dir(m, model_get(c, "site", NULL, "tftp-root", &l), &l, "tftp-root", "/srv/tftp");
	s->images_dir = model_dir(m, model_get(c, "site", NULL, "images-dir", &l), &l, "images-dir", "/srv/netinit/images");
	s->nodes_dir = model_dir(m, model_get(c, "site", NULL, "nodes-dir", &l), &l, "nodes-dir", "/srv/netinit/nodes");
	s->pubkey = key_path(m, c, "public-key", "/etc/netinit/keys/image.pub");
	s->seckey = key_path(m, c, "secret-key", "/etc/netinit/keys/image.key");
	ex_fmt_ip(s->server, sv);
	s->http_url = model_get(c, "site", NULL, "http-url", &l);
	if (s->http_url && !ex_url_ok(s->http_url)) {
		model_err(m, &l, "http-url: \"%.80s\" is not an http:// URL of the safe characters", s->http_url);
		s->http_url = NULL;
	}
	if (!s->http_url)
		s->http_url = model_printf(m, "http://%s/netinit/images", sv);
	s->boot_url = model_get(c, "site", NULL, "boot-url", &l);
	if (s->boot_url && !ex_url_ok(s->boot_url)) {
		model_err(m, &l, "boot-url: \"%.80s\" is not a tftp:// or http:// URL of the safe characters", s->boot_url);
		s->boot_url = NULL;
	}
	if (!s->boot_url)
		s->boot_url = model_printf(m, "tftp://%s", sv);
	s->cmdline = model_cmdline(m, NULL, c, "site", NULL);
	if ((v = model_get(c, "site", NULL, "writable-dirs", &l))) {
		const char *p;
		bool ok = *v != '\0';

		for (p = v; *p && ok; p++)
			ok = ex_in_set(*p, ",_-.") && !(p[0] == '.' && p[1] == '.');
		if (ok)
			s->writable_dirs = v;
		else
			model_err(m, &l, "writable-dirs: \"%.80s\" is not a comma separated list of directory names", v);
	}
	if ((v = model_get(c, "site", NULL, "pxe-default-image", &l))) {
		s->pxe_default_image = v;
		s->loc = l;
	}
	s->node_export_base = 1024;
	if ((v = model_get(c, "site", NULL, "node-export-id-base", &l))) {
		if (ex_parse_uint(v, 65000, &ul) && ul >= 1)
			s->node_export_base = (unsigned)ul;
		else
			model_err(m, &l, "node-export-id-base: \"%.80s\" is not a number 1-65000", v);
	}
	if ((v = model_get(c, "site", NULL, "dnsmasq-tftp", &l)) && !ex_parse_bool(v, &s->dnsmasq_tftp))
		model_err(m, &l, "dnsmasq-tftp: \"%.80s\" is not yes or no", v);
	model_site_network(m, c);

	model_settings_read(m, c, "site", NULL, NULL, &s->set);
	if (!s->set.kernel)
		s->set.kernel = "vmlinuz";
	if (!s->set.initrd)
		s->set.initrd = "initramfs.img";
	if (!s->set.bootfile)
		s->set.bootfile = "pxelinux.0";
	if (s->set.writable == WR_UNSET)
		s->set.writable = WR_VOLATILE;

	s->outputs = (1u << OUT__COUNT) - 1;
	if ((v = model_get(c, "site", NULL, "outputs", &l))) {
		char tmp[512], *save = NULL, *w;

		snprintf(tmp, sizeof(tmp), "%s", v);
		s->outputs = 0;
		for (w = strtok_r(tmp, " ,\t", &save); w; w = strtok_r(NULL, " ,\t", &save)) {
			if (!strcmp(w, "all"))
				s->outputs = (1u << OUT__COUNT) - 1;
			else if ((k = out_kind_parse(w)) >= 0)
				s->outputs |= 1u << k;
			else
				model_err(m, &l, "outputs: unknown output \"%.40s\" (dhcpd dnsmasq kea pxelinux ipxe exports ganesha nginx nodedirs manifests tftp all)", w);
		}
	}
	const char *const defpath[OUT__COUNT] = {
		[OUT_DHCPD] = "/etc/dhcp/netinit-hosts.conf",
		[OUT_DNSMASQ] = "/etc/dnsmasq.d/netinit.conf",
		[OUT_KEA] = s->kea == KEA_FULL ? "/etc/kea/kea-dhcp4.conf"
			  : s->kea == KEA_SUBNET ? "/etc/kea/netinit-subnet4.json" : "/etc/kea/netinit-reservations.json",
		[OUT_EXPORTS] = "/etc/exports.d/netinit.exports",
		[OUT_GANESHA] = "/etc/ganesha/netinit-exports.conf",
		[OUT_NGINX] = "/etc/nginx/snippets/netinit-images.conf",
	};
	for (k = 0; k < OUT__COUNT; k++) {
		if (k == OUT_NODEDIRS || k == OUT_MANIFESTS || k == OUT_TFTP)
			continue;
		v = k < (int)(sizeof(output_keys) / sizeof(*output_keys)) - 1
			    ? model_get(c, "output", NULL, out_kind_names[k], &l) : NULL;
		if (v)
			s->out_path[k] = model_dir(m, v, &l, out_kind_names[k], NULL);
		else if (k == OUT_PXELINUX)
			s->out_path[k] = model_printf(m, "%s/pxelinux.cfg", s->tftp_root);
		else if (k == OUT_IPXE)
			s->out_path[k] = model_printf(m, "%s/ipxe", s->tftp_root);
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
		model_err(m, &im->loc, "image name \"%.80s\" must be 1-63 of letters, digits, ._+~- (not starting with '.')", n);
	im->root = RK_UNSET;
	if ((v = model_get(c, "image", n, "root", &l))) {
		if (!strcmp(v, "nfs"))
			im->root = RK_NFS;
		else if (!strcmp(v, "http"))
			im->root = RK_HTTP;
		else
			model_err(m, &l, "root: \"%.80s\" is not nfs or http", v);
	}
	if ((v = model_get(c, "image", n, "file", &l))) {
		if (!ex_path_ok(v) || v[0] == '/')
			model_err(m, &l, "file: \"%.80s\" is not a path relative to images-dir (no \"..\")", v);
		else
			im->file = model_printf(m, "%s/%s", m->site.images_dir, v);
		if (im->root == RK_UNSET)
			im->root = RK_HTTP;
		if ((v = model_get(c, "image", n, "url", &l))) {
			if (ex_url_ok(v))
				im->url = v;
			else
				model_err(m, &l, "url: \"%.80s\" is not an http:// URL of the safe characters", v);
		} else {
			im->url = model_printf(m, "%s/%s", m->site.http_url, model_get(c, "image", n, "file", NULL));
		}
	}
	if (im->root == RK_UNSET)
		im->root = RK_NFS;
	if (im->root == RK_HTTP && !im->file)
		model_err(m, &im->loc, "image %s: root = http needs file = (the image file under images-dir)", n);
	if ((v = model_get(c, "image", n, "nfs-options", &l))) {
		if (im->root != RK_NFS)
			model_err(m, &l, "nfs-options: only for root = nfs (image %s is http)", n);
		else if (!ex_nfs_options_ok(v))
			model_err(m, &l, "nfs-options: \"%.80s\" is not a comma list of mount options (nfs(5): vers=3,proto=tcp)", v);
		else
			im->nfs_options = v;
	}
	v = model_get(c, "image", n, "path", &l);
	im->path = model_dir(m, v, &l, "path", model_printf(m, "%s/%s", m->site.images_dir, n));
	if ((v = model_get(c, "image", n, "version", &l))) {
		if (ex_word_ok(v))
			im->version = v;
		else
			model_err(m, &l, "version: \"%.80s\" must be 1-63 of letters, digits, ._+~-", v);
	}
	if (!im->version)
		im->version = "1";
	v = model_get(c, "image", n, "seed", &l);
	im->seed = model_dir(m, v, &l, "seed", im->root == RK_NFS ? im->path : NULL);
	im->cmdline = model_cmdline(m, NULL, c, "image", n);
	model_settings_read(m, c, "image", n, NULL, &im->set);
	if ((v = model_get(c, "image", n, "export-id", &l))) {
		if (ex_parse_uint(v, 65535, &ul) && ul >= 1)
			im->export_id = (unsigned)ul;
		else
			model_err(m, &l, "export-id: \"%.80s\" is not a number 1-65535", v);
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

int model_build(struct model *m, const struct conf *c)
{
	size_t i;

	m->errors += c->errors;
	check_keys(m, c);
	site_build(m, c);
	if (!m->site.has_server)
		model_err(m, NULL, "no server = in [site]: the boot server's IPv4 address is needed for next-server and root=");
	images_build(m, c);
	if (m->nimages == 0 && c->nsec)
		model_err(m, NULL, "no [image NAME] section: nodes need an image to boot");
	if (m->site.pxe_default_image && !model_image(m, m->site.pxe_default_image))
		model_err(m, NULL, "pxe-default-image: image \"%.80s\" is not defined", m->site.pxe_default_image);
	for (i = 0; i < c->nsec; i++) {
		if (!strcmp(c->sec[i].type, "node"))
			model_node_from_section(m, c, &c->sec[i]);
		else if (!strcmp(c->sec[i].type, "group"))
			model_group_expand(m, c, &c->sec[i]);
	}
	model_check_duplicates(m);
	model_apply_overrides(m, c);
	model_network_check(m);
	if (m->errors == 0)
		model_nodes_finish(m);
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
