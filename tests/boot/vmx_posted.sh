#!/usr/bin/env bash
# VMX posted-interrupt processing under Bochs 3.0 (Debian trixie chroot,
# made by tools/trixie-chroot.sh on first use, ~1 min and ~550 MB): the
# timer guest's interrupts are delivered by the CPU through the vCPU's
# posted-interrupt descriptor (PIR + ON and the notification vector), so
# none is taken by the hypervisor's software injection path and no VM exit
# is spent on delivery.
source "$(dirname "$0")/lib.bash"

# 20 M instructions per emulated second (tools/bochs-run.sh BOCHS_IPS):
# the timed waits cost less, as in vmx_guests.sh.
BOCHS_IPS=${BOCHS_IPS:-20000000} boot_bochs3 bochs3 "$ROOT/tests/configs/vmm_vmx.cfg" --smp 1
expect_exit $EXIT_PASS "every guest ended as expected"
expect_line '^\[vmx\] VMX rev [0-9]+, .*posted interrupts used' "pin-based posted interrupts offered and enabled"
expect_line '^\[ticks\] \| timer: 1[0-9] ticks in [0-9]+ ms$' "the guest counted its timer interrupts"
expect_line '^\[vmm\] ticks: .* 1[0-9] timer irqs raised, 0 taken by software \(the rest by posted-interrupt processing\)$' \
	"every tick delivered by the CPU, none injected by the hypervisor"
expect_line '^\[vmm\] 6 of 6 guest\(s\) started, all stopped; verdict pass'
expect_no_line 'VM entry failed|PANIC'
finish
