// SPDX-License-Identifier: MIT
/* cpio archives through the streaming unpacker (parse only, no files). */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "archive.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ar_entry e;
	uint32_t ns;
	if (size >= 110)
		cpio_parse_header(data, &e, &ns);
	/* force the cpio path: prefix the magic when the input lacks it */
	static uint8_t buf[1 << 16];
	if (size + 6 > sizeof(buf))
		return 0;
	memcpy(buf, "070701", 6);
	memcpy(buf + 6, data, size);
	struct archive *a = archive_new(-1, 1 << 20);
	size_t step = size % 97 + 1;
	int r = 0;
	for (size_t pos = 0; pos < size + 6 && r == 0; pos += step)
		r = archive_feed(a, buf + pos, size + 6 - pos < step ? size + 6 - pos : step);
	if (r == 0)
		archive_finish(a);
	archive_free(a);
	return 0;
}
