/* SPDX-License-Identifier: MIT */
/* lwIP is built with -nostdinc: the one <stdlib.h> function it uses. */
#ifndef LWIP_PORT_STDLIB_H
#define LWIP_PORT_STDLIB_H
int atoi(const char *s);
#endif
