/* SPDX-License-Identifier: MIT */
/*
 * Freestanding string and memory functions for the hypervisor, the boot stub
 * and the guests.
 *
 * The kernel has no libc, so lib/string.c provides the usual names (gcc also
 * emits calls to memcpy/memset/memmove/memcmp for struct copies and large
 * initialisers, even with -ffreestanding). Host unit tests are built with
 * -DHV_HOST_TEST and use the host's libc for these instead, so ASan's
 * interceptors keep checking every call.
 *
 * The character helpers carry a lib_ prefix because <ctype.h> on the host
 * may define isdigit() and friends as macros.
 */
#ifndef LIB_STRING_H
#define LIB_STRING_H

#include "lib/types.h"

#ifdef HV_HOST_TEST
#include <string.h>
/* glibc gained strlcpy in 2.38; older hosts get ours from lib/string.c. */
#if defined(__GLIBC__) && defined(__GLIBC_PREREQ)
#if __GLIBC_PREREQ(2, 38)
#define LIB_HOST_HAS_STRLCPY 1
#endif
#endif
#else
void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
size_t strnlen(const char *s, size_t max);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
char *strchr(const char *s, int c);
#endif

#ifndef LIB_HOST_HAS_STRLCPY
/*
 * Copies at most size - 1 bytes of src and always terminates dst (if size
 * is not 0). Returns strlen(src): the copy was truncated if that is
 * >= size.
 */
size_t strlcpy(char *dst, const char *src, size_t size);
#endif

static inline bool lib_isdigit(int c)
{
	return c >= '0' && c <= '9';
}

static inline bool lib_isxdigit(int c)
{
	return lib_isdigit(c) || (c >= 'a' && c <= 'f') ||
	       (c >= 'A' && c <= 'F');
}

static inline bool lib_isalpha(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static inline bool lib_isalnum(int c)
{
	return lib_isalpha(c) || lib_isdigit(c);
}

/* The C locale's set: space, \t, \n, \v, \f, \r. */
static inline bool lib_isspace(int c)
{
	return c == ' ' || (c >= '\t' && c <= '\r');
}

static inline int lib_tolower(int c)
{
	return (c >= 'A' && c <= 'Z') ? c - 'A' + 'a' : c;
}

static inline int lib_toupper(int c)
{
	return (c >= 'a' && c <= 'z') ? c - 'a' + 'A' : c;
}

/* Value of a hex digit, or -1. */
static inline int lib_hexval(int c)
{
	if (lib_isdigit(c))
		return c - '0';
	c = lib_tolower(c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

#endif
