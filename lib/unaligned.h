/* SPDX-License-Identifier: MIT */
/*
 * Little-endian reads and writes at any alignment, byte by byte: firmware
 * tables put 64-bit fields at 4-byte offsets and fuzzers hand parsers
 * buffers at any address, so parsers of untrusted input never cast a
 * pointer to a wider type; the writes build tables for guests (the zero
 * page, the MP table).
 */
#ifndef LIB_UNALIGNED_H
#define LIB_UNALIGNED_H

#include "lib/types.h"

static inline u16 get_le16(const u8 *p)
{
	return (u16)(p[0] | p[1] << 8);
}

static inline u32 get_le32(const u8 *p)
{
	return (u32)p[0] | (u32)p[1] << 8 | (u32)p[2] << 16 | (u32)p[3] << 24;
}

static inline u64 get_le64(const u8 *p)
{
	return (u64)get_le32(p) | (u64)get_le32(p + 4) << 32;
}

static inline void put_le16(u8 *p, u16 v)
{
	p[0] = (u8)v;
	p[1] = (u8)(v >> 8);
}

static inline void put_le32(u8 *p, u32 v)
{
	put_le16(p, (u16)v);
	put_le16(p + 2, (u16)(v >> 16));
}

static inline void put_le64(u8 *p, u64 v)
{
	put_le32(p, (u32)v);
	put_le32(p + 4, (u32)(v >> 32));
}

#endif
