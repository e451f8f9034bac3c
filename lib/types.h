/* SPDX-License-Identifier: MIT */
/*
 * Basic fixed-width types and small helpers shared by the hypervisor, the
 * boot stub, the guests and the host unit tests. Freestanding: only the
 * compiler's own <stdint.h>/<stddef.h>/<stdbool.h>.
 */
#ifndef LIB_TYPES_H
#define LIB_TYPES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
/* long long, as in Linux: %llx prints a u64 on every target. */
typedef unsigned long long u64;
typedef int8_t s8;
typedef int16_t s16;
typedef int32_t s32;
typedef long long s64;

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define BIT(n) (1ull << (n))
/* Bits h..l inclusive, like Linux's GENMASK_ULL. */
#define GENMASK(h, l) ((~0ull >> (63 - (h))) & (~0ull << (l)))
#define ALIGN_DOWN(x, a) ((x) & ~((u64)(a)-1))
#define ALIGN_UP(x, a) ALIGN_DOWN((x) + (a)-1, (a))
#define IS_ALIGNED(x, a) (((x) & ((u64)(a)-1)) == 0)
#define MIN(a, b) ((a) < (b) ? (a) : (b))
#define MAX(a, b) ((a) > (b) ? (a) : (b))
#define container_of(p, type, member) \
	((type *)((char *)(p)-offsetof(type, member)))

#define PAGE_SIZE 4096ull
#define PAGE_SHIFT 12
#define SZ_2M (1ull << 21)
#define SZ_1G (1ull << 30)

#define __packed __attribute__((packed))
#define __aligned(n) __attribute__((aligned(n)))
#define __noreturn __attribute__((noreturn))
#define __printf(a, b) __attribute__((format(printf, a, b)))
#define __unused __attribute__((unused))

#endif
