// SPDX-License-Identifier: MIT
/*
 * pcattack: a hostile guest on the Linux platform. Packed as a bzImage
 * (guest-tests/rt/bzhdr.S), it is started as the VMM starts Linux and
 * gets what Linux gets: the x2APIC with its ICR, the 8259 pair, the CMOS
 * RTC, and ports where nothing answers. In one run it attacks each, then
 * reports what it saw, one line per part, and exits 0 if every promise
 * held (else the number of the first part that broke one):
 *
 *   1 icr     NMI, SMI, INIT, SIPI, lowest-priority and ExtINT IPIs to
 *             itself, another APIC ID, broadcast, all-but-self, logical;
 *             fixed ones to others; vectors 0-15: none may arrive. Fixed
 *             IPIs to itself (5 encodings) arrive once each; a storm of
 *             self IPIs with interrupts off arrives once.
 *   2 pic     ICW1 with the rest missing (nothing delivered), ICW2 base
 *             0x00 (the UART's IRQ 4 then arrives on vector 4, as an
 *             interrupt), poll mode, special mask mode, OCW3 reads, a
 *             specific EOI for a line not in service, 2000 mask flips.
 *   3 rtc     index bytes > 127, garbage time written with SET held (it
 *             must be refused), garbage in A and B (UIP stays read-only,
 *             interrupt enables deliver nothing), its own clock set to
 *             2030 (only its own view), 2000 random register writes;
 *             then D still says VRT and UIP is not stuck.
 *   4 ports   IN and OUT of 1, 2 and 4 bytes on every port below 0x400
 *             and the top 16 that no device owns (reads must be all
 *             ones), then rep insb / insl / outsw, backwards too.
 *
 * tests/boot/linux_guest.sh runs it beside the Debian kernel and the web
 * guest (tests/configs/linux_test.cfg), which must finish as usual.
 */
#include "guest-tests/rt/rt.h"
#include "lib/string.h"
#include "lib/uart16550.h"

#define MSR_ICR 0x830
#define MSR_SELF_IPI 0x83f
#define MSR_LVT_LINT0 0x835
#define ICR_SELF (1ull << 18)
#define ICR_ALL (2ull << 18)
#define ICR_OTHERS (3ull << 18)
#define ICR_LOGICAL (1ull << 11)
#define ICR_DEST(d) ((u64)(d) << 32)
#define LVT_EXTINT (7u << 8)
#define VEC_IPI 33
#define VEC_STORM 34

#define PIC_CMD 0x20
#define PIC_DATA 0x21
#define PIC_EOI 0x20
#define RTC_INDEX 0x70
#define RTC_DATA 0x71

static volatile u32 nmis, ipis, storm, pic_irqs, strays;

static bool on_nmi(struct rt_frame *f)
{
	nmis++;
	return true;
}

static bool on_ipi(struct rt_frame *f)
{
	if (f->vector == VEC_STORM)
		storm++;
	else
		ipis++;
	wrmsr(HV_MSR_X2APIC_EOI, 0);
	return true;
}

/* Vector 4 (no error code) is where ICW2 0x00 puts the UART's IRQ 4. */
static bool on_pic_irq(struct rt_frame *f)
{
	pic_irqs++;
	inb(HV_UART_BASE + UART_IIR);		/* clears the THRE interrupt */
	outb(HV_UART_BASE + UART_IER, 0);
	outb(PIC_CMD, PIC_EOI);
	return true;
}

/* An exception vector below 16 taken as an interrupt: it must not be. */
static bool on_stray(struct rt_frame *f)
{
	strays++;
	return true;
}

/* A few instructions with interrupts on: whatever is pending arrives. */
static void window(void)
{
	int i;

	sti();
	for (i = 0; i < 100; i++)
		__asm__ volatile("pause");
	cli();
}

/* ---- 1: the ICR ------------------------------------------------------- */

static int attack_icr(void)
{
	static const u64 dests[] = {
		ICR_SELF, ICR_DEST(0), ICR_DEST(1), ICR_DEST(0xffffffffu),
		ICR_ALL, ICR_OTHERS, ICR_LOGICAL | ICR_DEST(1),
	};
	static const u64 modes[] = { 1, 2, 4, 5, 6, 7 };  /* LP SMI NMI INIT SIPI ExtINT */
	static const u64 self_fixed[] = {
		ICR_SELF, ICR_DEST(0), ICR_DEST(0xffffffffu), ICR_ALL,
		ICR_LOGICAL | ICR_DEST(1),
	};
	static const u64 others_fixed[] = {
		ICR_DEST(1), ICR_DEST(0x7f), ICR_OTHERS, ICR_LOGICAL | ICR_DEST(2),
		ICR_LOGICAL | ICR_DEST(0x10001), ICR_LOGICAL | ICR_DEST(0),
	};
	u32 i, j, sent = 0;

	for (i = 0; i < ARRAY_SIZE(modes); i++)
		for (j = 0; j < ARRAY_SIZE(dests); j++, sent++) {
			wrmsr(MSR_ICR, dests[j] | modes[i] << 8 | VEC_IPI);
			window();
		}
	for (i = 0; i < ARRAY_SIZE(others_fixed); i++, sent++) {
		wrmsr(MSR_ICR, others_fixed[i] | VEC_IPI);
		window();
	}
	for (i = 0; i < 16; i++, sent += 2) {
		wrmsr(MSR_ICR, ICR_SELF | i);
		wrmsr(MSR_SELF_IPI, i);
		window();
	}
	printf("pcattack: icr: %u IPIs the vCPU may not have: %u arrived, %u NMIs, %u on vectors 0-15\n",
	       sent, ipis, nmis, strays);
	if (ipis || nmis || strays)
		return 1;
	for (i = 0; i < ARRAY_SIZE(self_fixed); i++) {
		wrmsr(MSR_ICR, self_fixed[i] | VEC_IPI);
		window();
	}
	for (i = 0; i < 20000; i++)
		wrmsr(MSR_SELF_IPI, VEC_STORM);
	window();
	printf("pcattack: icr: fixed to itself, 5 encodings: %u arrived; 20000 self IPIs with interrupts off: %u arrived\n",
	       ipis, storm);
	return ipis == ARRAY_SIZE(self_fixed) && storm == 1 ? 0 : 1;
}

/* ---- 2: the 8259 pair ------------------------------------------------- */

/* The UART's THRE interrupt, a rising edge on IRQ 4. */
static void raise_irq4(void)
{
	inb(HV_UART_BASE + UART_IIR);
	outb(HV_UART_BASE + UART_IER, 0);
	outb(HV_UART_BASE + UART_MCR, UART_MCR_OUT2);
	outb(HV_UART_BASE + UART_IER, UART_IER_THRI);
}

static int attack_pic(void)
{
	u32 before, i;
	u8 poll, isr, irr, isr_after;

	wrmsr(MSR_LVT_LINT0, LVT_EXTINT);	/* the PIC's vector via LINT0 */
	outb(PIC_CMD, 0x11);			/* ICW1, and nothing after it */
	raise_irq4();
	window();
	before = pic_irqs;
	outb(PIC_DATA, 0x00);			/* ICW2: base 0x00 */
	outb(PIC_DATA, 0x04);			/* ICW3 */
	outb(PIC_DATA, 0x01);			/* ICW4 */
	outb(PIC_DATA, 0xef);			/* only IR4 open */
	window();
	printf("pcattack: pic: half-initialized: %u interrupts; base 0x00: IRQ 4 arrived %u time(s) on vector 4\n",
	       before, pic_irqs - before);
	if (before || pic_irqs - before != 1)
		return 2;
	/* poll mode: the read takes it; nothing arrives as an interrupt */
	raise_irq4();
	outb(PIC_CMD, 0x0c);
	poll = inb(PIC_CMD);
	outb(PIC_CMD, 0x0b);
	isr = inb(PIC_CMD);
	outb(PIC_CMD, 0x63);			/* specific EOI, IR3: not in service */
	isr_after = inb(PIC_CMD);
	outb(PIC_CMD, 0x64);			/* specific EOI, IR4 */
	outb(PIC_CMD, 0x0a);
	irr = inb(PIC_CMD);
	inb(HV_UART_BASE + UART_IIR);
	outb(HV_UART_BASE + UART_IER, 0);
	/* special mask mode on and off, then the mask flipped fast */
	outb(PIC_CMD, 0x68);
	outb(PIC_CMD, 0x48);
	for (i = 0; i < 1000; i++) {
		outb(PIC_DATA, 0xff);
		outb(PIC_DATA, 0x00);
	}
	outb(PIC_DATA, 0xff);
	window();
	printf("pcattack: pic: poll word %#x, ISR %#x, after a specific EOI for IR3 %#x, IRR %#x; %u interrupts in all\n",
	       poll, isr, isr_after, irr, pic_irqs);
	wrmsr(MSR_LVT_LINT0, 1u << 16);		/* masked again */
	return poll == 0x84 && isr == 0x10 && isr_after == 0x10 &&
	       pic_irqs == 1 ? 0 : 2;
}

/* ---- 3: the RTC -------------------------------------------------------- */

static u8 cmos_read(u8 index)
{
	outb(RTC_INDEX, index);
	return inb(RTC_DATA);
}

static void cmos_write(u8 index, u8 v)
{
	outb(RTC_INDEX, index);
	outb(RTC_DATA, v);
}

static u64 rng = 0x2545f4914f6cdd1dull;

static u64 rand64(void)
{
	return rt_xorshift64(&rng);
}

/* UIP is high at most 244 us of each second: some read sees it clear. */
static bool uip_clears(void)
{
	int i;

	for (i = 0; i < 1000; i++)
		if (!(cmos_read(0x0a) & 0x80))
			return true;
	return false;
}

static int attack_rtc(void)
{
	u8 d_high, ram, year, month, a, year2030, c1, i;
	u32 n;

	d_high = cmos_read(0x8d);		/* index 0x0d, NMI bit set */
	cmos_write(0xff, 0x5a);			/* 0x7f */
	ram = cmos_read(0x7f);
	year = cmos_read(0x09);
	month = cmos_read(0x08);
	/* garbage with SET held: refused when SET is cleared */
	cmos_write(0x0b, 0x82);
	for (i = 0; i < 10; i++)
		if (i != 1 && i != 3 && i != 5)
			cmos_write(i, 0xee);
	cmos_write(0x0b, 0x02);
	if (cmos_read(0x09) != year || cmos_read(0x08) != month) {
		printf("pcattack: rtc: garbage time taken: year %#x month %#x\n",
		       cmos_read(0x09), cmos_read(0x08));
		return 3;
	}
	/* A: UIP read-only; divider held in reset, then running again */
	cmos_write(0x0a, 0xff);
	a = cmos_read(0x0a);
	cmos_write(0x0a, 0x26);
	/* B: every bit, interrupts enabled too; none may arrive */
	cmos_write(0x0b, 0xff);
	window();
	cmos_write(0x0b, 0x72);			/* PIE AIE UIE, 24 h, BCD */
	window();
	c1 = cmos_read(0x0c);
	/* its own clock to 2030-01-01 12:00:00 */
	cmos_write(0x0b, 0x82);
	cmos_write(0x32, 0x20);
	cmos_write(0x09, 0x30);
	cmos_write(0x08, 0x01);
	cmos_write(0x07, 0x01);
	cmos_write(0x04, 0x12);
	cmos_write(0x02, 0x00);
	cmos_write(0x00, 0x00);
	cmos_write(0x0b, 0x02);
	year2030 = cmos_read(0x09);
	for (n = 0; n < 2000; n++)
		cmos_write((u8)rand64(), (u8)rand64());
	cmos_write(0x0a, 0x26);
	cmos_write(0x0b, 0x02);
	printf("pcattack: rtc: D via index 0x8d %#x, CMOS 0x7f %#x, A after 0xff %#x, C %#x, year after setting 2030 %#x\n",
	       d_high, ram, a, c1, year2030);
	printf("pcattack: rtc: after 2000 random writes D %#x, UIP clears: %s\n",
	       cmos_read(0x0d), uip_clears() ? "yes" : "no");
	return d_high == 0x80 && ram == 0x5a && a == 0x7f && year2030 == 0x30 &&
	       cmos_read(0x0d) == 0x80 && uip_clears() && !strays ? 0 : 3;
}

/* ---- 4: ports no device owns ------------------------------------------ */

static bool owned(u32 port, u32 size)
{
	static const struct { u16 lo, hi; } devs[] = {
		{ 0x20, 0x21 }, { 0xa0, 0xa1 }, { 0x70, 0x71 },
		{ 0x3f8, 0x3ff }, { 0xcf8, 0xcff },
	};
	u32 i;

	for (i = 0; i < ARRAY_SIZE(devs); i++)
		if (port <= devs[i].hi && port + size > devs[i].lo)
			return true;
	return false;
}

/* Every width both ways; returns the reads that were not all ones. */
static u32 hammer(u32 port)
{
	u32 size, bad = 0;

	for (size = 1; size <= 4; size *= 2) {
		u32 ones = size == 4 ? 0xffffffffu : (1u << (8 * size)) - 1;

		if (owned(port, size))
			continue;
		bad += (pio_in((u16)port, (u8)size) & ones) != ones;
		pio_out((u16)port, (u8)size, (u32)rand64());
	}
	return bad;
}

static u8 buf[64];

static int attack_ports(void)
{
	u32 port, bad = 0, n_ff = 0, i;
	u64 rdi, rsi, rcx;
	u32 words[4];

	for (port = 0; port < 0x400; port++)
		bad += hammer(port);
	for (port = 0xfff0; port <= 0xffff; port++)
		bad += hammer(port);
	/* rep insb from a port with nothing: 64 bytes of 0xff */
	memset(buf, 0, sizeof(buf));
	rdi = (u64)buf;
	rcx = sizeof(buf);
	__asm__ volatile("cld; rep insb" : "+D"(rdi), "+c"(rcx) : "d"(0x80) : "memory");
	for (i = 0; i < sizeof(buf); i++)
		n_ff += buf[i] == 0xff;
	/* rep outsw of the same bytes to another empty port */
	rsi = (u64)buf;
	rcx = sizeof(buf) / 2;
	__asm__ volatile("cld; rep outsw" : "+S"(rsi), "+c"(rcx) : "d"(0x300) : "memory");
	/* rep insl from the RTC's data port: its byte, then three floating */
	outb(RTC_INDEX, 0x0d);
	rdi = (u64)words;
	rcx = 4;
	__asm__ volatile("cld; rep insl" : "+D"(rdi), "+c"(rcx) : "d"(RTC_DATA) : "memory");
	/* backwards: std; rep insb into the last 8 bytes */
	memset(buf, 0, sizeof(buf));
	rdi = (u64)&buf[63];
	rcx = 8;
	__asm__ volatile("std; rep insb; cld" : "+D"(rdi), "+c"(rcx) : "d"(0x81) : "memory");
	printf("pcattack: ports: %u reads not all ones; rep insb: %u bytes of 0xff; rep outsw: RSI +%llu\n",
	       bad, n_ff, rsi - (u64)buf);
	printf("pcattack: ports: rep insl from 0x71: %#x %#x; std rep insb stopped at buf+%lld, %s\n",
	       words[0], words[3], (s64)(rdi - (u64)buf),
	       buf[56] == 0xff && buf[63] == 0xff && buf[55] == 0 ?
	       "buf[56..63] = 0xff" : "wrong bytes");
	return !bad && n_ff == 64 && rsi - (u64)buf == 64 &&
	       words[0] == 0xffffff80u && words[3] == 0xffffff80u &&
	       rdi == (u64)&buf[55] && buf[56] == 0xff && buf[55] == 0 ? 0 : 4;
}

int guest_main(const struct hv_boot_info *bi)
{
	int (*const parts[])(void) = { attack_icr, attack_pic, attack_rtc,
				       attack_ports };
	u32 i;
	int rc = 0;

	rt_set_handler(2, on_nmi);
	rt_set_handler(4, on_pic_irq);
	rt_set_handler(VEC_IPI, on_ipi);
	rt_set_handler(VEC_STORM, on_ipi);
	for (i = 0; i < 16; i++)
		if (i != 2 && i != 4 && i != 8 && (i < 10 || i > 14))
			rt_set_handler((u8)i, on_stray);
	for (i = 0; i < ARRAY_SIZE(parts) && !rc; i++)
		rc = parts[i]();
	printf("pcattack: %s after %u of 4 parts; still running, %u NMIs, %u stray vectors\n",
	       rc ? "FAIL" : "PASS", i, nmis, strays);
	return rc;
}
