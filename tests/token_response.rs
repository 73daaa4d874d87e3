//! Token-endpoint responses (fixtures from tests/data/vectors/providers/*.md).
//! (How the session keeps the token — expiry sources, refresh-ahead, the
//! clock going backwards — is tested in `src/cache.rs` and tests/session.rs.)
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use jwtmint::{Error, JsonPart, TokenResponse};

/// The first fenced code block of a provider file that starts with `{`.
fn fenced_json(md: &str) -> String {
    let mut blocks = md.split("```").skip(1).step_by(2);
    blocks
        .find(|b| b.trim_start().starts_with('{'))
        .unwrap()
        .trim()
        .to_string()
}

/// The inline `...` JSON after `prefix` on a line of a provider file.
fn inline_json(md: &str, prefix: &str) -> String {
    let line = md.lines().find(|l| l.starts_with(prefix)).unwrap();
    let start = line.find('`').unwrap() + 1;
    let end = start + line[start..].find('`').unwrap();
    line[start..end].to_string()
}

#[test]
fn salesforce_success_fixture() {
    let body = fenced_json(&common::read_str("providers/salesforce.md"));
    let r = TokenResponse::parse(body.as_bytes()).unwrap();
    assert!(!r.is_error());
    assert!(
        r.access_token
            .unwrap()
            .as_str()
            .unwrap()
            .starts_with("00Dxx0000001gPL!AR8AQ")
    );
    assert_eq!(r.scope.unwrap().as_str(), Some("web openid api id"));
    assert_eq!(
        r.instance_url.unwrap().as_str(),
        Some("https://yourInstance.salesforce.com")
    );
    assert!(
        r.id.unwrap()
            .as_str()
            .unwrap()
            .ends_with("/005xx000001SwiUAAS")
    );
    assert_eq!(r.token_type.unwrap().as_str(), Some("Bearer"));
    assert_eq!(r.expires_in, None);
    assert_eq!(r.refresh_token, None);
}

#[test]
fn salesforce_issued_at_and_signature() {
    // Other Salesforce flows add issued_at (a string of milliseconds) and signature.
    let body = br#"{"access_token":"00D!AR8","signature":"Ww4Ls3TxFCf2+ZL9d0Ke6QLRmjt8Gw5FkW6R/j+NmWg=","scope":"api","instance_url":"https://x.my.salesforce.com","id":"https://login.salesforce.com/id/00D/005","token_type":"Bearer","issued_at":"1700000000123"}"#;
    let r = TokenResponse::parse(body).unwrap();
    assert_eq!(r.issued_at_ms, Some(1_700_000_000_123));
    assert!(
        r.signature
            .unwrap()
            .eq_str("Ww4Ls3TxFCf2+ZL9d0Ke6QLRmjt8Gw5FkW6R/j+NmWg=")
    );
}

#[test]
fn salesforce_error_fixtures() {
    let md = common::read_str("providers/salesforce.md");
    let errs: Vec<&str> = md
        .lines()
        .filter(|l| l.starts_with("- `{\"error\""))
        .map(|l| &l[3..3 + l[3..].find('`').unwrap()])
        .collect();
    assert_eq!(errs.len(), 2);
    for e in errs {
        let r = TokenResponse::parse(e.as_bytes()).unwrap();
        assert!(r.is_error());
        assert!(r.error.unwrap().eq_str("invalid_grant"));
        assert!(r.error_description.is_some());
        assert_eq!(r.access_token, None);
    }
}

#[test]
fn google_fixture() {
    let md = common::read_str("providers/google.md");
    let published = fenced_json(&md);
    // The published sample lacks a comma after "scope" (google.md says so): not JSON.
    assert!(matches!(
        TokenResponse::parse(published.as_bytes()),
        Err(Error::InvalidJson {
            part: JsonPart::TokenResponse,
            ..
        })
    ));
    let fixed = published.replace(
        "\"https://www.googleapis.com/auth/prediction\"\n",
        "\"https://www.googleapis.com/auth/prediction\",\n",
    );
    let r = TokenResponse::parse(fixed.as_bytes()).unwrap();
    assert_eq!(r.expires_in, Some(3600));
    assert_eq!(
        r.access_token.unwrap().as_str(),
        Some("1/8xbJqaOZXSUZbHLl5EOtu1pxz3fmmetKx9W8CV4t79M")
    );
    // google-auth tolerates expires_in as a string; so do we.
    let r = TokenResponse::parse(
        br#"{"access_token":"ya29.a0","expires_in":"3599","token_type":"Bearer"}"#,
    )
    .unwrap();
    assert_eq!(r.expires_in, Some(3599));
    // Integral floats, as a number or a string, are their integer.
    for body in [
        &br#"{"access_token":"a","expires_in":3600.0}"#[..],
        br#"{"access_token":"a","expires_in":"3600.00"}"#,
    ] {
        assert_eq!(TokenResponse::parse(body).unwrap().expires_in, Some(3600));
    }
    let r = TokenResponse::parse(
        br#"{"error":"invalid_grant","error_description":"Invalid JWT Signature."}"#,
    )
    .unwrap();
    assert!(r.is_error());
}

#[test]
fn entra_fixtures() {
    let md = common::read_str("providers/microsoft_entra.md");
    let ok = inline_json(&md, "Success: ");
    let r = TokenResponse::parse(ok.as_bytes()).unwrap();
    assert_eq!(r.expires_in, Some(3599));
    assert!(r.token_type.unwrap().eq_str("Bearer"));
    let err = inline_json(&md, "Error (400): ");
    let r = TokenResponse::parse(err.as_bytes()).unwrap();
    assert!(r.error.unwrap().eq_str("invalid_scope"));
    assert_eq!(r.get("error_codes"), Some("[70011]"));
    // RFC 6749 §5.1 full shape with Entra's ext_expires_in and an escaped URL.
    let full = br#"{"token_type":"Bearer","scope":"https:\/\/graph.microsoft.com\/.default","expires_in":3599,"ext_expires_in":3599,"access_token":"eyJ0eXAi","refresh_token":"0.AAA","error_uri":null}"#;
    let r = TokenResponse::parse(full).unwrap();
    assert_eq!(r.ext_expires_in, Some(3599));
    assert!(r.scope.unwrap().is_escaped());
    assert!(
        r.scope
            .unwrap()
            .eq_str("https://graph.microsoft.com/.default")
    );
    assert!(r.refresh_token.unwrap().eq_str("0.AAA"));
    assert_eq!(r.error_uri, None);
    // RFC 6749 §5.2 error with error_uri.
    let r = TokenResponse::parse(
        br#"{"error":"invalid_client","error_description":"bad","error_uri":"https://e.example/x"}"#,
    )
    .unwrap();
    assert!(r.error_uri.unwrap().eq_str("https://e.example/x"));
}

#[test]
fn truncated_bodies_are_refused_never_panic() {
    let md = common::read_str("providers/salesforce.md");
    let full = fenced_json(&md);
    for cut in 0..full.len() {
        let Some(prefix) = full.get(..cut) else {
            continue;
        };
        // The error is at the end of the prefix, or at the closing quote when
        // the prefix ends with a complete string member value (the fixture
        // has no `\"`).
        let closed = prefix.ends_with('"') && prefix.matches('"').count() % 2 == 0;
        let value = closed
            && prefix[..cut - 1]
                .rfind('"')
                .is_some_and(|open| prefix[..open].trim_end().ends_with(':'));
        let want = if value { cut - 1 } else { cut };
        assert_eq!(
            TokenResponse::parse(prefix.as_bytes()).err(),
            Some(Error::InvalidJson {
                part: JsonPart::TokenResponse,
                offset: want
            }),
            "{cut}"
        );
    }
    // Cut inside a UTF-8 sequence.
    let b = "{\"access_token\":\"é\"}".as_bytes();
    assert_eq!(TokenResponse::parse(&b[..18]), Err(Error::InvalidUtf8));
}

#[test]
fn hostile_bodies() {
    let tr = JsonPart::TokenResponse;
    let cases: &[(&[u8], Error)] = &[
        (
            b"",
            Error::InvalidJson {
                part: tr,
                offset: 0,
            },
        ),
        (b"[]", Error::NotJsonObject { part: tr }),
        (b"\"access_token\"", Error::NotJsonObject { part: tr }),
        (b"{}", Error::NotATokenResponse),
        (br#"{"token_type":"Bearer"}"#, Error::NotATokenResponse),
        (
            br#"{"access_token":"a","access_token":"b"}"#,
            Error::DuplicateMember {
                part: tr,
                offset: 20,
            },
        ),
        (
            br#"{"access_token":"a","access\u005ftoken":"b"}"#,
            Error::DuplicateMember {
                part: tr,
                offset: 20,
            },
        ),
        (
            b"\xef\xbb\xbf{\"access_token\":\"a\"}",
            Error::InvalidJson {
                part: tr,
                offset: 0,
            },
        ),
        (
            br#"{"access_token":"a"} x"#,
            Error::InvalidJson {
                part: tr,
                offset: 21,
            },
        ),
        (
            br#"{"access_token":"a"}{}"#,
            Error::InvalidJson {
                part: tr,
                offset: 20,
            },
        ),
        (
            br#"{"access_token":"a","x":tru}"#,
            Error::InvalidJson {
                part: tr,
                offset: 24,
            },
        ),
        (
            br#"{"access_token":"a","x":01}"#,
            Error::InvalidJson {
                part: tr,
                offset: 25,
            },
        ),
        (
            br#"{"access_token":"\ud800"}"#,
            Error::InvalidJson {
                part: tr,
                offset: 17,
            },
        ),
        (
            b"{\"access_token\":\"a\x01\"}",
            Error::InvalidJson {
                part: tr,
                offset: 18,
            },
        ),
        (b"{\"access_token\":\"\xc0\xaf\"}", Error::InvalidUtf8),
        (
            br#"{"access_token":1}"#,
            Error::InvalidMemberType {
                part: tr,
                name: "access_token",
            },
        ),
        (
            br#"{"access_token":"a","expires_in":-1}"#,
            Error::InvalidMemberType {
                part: tr,
                name: "expires_in",
            },
        ),
        (
            br#"{"access_token":"a","expires_in":3600.5}"#,
            Error::InvalidMemberType {
                part: tr,
                name: "expires_in",
            },
        ),
        (
            br#"{"access_token":"a","expires_in":"3600."}"#,
            Error::InvalidMemberType {
                part: tr,
                name: "expires_in",
            },
        ),
        (
            br#"{"access_token":"a","expires_in":".0"}"#,
            Error::InvalidMemberType {
                part: tr,
                name: "expires_in",
            },
        ),
        (
            br#"{"access_token":"a","expires_in":1e3}"#,
            Error::InvalidMemberType {
                part: tr,
                name: "expires_in",
            },
        ),
        (
            br#"{"access_token":"a","expires_in":18446744073709551616}"#,
            Error::InvalidMemberType {
                part: tr,
                name: "expires_in",
            },
        ),
        (
            br#"{"access_token":"a","expires_in":"12a"}"#,
            Error::InvalidMemberType {
                part: tr,
                name: "expires_in",
            },
        ),
        (
            br#"{"access_token":"a","issued_at":true}"#,
            Error::InvalidMemberType {
                part: tr,
                name: "issued_at",
            },
        ),
    ];
    for (body, want) in cases {
        assert_eq!(
            TokenResponse::parse(body).as_ref().map(|_| ()),
            Err(want),
            "{}",
            String::from_utf8_lossy(body)
        );
    }
    let deep = format!(
        "{{\"access_token\":\"a\",\"x\":{}{}}}",
        "[".repeat(40),
        "]".repeat(40)
    );
    assert_eq!(
        TokenResponse::parse(deep.as_bytes()),
        Err(Error::JsonTooDeep {
            part: tr,
            limit: jwtmint::parse::MAX_JSON_DEPTH
        })
    );
    let deep = format!(
        "{{\"access_token\":\"a\",\"x\":{}{}}}",
        "[".repeat(100_000),
        "]".repeat(100_000)
    );
    assert_eq!(
        TokenResponse::parse(deep.as_bytes()).err(),
        Some(Error::JsonTooDeep {
            part: tr,
            limit: jwtmint::parse::MAX_JSON_DEPTH
        })
    );
    // Unknown members of every type are ignored (but validated).
    let r = TokenResponse::parse(
        br#"{"a":[1,{"b":null}],"access_token":"t","c":-1.5e-3,"d":{"e":"\u00e9"},"f":false}"#,
    )
    .unwrap();
    assert_eq!(r.access_token.unwrap().as_str(), Some("t"));
}
