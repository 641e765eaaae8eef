/* SPDX-License-Identifier: MIT */
/*
 * What a transport (HTTP, TFTP) writes into: the image pipeline
 * (stream.c) or a small memory buffer (manifests).  The transport owns the
 * retry logic; the sink keeps the offset it resumes from.
 */
#ifndef NETINIT_SINK_H
#define NETINIT_SINK_H

#include <stddef.h>
#include <stdint.h>

#define SINK_SIZE_UNKNOWN UINT64_MAX

struct sink {
	/* Throw away everything received; the next byte written is byte 0. */
	int (*restart)(struct sink *s);
	/* The size of the whole object, known before its first byte (from
	 * Content-Length, Content-Range or tsize); may refuse (-ENOSPC,
	 * -EFBIG) with a logged reason.  Called again on a resumed transfer. */
	int (*expect)(struct sink *s, uint64_t total);
	int (*write)(struct sink *s, const uint8_t *buf, size_t len);
	uint64_t offset;   /* bytes accepted: where a resumed transfer starts */
	uint64_t total;    /* SINK_SIZE_UNKNOWN until expect() */
};

/* A sink into a fixed buffer (manifests): -EFBIG when it would overflow. */
struct mem_sink {
	struct sink sink;
	uint8_t *buf;
	size_t cap;
};
void mem_sink_init(struct mem_sink *m, uint8_t *buf, size_t cap);

#endif
