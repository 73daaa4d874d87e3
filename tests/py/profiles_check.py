#!/usr/bin/env python3
"""Checks jwtmint's provider profiles with the providers' own rules, using
independent implementations: PyJWT, pyca/cryptography and google-auth.

Input: JSON lines, each {"kind": "salesforce"|"google"|"entra"|"form", ...}.
Prints "N checked" and exits 0, or prints the first failure and exits 1.
"""
import base64
import json
import sys
import uuid
from urllib.parse import parse_qs

import jwt
from cryptography import x509
from cryptography.hazmat.primitives import hashes


def b64url(raw):
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def fail(msg):
    print(msg)
    sys.exit(1)


def check_salesforce(c, pub):
    tok = c["jwt"]
    if jwt.get_unverified_header(tok) != {"alg": "RS256"}:
        fail(f"salesforce header {jwt.get_unverified_header(tok)}")
    claims = jwt.decode(
        tok, pub, algorithms=["RS256"], audience=c["aud"], issuer=c["iss"],
        options={"require": ["exp", "iss", "sub", "aud"]},
    )
    if set(claims) != {"iss", "sub", "aud", "exp"} or claims["sub"] != c["sub"]:
        fail(f"salesforce claims {claims}")
    if not 0 < claims["exp"] - c["now"] <= 180:
        fail(f"salesforce exp {claims['exp']} now {c['now']}: Salesforce allows 3 minutes")


def check_google(c, cert_pem):
    from google.auth import jwt as gjwt
    from google.oauth2 import service_account

    tok = c["jwt"]
    ours = gjwt.decode(tok, certs=cert_pem, audience=c["token_uri"])
    creds = service_account.Credentials.from_service_account_file(
        c["sa_path"], scopes=c["scopes"], subject=c.get("sub")
    )
    theirs_tok = creds._make_authorization_grant_assertion()
    if isinstance(theirs_tok, bytes):
        theirs_tok = theirs_tok.decode()
    theirs = jwt.decode(theirs_tok, options={"verify_signature": False})
    for k in ("iat", "exp"):
        ours_k, theirs_k = ours.pop(k), theirs.pop(k)
    if ours != theirs:
        fail(f"google claims differ: ours {ours} google-auth {theirs}")
    h_ours, h_theirs = jwt.get_unverified_header(tok), jwt.get_unverified_header(theirs_tok)
    if h_ours != h_theirs:
        fail(f"google header differs: ours {h_ours} google-auth {h_theirs}")
    claims = jwt.decode(tok, options={"verify_signature": False})
    if not 0 < claims["exp"] - claims["iat"] <= 3600 or claims["exp"] - claims["iat"] != c["lifetime"]:
        fail(f"google lifetime {claims}")


def check_entra(c, pub):
    tok = c["jwt"]
    cert = x509.load_pem_x509_certificate(open(c["cert_path"], "rb").read())
    header = jwt.get_unverified_header(tok)
    if c["alg"] == "PS256":
        want = {"alg": "PS256", "typ": "JWT", "x5t#S256": b64url(cert.fingerprint(hashes.SHA256()))}
    else:
        want = {"alg": "RS256", "typ": "JWT", "x5t": b64url(cert.fingerprint(hashes.SHA1()))}
    if header != want:
        fail(f"entra header {header} != {want}")
    claims = jwt.decode(
        tok, pub, algorithms=[c["alg"]], audience=c["aud"], issuer=c["client_id"],
        options={"require": ["exp", "nbf", "iat", "jti", "iss", "sub", "aud"]},
    )
    if claims["sub"] != c["client_id"] or not 0 < claims["exp"] - claims["nbf"] <= 600:
        fail(f"entra claims {claims}")
    if c.get("random_jti") and uuid.UUID(claims["jti"]).version != 4:
        fail(f"entra jti {claims['jti']} is not a UUID v4")


def check_form(c):
    want = {}
    for k, v in c["params"]:
        want.setdefault(k, []).append(v)
    got = parse_qs(c["body"], keep_blank_values=True, strict_parsing=True)
    if got != want:
        fail(f"form body {c['body']!r} parses to {got} != {want}")


def main(cases_path, pub_path, cert_path):
    pub = open(pub_path, "rb").read()
    cert_pem = open(cert_path, "rb").read()
    n = 0
    for line in open(cases_path, encoding="utf-8"):
        c = json.loads(line)
        {"salesforce": lambda: check_salesforce(c, pub), "google": lambda: check_google(c, cert_pem),
         "entra": lambda: check_entra(c, pub), "form": lambda: check_form(c)}[c["kind"]]()
        n += 1
    print(f"{n} checked")


if __name__ == "__main__":
    main(*sys.argv[1:4])
