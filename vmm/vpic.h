/* SPDX-License-Identifier: MIT */
/*
 * A pair of 8259A interrupt controllers (master at 0x20, slave at 0xa0,
 * cascaded on master IR2) for Linux guests: what the legacy ISA interrupt
 * of the virtual 16550 (IRQ 4) needs to reach the guest's LINT0 (ExtINT)
 * when there is no I/O APIC. Intel 8259A datasheet: ICW1-4 (init), OCW1
 * (mask), OCW2 (EOI), OCW3 (IRR/ISR read, poll, special mask mode).
 * Fixed priority (IR0 highest), edge-triggered inputs, 8086 vectors.
 * The vector base is taken as programmed, even 0x00-0x1f: the guest
 * then gets its own exception vectors as interrupts, as a PC would give
 * them. Pure: host-tested in tests/unit/test_vpic.c.
 */
#ifndef VMM_VPIC_H
#define VMM_VPIC_H

#include "lib/types.h"

#define VPIC_MASTER_CMD 0x20
#define VPIC_MASTER_DATA 0x21
#define VPIC_SLAVE_CMD 0xa0
#define VPIC_SLAVE_DATA 0xa1
#define VPIC_CASCADE_IRQ 2
#define VPIC_NIRQ 16

/* Command-port bytes (datasheet "Initialization Command Words",
 * "Operation Command Words"). */
#define PIC_ICW1 BIT(4)			/* with A0=0: start initialization */
#define PIC_ICW1_IC4 BIT(0)		/* an ICW4 follows */
#define PIC_ICW1_SNGL BIT(1)		/* single: no ICW3 */
#define PIC_OCW3 BIT(3)			/* with bit 4 clear: OCW3, else OCW2 */
#define PIC_OCW3_RR BIT(1)		/* read register command */
#define PIC_OCW3_RIS BIT(0)		/* ... the ISR (else the IRR) */
#define PIC_OCW3_POLL BIT(2)		/* next read: the poll word */
#define PIC_OCW3_SMM BIT(5)		/* special mask mode on/off ... */
#define PIC_OCW3_ESMM BIT(6)		/* ... if this bit is set */
#define PIC_POLL_INT BIT(7)		/* poll word: an interrupt, level in 2:0 */
#define PIC_OCW2_EOI BIT(5)
#define PIC_OCW2_SL BIT(6)		/* specific: level in bits 2:0 */
#define PIC_OCW2_LEVEL 7u
#define PIC_ICW4_AEOI BIT(1)
#define PIC_VECTOR_MASK 0xf8u		/* ICW2: T7-T3 */

struct vpic_chip {
	u8 irr, isr, imr;
	u8 base;		/* ICW2 & 0xf8 */
	u8 init_step;		/* 0: ready; 2, 3, 4: expecting that ICW */
	bool icw4, single, aeoi, read_isr;
	bool poll;		/* OCW3 poll: the next command-port read */
	bool smm;		/* special mask mode: ISR does not block */
	bool ready;		/* initialized at least once */
};

struct vpic {
	struct vpic_chip chip[2];	/* master, slave */
};

bool vpic_owns_port(u16 port);
/* One byte at port (a vpic_owns_port() one); in: *val is set. */
void vpic_io(struct vpic *p, u16 port, bool in, u32 *val);
/* A rising edge on input irq (0..15). */
void vpic_raise(struct vpic *p, u32 irq);
/* The vector the pair would deliver now, or 0. */
u8 vpic_pending(const struct vpic *p);
/* The CPU took it (the INTA cycle): IRR -> ISR, unless auto-EOI. */
void vpic_accept(struct vpic *p);

#endif
