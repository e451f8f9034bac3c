# VT-d root/context entries, invalidation descriptors, fault records and
# fault reason names (iommu/vtd_entries.c).
UNIT_TESTS += vtd_entries
vtd_entries_SRCS := tests/unit/test_vtd_entries.c iommu/vtd_entries.c tests/unit/log_stub.c
