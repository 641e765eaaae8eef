/* SPDX-License-Identifier: MIT */
/*
 * Lease renewal while PID 1 still runs (RFC 2131 section 4.4.5): a long
 * download with a short lease must not lose its address mid-boot.  At T1
 * the client unicasts a DHCPREQUEST (RENEWING: ciaddr set, no server id or
 * requested address) to the server; from T2 on it broadcasts it
 * (REBINDING).  A DHCPACK extends the lease in place: the same struct is
 * what net_handover() writes for the booted system.
 */
#ifndef NETINIT_RENEW_H
#define NETINIT_RENEW_H

#include "net.h"

#define RENEW_RETRY_MIN_S 4 /* RFC 2131 says 60; boot leases can be 20 s */

/* Called often (each stage, every download progress line); does nothing
 * before T1, never blocks.  Updates *l and the address lifetime on ACK. */
void net_renew_tick(struct net_lease *l);

/* Build and check the messages (no I/O), for the tests. */
int net_renew_build(const struct net_lease *l, uint32_t xid, uint8_t *buf, size_t size);
/* 1 = ACK applied to *l, 0 = not for us / ignored, -EACCES = NAK. */
int net_renew_reply(struct net_lease *l, uint32_t xid, const uint8_t *msg, size_t len,
		    double now);

#endif
