/* SPDX-License-Identifier: MIT */
/* ip= and nfsaddrs= in all their forms: the kernel's and dracut's (doc/cmdline.md). */
#include "cmdline_internal.h"

#include <arpa/inet.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "codec.h"

/* ---- ip= / nfsaddrs= ---- */

enum ip_word { IPW_NONE, IPW_DHCP, IPW_OFF, IPW_STATIC, IPW_V6 };

static enum ip_word ip_method_word(const char *s)
{
	static const char *const dhcp[] = { "dhcp", "on", "any", "both", "bootp", "rarp" };
	static const char *const v6[] = { "dhcp6", "auto6", "either6", "link6", "ibft",
					  "single-dhcp", "link-local" };
	size_t i;

	for (i = 0; i < ARRAY_SIZE(dhcp); i++)
		if (!strcmp(s, dhcp[i]))
			return IPW_DHCP;
	if (!strcmp(s, "off") || !strcmp(s, "none"))
		return IPW_OFF;
	if (!strcmp(s, "static"))
		return IPW_STATIC;
	for (i = 0; i < ARRAY_SIZE(v6); i++)
		if (!strcmp(s, v6[i]))
			return IPW_V6;
	return IPW_NONE;
}

#define IP_FIELDS 16

struct ip_fields {
	char *f[IP_FIELDS];
	size_t n;
	char buf[256];
};

static bool ip_split(const char *val, struct ip_fields *fs)
{
	char *p;

	if (!copy_str(fs->buf, sizeof(fs->buf), val))
		return false;
	fs->n = 0;
	for (p = fs->buf;;) {
		if (fs->n >= IP_FIELDS)
			return false;
		fs->f[fs->n++] = p;
		p = strchr(p, ':');
		if (!p)
			return true;
		*p++ = '\0';
	}
}

static bool ip_opt_addr(struct pstate *ps, const char *key, const char *what, const char *s,
			struct in_addr *out)
{
	char v[64];

	if (!*s)
		return true;
	if (valid_ip4(s, out))
		return true;
	ERR(ps, key, "bad %s \"%s\"; expected an IPv4 address or nothing", what, cmdline_show(v, s));
	return false;
}

/* Netmask as a dotted quad with contiguous ones, or a prefix length (dracut). */
static bool ip_netmask(struct pstate *ps, const char *key, const char *s, struct in_addr *out)
{
	uint32_t m;
	int prefix;
	char v[64];

	if (!*s)
		return true;
	if (valid_int(s, 0, 32, &prefix) && s[0] != '-') {
		m = prefix ? ~0u << (32 - prefix) : 0;
	} else if (valid_ip4(s, out)) {
		m = ntohl(out->s_addr);
		if (m & (~m >> 1)) {
			ERR(ps, key, "netmask \"%s\" is not contiguous", cmdline_show(v, s));
			return false;
		}
	} else {
		ERR(ps, key, "bad netmask \"%s\"; expected e.g. 255.255.255.0 or 24", cmdline_show(v, s));
		return false;
	}
	out->s_addr = htonl(m);
	return true;
}

static bool ip_mtu(struct pstate *ps, const char *key, const char *s, struct ip_spec *ip)
{
	int mtu;

	if (!*s)
		return true;
	if (!valid_int(s, 68, 65535, &mtu) || s[0] == '-') {
		ERR(ps, key, "bad MTU; expected 68-65535");
		return false;
	}
	ip->mtu = (unsigned)mtu;
	return true;
}

/* The MAC of dracut's forms arrives split into 6 fields (or one empty field). */
static bool ip_mac(struct pstate *ps, const char *key, char **f, size_t n, struct ip_spec *ip)
{
	char mac[18];

	if (n == 0 || (n == 1 && !*f[0]))
		return true;
	if (n == 6 && snprintf(mac, sizeof(mac), "%s:%s:%s:%s:%s:%s", f[0], f[1], f[2], f[3],
			       f[4], f[5]) == 17 && mac_parse(mac, ':', ip->mac) == 0) {
		ip->has_mac = true;
		return true;
	}
	ERR(ps, key, "bad MAC address; expected aa:bb:cc:dd:ee:ff");
	return false;
}

static bool ip_device(struct pstate *ps, const char *key, const char *s, struct ip_spec *ip)
{
	char v[64];

	if (!*s)
		return true;
	if (!ifname_valid_n(s, strlen(s))) {
		ERR(ps, key, "bad interface name \"%s\"", cmdline_show(v, s));
		return false;
	}
	copy_str(ip->device, sizeof(ip->device), s);
	return true;
}

/* dracut ip=<interface>:{dhcp|on|any|off}[:[<mtu>][:<macaddr>]] */
static bool ip_dracut_if(struct pstate *ps, const char *key, struct ip_fields *fs,
			 enum ip_word w, struct ip_spec *ip)
{
	if (!ip_device(ps, key, fs->f[0], ip))
		return false;
	ip->method = w == IPW_OFF ? IP_METHOD_OFF : IP_METHOD_DHCP;
	if (fs->n > 2 && !ip_mtu(ps, key, fs->f[2], ip))
		return false;
	return ip_mac(ps, key, fs->f + 3, fs->n > 3 ? fs->n - 3 : 0, ip);
}

/*
 * Kernel <client>:<server>:<gw>:<netmask>:<hostname>:<device>:<autoconf>:<dns0>:<dns1>:<ntp0>
 * (filesystems/nfs/nfsroot.rst) and dracut's
 * <client>:[<peer>]:<gw>:<netmask>:<hostname>:<if>:<method>[:[<mtu>][:<mac>]] or [:<dns1>[:<dns2>]].
 * Field 2 is the kernel's NFS server; dracut's peer is not used (doc/cmdline.md).
 */
static bool ip_full(struct pstate *ps, const char *key, struct ip_fields *fs, struct ip_spec *ip)
{
	char *f[IP_FIELDS] = { 0 };
	enum ip_word w;
	char v[64];
	size_t i;

	for (i = 0; i < IP_FIELDS; i++)
		f[i] = i < fs->n ? fs->f[i] : (char *)"";
	if (!ip_opt_addr(ps, key, "client address", f[0], &ip->client) ||
	    !ip_opt_addr(ps, key, "server address (field 2)", f[1], &ip->server) ||
	    !ip_opt_addr(ps, key, "gateway", f[2], &ip->gateway) ||
	    !ip_netmask(ps, key, f[3], &ip->netmask))
		return false;
	if (*f[4]) {
		if (!hostname_valid(f[4])) {
			ERR(ps, key, "bad host name \"%s\" (field 5); expected RFC 1123 labels",
			    cmdline_show(v, f[4]));
			return false;
		}
		if (strlen(f[4]) >= sizeof(ip->hostname)) {
			ERR(ps, key, "host name (field 5) longer than %zu bytes",
			    sizeof(ip->hostname) - 1);
			return false;
		}
		copy_str(ip->hostname, sizeof(ip->hostname), f[4]);
	}
	if (!ip_device(ps, key, f[5], ip))
		return false;

	w = *f[6] ? ip_method_word(f[6]) : (ip->client.s_addr ? IPW_STATIC : IPW_DHCP);
	switch (w) {
	case IPW_NONE:
		ERR(ps, key, "unknown autoconf method \"%s\" (field 7); expected off, none, dhcp, "
		    "on, any, bootp, rarp or both", cmdline_show(v, f[6]));
		return false;
	case IPW_V6:
		ERR(ps, key, "\"%s\" is not supported (IPv4 only); use dhcp or none", cmdline_show(v, f[6]));
		return false;
	case IPW_DHCP:
		ip->method = IP_METHOD_DHCP;
		break;
	case IPW_OFF:
	case IPW_STATIC:
		/* without an address "off" means: no network on this device */
		ip->method = ip->client.s_addr ? IP_METHOD_STATIC : IP_METHOD_OFF;
		break;
	}

	if (fs->n == 14 || (fs->n >= 8 && *f[7] && ch_digit(f[7][0]) && !strchr(f[7], '.'))) {
		/* dracut: <mtu>[:<mac>] */
		return ip_mtu(ps, key, f[7], ip) &&
		       ip_mac(ps, key, fs->f + 8, fs->n > 8 ? fs->n - 8 : 0, ip);
	}
	if (fs->n > 10) {
		ERR(ps, key, "too many fields (%zu); expected at most 10", fs->n);
		return false;
	}
	return ip_opt_addr(ps, key, "DNS server (field 8)", f[7], &ip->dns[0]) &&
	       ip_opt_addr(ps, key, "DNS server (field 9)", f[8], &ip->dns[1]) &&
	       ip_opt_addr(ps, key, "NTP server (field 10)", f[9], &ip->ntp);
}

static void h_ip(struct pstate *ps, const char *key, const char *val)
{
	struct cmdline *cl = ps->cl;
	struct ip_fields fs;
	struct ip_spec ip;
	struct in_addr a;
	enum ip_word w;
	char v[64];
	bool ok;

	memset(&ip, 0, sizeof(ip));
	if (strchr(val, '[')) {
		ERR(ps, key, "IPv6 addresses are not supported: \"%s\"", cmdline_show(v, val));
		return;
	}
	if (!ip_split(val, &fs)) {
		ERR(ps, key, "too long or too many fields: \"%s\"", cmdline_show(v, val));
		return;
	}
	w = ip_method_word(fs.f[0]);
	if (fs.n == 1 && w != IPW_NONE && w != IPW_STATIC) {
		if (w == IPW_V6) {
			ERR(ps, key, "\"%s\" is not supported (IPv4 only); use ip=dhcp", cmdline_show(v, val));
			return;
		}
		ip.method = w == IPW_DHCP ? IP_METHOD_DHCP : IP_METHOD_OFF;
		ok = true;
	} else if (fs.n >= 2 && !valid_ip4(fs.f[0], &a) && *fs.f[0] &&
		   (w = ip_method_word(fs.f[1])) != IPW_NONE) {
		if (w == IPW_V6) {
			ERR(ps, key, "\"%s\" is not supported (IPv4 only); use <if>:dhcp",
			    cmdline_show(v, fs.f[1]));
			return;
		}
		if (w == IPW_STATIC) {
			ERR(ps, key, "static needs an address: "
			    "<client>:<server>:<gw>:<netmask>:<hostname>:<if>:none");
			return;
		}
		ok = ip_dracut_if(ps, key, &fs, w, &ip);
	} else {
		ok = ip_full(ps, key, &fs, &ip);
	}
	if (!ok)
		return;
	if (cl->nip >= CMDLINE_MAX_IP) {
		ERR(ps, key, "too many ip= (max %d)", CMDLINE_MAX_IP);
		return;
	}
	cl->ip[cl->nip++] = ip;
}

/* ---- the table ---- */

const struct keydef cmdline_keys_ip[] = {
	/* kernel (admin-guide/kernel-parameters.txt, filesystems/nfs/nfsroot.rst) */
	{ "ip", h_ip, VAL_NEEDED },
	{ "nfsaddrs", h_ip, VAL_NEEDED },
};
const size_t cmdline_nkeys_ip = ARRAY_SIZE(cmdline_keys_ip);
