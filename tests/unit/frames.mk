UNIT_TESTS += frames
frames_SRCS := tests/unit/test_frames.c kernel/frames.c tests/unit/log_stub.c
