// SPDX-License-Identifier: MIT
#include "guest-tests/rt/pci.h"
#include "guest-tests/rt/rt.h"

/* PCI Local Bus 3.0 §3.2.2.3.2: CONFIG_ADDRESS / CONFIG_DATA. */
#define PCI_ADDR_PORT 0xcf8
#define PCI_DATA_PORT 0xcfc
#define PCI_ADDR_ENABLE BIT(31)
/* PCIe 6.0 §7.2.2: ECAM offset of bus 0. */
#define ECAM_OFF(dev, fn, reg) ((u64)(dev) << 15 | (u64)(fn) << 12 | (reg))
#define PCI_MAX_DEV 32

static void select(u8 dev, u8 fn, u16 reg)
{
	pio_out(PCI_ADDR_PORT, 4, PCI_ADDR_ENABLE | (u32)dev << 11 | (u32)fn << 8 |
		(reg & 0xfc));
}

u32 rt_pci_read(u8 dev, u8 fn, u16 reg, u8 size)
{
	u16 port = PCI_DATA_PORT + (reg & 3);

	select(dev, fn, reg);
	return pio_in(port, size);
}

void rt_pci_write(u8 dev, u8 fn, u16 reg, u8 size, u32 val)
{
	u16 port = PCI_DATA_PORT + (reg & 3);

	select(dev, fn, reg);
	pio_out(port, size, val);
}

static volatile void *ecam(u8 dev, u8 fn, u16 reg)
{
	return (volatile u8 *)rt_bi->ecam_gpa + ECAM_OFF(dev, fn, reg);
}

u32 rt_pci_ecam_read(u8 dev, u8 fn, u16 reg, u8 size)
{
	if (!rt_bi->ecam_gpa)
		return RT_PCI_NONE;
	if (size == 1)
		return *(volatile u8 *)ecam(dev, fn, reg);
	if (size == 2)
		return *(volatile u16 *)ecam(dev, fn, reg);
	return *(volatile u32 *)ecam(dev, fn, reg);
}

void rt_pci_ecam_write(u8 dev, u8 fn, u16 reg, u8 size, u32 val)
{
	if (!rt_bi->ecam_gpa)
		return;
	if (size == 1)
		*(volatile u8 *)ecam(dev, fn, reg) = (u8)val;
	else if (size == 2)
		*(volatile u16 *)ecam(dev, fn, reg) = (u16)val;
	else
		*(volatile u32 *)ecam(dev, fn, reg) = val;
}

int rt_pci_find(u16 vendor, u16 device)
{
	u8 dev;

	for (dev = 0; dev < PCI_MAX_DEV; dev++) {
		u32 id = rt_pci_read(dev, 0, RT_PCI_VENDOR, 4);

		if ((u16)id == vendor && (u16)(id >> 16) == device)
			return dev;
	}
	return -1;
}

/* The standard sizing dance, with memory decoding off meanwhile. */
bool rt_pci_bar(u8 dev, u8 i, u64 *gpa, u64 *size)
{
	u16 reg = RT_PCI_BAR0 + 4 * i;
	u32 cmd = rt_pci_read(dev, 0, RT_PCI_COMMAND, 2);
	u32 lo = rt_pci_read(dev, 0, reg, 4), hi = 0, mlo, mhi = ~0u;
	bool is64 = (lo & RT_PCI_BAR_TYPE_MASK) == RT_PCI_BAR_TYPE_64;

	if (lo & RT_PCI_BAR_IO || i >= RT_PCI_NBARS)
		return false;
	rt_pci_write(dev, 0, RT_PCI_COMMAND, 2, cmd & ~RT_PCI_COMMAND_MEM);
	rt_pci_write(dev, 0, reg, 4, ~0u);
	mlo = rt_pci_read(dev, 0, reg, 4);
	rt_pci_write(dev, 0, reg, 4, lo);
	if (is64) {
		hi = rt_pci_read(dev, 0, reg + 4, 4);
		rt_pci_write(dev, 0, reg + 4, 4, ~0u);
		mhi = rt_pci_read(dev, 0, reg + 4, 4);
		rt_pci_write(dev, 0, reg + 4, 4, hi);
	}
	rt_pci_write(dev, 0, RT_PCI_COMMAND, 2, cmd);
	*gpa = ((u64)hi << 32) | (lo & RT_PCI_BAR_MEM_MASK);
	*size = ~(((u64)mhi << 32) | (mlo & RT_PCI_BAR_MEM_MASK)) + 1;
	return (mlo & RT_PCI_BAR_MEM_MASK) != 0;
}

u16 rt_pci_find_cap(u8 dev, u8 id)
{
	u8 at, n;

	if (!(rt_pci_read(dev, 0, RT_PCI_STATUS, 2) & RT_PCI_STATUS_CAPS))
		return 0;
	at = (u8)rt_pci_read(dev, 0, RT_PCI_CAP_PTR, 1) & 0xfc;
	for (n = 0; at && n < 48; n++) {	/* 48: a loop guard */
		if (rt_pci_read(dev, 0, at, 1) == id)
			return at;
		at = (u8)rt_pci_read(dev, 0, at + 1, 1) & 0xfc;
	}
	return 0;
}

bool rt_msix_init(struct rt_msix *m, u8 dev)
{
	u32 tab;
	u64 gpa, size;

	m->dev = dev;
	m->cap = rt_pci_find_cap(dev, RT_PCI_CAP_ID_MSIX);
	if (!m->cap)
		return false;
	m->nvec = (rt_pci_read(dev, 0, m->cap + RT_PCI_MSIX_CTRL, 2) &
		   RT_PCI_MSIX_QSIZE) + 1;
	tab = rt_pci_read(dev, 0, m->cap + RT_PCI_MSIX_TABLE, 4);
	if (!rt_pci_bar(dev, tab & RT_PCI_MSIX_BIR, &gpa, &size))
		return false;
	m->table = (volatile u32 *)(gpa + (tab & ~(u32)RT_PCI_MSIX_BIR));
	return true;
}

void rt_msix_mask(struct rt_msix *m, u16 i, bool masked)
{
	m->table[i * 4 + 3] = masked ? RT_MSIX_VECTOR_CTRL_MASKED : 0;
}

void rt_msix_set(struct rt_msix *m, u16 i, u32 addr, u32 data)
{
	rt_msix_mask(m, i, true);
	m->table[i * 4 + 0] = addr;
	m->table[i * 4 + 1] = 0;
	m->table[i * 4 + 2] = data;
	rt_msix_mask(m, i, false);
}

void rt_msix_enable(struct rt_msix *m, bool on)
{
	u16 reg = m->cap + RT_PCI_MSIX_CTRL;
	u32 ctl = rt_pci_read(m->dev, 0, reg, 2);

	ctl &= ~(u32)(RT_PCI_MSIX_ENABLE | RT_PCI_MSIX_MASKALL);
	rt_pci_write(m->dev, 0, reg, 2, ctl | (on ? RT_PCI_MSIX_ENABLE : 0));
}
