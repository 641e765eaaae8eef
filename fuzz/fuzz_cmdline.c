/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target for the kernel command line parser (init/cmdline.c).
 *
 * The input bytes become one NUL-terminated line (an embedded NUL ends it
 * early, as it would in /proc/cmdline read as a string).  After parsing, the
 * invariants every caller relies on are checked: every string field is
 * NUL-terminated inside its array, every count is within its bound, every
 * word points into cl->buf, the enums hold known values, and the reported
 * error count matches the callback.  A violated invariant aborts.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cmdline.h"

#define CHECK(c) do { if (!(c)) abort(); } while (0)
#define TERMINATED(a) CHECK(memchr((a), '\0', sizeof(a)) != NULL)

struct counts {
	int errors;
};

static void on_report(void *ctx, enum cmdline_severity sev, const char *param, const char *msg)
{
	struct counts *c = ctx;

	CHECK(param && msg && *msg);
	for (const char *p = param; *p; p++)
		CHECK((unsigned char)*p > 0x20 && (unsigned char)*p < 0x7f);
	CHECK(strlen(msg) < 256);
	/* messages go to the console: no raw control characters */
	for (const char *p = msg; *p; p++)
		CHECK((unsigned char)*p >= 0x20 && (unsigned char)*p != 0x7f);
	if (sev == CMDLINE_ERROR)
		c->errors++;
}

static void check_in_buf(const struct cmdline *cl, const char *s)
{
	CHECK(s >= cl->buf && s < cl->buf + sizeof(cl->buf));
	CHECK(memchr(s, '\0', (size_t)(cl->buf + sizeof(cl->buf) - s)) != NULL);
}

/* Each writable directory is one path component: never "", ".", ".." or with '/'. */
static void check_dirs(const char *list)
{
	char tmp[128], *save = NULL, *d;
	int n = 0;

	CHECK(strlen(list) < sizeof(tmp));
	CHECK(list[0] && list[strlen(list) - 1] != ',' && !strstr(list, ",,"));
	strcpy(tmp, list);
	for (d = strtok_r(tmp, ",", &save); d; d = strtok_r(NULL, ",", &save), n++)
		CHECK(strcmp(d, ".") && strcmp(d, "..") && !strchr(d, '/'));
	CHECK(n > 0);
}

static void check_invariants(const struct cmdline *cl)
{
	size_t i;

	CHECK(cl->nwords + cl->ninit_args <= sizeof(cl->words) / sizeof(cl->words[0]));
	for (i = 0; i < cl->nwords + cl->ninit_args; i++) {
		check_in_buf(cl, cl->words[i].key);
		if (cl->words[i].value)
			check_in_buf(cl, cl->words[i].value);
		if (i >= cl->nwords)
			CHECK(cl->words[i].value == NULL);
	}
	CHECK(cl->root.type <= ROOT_DHCP);
	TERMINATED(cl->root.device);
	TERMINATED(cl->root.url);
	TERMINATED(cl->root.nfs.server);
	TERMINATED(cl->root.nfs.path);
	TERMINATED(cl->root.nfs.options);
	CHECK(cl->root.nfs.version == 0 || cl->root.nfs.version == 3 || cl->root.nfs.version == 4);
	if (cl->root.type == ROOT_NFS)
		CHECK(cl->root.nfs.path[0] == '/');
	if (cl->root.type == ROOT_URL) {
		CHECK(cl->nmirror >= 1);
		CHECK(strcmp(cl->mirror[0], cl->root.url) == 0);
		CHECK(cl->neednet);
	}
	TERMINATED(cl->rootfstype);
	TERMINATED(cl->rootflags);
	CHECK(cl->ro >= -1 && cl->ro <= 1);
	TERMINATED(cl->init);
	CHECK(cl->init[0] == '/');
	CHECK(cl->rootdelay >= -1);

	CHECK(cl->nip <= CMDLINE_MAX_IP);
	for (i = 0; i < cl->nip; i++) {
		const struct ip_spec *ip = &cl->ip[i];

		CHECK(ip->method >= IP_METHOD_OFF && ip->method <= IP_METHOD_STATIC);
		TERMINATED(ip->device);
		TERMINATED(ip->hostname);
		CHECK(!ip->hostname[0] || hostname_valid(ip->hostname));
		CHECK(!strchr(ip->device, '/'));
		CHECK(ip->mtu == 0 || (ip->mtu >= 68 && ip->mtu <= 65535));
		if (ip->method == IP_METHOD_STATIC)
			CHECK(ip->client.s_addr != 0);
	}
	CHECK(cl->nnameserver <= CMDLINE_MAX_LIST);
	TERMINATED(cl->bootif);
	CHECK(!cl->bootif[0] || strlen(cl->bootif) == 17);
	CHECK(cl->nifname <= CMDLINE_MAX_LIST);
	for (i = 0; i < cl->nifname; i++)
		TERMINATED(cl->ifname[i].name);
	CHECK(cl->nroute <= CMDLINE_MAX_LIST);
	for (i = 0; i < cl->nroute; i++)
		TERMINATED(cl->route[i]);

	CHECK((cl->break_mask >> STAGE__COUNT) == 0);
	CHECK(cl->emergency <= FAIL_SHELL);
	CHECK(cl->ndriver_pre <= CMDLINE_MAX_LIST);
	CHECK(cl->ndriver_blacklist <= CMDLINE_MAX_LIST);
	for (i = 0; i < cl->ndriver_pre; i++)
		TERMINATED(cl->driver_pre[i]);
	for (i = 0; i < cl->ndriver_blacklist; i++)
		TERMINATED(cl->driver_blacklist[i]);

	CHECK(cl->nmirror <= CMDLINE_MAX_LIST);
	for (i = 0; i < cl->nmirror; i++) {
		TERMINATED(cl->mirror[i]);
		CHECK(strncmp(cl->mirror[i], "http://", 7) == 0 ||
		      strncmp(cl->mirror[i], "tftp://", 7) == 0);
	}
	TERMINATED(cl->sha256);
	CHECK(cl->sha256[0] == '\0' || strlen(cl->sha256) == 64);
	CHECK(!(cl->sha256_invalid && cl->sha256[0]));
	for (i = 0; cl->sha256[i]; i++)
		CHECK((cl->sha256[i] >= '0' && cl->sha256[i] <= '9') ||
		      (cl->sha256[i] >= 'a' && cl->sha256[i] <= 'f'));
	TERMINATED(cl->writable);
	CHECK(!strcmp(cl->writable, "volatile") || !strcmp(cl->writable, "persistent") ||
	      !strcmp(cl->writable, "none"));
	CHECK(cl->nhostfiles <= CMDLINE_MAX_LIST);
	for (i = 0; i < cl->nhostfiles; i++)
		TERMINATED(cl->hostfiles[i]);
	CHECK(cl->nkey <= CMDLINE_MAX_LIST);
	CHECK(cl->fetch_timeout == -1 || cl->fetch_timeout >= 1);
	CHECK(cl->fetch_retries >= -1);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct cmdline cl;
	struct counts c = { 0 };
	char *line;
	int n;

	if (size > 3 * CMDLINE_MAX) /* longer adds nothing: the cut is at CMDLINE_MAX */
		return 0;
	line = malloc(size + 1);
	if (!line)
		return 0;
	memcpy(line, data, size);
	line[size] = '\0';

	n = cmdline_parse(line, &cl, on_report, &c);
	CHECK(n == c.errors);
	CHECK(cl.truncated == (strlen(line) > CMDLINE_MAX));
	check_invariants(&cl);

	/* lookups on every word must work and agree with has() */
	for (size_t i = 0; i < cl.nwords; i++)
		CHECK(cmdline_has(&cl, cl.words[i].key));
	for (size_t i = 0; i < cl.ninit_args; i++)
		CHECK(cmdline_init_arg(&cl, i) != NULL);
	CHECK(cmdline_init_arg(&cl, cl.ninit_args) == NULL);

	/* the same line without a report callback gives the same count */
	CHECK(cmdline_parse(line, &cl, NULL, NULL) == n);
	free(line);
	return 0;
}
