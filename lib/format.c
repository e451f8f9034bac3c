/* SPDX-License-Identifier: MIT */
/*
 * printf-style formatting. See lib/format.h for what is supported.
 *
 * Everything goes through one callback per character: the console writes
 * straight to the UART, snprintf fills a buffer, and neither needs to know
 * how long the output will be.
 */
#include "lib/format.h"
#include "lib/string.h"

enum {
	F_LEFT = 1 << 0,	/* '-' */
	F_ZERO = 1 << 1,	/* '0' */
	F_ALT = 1 << 2,		/* '#' */
	F_PLUS = 1 << 3,	/* '+' */
	F_SPACE = 1 << 4,	/* ' ' */
};

enum len_mod { LEN_NONE, LEN_HH, LEN_H, LEN_L, LEN_LL, LEN_Z, LEN_T, LEN_J };

struct spec {
	unsigned int flags;
	int width;
	int prec;		/* -1: none given */
	enum len_mod len;
	char conv;
};

struct out {
	void (*putc)(void *ctx, char c);
	void *ctx;
	size_t count;
};

static void out_char(struct out *o, char c)
{
	o->putc(o->ctx, c);
	o->count++;
}

static void out_repeat(struct out *o, char c, size_t n)
{
	while (n--)
		out_char(o, c);
}

static void out_mem(struct out *o, const char *s, size_t n)
{
	while (n--)
		out_char(o, *s++);
}

/* s[0..n) padded with spaces to the field width. */
static void out_field(struct out *o, const struct spec *sp, const char *s,
		      size_t n)
{
	size_t pad = (size_t)sp->width > n ? (size_t)sp->width - n : 0;

	if (!(sp->flags & F_LEFT))
		out_repeat(o, ' ', pad);
	out_mem(o, s, n);
	if (sp->flags & F_LEFT)
		out_repeat(o, ' ', pad);
}

/*
 * An integer conversion. The output is, in order: padding spaces, sign,
 * "0x" prefix, zeros (for the precision, or for the width with '0'),
 * digits, trailing spaces for '-'.
 */
static void out_number(struct out *o, const struct spec *sp, u64 val,
		       bool negative)
{
	const char *digitset = sp->conv == 'X' ? "0123456789ABCDEF" :
						 "0123456789abcdef";
	unsigned int base = 10;
	char digits[24];	/* 2^64 in octal is 22 digits */
	size_t ndigits = 0, zeros = 0, body, pad = 0;
	const char *prefix = "";
	char sign = 0;

	if (sp->conv == 'x' || sp->conv == 'X' || sp->conv == 'p')
		base = 16;
	else if (sp->conv == 'o')
		base = 8;

	/* "%.0d" prints nothing at all for 0. */
	if (val || sp->prec != 0) {
		u64 v = val;

		do {
			digits[ndigits++] = digitset[v % base];
			v /= base;
		} while (v);
	}

	/* %p takes '+' and ' ' like a signed conversion does, as glibc does. */
	if (sp->conv == 'd' || sp->conv == 'i' || sp->conv == 'p') {
		if (negative)
			sign = '-';
		else if (sp->flags & F_PLUS)
			sign = '+';
		else if (sp->flags & F_SPACE)
			sign = ' ';
	}

	if (sp->conv == 'p' || ((sp->flags & F_ALT) && val &&
				(sp->conv == 'x' || sp->conv == 'X')))
		prefix = sp->conv == 'X' ? "0X" : "0x";

	if (sp->prec > 0 && (size_t)sp->prec > ndigits)
		zeros = sp->prec - ndigits;
	/* '#' with %o: the first digit printed must be a 0. */
	if ((sp->flags & F_ALT) && sp->conv == 'o' && !zeros &&
	    !(val == 0 && ndigits))
		zeros = 1;

	body = (sign ? 1 : 0) + strlen(prefix) + zeros + ndigits;
	if ((size_t)sp->width > body) {
		/* '0' pads with zeros, unless '-' or a precision overrides. */
		if ((sp->flags & (F_ZERO | F_LEFT)) == F_ZERO && sp->prec < 0)
			zeros += sp->width - body;
		else
			pad = sp->width - body;
	}

	if (!(sp->flags & F_LEFT))
		out_repeat(o, ' ', pad);
	if (sign)
		out_char(o, sign);
	out_mem(o, prefix, strlen(prefix));
	out_repeat(o, '0', zeros);
	while (ndigits)
		out_char(o, digits[--ndigits]);
	if (sp->flags & F_LEFT)
		out_repeat(o, ' ', pad);
}

static const char *parse_flags(const char *fmt, unsigned int *flags)
{
	for (;; fmt++) {
		switch (*fmt) {
		case '-':
			*flags |= F_LEFT;
			break;
		case '0':
			*flags |= F_ZERO;
			break;
		case '#':
			*flags |= F_ALT;
			break;
		case '+':
			*flags |= F_PLUS;
			break;
		case ' ':
			*flags |= F_SPACE;
			break;
		default:
			return fmt;
		}
	}
}

/* Saturates instead of overflowing: a silly width must not be UB. */
static const char *parse_uint(const char *fmt, int *out)
{
	int v = 0;

	for (; lib_isdigit(*fmt); fmt++) {
		if (v > (__INT_MAX__ - 9) / 10)
			v = __INT_MAX__;
		else
			v = v * 10 + (*fmt - '0');
	}
	*out = v;
	return fmt;
}

static const char *parse_length(const char *fmt, enum len_mod *len)
{
	switch (*fmt) {
	case 'h':
		if (fmt[1] == 'h') {
			*len = LEN_HH;
			return fmt + 2;
		}
		*len = LEN_H;
		return fmt + 1;
	case 'l':
		if (fmt[1] == 'l') {
			*len = LEN_LL;
			return fmt + 2;
		}
		*len = LEN_L;
		return fmt + 1;
	case 'z':
		*len = LEN_Z;
		return fmt + 1;
	case 't':
		*len = LEN_T;
		return fmt + 1;
	case 'j':
		*len = LEN_J;
		return fmt + 1;
	default:
		*len = LEN_NONE;
		return fmt;
	}
}

/*
 * Arguments narrower than int arrive promoted to int, so hh and h fetch an
 * int and truncate it. size_t's signed twin is ptrdiff_t on every ABI we
 * build for.
 */
static s64 fetch_signed(va_list *ap, enum len_mod len)
{
	switch (len) {
	case LEN_HH:
		return (signed char)va_arg(*ap, int);
	case LEN_H:
		return (short)va_arg(*ap, int);
	case LEN_L:
		return va_arg(*ap, long);
	case LEN_LL:
		return va_arg(*ap, long long);
	case LEN_Z:
	case LEN_T:
		return va_arg(*ap, ptrdiff_t);
	case LEN_J:
		return va_arg(*ap, intmax_t);
	default:
		return va_arg(*ap, int);
	}
}

static u64 fetch_unsigned(va_list *ap, enum len_mod len)
{
	switch (len) {
	case LEN_HH:
		return (unsigned char)va_arg(*ap, unsigned int);
	case LEN_H:
		return (unsigned short)va_arg(*ap, unsigned int);
	case LEN_L:
		return va_arg(*ap, unsigned long);
	case LEN_LL:
		return va_arg(*ap, unsigned long long);
	case LEN_Z:
		return va_arg(*ap, size_t);
	case LEN_T:
		return (size_t)va_arg(*ap, ptrdiff_t);
	case LEN_J:
		return va_arg(*ap, uintmax_t);
	default:
		return va_arg(*ap, unsigned int);
	}
}

/*
 * One conversion; fmt points just after the '%'. Returns where the format
 * continues.
 */
static const char *convert(struct out *o, const char *fmt, va_list *ap)
{
	const char *start = fmt - 1;
	struct spec sp = { .prec = -1 };
	const char *s;
	size_t n;
	s64 sv;
	char c;

	fmt = parse_flags(fmt, &sp.flags);
	if (*fmt == '*') {
		int w = va_arg(*ap, int);

		/* A negative '*' width means '-' and its absolute value. */
		if (w < 0) {
			sp.flags |= F_LEFT;
			w = w == -__INT_MAX__ - 1 ? __INT_MAX__ : -w;
		}
		sp.width = w;
		fmt++;
	} else {
		fmt = parse_uint(fmt, &sp.width);
	}
	if (*fmt == '.') {
		fmt++;
		if (*fmt == '*') {
			/* A negative '*' precision counts as none at all. */
			sp.prec = va_arg(*ap, int);
			if (sp.prec < 0)
				sp.prec = -1;
			fmt++;
		} else {
			fmt = parse_uint(fmt, &sp.prec);
		}
	}
	fmt = parse_length(fmt, &sp.len);
	sp.conv = *fmt;

	switch (sp.conv) {
	case 'd':
	case 'i':
		sv = fetch_signed(ap, sp.len);
		out_number(o, &sp, sv < 0 ? -(u64)sv : (u64)sv, sv < 0);
		break;
	case 'u':
	case 'x':
	case 'X':
	case 'o':
		out_number(o, &sp, fetch_unsigned(ap, sp.len), false);
		break;
	case 'p':
		s = va_arg(*ap, const char *);
		if (!s) {
			out_field(o, &sp, "(nil)", 5);
			break;
		}
		out_number(o, &sp, (uintptr_t)s, false);
		break;
	case 's':
		s = va_arg(*ap, const char *);
		if (!s) {
			/* glibc prints all of "(null)" or nothing. */
			s = sp.prec < 0 || sp.prec >= 6 ? "(null)" : "";
		}
		/* Only look at prec bytes: s need not be terminated then. */
		n = sp.prec < 0 ? strlen(s) : strnlen(s, sp.prec);
		out_field(o, &sp, s, n);
		break;
	case 'c':
		c = (char)va_arg(*ap, int);
		out_field(o, &sp, &c, 1);
		break;
	case '%':
		out_char(o, '%');
		break;
	case '\0':
		/* A lone '%' or a cut-off spec at the end: print it as is. */
		out_mem(o, start, fmt - start);
		return fmt;
	default:
		out_mem(o, start, fmt + 1 - start);
		break;
	}
	return fmt + 1;
}

int fmt_vformat(void (*putc)(void *ctx, char c), void *ctx, const char *fmt,
		va_list ap)
{
	struct out o = { .putc = putc, .ctx = ctx };
	va_list args;

	/* A copy, so that convert() can take its address on every ABI. */
	va_copy(args, ap);
	while (*fmt) {
		if (*fmt == '%')
			fmt = convert(&o, fmt + 1, &args);
		else
			out_char(&o, *fmt++);
	}
	va_end(args);
	return o.count > (size_t)__INT_MAX__ ? -1 : (int)o.count;
}

int fmt_format(void (*putc)(void *ctx, char c), void *ctx, const char *fmt,
	       ...)
{
	va_list ap;
	int ret;

	va_start(ap, fmt);
	ret = fmt_vformat(putc, ctx, fmt, ap);
	va_end(ap);
	return ret;
}

struct sbuf {
	char *buf;
	size_t size;
	size_t pos;	/* characters produced so far, stored or not */
};

/* Keeps the last byte free for the NUL. */
static void sbuf_putc(void *ctx, char c)
{
	struct sbuf *sb = ctx;

	if (sb->pos + 1 < sb->size)
		sb->buf[sb->pos] = c;
	sb->pos++;
}

int fmt_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct sbuf sb = { .buf = buf, .size = size };
	int ret = fmt_vformat(sbuf_putc, &sb, fmt, ap);

	if (size)
		buf[sb.pos < size ? sb.pos : size - 1] = '\0';
	return ret;
}

int fmt_snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int ret;

	va_start(ap, fmt);
	ret = fmt_vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return ret;
}
