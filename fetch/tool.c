// SPDX-License-Identifier: MIT
/* build/netinit-fetch: `init fetch` as a host tool for the tests and the
 * benchmark (the same library code; the lead wires fetch_main() into
 * init/main.c as well). */
#include "fetch.h"

int main(int argc, char **argv)
{
	return fetch_main(argc, argv);
}
