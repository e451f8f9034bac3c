/* SPDX-License-Identifier: MIT */
/*
 * Host-side replacement for the kernel's log_printf: prints to stderr when
 * UNIT_VERBOSE is set and keeps the last lines so tests can assert on what
 * the code under test reported.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "kernel/log.h"
#include "tests/unit/log_stub.h"

static char lines[LOG_STUB_LINES][256];
static unsigned nlines;

void log_printf(enum log_level level, const char *subsys, const char *fmt, ...)
{
	char msg[200];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	msg[strcspn(msg, "\n")] = '\0';
	snprintf(lines[nlines % LOG_STUB_LINES], sizeof(lines[0]), "%d [%s] %s",
		 (int)level, subsys, msg);
	nlines++;
	if (getenv_verbose())
		fprintf(stderr, "%s\n", lines[(nlines - 1) % LOG_STUB_LINES]);
}

int getenv_verbose(void)
{
	static int v = -1;

	if (v < 0)
		v = getenv("UNIT_VERBOSE") != NULL;
	return v;
}

void log_stub_reset(void)
{
	nlines = 0;
}

unsigned log_stub_count(void)
{
	return nlines;
}

/* True if one of the recorded lines contains needle. */
int log_stub_contains(const char *needle)
{
	unsigned i, n = nlines < LOG_STUB_LINES ? nlines : LOG_STUB_LINES;

	for (i = 0; i < n; i++)
		if (strstr(lines[i], needle))
			return 1;
	return 0;
}
