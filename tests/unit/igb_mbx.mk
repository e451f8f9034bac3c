# PF side of the igb PF<->VF mailbox (drivers/igb_mbx.c): every message
# type, malformed lengths, spoofed MACs, unknown opcodes.
UNIT_TESTS += igb_mbx
igb_mbx_SRCS := tests/unit/test_igb_mbx.c drivers/igb_mbx.c tests/unit/log_stub.c
