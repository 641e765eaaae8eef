/* SPDX-License-Identifier: MIT */
/* Internal helpers of the net module (netutil.c). */
#ifndef NETINIT_NETUTIL_H
#define NETINIT_NETUTIL_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <netinet/in.h>

#define NET_STAGE "net"
#define DHCP_STAGE "dhcp"

unsigned net_classful_prefix(struct in_addr a);
const char *net_escape(const void *data, size_t len, char *buf, size_t size);
int64_t net_now_ms(void);
uint32_t net_random(uint32_t salt);
int net_format_mac(const uint8_t mac[6], char *buf, size_t size);
int net_parse_mac(const char *s, uint8_t mac[6]);
int net_write_file_at(int dirfd, const char *name, const char *data, size_t len, mode_t mode);

#endif
