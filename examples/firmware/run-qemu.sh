#!/usr/bin/env bash
# Builds every firmware image, runs each on QEMU's Cortex-M4F board, verifies
# the token it prints (PyJWT, demo public key), enforces the budgets and prints
#   image=<name> flash=<n> stack=<n> heap=<n> instructions=<n> token=verified
# per image (bytes / instructions per mint). Exits non-zero on any failure.
#
# Machine: netduinoplus2 = STM32F405 (Cortex-M4F, FPU, 1 MiB flash at
# 0x0800_0000, 128 KiB SRAM), the STM32F4 class memory.x targets and the class
# of the published Cortex-M4 @ 168 MHz figures; its TIM2 model counts virtual
# nanoseconds, which `-icount shift=0` makes exactly one per instruction
# (src/qemu.rs). The mps2-an386/an500 boards have no such counter (their
# timers run at 25 MHz) and a memory map unlike the STM32 one.
#
# Semihosting must be enabled (-semihosting-config enable=on,target=native):
# without it the first semihosting `bkpt 0xab` is an ordinary breakpoint, which
# with no debugger escalates to HardFault; cortex-m-rt's default handler then
# spins silently forever (src/qemu.rs reports HardFaults instead, so a run
# without semihosting now ends in QEMU's "Lockup" abort). Issue 15's silent
# "15 minutes" was setup, not arithmetic: the mint takes 69 M instructions,
# under a second of host time here.
set -euo pipefail
cd "$(dirname "$0")"
export CARGO_TERM_COLOR=never

# One line per image: name, cargo features, budgets in bytes: flash, stack,
# heap, stack + heap. flash is measured on the device build (these features);
# the QEMU run uses the same build plus feature `qemu` (semihosting report,
# panic messages: about 20 KB more flash that a device does not ship). A heap
# budget of 0 means no allocator linked at all: checked on both ELFs.
IMAGES=(
  "rs256  rs256  $((96 * 1024))  $((24 * 1024))  $((16 * 1024))  $((24 * 1024))"
  "es256  es256  $((48 * 1024))  $((8 * 1024))   0               $((8 * 1024))"
  "eddsa  eddsa  $((48 * 1024))  $((8 * 1024))   0               $((8 * 1024))"
)
TIMEOUT=${QEMU_TIMEOUT:-120} # seconds per QEMU run

command -v qemu-system-arm >/dev/null || { echo "qemu-system-arm not found (apt-get install qemu-system-arm)"; exit 1; }
python3 -c 'import jwt, cryptography' || { echo "PyJWT + cryptography needed"; exit 1; }
rustup target add thumbv7em-none-eabihf >/dev/null 2>&1
mkdir -p target/qemu

# build <name> <features>: the ELF, copied to target/qemu/<name>.elf
build() {
  cargo build --release --quiet --no-default-features --features "$2"
  cp "${CARGO_TARGET_DIR:-target}/thumbv7em-none-eabihf/release/jwtmint-firmware-example" "target/qemu/$1.elf"
}

# flash <elf>: .vector_table + .text + .rodata + .data, as size.sh
flash() { size -A "$1" | awk '$1==".vector_table"||$1==".text"||$1==".rodata"||$1==".data"{s+=$2} END{print s}'; }

# allocator <elf>: prints the global-allocator symbols the ELF links (none
# when no #[global_allocator] is linked; with LTO the shims stay local symbols)
allocator() { nm -C "$1" | grep -E ' __rust(c::__rust)?_(alloc|dealloc|realloc|alloc_zeroed)$' || true; }

# run <name>: QEMU output in target/qemu/<name>.out; returns QEMU's exit status
run() {
  timeout "$TIMEOUT" qemu-system-arm -M netduinoplus2 -nographic -monitor none -serial none \
    -icount shift=0 -semihosting-config enable=on,target=native \
    -kernel "target/qemu/$1.elf" >"target/qemu/$1.out" 2>&1
}

# field <name> <key>: the value of the firmware's `key=value` line
field() { sed -n "s/^$2=//p" "target/qemu/$1.out" | tr -d '\r' | head -n 1; }

fail() { echo "image=$1 FAILED: $2"; sed 's/^/  | /' "target/qemu/$1.out" 2>/dev/null || true; exit 1; }

# The error paths must report and exit non-zero, never hang or exit 0.
# The RS256 image links the allocator: the symbol check below can fail.
build rs256-alloc-check rs256
[ -n "$(allocator target/qemu/rs256-alloc-check.elf)" ] || { echo "allocator symbol check finds nothing in the rs256 image"; exit 1; }

for neg in "test-bad-key es256" "test-panic rs256"; do
  read -r neg image <<<"$neg"
  build "$neg" "$image,$neg"
  rc=0; run "$neg" || rc=$?
  [ "$rc" -ne 0 ] || fail "$neg" "exited 0"
  [ "$rc" -ne 124 ] || fail "$neg" "timed out after ${TIMEOUT}s"
  grep -q '^error=' "target/qemu/$neg.out" || fail "$neg" "no error= line"
  ! grep -q '^token=' "target/qemu/$neg.out" || fail "$neg" "printed a token"
done

for spec in "${IMAGES[@]}"; do
  read -r name features flash_budget stack_budget heap_budget ram_budget <<<"$spec"
  build "$name-device" "$features"
  flash=$(flash "target/qemu/$name-device.elf")
  build "$name" "qemu,$features"

  rc=0; run "$name" || rc=$?
  [ "$rc" -ne 124 ] || fail "$name" "timed out after ${TIMEOUT}s"
  [ "$rc" -eq 0 ] || fail "$name" "exit status $rc"
  # Deterministic: a second run prints exactly the same.
  cp "target/qemu/$name.out" "target/qemu/$name.out.1"
  run "$name" || fail "$name" "second run failed"
  cmp -s "target/qemu/$name.out" "target/qemu/$name.out.1" || fail "$name" "second run differs"

  calibration=$(field "$name" calibration)
  instructions=$(field "$name" instructions)
  stack=$(field "$name" stack)
  heap=$(field "$name" heap)
  token=$(field "$name" token)
  for v in calibration instructions stack heap; do
    [[ "${!v}" =~ ^[0-9]+$ ]] || fail "$name" "no $v"
  done
  # The counter counts instructions: a 2,000,000-instruction loop plus its call.
  [ "$calibration" -ge 2000000 ] && [ "$calibration" -le 2000016 ] ||
    fail "$name" "TIM2 does not count instructions (calibration=$calibration)"
  [ "$instructions" -gt 0 ] && [ "$stack" -gt 0 ] || fail "$name" "counters did not move"

  TOKEN="$token" python3 - "$name" <<'EOF' || fail "$name" "token did not verify"
import os, sys, jwt
from cryptography.hazmat.primitives.serialization import load_der_private_key
token, image = os.environ["TOKEN"], sys.argv[1]
# The public key each image's (demo) private key belongs to, the header and
# the claims it must carry.
key_file, alg, header, claims, aud, iss = {
    "rs256": ("../../tests/data/demo-pkcs8.der", "RS256", {"alg": "RS256", "typ": "JWT"},
              {"iss": "device-42", "sub": "device-42", "aud": "https://login.example.com/oauth2/token",
               "iat": 1700000000, "exp": 1700000300},
              "https://login.example.com/oauth2/token", "device-42"),
    # APNs provider token: kid = Key ID, iss = Team ID, iat only.
    "es256": ("../../tests/data/ec-p256.der", "ES256", {"alg": "ES256", "kid": "ABC123DEFG"},
              {"iss": "DEF123GHIJ", "iat": 1700000000}, None, "DEF123GHIJ"),
    # Salesforce's claim set (consumer key, username, login host, exp).
    "eddsa": ("../../tests/data/ed25519.der", "EdDSA", {"alg": "EdDSA", "typ": "JWT"},
              {"iss": "3MVG9device42consumerkey", "sub": "device-42@example.com",
               "aud": "https://login.salesforce.com", "exp": 1700000180},
              "https://login.salesforce.com", "3MVG9device42consumerkey"),
}[image]
public = load_der_private_key(open(key_file, "rb").read(), None).public_key()
assert jwt.get_unverified_header(token) == header, jwt.get_unverified_header(token)
got = jwt.decode(token, public, algorithms=[alg], audience=aud, issuer=iss,
                 options={"verify_exp": False, "verify_iat": False, "verify_aud": aud is not None})
assert got == claims, got
EOF

  [ "$flash" -le "$flash_budget" ] || fail "$name" "flash $flash B over the $flash_budget B budget"
  [ "$stack" -le "$stack_budget" ] || fail "$name" "stack $stack B over the $stack_budget B budget"
  [ "$heap" -le "$heap_budget" ] || fail "$name" "heap $heap B over the $heap_budget B budget"
  if [ "$heap_budget" -eq 0 ]; then
    for elf in "$name-device" "$name"; do
      [ -z "$(allocator "target/qemu/$elf.elf")" ] || fail "$name" "$elf.elf links an allocator: $(allocator "target/qemu/$elf.elf")"
    done
  fi
  [ $((stack + heap)) -le "$ram_budget" ] || fail "$name" "stack + heap $((stack + heap)) B over the $ram_budget B budget"
  echo "image=$name flash=$flash stack=$stack heap=$heap instructions=$instructions token=verified"
done
