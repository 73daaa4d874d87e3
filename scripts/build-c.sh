#!/usr/bin/env bash
# Builds the C libraries of jwtmint (feature `ffi`) into one folder:
#
#   scripts/build-c.sh [--dist DIR] [--features FEATURES]
#
#   DIR/lib/libjwtmint.a             static library
#   DIR/lib/libjwtmint.so.VERSION    shared library, soname libjwtmint.so.MAJOR
#   DIR/lib/libjwtmint.so.MAJOR, .so symlinks (runtime and link-time names)
#   DIR/include/jwtmint.h            the checked-in, cbindgen-generated header
#   DIR/lib/pkgconfig/jwtmint.pc     pkg-config file (relocatable: ${pcfiledir})
#
# Defaults: DIR=dist, FEATURES=ffi. Cargo.toml keeps the `lib` crate type on
# purpose (staticlib/cdylib there would break no_std builds), so the two
# library kinds come from `cargo rustc --crate-type`.
set -euo pipefail
cd "$(dirname "$0")/.."
dist=dist
features=ffi
while [ $# -gt 0 ]; do
    case "$1" in
        --dist) dist=$2; shift 2 ;;
        --features) features=$2; shift 2 ;;
        *) echo "usage: $0 [--dist DIR] [--features FEATURES]" >&2; exit 2 ;;
    esac
done
target_dir=${CARGO_TARGET_DIR:-target}
version=$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -n1)
mkdir -p "$dist/lib/pkgconfig" "$dist/include"

# Static library; rustc prints the system libraries a static link needs.
log=$(mktemp)
trap 'rm -f "$log"' EXIT
# JWTMINT_C_LIBRARY=1: build.rs adds the soname link argument (cdylib only).
export JWTMINT_C_LIBRARY=1
cargo rustc --quiet --lib --release --features "$features" --crate-type staticlib \
    -- --print native-static-libs 2>"$log" || { cat "$log" >&2; exit 1; }
native=$(sed -n 's/.*native-static-libs: //p' "$log" | tail -n1)
cache="$target_dir/release/jwtmint-native-static-libs.txt"
if [ -n "$native" ]; then
    echo "$native" >"$cache"
elif [ -f "$cache" ]; then
    native=$(cat "$cache")  # staticlib was fresh: rustc printed nothing
else
    native="-lgcc_s -lutil -lrt -lpthread -lm -ldl -lc"
fi
cp "$target_dir/release/libjwtmint.a" "$dist/lib/libjwtmint.a"

# Shared library: the real file is libjwtmint.so.<version>, its soname (set
# by build.rs) libjwtmint.so.<major>, plus the usual symlinks for the runtime
# linker (.so.<major>) and for `-ljwtmint` at link time (.so).
cargo rustc --quiet --lib --release --features "$features" --crate-type cdylib
major=${version%%.*}
rm -f "$dist/lib/libjwtmint.so" "$dist/lib/libjwtmint.so.$major" "$dist/lib/libjwtmint.so.$version"
cp "$target_dir/release/libjwtmint.so" "$dist/lib/libjwtmint.so.$version"
ln -s "libjwtmint.so.$version" "$dist/lib/libjwtmint.so.$major"
ln -s "libjwtmint.so.$major" "$dist/lib/libjwtmint.so"

cp include/jwtmint.h "$dist/include/jwtmint.h"

cat >"$dist/lib/pkgconfig/jwtmint.pc" <<PC
prefix=\${pcfiledir}/../..
libdir=\${prefix}/lib
includedir=\${prefix}/include

Name: jwtmint
Description: Mint OAuth 2.0 JWT bearer assertions (RFC 7523, RS256/PS256) into caller buffers
Version: $version
Libs: -L\${libdir} -ljwtmint
Libs.private: $native
Cflags: -I\${includedir}
PC

echo "built $dist: lib/libjwtmint.a lib/libjwtmint.so.$version (+ .so.$major, .so links) include/jwtmint.h lib/pkgconfig/jwtmint.pc"
echo "static link needs: $native"
