/* SPDX-License-Identifier: MIT */
#include "rescue.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/reboot.h>
#include <unistd.h>

#include "log.h"
#include "netinit_config.h"
#include "util.h"

static const char *action_name(enum fail_action a)
{
	switch (a) {
	case FAIL_POWEROFF: return "power off";
	case FAIL_HALT: return "halt";
	case FAIL_SHELL: return "start a shell";
	default: return "reboot";
	}
}

int rescue_shell(const char *why)
{
	char *argv[] = { RESCUE_SHELL, "-i", NULL };
	char ps1[96];
	char *envp[] = { "PATH=/usr/sbin:/usr/bin:/sbin:/bin", "TERM=linux", "HOME=/", ps1, NULL };
	int r;

	snprintf(ps1, sizeof(ps1), "PS1=netinit:%s# ", why);
	if (!CFG_RESCUE_SHELL || access(RESCUE_SHELL, X_OK) < 0) {
		nl_err("rescue", "no shell at %s (build with RESCUE_SHELL and busybox): cannot start a shell",
		       RESCUE_SHELL);
		return -ENOENT;
	}
	nl_info("rescue", "starting a shell (%s); leave it with 'exit' to continue the boot", why);
	r = run_wait(argv, envp);
	nl_info("rescue", "shell exited (status %d); continuing", r);
	return r;
}

void boot_final_action(enum fail_action a, const char *reason)
{
	int cmd = a == FAIL_POWEROFF ? RB_POWER_OFF : a == FAIL_HALT ? RB_HALT_SYSTEM : RB_AUTOBOOT;

	sync();
	if (a == FAIL_HALT) {
		/* Never a silent hang: say why, again and again, on the console. */
		for (;;) {
			nl_err("rescue", "halted: %s (boot with rd.shell to debug, or set rd.emergency=reboot)",
			       reason);
			reap_children();
			sleep(60);
		}
	}
	reboot(cmd);
	for (;;) { /* reboot(2) failed: keep telling, never exit PID 1 */
		nl_err("rescue", "could not %s (%s): %s", action_name(a), strerror(errno), reason);
		sleep(30);
		reboot(cmd);
	}
}

int boot_fail(const struct cmdline *cl, enum boot_stage stage, const char *fmt, ...)
{
	char reason[512];
	enum fail_action a = cl ? cl->emergency : FAIL_DEFAULT;
	int delay = CFG_FAIL_DELAY;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(reason, sizeof(reason), fmt, ap);
	va_end(ap);
	nl_err(boot_stage_name(stage), "%s", reason);

	if (cl && (cl->shell || a == FAIL_SHELL)) {
		if (rescue_shell(boot_stage_name(stage)) >= 0)
			return 0; /* the caller retries the stage */
		a = FAIL_DEFAULT;
	}
	if (a == FAIL_DEFAULT || a == FAIL_SHELL)
		a = FAIL_REBOOT;
	/* panic=N: N>0 seconds; N<0 at once; panic=0 means "never reboot" (kernel rule): halt. */
	if (cl && cmdline_has(cl, "panic")) {
		if (cl->panic > 0)
			delay = cl->panic;
		else if (cl->panic < 0)
			delay = 0;
		else if (a == FAIL_REBOOT)
			a = FAIL_HALT;
	}
	if (a != FAIL_HALT) {
		nl_err("rescue", "boot failed in stage %s; will %s in %d s (rd.shell gives a shell instead)",
		       boot_stage_name(stage), action_name(a), delay);
		for (int i = delay; i > 0; i--) {
			reap_children();
			sleep(1);
		}
	}
	boot_final_action(a, reason);
}

void boot_break(const struct cmdline *cl, enum boot_stage stage)
{
	if (!(cl->break_mask & (1u << stage)))
		return;
	nl_info("rescue", "rd.break=%s: stopping before %s", boot_stage_name(stage), boot_stage_name(stage));
	rescue_shell(boot_stage_name(stage));
}
