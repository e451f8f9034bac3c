// SPDX-License-Identifier: MIT
/*
 * e1000e (82574L): just enough to hand the whole function to a guest in a
 * known state. The guest's own driver does the rest.
 */
#define LOG_SUBSYS "e1000e"
#include "drivers/e1000e.h"
#include "drivers/e1000e_regs.h"
#include "drivers/pci_regs.h"
#include "kernel/log.h"
#include "kernel/mm.h"
#include "kernel/selftest.h"
#include "kernel/timer.h"

#define RESET_TIMEOUT_US 100000

static u32 rd(volatile u8 *r, u32 reg)
{
	return *(volatile u32 *)(r + reg);
}

static void wr(volatile u8 *r, u32 reg, u32 v)
{
	*(volatile u32 *)(r + reg) = v;
}

static int reset_one(struct pci_dev *d)
{
	const struct pci_bar *b = &d->bar[0];
	volatile u8 *r;
	u16 cmd;
	u64 t0;
	u32 us, st;
	char a[16];

	pci_addr_str(d->addr, a, sizeof(a));
	d->role = "e1000e, assignable whole function";
	d->assignable = true;
	d->reset = reset_one;	/* the 82574L has no FLR */
	if (b->type != PCI_BAR_MEM32 && b->type != PCI_BAR_MEM64) {
		pr_err("%s: BAR0 is not a memory BAR\n", a);
		return -1;
	}
	r = mmio_map(b->base, b->size);
	if (!r) {
		pr_err("%s: cannot map BAR0 %#llx\n", a, b->base);
		return -1;
	}
	cmd = pci_cfg_read16(d->addr, PCI_COMMAND);
	pci_cfg_write16(d->addr, PCI_COMMAND, (cmd | PCI_COMMAND_MEMORY) &
						      ~PCI_COMMAND_MASTER);
	if (rd(r, E1000E_STATUS) == 0xffffffffu) {
		pr_err("%s: BAR0 reads all ones\n", a);
		return -1;
	}
	t0 = time_ns();
	wr(r, E1000E_IMC, 0xffffffffu);
	wr(r, E1000E_CTRL, rd(r, E1000E_CTRL) | (u32)E1000E_CTRL_RST);
	/* §14.3: wait 1 ms after a software reset before further accesses. */
	udelay(1000);
	for (us = 1000; us < RESET_TIMEOUT_US; us += 100) {
		if (!(rd(r, E1000E_CTRL) & E1000E_CTRL_RST))
			break;
		udelay(100);
	}
	if (us >= RESET_TIMEOUT_US) {
		pr_err("%s: CTRL.RST still set after %u ms\n", a,
		       RESET_TIMEOUT_US / 1000);
		return -1;
	}
	wr(r, E1000E_IMC, 0xffffffffu);
	(void)rd(r, E1000E_ICR);
	st = rd(r, E1000E_STATUS);
	pr_info("%s: reset in %llu us, interrupts masked, RCTL %#x TCTL %#x STATUS %#x: ready to assign\n",
		a, (time_ns() - t0) / 1000, rd(r, E1000E_RCTL),
		rd(r, E1000E_TCTL), st);
	return 0;
}

u32 e1000e_init_all(bool selftest)
{
	u32 i, n = 0;

	for (i = 0; i < pci_ndevs; i++) {
		struct pci_dev *d = &pci_devs[i];
		int err;

		if (d->is_vf || d->vendor != E1000E_VENDOR ||
		    d->device != E1000E_DEVICE_82574L)
			continue;
		err = reset_one(d);
		if (selftest)
			selftest_check(!err, "e1000e reset",
				       "%02x:%02x.%u %s", d->addr.bus,
				       d->addr.dev, d->addr.fn,
				       err ? "failed" : "quiesced, assignable");
		if (!err)
			n++;
	}
	return n;
}
