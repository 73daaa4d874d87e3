//! Microsoft Entra ID (identity platform) client assertions — certificate
//! credentials for the client-credentials grant.
//!
//! Rules (learn.microsoft.com, "Microsoft identity platform certificate
//! credentials", 2025 revision): header `alg` PS256 with `x5t#S256` (SHA-256
//! certificate thumbprint) — the legacy form RS256 + `x5t` (SHA-1) is still
//! accepted by Entra and required by ADFS; `aud` = the tenant's token endpoint
//! `https://login.microsoftonline.com/{tenant}/oauth2/v2.0/token`; `iss` =
//! `sub` = the application (client) id; `jti` unique; `nbf`/`iat` = now;
//! `exp` "5-10 minutes after nbf at most" — default 5 minutes, longer than 10
//! refused.
//!
//! ```
//! # #[cfg(feature = "std")] {
//! use jwtmint::profiles::{Entra, Thumbprint};
//! let key = jwtmint::SigningKey::from_pem(include_str!("../../examples/keys/demo-key.pem")).unwrap();
//! let x5t_s256 = "A1bC2dE3fH4iJ5kL6mN7oP8qR9sT0uV1wX2yZ3a4b5c"; // from CertThumbprints
//! let entra = Entra::new("contoso.onmicrosoft.com", "97e0a5b7-d745-40b6-94fe-5f77d35c6e05",
//!                        Thumbprint::Sha256(x5t_s256)).unwrap();
//! let mut out = [0u8; 1200];
//! let n = entra.mint(&mut key.ps256(), 1_700_000_000, "3c5b2c8e-5d0f-4d52-9a3c-1f1f5f6b7a11", &mut out).unwrap();
//! assert_eq!(entra.token_url(), "https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/token");
//! # }
//! ```

use rand_core::TryCryptoRng;

use crate::alg::Algorithm;
use crate::claims::Claims;
use crate::error::{Error, Result};
use crate::header::{Header, HeaderTemplate};
use crate::signer::JwsSigner;

use super::rules::{expiry, non_empty};
use super::url::check_https_url;

/// Default assertion lifetime: 5 minutes.
pub const DEFAULT_LIFETIME: i64 = 300;
/// Longest lifetime accepted: 10 minutes (Microsoft: "5-10 minutes after nbf at most").
pub const MAX_LIFETIME: i64 = 600;
/// The global-cloud authority.
pub const AUTHORITY: &str = "https://login.microsoftonline.com";
/// Capacity for the token-endpoint URL.
pub const AUDIENCE_CAPACITY: usize = 256;
/// Length of a UUID in text form.
pub const UUID_LEN: usize = 36;

/// The certificate thumbprint to put in the header; it picks the algorithm.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Thumbprint<'a> {
    /// `x5t#S256` (43 Base64Url chars) with PS256 — Microsoft's current guidance.
    Sha256(&'a str),
    /// `x5t` (27 Base64Url chars) with RS256 — the legacy form (ADFS).
    Sha1(&'a str),
}

/// An Entra client-assertion profile.
#[derive(Clone, Debug)]
pub struct Entra<'a> {
    client_id: &'a str,
    audience: heapless::String<AUDIENCE_CAPACITY>,
    header: HeaderTemplate,
    lifetime: i64,
}

fn check_thumbprint(v: &str, len: usize) -> Result<()> {
    let ok = v.len() == len
        && v.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    if ok {
        Ok(())
    } else {
        Err(Error::InvalidField {
            field: "thumbprint",
            reason: "must be the Base64Url digest of the certificate (x5t: 27 chars, x5t#S256: 43 chars), not hex",
        })
    }
}

fn check_tenant(tenant: &str) -> Result<()> {
    non_empty("tenant", tenant)?;
    if matches!(tenant, "common" | "organizations" | "consumers") {
        return Err(Error::InvalidField {
            field: "tenant",
            reason: "client credentials need a specific tenant id or domain, not common/organizations/consumers",
        });
    }
    if !tenant
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.')
    {
        return Err(Error::InvalidField {
            field: "tenant",
            reason: "must be a tenant GUID or a domain name",
        });
    }
    Ok(())
}

impl<'a> Entra<'a> {
    /// A profile for the global cloud (`login.microsoftonline.com`).
    ///
    /// # Errors
    /// `InvalidField` for a bad tenant, client id or thumbprint.
    pub fn new(tenant: &str, client_id: &'a str, thumbprint: Thumbprint<'_>) -> Result<Self> {
        Self::with_authority(AUTHORITY, tenant, client_id, thumbprint)
    }

    /// A profile for another authority (e.g. `https://login.microsoftonline.us`).
    ///
    /// # Errors
    /// As [`Entra::new`]; `InvalidAudience` for a bad authority URL.
    pub fn with_authority(
        authority: &str,
        tenant: &str,
        client_id: &'a str,
        thumbprint: Thumbprint<'_>,
    ) -> Result<Self> {
        check_https_url(authority)?;
        check_tenant(tenant)?;
        non_empty("client_id", client_id)?;
        let header = match thumbprint {
            Thumbprint::Sha256(t) => {
                check_thumbprint(t, crate::header::X5T_S256_LEN)?;
                Header::new(Algorithm::Ps256).x5t_s256(t)
            }
            Thumbprint::Sha1(t) => {
                check_thumbprint(t, crate::header::X5T_LEN)?;
                Header::new(Algorithm::Rs256).x5t(t)
            }
        };
        let mut audience = heapless::String::new();
        for part in [authority, "/", tenant, "/oauth2/v2.0/token"] {
            audience
                .push_str(part)
                .map_err(|_| Error::InvalidAudience {
                    reason: "token endpoint longer than 256 bytes",
                })?;
        }
        Ok(Self {
            client_id,
            audience,
            header: HeaderTemplate::new(&header)?,
            lifetime: DEFAULT_LIFETIME,
        })
    }

    /// Sets the lifetime (`exp - nbf`), 1..=600 seconds.
    ///
    /// # Errors
    /// `LifetimeTooLong` above 600 s, `LifetimeNotPositive` below 1.
    pub fn with_lifetime(mut self, seconds: i64) -> Result<Self> {
        super::rules::check_lifetime(seconds, MAX_LIFETIME)?;
        self.lifetime = seconds;
        Ok(self)
    }

    /// The `aud` value, which is also the token endpoint.
    pub fn audience(&self) -> &str {
        &self.audience
    }

    /// The token endpoint to POST the form body to.
    pub fn token_url(&self) -> &str {
        &self.audience
    }

    /// The algorithm the header names (PS256 for `Sha256`, RS256 for `Sha1`).
    pub const fn algorithm(&self) -> Algorithm {
        self.header.algorithm()
    }

    /// The pre-encoded header.
    pub const fn header(&self) -> &HeaderTemplate {
        &self.header
    }

    /// The claims for an assertion issued at `now` with id `jti`.
    ///
    /// # Errors
    /// `InvalidField` for an empty `jti`; time errors.
    pub fn claims<'s>(&'s self, now: i64, jti: &'s str) -> Result<Claims<'s>> {
        non_empty("jti", jti)?;
        let claims = Claims::new()
            .iss(self.client_id)
            .sub(self.client_id)
            .aud(&self.audience)
            .jti(jti)
            .nbf(now)
            .iat(now)
            .exp(expiry(now, self.lifetime, MAX_LIFETIME)?);
        claims.validate()?;
        Ok(claims)
    }

    /// Mints the assertion into `out`. The signer's algorithm must match
    /// [`Entra::algorithm`] (`key.ps256()` for `Thumbprint::Sha256`).
    ///
    /// # Errors
    /// As [`crate::mint`].
    pub fn mint<S: JwsSigner + ?Sized>(
        &self,
        signer: &mut S,
        now: i64,
        jti: &str,
        out: &mut [u8],
    ) -> Result<usize> {
        crate::jws::mint(signer, &self.header, &self.claims(now, jti)?, out)
    }

    /// Mints with a random UUID v4 `jti` drawn from `rng`.
    ///
    /// # Errors
    /// As [`Entra::mint`]; `Rng` if the RNG fails.
    pub fn mint_with_random_jti<S: JwsSigner + ?Sized, R: TryCryptoRng + ?Sized>(
        &self,
        signer: &mut S,
        rng: &mut R,
        now: i64,
        out: &mut [u8],
    ) -> Result<usize> {
        let mut buf = [0u8; UUID_LEN];
        let jti = uuid_v4(rng, &mut buf)?;
        self.mint(signer, now, jti, out)
    }

    /// Writes the client-credentials token request body: `client_assertion_type`,
    /// `client_assertion`, `client_id`, `scope` (e.g.
    /// `https://graph.microsoft.com/.default`) and `grant_type=client_credentials`.
    ///
    /// # Errors
    /// `BufferTooSmall` with the exact length.
    pub fn form_body(&self, assertion: &str, scope: &str, out: &mut [u8]) -> Result<usize> {
        crate::form::client_assertion_body(
            assertion,
            &[
                ("client_id", self.client_id),
                ("scope", scope),
                ("grant_type", "client_credentials"),
            ],
            out,
        )
    }
}

/// Writes a random (version 4, RFC 9562) UUID from `rng` into `buf` and
/// returns it as lower-case text.
///
/// # Errors
/// `Rng` if the RNG fails.
pub fn uuid_v4<'b, R: TryCryptoRng + ?Sized>(
    rng: &mut R,
    buf: &'b mut [u8; UUID_LEN],
) -> Result<&'b str> {
    let mut b = [0u8; 16];
    rng.try_fill_bytes(&mut b).map_err(|_| Error::Rng)?;
    let [_, _, _, _, _, _, v, _, var, ..] = &mut b;
    *v = (*v & 0x0f) | 0x40;
    *var = (*var & 0x3f) | 0x80;
    let mut hex = [0u8; 32];
    let n = base16_lower(&b, &mut hex);
    let mut pos = 0;
    for (i, c) in hex.iter().take(n).enumerate() {
        if matches!(i, 8 | 12 | 16 | 20) {
            if let Some(slot) = buf.get_mut(pos) {
                *slot = b'-';
            }
            pos += 1;
        }
        if let Some(slot) = buf.get_mut(pos) {
            *slot = *c;
        }
        pos += 1;
    }
    core::str::from_utf8(buf).map_err(|_| Error::InvalidUtf8)
}

fn base16_lower(src: &[u8], dst: &mut [u8]) -> usize {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut n = 0;
    for (byte, pair) in src.iter().zip(dst.chunks_exact_mut(2)) {
        if let [hi, lo] = pair {
            *hi = HEX.get(usize::from(byte >> 4)).copied().unwrap_or(b'0');
            *lo = HEX.get(usize::from(byte & 0x0f)).copied().unwrap_or(b'0');
            n += 2;
        }
    }
    n
}
