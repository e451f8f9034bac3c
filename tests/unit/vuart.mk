# The guests' virtual 16550 (vmm/vuart.c).
UNIT_TESTS += vuart
vuart_SRCS := tests/unit/test_vuart.c vmm/vuart.c
