// SPDX-License-Identifier: MIT
/*
 * devread: for every device in its boot info, reads the device's STATUS
 * register through the mapping the VMM gave it (offset 0x8 on the e1000e,
 * 82574 datasheet §10.2.2.2; 0x8 on an igb VF too, 82576 §8.28) and prints
 * it. All ones would mean nothing decodes there. Exits 0 if every device
 * answered, 1 if one did not, 2 without devices.
 */
#include "guest-tests/rt/rt.h"

#define REG_STATUS 0x8

int guest_main(const struct hv_boot_info *bi)
{
	u32 i, bad = 0;

	if (!bi->ndev) {
		printf("devread: no devices in the boot info\n");
		return 2;
	}
	for (i = 0; i < bi->ndev; i++) {
		const struct hv_bi_dev *d = &bi->dev[i];
		u32 st = *(volatile u32 *)(d->mmio_gpa + REG_STATUS);

		printf("devread: %s %02x:%02x.%u at GPA %#llx: STATUS %#x%s\n",
		       d->kind == HV_BI_DEV_VF ? "VF" : "function", d->bus,
		       d->dev, d->fn, d->mmio_gpa, st,
		       st == 0xffffffffu ? " (no answer)" : "");
		bad += st == 0xffffffffu;
	}
	return bad ? 1 : 0;
}
