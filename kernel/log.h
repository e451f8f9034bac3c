/* SPDX-License-Identifier: MIT */
/*
 * Logging: one line per event, prefixed by the subsystem.
 *
 * Every .c file that logs defines LOG_SUBSYS before including this header:
 *     #define LOG_SUBSYS "acpi"
 *     #include "kernel/log.h"
 *     pr_info("XSDT at %#llx, %u entries\n", pa, n);
 * prints "[acpi] XSDT at 0x7ffe2000, 9 entries".
 *
 * Host unit tests link tests/unit/log_stub.c, which records the lines so a
 * test can assert that a bad table was reported.
 */
#ifndef KERNEL_LOG_H
#define KERNEL_LOG_H

#include "lib/types.h"

enum log_level {
	LOG_ERR = 0,
	LOG_WARN = 1,
	LOG_INFO = 2,
	LOG_DEBUG = 3,
};

void log_printf(enum log_level level, const char *subsys, const char *fmt, ...)
	__printf(3, 4);

#define pr_err(fmt, ...) log_printf(LOG_ERR, LOG_SUBSYS, fmt, ##__VA_ARGS__)
#define pr_warn(fmt, ...) log_printf(LOG_WARN, LOG_SUBSYS, fmt, ##__VA_ARGS__)
#define pr_info(fmt, ...) log_printf(LOG_INFO, LOG_SUBSYS, fmt, ##__VA_ARGS__)
#define pr_debug(fmt, ...) log_printf(LOG_DEBUG, LOG_SUBSYS, fmt, ##__VA_ARGS__)

#endif
