/* SPDX-License-Identifier: MIT */
/*
 * Byte encodings shared by init, net/, fetch/ and the host tools: hex,
 * base64 (RFC 4648 section 4) and MAC addresses.  Pure functions, no I/O,
 * no allocation; every decoder refuses what it does not fully understand.
 */
#ifndef NETINIT_CODEC_H
#define NETINIT_CODEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Value of one hex digit (either case), or -1. */
int hex_digit(char c);
/* Lowercase hex of n bytes; out holds 2n+1 (NUL-terminated). */
void hex_encode(const uint8_t *in, size_t n, char *out);
/* Exactly 2n hex digits (hex[0..len), len must be 2n) -> n bytes.
 * lower_only refuses 'A'-'F' (one spelling per hash in manifests).
 * 0 or -EINVAL. */
int hex_decode(const char *hex, size_t len, uint8_t *out, size_t n, bool lower_only);

/* Standard alphabet base64 of s[0..len).  With need_pad the '=' padding to a
 * multiple of 4 is required, else it is optional; leftover bits must be zero
 * (one encoding per value).  Returns the decoded length or -EINVAL
 * (malformed, or more than max bytes). */
int base64_decode(const char *s, size_t len, uint8_t *out, size_t max, bool need_pad);

/* "aa:bb:cc:dd:ee:ff": six groups of exactly two hex digits (either case)
 * separated by sep; sep 0 takes ':' or '-' (as written by ISC dhcpd, dnsmasq
 * and pxelinux BOOTIF=), the same one throughout.  Nothing may follow.
 * 0 or -EINVAL. */
int mac_parse(const char *s, char sep, uint8_t mac[6]);
/* Lowercase, sep between the groups; out holds 18 bytes.  Returns out. */
char *mac_format(const uint8_t mac[6], char sep, char out[18]);
/* All six bytes zero (no address). */
bool mac_is_zero(const uint8_t mac[6]);

#endif
