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

/// A device key for the session core: RS256, unblinded (this crate has no
/// RNG to lend the signer; firmware with a TRNG implements `JwsKey` over a
/// blinded signer instead).
pub struct DeviceKey(pub SigningKey);

impl jwtmint::signer::JwsKey for DeviceKey {
    type Signer<'k> = jwtmint::RsaSigner<'k, jwtmint::NoRng>;

    fn signer(&self, alg: Algorithm) -> Result<Self::Signer<'_>, Error> {
        match alg {
            Algorithm::Rs256 => Ok(self.0.rs256_unblinded()),
            _ => Err(Error::UnsupportedAlgorithm),
        }
    }
}

/// The sans-IO session core in the same `#![no_std]` crate: the first poll
/// asks for a token request, `response` answers it; returns the expiry the
/// session stored.
pub fn session_round_trip(key_der: &[u8], now: i64, response: &[u8]) -> Result<i64, Error> {
    use jwtmint::profiles::Rfc7523;
    use jwtmint::session::{Action, Config, Outcome, Session};

    let key = DeviceKey(SigningKey::from_pkcs8_der(key_der)?);
    let profile = Rfc7523::grant(
        "device-42",
        "device-42",
        "https://login.example.com/oauth2/token",
    )?;
    let mut s: Session<&Rfc7523<'_>, &DeviceKey, 512, 1024> =
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
