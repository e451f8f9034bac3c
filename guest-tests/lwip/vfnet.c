// SPDX-License-Identifier: MIT
/*
 * lwIP netif over the guest's igb VF, interrupt-driven. See vfnet.h.
 *
 * Receive: each frame the VF wrote is copied into a pool pbuf and handed
 * to lwIP; with the pool empty the frame is still taken off the ring (so
 * the ring keeps moving) and counted as rx_nobuf. Transmit: the pbuf chain
 * is flattened into one buffer and sent by igbvf_send. Register accesses
 * and the clock cost no VM exit; an interrupt costs a few (its delivery,
 * the EOI, the hlt it ends), which EITR moderation bounds.
 */
#include "guest-tests/lwip/vfnet.h"
#include "guest-tests/rt/rt.h"
#include "guest-tests/vf_mmio.h"
#include "lib/format.h"
#include "lib/string.h"
#include "lwip/dhcp.h"
#include "lwip/etharp.h"
#include "lwip/init.h"
#include "lwip/timeouts.h"
#include "netif/ethernet.h"

#define ETH_MAX_FRAME 1514	/* without FCS: the PF strips it (VMOLR) */
#define ETH_MIN_HDR 14
#define RX_BUDGET IGBVF_RING	/* frames per poll before timers run */
#define X2APIC_ID_MSR 0x802	/* SDM Vol. 3A §11.12.1.2, Table 11-6 */
/* How long the software-raised test interrupt may take to arrive. */
#define IRQ_TEST_NS 20000000ull
#define NS_PER_MS 1000000ull
#define DHCP_DEFAULT_MS 10000

/* Rings and buffers: DMA-reachable guest RAM (the ELF's .bss). */
static u8 dma_mem[IGBVF_MEM_SIZE] __aligned(4096);
static u8 bounce[IGBVF_BUF];
/* The netif the interrupt handlers count for (one per guest). */
static struct vfnet *irq_net;

/* ---- finding the VF: PCI config space, as on real hardware ------------- */

static int find_vf(struct vfnet *n, u64 *bar0)
{
	u64 size;
	int dev;
	u32 i;

	if (!rt_bi->ecam_gpa) {
		printf("vfnet: no virtual PCI bus (boot info version %u): no VF\n",
		       rt_bi->version);
		return -1;
	}
	dev = rt_pci_find(IGBVF_PCI_VENDOR, IGBVF_PCI_DEVICE);
	if (dev < 0) {
		printf("vfnet: no igb VF (%04x:%04x) on the virtual PCI bus\n",
		       IGBVF_PCI_VENDOR, IGBVF_PCI_DEVICE);
		return -1;
	}
	if (!rt_pci_bar((u8)dev, 0, bar0, &size)) {
		printf("vfnet: VF 00:%02x.0: BAR0 is not a memory BAR\n", dev);
		return -1;
	}
	n->pci_dev = (u8)dev;
	rt_pci_write(n->pci_dev, 0, RT_PCI_COMMAND, 2,
		     RT_PCI_COMMAND_MEM | RT_PCI_COMMAND_MASTER);
	/* The boot info only names it the host's way, for the log. */
	for (i = 0; i < rt_bi->ndev; i++)
		if (rt_bi->dev[i].mmio_gpa == *bar0)
			n->host = &rt_bi->dev[i];
	return 0;
}

const char *vfnet_host_bdf(const struct vfnet *n, char buf[16])
{
	if (n->host)
		fmt_snprintf(buf, 16, "%02x:%02x.%u", n->host->bus,
			     n->host->dev, n->host->fn);
	else
		strlcpy(buf, "?", 16);
	return buf;
}

/* ---- interrupts: MSI-X vectors, the one-shot timer, sleeping ----------- */

/*
 * The queue vector masks itself (a register write, no exit) and stays
 * masked while the guest works through the ring: under load it polls and
 * takes no interrupts, as Linux's NAPI does; sleep_until unmasks it.
 */
static bool on_queue(struct rt_frame *f)
{
	igbvf_irq_mask(&irq_net->vf, BIT(VFNET_MSIX_QUEUE), true);
	irq_net->st.irq_queue++;
	irq_net->st.irqs++;
	wrmsr(HV_MSR_X2APIC_EOI, 0);
	return true;
}

static bool on_mbx(struct rt_frame *f)
{
	irq_net->st.irq_mbx++;
	irq_net->st.irqs++;
	wrmsr(HV_MSR_X2APIC_EOI, 0);
	return true;
}

static void timer_fired(void)
{
	irq_net->timer_at = 0;
	irq_net->st.timer_fires++;
}

/* The one-shot timer for deadline; re-armed only if it would be late. */
static void timer_arm(struct vfnet *n, u64 deadline, u64 now)
{
	if (n->timer_at > now && n->timer_at <= deadline)
		return;
	n->timer_at = deadline;
	rt_timer_oneshot(deadline - now, timer_fired);
}

/*
 * hlt until an interrupt or wake, unless work is already there: a frame in
 * the ring or a mailbox interrupt not yet looked at. Checked with IF clear
 * and left by sti_hlt(), so an interrupt in between still ends the hlt;
 * a frame that came while the queue vector was masked fires it on unmask.
 */
static void sleep_until(struct vfnet *n, u64 wake)
{
	u64 now = rt_time_ns();

	if (wake <= now)
		return;
	cli();
	if (!igbvf_rx_ready(&n->vf) && n->mbx_seen == n->st.irq_mbx) {
		igbvf_irq_mask(&n->vf, BIT(VFNET_MSIX_QUEUE), false);
		timer_arm(n, wake, now);
		n->st.sleeps++;
		sti_hlt();
	}
	sti();
}

/* lwIP's next timeout (its clock counts ms: wake in the ms it is due). */
static u64 lwip_deadline(u64 now)
{
	u32 ms = sys_timeouts_sleeptime();

	if (ms == SYS_TIMEOUTS_SLEEPTIME_INFINITE)
		return ~0ull;
	return now + ((u64)ms + 1) * NS_PER_MS;
}

void vfnet_wait(struct vfnet *n, u64 until_ns)
{
	if (!n->st.polled)
		sleep_until(n, MIN(until_ns, lwip_deadline(rt_time_ns())));
	n->mbx_seen = n->st.irq_mbx;
	vfnet_poll(n);
}

/* The mailbox vector raised by software must arrive: proof of delivery. */
static bool irq_selftest(struct vfnet *n)
{
	u64 t0 = rt_time_ns();

	n->mbx_seen = n->st.irq_mbx;
	igbvf_irq_raise(&n->vf, BIT(VFNET_MSIX_MBX));
	while (n->mbx_seen == n->st.irq_mbx && rt_time_ns() - t0 < IRQ_TEST_NS)
		sleep_until(n, t0 + IRQ_TEST_NS);
	return n->mbx_seen != n->st.irq_mbx;
}

static void irq_undo(struct vfnet *n)
{
	cli();
	igbvf_irq_disable(&n->vf);
	if (n->msix.cap)
		rt_msix_enable(&n->msix, false);
	rt_timer_stop();
}

/* MSI-X entries to this vCPU, causes to vectors; NULL, or why not. */
static const char *irq_setup(struct vfnet *n)
{
	u32 addr = RT_MSI_ADDR((u32)rdmsr(X2APIC_ID_MSR));
	u16 i;

	if (!rt_cmdline_num("irq", 1))
		return "irq=0 on the command line";
	if (!rt_msix_init(&n->msix, n->pci_dev))
		return "the VF shows no MSI-X capability";
	if (n->msix.nvec <= VFNET_MSIX_MBX)
		return "too few MSI-X vectors";
	irq_net = n;
	rt_set_handler(VFNET_VEC_QUEUE, on_queue);
	rt_set_handler(VFNET_VEC_MBX, on_mbx);
	for (i = 0; i < n->msix.nvec; i++)
		rt_msix_mask(&n->msix, i, true);
	rt_msix_set(&n->msix, VFNET_MSIX_QUEUE, addr, VFNET_VEC_QUEUE);
	rt_msix_set(&n->msix, VFNET_MSIX_MBX, addr, VFNET_VEC_MBX);
	rt_msix_enable(&n->msix, true);
	/* RX and TX of queue 0 share a vector, as Linux's igb pairs them. */
	if (igbvf_irq_enable(&n->vf, VFNET_MSIX_QUEUE, VFNET_MSIX_QUEUE,
			     VFNET_MSIX_MBX) ||
	    igbvf_irq_moderate(&n->vf, VFNET_MSIX_QUEUE, VFNET_EITR_US))
		return "the VF refused the vector numbers";
	sti();
	if (!irq_selftest(n))
		return "a test interrupt raised through VTEICS did not arrive in 20 ms";
	return NULL;
}

static void irq_start(struct vfnet *n)
{
	const char *why = irq_setup(n);

	if (!why)
		return;
	irq_undo(n);	/* polled as before: interrupts stay off */
	n->st.polled = true;
	printf("vfnet: %s: POLLING instead of interrupts\n", why);
}

/* ---- the netif ----------------------------------------------------------- */

static err_t vfnet_output(struct netif *nif, struct pbuf *p)
{
	struct vfnet *n = nif->state;
	u16 len;

	if (p->tot_len > sizeof(bounce))
		return ERR_BUF;
	len = pbuf_copy_partial(p, bounce, p->tot_len, 0);
	if (igbvf_send(&n->vf, bounce, len)) {
		n->st.tx_err++;
		return ERR_IF;
	}
	n->st.tx_frames++;
	n->st.tx_bytes += len;
	return ERR_OK;
}

static err_t vfnet_netif_init(struct netif *nif)
{
	struct vfnet *n = nif->state;

	nif->name[0] = 'v';
	nif->name[1] = 'f';
	nif->output = etharp_output;
	nif->linkoutput = vfnet_output;
	nif->mtu = 1500;
	nif->hwaddr_len = ETH_HWADDR_LEN;
	memcpy(nif->hwaddr, n->vf.mac, ETH_HWADDR_LEN);
	nif->flags = NETIF_FLAG_BROADCAST | NETIF_FLAG_ETHARP |
		     NETIF_FLAG_ETHERNET;
	return ERR_OK;
}

/* One frame off the ring into lwIP; false when the ring is empty. */
static bool rx_one(struct vfnet *n)
{
	struct pbuf *p = pbuf_alloc(PBUF_RAW, ETH_MAX_FRAME, PBUF_POOL);
	u32 len;

	if (!p || p->len < ETH_MAX_FRAME) {
		/* Exhausted pool (or a pool pbuf too small): drop, count. */
		if (p)
			pbuf_free(p);
		len = igbvf_poll_rx(&n->vf, bounce, sizeof(bounce));
		if (len)
			n->st.rx_nobuf++;
		return len != 0;
	}
	len = igbvf_poll_rx(&n->vf, p->payload, ETH_MAX_FRAME);
	if (!len) {
		pbuf_free(p);
		return false;
	}
	if (len < ETH_MIN_HDR || len > ETH_MAX_FRAME) {
		n->st.rx_bad++;
		pbuf_free(p);
		return true;
	}
	pbuf_realloc(p, (u16_t)len);
	n->st.rx_frames++;
	n->st.rx_bytes += len;
	if (n->netif.input(p, &n->netif) != ERR_OK)
		pbuf_free(p);
	return true;
}

static void link_check(struct vfnet *n)
{
	bool up = igbvf_link_up(&n->vf);

	if (up == n->link)
		return;
	n->link = up;
	n->st.link_changes++;
	printf("vfnet: link %s (from the PF mailbox and VF STATUS)\n",
	       up ? "up" : "down");
	if (up)
		netif_set_link_up(&n->netif);
	else
		netif_set_link_down(&n->netif);
}

void vfnet_poll(struct vfnet *n)
{
	u32 i;

	for (i = 0; i < RX_BUDGET && rx_one(n); i++)
		;
	sys_check_timeouts();
	link_check(n);
}

int vfnet_start(struct vfnet *n, const char *hostname)
{
	struct igbvf_ops ops;
	char host[16];
	u64 bar0;
	int err;

	memset(n, 0, sizeof(*n));
	if (find_vf(n, &bar0))
		return -1;
	vf_mmio_ops(&ops, bar0);
	igbvf_init(&n->vf, &ops, dma_mem);
	err = igbvf_reset(&n->vf);
	if (!err)
		err = igbvf_rings_start(&n->vf);
	if (err) {
		printf("vfnet: VF %s did not start (%d)\n",
		       vfnet_host_bdf(n, host), err);
		return -1;
	}
	irq_start(n);
	lwip_init();
	netif_add(&n->netif, NULL, NULL, NULL, n, vfnet_netif_init,
		  ethernet_input);
	netif_set_hostname(&n->netif, hostname);
	netif_set_default(&n->netif);
	netif_set_up(&n->netif);
	printf("vfnet: VF %s MAC %02x:%02x:%02x:%02x:%02x:%02x, clock %s, found at 00:%02x.0 on the virtual PCI bus\n",
	       vfnet_host_bdf(n, host), n->vf.mac[0], n->vf.mac[1],
	       n->vf.mac[2], n->vf.mac[3], n->vf.mac[4], n->vf.mac[5],
	       rt_time_from_tsc() ? "TSC" : "hypercall", n->pci_dev);
	if (!n->st.polled)
		printf("vfnet: MSI-X: queue 0 RX+TX on vector %u (EITR %u us), mailbox on vector %u; test interrupt arrived\n",
		       VFNET_VEC_QUEUE, VFNET_EITR_US, VFNET_VEC_MBX);
	link_check(n);
	return 0;
}

/* The value of "key=" in the command line, up to the next space. */
static bool cmdline_word(const char *key, char *out, size_t max)
{
	const char *p = rt_bi->cmdline;
	size_t k = strlen(key), i;

	for (; *p; p++) {
		if ((p == rt_bi->cmdline || p[-1] == ' ') &&
		    !strncmp(p, key, k) && p[k] == '=') {
			p += k + 1;
			for (i = 0; i + 1 < max && p[i] && p[i] != ' '; i++)
				out[i] = p[i];
			out[i] = 0;
			return true;
		}
	}
	return false;
}

bool vfnet_cmdline_ip(const char *key, ip4_addr_t *ip)
{
	char w[20];

	return cmdline_word(key, w, sizeof(w)) && ip4addr_aton(w, ip);
}

static int static_fallback(struct vfnet *n)
{
	ip4_addr_t ip, mask, gw;

	if (!vfnet_cmdline_ip("ip", &ip)) {
		printf("vfnet: no DHCP lease and no ip= on the command line: no address\n");
		return -1;
	}
	if (!vfnet_cmdline_ip("gw", &gw))
		ip4_addr_set_zero(&gw);
	IP4_ADDR(&mask, 255, 255, 255, 0);
	dhcp_stop(&n->netif);
	netif_set_addr(&n->netif, &ip, &mask, &gw);
	printf("vfnet: no DHCP lease: static address %s from the command line\n",
	       ip4addr_ntoa(&ip));
	return 0;
}

int vfnet_dhcp(struct vfnet *n)
{
	s64 ms = rt_cmdline_num("dhcp_ms", DHCP_DEFAULT_MS);
	u64 timeout_ns = (u64)(ms > 0 ? ms : DHCP_DEFAULT_MS) * NS_PER_MS;
	u64 t0 = rt_time_ns();
	char ip[16], gw[16], mask[16];

	if (dhcp_start(&n->netif) != ERR_OK) {
		printf("vfnet: dhcp_start failed\n");
		return static_fallback(n);
	}
	while (!dhcp_supplied_address(&n->netif)) {
		if (rt_time_ns() - t0 > timeout_ns) {
			printf("vfnet: DHCP: no answer in %llu ms\n",
			       timeout_ns / NS_PER_MS);
			return static_fallback(n);
		}
		vfnet_wait(n, t0 + timeout_ns);
	}
	n->dhcp_bound = true;
	strlcpy(gw, ip4addr_ntoa(netif_ip4_gw(&n->netif)), sizeof(gw));
	strlcpy(mask, ip4addr_ntoa(netif_ip4_netmask(&n->netif)), sizeof(mask));
	printf("vfnet: DHCP lease %s mask %s gateway %s in %llu ms\n",
	       vfnet_ip(n, ip), mask, gw, (rt_time_ns() - t0) / 1000000ull);
	return 0;
}

const char *vfnet_ip(const struct vfnet *n, char buf[16])
{
	strlcpy(buf, ip4addr_ntoa(netif_ip4_addr(&n->netif)), 16);
	return buf;
}

void vfnet_report(const struct vfnet *n, const char *who)
{
	char ip[16];

	printf("%s: ip %s rx %llu frames %llu bytes, tx %llu frames %llu bytes, dropped %llu no-pbuf %llu bad, tx errors %llu\n",
	       who, vfnet_ip(n, ip), n->st.rx_frames, n->st.rx_bytes,
	       n->st.tx_frames, n->st.tx_bytes, n->st.rx_nobuf, n->st.rx_bad,
	       n->st.tx_err);
	printf("%s: irqs %llu (queue %llu, mailbox %llu), %s; %llu sleeps, %llu timer wakes; vm exits %llu\n",
	       who, n->st.irqs, n->st.irq_queue, n->st.irq_mbx,
	       n->st.polled ? "POLLED (no MSI-X)" : "MSI-X", n->st.sleeps,
	       n->st.timer_fires, rt_vm_exits());
}
