/* SPDX-License-Identifier: MIT */
/*
 * Network bring-up: links, DHCPv4, static ip=, DNS, hand-over to the real root.
 *
 * The interface that init/main.c and the fetch stage use.  Everything in a
 * struct net_lease has been checked: addresses are plausible unicast
 * addresses, strings obey the rules of doc/network.md ("Untrusted values"),
 * so a field that is not "" may be used as data (never as a shell string).
 */
#ifndef NETINIT_NET_H
#define NETINIT_NET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <net/if.h>
#include <netinet/in.h>

struct cmdline;

#define NET_MAX_DNS 4
#define NET_MAX_NTP 4
#define NET_MAX_LOG 4
#define NET_MAX_SEARCH 6
#define NET_MAX_ROUTES 16
#define NET_NAME_MAX 254   /* a DNS name, 253 bytes + NUL */
#define NET_PATH_MAX 256   /* root-path, bootfile: 255 bytes + NUL */
#define NET_LEASE_INFINITE 0xffffffffu

enum net_source {
	NET_SOURCE_NONE = 0, /* ip=off, or no network configured */
	NET_SOURCE_DHCP,
	NET_SOURCE_STATIC,
};

struct net_route {
	struct in_addr dst;  /* 0.0.0.0 with prefix 0 = default route */
	uint8_t prefix;
	struct in_addr gw;   /* 0.0.0.0 = on-link (RFC 3442 router 0) */
};

struct net_lease {
	enum net_source source;
	char ifname[IF_NAMESIZE];
	int ifindex;
	uint8_t mac[6];

	struct in_addr addr;         /* yiaddr */
	uint8_t prefix;              /* from option 1, or classful when absent */
	struct in_addr broadcast;    /* option 28, or computed */
	struct in_addr router;       /* first usable router of option 3 */
	struct net_route routes[NET_MAX_ROUTES]; /* option 121 (overrides 3) + rd.route= */
	size_t nroutes;
	bool classless;              /* routes came from option 121 */
	unsigned mtu;                /* option 26 or ip=..:dhcp:<mtu>; 0 = leave as is */

	struct in_addr dns[NET_MAX_DNS];
	size_t ndns;
	struct in_addr ntp[NET_MAX_NTP];
	size_t nntp;
	struct in_addr log_servers[NET_MAX_LOG];
	size_t nlog;

	char hostname[NET_NAME_MAX]; /* option 12 (or ip= field 5): hostname_valid() */
	char domain[NET_NAME_MAX];   /* option 15 */
	char search[NET_MAX_SEARCH][NET_NAME_MAX]; /* option 119, else the domain */
	size_t nsearch;

	char root_path[NET_PATH_MAX];   /* option 17 */
	char bootfile[NET_PATH_MAX];    /* option 67, else the file field */
	char tftp_server[NET_NAME_MAX]; /* option 66, else the sname field */
	struct in_addr siaddr;          /* next-server (BOOTP siaddr) */
	struct in_addr server_id;       /* option 54 (static: the ip= server field) */

	uint32_t lease_time;   /* seconds, option 51; NET_LEASE_INFINITE */
	uint32_t t1, t2;       /* options 58/59 or 1/2 and 7/8 of the lease */
	double obtained;       /* log_uptime() when the ACK arrived */
};

/*
 * Bring the network up as the command line says: ip=off -> nothing (returns
 * 0 with out->source == NET_SOURCE_NONE); static ip= -> that; otherwise
 * DHCPv4 on every candidate link in parallel, first lease wins.  Applies the
 * result (address, routes, MTU); out is what net_resolve() needs later.
 * Returns 0 or -errno; logs with stages "net" and "dhcp".
 */
int net_up(const struct cmdline *cl, struct net_lease *out);

/*
 * Hand the configuration over to the real root: /run/netinit/lease-<if>.conf,
 * /run/net-<if>.conf (initramfs-tools format), /run/netinit/resolv.conf,
 * /run/netinit/hostname, sethostname(), a systemd-networkd drop-in in
 * /run/systemd/network, and <newroot>/etc/{hostname,resolv.conf} when that
 * /etc is writable.  newroot may be NULL (only /run).  0 or -errno.
 */
int net_handover(const struct net_lease *l, const char *newroot);

/* An IPv4 literal, or an A record via the DNS servers and search list of
 * the lease dns (the one net_up() filled; passed by the caller, never kept
 * here), else, when dns is NULL or has no servers, /etc/resolv.conf (host
 * use).  0 or -errno. */
int net_resolve(const struct net_lease *dns, const char *name, struct in_addr *out);

/* `init dhcp [options] IFACE...` or `init dhcp --cmdline LINE`: run the
 * client alone (or net_up()), print the lease.  argv[0] is the command
 * name ("dhcp"); options start at argv[1].  Exit status 0, 1, 2 (usage). */
int dhcp_main(int argc, char **argv);

/* ---- helpers shared with the tests and other stages ---- */

/* Validation rules of doc/network.md, "Untrusted values". */
bool net_domain_valid(const char *name);   /* hostname_valid() */
bool net_path_valid(const char *path);     /* root-path, bootfile */

/* The lease as the documented key='value' text.  Returns the length written
 * (NUL not counted) or -ENOSPC.  Values that fail validation are left out. */
int net_lease_format(const struct net_lease *l, char *buf, size_t size);

/* Dotted quad into buf (INET_ADDRSTRLEN). */
const char *net_ntoa(struct in_addr a, char *buf);
int net_mask_to_prefix(struct in_addr mask);  /* -1 when not contiguous */
struct in_addr net_prefix_to_mask(unsigned prefix);

#endif
