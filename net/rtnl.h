/* SPDX-License-Identifier: MIT */
/* rtnetlink (RFC 3549, rtnetlink(7)): links, addresses, routes. */
#ifndef NETINIT_RTNL_H
#define NETINIT_RTNL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <net/if.h>
#include <netinet/in.h>

struct rtnl {
	int fd;
	uint32_t seq;
};

struct rtnl_link {
	int index;
	char name[IF_NAMESIZE];
	unsigned short type;  /* ARPHRD_* */
	unsigned flags;       /* IFF_* */
	uint8_t mac[6];
	bool has_mac;
	int carrier;          /* IFLA_CARRIER: 1, 0, -1 unknown */
	unsigned mtu;
	char kind[16];        /* IFLA_INFO_KIND ("veth", "bridge"...), "" for hardware */
};

int rtnl_open(struct rtnl *nl);
void rtnl_close(struct rtnl *nl);

/* All links; returns the count (at most max) or -errno. */
int rtnl_links(struct rtnl *nl, struct rtnl_link *out, size_t max);
int rtnl_link_get(struct rtnl *nl, int index, struct rtnl_link *out);
/* Set IFF_UP; rename (newname != NULL, link must be down); set the MTU (mtu > 0). */
int rtnl_link_up(struct rtnl *nl, int index);
int rtnl_link_rename(struct rtnl *nl, int index, const char *newname);
int rtnl_link_mtu(struct rtnl *nl, int index, unsigned mtu);
int rtnl_link_mac(struct rtnl *nl, int index, const uint8_t mac[6]);

/* Address with its lifetimes (seconds; 0xffffffff = forever). Replaces. */
int rtnl_addr_add(struct rtnl *nl, int index, struct in_addr addr, unsigned prefix,
		  struct in_addr brd, uint32_t valid, uint32_t preferred);
/* Route in the main table; gw 0 = on-link (scope link).  proto RTPROT_*. */
int rtnl_route_add(struct rtnl *nl, int index, struct in_addr dst, unsigned prefix,
		   struct in_addr gw, unsigned char proto, struct in_addr prefsrc);

#endif
