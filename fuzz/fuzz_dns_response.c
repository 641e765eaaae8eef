/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target for the DNS answer parser and name decoder (net/dns.c),
 * which also decodes DHCP option 119, and for the resolv.conf reader.
 * The first two bytes are the id we "sent"; the question is
 * boot.example.org.  Invariants: no read outside the input, the parser
 * ends, a name read is a NUL-terminated string of at most 253 bytes.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dns.h"
#include "dhcp.h"
#include "log.h"

#define CHECK(c) do { if (!(c)) abort(); } while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char names[NET_MAX_SEARCH][NET_NAME_MAX];
	static char text[4096];
	struct in_addr a, servers[4];
	size_t ns, nsearch, pos = 0;
	char name[NET_NAME_MAX];
	uint16_t id;
	int r;

	log_set_level(0);
	if (size < 2)
		return 0;
	id = (uint16_t)(data[0] << 8 | data[1]);
	r = dns_parse_response(data, size, id, "boot.example.org", &a);
	CHECK(r == 0 || r == -ENOENT || r == -EAGAIN || r == -EBADMSG);
	r = dhcp_parse_search(data + 2, size - 2, names, NET_MAX_SEARCH);
	CHECK(r <= NET_MAX_SEARCH);
	if (dns_name_read(data, size, &pos, name, sizeof(name)) == 0) {
		CHECK(strlen(name) < NET_NAME_MAX && pos <= size);
	}
	memcpy(text, data, size < sizeof(text) - 1 ? size : sizeof(text) - 1);
	text[size < sizeof(text) - 1 ? size : sizeof(text) - 1] = '\0';
	dns_parse_resolv_conf(text, servers, &ns, 4, names, &nsearch, NET_MAX_SEARCH);
	CHECK(ns <= 4 && nsearch <= NET_MAX_SEARCH);
	return 0;
}
