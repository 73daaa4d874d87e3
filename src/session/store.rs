//! [`Sessions`]: up to `N` sessions in a fixed table, keyed by identity.

use core::ops::Deref;

use crate::profiles::Profile;
use crate::signer::JwsKey;

use super::machine::Session;

/// Up to `N` sessions, looked up by [`Session::identity`] (everything that
/// changes the grant), so two configurations of the same grant share one
/// session and one token. No allocation.
pub struct Sessions<P, K, const N: usize, const TOKEN: usize = 4096, const REQUEST: usize = 4096>
where
    P: Deref,
    P::Target: Profile,
    K: Deref,
    K::Target: JwsKey,
{
    slots: [Option<Session<P, K, TOKEN, REQUEST>>; N],
}

impl<P, K, const N: usize, const TOKEN: usize, const REQUEST: usize> Default
    for Sessions<P, K, N, TOKEN, REQUEST>
where
    P: Deref,
    P::Target: Profile,
    K: Deref,
    K::Target: JwsKey,
{
    fn default() -> Self {
        Self::new()
    }
}

impl<P, K, const N: usize, const TOKEN: usize, const REQUEST: usize>
    Sessions<P, K, N, TOKEN, REQUEST>
where
    P: Deref,
    P::Target: Profile,
    K: Deref,
    K::Target: JwsKey,
{
    /// An empty table.
    pub fn new() -> Self {
        Self {
            slots: core::array::from_fn(|_| None),
        }
    }

    /// The session with this identity.
    pub fn get_mut(&mut self, identity: &[u8; 32]) -> Option<&mut Session<P, K, TOKEN, REQUEST>> {
        self.slots
            .iter_mut()
            .flatten()
            .find(|s| s.identity() == identity)
    }

    /// Adds `session`, or returns the existing session with its identity
    /// (dropping `session`).
    ///
    /// # Errors
    /// Gives `session` back when the table is full.
    // Handing the session back is the point (no allocation to box it in).
    #[allow(clippy::result_large_err)]
    pub fn insert(
        &mut self,
        session: Session<P, K, TOKEN, REQUEST>,
    ) -> Result<&mut Session<P, K, TOKEN, REQUEST>, Session<P, K, TOKEN, REQUEST>> {
        let id = *session.identity();
        let index = self
            .slots
            .iter()
            .position(|s| s.as_ref().is_some_and(|s| *s.identity() == id))
            .or_else(|| self.slots.iter().position(Option::is_none));
        let Some(slot) = index.and_then(|i| self.slots.get_mut(i)) else {
            return Err(session);
        };
        Ok(slot.get_or_insert(session))
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
