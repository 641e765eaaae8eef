/* SPDX-License-Identifier: MIT */
/*
 * netinit-export: the drop-in parser, the validators, the model's merge and
 * duplicate rules, the escapers and the safe writer, table-driven.
 * The sources are included so their static helpers can be tested; the
 * command line (main.c) and the manifest signer are left out.
 */
#define EXPORT_NO_MAIN 1
#include "../../server/conf.c"
#include "../../server/model.c"
#include "../../server/validate.c"
#include "../../server/nodes.c"
#include "../../server/lint.c"
#include "../../server/netopts.c"
#include "../../server/output.c"
#include "../../server/render_dhcp.c"
#include "../../server/render_pxe.c"
#include "../../server/render_nfs.c"
#include "../../server/render_http.c"
#include "../../server/render_tftp.c"
#include "../../server/prereq.c"
#include "../../server/import.c"
#include "../../server/import_parse.c"
#include "../../server/nodedir.c"

#include <setjmp.h>
#include <stdarg.h>
#include <cmocka.h>

/* Left out (manifests.c needs fetch/manifest.c): not used by these tests. */
int render_manifests(const struct model *m, struct outset *os) { (void)m; (void)os; return 0; }

/* ---- the parser ---- */
static const struct {
	const char *text;
	int errors;   /* syntax errors */
	size_t nsec;  /* sections */
	size_t nkv0;  /* keys in the first section */
} parse_cases[] = {
	{ "", 0, 0, 0 },
	{ "# only a comment\n; another\n\n", 0, 0, 0 },
	{ "[site]\nserver = 10.0.0.1\n", 0, 1, 1 },
	{ "[site]\r\nserver=10.0.0.1\r\n", 0, 1, 1 },              /* CRLF, no spaces */
	{ "  [site]  \n\tserver =   10.0.0.1   \n", 0, 1, 1 },
	{ "[site]\nserver = 10.0.0.1", 0, 1, 1 },                   /* no final newline */
	{ "[site]\ncmdline = a=b c=\"d e\"\n", 0, 1, 1 },            /* '=' in the value */
	{ "[site]\nkey =\n", 0, 1, 1 },                             /* empty value */
	{ "server = 1\n", 1, 0, 0 },                                /* before a section */
	{ "[site\n", 1, 0, 0 },
	{ "[site] x\n", 1, 0, 0 },
	{ "[]\n", 1, 0, 0 },
	{ "[node]\n", 1, 0, 0 },                                    /* needs a name */
	{ "[site x]\n", 1, 0, 0 },                                  /* takes none */
	{ "[node a b]\n", 1, 0, 0 },
	{ "[bogus x]\n", 1, 0, 0 },
	{ "[site]\nno equals sign\n", 1, 1, 0 },
	{ "[site]\nKey = 1\n", 1, 1, 0 },                           /* keys are lowercase */
	{ "[site]\n= 1\n", 1, 1, 0 },
	{ "[site]\nk\x01 = 1\n", 1, 1, 0 },                         /* control character */
	{ "[node a]\nmac = 1\n[node b]\n", 0, 2, 1 },
};

static void test_parse_table(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(parse_cases) / sizeof(*parse_cases); i++) {
		struct conf c = { 0 };

		assert_int_equal(conf_parse(&c, "t.conf", parse_cases[i].text, strlen(parse_cases[i].text)), 0);
		if (c.errors != parse_cases[i].errors || c.nsec != parse_cases[i].nsec)
			fail_msg("case %zu (%s): errors %d nsec %zu", i, parse_cases[i].text, c.errors, c.nsec);
		if (c.nsec)
			assert_int_equal(c.sec[0].nkv, parse_cases[i].nkv0);
		conf_free(&c);
	}
}

static void test_parse_nul_and_lines(void **state)
{
	static const char text[] = "[site]\nserver = 1\0\n";
	struct conf c = { 0 };
	struct loc l;

	(void)state;
	assert_int_equal(conf_parse(&c, "t.conf", text, sizeof(text) - 1), 0);
	assert_int_equal(c.errors, 1);
	conf_free(&c);

	assert_int_equal(conf_parse(&c, "a.conf", "\n\n[site]\n# x\nserver = 1\nserver = 2\n", 37), 0);
	assert_string_equal(conf_get(&c.sec[0], "server", &l), "2"); /* the last line wins */
	assert_int_equal(l.line, 6);
	assert_string_equal(l.file, "a.conf");
	assert_int_equal(c.sec[0].loc.line, 3);
	conf_free(&c);
}

/* ---- validators ---- */
static void test_mac(void **state)
{
	static const struct { const char *s; int ok; const char *norm; } t[] = {
		{ "52:54:00:12:34:56", 1, "52:54:00:12:34:56" },
		{ "52-54-00-AB-cd-EF", 1, "52:54:00:ab:cd:ef" },
		{ "52:54:00:12:34", 0, NULL },
		{ "52:54:00:12:34:56:78", 0, NULL },
		{ "5254.0012.3456", 0, NULL },
		{ "52:54:00:12:34:5g", 0, NULL },
		{ "", 0, NULL },
		{ "52:54:00:12:34:56 ", 0, NULL },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(t) / sizeof(*t); i++) {
		uint8_t mac[6];
		char s[18];
		int r = mac_parse(t[i].s, 0, mac);

		assert_int_equal(r == 0, t[i].ok);
		if (t[i].ok) {
			mac_format(mac, ':', s);
			assert_string_equal(s, t[i].norm);
		}
	}
}

static void test_path(void **state)
{
	static const struct { const char *s; bool ok; } t[] = {
		{ "/srv/netinit/images/x", true },
		{ "netinit/vmlinuz-6.1.0+1", true },
		{ "a..b/c", true },                 /* ".." inside a name is fine */
		{ "/srv/../etc", false },
		{ "..", false },
		{ "a/..", false },
		{ "/srv/x *(rw,no_root_squash)", false },
		{ "/srv/x\"", false },
		{ "a;b", false },
		{ "a}b", false },
		{ "a b", false },
		{ "a,b", false },                   /* nfsroot= uses ',' for options */
		{ "a$b", false },
		{ "", false },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(t) / sizeof(*t); i++)
		if (ex_path_ok(t[i].s) != t[i].ok)
			fail_msg("path \"%s\": want %d", t[i].s, t[i].ok);
	assert_true(ex_url_ok("http://10.0.0.1:8080/netinit/images"));
	assert_false(ex_url_ok("ftp://x/y"));
	assert_false(ex_url_ok("http://x/y;rm"));
	assert_false(ex_url_ok("http://x/\"y"));
	assert_true(ex_word_ok("2026.11-rc1"));
	assert_false(ex_word_ok("a/b"));
	assert_false(ex_word_ok("a b"));
}

static void test_cmdline_chars(void **state)
{
	char bad = 0;

	(void)state;
	assert_true(ex_cmdline_ok("console=ttyS0,115200 quiet init=\"/sbin/init x\"", &bad));
	assert_false(ex_cmdline_ok("a ${x}", &bad));
	assert_int_equal(bad, '$');
	assert_false(ex_cmdline_ok("a\tb", &bad));
	assert_false(ex_cmdline_ok("a\\b", &bad));
	assert_false(ex_cmdline_ok("caf\xc3\xa9", &bad));
}

static void test_pattern(void **state)
{
	static const struct { const char *pat; unsigned long n; const char *want; } t[] = {
		{ "blade%02d", 7, "blade07" },
		{ "blade%02d", 123, "blade123" },
		{ "n%d", 0, "n0" },
		{ "r%3d", 5, NULL },             /* a width needs the 0: "%03d" */
		{ "rack1-%03d-a", 42, "rack1-042-a" },
		{ "%d%d", 1, NULL },
		{ "x%s", 1, NULL },
		{ "x%n", 1, NULL },
		{ "x", 1, NULL },
		{ "x%", 1, NULL },
		{ "x%0d", 1, NULL },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(t) / sizeof(*t); i++) {
		size_t pre;
		unsigned w;
		const char *post;
		char out[64];
		int r = pattern_parse(t[i].pat, &pre, &w, &post);

		if (!t[i].want) {
			if (r == 0)
				fail_msg("pattern \"%s\" accepted", t[i].pat);
			continue;
		}
		assert_int_equal(r, 0);
		assert_true(pattern_name(t[i].pat, pre, w, post, t[i].n, out, sizeof(out)));
		assert_string_equal(out, t[i].want);
	}
}

/* ---- the model ---- */
static int build(const char *const *files, size_t n, struct conf *c, struct model *m)
{
	size_t i;

	memset(c, 0, sizeof(*c));
	memset(m, 0, sizeof(*m));
	for (i = 0; i < n; i += 2)
		assert_int_equal(conf_parse(c, files[i], files[i + 1], strlen(files[i + 1])), 0);
	m->lint_cmdline = true;
	return model_build(m, c);
}

static const char site[] = "[site]\nserver = 10.0.0.1\nnetwork = 10.0.0.0/24\n[image img]\n";

static void test_model_group(void **state)
{
	const char *files[] = {
		"a.conf", site,
		"b.conf", "[group r]\nname = blade%02d\nstart = 9\ncount = 3\nip = 10.0.0.20-10.0.0.22\n"
			  "mac = 52:54:00:00:00:fe 52:54:00:00:00:ff\nmac = 52:54:00:00:01:00\nwritable = persistent\n",
		"c.conf", "[override blade10]\nwritable = none\ncmdline = rd.shell\n",
	};
	struct conf c;
	struct model m;

	(void)state;
	assert_int_equal(build(files, 6, &c, &m), 0);
	assert_int_equal(m.nnodes, 3);
	assert_string_equal(m.nodes[0].name, "blade09");
	assert_string_equal(m.nodes[2].name, "blade11");
	assert_int_equal(m.nodes[2].mac[5], 0x00);
	assert_int_equal(m.nodes[2].mac[4], 0x01);
	assert_int_equal(ntohl(m.nodes[2].ip.s_addr) & 255, 22);
	assert_int_equal(m.nodes[0].set.writable, WR_PERSISTENT);
	assert_int_equal(m.nodes[1].set.writable, WR_NONE);
	assert_non_null(strstr(m.nodes[1].cmdline, " rd.shell"));
	assert_null(strstr(m.nodes[0].cmdline, "rd.shell"));
	assert_non_null(strstr(m.nodes[0].cmdline, "nfsroot=10.0.0.1:/srv/netinit/images/img"));
	assert_string_equal(m.nodes[0].set.kernel, "vmlinuz");
	model_free(&m);
	conf_free(&c);
}

static void test_model_override_order(void **state)
{
	/* [site] and [image] merge key by key: the later file wins. */
	const char *files[] = {
		"10.conf", "[site]\nserver = 10.0.0.1\nkernel = a\n[image img]\nkernel = img-a\n",
		"20.conf", "[site]\nkernel = b\n[image img]\ninitrd = img-initrd\n",
		"30.conf", "[node n]\nmac = 52:54:00:00:00:01\nip = 10.0.0.5\n",
	};
	struct conf c;
	struct model m;

	(void)state;
	assert_int_equal(build(files, 6, &c, &m), 0);
	assert_string_equal(m.site.set.kernel, "b");
	assert_string_equal(m.nodes[0].set.kernel, "img-a");     /* image beats site */
	assert_string_equal(m.nodes[0].set.initrd, "img-initrd");
	model_free(&m);
	conf_free(&c);
}

static void test_model_duplicates(void **state)
{
	static const struct { const char *b; } t[] = {
		{ "[node x]\nmac = 52:54:00:00:00:01\nip = 10.0.0.9\n" },             /* same MAC */
		{ "[node x]\nmac = 52:54:00:00:00:09\nip = 10.0.0.5\n" },             /* same IP */
		{ "[node n1]\nmac = 52:54:00:00:00:09\nip = 10.0.0.9\n" },            /* same name */
		{ "[group g]\nname = n%d\ncount = 1\nstart = 1\nip = 10.0.0.9\nmac-start = 52:54:00:00:00:09\n" },
		{ "[node N1]\nmac = 52:54:00:00:00:09\nip = 10.0.0.9\n" },             /* same name to DNS (RFC 4343) */
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(t) / sizeof(*t); i++) {
		const char *files[] = { "a.conf", site, "b.conf", "[node n1]\nmac = 52:54:00:00:00:01\nip = 10.0.0.5\n",
					"c.conf", t[i].b };
		struct conf c;
		struct model m;
		int r = build(files, 6, &c, &m);

		if (r == 0 || m.errors != 1)
			fail_msg("duplicate case %zu: r=%d errors=%d", i, r, m.errors);
		model_free(&m);
		conf_free(&c);
	}
}

static void test_model_rejects(void **state)
{
	static const char *const bad[] = {
		"[node a]\nmac = 52:54:00:00:00:01\nip = 10.0.0.5\ncmdline = x\"; reboot; \"\n",   /* fine for cmdline: no $ */
		"[node a]\nmac = 52:54:00:00:00:01\nip = 10.0.0.5\nkernel = /abs/vmlinuz\n",
		"[node a]\nmac = 52:54:00:00:00:01\nip = 10.0.0.5\nbootfile = a\"b\n",
		"[node a]\nmac = 52:54:00:00:00:01\nip = 10.0.0.5\nwritable = rw\n",
		"[node a]\nmac = 52:54:00:00:00:01\nip = 10.0.0.256\n",
		"[node a]\nmac = 52:54:00:00:00:01\nip = 10.0.0.0\n",            /* network address */
		"[node a]\nmac = 52:54:00:00:00:01\nip = 10.0.0.255\n",          /* broadcast */
		"[node -a]\nmac = 52:54:00:00:00:01\nip = 10.0.0.5\n",
		"[node a_b]\nmac = 52:54:00:00:00:01\nip = 10.0.0.5\n",
		"[node a]\nip = 10.0.0.5\n",                                      /* no mac */
		"[group g]\nname = g%d\ncount = 0\nip = 10.0.0.5\nmac-start = 52:54:00:00:00:01\n",
		"[group g]\nname = g%d\ncount = 2\nip = 255.255.255.255\nmac-start = 52:54:00:00:00:01\n",
		"[group g]\nname = g%d\ncount = 2\nip = 10.0.0.5\nmac-start = 52:54:00:00:00:01\nmac = 52:54:00:00:00:01 52:54:00:00:00:02\n",
		"[group g]\nname = toolongtoolongtoolongtoolongtoolongtoolongtoolongtoolongtoolong%d\ncount = 2\nip = 10.0.0.5\nmac-start = 52:54:00:00:00:01\n",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		const char *files[] = { "a.conf", site, "b.conf", bad[i] };
		struct conf c;
		struct model m;
		int r = build(files, 4, &c, &m);

		if ((i == 0) != (r == 0))
			fail_msg("case %zu: r=%d errors=%d", i, r, m.errors);
		model_free(&m);
		conf_free(&c);
	}
}

/* ---- escapers (second line of defense behind the validators) ---- */
/* ---- network options: site values, a group's own copy, what is refused ---- */
static void test_netopts(void **state)
{
	static const struct { const char *site_keys; const char *node_keys; int errors; } t[] = {
		{ "gateway = 10.0.0.254\ndns = 10.0.0.1, 10.0.0.2\n", "", 0 },
		{ "gateway = 10.1.0.254\n", "", 1 },                       /* outside network = */
		{ "dns = 10.0.0.1 10.0.0.2 10.0.0.3 10.0.0.4 10.0.0.5 10.0.0.6 10.0.0.7 10.0.0.8 10.0.0.9\n", "", 1 },
		{ "domain = a.example b.example\n", "", 1 },               /* one domain */
		{ "search = a.example b_c\n", "", 1 },
		{ "mtu = 67\n", "", 1 },                                    /* RFC 2132 5.1: >= 68 */
		{ "mtu = 9000\nlease-time = 59\n", "", 1 },
		{ "dynamic-range = 10.0.0.100-10.0.0.150\n", "", 0 },
		{ "dynamic-range = 10.0.0.100-10.0.0.110\n", "ip = 10.0.0.105\n", 1 }, /* a node in the pool */
		{ "dynamic-range = 10.0.0.150-10.0.0.100\n", "", 1 },
		{ "", "gateway = 10.0.9.1\n", 1 },                         /* a node's gateway outside */
		{ "kea = full\n", "", 0 },
		{ "kea = whole\n", "", 1 },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(t) / sizeof(*t); i++) {
		char s[600], n[300];
		const char *files[4] = { "a.conf", s, "b.conf", n };
		struct conf c;
		struct model m;

		snprintf(s, sizeof(s), "[site]\nserver = 10.0.0.1\nnetwork = 10.0.0.0/24\n%s[image img]\n", t[i].site_keys);
		snprintf(n, sizeof(n), "[node n1]\nmac = 52:54:00:00:00:01\n%s%s", strstr(t[i].node_keys, "ip =") ? "" : "ip = 10.0.0.5\n",
			 t[i].node_keys);
		build(files, 4, &c, &m);
		if (m.errors != t[i].errors)
			fail_msg("netopts case %zu: %d errors, want %d", i, m.errors, t[i].errors);
		model_free(&m);
		conf_free(&c);
	}
}

static void test_netopts_inherit(void **state)
{
	const char *files[] = {
		"a.conf", "[site]\nserver = 10.0.0.1\nnetwork = 10.0.0.0/24\ngateway = 10.0.0.254\ndns = 10.0.0.1\n[image img]\n",
		"b.conf", "[group g]\nname = g%d\ncount = 2\nip = 10.0.0.10\nmac-start = 52:54:00:00:00:10\ndns = 10.0.0.3\n"
			  "[node n]\nmac = 52:54:00:00:00:01\nip = 10.0.0.5\n[override g2]\nmtu = 9000\n",
	};
	struct conf c;
	struct model m;

	(void)state;
	assert_int_equal(build(files, 4, &c, &m), 0);
	assert_ptr_equal(m.nodes[2].net, &m.site.opts);              /* n: the site's */
	assert_ptr_not_equal(m.nodes[0].net, &m.site.opts);          /* g1: the group's copy */
	assert_ptr_not_equal(m.nodes[1].net, m.nodes[0].net);        /* g2: the override's copy of it */
	assert_int_equal(m.nodes[0].net->ndns, 1);
	assert_int_equal(ntohl(m.nodes[0].net->dns[0].s_addr) & 255, 3);
	assert_int_equal(ntohl(m.nodes[0].net->gateway.s_addr) & 255, 254); /* inherited */
	assert_false(m.nodes[0].net->given & NO_MTU);
	assert_true(m.nodes[1].net->given & NO_MTU);                 /* the override's own copy */
	assert_int_equal(m.nodes[1].net->mtu, 9000);
	assert_int_equal(ntohl(m.nodes[1].net->dns[0].s_addr) & 255, 3);
	model_free(&m);
	conf_free(&c);
}

/* ---- import: the readers, line by line ---- */
static void test_import_readers(void **state)
{
	static const struct { int fmt; const char *text; size_t hosts; unsigned skipped; } t[] = {
		{ 0, "s0 10.0.0.10 52:54:00:00:00:10\ns1 52:54:00:00:00:11 10.0.0.11\n", 2, 0 }, /* mac, ip in either order */
		{ 0, "# c\n\ns0 10.0.0.10\ns1 10.0.0.11 52:54:00:00:00:11 extra\n", 0, 2 },
		{ 0, "s0 10.0.0.256 52:54:00:00:00:10\n-x 10.0.0.1 52:54:00:00:00:10\n", 0, 2 },
		{ 1, "dhcp-host=52:54:00:00:00:10,10.0.0.10,s0\ndhcp-host=s1,10.0.0.11,52:54:00:00:00:11,1h\n", 2, 0 },
		{ 1, "dhcp-host=52:54:00:00:00:10,s0\nport=0\n", 0, 2 },
		{ 2, "host a { hardware ethernet 52:54:00:00:00:10; fixed-address 10.0.0.10; }\n"
		     "group { host b { hardware ethernet 52:54:00:00:00:11; fixed-address 10.0.0.11; option host-name \"bee\"; } }\n", 2, 0 },
		{ 2, "host a { fixed-address 10.0.0.10; }\nhost \"b\" { hardware ethernet 1:2; fixed-address x; }\n", 0, 2 },
		{ 2, "host a { hardware ethernet 52:54:00:00:00:10; fixed-address 10.0.0.10; filename \"x\"; }\n", 1, 1 },
		{ 2, "host a { hardware ethernet 52:54:00:00:00:10; fixed-address 10.0.0.10;", 1, 0 }, /* unterminated */
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(t) / sizeof(*t); i++) {
		struct import im = { .file = "t" };
		char *text = strdup(t[i].text);

		if (t[i].fmt == 0)
			imp_read_hosts(&im, text);
		else if (t[i].fmt == 1)
			imp_read_dnsmasq(&im, text);
		else
			imp_read_dhcpd(&im, text);
		if (im.n != t[i].hosts || im.skipped != t[i].skipped)
			fail_msg("import case %zu: %zu hosts, %u skipped; want %zu, %u", i, im.n, im.skipped,
				 t[i].hosts, t[i].skipped);
		free(text);
		free(im.e);
	}
}

static void test_escape(void **state)
{
	struct buf b = { 0 };

	(void)state;
	dhcpd_str(&b, "a\"b\\c\nd");
	assert_string_equal(b.p, "\"a\\\"b\\\\cd\"");
	buf_free(&b);
	json_str(&b, "a\"b\\c\nd\x7f");
	assert_string_equal(b.p, "\"a\\\"b\\\\c\\u000ad\\u007f\"");
	buf_free(&b);
	assert_false(dnsmasq_ok("a,b"));
	assert_false(dnsmasq_ok("a b"));
	assert_true(dnsmasq_ok("10.0.0.1:/srv/x"));
	assert_false(nfs_path_ok("/srv/x *(rw)"));
	assert_true(nfs_path_ok("/srv/x"));
}

/* ---- the safe writer ---- */
static void test_commit(void **state)
{
	char dir[] = "/tmp/netinit-test-export-XXXXXX", path[256];
	struct model m = { 0 };
	struct outset os = { 0 };
	struct output *o;
	struct stat st1, st2;

	(void)state;
	assert_non_null(mkdtemp(dir));
	m.site.outputs = 0;
	os.m = &m;
	os.root = dir;
	o = out_new(&os, OUT_EXPORTS, "/etc/exports.d/x.exports", 0644, CHECK_NONE);
	buf_puts(&o->data, "/srv 10.0.0.0/24(ro)\n");
	assert_int_equal(out_commit(&os), 0);
	assert_int_equal(os.changed, 1);
	snprintf(path, sizeof(path), "%s/etc/exports.d/x.exports", dir);
	assert_int_equal(stat(path, &st1), 0);
	assert_int_equal(st1.st_mode & 07777, 0644);
	os.changed = os.unchanged = 0;
	assert_int_equal(out_commit(&os), 0);      /* same bytes: not rewritten */
	assert_int_equal(os.unchanged, 1);
	assert_int_equal(stat(path, &st2), 0);
	assert_int_equal(st1.st_ino, st2.st_ino);
	outset_free(&os);
	unlink(path);
	snprintf(path, sizeof(path), "%s/etc/exports.d", dir);
	rmdir(path);
	snprintf(path, sizeof(path), "%s/etc", dir);
	rmdir(path);
	rmdir(dir);
}

static void test_server_check(void **state)
{
	char f[] = "/tmp/netinit-test-dnsmasq-XXXXXX", tool[256];
	struct model m = { 0 };
	struct outset os = { .m = &m };
	int fd;

	(void)state;
	if (!find_tool("dnsmasq", tool, sizeof(tool)))
		skip();
	fd = mkstemp(f);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "dhcp-host=52:54:00:00:00:01,10.0.0.5,a\n", 39), 39);
	close(fd);
	assert_int_equal(out_server_check(&os, CHECK_DNSMASQ, f), 0);
	fd = open(f, O_WRONLY | O_TRUNC);
	assert_int_equal(write(fd, "dhcp-host=52:54:00:00:00:01,10.0.0.5,a\nbogus-option=1\n", 54), 54);
	close(fd);
	assert_int_equal(out_server_check(&os, CHECK_DNSMASQ, f), -EINVAL);
	unlink(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_table),
		cmocka_unit_test(test_parse_nul_and_lines),
		cmocka_unit_test(test_mac),
		cmocka_unit_test(test_path),
		cmocka_unit_test(test_cmdline_chars),
		cmocka_unit_test(test_pattern),
		cmocka_unit_test(test_model_group),
		cmocka_unit_test(test_model_override_order),
		cmocka_unit_test(test_model_duplicates),
		cmocka_unit_test(test_model_rejects),
		cmocka_unit_test(test_netopts),
		cmocka_unit_test(test_netopts_inherit),
		cmocka_unit_test(test_import_readers),
		cmocka_unit_test(test_escape),
		cmocka_unit_test(test_commit),
		cmocka_unit_test(test_server_check),
	};

	if (!getenv("TEST_VERBOSE")) /* the expected errors would drown the report */
		log_set_level((enum nl_level)0);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
