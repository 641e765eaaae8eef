// SPDX-License-Identifier: MIT
/*
 * netinit.hostfiles=<url>: a per-host archive (tar or cpio, maybe gzip or
 * zstd; %h = the node's name, %m its MAC) unpacked over the volatile layer
 * before switch_root (doc/writable.md "Per-host files").  The key repeated
 * gives mirrors of the same archive, as netinit.mirror= does for the root.
 *
 * The download is the fetch stage's job (fetch.c: the per-host mirror
 * order, retries, the signed manifest <url>.manifest when keys are
 * configured; -ENOENT only when every mirror said 404), into a file in
 * /run first: the archive reaches the new root only once it is verified,
 * so a tampered one leaves nothing behind.  Then the same stream pipeline
 * unpacks the file (archive.c's rules: nothing outside the root, no write
 * through a symlink).  HTTP 404 (or TFTP "file not found") means "this node
 * has no per-host files".
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "fetch.h"
#include "fetch_job.h"
#include "log.h"
#include "plan.h"
#include "url.h"
#include "util.h"

#define HF_STAGE "hostfiles"
#define HF_FILE FETCH_RUN_DIR "/hostfiles.archive"

struct hf_target {
	int dirfd;               /* unpack: the new root; download: -1 (raw bytes only) */
};

static int hf_open(void *ctx, enum stream_fmt fmt, int *fd)
{
	struct hf_target *t = ctx;

	if (t->dirfd < 0)
		return 1; /* the download: bytes to the file and the hash only */
	if (fmt != FMT_ARCHIVE)
		return -EMEDIUMTYPE;
	*fd = dup(t->dirfd);
	return *fd < 0 ? -errno : 0;
}

static void hf_discard(void *ctx)
{
	(void)ctx; /* a half unpack stays: the stage fails (the failure policy) */
}

/* The verified file through the pipeline into newroot. */
static int hf_unpack(int file, const char *newroot, const char *label)
{
	static uint8_t buf[65536];
	struct hf_target t = { open(newroot, O_RDONLY | O_DIRECTORY | O_CLOEXEC) };
	struct stream_target st = { &t, hf_open, hf_discard };
	struct stream s;
	uint8_t sha[SHA256_LEN];
	ssize_t n;
	int r;

	if (t.dirfd < 0)
		return -errno;
	lseek(file, 0, SEEK_SET);
	stream_init(&s, &st, -1, label);
	s.quiet = true;
	while ((n = read(file, buf, sizeof(buf))) > 0)
		if ((r = s.sink.write(&s.sink, buf, (size_t)n)) < 0)
			break;
	r = n < 0 ? -errno : stream_finish(&s, sha);
	if (r < 0)
		nl_err(HF_STAGE, "%s: %s", label, s.err[0] ? s.err : strerror(-r));
	else
		nl_info(HF_STAGE, "%s: unpacked over the volatile layer (%llu entries)", label,
			(unsigned long long)archive_entries(s.ar));
	stream_free(&s);
	close(t.dirfd);
	return r;
}

int fetch_hostfiles(const struct boot_plan *p, const struct net_lease *lease, const char *host,
		    const uint8_t *mac, const char *keydir, const char *newroot)
{
	static struct fetch_job j;
	struct hf_target t = { -1 };
	int r, fd;

	fetch_job_init(&j);
	if ((r = fetch_job_add_expanded(&j, p->writable.hostfiles, p->writable.nhostfiles, host,
					mac)) < 0 ||
	    (r = fetch_job_verify_plan(&j, keydir, &p->verify)) < 0)
		return r;
	j.has_pin = false; /* netinit.sha256= pins the root image, not these files */
	fetch_opts_from_plan(&j.opts, p);
	j.opts.dns = lease;
	mkdir_p(FETCH_RUN_DIR, 0755);
	fd = open(HF_FILE, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd < 0)
		return -errno;
	j.raw_fd = fd;
	j.target = (struct stream_target){ &t, hf_open, hf_discard };
	r = fetch_job_run(&j);
	if (r == -ENOENT) {
		nl_info(HF_STAGE, "%s%s: not on the server: no per-host files for %s", j.urls[0],
			j.nurls > 1 ? " (nor on its mirrors)" : "", host);
		r = 1;
	} else if (r == 0) {
		r = hf_unpack(fd, newroot, j.used_url);
	}
	close(fd);
	unlink(HF_FILE);
	return r;
}
