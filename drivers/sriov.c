// SPDX-License-Identifier: MIT
/*
 * SR-IOV bring-up, following PCIe Base Spec 6.0 §9.3.3: the PF's SR-IOV
 * extended capability gives TotalVFs, First VF Offset, VF Stride and six
 * VF BARs; software sets NumVFs, programs the VF BARs, sets VF Enable and
 * VF MSE, and waits 100 ms before touching a VF (§9.3.3.3.1).
 */
#define LOG_SUBSYS "sriov"
#include "drivers/sriov.h"
#include "drivers/pci_regs.h"
#include "iommu/iommu.h"
#include "kernel/log.h"
#include "kernel/platform.h"
#include "kernel/timer.h"

/* Fixed platform range (IOAPIC, HPET, VT-d, LAPIC, flash) at the top of
 * the 32-bit space: never place a BAR there. */
#define MMIO_32_TOP 0xfec00000ull

/*
 * What sriov_enable() changed, so that a failure undoes exactly that, in
 * reverse order (undo_enable()). System Page Size is left: we only ever
 * write 4 KiB, its default (§9.3.3.13).
 */
struct sriov_undo {
	bool bridge_ari;	/* ARI Forwarding set on the parent port */
	u16 bridge_ctl2;	/* its Device Control 2 before */
	bool pf_ari;		/* ARI Capable Hierarchy set on the PF */
	bool num_vfs;		/* NumVFs written */
	bool window_grown;	/* parent bridge's memory window grown */
	u16 bridge_limit;	/* its Memory Limit before */
	u32 bars;		/* VF BARs written: bit i = VF BAR i */
	u32 bars64;		/* those that are 64-bit (two registers) */
	u32 bar_old[PCI_NUM_BARS][2];	/* their values before (lo, hi) */
	bool vf_enable;		/* VF Enable / VF MSE set */
};

static u16 rd16(struct pci_dev *pf, u16 reg)
{
	return pci_cfg_read16(pf->addr, pf->ecap_sriov + reg);
}

static void wr16(struct pci_dev *pf, u16 reg, u16 v)
{
	pci_cfg_write16(pf->addr, pf->ecap_sriov + reg, v);
}

/* An address range in use, for the placement search. */
struct range {
	u64 lo, hi;	/* inclusive */
};

static bool overlaps(u64 lo, u64 hi, const struct range *r, u32 n)
{
	u32 i;

	for (i = 0; i < n; i++)
		if (lo <= r[i].hi && r[i].lo <= hi)
			return true;
	return false;
}

/* VF BAR ranges placed so far (six per PF, one PF today). */
static struct range placed[PCI_NUM_BARS];
static u32 nplaced;

/* Every memory BAR we know of, the VF BARs placed so far, the ECAM
 * windows. */
static u32 used_ranges(struct range *r, u32 max)
{
	u32 i, j, n = 0;

	for (i = 0; i < nplaced && n < max; i++)
		r[n++] = placed[i];

	for (i = 0; i < pci_ndevs && n < max; i++) {
		const struct pci_dev *d = &pci_devs[i];

		for (j = 0; j < PCI_NUM_BARS && n < max; j++)
			if (d->bar[j].size && d->bar[j].type != PCI_BAR_IO) {
				r[n].lo = d->bar[j].base;
				r[n++].hi = d->bar[j].base + d->bar[j].size - 1;
			}
	}
	for (i = 0; i < platform.necam && n < max; i++) {
		const struct mcfg_entry *e = &platform.ecam[i];

		r[n].lo = e->base + ((u64)e->start_bus << 20);
		r[n++].hi = e->base + ((u64)(e->end_bus + 1) << 20) - 1;
	}
	return n;
}

/* The parent bridge's non-prefetchable window (§7.5.1.3.8). */
static bool bridge_mem_window(const struct pci_dev *b, u64 *lo, u64 *hi)
{
	u16 base = pci_cfg_read16(b->addr, PCI_MEMORY_BASE);
	u16 limit = pci_cfg_read16(b->addr, PCI_MEMORY_LIMIT);

	*lo = (u64)(base & 0xfff0) << 16;
	*hi = ((u64)(limit & 0xfff0) << 16) | 0xfffff;
	return *lo <= *hi;
}

/* Grows b's window to end at hi; the first growth remembers the limit. */
static void grow_bridge_window(const struct pci_dev *b, u64 hi,
			       struct sriov_undo *u)
{
	if (!u->window_grown) {
		u->bridge_limit = pci_cfg_read16(b->addr, PCI_MEMORY_LIMIT);
		u->window_grown = true;
	}
	pci_cfg_write16(b->addr, PCI_MEMORY_LIMIT, (u16)((hi >> 16) & 0xfff0));
}

/*
 * Finds size bytes aligned to align for the VF BARs below pf. Inside the
 * parent bridge's memory window first; if it is full, grows the window's
 * limit upwards (1 MiB granules) into space no BAR, window or ECAM uses.
 * On the root bus (no bridge) the search runs above the highest 32-bit
 * BAR, below the fixed platform range.
 */
static u64 place(struct pci_dev *pf, u64 size, u64 align,
		 struct sriov_undo *undo)
{
	static struct range used[PCI_NUM_BARS * PCI_MAX_DEVS + PLATFORM_MAX_ECAM];
	u32 n = used_ranges(used, ARRAY_SIZE(used));
	struct pci_dev *br = pf->parent == PCI_NO_PARENT ? NULL
							 : &pci_devs[pf->parent];
	u64 lo, hi, a, top;
	u32 i;

	if (br) {
		if (!bridge_mem_window(br, &lo, &hi)) {
			pr_err("bridge %02x:%02x.%u has no memory window\n",
			       br->addr.bus, br->addr.dev, br->addr.fn);
			return 0;
		}
		for (a = ALIGN_UP(lo, align); a + size - 1 <= hi; a += align)
			if (!overlaps(a, a + size - 1, used, n))
				return a;
		/* Grow: the space just above the window must be free. */
		top = ALIGN_UP(ALIGN_UP(hi + 1, align) + size, 1ull << 20) - 1;
		if (top < MMIO_32_TOP && !overlaps(hi + 1, top, used, n)) {
			a = ALIGN_UP(hi + 1, align);
			grow_bridge_window(br, top, undo);
			pr_info("bridge %02x:%02x.%u memory window grown to %#llx-%#llx\n",
				br->addr.bus, br->addr.dev, br->addr.fn, lo, top);
			return a;
		}
		pr_err("no room for %#llx bytes in bridge window %#llx-%#llx\n",
		       size, lo, hi);
		return 0;
	}
	lo = 0;
	for (i = 0; i < n; i++)
		if (used[i].hi < MMIO_32_TOP && used[i].hi + 1 > lo &&
		    used[i].lo >= 0x80000000ull)
			lo = used[i].hi + 1;
	if (!lo) {
		pr_err("root bus: no 32-bit BAR to place the VF BARs near\n");
		return 0;
	}
	for (a = ALIGN_UP(lo, align); a + size <= MMIO_32_TOP; a += align)
		if (!overlaps(a, a + size - 1, used, n))
			return a;
	return 0;
}

/*
 * ARI (§6.13): with ARI Capable Hierarchy set, VFs may use device numbers
 * other than 0 behind a port. We set it when the parent port can forward
 * ARI (then enable ARI Forwarding there too); on the root bus every
 * device number is reachable and we leave it clear.
 */
static bool setup_ari(struct pci_dev *pf, struct sriov_undo *u)
{
	struct pci_dev *br;
	u32 cap2;
	u16 ctl2, ctl;

	if (pf->parent == PCI_NO_PARENT)
		return false;
	br = &pci_devs[pf->parent];
	if (!br->cap_exp || !pf->ecap_ari)
		return false;
	cap2 = pci_cfg_read32(br->addr, br->cap_exp + PCI_EXP_DEVCAP2);
	if (!(cap2 & PCI_EXP_DEVCAP2_ARI))
		return false;
	ctl2 = pci_cfg_read16(br->addr, br->cap_exp + PCI_EXP_DEVCTL2);
	u->bridge_ctl2 = ctl2;
	u->bridge_ari = true;
	pci_cfg_write16(br->addr, br->cap_exp + PCI_EXP_DEVCTL2,
			ctl2 | PCI_EXP_DEVCTL2_ARI);
	ctl = rd16(pf, PCI_SRIOV_CTRL);
	u->pf_ari = true;
	wr16(pf, PCI_SRIOV_CTRL, ctl | PCI_SRIOV_CTRL_ARI);
	return true;
}

/* Sizes the six VF BARs with VF MSE off (§9.3.3.14). */
static void size_vf_bars(struct pci_dev *pf, struct sriov_info *s)
{
	struct pci_cfg_io io;
	u16 reg = pf->ecap_sriov + PCI_SRIOV_BAR;
	u16 max = PCI_LAST_BAR(reg, PCI_NUM_BARS);
	u32 i = 0;

	pci_dev_io(pf, &io);
	while (reg <= max && i < PCI_NUM_BARS) {
		int used = pci_bar_size(&io, reg, max, &s->vf_bar[i]);

		if (!used)
			break;
		reg += 4 * used;
		i += used;
	}
}

static void write_vf_bar(struct pci_dev *pf, u32 i, const struct pci_bar *b,
			 struct sriov_undo *u)
{
	u16 reg = pf->ecap_sriov + PCI_SRIOV_BAR + 4 * i;
	u32 lo = pci_cfg_read32(pf->addr, reg);

	u->bar_old[i][0] = lo;
	if (b->type == PCI_BAR_MEM64) {
		u->bar_old[i][1] = pci_cfg_read32(pf->addr, reg + 4);
		u->bars64 |= BIT(i);
	}
	u->bars |= BIT(i);
	pci_cfg_write32(pf->addr, reg, (u32)b->base | (lo & 0xf));
	if (b->type == PCI_BAR_MEM64)
		pci_cfg_write32(pf->addr, reg + 4, (u32)(b->base >> 32));
}

static void disable_vfs(struct pci_dev *pf)
{
	u16 ctl = rd16(pf, PCI_SRIOV_CTRL);

	if (ctl & (PCI_SRIOV_CTRL_VFE | PCI_SRIOV_CTRL_MSE)) {
		wr16(pf, PCI_SRIOV_CTRL,
		     ctl & ~(PCI_SRIOV_CTRL_VFE | PCI_SRIOV_CTRL_MSE));
		/* §9.3.3.3.1: 1 s before re-enabling is the worst case; a
		 * VF that was never used needs no wait for pending TLPs. */
		udelay(1000);
	}
}

static void add_vfs(struct pci_dev *pf, struct sriov_info *s)
{
	u16 pf_idx = (u16)(pf - pci_devs);
	u16 rid0 = pci_rid(pf->addr);
	u16 i;
	u32 b;

	s->first = (u16)pci_ndevs;
	for (i = 0; i < s->num_vfs; i++) {
		u16 rid = (u16)(rid0 + s->offset + i * s->stride);
		struct pci_dev nd = { 0 }, *vf;
		u16 cmd;

		nd.addr.segment = pf->addr.segment;
		nd.addr.bus = (u8)(rid >> 8);
		nd.addr.dev = (rid >> 3) & 31;
		nd.addr.fn = rid & 7;
		nd.vendor = pf->vendor; /* VF Vendor ID reads 0xffff (§9.3.4.1.1) */
		nd.device = s->vf_device;
		nd.class_code = pci_cfg_read32(nd.addr, PCI_CLASS_REVISION) >> 8;
		nd.is_vf = true;
		nd.pf = pf_idx;
		nd.vf_index = i;
		nd.parent = pf->parent;
		nd.drhd = -1;
		nd.role = "VF";	/* the PF's driver names it (pci_main.c) */
		for (b = 0; b < PCI_NUM_BARS; b++) {
			nd.bar[b] = s->vf_bar[b];
			if (nd.bar[b].size)
				nd.bar[b].base += (u64)i * nd.bar[b].size;
		}
		vf = pci_add_dev(&nd);
		if (!vf)
			break;
		/* The DMAR lists the PF: its scope covers the VF too. */
		if (iommu_add_vf(nd.addr.segment, rid, rid0))
			pr_warn("VF %u: the IOMMU cannot record its PF; looked up by its own id\n",
				i);
		pci_dev_probe(vf);
		/* QEMU quirk: a VF decodes its BARs only with its own MEM bit. */
		cmd = pci_cfg_read16(vf->addr, PCI_COMMAND);
		pci_cfg_write16(vf->addr, PCI_COMMAND,
				cmd | PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER);
	}
}

/* Places and programs each VF BAR (num VFs' worth); 0 or -1. */
static int place_vf_bars(struct pci_dev *pf, u16 num, struct sriov_info *s,
			 struct sriov_undo *undo)
{
	u64 base;
	u32 i;

	for (i = 0; i < PCI_NUM_BARS; i++) {
		struct pci_bar *b = &s->vf_bar[i];
		u64 total = b->size * num;

		if (!b->size)
			continue;
		if (b->type == PCI_BAR_IO) {
			pr_err("VF BAR%u is an I/O BAR, unsupported\n", i);
			return -1;
		}
		/* Each VF's BAR is naturally aligned to its size. */
		base = place(pf, total, b->size, undo);
		if (!base)
			return -1;
		b->base = base;
		write_vf_bar(pf, i, b, undo);
		pr_info("VF BAR%u %s%s %#llx: %u x %lluK\n", i,
			pci_bar_type_name(b->type), b->prefetch ? " pref" : "",
			b->base, num, b->size >> 10);
		placed[nplaced].lo = b->base;
		placed[nplaced++].hi = b->base + total - 1;
	}
	return 0;
}

/* VF Enable + VF MSE and the wait before the first VF access; 0 or -1. */
static int vf_enable(struct pci_dev *pf, struct sriov_info *s,
		     struct sriov_undo *undo)
{
	u16 ctl = rd16(pf, PCI_SRIOV_CTRL);
	u64 t0 = time_ns();

	undo->vf_enable = true;
	wr16(pf, PCI_SRIOV_CTRL, ctl | PCI_SRIOV_CTRL_VFE);
	wr16(pf, PCI_SRIOV_CTRL, ctl | PCI_SRIOV_CTRL_VFE | PCI_SRIOV_CTRL_MSE);
	/* §9.3.3.3.1: no VF config request for 100 ms after VF Enable. */
	udelay(100 * 1000);
	s->enable_ns = time_ns() - t0;
	if (!(rd16(pf, PCI_SRIOV_CTRL) & PCI_SRIOV_CTRL_VFE)) {
		pr_err("VF Enable did not stick\n");
		return -1;
	}
	return 0;
}

static void restore_vf_bar(struct pci_dev *pf, u32 i,
			   const struct sriov_undo *u)
{
	u16 reg = pf->ecap_sriov + PCI_SRIOV_BAR + 4 * i;

	pci_cfg_write32(pf->addr, reg, u->bar_old[i][0]);
	if (u->bars64 & BIT(i))
		pci_cfg_write32(pf->addr, reg + 4, u->bar_old[i][1]);
}

/* A failed enable leaves the PF and its port as they were, in reverse. */
static void undo_enable(struct pci_dev *pf, const struct sriov_undo *u)
{
	struct pci_dev *br = pf->parent == PCI_NO_PARENT ? NULL
							 : &pci_devs[pf->parent];
	u32 i;

	if (u->vf_enable)
		disable_vfs(pf);
	for (i = PCI_NUM_BARS; i-- > 0;)
		if (u->bars & BIT(i))
			restore_vf_bar(pf, i, u);
	if (u->window_grown && br)
		pci_cfg_write16(br->addr, PCI_MEMORY_LIMIT, u->bridge_limit);
	if (u->num_vfs)
		wr16(pf, PCI_SRIOV_NUM_VF, 0);
	if (u->pf_ari)
		wr16(pf, PCI_SRIOV_CTRL,
		     rd16(pf, PCI_SRIOV_CTRL) & ~PCI_SRIOV_CTRL_ARI);
	if (u->bridge_ari && br)
		pci_cfg_write16(br->addr, br->cap_exp + PCI_EXP_DEVCTL2,
				u->bridge_ctl2);
	nplaced = 0;
	pr_err("%02x:%02x.%u: SR-IOV not enabled; NumVFs, VF BARs, ARI and bridge window restored\n",
	       pf->addr.bus, pf->addr.dev, pf->addr.fn);
}

/* Offset and stride depend on NumVFs and ARI (§9.3.3.9): read after. */
static bool vf_rids_valid(struct pci_dev *pf, u16 num, struct sriov_info *s)
{
	s->offset = rd16(pf, PCI_SRIOV_VF_OFFSET);
	s->stride = rd16(pf, PCI_SRIOV_VF_STRIDE);
	s->vf_device = rd16(pf, PCI_SRIOV_VF_DID);
	if (!s->offset || (num > 1 && !s->stride) ||
	    pci_rid(pf->addr) + s->offset + (u32)(num - 1) * s->stride > 0xffff) {
		pr_err("bad First VF Offset %#x / VF Stride %#x\n", s->offset,
		       s->stride);
		return false;
	}
	return true;
}

u16 sriov_enable(struct pci_dev *pf, u16 num, struct sriov_info *s)
{
	struct sriov_undo undo = { 0 };
	u16 init;

	*s = (struct sriov_info){ 0 };
	if (!pf->ecap_sriov) {
		pr_err("%02x:%02x.%u has no SR-IOV capability\n", pf->addr.bus,
		       pf->addr.dev, pf->addr.fn);
		return 0;
	}
	disable_vfs(pf);
	s->total_vfs = rd16(pf, PCI_SRIOV_TOTAL_VF);
	init = rd16(pf, PCI_SRIOV_INITIAL_VF);
	if (num > s->total_vfs || num > SRIOV_MAX_VFS) {
		pr_warn("%u VFs wanted, PF offers %u: using %u\n", num,
			s->total_vfs, MIN(s->total_vfs, SRIOV_MAX_VFS));
		num = MIN(s->total_vfs, SRIOV_MAX_VFS);
	}
	if (!num)
		return 0;
	nplaced = 0;
	s->ari = setup_ari(pf, &undo);
	undo.num_vfs = true;
	wr16(pf, PCI_SRIOV_NUM_VF, num);
	s->num_vfs = num;
	if (!vf_rids_valid(pf, num, s))
		goto fail;
	/* 4 KiB system page size, the only one x86 uses (§9.3.3.13). */
	if (pci_cfg_read32(pf->addr, pf->ecap_sriov + PCI_SRIOV_SUP_PGSIZE) & 1)
		pci_cfg_write32(pf->addr, pf->ecap_sriov + PCI_SRIOV_SYS_PGSIZE, 1);
	size_vf_bars(pf, s);
	if (place_vf_bars(pf, num, s, &undo) || vf_enable(pf, s, &undo))
		goto fail;
	add_vfs(pf, s);
	pr_info("%02x:%02x.%u: %u of %u VFs enabled (initial %u), offset %#x stride %u, VF %04x:%04x, ARI %s, waited %llu ms\n",
		pf->addr.bus, pf->addr.dev, pf->addr.fn, num, s->total_vfs, init,
		s->offset, s->stride, pf->vendor, s->vf_device,
		s->ari ? "on" : "off", s->enable_ns / 1000000);
	return num;
fail:
	undo_enable(pf, &undo);
	s->num_vfs = 0;
	s->ari = false;
	return 0;
}

struct pci_dev *sriov_vf(const struct sriov_info *s, u16 n)
{
	if (n >= s->num_vfs || s->first + n >= pci_ndevs)
		return NULL;
	return &pci_devs[s->first + n];
}
