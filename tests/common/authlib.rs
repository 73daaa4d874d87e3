//! The Authlib RFC 7523 server (`tests/py/rfc7523_server.py`) on 127.0.0.1,
//! started for one test and killed on drop. Used by the CLI's exchange tests
//! and the token-source tests.

use std::ffi::OsStr;

use super::py_server::PyServer;

/// The running server.
pub struct Rfc7523Server {
    server: PyServer,
    /// Its port.
    pub port: u16,
}

impl Rfc7523Server {
    /// Starts it for the demo key and client `demo-client`, accepting
    /// `aud` = its own `/token` URL, tokens valid `lifetime` seconds.
    /// `None` (after the peer helper's loud line) without Python + Authlib.
    pub fn start(test: &str, lifetime: u32) -> Option<Self> {
        let python = super::peers::python(
            &format!("{test} (Authlib RFC 7523 server)"),
            &["authlib", "flask", "werkzeug", "cryptography"],
        )?;
        let lifetime = lifetime.to_string();
        let args = [
            "--pubkey",
            "examples/keys/demo-key.pub.pem",
            "--client-id",
            "demo-client",
            "--audience",
            "http://127.0.0.1:{port}/token",
            "--max-seconds",
            "120",
            "--lifetime",
            &lifetime,
        ]
        .map(OsStr::new);
        let server = PyServer::start(python, "rfc7523_server.py", &args);
        let port = server.port;
        Some(Self { server, port })
    }

    /// Its token endpoint (also the accepted `aud`).
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}/token", self.port)
    }

    /// Token requests served so far.
    pub fn count(&self) -> u64 {
        let (_, body) = self.server.request("GET", "/count", &[], b"");
        let v: serde_json::Value = serde_json::from_slice(&body).unwrap();
        v["token"].as_u64().unwrap()
    }
}
