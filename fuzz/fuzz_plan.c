/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target for the boot plan (init/plan.c): a command line and the
 * lease fields that come off the network (root-path, boot file, TFTP
 * server, host name: untrusted, though net/ validated their charset).
 *
 * Input: "<cmdline>\n<root-path>\n<bootfile>\n<tftp-server>\n<hostname>"
 * plus addresses from the last bytes.  Checked: plan_build() reports as
 * many errors as it returns, every string of the plan is terminated inside
 * its array, the counts are within bounds, the root kind is known, and the
 * same input gives the same plan (no state between calls).  A violated
 * invariant aborts.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmdline.h"
#include "net.h"
#include "plan.h"

#define CHECK(c) do { if (!(c)) abort(); } while (0)
#define TERMINATED(a) CHECK(memchr((a), '\0', sizeof(a)) != NULL)

static void on_report(void *ctx, enum cmdline_severity sev, const char *stage, const char *msg)
{
	int *errors = ctx;

	CHECK(stage && *stage && msg && *msg && strlen(msg) < 512);
	if (sev == CMDLINE_ERROR)
		(*errors)++;
}

/* The next '\n'-terminated piece of data into out (cut to fit). */
static const char *piece(const char *p, const char *end, char *out, size_t size)
{
	size_t n = 0;

	while (p < end && *p != '\n') {
		if (n + 1 < size)
			out[n++] = *p;
		p++;
	}
	out[n] = '\0';
	return p < end ? p + 1 : end;
}

static void check_plan(const struct boot_plan *p, int errors)
{
	CHECK(p->root >= PLAN_ROOT_NONE && p->root <= PLAN_ROOT_DHCP);
	CHECK(p->image.nurl <= CMDLINE_MAX_LIST && p->verify.nkey <= CMDLINE_MAX_LIST);
	CHECK(p->image.from_lease <= p->image.nurl);
	for (size_t i = 0; i < p->image.nurl; i++)
		TERMINATED(p->image.url[i]);
	TERMINATED(p->local.device);
	TERMINATED(p->nfs.server);
	TERMINATED(p->nfs.path);
	TERMINATED(p->nfs.options);
	TERMINATED(p->verify.key_invalid);
	CHECK(p->writable.nhostfiles <= CMDLINE_MAX_LIST);
	for (size_t i = 0; i < p->writable.nhostfiles; i++)
		TERMINATED(p->writable.hostfiles[i]);
	TERMINATED(p->node.hostname);
	TERMINATED(p->init);
	TERMINATED(p->init_args);
	/* a plan without errors can be carried out */
	if (!errors && p->root == PLAN_ROOT_NFS && p->nfs.server[0])
		CHECK(p->nfs.path[0] == '/');
	if (!errors && p->root == PLAN_ROOT_IMAGE)
		CHECK(p->image.nurl > 0);
	CHECK(!(p->verify.has_pin && p->verify.pin_invalid));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct cmdline cl;
	static struct boot_plan a, b;
	static char line[CMDLINE_MAX + 1];
	struct net_lease l;
	const char *p = (const char *)data, *end = p + size;
	int errors = 0, n;
	char out[1 << 15];
	FILE *f;

	if (size > 2 * CMDLINE_MAX)
		return 0;
	memset(&l, 0, sizeof(l));
	p = piece(p, end, line, sizeof(line));
	p = piece(p, end, l.root_path, sizeof(l.root_path));
	p = piece(p, end, l.bootfile, sizeof(l.bootfile));
	p = piece(p, end, l.tftp_server, sizeof(l.tftp_server));
	p = piece(p, end, l.hostname, sizeof(l.hostname));
	if (end - p >= 12) {
		memcpy(&l.addr, p, 4);
		memcpy(&l.siaddr, p + 4, 4);
		memcpy(&l.server_id, p + 8, 4);
	}
	l.source = size & 1 ? NET_SOURCE_DHCP : NET_SOURCE_NONE;
	cmdline_parse(line, &cl, NULL, NULL);

	n = plan_build(&cl, NULL, &a, on_report, &errors);
	CHECK(n == errors);
	check_plan(&a, n);
	errors = 0;
	n = plan_build(&cl, &l, &a, on_report, &errors);
	CHECK(n == errors);
	check_plan(&a, n);
	CHECK(plan_build(&cl, &l, &b, NULL, NULL) == n);
	CHECK(memcmp(&a, &b, sizeof(a)) == 0);
	f = fmemopen(out, sizeof(out), "w");
	if (f) {
		plan_print(&a, f);
		fclose(f);
	}
	return 0;
}
