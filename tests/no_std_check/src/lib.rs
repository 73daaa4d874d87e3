//! A `#![no_std]` crate that mints an RS256 assertion with jwtmint
//! (`default-features = false, features = ["alloc"]`). CI builds it for
//! `thumbv7em-none-eabihf`; the host test runs it.
#![no_std]

use jwtmint::{Algorithm, Claims, Error, Header, HeaderTemplate, SigningKey};
use rand_core::TryCryptoRng;

/// Parses a PKCS#8 DER key and mints one assertion into `out`, blinded with
/// the caller's RNG (firmware passes its hardware TRNG).
pub fn mint_assertion<R: TryCryptoRng + ?Sized>(
    key_der: &[u8],
    rng: &mut R,
    now: i64,
    out: &mut [u8],
) -> Result<usize, Error> {
    let key = SigningKey::from_pkcs8_der(key_der)?;
    let header = HeaderTemplate::new(&Header::new(Algorithm::Rs256))?;
    let claims = Claims::new()
        .iss("device-42")
        .sub("device-42")
        .aud("https://login.example.com/oauth2/token")
        .iat(now)
        .exp(now + 300);
    jwtmint::mint(&mut key.rs256_with_rng(rng), &header, &claims, out)
}
