#!/usr/bin/env bash
# Builds and runs the C ABI tests (called by .ci/run; run from anywhere):
#   1. the header compiles as C99 and C++11 with warnings as errors;
#   2. test_ffi.c against the staticlib (feature ffi-testing), natively,
#      4 threads x 1000 assertions, every token then verified with PyJWT;
#      then test_verify.c (verification, token responses);
#   3. the same under valgrind (0 errors, 0 definite/indirect leaks; fewer
#      thread iterations: JWTMINT_VALGRIND_ITERS, default 100);
#   4. the same built with -fsanitize=address,undefined (leak checking on);
#   5. the same against the shared library;
#   6. examples/c/gateway.c built with pkg-config and run once;
#   7. test_profiles.c (certificates, PS256, Salesforce / Google / Entra
#      profiles) natively with every assertion verified by
#      verify_profiles.py (PyJWT, google-auth), then under valgrind, ASan/UBSan
#      and against the shared library. The expected x5t / x5t#S256 come from
#      `openssl x509 -fingerprint -sha1/-sha256`;
#   8. test_session.c (the sans-IO session: canned answers, and FETCHes sent
#      to the local Authlib RFC 7523 server) natively, under valgrind and
#      ASan/UBSan; examples/c/session_gateway.c (stub transport) run once;
#      test_sessions.c (many subjects: jwtmint_sessions_*, canned answers)
#      natively, under valgrind and ASan/UBSan.
#   9. test_key_formats.c (encrypted PKCS#8, private JWKs, the ABI rules:
#      negative now, NULL/capacity in every writer, compact form assertions)
#      natively, under valgrind, ASan/UBSan and against the shared library.
#      examples/c/shared_file_gateway.c: 8 forked workers share one token
#      through a file by answering the session's store actions: 1 exchange.
#  10. test_session_grants.c (jwtmint_custom_profile_new: password callback,
#      refresh token, previous token) against tests/py/custom_idp.py
#      natively, under valgrind and ASan/UBSan; the password must appear in
#      none of its output.
# Set JWTMINT_SKIP_VALGRIND=1 / JWTMINT_SKIP_ASAN=1 to skip 3 / 4.
# Cross: JWTMINT_C_TARGET=aarch64-unknown-linux-gnu (with CC, STRIP and the
# cargo linker set for it, and JWTMINT_C_RUNNER="qemu-aarch64 -L ...") builds
# the library for that target and runs every C program through the runner
# (scripts/cross-test.sh does this); valgrind and ASan are native-only.
# Peer checks (PyJWT, google-auth, Authlib, openssl) follow tests/common/peers.rs: a
# missing peer prints one "SKIPPED peer check ..." line to stderr, or fails
# under JWTMINT_REQUIRE_PEERS=1 (.ci/run). JWTMINT_PYTHON / JWTMINT_OPENSSL
# override the binaries; JWTMINT_SKIP_PYTHON=1 treats Python as missing.
set -euo pipefail
cd "$(dirname "$0")/../.."
target_dir=${CARGO_TARGET_DIR:-target}
# JWTMINT_C_FEATURES=ffi-testing,aws-lc runs everything against the aws-lc build.
features=${JWTMINT_C_FEATURES:-ffi-testing}
sub=c-tests${features//[^a-z]/-}
c_target=${JWTMINT_C_TARGET:-}
runner=${JWTMINT_C_RUNNER:-}
target_args=()
where=native
if [ -n "$c_target" ]; then
    where="$c_target, under ${runner%% *}"
    sub=$sub-$c_target
    target_args=(--target "$c_target")
    export JWTMINT_SKIP_VALGRIND=1 JWTMINT_SKIP_ASAN=1
fi
mkdir -p "$target_dir/$sub"
out=$(cd "$target_dir/$sub" && pwd)
CC=${CC:-cc}
CXX=${CXX:-c++}
step() { printf '\n--> %s\n' "$*"; }
# run PROGRAM ARGS...: a built C program, through JWTMINT_C_RUNNER when cross.
run() {
    if [ -n "$runner" ]; then
        # shellcheck disable=SC2086
        $runner "$@"
    else
        "$@"
    fi
}

python=${JWTMINT_PYTHON:-python3}
openssl=${JWTMINT_OPENSSL:-openssl}
# peer_missing NAME REASON: the loud line (returns 1), or exit 1 when required.
peer_missing() {
    if [ "${JWTMINT_REQUIRE_PEERS:-0}" = 1 ]; then
        echo "peer check $1 is required (JWTMINT_REQUIRE_PEERS=1) but unavailable: $2" >&2
        exit 1
    fi
    echo "SKIPPED peer check $1: $2" >&2
    return 1
}
# peer_python NAME MODULE...: succeeds when the interpreter imports every module.
peer_python() {
    local name=$1 m
    shift
    if [ "${JWTMINT_SKIP_PYTHON:-0}" = 1 ]; then
        peer_missing "$name" "JWTMINT_SKIP_PYTHON=1"
        return
    fi
    if ! "$python" -c '' 2>/dev/null; then
        peer_missing "$name" "python interpreter '$python' not runnable"
        return
    fi
    for m in "$@"; do
        if ! "$python" -c "import $m" 2>/dev/null; then
            peer_missing "$name" "python module '$m' not installed ($python)"
            return
        fi
    done
}
# peer_openssl NAME: succeeds when the openssl CLI runs.
peer_openssl() {
    "$openssl" version >/dev/null 2>&1 || peer_missing "$1" "openssl CLI '$openssl' not runnable"
}

step "build the test library (features $features${c_target:+, target $c_target}) into $out/dist"
scripts/build-c.sh --dist "$out/dist" --features "$features" "${target_args[@]}" >/dev/null
inc="$out/dist/include"
lib="$out/dist/lib"
syslibs="-lpthread -ldl -lm"

step "header: C99 and C++11, -Wall -Wextra -Werror -pedantic"
printf '#include "jwtmint.h"\n#include "jwtmint.h"\nint main(void) { return jwtmint_version() == 0; }\n' >"$out/header_c.c"
cp "$out/header_c.c" "$out/header_cxx.cpp"
$CC -std=c99 -Wall -Wextra -Werror -pedantic -I"$inc" -c "$out/header_c.c" -o "$out/header_c.o"
$CXX -std=c++11 -Wall -Wextra -Werror -pedantic -I"$inc" -c "$out/header_cxx.cpp" -o "$out/header_cxx.o"
# The test program itself is also compiled as C++11 (checks the struct and enum types).
$CXX -x c++ -std=c++11 -Wall -Werror -Wno-missing-field-initializers -fsyntax-only -I"$inc" -DJWTMINT_TESTING tests/c/test_ffi.c
$CXX -x c++ -std=c++11 -Wall -Werror -Wno-missing-field-initializers -fsyntax-only -I"$inc" tests/c/test_profiles.c
$CXX -x c++ -std=c++11 -Wall -Werror -Wno-missing-field-initializers -fsyntax-only -I"$inc" tests/c/test_verify.c
$CXX -x c++ -std=c++11 -Wall -Werror -Wno-missing-field-initializers -fsyntax-only -I"$inc" tests/c/test_key_formats.c
$CXX -x c++ -std=c++11 -Wall -Werror -Wno-missing-field-initializers -fsyntax-only -I"$inc" tests/c/test_algs.c
$CXX -x c++ -std=c++11 -Wall -Werror -Wno-missing-field-initializers -fsyntax-only -I"$inc" tests/c/test_callback_key.c

cflags=(-std=c99 -Wall -Wextra -Werror -g -O1 -I"$inc" -DJWTMINT_TESTING)

# c_test NAME [VAR=VALUE...]: builds tests/c/NAME.c against the staticlib and
# runs it natively, under valgrind (0 errors, 0 definite/indirect leaks; the
# VAR=VALUE settings apply there, e.g. fewer iterations) unless
# JWTMINT_SKIP_VALGRIND=1, and built with -fsanitize=address,undefined (leak
# checking on) unless JWTMINT_SKIP_ASAN=1. Each run's output is also kept in
# $out/NAME.{native,valgrind,asan}.log.
c_test() {
    local name=$1
    shift
    step "$name (static, $where)"
    $CC "${cflags[@]}" "tests/c/$name.c" "$lib/libjwtmint.a" $syslibs -o "$out/$name"
    run "$out/$name" 2>&1 | tee "$out/$name.native.log"
    if [ "${JWTMINT_SKIP_VALGRIND:-0}" != 1 ]; then
        step "$name under valgrind"
        env "$@" valgrind --quiet --error-exitcode=1 --leak-check=full --errors-for-leak-kinds=definite,indirect \
            --show-leak-kinds=definite,indirect "$out/$name" 2>&1 | tee "$out/$name.valgrind.log"
    fi
    if [ "${JWTMINT_SKIP_ASAN:-0}" != 1 ]; then
        step "$name with -fsanitize=address,undefined"
        $CC "${cflags[@]}" -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all \
            "tests/c/$name.c" "$lib/libjwtmint.a" $syslibs -o "$out/${name}_asan"
        ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
            "$out/${name}_asan" 2>&1 | tee "$out/$name.asan.log"
    fi
}

# start_server NAME SCRIPT ARGS...: starts tests/py/SCRIPT (it prints
# "PORT <n>") in the background, killed on exit; sets server_port.
server_pids=()
trap 'for p in "${server_pids[@]}"; do kill "$p" 2>/dev/null || true; done' EXIT
start_server() {
    local name=$1 script=$2
    shift 2
    "$python" "tests/py/$script" "$@" >"$out/$name.out" 2>"$out/$name.err" &
    server_pids+=($!)
    server_port=
    for _ in $(seq 1 100); do
        server_port=$(sed -n 's/^PORT //p' "$out/$name.out")
        [ -n "$server_port" ] && break
        sleep 0.2
    done
    [ -n "$server_port" ] || { cat "$out/$name.err" >&2; echo "$script did not start" >&2; exit 1; }
}

step "test_ffi (static, $where): 4 threads x 1000 assertions"
$CC "${cflags[@]}" tests/c/test_ffi.c "$lib/libjwtmint.a" $syslibs -o "$out/test_ffi"
JWTMINT_TEST_TOKENS="$out/tokens.txt" run "$out/test_ffi"
if peer_python "C test_ffi tokens (PyJWT)" jwt cryptography; then
    "$python" tests/c/verify_tokens.py "$out/tokens.txt" examples/keys/demo-key.pub.pem 4000
fi

if [ "${JWTMINT_SKIP_VALGRIND:-0}" != 1 ]; then
    step "test_ffi under valgrind"
    JWTMINT_TEST_ITERS=${JWTMINT_VALGRIND_ITERS:-100} valgrind --quiet --error-exitcode=1 \
        --leak-check=full --errors-for-leak-kinds=definite,indirect \
        --show-leak-kinds=definite,indirect "$out/test_ffi"
fi

if [ "${JWTMINT_SKIP_ASAN:-0}" != 1 ]; then
    step "test_ffi with -fsanitize=address,undefined"
    $CC "${cflags[@]}" -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all \
        tests/c/test_ffi.c "$lib/libjwtmint.a" $syslibs -o "$out/test_ffi_asan"
    ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
        "$out/test_ffi_asan"
fi

# test_verify: verification, token responses.
c_test test_verify JWTMINT_TEST_ITERS=${JWTMINT_VALGRIND_ITERS:-100}

# test_algs: all 13 algorithms, key/algorithm mismatches.
c_test test_algs

# test_callback_key: the signer callback as a key handle (profile mint,
# session, mint), every assertion verified with the demo public key, by
# jwtmint and then by PyJWT.
JWTMINT_CALLBACK_TOKENS="$out/callback_tokens.txt" c_test test_callback_key
if peer_python "C test_callback_key tokens (PyJWT)" jwt cryptography; then
    "$python" - "$out/callback_tokens.txt" examples/keys/demo-key.pub.pem <<'PY'
import sys, jwt
tokens = [t.strip() for t in open(sys.argv[1]) if t.strip()]
pub = open(sys.argv[2]).read()
for t in tokens:
    c = jwt.decode(t, pub, algorithms=["RS256"], issuer="demo-client",
                   options={"verify_aud": False, "verify_exp": False})
    assert c["sub"] == "user@example.com", c
assert len(tokens) == 3, len(tokens)
print(f"PyJWT verified {len(tokens)} callback-signed tokens")
PY
fi

step "test_ffi against the shared library"
$CC "${cflags[@]}" tests/c/test_ffi.c -L"$lib" -ljwtmint -Wl,-rpath,"$lib" $syslibs -o "$out/test_ffi_so"
JWTMINT_TEST_ITERS=100 run "$out/test_ffi_so"
$CC "${cflags[@]}" tests/c/test_verify.c -L"$lib" -ljwtmint -Wl,-rpath,"$lib" $syslibs -o "$out/test_verify_so"
JWTMINT_TEST_ITERS=100 run "$out/test_verify_so"

# The demo certificate's thumbprints as recorded (also pinned in tests/profiles.rs),
# recomputed by openssl when it is there: Base64Url of the digest of the DER.
JWTMINT_X5T=U8eVXOR9UENR_GwKQs0aws-pZLM
JWTMINT_X5T_S256=YmZmJVHnzPqC-uwG36mB_ytG0dPVENEcIHZp3fIKw_s
if peer_openssl "C test_profiles thumbprints (openssl)"; then
    thumb() {
        "$openssl" x509 -in examples/keys/demo-cert.pem -outform DER | "$openssl" dgst "-$1" -binary |
            "$openssl" base64 -A | tr '+/' '-_' | tr -d '='
    }
    for pair in "sha1 $JWTMINT_X5T" "sha256 $JWTMINT_X5T_S256"; do
        set -- $pair
        got=$(thumb "$1")
        [ "$got" = "$2" ] || { echo "openssl $1 thumbprint $got != recorded $2" >&2; exit 1; }
    done
fi
export JWTMINT_X5T JWTMINT_X5T_S256

step "test_profiles (static, $where; x5t $JWTMINT_X5T)"
$CC "${cflags[@]}" tests/c/test_profiles.c "$lib/libjwtmint.a" $syslibs -o "$out/test_profiles"
JWTMINT_PROFILE_TOKENS="$out/profile_tokens.txt" run "$out/test_profiles"
if peer_python "C test_profiles tokens (PyJWT, google-auth)" jwt cryptography google.auth google.oauth2.service_account; then
    "$python" tests/c/verify_profiles.py "$out/profile_tokens.txt" examples/keys/demo-key.pub.pem \
        examples/keys/demo-cert.pem tests/data/demo-service-account.json "$JWTMINT_X5T" "$JWTMINT_X5T_S256" 11
fi

if [ "${JWTMINT_SKIP_VALGRIND:-0}" != 1 ]; then
    step "test_profiles under valgrind"
    JWTMINT_TEST_ITERS=${JWTMINT_VALGRIND_PROFILE_ITERS:-5} valgrind --quiet --error-exitcode=1 \
        --leak-check=full --errors-for-leak-kinds=definite,indirect \
        --show-leak-kinds=definite,indirect "$out/test_profiles"
fi

if [ "${JWTMINT_SKIP_ASAN:-0}" != 1 ]; then
    step "test_profiles with -fsanitize=address,undefined"
    $CC "${cflags[@]}" -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all \
        tests/c/test_profiles.c "$lib/libjwtmint.a" $syslibs -o "$out/test_profiles_asan"
    ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
        "$out/test_profiles_asan"
fi

step "test_profiles against the shared library"
$CC "${cflags[@]}" tests/c/test_profiles.c -L"$lib" -ljwtmint -Wl,-rpath,"$lib" $syslibs -o "$out/test_profiles_so"
run "$out/test_profiles_so"

# test_session.c: canned answers always; with Python + Authlib the local
# RFC 7523 server (audience https://sessions.test) for the FETCH part.
session_port=
if peer_python "C test_session against the Authlib RFC 7523 server" authlib flask werkzeug cryptography; then
    start_server session_server rfc7523_server.py --pubkey examples/keys/demo-key.pub.pem \
        --client-id demo-client --audience https://sessions.test --max-seconds 600
    session_port=$server_port
fi
export JWTMINT_SESSION_PORT=$session_port
$CXX -x c++ -std=c++11 -Wall -Werror -Wno-missing-field-initializers -fsyntax-only -I"$inc" tests/c/test_session.c
# The sans-IO session (Authlib server port ${session_port:-none}).
c_test test_session
# Many subjects: a bounded table of sessions keyed by subject (canned answers).
$CXX -x c++ -std=c++11 -Wall -Werror -Wno-missing-field-initializers -fsyntax-only -I"$inc" tests/c/test_sessions.c
c_test test_sessions

# examples/c/shared_file_gateway.c: forked workers answer the session's
# store actions with a file (flock lock + record); against the same Authlib
# server (its /count): 8 workers starting at once make 1 exchange, and a
# second generation adopts the saved record (0 exchanges).
step "examples/c/shared_file_gateway.c: 8 workers share one token through a file"
$CC "${cflags[@]}" examples/c/shared_file_gateway.c "$lib/libjwtmint.a" $syslibs -o "$out/shared_file_gateway"
if [ -n "$session_port" ]; then
    exchanges() {
        "$python" -c 'import json, sys, urllib.request; print(json.load(urllib.request.urlopen(sys.argv[1]))["token"])' \
            "http://127.0.0.1:$session_port/count"
    }
    rm -rf "$out/shared_store" && mkdir -m 700 "$out/shared_store"
    for run in "8 1" "4 0"; do
        set -- $run
        before=$(exchanges)
        run "$out/shared_file_gateway" examples/keys/demo-key.pem "$session_port" "$1" "$out/shared_store" \
            >"$out/shared_file_gateway.log"
        made=$(($(exchanges) - before))
        workers=$(grep -c '^worker ' "$out/shared_file_gateway.log")
        tokens=$(sed -n 's/^worker [0-9]* token //p' "$out/shared_file_gateway.log" | sort -u | wc -l)
        echo "$1 workers: $workers tokens handed out, $tokens distinct, $made exchange(s)"
        [ "$workers" = "$1" ] && [ "$tokens" = 1 ] && [ "$made" = "$2" ] ||
            { echo "shared_file_gateway: expected $1 workers, 1 token, $2 exchange(s)" >&2; exit 1; }
    done
fi

# Key formats and the ABI rules.
c_test test_key_formats

# Grant configuration against the custom IdP (password, refresh, previous
# token; 4 s tokens). The password file is private to this run.
export JWTMINT_CUSTOM_IDP_PORT= JWTMINT_CUSTOM_IDP_PASSWORD_FILE=
grants_password='c-p@ss w&rd=%'
if peer_python "C test_session_grants against the Authlib custom IdP" authlib flask werkzeug; then
    (umask 077 && printf '%s\n' "$grants_password" >"$out/custom_idp_password")
    start_server custom_idp custom_idp.py --password-file "$out/custom_idp_password" \
        --api-key c-grants-api-key --scale 10800 --omit-expires-in --max-seconds 600
    JWTMINT_CUSTOM_IDP_PORT=$server_port
    JWTMINT_CUSTOM_IDP_PASSWORD_FILE=$out/custom_idp_password
fi
$CXX -x c++ -std=c++11 -Wall -Werror -Wno-missing-field-initializers -fsyntax-only -I"$inc" \
    tests/c/test_session_grants.c
c_test test_session_grants
if grep -qF -- "$grants_password" "$out"/test_session_grants.*.log; then
    echo "the password appeared in test_session_grants output" >&2
    exit 1
fi
$CC "${cflags[@]}" tests/c/test_key_formats.c -L"$lib" -ljwtmint -Wl,-rpath,"$lib" $syslibs -o "$out/test_key_formats_so"
run "$out/test_key_formats_so"

step "examples/c/gateway.c (pkg-config, static link) runs"
export PKG_CONFIG_PATH="$lib/pkgconfig"
$CC -std=c99 -Wall -Wextra -Werror -O2 examples/c/gateway.c $(pkg-config --cflags --libs jwtmint-static) \
    -o "$out/gateway"
run "$out/gateway" examples/keys/demo-key.pem 100 | tail -n 3

step "examples/c/session_gateway.c (event loop over jwtmint_session_*, stub transport) runs"
$CC -std=c99 -Wall -Wextra -Werror -O2 examples/c/session_gateway.c $(pkg-config --cflags --libs jwtmint-static) \
    -o "$out/session_gateway"
run "$out/session_gateway" examples/keys/demo-key.pem 3MVG9demo user@example.com | tail -n 1
echo
echo "C ABI tests passed"
