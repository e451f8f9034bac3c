// SPDX-License-Identifier: MIT
#include "guest-tests/rt/rt.h"

int guest_main(const struct hv_boot_info *bi)
{
	printf("pcattack: alive, cmdline \"%s\"\n", bi->cmdline);
	return 0;
}
