/* SPDX-License-Identifier: MIT */
/*
 * SR-IOV (PCIe Base Spec 6.0 §9.3): VF enable on a PF, VF BAR placement,
 * VF discovery by routing ID.
 */
#ifndef DRIVERS_SRIOV_H
#define DRIVERS_SRIOV_H

#include "drivers/pci.h"

#define SRIOV_MAX_VFS 64

struct sriov_info {
	u16 total_vfs, num_vfs;
	u16 offset, stride;
	u16 vf_device;
	bool ari;		/* ARI Capable Hierarchy set */
	struct pci_bar vf_bar[PCI_NUM_BARS];	/* per-VF size, base of VF 0 */
	u16 first;		/* pci_devs index of VF 0 */
	u64 enable_ns;		/* VF Enable to first config access */
};

/*
 * Enables num VFs on pf: ARI, NumVFs, VF BARs below 4 GiB inside the
 * parent bridge's window (QEMU 10.0 decodes VF BARs above 4 GiB wrongly),
 * VF Enable + VF MSE, the 100 ms wait, then adds each VF to pci_devs with
 * its own Command.MEM set. Returns the number of VFs enabled (0 on error,
 * each error logged; the PF is then left with VFs disabled).
 */
u16 sriov_enable(struct pci_dev *pf, u16 num, struct sriov_info *out);

/* The pci_devs entry of VF n of pf, or NULL. */
struct pci_dev *sriov_vf(const struct sriov_info *s, u16 n);

#endif
