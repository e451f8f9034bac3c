# The VFs a configuration's guests need (vmm/vf_demand.c), the number
# hv_main passes down to pci_main.
UNIT_TESTS += vf_demand
vf_demand_SRCS := tests/unit/test_vf_demand.c vmm/vf_demand.c
