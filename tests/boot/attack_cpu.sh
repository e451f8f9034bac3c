#!/usr/bin/env bash
# The CPU part of the attack suite (guest-tests/hostile.c): a guest cannot
# keep its CPU, hang or crash the hypervisor, or drown the log; a victim
# guest beside the attackers keeps its timer and exits 0.
source "$(dirname "$0")/lib.bash"

boot spin "$ROOT/tests/configs/attack_spin.cfg" --smp 5
expect_exit $EXIT_PASS "every attacker stopped as expected, the victim exited 0"
expect_line '^\[vmm\] spincli stopped \(as its test expects\): no exit after 3 s \(timeout\)$' "cli; spin is preempted"
expect_line '^\[vmm\] spinsti stopped \(as its test expects\): no exit after 3 s \(timeout\)$' "sti; spin is preempted"
expect_line '^\[vmm\] triple stopped \(as its test expects\): triple fault \(shutdown\)'
expect_line '^\[vmm\] hltcli stopped \(as its test expects\): hlt with interrupts disabled at RIP 0x[0-9a-f]+: it would never wake$'
expect_line '^\[vmm\] victim exited with status 0$'
expect_line '^\[victim\] \| timer: 3[0-9][0-9] ticks in'
expect_line '^\[vmm\] victim: read-only image segments \([0-9]+ KiB\) unchanged \(crc32 0x[0-9a-f]+\)$' "the victim's code is intact"
expect_line '^\[test\] PASS vmm: hypervisor \.text and \.rodata \([0-9]+ KiB\) unchanged by the guests'
expect_line '^\[vmm\] guest +ended +expected +exits +refused +image$' "the closing table"
expect_line '^\[vmm\] spincli +stopped +yes +[0-9]+ +[0-9]+ +intact$'
expect_line '^\[vmm\] victim +exited +yes +[0-9]+ +0 +intact$'
expect_no_line 'PANIC|panic'

boot ops "$ROOT/tests/configs/attack_ops.cfg" --smp 4
expect_exit $EXIT_PASS "every attacker exited 0, and so did the victim"
for i in vmrun vmload vmsave clgi stgi skinit invlpga xsetbv monitor mwait; do
	expect_line "^\[insn\] \| hostile: $i: #UD$" "$i raises #UD"
	expect_line "^\[vmm\] insn: $i at RIP 0x[0-9a-f]+: #UD injected" "$i is intercepted"
done
expect_line '^\[insn\] \| hostile: 10 of 10 intercepted instructions raised #UD$'
expect_line '^\[insn\] \| hostile: wbinvd, invd: stepped over$'
expect_line '^\[vmm\] insn exited with status 0$'
expect_line '^\[msr\] \| hostile: 20000 MSR accesses, 20000 #GP$'
expect_count '^\[vmm\] msr: (rd|wr)msr MSR 0x[0-9a-f]+ at RIP 0x[0-9a-f]+ not allowed: #GP injected$' 8
expect_line '^\[vmm\] msr: further refused MSR accesses not logged \(counted in the report\)$'
expect_line '^\[hcall\] \| hostile: 100000 random hypercalls'
expect_line '^\[vmm\] hcall exited with status 0$'
expect_count '^\[vmm\] warning: flood: console over 100 lines/s: lines over the limit are counted, not logged$' 1
expect_line '^\[vmm\] warning: flood: [0-9]+ console line\(s\) not logged in all: more than 100 lines/s$' "the console flood is rate-limited"
flood_lines=$(clean_log | grep -c '^\[flood\] | hostile: flood line')
[ "$flood_lines" -lt 2500 ] || fail "$flood_lines flood lines reached the log"
expect_line '^\[vmm\] flood exited with status 0$'
expect_line '^\[storm\] \| hostile: timer storm: [0-9]+ ticks in 1 s$'
expect_line '^\[vmm\] storm exited with status 0$'
expect_line '^\[victim\] \| timer: 2[0-9][0-9] ticks in'
expect_line '^\[vmm\] victim exited with status 0$'
expect_line '^\[vmm\] 6 of 6 guest\(s\) started, all stopped; verdict pass$'
expect_line '^\[vmm\] msr +exited +yes +[0-9]+ +20000 +intact$' "refused MSRs counted in the table"
expect_line '^\[test\] PASS vmm: guest memory returned: ([0-9]+) pages free before the guests were set up, \1 after they all stopped$' "10^5 random hypercalls leak nothing"
expect_line '^\[test\] PASS vmm: hypervisor \.text and \.rodata \([0-9]+ KiB\) unchanged by the guests'
expect_line '^\[vmm\] msr +exited +yes +[0-9]+ +20000 +intact$' "refused MSRs counted in the table"
expect_line '^\[test\] PASS vmm: guest memory returned: ([0-9]+) pages free before the guests were set up, \1 after they all stopped$' "10^5 random hypercalls leak nothing"
expect_line '^\[test\] PASS vmm: hypervisor \.text and \.rodata \([0-9]+ KiB\) unchanged by the guests'
expect_no_line 'PANIC|panic'
finish
