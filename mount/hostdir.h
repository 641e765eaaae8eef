/* SPDX-License-Identifier: MIT */
/*
 * netinit.writable=persistent: the node's own directories on the server
 * (doc/writable.md).
 *
 * The node's own export <server>:<dir>/<key> (netinit-export renders one
 * a node, read-write to that node's address only) is mounted with the
 * kernel's NFS client (the root's code path and retries, nfs_mount_at() of mount/nfsroot.c),
 * read-write, in /run/netinit/hostdir.  Each of its directories (etc, var,
 * tmp) is opened with O_NOFOLLOW, so a symlink planted there never leads
 * out of it; the ownership record is checked (below); then each directory
 * is bind-mounted over the shared root's directory of the same name
 * (through its open fd), and the export's top is detached: the booted node
 * sees its directories, not the records.
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
#define HOSTDIR_MNT "/run/netinit/hostdir"

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
 * reason is logged loudly), or -errno: the directory could not be mounted
 * within h->wait_s (the caller applies the failure policy), or a collision
 * with netinit.writable.collision=fail (-EADDRINUSE).  Nothing stays mounted unless 0. */
int hostdir_mount(const struct plan_hostdir *h, const struct hostdir_who *who,
		  const struct net_lease *lease, const struct mount_modules *mm,
		  const char *newroot);

/* The volatile layer over whatever is on newroot now (an overlay whose
 * lower layer is that mount): the fallback of a persistent boot.  0 or -errno. */
int hostdir_fallback_volatile(const struct mount_modules *mm, const char *newroot);

#endif
