/* SPDX-License-Identifier: MIT */
/*
 * What the web and client guests agree on (docs/demo.md).
 *
 * Sink (TCP port NETDEMO_SINK_PORT on web): the client sends an 8-byte
 * little-endian length, then that many bytes; web answers one line,
 * "crc32 XXXXXXXX bytes N\n", with the CRC-32 (lib/crc32.c) of what it
 * received, and closes. The client compares it with its own.
 */
#ifndef GUEST_LWIP_NETDEMO_H
#define GUEST_LWIP_NETDEMO_H

#define NETDEMO_ECHO_PORT 7		/* UDP and TCP echo (RFC 862) */
#define NETDEMO_HTTP_PORT 80
#define NETDEMO_IPERF_PORT 5001		/* lwiperf (iperf 2) */
#define NETDEMO_SINK_PORT 5002
#define NETDEMO_SINK_HDR 8
#define NETDEMO_STATUS_URI "/status"

#endif
