/* SPDX-License-Identifier: MIT */
/* The DHCPv4 client state machine over several links at once. */
#ifndef NETINIT_DHCP_CLIENT_H
#define NETINIT_DHCP_CLIENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <net/if.h>
#include <netinet/in.h>

#include "net.h"

struct net_want;

/* Defaults, documented in doc/network.md. */
#define DHCP_DEFAULT_TIMEOUT 60      /* rd.net.timeout.dhcp: seconds per cycle */
#define DHCP_DEFAULT_CYCLES 1        /* rd.net.dhcp.retry */
#define DHCP_DEFAULT_CARRIER 10      /* rd.net.timeout.carrier */
#define DHCP_SELECT_WINDOW_MS 300    /* wait for an OFFER with boot info */
#define DHCP_ARP_PROBE_MS 200        /* ARP conflict check of the ACKed address */
#define DHCP_DECLINE_WAIT_MS 10000   /* RFC 2131 §3.1 step 5 */
#define DHCP_MAX_LINKS 32

struct dhcp_ifspec {
	char name[IF_NAMESIZE];
	int index;
	uint8_t mac[6];
};

struct dhcp_config {
	int timeout;            /* seconds per cycle */
	int cycles;             /* whole cycles before giving up */
	int carrier_timeout;    /* seconds a link may take to get carrier */
	int arp_probe_ms;       /* 0 = no ARP probe */
	int select_window_ms;
	const char *vendor_class;
	const char *hostname;   /* option 12 to send, or NULL */
	struct in_addr request; /* INIT-REBOOT with this address (RFC 2131 §3.2) */
	/* Links that appear while DHCP runs (a slow NIC driver) and match
	 * this are added, brought up and used too.  NULL: the given set only. */
	const struct net_want *late_links;
};

void dhcp_config_default(struct dhcp_config *c);

/*
 * Run DHCP on all links in parallel until the first one is bound (after
 * the ARP probe), or every cycle has timed out.  The links must be up.
 * out: the lease, with ifname/ifindex/mac of the winning link.
 * 0, -ETIMEDOUT, -ENOLINK (no carrier anywhere) or -errno.
 */
int dhcp_run(const struct dhcp_ifspec *ifs, size_t n, const struct dhcp_config *cfg,
	     struct net_lease *out);

/* RFC 2131 §4.1 retransmission delay for attempt k (0-based): 4, 8, 16,
 * 32, 64, 64... seconds, each randomised by -1..+1 s.  rnd: any 32 bits. */
int64_t dhcp_backoff_ms(unsigned attempt, uint32_t rnd);

#endif
