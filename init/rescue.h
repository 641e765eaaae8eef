/* SPDX-License-Identifier: MIT */
/*
 * The one rescue path.  Every stage that fails calls boot_fail(); every
 * rd.break= point calls boot_break().  Neither ever lets PID 1 exit.
 */
#ifndef NETINIT_RESCUE_H
#define NETINIT_RESCUE_H

#include "cmdline.h"

/* Where the busybox shell lives inside the initramfs. */
#define RESCUE_SHELL "/bin/sh"

/*
 * A stage failed.  Logs the reason, then applies the failure policy:
 *  - rd.shell or netinit.onfail=shell: a shell on the console; when it exits,
 *    returns 0 and the caller retries the stage;
 *  - otherwise rd.emergency=/netinit.onfail= (reboot, poweroff, halt) after
 *    panic=N seconds (default CFG_FAIL_DELAY); does not return.
 */
int boot_fail(const struct cmdline *cl, enum boot_stage stage, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* rd.break=<stage> / break=: a shell on the console; boot continues after it. */
void boot_break(const struct cmdline *cl, enum boot_stage stage);

/* Run the rescue shell on the console; returns its exit code or -errno. */
int rescue_shell(const char *why);

/* Reboot, power off or halt now; never returns (loops if the syscall fails). */
__attribute__((noreturn)) void boot_final_action(enum fail_action a, const char *reason);

#endif
