/* SPDX-License-Identifier: MIT */
/* NFSv3/NFSv4 roots with the kernel client: mount(2) with text options. */
#ifndef NETINIT_NFSROOT_H
#define NETINIT_NFSROOT_H

#include <stdbool.h>
#include <stddef.h>
#include <netinet/in.h>

struct mount_modules;
struct net_lease;
struct plan_nfs;
struct plan_writable;

/* The mount(2) data for one version: the user's options without vers=/ro/rw,
 * addr= (the kernel does not resolve names), clientaddr= (v4), nolock (v3,
 * no statd here), timeo=50,retrans=2 unless the user set them (one mount
 * try ends after 15 s against a silent server).  0 or
 * -ENAMETOOLONG. */
int nfsroot_options(const struct plan_nfs *n, struct in_addr server, int version,
		    struct in_addr client, char *out, size_t size);

/* The modules this mount needs, and only those (each costs time: the
 * decompression and the kernel's signature check): nfs, then nfsv3 and/or
 * nfsv4 as the version asked says, overlay under a volatile layer.  Known
 * from the plan alone, so the boot loads them while DHCP is still waiting.
 * Returns how many names were put in mods. */
size_t nfsroot_modules(const struct plan_nfs *n, bool volatile_layer, const char *mods[4]);

/* Mount n's export on target: resolve the server (the lease's DNS), then
 * retry with backoff for n->wait_s; the modules must be loaded.  For the root
 * and for netinit.mount= NFS mounts (mount/extra.c).  0 or -errno. */
int nfs_mount_at(const struct plan_nfs *n, bool ro, const struct net_lease *lease,
		 const char *target);

/* Mount the plan's export on newroot: resolve the server (the lease's DNS),
 * load the NFS modules through mm, retry with backoff for n->wait_s
 * (rd.timeout=, default 60 s), then the volatile overlay on top unless
 * netinit.writable=none.  0 or -errno, logged with the stage "nfs". */
int nfsroot_mount(const struct plan_nfs *n, const struct plan_writable *wr, bool ro,
		  const struct net_lease *lease, const struct mount_modules *mm, const char *newroot);

#endif
