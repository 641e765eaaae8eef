// SPDX-License-Identifier: MIT
/*
 * `init fetch URL OUT [options]`: the boot's download code as a command,
 * for debugging a server and for benchmarks.  OUT gets the raw bytes
 * ("-": not stored), --unpack DIR unpacks an archive, --root NEWROOT runs
 * the whole boot stage (tmpfs, loop mount, overlay) in a scratch run dir.
 * Results appear under their final names only when complete and verified.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fetch.h"
#include "fetch_job.h"
#include "imageroot.h"
#include "plan.h"
#include "log.h"

struct main_target {
	const char *unpack;         /* final directory, or NULL */
	char partial[4200];         /* where it is unpacked until verified */
	bool made;
};

/* rm -rf below dirfd/name without following symlinks or crossing mounts. */
static void rmtree_at(int at, const char *name, dev_t dev, int depth)
{
	struct stat st;
	if (depth > 256 || fstatat(at, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
		return;
	if (S_ISDIR(st.st_mode) && st.st_dev == dev) {
		int fd = openat(at, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
		if (d) {
			struct dirent *e;
			while ((e = readdir(d)))
				if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
					rmtree_at(dirfd(d), e->d_name, dev, depth + 1);
			closedir(d);
		} else if (fd >= 0) {
			close(fd);
		}
		unlinkat(at, name, AT_REMOVEDIR);
	} else if (!S_ISDIR(st.st_mode)) {
		unlinkat(at, name, 0);
	}
}

static void rmtree(const char *path)
{
	struct stat st;
	if (lstat(path, &st) == 0)
		rmtree_at(AT_FDCWD, path, st.st_dev, 0);
}

static int mt_open(void *ctx, enum stream_fmt fmt, int *fd)
{
	struct main_target *t = ctx;
	if (!t->unpack)
		return 1; /* raw bytes only, any format */
	if (fmt == FMT_UNKNOWN)
		return -EMEDIUMTYPE;
	if (fmt != FMT_ARCHIVE) {
		nl_err("unpack", "--unpack needs a cpio or tar archive, this is a %s image",
		       stream_fmt_name(fmt));
		return -EMEDIUMTYPE;
	}
	if (mkdir(t->partial, 0755) < 0) {
		nl_err("unpack", "mkdir %s: %s", t->partial, strerror(errno));
		return -errno;
	}
	t->made = true;
	*fd = open(t->partial, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	return *fd < 0 ? -errno : 0;
}

static void mt_discard(void *ctx)
{
	struct main_target *t = ctx;
	if (t->made)
		rmtree(t->partial);
	t->made = false;
}

static int mt_commit(struct main_target *t)
{
	if (!t->made)
		return 0;
	if (rmdir(t->unpack) < 0 && errno != ENOENT) {
		nl_err("unpack", "%s: %s (it must be empty or absent)", t->unpack, strerror(errno));
		return -errno;
	}
	if (rename(t->partial, t->unpack) < 0) {
		nl_err("unpack", "rename %s to %s: %s", t->partial, t->unpack, strerror(errno));
		return -errno;
	}
	t->made = false;
	return 0;
}

static void usage(FILE *f)
{
	fputs("usage: init fetch URL OUT [options]\n"
	      "  OUT                  file for the raw image ('-': do not store)\n"
	      "  --unpack DIR         unpack a cpio/tar archive (plain, gzip, zstd) into DIR\n"
	      "  --root NEWROOT       run the boot stage: tmpfs, loop mount + overlay, into NEWROOT\n"
	      "  --run-dir DIR        staging dir for --root (default " FETCH_RUN_DIR ")\n"
	      "  --mirror URL         another mirror (repeatable)\n"
	      "  --seed N             mirror order seed (default: from the host name; 0: as given)\n"
	      "  --key K              trusted public key: a file, a key line or bare base64 (repeatable)\n"
	      "  --key-dir DIR        trusted keys: DIR/*.pub\n"
	      "  --manifest URL       signed manifest (default URL.manifest)\n"
	      "  --sha256 HEX         pin the image hash\n"
	      "  --verify-off         do not check the signature although keys are given\n"
	      "  --connect-timeout S, --low-speed-time S, --low-speed-limit BYTES_PER_S,\n"
	      "  --tries N, --rounds N, --backoff-ms MS, --backoff-max-ms MS, --retry-after-max S,\n"
	      "  --blksize N, --windowsize N, --tftp-timeout-ms MS, --debug\n", f);
}

enum { O_UNPACK = 256, O_ROOT, O_RUNDIR, O_MIRROR, O_KEY, O_KEYDIR, O_MANIFEST, O_SHA, O_VOFF,
       O_CTO, O_LST, O_LSL, O_TRIES, O_ROUNDS, O_BO, O_BOMAX, O_RAMAX, O_BLK, O_WIN, O_TTO,
       O_DEBUG, O_HELP, O_SEED };

static const struct option longopts[] = {
	{ "unpack", required_argument, NULL, O_UNPACK },
	{ "root", required_argument, NULL, O_ROOT },
	{ "run-dir", required_argument, NULL, O_RUNDIR },
	{ "mirror", required_argument, NULL, O_MIRROR },
	{ "key", required_argument, NULL, O_KEY },
	{ "key-dir", required_argument, NULL, O_KEYDIR },
	{ "manifest", required_argument, NULL, O_MANIFEST },
	{ "sha256", required_argument, NULL, O_SHA },
	{ "verify-off", no_argument, NULL, O_VOFF },
	{ "connect-timeout", required_argument, NULL, O_CTO },
	{ "low-speed-time", required_argument, NULL, O_LST },
	{ "low-speed-limit", required_argument, NULL, O_LSL },
	{ "tries", required_argument, NULL, O_TRIES },
	{ "rounds", required_argument, NULL, O_ROUNDS },
	{ "backoff-ms", required_argument, NULL, O_BO },
	{ "backoff-max-ms", required_argument, NULL, O_BOMAX },
	{ "retry-after-max", required_argument, NULL, O_RAMAX },
	{ "blksize", required_argument, NULL, O_BLK },
	{ "windowsize", required_argument, NULL, O_WIN },
	{ "tftp-timeout-ms", required_argument, NULL, O_TTO },
	{ "debug", no_argument, NULL, O_DEBUG },
	{ "seed", required_argument, NULL, O_SEED },
	{ "help", no_argument, NULL, O_HELP },
	{ NULL, 0, NULL, 0 },
};

static bool num_arg(const char *s, unsigned *out)
{
	char *end;
	errno = 0;
	unsigned long v = strtoul(s, &end, 10);
	if (errno || end == s || *end || v > 1000000000ul)
		return false;
	*out = (unsigned)v;
	return true;
}

/* A --key value as verify.c reads it: a file, a key line, or the bare base64. */
static int key_arg(const char *arg, uint8_t pk[NKEY_PUB_LEN])
{
	struct nkey_public pub;
	char err[256];
	int r = arg[0] == '/' ? nkey_load_public(arg, &pub, err, sizeof(err))
			      : nkey_parse_public(arg, strlen(arg), &pub, err, sizeof(err));

	if (r == 0)
		memcpy(pk, pub.pk, NKEY_PUB_LEN);
	return r;
}

/* --root: the plan the boot would have made of root=URL netinit.mirror=... */
static int run_root(struct fetch_job *j, char **mirrors, size_t nm, const char *url,
		    const char *newroot, const char *run, const char *keydir,
		    const char **keys, size_t nkeys, const char *pin, bool voff)
{
	static struct boot_plan p;
	static struct staged_root st;
	struct plan_image *im = &p.image;
	struct plan_verify *v = &p.verify;
	int r;

	memset(&p, 0, sizeof(p));
	p.root = PLAN_ROOT_IMAGE;
	p.writable.mode = PLAN_RW_VOLATILE;
	/* the options that have a command-line equivalent */
	im->stall_s = (int)j->opts.low_speed_time_s;
	im->tries = (int)j->opts.tries;
	snprintf(im->url[im->nurl++], CMDLINE_MAX_URL, "%s", url);
	for (size_t i = 0; i < nm && im->nurl < CMDLINE_MAX_LIST; i++)
		snprintf(im->url[im->nurl++], CMDLINE_MAX_URL, "%s", mirrors[i]);
	im->from_lease = im->nurl;
	v->off = voff;
	if (pin) {
		v->has_pin = sha256_from_hex(pin, strlen(pin), v->pin) == 0;
		v->pin_invalid = !v->has_pin;
	}
	for (size_t i = 0; i < nkeys && !v->key_invalid[0] && v->nkey < CMDLINE_MAX_LIST; i++)
		if (key_arg(keys[i], v->key[v->nkey++]) < 0)
			snprintf(v->key_invalid, sizeof(v->key_invalid), "%.60s", keys[i]);
	r = fetch_root(&p, NULL, run, keydir, &st);
	if (r == 0)
		r = staged_root_commit(&st, STAGED_VOLATILE, newroot);
	return r;
}

/* URL -> OUT (and --unpack DIR): the job is set up; partial results never
 * appear under the final names.  The exit status of fetch_main(). */
static int run_download(struct fetch_job *j, struct main_target *t, const char *url,
			const char *out)
{
	char outpart[4200] = "", dir[4200];
	int r;

	if (strcmp(out, "-") != 0) {
		snprintf(outpart, sizeof(outpart), "%s.part", out);
		j->raw_fd = open(outpart, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
		if (j->raw_fd < 0) {
			nl_err("fetch", "%s: %s", outpart, strerror(errno));
			return 1;
		}
	}
	if (t->unpack)
		snprintf(t->partial, sizeof(t->partial), "%s.partial-%d", t->unpack, (int)getpid());
	j->target = (struct stream_target){ t, mt_open, mt_discard };
	/* Room at the destination (tmpfs: MemAvailable): the directory that
	 * will hold DIR or OUT. */
	snprintf(dir, sizeof(dir), "%s", t->unpack ? t->unpack : outpart[0] ? outpart : "./x");
	j->space = fetch_space_at(dirname(dir));

	r = fetch_job_run(j);
	if (r == 0 && t->unpack)
		r = mt_commit(t);
	if (j->raw_fd >= 0) {
		if (close(j->raw_fd) < 0 && r == 0)
			r = -errno;
		if (r == 0 && rename(outpart, out) < 0)
			r = -errno;
		if (r < 0)
			unlink(outpart);
	}
	if (r < 0) {
		mt_discard(t);
		nl_err("fetch", "%s: failed (%s)", url, r == -EBADMSG ? "verification"
		       : r == -EAGAIN ? "kept failing" : strerror(-r));
		return 1;
	}
	if (j->verify || j->has_pin) {
		char hex[SHA256_HEX_LEN + 1];
		sha256_to_hex(j->sha, hex);
		printf("%s  %s\n", hex, out);
	}
	return 0;
}

int fetch_main(int argc, char **argv)
{
	static struct fetch_job j;
	struct main_target t = { 0 };
	const char *keys[CMDLINE_MAX_LIST], *keydir = NULL, *pin = NULL, *root = NULL;
	const char *rundir = FETCH_RUN_DIR;
	char *mirrors[CMDLINE_MAX_LIST];
	size_t nkeys = 0, nm = 0;
	bool voff = false, have_seed = false;
	unsigned long long seed = 0;
	int c, r;
	unsigned *num;

	fetch_job_init(&j);
	optind = 0;
	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		num = NULL;
		switch (c) {
		case O_UNPACK: t.unpack = optarg; break;
		case O_ROOT: root = optarg; break;
		case O_RUNDIR: rundir = optarg; break;
		case O_MIRROR:
			if (nm < CMDLINE_MAX_LIST - 1)
				mirrors[nm++] = optarg;
			break;
		case O_KEY:
			if (nkeys < CMDLINE_MAX_LIST)
				keys[nkeys++] = optarg;
			break;
		case O_KEYDIR: keydir = optarg; break;
		case O_MANIFEST: snprintf(j.manifest_url, sizeof(j.manifest_url), "%s", optarg); break;
		case O_SHA: pin = optarg; break;
		case O_VOFF: voff = true; break;
		case O_CTO: num = &j.opts.connect_timeout_ms; break;
		case O_LST: num = &j.opts.low_speed_time_s; break;
		case O_LSL: num = &j.opts.low_speed_limit; break;
		case O_TRIES: num = &j.opts.tries; break;
		case O_ROUNDS: num = &j.opts.rounds; break;
		case O_BO: num = &j.opts.backoff_ms; break;
		case O_BOMAX: num = &j.opts.backoff_max_ms; break;
		case O_RAMAX: num = &j.opts.retry_after_max_s; break;
		case O_BLK: num = &j.opts.tftp_blksize; break;
		case O_WIN: num = &j.opts.tftp_windowsize; break;
		case O_TTO: num = &j.opts.tftp_timeout_ms; break;
		case O_DEBUG: log_set_level(NL_DEBUG); break;
		case O_SEED: seed = strtoull(optarg, NULL, 0), have_seed = true; break;
		case O_HELP: case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
		if (num && !num_arg(optarg, num)) {
			fprintf(stderr, "fetch: %s: not a number\n", optarg);
			return 2;
		}
		if (c == O_CTO)
			j.opts.connect_timeout_ms *= 1000;
	}
	if (argc - optind != 2 || !j.opts.tries || !j.opts.rounds) {
		usage(stderr);
		return 2;
	}
	const char *url = argv[optind], *out = argv[optind + 1];
	if (root)
		return run_root(&j, mirrors, nm, url, root, rundir, keydir, keys, nkeys, pin,
				voff) < 0 ? 1 : 0;

	if ((r = fetch_job_add_url(&j, url)) < 0)
		return 2;
	for (size_t i = 0; i < nm; i++)
		if (fetch_job_add_url(&j, mirrors[i]) < 0)
			return 2;
	char host[256] = "";
	gethostname(host, sizeof(host) - 1);
	j.seed = have_seed ? seed : url_seed(host, strlen(host));
	if (fetch_job_verify_setup(&j, keydir, keys, nkeys, pin, voff) < 0)
		return 1;

	return run_download(&j, &t, url, out);
}
