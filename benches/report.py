#!/usr/bin/env python3
"""Reads criterion estimates and rewrites the generated table in docs/BENCHMARKS.md."""
import datetime
import json
import os
import platform
import re
import subprocess
import sys

# (group, bench, anchor bench or None, what the ratio means)
ROWS = [
    ("encode", "jwtmint", "naive_serde_json_base64", "anchor / jwtmint (goal >= 3x)"),
    ("encode", "jwtmint_with_header", "naive_serde_json_base64", "anchor / jwtmint"),
    ("encode", "claims_json_only", "encode/jwtmint", "share of encode"),
    ("encode", "naive_serde_json_base64", None, ""),
    ("mint_rs256_2048", "jwtmint", "raw_rsa_sign", "overhead vs raw rsa (goal <= 2 %)"),
    ("mint_rs256_2048", "raw_rsa_sign", None, ""),
    ("mint_rs256_2048", "jsonwebtoken_rust_crypto", "mint_rs256_2048/jwtmint", "jsonwebtoken / jwtmint"),
    ("mint_ps256_2048", "jwtmint", "mint_rs256_2048/raw_rsa_sign", "vs raw RS256 sign"),
    ("mint_rsa_backend_3072", "rs256", None, ""),
    ("mint_rsa_backend_3072", "ps256", None, ""),
    ("mint_rsa_backend_4096", "rs256", None, ""),
    ("mint_rsa_backend_4096", "ps256", None, ""),
    ("key_parse", "pkcs8_pem", "mint_rs256_2048/jwtmint", "parse / one mint"),
    ("key_parse", "pkcs8_der", "mint_rs256_2048/jwtmint", "parse / one mint"),
    ("key_parse", "pkcs1_pem", "mint_rs256_2048/jwtmint", "parse / one mint"),
    ("form_body", "jwtmint", None, ""),
    ("awslc_mint_rs256_2048", "jwtmint", "raw_aws_lc_sign", "overhead vs raw aws-lc-rs (goal <= 2 %)"),
    ("awslc_mint_rs256_2048", "jsonwebtoken_aws_lc", "awslc_mint_rs256_2048/jwtmint", "jsonwebtoken / jwtmint (goal >= 2.5x)"),
    ("awslc_mint_rs256_2048", "jwtmint", "mint_rs256_2048/jwtmint", "aws-lc / rsa backend"),
    ("awslc_mint_rs256_2048", "jwtmint_ps256", None, ""),
    ("awslc_mint_rs256_3072", "jwtmint", "raw_aws_lc_sign", "overhead vs raw aws-lc-rs (goal <= 2 %)"),
    ("awslc_mint_rs256_3072", "jwtmint_ps256", None, ""),
    ("awslc_mint_rs256_4096", "jwtmint", "raw_aws_lc_sign", "overhead vs raw aws-lc-rs (goal <= 2 %)"),
    ("awslc_mint_rs256_4096", "jwtmint_ps256", None, ""),
    ("awslc_key_parse", "pkcs8_pem_to_awslc", "awslc_mint_rs256_2048/jwtmint", "parse / one mint"),
    ("mint_es256", "jwtmint", None, ""),
    ("mint_es256", "jsonwebtoken_rust_crypto", "mint_es256/jwtmint", "jsonwebtoken / jwtmint (goal >= 1.0x)"),
    ("mint_eddsa", "jwtmint", None, ""),
    ("mint_eddsa", "jsonwebtoken_rust_crypto", "mint_eddsa/jwtmint", "jsonwebtoken / jwtmint"),
    ("mint_hs256", "jwtmint", None, ""),
    ("mint_hs256", "jsonwebtoken_rust_crypto", "mint_hs256/jwtmint", "jsonwebtoken / jwtmint"),
    ("awslc_mint_es256", "jwtmint", "mint_es256/jwtmint", "aws-lc / pure Rust"),
    ("awslc_mint_es256", "jsonwebtoken_aws_lc", "awslc_mint_es256/jwtmint", "jsonwebtoken / jwtmint"),
    ("awslc_mint_eddsa", "jwtmint", "mint_eddsa/jwtmint", "aws-lc / pure Rust"),
    ("awslc_mint_eddsa", "jsonwebtoken_aws_lc", "awslc_mint_eddsa/jwtmint", "jsonwebtoken / jwtmint"),
    ("awslc_mint_hs256", "jwtmint", "mint_hs256/jwtmint", "aws-lc / pure Rust"),
    ("awslc_mint_hs256", "jsonwebtoken_aws_lc", "awslc_mint_hs256/jwtmint", "jsonwebtoken / jwtmint"),
    ("ffi_mint_rs256_2048", "c_abi", "rust_api", "C ABI / Rust API (goal within 3 %)"),
    ("ffi_encode_only", "c_abi", "rust_api", "C ABI / Rust API, no-op signer"),
    ("verify", "jwtmint", "raw_rsa_verify", "parse+verify / raw rsa verify (goal <= 1.2x)"),
    ("verify", "jwtmint", "raw_rsa_verifying_key", "parse+verify / raw rsa VerifyingKey (goal <= 1.2x)"),
    ("verify", "raw_rsa_verify", None, ""),
    ("verify", "raw_rsa_verifying_key", None, ""),
    ("verify", "parse_only", "raw_rsa_verify", "parse / raw rsa verify"),
    ("parse", "jwtmint_token_response", "serde_json_owned", "anchor / jwtmint (goal >= 2x)"),
    ("parse", "serde_json_owned", None, ""),
]

OPENSSL_ROWS = [(2048, "awslc_mint_rs256_2048/jwtmint"), (3072, "awslc_mint_rs256_3072/jwtmint"),
                (4096, "awslc_mint_rs256_4096/jwtmint")]
# `openssl speed ecdsap256 ed25519` lines: (openssl name, label, our bench).
OPENSSL_SIG_ROWS = [("256 bits ecdsa (nistp256)", "ECDSA P-256 (ES256)", "awslc_mint_es256/jwtmint"),
                    ("253 bits EdDSA (Ed25519)", "Ed25519 (EdDSA)", "awslc_mint_eddsa/jwtmint")]


def openssl_rows(root):
    path = os.path.join(root, "openssl-speed.txt")
    if not os.path.exists(path):
        return []
    rates = {}
    for line in open(path):
        parts = line.split()
        # rsa 2048 bits 0.000265s 0.000008s 3770.6 125000.0
        if len(parts) >= 7 and parts[0] == "rsa":
            rates[int(parts[1])] = float(parts[5])
    out = ["", "| sign throughput | jwtmint mint (aws-lc) | `openssl speed` sign | ratio (goal >= 1.0x) |", "|---|---|---|---|"]
    for bits, bench in OPENSSL_ROWS:
        if bits in rates:
            ours = 1e9 / median_ns(root, bench)
            out.append(f"| RSA-{bits} | {ours:,.0f} /s | {rates[bits]:,.0f} /s | {ours / rates[bits]:.2f}x |")
    for line in open(path):
        # " 256 bits ecdsa (nistp256)   0.0000s   0.0001s  45000.0  15000.0"
        for name, label, bench in OPENSSL_SIG_ROWS:
            if line.strip().startswith(name):
                sign_rate = float(line.split()[-2])
                ours = 1e9 / median_ns(root, bench)
                out.append(f"| {label} | {ours:,.0f} /s | {sign_rate:,.0f} /s | {ours / sign_rate:.2f}x |")
    return out


def median_ns(root, path):
    with open(os.path.join(root, path, "new", "estimates.json")) as f:
        return json.load(f)["median"]["point_estimate"]


def fmt(ns):
    if ns >= 1e6:
        return f"{ns / 1e6:.3f} ms"
    if ns >= 1e3:
        return f"{ns / 1e3:.2f} µs"
    return f"{ns:.1f} ns"


def cpu_model():
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def main(root, doc):
    lines = [
        f"Generated by `benches/report.sh` on {datetime.date.today()} — CPU: {cpu_model()}, "
        f"{os.cpu_count()} cores, rustc {subprocess.run(['rustc', '--version'], capture_output=True, text=True).stdout.split()[1]}.",
        "",
        "| group / bench | median | anchor | ratio | meaning |",
        "|---|---|---|---|---|",
    ]
    for group, bench, anchor, meaning in ROWS:
        t = median_ns(root, f"{group}/{bench}")
        if anchor is None:
            lines.append(f"| {group}/{bench} | {fmt(t)} | | | |")
            continue
        apath = anchor if "/" in anchor else f"{group}/{anchor}"
        a = median_ns(root, apath)
        if meaning.startswith("anchor /"):
            ratio = f"{a / t:.2f}x faster"
        elif meaning.startswith("overhead"):
            ratio = f"{(t / a - 1) * 100:+.1f} %"
        else:
            ratio = f"{t / a:.2f}x"
        lines.append(f"| {group}/{bench} | {fmt(t)} | {apath} ({fmt(a)}) | {ratio} | {meaning} |")
    lines += openssl_rows(root)
    table = "\n".join(lines)
    text = open(doc).read()
    new = re.sub(
        r"<!-- GENERATED:BEGIN -->.*<!-- GENERATED:END -->",
        f"<!-- GENERATED:BEGIN -->\n{table}\n<!-- GENERATED:END -->",
        text,
        flags=re.S,
    )
    open(doc, "w").write(new)
    print(table)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
