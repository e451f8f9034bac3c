#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Turn an ACPIDUMP serial log into binary ACPI table files.

The hypervisor (config acpi_dump=on) and the throwaway capture app used for
the QEMU fixtures print every ACPI table as lines of the form

    ACPIDUMP <SIG4> <pa-hex> <offset-hex>: <hex bytes, no spaces>

one line per 32 bytes (the last line of a table may be shorter). Anything
before "ACPIDUMP" on a line (a log prefix, terminal escape codes) and any
other line is ignored, so a raw serial capture can be fed in as it is.

This is the supported way to capture the ACPI tables of a real machine for
the unit tests: boot the hypervisor with acpi_dump=on, save the serial log,
and run this tool on it.

For every table found it writes OUTDIR/<SIG>.bin (<SIG>.2.bin, ... when a
signature occurs at several addresses, e.g. SSDTs) and OUTDIR/tables.txt,
the manifest the unit tests read:

    # free text (from --note) ...
    <SIG> <pa-hex> <length> <file>

It checks that each table's lines have contiguous offsets starting at 0, that
the byte count matches the table's own length field (RSDP: 20 bytes for
revision 0, else its Length field), and reports checksum errors (a bad
checksum on a real machine is worth keeping as a fixture: it is written
anyway, with a warning).
"""

import argparse
import os
import re
import sys

LINE_RE = re.compile(
    r"ACPIDUMP ([\x20-\x7e]{4}) ([0-9a-fA-F]+) ([0-9a-fA-F]+): ?([0-9a-fA-F]*)")
ESC_RE = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
SAFE_SIG_RE = re.compile(r"[^A-Za-z0-9_]")


class DumpError(Exception):
    pass


def parse_log(text):
    """Returns {(sig, pa): [(offset, bytes), ...]} in order of appearance,
    and the list of keys in first-seen order."""
    chunks = {}
    order = []
    for lineno, raw in enumerate(text.splitlines(), 1):
        line = ESC_RE.sub("", raw).replace("\r", "")
        m = LINE_RE.search(line)
        if not m:
            continue
        sig, pa, off, hexstr = m.groups()
        if len(hexstr) % 2:
            raise DumpError("line %d: odd number of hex digits" % lineno)
        key = (sig, int(pa, 16))
        if key not in chunks:
            chunks[key] = []
            order.append(key)
        chunks[key].append((int(off, 16), bytes.fromhex(hexstr), lineno))
    return chunks, order


def expected_length(sig, data):
    """The length the table says it has, or None if it cannot tell yet."""
    if sig == "RSDP":
        if len(data) < 20:
            return None
        if data[15] < 2:
            return 20
        if len(data) < 24:
            return None
        return int.from_bytes(data[20:24], "little")
    if len(data) < 8:
        return None
    return int.from_bytes(data[4:8], "little")


def assemble(sig, pa, parts):
    """Joins one table's lines; a table dumped twice (same sig and address)
    must be identical both times."""
    copies = []
    cur = bytearray()
    for off, b, lineno in parts:
        if off == 0 and cur:
            copies.append(bytes(cur))
            cur = bytearray()
        if off != len(cur):
            raise DumpError("%s at %#x: line %d has offset %#x, expected %#x "
                            "(lost or reordered lines)"
                            % (sig, pa, lineno, off, len(cur)))
        cur += b
    copies.append(bytes(cur))
    for c in copies[1:]:
        if c != copies[0]:
            raise DumpError("%s at %#x dumped twice with different contents"
                            % (sig, pa))
    data = copies[0]
    want = expected_length(sig, data)
    if want is None or want != len(data):
        raise DumpError("%s at %#x: %d bytes dumped, table length field says %s"
                        % (sig, pa, len(data), want))
    return data


def checksum_problem(sig, data):
    if sig == "FACS":  # FACS has no checksum (ACPI 6.5 section 5.2.10)
        return None
    if sig == "RSDP":
        if sum(data[:20]) & 0xff:
            return "RSDP checksum (first 20 bytes) does not sum to 0"
        if len(data) > 20 and sum(data) & 0xff:
            return "RSDP extended checksum does not sum to 0"
        return None
    if len(data) < 36:
        return "shorter than the 36-byte header"
    if sum(data) & 0xff:
        return "checksum does not sum to 0 (sum %#04x)" % (sum(data) & 0xff)
    return None


def main():
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("log", help="serial log containing ACPIDUMP lines "
                    "('-' for standard input)")
    ap.add_argument("outdir", help="directory for <SIG>.bin and tables.txt")
    ap.add_argument("--note", action="append", default=[],
                    help="line of free text for the manifest (e.g. the QEMU "
                    "command line); may be repeated")
    args = ap.parse_args()

    if args.log == "-":
        text = sys.stdin.buffer.read().decode("latin-1")
    else:
        with open(args.log, "rb") as f:
            text = f.read().decode("latin-1")

    try:
        chunks, order = parse_log(text)
        if not order:
            raise DumpError("no ACPIDUMP lines found")
        tables = [(sig, pa, assemble(sig, pa, chunks[(sig, pa)]))
                  for sig, pa in order]
    except DumpError as e:
        print("acpi-extract: error: %s" % e, file=sys.stderr)
        return 1

    os.makedirs(args.outdir, exist_ok=True)
    used = {}
    manifest = ["# ACPI tables extracted by tools/acpi-extract.py",
                "# format: SIG physical-address length file"]
    manifest += ["# " + n for n in args.note]
    status = 0
    for sig, pa, data in tables:
        base = SAFE_SIG_RE.sub("_", sig)
        used[base] = used.get(base, 0) + 1
        name = base + (".bin" if used[base] == 1 else ".%d.bin" % used[base])
        with open(os.path.join(args.outdir, name), "wb") as f:
            f.write(data)
        problem = checksum_problem(sig, data)
        if problem:
            print("acpi-extract: warning: %s at %#x: %s" % (sig, pa, problem),
                  file=sys.stderr)
        manifest.append("%s 0x%x %d %s" % (sig, pa, len(data), name))
        print("%s 0x%x %5d -> %s%s" % (sig, pa, len(data), name,
                                       "  (" + problem + ")" if problem else ""))
    with open(os.path.join(args.outdir, "tables.txt"), "w") as f:
        f.write("\n".join(manifest) + "\n")
    return status


if __name__ == "__main__":
    sys.exit(main())
