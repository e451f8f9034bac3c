// SPDX-License-Identifier: MIT
/*
 * What lwIP needs from its platform in the guests (NO_SYS=1): the clock
 * (sys_now, from the TSC through rt_time_ns: no VM exit), random numbers,
 * the two libc functions lib/string.c does not have, and the assertion
 * handler.
 */
#include "guest-tests/rt/rt.h"
#include "lib/string.h"
#include "lwip/sys.h"

u32_t sys_now(void)
{
	return (u32_t)(rt_time_ns() / 1000000ull);
}

/*
 * xorshift64, seeded from the clock on first use: lwIP only needs numbers
 * that differ between runs and guests (DHCP xid, TCP ISN, ports), not
 * cryptographic ones.
 */
unsigned int lwip_port_rand(void)
{
	static u64 s;

	if (!s)
		s = rt_time_ns() ^ 0x9e3779b97f4a7c15ull ^
		    ((u64)rt_bi->name[0] << 32);
	return (unsigned int)rt_xorshift64(&s);
}

int atoi(const char *p)
{
	int v = 0, sign = 1;

	while (lib_isspace(*p))
		p++;
	if (*p == '-' || *p == '+')
		sign = *p++ == '-' ? -1 : 1;
	while (lib_isdigit(*p))
		v = v * 10 + (*p++ - '0');
	return sign * v;
}

char *strstr(const char *hay, const char *needle)
{
	size_t n = strlen(needle);

	for (; *hay; hay++)
		if (!strncmp(hay, needle, n))
			return (char *)hay;
	return n ? NULL : (char *)hay;
}

void lwip_port_assert(const char *msg, int line, const char *file)
{
	printf("lwip: assertion \"%s\" failed at %s:%d\n", msg, file, line);
	rt_exit(98);
}
