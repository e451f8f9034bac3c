// SPDX-License-Identifier: MIT
/*
 * priv: privileged operations the hypervisor does not allow.
 *   1. wrmsr to IA32_APIC_BASE (0x1b): the VMM injects #GP, which this
 *      guest catches and steps over (wrmsr is 2 bytes), as on a CPU that
 *      refuses the write.
 *   2. rdmsr of an MSR the VMM does not emulate (IA32_MTRRCAP... 0xfe):
 *      #GP as well.
 *   3. out to port 0x80, which the VMM does not emulate: the VMM stops
 *      the guest and reports the port. Nothing after it runs.
 */
#include "guest-tests/rt/rt.h"

static volatile u32 gp_count;

static bool on_gp(struct rt_frame *f)
{
	gp_count++;
	f->rip += 2;	/* wrmsr and rdmsr are 0f 30 / 0f 32 */
	return true;
}

int guest_main(const struct hv_boot_info *bi)
{
	rt_set_handler(13, on_gp);
	wrmsr(0x1b, 0);
	printf("priv: wrmsr 0x1b: %s\n", gp_count == 1 ? "#GP as expected" : "NO #GP");
	(void)rdmsr(0xfe);
	printf("priv: rdmsr 0xfe: %s\n", gp_count == 2 ? "#GP as expected" : "NO #GP");
	if (gp_count != 2)
		return 1;
	printf("priv: out to port 0x80 next\n");
	outb(0x80, 0x42);
	printf("priv: port 0x80 write was allowed\n");
	return 2;
}
