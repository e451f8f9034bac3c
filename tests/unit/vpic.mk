# Virtual 8259A pair (vmm/vpic.c): Linux's init sequence, masks, EOIs,
# priority and the cascade.
UNIT_TESTS += vpic
vpic_SRCS := tests/unit/test_vpic.c vmm/vpic.c
