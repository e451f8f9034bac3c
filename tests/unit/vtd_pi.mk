# Posted interrupts through VT-d: IRTEs from iommu/irte.c and
# iommu/vtd_ir.c (included by the test, its spinlocks replaced) walked by
# a model of the hardware (tests/unit/vtd_ir_model.c), the descriptor then
# drained by the VMM's vmm/pi_desc.h.
UNIT_TESTS += vtd_pi
vtd_pi_SRCS := tests/unit/test_vtd_pi.c tests/unit/vtd_ir_model.c \
	iommu/irte.c tests/unit/log_stub.c
$(BUILD)/unit/vtd_pi: iommu/vtd_ir.c
