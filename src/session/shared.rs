//! The shared-store protocol, driven by the session core: what a
//! [`Session`](super::Session) with a store ([`Session::share`]) asks its
//! driver to do before and after a fetch, and the answers it takes.
//!
//! One fetch attempt, as `poll` hands it out:
//!
//! ```text
//! due ─▶ Load ──fresh record──▶ (adopted: Use)
//!          │ miss / due / unreadable
//!          ▼
//!        Lock ──taken──▶ Load (under the lock) ──fresh──▶ Unlock ─▶ Use
//!          │ │                 │ miss
//!          │ └─held──▶ AwaitSave ─fresh─▶ Use  (else Lock again, until
//!          │                               `lock_wait`: then no lock)
//!          │ failed / gave up  ▼
//!          └────────────────▶ Fetch (the request is built and signed only
//!                               here; `RenewLock` while it runs)
//!                               │ stored            │ failed
//!                               ▼                   ▼
//!                       Save (fenced, unlocks)   Unlock (when held)
//!                               │ kept newer, holding a revoked token
//!                               ▼
//!                        RemoveIfHolds ─removed─▶ Save (unlocked)
//! ```
//!
//! A rejected session with no valid token also asks for a `Load` (at most
//! once a second) before it reports `Failed`: a healthy peer may have
//! saved a token. Without a store none of these actions appear.
//!
//! [`Session::share`]: super::Session::share

use super::ticket::Ticket;

/// How a session shares its token through a store (see
/// [`Session::share`](super::Session::share)). Seconds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct StorePolicy {
    /// How long an attempt waits for another process's lock (answering
    /// [`StoreAnswer::Busy`]) before it fetches without it (default 30).
    pub lock_wait: i64,
    /// The fetch lock's TTL: while a fetch holding the lock is in flight,
    /// `poll` asks for [`StoreAction::RenewLock`] every third of it. 0 (the
    /// default): the driver renews the lock by itself (the Rust sources do,
    /// from a thread, since their HTTP call blocks).
    pub lock_ttl: i64,
    /// A record whose credential carries a refresh token is kept this much
    /// past the access token's expiry (the `expires_at` of
    /// [`StoreAction::Save`]), so a later process renews with it (default 0).
    pub keep_refresh: i64,
}

impl StorePolicy {
    /// The defaults: wait 30 s for another process's lock, the driver
    /// renews the lock, records kept until the token expires.
    pub const fn new() -> Self {
        Self {
            lock_wait: 30,
            lock_ttl: 0,
            keep_refresh: 0,
        }
    }

    crate::setters::setters! {
        /// Sets [`StorePolicy::lock_wait`].
        lock_wait(seconds: i64);
        /// Sets [`StorePolicy::lock_ttl`].
        lock_ttl(seconds: i64);
        /// Sets [`StorePolicy::keep_refresh`].
        keep_refresh(seconds: i64);
    }

    pub(crate) const fn normalized(mut self) -> Self {
        if self.lock_wait < 0 {
            self.lock_wait = 0;
        }
        if self.lock_ttl < 0 {
            self.lock_ttl = 0;
        }
        if self.keep_refresh < 0 {
            self.keep_refresh = 0;
        }
        self
    }
}

impl Default for StorePolicy {
    fn default() -> Self {
        Self::new()
    }
}

/// A store operation the session asks for; answer it with
/// [`Session::store_answer`](super::Session::store_answer) and its ticket.
/// Until then `poll` hands out no other store action (other callers get
/// the still-valid credential or `Wait`).
#[derive(Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum StoreAction<'s> {
    /// Read the shared record; answer [`StoreAnswer::Record`] (or
    /// `Failed`).
    Load {
        /// Pass back with the answer.
        ticket: Ticket,
    },
    /// Try to take the fetch lock (TTL: the driver's); answer `Locked`,
    /// `Busy` (another process holds it) or `Failed`.
    Lock {
        /// Pass back with the answer.
        ticket: Ticket,
    },
    /// Another process holds the lock: wait until it announces a save (or a
    /// short poll interval, never past `until`), then read the record and
    /// answer [`StoreAnswer::Record`].
    AwaitSave {
        /// Pass back with the answer.
        ticket: Ticket,
        /// When the session stops waiting for that process.
        until: i64,
    },
    /// Extend the lock this session holds (its fetch is in flight); answer
    /// `Locked` (still ours), `LockLost` or `Failed`.
    RenewLock {
        /// Pass back with the answer.
        ticket: Ticket,
    },
    /// Save the session's record ([`Session::encode_record`]) with this
    /// expiry, only over an older record, and (when `locked`) only while the
    /// lock is still ours, then release the lock. Answer `Saved`,
    /// `KeptNewer`, `LockLost` or `Failed`.
    ///
    /// [`Session::encode_record`]: super::Session::encode_record
    Save {
        /// Pass back with the answer.
        ticket: Ticket,
        /// The record's expiry (past the token's when it keeps a refresh
        /// token, see [`StorePolicy::keep_refresh`]).
        expires_at: i64,
        /// Fence the save by the lock this session holds.
        locked: bool,
    },
    /// Release the lock without saving; answer `Done` (or `Failed`).
    Unlock {
        /// Pass back with the answer.
        ticket: Ticket,
    },
    /// Delete the record only if it holds the access token whose SHA-256 is
    /// `digest` (a token this session invalidated: after a save kept a
    /// newer record holding it, or asked by
    /// [`Session::forget_in_store`](super::Session::forget_in_store));
    /// answer `Removed`.
    RemoveIfHolds {
        /// Pass back with the answer.
        ticket: Ticket,
        /// SHA-256 of the invalidated token.
        digest: &'s [u8; 32],
    },
}

impl StoreAction<'_> {
    /// The ticket to answer with.
    pub const fn ticket(&self) -> Ticket {
        match self {
            Self::Load { ticket }
            | Self::Lock { ticket }
            | Self::AwaitSave { ticket, .. }
            | Self::RenewLock { ticket }
            | Self::Save { ticket, .. }
            | Self::Unlock { ticket }
            | Self::RemoveIfHolds { ticket, .. } => *ticket,
        }
    }
}

impl core::fmt::Debug for StoreAction<'_> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            Self::Load { ticket } => f.debug_struct("Load").field("ticket", ticket).finish(),
            Self::Lock { ticket } => f.debug_struct("Lock").field("ticket", ticket).finish(),
            Self::AwaitSave { ticket, until } => f
                .debug_struct("AwaitSave")
                .field("ticket", ticket)
                .field("until", until)
                .finish(),
            Self::RenewLock { ticket } => {
                f.debug_struct("RenewLock").field("ticket", ticket).finish()
            }
            Self::Save {
                ticket,
                expires_at,
                locked,
            } => f
                .debug_struct("Save")
                .field("ticket", ticket)
                .field("expires_at", expires_at)
                .field("locked", locked)
                .finish(),
            Self::Unlock { ticket } => f.debug_struct("Unlock").field("ticket", ticket).finish(),
            // A digest is not a secret, but nothing needs to see it.
            Self::RemoveIfHolds { ticket, .. } => f
                .debug_struct("RemoveIfHolds")
                .field("ticket", ticket)
                .finish_non_exhaustive(),
        }
    }
}

/// What the driver did with a [`StoreAction`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum StoreAnswer<'a> {
    /// `Load`/`AwaitSave`: the record read (`None`: there is none).
    Record(Option<&'a [u8]>),
    /// `Lock`: taken. `RenewLock`: still ours.
    Locked,
    /// `Lock`: another process holds it.
    Busy,
    /// `Lock`: not taken and not worth waiting for (the driver waited long
    /// enough): fetch without it.
    GaveUp,
    /// `Save`: written (the lock released).
    Saved,
    /// `Save`: the store kept a record it ranks as newer.
    KeptNewer,
    /// `Save`/`RenewLock`: the lock is no longer ours (not written).
    LockLost,
    /// `RemoveIfHolds`: whether the record was deleted.
    Removed(bool),
    /// `Unlock`: done.
    Done,
    /// Any action: the store failed (the session goes on without it).
    Failed,
}

/// What a [`StoreAnswer`] did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StoreOutcome {
    /// A record was adopted: the session holds a fresh credential (no
    /// request is made).
    Adopted,
    /// The protocol goes on (`poll` for the next step).
    Continue,
    /// The answer was for no outstanding action: ignored.
    Stale,
}

/// Why a record is loaded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Why {
    /// Before taking the lock.
    First,
    /// After taking the lock (someone may have saved meanwhile).
    UnderLock,
    /// After waiting for another process's save.
    AfterWait,
    /// A rejected session looks for a peer's token.
    Check,
}

/// Where a fetch attempt is in the store protocol.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Phase {
    Idle,
    Load(Why),
    Lock,
    AwaitSave,
    /// Store done: build the request (holding the lock when `locked`).
    Go,
    /// The request is in flight.
    Fetching,
    Save {
        expires_at: i64,
    },
    Unlock,
    Remove {
        next: usize,
        expires_at: i64,
    },
    Resave {
        expires_at: i64,
    },
    /// Delete the record if it holds the token with this digest
    /// ([`Session::forget_in_store`](super::Session::forget_in_store)).
    Forget {
        digest: [u8; 32],
    },
}

/// The store protocol's state inside a session.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Shared {
    pub(crate) policy: StorePolicy,
    pub(crate) phase: Phase,
    /// The phase's action was handed out and not answered yet.
    pub(crate) issued: bool,
    /// The ticket of the attempt (or of its fetch, once sent).
    pub(crate) ticket: u64,
    /// When the attempt began (for `lock_wait` and `fetch_timeout`).
    pub(crate) started: i64,
    /// The session holds the store lock.
    pub(crate) locked: bool,
    /// When to renew the lock next (`lock_ttl` > 0).
    pub(crate) renew_at: i64,
    /// A `RenewLock` is out.
    pub(crate) renewing: bool,
    /// When a rejected session last looked at the store.
    pub(crate) checked: i64,
    /// An invalidated token's digest whose record is to be deleted.
    pub(crate) forget: Option<[u8; 32]>,
}

impl Shared {
    pub(crate) const fn new(policy: StorePolicy) -> Self {
        Self {
            policy: policy.normalized(),
            phase: Phase::Idle,
            issued: false,
            ticket: 0,
            started: 0,
            locked: false,
            renew_at: i64::MAX,
            renewing: false,
            checked: i64::MIN,
            forget: None,
        }
    }

    /// Whether an action of the protocol is out (answered by nobody yet)
    /// or an attempt is under way before its fetch.
    pub(crate) const fn busy(&self) -> bool {
        !matches!(self.phase, Phase::Idle | Phase::Fetching)
    }

    /// Moves to `phase`, its action not handed out yet.
    pub(crate) const fn to(&mut self, phase: Phase) {
        self.phase = phase;
        self.issued = false;
    }

    /// The fetch is over (landed or abandoned): a `RenewLock` still out
    /// carries the fetch's ticket, so the steps that follow take a fresh
    /// one from `next` — the renewal's late answer is then stale rather
    /// than taken for the answer to the `Save` or `Unlock`.
    pub(crate) const fn fresh_ticket_if_renewing(&mut self, next: &mut u64) {
        if self.renewing {
            self.ticket = super::ticket::take(next);
            self.renewing = false;
        }
    }
}
