# DMAR parser and iterators (iommu/dmar.c) on captured QEMU tables.
UNIT_TESTS += dmar
dmar_SRCS := tests/unit/test_dmar.c iommu/dmar.c kernel/acpi.c tests/unit/log_stub.c tests/unit/fixture.c
