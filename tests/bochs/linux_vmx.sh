#!/usr/bin/env bash
# The Debian Linux guest (make linux-guest) on the VMX backend under
# Bochs 2.7 (tests/configs/linux_bochs.cfg; docs/linux-guest.md, "Under
# Bochs: the VMX backend"): the same kernel and /init as the SVM boot
# test, without a VF (Bochs has no igb and no VT-d). It checks the same
# milestones: the kernel's banner, x2APIC routing from the MP table,
# /init's own output (through the 8250's interrupt on the virtual 8259,
# injected as ExtINT), "no VF", and the power-off the VMM takes as exit
# status 0. make test runs it under Bochs 3.0 (tests/boot/linux_vmx3.sh);
# the Bochs 2.7 run takes minutes and is a command:
#   make bochs-linux        (= tools/run-tests.sh --boot tests/bochs/linux_vmx.sh)
# It prints each milestone's line, the wall-clock time and the exits.
# One CPU (BOCHS_SMP, default 1): the guest shares cpu0 with the
# hypervisor, and Bochs emulates one CPU instead of two (130 s, not 306).
# BOCHS3=1: under Bochs 3.0 (the trixie chroot of tools/trixie-chroot.sh)
# with posted-interrupt processing; the 8250's ExtINT is still injected.
BOCHS_TIMEOUT=${BOCHS_TIMEOUT:-1200}
source "$(dirname "$0")/../boot/lib.bash"

need_linux_guest

# milestone REGEX WHAT: like expect_line, and prints the line it found.
milestone() {
	local line
	line=$(clean_log | grep -Em1 -- "$1") || { fail "no line matching: $1 ($2)"; return; }
	echo "$TEST_NAME: ok  $2: ${line:0:110}"
}

LOG=$LOGDIR/$TEST_NAME-bochs${BOCHS3:+3}.log
: >"$LOG"
chroot_args=()
if [ -n "${BOCHS3:-}" ]; then
	if ! chroot_dir=$("$ROOT/tools/trixie-chroot.sh" 2>"$LOG.qemu"); then
		fail "cannot prepare the Bochs 3.0 chroot: $(tail -n 3 "$LOG.qemu")"
		finish
	fi
	chroot_args=(--chroot "$chroot_dir")
fi
start=$SECONDS
"$ROOT/tools/bochs-run.sh" "${chroot_args[@]}" --config "$ROOT/tests/configs/linux_bochs.cfg" \
	--smp "${BOCHS_SMP:-1}" --mem 512 --timeout "$BOCHS_TIMEOUT" --log "$LOG" \
	</dev/null >"$LOG.qemu" 2>&1
STATUS=$?
echo "$TEST_NAME: Bochs ran $((SECONDS - start)) s (wall clock), serial log $LOG"
[ "$STATUS" = 124 ] && fail "Bochs timed out after ${BOCHS_TIMEOUT} s"

milestone '^\[vmm\] backend vmx; 1 guest\(s\)' "VMX backend"
[ -n "${BOCHS3:-}" ] && milestone '^\[vmx\] VMX rev .*, posted interrupts used$' "posted interrupts (Bochs 3.0)"
milestone '^\[vmm\] linux: Linux boot protocol 2\.15, kernel [0-9]+ KiB at 0x1000000' "bzImage loaded"
milestone '^\[linux\] \| .*Linux version 6\.12\.' "kernel banner"
milestone '^\[linux\] \| .*APIC: Switched APIC routing to: physical x2apic$' "x2APIC from the MP table"
milestone '^\[linux\] \| .*Run /init as init process$' "/init reached"
milestone '^\[linux\] \| linux-guest: init running, kernel 6\.12\.' "/init's output (8250 IRQ 4 via the virtual 8259)"
milestone '^\[linux\] \| linux-guest: no VF: igbvf found no device' "no VF, said in one line"
milestone '^\[vmm\] linux: halted with interrupts off at RIP 0x[0-9a-f]+: Linux powered off' "power off"
milestone '^\[vmm\] linux exited with status 0$' "exit status 0"
milestone '^\[vmm\] linux: [0-9]+ exits in [0-9]+ ms' "exits"
expect_exit $EXIT_PASS "verdict pass"
expect_no_line '^\[linux\] \| .*(Kernel panic|Oops|WARNING:|BUG:)' "no oops, warning or panic"
expect_no_line 'VM entry failed|PANIC'
finish
