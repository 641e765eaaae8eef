/* SPDX-License-Identifier: MIT */
/*
 * Small helpers shared by the net module: address formatting, masks, and
 * the validation rules for values that come off the network
 * (doc/network.md, "Untrusted values").
 */
#include "net.h"
#include "netutil.h"
#include "cmdline.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

const char *net_ntoa(struct in_addr a, char *buf)
{
	if (!inet_ntop(AF_INET, &a, buf, INET_ADDRSTRLEN))
		strcpy(buf, "?");
	return buf;
}

int net_mask_to_prefix(struct in_addr mask)
{
	uint32_t m = ntohl(mask.s_addr);
	int p = 0;

	while (p < 32 && (m & 0x80000000u)) {
		m <<= 1;
		p++;
	}
	return m ? -1 : p;
}

struct in_addr net_prefix_to_mask(unsigned prefix)
{
	struct in_addr a;

	a.s_addr = prefix == 0 ? 0 : htonl(0xffffffffu << (32 - (prefix > 32 ? 32 : prefix)));
	return a;
}

/* RFC 791 classes, the kernel's ipconfig fallback when no mask is given. */
unsigned net_classful_prefix(struct in_addr a)
{
	uint32_t h = ntohl(a.s_addr);

	if ((h & 0x80000000u) == 0)
		return 8;
	if ((h & 0xc0000000u) == 0x80000000u)
		return 16;
	return 24;
}

/* Domain names (options 12, 15, 119, 66): the host name rule of
 * cmdline.h (RFC 1123 LDH labels, 63 a label, 253 in all). */
bool net_domain_valid(const char *name)
{
	return name && name[0] && hostname_valid(name);
}

/*
 * root-path (option 17) and bootfile (option 67 / file): 1..254 bytes of
 * printable ASCII from the set  A-Z a-z 0-9 . _ - ~ / : @ % + , = [ ]
 * (enough for "server:/path,opts", "nfs:...", URLs without query strings,
 * IPv6 literals).  Refused: spaces, controls, NUL, quotes, backslash and
 * the shell metacharacters ; & | $ ` < > ( ) * ? { } ! # and a ".."
 * path segment.  A value that fails is dropped (never "cleaned") and logged.
 */
bool net_path_valid(const char *path)
{
	static const char extra[] = "._-~/:@%+,=[]";
	size_t i, n;

	if (!path)
		return false;
	n = strlen(path);
	if (n == 0 || n >= NET_PATH_MAX - 1)
		return false;
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)path[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || strchr(extra, c)))
			return false;
		/* ".." as a whole segment: between '/', ':', ',' or the ends */
		if (c == '.' && i + 1 < n && path[i + 1] == '.' &&
		    (i == 0 || strchr("/:,=", path[i - 1])) &&
		    (i + 2 == n || strchr("/:,", path[i + 2])))
			return false;
	}
	return true;
}

/* Make untrusted bytes printable for a log line: \xNN for anything that
 * is not graphic ASCII, cut at 80 bytes. */
const char *net_escape(const void *data, size_t len, char *buf, size_t size)
{
	const unsigned char *p = data;
	size_t i, o = 0;

	for (i = 0; i < len && i < 80 && o + 5 < size; i++) {
		if (p[i] > 0x20 && p[i] < 0x7f && p[i] != '\\')
			buf[o++] = (char)p[i];
		else
			o += (size_t)snprintf(buf + o, size - o, "\\x%02x", p[i]);
	}
	if (i < len && o + 4 < size) {
		memcpy(buf + o, "...", 3);
		o += 3;
	}
	buf[o < size ? o : size - 1] = '\0';
	return buf;
}

int64_t net_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_BOOTTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/*
 * Random bits for xids, jitter and DNS ids.  As PID 1 early in boot the
 * kernel pool may not be initialised: never block; fall back to a mix of
 * the clock and the caller's salt (a MAC), which is enough for xids.
 */
uint32_t net_random(uint32_t salt)
{
	static uint32_t state;
	uint32_t r;

	if (getrandom(&r, sizeof(r), GRND_NONBLOCK) == (ssize_t)sizeof(r))
		return r;
	if (!state) {
		struct timespec ts;

		clock_gettime(CLOCK_MONOTONIC, &ts);
		state = (uint32_t)ts.tv_nsec ^ (uint32_t)ts.tv_sec * 2654435761u ^ (uint32_t)getpid();
	}
	state ^= salt;
	/* xorshift32 */
	state ^= state << 13;
	state ^= state >> 17;
	state ^= state << 5;
	return state;
}

int net_format_mac(const uint8_t mac[6], char *buf, size_t size)
{
	return snprintf(buf, size, "%02x:%02x:%02x:%02x:%02x:%02x",
			mac[0], mac[1], mac[2], mac[3], mac[4], mac[5]);
}

int net_parse_mac(const char *s, uint8_t mac[6])
{
	unsigned v[6];
	char tail;
	int i;

	if (sscanf(s, "%2x:%2x:%2x:%2x:%2x:%2x%c", &v[0], &v[1], &v[2], &v[3], &v[4], &v[5], &tail) != 6 &&
	    sscanf(s, "%2x-%2x-%2x-%2x-%2x-%2x%c", &v[0], &v[1], &v[2], &v[3], &v[4], &v[5], &tail) != 6)
		return -EINVAL;
	for (i = 0; i < 6; i++)
		mac[i] = (uint8_t)v[i];
	return 0;
}

/* Write a whole file atomically: temp file in the same directory, fsync
 * is not needed (tmpfs /run), rename. */
int net_write_file_at(int dirfd, const char *name, const char *data, size_t len, mode_t mode)
{
	char tmp[300];
	int fd, r = 0;
	size_t off = 0;

	if (snprintf(tmp, sizeof(tmp), ".%s.tmp", name) >= (int)sizeof(tmp))
		return -ENAMETOOLONG;
	fd = openat(dirfd, tmp, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, mode);
	if (fd < 0)
		return -errno;
	while (off < len) {
		ssize_t n = write(fd, data + off, len - off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			r = n < 0 ? -errno : -EIO;
			break;
		}
		off += (size_t)n;
	}
	if (close(fd) < 0 && r == 0)
		r = -errno;
	if (r == 0 && renameat(dirfd, tmp, dirfd, name) < 0)
		r = -errno;
	if (r < 0)
		unlinkat(dirfd, tmp, 0);
	return r;
}
