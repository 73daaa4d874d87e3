//! [`Sessions`]: up to `N` sessions in a fixed table, keyed by identity,
//! the least recently used idle one evicted when a new one needs room; and
//! `lru_victim`, the one eviction rule the many-subject tables share
//! (`client::subjects`, the C `jwtmint_sessions`).

use core::ops::Deref;

use crate::profiles::Profile;
use crate::signer::JwsKey;

use super::machine::Session;

/// Up to `N` sessions, looked up by [`Session::identity`] (everything that
/// changes the grant), so two configurations of the same grant share one
/// session and one token. No allocation.
///
/// Bounded: inserting a new session into a full table evicts the least
/// recently used (inserted or returned by [`Sessions::get_mut`]) session
/// with no fetch in flight, wiping it; a session whose answer is awaited is
/// never evicted.
pub struct Sessions<P, K, const N: usize, const TOKEN: usize = 4096, const REQUEST: usize = 4096>
where
    P: Deref<Target: Profile>,
    K: Deref<Target: JwsKey>,
{
    slots: [Option<Session<P, K, TOKEN, REQUEST>>; N],
    /// When each slot was last used (`tick` then).
    used: [u64; N],
    tick: u64,
}

/// Which item to evict: the least recently used (lowest `used`) item that
/// is not busy, else the least recently used busy one (`None` for no
/// items). Items are `(id, used, busy)`.
pub(crate) fn lru_victim<T>(items: impl Iterator<Item = (T, u64, bool)>) -> Option<T> {
    items
        .min_by_key(|&(_, used, busy)| (busy, used))
        .map(|(id, _, _)| id)
}

impl<P, K, const N: usize, const TOKEN: usize, const REQUEST: usize> Default
    for Sessions<P, K, N, TOKEN, REQUEST>
where
    P: Deref<Target: Profile>,
    K: Deref<Target: JwsKey>,
{
    fn default() -> Self {
        Self::new()
    }
}

impl<P, K, const N: usize, const TOKEN: usize, const REQUEST: usize>
    Sessions<P, K, N, TOKEN, REQUEST>
where
    P: Deref<Target: Profile>,
    K: Deref<Target: JwsKey>,
{
    /// An empty table.
    pub fn new() -> Self {
        Self {
            slots: core::array::from_fn(|_| None),
            used: [0; N],
            tick: 0,
        }
    }

    fn position(&self, identity: &[u8; 32]) -> Option<usize> {
        self.slots
            .iter()
            .position(|s| s.as_ref().is_some_and(|s| s.identity() == identity))
    }

    /// Marks slot `i` as just used and returns its session.
    fn touch(&mut self, i: usize) -> Option<&mut Session<P, K, TOKEN, REQUEST>> {
        self.tick = self.tick.wrapping_add(1);
        if let Some(u) = self.used.get_mut(i) {
            *u = self.tick;
        }
        self.slots.get_mut(i)?.as_mut()
    }

    /// The session with this identity (marked as just used).
    pub fn get_mut(&mut self, identity: &[u8; 32]) -> Option<&mut Session<P, K, TOKEN, REQUEST>> {
        let i = self.position(identity)?;
        self.touch(i)
    }

    /// Adds `session`, or returns the existing session with its identity
    /// (dropping `session`). When the table is full, the least recently
    /// used session with no fetch in flight is evicted (dropped, its
    /// tokens zeroized) to make room.
    ///
    /// # Errors
    /// Gives `session` back when the table is full and every session in it
    /// has a fetch in flight (`N` is 0, or too small for the concurrent
    /// fetches).
    // Handing the session back is the point (no allocation to box it in).
    #[allow(clippy::result_large_err)]
    pub fn insert(
        &mut self,
        session: Session<P, K, TOKEN, REQUEST>,
    ) -> Result<&mut Session<P, K, TOKEN, REQUEST>, Session<P, K, TOKEN, REQUEST>> {
        if let Some(i) = self.position(session.identity()) {
            return self.touch(i).ok_or(session);
        }
        let free = self.slots.iter().position(Option::is_none).or_else(|| {
            let idle = self
                .slots
                .iter()
                .zip(&self.used)
                .enumerate()
                .map(|(i, (s, &u))| (i, u, s.as_ref().is_some_and(Session::in_flight)));
            lru_victim(idle).filter(|&i| {
                self.slots
                    .get(i)
                    .is_some_and(|s| s.as_ref().is_some_and(|s| !s.in_flight()))
            })
        });
        let Some(i) = free else {
            return Err(session);
        };
        self.tick = self.tick.wrapping_add(1);
        let (Some(slot), Some(used)) = (self.slots.get_mut(i), self.used.get_mut(i)) else {
            return Err(session);
        };
        *used = self.tick;
        // The evicted session (if any) is dropped here, wiping its tokens.
        Ok(slot.insert(session))
    }

    /// Removes (and drops, zeroizing) the session with this identity.
    pub fn remove(&mut self, identity: &[u8; 32]) -> bool {
        match self
            .slots
            .iter_mut()
            .find(|s| s.as_ref().is_some_and(|s| s.identity() == identity))
        {
            Some(slot) => {
                *slot = None;
                true
            }
            None => false,
        }
    }

    /// How many sessions are in the table.
    pub fn len(&self) -> usize {
        self.slots.iter().flatten().count()
    }

    /// Whether the table is empty.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}
