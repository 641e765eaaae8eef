/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target: netinit-export's drop-in parser and model, then every
 * renderer in memory.  The input is one or more drop-in files separated by
 * a line "--" (so duplicates across files are reached).  Beyond "no crash,
 * no leak, no UB", it checks that no value became syntax in the outputs:
 * each dnsmasq dhcp-host line has exactly its 4 commas, dhcpd braces
 * balance, each pxelinux file has one APPEND line, each exports line one
 * client field per node directory.
 */
#define EXPORT_NO_MAIN 1
#define EXPORT_GROUP_MAX 2000 /* keep one input fast */
#include "../server/conf.c"
#include "../server/model.c"
#include "../server/validate.c"
#include "../server/nodes.c"
#include "../server/lint.c"
#include "../server/netopts.c"
#include "../server/output.c"
#include "../server/render_dhcp.c"
#include "../server/render_pxe.c"
#include "../server/render_nfs.c"
#include "../server/render_http.c"
#include "../server/render_tftp.c"
#include "../server/prereq.c"

#include <assert.h>

int render_manifests(const struct model *m, struct outset *os) { (void)m; (void)os; return 0; }

static size_t count_char(const char *s, size_t n, char ch)
{
	size_t c = 0, i;

	for (i = 0; i < n; i++)
		c += s[i] == ch;
	return c;
}

static void check_output(const struct output *o)
{
	const char *p = o->data.p, *end = p + o->data.len;

	if (!p)
		return;
	assert(memchr(p, '\0', o->data.len) == NULL);
	if (o->kind == OUT_DHCPD)
		assert(count_char(p, o->data.len, '{') == count_char(p, o->data.len, '}'));
	if (o->kind == OUT_PXELINUX) {
		const char *a = strstr(p, "\n  APPEND ");

		assert(a && !strstr(a + 1, "\n  APPEND "));
	}
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);

		if (o->kind == OUT_DNSMASQ && n > 10 && !memcmp(p, "dhcp-host=", 10))
			assert(count_char(p, n, ',') == 4);
		if (o->kind == OUT_EXPORTS && n && p[0] == '/' && memmem(p, n, "(rw,", 4))
			assert(count_char(p, n, ' ') == 1 && count_char(p, n, '(') == 1);
		p += n + 1;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct conf c = { 0 };
	struct model m = { 0 };
	struct outset os = { 0 };
	const char *p = (const char *)data, *end = p + size;
	char name[32];
	int file = 0, k;

	if (size > 16384)
		return 0;
	log_set_level((enum nl_level)0);
	while (p <= end) {
		const char *sep = memmem(p, (size_t)(end - p), "\n--\n", 4);
		size_t n = sep ? (size_t)(sep - p) + 1 : (size_t)(end - p);

		snprintf(name, sizeof(name), "f%d.conf", file++);
		if (conf_parse(&c, name, p, n) < 0)
			break;
		if (!sep)
			break;
		p = sep + 4;
	}
	m.lint_cmdline = true;
	if (model_build(&m, &c) == 0) {
		os.m = &m;
		for (k = 0; k < OUT__COUNT; k++)
			if (k != OUT_TFTP) /* copies host files (kernel, pxelinux.0): not text from the input */
				render_kind(&m, &os, (enum out_kind)k);
		for (size_t i = 0; i < os.n; i++)
			check_output(&os.o[i]);
	}
	outset_free(&os);
	model_free(&m);
	conf_free(&c);
	return 0;
}
