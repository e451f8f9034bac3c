/* SPDX-License-Identifier: MIT */
/*
 * ARP over Ethernet (RFC 826): the one exchange the hypervisor's VF
 * self-test and the network test guest use to prove a VF passes traffic.
 * Pure, freestanding.
 */
#ifndef LIB_ARP_H
#define LIB_ARP_H

#include "lib/types.h"

#define ARP_FRAME_LEN 42 /* Ethernet header 14 + ARP for IPv4 28 */

/* A broadcast "who has target_ip, tell my_ip" from mac; returns its length. */
u32 arp_build_request(u8 *frame, const u8 mac[6], const u8 my_ip[4],
		      const u8 target_ip[4]);
/* True if frame is target_ip's reply to that request; *sender_mac set. */
bool arp_is_reply(const u8 *frame, u32 len, const u8 mac[6],
		  const u8 my_ip[4], const u8 target_ip[4], u8 sender_mac[6]);

#endif
