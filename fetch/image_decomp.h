/* SPDX-License-Identifier: MIT */
/*
 * A compressed stream (gzip, zstd, xz) is a filesystem image or an archive: only
 * its decompressed first bytes say which.  stream.c hands every decompressed
 * byte to image_decomp_out(): it keeps the first STREAM_HEAD bytes, detects
 * the inner format (fetch/stream.c's magic table), checks the decompressed
 * size against the space (the manifest's unpacked-size, else the
 * filesystem's own superblock), then opens the target as that format (an
 * image file in RAM, or a tree to unpack into) and sends the bytes on.  The
 * download stays one streamed pass; the hash is over the bytes as served.
 */
#ifndef NETINIT_IMAGE_DECOMP_H
#define NETINIT_IMAGE_DECOMP_H

#include <stddef.h>
#include <stdint.h>

struct stream;

/* Decompressed bytes: buffered until the format is known, then written to
 * the image file or fed to the archive unpacker.  0 or -errno (s->err). */
int image_decomp_out(struct stream *s, const uint8_t *p, size_t n);
/* The end of the stream: a decompressed stream shorter than STREAM_HEAD is
 * detected and delivered now.  0 or -errno (s->err). */
int image_decomp_finish(struct stream *s);

/* xz (liblzma, CONFIG_XZ), for fetch/stream.c's decompressor switch: the
 * decoder state in s->dec; the bytes as served in, the decompressed bytes
 * to image_decomp_out().  A stream's end sets s->dec_end; stream padding
 * (zeros) and a concatenated stream after it are taken (xz format 2.2).
 * 0 or -errno (s->err).  Without CONFIG_XZ, init refuses with a message. */
int image_xz_init(struct stream *s);
int image_xz_feed(struct stream *s, const uint8_t *p, size_t n);
void image_xz_free(void *dec);

/* The size a filesystem image says it has, from its first bytes (len up to
 * STREAM_HEAD): ext2/3/4 blocks x block size, squashfs bytes_used, erofs
 * blocks x block size.  0 when it cannot be told. */
uint64_t image_fs_size(const uint8_t *head, size_t len);

#endif
