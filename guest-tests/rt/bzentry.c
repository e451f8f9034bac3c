// SPDX-License-Identifier: MIT
/*
 * The C half of a guest packed as a bzImage (guest-tests/rt/bzhdr.S).
 * The VMM enters it as it enters Linux: the zero page in RSI, no boot-
 * info page of ours. The runtime's boot info is made up here from what
 * such a guest has: the command line from the zero page, the TSC's rate
 * from "tsc_early_khz=" (which the VMM appends for Linux guests), the
 * hypercall instruction from the CPU's vendor. Version 4: it has no
 * live exit count (rt_vm_exits() reads 0).
 */
#include "guest-tests/rt/rt.h"
#include "lib/string.h"

#define ZP_CMD_LINE_PTR 0x228	/* boot.rst, "cmd_line_ptr" */

static struct hv_boot_info bz_bi;

static bool cpu_is_amd(void)
{
	u32 a = 0, b, c, d;

	__asm__ volatile("cpuid" : "+a"(a), "=b"(b), "=c"(c), "=d"(d));
	return !memcmp(&b, "Auth", 4) && !memcmp(&d, "enti", 4) &&
	       !memcmp(&c, "cAMD", 4);
}

void rt_bz_start(const u8 *zero_page);
void rt_bz_start(const u8 *zero_page)
{
	const char *cmdline = (const char *)(u64)*(const u32 *)(zero_page +
							      ZP_CMD_LINE_PTR);

	bz_bi.magic = HV_GUEST_BOOTINFO_MAGIC;
	bz_bi.version = 4;
	bz_bi.vcpus = 1;
	bz_bi.hypercall_insn = cpu_is_amd() ? HV_HCALL_VMMCALL : HV_HCALL_VMCALL;
	bz_bi.vtimer_hz = HV_VTIMER_HZ;
	strlcpy(bz_bi.name, "bzImage", sizeof(bz_bi.name));
	if (cmdline)
		strlcpy(bz_bi.cmdline, cmdline, sizeof(bz_bi.cmdline));
	rt_bi = &bz_bi;
	bz_bi.tsc_hz = (u64)rt_cmdline_num("tsc_early_khz", 0) * 1000;
	rt_start(&bz_bi);
}
