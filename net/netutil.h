/* SPDX-License-Identifier: MIT */
/* Internal helpers of the net module (netutil.c). */
#ifndef NETINIT_NETUTIL_H
#define NETINIT_NETUTIL_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <netinet/in.h>

/* Clock, random, files and MACs come from init/ (one of each helper). */
#include "codec.h"
#include "util.h"

#define NET_STAGE "net"
#define DHCP_STAGE "dhcp"

unsigned net_classful_prefix(struct in_addr a);
const char *net_escape(const void *data, size_t len, char *buf, size_t size);

#endif
