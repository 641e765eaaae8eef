// SPDX-License-Identifier: MIT
/* HTTP response heads: status line and headers (http_parse_head). */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "http.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct http_response r;
	size_t end = http_head_end((const char *)data, size);
	http_parse_head((const char *)data, end ? end : size, &r);
	if (size > 4)
		http_parse_status((const char *)data, size, &r.minor, &r.status);
	http_parse_date((const char *)data, size);
	return 0;
}
