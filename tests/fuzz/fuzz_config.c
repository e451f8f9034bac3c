/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target for the \hv.cfg parser, which reads bytes straight off
 * the ESP before anything else can check them.
 *
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -I. -DHV_HOST_TEST \
 *       tests/fuzz/fuzz_config.c boot/config.c lib/format.c lib/string.c \
 *       -o build/fuzz_config
 *   build/fuzz_config -max_total_time=60 tests/fuzz/corpus/config
 *
 * Besides the sanitizers, it checks what the parser promises: errors iff
 * -1, terminated messages sorted by line, every field within its limits.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "boot/config.h"
#include "tests/fuzz/fuzz_check.h"

#define MAX_ERRS 16

static bool terminated(const char *s, size_t size)
{
	return memchr(s, '\0', size) != NULL;
}

static void check_guest(const struct cfg_guest *g, bool clean, u32 nlines)
{
	size_t i, n = strnlen(g->name, sizeof(g->name));
	u32 d;

	CHECK(n > 0 && n < sizeof(g->name));
	for (i = 0; i < n; i++)
		CHECK((g->name[i] >= 'a' && g->name[i] <= 'z') ||
		      (g->name[i] >= 'A' && g->name[i] <= 'Z') ||
		      (g->name[i] >= '0' && g->name[i] <= '9') ||
		      g->name[i] == '_' || g->name[i] == '-');
	CHECK(terminated(g->image, sizeof(g->image)));
	CHECK(terminated(g->cmdline, sizeof(g->cmdline)));
	CHECK(!clean || g->image[0]);
	CHECK(g->memory >= (1ull << 20) && g->memory <= (64ull << 30) &&
	      g->memory % 4096 == 0);
	CHECK(g->vcpus >= 1 && g->vcpus <= 8);
	CHECK(g->line >= 1 && g->line <= nlines);
	CHECK(g->ndevices <= CFG_MAX_DEVICES);
	for (d = 0; d < g->ndevices; d++) {
		const struct cfg_device *dev = &g->devices[d];

		CHECK(dev->kind == CFG_DEV_VF || dev->kind == CFG_DEV_PCI);
		if (dev->kind == CFG_DEV_VF)
			CHECK(dev->vf_index <= 63);
		else
			CHECK(dev->dev <= 0x1f && dev->fn <= 7);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cfg_error errs[MAX_ERRS];
	struct hv_config cfg;
	u32 nerrs = 0, nerrs2 = 0, nlines = 1, i;
	char *copy;
	int ret;

	/* Exactly size bytes, no terminator: ASan sees any over-read. */
	copy = malloc(size ? size : 1);
	if (!copy)
		return 0;
	memcpy(copy, data, size);
	for (i = 0; i < size; i++)
		nlines += copy[i] == '\n';

	ret = config_parse(copy, size, &cfg, errs, MAX_ERRS, &nerrs);
	CHECK((ret == 0) == (nerrs == 0));
	CHECK(ret == 0 || ret == -1);
	for (i = 0; i < nerrs && i < MAX_ERRS; i++) {
		CHECK(terminated(errs[i].msg, sizeof(errs[i].msg)));
		CHECK(errs[i].msg[0] != '\0');
		CHECK(errs[i].line >= 1 && errs[i].line <= nlines);
		CHECK(i == 0 || errs[i - 1].line <= errs[i].line);
	}

	CHECK(cfg.log_level <= 3);
	CHECK(cfg.max_cpus <= 1024);
	CHECK(cfg.ninject <= CFG_MAX_INJECT);
	for (i = 0; i < cfg.ninject; i++) {
		CHECK(cfg.inject[i].kind == CFG_INJECT_AP_NO_START ||
		      cfg.inject[i].kind == CFG_INJECT_ACPI_CORRUPT);
		if (cfg.inject[i].kind == CFG_INJECT_ACPI_CORRUPT)
			CHECK(strlen(cfg.inject[i].sig) == 4);
	}
	CHECK(cfg.nguests <= CFG_MAX_GUESTS);
	for (i = 0; i < cfg.nguests; i++)
		check_guest(&cfg.guests[i], ret == 0, nlines);

	/* Storing no messages must not change what is found. */
	CHECK(config_parse(copy, size, &cfg, NULL, 0, &nerrs2) == ret);
	CHECK(nerrs2 == nerrs);

	free(copy);
	return 0;
}
