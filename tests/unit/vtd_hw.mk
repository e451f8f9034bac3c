# The VT-d invalidation path (iommu/vtd_qi.c) and fault handler
# (iommu/vtd_fault.c) against a model of the unit's registers and queue.
# The test includes both .c files itself (to replace the interrupt-masking
# spinlocks), so they are listed as prerequisites only.
UNIT_TESTS += vtd_hw
vtd_hw_SRCS := tests/unit/test_vtd_hw.c iommu/vtd_entries.c iommu/iommu.c tests/unit/log_stub.c
$(BUILD)/unit/vtd_hw: iommu/vtd_qi.c iommu/vtd_fault.c
