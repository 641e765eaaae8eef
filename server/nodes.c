/* SPDX-License-Identifier: MIT */
/*
 * Nodes: [node NAME] sections, [group] expansion (name patterns, IP ranges,
 * MAC lists or mac-start), [override NAME], and the duplicate check over
 * names, MACs and IPs (each error names both places).
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

#ifndef EXPORT_GROUP_MAX
#define EXPORT_GROUP_MAX 1000000 /* members of one [group] */
#endif

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

struct image *model_node_image(struct model *m, const struct conf_section *s, const char *what)
{
	struct loc l;
	const char *v = conf_get(s, "image", &l);
	struct image *im;

	if (!v) {
		if (m->nimages == 1)
			return &m->images[0];
		model_err(m, &s->loc, "%s: no image = (there are %zu images, say which one)", what, m->nimages);
		return NULL;
	}
	im = model_image(m, v);
	if (!im)
		model_err(m, &l, "%s: image \"%.80s\" is not defined by any [image] section", what, v);
	return im;
}

void model_node_from_section(struct model *m, const struct conf *c, const struct conf_section *s)
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
		model_err(m, &s->loc, "node name \"%.80s\" is not a valid host name (RFC 1123 labels: letters, digits, '-')", s->name);
		m->nnodes--;
		return;
	}
	snprintf(n->name, sizeof(n->name), "%s", s->name);
	if ((v = conf_get(s, "mac", &l))) {
		n->mac_loc = l;
		if (mac_parse(v, 0, n->mac) < 0)
			model_err(m, &l, "mac: \"%.80s\" is not a MAC address (aa:bb:cc:dd:ee:ff)", v);
		else
			n->has_mac = true;
	} else {
		model_err(m, &s->loc, "node %s: no mac =", n->name);
	}
	if ((v = conf_get(s, "ip", &l))) {
		n->ip_loc = l;
		if (!ex_parse_ip(v, &n->ip))
			model_err(m, &l, "ip: \"%.80s\" is not an IPv4 address", v);
		else
			n->has_ip = true;
	} else {
		model_err(m, &s->loc, "node %s: no ip =", n->name);
	}
	n->image = model_node_image(m, s, n->name);
	model_settings_read(m, c, "node", s->name, s, &n->set);
	n->net = model_netopts(m, s, &m->site.opts);
	if (!n->net)
		n->net = &m->site.opts;
	n->extra = model_cmdline(m, s, c, "node", s->name);
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
			if (mac_parse(w, 0, ml->mac[ml->n]) < 0) {
				model_err(m, &s->kv[i].loc, "mac: \"%.40s\" is not a MAC address (aa:bb:cc:dd:ee:ff)", w);
				continue;
			}
			ml->loc[ml->n++] = s->kv[i].loc;
		}
		free(dup);
	}
	return 0;
}

void model_group_expand(struct model *m, const struct conf *c, const struct conf_section *s)
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
	const struct netopts *net;

	if (!ex_word_ok(s->name))
		model_err(m, &s->loc, "group name \"%.80s\" must be 1-63 of letters, digits, ._+~-", s->name);
	pat = conf_get(s, "name", &l);
	if (!pat || pattern_parse(pat, &pre, &width, &post) < 0) {
		model_err(m, pat ? &l : &s->loc, "group %s: name = needs a pattern with one %%d or %%0Nd (blade%%02d)", s->name);
		return;
	}
	if ((v = conf_get(s, "start", &l)) && !ex_parse_uint(v, 999999999, &start)) {
		model_err(m, &l, "start: \"%.80s\" is not a number", v);
		return;
	}
	if (!(v = conf_get(s, "count", &l)) || !ex_parse_uint(v, EXPORT_GROUP_MAX, &count) || count == 0) {
		model_err(m, v ? &l : &s->loc, "group %s: count = must be a number 1-%d", s->name, EXPORT_GROUP_MAX);
		return;
	}
	if ((v = conf_get(s, "ip", &ipl))) {
		char tmp[64], *dash;

		snprintf(tmp, sizeof(tmp), "%s", v);
		dash = strchr(tmp, '-');
		if (dash)
			*dash = '\0';
		if (!ex_parse_ip(tmp, &ip0) || (dash && !ex_parse_ip(dash + 1, &ip1))) {
			model_err(m, &ipl, "ip: \"%.80s\" is not an IPv4 address or range (10.0.1.1-10.0.1.58)", v);
			return;
		}
		if (dash && (ntohl(ip1.s_addr) < ntohl(ip0.s_addr) ||
			     ntohl(ip1.s_addr) - ntohl(ip0.s_addr) + 1 != count)) {
			model_err(m, &ipl, "ip: range \"%.80s\" holds %ld addresses, count = %lu", v,
			     (long)ntohl(ip1.s_addr) - (long)ntohl(ip0.s_addr) + 1, count);
			return;
		}
		if ((uint64_t)ntohl(ip0.s_addr) + count - 1 > 0xffffffffu) {
			model_err(m, &ipl, "ip: %lu addresses from %.40s run past 255.255.255.255", count, v);
			return;
		}
		has_ip = true;
	} else {
		model_err(m, &s->loc, "group %s: no ip = (first address, or a range a-b)", s->name);
		return;
	}
	if ((v = conf_get(s, "mac-start", &macl))) {
		if (mac_parse(v, 0, mac0) < 0) {
			model_err(m, &macl, "mac-start: \"%.80s\" is not a MAC address", v);
			return;
		}
		has_macstart = true;
	}
	if (group_macs(m, s, &ml) < 0) {
		m->errors++;
		goto out;
	}
	if (has_macstart && ml.n) {
		model_err(m, &macl, "group %s: give mac = (a list) or mac-start =, not both", s->name);
		goto out;
	}
	if (!has_macstart && ml.n != count) {
		model_err(m, ml.n ? &ml.loc[ml.n - 1] : &s->loc, "group %s: %zu MAC addresses for count = %lu%s",
		     s->name, ml.n, count, ml.n ? "" : " (give mac = list or mac-start =)");
		goto out;
	}
	im = model_node_image(m, s, s->name);
	model_settings_read(m, c, "group", s->name, s, &set);
	extra = model_cmdline(m, s, c, "group", s->name);
	if (!(net = model_netopts(m, s, &m->site.opts)))
		net = &m->site.opts;

	for (i = 0; i < count; i++) {
		struct node *n = node_new(m);

		if (!n) {
			m->errors++;
			break;
		}
		n->loc = s->loc;
		if (!pattern_name(pat, pre, width, post, start + i, n->name, sizeof(n->name)) ||
		    !hostname_valid(n->name)) {
			model_err(m, &s->loc, "group %s: member %lu gets the name \"%.80s\", not a valid host name",
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
		n->net = net;
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

/* Names are compared by their first label: init keys the node's directory
 * (nodes-dir/<key>) and its host name on it (init/hostname.h), so node3 and
 * node3.rack2 would share one directory. */
static size_t name_key_len(const char *s)
{
	return strcspn(s, ".");
}

const char *node_dir_key(const struct node *n, char out[64])
{
	size_t i, len = name_key_len(n->name);

	for (i = 0; i < len && i < 63; i++)
		out[i] = (char)(n->name[i] | (n->name[i] >= 'A' && n->name[i] <= 'Z' ? 0x20 : 0));
	out[i] = '\0';
	return out;
}

static uint64_t hash_str(const char *s)
{
	uint64_t h = 1469598103934665603ULL;
	const char *end = s + name_key_len(s);

	for (; s < end; s++) /* host names compare without case (RFC 4343) */
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
		return name_key_len(a->name) == name_key_len(b->name) &&
		       strncasecmp(a->name, b->name, name_key_len(a->name)) == 0;
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

void model_check_duplicates(struct model *m)
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

		if ((o = dup_find(m, t[DUP_NAME], mask, i, DUP_NAME)) && !strcasecmp(o->name, n->name))
			model_err(m, &n->loc, "node %s is already defined at %s:%u (names must be unique; use [override %s] to change it)",
			     n->name, o->loc.file, o->loc.line, n->name);
		else if (o)
			model_err(m, &n->loc, "node %s: host name key %.*s (its first label: the node's directory and its name at boot) is node %s's, defined at %s:%u",
			     n->name, (int)name_key_len(n->name), n->name, o->name, o->loc.file, o->loc.line);
		if (n->has_mac && (o = dup_find(m, t[DUP_MAC], mask, i, DUP_MAC))) {
			mac_format(n->mac, ':', a);
			model_err(m, &n->mac_loc, "node %s: MAC %s is already used by node %s at %s:%u",
			     n->name, a, o->name, o->mac_loc.file, o->mac_loc.line);
		}
		if (n->has_ip && (o = dup_find(m, t[DUP_IP], mask, i, DUP_IP))) {
			char ip[16];

			ex_fmt_ip(n->ip, ip);
			model_err(m, &n->ip_loc, "node %s: IP %s is already used by node %s at %s:%u",
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

void model_apply_overrides(struct model *m, const struct conf *c)
{
	size_t i;

	for (i = 0; i < c->nsec; i++) {
		const struct conf_section *s = &c->sec[i];
		struct settings set = { 0 };
		const struct netopts *no;
		struct node *n;
		const char *v;
		struct loc l;

		if (strcmp(s->type, "override"))
			continue;
		n = node_by_name(m, s->name);
		if (!n) {
			model_err(m, &s->loc, "[override %.80s]: no node of that name is defined", s->name);
			continue;
		}
		model_settings_read(m, c, "override", s->name, s, &set);
		model_settings_override(&n->set, &set);
		if ((no = model_netopts(m, s, n->net)))
			n->net = no;
		if ((v = conf_get(s, "image", &l))) {
			struct image *im = model_image(m, v);

			if (im)
				n->image = im;
			else
				model_err(m, &l, "image \"%.80s\" is not defined by any [image] section", v);
		}
		if ((v = model_cmdline(m, s, c, "override", s->name)))
			n->extra2 = v;
	}
}

