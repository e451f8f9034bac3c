# The guest's virtual PCI bus: type-1 latch, virtual ECAM, host bridge and
# the config-space filter (vmm/vpci.c, vmm/vpci_filter.c) on the igb PF
# config space captured from QEMU (tests/fixtures/pci/).
UNIT_TESTS += vpci
vpci_SRCS := tests/unit/test_vpci.c vmm/vpci.c vmm/vpci_filter.c \
	vmm/vmsix.c drivers/pci_caps.c lib/format.c tests/unit/fixture.c
