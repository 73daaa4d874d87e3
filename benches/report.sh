#!/usr/bin/env bash
# Runs the criterion suite with a fixed configuration and writes the medians and
# ratios against each anchor into docs/BENCHMARKS.md (between the GENERATED markers).
#   bash benches/report.sh            # full run (a few minutes on 2 cores)
#   QUICK=1 bash benches/report.sh    # shorter measurement, for a smoke check
set -euo pipefail
cd "$(dirname "$0")/.."
mt=${MEASUREMENT_TIME:-5}
[ "${QUICK:-0}" = 1 ] && mt=1
cargo bench --bench mint -- --warm-up-time 1 --measurement-time "$mt" --noplot >/dev/null
cargo bench --features aws-lc --bench awslc -- --warm-up-time 1 --measurement-time "$mt" --noplot >/dev/null
cargo bench --features ffi --bench ffi -- --warm-up-time 1 --measurement-time "$mt" --noplot >/dev/null
# OpenSSL's own RSA sign rate on this machine, same session, as the throughput anchor.
openssl speed -seconds "$mt" rsa2048 rsa3072 rsa4096 2>/dev/null | grep -E '^rsa +[0-9]+ bits' >target/criterion/openssl-speed.txt || true
# ... and its ECDSA P-256 / Ed25519 sign rates (the ES256 / EdDSA anchors).
openssl speed -seconds "$mt" ecdsap256 ed25519 2>/dev/null | grep -E '^ *(256 bits ecdsa|253 bits EdDSA)' >>target/criterion/openssl-speed.txt || true
python3 benches/report.py target/criterion docs/BENCHMARKS.md
