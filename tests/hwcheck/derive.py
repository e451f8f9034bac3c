#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Independent derivation of tests/hwcheck/expected.tsv from raw tables.

Reads DMAR.dat and APIC.dat of every machine folder and decides, the way
Linux does (drivers/iommu/intel/dmar.c, irq_remapping.c; arch/x86/kernel/
acpi/boot.c), what the hypervisor should do. Written separately from the C
decision code on purpose: the test compares the two. Run it only to
regenerate the table after reading the differences by hand:

    tests/hwcheck/derive.py ../shared/real-acpi > tests/hwcheck/expected.tsv
"""
import os
import struct
import sys

HV_MAX_CPUS = 256


def cksum_ok(b):
    return len(b) >= 36 and sum(b) & 0xff == 0


def dmar_facts(b):
    """vtd, INTR_REMAP, X2APIC_OPT_OUT, used units, IOAPIC ids, RMRRs."""
    f = {"vtd": False, "why": "", "ir_flag": False, "optout": False,
         "units": 0, "ioapics": set(), "rmrr": 0, "rmrr_ok": 0}
    if len(b) < 48 or b[:4] != b"DMAR":
        f["why"] = "no DMAR"
        return f
    haw = b[36] + 1
    f["ir_flag"] = bool(b[37] & 1)
    f["optout"] = bool(b[37] & 2)
    off, ndrhd, bad = 48, 0, False
    length = struct.unpack_from("<I", b, 4)[0]
    while off + 4 <= length:
        t, ln = struct.unpack_from("<HH", b, off)
        if ln < 4 or off + ln > length:
            bad = True
            break
        if t == 0:
            ndrhd += 1
            flags = b[off + 4]
            base = struct.unpack_from("<Q", b, off + 8)[0]
            if base == 0:
                f["why"] = "DRHD at base 0 (VT-d disabled in firmware)"
                bad = True
            scopes = scope_list(b, off + 16, off + ln)
            if flags & 1 or scopes:
                f["units"] += 1
            for st, eid in scopes:
                if st == 3:
                    f["ioapics"].add(eid)
        elif t == 1:
            base, limit = struct.unpack_from("<QQ", b, off + 8)
            f["rmrr"] += 1
            # Rounded out to pages; mapped if below 2^HAW (Linux maps
            # every RMRR it accepts, warning about odd ones).
            if base <= limit and (limit | 0xfff) < (1 << haw):
                f["rmrr_ok"] += 1
        off += ln
    f["vtd"] = not bad and ndrhd > 0 and f["units"] > 0
    return f


def scope_list(b, off, end):
    out = []
    while off + 6 <= end:
        st, sl = b[off], b[off + 1]
        if sl < 8:
            break
        out.append((st, b[off + 4]))
        off += sl
    return out


def madt_facts(b):
    ids, ioapics, seen = [], [], set()
    off = 44
    while off + 2 <= len(b):
        t, ln = b[off], b[off + 1]
        if ln < 2:
            break
        if t == 0 and ln >= 8:
            aid, fl = b[off + 3], struct.unpack_from("<I", b, off + 4)[0]
            if fl & 1 and aid not in seen:
                seen.add(aid)
                ids.append(aid)
        elif t == 9 and ln >= 16:
            aid, fl = struct.unpack_from("<II", b, off + 4)
            if fl & 1 and aid not in seen:
                seen.add(aid)
                ids.append(aid)
        elif t == 1 and ln >= 12:
            ioapics.append(b[off + 2])
        off += ln
    return ids, ioapics


def decide(d):
    dmar = open(os.path.join(d, "DMAR.dat"), "rb").read()
    madt = open(os.path.join(d, "APIC.dat"), "rb").read()
    f = dmar_facts(dmar)
    ids, ioapics = madt_facts(madt)
    vtd = f["vtd"]
    # Linux: IR needs the INTR_REMAP flag and every IOAPIC under a scope
    # (ECAP.IR/QI are registers: assumed present, as hwcheck does).
    ir = vtd and f["ir_flag"] and all(i in f["ioapics"] for i in ioapics)
    # X2APIC_OPT_OUT honoured; the CPU is assumed x2APIC-capable.
    x2 = not f["optout"]
    start = [i for i in ids if x2 or i < 255][:HV_MAX_CPUS]
    return {
        "vtd": "on" if vtd else "off", "ir": "on" if ir else "off",
        "x2apic": "on" if x2 else "off",
        "units": f["units"] if vtd else 0,
        "rmrr": "%d/%d" % (f["rmrr_ok"] if vtd else 0, f["rmrr"]),
        "cpus": "%d/%d" % (len(start), len(ids)),
    }


def main():
    root = sys.argv[1]
    print("# machine\tvtd\tir\tx2apic\tunits\trmrr\tcpus")
    for m in sorted(os.listdir(root)):
        d = os.path.join(root, m)
        if not os.path.isdir(d):
            continue
        r = decide(d)
        print("\t".join([m] + [str(r[k]) for k in
                               ("vtd", "ir", "x2apic", "units", "rmrr",
                                "cpus")]))


if __name__ == "__main__":
    main()
