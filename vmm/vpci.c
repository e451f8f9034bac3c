// SPDX-License-Identifier: MIT
/*
 * The virtual PCI bus of a guest: the type-1 CONFIG_ADDRESS latch, the
 * virtual ECAM decode and the host bridge; see vpci.h. Each function's
 * registers are vmm/vpci_filter.c's business.
 */
#include "drivers/pci_regs.h"
#include "lib/string.h"
#include "vmm/vpci.h"

/* Bits of CONFIG_ADDRESS that hold state; 30:24 and 1:0 read as 0. */
#define VPCI_ADDR_KEEP (VPCI_ADDR_ENABLE | 0x00fffffcu)
#define VPCI_NO_DEVICE 0xffffffffu	/* what a read of nothing returns */
#define HB_IMAGE_LEN 0x40

/* The host bridge's header: ids, class 06/00/00, nothing else. */
static const u8 hb_image[HB_IMAGE_LEN] = {
	[PCI_VENDOR_ID] = VPCI_HB_VENDOR & 0xff,
	[PCI_VENDOR_ID + 1] = VPCI_HB_VENDOR >> 8,
	[PCI_DEVICE_ID] = VPCI_HB_DEVICE & 0xff,
	[PCI_DEVICE_ID + 1] = VPCI_HB_DEVICE >> 8,
	[PCI_CLASS_REVISION + 1] = VPCI_HB_CLASS & 0xff,
	[PCI_CLASS_REVISION + 2] = (VPCI_HB_CLASS >> 8) & 0xff,
	[PCI_CLASS_REVISION + 3] = VPCI_HB_CLASS >> 16,
	[PCI_HEADER_TYPE] = PCI_HEADER_TYPE_NORMAL,
};

static u32 hb_read(void *ctx, u16 reg, u8 size)
{
	u32 v = 0;
	u8 i;

	for (i = 0; i < size; i++)
		if (reg + i < HB_IMAGE_LEN)
			v |= (u32)hb_image[reg + i] << (i * 8);
	return v;
}

static void hb_write(void *ctx, u16 reg, u8 size, u32 val)
{
	/* A read-only image: the filter keeps what the guest may change. */
}

void vpci_bus_init(struct vpci_bus *bus, u64 win_base, u64 win_size,
		   const struct vpci_hooks *hooks)
{
	struct vpci_func_config hb = { .cfg = { hb_read, hb_write, NULL } };

	memset(bus, 0, sizeof(*bus));
	bus->win_base = win_base;
	bus->win_size = win_size;
	if (hooks)
		hb.hooks = *hooks;
	/* Cannot fail: no BARs, no capabilities. */
	(void)vpci_func_init(&bus->hb, &hb, win_base, win_size);
	bus->hb.bus = bus;
	bus->dev[0] = &bus->hb;
}

int vpci_add_function(struct vpci_bus *bus, struct vpci_func *f, u8 dev,
		      const struct vpci_func_config *c)
{
	int err;

	if (dev == 0 || dev >= VPCI_MAX_DEVS)
		return VPCI_EINVAL;
	if (bus->dev[dev])
		return VPCI_EBUSY;
	err = vpci_func_init(f, c, bus->win_base, bus->win_size);
	if (err)
		return err;
	f->bus = bus;
	f->dev = dev;
	bus->dev[dev] = f;
	return VPCI_OK;
}

static struct vpci_func *func_of(struct vpci_bus *bus, u8 b, u8 d, u8 fn)
{
	return b == 0 && fn == 0 && d < VPCI_MAX_DEVS ? bus->dev[d] : NULL;
}

/* ---- type 1: 0xCF8 / 0xCFC ----------------------------------------- */

enum port_use {
	PORT_NOT_OURS,
	PORT_LATCH,		/* a dword at 0xCF8 */
	PORT_IGNORED,		/* other sizes at 0xCF8..0xCFB, nothing there */
	PORT_CONFIG,		/* *f, *reg: a config access */
};

static bool data_size_ok(u16 k, u8 size)
{
	return (size == 1 || size == 2 || size == 4) && IS_ALIGNED(k, size);
}

/*
 * What an access of size bytes at port reaches. Only a dword at 0xCF8 is
 * CONFIG_ADDRESS (PCI Local Bus Spec 3.0 §3.2.2.3.2); at 0xCFC + k the
 * latch selects function and register, and an access crossing the dword
 * is refused (counted).
 */
static enum port_use decode_port(struct vpci_bus *bus, u16 port, u8 size,
				 struct vpci_func **f, u16 *reg)
{
	u32 a = bus->cf8;
	u16 k = port - VPCI_PORT_DATA;

	if (port < VPCI_PORT_ADDR || port >= VPCI_PORT_DATA + 4)
		return PORT_NOT_OURS;
	if (port < VPCI_PORT_DATA)
		return port == VPCI_PORT_ADDR && size == 4 ? PORT_LATCH
							   : PORT_IGNORED;
	if (!data_size_ok(k, size)) {
		bus->bad_access++;
		return PORT_IGNORED;
	}
	if (!(a & VPCI_ADDR_ENABLE))
		return PORT_IGNORED;
	*reg = (u16)(VPCI_ADDR_REG(a) + k);
	*f = func_of(bus, VPCI_ADDR_BUS(a), VPCI_ADDR_DEV(a), VPCI_ADDR_FN(a));
	return *f ? PORT_CONFIG : PORT_IGNORED;
}

bool vpci_pio_read(struct vpci_bus *bus, u16 port, u8 size, u32 *val)
{
	struct vpci_func *f = NULL;
	u16 reg = 0;

	*val = VPCI_NO_DEVICE;
	switch (decode_port(bus, port, size, &f, &reg)) {
	case PORT_NOT_OURS:
		return false;
	case PORT_LATCH:
		*val = bus->cf8;
		break;
	case PORT_CONFIG:
		*val = vpci_func_read(f, reg, size);
		break;
	default:
		break;
	}
	return true;
}

bool vpci_pio_write(struct vpci_bus *bus, u16 port, u8 size, u32 val)
{
	struct vpci_func *f = NULL;
	u16 reg = 0;

	switch (decode_port(bus, port, size, &f, &reg)) {
	case PORT_NOT_OURS:
		return false;
	case PORT_LATCH:
		bus->cf8 = val & VPCI_ADDR_KEEP;
		break;
	case PORT_CONFIG:
		vpci_func_write(f, reg, size, val);
		break;
	default:
		break;
	}
	return true;
}

/* ---- the virtual ECAM window (bus 0 only) -------------------------- */

static struct vpci_func *ecam_target(struct vpci_bus *bus, u64 off)
{
	if (off >= VPCI_ECAM_SIZE)
		return NULL;
	return func_of(bus, 0, VPCI_ECAM_DEV(off), VPCI_ECAM_FN(off));
}

u32 vpci_ecam_read(struct vpci_bus *bus, u64 off, u8 size)
{
	struct vpci_func *f = ecam_target(bus, off);

	return f ? vpci_func_read(f, VPCI_ECAM_REG(off), size) : VPCI_NO_DEVICE;
}

void vpci_ecam_write(struct vpci_bus *bus, u64 off, u8 size, u32 val)
{
	struct vpci_func *f = ecam_target(bus, off);

	if (f)
		vpci_func_write(f, VPCI_ECAM_REG(off), size, val);
}
