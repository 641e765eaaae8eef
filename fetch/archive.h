/* SPDX-License-Identifier: MIT */
/*
 * Streaming, safe unpacking of cpio (newc) and tar (ustar, pax, GNU long
 * names) archives into a directory, as the bytes arrive.
 *
 * Safety rules (issue 4, point 7), enforced here and tested in
 * tests/unit/test_archive.c and tests/integration/fetch-archive.sh:
 *  - a name that is absolute or contains a ".." component aborts the unpack;
 *  - every path is walked one component at a time below the target with
 *    O_NOFOLLOW|O_DIRECTORY: nothing is ever created through a symlink, and a
 *    symlink entry followed by a file of the same path replaces the symlink;
 *  - hard link targets are walked the same way, so they stay in the tree;
 *  - numeric fields are parsed strictly, sizes bounded (names, pax records),
 *    and the total of unpacked bytes is capped (decompression bombs);
 *  - device nodes, fifos, ownership and setuid/setgid bits are kept (a root
 *    filesystem needs them), but only ever below the target.
 */
#ifndef NETINIT_ARCHIVE_H
#define NETINIT_ARCHIVE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define AR_PATH_MAX   4096
#define AR_META_MAX   65536  /* largest pax header / GNU long name accepted */

enum ar_kind { AR_UNKNOWN = 0, AR_CPIO, AR_TAR };

enum ar_type { AR_FILE = 1, AR_DIR, AR_SYMLINK, AR_HARDLINK, AR_CHR, AR_BLK, AR_FIFO,
	       AR_SOCK, AR_SKIP };

/* One entry, as decoded from a header (and pax/GNU overrides). */
struct ar_entry {
	char path[AR_PATH_MAX];
	char link[AR_PATH_MAX];    /* symlink target or hard link source */
	enum ar_type type;
	uint32_t mode;             /* permission bits incl. setuid/setgid/sticky */
	uint32_t uid, gid;
	int64_t mtime;
	uint64_t size;             /* data bytes following the header */
	uint32_t rdev_major, rdev_minor;
	uint32_t nlink, ino, dev_major, dev_minor; /* cpio hard links */
};

/* Which format starts with these bytes (at least 512 for tar, 6 for cpio);
 * AR_UNKNOWN when none. */
enum ar_kind ar_detect(const uint8_t *buf, size_t len);

/* cpio "newc" (070701) and "crc" (070702) header, 110 bytes: fills e except
 * path; *namesize is the name length including its NUL. 0 or -EINVAL. */
int cpio_parse_header(const uint8_t hdr[110], struct ar_entry *e, uint32_t *namesize);

/* tar header block: 1 = entry in e, 0 = zero block (end), -EINVAL bad
 * checksum or field.  *meta: 'x', 'g', 'L', 'K' for a metadata block whose
 * e->size bytes follow (e unchanged except size), else 0. */
int tar_parse_header(const uint8_t blk[512], struct ar_entry *e, char *meta);

/* pax extended header records ("%d key=value\n"...) applied to e (path,
 * linkpath, size, uid, gid, mtime).  0 or -EINVAL. */
int pax_apply(const char *rec, size_t len, struct ar_entry *e, unsigned *set);
#define PAX_PATH 1u
#define PAX_LINK 2u
#define PAX_SIZE 4u
#define PAX_UID 8u
#define PAX_GID 16u
#define PAX_MTIME 32u

/* Normalize an archive member name: strips "./" prefixes and repeated or
 * trailing '/'; "" for the root itself.  -EPERM for absolute names and ".."
 * components, -ENAMETOOLONG.  */
int ar_clean_path(const char *in, char *out, size_t outlen);

struct archive;

/* rootfd: the target directory (duplicated; caller keeps its own).
 * rootfd < 0: parse only (fuzzing, tests).  limit: most bytes of file data
 * to write (0: no limit). */
struct archive *archive_new(int rootfd, uint64_t limit);
void archive_free(struct archive *a);
/* Feed the next bytes of the (decompressed) archive. 0 or -errno; after an
 * error archive_error() says why. */
int archive_feed(struct archive *a, const uint8_t *buf, size_t len);
/* End of input: -EBADMSG when the archive is truncated. */
int archive_finish(struct archive *a);
const char *archive_error(const struct archive *a);
enum ar_kind archive_kind(const struct archive *a);
uint64_t archive_bytes(const struct archive *a);   /* file data written */
uint64_t archive_entries(const struct archive *a);

#endif
