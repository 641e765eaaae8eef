// SPDX-License-Identifier: MIT
/*
 * The download job: per-host mirror order, tries with capped exponential
 * backoff and jitter, the signed manifest first, then the image through the
 * pipeline, then the hash.  A mirror that serves a bad manifest or a wrong
 * hash is not retried: the next mirror is tried, and the job fails with the
 * expected and actual hashes.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/statvfs.h>
#include <sys/vfs.h>
#include <linux/magic.h>

#include "netinit_config.h"
#include "fetch_job.h"
#include "log.h"
#include "util.h"

void fetch_opts_default(struct fetch_opts *o)
{
	*o = (struct fetch_opts){
		.connect_timeout_ms = 10000,
		.low_speed_time_s = 30,
		.low_speed_limit = 1024,
		.max_redirects = 5,
		.tries = 5,
		.rounds = 2,
		.backoff_ms = 1000,
		.backoff_max_ms = 30000,
		.retry_after_max_s = 120,
		.tftp_blksize = 1468,       /* fits a 1500-byte MTU (RFC 2348) */
		.tftp_windowsize = 16,      /* RFC 7440 */
		.tftp_timeout_ms = 1000,
		.tftp_retries = 5,
	};
}

void fetch_job_init(struct fetch_job *j)
{
	memset(j, 0, sizeof(*j));
	fetch_opts_default(&j->opts);
	j->raw_fd = -1;
}

int fetch_job_add_url(struct fetch_job *j, const char *url)
{
	struct url u;
	int r = url_parse(url, &u);
	if (r < 0) {
		nl_err("fetch", "'%s': %s", url, r == -EPROTONOSUPPORT
		       ? "unsupported scheme (http:// and tftp:// are)" : "not a valid URL");
		return r;
	}
	if (j->nurls >= CMDLINE_MAX_LIST)
		return -ENOSPC;
	snprintf(j->urls[j->nurls++], URL_MAX, "%s", url);
	return 0;
}

int fetch_job_add_expanded(struct fetch_job *j, const char (*urls)[URL_MAX], size_t n,
			   const char *host, const uint8_t *mac)
{
	char url[URL_MAX];
	int r;

	/* one host always starts with the same mirror (doc/fetch.md "Mirrors") */
	j->seed = mac ? url_seed(mac, 6) : url_seed(host, strlen(host));
	for (size_t i = 0; i < n; i++) {
		r = url_expand(urls[i], host, mac, url, sizeof(url));
		if (r == -ENXIO) {
			nl_err("fetch", "'%s': %%h needs a valid host name (have '%s'), %%m a MAC "
			       "address (%s)", urls[i], host, mac ? "have one" : "none found");
			return r;
		}
		if (r < 0) {
			nl_err("fetch", "'%s': a '%%' must be %%h, %%m, %%%% or %%XX", urls[i]);
			return r;
		}
		if ((r = fetch_job_add_url(j, url)) < 0)
			return r;
	}
	return 0;
}

uint64_t fetch_mem_available(void)
{
	long long kb = meminfo_kb("MemAvailable");

	return kb > 0 ? (uint64_t)kb * 1024 : 0;
}

uint64_t fetch_space_at(const char *dir)
{
	struct statvfs sv;
	struct statfs sf;
	uint64_t space = 0;
	if (statvfs(dir, &sv) == 0)
		space = (uint64_t)sv.f_bavail * sv.f_frsize;
	if (statfs(dir, &sf) == 0 && (sf.f_type == TMPFS_MAGIC || sf.f_type == RAMFS_MAGIC)) {
		uint64_t mem = fetch_mem_available();
		if (sf.f_type == RAMFS_MAGIC || (mem && mem < space))
			space = mem;
	}
	return space;
}

static unsigned jitter(unsigned ms, uint64_t seed)
{
	/* the per-host seed (MAC) matters when the CRNG is not ready yet: every
	 * node is PID 1 with the same clock */
	uint32_t r = random_u32(seed);

	/* "equal jitter": half fixed, half random, so tries never bunch up */
	return ms / 2 + (ms ? r % (ms / 2 + 1) : 0);
}

/* Tries of one object on one mirror. */
static int transfer(const struct fetch_job *j, const char *label, const struct url *u,
		    struct sink *k)
{
	struct try_state ts = { .retry_after = -1 };
	const struct fetch_opts *o = &j->opts;
	unsigned delay = o->backoff_ms;
	int r = -EINVAL;

	for (unsigned t = 1; t <= o->tries; t++) {
		if (u->scheme == URL_HTTP)
			r = CFG_FETCH_HTTP ? http_get(u, k, o, &ts) : -EPROTONOSUPPORT;
		else
			r = CFG_FETCH_TFTP ? tftp_get(u, k, o, &ts) : -EPROTONOSUPPORT;
		if (r == -EPROTONOSUPPORT && !ts.why[0])
			snprintf(ts.why, sizeof(ts.why), "this transport is not built in");
		if (r == 0)
			return 0;
		if (r != -EAGAIN) {
			if (!ts.sink_failed) /* else the pipeline logs its own reason */
				nl_err("fetch", "%s: %s", label, ts.why[0] ? ts.why : strerror(-r));
			return r;
		}
		if (t == o->tries)
			break;
		unsigned wait = ts.retry_after >= 0 ? (unsigned)ts.retry_after * 1000
						    : jitter(delay, j->seed);
		if (k->offset)
			nl_warn("fetch", "%s: %s; try %u/%u in %.1f s, resuming at byte %" PRIu64,
				label, ts.why, t + 1, o->tries, wait / 1000.0, k->offset);
		else
			nl_warn("fetch", "%s: %s; try %u/%u in %.1f s", label, ts.why, t + 1,
				o->tries, wait / 1000.0);
		sleep_ms(wait);
		delay = delay * 2 > o->backoff_max_ms ? o->backoff_max_ms : delay * 2;
		ts.retry_after = -1;
	}
	nl_err("fetch", "%s: %s; giving up on this server after %u tries", label, ts.why, o->tries);
	return r;
}

static int fetch_manifest(struct fetch_job *j, const struct url *img, const char *label)
{
	static char text[MANIFEST_MAX + 1];
	struct mem_sink m;
	struct url mu;
	char err[256], mlabel[URL_MAX + 16];
	int r;

	if (j->manifest_url[0])
		r = url_parse(j->manifest_url, &mu);
	else
		r = url_with_suffix(img, ".manifest", &mu);
	if (r < 0)
		return r;
	url_format(&mu, mlabel, sizeof(mlabel));
	mem_sink_init(&m, (uint8_t *)text, MANIFEST_MAX);
	r = transfer(j, mlabel, &mu, &m.sink);
	if (r < 0) {
		nl_err("verify", "%s: cannot get the signed manifest of %s", mlabel, label);
		return r;
	}
	r = manifest_load(text, m.sink.offset, &j->keys, &j->man, err, sizeof(err));
	if (r < 0) {
		nl_err("verify", "%s: rejected: %s", mlabel, err);
		return -EBADMSG;
	}
	char hex[SHA256_HEX_LEN + 1];
	sha256_to_hex(j->man.sha256, hex);
	nl_info("verify", "manifest of %s %s: %" PRIu64 " bytes, sha256 %s, good signature",
		j->man.name, j->man.version, j->man.size, hex);
	if (j->has_pin && memcmp(j->pin, j->man.sha256, SHA256_LEN) != 0) {
		char pin[SHA256_HEX_LEN + 1];
		sha256_to_hex(j->pin, pin);
		nl_err("verify", "%s: manifest sha256 %s is not the pinned netinit.sha256=%s",
		       mlabel, hex, pin);
		return -EBADMSG;
	}
	j->have_manifest = true;
	return 0;
}

static int check_hash(struct fetch_job *j, const char *label, const uint8_t sha[SHA256_LEN])
{
	char got[SHA256_HEX_LEN + 1], want[SHA256_HEX_LEN + 1];
	const uint8_t *expect = j->have_manifest ? j->man.sha256 : j->pin;
	sha256_to_hex(sha, got);
	sha256_to_hex(expect, want);
	if (memcmp(sha, expect, SHA256_LEN) != 0) {
		nl_err("verify", "%s: sha256 mismatch: expected %s, got %s; the data is thrown away",
		       label, want, got);
		return -EBADMSG;
	}
	nl_info("verify", "%s: sha256 %s verified (%s)", label, got,
		j->have_manifest ? "signed manifest" : "netinit.sha256 pin");
	return 0;
}

static int fetch_mirror(struct fetch_job *j, const char *urltext)
{
	struct url u;
	struct stream s;
	uint8_t sha[SHA256_LEN];
	char label[URL_MAX + 64];
	int r = url_parse(urltext, &u);
	if (r < 0)
		return r;
	url_format(&u, label, sizeof(label));
	j->have_manifest = false;
	if (j->verify && (r = fetch_manifest(j, &u, label)) < 0)
		return r;

	stream_init(&s, &j->target, j->raw_fd, label);
	s.hash = j->verify || j->has_pin;
	s.space = j->space;
	if (j->have_manifest) {
		s.unpacked_hint = j->man.has_unpacked_size ? j->man.unpacked_size : 0;
		/* Check the size before the first byte; a server that then
		 * announces another size fails that try. */
		r = s.sink.expect(&s.sink, j->man.size);
		if (r < 0) {
			nl_err("fetch", "%s: %s", label, s.err);
			stream_free(&s);
			return r;
		}
	}
	nl_info("fetch", "%s: downloading", label);
	r = transfer(j, label, &u, &s.sink);
	if (r == 0) {
		r = stream_finish(&s, sha);
		if (r < 0)
			nl_err(strncmp(s.err, "unpack", 6) == 0 ? "unpack" : "fetch", "%s: %s", label, s.err);
	} else if (s.err[0]) {
		nl_err(strncmp(s.err, "unpack", 6) == 0 ? "unpack" : "fetch", "%s: %s", label, s.err);
	}
	if (r == 0)
		stream_report(&s);
	if (r == 0 && s.hash)
		r = check_hash(j, label, sha);
	if (r < 0) {
		/* wrong hash, truncated, refused: nothing of it is kept */
		s.sink.restart(&s.sink);
	} else {
		j->fmt = s.fmt;
		memcpy(j->sha, sha, sizeof(sha));
		snprintf(j->used_url, sizeof(j->used_url), "%s", label);
	}
	stream_free(&s);
	return r;
}

int fetch_job_run(struct fetch_job *j)
{
	size_t order[CMDLINE_MAX_LIST];
	int r, failed = 0; /* the last failure that was not "not on this server" */

	if (!j->nurls) {
		nl_err("fetch", "no URL to fetch the root from");
		return -EINVAL;
	}
	url_mirror_order(j->nurls, j->seed, order);
	if (j->nurls > 1) {
		char list[64] = "";
		for (size_t i = 0; i < j->nurls && strlen(list) < 48; i++)
			snprintf(list + strlen(list), sizeof(list) - strlen(list), "%s%zu",
				 i ? "," : "", order[i] + 1);
		nl_info("fetch", "%zu mirrors, this host's order: %s", j->nurls, list);
	}
	for (unsigned round = 0; round < j->opts.rounds; round++) {
		for (size_t i = 0; i < j->nurls; i++) {
			r = fetch_mirror(j, j->urls[order[i]]);
			if (r == 0)
				return 0;
			if (r == -ENOSPC || r == -ENOMEM)
				return r; /* would not fit from any mirror */
			if (r != -ENOENT)
				failed = r;
			if (j->nurls > 1)
				nl_warn("fetch", "mirror %zu failed (%s), trying the next one", order[i] + 1,
					r == -EAGAIN ? "kept failing" : r == -EBADMSG ? "verification"
					: strerror(-r));
		}
	}
	return failed ? failed : -ENOENT; /* -ENOENT: 404 on every mirror */
}
