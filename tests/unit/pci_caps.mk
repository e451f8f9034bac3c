# Capability walks and BAR sizing (drivers/pci_caps.c) on config spaces
# captured from QEMU (tests/fixtures/pci/).
UNIT_TESTS += pci_caps
pci_caps_SRCS := tests/unit/test_pci_caps.c drivers/pci_caps.c
