#!/usr/bin/env bash
# The library on the targets it claims beyond x86-64 Linux (issue 24; called
# by .ci/run, run from anywhere, as root for apt-get). Steps, all by default or
# the ones named:
#   wasm     wasm32-unknown-unknown: the core builds (no_std ES256/EdDSA/HS256;
#            + alloc for RS256; std with the `wasm-js` RNG), and
#            examples/wasm-google, a minimal module minting a Google
#            service-account assertion: its size, run under Node, the token
#            verified with PyJWT;
#   wasi     wasm32-wasip1: the library's tests (no default features; default
#            features) under Node's WASI (scripts/wasi-run.mjs);
#   aarch64  aarch64-unknown-linux-gnu: the library's tests (default features,
#            pure-Rust backend) and the C tests (tests/c/run.sh, cross-built
#            static and shared library) under qemu-aarch64 user mode;
#   s390x    s390x-unknown-linux-gnu, big-endian: the core tests (no default
#            features; default features) under qemu-s390x.
# Each test step prints `cross <target> <features>: <n> passed, <m> ignored`
# (cargo's `test result:` lines summed). Lean feature sets, one build per
# feature set, all in the shared target/ (docs/TARGETS.md has the figures).
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TERM_COLOR=never
# Foreign-target builds are fresh: no debug info, no incremental state (link
# time and disk; the host build's artifacts are not affected).
export CARGO_PROFILE_DEV_DEBUG=0 CARGO_INCREMENTAL=0
root=$PWD
logs=${CARGO_TARGET_DIR:-target}/cross
mkdir -p "$logs"
step() { printf '\n==> cross: %s\n' "$*"; }

# apt_need <command> <package>...: installs the packages when the command is missing.
apt_need() {
    local cmd=$1
    shift
    command -v "$cmd" >/dev/null && return 0
    echo "installing $* (for $cmd)"
    if [ "$(id -u)" = 0 ]; then
        apt-get update -qq && apt-get install -y -qq --no-install-recommends "$@" >/dev/null
    else
        sudo apt-get install -y --no-install-recommends "$@"
    fi
}

# tests <label> <log> <cargo test args...>: runs, keeps the output in <log>,
# prints the counts; fails on a failure or when no test ran.
tests() {
    local label=$1 log=$2
    shift 2
    if ! cargo test --no-fail-fast "$@" >"$log" 2>&1; then
        grep -a -E '^(test .* FAILED|failures:|---- )|panicked' "$log" | head -n 40 || true
        tail -n 30 "$log"
        echo "cross $label: FAILED (full output: $log)"
        exit 1
    fi
    local passed ignored
    # grep -a: test output may hold binary bytes (a wasm trap's dump).
    passed=$(grep -a '^test result:' "$log" | awk '{for(i=2;i<=NF;i++) if($i=="passed;") s+=$(i-1)} END{print s+0}')
    ignored=$(grep -a '^test result:' "$log" | awk '{for(i=2;i<=NF;i++) if($i=="ignored;") s+=$(i-1)} END{print s+0}')
    [ "$passed" -gt 0 ] || { echo "cross $label: no test ran ($log)"; exit 1; }
    echo "cross $label: $passed passed, $ignored ignored"
}

# The test binaries each target runs: the core (encoders, JSON, parsers,
# token responses, validation, session records) and every algorithm's
# vectors; default features add keys, verification, profiles and the peer
# cross-checks. Left out under qemu-user (debug builds, emulated): peers.rs
# (it re-runs its own test binary, which the kernel cannot exec without
# binfmt_misc; qemu reports the failed exec as exit status 127),
# json_differential.rs (200 s), backends.rs (240 s of RSA), key_formats.rs
# (scrypt/PBKDF2 for minutes) and fuzz_replay.rs (every checked-in corpus,
# about 1 min emulated): all of them run natively, and json_differential,
# key_formats and fuzz_replay on wasm32-wasip1 too (fuzz_replay there pins
# the fix for serde-json-core's unbounded recursion, found on WASI's 1 MiB
# stack: the service-account and Box readers run the depth-checked validator
# first).
core_tests=(--lib --test vectors --test token_response --test validate --test session
    --test session_grants --test session_props --test algorithms --test wycheproof_algs
    --test alg_cross --test alloc_count_algs --test alloc_count_parse --test redaction)
std_tests=(--test verify --test verify_defaults --test key_input --test api
    --test pyjwt_cross --test profiles --test profiles_more --test alloc_count)
# On WASI as well (no emulation: Node compiles the module).
wasi_tests=(--test json_differential --test key_formats --test fuzz_replay)
# Local HTTP servers (Python Authlib): not on WASI.
native_tests=(--test custom_idp --test session_refresh)

wasm() {
    step "wasm32-unknown-unknown: core builds"
    rustup target add wasm32-unknown-unknown >/dev/null 2>&1
    cargo build --quiet --lib --target wasm32-unknown-unknown --no-default-features --features es256,eddsa,hmac
    cargo build --quiet --lib --target wasm32-unknown-unknown --no-default-features --features alloc,es256,eddsa,hmac
    cargo build --quiet --lib --target wasm32-unknown-unknown --features wasm-js
    echo "wasm32-unknown-unknown: no_std, alloc and std + wasm-js builds OK"

    step "wasm32-unknown-unknown: examples/wasm-google (Google service-account assertion)"
    (cd examples/wasm-google && cargo build --quiet --release --target wasm32-unknown-unknown)
    local wasm_file=examples/wasm-google/target/wasm32-unknown-unknown/release/jwtmint_wasm_google.wasm
    local token
    token=$(node examples/wasm-google/run.mjs "$wasm_file" tests/data/demo-service-account.json \
        https://www.googleapis.com/auth/cloud-platform 1700000000 | sed -n 's/^token=//p')
    [ -n "$token" ] || { echo "wasm-google printed no token"; exit 1; }
    TOKEN=$token python3 - <<'EOF'
import json, os, jwt
sa = json.load(open("tests/data/demo-service-account.json"))
token = os.environ["TOKEN"]
key = open("examples/keys/demo-key.pub.pem", "rb").read()
h = jwt.get_unverified_header(token)
assert h == {"alg": "RS256", "typ": "JWT", "kid": sa["private_key_id"]}, h
c = jwt.decode(token, key, algorithms=["RS256"], audience=sa["token_uri"], issuer=sa["client_email"],
               options={"verify_exp": False, "verify_iat": False})
assert c == {"iss": sa["client_email"], "scope": "https://www.googleapis.com/auth/cloud-platform",
             "aud": sa["token_uri"], "iat": 1700000000, "exp": 1700003600}, c
EOF
    echo "wasm-google: $(stat -c %s "$wasm_file") bytes (.wasm, opt-level z, LTO, no wasm-opt); token verified with PyJWT"
}

wasi() {
    step "wasm32-wasip1: library tests under Node's WASI"
    rustup target add wasm32-wasip1 >/dev/null 2>&1
    node --no-warnings -e 'require("node:wasi")' || { echo "node with node:wasi (Node >= 20) needed"; exit 1; }
    # No processes under WASI: the peer cross-checks skip loudly (their
    # x86-64 runs are in the main test step).
    export CARGO_TARGET_WASM32_WASIP1_RUNNER="node --no-warnings $root/scripts/wasi-run.mjs"
    JWTMINT_REQUIRE_PEERS=0 JWTMINT_SKIP_PYTHON=1 \
        tests "wasm32-wasip1 no-default-features" "$logs/wasi-core.log" \
        --target wasm32-wasip1 --no-default-features "${core_tests[@]}" --test json_differential
    JWTMINT_REQUIRE_PEERS=0 JWTMINT_SKIP_PYTHON=1 \
        tests "wasm32-wasip1 default features" "$logs/wasi-std.log" \
        --target wasm32-wasip1 "${core_tests[@]}" "${std_tests[@]}" "${wasi_tests[@]}"
}

aarch64() {
    step "aarch64-unknown-linux-gnu: library tests under qemu-aarch64"
    rustup target add aarch64-unknown-linux-gnu >/dev/null 2>&1
    apt_need aarch64-linux-gnu-gcc gcc-aarch64-linux-gnu libc6-dev-arm64-cross
    apt_need qemu-aarch64 qemu-user
    export CARGO_TARGET_AARCH64_UNKNOWN_LINUX_GNU_LINKER=aarch64-linux-gnu-gcc
    export CARGO_TARGET_AARCH64_UNKNOWN_LINUX_GNU_RUNNER="qemu-aarch64 -L /usr/aarch64-linux-gnu"
    export CC_aarch64_unknown_linux_gnu=aarch64-linux-gnu-gcc AR_aarch64_unknown_linux_gnu=aarch64-linux-gnu-ar
    # The peer cross-checks run: the test binary is emulated, python3 and
    # openssl are native processes it starts.
    tests "aarch64-unknown-linux-gnu default features" "$logs/aarch64.log" \
        --target aarch64-unknown-linux-gnu "${core_tests[@]}" "${std_tests[@]}" "${native_tests[@]}"

    step "aarch64-unknown-linux-gnu: the C tests (tests/c/run.sh, pure-Rust backend) under qemu-aarch64"
    # The library is cross-built as the gateways link it (release staticlib
    # and cdylib); each C program is built with the cross gcc and run under
    # qemu, its tokens verified by the native PyJWT/google-auth as on x86-64.
    # valgrind and ASan stay native-only.
    if ! JWTMINT_C_TARGET=aarch64-unknown-linux-gnu \
        JWTMINT_C_RUNNER="qemu-aarch64 -L /usr/aarch64-linux-gnu" \
        CC=aarch64-linux-gnu-gcc STRIP=aarch64-linux-gnu-strip \
        RUST_BACKTRACE=0 tests/c/run.sh >"$logs/aarch64-c.log" 2>&1; then
        tail -n 40 "$logs/aarch64-c.log"
        echo "cross aarch64-unknown-linux-gnu C tests: FAILED (full output: $logs/aarch64-c.log)"
        exit 1
    fi
    local programs
    programs=$(grep -c '^--> ' "$logs/aarch64-c.log")
    echo "cross aarch64-unknown-linux-gnu C tests: passed ($programs steps; $(tail -n 1 "$logs/aarch64-c.log"))"
}

s390x() {
    step "s390x-unknown-linux-gnu (big-endian): core tests under qemu-s390x"
    rustup target add s390x-unknown-linux-gnu >/dev/null 2>&1
    apt_need s390x-linux-gnu-gcc gcc-s390x-linux-gnu libc6-dev-s390x-cross
    apt_need qemu-s390x qemu-user
    export CARGO_TARGET_S390X_UNKNOWN_LINUX_GNU_LINKER=s390x-linux-gnu-gcc
    export CARGO_TARGET_S390X_UNKNOWN_LINUX_GNU_RUNNER="qemu-s390x -L /usr/s390x-linux-gnu"
    export CC_s390x_unknown_linux_gnu=s390x-linux-gnu-gcc AR_s390x_unknown_linux_gnu=s390x-linux-gnu-ar
    tests "s390x-unknown-linux-gnu no-default-features" "$logs/s390x-core.log" \
        --target s390x-unknown-linux-gnu --no-default-features "${core_tests[@]}"
    tests "s390x-unknown-linux-gnu default features" "$logs/s390x-std.log" \
        --target s390x-unknown-linux-gnu "${core_tests[@]}" "${std_tests[@]}" "${native_tests[@]}"
}

apt_need node nodejs
apt_need qemu-aarch64 qemu-user
steps=("$@")
[ ${#steps[@]} -gt 0 ] || steps=(wasm wasi aarch64 s390x)
for s in "${steps[@]}"; do
    case $s in
    wasm | wasi | aarch64 | s390x) "$s" ;;
    *)
        echo "unknown step $s (wasm, wasi, aarch64, s390x)"
        exit 2
        ;;
    esac
done
