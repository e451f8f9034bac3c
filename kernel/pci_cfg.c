// SPDX-License-Identifier: MIT
#define LOG_SUBSYS "pci"
#include "kernel/pci_cfg.h"
#include "kernel/log.h"
#include "kernel/mm.h"
#include "kernel/platform.h"

#define ECAM_BUS_SHIFT 20
#define ECAM_DEV_SHIFT 15
#define ECAM_FN_SHIFT 12

static volatile u8 *ecam_va[PLATFORM_MAX_ECAM];

int pci_cfg_init(void)
{
	u32 i, n = 0;

	for (i = 0; i < platform.necam; i++) {
		const struct mcfg_entry *e = &platform.ecam[i];
		u64 size = (u64)(e->end_bus - e->start_bus + 1) << ECAM_BUS_SHIFT;

		ecam_va[i] = mmio_map(e->base + ((u64)e->start_bus << ECAM_BUS_SHIFT),
				      size);
		if (!ecam_va[i]) {
			pr_err("cannot map ECAM segment %u at %#llx\n",
			       e->segment, e->base);
			continue;
		}
		n++;
	}
	return (int)n;
}

/* The function's 4 KiB, or NULL if no window covers it. */
static volatile u8 *cfg_ptr(struct pci_addr a, u16 off, u16 width)
{
	u32 i;

	if (a.dev > 31 || a.fn > 7 || off > PCI_CFG_SIZE - width ||
	    off % width)
		return NULL;
	for (i = 0; i < platform.necam; i++) {
		const struct mcfg_entry *e = &platform.ecam[i];

		if (ecam_va[i] && e->segment == a.segment &&
		    a.bus >= e->start_bus && a.bus <= e->end_bus)
			return ecam_va[i] +
			       ((u64)(a.bus - e->start_bus) << ECAM_BUS_SHIFT |
				(u64)a.dev << ECAM_DEV_SHIFT |
				(u64)a.fn << ECAM_FN_SHIFT | off);
	}
	return NULL;
}

bool pci_cfg_valid(struct pci_addr a)
{
	return cfg_ptr(a, 0, 4) != NULL;
}

bool pci_cfg_bridge_buses(struct pci_addr a, u8 *sec, u8 *sub)
{
	u8 type = pci_cfg_read8(a, PCI_HEADER_TYPE);

	if (type == 0xff ||
	    (type & PCI_HEADER_TYPE_MASK) != PCI_HEADER_TYPE_BRIDGE)
		return false;
	*sec = pci_cfg_read8(a, PCI_SECONDARY_BUS);
	*sub = pci_cfg_read8(a, PCI_SUBORDINATE_BUS);
	return true;
}

#define DEFINE_CFG_ACCESS(bits)                                             \
	u##bits pci_cfg_read##bits(struct pci_addr a, u16 off)              \
	{                                                                   \
		volatile u8 *p = cfg_ptr(a, off, bits / 8);                 \
		return p ? *(volatile u##bits *)p : (u##bits)~0u;           \
	}                                                                   \
	void pci_cfg_write##bits(struct pci_addr a, u16 off, u##bits v)     \
	{                                                                   \
		volatile u8 *p = cfg_ptr(a, off, bits / 8);                 \
		if (p)                                                      \
			*(volatile u##bits *)p = v;                         \
	}
DEFINE_CFG_ACCESS(8)
DEFINE_CFG_ACCESS(16)
DEFINE_CFG_ACCESS(32)
