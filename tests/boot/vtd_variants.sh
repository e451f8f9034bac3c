#!/usr/bin/env bash
# The VT-d DMA and interrupt self-tests under the other intel-iommu
# configurations the driver must handle:
#   aw-bits=39       3-level second-level tables (SAGAW 39-bit only)
#   eim=off          x2APIC CPU but no extended interrupt mode: IRTEs carry
#                    8-bit xAPIC destinations (APIC ids < 256 still work)
#   caching-mode=on  not-present entries are cached: every context and
#                    mapping change is invalidated (CM=1)
source "$(dirname "$0")/lib.bash"

check_suite() {
	expect_exit $EXIT_PASS "self-tests pass ($1)"
	expect_line '^\[vtd\] unit 0: translation enabled'
	expect_line '^\[vtd\] unit 0: interrupt remapping enabled'
	expect_count '^\[test\] PASS VT-d' 7
	expect_no_line '^\[test\] FAIL'
}

boot aw39 "$ROOT/tests/configs/test.cfg" --iommu intremap=on,eim=on,aw-bits=39 -- -device edu
check_suite aw39
expect_line '^\[vtd\] unit 0 at 0xfed90000: .*39-bit MGAW, SAGAW 39-bit,'
expect_line '^\[vtd\] unit 0: translation enabled: .*3-level tables'

boot eimoff "$ROOT/tests/configs/test.cfg" --iommu intremap=on,eim=off,aw-bits=48 -- -device edu
check_suite eim=off
expect_line '^\[apic\] cpu0: x2APIC mode'
expect_line '^\[vtd\] unit 0: interrupt remapping enabled: .*8-bit xAPIC destinations \(x2APIC mode without EIM: APIC ids 0-255 only\)'

boot cm "$ROOT/tests/configs/test.cfg" --iommu intremap=on,eim=on,aw-bits=48,caching-mode=on -- -device edu
check_suite caching-mode
expect_line '^\[vtd\] unit 0 at 0xfed90000: .*CM=1$'
finish
