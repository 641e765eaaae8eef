/* SPDX-License-Identifier: MIT */
/* Kernel modules with libkmod: coldplug from sysfs modalias, and by name. */
#ifndef NETINIT_MODULES_H
#define NETINIT_MODULES_H

#include <stddef.h>

struct cmdline;

/*
 * Load rd.driver.pre= modules, then coldplug: every modalias under
 * /sys/bus/<bus>/devices/<dev>/ is looked up and its modules probed (with
 * dependencies and softdeps), skipping rd.driver.blacklist= /
 * modprobe.blacklist= names; repeated while loading creates new devices.
 * 0 or -errno (a module that fails to load is logged, not fatal); what was
 * loaded, and how long it took, is in the log line "coldplug: ...".
 */
int modules_coldplug(const struct cmdline *cl);

/* Load modules by name or alias ("nfsv4", "fs-ext4"); missing ones are
 * logged at debug level when quiet, else as warnings.  Returns how many
 * names could not be loaded. */
int modules_load(const struct cmdline *cl, const char *const *names, size_t n, int quiet);

/* mknod the nodes of modules.devname so that first use loads the module. */
int modules_static_nodes(void);

int modules_main(int argc, char **argv);
int modprobe_main(int argc, char **argv); /* the kernel's /sbin/modprobe */ /* `init modules [NAME...]`: coldplug or load */

#endif
