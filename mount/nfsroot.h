/* SPDX-License-Identifier: MIT */
/* NFSv3/NFSv4 roots with the kernel client: mount(2) with text options. */
#ifndef NETINIT_NFSROOT_H
#define NETINIT_NFSROOT_H

#include <stddef.h>
#include <netinet/in.h>

struct cmdline;
struct net_lease;

/* Where the NFS root is, after the command line and DHCP have been heard. */
struct nfsroot_target {
	char server[256];      /* as given (name or address) */
	struct in_addr addr;   /* resolved: the kernel needs addr= */
	char path[1024];       /* %s substituted */
	char options[512];     /* user options, comma separated */
	int version;           /* 3, 4, or 0 = try 4 then 3 */
};

/*
 * Resolve the NFS location: root=nfs:/nfsroot= first, else the DHCP
 * root-path (option 17, "[server:]path[,options]", RFC 2132 §3.19), with
 * the server defaulting to ip= field 2, then next-server, then the DHCP
 * server.  0 or -errno with the reason logged.
 */
int nfsroot_resolve(const struct cmdline *cl, const struct net_lease *lease,
		    struct nfsroot_target *t);

/* Build the mount(2) data string for one version; 0 or -ENAMETOOLONG. */
int nfsroot_options(const struct nfsroot_target *t, int version, const struct in_addr *client,
		    int ro, char *out, size_t size);

/* Mount it on newroot (retrying with backoff up to rd.timeout=, default
 * NFSROOT_TIMEOUT_DEFAULT s), with the volatile overlay on top unless
 * netinit.writable=none.  0 or -errno. */
#define NFSROOT_TIMEOUT_DEFAULT 60
int nfsroot_mount(const struct cmdline *cl, const struct net_lease *lease, const char *newroot);

#endif
