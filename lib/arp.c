// SPDX-License-Identifier: MIT
#include "lib/arp.h"
#include "lib/string.h"

/* Offsets in the frame (Ethernet II header, then RFC 826 fields). */
#define ETH_DST 0
#define ETH_SRC 6
#define ETH_TYPE 12
#define ARP_HTYPE 14
#define ARP_PTYPE 16
#define ARP_HLEN 18
#define ARP_PLEN 19
#define ARP_OPER 20
#define ARP_SHA 22
#define ARP_SPA 28
#define ARP_THA 32
#define ARP_TPA 38

#define ETHERTYPE_ARP 0x0806
#define ETHERTYPE_IPV4 0x0800
#define ARP_HTYPE_ETHERNET 1
#define ARP_OP_REQUEST 1
#define ARP_OP_REPLY 2

static void put_be16(u8 *p, u16 v)
{
	p[0] = v >> 8;
	p[1] = v & 0xff;
}

static u16 get_be16(const u8 *p)
{
	return (u16)(p[0] << 8 | p[1]);
}

u32 arp_build_request(u8 *f, const u8 mac[6], const u8 my_ip[4],
		      const u8 target_ip[4])
{
	memset(f + ETH_DST, 0xff, 6);
	memcpy(f + ETH_SRC, mac, 6);
	put_be16(f + ETH_TYPE, ETHERTYPE_ARP);
	put_be16(f + ARP_HTYPE, ARP_HTYPE_ETHERNET);
	put_be16(f + ARP_PTYPE, ETHERTYPE_IPV4);
	f[ARP_HLEN] = 6;
	f[ARP_PLEN] = 4;
	put_be16(f + ARP_OPER, ARP_OP_REQUEST);
	memcpy(f + ARP_SHA, mac, 6);
	memcpy(f + ARP_SPA, my_ip, 4);
	memset(f + ARP_THA, 0, 6);
	memcpy(f + ARP_TPA, target_ip, 4);
	return ARP_FRAME_LEN;
}

bool arp_is_reply(const u8 *f, u32 len, const u8 mac[6], const u8 my_ip[4],
		  const u8 target_ip[4], u8 sender_mac[6])
{
	if (len < ARP_FRAME_LEN || get_be16(f + ETH_TYPE) != ETHERTYPE_ARP ||
	    get_be16(f + ARP_OPER) != ARP_OP_REPLY ||
	    memcmp(f + ARP_SPA, target_ip, 4) || memcmp(f + ARP_THA, mac, 6) ||
	    memcmp(f + ARP_TPA, my_ip, 4))
		return false;
	memcpy(sender_mac, f + ARP_SHA, 6);
	return true;
}
