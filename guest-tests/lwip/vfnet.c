// SPDX-License-Identifier: MIT
/*
 * lwIP netif over the guest's igb VF, polled. See vfnet.h.
 *
 * Receive: each frame the VF wrote is copied into a pool pbuf and handed
 * to lwIP; with the pool empty the frame is still taken off the ring (so
 * the ring keeps moving) and counted as rx_nobuf. Transmit: the pbuf chain
 * is flattened into one buffer and sent by igbvf_send. Register accesses
 * and the clock cost no VM exit, so neither does a packet.
 */
#include "guest-tests/lwip/vfnet.h"
#include "guest-tests/rt/rt.h"
#include "guest-tests/vf_mmio.h"
#include "lib/string.h"
#include "lwip/dhcp.h"
#include "lwip/etharp.h"
#include "lwip/init.h"
#include "lwip/timeouts.h"
#include "netif/ethernet.h"

#define ETH_MAX_FRAME 1514	/* without FCS: the PF strips it (VMOLR) */
#define ETH_MIN_HDR 14
#define RX_BUDGET IGBVF_RING	/* frames per poll before timers run */

/* Rings and buffers: DMA-reachable guest RAM (the ELF's .bss). */
static u8 dma_mem[IGBVF_MEM_SIZE] __aligned(4096);
static u8 bounce[IGBVF_BUF];

static const struct hv_bi_dev *find_vf(void)
{
	u32 i;

	for (i = 0; i < rt_bi->ndev; i++)
		if (rt_bi->dev[i].kind == HV_BI_DEV_VF)
			return &rt_bi->dev[i];
	return NULL;
}

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
	int err;

	memset(n, 0, sizeof(*n));
	n->dev = find_vf();
	if (!n->dev) {
		printf("vfnet: no VF in the boot info (%u device(s))\n",
		       rt_bi->ndev);
		return -1;
	}
	vf_mmio_ops(&ops, n->dev->mmio_gpa);
	igbvf_init(&n->vf, &ops, dma_mem);
	err = igbvf_reset(&n->vf);
	if (!err)
		err = igbvf_rings_start(&n->vf);
	if (err) {
		printf("vfnet: VF %02x:%02x.%u did not start (%d)\n",
		       n->dev->bus, n->dev->dev, n->dev->fn, err);
		return -1;
	}
	lwip_init();
	netif_add(&n->netif, NULL, NULL, NULL, n, vfnet_netif_init,
		  ethernet_input);
	netif_set_hostname(&n->netif, hostname);
	netif_set_default(&n->netif);
	netif_set_up(&n->netif);
	printf("vfnet: VF %02x:%02x.%u MAC %02x:%02x:%02x:%02x:%02x:%02x, clock %s\n",
	       n->dev->bus, n->dev->dev, n->dev->fn, n->vf.mac[0],
	       n->vf.mac[1], n->vf.mac[2], n->vf.mac[3], n->vf.mac[4],
	       n->vf.mac[5], rt_time_from_tsc() ? "TSC" : "hypercall");
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

int vfnet_dhcp(struct vfnet *n, u64 timeout_ns)
{
	u64 t0 = rt_time_ns();
	char ip[16], gw[16], mask[16];

	if (dhcp_start(&n->netif) != ERR_OK) {
		printf("vfnet: dhcp_start failed\n");
		return static_fallback(n);
	}
	while (!dhcp_supplied_address(&n->netif)) {
		if (rt_time_ns() - t0 > timeout_ns) {
			printf("vfnet: DHCP: no answer in %llu ms\n",
			       timeout_ns / 1000000ull);
			return static_fallback(n);
		}
		vfnet_poll(n);
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

	printf("%s: ip %s rx %llu frames %llu bytes, tx %llu frames %llu bytes, dropped %llu no-pbuf %llu bad, tx errors %llu, irqs %llu\n",
	       who, vfnet_ip(n, ip), n->st.rx_frames, n->st.rx_bytes,
	       n->st.tx_frames, n->st.tx_bytes, n->st.rx_nobuf, n->st.rx_bad,
	       n->st.tx_err, n->st.irqs);
}
