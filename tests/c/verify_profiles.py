"""Verifies the assertions tests/c/test_profiles.c minted through the C ABI,
with PyJWT + cryptography and each provider's own rules (alg and header,
aud, iss, sub, jti, lifetime limit); Google's also with google-auth
(`google.auth.jwt.decode`, and the claims google-auth's own service-account
credentials build from the same key file).

usage: verify_profiles.py TOKENS_FILE PUBLIC_KEY_PEM CERT_PEM SA_JSON X5T X5T_S256 EXPECTED_LINES
Lines: `<kind> <now> <token or form body>`.
"""

import json
import re
import sys
from urllib.parse import parse_qs

import jwt

CONSUMER_KEY = "3MVG9A2kN3Bn17hs8MIaQx1voVGy662rXlC37svtmLmt6wO_iik8Hnk3DlcYjKRvzVNGWLFlGRH1ryHwS217h"
SF_USER = "integration.user@example.com"
TENANT = "contoso.onmicrosoft.com"
CLIENT_ID = "97e0a5b7-d745-40b6-94fe-5f77d35c6e05"
UUID4 = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")


def main() -> int:
    path, pub_path, cert_path, sa_path, x5t, x5t_s256, expected = sys.argv[1:8]
    pub = open(pub_path, encoding="ascii").read()
    cert = open(cert_path, encoding="ascii").read()
    sa = json.load(open(sa_path, encoding="utf-8"))
    lines = [line.split(" ", 2) for line in open(path, encoding="ascii") if line.strip()]
    kinds = {}
    jtis = set()

    def decode(tok, alg, aud, require):
        header = jwt.get_unverified_header(tok)
        assert header["alg"] == alg, header
        claims = jwt.decode(tok, pub, algorithms=[alg], audience=aud, options={"require": require})
        return header, claims

    for kind, now, tok in lines:
        now = int(now)
        tok = tok.strip()
        kinds[kind] = kinds.get(kind, 0) + 1
        if kind == "generic-ps256":
            h, c = decode(tok, "PS256", "https://auth.example.com/token", ["exp", "iat", "jti"])
            assert h.get("x5t#S256") == x5t_s256, h
            assert c["iss"] == c["sub"] == "generic-client" and c["exp"] - c["iat"] == 300, c
        elif kind.startswith("salesforce-"):
            aud, lifetime = {
                "salesforce-production": ("https://login.salesforce.com", 180),
                "salesforce-sandbox": ("https://test.salesforce.com", 60),
                "salesforce-custom": ("https://acme.my.salesforce.com", 180),
            }[kind]
            h, c = decode(tok, "RS256", aud, ["exp", "iss", "sub", "aud"])
            assert h == {"alg": "RS256"}, h  # Salesforce documents exactly this header
            assert c["iss"] == CONSUMER_KEY and c["sub"] == SF_USER, c
            assert c["exp"] - now == lifetime <= 180, c  # "exp within 3 minutes"
            assert set(c) == {"iss", "sub", "aud", "exp"}, c
        elif kind.startswith("google"):
            verify_google(tok, now, kind == "google-sub", pub, cert, sa, sa_path)
        elif kind in ("entra-ps256", "entra-rs256-us"):
            us = kind == "entra-rs256-us"
            authority = "https://login.microsoftonline.us" if us else "https://login.microsoftonline.com"
            aud = f"{authority}/{TENANT}/oauth2/v2.0/token"
            alg = "RS256" if us else "PS256"
            h, c = decode(tok, alg, aud, ["exp", "nbf", "iat", "jti", "iss", "sub"])
            if us:
                assert h.get("x5t") == x5t and "x5t#S256" not in h, h
            else:
                assert h.get("x5t#S256") == x5t_s256 and "x5t" not in h, h
                assert UUID4.match(c["jti"]), c
            assert c["iss"] == c["sub"] == CLIENT_ID, c
            assert c["nbf"] == c["iat"] == now, c
            lifetime = c["exp"] - c["nbf"]
            assert lifetime == (600 if us else 300) and lifetime <= 600, c
            assert c["jti"] not in jtis, c
            jtis.add(c["jti"])
        elif kind == "entra-form-special":
            form = parse_qs(tok, keep_blank_values=True, strict_parsing=True)
            assert form["scope"] == ["api://x/.default a+b=c&d%e \u00e9"], form
            assert form["client_id"] == [CLIENT_ID], form
        elif kind == "entra-form":
            form = parse_qs(tok, keep_blank_values=True, strict_parsing=True)
            assert form["client_assertion_type"] == [
                "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
            ], form
            assert form["client_id"] == [CLIENT_ID], form
            assert form["scope"] == ["https://graph.microsoft.com/.default"], form
            assert form["grant_type"] == ["client_credentials"], form
            aud = f"https://login.microsoftonline.com/{TENANT}/oauth2/v2.0/token"
            decode(form["client_assertion"][0], "PS256", aud, ["exp", "nbf", "jti"])
        else:
            raise AssertionError(f"unknown kind {kind}")
    if len(lines) != int(expected):
        print(f"expected {expected} lines, got {len(lines)}")
        return 1
    summary = ", ".join(f"{k} x{n}" for k, n in sorted(kinds.items()))
    print(f"PyJWT verified {len(lines)} profile assertions from C ({summary})")
    return 0


def verify_google(tok, now, with_sub, pub, cert, sa, sa_path):
    h = jwt.get_unverified_header(tok)
    assert h == {"alg": "RS256", "typ": "JWT", "kid": sa["private_key_id"]}, h
    c = jwt.decode(
        tok, pub, algorithms=["RS256"], audience=sa["token_uri"],
        options={"require": ["exp", "iat", "iss", "aud", "scope"]},
    )
    assert c["iss"] == sa["client_email"], c
    assert c["iat"] == now, c
    lifetime = c["exp"] - c["iat"]
    assert lifetime == (600 if with_sub else 3600) and lifetime <= 3600, c
    scopes = ["https://www.googleapis.com/auth/devstorage.read_only", "https://www.googleapis.com/auth/cloud-platform"]
    assert c["scope"] == " ".join(scopes), c
    if with_sub:
        assert c["sub"] == "admin@example.com", c
    try:
        import google.auth.jwt as gjwt
        from google.oauth2 import service_account
    except ImportError:
        print("note: google-auth not installed, google.auth.jwt.decode skipped")
        return
    # google-auth verifies signature, iat/exp (with its clock skew) and aud.
    g = gjwt.decode(tok, certs=cert, audience=sa["token_uri"])
    assert g == c, (g, c)
    # The claims google-auth's own credentials build from the same key file.
    creds = service_account.Credentials.from_service_account_file(sa_path, scopes=scopes)
    if with_sub:
        creds = creds.with_subject("admin@example.com")
    theirs = jwt.decode(creds._make_authorization_grant_assertion(), options={"verify_signature": False})
    assert set(theirs) == set(c), (theirs, c)
    for k in ("iss", "aud", "scope", "sub"):
        assert theirs.get(k) == c.get(k), (k, theirs, c)
    assert theirs["exp"] - theirs["iat"] == 3600, theirs


if __name__ == "__main__":
    sys.exit(main())
