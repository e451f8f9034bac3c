# The VMM's reading of a guest's cmdline (vmm/vm_verdict.c): expect=,
# timeout=S and timeout=none; the verdict over a restarted guest's runs.
UNIT_TESTS += vm_verdict
vm_verdict_SRCS := tests/unit/test_vm_verdict.c vmm/vm_verdict.c \
	tests/unit/log_stub.c lib/string.c
