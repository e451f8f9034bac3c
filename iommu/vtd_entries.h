/* SPDX-License-Identifier: MIT */
/*
 * Pure encoders and decoders for the VT-d structures that live in memory or
 * pass through registers: root and context entries (9.1, 9.3), invalidation
 * descriptors (6.5.2), fault records (11.4.7.6) and fault reason names
 * (Appendix A). No hardware access: compiled into the hypervisor and into
 * the host unit tests (tests/unit/vtd_entries.mk).
 */
#ifndef IOMMU_VTD_ENTRIES_H
#define IOMMU_VTD_ENTRIES_H

#include "iommu/vtd_regs.h"

/* A 128-bit structure as two little-endian 64-bit halves. */
struct vtd_u128 {
	u64 lo, hi;
};

struct vtd_u128 vtd_root_entry(u64 context_table_pa);
/* aw: CONTEXT AW field (1: 3-level, 2: 4-level, 3: 5-level). */
struct vtd_u128 vtd_context_entry(u64 sl_root_pa, u8 aw, u16 did);
/* AW field for a number of page-table levels, 0 if not expressible. */
u8 vtd_levels_to_aw(unsigned levels);

/* An abstract invalidation request: the queue and the registers each
 * encode it their own way. */
enum vtd_inv_kind { VTD_INV_CC, VTD_INV_IOTLB, VTD_INV_IEC };
struct vtd_inv {
	enum vtd_inv_kind kind;
	u8 gran;	/* enum vtd_gran; IEC: GLOBAL or anything else = index */
	u16 did;
	u16 sid;	/* CC device-selective */
	u64 addr;	/* IOTLB page-selective: 2^am pages at addr */
	u8 am;
	u16 iidx;	/* IEC index-selective: 2^im entries at iidx */
	u8 im;
};

/* 6.5.2: the queued descriptor for r (drain reads and writes for IOTLB). */
struct vtd_u128 vtd_qi_desc(const struct vtd_inv *r);
/* 6.5.2.9: wait descriptor writing data to status_pa (4-byte aligned). */
struct vtd_u128 vtd_qi_wait_desc(u64 status_pa, u32 data);
/* 11.4.6 / 11.4.8: register values; IOTLB also sets *iva. */
u64 vtd_ccmd_value(const struct vtd_inv *r);
u64 vtd_iotlb_value(const struct vtd_inv *r, u64 *iva);

struct vtd_fault {
	u16 sid;
	u8 reason;
	bool write;
	u64 addr;	/* page address; IR faults: 0 */
	u16 ir_index;	/* IR faults */
};

bool vtd_fault_is_ir(u8 reason);
/* Decodes a fault recording register; false if its F bit is clear. */
bool vtd_fault_decode(u64 lo, u64 hi, struct vtd_fault *f);
/* The Appendix A name of a fault reason, "reserved fault reason" if none. */
const char *vtd_fault_reason_name(u8 reason);

/* Smallest AM so that 2^AM pages aligned at 2^AM cover [addr, addr+size);
 * returns -1 if that exceeds max_am. *base gets the aligned start. */
int vtd_psi_mask(u64 addr, u64 size, unsigned max_am, u64 *base);

#endif
