// SPDX-License-Identifier: MIT
#include <stdarg.h>

#include "boot/efi.h"
#include "lib/format.h"

EFI_SYSTEM_TABLE *efi_st;
EFI_BOOT_SERVICES *efi_bs;

struct con_buf {
	CHAR16 buf[128];
	unsigned n;
};

static void con_flush(struct con_buf *b)
{
	b->buf[b->n] = 0;
	efi_st->ConOut->OutputString(efi_st->ConOut, b->buf);
	b->n = 0;
}

/* UEFI consoles want CR LF and UCS-2; chunks keep the stack small. */
static void con_putc(void *ctx, char c)
{
	struct con_buf *b = ctx;

	if (b->n + 3 >= ARRAY_SIZE(b->buf))
		con_flush(b);
	if (c == '\n')
		b->buf[b->n++] = L'\r';
	b->buf[b->n++] = (CHAR16)(u8)c;
}

void efi_printf(const char *fmt, ...)
{
	struct con_buf b = { .n = 0 };
	va_list ap;

	fmt_format(con_putc, &b, "[boot] ");
	va_start(ap, fmt);
	fmt_vformat(con_putc, &b, fmt, ap);
	va_end(ap);
	con_flush(&b);
}

const char *efi_strerror(EFI_STATUS st)
{
	switch (st) {
	case EFI_SUCCESS:
		return "success";
	case EFI_NOT_FOUND:
		return "not found";
	case EFI_OUT_OF_RESOURCES:
		return "out of resources";
	case EFI_INVALID_PARAMETER:
		return "invalid parameter";
	case EFI_BUFFER_TOO_SMALL:
		return "buffer too small";
	case EFI_DEVICE_ERROR:
		return "device error";
	case EFI_UNSUPPORTED:
		return "unsupported";
	case EFI_ACCESS_DENIED:
		return "access denied";
	case EFI_VOLUME_CORRUPTED:
		return "volume corrupted";
	default:
		return "error";
	}
}
