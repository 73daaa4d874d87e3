//! Which grant a fetch makes, and the request bytes for it — built by the
//! crate's one mint path ([`crate::profiles::mint`]) and one form encoder
//! ([`crate::form`], [`TokenRequest::write_body`]).

use zeroize::Zeroizing;

use crate::error::{Error, Result};
use crate::profiles::{Body, MAX_PARAMS, Profile, TokenRequest};
use crate::signer::JwsKey;

/// The grant a session makes (or, for [`Grant::SelfSigned`], does not).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[repr(u8)]
pub enum Grant {
    /// RFC 7523 §2.1: `grant_type=…jwt-bearer&assertion=<jwt>`.
    JwtBearer = 1,
    /// RFC 7523 §2.2: client credentials authenticated by a client assertion.
    ClientAssertion = 2,
    /// The JWT sent as `Authorization: Bearer <jwt>`, no body (GitHub App
    /// installation tokens).
    BearerHeader = 3,
    /// RFC 6749 §6: `grant_type=refresh_token` with the stored refresh token
    /// (plus a fresh client assertion for §2.2 profiles).
    RefreshToken = 4,
    /// No exchange: the signed JWT is the credential (the profile's
    /// `token_request()` is `None`).
    SelfSigned = 5,
}

impl Grant {
    /// The grant a profile's assertion makes.
    pub(crate) fn of(request: Option<&TokenRequest<'_>>) -> Self {
        match request.map(|r| r.body) {
            None => Grant::SelfSigned,
            Some(Body::JwtBearer) => Grant::JwtBearer,
            Some(Body::ClientAssertion) => Grant::ClientAssertion,
            Some(Body::BearerHeader) => Grant::BearerHeader,
        }
    }
}

/// Lengths of what [`build`] wrote: the body at the start of the buffer,
/// then the `Authorization` value.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Built {
    pub(crate) body: usize,
    pub(crate) authorization: usize,
}

/// Mints `profile`'s assertion at `now` into `out` (a zeroized scratch
/// buffer the caller owns) and returns it.
pub(crate) fn mint_into<'o, P, K>(
    profile: &P,
    key: &K,
    now: i64,
    out: &'o mut [u8],
) -> Result<&'o str>
where
    P: Profile + ?Sized,
    K: JwsKey + ?Sized,
{
    let n = crate::profiles::mint(profile, key, now, None, out)?;
    let bytes = out.get(..n).ok_or(Error::LengthOverflow)?;
    core::str::from_utf8(bytes).map_err(|_| Error::InvalidUtf8)
}

/// Writes the request for `grant` into `out` (`R` bytes): the form body,
/// or for [`Grant::BearerHeader`] the `Authorization` value `Bearer <jwt>`.
pub(crate) fn build<P, K, const R: usize>(
    profile: &P,
    key: &K,
    request: &TokenRequest<'_>,
    grant: Grant,
    refresh: Option<&str>,
    now: i64,
    out: &mut [u8; R],
) -> Result<Built>
where
    P: Profile + ?Sized,
    K: JwsKey + ?Sized,
{
    let mut scratch = Zeroizing::new([0u8; R]);
    match grant {
        Grant::SelfSigned => Err(Error::InvalidField {
            field: "grant",
            reason: "a self-signed profile makes no token request",
        }),
        Grant::JwtBearer | Grant::ClientAssertion => {
            let assertion = mint_into(profile, key, now, &mut *scratch)?;
            let body = request.write_body(assertion, out)?;
            Ok(Built {
                body,
                authorization: 0,
            })
        }
        Grant::BearerHeader => {
            let assertion = mint_into(profile, key, now, &mut *scratch)?;
            let prefix = b"Bearer ";
            let end = prefix
                .len()
                .checked_add(assertion.len())
                .ok_or(Error::LengthOverflow)?;
            let dst = out
                .get_mut(..end)
                .ok_or(Error::BufferTooSmall { needed: end })?;
            let (head, tail) = dst.split_at_mut(prefix.len());
            head.copy_from_slice(prefix);
            tail.copy_from_slice(assertion.as_bytes());
            Ok(Built {
                body: 0,
                authorization: end,
            })
        }
        Grant::RefreshToken => {
            let rt = refresh.ok_or(Error::InvalidField {
                field: "refresh_token",
                reason: "no refresh token stored",
            })?;
            // grant_type=refresh_token, the token, then the profile's own
            // parameters except its grant_type (scope, client_id, ...).
            let mut pairs = [("", ""); MAX_PARAMS + 2];
            let mut n = 0;
            let own = request
                .params
                .as_slice()
                .iter()
                .filter(|(k, _)| *k != "grant_type");
            for pair in [("grant_type", "refresh_token"), ("refresh_token", rt)]
                .into_iter()
                .chain(own.copied())
            {
                if let Some(slot) = pairs.get_mut(n) {
                    *slot = pair;
                    n += 1;
                }
            }
            let pairs = pairs.get(..n).unwrap_or_default();
            let body = if request.body == Body::ClientAssertion {
                // The client authenticates the refresh with a fresh assertion.
                let assertion = mint_into(profile, key, now, &mut *scratch)?;
                crate::form::client_assertion_body(assertion, pairs, out)?
            } else {
                crate::form::write_form(pairs, out)?
            };
            Ok(Built {
                body,
                authorization: 0,
            })
        }
    }
}

/// The request buffer of a session: `R` bytes holding the last request
/// built (it contains an assertion or a refresh token: wiped after the
/// fetch and on drop).
pub(crate) struct RequestBuf<const R: usize> {
    pub(crate) bytes: [u8; R],
    pub(crate) built: Built,
}

impl<const R: usize> RequestBuf<R> {
    pub(crate) const fn new() -> Self {
        Self {
            bytes: [0; R],
            built: Built {
                body: 0,
                authorization: 0,
            },
        }
    }

    /// The body and the `Authorization` value (empty when unused).
    pub(crate) fn parts(&self) -> (&[u8], &[u8]) {
        let Built {
            body,
            authorization,
        } = self.built;
        let end = if authorization > 0 {
            authorization
        } else {
            body
        };
        let b = self.bytes.get(..body).unwrap_or_default();
        let a = if authorization > 0 {
            self.bytes.get(..end).unwrap_or_default()
        } else {
            &[]
        };
        (b, a)
    }

    pub(crate) fn wipe(&mut self) {
        zeroize::Zeroize::zeroize(&mut self.bytes[..]);
        self.built = Built::default();
    }
}

impl<const R: usize> Drop for RequestBuf<R> {
    fn drop(&mut self) {
        self.wipe();
    }
}
