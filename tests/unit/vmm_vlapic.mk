UNIT_TESTS += vmm_vlapic
vmm_vlapic_SRCS := tests/unit/test_vmm_vlapic.c vmm/vlapic.c
