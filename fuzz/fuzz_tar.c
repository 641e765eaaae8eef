// SPDX-License-Identifier: MIT
/* tar headers (ustar, GNU), pax records, and whole archives through the
 * streaming unpacker (parse only, no files). */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "archive.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ar_entry e;
	unsigned set = 0;
	char meta;
	char clean[AR_PATH_MAX];
	if (size >= 512)
		tar_parse_header(data, &e, &meta);
	memset(&e, 0, sizeof(e));
	pax_apply((const char *)data, size, &e, &set);
	if (size < AR_PATH_MAX) {
		char s[AR_PATH_MAX];
		memcpy(s, data, size);
		s[size] = '\0';
		/* a clean path is relative and has no ".." component */
		if (ar_clean_path(s, clean, sizeof(clean)) == 0) {
			if (clean[0] == '/')
				__builtin_trap();
			for (char *c = clean; c; c = strchr(c, '/') ? strchr(c, '/') + 1 : NULL)
				if (c[0] == '.' && c[1] == '.' && (c[2] == '/' || c[2] == '\0'))
					__builtin_trap();
		}
	}
	struct archive *a = archive_new(-1, 1 << 20);
	size_t step = size % 509 + 1;
	int r = 0;
	for (size_t pos = 0; pos < size && r == 0; pos += step)
		r = archive_feed(a, data + pos, size - pos < step ? size - pos : step);
	if (r == 0)
		archive_finish(a);
	archive_free(a);
	return 0;
}
