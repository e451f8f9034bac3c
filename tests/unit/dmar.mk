# DMAR parser and iterators (iommu/dmar.c) on captured QEMU tables, and the
# one "which unit covers this requester id" lookup (with iommu/iommu.c's VF table).
UNIT_TESTS += dmar
dmar_SRCS := tests/unit/test_dmar.c iommu/dmar.c iommu/vtd_plan.c lib/format.c iommu/iommu.c kernel/acpi.c tests/unit/log_stub.c tests/unit/fixture.c
