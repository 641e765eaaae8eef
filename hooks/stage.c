/* SPDX-License-Identifier: MIT */
/* The hooks of one boot stage: the initramfs folder, then the root's. */
#include "hooks.h"

#include <dirent.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "boot.h"
#include "fetch.h"
#include "hookenv.h"
#include "log.h"

static bool dir_has_entries(const char *path)
{
	DIR *d = opendir(path);
	struct dirent *e;
	bool any = false;

	while (d && !any && (e = readdir(d)))
		any = e->d_name[0] != '.';
	if (d)
		closedir(d);
	return any;
}

/*
 * Hooks from inside the new root run only when its files are trusted: a
 * local disk (not a network source), or an image that fetch/ verified (a
 * signed manifest with the built-in or netinit.key= keys, or a
 * netinit.sha256= pin: the rule of fetch/verify.c).  An NFS root or an
 * unverified image is data anyone on the path could have written.
 */
bool hooks_root_trusted(const struct cmdline *cl, const struct boot_state *bs)
{
	const char *kind = hookenv_root_kind(cl, bs);

	if (!strcmp(kind, "block"))
		return true;
	if (strcmp(kind, "image") != 0)
		return false;
	if (bs->plan.verify.has_pin)
		return true;
	return !bs->plan.verify.off && (bs->plan.verify.nkey > 0 || dir_has_entries(FETCH_KEY_DIR));
}

static void hooks_conf_from(const struct cmdline *cl, struct hooks_conf *c)
{
	c->timeout_s = cl->hook_timeout > 0 ? cl->hook_timeout : HOOKS_TIMEOUT_DEFAULT;
	c->policy = HOOK_POLICY_FAIL;
	if (cl->hook_onfail[0])
		hooks_parse_policy(cl->hook_onfail, &c->policy);
}

int hooks_stage(const struct cmdline *cl, enum boot_stage stage, const struct boot_state *bs,
		const char *newroot)
{
	static struct hookenv env; /* 12 KiB: off PID 1's stack */
	const char *name = boot_stage_name(stage);
	bool late = stage == STAGE_POST_MOUNT || stage == STAGE_PRE_PIVOT;
	struct hooks_conf c;
	char dir[512];
	int r;

	hooks_conf_from(cl, &c);
	hookenv_build(&env, cl, bs, stage, late ? newroot : NULL);
	snprintf(dir, sizeof(dir), "%s/%s", HOOKS_DIR, name);
	r = hooks_run_dir(dir, name, &c, env.envp);
	if (r < 0 || !late || !newroot)
		return r;
	snprintf(dir, sizeof(dir), "%s%s/%s", newroot, HOOKS_ROOT_DIR, name);
	if (!hooks_root_trusted(cl, bs)) {
		if (dir_has_entries(dir))
			nl_warn(name, "hooks in the new root (%s/%s) are not run: the root is %s, "
				"not verified (doc/hooks.md)", HOOKS_ROOT_DIR, name,
				hookenv_root_kind(cl, bs));
		return 0;
	}
	return hooks_run_dir(dir, name, &c, env.envp);
}
