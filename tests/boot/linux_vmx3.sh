#!/usr/bin/env bash
# make test's run of the Linux guest on the VMX backend: tests/bochs/
# linux_vmx.sh under Bochs 3.0 (posted-interrupt processing; the trixie
# chroot the vmx_posted tests also use), about 65 s. The Bochs 2.7 run
# (make bochs-linux, about 130 s) stays a command.
BOCHS3=1 BOCHS_TIMEOUT=${BOCHS_TIMEOUT:-400} exec bash "$(dirname "$0")/../bochs/linux_vmx.sh"
