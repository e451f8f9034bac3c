/* SPDX-License-Identifier: MIT */
/*
 * The hypervisor's configuration file, \hv.cfg on the ESP.
 *
 * The boot stub reads the file and parses it with config_parse(); the
 * result travels to the kernel inside struct hv_bootinfo, which is why
 * everything here is fixed-size and pointer-free. The format is described
 * in docs/config.md.
 */
#ifndef BOOT_CONFIG_H
#define BOOT_CONFIG_H

#include "lib/types.h"

#define CFG_MAX_GUESTS 8
#define CFG_MAX_DEVICES 4	/* per guest */
#define CFG_MAX_INJECT 8

enum cfg_device_kind { CFG_DEV_NONE, CFG_DEV_VF, CFG_DEV_PCI };

/* A device passed through to a guest. */
struct cfg_device {
	u8 kind;		/* enum cfg_device_kind */
	u8 bus, dev, fn;	/* CFG_DEV_PCI */
	u16 segment;		/* CFG_DEV_PCI */
	u16 vf_index;		/* CFG_DEV_VF: igb VF 0..63 */
};

/* Fault injection for the boot tests. */
enum cfg_inject_kind {
	CFG_INJECT_AP_NO_START = 1,	/* arg: CPU index never started */
	CFG_INJECT_ACPI_CORRUPT,	/* sig: table whose checksum is flipped */
	CFG_INJECT_FAULT,		/* arg: CPU that takes an unhandled #PF */
};

struct cfg_inject {
	u8 kind;		/* enum cfg_inject_kind */
	u32 arg;		/* AP_NO_START, FAULT: the CPU index */
	char sig[5];		/* ACPI_CORRUPT: table signature, upper case */
};

struct cfg_guest {
	char name[16];		/* [A-Za-z0-9_-]{1,15} */
	char image[128];	/* path on the ESP, as written: ELF or bzImage */
	bool is_linux;		/* given as kernel =: a Linux bzImage */
	char initrd[128];	/* kernel = only; "" for none */
	u64 memory;		/* bytes, multiple of 4 KiB, 1 MiB..64 GiB */
	u32 vcpus;		/* 1..8 */
	u32 ndevices;
	struct cfg_device devices[CFG_MAX_DEVICES];
	char cmdline[256];
	u32 restarts;		/* started again after it ends, 0..10 */
	u32 line;		/* of the [guest NAME] header, for messages */
};

struct hv_config {
	u8 log_level;		/* enum log_level in kernel/log.h */
	bool selftest;
	bool acpi_dump;
	u16 debug_exit_port;	/* 0 = off */
	u32 max_cpus;		/* 0 = all in the MADT */
	u32 ninject;
	struct cfg_inject inject[CFG_MAX_INJECT];
	u32 nguests;
	struct cfg_guest guests[CFG_MAX_GUESTS];
};

/*
 * One problem in the file. msg does not repeat the line number: print
 * them as "hv.cfg line %u: %s".
 */
struct cfg_error {
	u32 line;
	char msg[120];
};

/* restart = N: at most this many restarts, so a crash loop ends. */
#define CFG_MAX_RESTARTS 10

/* A guest's memory when the file does not say. */
#define CFG_DEFAULT_GUEST_MEMORY (64ull << 20)

/*
 * log_level info, selftest off, acpi_dump off, debug_exit off, all CPUs, no
 * fault injection, no guests.
 */
void config_defaults(struct hv_config *cfg);

/*
 * Parses len bytes of text (need not be NUL-terminated; CRLF and a UTF-8
 * BOM are fine) into cfg, which starts from config_defaults(). Carries on
 * after an error so that one boot shows every mistake: up to max_errs
 * errors are stored in errs, sorted by line, and *nerrs receives how many
 * there were in all (errs and nerrs may be NULL). Returns 0 if there were
 * none, else -1; cfg then holds the defaults plus whatever parsed fine, and
 * the caller should not start guests from it.
 */
int config_parse(const char *text, size_t len, struct hv_config *cfg,
		 struct cfg_error *errs, u32 max_errs, u32 *nerrs);

/* True if the config asks for fault injection kind with argument arg. */
bool config_injects(const struct hv_config *cfg, u8 kind, u32 arg);

/* config_parse_size() results. */
#define CFG_SIZE_OK 0
#define CFG_SIZE_EINVAL (-1)	/* no number */
#define CFG_SIZE_ESUFFIX (-2)	/* a suffix other than K, M, G */
#define CFG_SIZE_ERANGE (-3)	/* does not fit in 64 bits */

/*
 * A byte count: decimal or 0x hex, then optionally K, M or G (either case,
 * powers of 1024), spaces allowed around and between. "64M", "2G", "4096",
 * "0x100000". Returns CFG_SIZE_OK and sets *out, or a CFG_SIZE_E* code.
 */
int config_parse_size(const char *s, u64 *out);

/*
 * "none", "vf 3" or "pci 0000:03:00.0", for the log. Returns buf.
 */
const char *config_device_str(const struct cfg_device *d, char *buf,
			      size_t len);

#endif
