/* SPDX-License-Identifier: MIT */
/*
 * The writable stage after the root is mounted: the node's name
 * (init/hostname.h), its per-host directories (mount/hostdir.h) or the
 * volatile fallback, its /etc/hosts line, and per-host files
 * (fetch/hostfiles.c).  doc/writable.md says what a user sees.
 */
#include <errno.h>
#include <string.h>
#include <sys/mount.h>
#include <time.h>

#include "boot.h"
#include "codec.h"
#include "fetch.h"
#include "netinit_config.h"
#include "hostdir.h"
#include "hostname.h"
#include "log.h"
#include "util.h"

#define WR_STAGE "writable"

static void name_refused(void *ctx, const char *src, const char *name)
{
	(void)ctx;
	nl_warn(WR_STAGE, "host name \"%s\" from %s refused (not a valid host name: RFC 1123 "
		"labels of 1-63 letters, digits and '-'); trying the next source", name, src);
}

/* DHCP option 12, ip= field 5, the MAC: the first valid one. */
int boot_choose_name(struct boot_state *bs)
{
	const struct net_lease *l = bs->have_lease ? &bs->lease : NULL;
	const uint8_t *mac = l && !mac_is_zero(l->mac) ? l->mac :
			     bs->plan.node.has_mac ? bs->plan.node.mac : NULL;
	int r = hostname_choose(l && l->hostname_dhcp ? l->hostname : NULL, bs->plan.node.hostname,
				mac, l ? l->domain : NULL, &bs->name, name_refused, NULL);

	if (r < 0) {
		nl_err(WR_STAGE, "no host name: no valid DHCP option 12, no ip= field 5, no MAC address");
		return r;
	}
	nl_info(WR_STAGE, "host name %s (FQDN %s) from %s", bs->name.key, bs->name.fqdn,
		hostname_source_name(bs->name.source));
	return 0;
}

static void read_boot_id(char *out, size_t size)
{
	ssize_t n = read_file("/proc/sys/kernel/random/boot_id", out, size);

	if (n < 0)
		strscpy_ok(out, "unknown", size);
	else
		out[strcspn(out, "\n")] = '\0';
}

int boot_writable(const struct cmdline *cl, const struct mount_modules *mm, struct boot_state *bs,
		  const char *newroot)
{
	const struct plan_hostdir *h = &bs->plan.writable.hostdir;
	struct hostdir_who who = { .key = bs->name.key, .now = (long long)time(NULL) };
	int r;

	bs->layer = bs->plan.writable.mode;
	if (bs->plan.writable.mode != PLAN_RW_PERSISTENT)
		return 0;
	if (!bs->name.key[0]) {
		nl_err(WR_STAGE, "netinit.writable=persistent needs the node's host name");
		return -ENOENT;
	}
	if (bs->have_lease && !mac_is_zero(bs->lease.mac))
		memcpy(who.mac, bs->lease.mac, 6);
	else if (bs->plan.node.has_mac)
		memcpy(who.mac, bs->plan.node.mac, 6);
	read_boot_id(who.boot_id, sizeof(who.boot_id));
	r = hostdir_mount(h, &who, bs->have_lease ? &bs->lease : NULL, mm, newroot);
	if (r == 0 || r == -EADDRINUSE)
		return r;
	/* Could not be mounted within rd.timeout: the failure policy when one is
	 * given (rd.emergency=, netinit.onfail=), else this default: boot, volatile. */
	if (r < 0 && (cmdline_has(cl, "rd.emergency") || cmdline_has(cl, "netinit.onfail")))
		return r;
	if (r < 0)
		nl_warn(WR_STAGE, "*** the node's directory could not be mounted: VOLATILE BOOT, "
			"this node's changes are lost at reboot (set rd.emergency= or "
			"netinit.onfail= to stop instead) ***");
	r = hostdir_fallback_volatile(mm, newroot);
	if (r == 0) {
		bs->layer = PLAN_RW_VOLATILE;
		nl_warn(WR_STAGE, "volatile writable layer (overlayfs, tmpfs upper) instead of %s:%s/%s",
			h->server, h->path, bs->name.key);
	}
	return r;
}

void boot_hosts_line(struct boot_state *bs, const char *newroot)
{
	int r;

	if (!bs->name.key[0] || !bs->have_net || bs->layer == PLAN_RW_NONE)
		return;
	r = hostname_write_hosts(newroot, &bs->name, bs->lease.addr);
	if (r == -EROFS) /* a read-only root without a writable layer (local disks) */
		nl_debug(WR_STAGE, "/etc/hosts: read-only, no line for %s", bs->name.fqdn);
	else if (r < 0)
		nl_warn(WR_STAGE, "/etc/hosts: cannot add the line for %s: %s", bs->name.fqdn,
			strerror(-r));
	else if (r == 0)
		nl_info(WR_STAGE, "/etc/hosts: added %s", bs->name.fqdn);
}

int boot_hostfiles(struct boot_state *bs, const char *newroot)
{
	const struct net_lease *l = bs->have_lease ? &bs->lease : NULL;
	const uint8_t *mac = l && !mac_is_zero(l->mac) ? l->mac :
			     bs->plan.node.has_mac ? bs->plan.node.mac : NULL;
	int r;

	if (!bs->plan.writable.nhostfiles)
		return 0;
	if (!CFG_FETCH_HTTP && !CFG_FETCH_TFTP) {
		nl_err(WR_STAGE, "netinit.hostfiles= needs the fetch stage (CONFIG_FETCH_HTTP/TFTP=n)");
		return -ENOTSUP;
	}
	if (bs->layer != PLAN_RW_VOLATILE) {
		nl_info(WR_STAGE, "netinit.hostfiles=: not unpacked: the node's own directories are "
			"mounted (per-host files go over a volatile layer only)");
		return 0;
	}
	r = fetch_hostfiles(&bs->plan, l, bs->name.key, mac, FETCH_KEY_DIR, newroot);
	return r < 0 ? r : 0;
}
