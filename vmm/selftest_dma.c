// SPDX-License-Identifier: MIT
/*
 * IOMMU self-tests (issue #3) through the generic interface only
 * (iommu/iommu.h), with edu (drivers/edu.h) as the device. Each check
 * provokes what it claims:
 *   1. DMA both ways through IOVAs mapped in edu's own domain arrives
 *      intact, at the physical pages the IOVAs translate to;
 *   2. DMA to and from an address not mapped in the domain (the physical
 *      address of a page we own) is blocked: a fault arrives through the
 *      fault interrupt naming edu's requester id, the address and the
 *      reason, and the page is unchanged;
 *   3. after unmap the IOVA is blocked again (the IOTLB was invalidated);
 *   4. edu's MSI arrives through its interrupt remapping entry at the
 *      vector we chose; the same MSI aimed at an entry that belongs to
 *      another requester id is blocked and reported (source-id check).
 */
#define LOG_SUBSYS "dmatest"
#include "vmm/selftest_dma.h"
#include "drivers/edu.h"
#include "iommu/iommu.h"
#include "kernel/apic.h"
#include "kernel/cpu.h"
#include "kernel/log.h"
#include "kernel/mm.h"
#include "kernel/percpu.h"
#include "kernel/selftest.h"
#include "kernel/timer.h"
#include "kernel/trap.h"
#include "lib/string.h"

#define IOVA_SRC 0x100000ull	/* deliberately not the pages' own address */
#define IOVA_DST 0x180000ull
#define DMA_TIMEOUT_MS 2000
#define EVENT_TIMEOUT_MS 1000
#define NO_IRQ_WAIT_MS 300
#define VTD_REASON_WRITE 0x05	/* VT-d spec Appendix A */
#define VTD_REASON_READ 0x06
#define VTD_REASON_IR_SID 0x26

struct fault_rec {
	volatile u32 count;
	volatile u16 rid;
	volatile u64 addr;
	volatile bool write;
	volatile u8 reason;
	volatile bool interrupt;
};

static struct fault_rec rec;
static volatile u32 msi_count;
static u64 waited_us;	/* how long the last wait_for() took */

static void on_fault(void *ctx, const struct iommu_fault *f)
{
	struct fault_rec *r = ctx;

	r->rid = f->rid;
	r->addr = f->addr;
	r->write = f->write;
	r->reason = f->code;
	r->interrupt = f->interrupt;
	__atomic_add_fetch(&r->count, 1, __ATOMIC_RELEASE);
}

static volatile u32 msi_apic;	/* APIC id of the CPU that took it */

static void on_msi(struct regs *regs)
{
	msi_apic = apic_id();
	__atomic_add_fetch(&msi_count, 1, __ATOMIC_RELEASE);
}

/* Waits with interrupts on until *counter > 0 or ms pass. */
static bool wait_for(volatile u32 *counter, u32 ms)
{
	u64 t0 = time_ns(), flags = irq_save();
	u64 deadline = t0 + (u64)ms * 1000000;

	irq_enable();
	while (!*counter && time_ns() < deadline)
		cpu_relax();
	irq_restore(flags);
	waited_us = (time_ns() - t0) / 1000;
	return *counter != 0;
}

static u32 checksum(const u8 *p, u64 n)
{
	u32 a = 1, b = 0;	/* Adler-32 without the modulus tricks */
	u64 i;

	for (i = 0; i < n; i++) {
		a = (a + p[i]) % 65521;
		b = (b + a) % 65521;
	}
	return b << 16 | a;
}

struct bufs {
	u64 src, dst, victim;	/* physical pages below edu's DMA limit */
};

static void test_mapped(struct edu *e, struct bufs *b)
{
	u8 *src = phys_to_virt(b->src), *dst = phys_to_virt(b->dst);
	u32 i;
	int r1, r2;

	for (i = 0; i < EDU_BUF_SIZE; i++)
		src[i] = (u8)(i * 7 + 3);
	memset(dst, 0, EDU_BUF_SIZE);
	rec.count = 0;
	r1 = edu_dma(e, false, IOVA_SRC, 0, EDU_BUF_SIZE, DMA_TIMEOUT_MS);
	r2 = edu_dma(e, true, IOVA_DST, 0, EDU_BUF_SIZE, DMA_TIMEOUT_MS);
	selftest_check(!r1 && !r2 && !memcmp(src, dst, EDU_BUF_SIZE) &&
			       !rec.count,
		       "VT-d DMA through a mapped IOVA",
		       "4096 bytes RAM %#llx (IOVA %#llx) -> edu -> RAM %#llx (IOVA %#llx): %s, %u fault(s)",
		       b->src, IOVA_SRC, b->dst, IOVA_DST,
		       r1 || r2 ? "DMA timed out" :
		       memcmp(src, dst, EDU_BUF_SIZE) ? "data differs" : "data intact",
		       rec.count);
}

static void test_blocked(struct edu *e, u64 addr, bool write, const char *name)
{
	u8 *victim = phys_to_virt(ALIGN_DOWN(addr, PAGE_SIZE));
	u32 before = checksum(victim, PAGE_SIZE), after;
	u8 want = write ? VTD_REASON_WRITE : VTD_REASON_READ;
	bool got;

	rec.count = 0;
	(void)edu_dma(e, write, addr, 0, 64, DMA_TIMEOUT_MS);
	got = wait_for(&rec.count, EVENT_TIMEOUT_MS);
	if (got)
		pr_info("fault handler ran %llu us after the DMA ended\n",
			waited_us);
	after = checksum(victim, PAGE_SIZE);
	selftest_check(got && rec.rid == e->rid &&
			       rec.addr == ALIGN_DOWN(addr, PAGE_SIZE) &&
			       rec.write == write && rec.reason == want &&
			       before == after,
		       name,
		       "%s %#llx: %s from %02x:%02x.%u (edu %02x:%02x.%u) addr %#llx %s reason %#x (want %#x), page checksum %#x -> %#x",
		       write ? "write to" : "read from", addr,
		       got ? "fault reported" : "NO fault reported",
		       rec.rid >> 8, (rec.rid >> 3) & 31, rec.rid & 7,
		       e->rid >> 8, (e->rid >> 3) & 31, e->rid & 7,
		       (u64)rec.addr, rec.write ? "write" : "read", rec.reason,
		       want, before, after);
}

static void test_unmapped_again(struct edu *e, struct iommu_domain *d,
				struct bufs *b)
{
	int err = iommu_unmap(d, IOVA_DST, PAGE_SIZE);
	u8 *dst = phys_to_virt(b->dst);
	bool got;

	memset(dst, 0x5a, PAGE_SIZE);
	rec.count = 0;
	(void)edu_dma(e, true, IOVA_DST, 0, 64, DMA_TIMEOUT_MS);
	got = wait_for(&rec.count, EVENT_TIMEOUT_MS);
	selftest_check(!err && got && rec.addr == IOVA_DST && dst[0] == 0x5a,
		       "VT-d unmap takes effect",
		       "unmap IOVA %#llx: %s; DMA then %s, page %s",
		       IOVA_DST, iommu_strerror(err),
		       got ? "faulted" : "did NOT fault",
		       dst[0] == 0x5a ? "unchanged" : "WRITTEN");
}

/*
 * Re-targets the live entry at another CPU (an atomic IRTE update plus its
 * IEC invalidation) and checks the MSI lands there: with destination 0
 * a wrongly placed destination field would go unnoticed.
 */
static void test_msi_retarget(struct edu *e, int h,
			      struct iommu_irq_target t)
{
	struct iommu_msi msi;
	int err;
	bool got;

	if (cpu_count < 2 || !cpu_table[1])
		return;
	t.dest_apic_id = cpu_table[1]->apic_id;
	err = iommu_irq_program(h, &t, &msi);
	msi_count = 0;
	msi_apic = ~0u;
	edu_msi_set(e, msi.address, msi.data);
	edu_irq_raise(e, 1);
	got = wait_for(&msi_count, EVENT_TIMEOUT_MS);
	edu_irq_ack(e, 1);
	selftest_check(!err && got && msi_count == 1 &&
			       msi_apic == t.dest_apic_id,
		       "VT-d MSI re-targeted",
		       "IRTE %d updated in place to APIC id %u: %s, %u interrupt(s), taken on APIC id %d",
		       h & 0xffff, t.dest_apic_id, iommu_strerror(err),
		       msi_count, (int)msi_apic);
}

static void test_msi(struct edu *e)
{
	struct iommu_irq_target t = { .dest_apic_id = apic_id() };
	struct iommu_msi msi, bad;
	/* Another requester under the same unit: the host bridge 00:00.0. */
	u16 other = IOMMU_RID(0, 0, 0);
	int h, h2, err, err2;
	bool got;

	if (!e->msi_cap) {
		selftest_check(false, "VT-d remapped MSI", "edu has no MSI capability");
		return;
	}
	h = iommu_irq_alloc(0, e->rid);
	if (h == IOMMU_ENODEV) {
		pr_info("no interrupt remapping for edu: MSI self-tests skipped\n");
		return;
	}
	t.vector = irq_alloc_vector(on_msi);
	h2 = iommu_irq_alloc(0, other);
	err = h < 0 ? h : iommu_irq_program(h, &t, &msi);
	err2 = h2 < 0 ? h2 : iommu_irq_program(h2, &t, &bad);
	if (!t.vector || err || err2) {
		selftest_check(false, "VT-d remapped MSI",
			       "setup failed: vector %#x, entry %d: %s, entry %d: %s",
			       t.vector, h, iommu_strerror(err), h2,
			       iommu_strerror(err2));
		goto out;
	}

	msi_count = 0;
	rec.count = 0;
	edu_msi_set(e, msi.address, msi.data);
	edu_irq_raise(e, 1);
	got = wait_for(&msi_count, EVENT_TIMEOUT_MS);
	edu_irq_ack(e, 1);
	selftest_check(got && msi_count == 1 && !rec.count,
		       "VT-d remapped MSI",
		       "edu MSI address %#llx data %#x (IRTE %d) -> vector %#x on APIC id %u: %u interrupt(s) in %llu us, %u fault(s)",
		       msi.address, msi.data, h & 0xffff, t.vector,
		       t.dest_apic_id, msi_count, waited_us, rec.count);
	test_msi_retarget(e, h, t);

	msi_count = 0;
	rec.count = 0;
	edu_msi_set(e, bad.address, bad.data);
	edu_irq_raise(e, 1);
	got = wait_for(&rec.count, EVENT_TIMEOUT_MS);
	(void)wait_for(&msi_count, NO_IRQ_WAIT_MS);
	edu_irq_ack(e, 1);
	selftest_check(got && !msi_count && rec.rid == e->rid &&
			       rec.interrupt && rec.reason == VTD_REASON_IR_SID,
		       "VT-d MSI source-id verification",
		       "edu MSI aimed at IRTE %d of %02x:%02x.%u: %u interrupt(s), %s from %02x:%02x.%u reason %#x (want %#x)",
		       h2 & 0xffff, other >> 8, (other >> 3) & 31, other & 7,
		       msi_count, got ? "fault reported" : "NO fault reported",
		       rec.rid >> 8, (rec.rid >> 3) & 31, rec.rid & 7,
		       rec.reason, VTD_REASON_IR_SID);
out:
	edu_msi_disable(e);
	if (h >= 0)
		iommu_irq_free(h);
	if (h2 >= 0)
		iommu_irq_free(h2);
	if (t.vector)
		irq_free_vector(t.vector);
}

void selftest_dma(const struct hv_config *cfg)
{
	struct iommu_domain *d;
	struct bufs b = { 0 };
	struct edu e;
	int err;

	if (!cfg->selftest)
		return;
	if (!iommu_present()) {
		pr_info("no IOMMU: DMA self-tests skipped\n");
		return;
	}
	if (edu_find(&e)) {
		pr_info("no edu device (QEMU -device edu): DMA self-tests skipped\n");
		return;
	}
	d = iommu_domain_create("edu-test");
	b.src = frame_alloc_below(1, PAGE_SIZE, EDU_DMA_LIMIT);
	b.dst = frame_alloc_below(1, PAGE_SIZE, EDU_DMA_LIMIT);
	b.victim = frame_alloc_below(1, PAGE_SIZE, EDU_DMA_LIMIT);
	if (!d || !b.src || !b.dst || !b.victim) {
		selftest_check(false, "VT-d DMA self-test setup",
			       "no domain or no memory below %#llx",
			       EDU_DMA_LIMIT);
		goto out;
	}
	memset(phys_to_virt(b.victim), 0xa5, PAGE_SIZE);
	iommu_set_fault_handler(d, on_fault, &rec);
	err = iommu_map(d, IOVA_SRC, b.src, PAGE_SIZE, IOMMU_READ);
	err = err ?: iommu_map(d, IOVA_DST, b.dst, PAGE_SIZE, IOMMU_WRITE);
	err = err ?: iommu_attach(d, 0, e.rid);
	/* Attaching again to the same domain changes nothing, and must not
	 * count twice (checked by the teardown below). */
	err = err ?: iommu_attach(d, 0, e.rid);
	if (err) {
		selftest_check(false, "VT-d DMA self-test setup", "%s",
			       iommu_strerror(err));
		goto out;
	}
	test_mapped(&e, &b);
	test_blocked(&e, b.victim, true, "VT-d blocks DMA write to unmapped");
	test_blocked(&e, b.victim + 0x100, false,
		     "VT-d blocks DMA read from unmapped");
	test_unmapped_again(&e, d, &b);
	test_msi(&e);
	err = iommu_detach(d, 0, e.rid);
	err = err ?: iommu_domain_destroy(d);
	selftest_check(!err, "IOMMU domain teardown",
		       "edu attached twice, detached once, domain destroyed: %s",
		       iommu_strerror(err));
	if (!err)
		d = NULL;
out:
	if (d)
		iommu_domain_destroy(d);
	if (b.src)
		frame_free(b.src, 1);
	if (b.dst)
		frame_free(b.dst, 1);
	if (b.victim)
		frame_free(b.victim, 1);
}
