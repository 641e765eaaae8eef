// SPDX-License-Identifier: MIT
/* What to verify, from keys and pins (issue 4, point 6). */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "netinit_config.h"
#include "fetch_job.h"
#include "log.h"
#include "plan.h"

static int add_key_arg(struct fetch_job *j, const char *arg)
{
	struct nkey_public pub;
	char err[256];
	int r;
	if (arg[0] == '/')
		r = nkey_load_public(arg, &pub, err, sizeof(err));
	else
		r = nkey_parse_public(arg, strlen(arg), &pub, err, sizeof(err));
	if (r < 0) {
		nl_err("verify", "netinit.key=%.80s: %s; refusing to go on without the check it asks for",
		       arg, err);
		return -EINVAL;
	}
	r = nkey_set_add(&j->keys, &pub);
	if (r < 0) {
		nl_err("verify", "more than %d keys", NKEY_SET_MAX);
		return r;
	}
	return 0;
}

/* The common part: keys and pin are in j; keydir adds the built-in keys. */
static int verify_policy(struct fetch_job *j, const char *keydir, bool verify_off)
{
	char err[512], pin[SHA256_HEX_LEN + 1];
	int r;

	if (keydir) {
		r = nkey_set_load_dir(&j->keys, keydir, err, sizeof(err));
		if (r < 0) {
			nl_err("verify", "%s; a broken key file is never skipped", err);
			return -EINVAL;
		}
	}
	if (!CFG_VERIFY && (j->keys.n || j->has_pin)) {
		nl_err("verify", "keys or a pin are configured, but this init was built without "
		       "CONFIG_VERIFY; refusing to boot unverified");
		return -ENOTSUP;
	}
	if (j->keys.n && verify_off) {
		nl_warn("verify", "************************************************************");
		nl_warn("verify", "netinit.verify=off: the root image is NOT verified although %zu "
			"trusted key(s) are built in", j->keys.n);
		nl_warn("verify", "************************************************************");
	} else if (j->keys.n) {
		j->verify = true;
		nl_info("verify", "%zu trusted key(s): a signed manifest is required", j->keys.n);
	}
	if (j->has_pin) {
		sha256_to_hex(j->pin, pin);
		nl_info("verify", "sha256 pin: %s", pin);
	}
	if (!j->keys.n && !j->has_pin)
		nl_info("verify", "no keys and no netinit.sha256 pin: the image is not verified");
	return 0;
}

int fetch_job_verify_setup(struct fetch_job *j, const char *keydir,
			   const char *const *keyargs, size_t nkeyargs,
			   const char *pin, bool verify_off)
{
	int r;

	if (pin) {
		if (sha256_from_hex(pin, strlen(pin), j->pin) < 0) {
			nl_err("verify", "netinit.sha256=%.80s is not 64 lowercase hex digits; "
			       "refusing to boot with a malformed pin", pin);
			return -EINVAL;
		}
		j->has_pin = true;
	}
	for (size_t i = 0; i < nkeyargs; i++)
		if ((r = add_key_arg(j, keyargs[i])) < 0)
			return r;
	return verify_policy(j, keydir, verify_off);
}

int fetch_job_verify_plan(struct fetch_job *j, const char *keydir, const struct plan_verify *v)
{
	struct nkey_public pub;
	int r;

	if (v->pin_invalid) {
		nl_err("verify", "netinit.sha256= is malformed (see the command line errors); "
		       "refusing to boot with a malformed pin");
		return -EINVAL;
	}
	if (v->key_invalid[0]) {
		nl_err("verify", "netinit.key=%s: not an ed25519 public key (32 bytes in base64); "
		       "refusing to go on without the check it asks for", v->key_invalid);
		return -EINVAL;
	}
	if (v->has_pin) {
		memcpy(j->pin, v->pin, SHA256_LEN);
		j->has_pin = true;
	}
	/* the command line's keys, decoded once by init/cmdline.c */
	for (size_t i = 0; i < v->nkey; i++) {
		memset(&pub, 0, sizeof(pub));
		memcpy(pub.pk, v->key[i], NKEY_PUB_LEN);
		nkey_id(pub.pk, pub.id);
		snprintf(pub.comment, sizeof(pub.comment), "netinit.key=");
		if ((r = nkey_set_add(&j->keys, &pub)) < 0) {
			nl_err("verify", "more than %d keys", NKEY_SET_MAX);
			return r;
		}
	}
	return verify_policy(j, keydir, v->off);
}
