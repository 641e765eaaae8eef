/* SPDX-License-Identifier: MIT */
/*
 * netinit: PID 1 of the initramfs, and a multi-call debugging tool.
 *
 * As PID 1 it runs the boot flow of design.md, stage by stage; every failure
 * goes through boot_fail() (init/rescue.c), and the process never exits.
 * Run as any other PID, its first argument names one stage to run alone:
 *     init cmdline [LINE]     parse a command line, print the result
 *     init plan [LINE]        the boot plan of a command line (init/plan.h)
 *     init modules [NAME...]  coldplug, or load the named modules
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "boot.h"
#include "cmdline.h"
#include "log.h"
#include "modules.h"
#include "mount.h"
#include "plan.h"
#include "netinit_config.h"
#include "rescue.h"
#include "switchroot.h"
#include "util.h"

#define NEWROOT "/newroot"

static struct cmdline boot_cl;   /* large: keep them off the stack */
static struct boot_state boot_bs;

/* /proc /sys /dev /run, then the console and /dev/kmsg. */
static void early_setup(void)
{
	const unsigned long nosuid = MS_NOSUID | MS_NODEV | MS_NOEXEC;

	umask(022);
	mount_api("proc", "/proc", "proc", nosuid, NULL);
	mount_api("sysfs", "/sys", "sysfs", nosuid, NULL);
	mount_api("devtmpfs", "/dev", "devtmpfs", MS_NOSUID, "mode=0755");
	mount_api("tmpfs", "/run", "tmpfs", MS_NOSUID | MS_NODEV, "mode=0755");
	mount_api("devpts", "/dev/pts", "devpts", MS_NOSUID | MS_NOEXEC, "gid=5,mode=620");
	/* Without /dev/console in the archive the kernel gave us no stdio. */
	if (fcntl(STDERR_FILENO, F_GETFD) < 0) {
		int fd = open("/dev/console", O_RDWR | O_NOCTTY);

		if (fd >= 0) {
			dup2(fd, 0);
			dup2(fd, 1);
			dup2(fd, 2);
			if (fd > 2)
				close(fd);
		}
	}
	log_open_kmsg();
	setenv("PATH", "/usr/sbin:/usr/bin:/sbin:/bin", 1);
}

static void report_cmdline(void *ctx, enum cmdline_severity sev, const char *param, const char *msg)
{
	int *errors = ctx;

	if (sev == CMDLINE_ERROR) {
		(*errors)++;
		nl_err("cmdline", "%s: %s", param, msg);
	} else {
		nl_warn("cmdline", "%s: %s", param, msg);
	}
}

/* Stage cmdline: read and parse /proc/cmdline; errors are printed, not fatal. */
static int stage_cmdline(struct cmdline *cl)
{
	static char line[CMDLINE_MAX + 2];
	int errors = 0;
	ssize_t n = read_file("/proc/cmdline", line, sizeof(line));

	if (n < 0) {
		nl_err("cmdline", "cannot read /proc/cmdline: %s", strerror((int)-n));
		line[0] = '\0';
	}
	line[strcspn(line, "\n")] = '\0';
	cmdline_parse(line, cl, report_cmdline, &errors);
	if (cl->debug)
		log_set_level(NL_DEBUG);
	nl_info("cmdline", "%s", line);
	if (errors)
		nl_err("cmdline", "%d invalid parameter(s) above were ignored; see doc/cmdline.md for the syntax",
		       errors);
	return errors;
}

/* The real init gets the arguments the kernel passed to us; never returns. */
static void stage_switch_root(const struct cmdline *cl, const struct boot_plan *p, int argc,
			      char **argv)
{
	char *init_argv[64];
	int r, n = 0;

	init_argv[n++] = (char *)p->init;
	for (int i = 1; i < argc && n < (int)ARRAY_SIZE(init_argv) - 1; i++)
		init_argv[n++] = argv[i];
	init_argv[n] = NULL;
	for (;;) {
		reap_children();
		r = switch_root(NEWROOT, p->init, init_argv, false);
		boot_fail(cl, STAGE_PRE_PIVOT, "switch_root to %s failed: %s", p->init, strerror(-r));
	}
}

/* The boot flow of design.md, stage by stage; returns only by switching root. */
/* Why the mount stage failed, for the console, the rescue shell and the
 * report: the stages' own codes, where strerror() would mislead. */
static const char *mount_why(const struct boot_state *bs, int r)
{
	if (r == -EBADMSG && bs->mount_step[0]) /* the per-host files */
		return "did not verify (see the verify: lines)";
	if (r == -EBADMSG && bs->plan.root == PLAN_ROOT_IMAGE) /* fetch/: a manifest or a hash that does not verify */
		return "the root image did not verify (see the verify: lines)";
	if (r == -EADDRINUSE) /* mount/hostdir.c with netinit.writable.collision=fail */
		return "the node's directory belongs to another machine (host name collision)";
	return strerror(-r);
}

/* The mount stage's failure: which part failed (the root, the writable layer,
 * the per-host files), then why. */
static void mount_fail(const struct cmdline *cl, const struct boot_state *bs, int r)
{
	/* a collision's reason names the node's directory itself */
	const char *step = r == -EADDRINUSE ? "" : bs->mount_step;

	boot_fail(cl, STAGE_MOUNT, "could not mount the root filesystem: %s%s", step, mount_why(bs, r));
}

static void boot(int argc, char **argv)
{
	struct cmdline *cl = &boot_cl;
	struct boot_state *bs = &boot_bs;
	int r;

	early_setup();
	nl_info("early", "netinit starting (pid %d), kernel args to init: %d", (int)getpid(), argc - 1);
	stage_cmdline(cl);
	plan_build(cl, NULL, &bs->plan, NULL, NULL); /* problems are logged at the mount stage */
	boot_break(cl, STAGE_CMDLINE);
	boot_hooks(cl, STAGE_CMDLINE, bs);

	boot_break(cl, STAGE_PRE_UDEV);
	boot_hooks(cl, STAGE_PRE_UDEV, bs);
	if (CFG_MODULES) {
		modules_static_nodes();
		modules_coldplug(cl);
		boot_preload_modules(cl, bs);
	}

	if (bs->plan.need_net) {
		boot_break(cl, STAGE_PRE_NET);
		boot_hooks(cl, STAGE_PRE_NET, bs);
		while ((r = boot_network_up(cl, bs)) < 0)
			boot_fail(cl, STAGE_PRE_NET, "network bring-up failed: %s", strerror(-r));
		boot_break(cl, STAGE_POST_NET);
		boot_hooks(cl, STAGE_POST_NET, bs);
	}

	boot_break(cl, STAGE_PRE_MOUNT);
	boot_hooks(cl, STAGE_PRE_MOUNT, bs);
	boot_break(cl, STAGE_MOUNT);
	boot_hooks(cl, STAGE_MOUNT, bs);
	while ((r = boot_mount_root(cl, bs, NEWROOT)) < 0)
		mount_fail(cl, bs, r);
	while ((r = boot_extra_mounts(cl, bs, NEWROOT)) < 0)
		boot_fail(cl, STAGE_MOUNT, "an extra mount (netinit.mount=) failed: %s", strerror(-r));
	boot_break(cl, STAGE_POST_MOUNT);
	boot_hooks(cl, STAGE_POST_MOUNT, bs);

	boot_handover(bs, NEWROOT);
	boot_break(cl, STAGE_PRE_PIVOT);
	boot_hooks(cl, STAGE_PRE_PIVOT, bs);
	stage_switch_root(cl, &bs->plan, argc, argv);
}

static void print_cmdline_report(void *ctx, enum cmdline_severity sev, const char *param, const char *msg)
{
	int *errors = ctx;

	if (sev == CMDLINE_ERROR)
		(*errors)++;
	fprintf(stderr, "%s: %s: %s\n", sev == CMDLINE_ERROR ? "error" : "warning", param, msg);
}

/* The arguments joined by spaces, or /proc/cmdline without arguments. */
static int read_line_args(int argc, char **argv, char *line, size_t size)
{
	size_t len = 0;

	line[0] = '\0';
	if (argc < 2 && read_file("/proc/cmdline", line, size) < 0)
		return -1;
	for (int i = 1; i < argc; i++) {
		int w = snprintf(line + len, size - len, "%s%s", i > 1 ? " " : "", argv[i]);

		if (w < 0 || (size_t)w >= size - len)
			break;
		len += (size_t)w;
	}
	line[strcspn(line, "\n")] = '\0';
	return 0;
}

/* `init cmdline [LINE...]`: lint a command line (default /proc/cmdline). */
static int cmdline_main(int argc, char **argv)
{
	static struct cmdline cl;
	static char line[CMDLINE_MAX * 2];
	int errors = 0;

	if (read_line_args(argc, argv, line, sizeof(line)) < 0)
		return 1;
	cmdline_parse(line, &cl, print_cmdline_report, &errors);
	boot_print_config(&cl, stdout);
	return errors ? 1 : 0;
}

/* `init plan [LINE...]`: what a boot with this command line will do. */
static int plan_main(int argc, char **argv)
{
	static struct cmdline cl;
	static struct boot_plan p;
	static char line[CMDLINE_MAX * 2];
	int errors = 0;

	if (read_line_args(argc, argv, line, sizeof(line)) < 0)
		return 1;
	cmdline_parse(line, &cl, print_cmdline_report, &errors);
	plan_build(&cl, NULL, &p, print_cmdline_report, &errors); /* same report shape */
	if (errors) {
		fprintf(stderr, "init plan: %d error(s): this command line does not boot as written\n",
			errors);
		return 1;
	}
	plan_print(&p, stdout);
	return 0;
}

struct applet {
	const char *name;
	int (*main)(int argc, char **argv);
	const char *help;
};

static const struct applet applets[] = {
	{ "cmdline", cmdline_main, "[LINE]        parse a kernel command line and print the result" },
	{ "plan", plan_main, "[LINE]           what a boot with this command line will do" },
	{ "modules", modules_main, "[NAME...]     coldplug modules, or load the named ones" },
	BOOT_EXTRA_APPLETS
};

static int usage(FILE *out)
{
	fprintf(out, "netinit: the initramfs init for diskless nodes.\n"
		     "As PID 1 it boots the machine; otherwise run one stage:\n");
	for (size_t i = 0; i < ARRAY_SIZE(applets); i++)
		fprintf(out, "  init %s %s\n", applets[i].name, applets[i].help);
	return out == stdout ? 0 : 2;
}

int main(int argc, char **argv)
{
	if (getpid() == 1) {
		boot(argc, argv);
		for (;;) /* not reached: boot() ends in exec or the failure policy */
			boot_final_action(FAIL_REBOOT, "boot flow returned");
	}
	{
		const char *base = strrchr(argv[0], '/');

		if (!strcmp(base ? base + 1 : argv[0], "modprobe"))
			return modprobe_main(argc, argv);
	}
	if (argc < 2)
		return usage(stderr);
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "help"))
		return usage(stdout);
	for (size_t i = 0; i < ARRAY_SIZE(applets); i++)
		if (!strcmp(argv[1], applets[i].name))
			return applets[i].main(argc - 1, argv + 1);
	fprintf(stderr, "init: unknown command '%s'\n", argv[1]);
	return usage(stderr);
}
