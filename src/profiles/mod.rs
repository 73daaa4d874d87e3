//! Provider profiles: name the provider and the library gets `aud`, lifetimes,
//! headers and the token request right.
//!
//! - [`Profile`] (`profile.rs`): the one trait — header template, claims for
//!   a given `now`, limits, token request, cache identity.
//! - [`mint_profile()`] (`mint.rs`): the one mint path every caller uses (Rust API, C
//!   ABI, CLI); the profile picks the algorithm, the [`JwsKey`] makes the
//!   signer. No allocation on the encode path.
//! - [`TokenRequest`] (`request.rs`): method, URL, headers, body kind.
//! - [`Grant`] (`grants.rs`): the one grant model — what a token request or
//!   a session's step makes (JWT bearer, client assertion, bearer header,
//!   refresh token, self-signed, password, previous token); the session
//!   reports it and C's `jwtmint_grant_kind` is generated from it.
//!   [`Grants`]: the initial grant and the renewal steps a session makes,
//!   each a [`GrantSpec`] with its own extra form fields and headers.
//! - [`Custom`] (`custom.rs`): a token endpoint with grants and no
//!   assertion (password + refresh + JWT renewal identity providers).
//! - The providers, each owning its configuration and stating its rules and
//!   their sources in its module docs: [`salesforce`], [`google`] (feature
//!   `alloc`: the key file holds a key), [`entra`], [`generic`] (RFC 7523),
//!   [`github`] (GitHub App), [`snowflake`] (feature `alloc`: the
//!   fingerprint comes from the key), [`docusign`], [`okta`], [`auth0`]
//!   and [`keycloak`] (the last three share the `private_key_jwt` module:
//!   claims, header, client-credentials request), `apple` (feature
//!   `es256`: APNs, App Store Connect, Sign in with Apple), [`boxcom`] (Box;
//!   feature `std`: reads the app's config.json and decrypts its key).
//!
//! [`JwsKey`]: crate::signer::JwsKey

#[cfg(feature = "es256")]
#[cfg_attr(docsrs, doc(cfg(feature = "es256")))]
pub mod apple;
pub mod auth0;
#[cfg(feature = "std")]
#[cfg_attr(docsrs, doc(cfg(feature = "std")))]
pub mod boxcom;
mod custom;
#[cfg(feature = "alloc")]
pub mod declare;
pub mod docusign;
pub mod entra;
pub mod generic;
pub mod github;
#[cfg(feature = "alloc")]
#[cfg_attr(docsrs, doc(cfg(feature = "alloc")))]
pub mod google;
mod grants;
pub mod keycloak;
mod keyed;
mod mint;
pub mod okta;
mod private_key_jwt;
mod profile;
mod request;
mod rules;
pub mod salesforce;
#[cfg(feature = "alloc")]
#[cfg_attr(docsrs, doc(cfg(feature = "alloc")))]
pub mod snowflake;
mod url;

#[cfg(feature = "es256")]
#[cfg_attr(docsrs, doc(cfg(feature = "es256")))]
pub use apple::{Apns, AppStoreConnect, SignInWithApple};
pub use auth0::Auth0;
#[cfg(feature = "std")]
#[cfg_attr(docsrs, doc(cfg(feature = "std")))]
pub use boxcom::{BoxApp, BoxConfig, BoxSubject};
pub use custom::Custom;
#[cfg(feature = "alloc")]
pub use declare::{Provider, Values};
pub use docusign::{DocuSign, DocuSignEnv};
pub use entra::{Entra, Thumbprint};
pub use generic::Rfc7523;
pub use github::GitHubApp;
#[cfg(feature = "alloc")]
#[cfg_attr(docsrs, doc(cfg(feature = "alloc")))]
pub use google::{Google, ServiceAccount};
pub use grants::{Grant, GrantSpec, Grants, PREVIOUS_TOKEN_GRANT_TYPE, Pairs, PairsIter, Steps};
pub use keycloak::Keycloak;
#[cfg(feature = "alloc")]
#[cfg_attr(docsrs, doc(cfg(feature = "alloc")))]
pub use keyed::mint_keyed_string;
pub use keyed::{KeyedProfile, WithKey, mint_keyed, mint_keyed_len};
#[cfg(feature = "alloc")]
#[cfg_attr(docsrs, doc(cfg(feature = "alloc")))]
pub use mint::mint_profile_string;
#[cfg(feature = "ffi")]
pub(crate) use mint::prepare;
pub use mint::{UUID_LEN, mint_profile, mint_profile_len, uuid_v4};
pub use okta::Okta;
pub use profile::{Jti, Limits, Profile};
pub use request::{MAX_PARAMS, Method, Params, TokenRequest};
pub use rules::FIELD_CAPACITY;
pub use salesforce::{Login, Salesforce};
#[cfg(feature = "alloc")]
#[cfg_attr(docsrs, doc(cfg(feature = "alloc")))]
pub use snowflake::Snowflake;
#[cfg(feature = "alloc")]
#[cfg_attr(docsrs, doc(cfg(feature = "alloc")))]
pub use {custom::OwnedCustom, grants::OwnedGrantSpec};

/// The providers declared the new way ([`declare`]): the C ABI and the CLI
/// derive their constructors and flags from these entries.
#[cfg(feature = "alloc")]
pub const DECLARED: &[&Provider] = &[
    &salesforce::PROVIDER,
    &entra::PROVIDER,
    &generic::PROVIDER,
    &google::PROVIDER,
    &github::PROVIDER,
    &snowflake::PROVIDER,
    &docusign::PROVIDER,
    &okta::PROVIDER,
    &auth0::PROVIDER,
    &keycloak::PROVIDER,
    #[cfg(feature = "es256")]
    &apple::APNS_PROVIDER,
    #[cfg(feature = "es256")]
    &apple::ASC_PROVIDER,
    #[cfg(feature = "es256")]
    &apple::SIWA_PROVIDER,
    #[cfg(feature = "std")]
    &boxcom::PROVIDER,
];

/// The declared provider named `name` (the CLI's `--profile` value).
#[cfg(feature = "alloc")]
pub fn declared(name: &str) -> Option<&'static Provider> {
    DECLARED.iter().copied().find(|p| p.name == name)
}
