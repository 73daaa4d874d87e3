#!/usr/bin/env bash
# Builds every fuzz target and runs each for a bounded time on stable Rust
# (`-s none`: no sanitizer; with a nightly toolchain, SANITIZER=address gives ASan).
#   FUZZ_SECONDS=60 bash fuzz/run.sh [target ...]
# Every target of `cargo fuzz list` runs, client_url_record included (the fuzz
# crate's default feature `client` turns on jwtmint's `client` module).
set -euo pipefail
cd "$(dirname "$0")"
secs=${FUZZ_SECONDS:-20}
san=${SANITIZER:-none}
tc=()
[ "$san" != none ] && tc=(+nightly)
command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --version 0.13.2 --locked
targets=("$@")
[ ${#targets[@]} -eq 0 ] && mapfile -t targets < <(cargo "${tc[@]}" fuzz list)
cargo "${tc[@]}" fuzz build -s "$san" -O
for t in "${targets[@]}"; do
  mkdir -p "corpus/$t"
  # Fresh inputs go to a scratch dir; the checked-in corpus stays as reviewed.
  scratch=$(mktemp -d)
  log=$(mktemp)
  echo "== $t (${secs}s)"
  # cargo-fuzz's exit status is kept: a crash, a timeout, an OOM or a build
  # failure fails the run (and CI), with the tail of libFuzzer's output.
  status=0
  cargo "${tc[@]}" fuzz run -s "$san" -O "$t" "$scratch" "corpus/$t" -- \
    -max_total_time="$secs" -dict=dict/json.dict -print_final_stats=1 >"$log" 2>&1 || status=$?
  grep -E 'DONE|^Done|stat::number_of_executed_units|panicked|SUMMARY' "$log" || true
  rm -rf "$scratch"
  if [ "$status" -ne 0 ]; then
    tail -n 40 "$log"
    echo "fuzz target $t failed: cargo fuzz exited with status $status (artifacts: fuzz/artifacts/$t)"
    rm -f "$log"
    exit 1
  fi
  rm -f "$log"
  if [ -d "artifacts/$t" ] && [ -n "$(ls -A "artifacts/$t" 2>/dev/null)" ]; then
    echo "fuzz target $t found a crash: fuzz/artifacts/$t"; exit 1
  fi
done
