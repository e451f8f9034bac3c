/* SPDX-License-Identifier: MIT */
/*
 * boot/config.c: the \hv.cfg parser.
 *
 * Every parse goes through an exact-size heap copy of the text with no NUL
 * after it, as the boot stub hands the file over, so ASan reports any read
 * past the end. Error tests check the exact line and the exact message.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "boot/config.h"

#define MAX_ERRS 32

struct result {
	struct hv_config cfg;
	struct cfg_error errs[MAX_ERRS];
	u32 nerrs;
	int ret;
};

/* Parses len bytes from an unterminated heap copy of exactly that size. */
static void parse_n(struct result *r, const char *text, size_t len)
{
	char *copy = malloc(len ? len : 1);

	assert_non_null(copy);
	memcpy(copy, text, len);
	memset(r, 0x5a, sizeof(*r));
	r->ret = config_parse(copy, len, &r->cfg, r->errs, MAX_ERRS,
			      &r->nerrs);
	free(copy);
}

static void parse(struct result *r, const char *text)
{
	parse_n(r, text, strlen(text));
}

static void dump_errors(const struct result *r)
{
	u32 i;

	for (i = 0; i < r->nerrs && i < MAX_ERRS; i++)
		print_error("  line %u: %s\n", r->errs[i].line, r->errs[i].msg);
}

static void expect_ok(struct result *r, const char *text)
{
	parse(r, text);
	if (r->ret != 0 || r->nerrs != 0) {
		print_error("unexpected errors in:\n%s\n", text);
		dump_errors(r);
		fail();
	}
}

static void expect_err(struct result *r, u32 i, u32 line, const char *msg)
{
	assert_true(i < r->nerrs);
	if (r->errs[i].line != line || strcmp(r->errs[i].msg, msg)) {
		print_error("error %u: want line %u: %s\n", i, line, msg);
		dump_errors(r);
		fail();
	}
}

/* text has exactly one error, on line with message msg. */
static void expect_one_error(const char *text, u32 line, const char *msg)
{
	struct result r;

	parse(&r, text);
	assert_int_equal(r.ret, -1);
	if (r.nerrs != 1) {
		print_error("want 1 error, got %u, in:\n%s\n", r.nerrs, text);
		dump_errors(&r);
		fail();
	}
	expect_err(&r, 0, line, msg);
}

static const char example[] =
	"# comment (also ; comments); blank lines ok; keys case-insensitive; values trimmed\n"
	"log_level = info          # error | warn | info | debug\n"
	"selftest = on             # on|off|yes|no|true|false|1|0: run the boot self-tests\n"
	"debug_exit = 0xf4         # I/O port of QEMU's isa-debug-exit, or off (default off): tests report verdicts through it\n"
	"acpi_dump = off           # hex-dump every ACPI table to the serial log\n"
	"cpus = 4                  # max CPUs to bring up (default: all in the MADT)\n"
	"inject = ap-no-start:1    # fault injection for tests, may repeat: ap-no-start:<cpu index>, acpi-corrupt:<SIG4>\n"
	"\n"
	"; a second guest-less comment style\n"
	"[guest vm1]               # name: [A-Za-z0-9_-]{1,15}, unique\n"
	"image = guests/hello.elf  # path on the ESP, '/' or '\\' separators, <= 127 chars\n"
	"memory = 64M              # bytes with optional K/M/G suffix; >= 2M, multiple of 4K (2M pref.), <= 64G\n"
	"cpus = 1                  # vCPUs, 1..8 (default 1)\n"
	"device = vf 0             # may repeat (max 4): \"vf N\" (igb VF index N, 0..63), \"pci SSSS:BB:DD.F\" or \"pci BB:DD.F\" (whole function), or \"none\"\n"
	"cmdline = any text        # up to 255 chars, passed to the guest\n";

static void check_example(const struct hv_config *c)
{
	const struct cfg_guest *g = &c->guests[0];

	assert_int_equal(c->log_level, 2);
	assert_true(c->selftest);
	assert_false(c->acpi_dump);
	assert_int_equal(c->debug_exit_port, 0xf4);
	assert_int_equal(c->max_cpus, 4);
	assert_int_equal(c->ninject, 1);
	assert_int_equal(c->inject[0].kind, CFG_INJECT_AP_NO_START);
	assert_int_equal(c->inject[0].arg, 1);
	assert_string_equal(c->inject[0].sig, "");
	assert_int_equal(c->nguests, 1);
	assert_string_equal(g->name, "vm1");
	assert_string_equal(g->image, "guests/hello.elf");
	assert_int_equal(g->memory, 64ull << 20);
	assert_int_equal(g->vcpus, 1);
	assert_int_equal(g->ndevices, 1);
	assert_int_equal(g->devices[0].kind, CFG_DEV_VF);
	assert_int_equal(g->devices[0].vf_index, 0);
	assert_string_equal(g->cmdline, "any text");
	assert_int_equal(g->line, 10);
}

static void test_inject_kinds(void **state)
{
	static const char text[] = "inject = fault:0\n"
				   "inject = ap-no-start : 3\n"
				   "inject = acpi-corrupt:hpet\n";
	struct hv_config c;

	assert_int_equal(config_parse(text, sizeof(text) - 1, &c, NULL, 0, NULL), 0);
	assert_int_equal(c.ninject, 3);
	assert_int_equal(c.inject[0].kind, CFG_INJECT_FAULT);
	assert_int_equal(c.inject[0].arg, 0);
	assert_string_equal(c.inject[2].sig, "HPET");
	assert_true(config_injects(&c, CFG_INJECT_FAULT, 0));
	assert_false(config_injects(&c, CFG_INJECT_FAULT, 3));
	assert_true(config_injects(&c, CFG_INJECT_AP_NO_START, 3));
	assert_false(config_injects(&c, CFG_INJECT_AP_NO_START, 0));
}

static void test_defaults(void **state)
{
	struct hv_config c;

	memset(&c, 0xff, sizeof(c));
	config_defaults(&c);
	assert_int_equal(c.log_level, 2);
	assert_false(c.selftest);
	assert_false(c.acpi_dump);
	assert_int_equal(c.debug_exit_port, 0);
	assert_int_equal(c.max_cpus, 0);
	assert_int_equal(c.ninject, 0);
	assert_int_equal(c.nguests, 0);
}

static void test_example(void **state)
{
	struct result r;

	expect_ok(&r, example);
	check_example(&r.cfg);
}

/* The same file as Windows Notepad saves it: BOM and CRLF. */
static void test_crlf_bom(void **state)
{
	char text[sizeof(example) * 2 + 3] = "\xef\xbb\xbf";
	size_t i, n = 3;
	struct result r;

	for (i = 0; example[i]; i++) {
		if (example[i] == '\n')
			text[n++] = '\r';
		text[n++] = example[i];
	}
	parse_n(&r, text, n);
	assert_int_equal(r.ret, 0);
	assert_int_equal(r.nerrs, 0);
	check_example(&r.cfg);

	/* Last line without its \n, but with the \r. */
	parse_n(&r, "selftest = yes\r", 15);
	assert_int_equal(r.ret, 0);
	assert_true(r.cfg.selftest);
}

/* No newline at the end, and nothing after the last byte. */
static void test_no_final_newline(void **state)
{
	struct result r;

	expect_ok(&r, "[guest a]\nimage = a.elf\ncmdline = console=ttyS0");
	assert_string_equal(r.cfg.guests[0].cmdline, "console=ttyS0");
	expect_ok(&r, "log_level = debug");
	assert_int_equal(r.cfg.log_level, 3);
	/* The number runs into the end of the buffer. */
	expect_ok(&r, "cpus = 12");
	assert_int_equal(r.cfg.max_cpus, 12);
	expect_ok(&r, "[guest b]\nimage=x\nmemory=2G");
	assert_int_equal(r.cfg.guests[0].memory, 2ull << 30);
}

/* kernel = names a bzImage loaded the Linux way; initrd = goes with it. */
static void test_linux_guest(void **state)
{
	struct result r;
	const struct cfg_guest *g = &r.cfg.guests[0];

	expect_ok(&r, "[guest lx]\nkernel = linux/vmlinuz\n"
		      "initrd = linux/initramfs.cpio.gz\nmemory = 256M\n"
		      "cmdline = console=ttyS0 acpi=off\n[guest e]\nimage = e.elf\n");
	assert_true(g->is_linux);
	assert_string_equal(g->image, "linux/vmlinuz");
	assert_string_equal(g->initrd, "linux/initramfs.cpio.gz");
	assert_false(r.cfg.guests[1].is_linux);
	assert_string_equal(r.cfg.guests[1].initrd, "");
	expect_ok(&r, "[guest lx]\nkernel = vmlinuz\n");
	assert_true(g->is_linux);
	assert_string_equal(g->initrd, "");
}

static void test_empty(void **state)
{
	struct hv_config c;
	struct result r;
	u32 n = 99;

	memset(&c, 0xff, sizeof(c));
	assert_int_equal(config_parse(NULL, 0, &c, NULL, 0, &n), 0);
	assert_int_equal(n, 0);
	assert_int_equal(c.log_level, 2);
	assert_int_equal(c.nguests, 0);

	expect_ok(&r, "");
	expect_ok(&r, "\n\n\n");
	expect_ok(&r, "\xef\xbb\xbf");
	expect_ok(&r, "  \t \n# only\n   ; comments\n\t# here\n\r\n");
	assert_int_equal(r.cfg.log_level, 2);
	assert_int_equal(r.cfg.nguests, 0);
}

static void test_case_insensitive(void **state)
{
	struct result r;
	const struct cfg_guest *g = &r.cfg.guests[0];

	expect_ok(&r, "LOG_LEVEL = DEBUG\nSelfTest = YES\nAcpi_Dump = True\n"
		      "Debug_Exit = OFF\nCPUS = ALL\nInject = ACPI-Corrupt:dmar\n"
		      "[GUEST Big-Name_1]\nIMAGE = EFI\\Guests\\X.ELF\n"
		      "Memory = 2g\nDevice = PCI 0000:0A:1F.7\nDEVICE = Vf 0x3f\n");
	assert_int_equal(r.cfg.log_level, 3);
	assert_true(r.cfg.selftest);
	assert_true(r.cfg.acpi_dump);
	assert_int_equal(r.cfg.debug_exit_port, 0);
	assert_int_equal(r.cfg.max_cpus, 0);
	assert_int_equal(r.cfg.inject[0].kind, CFG_INJECT_ACPI_CORRUPT);
	assert_string_equal(r.cfg.inject[0].sig, "DMAR");
	assert_string_equal(g->name, "Big-Name_1");
	assert_string_equal(g->image, "EFI\\Guests\\X.ELF");
	assert_int_equal(g->memory, 2ull << 30);
	assert_int_equal(g->ndevices, 2);
	assert_int_equal(g->devices[0].kind, CFG_DEV_PCI);
	assert_int_equal(g->devices[0].segment, 0);
	assert_int_equal(g->devices[0].bus, 0x0a);
	assert_int_equal(g->devices[0].dev, 0x1f);
	assert_int_equal(g->devices[0].fn, 7);
	assert_int_equal(g->devices[1].kind, CFG_DEV_VF);
	assert_int_equal(g->devices[1].vf_index, 63);
}

static void test_values(void **state)
{
	static const struct {
		const char *text;
		u8 level;
	} levels[] = {
		{ "error", 0 }, { "err", 0 }, { "warn", 1 }, { "warning", 1 },
		{ "info", 2 }, { "debug", 3 },
	};
	static const char *const yes[] = { "on", "yes", "true", "1" };
	static const char *const no[] = { "off", "no", "false", "0" };
	struct result r;
	char text[64];
	size_t i;

	for (i = 0; i < sizeof(levels) / sizeof(levels[0]); i++) {
		snprintf(text, sizeof(text), "log_level = %s\n", levels[i].text);
		expect_ok(&r, text);
		assert_int_equal(r.cfg.log_level, levels[i].level);
	}
	for (i = 0; i < 4; i++) {
		snprintf(text, sizeof(text), "selftest=%s\nacpi_dump=%s", yes[i],
			 yes[i]);
		expect_ok(&r, text);
		assert_true(r.cfg.selftest);
		assert_true(r.cfg.acpi_dump);
		snprintf(text, sizeof(text), "selftest=%s\nacpi_dump=%s", no[i],
			 no[i]);
		expect_ok(&r, text);
		assert_false(r.cfg.selftest);
		assert_false(r.cfg.acpi_dump);
	}

	expect_ok(&r, "debug_exit = 244");
	assert_int_equal(r.cfg.debug_exit_port, 244);
	expect_ok(&r, "debug_exit = 0xFFFF");
	assert_int_equal(r.cfg.debug_exit_port, 0xffff);
	expect_ok(&r, "debug_exit = 0");
	assert_int_equal(r.cfg.debug_exit_port, 0);
	expect_ok(&r, "debug_exit = none");
	assert_int_equal(r.cfg.debug_exit_port, 0);

	expect_ok(&r, "cpus = 1024");
	assert_int_equal(r.cfg.max_cpus, 1024);
	expect_ok(&r, "cpus = 1");
	assert_int_equal(r.cfg.max_cpus, 1);
	expect_ok(&r, "cpus = 0");
	assert_int_equal(r.cfg.max_cpus, 0);

	expect_ok(&r, "inject = ap-no-start : 0x3 \ninject=acpi-corrupt:APIC\n"
		      "inject = acpi-corrupt: S_T1");
	assert_int_equal(r.cfg.ninject, 3);
	assert_int_equal(r.cfg.inject[0].kind, CFG_INJECT_AP_NO_START);
	assert_int_equal(r.cfg.inject[0].arg, 3);
	assert_int_equal(r.cfg.inject[1].kind, CFG_INJECT_ACPI_CORRUPT);
	assert_int_equal(r.cfg.inject[1].arg, 0);
	assert_string_equal(r.cfg.inject[1].sig, "APIC");
	assert_string_equal(r.cfg.inject[2].sig, "S_T1");
}

static void test_guest_values(void **state)
{
	struct result r;
	const struct cfg_guest *a = &r.cfg.guests[0], *b = &r.cfg.guests[1];

	expect_ok(&r, "[guest a]\nimage = /a.elf\n"
		      "[ guest   b-2 ]  ; spaces inside the brackets\n"
		      "image = \\b\\c.elf\nmemory = 0x200000\ncpus = 8\n"
		      "device = pci 0001:ff:1f.7\ndevice = pci 3:0.1\n"
		      "device = vf 1\ndevice = vf 2\n"
		      "cmdline = root=/dev/vda  quiet\n");
	assert_int_equal(r.cfg.nguests, 2);
	/* Defaults for what a guest does not say. */
	assert_string_equal(a->name, "a");
	assert_int_equal(a->memory, CFG_DEFAULT_GUEST_MEMORY);
	assert_int_equal(a->vcpus, 1);
	assert_int_equal(a->ndevices, 0);
	assert_string_equal(a->cmdline, "");
	assert_int_equal(a->restarts, 0);
	assert_int_equal(a->line, 1);

	assert_string_equal(b->name, "b-2");
	assert_int_equal(b->line, 3);
	assert_string_equal(b->image, "\\b\\c.elf");
	assert_int_equal(b->memory, 2ull << 20);
	assert_int_equal(b->vcpus, 8);
	assert_int_equal(b->ndevices, 4);
	assert_int_equal(b->devices[0].kind, CFG_DEV_PCI);
	assert_int_equal(b->devices[0].segment, 1);
	assert_int_equal(b->devices[0].bus, 0xff);
	assert_int_equal(b->devices[0].dev, 0x1f);
	assert_int_equal(b->devices[0].fn, 7);
	assert_int_equal(b->devices[1].segment, 0);
	assert_int_equal(b->devices[1].bus, 3);
	assert_int_equal(b->devices[1].dev, 0);
	assert_int_equal(b->devices[1].fn, 1);
	assert_int_equal(b->devices[2].vf_index, 1);
	assert_int_equal(b->devices[3].vf_index, 2);
	assert_string_equal(b->cmdline, "root=/dev/vda  quiet");

	/* restart = N, at the limits, and off. */
	expect_ok(&r, "[guest a]\nimage=a\nrestart = 10\n[guest b]\nimage=b\nrestart=OFF\n");
	assert_int_equal(a->restarts, 10);
	assert_int_equal(b->restarts, 0);
	expect_ok(&r, "[guest a]\nimage=a\nrestart = 1\n");
	assert_int_equal(a->restarts, 1);

	/* device = none gives no devices. */
	expect_ok(&r, "[guest a]\nimage = a\ndevice = none\ndevice = none\n");
	assert_int_equal(a->ndevices, 0);

	/* Memory at the limits. */
	expect_ok(&r, "[guest a]\nimage=a\nmemory = 64G\n[guest b]\nimage=b\nmemory=2M");
	assert_int_equal(a->memory, 64ull << 30);
	assert_int_equal(b->memory, 2ull << 20);
	expect_ok(&r, "[guest a]\nimage=a\nmemory = 2052K");
	assert_int_equal(a->memory, 2052ull << 10);

	/* Non-ASCII UTF-8 is fine in a cmdline. */
	expect_ok(&r, "[guest a]\nimage=a\ncmdline = caf\xc3\xa9");
	assert_string_equal(a->cmdline, "caf\xc3\xa9");
}

/* Comments need whitespace before them; quotes keep everything. */
static void test_comments_and_quotes(void **state)
{
	struct result r;
	const struct cfg_guest *g = &r.cfg.guests[0];

	expect_ok(&r, "[guest g]\nimage = a#b;c.elf\ncmdline = x=1#2;3 # comment\n");
	assert_string_equal(g->image, "a#b;c.elf");
	assert_string_equal(g->cmdline, "x=1#2;3");

	expect_ok(&r, "[guest g]\nimage=\"with space.elf\"\n"
		      "cmdline = \"  a # b ; c  \"  # a real comment\n");
	assert_string_equal(g->image, "with space.elf");
	assert_string_equal(g->cmdline, "  a # b ; c  ");

	expect_ok(&r, "[guest g]\nimage=g\ncmdline = \"\"\n");
	assert_string_equal(g->cmdline, "");

	expect_ok(&r, "[guest g] # comment\nimage=g ;comment\n");
	assert_string_equal(g->image, "g");
	expect_ok(&r, "\tlog_level\t=\tdebug\t#\tcomment\t\n");
	assert_int_equal(r.cfg.log_level, 3);
}

/* Longest values that fit, exactly. */
static void test_lengths(void **state)
{
	char text[1024], image[128], cmdline[256];
	struct result r;
	const struct cfg_guest *g = &r.cfg.guests[0];
	size_t n;

	memset(image, 'i', 127);
	image[127] = '\0';
	memset(cmdline, 'c', 255);
	cmdline[255] = '\0';
	snprintf(text, sizeof(text),
		 "[guest abcdefghijklmno]\nimage=%s\ncmdline=%s\n", image,
		 cmdline);
	expect_ok(&r, text);
	assert_string_equal(g->name, "abcdefghijklmno");
	assert_string_equal(g->image, image);
	assert_string_equal(g->cmdline, cmdline);

	/* A line of exactly 511 bytes, then 512 and 513. */
	n = snprintf(text, sizeof(text), "# ");
	memset(text + n, 'x', 511 - n);
	text[511] = '\0';
	expect_ok(&r, text);
	text[511] = 'x';
	text[512] = '\0';
	expect_one_error(text, 1, "line too long (512 bytes, at most 511)");
	/* The line ending does not count. */
	text[511] = '\r';
	text[512] = '\n';
	text[513] = '\0';
	expect_ok(&r, text);
}

static void test_sizes(void **state)
{
	static const struct {
		const char *s;
		int ret;
		u64 val;
	} sizes[] = {
		{ "1M", CFG_SIZE_OK, 1ull << 20 },
		{ "2G", CFG_SIZE_OK, 2ull << 30 },
		{ "4096", CFG_SIZE_OK, 4096 },
		{ "0x100000", CFG_SIZE_OK, 0x100000 },
		{ "0X1f", CFG_SIZE_OK, 0x1f },
		{ "0x10M", CFG_SIZE_OK, 16ull << 20 },
		{ "64k", CFG_SIZE_OK, 64ull << 10 },
		{ "64K", CFG_SIZE_OK, 64ull << 10 },
		{ "3g", CFG_SIZE_OK, 3ull << 30 },
		{ " 12 M ", CFG_SIZE_OK, 12ull << 20 },
		{ "0", CFG_SIZE_OK, 0 },
		{ "007", CFG_SIZE_OK, 7 },
		{ "18446744073709551615", CFG_SIZE_OK, ~0ull },
		{ "0xffffffffffffffff", CFG_SIZE_OK, ~0ull },
		{ "17179869183G", CFG_SIZE_OK, 17179869183ull << 30 },
		{ "18446744073709551616", CFG_SIZE_ERANGE, 0 },
		{ "0x10000000000000000", CFG_SIZE_ERANGE, 0 },
		{ "99999999999G", CFG_SIZE_ERANGE, 0 },
		{ "17179869184G", CFG_SIZE_ERANGE, 0 },
		{ "99999999999999999999999999999", CFG_SIZE_ERANGE, 0 },
		{ "64Q", CFG_SIZE_ESUFFIX, 0 },
		{ "64MB", CFG_SIZE_ESUFFIX, 0 },
		{ "64 M B", CFG_SIZE_ESUFFIX, 0 },
		{ "1.5G", CFG_SIZE_ESUFFIX, 0 },
		{ "0x", CFG_SIZE_ESUFFIX, 0 },
		{ "0xg", CFG_SIZE_ESUFFIX, 0 },
		{ "", CFG_SIZE_EINVAL, 0 },
		{ "   ", CFG_SIZE_EINVAL, 0 },
		{ "M", CFG_SIZE_EINVAL, 0 },
		{ "-1", CFG_SIZE_EINVAL, 0 },
		{ "+1", CFG_SIZE_EINVAL, 0 },
		{ "x10", CFG_SIZE_EINVAL, 0 },
	};
	size_t i;
	u64 v;

	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		v = 12345;
		if (config_parse_size(sizes[i].s, &v) != sizes[i].ret) {
			print_error("'%s': want %d\n", sizes[i].s, sizes[i].ret);
			fail();
		}
		assert_int_equal(v, sizes[i].ret == CFG_SIZE_OK ? sizes[i].val :
								 12345);
	}
}

struct error_case {
	const char *text;
	u32 line;
	const char *msg;
};

static const struct error_case error_cases[] = {
	/* syntax */
	{ "log_levl = info\n", 1, "unknown key 'log_levl'" },
	{ "\n\nlog_levl = info\n", 3, "unknown key 'log_levl'" },
	{ "log_level info\n", 1,
	  "expected key = value or [guest NAME], not 'log_level info'" },
	{ "foo # = bar\n", 1, "expected key = value or [guest NAME], not 'foo'" },
	{ "= info\n", 1, "missing key before '='" },
	{ "log_level =\n", 1, "log_level has no value" },
	{ "log_level =   # nothing\n", 1, "log_level has no value" },
	{ "log_level = \"info\n", 1, "log_level: missing closing '\"'" },
	{ "log_level = \"info\" x\n", 1, "log_level: text after the closing '\"'" },
	{ "log_level = info\nLOG_LEVEL = debug\n", 2,
	  "LOG_LEVEL given twice (first at line 1)" },
	{ "a_key_name_that_is_much_longer_than_the_clip = 1\n", 1,
	  "unknown key 'a_key_name_that_is_much_longe...'" },
	{ "log_level = in\x01" "fo\n", 1, "control character 0x01 in column 15" },
	{ "x = 1\x7f\n", 1, "control character 0x7f in column 6" },
	{ "\xff\xfel\0o\0g\0", 1, "file is UTF-16: save it as UTF-8 or ASCII" },
	/* global values */
	{ "log_level = verbose\n", 1,
	  "log_level = verbose: expected error, warn, info or debug" },
	{ "selftest = maybe\n", 1,
	  "selftest = maybe: expected on or off (or yes/no, true/false, 1/0)" },
	{ "acpi_dump = 2\n", 1,
	  "acpi_dump = 2: expected on or off (or yes/no, true/false, 1/0)" },
	{ "debug_exit = 0x10000\n", 1,
	  "debug_exit = 0x10000: expected an I/O port from 0x1 to 0xffff, or off" },
	{ "debug_exit = port\n", 1,
	  "debug_exit = port: expected an I/O port from 0x1 to 0xffff, or off" },
	{ "debug_exit = 0xf4 0xf5\n", 1,
	  "debug_exit = 0xf4 0xf5: expected an I/O port from 0x1 to 0xffff, or off" },
	{ "cpus = 1025\n", 1, "cpus = 1025: expected a CPU count from 1 to 1024, or all" },
	{ "cpus = -1\n", 1, "cpus = -1: expected a CPU count from 1 to 1024, or all" },
	{ "cpus = 99999999999999999999999\n", 1,
	  "cpus = 99999999999999999999999: expected a CPU count from 1 to 1024, or all" },
	{ "inject = ap-no-start\n", 1,
	  "inject = ap-no-start: expected ap-no-start:CPU, acpi-corrupt:SIG or fault:CPU" },
	{ "inject = ap-no-start:\n", 1,
	  "inject = ap-no-start:: expected a CPU index after ap-no-start:" },
	{ "inject = ap-no-start:x\n", 1,
	  "inject = ap-no-start:x: expected a CPU index after ap-no-start:" },
	{ "inject = ap-no-start:4294967296\n", 1,
	  "inject = ap-no-start:4294967296: expected a CPU index after ap-no-start:" },
	{ "inject = acpi-corrupt:API\n", 1,
	  "inject = acpi-corrupt:API: expected a 4-letter table signature such as APIC after acpi-corrupt:" },
	{ "inject = acpi-corrupt:APICX\n", 1,
	  "inject = acpi-corrupt:APICX: expected a 4-letter table signature such as APIC after acpi-corrupt:" },
	{ "inject = acpi-corrupt:A PC\n", 1,
	  "inject = acpi-corrupt:A PC: expected a 4-letter table signature such as APIC after acpi-corrupt:" },
	{ "inject = reboot:1\n", 1,
	  "inject = reboot:1: unknown fault 'reboot' (use ap-no-start, acpi-corrupt or fault)" },
	/* guest-only keys at the top, global keys in a guest */
	{ "image = a.elf\n", 1, "image belongs in a [guest NAME] section" },
	{ "memory = 64M\n", 1, "memory belongs in a [guest NAME] section" },
	{ "device = vf 1\n", 1, "device belongs in a [guest NAME] section" },
	{ "cmdline = x\n", 1, "cmdline belongs in a [guest NAME] section" },
	{ "[guest g]\nimage = a\nlog_level = debug\n", 3,
	  "log_level is a global key: put it above the first [guest] section" },
	{ "[guest g]\nimage = a\nselftest = on\n", 3,
	  "selftest is a global key: put it above the first [guest] section" },
	{ "[guest g]\nimage = a\ninject = ap-no-start:1\n", 3,
	  "inject is a global key: put it above the first [guest] section" },
	{ "[guest g]\nimage = a\nvcpus = 2\n", 3, "unknown key 'vcpus'" },
	{ "[guest g]\nimage = a\nrestart = on\n", 3,
	  "restart = on: expected how many times to start it again, 0 to 10 (or off)" },
	{ "[guest g]\nimage = a\nrestart = 11\n", 3,
	  "restart = 11: expected how many times to start it again, 0 to 10 (or off)" },
	{ "[guest g]\nimage = a\nrestart = -1\n", 3,
	  "restart = -1: expected how many times to start it again, 0 to 10 (or off)" },
	{ "restart = 1\n", 1, "restart belongs in a [guest NAME] section" },
	{ "[guest g]\nimage = a\nrestart = 1\nrestart = 2\n", 4,
	  "restart given twice (first at line 3)" },
	/* section headers */
	{ "[guest vm1\n", 1, "section header '[guest vm1' does not end in ']'" },
	{ "[guest vm1] x\n", 1, "section header '[guest vm1] x' does not end in ']'" },
	{ "[vm vm1]\nimage = a\n", 1, "unknown section [vm vm1]: only [guest NAME] exists" },
	{ "[guests a]\n", 1, "unknown section [guests a]: only [guest NAME] exists" },
	{ "[]\n", 1, "unknown section []: only [guest NAME] exists" },
	{ "[guest]\n", 1, "missing guest name: write [guest NAME]" },
	{ "[ guest  ]\n", 1, "missing guest name: write [guest NAME]" },
	{ "[guest vm 1]\n", 1, "bad guest name 'vm 1': use 1 to 15 of A-Z a-z 0-9 _ -" },
	{ "[guest vm.1]\n", 1, "bad guest name 'vm.1': use 1 to 15 of A-Z a-z 0-9 _ -" },
	{ "[guest abcdefghijklmnop]\n", 1,
	  "bad guest name 'abcdefghijklmnop': use 1 to 15 of A-Z a-z 0-9 _ -" },
	{ "[guest vm1]\nimage = a\n\n[guest VM1]\nimage = b\n", 4,
	  "[guest VM1] defined twice (first at line 1)" },
	{ "[guest vm1]\nmemory = 2M\n", 1, "[guest vm1] has no image = PATH or kernel = PATH" },
	{ "[guest g]\nimage = a\nimage = b\n", 3, "image given twice (first at line 2)" },
	/* Linux guests: kernel = instead of image =, initrd = only with it */
	{ "[guest g]\nimage = a\nkernel = b\n", 3,
	  "[guest g] has both image = (line 2) and kernel =: give one" },
	{ "[guest g]\nimage = a\ninitrd = b\n", 3,
	  "initrd = needs kernel = in [guest g] (an ELF image takes no initrd)" },
	{ "[guest g]\ninitrd = b\n", 1, "[guest g] has no image = PATH or kernel = PATH" },
	{ "[guest g]\nkernel = a\nkernel = b\n", 3, "kernel given twice (first at line 2)" },
	{ "[guest g]\nkernel = a\ninitrd = x?y\n", 3, "initrd = x?y: '?' is not allowed in a path" },
	{ "[guest g]\nkernel = \"\"\n", 2, "kernel = : empty path" },
	/* guest values */
	{ "[guest g]\nimage = a\nmemory = 64Q\n", 3,
	  "memory = 64Q: unknown size suffix 'Q' (use K, M or G)" },
	{ "[guest g]\nimage = a\nmemory = 64MB\n", 3,
	  "memory = 64MB: unknown size suffix 'MB' (use K, M or G)" },
	{ "[guest g]\nimage = a\nmemory = 512K\n", 3, "memory = 512K: too small: at least 2M (the first 1M is the hypervisor's boot info and page tables)" },
	{ "[guest g]\nimage = a\nmemory = 1M\n", 3, "memory = 1M: too small: at least 2M (the first 1M is the hypervisor's boot info and page tables)" },
	/* a guest named like a subsystem could forge the hypervisor's lines */
	{ "[guest test]\nimage = a\n", 1, "guest name 'test' is reserved: the hypervisor logs as [test]" },
	{ "[guest HV]\nimage = a\n", 1, "guest name 'HV' is reserved: the hypervisor logs as [HV]" },
	{ "[guest vmm]\nimage = a\n", 1, "guest name 'vmm' is reserved: the hypervisor logs as [vmm]" },
	{ "[guest g]\nimage = a\nmemory = 0\n", 3, "memory = 0: too small: at least 2M (the first 1M is the hypervisor's boot info and page tables)" },
	{ "[guest g]\nimage = a\nmemory = 65G\n", 3, "memory = 65G: too large: at most 64G" },
	{ "[guest g]\nimage = a\nmemory = 99999999999G\n", 3,
	  "memory = 99999999999G: too large: at most 64G" },
	{ "[guest g]\nimage = a\nmemory = 10000000\n", 3,
	  "memory = 10000000: not a multiple of 4K" },
	{ "[guest g]\nimage = a\nmemory = lots\n", 3,
	  "memory = lots: not a size (write e.g. 64M, 2G or 0x100000)" },
	{ "[guest g]\nimage = a\ncpus = 0\n", 3, "cpus = 0: expected a vCPU count from 1 to 8" },
	{ "[guest g]\nimage = a\ncpus = 9\n", 3, "cpus = 9: expected a vCPU count from 1 to 8" },
	{ "[guest g]\nimage = a\ncpus = all\n", 3, "cpus = all: expected a vCPU count from 1 to 8" },
	{ "[guest g]\nimage = c:/x.elf\n", 2, "image = c:/x.elf: ':' is not allowed in a path" },
	{ "[guest g]\nimage = a\xc3\xa9.elf\n", 2,
	  "image = a\xc3\xa9.elf: byte 0xc3 in path (ASCII only)" },
	{ "[guest g]\nimage = \"\"\n", 2, "image = : empty path" },
	{ "[guest g]\nimage = a\ndevice = vf 64\n", 3,
	  "device = vf 64: expected vf N with N from 0 to 63" },
	{ "[guest g]\nimage = a\ndevice = vf\n", 3,
	  "device = vf: expected vf N with N from 0 to 63" },
	{ "[guest g]\nimage = a\ndevice = pci 00:20.0\n", 3,
	  "device = pci 00:20.0: PCI device 20 out of range (at most 1f)" },
	{ "[guest g]\nimage = a\ndevice = pci 00:1f.8\n", 3,
	  "device = pci 00:1f.8: PCI function 8 out of range (at most 7)" },
	{ "[guest g]\nimage = a\ndevice = pci 3:0\n", 3,
	  "device = pci 3:0: expected pci [SSSS:]BB:DD.F in hex, e.g. pci 0000:03:00.0" },
	{ "[guest g]\nimage = a\ndevice = pci 00000:03:00.0\n", 3,
	  "device = pci 00000:03:00.0: expected pci [SSSS:]BB:DD.F in hex, e.g. pci 0000:03:00.0" },
	{ "[guest g]\nimage = a\ndevice = pci 0:0:0:0.0\n", 3,
	  "device = pci 0:0:0:0.0: expected pci [SSSS:]BB:DD.F in hex, e.g. pci 0000:03:00.0" },
	{ "[guest g]\nimage = a\ndevice = pci 03:00.0 x\n", 3,
	  "device = pci 03:00.0 x: expected pci [SSSS:]BB:DD.F in hex, e.g. pci 0000:03:00.0" },
	{ "[guest g]\nimage = a\ndevice = usb 1\n", 3,
	  "device = usb 1: expected vf N, pci [SSSS:]BB:DD.F or none" },
	{ "[guest g]\nimage = a\ndevice = none 1\n", 3,
	  "device = none 1: expected vf N, pci [SSSS:]BB:DD.F or none" },
	{ "[guest g]\nimage = a\ndevice = vf 1\ndevice = vf 01\n", 4,
	  "device = vf 01: given twice (first at line 3)" },
	{ "[guest g]\nimage = a\ndevice = pci 3:0.0\ndevice = pci 0000:03:00.0\n", 4,
	  "device = pci 0000:03:00.0: given twice (first at line 3)" },
	{ "[guest a]\nimage = a\ndevice = vf 5\n[guest b]\nimage = b\ndevice = vf 5\n", 6,
	  "device = vf 5: already given to guest a at line 3" },
	{ "[guest g]\nimage = a\ndevice = none\ndevice = vf 1\n", 4,
	  "device = vf 1: contradicts device = none at line 3" },
	{ "[guest g]\nimage = a\ndevice = vf 1\ndevice = none\n", 4,
	  "device = none: contradicts the device at line 3" },
	{ "[guest g]\nimage = a\ndevice = vf 0\ndevice = vf 1\ndevice = vf 2\n"
	  "device = vf 3\ndevice = vf 4\n", 7, "too many devices in [guest g]: at most 4" },
	{ "[guest g]\nimage = a\nmemory = 2M\nmemory = 4M\n", 4,
	  "memory given twice (first at line 3)" },
};

static void test_errors(void **state)
{
	size_t i;

	for (i = 0; i < sizeof(error_cases) / sizeof(error_cases[0]); i++) {
		const struct error_case *e = &error_cases[i];
		struct result r;

		/* The UTF-16 case has NULs, so its length is spelt out. */
		if (e->text[0] == '\xff')
			parse_n(&r, e->text, 8);
		else
			parse(&r, e->text);
		if (r.ret != -1 || r.nerrs != 1 || r.errs[0].line != e->line ||
		    strcmp(r.errs[0].msg, e->msg)) {
			print_error("case %zu: want line %u: %s\n", i, e->line,
				    e->msg);
			print_error("got ret %d, %u errors\n", r.ret, r.nerrs);
			dump_errors(&r);
			fail();
		}
	}
}

/* Values too long for their field are errors, not truncated. */
static void test_too_long_values(void **state)
{
	char text[1024], big[300];
	struct result r;

	memset(big, 'p', 128);
	big[128] = '\0';
	snprintf(text, sizeof(text), "[guest g]\nimage = %s\n", big);
	parse(&r, text);
	assert_int_equal(r.ret, -1);
	assert_int_equal(r.nerrs, 1);
	expect_err(&r, 0, 2, "image = ppppppppppppppppppppppppppppp...: "
		   "path too long (128 characters, at most 127)");
	/* The guest stays, without the image. */
	assert_int_equal(r.cfg.nguests, 1);
	assert_string_equal(r.cfg.guests[0].image, "");

	memset(big, 'c', 256);
	big[256] = '\0';
	snprintf(text, sizeof(text), "[guest g]\nimage = a\ncmdline = %s\n", big);
	parse(&r, text);
	assert_int_equal(r.nerrs, 1);
	expect_err(&r, 0, 3, "cmdline = ccccccccccccccccccccccccccccc...: "
		   "too long (256 characters, at most 255)");
	assert_string_equal(r.cfg.guests[0].cmdline, "");
}

/* A NUL inside the file is an error on its own line, not the end. */
static void test_embedded_nul(void **state)
{
	static const char text[] = "selftest = on\nlog_level = de\0bug\ncpus = 2\n";
	struct result r;

	parse_n(&r, text, sizeof(text) - 1);
	assert_int_equal(r.ret, -1);
	assert_int_equal(r.nerrs, 1);
	expect_err(&r, 0, 2, "control character 0x00 in column 15");
	assert_true(r.cfg.selftest);
	assert_int_equal(r.cfg.log_level, 2);
	assert_int_equal(r.cfg.max_cpus, 2);
}

static void test_too_many_guests(void **state)
{
	char text[2048];
	struct result r;
	size_t n = 0;
	int i;

	for (i = 0; i < 10; i++)
		n += snprintf(text + n, sizeof(text) - n,
			      "[guest g%d]\nimage = g%d.elf\n", i, i);
	/* The tenth guest's keys are still checked. */
	snprintf(text + n, sizeof(text) - n, "memory = 3K\n");
	parse(&r, text);
	assert_int_equal(r.ret, -1);
	assert_int_equal(r.nerrs, 3);
	expect_err(&r, 0, 17, "too many guests: at most 8");
	expect_err(&r, 1, 19, "too many guests: at most 8");
	expect_err(&r, 2, 21, "memory = 3K: too small: at least 2M (the first 1M is the hypervisor's boot info and page tables)");
	assert_int_equal(r.cfg.nguests, CFG_MAX_GUESTS);
	for (i = 0; i < CFG_MAX_GUESTS; i++) {
		char want[16];

		snprintf(want, sizeof(want), "g%d", i);
		assert_string_equal(r.cfg.guests[i].name, want);
		assert_int_equal(r.cfg.guests[i].line, 2 * i + 1);
	}
	assert_int_equal(r.cfg.guests[7].memory, CFG_DEFAULT_GUEST_MEMORY);
}

static void test_too_many_inject(void **state)
{
	char text[1024];
	struct result r;
	size_t n = 0;
	int i;

	for (i = 0; i < 9; i++)
		n += snprintf(text + n, sizeof(text) - n,
			      "inject = ap-no-start:%d\n", i);
	parse(&r, text);
	assert_int_equal(r.ret, -1);
	assert_int_equal(r.nerrs, 1);
	expect_err(&r, 0, 9, "too many inject entries: at most 8");
	assert_int_equal(r.cfg.ninject, CFG_MAX_INJECT);
	assert_int_equal(r.cfg.inject[7].arg, 7);
}

static void test_too_many_devices(void **state)
{
	struct result r;

	parse(&r, "[guest g]\nimage = a\ndevice = vf 0\ndevice = pci 1:0.0\n"
		  "device = vf 2\ndevice = vf 3\ndevice = vf 4\ndevice = vf 5\n");
	assert_int_equal(r.nerrs, 2);
	expect_err(&r, 0, 7, "too many devices in [guest g]: at most 4");
	expect_err(&r, 1, 8, "too many devices in [guest g]: at most 4");
	assert_int_equal(r.cfg.guests[0].ndevices, 4);
	assert_int_equal(r.cfg.guests[0].devices[1].kind, CFG_DEV_PCI);
	assert_int_equal(r.cfg.guests[0].devices[3].vf_index, 3);
}

/*
 * All errors are collected, sorted by line; what parsed fine is kept. The
 * missing image of the first guest is only noticed at the second header
 * but is reported at its own line.
 */
static void test_many_errors(void **state)
{
	static const char text[] =
		"log_level = debug\n"		/* 1 */
		"selftest = bad\n"		/* 2 */
		"cpus = 2\n"			/* 3 */
		"[guest a]\n"			/* 4 */
		"memory = 2M\n"			/* 5 */
		"mem = 2M\n"			/* 6 */
		"[guest b]\n"			/* 7 */
		"image = b.elf\n"		/* 8 */
		"cpus = 2\n"			/* 9 */
		"[guest a]\n"			/* 10 */
		"memory = 64Q\n";		/* 11 */
	struct result r;

	parse(&r, text);
	assert_int_equal(r.ret, -1);
	assert_int_equal(r.nerrs, 5);
	expect_err(&r, 0, 2, "selftest = bad: expected on or off (or yes/no, true/false, 1/0)");
	expect_err(&r, 1, 4, "[guest a] has no image = PATH or kernel = PATH");
	expect_err(&r, 2, 6, "unknown key 'mem'");
	expect_err(&r, 3, 10, "[guest a] defined twice (first at line 4)");
	expect_err(&r, 4, 11, "memory = 64Q: unknown size suffix 'Q' (use K, M or G)");

	assert_int_equal(r.cfg.log_level, 3);
	assert_false(r.cfg.selftest);
	assert_int_equal(r.cfg.max_cpus, 2);
	assert_int_equal(r.cfg.nguests, 2);
	assert_int_equal(r.cfg.guests[0].memory, 2ull << 20);
	assert_string_equal(r.cfg.guests[1].image, "b.elf");
	assert_int_equal(r.cfg.guests[1].vcpus, 2);
}

/* Beyond max_errs errors are counted, not stored. */
static void test_max_errs(void **state)
{
	static const char text[] = "a = 1\nb = 2\nc = 3\nd = 4\ne = 5\n";
	struct cfg_error errs[3];
	struct hv_config c;
	u32 n = 0;

	memset(errs, 0x5a, sizeof(errs));
	assert_int_equal(config_parse(text, strlen(text), &c, errs, 2, &n), -1);
	assert_int_equal(n, 5);
	assert_int_equal(errs[0].line, 1);
	assert_string_equal(errs[0].msg, "unknown key 'a'");
	assert_int_equal(errs[1].line, 2);
	assert_string_equal(errs[1].msg, "unknown key 'b'");
	assert_int_equal(errs[2].line, 0x5a5a5a5a);

	/* No room at all, or no array: still counted. */
	n = 0;
	assert_int_equal(config_parse(text, strlen(text), &c, errs, 0, &n), -1);
	assert_int_equal(n, 5);
	assert_int_equal(config_parse(text, strlen(text), &c, NULL, 10, NULL), -1);
	n = 0;
	assert_int_equal(config_parse(text, strlen(text), &c, NULL, 10, &n), -1);
	assert_int_equal(n, 5);
}

/* A bad header still gets its section checked, as a guest section. */
static void test_bad_section_is_checked(void **state)
{
	struct result r;

	parse(&r, "[vm x]\nimage = a\nmemory = 1\nlog_level = info\n");
	assert_int_equal(r.nerrs, 3);
	expect_err(&r, 0, 1, "unknown section [vm x]: only [guest NAME] exists");
	expect_err(&r, 1, 3, "memory = 1: too small: at least 2M (the first 1M is the hypervisor's boot info and page tables)");
	expect_err(&r, 2, 4, "log_level is a global key: put it above the first [guest] section");
	assert_int_equal(r.cfg.nguests, 0);
}

static void test_device_str(void **state)
{
	struct cfg_device d = { .kind = CFG_DEV_NONE };
	char buf[32];

	assert_ptr_equal(config_device_str(&d, buf, sizeof(buf)), buf);
	assert_string_equal(buf, "none");
	d = (struct cfg_device){ .kind = CFG_DEV_VF, .vf_index = 7 };
	assert_string_equal(config_device_str(&d, buf, sizeof(buf)), "vf 7");
	d = (struct cfg_device){ .kind = CFG_DEV_PCI, .segment = 1, .bus = 0xff,
				 .dev = 0x1f, .fn = 7 };
	assert_string_equal(config_device_str(&d, buf, sizeof(buf)),
			    "pci 0001:ff:1f.7");
	d = (struct cfg_device){ .kind = CFG_DEV_PCI, .bus = 3 };
	assert_string_equal(config_device_str(&d, buf, sizeof(buf)),
			    "pci 0000:03:00.0");
	assert_string_equal(config_device_str(&d, buf, 6), "pci 0");
	d.kind = 9;
	assert_string_equal(config_device_str(&d, buf, sizeof(buf)),
			    "unknown device kind 9");
}

/* What the parser makes of a device line prints back the same way. */
static void test_device_round_trip(void **state)
{
	static const char *const devs[] = { "vf 0", "vf 63", "pci 0000:00:00.0",
					    "pci abcd:ef:1e.6" };
	char text[128], buf[32];
	struct result r;
	size_t i;

	for (i = 0; i < 4; i++) {
		snprintf(text, sizeof(text), "[guest g]\nimage=a\ndevice = %s\n",
			 devs[i]);
		expect_ok(&r, text);
		assert_string_equal(config_device_str(&r.cfg.guests[0].devices[0],
						      buf, sizeof(buf)),
				    devs[i]);
	}
}

/* A big file of comments goes through in linear time. */
static void test_large_file(void **state)
{
	size_t n = 200000 * 10, i;
	char *text = malloc(n + 20);
	struct result r;

	assert_non_null(text);
	for (i = 0; i < n; i += 10)
		memcpy(text + i, "# comment\n", 10);
	memcpy(text + n, "cpus = 3\n", 9);
	parse_n(&r, text, n + 9);
	free(text);
	assert_int_equal(r.ret, 0);
	assert_int_equal(r.cfg.max_cpus, 3);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_inject_kinds),
		cmocka_unit_test(test_example),
		cmocka_unit_test(test_crlf_bom),
		cmocka_unit_test(test_no_final_newline),
		cmocka_unit_test(test_linux_guest),
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_case_insensitive),
		cmocka_unit_test(test_values),
		cmocka_unit_test(test_guest_values),
		cmocka_unit_test(test_comments_and_quotes),
		cmocka_unit_test(test_lengths),
		cmocka_unit_test(test_sizes),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_too_long_values),
		cmocka_unit_test(test_embedded_nul),
		cmocka_unit_test(test_too_many_guests),
		cmocka_unit_test(test_too_many_inject),
		cmocka_unit_test(test_too_many_devices),
		cmocka_unit_test(test_many_errors),
		cmocka_unit_test(test_max_errs),
		cmocka_unit_test(test_bad_section_is_checked),
		cmocka_unit_test(test_device_str),
		cmocka_unit_test(test_device_round_trip),
		cmocka_unit_test(test_large_file),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
