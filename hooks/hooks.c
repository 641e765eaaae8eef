/* SPDX-License-Identifier: MIT */
#include "hooks.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "log.h"
#include "util.h"

#define MAX_HOOKS 64

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* A hook file name: letters, digits, '-', '_', '.', not starting with '.'. */
static int hook_name_ok(const char *n)
{
	if (!n[0] || n[0] == '.' || strlen(n) > 64)
		return 0;
	return strspn(n, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.") == strlen(n);
}

int hooks_run(enum boot_stage stage, const char *hostname, const char *ifname,
	      const char *ip, const char *newroot)
{
	char dir[256], *names[MAX_HOOKS];
	char e_stage[64], e_host[300], e_if[48], e_ip[48], e_root[300];
	char *envp[] = { "PATH=/usr/sbin:/usr/bin:/sbin:/bin", e_stage, e_host, e_if, e_ip, e_root, NULL };
	size_t n = 0;
	struct dirent *d;
	DIR *dp;
	int r = 0;

	snprintf(dir, sizeof(dir), "%s/%s", HOOKS_DIR, boot_stage_name(stage));
	dp = opendir(dir);
	if (!dp)
		return 0;
	while ((d = readdir(dp)) && n < MAX_HOOKS) {
		if (!hook_name_ok(d->d_name)) {
			if (d->d_name[0] != '.')
				nl_warn("hooks", "%s/%s: ignored (name must be [A-Za-z0-9._-])", dir, d->d_name);
			continue;
		}
		names[n++] = strdup(d->d_name);
	}
	closedir(dp);
	qsort(names, n, sizeof(names[0]), cmp_names);

	/* Values were validated by their producers (host names by hostname_valid()). */
	snprintf(e_stage, sizeof(e_stage), "NETINIT_STAGE=%s", boot_stage_name(stage));
	snprintf(e_host, sizeof(e_host), "NETINIT_HOSTNAME=%s", hostname ? hostname : "");
	snprintf(e_if, sizeof(e_if), "NETINIT_IFACE=%s", ifname ? ifname : "");
	snprintf(e_ip, sizeof(e_ip), "NETINIT_IP=%s", ip ? ip : "");
	snprintf(e_root, sizeof(e_root), "NETINIT_NEWROOT=%s", newroot);

	for (size_t i = 0; i < n; i++) {
		char path[512];
		char *argv[] = { "/bin/sh", path, NULL };
		uint64_t t0 = now_ms();
		int st;

		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		if (r == 0) {
			st = run_wait(argv, envp);
			if (st != 0) {
				nl_err("hooks", "%s exited with status %d (stage %s)", path, st,
				       boot_stage_name(stage));
				r = st < 0 ? st : -ECHILD;
			} else {
				nl_info("hooks", "%s done (%.3f s)", path, (double)(now_ms() - t0) / 1000.0);
			}
		}
		free(names[i]);
	}
	return r;
}
