/* SPDX-License-Identifier: MIT */
/*
 * Module loading.  The kernel exports each device's "modalias" in sysfs
 * (Documentation/ABI/testing/sysfs-bus-*); modules.alias maps it to the
 * module, which libkmod resolves with dependencies and softdeps from the
 * depmod indexes of /lib/modules/$(uname -r).
 */
#include "modules.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/utsname.h>

#include "cmdline.h"
#include "log.h"
#include "netinit_config.h"
#include "util.h"

#if CFG_MODULES
#include <libkmod.h>

#define MAX_ALIASES 2048
#define MAX_ROUNDS 20

struct coldplug {
	struct kmod_ctx *ctx;
	const struct cmdline *cl;
	char *seen[MAX_ALIASES];
	unsigned nseen;
	unsigned loaded;
	char loaded_names[1024];
};

static int blacklisted(const struct cmdline *cl, const char *name)
{
	if (!cl)
		return 0;
	for (size_t i = 0; i < cl->ndriver_blacklist; i++) {
		const char *b = cl->driver_blacklist[i];
		/* module names treat '-' and '_' alike */
		size_t j = 0;

		for (; b[j] && name[j]; j++) {
			char x = b[j] == '-' ? '_' : b[j], y = name[j] == '-' ? '_' : name[j];

			if (x != y)
				break;
		}
		if (!b[j] && !name[j])
			return 1;
	}
	return 0;
}

static void note_loaded(struct coldplug *cp, const char *name)
{
	size_t len = strlen(cp->loaded_names);

	cp->loaded++;
	if (len + strlen(name) + 2 < sizeof(cp->loaded_names))
		snprintf(cp->loaded_names + len, sizeof(cp->loaded_names) - len, "%s%s", len ? " " : "", name);
}

/* Probe one module (dependencies and softdeps by libkmod).  0, or -errno. */
static int probe_one(struct coldplug *cp, struct kmod_module *mod, const char *why)
{
	const char *name = kmod_module_get_name(mod);
	int before = kmod_module_get_initstate(mod);
	int r;

	if (blacklisted(cp->cl, name)) {
		nl_info("modules", "%s: blacklisted on the command line, not loading (for %s)", name, why);
		return 0;
	}
	if (before == KMOD_MODULE_LIVE || before == KMOD_MODULE_BUILTIN)
		return 0;
	r = kmod_module_probe_insert_module(mod, KMOD_PROBE_APPLY_BLACKLIST, NULL, NULL, NULL, NULL);
	if (r < 0 && r != -EEXIST) {
		nl_warn("modules", "%s: loading failed (for %s): %s", name, why, strerror(-r));
		return r;
	}
	if (r == 0 && kmod_module_get_initstate(mod) == KMOD_MODULE_LIVE) {
		note_loaded(cp, name);
		nl_debug("modules", "loaded %s (for %s)", name, why);
	}
	return 0;
}

/* Look up an alias or name; returns the number of modules found. */
static int probe_lookup(struct coldplug *cp, const char *alias, int quiet)
{
	struct kmod_list *list = NULL, *l;
	int n = 0;
	int r = kmod_module_new_from_lookup(cp->ctx, alias, &list);

	if (r < 0) {
		nl_warn("modules", "lookup of %s failed: %s", alias, strerror(-r));
		return 0;
	}
	kmod_list_foreach(l, list) {
		struct kmod_module *mod = kmod_module_get_module(l);

		probe_one(cp, mod, alias);
		kmod_module_unref(mod);
		n++;
	}
	kmod_module_unref_list(list);
	if (n == 0 && !quiet)
		nl_debug("modules", "no module for %s", alias);
	return n;
}

static int alias_seen(struct coldplug *cp, const char *alias)
{
	for (unsigned i = 0; i < cp->nseen; i++)
		if (strcmp(cp->seen[i], alias) == 0)
			return 1;
	/* Out of memory: the alias is not remembered (it may be looked up
	 * again), never a NULL in the table that strcmp() above would crash on. */
	if (cp->nseen < MAX_ALIASES) {
		char *copy = strdup(alias);

		if (copy)
			cp->seen[cp->nseen++] = copy;
	}
	return 0;
}

/* One pass over /sys/bus/ * /devices/ * /modalias; returns new aliases seen. */
static unsigned coldplug_pass(struct coldplug *cp)
{
	DIR *buses = opendir("/sys/bus");
	struct dirent *b;
	unsigned fresh = 0;

	if (!buses) {
		nl_warn("modules", "cannot open /sys/bus: %s", strerror(errno));
		return 0;
	}
	while ((b = readdir(buses))) {
		char path[512];
		DIR *devs;
		struct dirent *d;

		if (b->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "/sys/bus/%s/devices", b->d_name);
		devs = opendir(path);
		if (!devs)
			continue;
		while ((d = readdir(devs))) {
			char file[1024], alias[512];
			ssize_t n;

			if (d->d_name[0] == '.')
				continue;
			snprintf(file, sizeof(file), "%s/%s/modalias", path, d->d_name);
			n = read_file(file, alias, sizeof(alias));
			if (n <= 0)
				continue;
			alias[strcspn(alias, "\n")] = '\0';
			if (!alias[0] || alias_seen(cp, alias))
				continue;
			fresh++;
			probe_lookup(cp, alias, 1);
		}
		closedir(devs);
	}
	closedir(buses);
	return fresh;
}

static struct kmod_ctx *modules_ctx(void)
{
	struct kmod_ctx *ctx = kmod_new(NULL, NULL);

	if (!ctx) {
		nl_err("modules", "libkmod could not start (is /lib/modules/$(uname -r) in the initramfs?)");
		return NULL;
	}
	if (kmod_load_resources(ctx) < 0)
		nl_warn("modules", "module indexes missing: run depmod for this kernel when building the initramfs");
	return ctx;
}

int modules_coldplug(const struct cmdline *cl)
{
	struct coldplug cp = { .cl = cl };
	uint64_t t0 = now_ms();
	unsigned rounds = 0;

	cp.ctx = modules_ctx();
	if (!cp.ctx)
		return -ENOENT;
	for (size_t i = 0; cl && i < cl->ndriver_pre; i++)
		if (probe_lookup(&cp, cl->driver_pre[i], 0) == 0)
			nl_warn("modules", "rd.driver.pre=%s: no such module", cl->driver_pre[i]);

	/* Loading a bus driver (virtio_pci) creates devices (virtio_net's):
	 * walk again until a pass finds nothing new; bounded. */
	while (rounds < MAX_ROUNDS) {
		unsigned fresh = coldplug_pass(&cp);

		rounds++;
		if (fresh == 0) {
			/* a device may register just after its driver's init returns */
			sleep_ms(20);
			if (coldplug_pass(&cp) == 0)
				break;
		}
	}
	nl_info("modules", "coldplug: %u devices, %u modules loaded in %u passes, %.3f s%s%s",
		cp.nseen, cp.loaded, rounds, (double)(now_ms() - t0) / 1000.0,
		cp.loaded ? ": " : "", cp.loaded_names);
	for (unsigned i = 0; i < cp.nseen; i++)
		free(cp.seen[i]);
	kmod_unref(cp.ctx);
	return 0;
}

int modules_load(const struct cmdline *cl, const char *const *names, size_t n, int quiet)
{
	struct coldplug cp = { .cl = cl };
	int missing = 0;
	uint64_t t0 = now_ms();

	cp.ctx = modules_ctx();
	if (!cp.ctx)
		return (int)n;
	for (size_t i = 0; i < n; i++) {
		if (probe_lookup(&cp, names[i], quiet) == 0) {
			missing++;
			if (!quiet)
				nl_warn("modules", "%s: not found (built in, or missing from the initramfs)", names[i]);
		}
	}
	if (cp.loaded)
		nl_info("modules", "loaded %s (%.3f s)", cp.loaded_names, (double)(now_ms() - t0) / 1000.0);
	kmod_unref(cp.ctx);
	return missing;
}

#else /* !CFG_MODULES */

int modules_coldplug(const struct cmdline *cl)
{
	nl_info("modules", "module loading not built in (CONFIG_MODULES=n): drivers must be built into the kernel");
	return 0;
}

int modules_load(const struct cmdline *cl, const char *const *names, size_t n, int quiet)
{
	return 0;
}
#endif

/*
 * Device nodes of modules that are loaded on first open (loop-control,
 * fuse, tun...): depmod lists them in modules.devname as
 * "module node c|bMAJ:MIN".  With the node in /dev, opening it makes the
 * kernel request "char-major-M-m", which /sbin/modprobe (us) answers: the
 * way `kmod static-nodes` serves udev.
 */
int modules_static_nodes(void)
{
	struct utsname u;
	char path[300], buf[8192], *save = NULL;
	int made = 0;

	if (uname(&u) < 0)
		return -errno;
	snprintf(path, sizeof(path), "/lib/modules/%s/modules.devname", u.release);
	if (read_file(path, buf, sizeof(buf)) < 0)
		return 0;
	for (char *l = strtok_r(buf, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
		char mod[64], node[128], type;
		unsigned maj, min;
		char dev[160];

		if (l[0] == '#' || sscanf(l, "%63s %127s %c%u:%u", mod, node, &type, &maj, &min) != 5)
			continue;
		if ((type != 'c' && type != 'b') || strstr(node, ".."))
			continue;
		snprintf(dev, sizeof(dev), "/dev/%s", node);
		if (strchr(node, '/')) {
			char dir[160];

			snprintf(dir, sizeof(dir), "%s", dev);
			*strrchr(dir, '/') = '\0';
			mkdir_p(dir, 0755);
		}
		if (mknod(dev, (type == 'c' ? S_IFCHR : S_IFBLK) | 0600, makedev(maj, min)) == 0)
			made++;
	}
	nl_debug("modules", "created %d static device nodes from modules.devname", made);
	return made;
}

int modules_main(int argc, char **argv)
{
	if (argc > 1)
		return modules_load(NULL, (const char *const *)argv + 1, (size_t)argc - 1, 0) ? 1 : 0;
	return modules_coldplug(NULL) < 0 ? 1 : 0;
}

/*
 * The kernel's request_module() runs "/sbin/modprobe -q -- NAME"
 * (CONFIG_MODPROBE_PATH; e.g. ext4 asking for "crypto-crc32c"): the
 * initramfs links /sbin/modprobe to init, which answers here.
 */
int modprobe_main(int argc, char **argv)
{
	const char *names[16];
	size_t n = 0;
	int quiet = 0;

	for (int i = 1; i < argc && n < ARRAY_SIZE(names); i++) {
		if (!strcmp(argv[i], "-q") || !strcmp(argv[i], "--quiet"))
			quiet = 1;
		else if (!strcmp(argv[i], "--") || argv[i][0] == '-')
			continue;
		else
			names[n++] = argv[i];
	}
	if (n == 0)
		return 1;
	return modules_load(NULL, names, n, quiet) ? 1 : 0;
}
