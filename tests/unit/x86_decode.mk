UNIT_TESTS += x86_decode
x86_decode_SRCS := tests/unit/test_x86_decode.c vmm/x86_decode.c
