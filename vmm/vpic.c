// SPDX-License-Identifier: MIT
/*
 * Virtual 8259A pair (see vmm/vpic.h). The chip registers follow the
 * datasheet; what is left out is what Linux does not use on a PC and
 * is ignored when asked for: rotating priorities (OCW2 R, SL without
 * EOI), level-triggered inputs (ICW1 LTIM), buffered and MCS-80 modes
 * (ICW4). A chip in the middle of its ICW sequence delivers nothing.
 */
#include "vmm/vpic.h"

#define MASTER 0
#define SLAVE 1

bool vpic_owns_port(u16 port)
{
	return port == VPIC_MASTER_CMD || port == VPIC_MASTER_DATA ||
	       port == VPIC_SLAVE_CMD || port == VPIC_SLAVE_DATA;
}

/* Highest-priority (lowest) set bit, or -1. */
static int lowest_bit(u8 bits)
{
	return bits ? __builtin_ctz(bits) : -1;
}

static void eoi(struct vpic_chip *c, u8 ocw2)
{
	int irq = (ocw2 & PIC_OCW2_SL) ? (int)(ocw2 & PIC_OCW2_LEVEL) :
					 lowest_bit(c->isr);

	if (irq >= 0)
		c->isr &= (u8)~BIT(irq);
}

static void write_cmd(struct vpic_chip *c, u8 v)
{
	if (v & PIC_ICW1) {
		/* ICW1 clears the mask and the pending edges */
		c->imr = c->isr = c->irr = 0;
		c->icw4 = v & PIC_ICW1_IC4;
		c->single = v & PIC_ICW1_SNGL;
		c->aeoi = false;
		c->read_isr = false;
		c->poll = c->smm = false;
		c->init_step = 2;
	} else if (v & PIC_OCW3) {
		if (v & PIC_OCW3_RR)
			c->read_isr = v & PIC_OCW3_RIS;
		if (v & PIC_OCW3_ESMM)
			c->smm = v & PIC_OCW3_SMM;
		c->poll = v & PIC_OCW3_POLL;
	} else if (v & PIC_OCW2_EOI) {
		eoi(c, v);
	}
}

/* The ICW that follows ICW1, or OCW1 (the mask) once initialized. */
static void write_data(struct vpic_chip *c, u8 v)
{
	switch (c->init_step) {
	case 2:
		c->base = v & PIC_VECTOR_MASK;
		c->init_step = c->single ? (c->icw4 ? 4 : 0) : 3;
		break;
	case 3:		/* cascade wiring: fixed here */
		c->init_step = c->icw4 ? 4 : 0;
		break;
	case 4:
		c->aeoi = v & PIC_ICW4_AEOI;
		c->init_step = 0;
		break;
	default:
		c->imr = v;
		return;
	}
	if (!c->init_step)
		c->ready = true;
}

void vpic_raise(struct vpic *p, u32 irq)
{
	if (irq < 8)
		p->chip[MASTER].irr |= (u8)BIT(irq);
	else if (irq < VPIC_NIRQ)
		p->chip[SLAVE].irr |= (u8)BIT(irq - 8);
}

/* The chip's input it would deliver: unmasked, above anything in
 * service (in special mask mode, whatever is in service). */
static int chip_pending(const struct vpic_chip *c, u8 extra_irr)
{
	int irq = lowest_bit((c->irr | extra_irr) & (u8)~c->imr);
	int busy = c->smm ? -1 : lowest_bit(c->isr);

	if (!c->ready || c->init_step || irq < 0 || (busy >= 0 && busy <= irq))
		return -1;
	return irq;
}

/* The slave's request shows on the master's cascade input. */
static u8 cascade_irr(const struct vpic *p)
{
	return chip_pending(&p->chip[SLAVE], 0) >= 0 ?
	       (u8)BIT(VPIC_CASCADE_IRQ) : 0;
}

/*
 * What the next INTA cycle takes: the master's input, or through its
 * cascade input the slave's. false: nothing to deliver.
 */
static bool next_irq(const struct vpic *p, int *chip, int *irq)
{
	u8 cascade = cascade_irr(p);
	int m = chip_pending(&p->chip[MASTER], cascade);

	if (m < 0)
		return false;
	if (m == VPIC_CASCADE_IRQ && cascade) {
		*chip = SLAVE;
		*irq = chip_pending(&p->chip[SLAVE], 0);
	} else {
		*chip = MASTER;
		*irq = m;
	}
	return true;
}

u8 vpic_pending(const struct vpic *p)
{
	int chip, irq;

	return next_irq(p, &chip, &irq) ? (u8)(p->chip[chip].base + irq) : 0;
}

static void take(struct vpic_chip *c, int irq)
{
	c->irr &= (u8)~BIT(irq);
	if (!c->aeoi)
		c->isr |= (u8)BIT(irq);
}

/*
 * Poll mode: the read is the INTA cycle; it gives the highest request's
 * level with bit 7, or 0. The master reports the cascade (level 2) for a
 * slave request, which the slave's own poll then names.
 */
static u8 poll_read(struct vpic *p, struct vpic_chip *c)
{
	u8 extra = c == &p->chip[MASTER] ? cascade_irr(p) : 0;
	int irq = chip_pending(c, extra);

	c->poll = false;
	if (irq < 0)
		return 0;
	take(c, irq);
	return PIC_POLL_INT | (u8)irq;
}

void vpic_io(struct vpic *p, u16 port, bool in, u32 *val)
{
	struct vpic_chip *c = &p->chip[port >= VPIC_SLAVE_CMD ? SLAVE : MASTER];
	bool data = port & 1;

	if (in) {
		if (!data && c->poll)
			*val = poll_read(p, c);
		else
			*val = data ? c->imr : c->read_isr ? c->isr : c->irr;
		return;
	}
	if (data)
		write_data(c, (u8)*val);
	else
		write_cmd(c, (u8)*val);
}

void vpic_accept(struct vpic *p)
{
	struct vpic_chip *m = &p->chip[MASTER];
	int chip, irq;

	if (!next_irq(p, &chip, &irq))
		return;
	take(&p->chip[chip], irq);
	/* the master's cascade input is in service with the slave's */
	if (chip == SLAVE && !m->aeoi)
		m->isr |= (u8)BIT(VPIC_CASCADE_IRQ);
}
