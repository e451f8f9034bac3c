// SPDX-License-Identifier: MIT
/*
 * The config-space filter of an assigned function (after the register
 * tables of Jailhouse's pci.c, written anew): every register the guest can
 * reach has one rule here, so this file is the whole attack surface of
 * config space. A rule says where the guest's view comes from and which
 * bits of a write may change it; the part of a write that would change any
 * other bit is dropped, counted, and reported once per register (the bits
 * inside the mask still take effect).
 *
 * Register names and layouts: PCI Express Base Specification 6.0 §7.5.1
 * (type 0 header), §7.5.2.1 (PM), §7.5.3 (PCI Express capability), §7.7.2
 * (MSI-X), §7.6 (extended capability headers).
 */
#include "drivers/pci_caps.h"
#include "drivers/pci_regs.h"
#include "lib/format.h"
#include "lib/string.h"
#include "vmm/vmsix.h"
#include "vmm/vpci.h"

enum vpci_action {
	VPCI_PASS,	/* the real register; bits in wmask written through */
	VPCI_EMU,	/* bits in wmask live in the shadow, the others real */
	VPCI_ZERO,	/* reads 0; writes inside wmask silently ignored */
	VPCI_ID,	/* vendor / device id: the caller's for a VF */
	VPCI_CMD,	/* command: see cmd_write() */
	VPCI_HDR_TYPE,	/* real layout, never multi-function */
	VPCI_BAR,	/* virtual BAR (struct vpci_vbar) */
	VPCI_CAP_PTR,	/* first visible capability */
	VPCI_CAP_HDR,	/* id real, next = next visible */
	VPCI_ECAP_HDR,	/* same for the extended list */
	VPCI_MSIX_CTRL,	/* message control, owned by vmm/vmsix.c */
};

struct vpci_rule {
	u16 off;	/* from the start of the header or capability */
	u8 len;		/* 1, 2 or 4, naturally aligned */
	u8 action;	/* enum vpci_action */
	u32 wmask;	/* bits a write may change */
	u32 rw1c;	/* of those, write-1-to-clear in hardware */
	u32 hide;	/* real bits the guest reads as 0 */
	u32 wi;		/* bits whose writes are ignored, as hardware does */
};

struct vpci_cap_policy {
	u16 id;
	bool ext;
	u16 len;			/* bytes the rules below may cover */
	const struct vpci_rule *rules;
	u32 nrules;
};

/* §7.5.1.1.4: Status bits that are RW1C. */
#define STATUS_RW1C 0xf900u	/* parity, SERR, master/target aborts */
/* §7.5.3.4 Device Control: error reporting enables 3:0, relaxed ordering
 * 4, max read request size 14:12. Max payload (7:5) must match the fabric
 * and Initiate FLR (15) would reset the function under the VMM: refused. */
#define EXP_DEVCTL_GUEST 0x701fu
/* §7.5.3.5 Device Status: the four error-detected bits, RW1C. */
#define EXP_DEVSTA_RW1C 0x000fu
#define EXP_CAP_LEN 0x3c	/* through Slot Status 2 (§7.5.3) */
/* §7.5.2.2 PMCSR PowerState: emulated, the function stays in D0 (a D3hot
 * to D0 transition may reset the MSI-X table behind vmm/vmsix.c). */
#define PM_CTRL_STATE_MASK 0x0003u
#define PM_CAP_LEN 8
#define MSIX_CAP_LEN 12
/* §7.9.3: Device Serial Number, a read-only 64-bit number. */
#define EXT_CAP_ID_DSN 0x0003
#define DSN_CAP_LEN 12
#define ECAP_NEXT_SHIFT 20
#define ECAP_ID_VER_MASK 0xfffffu
#define HDR_LAST 0x40		/* first byte after the type 0 header */

/* §7.5.1: the type 0 header, 0x00..0x3f, every byte covered. */
static const struct vpci_rule header_rules[] = {
	{ PCI_VENDOR_ID, 2, VPCI_ID, 0, 0, 0, 0 },
	{ PCI_DEVICE_ID, 2, VPCI_ID, 0, 0, 0, 0 },
	{ PCI_COMMAND, 2, VPCI_CMD, PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER, 0, 0, 0 },
	/* Writing 0 to a read-only Status bit is the normal way to leave
	 * it alone (a dword write at 0x04), not a refused write. */
	{ PCI_STATUS, 2, VPCI_PASS, STATUS_RW1C, STATUS_RW1C, 0,
	  (u16)~STATUS_RW1C },
	{ PCI_CLASS_REVISION, 4, VPCI_PASS, 0, 0, 0, 0 },
	{ 0x0c, 1, VPCI_EMU, 0xff, 0, 0, 0 },	/* cache line size */
	{ 0x0d, 1, VPCI_PASS, 0, 0, 0, 0 },	/* latency timer */
	{ PCI_HEADER_TYPE, 1, VPCI_HDR_TYPE, 0, 0, 0, 0 },
	{ 0x0f, 1, VPCI_ZERO, 0, 0, 0, 0 },	/* BIST: none */
	{ 0x10, 4, VPCI_BAR, ~0u, 0, 0, 0 },
	{ 0x14, 4, VPCI_BAR, ~0u, 0, 0, 0 },
	{ 0x18, 4, VPCI_BAR, ~0u, 0, 0, 0 },
	{ 0x1c, 4, VPCI_BAR, ~0u, 0, 0, 0 },
	{ 0x20, 4, VPCI_BAR, ~0u, 0, 0, 0 },
	{ 0x24, 4, VPCI_BAR, ~0u, 0, 0, 0 },
	{ 0x28, 4, VPCI_PASS, 0, 0, 0, 0 },	/* CardBus CIS */
	{ 0x2c, 4, VPCI_PASS, 0, 0, 0, 0 },	/* subsystem ids */
	{ 0x30, 4, VPCI_ZERO, 0, 0, 0, ~0u },	/* expansion ROM: none */
	{ PCI_CAPABILITY_LIST, 1, VPCI_CAP_PTR, 0, 0, 0, 0 },
	{ 0x35, 1, VPCI_ZERO, 0, 0, 0, 0 },
	{ 0x36, 2, VPCI_ZERO, 0, 0, 0, 0 },
	{ 0x38, 4, VPCI_ZERO, 0, 0, 0, 0 },
	{ 0x3c, 1, VPCI_EMU, 0xff, 0, 0, 0 },	/* interrupt line: scratch */
	{ 0x3d, 1, VPCI_ZERO, 0, 0, 0, 0 },	/* interrupt pin: no INTx */
	{ 0x3e, 2, VPCI_PASS, 0, 0, 0, 0 },	/* min grant / max latency */
};

static const struct vpci_rule pm_rules[] = {
	{ 0x02, 2, VPCI_PASS, 0, 0, 0, 0 },	/* PMC */
	{ 0x04, 2, VPCI_EMU, PM_CTRL_STATE_MASK, 0, 0, 0 },	/* PMCSR */
};

static const struct vpci_rule msix_rules[] = {
	{ PCI_MSIX_FLAGS, 2, VPCI_MSIX_CTRL,
	  PCI_MSIX_FLAGS_ENABLE | PCI_MSIX_FLAGS_MASKALL, 0, 0, 0 },
	{ PCI_MSIX_TABLE, 4, VPCI_PASS, 0, 0, 0, 0 },
	{ 0x08, 4, VPCI_PASS, 0, 0, 0, 0 },	/* PBA offset / BIR */
};

static const struct vpci_rule exp_rules[] = {
	/* The guest must not try FLR: it is refused below. */
	{ PCI_EXP_DEVCAP, 4, VPCI_PASS, 0, 0, PCI_EXP_DEVCAP_FLR, 0 },
	{ PCI_EXP_DEVCTL, 2, VPCI_PASS, EXP_DEVCTL_GUEST, 0, 0, 0 },
	{ PCI_EXP_DEVSTA, 2, VPCI_PASS, EXP_DEVSTA_RW1C, EXP_DEVSTA_RW1C, 0,
	  (u16)~EXP_DEVSTA_RW1C },
};

/*
 * The capabilities a guest sees; every other one (MSI, vendor-specific,
 * AER, ACS, ARI, ATS, SR-IOV, anything unknown) is hidden: the chain
 * skips it and its registers read 0. Bytes of a shown capability without
 * a rule below read through and cannot be written.
 */
static const struct vpci_cap_policy shown[] = {
	{ PCI_CAP_ID_PM, false, PM_CAP_LEN, pm_rules, ARRAY_SIZE(pm_rules) },
	{ PCI_CAP_ID_MSIX, false, MSIX_CAP_LEN, msix_rules,
	  ARRAY_SIZE(msix_rules) },
	{ PCI_CAP_ID_EXP, false, EXP_CAP_LEN, exp_rules, ARRAY_SIZE(exp_rules) },
	{ EXT_CAP_ID_DSN, true, DSN_CAP_LEN, NULL, 0 },
};

/* Bytes without a rule: read-only inside a shown capability, zero
 * elsewhere; a whole dword when nothing else shares it, else one byte. */
static const struct vpci_rule rule_ro[2] = { { 0, 1, VPCI_PASS, 0, 0, 0, 0 },
					     { 0, 4, VPCI_PASS, 0, 0, 0, 0 } };
static const struct vpci_rule rule_zero[2] = { { 0, 1, VPCI_ZERO, 0, 0, 0, 0 },
					       { 0, 4, VPCI_ZERO, 0, 0, 0, 0 } };
static const struct vpci_rule rule_cap_hdr = { 0, 2, VPCI_CAP_HDR, 0, 0, 0, 0 };
static const struct vpci_rule rule_ecap_hdr = { 0, 4, VPCI_ECAP_HDR, 0, 0, 0, 0 };

struct hit {
	const struct vpci_rule *r;
	u16 at;			/* config offset of the register */
	const struct vpci_cap *cap;
};

static u32 real_rd(const struct vpci_func *f, u16 at, u8 len)
{
	return f->c.cfg.read(f->c.cfg.ctx, at, len);
}

static void real_wr(const struct vpci_func *f, u16 at, u8 len, u32 v)
{
	f->c.cfg.write(f->c.cfg.ctx, at, len, v);
}

static u32 len_mask(u8 len)
{
	return len == 4 ? ~0u : (u32)BIT(len * 8) - 1;
}

static u32 shadow_rd(const struct vpci_func *f, u16 at, u8 len)
{
	u32 v = 0;
	u8 i;

	for (i = 0; i < len; i++)
		v |= (u32)f->shadow[at + i] << (i * 8);
	return v;
}

static void shadow_wr(struct vpci_func *f, u16 at, u8 len, u32 v)
{
	u8 i;

	for (i = 0; i < len; i++)
		f->shadow[at + i] = (u8)(v >> (i * 8));
}

static const struct vpci_cap *cap_at(const struct vpci_func *f, u16 b)
{
	u32 i;

	for (i = 0; i < f->ncaps; i++)
		if (b >= f->caps[i].off && b < f->caps[i].off + f->caps[i].len)
			return &f->caps[i];
	return NULL;
}

static struct hit lookup_in(const struct vpci_rule *rules, u32 n, u16 base,
			    u16 b)
{
	struct hit h = { NULL, b, NULL };
	u32 i;

	for (i = 0; i < n; i++)
		if (b >= base + rules[i].off &&
		    b < base + rules[i].off + rules[i].len) {
			h.r = &rules[i];
			h.at = base + rules[i].off;
			break;
		}
	return h;
}

static bool has_rule(const struct vpci_cap *c, u16 b)
{
	return lookup_in(c->policy->rules, c->policy->nrules, c->off, b).r ||
	       b < c->off + (c->ext ? 4 : 2);
}

/* True if the dword holding b is ruled by nothing but the default. */
static bool plain_dword(const struct vpci_func *f, const struct vpci_cap *c,
			u16 b)
{
	u16 d = b & ~3u, i;

	for (i = d; i < d + 4; i++)
		if (cap_at(f, i) != c || (c && has_rule(c, i)))
			return false;
	return true;
}

static struct hit default_hit(const struct vpci_func *f,
			      const struct vpci_cap *c, u16 b)
{
	const struct vpci_rule *r = c ? rule_ro : rule_zero;

	if (plain_dword(f, c, b))
		return (struct hit){ &r[1], b & ~3u, c };
	return (struct hit){ &r[0], b, c };
}

/* The rule and register that byte b of config space belongs to. */
static struct hit lookup(const struct vpci_func *f, u16 b)
{
	const struct vpci_cap *c;
	struct hit h;

	if (b < HDR_LAST)
		return lookup_in(header_rules, ARRAY_SIZE(header_rules), 0, b);
	c = cap_at(f, b);
	/* The extended list starts at 0x100 even if what the real function
	 * has there is hidden: a null header links on. */
	if (!c && b >= PCI_EXT_CAP_START && b < PCI_EXT_CAP_START + 4)
		return (struct hit){ &rule_ecap_hdr, PCI_EXT_CAP_START, NULL };
	if (!c)
		return default_hit(f, NULL, b);
	if (b < c->off + (c->ext ? 4 : 2))
		return (struct hit){ c->ext ? &rule_ecap_hdr : &rule_cap_hdr,
				     c->off, c };
	h = lookup_in(c->policy->rules, c->policy->nrules, c->off, b);
	if (!h.r)
		return default_hit(f, c, b);
	h.cap = c;
	return h;
}

/* The visible capability after c in the same list, 0 if none. */
static u16 next_cap(const struct vpci_func *f, const struct vpci_cap *c)
{
	u32 i = (u32)(c - f->caps) + 1;

	return i < f->ncaps && f->caps[i].ext == c->ext ? f->caps[i].off : 0;
}

static u32 bar_index(u16 at)
{
	return (u32)(at - PCI_BAR0) / 4;
}

static u32 ecap_hdr_read(const struct vpci_func *f, const struct hit *h)
{
	if (!h->cap)
		return (u32)f->first_ecap << ECAP_NEXT_SHIFT;
	return (real_rd(f, h->at, 4) & ECAP_ID_VER_MASK) |
	       (u32)next_cap(f, h->cap) << ECAP_NEXT_SHIFT;
}

static u32 id_read(const struct vpci_func *f, u16 at)
{
	u16 id = at == PCI_VENDOR_ID ? f->c.vendor_id : f->c.device_id;

	return id ? id : real_rd(f, at, 2);
}

static u32 reg_read(const struct vpci_func *f, const struct hit *h)
{
	const struct vpci_rule *r = h->r;

	switch (r->action) {
	case VPCI_PASS:
		return real_rd(f, h->at, r->len) & ~r->hide;
	case VPCI_EMU:
		return (shadow_rd(f, h->at, r->len) & r->wmask) |
		       (real_rd(f, h->at, r->len) & ~r->wmask & ~r->hide);
	case VPCI_ID:
		return id_read(f, h->at);
	case VPCI_CMD:
		return f->command | PCI_COMMAND_INTX_DISABLE;
	case VPCI_HDR_TYPE:
		return real_rd(f, h->at, 1) & PCI_HEADER_TYPE_MASK;
	case VPCI_BAR:
		return f->bar[bar_index(h->at)].reg;
	case VPCI_CAP_PTR:
		return f->first_cap;
	case VPCI_CAP_HDR:
		return (real_rd(f, h->at, 1) & 0xff) |
		       (u32)next_cap(f, h->cap) << 8;
	case VPCI_ECAP_HDR:
		return ecap_hdr_read(f, h);
	case VPCI_MSIX_CTRL:
		return vmsix_ctrl_read(f->c.msix, (u16)real_rd(f, h->at, 2));
	default:
		return 0;
	}
}

/* ---- BARs ---------------------------------------------------------- */

static bool bar_is_mem(const struct vpci_bar_desc *d)
{
	return d->size &&
	       (d->type == PCI_BAR_MEM32 || d->type == PCI_BAR_MEM64);
}

static u32 bar_flags(const struct vpci_bar_desc *d)
{
	return (d->type == PCI_BAR_MEM64 ? PCI_BAR_MEM_TYPE_64 : 0) |
	       (d->prefetch ? PCI_BAR_PREFETCH : 0);
}

static u64 bar_addr(const struct vpci_func *f, u32 i)
{
	u64 a = f->bar[i].reg & PCI_BAR_MEM_MASK;

	if (f->bar[i].d.type == PCI_BAR_MEM64)
		a |= (u64)f->bar[i + 1].reg << 32;
	return a;
}

static bool in_window(const struct vpci_func *f, u64 a, u64 size)
{
	return a >= f->win_base && size <= f->win_size &&
	       a - f->win_base <= f->win_size - size;
}

static void count_denied(struct vpci_func *f)
{
	f->denied++;
	if (f->bus)
		f->bus->denied++;
}

/* Reports e unless this register already reported that kind. */
static void report(struct vpci_func *f, const struct vpci_event *e)
{
	u8 *bit = &f->reported[e->reg / 8];
	u8 m = (u8)BIT(e->reg % 8);

	if (*bit & m)
		return;
	*bit |= m;
	if (f->c.hooks.event)
		f->c.hooks.event(f->c.hooks.ctx, e);
}

static void move_bar(struct vpci_func *f, u32 i, u64 to)
{
	u64 from = f->bar[i].mapped;

	if (from == to)
		return;
	f->bar[i].mapped = to;
	if (f->c.hooks.bar_moved)
		f->c.hooks.bar_moved(f->c.hooks.ctx, (u8)i, from, to);
}

/*
 * Makes BAR i decode where the guest put it, if that lies inside the
 * guest's MMIO window; else the mapping stays where it was and the
 * attempt is refused. Only called while decoding is on: sizing with
 * decoding off (as the PCI spec asks) is never refused.
 */
static void place_bar(struct vpci_func *f, u32 i)
{
	struct vpci_vbar *b = &f->bar[i];
	u64 a = bar_addr(f, i);
	struct vpci_event e = {
		.kind = VPCI_EV_BAR_REFUSED, .dev = f->dev,
		.reg = (u16)(PCI_BAR0 + 4 * i), .size = 4, .value = b->reg,
		.mask = ~0u, .gpa = a,
	};

	if (in_window(f, a, b->d.size)) {
		move_bar(f, i, a);
		return;
	}
	count_denied(f);
	report(f, &e);
}

static void bars_decode(struct vpci_func *f, bool on)
{
	u32 i;

	for (i = 0; i < VPCI_NBARS; i++) {
		if (!bar_is_mem(&f->bar[i].d) || f->bar[i].upper)
			continue;
		if (on)
			place_bar(f, i);
		else
			move_bar(f, i, 0);
	}
}

static void bar_write(struct vpci_func *f, u32 i, u32 v)
{
	struct vpci_vbar *b = &f->bar[i];
	u32 owner = b->upper ? i - 1 : i;
	const struct vpci_bar_desc *d = &f->bar[owner].d;

	if (!bar_is_mem(d))
		return;		/* hidden BAR: reads 0, like an absent one */
	if (b->upper)
		b->reg = v & (u32)(~(d->size - 1) >> 32);
	else
		b->reg = (v & (u32)~(d->size - 1) & PCI_BAR_MEM_MASK) |
			 bar_flags(d);
	if (f->command & PCI_COMMAND_MEMORY)
		place_bar(f, owner);
}

/* ---- command ------------------------------------------------------- */

/*
 * MEM and MASTER are the guest's on the real function; INTx stays disabled
 * (guest interrupts are MSI-X only) and the other real bits are the VMM's.
 */
static void cmd_write(struct vpci_func *f, u16 v)
{
	const u16 guest = PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER;
	u16 old = f->command;
	u32 real = real_rd(f, PCI_COMMAND, 2);

	f->command = v & guest;
	real = (real & ~(u32)guest) | f->command | PCI_COMMAND_INTX_DISABLE;
	real_wr(f, PCI_COMMAND, 2, real);
	if (!((old ^ f->command) & PCI_COMMAND_MEMORY))
		return;
	bars_decode(f, f->command & PCI_COMMAND_MEMORY);
	/* Table writes made while decoding was off never reached it. */
	if ((f->command & PCI_COMMAND_MEMORY) && f->c.msix)
		vmsix_resync(f->c.msix);
}

/* ---- the access path ----------------------------------------------- */

static void apply(struct vpci_func *f, const struct hit *h, u32 nv, u32 bytes)
{
	const struct vpci_rule *r = h->r;
	u32 w = r->wmask & bytes, real;

	switch (r->action) {
	case VPCI_PASS:
		/* Unwritten RW1C bits go out as 0, so they are not cleared. */
		real = real_rd(f, h->at, r->len) & ~r->rw1c & ~w;
		real_wr(f, h->at, r->len, real | (nv & w));
		break;
	case VPCI_EMU:
		shadow_wr(f, h->at, r->len,
			  (shadow_rd(f, h->at, r->len) & ~w) | (nv & w));
		break;
	case VPCI_CMD:
		cmd_write(f, (u16)nv);
		break;
	case VPCI_BAR:
		bar_write(f, bar_index(h->at), nv);
		break;
	case VPCI_MSIX_CTRL:
		vmsix_ctrl_write(f->c.msix, (u16)nv);
		break;
	default:
		break;		/* VPCI_ZERO: ignored */
	}
}

static void deny(struct vpci_func *f, const struct hit *h, u32 nv)
{
	struct vpci_event e = {
		.kind = VPCI_EV_DENIED, .dev = f->dev, .reg = h->at,
		.size = h->r->len, .value = nv, .mask = h->r->wmask,
	};

	report(f, &e);
}

/*
 * wv: the written bytes (bytes) of the register, in register position.
 * The bits outside the mask are dropped (true: some were); the rest still
 * applies.
 */
static bool write_reg(struct vpci_func *f, const struct hit *h, u32 wv,
		      u32 bytes)
{
	u32 cur = reg_read(f, h);
	u32 nv = (cur & ~bytes) | (wv & bytes);
	u32 wm = h->r->wmask & len_mask(h->r->len);
	bool denied = (nv ^ cur) & bytes & ~wm & ~h->r->wi;

	if (denied)
		deny(f, h, nv);
	if (bytes & wm)
		apply(f, h, (cur & ~wm) | (nv & wm), bytes);
	return denied;
}

static bool access_ok(struct vpci_func *f, u16 reg, u8 size)
{
	struct vpci_event e = { .kind = VPCI_EV_BAD_ACCESS, .dev = f->dev,
				.reg = reg, .size = size };

	if ((size == 1 || size == 2 || size == 4) && IS_ALIGNED(reg, size) &&
	    reg + size <= VPCI_ECFG_SIZE)
		return true;
	if (f->bus)
		f->bus->bad_access++;
	if (reg < VPCI_ECFG_SIZE)
		report(f, &e);
	return false;
}

u32 vpci_func_read(struct vpci_func *f, u16 reg, u8 size)
{
	u32 val = 0;
	u16 b = reg;

	if (!access_ok(f, reg, size))
		return ~0u;
	while (b < reg + size) {
		struct hit h = lookup(f, b);
		u32 v = reg_read(f, &h);
		u16 end = MIN(h.at + h.r->len, reg + size);

		for (; b < end; b++)
			val |= ((v >> ((b - h.at) * 8)) & 0xff) << ((b - reg) * 8);
	}
	return val;
}

void vpci_func_write(struct vpci_func *f, u16 reg, u8 size, u32 val)
{
	bool denied = false;
	u16 b = reg;

	if (!access_ok(f, reg, size))
		return;
	while (b < reg + size) {
		struct hit h = lookup(f, b);
		u16 end = MIN(h.at + h.r->len, reg + size);
		u32 bytes = 0, wv = 0;

		for (; b < end; b++) {
			u32 sh = (b - h.at) * 8u;

			bytes |= 0xffu << sh;
			wv |= ((val >> ((b - reg) * 8)) & 0xff) << sh;
		}
		denied |= write_reg(f, &h, wv, bytes);
	}
	/* One count per guest write, however many registers it touched. */
	if (denied)
		count_denied(f);
}

u64 vpci_func_bar_gpa(const struct vpci_func *f, u8 bar)
{
	return bar < VPCI_NBARS ? f->bar[bar].mapped : 0;
}

/* ---- building a function's view ------------------------------------ */

static const struct vpci_cap_policy *policy_of(u16 id, bool ext)
{
	u32 i;

	for (i = 0; i < ARRAY_SIZE(shown); i++)
		if (shown[i].id == id && shown[i].ext == ext)
			return &shown[i];
	return NULL;
}

struct collect {
	struct vpci_func *f;
	bool overflow;
};

static void add_cap(struct collect *c, u16 id, u16 off, bool ext)
{
	const struct vpci_cap_policy *p = policy_of(id, ext);
	struct vpci_func *f = c->f;

	if (!p || (id == PCI_CAP_ID_MSIX && !ext && !f->c.msix))
		return;		/* hidden; MSI-X only with its emulation */
	if (f->ncaps == VPCI_MAX_CAPS) {
		c->overflow = true;
		return;
	}
	f->caps[f->ncaps++] = (struct vpci_cap){ off, p->len, id, ext, p };
	if (id == PCI_CAP_ID_MSIX && !ext)
		f->msix_cap = off;
	if (ext && !f->first_ecap)
		f->first_ecap = off;
	if (!ext && !f->first_cap)
		f->first_cap = (u8)off;
}

static void on_cap(void *ctx, u8 id, u16 off)
{
	add_cap(ctx, id, off, false);
}

static void on_ecap(void *ctx, u16 id, u16 off)
{
	add_cap(ctx, id, off, true);
}

static u32 io_read32(void *ctx, u16 off)
{
	const struct vpci_func *f = ctx;

	return real_rd(f, off, 4);
}

static void io_write32(void *ctx, u16 off, u32 v)
{
	/* The walks only read. */
}

/* Fills f->caps from the real lists; false on a corrupt list. */
static bool collect_caps(struct vpci_func *f)
{
	struct pci_cfg_io io = { io_read32, io_write32, f };
	struct collect c = { f, false };

	if (pci_walk_caps(&io, on_cap, &c) < 0 ||
	    pci_walk_ecaps(&io, on_ecap, &c) < 0 || c.overflow)
		return false;
	return true;
}

static bool bar_desc_ok(const struct vpci_func *f, u32 i)
{
	const struct vpci_bar_desc *d = &f->c.bar[i];

	if (!bar_is_mem(d))
		return true;	/* I/O and absent BARs are not shown */
	if (d->size & (d->size - 1) || d->size < 16)
		return false;
	if (d->type == PCI_BAR_MEM64 && i + 1 >= VPCI_NBARS)
		return false;
	return IS_ALIGNED(d->gpa, d->size) && in_window(f, d->gpa, d->size);
}

static bool init_bars(struct vpci_func *f)
{
	u32 i;

	for (i = 0; i < VPCI_NBARS; i++) {
		struct vpci_vbar *b = &f->bar[i];

		if (b->upper)
			continue;
		if (!bar_desc_ok(f, i))
			return false;
		b->d = f->c.bar[i];
		if (!bar_is_mem(&b->d))
			continue;
		b->reg = ((u32)b->d.gpa & PCI_BAR_MEM_MASK) | bar_flags(&b->d);
		if (b->d.type == PCI_BAR_MEM64) {
			f->bar[i + 1].upper = true;
			f->bar[i + 1].reg = (u32)(b->d.gpa >> 32);
		}
	}
	return true;
}

/* The emulated registers start as the real ones read. */
static void init_shadow(struct vpci_func *f)
{
	u16 at;

	for (at = 0; at < VPCI_ECFG_SIZE; at += 4)
		shadow_wr(f, at, 4, real_rd(f, at, 4));
}

int vpci_func_init(struct vpci_func *f, const struct vpci_func_config *c,
		   u64 win_base, u64 win_size)
{
	u16 real;

	memset(f, 0, sizeof(*f));
	f->c = *c;
	f->win_base = win_base;
	f->win_size = win_size;
	if (!c->cfg.read || !c->cfg.write || !init_bars(f))
		return VPCI_EINVAL;
	if (!collect_caps(f))
		return VPCI_EINVAL;
	init_shadow(f);
	/* The guest starts with the decode and DMA the VMM left on; INTx is
	 * off on the real function from here on. */
	real = (u16)real_rd(f, PCI_COMMAND, 2);
	f->command = real & (PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER);
	real_wr(f, PCI_COMMAND, 2, real | PCI_COMMAND_INTX_DISABLE);
	if (f->command & PCI_COMMAND_MEMORY)
		bars_decode(f, true);
	return VPCI_OK;
}

/* ---- events -------------------------------------------------------- */

const char *vpci_event_name(u8 kind)
{
	switch (kind) {
	case VPCI_EV_DENIED:
		return "denied write";
	case VPCI_EV_BAR_REFUSED:
		return "BAR outside the MMIO window";
	case VPCI_EV_BAD_ACCESS:
		return "misaligned or odd-sized access";
	default:
		return "unknown event";
	}
}

int vpci_event_format(char *buf, size_t size, const struct vpci_event *e)
{
	if (e->kind == VPCI_EV_BAR_REFUSED)
		return fmt_snprintf(buf, size,
				    "dev %02x reg %#x: %s: GPA %#llx refused, mapping unchanged",
				    e->dev, e->reg, vpci_event_name(e->kind),
				    e->gpa);
	return fmt_snprintf(buf, size, "dev %02x reg %#x/%u: %s %#x (writable %#x)",
			    e->dev, e->reg, e->size, vpci_event_name(e->kind),
			    e->value, e->mask);
}
