/* SPDX-License-Identifier: MIT */
/*
 * The kernel command line: the interface contract of netinit.
 *
 * One parser for the kernel's, dracut's and initramfs-tools' spellings and
 * netinit's own "netinit.*" keys.  Used by init at boot and by
 * netinit-export to lint pxelinux.cfg lines on the server, so it does no I/O
 * and never aborts: every problem is reported through the callback with the
 * parameter's name, and parsing goes on.
 *
 * Rules (documented in doc/cmdline.md, tested in tests/unit/test_cmdline.c):
 *  - words are separated by spaces/tabs/newlines; double quotes group
 *    (key="a b" or "key=a b"), as the kernel does;
 *  - the same key given twice: the last one wins, except the keys that are
 *    lists by nature (ip=, nameserver=, rd.route=, ifname=, netinit.mirror=,
 *    rd.driver.*=, netinit.key=, netinit.mount=) which accumulate in order;
 *  - a key without '=' is a flag (rd.shell, ro, rw, rd.neednet);
 *  - unknown keys outside "netinit." are ignored (they belong to the kernel
 *    or the real init); unknown "netinit.*" keys are errors.
 */
#ifndef NETINIT_CMDLINE_H
#define NETINIT_CMDLINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <netinet/in.h>

#define CMDLINE_MAX 4096 /* >= every arch's COMMAND_LINE_SIZE (x86: 2048, with the NUL) */
#define CMDLINE_MAX_IP 8
#define CMDLINE_MAX_LIST 16
#define CMDLINE_MAX_URL 1024
#define CMDLINE_MAX_MOUNT 8

enum cmdline_severity { CMDLINE_ERROR, CMDLINE_WARNING };

/* Called for every problem: param is the key as written ("ip", "rd.timeout"). */
typedef void (*cmdline_report_fn)(void *ctx, enum cmdline_severity sev,
				  const char *param, const char *msg);

/* One word of the line after quote removal. */
struct cmdline_word {
	char *key;   /* points into cmdline.buf */
	char *value; /* NULL for a flag without '=' */
};

/* ip= in all its forms (kernel, dracut). */
enum ip_method {
	IP_METHOD_UNSET = 0,
	IP_METHOD_OFF,    /* ip=off|none: no network */
	IP_METHOD_DHCP,   /* ip=dhcp|on|any|both|bootp|rarp (DHCP is used for all) */
	IP_METHOD_STATIC, /* kernel ip=<client>:... with autoconf off/none/static */
};

struct ip_spec {
	enum ip_method method;
	char device[16];        /* IFNAMSIZ; "" = any */
	struct in_addr client, server, gateway, netmask; /* 0 = unset */
	char hostname[64];      /* validated host name or "" */
	struct in_addr dns[2], ntp;
	unsigned mtu;           /* dracut ip=<if>:dhcp:<mtu>; 0 = unset */
	uint8_t mac[6];         /* dracut ip=<if>:dhcp:<mtu>:<mac> */
	bool has_mac;
};

enum root_type {
	ROOT_UNSET = 0,
	ROOT_BLOCK, /* /dev/..., LABEL=, UUID=, PARTUUID=, PARTLABEL= */
	ROOT_NFS,   /* root=/dev/nfs + nfsroot=, root=nfs:, root=nfs4:, boot=nfs */
	ROOT_URL,   /* root=http://, root=tftp://, root=live:<url> */
	ROOT_DHCP,  /* root=dhcp, nfsroot=auto: from DHCP option 17 / next-server */
};

struct nfs_spec {
	int version;               /* 3 or 4; 0 = not given (try 4 then 3) */
	bool has_minor;            /* v4.0/v4.1/v4.2, vers=4.N: that minor version */
	int minor;
	char server[256];          /* "" = from DHCP (root-path / next-server) */
	char path[1024];           /* may contain %s (client IP, kernel rule) */
	char options[512];         /* mount options as given, comma separated */
};

struct root_spec {
	enum root_type type;
	char device[256];          /* ROOT_BLOCK: as written: /dev/vda, LABEL=x, UUID=... */
	struct nfs_spec nfs;       /* ROOT_NFS; ROOT_DHCP: version/options from the line, if any */
	char url[CMDLINE_MAX_URL]; /* ROOT_URL: the first URL */
};

enum fail_action {
	FAIL_DEFAULT = 0, /* reboot after fail_delay seconds */
	FAIL_REBOOT,
	FAIL_POWEROFF,
	FAIL_HALT,        /* stop, print the reason periodically; never silent */
	FAIL_SHELL,
};

/* Stage names for rd.break= / break= and the hook stages. */
enum boot_stage {
	STAGE_CMDLINE = 0,
	STAGE_PRE_UDEV,   /* before module loading ("pre-udev" in dracut) */
	STAGE_PRE_NET,
	STAGE_POST_NET,
	STAGE_PRE_MOUNT,
	STAGE_MOUNT,
	STAGE_POST_MOUNT,
	STAGE_PRE_PIVOT,
	STAGE__COUNT
};
const char *boot_stage_name(enum boot_stage s);
/* Accepts dracut's and initramfs-tools' names (top, modules, premount, ...). */
int boot_stage_parse(const char *name, enum boot_stage *out);

struct cmdline {
	char buf[CMDLINE_MAX + 1];       /* the words, NUL separated */
	struct cmdline_word words[512];
	size_t nwords;

	/* kernel */
	struct root_spec root;
	char rootfstype[32];
	char rootflags[512];
	int ro;                          /* 1 ro, 0 rw, -1 not given (default ro) */
	char init[256];                  /* init= ; default "/sbin/init" */
	int panic;                       /* panic= seconds; -1 unset */
	int rootdelay;                   /* rootdelay= seconds; -1 unset */

	/* network */
	struct ip_spec ip[CMDLINE_MAX_IP];
	size_t nip;
	struct in_addr nameserver[CMDLINE_MAX_LIST];
	size_t nnameserver;
	char bootif[18];                 /* BOOTIF=01-aa-bb-..: "aa:bb:cc:dd:ee:ff" or "" */
	struct { char name[16]; uint8_t mac[6]; } ifname[CMDLINE_MAX_LIST];
	size_t nifname;
	char route[CMDLINE_MAX_LIST][64]; /* rd.route=<net>/<prefix>:<gw>[:<if>] as given */
	size_t nroute;
	bool neednet;                    /* rd.neednet / boot=nfs / a network root */
	int timeout_iflink, timeout_carrier, timeout_dhcp; /* rd.net.timeout.*, -1 unset */
	int dhcp_retry;                  /* rd.net.dhcp.retry; -1 unset */

	/* failure policy, debugging */
	bool shell;                      /* rd.shell */
	unsigned break_mask;             /* 1u << enum boot_stage, rd.break=/break= */
	enum fail_action emergency;      /* rd.emergency= / netinit.onfail= */
	int retry;                       /* rd.retry= seconds; -1 unset */
	int timeout;                     /* rd.timeout= seconds; -1 unset */
	bool debug;                      /* rd.debug / netinit.debug */

	/* modules */
	char driver_pre[CMDLINE_MAX_LIST][64];
	size_t ndriver_pre;
	char driver_blacklist[CMDLINE_MAX_LIST][64];
	size_t ndriver_blacklist;

	/* netinit.* (see doc/cmdline.md) */
	char mirror[CMDLINE_MAX_LIST][CMDLINE_MAX_URL]; /* root= URL first, then netinit.mirror= */
	size_t nmirror;
	char sha256[65];                 /* netinit.sha256= pin, lowercase hex, or "" */
	bool verify_off;                 /* netinit.verify=off: explicit, loudly logged */
	char writable[16];               /* netinit.writable=volatile|persistent|none */
	/* netinit.hostfiles=<url>, repeated: the per-host archive and its mirrors, in order */
	char hostfiles[CMDLINE_MAX_LIST][CMDLINE_MAX_URL];
	size_t nhostfiles;
	char writable_base[1280];        /* netinit.writable.base=[<server>:]<dir>, or "" */
	char writable_dirs[8][64];       /* netinit.writable.dirs=, validated; none = etc,var,tmp */
	size_t nwritable_dirs;
	bool collision_fail;             /* netinit.writable.collision=fail */
	char mount[CMDLINE_MAX_MOUNT][512]; /* netinit.mount= as written, in order */
	size_t nmount;

	/* added with the parser (doc/cmdline.md) */
	bool truncated;                  /* line was longer than CMDLINE_MAX (error reported) */
	bool sha256_invalid;             /* netinit.sha256= given but malformed: refuse to boot */
	uint8_t key[CMDLINE_MAX_LIST][32]; /* netinit.key=<base64>: ed25519 public keys, decoded */
	size_t nkey;
	char key_invalid[64];            /* a malformed netinit.key= as written (shortened), or "":
					  * the boot refuses to go on without the check it asks for */
	int fetch_timeout;               /* netinit.fetch.timeout= seconds; -1 unset */
	int fetch_retries;               /* netinit.fetch.retries=; -1 unset */
	int hook_timeout;                /* netinit.hook.timeout= seconds; -1 unset (120) */
	char hook_onfail[8];             /* netinit.hook.onfail=fail|skip; "" = fail */
	char report_url[CMDLINE_MAX_URL]; /* netinit.report=http://... or "" */
	int retries;                     /* netinit.retries= stage retries; -1 unset */
	int shell_timeout;               /* netinit.shell.timeout= seconds; -1 unset (300) */
	int watchdog_stuck;              /* netinit.watchdog.stuck= seconds; -1 unset (600) */
	size_t ninit_args;               /* words after "--": words[nwords .. nwords+ninit_args),
					  * whole words in .key (.value NULL), for the real init */
};

/* Returns the number of errors reported (0 = clean).  Never fails hard: the
 * result holds every value that was valid.  report may be NULL. */
int cmdline_parse(const char *line, struct cmdline *cl,
		  cmdline_report_fn report, void *ctx);

/* Raw lookups (last value wins); has(): key present with or without value.
 * get() returns the value of the last occurrence of key: NULL when the key is
 * absent or its last occurrence is a bare flag.  Words after "--" are not seen. */
const char *cmdline_get(const struct cmdline *cl, const char *key);
bool cmdline_has(const struct cmdline *cl, const char *key);
/* The i-th word after "--" (NULL past the end). */
const char *cmdline_init_arg(const struct cmdline *cl, size_t i);

/* The NFS spellings (dracut.cmdline(7), filesystems/nfs/nfsroot.rst), one
 * rule for the command line and the DHCP root-path: [<server>:]<path> (absolute), then
 * ':' or ',' and the options, comma separated.  Sets server, path, options
 * and the version the options name (vers=, nfsvers=, v3, v4, v4.1, ...);
 * nfs->version may be preset (nfs4:).  Returns NULL, or what is wrong. */
const char *nfs_location_parse(const char *s, struct nfs_spec *nfs);
/* One option (len bytes at opt) naming a version: 1 and the major and minor
 * (-1 = none), 0 when it does not, -1 for a version that is not mounted. */
int nfs_option_version(const char *opt, size_t len, int *major, int *minor);

/* nfs_spec.path with every "%s" replaced by the client's IPv4 address (the
 * kernel's documented rule; dracut's "%s" = host name is not followed).
 * Returns 0, or -ENAMETOOLONG when out is too small. */
int cmdline_nfs_path(const char *path, struct in_addr client, char *out, size_t size);

/* hostname_valid() and the other shared validators live in validate.h. */
#include "validate.h"

#endif
