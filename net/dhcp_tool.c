/* SPDX-License-Identifier: MIT */
/* build/netinit-dhcp: `init dhcp` as a stand-alone host tool. */
#include "net.h"

int main(int argc, char **argv)
{
	return dhcp_main(argc, argv);
}
