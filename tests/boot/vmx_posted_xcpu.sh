#!/usr/bin/env bash
# VMX posted interrupts from another CPU under Bochs 3.0 (trixie chroot,
# tools/trixie-chroot.sh): cpu0 posts 50 interrupts to each guest of
# tests/configs/xpost.cfg through vm_post_irq(), the path a remapped MSI
# takes, and sends the posted-interrupt notification vector to the guest's
# CPU instead of a kick. The spinning guest takes all 50 with 0 VM exits
# on its CPU; the halting one takes all 50 too (its exits are its hlts).
# No interrupt lost or doubled: each guest counts exactly 50.
source "$(dirname "$0")/lib.bash"

# 20 M instructions per emulated second (tools/bochs-run.sh BOCHS_IPS):
# the timed waits cost less, as in vmx_guests.sh.
BOCHS_IPS=${BOCHS_IPS:-20000000} boot_bochs3 bochs3 "$ROOT/tests/configs/xpost.cfg" --smp 3
expect_exit $EXIT_PASS "both guests ended as expected"
expect_line '^\[vmx\] VMX rev [0-9]+, .*posted interrupts used' "posted-interrupt processing enabled"
for g in xspin xhlt; do
	expect_line "^\[$g\] \| xirq: 50 of 50 interrupts at vector 3[45] received, 0 at another vector\$" \
		"$g counted every interrupt once"
	expect_line "^\[vmm\] $g: xpost: 50 of 50 x vector 0x2[23] posted from cpu0 every 5 ms \([0-9]+ held back\), notification vector 0x[0-9a-f]+; .* 0 injected by software\$" \
		"$g: posted from cpu0, notified by the notification vector, none injected"
done
expect_line '^\[vmm\] xspin: xpost: .*; 0 exits on cpu[0-9]+ meanwhile \(0 intr, 0 hlt, 0 msr, 0 other\), 0\.00 per interrupt;' \
	"no VM exit on the spinning guest's CPU for 50 deliveries"
expect_line '^\[vmm\] xhlt: xpost: .*; [0-9]+ exits on cpu[0-9]+ meanwhile \(0 intr, [0-9]+ hlt, 0 msr, 0 other\)' \
	"the halting guest's exits are its hlts only (EOI virtualized, no kick)"
expect_line '^\[vmm\] 2 of 2 guest\(s\) started, all stopped; verdict pass'
expect_no_line 'VM entry failed|PANIC'
finish
