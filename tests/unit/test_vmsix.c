// SPDX-License-Identifier: MIT
/*
 * vmm/vmsix.c against a model of the real function (its MSI-X table, PBA
 * and message control) and of the IOMMU: the model's IRTEs are encoded by
 * iommu/irte.c (remapped format, SVT/SQ source-id verification) and the
 * MSI address/data it hands back are irte_msi()'s, so the test checks
 * what a real entry would receive. Guest vCPUs have APIC ids 0 and 1; the
 * VF's requester id is 01:10.0.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "drivers/pci_regs.h"
#include "iommu/irte.h"
#include "iommu/vtd_regs.h"
#include "tests/unit/fixture.h"
#include "vmm/vmsix.h"

#define NVEC 3
#define VF_RID 0x0180		/* 01:10.0 */
#define NIRTE 8
#define HOST_APIC(vcpu) (4 + (vcpu))	/* the CPUs the vCPUs run on */
#define HOST_VECTOR(entry) (0x40 + (entry))

struct hw {
	u32 table[NVEC * 4];
	u32 pba[2];
	u16 ctrl;
	unsigned ctrl_writes;
	/* IOMMU model */
	bool used[NIRTE];
	u16 sid[NIRTE];
	struct vtd_u128 irte[NIRTE];
	unsigned allocs, frees;
	bool fail_alloc;
	/* what was injected / refused */
	u32 inj_vcpu[8];
	u8 inj_vec[8];
	unsigned ninj;
	struct vmsix_event ev[16];
	unsigned nev;
};

static u32 t_rd(void *ctx, u32 off)
{
	return ((struct hw *)ctx)->table[off / 4];
}

static void t_wr(void *ctx, u32 off, u32 v)
{
	((struct hw *)ctx)->table[off / 4] = v;
}

static u32 p_rd(void *ctx, u32 off)
{
	return ((struct hw *)ctx)->pba[off / 4];
}

static void c_wr(void *ctx, u16 v)
{
	struct hw *h = ctx;

	h->ctrl = v;
	h->ctrl_writes++;
}

static int i_alloc(void *ctx, u16 seg, u16 rid)
{
	struct hw *h = ctx;
	int i;

	if (h->fail_alloc)
		return IOMMU_ENOSPC;
	for (i = 0; i < NIRTE; i++)
		if (!h->used[i]) {
			h->used[i] = true;
			h->sid[i] = rid;
			h->allocs++;
			return i;
		}
	return IOMMU_ENOSPC;
}

/* What the integration does: target from the vCPU, IRTE, MSI. */
static int i_prog(void *ctx, int handle, u32 vcpu, u8 vector, u16 entry,
		  struct iommu_msi *msi)
{
	struct hw *h = ctx;
	struct iommu_irq_target t;
	struct irte_remapped r;

	assert_true(handle >= 0 && handle < NIRTE && h->used[handle]);
	vmsix_irq_target(&t, HOST_APIC(vcpu), HOST_VECTOR(entry), 0, vector);
	assert_int_equal(t.pi_desc_pa, 0);
	assert_int_equal(t.guest_vector, vector);
	r = (struct irte_remapped){ .dest = t.dest_apic_id, .vector = t.vector,
				    .level = t.level, .x2apic = true,
				    .sid = h->sid[handle] };
	if (!irte_encode_remapped(&r, &h->irte[handle]))
		return IOMMU_EINVAL;
	irte_msi((u16)handle, &msi->address, &msi->data);
	return 0;
}

static void i_free(void *ctx, int handle)
{
	struct hw *h = ctx;

	assert_true(handle >= 0 && handle < NIRTE && h->used[handle]);
	h->used[handle] = false;
	h->irte[handle].lo = 0;
	h->frees++;
}

static void i_inject(void *ctx, u32 vcpu, u8 vector)
{
	struct hw *h = ctx;

	h->inj_vcpu[h->ninj] = vcpu;
	h->inj_vec[h->ninj++] = vector;
}

static void on_event(void *ctx, const struct vmsix_event *e)
{
	struct hw *h = ctx;

	assert_true(h->nev < 16);
	h->ev[h->nev++] = *e;
}

struct rig {
	struct hw hw;
	struct vmsix v;
};

static void rig_up(struct rig *r)
{
	struct vmsix_config c = {
		.segment = 0, .rid = VF_RID, .nvec = NVEC,
		.apic_id = { 0, 1 }, .nvcpus = 2,
		.irq = { i_alloc, i_prog, i_free, i_inject, &r->hw },
		.event = on_event, .event_ctx = &r->hw,
	};
	unsigned i;

	memset(r, 0, sizeof(*r));
	for (i = 0; i < NVEC; i++)	/* garbage a reset would leave */
		r->hw.table[i * 4] = 0xdeadbeef;
	c.hw = (struct vmsix_hw){ t_rd, t_wr, p_rd, c_wr, &r->hw };
	assert_int_equal(vmsix_init(&r->v, &c), VPCI_OK);
}

static u32 real(struct rig *r, u16 entry, u32 reg)
{
	return r->hw.table[(entry * VMSIX_ENTRY_SIZE + reg) / 4];
}

static void put(struct rig *r, u16 entry, u32 reg, u32 v)
{
	assert_true(vmsix_table_write(&r->v, entry * VMSIX_ENTRY_SIZE + reg,
				      4, v));
}

/* Writes a whole entry the way Linux does: address, data, then unmask. */
static void program(struct rig *r, u16 entry, u32 addr, u32 data)
{
	put(r, entry, VMSIX_ENTRY_ADDR_LO, addr);
	put(r, entry, VMSIX_ENTRY_ADDR_HI, 0);
	put(r, entry, VMSIX_ENTRY_DATA, data);
	put(r, entry, VMSIX_ENTRY_CTRL, 0);
}

static void enable(struct rig *r)
{
	vmsix_ctrl_write(&r->v, PCI_MSIX_FLAGS_ENABLE);
}

static bool real_masked(struct rig *r, u16 entry)
{
	return real(r, entry, VMSIX_ENTRY_CTRL) & VMSIX_CTRL_MASKED;
}

static void test_init(void **state)
{
	static struct rig r;
	struct vmsix_config c;
	static struct vmsix v;
	u16 i;

	rig_up(&r);
	/* Every real entry masked, MSI-X off, guest entries read masked. */
	for (i = 0; i < NVEC; i++) {
		u64 val;

		assert_true(real_masked(&r, i));
		assert_true(vmsix_table_read(&r.v, i * 16 + 12, 4, &val));
		assert_int_equal(val, VMSIX_CTRL_MASKED);
	}
	assert_int_equal(r.hw.ctrl, 0);
	c = r.v.c;
	c.nvec = 0;
	assert_int_equal(vmsix_init(&v, &c), VPCI_EINVAL);
	c.nvec = VMSIX_MAX_VECTORS + 1;
	assert_int_equal(vmsix_init(&v, &c), VPCI_EINVAL);
	c.nvec = 1;
	c.irq.inject = NULL;
	assert_int_equal(vmsix_init(&v, &c), VPCI_EINVAL);
}

static void test_valid_entry(void **state)
{
	static struct rig r;
	u64 addr;
	u32 data;
	int h;

	rig_up(&r);
	enable(&r);
	assert_int_equal(r.hw.allocs, 0);	/* still masked */
	program(&r, 1, 0xfee01000, 0x0051);	/* APIC 1, fixed, vector 0x51 */
	assert_int_equal(r.hw.allocs, 1);
	h = r.v.e[1].irte;
	assert_true(h >= 0);
	/* The IRTE: present, vector and destination of the host CPU the
	 * vCPU runs on, and the VF's requester id verified (SVT 01, SQ 0). */
	assert_int_equal(r.hw.irte[h].lo & VTD_IRTE_P, VTD_IRTE_P);
	assert_int_equal((r.hw.irte[h].lo >> 16) & 0xff, HOST_VECTOR(1));
	assert_int_equal(r.hw.irte[h].lo >> 32, HOST_APIC(1));
	assert_int_equal(r.hw.irte[h].hi,
			 VTD_IRTE_SID(VF_RID) | VTD_IRTE_SQ(0) |
			 VTD_IRTE_SVT(VTD_SVT_RID));
	/* The real entry: the remappable address/data, unmasked. */
	irte_msi((u16)h, &addr, &data);
	assert_int_equal(real(&r, 1, VMSIX_ENTRY_ADDR_LO), (u32)addr);
	assert_int_equal(real(&r, 1, VMSIX_ENTRY_ADDR_LO) & VTD_MSI_ADDR_IF,
			 VTD_MSI_ADDR_IF);
	assert_int_equal(real(&r, 1, VMSIX_ENTRY_ADDR_HI), 0);
	assert_int_equal(real(&r, 1, VMSIX_ENTRY_DATA), data);
	assert_false(real_masked(&r, 1));
	assert_true(real_masked(&r, 0));
	/* The guest reads its own values back, not the real ones. */
	{
		u64 v;

		assert_true(vmsix_table_read(&r.v, 16, 8, &v));
		assert_int_equal(v, 0xfee01000);
		assert_true(vmsix_table_read(&r.v, 24, 8, &v));
		assert_int_equal(v, 0x51);
	}
	/* Lowest priority, RH set, APIC 0: also fine. */
	program(&r, 2, 0xfee00008, 0x0161);
	assert_true(r.v.e[2].irte >= 0);
	assert_int_equal(r.v.e[2].vcpu, 0);
	assert_int_equal(r.v.refused, 0);
	assert_int_equal(r.hw.nev, 0);
	/* Teardown frees everything and masks every real entry. */
	vmsix_release(&r.v);
	assert_int_equal(r.hw.frees, 2);
	assert_true(real_masked(&r, 1) && real_masked(&r, 2));
	assert_int_equal(r.hw.ctrl, 0);
}

struct bad_case {
	u32 addr_hi, addr, data;
	u8 reason;
};

static void test_refused_entries(void **state)
{
	static const struct bad_case cases[] = {
		{ 0, 0xfee00000, 0x0441, VMSIX_BAD_DELIVERY },	/* NMI */
		{ 0, 0xfee00000, 0x0241, VMSIX_BAD_DELIVERY },	/* SMI */
		{ 0, 0xfee00000, 0x0541, VMSIX_BAD_DELIVERY },	/* INIT */
		{ 0, 0xfee00000, 0x0741, VMSIX_BAD_DELIVERY },	/* ExtINT */
		{ 0, 0xfee00000, 0x0341, VMSIX_BAD_DELIVERY },	/* reserved */
		{ 0, 0xfee05000, 0x0041, VMSIX_FOREIGN_APIC },	/* APIC 5 */
		{ 0, 0xfee04000, 0x0041, VMSIX_FOREIGN_APIC },	/* host's */
		{ 0, 0xfee00000, 0x000f, VMSIX_BAD_VECTOR },
		{ 0, 0xfee00000, 0x0000, VMSIX_BAD_VECTOR },
		{ 0, 0xfee00000, 0x00ff, VMSIX_BAD_VECTOR },
		{ 0, 0xfee00004, 0x0041, VMSIX_LOGICAL_DEST },
		{ 0, 0xfed00000, 0x0041, VMSIX_BAD_ADDRESS },
		{ 0, 0xfee00010, 0x0041, VMSIX_BAD_ADDRESS },	/* remappable */
		{ 1, 0xfee00000, 0x0041, VMSIX_BAD_ADDRESS },
		{ 0, 0xfee00000, 0x8041, VMSIX_LEVEL },
		{ 0, 0xfee00000, 0x10041, VMSIX_RSVD_DATA },
	};
	static struct rig r;
	unsigned i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		rig_up(&r);
		enable(&r);
		put(&r, 0, VMSIX_ENTRY_ADDR_LO, cases[i].addr);
		put(&r, 0, VMSIX_ENTRY_ADDR_HI, cases[i].addr_hi);
		put(&r, 0, VMSIX_ENTRY_DATA, cases[i].data);
		put(&r, 0, VMSIX_ENTRY_CTRL, 0);
		assert_int_equal(r.hw.allocs, 0);
		assert_int_equal(r.v.e[0].irte, -1);
		assert_true(real_masked(&r, 0));
		/* The guest's garbage never reaches the real entry. */
		assert_int_equal(real(&r, 0, VMSIX_ENTRY_ADDR_LO), 0xdeadbeef);
		assert_int_equal(r.hw.nev, 1);
		assert_int_equal(r.hw.ev[0].reason, cases[i].reason);
		assert_int_equal(r.hw.ev[0].data, cases[i].data);
		assert_non_null(vmsix_refusal_name(cases[i].reason));
		/* Reported once: masking and unmasking again is counted. */
		put(&r, 0, VMSIX_ENTRY_CTRL, 1);
		put(&r, 0, VMSIX_ENTRY_CTRL, 0);
		assert_int_equal(r.hw.nev, 1);
		assert_int_equal(r.v.refused, 2);
	}
	/* Rewritten to something valid, the entry goes live. */
	put(&r, 0, VMSIX_ENTRY_CTRL, 1);
	program(&r, 0, 0xfee00000, 0x0041);
	assert_true(r.v.e[0].irte >= 0);
	assert_false(real_masked(&r, 0));
}

static void test_no_irte(void **state)
{
	static struct rig r;

	rig_up(&r);
	enable(&r);
	r.hw.fail_alloc = true;
	program(&r, 0, 0xfee00000, 0x0041);
	assert_int_equal(r.v.e[0].irte, -1);
	assert_true(real_masked(&r, 0));
	assert_int_equal(r.hw.ev[0].reason, VMSIX_NO_IRTE);
	assert_string_equal(vmsix_refusal_name(VMSIX_NO_IRTE),
			    "no interrupt remapping entry");
}

static void test_mask_unmask(void **state)
{
	static struct rig r;
	int first;

	rig_up(&r);
	enable(&r);
	program(&r, 0, 0xfee00000, 0x0041);
	first = r.v.e[0].irte;
	assert_true(first >= 0);
	/* Masking frees the IRTE and masks the real entry. */
	put(&r, 0, VMSIX_ENTRY_CTRL, VMSIX_CTRL_MASKED);
	assert_int_equal(r.v.e[0].irte, -1);
	assert_int_equal(r.hw.frees, 1);
	assert_false(r.hw.used[first]);
	assert_true(real_masked(&r, 0));
	/* A new vector while masked; unmasking allocates again. */
	put(&r, 0, VMSIX_ENTRY_DATA, 0x0042);
	put(&r, 0, VMSIX_ENTRY_CTRL, 0);
	assert_int_equal(r.hw.allocs, 2);
	assert_true(r.v.e[0].irte >= 0);
	assert_false(real_masked(&r, 0));
	/* Vector Control's reserved bits are not kept; an unmasked write
	 * that leaves the mask clear changes nothing. */
	put(&r, 0, VMSIX_ENTRY_CTRL, 0xfffffffe);
	assert_int_equal(r.v.e[0].ctrl, 0);
	assert_int_equal(r.hw.allocs, 2);
	/* 8-byte write of data + control masks it in one access. */
	assert_true(vmsix_table_write(&r.v, 8, 8, 0x100000041ull));
	assert_int_equal(r.v.e[0].irte, -1);
	assert_int_equal(r.hw.frees, 2);
}

static void test_function_mask(void **state)
{
	static struct rig r;
	u16 i;

	rig_up(&r);
	enable(&r);
	for (i = 0; i < NVEC; i++)
		program(&r, i, 0xfee00000, 0x0041 + i);
	assert_int_equal(r.hw.allocs, NVEC);
	vmsix_ctrl_write(&r.v, PCI_MSIX_FLAGS_ENABLE | PCI_MSIX_FLAGS_MASKALL);
	assert_int_equal(r.hw.ctrl, PCI_MSIX_FLAGS_ENABLE | PCI_MSIX_FLAGS_MASKALL);
	for (i = 0; i < NVEC; i++) {
		assert_int_equal(r.v.e[i].irte, -1);
		assert_true(real_masked(&r, i));
	}
	assert_int_equal(r.hw.frees, NVEC);
	assert_int_equal(vmsix_ctrl_read(&r.v, 0x0002), 0xc002);
	/* The guest's own per-vector masks are unchanged ... */
	put(&r, 1, VMSIX_ENTRY_CTRL, VMSIX_CTRL_MASKED);
	/* ... and on function unmask the unmasked ones come back. */
	vmsix_ctrl_write(&r.v, PCI_MSIX_FLAGS_ENABLE);
	assert_int_equal(r.hw.ctrl, PCI_MSIX_FLAGS_ENABLE);
	assert_true(r.v.e[0].irte >= 0 && r.v.e[2].irte >= 0);
	assert_int_equal(r.v.e[1].irte, -1);
	assert_true(real_masked(&r, 1));
	/* MSI-X Enable off: every vector off too. */
	vmsix_ctrl_write(&r.v, 0);
	assert_int_equal(r.hw.ctrl, 0);
	assert_true(r.v.e[0].irte < 0 && r.v.e[2].irte < 0);
	assert_int_equal(vmsix_ctrl_read(&r.v, 0x8002), 0x0002);
}

static void test_bad_accesses(void **state)
{
	static struct rig r;
	u64 v;

	rig_up(&r);
	enable(&r);
	program(&r, 0, 0xfee00000, 0x0041);
	/* Odd sizes, misaligned, 8 bytes across an entry's halves, past the
	 * end: refused, counted, reads give all ones, nothing changes. */
	assert_false(vmsix_table_read(&r.v, 0, 2, &v));
	assert_int_equal(v, ~0ull);
	assert_false(vmsix_table_read(&r.v, 0, 1, &v));
	assert_false(vmsix_table_read(&r.v, 2, 4, &v));
	assert_false(vmsix_table_read(&r.v, 4, 8, &v));
	assert_false(vmsix_table_read(&r.v, NVEC * 16, 4, &v));
	assert_false(vmsix_table_write(&r.v, 12, 2, 1));
	assert_false(vmsix_table_write(&r.v, 13, 1, 1));
	assert_false(vmsix_table_write(&r.v, 12, 8, 1));
	assert_false(vmsix_table_write(&r.v, 0xfffffffc, 8, 1));
	assert_false(vmsix_pba_read(&r.v, 8, 4, &v));
	assert_false(vmsix_pba_read(&r.v, 1, 4, &v));
	assert_int_equal(r.v.bad_access, 11);
	assert_true(r.v.e[0].irte >= 0);
	assert_false(real_masked(&r, 0));
	/* The last dword of the table is fine. */
	assert_true(vmsix_table_read(&r.v, NVEC * 16 - 4, 4, &v));
}

static void test_pba(void **state)
{
	static struct rig r;
	u64 v;

	rig_up(&r);
	enable(&r);
	program(&r, 0, 0xfee00000, 0x0041);
	program(&r, 2, 0xfee01000, 0x0043);
	put(&r, 2, VMSIX_ENTRY_CTRL, VMSIX_CTRL_MASKED);
	/* The device holds vector 1 pending; bits past nvec never show. */
	r.hw.pba[0] = 0x2 | 0xfff0;
	assert_true(vmsix_pba_read(&r.v, 0, 4, &v));
	assert_int_equal(v, 0x2);
	/* Unmasked: delivered now. Masked: held by the VMM, in the PBA. */
	assert_true(vmsix_deliver(&r.v, 0));
	assert_false(vmsix_deliver(&r.v, 2));
	assert_false(vmsix_deliver(&r.v, NVEC));
	assert_true(vmsix_pba_read(&r.v, 0, 8, &v));
	assert_int_equal(v, 0x6);
	/* Unmasking delivers what was held, to the right vCPU and vector. */
	assert_int_equal(r.hw.ninj, 0);
	put(&r, 2, VMSIX_ENTRY_CTRL, 0);
	assert_int_equal(r.hw.ninj, 1);
	assert_int_equal(r.hw.inj_vcpu[0], 1);
	assert_int_equal(r.hw.inj_vec[0], 0x43);
	assert_true(vmsix_pba_read(&r.v, 0, 4, &v));
	assert_int_equal(v, 0x2);
}

static void test_resync(void **state)
{
	static struct rig r;
	u64 addr;
	u32 data;

	rig_up(&r);
	enable(&r);
	program(&r, 1, 0xfee00000, 0x0041);
	/* The function lost its table (decoding was off, say). */
	memset(r.hw.table, 0, sizeof(r.hw.table));
	vmsix_resync(&r.v);
	irte_msi((u16)r.v.e[1].irte, &addr, &data);
	assert_int_equal(real(&r, 1, VMSIX_ENTRY_ADDR_LO), (u32)addr);
	assert_false(real_masked(&r, 1));
	assert_true(real_masked(&r, 0) && real_masked(&r, 2));
	assert_int_equal(r.hw.ctrl, PCI_MSIX_FLAGS_ENABLE);
}

static u32 cfg_read(void *ctx, u16 reg, u8 size)
{
	const u8 *b = ctx;
	u32 v = 0;
	u8 i;

	for (i = 0; i < size; i++)
		v |= (u32)b[reg + i] << (i * 8);
	return v;
}

static void cfg_write(void *ctx, u16 reg, u8 size, u32 val)
{
}

static void test_layout_from_fixture(void **state)
{
	u64 len;
	u8 *cfg = fixture_read("tests/fixtures/pci/igb-pf.bin", &len);
	struct vpci_cfg_backend be = { cfg_read, cfg_write, cfg };
	struct vmsix_layout l;

	assert_int_equal(len, 4096);
	/* igb PF: MSI-X at 0x70, 10 vectors, table and PBA in BAR3. */
	assert_true(vmsix_layout_read(&be, 0x70, &l));
	assert_int_equal(l.nvec, 10);
	assert_int_equal(l.table_bar, 3);
	assert_int_equal(l.table_off, 0);
	assert_int_equal(l.pba_bar, 3);
	assert_int_equal(l.pba_off, 0x2000);
	cfg[0x74] = 7;			/* BIR 7 does not exist */
	assert_false(vmsix_layout_read(&be, 0x70, &l));
	free(cfg);
}

static void test_posted_target(void **state)
{
	struct iommu_irq_target t;

	/* With a descriptor the IOMMU may post guest_vector (CAP.PI). */
	vmsix_irq_target(&t, 3, 0x50, 0x12345640, 0x61);
	assert_int_equal(t.dest_apic_id, 3);
	assert_int_equal(t.vector, 0x50);
	assert_int_equal(t.pi_desc_pa, 0x12345640);
	assert_int_equal(t.guest_vector, 0x61);
	assert_false(t.level);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_init),
		cmocka_unit_test(test_valid_entry),
		cmocka_unit_test(test_refused_entries),
		cmocka_unit_test(test_no_irte),
		cmocka_unit_test(test_mask_unmask),
		cmocka_unit_test(test_function_mask),
		cmocka_unit_test(test_bad_accesses),
		cmocka_unit_test(test_pba),
		cmocka_unit_test(test_resync),
		cmocka_unit_test(test_layout_from_fixture),
		cmocka_unit_test(test_posted_target),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
