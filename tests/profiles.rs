//! Provider profiles, certificate thumbprints and form bodies, checked against
//! the providers' rules with independent implementations (PyJWT, cryptography,
//! google-auth, openssl). Python deps: `pip install pyjwt cryptography google-auth`
//! (done by .ci/run). A missing peer skips loudly, or fails under
//! `JWTMINT_REQUIRE_PEERS=1` (tests/common/peers.rs).
#![cfg(feature = "std")] // keys and signing need `std` (`alloc` + OS RNG)
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

use jwtmint::profiles::{
    Entra, Google, Login, Profile, Rfc7523, Salesforce, ServiceAccount, Thumbprint, mint_profile,
    mint_profile_len,
};
use jwtmint::{CertThumbprints, Error, SigningKey};
use serde_json::json;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn demo_key() -> SigningKey {
    SigningKey::from_pem(common::DEMO_KEY).unwrap()
}

fn demo_cert() -> CertThumbprints {
    CertThumbprints::from_pem(
        &std::fs::read_to_string(root().join("examples/keys/demo-cert.pem")).unwrap(),
    )
    .unwrap()
}

/// `openssl x509 -fingerprint -<alg>` converted to Base64Url of the raw digest.
fn openssl_thumbprint(openssl: &Command, cert: &Path, alg: &str) -> String {
    let out = Command::new(openssl.get_program())
        .args(["x509", "-noout", "-fingerprint", &format!("-{alg}"), "-in"])
        .arg(cert)
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let text = String::from_utf8(out.stdout).unwrap();
    let hex: String = text.trim().split('=').nth(1).unwrap().replace(':', "");
    let raw = hex::decode(hex).unwrap();
    let mut b64 = vec![0u8; 64];
    let n = jwtmint::base64url::encode(&raw, &mut b64).unwrap();
    String::from_utf8(b64[..n].to_vec()).unwrap()
}

#[test]
fn thumbprints_equal_openssl_and_key_match_is_checked() {
    let openssl = common::peers::openssl("thumbprints (openssl x509 -fingerprint)");
    // Expected values: `openssl x509 -fingerprint -sha1/-sha256`, Base64Url,
    // recorded once; the openssl CLI recomputes them when it is there.
    for (pem, key_pem, x5t, x5t_s256) in [
        (
            "examples/keys/demo-cert.pem",
            common::DEMO_KEY.to_owned(),
            "U8eVXOR9UENR_GwKQs0aws-pZLM",
            "YmZmJVHnzPqC-uwG36mB_ytG0dPVENEcIHZp3fIKw_s",
        ),
        (
            "tests/data/other-cert.pem",
            String::from_utf8(common::data("rsa3072.pem")).unwrap(),
            "A7azmd3zkenl3VMPOHOHJvcTlaM",
            "Uku23nzBHqFrevqhXEuaaQY_xnoAq0TbEZtV6ZcX-38",
        ),
        // Issue 22: one X.509 reader for every key type (EC, Ed25519 too).
        (
            "tests/data/ec-p256-cert.pem",
            String::from_utf8(common::data("ec-p256.pem")).unwrap(),
            "j9u9-MFI35mijXf1aJNOloSRvjE",
            "gJXknxRNtORuIQ_jRUa54rBKmluc3OCWGjsYM5B7C00",
        ),
        (
            "tests/data/ed25519-cert.pem",
            String::from_utf8(common::data("ed25519.pem")).unwrap(),
            "7yjGOQi-nyquoBpGCFubszddIqA",
            "eizv1mAPk_3Q7Iq6YVtKR1067az15pFCx4ec6eHpAMw",
        ),
    ] {
        let path = root().join(pem);
        let t = CertThumbprints::from_pem(&std::fs::read_to_string(&path).unwrap()).unwrap();
        assert_eq!((t.x5t(), t.x5t_s256()), (x5t, x5t_s256), "{pem}");
        if let Some(openssl) = &openssl {
            assert_eq!(t.x5t(), openssl_thumbprint(openssl, &path, "sha1"), "{pem}");
            assert_eq!(
                t.x5t_s256(),
                openssl_thumbprint(openssl, &path, "sha256"),
                "{pem}"
            );
        }
        t.check_key(&SigningKey::from_pem(&key_pem).unwrap())
            .unwrap();
    }
    // DER gives the same thumbprints as PEM.
    let der = CertThumbprints::from_der(&common::data("demo-cert.der")).unwrap();
    assert_eq!(der.x5t_s256(), demo_cert().x5t_s256());
    // A certificate of another key is refused with a clear error.
    let other =
        CertThumbprints::from_pem(&String::from_utf8(common::data("other-cert.pem")).unwrap())
            .unwrap();
    let e = other.check_key(&demo_key()).unwrap_err();
    assert_eq!(e, Error::CertificateKeyMismatch);
    assert!(e.to_string().contains("does not belong to the signing key"));
    // Garbage, and a key type jwtmint does not sign with (Ed448).
    assert_eq!(
        CertThumbprints::from_pem("nope").unwrap_err(),
        Error::CertificateMalformed
    );
    assert_eq!(
        CertThumbprints::from_der(&[0x30, 0x00]).unwrap_err(),
        Error::CertificateMalformed
    );
    let ed448 = String::from_utf8(common::data("ed448-cert.pem")).unwrap();
    assert_eq!(
        CertThumbprints::from_pem(&ed448).unwrap_err(),
        Error::UnsupportedKeyType
    );
    // An EC certificate of another P-256 key: thumbprints, and a mismatch
    // with the fixture's EC key as with an RSA key.
    let ec = CertThumbprints::from_pem(&String::from_utf8(common::data("ec-cert.pem")).unwrap())
        .unwrap();
    assert_eq!(
        (ec.x5t(), ec.x5t_s256()),
        (
            "JDLiuAuBXa9YEEqiBna1C-Bj2bQ",
            "vWGnr6RBNT7FG7ODov98SDHpCc8PSE3N2nAAkYiNXrM"
        )
    );
    for key in ["ec-p256.pem", "demo-pkcs1.pem"] {
        let k = SigningKey::from_pem(&String::from_utf8(common::data(key)).unwrap()).unwrap();
        assert_eq!(
            ec.check_key(&k).unwrap_err(),
            Error::CertificateKeyMismatch,
            "{key}"
        );
    }
    let d = format!("{:?}", demo_cert());
    assert!(d.contains("x5t#S256"), "{d}");
}

#[test]
fn salesforce_rules() {
    let sf = Salesforce::new("ck", "u@example.com", Login::Production).unwrap();
    assert_eq!(sf.audience(), "https://login.salesforce.com");
    let c = sf.claims(1000, None).unwrap();
    assert_eq!(c.exp, Some(1180));
    assert_eq!(
        sf.clone().with_lifetime(181).unwrap_err(),
        Error::LifetimeTooLong {
            lifetime: 181,
            max: 180
        }
    );
    assert_eq!(
        sf.clone().with_lifetime(0).unwrap_err(),
        Error::LifetimeNotPositive
    );
    assert_eq!(
        sf.clone()
            .with_lifetime(60)
            .unwrap()
            .claims(1000, None)
            .unwrap()
            .exp,
        Some(1060)
    );
    let e =
        Salesforce::new("ck", "u", Login::Custom("https://acme.my.salesforce.com/")).unwrap_err();
    assert!(
        matches!(e, Error::InvalidAudience { .. }) && e.to_string().contains("trailing")
            || e.to_string().contains("end with '/'"),
        "{e}"
    );
    assert_eq!(
        Salesforce::new("ck", "u", Login::Custom("http://acme.my.salesforce.com")).err(),
        Some(Error::InvalidAudience {
            reason: "must start with https://"
        })
    );
    assert_eq!(
        Salesforce::new("", "u", Login::Sandbox).err(),
        Some(Error::InvalidField {
            field: "consumer_key",
            reason: "must not be empty"
        })
    );
    assert_eq!(
        Salesforce::new("ck", " u", Login::Sandbox).err(),
        Some(Error::InvalidField {
            field: "username",
            reason: "has leading or trailing whitespace"
        })
    );
    let site =
        Salesforce::new("ck", "u", Login::Custom("https://site.force.com/customers")).unwrap();
    assert_eq!(
        site.token_url(),
        Some("https://site.force.com/customers/services/oauth2/token")
    );
    // Milliseconds `now` is caught when minting.
    let key = demo_key();
    let mut out = [0u8; 1024];
    assert!(matches!(
        mint_profile(&sf, &key, 1_700_000_000_000, None, &mut out).unwrap_err(),
        Error::TimestampInMilliseconds { .. }
    ));
    // The profile picks the algorithm; the key makes the signer.
    assert_eq!(sf.algorithm(), jwtmint::Algorithm::Rs256);
    let n = mint_profile(&sf, &key, 1000, None, &mut out).unwrap();
    assert_eq!(n, mint_profile_len(&sf, &key, 1000, None).unwrap());
    let mut small = [0u8; 10];
    assert_eq!(
        mint_profile(&sf, &key, 1000, None, &mut small).unwrap_err(),
        Error::BufferTooSmall { needed: n }
    );
    // The token request: POST of the RFC 7523 grant, no extra parameters.
    let r = sf.token_request().unwrap();
    assert_eq!(
        (r.method.as_str(), r.url, r.content_type()),
        (
            "POST",
            "https://login.salesforce.com/services/oauth2/token",
            Some("application/x-www-form-urlencoded")
        )
    );
    assert_eq!(r.params.as_slice(), &[]);
}

#[test]
fn google_key_file_rules() {
    let json = common::data("demo-service-account.json");
    let sa = ServiceAccount::from_json(&json).unwrap();
    assert_eq!(
        sa.client_email(),
        "jwtmint-demo@jwtmint-demo.iam.gserviceaccount.com"
    );
    assert_eq!(
        sa.private_key_id(),
        "0123456789abcdef0123456789abcdef01234567"
    );
    assert_eq!(sa.token_uri(), "https://oauth2.googleapis.com/token");
    assert!(!format!("{sa:?}").contains("PRIVATE"));
    // Google's own test fixture: PKCS#1 private key, legacy token_uri.
    let fixture =
        common::read("providers/google/google-auth-library-python_tests_data_service_account.json");
    let g = ServiceAccount::from_json(&fixture).unwrap();
    assert_eq!(g.key().bits(), 2048);
    assert_eq!(g.token_uri(), "https://accounts.google.com/o/oauth2/token");
    let pem =
        common::read_str("providers/google/google-auth-library-python_tests_data_privatekey.pem");
    let mut a = [0u8; 256];
    let mut b = [0u8; 256];
    jwtmint::JwsSigner::sign(
        &mut g.key().signer(jwtmint::Algorithm::Rs256).unwrap(),
        b"x",
        &mut a,
    )
    .unwrap();
    jwtmint::JwsSigner::sign(
        &mut SigningKey::from_pem(&pem)
            .unwrap()
            .signer(jwtmint::Algorithm::Rs256)
            .unwrap(),
        b"x",
        &mut b,
    )
    .unwrap();
    assert_eq!(a, b, "fixture key equals privatekey.pem");

    // Errors name the member.
    let v: serde_json::Value = serde_json::from_slice(&json).unwrap();
    for (field, mutate) in [
        ("client_email", json!({"client_email": null})),
        ("private_key", json!({"private_key": null})),
        ("type", json!({"type": "authorized_user"})),
    ] {
        let mut w = v.clone();
        for (k, val) in mutate.as_object().unwrap() {
            if val.is_null() {
                w.as_object_mut().unwrap().remove(k);
            } else {
                w[k] = val.clone();
            }
        }
        let e =
            ServiceAccount::from_json(serde_json::to_string(&w).unwrap().as_bytes()).unwrap_err();
        assert_eq!(e, Error::ServiceAccountJson { field }, "{field}");
    }
    assert_eq!(
        ServiceAccount::from_json(b"{").unwrap_err(),
        Error::ServiceAccountJson { field: "json" }
    );
    assert_eq!(
        ServiceAccount::from_json(&json[..json.len() / 2]).unwrap_err(),
        Error::ServiceAccountJson { field: "json" }
    );

    let scopes = ["a", "b c"];
    assert_eq!(
        Google::new(&sa, &scopes).err(),
        Some(Error::InvalidField {
            field: "scope",
            reason: "scopes must be non-empty and contain no spaces"
        })
    );
    assert_eq!(
        Google::new(&sa, &[]).err(),
        Some(Error::InvalidField {
            field: "scope",
            reason: "at least one scope is required"
        })
    );
    let scopes = ["https://www.googleapis.com/auth/cloud-platform"];
    let g = Google::new(&sa, &scopes).unwrap();
    assert_eq!(
        g.with_lifetime(3601).unwrap_err(),
        Error::LifetimeTooLong {
            lifetime: 3601,
            max: 3600
        }
    );
}

#[test]
fn entra_rules() {
    let cert = demo_cert();
    let e = Entra::new(
        "contoso.onmicrosoft.com",
        "cid",
        Thumbprint::Sha256(cert.x5t_s256()),
    )
    .unwrap();
    assert_eq!(e.algorithm(), jwtmint::Algorithm::Ps256);
    assert_eq!(
        e.token_url(),
        Some("https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/token")
    );
    let c = e.claims(1000, Some("j")).unwrap();
    assert_eq!(
        (c.nbf, c.iat, c.exp, c.iss, c.sub),
        (Some(1000), Some(1000), Some(1300), Some("cid"), Some("cid"))
    );
    assert_eq!(
        e.clone().with_lifetime(601).unwrap_err(),
        Error::LifetimeTooLong {
            lifetime: 601,
            max: 600
        }
    );
    // A hex thumbprint (what the Azure portal shows) is refused with a hint.
    let hex_thumb = "62666625 51E7CCFA82FAEC06DFA981FF2B46D1D3D510D11C207669DDF20AC3FB";
    let err = Entra::new("t", "cid", Thumbprint::Sha256(hex_thumb)).unwrap_err();
    assert!(err.to_string().contains("not hex"), "{err}");
    assert_eq!(
        Entra::new("t", "cid", Thumbprint::Sha1(cert.x5t_s256())).err(),
        Some(Error::InvalidField {
            field: "thumbprint",
            reason: "must be the Base64Url digest of the certificate (x5t: 27 chars, x5t#S256: 43 chars), not hex"
        })
    );
    assert_eq!(
        Entra::new("common", "cid", Thumbprint::Sha1(cert.x5t())).err(),
        Some(Error::InvalidField {
            field: "tenant",
            reason: "client credentials need a specific tenant id or domain, not common/organizations/consumers"
        })
    );
    assert_eq!(
        Entra::new("a/b", "cid", Thumbprint::Sha1(cert.x5t())).err(),
        Some(Error::InvalidField {
            field: "tenant",
            reason: "must be a tenant GUID or a domain name"
        })
    );
    let us = Entra::with_authority(
        "https://login.microsoftonline.us",
        "t1",
        "cid",
        Thumbprint::Sha1(cert.x5t()),
    )
    .unwrap();
    assert_eq!(
        us.token_url(),
        Some("https://login.microsoftonline.us/t1/oauth2/v2.0/token")
    );
    assert_eq!(us.algorithm(), jwtmint::Algorithm::Rs256);
    // Entra requires a `jti`: the claims refuse none, the mint path draws one.
    assert_eq!(
        e.claims(1000, None).unwrap_err(),
        Error::InvalidField {
            field: "jti",
            reason: "required by Entra"
        }
    );
    assert_eq!(e.limits().jti, jwtmint::profiles::Jti::Required);
    let key = demo_key();
    let mut out = [0u8; 1200];
    let n = mint_profile(&e, &key, 1000, None, &mut out).unwrap();
    assert_eq!(n, mint_profile_len(&e, &key, 1000, None).unwrap());
    // The client-credentials request carries the scope only when configured.
    let scoped = e.clone().with_scope("api://x/.default").unwrap();
    assert_eq!(
        scoped.token_request().unwrap().params.as_slice(),
        &[
            ("client_id", "cid"),
            ("scope", "api://x/.default"),
            ("grant_type", "client_credentials")
        ]
    );
    assert_eq!(
        e.token_request().unwrap().params.as_slice(),
        &[("client_id", "cid"), ("grant_type", "client_credentials")]
    );
    // UUID v4 shape.
    let mut buf = [0u8; 36];
    let u = jwtmint::profiles::uuid_v4(&mut getrandom::SysRng, &mut buf)
        .unwrap()
        .to_owned();
    assert_eq!(u.len(), 36);
    assert_eq!(&u[14..15], "4");
    assert!(matches!(&u[19..20], "8" | "9" | "a" | "b"), "{u}");
    assert_eq!(u.matches('-').count(), 4);
}

#[test]
fn generic_rfc7523() {
    assert_eq!(
        Rfc7523::grant("", "s", "a").unwrap_err(),
        Error::InvalidField {
            field: "iss",
            reason: "must not be empty"
        }
    );
    let g = Rfc7523::grant("i", "s", "a").unwrap();
    assert_eq!(g.with_lifetime(0).unwrap_err(), Error::LifetimeNotPositive);
    let c = g.claims(1, None).unwrap();
    assert_eq!((c.iat, c.exp, c.jti), (Some(1), Some(301), None));
    Rfc7523::check(&c).unwrap();
    assert_eq!(g.token_url(), Some("a"));
    let a = Rfc7523::client_assertion("cid", "https://as/token").unwrap();
    assert_eq!(a.limits().jti, jwtmint::profiles::Jti::Required);
    let c = a.claims(1, Some("j1")).unwrap();
    assert_eq!(
        (c.iss, c.sub, c.jti),
        (Some("cid"), Some("cid"), Some("j1"))
    );
    Rfc7523::check(&c).unwrap();
    // Identity: the same grant hashes the same at any time; another subject differs.
    let id = |p: &dyn Profile| {
        let mut h = std::collections::hash_map::DefaultHasher::new();
        p.identity(&mut h);
        std::hash::Hasher::finish(&h)
    };
    assert_eq!(id(&g), id(&Rfc7523::grant("i", "s", "a").unwrap()));
    assert_ne!(id(&g), id(&Rfc7523::grant("i", "s2", "a").unwrap()));
    assert_ne!(id(&g), id(&a));
    let missing = jwtmint::Claims::new().iss("i").sub("s").exp(5);
    assert_eq!(
        Rfc7523::check(&missing).unwrap_err(),
        Error::InvalidField {
            field: "aud",
            reason: "required by RFC 7523 §3"
        }
    );
}

#[test]
#[cfg_attr(
    target_os = "wasi",
    ignore = "WASI preview 1 has no processes and no temp dir; runs natively and under qemu"
)]
fn python_checks_profiles_with_provider_rules() {
    let Some(mut python) = common::peers::python(
        "profiles (PyJWT, cryptography, google-auth)",
        &[
            "jwt",
            "cryptography",
            "google.auth",
            "google.oauth2.service_account",
        ],
    ) else {
        return;
    };
    let key = demo_key();
    let cert = demo_cert();
    let now = jwtmint::time::now().unwrap();
    let dir = std::env::temp_dir().join(format!("jwtmint-profiles-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let cases = dir.join("cases.jsonl");
    let mut f = std::fs::File::create(&cases).unwrap();
    let mut count = 0;
    let mut out = [0u8; 2048];

    for (login, aud, lifetime) in [
        (Login::Production, "https://login.salesforce.com", 180),
        (Login::Sandbox, "https://test.salesforce.com", 60),
        (
            Login::Custom("https://acme.my.salesforce.com"),
            "https://acme.my.salesforce.com",
            90,
        ),
    ] {
        let sf = Salesforce::new("3MVG9.consumer+key/=", "user+tag@example.com", login)
            .unwrap()
            .with_lifetime(lifetime)
            .unwrap();
        let n = mint_profile(&sf, &key, now, None, &mut out).unwrap();
        let tok = std::str::from_utf8(&out[..n]).unwrap();
        writeln!(f, "{}", json!({"kind": "salesforce", "jwt": tok, "aud": aud, "iss": "3MVG9.consumer+key/=", "sub": "user+tag@example.com", "now": now})).unwrap();
        let mut body = [0u8; 2048];
        let m = sf
            .token_request()
            .unwrap()
            .write_body(tok, &mut body)
            .unwrap();
        writeln!(f, "{}", json!({"kind": "form", "body": std::str::from_utf8(&body[..m]).unwrap(),
            "params": [["grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer"], ["assertion", tok]]})).unwrap();
        count += 2;
    }

    let sa_path = root().join("tests/data/demo-service-account.json");
    let sa = ServiceAccount::from_json(&std::fs::read(&sa_path).unwrap()).unwrap();
    let scope_sets: [&[&str]; 2] = [
        &["https://www.googleapis.com/auth/devstorage.read_only"],
        &[
            "https://www.googleapis.com/auth/cloud-platform",
            "https://www.googleapis.com/auth/userinfo.email",
        ],
    ];
    for (i, scopes) in scope_sets.iter().enumerate() {
        let mut g = Google::new(&sa, scopes).unwrap();
        if i == 1 {
            g = g.with_subject("admin@example.com").unwrap();
        }
        let n = mint_profile(&g, sa.key(), now, None, &mut out).unwrap();
        let mut case = json!({"kind": "google", "jwt": std::str::from_utf8(&out[..n]).unwrap(), "sa_path": sa_path,
            "scopes": scopes, "token_uri": sa.token_uri(), "lifetime": 3600});
        if i == 1 {
            case["sub"] = json!("admin@example.com");
        }
        writeln!(f, "{case}").unwrap();
        count += 1;
    }

    let cert_path = root().join("examples/keys/demo-cert.pem");
    for (thumb, alg) in [
        (Thumbprint::Sha256(cert.x5t_s256()), "PS256"),
        (Thumbprint::Sha1(cert.x5t()), "RS256"),
    ] {
        let e = Entra::new(
            "contoso.onmicrosoft.com",
            "97e0a5b7-d745-40b6-94fe-5f77d35c6e05",
            thumb,
        )
        .unwrap()
        .with_scope("https://graph.microsoft.com/.default")
        .unwrap();
        assert_eq!(e.algorithm().as_str(), alg);
        let n = mint_profile(&e, &key, now, None, &mut out).unwrap();
        let tok = std::str::from_utf8(&out[..n]).unwrap().to_owned();
        writeln!(f, "{}", json!({"kind": "entra", "jwt": tok, "aud": e.token_url(), "client_id": "97e0a5b7-d745-40b6-94fe-5f77d35c6e05",
            "cert_path": cert_path, "alg": alg, "random_jti": true})).unwrap();
        let mut body = [0u8; 2048];
        let m = e
            .token_request()
            .unwrap()
            .write_body(&tok, &mut body)
            .unwrap();
        writeln!(f, "{}", json!({"kind": "form", "body": std::str::from_utf8(&body[..m]).unwrap(), "params": [
            ["client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"], ["client_assertion", tok],
            ["client_id", "97e0a5b7-d745-40b6-94fe-5f77d35c6e05"], ["scope", "https://graph.microsoft.com/.default"],
            ["grant_type", "client_credentials"]]})).unwrap();
        count += 2;
    }

    // Form encoding of awkward values: + / = & space, non-ASCII, empty, reserved.
    let awkward = [
        ("a+b", "c/d=e&f g"),
        ("ünï", "漢字 😀"),
        ("empty", ""),
        ("x", "~!*'();:@$,?#[]%"),
        ("k", "+ +"),
    ];
    let m = jwtmint::form::write_form(&awkward, &mut out).unwrap();
    writeln!(
        f,
        "{}",
        json!({"kind": "form", "body": std::str::from_utf8(&out[..m]).unwrap(), "params": awkward})
    )
    .unwrap();
    count += 1;
    drop(f);

    let res = python
        .arg(root().join("tests/py/profiles_check.py"))
        .arg(&cases)
        .arg(root().join("examples/keys/demo-key.pub.pem"))
        .arg(&cert_path)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&res.stdout);
    assert!(
        res.status.success(),
        "profile checks failed (pip install pyjwt cryptography google-auth?):\n{stdout}\n{}",
        String::from_utf8_lossy(&res.stderr)
    );
    assert_eq!(stdout.trim(), format!("{count} checked"));
    std::fs::remove_dir_all(&dir).ok();
}

/// Issue 12 item 13: a negative `now` is refused by every profile mint
/// (Salesforce with `now = -5` used to mint `exp = 175`).
#[test]
fn negative_now_is_refused_by_every_profile_mint() {
    let key = demo_key();
    let sf = Salesforce::new("ck", "u@example.com", Login::Production).unwrap();
    let want = Err(Error::NegativeTimestamp {
        claim: "now",
        value: -5,
    });
    let mut out = [0u8; 2048];
    assert_eq!(mint_profile(&sf, &key, -5, None, &mut out), want);
    assert_eq!(mint_profile_len(&sf, &key, -5, None), want);
    assert_eq!(
        jwtmint::profiles::mint_profile_string(&sf, &key, -5, None).map(|s| s.len()),
        want
    );
    assert!(mint_profile(&sf, &key, 0, None, &mut out).is_ok());
}
