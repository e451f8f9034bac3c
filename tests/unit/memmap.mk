UNIT_TESTS += memmap
memmap_SRCS := tests/unit/test_memmap.c kernel/memmap.c tests/unit/log_stub.c
