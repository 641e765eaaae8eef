// SPDX-License-Identifier: MIT
/*
 * Signed image manifests and ed25519 public keys, the boot side: parse,
 * verify, load trusted keys (format: manifest.h).  Making keys and
 * signatures is fetch/manifest_sign.c, linked by the host tools only.
 * Strict parsing: every field is checked and anything not understood is an
 * error, because a verifier that skips what it does not know can be talked
 * into skipping the check itself.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "manifest.h"
#include "util.h"


int sha256_from_hex(const char *hex, size_t len, uint8_t out[SHA256_LEN])
{
	return hex_decode(hex, len, out, SHA256_LEN, true);
}

void sha256_to_hex(const uint8_t in[SHA256_LEN], char out[SHA256_HEX_LEN + 1])
{
	hex_encode(in, SHA256_LEN, out);
}

/* Decimal, no sign, no leading zero, < 2^63. */
static int parse_size(const char *s, size_t len, uint64_t *out)
{
	uint64_t v = 0;
	if (len == 0 || len > 19 || (len > 1 && s[0] == '0'))
		return -EINVAL;
	for (size_t i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -EINVAL;
		v = v * 10 + (uint64_t)(s[i] - '0');
	}
	if (v > INT64_MAX)
		return -EINVAL;
	*out = v;
	return 0;
}

/* Printable ASCII without space; no '/' when is_name. */
bool manifest_token_ok(const char *s, size_t len, bool is_name)
{
	if (len == 0 || len >= MANIFEST_NAME_MAX)
		return false;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c <= ' ' || c >= 0x7f || (is_name && c == '/'))
			return false;
	}
	if (is_name && (len <= 2 && s[0] == '.' && (len == 1 || s[1] == '.')))
		return false;
	return true;
}

/* Exact base64 (standard alphabet, padded) of n bytes. */
int nkey_b64_exact(const char *s, size_t len, uint8_t *out, size_t n)
{
	return base64_decode(s, len, out, n, true) == (int)n ? 0 : -EINVAL;
}

static int handle_signature(const char *v, size_t vlen, struct manifest *m,
			    char *err, size_t errlen)
{
	/* "ed25519 <16 hex> <base64>" */
	if (vlen < 8 || memcmp(v, "ed25519 ", 8) != 0)
		return errbuf_set(err, errlen, -EINVAL, "signature: only ed25519 is supported");
	v += 8, vlen -= 8;
	const char *sp = memchr(v, ' ', vlen);
	if (!sp || hex_decode(v, (size_t)(sp - v), m->key_id, NKEY_ID_LEN, true) < 0)
		return errbuf_set(err, errlen, -EINVAL, "signature: key-id must be 16 lowercase hex digits");
	size_t rest = vlen - (size_t)(sp + 1 - v);
	if (nkey_b64_exact(sp + 1, rest, m->sig, NKEY_SIG_LEN) < 0)
		return errbuf_set(err, errlen, -EINVAL, "signature: not the base64 of 64 bytes");
	return 0;
}

enum { F_NAME = 1, F_VERSION = 2, F_SIZE = 4, F_SHA = 8, F_UNPACKED = 16 };

static int handle_field(const char *k, size_t klen, const char *v, size_t vlen,
			struct manifest *m, unsigned *seen, int lineno,
			char *err, size_t errlen)
{
	static const struct { const char *key; unsigned flag; } keys[] = {
		{ "name", F_NAME }, { "version", F_VERSION }, { "size", F_SIZE },
		{ "sha256", F_SHA }, { "unpacked-size", F_UNPACKED },
	};
	unsigned flag = 0;
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (strlen(keys[i].key) == klen && memcmp(keys[i].key, k, klen) == 0)
			flag = keys[i].flag;
	if (!flag)
		return errbuf_set(err, errlen, -EINVAL, "line %d: unknown key '%.*s'",
			    lineno, (int)(klen > 32 ? 32 : klen), k);
	if (*seen & flag)
		return errbuf_set(err, errlen, -EINVAL, "line %d: '%.*s' given twice",
			    lineno, (int)klen, k);
	*seen |= flag;
	int r = 0;
	switch (flag) {
	case F_NAME:
	case F_VERSION:
		if (!manifest_token_ok(v, vlen, flag == F_NAME))
			return errbuf_set(err, errlen, -EINVAL,
				    "line %d: %.*s must be 1-%d printable characters without spaces",
				    lineno, (int)klen, k, MANIFEST_NAME_MAX - 1);
		memcpy(flag == F_NAME ? m->name : m->version, v, vlen);
		(flag == F_NAME ? m->name : m->version)[vlen] = '\0';
		break;
	case F_SIZE:
		r = parse_size(v, vlen, &m->size);
		break;
	case F_UNPACKED:
		r = parse_size(v, vlen, &m->unpacked_size);
		m->has_unpacked_size = true;
		break;
	case F_SHA:
		if (sha256_from_hex(v, vlen, m->sha256) < 0)
			return errbuf_set(err, errlen, -EINVAL,
				    "line %d: sha256 must be 64 lowercase hex digits", lineno);
		break;
	}
	if (r < 0)
		return errbuf_set(err, errlen, r, "line %d: %.*s is not a decimal byte count",
			    lineno, (int)klen, k);
	return 0;
}

int manifest_parse(const char *text, size_t len, struct manifest *m,
		   char *err, size_t errlen)
{
	unsigned seen = 0;
	int lineno = 0;
	size_t pos = 0;

	memset(m, 0, sizeof(*m));
	if (len > MANIFEST_MAX)
		return errbuf_set(err, errlen, -EINVAL, "manifest longer than %d bytes", MANIFEST_MAX);
	while (pos < len) {
		const char *line = text + pos;
		const char *nl = memchr(line, '\n', len - pos);
		lineno++;
		if (!nl)
			return errbuf_set(err, errlen, -EINVAL, "line %d: no newline at the end", lineno);
		size_t ll = (size_t)(nl - line);
		if (memchr(line, '\0', ll) || memchr(line, '\r', ll))
			return errbuf_set(err, errlen, -EINVAL, "line %d: NUL or CR byte", lineno);
		if (lineno == 1) {
			if (ll != strlen(MANIFEST_MAGIC) || memcmp(line, MANIFEST_MAGIC, ll) != 0)
				return errbuf_set(err, errlen, -EINVAL,
					    "line 1: not \"" MANIFEST_MAGIC "\"");
			pos += ll + 1;
			continue;
		}
		const char *sp = memchr(line, ' ', ll);
		if (!sp || sp == line)
			return errbuf_set(err, errlen, -EINVAL, "line %d: expected '<key> <value>'", lineno);
		size_t klen = (size_t)(sp - line);
		const char *v = sp + 1;
		size_t vlen = ll - klen - 1;
		if (klen == 9 && memcmp(line, "signature", 9) == 0) {
			int r = handle_signature(v, vlen, m, err, errlen);
			if (r < 0)
				return r;
			if (pos + ll + 1 != len)
				return errbuf_set(err, errlen, -EINVAL,
					    "line %d: text after the signature line", lineno);
			m->signed_len = pos;
			break;
		}
		int r = handle_field(line, klen, v, vlen, m, &seen, lineno, err, errlen);
		if (r < 0)
			return r;
		pos += ll + 1;
	}
	if (lineno == 0)
		return errbuf_set(err, errlen, -EINVAL, "empty manifest");
	if (!m->signed_len)
		return errbuf_set(err, errlen, -EINVAL, "no signature line");
	static const struct { unsigned flag; const char *key; } req[] = {
		{ F_NAME, "name" }, { F_VERSION, "version" }, { F_SIZE, "size" }, { F_SHA, "sha256" },
	};
	for (size_t i = 0; i < sizeof(req) / sizeof(req[0]); i++)
		if (!(seen & req[i].flag))
			return errbuf_set(err, errlen, -EINVAL, "'%s' is missing", req[i].key);
	return 0;
}

const struct nkey_public *nkey_set_find(const struct nkey_set *ks,
					const uint8_t id[NKEY_ID_LEN])
{
	for (size_t i = 0; ks && i < ks->n; i++)
		if (memcmp(ks->key[i].id, id, NKEY_ID_LEN) == 0)
			return &ks->key[i];
	return NULL;
}

int manifest_verify(const char *text, size_t len, const struct manifest *m,
		    const struct nkey_set *ks)
{
	/* No sodium_init() here: it draws a canary from getrandom(2), which blocks
	 * until the kernel's CRNG is seeded (about a second into a boot under
	 * QEMU), and a signature check needs no randomness: Ed25519 verification
	 * and SHA-256 work without it.  Making keys and signatures (server side)
	 * calls crypto_ready(). */
	if (m->signed_len == 0 || m->signed_len > len)
		return -EINVAL;
	const struct nkey_public *k = nkey_set_find(ks, m->key_id);
	if (!k)
		return -ENOKEY;
	if (crypto_sign_verify_detached(m->sig, (const unsigned char *)text,
					m->signed_len, k->pk) != 0)
		return -EBADMSG;
	return 0;
}

int manifest_load(const char *text, size_t len, const struct nkey_set *ks,
		  struct manifest *m, char *err, size_t errlen)
{
	int r = manifest_parse(text, len, m, err, errlen);
	if (r < 0)
		return r;
	r = manifest_verify(text, len, m, ks);
	if (r == -ENOKEY) {
		char id[2 * NKEY_ID_LEN + 1];
		hex_encode(m->key_id, NKEY_ID_LEN, id);
		return errbuf_set(err, errlen, r, "signed by key %s, which is not among the %zu trusted keys",
			    id, ks ? ks->n : 0);
	}
	if (r < 0)
		return errbuf_set(err, errlen, r, "bad signature");
	return 0;
}

/* ---- keys ---- */

void nkey_id(const uint8_t pk[NKEY_PUB_LEN], uint8_t id[NKEY_ID_LEN])
{
	uint8_t h[SHA256_LEN];
	crypto_hash_sha256(h, pk, NKEY_PUB_LEN);
	memcpy(id, h, NKEY_ID_LEN);
}

bool nkey_comment_ok(const char *c)
{
	if (strlen(c) >= NKEY_COMMENT_MAX)
		return false;
	for (; *c; c++)
		if ((unsigned char)*c < ' ' || *c == 0x7f)
			return false;
	return true;
}

/* Strip one trailing "\n"; refuse other control bytes. */
int nkey_one_line(const char *text, size_t *len)
{
	if (*len && text[*len - 1] == '\n')
		(*len)--;
	for (size_t i = 0; i < *len; i++)
		if (text[i] == '\n' || text[i] == '\r' || text[i] == '\0')
			return -EINVAL;
	return 0;
}

int nkey_parse_public(const char *text, size_t len, struct nkey_public *pub,
		      char *err, size_t errlen)
{
	const size_t tag = strlen(NKEY_PUB_TAG);
	memset(pub, 0, sizeof(*pub));
	if (nkey_one_line(text, &len) < 0)
		return errbuf_set(err, errlen, -EINVAL, "public key: more than one line");
	if (len > tag && memcmp(text, NKEY_PUB_TAG " ", tag + 1) == 0) {
		const char *b = text + tag + 1;
		size_t rest = len - tag - 1;
		const char *sp = memchr(b, ' ', rest);
		size_t blen = sp ? (size_t)(sp - b) : rest;
		if (nkey_b64_exact(b, blen, pub->pk, NKEY_PUB_LEN) < 0)
			return errbuf_set(err, errlen, -EINVAL, "public key: not the base64 of 32 bytes");
		if (sp) {
			size_t clen = rest - blen - 1;
			if (clen >= NKEY_COMMENT_MAX)
				clen = NKEY_COMMENT_MAX - 1;
			memcpy(pub->comment, sp + 1, clen);
			pub->comment[clen] = '\0';
			if (!nkey_comment_ok(pub->comment))
				return errbuf_set(err, errlen, -EINVAL, "public key: control bytes in comment");
		}
	} else if (nkey_b64_exact(text, len, pub->pk, NKEY_PUB_LEN) < 0) {
		return errbuf_set(err, errlen, -EINVAL,
			    "public key: expected \"" NKEY_PUB_TAG " <base64> <comment>\" or the bare base64 of 32 bytes");
	}
	nkey_id(pub->pk, pub->id);
	return 0;
}

ssize_t nkey_read_file(const char *path, char buf[NKEY_FILE_MAX], char *err, size_t errlen)
{
	ssize_t len = read_file_whole(path, buf, NKEY_FILE_MAX);

	if (len < 0)
		return errbuf_set(err, errlen, (int)len, "%s: %s", path, strerror((int)-len));
	return len;
}

int nkey_load_public(const char *path, struct nkey_public *pub, char *err, size_t errlen)
{
	char buf[NKEY_FILE_MAX];
	ssize_t len = nkey_read_file(path, buf, err, errlen);
	int r;
	if (len < 0)
		return (int)len;
	r = nkey_parse_public(buf, (size_t)len, pub, err, errlen);
	if (r < 0 && err && errlen) {
		char tmp[256];
		snprintf(tmp, sizeof(tmp), "%s", err);
		snprintf(err, errlen, "%s: %s", path, tmp);
	}
	return r;
}

int nkey_set_add(struct nkey_set *ks, const struct nkey_public *pub)
{
	if (nkey_set_find(ks, pub->id))
		return 0;
	if (ks->n >= NKEY_SET_MAX)
		return -ENOSPC;
	ks->key[ks->n++] = *pub;
	return 1;
}

static int filter_pub(const struct dirent *d)
{
	size_t n = strlen(d->d_name);
	return d->d_name[0] != '.' && n > 4 && strcmp(d->d_name + n - 4, ".pub") == 0;
}

int nkey_set_load_dir(struct nkey_set *ks, const char *dir, char *err, size_t errlen)
{
	struct dirent **list;
	int n = scandir(dir, &list, filter_pub, alphasort);
	int added = 0, r = 0;
	if (n < 0)
		return errno == ENOENT ? 0 : errbuf_set(err, errlen, -errno, "%s: %s", dir, strerror(errno));
	for (int i = 0; i < n; i++) {
		char path[4096];
		struct nkey_public pub;
		if (r >= 0) {
			snprintf(path, sizeof(path), "%s/%s", dir, list[i]->d_name);
			r = nkey_load_public(path, &pub, err, errlen);
			if (r >= 0) {
				r = nkey_set_add(ks, &pub);
				if (r == -ENOSPC)
					errbuf_set(err, errlen, r, "%s: more than %d keys", path, NKEY_SET_MAX);
				else if (r > 0)
					added++;
			}
		}
		free(list[i]);
	}
	free(list);
	return r < 0 ? r : added;
}
