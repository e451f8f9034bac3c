/* SPDX-License-Identifier: MIT */
/*
 * PCI Express enumeration through ECAM and the device inventory the rest
 * of the hypervisor assigns from. Functions are found by walking every
 * MCFG segment from its first bus through bridges (secondary bus numbers
 * as the firmware programmed them), SR-IOV VFs are added by drivers/sriov.c
 * from the PF's capability (never by a bus scan: VFs read 0xffff).
 */
#ifndef DRIVERS_PCI_H
#define DRIVERS_PCI_H

#include "drivers/pci_caps.h"
#include "kernel/pci_cfg.h"
#include "lib/types.h"

#define PCI_MAX_DEVS 128
#define PCI_NO_PARENT 0xffff

struct pci_dev {
	struct pci_addr addr;
	u16 vendor, device;
	u32 class_code;		/* base << 16 | sub << 8 | prog-if */
	u8 hdr_type;		/* PCI_HEADER_TYPE_* */
	bool multifunction;
	bool is_vf;
	u8 sec_bus, sub_bus;	/* bridges */
	u16 parent;		/* index of the upstream bridge, PCI_NO_PARENT */
	u16 pf;			/* VFs: index of the PF */
	u16 vf_index;		/* VFs: 0-based VF number */
	u8 nbars;
	struct pci_bar bar[PCI_NUM_BARS];
	u16 cap_exp, cap_msi, cap_msix, cap_pm;	/* 0 = absent */
	u16 ecap_acs, ecap_ari, ecap_sriov, ecap_aer;
	u16 pcie_type;		/* PCI_EXP_TYPE_*, 0xffff if not PCIe */
	int drhd;		/* iommu_unit_of(): its DRHD's index, -1 none */
	u16 group;		/* isolation group number */
	const char *role;	/* "igb PF", "assignable whole function", ... */
	bool assignable;	/* a driver reset it for whole-function use */
	/* The driver's own reset, for functions without FLR (e1000e). */
	int (*reset)(struct pci_dev *d);
};

extern struct pci_dev pci_devs[PCI_MAX_DEVS];
extern u32 pci_ndevs;

/*
 * What the layers above ask of the PCI bring-up. drivers/ never reads the
 * guest configuration: the VMM counts the VFs its guests need
 * (vmm/vf_demand.c) and passes the number down.
 */
struct pci_setup {
	u16 vfs;		/* igb VFs to enable; 0: none (2 with selftest) */
	bool selftest;		/* boot self-tests: VF check, PF up, VF self-test */
	bool dump_config;	/* hex dump of every config space (log debug) */
};

/*
 * Boot entry point (one line in vmm/hv_main.c): enumerate, enable SR-IOV
 * on the igb PF, bring up the PF and the e1000e, print the inventory, and
 * with s->selftest run the VF self-test.
 */
void pci_main(const struct pci_setup *s);

/* Enumerates every ECAM segment; returns the number of functions. */
u32 pci_enumerate(void);
/* Adds a function that enumeration cannot see (a VF); NULL if full. */
struct pci_dev *pci_add_dev(const struct pci_dev *d);
/* Device-level register access through ECAM for one function. */
void pci_dev_io(struct pci_dev *d, struct pci_cfg_io *io);
/* Re-reads BARs and capabilities of d (after VF enable, say). */
void pci_dev_probe(struct pci_dev *d);
/* Computes DRHD and isolation group of every device, prints them. */
void pci_assign_groups(void);
/* Prints the lspci-like inventory. */
void pci_print_inventory(void);
/* "0000:01:00.0" into buf (>= 13 bytes). */
const char *pci_addr_str(struct pci_addr a, char *buf, size_t len);

/* Function Level Reset through the PCIe capability; 0 or -1. */
/* Function Level Reset capability (PCIe 6.0 §7.5.3.3). */
bool pci_has_flr(struct pci_dev *d);
int pci_flr(struct pci_dev *d);
/* Memory decode and bus mastering on (a VF's own MEM bit too: QEMU quirk). */
void pci_enable_mem_dma(struct pci_dev *d);
/* With log_level = debug: hex dump of every function's config space. */
void pci_dump_all(void);

/* Device assignment (drivers/pci_main.c): igb VFs handed to guests. */
struct pci_dev *pci_take_vf(u16 n);
void pci_return_vf(struct pci_dev *vf);
u16 pci_vf_count(void);
/* A whole function a driver marked assignable (the e1000e), reset. */
struct pci_dev *pci_take_function(struct pci_addr a);
void pci_return_function(struct pci_dev *d);

#endif
