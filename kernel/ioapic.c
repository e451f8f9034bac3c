// SPDX-License-Identifier: MIT
#define LOG_SUBSYS "ioapic"
#include "kernel/ioapic.h"
#include "kernel/log.h"
#include "kernel/mm.h"
#include "kernel/platform.h"
#include "kernel/spinlock.h"

/* Indirect register access (82093AA §3.1): select, then read/write. */
#define IOAPIC_REGSEL 0x00
#define IOAPIC_WIN 0x10
#define IOAPIC_MMIO_SIZE 0x20
#define IOAPIC_REG_VER 0x01
#define IOAPIC_REG_RTE(pin) (0x10 + 2 * (pin))
#define IOAPIC_VER_MAX_RTE(v) (((v) >> 16) & 0xff)

struct ioapic {
	volatile u32 *regs;
	u32 pins;
};

static struct ioapic ioapics[PLATFORM_MAX_IOAPICS];
static u32 nioapics;
static spinlock_t ioapic_lock = SPINLOCK_INIT; /* REGSEL/WIN pairs */

static u32 reg_read(const struct ioapic *io, u32 reg)
{
	io->regs[IOAPIC_REGSEL / 4] = reg;
	return io->regs[IOAPIC_WIN / 4];
}

static void reg_write(const struct ioapic *io, u32 reg, u32 v)
{
	io->regs[IOAPIC_REGSEL / 4] = reg;
	io->regs[IOAPIC_WIN / 4] = v;
}

u32 ioapic_init(void)
{
	u32 i, p, n = MIN(platform.madt.nioapics_stored, PLATFORM_MAX_IOAPICS);

	for (i = 0; i < n; i++) {
		struct ioapic *io = &ioapics[nioapics];

		io->regs = mmio_map(platform.ioapics[i].addr, IOAPIC_MMIO_SIZE);
		if (!io->regs)
			continue;
		io->pins = IOAPIC_VER_MAX_RTE(reg_read(io, IOAPIC_REG_VER)) + 1;
		for (p = 0; p < io->pins; p++)
			reg_write(io, IOAPIC_REG_RTE(p), (u32)IOAPIC_RTE_MASKED);
		pr_info("IOAPIC id %u at %#x: GSI %u-%u, all %u pins masked\n",
			platform.ioapics[i].id, platform.ioapics[i].addr,
			platform.ioapics[i].gsi_base,
			platform.ioapics[i].gsi_base + io->pins - 1, io->pins);
		nioapics++;
	}
	return nioapics;
}

int ioapic_find_gsi(u32 gsi, u32 *index, u32 *pin)
{
	u32 i;

	for (i = 0; i < nioapics; i++) {
		u32 base = platform.ioapics[i].gsi_base;

		if (gsi >= base && gsi - base < ioapics[i].pins) {
			*index = i;
			*pin = gsi - base;
			return 0;
		}
	}
	return -1;
}

u8 ioapic_id(u32 index)
{
	return platform.ioapics[index].id;
}

u64 ioapic_read_rte(u32 index, u32 pin)
{
	const struct ioapic *io = &ioapics[index];
	u64 flags = spin_lock_irqsave(&ioapic_lock);
	u64 rte = reg_read(io, IOAPIC_REG_RTE(pin)) |
		  (u64)reg_read(io, IOAPIC_REG_RTE(pin) + 1) << 32;

	spin_unlock_irqrestore(&ioapic_lock, flags);
	return rte;
}

/* Mask first, then the high half, then the low half with the final mask. */
void ioapic_write_rte(u32 index, u32 pin, u64 rte)
{
	const struct ioapic *io = &ioapics[index];
	u64 flags = spin_lock_irqsave(&ioapic_lock);

	reg_write(io, IOAPIC_REG_RTE(pin), (u32)IOAPIC_RTE_MASKED);
	reg_write(io, IOAPIC_REG_RTE(pin) + 1, (u32)(rte >> 32));
	reg_write(io, IOAPIC_REG_RTE(pin), (u32)rte);
	spin_unlock_irqrestore(&ioapic_lock, flags);
}

void ioapic_mask(u32 index, u32 pin)
{
	ioapic_write_rte(index, pin, ioapic_read_rte(index, pin) |
					     IOAPIC_RTE_MASKED);
}
