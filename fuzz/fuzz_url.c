// SPDX-License-Identifier: MIT
/* URL parsing, formatting round trip, resolution and %h/%m expansion. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "url.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char s[2048], out[4096];
	struct url u, v;
	const uint8_t mac[6] = { 1, 2, 3, 4, 5, 6 };
	if (size >= sizeof(s))
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	if (url_parse(s, &u) == 0) {
		/* what we print, we parse back to the same thing */
		if (url_format(&u, out, sizeof(out)) < 0 || url_parse(out, &v) != 0 ||
		    strcmp(u.host, v.host) || strcmp(u.path, v.path) || u.port != v.port)
			abort();
		url_resolve(&u, s + size / 2, &v);
		url_with_suffix(&u, ".manifest", &v);
	}
	url_expand(s, "node1", mac, out, sizeof(out));
	url_decode_path(s, out, sizeof(out));
	return 0;
}
