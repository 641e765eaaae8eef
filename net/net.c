/* SPDX-License-Identifier: MIT */
/*
 * net_up(): from the command line to a configured interface.
 *   1. candidate links (ip=<dev>, bootdev=, BOOTIF=, ifname=, else every
 *      Ethernet-like link), renamed per ifname=, waited for
 *      (rd.net.timeout.iflink), brought up;
 *   2. static ip= on its link, or DHCP on all candidates in parallel;
 *   3. the result applied through rtnetlink (MTU, address with the lease's
 *      lifetime, routes) and kept for net_resolve().
 */
#include "net.h"
#include "net_internal.h"
#include "dhcp_client.h"
#include "dhcp.h"
#include "netutil.h"
#include "rtnl.h"
#include "cmdline.h"
#include "log.h"
#include "netinit_config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/if_arp.h>
#include <linux/rtnetlink.h>

/* ---- candidate links ---- */

static bool link_ethernet_like(const struct rtnl_link *l)
{
	/* Hardware NICs have no kind; veth is what test networks use. */
	return l->type == ARPHRD_ETHER && l->has_mac && strcmp(l->name, "lo") != 0 &&
	       (l->kind[0] == '\0' || strcmp(l->kind, "veth") == 0);
}

void net_want_init(struct net_want *w)
{
	memset(w, 0, sizeof(*w));
}

void net_want_name(struct net_want *w, const char *name)
{
	size_t i;

	if (!name || !name[0])
		return;
	for (i = 0; i < w->nnames; i++)
		if (strcmp(w->names[i], name) == 0)
			return;
	if (w->nnames < NET_WANT_MAX)
		snprintf(w->names[w->nnames++], IF_NAMESIZE, "%s", name);
}

/* Which links does the command line name?  None named = all. */
static void want_from_cmdline(const struct cmdline *cl, struct net_want *w)
{
	const char *bootdev = cmdline_get(cl, "bootdev");
	size_t i;

	net_want_init(w);
	for (i = 0; i < cl->nip; i++) {
		if (cl->ip[i].method != IP_METHOD_OFF)
			net_want_name(w, cl->ip[i].device);
		else if (cl->ip[i].device[0] && w->noff < NET_WANT_MAX)
			memcpy(w->off[w->noff++], cl->ip[i].device, IF_NAMESIZE);
	}
	if (bootdev)
		net_want_name(w, bootdev);
	for (i = 0; i < cl->nifname; i++)
		net_want_name(w, cl->ifname[i].name);
	if (cl->bootif[0] && mac_parse(cl->bootif, ':', w->mac) == 0)
		w->has_mac = true;
}

bool net_link_wanted(const struct net_want *w, const struct rtnl_link *l)
{
	size_t i;

	for (i = 0; i < w->noff; i++)
		if (strcmp(w->off[i], l->name) == 0)
			return false;
	if (w->nnames == 0 && !w->has_mac)
		return link_ethernet_like(l);
	for (i = 0; i < w->nnames; i++)
		if (strcmp(w->names[i], l->name) == 0)
			return true;
	return w->has_mac && l->has_mac && memcmp(w->mac, l->mac, 6) == 0;
}

/* dracut ifname=<name>:<mac>: give the link with that MAC its name.
 * Returns how many of the ifname= MACs are present (renamed or already
 * right), so the caller can wait for a driver that is still probing. */
static size_t rename_links(struct rtnl *nl, const struct cmdline *cl)
{
	struct rtnl_link links[64];
	int n = rtnl_links(nl, links, 64), i;
	size_t k, present = 0;

	for (k = 0; k < cl->nifname; k++) {
		for (i = 0; i < n; i++) {
			int r;

			if (!links[i].has_mac || memcmp(links[i].mac, cl->ifname[k].mac, 6) != 0)
				continue;
			present++;
			if (strcmp(links[i].name, cl->ifname[k].name) == 0)
				break;
			r = rtnl_link_rename(nl, links[i].index, cl->ifname[k].name);
			if (r < 0)
				nl_warn(NET_STAGE, "ifname=: cannot rename %s to %s: %s", links[i].name,
					cl->ifname[k].name, strerror(-r));
			else
				nl_info(NET_STAGE, "renamed %s to %s (ifname=)", links[i].name,
					cl->ifname[k].name);
			break;
		}
	}
	return present;
}

/* Rename as the links appear, up to the iflink timeout. */
static void rename_links_wait(struct rtnl *nl, const struct cmdline *cl, int timeout_s)
{
	int64_t end = (int64_t)now_ms() + (int64_t)timeout_s * 1000;

	while (rename_links(nl, cl) < cl->nifname && (int64_t)now_ms() < end)
		poll(NULL, 0, 100);
}

int net_find_links(struct rtnl *nl, const struct net_want *w, int timeout_s,
		   struct dhcp_ifspec *out, size_t max)
{
	int64_t end = (int64_t)now_ms() + (int64_t)timeout_s * 1000;
	bool logged = false;

	for (;;) {
		struct rtnl_link links[64];
		int n = rtnl_links(nl, links, 64), i;
		size_t found = 0, named = 0;

		if (n < 0)
			return n;
		for (i = 0; i < n && found < max; i++) {
			if (!net_link_wanted(w, &links[i]))
				continue;
			snprintf(out[found].name, IF_NAMESIZE, "%s", links[i].name);
			out[found].index = links[i].index;
			memcpy(out[found].mac, links[i].mac, 6);
			found++;
		}
		named = w->nnames + (w->has_mac ? 1 : 0);
		/* Named links: wait for all of them (or the time); any link: one. */
		if (found > 0 && (named == 0 || found >= named))
			return (int)found;
		if ((int64_t)now_ms() >= end)
			return found > 0 ? (int)found : -ENODEV;
		if (!logged) {
			nl_info(NET_STAGE, "waiting up to %d s for %s (rd.net.timeout.iflink)", timeout_s,
				named ? "the named network interface" : "a network interface");
			logged = true;
		}
		poll(NULL, 0, 100);
	}
}

/* ---- applying ---- */

static bool same_subnet(struct in_addr a, struct in_addr b, unsigned prefix)
{
	struct in_addr m = net_prefix_to_mask(prefix);

	return (a.s_addr & m.s_addr) == (b.s_addr & m.s_addr);
}

int net_apply(struct rtnl *nl, const struct net_lease *l)
{
	unsigned char proto = l->source == NET_SOURCE_DHCP ? RTPROT_DHCP : RTPROT_BOOT;
	char a[INET_ADDRSTRLEN], g[INET_ADDRSTRLEN];
	struct in_addr none = { 0 };
	size_t i;
	int r;

	if (l->mtu) {
		r = rtnl_link_mtu(nl, l->ifindex, l->mtu);
		if (r < 0)
			nl_warn(NET_STAGE, "%s: cannot set MTU %u: %s", l->ifname, l->mtu, strerror(-r));
	}
	/* The lease's lifetime, honestly: if nobody renews it (the real root's
	 * DHCP client takes over), the kernel drops the address when the
	 * lease ends, as the server expects. */
	r = rtnl_addr_add(nl, l->ifindex, l->addr, l->prefix, l->broadcast, l->lease_time, l->lease_time);
	if (r < 0) {
		nl_err(NET_STAGE, "%s: cannot add address %s/%u: %s", l->ifname, net_ntoa(l->addr, a),
		       l->prefix, strerror(-r));
		return r;
	}
	for (i = 0; i < l->nroutes; i++) {
		const struct net_route *rt = &l->routes[i];

		/* A gateway outside our subnet (RFC 3442 allows it) needs a
		 * host route on the link first. */
		if (rt->gw.s_addr && !same_subnet(rt->gw, l->addr, l->prefix)) {
			r = rtnl_route_add(nl, l->ifindex, rt->gw, 32, none, proto, l->addr);
			if (r < 0)
				nl_warn(NET_STAGE, "%s: route to gateway %s: %s", l->ifname,
					net_ntoa(rt->gw, g), strerror(-r));
		}
		r = rtnl_route_add(nl, l->ifindex, rt->dst, rt->prefix, rt->gw, proto, l->addr);
		if (r < 0)
			nl_warn(NET_STAGE, "%s: cannot add route %s/%u via %s: %s", l->ifname,
				net_ntoa(rt->dst, a), rt->prefix, net_ntoa(rt->gw, g), strerror(-r));
	}
	nl_info(NET_STAGE, "%s: %s/%u%s%s%s", l->ifname, net_ntoa(l->addr, a), l->prefix,
		l->router.s_addr ? " via " : "", l->router.s_addr ? net_ntoa(l->router, g) : "",
		l->mtu ? ", MTU set" : "");
	return 0;
}

/* rd.route=<net>/<prefix>:<gateway>[:<interface>] (dracut.cmdline(7)). */
int net_parse_route(const char *s, struct net_route *rt, char *ifname, size_t ifsize)
{
	char buf[64], *slash, *c1, *c2 = NULL;
	long p;
	char *end;

	if (snprintf(buf, sizeof(buf), "%s", s) >= (int)sizeof(buf))
		return -EINVAL;
	ifname[0] = '\0';
	c1 = strchr(buf, ':');
	if (!c1)
		return -EINVAL;
	*c1++ = '\0';
	c2 = strchr(c1, ':');
	if (c2) {
		*c2++ = '\0';
		if (strlen(c2) >= ifsize)
			return -EINVAL;
		strcpy(ifname, c2);
	}
	slash = strchr(buf, '/');
	if (!slash)
		return -EINVAL;
	*slash++ = '\0';
	p = strtol(slash, &end, 10);
	if (*slash == '\0' || *end || p < 0 || p > 32)
		return -EINVAL;
	if (inet_pton(AF_INET, buf, &rt->dst) != 1)
		return -EINVAL;
	rt->prefix = (uint8_t)p;
	rt->dst.s_addr &= net_prefix_to_mask((unsigned)p).s_addr;
	if (*c1 == '\0')
		rt->gw.s_addr = 0;
	else if (inet_pton(AF_INET, c1, &rt->gw) != 1)
		return -EINVAL;
	return 0;
}

/* Command-line additions: rd.route=, nameserver=, an MTU from ip=. */
static void merge_cmdline(const struct cmdline *cl, const struct ip_spec *spec, struct net_lease *l)
{
	struct in_addr dns[NET_MAX_DNS];
	size_t i, n = 0;

	for (i = 0; i < cl->nroute; i++) {
		struct net_route rt;
		char dev[IF_NAMESIZE];

		if (net_parse_route(cl->route[i], &rt, dev, sizeof(dev)) < 0) {
			nl_warn(NET_STAGE, "ignoring rd.route=%s: expected <net>/<prefix>:<gateway>[:<interface>]",
				cl->route[i]);
			continue;
		}
		if (dev[0] && strcmp(dev, l->ifname) != 0)
			continue;
		if (l->nroutes < NET_MAX_ROUTES)
			l->routes[l->nroutes++] = rt;
	}
	/* nameserver= first: the administrator's choice wins. */
	for (i = 0; i < cl->nnameserver && n < NET_MAX_DNS; i++)
		dns[n++] = cl->nameserver[i];
	for (i = 0; i < l->ndns && n < NET_MAX_DNS; i++)
		dns[n++] = l->dns[i];
	memcpy(l->dns, dns, sizeof(dns));
	l->ndns = n;
	if (spec && spec->mtu)
		l->mtu = spec->mtu;
	/* A host name given in ip= field 5 is the administrator's: it wins. */
	if (spec && spec->hostname[0])
		snprintf(l->hostname, sizeof(l->hostname), "%s", spec->hostname);
}

static int wait_carrier(struct rtnl *nl, const struct dhcp_ifspec *s, int timeout_s)
{
	int64_t end = (int64_t)now_ms() + (int64_t)timeout_s * 1000;

	for (;;) {
		struct rtnl_link li;

		if (rtnl_link_get(nl, s->index, &li) < 0 || li.carrier != 0)
			return 0;
		if ((int64_t)now_ms() >= end)
			return -ENOLINK;
		poll(NULL, 0, 50);
	}
}

/* Kernel ip=<client>:<server>:<gw>:<netmask>:<hostname>:<device>:off... */
static int static_lease(const struct ip_spec *sp, const struct dhcp_ifspec *s, struct net_lease *l)
{
	int prefix;

	memset(l, 0, sizeof(*l));
	l->source = NET_SOURCE_STATIC;
	memcpy(l->ifname, s->name, sizeof(l->ifname));
	l->ifindex = s->index;
	memcpy(l->mac, s->mac, 6);
	l->addr = sp->client;
	if (!dhcp_addr_usable(l->addr))
		return -EINVAL;
	prefix = sp->netmask.s_addr ? net_mask_to_prefix(sp->netmask) : -1;
	/* No (or a bad) netmask: the class of the address, as the kernel does. */
	l->prefix = prefix > 0 ? (uint8_t)prefix : (uint8_t)net_classful_prefix(l->addr);
	l->broadcast.s_addr = l->addr.s_addr | ~net_prefix_to_mask(l->prefix).s_addr;
	if (sp->gateway.s_addr) {
		l->router = sp->gateway;
		l->routes[0].gw = sp->gateway;
		l->nroutes = 1;
	}
	l->server_id = sp->server;
	l->siaddr = sp->server;
	if (sp->hostname[0])
		snprintf(l->hostname, sizeof(l->hostname), "%s", sp->hostname);
	if (sp->dns[0].s_addr)
		l->dns[l->ndns++] = sp->dns[0];
	if (sp->dns[1].s_addr)
		l->dns[l->ndns++] = sp->dns[1];
	if (sp->ntp.s_addr)
		l->ntp[l->nntp++] = sp->ntp;
	l->mtu = sp->mtu;
	l->lease_time = l->t1 = l->t2 = NET_LEASE_INFINITE;
	l->obtained = log_uptime();
	return 0;
}

static const struct dhcp_ifspec *find_spec(const struct dhcp_ifspec *ifs, size_t n, const char *name)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!name[0] || strcmp(ifs[i].name, name) == 0)
			return &ifs[i];
	return NULL;
}

static int up_static(struct rtnl *nl, const struct cmdline *cl, const struct ip_spec *sp,
		     const struct dhcp_ifspec *ifs, size_t n, int carrier_s, struct net_lease *out)
{
	const struct dhcp_ifspec *s = find_spec(ifs, n, sp->device);
	char a[INET_ADDRSTRLEN];
	int r;

	if (!s) {
		nl_err(NET_STAGE, "ip=%s:...: interface %s not found", net_ntoa(sp->client, a),
		       sp->device[0] ? sp->device : "(any)");
		return -ENODEV;
	}
	if (wait_carrier(nl, s, carrier_s) < 0)
		nl_warn(NET_STAGE, "%s: no carrier after %d s, configuring it anyway", s->name, carrier_s);
	r = static_lease(sp, s, out);
	if (r < 0) {
		nl_err(NET_STAGE, "ip=: %s is not a usable client address", net_ntoa(sp->client, a));
		return r;
	}
	merge_cmdline(cl, sp, out);
	return net_apply(nl, out);
}

/* What the lease says to boot, for the console (values are validated). */
static void log_boot_info(const struct net_lease *l)
{
	char s[INET_ADDRSTRLEN];

	if (l->hostname[0])
		nl_info(DHCP_STAGE, "%s: host name %s%s%s", l->ifname, l->hostname,
			l->domain[0] ? ", domain " : "", l->domain);
	if (l->root_path[0] || l->bootfile[0] || l->siaddr.s_addr)
		nl_info(DHCP_STAGE, "%s: root-path %s, next-server %s, bootfile %s", l->ifname,
			l->root_path[0] ? l->root_path : "-",
			l->siaddr.s_addr ? net_ntoa(l->siaddr, s) : "-",
			l->bootfile[0] ? l->bootfile : "-");
}

static int up_dhcp(struct rtnl *nl, const struct cmdline *cl, const struct ip_spec *sp,
		   const struct dhcp_ifspec *ifs, size_t n, const struct net_want *want,
		   struct net_lease *out)
{
	struct dhcp_config cfg;
	int r;

	dhcp_config_default(&cfg);
	if (cl->timeout_dhcp > 0)
		cfg.timeout = cl->timeout_dhcp;
	if (cl->dhcp_retry > 0)
		cfg.cycles = cl->dhcp_retry;
	if (cl->timeout_carrier >= 0)
		cfg.carrier_timeout = cl->timeout_carrier;
	if (sp && sp->hostname[0])
		cfg.hostname = sp->hostname;
	/* No link named: NICs whose driver is slower than the first are
	 * picked up while DHCP runs. */
	if (want->nnames == 0 && !want->has_mac)
		cfg.late_links = want;
	/* Wait for a better OFFER only when the root is to come from DHCP
	 * (root=dhcp, nfsroot without a server, no root= at all). */
	if (!(cl->root.type == ROOT_DHCP || cl->root.type == ROOT_UNSET ||
	      (cl->root.type == ROOT_NFS && !cl->root.nfs.server[0])))
		cfg.select_window_ms = 0;
	r = dhcp_run(ifs, n, &cfg, out);
	if (r < 0) {
		nl_err(DHCP_STAGE, "no DHCP lease on any of %zu interface(s): %s%s", n, strerror(-r),
		       r == -ETIMEDOUT ? " (check the DHCP server; rd.net.timeout.dhcp, rd.net.dhcp.retry)" : "");
		return r;
	}
	merge_cmdline(cl, sp, out);
	log_boot_info(out);
	return net_apply(nl, out);
}

/* dracut ip=<if>:dhcp:<mtu>:<mac>: give the link that MAC (while down). */
static void set_macs(struct rtnl *nl, const struct cmdline *cl, struct dhcp_ifspec *ifs, size_t n)
{
	size_t i, k;

	for (i = 0; i < cl->nip; i++) {
		const struct ip_spec *sp = &cl->ip[i];

		if (!sp->has_mac || !sp->device[0])
			continue;
		for (k = 0; k < n; k++) {
			char mac[24];
			int r;

			if (strcmp(ifs[k].name, sp->device) != 0 || memcmp(ifs[k].mac, sp->mac, 6) == 0)
				continue;
			mac_format(sp->mac, ':', mac);
			r = rtnl_link_mac(nl, ifs[k].index, sp->mac);
			if (r < 0) {
				nl_warn(NET_STAGE, "%s: cannot set MAC %s (ip=): %s", ifs[k].name, mac, strerror(-r));
				continue;
			}
			memcpy(ifs[k].mac, sp->mac, 6);
			nl_info(NET_STAGE, "%s: MAC set to %s (ip=)", ifs[k].name, mac);
		}
	}
}

int net_up(const struct cmdline *cl, struct net_lease *out)
{
	static struct dhcp_ifspec ifs[DHCP_MAX_LINKS];
	const struct ip_spec *dhcp_spec = NULL, *static_spec = NULL;
	struct net_want want;
	struct rtnl nl;
	size_t i;
	int n, r, iflink, carrier;
	bool off = false;

	memset(out, 0, sizeof(*out));
	for (i = 0; i < cl->nip; i++) {
		if (cl->ip[i].method == IP_METHOD_OFF && !cl->ip[i].device[0])
			off = true;
		else if (cl->ip[i].method == IP_METHOD_STATIC && !static_spec)
			static_spec = &cl->ip[i];
		else if (cl->ip[i].method == IP_METHOD_DHCP && !dhcp_spec)
			dhcp_spec = &cl->ip[i];
	}
	if (off || (cl->nip > 0 && !static_spec && !dhcp_spec)) {
		nl_info(NET_STAGE, "ip=off: no network configuration");
		if (cl->neednet)
			nl_warn(NET_STAGE, "rd.neednet is set but ip=off: the network stays down");
		return 0;
	}
	if (!CFG_NET) {
		nl_err(NET_STAGE, "this init was built without network support (CONFIG_NET)");
		return -EOPNOTSUPP;
	}
	r = rtnl_open(&nl);
	if (r < 0) {
		nl_err(NET_STAGE, "cannot open rtnetlink: %s", strerror(-r));
		return r;
	}
	n = if_nametoindex("lo");
	if (n > 0)
		rtnl_link_up(&nl, n);
	iflink = cl->timeout_iflink >= 0 ? cl->timeout_iflink : NET_DEFAULT_IFLINK;
	{
		int64_t t0 = (int64_t)now_ms();

		rename_links_wait(&nl, cl, iflink);
		/* one iflink budget for renaming and finding together */
		n = iflink - (int)(((int64_t)now_ms() - t0) / 1000);
	}
	want_from_cmdline(cl, &want);
	carrier = cl->timeout_carrier >= 0 ? cl->timeout_carrier : DHCP_DEFAULT_CARRIER;
	n = net_find_links(&nl, &want, n > 0 ? n : 0, ifs, DHCP_MAX_LINKS);
	if (n < 0) {
		nl_err(NET_STAGE, "no network interface found after %d s: is the NIC driver in the "
		       "initramfs? (rd.net.timeout.iflink)", iflink);
		rtnl_close(&nl);
		return n;
	}
	set_macs(&nl, cl, ifs, (size_t)n);
	for (i = 0; i < (size_t)n; i++) {
		r = rtnl_link_up(&nl, ifs[i].index);
		if (r < 0)
			nl_warn(NET_STAGE, "%s: cannot bring the link up: %s", ifs[i].name, strerror(-r));
	}
	if (static_spec)
		r = up_static(&nl, cl, static_spec, ifs, (size_t)n, carrier, out);
	else
		r = up_dhcp(&nl, cl, dhcp_spec, ifs, (size_t)n, &want, out);
	rtnl_close(&nl);
	return r;
}
