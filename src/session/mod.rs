//! A sans-IO token session: keeps one grant authenticated — caches the
//! credential, refreshes it ahead of expiry, fetches once for all callers,
//! backs off on errors and surfaces rejected grants. `no_std`, no
//! allocation; it owns no socket and no clock.
//!
//! - [`Session`] (`machine.rs`): `poll(now)` → [`Action`] (`Use`, `Fetch`,
//!   `Wait`, `Failed`); `complete(now, ticket, status, body)`;
//!   `fail(now, ticket, kind)`; `restore`/`encode_record` for shared stores.
//! - [`Config`] (`config.rs`): refresh-ahead, backoff bounds, fallback
//!   lifetime, fetch timeout, jitter seed.
//! - [`Grant`] (`grant.rs`): JWT bearer, client assertion, bearer header,
//!   refresh token, self-signed, password, previous token — and the request
//!   bytes for each, built by the one mint path and the one form encoder.
//!   Which grant comes first and how it renews is the profile's
//!   [`Grants`](crate::profiles::Grants) plan when it has one
//!   ([`Custom`](crate::profiles::Custom) endpoints): renewal steps in order,
//!   then the initial grant.
//! - [`Credential`] (`credential.rs`): the stored token and its extras.
//! - [`Failure`] (`failure.rs`): the last error, sanitized.
//! - `retry_after.rs`: [`parse_retry_after`] for 429/503 answers.
//! - `backoff.rs`: the retry schedule (full jitter) and the refresh spread; `identity.rs`: the grant's SHA-256
//!   identity; `record.rs`: the JSON record codec.
//! - `shared.rs`: the shared-store protocol the core drives for a session
//!   that [`Session::share`]s its token ([`StoreAction`], [`StoreAnswer`]):
//!   load the record, take the fetch lock, load again, and only then build
//!   and sign the request; save fenced by the lock, unlock.
//! - [`Sessions`] (`store.rs`): many sessions in a fixed-capacity table.
//! - [`Storage`] (`storage.rs`): where a session keeps its buffers —
//!   [`Inline`] (fixed capacity, no allocation; the default) or `Heap`
//!   (feature `alloc`: sized to what each answer needs, bounded by the
//!   same capacities; the std token sources use it).
//!
//! ```
//! # #[cfg(feature = "std")] {
//! use jwtmint::profiles::{Login, Salesforce};
//! use jwtmint::session::{Action, Config, Outcome, Session};
//! let key = jwtmint::SigningKey::from_pem(include_str!("../../examples/keys/demo-key.pem")).unwrap();
//! let sf = Salesforce::new("3MVG9...consumer-key", "user@example.com", Login::Sandbox).unwrap();
//! let mut s: Session<_, _> = Session::new(&sf, &key, Config::new());
//! let now = 1_700_000_000;
//! let Action::Fetch(f) = s.poll(now) else { panic!() };
//! assert_eq!(f.url, "https://test.salesforce.com/services/oauth2/token");
//! let ticket = f.ticket;
//! // ... POST f.body to f.url, then:
//! let body = br#"{"access_token":"00D!AQ","instance_url":"https://x.my.salesforce.com","token_type":"Bearer"}"#;
//! assert_eq!(s.complete(now + 1, ticket, 200, body), Outcome::Stored { expires_at: now + 1 + 900 });
//! let Action::Use(c) = s.poll(now + 2) else { panic!() };
//! assert_eq!((c.token, c.instance_url), ("00D!AQ", Some("https://x.my.salesforce.com")));
//! # }
//! ```

mod backoff;
mod config;
mod credential;
mod failure;
mod grant;
mod identity;
mod machine;
mod record;
mod retry_after;
mod shared;
pub(crate) mod storage;
mod store;
mod ticket;

pub use config::Config;
pub use credential::{Credential, EXTRA_CAPACITY, TOKEN_TYPE_CAPACITY};
pub use failure::{CODE_CAPACITY, DESCRIPTION_CAPACITY, Failure, FailureKind, TransportError};
pub use grant::Grant;
pub use machine::{Action, Fetch, Outcome, Session, record_holds, token_digest};
pub use retry_after::parse_retry_after;
pub use shared::{StoreAction, StoreAnswer, StoreOutcome, StorePolicy};
#[cfg(feature = "alloc")]
pub use storage::Heap;
pub use storage::{Inline, Storage};
pub use store::Sessions;
#[cfg(any(feature = "client", feature = "ffi"))]
pub(crate) use store::lru_victim;
pub use ticket::Ticket;
