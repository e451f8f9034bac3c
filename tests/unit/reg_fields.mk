# Register field masks checked against the bit ranges the datasheets give
# (drivers/igb_regs.h, vmm/svm_regs.h): header-only, no code under test.
UNIT_TESTS += reg_fields
reg_fields_SRCS := tests/unit/test_reg_fields.c
