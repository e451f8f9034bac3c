/* SPDX-License-Identifier: MIT */
/*
 * lwIP options for the network guests (web, client): NO_SYS=1, one
 * netif over an igb VF polled from the guest's main loop, IPv4 with DHCP,
 * ICMP, UDP, TCP; httpd and lwiperf from lwIP's apps.
 *
 * Sizes follow the VF ring (lib/igbvf.h: IGBVF_RING receive descriptors):
 * a TCP window larger than the frames the ring can hold between two polls
 * only turns into drops and retransmissions.
 */
#ifndef LWIP_LWIPOPTS_H
#define LWIP_LWIPOPTS_H

#define NO_SYS 1
#define SYS_LIGHTWEIGHT_PROT 0	/* one CPU, no interrupt touches lwIP */
#define LWIP_SOCKET 0
#define LWIP_NETCONN 0
#define LWIP_IPV6 0

#define MEM_ALIGNMENT 8
#define MEM_SIZE (512 * 1024)
#define MEMP_NUM_PBUF 64
#define MEMP_NUM_TCP_PCB 16
#define MEMP_NUM_TCP_SEG 128
#define MEMP_NUM_SYS_TIMEOUT 16
#define PBUF_POOL_SIZE 64
#define PBUF_POOL_BUFSIZE 1536

#define LWIP_ARP 1
#define LWIP_ETHERNET 1
#define LWIP_ICMP 1
#define LWIP_RAW 1
#define LWIP_UDP 1
#define LWIP_TCP 1
#define LWIP_DHCP 1
#define LWIP_DNS 0
#define LWIP_IGMP 0
#define LWIP_NETIF_STATUS_CALLBACK 1
#define LWIP_NETIF_LINK_CALLBACK 1
#define LWIP_NETIF_HOSTNAME 1
#define LWIP_STATS 1
#define LWIP_STATS_DISPLAY 0
#define LWIP_TIMERS 1

#define TCP_MSS 1460
#define TCP_WND (4 * TCP_MSS)
#define TCP_SND_BUF (8 * TCP_MSS)
#define TCP_SND_QUEUELEN (4 * TCP_SND_BUF / TCP_MSS)
#define TCP_QUEUE_OOSEQ 1
#define LWIP_TCP_KEEPALIVE 0

/* httpd: the status page is a "custom file" generated on each request. */
#define LWIP_HTTPD_CUSTOM_FILES 1
#define LWIP_HTTPD_DYNAMIC_HEADERS 1
#define LWIP_HTTPD_SSI 0
#define LWIP_HTTPD_CGI 0
#define HTTPD_USE_MEM_POOL 0
#define LWIP_HTTPD_SUPPORT_POST 0
/* The page lives in a heap buffer freed when httpd closes the file, which
 * may be before the peer acknowledged it: tcp_write must copy. */
#define HTTP_IS_DATA_VOLATILE(hs) TCP_WRITE_FLAG_COPY

#define LWIP_DEBUG 0

#endif
