#!/usr/bin/env python3
"""Independent verification of jwtmint output with PyJWT + pyca/cryptography.

Input: a JSON-lines file, one object per line:
  {"jwt": "...", "alg": "RS256"|"PS256", "header": {...}, "claims": {...}}
Every token must verify with the public key (PyJWT and, separately, raw
cryptography) and decode to exactly the expected header and claims.
Prints "N verified" and exits 0, or prints the first mismatch and exits 1.
"""
import base64
import json
import sys

import jwt
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding


def b64d(s):
    return base64.urlsafe_b64decode(s + "=" * (-len(s) % 4))


def main(cases_path, pubkey_path):
    pub_pem = open(pubkey_path, "rb").read()
    pub = serialization.load_pem_public_key(pub_pem)
    n = 0
    with open(cases_path, encoding="utf-8") as f:
        for line in f:
            case = json.loads(line)
            token, alg = case["jwt"], case["alg"]
            claims = jwt.decode(
                token,
                pub_pem,
                algorithms=[alg],
                options={"verify_exp": False, "verify_nbf": False, "verify_iat": False, "verify_aud": False},
            )
            if claims != case["claims"]:
                print(f"claims mismatch in case {n}: {claims!r} != {case['claims']!r}")
                return 1
            header = jwt.get_unverified_header(token)
            if header != case["header"]:
                print(f"header mismatch in case {n}: {header!r} != {case['header']!r}")
                return 1
            h, p, s = token.split(".")
            signing_input = f"{h}.{p}".encode()
            if alg == "RS256":
                pad = padding.PKCS1v15()
            else:
                pad = padding.PSS(mgf=padding.MGF1(hashes.SHA256()), salt_length=32)
            pub.verify(b64d(s), signing_input, pad, hashes.SHA256())
            # A flipped bit in the claims must be refused.
            bad = f"{h}.{p[:-2]}{'A' if p[-2] != 'A' else 'B'}{p[-1]}.{s}"
            try:
                jwt.decode(bad, pub_pem, algorithms=[alg], options={"verify_exp": False, "verify_aud": False})
                print(f"tampered token accepted in case {n}")
                return 1
            except jwt.exceptions.InvalidTokenError:
                pass
            n += 1
    print(f"{n} verified")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
