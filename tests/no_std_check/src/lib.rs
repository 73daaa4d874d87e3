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
    jwtmint::mint(
        &mut key.signer_with_rng(Algorithm::Rs256, rng)?,
        &header,
        &claims,
        out,
    )
}

/// The same grant through a profile, the key lent the caller's RNG as a
/// `JwsKey` (`SigningKey::with_rng`): profiles and sessions take it with no
/// adapter of this crate's own.
pub fn mint_profile_with_rng<R: TryCryptoRng>(
    key_der: &[u8],
    rng: R,
    now: i64,
    out: &mut [u8],
) -> Result<usize, Error> {
    let key = SigningKey::from_pkcs8_der(key_der)?;
    let profile = jwtmint::profiles::Rfc7523::grant(
        "device-42",
        "device-42",
        "https://login.example.com/oauth2/token",
    )?;
    jwtmint::profiles::mint_profile(&profile, &key.with_rng(rng), now, None, out)
}

/// Without `std` there is no OS RNG: an RSA key's plain `signer` refuses
/// (`Rng`) rather than signing unblinded.
pub fn rsa_signer_without_rng(key_der: &[u8]) -> Result<(), Error> {
    let key = SigningKey::from_pkcs8_der(key_der)?;
    key.signer(Algorithm::Rs256).map(|_| ())
}

/// The reverse path in the same `#![no_std]` crate: verifies `token` with the
/// public half of the PKCS#8 DER key, checks its claims at `now`, then parses
/// the token-endpoint `response` and returns when its access token expires
/// (keeping the token is the session core's job: `session_round_trip`).
pub fn verify_and_parse(
    key_der: &[u8],
    token: &[u8],
    response: &[u8],
    now: i64,
) -> Result<i64, Error> {
    use jwtmint::{PublicKey, TokenResponse, Validation, VerifyingKey};

    let key = SigningKey::from_pkcs8_der(key_der)?;
    let vk = VerifyingKey::new(PublicKey::from(&key), Algorithm::Rs256);
    let mut buf = [0u8; 1024];
    let policy = Validation::new()
        .audience("https://login.example.com/oauth2/token")
        .issuer("device-42");
    vk.verify(token, &mut buf, &policy, now)?;

    let r = TokenResponse::parse(response)?;
    if r.access_token.is_none() {
        return Err(Error::NotATokenResponse);
    }
    let secs = r.expires_in.ok_or(Error::MissingClaim {
        claim: "expires_in",
    })?;
    Ok(now.saturating_add(i64::try_from(secs).unwrap_or(i64::MAX)))
}

/// The sans-IO session core in the same `#![no_std]` crate: the first poll
/// asks for a token request, `response` answers it; returns the expiry the
/// session stored.
pub fn session_round_trip(key_der: &[u8], now: i64, response: &[u8]) -> Result<i64, Error> {
    use jwtmint::profiles::Rfc7523;
    use jwtmint::session::{Action, Config, Outcome, Session};

    // This crate has no RNG to lend (firmware with a TRNG passes
    // `key.with_rng(trng)`): the explicitly unblinded key, a `JwsKey` of
    // the library's own.
    let key = SigningKey::from_pkcs8_der(key_der)?;
    let key = key.unblinded();
    let profile = Rfc7523::grant(
        "device-42",
        "device-42",
        "https://login.example.com/oauth2/token",
    )?;
    let mut s: Session<&Rfc7523<'_>, &jwtmint::keys::Unblinded<'_>, 512, 1024> =
        Session::new(&profile, &key, Config::new());
    let ticket = match s.poll(now) {
        Action::Fetch(f) => f.ticket,
        _ => return Err(Error::NotATokenResponse),
    };
    match s.complete(now, ticket, 200, response) {
        Outcome::Stored { expires_at } => Ok(expires_at),
        _ => Err(Error::NotATokenResponse),
    }
}
