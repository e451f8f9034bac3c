#!/usr/bin/env bash
# panic() reports the CPU, the decoded fault, registers and a backtrace
# with image offsets, stops the other CPUs and exits with the panic verdict.
# Once on an AP, once on the boot CPU.
source "$(dirname "$0")/lib.bash"

for cpu in 1 0; do
	cfg=$(mktemp)
	cat "$ROOT/tests/configs/test.cfg" - >"$cfg" <<EOT
inject = fault:$cpu
EOT
	boot "cpu$cpu" "$cfg"
	rm -f "$cfg"
	expect_exit $EXIT_PANIC "panic verdict"
	expect_line "^\*\*\* PANIC on cpu$cpu: unhandled #PF page fault"
	expect_line '^  page fault at 0x8: not present, write, supervisor'
	expect_line '^  rip 0x[0-9a-f]{16}  rsp 0x[0-9a-f]{16}'
	expect_line '^  cr0 0x[0-9a-f]+  cr2 0x8  cr3 0x'
	expect_line '^backtrace:'
	expect_line '^  #0  0x[0-9a-f]{16}  \(hv\.elf\+0x[0-9a-f]+\)'
	expect_line '^  #1  0x[0-9a-f]{16}  \(hv\.elf\+0x[0-9a-f]+\)'
	expect_line '^\[hv\] exit: PANIC'
	expect_no_line '^\[test\] self-test:' "nothing runs after a panic"
done
finish
