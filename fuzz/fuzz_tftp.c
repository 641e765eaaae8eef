// SPDX-License-Identifier: MIT
/* TFTP packets from a server: DATA, ACK, ERROR, OACK, and the OACK check. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "tftp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tftp_packet p;
	struct tftp_options req = { .blksize = 1468, .windowsize = 16, .has_tsize = true };
	char why[128];
	if (tftp_parse(data, size, &p) == 0 && p.op == TFTP_OACK)
		tftp_check_oack(&req, &p.opts, why, sizeof(why));
	return 0;
}
