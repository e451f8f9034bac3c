// SPDX-License-Identifier: MIT
/*
 * ACPI static tables: discovery (RSDP -> XSDT/RSDT -> tables), validation,
 * and the MADT / MCFG / FADT / HPET parsers. See kernel/acpi.h for the trust
 * model: every read is bounded by a length that was checked against what is
 * actually readable.
 *
 * Multi-byte fields are read with get_le16/32/64 (lib/unaligned.h, little
 * endian): ACPI tables put u64 fields at 4-byte offsets (the XSDT entries
 * start at 36) and fuzzers hand us buffers at any alignment.
 */
#define LOG_SUBSYS "acpi"
#include "kernel/log.h"
#include "kernel/acpi.h"
#include "lib/string.h"
#include "lib/unaligned.h"

static void get_gas(const u8 *p, struct acpi_gas *g)
{
	g->space_id = p[0];
	g->bit_width = p[1];
	g->bit_offset = p[2];
	g->access_size = p[3];
	g->address = get_le64(p + 4);
}

/* Table signatures are four bytes, not NUL-terminated. */
static bool sig_eq(const void *a, const char *sig)
{
	return !memcmp(a, sig, 4);
}

/*
 * Copies n firmware bytes to a printable NUL-terminated string for logging:
 * a corrupted signature must not put control characters on the console.
 * Trailing blanks (OEM IDs are space padded) are dropped.
 */
static void printable(char *dst, const void *src, int n)
{
	const u8 *s = src;
	int i;

	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == 0))
		n--;
	for (i = 0; i < n; i++)
		dst[i] = (s[i] >= 0x20 && s[i] < 0x7f) ? (char)s[i] : '?';
	dst[n] = '\0';
}

const char *acpi_strerror(int err)
{
	switch (err) {
	case ACPI_OK:
		return "ok";
	case ACPI_E_SIGNATURE:
		return "bad signature";
	case ACPI_E_SHORT:
		return "length smaller than the fixed part";
	case ACPI_E_TRUNCATED:
		return "length exceeds readable memory";
	case ACPI_E_CHECKSUM:
		return "bad checksum";
	case ACPI_E_UNMAPPED:
		return "not in accessible memory";
	case ACPI_E_MALFORMED:
		return "malformed structure";
	case ACPI_E_INVAL:
		return "invalid argument";
	case ACPI_E_NOT_FOUND:
		return "not found";
	case ACPI_E_OVERFLOW:
		return "too many entries for the caller's array";
	}
	return "unknown error";
}

u8 acpi_checksum_sum(const void *p, u64 len)
{
	const u8 *b = p;
	u8 sum = 0;

	while (len--)
		sum += *b++;
	return sum;
}

int acpi_checksum_ok(const void *p, u64 len)
{
	return acpi_checksum_sum(p, len) == 0;
}

int acpi_table_check(const struct acpi_sdt_header *h, u64 avail,
		     const char *sig)
{
	if (!h || avail < sizeof(*h))
		return ACPI_E_TRUNCATED;
	if (sig && !sig_eq(h->signature, sig))
		return ACPI_E_SIGNATURE;
	if (h->length < sizeof(*h))
		return ACPI_E_SHORT;
	if (h->length > avail)
		return ACPI_E_TRUNCATED;
	if (!acpi_checksum_ok(h, h->length))
		return ACPI_E_CHECKSUM;
	return ACPI_OK;
}

/* One line saying what is wrong with the table at pa, in the form the
 * operator greps for: "SIG at 0xPA: problem -- table skipped". */
static void report_bad(const char *name, u64 pa, int err,
		       const struct acpi_sdt_header *h, u64 avail,
		       const char *want)
{
	char sig[5], wsig[5];

	if (h)
		printable(sig, h->signature, 4);
	else
		printable(sig, name, 4);

	switch (err) {
	case ACPI_E_SIGNATURE:
		printable(wsig, want, 4);
		pr_err("%s at 0x%llx: signature '%s', expected '%s' -- table skipped\n",
		       sig, (unsigned long long)pa, sig, wsig);
		break;
	case ACPI_E_SHORT:
		pr_err("%s at 0x%llx: length %u smaller than the %u-byte header -- table skipped\n",
		       sig, (unsigned long long)pa, h->length,
		       (unsigned)sizeof(*h));
		break;
	case ACPI_E_TRUNCATED:
		pr_err("%s at 0x%llx: length %u runs past readable memory (%llu bytes) -- table skipped\n",
		       sig, (unsigned long long)pa, h ? h->length : 0,
		       (unsigned long long)avail);
		break;
	case ACPI_E_CHECKSUM:
		pr_err("%s at 0x%llx: checksum 0x%02x, bytes sum to 0x%02x, expected sum 0 -- table skipped\n",
		       sig, (unsigned long long)pa, h->checksum,
		       acpi_checksum_sum(h, h->length));
		break;
	default:
		pr_err("%s at 0x%llx: %s -- table skipped\n", sig,
		       (unsigned long long)pa, acpi_strerror(err));
	}
}

int acpi_map_table(const struct acpi_mem *mem, u64 pa, const char *sig,
		   const struct acpi_sdt_header **out)
{
	const struct acpi_sdt_header *h;
	const char *name = sig ? sig : "????";
	u32 len;
	int err;

	*out = NULL;
	if (pa == 0 || pa + sizeof(*h) < pa) {
		pr_err("%s at 0x%llx: bad address -- table skipped\n", name,
		       (unsigned long long)pa);
		return ACPI_E_UNMAPPED;
	}
	h = mem->map(mem->ctx, pa, sizeof(*h));
	if (!h) {
		pr_err("%s at 0x%llx: header not in accessible memory -- table skipped\n",
		       name, (unsigned long long)pa);
		return ACPI_E_UNMAPPED;
	}
	len = h->length;
	if (len < sizeof(*h)) {
		err = sig && !sig_eq(h->signature, sig) ? ACPI_E_SIGNATURE :
							   ACPI_E_SHORT;
		report_bad(name, pa, err, h, sizeof(*h), sig);
		return err;
	}
	/* Remap with the claimed length: map() refuses if it is a lie. */
	if (pa + len < pa || !mem->map(mem->ctx, pa, len)) {
		char s[5];

		printable(s, h->signature, 4);
		pr_err("%s at 0x%llx: length %u runs into inaccessible memory -- table skipped\n",
		       s, (unsigned long long)pa, len);
		return ACPI_E_TRUNCATED;
	}
	h = mem->map(mem->ctx, pa, len);
	err = acpi_table_check(h, len, sig);
	if (err) {
		report_bad(name, pa, err, h, len, sig);
		return err;
	}
	*out = h;
	return ACPI_OK;
}

static void log_table(const struct acpi_sdt_header *h, u64 pa)
{
	char sig[5], oem[7], oemt[9];

	printable(sig, h->signature, 4);
	printable(oem, h->oem_id, 6);
	printable(oemt, h->oem_table_id, 8);
	pr_info("%s 0x%llx len %u rev %u OEM %s %s\n", sig,
		(unsigned long long)pa, h->length, h->revision, oem, oemt);
}

/* Validates the RSDP (section 5.2.5.3): v1 checksum over 20 bytes, and for
 * revision >= 2 the extended checksum over Length. Returns the usable
 * revision: 2 if the v2 part is valid, 0 if only the v1 part is. */
static int check_rsdp(const struct acpi_mem *mem, u64 pa,
		      const struct acpi_rsdp **out)
{
	const struct acpi_rsdp *r;
	u32 len;

	r = mem->map(mem->ctx, pa, ACPI_RSDP_V1_LEN);
	if (!r) {
		pr_err("RSDP at 0x%llx: not in accessible memory\n",
		       (unsigned long long)pa);
		return ACPI_E_UNMAPPED;
	}
	if (!sig_eq(r->signature, "RSD ") || !sig_eq(r->signature + 4, "PTR ")) {
		pr_err("RSDP at 0x%llx: bad signature\n", (unsigned long long)pa);
		return ACPI_E_SIGNATURE;
	}
	if (!acpi_checksum_ok(r, ACPI_RSDP_V1_LEN)) {
		pr_err("RSDP at 0x%llx: checksum 0x%02x, first 20 bytes sum to 0x%02x, expected sum 0\n",
		       (unsigned long long)pa, r->checksum,
		       acpi_checksum_sum(r, ACPI_RSDP_V1_LEN));
		return ACPI_E_CHECKSUM;
	}
	*out = r;
	/* Revision 1 was never defined; treat anything below 2 as ACPI 1.0. */
	if (r->revision < 2)
		return 0;
	r = mem->map(mem->ctx, pa, sizeof(*r));
	if (!r) {
		pr_warn("RSDP at 0x%llx: revision %u but 36 bytes not accessible, using RSDT\n",
			(unsigned long long)pa, (*out)->revision);
		return 0;
	}
	len = r->length;
	if (len < sizeof(*r) || pa + len < pa || !mem->map(mem->ctx, pa, len)) {
		pr_warn("RSDP at 0x%llx: bad length %u, using RSDT\n",
			(unsigned long long)pa, len);
		return 0;
	}
	if (!acpi_checksum_ok(mem->map(mem->ctx, pa, len), len)) {
		pr_warn("RSDP at 0x%llx: extended checksum 0x%02x, %u bytes sum to 0x%02x, expected sum 0 -- using RSDT\n",
			(unsigned long long)pa, r->extended_checksum, len,
			acpi_checksum_sum(r, len));
		return 0;
	}
	*out = r;
	return 2;
}

/* Entry i of the root table: 8 bytes each in an XSDT, 4 in an RSDT. */
static u32 root_nentries(const struct acpi_sdt_header *root, bool xsdt)
{
	return (root->length - sizeof(*root)) / (xsdt ? 8 : 4);
}

static u64 root_entry(const struct acpi_sdt_header *root, bool xsdt, u32 i)
{
	const u8 *e = (const u8 *)root + sizeof(*root);

	return xsdt ? get_le64(e + 8 * i) : get_le32(e + 4 * i);
}

static int choose_root(const struct acpi_mem *mem, const struct acpi_rsdp *r,
		       int rev, struct acpi_tables *out)
{
	const struct acpi_sdt_header *h;
	u32 rem;

	if (rev >= 2 && r->xsdt_address) {
		if (acpi_map_table(mem, r->xsdt_address, "XSDT", &h) == 0) {
			out->root = h;
			out->root_pa = r->xsdt_address;
			out->xsdt = true;
			goto found;
		}
		pr_warn("XSDT unusable, falling back to the RSDT\n");
	}
	if (!r->rsdt_address) {
		pr_err("no usable XSDT and no RSDT -- no ACPI tables\n");
		return ACPI_E_NOT_FOUND;
	}
	if (acpi_map_table(mem, r->rsdt_address, "RSDT", &h)) {
		pr_err("no usable root table -- no ACPI tables\n");
		return ACPI_E_MALFORMED;
	}
	out->root = h;
	out->root_pa = r->rsdt_address;
	out->xsdt = false;
found:
	log_table(out->root, out->root_pa);
	rem = (h->length - sizeof(*h)) % (out->xsdt ? 8 : 4);
	if (rem)
		pr_warn("%s at 0x%llx: %u trailing bytes after the last entry ignored\n",
			out->xsdt ? "XSDT" : "RSDT",
			(unsigned long long)out->root_pa, rem);
	return 0;
}

struct known_table {
	char sig[5];		/* an array, not a pointer: no relocation */
	size_t hdr_off;		/* offsetof the pointer in acpi_tables */
	size_t pa_off;
};

#define KNOWN(s, field) \
	{ s, offsetof(struct acpi_tables, field), \
	  offsetof(struct acpi_tables, field##_pa) }

static const struct known_table known_tables[] = {
	KNOWN("APIC", madt),
	KNOWN("MCFG", mcfg),
	KNOWN("DMAR", dmar),
	KNOWN("FACP", fadt),
	KNOWN("HPET", hpet),
};

static void record_known(struct acpi_tables *t, const struct acpi_sdt_header *h,
			 u64 pa)
{
	const struct acpi_sdt_header **slot;
	u64 *slot_pa;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(known_tables); i++) {
		if (!sig_eq(h->signature, known_tables[i].sig))
			continue;
		slot = (const struct acpi_sdt_header **)((char *)t +
							  known_tables[i].hdr_off);
		slot_pa = (u64 *)((char *)t + known_tables[i].pa_off);
		if (*slot) {
			pr_warn("%s at 0x%llx: second %s table ignored, using the one at 0x%llx\n",
				known_tables[i].sig, (unsigned long long)pa,
				known_tables[i].sig,
				(unsigned long long)*slot_pa);
			return;
		}
		*slot = h;
		*slot_pa = pa;
		return;
	}
}

int acpi_scan(const struct acpi_mem *mem, u64 rsdp_pa, struct acpi_tables *out)
{
	const struct acpi_rsdp *r;
	const struct acpi_sdt_header *h;
	u32 i, n;
	u64 pa;
	int rev, err;

	memset(out, 0, sizeof(*out));
	if (!mem || !mem->map)
		return ACPI_E_INVAL;
	out->rsdp_pa = rsdp_pa;
	rev = check_rsdp(mem, rsdp_pa, &r);
	if (rev < 0)
		return rev;
	out->revision = r->revision;
	printable(out->oem_id, r->oem_id, 6);
	pr_info("RSDP 0x%llx rev %u OEM %s RSDT 0x%x XSDT 0x%llx\n",
		(unsigned long long)rsdp_pa, r->revision, out->oem_id,
		r->rsdt_address,
		(unsigned long long)(rev >= 2 ? r->xsdt_address : 0));

	err = choose_root(mem, r, rev, out);
	if (err)
		return err;

	n = root_nentries(out->root, out->xsdt);
	out->nentries = n;
	for (i = 0; i < n; i++) {
		pa = root_entry(out->root, out->xsdt, i);
		if (pa == 0) {
			pr_warn("%s entry %u is null -- skipped\n",
				out->xsdt ? "XSDT" : "RSDT", i);
			out->nbad++;
			continue;
		}
		if (acpi_map_table(mem, pa, NULL, &h)) {
			out->nbad++;
			continue;
		}
		out->ntables++;
		log_table(h, pa);
		record_known(out, h, pa);
	}
	pr_info("%u tables, %u bad\n", out->ntables, out->nbad);
	return 0;
}

int acpi_find_table(const struct acpi_mem *mem, const struct acpi_tables *t,
		    const char *sig, u32 n, const struct acpi_sdt_header **out,
		    u64 *pa)
{
	const struct acpi_sdt_header *h;
	u32 i, nent;
	u64 e;

	*out = NULL;
	if (!t->root)
		return ACPI_E_NOT_FOUND;
	nent = root_nentries(t->root, t->xsdt);
	for (i = 0; i < nent; i++) {
		e = root_entry(t->root, t->xsdt, i);
		if (!e)
			continue;
		h = mem->map(mem->ctx, e, sizeof(*h));
		if (!h || !sig_eq(h->signature, sig))
			continue;
		if (acpi_map_table(mem, e, sig, &h))
			continue;
		if (n-- == 0) {
			*out = h;
			if (pa)
				*pa = e;
			return 0;
		}
	}
	return ACPI_E_NOT_FOUND;
}

/* ---- ACPIDUMP ---------------------------------------------------------- */

/* End of the ACPI 1.0 FADT: everything up to and including Flags. */
#define FADT_V1_LEN (FADT_FLAGS_OFF + 4)

/* DSDT and FACS addresses of a FADT at least FADT_V1_LEN long: the 64-bit
 * X_ fields (ACPI 2.0+) win when present and non-zero (5.2.9). */
static void fadt_pointers(const struct acpi_sdt_header *fadt,
			  struct fadt_info *info)
{
	const u8 *b = (const u8 *)fadt;
	u64 v;

	info->dsdt_pa = get_le32(b + FADT_DSDT_OFF);
	info->facs_pa = get_le32(b + FADT_FIRMWARE_CTRL_OFF);
	if (fadt->length >= FADT_X_DSDT_OFF + 8 &&
	    (v = get_le64(b + FADT_X_DSDT_OFF)))
		info->dsdt_pa = v;
	if (fadt->length >= FADT_X_FIRMWARE_CTRL_OFF + 8 &&
	    (v = get_le64(b + FADT_X_FIRMWARE_CTRL_OFF)))
		info->facs_pa = v;
}

#define DUMP_LINE 32

void acpi_dump_table(const char *sig, u64 pa, const void *p, u64 len)
{
	static const char hex[] = "0123456789abcdef";
	char line[2 * DUMP_LINE + 1], s[5];
	const u8 *b = p;
	u64 off, i;
	int k;

	/* The format needs exactly 4 characters: pad what was trimmed. */
	printable(s, sig, 4);
	for (k = 0; k < 4 && s[k]; k++)
		;
	for (; k < 4; k++)
		s[k] = '?';
	s[4] = '\0';
	for (off = 0; off < len; off += DUMP_LINE) {
		k = 0;
		for (i = off; i < len && i < off + DUMP_LINE; i++) {
			line[k++] = hex[b[i] >> 4];
			line[k++] = hex[b[i] & 15];
		}
		line[k] = '\0';
		pr_info("ACPIDUMP %s %llx %llx: %s\n", s,
			(unsigned long long)pa, (unsigned long long)off, line);
	}
}

static void dump_pa(const struct acpi_mem *mem, const char *sig, u64 pa)
{
	const struct acpi_sdt_header *h;

	if (!pa)
		return;
	/* FACS has a length but no checksum (section 5.2.10). */
	if (sig && sig_eq(sig, "FACS")) {
		const u8 *f = mem->map(mem->ctx, pa, 8);
		u32 len = f ? get_le32(f + 4) : 0;

		f = len >= 8 ? mem->map(mem->ctx, pa, len) : NULL;
		if (f)
			acpi_dump_table("FACS", pa, f, len);
		return;
	}
	if (acpi_map_table(mem, pa, sig, &h) == 0)
		acpi_dump_table(h->signature, pa, h, h->length);
}

void acpi_dump_all(const struct acpi_mem *mem, const struct acpi_tables *t)
{
	const struct acpi_rsdp *r, *r2;
	const void *full;
	struct fadt_info fi;
	u32 i, n;

	r = mem->map(mem->ctx, t->rsdp_pa, ACPI_RSDP_V1_LEN);
	if (!r || !t->root)
		return;
	r2 = r->revision >= 2 ? mem->map(mem->ctx, t->rsdp_pa, sizeof(*r)) :
				NULL;
	full = r2 && r2->length >= sizeof(*r2) ?
		       mem->map(mem->ctx, t->rsdp_pa, r2->length) : NULL;
	if (full)
		acpi_dump_table("RSDP", t->rsdp_pa, full, r2->length);
	else
		acpi_dump_table("RSDP", t->rsdp_pa, r, ACPI_RSDP_V1_LEN);
	/* Both root tables when both exist: firmware bugs hide in the
	 * differences. */
	if (t->xsdt && r->rsdt_address)
		dump_pa(mem, "RSDT", r->rsdt_address);
	acpi_dump_table(t->root->signature, t->root_pa, t->root,
			t->root->length);
	n = root_nentries(t->root, t->xsdt);
	for (i = 0; i < n; i++)
		dump_pa(mem, NULL, root_entry(t->root, t->xsdt, i));
	if (t->fadt && t->fadt->length >= FADT_V1_LEN) {
		fadt_pointers(t->fadt, &fi);
		dump_pa(mem, "DSDT", fi.dsdt_pa);
		dump_pa(mem, "FACS", fi.facs_pa);
	}
}

/* ---- MADT (section 5.2.12) --------------------------------------------- */

/* Minimum length of each handled structure type (Table 5.21 and the
 * structure sections). Longer entries are accepted: later revisions may
 * append fields, and the known prefix keeps its meaning. */
static u8 madt_min_len(u8 type)
{
	switch (type) {
	case MADT_TYPE_LAPIC:
		return 8;
	case MADT_TYPE_IOAPIC:
		return 12;
	case MADT_TYPE_ISO:
		return 10;
	case MADT_TYPE_NMI_SOURCE:
		return 8;
	case MADT_TYPE_LAPIC_NMI:
		return 6;
	case MADT_TYPE_LAPIC_OVERRIDE:
		return 12;
	case MADT_TYPE_X2APIC:
		return 16;
	case MADT_TYPE_X2APIC_NMI:
		return 12;
	}
	return 2;
}

static const char *madt_type_name(u8 type)
{
	switch (type) {
	case MADT_TYPE_LAPIC:
		return "local APIC";
	case MADT_TYPE_IOAPIC:
		return "IOAPIC";
	case MADT_TYPE_ISO:
		return "interrupt source override";
	case MADT_TYPE_NMI_SOURCE:
		return "NMI source";
	case MADT_TYPE_LAPIC_NMI:
		return "local APIC NMI";
	case MADT_TYPE_LAPIC_OVERRIDE:
		return "local APIC address override";
	case MADT_TYPE_X2APIC:
		return "x2APIC";
	case MADT_TYPE_X2APIC_NMI:
		return "x2APIC NMI";
	}
	return "unknown";
}

/*
 * Walks the interrupt controller structures. Calls fn for every entry that
 * is long enough for its type; returns ACPI_E_MALFORMED at the first entry
 * whose length is < 2 or runs past the table (nothing after it can be
 * located).
 */
struct madt_walk {
	const struct acpi_sdt_header *madt;
	struct madt_info *info;
	struct madt_cpu *cpus;
	u32 max_cpus;
	struct madt_ioapic *ioapics;
	u32 max_ioapics;
	u32 pass;
	bool report;		/* log problems (first pass only) */
};

static int madt_walk(struct madt_walk *w,
		     void (*fn)(struct madt_walk *w, const u8 *e, u8 type))
{
	const u8 *base = (const u8 *)w->madt;
	u32 len = w->madt->length, off = MADT_ENTRIES_OFF;
	u8 type, elen;

	while (off < len) {
		if (len - off < 2) {
			if (w->report)
				pr_err("APIC: lying entry length: %u stray bytes at offset %u -- rest of table ignored\n",
				       len - off, off);
			return ACPI_E_MALFORMED;
		}
		type = base[off];
		elen = base[off + 1];
		if (elen < 2 || elen > len - off) {
			if (w->report)
				pr_err("APIC: lying entry length %u (type %u at offset %u, table length %u) -- rest of table ignored\n",
				       elen, type, off, len);
			return ACPI_E_MALFORMED;
		}
		if (elen < madt_min_len(type)) {
			if (w->report) {
				pr_err("APIC: %s entry at offset %u has length %u, needs %u -- entry skipped\n",
				       madt_type_name(type), off, elen,
				       madt_min_len(type));
				w->info->nskipped++;
			}
		} else {
			fn(w, base + off, type);
		}
		off += elen;
	}
	return 0;
}

static bool cpu_stored(const struct madt_walk *w, u32 apic_id)
{
	u32 i;

	for (i = 0; i < w->info->ncpus_stored; i++)
		if (w->cpus[i].apic_id == apic_id)
			return true;
	return false;
}

/*
 * Pass 0 stores enabled CPUs, pass 1 disabled ones; both passes count
 * their own kind, so every CPU entry is counted exactly once.
 */
static void madt_cpu_entry(struct madt_walk *w, const u8 *e, u8 type)
{
	struct madt_info *info = w->info;
	struct madt_cpu c = { 0 };
	u32 flags;

	if (type == MADT_TYPE_LAPIC) {
		c.acpi_uid = e[2];
		c.apic_id = e[3];
		flags = get_le32(e + 4);
	} else if (type == MADT_TYPE_X2APIC) {
		c.apic_id = get_le32(e + 4);
		flags = get_le32(e + 8);
		c.acpi_uid = get_le32(e + 12);
		c.x2apic = true;
	} else {
		return;
	}
	c.enabled = flags & MADT_LAPIC_ENABLED;
	/* Online Capable is only meaningful when Enabled is clear (5.2.12.2). */
	c.online_capable = !c.enabled && (flags & MADT_LAPIC_ONLINE_CAPABLE);
	if (c.enabled != (w->pass == 0))
		return;
	/* Firmware lists sockets it could hold as disabled entries with the
	 * all-ones id or one id repeated, often many of them: normal, summed
	 * up in one line. */
	if (!c.enabled && (cpu_stored(w, c.apic_id) ||
			   c.apic_id == (c.x2apic ? MADT_X2APIC_ID_NONE :
						    MADT_LAPIC_ID_NONE))) {
		info->nplaceholders++;
		return;
	}

	/* x2APIC entries may repeat a CPU also listed as a local APIC; one
	 * CPU must not be started twice. */
	if (cpu_stored(w, c.apic_id)) {
		pr_warn("APIC: CPU with APIC ID %u (UID %u) listed twice -- duplicate ignored\n",
			c.apic_id, c.acpi_uid);
		info->nskipped++;
		return;
	}
	info->ncpus_listed++;
	if (c.enabled)
		info->ncpus++;
	if (info->ncpus_stored < w->max_cpus)
		w->cpus[info->ncpus_stored++] = c;
}

static void madt_apply_nmi(struct madt_walk *w, u32 uid, bool all, u16 flags,
			   u8 lint)
{
	u32 i;
	bool hit = all;

	w->info->nnmi++;
	if (lint > 1)
		pr_warn("APIC: NMI on LINT%u (only LINT0/1 exist) for UID %u -- ignored\n",
			lint, uid);
	for (i = 0; lint <= 1 && i < w->info->ncpus_stored; i++) {
		if (!all && w->cpus[i].acpi_uid != uid)
			continue;
		w->cpus[i].has_nmi = true;
		w->cpus[i].nmi_lint = lint;
		w->cpus[i].nmi_flags = flags;
		hit = true;
	}
	/* Usually the NMI entry of a placeholder CPU: counted, one line. */
	if (!hit && lint <= 1)
		w->info->nnmi_orphan++;
}

static void madt_iso(struct madt_walk *w, const u8 *e)
{
	struct madt_info *info = w->info;
	u8 bus = e[2], src = e[3];
	u32 gsi = get_le32(e + 4);
	u16 flags = get_le16(e + 8);

	/* Bus 0 is ISA, the only bus defined (5.2.12.5, Table 5.25). */
	if (bus != 0 || src >= MADT_ISA_IRQS) {
		pr_warn("APIC: interrupt override for bus %u IRQ %u (not ISA 0-15) -- ignored\n",
			bus, src);
		info->nskipped++;
		return;
	}
	if (info->isa[src].overridden) {
		pr_warn("APIC: second override for ISA IRQ %u (GSI %u) -- ignored, keeping GSI %u\n",
			src, gsi, info->isa[src].gsi);
		info->nskipped++;
		return;
	}
	info->isa[src].gsi = gsi;
	info->isa[src].flags = flags;
	info->isa[src].overridden = true;
	info->niso++;
}

/* Pass 2: everything except CPUs and NMIs. */
static void madt_other_entry(struct madt_walk *w, const u8 *e, u8 type)
{
	struct madt_info *info = w->info;
	struct madt_ioapic io;

	switch (type) {
	case MADT_TYPE_IOAPIC:
		io.id = e[2];
		io.addr = get_le32(e + 4);
		io.gsi_base = get_le32(e + 8);
		info->nioapics++;
		if (info->nioapics_stored < w->max_ioapics)
			w->ioapics[info->nioapics_stored++] = io;
		break;
	case MADT_TYPE_ISO:
		madt_iso(w, e);
		break;
	case MADT_TYPE_LAPIC_OVERRIDE:
		/* 5.2.12.8: when present, the 64-bit address is the one to
		 * use. */
		info->lapic_addr = get_le64(e + 4);
		break;
	}
}

/* Pass 3: NMI entries, applied to the CPUs now stored whatever the order
 * of entries in the table. */
static void madt_nmi_entry(struct madt_walk *w, const u8 *e, u8 type)
{
	u32 uid;

	if (type == MADT_TYPE_LAPIC_NMI) {
		uid = e[2];
		madt_apply_nmi(w, uid, uid == MADT_UID_ALL_LAPIC,
			       get_le16(e + 3), e[5]);
	} else if (type == MADT_TYPE_X2APIC_NMI) {
		uid = get_le32(e + 4);
		madt_apply_nmi(w, uid, uid == MADT_UID_ALL_X2APIC,
			       get_le16(e + 2), e[8]);
	}
}

int madt_parse(const struct acpi_sdt_header *madt, struct madt_info *info,
	       struct madt_cpu *cpus, u32 max_cpus,
	       struct madt_ioapic *ioapics, u32 max_ioapics)
{
	struct madt_walk w = {
		.madt = madt, .info = info, .cpus = cpus, .max_cpus = max_cpus,
		.ioapics = ioapics, .max_ioapics = max_ioapics,
	};
	const u8 *b = (const u8 *)madt;
	u32 stored_enabled;
	u32 i;
	int err, e2;

	if (!madt || !info || (max_cpus && !cpus) || (max_ioapics && !ioapics))
		return ACPI_E_INVAL;
	memset(info, 0, sizeof(*info));
	for (i = 0; i < MADT_ISA_IRQS; i++)
		info->isa[i].gsi = i;
	if (madt->length < MADT_ENTRIES_OFF) {
		pr_err("APIC: length %u, needs at least %u -- table skipped\n",
		       madt->length, MADT_ENTRIES_OFF);
		return ACPI_E_SHORT;
	}
	info->lapic_addr = get_le32(b + MADT_LAPIC_ADDR_OFF);
	info->flags = get_le32(b + MADT_FLAGS_OFF);

	/* The walk stops at the same place in every pass; report once. */
	w.report = true;
	w.pass = 0;
	err = madt_walk(&w, madt_cpu_entry);
	w.report = false;
	stored_enabled = info->ncpus_stored;
	w.pass = 1;
	madt_walk(&w, madt_cpu_entry);
	madt_walk(&w, madt_other_entry);
	e2 = madt_walk(&w, madt_nmi_entry);
	if (!err)
		err = e2;

	/* An array of size 0 means "count only": nothing to report. */
	if (max_cpus && info->ncpus_listed > info->ncpus_stored) {
		u32 lost_enabled = info->ncpus - MIN(info->ncpus, stored_enabled);

		pr_err("APIC: %u CPUs listed (%u enabled), room for %u: %u ignored (%u of them enabled)\n",
		       info->ncpus_listed, info->ncpus, max_cpus,
		       info->ncpus_listed - info->ncpus_stored, lost_enabled);
	}
	if (info->nnmi_orphan)
		pr_info("APIC: %u NMI entries name no listed CPU (placeholder CPUs) -- ignored\n",
			info->nnmi_orphan);
	if (info->nplaceholders)
		pr_info("APIC: %u disabled placeholder CPU entries (all-ones or repeated APIC id) ignored\n",
			info->nplaceholders);
	if (max_ioapics && info->nioapics > info->nioapics_stored)
		pr_err("APIC: %u IOAPICs listed, room for %u: %u ignored\n",
		       info->nioapics, max_ioapics,
		       info->nioapics - info->nioapics_stored);
	if (info->lapic_addr == 0) {
		pr_err("APIC: local APIC address is 0\n");
		if (!err)
			err = ACPI_E_MALFORMED;
	}
	pr_info("APIC: LAPIC 0x%llx, %u CPUs enabled (%u listed), %u IOAPICs, %u overrides, %u NMI entries%s\n",
		(unsigned long long)info->lapic_addr, info->ncpus,
		info->ncpus_listed, info->nioapics, info->niso, info->nnmi,
		info->flags & MADT_FLAG_PCAT_COMPAT ? ", 8259 present" : "");
	return err;
}

/* ---- MCFG (PCI Firmware Specification 3.3, section 4.1.2) -------------- */

int mcfg_parse(const struct acpi_sdt_header *mcfg, struct mcfg_entry *out,
	       u32 max, u32 *count)
{
	const u8 *b = (const u8 *)mcfg;
	struct mcfg_entry e;
	u32 len, n, i, valid = 0;
	const u8 *p;

	if (!mcfg || !count || (max && !out))
		return ACPI_E_INVAL;
	*count = 0;
	len = mcfg->length;
	if (len < MCFG_ENTRIES_OFF ||
	    (len - MCFG_ENTRIES_OFF) % MCFG_ENTRY_LEN) {
		pr_err("MCFG: length %u is not 44 + n*16 -- table skipped\n",
		       len);
		return ACPI_E_MALFORMED;
	}
	n = (len - MCFG_ENTRIES_OFF) / MCFG_ENTRY_LEN;
	for (i = 0; i < n; i++) {
		p = b + MCFG_ENTRIES_OFF + i * MCFG_ENTRY_LEN;
		e.base = get_le64(p);
		e.segment = get_le16(p + 8);
		e.start_bus = p[10];
		e.end_bus = p[11];
		if (e.base == 0 || e.start_bus > e.end_bus ||
		    e.base + (((u64)e.end_bus + 1) << 20) < e.base) {
			pr_err("MCFG: entry %u: base 0x%llx segment %u buses %02x-%02x invalid -- entry skipped\n",
			       i, (unsigned long long)e.base, e.segment,
			       e.start_bus, e.end_bus);
			continue;
		}
		if (!IS_ALIGNED(e.base, 1ull << 20))
			pr_warn("MCFG: entry %u: base 0x%llx not 1 MiB aligned\n",
				i, (unsigned long long)e.base);
		pr_info("MCFG: ECAM 0x%llx segment %u buses %02x-%02x\n",
			(unsigned long long)e.base, e.segment, e.start_bus,
			e.end_bus);
		if (valid < max)
			out[valid] = e;
		valid++;
	}
	if (valid > max)
		pr_err("MCFG: %u ECAM windows, room for %u: %u ignored\n",
		       valid, max, valid - max);
	*count = MIN(valid, max);
	return 0;
}

/* ---- FADT (section 5.2.9) ---------------------------------------------- */

static bool fadt_has(const struct acpi_sdt_header *h, u32 off, u32 size)
{
	return h->length >= off + size;
}

int fadt_parse(const struct acpi_sdt_header *fadt, struct fadt_info *info)
{
	const u8 *b = (const u8 *)fadt;
	struct acpi_gas x;

	if (!fadt || !info)
		return ACPI_E_INVAL;
	memset(info, 0, sizeof(*info));
	if (fadt->length < FADT_V1_LEN) {
		pr_err("FACP: length %u, needs at least %u -- table skipped\n",
		       fadt->length, FADT_V1_LEN);
		return ACPI_E_SHORT;
	}
	info->revision = fadt->revision;
	info->flags = get_le32(b + FADT_FLAGS_OFF);
	info->sci_int = get_le16(b + FADT_SCI_INT_OFF);
	fadt_pointers(fadt, info);
	if (fadt_has(fadt, FADT_MINOR_VERSION_OFF, 1))
		info->minor_version = b[FADT_MINOR_VERSION_OFF] & 0xf;

	/* Revision 1 (ACPI 1.0) had reserved bytes where 2.0 put
	 * IAPC_BOOT_ARCH and the reset register. */
	if (fadt->revision >= 2) {
		info->iapc_boot_arch = get_le16(b + FADT_IAPC_BOOT_ARCH_OFF);
		if (fadt_has(fadt, FADT_RESET_VALUE_OFF, 1)) {
			get_gas(b + FADT_RESET_REG_OFF, &info->reset_reg);
			info->reset_value = b[FADT_RESET_VALUE_OFF];
			info->has_reset =
				(info->flags & FADT_F_RESET_REG_SUP) &&
				info->reset_reg.address != 0;
		}
	}

	info->pm_tmr_len = b[FADT_PM_TMR_LEN_OFF];
	info->pm_tmr_32bit = info->flags & FADT_F_TMR_VAL_EXT;
	if (fadt_has(fadt, FADT_X_PM_TMR_BLK_OFF, sizeof(x))) {
		get_gas(b + FADT_X_PM_TMR_BLK_OFF, &x);
		if (x.address && x.space_id == ACPI_GAS_IO &&
		    x.address <= 0xffff) {
			info->pm_tmr_port = (u32)x.address;
			info->has_pm_tmr = true;
		} else if (x.address && x.space_id == ACPI_GAS_MEMORY) {
			info->pm_tmr_mmio = x.address;
			info->has_pm_tmr = true;
		} else if (x.address) {
			pr_warn("FACP: X_PM_TMR_BLK space %u address 0x%llx unusable, trying PM_TMR_BLK\n",
				x.space_id, (unsigned long long)x.address);
		}
	}
	if (!info->has_pm_tmr) {
		info->pm_tmr_port = get_le32(b + FADT_PM_TMR_BLK_OFF);
		if (info->pm_tmr_port > 0xffff) {
			pr_warn("FACP: PM_TMR_BLK 0x%x is not an I/O port -- no PM timer\n",
				info->pm_tmr_port);
			info->pm_tmr_port = 0;
		}
		info->has_pm_tmr = info->pm_tmr_port != 0;
	}
	/* 5.2.9: PM_TMR_LEN is 4 when the timer is supported. */
	if (info->has_pm_tmr && info->pm_tmr_len != 4)
		pr_warn("FACP: PM_TMR_LEN %u (expected 4)\n", info->pm_tmr_len);
	if (info->flags & FADT_F_HW_REDUCED_ACPI)
		pr_info("FACP: hardware-reduced ACPI\n");
	pr_info("FACP: rev %u.%u PM timer %s 0x%llx (%u-bit), reset %s 0x%llx value 0x%02x, boot arch 0x%x\n",
		info->revision, info->minor_version,
		info->pm_tmr_mmio ? "mmio" : "port",
		(unsigned long long)(info->pm_tmr_mmio ? info->pm_tmr_mmio :
							 info->pm_tmr_port),
		info->pm_tmr_32bit ? 32 : 24,
		info->has_reset ? (info->reset_reg.space_id == ACPI_GAS_IO ?
					   "port" : "reg") : "none",
		(unsigned long long)info->reset_reg.address, info->reset_value,
		info->iapc_boot_arch);
	return 0;
}

/* ---- HPET (IA-PC HPET Specification 1.0a, section 3.2.4) --------------- */

int hpet_parse(const struct acpi_sdt_header *hpet, struct hpet_info *info)
{
	const u8 *b = (const u8 *)hpet;
	struct acpi_gas g;

	if (!hpet || !info)
		return ACPI_E_INVAL;
	memset(info, 0, sizeof(*info));
	if (hpet->length < HPET_TABLE_LEN) {
		pr_err("HPET: length %u, needs %u -- table skipped\n",
		       hpet->length, HPET_TABLE_LEN);
		return ACPI_E_SHORT;
	}
	get_gas(b + HPET_BASE_OFF, &g);
	info->event_timer_block_id = get_le32(b + HPET_BLOCK_ID_OFF);
	info->hpet_number = b[HPET_NUMBER_OFF];
	info->min_tick = get_le16(b + HPET_MIN_TICK_OFF);
	info->page_protection = b[HPET_PAGE_PROT_OFF];
	if (g.space_id != ACPI_GAS_MEMORY || g.address == 0) {
		pr_err("HPET: base address space %u address 0x%llx, needs system memory -- table skipped\n",
		       g.space_id, (unsigned long long)g.address);
		return ACPI_E_MALFORMED;
	}
	/* The register block is 1 KiB (HPET spec 2.3.1). */
	if (!IS_ALIGNED(g.address, 1024))
		pr_warn("HPET: base 0x%llx not 1 KiB aligned\n",
			(unsigned long long)g.address);
	info->base = g.address;
	pr_info("HPET: %u at 0x%llx, block id 0x%08x, min tick %u\n",
		info->hpet_number, (unsigned long long)info->base,
		info->event_timer_block_id, info->min_tick);
	return 0;
}

u8 acpi_dmar_flags(const struct acpi_sdt_header *dmar)
{
	if (!dmar || dmar->length <= DMAR_FLAGS_OFF)
		return 0;
	return ((const u8 *)dmar)[DMAR_FLAGS_OFF];
}
