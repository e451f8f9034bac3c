// SPDX-License-Identifier: MIT
/*
 * The interrupt descriptor table (SDM Vol. 3A §6.14.1, Figure 6-8) and the
 * dispatch from the common entry path to exception and IRQ handlers.
 */
#define LOG_SUBSYS "idt"
#include "kernel/apic.h"
#include "kernel/gdt.h"
#include "kernel/log.h"
#include "kernel/trap.h"

#define GATE_INTERRUPT 0xeull
#define GATE_PRESENT BIT(15)
#define IDT_STUB_SIZE 16

struct idt_gate {
	u16 offset_lo;
	u16 selector;
	u16 flags; /* IST (bits 2:0), type (11:8), DPL, present */
	u16 offset_mid;
	u32 offset_hi;
	u32 reserved;
} __packed;

struct idt_ptr {
	u16 limit;
	u64 base;
} __packed;

extern const u8 idt_stubs[];
static struct idt_gate idt[256] __aligned(16);
static irq_handler_t irq_handlers[256];

void exception_handle(struct regs *regs);

static void set_gate(unsigned vec, u64 handler, unsigned ist)
{
	idt[vec] = (struct idt_gate){
		.offset_lo = handler & 0xffff,
		.selector = GDT_KERNEL_CS,
		.flags = (u16)(ist | GATE_INTERRUPT << 8 | GATE_PRESENT),
		.offset_mid = (handler >> 16) & 0xffff,
		.offset_hi = handler >> 32,
	};
}

/* Exceptions that can hit with a broken stack get stacks of their own. */
static unsigned ist_for(unsigned vec)
{
	switch (vec) {
	case EXC_DF:
		return IST_DOUBLE_FAULT;
	case EXC_NMI:
		return IST_NMI;
	case EXC_MC:
		return IST_MACHINE_CHECK;
	default:
		return 0;
	}
}

void idt_init(void)
{
	unsigned v;

	for (v = 0; v < 256; v++)
		set_gate(v, (u64)&idt_stubs[v * IDT_STUB_SIZE], ist_for(v));
}

void idt_load(void)
{
	struct idt_ptr ptr = { sizeof(idt) - 1, (u64)idt };

	__asm__ volatile("lidt %0" : : "m"(ptr));
}

void irq_register(u8 vector, irq_handler_t handler)
{
	irq_handlers[vector] = handler;
}

u8 irq_alloc_vector(irq_handler_t handler)
{
	unsigned v;

	for (v = VEC_DYNAMIC_FIRST; v <= VEC_DYNAMIC_LAST; v++)
		if (__sync_bool_compare_and_swap(&irq_handlers[v], NULL,
						 handler))
			return (u8)v;
	pr_err("no free interrupt vector\n");
	return 0;
}

void irq_free_vector(u8 vector)
{
	if (vector >= VEC_DYNAMIC_FIRST && vector <= VEC_DYNAMIC_LAST)
		__atomic_store_n(&irq_handlers[vector], NULL, __ATOMIC_RELEASE);
}

void interrupt_dispatch(struct regs *regs)
{
	u64 vec = regs->vector;

	if (vec < 32) {
		exception_handle(regs);
		return;
	}
	if (vec == VEC_SPURIOUS)
		return; /* the spurious vector takes no EOI (SDM §11.9) */
	if (irq_handlers[vec])
		irq_handlers[vec](regs);
	else
		pr_warn("unexpected interrupt vector %llu\n", vec);
	apic_eoi();
}
