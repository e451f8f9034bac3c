#!/usr/bin/env bash
# Privileged operations the hypervisor does not allow: wrmsr/rdmsr of an
# MSR it does not emulate get #GP injected (the guest handles both), an
# out to a port it does not emulate stops the guest with a report. The
# other guest is unaffected.
source "$(dirname "$0")/lib.bash"

boot smp3 "$ROOT/tests/configs/vmm_priv.cfg" --smp 3
expect_exit $EXIT_PASS "priv stopped as expected, vm2 exited 0"
expect_line '^\[vmm\] priv: wrmsr MSR 0x1b at RIP 0x[0-9a-f]+ not allowed: #GP injected$'
expect_line '^\[priv\] \| priv: wrmsr 0x1b: #GP as expected$'
expect_line '^\[vmm\] priv: rdmsr MSR 0xfe at RIP 0x[0-9a-f]+ not allowed: #GP injected$'
expect_line '^\[priv\] \| priv: rdmsr 0xfe: #GP as expected$'
expect_line '^\[vmm\] priv stopped \(as its test expects\): out to port 0x80 \(1 byte\) at RIP 0x[0-9a-f]+: port not emulated$'
expect_no_line '^\[priv\] \| priv: port 0x80 write was allowed'
expect_line '^\[vmm\] vm2 exited with status 0$'
expect_no_line '^\[test\] FAIL'
finish
