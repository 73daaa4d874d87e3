"""Startup shared by the local test servers (rfc7523_server.py,
session_refresh_server.py, custom_idp.py): the `--max-seconds` argument and
serving a Flask app on 127.0.0.1 with `POST /shutdown`, a self-shutdown
timer and the `PORT <n>` line the Rust tests read (tests/common/py_server.rs).
"""
import argparse
import threading

from werkzeug.serving import make_server


def arg_parser():
    """An ArgumentParser with `--max-seconds` (default 120): the server exits
    by itself after that long."""
    ap = argparse.ArgumentParser()
    ap.add_argument("--max-seconds", type=float, default=120)
    return ap


def serve(app, max_seconds, on_port=None):
    """Listens on 127.0.0.1 (port chosen by the OS), adds `POST /shutdown`,
    calls `on_port(port)` when given, prints "PORT <n>" once listening and
    serves until shut down or `max_seconds` have passed. Returns 0."""
    httpd = make_server("127.0.0.1", 0, app, threaded=True)

    @app.post("/shutdown")
    def shutdown():
        threading.Thread(target=httpd.shutdown, daemon=True).start()
        return "bye"

    if on_port is not None:
        on_port(httpd.server_port)
    timer = threading.Timer(max_seconds, httpd.shutdown)
    timer.daemon = True
    timer.start()
    print(f"PORT {httpd.server_port}", flush=True)
    httpd.serve_forever()
    return 0
