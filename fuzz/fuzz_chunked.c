// SPDX-License-Identifier: MIT
/* Chunked transfer decoding, fed in pieces whose sizes come from the input. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "http.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct http_chunked c;
	if (size < 1)
		return 0;
	size_t step = (size_t)data[0] % 17 + 1;
	data++, size--;
	uint8_t *buf = malloc(size + 1);
	memcpy(buf, data, size);
	http_chunked_init(&c);
	size_t pos = 0;
	while (pos < size && !c.done) {
		size_t n = size - pos < step ? size - pos : step, used;
		ssize_t d = http_chunked_decode(&c, buf + pos, n, &used);
		if (d < 0)
			break;
		if ((size_t)d > used || used > n)
			abort(); /* never more payload than input */
		pos += used;
	}
	free(buf);
	return 0;
}
