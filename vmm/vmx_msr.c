// SPDX-License-Identifier: MIT
/*
 * The MSRs a VMX guest owns: MSR-bitmap bits and the list the VMM swaps
 * through the VM-entry/VM-exit MSR areas (vmm/vmx_msr.h says why).
 */
#include "kernel/cpu.h"
#include "vmm/vmx_msr.h"

/* Guest-state fields of the VMCS hold these: nothing to swap. They may
 * not be in an MSR-load area anyway (FS/GS base, §26.4). */
static const u32 vmcs_msrs[] = {
	MSR_FS_BASE, MSR_GS_BASE, MSR_SYSENTER_CS, MSR_SYSENTER_ESP,
	MSR_SYSENTER_EIP,
};

/* The SYSCALL MSRs and the SWAPGS target: only the MSR areas move them;
 * TSC_AUX last, as it is there only with RDTSCP. */
static const u32 swapped_msrs[] = {
	MSR_KERNEL_GS_BASE, MSR_STAR, MSR_LSTAR, MSR_CSTAR, MSR_SFMASK,
	MSR_TSC_AUX,
};
_Static_assert(ARRAY_SIZE(swapped_msrs) <= VMX_SWAP_MSRS_MAX,
	       "the swap list fits its area");

bool vmx_msr_bitmap_allow(u8 *bitmap, u32 msr, bool read, bool write)
{
	u32 base = 0, rd = MSR_BITMAP_READ_LOW, wr = MSR_BITMAP_WRITE_LOW;
	u8 mask;

	if (msr >= MSR_BITMAP_HIGH_BASE) {
		base = MSR_BITMAP_HIGH_BASE;
		rd = MSR_BITMAP_READ_HIGH;
		wr = MSR_BITMAP_WRITE_HIGH;
	}
	if (msr - base >= MSR_BITMAP_RANGE)
		return false;
	mask = (u8)~BIT((msr - base) % 8);
	if (read)
		bitmap[rd + (msr - base) / 8] &= mask;
	if (write)
		bitmap[wr + (msr - base) / 8] &= mask;
	return true;
}

u32 vmx_guest_msrs(u8 *bitmap, struct vmx_msr_entry *swap, bool tsc_aux)
{
	u32 i, n = ARRAY_SIZE(swapped_msrs) - !tsc_aux;

	for (i = 0; i < ARRAY_SIZE(vmcs_msrs); i++)
		vmx_msr_bitmap_allow(bitmap, vmcs_msrs[i], true, true);
	for (i = 0; i < n; i++) {
		vmx_msr_bitmap_allow(bitmap, swapped_msrs[i], true, true);
		swap[i] = (struct vmx_msr_entry){ .index = swapped_msrs[i] };
	}
	return n;
}
