# The guests' CMOS RTC (vmm/vrtc.c) and the date arithmetic under it
# (lib/civil_time.c): BCD/binary, 12/24 h, SET, the divider, UIP, the
# flags of register C, per-guest offsets, refused dates.
UNIT_TESTS += vrtc
vrtc_SRCS := tests/unit/test_vrtc.c vmm/vrtc.c lib/civil_time.c
