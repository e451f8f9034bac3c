// SPDX-License-Identifier: MIT
/*
 * Sensitive-instruction exits, backend-neutral: each backend lists its
 * exit codes in a struct vinsn_code table; this turns one into VEXIT_INSN.
 */
#include "lib/string.h"
#include "vmm/vcpu.h"

bool vinsn_decode(const struct vinsn_code *t, u32 n, u64 code,
		  struct vcpu_exit *e)
{
	u32 i;

	for (i = 0; i < n; i++) {
		if (t[i].code != code)
			continue;
		e->reason = VEXIT_INSN;
		e->insn = t[i].insn;
		strlcpy(e->detail, t[i].name, sizeof(e->detail));
		return true;
	}
	return false;
}
