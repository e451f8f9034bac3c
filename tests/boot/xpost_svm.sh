#!/usr/bin/env bash
# Interrupts raised on another CPU, SVM backend (QEMU): the same
# tests/configs/xpost.cfg as tests/boot/vmx_posted_xcpu.sh. cpu0 posts 50
# interrupts to each guest through vm_post_irq() and kicks the guest's
# CPU (SVM has no posted-interrupt processing); the VMM injects each one.
# Both guests count exactly 50, the VMM injected 50, and the exits this
# costs on the guest's CPU are counted. Then 400 posts 2 ms apart, faster
# than the guests keep up: posts are held back, none lost or doubled.
# With cpu0 alone nobody could post:
# the guest is refused with that reason, never left to time out.
source "$(dirname "$0")/lib.bash"

boot smp3 "$ROOT/tests/configs/xpost.cfg" --smp 3
expect_exit $EXIT_PASS "both guests ended as expected"
for g in xspin xhlt; do
	expect_line "^\[$g\] \| xirq: 50 of 50 interrupts at vector 3[45] received, 0 at another vector\$" \
		"$g counted every interrupt once"
	expect_line "^\[vmm\] $g: xpost: 50 of 50 x vector 0x2[23] posted from cpu0 every 5 ms \([0-9]+ held back\), kick \(exit\); [1-9][0-9]* exits on cpu[12] meanwhile .* per interrupt; 50 injected by software\$" \
		"$g: kicked, each one injected once"
done
expect_line '^\[vmm\] xspin: xpost: .* meanwhile \([1-9][0-9]* intr, 0 hlt, 50 msr, ' \
	"the spinning guest's exits: kicks and its 50 EOIs"
expect_line '^\[vmm\] 2 of 2 guest\(s\) started, all stopped; verdict pass'

boot stress "$ROOT/tests/configs/xpost_stress.cfg" --smp 3
expect_exit $EXIT_PASS "both guests ended as expected under pressure"
for g in xspin xhlt; do
	expect_line "^\[$g\] \| xirq: 400 of 400 interrupts at vector 3[45] received, 0 at another vector\$" \
		"$g: none lost or doubled at 2 ms"
	expect_line "^\[vmm\] $g: xpost: 400 of 400 x vector .* 400 injected by software\$"
done

cfg=$LOGDIR/$TEST_NAME-cpu0.cfg
cat >"$cfg" <<'CFG'
log_level = info
selftest = off
debug_exit = 0xf4

[guest lonely]
image = guests/xirq.elf
memory = 4M
cmdline = "xpost=5 xpost_vec=34 expect=stopped"
CFG
boot cpu0 "$cfg" --smp 1
expect_exit $EXIT_PASS "the refusal is what the guest expects"
expect_line '^\[vmm\] lonely stopped \(as its test expects\): xpost= needs a second CPU to post from$'
expect_line '^\[vmm\] lonely: xpost: 0 of 5 x vector 0x22 posted$'
expect_no_line '^\[lonely\] \|' "the guest never ran"
finish
