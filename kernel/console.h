/* SPDX-License-Identifier: MIT */
#ifndef KERNEL_CONSOLE_H
#define KERNEL_CONSOLE_H

#include "kernel/log.h"

void log_set_level(enum log_level level);
/* Raw console output without a subsystem prefix (panic dumps, banners). */
void console_printf(const char *fmt, ...) __printf(1, 2);
void console_break_lock(void);

#endif
