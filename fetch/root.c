// SPDX-License-Identifier: MIT
/*
 * fetch_root(): the fetch half of an image root.  The plan (init/plan.c)
 * says which URLs and how to verify; this expands %h/%m, downloads,
 * verifies, and delivers the bytes into the staging area of mount/imageroot.c
 * (a tree in a tmpfs, or an image file); mount/ then puts it on newroot.
 */
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "netinit_config.h"
#include "fetch.h"
#include "fetch_job.h"
#include "imageroot.h"
#include "log.h"
#include "codec.h"
#include "net.h"
#include "plan.h"
#include "util.h"

static const char *fs_name(enum stream_fmt f)
{
	return f == FMT_SQUASHFS ? "squashfs" : f == FMT_EROFS ? "erofs" : "ext4";
}

/* The stream knows the format from the first bytes: stage a tree or a file. */
static int rt_open(void *ctx, enum stream_fmt fmt, int *fd)
{
	struct staged_root *st = ctx;

	if (fmt == FMT_UNKNOWN)
		return -EMEDIUMTYPE;
	if (fmt == FMT_ARCHIVE)
		return CFG_ARCHIVE ? staged_root_open_tree(st, fd) : -EMEDIUMTYPE;
	return staged_root_open_image(st, fs_name(fmt), fd);
}

static void rt_discard(void *ctx)
{
	staged_root_discard(ctx);
}

/* /sys/class/net/<if>/address (Documentation/ABI/testing/sysfs-class-net). */
static bool read_mac(const char *ifname, uint8_t mac[6])
{
	char path[128], buf[32];

	snprintf(path, sizeof(path), "/sys/class/net/%s/address", ifname);
	if (read_file(path, buf, sizeof(buf)) < 0)
		return false;
	buf[strcspn(buf, "\n")] = '\0';
	return mac_parse(buf, ':', mac) == 0 && !mac_is_zero(mac);
}

/* The MAC for %m and the mirror order: the plan's (BOOTIF=, ip=...:<mac>),
 * the lease's interface, else the first non-loopback interface. */
static bool find_mac(const struct plan_node *nd, const char *ifname, uint8_t mac[6])
{
	struct if_nameindex *ifs;
	bool ok = false;

	if (nd->has_mac) {
		memcpy(mac, nd->mac, 6);
		return true;
	}
	if (ifname[0] && read_mac(ifname, mac))
		return true;
	ifs = if_nameindex();
	for (struct if_nameindex *i = ifs; i && i->if_index && !ok; i++)
		if (strcmp(i->if_name, "lo") != 0)
			ok = read_mac(i->if_name, mac);
	if (ifs)
		if_freenameindex(ifs);
	return ok;
}

/* The name for %h: the lease's, the kernel's (set by the hand-over of a
 * previous stage or a static ip=), else the plan's (ip= field 5). */
static void find_hostname(const struct plan_node *nd, const struct net_lease *lease, char *name,
			  size_t n)
{
	name[0] = '\0';
	if (lease && lease->hostname[0]) {
		snprintf(name, n, "%s", lease->hostname); /* validated by net/ */
		return;
	}
	if (gethostname(name, n) == 0 && name[0] && strcmp(name, "(none)") != 0 &&
	    strcmp(name, "localhost") != 0)
		return;
	snprintf(name, n, "%s", nd->hostname);
}

/* %h and %m expanded (fetch/url.c), in the plan's order. */
static int collect_urls(struct fetch_job *j, const struct boot_plan *p,
			const struct net_lease *lease)
{
	const struct plan_image *im = &p->image;
	char host[256];
	uint8_t mac[6];
	bool have_mac;

	if (im->from_lease < im->nurl)
		nl_info("fetch", "root from DHCP: %s", im->url[im->from_lease]);
	find_hostname(&p->node, lease, host, sizeof(host));
	/* the lease's interface first when the lease named the image (as before the plan) */
	have_mac = find_mac(&p->node, lease && im->from_lease < im->nurl ? lease->ifname : "", mac);
	return fetch_job_add_expanded(j, im->url, im->nurl, host, have_mac ? mac : NULL);
}

/* netinit.fetch.timeout=: a transfer that stalls (under 1 KiB/s) this long
 * is aborted and retried; netinit.fetch.retries=: tries per server. */
void fetch_opts_from_plan(struct fetch_opts *o, const struct boot_plan *p)
{
	const struct plan_image *im = &p->image;

	if (im->stall_s > 0) {
		o->low_speed_time_s = (unsigned)im->stall_s;
		if (o->connect_timeout_ms > (unsigned)im->stall_s * 1000)
			o->connect_timeout_ms = (unsigned)im->stall_s * 1000;
	}
	if (im->tries >= 0)
		o->tries = im->tries > 0 ? (unsigned)im->tries : 1;
}

int fetch_root(const struct boot_plan *p, const struct net_lease *lease, const char *run,
	       const char *keydir, struct staged_root *st)
{
	static struct fetch_job j;
	int r;

	if (p->root != PLAN_ROOT_IMAGE) {
		nl_err("fetch", "no image URL to fetch (root=%s)", plan_root_name(p->root));
		return -EINVAL;
	}
	fetch_job_init(&j);
	if ((r = staged_root_init(st, run)) < 0)
		return r;
	if ((r = collect_urls(&j, p, lease)) < 0)
		return r;
	fetch_opts_from_plan(&j.opts, p);
	j.opts.dns = lease;
	if ((r = fetch_job_verify_plan(&j, keydir, &p->verify)) < 0)
		return r;
	j.target = (struct stream_target){ st, rt_open, rt_discard };
	uint64_t mem = fetch_mem_available();
	j.space = mem > (64u << 20) ? mem - (64u << 20) : 1; /* keep room to boot */
	r = fetch_job_run(&j);
	if (r < 0)
		staged_root_discard(st);
	return r;
}
