//! `jwtmint::config` from Rust: `TokenSource::from_config` builds a
//! declared provider's token source from a named login (Keycloak
//! `private_key_jwt` against a token endpoint on 127.0.0.1 started here:
//! the request's path, grant and signed assertion checked, the token used;
//! then the providers whose options name files: Google's service account,
//! Box's app config, Entra's certificate or PKCS#12 key, each verified with
//! the public key and its header/claims asserted against known values),
//! and every way a login cannot become a source is an error naming the
//! field. The CLI side (flags, formats, the Authlib server) is
//! cli/tests/logins.rs.
#![cfg(feature = "config")]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use std::io::Write;
use std::net::TcpListener;
use std::path::PathBuf;

use jwtmint::client::TokenSource;
use jwtmint::config::{ConfigError, Logins};
use jwtmint::{Algorithm, PublicKey, VerifyingKey};

/// A private directory (0700) with `config.toml` (0600) and the demo key.
fn dir_with(tag: &str, text: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("jwtmint-config-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("jwtmint")).unwrap();
    std::fs::write(dir.join("jwtmint/config.toml"), text).unwrap();
    std::fs::write(dir.join("jwtmint/demo-key.pem"), common::DEMO_KEY).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        for (p, m) in [
            ("", 0o700),
            ("jwtmint", 0o700),
            ("jwtmint/config.toml", 0o600),
        ] {
            std::fs::set_permissions(dir.join(p), std::fs::Permissions::from_mode(m)).unwrap();
        }
    }
    dir
}

/// Answers one token request: returns the request (head and body).
fn serve_once(listener: TcpListener) -> std::thread::JoinHandle<String> {
    std::thread::spawn(move || {
        let (mut conn, _) = listener.accept().unwrap();
        conn.set_read_timeout(Some(std::time::Duration::from_secs(10)))
            .unwrap();
        let got = common::http::read_request(&mut conn).unwrap_or_default();
        let body = r#"{"access_token":"kc-token-1","token_type":"Bearer","expires_in":300}"#;
        write!(
            conn,
            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        )
        .unwrap();
        String::from_utf8(got).unwrap()
    })
}

fn form_value<'a>(body: &'a str, name: &str) -> Option<&'a str> {
    body.split('&')
        .find_map(|kv| kv.strip_prefix(name)?.strip_prefix('='))
}

#[test]
fn from_config_keycloak_against_a_local_token_endpoint_and_errors() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let issuer = format!("http://127.0.0.1:{port}/realms/acme");
    let dir = dir_with(
        "kc",
        &format!(
            "[login.kc]\nprofile = \"keycloak\"\naud = \"{issuer}\"\nclient-id = \"svc-billing\"\n\
             key = \"demo-key.pem\"\ntimeout = 10\n"
        ),
    );
    let server = serve_once(listener);
    // SAFETY: this binary's one test: no other thread reads the
    // environment while it is set.
    #[allow(unsafe_code)]
    unsafe {
        std::env::set_var("XDG_CONFIG_HOME", &dir);
    }
    let source = TokenSource::from_config("kc").unwrap();
    let token = source.get().unwrap();
    assert_eq!(
        (token.access_token(), token.token_type.as_str()),
        ("kc-token-1", "Bearer")
    );
    let request = server.join().unwrap();
    assert!(
        request.starts_with("POST /realms/acme/protocol/openid-connect/token HTTP/1.1\r\n"),
        "{request}"
    );
    let body = request.split_once("\r\n\r\n").unwrap().1;
    assert_eq!(form_value(body, "grant_type"), Some("client_credentials"));
    assert_eq!(
        form_value(body, "client_assertion_type"),
        Some("urn%3Aietf%3Aparams%3Aoauth%3Aclient-assertion-type%3Ajwt-bearer")
    );
    // The assertion is signed with the login's key file and names the
    // login's client and issuer.
    let assertion = form_value(body, "client_assertion").unwrap();
    let public = PublicKey::from_pem(
        &std::fs::read_to_string(common::repo_root().join("examples/keys/demo-key.pub.pem"))
            .unwrap(),
    )
    .unwrap();
    let mut buf = vec![0u8; assertion.len()];
    VerifyingKey::new(public, Algorithm::Rs256)
        .verify_jws(assertion.as_bytes(), &mut buf)
        .unwrap();
    let seg = assertion.split('.').nth(1).unwrap();
    let mut raw = vec![0u8; seg.len()];
    let n = jwtmint::base64url::decode(seg.as_bytes(), &mut raw).unwrap();
    let claims: serde_json::Value = serde_json::from_slice(&raw[..n]).unwrap();
    assert_eq!(
        (&claims["iss"], &claims["sub"], &claims["aud"]),
        (
            &serde_json::json!("svc-billing"),
            &serde_json::json!("svc-billing"),
            &serde_json::json!(issuer)
        )
    );

    // A key passphrase from a named environment variable that is not set.
    let cfg = dir.join("jwtmint/config.toml");
    std::fs::write(
        &cfg,
        "[login.kc]\nprofile = \"keycloak\"\naud = \"https://sso.example.com/realms/a\"\n\
         client-id = \"c\"\nkey = \"demo-key.pem\"\nkey-passphrase-env = \"JWTMINT_TEST_UNSET_PASS\"\n",
    )
    .unwrap();
    let e = Logins::load_from(&cfg)
        .unwrap()
        .token_source("kc")
        .unwrap_err();
    assert_eq!(
        e.to_string(),
        format!(
            "config {}:6: [login.kc] key-passphrase-env: environment variable JWTMINT_TEST_UNSET_PASS is not set (or not UTF-8)",
            cfg.display()
        )
    );
    std::fs::remove_dir_all(&dir).ok();
    logins_that_cannot_become_a_source_name_the_field();
    // Every declared provider whose options name files (read by
    // `jwtmint::config::OptionFiles`, as the CLI reads them).
    from_config_google_service_account_file();
    from_config_box_app_config();
    from_config_entra_certificate_thumbprint();
}

fn source_error(text: &str) -> String {
    let dir = dir_with(&format!("e{}", text.len()), text);
    let cfg = dir.join("jwtmint/config.toml");
    let e: ConfigError = Logins::load_from(&cfg)
        .unwrap()
        .token_source("@x")
        .unwrap_err();
    std::fs::remove_dir_all(&dir).ok();
    e.to_string()
        .replace(&cfg.display().to_string(), "CFG")
        .replace(&dir.display().to_string(), "DIR")
}

/// (Called by the test above: the environment it sets is read here too.)
fn logins_that_cannot_become_a_source_name_the_field() {
    const KC: &str =
        "[login.x]\nprofile = \"keycloak\"\naud = \"https://sso.example.com/realms/a\"\n";
    assert_eq!(
        source_error(&format!("{KC}key = \"demo-key.pem\"\n")),
        "config CFG:1: [login.x] client-id: required by profile keycloak"
    );
    assert_eq!(
        source_error(&format!(
            "{KC}client-id = \"c\"\nkey = \"demo-key.pem\"\nsub = \"u\"\n"
        )),
        "config CFG:6: [login.x] sub: not used by profile keycloak"
    );
    assert_eq!(
        source_error(&format!("{KC}client-id = \"c\"\n")),
        "config CFG:1: [login.x] key: required: the private key file"
    );
    assert!(
        source_error(&format!("{KC}client-id = \"c\"\nkey = \"missing.pem\"\n"))
            .starts_with("reading key DIR/jwtmint/missing.pem: "),
    );
    assert_eq!(
        source_error(&format!(
            "{KC}client-id = \"c\"\nkey = \"demo-key.pem\"\nalg = \"HS256\"\n"
        )),
        "config CFG:6: [login.x] alg: profile keycloak signs RS256, ES256, PS256"
    );
    assert_eq!(
        source_error(&format!(
            "{KC}client-id = \"c\"\nkey = \"demo-key.pem\"\ncache-key-env = \"K\"\n"
        )),
        "config CFG:1: [login.x] cache: required by cache-key-file / cache-key-env"
    );
    // The profile's own checks (Keycloak's loopback-only http).
    assert!(
        source_error(
            "[login.x]\nprofile = \"keycloak\"\naud = \"http://sso.example.com/realms/a\"\n\
             client-id = \"c\"\nkey = \"demo-key.pem\"\n"
        )
        .starts_with("config CFG:1: [login.x] profile: "),
    );
    // Profiles that are not declared providers (custom: a CLI-only IdP).
    assert!(
        source_error("[login.x]\nprofile = \"custom\"\nkey = \"demo-key.pem\"\n").starts_with(
            "config CFG:1: [login.x] profile: profile custom is not built from a config file in Rust (declared providers: "
        ),
    );
}

/// The login `name` of `text` (with `PORT` the local token endpoint's
/// port, `ROOT` the repository) fetched through `Logins::token_source`
/// (what `TokenSource::from_config` calls; the file path is given here so
/// these tests read no environment): the request's path, its form, the
/// assertion's header and claims, and the assertion verified with `public`.
fn fetch_declared(
    tag: &str,
    text: &str,
    public: &PublicKey,
    alg: Algorithm,
) -> (String, String, serde_json::Value, serde_json::Value) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let root = common::repo_root().display().to_string();
    let text = text
        .replace("PORT", &port.to_string())
        .replace("ROOT", &root);
    let dir = dir_with(tag, &text);
    let server = serve_once(listener);
    let source = Logins::load_from(&dir.join("jwtmint/config.toml"))
        .unwrap()
        .token_source(tag)
        .unwrap();
    let token = source.get().unwrap();
    assert_eq!(token.access_token(), "kc-token-1");
    let request = server.join().unwrap();
    std::fs::remove_dir_all(&dir).ok();
    let (head, body) = request.split_once("\r\n\r\n").unwrap();
    let assertion = form_value(body, "assertion")
        .or_else(|| form_value(body, "client_assertion"))
        .unwrap()
        .to_owned();
    let mut buf = vec![0u8; assertion.len()];
    VerifyingKey::new(public.clone(), alg)
        .verify_jws(assertion.as_bytes(), &mut buf)
        .unwrap();
    let part = |i: usize| -> serde_json::Value {
        let seg = assertion.split('.').nth(i).unwrap();
        let mut raw = vec![0u8; seg.len()];
        let n = jwtmint::base64url::decode(seg.as_bytes(), &mut raw).unwrap();
        serde_json::from_slice(&raw[..n]).unwrap()
    };
    let line = head.lines().next().unwrap().to_owned();
    (line, body.to_owned(), part(0), part(1))
}

fn demo_public() -> PublicKey {
    PublicKey::from_pem(
        &std::fs::read_to_string(common::repo_root().join("examples/keys/demo-key.pub.pem"))
            .unwrap(),
    )
    .unwrap()
}

/// Google: the key and the client come from the service-account file
/// (`Kind::Account`), no `key` field.
/// (Called by the test that sets the environment: see there.)
fn from_config_google_service_account_file() {
    let (line, body, header, claims) = fetch_declared(
        "google",
        "[login.google]\nprofile = \"google\"\n\
         service-account = \"ROOT/tests/data/demo-service-account.json\"\n\
         scope = [\"https://www.googleapis.com/auth/cloud-platform\"]\n\
         sub = \"admin@example.com\"\n\
         token-url = \"http://127.0.0.1:PORT/token\"\ntimeout = 10\n",
        &demo_public(),
        Algorithm::Rs256,
    );
    assert_eq!(line, "POST /token HTTP/1.1");
    assert_eq!(
        form_value(&body, "grant_type"),
        Some("urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer")
    );
    assert_eq!(header["alg"], "RS256");
    assert_eq!(header["kid"], "0123456789abcdef0123456789abcdef01234567");
    assert_eq!(
        claims["iss"],
        "jwtmint-demo@jwtmint-demo.iam.gserviceaccount.com"
    );
    assert_eq!(claims["sub"], "admin@example.com");
    assert_eq!(claims["aud"], "https://oauth2.googleapis.com/token");
    assert_eq!(
        claims["scope"],
        "https://www.googleapis.com/auth/cloud-platform"
    );
    assert_eq!(
        claims["exp"].as_i64().unwrap() - claims["iat"].as_i64().unwrap(),
        3600
    );
    assert_eq!(
        source_error("[login.x]\nprofile = \"google\"\nscope = \"s\"\n"),
        "config CFG:1: [login.x] service-account: required by profile google"
    );
    // The reader's error, naming the field and the file (not its bytes).
    let e = source_error(&format!(
        "[login.x]\nprofile = \"google\"\nscope = \"s\"\nservice-account = \"{}\"\n",
        common::repo_root()
            .join("tests/data/box-config.json")
            .display()
    ));
    assert!(
        e.starts_with("config CFG:4: [login.x] service-account: service account ")
            && !e.contains("ENCRYPTED"),
        "{e}"
    );
}

/// Box: the app config holds the (encrypted) key (`Kind::Bytes`,
/// `KeyUse::Own`); a `key` field is refused.
/// (Called by the test that sets the environment: see there.)
fn from_config_box_app_config() {
    let public = jwtmint::CertThumbprints::from_pem(
        &String::from_utf8(common::data("keys/rsa2048.cert.pem")).unwrap(),
    )
    .unwrap()
    .public_key()
    .clone();
    let (line, body, header, claims) = fetch_declared(
        "box",
        "[login.box]\nprofile = \"box\"\nbox-config = \"ROOT/tests/data/box-config.json\"\n\
         token-url = \"http://127.0.0.1:PORT/oauth2/token\"\ntimeout = 10\n",
        &public,
        Algorithm::Rs256,
    );
    assert_eq!(line, "POST /oauth2/token HTTP/1.1");
    assert_eq!(form_value(&body, "client_id"), Some("abc123clientid"));
    assert_eq!(header["alg"], "RS256");
    assert_eq!(header["kid"], "abcd1234");
    assert_eq!(claims["iss"], "abc123clientid");
    assert_eq!(claims["sub"], "1234567");
    assert_eq!(claims["box_sub_type"], "enterprise");
    assert_eq!(claims["aud"], "https://api.box.com/oauth2/token");
    assert!(claims["jti"].as_str().unwrap().len() >= 16, "{claims}");
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    let exp = claims["exp"].as_u64().unwrap();
    assert!((now + 40..=now + 46).contains(&exp), "{exp} vs {now}");

    let e = source_error("[login.x]\nprofile = \"box\"\nbox-config = \"/nonexistent/box.json\"\n");
    assert!(
        e.starts_with(
            "config CFG:3: [login.x] box-config: reading box config /nonexistent/box.json: "
        ),
        "{e}"
    );
    assert_eq!(
        source_error(
            "[login.x]\nprofile = \"box\"\nbox-config = \"/nonexistent/box.json\"\nkey = \"demo-key.pem\"\n"
        ),
        "config CFG:4: [login.x] key: not used by profile box: its file holds the key"
    );
}

/// Entra with `cert`: the thumbprint is computed from the certificate file
/// (`x5t` with `legacy-rs256`), checked against the key.
/// (Called by the test that sets the environment: see there.)
fn from_config_entra_certificate_thumbprint() {
    let (line, body, header, claims) = fetch_declared(
        "entra",
        "[login.entra]\nprofile = \"entra\"\ntenant = \"contoso.onmicrosoft.com\"\n\
         client-id = \"00000000-0000-0000-0000-00000000abcd\"\nkey = \"demo-key.pem\"\n\
         cert = \"ROOT/examples/keys/demo-cert.pem\"\nlegacy-rs256 = true\n\
         scope = \"https://graph.microsoft.com/.default\"\n\
         token-url = \"http://127.0.0.1:PORT/contoso/oauth2/v2.0/token\"\ntimeout = 10\n",
        &demo_public(),
        Algorithm::Rs256,
    );
    assert_eq!(line, "POST /contoso/oauth2/v2.0/token HTTP/1.1");
    assert_eq!(form_value(&body, "grant_type"), Some("client_credentials"));
    assert_eq!(header["alg"], "RS256");
    assert_eq!(header["x5t"], "U8eVXOR9UENR_GwKQs0aws-pZLM");
    assert_eq!(claims["iss"], "00000000-0000-0000-0000-00000000abcd");
    assert_eq!(claims["sub"], "00000000-0000-0000-0000-00000000abcd");
    assert_eq!(
        claims["aud"],
        "https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/token"
    );
    // By default x5t#S256 and PS256 (the thumbprint as openssl computes it:
    // `openssl x509 -outform DER | openssl dgst -sha256 -binary`, Base64Url).
    let entra = "[login.entra]\nprofile = \"entra\"\ntenant = \"contoso.onmicrosoft.com\"\n\
                 client-id = \"c\"\ntoken-url = \"http://127.0.0.1:PORT/t\"\ntimeout = 10\n";
    let (_, _, header, _) = fetch_declared(
        "entra",
        &format!("{entra}key = \"demo-key.pem\"\ncert = \"ROOT/examples/keys/demo-cert.pem\"\n"),
        &demo_public(),
        Algorithm::Ps256,
    );
    assert_eq!(
        (&header["alg"], &header["x5t#S256"], header.get("x5t")),
        (
            &serde_json::json!("PS256"),
            &serde_json::json!("YmZmJVHnzPqC-uwG36mB_ytG0dPVENEcIHZp3fIKw_s"),
            None
        )
    );
    // No `cert`: the certificate of a PKCS#12 key (passphrase by file).
    let pass = std::env::temp_dir().join(format!("jwtmint-config-p12-{}", std::process::id()));
    std::fs::write(&pass, "correct horse battery staple\n").unwrap();
    let rsa2048 = jwtmint::CertThumbprints::from_pem(
        &String::from_utf8(common::data("keys/rsa2048.cert.pem")).unwrap(),
    )
    .unwrap()
    .public_key()
    .clone();
    let (_, _, header, _) = fetch_declared(
        "entra",
        &format!(
            "{entra}key = \"ROOT/tests/data/keys/rsa2048.aes256.p12\"\nkey-passphrase-file = \"{}\"\n",
            pass.display()
        ),
        &rsa2048,
        Algorithm::Ps256,
    );
    std::fs::remove_file(&pass).ok();
    assert_eq!(
        header["x5t#S256"],
        "AHeZtPu8z-ZN8Tg-u29krVB6jfROEQujjyRUzyCN3VI"
    );
    // A certificate of another key is refused, naming the field.
    let e = source_error(&format!(
        "[login.x]\nprofile = \"entra\"\ntenant = \"t.example.com\"\nclient-id = \"c\"\n\
         key = \"demo-key.pem\"\ncert = \"{}\"\n",
        common::repo_root()
            .join("tests/data/other-cert.pem")
            .display()
    ));
    assert!(e.starts_with("config CFG:6: [login.x] cert: "), "{e}");
    assert_eq!(
        source_error(
            "[login.x]\nprofile = \"entra\"\ntenant = \"t.example.com\"\nclient-id = \"c\"\nkey = \"demo-key.pem\"\n"
        ),
        "config CFG:1: [login.x] cert: a certificate file is required (or a PKCS#12 key holding it)"
    );
}
