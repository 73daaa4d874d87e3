#!/usr/bin/env bash
# Issue 22's measure: lines written by hand in src/ffi/ and cli/src/ for
# providers (C constructors and options structs, CLI mappings), at each
# commit given (default: the work tree). The files are the ones the first
# report counted (2149 at c3caa31, before the declarations; 1413 at
# 8b27f0e): the C profile handle and hand-written constructors
# (ffi/profiles.rs, profiles_more.rs, providers_special.rs,
# session_grants.rs) and the CLI's profile mapping (cli/src/mint.rs,
# flags.rs). Generated code (ffi/providers.rs) and the generator
# (ffi/declared.rs) are not counted; the custom profile's CLI arm
# (cli/src/custom.rs) is printed beside the total.
#   scripts/provider-lines.sh c3caa31 62d4737 HEAD
set -euo pipefail
cd "$(dirname "$0")/.."
files=(src/ffi/profiles.rs src/ffi/profiles_more.rs src/ffi/providers_special.rs
    src/ffi/session_grants.rs cli/src/mint.rs cli/src/flags.rs)
count() { # count REV FILE
    if [ "$1" = . ]; then
        if [ -f "$2" ]; then wc -l <"$2"; else echo 0; fi
    else
        { git show "$1:$2" 2>/dev/null || true; } | wc -l
    fi
}
[ $# -gt 0 ] || set -- .
for rev in "$@"; do
    total=0
    per=()
    for f in "${files[@]}"; do
        n=$(count "$rev" "$f")
        total=$((total + n))
        [ "$n" = 0 ] || per+=("$(basename "$f")=$n")
    done
    echo "$rev: $total (${per[*]}); cli/src/custom.rs $(count "$rev" cli/src/custom.rs)"
done
