/* SPDX-License-Identifier: MIT */
#ifndef KERNEL_TRAP_H
#define KERNEL_TRAP_H

#include "lib/types.h"

/* The frame interrupt_common (kernel/entry.S) builds, lowest address first. */
struct regs {
	u64 r15, r14, r13, r12, r11, r10, r9, r8;
	u64 rbp, rdi, rsi, rdx, rcx, rbx, rax;
	u64 vector, error_code;
	u64 rip, cs, rflags, rsp, ss; /* pushed by the CPU */
};

/* Exception vectors (SDM Vol. 3A §6.3.1, Table 6-1). */
enum {
	EXC_DE = 0, EXC_DB = 1, EXC_NMI = 2, EXC_BP = 3, EXC_OF = 4,
	EXC_BR = 5, EXC_UD = 6, EXC_NM = 7, EXC_DF = 8, EXC_TS = 10,
	EXC_NP = 11, EXC_SS = 12, EXC_GP = 13, EXC_PF = 14, EXC_MF = 16,
	EXC_AC = 17, EXC_MC = 18, EXC_XM = 19, EXC_VE = 20, EXC_CP = 21,
};

/* Page-fault error code bits (SDM Vol. 3A §4.7, Figure 4-12). */
#define PF_PRESENT BIT(0)
#define PF_WRITE BIT(1)
#define PF_USER BIT(2)
#define PF_RSVD BIT(3)
#define PF_FETCH BIT(4)

/* Vectors handed out by irq_alloc_vector(). */
#define VEC_DYNAMIC_FIRST 0x30
#define VEC_DYNAMIC_LAST 0xdf

/* Fixed interrupt vectors used by the hypervisor itself. */
#define VEC_TIMER 0xf0
#define VEC_WAKE 0xf1 /* wakes an idle AP to look for work */
#define VEC_PANIC_STOP 0xfd
#define VEC_SPURIOUS 0xff

typedef void (*irq_handler_t)(struct regs *regs);

void idt_init(void);
void idt_load(void);
void irq_register(u8 vector, irq_handler_t handler);
/*
 * A free vector (VEC_DYNAMIC_FIRST..VEC_DYNAMIC_LAST) with handler
 * installed, for device and IOMMU interrupts; 0 if none is left.
 */
u8 irq_alloc_vector(irq_handler_t handler);
void irq_free_vector(u8 vector);
const char *exception_name(u64 vector);
void interrupt_dispatch(struct regs *regs);

#endif
