/* SPDX-License-Identifier: MIT */
/*
 * Freestanding string and memory functions. See lib/string.h.
 *
 * gcc at -O2 turns byte loops that look like memcpy/memmove/memset into
 * calls to those very functions (-ftree-loop-distribute-patterns, not
 * disabled by -ffreestanding), which would recurse forever here. So the
 * bulk copies use "rep movsb"/"rep stosb" and the one remaining byte loop
 * carries a compiler barrier that keeps it a loop.
 */
#include "lib/string.h"

#ifndef HV_HOST_TEST

void *memcpy(void *dst, const void *src, size_t n)
{
	void *ret = dst;

	asm volatile("rep movsb"
		     : "+D"(dst), "+S"(src), "+c"(n)
		     :
		     : "memory");
	return ret;
}

void *memset(void *dst, int c, size_t n)
{
	void *ret = dst;

	asm volatile("rep stosb"
		     : "+D"(dst), "+c"(n)
		     : "a"(c)
		     : "memory");
	return ret;
}

/*
 * Overlapping with dst above src must copy from the end. "std; rep movsb"
 * would do it, but an interrupt arriving with DF set would run its handler
 * against the ABI, so copy backwards by hand instead.
 */
void *memmove(void *dst, const void *src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;

	if (d <= s || d >= s + n)
		return memcpy(dst, src, n);
	while (n) {
		n--;
		d[n] = s[n];
		asm volatile("" : "+r"(n)); /* keep it a loop, see above */
	}
	return dst;
}

int memcmp(const void *a, const void *b, size_t n)
{
	const unsigned char *x = a, *y = b;
	size_t i;

	for (i = 0; i < n; i++)
		if (x[i] != y[i])
			return x[i] - y[i];
	return 0;
}

size_t strlen(const char *s)
{
	const char *p = s;

	while (*p)
		p++;
	return p - s;
}

size_t strnlen(const char *s, size_t max)
{
	size_t n = 0;

	while (n < max && s[n])
		n++;
	return n;
}

/* Compares as unsigned char, like the C library does. */
int strcmp(const char *a, const char *b)
{
	const unsigned char *x = (const unsigned char *)a;
	const unsigned char *y = (const unsigned char *)b;

	while (*x && *x == *y) {
		x++;
		y++;
	}
	return *x - *y;
}

int strncmp(const char *a, const char *b, size_t n)
{
	const unsigned char *x = (const unsigned char *)a;
	const unsigned char *y = (const unsigned char *)b;

	for (; n; n--, x++, y++) {
		if (*x != *y)
			return *x - *y;
		if (!*x)
			break;
	}
	return 0;
}

/* As in C, the terminating NUL is part of the string: strchr(s, 0) works. */
char *strchr(const char *s, int c)
{
	for (;; s++) {
		if (*s == (char)c)
			return (char *)s;
		if (!*s)
			return NULL;
	}
}

#endif /* !HV_HOST_TEST */

#ifndef LIB_HOST_HAS_STRLCPY
size_t strlcpy(char *dst, const char *src, size_t size)
{
	size_t len = strlen(src);

	if (size) {
		size_t n = len < size - 1 ? len : size - 1;

		memcpy(dst, src, n);
		dst[n] = '\0';
	}
	return len;
}
#endif
