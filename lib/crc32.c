// SPDX-License-Identifier: MIT
/*
 * Bitwise CRC-32: no table, so no .data and nothing to initialise; speed
 * does not matter for the few MiB it checks once per run.
 */
#include "lib/crc32.h"

#define CRC32_POLY 0xedb88320u	/* IEEE 802.3, bit-reversed */

u32 crc32(u32 crc, const void *p, size_t len)
{
	const u8 *b = p;
	int k;

	crc = ~crc;
	while (len--) {
		crc ^= *b++;
		for (k = 0; k < 8; k++)
			crc = (crc >> 1) ^ (CRC32_POLY & -(crc & 1));
	}
	return ~crc;
}
