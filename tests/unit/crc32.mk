# CRC-32 (lib/crc32.c), used for the memory-integrity checks around guests.
UNIT_TESTS += crc32
crc32_SRCS := tests/unit/test_crc32.c lib/crc32.c
