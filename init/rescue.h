/* SPDX-License-Identifier: MIT */
/*
 * The one rescue path (doc/failure.md).  Every stage that fails calls
 * boot_fail(); every rd.break= point calls boot_break().  Neither ever lets
 * PID 1 exit, and neither waits without a bound.
 */
#ifndef NETINIT_RESCUE_H
#define NETINIT_RESCUE_H

#include "cmdline.h"

/* Where the busybox shell lives inside the initramfs. */
#define RESCUE_SHELL "/bin/sh"
#define RESCUE_IDLE_DEFAULT 300   /* netinit.shell.timeout= default: 5 minutes */
#define RESCUE_RETRIES_DEFAULT 1  /* netinit.retries= default */
#define RESCUE_RETRY_DELAY 5      /* seconds before an automatic retry */
#define RESCUE_GAVE_UP 1          /* rescue_shell(): nobody at the console */

/*
 * A stage failed.  Logs the reason and notes it for the report, then:
 *  1. rd.shell or netinit.onfail=shell: the summary and a shell on the
 *     console; when someone leaves it with exit, returns 0 and the caller
 *     retries the stage; EOF or no input for netinit.shell.timeout= seconds
 *     ends the shell and goes on to 2;
 *  2. up to netinit.retries= automatic retries for the whole boot (returns 0
 *     after RESCUE_RETRY_DELAY seconds: the caller retries the stage);
 *  3. the report (syslog, HTTP, /run/netinit/boot-summary), then
 *     rd.emergency=/netinit.onfail= (reboot, poweroff, halt) after panic=N
 *     seconds (default CFG_FAIL_DELAY); does not return.
 */
int boot_fail(const struct cmdline *cl, enum boot_stage stage, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* A stage begins: timings, watchdog; rd.break=<stage> gives a shell first. */
void boot_break(const struct cmdline *cl, enum boot_stage stage);

/* The summary, then a shell on the console; 0 when it was left with exit,
 * RESCUE_GAVE_UP when nobody used it, -errno when it could not start. */
int rescue_shell(const struct cmdline *cl, const char *why);

/* Renew this lease at T1 while the boot goes on (net/renew.h). */
struct net_lease;
void boot_renew_lease(struct net_lease *l);

/* Reboot, power off or halt now; never returns (loops if the syscall fails). */
__attribute__((noreturn)) void boot_final_action(enum fail_action a, const char *reason);

#endif
