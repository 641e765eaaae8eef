/* SPDX-License-Identifier: MIT */
/*
 * Signed manifests next to each HTTP image ("<file>.manifest"), in the
 * format of fetch/manifest.h, and the key pair that signs them.
 *
 * ed25519 signatures are deterministic, so the same image and version give
 * the same bytes and a second render changes nothing.  Hashing a large image
 * every render would be slow: an existing manifest is reused when it
 * verifies with our public key, names this image and version, has the file's
 * size and is newer than the file.
 */
#include "export.h"
#include "util.h"
#include "log.h"
#include "manifest.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

static const char *const *sign_only; /* image names for "sign NAME...", or NULL */
static int sign_nonly;

/* The existing manifest still describes this file: reuse its bytes. */
static bool manifest_current(const char *mpath, const struct stat *img, const struct image *im,
			     const struct nkey_set *ks, struct buf *out)
{
	char text[MANIFEST_MAX + 1];
	struct manifest mf;
	struct stat st;
	ssize_t n;

	if (lstat(mpath, &st) < 0 || !S_ISREG(st.st_mode) || st.st_mtim.tv_sec < img->st_mtim.tv_sec ||
	    (st.st_mtim.tv_sec == img->st_mtim.tv_sec && st.st_mtim.tv_nsec <= img->st_mtim.tv_nsec))
		return false;
	n = read_file_whole(mpath, text, sizeof(text));
	if (n <= 0)
		return false;
	if (manifest_load(text, (size_t)n, ks, &mf, NULL, 0) < 0)
		return false;
	if (strcmp(mf.name, im->name) || strcmp(mf.version, im->version) || mf.size != (uint64_t)img->st_size)
		return false;
	buf_add(out, text, (size_t)n);
	return true;
}

static bool selected(const struct image *im)
{
	int i;

	if (!sign_only)
		return true;
	for (i = 0; i < sign_nonly; i++)
		if (!strcmp(sign_only[i], im->name))
			return true;
	return false;
}

int render_manifests(const struct model *m, struct outset *os)
{
	struct nkey_secret sk;
	struct nkey_set ks = { .n = 0 };
	struct nkey_public pub;
	char err[256], path[4200], mpath[4300], text[MANIFEST_MAX];
	bool have_key = false;
	size_t i;
	int r;

	if (sodium_init() < 0)
		return -EIO;
	for (i = 0; i < m->nimages; i++) {
		const struct image *im = &m->images[i];
		struct manifest mf;
		struct output *o;
		struct stat st;

		if (im->root != RK_HTTP || !im->file || !selected(im))
			continue;
		if (!have_key) {
			struct stat ks_st;

			if (stat(m->site.seckey, &ks_st) == 0 && (ks_st.st_mode & 077)) {
				nl_err(EXPORT_STAGE, "%s: the signing key is readable by others (mode %04o); chmod 600 it",
				       m->site.seckey, ks_st.st_mode & 07777);
				return -EPERM;
			}
			r = nkey_load_secret(m->site.seckey, &sk, err, sizeof(err));
			if (r < 0) {
				nl_err(EXPORT_STAGE, "%s: cannot load the signing key: %s%s(create it with: netinit-export keygen)",
				       m->site.seckey, r == -ENOENT ? "no such file " : err, r == -ENOENT ? "" : " ");
				return r;
			}
			nkey_public_of(&sk, &pub);
			nkey_set_add(&ks, &pub);
			have_key = true;
		}
		snprintf(path, sizeof(path), "%s%s", os->root ? os->root : "", im->file);
		snprintf(mpath, sizeof(mpath), "%s.manifest", im->file);
		if (stat(path, &st) < 0 || !S_ISREG(st.st_mode)) {
			nl_err(EXPORT_STAGE, "%s:%u: image %s: %s: %s", im->loc.file, im->loc.line, im->name, path,
			       errno ? strerror(errno) : "not a regular file");
			return -ENOENT;
		}
		o = out_new(os, OUT_MANIFESTS, mpath, 0644, CHECK_NONE);
		if (!o)
			return -ENOMEM;
		{
			char full[4400];

			snprintf(full, sizeof(full), "%s%s", os->root ? os->root : "", mpath);
			if (manifest_current(full, &st, im, &ks, &o->data))
				continue;
		}
		memset(&mf, 0, sizeof(mf));
		snprintf(mf.name, sizeof(mf.name), "%s", im->name);
		snprintf(mf.version, sizeof(mf.version), "%s", im->version);
		r = sha256_of_file(path, mf.sha256, &mf.size);
		if (r < 0) {
			nl_err(EXPORT_STAGE, "%s: cannot read: %s", path, strerror(-r));
			return r;
		}
		r = manifest_sign(&mf, &sk, text, sizeof(text));
		if (r < 0) {
			nl_err(EXPORT_STAGE, "%s:%u: image %s: cannot sign its manifest: %s", im->loc.file,
			       im->loc.line, im->name, strerror(-r));
			return r;
		}
		buf_add(&o->data, text, (size_t)r);
	}
	sodium_memzero(&sk, sizeof(sk));
	return 0;
}

int manifest_sign_cmd(const struct model *m, struct outset *os, int argc, char **argv)
{
	int i, r;

	for (i = 0; i < argc; i++) {
		const struct image *im = model_image(m, argv[i]);

		if (!im || im->root != RK_HTTP) {
			nl_err(EXPORT_STAGE, "sign: \"%s\" is not an image with root = http", argv[i]);
			return -EINVAL;
		}
	}
	sign_only = argc ? (const char *const *)argv : NULL;
	sign_nonly = argc;
	os->kinds |= 1u << OUT_MANIFESTS;
	r = render_manifests(m, os);
	sign_only = NULL;
	if (r == 0)
		r = out_commit(os);
	if (r == 0)
		nl_info(EXPORT_STAGE, "%u manifest%s written, %u unchanged", os->changed,
			os->changed == 1 ? "" : "s", os->unchanged);
	return r;
}

int manifest_keygen_cmd(const struct model *m, struct outset *os)
{
	struct nkey_public pub;
	struct nkey_secret sec;
	char host[64] = "netinit", comment[128], id[2 * NKEY_ID_LEN + 1];
	int r;

	if (sodium_init() < 0)
		return 1;
	if (access(m->site.seckey, F_OK) == 0 || access(m->site.pubkey, F_OK) == 0) {
		nl_err(EXPORT_STAGE, "%s or %s exists already; not overwriting a key (remove it first to replace it)",
		       m->site.seckey, m->site.pubkey);
		return 1;
	}
	if (os->dry_run) {
		printf("would create %s and %s\n", m->site.seckey, m->site.pubkey);
		return 0;
	}
	gethostname(host, sizeof(host) - 1);
	snprintf(comment, sizeof(comment), "netinit-export@%s", host);
	r = nkey_generate(&pub, &sec, comment);
	if (r == 0) {
		char dir[4096], *slash;

		snprintf(dir, sizeof(dir), "%s", m->site.seckey);
		slash = strrchr(dir, '/');
		if (slash && slash != dir) {
			*slash = '\0';
			mkdir(dir, 0700);
		}
		snprintf(dir, sizeof(dir), "%s", m->site.pubkey);
		slash = strrchr(dir, '/');
		if (slash && slash != dir) {
			*slash = '\0';
			mkdir(dir, 0755);
		}
		r = nkey_save_secret(m->site.seckey, &sec);
	}
	if (r == 0)
		r = nkey_save_public(m->site.pubkey, &pub);
	sodium_memzero(&sec, sizeof(sec));
	if (r < 0) {
		nl_err(EXPORT_STAGE, "keygen: %s", strerror(-r));
		return 1;
	}
	hex_encode(pub.id, NKEY_ID_LEN, id);
	printf("key %s\n  secret: %s (mode 0600, keep it on this server)\n  public: %s (build it into the initramfs)\n",
	       id, m->site.seckey, m->site.pubkey);
	return 0;
}
