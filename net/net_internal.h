/* SPDX-License-Identifier: MIT */
/* Internal interfaces between the files of the net module. */
#ifndef NETINIT_NET_INTERNAL_H
#define NETINIT_NET_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <net/if.h>

#include "net.h"

struct rtnl;
struct dhcp_ifspec;

#define NET_DEFAULT_IFLINK 60 /* rd.net.timeout.iflink (dracut's default) */
#define NET_WANT_MAX 16

/* The links the command line asks for: by name and/or by MAC (BOOTIF). */
struct net_want {
	char names[NET_WANT_MAX][IF_NAMESIZE];
	size_t nnames;
	char off[NET_WANT_MAX][IF_NAMESIZE]; /* ip=<dev>:off: never these */
	size_t noff;
	uint8_t mac[6];
	bool has_mac;
};

void net_want_init(struct net_want *w);
void net_want_name(struct net_want *w, const char *name);
struct rtnl_link;
bool net_link_wanted(const struct net_want *w, const struct rtnl_link *l);
/* Wait up to timeout_s for the wanted links; fill out; count or -ENODEV. */
int net_find_links(struct rtnl *nl, const struct net_want *w, int timeout_s,
		   struct dhcp_ifspec *out, size_t max);
int net_apply(struct rtnl *nl, const struct net_lease *l);
int net_parse_route(const char *s, struct net_route *rt, char *ifname, size_t ifsize);

/* Where net_handover() writes: "/run" and sethostname() at boot; the
 * `init dhcp --handover DIR` debug command points it elsewhere. */
struct net_handover_opts {
	const char *rundir;
	const char *newroot;
	bool sethostname;
};
int net_handover_opts(const struct net_lease *l, const struct net_handover_opts *o);

#endif
