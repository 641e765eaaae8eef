/* SPDX-License-Identifier: MIT */
/*
 * Signed image manifests and ed25519 keys (libsodium).
 *
 * Manifest text (every line ends with '\n', no '\r', no blank lines):
 *
 *     netinit-manifest 1
 *     name <image name>
 *     version <string>
 *     size <bytes>
 *     sha256 <64 lowercase hex>
 *     unpacked-size <bytes>          (optional)
 *     signature ed25519 <key-id> <base64 of the 64-byte signature>
 *
 * - the first line is exactly "netinit-manifest 1";
 * - name, version, size and sha256 are required, each at most once, in any
 *   order; unpacked-size is optional; any other key is an error (a newer
 *   format must bump the version line, never be half-understood);
 * - name and version: 1..MANIFEST_NAME_MAX-1 printable ASCII bytes without
 *   spaces or '/' in name (a name may become a file name on the server);
 * - sizes: decimal, no sign, no leading zeros (except "0"), < 2^63;
 * - the signature line is last; it signs every byte before it (from the
 *   start of the text up to and including the '\n' ending the previous line).
 *   Nothing may follow the signature line's '\n'.
 *
 * Keys:
 *   public key file:  "netinit-ed25519-public <base64 32 bytes> <comment>\n"
 *   secret key file:  "netinit-ed25519-secret <base64 64 bytes>\n"  (mode 0600;
 *                      libsodium's 64-byte form: seed followed by public key)
 *   key-id: the first 8 bytes of sha256(public key), 16 lowercase hex digits.
 *
 * All functions return 0 (or a length) on success and a negative errno on
 * failure: -EINVAL malformed input, -EBADMSG bad signature / hash mismatch,
 * -ENOKEY no key with that id, -ENOSPC output buffer too small.  Parsers
 * also write a one-line reason into err (may be NULL) for the log.
 * Nothing here logs; callers log with the stage "verify".
 */
#ifndef NETINIT_MANIFEST_H
#define NETINIT_MANIFEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "codec.h" /* hex_encode() for key ids */

#define MANIFEST_MAGIC      "netinit-manifest 1"
#define MANIFEST_MAX        4096   /* longest manifest text accepted */
#define MANIFEST_NAME_MAX   128    /* name/version buffer size incl. NUL */
#define NKEY_ID_LEN         8      /* bytes of sha256(pk) in a key-id */
#define NKEY_PUB_LEN        32
#define NKEY_SEC_LEN        64
#define NKEY_SIG_LEN        64
#define NKEY_COMMENT_MAX    128
#define NKEY_SET_MAX        16
#define SHA256_LEN          32
#define SHA256_HEX_LEN      64

struct manifest {
	char name[MANIFEST_NAME_MAX];
	char version[MANIFEST_NAME_MAX];
	uint64_t size;                 /* bytes of the image as served */
	uint8_t sha256[SHA256_LEN];    /* of the image as served */
	uint64_t unpacked_size;        /* 0 when absent */
	bool has_unpacked_size;
	/* filled by manifest_parse() from the signature line */
	uint8_t key_id[NKEY_ID_LEN];
	uint8_t sig[NKEY_SIG_LEN];
	size_t signed_len;             /* bytes of text covered by sig */
};

struct nkey_public {
	uint8_t pk[NKEY_PUB_LEN];
	uint8_t id[NKEY_ID_LEN];
	char comment[NKEY_COMMENT_MAX];
};

struct nkey_secret {
	uint8_t sk[NKEY_SEC_LEN];      /* seed || public key (libsodium) */
};

struct nkey_set {
	struct nkey_public key[NKEY_SET_MAX];
	size_t n;
};

/* ---- manifests ---- */

/* Parse text[0..len) (need not be NUL terminated).  Checks syntax only;
 * the signature is checked by manifest_verify(). */
int manifest_parse(const char *text, size_t len, struct manifest *m,
		   char *err, size_t errlen);

/* Check m's signature over text[0..m->signed_len) with the key of
 * m->key_id in ks.  0, -ENOKEY (no such key in ks) or -EBADMSG. */
int manifest_verify(const char *text, size_t len, const struct manifest *m,
		    const struct nkey_set *ks);

/* Parse and verify in one call (what the boot path uses). */
int manifest_load(const char *text, size_t len, const struct nkey_set *ks,
		  struct manifest *m, char *err, size_t errlen);

/* Render m (name, version, size, sha256, optional unpacked-size) and sign it
 * with sk.  Writes a NUL-terminated text into out; returns its length
 * (without the NUL) or -ENOSPC / -EINVAL (invalid name or version). */
int manifest_sign(const struct manifest *m, const struct nkey_secret *sk,
		  char *out, size_t outlen);

/* ---- keys ---- */

/* A fresh key pair; comment may be NULL. */
int nkey_generate(struct nkey_public *pub, struct nkey_secret *sec,
		  const char *comment);
/* The public half and id of a secret key. */
void nkey_public_of(const struct nkey_secret *sec, struct nkey_public *pub);
/* key-id of pk into id (NKEY_ID_LEN bytes). */
void nkey_id(const uint8_t pk[NKEY_PUB_LEN], uint8_t id[NKEY_ID_LEN]);

/* Parse one public key line (trailing '\n' optional).  Also accepts the bare
 * base64 of the 32-byte key (the form of netinit.key= on the command line). */
int nkey_parse_public(const char *text, size_t len, struct nkey_public *pub,
		      char *err, size_t errlen);
int nkey_parse_secret(const char *text, size_t len, struct nkey_secret *sec,
		      char *err, size_t errlen);
/* Text forms (NUL terminated, with '\n'); return length or -ENOSPC. */
int nkey_format_public(const struct nkey_public *pub, char *out, size_t outlen);
int nkey_format_secret(const struct nkey_secret *sec, char *out, size_t outlen);

/* Files.  save_secret creates the file with mode 0600 and O_EXCL. */
int nkey_load_public(const char *path, struct nkey_public *pub, char *err, size_t errlen);
int nkey_load_secret(const char *path, struct nkey_secret *sec, char *err, size_t errlen);
int nkey_save_public(const char *path, const struct nkey_public *pub);
int nkey_save_secret(const char *path, const struct nkey_secret *sec);

/* Key sets.  add() refuses duplicates silently (returns 0) and -ENOSPC when
 * full.  load_dir() adds every "*.pub" in dir (lexical order); a malformed
 * file is an error (never skipped); a missing dir is 0 keys. Returns the
 * number of keys added or -errno. */
int nkey_set_add(struct nkey_set *ks, const struct nkey_public *pub);
int nkey_set_load_dir(struct nkey_set *ks, const char *dir, char *err, size_t errlen);
const struct nkey_public *nkey_set_find(const struct nkey_set *ks,
					const uint8_t id[NKEY_ID_LEN]);

/* ---- shared by manifest.c (boot) and manifest_sign.c (host tools) ---- */

#define NKEY_PUB_TAG "netinit-ed25519-public"
#define NKEY_SEC_TAG "netinit-ed25519-secret"
/* name/version token: printable ASCII without space; no '/', "." or ".." when is_name. */
bool manifest_token_ok(const char *s, size_t len, bool is_name);
/* A key comment: shorter than NKEY_COMMENT_MAX, no control bytes. */
bool nkey_comment_ok(const char *c);
/* Strip one trailing "\n" from text[0..*len); -EINVAL when another line break or NUL is left. */
int nkey_one_line(const char *text, size_t *len);
/* A key file, whole (at most NKEY_FILE_MAX-1 bytes); its length or -errno
 * with "<path>: <reason>" in err. */
#define NKEY_FILE_MAX 512
ssize_t nkey_read_file(const char *path, char buf[NKEY_FILE_MAX], char *err, size_t errlen);
/* Exactly the padded base64 of n bytes into out.  0 or -EINVAL. */
int nkey_b64_exact(const char *s, size_t len, uint8_t *out, size_t n);

/* ---- helpers shared with fetch ---- */

/* Exactly 64 lowercase hex digits -> 32 bytes.  0 or -EINVAL. */
int sha256_from_hex(const char *hex, size_t len, uint8_t out[SHA256_LEN]);
/* 32 bytes -> 64 hex digits + NUL (out must hold 65 bytes). */
void sha256_to_hex(const uint8_t in[SHA256_LEN], char out[SHA256_HEX_LEN + 1]);
/* SHA-256 of a whole file and its size (size may be NULL).  0 or -errno.
 * The one "hash this image" of the host tools (netinit-sign, netinit-export). */
int sha256_of_file(const char *path, uint8_t out[SHA256_LEN], uint64_t *size);

#endif
