/* SPDX-License-Identifier: MIT */
/* Lease renewal at T1/T2: see renew.h. */
#include "renew.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "dhcp.h"
#include "log.h"
#include "netutil.h"
#include "rtnl.h"
#include "util.h"

#define FRAME_HDR 28 /* dhcp_build() writes IPv4 (20) + UDP (8) in front */

static struct {
	int fd;
	uint32_t xid;
	double next; /* log_uptime() of the next DHCPREQUEST */
} rn = { -1, 0, 0 };

int net_renew_build(const struct net_lease *l, uint32_t xid, uint8_t *buf, size_t size)
{
	struct dhcp_client_id id = { l->mac, NULL, NULL };
	struct in_addr none = { 0 };
	int n = dhcp_build(buf, size, DHCPREQUEST, xid, 0, &id, none, none, l->addr);

	if (n < FRAME_HDR)
		return n < 0 ? n : -EINVAL;
	memmove(buf, buf + FRAME_HDR, (size_t)n - FRAME_HDR); /* the UDP payload */
	return n - FRAME_HDR;
}

int net_renew_reply(struct net_lease *l, uint32_t xid, const uint8_t *msg, size_t len,
		    double now)
{
	struct dhcp_msg m = { msg, len };
	struct net_lease tmp = *l;
	char a[INET_ADDRSTRLEN];

	if (len < DHCP_OFF_OPTIONS + 4 || msg[DHCP_OFF_OP] != DHCP_BOOTREPLY ||
	    dhcp_be32(msg + DHCP_OFF_MAGIC) != DHCP_MAGIC || !dhcp_msg_is_ours(&m, xid, l->mac) ||
	    dhcp_opt_check(&m) < 0)
		return 0;
	switch (dhcp_msg_type(&m)) {
	case DHCPNAK:
		nl_err(DHCP_STAGE, "%s: the server refused to renew %s (DHCPNAK): the address goes "
		       "when the lease ends", l->ifname, net_ntoa(l->addr, a));
		return -EACCES;
	case DHCPACK:
		break;
	default:
		return 0;
	}
	if (dhcp_lease_from_msg(&m, &tmp, NULL) < 0 || tmp.addr.s_addr != l->addr.s_addr) {
		nl_warn(DHCP_STAGE, "%s: ignoring a renewal DHCPACK for another address", l->ifname);
		return 0;
	}
	l->lease_time = tmp.lease_time;
	l->t1 = tmp.t1;
	l->t2 = tmp.t2;
	l->obtained = now;
	return 1;
}

static int renew_socket(const struct net_lease *l)
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons(DHCP_CLIENT_PORT) };
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0), one = 1;

	if (fd < 0)
		return -errno;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	setsockopt(fd, SOL_SOCKET, SO_BROADCAST, &one, sizeof(one));
	if (setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, l->ifname, (socklen_t)strlen(l->ifname)) < 0 ||
	    bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		int e = errno;

		close(fd);
		return -e;
	}
	return fd;
}

/* RENEWING until T2 (unicast to the server), then REBINDING (broadcast). */
static void renew_send(const struct net_lease *l, double elapsed)
{
	uint8_t buf[1500];
	bool rebinding = elapsed >= l->t2 || !l->server_id.s_addr;
	struct sockaddr_in to = { .sin_family = AF_INET, .sin_port = htons(DHCP_SERVER_PORT) };
	int n = net_renew_build(l, rn.xid, buf, sizeof(buf));
	double left = (rebinding ? l->lease_time : l->t2) - elapsed;
	char a[INET_ADDRSTRLEN];

	to.sin_addr.s_addr = rebinding ? htonl(INADDR_BROADCAST) : l->server_id.s_addr;
	if (n > 0 && sendto(rn.fd, buf, (size_t)n, 0, (struct sockaddr *)&to, sizeof(to)) == n)
		nl_info(DHCP_STAGE, "%s: %s the lease of %s (%.0f s of %u gone)", l->ifname,
			rebinding ? "rebinding" : "renewing", net_ntoa(l->addr, a), elapsed, l->lease_time);
	else
		nl_warn(DHCP_STAGE, "%s: cannot send the renewal: %s", l->ifname, strerror(errno));
	/* section 4.4.5: wait half the time left (to T2, or to the lease end) */
	rn.next = log_uptime() + (left / 2 > RENEW_RETRY_MIN_S ? left / 2 : RENEW_RETRY_MIN_S);
}

/* The new lifetime on the address (NLM_F_REPLACE), as net_apply() set it. */
static void renew_apply(const struct net_lease *l)
{
	struct rtnl nl;
	char a[INET_ADDRSTRLEN];
	int r = rtnl_open(&nl);

	if (r == 0) {
		r = rtnl_addr_add(&nl, l->ifindex, l->addr, l->prefix, l->broadcast, l->lease_time,
				  l->lease_time);
		rtnl_close(&nl);
	}
	if (r < 0)
		nl_warn(DHCP_STAGE, "%s: renewed, but the address lifetime was not updated: %s",
			l->ifname, strerror(-r));
	nl_info(DHCP_STAGE, "%s: lease of %s renewed: %u s (T1 %u s)", l->ifname,
		net_ntoa(l->addr, a), l->lease_time, l->t1);
}

void net_renew_tick(struct net_lease *l)
{
	uint8_t buf[1500];
	double now = log_uptime(), elapsed = now - l->obtained;
	ssize_t n;

	if (l->source != NET_SOURCE_DHCP || l->lease_time == NET_LEASE_INFINITE || !l->t1 ||
	    elapsed < l->t1 || elapsed >= l->lease_time)
		return;
	if (rn.fd < 0) {
		rn.fd = renew_socket(l);
		if (rn.fd < 0) {
			nl_warn(DHCP_STAGE, "%s: cannot renew the lease: %s", l->ifname, strerror(-rn.fd));
			rn.fd = -1;
			l->t1 = l->lease_time; /* do not try again each tick */
			return;
		}
		rn.xid = random_u32(l->addr.s_addr);
		rn.next = now;
	}
	while ((n = recv(rn.fd, buf, sizeof(buf), 0)) > 0) {
		int r = net_renew_reply(l, rn.xid, buf, (size_t)n, now);

		if (r == 0)
			continue;
		if (r > 0)
			renew_apply(l);
		else
			l->t1 = l->lease_time; /* refused: no more tries */
		close(rn.fd);
		rn.fd = -1;
		return;
	}
	if (now >= rn.next)
		renew_send(l, elapsed);
}
