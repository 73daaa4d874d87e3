#!/usr/bin/env bash
# Regenerates include/jwtmint.h from src/ffi/ with cbindgen (pinned below).
#   scripts/gen-header.sh           write include/jwtmint.h
#   scripts/gen-header.sh --check   fail if the checked-in header is stale
# Install the pinned cbindgen with:
#   cargo install cbindgen --version =0.29.4 --locked
set -euo pipefail
cd "$(dirname "$0")/.."
CBINDGEN_VERSION=0.29.4
have=$(cbindgen --version 2>/dev/null | awk '{print $2}' || true)
if [ "$have" != "$CBINDGEN_VERSION" ]; then
    echo "cbindgen $CBINDGEN_VERSION required (found: ${have:-none}):" >&2
    echo "  cargo install cbindgen --version =$CBINDGEN_VERSION --locked" >&2
    exit 1
fi
out=include/jwtmint.h
if [ "${1:-}" = "--check" ]; then
    out=$(mktemp)
    trap 'rm -f "$out"' EXIT
fi
# cbindgen reads src/ffi/ only (the module file and the modules it declares),
# not the whole crate: the C ABI lives there entirely, and the rest of the
# crate has items cbindgen cannot process (several `MAX_LIFETIME` constants in
# src/profiles/, `heapless::String<N>` aliases: "String is not generic" panic).
cbindgen --config cbindgen.toml --output "$out" --quiet src/ffi/mod.rs
if [ "${1:-}" = "--check" ]; then
    if ! diff -u include/jwtmint.h "$out"; then
        echo "include/jwtmint.h is stale: run scripts/gen-header.sh and commit it" >&2
        exit 1
    fi
    echo "include/jwtmint.h is up to date"
fi
