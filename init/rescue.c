/* SPDX-License-Identifier: MIT */
/* The one failure path and the rescue shell: see rescue.h, doc/failure.md. */
#include "rescue.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/reboot.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include "log.h"
#include "netinit_config.h"
#include "renew.h"
#include "report.h"
#include "util.h"
#include "watchdog.h"

static unsigned stage_retries; /* netinit.retries: automatic retries used so far */
static struct net_lease *renew_lease;

void boot_renew_lease(struct net_lease *l) { renew_lease = l; }

/* Progress: each stage start and each download progress line (log.c). */
static void boot_progress(void)
{
	watchdog_progress();
	if (CFG_NET && renew_lease)
		net_renew_tick(renew_lease);
}

static const char *action_name(enum fail_action a)
{
	switch (a) {
	case FAIL_POWEROFF: return "power off";
	case FAIL_HALT: return "halt";
	case FAIL_SHELL: return "start a shell";
	default: return "reboot";
	}
}

/* The shell on a pty of its own: PID 1 relays the console to it, so it sees
 * every key and EOF, and can end a shell nobody is typing into. */
static pid_t shell_spawn(const char *why, int *master)
{
	char *argv[] = { RESCUE_SHELL, "-i", NULL };
	char ps1[96], slave[64];
	char *envp[] = { "PATH=/usr/sbin:/usr/bin:/sbin:/bin", "TERM=linux", "HOME=/", ps1, NULL };
	pid_t pid;
	int m = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC), s;

	snprintf(ps1, sizeof(ps1), "PS1=netinit:%s# ", why);
	if (m < 0 || grantpt(m) < 0 || unlockpt(m) < 0 || ptsname_r(m, slave, sizeof(slave))) {
		if (m >= 0)
			close(m);
		return -errno;
	}
	pid = fork();
	if (pid < 0) {
		close(m);
		return -errno;
	}
	if (pid == 0) {
		setsid();
		s = open(slave, O_RDWR);
		if (s < 0)
			_exit(127);
		ioctl(s, TIOCSCTTY, 0); /* job control, ^C */
		dup2(s, 0);
		dup2(s, 1);
		dup2(s, 2);
		if (s > 2)
			close(s);
		execve(argv[0], argv, envp);
		_exit(127);
	}
	*master = m;
	return pid;
}

static bool copy_fd(int from, int to)
{
	char buf[512];
	ssize_t n = read(from, buf, sizeof(buf));

	if (n <= 0)
		return n < 0 && errno == EINTR;
	for (ssize_t off = 0; off < n;) {
		ssize_t w = write(to, buf + off, (size_t)(n - off));

		if (w <= 0)
			return w < 0 && errno == EINTR;
		off += w;
	}
	return true;
}

/* Relay until the shell ends (true) or the console gives nothing for idle_s
 * seconds or reaches EOF (false). */
static bool shell_relay(pid_t pid, int m, int idle_s, int *status)
{
	uint64_t last = now_ms();
	bool console = true;

	for (;;) {
		struct pollfd p[2] = { { m, POLLIN, 0 }, { console ? 0 : -1, POLLIN, 0 } };
		int64_t left = (int64_t)idle_s * 1000 - (int64_t)(now_ms() - last);

		if (waitpid(pid, status, WNOHANG) == pid)
			return true;
		if (left <= 0 || !console)
			return false;
		if (poll(p, 2, left < 1000 ? (int)left : 1000) < 0 && errno != EINTR)
			return false;
		if ((p[0].revents & (POLLIN | POLLHUP | POLLERR)) && !copy_fd(m, STDOUT_FILENO)) {
			waitpid(pid, status, 0); /* the pty closed: the shell is ending */
			return true;
		}
		if (p[1].revents & (POLLIN | POLLHUP | POLLERR)) {
			console = copy_fd(0, m);
			last = now_ms();
			watchdog_progress(); /* someone is at the console */
		}
	}
}

/* End the shell that nobody uses: SIGHUP to its session, then SIGKILL. */
static void shell_end(pid_t pid)
{
	kill(-pid, SIGHUP);
	for (int i = 0; i < 20 && waitpid(pid, NULL, WNOHANG) != pid; i++)
		sleep_ms(50);
	kill(-pid, SIGKILL);
	waitpid(pid, NULL, 0);
}

int rescue_shell(const struct cmdline *cl, const char *why)
{
	int idle_s = cl && cl->shell_timeout >= 0 ? cl->shell_timeout : RESCUE_IDLE_DEFAULT;
	struct termios old, raw;
	bool tty = tcgetattr(0, &old) == 0, done;
	int m = -1, status = 0;
	pid_t pid;

	if (!CFG_RESCUE_SHELL || access(RESCUE_SHELL, X_OK) < 0) {
		nl_err("rescue", "no shell at %s (build with RESCUE_SHELL and busybox): cannot start a shell",
		       RESCUE_SHELL);
		return -ENOENT;
	}
	report_print_summary(why);
	if (idle_s == 0) {
		nl_warn("rescue", "netinit.shell.timeout=0: no shell");
		return RESCUE_GAVE_UP;
	}
	pid = shell_spawn(why, &m);
	if (pid < 0) {
		nl_err("rescue", "cannot start a shell: %s", strerror((int)-pid));
		return (int)pid;
	}
	nl_info("rescue", "shell on the console (%s); 'exit' continues the boot; no input for %d s "
		"or EOF ends it (netinit.shell.timeout=)", why, idle_s);
	if (tty) {
		raw = old;
		cfmakeraw(&raw); /* the pty does the line editing and echo */
		tcsetattr(0, TCSANOW, &raw);
	}
	done = shell_relay(pid, m, idle_s, &status);
	if (!done)
		shell_end(pid);
	close(m);
	if (tty)
		tcsetattr(0, TCSANOW, &old);
	if (!done) {
		nl_err("rescue", "no one at the console (no input for %d s, or EOF): shell ended", idle_s);
		return RESCUE_GAVE_UP;
	}
	nl_info("rescue", "shell exited (status %d); continuing",
		WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
	return 0;
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

/* panic=N: N>0 seconds; N<0 at once; panic=0 means "never reboot" (kernel rule): halt. */
static enum fail_action final_action(const struct cmdline *cl, int *delay)
{
	enum fail_action a = cl ? cl->emergency : FAIL_DEFAULT;

	*delay = CFG_FAIL_DELAY;
	if (a == FAIL_DEFAULT || a == FAIL_SHELL)
		a = FAIL_REBOOT;
	if (cl && cmdline_has(cl, "panic")) {
		if (cl->panic > 0)
			*delay = cl->panic;
		else if (cl->panic < 0)
			*delay = 0;
		else if (a == FAIL_REBOOT)
			a = FAIL_HALT;
	}
	return a;
}

/* The automatic retries of netinit.retries= (default RESCUE_RETRIES_DEFAULT). */
static bool retry_allowed(const struct cmdline *cl, enum boot_stage stage)
{
	unsigned max = cl && cl->retries >= 0 ? (unsigned)cl->retries : RESCUE_RETRIES_DEFAULT;

	if (stage_retries >= max)
		return false;
	stage_retries++;
	nl_warn("rescue", "retrying stage %s in %d s (retry %u of %u, netinit.retries=)",
		boot_stage_name(stage), RESCUE_RETRY_DELAY, stage_retries, max);
	for (int i = RESCUE_RETRY_DELAY * 10; i > 0; i--) {
		reap_children();
		sleep_ms(100);
	}
	return true;
}

int boot_fail(const struct cmdline *cl, enum boot_stage stage, const char *fmt, ...)
{
	char reason[512];
	enum fail_action a;
	int delay;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(reason, sizeof(reason), fmt, ap);
	va_end(ap);
	nl_err(boot_stage_name(stage), "%s", reason);
	report_failure(stage, reason);

	if (cl && (cl->shell || cl->emergency == FAIL_SHELL) &&
	    rescue_shell(cl, boot_stage_name(stage)) == 0)
		return 0; /* someone used the shell and left it: the caller retries the stage */
	if (retry_allowed(cl, stage))
		return 0;
	a = final_action(cl, &delay);
	report_send(cl);
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
	report_stage(stage);
	log_set_progress_hook(boot_progress);
	watchdog_set_stuck(cl->watchdog_stuck);
	boot_progress();
	if (!(cl->break_mask & (1u << stage)))
		return;
	nl_info("rescue", "rd.break=%s: stopping before %s", boot_stage_name(stage), boot_stage_name(stage));
	rescue_shell(cl, boot_stage_name(stage));
}
