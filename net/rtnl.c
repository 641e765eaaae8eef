/* SPDX-License-Identifier: MIT */
/*
 * A small rtnetlink client: one request at a time, acknowledged
 * (NLM_F_ACK), answers read until NLMSG_DONE / the ack.  Replies are
 * checked with the NLMSG_OK/RTA_OK macros; the kernel is trusted no more
 * than that.
 */
#include "rtnl.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <linux/if_arp.h>
#include <linux/if_link.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <sys/socket.h>

#define RTNL_BUF 16384

struct nlreq {
	struct nlmsghdr h;
	char body[1024];
};

int rtnl_open(struct rtnl *nl)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	struct timeval tv = { .tv_sec = 5 };

	nl->seq = 1;
	nl->fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
	if (nl->fd < 0)
		return -errno;
	/* A kernel that never answers must not hang PID 1. */
	setsockopt(nl->fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	if (bind(nl->fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		int r = -errno;

		close(nl->fd);
		nl->fd = -1;
		return r;
	}
	return 0;
}

void rtnl_close(struct rtnl *nl)
{
	if (nl->fd >= 0)
		close(nl->fd);
	nl->fd = -1;
}

static int addattr(struct nlmsghdr *h, size_t max, unsigned short type, const void *data, size_t len)
{
	size_t rl = RTA_LENGTH(len);
	struct rtattr *rta;

	if (NLMSG_ALIGN(h->nlmsg_len) + RTA_ALIGN(rl) > max)
		return -ENOSPC;
	rta = (struct rtattr *)((char *)h + NLMSG_ALIGN(h->nlmsg_len));
	rta->rta_type = type;
	rta->rta_len = (unsigned short)rl;
	if (len)
		memcpy(RTA_DATA(rta), data, len);
	h->nlmsg_len = (uint32_t)(NLMSG_ALIGN(h->nlmsg_len) + RTA_ALIGN(rl));
	return 0;
}

/*
 * Send one request and read until its ack (or the end of a dump).
 * cb is called for every answer message of a dump.
 */
static int rtnl_talk(struct rtnl *nl, struct nlmsghdr *h,
		     void (*cb)(struct nlmsghdr *, void *), void *ctx)
{
	static char buf[RTNL_BUF] __attribute__((aligned(4)));
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	uint32_t seq = ++nl->seq;

	h->nlmsg_seq = seq;
	h->nlmsg_flags |= NLM_F_REQUEST | NLM_F_ACK;
	if (sendto(nl->fd, h, h->nlmsg_len, 0, (struct sockaddr *)&sa, sizeof(sa)) < 0)
		return -errno;
	for (;;) {
		ssize_t n = recv(nl->fd, buf, sizeof(buf), 0);
		struct nlmsghdr *m;
		size_t len;

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return errno == EAGAIN ? -ETIMEDOUT : -errno;
		}
		len = (size_t)n;
		for (m = (struct nlmsghdr *)buf; NLMSG_OK(m, len); m = NLMSG_NEXT(m, len)) {
			if (m->nlmsg_seq != seq)
				continue; /* a stale answer */
			if (m->nlmsg_type == NLMSG_DONE)
				return 0;
			if (m->nlmsg_type == NLMSG_ERROR) {
				struct nlmsgerr *e = NLMSG_DATA(m);

				if (m->nlmsg_len < NLMSG_LENGTH(sizeof(*e)))
					return -EBADMSG;
				return e->error; /* 0 = ack, else -errno */
			}
			if (cb)
				cb(m, ctx);
		}
	}
}

struct link_dump {
	struct rtnl_link *out;
	size_t max, n;
	int only;
};

static void parse_linkinfo(struct rtattr *info, struct rtnl_link *l)
{
	size_t len = RTA_PAYLOAD(info);
	struct rtattr *a;

	for (a = RTA_DATA(info); RTA_OK(a, len); a = RTA_NEXT(a, len)) {
		if (a->rta_type == IFLA_INFO_KIND && RTA_PAYLOAD(a) > 0) {
			size_t k = RTA_PAYLOAD(a) < sizeof(l->kind) ? RTA_PAYLOAD(a) : sizeof(l->kind) - 1;

			memcpy(l->kind, RTA_DATA(a), k);
			l->kind[k] = '\0';
		}
	}
}

static void link_cb(struct nlmsghdr *m, void *ctx)
{
	struct link_dump *d = ctx;
	struct ifinfomsg *ifi = NLMSG_DATA(m);
	struct rtnl_link l;
	struct rtattr *a;
	size_t len;

	if (m->nlmsg_type != RTM_NEWLINK || m->nlmsg_len < NLMSG_LENGTH(sizeof(*ifi)))
		return;
	if (d->only && ifi->ifi_index != d->only)
		return;
	memset(&l, 0, sizeof(l));
	l.index = ifi->ifi_index;
	l.type = ifi->ifi_type;
	l.flags = ifi->ifi_flags;
	l.carrier = -1;
	len = m->nlmsg_len - NLMSG_LENGTH(sizeof(*ifi));
	for (a = IFLA_RTA(ifi); RTA_OK(a, len); a = RTA_NEXT(a, len)) {
		size_t pl = RTA_PAYLOAD(a);

		switch (a->rta_type) {
		case IFLA_IFNAME:
			if (pl > 0) {
				size_t k = pl < IF_NAMESIZE ? pl : IF_NAMESIZE - 1;

				memcpy(l.name, RTA_DATA(a), k);
				l.name[k] = '\0';
			}
			break;
		case IFLA_ADDRESS:
			if (pl == 6) {
				memcpy(l.mac, RTA_DATA(a), 6);
				l.has_mac = true;
			}
			break;
		case IFLA_CARRIER:
			if (pl >= 1)
				l.carrier = *(uint8_t *)RTA_DATA(a);
			break;
		case IFLA_MTU:
			if (pl >= 4)
				memcpy(&l.mtu, RTA_DATA(a), 4);
			break;
		case IFLA_LINKINFO:
			parse_linkinfo(a, &l);
			break;
		}
	}
	if (d->n < d->max)
		d->out[d->n++] = l;
}

int rtnl_links(struct rtnl *nl, struct rtnl_link *out, size_t max)
{
	struct nlreq req;
	struct ifinfomsg *ifi = NLMSG_DATA(&req.h);
	struct link_dump d = { out, max, 0, 0 };
	int r;

	memset(&req, 0, sizeof(req));
	req.h.nlmsg_len = NLMSG_LENGTH(sizeof(*ifi));
	req.h.nlmsg_type = RTM_GETLINK;
	req.h.nlmsg_flags = NLM_F_DUMP;
	ifi->ifi_family = AF_UNSPEC;
	r = rtnl_talk(nl, &req.h, link_cb, &d);
	return r < 0 ? r : (int)d.n;
}

int rtnl_link_get(struct rtnl *nl, int index, struct rtnl_link *out)
{
	struct nlreq req;
	struct ifinfomsg *ifi = NLMSG_DATA(&req.h);
	struct link_dump d = { out, 1, 0, index };
	int r;

	memset(&req, 0, sizeof(req));
	req.h.nlmsg_len = NLMSG_LENGTH(sizeof(*ifi));
	req.h.nlmsg_type = RTM_GETLINK;
	ifi->ifi_family = AF_UNSPEC;
	ifi->ifi_index = index;
	/* A GET of one link answers with the link and then the ack. */
	r = rtnl_talk(nl, &req.h, link_cb, &d);
	if (r < 0)
		return r;
	return d.n ? 0 : -ENODEV;
}

static int link_change(struct rtnl *nl, int index, unsigned flags, unsigned change,
		       const char *newname, unsigned mtu)
{
	struct nlreq req;
	struct ifinfomsg *ifi = NLMSG_DATA(&req.h);
	int r = 0;

	memset(&req, 0, sizeof(req));
	req.h.nlmsg_len = NLMSG_LENGTH(sizeof(*ifi));
	req.h.nlmsg_type = RTM_NEWLINK;
	ifi->ifi_family = AF_UNSPEC;
	ifi->ifi_index = index;
	ifi->ifi_flags = flags;
	ifi->ifi_change = change;
	if (newname)
		r = addattr(&req.h, sizeof(req), IFLA_IFNAME, newname, strlen(newname) + 1);
	if (mtu && r == 0)
		r = addattr(&req.h, sizeof(req), IFLA_MTU, &mtu, 4);
	if (r < 0)
		return r;
	return rtnl_talk(nl, &req.h, NULL, NULL);
}

int rtnl_link_up(struct rtnl *nl, int index)
{
	return link_change(nl, index, IFF_UP, IFF_UP, NULL, 0);
}

int rtnl_link_rename(struct rtnl *nl, int index, const char *newname)
{
	if (strlen(newname) >= IF_NAMESIZE)
		return -EINVAL;
	return link_change(nl, index, 0, 0, newname, 0);
}

int rtnl_link_mtu(struct rtnl *nl, int index, unsigned mtu)
{
	return link_change(nl, index, 0, 0, NULL, mtu);
}

int rtnl_link_mac(struct rtnl *nl, int index, const uint8_t mac[6])
{
	struct nlreq req;
	struct ifinfomsg *ifi = NLMSG_DATA(&req.h);
	int r;

	memset(&req, 0, sizeof(req));
	req.h.nlmsg_len = NLMSG_LENGTH(sizeof(*ifi));
	req.h.nlmsg_type = RTM_NEWLINK;
	ifi->ifi_family = AF_UNSPEC;
	ifi->ifi_index = index;
	r = addattr(&req.h, sizeof(req), IFLA_ADDRESS, mac, 6);
	if (r < 0)
		return r;
	return rtnl_talk(nl, &req.h, NULL, NULL);
}

int rtnl_addr_add(struct rtnl *nl, int index, struct in_addr addr, unsigned prefix,
		  struct in_addr brd, uint32_t valid, uint32_t preferred)
{
	struct nlreq req;
	struct ifaddrmsg *ifa = NLMSG_DATA(&req.h);
	struct ifa_cacheinfo ci;
	int r;

	memset(&req, 0, sizeof(req));
	req.h.nlmsg_len = NLMSG_LENGTH(sizeof(*ifa));
	req.h.nlmsg_type = RTM_NEWADDR;
	req.h.nlmsg_flags = NLM_F_CREATE | NLM_F_REPLACE;
	ifa->ifa_family = AF_INET;
	ifa->ifa_prefixlen = (unsigned char)prefix;
	ifa->ifa_scope = RT_SCOPE_UNIVERSE;
	ifa->ifa_index = (unsigned)index;
	memset(&ci, 0, sizeof(ci));
	ci.ifa_valid = valid;
	ci.ifa_prefered = preferred;
	r = addattr(&req.h, sizeof(req), IFA_LOCAL, &addr.s_addr, 4);
	if (!r)
		r = addattr(&req.h, sizeof(req), IFA_ADDRESS, &addr.s_addr, 4);
	if (!r && brd.s_addr)
		r = addattr(&req.h, sizeof(req), IFA_BROADCAST, &brd.s_addr, 4);
	if (!r)
		r = addattr(&req.h, sizeof(req), IFA_CACHEINFO, &ci, sizeof(ci));
	if (r < 0)
		return r;
	return rtnl_talk(nl, &req.h, NULL, NULL);
}

int rtnl_route_add(struct rtnl *nl, int index, struct in_addr dst, unsigned prefix,
		   struct in_addr gw, unsigned char proto, struct in_addr prefsrc)
{
	struct nlreq req;
	struct rtmsg *rtm = NLMSG_DATA(&req.h);
	uint32_t oif = (uint32_t)index;
	int r;

	memset(&req, 0, sizeof(req));
	req.h.nlmsg_len = NLMSG_LENGTH(sizeof(*rtm));
	req.h.nlmsg_type = RTM_NEWROUTE;
	req.h.nlmsg_flags = NLM_F_CREATE | NLM_F_REPLACE;
	rtm->rtm_family = AF_INET;
	rtm->rtm_dst_len = (unsigned char)prefix;
	rtm->rtm_table = RT_TABLE_MAIN;
	rtm->rtm_protocol = proto;
	rtm->rtm_scope = gw.s_addr ? RT_SCOPE_UNIVERSE : RT_SCOPE_LINK;
	rtm->rtm_type = RTN_UNICAST;
	r = addattr(&req.h, sizeof(req), RTA_OIF, &oif, 4);
	if (!r && prefix)
		r = addattr(&req.h, sizeof(req), RTA_DST, &dst.s_addr, 4);
	if (!r && gw.s_addr)
		r = addattr(&req.h, sizeof(req), RTA_GATEWAY, &gw.s_addr, 4);
	if (!r && prefsrc.s_addr)
		r = addattr(&req.h, sizeof(req), RTA_PREFSRC, &prefsrc.s_addr, 4);
	if (r < 0)
		return r;
	return rtnl_talk(nl, &req.h, NULL, NULL);
}
