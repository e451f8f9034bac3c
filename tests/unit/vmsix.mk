# MSI-X emulation (vmm/vmsix.c): guest address/data validation, IRTEs
# encoded by iommu/irte.c (remapped, source-id verified), masks, PBA.
UNIT_TESTS += vmsix
vmsix_SRCS := tests/unit/test_vmsix.c vmm/vmsix.c iommu/irte.c \
	tests/unit/fixture.c
