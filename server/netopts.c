/* SPDX-License-Identifier: MIT */
/*
 * The network a node is handed by DHCP: gateway (option 3), DNS servers (6),
 * domain (15), search list (119, RFC 3397), NTP servers (42), log servers
 * (7), MTU (26) (RFC 2132 numbers), the lease time and the address pool.
 * [site] gives them for every node; a [group], [node] or [override] that
 * sets any of them gets its own copy, the rest inherited from the site.
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

/* "a, b c": up to NETOPT_MAX IPv4 addresses. */
static bool addr_list(struct model *m, const char *key, const char *v, const struct loc *l,
		      struct in_addr *out, unsigned *n)
{
	char tmp[512], *save = NULL, *w;

	snprintf(tmp, sizeof(tmp), "%s", v);
	*n = 0;
	for (w = strtok_r(tmp, " ,\t", &save); w; w = strtok_r(NULL, " ,\t", &save)) {
		if (*n == NETOPT_MAX) {
			model_err(m, l, "%s: more than %d addresses", key, NETOPT_MAX);
			return false;
		}
		if (!ex_parse_ip(w, &out[*n])) {
			model_err(m, l, "%s: \"%.40s\" is not an IPv4 address", key, w);
			return false;
		}
		(*n)++;
	}
	if (*n == 0)
		model_err(m, l, "%s: no address given", key);
	return *n > 0;
}

/* Domain names go into dnsmasq, dhcpd and Kea strings: RFC 1123 labels only. */
static bool name_list(struct model *m, const char *key, const char *v, const struct loc *l,
		      const char **out, unsigned max, unsigned *n)
{
	char *dup = model_printf(m, "%s", v), *save = NULL, *w;

	*n = 0;
	if (!dup)
		return false;
	for (w = strtok_r(dup, " ,\t", &save); w; w = strtok_r(NULL, " ,\t", &save)) {
		if (*n == max || !hostname_valid(w)) {
			model_err(m, l, "%s: \"%.80s\" is not %s", key, w,
				  *n == max ? (max == 1 ? "allowed: one name (the search list is search =)"
						        : "allowed: at most 8 names")
					    : "a domain name (RFC 1123 labels)");
			return false;
		}
		out[(*n)++] = w;
	}
	if (*n == 0)
		model_err(m, l, "%s: no name given", key);
	return *n > 0;
}

/* The network keys of one section (one = NULL: the merged [site] sections). */
static unsigned netopts_read(struct model *m, const struct conf *c, const struct conf_section *one,
			     struct netopts *no)
{
	struct loc l;
	const char *v;
	unsigned got = 0, n;
	unsigned long ul;
	const char *dom[1];

#define GET(key) (one ? conf_get(one, key, &l) : model_get(c, "site", NULL, key, &l))
	if ((v = GET("gateway"))) {
		if (ex_parse_ip(v, &no->gateway))
			got |= NO_GATEWAY;
		else
			model_err(m, &l, "gateway: \"%.80s\" is not an IPv4 address", v);
	}
	if ((v = GET("dns")) && addr_list(m, "dns", v, &l, no->dns, &no->ndns))
		got |= NO_DNS;
	if ((v = GET("ntp")) && addr_list(m, "ntp", v, &l, no->ntp, &no->nntp))
		got |= NO_NTP;
	if ((v = GET("log-server")) && addr_list(m, "log-server", v, &l, no->logsrv, &no->nlog))
		got |= NO_LOG;
	if ((v = GET("domain")) && name_list(m, "domain", v, &l, dom, 1, &n)) {
		no->domain = dom[0];
		got |= NO_DOMAIN;
	}
	if ((v = GET("search")) && name_list(m, "search", v, &l, no->search, NETOPT_MAX, &no->nsearch))
		got |= NO_SEARCH;
	if ((v = GET("mtu"))) {
		/* RFC 2132 section 5.1: the minimum legal value is 68. */
		if (ex_parse_uint(v, 65535, &ul) && ul >= 68) {
			no->mtu = (unsigned)ul;
			got |= NO_MTU;
		} else {
			model_err(m, &l, "mtu: \"%.80s\" is not a number 68-65535", v);
		}
	}
#undef GET
	no->given |= got;
	return got;
}

static bool in_network(const struct site *s, struct in_addr a)
{
	return !s->mask.s_addr || (a.s_addr & s->mask.s_addr) == s->net.s_addr;
}

static void site_dynamic_range(struct model *m, const struct conf *c)
{
	struct site *s = &m->site;
	struct loc l;
	const char *v = model_get(c, "site", NULL, "dynamic-range", &l);
	char tmp[64], *dash;

	if (!v)
		return;
	snprintf(tmp, sizeof(tmp), "%s", v);
	dash = strchr(tmp, '-');
	if (dash)
		*dash = '\0';
	if (!dash || !ex_parse_ip(tmp, &s->dyn_first) || !ex_parse_ip(dash + 1, &s->dyn_last) ||
	    ntohl(s->dyn_last.s_addr) < ntohl(s->dyn_first.s_addr)) {
		model_err(m, &l, "dynamic-range: \"%.80s\" is not a range first-last (10.0.0.100-10.0.0.150)", v);
		s->dyn_first.s_addr = s->dyn_last.s_addr = 0;
		return;
	}
	if (!s->mask.s_addr || !in_network(s, s->dyn_first) || !in_network(s, s->dyn_last)) {
		model_err(m, &l, "dynamic-range: \"%.80s\" must lie inside network = (and network = must be given)", v);
		s->dyn_first.s_addr = s->dyn_last.s_addr = 0;
	}
}

static void site_kea_mode(struct model *m, const struct conf *c)
{
	struct site *s = &m->site;
	struct loc l;
	const char *v = model_get(c, "site", NULL, "kea", &l);

	s->kea = s->mask.s_addr ? KEA_SUBNET : KEA_RESERVATIONS;
	if (!v)
		return;
	if (!strcmp(v, "reservations"))
		s->kea = KEA_RESERVATIONS;
	else if (!strcmp(v, "subnet") || !strcmp(v, "full"))
		s->kea = v[0] == 's' ? KEA_SUBNET : KEA_FULL;
	else
		model_err(m, &l, "kea: \"%.80s\" is not reservations, subnet or full", v);
	if (s->kea != KEA_RESERVATIONS && !s->mask.s_addr)
		model_err(m, &l, "kea = %s needs network = (the subnet it declares)", v);
}

void model_site_network(struct model *m, const struct conf *c)
{
	struct site *s = &m->site;
	struct loc l;
	const char *v;
	unsigned long ul;

	netopts_read(m, c, NULL, &s->opts);
	if ((v = model_get(c, "site", NULL, "lease-time", &l))) {
		if (ex_parse_uint(v, 31536000, &ul) && ul >= 60)
			s->lease_time = (unsigned)ul;
		else
			model_err(m, &l, "lease-time: \"%.80s\" is not a number of seconds 60-31536000", v);
	}
	site_dynamic_range(m, c);
	site_kea_mode(m, c);
	v = model_get(c, "site", NULL, "pxelinux-source", &l);
	s->pxelinux_src = v ? model_file_path(m, "pxelinux-source", v, &l) : "/usr/lib/PXELINUX/pxelinux.0";
	v = model_get(c, "site", NULL, "ldlinux-source", &l);
	s->ldlinux_src = v ? model_file_path(m, "ldlinux-source", v, &l) : "/usr/lib/syslinux/modules/bios/ldlinux.c32";
	if (s->opts.given & NO_GATEWAY && !in_network(s, s->opts.gateway)) {
		char gw[16], net[16];

		ex_fmt_ip(s->opts.gateway, gw);
		ex_fmt_ip(s->net, net);
		model_err(m, NULL, "gateway: %s is outside network = %s/%u", gw, net, s->prefix);
	}
}

const struct netopts *model_netopts(struct model *m, const struct conf_section *s,
				    const struct netopts *base)
{
	struct netopts tmp = { 0 }, *no;
	unsigned got = netopts_read(m, NULL, s, &tmp);

	if (!got)
		return NULL;
	no = (struct netopts *)model_alloc(m, sizeof(*no));
	if (!no) {
		m->errors++;
		return NULL;
	}
	*no = *base;
	if (got & NO_GATEWAY)
		no->gateway = tmp.gateway;
	if (got & NO_DNS)
		memcpy(no->dns, tmp.dns, sizeof(no->dns)), no->ndns = tmp.ndns;
	if (got & NO_NTP)
		memcpy(no->ntp, tmp.ntp, sizeof(no->ntp)), no->nntp = tmp.nntp;
	if (got & NO_LOG)
		memcpy(no->logsrv, tmp.logsrv, sizeof(no->logsrv)), no->nlog = tmp.nlog;
	if (got & NO_DOMAIN)
		no->domain = tmp.domain;
	if (got & NO_SEARCH)
		memcpy(no->search, tmp.search, sizeof(no->search)), no->nsearch = tmp.nsearch;
	if (got & NO_MTU)
		no->mtu = tmp.mtu;
	no->given |= got;
	return no;
}

void model_network_check(struct model *m)
{
	const struct site *s = &m->site;
	uint32_t lo = ntohl(s->dyn_first.s_addr), hi = ntohl(s->dyn_last.s_addr);
	size_t i;

	for (i = 0; i < m->nnodes; i++) {
		const struct node *n = &m->nodes[i];
		uint32_t a = ntohl(n->ip.s_addr);

		if (!n->net)
			continue;
		if (n->net != &s->opts && (n->net->given & NO_GATEWAY) && !in_network(s, n->net->gateway))
			model_err(m, &n->loc, "node %s: gateway %s is outside network =", n->name,
				  inet_ntoa(n->net->gateway));
		if (lo && n->has_ip && a >= lo && a <= hi)
			model_err(m, &n->ip_loc, "node %s: IP %s is inside dynamic-range = (the pool is for unknown hosts)",
				  n->name, inet_ntoa(n->ip));
	}
}
