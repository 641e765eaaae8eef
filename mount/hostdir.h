/* SPDX-License-Identifier: MIT */
/*
 * netinit.writable=persistent: the node's own directories on the server
 * (doc/writable.md).
 *
 * The base <server>:<dir> is mounted once with the kernel's NFS client (the
 * root's code path, mount/nfsroot.c), read-write, in /run/netinit/hostbase.
 * The node's directory <dir>/<key>/ and each of its directories (etc, var,
 * tmp) are opened one component at a time with O_NOFOLLOW, so a symlink
 * planted in the base never leads out of it; the ownership record is
 * checked (below); then each directory is bind-mounted over the shared
 * root's directory of the same name (through its open fd), and the base is
 * detached: the booted node sees its own directories only.
 *
 * Ownership, in the node's directory (not visible to the node once booted):
 *   .netinit-owner  "mac=52:54:00:aa:00:01": written by `netinit-export
 *                   nodedirs` from the node's drop-in (the site says who owns
 *                   the name).  Another MAC is refused.
 *   .netinit-claim  "mac=... boot_id=... time=...": written at boot when
 *                   there is no owner record (first come, first served);
 *                   another MAC is refused until an admin deletes the file.
 */
#ifndef NETINIT_HOSTDIR_H
#define NETINIT_HOSTDIR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct mount_modules;
struct net_lease;
struct plan_hostdir;

#define HOSTDIR_OWNER ".netinit-owner"
#define HOSTDIR_CLAIM ".netinit-claim"
#define HOSTDIR_BASE "/run/netinit/hostbase"

/* Who boots: the key of the directory and what the claim records. */
struct hostdir_who {
	const char *key;        /* the short host name (init/hostname.h), validated */
	uint8_t mac[6];
	char boot_id[40];       /* /proc/sys/kernel/random/boot_id */
	long long now;          /* seconds since the epoch */
};

/* ---- pure: records and the verdict (tests/unit/test_hostdir.c) ---- */

/* The "mac=" line of a record; 0, -ENOENT (no such line) or -EINVAL. */
int hostdir_record_mac(const char *text, uint8_t mac[6]);

enum hostdir_verdict {
	HOSTDIR_OWNED,          /* the owner record names this MAC */
	HOSTDIR_CLAIMED,        /* no owner record; the claim is this MAC's */
	HOSTDIR_FREE,           /* neither record: claim it */
	HOSTDIR_TAKEN,          /* another MAC owns or claims it (*other) */
	HOSTDIR_BAD_RECORD,     /* a record without a readable mac= line: refuse */
};
/* owner, claim: the records' text, NULL when absent. */
enum hostdir_verdict hostdir_verdict(const char *owner, const char *claim, const uint8_t mac[6],
				     uint8_t other[6]);
/* The claim file's text; 0 or -ENAMETOOLONG. */
int hostdir_claim_text(const struct hostdir_who *w, char *out, size_t size);

/* ---- the stage ---- */

/* Mount h's directories for who over newroot.  Returns 0 (mounted), 1 when
 * the node must boot volatile (its directory is missing or incomplete, or
 * the name is taken by another MAC and the policy is not "fail": the
 * reason is logged loudly), or -errno when the boot fails (the base could
 * not be mounted within h->wait_s, or a collision with
 * netinit.writable.collision=fail).  Nothing stays mounted unless 0. */
int hostdir_mount(const struct plan_hostdir *h, const struct hostdir_who *who,
		  const struct net_lease *lease, const struct mount_modules *mm,
		  const char *newroot);

/* The volatile layer over whatever is on newroot now (an overlay whose
 * lower layer is that mount): the fallback of a persistent boot.  0 or -errno. */
int hostdir_fallback_volatile(const struct mount_modules *mm, const char *newroot);

#endif
