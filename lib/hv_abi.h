/* SPDX-License-Identifier: MIT */
/*
 * The guest ABI: everything a guest may know about the hypervisor. Guests
 * include only this header and lib/; the VMM implements it (vmm/). The
 * prose version is docs/guest-abi.md.
 *
 * Entry: the guest's ELF64 image is loaded at its physical addresses
 * (p_paddr) and entered at e_entry in 64-bit long mode, CPL 0, interrupts
 * disabled, with:
 *   RDI = GPA of the boot-info page (struct hv_boot_info)
 *   RSP = top of guest RAM (16-byte aligned)
 *   CR3 = page tables the VMM built inside guest RAM (HV_GUEST_PT_BASE):
 *         identity map of all guest RAM, 2 MiB pages, RWX
 *   GDT at HV_GUEST_GDT_BASE: 0x08 64-bit code, 0x10 data
 *   CR0 = PE|MP|ET|NE|WP|PG, CR4 = PAE, EFER = LME|LMA|NXE
 * The low pages HV_GUEST_RESERVED_END are the VMM's (boot info, GDT, page
 * tables); an image must not load there.
 *
 * Hypercalls: VMMCALL on AMD SVM, VMCALL on Intel VMX (boot info field
 * hypercall_insn says which), number in RAX, arguments in RDI, RSI, RDX,
 * result in RAX (negative = error).
 */
#ifndef LIB_HV_ABI_H
#define LIB_HV_ABI_H

#include "lib/types.h"

/* Guest-physical layout the VMM sets up. */
#define HV_GUEST_BOOTINFO_GPA 0x1000ull
#define HV_GUEST_GDT_BASE 0x2000ull
#define HV_GUEST_PT_BASE 0x3000ull	/* PML4, PDPT, then one PD per GiB */
#define HV_GUEST_RESERVED_END 0x100000ull /* images load at or above 1 MiB */
#define HV_GUEST_LOAD_MIN HV_GUEST_RESERVED_END
/* The smallest guest: the reserved low MiB plus 1 MiB for the image. */
#define HV_GUEST_MIN_MEMORY (2 * HV_GUEST_RESERVED_END)

#define HV_GUEST_CS 0x08
#define HV_GUEST_DS 0x10

/* Hypercall numbers (RAX). */
enum hv_hypercall {
	HC_CONSOLE_WRITE = 1,	/* RDI = GPA of bytes, RSI = length (<= 4096);
				 * returns bytes written */
	HC_EXIT = 2,		/* RDI = status; does not return */
	HC_YIELD = 3,		/* give up the CPU briefly; returns 0 */
	HC_SLEEP_NS = 4,	/* RDI = ns; returns 0 (timer interrupts are
				 * still delivered when it ends) */
	HC_TIME_NS = 5,		/* returns ns since the guest started */
};

#define HC_ENOSYS (-38ll)
#define HC_EINVAL (-22ll)
#define HC_EFAULT (-14ll)

enum hv_hypercall_insn {
	HV_HCALL_VMMCALL = 0,	/* 0f 01 d9 */
	HV_HCALL_VMCALL = 1,	/* 0f 01 c1 */
};

/* Virtual 16550 UART: THR writes and LSR reads are emulated. */
#define HV_UART_BASE 0x3f8
#define HV_UART_THR 0		/* write: transmit a byte */
#define HV_UART_LSR 5		/* read: 0x60 (THR empty, idle) */
#define HV_UART_LSR_IDLE 0x60
#define HV_UART_LSR_THRE 0x20	/* bit 5: ready for the next byte */

/*
 * Virtual local APIC timer, x2APIC MSRs (SDM Vol. 3A §11.12.1.2, Table
 * 11-6). The timer counts at HV_VTIMER_HZ / divide.
 */
#define HV_MSR_X2APIC_EOI 0x80b
#define HV_MSR_X2APIC_LVT_TIMER 0x832
#define HV_MSR_X2APIC_TIMER_INIT 0x838
#define HV_MSR_X2APIC_TIMER_CUR 0x839
#define HV_MSR_X2APIC_TIMER_DIV 0x83e
#define HV_LVT_MASKED BIT(16)
#define HV_LVT_PERIODIC BIT(17)
#define HV_VTIMER_HZ 100000000ull	/* 100 MHz before the divider */

#define HV_GUEST_BOOTINFO_MAGIC 0x4f464e4954534748ull /* "HGSTINFO" */
#define HV_ABI_VERSION 5	/* 3: tsc_hz; 4: ecam_gpa (virtual PCI);
				 * 5: vm_exits */
#define HV_BI_MAX_MEM 8
#define HV_BI_MAX_DEV 4

struct hv_bi_mem {
	u64 gpa;
	u64 size;
};

#define HV_BI_DEV_VF 1		/* an igb (82576) virtual function */
#define HV_BI_DEV_PCI 2		/* a whole PCI function */

/*
 * Assigned devices' registers appear in the guest-physical window
 * [HV_GUEST_MMIO_BASE, 4 GiB), one HV_GUEST_MMIO_STRIDE slot per device;
 * the VMM identity-maps that window uncached in the guest's initial page
 * tables. DMA addresses a device is given are guest-physical: the IOMMU
 * translates them with the guest's own memory map.
 */
#define HV_GUEST_MMIO_BASE 0xf0000000ull
#define HV_GUEST_MMIO_STRIDE 0x00100000ull
/*
 * Virtual PCI (docs/vpci.md), for guests with assigned devices: BARs may
 * be placed anywhere in [HV_GUEST_MMIO_BASE, HV_GUEST_MMIO_END); the
 * virtual ECAM window for bus 0 (1 MiB, 4 KiB per function) is at
 * HV_GUEST_ECAM_GPA, in the same uncached GiB below the BAR window.
 * Ports 0xCF8/0xCFC (type 1) reach the same functions.
 */
#define HV_GUEST_MMIO_END 0xfe000000ull
#define HV_GUEST_ECAM_GPA 0xe0000000ull
#define HV_GUEST_ECAM_SIZE 0x00100000ull

struct hv_bi_dev {
	u16 segment;
	u8 bus, dev, fn;	/* as the host numbers it, for the log */
	u8 kind;		/* HV_BI_DEV_* */
	u16 reserved;
	u64 mmio_gpa;		/* its register BAR in guest-physical space */
	u64 mmio_size;
};

/* The page at RDI on entry. */
struct hv_boot_info {
	u64 magic;		/* HV_GUEST_BOOTINFO_MAGIC */
	u32 version;		/* HV_ABI_VERSION */
	u32 vcpus;
	u32 hypercall_insn;	/* enum hv_hypercall_insn */
	u32 nmem;
	struct hv_bi_mem mem[HV_BI_MAX_MEM];	/* guest RAM ranges */
	u32 ndev;
	u32 reserved;
	struct hv_bi_dev dev[HV_BI_MAX_DEV];
	u64 vtimer_hz;		/* HV_VTIMER_HZ */
	char name[16];
	char cmdline[256];
	/*
	 * Since version 3: the TSC's frequency as the hypervisor calibrated it,
	 * or 0 if unknown. RDTSC is not intercepted (no TSC offset), so a guest
	 * reads time without a VM exit.
	 */
	u64 tsc_hz;
	/* Since version 4: the virtual ECAM for bus 0; 0: no virtual PCI. */
	u64 ecam_gpa;
	/*
	 * Since version 5: the VM exits this guest has taken so far, of every
	 * kind, stored by the VMM before each re-entry. A guest reads it
	 * without an exit; what it writes here is overwritten.
	 */
	u64 vm_exits;
};

/* A guest's exit status when the VMM had to stop it (not an HC_EXIT). */
#define HV_STATUS_STOPPED (-1ll)

#endif
