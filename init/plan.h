/* SPDX-License-Identifier: MIT */
/*
 * The boot plan: what this boot will do, decided in one place.
 *
 * plan_build() is a pure function of the parsed command line and, once the
 * network is up, the lease: where the root comes from (a local device, an
 * NFS export, image URLs with mirrors), how it is verified, which writable
 * layer goes on top, and what the real init is.  No I/O: it runs in PID 1
 * (twice: before the network, and again with the lease), in `init plan
 * "LINE"` on a host, in netinit-export's lint, and in tests/unit/test_plan.c.
 *
 * The stages take the part of the plan they need: mount/ the local or NFS
 * part, fetch/ the image and verification part, the writable part both.
 * The writable part holds the per-host directory and per-host files; room
 * is left for extra mounts: new members of struct boot_plan.
 */
#ifndef NETINIT_PLAN_H
#define NETINIT_PLAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "cmdline.h"

struct net_lease; /* net/net.h */

enum plan_root {
	PLAN_ROOT_NONE = 0, /* no root= (an error), or not decidable */
	PLAN_ROOT_LOCAL,    /* a block device: root=/dev/..., LABEL=, UUID=, ... */
	PLAN_ROOT_NFS,      /* root=/dev/nfs + nfsroot=, root=nfs:, DHCP root-path */
	PLAN_ROOT_IMAGE,    /* http:// or tftp:// URLs: fetched, verified, mounted */
	PLAN_ROOT_DHCP,     /* root=dhcp before the lease: the lease decides (NFS or image) */
};

struct plan_local {
	char device[256];        /* as written: /dev/vda, LABEL=x, UUID=... */
	char fstype[32];         /* rootfstype=, "" = probe */
	char flags[512];         /* rootflags= */
	int wait_s;              /* how long to wait for the device */
};

struct plan_nfs {
	char server[256];        /* name or address; "" = from DHCP (before the lease) */
	char path[1024];         /* absolute; "%s" replaced once the client address is known */
	char options[512];       /* the user's options, comma separated */
	int version;             /* 3, 4, or 0 = try 4 then 3 */
	bool has_minor;          /* v4.1, vers=4.2, ...: that NFSv4 minor version */
	int minor;
	bool from_lease;         /* the location is the lease's root-path (option 17) */
	int wait_s;              /* retry the mount this long (rd.timeout=) */
	int retry_s;             /* at most this long between tries (rd.retry=); 0 = default */
};

struct plan_image {
	/* The URLs in order (root= URL, netinit.mirror=, then the lease's), before
	 * %h/%m expansion, which needs the node's MAC and name (fetch/). */
	char url[CMDLINE_MAX_LIST][CMDLINE_MAX_URL];
	size_t nurl;
	size_t from_lease;       /* index of the URL that came from DHCP, or nurl when none */
	int stall_s;             /* netinit.fetch.timeout=; -1 = fetch's default */
	int tries;               /* netinit.fetch.retries=; -1 = fetch's default */
};

/* Verification policy for image roots (doc/fetch.md "Verification"). */
struct plan_verify {
	bool off;                               /* netinit.verify=off */
	bool has_pin;
	uint8_t pin[32];                        /* netinit.sha256= */
	bool pin_invalid;                       /* given but malformed: refuse to boot */
	uint8_t key[CMDLINE_MAX_LIST][32];      /* netinit.key=, decoded once by the parser */
	size_t nkey;
	char key_invalid[64];                   /* a malformed netinit.key= value: refuse */
};

enum plan_writable_mode {
	PLAN_RW_VOLATILE = 0,    /* overlayfs, tmpfs upper (the default) */
	PLAN_RW_NONE,            /* the root as it is (read-only images, ro/rw NFS) */
	PLAN_RW_PERSISTENT,      /* the node's own directories on the server (mount/hostdir.h) */
};

#define PLAN_MAX_DIRS 8

/* netinit.writable=persistent: <server>:<path>/<host>/{dirs} over NFS
 * (doc/writable.md).  The host name is chosen by init/hostname.c. */
struct plan_hostdir {
	char server[256];        /* base's server, else the NFS root's, else the image URL's host */
	char path[1024];         /* the base directory (absolute) */
	char dirs[PLAN_MAX_DIRS][64]; /* netinit.writable.dirs=, default etc,var,tmp */
	size_t ndirs;
	bool collision_fail;     /* netinit.writable.collision=fail */
	int version;             /* the NFS root's version when it has one, else 0 (4, then 3) */
	/* On the NFS root's server: the root's options and minor version too,
	 * so the kernel shares the root's NFS client (mount/hostdir.c) */
	bool root_options;
	char options[512];
	bool has_minor;
	int minor;
	int wait_s;              /* retry the mount this long (rd.timeout=) */
	int retry_s;             /* rd.retry= */
};

struct plan_writable {
	enum plan_writable_mode mode;
	struct plan_hostdir hostdir;     /* PLAN_RW_PERSISTENT */
	/* netinit.hostfiles=, in cmdline order, %h not expanded; none = no per-host files */
	char hostfiles[CMDLINE_MAX_LIST][CMDLINE_MAX_URL];
	size_t nhostfiles;
};

/* Who this node is, as far as the command line says (the lease and sysfs
 * may add to it in the stages): for %h/%m in URLs, the mirror order, and
 * later the per-host layer. */
struct plan_node {
	bool has_mac;
	uint8_t mac[6];          /* BOOTIF=, else the first ip=...:<mac> */
	char hostname[64];       /* the first ip= field 5, or "" */
};

/* netinit.mount=<source>:<mountpoint>[:<type>[:<options>]]: mounted under the
 * new root after it, before switch_root (mount/extra.c). */
struct plan_mount {
	char source[512];        /* as written: server:/usr, tmpfs, /dev/vdb, LABEL=x */
	char target[256];        /* absolute, inside the new root */
	char type[32];           /* nfs (also nfs4), tmpfs, ext4, ...; defaulted from the source */
	char options[512];       /* comma separated, "" = defaults */
	bool ro;                 /* "ro" among the options */
	int wait_s;              /* retry this long (rd.timeout=), like the root */
	struct plan_nfs nfs;     /* type nfs: the source as an NFS location */
};

struct boot_plan {
	enum plan_root root;
	struct plan_node node;
	bool need_net;           /* bring the network up before the root */
	bool ro;                 /* mount the root (the lower layer) read-only */
	struct plan_local local;
	struct plan_nfs nfs;
	struct plan_image image;
	struct plan_verify verify;
	struct plan_writable writable;
	struct plan_mount mount[CMDLINE_MAX_MOUNT]; /* netinit.mount=, in order */
	size_t nmount;
	char init[256];          /* the real init (init=) */
	/* The words after "--", which the kernel passes to the real init (with
	 * its own bare unknown words; init/main.c hands on the kernel's argv). */
	char init_args[512];
};

/* A problem with the plan: stage is where the boot logs it ("mount", "nfs",
 * "fetch", "verify"); an error means the root cannot be reached as planned. */
typedef void (*plan_report_fn)(void *ctx, enum cmdline_severity sev, const char *stage,
			       const char *msg);

/* Build the plan.  lease: NULL before the network is up (or without one).
 * Returns the number of errors reported (0 = the plan can be carried out;
 * with PLAN_ROOT_DHCP or an NFS server "from DHCP" only once a lease comes).
 * report may be NULL. */
int plan_build(const struct cmdline *cl, const struct net_lease *lease, struct boot_plan *p,
	       plan_report_fn report, void *ctx);

/* Human-readable key=value lines, one fact a line (`init plan`). */
void plan_print(const struct boot_plan *p, FILE *out);

const char *plan_root_name(enum plan_root r);
/* "3", "4", "4.1", or "4, then 3" (no version asked): for logs and `init plan`. */
const char *nfs_version_name(const struct plan_nfs *n);

#endif
