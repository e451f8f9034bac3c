/* SPDX-License-Identifier: MIT */
/*
 * igb (Intel 82576) PF driver: reset, link, VMDq pools for the VFs,
 * per-VF MAC addresses, VFRE/VFTE and the PF side of the PF<->VF mailbox.
 *
 * The mailbox is serviced by igb_pf_service(), from the PF's MSI-X vector
 * 0 (ICR.VMMB through IVAR_MISC; remapped through VT-d when present). If a
 * test interrupt is not delivered at bring-up, the driver falls back to
 * polling (pf->irq_mode false): callers then run igb_pf_service() from
 * their wait loops (the VF self-test does), or a periodic tick.
 */
#ifndef DRIVERS_IGB_H
#define DRIVERS_IGB_H

#include "drivers/igb_mbx.h"
#include "drivers/pci.h"

#define IGB_MAX_VFS 8

struct igb_pf {
	struct pci_dev *dev;
	volatile u8 *regs;
	u8 mac[6];
	u16 num_vfs;
	struct igb_vf_state vf[IGB_MAX_VFS];
	u32 msgs, vflr_events;
	volatile u32 irqs;	/* mailbox interrupts taken */
	u8 vector;		/* IDT vector, 0 if none */
	bool irq_mode;		/* MSI-X delivery verified */
	bool up;
};

/* Resets and configures the PF for num_vfs VFs; 0 or -1 (logged). */
int igb_pf_init(struct igb_pf *pf, struct pci_dev *dev, u16 num_vfs);
/* Handles pending VF resets (VFLRE) and mailbox messages; safe to call
 * with interrupts on (the PF interrupt is held off meanwhile). */
void igb_pf_service(struct igb_pf *pf);
u32 igb_rd(const struct igb_pf *pf, u32 reg);
/* Sets up and tests the mailbox interrupt (igb_pf_init calls it). */
void igb_pf_setup_irq(struct igb_pf *pf);

#endif
