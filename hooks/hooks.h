/* SPDX-License-Identifier: MIT */
/*
 * Site hooks (doc/hooks.md): executables in /etc/netinit/hooks/<stage>/ of
 * the initramfs (netinit-mkinitramfs --hooks DIR), and for post-mount and
 * pre-pivot also in /etc/netinit/hooks/<stage>/ of a trusted new root.
 *
 * Each hook is exec'd directly (its #! line picks the interpreter), in lexical
 * order, in a process group of its own, stdin /dev/null, stdout and stderr
 * logged line by line as "<stage>: hook <name>: <line>", with a timeout
 * after which the whole group is killed.  Values reach it only through
 * execve()'s environment (hooks/hookenv.c), never through a shell string.
 */
#ifndef NETINIT_HOOKS_H
#define NETINIT_HOOKS_H

#include <stdbool.h>
#include <stddef.h>

#include "cmdline.h"

#define HOOKS_DIR "/etc/netinit/hooks"      /* in the initramfs */
#define HOOKS_ROOT_DIR "/etc/netinit/hooks" /* in the new root, relative to it */
#define HOOKS_MAX 64                        /* per folder; more is an error */
#define HOOKS_TIMEOUT_DEFAULT 120           /* seconds */
#define HOOKS_KILL_GRACE_MS 2000            /* SIGTERM, then SIGKILL */

enum hook_policy {
	HOOK_POLICY_UNSET = 0,
	HOOK_POLICY_FAIL,   /* the stage fails: the failure policy acts (default) */
	HOOK_POLICY_SKIP,   /* logged, and the boot goes on */
};

/* Per-hook settings from "# netinit-timeout: N" / "# netinit-onfail: fail|skip"
 * comment lines in the first 4 KiB of the file. */
struct hook_opts {
	int timeout_s;           /* 0 = the global value */
	enum hook_policy policy; /* UNSET = the global value */
};

struct hooks_conf {
	int timeout_s;           /* netinit.hook.timeout= (default 120) */
	enum hook_policy policy; /* netinit.hook.onfail= (default fail) */
};

/* Parse the header lines; 0, or -EINVAL with a message in err. */
int hook_parse_header(const char *buf, size_t len, struct hook_opts *o, char *err, size_t errsize);

/* netinit.hook.timeout= / netinit.hook.onfail= values; 0 or -EINVAL. */
int hooks_parse_timeout(const char *val, int *out);
int hooks_parse_policy(const char *val, enum hook_policy *out);

/*
 * Run every hook in dir (a missing dir has none).  stage names the log lines.
 * Returns 0, -E2BIG when dir holds more than HOOKS_MAX entries, or -ECHILD
 * when a hook whose policy is fail failed (exit status, signal, timeout).
 */
int hooks_run_dir(const char *dir, const char *stage, const struct hooks_conf *c,
		  char *const envp[]);

/* The stage's hooks as the boot runs them (hooks/stage.c): the initramfs
 * folder, then for post-mount/pre-pivot the trusted root's.  0 or -errno. */
struct boot_state;
int hooks_stage(const struct cmdline *cl, enum boot_stage stage, const struct boot_state *bs,
		const char *newroot);
/* May the new root's own hooks run (a local disk or a verified image)? */
bool hooks_root_trusted(const struct cmdline *cl, const struct boot_state *bs);

#endif
