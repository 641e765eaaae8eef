/* SPDX-License-Identifier: MIT */
#include "boot.h"

#include <arpa/inet.h>
#include <errno.h>
#include <string.h>

#include "hooks.h"
#include "log.h"
#include "netinit_config.h"
#include "rescue.h"

int boot_network_up(const struct cmdline *cl, struct boot_state *bs)
{
	nl_err("net", "this init was built without network support; a network root cannot boot");
	return -ENOTSUP;
}

int boot_network_root(const struct cmdline *cl, struct boot_state *bs, const char *newroot)
{
	static const char *const names[] = { "", "block", "NFS", "URL", "DHCP" };

	nl_err("mount", "%s roots are not supported by this build of init", names[cl->root.type]);
	return -ENOTSUP;
}

void boot_handover(const struct cmdline *cl, struct boot_state *bs, const char *newroot)
{
}

void boot_hooks(const struct cmdline *cl, enum boot_stage stage, struct boot_state *bs)
{
	int r;

	if (!CFG_HOOKS)
		return;
	while ((r = hooks_run(stage, bs->hostname, bs->ifname, bs->ipaddr, "/newroot")) < 0)
		boot_fail(cl, stage, "hook for stage %s failed", boot_stage_name(stage));
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
