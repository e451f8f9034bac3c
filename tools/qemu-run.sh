#!/usr/bin/env bash
# Boots the hypervisor in QEMU (q35, TCG, intel-iommu, igb behind a root
# port), as described in docs/running.md. Serial output goes to stdout (or
# --log FILE). A config with debug_exit reports the hypervisor's verdict
# through QEMU's exit status (33 pass, 35 fail, 37 panic): with --raw-status
# that status is returned as is (the boot tests want it), otherwise it is
# printed and mapped to 0 (pass) or 1.
#
#   tools/qemu-run.sh [--esp DIR] [--config FILE] [--smp N] [--mem SIZE]
#                     [--cpu MODEL] [--iommu OPTS] [--timeout SECONDS]
#                     [--log FILE] [--gdb] [--raw-status] [--no-igb]
#                     [--nic] [--demo HTTP_PORT:IPERF_PORT]
#                     [--add ESP_PATH=FILE]... [-- QEMU args]
# --no-igb leaves out the igb behind rp1 (give your own layout after --);
# --nic adds an e1000e (82574L) on the root bus with its own user network.
# --demo (make run): forwards 127.0.0.1:HTTP_PORT and 127.0.0.1:IPERF_PORT
# of this machine, and only of 127.0.0.1, to the web guest's HTTP (80) and
# iperf (5001) ports on the igb's user network, prints how to reach them,
# and treats Ctrl-C or the end of --timeout as the normal end of the run.
# --add puts FILE on this run's ESP as ESP_PATH (e.g. your own kernel:
# --add linux/my-bzImage=$HOME/linux/arch/x86/boot/bzImage).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=tools/linux-inputs.sh
source "$root/tools/linux-inputs.sh"
esp=$root/build/esp
config=""
smp=2
mem=1G
cpu=max
iommu="intremap=on,eim=on,aw-bits=48"
timeout_s=0
log=""
gdb=0
raw=0
extra=()
igb=1
nic=0
demo=""
adds=()
# QEMU user-net's first DHCP address: the web guest asks first and gets it.
WEB_IP=10.0.2.15

# add_files ESP SPEC...: each SPEC is ESP_PATH=FILE.
add_files() {
	local esp_dir=$1 spec dst src
	shift
	for spec in "$@"; do
		dst=${spec%%=*} src=${spec#*=}
		case "$spec" in *=*) ;; *) echo "qemu-run: --add wants ESP_PATH=FILE, got '$spec'" >&2; exit 2 ;; esac
		case "$dst" in /*|*..*|"") echo "qemu-run: --add $spec: ESP_PATH must be relative, without '..'" >&2; exit 2 ;; esac
		[ -f "$src" ] || { echo "qemu-run: --add $spec: no such file $src" >&2; exit 2; }
		mkdir -p "$esp_dir/$(dirname "$dst")"
		cp "$src" "$esp_dir/$dst"
	done
}

while [ $# -gt 0 ]; do
	case "$1" in
	--esp) esp=$2; shift 2 ;;
	--config) config=$2; shift 2 ;;
	--smp) smp=$2; shift 2 ;;
	--mem) mem=$2; shift 2 ;;
	--cpu) cpu=$2; shift 2 ;;
	--iommu) iommu=$2; shift 2 ;;
	--timeout) timeout_s=$2; shift 2 ;;
	--log) log=$2; shift 2 ;;
	--gdb) gdb=1; shift ;;
	--raw-status) raw=1; shift ;;
	--no-igb) igb=0; shift ;;
	--nic) nic=1; shift ;;
	--demo) demo=$2; shift 2 ;;
	--add) adds+=("$2"); shift 2 ;;
	--) shift; extra=("$@"); break ;;
	*) echo "qemu-run: unknown option $1" >&2; exit 2 ;;
	esac
done

efi=$esp/EFI/BOOT/BOOTX64.EFI
[ -f "$efi" ] || { echo "qemu-run: $efi not built (run make)" >&2; exit 2; }
code=/usr/share/OVMF/OVMF_CODE_4M.fd
vars=/usr/share/OVMF/OVMF_VARS_4M.fd
[ -f "$code" ] || { echo "qemu-run: OVMF missing (make deps)" >&2; exit 2; }

# A private ESP and VARS copy per run: runs can go in parallel and a test's
# configuration never leaks into the next one.
work=$(mktemp -d "${TMPDIR:-/tmp}/hvrun.XXXXXX")
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/esp"
cp -r "$esp/." "$work/esp/"
[ -n "$config" ] && cp "$config" "$work/esp/hv.cfg"
add_files "$work/esp" "${adds[@]}"
linux_files=$(linux_inputs "$root" "$config" qemu-run "$work/esp") || exit 2
if [ -n "$linux_files" ]; then
	mkdir -p "$work/esp/linux"
	# shellcheck disable=SC2086 # paths without blanks, one a line
	cp $linux_files "$work/esp/linux/"
fi
cp "$vars" "$work/vars.fd"

serial=(-serial stdio)
[ -n "$log" ] && serial=(-serial "file:$log")
dbg=()
if [ "$gdb" = 1 ]; then
	dbg=(-s -S)
	cat >&2 <<EOT
qemu-run: waiting for gdb on localhost:1234. In another terminal:
  gdb build/hv.elf -ex 'target remote :1234'
The image is position-independent: once the log prints "image at 0xADDR",
  (gdb) add-symbol-file build/hv.elf -o 0xADDR
EOT
fi

cmd=(qemu-system-x86_64 -M q35 -accel tcg -cpu "$cpu" -smp "$smp" -m "$mem"
	-drive "if=pflash,format=raw,unit=0,readonly=on,file=$code"
	-drive "if=pflash,format=raw,unit=1,file=$work/vars.fd"
	-drive "file=fat:rw:$work/esp,format=raw"
	-display none "${serial[@]}" -monitor none -no-reboot
	-device isa-debug-exit,iobase=0xf4,iosize=0x04
	-device "intel-iommu,$iommu"
	"${dbg[@]}")
netdev=user,id=n0
if [ -n "$demo" ]; then
	http_port=${demo%%:*}
	iperf_port=${demo##*:}
	case "$http_port$iperf_port" in
	*[!0-9]*|"") echo "qemu-run: --demo wants HTTP_PORT:IPERF_PORT, got '$demo'" >&2; exit 2 ;;
	esac
	netdev+=",hostfwd=tcp:127.0.0.1:$http_port-$WEB_IP:80"
	netdev+=",hostfwd=tcp:127.0.0.1:$iperf_port-$WEB_IP:5001"
fi
if [ "$igb" = 1 ]; then
	cmd+=(-device pcie-root-port,id=rp1,bus=pcie.0,chassis=1,slot=1
		-device igb,netdev=n0,bus=rp1 -netdev "$netdev")
fi
[ "$nic" = 1 ] && cmd+=(-device e1000e,netdev=nic0 -netdev user,id=nic0)
cmd+=("${extra[@]}")

demo_banner() {
	local until="until you press Ctrl-C"
	[ "$timeout_s" != 0 ] && until="for ${timeout_s} s (RUN_TIMEOUT), or until Ctrl-C"
	cat >&2 <<EOT
========================================================================
 hv demo: the hypervisor boots in QEMU; guest 'web' (lwIP on igb VF 0)
 and guest 'client' (lwIP on VF 1) get DHCP leases from QEMU's user net.
 Once the log shows "[web] | web: serving on 10.0.2.15", from this machine:
   curl http://127.0.0.1:$http_port/status     status page, made per request
   iperf -c 127.0.0.1 -p $iperf_port -t 5        iperf 2 against lwiperf
 (forwarded from 127.0.0.1 only). It runs $until.
========================================================================
EOT
}

if [ "$timeout_s" != 0 ]; then
	# --foreground: QEMU still gets the terminal's Ctrl-C.
	exec_cmd=(timeout --foreground -k 5 "$timeout_s" "${cmd[@]}")
else
	exec_cmd=("${cmd[@]}")
fi
[ -n "$demo" ] && demo_banner
# A trap (not an ignore) so Ctrl-C still reaches QEMU, and this script
# lives on to report how the run ended and clean up.
interrupted=0
trap 'interrupted=1' INT
set +e
"${exec_cmd[@]}"
status=$?
set -e
[ "$raw" = 1 ] && exit $status
if [ -n "$demo" ]; then
	if [ "$interrupted" = 1 ] || [ "$status" = 130 ] || [ "$status" = 2 ]; then
		echo "qemu-run: stopped by Ctrl-C" >&2; exit 0
	fi
	if [ "$status" = 124 ] || [ "$status" = 137 ]; then
		echo "qemu-run: demo ended after ${timeout_s}s (RUN_TIMEOUT)" >&2; exit 0
	fi
fi
case $status in
33) echo "qemu-run: hypervisor verdict: pass" >&2; exit 0 ;;
35) echo "qemu-run: hypervisor verdict: FAIL" >&2 ;;
37) echo "qemu-run: hypervisor verdict: PANIC" >&2 ;;
124|137) echo "qemu-run: timed out after ${timeout_s}s" >&2 ;;
0) echo "qemu-run: QEMU stopped without a verdict (reset or triple fault?)" >&2 ;;
*) echo "qemu-run: QEMU exited with status $status" >&2 ;;
esac
exit 1
