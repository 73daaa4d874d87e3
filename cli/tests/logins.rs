//! Named logins (`jwtmint mint|exchange|token @NAME`, the config file read
//! by `jwtmint::config`) and the shell output formats: a login against the
//! local Authlib RFC 7523 server (tests/common/authlib.rs; skips loudly
//! without Python + Authlib, fails under `JWTMINT_REQUIRE_PEERS=1`), flags
//! overriding the entry, the file refused when others can write it or when
//! it holds a secret, `token` / `--format` outputs byte for byte.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

#[path = "../../tests/common/mod.rs"]
mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_jwtmint"));
    c.current_dir(root())
        .env_remove("JWTMINT_KEY_FILE")
        .env_remove("JWTMINT_CONFIG")
        .env_remove("JWTMINT_KEY_PASSPHRASE");
    c
}

fn run(args: &[&str]) -> Output {
    bin().args(args).output().unwrap()
}

fn out(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

fn err(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).unwrap()
}

fn ok(o: &Output) -> String {
    assert_eq!(o.status.code(), Some(0), "{}", err(o));
    out(o)
}

/// A private directory (0700) holding `config.toml` (0600) with `text`.
fn config(tag: &str, text: &str) -> (PathBuf, PathBuf) {
    let dir = std::env::temp_dir().join(format!("jwtmint-logins-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("config.toml");
    std::fs::write(&path, text).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o700)).unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
    }
    (dir, path)
}

fn claims(token: &str) -> serde_json::Value {
    let seg = token.trim().split('.').nth(1).unwrap();
    let mut raw = vec![0u8; seg.len()];
    let n = jwtmint::base64url::decode(seg.as_bytes(), &mut raw).unwrap();
    serde_json::from_slice(&raw[..n]).unwrap()
}

/// Two logins for the Authlib server: `demo` (key next to the file, a
/// cache) and `wrong` (an `aud` the server refuses).
fn demo_config(tag: &str, url: &str) -> (PathBuf, PathBuf) {
    let text = format!(
        "# jwtmint named logins\n\
         [login.demo]\n\
         profile = \"generic\"\n\
         key = \"demo-key.pem\"\n\
         iss = \"demo-client\"\n\
         sub = \"alice\"\n\
         aud = \"{url}\"\n\
         token-url = \"{url}\"\n\
         timeout = 10\n\
         cache = \"token.json\"\n\
         \n\
         [login.wrong]\n\
         profile = \"generic\"\n\
         key = \"demo-key.pem\"\n\
         iss = \"demo-client\"\n\
         sub = \"alice\"\n\
         aud = \"https://wrong.example.com/token\"\n\
         token-url = \"{url}\"\n"
    );
    let (dir, path) = config(tag, &text);
    std::fs::copy(
        root().join("examples/keys/demo-key.pem"),
        dir.join("demo-key.pem"),
    )
    .unwrap();
    (dir, path)
}

#[test]
fn named_login_against_authlib_and_every_format() {
    let Some(server) =
        common::authlib::Rfc7523Server::start("named_login_against_authlib_and_every_format", 3600)
    else {
        return;
    };
    let url = server.url();
    let (dir, cfg) = demo_config("authlib", &url);
    let cfg = cfg.to_str().unwrap();

    // `token @demo`: just the token and a newline.
    let printed = ok(&run(&["token", "@demo", "--config", cfg]));
    let token = printed.strip_suffix('\n').unwrap();
    assert!(
        token.len() >= 20 && !token.contains(char::is_whitespace),
        "{printed:?}"
    );
    assert_eq!(server.count(), 1);

    // The other formats print the same (cached) token, byte for byte.
    let fmt = |args: &[&str]| {
        let mut a = vec!["token", "@demo", "--config", cfg];
        a.extend(args);
        ok(&run(&a))
    };
    assert_eq!(fmt(&["--format", "token"]), format!("{token}\n"));
    assert_eq!(
        fmt(&["--format", "header"]),
        format!("Authorization: Bearer {token}\n")
    );
    assert_eq!(
        fmt(&["--format", "env"]),
        format!("export JWTMINT_TOKEN='{token}'\n")
    );
    assert_eq!(
        fmt(&["--format", "env", "--env-var", "API_TOKEN"]),
        format!("export API_TOKEN='{token}'\n")
    );
    let v: serde_json::Value = serde_json::from_str(&fmt(&["--format", "json"])).unwrap();
    assert_eq!(
        (
            &v["access_token"],
            &v["token_type"],
            &v["cached"],
            &v["token_url"]
        ),
        (
            &serde_json::json!(token),
            &serde_json::json!("Bearer"),
            &serde_json::json!(true),
            &serde_json::json!(url)
        )
    );
    // `exchange @demo` prints JSON by default; --print-authorization is
    // the hidden former spelling of --format header.
    let v: serde_json::Value =
        serde_json::from_str(&ok(&run(&["exchange", "@demo", "--config", cfg]))).unwrap();
    assert_eq!(v["access_token"], token);
    assert_eq!(
        ok(&run(&[
            "exchange",
            "@demo",
            "--config",
            cfg,
            "--print-authorization"
        ])),
        format!("Authorization: Bearer {token}\n")
    );
    let o = run(&[
        "exchange",
        "@demo",
        "--config",
        cfg,
        "--print-authorization",
        "--format",
        "json",
    ]);
    assert_eq!(o.status.code(), Some(1));
    let o = run(&[
        "token",
        "@demo",
        "--config",
        cfg,
        "--format",
        "env",
        "--env-var",
        "1X",
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(err(&o).contains("a shell variable name"), "{}", err(&o));
    assert_eq!(server.count(), 1, "every format came from the cache");
    // The cache file is the entry's, next to the config file.
    assert!(dir.join("token.json").is_file());

    // Flags override the entry: another subject is another token.
    let bob = ok(&run(&["token", "@demo", "--config", cfg, "--sub", "bob"]));
    assert_ne!(bob, printed);
    assert_eq!(server.count(), 2);
    // `wrong`'s aud is refused by the server; --aud on the command line
    // replaces it and the exchange succeeds.
    let o = run(&["token", "@wrong", "--config", cfg]);
    assert_eq!(o.status.code(), Some(3), "{}", err(&o));
    assert!(err(&o).starts_with("error: invalid_grant: "), "{}", err(&o));
    assert!(
        err(&o).ends_with(&format!("note: flags from login @wrong in {cfg}\n")),
        "{}",
        err(&o)
    );
    assert!(out(&o).is_empty());
    let fixed = ok(&run(&["token", "@wrong", "--config", cfg, "--aud", &url]));
    assert_eq!(fixed.lines().count(), 1);
    assert_eq!(server.count(), 4);
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn mint_from_a_named_login_and_flags_override() {
    let (dir, cfg) = demo_config("mint", "http://127.0.0.1:9/token");
    let cfg = cfg.to_str().unwrap();
    // `mint` reads the entry's profile fields and ignores the exchange
    // ones (token-url, timeout, cache).
    let c = claims(&ok(&run(&["mint", "@demo", "--config", cfg])));
    assert_eq!(
        (&c["iss"], &c["sub"], &c["aud"]),
        (
            &serde_json::json!("demo-client"),
            &serde_json::json!("alice"),
            &serde_json::json!("http://127.0.0.1:9/token")
        )
    );
    let c = claims(&ok(&run(&[
        "mint",
        "@demo",
        "--config",
        cfg,
        "--sub",
        "bob",
        "--lifetime",
        "42",
    ])));
    assert_eq!(c["sub"], "bob");
    assert_eq!(c["iss"], "demo-client");
    assert_eq!(c["exp"].as_i64().unwrap() - c["iat"].as_i64().unwrap(), 42);
    // --profile on the command line wins too: keycloak does not read
    // `sub`, and says so.
    let o = run(&["mint", "@demo", "--config", cfg, "--profile", "keycloak"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        err(&o).starts_with("error: --iss is not used by --profile keycloak"),
        "{}",
        err(&o)
    );
    // The default file: $XDG_CONFIG_HOME/jwtmint/config.toml.
    let xdg = dir.join("xdg");
    std::fs::create_dir_all(xdg.join("jwtmint")).unwrap();
    std::fs::copy(cfg, xdg.join("jwtmint/config.toml")).unwrap();
    std::fs::copy(dir.join("demo-key.pem"), xdg.join("jwtmint/demo-key.pem")).unwrap();
    let o = bin()
        .args(["mint", "@demo"])
        .env("XDG_CONFIG_HOME", &xdg)
        .output()
        .unwrap();
    assert_eq!(claims(&ok(&o))["sub"], "alice");
    // A login that is not there, a name without `@`, --config without a login.
    let o = run(&["mint", "@nope", "--config", cfg]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(
        err(&o),
        format!("error: config {cfg}: no login named nope (logins: demo, wrong)\n")
    );
    let o = run(&["mint", "demo", "--config", cfg]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        err(&o).contains("a named login is written @NAME"),
        "{}",
        err(&o)
    );
    let o = run(&["mint", "--profile", "generic", "--config", cfg]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(
        err(&o),
        "error: --config names the file of named logins: give the login as @NAME\n"
    );
    // JWTMINT_CONFIG names the file for @NAME and leaves the others alone.
    let o = bin()
        .args(["mint", "@demo"])
        .env("JWTMINT_CONFIG", cfg)
        .output()
        .unwrap();
    assert_eq!(claims(&ok(&o))["sub"], "alice");
    let o = bin()
        .args([
            "mint",
            "--profile",
            "generic",
            "--key",
            "examples/keys/demo-key.pem",
        ])
        .args([
            "--iss",
            "i",
            "--sub",
            "s",
            "--aud",
            "https://as.example.com/token",
        ])
        .env("JWTMINT_CONFIG", cfg)
        .output()
        .unwrap();
    assert_eq!(claims(&ok(&o))["sub"], "s");
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn key_passphrase_from_a_named_environment_variable() {
    let key = root().join("tests/data/keys/rsa2048.pbkdf2-aes256.pem");
    let text = format!(
        "[login.enc]\nprofile = \"generic\"\nkey = \"{}\"\nkey-passphrase-env = \"ENC_KEY_PASS\"\n\
         iss = \"i\"\nsub = \"s\"\naud = \"https://as.example.com/token\"\n",
        key.display()
    );
    let (dir, cfg) = config("pass", &text);
    let cfg = cfg.to_str().unwrap();
    let o = bin()
        .args(["mint", "@enc", "--config", cfg])
        .env("ENC_KEY_PASS", "correct horse battery staple")
        .output()
        .unwrap();
    assert_eq!(claims(&ok(&o))["iss"], "i");
    let o = run(&["mint", "@enc", "--config", cfg]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(
        err(&o),
        format!(
            "error: --key-passphrase-env: environment variable ENC_KEY_PASS is not set\nnote: flags from login @enc in {cfg}\n"
        )
    );
    std::fs::remove_dir_all(&dir).ok();
}

#[cfg(unix)]
#[test]
fn config_writable_by_others_is_refused() {
    use std::os::unix::fs::PermissionsExt;
    let (dir, path) = demo_config("perm", "http://127.0.0.1:9/token");
    let cfg = path.to_str().unwrap();
    let set = |p: &Path, mode: u32| {
        std::fs::set_permissions(p, std::fs::Permissions::from_mode(mode)).unwrap();
    };
    for (mode, who) in [(0o666, "others"), (0o620, "its group"), (0o602, "others")] {
        set(&path, mode);
        let o = run(&["mint", "@demo", "--config", cfg]);
        assert_eq!(o.status.code(), Some(2));
        assert!(out(&o).is_empty());
        assert_eq!(
            err(&o),
            format!(
                "error: config {cfg}: refused: it is writable by {who} (mode {mode:04o}): anyone who can write it chooses your keys and token URLs; run chmod go-w {cfg}\n"
            )
        );
    }
    // Readable by others is fine (it holds no secrets); 0644 works.
    set(&path, 0o644);
    ok(&run(&["mint", "@demo", "--config", cfg]));
    // A directory anyone can write (not sticky): the file can be replaced.
    set(&dir, 0o777);
    let o = run(&["mint", "@demo", "--config", cfg]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(
        err(&o),
        format!(
            "error: config {cfg}: refused: its directory {} is writable by others (mode 0777, not sticky): anyone can replace the file\n",
            dir.display()
        )
    );
    set(&dir, 0o700);
    // Someone else's file (only root can make one here).
    let root_user = Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| o.stdout == b"0\n");
    if root_user
        && Command::new("chown")
            .args(["65534", cfg])
            .status()
            .unwrap()
            .success()
    {
        let o = run(&["mint", "@demo", "--config", cfg]);
        assert_eq!(o.status.code(), Some(2));
        assert_eq!(
            err(&o),
            format!(
                "error: config {cfg}: refused: it is owned by uid 65534, not by the current user (uid 0) or root\n"
            )
        );
    } else {
        eprintln!(
            "config_writable_by_others_is_refused: not root, the owner check is not exercised"
        );
    }
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn config_with_a_secret_or_a_bad_field_is_refused() {
    let (dir, cfg) = config(
        "secret",
        "[login.a]\nprofile = \"okta\"\nkey = \"k.pem\"\nclient-secret = \"hunter2\"\n",
    );
    let c = cfg.to_str().unwrap();
    let o = run(&["mint", "@a", "--config", c]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(
        err(&o),
        format!(
            "error: config {c}:4: [login.a] client-secret: a secret value is never stored in the config file; \
             reference it instead (key = PATH, key-passphrase-file = PATH, key-passphrase-env = VAR, \
             password-file = PATH, password-env = VAR)\n"
        )
    );
    assert!(!err(&o).contains("hunter2"));
    std::fs::write(&cfg, "[login.a]\nprofile = \"nosuch\"\n").unwrap();
    let o = run(&["mint", "@a", "--config", c]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(
        err(&o),
        format!(
            "error: config {c}:1: [login.a] profile: unknown profile \"nosuch\" (see `jwtmint mint --help`)\n"
        )
    );
    // A value the flag's parser refuses: clap's error, then the login.
    std::fs::write(&cfg, "[login.a]\nprofile = \"generic\"\nalg = \"XX\"\n").unwrap();
    let o = run(&["mint", "@a", "--config", c]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        err(&o).starts_with("error: invalid value 'XX' for '--alg <ALG>'"),
        "{}",
        err(&o)
    );
    assert!(
        err(&o).ends_with(&format!("note: flags from login @a in {c}\n")),
        "{}",
        err(&o)
    );
    std::fs::write(&cfg, "[login.a]\nprofile = \"okta\"\nlifetime = \"1h\"\n").unwrap();
    let o = run(&["token", "@a", "--config", c]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(
        err(&o),
        format!("error: config {c}:3: [login.a] lifetime: expected an integer\n")
    );
    std::fs::write(&cfg, "[login.a\nprofile = 1\n").unwrap();
    let o = run(&["token", "@a", "--config", c]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        err(&o).starts_with(&format!("error: config {c}:1:")),
        "{}",
        err(&o)
    );
    std::fs::write(&cfg, vec![b'#'; 70_000]).unwrap();
    let o = run(&["token", "@a", "--config", c]);
    assert_eq!(
        err(&o),
        format!("error: config {c}: larger than 65536 bytes\n")
    );
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn completions_and_man_page() {
    for shell in ["bash", "zsh", "fish"] {
        let text = ok(&run(&["completions", shell]));
        assert!(text.len() > 1000, "{shell}: {} bytes", text.len());
        for word in [
            "exchange",
            "token",
            "mint",
            "inspect",
            "--profile",
            "--format",
        ] {
            let word = if shell == "fish" {
                word.trim_start_matches("--")
            } else {
                word
            };
            assert!(text.contains(word), "{shell} completions lack {word}");
        }
    }
    let man = ok(&run(&["man"]));
    assert!(
        man.starts_with(".ie \\n(.g .ds Aq \\(aq\n"),
        "{}",
        &man[..80]
    );
    assert!(man.contains(".TH jwtmint 1"));
    for sub in [
        "jwtmint\\-mint",
        "jwtmint\\-exchange",
        "jwtmint\\-token",
        "jwtmint\\-completions",
    ] {
        assert!(man.contains(sub), "man page lacks {sub}");
    }
    // One page per subcommand with --dir.
    let dir = std::env::temp_dir().join(format!("jwtmint-man-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    assert_eq!(ok(&run(&["man", "--dir", dir.to_str().unwrap()])), "");
    let mut pages: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    pages.sort();
    assert_eq!(
        pages,
        [
            "jwtmint-completions.1",
            "jwtmint-exchange.1",
            "jwtmint-inspect.1",
            "jwtmint-man.1",
            "jwtmint-mint.1",
            "jwtmint-sign.1",
            "jwtmint-token.1",
            "jwtmint.1"
        ]
    );
    let token_page = std::fs::read_to_string(dir.join("jwtmint-token.1")).unwrap();
    for flag in ["\\-\\-format", "\\-\\-env\\-var", "\\-\\-config", "@NAME"] {
        assert!(token_page.contains(flag), "jwtmint-token.1 lacks {flag}");
    }
    std::fs::remove_dir_all(&dir).ok();
    let o = run(&["completions", "tcsh"]);
    assert_eq!(o.status.code(), Some(1));
}
