// SPDX-License-Identifier: MIT
/*
 * The console log. Lines are streamed straight to the UART under one lock,
 * so lines from different CPUs never interleave and nothing is truncated.
 */
#include <stdarg.h>

#include "kernel/console.h"
#include "kernel/log.h"
#include "kernel/serial.h"
#include "kernel/spinlock.h"
#include "lib/format.h"

static spinlock_t console_lock = SPINLOCK_INIT;
static enum log_level max_level = LOG_INFO;
static bool lock_broken;

static const char *const level_tag[] = {
	[LOG_ERR] = "error: ",
	[LOG_WARN] = "warning: ",
	[LOG_INFO] = "",
	[LOG_DEBUG] = "",
};

void log_set_level(enum log_level level)
{
	max_level = level;
}

static void console_putc(void *ctx, char c)
{
	(void)ctx;
	if (c == '\n')
		serial_putc('\r');
	serial_putc(c);
}

static u64 console_acquire(void)
{
	u64 flags = irq_save();

	if (!READ_ONCE(lock_broken))
		spin_lock(&console_lock);
	return flags;
}

static void console_release(u64 flags)
{
	if (!READ_ONCE(lock_broken))
		spin_unlock(&console_lock);
	irq_restore(flags);
}

void log_printf(enum log_level level, const char *subsys, const char *fmt, ...)
{
	va_list ap;
	u64 flags;

	if (level > max_level)
		return;
	flags = console_acquire();
	fmt_format(console_putc, NULL, "[%s] %s", subsys, level_tag[level]);
	va_start(ap, fmt);
	fmt_vformat(console_putc, NULL, fmt, ap);
	va_end(ap);
	console_release(flags);
}

void console_printf(const char *fmt, ...)
{
	va_list ap;
	u64 flags = console_acquire();

	va_start(ap, fmt);
	fmt_vformat(console_putc, NULL, fmt, ap);
	va_end(ap);
	console_release(flags);
}

/*
 * A panicking CPU may have died holding the lock; from now on print
 * without it. Interleaving is better than silence.
 */
void console_break_lock(void)
{
	WRITE_ONCE(lock_broken, true);
}
