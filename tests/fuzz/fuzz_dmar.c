// SPDX-License-Identifier: MIT
/*
 * libFuzzer target for iommu/dmar.c.
 *
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -I. -DHV_HOST_TEST \
 *     tests/fuzz/fuzz_dmar.c iommu/dmar.c iommu/vtd_plan.c lib/format.c \
 *     kernel/acpi.c tests/unit/log_stub.c
 *
 * The input is a DMAR table, used once gated by acpi_table_check() (input
 * size as `avail`) and once with its Length forced to the input size and no
 * checksum gate. Each time dmar_parse() runs, then every iterator walks the
 * table and every scope, and each scope is resolved with a fake config
 * space. Iteration is bounded by the input size: an iterator that does not
 * advance would be a hang, which libFuzzer reports. The driver's decisions
 * (iommu/vtd_plan.c) run on every table too.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "iommu/dmar.h"
#include "iommu/vtd_plan.h"
#include "kernel/acpi.h"

static u8 fake_secondary(void *ctx, u8 bus, u8 dev, u8 fn)
{
	return (u8)(bus + 1 + ((dev ^ fn) & 1));
}

static void walk_scopes(const u8 *scopes, u32 len)
{
	struct dmar_scope s;
	u32 cur = 0;
	u8 bus, devfn;

	while (dmar_next_scope(scopes, len, &cur, &s) == 1) {
		dmar_scope_resolve(&s, fake_secondary, NULL, &bus, &devfn);
		dmar_scope_resolve(&s, NULL, NULL, &bus, &devfn);
		dmar_scope_type_name(s.type);
	}
}

static void exercise(const struct acpi_sdt_header *h)
{
	struct dmar_info di;
	struct dmar_drhd d;
	struct dmar_rmrr r;
	struct dmar_atsr a;
	u32 cur;

	static const struct vtd_unit_caps caps[4] = {
		{ true, true, true }, { true, true, false },
		{ true, true, true }, { true, true, true },
	};
	static const struct madt_ioapic io[2] = { { .id = 0 }, { .id = 2 } };
	struct vtd_plan p;
	u64 base, size;

	vtd_plan_table(h, !dmar_parse(h, &di), &p);
	vtd_plan_ir(h, io, 2, caps, 4, true, &p);
	vtd_plan_rmrrs(h, (1ull << 39) - 1);
	cur = 0;
	while (dmar_next_drhd(h, &cur, &d) == 1)
		walk_scopes(d.scopes, d.scopes_len);
	cur = 0;
	while (dmar_next_rmrr(h, &cur, &r) == 1) {
		walk_scopes(r.scopes, r.scopes_len);
		if (vtd_rmrr_pages(&r, ~0ull >> 1, &base, &size) &&
		    (base & 0xfff || size & 0xfff || !size))
			__builtin_trap();	/* must be whole pages */
	}
	cur = 0;
	while (dmar_next_atsr(h, &cur, &a) == 1)
		walk_scopes(a.scopes, a.scopes_len);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct acpi_sdt_header *h;
	u8 *buf = malloc(size ? size : 1);

	if (!buf)
		return 0;
	memcpy(buf, data, size);
	h = (struct acpi_sdt_header *)buf;
	if (acpi_table_check(h, size, "DMAR") == 0)
		exercise(h);
	if (size >= sizeof(*h) && size <= 0xffffffffu) {
		h->length = (u32)size;
		exercise(h);
	}
	/* the scope walker on raw bytes */
	walk_scopes(buf, (u32)size);
	free(buf);
	return 0;
}
