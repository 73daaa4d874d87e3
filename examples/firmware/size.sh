#!/usr/bin/env bash
# Builds the firmware example (opt-level "s", LTO) and reports flash use
# (.vector_table + .text + .rodata + .data); fails above the 96 KiB budget.
set -euo pipefail
cd "$(dirname "$0")"
rustup target add thumbv7em-none-eabihf >/dev/null 2>&1
cargo build --release --quiet
elf=target/thumbv7em-none-eabihf/release/jwtmint-firmware-example
read -r text rodata vt data < <(size -A "$elf" | awk '$1==".text"{t=$2} $1==".rodata"{r=$2} $1==".vector_table"{v=$2} $1==".data"{d=$2} END{print t, r, v, d}')
flash=$((text + rodata + vt + data))
echo "firmware: .text ${text} B, .rodata ${rodata} B, vector table ${vt} B, .data ${data} B => flash ${flash} B ($((flash / 1024)) KiB); budget 96 KiB"
[ "$flash" -le $((96 * 1024)) ] || { echo "over the 96 KiB flash budget"; exit 1; }
