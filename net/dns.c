/* SPDX-License-Identifier: MIT */
/*
 * A minimal stub resolver so that root=http://boot.example.org/... works:
 * A records over UDP (RFC 1035), the lease's servers and search list, a
 * random id and the kernel's random source port, bounded timeouts.  No NSS,
 * no TCP fallback (an A answer for one name fits in 512 bytes), no cache.
 */
#include "dns.h"
#include "net_internal.h"
#include "netutil.h"
#include "log.h"
#include "netinit_config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include <sys/socket.h>

#define DNS_STAGE "dns"
#define DNS_HDR 12

int dns_name_read(const uint8_t *p, size_t len, size_t *pos, char *out, size_t size)
{
	size_t at = *pos, o = 0, limit = at;
	bool jumped = false;
	int hops = 0;

	for (;;) {
		uint8_t l;

		if (at >= len)
			return -EBADMSG;
		l = p[at];
		if (l == 0) {
			if (!jumped)
				*pos = at + 1;
			break;
		}
		if ((l & 0xc0) == 0xc0) {
			size_t target;

			if (at + 1 >= len)
				return -EBADMSG;
			target = (size_t)(l & 0x3f) << 8 | p[at + 1];
			/* Strictly before the start of the current piece of
			 * name: every walk ends, no loops. */
			if (target >= limit || ++hops > 127)
				return -EBADMSG;
			if (!jumped)
				*pos = at + 2;
			jumped = true;
			at = limit = target;
			continue;
		}
		if (l & 0xc0)
			return -EBADMSG; /* 0x40, 0x80: reserved label types */
		if (at + 1 + l > len)
			return -EBADMSG;
		if (o + l + 1 >= size)
			return -EBADMSG; /* longer than the caller's limit (253) */
		if (o)
			out[o++] = '.';
		if (memchr(p + at + 1, 0, l) || memchr(p + at + 1, '.', l))
			return -EBADMSG; /* not representable as a dotted name */
		memcpy(out + o, p + at + 1, l);
		o += l;
		at += 1 + (size_t)l;
	}
	if (size == 0)
		return -EBADMSG;
	out[o] = '\0';
	return 0;
}

int dns_build_query(const char *name, uint16_t id, uint8_t *buf, size_t size)
{
	size_t o = DNS_HDR, n = strlen(name);
	const char *p = name;

	if (n == 0 || n > 253 || size < DNS_HDR + n + 2 + 4)
		return -EINVAL;
	memset(buf, 0, DNS_HDR);
	buf[0] = (uint8_t)(id >> 8);
	buf[1] = (uint8_t)id;
	buf[2] = 0x01; /* RD */
	buf[5] = 1;    /* QDCOUNT */
	while (*p) {
		const char *dot = strchr(p, '.');
		size_t l = dot ? (size_t)(dot - p) : strlen(p);

		if (l == 0 || l > 63)
			return -EINVAL;
		buf[o++] = (uint8_t)l;
		memcpy(buf + o, p, l);
		o += l;
		p += l;
		if (*p == '.')
			p++;
	}
	buf[o++] = 0;
	buf[o++] = 0; buf[o++] = 1; /* QTYPE A */
	buf[o++] = 0; buf[o++] = 1; /* QCLASS IN */
	return (int)o;
}

static uint16_t rd16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

int dns_parse_response(const uint8_t *p, size_t len, uint16_t id, const char *qname,
		       struct in_addr *out)
{
	char name[NET_NAME_MAX], want[NET_NAME_MAX];
	size_t pos = DNS_HDR, ans_start, i;
	unsigned an, rcode, pass;

	if (len < DNS_HDR || rd16(p) != id)
		return -EBADMSG;
	if (!(p[2] & 0x80) || (p[2] & 0x78))
		return -EBADMSG; /* not a response, or not a standard query */
	if (p[2] & 0x02)
		return -EAGAIN;  /* truncated */
	rcode = p[3] & 0x0f;
	if (rd16(p + 4) != 1)
		return -EBADMSG;
	if (dns_name_read(p, len, &pos, name, sizeof(name)) < 0 || strcasecmp(name, qname) != 0)
		return -EBADMSG; /* not our question */
	if (pos + 4 > len || rd16(p + pos) != 1 || rd16(p + pos + 2) != 1)
		return -EBADMSG;
	pos += 4;
	if (rcode == 3)
		return -ENOENT;  /* NXDOMAIN */
	if (rcode != 0)
		return -EAGAIN;  /* SERVFAIL, REFUSED...: ask another server */
	an = rd16(p + 6);
	ans_start = pos;
	snprintf(want, sizeof(want), "%s", qname);
	/* Follow CNAMEs: each pass may move `want` one step along the chain. */
	for (pass = 0; pass < 8; pass++) {
		bool moved = false;

		pos = ans_start;
		for (i = 0; i < an; i++) {
			uint16_t type, cls, rdlen;
			size_t rdata;

			if (dns_name_read(p, len, &pos, name, sizeof(name)) < 0 || pos + 10 > len)
				return -EBADMSG;
			type = rd16(p + pos);
			cls = rd16(p + pos + 2);
			rdlen = rd16(p + pos + 8);
			rdata = pos + 10;
			if (rdata + rdlen > len)
				return -EBADMSG;
			pos = rdata + rdlen;
			if (cls != 1 || strcasecmp(name, want) != 0)
				continue;
			if (type == 1 && rdlen == 4) {
				memcpy(&out->s_addr, p + rdata, 4);
				return 0;
			}
			if (type == 5 && !moved) {
				size_t cpos = rdata;
				char target[NET_NAME_MAX];

				if (dns_name_read(p, rdata + rdlen, &cpos, target, sizeof(target)) < 0)
					return -EBADMSG;
				snprintf(want, sizeof(want), "%s", target);
				moved = true;
			}
		}
		if (!moved)
			break;
	}
	return -ENOENT; /* NODATA */
}

void dns_parse_resolv_conf(const char *text, struct in_addr *servers, size_t *nservers, size_t max,
			   char search[][NET_NAME_MAX], size_t *nsearch, size_t smax)
{
	char line[512];
	const char *p = text;

	*nservers = *nsearch = 0;
	while (*p) {
		const char *nl = strchr(p, '\n');
		size_t l = nl ? (size_t)(nl - p) : strlen(p);
		char *save = NULL, *kw, *arg;

		if (l >= sizeof(line))
			l = sizeof(line) - 1;
		memcpy(line, p, l);
		line[l] = '\0';
		p += nl ? (size_t)(nl - p) + 1 : strlen(p);
		kw = strtok_r(line, " \t\r", &save);
		if (!kw || kw[0] == '#' || kw[0] == ';')
			continue;
		if (strcmp(kw, "nameserver") == 0) {
			arg = strtok_r(NULL, " \t\r", &save);
			if (arg && *nservers < max && inet_pton(AF_INET, arg, &servers[*nservers]) == 1)
				(*nservers)++;
		} else if (strcmp(kw, "search") == 0 || strcmp(kw, "domain") == 0) {
			*nsearch = 0; /* the last search/domain line wins */
			while ((arg = strtok_r(NULL, " \t\r", &save)) && *nsearch < smax)
				if (net_domain_valid(arg))
					snprintf(search[(*nsearch)++], NET_NAME_MAX, "%s", arg);
		}
	}
}

/* One question to one server.  0, -ENOENT, -EAGAIN, -ETIMEDOUT, -errno. */
static int dns_ask(const char *name, struct in_addr server, int timeout_ms, struct in_addr *out)
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons(53), .sin_addr = server };
	uint8_t q[300], a[1500];
	uint16_t id = (uint16_t)random_u32(server.s_addr);
	int64_t end = (int64_t)now_ms() + timeout_ms;
	int fd, len, r = -ETIMEDOUT;

	len = dns_build_query(name, id, q, sizeof(q));
	if (len < 0)
		return len;
	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return -errno;
	/* connect(): the kernel drops datagrams from anyone but the server. */
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 || send(fd, q, (size_t)len, 0) < 0) {
		r = -errno;
		close(fd);
		return r;
	}
	for (;;) {
		struct pollfd pfd = { fd, POLLIN, 0 };
		int64_t now = (int64_t)now_ms();
		ssize_t n;

		if (now >= end)
			break;
		if (poll(&pfd, 1, (int)(end - now)) <= 0)
			continue;
		n = recv(fd, a, sizeof(a), 0);
		if (n < 0) {
			if (errno == EINTR || errno == EAGAIN)
				continue;
			r = errno == ECONNREFUSED ? -EAGAIN : -errno;
			break;
		}
		r = dns_parse_response(a, (size_t)n, id, name, out);
		if (r != -EBADMSG)
			break;
		r = -ETIMEDOUT; /* a stray or forged answer: keep waiting */
	}
	close(fd);
	return r;
}

/* One name over all servers, two rounds with a longer wait the second time. */
static int dns_query(const char *name, const struct in_addr *servers, size_t n, struct in_addr *out)
{
	int round, r = -ETIMEDOUT;
	size_t i;

	for (round = 0; round < DNS_ROUNDS; round++) {
		for (i = 0; i < n; i++) {
			r = dns_ask(name, servers[i], DNS_TIMEOUT_MS << round, out);
			if (r == 0 || r == -ENOENT)
				return r;
		}
	}
	return r;
}

int dns_resolve(const char *name, const struct in_addr *servers, size_t nservers,
		char search[][NET_NAME_MAX], size_t nsearch, struct in_addr *out)
{
	char fq[NET_NAME_MAX], tmp[NET_NAME_MAX * 2];
	size_t i, n = strlen(name);
	bool absolute = n > 0 && name[n - 1] == '.';
	int r = -ENOENT, rr;

	if (n == 0 || n > 253)
		return -EINVAL;
	snprintf(fq, sizeof(fq), "%s", name);
	if (absolute)
		fq[n - 1] = '\0';
	if (!net_domain_valid(fq))
		return -EINVAL;
	if (nservers == 0)
		return -ENONET;
	/* ndots:1 as in resolv.conf(5): a name with a dot is tried as is first. */
	if (absolute || strchr(fq, '.')) {
		r = dns_query(fq, servers, nservers, out);
		if (r == 0 || absolute)
			return r;
	}
	for (i = 0; i < nsearch; i++) {
		if (snprintf(tmp, sizeof(tmp), "%s.%s", fq, search[i]) >= NET_NAME_MAX)
			continue;
		rr = dns_query(tmp, servers, nservers, out);
		if (rr == 0)
			return 0;
		if (rr != -ENOENT)
			r = rr;
	}
	if (!strchr(fq, '.')) {
		rr = dns_query(fq, servers, nservers, out);
		if (rr == 0)
			return 0;
	}
	return r;
}

int net_resolve(const struct net_lease *dns, const char *name, struct in_addr *out)
{
	static struct in_addr servers[NET_MAX_DNS];
	static char search[NET_MAX_SEARCH][NET_NAME_MAX];
	size_t ns = 0, nsearch = 0;
	char a[INET_ADDRSTRLEN];
	int r;

	if (!name)
		return -EINVAL;
	if (inet_pton(AF_INET, name, out) == 1)
		return 0;
	if (!CFG_DNS) {
		nl_err(DNS_STAGE, "%s: this init was built without DNS (CONFIG_DNS): use an IP address", name);
		return -EOPNOTSUPP;
	}
	if (dns && dns->ndns > 0) {
		ns = dns->ndns;
		memcpy(servers, dns->dns, ns * sizeof(servers[0]));
		nsearch = dns->nsearch;
		memcpy(search, dns->search, nsearch * sizeof(search[0]));
	} else {
		char text[4096];
		int fd = open("/etc/resolv.conf", O_RDONLY | O_CLOEXEC);
		ssize_t n = fd >= 0 ? read(fd, text, sizeof(text) - 1) : -1;

		if (fd >= 0)
			close(fd);
		text[n > 0 ? n : 0] = '\0';
		dns_parse_resolv_conf(text, servers, &ns, NET_MAX_DNS, search, &nsearch, NET_MAX_SEARCH);
	}
	r = dns_resolve(name, servers, ns, search, nsearch, out);
	if (r == 0)
		nl_info(DNS_STAGE, "%s is %s", name, net_ntoa(*out, a));
	else
		nl_err(DNS_STAGE, "cannot resolve %s: %s", name,
		       r == -ENOENT ? "no such name (no A record)" :
		       r == -ENONET ? "no DNS server (DHCP option 6, nameserver=)" :
		       r == -EINVAL ? "not a valid host name" : strerror(-r));
	return r;
}
