/* SPDX-License-Identifier: MIT */
/*
 * DHCPv4 wire format (RFC 2131, RFC 2132, RFC 3396, RFC 3442, RFC 3397):
 * parsing of received frames and building of the client's messages.
 * No I/O here; the client state machine is in dhcp_client.c.
 *
 * Every received byte is hostile until checked.  A message is only ever
 * read through the bounds-checked helpers below; options only through the
 * one iterator dhcp_opt_next() and the typed getters built on it.
 */
#ifndef NETINIT_DHCP_H
#define NETINIT_DHCP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <netinet/in.h>

#include "net.h"

/* RFC 2131 §2, figure 1: the fixed part of a BOOTP/DHCP message. */
#define DHCP_OFF_OP      0
#define DHCP_OFF_HTYPE   1
#define DHCP_OFF_HLEN    2
#define DHCP_OFF_XID     4
#define DHCP_OFF_SECS    8
#define DHCP_OFF_FLAGS   10
#define DHCP_OFF_CIADDR  12
#define DHCP_OFF_YIADDR  16
#define DHCP_OFF_SIADDR  20
#define DHCP_OFF_GIADDR  24
#define DHCP_OFF_CHADDR  28
#define DHCP_OFF_SNAME   44
#define DHCP_OFF_FILE    108
#define DHCP_OFF_MAGIC   236
#define DHCP_OFF_OPTIONS 240
#define DHCP_SNAME_LEN   64
#define DHCP_FILE_LEN    128
#define DHCP_MAGIC       0x63825363u  /* RFC 2131 §3, RFC 2132 §2 */

#define DHCP_SERVER_PORT 67
#define DHCP_CLIENT_PORT 68
#define DHCP_BOOTREQUEST 1
#define DHCP_BOOTREPLY   2

/* RFC 2132 option codes used here. */
enum {
	DHO_PAD = 0,
	DHO_SUBNET_MASK = 1,
	DHO_ROUTERS = 3,
	DHO_DNS = 6,
	DHO_LOG_SERVERS = 7,
	DHO_HOSTNAME = 12,
	DHO_DOMAIN = 15,
	DHO_ROOT_PATH = 17,
	DHO_MTU = 26,
	DHO_BROADCAST = 28,
	DHO_NTP = 42,
	DHO_REQUESTED_IP = 50,
	DHO_LEASE_TIME = 51,
	DHO_OVERLOAD = 52,
	DHO_MSG_TYPE = 53,
	DHO_SERVER_ID = 54,
	DHO_PARAM_REQ = 55,
	DHO_MESSAGE = 56,
	DHO_MAX_SIZE = 57,
	DHO_T1 = 58,
	DHO_T2 = 59,
	DHO_VENDOR_CLASS = 60,
	DHO_CLIENT_ID = 61,
	DHO_TFTP_SERVER = 66,
	DHO_BOOTFILE = 67,
	DHO_SEARCH = 119,
	DHO_CLASSLESS_ROUTES = 121,
	DHO_END = 255,
};

/* RFC 2132 §9.6 */
enum dhcp_msg_type {
	DHCPDISCOVER = 1,
	DHCPOFFER = 2,
	DHCPREQUEST = 3,
	DHCPDECLINE = 4,
	DHCPACK = 5,
	DHCPNAK = 6,
	DHCPRELEASE = 7,
	DHCPINFORM = 8,
};

/* A received DHCP message (the UDP payload); p is not aligned. */
struct dhcp_msg {
	const uint8_t *p;
	size_t len;
};

/* Unaligned-safe big-endian reads. */
static inline uint32_t dhcp_be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}
static inline uint16_t dhcp_be16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}
static inline struct in_addr dhcp_addr_at(const uint8_t *p)
{
	struct in_addr a;
	__builtin_memcpy(&a.s_addr, p, 4); /* already network order */
	return a;
}

/*
 * The option iterator: the options field, then (RFC 2131 §4.1, RFC 2132
 * §9.3) the file field and then the sname field when option 52 says they
 * are overloaded.  Pad is skipped, End closes a region.
 */
struct dhcp_opt_iter {
	struct dhcp_msg m;
	const uint8_t *cur, *end;
	int region;      /* 0 options, 1 file, 2 sname, 3 done */
	uint8_t overload;
};

void dhcp_opt_iter_init(struct dhcp_opt_iter *it, const struct dhcp_msg *m);
/* 1: *code, *data, *len set; 0: no more options; -EBADMSG: malformed
 * (length past the end, a trailing tag, bad/nested/repeated overload). */
int dhcp_opt_next(struct dhcp_opt_iter *it, uint8_t *code,
		  const uint8_t **data, uint8_t *len);
/* Walk the whole message once: 0 when well formed, else -EBADMSG. */
int dhcp_opt_check(const struct dhcp_msg *m);

/*
 * All instances of one option, concatenated (RFC 3396 §5).  Returns the
 * total length (0..size), -ENOENT when absent, -EMSGSIZE when it would not
 * fit into size, -EBADMSG when the message is malformed.
 */
int dhcp_opt_get(const struct dhcp_msg *m, uint8_t code, uint8_t *buf, size_t size);
/* Typed getters: exact lengths are enforced, -EBADMSG otherwise. */
int dhcp_opt_u8(const struct dhcp_msg *m, uint8_t code, uint8_t *out);
int dhcp_opt_u16(const struct dhcp_msg *m, uint8_t code, uint16_t *out);
int dhcp_opt_u32(const struct dhcp_msg *m, uint8_t code, uint32_t *out);
int dhcp_opt_addr(const struct dhcp_msg *m, uint8_t code, struct in_addr *out);
/* A list of addresses: length a non-zero multiple of 4; returns the count
 * stored (at most max; extra addresses are ignored). */
int dhcp_opt_addrs(const struct dhcp_msg *m, uint8_t code, struct in_addr *out, size_t max);
/* Text (RFC 2132 §2: not NUL terminated; trailing NULs sent by some
 * servers are dropped, an embedded NUL is -EBADMSG). */
int dhcp_opt_string(const struct dhcp_msg *m, uint8_t code, char *out, size_t size);

/* RFC 3442 option 121 payload -> routes.  Returns the count or -EBADMSG. */
int dhcp_parse_classless(const uint8_t *p, size_t len, struct net_route *out, size_t max);
/* RFC 3397 option 119 payload (RFC 1035 §4.1.4 names with compression)
 * -> names.  Returns the count or -EBADMSG. */
int dhcp_parse_search(const uint8_t *p, size_t len, char out[][NET_NAME_MAX], size_t max);

/*
 * Check a received IPv4 packet (from an AF_PACKET SOCK_DGRAM socket: no
 * link header): IP version, header length, total length, no fragment,
 * header checksum, UDP to port 68, UDP length and checksum (unless the
 * kernel says it is not computed yet: csum_unchecked), BOOTREPLY, Ethernet
 * hardware type and length, magic cookie.  On success *m points into pkt.
 * 0, or -EBADMSG / -EPROTO (not for us: ignore quietly).
 */
int dhcp_frame_parse(const uint8_t *pkt, size_t len, bool csum_unchecked,
		     struct dhcp_msg *m);

/* The message type (option 53), or -EBADMSG. */
int dhcp_msg_type(const struct dhcp_msg *m);
/* Is this a reply to us: xid and chaddr match. */
bool dhcp_msg_is_ours(const struct dhcp_msg *m, uint32_t xid, const uint8_t mac[6]);

/*
 * OFFER/ACK -> lease.  Checks yiaddr, server id, mask, routes, strings by
 * the rules of doc/network.md; bad optional values are dropped, and when
 * rejected is not NULL counted there with a log line naming the option.
 * ifname/mac/ifindex of *l are left as they are.  0 or -EBADMSG.
 */
int dhcp_lease_from_msg(const struct dhcp_msg *m, struct net_lease *l, int *rejected);
/* Offer carries what a diskless node boots from (root-path or next-server). */
bool dhcp_lease_has_boot_info(const struct net_lease *l);

/* ---- building the client's messages ---- */

struct dhcp_client_id {
	const uint8_t *mac;
	const char *vendor_class;  /* option 60; NULL = none */
	const char *hostname;      /* option 12; NULL = none */
};

/*
 * A complete IPv4+UDP+DHCP frame into buf (for AF_PACKET SOCK_DGRAM).
 * type: DISCOVER, REQUEST, DECLINE, RELEASE.  req: requested address
 * (option 50) or 0; server: server id (option 54) or 0; ciaddr for
 * renewing / release; secs since the start.  Returns the length or -ENOSPC.
 */
int dhcp_build(uint8_t *buf, size_t size, enum dhcp_msg_type type, uint32_t xid,
	       uint16_t secs, const struct dhcp_client_id *id, struct in_addr req,
	       struct in_addr server, struct in_addr ciaddr);

/* Internet checksum (RFC 1071) helpers, exported for the tests. */
uint16_t dhcp_ip_checksum(const void *data, size_t len);
uint16_t dhcp_udp_checksum(struct in_addr src, struct in_addr dst,
			   const uint8_t *udp, size_t len);

/* Address is a usable unicast host address (not 0/8, 127/8, multicast,
 * class E, limited broadcast). */
bool dhcp_addr_usable(struct in_addr a);

#endif
