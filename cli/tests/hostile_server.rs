//! `jwtmint exchange` against a misbehaving token endpoint (issue 12, items
//! 1–7 and 14): a small HTTP server written here (std only, 127.0.0.1:0,
//! one behaviour per path) redirects, stalls, sends 10 MB, ANSI escapes,
//! BOMs, duplicate keys, odd `expires_in` shapes, empty and 9000-byte
//! tokens and bare OAuth errors. Each test asserts the exact outcome: exit
//! code, message, that no token or assertion is ever printed in an error,
//! and that a redirect target received nothing.
#![cfg(unix)]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Every secret the server hands out contains this.
const SECRET: &str = "SECRETtok";

/// The misbehaving server: counts requests per path, keeps the last body.
struct Hostile {
    port: u16,
    hits: Arc<Mutex<HashMap<String, u64>>>,
    bodies: Arc<Mutex<Vec<String>>>,
    issued: Arc<AtomicU64>,
}

struct Reply {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
    /// Declared length when it differs from the body (the 10 MB case streams).
    stream_len: Option<usize>,
    stall: bool,
    delay: Duration,
}

impl Reply {
    fn json(status: u16, body: &str) -> Self {
        Self {
            status,
            headers: vec![("Content-Type".into(), "application/json".into())],
            body: body.as_bytes().to_vec(),
            stream_len: None,
            stall: false,
            delay: Duration::ZERO,
        }
    }
}

impl Hostile {
    fn start() -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let s = Self {
            port,
            hits: Arc::default(),
            bodies: Arc::default(),
            issued: Arc::default(),
        };
        let (hits, bodies, issued) = (s.hits.clone(), s.bodies.clone(), s.issued.clone());
        std::thread::spawn(move || {
            for conn in listener.incoming() {
                let Ok(conn) = conn else { continue };
                let (hits, bodies, issued) = (hits.clone(), bodies.clone(), issued.clone());
                std::thread::spawn(move || {
                    let _ = serve(conn, port, &hits, &bodies, &issued);
                });
            }
        });
        s
    }

    fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    fn hits(&self, path: &str) -> u64 {
        self.hits.lock().unwrap().get(path).copied().unwrap_or(0)
    }

    fn total(&self) -> u64 {
        self.hits.lock().unwrap().values().sum()
    }
}

fn serve(
    conn: TcpStream,
    port: u16,
    hits: &Mutex<HashMap<String, u64>>,
    bodies: &Mutex<Vec<String>>,
    issued: &AtomicU64,
) -> std::io::Result<()> {
    conn.set_read_timeout(Some(Duration::from_secs(10)))?;
    let mut r = BufReader::new(conn.try_clone()?);
    let mut line = String::new();
    r.read_line(&mut line)?;
    let path = line.split(' ').nth(1).unwrap_or("/").to_owned();
    let mut len = 0usize;
    loop {
        let mut h = String::new();
        r.read_line(&mut h)?;
        if h.trim().is_empty() {
            break;
        }
        if let Some((k, v)) = h.split_once(':')
            && k.eq_ignore_ascii_case("content-length")
        {
            len = v.trim().parse().unwrap_or(0);
        }
    }
    let mut body = vec![0u8; len];
    r.read_exact(&mut body)?;
    *hits.lock().unwrap().entry(path.clone()).or_default() += 1;
    bodies
        .lock()
        .unwrap()
        .push(String::from_utf8_lossy(&body).into_owned());
    let reply = route(&path, port, &body, issued);
    std::thread::sleep(reply.delay);
    let mut w = conn;
    if reply.stall {
        std::thread::sleep(Duration::from_secs(30));
        return Ok(());
    }
    let mut head = format!("HTTP/1.1 {} X\r\n", reply.status);
    for (k, v) in &reply.headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    let declared = reply.stream_len.unwrap_or(reply.body.len());
    head.push_str(&format!(
        "Content-Length: {declared}\r\nConnection: close\r\n\r\n"
    ));
    w.write_all(head.as_bytes())?;
    if reply.stream_len.is_some() {
        let chunk = vec![b' '; 64 * 1024];
        let mut sent = 0;
        while sent < declared {
            w.write_all(&chunk)?;
            sent += chunk.len();
        }
    } else {
        w.write_all(&reply.body)?;
    }
    w.flush()
}

fn route(path: &str, port: u16, request: &[u8], issued: &AtomicU64) -> Reply {
    let ok = |token: &str| {
        Reply::json(
            200,
            &format!(r#"{{"access_token":"{token}","token_type":"Bearer","expires_in":3600}}"#),
        )
    };
    match path {
        "/ok" | "/slow-ok" => {
            let n = issued.fetch_add(1, Ordering::SeqCst) + 1;
            let mut r = ok(&format!("{SECRET}-{n}"));
            if path == "/slow-ok" {
                r.delay = Duration::from_millis(400);
            }
            r
        }
        "/short-ok" => {
            let n = issued.fetch_add(1, Ordering::SeqCst) + 1;
            Reply::json(
                200,
                &format!(r#"{{"access_token":"{SECRET}-short-{n}","expires_in":4}}"#),
            )
        }
        p if p.starts_with("/redirect/") => {
            let status: u16 = p["/redirect/".len()..].parse().unwrap();
            let mut r = Reply::json(status, "");
            r.headers
                .push(("Location".into(), format!("http://127.0.0.1:{port}/stolen")));
            r
        }
        "/stolen" => ok(&format!("{SECRET}-stolen")),
        "/big" => {
            let mut r = Reply::json(200, "");
            r.stream_len = Some(10 * 1024 * 1024);
            r
        }
        "/stall" => {
            let mut r = Reply::json(200, "");
            r.stall = true;
            r
        }
        // A refused 200 body: a raw ESC (invalid JSON) and the live token.
        "/escape" => Reply::json(
            200,
            &format!("{{\"access_token\":\"{SECRET}-esc\",\"note\":\"\x1b[2J\x1b]0;pwned\x07\"}}"),
        ),
        "/bom" => Reply::json(
            200,
            &format!("\u{feff}{{\"access_token\":\"{SECRET}-bom\",\"expires_in\":3600}}"),
        ),
        "/duplicate" => Reply::json(
            200,
            &format!(
                r#"{{"access_token":"{SECRET}-a","access_token":"{SECRET}-b","expires_in":3600}}"#
            ),
        ),
        "/scope-array" => Reply::json(
            200,
            &format!(
                r#"{{"access_token":"{SECRET}-s","refresh_token":"{SECRET}-r","scope":["a"]}}"#
            ),
        ),
        "/expires-string" => Reply::json(
            200,
            &format!(r#"{{"access_token":"{SECRET}-str","expires_in":"3600"}}"#),
        ),
        "/expires-float" => Reply::json(
            200,
            &format!(r#"{{"access_token":"{SECRET}-flt","expires_in":3600.0}}"#),
        ),
        "/expires-fraction" => Reply::json(
            200,
            &format!(
                r#"{{"access_token":"{SECRET}-frac","id_token":"{SECRET}-id","expires_in":3600.5}}"#
            ),
        ),
        "/empty-token" => Reply::json(
            200,
            r#"{"access_token":"","token_type":"Bearer","expires_in":3600}"#,
        ),
        "/big-token" => {
            let n = issued.fetch_add(1, Ordering::SeqCst) + 1;
            let tok = format!(
                "{SECRET}{n}-{}",
                "x".repeat(9000 - SECRET.len() - 1 - n.to_string().len())
            );
            ok(&tok)
        }
        "/oauth-empty" => Reply::json(400, r#"{"error":"invalid_grant","error_description":""}"#),
        // An OAuth error whose description carries escapes and echoes the assertion.
        "/oauth-escape" => {
            let assertion = String::from_utf8_lossy(request)
                .split('&')
                .find_map(|p| p.strip_prefix("assertion=").map(str::to_owned))
                .unwrap_or_default();
            Reply::json(
                400,
                &format!(
                    r#"{{"error":"invalid_grant","error_description":"bad \u001b[31massertion {assertion}\u001b[0m"}}"#
                ),
            )
        }
        // A 500 that echoes the whole request body (assertion included) as text.
        "/echo" => {
            let mut r = Reply::json(500, "");
            r.headers = vec![("Content-Type".into(), "text/plain".into())];
            r.body = [b"bad request: ".as_slice(), request].concat();
            r
        }
        // Tokens that would split a header or a shell line.
        "/crlf-token" => ok(&format!("{SECRET}\\r\\nX-Injected: 1")),
        "/space-token" => ok(&format!("{SECRET} x")),
        "/quote-token" => ok(&format!("{SECRET}'$(id)")),
        "/crlf-type" => Reply::json(
            200,
            &format!(
                r#"{{"access_token":"{SECRET}","token_type":"Bearer\u000d\u000aX: 1","expires_in":60}}"#
            ),
        ),
        _ => Reply::json(404, r#"{"error":"not_found"}"#),
    }
}

// ---- running the CLI ----

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_jwtmint"));
    c.current_dir(root()).env_remove("JWTMINT_KEY_FILE");
    c
}

/// `exchange --profile generic` to `url`, plus `extra`.
fn exchange(url: &str, extra: &[&str]) -> Output {
    let mut args = vec![
        "exchange",
        "--profile",
        "generic",
        "--iss",
        "client",
        "--aud",
        "https://as.example.com/token",
        "--token-url",
        url,
    ];
    if !extra.contains(&"--timeout") {
        args.extend(["--timeout", "5"]);
    }
    if !extra.contains(&"--key") && !extra.contains(&"--no-key") {
        args.extend(["--key", "examples/keys/demo-key.pem"]);
    }
    if !extra.contains(&"--client-assertion") {
        args.extend(["--sub", "alice"]);
    }
    args.extend(extra.iter().filter(|a| **a != "--no-key"));
    let t = Instant::now();
    let o = bin().args(&args).output().unwrap();
    assert!(
        t.elapsed() < Duration::from_secs(20),
        "{args:?} took too long"
    );
    o
}

fn out(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

fn err(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).unwrap()
}

/// Exit code 3, the message, and nothing secret or raw in it.
fn refused(o: &Output, needle: &str) -> String {
    let e = err(o);
    assert_eq!(o.status.code(), Some(3), "{e}");
    assert!(e.contains(needle), "missing `{needle}` in: {e}");
    assert!(!e.contains(SECRET), "a token leaked: {e}");
    assert!(!e.contains("eyJ"), "an assertion leaked: {e}");
    assert!(
        !e.chars().any(|c| c.is_control() && c != '\n'),
        "control characters reached the terminal: {e:?}"
    );
    assert!(out(o).is_empty(), "stdout: {}", out(o));
    e
}

fn token_of(o: &Output) -> serde_json::Value {
    assert_eq!(o.status.code(), Some(0), "{}", err(o));
    serde_json::from_str(&out(o)).unwrap()
}

fn tempdir(tag: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("jwtmint-hostile-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn mode(p: &Path) -> u32 {
    std::fs::metadata(p).unwrap().permissions().mode() & 0o777
}

fn no_tmp_files(dir: &Path) {
    for e in std::fs::read_dir(dir).unwrap() {
        let name = e.unwrap().file_name().to_string_lossy().into_owned();
        assert!(!name.ends_with(".tmp"), "temp file left behind: {name}");
    }
}

fn is_root() -> bool {
    let d = tempdir("uid");
    std::fs::write(d.join("f"), b"").unwrap();
    let uid = std::os::unix::fs::MetadataExt::uid(&std::fs::metadata(d.join("f")).unwrap());
    std::fs::remove_dir_all(&d).unwrap();
    uid == 0
}

// ---- item 1: URLs ----

#[test]
fn userinfo_and_non_loopback_http_are_refused_before_sending() {
    let s = Hostile::start();
    let p = s.port;
    for url in [
        format!("http://[::1]@127.0.0.1:{p}/ok"),
        format!("http://127.0.0.1:x@127.0.0.1:{p}/ok"),
        format!("http://localhost:@127.0.0.1:{p}/ok"),
        "http://[::1]@192.0.2.2:18090/x".to_owned(),
        "https://user:pw@example.com/token".to_owned(),
    ] {
        let o = exchange(&url, &[]);
        assert_eq!(o.status.code(), Some(1), "{url}: {}", err(&o));
        assert!(
            err(&o).contains("must not contain a user name or password"),
            "{url}: {}",
            err(&o)
        );
    }
    for (url, host) in [
        ("http://192.0.2.2:18090/x", "192.0.2.2"),
        ("http://localhost.example.com/x", "localhost.example.com"),
        ("http://127.0.0.1.nip.io/x", "127.0.0.1.nip.io"),
    ] {
        let o = exchange(url, &[]);
        assert_eq!(o.status.code(), Some(1), "{url}");
        assert!(
            err(&o).contains(&format!(
                "only allowed to loopback hosts (127.0.0.0/8, ::1, localhost), not {host}"
            )),
            "{url}: {}",
            err(&o)
        );
    }
    assert_eq!(s.total(), 0, "nothing may be sent");
    // The parsed loopback host is accepted.
    let t = token_of(&exchange(&format!("http://127.0.0.1:{p}/ok"), &[]));
    assert!(t["access_token"].as_str().unwrap().starts_with(SECRET));
}

// ---- item 2: redirects ----

#[test]
fn redirects_are_errors_naming_the_location_and_never_followed() {
    let s = Hostile::start();
    for status in ["301", "302", "303", "307", "308"] {
        let o = exchange(&s.url(&format!("/redirect/{status}")), &[]);
        refused(
            &o,
            &format!(
                "answered HTTP {status} redirecting to http://127.0.0.1:{}/stolen: not followed",
                s.port
            ),
        );
    }
    assert_eq!(s.hits("/stolen"), 0, "the redirect target got a request");
}

// ---- item 3: bodies, redaction, control characters, expires_in shapes ----

#[test]
fn refused_bodies_are_redacted_and_stripped() {
    let s = Hostile::start();
    for (path, needle) in [
        (
            "/escape",
            "not a token response: token response is not valid JSON",
        ),
        ("/bom", "not a token response"),
        (
            "/duplicate",
            "not a token response: token response repeats a member name",
        ),
        ("/scope-array", "`scope`"),
        ("/expires-fraction", "`expires_in`"),
    ] {
        let e = refused(&exchange(&s.url(path), &[]), needle);
        assert!(e.contains("<redacted>"), "{path}: {e}");
    }
    // The bodies were echoed (redacted): the ESC sequences are gone, text stays.
    let e = refused(&exchange(&s.url("/escape"), &[]), "[2J]0;pwned");
    assert!(!e.contains('\x1b'), "{e:?}");
    // A server echoing the request (assertion included) in a 500.
    let e = refused(&exchange(&s.url("/echo"), &[]), "HTTP 500");
    assert!(e.contains("assertion=<redacted>"), "{e}");
    // An OAuth error whose description carries escapes and the assertion.
    let e = refused(
        &exchange(&s.url("/oauth-escape"), &[]),
        "error: invalid_grant: bad [31massertion <redacted>",
    );
    assert!(!e.contains('\x1b'));
}

#[test]
fn expires_in_as_string_or_integral_float_is_accepted() {
    let s = Hostile::start();
    for path in ["/expires-string", "/expires-float"] {
        let t = token_of(&exchange(&s.url(path), &[]));
        let left = t["expires_in"].as_i64().unwrap();
        assert!((3590..=3600).contains(&left), "{path}: {t}");
    }
}

// ---- item 4: timeouts, body cap ----

#[test]
fn stalls_time_out_by_name_and_big_bodies_are_capped() {
    let s = Hostile::start();
    let t = Instant::now();
    let o = exchange(&s.url("/stall"), &["--timeout", "1"]);
    refused(
        &o,
        "the request timed out after 1 s (connect, send, response and body together)",
    );
    assert!(t.elapsed() < Duration::from_secs(10));
    let o = exchange(&s.url("/big"), &[]);
    refused(&o, "the response body is larger than 1048576 bytes");
    // --timeout 0 is refused by the parser, before anything is sent.
    let before = s.total();
    let o = exchange(&s.url("/ok"), &["--timeout", "0"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(err(&o).contains("--timeout"), "{}", err(&o));
    assert_eq!(s.total(), before);
}

// ---- items 5-7: the cache ----

#[test]
fn cache_files_we_did_not_write_are_refused_then_replaced() {
    let s = Hostile::start();
    let d = tempdir("trust");
    let cache = d.join("tok.json");
    let c = cache.to_str().unwrap();
    let first = token_of(&exchange(&s.url("/ok"), &["--cache", c]));
    assert_eq!(mode(&cache), 0o600);
    assert_eq!(
        token_of(&exchange(&s.url("/ok"), &["--cache", c]))["cached"],
        true
    );
    assert_eq!(s.hits("/ok"), 1);
    // Group/world bits: warned about, not used, replaced by a 0600 file.
    std::fs::set_permissions(&cache, std::fs::Permissions::from_mode(0o644)).unwrap();
    let o = exchange(&s.url("/ok"), &["--cache", c]);
    let t = token_of(&o);
    assert!(
        err(&o).contains("its mode is 0644, wider than 0600"),
        "{}",
        err(&o)
    );
    assert_eq!(t["cached"], false);
    assert_ne!(t["access_token"], first["access_token"]);
    assert_eq!(s.hits("/ok"), 2);
    assert_eq!(mode(&cache), 0o600);
    // Owned by someone else (needs root to arrange).
    if is_root() {
        std::os::unix::fs::chown(&cache, Some(65534), Some(65534)).unwrap();
        let o = exchange(&s.url("/ok"), &["--cache", c]);
        assert_eq!(token_of(&o)["cached"], false);
        assert!(
            err(&o).contains("it is owned by uid 65534, not by the current user"),
            "{}",
            err(&o)
        );
        assert_eq!(s.hits("/ok"), 3);
    } else {
        eprintln!("note: not root, the foreign-owner case is covered by the mode case only");
    }
    std::fs::remove_dir_all(&d).unwrap();
}

#[test]
fn cached_expiry_is_capped_at_what_the_response_said() {
    let s = Hostile::start();
    let d = tempdir("cap");
    let cache = d.join("tok.json");
    let c = cache.to_str().unwrap();
    token_of(&exchange(&s.url("/ok"), &["--cache", c]));
    // Push the file's expiry far out; the stored response still says 3600 s.
    let text = std::fs::read_to_string(&cache).unwrap();
    let mut v: serde_json::Value = serde_json::from_str(&text).unwrap();
    v["expires_at"] = serde_json::json!(v["expires_at"].as_i64().unwrap() + 1_000_000);
    std::fs::write(&cache, v.to_string()).unwrap();
    assert_eq!(mode(&cache), 0o600);
    let t = token_of(&exchange(&s.url("/ok"), &["--cache", c]));
    assert_eq!(t["cached"], true);
    assert!(t["expires_in"].as_i64().unwrap() <= 3600, "{t}");
    // The file's own expiry in the past: not used, fetched again.
    let mut v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&cache).unwrap()).unwrap();
    v["expires_at"] = serde_json::json!(v["stored_at"].as_i64().unwrap());
    std::fs::write(&cache, v.to_string()).unwrap();
    let t = token_of(&exchange(&s.url("/ok"), &["--cache", c]));
    assert_eq!(t["cached"], false);
    assert_eq!(s.hits("/ok"), 2);
    std::fs::remove_dir_all(&d).unwrap();
}

#[test]
fn refresh_ahead_is_clamped_to_half_a_short_lifetime() {
    let s = Hostile::start();
    let d = tempdir("short");
    let c = d.join("tok.json");
    let c = c.to_str().unwrap();
    // expires_in 4: due 2 s after it was stored (min(--refresh-skew, 4/2)).
    assert_eq!(
        token_of(&exchange(&s.url("/short-ok"), &["--cache", c]))["cached"],
        false
    );
    assert_eq!(
        token_of(&exchange(&s.url("/short-ok"), &["--cache", c]))["cached"],
        true
    );
    std::thread::sleep(Duration::from_millis(2100));
    assert_eq!(
        token_of(&exchange(&s.url("/short-ok"), &["--cache", c]))["cached"],
        false
    );
    assert_eq!(s.hits("/short-ok"), 2);
    std::fs::remove_dir_all(&d).unwrap();
}

#[test]
fn cache_identity_covers_everything_that_changes_the_grant() {
    let s = Hostile::start();
    let d = tempdir("ident");
    let c = d.join("tok.json");
    let c = c.to_str().unwrap();
    let url = s.url("/ok");
    let base = token_of(&exchange(&url, &["--cache", c, "--claim", "tenant=A"]));
    let mut fetches = 1;
    for extra in [
        &["--claim", "tenant=B"][..],
        &["--claim", "tenant=A", "--alg", "PS256"],
        &["--claim", "tenant=A", "--kid", "k2"],
        &["--claim", "tenant=A", "--scope", "read"],
        &["--claim", "tenant=A", "--key", "tests/data/rsa3072.pem"],
        &["--claim", "tenant=A", "--client-assertion"],
    ] {
        let t = token_of(&exchange(&url, &[&["--cache", c], extra].concat()));
        fetches += 1;
        assert_eq!(
            t["cached"], false,
            "{extra:?} reused another identity's token"
        );
        assert_ne!(t["access_token"], base["access_token"], "{extra:?}");
        assert_eq!(s.hits("/ok"), fetches, "{extra:?}");
    }
    // The same identity again is served from the file.
    let again = token_of(&exchange(
        &url,
        &["--cache", c, "--claim", "tenant=A", "--client-assertion"],
    ));
    assert_eq!(again["cached"], true);
    // No key, or a key that does not load: no token, even with a valid cache.
    let o = exchange(
        &url,
        &[
            "--cache",
            c,
            "--claim",
            "tenant=A",
            "--client-assertion",
            "--no-key",
        ],
    );
    assert_eq!(o.status.code(), Some(1), "{}", err(&o));
    assert!(out(&o).is_empty());
    let o = exchange(
        &url,
        &[
            "--cache",
            c,
            "--claim",
            "tenant=A",
            "--client-assertion",
            "--key",
            "/nonexistent/key.pem",
        ],
    );
    assert_eq!(o.status.code(), Some(2), "{}", err(&o));
    assert!(out(&o).is_empty());
    assert_eq!(s.hits("/ok"), fetches);
    std::fs::remove_dir_all(&d).unwrap();
}

#[test]
fn tokens_are_never_lost_and_never_empty() {
    let s = Hostile::start();
    let d = tempdir("lost");
    // A missing directory is created 0700.
    let nested = d.join("a/b/tok.json");
    let t = token_of(&exchange(
        &s.url("/ok"),
        &["--cache", nested.to_str().unwrap()],
    ));
    assert!(t["access_token"].as_str().unwrap().starts_with(SECRET));
    assert_eq!(mode(&d.join("a/b")), 0o700);
    assert_eq!(mode(&nested), 0o600);
    // The cache path cannot be written (it is a directory): the token is
    // printed, a warning says why, exit 0, no temp file left behind.
    let blocked = d.join("blocked");
    std::fs::create_dir(&blocked).unwrap();
    let o = exchange(&s.url("/ok"), &["--cache", blocked.to_str().unwrap()]);
    let t = token_of(&o);
    assert!(t["access_token"].as_str().unwrap().starts_with(SECRET));
    assert!(
        err(&o).contains("warning: the token was not cached: rename"),
        "{}",
        err(&o)
    );
    no_tmp_files(&d);
    // A read-only directory (root ignores permissions: only checked as a user).
    if !is_root() {
        let ro = d.join("ro");
        std::fs::create_dir(&ro).unwrap();
        std::fs::set_permissions(&ro, std::fs::Permissions::from_mode(0o500)).unwrap();
        let o = exchange(
            &s.url("/ok"),
            &["--cache", ro.join("t.json").to_str().unwrap()],
        );
        token_of(&o);
        assert!(
            err(&o).contains("warning: the token was not cached"),
            "{}",
            err(&o)
        );
        std::fs::set_permissions(&ro, std::fs::Permissions::from_mode(0o700)).unwrap();
        no_tmp_files(&ro);
    }
    // A 9000-byte token works, with and without the cache.
    let big = token_of(&exchange(&s.url("/big-token"), &[]));
    assert_eq!(big["access_token"].as_str().unwrap().len(), 9000);
    let bc = d.join("big.json");
    let b1 = token_of(&exchange(
        &s.url("/big-token"),
        &["--cache", bc.to_str().unwrap()],
    ));
    let b2 = token_of(&exchange(
        &s.url("/big-token"),
        &["--cache", bc.to_str().unwrap()],
    ));
    assert_eq!(b2["cached"], true);
    assert_eq!(b1["access_token"], b2["access_token"]);
    assert_eq!(s.hits("/big-token"), 2);
    // An empty access_token is an error, not a success.
    refused(
        &exchange(&s.url("/empty-token"), &[]),
        "not a token response: required claim `access_token` is absent",
    );
    std::fs::remove_dir_all(&d).unwrap();
}

#[test]
fn parallel_runs_with_one_cache_make_one_exchange() {
    let s = Hostile::start();
    let d = tempdir("parallel");
    let c = d.join("tok.json");
    let url = s.url("/slow-ok");
    let handles: Vec<_> = (0..10)
        .map(|_| {
            let (url, c) = (url.clone(), c.clone());
            std::thread::spawn(move || exchange(&url, &["--cache", c.to_str().unwrap()]))
        })
        .collect();
    let outs: Vec<serde_json::Value> = handles
        .into_iter()
        .map(|h| token_of(&h.join().unwrap()))
        .collect();
    assert_eq!(s.hits("/slow-ok"), 1, "one exchange for ten runs");
    assert!(
        outs.iter()
            .all(|t| t["access_token"] == outs[0]["access_token"])
    );
    assert_eq!(outs.iter().filter(|t| t["cached"] == false).count(), 1);
    std::fs::remove_dir_all(&d).unwrap();
}

// ---- item 14: flags a profile ignores, the bare invalid_grant hint ----

#[test]
fn flags_a_profile_ignores_are_errors_naming_the_flag() {
    let key = "examples/keys/demo-key.pem";
    let salesforce = [
        "mint",
        "--profile",
        "salesforce",
        "--key",
        key,
        "--iss",
        "c",
        "--sub",
        "u",
    ];
    let generic = [
        "--profile",
        "generic",
        "--key",
        key,
        "--iss",
        "c",
        "--sub",
        "u",
        "--aud",
        "https://a.example",
    ];
    let with = |base: &[&'static str], extra: &[&'static str]| [base, extra].concat();
    let cases: [(Vec<&str>, &str); 9] = [
        (
            vec![
                "mint",
                "--profile",
                "entra",
                "--key",
                key,
                "--cert",
                "tests/data/demo-cert.pem",
                "--tenant",
                "t",
                "--client-id",
                "c",
                "--aud",
                "https://x.example",
            ],
            "--aud is not used by --profile entra",
        ),
        (
            with(&salesforce, &["--alg", "PS256"]),
            "--alg is not used by --profile salesforce: it always signs RS256",
        ),
        (
            with(&salesforce, &["--kid", "k"]),
            "--kid is not used by --profile salesforce",
        ),
        (
            with(&salesforce, &["--claim", "a=b"]),
            "--claim is not used by --profile salesforce",
        ),
        (
            with(&salesforce, &["--scope", "api"]),
            "--scope is not used by --profile salesforce",
        ),
        (
            with(&["mint"], &with(&generic, &["--client-assertion"])),
            "--sub is not used with --client-assertion",
        ),
        (
            vec![
                "mint",
                "--profile",
                "google",
                "--service-account",
                "x.json",
                "--scope",
                "s",
                "--key",
                key,
            ],
            "--key is not used by --profile google",
        ),
        (
            with(&["mint"], &with(&generic, &["--tenant", "t"])),
            "--tenant is not used by --profile generic",
        ),
        (
            with(&["exchange"], &with(&generic, &["--form", "a=b"])),
            "--form is only used with --profile custom",
        ),
    ];
    for (args, want) in cases {
        let o = bin().args(&args).output().unwrap();
        assert_eq!(o.status.code(), Some(1), "{args:?}: {}", err(&o));
        assert!(err(&o).contains(want), "{args:?}: {}", err(&o));
        assert!(out(&o).is_empty());
    }
    // What a profile does use still works: --alg RS256 repeats salesforce's.
    let o = bin()
        .args(with(&salesforce, &["--alg", "RS256", "--jti", "j"]))
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    // JWTMINT_KEY_FILE in the environment is not a --key flag given to google.
    let o = bin()
        .env("JWTMINT_KEY_FILE", key)
        .args([
            "mint",
            "--profile",
            "google",
            "--service-account",
            "/nonexistent.json",
            "--scope",
            "s",
        ])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2), "{}", err(&o));
}

#[test]
fn bare_invalid_grant_gets_the_key_hint() {
    let s = Hostile::start();
    let e = refused(
        &exchange(&s.url("/oauth-empty"), &[]),
        "error: invalid_grant: \nhint: ",
    );
    assert!(
        e.contains("most often the wrong key, or its public key / certificate is not uploaded"),
        "{e}"
    );
}

#[test]
fn tokens_that_could_split_a_header_are_never_printed() {
    let s = Hostile::start();
    for path in ["/crlf-token", "/space-token", "/crlf-type"] {
        for format in ["token", "header", "env", "json"] {
            let o = exchange(&s.url(path), &["--format", format]);
            let e = refused(&o, "error: ");
            assert!(e.contains("token"), "{path} {format}: {e}");
        }
    }
    // A `'` is a VSCHAR (a valid token): `--format env` quotes it for the
    // shell, `header` prints it as is.
    let o = exchange(&s.url("/quote-token"), &["--format", "env"]);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    assert_eq!(
        out(&o),
        format!("export JWTMINT_TOKEN='{SECRET}'\\''$(id)'\n")
    );
    let o = exchange(&s.url("/quote-token"), &["--format", "header"]);
    assert_eq!(out(&o), format!("Authorization: Bearer {SECRET}'$(id)\n"));
}
