/* SPDX-License-Identifier: MIT */
/*
 * The stages between init/main.c and the network, fetch and hook modules.
 * Each takes the parsed command line and the boot state it may fill in.
 */
#ifndef NETINIT_BOOT_H
#define NETINIT_BOOT_H

#include <stdio.h>

#include "cmdline.h"

struct net_lease;

struct boot_state {
	int have_net;          /* a lease or static address is configured */
	char hostname[254];    /* validated (hostname_valid()), "" if none */
	char ifname[16];
	char ipaddr[16];
	struct net_lease *lease; /* when the network is up */
};

int boot_network_up(const struct cmdline *cl, struct boot_state *bs);
int boot_network_root(const struct cmdline *cl, struct boot_state *bs, const char *newroot);
void boot_handover(const struct cmdline *cl, struct boot_state *bs, const char *newroot);
void boot_hooks(const struct cmdline *cl, enum boot_stage stage, struct boot_state *bs);
void boot_print_config(const struct cmdline *cl, FILE *out);

/* Applets provided by the optional modules, appended to init/main.c's table. */
int dhcp_main(int argc, char **argv);  /* net/net.h */
int fetch_main(int argc, char **argv); /* fetch/fetch.h */
#define BOOT_EXTRA_APPLETS \
	{ "dhcp", dhcp_main, "IFACE...     run the DHCP client alone and print the lease" }, \
	{ "fetch", fetch_main, "URL OUT      download (verify, unpack) an image as the boot does" },

#endif
