/* SPDX-License-Identifier: MIT */
/*
 * MSI-X emulation for an assigned function (docs/vpci.md), pure logic.
 *
 * The guest never reaches the real MSI-X table or PBA: its accesses to
 * those pages trap and land here, on a shadow table. For each entry that
 * is unmasked (vector mask, function mask and MSI-X Enable all allowing
 * it) the guest's address/data are checked against the x86 MSI format
 * (Intel SDM Vol. 3A §11.11) and the guest's own vCPUs; a good entry gets
 * an interrupt remapping entry (source-id verified against the function's
 * requester id) and the real table entry receives the remappable-format
 * address/data that select it. A masked or refused entry has no IRTE and
 * its real entry is masked.
 *
 * The hardware is reached through struct vmsix_hw (the real table, PBA and
 * message control) and struct vmsix_irq_ops (the IOMMU's interrupt
 * entries and the vCPUs), so the host tests plug models.
 */
#ifndef VMM_VMSIX_H
#define VMM_VMSIX_H

#include "iommu/iommu.h"
#include "lib/types.h"
#include "vmm/vpci.h"

/* PCIe 6.0 §7.7.2: table entries and the Vector Control mask bit. */
#define VMSIX_ENTRY_SIZE 16
#define VMSIX_ENTRY_ADDR_LO 0x0
#define VMSIX_ENTRY_ADDR_HI 0x4
#define VMSIX_ENTRY_DATA 0x8
#define VMSIX_ENTRY_CTRL 0xc
#define VMSIX_CTRL_MASKED BIT(0)
#define VMSIX_MAX_VECTORS 64	/* igb PF 10, VF 3, e1000e 5 */
#define VMSIX_MAX_VCPUS 8

/* Intel SDM Vol. 3A §11.11.1: MSI message address. */
#define MSI_ADDR_BASE_MASK 0xfff00000u
#define MSI_ADDR_BASE 0xfee00000u
#define MSI_ADDR_DEST(a) (((a) >> 12) & 0xff)	/* 19:12 destination id */
#define MSI_ADDR_RSVD 0x00000ff0u	/* 11:4, 4 = remappable on VT-d */
#define MSI_ADDR_RH BIT(3)		/* redirection hint */
#define MSI_ADDR_DM BIT(2)		/* destination mode: 1 logical */
/* §11.11.2: MSI message data. */
#define MSI_DATA_VECTOR(d) ((d) & 0xff)
#define MSI_DATA_DELIVERY(d) (((d) >> 8) & 7)
#define MSI_DATA_RSVD 0xffff3800u	/* 31:16 and 13:11 */
#define MSI_DATA_LEVEL_TRIGGER BIT(15)
#define MSI_DELIVERY_FIXED 0
#define MSI_DELIVERY_LOWPRI 1
#define MSI_DELIVERY_SMI 2
#define MSI_DELIVERY_NMI 4
#define MSI_DELIVERY_INIT 5
#define MSI_DELIVERY_EXTINT 7
#define MSI_VECTOR_MIN 0x10	/* 0x00-0x0f are reserved */
#define MSI_VECTOR_MAX 0xfe

/* Why an entry was refused (it stays masked). */
enum vmsix_refusal {
	VMSIX_OK = 0,
	VMSIX_BAD_ADDRESS,	/* not 0xFEEx_xxxx, high dword or 11:4 set */
	VMSIX_LOGICAL_DEST,	/* logical destination mode: not supported */
	VMSIX_FOREIGN_APIC,	/* not one of the guest's vCPUs */
	VMSIX_BAD_DELIVERY,	/* SMI, NMI, INIT, ExtINT or reserved mode */
	VMSIX_BAD_VECTOR,	/* 0x00-0x0f, 0xff */
	VMSIX_LEVEL,		/* level-triggered MSI: not supported */
	VMSIX_RSVD_DATA,	/* reserved data bits set */
	VMSIX_NO_IRTE,		/* the IOMMU had no entry / refused */
	VMSIX_REFUSALS
};

/* The real function (the VMM maps the BAR pages for these). */
struct vmsix_hw {
	u32 (*table_read)(void *ctx, u32 off);	/* dword at off */
	void (*table_write)(void *ctx, u32 off, u32 val);
	u32 (*pba_read)(void *ctx, u32 off);
	void (*ctrl_write)(void *ctx, u16 ctrl);	/* message control */
	void *ctx;
};

/* The layer below: interrupt remapping entries and the guest's vCPUs. */
struct vmsix_irq_ops {
	/* An IRTE that only requester rid may use (iommu_irq_alloc). */
	int (*alloc)(void *ctx, u16 segment, u16 rid);
	/*
	 * Points the IRTE at guest vector `vector` of vCPU `vcpu` (fill a
	 * struct iommu_irq_target with vmsix_irq_target() and call
	 * iommu_irq_program) and returns the remappable MSI address/data.
	 */
	int (*program)(void *ctx, int handle, u32 vcpu, u8 vector, u16 entry,
		       struct iommu_msi *msi);
	void (*free)(void *ctx, int handle);
	/* Delivers a vector the VMM held while the entry was masked. */
	void (*inject)(void *ctx, u32 vcpu, u8 vector);
	void *ctx;
};

struct vmsix_event {
	u16 entry;
	u8 reason;		/* enum vmsix_refusal */
	u32 addr_lo, addr_hi, data;
};

struct vmsix_config {
	u16 segment, rid;		/* the function's requester id */
	u16 nvec;			/* table size, 1..VMSIX_MAX_VECTORS */
	u32 apic_id[VMSIX_MAX_VCPUS];	/* the guest's vCPUs, by index */
	u32 nvcpus;
	struct vmsix_hw hw;
	struct vmsix_irq_ops irq;
	/* A refused entry, once per entry until the guest rewrites it. */
	void (*event)(void *ctx, const struct vmsix_event *e);
	void *event_ctx;
};

struct vmsix_entry {
	u32 addr_lo, addr_hi, data, ctrl;	/* the guest's shadow */
	int irte;			/* handle, -1: none (real entry masked) */
	struct iommu_msi msi;		/* what the real entry holds then */
	u32 vcpu;
	bool reported;
};

struct vmsix {
	struct vmsix_config c;
	struct vmsix_entry e[VMSIX_MAX_VECTORS];
	u64 pending;			/* held for masked vectors */
	bool enabled, fmask;		/* the guest's message control */
	u64 bad_access;			/* misaligned / odd-sized / outside */
	u64 refused;
};

/* Where a function's table and PBA are (from its MSI-X capability). */
struct vmsix_layout {
	u16 nvec;
	u8 table_bar, pba_bar;
	u32 table_off, pba_off;
};

/* Reads the MSI-X capability at cap; false if it is malformed. */
bool vmsix_layout_read(const struct vpci_cfg_backend *cfg, u16 cap,
		       struct vmsix_layout *out);

/* Every entry masked, MSI-X off. VPCI_EINVAL if nvec is out of range. */
int vmsix_init(struct vmsix *v, const struct vmsix_config *c);
/* Frees every IRTE and masks every real entry (guest teardown). */
void vmsix_release(struct vmsix *v);

/*
 * Guest accesses: off is from the start of the table / PBA (nvec * 16 and
 * 8 * ceil(nvec / 64) bytes). size 4 or 8, aligned to it; anything else is
 * refused and counted, a refused read gives all ones. The PBA is read
 * only: the VMM ignores writes to it.
 */
bool vmsix_table_read(struct vmsix *v, u32 off, u8 size, u64 *val);
bool vmsix_table_write(struct vmsix *v, u32 off, u8 size, u64 val);
bool vmsix_pba_read(struct vmsix *v, u32 off, u8 size, u64 *val);

/* Message control as the guest sees it / writes it (vmm/vpci_filter.c). */
u16 vmsix_ctrl_read(const struct vmsix *v, u16 real);
void vmsix_ctrl_write(struct vmsix *v, u16 ctrl);
/* Rewrites every real entry and message control from the shadow state. */
void vmsix_resync(struct vmsix *v);

/*
 * The host vector of entry `entry` fired: true if the guest takes it now;
 * false if the entry is masked (the vector is then pending in the PBA and
 * delivered through irq.inject when the guest unmasks it).
 */
bool vmsix_deliver(struct vmsix *v, u16 entry);

/* Checks a guest message; on success *vcpu is the vCPU index it names. */
enum vmsix_refusal vmsix_validate(const struct vmsix *v, u32 addr_lo,
				  u32 addr_hi, u32 data, u32 *vcpu);

/*
 * The IRTE target for a guest vector, for the program() callback: see
 * the comment in vmsix.c on the posted format.
 */
void vmsix_irq_target(struct iommu_irq_target *t, u32 host_apic_id,
		      u8 host_vector, u64 pi_desc_pa, u8 guest_vector);

const char *vmsix_refusal_name(u8 reason);

#endif
