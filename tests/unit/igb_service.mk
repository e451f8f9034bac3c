# The igb PF's service pass (drivers/igb_service.c) against a register
# model: reset events and requests attributed to the VF that raised them,
# in order, with bounded work per hostile VF.
UNIT_TESTS += igb_service
igb_service_SRCS := tests/unit/test_igb_service.c drivers/igb_service.c \
	drivers/igb_mbx.c tests/unit/log_stub.c lib/string.c
