# SR-IOV enable (drivers/sriov.c) on the igb PF behind a root port, config
# spaces captured from QEMU (tests/fixtures/pci/) and modelled writable:
# the success path, and a failure that must undo ARI, NumVFs, VF BARs and
# the grown bridge window.
UNIT_TESTS += sriov
sriov_SRCS := tests/unit/test_sriov.c drivers/sriov.c drivers/pci_caps.c \
	iommu/iommu.c tests/unit/log_stub.c
