//! The Authlib RFC 7523 server (`tests/py/rfc7523_server.py`) on 127.0.0.1,
//! started for one test and killed on drop. Used by the CLI's exchange tests
//! and the token-source tests.

use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Child, Stdio};
use std::time::Duration;

use super::repo_root;

/// The running server.
pub struct Rfc7523Server {
    child: Child,
    /// Its port.
    pub port: u16,
}

impl Rfc7523Server {
    /// Starts it for the demo key and client `demo-client`, accepting
    /// `aud` = its own `/token` URL, tokens valid `lifetime` seconds.
    /// `None` (after the peer helper's loud line) without Python + Authlib.
    pub fn start(test: &str, lifetime: u32) -> Option<Self> {
        let mut python = super::peers::python(
            &format!("{test} (Authlib RFC 7523 server)"),
            &["authlib", "flask", "werkzeug", "cryptography"],
        )?;
        let mut child = python
            .arg(repo_root().join("tests/py/rfc7523_server.py"))
            .args([
                "--pubkey",
                "examples/keys/demo-key.pub.pem",
                "--client-id",
                "demo-client",
                "--audience",
                "http://127.0.0.1:{port}/token",
                "--max-seconds",
                "120",
                "--lifetime",
                &lifetime.to_string(),
            ])
            .current_dir(repo_root())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut out = BufReader::new(child.stdout.take().unwrap());
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let mut line = String::new();
            let _ = out.read_line(&mut line);
            let _ = tx.send(line);
        });
        let line = rx.recv_timeout(Duration::from_secs(20)).unwrap_or_default();
        let Some(port) = line
            .strip_prefix("PORT ")
            .and_then(|p| p.trim().parse().ok())
        else {
            let _ = child.kill();
            let mut err = String::new();
            let _ = child.stderr.take().unwrap().read_to_string(&mut err);
            panic!("the RFC 7523 server did not start (pip install authlib flask?): {line}\n{err}");
        };
        Some(Self { child, port })
    }

    /// Its token endpoint (also the accepted `aud`).
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}/token", self.port)
    }

    /// Token requests served so far.
    pub fn count(&self) -> u64 {
        let mut s = std::net::TcpStream::connect(("127.0.0.1", self.port)).unwrap();
        s.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
        write!(s, "GET /count HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n").unwrap();
        let mut resp = String::new();
        s.read_to_string(&mut resp).unwrap();
        let body = resp.split("\r\n\r\n").nth(1).unwrap();
        let v: serde_json::Value = serde_json::from_str(body).unwrap();
        v["token"].as_u64().unwrap()
    }
}

impl Drop for Rfc7523Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
