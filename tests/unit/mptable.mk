# MP table builder (vmm/mptable.c): signatures, pointers, checksums,
# entries, refusals.
UNIT_TESTS += mptable
mptable_SRCS := tests/unit/test_mptable.c vmm/mptable.c
