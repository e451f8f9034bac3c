/* SPDX-License-Identifier: MIT */
/*
 * printf-style formatting without libc, for the kernel log, the boot stub
 * and the guests.
 *
 * Conversions: %d %i %u %x %X %o %p %s %c %%, with the flags '-' '0' '#'
 * '+' ' ', a field width and a precision (either may be '*'), and the
 * length modifiers hh h l ll z t j. The output matches the C library's for
 * all of these, except:
 *   - there is no floating point (the kernel is built without SSE);
 *   - %n is not supported: it would let a format string write memory;
 *   - %p prints like glibc: 0x and the minimal hex digits, "(nil)" for NULL;
 *   - %s prints "(null)" for NULL, or nothing if the precision is below 6
 *     (glibc does the same);
 *   - %lc and %ls are treated as %c and %s;
 *   - an unknown conversion is printed as it was written and consumes no
 *     argument, so a typo shows up in the log instead of crashing.
 */
#ifndef LIB_FORMAT_H
#define LIB_FORMAT_H

#include <stdarg.h>

#include "lib/types.h"

/*
 * The core: calls putc(ctx, c) for every output character, so a console
 * can stream without a buffer. Returns the number of characters emitted,
 * or -1 if that would not fit in an int.
 */
int fmt_vformat(void (*putc)(void *ctx, char c), void *ctx, const char *fmt,
		va_list ap);
int fmt_format(void (*putc)(void *ctx, char c), void *ctx, const char *fmt,
	       ...) __printf(3, 4);

/*
 * C99 vsnprintf/snprintf: write at most size bytes including the NUL,
 * always terminate if size > 0, return the length the full output has
 * (so the output was truncated if the result is >= size). buf may be NULL
 * if size is 0.
 */
int fmt_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int fmt_snprintf(char *buf, size_t size, const char *fmt, ...) __printf(3, 4);

#endif
