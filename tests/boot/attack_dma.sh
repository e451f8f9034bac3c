#!/usr/bin/env bash
# The memory part of the attack suite: a guest's VF DMA outside the guest's
# memory is blocked by VT-d, decoded, blamed on that guest and stops it;
# the victim guest on another VF passes traffic and exits 0, and the
# hypervisor's code is unchanged.
source "$(dirname "$0")/lib.bash"

boot dma "$ROOT/tests/configs/attack_dma.cfg" --smp 3
expect_exit $EXIT_PASS "every attacker stopped, the victim exited 0"
check_target() { # NAME RID GPA
	expect_line "^\[$1\] \| net: transmitting from GPA $3, outside my RAM$"
	expect_line "^\[vmm\] $1 stopped \(as its test expects\): DMA read from GPA $3 by $2 outside its memory" "$1: blocked and blamed on it"
	expect_no_line "^\[$1\] \| net: still running"
	expect_line "^\[vmm\] $1: $2 taken back: detached and reset"
}
check_target dma4g '01:10\.0' 0x100000000
check_target dmavtd '01:10\.2' 0xfed90000
# QEMU routes a DMA read of the MSI range to its interrupt window: no
# memory is read, no fault recorded (see attack_dma.cfg).
expect_line '^\[dmaapic\] \| net: transmitting from GPA 0xfee00000, outside my RAM$'
expect_no_line '^\[vtd\] warning: fault: .* 01:10\.4 '
expect_line '^\[vmm\] dmaapic exited with status 1$'
check_target dmatop '01:10\.6' 0xfffff000
expect_line '^\[victim\] \| net: 10\.0\.2\.2 is at 52:55:0a:00:02:02' "the victim's traffic goes on"
expect_line '^\[vmm\] victim exited with status 0$'
expect_line '^\[test\] PASS vmm: hypervisor \.text and \.rodata \([0-9]+ KiB\) unchanged by the guests'
expect_line '^\[vmm\] victim +exited +yes '
expect_line '^\[vmm\] 5 of 5 guest\(s\) started, all stopped; verdict pass$'
expect_no_line 'PANIC|panic'
finish
