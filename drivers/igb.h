/* SPDX-License-Identifier: MIT */
/*
 * igb (Intel 82576) PF driver: reset, link, VMDq pools for the VFs,
 * per-VF MAC addresses, VFRE/VFTE and the PF side of the PF<->VF mailbox.
 *
 * The VFs are served by igb_service_pass() (drivers/igb_service.c), from
 * the PF's MSI-X vector 0 (ICR.VMMB through IVAR_MISC; remapped through
 * VT-d when present). If there is no remapped interrupt or a test
 * interrupt is not delivered at bring-up, the driver falls back to
 * polling (pf->irq_mode false): the VF self-test polls from its own wait
 * loop, and while guests run the VMM's wait loop on cpu0 calls
 * igb_pf_poll(). The poll also runs with interrupts on, at the same
 * period: it serves requests a flooding VF's budget deferred, which raise
 * no new interrupt.
 */
#ifndef DRIVERS_IGB_H
#define DRIVERS_IGB_H

#include "drivers/igb_service.h"
#include "drivers/pci.h"

#define IGB_POLL_PERIOD_US 1000	/* igb_pf_poll() runs a pass at most this often */

struct igb_pf {
	struct pci_dev *dev;
	volatile u8 *regs;
	u8 mac[6];
	u16 num_vfs;
	struct igb_service svc;	/* per-VF state, counters */
	volatile u32 irqs;	/* mailbox interrupts taken */
	u8 vector;		/* IDT vector, 0 if none */
	bool irq_mode;		/* MSI-X delivery verified */
	const char *no_irq_reason;	/* why not, for the log */
	u64 last_poll_ns;
	bool poll_announced;
	bool up;
};

/* Resets and configures the PF for num_vfs VFs; 0 or -1 (logged). */
int igb_pf_init(struct igb_pf *pf, struct pci_dev *dev, u16 num_vfs);
/* Handles pending VF resets (VFLRE) and mailbox messages; safe to call
 * with interrupts on (the PF interrupt is held off meanwhile). */
void igb_pf_service(struct igb_pf *pf);
/*
 * For a hypervisor wait loop on cpu0, called about every millisecond:
 * one service pass of the driven PF, at most every IGB_POLL_PERIOD_US.
 * The first call on a PF without a mailbox interrupt says so, once.
 */
void igb_pf_poll(void);
u32 igb_rd(const struct igb_pf *pf, u32 reg);
/* Sets up and tests the mailbox interrupt (igb_pf_init calls it). */
void igb_pf_setup_irq(struct igb_pf *pf);

#endif
