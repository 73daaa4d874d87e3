//! Salesforce OAuth 2.0 JWT bearer flow.
//!
//! Rules (Salesforce Help, "OAuth 2.0 JWT Bearer Flow for Server-to-Server
//! Integration"): header `{"alg":"RS256"}`; `iss` = the connected app's
//! consumer key; `sub` = the username; `aud` = `https://login.salesforce.com`,
//! `https://test.salesforce.com`, or the Experience Cloud site / My Domain URL;
//! `exp` "within 3 minutes" — so `exp` ≤ now + 180 s, and longer is refused.
//! The token endpoint is `<aud>/services/oauth2/token`; the body is the
//! RFC 7523 §2.1 grant.
//!
//! ```
//! # #[cfg(feature = "std")] {
//! use jwtmint::profiles::{Login, Salesforce};
//! let key = jwtmint::SigningKey::from_pem(include_str!("../../examples/keys/demo-key.pem")).unwrap();
//! let sf = Salesforce::new("3MVG9...consumer-key", "user@example.com", Login::Sandbox).unwrap();
//! let mut out = [0u8; 1024];
//! let n = sf.mint(&mut key.rs256(), 1_700_000_000, &mut out).unwrap();
//! let mut url = [0u8; 128];
//! assert_eq!(sf.token_url(&mut url).unwrap(), "https://test.salesforce.com/services/oauth2/token");
//! assert!(sf.with_lifetime(600).is_err()); // Salesforce allows 3 minutes at most
//! # }
//! ```

use crate::alg::Algorithm;
use crate::claims::Claims;
use crate::error::Result;
use crate::header::{Header, HeaderTemplate};
use crate::signer::JwsSigner;

use super::rules::{expiry, non_empty};
use super::url::{check_https_url, concat};

/// Salesforce's limit on the assertion lifetime: 3 minutes.
pub const MAX_LIFETIME: i64 = 180;
/// Production login host.
pub const PRODUCTION: &str = "https://login.salesforce.com";
/// Sandbox login host.
pub const SANDBOX: &str = "https://test.salesforce.com";
/// Path of the token endpoint below the login URL.
pub const TOKEN_PATH: &str = "/services/oauth2/token";

/// Which Salesforce login server is the audience.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Login<'a> {
    /// `https://login.salesforce.com`.
    Production,
    /// `https://test.salesforce.com`.
    Sandbox,
    /// A My Domain or Experience Cloud URL, e.g. `https://acme.my.salesforce.com`
    /// or `https://site.force.com/customers` (https, no trailing slash).
    Custom(&'a str),
}

/// A Salesforce JWT bearer assertion profile.
#[derive(Clone, Copy, Debug)]
pub struct Salesforce<'a> {
    consumer_key: &'a str,
    username: &'a str,
    audience: &'a str,
    lifetime: i64,
    header: HeaderTemplate,
}

impl<'a> Salesforce<'a> {
    /// A profile with the maximum lifetime (180 s).
    ///
    /// # Errors
    /// `InvalidField` for an empty consumer key or username; `InvalidAudience`
    /// for a custom URL that is not a bare https URL.
    pub fn new(consumer_key: &'a str, username: &'a str, login: Login<'a>) -> Result<Self> {
        non_empty("consumer_key", consumer_key)?;
        non_empty("username", username)?;
        let audience = match login {
            Login::Production => PRODUCTION,
            Login::Sandbox => SANDBOX,
            Login::Custom(url) => {
                check_https_url(url)?;
                url
            }
        };
        // Salesforce documents exactly {"alg":"RS256"}.
        let header = HeaderTemplate::new(&Header::new(Algorithm::Rs256).typ(None))?;
        Ok(Self {
            consumer_key,
            username,
            audience,
            lifetime: MAX_LIFETIME,
            header,
        })
    }

    /// Sets the lifetime (`exp - now`), 1..=180 seconds.
    ///
    /// # Errors
    /// `LifetimeTooLong` above 180 s, `LifetimeNotPositive` below 1.
    pub fn with_lifetime(mut self, seconds: i64) -> Result<Self> {
        super::rules::check_lifetime(seconds, MAX_LIFETIME)?;
        self.lifetime = seconds;
        Ok(self)
    }

    /// The `aud` value (the login URL).
    pub const fn audience(&self) -> &'a str {
        self.audience
    }

    /// The pre-encoded header (`{"alg":"RS256"}`).
    pub const fn header(&self) -> &HeaderTemplate {
        &self.header
    }

    /// The claims for an assertion issued at `now`.
    ///
    /// # Errors
    /// Time errors from [`Claims::validate`]; `LengthOverflow`.
    pub fn claims(&self, now: i64) -> Result<Claims<'a>> {
        let claims = Claims::new()
            .iss(self.consumer_key)
            .sub(self.username)
            .aud(self.audience)
            .exp(expiry(now, self.lifetime, MAX_LIFETIME)?);
        claims.validate()?;
        Ok(claims)
    }

    /// Mints the assertion into `out` (RS256 signer required).
    ///
    /// # Errors
    /// As [`crate::mint`].
    pub fn mint<S: JwsSigner + ?Sized>(
        &self,
        signer: &mut S,
        now: i64,
        out: &mut [u8],
    ) -> Result<usize> {
        crate::jws::mint(signer, &self.header, &self.claims(now)?, out)
    }

    /// Exact length of [`Salesforce::mint`]'s output.
    ///
    /// # Errors
    /// As [`crate::mint_len`].
    pub fn mint_len(&self, now: i64, signature_len: usize) -> Result<usize> {
        crate::jws::mint_len(&self.header, &self.claims(now)?, signature_len)
    }

    /// Writes the token endpoint (`<aud>/services/oauth2/token`) into `buf`.
    ///
    /// # Errors
    /// `BufferTooSmall` with the exact length.
    pub fn token_url<'b>(&self, buf: &'b mut [u8]) -> Result<&'b str> {
        concat(buf, self.audience, TOKEN_PATH)
    }

    /// Writes the token-request body for `assertion` into `out`.
    ///
    /// # Errors
    /// `BufferTooSmall` with the exact length.
    pub fn form_body(assertion: &str, out: &mut [u8]) -> Result<usize> {
        crate::form::grant_body(assertion, &[], out)
    }
}
