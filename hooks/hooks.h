/* SPDX-License-Identifier: MIT */
/*
 * Site hook scripts: /etc/netinit/hooks/<stage>/ inside the initramfs
 * (netinit-mkinitramfs --hooks DIR copies them there), run in lexical order
 * by busybox sh.  Values reach a hook only through its environment, each
 * validated before (never through a shell string):
 *   NETINIT_STAGE  NETINIT_HOSTNAME  NETINIT_IFACE  NETINIT_IP  NETINIT_NEWROOT
 * A hook that exits non-zero fails the stage (the failure policy applies).
 */
#ifndef NETINIT_HOOKS_H
#define NETINIT_HOOKS_H

#include "cmdline.h"

#define HOOKS_DIR "/etc/netinit/hooks"

/* Run every hook of a stage; 0, or -errno/-ECHILD when one failed. */
int hooks_run(enum boot_stage stage, const char *hostname, const char *ifname,
	      const char *ip, const char *newroot);

#endif
