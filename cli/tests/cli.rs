//! The `jwtmint` command-line tool: help and inspect snapshots, exit codes,
//! byte-exact `sign`, and `exchange` against a real RFC 7523 authorization
//! server (Authlib's JWTBearerGrant on 127.0.0.1, started and stopped here).
//! Python deps: `pip install authlib flask pyjwt cryptography` (.ci/run);
//! without them the server tests skip loudly, or fail under
//! `JWTMINT_REQUIRE_PEERS=1` (tests/common/peers.rs).
//! Snapshots: `UPDATE_SNAPSHOTS=1 cargo test -p jwtmint-cli --test cli` rewrites them.
//! Paths (keys, test data, the Python server) are relative to the repository
//! root, one level above this crate.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

#[path = "../../tests/common/mod.rs"]
mod common;

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

/// The repository root (the library's directory).
fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_jwtmint"));
    c.current_dir(root()).env_remove("JWTMINT_KEY_FILE");
    c
}

fn run(args: &[&str]) -> Output {
    bin().args(args).output().unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).unwrap()
}

fn snapshot(name: &str, actual: &str) {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/snapshots")
        .join(name);
    if std::env::var("UPDATE_SNAPSHOTS").is_ok_and(|v| v == "1") {
        std::fs::write(&path, actual).unwrap();
        return;
    }
    let want = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e} (UPDATE_SNAPSHOTS=1 creates it)", path.display()));
    assert_eq!(
        actual, want,
        "snapshot {name} differs (UPDATE_SNAPSHOTS=1 to accept)"
    );
}

#[test]
fn help_snapshots() {
    for (name, args) in [
        ("help.txt", vec!["--help"]),
        ("mint-help.txt", vec!["mint", "--help"]),
        ("sign-help.txt", vec!["sign", "--help"]),
        ("exchange-help.txt", vec!["exchange", "--help"]),
        ("token-help.txt", vec!["token", "--help"]),
        ("inspect-help.txt", vec!["inspect", "--help"]),
    ] {
        let o = run(&args);
        assert_eq!(o.status.code(), Some(0), "{args:?}");
        snapshot(name, &stdout(&o));
    }
}

#[test]
fn inspect_snapshot_and_ms_warning() {
    let a2 = common::read_str("rfc7515_a2/expected.jws");
    let o = run(&["inspect", &a2]);
    assert_eq!(o.status.code(), Some(0));
    snapshot("inspect-a2.txt", &stdout(&o));
    // The A.2 payload's CRLF and spaces are fine for JSON but its claims are
    // valid too: no warnings.
    assert_eq!(stderr(&o), "");
    // Verified with the RFC's public key, read from stdin.
    let mut child = bin()
        .args(["inspect", "-", "--verify", "--pubkey"])
        .arg(common::vectors().join("rfc7515_a2/public.pem"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(a2.as_bytes())
        .unwrap();
    let o = child.wait_with_output().unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        stdout(&o).ends_with("verify: OK (RS256 with a 2048-bit key)\n"),
        "{}",
        stdout(&o)
    );
    // Wrong key: verification fails, input error.
    let o = run(&[
        "inspect",
        &a2,
        "--verify",
        "--pubkey",
        "examples/keys/demo-key.pub.pem",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("verify: FAILED"), "{}", stderr(&o));

    // A token with `exp` in milliseconds (signed raw, since `mint` refuses it).
    let dir = tempdir("ms");
    std::fs::write(dir.join("h.json"), br#"{"alg":"RS256","typ":"JWT"}"#).unwrap();
    std::fs::write(dir.join("p.json"), br#"{"iss":"x","exp":1700000180000}"#).unwrap();
    let o = run(&[
        "sign",
        "--key",
        "examples/keys/demo-key.pem",
        "--header",
        dir.join("h.json").to_str().unwrap(),
        "--payload",
        dir.join("p.json").to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0));
    let token = stdout(&o).trim().to_owned();
    let o = run(&["inspect", &token]);
    assert_eq!(o.status.code(), Some(0));
    snapshot("inspect-ms.txt", &stdout(&o));
    let err = stderr(&o);
    assert!(
        err.contains("warning: `exp` = 1700000180000 looks like milliseconds"),
        "{err}"
    );
}

#[test]
fn sign_reproduces_rfc7515_a2() {
    let v = common::vectors().join("rfc7515_a2");
    let o = bin()
        .args(["sign", "--key"])
        .arg(v.join("key.pem"))
        .arg("--header")
        .arg(v.join("protected_header.bin"))
        .arg("--payload")
        .arg(v.join("payload.bin"))
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(
        stdout(&o).trim_end(),
        common::read_str("rfc7515_a2/expected.jws")
    );
}

#[test]
fn exit_codes_and_messages() {
    // 1: usage.
    let o = run(&["mint"]);
    assert_eq!(o.status.code(), Some(1));
    let o = run(&[
        "mint",
        "--profile",
        "salesforce",
        "--key",
        "examples/keys/demo-key.pem",
        "--sub",
        "u",
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("--iss is required"), "{}", stderr(&o));
    // 2: input errors, each with a precise message.
    let cases: [(&[&str], &str); 4] = [
        (
            &[
                "mint",
                "--profile",
                "salesforce",
                "--key",
                "tests/data/rsa1024.pem",
                "--iss",
                "c",
                "--sub",
                "u",
            ],
            "1024 bits",
        ),
        (
            &[
                "mint",
                "--profile",
                "salesforce",
                "--key",
                "tests/data/demo-encrypted.pem",
                "--iss",
                "c",
                "--sub",
                "u",
            ],
            "encrypted",
        ),
        (
            &[
                "mint",
                "--profile",
                "salesforce",
                "--key",
                "examples/keys/demo-key.pem",
                "--iss",
                "c",
                "--sub",
                "u",
                "--lifetime",
                "600",
            ],
            "600 s exceeds",
        ),
        (
            &[
                "mint",
                "--profile",
                "generic",
                "--key",
                "examples/keys/demo-key.pem",
                "--iss",
                "c",
                "--sub",
                "u",
                "--aud",
                "a",
                "--exp",
                "1700000180000",
            ],
            "milliseconds",
        ),
    ];
    for (args, needle) in cases {
        let o = run(args);
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        assert!(stderr(&o).contains(needle), "{args:?}: {}", stderr(&o));
        assert!(stdout(&o).is_empty());
    }
    // Entra with a certificate of another key.
    let o = run(&[
        "mint",
        "--profile",
        "entra",
        "--key",
        "examples/keys/demo-key.pem",
        "--cert",
        "tests/data/other-cert.pem",
        "--tenant",
        "t",
        "--client-id",
        "c",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("does not belong to the signing key"));
    // http:// to a non-loopback host is refused before anything is sent.
    let o = run(&[
        "exchange",
        "--profile",
        "generic",
        "--key",
        "examples/keys/demo-key.pem",
        "--iss",
        "c",
        "--sub",
        "u",
        "--aud",
        "a",
        "--token-url",
        "http://example.com/token",
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("only allowed to loopback hosts"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn mint_every_profile() {
    let o = run(&[
        "mint",
        "--profile",
        "salesforce",
        "--key",
        "examples/keys/demo-key.pem",
        "--iss",
        "ck",
        "--sub",
        "u@example.com",
        "--aud",
        "https://test.salesforce.com",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(stdout(&o).trim().split('.').count(), 3);
    let o = run(&[
        "mint",
        "--profile",
        "salesforce",
        "--key",
        "-",
        "--iss",
        "ck",
        "--sub",
        "u",
        "--form",
    ]);
    // `--key -` with empty stdin: a key error, not a hang.
    assert_eq!(o.status.code(), Some(2));
    let mut child = bin()
        .args([
            "mint",
            "--profile",
            "salesforce",
            "--key",
            "-",
            "--iss",
            "ck",
            "--sub",
            "u",
            "--form",
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(common::DEMO_KEY.as_bytes())
        .unwrap();
    let o = child.wait_with_output().unwrap();
    assert!(stdout(&o).starts_with(
        "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer&assertion=ey"
    ));
    let o = run(&[
        "mint",
        "--profile",
        "google",
        "--service-account",
        "tests/data/demo-service-account.json",
        "--scope",
        "https://www.googleapis.com/auth/cloud-platform",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let o = run(&[
        "mint",
        "--profile",
        "entra",
        "--key",
        "examples/keys/demo-key.pem",
        "--cert",
        "examples/keys/demo-cert.pem",
        "--tenant",
        "contoso.onmicrosoft.com",
        "--client-id",
        "cid",
        "--form",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stdout(&o).contains("&grant_type=client_credentials"));
    let o = bin()
        .args([
            "mint",
            "--profile",
            "generic",
            "--iss",
            "c",
            "--sub",
            "u",
            "--aud",
            "a",
            "--claim",
            "tenant=acme",
            "--claim",
            "roles:=[\"x\"]",
            "--alg",
            "PS256",
        ])
        .env("JWTMINT_KEY_FILE", "examples/keys/demo-key.pem")
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let o2 = run(&["inspect", stdout(&o).trim()]);
    assert!(stdout(&o2).contains("\"roles\": [") && stdout(&o2).contains("\"alg\": \"PS256\""));
}

fn tempdir(tag: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("jwtmint-cli-{tag}-{}", std::process::id()));
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// The Authlib server (tests/common/authlib.rs), tokens valid 3600 s.
type Server = common::authlib::Rfc7523Server;

fn exchange(server: &Server, extra: &[&str]) -> Output {
    let url = server.url();
    let mut args = vec![
        "exchange",
        "--profile",
        "generic",
        "--iss",
        "demo-client",
        "--sub",
        "alice",
        "--aud",
        &url,
        "--token-url",
        &url,
        "--timeout",
        "10",
    ];
    if !extra.contains(&"--key") {
        args.extend(["--key", "examples/keys/demo-key.pem"]);
    }
    args.extend(extra);
    let t = Instant::now();
    let o = run(&args);
    assert!(t.elapsed() < Duration::from_secs(30));
    o
}

#[test]
fn exchange_against_authlib_rfc7523_server() {
    let Some(server) = Server::start("exchange_against_authlib_rfc7523_server", 3600) else {
        return;
    };
    // Success: a bearer token comes back and is printed as JSON.
    let o = exchange(&server, &[]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert!(
        v["access_token"].as_str().is_some_and(|t| t.len() >= 20),
        "{v}"
    );
    assert_eq!(v["token_type"], "Bearer");
    assert!(
        (3590..=3600).contains(&v["expires_in"].as_i64().unwrap()),
        "{v}"
    );
    assert_eq!(v["cached"], false);
    assert_eq!(server.count(), 1);

    // Wrong key: invalid_grant, exit 3, with a hint.
    let o = exchange(&server, &["--key", "tests/data/rsa3072.pem"]);
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    assert!(
        stderr(&o).starts_with("error: invalid_grant: "),
        "{}",
        stderr(&o)
    );
    assert!(stdout(&o).is_empty());

    // Wrong aud.
    let url = server.url();
    let o = run(&[
        "exchange",
        "--profile",
        "generic",
        "--key",
        "examples/keys/demo-key.pem",
        "--iss",
        "demo-client",
        "--sub",
        "alice",
        "--aud",
        "https://wrong.example.com/token",
        "--token-url",
        &url,
    ]);
    assert_eq!(o.status.code(), Some(3));
    assert!(
        stderr(&o).contains("error: invalid_grant:") && stderr(&o).contains("aud"),
        "{}",
        stderr(&o)
    );

    // Expired assertion (beyond the server's 60 s leeway).
    let now = jwtmint::time::now().unwrap();
    let (iat, exp) = ((now - 1000).to_string(), (now - 500).to_string());
    let o = exchange(&server, &["--iat", &iat, "--exp", &exp]);
    assert_eq!(o.status.code(), Some(3));
    assert!(
        stderr(&o).contains("error: invalid_grant:"),
        "{}",
        stderr(&o)
    );
    assert!(stderr(&o).contains("expired"), "{}", stderr(&o));
    let before = server.count();
    assert_eq!(before, 4);

    // --cache: the first call fetches and stores (0600), the second is served from the file.
    let dir = tempdir("cache");
    let cache = dir.join("token.json");
    let _ = std::fs::remove_file(&cache);
    let o1 = exchange(&server, &["--cache", cache.to_str().unwrap()]);
    assert_eq!(o1.status.code(), Some(0), "{}", stderr(&o1));
    assert_eq!(server.count(), before + 1);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(
            std::fs::metadata(&cache).unwrap().permissions().mode() & 0o777,
            0o600
        );
    }
    let o2 = exchange(&server, &["--cache", cache.to_str().unwrap()]);
    assert_eq!(o2.status.code(), Some(0), "{}", stderr(&o2));
    assert_eq!(
        server.count(),
        before + 1,
        "the cached call must not reach the server"
    );
    let v1: serde_json::Value = serde_json::from_str(&stdout(&o1)).unwrap();
    let v2: serde_json::Value = serde_json::from_str(&stdout(&o2)).unwrap();
    assert_eq!(v1["access_token"], v2["access_token"]);
    assert_eq!(v2["cached"], true);
    // (Refresh-ahead is min(--refresh-skew, lifetime / 2): covered with a
    // short-lived token in hostile_server.rs.)
    // A different subject does not reuse the cached token.
    let o4 = run(&[
        "exchange",
        "--profile",
        "generic",
        "--key",
        "examples/keys/demo-key.pem",
        "--iss",
        "demo-client",
        "--sub",
        "bob",
        "--aud",
        &url,
        "--token-url",
        &url,
        "--cache",
        cache.to_str().unwrap(),
    ]);
    assert_eq!(o4.status.code(), Some(0));
    assert_eq!(server.count(), before + 2);
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn unreachable_endpoint_is_a_remote_error() {
    // A loopback port with nothing listening.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let url = format!("http://127.0.0.1:{port}/token");
    let o = run(&[
        "exchange",
        "--profile",
        "generic",
        "--key",
        "examples/keys/demo-key.pem",
        "--iss",
        "c",
        "--sub",
        "u",
        "--aud",
        &url,
        "--token-url",
        &url,
        "--timeout",
        "5",
    ]);
    assert_eq!(o.status.code(), Some(3));
    assert!(stderr(&o).starts_with("error: POST "), "{}", stderr(&o));
}

/// `sign --alg` with all 13 algorithms: the key type is sniffed from the
/// file (for HS*, the file is the raw secret), the output verifies with the
/// library pinned to that algorithm, and a key/algorithm mismatch is a clear
/// input error (exit 2) naming both.
#[test]
fn sign_every_algorithm_and_refuse_mismatches() {
    use jwtmint::{Algorithm, PublicKey, SigningKey, VerifyingKey};
    let dir = tempdir("algs");
    let secret = dir.join("hmac.key");
    std::fs::write(&secret, [0x61u8; 64]).unwrap();
    let header = dir.join("h.json");
    let payload = dir.join("p.json");
    std::fs::write(&payload, br#"{"iss":"x","exp":2000000000}"#).unwrap();
    let cases: [(&str, &str); 13] = [
        ("RS256", "examples/keys/demo-key.pem"),
        ("RS384", "examples/keys/demo-key.pem"),
        ("RS512", "examples/keys/demo-key.pem"),
        ("PS256", "examples/keys/demo-key.pem"),
        ("PS384", "examples/keys/demo-key.pem"),
        ("PS512", "examples/keys/demo-key.pem"),
        ("ES256", "tests/data/ec-p256.pem"),
        ("ES384", "tests/data/ec-p384.pem"),
        ("ES512", "tests/data/ec-p521.pem"),
        ("EdDSA", "tests/data/ed25519.pem"),
        ("HS256", secret.to_str().unwrap()),
        ("HS384", secret.to_str().unwrap()),
        ("HS512", secret.to_str().unwrap()),
    ];
    for (name, key) in cases {
        std::fs::write(&header, format!(r#"{{"alg":"{name}"}}"#)).unwrap();
        let o = run(&[
            "sign",
            "--alg",
            name,
            "--key",
            key,
            "--header",
            header.to_str().unwrap(),
            "--payload",
            payload.to_str().unwrap(),
        ]);
        assert_eq!(o.status.code(), Some(0), "{name}: {}", stderr(&o));
        let token = stdout(&o).trim().to_owned();
        let alg = Algorithm::from_name(name).unwrap();
        let bytes = std::fs::read(root().join(key)).unwrap();
        let sk = if name.starts_with("HS") {
            SigningKey::from_hmac_secret(&bytes).unwrap()
        } else {
            SigningKey::from_pem(std::str::from_utf8(&bytes).unwrap()).unwrap()
        };
        let vk = VerifyingKey::try_new(PublicKey::from(&sk), &[alg]).unwrap();
        let mut buf = vec![0u8; jwtmint::parse::buffer_len(token.as_bytes())];
        vk.verify_signature_only(token.as_bytes(), &mut buf)
            .unwrap_or_else(|e| panic!("{name}: {e}"));
    }
    // mint --profile generic --alg: ES256 with an EC key, HS256 with a secret.
    for (name, key) in [
        ("ES256", "tests/data/ec-p256.pem"),
        ("HS256", secret.to_str().unwrap()),
    ] {
        let o = run(&[
            "mint",
            "--profile",
            "generic",
            "--alg",
            name,
            "--key",
            key,
            "--iss",
            "c",
            "--sub",
            "s",
            "--aud",
            "https://as.example.com/token",
        ]);
        assert_eq!(o.status.code(), Some(0), "{name}: {}", stderr(&o));
        let token = stdout(&o).trim().to_owned();
        let head = token.split('.').next().unwrap();
        let mut buf = [0u8; 256];
        let n = jwtmint::base64url::decode(head.as_bytes(), &mut buf).unwrap();
        let head = std::str::from_utf8(&buf[..n]).unwrap();
        assert!(head.contains(&format!(r#""alg":"{name}""#)), "{head}");
    }
    // Mismatches: EC key for RS256; a PEM key for HS256; a short secret.
    std::fs::write(dir.join("short.key"), [1u8; 16]).unwrap();
    for (name, key, want) in [
        (
            "RS256",
            "tests/data/ec-p256.pem",
            "RS256 cannot be used with a EC P-256 key (it needs a RSA key)",
        ),
        (
            "ES384",
            "tests/data/ec-p256.pem",
            "ES384 cannot be used with a EC P-256 key (it needs a EC P-384 key)",
        ),
        (
            "HS256",
            "examples/keys/demo-key.pem",
            "HS* algorithms take a file holding the raw shared secret, not a private key",
        ),
        (
            "HS256",
            dir.join("short.key").to_str().unwrap(),
            "HMAC secret is 16 bytes; this algorithm needs at least 32",
        ),
    ] {
        let o = run(&[
            "sign",
            "--alg",
            name,
            "--key",
            key,
            "--header",
            header.to_str().unwrap(),
            "--payload",
            payload.to_str().unwrap(),
        ]);
        assert_eq!(o.status.code(), Some(2), "{name} {key}");
        assert!(stderr(&o).contains(want), "{name} {key}: {}", stderr(&o));
        assert!(stdout(&o).is_empty());
    }
}

/// With `--token-url`, exchange's generic profile sends there, and its `aud`
/// is only a claim: an `http://` audience on another host is not checked as
/// a token URL (it is when nothing else names the endpoint: `mint`).
#[test]
fn generic_exchange_with_a_token_url_takes_any_audience() {
    let common = [
        "--profile",
        "generic",
        "--iss",
        "client",
        "--sub",
        "alice",
        "--aud",
        "http://as.example.com/token",
        "--key",
        "examples/keys/demo-key.pem",
    ];
    // Port 1 on loopback: nothing listens, so the request itself fails.
    let mut args = vec!["exchange", "--token-url", "http://127.0.0.1:1/token"];
    args.extend(common);
    args.extend(["--timeout", "5"]);
    let o = run(&args);
    assert!(
        stderr(&o).starts_with("error: POST http://127.0.0.1:1/token: connection failed"),
        "{}",
        stderr(&o)
    );
    let mut args = vec!["mint"];
    args.extend(common);
    let o = run(&args);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stdout(&o).is_empty());
    assert!(
        stderr(&o).contains("http:// is only allowed to 127.0.0.1, [::1] or localhost"),
        "{}",
        stderr(&o)
    );
}
