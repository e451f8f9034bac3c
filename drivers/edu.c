// SPDX-License-Identifier: MIT
/*
 * Driver for QEMU's edu device; see edu.h. Config-space layout from the
 * PCI Local Bus Specification 3.0 (header 6.1, MSI capability 6.8.1).
 */
#define LOG_SUBSYS "edu"
#include "drivers/edu.h"
#include "kernel/cpu.h"
#include "kernel/log.h"
#include "kernel/mm.h"
#include "kernel/timer.h"

#define PCI_VENDOR_ID 0x00
#define PCI_COMMAND 0x04
#define PCI_COMMAND_MEMORY BIT(1)
#define PCI_COMMAND_MASTER BIT(2)
#define PCI_COMMAND_INTX_DISABLE BIT(10)
#define PCI_STATUS 0x06
#define PCI_STATUS_CAP_LIST BIT(4)
#define PCI_BAR0 0x10
#define PCI_BAR_MEM_MASK 0xfffffff0u
#define PCI_BAR_64BIT 0x4
#define PCI_CAP_PTR 0x34
#define PCI_CAP_ID_MSI 0x05
/* MSI capability (6.8.1): control at +2, address at +4, then upper
 * address at +8 and data at +12 when 64-bit capable, else data at +8. */
#define MSI_CTRL 2
#define MSI_CTRL_ENABLE BIT(0)
#define MSI_CTRL_QSIZE (7u << 4)
#define MSI_CTRL_64BIT BIT(7)
#define MSI_ADDR_LO 4
#define MSI_ADDR_HI 8
#define MSI_DATA_32 8
#define MSI_DATA_64 12

#define EDU_REGS_SIZE 0x100

static u8 find_cap(struct pci_addr a, u8 id)
{
	u8 p, n;

	if (!(pci_cfg_read16(a, PCI_STATUS) & PCI_STATUS_CAP_LIST))
		return 0;
	p = pci_cfg_read8(a, PCI_CAP_PTR) & ~3;
	for (n = 0; p >= 0x40 && n < 48; n++) {
		if (pci_cfg_read8(a, p) == id)
			return p;
		p = pci_cfg_read8(a, p + 1) & ~3;
	}
	return 0;
}

static u64 bar0(struct pci_addr a)
{
	u32 lo = pci_cfg_read32(a, PCI_BAR0);
	u64 base = lo & PCI_BAR_MEM_MASK;

	if (lo & 1)
		return 0;	/* I/O BAR: not edu's layout */
	if ((lo & 6) == PCI_BAR_64BIT)
		base |= (u64)pci_cfg_read32(a, PCI_BAR0 + 4) << 32;
	return base;
}

int edu_find(struct edu *e)
{
	struct pci_addr a = { 0, 0, 0, 0 };
	u64 base;
	u32 id;

	for (a.dev = 0; a.dev < 32; a.dev++) {
		id = pci_cfg_read32(a, PCI_VENDOR_ID);
		if (id == (EDU_DEVICE << 16 | EDU_VENDOR))
			break;
	}
	if (a.dev == 32)
		return -1;
	base = bar0(a);
	if (!base) {
		pr_err("%02x:%02x.%u: BAR0 not assigned\n", a.bus, a.dev, a.fn);
		return -1;
	}
	e->addr = a;
	e->rid = pci_rid(a);
	e->regs = mmio_map(base, EDU_REGS_SIZE);
	if (!e->regs)
		return -1;
	e->msi_cap = find_cap(a, PCI_CAP_ID_MSI);
	pci_cfg_write16(a, PCI_COMMAND,
			pci_cfg_read16(a, PCI_COMMAND) | PCI_COMMAND_MEMORY |
				PCI_COMMAND_MASTER | PCI_COMMAND_INTX_DISABLE);
	pr_info("%02x:%02x.%u: edu version %#x, BAR0 %#llx, MSI capability at %#x\n",
		a.bus, a.dev, a.fn,
		*(volatile u32 *)(e->regs + EDU_REG_ID) >> 16, base, e->msi_cap);
	return 0;
}

static void reg_write64(struct edu *e, u32 off, u64 v)
{
	*(volatile u64 *)(e->regs + off) = v;
}

int edu_dma(struct edu *e, bool to_ram, u64 bus_addr, u32 buf_off, u32 len,
	    u32 timeout_ms)
{
	u64 dev = EDU_BUF_ADDR + buf_off;
	u64 deadline;

	/* edu stops QEMU on a device-side range error: check it here. */
	if (!len || buf_off + (u64)len > EDU_BUF_SIZE ||
	    bus_addr + len > EDU_DMA_LIMIT)
		return -1;
	reg_write64(e, EDU_REG_DMA_SRC, to_ram ? dev : bus_addr);
	reg_write64(e, EDU_REG_DMA_DST, to_ram ? bus_addr : dev);
	reg_write64(e, EDU_REG_DMA_CNT, len);
	reg_write64(e, EDU_REG_DMA_CMD,
		    EDU_DMA_RUN | (to_ram ? EDU_DMA_TO_RAM : 0));
	deadline = time_ns() + (u64)timeout_ms * 1000000;
	while (*(volatile u64 *)(e->regs + EDU_REG_DMA_CMD) & EDU_DMA_RUN) {
		if (time_ns() > deadline) {
			pr_err("DMA of %u bytes did not finish in %u ms\n", len,
			       timeout_ms);
			return -1;
		}
		cpu_relax();
	}
	return 0;
}

void edu_msi_set(struct edu *e, u64 address, u32 data)
{
	struct pci_addr a = e->addr;
	u8 c = e->msi_cap;
	u16 ctrl;

	if (!c)
		return;
	ctrl = pci_cfg_read16(a, c + MSI_CTRL);
	pci_cfg_write16(a, c + MSI_CTRL, ctrl & ~MSI_CTRL_ENABLE);
	pci_cfg_write32(a, c + MSI_ADDR_LO, (u32)address);
	if (ctrl & MSI_CTRL_64BIT) {
		pci_cfg_write32(a, c + MSI_ADDR_HI, (u32)(address >> 32));
		pci_cfg_write16(a, c + MSI_DATA_64, (u16)data);
	} else {
		pci_cfg_write16(a, c + MSI_DATA_32, (u16)data);
	}
	/* One vector (multiple message enable 0), then enable. */
	pci_cfg_write16(a, c + MSI_CTRL,
			(ctrl & ~MSI_CTRL_QSIZE) | MSI_CTRL_ENABLE);
}

void edu_msi_disable(struct edu *e)
{
	if (e->msi_cap)
		pci_cfg_write16(e->addr, e->msi_cap + MSI_CTRL,
				pci_cfg_read16(e->addr, e->msi_cap + MSI_CTRL) &
					~MSI_CTRL_ENABLE);
}

void edu_irq_raise(struct edu *e, u32 bits)
{
	*(volatile u32 *)(e->regs + EDU_REG_IRQ_RAISE) = bits;
}

void edu_irq_ack(struct edu *e, u32 bits)
{
	*(volatile u32 *)(e->regs + EDU_REG_IRQ_ACK) = bits;
}
