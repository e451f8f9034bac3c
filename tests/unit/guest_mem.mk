UNIT_TESTS += guest_mem
guest_mem_SRCS := tests/unit/test_guest_mem.c vmm/guest_mem.c kernel/pagetable.c tests/unit/log_stub.c
