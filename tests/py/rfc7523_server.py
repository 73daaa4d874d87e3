#!/usr/bin/env python3
"""A real RFC 7523 authorization server for the CLI integration tests, built
from Authlib's JWTBearerGrant (Flask), listening on 127.0.0.1 only.

    python3 rfc7523_server.py --pubkey demo-key.pub.pem --client-id CLIENT \
        --audience http://127.0.0.1:PORT/token [--max-seconds 120] [--lifetime 3600]

Prints "PORT <n>" on stdout once listening (port chosen by the OS), serves
POST /token (the JWT bearer grant), GET /count (number of token requests),
POST /shutdown, and exits by itself after --max-seconds. --lifetime sets the
token lifetime; POST /stall?seconds=S makes the next token request sleep S
seconds before it is answered (a fetcher killed mid-fetch).
"""
import sys
import threading
import time

from authlib.integrations.flask_oauth2 import AuthorizationServer
from authlib.oauth2.rfc6749 import ClientMixin
from authlib.oauth2.rfc7523 import JWTBearerGrant
from flask import Flask, jsonify, request

import _server_common


class Client(ClientMixin):
    def __init__(self, client_id, public_key):
        self.client_id = client_id
        self.public_key = public_key

    def get_client_id(self):
        return self.client_id

    def get_default_redirect_uri(self):
        return None

    def get_allowed_scope(self, scope):
        return scope or ""

    def check_redirect_uri(self, redirect_uri):
        return False

    def check_client_secret(self, client_secret):
        return False

    def check_endpoint_auth_method(self, method, endpoint):
        return True

    def check_response_type(self, response_type):
        return False

    def check_grant_type(self, grant_type):
        return grant_type == JWTBearerGrant.GRANT_TYPE


def bearer_grant(client, audiences):
    """Authlib's JWT bearer grant for the one `client`, accepting the `aud`
    values in `audiences` (a list, read at each request) and `sub` as the
    user id."""

    class Grant(JWTBearerGrant):
        def get_audiences(self):
            return audiences

        def resolve_issuer_client(self, issuer):
            return client if issuer == client.client_id else None

        def resolve_client_public_key(self, c):
            return c.public_key

        def authenticate_user(self, subject):
            return {"id": subject}

        def has_granted_permission(self, c, user):
            return True

    return Grant


def main():
    ap = _server_common.arg_parser()
    ap.add_argument("--pubkey", required=True)
    ap.add_argument("--client-id", required=True)
    ap.add_argument("--audience", required=True, help="accepted aud; {port} is replaced")
    ap.add_argument("--lifetime", type=int, default=3600, help="expires_in of issued tokens")
    args = ap.parse_args()

    client = Client(args.client_id, open(args.pubkey, "rb").read())
    count = {"token": 0}
    stall = {"seconds": 0.0}
    stall_lock = threading.Lock()
    audiences = []

    Grant = bearer_grant(client, audiences)

    app = Flask("rfc7523")
    app.config["OAUTH2_TOKEN_EXPIRES_IN"] = {JWTBearerGrant.GRANT_TYPE: args.lifetime}
    server = AuthorizationServer(
        app, query_client=lambda cid: client if cid == client.client_id else None, save_token=lambda t, r: None
    )
    server.register_grant(Grant)

    @app.post("/token")
    def token():
        with stall_lock:
            count["token"] += 1
            seconds, stall["seconds"] = stall["seconds"], 0.0
        if seconds:
            time.sleep(seconds)
        return server.create_token_response()

    @app.post("/stall")
    def set_stall():
        with stall_lock:
            stall["seconds"] = float(request.args.get("seconds", "0"))
        return "ok"

    @app.get("/count")
    def get_count():
        return jsonify(count)

    return _server_common.serve(
        app,
        args.max_seconds,
        on_port=lambda port: audiences.append(args.audience.replace("{port}", str(port))),
    )


if __name__ == "__main__":
    sys.exit(main())
