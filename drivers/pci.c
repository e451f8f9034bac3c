// SPDX-License-Identifier: MIT
/*
 * PCIe enumeration through ECAM, the device inventory, the mapping of each
 * function to its VT-d unit and its isolation group.
 */
#define LOG_SUBSYS "pci"
#include "drivers/pci.h"
#include "drivers/pci_regs.h"
#include "iommu/iommu.h"
#include "kernel/log.h"
#include "kernel/platform.h"
#include "kernel/timer.h"
#include "lib/format.h"
#include "lib/string.h"

struct pci_dev pci_devs[PCI_MAX_DEVS];
u32 pci_ndevs;

/* Bridges nest at most this deep; deeper means a loop in bus numbers. */
#define PCI_MAX_DEPTH 32

const char *pci_addr_str(struct pci_addr a, char *buf, size_t len)
{
	fmt_snprintf(buf, len, "%04x:%02x:%02x.%u", a.segment, a.bus, a.dev, a.fn);
	return buf;
}

static u32 ecam_read32(void *ctx, u16 off)
{
	return pci_cfg_read32(*(struct pci_addr *)ctx, off);
}

static void ecam_write32(void *ctx, u16 off, u32 v)
{
	pci_cfg_write32(*(struct pci_addr *)ctx, off, v);
}

void pci_dev_io(struct pci_dev *d, struct pci_cfg_io *io)
{
	io->read32 = ecam_read32;
	io->write32 = ecam_write32;
	io->ctx = &d->addr;
}

static void note_cap(void *ctx, u8 id, u16 off)
{
	struct pci_dev *d = ctx;

	switch (id) {
	case PCI_CAP_ID_EXP: if (!d->cap_exp) d->cap_exp = off; break;
	case PCI_CAP_ID_MSI: if (!d->cap_msi) d->cap_msi = off; break;
	case PCI_CAP_ID_MSIX: if (!d->cap_msix) d->cap_msix = off; break;
	case PCI_CAP_ID_PM: if (!d->cap_pm) d->cap_pm = off; break;
	}
}

static void note_ecap(void *ctx, u16 id, u16 off)
{
	struct pci_dev *d = ctx;

	switch (id) {
	case PCI_EXT_CAP_ID_ACS: if (!d->ecap_acs) d->ecap_acs = off; break;
	case PCI_EXT_CAP_ID_ARI: if (!d->ecap_ari) d->ecap_ari = off; break;
	case PCI_EXT_CAP_ID_SRIOV: if (!d->ecap_sriov) d->ecap_sriov = off; break;
	case PCI_EXT_CAP_ID_AER: if (!d->ecap_aer) d->ecap_aer = off; break;
	}
}

/*
 * Sizes the BARs with memory and I/O decode off, so that the all-ones
 * probe value is never decoded as an address (§7.5.1.2.1 implementation
 * note), then restores Command.
 */
static void probe_bars(struct pci_dev *d, const struct pci_cfg_io *io)
{
	u16 cmd = pci_cfg_read16(d->addr, PCI_COMMAND);
	u16 max = PCI_LAST_BAR(PCI_BAR0, d->hdr_type == PCI_HEADER_TYPE_BRIDGE ?
					 PCI_BRIDGE_NUM_BARS : PCI_NUM_BARS);
	u16 reg;
	u8 i = 0;

	pci_cfg_write16(d->addr, PCI_COMMAND,
			cmd & ~(PCI_COMMAND_MEMORY | PCI_COMMAND_IO));
	for (reg = PCI_BAR0; reg <= max && i < PCI_NUM_BARS; i++) {
		int used = pci_bar_size(io, reg, max, &d->bar[i]);

		if (!used) {
			pr_warn("%02x:%02x.%u BAR%u: 64-bit BAR in the last slot, ignored\n",
				d->addr.bus, d->addr.dev, d->addr.fn, i);
			d->bar[i].size = 0;
			break;
		}
		reg += 4 * used;
		if (used == 2 && i + 1 < PCI_NUM_BARS)
			d->bar[++i].size = 0; /* upper half */
	}
	d->nbars = i;
	pci_cfg_write16(d->addr, PCI_COMMAND, cmd);
}

void pci_dev_probe(struct pci_dev *d)
{
	struct pci_cfg_io io;
	int n;

	pci_dev_io(d, &io);
	d->cap_exp = d->cap_msi = d->cap_msix = d->cap_pm = 0;
	d->ecap_acs = d->ecap_ari = d->ecap_sriov = d->ecap_aer = 0;
	d->pcie_type = 0xffff;
	n = pci_walk_caps(&io, note_cap, d);
	if (n < 0)
		pr_warn("%02x:%02x.%u: capability list %s, walk stopped\n",
			d->addr.bus, d->addr.dev, d->addr.fn,
			n == PCI_CAPS_E_LOOP ? "loops" : "points out of range");
	if (d->cap_exp) {
		d->pcie_type = PCI_EXP_FLAGS_TYPE(
			pci_cfg_read16(d->addr, d->cap_exp + PCI_EXP_FLAGS));
		n = pci_walk_ecaps(&io, note_ecap, d);
		if (n < 0)
			pr_warn("%02x:%02x.%u: extended capability list %s, walk stopped\n",
				d->addr.bus, d->addr.dev, d->addr.fn,
				n == PCI_CAPS_E_LOOP ? "loops" : "points out of range");
	}
	if (!d->is_vf)
		probe_bars(d, &io);
}

struct pci_dev *pci_add_dev(const struct pci_dev *d)
{
	if (pci_ndevs >= PCI_MAX_DEVS) {
		pr_err("more than %u functions, %02x:%02x.%u not recorded\n",
		       PCI_MAX_DEVS, d->addr.bus, d->addr.dev, d->addr.fn);
		return NULL;
	}
	pci_devs[pci_ndevs] = *d;
	return &pci_devs[pci_ndevs++];
}

static void scan_bus(u16 seg, u8 bus, u16 parent, u32 depth, u8 *bus_seen);

/*
 * The hypervisor owns the fabric, so like an OS it turns on the ACS
 * isolation controls a port offers (PCIe §7.7.8.3): Source Validation,
 * P2P Request/Completion Redirect, Upstream Forwarding. Then peer-to-peer
 * traffic below the port goes up through the IOMMU.
 */
static void enable_acs(struct pci_dev *d)
{
	u16 cap, ctrl;

	if (!d->ecap_acs)
		return;
	cap = pci_cfg_read16(d->addr, d->ecap_acs + PCI_ACS_CAP);
	ctrl = pci_cfg_read16(d->addr, d->ecap_acs + PCI_ACS_CTRL);
	pci_cfg_write16(d->addr, d->ecap_acs + PCI_ACS_CTRL,
			ctrl | (cap & PCI_ACS_ISOLATE));
}

static void probe_function(u16 seg, u8 bus, u8 dev, u8 fn, u16 parent,
			   u32 depth, u8 *bus_seen, bool *multi)
{
	struct pci_addr a = { seg, bus, dev, fn };
	struct pci_dev nd = { 0 }, *d;
	u32 id = pci_cfg_read32(a, PCI_VENDOR_ID);
	u8 hdr;

	if ((id & 0xffff) == 0xffff || (id & 0xffff) == 0)
		return;
	hdr = pci_cfg_read8(a, PCI_HEADER_TYPE);
	if (fn == 0)
		*multi = hdr & PCI_HEADER_MULTIFUNC;
	nd.addr = a;
	nd.vendor = (u16)id;
	nd.device = (u16)(id >> 16);
	nd.class_code = pci_cfg_read32(a, PCI_CLASS_REVISION) >> 8;
	nd.hdr_type = hdr & PCI_HEADER_TYPE_MASK;
	nd.multifunction = hdr & PCI_HEADER_MULTIFUNC;
	nd.parent = parent;
	nd.drhd = -1;
	d = pci_add_dev(&nd);
	if (!d)
		return;
	pci_dev_probe(d);
	if (d->hdr_type != PCI_HEADER_TYPE_BRIDGE)
		return;
	enable_acs(d);
	d->sec_bus = pci_cfg_read8(a, PCI_SECONDARY_BUS);
	d->sub_bus = pci_cfg_read8(a, PCI_SUBORDINATE_BUS);
	/*
	 * We keep the firmware's bus numbers. A secondary bus that is not
	 * above our own, or beyond the subordinate, is a misprogrammed (or
	 * not yet programmed) bridge: say so and do not follow it.
	 */
	if (d->sec_bus <= bus || d->sub_bus < d->sec_bus) {
		pr_warn("%02x:%02x.%u: bridge buses %02x-%02x not below bus %02x, not scanned\n",
			bus, dev, fn, d->sec_bus, d->sub_bus, bus);
		return;
	}
	scan_bus(seg, d->sec_bus, (u16)(d - pci_devs), depth + 1, bus_seen);
}

static void scan_bus(u16 seg, u8 bus, u16 parent, u32 depth, u8 *bus_seen)
{
	u8 dev, fn;

	if (depth > PCI_MAX_DEPTH) {
		pr_err("segment %u bus %02x: bridges nest deeper than %u, stopped\n",
		       seg, bus, PCI_MAX_DEPTH);
		return;
	}
	if (bus_seen[bus / 8] & BIT(bus % 8)) {
		pr_err("segment %u bus %02x reached twice (bridge loop), skipped\n",
		       seg, bus);
		return;
	}
	bus_seen[bus / 8] |= (u8)BIT(bus % 8);
	for (dev = 0; dev < 32; dev++) {
		bool multi = false;

		for (fn = 0; fn < 8; fn++) {
			struct pci_addr a = { seg, bus, dev, fn };

			if (!pci_cfg_valid(a))
				return;
			probe_function(seg, bus, dev, fn, parent, depth,
				       bus_seen, &multi);
			if (fn == 0 && !multi)
				break;
		}
	}
}

u32 pci_enumerate(void)
{
	u32 i;

	pci_ndevs = 0;
	for (i = 0; i < platform.necam; i++) {
		const struct mcfg_entry *e = &platform.ecam[i];
		u8 bus_seen[32] = { 0 };
		u32 before = pci_ndevs;

		scan_bus(e->segment, e->start_bus, PCI_NO_PARENT, 0, bus_seen);
		pr_info("segment %u buses %02x-%02x: %u functions\n", e->segment,
			e->start_bus, e->end_bus, pci_ndevs - before);
	}
	return pci_ndevs;
}

/* ---- isolation groups (simplified PCIe ACS rules) --------------------- */

/*
 * A bridge isolates what is below it when peer-to-peer requests and
 * completions are redirected upstream and source-validated: ACS SV, RR,
 * CR and UF enabled (PCIe §6.12). Root ports without ACS do not isolate
 * their subtree from each other (only one device below a root port here,
 * but the rule does not know that).
 */
static bool acs_isolates(const struct pci_dev *b)
{
	u16 ctrl;

	if (!b->ecap_acs)
		return false;
	ctrl = pci_cfg_read16(b->addr, b->ecap_acs + PCI_ACS_CTRL);
	return (ctrl & PCI_ACS_ISOLATE) == PCI_ACS_ISOLATE;
}

/*
 * The device that names d's group: walking up, the topmost bridge that
 * does not isolate its subtree swallows everything below it; otherwise
 * functions of one multi-function device without ACS share the group of
 * function 0, and VFs follow their PF unless the PF is a single-function
 * device (then each VF is its own requester and its own group).
 */
static const struct pci_dev *group_leader(const struct pci_dev *d)
{
	const struct pci_dev *lead = d, *p;
	u32 i;

	if (d->is_vf) {
		const struct pci_dev *pf = &pci_devs[d->pf];

		if (pf->multifunction && !pf->ecap_acs)
			return group_leader(pf);
	}
	for (p = d->parent == PCI_NO_PARENT ? NULL : &pci_devs[d->parent]; p;
	     p = p->parent == PCI_NO_PARENT ? NULL : &pci_devs[p->parent])
		if (!acs_isolates(p))
			lead = p;
	if (lead != d)
		return lead;
	if (d->multifunction && !d->ecap_acs && !d->is_vf)
		for (i = 0; i < pci_ndevs; i++)
			if (!pci_devs[i].is_vf &&
			    pci_devs[i].addr.segment == d->addr.segment &&
			    pci_devs[i].addr.bus == d->addr.bus &&
			    pci_devs[i].addr.dev == d->addr.dev)
				return &pci_devs[i];
	return d;
}

void pci_assign_groups(void)
{
	u16 next = 0;
	u32 i, j;

	for (i = 0; i < pci_ndevs; i++) {
		struct pci_dev *d = &pci_devs[i];
		const struct pci_dev *lead = group_leader(d);

		d->drhd = iommu_unit_of(d->addr.segment, pci_rid(d->addr));
		if (lead != d && lead < d) {
			d->group = lead->group;
			continue;
		}
		d->group = next++;
		/* A leader found after its members (a bridge listed later) */
		for (j = 0; j < i; j++)
			if (group_leader(&pci_devs[j]) == d)
				pci_devs[j].group = d->group;
	}
}

/* ---- inventory -------------------------------------------------------- */

static void size_str(u64 size, char *buf, size_t len)
{
	if (size >= (1ull << 30) && IS_ALIGNED(size, 1ull << 30))
		fmt_snprintf(buf, len, "%lluG", size >> 30);
	else if (size >= (1ull << 20) && IS_ALIGNED(size, 1ull << 20))
		fmt_snprintf(buf, len, "%lluM", size >> 20);
	else if (size >= 1024 && IS_ALIGNED(size, 1024))
		fmt_snprintf(buf, len, "%lluK", size >> 10);
	else
		fmt_snprintf(buf, len, "%llu", size);
}

struct caps_line {
	char buf[160];
	size_t len;
};

static void caps_append(struct caps_line *c, const char *name, u16 id)
{
	if (c->len >= sizeof(c->buf))
		return;
	if (name)
		c->len += fmt_snprintf(c->buf + c->len, sizeof(c->buf) - c->len,
				   " %s", name);
	else
		c->len += fmt_snprintf(c->buf + c->len, sizeof(c->buf) - c->len,
				   " %#x", id);
}

static void cap_name_cb(void *ctx, u8 id, u16 off)
{
	caps_append(ctx, pci_cap_name(id), id);
}

static void ecap_name_cb(void *ctx, u16 id, u16 off)
{
	caps_append(ctx, pci_ecap_name(id), id);
}

static void print_dev(struct pci_dev *d)
{
	struct caps_line c = { .len = 0 };
	struct pci_cfg_io io;
	char a[16], sz[16];
	u32 i;

	pr_info("%s %04x:%04x class %04x (%s)%s%s\n",
		pci_addr_str(d->addr, a, sizeof(a)), d->vendor, d->device,
		d->class_code >> 8, pci_class_name(d->class_code),
		d->role ? " " : "", d->role ? d->role : "");
	if (d->hdr_type == PCI_HEADER_TYPE_BRIDGE)
		pr_info("  bridge: buses %02x-%02x\n", d->sec_bus, d->sub_bus);
	for (i = 0; i < PCI_NUM_BARS; i++) {
		const struct pci_bar *b = &d->bar[i];

		if (!b->size)
			continue;
		size_str(b->size, sz, sizeof(sz));
		pr_info("  BAR%u %s%s %#llx %s\n", i, pci_bar_type_name(b->type),
			b->prefetch ? " pref" : "", b->base, sz);
	}
	pci_dev_io(d, &io);
	c.buf[0] = 0;
	pci_walk_caps(&io, cap_name_cb, &c);
	if (d->cap_exp) {
		caps_append(&c, "|", 0);
		pci_walk_ecaps(&io, ecap_name_cb, &c);
	}
	if (c.len)
		pr_info("  caps:%s\n", c.buf);
	if (d->drhd >= 0)
		pr_info("  iommu: DRHD %d, group %u\n", d->drhd, d->group);
	else
		pr_info("  iommu: none (DMA untranslated), group %u\n", d->group);
}

/* One line per isolation group: "group 3: 0000:01:00.0 0000:01:10.0". */
static void print_groups(u32 ngroups)
{
	char line[160], a[16];
	u32 g, i;

	for (g = 0; g < ngroups; g++) {
		size_t n = 0;
		u32 members = 0;

		line[0] = 0;
		for (i = 0; i < pci_ndevs && n < sizeof(line); i++) {
			if (pci_devs[i].group != g)
				continue;
			members++;
			n += fmt_snprintf(line + n, sizeof(line) - n, " %s",
					  pci_addr_str(pci_devs[i].addr, a, sizeof(a)));
		}
		pr_info("group %u (%u function%s):%s\n", g, members,
			members == 1 ? "" : "s", line);
	}
}

void pci_print_inventory(void)
{
	u32 i, ngroups = 0;

	/* VFs are listed right after their PF. */
	for (i = 0; i < pci_ndevs; i++) {
		u32 j;

		if (pci_devs[i].group >= ngroups)
			ngroups = pci_devs[i].group + 1u;
		if (pci_devs[i].is_vf)
			continue;
		print_dev(&pci_devs[i]);
		for (j = 0; j < pci_ndevs; j++)
			if (pci_devs[j].is_vf && pci_devs[j].pf == i)
				print_dev(&pci_devs[j]);
	}
	pr_info("%u functions in %u isolation groups\n", pci_ndevs, ngroups);
	print_groups(ngroups);
}

/* ---- Function Level Reset (PCIe §6.6.2, §7.5.3.4) --------------------- */

bool pci_has_flr(struct pci_dev *d)
{
	return d->cap_exp &&
	       (pci_cfg_read32(d->addr, d->cap_exp + PCI_EXP_DEVCAP) &
		PCI_EXP_DEVCAP_FLR);
}

void pci_enable_mem_dma(struct pci_dev *d)
{
	u16 cmd = pci_cfg_read16(d->addr, PCI_COMMAND);

	/* QEMU quirk: a VF's own MEM bit gates its BARs; BME its DMA. */
	pci_cfg_write16(d->addr, PCI_COMMAND,
			cmd | PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER);
}

int pci_flr(struct pci_dev *d)
{
	u16 ctl;
	u64 t0;
	char a[16];
	int i;

	pci_addr_str(d->addr, a, sizeof(a));
	if (!pci_has_flr(d)) {
		pr_warn("%s: no FLR capability, not reset\n", a);
		return -1;
	}
	t0 = time_ns();
	/* §6.6.2: wait (bounded) for pending transactions before the FLR. */
	for (i = 0; i < 100; i++) {
		if (!(pci_cfg_read16(d->addr, d->cap_exp + PCI_EXP_DEVSTA) &
		      PCI_EXP_DEVSTA_TRPND))
			break;
		udelay(1000);
	}
	ctl = pci_cfg_read16(d->addr, d->cap_exp + PCI_EXP_DEVCTL);
	pci_cfg_write16(d->addr, d->cap_exp + PCI_EXP_DEVCTL,
			ctl | PCI_EXP_DEVCTL_BCR_FLR);
	/* §6.6.2: no config request until 100 ms after the FLR. */
	udelay(100 * 1000);
	pr_info("%s: FLR done in %llu ms\n", a, (time_ns() - t0) / 1000000);
	return 0;
}

/* ---- config space dumps for the unit-test fixtures -------------------- */

/*
 * With log_level = debug every function's 4 KiB config space is printed
 * as "[pci] cfg SSSS:BB:DD.F OOO: 32 hex bytes" lines;
 * tests/fixtures/pci/extract.sh turns a serial log into .bin files.
 */
static void dump_config(const struct pci_dev *d)
{
	char a[16], line[100];
	u16 off;
	u32 i;

	pci_addr_str(d->addr, a, sizeof(a));
	for (off = 0; off < PCI_CFG_SIZE; off += 32) {
		size_t n = 0;

		for (i = 0; i < 32; i += 4) {
			u32 v = pci_cfg_read32(d->addr, off + i);

			n += fmt_snprintf(line + n, sizeof(line) - n, "%02x%02x%02x%02x",
				      v & 0xff, (v >> 8) & 0xff, (v >> 16) & 0xff,
				      v >> 24);
		}
		pr_debug("cfg %s %03x: %s\n", a, off, line);
	}
}

void pci_dump_all(void)
{
	u32 i;

	for (i = 0; i < pci_ndevs; i++)
		dump_config(&pci_devs[i]);
}
