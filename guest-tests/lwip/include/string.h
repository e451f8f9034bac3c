/* SPDX-License-Identifier: MIT */
/* lwIP is built with -nostdinc: its <string.h> is lib/string.h. */
#ifndef LWIP_PORT_STRING_H
#define LWIP_PORT_STRING_H
#include "lib/string.h"
char *strstr(const char *hay, const char *needle);
#endif
