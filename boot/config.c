/* SPDX-License-Identifier: MIT */
/*
 * The \hv.cfg parser. The format is described in docs/config.md.
 *
 * It runs in the boot stub on bytes straight off the ESP, so it trusts
 * nothing: the buffer is not terminated, a line is length-checked before it
 * is copied, every number is range-checked, and a value too long for its
 * field is an error rather than silently cut.
 *
 * It carries on after an error, so that one boot (a slow one, on real
 * hardware) shows every mistake in the file at once. A section it cannot
 * keep (a duplicate, a ninth guest, a bad header) is still parsed, into a
 * scratch guest that is thrown away, so its lines get checked too.
 */
#include "boot/config.h"
#include "lib/format.h"
#include "lib/hv_abi.h"
#include "lib/log_names.h"
#include "lib/string.h"

#define LINE_MAX_LEN 511	/* bytes, without the line ending */
#define CLIP 32			/* longest piece of the file quoted in a message */

#define MAX_CPUS 1024		/* sanity bound for the global cpus = */
#define MAX_VCPUS 8
#define MAX_RESTARTS CFG_MAX_RESTARTS
#define MAX_VF_INDEX 63		/* igb has 8 VFs, but the PF driver may grow */
#define MIN_GUEST_MEMORY HV_GUEST_MIN_MEMORY
#define MAX_GUEST_MEMORY (64ull << 30)

struct parser;

/*
 * Keys, indexed so that parser.seen[] can tell a repeated key. "cpus" is in
 * the table twice: the global one limits the host CPUs, the guest one sets
 * the vCPUs.
 */
enum key_index {
	K_LOG_LEVEL, K_SELFTEST, K_DEBUG_EXIT, K_ACPI_DUMP, K_MAX_CPUS,
	K_INJECT, K_IMAGE, K_KERNEL, K_INITRD, K_MEMORY, K_VCPUS, K_DEVICE,
	K_CMDLINE, K_RESTART, NKEYS
};

struct key {
	const char *name;
	bool guest;	/* belongs in a [guest] section, else above them */
	bool repeat;	/* may be given more than once in a section */
	void (*parse)(struct parser *p, const char *val);
};

struct parser {
	struct hv_config *cfg;
	struct cfg_error *errs;
	u32 max_errs;
	u32 nerrs;
	u32 line;
	const char *key;	/* the line being parsed, as written */
	const char *val;
	bool in_guest;		/* past the first section header */
	struct cfg_guest *guest;	/* the section's guest, maybe &scratch */
	u32 *dev_lines;		/* where guest->devices[i] were given */
	u32 none_line;		/* where 'device = none' was given, or 0 */
	u32 seen[NKEYS];	/* line where each key was given, or 0 */
	struct cfg_guest scratch;
	u32 scratch_dev_lines[CFG_MAX_DEVICES];
	u32 dev_lines_all[CFG_MAX_GUESTS][CFG_MAX_DEVICES];
};

/* ---- messages ---------------------------------------------------------- */

static void __printf(3, 4) error_at(struct parser *p, u32 line,
				    const char *fmt, ...)
{
	va_list ap;

	if (p->nerrs < p->max_errs) {
		struct cfg_error *e = &p->errs[p->nerrs];

		e->line = line;
		va_start(ap, fmt);
		fmt_vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
		va_end(ap);
	}
	if (p->nerrs < 0xffffffffu)
		p->nerrs++;
}

/*
 * A copy of s short enough to quote in a message, which must still have
 * room for the explanation.
 */
static const char *clip(char buf[CLIP + 1], const char *s)
{
	size_t n = strnlen(s, CLIP + 1);

	if (n <= CLIP) {
		memcpy(buf, s, n);
		buf[n] = '\0';
	} else {
		memcpy(buf, s, CLIP - 3);
		memcpy(buf + CLIP - 3, "...", 4);
	}
	return buf;
}

/* "key = value: <why>", quoting the current line. */
static void __printf(2, 3) bad_value(struct parser *p, const char *fmt, ...)
{
	char why[sizeof(p->errs->msg)], k[CLIP + 1], v[CLIP + 1];
	va_list ap;

	va_start(ap, fmt);
	fmt_vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	error_at(p, p->line, "%s = %s: %s", clip(k, p->key), clip(v, p->val),
		 why);
}

/* ---- small helpers ----------------------------------------------------- */

static char *skip_ws(const char *s)
{
	while (lib_isspace(*s))
		s++;
	return (char *)s;
}

static void trim_end(char *s)
{
	size_t n = strlen(s);

	while (n && lib_isspace(s[n - 1]))
		s[--n] = '\0';
}

/* Keys and keywords are case-insensitive. */
static bool str_ieq(const char *a, const char *b)
{
	while (*a && lib_tolower(*a) == lib_tolower(*b)) {
		a++;
		b++;
	}
	return lib_tolower(*a) == lib_tolower(*b);
}

/* s[0..n) equals word, ignoring case. */
static bool word_is(const char *s, size_t n, const char *word)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!word[i] || lib_tolower(s[i]) != lib_tolower(word[i]))
			return false;
	return !word[n];
}

/*
 * A comment starts with '#' or ';' at the start of the line or after
 * whitespace, so that "cmdline = a#b" keeps its '#'.
 */
static char *find_comment(char *s)
{
	size_t i;

	for (i = 0; s[i]; i++)
		if ((s[i] == '#' || s[i] == ';') &&
		    (i == 0 || lib_isspace(s[i - 1])))
			return s + i;
	return NULL;
}

static int digit_value(char c, unsigned int base)
{
	if (base == 16)
		return lib_hexval(c);
	return lib_isdigit(c) ? c - '0' : -1;
}

/*
 * Decimal, or hex after 0x. Advances *sp past what it used; reports
 * overflow only after consuming every digit, so the caller sees where the
 * number ends either way.
 */
static int parse_number(const char **sp, u64 *out)
{
	const char *s = *sp;
	unsigned int base = 10;
	bool any = false, overflow = false;
	u64 v = 0;
	int d;

	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X') && lib_isxdigit(s[2])) {
		base = 16;
		s += 2;
	}
	for (; (d = digit_value(*s, base)) >= 0; s++) {
		any = true;
		if (v > (~0ull - d) / base)
			overflow = true;
		else
			v = v * base + d;
	}
	*sp = s;
	if (!any)
		return CFG_SIZE_EINVAL;
	if (overflow)
		return CFG_SIZE_ERANGE;
	*out = v;
	return CFG_SIZE_OK;
}

/* A whole value that must be just a number, at most max. */
static bool parse_uint(const char *s, u64 max, u64 *out)
{
	u64 v;

	if (parse_number(&s, &v) != CFG_SIZE_OK || *s || v > max)
		return false;
	*out = v;
	return true;
}

/* As config_parse_size(), also saying where the suffix starts. */
static int parse_size(const char *s, u64 *out, const char **suffix)
{
	unsigned int shift = 0;
	int ret;
	u64 v;

	s = skip_ws(s);
	ret = parse_number(&s, &v);
	if (ret == CFG_SIZE_EINVAL)
		return ret;
	s = skip_ws(s);
	*suffix = s;
	if (*s) {
		switch (lib_tolower(*s)) {
		case 'k':
			shift = 10;
			break;
		case 'm':
			shift = 20;
			break;
		case 'g':
			shift = 30;
			break;
		default:
			return CFG_SIZE_ESUFFIX;
		}
		if (*skip_ws(s + 1))
			return CFG_SIZE_ESUFFIX;
	}
	if (ret != CFG_SIZE_OK)
		return ret;
	if (v > (~0ull >> shift))
		return CFG_SIZE_ERANGE;
	*out = v << shift;
	return CFG_SIZE_OK;
}

int config_parse_size(const char *s, u64 *out)
{
	const char *suffix;

	return parse_size(s, out, &suffix);
}

static bool parse_bool(struct parser *p, const char *val, bool *out)
{
	static const char *const yes[] = { "on", "yes", "true", "1" };
	static const char *const no[] = { "off", "no", "false", "0" };
	size_t i;

	for (i = 0; i < ARRAY_SIZE(yes); i++) {
		if (str_ieq(val, yes[i])) {
			*out = true;
			return true;
		}
		if (str_ieq(val, no[i])) {
			*out = false;
			return true;
		}
	}
	bad_value(p, "expected on or off (or yes/no, true/false, 1/0)");
	return false;
}

/* ---- global keys ------------------------------------------------------- */

static void key_log_level(struct parser *p, const char *val)
{
	/* Index = enum log_level; the second column takes common variants. */
	static const char *const names[][2] = {
		{ "error", "err" },
		{ "warn", "warning" },
		{ "info", "info" },
		{ "debug", "debug" },
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(names); i++) {
		if (str_ieq(val, names[i][0]) || str_ieq(val, names[i][1])) {
			p->cfg->log_level = i;
			return;
		}
	}
	bad_value(p, "expected error, warn, info or debug");
}

static void key_selftest(struct parser *p, const char *val)
{
	parse_bool(p, val, &p->cfg->selftest);
}

static void key_acpi_dump(struct parser *p, const char *val)
{
	parse_bool(p, val, &p->cfg->acpi_dump);
}

static void key_debug_exit(struct parser *p, const char *val)
{
	u64 port;

	if (str_ieq(val, "off") || str_ieq(val, "no") ||
	    str_ieq(val, "false") || str_ieq(val, "none")) {
		p->cfg->debug_exit_port = 0;
		return;
	}
	if (!parse_uint(val, 0xffff, &port)) {
		bad_value(p, "expected an I/O port from 0x1 to 0xffff, or off");
		return;
	}
	p->cfg->debug_exit_port = port;
}

static void key_max_cpus(struct parser *p, const char *val)
{
	u64 n;

	if (str_ieq(val, "all")) {
		p->cfg->max_cpus = 0;
		return;
	}
	if (!parse_uint(val, MAX_CPUS, &n)) {
		bad_value(p, "expected a CPU count from 1 to %d, or all",
			  MAX_CPUS);
		return;
	}
	p->cfg->max_cpus = n;
}

static bool parse_inject(struct parser *p, const char *val,
			 struct cfg_inject *inj)
{
	const char *colon = strchr(val, ':'), *arg;
	size_t n, i;
	u64 cpu;

	if (!colon) {
		bad_value(p, "expected ap-no-start:CPU, acpi-corrupt:SIG or fault:CPU");
		return false;
	}
	for (n = colon - val; n && lib_isspace(val[n - 1]); n--)
		;
	arg = skip_ws(colon + 1);

	if (word_is(val, n, "ap-no-start")) {
		if (!parse_uint(arg, 0xffffffffu, &cpu)) {
			bad_value(p, "expected a CPU index after ap-no-start:");
			return false;
		}
		inj->kind = CFG_INJECT_AP_NO_START;
		inj->arg = cpu;
		return true;
	}
	if (word_is(val, n, "fault")) {
		if (!parse_uint(arg, 0xffffffffu, &cpu)) {
			bad_value(p, "expected a CPU index after fault:");
			return false;
		}
		inj->kind = CFG_INJECT_FAULT;
		inj->arg = cpu;
		return true;
	}
	if (word_is(val, n, "acpi-corrupt")) {
		for (i = 0; i < 4; i++)
			if (!lib_isalnum(arg[i]) && arg[i] != '_')
				break;
		if (i < 4 || arg[4]) {
			bad_value(p, "expected a 4-letter table signature such as APIC after acpi-corrupt:");
			return false;
		}
		inj->kind = CFG_INJECT_ACPI_CORRUPT;
		for (i = 0; i < 4; i++)
			inj->sig[i] = lib_toupper(arg[i]);
		inj->sig[4] = '\0';
		return true;
	}
	bad_value(p, "unknown fault '%.*s' (use ap-no-start, acpi-corrupt or fault)",
		  (int)MIN(n, (size_t)CLIP), val);
	return false;
}

bool config_injects(const struct hv_config *cfg, u8 kind, u32 arg)
{
	u32 i;

	for (i = 0; i < cfg->ninject; i++)
		if (cfg->inject[i].kind == kind && cfg->inject[i].arg == arg)
			return true;
	return false;
}

static void key_inject(struct parser *p, const char *val)
{
	struct cfg_inject inj = { 0 };
	struct hv_config *cfg = p->cfg;

	if (!parse_inject(p, val, &inj))
		return;
	if (cfg->ninject >= CFG_MAX_INJECT) {
		error_at(p, p->line, "too many inject entries: at most %d",
			 CFG_MAX_INJECT);
		return;
	}
	cfg->inject[cfg->ninject++] = inj;
}

/* ---- guest keys -------------------------------------------------------- */

/*
 * The boot stub hands the path to the firmware's FAT driver; keep to
 * printable ASCII and away from the characters FAT forbids.
 */
static void parse_path(struct parser *p, const char *val, char *dst,
		       size_t dstsize)
{
	size_t n = strlen(val), i;

	if (!n) {
		bad_value(p, "empty path");
		return;
	}
	if (n >= dstsize) {
		bad_value(p, "path too long (%zu characters, at most %zu)", n,
			  dstsize - 1);
		return;
	}
	for (i = 0; i < n; i++) {
		u8 c = val[i];

		if (c < 0x20 || c > 0x7e) {
			bad_value(p, "byte 0x%02x in path (ASCII only)", c);
			return;
		}
		if (strchr("\"*:<>?|", c)) {
			bad_value(p, "'%c' is not allowed in a path", c);
			return;
		}
	}
	memcpy(dst, val, n + 1);
}

static void key_image(struct parser *p, const char *val)
{
	parse_path(p, val, p->guest->image, sizeof(p->guest->image));
}

/* A Linux bzImage: it is the guest's image, loaded the Linux way. */
static void key_kernel(struct parser *p, const char *val)
{
	parse_path(p, val, p->guest->image, sizeof(p->guest->image));
	p->guest->is_linux = true;
}

static void key_initrd(struct parser *p, const char *val)
{
	parse_path(p, val, p->guest->initrd, sizeof(p->guest->initrd));
}

static void key_memory(struct parser *p, const char *val)
{
	const char *suffix = val;
	char q[CLIP + 1];
	u64 size = 0;

	switch (parse_size(val, &size, &suffix)) {
	case CFG_SIZE_OK:
		break;
	case CFG_SIZE_ESUFFIX:
		bad_value(p, "unknown size suffix '%s' (use K, M or G)",
			  clip(q, suffix));
		return;
	case CFG_SIZE_ERANGE:
		bad_value(p, "too large: at most 64G");
		return;
	default:
		bad_value(p, "not a size (write e.g. 64M, 2G or 0x100000)");
		return;
	}
	if (size < MIN_GUEST_MEMORY)
		bad_value(p, "too small: at least 2M (the first 1M is the hypervisor's boot info and page tables)");
	else if (size > MAX_GUEST_MEMORY)
		bad_value(p, "too large: at most 64G");
	else if (!IS_ALIGNED(size, PAGE_SIZE))
		bad_value(p, "not a multiple of 4K");
	else
		p->guest->memory = size;
}

static void key_vcpus(struct parser *p, const char *val)
{
	u64 n;

	if (!parse_uint(val, MAX_VCPUS, &n) || n == 0) {
		bad_value(p, "expected a vCPU count from 1 to %d", MAX_VCPUS);
		return;
	}
	p->guest->vcpus = n;
}

/*
 * How many times the guest is started again after it ends: a number, so
 * that a guest that keeps crashing cannot loop for ever ("on" is refused
 * for that reason); "off" is 0.
 */
static void key_restart(struct parser *p, const char *val)
{
	u64 n;

	if (str_ieq(val, "off")) {
		p->guest->restarts = 0;
		return;
	}
	if (!parse_uint(val, MAX_RESTARTS, &n)) {
		bad_value(p, "expected how many times to start it again, 0 to %d (or off)",
			  MAX_RESTARTS);
		return;
	}
	p->guest->restarts = (u32)n;
}

/* Up to max hex digits (no 0x) at *sp. */
static bool hex_field(const char **sp, unsigned int max, u32 *out)
{
	const char *s = *sp;
	unsigned int n = 0;
	u32 v = 0;

	for (; n < max && lib_isxdigit(*s); n++, s++)
		v = v * 16 + lib_hexval(*s);
	*sp = s;
	*out = v;
	return n > 0;
}

/* [SSSS:]BB:DD.F, all hex, as lspci prints it. */
static bool parse_bdf(struct parser *p, const char *s, struct cfg_device *d)
{
	const char *c;
	u32 seg = 0, bus, dev, fn;
	int colons = 0;

	for (c = s; *c; c++)
		colons += *c == ':';
	if ((colons == 2 && (!hex_field(&s, 4, &seg) || *s++ != ':')) ||
	    (colons != 1 && colons != 2) ||
	    !hex_field(&s, 2, &bus) || *s++ != ':' ||
	    !hex_field(&s, 2, &dev) || *s++ != '.' ||
	    !hex_field(&s, 1, &fn) || *s) {
		bad_value(p, "expected pci [SSSS:]BB:DD.F in hex, e.g. pci 0000:03:00.0");
		return false;
	}
	if (dev > 0x1f) {
		bad_value(p, "PCI device %02x out of range (at most 1f)", dev);
		return false;
	}
	if (fn > 7) {
		bad_value(p, "PCI function %x out of range (at most 7)", fn);
		return false;
	}
	d->kind = CFG_DEV_PCI;
	d->segment = seg;
	d->bus = bus;
	d->dev = dev;
	d->fn = fn;
	return true;
}

static bool parse_device(struct parser *p, const char *val,
			 struct cfg_device *d)
{
	const char *arg = val;
	size_t n;
	u64 vf;

	while (*arg && !lib_isspace(*arg))
		arg++;
	n = arg - val;
	arg = skip_ws(arg);

	if (word_is(val, n, "none") && !*arg) {
		d->kind = CFG_DEV_NONE;
		return true;
	}
	if (word_is(val, n, "vf")) {
		if (!parse_uint(arg, MAX_VF_INDEX, &vf)) {
			bad_value(p, "expected vf N with N from 0 to %d",
				  MAX_VF_INDEX);
			return false;
		}
		d->kind = CFG_DEV_VF;
		d->vf_index = vf;
		return true;
	}
	if (word_is(val, n, "pci"))
		return parse_bdf(p, arg, d);
	bad_value(p, "expected vf N, pci [SSSS:]BB:DD.F or none");
	return false;
}

static bool same_device(const struct cfg_device *a, const struct cfg_device *b)
{
	if (a->kind != b->kind)
		return false;
	if (a->kind == CFG_DEV_VF)
		return a->vf_index == b->vf_index;
	return a->segment == b->segment && a->bus == b->bus &&
	       a->dev == b->dev && a->fn == b->fn;
}

/* A device can belong to one guest only, and only once. */
static bool device_taken(struct parser *p, const struct cfg_device *d)
{
	struct hv_config *cfg = p->cfg;
	struct cfg_guest *g = p->guest;
	u32 i, j;

	for (i = 0; i < g->ndevices; i++) {
		if (same_device(&g->devices[i], d)) {
			bad_value(p, "given twice (first at line %u)",
				  p->dev_lines[i]);
			return true;
		}
	}
	for (j = 0; j < cfg->nguests; j++) {
		const struct cfg_guest *o = &cfg->guests[j];

		if (o == g)
			continue;
		for (i = 0; i < o->ndevices; i++) {
			if (same_device(&o->devices[i], d)) {
				bad_value(p, "already given to guest %s at line %u",
					  o->name, p->dev_lines_all[j][i]);
				return true;
			}
		}
	}
	return false;
}

static void key_device(struct parser *p, const char *val)
{
	struct cfg_guest *g = p->guest;
	struct cfg_device d = { 0 };

	if (!parse_device(p, val, &d))
		return;
	if (d.kind == CFG_DEV_NONE) {
		if (g->ndevices)
			bad_value(p, "contradicts the device at line %u",
				  p->dev_lines[0]);
		else
			p->none_line = p->line;
		return;
	}
	if (p->none_line) {
		bad_value(p, "contradicts device = none at line %u",
			  p->none_line);
		return;
	}
	if (device_taken(p, &d))
		return;
	if (g->ndevices >= CFG_MAX_DEVICES) {
		error_at(p, p->line, "too many devices in [guest %s]: at most %d",
			 g->name, CFG_MAX_DEVICES);
		return;
	}
	p->dev_lines[g->ndevices] = p->line;
	g->devices[g->ndevices++] = d;
}

static void key_cmdline(struct parser *p, const char *val)
{
	size_t n = strlen(val);

	if (n >= sizeof(p->guest->cmdline)) {
		bad_value(p, "too long (%zu characters, at most %zu)", n,
			  sizeof(p->guest->cmdline) - 1);
		return;
	}
	memcpy(p->guest->cmdline, val, n + 1);
}

static const struct key keys[NKEYS] = {
	[K_LOG_LEVEL] = { "log_level", false, false, key_log_level },
	[K_SELFTEST] = { "selftest", false, false, key_selftest },
	[K_DEBUG_EXIT] = { "debug_exit", false, false, key_debug_exit },
	[K_ACPI_DUMP] = { "acpi_dump", false, false, key_acpi_dump },
	[K_MAX_CPUS] = { "cpus", false, false, key_max_cpus },
	[K_INJECT] = { "inject", false, true, key_inject },
	[K_IMAGE] = { "image", true, false, key_image },
	[K_KERNEL] = { "kernel", true, false, key_kernel },
	[K_INITRD] = { "initrd", true, false, key_initrd },
	[K_MEMORY] = { "memory", true, false, key_memory },
	[K_VCPUS] = { "cpus", true, false, key_vcpus },
	[K_DEVICE] = { "device", true, true, key_device },
	[K_CMDLINE] = { "cmdline", true, false, key_cmdline },
	[K_RESTART] = { "restart", true, false, key_restart },
};

/* ---- lines ------------------------------------------------------------- */

static void guest_defaults(struct cfg_guest *g, const char *name, u32 line)
{
	memset(g, 0, sizeof(*g));
	strlcpy(g->name, name, sizeof(g->name));
	g->memory = CFG_DEFAULT_GUEST_MEMORY;
	g->vcpus = 1;
	g->line = line;
}

static void end_section(struct parser *p)
{
	struct cfg_guest *g = p->guest;

	if (!g || g == &p->scratch)
		return;
	/* A bad image = or kernel = line was reported already. */
	if (p->seen[K_IMAGE] && p->seen[K_KERNEL])
		error_at(p, p->seen[K_KERNEL],
			 "[guest %s] has both image = (line %u) and kernel =: give one",
			 g->name, p->seen[K_IMAGE]);
	else if (!p->seen[K_IMAGE] && !p->seen[K_KERNEL])
		error_at(p, g->line, "[guest %s] has no image = PATH or kernel = PATH",
			 g->name);
	if (p->seen[K_INITRD] && p->seen[K_IMAGE] && !p->seen[K_KERNEL])
		error_at(p, p->seen[K_INITRD],
			 "initrd = needs kernel = in [guest %s] (an ELF image takes no initrd)",
			 g->name);
}

/* A guest named like a subsystem could print lines that pass for its. */
static bool reserved_name(const char *s)
{
	static const char *const subsys[] = { HV_LOG_SUBSYSTEMS };
	size_t i;

	for (i = 0; i < ARRAY_SIZE(subsys); i++)
		if (str_ieq(s, subsys[i]))
			return true;
	return false;
}

static bool valid_name(const char *s)
{
	size_t i;

	for (i = 0; s[i]; i++)
		if (!lib_isalnum(s[i]) && s[i] != '_' && s[i] != '-')
			return false;
	return i > 0 && i < sizeof(((struct cfg_guest *)0)->name);
}

/*
 * "[guest NAME]". Until the header proves good, the section goes to the
 * scratch guest.
 */
static void section(struct parser *p, char *s)
{
	struct hv_config *cfg = p->cfg;
	char q[CLIP + 1];
	char *kw, *name, *c;
	size_t n;
	u32 i;

	end_section(p);
	p->in_guest = true;
	p->guest = &p->scratch;
	p->dev_lines = p->scratch_dev_lines;
	p->none_line = 0;
	memset(p->seen, 0, sizeof(p->seen));
	guest_defaults(&p->scratch, "", p->line);

	c = find_comment(s);
	if (c)
		*c = '\0';
	trim_end(s);
	n = strlen(s);
	if (s[n - 1] != ']') {
		error_at(p, p->line, "section header '%s' does not end in ']'",
			 clip(q, s));
		return;
	}
	s[n - 1] = '\0';
	kw = skip_ws(s + 1);
	trim_end(kw);
	for (name = kw; *name && !lib_isspace(*name); name++)
		;
	if (!word_is(kw, name - kw, "guest")) {
		error_at(p, p->line, "unknown section [%s]: only [guest NAME] exists",
			 clip(q, kw));
		return;
	}
	name = skip_ws(name);
	if (!*name) {
		error_at(p, p->line, "missing guest name: write [guest NAME]");
		return;
	}
	if (!valid_name(name)) {
		error_at(p, p->line, "bad guest name '%s': use 1 to 15 of A-Z a-z 0-9 _ -",
			 clip(q, name));
		return;
	}
	if (reserved_name(name)) {
		error_at(p, p->line, "guest name '%s' is reserved: the hypervisor logs as [%s]",
			 name, name);
		return;
	}
	/* Messages about a section we cannot keep still name it. */
	strlcpy(p->scratch.name, name, sizeof(p->scratch.name));
	for (i = 0; i < cfg->nguests; i++) {
		if (str_ieq(cfg->guests[i].name, name)) {
			error_at(p, p->line, "[guest %s] defined twice (first at line %u)",
				 name, cfg->guests[i].line);
			return;
		}
	}
	if (cfg->nguests >= CFG_MAX_GUESTS) {
		error_at(p, p->line, "too many guests: at most %d",
			 CFG_MAX_GUESTS);
		return;
	}
	p->guest = &cfg->guests[cfg->nguests];
	p->dev_lines = p->dev_lines_all[cfg->nguests];
	cfg->nguests++;
	guest_defaults(p->guest, name, p->line);
}

/* Splits off the value, unquoting "..." if it is quoted. */
static char *split_value(struct parser *p, const char *key, char *s)
{
	char q[CLIP + 1], *close, *rest, *c;

	s = skip_ws(s);
	if (*s != '"') {
		c = find_comment(s);
		if (c)
			*c = '\0';
		trim_end(s);
		if (!*s) {
			error_at(p, p->line, "%s has no value", clip(q, key));
			return NULL;
		}
		return s;
	}
	close = strchr(s + 1, '"');
	if (!close) {
		error_at(p, p->line, "%s: missing closing '\"'", clip(q, key));
		return NULL;
	}
	*close = '\0';
	rest = skip_ws(close + 1);
	if (*rest && *rest != '#' && *rest != ';') {
		error_at(p, p->line, "%s: text after the closing '\"'",
			 clip(q, key));
		return NULL;
	}
	return s + 1;
}

static void key_value(struct parser *p, char *s)
{
	char *eq = strchr(s, '='), *c = find_comment(s), *key, *val;
	const struct key *k = NULL;
	bool elsewhere = false;
	char q[CLIP + 1];
	size_t i;

	if (!eq || (c && c < eq)) {
		if (c)
			*c = '\0';
		trim_end(s);
		error_at(p, p->line, "expected key = value or [guest NAME], not '%s'",
			 clip(q, s));
		return;
	}
	*eq = '\0';
	key = s;
	trim_end(key);
	if (!*key) {
		error_at(p, p->line, "missing key before '='");
		return;
	}
	val = split_value(p, key, eq + 1);
	if (!val)
		return;

	for (i = 0; i < NKEYS; i++) {
		if (!str_ieq(keys[i].name, key))
			continue;
		if (keys[i].guest == p->in_guest) {
			k = &keys[i];
			break;
		}
		elsewhere = true;
	}
	if (!k) {
		if (!elsewhere)
			error_at(p, p->line, "unknown key '%s'", clip(q, key));
		else if (p->in_guest)
			error_at(p, p->line, "%s is a global key: put it above the first [guest] section",
				 clip(q, key));
		else
			error_at(p, p->line, "%s belongs in a [guest NAME] section",
				 clip(q, key));
		return;
	}
	if (!k->repeat && p->seen[i]) {
		error_at(p, p->line, "%s given twice (first at line %u)",
			 clip(q, key), p->seen[i]);
		return;
	}
	p->seen[i] = p->line;
	p->key = key;
	p->val = val;
	k->parse(p, val);
}

/* One line, terminated, without its line ending. */
static void parse_line(struct parser *p, char *s)
{
	s = skip_ws(s);
	if (!*s || *s == '#' || *s == ';')
		return;
	if (*s == '[')
		section(p, s);
	else
		key_value(p, s);
}

/* Stable, so that errors on one line stay in the order they were found. */
static void sort_errors(struct parser *p)
{
	u32 n = MIN(p->nerrs, p->max_errs), i, j;
	struct cfg_error tmp;

	for (i = 1; i < n; i++) {
		tmp = p->errs[i];
		for (j = i; j > 0 && p->errs[j - 1].line > tmp.line; j--)
			p->errs[j] = p->errs[j - 1];
		p->errs[j] = tmp;
	}
}

void config_defaults(struct hv_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->log_level = 2;	/* LOG_INFO */
}

int config_parse(const char *text, size_t len, struct hv_config *cfg,
		 struct cfg_error *errs, u32 max_errs, u32 *nerrs)
{
	char line[LINE_MAX_LEN + 1];
	struct parser p;
	size_t pos = 0;

	config_defaults(cfg);
	memset(&p, 0, sizeof(p));
	p.cfg = cfg;
	p.errs = errs;
	p.max_errs = errs ? max_errs : 0;

	if (len >= 3 && (u8)text[0] == 0xef && (u8)text[1] == 0xbb &&
	    (u8)text[2] == 0xbf)
		pos = 3;
	/* Notepad's "Unicode": every other byte would be a NUL. */
	if (len >= 2 && (((u8)text[0] == 0xff && (u8)text[1] == 0xfe) ||
			 ((u8)text[0] == 0xfe && (u8)text[1] == 0xff))) {
		error_at(&p, 1, "file is UTF-16: save it as UTF-8 or ASCII");
		pos = len;
	}

	while (pos < len) {
		size_t start = pos, n, i;
		u8 c = 0;

		while (pos < len && text[pos] != '\n')
			pos++;
		n = pos - start;
		if (pos < len)
			pos++;
		p.line++;
		if (n && text[start + n - 1] == '\r')
			n--;
		if (n > LINE_MAX_LEN) {
			error_at(&p, p.line, "line too long (%zu bytes, at most %d)",
				 n, LINE_MAX_LEN);
			continue;
		}
		for (i = 0; i < n; i++) {
			c = text[start + i];
			if ((c < 0x20 && c != '\t') || c == 0x7f)
				break;
		}
		if (i < n) {
			error_at(&p, p.line, "control character 0x%02x in column %zu",
				 c, i + 1);
			continue;
		}
		memcpy(line, text + start, n);
		line[n] = '\0';
		parse_line(&p, line);
	}
	end_section(&p);
	sort_errors(&p);
	if (nerrs)
		*nerrs = p.nerrs;
	return p.nerrs ? -1 : 0;
}

const char *config_device_str(const struct cfg_device *d, char *buf,
			      size_t len)
{
	switch (d->kind) {
	case CFG_DEV_NONE:
		fmt_snprintf(buf, len, "none");
		break;
	case CFG_DEV_VF:
		fmt_snprintf(buf, len, "vf %u", d->vf_index);
		break;
	case CFG_DEV_PCI:
		fmt_snprintf(buf, len, "pci %04x:%02x:%02x.%x", d->segment,
			     d->bus, d->dev, d->fn);
		break;
	default:
		fmt_snprintf(buf, len, "unknown device kind %u", d->kind);
		break;
	}
	return buf;
}
