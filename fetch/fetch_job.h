/* SPDX-License-Identifier: MIT */
/* One download job: mirrors, retries, verification (fetch.c); shared by the
 * boot path (root.c) and `init fetch` (fetch_main.c). */
#ifndef NETINIT_FETCH_JOB_H
#define NETINIT_FETCH_JOB_H

#include <stdbool.h>

#include "cmdline.h"
#include "manifest.h"
#include "stream.h"
#include "transport.h"

struct fetch_job {
	char urls[CMDLINE_MAX_LIST][URL_MAX];   /* expanded, in cmdline order */
	size_t nurls;
	uint64_t seed;                          /* per-host mirror order */
	struct fetch_opts opts;
	struct nkey_set keys;
	bool verify;                            /* signed manifest required */
	bool has_pin;
	uint8_t pin[SHA256_LEN];
	char manifest_url[URL_MAX];             /* "" = <url>.manifest */
	struct stream_target target;
	int raw_fd;
	uint64_t space;                         /* bytes the target may hold; 0 = unchecked */
	/* results */
	struct manifest man;
	bool have_manifest;
	enum stream_fmt fmt;
	uint8_t sha[SHA256_LEN];
	char used_url[URL_MAX + 64];
};

void fetch_job_init(struct fetch_job *j);
int fetch_job_add_url(struct fetch_job *j, const char *url);
/* Each of n URLs with %h = host and %m = mac (may be NULL) expanded
 * (url_expand()), in order, and the per-host mirror order seeded with the
 * MAC, else the host name.  0 or -errno (logged). */
int fetch_job_add_expanded(struct fetch_job *j, const char (*urls)[URL_MAX], size_t n,
			   const char *host, const uint8_t *mac);
/* Every URL, in the per-host order, opts.rounds times, until one succeeds.
 * 0; -ENOENT only when every try was "not on this server" (HTTP 404, TFTP
 * error 1), else the last other failure (-ENOSPC/-ENOMEM at once). */
int fetch_job_run(struct fetch_job *j);
/* netinit.fetch.timeout= and netinit.fetch.retries= of the plan, for every
 * download of the boot (the root, per-host files): fetch/root.c. */
struct boot_plan;
void fetch_opts_from_plan(struct fetch_opts *o, const struct boot_plan *p);

/* Bytes that a target directory can take: statvfs, and MemAvailable for
 * tmpfs/ramfs. */
uint64_t fetch_space_at(const char *dir);
uint64_t fetch_mem_available(void);



/* Verification setup (verify.c).  keydir: "*.pub" files (missing = none);
 * keyargs: netinit.key= / --key values (a file path starting with '/', a
 * key line, or the bare base64 key); pin: netinit.sha256= / --sha256 value
 * or NULL.  A malformed key or pin is an error (never "no check");
 * verify_off with keys present is allowed but logged loudly. */
int fetch_job_verify_setup(struct fetch_job *j, const char *keydir,
			   const char *const *keyargs, size_t nkeyargs,
			   const char *pin, bool verify_off);
/* The same from the boot plan: keys decoded by the parser; a malformed pin
 * or key in the plan refuses (-EINVAL), it never means "no check". */
struct plan_verify;
int fetch_job_verify_plan(struct fetch_job *j, const char *keydir, const struct plan_verify *v);
#endif
