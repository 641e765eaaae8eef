/* SPDX-License-Identifier: MIT */
/*
 * The environment of a hook: the boot state as NETINIT_* variables, the one
 * table of doc/hooks.md.  Every value is checked before it goes in (host
 * names by hostname_valid(), addresses formatted by inet_ntop(), paths and
 * URLs printable ASCII without spaces or quotes); a value that fails is left
 * out with a warning.  It reaches the hook only as execve()'s envp: no shell
 * ever parses it (CVE-2018-1111, CVE-2011-0997 were DHCP values in shell text).
 */
#ifndef NETINIT_HOOKENV_H
#define NETINIT_HOOKENV_H

#include <stddef.h>

#include "cmdline.h"

struct boot_state;

#define HOOKENV_MAX 40

struct hookenv {
	char buf[12288];
	size_t used;
	char *envp[HOOKENV_MAX + 1]; /* NULL-terminated */
	size_t n;
};

/* Fill e for a hook of stage; newroot is set for post-mount and pre-pivot. */
void hookenv_build(struct hookenv *e, const struct cmdline *cl, const struct boot_state *bs,
		   enum boot_stage stage, const char *newroot);

/* Add KEY=VALUE when value passes the check (NULL check: printable, no
 * quotes/backslash); returns 0 or -EINVAL (left out) / -ENOSPC. */
int hookenv_add(struct hookenv *e, const char *key, const char *value,
		bool (*check)(const char *));

/* The kind of root: "block", "nfs", "image", or "dhcp" while not yet known. */
const char *hookenv_root_kind(const struct cmdline *cl, const struct boot_state *bs);

#endif
