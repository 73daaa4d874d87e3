"""Private JWK vectors from python `cryptography`: each key is written as a
JWK by hand from `private_numbers()` (RFC 7518 §6, RFC 8037) next to the
PKCS#8 DER `cryptography` serialises for it (`private_bytes(DER, PKCS8,
NoEncryption)`). jwtmint must normalise every JWK to exactly that DER.

Usage: python3 jwk_private.py > vectors.json   (tests/key_formats.rs runs it
live through the peer rule; tests/data/keys/jwk-vectors.json is one run.)
"""
import base64
import json
import sys

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa


def b64(b):
    return base64.urlsafe_b64encode(b).rstrip(b"=").decode()


def uint(n, size=None):
    size = size or max(1, (n.bit_length() + 7) // 8)
    return b64(n.to_bytes(size, "big"))


def der(key):
    return base64.b64encode(
        key.private_bytes(
            serialization.Encoding.DER,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    ).decode()


def rsa_vector(bits):
    k = rsa.generate_private_key(public_exponent=65537, key_size=bits)
    n = k.private_numbers()
    pub = n.public_numbers
    jwk = {"kty": "RSA", "kid": f"rsa-{bits}", "n": uint(pub.n), "e": uint(pub.e),
           "d": uint(n.d), "p": uint(n.p), "q": uint(n.q), "dp": uint(n.dmp1),
           "dq": uint(n.dmq1), "qi": uint(n.iqmp)}
    return {"name": f"rsa{bits}", "jwk": jwk, "pkcs8": der(k)}


def ec_vector(curve, crv, size):
    k = ec.generate_private_key(curve)
    n = k.private_numbers()
    jwk = {"kty": "EC", "crv": crv, "kid": crv.lower(), "use": "sig",
           "x": uint(n.public_numbers.x, size), "y": uint(n.public_numbers.y, size),
           "d": uint(n.private_value, size)}
    return {"name": crv, "jwk": jwk, "pkcs8": der(k)}


def ed25519_vector():
    k = ed25519.Ed25519PrivateKey.generate()
    raw = k.private_bytes(serialization.Encoding.Raw, serialization.PrivateFormat.Raw,
                          serialization.NoEncryption())
    x = k.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    jwk = {"kty": "OKP", "crv": "Ed25519", "d": b64(raw), "x": b64(x)}
    return {"name": "Ed25519", "jwk": jwk, "pkcs8": der(k)}


vectors = [rsa_vector(2048), rsa_vector(3072), ec_vector(ec.SECP256R1(), "P-256", 32),
           ec_vector(ec.SECP384R1(), "P-384", 48), ec_vector(ec.SECP521R1(), "P-521", 66),
           ed25519_vector()]
json.dump(vectors, sys.stdout, indent=1)
sys.stdout.write("\n")
