/* SPDX-License-Identifier: MIT */
/*
 * CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320), as zlib and
 * Ethernet compute it: crc32(0, "123456789", 9) == 0xCBF43926. Used to
 * show that memory a guest must not reach is unchanged after it ran.
 */
#ifndef LIB_CRC32_H
#define LIB_CRC32_H

#include "lib/types.h"

/* Continues crc (0 to start) over len bytes at p. */
u32 crc32(u32 crc, const void *p, size_t len);

#endif
