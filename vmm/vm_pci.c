// SPDX-License-Identifier: MIT
/*
 * The virtual PCI bus of a guest, wired (see vm_pci.h and docs/vpci.md):
 *
 *  - config space: vpci reads and writes the real function through the
 *    kernel's ECAM accessors; a VF's ids come from its PF's SR-IOV
 *    capability (a VF reads 0xffff there);
 *  - BARs: each memory BAR is laid out in the function's MMIO slot and
 *    mapped uncached in the NPT by bar_moved(), except the pages holding
 *    the MSI-X table and PBA: those trap and reach vmm/vmsix.c;
 *  - MSI-X: a live guest entry gets an IRTE (remapped format, source-id
 *    verified for the function's requester id) whose host vector fires on
 *    the CPU the guest runs on (its own AP; no forwarding through cpu0).
 *    The host handler asks vmsix_deliver() and posts the guest's vector
 *    into the vCPU's descriptor (vm_post_irq).
 *
 * Everything that touches vpci/vmsix state runs on the guest's CPU (exit
 * handlers and the host vector handler): the exit paths hold interrupts
 * off while they do, so the handler never sees a half-updated entry.
 */
#define LOG_SUBSYS "vmm"
#include "drivers/pci.h"
#include "drivers/pci_regs.h"
#include "iommu/iommu.h"
#include "kernel/cpu.h"
#include "kernel/log.h"
#include "kernel/mm.h"
#include "kernel/pagetable.h"
#include "kernel/percpu.h"
#include "kernel/trap.h"
#include "lib/hv_abi.h"
#include "lib/string.h"
#include "vmm/vm.h"
#include "vmm/vm_pci.h"
#include "vmm/vmsix.h"
#include "vmm/vpci.h"
#include "vmm/x86_decode.h"


struct vm_pci_fn {
	struct vm *vm;
	struct pci_dev *pci;
	struct vpci_func f;
	struct vmsix msix;
	bool has_msix;
	struct vmsix_layout lay;
	volatile u32 *table, *pba;	/* the real ones, mapped uncached */
	u8 hvec[VMSIX_MAX_VECTORS];	/* host vector per entry, 0: none */
	u8 gvec[VMSIX_MAX_VECTORS];	/* guest vector it stands for */
};

struct vm_pci {
	struct vm *vm;
	struct vpci_bus bus;
	struct vm_pci_fn fn[CFG_MAX_DEVICES];
	u32 nfn;
};

static struct vm_pci buses[CFG_MAX_GUESTS];

/* Host vector -> (function, entry), read by the handler. */
static struct {
	struct vm_pci_fn *fn;
	u16 entry;
} by_vector[256];

/* PCIe 6.0 §7.7.2.7: one pending bit per vector, in whole qwords. */
static u64 pba_bytes(u16 nvec)
{
	return ALIGN_UP((u64)nvec, 64) / 8;
}

/* ---- real config space -------------------------------------------- */

static u32 cfg_read(void *ctx, u16 reg, u8 size)
{
	struct pci_dev *d = ctx;

	if (size == 1)
		return pci_cfg_read8(d->addr, reg);
	if (size == 2)
		return pci_cfg_read16(d->addr, reg);
	return pci_cfg_read32(d->addr, reg);
}

static void cfg_write(void *ctx, u16 reg, u8 size, u32 val)
{
	struct pci_dev *d = ctx;

	if (size == 1)
		pci_cfg_write8(d->addr, reg, (u8)val);
	else if (size == 2)
		pci_cfg_write16(d->addr, reg, (u16)val);
	else
		pci_cfg_write32(d->addr, reg, val);
}

/* ---- the real MSI-X table (vmsix_hw) -------------------------------- */

static u32 hw_table_read(void *ctx, u32 off)
{
	return ((struct vm_pci_fn *)ctx)->table[off / 4];
}

static void hw_table_write(void *ctx, u32 off, u32 val)
{
	((struct vm_pci_fn *)ctx)->table[off / 4] = val;
}

static u32 hw_pba_read(void *ctx, u32 off)
{
	return ((struct vm_pci_fn *)ctx)->pba[off / 4];
}

static void hw_ctrl_write(void *ctx, u16 ctrl)
{
	struct vm_pci_fn *fn = ctx;

	pci_cfg_write16(fn->pci->addr, fn->pci->cap_msix + PCI_MSIX_FLAGS, ctrl);
}

/* ---- interrupts (vmsix_irq_ops) ------------------------------------- */

static void host_vector_fired(struct regs *regs)
{
	struct vm_pci_fn *fn = by_vector[regs->vector & 0xff].fn;
	u16 entry = by_vector[regs->vector & 0xff].entry;

	if (fn && vmsix_deliver(&fn->msix, entry))
		vm_post_irq(fn->vm, fn->gvec[entry]);
}

static int irq_alloc(void *ctx, u16 segment, u16 rid)
{
	return iommu_irq_alloc(segment, rid);
}

static int irq_program(void *ctx, int handle, u32 vcpu, u8 vector, u16 entry,
		       struct iommu_msi *msi)
{
	struct vm_pci_fn *fn = ctx;
	struct percpu *cpu = cpu_table[fn->vm->cpu];
	struct iommu_irq_target t;

	if (!cpu)
		return -1;
	if (!fn->hvec[entry]) {
		u8 hv = irq_alloc_vector(host_vector_fired);

		if (!hv) {
			pr_warn("%s: no free host vector for MSI-X entry %u\n",
				fn->vm->name, entry);
			return -1;
		}
		by_vector[hv].entry = entry;
		__atomic_store_n(&by_vector[hv].fn, fn, __ATOMIC_RELEASE);
		fn->hvec[entry] = hv;
	}
	fn->gvec[entry] = vector;
	/* The descriptor only where the CPU processes it (its NV is set):
	 * the unit then posts if it has CAP.PI, else remaps to hvec. */
	vmsix_irq_target(&t, cpu->apic_id, fn->hvec[entry],
			 vm_ops->hw_posted ? virt_to_phys(fn->vm->vcpu.pi) : 0,
			 vector);
	if (iommu_irq_program(handle, &t, msi))
		return -1;
	if (msi->posted)
		pr_info("%s: %02x:%02x.%u MSI-X entry %u: guest vector %#x -> IRTE %d posted into the vCPU's descriptor at %#llx\n",
			fn->vm->name, fn->pci->addr.bus, fn->pci->addr.dev,
			fn->pci->addr.fn, entry, vector, handle & 0xffff,
			t.pi_desc_pa);
	else
		pr_info("%s: %02x:%02x.%u MSI-X entry %u: guest vector %#x -> IRTE %d remapped, host vector %#x on APIC %u\n",
			fn->vm->name, fn->pci->addr.bus, fn->pci->addr.dev,
			fn->pci->addr.fn, entry, vector, handle & 0xffff,
			fn->hvec[entry], cpu->apic_id);
	return 0;
}

static void irq_free(void *ctx, int handle)
{
	iommu_irq_free(handle);
}

static void irq_inject(void *ctx, u32 vcpu, u8 vector)
{
	vm_post_irq(((struct vm_pci_fn *)ctx)->vm, vector);
}

static void msix_refused(void *ctx, const struct vmsix_event *e)
{
	struct vm_pci_fn *fn = ctx;

	pr_warn("%s: dev %02x MSI-X entry %u refused: %s (address %#x:%08x, data %#x); entry stays masked\n",
		fn->vm->name, fn->f.dev, e->entry, vmsix_refusal_name(e->reason),
		e->addr_hi, e->addr_lo, e->data);
}

/* ---- BARs in the nested page tables ---------------------------------- */

/* True if page [off, off + 4K) of BAR bar holds the MSI-X table or PBA. */
static bool msix_page(const struct vm_pci_fn *fn, u8 bar, u64 off)
{
	const struct vmsix_layout *l = &fn->lay;
	u64 tab_end = l->table_off + (u64)l->nvec * VMSIX_ENTRY_SIZE;
	u64 pba_end = l->pba_off + pba_bytes(l->nvec);

	if (!fn->has_msix)
		return false;
	if (bar == l->table_bar && off < tab_end &&
	    off + PAGE_SIZE > ALIGN_DOWN(l->table_off, PAGE_SIZE))
		return true;
	return bar == l->pba_bar && off < pba_end &&
	       off + PAGE_SIZE > ALIGN_DOWN(l->pba_off, PAGE_SIZE);
}

static void bar_moved(void *ctx, u8 bar, u64 old_gpa, u64 new_gpa)
{
	struct vm_pci_fn *fn = ctx;
	struct pagetable *npt = &fn->vm->npt;
	const struct pci_bar *b = &fn->pci->bar[bar];
	u64 off;
	int err = 0;

	if (old_gpa) {
		err = pt_unmap(npt, old_gpa, b->size);
		/* Or the vCPU could go on reaching the BAR at the old GPA. */
		if (!err && vm_ops->flush_nested(&fn->vm->vcpu)) {
			vm_stop(fn->vm, "BAR%u of dev %02x moved: this CPU cannot flush the nested TLB",
				bar, fn->f.dev);
			return;
		}
	}
	for (off = 0; new_gpa && !err && off < b->size; off += PAGE_SIZE)
		if (!msix_page(fn, bar, off))
			err = pt_map(npt, new_gpa + off, b->base + off,
				     PAGE_SIZE, PT_R | PT_W | PT_UC);
	if (err) {
		vm_stop(fn->vm, "BAR%u of dev %02x: nested page tables: %s",
			bar, fn->f.dev, pt_strerror(err));
		return;
	}
	if (old_gpa && new_gpa)	/* decode on/off (sizing) is not news */
		pr_info("%s: dev %02x BAR%u moved from GPA %#llx to %#llx\n",
			fn->vm->name, fn->f.dev, bar, old_gpa, new_gpa);
}

static void log_event(const struct vm *vm, const struct vpci_event *e)
{
	char line[160];

	vpci_event_format(line, sizeof(line), e);
	pr_warn("%s: %s\n", vm->name, line);
}

static void fn_event(void *ctx, const struct vpci_event *e)
{
	log_event(((struct vm_pci_fn *)ctx)->vm, e);
}

static void bus_event(void *ctx, const struct vpci_event *e)
{
	log_event(((struct vm_pci *)ctx)->vm, e);
}

/* ---- setup and teardown -------------------------------------------- */

int vm_pci_init(struct vm *vm)
{
	struct vm_pci *p;
	struct vpci_hooks hooks = { .event = bus_event };

	if (vm->index >= CFG_MAX_GUESTS)
		return -1;
	p = &buses[vm->index];
	hooks.ctx = p;
	memset(p, 0, sizeof(*p));
	p->vm = vm;
	vpci_bus_init(&p->bus, HV_GUEST_MMIO_BASE,
		      HV_GUEST_MMIO_END - HV_GUEST_MMIO_BASE, &hooks);
	vm->pci = p;
	return 0;
}

/* BAR0 at the slot's start, the others after it, each aligned to its size. */
static void layout_bars(const struct pci_dev *pci, u64 slot,
			struct vpci_bar_desc *out)
{
	u64 at = slot, end = slot + HV_GUEST_MMIO_STRIDE;
	u32 i;

	for (i = 0; i < VPCI_NBARS && i < PCI_NUM_BARS; i++) {
		const struct pci_bar *b = &pci->bar[i];
		u64 gpa = ALIGN_UP(at, b->size ? b->size : 1);

		/* I/O BARs are not shown; sub-page BARs cannot be mapped
		 * without exposing what shares their page. */
		if ((b->type != PCI_BAR_MEM32 && b->type != PCI_BAR_MEM64) ||
		    b->size < PAGE_SIZE || gpa + b->size > end)
			continue;
		out[i] = (struct vpci_bar_desc){ .size = b->size,
			.type = b->type, .prefetch = b->prefetch, .gpa = gpa };
		at = gpa + b->size;
	}
}

static int msix_setup(struct vm_pci_fn *fn)
{
	const struct pci_dev *pci = fn->pci;
	struct vpci_cfg_backend cfg = { cfg_read, cfg_write, fn->pci };
	struct vmsix_config c = {
		.segment = pci->addr.segment, .rid = pci_rid(pci->addr),
		.nvcpus = 1, .apic_id = { 0 },	/* the vCPU's x2APIC id */
		.hw = { hw_table_read, hw_table_write, hw_pba_read,
			hw_ctrl_write, fn },
		.irq = { irq_alloc, irq_program, irq_free, irq_inject, fn },
		.event = msix_refused, .event_ctx = fn,
	};
	const struct pci_bar *tb, *pb;

	if (!pci->cap_msix)
		return 0;
	if (!vmsix_layout_read(&cfg, pci->cap_msix, &fn->lay))
		return -1;
	tb = &pci->bar[fn->lay.table_bar];
	pb = &pci->bar[fn->lay.pba_bar];
	c.nvec = fn->lay.nvec;
	if (!tb->size || !pb->size)
		return -1;
	fn->table = mmio_map(tb->base + fn->lay.table_off,
			     (u64)c.nvec * VMSIX_ENTRY_SIZE);
	fn->pba = mmio_map(pb->base + fn->lay.pba_off, pba_bytes(c.nvec));
	if (!fn->table || !fn->pba || vmsix_init(&fn->msix, &c))
		return -1;
	fn->has_msix = true;
	return 0;
}

/* A VF reads 0xffff as its ids: the PF's SR-IOV capability has them. */
static void vf_ids(const struct pci_dev *pci, struct vpci_func_config *c)
{
	const struct pci_dev *pf = &pci_devs[pci->pf];

	if (!pci->is_vf || !pf->ecap_sriov)
		return;
	c->vendor_id = pf->vendor;
	c->device_id = pci_cfg_read16(pf->addr,
				      pf->ecap_sriov + PCI_SRIOV_VF_DID);
}

int vm_pci_attach(struct vm *vm, struct vm_device *vd, u64 slot_gpa)
{
	struct vm_pci *p = vm->pci;
	struct vm_pci_fn *fn;
	struct vpci_func_config c = { .cfg = { cfg_read, cfg_write, vd->pci } };
	int err;

	if (!p || p->nfn >= CFG_MAX_DEVICES)
		return -1;
	fn = &p->fn[p->nfn];
	memset(fn, 0, sizeof(*fn));
	fn->vm = vm;
	fn->pci = vd->pci;
	if (msix_setup(fn)) {
		pr_err("%s: %02x:%02x.%u: its MSI-X capability cannot be emulated\n",
		       vm->name, vd->pci->addr.bus, vd->pci->addr.dev,
		       vd->pci->addr.fn);
		return -1;
	}
	p->nfn++;	/* from here on vm_pci_release undoes it */
	vf_ids(vd->pci, &c);
	layout_bars(vd->pci, slot_gpa, c.bar);
	c.msix = fn->has_msix ? &fn->msix : NULL;
	c.hooks = (struct vpci_hooks){ bar_moved, fn_event, fn };
	err = vpci_add_function(&p->bus, &fn->f, (u8)p->nfn, &c);
	if (err || vm_finished(vm)) {
		pr_err("%s: %02x:%02x.%u: not added to its PCI bus (%d)\n",
		       vm->name, vd->pci->addr.bus, vd->pci->addr.dev,
		       vd->pci->addr.fn, err);
		return -1;
	}
	pr_info("%s: %02x:%02x.%u is 00:%02x.0 on its PCI bus (%04x:%04x), %u MSI-X vector(s) emulated\n",
		vm->name, vd->pci->addr.bus, vd->pci->addr.dev, vd->pci->addr.fn,
		p->nfn, c.vendor_id ? c.vendor_id : vd->pci->vendor,
		c.device_id ? c.device_id : vd->pci->device,
		fn->has_msix ? fn->lay.nvec : 0);
	return 0;
}

static u32 live_entries(const struct vm_pci_fn *fn)
{
	u32 i, n = 0;

	for (i = 0; fn->has_msix && i < fn->msix.c.nvec; i++)
		n += fn->msix.e[i].irte >= 0;
	return n;
}

static void fn_release(struct vm_pci_fn *fn)
{
	u32 i, live = live_entries(fn);

	if (fn->has_msix) {
		vmsix_release(&fn->msix);
		pr_info("%s: %02x:%02x.%u MSI-X off: real entries masked, %u IRTE(s) freed\n",
			fn->vm->name, fn->pci->addr.bus, fn->pci->addr.dev,
			fn->pci->addr.fn, live);
	}
	for (i = 0; i < VMSIX_MAX_VECTORS; i++) {
		u8 hv = fn->hvec[i];

		if (!hv)
			continue;
		__atomic_store_n(&by_vector[hv].fn, NULL, __ATOMIC_RELEASE);
		irq_free_vector(hv);
		fn->hvec[i] = 0;
	}
	if (fn->has_msix && (fn->msix.refused || fn->msix.bad_access))
		pr_info("%s: dev %02x: %llu MSI-X entries refused, %llu bad table accesses\n",
			fn->vm->name, fn->f.dev, fn->msix.refused,
			fn->msix.bad_access);
}

void vm_pci_release(struct vm *vm)
{
	struct vm_pci *p = vm->pci;
	u64 flags;

	if (!p)
		return;
	flags = irq_save();
	while (p->nfn)
		fn_release(&p->fn[--p->nfn]);
	irq_restore(flags);
	if (p->bus.denied || p->bus.bad_access)
		pr_info("%s: %llu config-space writes refused, %llu bad config accesses\n",
			vm->name, p->bus.denied, p->bus.bad_access);
	vm->pci = NULL;
}

/* ---- guest accesses ------------------------------------------------- */

bool vm_pci_owns_port(const struct vm *vm, u16 port)
{
	return vm->pci && vpci_is_port(port);
}

void vm_pci_pio(struct vm *vm, u16 port, u8 size, bool in, u32 *val)
{
	u64 flags = irq_save();

	if (in)
		vpci_pio_read(&vm->pci->bus, port, size, val);
	else	/* OUT of 1 or 2 bytes: RAX's upper bits are not data */
		vpci_pio_write(&vm->pci->bus, port, size,
			       size >= 4 ? *val : *val & ((1u << 8 * size) - 1));
	irq_restore(flags);
}

enum mmio_target { MMIO_NONE, MMIO_ECAM, MMIO_TABLE, MMIO_PBA };

/* Which emulated region gpa is in; *fn and *off say where in it. */
static enum mmio_target mmio_find(struct vm_pci *p, u64 gpa,
				  struct vm_pci_fn **fn, u64 *off)
{
	u32 i;

	if (gpa >= HV_GUEST_ECAM_GPA &&
	    gpa < HV_GUEST_ECAM_GPA + HV_GUEST_ECAM_SIZE) {
		*off = gpa - HV_GUEST_ECAM_GPA;
		return MMIO_ECAM;
	}
	for (i = 0; i < p->nfn; i++) {
		struct vm_pci_fn *f = &p->fn[i];
		u64 tab, pba;

		if (!f->has_msix)
			continue;
		tab = vpci_func_bar_gpa(&f->f, f->lay.table_bar);
		pba = vpci_func_bar_gpa(&f->f, f->lay.pba_bar);
		*fn = f;
		/* The PBA may share the table's page: its exact range first. */
		if (pba && gpa >= pba + f->lay.pba_off &&
		    gpa < pba + f->lay.pba_off + pba_bytes(f->lay.nvec)) {
			*off = gpa - pba - f->lay.pba_off;
			return MMIO_PBA;
		}
		/* The whole page: vmsix refuses what is outside the table. */
		if (tab && gpa >= tab + ALIGN_DOWN(f->lay.table_off, PAGE_SIZE) &&
		    gpa < tab + ALIGN_UP(f->lay.table_off + 1, PAGE_SIZE)) {
			*off = gpa - tab - f->lay.table_off;
			return MMIO_TABLE;
		}
		if (pba && gpa >= pba + ALIGN_DOWN(f->lay.pba_off, PAGE_SIZE) &&
		    gpa < pba + ALIGN_UP(f->lay.pba_off + 1, PAGE_SIZE)) {
			*off = gpa - pba - f->lay.pba_off;
			return MMIO_PBA;
		}
	}
	return MMIO_NONE;
}

/* Below the table's start in its page: an offset vmsix refuses. */
static u32 vmsix_off(u64 off)
{
	return (s64)off < 0 ? ~0u : (u32)off;
}

static u64 mmio_read(struct vm_pci_fn *fn, struct vm_pci *p, u8 t, u64 off,
		     u8 size)
{
	u64 v = ~0ull;

	if (t == MMIO_ECAM)
		return vpci_ecam_read(&p->bus, off, size);
	if (t == MMIO_TABLE)
		vmsix_table_read(&fn->msix, vmsix_off(off), size, &v);
	else
		vmsix_pba_read(&fn->msix, vmsix_off(off), size, &v);
	return v;
}

static void mmio_write(struct vm_pci_fn *fn, struct vm_pci *p, u8 t, u64 off,
		       u8 size, u64 v)
{
	if (t == MMIO_ECAM)
		vpci_ecam_write(&p->bus, off, size, (u32)v);
	else if (t == MMIO_TABLE)
		vmsix_table_write(&fn->msix, vmsix_off(off), size, v);
	/* the PBA is read-only: writes are ignored (PCIe 6.0 §7.7.2.7) */
}

/* A load writes dst_size bytes: 4 zero-extends, 1 and 2 merge. */
static void reg_store(struct vcpu *v, const struct x86_insn *in, u64 val)
{
	u8 size = in->zero_extend ? in->dst_size : in->opsize;
	u64 *r = &v->gpr[in->reg];

	if (size >= 4)
		*r = size == 4 ? (u32)val : val;
	else
		*r = (*r & ~((1ull << (8 * size)) - 1)) |
		     (val & ((1ull << (8 * size)) - 1));
}

static bool insn_ok(const struct x86_insn *in)
{
	if (in->kind != X86_MOV_LOAD && in->kind != X86_MOV_STORE &&
	    in->kind != X86_MOV_STORE_IMM)
		return false;
	/* RSP lives in the VMCB/VMCS, AH..BH need no REX: not emulated. */
	if (in->kind != X86_MOV_STORE_IMM &&
	    (in->reg == GPR_RSP || (in->opsize == 1 && !in->rex &&
				    in->reg >= 4 && in->reg < 8)))
		return false;
	return true;
}

bool vm_pci_mmio(struct vm *vm, const struct vcpu_exit *e)
{
	struct vm_pci *p = vm->pci;
	struct vm_pci_fn *fn = NULL;
	struct x86_insn in;
	u64 off, val, flags;
	enum mmio_target t;

	if (!p || e->fetch)
		return false;
	t = mmio_find(p, e->gpa, &fn, &off);
	if (t == MMIO_NONE)
		return false;
	if (vm_decode_insn(vm, &in) || !insn_ok(&in)) {
		vm_stop(vm, "%s at GPA %#llx (virtual PCI) at RIP %#llx: not a MOV the VMM emulates",
			e->write ? "write" : "read", e->gpa, vm->vcpu.rip);
		return true;
	}
	flags = irq_save();
	if (in.kind == X86_MOV_LOAD) {
		val = mmio_read(fn, p, t, off, in.opsize);
		reg_store(&vm->vcpu, &in, val);
	} else {
		val = in.kind == X86_MOV_STORE_IMM ? in.imm : vm->vcpu.gpr[in.reg];
		if (in.opsize < 8)
			val &= (1ull << (8 * in.opsize)) - 1;
		mmio_write(fn, p, t, off, in.opsize, val);
	}
	irq_restore(flags);
	vm->vcpu.rip += in.len;
	return true;
}
