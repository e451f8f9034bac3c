/* SPDX-License-Identifier: MIT */
#ifndef TESTS_UNIT_FIXTURE_H
#define TESTS_UNIT_FIXTURE_H

#include "lib/types.h"

/*
 * Reads a fixture file (path relative to the repository root, where the
 * tests run) into a malloc'd buffer of exactly its size, so ASan catches
 * any read past the end. Fails the current test if it cannot.
 */
u8 *fixture_read(const char *path, u64 *len);

#endif
