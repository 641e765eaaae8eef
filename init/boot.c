/* SPDX-License-Identifier: MIT */
#include "boot.h"

#include <arpa/inet.h>
#include <errno.h>
#include <string.h>

#include "fetch.h"
#include "hooks.h"
#include "log.h"
#include "net.h"
#include "nfsroot.h"
#include "netinit_config.h"
#include "rescue.h"
#include "report.h"
#include "util.h"

static struct net_lease boot_lease;

int boot_network_up(const struct cmdline *cl, struct boot_state *bs)
{
	int r;

	if (!CFG_NET) {
		nl_err("net", "this init was built without network support (CONFIG_NET=n); "
		       "a network root cannot boot");
		return -ENOTSUP;
	}
	r = net_up(cl, &boot_lease);
	if (r < 0)
		return r;
	bs->lease = &boot_lease;
	bs->have_net = boot_lease.source != NET_SOURCE_NONE;
	/* net_up() validated the host name (hostname_valid()) before storing it. */
	strscpy_ok(bs->hostname, boot_lease.hostname, sizeof(bs->hostname));
	strscpy_ok(bs->ifname, boot_lease.ifname, sizeof(bs->ifname));
	if (bs->have_net) {
		inet_ntop(AF_INET, &boot_lease.addr, bs->ipaddr, sizeof(bs->ipaddr));
		/* The lease files in /run/netinit/ as soon as the lease is applied:
		 * post-net hooks read them (doc/hooks.md); rewritten at hand-over. */
		net_handover(&boot_lease, NULL);
		boot_renew_lease(&boot_lease); /* at T1, during a long download */
	}
	return 0;
}

int boot_network_root(const struct cmdline *cl, struct boot_state *bs, const char *newroot)
{
	switch (cl->root.type) {
	case ROOT_DHCP:
		/* root=dhcp: an image URL in root-path or next-server + bootfile is fetched,
		 * anything else in root-path is an NFS location. */
		if (bs->lease && bs->lease->root_path[0] && !strstr(bs->lease->root_path, "://"))
			return nfsroot_mount(cl, bs->lease, newroot);
		/* fall through */
	case ROOT_URL:
		if (!CFG_FETCH_HTTP && !CFG_FETCH_TFTP) {
			nl_err("mount", "image roots are not built into this init (CONFIG_FETCH_HTTP/TFTP=n)");
			return -ENOTSUP;
		}
		return fetch_root(cl, bs->lease, newroot);
	default:
		return nfsroot_mount(cl, bs->lease, newroot);
	}
}

void boot_handover(const struct cmdline *cl, struct boot_state *bs, const char *newroot)
{
	int r;

	if (!bs->have_net || !bs->lease)
		return;
	/* DHCP's resolv.conf and host name go into the new root's /etc only on
	 * a network root (its writable layer): on a local disk they would
	 * persist, and a rogue DHCP server's DNS settings with them.  The
	 * booted system still finds them in /run/netinit/ (doc/network.md). */
	r = net_handover(bs->lease, cl->root.type == ROOT_BLOCK ? NULL : newroot);
	if (r < 0)
		nl_warn("net", "hand-over of the network state to the new root was incomplete: %s; "
			"the booted system's network manager may reconfigure the interface", strerror(-r));
}

void boot_hooks(const struct cmdline *cl, enum boot_stage stage, struct boot_state *bs)
{
	int r;

	report_state(cl, bs); /* what the rescue summary and the report tell */
	if (!CFG_HOOKS)
		return;
	while ((r = hooks_stage(cl, stage, bs, "/newroot")) < 0)
		boot_fail(cl, stage, "%s hooks failed: %s", boot_stage_name(stage),
			  r == -E2BIG ? "more hooks than the limit" : "a hook failed (see above)");
}

static const char *root_type_name(enum root_type t)
{
	switch (t) {
	case ROOT_BLOCK: return "block";
	case ROOT_NFS: return "nfs";
	case ROOT_URL: return "url";
	case ROOT_DHCP: return "dhcp";
	default: return "unset";
	}
}

void boot_print_config(const struct cmdline *cl, FILE *out)
{
	char a[INET_ADDRSTRLEN];

	fprintf(out, "root.type=%s\n", root_type_name(cl->root.type));
	if (cl->root.type == ROOT_BLOCK)
		fprintf(out, "root.device=%s\n", cl->root.device);
	if (cl->root.type == ROOT_NFS)
		fprintf(out, "root.nfs=%s:%s version=%d options=%s\n", cl->root.nfs.server,
			cl->root.nfs.path, cl->root.nfs.version, cl->root.nfs.options);
	for (size_t i = 0; i < cl->nmirror; i++)
		fprintf(out, "mirror=%s\n", cl->mirror[i]);
	fprintf(out, "rootfstype=%s\nrootflags=%s\nro=%d\ninit=%s\npanic=%d\n", cl->rootfstype,
		cl->rootflags, cl->ro, cl->init, cl->panic);
	for (size_t i = 0; i < cl->nip; i++) {
		const struct ip_spec *ip = &cl->ip[i];

		fprintf(out, "ip[%zu]=%s device=%s", i,
			ip->method == IP_METHOD_DHCP ? "dhcp" : ip->method == IP_METHOD_STATIC ? "static" :
			ip->method == IP_METHOD_OFF ? "off" : "unset", ip->device);
		if (ip->method == IP_METHOD_STATIC)
			fprintf(out, " client=%s", inet_ntop(AF_INET, &ip->client, a, sizeof(a)));
		if (ip->hostname[0])
			fprintf(out, " hostname=%s", ip->hostname);
		fputc('\n', out);
	}
	fprintf(out, "neednet=%d\nshell=%d\nbreak_mask=0x%x\nemergency=%d\ntimeout=%d\ndebug=%d\n",
		cl->neednet, cl->shell, cl->break_mask, (int)cl->emergency, cl->timeout, cl->debug);
	if (cl->sha256[0])
		fprintf(out, "sha256=%s\n", cl->sha256);
	fprintf(out, "writable=%s dirs=%s\n", cl->writable, cl->writable_dirs);
}
