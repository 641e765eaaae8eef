/* SPDX-License-Identifier: MIT */
/* The boot watchdog: see watchdog.h. */
#include "watchdog.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/watchdog.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "log.h"
#include "util.h"

static int wd_fd = -1;
static int wd_timeout;                 /* seconds, from the driver */
static _Atomic uint64_t wd_last;       /* now_ms() of the last progress */
static atomic_bool wd_stop, wd_stuck_said;
static atomic_int wd_stuck_s = WATCHDOG_STUCK_S; /* netinit.watchdog.stuck= */
static pthread_t wd_thread;

static void *feeder(void *arg)
{
	unsigned period_ms = (unsigned)(wd_timeout > 2 ? wd_timeout * 1000 / 3 : 1000);

	(void)arg;
	while (!atomic_load(&wd_stop)) {
		uint64_t idle = now_ms() - atomic_load(&wd_last);
		int stuck = atomic_load(&wd_stuck_s);

		if (idle < (uint64_t)stuck * 1000) {
			ioctl(wd_fd, WDIOC_KEEPALIVE, 0);
			atomic_store(&wd_stuck_said, false); /* progress again: say it next time */
		} else if (!atomic_exchange(&wd_stuck_said, true))
			nl_err("watchdog", "no progress for %d s (netinit.watchdog.stuck=): no longer "
			       "feeding %s, the machine resets in at most %d s", stuck, WATCHDOG_DEV,
			       wd_timeout);
		sleep_ms(period_ms > 1000 ? 1000 : period_ms);
	}
	return NULL;
}

static void watchdog_open(void)
{
	static bool tried;
	struct watchdog_info info;

	if (tried || access(WATCHDOG_DEV, F_OK) < 0)
		return;
	tried = true;
	/* O_CLOEXEC: hooks never get it; at exec it closes without the magic
	 * 'V', so the driver keeps the timer running for the real init. */
	wd_fd = open(WATCHDOG_DEV, O_WRONLY | O_CLOEXEC);
	if (wd_fd < 0) {
		nl_warn("watchdog", "cannot open %s: %s", WATCHDOG_DEV, strerror(errno));
		return;
	}
	if (ioctl(wd_fd, WDIOC_GETTIMEOUT, &wd_timeout) < 0 || wd_timeout <= 0)
		wd_timeout = 30;
	memset(&info, 0, sizeof(info));
	ioctl(wd_fd, WDIOC_GETSUPPORT, &info);
	if (pthread_create(&wd_thread, NULL, feeder, NULL) != 0) {
		nl_warn("watchdog", "cannot start the feeding thread: the watchdog is left alone");
		close(wd_fd);
		wd_fd = -1;
		return;
	}
	nl_info("watchdog", "%s (%.32s) armed, timeout %d s; fed while the boot makes progress "
		"(stuck after %d s)", WATCHDOG_DEV, info.identity[0] ? (char *)info.identity : "?",
		wd_timeout, atomic_load(&wd_stuck_s));
}

void watchdog_set_stuck(int seconds)
{
	atomic_store(&wd_stuck_s, seconds > 0 ? seconds : WATCHDOG_STUCK_S);
}

void watchdog_progress(void)
{
	atomic_store(&wd_last, now_ms());
	watchdog_open();
}

void watchdog_handover(void)
{
	if (wd_fd < 0)
		return;
	atomic_store(&wd_stop, true);
	pthread_join(wd_thread, NULL);
	ioctl(wd_fd, WDIOC_KEEPALIVE, 0);
	nl_info("watchdog", "left armed for the real init (timeout %d s): it must feed %s "
		"(systemd: RuntimeWatchdogSec=)", wd_timeout, WATCHDOG_DEV);
}
