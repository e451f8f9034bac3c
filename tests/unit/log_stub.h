/* SPDX-License-Identifier: MIT */
#ifndef TESTS_UNIT_LOG_STUB_H
#define TESTS_UNIT_LOG_STUB_H

#include <stdlib.h>

#define LOG_STUB_LINES 64

int getenv_verbose(void);
void log_stub_reset(void);
unsigned log_stub_count(void);
int log_stub_contains(const char *needle);

#endif
