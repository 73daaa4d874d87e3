#!/usr/bin/env bash
# The C packaging, as a user meets it (called by .ci/run; run from anywhere):
#   1. scripts/build-c.sh --prefix installs into a fresh prefix; the .so and
#      the .a carry no debug sections; the soname is libjwtmint.so.MAJOR;
#   2. the expected token: tests/c/consumer/app.c mints RS256 over fixed
#      claims, and RS256 is deterministic, so openssl signs the same bytes
#      (`openssl dgst -sha256 -sign`) and every consumer below must print
#      exactly that token;
#   3. pkg-config, shared: the documented recipe (jwtmint.pc plus
#      -Wl,-rpath from `--variable=libdir`); NEEDED libjwtmint.so.MAJOR,
#      RUNPATH the prefix; runs without LD_LIBRARY_PATH from another directory;
#   4. pkg-config, static: jwtmint-static.pc; libjwtmint.so is NOT NEEDED;
#   5. CMake: find_package(jwtmint 0.1) from CMAKE_PREFIX_PATH, app.c as C11
#      on jwtmint::jwtmint and as C++17 on jwtmint::jwtmint_static (same
#      NEEDED checks, both run); then the prefix is moved and the consumer
#      configured, built and run again from the new place (relocatable
#      package); find_package(jwtmint 0.2) and (jwtmint 1.0) must fail;
#   6. every ```c snippet of README.md and docs/*.md compiles as C11 and C++17
#      (tests/c/snippets.py; its own refusals are checked first) and every
#      examples/c program compiles as C11 and C++17, -Wall -Wextra -Werror
#      (session_gateway.c also with -DJWTMINT_WITH_CURL when libcurl's
#      headers are there; otherwise one SKIPPED line on stderr).
# Needs cc, c++, pkg-config, cmake (>= 3.13), readelf, python3, openssl
# (JWTMINT_OPENSSL; without it step 2 is skipped loudly, or fails under
# JWTMINT_REQUIRE_PEERS=1 as in .ci/run).
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
target_dir=${CARGO_TARGET_DIR:-target}
mkdir -p "$target_dir/c-consumers"
out=$(cd "$target_dir/c-consumers" && pwd)
CC=${CC:-cc}
CXX=${CXX:-c++}
openssl=${JWTMINT_OPENSSL:-openssl}
key=$root/examples/keys/demo-key.pem
step() { printf '\n--> %s\n' "$*"; }
fail() { echo "consumers: $*" >&2; exit 1; }

step "install into a fresh prefix (scripts/build-c.sh --prefix)"
rm -rf "$out/prefix" "$out/moved" "$out/cmake-build" "$out/cmake-moved" "$out/cmake-version"
scripts/build-c.sh --prefix "$out/prefix" >/dev/null
prefix=$out/prefix
version=$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -n1)
major=${version%%.*}
for f in include/jwtmint.h lib/libjwtmint.a "lib/libjwtmint.so.$version" "lib/libjwtmint.so.$major" lib/libjwtmint.so \
    lib/pkgconfig/jwtmint.pc lib/pkgconfig/jwtmint-static.pc \
    lib/cmake/jwtmint/jwtmintConfig.cmake lib/cmake/jwtmint/jwtmintConfigVersion.cmake; do
    [ -e "$prefix/$f" ] || fail "$prefix/$f missing"
done
readelf -d "$prefix/lib/libjwtmint.so.$version" | grep -qF "Library soname: [libjwtmint.so.$major]" ||
    fail "soname is not libjwtmint.so.$major"
for f in "lib/libjwtmint.so.$version" lib/libjwtmint.a; do
    if readelf -S --wide "$prefix/$f" | grep -q ' \.debug_'; then fail "$f has debug sections"; fi
done
echo "no debug sections; sizes: $(stat -c '%n %s' "$prefix/lib/libjwtmint.so.$version" "$prefix/lib/libjwtmint.a" |
    sed "s|$prefix/lib/||g" | tr '\n' ' ')"

step "expected token: openssl signs the consumer's signing input (RS256 is deterministic)"
b64url() { "$openssl" base64 -A | tr '+/' '-_' | tr -d '='; }
expected=
if "$openssl" version >/dev/null 2>&1; then
    input="$(printf '%s' '{"alg":"RS256","typ":"JWT"}' | b64url).$(printf '%s' \
        '{"iss":"consumer-test","sub":"user@example.com","aud":"https://login.example.com","exp":2000000000}' | b64url)"
    expected="$input.$(printf '%s' "$input" | "$openssl" dgst -sha256 -sign "$key" -binary | b64url)"
elif [ "${JWTMINT_REQUIRE_PEERS:-0}" = 1 ]; then
    fail "peer check consumer token (openssl) is required (JWTMINT_REQUIRE_PEERS=1) but '$openssl' is not runnable"
else
    echo "SKIPPED peer check consumer token (openssl): '$openssl' not runnable" >&2
fi

# check_run NAME BINARY linked=shared|static: the dynamic section, then a run
# from / with LD_LIBRARY_PATH unset, its output compared with the expected token.
check_run() {
    local name=$1 bin=$2 linked=$3 dyn got
    dyn=$(readelf -d "$bin")
    if [ "$linked" = shared ]; then
        grep -qF "Shared library: [libjwtmint.so.$major]" <<<"$dyn" || fail "$name: libjwtmint.so.$major not NEEDED"
    elif grep -q 'Shared library: \[libjwtmint' <<<"$dyn"; then
        fail "$name: linked statically but NEEDS $(grep -o 'libjwtmint[^]]*' <<<"$dyn")"
    fi
    got=$(cd / && env -u LD_LIBRARY_PATH "$bin" "$key") || fail "$name did not run"
    if [ -n "$expected" ] && [ "$got" != "$expected" ]; then
        fail "$name printed $got, expected $expected"
    fi
    [ -n "$got" ] || fail "$name printed nothing"
    echo "$name ($linked): ok, token matches openssl${expected:+ byte for byte}"
}

step "pkg-config, shared: \$(pkg-config --cflags --libs jwtmint) -Wl,-rpath,\$(pkg-config --variable=libdir jwtmint)"
export PKG_CONFIG_PATH=$prefix/lib/pkgconfig
libdir=$(pkg-config --variable=libdir jwtmint)
[ "$libdir" = "$prefix/lib" ] || fail "jwtmint.pc libdir is $libdir, not $prefix/lib"
# shellcheck disable=SC2046
$CC -std=c11 -Wall -Wextra -Werror tests/c/consumer/app.c $(pkg-config --cflags --libs jwtmint) \
    -Wl,-rpath,"$libdir" -o "$out/pc_shared"
readelf -d "$out/pc_shared" | grep -E 'R(UN)?PATH' | grep -qF "[$libdir]" || fail "pc_shared: no rpath $libdir"
check_run pc_shared "$out/pc_shared" shared

step "pkg-config, static: \$(pkg-config --cflags --libs jwtmint-static)"
# shellcheck disable=SC2046
$CC -std=c11 -Wall -Wextra -Werror tests/c/consumer/app.c $(pkg-config --cflags --libs jwtmint-static) \
    -o "$out/pc_static"
check_run pc_static "$out/pc_static" static
unset PKG_CONFIG_PATH

# cmake_consumer BUILD_DIR PREFIX: configures and builds tests/c/consumer.
cmake_consumer() {
    cmake -S tests/c/consumer -B "$1" -DCMAKE_PREFIX_PATH="$2" -DCMAKE_C_COMPILER="$CC" \
        -DCMAKE_CXX_COMPILER="$CXX" >"$1.log" 2>&1 || { cat "$1.log" >&2; fail "cmake configure ($2) failed"; }
    cmake --build "$1" >>"$1.log" 2>&1 || { cat "$1.log" >&2; fail "cmake build ($2) failed"; }
}

step "CMake: find_package(jwtmint 0.1), jwtmint::jwtmint (C11) and jwtmint::jwtmint_static (C++17)"
cmake --version | head -n1
mkdir -p "$out/cmake-build"
cmake_consumer "$out/cmake-build" "$prefix"
check_run cmake_shared "$out/cmake-build/app_shared" shared
check_run cmake_static_cxx "$out/cmake-build/app_static_cxx" static

step "CMake: the prefix moved elsewhere still works (paths relative to jwtmintConfig.cmake)"
mv "$prefix" "$out/moved"
mkdir -p "$out/cmake-moved"
cmake_consumer "$out/cmake-moved" "$out/moved"
readelf -d "$out/cmake-moved/app_shared" | grep -E 'R(UN)?PATH' | grep -qF "$out/moved/lib" ||
    fail "cmake_moved: rpath does not point into the moved prefix"
check_run cmake_moved_shared "$out/cmake-moved/app_shared" shared
check_run cmake_moved_static_cxx "$out/cmake-moved/app_static_cxx" static
mv "$out/moved" "$prefix"

step "CMake: find_package(jwtmint 0.2) and (jwtmint 1.0) are refused by jwtmintConfigVersion.cmake"
for want in 0.2 1.0; do
    rm -rf "$out/cmake-version"
    if cmake -S tests/c/consumer -B "$out/cmake-version" -DCMAKE_PREFIX_PATH="$prefix" -DJWTMINT_WANT="$want" \
        >"$out/cmake-version.log" 2>&1; then
        fail "find_package(jwtmint $want) accepted version $version"
    fi
    grep -qF "$version" "$out/cmake-version.log" || fail "find_package(jwtmint $want): the refusal does not name $version"
    echo "find_package(jwtmint $want): refused"
done

step "documentation C snippets (README.md, docs/*.md): C11 and C++17, -Wall -Wextra -Werror"
# The extractor's own refusals first: a snippet that does not compile, an
# unknown fence word and a fence line with trailing text each fail it.
mkdir -p "$out/snippets-selftest"
printf '```c fragment\njwtmint_claims c = {0};\n(void)c;\n```\n' >"$out/snippets-selftest/cxx.md"
printf '```c fragmnet\nint x;\n```\n' >"$out/snippets-selftest/word.md"
printf '```rust\nlet x = 1;\n``` The key\n```\n' >"$out/snippets-selftest/fence.md"
for bad in cxx word fence; do
    if python3 tests/c/snippets.py --include include --out "$out/snippets-selftest" \
        "$out/snippets-selftest/$bad.md" >/dev/null 2>&1; then
        fail "tests/c/snippets.py accepted $bad.md"
    fi
done
python3 tests/c/snippets.py --include include --out "$out/snippets" README.md docs/*.md

step "examples/c: C11 and C++17, -Wall -Wextra -Werror"
for f in examples/c/*.c; do
    $CC -std=c11 -Wall -Wextra -Werror -Iinclude -c "$f" -o "$out/example.o"
    $CXX -x c++ -std=c++17 -Wall -Wextra -Werror -Iinclude -c "$f" -o "$out/example.o"
    echo "ok   $f"
done
# session_gateway.c's real transport (-DJWTMINT_WITH_CURL) needs libcurl's
# headers (.ci/run installs libcurl4-openssl-dev).
if pkg-config --exists libcurl; then
    # shellcheck disable=SC2046
    $CC -std=c11 -Wall -Wextra -Werror -DJWTMINT_WITH_CURL -Iinclude $(pkg-config --cflags libcurl) \
        -c examples/c/session_gateway.c -o "$out/example.o"
    # shellcheck disable=SC2046
    $CXX -x c++ -std=c++17 -Wall -Wextra -Werror -DJWTMINT_WITH_CURL -Iinclude $(pkg-config --cflags libcurl) \
        -c examples/c/session_gateway.c -o "$out/example.o"
    echo "ok   examples/c/session_gateway.c -DJWTMINT_WITH_CURL"
else
    echo "SKIPPED examples/c/session_gateway.c -DJWTMINT_WITH_CURL: libcurl development files not found (pkg-config libcurl)" >&2
fi
echo
echo "C consumer tests passed"
