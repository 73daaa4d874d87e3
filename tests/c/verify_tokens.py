"""Verifies every token the C thread test wrote: RS256 signature with the
demo public key (PyJWT + cryptography), claims, unique jti, exact count.

usage: verify_tokens.py TOKENS_FILE PUBLIC_KEY_PEM EXPECTED_COUNT
"""

import sys

import jwt


def main() -> int:
    path, pub_path, expected = sys.argv[1], sys.argv[2], int(sys.argv[3])
    pub = open(pub_path, encoding="ascii").read()
    key = pub
    seen = set()
    with open(path, encoding="ascii") as f:
        tokens = [line.strip() for line in f if line.strip()]
    for tok in tokens:
        claims = jwt.decode(
            tok,
            key,
            algorithms=["RS256"],
            audience="https://login.salesforce.com",
            issuer="3MVG9A2kN3Bn17hs8MIaQx1voVGy662rXlC37svtmLmt6wO_iik8Hnk3DlcYjKRvzVNGWLFlGRH1ryHwS217h",
            options={"require": ["exp", "iat", "jti", "sub"]},
        )
        assert claims["sub"] == "integration.user@example.com", claims
        assert claims["exp"] == claims["iat"] + 600, claims
        seen.add(claims["jti"])
    if len(tokens) != expected or len(seen) != expected:
        print(f"expected {expected} tokens with distinct jti, got {len(tokens)} / {len(seen)}")
        return 1
    print(f"PyJWT verified {len(tokens)} tokens from the C thread test ({len(seen)} distinct jti)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
