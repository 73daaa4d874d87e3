#!/usr/bin/env python3
"""Checks jwtmint's provider profiles with the providers' own rules, using
independent implementations: PyJWT, pyca/cryptography and google-auth.

Input: JSON lines, each {"kind": "salesforce"|"google"|"entra"|"form"|
"github-app"|"snowflake"|"docusign"|"okta"|"auth0"|"apns"|"app-store-connect"|
"sign-in-with-apple"|"box", ...}.
Prints "N checked" and exits 0, or prints the first failure and exits 1.
"""
import base64
import json
import sys
import uuid
from urllib.parse import parse_qs

import jwt
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization


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


def lifetime(claims, since, cap, what):
    if not 0 < claims["exp"] - since <= cap:
        fail(f"{what} exp {claims['exp']} - {since} outside (0, {cap}]: {claims}")


def check_github_app(c, pub):
    # docs.github.com: RS256; iss = client/app ID; iat 60 s in the past;
    # exp no more than 10 minutes into the future.
    tok = c["jwt"]
    if jwt.get_unverified_header(tok) != {"alg": "RS256", "typ": "JWT"}:
        fail(f"github header {jwt.get_unverified_header(tok)}")
    claims = jwt.decode(tok, pub, algorithms=["RS256"], issuer=c["iss"],
                        options={"require": ["iat", "exp", "iss"]}, leeway=60)
    if set(claims) != {"iss", "iat", "exp"} or claims["iat"] != c["now"] - 60:
        fail(f"github claims {claims}")
    lifetime(claims, c["now"], 600, "github")


def check_snowflake(c, pub):
    # Snowflake: iss = ACCOUNT.USER.SHA256:<b64 sha256 of SPKI DER>, sub = ACCOUNT.USER.
    key = serialization.load_pem_public_key(pub)
    spki = key.public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    h = hashes.Hash(hashes.SHA256())
    h.update(spki)
    fp = "SHA256:" + base64.b64encode(h.finalize()).decode()
    sub = f"{c['account']}.{c['user']}"
    claims = jwt.decode(c["jwt"], pub, algorithms=["RS256"], issuer=f"{sub}.{fp}",
                        options={"require": ["iat", "exp", "iss", "sub"]})
    if claims["sub"] != sub or claims["iat"] != c["now"]:
        fail(f"snowflake claims {claims}")
    lifetime(claims, claims["iat"], 3600, "snowflake")


def check_docusign(c, pub):
    # DocuSign: aud is a host name; scope includes impersonation; exp <= iat + 1 h.
    if "://" in c["aud"]:
        fail(f"docusign aud {c['aud']} is a URL, not a host name")
    claims = jwt.decode(c["jwt"], pub, algorithms=["RS256"], audience=c["aud"], issuer=c["iss"],
                        options={"require": ["iat", "exp", "iss", "sub", "aud"]})
    if claims["sub"] != c["sub"] or "impersonation" not in claims["scope"].split():
        fail(f"docusign claims {claims}")
    lifetime(claims, claims["iat"], 3600, "docusign")


def check_client_assertion(c, pub, algs, aud, cap, what):
    claims = jwt.decode(c["jwt"], pub, algorithms=algs, audience=aud, issuer=c["client_id"],
                        options={"require": ["iat", "exp", "iss", "sub", "aud", "jti"]})
    if claims["sub"] != c["client_id"]:
        fail(f"{what} sub {claims}")
    if uuid.UUID(claims["jti"]).version != 4:
        fail(f"{what} jti {claims['jti']} is not a UUID v4")
    lifetime(claims, claims["iat"], cap, what)
    return claims


def check_okta(c, pub):
    # Okta: aud = token endpoint; iss = sub = client id; exp at most one hour.
    if not c["aud"].endswith("/v1/token"):
        fail(f"okta aud {c['aud']}")
    check_client_assertion(c, pub, ["RS256"], c["aud"], 3600, "okta")


def check_auth0(c, pub):
    # Auth0: aud = tenant URL with trailing slash; 5 minutes at most; 64-char limits.
    if c["alg"] not in ("RS256", "RS384", "PS256"):
        fail(f"auth0 alg {c['alg']}")
    claims = check_client_assertion(c, pub, [c["alg"]], f"https://{c['domain']}/", 300, "auth0")
    if max(len(claims[k]) for k in ("iss", "sub", "jti")) > 64:
        fail(f"auth0 claim over 64 characters {claims}")


def check_apple(c):
    # Apple: ES256 with the .p8 key, kid = 10-character Key ID.
    priv = serialization.load_pem_private_key(open(c["ec_key"], "rb").read(), None)
    pub = priv.public_key()
    tok, kind = c["jwt"], c["kind"]
    header = jwt.get_unverified_header(tok)
    want = {"alg": "ES256", "kid": c["kid"]}
    if kind == "app-store-connect":
        want["typ"] = "JWT"
    if header != want or len(c["kid"]) != 10:
        fail(f"{kind} header {header} != {want}")
    if kind == "apns":
        claims = jwt.decode(tok, pub, algorithms=["ES256"], options={"require": ["iss", "iat"]})
        if claims != {"iss": c["iss"], "iat": c["now"]}:
            fail(f"apns claims {claims}: iss and iat only")
    elif kind == "app-store-connect":
        claims = jwt.decode(tok, pub, algorithms=["ES256"], audience="appstoreconnect-v1", issuer=c["iss"],
                            options={"require": ["iss", "iat", "exp", "aud"]})
        lifetime(claims, claims["iat"], 1200, kind)
    else:
        claims = jwt.decode(tok, pub, algorithms=["ES256"], audience="https://appleid.apple.com",
                            issuer=c["iss"], options={"require": ["iss", "iat", "exp", "aud", "sub"]})
        if claims["sub"] != c["sub"]:
            fail(f"{kind} sub {claims}")
        lifetime(claims, claims["iat"], 15777000, kind)


def check_box(c):
    # Box: config.json key (encrypted PKCS#8), kid = publicKeyID, box_sub_type,
    # aud = token URL, jti 16..128 chars, exp at most 60 s ahead.
    cfg = json.load(open(c["config"]))
    app = cfg["boxAppSettings"]
    priv = serialization.load_pem_private_key(app["appAuth"]["privateKey"].encode(),
                                              app["appAuth"]["passphrase"].encode())
    tok = c["jwt"]
    if jwt.get_unverified_header(tok) != {"alg": "RS256", "typ": "JWT", "kid": app["appAuth"]["publicKeyID"]}:
        fail(f"box header {jwt.get_unverified_header(tok)}")
    claims = jwt.decode(tok, priv.public_key(), algorithms=["RS256"], audience="https://api.box.com/oauth2/token",
                        issuer=app["clientID"], options={"require": ["iss", "sub", "aud", "exp", "jti"]})
    if claims["box_sub_type"] != "enterprise" or claims["sub"] != cfg["enterpriseID"]:
        fail(f"box claims {claims}")
    if not 16 <= len(claims["jti"]) <= 128:
        fail(f"box jti {claims['jti']}")
    lifetime(claims, c["now"], 60, "box")


def main(cases_path, pub_path, cert_path):
    pub = open(pub_path, "rb").read()
    cert_pem = open(cert_path, "rb").read()
    n = 0
    for line in open(cases_path, encoding="utf-8"):
        c = json.loads(line)
        {"salesforce": lambda: check_salesforce(c, pub), "google": lambda: check_google(c, cert_pem),
         "entra": lambda: check_entra(c, pub), "form": lambda: check_form(c),
         "github-app": lambda: check_github_app(c, pub), "snowflake": lambda: check_snowflake(c, pub),
         "docusign": lambda: check_docusign(c, pub), "okta": lambda: check_okta(c, pub),
         "auth0": lambda: check_auth0(c, pub), "apns": lambda: check_apple(c),
         "app-store-connect": lambda: check_apple(c), "sign-in-with-apple": lambda: check_apple(c),
         "box": lambda: check_box(c)}[c["kind"]]()
        n += 1
    print(f"{n} checked")


if __name__ == "__main__":
    main(*sys.argv[1:4])
