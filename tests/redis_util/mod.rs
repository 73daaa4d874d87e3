//! Shared by tests/redis_store.rs and tests/fleet*.rs: a real `redis-server`
//! on a free port in a temp dir (no persistence), killed on drop; the stall
//! switch of the Authlib server (tests/common/authlib.rs starts it); the
//! one-exchange-per-window check.
//! Missing peers follow tests/common/peers.rs.
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

/// Makes the next token request of the Authlib server on `port`
/// (`common::authlib::Rfc7523Server`) sleep `seconds` before it is answered.
pub fn stall_next(port: u16, seconds: u32) {
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    write!(
        s,
        "POST /stall?seconds={seconds} HTTP/1.0\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\n\r\n"
    )
    .unwrap();
    let mut resp = String::new();
    s.read_to_string(&mut resp).unwrap();
    assert!(resp.ends_with("\r\n\r\nok"), "{resp}");
}

/// One exchange per lifetime window: every exchange's token was used
/// (`exchanges` == distinct tokens, given by their expiries), consecutive
/// tokens were issued a full `window` apart (two fetchers in one window
/// would be ~0 s apart; the clock has 1 s resolution), and `exchanges` is
/// within one of the windows in `elapsed` seconds. Returns the windows.
pub fn assert_one_exchange_per_window(
    expiries: &[i64],
    exchanges: u64,
    lifetime: i64,
    window: i64,
    elapsed: i64,
) -> u64 {
    assert_eq!(exchanges, expiries.len() as u64, "every exchange was used");
    let mut issued: Vec<i64> = expiries.iter().map(|e| e - lifetime).collect();
    issued.sort_unstable();
    for w in issued.windows(2) {
        assert!(
            w[1] - w[0] >= window - 1,
            "two exchanges in one window: {issued:?}"
        );
    }
    // The first exchange opens window 1, each refresh the next one.
    let windows = (elapsed / window) as u64 + 1;
    assert!(
        (windows - 1..=windows + 1).contains(&exchanges),
        "exchanges {exchanges}, windows {windows}"
    );
    windows
}

/// `INFO <section>`: the whole bulk reply ("" when not reachable).
pub fn info(server: &RedisServer, section: &str) -> String {
    let Ok(mut s) = TcpStream::connect(("127.0.0.1", server.port)) else {
        return String::new();
    };
    s.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    write!(s, "INFO {section}\r\n").unwrap();
    let mut r = BufReader::new(s);
    let mut head = String::new();
    r.read_line(&mut head).unwrap();
    let len: usize = head.trim_end().strip_prefix('$').unwrap().parse().unwrap();
    let mut body = vec![0u8; len];
    r.read_exact(&mut body).unwrap();
    String::from_utf8(body).unwrap()
}

/// `SET key <value>` with binary-safe RESP (a record planted by someone else).
pub fn set_raw(server: &RedisServer, key: &str, value: &[u8]) {
    let mut s = TcpStream::connect(("127.0.0.1", server.port)).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    let mut out = format!(
        "*3\r\n$3\r\nSET\r\n${}\r\n{key}\r\n${}\r\n",
        key.len(),
        value.len()
    )
    .into_bytes();
    out.extend_from_slice(value);
    out.extend_from_slice(b"\r\n");
    s.write_all(&out).unwrap();
    let mut reply = String::new();
    BufReader::new(s).read_line(&mut reply).unwrap();
    assert_eq!(reply.trim_end(), "+OK");
}
