/* SPDX-License-Identifier: MIT */
/* lwIP is built with -nostdinc: printf goes to the hypervisor console. */
#ifndef LWIP_PORT_STDIO_H
#define LWIP_PORT_STDIO_H
int printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
#endif
