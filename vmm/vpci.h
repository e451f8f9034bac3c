/* SPDX-License-Identifier: MIT */
/*
 * A guest's virtual PCI bus (docs/vpci.md), as pure logic: no ECAM, no page
 * tables, no logging of its own. The guest sees bus 0 with a host bridge at
 * 00:00.0 and each assigned function as function 0 of its own device. It
 * reaches them through the type-1 mechanism (ports 0xCF8/0xCFC, 256 bytes)
 * and a virtual ECAM window (4 KiB per function).
 *
 * An assigned function's config space is the real one seen through the
 * register filter of vmm/vpci_filter.c; the real registers are reached only
 * through struct vpci_cfg_backend, so the host unit tests plug a model
 * built from captured config spaces and the VMM plugs ECAM accessors.
 * What the filter does on the guest's behalf (a BAR moved, a write
 * refused) comes back as calls to struct vpci_hooks.
 *
 * Wired into the VMM by vmm/vm_pci.c (docs/vpci.md).
 */
#ifndef VMM_VPCI_H
#define VMM_VPCI_H

#include "lib/types.h"

struct vmsix;

/* PCI Local Bus Spec 3.0 §3.2.2.3.2: CONFIG_ADDRESS / CONFIG_DATA. */
#define VPCI_PORT_ADDR 0xcf8
#define VPCI_PORT_DATA 0xcfc	/* ..0xcff */
#define VPCI_PORT_LAST (VPCI_PORT_DATA + 3)

static inline bool vpci_is_port(u16 port)
{
	return port >= VPCI_PORT_ADDR && port <= VPCI_PORT_LAST;
}
#define VPCI_ADDR_ENABLE BIT(31)
#define VPCI_ADDR_BUS(a) (((a) >> 16) & 0xff)
#define VPCI_ADDR_DEV(a) (((a) >> 11) & 0x1f)
#define VPCI_ADDR_FN(a) (((a) >> 8) & 0x7)
#define VPCI_ADDR_REG(a) ((a) & 0xfc)
/* PCIe 6.0 §7.2.2: ECAM offset = bus << 20 | dev << 15 | fn << 12 | reg. */
#define VPCI_ECAM_BUS(o) (((o) >> 20) & 0xff)
#define VPCI_ECAM_DEV(o) (((o) >> 15) & 0x1f)
#define VPCI_ECAM_FN(o) (((o) >> 12) & 0x7)
#define VPCI_ECAM_REG(o) ((o) & 0xfff)
#define VPCI_ECAM_SIZE (1ull << 20)	/* bus 0 only */

#define VPCI_CFG_SIZE 256		/* type-1 reaches this much */
#define VPCI_ECFG_SIZE 4096
#define VPCI_MAX_DEVS 32		/* devices on the virtual bus 0 */
#define VPCI_NBARS 6
#define VPCI_MAX_CAPS 16		/* visible capabilities per function */

/*
 * The virtual host bridge at 00:00.0: Intel's id for the Q35 MCH (8086:29c0),
 * a name a guest already knows, class 0x060000 (host bridge), revision 0.
 */
#define VPCI_HB_VENDOR 0x8086
#define VPCI_HB_DEVICE 0x29c0
#define VPCI_HB_CLASS 0x060000

/* One function's real config space. size is 1, 2 or 4; reg is aligned. */
struct vpci_cfg_backend {
	u32 (*read)(void *ctx, u16 reg, u8 size);
	void (*write)(void *ctx, u16 reg, u8 size, u32 val);
	void *ctx;
};

/* What the filter reports; the VMM turns each into one log line. */
enum vpci_event_kind {
	VPCI_EV_DENIED = 1,	/* write outside the mask: dropped */
	VPCI_EV_BAR_REFUSED,	/* BAR placed outside the MMIO window */
	VPCI_EV_BAD_ACCESS,	/* misaligned or odd-sized access */
};

struct vpci_event {
	u8 kind;		/* enum vpci_event_kind */
	u8 dev;			/* virtual device number */
	u16 reg;
	u8 size;
	u32 value;		/* what the guest wrote */
	u32 mask;		/* the bits it may change in that register */
	u64 gpa;		/* VPCI_EV_BAR_REFUSED: the address asked for */
};

struct vpci_hooks {
	/*
	 * A memory BAR now decodes at new_gpa (0: nowhere, decoding off)
	 * instead of old_gpa (0: nowhere): the nested page tables follow.
	 */
	void (*bar_moved)(void *ctx, u8 bar, u64 old_gpa, u64 new_gpa);
	/* Called once per register and kind, with the first offending write. */
	void (*event)(void *ctx, const struct vpci_event *e);
	void *ctx;
};

/* A real BAR as drivers/pci.c sized it, and where the guest first sees it. */
struct vpci_bar_desc {
	u64 size;		/* 0: not shown to the guest */
	u8 type;		/* enum pci_bar_type (drivers/pci_caps.h) */
	bool prefetch;
	u64 gpa;		/* initial guest address, inside the window */
};

struct vpci_func_config {
	struct vpci_cfg_backend cfg;
	/* A VF reads 0xffff there: the caller gives the ids from the PF's
	 * SR-IOV capability (VF Device ID). 0 = read the real ones. */
	u16 vendor_id, device_id;
	struct vpci_bar_desc bar[VPCI_NBARS];
	struct vmsix *msix;	/* the emulation behind the MSI-X capability */
	struct vpci_hooks hooks;
};

struct vpci_cap {
	u16 off, len;
	u16 id;
	bool ext;
	const struct vpci_cap_policy *policy;
};

struct vpci_vbar {
	struct vpci_bar_desc d;
	u32 reg;		/* what the guest reads: address bits | flags */
	bool upper;		/* the high half of the 64-bit BAR before it */
	u64 mapped;		/* GPA the mapping is at now (0: none) */
};

struct vpci_bus;

struct vpci_func {
	struct vpci_func_config c;
	struct vpci_bus *bus;
	u8 dev;
	u16 command;		/* the guest's view */
	u8 shadow[VPCI_ECFG_SIZE];	/* emulated registers */
	struct vpci_vbar bar[VPCI_NBARS];
	struct vpci_cap caps[VPCI_MAX_CAPS];
	u32 ncaps;
	u16 first_cap, first_ecap;	/* 0: none visible */
	u16 msix_cap;
	u64 win_base, win_size;		/* the guest's MMIO window */
	u8 reported[VPCI_ECFG_SIZE / 8];	/* one bit per register start */
	u64 denied;
};

struct vpci_bus {
	u32 cf8;			/* the CONFIG_ADDRESS latch */
	struct vpci_func *dev[VPCI_MAX_DEVS];	/* [0] unused: host bridge */
	u64 win_base, win_size;
	u64 denied;			/* refused writes, whole guest */
	u64 bad_access;
	struct vpci_func hb;		/* 00:00.0, a read-only image */
};

/* Return codes of the setup functions. */
#define VPCI_OK 0
#define VPCI_EINVAL (-1)
#define VPCI_EBUSY (-2)
#define VPCI_ENOSPC (-3)

/* An empty bus whose guest MMIO window is [win_base, win_base + size). */
void vpci_bus_init(struct vpci_bus *bus, u64 win_base, u64 win_size,
		   const struct vpci_hooks *hooks);
/*
 * Builds f's view from its real config space (capability walk) and puts it
 * at device dev (1..31) of bus. Fails on a bad BAR description (size not a
 * power of two, initial GPA outside the window) or a corrupt capability
 * list. f must stay valid as long as bus.
 */
int vpci_add_function(struct vpci_bus *bus, struct vpci_func *f, u8 dev,
		      const struct vpci_func_config *c);

/* Port I/O at 0xCF8..0xCFF. false: not a port of ours. */
bool vpci_pio_read(struct vpci_bus *bus, u16 port, u8 size, u32 *val);
bool vpci_pio_write(struct vpci_bus *bus, u16 port, u8 size, u32 val);
/* An access at offset off of the virtual ECAM window. */
u32 vpci_ecam_read(struct vpci_bus *bus, u64 off, u8 size);
void vpci_ecam_write(struct vpci_bus *bus, u64 off, u8 size, u32 val);

/*
 * One function's config space as the guest sees it (vmm/vpci_filter.c).
 * vpci_func_init builds the view without a bus (vpci_add_function calls
 * it); it calls hooks.bar_moved(bar, 0, gpa) for each BAR that decodes.
 */
int vpci_func_init(struct vpci_func *f, const struct vpci_func_config *c,
		   u64 win_base, u64 win_size);
u32 vpci_func_read(struct vpci_func *f, u16 reg, u8 size);
void vpci_func_write(struct vpci_func *f, u16 reg, u8 size, u32 val);
/* Where memory BAR i decodes in the guest now (0: nowhere). */
u64 vpci_func_bar_gpa(const struct vpci_func *f, u8 bar);

/* "denied write", ... */
const char *vpci_event_name(u8 kind);
/* One log line for e: "dev 01 reg 0x04/2: denied write 0x... (mask 0x...)". */
int vpci_event_format(char *buf, size_t size, const struct vpci_event *e);

#endif
