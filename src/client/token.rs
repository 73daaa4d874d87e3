//! [`Token`]: an owned credential handed out by a
//! [`TokenSource`](super::source::TokenSource), shared as `Arc<Token>` so a
//! cache hit costs one reference-count increment.
#[allow(unused_imports)]
use std::prelude::rust_2024::*;
#[allow(unused_imports)]
use std::{format, vec};

use zeroize::Zeroizing;

use crate::session::Credential;

/// A valid access token and what came with it. `Debug` redacts the token;
/// the token's memory is wiped on drop.
#[derive(Clone, PartialEq, Eq)]
pub struct Token {
    access_token: Zeroizing<String>,
    /// `token_type` (`Bearer` when the response named none).
    pub token_type: String,
    /// When it expires (seconds since 1970).
    pub expires_at: i64,
    /// When it was stored.
    pub stored_at: i64,
    /// Salesforce `instance_url`.
    pub instance_url: Option<String>,
    /// Salesforce `id`.
    pub id: Option<String>,
    /// The granted `scope`.
    pub scope: Option<String>,
    /// From when a refresh is due (the session core's rule).
    pub(crate) due_at: i64,
}

impl Token {
    /// Copies `c` out of the session (due at its `refresh_at`).
    pub(crate) fn from_credential(c: &Credential<'_>) -> Self {
        Self {
            access_token: Zeroizing::new(c.token.to_owned()),
            token_type: c.token_type.to_owned(),
            expires_at: c.expires_at,
            stored_at: c.stored_at,
            instance_url: c.instance_url.map(str::to_owned),
            id: c.id.map(str::to_owned),
            scope: c.scope.map(str::to_owned),
            due_at: c.refresh_at,
        }
    }

    /// From when it is due for refresh (the session's refresh-ahead with
    /// this process's spread).
    pub const fn refresh_at(&self) -> i64 {
        self.due_at
    }

    /// The bearer secret.
    pub fn access_token(&self) -> &str {
        &self.access_token
    }

    /// Usable without asking the session: stored in the past, not yet due.
    pub(crate) const fn fresh_at(&self, now: i64) -> bool {
        now >= self.stored_at && now < self.due_at
    }

    /// The borrowed view, as the session hands it out.
    pub(crate) fn credential(&self) -> Credential<'_> {
        Credential {
            token: &self.access_token,
            token_type: &self.token_type,
            expires_at: self.expires_at,
            refresh_at: self.due_at,
            stored_at: self.stored_at,
            instance_url: self.instance_url.as_deref(),
            id: self.id.as_deref(),
            scope: self.scope.as_deref(),
        }
    }

    /// Same credential (token text and times) as `c`.
    pub(crate) fn same_as(&self, c: &Credential<'_>) -> bool {
        self.expires_at == c.expires_at
            && self.stored_at == c.stored_at
            && self.access_token.as_str() == c.token
    }
}

/// `Token(Credential { token: <redacted, N bytes>, .. })`: the borrowed
/// view's `Debug`, which redacts the token.
impl core::fmt::Debug for Token {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_tuple("Token").field(&self.credential()).finish()
    }
}
