# The VF driver core (lib/igbvf.c) against a fake register file: ring
# programming, receive-ready, interrupt routing, masking and moderation.
UNIT_TESTS += igbvf
igbvf_SRCS := tests/unit/test_igbvf.c lib/igbvf.c lib/arp.c lib/string.c
