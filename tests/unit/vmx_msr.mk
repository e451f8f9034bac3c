# The MSRs a VMX guest owns (vmm/vmx_msr.c): MSR-bitmap bits and the list
# swapped through the VM-entry/VM-exit MSR areas.
UNIT_TESTS += vmx_msr
vmx_msr_SRCS := tests/unit/test_vmx_msr.c vmm/vmx_msr.c
