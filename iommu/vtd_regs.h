/* SPDX-License-Identifier: MIT */
/*
 * Intel VT-d remapping hardware: register offsets and in-memory structure
 * layouts. Intel Virtualization Technology for Directed I/O Architecture
 * Specification, revision 4.1 (March 2023). Section numbers are cited on
 * each group; names follow the specification.
 */
#ifndef IOMMU_VTD_REGS_H
#define IOMMU_VTD_REGS_H

#include "lib/types.h"

/* ---- register offsets (11.4, Table 11-1) -------------------------------- */
#define VTD_VER_REG		0x000	/* 11.4.1  32-bit */
#define VTD_CAP_REG		0x008	/* 11.4.2  64-bit */
#define VTD_ECAP_REG		0x010	/* 11.4.3  64-bit */
#define VTD_GCMD_REG		0x018	/* 11.4.4.1 32-bit */
#define VTD_GSTS_REG		0x01c	/* 11.4.4.2 32-bit */
#define VTD_RTADDR_REG		0x020	/* 11.4.5  64-bit */
#define VTD_CCMD_REG		0x028	/* 11.4.6  64-bit */
#define VTD_FSTS_REG		0x034	/* 11.4.7.1 32-bit */
#define VTD_FECTL_REG		0x038	/* 11.4.7.2 32-bit */
#define VTD_FEDATA_REG		0x03c	/* 11.4.7.3 32-bit */
#define VTD_FEADDR_REG		0x040	/* 11.4.7.4 32-bit */
#define VTD_FEUADDR_REG		0x044	/* 11.4.7.5 32-bit */
#define VTD_IQH_REG		0x080	/* 11.4.9.1 64-bit */
#define VTD_IQT_REG		0x088	/* 11.4.9.2 64-bit */
#define VTD_IQA_REG		0x090	/* 11.4.9.3 64-bit */
#define VTD_ICS_REG		0x09c	/* 11.4.9.4 32-bit */
#define VTD_IRTA_REG		0x0b8	/* 11.4.10.1 64-bit */

/* IOTLB registers sit at ECAP.IRO * 16 (11.4.8): IVA then IOTLB. */
#define VTD_IVA_OFF		0x0	/* 11.4.8.2 */
#define VTD_IOTLB_OFF		0x8	/* 11.4.8.1 */
/* Fault recording registers at CAP.FRO * 16, 16 bytes each (11.4.7.6). */
#define VTD_FRCD_SIZE		16

/* ---- VER_REG (11.4.1) ---------------------------------------------------- */
#define VTD_VER_MAX(v)		(((v) >> 4) & 0xf)
#define VTD_VER_MIN(v)		((v) & 0xf)

/* ---- CAP_REG (11.4.2) ---------------------------------------------------- */
#define VTD_CAP_ND(c)		((c) & 7)		/* 2:0 domains 2^(4+2N) */
#define VTD_CAP_AFL		BIT(3)
#define VTD_CAP_RWBF		BIT(4)	/* write-buffer flush required */
#define VTD_CAP_PLMR		BIT(5)
#define VTD_CAP_PHMR		BIT(6)
#define VTD_CAP_CM		BIT(7)	/* caching mode: not-present cached */
#define VTD_CAP_SAGAW(c)	(((c) >> 8) & 0x1f)	/* 12:8 */
#define VTD_SAGAW_39		BIT(1)	/* 3-level */
#define VTD_SAGAW_48		BIT(2)	/* 4-level */
#define VTD_SAGAW_57		BIT(3)	/* 5-level */
#define VTD_CAP_MGAW(c)		((((c) >> 16) & 0x3f) + 1)	/* 21:16 */
#define VTD_CAP_ZLR		BIT(22)
#define VTD_CAP_FRO(c)		(((c) >> 24) & 0x3ff)	/* 33:24, x16 bytes */
#define VTD_CAP_SLLPS(c)	(((c) >> 34) & 0xf)	/* 37:34 */
#define VTD_SLLPS_2M		BIT(0)
#define VTD_SLLPS_1G		BIT(1)
#define VTD_CAP_PSI		BIT(39)	/* page-selective IOTLB invalidation */
#define VTD_CAP_NFR(c)		((((c) >> 40) & 0xff) + 1)	/* 47:40 */
#define VTD_CAP_MAMV(c)		(((c) >> 48) & 0x3f)	/* 53:48 */
#define VTD_CAP_DWD		BIT(54)
#define VTD_CAP_DRD		BIT(55)
#define VTD_CAP_FL1GP		BIT(56)
#define VTD_CAP_PI		BIT(59)	/* posted interrupts */
#define VTD_CAP_FL5LP		BIT(60)
#define VTD_CAP_ESIRTPS		BIT(62)
#define VTD_CAP_ESRTPS		BIT(63)

/* ---- ECAP_REG (11.4.3) --------------------------------------------------- */
#define VTD_ECAP_C		BIT(0)	/* page-walk coherency */
#define VTD_ECAP_QI		BIT(1)	/* queued invalidation */
#define VTD_ECAP_DT		BIT(2)	/* device TLB */
#define VTD_ECAP_IR		BIT(3)	/* interrupt remapping */
#define VTD_ECAP_EIM		BIT(4)	/* extended interrupt mode (x2APIC) */
#define VTD_ECAP_PT		BIT(6)	/* pass through */
#define VTD_ECAP_SC		BIT(7)	/* snoop control */
#define VTD_ECAP_IRO(e)		(((e) >> 8) & 0x3ff)	/* 17:8, x16 bytes */
#define VTD_ECAP_MHMV(e)	(((e) >> 20) & 0xf)
#define VTD_ECAP_NEST		BIT(26)
#define VTD_ECAP_PASID		BIT(40)
#define VTD_ECAP_SMTS		BIT(43)	/* scalable mode */

/* ---- GCMD_REG / GSTS_REG (11.4.4): same bit positions ------------------- */
#define VTD_GCMD_TE		BIT(31)	/* translation enable */
#define VTD_GCMD_SRTP		BIT(30)	/* set root table pointer (one-shot) */
#define VTD_GCMD_SFL		BIT(29)	/* one-shot */
#define VTD_GCMD_EAFL		BIT(28)
#define VTD_GCMD_WBF		BIT(27)	/* write buffer flush (one-shot) */
#define VTD_GCMD_QIE		BIT(26)	/* queued invalidation enable */
#define VTD_GCMD_IRE		BIT(25)	/* interrupt remapping enable */
#define VTD_GCMD_SIRTP		BIT(24)	/* set IRT pointer (one-shot) */
#define VTD_GCMD_CFI		BIT(23)	/* compatibility format interrupts */
/* The status bits that are persistent states, re-written with each command
 * (11.4.4.1: read GSTS, mask the one-shot bits, set/clear one bit). */
#define VTD_GSTS_PERSIST	(VTD_GCMD_TE | VTD_GCMD_EAFL | VTD_GCMD_QIE | \
				 VTD_GCMD_IRE | VTD_GCMD_CFI)

/* ---- RTADDR_REG (11.4.5) -------------------------------------------------- */
#define VTD_RTADDR_TTM_LEGACY	(0ull << 10)	/* 11:10 translation table mode */

/* ---- CCMD_REG (11.4.6) ---------------------------------------------------- */
#define VTD_CCMD_ICC		BIT(63)
#define VTD_CCMD_CIRG_GLOBAL	(1ull << 61)
#define VTD_CCMD_CIRG_DOMAIN	(2ull << 61)
#define VTD_CCMD_CIRG_DEVICE	(3ull << 61)
#define VTD_CCMD_FM(m)		((u64)((m) & 3) << 32)
#define VTD_CCMD_SID(s)		((u64)(s) << 16)
#define VTD_CCMD_DID(d)		((u64)(d))

/* ---- IOTLB_REG / IVA_REG (11.4.8) ----------------------------------------- */
#define VTD_IOTLB_IVT		BIT(63)
#define VTD_IOTLB_IIRG_GLOBAL	(1ull << 60)
#define VTD_IOTLB_IIRG_DOMAIN	(2ull << 60)
#define VTD_IOTLB_IIRG_PAGE	(3ull << 60)
#define VTD_IOTLB_DR		BIT(49)
#define VTD_IOTLB_DW		BIT(48)
#define VTD_IOTLB_DID(d)	((u64)(d) << 32)
#define VTD_IVA_IH		BIT(6)
#define VTD_IVA_AM(m)		((u64)(m) & 0x3f)

/* ---- FSTS_REG (11.4.7.1) -------------------------------------------------- */
#define VTD_FSTS_PFO		BIT(0)	/* primary fault overflow (RW1C) */
#define VTD_FSTS_PPF		BIT(1)	/* primary pending fault (RO) */
#define VTD_FSTS_AFO		BIT(2)
#define VTD_FSTS_APF		BIT(3)
#define VTD_FSTS_IQE		BIT(4)	/* invalidation queue error (RW1C) */
#define VTD_FSTS_ICE		BIT(5)	/* invalidation completion error */
#define VTD_FSTS_ITE		BIT(6)	/* invalidation time-out error */
#define VTD_FSTS_FRI(s)		(((s) >> 8) & 0xff)
#define VTD_FSTS_W1C		(VTD_FSTS_PFO | VTD_FSTS_AFO | VTD_FSTS_APF | \
				 VTD_FSTS_IQE | VTD_FSTS_ICE | VTD_FSTS_ITE)

/* ---- FECTL_REG (11.4.7.2) ------------------------------------------------- */
#define VTD_FECTL_IM		BIT(31)	/* interrupt mask */
#define VTD_FECTL_IP		BIT(30)

/* ---- fault recording register (11.4.7.6), as two 64-bit halves ------------ */
#define VTD_FRCD_LO_FI(lo)	((lo) & GENMASK(63, 12))	/* fault info */
#define VTD_FRCD_HI_SID(hi)	((u16)((hi) & 0xffff))		/* 79:64 */
#define VTD_FRCD_HI_FR(hi)	((u8)(((hi) >> 32) & 0xff))	/* 103:96 */
#define VTD_FRCD_HI_T1		BIT(62)	/* 126: 0 write, 1 read */
#define VTD_FRCD_HI_F		BIT(63)	/* 127: fault (RW1C) */
#define VTD_FRCD_F_DWORD	0x80000000u	/* F in the top 32-bit word */
/* For interrupt-remapping faults FI bits 63:48 hold the interrupt index. */
#define VTD_FRCD_IR_INDEX(lo)	((u16)((lo) >> 48))

/* ---- IQA_REG / IQH / IQT (11.4.9) ----------------------------------------- */
#define VTD_IQA_QS(n)		((u64)(n) & 7)	/* 2^n 4 KiB pages */
#define VTD_IQA_DW_256		BIT(11)
#define VTD_IQ_SHIFT		4		/* 128-bit descriptors */

/* ---- IRTA_REG (11.4.10.1) ------------------------------------------------- */
#define VTD_IRTA_EIME		BIT(11)
#define VTD_IRTA_S(n)		((u64)(n) & 0xf)	/* 2^(S+1) entries */

/* ---- root entry (9.1) and context entry (9.3), legacy mode ---------------- */
#define VTD_RE_P		BIT(0)
#define VTD_RE_CTP		GENMASK(63, 12)
#define VTD_CE_LO_P		BIT(0)
#define VTD_CE_LO_FPD		BIT(1)		/* fault processing disable */
#define VTD_CE_LO_TT_SL		(0ull << 2)	/* untranslated via SL tables */
#define VTD_CE_LO_TT_PT		(2ull << 2)	/* pass-through */
#define VTD_CE_LO_SLPTPTR	GENMASK(63, 12)
#define VTD_CE_HI_AW(aw)	((u64)(aw) & 7)	/* 1: 39-bit, 2: 48, 3: 57 */
#define VTD_CE_HI_DID(d)	((u64)(d) << 8)	/* 87:72 */
#define VTD_CE_HI_DID_GET(hi)	((u16)((hi) >> 8))

/* ---- second-level paging entries (9.8) ------------------------------------ */
#define VTD_SL_R		BIT(0)
#define VTD_SL_W		BIT(1)
#define VTD_SL_X		BIT(2)
#define VTD_SL_PS		BIT(7)	/* large page in PDPE/PDE */
#define VTD_SL_SNP		BIT(11)
#define VTD_SL_ADDR		GENMASK(51, 12)

/* ---- invalidation descriptors (6.5.2), 128-bit ---------------------------- */
#define VTD_QI_TYPE_CC		1	/* 6.5.2.1 context-cache */
#define VTD_QI_TYPE_IOTLB	2	/* 6.5.2.3 IOTLB */
#define VTD_QI_TYPE_IEC		4	/* 6.5.2.7 interrupt entry cache */
#define VTD_QI_TYPE_WAIT	5	/* 6.5.2.8 invalidation wait */
#define VTD_QI_CC_G(g)		((u64)(g) << 4)	/* 1 global 2 domain 3 device */
#define VTD_QI_CC_DID(d)	((u64)(d) << 16)
#define VTD_QI_CC_SID(s)	((u64)(s) << 32)
#define VTD_QI_CC_FM(m)		((u64)((m) & 3) << 48)
#define VTD_QI_IOTLB_G(g)	((u64)(g) << 4)	/* 1 global 2 domain 3 page */
#define VTD_QI_IOTLB_DW		BIT(6)
#define VTD_QI_IOTLB_DR		BIT(7)
#define VTD_QI_IOTLB_DID(d)	((u64)(d) << 16)
#define VTD_QI_IOTLB_IH		BIT(6)	/* high qword */
#define VTD_QI_IOTLB_AM(m)	((u64)(m) & 0x3f)	/* high qword */
#define VTD_QI_IEC_G_INDEX	BIT(4)	/* 0: global, 1: index-selective */
#define VTD_QI_IEC_IM(m)	((u64)((m) & 0x1f) << 27)
#define VTD_QI_IEC_IIDX(i)	((u64)(i) << 32)
#define VTD_QI_WAIT_IF		BIT(4)
#define VTD_QI_WAIT_SW		BIT(5)	/* status write */
#define VTD_QI_WAIT_FN		BIT(6)	/* fence */
#define VTD_QI_WAIT_SDATA(d)	((u64)(d) << 32)
#define VTD_QI_WAIT_SADDR	GENMASK(63, 2)	/* high qword */

/* Granularities shared by register- and queue-based invalidation. */
enum vtd_gran { VTD_GRAN_GLOBAL = 1, VTD_GRAN_DOMAIN = 2, VTD_GRAN_DEVICE = 3,
		VTD_GRAN_PAGE = 3 };

/* ---- interrupt remapping table entry (9.10 remapped, 9.11 posted) -------- */
#define VTD_IRTE_P		BIT(0)
#define VTD_IRTE_FPD		BIT(1)
#define VTD_IRTE_DM		BIT(2)	/* destination mode: 1 logical */
#define VTD_IRTE_RH		BIT(3)	/* redirection hint */
#define VTD_IRTE_TM		BIT(4)	/* trigger mode: 1 level */
#define VTD_IRTE_DLM(m)		((u64)((m) & 7) << 5)	/* 0 fixed */
#define VTD_IRTE_AVAIL(a)	((u64)((a) & 0xf) << 8)
#define VTD_IRTE_URG		BIT(14)	/* posted: urgent */
#define VTD_IRTE_IM		BIT(15)	/* 1: posted format */
#define VTD_IRTE_V(v)		((u64)(v) << 16)	/* vector / virtual vector */
#define VTD_IRTE_DST(d)		((u64)(d) << 32)	/* 63:32 */
#define VTD_IRTE_DST_XAPIC(id)	VTD_IRTE_DST((u32)((id) & 0xff) << 8) /* 47:40 */
#define VTD_IRTE_PDA_LO(pa)	(((u64)(pa) & GENMASK(31, 6)) << 32) /* 63:38 */
/* high qword */
#define VTD_IRTE_SID(s)		((u64)(s))	/* 79:64 */
#define VTD_IRTE_SQ(q)		((u64)((q) & 3) << 16)	/* 81:80 */
#define VTD_IRTE_SVT(t)		((u64)((t) & 3) << 18)	/* 83:82 */
#define VTD_SVT_NONE		0
#define VTD_SVT_RID		1	/* SID/SQ must match the requester */
#define VTD_SVT_BUS		2	/* requester bus in SID[15:8]..SID[7:0] */
#define VTD_IRTE_PDA_HI(pa)	((u64)(pa) & GENMASK(63, 32))	/* 127:96 */
/* 9.11: bits of a posted-format entry that must be 0 (7:2, 13:12, 37:24
 * of the low qword; 95:84 of the high one). */
#define VTD_IRTE_POSTED_RSVD_LO	(GENMASK(7, 2) | GENMASK(13, 12) | GENMASK(37, 24))
#define VTD_IRTE_POSTED_RSVD_HI	GENMASK(31, 20)

/* Remappable MSI address format (5.1.5.2). */
#define VTD_MSI_ADDR_BASE	0xfee00000u
#define VTD_MSI_ADDR_IF		BIT(4)	/* interrupt format: remappable */
#define VTD_MSI_ADDR_SHV	BIT(3)	/* subhandle valid */
#define VTD_MSI_ADDR_HANDLE_LO(h) ((u64)((h) & 0x7fff) << 5)	/* 19:5 */
#define VTD_MSI_ADDR_HANDLE_HI(h) ((u64)(((h) >> 15) & 1) << 2) /* bit 2 */

/* 5.1.5.1: IOAPIC redirection entry in remappable format. */
#define VTD_IOAPIC_RTE_IF	BIT(48)	/* interrupt format: remappable */

/* Posted-interrupt descriptor (9.12, struct pi_desc in iommu/irte.h):
 * bits of its control dword, descriptor bits 287:256. */
#define VTD_PID_ON		BIT(0)	/* 256: outstanding notification */
#define VTD_PID_SN		BIT(1)	/* 257: suppress notification */
#define VTD_PID_NV(v)		((u32)(u8)(v) << 16)	/* 279:272 */
#define VTD_PID_NV_OF(c)	((u8)((c) >> 16))
#define VTD_PID_CONTROL_RSVD	((u32)(GENMASK(15, 2) | GENMASK(31, 24)))

/* Fault reasons (Appendix A, Table A-1 non-recoverable fault reasons). */
#define VTD_FR_ROOT_NOT_PRESENT		0x01
#define VTD_FR_CONTEXT_NOT_PRESENT	0x02
#define VTD_FR_WRITE			0x05
#define VTD_FR_READ			0x06
#define VTD_FR_IR_INDEX			0x21	/* index beyond the table */
#define VTD_FR_IR_NOT_PRESENT		0x22
#define VTD_FR_IR_RSVD			0x24	/* reserved field in the IRTE */
#define VTD_FR_IR_COMPAT		0x25	/* compatibility format blocked */
#define VTD_FR_IR_SID			0x26
#define VTD_FR_PID_READ			0x27	/* posted descriptor not readable */
#define VTD_FR_PID_RSVD			0x28	/* reserved field in it set */
/* Interrupt-remapping reasons run from 0x20 to 0x29: 0x27/0x28 are the
 * posted-interrupt descriptor's (read failed, reserved field set). */
#define VTD_FR_IR_FIRST			0x20
#define VTD_FR_IR_LAST			0x29

#endif
