/* SPDX-License-Identifier: MIT */
/*
 * Root images over HTTP and TFTP: the boot stage and `init fetch`.
 * User documentation: doc/fetch.md.
 */
#ifndef NETINIT_FETCH_H
#define NETINIT_FETCH_H

#include "cmdline.h"

struct net_lease; /* net/net.h */

/* Where public keys are looked for inside the initramfs
 * (netinit-mkinitramfs --key copies them here). */
#define FETCH_KEY_DIR "/etc/netinit/keys"
/* Staging area for downloads (tmpfs mounts), kept under /run so the booted
 * system can see what it was booted from. */
#define FETCH_RUN_DIR "/run/netinit"

/* newroot: an empty directory; on success the root filesystem is mounted or
 * unpacked there (with the overlay), verified as configured.  0 or -errno;
 * every failure is logged with the stage "fetch", "verify" or "unpack". */
int fetch_root(const struct cmdline *cl, const struct net_lease *lease, const char *newroot);

/* `init fetch URL OUT [--unpack DIR] [--key K] [--sha256 H] ...`; see
 * `init fetch --help`. Exit status 0, 1 (failed), 2 (usage). */
int fetch_main(int argc, char **argv);

#endif
