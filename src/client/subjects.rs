//! [`TokenSources`]: one [`TokenSource`] per subject, for a service that
//! logs in as many users (a Salesforce integration impersonating each end
//! user, one `sub` per user; a multi-tenant gateway), with bounded memory.
//!
//! - **A profile per subject**: the caller gives a factory
//!   `Fn(&str) -> Result<P, Error>` (the subject → that subject's profile,
//!   e.g. `Salesforce::new(consumer_key, subject, login)`), so this layer
//!   works with every profile that owns its fields. The key is shared.
//! - **Bounded**: at most `capacity` subjects are kept (each one a
//!   `TokenSource`, its session and its last token). A new subject beyond
//!   that evicts the least recently used one of its own partition
//!   (preferring one no `get()` is using), so the LRU order is exact within
//!   a partition and approximate across them; a small table (under 128
//!   subjects) is one partition. Eviction never takes a token from a caller:
//!   callers own their `Arc<Token>`; the evicted source (its session, its
//!   refresh token, its snapshots) is wiped when the last reference goes.
//! - **Single flight per subject**: concurrent `get()`s for one subject
//!   share its source, which fetches once for all of them.
//! - **Partitions**: subjects are spread over partitions (a hash chosen per
//!   process, so a peer cannot aim many subjects at one partition), each
//!   with its own lock, held only to look a subject up or add one — never
//!   across a fetch. A slow token endpoint for one subject holds only that
//!   subject's callers; a hot subject costs the others one read lock.
//!
//! ```no_run
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! use std::sync::Arc;
//! use jwtmint::SigningKey;
//! use jwtmint::client::subjects::TokenSources;
//! use jwtmint::profiles::{Login, Salesforce};
//! let key = Arc::new(SigningKey::from_pem(&std::fs::read_to_string("key.pem")?)?);
//! let users = TokenSources::builder(key, |user: &str| {
//!     Ok(Box::new(Salesforce::new("3MVG9...", user, Login::Production)?))
//! })
//! .capacity(10_000)
//! .build();
//! let token = users.get("alice@example.com")?;
//! println!("Authorization: Bearer {}", token.access_token());
//! # Ok(()) }
//! ```
#[allow(unused_imports)]
use std::prelude::rust_2024::*;

use std::collections::HashMap;
use std::hash::{BuildHasher, RandomState};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, RwLock, RwLockReadGuard, RwLockWriteGuard};

use core::ops::Deref;

use super::error::ClientError;
use super::source::{TokenError, TokenSource, TokenSourceBuilder};
use super::token::Token;
use crate::error::Error;
use crate::profiles::Profile;
use crate::session::lru_victim;
use crate::signer::JwsKey;

/// Default of [`TokenSourcesBuilder::capacity`]: 1024 subjects.
pub const DEFAULT_CAPACITY: usize = 1024;

/// Default of [`TokenSourcesBuilder::partitions`]: 16.
pub const DEFAULT_PARTITIONS: usize = 16;

/// The most partitions.
pub const MAX_PARTITIONS: usize = 64;

/// The longest subject, bytes (before the profile factory sees it; as the
/// C `jwtmint_sessions`).
pub const MAX_SUBJECT: usize = 4096;

/// At least this many subjects per partition (of the capacity): a small
/// table is one partition, so its LRU order is exact.
const MIN_PER_PARTITION: usize = 64;

/// Why [`TokenSources::get`] returned no token.
///
/// A [`TokenError`] is carried as is (callers match it as for
/// [`TokenSource::get`]); the type is a little over clippy's
/// `result_large_err` size, which the functions returning it allow.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum SubjectError {
    /// The profile factory refused the subject (e.g. `InvalidField` for an
    /// empty or over-long user name).
    Profile(Error),
    /// The subject's source could not be built (its token URL, a key that
    /// cannot sign for the profile).
    Source(ClientError),
    /// The subject's source gave no token.
    Token(TokenError),
}

impl core::fmt::Display for SubjectError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            Self::Profile(e) => write!(f, "no profile for the subject: {e}"),
            Self::Source(e) => write!(f, "no token source for the subject: {e}"),
            Self::Token(e) => e.fmt(f),
        }
    }
}

impl std::error::Error for SubjectError {}

impl From<TokenError> for SubjectError {
    fn from(e: TokenError) -> Self {
        Self::Token(e)
    }
}

/// The subject → profile factory.
type MakeProfile<P> = Box<dyn Fn(&str) -> Result<P, Error> + Send + Sync>;
/// The per-source settings (applied to every subject's builder).
type Configure<P, K> =
    Box<dyn Fn(TokenSourceBuilder<P, K>) -> TokenSourceBuilder<P, K> + Send + Sync>;

/// A subject's source and when it was last used (its partition's tick).
struct Entry<P, K>
where
    P: Deref<Target: Profile>,
    K: Deref<Target: JwsKey>,
{
    /// Shared with another handle: in use (a `get()` that fetches or
    /// waits, a caller holding [`TokenSources::source`]); hits do not
    /// clone it.
    source: TokenSource<P, K>,
    used: AtomicU64,
}

struct Partition<P, K>
where
    P: Deref<Target: Profile>,
    K: Deref<Target: JwsKey>,
{
    map: RwLock<HashMap<Box<str>, Entry<P, K>>>,
    tick: AtomicU64,
}

impl<P, K> Partition<P, K>
where
    P: Deref<Target: Profile>,
    K: Deref<Target: JwsKey>,
{
    fn read(&self) -> RwLockReadGuard<'_, HashMap<Box<str>, Entry<P, K>>> {
        // Every mutation is one map call: a panic elsewhere leaves it whole.
        self.map
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn write(&self) -> RwLockWriteGuard<'_, HashMap<Box<str>, Entry<P, K>>> {
        self.map
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// The subject's token when its source has one that is not due (never
    /// blocks: [`TokenSource`]'s snapshot), marked as just used.
    fn hit_token(&self, map: &HashMap<Box<str>, Entry<P, K>>, subject: &str) -> Option<Arc<Token>> {
        let e = map.get(subject)?;
        let t = e.source.cached()?;
        e.used
            .store(self.tick.fetch_add(1, Ordering::Relaxed), Ordering::Relaxed);
        Some(t)
    }

    /// The subject's source, marked as just used.
    fn hit(
        &self,
        map: &HashMap<Box<str>, Entry<P, K>>,
        subject: &str,
    ) -> Option<TokenSource<P, K>> {
        let e = map.get(subject)?;
        e.used
            .store(self.tick.fetch_add(1, Ordering::Relaxed), Ordering::Relaxed);
        Some(e.source.clone())
    }
}

struct Inner<P, K>
where
    P: Deref<Target: Profile>,
    K: Deref<Target: JwsKey>,
{
    key: K,
    profile: MakeProfile<P>,
    configure: Configure<P, K>,
    /// The first `used` are used (an empty partition allocates nothing).
    partitions: [Partition<P, K>; MAX_PARTITIONS],
    used: usize,
    capacity: usize,
    /// Subjects kept (changed under a partition's write lock).
    kept: AtomicUsize,
    hasher: RandomState,
    evicted: AtomicU64,
}

shared_handle! {
    /// Token sources for many subjects (see the [module docs](self)). Cheap to
    /// clone (an `Arc`); `Send + Sync` when the profile and key are. Its
    /// `Debug` shows counts only (subjects are user names).
    TokenSources(Inner), debug |this| {
        "subjects": this.len(),
        "capacity": this.capacity(),
        "partitions": this.inner.used,
    }
}

/// Builds [`TokenSources`].
pub struct TokenSourcesBuilder<P, K> {
    key: K,
    profile: MakeProfile<P>,
    configure: Configure<P, K>,
    capacity: usize,
    partitions: usize,
}

impl<P, K> TokenSourcesBuilder<P, K>
where
    P: Deref<Target: Profile>,
    K: Deref<Target: JwsKey> + Clone,
{
    crate::setters::setters! {
        /// At most this many subjects are kept (at least 1; default
        /// [`DEFAULT_CAPACITY`]). When it is reached, a new subject evicts the
        /// least recently used subject of its own partition.
        capacity(subjects: usize);
        /// How many partitions (locks) the subjects are spread over (default
        /// [`DEFAULT_PARTITIONS`]; 1 to [`MAX_PARTITIONS`], and fewer when the
        /// capacity is small: each partition holds at least 64 subjects).
        partitions(partitions: usize);
    }

    /// Settings for every subject's [`TokenSourceBuilder`] (token URL,
    /// store, clock, waits, session policy). A shared store keeps each
    /// subject under its own key (the grant's identity includes `sub`).
    #[must_use]
    pub fn configure(
        mut self,
        f: impl Fn(TokenSourceBuilder<P, K>) -> TokenSourceBuilder<P, K> + Send + Sync + 'static,
    ) -> Self {
        self.configure = Box::new(f);
        self
    }

    /// The table (empty: a subject's source is built on its first `get()`).
    pub fn build(self) -> TokenSources<P, K> {
        let capacity = self.capacity.max(1);
        let partitions = self
            .partitions
            .clamp(1, (capacity / MIN_PER_PARTITION).clamp(1, MAX_PARTITIONS));
        TokenSources {
            inner: Arc::new(Inner {
                key: self.key,
                profile: self.profile,
                configure: self.configure,
                partitions: core::array::from_fn(|_| Partition {
                    map: RwLock::new(HashMap::new()),
                    tick: AtomicU64::new(0),
                }),
                used: partitions,
                capacity,
                kept: AtomicUsize::new(0),
                hasher: RandomState::new(),
                evicted: AtomicU64::new(0),
            }),
        }
    }
}

impl<P, K> TokenSources<P, K>
where
    P: Deref<Target: Profile>,
    K: Deref<Target: JwsKey> + Clone,
{
    /// A builder: `key` signs for every subject; `profile` makes a
    /// subject's profile (called once per subject while it is kept).
    pub fn builder(
        key: K,
        profile: impl Fn(&str) -> Result<P, Error> + Send + Sync + 'static,
    ) -> TokenSourcesBuilder<P, K> {
        TokenSourcesBuilder {
            key,
            profile: Box::new(profile),
            configure: Box::new(|b| b),
            capacity: DEFAULT_CAPACITY,
            partitions: DEFAULT_PARTITIONS,
        }
    }

    /// A valid token for `subject` ([`TokenSource::get`] of its source,
    /// built on first use).
    ///
    /// # Errors
    /// [`SubjectError::Profile`] / [`SubjectError::Source`] when the
    /// subject's source cannot be made (nothing is kept for it; a subject
    /// over [`MAX_SUBJECT`] bytes is `Profile(InvalidField)`);
    /// [`SubjectError::Token`] as [`TokenSource::get`].
    #[allow(clippy::result_large_err)]
    pub fn get(&self, subject: &str) -> Result<Arc<Token>, SubjectError> {
        // The hit path: the subject's snapshot (not due), under the
        // partition's read lock, without cloning its source.
        let part = self.partition(subject);
        if let Some(t) = part.hit_token(&part.read(), subject) {
            return Ok(t);
        }
        Ok(self.source(subject)?.get()?)
    }

    /// The subject's source (built and added when it is not kept, evicting
    /// the least recently used subject of its partition when that is full).
    /// Holding it keeps it alive and preferred over idle subjects when
    /// evicting, not in the table.
    ///
    /// # Errors
    /// [`SubjectError::Profile`], [`SubjectError::Source`].
    #[allow(clippy::result_large_err)]
    pub fn source(&self, subject: &str) -> Result<TokenSource<P, K>, SubjectError> {
        let part = self.partition(subject);
        if let Some(s) = part.hit(&part.read(), subject) {
            return Ok(s);
        }
        // Built outside the lock (no IO, but a TLS client and a session):
        // the partition's other subjects are not held up.
        let built = self.build(subject)?;
        let mut map = part.write();
        // Another caller may have added it meanwhile: use theirs (ours was
        // never used, so single flight holds).
        if let Some(s) = part.hit(&map, subject) {
            return Ok(s);
        }
        // A slot is taken first, so concurrent inserts into different
        // partitions cannot all see room for one; a partition with nothing
        // to evict (every subject sits elsewhere) goes over by one.
        let mut evicted = None;
        if self.inner.kept.fetch_add(1, Ordering::Relaxed) >= self.inner.capacity {
            let victim = lru_victim(map.iter().map(|(k, e)| {
                let busy = e.source.is_shared();
                (k, e.used.load(Ordering::Relaxed), busy)
            }))
            .cloned();
            if let Some(k) = victim {
                evicted = map.remove(&k);
                self.inner.kept.fetch_sub(1, Ordering::Relaxed);
                self.inner.evicted.fetch_add(1, Ordering::Relaxed);
            }
        }
        let used = AtomicU64::new(part.tick.fetch_add(1, Ordering::Relaxed));
        map.insert(
            subject.into(),
            Entry {
                source: built.clone(),
                used,
            },
        );
        drop(map);
        // Wiped here (outside the lock: ~150 KiB to zero), or by the last
        // caller still using it.
        drop(evicted);
        Ok(built)
    }

    #[allow(clippy::result_large_err)]
    fn build(&self, subject: &str) -> Result<TokenSource<P, K>, SubjectError> {
        if subject.len() > MAX_SUBJECT {
            return Err(SubjectError::Profile(Error::InvalidField {
                field: "subject",
                reason: "longer than 4096 bytes",
            }));
        }
        let profile = (self.inner.profile)(subject).map_err(SubjectError::Profile)?;
        let builder = TokenSource::builder(profile, self.inner.key.clone());
        (self.inner.configure)(builder)
            .build()
            .map_err(SubjectError::Source)
    }
}

impl<P, K> TokenSources<P, K>
where
    P: Deref<Target: Profile>,
    K: Deref<Target: JwsKey>,
{
    /// The API answered 401 with `token` for `subject`:
    /// [`TokenSource::invalidate`] on its source. `false` when the subject
    /// is not kept or the token was not its current one.
    pub fn invalidate(&self, subject: &str, token: &str) -> bool {
        let part = self.partition(subject);
        let source = part.read().get(subject).map(|e| e.source.clone());
        source.is_some_and(|s| s.invalidate(token))
    }

    /// Forgets `subject` (its source is wiped once no `get()` uses it).
    /// Whether it was kept.
    pub fn remove(&self, subject: &str) -> bool {
        let removed = self.partition(subject).write().remove(subject).is_some();
        if removed {
            self.inner.kept.fetch_sub(1, Ordering::Relaxed);
        }
        removed
    }

    /// How many subjects are kept.
    pub fn len(&self) -> usize {
        self.parts().iter().map(|p| p.read().len()).sum()
    }

    /// Whether no subject is kept.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The most subjects kept.
    pub fn capacity(&self) -> usize {
        self.inner.capacity
    }

    /// How many subjects were evicted to make room so far.
    pub fn evicted(&self) -> u64 {
        self.inner.evicted.load(Ordering::Relaxed)
    }

    /// Token requests sent by the subjects kept now.
    pub fn requests_sent(&self) -> u64 {
        self.parts()
            .iter()
            .map(|p| {
                p.read()
                    .values()
                    .map(|e| e.source.requests_sent())
                    .sum::<u64>()
            })
            .sum()
    }

    fn parts(&self) -> &[Partition<P, K>] {
        self.inner
            .partitions
            .get(..self.inner.used)
            .unwrap_or(&self.inner.partitions)
    }

    fn partition(&self, subject: &str) -> &Partition<P, K> {
        let h = self.inner.hasher.hash_one(subject);
        // `used` is 1..=MAX_PARTITIONS (`build`).
        let i = usize::try_from(h % self.inner.used.max(1) as u64).unwrap_or(0);
        let [first, ..] = &self.inner.partitions;
        self.inner.partitions.get(i).unwrap_or(first)
    }
}
