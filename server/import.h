/* SPDX-License-Identifier: MIT */
/* import: host lists in, one nodes.d drop-in out.  See import.c. */
#ifndef NETINIT_EXPORT_IMPORT_H
#define NETINIT_EXPORT_IMPORT_H

#include "export.h"

struct imp_entry {
	char name[64];
	uint8_t mac[6];
	struct in_addr ip;
	unsigned line;
};

struct import {
	const char *file;   /* the input, for the reports */
	struct imp_entry *e;
	size_t n, cap;
	unsigned skipped;   /* lines not taken (each reported) */
};

void imp_skip(struct import *im, unsigned line, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
bool imp_add(struct import *im, unsigned line, const char *name, const char *ip, const char *mac);
void imp_read_hosts(struct import *im, char *text);
void imp_read_ethers(struct import *im, char *text, char *hosts);
void imp_read_dhcpd(struct import *im, char *text);
void imp_read_dnsmasq(struct import *im, char *text);

#endif
