//! Snowflake key-pair authentication (SQL API / REST APIs): the JWT is the
//! credential, there is no exchange.
//!
//! Rules (docs.snowflake.com, "Authenticating Snowflake REST APIs with
//! Snowflake" —
//! <https://docs.snowflake.com/en/developer-guide/snowflake-rest-api/authentication>
//! — and "Key-pair authentication and key-pair rotation",
//! <https://docs.snowflake.com/en/user-guide/key-pair-auth>): RS256;
//! `iss` = `ACCOUNT.USER.SHA256:<fingerprint>` where the fingerprint is the
//! Base64 SHA-256 of the public key (its DER SubjectPublicKeyInfo, the value
//! `DESCRIBE USER` shows as `RSA_PUBLIC_KEY_FP`); `sub` = `ACCOUNT.USER`;
//! account identifier and user name in upper case; "if you are using the
//! account locator, exclude any region information" (`xy12345.us-east-2.aws`
//! → `XY12345`; the `orgname-accountname` form is used as is); `iat` = now;
//! `exp` at most one hour after `iat` — longer refused, default one hour.
//! The JWT is sent as `Authorization: Bearer <jwt>` with
//! `X-Snowflake-Authorization-Token-Type: KEYPAIR_JWT`.
//!
//! The fingerprint is computed from the signing key, never asked for.
//!
//! ```
//! # #[cfg(feature = "std")] {
//! use jwtmint::profiles::{Profile, Snowflake};
//! let key = jwtmint::SigningKey::from_pem(include_str!("../../examples/keys/demo-key.pem")).unwrap();
//! let s = Snowflake::new("xy12345.us-east-2.aws", "jsmith", &key).unwrap();
//! assert_eq!(s.subject(), "XY12345.JSMITH");
//! assert!(s.issuer().starts_with("XY12345.JSMITH.SHA256:"));
//! assert_eq!(s.token_request(), None); // the JWT is the credential
//! # }
//! ```

use base64ct::Encoding;

use crate::alg::Algorithm;
use crate::claims::Claims;
use crate::error::{Error, Result};
use crate::header::{Header, HeaderTemplate};
use crate::keys::{PublicKey, SigningKey};

use super::declare::{Grant, KeyUse, Kind, Opt, Provider};
use super::profile::{Limits, Profile};
use super::request::TokenRequest;
use super::rules::{FIELD_CAPACITY, non_empty};

/// Snowflake: `exp` at most one hour after `iat`.
pub const MAX_LIFETIME: i64 = 3600;
/// The header naming the token type on Snowflake requests.
pub const TOKEN_TYPE_HEADER: (&str, &str) = ("X-Snowflake-Authorization-Token-Type", "KEYPAIR_JWT");
/// Length of `SHA256:` + the Base64 of a SHA-256 digest.
const FP_LEN: usize = 7 + 44;

/// A Snowflake key-pair profile (RS256). Owns its configuration.
#[derive(Clone, Debug)]
pub struct Snowflake {
    sub: heapless::String<{ 2 * FIELD_CAPACITY + 1 }>,
    iss: heapless::String<{ 2 * FIELD_CAPACITY + 2 + FP_LEN }>,
    header: HeaderTemplate,
    lifetime: i64,
}

/// The account part of `iss`/`sub`: region dropped, upper-cased.
fn account_id(account: &str) -> Result<&str> {
    non_empty("account", account)?;
    let id = account.split('.').next().unwrap_or_default();
    if id.is_empty()
        || !id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    {
        return Err(Error::InvalidField {
            field: "account",
            reason: "Snowflake account identifier must be orgname-accountname or an account locator (letters, digits, - and _)",
        });
    }
    Ok(id)
}

fn push_upper<const N: usize>(out: &mut heapless::String<N>, v: &str) -> Result<()> {
    for c in v.chars() {
        for u in c.to_uppercase() {
            out.push(u).map_err(|_| Error::InvalidField {
                field: "user",
                reason: "account and user longer than the profile's capacity",
            })?;
        }
    }
    Ok(())
}

impl Snowflake {
    /// A profile for `account` and `user`, with the fingerprint of `key`'s
    /// public key.
    ///
    /// # Errors
    /// `InvalidField` for a bad account identifier or an empty user;
    /// `PublicKeyMalformed` if the key cannot be encoded.
    pub fn new(account: &str, user: &str, key: &SigningKey) -> Result<Self> {
        let account = account_id(account)?;
        non_empty("user", user)?;
        if user.contains('.') {
            // `iss` is split on '.' by Snowflake.
            return Err(Error::InvalidField {
                field: "user",
                reason: "a Snowflake user name in iss/sub must not contain '.'",
            });
        }
        let mut sub = heapless::String::new();
        push_upper(&mut sub, account)?;
        push_upper(&mut sub, ".")?;
        push_upper(&mut sub, user)?;
        let digest = PublicKey::from(key).rsa_spki_sha256()?;
        let mut b64 = [0u8; 44];
        let fp = base64ct::Base64::encode(&digest, &mut b64).map_err(|_| Error::LengthOverflow)?;
        let mut iss = heapless::String::new();
        for part in [&sub[..], ".SHA256:", fp] {
            iss.push_str(part).map_err(|_| Error::LengthOverflow)?;
        }
        Ok(Self {
            sub,
            iss,
            header: HeaderTemplate::new(&Header::new(Algorithm::Rs256))?,
            lifetime: MAX_LIFETIME,
        })
    }

    super::rules::with_lifetime!(MAX_LIFETIME, "exp - iat", "3600");

    /// `ACCOUNT.USER.SHA256:<fingerprint>`.
    pub fn issuer(&self) -> &str {
        &self.iss
    }

    /// `ACCOUNT.USER`.
    pub fn subject(&self) -> &str {
        &self.sub
    }

    /// `SHA256:<fingerprint>`, as `DESCRIBE USER` shows `RSA_PUBLIC_KEY_FP`.
    pub fn fingerprint(&self) -> &str {
        self.iss.get(self.sub.len() + 1..).unwrap_or_default()
    }
}

impl Profile for Snowflake {
    super::rules::timed_profile!("snowflake", MAX_LIFETIME, |p, now| Claims::new()
        .iss(&p.iss)
        .sub(&p.sub)
        .iat(now));

    /// `None`: the JWT itself is the bearer credential.
    fn token_request(&self) -> Option<TokenRequest<'_>> {
        None
    }
}

/// The Snowflake declaration (C `jwtmint_snowflake_profile_new`, which takes
/// the key to compute the fingerprint; CLI `--profile snowflake`).
pub const PROVIDER: Provider = Provider {
    name: "snowflake",
    summary: "Snowflake key-pair JWT (iss ACCOUNT.USER.SHA256:<fp from --key>, exp <= 1 h; mint only)",
    c_options: "jwtmint_snowflake_options",
    lifetime: (MAX_LIFETIME, MAX_LIFETIME),
    grant: Grant::SelfSigned,
    key: KeyUse::CallerAtBuild,
    options: &[
        Opt::required(
            "account",
            "account",
            Kind::Text,
            "account identifier: `orgname-accountname` or an account locator (`xy12345` or `xy12345.us-east-2.aws`)",
        ),
        Opt::required("user", "user", Kind::Text, "the Snowflake user name"),
        Opt::lifetime("seconds from now to `exp`, 1..=3600; default 3600"),
    ],
    build: |v| {
        let p = Snowflake::new(v.required("account")?, v.required("user")?, v.key()?)?;
        v.finish(p, Snowflake::with_lifetime)
    },
    ..Provider::RS256
};
