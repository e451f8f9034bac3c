#!/usr/bin/env bash
# Boots the hypervisor under Bochs 2.7 (the only VT-x emulator available:
# QEMU TCG has no VMX) with OVMF, from a FAT disk image holding the same
# ESP as the QEMU runs (EFI/BOOT/BOOTX64.EFI, hv.cfg, guests/). Headless:
# display_library term with TERM=dumb, the internal debugger told to
# continue then quit (-rc), COM1 to a file. See docs/vmm.md and the Bochs
# section of the platform notes (shared/PLATFORM.md).
#
# Bochs's own exit status is always 1 and it cannot see isa-debug-exit, so
# the verdict comes from the serial log: this script watches for the
# "[hv] exit: ..." line, stops Bochs, and exits like tools/qemu-run.sh
# --raw-status would: 33 pass, 35 fail, 37 panic, 124 timeout, 2 setup.
#
#   tools/bochs-run.sh [--esp DIR] [--config FILE] [--smp N] [--mem MB]
#                      [--timeout SECONDS] [--log FILE] [--model CPU]
#                      [--chroot DIR]
# --chroot runs the Bochs installed in DIR (e.g. Bochs 3.0 from a Debian
# trixie debootstrap, for posted interrupts) with this machine's OVMF.
# Debugging knobs: BOCHS_INFO=report logs Bochs's info messages (IPIs,
# CPU resets) to the .bochs.log kept next to --log; BOCHS_CPU_EXTRA=
# ", reset_on_triple_fault=0" makes a triple fault stop Bochs with the
# CPU's registers (RIP, CR2) instead of resetting the machine.
# BOCHS_IPS (80000000): each CPU's instructions per emulated second. Bochs
# runs its CPUs in turn, so an emulated second costs about count x ips
# instructions of real time: a lower figure makes timed waits (firmware
# stalls, a guest's timeout) cheaper, and CPU-bound work look slower.
set -uo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=tools/linux-inputs.sh
source "$root/tools/linux-inputs.sh"
esp=$root/build/esp
config=""
smp=2
mem=256
timeout_s=300
log=""
model=corei7_skylake_x
chroot_dir=""

while [ $# -gt 0 ]; do
	case "$1" in
	--esp) esp=$2; shift 2 ;;
	--config) config=$2; shift 2 ;;
	--smp) smp=$2; shift 2 ;;
	--mem) mem=$2; shift 2 ;;
	--timeout) timeout_s=$2; shift 2 ;;
	--log) log=$2; shift 2 ;;
	--model) model=$2; shift 2 ;;
	--chroot) chroot_dir=$(cd "$2" && pwd); shift 2 ;;
	*) echo "bochs-run: unknown option $1" >&2; exit 2 ;;
	esac
done

if [ -n "$chroot_dir" ]; then
	[ -x "$chroot_dir/usr/bin/bochs" ] || { echo "bochs-run: no bochs in $chroot_dir" >&2; exit 2; }
else
	command -v bochs >/dev/null || { echo "bochs-run: bochs not installed (make deps)" >&2; exit 2; }
fi
ovmf=/usr/share/ovmf/OVMF.fd
[ -f "$ovmf" ] || { echo "bochs-run: $ovmf missing (make deps)" >&2; exit 2; }
efi=$esp/EFI/BOOT/BOOTX64.EFI
[ -f "$efi" ] || { echo "bochs-run: $efi not built (run make)" >&2; exit 2; }

if [ -n "$chroot_dir" ]; then
	work=$(mktemp -d "$chroot_dir/tmp/hvbochs.XXXXXX")
	inner=${work#"$chroot_dir"}	# the same directory seen from inside
else
	work=$(mktemp -d "${TMPDIR:-/tmp}/hvbochs.XXXXXX")
	inner=$work
fi
bochs_pid=""
keep_logs=""
tail_pid=""
cleanup() {
	# Bochs ignores SIGTERM: SIGKILL the one we started, by its id.
	[ -n "$bochs_pid" ] && kill -KILL "$bochs_pid" 2>/dev/null
	[ -n "$tail_pid" ] && kill "$tail_pid" 2>/dev/null
	if [ -n "$keep_logs" ]; then
		cp "$work/bochs.log" "$keep_logs.bochs.log" 2>/dev/null
		cp "$work/bochs.out" "$keep_logs.bochs.out" 2>/dev/null
	fi
	rm -rf "$work"
}
trap cleanup EXIT
if [ -n "$log" ]; then
	case "$log" in /*) ;; *) log=$PWD/$log ;; esac	# Bochs runs in $work
	keep_logs=$log	# Bochs's own log next to the serial log
else
	log=$work/serial.log
fi
: >"$log"

# A flat disk image must be a multiple of 16 heads x 63 sectors x 512.
img=$work/esp.img
dd if=/dev/zero of="$img" bs=516096 count=64 status=none
mformat -i "$img" -t 64 -h 16 -s 63 :: >/dev/null
mmd -i "$img" ::/EFI ::/EFI/BOOT
mcopy -i "$img" "$efi" ::/EFI/BOOT/BOOTX64.EFI
if [ -d "$esp/guests" ]; then
	mmd -i "$img" ::/guests
	mcopy -i "$img" "$esp"/guests/* ::/guests/
fi
cfg=${config:-$esp/hv.cfg}
[ -f "$cfg" ] && mcopy -i "$img" "$cfg" ::/hv.cfg
linux_files=$(linux_inputs "$root" "$cfg" bochs-run) || exit 2
if [ -n "$linux_files" ]; then
	mmd -i "$img" ::/linux
	# shellcheck disable=SC2086 # two paths without blanks, one a line
	mcopy -i "$img" $linux_files ::/linux/
fi

cp "$ovmf" "$work/OVMF.fd"
serial=$inner/serial.out
cat >"$work/bochsrc" <<EOT
memory: guest=$mem, host=$mem
romimage: file=$inner/OVMF.fd, address=0xffe00000
vgaromimage: file=/usr/share/vgabios/vgabios.bin
cpu: model=$model, count=$smp, ips=${BOCHS_IPS:-80000000}, ignore_bad_msrs=1${BOCHS_CPU_EXTRA:-}
pci: enabled=1, chipset=i440fx
ata0: enabled=1, ioaddr1=0x1f0, ioaddr2=0x3f0, irq=14
ata0-master: type=disk, path=$inner/esp.img, mode=flat
boot: disk
com1: enabled=1, mode=file, dev=$serial
display_library: term
log: $inner/bochs.log
panic: action=fatal
error: action=report
info: action=${BOCHS_INFO:-ignore}
debug: action=ignore
EOT
printf 'c\nquit\n' >"$work/rc"

: >"$work/serial.out"
if [ -n "$chroot_dir" ]; then
	(TERM=dumb exec chroot "$chroot_dir" sh -c "cd $inner && exec bochs -q -f $inner/bochsrc -rc $inner/rc" \
		</dev/null >"$work/bochs.out" 2>&1) &
else
	(cd "$work" && TERM=dumb exec bochs -q -f "$work/bochsrc" -rc "$work/rc" \
		</dev/null >"$work/bochs.out" 2>&1) &
fi
bochs_pid=$!
# follow the serial output into the log the caller asked for
tail -n +1 -F "$work/serial.out" 2>/dev/null >"$log" &
tail_pid=$!

status=124
end=$((SECONDS + timeout_s))
while kill -0 "$bochs_pid" 2>/dev/null; do
	line=$(tr -d '\r' <"$log" | grep -a -m1 '^\[hv\] exit: ' || true)
	if [ -n "$line" ]; then
		case "$line" in
		*"exit: pass"*) status=33 ;;
		*"exit: FAIL"*) status=35 ;;
		*) status=37 ;;
		esac
		sleep 1	# let the last lines reach the file
		break
	fi
	if [ $SECONDS -ge $end ]; then
		echo "bochs-run: timed out after ${timeout_s}s" >&2
		break
	fi
	sleep 1
done
if [ "$status" = 124 ] && ! kill -0 "$bochs_pid" 2>/dev/null; then
	echo "bochs-run: Bochs stopped without a verdict; its last words:" >&2
	tail -n 5 "$work/bochs.out" >&2
	grep -a -E 'PANIC|FATAL|VMFAIL|VMENTRY' "$work/bochs.log" | tail -n 5 >&2
	status=2
fi
# failed VMX checks are named in Bochs's own log: keep them for the tests
grep -a -E 'VMFAIL|VMENTRY|VMEXIT.*fail' "$work/bochs.log" 2>/dev/null | head -n 5 >&2
exit $status
