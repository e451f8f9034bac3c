// SPDX-License-Identifier: MIT
#include "guest-tests/rt/rt.h"
#include "guest-tests/vf_mmio.h"

static u32 vf_read32(void *ctx, u32 reg)
{
	return *(volatile u32 *)((u8 *)ctx + reg);
}

static void vf_write32(void *ctx, u32 reg, u32 v)
{
	*(volatile u32 *)((u8 *)ctx + reg) = v;
}

static void vf_udelay(void *ctx, u32 us)
{
	u64 end = rt_time_ns() + us * 1000ull;

	while (rt_time_ns() < end)
		;
}

static u64 vf_dma_addr(void *ctx, const void *p)
{
	return (u64)p;
}

void vf_mmio_ops(struct igbvf_ops *ops, u64 mmio_gpa)
{
	ops->read32 = vf_read32;
	ops->write32 = vf_write32;
	ops->udelay = vf_udelay;
	ops->dma_addr = vf_dma_addr;
	ops->ctx = (void *)mmio_gpa;
}
