//! The short name is the safe one (issue 12, items 11 and 12): `verify`
//! requires and checks `exp`; NumericDates in milliseconds are refused.
#![cfg(feature = "std")] // keys and signing need `std` (`alloc` + OS RNG)
#![allow(clippy::unwrap_used)]

use jwtmint::validate::Validation;
use jwtmint::{
    Algorithm, Claims, Error, Header, HeaderTemplate, PublicKey, SigningKey, VerifyingKey,
};

/// RS256 by the demo key, `{"iss":"x","exp":1700000180000}` (made with PyJWT).
const MS_EXP: &str = "eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiJ4IiwiZXhwIjoxNzAwMDAwMTgwMDAwfQ.F0qDlDoy-XWGK9PPp9pIJrxiPNeTimrSD_xxak4beGD_FUQJ2R0mx6I1YbD5MVc4N_Th8SGcb7hsnBoSFH0WDprPXM2PVuVY-QSrsGzJ5NcMRhx_gCIXGPvqUkyeJkY4s_y-jgKP6UaPrljoVuyAQEMWfBZsct1hJlk7G3pPm6VtsareGyONjEVqXpdZBorKeP36-2mC9lSpLt85wSGNkQ0aJAYUFiBrSN_qDbrEyZzbuPkEJILjl4ZhjjoZPlvAsR4_-6HboZ_bLd_f3SeuJm4WsZAVE1ZaV6L_jGuo1uezKogB0henEpa-XsblI77cvjM2PBBe8iA5X6Alcn07Ig";
/// `{"iss":"x","exp":1700000180,"iat":1700000000000}`.
const MS_IAT: &str = "eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJ4IiwiZXhwIjoxNzAwMDAwMTgwLCJpYXQiOjE3MDAwMDAwMDAwMDB9.YnTjvo3Nl0OW1ghGs-CoI-Uenx3GiePbYL3CMh52EjDARViLHUj4eHtJqGaW0xsULyDza1dHG9ZPxlgKxAZO1yGweVH2K_C9JrBGqi3JKJx7R9Nt1N4V4r1bDR4hDITvEcj5V2xGwN4vJ7CIctHsowaLRoXEw9VgIVOygsFXG-xKUlytuex8TKPQ9qEuKwaLXSFUg8e41hN2d0CbN72PAMFP8HTnFos5UnVB-28zyopSDOFr5xCypKHWgqnNXUoQ4KlCRAQjj1nMHXpH2ZhOqubzw8mbZQw-mrsPhcSjJBGyaYXhMPPHatvS4whOLN47S_O5H5DXQEQ0q97CSlgr1g";

fn key() -> (SigningKey, VerifyingKey) {
    let sk = SigningKey::from_pem(include_str!("../examples/keys/demo-key.pem")).unwrap();
    let vk = VerifyingKey::new(PublicKey::from(&sk), Algorithm::Rs256);
    (sk, vk)
}

fn mint(sk: &SigningKey, claims: &Claims<'_>) -> String {
    let tpl = HeaderTemplate::new(&Header::new(Algorithm::Rs256)).unwrap();
    jwtmint::mint_string(
        &mut sk.signer(jwtmint::Algorithm::Rs256).unwrap(),
        &tpl,
        claims,
    )
    .unwrap()
}

#[test]
fn verify_requires_and_checks_exp() {
    let (sk, vk) = key();
    let mut buf = [0u8; 1024];
    let no_exp = mint(&sk, &Claims::new().iss("x"));
    assert_eq!(
        vk.verify(no_exp.as_bytes(), &mut buf, &Validation::new(), 100)
            .unwrap_err(),
        Error::MissingClaim { claim: "exp" }
    );
    // Opting out is explicit.
    let lax = Validation::new().allow_missing_exp(true);
    assert!(vk.verify(no_exp.as_bytes(), &mut buf, &lax, 100).is_ok());
    let expired = mint(&sk, &Claims::new().iss("x").exp(100));
    assert_eq!(
        vk.verify(expired.as_bytes(), &mut buf, &Validation::new(), 100)
            .unwrap_err(),
        Error::Expired { exp: 100, now: 100 }
    );
    assert!(
        vk.verify(expired.as_bytes(), &mut buf, &Validation::new(), 99)
            .is_ok()
    );
    // The signature-only step says so, and skips the claims.
    assert!(
        vk.verify_signature_only(expired.as_bytes(), &mut buf)
            .is_ok()
    );
    assert!(
        vk.verify_signature_only(no_exp.as_bytes(), &mut buf)
            .is_ok()
    );
}

#[test]
fn verify_refuses_numeric_dates_in_milliseconds() {
    let (_, vk) = key();
    let mut buf = [0u8; 1024];
    let now = 1_700_000_000;
    assert_eq!(
        vk.verify(MS_EXP.as_bytes(), &mut buf, &Validation::new(), now)
            .unwrap_err(),
        Error::TimestampInMilliseconds {
            claim: "exp",
            value: 1_700_000_180_000
        }
    );
    assert_eq!(
        vk.verify(MS_IAT.as_bytes(), &mut buf, &Validation::new(), now)
            .unwrap_err(),
        Error::TimestampInMilliseconds {
            claim: "iat",
            value: 1_700_000_000_000
        }
    );
    // The same error as minting.
    let (sk, _) = key();
    let tpl = HeaderTemplate::new(&Header::new(Algorithm::Rs256)).unwrap();
    assert_eq!(
        jwtmint::mint_string(
            &mut sk.signer(jwtmint::Algorithm::Rs256).unwrap(),
            &tpl,
            &Claims::new().exp(1_700_000_180_000)
        )
        .unwrap_err(),
        Error::TimestampInMilliseconds {
            claim: "exp",
            value: 1_700_000_180_000
        }
    );
}
