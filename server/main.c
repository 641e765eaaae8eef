/* SPDX-License-Identifier: MIT */
/*
 * netinit-export: command line.  See doc/man/netinit-export.8.
 *
 * Exit codes: 0 success (diff: nothing to change), 1 configuration or
 * write errors (diff: something would change), 2 usage, 3 diff with errors,
 * 4 import wrote its drop-in but some lines were not taken.
 */
#include "export.h"
#include "log.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define EXPORT_VERSION "0.1"

static void usage(FILE *f)
{
	fprintf(f,
		"usage: netinit-export [options] COMMAND [ARGS]\n"
		"commands:\n"
		"  check               validate the drop-ins, lint every node's command line,\n"
		"                      run the DHCP servers' own checkers on the rendered configs\n"
		"  render [KIND...]    write every output (or only the given kinds)\n"
		"  diff [KIND...]      show what render would change (-u: the changes themselves)\n"
		"  list                table of the nodes\n"
		"  keygen              create the image signing key pair (site public-key, secret-key)\n"
		"  sign [IMAGE...]     write the signed manifest of the images (all http images)\n"
		"  import --from hosts|ethers|dhcpd|dnsmasq FILE [-o OUT] [--hosts HOSTS]\n"
		"                      write a nodes.d drop-in of the hosts FILE lists\n"
		"kinds: dhcpd dnsmasq kea pxelinux ipxe exports ganesha nginx nodedirs manifests tftp\n"
		"options:\n"
		"  -c, --config-dir DIR  read DIR instead of /etc/netinit /run/netinit /usr/lib/netinit\n"
		"                        (repeat it: the first one has the highest priority)\n"
		"  -r, --root DIR        put every output under DIR (staging; tests)\n"
		"  -n, --dry-run         say what would change, change nothing\n"
		"      --no-server-check do not run dhcpd -t, dnsmasq --test, kea-dhcp4 -t\n"
		"  -u, --unified         diff: show the changes as unified diffs\n"
		"  -v, --verbose         name every file written\n"
		"  -q, --quiet           errors and warnings only\n"
		"  -h, --help, -V, --version\n");
}

struct opts {
	const char *dirs[16];
	size_t ndirs;
	const char *root;
	bool dry_run, no_check, unified, verbose;
};

static int load(const struct opts *o, struct conf *c, struct model *m)
{
	int r;

	r = conf_load(c, o->ndirs ? o->dirs : (const char *const *)conf_default_dirs,
		      o->ndirs ? o->ndirs : 3);
	if (r < 0) {
		nl_err(EXPORT_STAGE, "reading the configuration: %s", strerror(-r));
		return r;
	}
	m->lint_cmdline = true;
	r = model_build(m, c);
	if (r < 0 || m->errors) {
		nl_err(EXPORT_STAGE, "%d error%s in the configuration; nothing was written", m->errors,
		       m->errors == 1 ? "" : "s");
		return -EINVAL;
	}
	return 0;
}

/* Kinds from the arguments, or the site's outputs =. */
static int select_kinds(const struct model *m, int argc, char **argv, unsigned *kinds)
{
	int i;

	if (argc == 0) {
		*kinds = m->site.outputs;
		return 0;
	}
	*kinds = 0;
	for (i = 0; i < argc; i++) {
		int k = out_kind_parse(argv[i]);

		if (k < 0) {
			nl_err(EXPORT_STAGE, "unknown output kind \"%s\"", argv[i]);
			return -EINVAL;
		}
		*kinds |= 1u << k;
	}
	return 0;
}

/* Every kind in memory; nothing is written before all of them rendered. */
static int render_all(const struct model *m, struct outset *os, unsigned kinds)
{
	int k, r;

	for (k = 0; k < OUT__COUNT; k++) {
		if (!(kinds & (1u << k)))
			continue;
		r = render_kind(m, os, (enum out_kind)k);
		if (r < 0) {
			nl_err(EXPORT_STAGE, "rendering %s: %s; nothing was written", out_kind_names[k], strerror(-r));
			return r;
		}
	}
	return 0;
}

static int cmd_list(const struct model *m)
{
	size_t i;

	printf("%-20s %-17s %-15s %-16s %-10s %s\n", "NAME", "MAC", "IP", "IMAGE", "WRITABLE", "DEFINED AT");
	for (i = 0; i < m->nnodes; i++) {
		const struct node *n = &m->nodes[i];
		char mac[18], ip[16];

		mac_format(n->mac, ':', mac);
		ex_fmt_ip(n->ip, ip);
		printf("%-20s %-17s %-15s %-16s %-10s %s:%u\n", n->name, mac, ip, n->image->name,
		       n->set.writable == WR_PERSISTENT ? "persistent" : n->set.writable == WR_NONE ? "none" : "volatile",
		       n->loc.file, n->loc.line);
	}
	return 0;
}

/* check: every renderer in memory, and the DHCP servers' checkers on temp copies. */
static int cmd_check(const struct model *m, struct outset *os)
{
	size_t i;
	int r, warnings = m->warnings, bad = prereq_check(m, m->site.outputs, os->root, false, &warnings);
	unsigned kinds = m->site.outputs & ~(1u << OUT_MANIFESTS);

	/* With inputs missing, the TFTP copies cannot be rendered; the rest can. */
	if (bad)
		kinds &= ~(1u << OUT_TFTP);
	r = render_all(m, os, kinds);
	if (r < 0)
		return r;
	for (i = 0; i < os->n && !os->no_server_check; i++) {
		const struct output *o = &os->o[i];
		char tmp[] = "/tmp/netinit-check-XXXXXX";
		int fd;

		if (o->check == CHECK_NONE)
			continue;
		fd = mkstemp(tmp);
		if (fd < 0)
			return -errno;
		if (write(fd, o->data.p, o->data.len) != (ssize_t)o->data.len) {
			close(fd);
			unlink(tmp);
			return -EIO;
		}
		close(fd);
		r = out_server_check(os, o->check, tmp);
		unlink(tmp);
		if (r == -ENOENT)
			nl_warn(EXPORT_STAGE, "%s: its server is not installed here, not checked", o->path);
		else if (r < 0)
			bad++;
		else
			nl_info(EXPORT_STAGE, "%s: accepted by the server's own check", o->path);
	}
	if (bad) {
		nl_err(EXPORT_STAGE, "%d problem%s: render would not complete until they are fixed", bad, bad == 1 ? "" : "s");
		return -EINVAL;
	}
	printf("ok: %zu node%s, %zu image%s, %d warning%s\n", m->nnodes, m->nnodes == 1 ? "" : "s", m->nimages,
	       m->nimages == 1 ? "" : "s", warnings, warnings == 1 ? "" : "s");
	return 0;
}

int export_main(int argc, char **argv)
{
	static const struct option lopts[] = {
		{ "config-dir", required_argument, NULL, 'c' },
		{ "root", required_argument, NULL, 'r' },
		{ "dry-run", no_argument, NULL, 'n' },
		{ "no-server-check", no_argument, NULL, 'N' },
		{ "unified", no_argument, NULL, 'u' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	struct opts o = { 0 };
	struct conf c = { 0 };
	struct model m = { 0 };
	struct outset os = { 0 };
	const char *cmd;
	unsigned kinds;
	int opt, r, ret = 0;

	/* import reads no configuration and has its own options (getopt would
	 * take them for ours): hand it the words after "import". */
	for (opt = 1; opt < argc; opt++) {
		if (!strcmp(argv[opt], "-c") || !strcmp(argv[opt], "-r") || !strcmp(argv[opt], "--config-dir") ||
		    !strcmp(argv[opt], "--root")) {
			opt++;
			continue;
		}
		if (argv[opt][0] != '-')
			break;
	}
	if (opt < argc && !strcmp(argv[opt], "import")) {
		for (r = 1; r < opt; r++)
			if (!strcmp(argv[r], "-q") || !strcmp(argv[r], "--quiet"))
				log_set_level(NL_WARN);
		return import_main(argc - opt, argv + opt);
	}
	while ((opt = getopt_long(argc, argv, "c:r:nuvqhV", lopts, NULL)) != -1) {
		switch (opt) {
		case 'c':
			if (o.ndirs == sizeof(o.dirs) / sizeof(*o.dirs)) {
				fprintf(stderr, "netinit-export: too many --config-dir\n");
				return 2;
			}
			o.dirs[o.ndirs++] = optarg;
			break;
		case 'r': o.root = optarg; break;
		case 'n': o.dry_run = true; break;
		case 'N': o.no_check = true; break;
		case 'u': o.unified = true; break;
		case 'v': o.verbose = true; break;
		case 'q': log_set_level(NL_WARN); break;
		case 'h': usage(stdout); return 0;
		case 'V': printf("netinit-export %s\n", EXPORT_VERSION); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (optind >= argc) {
		usage(stderr);
		return 2;
	}
	cmd = argv[optind++];
	if (o.root && (!*o.root || !strcmp(o.root, "/")))
		o.root = NULL;
	/* Every file and directory is created with an explicit mode. */
	umask(0);
	out_exact_modes = true;
	os.root = o.root;
	os.dry_run = o.dry_run;
	os.no_server_check = o.no_check;
	os.verbose = o.verbose;

	if (!strcmp(cmd, "keygen")) {
		r = load(&o, &c, &m);
		ret = r < 0 ? 1 : manifest_keygen_cmd(&m, &os);
		goto out;
	}
	if (strcmp(cmd, "check") && strcmp(cmd, "render") && strcmp(cmd, "diff") && strcmp(cmd, "list") &&
	    strcmp(cmd, "sign")) {
		fprintf(stderr, "netinit-export: unknown command \"%s\"\n", cmd);
		usage(stderr);
		return 2;
	}
	if (load(&o, &c, &m) < 0) {
		ret = !strcmp(cmd, "diff") ? 3 : 1;
		goto out;
	}
	os.m = &m;
	if (!strcmp(cmd, "list")) {
		ret = cmd_list(&m);
	} else if (!strcmp(cmd, "check")) {
		ret = cmd_check(&m, &os) < 0 ? 1 : 0;
	} else if (!strcmp(cmd, "sign")) {
		ret = manifest_sign_cmd(&m, &os, argc - optind, argv + optind) < 0 ? 1 : 0;
	} else {
		if (select_kinds(&m, argc - optind, argv + optind, &kinds) < 0) {
			ret = 2;
			goto out;
		}
		if (!strcmp(cmd, "render") && (r = prereq_check(&m, kinds, os.root, true, NULL))) {
			nl_err(EXPORT_STAGE, "%d input%s missing (see above); nothing was written", r, r == 1 ? " is" : "s are");
			ret = 1;
			goto out;
		}
		if (render_all(&m, &os, kinds) < 0) {
			ret = !strcmp(cmd, "diff") ? 3 : 1;
			goto out;
		}
		if (!strcmp(cmd, "diff")) {
			bool dry = os.dry_run;

			r = out_diff(&os, o.unified);
			if (kinds & (1u << OUT_NODEDIRS)) {
				os.dry_run = true;
				if (nodedirs_apply(&m, &os) < 0)
					ret = 3;
				os.dry_run = dry;
				r += (int)os.created_dirs;
			}
			ret = ret ? ret : r > 0;
		} else {
			r = out_commit(&os);
			if (r == 0 && (kinds & (1u << OUT_NODEDIRS)))
				r = nodedirs_apply(&m, &os);
			nl_info(EXPORT_STAGE, "%s%u file%s changed, %u unchanged, %u node director%s created",
				os.dry_run ? "dry run: " : "", os.changed, os.changed == 1 ? "" : "s", os.unchanged,
				os.created_dirs, os.created_dirs == 1 ? "y" : "ies");
			if (os.failed)
				nl_err(EXPORT_STAGE, "%u file%s NOT written (named above); the others are in place",
				       os.failed, os.failed == 1 ? "" : "s");
			ret = r < 0;
		}
	}
out:
	outset_free(&os);
	model_free(&m);
	conf_free(&c);
	return ret;
}

#ifndef EXPORT_NO_MAIN
int main(int argc, char **argv)
{
	return export_main(argc, argv);
}
#endif
