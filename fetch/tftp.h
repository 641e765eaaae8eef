/* SPDX-License-Identifier: MIT */
/*
 * TFTP packets (RFC 1350) with option negotiation (RFC 2347): blksize
 * (RFC 2348), tsize (RFC 2349), windowsize (RFC 7440).  Pure functions,
 * table-tested (tests/unit/test_tftp.c) and fuzzed (fuzz/fuzz_tftp.c).
 */
#ifndef NETINIT_TFTP_H
#define NETINIT_TFTP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum { TFTP_RRQ = 1, TFTP_WRQ = 2, TFTP_DATA = 3, TFTP_ACK = 4, TFTP_ERROR = 5, TFTP_OACK = 6 };
enum { TFTP_ENOTFOUND = 1, TFTP_EACCESS = 2, TFTP_EBADOP = 4, TFTP_EBADID = 5,
       TFTP_EOPTNEG = 8 };

#define TFTP_BLKSIZE_MIN 8       /* RFC 2348 */
#define TFTP_BLKSIZE_MAX 65464
#define TFTP_WINDOW_MAX 65535    /* RFC 7440 */
#define TFTP_PKT_MAX (TFTP_BLKSIZE_MAX + 4)

struct tftp_options {
	unsigned blksize;     /* 0: not present */
	unsigned windowsize;  /* 0: not present */
	bool has_tsize;
	uint64_t tsize;
};

struct tftp_packet {
	int op;
	uint16_t block;              /* DATA, ACK */
	const uint8_t *data;         /* DATA payload */
	size_t datalen;
	uint16_t errcode;            /* ERROR */
	char errmsg[128];
	struct tftp_options opts;    /* OACK */
};

/* RRQ "file\0octet\0" + requested options; length or -ENOSPC/-EINVAL. */
int tftp_build_rrq(uint8_t *buf, size_t cap, const char *file, const struct tftp_options *o);
int tftp_build_ack(uint8_t *buf, size_t cap, uint16_t block);
int tftp_build_error(uint8_t *buf, size_t cap, uint16_t code, const char *msg);

/* Parse a packet from the server (DATA, ACK, ERROR, OACK): 0 or -EINVAL. */
int tftp_parse(const uint8_t *buf, size_t len, struct tftp_packet *p);

/* Does an OACK answer our request validly (RFC 2347: only options we
 * asked for; blksize and windowsize no larger than asked)?  0 or -EPROTO
 * with the reason in why. */
int tftp_check_oack(const struct tftp_options *req, const struct tftp_options *got,
		    char *why, size_t whylen);

#endif
