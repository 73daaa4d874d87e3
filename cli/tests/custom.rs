//! `jwtmint exchange --profile custom` against the Authlib identity provider
//! of tests/py/custom_idp.py (password login, refresh token, previous-token
//! renewal, API key header): the token printed as JSON or as an
//! `Authorization` line, the cache reused, precise errors, and the password
//! in no output and no cache file.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

#[path = "../../tests/common/mod.rs"]
mod common;

use std::ffi::OsStr;
use std::process::{Command, Output};

use common::custom_idp::CustomIdp;

const PASSWORD: &str = "cli p@ss&word";
const API_KEY: &str = "cli-api-key-7";

fn start(test: &str) -> Option<CustomIdp> {
    CustomIdp::start(test, PASSWORD, API_KEY, 10)
}

/// With 4-second tokens (12 h / 10800).
fn start_short(test: &str) -> Option<CustomIdp> {
    CustomIdp::start(test, PASSWORD, API_KEY, 10800)
}

/// `jwtmint exchange --profile custom` for `idp`: password login as alice
/// with `password_file`, `client_id=app` and the API key header.
fn exchange_cmd(idp: &CustomIdp, password_file: &OsStr) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_jwtmint"));
    c.args(["exchange", "--profile", "custom", "--token-url", &idp.url()])
        .args([
            "--grant",
            "password",
            "--username",
            "alice",
            "--password-file",
        ])
        .arg(password_file)
        .args([
            "--form",
            "client_id=app",
            "--header",
            &format!("X-Api-Key: {API_KEY}"),
        ]);
    c
}

/// [`exchange_cmd`] with the IdP's password file and refresh/previous-token
/// renewal, plus `extra`; run, with the password in no output.
fn exchange(idp: &CustomIdp, extra: &[&str]) -> Output {
    let out = exchange_cmd(idp, idp.password_file().as_os_str())
        .args(["--renew", "refresh,previous-token"])
        .args(extra)
        .output()
        .unwrap();
    for s in [&out.stdout, &out.stderr] {
        let s = String::from_utf8_lossy(s);
        assert!(!s.contains("p@ss"), "the password leaked: {s}");
    }
    out
}

/// A successful run's stdout as JSON.
fn ok_json(out: &Output) -> serde_json::Value {
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

fn text(b: &[u8]) -> String {
    String::from_utf8(b.to_vec()).unwrap()
}

#[test]
fn password_login_cached_and_printed_as_authorization() {
    let Some(idp) = start("password_login_cached_and_printed_as_authorization") else {
        return;
    };
    let cache = idp.dir.join("token.json");
    let cache_s = cache.to_str().unwrap();
    let first = exchange(&idp, &["--cache", cache_s]);
    let v = ok_json(&first);
    let token = v["access_token"].as_str().unwrap().to_owned();
    assert_eq!(token.split('.').count(), 3);
    assert_eq!(v["cached"], false);
    assert_eq!(v["token_type"], "Bearer");
    // 12 h / 10 = 4320 s, from the JWT's exp (no expires_in).
    let left = v["expires_in"].as_i64().unwrap();
    assert!((4318..=4320).contains(&left), "{left}");
    assert_eq!(idp.counts(), (1, 0, 0));

    let second = exchange(&idp, &["--cache", cache_s, "--print-authorization"]);
    assert_eq!(second.status.code(), Some(0), "{}", text(&second.stderr));
    assert_eq!(
        text(&second.stdout),
        format!("Authorization: Bearer {token}\n")
    );
    assert_eq!(idp.counts(), (1, 0, 0), "the cached token was reused");

    // The cache file holds the token (a bearer secret) but never the password.
    let file = std::fs::read(&cache).unwrap();
    let rec = jwtmint::client::file_store::RecordFile::parse(&file).unwrap();
    for hay in [&file[..], &rec.record[..]] {
        assert!(!hay.windows(4).any(|w| w == b"p@ss"));
        assert!(!hay.windows(9).any(|w| w == b"p%40ss"));
    }
}

/// Sleeps until the real clock reaches `t`.
fn sleep_until(t: i64) {
    while jwtmint::time::now().unwrap() < t {
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
}

/// A later run whose cached token is due, and one whose cached token has
/// expired, renew with the refresh token the first run stored: the
/// password is sent once across the three runs.
#[test]
fn later_runs_renew_with_the_cached_refresh_token() {
    let Some(idp) = start_short("later_runs_renew_with_the_cached_refresh_token") else {
        return;
    };
    let cache = idp.dir.join("token.json");
    let cache_s = cache.to_str().unwrap();
    let run = || {
        let out = exchange(&idp, &["--cache", cache_s]);
        let v = ok_json(&out);
        assert_eq!(text(&out.stderr), "", "no warning");
        assert_eq!(v["cached"], false);
        assert!(
            v["expires_in"].as_i64().unwrap() > 0,
            "never an expired token"
        );
        (
            v["access_token"].as_str().unwrap().to_owned(),
            v["expires_at"].as_i64().unwrap(),
        )
    };
    let (t1, exp1) = run();
    assert_eq!(idp.counts(), (1, 0, 0));
    // Due (refresh-ahead clamped to half the 4 s life), still valid.
    sleep_until(exp1 - 1);
    let (t2, exp2) = run();
    assert_ne!(t2, t1);
    assert_eq!(
        idp.counts(),
        (1, 1, 0),
        "the due run used the refresh token"
    );
    // Expired: the cached record still gives its (rotated) refresh token.
    sleep_until(exp2 + 1);
    let (t3, _) = run();
    assert!(t3 != t1 && t3 != t2);
    assert_eq!(
        idp.counts(),
        (1, 2, 0),
        "the late run used the refresh token"
    );
    assert_eq!(
        idp.json("/received"),
        serde_json::json!([PASSWORD]),
        "the password was sent exactly once"
    );
}

#[test]
fn wrong_password_and_usage_errors() {
    let Some(idp) = start("wrong_password_and_usage_errors") else {
        return;
    };
    let bad = idp.dir.join("bad");
    std::fs::write(&bad, "not it").unwrap();
    let out = exchange_cmd(&idp, bad.as_os_str()).output().unwrap();
    assert_eq!(out.status.code(), Some(3));
    assert_eq!(
        text(&out.stderr),
        "error: invalid_grant: invalid username or password\n"
    );

    let usage = |args: &[&str], want: &str| {
        let out = Command::new(env!("CARGO_BIN_EXE_jwtmint"))
            .args(args)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        assert_eq!(text(&out.stderr), format!("{want}\n"), "{args:?}");
    };
    let url = idp.url();
    let base = ["exchange", "--profile", "custom", "--token-url", &url];
    usage(
        &[&base[..], &["--grant", "password", "--username", "alice"]].concat(),
        "error: --password-file FILE or --password-env VAR is required for --grant password (a password is never a command-line value)",
    );
    usage(
        &[&base[..], &["--username", "alice", "--password-env", "X"]].concat(),
        "error: --grant password is required for --profile custom",
    );
    usage(
        &[
            &base[..],
            &[
                "--grant",
                "password",
                "--username",
                "a",
                "--password-env",
                "X",
                "--form",
                "novalue",
            ],
        ]
        .concat(),
        "error: --form takes NAME=VALUE, got \"novalue\"",
    );
    usage(
        &["exchange", "--profile", "salesforce", "--form", "a=b"],
        "error: --form is only used with --profile custom",
    );
    usage(
        &["exchange", "--profile", "custom", "--grant", "password"],
        "error: --token-url URL is required for --profile custom",
    );
    usage(
        &["mint", "--profile", "custom"],
        "error: --profile custom mints nothing: use it with `jwtmint exchange`",
    );
    usage(
        &[&base[..], &["--key", "k.pem", "--grant", "password"]].concat(),
        "error: --key is not used by --profile custom: remove it (see `jwtmint mint --help`)",
    );
    assert_eq!(idp.counts(), (1, 0, 0), "one refused password request");
}

#[test]
fn sealed_cache_holds_no_token_and_a_wrong_key_fetches_again() {
    let Some(idp) = start("sealed_cache_holds_no_token_and_a_wrong_key_fetches_again") else {
        return;
    };
    let cache = idp.dir.join("sealed.json");
    let cache_s = cache.to_str().unwrap();
    let key = idp.dir.join("cache.key");
    std::fs::write(&key, format!("{}\n", "ab".repeat(32))).unwrap();
    let key_s = key.to_str().unwrap();
    let sealed = ["--cache", cache_s, "--cache-key-file", key_s];

    let first = exchange(&idp, &sealed);
    let v = ok_json(&first);
    let token = v["access_token"].as_str().unwrap().to_owned();
    let file = std::fs::read(&cache).unwrap();
    let rec = jwtmint::client::file_store::RecordFile::parse(&file).unwrap();
    for hay in [&file[..], &rec.record[..]] {
        for needle in [token.as_bytes(), b"eyJ", b"rt-", b"access_token"] {
            assert!(!hay.windows(needle.len()).any(|w| w == needle));
        }
    }
    assert_eq!(&rec.record[..4], b"JMS1");

    // The same key: the sealed record is used.
    let second = exchange(&idp, &sealed);
    let v: serde_json::Value = serde_json::from_slice(&second.stdout).unwrap();
    assert_eq!(
        (v["access_token"].as_str(), &v["cached"]),
        (Some(token.as_str()), &serde_json::json!(true))
    );
    assert_eq!(idp.counts(), (1, 0, 0));

    // Another key (from the environment): the record does not open, so a
    // new token is fetched, not an error.
    let out = exchange_cmd(&idp, idp.password_file().as_os_str())
        .args([
            "--cache",
            cache_s,
            "--cache-key-env",
            "JWTMINT_TEST_CACHE_KEY",
        ])
        .env("JWTMINT_TEST_CACHE_KEY", "cd".repeat(32))
        .output()
        .unwrap();
    let v = ok_json(&out);
    assert_eq!(v["cached"], false);
    assert_ne!(v["access_token"].as_str(), Some(token.as_str()));
    assert_eq!(idp.counts(), (2, 0, 0));

    // A key that is not a key is an input error before anything is sent.
    std::fs::write(&key, "short").unwrap();
    let bad = exchange(&idp, &sealed);
    assert_eq!(bad.status.code(), Some(2));
    assert_eq!(
        text(&bad.stderr),
        "error: cache key: invalid `seal_key`: must be 32 bytes: raw, 64 hex characters, or Base64\n"
    );
    assert_eq!(idp.counts(), (2, 0, 0));
}

/// A named login for the IdP (`jwtmint token @idp`): everything but the API
/// key in the config file — the key is a secret, refused in the file, given
/// as a flag; the password by reference (`password-file`).
#[test]
fn named_custom_login_with_the_api_key_as_a_flag() {
    let Some(idp) = start("named_custom_login_with_the_api_key_as_a_flag") else {
        return;
    };
    let dir = idp.dir.join("logins");
    std::fs::create_dir_all(&dir).unwrap();
    let cfg = dir.join("config.toml");
    let login = format!(
        "[login.idp]\nprofile = \"custom\"\ntoken-url = \"{}\"\ngrant = \"password\"\n\
         username = \"alice\"\npassword-file = \"{}\"\nrenew = [\"refresh\", \"previous-token\"]\n\
         form = [\"client_id=app\"]\ncache = \"token.json\"\n",
        idp.url(),
        idp.password_file().display()
    );
    std::fs::write(&cfg, &login).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o700)).unwrap();
        std::fs::set_permissions(&cfg, std::fs::Permissions::from_mode(0o600)).unwrap();
    }
    let token = |extra: &[&str]| {
        let o = Command::new(env!("CARGO_BIN_EXE_jwtmint"))
            .args(["token", "@idp", "--config"])
            .arg(&cfg)
            .args(["--header", &format!("X-Api-Key: {API_KEY}")])
            .args(extra)
            .output()
            .unwrap();
        for s in [&o.stdout, &o.stderr] {
            assert!(!text(s).contains("p@ss"), "the password leaked");
        }
        assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
        text(&o.stdout)
    };
    let first = token(&[]);
    let t = first.strip_suffix('\n').unwrap();
    assert_eq!(t.split('.').count(), 3, "{first:?}");
    assert_eq!(idp.api(t), 302, "the supplier accepts the token");
    assert_eq!(idp.counts(), (1, 0, 0));
    assert_eq!(
        token(&["--format", "header"]),
        format!("Authorization: Bearer {t}\n")
    );
    assert_eq!(idp.counts(), (1, 0, 0), "the login's cache was reused");
    assert!(dir.join("token.json").is_file());
    // The API key in the file is refused, naming the field.
    std::fs::write(&cfg, format!("{login}header = \"X-Api-Key: {API_KEY}\"\n")).unwrap();
    let o = Command::new(env!("CARGO_BIN_EXE_jwtmint"))
        .args(["token", "@idp", "--config"])
        .arg(&cfg)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    let e = text(&o.stderr);
    assert!(
        e.starts_with(&format!(
            "error: config {}:10: [login.idp] header: a secret value is never stored in the config file",
            cfg.display()
        )),
        "{e}"
    );
    assert!(!e.contains(API_KEY));
}
