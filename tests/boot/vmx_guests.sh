#!/usr/bin/env bash
# The VMX backend under Bochs 2.7 (cpu corei7_skylake_x, OVMF, EPT+VPID):
# the same guest images as the SVM tests print, take virtual x2APIC timer
# interrupts, get #GP for refused MSRs, are stopped on an unemulated port
# and on a write outside their memory (EPT violation), and exit with the
# expected statuses. Bochs cannot report through isa-debug-exit:
# tools/bochs-run.sh reads the verdict from the serial log.
# OVMF under Bochs installs no ACPI tables: the CPUs come from the UEFI MP
# services list the boot stub records, and each guest runs on its own AP.
source "$(dirname "$0")/lib.bash"

# 20 M instructions per emulated second and CPU, not 80 M: the run is
# mostly timed waits (firmware stalls, spincli's 3 s), which then cost a
# quarter of the instructions (45 s instead of ~65 s); the TSC and APIC
# timer are calibrated from the PM timer either way.
LOG=$LOGDIR/$TEST_NAME-bochs.log
BOCHS_IPS=${BOCHS_IPS:-20000000} "$ROOT/tools/bochs-run.sh" --config "$ROOT/tests/configs/vmm_vmx.cfg" \
	--smp 5 --timeout "${BOCHS_TIMEOUT:-240}" --log "$LOG" \
	</dev/null >"$LOG.qemu" 2>&1
STATUS=$?
[ "$STATUS" = 124 ] && fail "Bochs timed out"
expect_exit $EXIT_PASS "every guest ended as expected"
expect_line '^\[vmx\] VMX rev [0-9]+, TRUE controls yes, .*EPT yes 4-level' "VMX probed from the capability MSRs"
expect_line '^\[acpi\] warning: no MADT: taking 5 CPU\(s\) from the firmware.s MP services'
expect_line '^\[smp\] cpu4 online: APIC id 4'
expect_line '^\[vmm\] backend vmx; 6 guest\(s\), 5 CPU\(s\): cpu0 keeps the hypervisor, one AP per running guest' "VMX backend, partitioned"
for g in "hello 1" "ticks 2" "priv 3" "bad 4"; do
	set -- $g
	expect_line "^\[vmm\] $1: vCPU $2 running on cpu$2,"
done
expect_line '^\[vmx\] cpu4: VMX on, VMXON region 0x' "VMX on each guest's AP"
expect_line '^\[vmm\] hello: .*intel-ept root 0x' "EPT from the guest memory map"
expect_line '^\[hello\] \| hello from guest hello' "VMCALL console hypercall"
expect_line '^\[hello\] \| hello through the 16550$'
expect_line '^\[vmm\] hello exited with status 3$'
expect_line '^\[ticks\] \| timer: 10 ticks in [0-9]+ ms$' "timer interrupts injected"
expect_line '^\[vmm\] ticks: .* 10 timer irqs raised, 10 taken$'
expect_line '^\[vmm\] ticks exited with status 0$'
expect_line '^\[priv\] \| priv: wrmsr 0x1b: #GP as expected$' "#GP injected"
expect_line '^\[priv\] \| priv: rdmsr 0xfe: #GP as expected$'
expect_line '^\[vmm\] priv stopped \(as its test expects\): out to port 0x80 \(1 byte\)'
expect_line '^\[vmm\] bad stopped \(as its test expects\): NPF write at GPA 0x601000 outside its memory' "EPT violation stops the guest"
expect_line '^\[vmm\] spincli stopped \(as its test expects\): no exit after 3 s \(timeout\)$' "cli; spin is preempted on VMX"
expect_line '^\[insn\] \| hostile: 7 of 7 intercepted instructions raised #UD$' "VMX, GETSEC, XSETBV, MONITOR, MWAIT"
expect_line '^\[vmm\] insn: vmxon at RIP 0x[0-9a-f]+: #UD injected \(no nested virtualization\)$'
# GETSEC (CR4.SMXE=0) and XSETBV (CR4.OSXSAVE=0) raise #UD before they
# would exit (SDM Vol. 3C §25.1.1: such faults take priority): the CPU
# refuses them by itself. MONITOR/MWAIT exit and get #UD from the VMM.
expect_line '^\[vmm\] insn: mwait at RIP 0x[0-9a-f]+: #UD injected \(no MONITOR/MWAIT\)$'
expect_line '^\[vmm\] insn exited with status 0$'
expect_line '^\[vmm\] 6 of 6 guest\(s\) started, all stopped; verdict pass'
expect_no_line 'VM entry failed|PANIC'
finish
