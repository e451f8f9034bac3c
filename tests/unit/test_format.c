/* SPDX-License-Identifier: MIT */
/*
 * lib/format.c against the host's snprintf, and lib/string.c as the kernel
 * builds it.
 *
 * The formatting tests compare every result with glibc: a table of chosen
 * cases (each also at every truncating buffer size, with a guard zone that
 * must stay untouched), and an exhaustive sweep over flags x width x
 * precision x length x conversion x value.
 *
 * lib/string.c under -DHV_HOST_TEST defines nothing the host libc has, so
 * format.mk compiles it a second time with the kernel's flags and renames
 * its symbols to k_memcpy and so on; those are what the string tests call.
 */
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#include <cmocka.h>

#include "lib/format.h"

/* lib/string.c as compiled for the kernel, see format.mk. */
void *k_memcpy(void *dst, const void *src, size_t n);
void *k_memmove(void *dst, const void *src, size_t n);
void *k_memset(void *dst, int c, size_t n);
int k_memcmp(const void *a, const void *b, size_t n);
size_t k_strlen(const char *s);
size_t k_strnlen(const char *s, size_t max);
int k_strcmp(const char *a, const char *b);
int k_strncmp(const char *a, const char *b, size_t n);
char *k_strchr(const char *s, int c);
size_t k_strlcpy(char *dst, const char *src, size_t size);

#define GUARD 16
#define GUARD_BYTE 0xa5

static unsigned long ncompared;

/*
 * Formats with glibc and with fmt_vsnprintf and compares text and return
 * value. With all_sizes, also every buffer size from 0 to one past the
 * full length, checking that nothing is written beyond size.
 */
static void vcompare(bool all_sizes, const char *fmt, va_list ap)
{
	char want[600], got[sizeof(want) + GUARD];
	size_t size, i, n;
	int wn, gn;
	va_list aq;

	va_copy(aq, ap);
	wn = vsnprintf(want, sizeof(want), fmt, aq);
	va_end(aq);
	assert_true(wn >= 0 && (size_t)wn < sizeof(want));

	va_copy(aq, ap);
	gn = fmt_vsnprintf(got, sizeof(want), fmt, aq);
	va_end(aq);
	ncompared++;
	if (gn != wn || strcmp(got, want)) {
		print_error("format \"%s\": glibc \"%s\" (%d), ours \"%s\" (%d)\n",
			    fmt, want, wn, got, gn);
		fail();
	}
	if (!all_sizes)
		return;

	for (size = 0; size <= (size_t)wn + 1; size++) {
		memset(got, GUARD_BYTE, sizeof(got));
		va_copy(aq, ap);
		gn = fmt_vsnprintf(got, size, fmt, aq);
		va_end(aq);
		assert_int_equal(gn, wn);
		if (size) {
			n = MIN(size - 1, (size_t)wn);
			assert_memory_equal(got, want, n);
			assert_int_equal(got[n], '\0');
			i = n + 1;
		} else {
			i = 0;
		}
		for (; i < size + GUARD; i++)
			if ((unsigned char)got[i] != GUARD_BYTE) {
				print_error("format \"%s\" size %zu: byte %zu written\n",
					    fmt, size, i);
				fail();
			}
	}
}

/* The format is data here, so gcc's -Wformat cannot look at it. */
static void compare(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vcompare(true, fmt, ap);
	va_end(ap);
}

static void compare_quick(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vcompare(false, fmt, ap);
	va_end(ap);
}

/* fmt_snprintf without the format check, for formats gcc would reject. */
static int fmt_nocheck(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int ret;

	va_start(ap, fmt);
	ret = fmt_vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return ret;
}

enum arg_type { A_INT, A_UINT, A_LONG, A_ULONG, A_LLONG, A_ULLONG, A_SIZE,
		A_SSIZE, A_PTRDIFF, A_INTMAX, A_UINTMAX, A_STR, A_CHAR, A_PTR,
		A_NONE };

struct fmt_case {
	const char *fmt;
	enum arg_type type;
	long long i;
	const char *s;
};

static const struct fmt_case cases[] = {
	{ .fmt = "plain text", .type = A_NONE },
	{ .fmt = "", .type = A_NONE },
	{ .fmt = "100%%", .type = A_NONE },
	{ .fmt = "%%%%%%", .type = A_NONE },
	{ .fmt = "%d", .type = A_INT },
	{ .fmt = "%d", .type = A_INT, .i = 42 },
	{ .fmt = "%d", .type = A_INT, .i = -42 },
	{ .fmt = "%d", .type = A_INT, .i = INT_MAX },
	{ .fmt = "%d", .type = A_INT, .i = INT_MIN },
	{ .fmt = "%i", .type = A_INT, .i = -7 },
	{ .fmt = "[%5d]", .type = A_INT, .i = 42 },
	{ .fmt = "[%-5d]", .type = A_INT, .i = 42 },
	{ .fmt = "[%05d]", .type = A_INT, .i = -42 },
	{ .fmt = "[%+d]", .type = A_INT, .i = 42 },
	{ .fmt = "[% d]", .type = A_INT, .i = 42 },
	{ .fmt = "[%+ d]", .type = A_INT, .i = 42 },
	{ .fmt = "[% 05d]", .type = A_INT, .i = 42 },
	{ .fmt = "[%.0d]", .type = A_INT },
	{ .fmt = "[%5.0d]", .type = A_INT },
	{ .fmt = "[%+.0d]", .type = A_INT },
	{ .fmt = "[%.5d]", .type = A_INT, .i = -42 },
	{ .fmt = "[%08.3d]", .type = A_INT, .i = 42 },
	{ .fmt = "[%-08d]", .type = A_INT, .i = 42 },
	{ .fmt = "[%.d]", .type = A_INT, .i = 3 },
	{ .fmt = "%u", .type = A_UINT, .i = 0xffffffffll },
	{ .fmt = "%x", .type = A_UINT, .i = 0xdeadbeefll },
	{ .fmt = "%X", .type = A_UINT, .i = 0xdeadbeefll },
	{ .fmt = "%#x", .type = A_UINT, .i = 0xbeef },
	{ .fmt = "%#X", .type = A_UINT, .i = 0xbeef },
	{ .fmt = "%#x", .type = A_UINT },
	{ .fmt = "%#.0x", .type = A_UINT },
	{ .fmt = "%#010x", .type = A_UINT, .i = 0x1234 },
	{ .fmt = "%#-10x|", .type = A_UINT, .i = 0x1234 },
	{ .fmt = "%o", .type = A_UINT, .i = 8 },
	{ .fmt = "%#o", .type = A_UINT, .i = 8 },
	{ .fmt = "%#o", .type = A_UINT },
	{ .fmt = "%#.0o", .type = A_UINT },
	{ .fmt = "%#5.3o", .type = A_UINT, .i = 8 },
	{ .fmt = "%#.3o", .type = A_UINT, .i = 0777 },
	{ .fmt = "%+u % u", .type = A_UINT, .i = 5 },
	{ .fmt = "%hhd", .type = A_INT, .i = 200 },
	{ .fmt = "%hhu", .type = A_INT, .i = -1 },
	{ .fmt = "%hhx", .type = A_INT, .i = 0x1234 },
	{ .fmt = "%hd", .type = A_INT, .i = 40000 },
	{ .fmt = "%hu", .type = A_INT, .i = -1 },
	{ .fmt = "%ld", .type = A_LONG, .i = LONG_MIN },
	{ .fmt = "%lu", .type = A_ULONG, .i = -1 },
	{ .fmt = "%lx", .type = A_ULONG, .i = 0x123456789abcdefll },
	{ .fmt = "%lld", .type = A_LLONG, .i = LLONG_MIN },
	{ .fmt = "%lld", .type = A_LLONG, .i = LLONG_MAX },
	{ .fmt = "%llu", .type = A_ULLONG, .i = -1 },
	{ .fmt = "%llo", .type = A_ULLONG, .i = -1 },
	{ .fmt = "%#llo", .type = A_ULLONG, .i = -1 },
	{ .fmt = "%#llX", .type = A_ULLONG, .i = -1 },
	{ .fmt = "%zu", .type = A_SIZE, .i = -1 },
	{ .fmt = "%zx", .type = A_SIZE, .i = 0x1000 },
	{ .fmt = "%zd", .type = A_SSIZE, .i = -5 },
	{ .fmt = "%td", .type = A_PTRDIFF, .i = -123456789012ll },
	{ .fmt = "%tx", .type = A_PTRDIFF, .i = -1 },
	{ .fmt = "%jd", .type = A_INTMAX, .i = LLONG_MIN },
	{ .fmt = "%ju", .type = A_UINTMAX, .i = -1 },
	{ .fmt = "%20llx|", .type = A_ULLONG, .i = 0xfeedll },
	{ .fmt = "%-20lld|", .type = A_LLONG, .i = -99 },
	{ .fmt = "%.30lld", .type = A_LLONG, .i = -99 },
	{ .fmt = "%50.40llx", .type = A_ULLONG, .i = -1 },
	{ .fmt = "%s", .type = A_STR, .s = "hello" },
	{ .fmt = "%s", .type = A_STR, .s = "" },
	{ .fmt = "[%10s]", .type = A_STR, .s = "hello" },
	{ .fmt = "[%-10s]", .type = A_STR, .s = "hello" },
	{ .fmt = "[%.3s]", .type = A_STR, .s = "hello" },
	{ .fmt = "[%.0s]", .type = A_STR, .s = "hello" },
	{ .fmt = "[%8.2s]", .type = A_STR, .s = "hello" },
	{ .fmt = "[%-8.2s]", .type = A_STR, .s = "hello" },
	{ .fmt = "[%010s]", .type = A_STR, .s = "hi" },
	{ .fmt = "[%s]", .type = A_STR, .s = NULL },
	{ .fmt = "[%10s]", .type = A_STR, .s = NULL },
	{ .fmt = "[%.6s]", .type = A_STR, .s = NULL },
	{ .fmt = "[%.5s]", .type = A_STR, .s = NULL },
	{ .fmt = "[%c]", .type = A_CHAR, .i = 'x' },
	{ .fmt = "[%5c]", .type = A_CHAR, .i = 'x' },
	{ .fmt = "[%-5c]", .type = A_CHAR, .i = 'x' },
	{ .fmt = "[%05c]", .type = A_CHAR, .i = 'x' },
	{ .fmt = "[%c]", .type = A_CHAR, .i = 0xe9 },
	{ .fmt = "[%p]", .type = A_PTR, .i = 0x1234 },
	{ .fmt = "[%p]", .type = A_PTR },
	{ .fmt = "[%p]", .type = A_PTR, .i = -1 },
	{ .fmt = "[%20p]", .type = A_PTR, .i = 0xffff800000001000ll },
	{ .fmt = "[%-20p]", .type = A_PTR, .i = 0x1000 },
	{ .fmt = "[%10p]", .type = A_PTR },
	{ .fmt = "[%-10p]", .type = A_PTR },
	{ .fmt = "[%+p]", .type = A_PTR, .i = 0x10 },
	{ .fmt = "[%020p]", .type = A_PTR, .i = 0x10 },
	{ .fmt = "[%.10p]", .type = A_PTR, .i = 0x10 },
	{ .fmt = "a%db%sc%xd", .type = A_INT, .i = 1 },
};

static void run_case(const struct fmt_case *c)
{
	switch (c->type) {
	case A_NONE:
		compare(c->fmt);
		break;
	case A_INT:
	case A_CHAR:
		compare(c->fmt, (int)c->i, "str", 0xabc);
		break;
	case A_UINT:
		compare(c->fmt, (unsigned int)c->i, (unsigned int)c->i);
		break;
	case A_LONG:
		compare(c->fmt, (long)c->i);
		break;
	case A_ULONG:
		compare(c->fmt, (unsigned long)c->i);
		break;
	case A_LLONG:
		compare(c->fmt, (long long)c->i);
		break;
	case A_ULLONG:
		compare(c->fmt, (unsigned long long)c->i);
		break;
	case A_SIZE:
		compare(c->fmt, (size_t)c->i);
		break;
	case A_SSIZE:
		compare(c->fmt, (ssize_t)c->i);
		break;
	case A_PTRDIFF:
		compare(c->fmt, (ptrdiff_t)c->i);
		break;
	case A_INTMAX:
		compare(c->fmt, (intmax_t)c->i);
		break;
	case A_UINTMAX:
		compare(c->fmt, (uintmax_t)c->i);
		break;
	case A_STR:
		compare(c->fmt, c->s);
		break;
	case A_PTR:
		compare(c->fmt, (void *)(uintptr_t)c->i);
		break;
	}
}

static void test_table(void **state)
{
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		run_case(&cases[i]);
}

/* '*' width and precision, including negative ones. */
static void test_star(void **state)
{
	compare("[%*d]", 6, 42);
	compare("[%*d]", -6, 42);
	compare("[%-*d]", -6, 42);
	compare("[%0*d]", -6, 42);
	compare("[%.*d]", 4, 42);
	compare("[%.*d]", -4, 42);
	compare("[%*.*d]", 8, 4, -42);
	compare("[%*.*s]", -8, 3, "abcdef");
	compare("[%.*s]", -1, "abcdef");
	compare("[%*c]", 3, 'z');
	compare("[%*s|%*s]", 3, "a", -3, "b");
	compare("[%*llx]", 20, 0x1234ull);
	compare("[%*d]", -300, 1);
}

static const long long sweep_values[] = {
	0, 1, -1, 7, 42, -42, 127, -128, 128, 255, 256, 32767, -32768, 65535,
	INT_MAX, INT_MIN, UINT_MAX, 0x123456789abcdefll, LLONG_MAX, LLONG_MIN,
};

/* Same argument, passed as the type the length modifier asks for. */
static void sweep_one(const char *fmt, const char *len, bool is_signed,
		      long long v)
{
	if (!*len || !strcmp(len, "hh") || !strcmp(len, "h")) {
		if (is_signed)
			compare_quick(fmt, (int)v);
		else
			compare_quick(fmt, (unsigned int)v);
	} else if (!strcmp(len, "l")) {
		if (is_signed)
			compare_quick(fmt, (long)v);
		else
			compare_quick(fmt, (unsigned long)v);
	} else if (!strcmp(len, "ll")) {
		if (is_signed)
			compare_quick(fmt, v);
		else
			compare_quick(fmt, (unsigned long long)v);
	} else if (!strcmp(len, "z")) {
		if (is_signed)
			compare_quick(fmt, (ssize_t)v);
		else
			compare_quick(fmt, (size_t)v);
	} else if (!strcmp(len, "t")) {
		compare_quick(fmt, (ptrdiff_t)v);
	} else {
		if (is_signed)
			compare_quick(fmt, (intmax_t)v);
		else
			compare_quick(fmt, (uintmax_t)v);
	}
}

static const char flag_chars[] = "-0#+ ";
static const char *const widths[] = { "", "1", "7", "25" };
static const char *const precs[] = { "", ".", ".0", ".3", ".22" };

/* The 32 combinations of the five flags, in a fixed order. */
static void flags_str(unsigned int mask, char *out)
{
	unsigned int i;

	for (i = 0; i < 5; i++)
		if (mask & (1u << i))
			*out++ = flag_chars[i];
	*out = '\0';
}

/* Every flag set x width x precision x length x integer conversion. */
static void test_sweep_integers(void **state)
{
	static const char *const lens[] = { "", "hh", "h", "l", "ll",
					    "z", "t", "j" };
	static const char convs[] = "diuxXo";
	char flags[8], fmt[40];
	unsigned int f;
	size_t w, p, l, c, v;

	ncompared = 0;
	for (f = 0; f < 32; f++) {
		flags_str(f, flags);
		for (w = 0; w < 4; w++)
			for (p = 0; p < 5; p++)
				for (l = 0; l < 8; l++)
					for (c = 0; c < 6; c++) {
						snprintf(fmt, sizeof(fmt),
							 "[%%%s%s%s%s%c]", flags,
							 widths[w], precs[p],
							 lens[l], convs[c]);
						for (v = 0; v < sizeof(sweep_values) / sizeof(sweep_values[0]); v++)
							sweep_one(fmt, lens[l],
								  c < 2,
								  sweep_values[v]);
					}
	}
	assert_int_equal(ncompared, 32 * 4 * 5 * 8 * 6 *
			 (sizeof(sweep_values) / sizeof(sweep_values[0])));
}

/* %s, %c and %p under every flag set, width and precision. */
static void test_sweep_others(void **state)
{
	static const char *const strs[] = { "", "a", "hello", NULL,
					    "a string longer than 25 chars" };
	static const uintptr_t ptrs[] = { 0, 1, 0xdeadbeef, UINTPTR_MAX };
	char flags[8], fmt[40];
	unsigned int f;
	size_t w, p, i;

	for (f = 0; f < 32; f++) {
		flags_str(f, flags);
		for (w = 0; w < 4; w++) {
			for (p = 0; p < 5; p++) {
				snprintf(fmt, sizeof(fmt), "[%%%s%s%ss]", flags,
					 widths[w], precs[p]);
				for (i = 0; i < 5; i++)
					compare_quick(fmt, strs[i]);
				snprintf(fmt, sizeof(fmt), "[%%%s%s%sp]", flags,
					 widths[w], precs[p]);
				for (i = 0; i < 4; i++)
					compare_quick(fmt, (void *)ptrs[i]);
			}
			snprintf(fmt, sizeof(fmt), "[%%%s%sc]", flags, widths[w]);
			compare_quick(fmt, 'q');
			compare_quick(fmt, 0);
		}
	}
}

/* Exact strings, so the tests do not only hold "whatever glibc does". */
static void test_exact(void **state)
{
	char buf[64];

	assert_int_equal(fmt_snprintf(buf, sizeof(buf), "%#llx",
				      0xffffffffffffffffull), 18);
	assert_string_equal(buf, "0xffffffffffffffff");
	fmt_snprintf(buf, sizeof(buf), "%lld", (long long)LLONG_MIN);
	assert_string_equal(buf, "-9223372036854775808");
	fmt_snprintf(buf, sizeof(buf), "%#o|%#x|%#.0o|%.0d|", 0, 0, 0, 0);
	assert_string_equal(buf, "0|0|0||");
	fmt_nocheck(buf, sizeof(buf), "[%-6.3d][%06.3d][%+05d]", 7, 7, 7);
	assert_string_equal(buf, "[007   ][   007][+0007]");
	fmt_snprintf(buf, sizeof(buf), "%p %p", (void *)0x7ffe2000, NULL);
	assert_string_equal(buf, "0x7ffe2000 (nil)");
	fmt_nocheck(buf, sizeof(buf), "%s|%.3s|%.6s", (char *)NULL,
		     (char *)NULL, (char *)NULL);
	assert_string_equal(buf, "(null)||(null)");
	fmt_snprintf(buf, sizeof(buf), "%hhd %hhu %hd", 0x1ff, -1, 0x18000);
	assert_string_equal(buf, "-1 255 -32768");
	fmt_snprintf(buf, sizeof(buf), "%5s|%-5s|%c%c", "ab", "cd", 'e', 'f');
	assert_string_equal(buf, "   ab|cd   |ef");
}

/* Unknown conversions are printed as written and take no argument. */
static void test_unknown_conversion(void **state)
{
	char buf[64];

	assert_int_equal(fmt_nocheck(buf, sizeof(buf), "%q|%-5k|%d", 3), 9);
	assert_string_equal(buf, "%q|%-5k|3");
	/* %n must not write anything; it is printed instead. */
	assert_int_equal(fmt_nocheck(buf, sizeof(buf), "a%nb"), 4);
	assert_string_equal(buf, "a%nb");
	/* A '%' or a spec cut off by the end of the format. */
	fmt_nocheck(buf, sizeof(buf), "50%");
	assert_string_equal(buf, "50%");
	fmt_nocheck(buf, sizeof(buf), "x%-08.3l");
	assert_string_equal(buf, "x%-08.3l");
	fmt_nocheck(buf, sizeof(buf), "%f", 1.0);
	assert_string_equal(buf, "%f");
}

static void test_truncation(void **state)
{
	char buf[8];

	memset(buf, 'x', sizeof(buf));
	assert_int_equal(fmt_snprintf(buf, 4, "%s", "abcdef"), 6);
	assert_string_equal(buf, "abc");
	assert_int_equal(buf[4], 'x');

	memset(buf, 'x', sizeof(buf));
	assert_int_equal(fmt_snprintf(buf, 1, "%d", 12345), 5);
	assert_int_equal(buf[0], '\0');
	assert_int_equal(buf[1], 'x');

	/* size 0: nothing written, buf may be NULL, length still counted. */
	assert_int_equal(fmt_snprintf(NULL, 0, "%s=%d", "key", 100), 7);
	memset(buf, 'x', sizeof(buf));
	assert_int_equal(fmt_snprintf(buf, 0, "abc"), 3);
	assert_int_equal(buf[0], 'x');

	/* A width far larger than the buffer. */
	assert_int_equal(fmt_snprintf(buf, sizeof(buf), "%*d", 100000, 1),
			 100000);
	assert_string_equal(buf, "       ");
}

/* %.Ns must not read past N bytes: ASan watches the exact allocation. */
static void test_unterminated_string(void **state)
{
	char *s = malloc(3);
	char buf[16];

	assert_non_null(s);
	memcpy(s, "abc", 3);
	assert_int_equal(fmt_snprintf(buf, sizeof(buf), "[%.3s]", s), 5);
	assert_string_equal(buf, "[abc]");
	assert_int_equal(fmt_snprintf(buf, sizeof(buf), "[%.*s]", 2, s), 4);
	assert_string_equal(buf, "[ab]");
	free(s);
}

struct collect {
	char text[128];
	size_t n;
	unsigned calls;
};

static void collect_putc(void *ctx, char c)
{
	struct collect *col = ctx;

	if (col->n < sizeof(col->text) - 1)
		col->text[col->n++] = c;
	col->calls++;
}

static int collect_format(struct collect *col, const char *fmt, ...)
{
	va_list ap;
	int ret;

	va_start(ap, fmt);
	ret = fmt_vformat(collect_putc, col, fmt, ap);
	va_end(ap);
	return ret;
}

/* The streaming core: one call per character, nothing else. */
static void test_vformat_callback(void **state)
{
	struct collect col = { 0 };

	assert_int_equal(collect_format(&col, "[acpi] XSDT at %#llx, %u entries",
					0x7ffe2000ull, 9u), 36);
	assert_string_equal(col.text, "[acpi] XSDT at 0x7ffe2000, 9 entries");
	assert_int_equal(col.calls, 36);

	memset(&col, 0, sizeof(col));
	assert_int_equal(collect_format(&col, "%s", ""), 0);
	assert_int_equal(col.calls, 0);

	memset(&col, 0, sizeof(col));
	assert_int_equal(fmt_format(collect_putc, &col, "[%s] %-4s|", "acpi",
				    "W"), 12);
	assert_string_equal(col.text, "[acpi] W   |");
	assert_int_equal(col.calls, 12);

	/* A NUL from %c is output like any other character. */
	memset(&col, 0, sizeof(col));
	assert_int_equal(collect_format(&col, "%c%c%c", 'a', 0, 'b'), 3);
	assert_memory_equal(col.text, "a\0b", 3);
}

/* ---- lib/string.c as built for the kernel ---------------------------- */

static void fill(unsigned char *p, size_t n, unsigned seed)
{
	size_t i;

	for (i = 0; i < n; i++)
		p[i] = (unsigned char)(seed * 31 + i * 7 + 1);
}

static void test_kernel_memcpy_memset(void **state)
{
	unsigned char src[160], dst[160], ref[160];
	size_t off, n;

	for (off = 0; off < 8; off++) {
		for (n = 0; n < 140; n++) {
			fill(src, sizeof(src), n);
			memset(dst, 0xee, sizeof(dst));
			memcpy(ref, dst, sizeof(ref));
			memcpy(ref + off, src + 3, n);
			assert_ptr_equal(k_memcpy(dst + off, src + 3, n),
					 dst + off);
			assert_memory_equal(dst, ref, sizeof(dst));

			memset(ref + off, 0x5c, n);
			/* Only the low byte of c counts. */
			assert_ptr_equal(k_memset(dst + off, 0x15c, n),
					 dst + off);
			assert_memory_equal(dst, ref, sizeof(dst));
		}
	}
}

static void test_kernel_memmove(void **state)
{
	unsigned char buf[200], ref[200];
	int shift;
	size_t n;

	for (shift = -9; shift <= 9; shift++) {
		for (n = 0; n < 120; n++) {
			fill(buf, sizeof(buf), shift + 20);
			memcpy(ref, buf, sizeof(buf));
			memmove(ref + 40 + shift, ref + 40, n);
			assert_ptr_equal(k_memmove(buf + 40 + shift, buf + 40, n),
					 buf + 40 + shift);
			assert_memory_equal(buf, ref, sizeof(buf));
		}
	}
}

static int sign(int v)
{
	return (v > 0) - (v < 0);
}

static void test_kernel_compare(void **state)
{
	static const char *const strs[] = { "", "a", "ab", "abc", "abd",
					    "b", "\x80", "\xff", "a\xff" };
	size_t i, j, n;

	for (i = 0; i < sizeof(strs) / sizeof(strs[0]); i++) {
		for (j = 0; j < sizeof(strs) / sizeof(strs[0]); j++) {
			const char *a = strs[i], *b = strs[j];

			assert_int_equal(sign(k_strcmp(a, b)),
					 sign(strcmp(a, b)));
			for (n = 0; n < 5; n++)
				assert_int_equal(sign(k_strncmp(a, b, n)),
						 sign(strncmp(a, b, n)));
			n = MIN(strlen(a), strlen(b)) + 1;
			assert_int_equal(sign(k_memcmp(a, b, n)),
					 sign(memcmp(a, b, n)));
		}
		assert_int_equal(k_strlen(strs[i]), strlen(strs[i]));
	}
	assert_int_equal(k_memcmp("abc", "abd", 0), 0);
	assert_int_equal(k_memcmp("abc", "abd", 2), 0);
}

static void test_kernel_strings(void **state)
{
	static const char s[] = "hello, world", hi[] = "a\xe9";
	char *u = malloc(4), buf[8];

	/* strnlen must stop at max: ASan watches the 4-byte block. */
	assert_non_null(u);
	memcpy(u, "abcd", 4);
	assert_int_equal(k_strnlen(u, 4), 4);
	assert_int_equal(k_strnlen(u, 2), 2);
	assert_int_equal(k_strnlen("ab", 10), 2);
	assert_int_equal(k_strnlen("ab", 0), 0);
	free(u);

	assert_ptr_equal(k_strchr(s, 'o'), s + 4);
	assert_ptr_equal(k_strchr(s, 'h'), s);
	assert_ptr_equal(k_strchr(s, 'z'), NULL);
	assert_ptr_equal(k_strchr(s, '\0'), s + strlen(s));
	/* c is converted to char, so 0xe9 and (char)0xe9 both match. */
	assert_ptr_equal(k_strchr(hi, 0xe9), hi + 1);
	assert_ptr_equal(k_strchr(hi, (char)0xe9), hi + 1);

	memset(buf, 'x', sizeof(buf));
	assert_int_equal(k_strlcpy(buf, "hello world", sizeof(buf)), 11);
	assert_string_equal(buf, "hello w");
	assert_int_equal(k_strlcpy(buf, "hi", sizeof(buf)), 2);
	assert_string_equal(buf, "hi");
	memset(buf, 'x', sizeof(buf));
	assert_int_equal(k_strlcpy(buf, "abc", 1), 3);
	assert_int_equal(buf[0], '\0');
	assert_int_equal(buf[1], 'x');
	assert_int_equal(k_strlcpy(buf, "abc", 0), 3);
	assert_int_equal(buf[0], '\0');
	assert_int_equal(k_strlcpy(buf, "1234567", sizeof(buf)), 7);
	assert_string_equal(buf, "1234567");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_star),
		cmocka_unit_test(test_sweep_integers),
		cmocka_unit_test(test_sweep_others),
		cmocka_unit_test(test_exact),
		cmocka_unit_test(test_unknown_conversion),
		cmocka_unit_test(test_truncation),
		cmocka_unit_test(test_unterminated_string),
		cmocka_unit_test(test_vformat_callback),
		cmocka_unit_test(test_kernel_memcpy_memset),
		cmocka_unit_test(test_kernel_memmove),
		cmocka_unit_test(test_kernel_compare),
		cmocka_unit_test(test_kernel_strings),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
