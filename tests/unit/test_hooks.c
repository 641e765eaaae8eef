/* SPDX-License-Identifier: MIT */
/* The hook runner (hooks/hooks.c) and environment (hooks/hookenv.c), run on
 * the host: real scripts in a temporary folder. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "boot.h"
#include "hookenv.h"
#include "hooks.h"
#include "net.h"
#include "plan.h"
#include "util.h"

static char dir[256];
static const struct hooks_conf fail_conf = { 120, HOOK_POLICY_FAIL };
static char *const env[] = { "PATH=/usr/bin:/bin", "NETINIT_STAGE=pre-net", NULL };

static void put(const char *name, const char *text, mode_t mode)
{
	char p[512];

	snprintf(p, sizeof(p), "%s/%s", dir, name);
	unlink(p); /* the mode applies on creation */
	assert_int_equal(write_file(p, text, strlen(text), mode), 0);
}

static char *slurp(const char *name)
{
	static char buf[4096];
	char p[512];

	snprintf(p, sizeof(p), "%s/%s", dir, name);
	if (read_file(p, buf, sizeof(buf)) < 0)
		return NULL;
	return buf;
}

static int setup(void **s)
{
	snprintf(dir, sizeof(dir), "/tmp/netinit-hooks-XXXXXX");
	assert_non_null(mkdtemp(dir));
	return 0;
}

static int teardown(void **s)
{
	char cmd[300];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

static void test_header(void **s)
{
	struct hook_opts o;
	char err[160];
	const char *h = "#!/bin/sh\n# netinit-timeout: 7\n# netinit-onfail: skip\necho hi\n";

	assert_int_equal(hook_parse_header(h, strlen(h), &o, err, sizeof(err)), 0);
	assert_int_equal(o.timeout_s, 7);
	assert_int_equal(o.policy, HOOK_POLICY_SKIP);
	h = "#!/bin/sh\n";
	assert_int_equal(hook_parse_header(h, strlen(h), &o, err, sizeof(err)), 0);
	assert_int_equal(o.timeout_s, 0);
	assert_int_equal(o.policy, HOOK_POLICY_UNSET);
	h = "# netinit-timeout: 0\n";
	assert_int_equal(hook_parse_header(h, strlen(h), &o, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "netinit-timeout"));
	h = "# netinit-timeout: 5x\n";
	assert_int_equal(hook_parse_header(h, strlen(h), &o, err, sizeof(err)), -EINVAL);
	h = "# netinit-onfail: maybe\n";
	assert_int_equal(hook_parse_header(h, strlen(h), &o, err, sizeof(err)), -EINVAL);
	h = "# netinit-colour: red\n";
	assert_int_equal(hook_parse_header(h, strlen(h), &o, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "unknown"));
}

/* Lexical order, the environment, a failure stops the folder. */
static void test_order_env_fail(void **s)
{
	char t[600];

	snprintf(t, sizeof(t), "#!/bin/sh\necho \"b:$NETINIT_STAGE\" >> %s/out\n", dir);
	put("20-b", t, 0755);
	snprintf(t, sizeof(t), "#!/bin/sh\necho \"a:$NETINIT_STAGE\" >> %s/out\n", dir);
	put("10-a", t, 0755);
	assert_int_equal(hooks_run_dir(dir, "pre-net", &fail_conf, env), 0);
	assert_string_equal(slurp("out"), "a:pre-net\nb:pre-net\n");
	put("15-fail", "#!/bin/sh\necho failing; exit 3\n", 0755);
	unlink(strcat(strcpy(t, dir), "/out"));
	assert_int_equal(hooks_run_dir(dir, "pre-net", &fail_conf, env), -ECHILD);
	assert_string_equal(slurp("out"), "a:pre-net\n"); /* 20-b not run after the failure */
	/* onfail=skip in the hook itself: logged, the rest runs */
	put("15-fail", "#!/bin/sh\n# netinit-onfail: skip\nexit 3\n", 0755);
	unlink(strcat(strcpy(t, dir), "/out"));
	assert_int_equal(hooks_run_dir(dir, "pre-net", &fail_conf, env), 0);
	assert_string_equal(slurp("out"), "a:pre-net\nb:pre-net\n");
}

/* Not executable, no #! line, missing interpreter: failures, not silence. */
static void test_not_runnable(void **s)
{
	const struct hooks_conf skip = { 120, HOOK_POLICY_SKIP };

	put("10-noexec", "#!/bin/sh\nexit 0\n", 0644);
	assert_int_equal(hooks_run_dir(dir, "pre-net", &fail_conf, env), -ECHILD);
	assert_int_equal(hooks_run_dir(dir, "pre-net", &skip, env), 0);
	put("10-noexec", "echo no shebang\n", 0755);
	assert_int_equal(hooks_run_dir(dir, "pre-net", &fail_conf, env), -ECHILD);
	put("10-noexec", "#!/nonexistent/sh\n", 0755);
	assert_int_equal(hooks_run_dir(dir, "pre-net", &fail_conf, env), -ECHILD);
}

static bool alive(pid_t pid)
{
	char p[64], st[512];

	snprintf(p, sizeof(p), "/proc/%d/stat", (int)pid);
	if (read_file(p, st, sizeof(st)) < 0)
		return false;
	char *c = strrchr(st, ')');
	return c && c[2] != 'Z';
}

/* A hook that hangs is killed at its timeout, with what it started. */
static void test_timeout_kills_group(void **s)
{
	char t[600];
	uint64_t t0 = now_ms(), took;
	pid_t bg;

	prctl(PR_SET_CHILD_SUBREAPER, 1); /* orphans come to us, as to PID 1 */
	snprintf(t, sizeof(t), "#!/bin/sh\n# netinit-timeout: 1\nsleep 60 &\necho $! > %s/bg\n"
		 "echo started\nsleep 60\n", dir);
	put("10-hang", t, 0755);
	assert_int_equal(hooks_run_dir(dir, "pre-net", &fail_conf, env), -ECHILD);
	took = now_ms() - t0;
	assert_true(took >= 1000 && took < 1000 + HOOKS_KILL_GRACE_MS + 2000);
	bg = (pid_t)atoi(slurp("bg"));
	assert_true(bg > 0);
	reap_children();

	assert_false(alive(bg));
	/* the global timeout applies when the hook sets none */
	snprintf(t, sizeof(t), "#!/bin/sh\nsleep 60\n");
	put("10-hang", t, 0755);
	const struct hooks_conf c = { 1, HOOK_POLICY_FAIL };
	t0 = now_ms();
	assert_int_equal(hooks_run_dir(dir, "pre-net", &c, env), -ECHILD);
	assert_true(now_ms() - t0 < 1000 + HOOKS_KILL_GRACE_MS + 2000);
}

static void test_too_many(void **s)
{
	char n[32];

	for (int i = 0; i <= HOOKS_MAX; i++) {
		snprintf(n, sizeof(n), "%03d-x", i);
		put(n, "#!/bin/sh\necho ran >> /dev/null\n", 0755);
	}
	assert_int_equal(hooks_run_dir(dir, "pre-net", &fail_conf, env), -E2BIG);
	assert_null(slurp("out"));
}

static const char *get(const struct hookenv *e, const char *key)
{
	size_t k = strlen(key);

	for (size_t i = 0; i < e->n; i++)
		if (!strncmp(e->envp[i], key, k) && e->envp[i][k] == '=')
			return e->envp[i] + k + 1;
	return NULL;
}

/* The documented table; hostile values never get in. */
static void test_env(void **s)
{
	static struct cmdline cl;
	static struct hookenv e;
	static struct boot_state bs;
	struct net_lease *lp = &bs.lease;
#define l (*lp)

	cmdline_parse("root=http://10.0.2.2/img.squashfs ip=dhcp", &cl, NULL, NULL);
	plan_build(&cl, NULL, &bs.plan, NULL, NULL);
	l.source = NET_SOURCE_DHCP;
	strcpy(l.ifname, "eth0");
	memcpy(l.mac, "\x52\x54\x00\x12\x34\x56", 6);
	l.addr.s_addr = inet_addr("10.0.2.15");
	l.prefix = 24;
	l.router.s_addr = inet_addr("10.0.2.2");
	l.dns[0].s_addr = inet_addr("10.0.2.3");
	l.dns[1].s_addr = inet_addr("10.0.2.4");
	l.ndns = 2;
	l.ntp[0].s_addr = inet_addr("10.0.2.5");
	l.nntp = 1;
	strcpy(l.hostname, "node7");
	strcpy(l.domain, "cluster.example");
	bs.have_lease = true;
	bs.have_net = 1;
	hookenv_build(&e, &cl, &bs, STAGE_PRE_NET, NULL);
	assert_string_equal(get(&e, "NETINIT_STAGE"), "pre-net");
	assert_null(get(&e, "NETINIT_IP")); /* network values from post-net on */
	hookenv_build(&e, &cl, &bs, STAGE_POST_NET, "/newroot");
	assert_null(get(&e, "NETINIT_NEWROOT"));
	assert_string_equal(get(&e, "NETINIT_IP"), "10.0.2.15");
	assert_string_equal(get(&e, "NETINIT_PREFIX"), "24");
	assert_string_equal(get(&e, "NETINIT_GATEWAY"), "10.0.2.2");
	assert_string_equal(get(&e, "NETINIT_DNS"), "10.0.2.3 10.0.2.4");
	assert_string_equal(get(&e, "NETINIT_NTP"), "10.0.2.5");
	assert_string_equal(get(&e, "NETINIT_LOGSRV"), "");
	assert_string_equal(get(&e, "NETINIT_MAC"), "52:54:00:12:34:56");
	assert_string_equal(get(&e, "NETINIT_HOSTNAME"), "node7");
	assert_string_equal(get(&e, "NETINIT_FQDN"), "node7.cluster.example");
	assert_string_equal(get(&e, "NETINIT_DOMAIN"), "cluster.example");
	assert_string_equal(get(&e, "NETINIT_HOSTNAME_SOURCE"), "dhcp");
	assert_string_equal(get(&e, "NETINIT_ROOT_KIND"), "image");
	assert_string_equal(get(&e, "NETINIT_ROOT"), "http://10.0.2.2/img.squashfs");
	hookenv_build(&e, &cl, &bs, STAGE_PRE_PIVOT, "/newroot");
	assert_string_equal(get(&e, "NETINIT_NEWROOT"), "/newroot");
	assert_string_equal(get(&e, "NETINIT_NODE_DIR"), ""); /* volatile */
	/* persistent: the directory the mount stage mounted, from post-mount on */
	bs.layer = PLAN_RW_PERSISTENT;
	strcpy(bs.plan.writable.hostdir.server, "10.0.2.2");
	strcpy(bs.plan.writable.hostdir.path, "/srv/netinit/nodes");
	strcpy(bs.name.key, "node7");
	hookenv_build(&e, &cl, &bs, STAGE_MOUNT, NULL);
	assert_null(get(&e, "NETINIT_NODE_DIR"));
	hookenv_build(&e, &cl, &bs, STAGE_POST_MOUNT, "/newroot");
	assert_string_equal(get(&e, "NETINIT_NODE_DIR"), "10.0.2.2:/srv/netinit/nodes/node7");
	bs.layer = PLAN_RW_VOLATILE;
	/* hostile: a host name with shell syntax is left out, not quoted */
	strcpy(l.hostname, "x$(reboot)");
	strcpy(l.domain, "a;b");
	hookenv_build(&e, &cl, &bs, STAGE_POST_NET, NULL);
	assert_string_equal(get(&e, "NETINIT_HOSTNAME"), "");
	assert_string_equal(get(&e, "NETINIT_HOSTNAME_SOURCE"), "none");
	for (size_t i = 0; i < e.n; i++)
		assert_null(strpbrk(e.envp[i], "$;`'\""));
	assert_int_equal(hookenv_add(&e, "X", "a'b", NULL), -EINVAL);
#undef l
}

static void test_root_trust(void **s)
{
	static struct cmdline cl;
	static struct boot_state bs;
#define TRUSTED(line) (cmdline_parse(line, &cl, NULL, NULL), plan_build(&cl, NULL, &bs.plan, NULL, NULL), \
		       hooks_root_trusted(&cl, &bs))

	assert_true(TRUSTED("root=/dev/vda"));
	assert_false(TRUSTED("root=nfs:10.0.2.2:/srv/root"));
	assert_true(TRUSTED("root=http://10.0.2.2/x.squashfs netinit.sha256="
			    "0000000000000000000000000000000000000000000000000000000000000000"));
	/* no keys on the host's /etc/netinit/keys */
	assert_false(TRUSTED("root=http://10.0.2.2/x.squashfs"));
	assert_false(TRUSTED("root=http://10.0.2.2/x.squashfs netinit.verify=off"));
#undef TRUSTED
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_header),
		cmocka_unit_test_setup_teardown(test_order_env_fail, setup, teardown),
		cmocka_unit_test_setup_teardown(test_not_runnable, setup, teardown),
		cmocka_unit_test_setup_teardown(test_timeout_kills_group, setup, teardown),
		cmocka_unit_test_setup_teardown(test_too_many, setup, teardown),
		cmocka_unit_test(test_env),
		cmocka_unit_test(test_root_trust),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
