/* SPDX-License-Identifier: MIT */
/*
 * The lease as files for the booted system (doc/network.md, "Hand-over"):
 *   <run>/netinit/lease-<if>.conf   netinit's key='value' format
 *   <run>/net-<if>.conf             initramfs-tools/klibc format
 *   <run>/netinit/resolv.conf, <run>/netinit/hostname
 *   <run>/systemd/network/10-netinit-<if>.network and .link
 *   <run>/systemd/system/{networking,ifup@<if>}.service.d/10-netinit.conf
 *   <newroot>/etc/hostname, <newroot>/etc/resolv.conf when writable
 * Every value is validated again here (defence in depth): a value that
 * fails its rule is left out and logged, never written.
 */
#include "net.h"
#include "net_internal.h"
#include "netutil.h"
#include "cmdline.h"
#include "log.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct sbuf {
	char *p;
	size_t size, len;
	bool overflow;
};

static void sb_printf(struct sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void sb_printf(struct sbuf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (b->overflow)
		return;
	va_start(ap, fmt);
	n = vsnprintf(b->p + b->len, b->size - b->len, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= b->size - b->len) {
		b->overflow = true;
		return;
	}
	b->len += (size_t)n;
}

/* KEY='value': single quotes; a quote inside (never expected after
 * validation) is written as '\'' so the line stays one value. */
static void sb_kv(struct sbuf *b, const char *key, const char *val)
{
	const char *p;

	sb_printf(b, "%s='", key);
	for (p = val; *p; p++) {
		if (*p == '\'')
			sb_printf(b, "'\\''");
		else if ((unsigned char)*p < 0x20 || (unsigned char)*p >= 0x7f)
			continue; /* never: validated values are printable ASCII */
		else
			sb_printf(b, "%c", *p);
	}
	sb_printf(b, "'\n");
}

static void sb_kv_addr(struct sbuf *b, const char *key, struct in_addr a)
{
	char s[INET_ADDRSTRLEN];

	if (a.s_addr)
		sb_kv(b, key, net_ntoa(a, s));
}

static void sb_kv_addrs(struct sbuf *b, const char *key, const struct in_addr *a, size_t n)
{
	char s[NET_MAX_DNS * 4 * INET_ADDRSTRLEN] = "", t[INET_ADDRSTRLEN];
	size_t i;

	if (n == 0)
		return;
	for (i = 0; i < n && i < 16; i++) {
		if (i)
			strcat(s, " ");
		strcat(s, net_ntoa(a[i], t));
	}
	sb_kv(b, key, s);
}

static void sb_kv_u32(struct sbuf *b, const char *key, uint32_t v)
{
	char s[16];

	if (v == NET_LEASE_INFINITE)
		strcpy(s, "infinite");
	else
		snprintf(s, sizeof(s), "%u", v);
	sb_kv(b, key, s);
}

static void sb_kv_checked(struct sbuf *b, const char *key, const char *val, size_t size,
			  bool (*valid)(const char *))
{
	char esc[400];

	if (!val[0])
		return;
	if (strnlen(val, size) >= size || !valid(val)) {
		nl_warn(NET_STAGE, "lease file: leaving out %s \"%s\": not valid",
			key, net_escape(val, strnlen(val, size), esc, sizeof(esc)));
		return;
	}
	sb_kv(b, key, val);
}

/* Interface names come from the kernel; still, they become file names. */
static bool ifname_safe(const char *s)
{
	size_t i, n = strnlen(s, IF_NAMESIZE);

	if (n == 0 || n >= IF_NAMESIZE || strcmp(s, ".") == 0 || strcmp(s, "..") == 0)
		return false;
	for (i = 0; i < n; i++) {
		char c = s[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '-' || c == '_' || c == '.'))
			return false;
	}
	return true;
}

static const char *source_name(enum net_source s)
{
	return s == NET_SOURCE_DHCP ? "dhcp" : s == NET_SOURCE_STATIC ? "static" : "none";
}

int net_lease_format(const struct net_lease *l, char *buf, size_t size)
{
	struct sbuf b = { buf, size, 0, false };
	char s[64], mac[24];
	size_t i;

	if (size == 0)
		return -ENOSPC;
	buf[0] = '\0';
	sb_printf(&b, "# netinit lease (doc/network.md): data, KEY='value' per line\n");
	sb_kv(&b, "NETINIT_LEASE", "1");
	sb_kv(&b, "SOURCE", source_name(l->source));
	if (ifname_safe(l->ifname))
		sb_kv(&b, "IFNAME", l->ifname);
	mac_format(l->mac, ':', mac);
	sb_kv(&b, "MAC", mac);
	sb_kv_addr(&b, "ADDR", l->addr);
	if (l->addr.s_addr && l->prefix <= 32) {
		snprintf(s, sizeof(s), "%u", l->prefix);
		sb_kv(&b, "PREFIX", s);
		sb_kv_addr(&b, "NETMASK", net_prefix_to_mask(l->prefix));
	}
	sb_kv_addr(&b, "BROADCAST", l->broadcast);
	sb_kv_addr(&b, "ROUTER", l->router);
	if (l->nroutes) {
		char r[NET_MAX_ROUTES * 40] = "", d[INET_ADDRSTRLEN], g[INET_ADDRSTRLEN];

		for (i = 0; i < l->nroutes && i < NET_MAX_ROUTES; i++) {
			snprintf(s, sizeof(s), "%s%s/%u,%s", i ? " " : "", net_ntoa(l->routes[i].dst, d),
				 l->routes[i].prefix > 32 ? 32 : l->routes[i].prefix,
				 net_ntoa(l->routes[i].gw, g));
			strcat(r, s);
		}
		sb_kv(&b, "ROUTES", r);
	}
	if (l->mtu) {
		snprintf(s, sizeof(s), "%u", l->mtu);
		sb_kv(&b, "MTU", s);
	}
	sb_kv_addrs(&b, "DNS", l->dns, l->ndns < NET_MAX_DNS ? l->ndns : NET_MAX_DNS);
	sb_kv_addrs(&b, "NTP", l->ntp, l->nntp < NET_MAX_NTP ? l->nntp : NET_MAX_NTP);
	sb_kv_addrs(&b, "LOG_SERVERS", l->log_servers, l->nlog < NET_MAX_LOG ? l->nlog : NET_MAX_LOG);
	sb_kv_checked(&b, "HOSTNAME", l->hostname, sizeof(l->hostname), net_domain_valid);
	sb_kv_checked(&b, "DOMAIN", l->domain, sizeof(l->domain), net_domain_valid);
	if (l->nsearch) {
		char all[NET_MAX_SEARCH * NET_NAME_MAX] = "";

		for (i = 0; i < l->nsearch && i < NET_MAX_SEARCH; i++) {
			if (strnlen(l->search[i], NET_NAME_MAX) >= NET_NAME_MAX ||
			    !net_domain_valid(l->search[i]))
				continue;
			if (all[0])
				strcat(all, " ");
			strcat(all, l->search[i]);
		}
		if (all[0])
			sb_kv(&b, "SEARCH", all);
	}
	sb_kv_checked(&b, "ROOT_PATH", l->root_path, sizeof(l->root_path), net_path_valid);
	sb_kv_checked(&b, "BOOTFILE", l->bootfile, sizeof(l->bootfile), net_path_valid);
	sb_kv_checked(&b, "TFTP_SERVER", l->tftp_server, sizeof(l->tftp_server), net_domain_valid);
	sb_kv_addr(&b, "NEXT_SERVER", l->siaddr);
	sb_kv_addr(&b, "SERVER_ID", l->server_id);
	if (l->source == NET_SOURCE_DHCP) {
		sb_kv_u32(&b, "LEASE_TIME", l->lease_time);
		sb_kv_u32(&b, "T1", l->t1);
		sb_kv_u32(&b, "T2", l->t2);
	}
	snprintf(s, sizeof(s), "%.3f", l->obtained >= 0 && l->obtained < 1e12 ? l->obtained : 0.0);
	sb_kv(&b, "OBTAINED_UPTIME", s);
	if (b.overflow) {
		buf[0] = '\0';
		return -ENOSPC;
	}
	return (int)b.len;
}

/* initramfs-tools' /run/net-<if>.conf, read by its scripts and by tools
 * written for Debian's nfsroot boots. */
static int format_initramfs_tools(const struct net_lease *l, char *buf, size_t size)
{
	struct sbuf b = { buf, size, 0, false };
	char s[INET_ADDRSTRLEN];

	sb_kv(&b, "DEVICE", l->ifname);
	sb_kv(&b, "PROTO", l->source == NET_SOURCE_DHCP ? "dhcp" : "none");
	sb_kv(&b, "IPV4ADDR", net_ntoa(l->addr, s));
	sb_kv(&b, "IPV4BROADCAST", net_ntoa(l->broadcast, s));
	sb_kv(&b, "IPV4NETMASK", net_ntoa(net_prefix_to_mask(l->prefix), s));
	sb_kv(&b, "IPV4GATEWAY", l->router.s_addr ? net_ntoa(l->router, s) : "0.0.0.0");
	sb_kv(&b, "IPV4DNS0", l->ndns > 0 ? net_ntoa(l->dns[0], s) : "0.0.0.0");
	sb_kv(&b, "IPV4DNS1", l->ndns > 1 ? net_ntoa(l->dns[1], s) : "0.0.0.0");
	sb_kv(&b, "HOSTNAME", net_domain_valid(l->hostname) ? l->hostname : "");
	sb_kv(&b, "DNSDOMAIN", net_domain_valid(l->domain) ? l->domain : "");
	sb_kv(&b, "ROOTSERVER", l->siaddr.s_addr ? net_ntoa(l->siaddr, s) : "0.0.0.0");
	sb_kv(&b, "ROOTPATH", net_path_valid(l->root_path) ? l->root_path : "");
	sb_kv(&b, "filename", net_path_valid(l->bootfile) ? l->bootfile : "");
	if (l->source == NET_SOURCE_DHCP) {
		char t[16];

		snprintf(t, sizeof(t), "%u", l->lease_time);
		sb_kv(&b, "DHCPLEASETIME", t);
	}
	if (l->nsearch && net_domain_valid(l->search[0]))
		sb_kv(&b, "DOMAINSEARCH", l->search[0]);
	return b.overflow ? -ENOSPC : (int)b.len;
}

static int format_resolv(const struct net_lease *l, char *buf, size_t size)
{
	struct sbuf b = { buf, size, 0, false };
	char s[INET_ADDRSTRLEN];
	size_t i;

	sb_printf(&b, "# written by netinit from the %s configuration of %s\n",
		  source_name(l->source), l->ifname);
	if (l->nsearch) {
		sb_printf(&b, "search");
		for (i = 0; i < l->nsearch && i < NET_MAX_SEARCH; i++)
			if (net_domain_valid(l->search[i]))
				sb_printf(&b, " %s", l->search[i]);
		sb_printf(&b, "\n");
	}
	for (i = 0; i < l->ndns && i < NET_MAX_DNS; i++)
		sb_printf(&b, "nameserver %s\n", net_ntoa(l->dns[i], s));
	return b.overflow ? -ENOSPC : (int)b.len;
}

/*
 * systemd-networkd: match the link by MAC (the real root may name it
 * differently), keep the address and routes netinit set (an NFS root must
 * not lose its address), and let networkd's DHCP client take over renewal
 * with the same client identifier (type 1 + MAC, as netinit sends it).
 */
static int format_networkd(const struct net_lease *l, char *buf, size_t size)
{
	struct sbuf b = { buf, size, 0, false };
	char mac[24], s[INET_ADDRSTRLEN];
	size_t i;

	mac_format(l->mac, ':', mac);
	sb_printf(&b, "# written by netinit: the boot network of this node (doc/network.md).\n"
		      "# KeepConfiguration keeps the address under a network root.\n"
		      "[Match]\nMACAddress=%s\n\n[Link]\nRequiredForOnline=yes\n\n[Network]\n", mac);
	if (l->source == NET_SOURCE_DHCP) {
		sb_printf(&b, "DHCP=ipv4\n");
	} else {
		sb_printf(&b, "Address=%s/%u\n", net_ntoa(l->addr, s), l->prefix);
		if (l->router.s_addr)
			sb_printf(&b, "Gateway=%s\n", net_ntoa(l->router, s));
	}
	for (i = 0; i < l->ndns && i < NET_MAX_DNS; i++)
		sb_printf(&b, "DNS=%s\n", net_ntoa(l->dns[i], s));
	sb_printf(&b, "KeepConfiguration=yes\n");
	if (l->source == NET_SOURCE_DHCP)
		sb_printf(&b, "\n[DHCPv4]\nClientIdentifier=mac\n");
	return b.overflow ? -ENOSPC : (int)b.len;
}

/*
 * udev: keep the name the link has.  It is up under the root, and the
 * kernel refuses to rename an up interface (EBUSY): udev then fails the
 * device's event, the device is never marked initialized, and networkd
 * leaves it "pending" forever (systemd.link(5): the first matching .link
 * file applies; /run sorts before 99-default.link).
 */
static int format_link(const struct net_lease *l, char *buf, size_t size)
{
	struct sbuf b = { buf, size, 0, false };
	char mac[24];

	mac_format(l->mac, ':', mac);
	sb_printf(&b, "# written by netinit: keep the boot link's name (doc/network.md).\n"
		      "[Match]\nMACAddress=%s\n\n[Link]\nName=%s\n", mac, l->ifname);
	return b.overflow ? -ENOSPC : (int)b.len;
}

/*
 * ifupdown (Debian): systemd drop-ins, since ifupdown itself reads none.  At
 * shutdown networking.service runs `ifdown -a` and ifup@<if>.service
 * `ifdown <if>`: for `inet dhcp` that is `dhclient -r`, whose script flushes
 * the address under the network root, and the node hangs on its NFS server.
 * The drop-ins keep the start (ifup, dhclient renews the lease) and take the
 * boot link out of the stop (systemd.unit(5): an empty ExecStop= resets).
 */
static int format_ifupdown(const struct net_lease *l, bool hotplug, char *buf, size_t size)
{
	struct sbuf b = { buf, size, 0, false };

	sb_printf(&b, "# written by netinit: %s carries the root, never take it down (doc/network.md).\n"
		      "[Service]\nExecStop=\n", l->ifname);
	if (!hotplug)
		sb_printf(&b, "ExecStop=/sbin/ifdown -a --read-environment --exclude=lo --exclude=%s\n",
			  l->ifname);
	return b.overflow ? -ENOSPC : (int)b.len;
}

/* mkdir -p below an existing directory fd, no symlinks followed. */
static int open_dir(int at, const char *path, bool create)
{
	char buf[256], *save = NULL, *tok;
	int fd = dup(at);

	if (fd < 0)
		return -errno;
	if (snprintf(buf, sizeof(buf), "%s", path) >= (int)sizeof(buf)) {
		close(fd);
		return -ENAMETOOLONG;
	}
	for (tok = strtok_r(buf, "/", &save); tok; tok = strtok_r(NULL, "/", &save)) {
		int nfd;

		if (create && mkdirat(fd, tok, 0755) < 0 && errno != EEXIST) {
			int r = -errno;

			close(fd);
			return r;
		}
		nfd = openat(fd, tok, O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC | O_RDONLY);
		close(fd);
		if (nfd < 0)
			return -errno;
		fd = nfd;
	}
	return fd;
}

static int write_in(const char *base, const char *dir, const char *name, const char *data,
		    size_t len, bool create)
{
	int bfd, dfd, r;

	bfd = open(base, O_DIRECTORY | O_CLOEXEC | O_RDONLY);
	if (bfd < 0)
		return -errno;
	dfd = open_dir(bfd, dir, create);
	close(bfd);
	if (dfd < 0)
		return dfd;
	r = write_file_at(dfd, name, data, len, 0644, WRITE_ATOMIC);
	close(dfd);
	return r;
}

static void report(const char *what, int r)
{
	if (r < 0)
		nl_warn(NET_STAGE, "hand-over: cannot write %s: %s", what, strerror(-r));
	else
		nl_debug(NET_STAGE, "hand-over: wrote %s", what);
}

/* <newroot>/etc: only a writable /etc, and never through a symlink
 * (the image's resolv.conf -> ../run/systemd/resolve/... is left alone).
 * A file that already says the same is not rewritten: with per-host
 * directories /etc is on NFS and the same lease comes every boot. */
static void handover_newroot(const struct net_lease *l, const char *newroot,
			     const char *resolv, int rlen)
{
	int rfd = open(newroot, O_DIRECTORY | O_CLOEXEC | O_RDONLY), efd;
	struct stat st;

	if (rfd < 0)
		return;
	efd = openat(rfd, "etc", O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC | O_RDONLY);
	close(rfd);
	if (efd < 0)
		return;
	if (faccessat(efd, ".", W_OK, AT_EACCESS) < 0) {
		nl_debug(NET_STAGE, "hand-over: %s/etc is read-only, not touched", newroot);
		close(efd);
		return;
	}
	if (l->hostname[0] && net_domain_valid(l->hostname)) {
		char h[NET_NAME_MAX + 1];
		int n = snprintf(h, sizeof(h), "%s\n", l->hostname);

		report("<newroot>/etc/hostname", write_file_at(efd, "hostname", h, (size_t)n, 0644,
								    WRITE_ATOMIC | WRITE_UNCHANGED));
	}
	if (rlen > 0 && l->ndns > 0) {
		if (fstatat(efd, "resolv.conf", &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISLNK(st.st_mode))
			nl_info(NET_STAGE, "hand-over: %s/etc/resolv.conf is a symlink, left as it is "
				"(the DNS servers are in /run/netinit/resolv.conf)", newroot);
		else
			report("<newroot>/etc/resolv.conf",
			       write_file_at(efd, "resolv.conf", resolv, (size_t)rlen, 0644,
					     WRITE_ATOMIC | WRITE_UNCHANGED));
	}
	close(efd);
}

int net_handover_opts(const struct net_lease *l, const struct net_handover_opts *o)
{
	static char buf[8192], resolv[2048];
	char name[64];
	int n, rlen = 0, r, err = 0;

	if (l->source == NET_SOURCE_NONE)
		return 0;
	if (!ifname_safe(l->ifname)) {
		nl_err(NET_STAGE, "hand-over: interface name not usable in a file name");
		return -EINVAL;
	}
	n = net_lease_format(l, buf, sizeof(buf));
	snprintf(name, sizeof(name), "lease-%s.conf", l->ifname);
	r = n < 0 ? n : write_in(o->rundir, "netinit", name, buf, (size_t)n, true);
	report("/run/netinit/lease", r);
	if (r < 0)
		err = r;

	n = format_initramfs_tools(l, buf, sizeof(buf));
	snprintf(name, sizeof(name), "net-%s.conf", l->ifname);
	report("/run/net-<if>.conf", n < 0 ? n : write_in(o->rundir, "", name, buf, (size_t)n, true));

	rlen = format_resolv(l, resolv, sizeof(resolv));
	if (rlen > 0)
		report("/run/netinit/resolv.conf",
		       write_in(o->rundir, "netinit", "resolv.conf", resolv, (size_t)rlen, true));

	if (l->hostname[0] && net_domain_valid(l->hostname)) {
		char h[NET_NAME_MAX + 1];

		n = snprintf(h, sizeof(h), "%s\n", l->hostname);
		report("/run/netinit/hostname", write_in(o->rundir, "netinit", "hostname", h, (size_t)n, true));
		if (o->sethostname) {
			if (sethostname(l->hostname, strlen(l->hostname)) < 0)
				nl_warn(NET_STAGE, "sethostname(%s): %s", l->hostname, strerror(errno));
			else
				nl_info(NET_STAGE, "host name %s", l->hostname);
		}
	}

	n = format_networkd(l, buf, sizeof(buf));
	snprintf(name, sizeof(name), "10-netinit-%s.network", l->ifname);
	report("the systemd-networkd drop-in",
	       n < 0 ? n : write_in(o->rundir, "systemd/network", name, buf, (size_t)n, true));
	n = format_link(l, buf, sizeof(buf));
	snprintf(name, sizeof(name), "10-netinit-%s.link", l->ifname);
	report("the udev .link drop-in",
	       n < 0 ? n : write_in(o->rundir, "systemd/network", name, buf, (size_t)n, true));
	n = format_ifupdown(l, false, buf, sizeof(buf));
	report("the networking.service drop-in", n < 0 ? n :
	       write_in(o->rundir, "systemd/system/networking.service.d", "10-netinit.conf", buf, (size_t)n, true));
	n = format_ifupdown(l, true, buf, sizeof(buf));
	snprintf(name, sizeof(name), "systemd/system/ifup@%s.service.d", l->ifname);
	report("the ifup@.service drop-in",
	       n < 0 ? n : write_in(o->rundir, name, "10-netinit.conf", buf, (size_t)n, true));

	if (o->newroot)
		handover_newroot(l, o->newroot, resolv, rlen);
	return err;
}

int net_handover(const struct net_lease *l, const char *newroot)
{
	struct net_handover_opts o = { "/run", newroot, true };

	return net_handover_opts(l, &o);
}
