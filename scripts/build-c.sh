#!/usr/bin/env bash
# Builds the C libraries of jwtmint (feature `ffi`) and installs them, with
# the header, pkg-config files and a CMake package, into one prefix:
#
#   scripts/build-c.sh [--prefix DIR] [--features FEATURES] [--target TRIPLE]
#
#   DIR/include/jwtmint.h                     the checked-in, cbindgen-generated header
#   DIR/lib/libjwtmint.so.VERSION             shared library, soname libjwtmint.so.MAJOR,
#   DIR/lib/libjwtmint.so.MAJOR, .so          + the runtime and link-time symlinks
#   DIR/lib/libjwtmint.a                      static library
#   DIR/lib/pkgconfig/jwtmint.pc              pkg-config: the shared library
#   DIR/lib/pkgconfig/jwtmint-static.pc       pkg-config: the static library (the .a by
#                                             path, plus the system libraries rustc names)
#   DIR/lib/cmake/jwtmint/jwtmintConfig.cmake, jwtmintConfigVersion.cmake
#                                             find_package(jwtmint): imported targets
#                                             jwtmint::jwtmint (shared) and
#                                             jwtmint::jwtmint_static
#
# Defaults: DIR=dist (in the repository), FEATURES=ffi (gateways: ffi,aws-lc).
# `--dist DIR` is the older name of `--prefix DIR` and does the same.
# `--target TRIPLE` cross-builds (e.g. aarch64-unknown-linux-gnu; the caller
# sets CARGO_TARGET_<TRIPLE>_LINKER and STRIP, as scripts/cross-test.sh does).
#
# Consumers (tests/c/consumers.sh builds and runs each of these in CI):
#   shared, pkg-config  cc app.c $(pkg-config --cflags --libs jwtmint) \
#                          -Wl,-rpath,"$(pkg-config --variable=libdir jwtmint)"
#                       (the rpath lets the program find libjwtmint.so.MAJOR at
#                       run time without LD_LIBRARY_PATH; omit it when DIR is a
#                       directory the dynamic loader already searches, e.g. /usr)
#   static, pkg-config  cc app.c $(pkg-config --cflags --libs jwtmint-static)
#                       (`pkg-config --static jwtmint` is NOT a static link: the
#                       linker still prefers libjwtmint.so for -ljwtmint)
#   CMake               find_package(jwtmint 0.1 REQUIRED) with
#                       CMAKE_PREFIX_PATH=DIR, then
#                       target_link_libraries(app PRIVATE jwtmint::jwtmint) or
#                       jwtmint::jwtmint_static (CMake sets the build rpath)
#
# The .pc files name DIR as an absolute path (moved elsewhere, use
# `pkg-config --define-prefix`); the CMake package finds its files relative
# to itself, so a copied prefix works as is. Release outputs carry no debug
# info (`strip --strip-debug`; STRIP overrides the tool); symbols stay.
# Cargo.toml keeps the `lib` crate type on purpose (staticlib/cdylib there
# would break no_std builds), so the two library kinds come from
# `cargo rustc --crate-type`.
set -euo pipefail
cd "$(dirname "$0")/.."
dist=dist
features=ffi
target=
while [ $# -gt 0 ]; do
    case "$1" in
        --prefix | --dist) dist=$2; shift 2 ;;
        --features) features=$2; shift 2 ;;
        --target) target=$2; shift 2 ;;
        *) echo "usage: $0 [--prefix DIR] [--features FEATURES] [--target TRIPLE]" >&2; exit 2 ;;
    esac
done
target_dir=${CARGO_TARGET_DIR:-target}
target_args=()
release_dir="$target_dir/release"
if [ -n "$target" ]; then
    target_args=(--target "$target")
    release_dir="$target_dir/$target/release"
fi
strip=${STRIP:-strip}
version=$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -n1)
major=${version%%.*}
rest=${version#*.}
minor=${rest%%.*}
mkdir -p "$dist/lib/pkgconfig" "$dist/lib/cmake/jwtmint" "$dist/include"
prefix=$(cd "$dist" && pwd)

# Static library; rustc prints the system libraries a static link needs.
log=$(mktemp)
trap 'rm -f "$log"' EXIT
# JWTMINT_C_LIBRARY=1: build.rs adds the soname link argument (cdylib only).
export JWTMINT_C_LIBRARY=1
cargo rustc --quiet --lib --release "${target_args[@]}" --features "$features" --crate-type staticlib \
    -- --print native-static-libs 2>"$log" || { cat "$log" >&2; exit 1; }
native=$(sed -n 's/.*native-static-libs: //p' "$log" | tail -n1)
cache="$release_dir/jwtmint-native-static-libs.txt"
if [ -n "$native" ]; then
    echo "$native" >"$cache"
elif [ -f "$cache" ]; then
    native=$(cat "$cache")  # staticlib was fresh: rustc printed nothing
else
    native="-lgcc_s -lutil -lrt -lpthread -lm -ldl -lc"
fi
rm -f "$prefix/lib/libjwtmint.a"
cp "$release_dir/libjwtmint.a" "$prefix/lib/libjwtmint.a"
# The archive holds the Rust standard library's objects too, with their
# debug info: drop every debug section, keep the symbols a link needs.
"$strip" --strip-debug "$prefix/lib/libjwtmint.a"

# Shared library: the real file is libjwtmint.so.<version>, its soname (set
# by build.rs) libjwtmint.so.<major>, plus the usual symlinks for the runtime
# linker (.so.<major>) and for `-ljwtmint` at link time (.so).
cargo rustc --quiet --lib --release "${target_args[@]}" --features "$features" --crate-type cdylib
rm -f "$prefix/lib/libjwtmint.so" "$prefix/lib/libjwtmint.so.$major" "$prefix/lib/libjwtmint.so.$version"
cp "$release_dir/libjwtmint.so" "$prefix/lib/libjwtmint.so.$version"
"$strip" --strip-debug "$prefix/lib/libjwtmint.so.$version"
ln -s "libjwtmint.so.$version" "$prefix/lib/libjwtmint.so.$major"
ln -s "libjwtmint.so.$major" "$prefix/lib/libjwtmint.so"

cp include/jwtmint.h "$prefix/include/jwtmint.h"

description="Mint OAuth 2.0 JWT bearer assertions (RFC 7523) into caller buffers; token sessions, verification"
cat >"$prefix/lib/pkgconfig/jwtmint.pc" <<PC
# The shared library. At run time the program must find libjwtmint.so.$major:
# link with -Wl,-rpath,\${libdir} (\`pkg-config --variable=libdir jwtmint\`)
# unless libdir is on the loader's path. Static linking: jwtmint-static.pc.
prefix=$prefix
libdir=\${prefix}/lib
includedir=\${prefix}/include

Name: jwtmint
Description: $description (shared library)
Version: $version
Libs: -L\${libdir} -ljwtmint
Cflags: -I\${includedir}
PC

cat >"$prefix/lib/pkgconfig/jwtmint-static.pc" <<PC
# The static library, named by path (so -ljwtmint cannot pick the .so), and
# the system libraries rustc reports for it (--print native-static-libs).
prefix=$prefix
libdir=\${prefix}/lib
includedir=\${prefix}/include

Name: jwtmint-static
Description: $description (static library)
Version: $version
Libs: \${libdir}/libjwtmint.a $native
Cflags: -I\${includedir}
PC

# CMake: -lfoo -> foo for INTERFACE_LINK_LIBRARIES; other flags kept as they are.
cmake_native=
for flag in $native; do
    case "$flag" in
        -l*) item=${flag#-l} ;;
        *) item=$flag ;;
    esac
    cmake_native=${cmake_native:+$cmake_native;}$item
done
pointer_bytes=$(($(rustc --print cfg "${target_args[@]}" | sed -n 's/^target_pointer_width="\(.*\)"/\1/p') / 8))

cat >"$prefix/lib/cmake/jwtmint/jwtmintConfig.cmake" <<CMAKE
# jwtmint $version (features: $features), written by scripts/build-c.sh.
#
#   find_package(jwtmint $major.$minor REQUIRED)
#   target_link_libraries(app PRIVATE jwtmint::jwtmint)         # shared
#   target_link_libraries(app PRIVATE jwtmint::jwtmint_static)  # static
#
# Paths are relative to this file, so a copied prefix works as is. CMake
# gives a program linked to jwtmint::jwtmint a build-tree rpath; an
# installed program needs CMAKE_INSTALL_RPATH (or a system libdir).
if(CMAKE_VERSION VERSION_LESS 3.5)
  message(FATAL_ERROR "jwtmint's CMake package needs CMake 3.5 or later")
endif()
get_filename_component(_jwtmint_prefix "\${CMAKE_CURRENT_LIST_DIR}/../../.." ABSOLUTE)
foreach(_jwtmint_file include/jwtmint.h lib/libjwtmint.so.$version lib/libjwtmint.a)
  if(NOT EXISTS "\${_jwtmint_prefix}/\${_jwtmint_file}")
    set(jwtmint_FOUND FALSE)
    set(jwtmint_NOT_FOUND_MESSAGE "\${_jwtmint_prefix}/\${_jwtmint_file} is missing")
    unset(_jwtmint_prefix)
    return()
  endif()
endforeach()
if(NOT TARGET jwtmint::jwtmint)
  add_library(jwtmint::jwtmint SHARED IMPORTED)
  set_target_properties(jwtmint::jwtmint PROPERTIES
    IMPORTED_LOCATION "\${_jwtmint_prefix}/lib/libjwtmint.so.$version"
    IMPORTED_SONAME "libjwtmint.so.$major"
    INTERFACE_INCLUDE_DIRECTORIES "\${_jwtmint_prefix}/include")
endif()
if(NOT TARGET jwtmint::jwtmint_static)
  add_library(jwtmint::jwtmint_static STATIC IMPORTED)
  set_target_properties(jwtmint::jwtmint_static PROPERTIES
    IMPORTED_LOCATION "\${_jwtmint_prefix}/lib/libjwtmint.a"
    IMPORTED_LINK_INTERFACE_LANGUAGES "C"
    INTERFACE_INCLUDE_DIRECTORIES "\${_jwtmint_prefix}/include"
    # The system libraries rustc reports for the static library.
    INTERFACE_LINK_LIBRARIES "$cmake_native")
endif()
set(jwtmint_FEATURES "$features")
unset(_jwtmint_prefix)
CMAKE

cat >"$prefix/lib/cmake/jwtmint/jwtmintConfigVersion.cmake" <<CMAKE
# jwtmint $version, written by scripts/build-c.sh. Compatible with a request
# for the same major version at most this version; while the major version
# is 0, the minor version must match too (0.x releases may change the ABI).
set(PACKAGE_VERSION "$version")
set(PACKAGE_VERSION_COMPATIBLE FALSE)
if("\${PACKAGE_FIND_VERSION}" STREQUAL "")
  set(PACKAGE_VERSION_COMPATIBLE TRUE)
elseif(NOT PACKAGE_FIND_VERSION VERSION_GREATER PACKAGE_VERSION
       AND "\${PACKAGE_FIND_VERSION_MAJOR}" STREQUAL "$major"
       AND (NOT "$major" STREQUAL "0" OR "\${PACKAGE_FIND_VERSION_MINOR}" STREQUAL "$minor"))
  set(PACKAGE_VERSION_COMPATIBLE TRUE)
  if(PACKAGE_FIND_VERSION STREQUAL PACKAGE_VERSION)
    set(PACKAGE_VERSION_EXACT TRUE)
  endif()
endif()
# A $((pointer_bytes * 8))-bit library: unsuitable for a build with another pointer size.
if(CMAKE_SIZEOF_VOID_P AND NOT CMAKE_SIZEOF_VOID_P STREQUAL "$pointer_bytes")
  set(PACKAGE_VERSION "\${PACKAGE_VERSION} ($((pointer_bytes * 8))-bit)")
  set(PACKAGE_VERSION_UNSUITABLE TRUE)
endif()
CMAKE

echo "installed into $prefix: include/jwtmint.h lib/libjwtmint.a lib/libjwtmint.so.$version (+ .so.$major, .so)"
echo "  lib/pkgconfig/jwtmint.pc jwtmint-static.pc, lib/cmake/jwtmint/jwtmintConfig.cmake (+ ConfigVersion)"
echo "static link needs: $native"
