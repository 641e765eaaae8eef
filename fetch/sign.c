// SPDX-License-Identifier: MIT
/*
 * netinit-sign: make keys, sign images, check signatures (host tool).
 *
 *   netinit-sign keygen NAME [--comment TEXT]   -> NAME.sec (0600), NAME.pub
 *   netinit-sign sign IMAGE --key NAME.sec [--name N] [--version V]
 *                [--unpacked-size BYTES] [--output FILE]   -> IMAGE.manifest
 *   netinit-sign verify IMAGE --key NAME.pub... [--manifest FILE]
 *
 * Exit status: 0 ok, 1 verification failed or I/O error, 2 usage.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "manifest.h"
#include "util.h"

static int usage(void)
{
	fputs("usage: netinit-sign keygen NAME [--comment TEXT]\n"
	      "       netinit-sign sign IMAGE --key NAME.sec [--name N] [--version V]\n"
	      "                    [--unpacked-size BYTES] [--output FILE]\n"
	      "       netinit-sign verify IMAGE --key NAME.pub [--key ...] [--manifest FILE]\n", stderr);
	return 2;
}

static int cmd_keygen(int argc, char **argv)
{
	const char *comment = NULL;
	static const struct option lo[] = { { "comment", required_argument, NULL, 'c' }, { 0 } };
	int c;
	while ((c = getopt_long(argc, argv, "", lo, NULL)) != -1) {
		if (c != 'c')
			return usage();
		comment = optarg;
	}
	if (argc - optind != 1)
		return usage();
	char sec[4096], pubp[4096];
	snprintf(sec, sizeof(sec), "%s.sec", argv[optind]);
	snprintf(pubp, sizeof(pubp), "%s.pub", argv[optind]);
	struct nkey_public pub;
	struct nkey_secret sk;
	char host[64] = "netinit";
	if (!comment) {
		gethostname(host, sizeof(host) - 1);
		comment = host;
	}
	if (nkey_generate(&pub, &sk, comment) < 0) {
		fprintf(stderr, "netinit-sign: bad comment\n");
		return 2;
	}
	int r = nkey_save_secret(sec, &sk);
	sodium_memzero(&sk, sizeof(sk));
	if (r < 0) {
		fprintf(stderr, "netinit-sign: %s: %s\n", sec, strerror(-r));
		return 1;
	}
	if ((r = nkey_save_public(pubp, &pub)) < 0) {
		fprintf(stderr, "netinit-sign: %s: %s\n", pubp, strerror(-r));
		return 1;
	}
	char id[2 * NKEY_ID_LEN + 1];
	hex_encode(pub.id, NKEY_ID_LEN, id);
	printf("%s: secret key (keep it off the boot servers)\n%s: public key, id %s\n", sec, pubp, id);
	return 0;
}

static int cmd_sign(int argc, char **argv)
{
	const char *key = NULL, *name = NULL, *version = NULL, *output = NULL;
	struct manifest m;
	static const struct option lo[] = {
		{ "key", required_argument, NULL, 'k' }, { "name", required_argument, NULL, 'n' },
		{ "version", required_argument, NULL, 'v' },
		{ "unpacked-size", required_argument, NULL, 'u' },
		{ "output", required_argument, NULL, 'o' }, { 0 } };
	int c;
	memset(&m, 0, sizeof(m));
	while ((c = getopt_long(argc, argv, "", lo, NULL)) != -1) {
		char *end;
		switch (c) {
		case 'k': key = optarg; break;
		case 'n': name = optarg; break;
		case 'v': version = optarg; break;
		case 'o': output = optarg; break;
		case 'u':
			errno = 0;
			m.unpacked_size = strtoull(optarg, &end, 10);
			if (errno || *end || end == optarg || optarg[0] == '-')
				return usage();
			m.has_unpacked_size = true;
			break;
		default: return usage();
		}
	}
	if (argc - optind != 1 || !key)
		return usage();
	const char *image = argv[optind];
	struct nkey_secret sk;
	char err[512], text[MANIFEST_MAX], outpath[4096];
	if (nkey_load_secret(key, &sk, err, sizeof(err)) < 0) {
		fprintf(stderr, "netinit-sign: %s\n", err);
		return 1;
	}
	int r = sha256_of_file(image, m.sha256, &m.size);
	if (r < 0) {
		fprintf(stderr, "netinit-sign: %s: %s\n", image, strerror(-r));
		return 1;
	}
	char *tmp = strdup(image);
	if (!tmp) {
		fprintf(stderr, "netinit-sign: out of memory\n");
		return 1;
	}
	snprintf(m.name, sizeof(m.name), "%s", name ? name : basename(tmp));
	free(tmp);
	if (version) {
		snprintf(m.version, sizeof(m.version), "%s", version);
	} else {
		struct stat st;
		time_t t = stat(image, &st) == 0 ? st.st_mtime : time(NULL);
		strftime(m.version, sizeof(m.version), "%Y%m%dT%H%M%SZ", gmtime(&t));
	}
	int n = manifest_sign(&m, &sk, text, sizeof(text));
	sodium_memzero(&sk, sizeof(sk));
	if (n < 0) {
		fprintf(stderr, "netinit-sign: cannot sign: %s\n",
			n == -EINVAL ? "name/version must be printable without spaces (no '/' in name)"
				     : strerror(-n));
		return 2;
	}
	snprintf(outpath, sizeof(outpath), "%s", output ? output : "");
	if (!output)
		snprintf(outpath, sizeof(outpath), "%s.manifest", image);
	char tmpp[4200];
	snprintf(tmpp, sizeof(tmpp), "%s.tmp", outpath);
	FILE *f = fopen(tmpp, "we");
	if (!f || fwrite(text, 1, (size_t)n, f) != (size_t)n || fclose(f) != 0 ||
	    rename(tmpp, outpath) < 0) {
		fprintf(stderr, "netinit-sign: %s: %s\n", outpath, strerror(errno));
		return 1;
	}
	printf("%s: %s %s, %" PRIu64 " bytes\n", outpath, m.name, m.version, m.size);
	return 0;
}

static int cmd_verify(int argc, char **argv)
{
	const char *manifest = NULL;
	struct nkey_set ks = { .n = 0 };
	static const struct option lo[] = {
		{ "key", required_argument, NULL, 'k' },
		{ "manifest", required_argument, NULL, 'm' }, { 0 } };
	char err[512];
	int c;
	while ((c = getopt_long(argc, argv, "", lo, NULL)) != -1) {
		struct nkey_public pub;
		if (c == 'm') {
			manifest = optarg;
		} else if (c == 'k') {
			if (nkey_load_public(optarg, &pub, err, sizeof(err)) < 0) {
				fprintf(stderr, "netinit-sign: %s\n", err);
				return 1;
			}
			nkey_set_add(&ks, &pub);
		} else {
			return usage();
		}
	}
	if (argc - optind != 1 || !ks.n)
		return usage();
	const char *image = argv[optind];
	char mpath[4096], text[MANIFEST_MAX + 1];
	snprintf(mpath, sizeof(mpath), "%s", manifest ? manifest : "");
	if (!manifest)
		snprintf(mpath, sizeof(mpath), "%s.manifest", image);
	FILE *f = fopen(mpath, "re");
	if (!f) {
		fprintf(stderr, "netinit-sign: %s: %s\n", mpath, strerror(errno));
		return 1;
	}
	size_t len = fread(text, 1, sizeof(text), f);
	fclose(f);
	struct manifest m;
	if (manifest_load(text, len, &ks, &m, err, sizeof(err)) < 0) {
		fprintf(stderr, "netinit-sign: %s: %s\n", mpath, err);
		return 1;
	}
	uint8_t sha[SHA256_LEN];
	uint64_t size;
	int r = sha256_of_file(image, sha, &size);
	if (r < 0) {
		fprintf(stderr, "netinit-sign: %s: %s\n", image, strerror(-r));
		return 1;
	}
	char want[SHA256_HEX_LEN + 1], got[SHA256_HEX_LEN + 1];
	sha256_to_hex(m.sha256, want);
	sha256_to_hex(sha, got);
	if (size != m.size || memcmp(sha, m.sha256, SHA256_LEN) != 0) {
		fprintf(stderr, "netinit-sign: %s: MISMATCH: manifest says %" PRIu64 " bytes sha256 %s, "
			"file has %" PRIu64 " bytes sha256 %s\n", image, m.size, want, size, got);
		return 1;
	}
	printf("%s: good signature, %s %s, sha256 %s\n", image, m.name, m.version, got);
	return 0;
}

int main(int argc, char **argv)
{
	if (sodium_init() < 0)
		return 1;
	if (argc < 2)
		return usage();
	if (strcmp(argv[1], "keygen") == 0)
		return cmd_keygen(argc - 1, argv + 1);
	if (strcmp(argv[1], "sign") == 0)
		return cmd_sign(argc - 1, argv + 1);
	if (strcmp(argv[1], "verify") == 0)
		return cmd_verify(argc - 1, argv + 1);
	return usage();
}
