/* SPDX-License-Identifier: MIT */
/*
 * Validators shared by the command line parser (init/cmdline*.c), net/
 * (names and paths from DHCP) and netinit-export (server/): one rule of each
 * kind.  Pure: no I/O, no allocation, never abort.  The *_n forms check
 * s[0..n) (need not be NUL-terminated).
 */
#ifndef NETINIT_VALIDATE_H
#define NETINIT_VALIDATE_H

#include <stdbool.h>
#include <stddef.h>
#include <netinet/in.h>

/* ASCII classes, locale-free (the kernel's lib/ctype.c for the ASCII range). */
static inline bool ch_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}
static inline bool ch_digit(char c) { return c >= '0' && c <= '9'; }
static inline bool ch_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
static inline bool ch_alnum(char c) { return ch_alpha(c) || ch_digit(c); }

/* Printable ASCII without space (URLs, paths, options) / with space (labels). */
bool graph_only(const char *s);
bool print_only(const char *s);
/* Copy all of src (or src[0..n)) and terminate, or copy nothing and return
 * false when it does not fit: a value is committed whole or not at all. */
bool copy_str(char *dst, size_t size, const char *src);
bool copy_mem(char *dst, size_t size, const char *src, size_t n);
bool starts_with(const char *s, const char *prefix);

/* Strict decimal: optional '-', digits only, within [min, max]. */
bool valid_int(const char *s, long min, long max, int *out);
/* dracut's getargbool spellings (1/yes/on/true, 0/no/off/false); NULL is true. */
bool valid_bool(const char *s, bool *out);
/* Dotted quad only (inet_pton is strict: no octal, no short forms). */
bool valid_ip4(const char *s, struct in_addr *out);
bool valid_ip4_n(const char *s, size_t n, struct in_addr *out);

/* Linux dev_valid_name(): 1..15 bytes, not "." or "..", no '/', ':' or space. */
bool ifname_valid_n(const char *s, size_t n);
/* Module names as modprobe takes them: letters, digits, '_' and '-'. */
bool modname_valid_n(const char *s, size_t n);
/* A writable directory: one simple path component, never "." or "..". */
bool dirname_valid_n(const char *s, size_t n);
/* Host name rule shared by cmdline, DHCP and the per-host layer:
 * RFC 1123 section 2.1 labels (letters, digits, '-', not at a label's ends,
 * may start with a digit), 1-63 bytes a label, 253 in all (RFC 1035 2.3.4). */
bool hostname_valid(const char *name);
/* A host: an IPv4 dotted quad (when it looks numeric) or an RFC 1123 name. */
bool host_valid_n(const char *s, size_t n);
/* Light URL syntax check: http:// or tftp://, host (name or IPv4), optional
 * port, no space or control characters.  NULL when fine, else what is wrong. */
const char *url_problem(const char *url);

#endif
