// SPDX-License-Identifier: MIT
/*
 * hello: prints through the console hypercall and the virtual 16550,
 * checks its boot info, and exits with the status its command line names
 * ("status=N", default 0).
 */
#include "guest-tests/rt/rt.h"

int guest_main(const struct hv_boot_info *bi)
{
	u64 t0 = rt_time_ns(), t1;

	printf("hello from guest %s (%u vCPU, %llu MiB, cmdline \"%s\")\n",
	       bi->name, bi->vcpus, bi->mem[0].size >> 20, bi->cmdline);
	uart_puts("hello through the 16550\n");
	t1 = rt_time_ns();
	printf("hypercall time advances: %s\n", t1 > t0 ? "yes" : "NO");
	return (int)rt_cmdline_num("status", 0);
}
