// SPDX-License-Identifier: MIT
#include "vmm/vf_demand.h"

u16 vmm_vf_demand(const struct hv_config *cfg)
{
	u32 g, i, want = 0;

	for (g = 0; g < cfg->nguests; g++)
		for (i = 0; i < cfg->guests[g].ndevices; i++) {
			const struct cfg_device *d = &cfg->guests[g].devices[i];

			if (d->kind == CFG_DEV_VF && d->vf_index + 1u > want)
				want = d->vf_index + 1u;
		}
	return (u16)want;
}
