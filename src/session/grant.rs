//! Which grant a fetch makes, and the request bytes for it — built by the
//! crate's one mint path ([`crate::profiles::mint_profile`]) and one form encoder
//! ([`crate::form`], [`TokenRequest::write_body`]).

use zeroize::Zeroizing;

use crate::error::{Error, Result};
use crate::profiles::{GrantSpec, Pairs, Profile, TokenRequest};
use crate::signer::JwsKey;

use super::storage::{Bytes, Storage};

/// The grant a session makes (or, for [`Grant::SelfSigned`], does not):
/// the profiles layer's one grant model.
pub use crate::profiles::Grant;

/// What a request is built from besides the profile and the key: the plan
/// step (`None` for a profile without [`Grants`]), the stored refresh token
/// and the current access token.
#[derive(Clone, Copy, Default)]
pub(crate) struct Inputs<'i> {
    pub(crate) spec: Option<GrantSpec<'i>>,
    pub(crate) refresh: Option<&'i str>,
    pub(crate) previous: Option<&'i str>,
}

/// The profile's parameters without its `grant_type`, then `extra`: what
/// follows a grant that sets its own `grant_type`.
fn own<'p>(
    params: &'p [(&'p str, &'p str)],
    extra: Pairs<'p>,
) -> impl Iterator<Item = (&'p str, &'p str)> + Clone {
    params
        .iter()
        .copied()
        .filter(|(k, _)| *k != "grant_type")
        .chain(extra)
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
    let n = crate::profiles::mint_profile(profile, key, now, None, out)?;
    let bytes = out.get(..n).ok_or(Error::LengthOverflow)?;
    core::str::from_utf8(bytes).map_err(|_| Error::InvalidUtf8)
}

/// Writes the request for `grant` into `out` (`R` bytes): the form body,
/// or for [`Grant::BearerHeader`] the `Authorization` value `Bearer <jwt>`.
/// Form bodies are the grant's own pairs, then the profile's parameters
/// (without its `grant_type` for grants that set their own), then the plan
/// step's extra fields — all through the one form encoder.
pub(crate) fn build<P, K, const R: usize>(
    profile: &P,
    key: &K,
    request: &TokenRequest<'_>,
    grant: Grant,
    inputs: Inputs<'_>,
    now: i64,
    out: &mut [u8],
) -> Result<Built>
where
    P: Profile + ?Sized,
    K: JwsKey + ?Sized,
{
    let mut scratch = Zeroizing::new([0u8; R]);
    let params = request.params.as_slice();
    let extra = inputs.spec.map_or(Pairs::EMPTY, |s| s.form);
    let form = |body: usize| Built {
        body,
        authorization: 0,
    };
    match grant {
        Grant::SelfSigned => Err(Error::InvalidField {
            field: "grant",
            reason: "a self-signed profile makes no token request",
        }),
        Grant::JwtBearer | Grant::ClientAssertion => {
            let assertion = mint_into(profile, key, now, &mut *scratch)?;
            let prefix = if grant == Grant::JwtBearer {
                crate::form::grant_prefix(assertion)
            } else {
                crate::form::client_prefix(assertion)
            };
            let pairs = prefix
                .into_iter()
                .chain(params.iter().copied())
                .chain(extra);
            crate::form::write_pairs(pairs, out).map(form)
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
            let rt = inputs.refresh.ok_or(Error::InvalidField {
                field: "refresh_token",
                reason: "no refresh token stored",
            })?;
            let pairs = [("grant_type", "refresh_token"), ("refresh_token", rt)]
                .into_iter()
                .chain(own(params, extra));
            if request.body == Grant::ClientAssertion {
                // The client authenticates the refresh with a fresh assertion.
                let assertion = mint_into(profile, key, now, &mut *scratch)?;
                let pairs = crate::form::client_prefix(assertion)
                    .into_iter()
                    .chain(pairs);
                crate::form::write_pairs(pairs, out).map(form)
            } else {
                crate::form::write_pairs(pairs, out).map(form)
            }
        }
        Grant::Password => {
            let Some((username, Some(password))) = inputs
                .spec
                .filter(|s| s.kind == Grant::Password)
                .map(|s| (s.username, s.password))
            else {
                return Err(Error::InvalidField {
                    field: "grants",
                    reason: "the password grant needs a user name and a password source",
                });
            };
            // The password lives in a zeroized scratch only while the body
            // is encoded.
            crate::secret::with_secret(password, |pw| {
                let pairs = [
                    ("grant_type", "password"),
                    ("username", username),
                    ("password", pw),
                ]
                .into_iter()
                .chain(own(params, extra));
                crate::form::write_pairs(pairs, out).map(form)
            })
        }
        Grant::PreviousToken => {
            let grant_type = match inputs.spec {
                Some(s) if s.kind == Grant::PreviousToken => s.grant_type,
                _ => crate::profiles::PREVIOUS_TOKEN_GRANT_TYPE,
            };
            let previous = inputs.previous.ok_or(Error::InvalidField {
                field: "previous_token",
                reason: "no valid access token to present",
            })?;
            let pairs = [("grant_type", grant_type), ("assertion", previous)]
                .into_iter()
                .chain(own(params, extra));
            crate::form::write_pairs(pairs, out).map(form)
        }
    }
}

/// The request buffer of a session: up to `R` bytes holding the last
/// request built, in storage `S` (a heap buffer keeps only the request's
/// length). It contains an assertion or a refresh token: wiped after the
/// fetch and on drop.
pub(crate) struct RequestBuf<const R: usize, S: Storage> {
    bytes: S::Bytes<R>,
    built: Built,
}

impl<const R: usize, S: Storage> RequestBuf<R, S> {
    pub(crate) fn new() -> Self {
        Self {
            bytes: Default::default(),
            built: Built::default(),
        }
    }

    /// Writes a new request in place of the last one with `write` (given
    /// `R` zeroed bytes; [`build`]); keeps what it wrote. Wiped on error.
    pub(crate) fn fill(&mut self, write: impl FnOnce(&mut [u8]) -> Result<Built>) -> Result<()> {
        self.wipe();
        match write(self.bytes.space()) {
            Ok(b) => {
                self.bytes.keep(b.body.max(b.authorization));
                self.built = b;
                Ok(())
            }
            Err(e) => {
                self.wipe();
                Err(e)
            }
        }
    }

    /// The body and the `Authorization` value (empty when unused).
    pub(crate) fn parts(&self) -> (&[u8], &[u8]) {
        let Built {
            body,
            authorization,
        } = self.built;
        let bytes = self.bytes.get();
        let b = bytes.get(..body).unwrap_or_default();
        let a = if authorization > 0 {
            bytes.get(..authorization).unwrap_or_default()
        } else {
            &[]
        };
        (b, a)
    }

    pub(crate) fn wipe(&mut self) {
        self.bytes.wipe();
        self.built = Built::default();
    }
}

impl<const R: usize, S: Storage> Drop for RequestBuf<R, S> {
    fn drop(&mut self) {
        self.wipe();
    }
}
