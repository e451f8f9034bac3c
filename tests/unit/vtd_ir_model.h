/* SPDX-License-Identifier: MIT */
/*
 * A model of what a VT-d unit does with one interrupt request (VT-d spec
 * rev 4.1: 5.1.4 remappable request -> interrupt index, 9.10 / 9.11 the
 * IRTE formats, 9.10 SVT/SQ source-id verification, 5.2.3 interrupt
 * posting: PIR, ON, SN, URG, notification to NV/NDST). It reads the
 * 128-bit entries the way the hardware does, bit by bit from the spec,
 * so the entries iommu/irte.c and iommu/vtd_ir.c write can be checked on
 * the host: QEMU's VT-d has no CAP.PI (shared/PLATFORM.md), so this is the
 * only place the posted format is ever walked.
 */
#ifndef TESTS_UNIT_VTD_IR_MODEL_H
#define TESTS_UNIT_VTD_IR_MODEL_H

#include "iommu/irte.h"

struct irm_unit {
	const struct vtd_u128 *irt;	/* the interrupt remapping table */
	u32 entries;			/* 2^(IRTA.S + 1) */
	bool eime;			/* IRTA.EIME: x2APIC destinations */
	bool cap_pi;			/* CAP.PI: posted format allowed */
	/* The descriptor at physical address pa, or NULL (not memory). */
	struct pi_desc *(*pd_at)(u64 pa);
};

/* A DMA write of data to address by requester sid. */
struct irm_request {
	u64 address;
	u32 data;
	u16 sid;
};

struct irm_result {
	bool dma;			/* not 0xFEEx_xxxx: a DMA write, not
					 * an interrupt (not modelled) */
	u8 fault;			/* 0, or a VTD_FR_IR_* / PID reason */
	bool fault_recorded;		/* false if the IRTE's FPD hid it */
	u16 index;			/* interrupt index the request named */
	/* remapped format: the interrupt the unit sends */
	bool remapped;
	u8 vector;
	u32 dest;			/* APIC id, decoded per EIME */
	/* posted format */
	bool posted;
	u64 pd_pa;
	bool notified;			/* a notification event was sent */
	u8 nv;
	u32 ndst;			/* APIC id, decoded per EIME */
};

void irm_request(const struct irm_unit *u, const struct irm_request *r,
		 struct irm_result *out);

#endif
