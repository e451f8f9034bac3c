#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Writes a folder of raw tables (*.dat) as `acpidump` text, so the test can
feed tools/hwcheck the format real users capture:  mkdump.py DIR > FILE"""
import os
import sys


def main():
    d = sys.argv[1]
    for f in sorted(os.listdir(d)):
        b = open(os.path.join(d, f), "rb").read()
        print("%s @ 0x%016x" % (b[:4].decode("ascii", "replace"), 0))
        for i in range(0, len(b), 16):
            c = b[i:i + 16]
            print("    %04X: %-48s %s" % (
                i, " ".join("%02X" % x for x in c),
                "".join(chr(x) if 32 <= x < 127 else "." for x in c)))
        print()


if __name__ == "__main__":
    main()
