/* SPDX-License-Identifier: MIT */
/*
 * QEMU's "edu" educational PCI device (1234:11e8; QEMU docs/specs/edu.rst,
 * hw/misc/edu.c): a tiny DMA master with a 4 KiB buffer at device address
 * 0x40000 and one MSI vector. The hypervisor uses it as a known DMA and
 * interrupt source for the IOMMU self-tests. This driver knows nothing of
 * the IOMMU: it moves bytes to and from bus addresses it is given and
 * programs whatever MSI address/data it is handed.
 */
#ifndef DRIVERS_EDU_H
#define DRIVERS_EDU_H

#include "kernel/pci_cfg.h"
#include "lib/types.h"

#define EDU_VENDOR 0x1234
#define EDU_DEVICE 0x11e8

/* BAR0 registers (edu.rst). */
#define EDU_REG_ID 0x00		/* 0xRRrr00ed: major.minor version */
#define EDU_REG_ALIVE 0x04	/* reads back the inverse of what was written */
#define EDU_REG_IRQ_STATUS 0x24
#define EDU_REG_IRQ_RAISE 0x60	/* ORs the value into IRQ_STATUS, raises */
#define EDU_REG_IRQ_ACK 0x64	/* clears the bits written */
#define EDU_REG_DMA_SRC 0x80
#define EDU_REG_DMA_DST 0x88
#define EDU_REG_DMA_CNT 0x90
#define EDU_REG_DMA_CMD 0x98
#define EDU_DMA_RUN BIT(0)
#define EDU_DMA_TO_RAM BIT(1)	/* 1: buffer -> RAM, 0: RAM -> buffer */
#define EDU_DMA_IRQ BIT(2)	/* raise IRQ_STATUS 0x100 when done */

#define EDU_BUF_ADDR 0x40000	/* the device's buffer in its own space */
#define EDU_BUF_SIZE 4096
/* edu truncates RAM-side addresses to its dma_mask (28 bits by default). */
#define EDU_DMA_LIMIT (1ull << 28)

struct edu {
	struct pci_addr addr;
	u16 rid;
	volatile u8 *regs;
	u8 msi_cap;		/* config offset of the MSI capability, 0 none */
};

/* Finds the first edu on bus 0 of segment 0 and enables MMIO + bus
 * mastering. Returns 0, or -1 if there is none. */
int edu_find(struct edu *e);

/*
 * One DMA of len bytes (<= EDU_BUF_SIZE) between bus address bus_addr and
 * the device buffer at offset buf_off, waiting up to timeout_ms for the
 * device to finish. Returns 0, or -1 on a bad argument or time-out.
 */
int edu_dma(struct edu *e, bool to_ram, u64 bus_addr, u32 buf_off, u32 len,
	    u32 timeout_ms);

/* Programs and enables MSI (one vector) with this address/data. */
void edu_msi_set(struct edu *e, u64 address, u32 data);
void edu_msi_disable(struct edu *e);
void edu_irq_raise(struct edu *e, u32 bits);
void edu_irq_ack(struct edu *e, u32 bits);

#endif
