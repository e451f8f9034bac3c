#!/usr/bin/env bash
# One guest on the SVM backend (QEMU -cpu max): the ELF image is loaded,
# entered in long mode on cpu1, prints through the console hypercall and
# the virtual 16550 (one prefixed line each), exits 0 as expected.
source "$(dirname "$0")/lib.bash"

boot smp2 "$ROOT/tests/configs/vmm_hello.cfg" --smp 2
expect_exit $EXIT_PASS "guest exited as expected"
expect_line '^\[svm\] SVM rev [0-9]+, [0-9]+ ASIDs, NPT yes' "SVM probed"
expect_line '^\[vmm\] backend svm; 1 guest' "SVM backend chosen"
expect_line '^\[vmm\] vm1: guests/hello.elf, 2 segment\(s\), entry 0x100000; 16 MiB RAM' "image loaded"
expect_line '^\[vmm\] vm1: vCPU 1 running on cpu1' "pinned to an AP"
expect_line '^\[vmm\] vm1: IOMMU domain built from the guest memory map \(1 range\(s\), 16 MiB\)' "VT-d domain from the same map"
expect_line '^\[vmm\] vm1: vf 1 \(01:10\.2\) assigned: registers at GPA 0xf0000000'
expect_line '^\[vm1\] \| hello from guest vm1 \(1 vCPU, 16 MiB, cmdline "expect=0"\)$' "hypercall console"
expect_line '^\[vm1\] \| hello through the 16550$' "virtual 16550"
expect_line '^\[vm1\] \| hypercall time advances: yes$' "time hypercall"
expect_line '^\[vmm\] vm1 exited with status 0$'
expect_line '^\[test\] PASS vm1: exit status 0, expected 0'
expect_line '^\[vmm\] 1 of 1 guest\(s\) started, all stopped; verdict pass'
expect_no_line '^\[test\] FAIL'
finish
