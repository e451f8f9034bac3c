// SPDX-License-Identifier: MIT
/*
 * Capability walks and BAR sizing (PCIe Base Spec 6.0 §7.5.1.2.1, §7.6);
 * pure, see pci_caps.h.
 */
#include "drivers/pci_caps.h"
#include "drivers/pci_regs.h"

static u32 rd(const struct pci_cfg_io *io, u16 off)
{
	return io->read32(io->ctx, off);
}

static u8 rd8(const struct pci_cfg_io *io, u16 off)
{
	return (u8)(rd(io, off & ~3u) >> ((off & 3) * 8));
}

static u16 rd16(const struct pci_cfg_io *io, u16 off)
{
	return (u16)(rd(io, off & ~3u) >> ((off & 2) * 8));
}

int pci_walk_caps(const struct pci_cfg_io *io,
		  void (*fn)(void *ctx, u8 id, u16 off), void *ctx)
{
	u8 seen[256 / 32 * 4] = { 0 }; /* one bit per dword of the header */
	u16 pos;
	int n = 0;

	if (!(rd16(io, PCI_STATUS) & PCI_STATUS_CAP_LIST))
		return 0;
	pos = rd8(io, PCI_CAPABILITY_LIST);
	while (pos) {
		/* Bits 1:0 of the pointer are reserved (§7.5.1.1.11). */
		pos &= ~3u;
		if (pos < 0x40)
			return PCI_CAPS_E_RANGE;
		if (seen[pos / 32] & BIT((pos / 4) % 8) || n >= PCI_MAX_CAPS)
			return PCI_CAPS_E_LOOP;
		seen[pos / 32] |= (u8)BIT((pos / 4) % 8);
		if (fn)
			fn(ctx, rd8(io, pos), pos);
		n++;
		pos = rd8(io, pos + 1);
	}
	return n;
}

int pci_walk_ecaps(const struct pci_cfg_io *io,
		   void (*fn)(void *ctx, u16 id, u16 off), void *ctx)
{
	u8 seen[4096 / 32] = { 0 };
	u16 pos = PCI_EXT_CAP_START;
	int n = 0;

	do {
		u32 hdr;

		if (pos < PCI_EXT_CAP_START || pos > 4096 - 4 || pos & 3)
			return PCI_CAPS_E_RANGE;
		if (seen[pos / 32] & BIT((pos / 4) % 8) || n >= PCI_MAX_ECAPS)
			return PCI_CAPS_E_LOOP;
		seen[pos / 32] |= (u8)BIT((pos / 4) % 8);
		hdr = rd(io, pos);
		/* §7.6.2: all zeroes or all ones = no extended capabilities. */
		if (hdr == 0 || hdr == 0xffffffffu)
			return n;
		if (fn)
			fn(ctx, (u16)(hdr & 0xffff), pos);
		n++;
		pos = PCI_EXT_CAP_NEXT(hdr);
	} while (pos);
	return n;
}

struct find_ctx {
	u16 id;
	u16 off;
};

static void find_cap_cb(void *ctx, u8 id, u16 off)
{
	struct find_ctx *f = ctx;

	if (!f->off && id == f->id)
		f->off = off;
}

static void find_ecap_cb(void *ctx, u16 id, u16 off)
{
	struct find_ctx *f = ctx;

	if (!f->off && id == f->id)
		f->off = off;
}

u16 pci_find_cap(const struct pci_cfg_io *io, u8 id)
{
	struct find_ctx f = { id, 0 };

	pci_walk_caps(io, find_cap_cb, &f);
	return f.off;
}

u16 pci_find_ecap(const struct pci_cfg_io *io, u16 id)
{
	struct find_ctx f = { id, 0 };

	pci_walk_ecaps(io, find_ecap_cb, &f);
	return f.off;
}

const char *pci_cap_name(u8 id)
{
	switch (id) {
	case PCI_CAP_ID_PM: return "PM";
	case PCI_CAP_ID_MSI: return "MSI";
	case PCI_CAP_ID_VNDR: return "Vendor";
	case PCI_CAP_ID_SSVID: return "SSVID";
	case PCI_CAP_ID_EXP: return "PCIe";
	case PCI_CAP_ID_SATA: return "SATA";
	case PCI_CAP_ID_MSIX: return "MSI-X";
	default: return NULL;
	}
}

const char *pci_ecap_name(u16 id)
{
	switch (id) {
	case PCI_EXT_CAP_ID_AER: return "AER";
	case PCI_EXT_CAP_ID_ACS: return "ACS";
	case PCI_EXT_CAP_ID_ARI: return "ARI";
	case PCI_EXT_CAP_ID_ATS: return "ATS";
	case PCI_EXT_CAP_ID_SRIOV: return "SR-IOV";
	default: return NULL;
	}
}

int pci_bar_size(const struct pci_cfg_io *io, u16 reg, u16 max_reg,
		 struct pci_bar *out)
{
	u32 orig = rd(io, reg), mask, orig_hi = 0, mask_hi = 0;
	u64 size;

	out->base = 0;
	out->size = 0;
	out->type = PCI_BAR_NONE;
	out->prefetch = false;

	io->write32(io->ctx, reg, 0xffffffffu);
	mask = rd(io, reg);
	io->write32(io->ctx, reg, orig);
	if (mask == 0 || mask == 0xffffffffu)
		return 1; /* not implemented (or no device answering) */

	if (orig & PCI_BAR_SPACE_IO) {
		size = (u32)~(mask & PCI_BAR_IO_MASK) + 1;
		/* I/O BARs may hardwire the upper 16 bits to zero. */
		size &= 0xffff;
		out->type = PCI_BAR_IO;
		out->base = orig & PCI_BAR_IO_MASK;
		out->size = size;
		return 1;
	}

	out->prefetch = orig & PCI_BAR_PREFETCH;
	if ((orig & PCI_BAR_MEM_TYPE_MASK) == PCI_BAR_MEM_TYPE_64) {
		if (reg + 4 > max_reg)
			return 0;
		orig_hi = rd(io, reg + 4);
		io->write32(io->ctx, reg + 4, 0xffffffffu);
		mask_hi = rd(io, reg + 4);
		io->write32(io->ctx, reg + 4, orig_hi);
		size = ~((u64)mask_hi << 32 | (mask & PCI_BAR_MEM_MASK)) + 1;
		out->type = PCI_BAR_MEM64;
		out->base = (u64)orig_hi << 32 | (orig & PCI_BAR_MEM_MASK);
		out->size = size;
		return 2;
	}
	out->type = PCI_BAR_MEM32;
	out->base = orig & PCI_BAR_MEM_MASK;
	out->size = (u32)~(mask & PCI_BAR_MEM_MASK) + 1;
	return 1;
}

const char *pci_bar_type_name(u8 type)
{
	switch (type) {
	case PCI_BAR_IO: return "io";
	case PCI_BAR_MEM32: return "mem32";
	case PCI_BAR_MEM64: return "mem64";
	default: return "none";
	}
}

const char *pci_class_name(u32 class_code)
{
	switch (class_code >> 8) {
	case 0x0100: return "SCSI";
	case 0x0101: return "IDE";
	case 0x0106: return "SATA";
	case 0x0108: return "NVMe";
	case 0x0200: return "Ethernet";
	case 0x0300: return "VGA";
	case 0x0600: return "Host bridge";
	case 0x0601: return "ISA bridge";
	case 0x0604: return "PCI bridge";
	case 0x0c05: return "SMBus";
	case 0x0c03: return "USB";
	case 0x0880: return "System peripheral";
	case 0x00ff: return "Unclassified";
	default: break;
	}
	switch (class_code >> 16) {
	case 0x01: return "Storage";
	case 0x02: return "Network";
	case 0x03: return "Display";
	case 0x06: return "Bridge";
	case 0x08: return "System";
	case 0x0c: return "Serial bus";
	case 0xff: return "Unassigned";
	default: return "Other";
	}
}
