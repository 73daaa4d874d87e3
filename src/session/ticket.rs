//! [`Ticket`]: which attempt an answer belongs to (a leaf: the machine and
//! the shared-store steps both stamp their actions with it).

/// Identifies one fetch. `complete`/`fail` with any other ticket (an
/// abandoned or answered fetch) are ignored.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Ticket(pub(crate) u64);

impl Ticket {
    /// The ticket number (for the C ABI and logs).
    pub const fn get(self) -> u64 {
        self.0
    }
    /// A ticket from its number (from the C ABI).
    pub const fn from_u64(n: u64) -> Self {
        Self(n)
    }
}

/// Takes the ticket number `next` holds and advances it (never 0: 0 means
/// "none" across the C ABI).
pub(crate) const fn take(next: &mut u64) -> u64 {
    let ticket = *next;
    *next = match next.wrapping_add(1) {
        0 => 1,
        n => n,
    };
    ticket
}
