#!/usr/bin/env python3
"""Every jwtmint algorithm checked by PyJWT + pyca/cryptography.

Input: a JSON-lines file: {"jwt", "alg", "key": path (PEM private key, or the
raw HMAC secret file), "claims"}. Each token must verify in PyJWT with the
public key (the secret for HS*) and decode to the claims; the signature must
also verify in raw cryptography; Ed25519 and RSA PKCS#1 v1.5 signatures must
be byte-identical to cryptography's own (both deterministic); ES* signatures
must be exactly 2 x field size bytes. Prints "N verified" or the first
mismatch (exit 1).
"""
import base64
import json
import sys

import jwt
from cryptography.hazmat.primitives import hashes, hmac, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, padding, rsa, utils

HASH = {"256": hashes.SHA256, "384": hashes.SHA384, "512": hashes.SHA512}
FIELD = {"ES256": 32, "ES384": 48, "ES512": 66}


def b64d(s):
    return base64.urlsafe_b64decode(s + "=" * (-len(s) % 4))


def check(case):
    token, alg = case["jwt"], case["alg"]
    raw = open(case["key"], "rb").read()
    h, p, s = token.split(".")
    msg = f"{h}.{p}".encode()
    sig = b64d(s)
    if alg.startswith("HS"):
        verify_key = raw
        mac = hmac.HMAC(raw, HASH[alg[2:]]())
        mac.update(msg)
        mac.verify(sig)
    else:
        priv = serialization.load_pem_private_key(raw, password=None)
        pub = priv.public_key()
        verify_key = pub
        if alg == "EdDSA":
            assert isinstance(priv, ed25519.Ed25519PrivateKey)
            if priv.sign(msg) != sig:
                return "Ed25519 signature differs from cryptography's"
        elif alg.startswith("RS"):
            ours = priv.sign(msg, padding.PKCS1v15(), HASH[alg[2:]]())
            if ours != sig:
                return f"{alg} signature differs from cryptography's"
        elif alg.startswith("PS"):
            hn = HASH[alg[2:]]
            pub.verify(sig, msg, padding.PSS(mgf=padding.MGF1(hn()), salt_length=hn.digest_size), hn())
        elif alg.startswith("ES"):
            n = FIELD[alg]
            if len(sig) != 2 * n:
                return f"{alg} signature is {len(sig)} bytes, want {2 * n}"
            r = int.from_bytes(sig[:n], "big")
            s_ = int.from_bytes(sig[n:], "big")
            pub.verify(utils.encode_dss_signature(r, s_), msg, ec.ECDSA(HASH[alg[2:]]()))
    claims = jwt.decode(
        token, verify_key, algorithms=[alg],
        options={"verify_exp": False, "verify_aud": False, "verify_iat": False, "verify_nbf": False},
    )
    if claims != case["claims"]:
        return f"claims differ: {claims!r}"
    return None


def main(path):
    n = 0
    for line in open(path, encoding="utf-8"):
        case = json.loads(line)
        err = check(case)
        if err:
            print(f"case {n} ({case['alg']}): {err}")
            return 1
        n += 1
    print(f"{n} verified")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
