//! Shared by tests/redis_store.rs and tests/fleet.rs: a real `redis-server`
//! on a free port in a temp dir (no persistence), and the Authlib RFC 7523
//! server with a short token lifetime, a request counter and a stall switch.
//! Both are killed on drop. Missing peers follow tests/common/peers.rs.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use crate::common;

/// A port nobody listens on right now.
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// A scratch directory, removed by the owner's drop.
pub fn scratch(tag: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("jwtmint-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// `redis-server --port <free> --save '' --appendonly no` in a temp dir.
pub struct RedisServer {
    child: Child,
    pub port: u16,
    dir: PathBuf,
}

impl RedisServer {
    /// `None` (after the loud SKIPPED line) without `redis-server`.
    pub fn start(test: &str) -> Option<Self> {
        let mut cmd = common::peers::redis_server(&format!("{test} (redis-server)"))?;
        let dir = scratch(&format!("redis-{test}"));
        let port = free_port();
        let child = cmd
            .args(["--port", &port.to_string(), "--bind", "127.0.0.1"])
            .args(["--save", "", "--appendonly", "no"])
            .arg("--dir")
            .arg(&dir)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let server = Self { child, port, dir };
        let t = Instant::now();
        while server.command("PING") != "+PONG" {
            assert!(
                t.elapsed() < Duration::from_secs(10),
                "redis-server did not start"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
        Some(server)
    }

    /// `redis://127.0.0.1:<port>`.
    pub fn url(&self) -> String {
        format!("redis://127.0.0.1:{}", self.port)
    }

    /// One inline command, its first reply line ("" when not reachable).
    pub fn command(&self, line: &str) -> String {
        let Ok(mut s) = TcpStream::connect(("127.0.0.1", self.port)) else {
            return String::new();
        };
        s.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
        if write!(s, "{line}\r\n").is_err() {
            return String::new();
        }
        let mut reply = String::new();
        let _ = BufReader::new(s).read_line(&mut reply);
        reply.trim_end().to_owned()
    }
}

impl Drop for RedisServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// tests/py/rfc7523_server.py with `--expires-in`, client `demo-client`
/// (examples/keys/demo-key.pem), audience = its own token URL.
pub struct AuthServer {
    child: Child,
    pub port: u16,
}

impl AuthServer {
    /// `None` (after the loud SKIPPED line) without Python + Authlib.
    pub fn start(test: &str, expires_in: u32) -> Option<Self> {
        let mut python = common::peers::python(
            &format!("{test} (Authlib RFC 7523 server)"),
            &["authlib", "flask", "werkzeug", "cryptography"],
        )?;
        let root = common::repo_root();
        let mut child = python
            .arg(root.join("tests/py/rfc7523_server.py"))
            .args(["--pubkey", "examples/keys/demo-key.pub.pem"])
            .args(["--client-id", "demo-client"])
            .args(["--audience", "http://127.0.0.1:{port}/token"])
            .args([
                "--max-seconds",
                "300",
                "--expires-in",
                &expires_in.to_string(),
            ])
            .current_dir(&root)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut out = BufReader::new(child.stdout.take().unwrap());
        let mut line = String::new();
        let _ = out.read_line(&mut line);
        let Some(port) = line
            .strip_prefix("PORT ")
            .and_then(|p| p.trim().parse().ok())
        else {
            let _ = child.kill();
            panic!("the Authlib RFC 7523 server did not start: {line:?}");
        };
        Some(Self { child, port })
    }

    /// The token endpoint (also the accepted audience).
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}/token", self.port)
    }

    fn http(&self, request_line: &str) -> String {
        let mut s = TcpStream::connect(("127.0.0.1", self.port)).unwrap();
        s.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
        write!(
            s,
            "{request_line} HTTP/1.0\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\n\r\n"
        )
        .unwrap();
        let mut resp = String::new();
        s.read_to_string(&mut resp).unwrap();
        resp.split_once("\r\n\r\n").unwrap().1.to_owned()
    }

    /// Token requests received so far.
    pub fn count(&self) -> u64 {
        let body = self.http("GET /count");
        let v: serde_json::Value = serde_json::from_str(&body).unwrap();
        v["token"].as_u64().unwrap()
    }

    /// The next token request sleeps `seconds` before it is answered.
    pub fn stall_next(&self, seconds: u32) {
        assert_eq!(self.http(&format!("POST /stall?seconds={seconds}")), "ok");
    }
}

impl Drop for AuthServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
