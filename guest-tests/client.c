// SPDX-License-Identifier: MIT
/*
 * client: a TCP/IP client guest on its own igb VF, with lwIP, driven by
 * the VF's MSI-X interrupts (lwip/vfnet.h).
 * DHCP, pings the QEMU gateway 10.0.2.2, finds the web guest on the same
 * network (ARP over the candidates of QEMU's DHCP pool), fetches its status
 * page and fills its sink with "bytes=N" bytes (default 16 MiB), checking
 * the CRC-32 web computed against its own (lwip/netdemo.h). The frames to
 * web never leave the NIC: the 82576 switches them from one VF's pool to
 * the other's (VMDq loopback, drivers/igb.c).
 *
 * "junk=N" first sends web N frames of each kind it does not expect and
 * checks that web still serves.
 *
 * Exits 0 when everything worked, 1 on the first step that did not (the
 * console line says which), 2 without a VF, 3 without an address.
 */
#include "guest-tests/lwip/netdemo.h"
#include "guest-tests/lwip/vfnet.h"
#include "guest-tests/rt/rt.h"
#include "lib/crc32.h"
#include "lib/format.h"
#include <string.h>	/* the lwIP port's: lib/string.h + strstr */
#include "lwip/etharp.h"
#include "lwip/icmp.h"
#include "lwip/inet_chksum.h"
#include "lwip/prot/ip4.h"
#include "lwip/raw.h"
#include "lwip/tcp.h"

#define PING_COUNT 5
#define PING_TIMEOUT_NS 1000000000ull
#define FIND_TIMEOUT_NS 30000000000ull
#define ARP_WAIT_NS 300000000ull
#define HTTP_TIMEOUT_NS 10000000000ull
#define SINK_TIMEOUT_NS 120000000000ull
/* QEMU user-net's DHCP pool starts at .15; the guests are the first few. */
#define POOL_FIRST 15
#define POOL_LAST 22
#define PING_ID 0x6876
#define DEFAULT_BYTES (16ull << 20)
#define CHUNK 1024

static struct vfnet net;

/* Runs lwIP (sleeping between interrupts) until *done or the deadline;
 * false on timeout. */
static bool run_until(volatile bool *done, u64 timeout_ns)
{
	u64 t0 = rt_time_ns();

	while (!*done) {
		if (rt_time_ns() - t0 > timeout_ns)
			return false;
		vfnet_wait(&net, t0 + timeout_ns + 1);
	}
	return true;
}

/* ---- ping --------------------------------------------------------------- */

static volatile bool ping_got;
static u16 ping_seq;

static u8_t ping_recv(void *arg, struct raw_pcb *pcb, struct pbuf *p,
		      const ip_addr_t *addr)
{
	struct icmp_echo_hdr e;
	u16 hlen;

	if (p->tot_len < IP_HLEN + sizeof(e))
		return 0;
	hlen = (u16)(IPH_HL_BYTES((struct ip_hdr *)p->payload));
	if (pbuf_copy_partial(p, &e, sizeof(e), hlen) != sizeof(e) ||
	    e.type != ICMP_ER || e.id != PP_HTONS(PING_ID) ||
	    e.seqno != lwip_htons(ping_seq))
		return 0;	/* not ours: lwIP goes on with it */
	ping_got = true;
	pbuf_free(p);
	return 1;
}

static int ping_once(struct raw_pcb *pcb, const ip_addr_t *to, u64 *rtt)
{
	struct pbuf *p = pbuf_alloc(PBUF_IP, sizeof(struct icmp_echo_hdr) + 32,
				    PBUF_RAM);
	struct icmp_echo_hdr *e;
	u64 t0;

	if (!p)
		return -1;
	e = p->payload;
	memset(e, 0, p->len);
	ICMPH_TYPE_SET(e, ICMP_ECHO);
	e->id = PP_HTONS(PING_ID);
	e->seqno = lwip_htons(++ping_seq);
	e->chksum = inet_chksum(e, p->len);
	ping_got = false;
	t0 = rt_time_ns();
	raw_sendto(pcb, p, to);
	pbuf_free(p);
	if (!run_until(&ping_got, PING_TIMEOUT_NS))
		return -1;
	*rtt = rt_time_ns() - t0;
	return 0;
}

static int ping_gateway(void)
{
	struct raw_pcb *pcb = raw_new(IP_PROTO_ICMP);
	ip_addr_t gw;
	u64 rtt, min = ~0ull, sum = 0;
	u32 i, got = 0;

	IP_ADDR4(&gw, 10, 0, 2, 2);
	if (!pcb)
		return -1;
	raw_recv(pcb, ping_recv, NULL);
	raw_bind(pcb, IP_ADDR_ANY);
	for (i = 0; i < PING_COUNT; i++) {
		if (ping_once(pcb, &gw, &rtt))
			continue;
		got++;
		sum += rtt;
		min = MIN(min, rtt);
	}
	raw_remove(pcb);
	if (!got) {
		printf("client: ping 10.0.2.2: no reply to %u requests\n",
		       PING_COUNT);
		return -1;
	}
	printf("client: ping 10.0.2.2: %u/%u replies, rtt min %llu us avg %llu us\n",
	       got, PING_COUNT, min / 1000, sum / got / 1000);
	return 0;
}

/* ---- HTTP fetch (raw TCP API) ------------------------------------------ */

/*
 * A receive callback's common part: appends what p carries to buf (cap
 * bytes, kept NUL-terminated; what does not fit is dropped) and frees p.
 * At the peer's close (p NULL) it closes our side and returns false.
 */
static bool recv_text(struct tcp_pcb *pcb, struct pbuf *p, char *buf,
		      u32 *len, u32 cap)
{
	if (!p) {
		tcp_arg(pcb, NULL);
		tcp_close(pcb);
		return false;
	}
	*len += pbuf_copy_partial(p, buf + *len,
				  (u16)MIN(p->tot_len, cap - 1 - *len), 0);
	buf[*len] = 0;
	tcp_recved(pcb, p->tot_len);
	pbuf_free(p);
	return true;
}

struct fetch {
	char buf[4096];
	u32 len;
	bool done;
	err_t err;
};

static err_t fetch_recv(void *arg, struct tcp_pcb *pcb, struct pbuf *p,
			err_t err)
{
	struct fetch *f = arg;

	if (!recv_text(pcb, p, f->buf, &f->len, sizeof(f->buf)))
		f->done = true;
	return ERR_OK;
}

static err_t fetch_connected(void *arg, struct tcp_pcb *pcb, err_t err)
{
	static const char req[] = "GET " NETDEMO_STATUS_URI " HTTP/1.0\r\n"
				  "User-Agent: hv-client\r\n\r\n";

	tcp_write(pcb, req, sizeof(req) - 1, 0);
	tcp_output(pcb);
	return ERR_OK;
}

static void fetch_err(void *arg, err_t err)
{
	struct fetch *f = arg;

	if (f) {
		f->err = err;
		f->done = true;
	}
}

static int http_get(const ip4_addr_t *ip, struct fetch *f, u64 timeout_ns)
{
	struct tcp_pcb *pcb = tcp_new();
	ip_addr_t a;

	memset(f, 0, sizeof(*f));
	if (!pcb)
		return -1;
	ip_addr_copy_from_ip4(a, *ip);
	tcp_arg(pcb, f);
	tcp_recv(pcb, fetch_recv);
	tcp_err(pcb, fetch_err);
	if (tcp_connect(pcb, &a, NETDEMO_HTTP_PORT, fetch_connected) != ERR_OK) {
		tcp_abort(pcb);
		return -1;
	}
	if (!run_until(&f->done, timeout_ns)) {
		tcp_arg(pcb, NULL);
		tcp_abort(pcb);
		return -1;
	}
	return f->err == ERR_OK && f->len ? 0 : -1;
}

/* ---- finding web: who answers ARP in the DHCP pool --------------------- */

static bool arp_known(const ip4_addr_t *ip)
{
	struct eth_addr *mac;
	const ip4_addr_t *ipr;

	return etharp_find_addr(&net.netif, ip, &mac, &ipr) >= 0;
}

static int find_peer(const char *peer, ip4_addr_t *found)
{
	static struct fetch f;
	char want[32];
	u64 t0 = rt_time_ns(), t;
	u32 host;
	volatile bool never = false;
	ip4_addr_t ip;

	fmt_snprintf(want, sizeof(want), "guest: %s\n", peer);
	while (rt_time_ns() - t0 < FIND_TIMEOUT_NS) {
		for (host = POOL_FIRST; host <= POOL_LAST; host++) {
			IP4_ADDR(&ip, 10, 0, 2, host);
			if (!ip4_addr_cmp(&ip, netif_ip4_addr(&net.netif)))
				etharp_request(&net.netif, &ip);
		}
		t = rt_time_ns();
		while (rt_time_ns() - t < ARP_WAIT_NS)
			run_until(&never, 1000000ull);
		for (host = POOL_FIRST; host <= POOL_LAST; host++) {
			IP4_ADDR(&ip, 10, 0, 2, host);
			if (ip4_addr_cmp(&ip, netif_ip4_addr(&net.netif)) ||
			    !arp_known(&ip))
				continue;
			if (http_get(&ip, &f, HTTP_TIMEOUT_NS) ||
			    !strstr(f.buf, want))
				continue;
			*found = ip;
			printf("client: found %s at %s: HTTP %u bytes, \"%.15s\"\n",
			       peer, ip4addr_ntoa(&ip), f.len, f.buf);
			return 0;
		}
	}
	printf("client: no '%s' guest answered in the DHCP pool 10.0.2.%u-%u\n",
	       peer, POOL_FIRST, POOL_LAST);
	return -1;
}

/* ---- frames web does not expect ("junk=N") ------------------------------ */

#define JUNK_ETHERTYPE 0x88b5	/* IEEE 802 local experimental */
#define JUNK_LEN 60
/*
 * Between two triples: web's receive ring holds IGBVF_RING frames, and what
 * arrives while it is full is dropped by the NIC, where web cannot count
 * it. The gap keeps the test about what web does with frames it gets.
 */
#define JUNK_GAP_NS 5000000ull

/* Ethernet header to web's MAC; the rest of f is the payload. */
static void junk_frame(u8 *f, const struct eth_addr *to, u16 type)
{
	memset(f, 0, JUNK_LEN);
	memcpy(f, to->addr, ETH_HWADDR_LEN);
	memcpy(f + ETH_HWADDR_LEN, net.vf.mac, ETH_HWADDR_LEN);
	f[12] = (u8)(type >> 8);
	f[13] = (u8)type;
}

/* An IPv4 header to ip; checksum right unless bad_sum, length claimed. */
static void junk_ip(u8 *f, const ip4_addr_t *to, u16 claimed, bool bad_sum)
{
	struct ip_hdr *h = (struct ip_hdr *)(f + SIZEOF_ETH_HDR);

	IPH_VHL_SET(h, 4, IP_HLEN / 4);
	IPH_LEN_SET(h, lwip_htons(claimed));
	IPH_TTL_SET(h, 64);
	IPH_PROTO_SET(h, IP_PROTO_UDP);
	ip4_addr_copy(h->src, *netif_ip4_addr(&net.netif));
	ip4_addr_copy(h->dest, *to);
	IPH_CHKSUM_SET(h, 0);
	IPH_CHKSUM_SET(h, inet_chksum(h, IP_HLEN) ^ (bad_sum ? 0x5555 : 0));
}

/* Each kind n times: unknown ethertype, bad IP checksum, truncated IP. */
static int send_junk(const ip4_addr_t *web, u32 n)
{
	static u8 f[JUNK_LEN];
	struct eth_addr *mac;
	const ip4_addr_t *ipr;
	volatile bool never = false;
	u32 i, sent = 0;

	if (etharp_find_addr(&net.netif, web, &mac, &ipr) < 0)
		return -1;
	for (i = 0; i < n; i++) {
		junk_frame(f, mac, JUNK_ETHERTYPE);
		sent += !igbvf_send(&net.vf, f, JUNK_LEN);
		junk_frame(f, mac, ETHTYPE_IP);
		junk_ip(f, web, JUNK_LEN - SIZEOF_ETH_HDR, true);
		sent += !igbvf_send(&net.vf, f, JUNK_LEN);
		junk_frame(f, mac, ETHTYPE_IP);
		junk_ip(f, web, 1400, false);
		sent += !igbvf_send(&net.vf, f, JUNK_LEN);
		run_until(&never, JUNK_GAP_NS);
	}
	printf("client: sent web %u unexpected frames (%u each: ethertype %#x, bad IP checksum, truncated IP)\n",
	       sent, n, JUNK_ETHERTYPE);
	return sent == 3 * n ? 0 : -1;
}

/* web must still serve; its page counts what it dropped. */
static int after_junk(const ip4_addr_t *web)
{
	static struct fetch f;
	const char *d, *end;

	if (http_get(web, &f, HTTP_TIMEOUT_NS)) {
		printf("client: web does not serve after the unexpected frames\n");
		return -1;
	}
	d = strstr(f.buf, "lwip_dropped: ");
	if (!d) {
		printf("client: web's page has no lwip_dropped line\n");
		return -1;
	}
	end = strchr(d, '\n');
	printf("client: web still serves; its page says \"%.*s\"\n",
	       (int)(end ? end - d : 80), d);
	return 0;
}

/* ---- filling web's sink ------------------------------------------------- */

struct xfer {
	u64 total, sent, acked;
	u32 crc;
	u64 rng;
	u8 chunk[CHUNK];
	u32 chunk_off, chunk_len;	/* unsent tail of chunk */
	char reply[64];
	u32 reply_len;
	bool done;
	err_t err;
};

static void xfer_fill(struct xfer *x)
{
	u32 i, n = (u32)MIN((u64)CHUNK, x->total - x->sent);

	for (i = 0; i < n; i++)
		x->chunk[i] = (u8)rt_xorshift64(&x->rng);
	x->crc = crc32(x->crc, x->chunk, n);
	x->chunk_off = 0;
	x->chunk_len = n;
}

/* Queues as much as the send buffer takes. */
static void xfer_push(struct tcp_pcb *pcb, struct xfer *x)
{
	for (;;) {
		u32 room = tcp_sndbuf(pcb), n;

		if (!x->chunk_len) {
			if (x->sent == x->total)
				break;
			xfer_fill(x);
		}
		n = MIN(room, x->chunk_len);
		if (!n || tcp_write(pcb, x->chunk + x->chunk_off, (u16)n,
				    TCP_WRITE_FLAG_COPY) != ERR_OK)
			break;
		x->chunk_off += n;
		x->chunk_len -= n;
		x->sent += n;
	}
	tcp_output(pcb);
}

static err_t xfer_sent(void *arg, struct tcp_pcb *pcb, u16_t len)
{
	struct xfer *x = arg;

	x->acked += len;
	xfer_push(pcb, x);
	return ERR_OK;
}

static err_t xfer_recv(void *arg, struct tcp_pcb *pcb, struct pbuf *p,
		       err_t err)
{
	struct xfer *x = arg;

	/* The sink's one-line answer (crc, bytes) ends the transfer too. */
	if (!recv_text(pcb, p, x->reply, &x->reply_len, sizeof(x->reply)) ||
	    strchr(x->reply, '\n'))
		x->done = true;
	return ERR_OK;
}

static err_t xfer_connected(void *arg, struct tcp_pcb *pcb, err_t err)
{
	struct xfer *x = arg;

	tcp_write(pcb, &x->total, NETDEMO_SINK_HDR, TCP_WRITE_FLAG_COPY);
	xfer_push(pcb, x);
	return ERR_OK;
}

static void xfer_err(void *arg, err_t err)
{
	struct xfer *x = arg;

	if (x) {
		x->err = err;
		x->done = true;
	}
}

static int sink_fill(const ip4_addr_t *ip, u64 bytes)
{
	static struct xfer x;
	struct tcp_pcb *pcb = tcp_new();
	char expect[64];
	ip_addr_t a;
	u64 t0, ns;

	memset(&x, 0, sizeof(x));
	x.total = bytes;
	x.rng = 0x1234567887654321ull;
	if (!pcb)
		return -1;
	ip_addr_copy_from_ip4(a, *ip);
	tcp_arg(pcb, &x);
	tcp_recv(pcb, xfer_recv);
	tcp_sent(pcb, xfer_sent);
	tcp_err(pcb, xfer_err);
	t0 = rt_time_ns();
	if (tcp_connect(pcb, &a, NETDEMO_SINK_PORT, xfer_connected) != ERR_OK) {
		tcp_abort(pcb);
		return -1;
	}
	if (!run_until(&x.done, SINK_TIMEOUT_NS)) {
		printf("client: sink: timed out after %llu of %llu bytes\n",
		       x.acked, bytes);
		tcp_arg(pcb, NULL);
		tcp_abort(pcb);
		return -1;
	}
	ns = rt_time_ns() - t0;
	if (x.err != ERR_OK) {
		printf("client: sink: connection failed (%d) after %llu bytes\n",
		       x.err, x.acked);
		return -1;
	}
	fmt_snprintf(expect, sizeof(expect), "crc32 %08x bytes %llu\n", x.crc,
		     bytes);
	printf("client: sent %llu bytes to %s in %llu ms: %llu kbit/s, crc32 %08x\n",
	       bytes, ip4addr_ntoa(ip), ns / 1000000ull,
	       bytes * 8ull * 1000000ull / (ns ? ns : 1), x.crc);
	if (strcmp(x.reply, expect)) {
		printf("client: sink: checksum MISMATCH: web says \"%.40s\"\n",
		       x.reply);
		return -1;
	}
	printf("client: sink: checksum match (web computed crc32 %08x)\n",
	       x.crc);
	return 0;
}

/*
 * "dhcp_delay_ms=N": let web ask QEMU's DHCP server first, so it gets the
 * pool's first address (10.0.2.15), the one make run forwards ports to.
 */
static void dhcp_delay(void)
{
	u64 ns = (u64)rt_cmdline_num("dhcp_delay_ms", 0) * 1000000ull;
	volatile bool never = false;

	if (ns)
		run_until(&never, ns);
}

int guest_main(const struct hv_boot_info *bi)
{
	u64 bytes = (u64)rt_cmdline_num("bytes", (s64)DEFAULT_BYTES);
	u32 junk = (u32)rt_cmdline_num("junk", 0);
	ip4_addr_t web;
	int rc = 1;

	if (vfnet_start(&net, "hv-client"))
		return 2;
	dhcp_delay();
	if (vfnet_dhcp(&net))
		return 3;
	vfnet_report(&net, "client");
	if (ping_gateway() || find_peer("web", &web))
		goto out;
	if (junk && (send_junk(&web, junk) || after_junk(&web)))
		goto out;
	if (sink_fill(&web, bytes))
		goto out;
	rc = 0;
out:
	vfnet_report(&net, "client");
	printf("client: %s; %llu hypercalls\n", rc ? "FAILED" : "done",
	       rt_hypercalls());
	return rc;
}
