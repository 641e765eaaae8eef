/* SPDX-License-Identifier: MIT */
/*
 * The hardware watchdog during the boot (doc/failure.md, "Watchdog").
 * When /dev/watchdog exists (it appears once coldplug loaded its driver),
 * a thread feeds it while the boot makes progress: a stage begins, a
 * download moves, someone types in the rescue shell.  With no progress for
 * netinit.watchdog.stuck= seconds (default WATCHDOG_STUCK_S) it stops
 * feeding and the machine resets.  At
 * switch_root it is left armed: the real init takes over (systemd:
 * RuntimeWatchdogSec=), Documentation/watchdog/watchdog-api.rst.
 */
#ifndef NETINIT_WATCHDOG_H
#define NETINIT_WATCHDOG_H

#define WATCHDOG_DEV "/dev/watchdog"
#define WATCHDOG_STUCK_S 600

/* The stuck bound in seconds (netinit.watchdog.stuck=); <= 0: the default. */
void watchdog_set_stuck(int seconds);
/* Progress was made; opens the watchdog the first time it exists. */
void watchdog_progress(void);
/* Stop feeding from this process, leave it armed; before exec of the real init. */
void watchdog_handover(void);

#endif
