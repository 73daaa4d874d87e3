//! Claim validation policy: exp/nbf/iat with leeway, aud/iss/sub, max lifetime.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use jwtmint::parse::parse_claims;
use jwtmint::{Error, Validation};

#[test]
fn exp_nbf_iat_with_leeway() {
    let c = parse_claims(br#"{"exp":1000,"nbf":900,"iat":900}"#).unwrap();
    let p = Validation::new();
    assert_eq!(p.validate(&c, 900), Ok(()));
    assert_eq!(p.validate(&c, 999), Ok(()));
    assert_eq!(
        p.validate(&c, 1000),
        Err(Error::Expired {
            exp: 1000,
            now: 1000
        })
    );
    assert_eq!(
        p.validate(&c, 899),
        Err(Error::NotYetValid { nbf: 900, now: 899 })
    );
    let l = p.leeway(30);
    assert_eq!(l.validate(&c, 1029), Ok(()));
    assert_eq!(
        l.validate(&c, 1030),
        Err(Error::Expired {
            exp: 1000,
            now: 1030
        })
    );
    assert_eq!(l.validate(&c, 870), Ok(()));
    assert_eq!(
        l.validate(&c, 869),
        Err(Error::NotYetValid { nbf: 900, now: 869 })
    );
    // iat in the future.
    let c = parse_claims(br#"{"exp":5000,"iat":2000}"#).unwrap();
    assert_eq!(
        p.validate(&c, 1999),
        Err(Error::IssuedInFuture {
            iat: 2000,
            now: 1999
        })
    );
    assert_eq!(p.leeway(1).validate(&c, 1999), Ok(()));
    // Negative leeway counts as 0; huge values saturate.
    assert_eq!(
        p.leeway(-100).validate(&c, 1999),
        Err(Error::IssuedInFuture {
            iat: 2000,
            now: 1999
        })
    );
    let c = parse_claims(br#"{"exp":100000000000,"nbf":0}"#).unwrap();
    assert_eq!(p.leeway(i64::MAX).validate(&c, i64::MAX - 1), Ok(()));
    // nbf - leeway saturates at -i64::MAX, still after i64::MIN.
    assert!(matches!(
        p.leeway(i64::MAX).validate(&c, i64::MIN),
        Err(Error::NotYetValid { .. })
    ));
    assert_eq!(
        p.validate(&c, i64::MAX),
        Err(Error::Expired {
            exp: 100_000_000_000,
            now: i64::MAX
        })
    );
}

#[test]
fn required_claims() {
    let c = parse_claims(br#"{"sub":"x"}"#).unwrap();
    assert_eq!(
        Validation::new().validate(&c, 0),
        Err(Error::MissingClaim { claim: "exp" })
    );
    assert_eq!(
        Validation::new().allow_missing_exp(true).validate(&c, 0),
        Ok(())
    );
    let p = Validation::new().allow_missing_exp(true);
    assert_eq!(
        p.require_iat(true).validate(&c, 0),
        Err(Error::MissingClaim { claim: "iat" })
    );
    assert_eq!(
        p.require_nbf(true).validate(&c, 0),
        Err(Error::MissingClaim { claim: "nbf" })
    );
    assert_eq!(
        p.audience("a").validate(&c, 0),
        Err(Error::MissingClaim { claim: "aud" })
    );
    assert_eq!(
        p.issuer("i").validate(&c, 0),
        Err(Error::MissingClaim { claim: "iss" })
    );
}

#[test]
fn audience_issuer_subject() {
    let c = parse_claims(
        br#"{"aud":["https:\/\/login.salesforce.com","other"],"iss":"3MVG9","sub":"u@example.com","exp":100}"#,
    )
    .unwrap();
    let p = Validation::new();
    assert_eq!(
        p.audience("https://login.salesforce.com").validate(&c, 0),
        Ok(())
    );
    assert_eq!(p.audience("other").validate(&c, 0), Ok(()));
    assert_eq!(
        p.audience("https://test.salesforce.com").validate(&c, 0),
        Err(Error::ClaimMismatch { claim: "aud" })
    );
    assert_eq!(p.audiences(&["nope", "other"]).validate(&c, 0), Ok(()));
    assert_eq!(
        p.audiences(&["nope"]).validate(&c, 0),
        Err(Error::ClaimMismatch { claim: "aud" })
    );
    assert_eq!(
        p.issuer("3MVG9").subject("u@example.com").validate(&c, 0),
        Ok(())
    );
    assert_eq!(
        p.issuer("3MVG8").validate(&c, 0),
        Err(Error::ClaimMismatch { claim: "iss" })
    );
    assert_eq!(
        p.subject("U@example.com").validate(&c, 0),
        Err(Error::ClaimMismatch { claim: "sub" })
    );
    let one = parse_claims(br#"{"aud":"api","exp":100}"#).unwrap();
    assert_eq!(p.audience("api").validate(&one, 0), Ok(()));
    assert_eq!(
        p.audience("ap").validate(&one, 0),
        Err(Error::ClaimMismatch { claim: "aud" })
    );
    // Empty aud array matches nothing.
    let none = parse_claims(br#"{"aud":[],"exp":100}"#).unwrap();
    assert_eq!(
        p.audience("api").validate(&none, 0),
        Err(Error::ClaimMismatch { claim: "aud" })
    );
}

#[test]
fn max_lifetime() {
    let p = Validation::new().max_lifetime(180);
    let c = parse_claims(br#"{"exp":1180,"iat":1000}"#).unwrap();
    assert_eq!(p.validate(&c, 1000), Ok(()));
    let c = parse_claims(br#"{"exp":1181,"iat":1000}"#).unwrap();
    assert_eq!(
        p.validate(&c, 1000),
        Err(Error::LifetimeTooLong {
            lifetime: 181,
            max: 180
        })
    );
    // Without iat: measured from now.
    let c = parse_claims(br#"{"exp":1181}"#).unwrap();
    assert_eq!(
        p.validate(&c, 1000),
        Err(Error::LifetimeTooLong {
            lifetime: 181,
            max: 180
        })
    );
    assert_eq!(p.validate(&c, 1001), Ok(()));
    // Google: exp - iat must be <= 3600.
    let g = parse_claims(br#"{"exp":1328554385,"iat":1328550785}"#).unwrap();
    assert_eq!(
        Validation::new()
            .max_lifetime(3600)
            .validate(&g, 1328550785),
        Ok(())
    );
}
