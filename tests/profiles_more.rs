//! The GitHub App, Snowflake, DocuSign, Okta and Auth0 profiles: one fixture
//! test per documented rule (exact values, exact errors), and their output
//! checked by PyJWT + cryptography (tests/py/profiles_check.py) and the
//! Snowflake fingerprint by openssl, through the peer rule
//! (tests/common/peers.rs).
#![cfg(feature = "std")] // keys and signing need `std` (`alloc` + OS RNG)
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use std::io::Write;
use std::path::PathBuf;
use std::process::Command;

use jwtmint::alg::Algorithm;
use jwtmint::profiles::{
    Auth0, DocuSign, DocuSignEnv, GitHubApp, Grant, Okta, Profile, Snowflake, mint_profile,
};
use jwtmint::{Error, SigningKey};
use serde_json::{Value, json};

const NOW: i64 = 1_700_000_000;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn demo_key() -> SigningKey {
    SigningKey::from_pem(common::DEMO_KEY).unwrap()
}

/// Mints and returns (header, claims) as JSON.
fn minted(p: &dyn ProfileDyn, jti: Option<&str>) -> (String, Value, Value) {
    let mut out = [0u8; 4096];
    let n = p.mint_now(&demo_key(), NOW, jti, &mut out);
    let tok = std::str::from_utf8(&out[..n]).unwrap().to_owned();
    let part = |i: usize| -> Value {
        let seg = tok.split('.').nth(i).unwrap();
        let mut raw = vec![0u8; seg.len()];
        let m = jwtmint::base64url::decode(seg.as_bytes(), &mut raw).unwrap();
        serde_json::from_slice(&raw[..m]).unwrap()
    };
    let (h, c) = (part(0), part(1));
    (tok, h, c)
}

fn too_long(lifetime: i64, max: i64) -> Error {
    Error::LifetimeTooLong { lifetime, max }
}

// ---------------------------------------------------------------- GitHub App

#[test]
fn github_app_rs256_iss_and_no_aud() {
    let app = GitHubApp::new("Iv23liABCDEF12345678", 4242).unwrap();
    let (_, h, c) = minted(&app, None);
    assert_eq!(h, json!({"alg": "RS256", "typ": "JWT"}));
    assert_eq!(
        c,
        json!({"iss": "Iv23liABCDEF12345678", "iat": NOW - 60, "exp": NOW + 540})
    );
    // Numeric app IDs are accepted too.
    assert!(GitHubApp::new("123456", 1).is_ok());
}

#[test]
fn github_app_iat_backdated_60s_exp_at_most_10_minutes() {
    let app = GitHubApp::new("123456", 7)
        .unwrap()
        .with_lifetime(600)
        .unwrap();
    let c = app.claims(NOW, None).unwrap();
    assert_eq!((c.iat, c.exp), (Some(NOW - 60), Some(NOW + 600)));
    assert_eq!(
        GitHubApp::new("123456", 7)
            .unwrap()
            .with_lifetime(601)
            .unwrap_err(),
        too_long(601, 600)
    );
    assert_eq!(app.limits().max_lifetime, Some(600));
}

#[test]
fn github_app_installation_token_request_is_a_bearer_post() {
    let app = GitHubApp::new("123456", 4242).unwrap();
    let r = app.token_request().unwrap();
    assert_eq!(r.method.as_str(), "POST");
    assert_eq!(
        r.url,
        "https://api.github.com/app/installations/4242/access_tokens"
    );
    assert_eq!(r.body, Grant::BearerHeader);
    assert_eq!(r.content_type(), None);
    assert_eq!(r.body_len("x.y.z").unwrap(), 0);
    assert_eq!(
        r.headers,
        &[
            ("Accept", "application/vnd.github+json"),
            ("X-GitHub-Api-Version", "2022-11-28")
        ]
    );
    let ghes = GitHubApp::with_api("https://ghe.example.com/api/v3", "123456", 9).unwrap();
    assert_eq!(
        ghes.token_url(),
        Some("https://ghe.example.com/api/v3/app/installations/9/access_tokens")
    );
}

#[test]
fn github_app_refuses_bad_issuer_and_installation() {
    assert_eq!(
        GitHubApp::new("my app", 1).unwrap_err(),
        Error::InvalidField {
            field: "iss",
            reason: "GitHub's iss is the app's client ID or numeric app ID (letters and digits)"
        }
    );
    assert_eq!(
        GitHubApp::new("123456", 0).unwrap_err(),
        Error::InvalidField {
            field: "installation_id",
            reason: "must be a GitHub installation id (not 0)"
        }
    );
    assert!(matches!(
        GitHubApp::new("", 1).unwrap_err(),
        Error::InvalidField { field: "iss", .. }
    ));
}

// ----------------------------------------------------------------- Snowflake

fn fingerprints() -> Vec<(String, String)> {
    String::from_utf8(common::data("snowflake-fingerprints.txt"))
        .unwrap()
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
        .map(|l| {
            let (k, f) = l.split_once(' ').unwrap();
            (k.to_owned(), f.to_owned())
        })
        .collect()
}

#[test]
#[cfg_attr(
    target_os = "wasi",
    ignore = "WASI preview 1 has no processes and no temp dir; runs natively and under qemu"
)]
fn snowflake_fingerprint_is_sha256_of_spki_der_as_openssl_computes_it() {
    let openssl = common::peers::openssl("snowflake fingerprint (openssl rsa -pubout | dgst)");
    let list = fingerprints();
    assert_eq!(list.len(), 3);
    for (key_path, want) in list {
        let key = SigningKey::from_pem(&std::fs::read_to_string(root().join(&key_path)).unwrap())
            .unwrap();
        let s = Snowflake::new("xy12345", "jsmith", &key).unwrap();
        assert_eq!(s.fingerprint(), want, "{key_path}");
        if let Some(openssl) = &openssl {
            let script = format!(
                "{0} rsa -in '{1}' -pubout -outform DER 2>/dev/null | {0} dgst -sha256 -binary | base64",
                openssl.get_program().to_str().unwrap(),
                root().join(&key_path).display()
            );
            let out = Command::new("sh").args(["-c", &script]).output().unwrap();
            assert!(out.status.success(), "{out:?}");
            let got = String::from_utf8(out.stdout).unwrap();
            assert_eq!(format!("SHA256:{}", got.trim()), want, "{key_path}");
        }
    }
}

#[test]
fn snowflake_iss_sub_upper_case_region_dropped() {
    let key = demo_key();
    let fp = fingerprints().remove(0).1;
    for (account, sub) in [
        ("xy12345.us-east-2.aws", "XY12345.JSMITH"),
        ("xy12345", "XY12345.JSMITH"),
        ("myorg-my_account", "MYORG-MY_ACCOUNT.JSMITH"),
    ] {
        let s = Snowflake::new(account, "jSmith", &key).unwrap();
        let (_, h, c) = minted(&s, None);
        assert_eq!(h, json!({"alg": "RS256", "typ": "JWT"}));
        assert_eq!(
            c,
            json!({"iss": format!("{sub}.{fp}"), "sub": sub, "iat": NOW, "exp": NOW + 3600}),
            "{account}"
        );
        assert_eq!(s.token_request(), None);
    }
}

#[test]
fn snowflake_exp_at_most_one_hour_and_bad_names_refused() {
    let key = demo_key();
    let s = Snowflake::new("xy12345", "u", &key).unwrap();
    assert_eq!(
        s.clone().with_lifetime(3601).unwrap_err(),
        too_long(3601, 3600)
    );
    assert_eq!(s.with_lifetime(60).unwrap().limits().lifetime, 60);
    assert_eq!(
        Snowflake::new("xy 12345", "u", &key).unwrap_err(),
        Error::InvalidField {
            field: "account",
            reason: "Snowflake account identifier must be orgname-accountname or an account locator (letters, digits, - and _)"
        }
    );
    assert_eq!(
        Snowflake::new("xy12345", "j.smith", &key).unwrap_err(),
        Error::InvalidField {
            field: "user",
            reason: "a Snowflake user name in iss/sub must not contain '.'"
        }
    );
}

// ------------------------------------------------------------------ DocuSign

const IK: &str = "4f2ad6e3-0000-4000-8000-1234567890ab";
const UID: &str = "9c1a5a10-0000-4000-8000-1234567890ab";

#[test]
fn docusign_aud_is_a_host_name_and_scope_has_impersonation() {
    for (env, host) in [
        (DocuSignEnv::Demo, "account-d.docusign.com"),
        (DocuSignEnv::Production, "account.docusign.com"),
    ] {
        let d = DocuSign::new(IK, UID, env).unwrap();
        let (tok, h, c) = minted(&d, None);
        assert_eq!(h, json!({"alg": "RS256", "typ": "JWT"}));
        assert_eq!(
            c,
            json!({"iss": IK, "sub": UID, "aud": host, "iat": NOW, "exp": NOW + 3600,
                   "scope": "signature impersonation"})
        );
        let r = d.token_request().unwrap();
        assert_eq!(r.url, format!("https://{host}/oauth/token"));
        let mut body = [0u8; 4096];
        let n = r.write_body(&tok, &mut body).unwrap();
        assert_eq!(
            std::str::from_utf8(&body[..n]).unwrap(),
            format!(
                "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer&assertion={tok}"
            )
        );
    }
    let d = DocuSign::new(IK, UID, DocuSignEnv::Demo).unwrap();
    assert_eq!(
        d.clone().with_scope("signature").unwrap_err(),
        Error::InvalidField {
            field: "scope",
            reason: "DocuSign's JWT grant needs the impersonation scope (e.g. \"signature impersonation\")"
        }
    );
    let d = d
        .with_scope("signature impersonation click.manage")
        .unwrap();
    assert_eq!(
        d.claims(NOW, None).unwrap().scope,
        Some("signature impersonation click.manage")
    );
}

#[test]
fn docusign_exp_at_most_one_hour() {
    let d = DocuSign::new(IK, UID, DocuSignEnv::Demo).unwrap();
    assert_eq!(
        d.clone().with_lifetime(3601).unwrap_err(),
        too_long(3601, 3600)
    );
    let d = d.with_lifetime(600).unwrap();
    assert_eq!(d.claims(NOW, None).unwrap().exp, Some(NOW + 600));
}

// ---------------------------------------------------------------------- Okta

const OKTA_CLIENT: &str = "0oar95zt9zIpYuz6A0h7";

#[test]
fn okta_iss_sub_client_id_aud_token_endpoint_jti_required() {
    for url in [
        "https://acme.okta.com/oauth2/v1/token",
        "https://acme.okta.com/oauth2/default/v1/token",
    ] {
        let o = Okta::new(url, OKTA_CLIENT).unwrap();
        let (_, h, c) = minted(&o, Some("id-1"));
        assert_eq!(h, json!({"alg": "RS256", "typ": "JWT"}));
        assert_eq!(
            c,
            json!({"iss": OKTA_CLIENT, "sub": OKTA_CLIENT, "aud": url, "iat": NOW,
                   "exp": NOW + 300, "jti": "id-1"})
        );
        assert_eq!(o.token_url(), Some(url));
        assert_eq!(
            o.claims(NOW, None).unwrap_err(),
            Error::InvalidField {
                field: "jti",
                reason: "required by this Okta profile (Okta rejects a replayed jti)"
            }
        );
    }
    // The mint path draws a UUID v4 when none is given.
    let o = Okta::new("https://acme.okta.com/oauth2/v1/token", OKTA_CLIENT).unwrap();
    let (_, _, c) = minted(&o, None);
    assert_eq!(c["jti"].as_str().unwrap().len(), 36);
}

#[test]
fn okta_exp_at_most_one_hour_aud_must_be_token_endpoint_alg_checked() {
    let o = Okta::new("https://acme.okta.com/oauth2/v1/token", OKTA_CLIENT).unwrap();
    assert_eq!(
        o.clone().with_lifetime(3601).unwrap_err(),
        too_long(3601, 3600)
    );
    assert!(o.clone().with_lifetime(3600).is_ok());
    for bad in [
        "https://acme.okta.com",
        "https://acme.okta.com/oauth2/v1/authorize",
        "https://acme.okta.com/oauth2/a/b/v1/token",
    ] {
        assert_eq!(
            Okta::new(bad, OKTA_CLIENT).unwrap_err(),
            Error::InvalidAudience {
                reason: "Okta's aud is the token endpoint: https://{domain}/oauth2/v1/token or https://{domain}/oauth2/{authServerId}/v1/token"
            },
            "{bad}"
        );
    }
    assert_eq!(
        o.clone().with_key(Algorithm::Ps256, None).unwrap_err(),
        Error::InvalidField {
            field: "alg",
            reason: "Okta's private_key_jwt accepts RS256/RS384/RS512/ES256/ES384/ES512, not this algorithm"
        }
    );
    assert!(o.clone().with_key(Algorithm::Es256, None).is_ok());
    assert!(o.clone().with_key(Algorithm::Hs256, None).is_err());
    let o = o.with_key(Algorithm::Rs256, Some("my_key_id")).unwrap();
    let (_, h, _) = minted(&o, Some("j"));
    assert_eq!(h, json!({"alg": "RS256", "typ": "JWT", "kid": "my_key_id"}));
}

// --------------------------------------------------------------------- Auth0

const AUTH0_CLIENT: &str = "sNrxXa8bLJOdtvZ3lGHZ2ThUQwHtUBqG";

#[test]
fn auth0_aud_is_tenant_url_with_trailing_slash_jti_required() {
    let a = Auth0::new("acme.us.auth0.com", AUTH0_CLIENT).unwrap();
    let (tok, h, c) = minted(&a, Some("4b1f"));
    assert_eq!(h, json!({"alg": "RS256", "typ": "JWT"}));
    assert_eq!(
        c,
        json!({"iss": AUTH0_CLIENT, "sub": AUTH0_CLIENT, "aud": "https://acme.us.auth0.com/",
               "iat": NOW, "exp": NOW + 60, "jti": "4b1f"})
    );
    assert_eq!(
        a.claims(NOW, None).unwrap_err(),
        Error::InvalidField {
            field: "jti",
            reason: "required by Auth0 (a unique id, UUID recommended)"
        }
    );
    let a = a.with_api_audience("https://api.example.com/").unwrap();
    let r = a.token_request().unwrap();
    assert_eq!(r.url, "https://acme.us.auth0.com/oauth/token");
    let mut body = [0u8; 4096];
    let n = r.write_body(&tok, &mut body).unwrap();
    assert_eq!(
        std::str::from_utf8(&body[..n]).unwrap(),
        format!(
            "client_assertion_type=urn%3Aietf%3Aparams%3Aoauth%3Aclient-assertion-type%3Ajwt-bearer&client_assertion={tok}&grant_type=client_credentials&audience=https%3A%2F%2Fapi.example.com%2F"
        )
    );
}

#[test]
fn auth0_lifetime_at_most_5_minutes_64_char_limits_algorithms() {
    let a = Auth0::new("login.example.com", AUTH0_CLIENT).unwrap();
    assert_eq!(
        a.clone().with_lifetime(301).unwrap_err(),
        too_long(301, 300)
    );
    assert!(a.clone().with_lifetime(300).is_ok());
    let len_rule = Error::InvalidField {
        field: "client_id",
        reason: "Auth0 allows at most 64 characters",
    };
    assert_eq!(
        Auth0::new("acme.auth0.com", &"c".repeat(65)).unwrap_err(),
        len_rule
    );
    assert!(Auth0::new("acme.auth0.com", &"c".repeat(64)).is_ok());
    assert_eq!(
        a.claims(NOW, Some(&"j".repeat(65))).unwrap_err(),
        Error::InvalidField {
            field: "jti",
            reason: "Auth0 allows at most 64 characters"
        }
    );
    for bad in [
        "https://acme.auth0.com/",
        "acme.auth0.com/x",
        "acme.auth0.com:8443",
    ] {
        assert_eq!(
            Auth0::new(bad, AUTH0_CLIENT).unwrap_err(),
            Error::InvalidAudience {
                reason: "Auth0 domain must be a host name such as acme.us.auth0.com (no scheme, port or path)"
            },
            "{bad}"
        );
    }
    assert!(a.clone().with_key(Algorithm::Rs384, None).is_ok());
    assert_eq!(
        a.clone().with_key(Algorithm::Es256, None).unwrap_err(),
        Error::InvalidField {
            field: "alg",
            reason: "Auth0 credentials use RS256, RS384 or PS256"
        }
    );
    let ps = a.with_key(Algorithm::Ps256, Some("kid-1")).unwrap();
    let (_, h, _) = minted(&ps, Some("j"));
    assert_eq!(h, json!({"alg": "PS256", "typ": "JWT", "kid": "kid-1"}));
}

// ------------------------------------------------- independent verification

#[test]
#[cfg_attr(
    target_os = "wasi",
    ignore = "WASI preview 1 has no processes and no temp dir; runs natively and under qemu"
)]
fn python_checks_more_profiles_with_provider_rules() {
    let Some(mut python) =
        common::peers::python("profiles (PyJWT, cryptography)", &["jwt", "cryptography"])
    else {
        return;
    };
    let key = demo_key();
    let now = jwtmint::time::now().unwrap();
    let dir = std::env::temp_dir().join(format!("jwtmint-profiles-more-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let cases = dir.join("cases.jsonl");
    let mut f = std::fs::File::create(&cases).unwrap();
    let mut out = [0u8; 4096];
    let mut tok = |p: &dyn ProfileDyn, jti: Option<&str>| -> String {
        let n = p.mint_now(&key, now, jti, &mut out);
        std::str::from_utf8(&out[..n]).unwrap().to_owned()
    };
    let mut lines = vec![];

    let app = GitHubApp::new("Iv23liABCDEF12345678", 4242).unwrap();
    lines.push(json!({"kind": "github-app", "jwt": tok(&app, None), "iss": "Iv23liABCDEF12345678", "now": now}));
    let s = Snowflake::new("xy12345.us-east-2.aws", "jsmith", &key).unwrap();
    lines.push(json!({"kind": "snowflake", "jwt": tok(&s, None), "account": "XY12345", "user": "JSMITH", "now": now}));
    for env in [DocuSignEnv::Demo, DocuSignEnv::Production] {
        let d = DocuSign::new(IK, UID, env).unwrap();
        lines.push(json!({"kind": "docusign", "jwt": tok(&d, None), "iss": IK, "sub": UID, "aud": d.audience(), "now": now}));
    }
    let o = Okta::new("https://acme.okta.com/oauth2/default/v1/token", OKTA_CLIENT).unwrap();
    lines.push(json!({"kind": "okta", "jwt": tok(&o, None), "client_id": OKTA_CLIENT, "aud": o.token_url(), "now": now}));
    for alg in [Algorithm::Rs256, Algorithm::Ps256] {
        let a = Auth0::new("acme.us.auth0.com", AUTH0_CLIENT)
            .unwrap()
            .with_key(alg, None)
            .unwrap();
        lines.push(json!({"kind": "auth0", "jwt": tok(&a, None), "client_id": AUTH0_CLIENT, "domain": "acme.us.auth0.com", "alg": alg.as_str(), "now": now}));
    }
    #[cfg(feature = "es256")]
    {
        use jwtmint::profiles::{Apns, AppStoreConnect, SignInWithApple};
        let ec = root().join("tests/data/ec-p256.pem");
        let asc_iss = "57246542-96fe-1a63-e053-0824d011072a";
        let a = Apns::new("ABC123DEFG", "DEF123GHIJ").unwrap();
        let s = AppStoreConnect::new("2X9R4HXF34", asc_iss).unwrap();
        let w = SignInWithApple::new("ABC123DEFG", "DEF123GHIJ", "com.example.web").unwrap();
        for (kind, tok) in [
            ("apns", apple::ec_minted(&a, now).0),
            ("app-store-connect", apple::ec_minted(&s, now).0),
            ("sign-in-with-apple", apple::ec_minted(&w, now).0),
        ] {
            lines.push(json!({"kind": kind, "jwt": tok, "ec_key": ec, "now": now, "kid": if kind == "app-store-connect" { "2X9R4HXF34" } else { "ABC123DEFG" },
                "iss": if kind == "app-store-connect" { asc_iss } else { "DEF123GHIJ" }, "sub": "com.example.web"}));
        }
    }
    {
        use jwtmint::profiles::{BoxApp, BoxConfig, BoxSubject};
        let path = root().join("tests/data/box-config.json");
        let cfg = BoxConfig::from_json(&std::fs::read(&path).unwrap()).unwrap();
        let app = BoxApp::new(std::sync::Arc::new(cfg), BoxSubject::Enterprise).unwrap();
        let mut buf = [0u8; 4096];
        let n = mint_profile(&app, app.key(), now, None, &mut buf).unwrap();
        let tok = std::str::from_utf8(&buf[..n]).unwrap();
        lines.push(json!({"kind": "box", "jwt": tok, "config": path, "now": now}));
    }
    for l in &lines {
        writeln!(f, "{l}").unwrap();
    }
    drop(f);
    let res = python
        .arg(root().join("tests/py/profiles_check.py"))
        .arg(&cases)
        .arg(root().join("examples/keys/demo-key.pub.pem"))
        .arg(root().join("examples/keys/demo-cert.pem"))
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&res.stdout);
    assert!(
        res.status.success(),
        "profile checks failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&res.stderr)
    );
    assert_eq!(stdout.trim(), format!("{} checked", lines.len()));
    std::fs::remove_dir_all(&dir).ok();
}

trait ProfileDyn {
    fn mint_now(&self, key: &SigningKey, now: i64, jti: Option<&str>, out: &mut [u8]) -> usize;
}
impl<P: Profile> ProfileDyn for P {
    fn mint_now(&self, key: &SigningKey, now: i64, jti: Option<&str>, out: &mut [u8]) -> usize {
        mint_profile(self, key, now, jti, out).unwrap()
    }
}

// --------------------------------------------------------------------- Apple

#[cfg(feature = "es256")]
mod apple {
    use super::*;
    use jwtmint::profiles::{Apns, AppStoreConnect, SignInWithApple};

    pub(super) fn ec_key() -> SigningKey {
        SigningKey::from_pem(&String::from_utf8(common::data("ec-p256.pem")).unwrap()).unwrap()
    }

    /// Mints with the P-256 key; returns (token, header, claims).
    pub(super) fn ec_minted(p: &dyn ProfileDyn, now: i64) -> (String, Value, Value) {
        let mut out = [0u8; 4096];
        let n = p.mint_now(&ec_key(), now, None, &mut out);
        let tok = std::str::from_utf8(&out[..n]).unwrap().to_owned();
        let part = |i: usize| -> Value {
            let seg = tok.split('.').nth(i).unwrap();
            let mut raw = vec![0u8; seg.len()];
            let m = jwtmint::base64url::decode(seg.as_bytes(), &mut raw).unwrap();
            serde_json::from_slice(&raw[..m]).unwrap()
        };
        let (h, c) = (part(0), part(1));
        (tok, h, c)
    }

    const ID_RULE: Error = Error::InvalidField {
        field: "kid",
        reason: "Apple Key IDs and Team IDs are 10 letters and digits",
    };

    #[test]
    fn apns_es256_kid_iss_iat_only_no_exchange() {
        let a = Apns::new("ABC123DEFG", "DEF123GHIJ").unwrap();
        let (_, h, c) = ec_minted(&a, NOW);
        assert_eq!(h, json!({"alg": "ES256", "kid": "ABC123DEFG"}));
        assert_eq!(c, json!({"iss": "DEF123GHIJ", "iat": NOW}));
        assert_eq!(a.token_request(), None);
        assert_eq!(Apns::new("ABC123DEF", "DEF123GHIJ").unwrap_err(), ID_RULE);
        assert_eq!(
            Apns::new("ABC123DEFG", "DEF-23GHIJ").unwrap_err(),
            Error::InvalidField {
                field: "iss",
                reason: "Apple Key IDs and Team IDs are 10 letters and digits"
            }
        );
        assert_eq!(
            a.claims(NOW, Some("x")).unwrap_err(),
            Error::InvalidField {
                field: "jti",
                reason: "APNs provider tokens carry only iss and iat"
            }
        );
    }

    #[test]
    fn apns_refresh_window_20_to_60_minutes() {
        let a = Apns::new("ABC123DEFG", "DEF123GHIJ").unwrap();
        let l = a.limits();
        assert_eq!(
            (l.lifetime, l.max_lifetime, l.min_reuse),
            (3000, Some(3600), Some(1200))
        );
        assert_eq!(
            a.clone().with_lifetime(3601).unwrap_err(),
            too_long(3601, 3600)
        );
        assert_eq!(
            a.clone().with_lifetime(1200).unwrap_err(),
            Error::InvalidField {
                field: "lifetime",
                reason: "APNs refuses provider tokens refreshed more often than every 20 minutes"
            }
        );
        assert_eq!(a.with_lifetime(1201).unwrap().limits().lifetime, 1201);
    }

    /// The session re-mints an APNs token inside Apple's window: never
    /// sooner than 20 minutes after the last one, always before it is an
    /// hour old.
    #[test]
    fn apns_session_remints_between_20_and_60_minutes() {
        use jwtmint::session::{Action, Config, Session};
        let a = Apns::new("ABC123DEFG", "DEF123GHIJ").unwrap();
        let key = ec_key();
        let mut s: Session<&Apns, &SigningKey, 1024, 1024> = Session::new(&a, &key, Config::new());
        let stored = |act: Action<'_>| match act {
            Action::Use(c) => (c.stored_at, c.expires_at),
            other => panic!("{other:?}"),
        };
        assert_eq!(stored(s.poll(NOW)), (NOW, NOW + 3000));
        let mut last = NOW;
        let mut remints = vec![];
        for t in (NOW..NOW + 4 * 3600).step_by(30) {
            let (at, _) = stored(s.poll(t));
            if at != last {
                remints.push(at - last);
                last = at;
            }
        }
        assert!(!remints.is_empty());
        for gap in remints {
            assert!(gap > 1200 && gap < 3600, "re-minted after {gap} s");
        }
    }

    #[test]
    fn apple_profiles_refuse_an_rsa_key() {
        let a = Apns::new("ABC123DEFG", "DEF123GHIJ").unwrap();
        let mut out = [0u8; 2048];
        let e = mint_profile(&a, &demo_key(), NOW, None, &mut out).unwrap_err();
        assert_eq!(
            e,
            Error::KeyAlgorithmMismatch {
                key: jwtmint::KeyKind::Rsa,
                alg: Algorithm::Es256
            }
        );
        // Snowflake key-pair authentication is RSA only.
        assert_eq!(
            Snowflake::new("xy12345", "u", &ec_key()).unwrap_err(),
            Error::UnsupportedKeyType
        );
    }

    #[test]
    fn app_store_connect_typ_aud_exp_at_most_20_minutes() {
        let iss = "57246542-96fe-1a63-e053-0824d011072a";
        let p = AppStoreConnect::new("2X9R4HXF34", iss).unwrap();
        let (_, h, c) = ec_minted(&p, NOW);
        assert_eq!(
            h,
            json!({"alg": "ES256", "typ": "JWT", "kid": "2X9R4HXF34"})
        );
        assert_eq!(
            c,
            json!({"iss": iss, "aud": "appstoreconnect-v1", "iat": NOW, "exp": NOW + 1200})
        );
        assert_eq!(
            p.clone().with_lifetime(1201).unwrap_err(),
            too_long(1201, 1200)
        );
        assert_eq!(
            AppStoreConnect::new("2X9R4HXF34", "not-a-uuid").unwrap_err(),
            Error::InvalidField {
                field: "iss",
                reason: "the App Store Connect issuer ID is a UUID (Users and Access > Integrations)"
            }
        );
        assert_eq!(p.token_request(), None);
    }

    #[test]
    fn sign_in_with_apple_aud_sub_exp_at_most_6_months() {
        let p = SignInWithApple::new("ABC123DEFG", "DEF123GHIJ", "com.example.web").unwrap();
        let (_, h, c) = ec_minted(&p, NOW);
        assert_eq!(h, json!({"alg": "ES256", "kid": "ABC123DEFG"}));
        assert_eq!(
            c,
            json!({"iss": "DEF123GHIJ", "sub": "com.example.web", "aud": "https://appleid.apple.com",
                   "iat": NOW, "exp": NOW + 15_777_000})
        );
        assert_eq!(
            p.with_lifetime(15_777_001).unwrap_err(),
            too_long(15_777_001, 15_777_000)
        );
        assert_eq!(
            SignInWithApple::new("ABC123DEFG", "DEF123GHIJ", "").unwrap_err(),
            Error::InvalidField {
                field: "sub",
                reason: "must not be empty"
            }
        );
    }
}

// ----------------------------------------------------------------------- Box

mod boxcom {
    use super::*;
    use jwtmint::profiles::{BoxApp, BoxConfig, BoxSubject};
    use std::sync::Arc;

    fn config() -> Arc<BoxConfig> {
        Arc::new(BoxConfig::from_json(&common::data("box-config.json")).unwrap())
    }

    const JTI: &str = "0123456789abcdef0123";

    #[test]
    fn box_config_json_read_directly_encrypted_key_decrypted_secret_redacted() {
        let c = config();
        let want = SigningKey::from_pem_with_passphrase(
            &String::from_utf8(common::data("keys/rsa2048.pbkdf2-aes256.pem")).unwrap(),
            b"correct horse battery staple",
        )
        .unwrap();
        assert_eq!(
            jwtmint::signer::JwsKey::fingerprint(c.key()),
            jwtmint::signer::JwsKey::fingerprint(&want)
        );
        let shown = format!("{c:?}");
        assert!(
            !shown.contains("def234clientsecret") && shown.contains("<redacted>"),
            "{shown}"
        );
        let app = BoxApp::new(c, BoxSubject::Enterprise).unwrap();
        let r = app.token_request().unwrap();
        assert!(!format!("{r:?} {app:?}").contains("def234clientsecret"));
        // A wrong passphrase is the key-format error, not a panic.
        let bad = String::from_utf8(common::data("box-config.json"))
            .unwrap()
            .replace("correct horse", "wrong horse");
        assert!(BoxConfig::from_json(bad.as_bytes()).is_err());
        let no_secret = String::from_utf8(common::data("box-config.json"))
            .unwrap()
            .replace("\"clientSecret\"", "\"x\"");
        assert_eq!(
            BoxConfig::from_json(no_secret.as_bytes()).unwrap_err(),
            Error::InvalidField {
                field: "clientSecret",
                reason: "missing from the Box config.json"
            }
        );
    }

    #[test]
    fn box_claims_sub_type_jti_exp_at_most_60s_and_form_has_client_credentials() {
        let app = BoxApp::new(config(), BoxSubject::Enterprise).unwrap();
        let mut out = [0u8; 4096];
        let n = mint_profile(&app, app.key(), NOW, Some(JTI), &mut out).unwrap();
        let tok = std::str::from_utf8(&out[..n]).unwrap();
        let part = |i: usize| -> Value {
            let seg = tok.split('.').nth(i).unwrap();
            let mut raw = vec![0u8; seg.len()];
            let m = jwtmint::base64url::decode(seg.as_bytes(), &mut raw).unwrap();
            serde_json::from_slice(&raw[..m]).unwrap()
        };
        assert_eq!(
            part(0),
            json!({"alg": "RS256", "typ": "JWT", "kid": "abcd1234"})
        );
        assert_eq!(
            part(1),
            json!({"iss": "abc123clientid", "sub": "1234567", "aud": "https://api.box.com/oauth2/token",
                   "exp": NOW + 45, "jti": JTI, "box_sub_type": "enterprise"})
        );
        let user = BoxApp::new(config(), BoxSubject::User("987654")).unwrap();
        let c = user.claims(NOW, Some(JTI)).unwrap();
        assert_eq!(c.sub, Some("987654"));
        assert_eq!(
            format!("{:?}", c.extra),
            "[(\"box_sub_type\", Str(\"user\"))]"
        );
        assert_eq!(app.clone().with_lifetime(61).unwrap_err(), too_long(61, 60));
        assert_eq!(
            app.claims(NOW, None).unwrap_err(),
            Error::InvalidField {
                field: "jti",
                reason: "required by Box (a unique id of 16 to 128 characters)"
            }
        );
        assert_eq!(
            app.claims(NOW, Some("short")).unwrap_err(),
            Error::InvalidField {
                field: "jti",
                reason: "Box requires a jti of 16 to 128 characters"
            }
        );
        let r = app.token_request().unwrap();
        assert_eq!(r.url, "https://api.box.com/oauth2/token");
        let mut body = [0u8; 4096];
        let m = r.write_body(tok, &mut body).unwrap();
        assert_eq!(
            std::str::from_utf8(&body[..m]).unwrap(),
            format!(
                "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer&assertion={tok}&client_id=abc123clientid&client_secret=def234clientsecret"
            )
        );
    }
}

/// A hostile key file nested far deeper than any real one is refused by
/// the strict validator (depth <= 32) before serde-json-core, which skips
/// unknown members by recursing without a limit, can overflow the stack.
#[test]
fn deeply_nested_key_files_are_refused_not_a_stack_overflow() {
    let deep = format!(
        r#"{{"type":"service_account","x":{}1{}}}"#,
        "[".repeat(200_000),
        "]".repeat(200_000)
    );
    assert_eq!(
        jwtmint::profiles::ServiceAccount::from_json(deep.as_bytes()).unwrap_err(),
        jwtmint::Error::ServiceAccountJson { field: "json" }
    );
    assert!(matches!(
        jwtmint::profiles::BoxConfig::from_json(deep.as_bytes()).unwrap_err(),
        jwtmint::Error::InvalidField {
            field: "config.json",
            ..
        }
    ));
}
