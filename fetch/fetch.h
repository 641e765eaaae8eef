/* SPDX-License-Identifier: MIT */
/*
 * Root images over HTTP and TFTP: the boot stage and `init fetch`.
 * User documentation: doc/fetch.md.
 */
#ifndef NETINIT_FETCH_H
#define NETINIT_FETCH_H

#include <stdint.h>

#include "cmdline.h"

struct net_lease; /* net/net.h */

/* Where public keys are looked for inside the initramfs
 * (netinit-mkinitramfs --key copies them here). */
#define FETCH_KEY_DIR "/etc/netinit/keys"
/* Staging area for downloads (tmpfs mounts), kept under /run so the booted
 * system can see what it was booted from. */
#define FETCH_RUN_DIR "/run/netinit"

/* The image of the plan (p->root == PLAN_ROOT_IMAGE): %h/%m expanded, the
 * mirrors tried in the per-host order, verified as p->verify says, and
 * delivered into st (staged_root_init(st, run) is done here): a tree
 * unpacked in a tmpfs, or an image file.  mount/imageroot.c puts it on the
 * new root (staged_root_commit()).  keydir: trusted "*.pub" files.  lease:
 * for %h, the resolver and a root named by DHCP; may be NULL.  0 or -errno;
 * every failure is logged with the stage "fetch", "verify" or "unpack", and
 * nothing stays staged. */
struct boot_plan;
struct staged_root;
int fetch_root(const struct boot_plan *p, const struct net_lease *lease, const char *run,
	       const char *keydir, struct staged_root *st);

/* netinit.hostfiles= (fetch/hostfiles.c): the plan's URLs (mirrors of one
 * archive) with %h = host, %m = mac (may be NULL), fetched and verified like
 * the root (keys from keydir and the plan; the root's netinit.sha256= pin is
 * not applied), then unpacked into newroot.  0 unpacked, 1 not on any
 * mirror (404 on each, logged), -errno (logged with the stage "hostfiles",
 * "fetch" or "verify"). */
struct boot_plan;
int fetch_hostfiles(const struct boot_plan *p, const struct net_lease *lease, const char *host,
		    const uint8_t *mac, const char *keydir, const char *newroot);

/* `init fetch URL OUT [--unpack DIR] [--key K] [--sha256 H] ...`; see
 * `init fetch --help`. Exit status 0, 1 (failed), 2 (usage). */
int fetch_main(int argc, char **argv);

#endif
