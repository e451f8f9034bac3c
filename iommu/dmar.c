// SPDX-License-Identifier: MIT
/*
 * DMAR parser and iterators (Intel VT-d specification rev 4.1, chapter 8).
 *
 * The table is a header followed by variable-length remapping structures,
 * each of which may carry variable-length device scopes. Every length in it
 * comes from firmware, so each one is checked against the enclosing length
 * before anything behind it is read; the walker always advances by at least
 * 4 bytes (structures) or 8 bytes (scopes), so it terminates on any input.
 */
#define LOG_SUBSYS "dmar"
#include "kernel/log.h"
#include "iommu/dmar.h"
#include "lib/unaligned.h"

/* Every remapping structure starts with u16 type, u16 length (8.2). */
#define DMAR_STRUCT_HDR_LEN 4

/* Scopes need at least one path element (8.3.1: the path names the
 * device); a header-only scope names nothing. */
#define DMAR_SCOPE_MIN_LEN (DMAR_SCOPE_HDR_LEN + 2)

static u32 struct_min_len(u16 type)
{
	switch (type) {
	case DMAR_TYPE_DRHD:
		return DMAR_DRHD_LEN;
	case DMAR_TYPE_RMRR:
		return DMAR_RMRR_LEN;
	case DMAR_TYPE_ATSR:
		return DMAR_ATSR_LEN;
	case DMAR_TYPE_RHSA:
		return DMAR_RHSA_LEN;
	case DMAR_TYPE_ANDD:
		return DMAR_ANDD_LEN;
	case DMAR_TYPE_SATC:
		return DMAR_SATC_LEN;
	case DMAR_TYPE_SIDP:
		return DMAR_SIDP_LEN;
	}
	return DMAR_STRUCT_HDR_LEN;
}

const char *dmar_struct_type_name(u16 type)
{
	switch (type) {
	case DMAR_TYPE_DRHD:
		return "DRHD";
	case DMAR_TYPE_RMRR:
		return "RMRR";
	case DMAR_TYPE_ATSR:
		return "ATSR";
	case DMAR_TYPE_RHSA:
		return "RHSA";
	case DMAR_TYPE_ANDD:
		return "ANDD";
	case DMAR_TYPE_SATC:
		return "SATC";
	case DMAR_TYPE_SIDP:
		return "SIDP";
	}
	return "unknown";
}

/* ---- which DRHD covers a requester id ------------------------------------ */

struct resolve_ctx {
	const struct dmar_bridge_io *io;
	u16 segment;
};

static u8 io_secondary_bus(void *ctx, u8 bus, u8 dev, u8 fn)
{
	const struct resolve_ctx *rc = ctx;
	u8 sec, sub;

	if (!rc->io->buses(rc->io->ctx, rc->segment, bus, (u8)(dev << 3 | fn),
			   &sec, &sub))
		return 0;
	return sec;
}

/* True if scope s names rid, or a bridge that rid sits below. */
static bool scope_covers(const struct dmar_scope *s, u16 segment, u16 rid,
			 const struct dmar_bridge_io *io)
{
	struct resolve_ctx rc = { io, segment };
	u8 bus, devfn, sec, sub, rbus = (u8)(rid >> 8);

	if (s->type != DMAR_SCOPE_PCI_ENDPOINT &&
	    s->type != DMAR_SCOPE_PCI_BRIDGE)
		return false;
	if (dmar_scope_resolve(s, io_secondary_bus, &rc, &bus, &devfn))
		return false;
	if (rid == (u16)(bus << 8 | devfn))
		return true;
	if (s->type != DMAR_SCOPE_PCI_BRIDGE ||
	    !io->buses(io->ctx, segment, bus, devfn, &sec, &sub))
		return false;
	/* A bridge scope covers everything below the bridge. */
	return sec > bus && sec <= rbus && rbus <= sub;
}

/* True if one of the scoped DRHD u's device scopes covers rid. */
static bool drhd_lists(const struct dmar_drhd *u, u16 rid,
		       const struct dmar_bridge_io *io)
{
	struct dmar_scope s;
	u32 cursor = 0;

	while (dmar_next_scope(u->scopes, u->scopes_len, &cursor, &s) == 1)
		if (scope_covers(&s, u->segment, rid, io))
			return true;
	return false;
}

int dmar_drhd_for(const struct acpi_sdt_header *dmar, u16 segment, u16 rid,
		  const struct dmar_bridge_io *io)
{
	struct dmar_drhd u;
	u32 cursor = 0;
	int idx = 0, all = -1;

	if (!dmar || !io || !io->buses)
		return -1;
	for (; dmar_next_drhd(dmar, &cursor, &u) == 1; idx++) {
		if (u.segment != segment)
			continue;
		if (!(u.flags & DMAR_DRHD_INCLUDE_PCI_ALL)) {
			if (drhd_lists(&u, rid, io))
				return idx;
		} else if (all < 0) {
			all = idx;
		}
	}
	/* 8.3: an INCLUDE_PCI_ALL unit takes what no other unit lists. */
	return all;
}

const char *dmar_scope_type_name(u8 type)
{
	switch (type) {
	case DMAR_SCOPE_PCI_ENDPOINT:
		return "PCI endpoint";
	case DMAR_SCOPE_PCI_BRIDGE:
		return "PCI bridge";
	case DMAR_SCOPE_IOAPIC:
		return "IOAPIC";
	case DMAR_SCOPE_HPET:
		return "HPET";
	case DMAR_SCOPE_ACPI_NAMESPACE:
		return "ACPI namespace device";
	}
	return "reserved";
}

/* Why a structure walk stopped, for dmar_parse's report. */
enum walk_err {
	WALK_OK,
	WALK_SHORT_HDR,		/* fewer than 4 bytes left */
	WALK_LEN_SMALL,		/* length < 4 */
	WALK_LEN_PAST_END,	/* length beyond the table */
	WALK_LEN_TYPE,		/* length < fixed part of the type */
};

struct dmar_struct {
	u16 type;
	u16 len;
	u32 offset;
	const u8 *p;
};

/*
 * The structure at *cursor (0 = the first one). Returns 1 and advances the
 * cursor, 0 at the end, ACPI_E_MALFORMED (and *why) if it cannot be
 * trusted; the cursor is then moved to the end so a caller that keeps
 * iterating after an error still terminates.
 */
static int next_struct(const struct acpi_sdt_header *dmar, u32 *cursor,
		       struct dmar_struct *s, enum walk_err *why)
{
	const u8 *b = (const u8 *)dmar;
	u32 tlen = dmar->length;
	u32 off = *cursor ? *cursor : DMAR_STRUCTS_OFF;
	enum walk_err w = WALK_OK;

	if (off >= tlen)
		return 0;
	if (tlen - off < DMAR_STRUCT_HDR_LEN) {
		w = WALK_SHORT_HDR;
		s->type = 0;
		s->len = (u16)(tlen - off);
	} else {
		s->type = get_le16(b + off);
		s->len = get_le16(b + off + 2);
		if (s->len < DMAR_STRUCT_HDR_LEN)
			w = WALK_LEN_SMALL;
		else if (s->len > tlen - off)
			w = WALK_LEN_PAST_END;
		else if (s->len < struct_min_len(s->type))
			w = WALK_LEN_TYPE;
	}
	s->offset = off;
	s->p = b + off;
	if (why)
		*why = w;
	if (w != WALK_OK) {
		*cursor = 0xffffffffu;
		return ACPI_E_MALFORMED;
	}
	*cursor = off + s->len;
	return 1;
}

/* Next structure of one type; others are stepped over (but still checked). */
static int next_of_type(const struct acpi_sdt_header *dmar, u32 *cursor,
			u16 type, struct dmar_struct *s)
{
	int r;

	if (!dmar || !cursor || dmar->length < DMAR_STRUCTS_OFF)
		return ACPI_E_MALFORMED;
	while ((r = next_struct(dmar, cursor, s, NULL)) == 1)
		if (s->type == type)
			return 1;
	return r;
}

static void drhd_from(const struct dmar_struct *s, struct dmar_drhd *out)
{
	out->offset = s->offset;
	out->flags = s->p[4];
	out->size = s->p[5];
	out->segment = get_le16(s->p + 6);
	out->base = get_le64(s->p + 8);
	out->scopes = s->p + DMAR_DRHD_LEN;
	out->scopes_len = s->len - DMAR_DRHD_LEN;
}

static void rmrr_from(const struct dmar_struct *s, struct dmar_rmrr *out)
{
	out->offset = s->offset;
	out->segment = get_le16(s->p + 6);
	out->base = get_le64(s->p + 8);
	out->limit = get_le64(s->p + 16);
	out->scopes = s->p + DMAR_RMRR_LEN;
	out->scopes_len = s->len - DMAR_RMRR_LEN;
}

static void atsr_from(const struct dmar_struct *s, struct dmar_atsr *out)
{
	out->offset = s->offset;
	out->flags = s->p[4];
	out->segment = get_le16(s->p + 6);
	out->scopes = s->p + DMAR_ATSR_LEN;
	out->scopes_len = s->len - DMAR_ATSR_LEN;
}

int dmar_next_drhd(const struct acpi_sdt_header *dmar, u32 *cursor,
		   struct dmar_drhd *out)
{
	struct dmar_struct s;
	int r = next_of_type(dmar, cursor, DMAR_TYPE_DRHD, &s);

	if (r == 1)
		drhd_from(&s, out);
	return r;
}

int dmar_next_rmrr(const struct acpi_sdt_header *dmar, u32 *cursor,
		   struct dmar_rmrr *out)
{
	struct dmar_struct s;
	int r = next_of_type(dmar, cursor, DMAR_TYPE_RMRR, &s);

	if (r == 1)
		rmrr_from(&s, out);
	return r;
}

int dmar_next_atsr(const struct acpi_sdt_header *dmar, u32 *cursor,
		   struct dmar_atsr *out)
{
	struct dmar_struct s;
	int r = next_of_type(dmar, cursor, DMAR_TYPE_ATSR, &s);

	if (r == 1)
		atsr_from(&s, out);
	return r;
}

/* Why a scope was rejected, for dmar_parse's report. */
enum scope_err {
	SCOPE_OK,
	SCOPE_SHORT_HDR,	/* fewer than 2 bytes left */
	SCOPE_LEN_SMALL,	/* length < 8: no path */
	SCOPE_LEN_ODD,		/* path is not whole (dev, fn) pairs */
	SCOPE_LEN_PAST_END,	/* runs past its structure */
	SCOPE_BAD_PATH,		/* device >= 32 or function >= 8 */
};

static int scope_at(const u8 *scopes, u32 len, u32 *cursor,
		    struct dmar_scope *out, enum scope_err *why, u8 *slen_out)
{
	const u8 *p;
	u32 off = *cursor, i;
	u8 slen;
	enum scope_err e = SCOPE_OK;

	if (off >= len)
		return 0;
	p = scopes + off;
	slen = len - off >= 2 ? p[1] : 0;
	if (len - off < 2)
		e = SCOPE_SHORT_HDR;
	else if (slen < DMAR_SCOPE_MIN_LEN)
		e = SCOPE_LEN_SMALL;
	else if (slen & 1)
		e = SCOPE_LEN_ODD;
	else if (slen > len - off)
		e = SCOPE_LEN_PAST_END;
	if (slen_out)
		*slen_out = slen;
	if (e == SCOPE_OK) {
		out->type = p[0];
		out->flags = p[2];
		out->enumeration_id = p[4];
		out->start_bus = p[5];
		out->path_len = (slen - DMAR_SCOPE_HDR_LEN) / 2;
		out->path = p + DMAR_SCOPE_HDR_LEN;
		for (i = 0; i < out->path_len; i++)
			if (out->path[2 * i] >= 32 || out->path[2 * i + 1] >= 8)
				e = SCOPE_BAD_PATH;
	}
	if (why)
		*why = e;
	if (e != SCOPE_OK) {
		*cursor = 0xffffffffu;
		return ACPI_E_MALFORMED;
	}
	*cursor = off + slen;
	return 1;
}

int dmar_next_scope(const u8 *scopes, u32 len, u32 *cursor,
		    struct dmar_scope *out)
{
	if (!cursor || !out || (len && !scopes))
		return ACPI_E_INVAL;
	return scope_at(scopes, len, cursor, out, NULL, NULL);
}

int dmar_scope_resolve(const struct dmar_scope *s,
		       u8 (*secondary_bus)(void *ctx, u8 bus, u8 dev, u8 fn),
		       void *ctx, u8 *bus, u8 *devfn)
{
	u8 b, dev, fn, next;
	u32 i;

	if (!s || !s->path_len || !bus || !devfn)
		return ACPI_E_INVAL;
	b = s->start_bus;
	for (i = 0; i + 1 < s->path_len; i++) {
		if (!secondary_bus)
			return ACPI_E_NOT_FOUND;
		dev = s->path[2 * i];
		fn = s->path[2 * i + 1];
		next = secondary_bus(ctx, b, dev, fn);
		/* A bridge's secondary bus is always above its own bus; 0
		 * (no bridge, or not yet numbered) or a loop means we cannot
		 * know where the device is. */
		if (next <= b)
			return ACPI_E_NOT_FOUND;
		b = next;
	}
	dev = s->path[2 * i];
	fn = s->path[2 * i + 1];
	/* Scopes from dmar_next_scope() were checked; hand-made ones may not
	 * have been. */
	if (dev >= 32 || fn >= 8)
		return ACPI_E_INVAL;
	*bus = b;
	*devfn = (u8)(dev << 3 | fn);
	return 0;
}

/* ---- logging helpers --------------------------------------------------- */

/* A tiny bounded string builder: log lines are formatted piecewise because
 * a scope path has a firmware-chosen number of elements. */
struct sbuf {
	char *p;
	u32 len, cap;
};

static void sb_putc(struct sbuf *sb, char c)
{
	if (sb->len + 1 < sb->cap)
		sb->p[sb->len++] = c;
	sb->p[sb->len] = '\0';
}

static void sb_puts(struct sbuf *sb, const char *s)
{
	while (*s)
		sb_putc(sb, *s++);
}

static void sb_hex(struct sbuf *sb, u32 v, int digits)
{
	static const char hex[] = "0123456789abcdef";

	while (digits--)
		sb_putc(sb, hex[(v >> (4 * digits)) & 15]);
}

static void sb_dec(struct sbuf *sb, u32 v)
{
	char tmp[10];
	int n = 0;

	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (n)
		sb_putc(sb, tmp[--n]);
}

/* "bb:dd.f" followed by "/dd.f" for each further path element. */
#define PATH_PRINT_MAX 8
static void sb_path(struct sbuf *sb, const struct dmar_scope *s)
{
	u32 i;

	sb_hex(sb, s->start_bus, 2);
	sb_putc(sb, ':');
	for (i = 0; i < s->path_len; i++) {
		if (i == PATH_PRINT_MAX) {
			sb_puts(sb, "/...");
			break;
		}
		if (i)
			sb_putc(sb, '/');
		sb_hex(sb, s->path[2 * i], 2);
		sb_putc(sb, '.');
		sb_hex(sb, s->path[2 * i + 1], 1);
	}
}

static void log_scope(const struct dmar_scope *s)
{
	char buf[96];
	struct sbuf sb = { buf, 0, sizeof(buf) };

	buf[0] = '\0';
	sb_puts(&sb, dmar_scope_type_name(s->type));
	switch (s->type) {
	case DMAR_SCOPE_IOAPIC:
	case DMAR_SCOPE_HPET:
	case DMAR_SCOPE_ACPI_NAMESPACE:
		sb_puts(&sb, " id ");
		sb_dec(&sb, s->enumeration_id);
		sb_puts(&sb, " at ");
		break;
	default:
		sb_putc(&sb, ' ');
	}
	sb_path(&sb, s);
	pr_info("  scope: %s\n", buf);
}

static const char *scope_err_text(enum scope_err e)
{
	switch (e) {
	case SCOPE_SHORT_HDR:
		return "truncated scope header";
	case SCOPE_LEN_SMALL:
		return "scope length below 8 (no path)";
	case SCOPE_LEN_ODD:
		return "odd scope length (path not whole dev/fn pairs)";
	case SCOPE_LEN_PAST_END:
		return "scope runs past its structure";
	case SCOPE_BAD_PATH:
		return "path entry with device >= 32 or function >= 8";
	default:
		return "ok";
	}
}

/* ---- dmar_parse -------------------------------------------------------- */

struct parse_state {
	const struct acpi_sdt_header *dmar;
	struct dmar_info *info;
	int err;
	bool all_pending;	/* previous DRHD had INCLUDE_PCI_ALL */
	u16 all_segment;
};

static void bad(struct parse_state *ps, int err)
{
	if (!ps->err)
		ps->err = err;
}

/*
 * Validates every scope of a structure, reporting the first bad one (which
 * ends the walk: nothing after it can be located). Returns the number of
 * valid scopes and, in *types, a bitmask of their types.
 */
static u32 check_scopes(struct parse_state *ps, const struct dmar_struct *st,
			u32 fixed, u32 *types)
{
	const u8 *scopes = st->p + fixed;
	u32 len = st->len - fixed, cur = 0, n = 0, at;
	struct dmar_scope s;
	enum scope_err why;
	u8 slen;
	int r;

	*types = 0;
	for (;;) {
		at = cur;
		r = scope_at(scopes, len, &cur, &s, &why, &slen);
		if (r == 0)
			break;
		if (r < 0) {
			pr_err("%s at offset %u: device scope at offset %u length %u: %s -- table rejected\n",
			       dmar_struct_type_name(st->type), st->offset,
			       st->offset + fixed + at, slen,
			       scope_err_text(why));
			bad(ps, ACPI_E_MALFORMED);
			break;
		}
		n++;
		ps->info->nscopes++;
		*types |= 1u << (s.type < 31 ? s.type : 31);
		if (s.type < DMAR_SCOPE_PCI_ENDPOINT ||
		    s.type > DMAR_SCOPE_ACPI_NAMESPACE)
			pr_warn("%s at offset %u: reserved device scope type %u -- ignored\n",
				dmar_struct_type_name(st->type), st->offset,
				s.type);
	}
	return n;
}

/* One line per valid scope of a known type (problems were reported by
 * check_scopes). */
static void log_scopes(const struct dmar_struct *st, u32 fixed)
{
	struct dmar_scope s;
	u32 cur = 0;

	while (scope_at(st->p + fixed, st->len - fixed, &cur, &s, NULL,
			NULL) == 1)
		if (s.type >= DMAR_SCOPE_PCI_ENDPOINT &&
		    s.type <= DMAR_SCOPE_ACPI_NAMESPACE)
			log_scope(&s);
}

static void parse_drhd(struct parse_state *ps, const struct dmar_struct *st)
{
	struct dmar_drhd d;
	u32 nscopes, types;
	u32 idx = ps->info->ndrhd++;

	drhd_from(st, &d);
	nscopes = check_scopes(ps, st, DMAR_DRHD_LEN, &types);
	pr_info("DRHD %u: base 0x%llx segment %u flags 0x%x (%s), %u device scopes\n",
		idx, (unsigned long long)d.base, d.segment, d.flags,
		d.flags & DMAR_DRHD_INCLUDE_PCI_ALL ? "INCLUDE_PCI_ALL" :
						      "scoped",
		nscopes);
	log_scopes(st, DMAR_DRHD_LEN);
	if (d.base == 0) {
		pr_err("DRHD %u: register base 0: VT-d disabled in firmware (a placeholder unit) -- table rejected\n",
		       idx);
		bad(ps, ACPI_E_MALFORMED);
	} else if (!IS_ALIGNED(d.base, PAGE_SIZE)) {
		pr_err("DRHD %u: register base 0x%llx is not a 4 KiB aligned address -- table rejected\n",
		       idx, (unsigned long long)d.base);
		bad(ps, ACPI_E_MALFORMED);
	}
	/* 8.3: an INCLUDE_PCI_ALL unit must be the last one listed for its
	 * segment, or the units after it would claim devices it already
	 * owns. Checked against the following DRHD only (linear time); it
	 * only warns, the VT-d driver gives explicit scopes precedence. */
	if (ps->all_pending && ps->all_segment == d.segment)
		pr_warn("DRHD %u: follows an INCLUDE_PCI_ALL unit of the same segment %u\n",
			idx, d.segment);
	ps->all_pending = d.flags & DMAR_DRHD_INCLUDE_PCI_ALL;
	ps->all_segment = d.segment;
	if ((d.flags & DMAR_DRHD_INCLUDE_PCI_ALL) &&
	    (types & (BIT(DMAR_SCOPE_PCI_ENDPOINT) | BIT(DMAR_SCOPE_PCI_BRIDGE))))
		pr_warn("DRHD %u: INCLUDE_PCI_ALL unit also lists PCI device scopes\n",
			idx);
}

static void parse_rmrr(struct parse_state *ps, const struct dmar_struct *st)
{
	const u8 *scopes = st->p + DMAR_RMRR_LEN;
	u32 len = st->len - DMAR_RMRR_LEN, cur = 0, n = 0, types;
	char buf[128];
	struct sbuf sb = { buf, 0, sizeof(buf) };
	struct dmar_rmrr r;
	struct dmar_scope s;

	ps->info->nrmrr++;
	rmrr_from(st, &r);
	buf[0] = '\0';
	check_scopes(ps, st, DMAR_RMRR_LEN, &types);
	while (scope_at(scopes, len, &cur, &s, NULL, NULL) == 1) {
		if (n == 4) {
			sb_puts(&sb, ", ...");
			break;
		}
		sb_puts(&sb, n ? ", " : "");
		sb_path(&sb, &s);
		n++;
	}
	pr_info("RMRR 0x%llx - 0x%llx segment %u for %s\n",
		(unsigned long long)r.base, (unsigned long long)r.limit,
		r.segment, n ? buf : "no device");
	if (r.base > r.limit) {
		pr_err("RMRR at offset %u: base 0x%llx above limit 0x%llx -- table rejected\n",
		       st->offset, (unsigned long long)r.base,
		       (unsigned long long)r.limit);
		bad(ps, ACPI_E_MALFORMED);
	} else if (!IS_ALIGNED(r.base, PAGE_SIZE) ||
		   !IS_ALIGNED(r.limit + 1, PAGE_SIZE)) {
		/* 8.4 requires 4 KiB granularity; the region is still
		 * identity mapped, rounded out to whole pages. */
		pr_warn("RMRR 0x%llx - 0x%llx is not 4 KiB granular: mapped rounded out to 0x%llx - 0x%llx\n",
			(unsigned long long)r.base,
			(unsigned long long)r.limit,
			(unsigned long long)ALIGN_DOWN(r.base, PAGE_SIZE),
			(unsigned long long)(r.limit | (PAGE_SIZE - 1)));
	}
	/* 8.4: RMRR scopes are endpoints only. */
	if (types & ~BIT(DMAR_SCOPE_PCI_ENDPOINT))
		pr_warn("RMRR 0x%llx: lists device scopes other than PCI endpoints\n",
			(unsigned long long)r.base);
}

static void parse_other(struct parse_state *ps, const struct dmar_struct *st)
{
	const u8 *p = st->p;
	u32 types, n, i;
	char name[33];

	switch (st->type) {
	case DMAR_TYPE_ATSR:
		ps->info->natsr++;
		n = check_scopes(ps, st, DMAR_ATSR_LEN, &types);
		pr_info("ATSR segment %u flags 0x%x (%s), %u root ports\n",
			get_le16(p + 6), p[4],
			p[4] & DMAR_ATSR_ALL_PORTS ? "all ports" : "listed",
			n);
		break;
	case DMAR_TYPE_RHSA:
		ps->info->nrhsa++;
		pr_info("RHSA unit 0x%llx proximity domain %u\n",
			(unsigned long long)get_le64(p + 8), get_le32(p + 16));
		break;
	case DMAR_TYPE_ANDD:
		ps->info->nandd++;
		/* The object name is a NUL-terminated ASCII string. */
		for (i = 0; i < sizeof(name) - 1 && DMAR_ANDD_LEN + i < st->len &&
			    p[DMAR_ANDD_LEN + i]; i++)
			name[i] = (p[DMAR_ANDD_LEN + i] >= 0x20 &&
				   p[DMAR_ANDD_LEN + i] < 0x7f) ?
					  (char)p[DMAR_ANDD_LEN + i] : '?';
		name[i] = '\0';
		pr_info("ANDD device %u is %s\n", p[7], name);
		break;
	case DMAR_TYPE_SATC:
		ps->info->nsatc++;
		n = check_scopes(ps, st, DMAR_SATC_LEN, &types);
		pr_info("SATC segment %u flags 0x%x, %u devices\n",
			get_le16(p + 6), p[4], n);
		break;
	case DMAR_TYPE_SIDP:
		ps->info->nunknown++;
		n = check_scopes(ps, st, DMAR_SIDP_LEN, &types);
		pr_info("SIDP segment %u, %u devices (not used)\n",
			get_le16(p + 6), n);
		break;
	default:
		ps->info->nunknown++;
		pr_warn("unknown remapping structure type %u length %u at offset %u -- skipped\n",
			st->type, st->len, st->offset);
	}
}

static const char *walk_err_text(enum walk_err w)
{
	switch (w) {
	case WALK_SHORT_HDR:
		return "fewer than 4 bytes left for a structure header";
	case WALK_LEN_SMALL:
		return "structure length below 4";
	case WALK_LEN_PAST_END:
		return "structure runs past the end of the table";
	case WALK_LEN_TYPE:
		return "structure too short for its type";
	default:
		return "ok";
	}
}

int dmar_parse(const struct acpi_sdt_header *dmar, struct dmar_info *info)
{
	struct parse_state ps = { .dmar = dmar, .info = info };
	const u8 *b = (const u8 *)dmar;
	struct dmar_struct st;
	enum walk_err why;
	u32 cur = 0;
	int r;

	if (!dmar || !info)
		return ACPI_E_INVAL;
	*info = (struct dmar_info){ 0 };
	if (dmar->length < DMAR_STRUCTS_OFF) {
		pr_err("DMAR: length %u, needs at least %u -- table rejected\n",
		       dmar->length, DMAR_STRUCTS_OFF);
		return ACPI_E_SHORT;
	}
	info->haw = (u8)(b[DMAR_HAW_OFF] + 1);
	info->flags = b[DMAR_FLAGS_OFF];
	/* The field is width - 1; 64-bit addresses at most, and a width
	 * below a page offset is meaningless. */
	if (b[DMAR_HAW_OFF] >= 64 || b[DMAR_HAW_OFF] < PAGE_SHIFT - 1) {
		pr_err("DMAR: host address width field %u (%u bits) invalid -- table rejected\n",
		       b[DMAR_HAW_OFF], b[DMAR_HAW_OFF] + 1);
		bad(&ps, ACPI_E_MALFORMED);
	}

	while ((r = next_struct(dmar, &cur, &st, &why)) == 1) {
		if (st.type == DMAR_TYPE_DRHD)
			parse_drhd(&ps, &st);
		else if (st.type == DMAR_TYPE_RMRR)
			parse_rmrr(&ps, &st);
		else
			parse_other(&ps, &st);
	}
	if (r < 0) {
		pr_err("%s at offset %u length %u (table length %u): %s -- table rejected\n",
		       why == WALK_SHORT_HDR ? "structure" :
					       dmar_struct_type_name(st.type),
		       st.offset, st.len, dmar->length, walk_err_text(why));
		bad(&ps, ACPI_E_MALFORMED);
	}
	if (info->ndrhd == 0) {
		pr_err("DMAR: no DRHD (remapping unit) -- table rejected\n");
		bad(&ps, ACPI_E_MALFORMED);
	}
	pr_info("HAW %u bits, flags 0x%x%s%s%s, %u DRHD, %u RMRR, %u ATSR, %u device scopes%s\n",
		info->haw, info->flags,
		info->flags & DMAR_FLAG_INTR_REMAP ? " INTR_REMAP" : "",
		info->flags & DMAR_FLAG_X2APIC_OPT_OUT ? " X2APIC_OPT_OUT" : "",
		info->flags & DMAR_FLAG_DMA_CTRL_PLATFORM_OPT_IN ?
			" DMA_CTRL_PLATFORM_OPT_IN" : "",
		info->ndrhd, info->nrmrr, info->natsr, info->nscopes,
		ps.err ? " -- MALFORMED, VT-d must not be used" : "");
	return ps.err;
}
