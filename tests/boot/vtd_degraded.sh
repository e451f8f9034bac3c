#!/usr/bin/env bash
# VT-d when it cannot be (fully) used:
#   - the DMAR table is corrupted (fault injection): the probe fails cleanly
#     with one line, the hypervisor runs without an IOMMU and the DMA
#     self-tests are skipped, not failed (the corrupted table itself fails
#     the kernel's ACPI check, as in acpi_corrupt);
#   - intremap=off: a unit without interrupt remapping still translates
#     DMA (the DMA self-tests pass), says its MSIs are not confined, and the
#     MSI self-tests are skipped; IOAPIC pins fall back to the
#     compatibility format.
source "$(dirname "$0")/lib.bash"

cfg=$(mktemp); trap 'rm -f "$cfg"' EXIT
cat "$ROOT/tests/configs/test.cfg" - >"$cfg" <<EOT
inject = acpi-corrupt:DMAR
EOT
boot nodmar "$cfg" -- -device edu
expect_exit $EXIT_FAIL "the corrupted DMAR fails the ACPI check"
expect_line '^\[vtd\] no valid DMAR table: VT-d not used'
expect_line '^\[iommu\] warning: running without an IOMMU: no IOMMU for this device'
expect_line '^\[dmatest\] no IOMMU: DMA self-tests skipped'
expect_no_line '^\[vtd\] unit 0: translation enabled'
expect_no_line '^\[test\] FAIL VT-d'

boot noir "$ROOT/tests/configs/test.cfg" --iommu intremap=off,aw-bits=48 -- -device edu
expect_line '^\[vtd\] unit 0 at 0xfed90000: .*no IR, '
expect_line '^\[vtd\] warning: unit 0: no interrupt remapping'
expect_line '^\[vtd\] unit 0: translation enabled'
expect_no_line '^\[vtd\] unit 0: interrupt remapping enabled'
expect_count '^\[test\] PASS VT-d' 4
expect_line '^\[dmatest\] no interrupt remapping for edu: MSI self-tests skipped'
expect_no_line '^\[test\] FAIL VT-d'
expect_line '^\[test\] PASS IOAPIC pin in compatibility format: ISA IRQ0 -> GSI 2, RTE 0x31, '
finish
