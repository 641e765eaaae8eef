/* SPDX-License-Identifier: MIT */
/*
 * DHCP packets: checking received IPv4/UDP frames, reading a lease out of
 * an OFFER/ACK, building DISCOVER/REQUEST/DECLINE/RELEASE frames.
 */
#include "dhcp.h"
#include "netutil.h"
#include "log.h"

#include <arpa/inet.h>
#include <errno.h>
#include <string.h>

#define IP_HDR_LEN 20
#define UDP_HDR_LEN 8

static uint32_t csum_add(uint32_t sum, const uint8_t *p, size_t len)
{
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)p[i] << 8 | p[i + 1];
	if (len & 1)
		sum += (uint32_t)p[len - 1] << 8;
	return sum;
}

static uint16_t csum_fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

/* RFC 1071; result in host order, store with htons(). */
uint16_t dhcp_ip_checksum(const void *data, size_t len)
{
	return csum_fold(csum_add(0, data, len));
}

/* RFC 768: over the pseudo header, the UDP header and the data. */
uint16_t dhcp_udp_checksum(struct in_addr src, struct in_addr dst,
			   const uint8_t *udp, size_t len)
{
	uint8_t ph[12];

	memcpy(ph, &src.s_addr, 4);
	memcpy(ph + 4, &dst.s_addr, 4);
	ph[8] = 0;
	ph[9] = IPPROTO_UDP;
	ph[10] = (uint8_t)(len >> 8);
	ph[11] = (uint8_t)len;
	return csum_fold(csum_add(csum_add(0, ph, sizeof(ph)), udp, len));
}

bool dhcp_addr_usable(struct in_addr a)
{
	uint32_t h = ntohl(a.s_addr);

	if ((h >> 24) == 0 || (h >> 24) == 127)
		return false;
	if ((h & 0xf0000000u) == 0xe0000000u || (h & 0xf0000000u) == 0xf0000000u)
		return false; /* multicast, class E, 255.255.255.255 */
	return true;
}

int dhcp_frame_parse(const uint8_t *pkt, size_t len, bool csum_unchecked,
		     struct dhcp_msg *m)
{
	size_t ihl, tot, ulen;
	const uint8_t *udp;
	uint16_t sum;

	if (len < IP_HDR_LEN || (pkt[0] >> 4) != 4)
		return -EPROTO;
	ihl = (size_t)(pkt[0] & 0x0f) * 4;
	if (ihl < IP_HDR_LEN || ihl > len)
		return -EBADMSG;
	tot = dhcp_be16(pkt + 2);
	if (tot < ihl + UDP_HDR_LEN || tot > len)
		return -EBADMSG;
	len = tot; /* ignore link-layer padding */
	if (pkt[9] != IPPROTO_UDP)
		return -EPROTO;
	if (dhcp_be16(pkt + 6) & 0x3fff)
		return -EPROTO; /* a fragment (MF or offset): not reassembled here */
	if (dhcp_ip_checksum(pkt, ihl) != 0)
		return -EBADMSG;
	udp = pkt + ihl;
	if (dhcp_be16(udp + 2) != DHCP_CLIENT_PORT)
		return -EPROTO;
	ulen = dhcp_be16(udp + 4);
	if (ulen < UDP_HDR_LEN || ulen > len - ihl)
		return -EBADMSG;
	sum = dhcp_be16(udp + 6);
	/* A zero UDP checksum means "none" (RFC 768).  The kernel marks frames
	 * whose checksum is left to the hardware (veth, offload): those were
	 * never on a wire and carry only a partial sum. */
	if (sum != 0 && !csum_unchecked) {
		struct in_addr s = dhcp_addr_at(pkt + 12), d = dhcp_addr_at(pkt + 16);

		if (dhcp_udp_checksum(s, d, udp, ulen) != 0)
			return -EBADMSG;
	}
	m->p = udp + UDP_HDR_LEN;
	m->len = ulen - UDP_HDR_LEN;
	if (m->len < DHCP_OFF_OPTIONS)
		return -EBADMSG;
	if (m->p[DHCP_OFF_OP] != DHCP_BOOTREPLY)
		return -EPROTO;
	if (m->p[DHCP_OFF_HTYPE] != 1 || m->p[DHCP_OFF_HLEN] != 6)
		return -EPROTO;
	if (dhcp_be32(m->p + DHCP_OFF_MAGIC) != DHCP_MAGIC)
		return -EBADMSG; /* a BOOTP reply or garbage */
	return 0;
}

int dhcp_msg_type(const struct dhcp_msg *m)
{
	uint8_t t;
	int r = dhcp_opt_u8(m, DHO_MSG_TYPE, &t);

	if (r < 0)
		return -EBADMSG;
	if (t < DHCPDISCOVER || t > DHCPINFORM)
		return -EBADMSG;
	return t;
}

bool dhcp_msg_is_ours(const struct dhcp_msg *m, uint32_t xid, const uint8_t mac[6])
{
	return m->len >= DHCP_OFF_OPTIONS && dhcp_be32(m->p + DHCP_OFF_XID) == xid &&
	       memcmp(m->p + DHCP_OFF_CHADDR, mac, 6) == 0;
}

bool dhcp_lease_has_boot_info(const struct net_lease *l)
{
	return l->root_path[0] || l->siaddr.s_addr != 0;
}

static void reject(int *rejected, const char *what, const void *val, size_t len)
{
	char esc[400];

	if (!rejected)
		return; /* quiet: the caller only looks */
	(*rejected)++;
	nl_warn(DHCP_STAGE, "ignoring %s from the server: \"%s\" is not valid (see doc/network.md)",
		what, net_escape(val, len, esc, sizeof(esc)));
}

/* A string option, validated; absent is fine, invalid is dropped. */
static void lease_string(const struct dhcp_msg *m, uint8_t code, const char *what,
			 bool (*valid)(const char *), char *out, size_t size, int *rejected)
{
	char buf[1024];
	uint8_t raw[1024];
	int r = dhcp_opt_string(m, code, buf, sizeof(buf));

	if (r == -ENOENT)
		return;
	if (r >= 0 && (size_t)r < size) {
		/* One trailing dot of a fully qualified name is not part of it. */
		if (valid == net_domain_valid && r > 1 && buf[r - 1] == '.')
			buf[r - 1] = '\0';
		if (valid(buf)) {
			strcpy(out, buf);
			return;
		}
	}
	r = dhcp_opt_get(m, code, raw, sizeof(raw));
	reject(rejected, what, raw, r > 0 ? (size_t)r : 0);
}

/* A fixed BOOTP field (sname, file): NUL terminated inside the field. */
static void lease_field(const struct dhcp_msg *m, size_t off, size_t flen, const char *what,
			bool (*valid)(const char *), char *out, size_t size, int *rejected)
{
	const uint8_t *f = m->p + off;
	const uint8_t *nul = memchr(f, 0, flen);
	size_t n = nul ? (size_t)(nul - f) : flen;
	char buf[DHCP_FILE_LEN + 1];

	if (n == 0)
		return;
	memcpy(buf, f, n);
	buf[n] = '\0';
	if (!nul || n >= size || !valid(buf)) {
		reject(rejected, what, f, n);
		return;
	}
	strcpy(out, buf);
}

static size_t lease_addrs(const struct dhcp_msg *m, uint8_t code, const char *what,
			  struct in_addr *out, size_t max, int *rejected)
{
	struct in_addr tmp[64];
	size_t i, n = 0;
	int r = dhcp_opt_addrs(m, code, tmp, 64);

	if (r == -ENOENT)
		return 0;
	if (r < 0) {
		reject(rejected, what, "(bad length)", 12);
		return 0;
	}
	for (i = 0; i < (size_t)r && n < max; i++) {
		if (dhcp_addr_usable(tmp[i]))
			out[n++] = tmp[i];
	}
	return n;
}

static void lease_routes(const struct dhcp_msg *m, struct net_lease *l, int *rejected)
{
	uint8_t buf[1024];
	int r = dhcp_opt_get(m, DHO_CLASSLESS_ROUTES, buf, sizeof(buf));
	struct in_addr routers[8];
	size_t nr, i;

	if (r != -ENOENT) {
		int n = r >= 0 ? dhcp_parse_classless(buf, (size_t)r, l->routes, NET_MAX_ROUTES) : r;

		if (n > 0) {
			/* RFC 3442 §3: with option 121 the client MUST ignore option 3. */
			l->nroutes = (size_t)n;
			l->classless = true;
			for (i = 0; i < l->nroutes; i++) {
				if (l->routes[i].prefix == 0 && !l->router.s_addr)
					l->router = l->routes[i].gw;
			}
			return;
		}
		reject(rejected, "option 121 (classless routes)", "(malformed)", 11);
	}
	nr = lease_addrs(m, DHO_ROUTERS, "option 3 (routers)", routers, 8, rejected);
	if (nr > 0) {
		l->router = routers[0];
		l->routes[0].dst.s_addr = 0;
		l->routes[0].prefix = 0;
		l->routes[0].gw = routers[0];
		l->nroutes = 1;
	}
}

/* Options 1 and 28: the prefix (classful when absent) and the broadcast address. */
static void lease_subnet(const struct dhcp_msg *m, struct net_lease *l, int *rejected)
{
	struct in_addr mask, tmp;
	int r = dhcp_opt_addr(m, DHO_SUBNET_MASK, &mask);
	int prefix = r == 0 ? net_mask_to_prefix(mask) : -1;

	if (r == 0 && (prefix < 1 || prefix > 32)) {
		reject(rejected, "option 1 (subnet mask)", "(not contiguous)", 16);
		prefix = -1;
	} else if (r != -ENOENT && r < 0) {
		reject(rejected, "option 1 (subnet mask)", "(bad length)", 12);
	}
	l->prefix = prefix > 0 ? (uint8_t)prefix : (uint8_t)net_classful_prefix(l->addr);
	mask = net_prefix_to_mask(l->prefix);
	l->broadcast.s_addr = l->addr.s_addr | ~mask.s_addr;
	if (dhcp_opt_addr(m, DHO_BROADCAST, &tmp) == 0) {
		/* Only a broadcast address that belongs to our subnet. */
		if ((tmp.s_addr & mask.s_addr) == (l->addr.s_addr & mask.s_addr))
			l->broadcast = tmp;
		else
			reject(rejected, "option 28 (broadcast)", "(outside the subnet)", 20);
	}
}

/* Options 26, 51, 58, 59: MTU, lease time and the renewal times. */
static void lease_times(const struct dhcp_msg *m, struct net_lease *l, int *rejected)
{
	uint32_t u32;
	uint16_t u16;
	/* RFC 2132 §5.1: the minimum legal MTU is 68. */
	int r = dhcp_opt_u16(m, DHO_MTU, &u16);

	if (r == 0 && u16 >= 68)
		l->mtu = u16;
	else if (r != -ENOENT)
		reject(rejected, "option 26 (MTU)", "(bad length or below 68)", 24);

	l->lease_time = NET_LEASE_INFINITE;
	r = dhcp_opt_u32(m, DHO_LEASE_TIME, &u32);
	if (r == 0 && u32 > 0)
		l->lease_time = u32;
	else if (r != -ENOENT)
		reject(rejected, "option 51 (lease time)", "(bad length or zero)", 20);
	/* RFC 2131 §4.4.5: T1 = 0.5, T2 = 0.875 of the lease by default. */
	l->t1 = l->lease_time == NET_LEASE_INFINITE ? NET_LEASE_INFINITE : l->lease_time / 2;
	l->t2 = l->lease_time == NET_LEASE_INFINITE ? NET_LEASE_INFINITE
						    : (uint32_t)((uint64_t)l->lease_time * 7 / 8);
	if (dhcp_opt_u32(m, DHO_T1, &u32) == 0 && u32 <= l->lease_time)
		l->t1 = u32;
	if (dhcp_opt_u32(m, DHO_T2, &u32) == 0 && u32 <= l->lease_time && u32 >= l->t1)
		l->t2 = u32;
}

/* Options 12, 15, 17, 67, 66: names and paths, each validated. */
static void lease_names(const struct dhcp_msg *m, struct net_lease *l, int *rejected)
{
	lease_string(m, DHO_HOSTNAME, "option 12 (host name)", net_domain_valid,
		     l->hostname, sizeof(l->hostname), rejected);
	lease_string(m, DHO_DOMAIN, "option 15 (domain)", net_domain_valid,
		     l->domain, sizeof(l->domain), rejected);
	lease_string(m, DHO_ROOT_PATH, "option 17 (root-path)", net_path_valid,
		     l->root_path, sizeof(l->root_path), rejected);
	lease_string(m, DHO_BOOTFILE, "option 67 (bootfile)", net_path_valid,
		     l->bootfile, sizeof(l->bootfile), rejected);
	lease_string(m, DHO_TFTP_SERVER, "option 66 (TFTP server)", net_domain_valid,
		     l->tftp_server, sizeof(l->tftp_server), rejected);
}

/* Option 119 (RFC 3397), else the domain of option 15. */
static void lease_search(const struct dhcp_msg *m, struct net_lease *l, int *rejected)
{
	uint8_t buf[1024];
	int r = dhcp_opt_get(m, DHO_SEARCH, buf, sizeof(buf));

	if (r > 0) {
		char names[NET_MAX_SEARCH][NET_NAME_MAX];
		int n = dhcp_parse_search(buf, (size_t)r, names, NET_MAX_SEARCH);

		if (n < 0)
			reject(rejected, "option 119 (domain search)", "(malformed)", 11);
		for (int i = 0; i < n; i++) {
			if (net_domain_valid(names[i]))
				strcpy(l->search[l->nsearch++], names[i]);
			else
				reject(rejected, "option 119 (domain search)", names[i], strlen(names[i]));
		}
	} else if (r != -ENOENT) {
		reject(rejected, "option 119 (domain search)", "(malformed)", 11);
	}
	if (l->nsearch == 0 && l->domain[0])
		strcpy(l->search[l->nsearch++], l->domain);
}

/* BOOTP fields siaddr, file and sname, unless option 52 made them carry options. */
static void lease_bootp(const struct dhcp_msg *m, struct net_lease *l, int *rejected)
{
	uint8_t ov = 0;

	dhcp_opt_u8(m, DHO_OVERLOAD, &ov);
	l->siaddr = dhcp_addr_at(m->p + DHCP_OFF_SIADDR);
	if (!dhcp_addr_usable(l->siaddr))
		l->siaddr.s_addr = 0;
	if (!(ov & 1) && !l->bootfile[0])
		lease_field(m, DHCP_OFF_FILE, DHCP_FILE_LEN, "file field (bootfile)",
			    net_path_valid, l->bootfile, sizeof(l->bootfile), rejected);
	if (!(ov & 2) && !l->tftp_server[0])
		lease_field(m, DHCP_OFF_SNAME, DHCP_SNAME_LEN, "sname field (server name)",
			    net_domain_valid, l->tftp_server, sizeof(l->tftp_server), rejected);
}

int dhcp_lease_from_msg(const struct dhcp_msg *m, struct net_lease *l, int *rejected)
{
	int r = dhcp_opt_check(m);

	if (r < 0)
		return r;
	memset(&l->addr, 0, sizeof(*l) - offsetof(struct net_lease, addr));
	l->source = NET_SOURCE_DHCP;
	l->addr = dhcp_addr_at(m->p + DHCP_OFF_YIADDR);
	if (!dhcp_addr_usable(l->addr))
		return -EBADMSG;
	/* RFC 2131 §4.3.1: OFFER and ACK MUST carry the server identifier. */
	if (dhcp_opt_addr(m, DHO_SERVER_ID, &l->server_id) < 0 || !l->server_id.s_addr)
		return -EBADMSG;
	lease_subnet(m, l, rejected);
	lease_routes(m, l, rejected);
	l->ndns = lease_addrs(m, DHO_DNS, "option 6 (DNS)", l->dns, NET_MAX_DNS, rejected);
	l->nntp = lease_addrs(m, DHO_NTP, "option 42 (NTP)", l->ntp, NET_MAX_NTP, rejected);
	l->nlog = lease_addrs(m, DHO_LOG_SERVERS, "option 7 (log servers)", l->log_servers,
			      NET_MAX_LOG, rejected);
	lease_times(m, l, rejected);
	lease_names(m, l, rejected);
	lease_search(m, l, rejected);
	lease_bootp(m, l, rejected);
	return 0;
}

/* ---- building ---- */

struct opt_buf {
	uint8_t *p;
	size_t len, size;
	bool overflow;
};

static void put_opt(struct opt_buf *b, uint8_t code, const void *data, size_t len)
{
	/* RFC 3396: a value over 255 bytes is split into several instances. */
	const uint8_t *d = data;

	do {
		size_t chunk = len > 255 ? 255 : len;

		if (b->len + 2 + chunk + 1 > b->size) { /* keep room for End */
			b->overflow = true;
			return;
		}
		b->p[b->len++] = code;
		b->p[b->len++] = (uint8_t)chunk;
		if (chunk)
			memcpy(b->p + b->len, d, chunk);
		b->len += chunk;
		d += chunk;
		len -= chunk;
	} while (len > 0);
}

static void put_u8(struct opt_buf *b, uint8_t code, uint8_t v)
{
	put_opt(b, code, &v, 1);
}

/* Options the client asks for (RFC 2132 §9.8), issue 3's list. */
static const uint8_t param_req[] = {
	DHO_SUBNET_MASK, DHO_ROUTERS, DHO_DNS, DHO_LOG_SERVERS, DHO_HOSTNAME,
	DHO_DOMAIN, DHO_ROOT_PATH, DHO_MTU, DHO_BROADCAST, DHO_NTP,
	DHO_LEASE_TIME, DHO_SERVER_ID, DHO_T1, DHO_T2, DHO_TFTP_SERVER,
	DHO_BOOTFILE, DHO_SEARCH, DHO_CLASSLESS_ROUTES,
};

/* Largest DHCP message we accept: an Ethernet frame (RFC 2132 §9.10). */
#define DHCP_MAX_MSG (1500 - IP_HDR_LEN - UDP_HDR_LEN)

/* The BOOTP header (RFC 2131 §2, figure 1) of a client request. */
static void put_bootp_header(uint8_t *d, uint32_t xid, uint16_t secs, const uint8_t mac[6],
			     struct in_addr ciaddr)
{
	d[DHCP_OFF_OP] = DHCP_BOOTREQUEST;
	d[DHCP_OFF_HTYPE] = 1;
	d[DHCP_OFF_HLEN] = 6;
	d[DHCP_OFF_XID] = (uint8_t)(xid >> 24);
	d[DHCP_OFF_XID + 1] = (uint8_t)(xid >> 16);
	d[DHCP_OFF_XID + 2] = (uint8_t)(xid >> 8);
	d[DHCP_OFF_XID + 3] = (uint8_t)xid;
	d[DHCP_OFF_SECS] = (uint8_t)(secs >> 8);
	d[DHCP_OFF_SECS + 1] = (uint8_t)secs;
	memcpy(d + DHCP_OFF_CIADDR, &ciaddr.s_addr, 4);
	memcpy(d + DHCP_OFF_CHADDR, mac, 6);
	d[DHCP_OFF_MAGIC] = 0x63;
	d[DHCP_OFF_MAGIC + 1] = 0x82;
	d[DHCP_OFF_MAGIC + 2] = 0x53;
	d[DHCP_OFF_MAGIC + 3] = 0x63;
}

/* The options of one message, End and padding; the options' length or -ENOSPC. */
static int put_request_options(struct opt_buf *ob, enum dhcp_msg_type type,
			       const struct dhcp_client_id *id, struct in_addr req,
			       struct in_addr server)
{
	uint8_t cid[7];

	put_u8(ob, DHO_MSG_TYPE, (uint8_t)type);
	/* RFC 2132 §9.14: type 1 = Ethernet address; the same identifier in
	 * every message, and the one the networkd drop-in asks for. */
	cid[0] = 1;
	memcpy(cid + 1, id->mac, 6);
	put_opt(ob, DHO_CLIENT_ID, cid, sizeof(cid));
	if (req.s_addr)
		put_opt(ob, DHO_REQUESTED_IP, &req.s_addr, 4);
	if (server.s_addr)
		put_opt(ob, DHO_SERVER_ID, &server.s_addr, 4);
	if (type == DHCPDISCOVER || type == DHCPREQUEST) {
		uint8_t mx[2] = { DHCP_MAX_MSG >> 8, DHCP_MAX_MSG & 0xff };

		put_opt(ob, DHO_MAX_SIZE, mx, 2);
		put_opt(ob, DHO_PARAM_REQ, param_req, sizeof(param_req));
		if (id->vendor_class && id->vendor_class[0])
			put_opt(ob, DHO_VENDOR_CLASS, id->vendor_class, strlen(id->vendor_class));
		if (id->hostname && id->hostname[0])
			put_opt(ob, DHO_HOSTNAME, id->hostname, strlen(id->hostname));
	}
	if (ob->overflow)
		return -ENOSPC;
	ob->p[ob->len++] = DHO_END;
	/* Pad to the BOOTP minimum of 300 bytes (RFC 1542 §3.1.1). */
	while (DHCP_OFF_OPTIONS + ob->len < 300 && ob->len < ob->size)
		ob->p[ob->len++] = DHO_PAD;
	return (int)ob->len;
}

/* IPv4 and UDP headers (RFC 791, RFC 768) around dlen bytes of DHCP. */
static void put_ip_udp(uint8_t *ip, size_t dlen, struct in_addr src, struct in_addr dst)
{
	uint8_t *udp = ip + IP_HDR_LEN;
	size_t tot = IP_HDR_LEN + UDP_HDR_LEN + dlen;
	uint16_t c;

	ip[0] = 0x45;
	ip[1] = 0x10; /* TOS low delay, as BOOTP clients do */
	ip[2] = (uint8_t)(tot >> 8);
	ip[3] = (uint8_t)tot;
	ip[8] = 64; /* TTL */
	ip[9] = IPPROTO_UDP;
	memcpy(ip + 12, &src.s_addr, 4);
	memcpy(ip + 16, &dst.s_addr, 4);
	c = dhcp_ip_checksum(ip, IP_HDR_LEN);
	ip[10] = (uint8_t)(c >> 8);
	ip[11] = (uint8_t)c;
	udp[0] = 0;
	udp[1] = DHCP_CLIENT_PORT;
	udp[2] = 0;
	udp[3] = DHCP_SERVER_PORT;
	udp[4] = (uint8_t)((UDP_HDR_LEN + dlen) >> 8);
	udp[5] = (uint8_t)(UDP_HDR_LEN + dlen);
	udp[6] = udp[7] = 0;
	c = dhcp_udp_checksum(src, dst, udp, UDP_HDR_LEN + dlen);
	if (c == 0)
		c = 0xffff; /* RFC 768: a computed 0 is sent as all ones */
	udp[6] = (uint8_t)(c >> 8);
	udp[7] = (uint8_t)c;
}

int dhcp_build(uint8_t *buf, size_t size, enum dhcp_msg_type type, uint32_t xid,
	       uint16_t secs, const struct dhcp_client_id *id, struct in_addr req,
	       struct in_addr server, struct in_addr ciaddr)
{
	uint8_t *d = buf + IP_HDR_LEN + UDP_HDR_LEN;
	struct opt_buf ob;
	struct in_addr src = { 0 }, dst = { htonl(INADDR_BROADCAST) };
	int olen;

	if (size < IP_HDR_LEN + UDP_HDR_LEN + 300)
		return -ENOSPC;
	memset(buf, 0, IP_HDR_LEN + UDP_HDR_LEN + DHCP_OFF_OPTIONS);
	put_bootp_header(d, xid, secs, id->mac, ciaddr);
	ob.p = d + DHCP_OFF_OPTIONS;
	ob.len = 0;
	ob.size = size - IP_HDR_LEN - UDP_HDR_LEN - DHCP_OFF_OPTIONS;
	ob.overflow = false;
	olen = put_request_options(&ob, type, id, req, server);
	if (olen < 0)
		return olen;
	if (ciaddr.s_addr)
		src = ciaddr;
	if (type == DHCPRELEASE && server.s_addr)
		dst = server;
	put_ip_udp(buf, DHCP_OFF_OPTIONS + (size_t)olen, src, dst);
	return (int)(IP_HDR_LEN + UDP_HDR_LEN + DHCP_OFF_OPTIONS + (size_t)olen);
}
