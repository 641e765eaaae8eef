/* SPDX-License-Identifier: MIT */
/*
 * What the units of the command line parser share (init/cmdline*.c):
 *   cmdline.c          reports, dispatch over the key tables, rules across keys
 *   cmdline_token.c    the tokenizer and the raw lookups
 *   cmdline_keys.c     kernel, dracut and initramfs-tools keys, boot stages
 *   cmdline_ip.c       ip= / nfsaddrs=
 *   cmdline_netinit.c  netinit.*
 * Not for use outside init/cmdline*.c.
 */
#ifndef NETINIT_CMDLINE_INTERNAL_H
#define NETINIT_CMDLINE_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>

#include "cmdline.h"
#include "validate.h"

#define MAX_WORDS (sizeof(((struct cmdline *)0)->words) / sizeof(struct cmdline_word))
#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#endif

/* Seconds: a day is more than any sane boot wait and keeps sums in int. */
#define SECONDS_MAX 86400

struct pstate {
	struct cmdline *cl;
	cmdline_report_fn report;
	void *ctx;
	int errors;
	/* keys whose meaning depends on others: applied in cmdline_resolve() */
	struct nfs_spec nfsroot;
	bool has_nfsroot, nfsroot_auto;
	const char *nfsroot_key;
	bool root_devnfs; /* root=/dev/nfs: location from nfsroot= */
	bool boot_nfs;    /* initramfs-tools boot=nfs */
	bool boot_live;   /* live-boot boot=live */
	const char *live_fetch; /* live-boot fetch=<url> (into cl->buf) */
	int neednet;      /* rd.neednet: -1 not given, 0, 1 */
};

/* Report a problem with param (counted when an error). */
void cmdline_report(struct pstate *ps, enum cmdline_severity sev, const char *param,
		    const char *fmt, ...) __attribute__((format(printf, 4, 5)));
#define ERR(ps, param, ...)  cmdline_report(ps, CMDLINE_ERROR, param, __VA_ARGS__)
#define WARN(ps, param, ...) cmdline_report(ps, CMDLINE_WARNING, param, __VA_ARGS__)

/* A value quoted for a message: printable, at most 48 bytes, never a raw control char. */
const char *cmdline_show(char out[64], const char *v);
/* A key as the param of a report: one printable token, at most 48 bytes. */
const char *cmdline_show_key(char out[64], const char *k);
/* url_problem() reported as an error of key; true when the URL is fine. */
bool cmdline_url_check(struct pstate *ps, const char *key, const char *url);

/* One handler per key; val is NULL for a bare flag (FLAG_OK keys). */
typedef void (*handler_fn)(struct pstate *ps, const char *key, const char *val);
enum { VAL_NEEDED = 1, /* key=value only */ FLAG_OK = 2 /* bare key allowed */ };
struct keydef {
	const char *key;
	handler_fn fn;
	int flags;
};
/* The key tables of the units; cmdline_dispatch() looks a key up in each. */
extern const struct keydef cmdline_keys_std[], cmdline_keys_ip[], cmdline_keys_netinit[];
extern const size_t cmdline_nkeys_std, cmdline_nkeys_ip, cmdline_nkeys_netinit;

/* cmdline_token.c */
void cmdline_defaults(struct cmdline *cl);
void cmdline_tokenize(struct pstate *ps, const char *line);

#endif
