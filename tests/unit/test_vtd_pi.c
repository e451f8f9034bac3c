// SPDX-License-Identifier: MIT
/*
 * Posted interrupts through VT-d, on the host: the entries iommu/irte.c
 * encodes and iommu/vtd_ir.c programs are walked by a model of the
 * hardware (tests/unit/vtd_ir_model.c: IRTE -> source-id check ->
 * descriptor -> PIR/ON, SN suppression, URG, notification NV -> NDST), and
 * what it leaves in the descriptor is taken by the VMM's own pi_drain()
 * (vmm/pi_desc.h): one layout for the IOMMU, the CPU and the VMM. QEMU's
 * VT-d has no CAP.PI, so this is the only test of the posted format.
 *
 * iommu/vtd_ir.c is included here so the kernel's interrupt-masking
 * spinlocks can be replaced and the unit's registers stubbed.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "tests/unit/spinlock_stub.h"

#include "iommu/vtd_ir.c"
#include "tests/unit/log_stub.h"
#include "tests/unit/vtd_ir_model.h"
#include "vmm/pi_desc.h"

#define NV 0xf2			/* the host's notification vector */
#define GUEST_VEC 0x41
#define VF_RID 0x0180		/* 01:10.0 */
#define OTHER_RID 0x0182	/* 01:10.2, the next VF */
#define GUEST_CPU_APIC 3

/* ---- stubs for vtd_ir.c: a unit whose registers nobody reads ---------- */

static struct vtd_unit unit_storage[1];
struct vtd_unit *vtd_units = unit_storage;
u32 vtd_nunits = 1;
static unsigned iec_invalidations;

bool apic_is_x2apic(void) { return true; }
void vtd_write64(const struct vtd_unit *u, u32 off, u64 v) { }
int vtd_gcmd(struct vtd_unit *u, u32 bit, bool set) { return 0; }
void vtd_sync(const struct vtd_unit *u, const void *va, u64 len) { }
struct vtd_unit *vtd_unit_for(u16 segment, u16 rid) { return &vtd_units[0]; }

u64 vtd_alloc_page(void)
{
	void *p = aligned_alloc(4096, VTD_IRT_ENTRIES * sizeof(struct vtd_u128));

	memset(p, 0, VTD_IRT_ENTRIES * sizeof(struct vtd_u128));
	return (u64)(uintptr_t)p;
}

int vtd_invalidate(struct vtd_unit *u, const struct vtd_inv *reqs, u32 n)
{
	iec_invalidations += n;
	return 0;
}

int dmar_next_scope(const u8 *scopes, u32 len, u32 *cursor,
		    struct dmar_scope *out)
{
	return 0;
}

int dmar_scope_resolve(const struct dmar_scope *s,
		       u8 (*secondary_bus)(void *ctx, u8 bus, u8 dev, u8 fn),
		       void *ctx, u8 *bus, u8 *devfn)
{
	return -1;
}

/* ---- the machine: one descriptor, identity-mapped memory ---------------- */

static struct pi_desc desc __aligned(4096);
static struct vtd_u128 table[4] __aligned(16);

static struct pi_desc *pd_at(u64 pa)
{
	return pa == (u64)(uintptr_t)&desc ? &desc : NULL;
}

static struct irm_unit model = {
	.irt = table, .entries = 4, .eime = true, .cap_pi = true, .pd_at = pd_at,
};

static int setup(void **state)
{
	memset(table, 0, sizeof(table));
	pi_desc_init(&desc, NV, GUEST_CPU_APIC, true);
	model.irt = table;
	model.entries = 4;
	model.eime = true;
	model.cap_pi = true;
	log_stub_reset();
	return 0;
}

/* irte.c's posted entry for GUEST_VEC at slot i, requester VF_RID. */
static void put_posted(unsigned i, u8 vec, bool urgent)
{
	struct irte_posted p = { .pd_pa = (u64)(uintptr_t)&desc,
				 .vvector = vec, .urgent = urgent,
				 .sid = VF_RID };

	assert_true(irte_encode_posted(&p, &table[i]));
}

/* The device's MSI write for slot i, as irte_msi() says to program it. */
static void raise(unsigned i, u16 sid, struct irm_result *out)
{
	struct irm_request r = { .sid = sid };

	irte_msi((u16)i, &r.address, &r.data);
	irm_request(&model, &r, out);
}

static bool pir_has(u8 vec)
{
	return desc.pir[vec >> 6] & (1ull << (vec & 63));
}

/* ---- the posted format, walked ----------------------------------------- */

static void test_posted_sets_pir_and_notifies_once(void **state)
{
	struct irm_result r;
	u64 taken[4] = { 0 };

	put_posted(1, GUEST_VEC, false);
	raise(1, VF_RID, &r);
	assert_int_equal(r.fault, 0);
	assert_true(r.posted);
	assert_true(r.pd_pa == (u64)(uintptr_t)&desc);
	assert_true(pir_has(GUEST_VEC));
	assert_true(pi_pending(&desc));		/* ON */
	assert_true(r.notified);
	assert_int_equal(r.nv, NV);
	assert_int_equal(r.ndst, GUEST_CPU_APIC);
	/* ON still set: the second request only adds to the PIR */
	put_posted(2, 0x42, false);
	raise(1, VF_RID, &r);
	assert_true(r.posted && !r.notified);
	raise(2, VF_RID, &r);
	assert_true(r.posted && !r.notified);
	assert_true(pir_has(0x42));
	/* the VMM takes both from the same bytes, and ON with them */
	pi_drain(&desc, taken);
	assert_true(taken[1] == (1ull << (GUEST_VEC - 64) | 1ull << (0x42 - 64)));
	assert_false(pi_pending(&desc));
	/* the next request notifies again */
	raise(1, VF_RID, &r);
	assert_true(r.notified);
}

static void test_sn_suppresses_but_keeps_pir(void **state)
{
	struct irm_result r;

	desc.control |= VTD_PID_SN;
	put_posted(0, GUEST_VEC, false);
	raise(0, VF_RID, &r);
	assert_true(r.posted);
	assert_true(pir_has(GUEST_VEC));
	assert_false(r.notified);
	assert_false(pi_pending(&desc));	/* ON stays clear */
}

static void test_urgent_overrides_sn(void **state)
{
	struct irm_result r;

	desc.control |= VTD_PID_SN;
	put_posted(3, GUEST_VEC, true);
	raise(3, VF_RID, &r);
	assert_true(r.posted && r.notified);
	assert_int_equal(r.nv, NV);
	assert_true(pi_pending(&desc));
}

static void test_wrong_requester_faults(void **state)
{
	struct irm_result r;

	put_posted(1, GUEST_VEC, false);
	raise(1, OTHER_RID, &r);
	assert_int_equal(r.fault, VTD_FR_IR_SID);
	assert_true(r.fault_recorded);
	assert_false(r.posted || r.notified);
	assert_false(pir_has(GUEST_VEC));
	assert_false(pi_pending(&desc));
}

static void test_not_present_and_beyond_table(void **state)
{
	struct irm_result r;

	raise(2, VF_RID, &r);			/* slot 2 never written */
	assert_int_equal(r.fault, VTD_FR_IR_NOT_PRESENT);
	raise(9, VF_RID, &r);			/* the table has 4 */
	assert_int_equal(r.fault, VTD_FR_IR_INDEX);
	assert_int_equal(r.index, 9);
	assert_false(pi_pending(&desc));
}

/* A unit without CAP.PI must not accept the format: reserved (IM). */
static void test_posted_without_cap_pi_faults(void **state)
{
	struct irm_result r;

	model.cap_pi = false;
	put_posted(0, GUEST_VEC, false);
	raise(0, VF_RID, &r);
	assert_int_equal(r.fault, VTD_FR_IR_RSVD);
	assert_false(pir_has(GUEST_VEC));
}

/* xAPIC mode (EIME 0): NDST's bits 15:8 are the APIC id. */
static void test_xapic_ndst(void **state)
{
	struct irm_result r;

	model.eime = false;
	pi_desc_init(&desc, NV, 5, false);
	put_posted(0, GUEST_VEC, false);
	raise(0, VF_RID, &r);
	assert_true(r.notified);
	assert_int_equal(r.ndst, 5);
}

/* A descriptor above 4 GiB: PDA high and low put together. */
static void test_descriptor_address_split(void **state)
{
	struct irte_posted p = { .pd_pa = 0x0000001234567840ull,
				 .vvector = GUEST_VEC, .sid = VF_RID };
	struct irm_result r;

	assert_true(irte_encode_posted(&p, &table[0]));
	raise(0, VF_RID, &r);
	assert_true(r.pd_pa == 0x0000001234567840ull);
	assert_int_equal(r.fault, VTD_FR_PID_READ);	/* no memory there */
}

/* The remapped format, for comparison: a vector to an APIC, no PIR. */
static void test_remapped_entry(void **state)
{
	struct irte_remapped in = { .dest = 1, .vector = 0x31, .x2apic = true,
				    .sid = VF_RID };
	struct irm_result r;

	assert_true(irte_encode_remapped(&in, &table[1]));
	raise(1, VF_RID, &r);
	assert_true(r.remapped && !r.posted);
	assert_int_equal(r.vector, 0x31);
	assert_int_equal(r.dest, 1);
	assert_false(pi_pending(&desc));
	raise(1, OTHER_RID, &r);
	assert_int_equal(r.fault, VTD_FR_IR_SID);
}

/* ---- iommu/vtd_ir.c chooses the format by CAP.PI ----------------------- */

static struct vtd_unit *vtd_ir_unit(bool cap_pi)
{
	struct vtd_unit *u = &vtd_units[0];

	if (u->irt_pa)
		free((void *)(uintptr_t)u->irt_pa);
	memset(u, 0, sizeof(*u));
	u->qi = true;
	u->ecap = VTD_ECAP_EIM;
	u->cap = cap_pi ? VTD_CAP_PI : 0;
	assert_int_equal(vtd_ir_enable(u), 0);
	model.irt = (const struct vtd_u128 *)(uintptr_t)u->irt_pa;
	model.entries = VTD_IRT_ENTRIES;
	model.cap_pi = cap_pi;
	return u;
}

static int last_handle;

/* What vm_pci.c asks for on VMX with posted-interrupt processing. */
static const struct iommu_irq_target vcpu_target = {
	.dest_apic_id = GUEST_CPU_APIC, .vector = 0x35,
	.pi_desc_pa = 0, .guest_vector = GUEST_VEC,
};

/* A fresh unit, an entry for VF_RID programmed for the vCPU's target
 * with descriptor pd (0: none); the MSI the device is given. */
static void program(bool cap_pi, u64 pd, struct iommu_msi *msi)
{
	struct iommu_irq_target t = vcpu_target;
	int h;

	vtd_ir_unit(cap_pi);
	h = vtd_irq_alloc(0, VF_RID);
	assert_true(h >= 0);
	t.pi_desc_pa = pd;
	assert_int_equal(vtd_irq_program(h, &t, msi), 0);
	last_handle = h;
}

static void device_writes(const struct iommu_msi *msi, u16 sid,
			  struct irm_result *out)
{
	struct irm_request r = { .address = msi->address, .data = msi->data,
				 .sid = sid };

	irm_request(&model, &r, out);
}

static void test_vtd_ir_posts_with_cap_pi(void **state)
{
	struct iommu_msi msi;
	struct irm_result r;

	program(true, (u64)(uintptr_t)&desc, &msi);
	assert_true(msi.posted);
	device_writes(&msi, VF_RID, &r);
	assert_true(r.posted && r.notified);
	assert_true(pir_has(GUEST_VEC));
	assert_int_equal(r.nv, NV);
	assert_int_equal(r.ndst, GUEST_CPU_APIC);
	device_writes(&msi, OTHER_RID, &r);
	assert_int_equal(r.fault, VTD_FR_IR_SID);
	/* freed: the next request finds no entry */
	vtd_irq_free(last_handle);
	device_writes(&msi, VF_RID, &r);
	assert_int_equal(r.fault, VTD_FR_IR_NOT_PRESENT);
}

/* QEMU's case: no CAP.PI, so the host vector stands in for the guest's. */
static void test_vtd_ir_remaps_without_cap_pi(void **state)
{
	struct iommu_msi msi;
	struct irm_result r;

	program(false, (u64)(uintptr_t)&desc, &msi);
	assert_false(msi.posted);
	device_writes(&msi, VF_RID, &r);
	assert_true(r.remapped && !r.posted);
	assert_int_equal(r.vector, 0x35);
	assert_int_equal(r.dest, GUEST_CPU_APIC);
	assert_false(pi_pending(&desc));
	/* and without a descriptor, remapped even with CAP.PI */
	program(true, 0, &msi);
	assert_false(msi.posted);
	device_writes(&msi, VF_RID, &r);
	assert_true(r.remapped);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_posted_sets_pir_and_notifies_once, setup),
		cmocka_unit_test_setup(test_sn_suppresses_but_keeps_pir, setup),
		cmocka_unit_test_setup(test_urgent_overrides_sn, setup),
		cmocka_unit_test_setup(test_wrong_requester_faults, setup),
		cmocka_unit_test_setup(test_not_present_and_beyond_table, setup),
		cmocka_unit_test_setup(test_posted_without_cap_pi_faults, setup),
		cmocka_unit_test_setup(test_xapic_ndst, setup),
		cmocka_unit_test_setup(test_descriptor_address_split, setup),
		cmocka_unit_test_setup(test_remapped_entry, setup),
		cmocka_unit_test_setup(test_vtd_ir_posts_with_cap_pi, setup),
		cmocka_unit_test_setup(test_vtd_ir_remaps_without_cap_pi, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
