// SPDX-License-Identifier: MIT
/* Manifest parsing, signing and verification; key files. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "manifest.h"
/* the signing half is a host-tool unit, not in libnetinit: built in here */
#include "../../fetch/manifest_sign.c"

#define SHA "2004f40608c0fc6a6a6515a51cfb46dfcca5e381f64c831dca0b6edaf6178947"
#define SIG "signature ed25519 0011223344556677 " \
	"vXBUnnKDa0DpXxnO+YEhvkZexYxUFJrw3O68mW9t+RBQWN6vA3Js0HLkQcvwEbdP221rZKNilkWmZhtOt8fNAA==\n"

static const struct { const char *text; int ret; } parse_cases[] = {
	{ "netinit-manifest 1\nname root\nversion 1\nsize 5\nsha256 " SHA "\n" SIG, 0 },
	{ "netinit-manifest 1\nsha256 " SHA "\nsize 5\nversion 1\nname root\nunpacked-size 9\n" SIG, 0 },
	{ "netinit-manifest 2\nname root\nversion 1\nsize 5\nsha256 " SHA "\n" SIG, -EINVAL },
	{ "netinit-manifest 1\nname root\nversion 1\nsize 5\n" SIG, -EINVAL },          /* no sha */
	{ "netinit-manifest 1\nname root\nversion 1\nsize 5\nsha256 " SHA "\n", -EINVAL }, /* no sig */
	{ "netinit-manifest 1\nname root\nversion 1\nsize 5\nsha256 " SHA "\n" SIG "x\n", -EINVAL },
	{ "netinit-manifest 1\nname root\nname x\nversion 1\nsize 5\nsha256 " SHA "\n" SIG, -EINVAL },
	{ "netinit-manifest 1\nname root\nversion 1\nsize 05\nsha256 " SHA "\n" SIG, -EINVAL },
	{ "netinit-manifest 1\nname root\nversion 1\nsize -5\nsha256 " SHA "\n" SIG, -EINVAL },
	{ "netinit-manifest 1\nname root\nversion 1\nsize 99999999999999999999\nsha256 " SHA "\n" SIG, -EINVAL },
	{ "netinit-manifest 1\nname root\nversion 1\nsize 5\nsha256 " SHA "0\n" SIG, -EINVAL },
	{ "netinit-manifest 1\nname root\nversion 1\nsize 5\nsha256 2004F40608C0FC6A6A6515A51CFB46DFCCA5E381F64C831DCA0B6EDAF6178947\n" SIG, -EINVAL },
	{ "netinit-manifest 1\nname a/b\nversion 1\nsize 5\nsha256 " SHA "\n" SIG, -EINVAL },
	{ "netinit-manifest 1\nname ..\nversion 1\nsize 5\nsha256 " SHA "\n" SIG, -EINVAL },
	{ "netinit-manifest 1\nname a b\nversion 1\nsize 5\nsha256 " SHA "\n" SIG, -EINVAL },
	{ "netinit-manifest 1\nname root\nversion 1\nsize 5\nsha256 " SHA "\nextra 1\n" SIG, -EINVAL },
	{ "netinit-manifest 1\r\nname root\nversion 1\nsize 5\nsha256 " SHA "\n" SIG, -EINVAL },
	{ "netinit-manifest 1\nname root\nversion 1\nsize 5\nsha256 " SHA "\n"
	  "signature rsa 0011223344556677 AAAA\n", -EINVAL },
	{ "netinit-manifest 1\nname root\nversion 1\nsize 5\nsha256 " SHA "\n"
	  "signature ed25519 00112233 AAAA\n", -EINVAL },
	{ "netinit-manifest 1\nname root\nversion 1\nsize 5\nsha256 " SHA "\n"
	  "signature ed25519 0011223344556677 AAAA\n", -EINVAL },
	{ "", -EINVAL },
	{ "netinit-manifest 1", -EINVAL },
};

static void test_parse(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(parse_cases) / sizeof(parse_cases[0]); i++) {
		struct manifest m;
		char err[256] = "";
		int r = manifest_parse(parse_cases[i].text, strlen(parse_cases[i].text), &m, err, sizeof(err));
		if (r != parse_cases[i].ret)
			fail_msg("case %zu: got %d (%s) want %d", i, r, err, parse_cases[i].ret);
		if (r < 0)
			assert_true(err[0] != '\0');
	}
	struct manifest m;
	const char *t = parse_cases[1].text;
	assert_int_equal(manifest_parse(t, strlen(t), &m, NULL, 0), 0);
	assert_string_equal(m.name, "root");
	assert_int_equal(m.size, 5);
	assert_true(m.has_unpacked_size);
	assert_int_equal(m.unpacked_size, 9);
	assert_int_equal(m.signed_len, strlen(t) - strlen(SIG));
}

static void test_sign_verify(void **state)
{
	(void)state;
	struct nkey_public pub, other;
	struct nkey_secret sec, sec2;
	struct nkey_set ks = { .n = 0 };
	struct manifest m = { .name = "img", .version = "2026.1", .size = 1234,
			      .unpacked_size = 5678, .has_unpacked_size = true };
	char text[MANIFEST_MAX], err[256];
	memset(m.sha256, 0xab, sizeof(m.sha256));
	assert_int_equal(nkey_generate(&pub, &sec, "test"), 0);
	assert_int_equal(nkey_generate(&other, &sec2, NULL), 0);
	int n = manifest_sign(&m, &sec, text, sizeof(text));
	assert_true(n > 0);

	struct manifest got;
	assert_int_equal(manifest_load(text, (size_t)n, &ks, &got, err, sizeof(err)), -ENOKEY);
	assert_int_equal(nkey_set_add(&ks, &other), 1);
	assert_int_equal(manifest_load(text, (size_t)n, &ks, &got, err, sizeof(err)), -ENOKEY);
	assert_int_equal(nkey_set_add(&ks, &pub), 1);
	assert_int_equal(nkey_set_add(&ks, &pub), 0); /* duplicate */
	assert_int_equal(manifest_load(text, (size_t)n, &ks, &got, err, sizeof(err)), 0);
	assert_string_equal(got.name, "img");
	assert_int_equal(got.size, 1234);
	assert_memory_equal(got.sha256, m.sha256, 32);

	/* any change to a signed byte breaks it */
	for (int i = 0; i < n - 100; i += 7) {
		char bad[MANIFEST_MAX];
		memcpy(bad, text, (size_t)n);
		if (bad[i] == '\n' || bad[i] == ' ')
			continue;
		bad[i] = bad[i] == '1' ? '2' : '1';
		int r = manifest_load(bad, (size_t)n, &ks, &got, err, sizeof(err));
		assert_true(r < 0);
	}
	assert_int_equal(manifest_sign(&m, &sec, text, 50), -ENOSPC);
	struct manifest badname = m;
	strcpy(badname.name, "a/b");
	assert_int_equal(manifest_sign(&badname, &sec, text, sizeof(text)), -EINVAL);
}

static void test_keys(void **state)
{
	(void)state;
	struct nkey_public pub, p2;
	struct nkey_secret sec, s2;
	char buf[512], err[256], dir[] = "/tmp/test_manifest.XXXXXX";
	assert_int_equal(nkey_generate(&pub, &sec, "c c"), 0);
	int n = nkey_format_public(&pub, buf, sizeof(buf));
	assert_true(n > 0);
	assert_int_equal(nkey_parse_public(buf, (size_t)n, &p2, err, sizeof(err)), 0);
	assert_memory_equal(p2.pk, pub.pk, 32);
	assert_string_equal(p2.comment, "c c");
	/* bare base64, as on the kernel command line */
	const char *b64 = buf + strlen("netinit-ed25519-public ");
	assert_int_equal(nkey_parse_public(b64, 44, &p2, err, sizeof(err)), 0);
	assert_memory_equal(p2.id, pub.id, 8);
	assert_int_equal(nkey_parse_public(b64, 43, &p2, err, sizeof(err)), -EINVAL);
	assert_int_equal(nkey_parse_public("netinit-ed25519-public !!!!", 27, &p2, err, sizeof(err)), -EINVAL);
	assert_int_equal(nkey_parse_public("", 0, &p2, err, sizeof(err)), -EINVAL);

	n = nkey_format_secret(&sec, buf, sizeof(buf));
	assert_int_equal(nkey_parse_secret(buf, (size_t)n, &s2, err, sizeof(err)), 0);
	assert_memory_equal(s2.sk, sec.sk, 64);
	/* a secret key whose public half does not match its seed */
	struct nkey_secret broken = sec;
	broken.sk[40] ^= 1;
	n = nkey_format_secret(&broken, buf, sizeof(buf));
	assert_int_equal(nkey_parse_secret(buf, (size_t)n, &s2, err, sizeof(err)), -EINVAL);

	/* files: the secret key is 0600 and never overwritten */
	assert_non_null(mkdtemp(dir));
	char path[256];
	struct stat st;
	snprintf(path, sizeof(path), "%s/k.sec", dir);
	assert_int_equal(nkey_save_secret(path, &sec), 0);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	assert_int_equal(nkey_save_secret(path, &sec), -EEXIST);
	assert_int_equal(nkey_load_secret(path, &s2, err, sizeof(err)), 0);
	unlink(path);
	snprintf(path, sizeof(path), "%s/a.pub", dir);
	assert_int_equal(nkey_save_public(path, &pub), 0);
	struct nkey_set ks = { .n = 0 };
	assert_int_equal(nkey_set_load_dir(&ks, dir, err, sizeof(err)), 1);
	/* a broken key file fails the whole directory: never skipped */
	snprintf(path, sizeof(path), "%s/b.pub", dir);
	FILE *f = fopen(path, "w");
	fputs("netinit-ed25519-public garbage\n", f);
	fclose(f);
	ks.n = 0;
	assert_int_equal(nkey_set_load_dir(&ks, dir, err, sizeof(err)), -EINVAL);
	unlink(path);
	snprintf(path, sizeof(path), "%s/a.pub", dir);
	unlink(path);
	rmdir(dir);
	assert_int_equal(nkey_set_load_dir(&ks, "/nonexistent/keys", err, sizeof(err)), 0);
}

static void test_hex(void **state)
{
	(void)state;
	uint8_t b[32];
	char hex[65];
	assert_int_equal(sha256_from_hex(SHA, 64, b), 0);
	sha256_to_hex(b, hex);
	assert_string_equal(hex, SHA);
	assert_int_equal(sha256_from_hex(SHA, 63, b), -EINVAL);
	assert_int_equal(sha256_from_hex("zz04f40608c0fc6a6a6515a51cfb46dfcca5e381f64c831dca0b6edaf6178947", 64, b), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse), cmocka_unit_test(test_sign_verify),
		cmocka_unit_test(test_keys),  cmocka_unit_test(test_hex),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
