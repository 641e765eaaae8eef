/* SPDX-License-Identifier: MIT */
/*
 * The node's name: the key of its per-host directory (mount/hostdir.h) and
 * the line for it in the new root's /etc/hosts (doc/writable.md "Host names").
 *
 * Sources, first usable one wins: DHCP option 12 (RFC 2132 3.14), the
 * kernel ip= field 5 (Documentation/admin-guide/nfs/nfsroot.rst), then a
 * name made from the MAC, "node-" and its 12 hex digits (node-525400aa0001).
 * Every name is lower-cased and checked with the one host-name rule,
 * hostname_valid() (init/validate.h), before it becomes part of a path; a
 * name that fails it is refused (logged) and the next source is used.  The
 * key is the first label; the FQDN is the name itself when it has dots,
 * else name.domain when the lease gave a valid domain (option 15).
 * Pure, except hostname_write_hosts().
 */
#ifndef NETINIT_HOSTNAME_H
#define NETINIT_HOSTNAME_H

#include <stdint.h>
#include <stddef.h>
#include <netinet/in.h>

enum host_source { HOST_SRC_NONE = 0, HOST_SRC_DHCP, HOST_SRC_IP, HOST_SRC_MAC };

struct node_name {
	char key[64];              /* the short name: one label, lower case */
	char fqdn[254];            /* lower case; equal to key when no domain is known */
	enum host_source source;
};

/* Called for each refused candidate (src: "DHCP option 12", "ip= field 5");
 * name is shown as the caller received it (it may be hostile: print with %s
 * only after the caller's own escaping; hostname_choose passes a copy with
 * non-printable bytes replaced by '?'). */
typedef void (*hostname_refused_fn)(void *ctx, const char *src, const char *name);

/* Choose the name.  dhcp, ipname, domain: may be NULL or ""; mac: NULL when
 * none is known.  0, or -ENOENT when no source gives a valid name. */
int hostname_choose(const char *dhcp, const char *ipname, const uint8_t *mac,
		    const char *domain, struct node_name *out, hostname_refused_fn refused,
		    void *ctx);

const char *hostname_source_name(enum host_source s);

/* "<addr> <fqdn> <key>\n" (or "<addr> <key>\n"); 0 or -ENAMETOOLONG. */
int hostname_hosts_line(const struct node_name *n, struct in_addr addr, char *out, size_t size);

/* Add that line to <newroot>/etc/hosts unless a line already names key
 * (the node's own file is never rewritten otherwise); written atomically,
 * never through a symlink at etc/hosts.  0, 1 (already there) or -errno. */
int hostname_write_hosts(const char *newroot, const struct node_name *n, struct in_addr addr);

#endif
