/* SPDX-License-Identifier: MIT */
/*
 * The MSRs a VMX guest owns (docs/vmm.md, "Guest MSRs on VMX"). What SVM
 * keeps in the VMCB and moves with VMLOAD/VMSAVE, VMX splits in two:
 *
 * - FS/GS base and SYSENTER_CS/ESP/EIP have guest-state fields in the
 *   VMCS: every entry loads the guest's, every exit saves them and loads
 *   the host's (SDM Vol. 3C §26.3.2.1, §27.3.1, §27.5.1).
 * - KERNEL_GS_BASE, STAR, LSTAR, CSTAR, SFMASK (and TSC_AUX when RDTSCP
 *   is enabled) are not in the VMCS. They go in the MSR areas (§24.7.2,
 *   §24.8.2): the VM-entry MSR-load area gives the guest its values, the
 *   VM-exit MSR-store area (the same list) keeps what the guest wrote,
 *   and the VM-exit MSR-load area puts the host's back.
 *
 * Both kinds are read and written by the guest without an exit (their
 * MSR-bitmap bits are cleared); the host never sees the guest's values
 * and the guest never sees the host's. Pure code: the vmx backend
 * allocates the pages and reads the host's values.
 */
#ifndef VMM_VMX_MSR_H
#define VMM_VMX_MSR_H

#include "lib/types.h"
#include "vmm/vmx_regs.h"

/* At most this many MSRs are swapped through the areas. */
#define VMX_SWAP_MSRS_MAX 8

/* Lets the guest read (read) and/or write (write) msr without an exit;
 * false if the bitmap cannot name msr (then every access exits). */
bool vmx_msr_bitmap_allow(u8 *bitmap, u32 msr, bool read, bool write);

/*
 * Opens bitmap (all ones: every access exits) for the guest-owned MSRs
 * and writes the swapped ones into swap[] with value 0, the guest's first
 * value. tsc_aux: RDTSCP/RDPID are enabled, so the guest owns TSC_AUX
 * too. Returns the number of swap entries (at most VMX_SWAP_MSRS_MAX).
 */
u32 vmx_guest_msrs(u8 *bitmap, struct vmx_msr_entry *swap, bool tsc_aux);

#endif
