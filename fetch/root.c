// SPDX-License-Identifier: MIT
/*
 * fetch_root(): the boot stage that turns a URL root into a mounted root.
 *
 *   archives  -> unpacked into a tmpfs at /run/netinit/stage, moved onto
 *                newroot once verified (a tmpfs is writable already);
 *   images    -> stored in a tmpfs at /run/netinit/image, loop-mounted
 *                read-only at /run/netinit/lower once verified, with a
 *                volatile overlay (tmpfs upper at /run/netinit/rw) on newroot.
 * A failed or unverified download is unmounted: nothing of it stays.
 */
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>
#include <arpa/inet.h>

#include "netinit_config.h"
#include "fetch.h"
#include "fetch_job.h"
#include "log.h"
#include "codec.h"
#include "util.h"
#include "loop.h"
#include "overlay.h"

#include "net.h"

struct root_target {
	char run[256];
	char stage[300], imagedir[300], image[320];
	bool stage_mounted, image_mounted;
	enum stream_fmt fmt;
};

static int mount_tmpfs(const char *dir, const char *mode)
{
	char opt[64];
	snprintf(opt, sizeof(opt), "mode=%s,size=90%%", mode);
	if (mkdir(dir, 0755) < 0 && errno != EEXIST)
		return -errno;
	if (mount("tmpfs", dir, "tmpfs", 0, opt) < 0)
		return -errno;
	return 0;
}

static int rt_open(void *ctx, enum stream_fmt fmt, int *fd)
{
	struct root_target *t = ctx;
	int r;
	if (fmt == FMT_UNKNOWN)
		return -EMEDIUMTYPE;
	t->fmt = fmt;
	if (fmt == FMT_ARCHIVE) {
		if (!CFG_ARCHIVE)
			return -EMEDIUMTYPE;
		if ((r = mount_tmpfs(t->stage, "0755")) < 0) {
			nl_err("fetch", "tmpfs at %s: %s", t->stage, strerror(-r));
			return r;
		}
		t->stage_mounted = true;
		*fd = open(t->stage, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		return *fd < 0 ? -errno : 0;
	}
	if ((r = mount_tmpfs(t->imagedir, "0700")) < 0) {
		nl_err("fetch", "tmpfs at %s: %s", t->imagedir, strerror(-r));
		return r;
	}
	t->image_mounted = true;
	*fd = open(t->image, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0400);
	return *fd < 0 ? -errno : 0;
}

static void rt_discard(void *ctx)
{
	struct root_target *t = ctx;
	if (t->stage_mounted && umount2(t->stage, MNT_DETACH) == 0)
		t->stage_mounted = false;
	if (t->image_mounted && umount2(t->imagedir, MNT_DETACH) == 0)
		t->image_mounted = false;
}

/* --- the one place that reads struct net_lease (net/net.h) --- */
static int lease_root_url(const struct net_lease *lease, char *url, size_t n, char *ifname,
			  size_t iflen)
{
	char addr[INET_ADDRSTRLEN];
	ifname[0] = '\0';
	if (!lease || lease->source == NET_SOURCE_NONE)
		return -ENOENT;
	snprintf(ifname, iflen, "%s", lease->ifname);
	/* DHCP option 17 (RFC 2132 section 3.19) when it is a URL */
	if (strncmp(lease->root_path, "http://", 7) == 0 ||
	    strncmp(lease->root_path, "tftp://", 7) == 0 ||
	    strncmp(lease->root_path, "live:", 5) == 0) {
		snprintf(url, n, "%s", lease->root_path);
		return 0;
	}
	if (lease->root_path[0]) {
		nl_err("fetch", "root=dhcp: root-path '%s' is not an http:// or tftp:// URL",
		       lease->root_path);
		return -EINVAL;
	}
	/* else the TFTP server (option 66, sname, or next-server) + boot file */
	if (!lease->bootfile[0])
		return -ENOENT;
	const char *server = lease->tftp_server;
	if (!server[0]) {
		if (!lease->siaddr.s_addr)
			return -ENOENT;
		server = inet_ntop(AF_INET, &lease->siaddr, addr, sizeof(addr));
	}
	snprintf(url, n, "tftp://%s/%s", server, lease->bootfile[0] == '/' ? lease->bootfile + 1
									      : lease->bootfile);
	return 0;
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

/* The MAC for %m and the mirror order: BOOTIF=, ip=...:<mac>, the lease's
 * interface, else the first non-loopback interface that is up. */
static bool find_mac(const struct cmdline *cl, const char *ifname, uint8_t mac[6])
{
	if (cl->bootif[0] && mac_parse(cl->bootif, ':', mac) == 0)
		return true;
	for (size_t i = 0; i < cl->nip; i++)
		if (cl->ip[i].has_mac) {
			memcpy(mac, cl->ip[i].mac, 6);
			return true;
		}
	if (ifname[0] && read_mac(ifname, mac))
		return true;
	struct if_nameindex *ifs = if_nameindex();
	bool ok = false;
	for (struct if_nameindex *i = ifs; i && i->if_index && !ok; i++)
		if (strcmp(i->if_name, "lo") != 0)
			ok = read_mac(i->if_name, mac);
	if (ifs)
		if_freenameindex(ifs);
	return ok;
}

static void find_hostname(const struct cmdline *cl, const struct net_lease *lease, char *name,
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
	name[0] = '\0';
	for (size_t i = 0; i < cl->nip && !name[0]; i++)
		snprintf(name, n, "%s", cl->ip[i].hostname);
}

static int collect_urls(struct fetch_job *j, const struct cmdline *cl,
			const struct net_lease *lease)
{
	char raw[CMDLINE_MAX_LIST][CMDLINE_MAX_URL], ifname[IF_NAMESIZE + 1] = "";
	char host[256], url[URL_MAX];
	uint8_t mac[6];
	size_t n = 0;
	int r;

	if (cl->nmirror) {
		for (; n < cl->nmirror && n < CMDLINE_MAX_LIST; n++)
			snprintf(raw[n], sizeof(raw[n]), "%s", cl->mirror[n]);
	} else if (cl->root.type == ROOT_URL) {
		snprintf(raw[n++], sizeof(raw[0]), "%s", cl->root.url);
	}
	if (cl->root.type == ROOT_DHCP || !n) {
		r = lease_root_url(lease, raw[n], sizeof(raw[n]), ifname, sizeof(ifname));
		if (r < 0) {
			nl_err("fetch", "root=dhcp: the DHCP lease has neither a URL root-path "
			       "(option 17) nor next-server + boot file");
			return -ENOENT;
		}
		nl_info("fetch", "root from DHCP: %s", raw[n]);
		n++;
	}
	find_hostname(cl, lease, host, sizeof(host));
	bool have_mac = find_mac(cl, ifname, mac);
	j->seed = have_mac ? url_seed(mac, 6) : url_seed(host, strlen(host));
	for (size_t i = 0; i < n; i++) {
		r = url_expand(raw[i], host, have_mac ? mac : NULL, url, sizeof(url));
		if (r == -ENXIO) {
			nl_err("fetch", "'%s': %%h needs a valid host name (have '%s'), %%m a MAC "
			       "address (%s)", raw[i], host, have_mac ? "have one" : "none found");
			return r;
		}
		if (r < 0) {
			nl_err("fetch", "'%s': a '%%' must be %%h, %%m, %%%% or %%XX", raw[i]);
			return r;
		}
		if ((r = fetch_job_add_url(j, url)) < 0)
			return r;
	}
	return 0;
}

/* netinit.key= is a list: the raw words, not the last value. */
static size_t key_args(const struct cmdline *cl, const char **out, size_t max)
{
	size_t n = 0;
	for (size_t i = 0; i < cl->nwords && n < max; i++)
		if (strcmp(cl->words[i].key, "netinit.key") == 0)
			out[n++] = cl->words[i].value ? cl->words[i].value : "";
	return n;
}

static const char *pin_arg(const struct cmdline *cl)
{
	const char *pin = NULL;
	/* The raw word, so that a value the parser dropped as malformed still
	 * refuses the boot instead of meaning "no pin". */
	for (size_t i = 0; i < cl->nwords; i++)
		if (strcmp(cl->words[i].key, "netinit.sha256") == 0)
			pin = cl->words[i].value ? cl->words[i].value : "";
	if (!pin && cl->sha256[0])
		pin = cl->sha256;
	return pin;
}

static const char *fs_name(enum stream_fmt f)
{
	return f == FMT_SQUASHFS ? "squashfs" : f == FMT_EROFS ? "erofs" : "ext4";
}

/* Verified: put it in place. */
static int root_commit(struct root_target *t, const struct cmdline *cl, const char *newroot)
{
	char lower[300], rw[300];
	int r;
	if (t->fmt == FMT_ARCHIVE) {
		if (mount(t->stage, newroot, NULL, MS_MOVE, NULL) < 0) {
			r = -errno;
			nl_err("mount", "move %s to %s: %s", t->stage, newroot, strerror(errno));
			return r;
		}
		t->stage_mounted = false;
		nl_info("mount", "unpacked root (tmpfs) at %s", newroot);
		return 0;
	}
	snprintf(lower, sizeof(lower), "%s/lower", t->run);
	snprintf(rw, sizeof(rw), "%s/rw", t->run);
	if (mkdir(lower, 0755) < 0 && errno != EEXIST)
		return -errno;
	r = loop_mount_image(t->image, fs_name(t->fmt), lower);
	if (r < 0)
		return r;
	if (!CFG_OVERLAY || strcmp(cl->writable, "none") == 0) {
		if (mount(lower, newroot, NULL, MS_BIND, NULL) < 0 ||
		    mount(NULL, newroot, NULL, MS_REMOUNT | MS_BIND | MS_RDONLY, NULL) < 0) {
			r = -errno;
			nl_err("mount", "bind %s to %s: %s", lower, newroot, strerror(errno));
			return r;
		}
		nl_info("mount", "read-only root at %s (no writable layer)", newroot);
		return 0;
	}
	return overlay_mount_volatile(lower, rw, "50%", newroot);
}

static int fetch_root_in(const struct cmdline *cl, const struct net_lease *lease,
			 const char *newroot, const char *run, const char *keydir)
{
	static struct fetch_job j;
	struct root_target t;
	const char *keys[CMDLINE_MAX_LIST];
	int r;

	fetch_job_init(&j);
	memset(&t, 0, sizeof(t));
	snprintf(t.run, sizeof(t.run), "%s", run);
	snprintf(t.stage, sizeof(t.stage), "%s/stage", run);
	snprintf(t.imagedir, sizeof(t.imagedir), "%s/image", run);
	snprintf(t.image, sizeof(t.image), "%s/image/root.img", run);
	if (mkdir(run, 0755) < 0 && errno != EEXIST) {
		nl_err("fetch", "mkdir %s: %s", run, strerror(errno));
		return -errno;
	}
	if ((r = collect_urls(&j, cl, lease)) < 0)
		return r;
	/* netinit.fetch.timeout=: a transfer that stalls (under 1 KiB/s) this
	 * long is aborted and retried; netinit.fetch.retries=: tries per server */
	if (cl->fetch_timeout > 0) {
		j.opts.low_speed_time_s = (unsigned)cl->fetch_timeout;
		if (j.opts.connect_timeout_ms > (unsigned)cl->fetch_timeout * 1000)
			j.opts.connect_timeout_ms = (unsigned)cl->fetch_timeout * 1000;
	}
	if (cl->fetch_retries >= 0)
		j.opts.tries = cl->fetch_retries > 0 ? (unsigned)cl->fetch_retries : 1;
	size_t nk = key_args(cl, keys, CMDLINE_MAX_LIST);
	r = fetch_job_verify_setup(&j, keydir, keys, nk, pin_arg(cl), cl->verify_off);
	if (r < 0)
		return r;
	j.target = (struct stream_target){ &t, rt_open, rt_discard };
	uint64_t mem = fetch_mem_available();
	j.space = mem > (64u << 20) ? mem - (64u << 20) : 1; /* keep room to boot */
	r = fetch_job_run(&j);
	if (r < 0) {
		rt_discard(&t);
		return r;
	}
	r = root_commit(&t, cl, newroot);
	if (r < 0)
		rt_discard(&t);
	return r;
}

int fetch_root(const struct cmdline *cl, const struct net_lease *lease, const char *newroot)
{
	return fetch_root_in(cl, lease, newroot, FETCH_RUN_DIR, FETCH_KEY_DIR);
}

/* For `init fetch --root`: the boot path with a test run dir and key dir. */
int fetch_root_test(const struct cmdline *cl, const char *newroot, const char *run,
		    const char *keydir);
int fetch_root_test(const struct cmdline *cl, const char *newroot, const char *run,
		    const char *keydir)
{
	return fetch_root_in(cl, NULL, newroot, run, keydir);
}
