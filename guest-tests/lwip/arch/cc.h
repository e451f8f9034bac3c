/* SPDX-License-Identifier: MIT */
/*
 * lwIP's compiler/platform header for the guests: freestanding x86-64,
 * no libc. Fixed-width types come from the compiler's own <stdint.h> and
 * <stddef.h> (the build passes gcc's include directory after -nostdinc);
 * limits, inttypes and ctype are not there, so lwIP uses its own.
 */
#ifndef LWIP_ARCH_CC_H
#define LWIP_ARCH_CC_H

#define LWIP_NO_LIMITS_H 1
#define LWIP_NO_INTTYPES_H 1
#define LWIP_NO_CTYPE_H 1
#define LWIP_NO_UNISTD_H 1

/* printf formats for lwIP's debug output (lib/format.c understands them). */
#define X8_F "02x"
#define U16_F "u"
#define S16_F "d"
#define X16_F "x"
#define U32_F "u"
#define S32_F "d"
#define X32_F "x"
#define SZT_F "lu"

#define BYTE_ORDER LITTLE_ENDIAN

int printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void lwip_port_assert(const char *msg, int line, const char *file)
	__attribute__((noreturn));
unsigned int lwip_port_rand(void);

#define LWIP_PLATFORM_DIAG(x) do { printf x; } while (0)
#define LWIP_PLATFORM_ASSERT(x) lwip_port_assert((x), __LINE__, __FILE__)
#define LWIP_RAND() ((u32_t)lwip_port_rand())

#endif
