/* SPDX-License-Identifier: MIT */
/*
 * An Intel MultiProcessor Specification 1.4 table for a Linux guest
 * booted with acpi=off: it tells Linux there is a local APIC (so it uses
 * the APIC drivers instead of the "no configuration" virtual-wire path)
 * and which CPUs exist. Pure: it fills a buffer, host-tested in
 * tests/unit/test_mptable.c. Layouts: MP spec 1.4 chapter 4.
 */
#ifndef VMM_MPTABLE_H
#define VMM_MPTABLE_H

#include "lib/types.h"

/* §4.1 MP Floating Pointer Structure: 16 bytes on a 16-byte boundary. */
#define MPF_SIGNATURE "_MP_"
#define MPF_SIZE 16
#define MPF_PHYSPTR 4		/* u32: the configuration table */
#define MPF_LENGTH 8		/* u8: in 16-byte paragraphs (1) */
#define MPF_SPEC_REV 9		/* u8: 4 for version 1.4 */
#define MPF_CHECKSUM 10		/* u8: all 16 bytes sum to 0 */
#define MPF_FEATURE1 11		/* u8: 0 = a configuration table exists */
#define MPF_FEATURE2 12		/* u8: bit 7 IMCR present (we have none) */
#define MP_SPEC_REV_1_4 4

/* §4.2 MP Configuration Table Header: 44 bytes. */
#define MPC_SIGNATURE "PCMP"
#define MPC_HDR_SIZE 44
#define MPC_LENGTH 4		/* u16: header + base entries */
#define MPC_SPEC_REV 6
#define MPC_CHECKSUM 7		/* u8: the base table sums to 0 */
#define MPC_OEM_ID 8		/* char[8] */
#define MPC_PRODUCT_ID 16	/* char[12] */
#define MPC_ENTRY_COUNT 34	/* u16 */
#define MPC_LAPIC_ADDR 36	/* u32 */

/* §4.3 base entries: type byte first. */
#define MPC_ENTRY_CPU 0		/* Table 4-4: 20 bytes */
#define MPC_ENTRY_BUS 1		/* Table 4-8: 8 bytes */
#define MPC_CPU_SIZE 20
#define MPC_BUS_SIZE 8
#define MPC_CPU_APIC_ID 1
#define MPC_CPU_APIC_VER 2
#define MPC_CPU_FLAGS 3
#define MPC_CPU_FLAG_EN BIT(0)	/* usable */
#define MPC_CPU_FLAG_BP BIT(1)	/* the bootstrap processor */
#define MPC_CPU_SIGNATURE 4	/* u32: CPUID.1 EAX */
#define MPC_CPU_FEATURES 8	/* u32: CPUID.1 EDX */
#define MPC_BUS_ID 1
#define MPC_BUS_TYPE 2		/* char[6], space padded (Table 4-8) */

#define MP_LAPIC_DEFAULT_ADDR 0xfee00000u
#define MP_LAPIC_VERSION 0x14	/* integrated APIC (as vlapic reports) */
#define MP_MAX_CPUS 8

struct mptable_cfg {
	u32 ncpus;		/* 1..MP_MAX_CPUS; APIC ids 0..ncpus-1, 0 is BP */
	u32 cpu_signature;	/* CPUID.1 EAX */
	u32 cpu_features;	/* CPUID.1 EDX */
};

/* Bytes mptable_build() writes for cfg. */
u32 mptable_size(const struct mptable_cfg *cfg);

/*
 * The floating pointer at buf[0..16) followed by the configuration table,
 * for a buffer that will sit at guest-physical gpa (16-byte aligned,
 * below 4 GiB). Returns the bytes written, or 0 if cfg is out of range or
 * len is too small.
 */
u32 mptable_build(u8 *buf, u32 len, u64 gpa, const struct mptable_cfg *cfg);

#endif
