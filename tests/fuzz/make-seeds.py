#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Writes the generated seeds of the fuzz targets: the x86_decode and
igb_mbx and platform corpora (tests/fuzz/corpus/{x86_decode,igb_mbx,platform}/) from the cases
the unit tests use (tests/unit/test_x86_decode.c, tests/unit/test_igb_mbx.c),
so the fuzzer starts from inputs that reach every decoder path and every
message type, and a small hand-made ELF for the elf corpus. The other
seeds are copies of fixtures (see docs/testing.md). Run it again after changing the cases: python3 tests/fuzz/make-seeds.py
"""
import os
import struct
import sys

HERE = os.path.dirname(os.path.abspath(__file__))

# Instructions the decoder handles, plus a few it must reject.
X86 = {
    "hlt": "f4",
    "vmmcall": "0f01d9",
    "vmcall": "0f01c1",
    "rdmsr": "0f32",
    "wrmsr-rexw": "480f30",
    "cpuid": "0fa2",
    "cs-hlt": "2ef4",
    "in-al-imm": "e460",
    "out-imm-eax": "e780",
    "in-ax-imm": "66e571",
    "out-dx-al": "ee",
    "in-eax-dx": "ed",
    "out-dx-ax": "66ef",
    "out-dx-rexw": "48ef",
    "rep-outsb": "f36e",
    "rep-insw": "f3666d",
    "mov-store": "8907",
    "mov-store-disp8-rexw": "48894f08",
    "mov-load-disp32-rexr": "448b8700100000",
    "mov-load-sib": "8b0424",
    "mov-load-sib-disp8": "8b4424f8",
    "mov-load-sib-abs": "8b0425000000fe",
    "mov-load-riprel": "8b0510000000",
    "mov-load-sib-index": "8b848800010000",
    "mov-store-byte": "880e",
    "mov-store-word": "668906",
    "mov-load-addr32": "678b07",
    "mov-load-r15": "4c8b3f",
    "mov-imm32": "c70778563412",
    "mov-imm-rexw": "48c74710ffffffff",
    "mov-imm16": "66c7073412",
    "mov-imm8": "c607ab",
    "mov-moffs64": "a10102030405060708",
    "mov-moffs32": "67a301020304",
    "movzx-byte": "0fb607",
    "movzx-word-rexw": "480fb74702",
    "rex-then-opsize": "48668907",
    "opsize-then-rexw": "66488907",
    "prefixes-14-hlt": "66" * 14 + "f4",
    "reject-truncated": "0f01",
    "reject-no-disp8": "8947",
    "reject-reg-reg": "89c0",
    "reject-vmrun": "0f01d8",
    "reject-too-long": "66" * 15 + "f4",
}

PF_MAC = bytes([0x52, 0x54, 0x00, 0x12, 0x34, 0x56])
WORDS = 16
RESET, SET_MAC, SET_MC, SET_VLAN, SET_LPE = 1, 2, 3, 4, 5
ACK, NACK = 1 << 31, 1 << 30


def vf_mac(vf):
    """igb_vf_mac() of drivers/igb_mbx.c."""
    m = bytearray(PF_MAC)
    m[0] = (m[0] | 0x02) & ~0x01
    m[3] ^= 0x80
    m[5] ^= (vf + 1) & 0xff
    return bytes(m)


def mac_words(mac):
    return [struct.unpack("<I", mac[0:4])[0], mac[4] | mac[5] << 8]


def msg(*words, length=None):
    """One message in the fuzz target's format: length byte, words."""
    n = len(words) if length is None else length
    return bytes([n]) + b"".join(struct.pack("<I", w) for w in words)


def mbx_inputs():
    vf = 3
    mac = mac_words(vf_mac(vf))
    other = mac_words(vf_mac(vf + 1))
    reset = msg(RESET)
    mc30 = [SET_MC | 30 << 16] + [i | (i + 100) << 16 for i in range(1, WORDS)]
    vlans = b"".join(msg(SET_VLAN | 1 << 16, 200 + i) for i in range(8))
    return {
        "reset": reset,
        "set-mac-before-reset": msg(SET_MAC, *mac),
        "set-mac": reset + msg(SET_MAC, *mac),
        "set-mac-spoofed": reset + msg(SET_MAC, *other),
        "set-mac-short": reset + msg(SET_MAC, mac[0]),
        "set-multicast-3": reset + msg(SET_MC | 3 << 16, 0x0123 | 0x0456 << 16, 0x0789),
        "set-multicast-30": reset + msg(*mc30),
        "set-multicast-31": reset + msg(SET_MC | 31 << 16, *mc30[1:]),
        "set-multicast-short": reset + msg(SET_MC | 10 << 16, 1, 2, 3),
        "set-multicast-clear": reset + msg(SET_MC | 3 << 16, 1, 2) + msg(SET_MC),
        "set-vlan-add-remove": reset + msg(SET_VLAN | 1 << 16, 100)
        + msg(SET_VLAN | 1 << 16, 100) + msg(SET_VLAN, 100),
        "set-vlan-bad": reset + msg(SET_VLAN | 1 << 16, 4096) + msg(SET_VLAN),
        "set-vlan-full": reset + vlans + msg(SET_VLAN | 1 << 16, 999),
        "set-lpe": reset + msg(SET_LPE, 9000) + msg(SET_LPE, 9217) + msg(SET_LPE, 10),
        "unknown-types": reset + msg(0x99) + msg(0x06),
        "bad-lengths": reset + msg(length=0) + msg(*([SET_LPE] + [0] * WORDS)),
        "reply-bounced": reset + msg(RESET | ACK) + msg(SET_MAC | NACK, *mac),
        "reset-forgets": reset + msg(SET_LPE, 9000) + msg(SET_VLAN | 1 << 16, 5)
        + reset + msg(SET_MAC, *mac),
    }


def elf_small():
    """A 3-segment ELF of 256 bytes (code, data + bss, a non-LOAD note):
    the fuzzer mutates its headers far more often than those of a real
    guest, whose bytes are mostly code."""
    phnum, phoff = 3, 64
    code_off = phoff + 56 * phnum
    code = bytes.fromhex("f4ebfd") + bytes(5)        # hlt; jmp $-1
    data_off = code_off + len(code)
    data = bytes(range(16))
    ehdr = struct.pack("<4sBBBBB7sHHIQQQIHHHHHH", b"\x7fELF", 2, 1, 1, 0, 0,
                       bytes(7), 2, 62, 1, 0x100000, phoff, 0, 0, 64, 56,
                       phnum, 0, 0, 0)
    load = "<IIQQQQQQ"
    ph = struct.pack(load, 1, 5, code_off, 0x100000, 0x100000, len(code),
                     len(code), 0x1000)
    ph += struct.pack(load, 1, 6, data_off, 0x101000, 0x101000, len(data),
                      0x2000, 0x1000)
    ph += struct.pack(load, 4, 4, code_off, 0, 0, 4, 4, 4)  # PT_NOTE
    return ehdr + ph + code + data


def bz_small():
    """The bzImage of tests/unit/test_linux_boot.c's make(): a 2.15 setup
    header like the Debian kernel's (3 setup sectors, 2 MiB alignment,
    16 MiB preferred address, 1 MiB init_size) and a 12 KiB kernel, after
    the target's two guest bytes (32 MiB of RAM, a 4 KiB initrd)."""
    setup_sects, kernel = 3, 0x3000
    b = bytearray((setup_sects + 1) * 512 + kernel)
    b[0x1f1] = setup_sects
    struct.pack_into("<I", b, 0x1f4, kernel // 16)     # syssize
    struct.pack_into("<H", b, 0x1fe, 0xaa55)           # boot flag
    b[0x200], b[0x201] = 0xeb, 0x26c - 0x202           # jump: header end
    struct.pack_into("<IH", b, 0x202, 0x53726448, 0x020f)  # HdrS, 2.15
    b[0x211] = 0x01                                    # LOADED_HIGH
    struct.pack_into("<II", b, 0x22c, 0x7fffffff, 2 << 20)
    b[0x234] = 1                                       # relocatable
    struct.pack_into("<HI", b, 0x236, 0x7f, 2047)      # xloadflags, cmdline
    struct.pack_into("<QI", b, 0x258, 16 << 20, 1 << 20)
    for i in range(kernel):
        b[(setup_sects + 1) * 512 + i] = (i * 7 + 1) & 0xff
    return bytes([16, 4]) + bytes(b)


def write(target, inputs):
    d = os.path.join(HERE, "corpus", target)
    os.makedirs(d, exist_ok=True)
    for name, data in inputs.items():
        with open(os.path.join(d, name), "wb") as f:
            f.write(data)
    print(f"{d}: {len(inputs)} seeds")


# fuzz_platform: 3-byte steps (operation, value, clock step).
RTC_INDEX, RTC_DATA, RTC_READ, PIC_OUT, PIC_IN = 0, 1, 8, 2, 2 | 32
RAISE, TAKE, CHECK_RTC = 4, 5, 6


def rtc_w(reg, val):
    return bytes([RTC_INDEX, reg, 0, RTC_DATA, val, 0])


def rtc_r(reg, dt=0):
    return bytes([RTC_INDEX, reg, dt, RTC_DATA | RTC_READ, 0, 0])


def pic_w(port, val):
    return bytes([PIC_OUT | port << 3, val, 0])


def pic_r(port):
    return bytes([PIC_IN | port << 3, 0, 0])


def platform_inputs():
    """Linux's RTC read and set, the flags of C, Linux's 8259 init with
    an interrupt taken, poll mode, special mask mode, the ISR read."""
    check = bytes([CHECK_RTC, 0, 0])
    read = b"".join(rtc_r(r) for r in (10, 0, 2, 4, 7, 8, 9, 10, 0)) + check
    set_ = (rtc_w(11, 0x82) + rtc_w(9, 0x27) + rtc_w(8, 0x02) + rtc_w(7, 0x29)
            + rtc_w(4, 0x12) + rtc_w(2, 0x30) + rtc_w(0, 0x00) + rtc_w(11, 0x02)
            + bytes([CHECK_RTC, 0, 40]))
    flags = (rtc_w(1, 0x10) + rtc_w(3, 0xc0) + rtc_w(5, 0xc0) + rtc_w(11, 0x72)
             + rtc_r(12, 100) + rtc_r(12, 200) + rtc_w(10, 0x6f) + rtc_r(0, 50)
             + rtc_w(10, 0x26) + check)
    pic = (pic_w(1, 0xff) + pic_w(3, 0xff) + pic_w(0, 0x11) + pic_w(1, 0x30)
           + pic_w(1, 4) + pic_w(1, 1) + pic_w(2, 0x11) + pic_w(3, 0x38)
           + pic_w(3, 2) + pic_w(3, 1) + pic_w(1, 0xeb)
           + bytes([RAISE, 4, 0, TAKE, 0, 0]) + pic_w(0, 0x64)
           + pic_w(0, 0x0b) + pic_r(0) + bytes([RAISE, 4, 0]) + pic_w(0, 0x0c)
           + pic_r(0) + pic_w(0, 0x68) + bytes([RAISE, 3, 0, TAKE, 0, 0]))
    return {"linux-read": read, "linux-set": set_, "flags": flags,
            "pic-init": pic}


def main():
    write("x86_decode", {k: bytes.fromhex(v) for k, v in X86.items()})
    write("elf", {"small-3seg.elf": elf_small()})
    write("bzimage", {"small-2.15.bz": bz_small()})
    # Byte 0 picks the VF: 3, as in the unit test.
    write("igb_mbx", {k: b"\x03" + v for k, v in mbx_inputs().items()})
    write("platform", platform_inputs())
    return 0


if __name__ == "__main__":
    sys.exit(main())
