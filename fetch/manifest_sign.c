// SPDX-License-Identifier: MIT
/*
 * Making ed25519 keys and signed manifests (format: manifest.h): the host
 * side, linked by netinit-sign and netinit-export, never needed at boot.
 * Everything that needs randomness (key generation) calls crypto_ready().
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "manifest.h"
#include "util.h"

static void crypto_ready(void)
{
	static int done;
	if (!done) {
		if (sodium_init() < 0)
			abort(); /* cannot happen on Linux: no entropy source at all */
		done = 1;
	}
}

int sha256_of_file(const char *path, uint8_t out[SHA256_LEN], uint64_t *size)
{
	crypto_hash_sha256_state st;
	static uint8_t chunk[1 << 16];
	uint64_t total = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);

	if (fd < 0)
		return -errno;
	crypto_hash_sha256_init(&st);
	for (;;) {
		ssize_t n = read(fd, chunk, sizeof(chunk));

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			int r = -errno;

			close(fd);
			return r;
		}
		if (n == 0)
			break;
		crypto_hash_sha256_update(&st, chunk, (unsigned long long)n);
		total += (uint64_t)n;
	}
	close(fd);
	crypto_hash_sha256_final(&st, out);
	if (size)
		*size = total;
	return 0;
}

int manifest_sign(const struct manifest *m, const struct nkey_secret *sk,
		  char *out, size_t outlen)
{
	char hex[SHA256_HEX_LEN + 1], id[2 * NKEY_ID_LEN + 1];
	char b64[sodium_base64_ENCODED_LEN(NKEY_SIG_LEN, sodium_base64_VARIANT_ORIGINAL)];
	uint8_t sig[NKEY_SIG_LEN];
	struct nkey_public pub;
	int n;

	crypto_ready();
	if (!manifest_token_ok(m->name, strlen(m->name), true) ||
	    !manifest_token_ok(m->version, strlen(m->version), false) ||
	    m->size > INT64_MAX || m->unpacked_size > INT64_MAX)
		return -EINVAL;
	sha256_to_hex(m->sha256, hex);
	n = snprintf(out, outlen, MANIFEST_MAGIC "\nname %s\nversion %s\nsize %" PRIu64
		     "\nsha256 %s\n", m->name, m->version, m->size, hex);
	if (n < 0 || (size_t)n >= outlen)
		return -ENOSPC;
	if (m->has_unpacked_size) {
		int k = snprintf(out + n, outlen - (size_t)n, "unpacked-size %" PRIu64 "\n",
				 m->unpacked_size);
		if (k < 0 || (size_t)k >= outlen - (size_t)n)
			return -ENOSPC;
		n += k;
	}
	crypto_sign_detached(sig, NULL, (const unsigned char *)out, (size_t)n, sk->sk);
	nkey_public_of(sk, &pub);
	hex_encode(pub.id, NKEY_ID_LEN, id);
	sodium_bin2base64(b64, sizeof(b64), sig, sizeof(sig), sodium_base64_VARIANT_ORIGINAL);
	int k = snprintf(out + n, outlen - (size_t)n, "signature ed25519 %s %s\n", id, b64);
	if (k < 0 || (size_t)k >= outlen - (size_t)n)
		return -ENOSPC;
	return n + k;
}

void nkey_public_of(const struct nkey_secret *sec, struct nkey_public *pub)
{
	memset(pub, 0, sizeof(*pub));
	crypto_sign_ed25519_sk_to_pk(pub->pk, sec->sk);
	nkey_id(pub->pk, pub->id);
}

int nkey_generate(struct nkey_public *pub, struct nkey_secret *sec, const char *comment)
{
	crypto_ready();
	if (comment && !nkey_comment_ok(comment))
		return -EINVAL;
	crypto_sign_keypair(pub->pk, sec->sk);
	nkey_public_of(sec, pub);
	snprintf(pub->comment, sizeof(pub->comment), "%s", comment ? comment : "");
	return 0;
}

int nkey_parse_secret(const char *text, size_t len, struct nkey_secret *sec,
		      char *err, size_t errlen)
{
	const size_t tag = strlen(NKEY_SEC_TAG);
	uint8_t pk[NKEY_PUB_LEN];
	if (nkey_one_line(text, &len) < 0 || len <= tag || memcmp(text, NKEY_SEC_TAG " ", tag + 1) != 0)
		return errbuf_set(err, errlen, -EINVAL, "secret key: expected \"" NKEY_SEC_TAG " <base64>\"");
	if (nkey_b64_exact(text + tag + 1, len - tag - 1, sec->sk, NKEY_SEC_LEN) < 0)
		return errbuf_set(err, errlen, -EINVAL, "secret key: not the base64 of 64 bytes");
	/* The second half must be the public key of the seed in the first. */
	crypto_ready();
	uint8_t check_sk[NKEY_SEC_LEN];
	crypto_sign_seed_keypair(pk, check_sk, sec->sk);
	int bad = sodium_memcmp(check_sk, sec->sk, NKEY_SEC_LEN);
	sodium_memzero(check_sk, sizeof(check_sk));
	if (bad)
		return errbuf_set(err, errlen, -EINVAL, "secret key: public half does not match the seed");
	return 0;
}

int nkey_format_public(const struct nkey_public *pub, char *out, size_t outlen)
{
	char b64[sodium_base64_ENCODED_LEN(NKEY_PUB_LEN, sodium_base64_VARIANT_ORIGINAL)];
	sodium_bin2base64(b64, sizeof(b64), pub->pk, NKEY_PUB_LEN, sodium_base64_VARIANT_ORIGINAL);
	int n = snprintf(out, outlen, NKEY_PUB_TAG " %s %s\n", b64, pub->comment);
	if (n < 0 || (size_t)n >= outlen)
		return -ENOSPC;
	return n;
}

int nkey_format_secret(const struct nkey_secret *sec, char *out, size_t outlen)
{
	char b64[sodium_base64_ENCODED_LEN(NKEY_SEC_LEN, sodium_base64_VARIANT_ORIGINAL)];
	sodium_bin2base64(b64, sizeof(b64), sec->sk, NKEY_SEC_LEN, sodium_base64_VARIANT_ORIGINAL);
	int n = snprintf(out, outlen, NKEY_SEC_TAG " %s\n", b64);
	sodium_memzero(b64, sizeof(b64));
	if (n < 0 || (size_t)n >= outlen)
		return -ENOSPC;
	return n;
}

int nkey_load_secret(const char *path, struct nkey_secret *sec, char *err, size_t errlen)
{
	char buf[NKEY_FILE_MAX];
	ssize_t len = nkey_read_file(path, buf, err, errlen);
	int r;
	if (len < 0)
		return (int)len;
	r = nkey_parse_secret(buf, (size_t)len, sec, err, errlen);
	sodium_memzero(buf, sizeof(buf));
	return r;
}

int nkey_save_public(const char *path, const struct nkey_public *pub)
{
	char buf[512];
	int n = nkey_format_public(pub, buf, sizeof(buf));
	if (n < 0)
		return n;
	return write_file_at(AT_FDCWD, path, buf, (size_t)n, 0644, WRITE_SYNC);
}

int nkey_save_secret(const char *path, const struct nkey_secret *sec)
{
	char buf[256];
	int n = nkey_format_secret(sec, buf, sizeof(buf));
	if (n < 0)
		return n;
	int r = write_file_at(AT_FDCWD, path, buf, (size_t)n, 0600, WRITE_EXCL | WRITE_SYNC);
	sodium_memzero(buf, sizeof(buf));
	return r;
}

