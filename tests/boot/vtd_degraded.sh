#!/usr/bin/env bash
# VT-d when it cannot be (fully) used:
#   - the DMAR table is corrupted (fault injection): the probe fails cleanly
#     with one line, the hypervisor runs without an IOMMU and the DMA
#     self-tests are skipped, not failed (the corrupted table itself fails
#     the kernel's ACPI check, as in acpi_corrupt);
#   - intremap=off (checked on vmm_vf_noir.sh's boot, which has edu): a
#     unit without interrupt remapping still translates DMA, the MSI
#     self-tests are skipped.
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
finish
