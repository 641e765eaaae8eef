// SPDX-License-Identifier: MIT
/*
 * cpio and tar header parsers: pure functions over untrusted bytes, tested
 * by tables (tests/unit/test_archive.c) and fuzzed (fuzz/fuzz_cpio.c,
 * fuzz/fuzz_tar.c).
 *
 * cpio "newc": the format of the kernel's initramfs
 * (Documentation/driver-api/early-userspace/buffer-format.rst).
 * tar: POSIX.1-2008 "ustar" and "pax" interchange formats (IEEE 1003.1,
 * pax utility, section "pax Interchange Format"), plus GNU tar's 'L'/'K'
 * long names and base-256 numbers, which GNU tar writes by default.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "archive.h"
#include "codec.h"

static int hex8(const uint8_t *p, uint32_t *out)
{
	uint32_t v = 0;
	for (int i = 0; i < 8; i++) {
		int d = hex_digit((char)p[i]);
		if (d < 0)
			return -EINVAL;
		v = v << 4 | (uint32_t)d;
	}
	*out = v;
	return 0;
}

static enum ar_type type_of_mode(uint32_t mode)
{
	switch (mode & S_IFMT) {
	case S_IFREG: return AR_FILE;
	case S_IFDIR: return AR_DIR;
	case S_IFLNK: return AR_SYMLINK;
	case S_IFCHR: return AR_CHR;
	case S_IFBLK: return AR_BLK;
	case S_IFIFO: return AR_FIFO;
	case S_IFSOCK: return AR_SOCK;
	default: return 0;
	}
}

int cpio_parse_header(const uint8_t hdr[110], struct ar_entry *e, uint32_t *namesize)
{
	uint32_t f[13];
	if (memcmp(hdr, "07070", 5) != 0 || (hdr[5] != '1' && hdr[5] != '2'))
		return -EINVAL;
	for (int i = 0; i < 13; i++)
		if (hex8(hdr + 6 + 8 * i, &f[i]) < 0)
			return -EINVAL;
	/* ino mode uid gid nlink mtime filesize devmajor devminor rdevmajor rdevminor namesize check */
	e->ino = f[0];
	e->mode = f[1] & 07777;
	e->type = type_of_mode(f[1]);
	e->uid = f[2], e->gid = f[3], e->nlink = f[4], e->mtime = f[5];
	e->size = f[6];
	e->dev_major = f[7], e->dev_minor = f[8];
	e->rdev_major = f[9], e->rdev_minor = f[10];
	*namesize = f[11];
	if (f[11] == 0 || f[11] > AR_PATH_MAX)
		return -EINVAL;
	if (!e->type && !(f[1] == 0 && f[6] == 0))
		return -EINVAL; /* the trailer has mode 0 */
	if (e->type == AR_SYMLINK && e->size >= AR_PATH_MAX)
		return -EINVAL;
	return 0;
}

/* Octal field: leading spaces, octal digits, then NUL/space to the end; or
 * GNU base-256 (high bit of the first byte set) for positive values. */
static int tar_num(const uint8_t *p, size_t n, uint64_t *out)
{
	uint64_t v = 0;
	size_t i = 0;
	if (p[0] & 0x80) {
		if (p[0] != 0x80)
			return -EINVAL; /* negative, or too large for us */
		for (i = 1; i < n; i++) {
			if (v >> 55)
				return -EINVAL;
			v = v << 8 | p[i];
		}
		*out = v;
		return 0;
	}
	while (i < n && p[i] == ' ')
		i++;
	for (; i < n && p[i] >= '0' && p[i] <= '7'; i++) {
		if (v >> 60)
			return -EINVAL;
		v = v << 3 | (uint64_t)(p[i] - '0');
	}
	for (; i < n; i++)
		if (p[i] != ' ' && p[i] != '\0')
			return -EINVAL;
	*out = v;
	return 0;
}

static int tar_checksum_ok(const uint8_t blk[512])
{
	uint64_t want;
	unsigned long usum = 0;
	long ssum = 0;
	if (tar_num(blk + 148, 8, &want) < 0)
		return 0;
	for (int i = 0; i < 512; i++) {
		uint8_t c = (i >= 148 && i < 156) ? ' ' : blk[i];
		usum += c;
		ssum += (signed char)c;
	}
	return want == usum || (long)want == ssum; /* old tars summed signed chars */
}

static void field_str(char *out, const uint8_t *p, size_t n)
{
	size_t l = strnlen((const char *)p, n);
	memcpy(out, p, l);
	out[l] = '\0';
}

static bool all_zero(const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i])
			return false;
	return true;
}

int tar_parse_header(const uint8_t blk[512], struct ar_entry *e, char *meta)
{
	uint64_t mode, uid, gid, size, mtime, dmaj, dmin;
	*meta = 0;
	if (all_zero(blk, 512))
		return 0;
	if (!tar_checksum_ok(blk))
		return -EINVAL;
	if (tar_num(blk + 100, 8, &mode) < 0 || tar_num(blk + 108, 8, &uid) < 0 ||
	    tar_num(blk + 116, 8, &gid) < 0 || tar_num(blk + 124, 12, &size) < 0 ||
	    tar_num(blk + 136, 12, &mtime) < 0)
		return -EINVAL;
	if (size > (1ull << 50))
		return -EINVAL;
	bool ustar = memcmp(blk + 257, "ustar", 5) == 0;
	bool posix = ustar && blk[262] == '\0';
	if (ustar) {
		if (tar_num(blk + 329, 8, &dmaj) < 0 || tar_num(blk + 337, 8, &dmin) < 0)
			return -EINVAL;
	} else {
		dmaj = dmin = 0;
	}
	char type = (char)blk[156];
	if (type == 'x' || type == 'g' || type == 'L' || type == 'K') {
		if (size > AR_META_MAX)
			return -EINVAL;
		*meta = type;
		e->size = size;
		return 1;
	}
	memset(e, 0, sizeof(*e));
	char name[101], prefix[156];
	field_str(name, blk, 100);
	prefix[0] = '\0';
	if (posix)
		field_str(prefix, blk + 345, 155);
	if (prefix[0])
		snprintf(e->path, sizeof(e->path), "%s/%s", prefix, name);
	else
		memcpy(e->path, name, strlen(name) + 1);
	field_str(e->link, blk + 157, 100);
	e->mode = (uint32_t)(mode & 07777);
	e->uid = (uint32_t)uid, e->gid = (uint32_t)gid;
	if (uid > UINT32_MAX || gid > UINT32_MAX || dmaj > UINT32_MAX || dmin > UINT32_MAX)
		return -EINVAL;
	e->mtime = (int64_t)mtime;
	e->size = size;
	e->rdev_major = (uint32_t)dmaj, e->rdev_minor = (uint32_t)dmin;
	switch (type) {
	case '0': case '\0': case '7': {
		size_t l = strlen(e->path);
		/* v7 archives mark directories with a trailing '/'; in ustar/GNU
		 * headers the name field may be a cut long name that ends so */
		e->type = !ustar && l && e->path[l - 1] == '/' ? AR_DIR : AR_FILE;
		break;
	}
	case '1': e->type = AR_HARDLINK; break;
	case '2': e->type = AR_SYMLINK; break;
	case '3': e->type = AR_CHR; break;
	case '4': e->type = AR_BLK; break;
	case '5': case 'D': e->type = AR_DIR; break;
	case '6': e->type = AR_FIFO; break;
	default: e->type = AR_SKIP; break; /* sparse, volume labels, ...: data skipped */
	}
	/* Only regular files carry data we write; the size of the others is skipped. */
	return 1;
}

static int pax_dec(const char *v, size_t n, uint64_t *out, bool frac_ok)
{
	uint64_t x = 0;
	size_t i = 0;
	if (n == 0)
		return -EINVAL;
	for (; i < n && v[i] >= '0' && v[i] <= '9'; i++) {
		if (x > (UINT64_MAX - 9) / 10)
			return -EINVAL;
		x = x * 10 + (uint64_t)(v[i] - '0');
	}
	if (i == 0)
		return -EINVAL;
	if (i < n && frac_ok && v[i] == '.') {
		for (i++; i < n && v[i] >= '0' && v[i] <= '9'; i++)
			;
	}
	if (i != n)
		return -EINVAL;
	*out = x;
	return 0;
}

int pax_apply(const char *rec, size_t len, struct ar_entry *e, unsigned *set)
{
	size_t pos = 0;
	while (pos < len) {
		size_t rl = 0, i = pos;
		/* "%d %s=%s\n": the length counts the whole record (POSIX pax). */
		for (; i < len && rec[i] >= '0' && rec[i] <= '9' && i - pos < 8; i++)
			rl = rl * 10 + (size_t)(rec[i] - '0');
		if (i == pos || i >= len || rec[i] != ' ' || rl < 5 || rl > len - pos ||
		    rec[pos + rl - 1] != '\n')
			return -EINVAL;
		const char *k = rec + i + 1;
		const char *end = rec + pos + rl - 1;
		const char *eq = memchr(k, '=', (size_t)(end - k));
		if (!eq || eq == k)
			return -EINVAL;
		size_t klen = (size_t)(eq - k), vlen = (size_t)(end - eq - 1);
		const char *v = eq + 1;
		if (memchr(v, '\0', vlen))
			return -EINVAL;
		uint64_t n;
		if (klen == 4 && memcmp(k, "path", 4) == 0) {
			if (vlen >= AR_PATH_MAX)
				return -EINVAL;
			memcpy(e->path, v, vlen), e->path[vlen] = '\0';
			*set |= PAX_PATH;
		} else if (klen == 8 && memcmp(k, "linkpath", 8) == 0) {
			if (vlen >= AR_PATH_MAX)
				return -EINVAL;
			memcpy(e->link, v, vlen), e->link[vlen] = '\0';
			*set |= PAX_LINK;
		} else if (klen == 4 && memcmp(k, "size", 4) == 0) {
			if (pax_dec(v, vlen, &n, false) < 0 || n > (1ull << 50))
				return -EINVAL;
			e->size = n, *set |= PAX_SIZE;
		} else if (klen == 3 && (memcmp(k, "uid", 3) == 0 || memcmp(k, "gid", 3) == 0)) {
			if (pax_dec(v, vlen, &n, false) < 0 || n > UINT32_MAX)
				return -EINVAL;
			if (k[0] == 'u')
				e->uid = (uint32_t)n, *set |= PAX_UID;
			else
				e->gid = (uint32_t)n, *set |= PAX_GID;
		} else if (klen == 5 && memcmp(k, "mtime", 5) == 0) {
			if (pax_dec(v, vlen, &n, true) < 0 || n > INT64_MAX)
				return -EINVAL;
			e->mtime = (int64_t)n, *set |= PAX_MTIME;
		}
		/* other keys (atime, uname, SCHILY.xattr.*, ...) are not needed */
		pos += rl;
	}
	return 0;
}

int ar_clean_path(const char *in, char *out, size_t outlen)
{
	size_t o = 0;
	if (in[0] == '/')
		return -EPERM;
	const char *p = in;
	while (*p) {
		while (*p == '/')
			p++;
		const char *s = p;
		while (*p && *p != '/')
			p++;
		size_t n = (size_t)(p - s);
		if (n == 0 || (n == 1 && s[0] == '.'))
			continue;
		if (n == 2 && s[0] == '.' && s[1] == '.')
			return -EPERM;
		if (o + n + 2 > outlen)
			return -ENAMETOOLONG;
		if (o)
			out[o++] = '/';
		memcpy(out + o, s, n);
		o += n;
	}
	out[o] = '\0';
	return 0;
}

enum ar_kind ar_detect(const uint8_t *buf, size_t len)
{
	if (len >= 6 && memcmp(buf, "07070", 5) == 0 && (buf[5] == '1' || buf[5] == '2'))
		return AR_CPIO;
	if (len >= 512 && !all_zero(buf, 512) && tar_checksum_ok(buf) &&
	    (memcmp(buf + 257, "ustar", 5) == 0 || buf[0] != '\0'))
		return AR_TAR;
	return AR_UNKNOWN;
}
