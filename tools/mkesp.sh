#!/usr/bin/env bash
# Fills an ESP directory: EFI/BOOT/BOOTX64.EFI must already be there; adds
# the default configuration as hv.cfg unless one exists.
set -euo pipefail
esp=${1:?usage: mkesp.sh ESP_DIR [CONFIG]}
cfg=${2:-tests/configs/default.cfg}
[ -f "$esp/EFI/BOOT/BOOTX64.EFI" ] || { echo "mkesp: $esp/EFI/BOOT/BOOTX64.EFI missing" >&2; exit 1; }
cp "$cfg" "$esp/hv.cfg"
