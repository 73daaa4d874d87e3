//! Proves the reverse path — JWT parsing, claim validation, token-response
//! parsing and the session storing a token — performs zero heap allocations, with a
//! counting global allocator. One test in this binary, so no other test
//! thread allocates while it counts.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;
#[path = "common/counting_alloc.rs"]
mod counting_alloc;

use counting_alloc::count;

#[cfg(feature = "alloc")]
use jwtmint::profiles::Rfc7523;
#[cfg(feature = "alloc")]
use jwtmint::session::{Action, Config, Outcome, Session};
use jwtmint::{TokenResponse, Validation, parse};

#[global_allocator]
static GLOBAL: counting_alloc::Counting = counting_alloc::Counting;

#[test]
fn parse_paths_allocate_nothing() {
    // Inputs are read (allocating) before counting starts.
    let a2 = common::read("fuzz_seeds/valid_rfc7515_a2_rs256.jws");
    let escaped = common::read("fuzz_seeds/claims_escaped_solidus_SIGNED.jws");
    let hostile = common::read("fuzz_seeds/claims_nested_arrays_depth_10000_SIGNED.jws");
    let dup = common::read("fuzz_seeds/header_duplicate_alg_none_then_rs256_SIGNED.jws");
    let sf = br#"{"access_token":"00Dxx0000001gPL!AR8AQJXg5oj8jXSgxJfA0lBog.39AsX","scope":"web openid api id","instance_url":"https://yourInstance.salesforce.com","id":"https://yourInstance.salesforce.com/id/00Dxx0000001gPLEAY/005xx000001SwiUAAS","token_type":"Bearer","issued_at":"1700000000123","signature":"abc="}"#;
    let entra = br#"{"token_type":"Bearer","scope":"https:\/\/graph.microsoft.com\/.default","expires_in":3599,"ext_expires_in":3599,"access_token":"eyJhbGciOiJSUzI1NiJ9.eyJleHAiOjIwMDB9.c2ln"}"#;
    let err = br#"{"error":"invalid_grant","error_description":"audience is invalid","error_codes":[70011]}"#;
    let mut buf = [0u8; 16 * 1024];

    let (_, n, _) = count(|| parse::split(&a2).unwrap());
    assert_eq!(n, 0, "split");
    let (_, n, _) = count(|| {
        let jwt = parse::parse_jwt(&a2, &mut buf).unwrap();
        assert_eq!(jwt.claims.exp, Some(1_300_819_380));
        let _ = jwt.claims.get("http://example.com/is_root");
        jwt.claims.members().count()
    });
    assert_eq!(n, 0, "parse_jwt (RFC 7515 A.2)");
    let (_, n, _) = count(|| {
        let jwt = parse::parse_jwt(&escaped, &mut buf).unwrap();
        let aud = jwt.claims.aud.unwrap();
        let mut tmp = [0u8; 256];
        let first = aud.iter().next().unwrap();
        let _ = first.unescape_into(&mut tmp).unwrap();
        assert!(aud.contains(first.to_string_no_alloc(&mut tmp)));
    });
    assert_eq!(n, 0, "parse_jwt with escaped strings + unescape");
    let (_, n, _) = count(|| parse::parse_jwt(&hostile, &mut buf).unwrap_err());
    assert_eq!(n, 0, "10000-deep nesting refused");
    let (_, n, _) = count(|| parse::parse_jwt(&dup, &mut buf).unwrap_err());
    assert_eq!(n, 0, "duplicate member refused");
    let (_, n, _) = count(|| {
        let c = parse::parse_jwt(&a2, &mut buf).unwrap().claims;
        Validation::new()
            .issuer("joe")
            .leeway(60)
            .validate(&c, 1_300_819_000)
            .unwrap();
    });
    assert_eq!(n, 0, "claim validation");

    let (_, n, _) = count(|| TokenResponse::parse(sf).unwrap());
    assert_eq!(n, 0, "Salesforce token response");
    let (_, n, _) = count(|| TokenResponse::parse(entra).unwrap());
    assert_eq!(n, 0, "Entra token response");
    let (_, n, _) = count(|| TokenResponse::parse(err).unwrap());
    assert_eq!(n, 0, "error response");
    let (_, n, _) = count(|| TokenResponse::parse(&sf[..100]).unwrap_err());
    assert_eq!(n, 0, "truncated response");

    // The session storing an answer (expires_in; Salesforce: no expiry, the
    // fallback lifetime; a JWT access token: its exp) and handing it out.
    // The request is minted (RSA allocates) before counting.
    #[cfg(feature = "alloc")]
    {
        let key =
            jwtmint::SigningKey::from_pem(include_str!("../examples/keys/demo-key.pem")).unwrap();
        let p = Rfc7523::grant("client", "user", "https://as.example/token").unwrap();
        let jwt = br#"{"access_token":"eyJhbGciOiJSUzI1NiJ9.eyJleHAiOjIwMDB9.c2ln"}"#;
        for body in [&entra[..], &sf[..], &jwt[..]] {
            let mut s: Session<_, _> = Session::new(&p, &key, Config::new());
            let Action::Fetch(f) = s.poll(1000) else {
                panic!("no fetch")
            };
            let ticket = f.ticket;
            let (done, n, _) = count(|| {
                let stored = matches!(s.complete(1000, ticket, 200, body), Outcome::Stored { .. });
                (stored, matches!(s.poll(1001), Action::Use(_)))
            });
            assert_eq!(done, (true, true));
            assert_eq!(n, 0, "session storing a token response");
        }
    }
}

trait NoAllocString {
    fn to_string_no_alloc<'b>(&self, tmp: &'b mut [u8]) -> &'b str;
}

impl NoAllocString for jwtmint::JsonStr<'_> {
    fn to_string_no_alloc<'b>(&self, tmp: &'b mut [u8]) -> &'b str {
        self.unescape_into(tmp).unwrap()
    }
}
