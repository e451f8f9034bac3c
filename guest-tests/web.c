// SPDX-License-Identifier: MIT
/*
 * web: a TCP/IP server guest on its own igb VF, with lwIP (NO_SYS): it
 * finds the VF on its virtual PCI bus and sleeps in hlt between the VF's
 * MSI-X interrupts and lwIP's timers (polling only if MSI-X cannot work).
 * DHCP from QEMU's user network (static ip= on the command line if no
 * lease comes), answers ping, UDP and TCP echo on port 7, HTTP on port 80
 * (lwIP's httpd; "/" and "/status" are generated on each request), an
 * iperf 2 server on 5001 (lwIP's lwiperf) and the sink on 5002 that the
 * client guest fills (lwip/netdemo.h).
 *
 * Command line: "run_s=N" serves N seconds, then reports and exits 0
 * (tests); without it web serves until the machine stops (make run, with
 * timeout=none). "report_s=N": counters on the console every N s (30).
 * "pages=N": exits 0 too once N pages were served (and GRACE_NS more
 * passed, for the last one to leave): a test whose client is slow to come
 * (a Linux guest booting) need not guess a run_s. "sinks=N" likewise
 * waits for N completed sink transfers; with both given, web waits for
 * both counts, and run_s stays the upper bound if they never come (a
 * test ends when its traffic is done, not after a guessed run time).
 */
#include "guest-tests/lwip/netdemo.h"
#include "guest-tests/lwip/vfnet.h"
#include "guest-tests/rt/rt.h"
#include "lib/crc32.h"
#include "lib/format.h"
#include "lib/string.h"
#include "lwip/apps/fs.h"
#include "lwip/apps/httpd.h"
#include "lwip/apps/lwiperf.h"
#include "lwip/mem.h"
#include "lwip/stats.h"
#include "lwip/tcp.h"
#include "lwip/udp.h"

#define GRACE_NS 2000000000ull
/* Where make run's hostfwd points (tools/qemu-run.sh WEB_IP). */
#define FORWARDED_IP "10.0.2.15"

#define PAGE_MAX 2048
#define NS_PER_S 1000000000ull

static struct vfnet net;
static u64 http_requests, echo_udp, echo_tcp_bytes, sink_bytes, sinks_done;
static u32 iperf_runs;

/* ---- HTTP: the status page, generated when httpd opens the file ------- */

static const char *irq_mode(void)
{
	return net.st.polled ? "POLLED: MSI-X unavailable" : "MSI-X";
}

static int status_page(char *buf, size_t max)
{
	const u8 *m = net.vf.mac;
	char ip[16], host[16];

	return fmt_snprintf(buf, max,
		"<!DOCTYPE html>\n<html><head><title>hv guest %s</title></head><body>\n"
		"<h1>hv: guest %s</h1>\n<pre>\n"
		"guest: %s\n"
		"vf: %s\n"
		"mac: %02x:%02x:%02x:%02x:%02x:%02x\n"
		"ip: %s (%s)\n"
		"uptime_ms: %llu\n"
		"rx_packets: %llu\n"
		"tx_packets: %llu\n"
		"rx_dropped: %llu\n"
		"lwip_dropped: ethertype %u ip %u (checksum %u, length %u) udp %u tcp %u\n"
		"interrupts: %llu (%s: queue %llu, mailbox %llu)\n"
		"vm_exits: %llu (counted by the VMM; %llu of them hypercalls)\n"
		"http_requests: %llu\n"
		"iperf_runs: %u\n"
		"sink_bytes: %llu\n"
		"</pre></body></html>\n",
		rt_bi->name, rt_bi->name, rt_bi->name, vfnet_host_bdf(&net, host),
		m[0], m[1], m[2], m[3], m[4], m[5],
		vfnet_ip(&net, ip), net.dhcp_bound ? "DHCP" : "static",
		rt_time_ns() / 1000000ull, net.st.rx_frames, net.st.tx_frames,
		net.st.rx_nobuf + net.st.rx_bad, lwip_stats.etharp.proterr,
		lwip_stats.ip.drop, lwip_stats.ip.chkerr, lwip_stats.ip.lenerr,
		lwip_stats.udp.drop, lwip_stats.tcp.drop, net.st.irqs,
		irq_mode(), net.st.irq_queue, net.st.irq_mbx, rt_vm_exits(),
		rt_hypercalls(),
		http_requests, iperf_runs, sink_bytes);
}

int fs_open_custom(struct fs_file *file, const char *name)
{
	char *buf;
	int len;

	if (strcmp(name, "/") && strcmp(name, "/index.html") &&
	    strcmp(name, NETDEMO_STATUS_URI))
		return 0;
	buf = mem_malloc(PAGE_MAX);
	if (!buf)
		return 0;	/* httpd answers 404; the heap is full */
	http_requests++;
	len = status_page(buf, PAGE_MAX);
	memset(file, 0, sizeof(*file));
	file->data = buf;
	file->len = MIN(len, PAGE_MAX - 1);
	file->index = file->len;
	return 1;
}

void fs_close_custom(struct fs_file *file)
{
	mem_free((void *)file->data);
}

/* ---- UDP echo ---------------------------------------------------------- */

static void udp_echo_recv(void *arg, struct udp_pcb *pcb, struct pbuf *p,
			  const ip_addr_t *addr, u16_t port)
{
	echo_udp++;
	udp_sendto(pcb, p, addr, port);
	pbuf_free(p);
}

/* ---- TCP echo and sink ------------------------------------------------- */

struct sink {
	u8 hdr[NETDEMO_SINK_HDR];
	u32 hdr_len;
	u64 want, got;
	u32 crc;
};

static err_t echo_recv(void *arg, struct tcp_pcb *pcb, struct pbuf *p,
		       err_t err)
{
	struct pbuf *q;

	if (!p) {
		tcp_close(pcb);
		return ERR_OK;
	}
	/* Echo as much as fits; what does not fit is dropped, not queued. */
	for (q = p; q; q = q->next)
		if (tcp_write(pcb, q->payload, q->len, TCP_WRITE_FLAG_COPY) == ERR_OK)
			echo_tcp_bytes += q->len;
	tcp_output(pcb);
	tcp_recved(pcb, p->tot_len);
	pbuf_free(p);
	return ERR_OK;
}

static void sink_done(struct tcp_pcb *pcb, struct sink *s)
{
	char line[64];
	int n = fmt_snprintf(line, sizeof(line), "crc32 %08x bytes %llu\n",
			     s->crc, s->got);

	sinks_done++;
	printf("web: sink: received %llu bytes, crc32 %08x\n", s->got, s->crc);
	tcp_write(pcb, line, (u16_t)n, TCP_WRITE_FLAG_COPY);
	tcp_output(pcb);
}

static void sink_take(struct sink *s, const u8 *p, u32 len,
		      struct tcp_pcb *pcb)
{
	u32 i, take;

	for (i = 0; i < len && s->hdr_len < NETDEMO_SINK_HDR; i++) {
		s->hdr[s->hdr_len++] = p[i];
		if (s->hdr_len == NETDEMO_SINK_HDR) {
			memcpy(&s->want, s->hdr, sizeof(s->want));
			if (!s->want)
				sink_done(pcb, s);
		}
	}
	if (s->hdr_len < NETDEMO_SINK_HDR || s->got >= s->want)
		return;	/* bytes past the announced length are ignored */
	take = (u32)MIN((u64)(len - i), s->want - s->got);
	s->crc = crc32(s->crc, p + i, take);
	s->got += take;
	sink_bytes += take;
	if (s->got == s->want)
		sink_done(pcb, s);
}

static err_t sink_recv(void *arg, struct tcp_pcb *pcb, struct pbuf *p,
		       err_t err)
{
	struct sink *s = arg;
	struct pbuf *q;

	if (!p) {
		if (s->got != s->want)
			printf("web: sink: peer closed after %llu of %llu bytes\n",
			       s->got, s->want);
		tcp_arg(pcb, NULL);
		mem_free(s);
		tcp_close(pcb);
		return ERR_OK;
	}
	for (q = p; q; q = q->next)
		sink_take(s, q->payload, q->len, pcb);
	tcp_recved(pcb, p->tot_len);
	pbuf_free(p);
	return ERR_OK;
}

static void sink_err(void *arg, err_t err)
{
	if (arg)
		mem_free(arg);
}

static err_t sink_accept(void *arg, struct tcp_pcb *pcb, err_t err)
{
	struct sink *s;

	if (err != ERR_OK || !pcb)
		return ERR_VAL;
	s = mem_calloc(1, sizeof(*s));
	if (!s)
		return ERR_MEM;	/* lwIP aborts the connection */
	tcp_arg(pcb, s);
	tcp_recv(pcb, sink_recv);
	tcp_err(pcb, sink_err);
	return ERR_OK;
}

static err_t echo_accept(void *arg, struct tcp_pcb *pcb, err_t err)
{
	if (err != ERR_OK || !pcb)
		return ERR_VAL;
	tcp_recv(pcb, echo_recv);
	return ERR_OK;
}

static int tcp_listen_on(u16 port, tcp_accept_fn fn)
{
	struct tcp_pcb *pcb = tcp_new();

	if (!pcb || tcp_bind(pcb, IP_ANY_TYPE, port) != ERR_OK)
		return -1;
	pcb = tcp_listen(pcb);
	if (!pcb)
		return -1;
	tcp_accept(pcb, fn);
	return 0;
}

/* ---- iperf ------------------------------------------------------------- */

static void iperf_report(void *arg, enum lwiperf_report_type type,
			 const ip_addr_t *local, u16_t lport,
			 const ip_addr_t *remote, u16_t rport, u32_t bytes,
			 u32_t ms, u32_t kbits)
{
	iperf_runs++;
	printf("web: iperf: %u bytes in %u ms from %s: %u kbit/s\n", bytes, ms,
	       ipaddr_ntoa(remote), kbits);
}

static int services_start(void)
{
	struct udp_pcb *u = udp_new();

	if (!u || udp_bind(u, IP_ANY_TYPE, NETDEMO_ECHO_PORT) != ERR_OK)
		return -1;
	udp_recv(u, udp_echo_recv, NULL);
	if (tcp_listen_on(NETDEMO_ECHO_PORT, echo_accept) ||
	    tcp_listen_on(NETDEMO_SINK_PORT, sink_accept))
		return -1;
	httpd_init();
	if (!lwiperf_start_tcp_server_default(iperf_report, NULL))
		return -1;
	return 0;
}

static void report(void)
{
	vfnet_report(&net, "web");
	printf("web: served %llu http, %llu udp echo, %llu tcp echo bytes, %u iperf, %llu sink bytes; %llu hypercalls\n",
	       http_requests, echo_udp, echo_tcp_bytes, iperf_runs, sink_bytes,
	       rt_hypercalls());
}

/*
 * "hog_ms=N" (tests): hold every pool pbuf for N ms while serving, as if
 * the stack were swamped. Frames that arrive meanwhile must be dropped
 * and counted, and web must serve normally once they are released.
 */
static void hog_pool(u64 ms)
{
	static struct pbuf *held[PBUF_POOL_SIZE + 1];
	u64 t0 = rt_time_ns(), drops = net.st.rx_nobuf;
	u32 n = 0, i;

	while (n < ARRAY_SIZE(held) &&
	       (held[n] = pbuf_alloc(PBUF_RAW, 1514, PBUF_POOL)))
		n++;
	printf("web: holding all %u pool pbufs for %llu ms\n", n, ms);
	while (rt_time_ns() - t0 < ms * 1000000ull)
		vfnet_wait(&net, t0 + ms * 1000000ull);
	for (i = 0; i < n; i++)
		pbuf_free(held[i]);
	printf("web: released the pool: %llu frames dropped (no pbuf) meanwhile\n",
	       net.st.rx_nobuf - drops);
}

/*
 * pages=N and sinks=N (either or both): true once every count given is
 * reached, said in one line (the grace period is for the last reply).
 */
static bool served_enough(u64 pages, u64 sinks)
{
	if ((!pages && !sinks) || http_requests < pages || sinks_done < sinks)
		return false;
	if (sinks)
		printf("web: %llu page(s) and %llu sink(s) served, exiting in %llu s\n",
		       http_requests, sinks_done, GRACE_NS / NS_PER_S);
	else
		printf("web: %llu page(s) served, exiting in %llu s\n",
		       http_requests, GRACE_NS / NS_PER_S);
	return true;
}

int guest_main(const struct hv_boot_info *bi)
{
	u64 run_ns = (u64)rt_cmdline_num("run_s", 0) * NS_PER_S;
	u64 every = (u64)rt_cmdline_num("report_s", 30) * NS_PER_S;
	u64 pages = (u64)rt_cmdline_num("pages", 0);
	u64 sinks = (u64)rt_cmdline_num("sinks", 0);
	bool served = false;
	u64 next;
	char ip[16];

	if (vfnet_start(&net, "hv-web"))
		return 2;
	if (vfnet_dhcp(&net))
		return 3;
	if (services_start()) {
		printf("web: could not start the services\n");
		return 4;
	}
	if (strcmp(vfnet_ip(&net, ip), FORWARDED_IP))
		printf("web: warning: my address is %s, not %s: the host's port forwards do not reach me\n",
		       ip, FORWARDED_IP);
	printf("web: serving on %s: ping, echo udp/tcp %u, http %u, iperf %u, sink %u\n",
	       vfnet_ip(&net, ip), NETDEMO_ECHO_PORT, NETDEMO_HTTP_PORT,
	       NETDEMO_IPERF_PORT, NETDEMO_SINK_PORT);
	if (rt_cmdline_num("hog_ms", 0) > 0)
		hog_pool((u64)rt_cmdline_num("hog_ms", 0));
	next = every ? rt_time_ns() + every : ~0ull;
	for (;;) {
		u64 now;

		vfnet_wait(&net, MIN(next, run_ns ? run_ns : ~0ull));
		now = rt_time_ns();
		if (now >= next) {
			report();
			next = now + every;
		}
		if (run_ns && now >= run_ns)
			break;
		if (!served && served_enough(pages, sinks)) {
			served = true;
			run_ns = now + GRACE_NS;
		}
	}
	report();
	return 0;
}
