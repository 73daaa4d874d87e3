#!/usr/bin/env python3
"""The non-standard identity provider of issue 17, built from Authlib (Flask),
listening on 127.0.0.1 only, for tests/custom_idp.rs.

It logs a public client in with the resource-owner password grant
(RFC 6749 §4.3), issues JWT access tokens (HS256, with `exp`; 12 hours
nominal, divided by --scale for tests) plus refresh tokens, renews with the
refresh-token grant (RFC 6749 §6, rotating) and with a custom grant that
accepts its own previously issued, unexpired JWT as `assertion`
(grant_type --renew-grant-type, default the RFC 7523 JWT bearer URN). Every
/token request must carry `X-Api-Key: <--api-key>` and `client_id`.

    python3 custom_idp.py --password-file F [--username alice] [--client-id app]
        [--api-key K] [--scale 10800] [--omit-expires-in] [--max-seconds 120]

Prints "PORT <n>" once listening. Serves
  POST /token           the three grants
  GET  /count           {"password": n, "refresh_token": n, "previous_token": n}
  POST /revoke-refresh  every refresh token issued so far is revoked
  POST /refuse-previous previous-token grants answer invalid_grant from now on
  POST /reset           counts and received passwords to zero, previous-token
                        grants accepted again, every refresh token revoked (a
                        test program run again against the same server)
  GET  /api             the supplier's API: 302 to /data with a valid bearer
                        JWT, 401 otherwise (expired tokens are refused)
  GET  /received        every password the password grant received, for the
                        test to check what was sent (never logged)
  POST /shutdown
"""
import itertools
import json
import os
import sys
import threading
import time
import warnings

warnings.filterwarnings("ignore", message=".*authlib.jose module is deprecated.*")

from authlib.integrations.flask_oauth2 import AuthorizationServer
from authlib.jose import JoseError, jwt
from authlib.oauth2.rfc6749.errors import InvalidGrantError, InvalidRequestError, UnauthorizedClientError
from authlib.oauth2.rfc6749.grants import (
    BaseGrant,
    RefreshTokenGrant,
    ResourceOwnerPasswordCredentialsGrant,
    TokenEndpointMixin,
)
from authlib.oauth2.rfc6750 import BearerTokenGenerator
from flask import Flask, jsonify, request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import _server_common  # noqa: E402
from rfc7523_server import Client as Rfc7523Client  # noqa: E402

SECRET = b"custom-idp-hs256-secret-for-tests"
ISSUER = "custom-idp"
NOMINAL_LIFETIME = 12 * 3600


class Client(Rfc7523Client):
    """A public client (no secret: `client_id` in the form) for our grants."""

    def __init__(self, client_id, grants):
        super().__init__(client_id, None)
        self.grants = grants

    def check_endpoint_auth_method(self, method, endpoint):
        return method == "none"

    def check_grant_type(self, grant_type):
        return grant_type in self.grants


class Stored:
    def __init__(self, client, user):
        self.client, self.user, self.revoked = client, user, False

    def check_client(self, client):
        return client is self.client

    def get_scope(self):
        return ""


def main():
    ap = _server_common.arg_parser()
    ap.add_argument("--password-file", required=True)
    ap.add_argument("--username", default="alice")
    ap.add_argument("--client-id", default="app")
    ap.add_argument("--api-key", default="test-api-key")
    ap.add_argument("--renew-grant-type", default="urn:ietf:params:oauth:grant-type:jwt-bearer")
    ap.add_argument("--scale", type=float, default=1.0, help="divide the 12 h lifetime by this")
    ap.add_argument("--omit-expires-in", action="store_true")
    args = ap.parse_args()

    with open(args.password_file, encoding="utf-8") as f:
        password = f.read().rstrip("\r\n")
    lifetime = max(1, int(NOMINAL_LIFETIME / args.scale))
    client = Client(args.client_id, {"password", "refresh_token", args.renew_grant_type})
    count = {"password": 0, "refresh_token": 0, "previous_token": 0}
    received = []
    refresh = {}
    refuse_previous = [False]
    serial = itertools.count(1)
    lock = threading.Lock()

    def access_token(client, grant_type, user, scope):
        now = int(time.time())
        claims = {"iss": ISSUER, "sub": user["id"], "iat": now, "exp": now + lifetime,
                  "jti": str(next(serial))}
        return jwt.encode({"alg": "HS256", "typ": "JWT"}, claims, SECRET).decode()

    def refresh_token(client, grant_type, user, scope):
        return "rt-%d" % next(serial)

    def save_token(token, req):
        rt = token.get("refresh_token")
        if rt:
            with lock:
                refresh[rt] = Stored(req.client, req.user)

    def valid_jwt(token):
        """The claims of one of our unexpired JWTs, else None."""
        try:
            claims = jwt.decode(token, SECRET)
            claims.validate(now=int(time.time()), leeway=0)
        except (JoseError, ValueError):
            return None
        return claims if claims.get("iss") == ISSUER else None

    class Password(ResourceOwnerPasswordCredentialsGrant):
        TOKEN_ENDPOINT_AUTH_METHODS = ["none"]

        def authenticate_user(self, username, pw):
            with lock:
                received.append(pw)
            if username == args.username and pw == password:
                return {"id": username}
            raise InvalidGrantError("invalid username or password")

    class Refresh(RefreshTokenGrant):
        TOKEN_ENDPOINT_AUTH_METHODS = ["none"]
        INCLUDE_NEW_REFRESH_TOKEN = True

        def authenticate_refresh_token(self, rt):
            stored = refresh.get(rt)
            return stored if stored and not stored.revoked else None

        def authenticate_user(self, stored):
            return stored.user

        def revoke_old_credential(self, stored):
            stored.revoked = True

    class PreviousToken(BaseGrant, TokenEndpointMixin):
        """The IdP's renewal: its own previously issued JWT as `assertion`."""

        GRANT_TYPE = args.renew_grant_type
        TOKEN_ENDPOINT_AUTH_METHODS = ["none"]

        def validate_token_request(self):
            c = self.authenticate_token_endpoint_client()
            if not c.check_grant_type(self.GRANT_TYPE):
                raise UnauthorizedClientError()
            assertion = self.request.form.get("assertion")
            if not assertion:
                raise InvalidRequestError("Missing 'assertion'")
            if refuse_previous[0]:
                raise InvalidGrantError("previous-token renewal is refused")
            claims = valid_jwt(assertion)
            if claims is None:
                raise InvalidGrantError("not a valid token of this issuer")
            self.request.client = c
            self.request.user = {"id": claims["sub"]}

        def create_token_response(self):
            token = self.generate_token(user=self.request.user, scope="", include_refresh_token=True)
            self.save_token(token)
            return 200, token, self.TOKEN_RESPONSE_HEADER

    app = Flask("custom-idp")
    server = AuthorizationServer(app, query_client=lambda cid: client if cid == client.client_id else None,
                                 save_token=save_token)
    server.register_token_generator(
        "default", BearerTokenGenerator(access_token, refresh_token, lambda c, g: lifetime))
    server.register_grant(Password)
    server.register_grant(Refresh)
    server.register_grant(PreviousToken)

    @app.post("/token")
    def token():
        if request.headers.get("X-Api-Key") != args.api_key:
            return jsonify(error="invalid_client", error_description="missing or wrong API key"), 401
        grant = request.form.get("grant_type", "")
        key = {"password": "password", "refresh_token": "refresh_token"}.get(grant, "previous_token")
        with lock:
            count[key] += 1
        resp = server.create_token_response()
        if args.omit_expires_in and resp.status_code == 200:
            body = json.loads(resp.get_data())
            body.pop("expires_in", None)
            resp.set_data(json.dumps(body))
        return resp

    @app.get("/count")
    def get_count():
        with lock:
            return jsonify(count)

    @app.get("/received")
    def get_received():
        with lock:
            return jsonify(received)

    @app.post("/revoke-refresh")
    def revoke_refresh():
        with lock:
            for s in refresh.values():
                s.revoked = True
        return "revoked"

    @app.post("/refuse-previous")
    def refuse():
        refuse_previous[0] = True
        return "refused"

    @app.post("/reset")
    def reset():
        with lock:
            for k in count:
                count[k] = 0
            received.clear()
            refuse_previous[0] = False
            for s in refresh.values():
                s.revoked = True
        return "reset"

    @app.get("/api")
    def api():
        auth = request.headers.get("Authorization", "")
        if auth.startswith("Bearer ") and valid_jwt(auth[len("Bearer "):]) is not None:
            return "", 302, {"Location": "/data"}
        return jsonify(error="invalid_token"), 401

    return _server_common.serve(app, args.max_seconds)


if __name__ == "__main__":
    sys.exit(main())
