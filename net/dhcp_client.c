/* SPDX-License-Identifier: MIT */
/*
 * The DHCPv4 client (RFC 2131 §4.4, figure 5), one state machine per link,
 * all links driven by one poll() loop: the first link that is bound wins,
 * so a machine with 16 NICs waits for the fastest server, not for 16
 * timeouts.
 *
 * Frames go through AF_PACKET sockets (no address is configured yet):
 * a BPF filter passes only unfragmented UDP to port 68, and every frame is
 * checked again by dhcp_frame_parse() and then matched on xid and chaddr.
 */
#include "dhcp_client.h"
#include "dhcp.h"
#include "netutil.h"
#include "rtnl.h"
#include "net_internal.h"
#include "log.h"

#include <arpa/inet.h>
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <linux/filter.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <sys/socket.h>

enum dstate {
	D_WAIT_CARRIER,
	D_INIT,
	D_REBOOTING,  /* INIT-REBOOT: REQUEST for a known address */
	D_SELECTING,
	D_REQUESTING,
	D_PROBING,    /* ARP check of the ACKed address */
	D_DECLINED,   /* waiting before a restart */
	D_BOUND,
	D_DEAD,       /* no carrier, or a socket error */
};

struct dlink {
	struct dhcp_ifspec spec;
	enum dstate st;
	uint32_t xid;
	unsigned attempt;
	int64_t start_ms, next_ms, select_end, probe_end, carrier_end;
	int probes;
	int naks;
	bool have_offer;
	struct net_lease offer;  /* the OFFER chosen, then the ACK */
};

/* One packet socket for DHCP and one for ARP serve all links (frames are
 * told apart by sll_ifindex): closing an AF_PACKET socket waits for an RCU
 * grace period, and 16 of them would cost more than the DHCP exchange. */
struct dctx {
	const struct dhcp_config *cfg;
	int fd, arp_fd;
	int ev_fd;    /* rtnetlink RTMGRP_LINK events, or -1 */
	struct dlink l[DHCP_MAX_LINKS];
	size_t n;
	struct dhcp_client_id id;
};

void dhcp_config_default(struct dhcp_config *c)
{
	memset(c, 0, sizeof(*c));
	c->timeout = DHCP_DEFAULT_TIMEOUT;
	c->cycles = DHCP_DEFAULT_CYCLES;
	c->carrier_timeout = DHCP_DEFAULT_CARRIER;
	c->arp_probe_ms = DHCP_ARP_PROBE_MS;
	c->select_window_ms = DHCP_SELECT_WINDOW_MS;
	c->vendor_class = "netinit";
}

int64_t dhcp_backoff_ms(unsigned attempt, uint32_t rnd)
{
	int64_t base = 4000;

	while (attempt-- > 0 && base < 64000)
		base *= 2;
	return base - 1000 + (int64_t)(rnd % 2001);
}

/* ---- sockets ---- */

/* Unfragmented IPv4 UDP to port 68 (offsets from the IP header). */
static const struct sock_filter dhcp_bpf[] = {
	BPF_STMT(BPF_LD | BPF_B | BPF_ABS, 9),
	BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, IPPROTO_UDP, 0, 5),
	BPF_STMT(BPF_LD | BPF_H | BPF_ABS, 6),
	BPF_JUMP(BPF_JMP | BPF_JSET | BPF_K, 0x1fff, 3, 0),
	BPF_STMT(BPF_LDX | BPF_B | BPF_MSH, 0),
	BPF_STMT(BPF_LD | BPF_H | BPF_IND, 2),
	BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, DHCP_CLIENT_PORT, 1, 0),
	BPF_STMT(BPF_RET | BPF_K, 0),
	BPF_STMT(BPF_RET | BPF_K, 0xffff),
};

static int packet_socket(int ifindex, uint16_t proto, bool filter)
{
	struct sockaddr_ll sa = { .sll_family = AF_PACKET, .sll_protocol = htons(proto),
				  .sll_ifindex = ifindex };
	struct sock_fprog prog = { sizeof(dhcp_bpf) / sizeof(dhcp_bpf[0]),
				   (struct sock_filter *)dhcp_bpf };
	int one = 1, fd, r;
	char drain[64];

	/* Protocol 0 until the filter is attached and the socket bound to
	 * its link: nothing from other links gets queued meanwhile. */
	fd = socket(AF_PACKET, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return -errno;
	if ((filter && setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, &prog, sizeof(prog)) < 0) ||
	    setsockopt(fd, SOL_PACKET, PACKET_AUXDATA, &one, sizeof(one)) < 0 ||
	    bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		r = -errno;
		close(fd);
		return r;
	}
	while (recv(fd, drain, sizeof(drain), 0) > 0)
		;
	return fd;
}

static int send_frame(int fd, int ifindex, uint16_t proto, const void *buf, size_t len)
{
	struct sockaddr_ll sa = { .sll_family = AF_PACKET, .sll_protocol = htons(proto),
				  .sll_ifindex = ifindex, .sll_halen = 6 };

	memset(sa.sll_addr, 0xff, 6);
	if (sendto(fd, buf, len, 0, (struct sockaddr *)&sa, sizeof(sa)) < 0)
		return -errno;
	return 0;
}

/* ---- messages ---- */

static uint16_t secs_since(const struct dlink *l)
{
	int64_t s = ((int64_t)now_ms() - l->start_ms) / 1000;

	return s > 0xffff ? 0xffff : (uint16_t)s;
}

static int send_msg(struct dctx *c, struct dlink *l, enum dhcp_msg_type type,
		    struct in_addr req, struct in_addr server)
{
	uint8_t frame[1500];
	struct in_addr none = { 0 };
	struct dhcp_client_id id = c->id;
	int len, r;
	static const char *const names[] = { "", "DISCOVER", "", "REQUEST", "DECLINE", "", "", "RELEASE" };

	id.mac = l->spec.mac;
	len = dhcp_build(frame, sizeof(frame), type, l->xid, secs_since(l), &id, req, server, none);
	if (len < 0)
		return len;
	r = send_frame(c->fd, l->spec.index, ETH_P_IP, frame, (size_t)len);
	if (r < 0)
		nl_warn(DHCP_STAGE, "%s: sending DHCP%s failed: %s", l->spec.name, names[type], strerror(-r));
	else
		nl_debug(DHCP_STAGE, "%s: DHCP%s xid 0x%08x", l->spec.name, names[type], l->xid);
	return r;
}

static void new_xid(struct dlink *l)
{
	uint32_t salt;

	memcpy(&salt, l->spec.mac + 2, 4);
	l->xid = random_u32(salt);
}

/* INIT: a new transaction, DISCOVER now (RFC 2131 §4.4.1). */
static void to_init(struct dctx *c, struct dlink *l, int64_t now)
{
	new_xid(l);
	l->attempt = 0;
	l->have_offer = false;
	l->start_ms = now;
	l->st = D_SELECTING;
	send_msg(c, l, DHCPDISCOVER, (struct in_addr){ 0 }, (struct in_addr){ 0 });
	l->next_ms = now + dhcp_backoff_ms(0, random_u32(l->xid));
	l->select_end = 0;
}

static void to_reboot(struct dctx *c, struct dlink *l, int64_t now)
{
	new_xid(l);
	l->attempt = 0;
	l->start_ms = now;
	l->st = D_REBOOTING;
	memset(&l->offer, 0, sizeof(l->offer));
	l->offer.addr = c->cfg->request;
	send_msg(c, l, DHCPREQUEST, c->cfg->request, (struct in_addr){ 0 });
	l->next_ms = now + dhcp_backoff_ms(0, random_u32(l->xid));
}

/* SELECTING -> REQUESTING with the chosen offer (RFC 2131 §4.4.1). */
static void to_requesting(struct dctx *c, struct dlink *l, int64_t now)
{
	char a[INET_ADDRSTRLEN], s[INET_ADDRSTRLEN];

	nl_debug(DHCP_STAGE, "%s: requesting %s from %s", l->spec.name,
		 net_ntoa(l->offer.addr, a), net_ntoa(l->offer.server_id, s));
	l->st = D_REQUESTING;
	l->attempt = 0;
	send_msg(c, l, DHCPREQUEST, l->offer.addr, l->offer.server_id);
	l->next_ms = now + dhcp_backoff_ms(0, random_u32(l->xid));
}

/* RFC 5227 §2.1.1: a probe has sender IP 0 and target the address;
 * §2.3: an announcement has both set to the address, so that neighbours
 * (the boot server) drop a stale MAC at once, e.g. after a NIC swap. */
static void arp_send(struct dctx *c, struct dlink *l, bool announce)
{
	uint8_t p[28];

	p[0] = 0; p[1] = 1;          /* Ethernet */
	p[2] = 0x08; p[3] = 0x00;    /* IPv4 */
	p[4] = 6; p[5] = 4;
	p[6] = 0; p[7] = 1;          /* request */
	memcpy(p + 8, l->spec.mac, 6);
	if (announce)
		memcpy(p + 14, &l->offer.addr.s_addr, 4);
	else
		memset(p + 14, 0, 4);
	memset(p + 18, 0, 6);
	memcpy(p + 24, &l->offer.addr.s_addr, 4);
	send_frame(c->arp_fd, l->spec.index, ETH_P_ARP, p, sizeof(p));
	l->probes++;
}

/* ACK received: check the address with ARP before using it (RFC 2131
 * §2.2 and §3.1 step 5, RFC 5227 probes with a boot-sized wait). */
static void to_probing(struct dctx *c, struct dlink *l, int64_t now)
{
	if (c->cfg->arp_probe_ms > 0 && c->arp_fd < 0)
		c->arp_fd = packet_socket(0, ETH_P_ARP, false);
	if (c->cfg->arp_probe_ms <= 0 || c->arp_fd < 0) {
		l->st = D_BOUND;
		return;
	}
	l->st = D_PROBING;
	l->probes = 0;
	l->probe_end = now + c->cfg->arp_probe_ms;
	arp_send(c, l, false);
	l->next_ms = now + c->cfg->arp_probe_ms / 2;
}

/* ---- events ---- */

static void on_timer(struct dctx *c, struct dlink *l, int64_t now)
{
	switch (l->st) {
	case D_SELECTING:
		if (l->have_offer && l->select_end && now >= l->select_end) {
			to_requesting(c, l, now);
			return;
		}
		if (now >= l->next_ms) { /* no offer yet: retransmit, §4.1 */
			l->attempt++;
			send_msg(c, l, DHCPDISCOVER, (struct in_addr){ 0 }, (struct in_addr){ 0 });
			l->next_ms = now + dhcp_backoff_ms(l->attempt, random_u32(l->xid + l->attempt));
		}
		return;
	case D_REQUESTING:
	case D_REBOOTING:
		/* RFC 2131 §4.4.1: no answer to REQUEST after retransmissions
		 * (here 3): back to INIT. */
		if (++l->attempt >= 3) {
			nl_info(DHCP_STAGE, "%s: no answer to DHCPREQUEST, starting over", l->spec.name);
			to_init(c, l, now);
			return;
		}
		if (l->st == D_REQUESTING)
			send_msg(c, l, DHCPREQUEST, l->offer.addr, l->offer.server_id);
		else
			send_msg(c, l, DHCPREQUEST, l->offer.addr, (struct in_addr){ 0 });
		l->next_ms = now + dhcp_backoff_ms(l->attempt, random_u32(l->xid + l->attempt));
		return;
	case D_PROBING:
		if (now >= l->probe_end) {
			arp_send(c, l, true);
			l->st = D_BOUND;
			return;
		}
		arp_send(c, l, false);
		l->next_ms = l->probe_end;
		return;
	case D_DECLINED:
		to_init(c, l, now);
		return;
	default:
		return;
	}
}

static void log_lease(const struct dlink *l, const char *what)
{
	char a[INET_ADDRSTRLEN], s[INET_ADDRSTRLEN];

	nl_debug(DHCP_STAGE, "%s: %s %s/%u from %s%s", l->spec.name, what,
		 net_ntoa(l->offer.addr, a), l->offer.prefix, net_ntoa(l->offer.server_id, s),
		 dhcp_lease_has_boot_info(&l->offer) ? " (with boot info)" : "");
}

static int offer_score(const struct net_lease *l)
{
	if (l->root_path[0])
		return 2;
	return l->siaddr.s_addr || l->bootfile[0] ? 1 : 0;
}

static void on_offer(struct dctx *c, struct dlink *l, const struct dhcp_msg *m, int64_t now)
{
	struct net_lease tmp;
	int r;

	memset(&tmp, 0, sizeof(tmp));
	r = dhcp_lease_from_msg(m, &tmp, NULL);
	if (r < 0) {
		nl_debug(DHCP_STAGE, "%s: ignoring an invalid OFFER", l->spec.name);
		return;
	}
	/* Prefer an offer that says what to boot (issue 3): one with a
	 * root-path is taken at once; otherwise keep the best so far (next-
	 * server/bootfile beat nothing, the earlier wins a tie) and wait a
	 * short window for a better one. */
	if (!l->have_offer || offer_score(&tmp) > offer_score(&l->offer)) {
		l->offer = tmp;
		l->have_offer = true;
		log_lease(l, "offer");
	}
	if (offer_score(&l->offer) >= 2 || c->cfg->select_window_ms <= 0) {
		to_requesting(c, l, now);
		return;
	}
	if (!l->select_end) {
		l->select_end = now + c->cfg->select_window_ms;
		l->next_ms = l->select_end;
	}
}

static void on_ack(struct dctx *c, struct dlink *l, const struct dhcp_msg *m, int64_t now)
{
	struct net_lease tmp;
	char a[INET_ADDRSTRLEN];
	int rejected = 0;

	memset(&tmp, 0, sizeof(tmp));
	if (dhcp_lease_from_msg(m, &tmp, NULL) < 0) {
		nl_warn(DHCP_STAGE, "%s: ignoring an invalid DHCPACK", l->spec.name);
		return;
	}
	if (tmp.addr.s_addr != l->offer.addr.s_addr ||
	    (l->st == D_REQUESTING && tmp.server_id.s_addr != l->offer.server_id.s_addr)) {
		nl_warn(DHCP_STAGE, "%s: ignoring a DHCPACK for %s that does not match the request",
			l->spec.name, net_ntoa(tmp.addr, a));
		return;
	}
	/* The ACK is authoritative.  Parsed again, now logging every value
	 * that was refused (the OFFER was read quietly). */
	dhcp_lease_from_msg(m, &tmp, &rejected);
	l->offer = tmp;
	l->offer.obtained = (double)now / 1000.0;
	log_lease(l, "ack");
	to_probing(c, l, now);
}

static void on_nak(struct dctx *c, struct dlink *l, const struct dhcp_msg *m, int64_t now)
{
	struct in_addr sid = { 0 };
	char msg[300] = "", esc[400], s[INET_ADDRSTRLEN];

	dhcp_opt_addr(m, DHO_SERVER_ID, &sid);
	if (l->st == D_REQUESTING && sid.s_addr && sid.s_addr != l->offer.server_id.s_addr)
		return; /* from a server we did not ask */
	if (dhcp_opt_string(m, DHO_MESSAGE, msg, sizeof(msg)) < 0)
		msg[0] = '\0';
	nl_info(DHCP_STAGE, "%s: DHCPNAK from %s%s%s, restarting from INIT", l->spec.name,
		net_ntoa(sid, s), msg[0] ? ": " : "", msg[0] ? net_escape(msg, strlen(msg), esc, sizeof(esc)) : "");
	/* RFC 2131 §3.1 step 5 / §3.2 step 4: restart.  Repeated NAKs are
	 * spaced out so that a hostile server cannot make us flood. */
	if (++l->naks > 2) {
		l->st = D_DECLINED;
		l->next_ms = now + 2000;
		return;
	}
	to_init(c, l, now);
}

static struct dlink *link_by_index(struct dctx *c, int index)
{
	size_t i;

	for (i = 0; i < c->n; i++)
		if (c->l[i].spec.index == index)
			return &c->l[i];
	return NULL;
}

/* One received frame for the link with this index (checked here). */
static void client_frame(struct dctx *c, int ifindex, const uint8_t *buf, size_t n,
			 bool unchecked, int64_t now)
{
	struct dlink *l = link_by_index(c, ifindex);
	struct dhcp_msg m;
	int type;

	if (!l)
		return; /* a link we do not run DHCP on */
	if (dhcp_frame_parse(buf, n, unchecked, &m) < 0)
		return;
	if (!dhcp_msg_is_ours(&m, l->xid, l->spec.mac))
		return;
	type = dhcp_msg_type(&m);
	if (type < 0)
		return;
	switch (l->st) {
	case D_SELECTING:
		if (type == DHCPOFFER)
			on_offer(c, l, &m, now);
		break;
	case D_REQUESTING:
	case D_REBOOTING:
		if (type == DHCPACK)
			on_ack(c, l, &m, now);
		else if (type == DHCPNAK)
			on_nak(c, l, &m, now);
		break;
	default:
		break;
	}
}

/* One frame from the DHCP socket.  Returns false when the queue is empty. */
static bool on_packet(struct dctx *c, int64_t now)
{
	uint8_t buf[2048];
	char cbuf[CMSG_SPACE(sizeof(struct tpacket_auxdata))];
	struct sockaddr_ll from;
	struct iovec iov = { buf, sizeof(buf) };
	struct msghdr mh = { .msg_name = &from, .msg_namelen = sizeof(from), .msg_iov = &iov,
			     .msg_iovlen = 1, .msg_control = cbuf, .msg_controllen = sizeof(cbuf) };
	struct cmsghdr *cm;
	bool unchecked = false;
	ssize_t n;

	n = recvmsg(c->fd, &mh, MSG_DONTWAIT);
	if (n < 0)
		return errno == EINTR;
	if ((mh.msg_flags & MSG_TRUNC) || from.sll_pkttype == PACKET_OUTGOING)
		return true;
	for (cm = CMSG_FIRSTHDR(&mh); cm; cm = CMSG_NXTHDR(&mh, cm)) {
		if (cm->cmsg_level == SOL_PACKET && cm->cmsg_type == PACKET_AUXDATA) {
			struct tpacket_auxdata aux;

			memcpy(&aux, CMSG_DATA(cm), sizeof(aux));
			unchecked = (aux.tp_status & TP_STATUS_CSUMNOTREADY) != 0;
		}
	}
	client_frame(c, from.sll_ifindex, buf, (size_t)n, unchecked, now);
	return true;
}

/* One ARP packet seen on a link: a conflict with an address we probe? */
static void client_arp(struct dctx *c, int ifindex, const uint8_t *p, size_t n, int64_t now)
{
	struct dlink *l = link_by_index(c, ifindex);
	char a[INET_ADDRSTRLEN], mac[24];
	bool conflict;

	if (n < 28 || !l || l->st != D_PROBING)
		return;
	if (p[0] != 0 || p[1] != 1 || p[2] != 8 || p[3] != 0 || p[4] != 6 || p[5] != 4)
		return;
	if (memcmp(p + 8, l->spec.mac, 6) == 0)
		return; /* our own probe */
	/* RFC 5227 §2.1.1: someone uses the address (sender IP = ours), or
	 * probes for it at the same time (sender 0, target = ours). */
	conflict = memcmp(p + 14, &l->offer.addr.s_addr, 4) == 0 ||
		   (p[7] == 1 && dhcp_be32(p + 14) == 0 && memcmp(p + 24, &l->offer.addr.s_addr, 4) == 0);
	if (!conflict)
		return;
	mac_format(p + 8, ':', mac);
	nl_warn(DHCP_STAGE, "%s: %s is already in use by %s: sending DHCPDECLINE, retrying in %d s",
		l->spec.name, net_ntoa(l->offer.addr, a), mac, DHCP_DECLINE_WAIT_MS / 1000);
	send_msg(c, l, DHCPDECLINE, l->offer.addr, l->offer.server_id);
	l->st = D_DECLINED;
	l->next_ms = now + DHCP_DECLINE_WAIT_MS;
}

static bool on_arp(struct dctx *c, int64_t now)
{
	uint8_t p[64];
	struct sockaddr_ll from;
	socklen_t fl = sizeof(from);
	ssize_t n = recvfrom(c->arp_fd, p, sizeof(p), MSG_DONTWAIT, (struct sockaddr *)&from, &fl);

	if (n < 0)
		return errno == EINTR;
	if (from.sll_pkttype != PACKET_OUTGOING)
		client_arp(c, from.sll_ifindex, p, (size_t)n, now);
	return true;
}

/* ---- the loop ---- */

/* Link notifications (RTMGRP_LINK), so carrier is seen when it comes. */
static int link_events_socket(void)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK, .nl_groups = RTMGRP_LINK };
	int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC | SOCK_NONBLOCK, NETLINK_ROUTE);

	if (fd < 0)
		return -1;
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

static void link_start(struct dctx *c, struct dlink *l, int64_t now)
{
	if (c->cfg->request.s_addr)
		to_reboot(c, l, now);
	else
		to_init(c, l, now);
}

/* Links waiting for carrier: start those that have it, drop those past
 * the carrier timeout. */
/* Links that appeared since the start (see dhcp_config.late_links). */
static void add_late_links(struct dctx *c, struct rtnl *nl, int64_t now)
{
	struct rtnl_link links[64];
	int n, i;
	size_t k;

	if (nl->fd < 0 || (n = rtnl_links(nl, links, 64)) < 0)
		return;
	for (i = 0; i < n && c->n < DHCP_MAX_LINKS; i++) {
		struct dlink *l;

		if (!net_link_wanted(c->cfg->late_links, &links[i]))
			continue;
		for (k = 0; k < c->n; k++)
			if (c->l[k].spec.index == links[i].index)
				break;
		if (k < c->n)
			continue;
		l = &c->l[c->n++];
		memset(l, 0, sizeof(*l));
		snprintf(l->spec.name, sizeof(l->spec.name), "%s", links[i].name);
		l->spec.index = links[i].index;
		memcpy(l->spec.mac, links[i].mac, 6);
		l->st = D_WAIT_CARRIER;
		l->carrier_end = now + (int64_t)c->cfg->carrier_timeout * 1000;
		rtnl_link_up(nl, l->spec.index);
		nl_info(DHCP_STAGE, "%s: appeared, adding it", l->spec.name);
	}
}

static void poll_carrier(struct dctx *c, struct rtnl *nl, int64_t now)
{
	size_t i;

	for (i = 0; i < c->n; i++) {
		struct dlink *l = &c->l[i];
		struct rtnl_link li;

		if (l->st != D_WAIT_CARRIER)
			continue;
		if (nl->fd < 0 || rtnl_link_get(nl, l->spec.index, &li) < 0 || li.carrier != 0) {
			nl_debug(DHCP_STAGE, "%s: carrier, starting DHCP", l->spec.name);
			link_start(c, l, now);
		} else if (now >= l->carrier_end) {
			nl_warn(DHCP_STAGE, "%s: no carrier after %d s (rd.net.timeout.carrier), not used",
				l->spec.name, c->cfg->carrier_timeout);
			l->st = D_DEAD;
		}
	}
}

static void close_all(struct dctx *c)
{
	if (c->fd >= 0)
		close(c->fd);
	if (c->arp_fd >= 0)
		close(c->arp_fd);
	if (c->ev_fd >= 0)
		close(c->ev_fd);
	c->fd = c->arp_fd = c->ev_fd = -1;
}

/* Where the links stand after their timers ran. */
struct loop_turn {
	int64_t wake;            /* the next timer */
	size_t waiting, alive;   /* links waiting for carrier / not dead */
};

/* Run the links' timers; true (and *out filled) when one is bound. */
static bool run_timers(struct dctx *c, int64_t now, struct loop_turn *t, struct net_lease *out)
{
	for (size_t i = 0; i < c->n; i++) {
		struct dlink *l = &c->l[i];

		if (l->st == D_BOUND) {
			*out = l->offer;
			memcpy(out->ifname, l->spec.name, sizeof(out->ifname));
			out->ifindex = l->spec.index;
			memcpy(out->mac, l->spec.mac, 6);
			return true;
		}
		if (l->st == D_DEAD)
			continue;
		t->alive++;
		if (l->st == D_WAIT_CARRIER) {
			t->waiting++;
			continue;
		}
		if (now >= l->next_ms)
			on_timer(c, l, now);
		if (l->st == D_BOUND) { /* probing finished: report next turn */
			t->wake = now;
			continue;
		}
		if (l->next_ms < t->wake)
			t->wake = l->next_ms;
	}
	return false;
}

/* The sockets to wait on: DHCP always, ARP probes and link events when open. */
struct loop_fds {
	struct pollfd pfd[3];
	nfds_t n;
	int arp_i, ev_i;
};

static void loop_fds(const struct dctx *c, struct loop_fds *f)
{
	f->n = 0;
	f->arp_i = f->ev_i = -1;
	f->pfd[f->n].fd = c->fd;
	f->pfd[f->n++].events = POLLIN;
	if (c->arp_fd >= 0) {
		f->arp_i = (int)f->n;
		f->pfd[f->n].fd = c->arp_fd;
		f->pfd[f->n++].events = POLLIN;
	}
	if (c->ev_fd >= 0) { /* link events: carrier, new links */
		f->ev_i = (int)f->n;
		f->pfd[f->n].fd = c->ev_fd;
		f->pfd[f->n++].events = POLLIN;
	}
}

/* Drain what is queued (bounded: a flood cannot starve the timers).
 * Returns true when link events arrived. */
static bool loop_read(struct dctx *c, const struct loop_fds *f, int64_t now)
{
	const short ready = POLLIN | POLLERR;
	bool events = false;

	if (f->pfd[0].revents & ready)
		for (int k = 0; k < 64 && on_packet(c, now); k++)
			;
	if (f->arp_i >= 0 && (f->pfd[f->arp_i].revents & ready))
		for (int k = 0; k < 64 && on_arp(c, now); k++)
			;
	if (f->ev_i >= 0 && (f->pfd[f->ev_i].revents & ready)) {
		char drain[4096];

		/* The content does not matter: carrier and links are read
		 * again at the top of the loop. */
		while (recv(c->ev_fd, drain, sizeof(drain), MSG_DONTWAIT) > 0)
			;
		events = true;
	}
	return events;
}

/* rd.net.dhcp.retry: start the links over for another cycle. */
static void next_cycle(struct dctx *c, int64_t now, int cycle)
{
	nl_info(DHCP_STAGE, "no lease after %d s, cycle %d of %d (rd.net.dhcp.retry)",
		c->cfg->timeout, cycle, c->cfg->cycles);
	for (size_t i = 0; i < c->n; i++)
		if (c->l[i].st != D_DEAD && c->l[i].st != D_WAIT_CARRIER)
			to_init(c, &c->l[i], now);
}

static int run_loop(struct dctx *c, struct rtnl *nl, struct net_lease *out)
{
	const struct dhcp_config *cfg = c->cfg;
	int64_t now = (int64_t)now_ms();
	int64_t cycle_end = now + (int64_t)cfg->timeout * 1000;
	int64_t next_scan = now + 250;
	int cycle = 1;

	for (size_t i = 0; i < c->n; i++)
		c->l[i].carrier_end = now + (int64_t)cfg->carrier_timeout * 1000;
	for (;;) {
		struct loop_turn t = { .wake = cycle_end };
		struct loop_fds f;
		int r;

		now = (int64_t)now_ms();
		if (cfg->late_links && now >= next_scan) {
			add_late_links(c, nl, now);
			next_scan = now + 250;
		}
		poll_carrier(c, nl, now);
		if (run_timers(c, now, &t, out))
			return 0;
		if (t.alive == 0)
			return -ENOLINK;
		if (now >= cycle_end) {
			if (cycle >= cfg->cycles)
				return t.waiting == t.alive ? -ENOLINK : -ETIMEDOUT;
			next_cycle(c, now, ++cycle);
			cycle_end = now + (int64_t)cfg->timeout * 1000;
			continue;
		}
		/* Carrier changes wake us through ev_fd; polling is the fallback. */
		if (t.waiting && t.wake > now + (c->ev_fd >= 0 ? 250 : 50))
			t.wake = now + (c->ev_fd >= 0 ? 250 : 50);
		if (cfg->late_links && t.wake > next_scan)
			t.wake = next_scan;
		loop_fds(c, &f);
		r = poll(f.pfd, f.n, (int)(t.wake > now ? t.wake - now : 0));
		if (r < 0 && errno != EINTR)
			return -errno;
		if (r > 0 && loop_read(c, &f, (int64_t)now_ms()) && cfg->late_links)
			next_scan = (int64_t)now_ms();
	}
}

int dhcp_run(const struct dhcp_ifspec *ifs, size_t n, const struct dhcp_config *cfg,
	     struct net_lease *out)
{
	static struct dctx c; /* large: not on PID 1's stack */
	struct rtnl nl;
	size_t i;
	int r;

	if (n == 0)
		return -ENODEV;
	if (n > DHCP_MAX_LINKS)
		n = DHCP_MAX_LINKS;
	memset(&c, 0, sizeof(c));
	c.cfg = cfg;
	c.n = n;
	c.id.vendor_class = cfg->vendor_class;
	c.id.hostname = cfg->hostname;
	for (i = 0; i < n; i++) {
		c.l[i].spec = ifs[i];
		c.l[i].st = D_WAIT_CARRIER;
	}
	c.arp_fd = -1;
	c.ev_fd = link_events_socket();
	c.fd = packet_socket(0, ETH_P_IP, true);
	if (c.fd < 0) {
		r = c.fd;
		nl_err(DHCP_STAGE, "cannot open a packet socket: %s", strerror(-r));
		c.fd = -1;
		close_all(&c);
		return r;
	}
	if (rtnl_open(&nl) < 0)
		nl.fd = -1; /* carrier unknown: start at once */
	r = run_loop(&c, &nl, out);
	rtnl_close(&nl);
	close_all(&c);
	if (r == 0) {
		char a[INET_ADDRSTRLEN], s[INET_ADDRSTRLEN], t[16];

		if (out->lease_time == NET_LEASE_INFINITE)
			strcpy(t, "infinite");
		else
			snprintf(t, sizeof(t), "%u s", out->lease_time);
		nl_info(DHCP_STAGE, "%s: lease %s/%u from %s, %s", out->ifname,
			net_ntoa(out->addr, a), out->prefix, net_ntoa(out->server_id, s), t);
	}
	return r;
}
