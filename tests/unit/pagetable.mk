UNIT_TESTS += pagetable
pagetable_SRCS := tests/unit/test_pagetable.c kernel/pagetable.c tests/unit/log_stub.c
