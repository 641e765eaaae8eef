/* SPDX-License-Identifier: MIT */
/* The hook environment: see hookenv.h and the table in doc/hooks.md. */
#include "hookenv.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "boot.h"
#include "log.h"
#include "net.h"

/* Paths, URLs, names: printable ASCII, no space, no quote, no backslash.
 * Inert in the environment anyway; this keeps a hook's careless "eval"
 * or unquoted use from meeting shell syntax. */
static bool env_safe(const char *s)
{
	for (; *s; s++)
		if (*s <= 0x20 || *s >= 0x7f || strchr("'\"`\\$;&|<>(){}", *s))
			return false;
	return true;
}

/* A list of addresses: dotted quads separated by single spaces. */
static bool addr_list_ok(const char *s)
{
	return strspn(s, "0123456789. ") == strlen(s);
}

static bool name_ok(const char *s) { return hostname_valid(s); }

int hookenv_add(struct hookenv *e, const char *key, const char *value,
		bool (*check)(const char *))
{
	size_t need = strlen(key) + strlen(value) + 2;

	if (!(check ? check(value) : env_safe(value))) {
		nl_warn("hooks", "%s left out of the hook environment: the value is not valid", key);
		return -EINVAL;
	}
	if (e->n >= HOOKENV_MAX || e->used + need > sizeof(e->buf))
		return -ENOSPC;
	e->envp[e->n++] = e->buf + e->used;
	e->envp[e->n] = NULL;
	e->used += (size_t)snprintf(e->buf + e->used, need, "%s=%s", key, value) + 1;
	return 0;
}

static void add_addrs(struct hookenv *e, const char *key, const struct in_addr *a, size_t n)
{
	char list[NET_MAX_DNS * INET_ADDRSTRLEN + 8] = "", one[INET_ADDRSTRLEN];

	for (size_t i = 0; i < n && i < NET_MAX_DNS; i++) {
		inet_ntop(AF_INET, &a[i], one, sizeof(one));
		if (i)
			strcat(list, " ");
		strcat(list, one);
	}
	hookenv_add(e, key, list, addr_list_ok);
}

static void add_addr(struct hookenv *e, const char *key, struct in_addr a)
{
	char s[INET_ADDRSTRLEN] = "";

	if (a.s_addr)
		inet_ntop(AF_INET, &a, s, sizeof(s));
	hookenv_add(e, key, s, addr_list_ok);
}

const char *hookenv_root_kind(const struct cmdline *cl, const struct boot_state *bs)
{
	/* The boot plan (init/plan.h); root=dhcp is decided by the lease. */
	switch (bs->plan.root) {
	case PLAN_ROOT_LOCAL: return "block";
	case PLAN_ROOT_NFS: return "nfs";
	case PLAN_ROOT_IMAGE: return "image";
	case PLAN_ROOT_DHCP:
		if (!bs->have_lease)
			return "dhcp";
		return bs->lease.root_path[0] && !strstr(bs->lease.root_path, "://") ? "nfs" : "image";
	default: return "none";
	}
}

static void add_root(struct hookenv *e, const struct cmdline *cl, const struct boot_state *bs)
{
	char src[CMDLINE_MAX_URL + 300] = "";

	if (cl->root.type == ROOT_BLOCK)
		snprintf(src, sizeof(src), "%s", cl->root.device);
	else if (cl->root.type == ROOT_NFS)
		snprintf(src, sizeof(src), "%s:%s", cl->root.nfs.server, cl->root.nfs.path);
	else if (cl->root.type == ROOT_URL)
		snprintf(src, sizeof(src), "%s", cl->root.url);
	else if (cl->root.type == ROOT_DHCP && bs->have_lease)
		snprintf(src, sizeof(src), "%s", bs->lease.root_path[0] ? bs->lease.root_path
								 : bs->lease.bootfile);
	hookenv_add(e, "NETINIT_ROOT_KIND", hookenv_root_kind(cl, bs), NULL);
	hookenv_add(e, "NETINIT_ROOT", src, NULL);
	hookenv_add(e, "NETINIT_WRITABLE", cl->writable, NULL);
}

/* Host name, FQDN, domain and where the name came from. */
static void add_names(struct hookenv *e, const struct cmdline *cl, const struct net_lease *l)
{
	char host[NET_NAME_MAX] = "", fqdn[2 * NET_NAME_MAX] = "", dom[NET_NAME_MAX] = "";
	const char *src = "none", *dot;

	if (l->hostname[0] && hostname_valid(l->hostname)) {
		src = l->source == NET_SOURCE_DHCP ? "dhcp" : "cmdline";
		for (size_t i = 0; i < cl->nip; i++)
			if (!strcmp(cl->ip[i].hostname, l->hostname))
				src = "cmdline";
		dot = strchr(l->hostname, '.');
		snprintf(host, sizeof(host), "%.*s", dot ? (int)(dot - l->hostname) : 253, l->hostname);
		if (dot)
			snprintf(dom, sizeof(dom), "%s", dot + 1);
		else if (l->domain[0] && hostname_valid(l->domain))
			snprintf(dom, sizeof(dom), "%s", l->domain);
		snprintf(fqdn, sizeof(fqdn), "%s%s%s", host, dom[0] ? "." : "", dom);
		if (!hostname_valid(fqdn))
			snprintf(fqdn, sizeof(fqdn), "%s", host);
	}
	hookenv_add(e, "NETINIT_HOSTNAME", host, host[0] ? name_ok : NULL);
	hookenv_add(e, "NETINIT_FQDN", fqdn, fqdn[0] ? name_ok : NULL);
	hookenv_add(e, "NETINIT_DOMAIN", dom, dom[0] ? name_ok : NULL);
	hookenv_add(e, "NETINIT_HOSTNAME_SOURCE", src, NULL);
}

static void add_net(struct hookenv *e, const struct cmdline *cl, const struct net_lease *l)
{
	char s[64];
	const uint8_t *m = l->mac;

	hookenv_add(e, "NETINIT_IFACE", l->ifname, NULL);
	snprintf(s, sizeof(s), "%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1], m[2], m[3], m[4], m[5]);
	hookenv_add(e, "NETINIT_MAC", s, NULL);
	add_addr(e, "NETINIT_IP", l->addr);
	snprintf(s, sizeof(s), "%u", l->prefix);
	hookenv_add(e, "NETINIT_PREFIX", s, NULL);
	add_addr(e, "NETINIT_GATEWAY", l->router);
	add_addrs(e, "NETINIT_DNS", l->dns, l->ndns);
	add_addrs(e, "NETINIT_NTP", l->ntp, l->nntp);
	add_addrs(e, "NETINIT_LOGSRV", l->log_servers, l->nlog);
	add_addr(e, "NETINIT_BOOTSERVER", l->server_id.s_addr ? l->server_id : l->siaddr);
	snprintf(s, sizeof(s), "/run/netinit/lease-%s.conf", l->ifname);
	hookenv_add(e, "NETINIT_LEASE_FILE", s, NULL);
	add_names(e, cl, l);
}

/* The node's own directory on the server (netinit.writable=persistent), once
 * the mount stage has mounted it: empty when the layer fell back to volatile
 * (a collision, a missing directory: doc/writable.md). */
static void add_node_dir(struct hookenv *e, const struct boot_state *bs)
{
	const struct plan_hostdir *h = &bs->plan.writable.hostdir;
	char dir[sizeof(h->server) + sizeof(h->path) + 80] = "";

	if (bs->layer == PLAN_RW_PERSISTENT && bs->name.key[0])
		snprintf(dir, sizeof(dir), "%s:%s/%s", h->server, h->path, bs->name.key);
	hookenv_add(e, "NETINIT_NODE_DIR", dir, NULL);
}

void hookenv_build(struct hookenv *e, const struct cmdline *cl, const struct boot_state *bs,
		   enum boot_stage stage, const char *newroot)
{
	e->used = 0;
	e->n = 0;
	e->envp[0] = NULL;
	hookenv_add(e, "PATH", "/usr/sbin:/usr/bin:/sbin:/bin", NULL);
	hookenv_add(e, "NETINIT_STAGE", boot_stage_name(stage), NULL);
	add_root(e, cl, bs);
	if (bs->have_lease && bs->have_net && stage >= STAGE_POST_NET)
		add_net(e, cl, &bs->lease);
	if (newroot && stage >= STAGE_POST_MOUNT)
		hookenv_add(e, "NETINIT_NEWROOT", newroot, NULL);
	if (stage >= STAGE_POST_MOUNT)
		add_node_dir(e, bs);
}
