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
# One target per core at a time (each libFuzzer run is single-threaded):
# FUZZ_JOBS overrides. Every target still runs for the full FUZZ_SECONDS.
jobs=${FUZZ_JOBS:-$(nproc 2>/dev/null || echo 1)}
logs=$(mktemp -d)
trap 'rm -rf "$logs"' EXIT
# run_one TARGET: one bounded run; its output in $logs/TARGET.log, its exit
# status in $logs/TARGET.status.
run_one() {
  local t=$1 scratch status=0
  mkdir -p "corpus/$t"
  # Fresh inputs go to a scratch dir; the checked-in corpus stays as reviewed.
  scratch=$(mktemp -d)
  # cargo-fuzz's exit status is kept: a crash, a timeout, an OOM or a build
  # failure fails the run (and CI), with the tail of libFuzzer's output.
  cargo "${tc[@]}" fuzz run -s "$san" -O "$t" "$scratch" "corpus/$t" -- \
    -max_total_time="$secs" -dict=dict/json.dict -print_final_stats=1 >"$logs/$t.log" 2>&1 || status=$?
  rm -rf "$scratch"
  echo "$status" >"$logs/$t.status"
}
echo "fuzz: ${#targets[@]} targets, ${secs}s each, $jobs at a time"
running=0
for t in "${targets[@]}"; do
  if [ "$running" -ge "$jobs" ]; then
    wait -n || true
    running=$((running - 1))
  fi
  run_one "$t" &
  running=$((running + 1))
done
wait || true
failed=0
for t in "${targets[@]}"; do
  echo "== $t (${secs}s)"
  grep -E 'DONE|^Done|stat::number_of_executed_units|panicked|SUMMARY' "$logs/$t.log" || true
  status=$(cat "$logs/$t.status" 2>/dev/null || echo missing)
  if [ "$status" != 0 ]; then
    tail -n 40 "$logs/$t.log"
    echo "fuzz target $t failed: cargo fuzz exited with status $status (artifacts: fuzz/artifacts/$t)"
    failed=1
  elif [ -d "artifacts/$t" ] && [ -n "$(ls -A "artifacts/$t" 2>/dev/null)" ]; then
    echo "fuzz target $t found a crash: fuzz/artifacts/$t"
    failed=1
  fi
done
exit "$failed"
