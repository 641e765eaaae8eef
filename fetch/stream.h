/* SPDX-License-Identifier: MIT */
/*
 * The image pipeline: bytes in from a transport -> sha256 -> format
 * detection by magic -> (image) a file, or (archive) gzip/zstd
 * decompression -> cpio/tar unpack.  One pass, bounded buffers: the image is
 * never held twice.
 */
#ifndef NETINIT_STREAM_H
#define NETINIT_STREAM_H

#include <stdbool.h>
#include <stdint.h>

#include <sodium.h>

#include "archive.h"
#include "manifest.h"
#include "sink.h"

#define STREAM_HEAD 2048   /* bytes buffered to detect the format */

enum stream_fmt {
	FMT_UNKNOWN = 0,
	FMT_SQUASHFS,
	FMT_EROFS,
	FMT_EXT4,
	FMT_ARCHIVE,       /* cpio or tar, maybe compressed */
};

enum stream_comp { COMP_NONE = 0, COMP_GZIP, COMP_ZSTD, COMP_XZ };
/* "gzip", "zstd", "xz" or "plain" */
const char *stream_comp_name(enum stream_comp c);

/* Format of an image from its first bytes (len up to STREAM_HEAD); for
 * compressed data, only the compression is known (FMT_ARCHIVE is returned:
 * the decompressed head decides, fetch/image_decomp.c). */
enum stream_fmt stream_detect(const uint8_t *buf, size_t len, enum stream_comp *comp);
const char *stream_fmt_name(enum stream_fmt f);

/* Where the bytes go; called after detection (again after a restart). */
struct stream_target {
	void *ctx;
	/* fmt known: return in *fd a file to write the image into (images),
	 * or a directory to unpack into (FMT_ARCHIVE).  -EMEDIUMTYPE refuses
	 * the format.  Returning 1 (and no fd) means "do not decode": the
	 * bytes only go to raw_fd and the hash. */
	int (*open)(void *ctx, enum stream_fmt fmt, int *fd);
	/* Throw away what open() created (restart, wrong hash, failure). */
	void (*discard)(void *ctx);
};

struct stream {
	struct sink sink;             /* must be first */
	struct stream_target target;
	int raw_fd;                   /* >= 0: every byte also written here */
	uint64_t space;               /* bytes the target may hold (0: unchecked) */
	uint64_t unpacked_hint;       /* manifest unpacked-size, 0: unknown */
	const char *label;            /* for progress and log lines */
	bool quiet;                   /* no progress lines (tests, fuzzing) */

	/* state */
	bool hash;                    /* compute sha256 (verification configured) */
	crypto_hash_sha256_state sha;
	uint8_t head[STREAM_HEAD];
	size_t headlen;
	enum stream_fmt fmt;
	enum stream_comp comp;
	int out_fd;                   /* image file, or -1 */
	struct archive *ar;
	void *dec;                    /* z_stream, ZSTD_DStream or image_decomp.c's xz state */
	uint8_t *decbuf;
	bool passthrough;             /* target took the raw bytes only */
	bool dec_end;                 /* the compressed stream ended */
	uint64_t decoded;
	/* a compressed stream: its decompressed head, and what it turned out to be
	 * (fetch/image_decomp.c): an image file, or an archive */
	uint8_t ihead[STREAM_HEAD];
	size_t iheadlen;
	enum stream_fmt inner;        /* FMT_UNKNOWN until the head is full */
	uint64_t image_limit;         /* the size the image's superblock gives, 0: unknown */
	double t_start, t_last;       /* progress */
	char err[512];
};

int stream_init(struct stream *s, const struct stream_target *t, int raw_fd, const char *label);
void stream_free(struct stream *s);
/* End of the transfer: flush the decompressor, finish the archive, close
 * the image; the hash is in *sha.  0 or -errno with s->err set. */
int stream_finish(struct stream *s, uint8_t sha[SHA256_LEN]);
/* For fetch/image_decomp.c: open the target as a tree and unpack the first
 * n decompressed bytes into it; then more.  0 or -errno (s->err). */
int stream_archive_open(struct stream *s, const uint8_t *p, size_t n);
int stream_archive_feed(struct stream *s, const uint8_t *p, size_t n);
/* Final "N bytes in S s, X MB/s" log line. */
void stream_report(const struct stream *s);

#endif
