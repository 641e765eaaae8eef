// SPDX-License-Identifier: MIT
/*
 * The whole image pipeline on hostile bytes: format detection, gzip/zstd/xz
 * decompression (with its window and bomb limits) and the cpio/tar
 * unpacker in parse-only mode, fed in pieces, with a restart in the middle
 * (what a server answering a resume with 200 causes).
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "stream.h"

static int open_parse_only(void *ctx, enum stream_fmt fmt, int *fd)
{
	(void)ctx;
	*fd = -1; /* archives: parse only; images: not stored */
	return fmt == FMT_UNKNOWN ? -1 : 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct stream s;
	struct stream_target t = { NULL, open_parse_only, NULL };
	uint8_t sha[SHA256_LEN];
	if (size < 1)
		return 0;
	size_t step = (size_t)data[0] * 7 + 1;
	data++, size--;
	stream_init(&s, &t, -1, "fuzz");
	s.space = 64 << 20;
	s.hash = true;
	s.quiet = true;
	int r = 0;
	for (int round = 0; round < 2 && r == 0; round++) {
		size_t stop = round == 0 ? size / 2 : size;
		for (size_t pos = 0; pos < stop && r == 0; pos += step)
			r = s.sink.write(&s.sink, data + pos, stop - pos < step ? stop - pos : step);
		if (round == 0)
			s.sink.restart(&s.sink);
	}
	if (r == 0)
		stream_finish(&s, sha);
	stream_free(&s);
	return 0;
}
