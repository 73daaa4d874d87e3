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
# cbindgen warns once per item about the `feature = "ffi"` cfg of the module:
# the whole header is the ffi feature, so that cfg is deliberately not mapped.
# It also reports the per-provider `MAX_LIFETIME` constants (profiles::*) as
# conflicting names; constants are not exported (cbindgen.toml), so that
# message is filtered out.
cbindgen --config cbindgen.toml --crate jwtmint --output "$out" --quiet \
    2> >(grep -v 'Conflicting name for constant MAX_LIFETIME' >&2)
if [ "${1:-}" = "--check" ]; then
    if ! diff -u include/jwtmint.h "$out"; then
        echo "include/jwtmint.h is stale: run scripts/gen-header.sh and commit it" >&2
        exit 1
    fi
    echo "include/jwtmint.h is up to date"
fi
