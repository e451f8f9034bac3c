#!/usr/bin/env bash
# An unmodified Debian Linux kernel (make linux-guest: pinned bzImage and
# initramfs, docs/linux-guest.md) boots as a guest on the SVM backend and
# drives igb VF 1 with Linux's own igbvf driver (tests/configs/
# linux_test.cfg). Loaded by vmm/linux_boot.c and entered in the 64-bit
# boot protocol's state, it finds its CPU through the MP table, runs its
# x2APIC TSC-deadline timer and /init (printing through the 8250 driver's
# interrupt). Its VF's config space, BARs and 3 MSI-X vectors come from
# the VMM's virtual PCI; the PF answers the reset handshake with the VF's
# MAC. /init gets a DHCP lease from QEMU's user net, pings 10.0.2.2,
# fetches the lwIP web guest's page over VF-to-VF, shows igbvf's MSI-X
# counts from /proc/interrupts and powers off, which the VMM takes as its
# exit. web exits 0 once it has served that page. Beside them pcattack,
# our own guest packed as a bzImage, gets the same Linux platform and
# attacks it (docs/hostile-guests.md): each refusal is logged once, no
# NMI reaches a host CPU, the neighbours finish as usual. Four more
# Linux guests cannot start, each with its reason in one line.
# Linux under nested TCG takes ~30 s of guest time; give it room on a
# loaded machine (guest limits 120 s in the config).
BOOT_TIMEOUT=${BOOT_TIMEOUT:-170}
source "$(dirname "$0")/lib.bash"

need_linux_guest

t0=$(date -u +%s)
boot smp4 "$ROOT/tests/configs/linux_test.cfg" --smp 4
t1=$(date -u +%s)
expect_exit $EXIT_FAIL "the four guests that cannot start fail the run"

# The loader and the platform.
expect_line '^\[vmm\] linux: Linux boot protocol 2\.15, kernel [0-9]+ KiB at 0x1000000 \(init_size [0-9]+ MiB\), initrd [0-9]+ KiB at 0x[0-9a-f]+' "the loader placed kernel and initrd"
expect_line '^\[vmm\] linux: linux/vmlinuz, Linux bzImage, entry 0x1000200; 256 MiB RAM'
expect_line '^\[linux\] \| .*Linux version 6\.12\.' "the kernel's banner on its console"
expect_line '^\[vmm\] linux: cmdline \+= "noapic x2apic_phys tsc_early_khz=[0-9]+" \(no I/O APIC; physical MSI destinations; the TSC.s rate\)$' "the VMM's platform words"
expect_line '^\[linux\] \| .*APIC: Switched APIC routing to: physical x2apic$' "x2APIC without remapping, found through the MP table"
expect_line '^\[linux\] \| .*Run /init as init process$' "it reaches /init"
expect_line '^\[linux\] \| linux-guest: init running, kernel 6\.12\.' "/init's own output, through the 8250 driver's THRE interrupt (IRQ 4 via the virtual 8259)"
expect_no_line '^\[linux\] \| .*(Kernel panic|Oops)' "no oops or panic on the way"

# The RTC (vmm/vrtc.c) on the hypervisor's wall clock (UEFI GetTime at
# boot, then the TSC): Linux reads it at once and sets its clock from it.
expect_line '^\[timer\] wall clock 20[0-9]{2}-[01][0-9]-[0-3][0-9] [0-2][0-9]:[0-5][0-9]:[0-5][0-9] UTC from UEFI GetTime' "the wall clock from the firmware"
expect_no_line 'Unable to read current time from RTC' "no RTC retries"
expect_line '^\[linux\] \| .*rtc_cmos rtc_cmos: setting system clock to 20[0-9-]+T[0-9:]+ UTC \([0-9]+\)$' "Linux's rtc-cmos driver reads it"
# QEMU's own RTC starts at this machine's time (UTC), so the date /init
# prints lies within the boot's start and end.
guest_date=$(clean_log | sed -n 's/^\[linux\] | linux-guest: date \([0-9T:-]*\)Z .*/\1/p' | head -n 1)
guest_s=$(date -u -d "${guest_date/T/ }" +%s 2>/dev/null || echo 0)
if [ "$guest_s" -lt "$t0" ] || [ "$guest_s" -gt "$t1" ]; then
	fail "/init's date '$guest_date' ($guest_s) is outside the boot's [$t0, $t1]"
fi

# The VF, driven by igbvf.
expect_line '^\[igb\] VF1: RESET -> ACK'
expect_no_line 'PF still in reset state' "the reset handshake gives igbvf its MAC"
expect_no_line '^\[vmm\] warning: linux: dev 01 MSI-X entry [0-9] refused' "Linux's MSI-X entries are accepted"
expect_no_line '^\[igb\] warning: VF1: SET_MAC' "igbvf's filter clearing is not taken for MAC spoofing"
expect_line '^\[linux\] \| .*igbvf: Intel\(R\) Gigabit Virtual Function Network Driver$'
expect_line '^\[linux\] \| linux-guest: igbvf loaded$'
expect_line '^\[linux\] \| linux-guest: dhcp ok$' "a lease through the VF"
expect_line '^\[linux\] \| linux-guest: PASS ping 10\.0\.2\.2$' "ping through the VF"
expect_line '^\[linux\] \| linux-guest: PASS fetched http://10\.0\.2\.15/status \([0-9]+ bytes, guest: web\)$' "web's page, VF to VF"
expect_line '^\[linux\] \| linux-guest: irq eth0-rx-0 [1-9][0-9]*$' "igbvf's RX vector fired (/proc/interrupts)"
expect_line '^\[linux\] \| linux-guest: irq eth0-tx-0 [1-9][0-9]*$' "igbvf's TX vector fired"
expect_line '^\[vmm\] linux: [0-9]+ exits .*; [1-9][0-9]* device irqs posted; [1-9][0-9]* timer irqs raised, [1-9][0-9]* taken$' "VF interrupts delivered, TSC-deadline timer ticks"

# Its end, and the neighbour's.
expect_line '^\[linux\] \| linux-guest: powering off$'
expect_line '^\[vmm\] linux: halted with interrupts off at RIP 0x[0-9a-f]+: Linux powered off \(no ACPI\); its exit, status 0$'
expect_line '^\[vmm\] linux exited with status 0$'
expect_line '^\[test\] PASS linux: exit status 0, expected 0'
expect_line '^\[web\] \| web: 1 page\(s\) served, exiting in 2 s$'
expect_line '^\[vmm\] web exited with status 0$'
expect_line '^\[vmm\] 3 of 7 guest\(s\) started, all stopped; verdict FAIL'
expect_no_line '^\[(hv|vmm|test)\].*PANIC'

# The attacker on the Linux platform (guest-tests/pcattack.c).
a='^\[pcattack\] \| pcattack:'
v='^\[vmm\] pcattack:'
expect_line "$v Linux boot protocol 2\.15, kernel [0-9]+ KiB at 0x100000" "our bzImage is taken as Linux"
expect_line "$a icr: 80 IPIs the vCPU may not have: 0 arrived, 0 NMIs, 0 on vectors 0-15\$"
expect_line "$a icr: fixed to itself, 5 encodings: 5 arrived; 20000 self IPIs with interrupts off: 1 arrived\$"
for m in lowest-priority SMI NMI INIT SIPI ExtINT; do
	expect_count "$v ICR 0x[0-9a-f]+ \($m, vector [0-9]+\) at RIP 0x[0-9a-f]+: only fixed IPIs are delivered: refused " 1
done
expect_count "$v ICR 0x[0-9a-f]+ \(fixed, vector 33\) .*: no vCPU at that destination: dropped " 1
expect_count "$v (ICR|SELF_IPI) 0x[0-9a-f]+ \(fixed, vector [0-9]\) .*: vector below 16 is illegal: dropped " 1
expect_line '^\[vmm\] host CPUs took 0 NMI\(s\) in all$' "no IPI of the attacker left its vCPU"
expect_line "$a pic: half-initialized: 0 interrupts; base 0x00: IRQ 4 arrived 1 time\(s\) on vector 4\$"
expect_line "$a pic: poll word 0x84, ISR 0x10, after a specific EOI for IR3 0x10, IRR 0; 1 interrupts in all\$"
expect_line "$a rtc: D via index 0x8d 0x80, CMOS 0x7f 0x5a, A after 0xff 0x7f, C 0x[0-9a-f]+, year after setting 2030 0x30\$"
expect_line "$a rtc: after 2000 random writes D 0x80, UIP clears: yes\$"
expect_line "$v RTC time written is no date from 1970 to 9999: its clock keeps its time\$" "garbage written with SET held is refused"
expect_line "$v RTC set by the guest: its clock is now \+9[0-9]{7} s from the host's" "2030 is its own view"
expect_line "$v RTC interrupts enabled \(register B 0x[0-9a-f]+\): their flags show in register C, IRQ 8 is never raised\$"
rtc_lines=$(clean_log | grep -Ec "$v (RTC|further RTC|further refused RTC)")
[ "$rtc_lines" -le 18 ] || fail "$rtc_lines RTC lines for pcattack: the log is flooded"
expect_count "$v (in from|out to) port (0|0x[0-9a-f]+) .*no device there" 1
expect_line "$a ports: 0 reads not all ones; rep insb: 64 bytes of 0xff; rep outsw: RSI \+64\$"
expect_line "$a ports: rep insl from 0x71: 0xffffff80 0xffffff80; std rep insb stopped at buf\+55, buf\[56\.\.63\] = 0xff\$"
expect_line "$a PASS after 4 of 4 parts; still running, 0 NMIs, 0 stray vectors\$"
expect_line '^\[vmm\] pcattack exited with status 0$'
expect_line '^\[vmm\] pcattack +exited +yes +[0-9]+ +[1-9][0-9]* +intact$' "its refusals counted in the table"

# Each reason a Linux guest cannot start is one line; the others run.
expect_line '^\[boot\] guest nokernel: cannot load kernel linux/does-not-exist: not found'
expect_line '^\[vmm\] error: nokernel: kernel linux/does-not-exist could not be loaded \(see the \[boot\] line\); not started$'
expect_line '^\[vmm\] error: notbz: bad kernel guests/hello\.elf: not a bzImage: boot flag (0|0x[0-9a-f]+), expected 0xaa55; not started$'
expect_line '^\[vmm\] error: small: kernel linux/vmlinuz cannot be placed in 64 MiB: kernel does not fit in guest RAM: it needs up to 0x[0-9a-f]+ \(load address \+ init_size\), RAM ends at 0x4000000; not started$'
expect_line '^\[vmm\] error: noinitrd: initrd linux/does-not-exist\.cpio\.gz could not be loaded \(see the \[boot\] line\); not started$'
for g in nokernel notbz small noinitrd; do
	expect_line "^\[test\] FAIL $g: not started"
done
expect_line '^\[test\] PASS vmm: guest memory returned'
finish
