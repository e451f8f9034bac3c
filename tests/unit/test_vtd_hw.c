// SPDX-License-Identifier: MIT
/*
 * Host tests for iommu/vtd_qi.c (the one invalidation path) and
 * iommu/vtd_fault.c (fault decoding, clearing, policy hook, storm limits)
 * against a small model of a remapping unit: a register file with the
 * spec's write-1-to-clear bits, and a "hardware" step, run from the
 * time_ns() stub, that consumes the invalidation queue from IQH to IQT and
 * performs wait descriptors' status writes (VT-d spec 6.5.2.9).
 *
 * The two .c files are included here so the kernel's interrupt-masking
 * spinlocks (cli/sti are privileged) can be replaced by plain ones.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "kernel/cpu.h"

#include "tests/unit/spinlock_stub.h"

#include "iommu/vtd.h"
#include "kernel/trap.h"
#include "tests/unit/log_stub.h"

/* ---- the model --------------------------------------------------------- */

#define FRO 0x220
#define IRO 0x10	/* IOTLB registers at 0x100 */

static u8 regs[4096] __aligned(4096);
static struct vtd_unit unit;
static struct vtd_unit unit_storage[1];
struct vtd_unit *vtd_units = unit_storage;
u32 vtd_nunits = 1;
unsigned vtd_levels = 4;
u32 vtd_page_sizes;

static u64 now;
static bool hw_alive = true;
static int iqe_at = -1;		/* descriptor index that is "invalid" */
static struct vtd_u128 seen[1024];
static unsigned nseen;
static u64 last_ccmd, last_iotlb, last_iva;
static unsigned fectl_im_writes;

static u64 reg64(u32 off)
{
	return *(u64 *)(regs + off);
}

static void set64(u32 off, u64 v)
{
	*(u64 *)(regs + off) = v;
}

static u32 pending_records(void)
{
	u32 i, n = 0;

	for (i = 0; i < unit.nfr; i++)
		n += !!(reg64(FRO + i * 16 + 8) & VTD_FRCD_HI_F);
	return n;
}

u32 vtd_read32(const struct vtd_unit *u, u32 off)
{
	u32 v = *(u32 *)(regs + off);

	if (off == VTD_FSTS_REG)	/* PPF: some record has F set */
		v = (v & ~(u32)VTD_FSTS_PPF) |
		    (pending_records() ? VTD_FSTS_PPF : 0);
	return v;
}

u64 vtd_read64(const struct vtd_unit *u, u32 off)
{
	u64 v = reg64(off);

	/* Register-based invalidation completes at once. */
	if (off == VTD_CCMD_REG)
		v &= ~VTD_CCMD_ICC;
	if (off == IRO * 16 + VTD_IOTLB_OFF)
		v &= ~VTD_IOTLB_IVT;
	return v;
}

void vtd_write32(const struct vtd_unit *u, u32 off, u32 v)
{
	if (off == VTD_FSTS_REG) {	/* RW1C */
		*(u32 *)(regs + off) &= ~(v & VTD_FSTS_W1C);
		return;
	}
	if (off >= FRO && off < FRO + u->nfr * 16 && (off & 15) == 12) {
		if (v & VTD_FRCD_F_DWORD)	/* F is RW1C */
			*(u32 *)(regs + off) &= ~VTD_FRCD_F_DWORD;
		return;
	}
	if (off == VTD_FECTL_REG && (v & VTD_FECTL_IM))
		fectl_im_writes++;
	*(u32 *)(regs + off) = v;
}

void vtd_write64(const struct vtd_unit *u, u32 off, u64 v)
{
	if (off == VTD_CCMD_REG)
		last_ccmd = v;
	if (off == IRO * 16 + VTD_IOTLB_OFF)
		last_iotlb = v;
	if (off == IRO * 16 + VTD_IVA_OFF)
		last_iva = v;
	set64(off, v);
}

int vtd_gcmd(struct vtd_unit *u, u32 bit, bool set)
{
	u32 sts = *(u32 *)(regs + VTD_GSTS_REG);

	*(u32 *)(regs + VTD_GSTS_REG) = set ? sts | bit : sts & ~bit;
	return 0;
}

void vtd_sync(const struct vtd_unit *u, const void *va, u64 len)
{
}

u64 vtd_alloc_page(void)
{
	void *p = aligned_alloc(4096, 4096);

	memset(p, 0, 4096);
	return (u64)p;
}

/* The unit consumes descriptors between the CPU's polls. */
static void hw_step(void)
{
	struct vtd_u128 *q = (struct vtd_u128 *)unit.iq_pa;
	u64 head = reg64(VTD_IQH_REG) >> 4, tail = reg64(VTD_IQT_REG) >> 4;

	if (!unit.iq_pa || (*(u32 *)(regs + VTD_FSTS_REG) & VTD_FSTS_IQE))
		return;
	while (head != tail) {
		if (iqe_at >= 0 && (int)nseen == iqe_at) {
			*(u32 *)(regs + VTD_FSTS_REG) |= VTD_FSTS_IQE;
			iqe_at = -1;
			break;
		}
		seen[nseen++ % 1024] = q[head];
		if ((q[head].lo & 0xf) == VTD_QI_TYPE_WAIT &&
		    (q[head].lo & VTD_QI_WAIT_SW))
			*(volatile u32 *)(q[head].hi & VTD_QI_WAIT_SADDR) =
				(u32)(q[head].lo >> 32);
		head = (head + 1) % VTD_QI_ENTRIES;
	}
	set64(VTD_IQH_REG, head << 4);
}

u64 time_ns(void)
{
	now += 1000000;		/* every poll takes 1 ms of model time */
	if (hw_alive)
		hw_step();
	return now;
}

/* Stubs for what vtd_fault.c reaches outside iommu/. */
static irq_handler_t handler;
static struct iommu_domain dom;
static u32 fake_apic_id;

u32 apic_id(void)
{
	return fake_apic_id;
}

u8 irq_alloc_vector(irq_handler_t h)
{
	handler = h;
	return 0x30;
}

u16 vtd_context_did(struct vtd_unit *u, u16 rid)
{
	return rid == 0x18 ? 3 : 0;
}

struct iommu_domain *vtd_domain_by_did(u16 did)
{
	return did == 3 ? &dom : NULL;
}

#include "iommu/vtd_qi.c"
#include "iommu/vtd_fault.c"

static int setup(void **state)
{
	memset(regs, 0, sizeof(regs));
	memset(&unit, 0, sizeof(unit));
	memset(&dom, 0, sizeof(dom));
	unit.regs = regs;
	unit.ecap = VTD_ECAP_QI | ((u64)IRO << 8);
	unit.cap = VTD_CAP_PSI;
	unit.live = true;
	unit.fro = FRO;
	unit.nfr = 4;
	vtd_units[0] = unit;	/* not used: the tests pass &unit */
	hw_alive = true;
	iqe_at = -1;
	nseen = 0;
	fectl_im_writes = 0;
	log_stub_reset();
	return 0;
}

static int teardown(void **state)
{
	free((void *)unit.iq_pa);
	unit.iq_pa = 0;
	return 0;
}

/* ---- invalidation ------------------------------------------------------ */

static void test_qi_submit(void **state)
{
	struct vtd_inv r[2] = {
		{ .kind = VTD_INV_CC, .gran = VTD_GRAN_DEVICE, .sid = 0x18 },
		{ .kind = VTD_INV_IOTLB, .gran = VTD_GRAN_DOMAIN, .did = 3 },
	};

	assert_int_equal(vtd_qi_enable(&unit), 0);
	assert_int_equal(reg64(VTD_IQA_REG), unit.iq_pa);	/* QS 0 */
	assert_true(*(u32 *)(regs + VTD_GSTS_REG) & VTD_GCMD_QIE);
	assert_int_equal(vtd_invalidate(&unit, r, 2), 0);
	/* The unit saw exactly: CC, IOTLB, then the wait with our seq. */
	assert_int_equal(nseen, 3);
	assert_int_equal(seen[0].lo, vtd_qi_desc(&r[0]).lo);
	assert_int_equal(seen[1].lo, vtd_qi_desc(&r[1]).lo);
	assert_int_equal(seen[2].lo & 0xf, VTD_QI_TYPE_WAIT);
	assert_int_equal(seen[2].hi, (u64)&unit.wait_status);
	assert_int_equal(unit.wait_status, unit.wait_seq);
	assert_int_equal(reg64(VTD_IQT_REG), 3 << 4);
}

static void test_qi_wraps(void **state)
{
	struct vtd_inv r = { .kind = VTD_INV_IEC, .gran = VTD_GRAN_GLOBAL };
	unsigned i;

	assert_int_equal(vtd_qi_enable(&unit), 0);
	for (i = 0; i < 300; i++)	/* 600 slots: wraps the 256 twice */
		assert_int_equal(vtd_invalidate(&unit, &r, 1), 0);
	assert_int_equal(unit.iq_tail, 600 % VTD_QI_ENTRIES);
	assert_int_equal(unit.wait_seq, 300);
	assert_int_equal(log_stub_count(), 0);
}

static void test_qi_timeout_is_bounded(void **state)
{
	struct vtd_inv r = { .kind = VTD_INV_CC, .gran = VTD_GRAN_GLOBAL };
	u64 t0;

	assert_int_equal(vtd_qi_enable(&unit), 0);
	hw_alive = false;
	t0 = now;
	assert_int_equal(vtd_invalidate(&unit, &r, 1), IOMMU_ETIMEOUT);
	/* Gave up after the 100 ms bound (plus one poll), not later. */
	assert_true(now - t0 >= 100000000ull && now - t0 <= 103000000ull);
	assert_true(log_stub_contains("timed out after 100 ms"));
	/* The unit recovers: the next request completes. */
	hw_alive = true;
	assert_int_equal(vtd_invalidate(&unit, &r, 1), 0);
}

static void test_qi_error_skips(void **state)
{
	struct vtd_inv r = { .kind = VTD_INV_CC, .gran = VTD_GRAN_GLOBAL };

	assert_int_equal(vtd_qi_enable(&unit), 0);
	iqe_at = 0;
	assert_int_equal(vtd_invalidate(&unit, &r, 1), IOMMU_EINVAL);
	assert_true(log_stub_contains("invalidation queue error"));
	/* IQE cleared and the queue resynchronised at the head. */
	assert_false(*(u32 *)(regs + VTD_FSTS_REG) & VTD_FSTS_IQE);
	assert_int_equal(reg64(VTD_IQT_REG), reg64(VTD_IQH_REG));
	assert_int_equal(vtd_invalidate(&unit, &r, 1), 0);
}

static void test_register_based(void **state)
{
	struct vtd_inv cc = { .kind = VTD_INV_CC, .gran = VTD_GRAN_DOMAIN,
			      .did = 9 };
	struct vtd_inv tlb = { .kind = VTD_INV_IOTLB, .gran = VTD_GRAN_PAGE,
			       .did = 9, .addr = 0x200000, .am = 1 };
	struct vtd_inv iec = { .kind = VTD_INV_IEC, .gran = VTD_GRAN_GLOBAL };
	u64 iva;

	unit.ecap &= ~VTD_ECAP_QI;	/* an old unit: no queue */
	assert_int_equal(vtd_invalidate(&unit, &cc, 1), 0);
	assert_int_equal(last_ccmd, vtd_ccmd_value(&cc));
	assert_int_equal(vtd_invalidate(&unit, &tlb, 1), 0);
	assert_int_equal(last_iotlb, vtd_iotlb_value(&tlb, &iva));
	assert_int_equal(last_iva, 0x200001ull);
	/* IEC only exists on the queue. */
	assert_int_equal(vtd_invalidate(&unit, &iec, 1), IOMMU_EINVAL);
	/* Before the root table is set nothing is sent. */
	unit.live = false;
	last_ccmd = 0;
	assert_int_equal(vtd_invalidate(&unit, &cc, 1), 0);
	assert_int_equal(last_ccmd, 0);
}

/* ---- faults ------------------------------------------------------------ */

static struct {
	unsigned calls;
	u16 rid;
	u64 addr;
	bool write;
	u8 reason;
	bool interrupt;
	u32 irq_index;
	const char *name;
} hook;

static void fault_hook(void *ctx, const struct iommu_fault *f)
{
	hook.calls++;
	hook.rid = f->rid;
	hook.addr = f->addr;
	hook.write = f->write;
	hook.reason = f->code;
	hook.interrupt = f->interrupt;
	hook.irq_index = f->irq_index;
	hook.name = f->reason;
}

static void put_record(u32 i, u64 lo, u64 hi)
{
	set64(FRO + i * 16, lo);
	set64(FRO + i * 16 + 8, hi);
}

static void test_fault_setup_x2apic(void **state)
{
	fake_apic_id = 0x1234;
	/* Without EIM a destination above 255 cannot be reached. */
	assert_int_equal(vtd_fault_setup(&unit), IOMMU_EINVAL);
	unit.ecap |= VTD_ECAP_EIM;
	assert_int_equal(vtd_fault_setup(&unit), 0);
	assert_int_equal(*(u32 *)(regs + VTD_FEDATA_REG), 0x30);
	assert_int_equal(*(u32 *)(regs + VTD_FEADDR_REG), 0xfee34000u);
	assert_int_equal(*(u32 *)(regs + VTD_FEUADDR_REG), 0x1200u);
	assert_int_equal(*(u32 *)(regs + VTD_FECTL_REG), 0);	/* unmasked */
	assert_non_null(handler);
	fake_apic_id = 0;
}

static void test_fault_records(void **state)
{
	unsigned i;

	fake_apic_id = 0;
	assert_int_equal(vtd_fault_setup(&unit), 0);
	vtd_units[0] = unit;
	dom.fault_fn = fault_hook;
	memset(&hook, 0, sizeof(hook));
	/* FRI = 2: records 2, 3 then 0 (wrapping); record 1 is empty. */
	*(u32 *)(regs + VTD_FSTS_REG) = 2 << 8 | VTD_FSTS_PFO;
	put_record(2, 0x53000, 0x8000000500000018ull);	/* write, 0x5 */
	put_record(3, 0x0001000000000000ull, 0x8000002600000018ull);
	put_record(0, 0x7000, 0xc000000600000300ull);	/* read, other dev */
	handler(NULL);
	for (i = 0; i < 4; i++)
		assert_false(reg64(FRO + i * 16 + 8) & VTD_FRCD_HI_F);
	assert_false(*(u32 *)(regs + VTD_FSTS_REG) & VTD_FSTS_PFO);
	assert_int_equal(vtd_units[0].faults, 3);
	/* Two belong to 00:03.0 (DID 3), the read to 03:00.0 (no domain). */
	assert_int_equal(dom.faults, 2);
	assert_int_equal(hook.calls, 2);
	/* The last one the domain's handler saw: record 3, an IR fault. */
	assert_int_equal(hook.reason, 0x26);
	assert_true(hook.interrupt);
	assert_int_equal(hook.irq_index, 1);
	assert_int_equal(hook.rid, 0x0018);
	assert_string_equal(hook.name, "interrupt source-id verification failed");
	assert_true(log_stub_contains(
		"fault: unit 0 00:03.0 write 0x53000 reason 0x5 (write to a page without write permission), domain"));
	assert_true(log_stub_contains(
		"00:03.0 interrupt index 1 reason 0x26 (interrupt source-id verification failed)"));
	assert_true(log_stub_contains(
		"03:00.0 read 0x7000 reason 0x6 (read from a page without read permission), domain none"));
	assert_true(log_stub_contains("fault records overflowed"));
}

static void test_fault_storm_bounded(void **state)
{
	unsigned i, lines = 0;

	unit.nfr = 64;
	assert_int_equal(vtd_fault_setup(&unit), 0);
	vtd_units[0] = unit;
	for (i = 0; i < 64; i++)
		put_record(i, 0x1000ull * i, 0x8000000500000018ull);
	log_stub_reset();
	log_window_start = now;
	log_lines = 0;
	fectl_im_writes = 0;
	handler(NULL);
	/* One interrupt handles at most 16 records, re-arms for the rest. */
	assert_int_equal(pending_records(), 64 - 16);
	assert_int_equal(fectl_im_writes, 1);
	/* At most 10 lines per second. */
	lines = log_stub_count();
	assert_true(lines <= 10);
	for (i = 0; i < 3; i++)
		handler(NULL);
	assert_int_equal(pending_records(), 0);
	assert_true(log_stub_count() <= 10 + 1);	/* + "suppressed" */
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_qi_submit),
		T(test_qi_wraps),
		T(test_qi_timeout_is_bounded),
		T(test_qi_error_skips),
		T(test_register_based),
		T(test_fault_setup_x2apic),
		T(test_fault_records),
		T(test_fault_storm_bounded),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
