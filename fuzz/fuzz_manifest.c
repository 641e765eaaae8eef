// SPDX-License-Identifier: MIT
/* Manifests and public key lines (parse + verify against a fixed key). */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "manifest.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct manifest m;
	struct nkey_public pub;
	static struct nkey_set ks;
	char err[256];
	if (!ks.n) {
		static const char line[] = "netinit-ed25519-public "
			"KxMO9rjIQ0ABkD1ly1UNFBc/zJO0LUykXscHsbtLpYQ= fuzz\n";
		if (nkey_parse_public(line, sizeof(line) - 1, &ks.key[0], NULL, 0) == 0)
			ks.n = 1;
	}
	if (manifest_parse((const char *)data, size, &m, err, sizeof(err)) == 0) {
		if (m.signed_len > size)
			__builtin_trap();
		manifest_verify((const char *)data, size, &m, &ks);
	}
	nkey_parse_public((const char *)data, size, &pub, err, sizeof(err));
	return 0;
}
