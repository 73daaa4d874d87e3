#!/usr/bin/env python3
"""A local IdP for the session tests (tests/session_refresh.rs), built from
Authlib (Flask), listening on 127.0.0.1 only: the "non-standard IdP" of
issue 13 that answers an RFC 7523 JWT bearer grant with a JWT access token
(HS256, with `exp`) and a refresh token, and renews with the RFC 6749 §6
refresh_token grant (rotating the refresh token).

    python3 session_refresh_server.py --pubkey demo-key.pub.pem --client-id CLIENT \
        --audience https://idp.test/token [--lifetime 60] [--omit-expires-in] \
        [--family-revoke] [--delay SECONDS]

Prints "PORT <n>" once listening. Serves POST /token, GET /count
({"jwt-bearer": n, "refresh_token": m, "issued": i, "reuse": r}), POST
/revoke (revokes every refresh token: the next refresh gets invalid_grant),
POST /shutdown; exits by itself after --max-seconds. Refresh requests are
authenticated by the refresh token alone (a public client), as such IdPs do.

Refresh tokens are single-use (rotated on every refresh). With
--family-revoke, presenting a refresh token that was already rotated is a
*reuse detection* (counted in "reuse"), and revokes the whole family — every
refresh token descended from the same initial grant — as Okta and Auth0
rotation do. --delay answers every token request that many seconds late.
"""
import itertools
import json
import sys
import threading
import time

from authlib.integrations.flask_oauth2 import AuthorizationServer
from authlib.jose import jwt
from authlib.oauth2.rfc6749.errors import InvalidGrantError
from authlib.oauth2.rfc6749.grants import RefreshTokenGrant
from authlib.oauth2.rfc6750 import BearerTokenGenerator
from authlib.oauth2.rfc7523 import JWTBearerGrant
from flask import Flask, jsonify, request

import _server_common
from rfc7523_server import Client as Rfc7523Client
from rfc7523_server import bearer_grant

SECRET = b"session-refresh-server-hs256-secret"


class Client(Rfc7523Client):
    """rfc7523_server's client, also allowed the refresh-token grant."""

    def check_grant_type(self, grant_type):
        return grant_type in (JWTBearerGrant.GRANT_TYPE, "refresh_token")


class Stored:
    def __init__(self, client, user, scope):
        self.client, self.user, self.scope, self.revoked = client, user, scope, False
        self.rotated, self.family = False, None

    def check_client(self, client):
        return client is self.client

    def get_scope(self):
        return self.scope


def main():
    ap = _server_common.arg_parser()
    ap.add_argument("--pubkey", required=True)
    ap.add_argument("--client-id", required=True)
    ap.add_argument("--audience", required=True, help="accepted aud; {port} is replaced")
    ap.add_argument("--lifetime", type=int, default=60)
    ap.add_argument("--omit-expires-in", action="store_true")
    ap.add_argument("--family-revoke", action="store_true")
    ap.add_argument("--delay", type=float, default=0.0)
    args = ap.parse_args()

    client = Client(args.client_id, open(args.pubkey, "rb").read())
    count = {"jwt-bearer": 0, "refresh_token": 0, "issued": 0, "reuse": 0}
    refresh = {}
    serial = itertools.count(1)
    lock = threading.Lock()

    def access_token(client, grant_type, user, scope):
        now = int(time.time())
        claims = {"iss": "session-refresh-server", "sub": user["id"], "iat": now,
                  "exp": now + args.lifetime, "jti": str(next(serial))}
        return jwt.encode({"alg": "HS256", "typ": "JWT"}, claims, SECRET).decode()

    def refresh_token(client, grant_type, user, scope):
        return "rt-%d" % next(serial)

    def save_token(token, req):
        rt = token.get("refresh_token")
        with lock:
            count["issued"] += 1
            if rt:
                # A refresh inherits its family; an initial grant starts one.
                old = refresh.get(request.form.get("refresh_token") or "")
                stored = Stored(req.client, req.user, token.get("scope"))
                stored.family = old.family if old is not None else rt
                refresh[rt] = stored

    audiences = []  # filled in once the port is known ({port})

    class Bearer(bearer_grant(client, audiences)):
        def create_token_response(self):
            token = self.generate_token(scope=self.request.payload.scope, user=self.request.user,
                                        include_refresh_token=True)
            self.save_token(token)
            return 200, token, self.TOKEN_RESPONSE_HEADER

    class Refresh(RefreshTokenGrant):
        INCLUDE_NEW_REFRESH_TOKEN = True

        def authenticate_token_endpoint_client(self):
            stored = refresh.get(self.request.form.get("refresh_token") or "")
            if stored is None:
                raise InvalidGrantError()
            return stored.client

        def authenticate_refresh_token(self, rt):
            with lock:
                stored = refresh.get(rt)
                if stored is not None and stored.rotated and args.family_revoke:
                    # Reuse of a rotated token: revoke the whole family.
                    count["reuse"] += 1
                    for s in refresh.values():
                        if s.family == stored.family:
                            s.revoked = True
                    return None
                if stored is None or stored.revoked:
                    return None
                # Single use: claimed here, under the lock, so that two
                # concurrent requests with one token cannot both succeed.
                stored.rotated = True
                stored.revoked = True
                return stored

        def authenticate_user(self, stored):
            return stored.user

        def revoke_old_credential(self, stored):
            stored.revoked = stored.rotated = True

    app = Flask("session-refresh")
    server = AuthorizationServer(app, query_client=lambda cid: client if cid == client.client_id else None,
                                 save_token=save_token)
    server.register_token_generator(
        "default",
        BearerTokenGenerator(access_token, refresh_token, lambda c, g: args.lifetime))
    server.register_grant(Bearer)
    server.register_grant(Refresh)

    @app.post("/token")
    def token():
        if args.delay > 0:
            time.sleep(args.delay)
        grant = request.form.get("grant_type", "")
        with lock:
            if grant == "refresh_token":
                count["refresh_token"] += 1
            else:
                count["jwt-bearer"] += 1
        resp = server.create_token_response()
        if args.omit_expires_in and resp.status_code == 200:
            body = json.loads(resp.get_data())
            body.pop("expires_in", None)
            resp.set_data(json.dumps(body))
        return resp

    @app.get("/count")
    def get_count():
        return jsonify(count)

    @app.post("/revoke")
    def revoke():
        with lock:
            for s in refresh.values():
                s.revoked = True
        return "revoked"

    # `--audience http://127.0.0.1:{port}/token`: its own URL, once known.
    return _server_common.serve(
        app,
        args.max_seconds,
        on_port=lambda port: audiences.append(args.audience.replace("{port}", str(port))),
    )


if __name__ == "__main__":
    sys.exit(main())
