# Interrupt remapping table entries (remapped and posted), posted-interrupt
# descriptor, remappable MSI address (iommu/irte.c).
UNIT_TESTS += irte
irte_SRCS := tests/unit/test_irte.c iommu/irte.c tests/unit/log_stub.c
