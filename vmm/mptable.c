// SPDX-License-Identifier: MIT
/*
 * The MP table builder (MP spec 1.4 chapter 4): a floating pointer, a
 * configuration table header, one processor entry per vCPU and an ISA
 * bus. No I/O APIC entry: the VMM emulates none, and Linux then keeps
 * its local APIC in the mode the platform gives it (docs/linux-guest.md).
 */
#include "vmm/mptable.h"

#include "lib/unaligned.h"

#ifdef HV_HOST_TEST
#include <string.h>
#else
#include "lib/string.h"
#endif

static const char mp_oem_id[8] = { 'H', 'V', ' ', ' ', ' ', ' ', ' ', ' ' };
static const char mp_product_id[12] = { 'H', 'V', '-', 'G', 'U', 'E', 'S',
					'T', ' ', ' ', ' ', ' ' };
static const char mp_bus_isa[6] = { 'I', 'S', 'A', ' ', ' ', ' ' };

/* The byte that makes p[0..n) sum to zero (mod 256). */
static u8 checksum(const u8 *p, u32 n)
{
	u8 sum = 0;

	while (n--)
		sum += *p++;
	return (u8)-sum;
}

static u32 config_size(const struct mptable_cfg *cfg)
{
	return MPC_HDR_SIZE + cfg->ncpus * MPC_CPU_SIZE + MPC_BUS_SIZE;
}

u32 mptable_size(const struct mptable_cfg *cfg)
{
	return MPF_SIZE + config_size(cfg);
}

static void put_cpu(u8 *e, u32 id, const struct mptable_cfg *cfg)
{
	e[0] = MPC_ENTRY_CPU;
	e[MPC_CPU_APIC_ID] = (u8)id;
	e[MPC_CPU_APIC_VER] = MP_LAPIC_VERSION;
	e[MPC_CPU_FLAGS] = MPC_CPU_FLAG_EN | (id == 0 ? MPC_CPU_FLAG_BP : 0);
	put_le32(e + MPC_CPU_SIGNATURE, cfg->cpu_signature);
	put_le32(e + MPC_CPU_FEATURES, cfg->cpu_features);
}

static void put_config(u8 *c, const struct mptable_cfg *cfg)
{
	u8 *e = c + MPC_HDR_SIZE;
	u32 i;

	memcpy(c, MPC_SIGNATURE, 4);
	put_le16(c + MPC_LENGTH, (u16)config_size(cfg));
	c[MPC_SPEC_REV] = MP_SPEC_REV_1_4;
	memcpy(c + MPC_OEM_ID, mp_oem_id, sizeof(mp_oem_id));
	memcpy(c + MPC_PRODUCT_ID, mp_product_id, sizeof(mp_product_id));
	put_le16(c + MPC_ENTRY_COUNT, (u16)(cfg->ncpus + 1));
	put_le32(c + MPC_LAPIC_ADDR, MP_LAPIC_DEFAULT_ADDR);
	for (i = 0; i < cfg->ncpus; i++, e += MPC_CPU_SIZE)
		put_cpu(e, i, cfg);
	e[0] = MPC_ENTRY_BUS;
	e[MPC_BUS_ID] = 0;
	memcpy(e + MPC_BUS_TYPE, mp_bus_isa, sizeof(mp_bus_isa));
	c[MPC_CHECKSUM] = checksum(c, config_size(cfg));
}

u32 mptable_build(u8 *buf, u32 len, u64 gpa, const struct mptable_cfg *cfg)
{
	u32 size;

	if (!cfg->ncpus || cfg->ncpus > MP_MAX_CPUS || (gpa & 15) ||
	    gpa + MPF_SIZE >= (1ull << 32))
		return 0;
	size = mptable_size(cfg);
	if (len < size)
		return 0;
	memset(buf, 0, size);
	memcpy(buf, MPF_SIGNATURE, 4);
	put_le32(buf + MPF_PHYSPTR, (u32)(gpa + MPF_SIZE));
	buf[MPF_LENGTH] = 1;
	buf[MPF_SPEC_REV] = MP_SPEC_REV_1_4;
	buf[MPF_FEATURE1] = 0;
	buf[MPF_FEATURE2] = 0;
	buf[MPF_CHECKSUM] = checksum(buf, MPF_SIZE);
	put_config(buf + MPF_SIZE, cfg);
	return size;
}
