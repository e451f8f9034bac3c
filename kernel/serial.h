/* SPDX-License-Identifier: MIT */
#ifndef KERNEL_SERIAL_H
#define KERNEL_SERIAL_H

#include "lib/types.h"

#define COM1_PORT 0x3f8

void serial_init(u16 port, u32 baud);
void serial_putc(char c);
void serial_write(const char *s, size_t n);

#endif
