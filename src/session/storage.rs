//! Where a [`Session`](super::Session) keeps its token, refresh token,
//! extras and request bytes: [`Inline`] fixed-capacity storage inside the
//! session (no allocation: firmware, `no_std`), or [`Heap`] buffers (feature
//! `alloc`) that take what each value needs, bounded by the same
//! capacities, and are wiped and freed when emptied — a service holding
//! thousands of sessions pays for the tokens it holds, not for the largest
//! token it could hold. The scratch slot and the request bytes are then
//! only allocated while a fetch runs.
//!
//! Every buffer is wiped (zeroized, its whole allocation) before it is
//! replaced, freed or dropped.

use zeroize::Zeroize;

/// The storage of a session's buffers: [`Inline`] or [`Heap`]. Sealed.
pub trait Storage: sealed::Sealed {
    /// A text buffer of at most `N` bytes.
    #[doc(hidden)]
    type Text<const N: usize>: Text;
    /// A byte buffer of `N` bytes while in use.
    #[doc(hidden)]
    type Bytes<const N: usize>: Bytes;
}

/// Fixed-capacity buffers inside the session (`heapless`): no allocation.
#[derive(Debug)]
pub enum Inline {}

/// Heap buffers sized to their content (bounded by the session's
/// capacities), wiped and freed when emptied.
#[cfg(feature = "alloc")]
#[derive(Debug)]
pub enum Heap {}

mod sealed {
    pub trait Sealed {}
    impl Sealed for super::Inline {}
    #[cfg(feature = "alloc")]
    impl Sealed for super::Heap {}
}

impl Storage for Inline {
    type Text<const N: usize> = heapless::String<N>;
    type Bytes<const N: usize> = InlineBytes<N>;
}

#[cfg(feature = "alloc")]
impl Storage for Heap {
    type Text<const N: usize> = HeapText<N>;
    type Bytes<const N: usize> = HeapBytes<N>;
}

/// The value did not fit the buffer's capacity (the buffer is left empty).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Full;

/// A bounded text buffer (crate-internal interface; the trait is public
/// only as a bound of [`Storage`]).
pub trait Text: Default {
    /// The most bytes it holds.
    const CAPACITY: usize;
    /// The text (empty when none).
    fn as_str(&self) -> &str;
    /// Zeroizes the text (and frees a heap allocation).
    fn wipe(&mut self);
    /// Replaces the text with `chars`, `len` bytes in all (wiped first).
    /// A heap buffer allocates `len` bytes once and never grows (no copy
    /// of the old bytes is left behind). [`Full`] when the text is over
    /// the capacity or `chars` runs past `len`; the buffer is then empty.
    fn set(&mut self, len: usize, chars: impl Iterator<Item = char>) -> Result<(), Full>;
}

/// A byte buffer of `N` bytes (crate-internal interface, as [`Text`]).
pub trait Bytes: Default {
    /// `N` zeroed bytes to write into (a heap buffer allocates them now).
    fn space(&mut self) -> &mut [u8];
    /// The bytes kept (empty after `wipe`).
    fn get(&self) -> &[u8];
    /// Keeps only the first `len` bytes (a heap buffer moves them to an
    /// allocation of `len` bytes and wipes the larger one).
    fn keep(&mut self, len: usize);
    /// Zeroizes the bytes (and frees a heap allocation).
    fn wipe(&mut self);
}

impl<const N: usize> Text for heapless::String<N> {
    const CAPACITY: usize = N;

    fn as_str(&self) -> &str {
        self
    }

    fn wipe(&mut self) {
        self.zeroize();
    }

    fn set(&mut self, len: usize, chars: impl Iterator<Item = char>) -> Result<(), Full> {
        self.zeroize();
        if len > N {
            return Err(Full);
        }
        for c in chars {
            if self.len() + c.len_utf8() > len || self.push(c).is_err() {
                self.zeroize();
                return Err(Full);
            }
        }
        Ok(())
    }
}

/// `N` inline bytes.
pub struct InlineBytes<const N: usize>([u8; N]);

impl<const N: usize> Default for InlineBytes<N> {
    fn default() -> Self {
        Self([0; N])
    }
}

impl<const N: usize> Bytes for InlineBytes<N> {
    fn space(&mut self) -> &mut [u8] {
        &mut self.0
    }

    fn get(&self) -> &[u8] {
        &self.0
    }

    fn keep(&mut self, _len: usize) {}

    fn wipe(&mut self) {
        self.0.zeroize();
    }
}

/// Zeroizes the whole allocation of `v` and frees it.
#[cfg(feature = "alloc")]
fn wipe_vec(v: &mut alloc::vec::Vec<u8>) {
    let mut v = core::mem::take(v);
    v.resize(v.capacity(), 0);
    v.as_mut_slice().zeroize();
}

/// Heap text of at most `N` bytes, allocated to its length.
#[cfg(feature = "alloc")]
#[derive(Default)]
pub struct HeapText<const N: usize>(alloc::string::String);

#[cfg(feature = "alloc")]
impl<const N: usize> Drop for HeapText<N> {
    fn drop(&mut self) {
        self.wipe();
    }
}

#[cfg(feature = "alloc")]
impl<const N: usize> Text for HeapText<N> {
    const CAPACITY: usize = N;

    fn as_str(&self) -> &str {
        &self.0
    }

    fn wipe(&mut self) {
        let mut v = core::mem::take(&mut self.0).into_bytes();
        wipe_vec(&mut v);
    }

    fn set(&mut self, len: usize, mut chars: impl Iterator<Item = char>) -> Result<(), Full> {
        self.wipe();
        if len > N {
            return Err(Full);
        }
        if len == 0 {
            // No allocation for an empty value; a non-empty `chars` is over.
            return if chars.next().is_some() {
                Err(Full)
            } else {
                Ok(())
            };
        }
        self.0 = alloc::string::String::with_capacity(len);
        for c in chars {
            // Never past the allocation: a push that would grow it (and
            // leave the old bytes behind unwiped) is refused instead.
            if self.0.len() + c.len_utf8() > self.0.capacity().min(len) {
                self.wipe();
                return Err(Full);
            }
            self.0.push(c);
        }
        Ok(())
    }
}

/// Heap bytes: `N` while being written, then what is kept.
#[cfg(feature = "alloc")]
#[derive(Default)]
pub struct HeapBytes<const N: usize>(alloc::vec::Vec<u8>);

#[cfg(feature = "alloc")]
impl<const N: usize> Drop for HeapBytes<N> {
    fn drop(&mut self) {
        self.wipe();
    }
}

#[cfg(feature = "alloc")]
impl<const N: usize> Bytes for HeapBytes<N> {
    fn space(&mut self) -> &mut [u8] {
        self.wipe();
        self.0 = alloc::vec![0; N];
        &mut self.0
    }

    fn get(&self) -> &[u8] {
        &self.0
    }

    fn keep(&mut self, len: usize) {
        let Some(kept) = self.0.get(..len) else {
            return;
        };
        let kept = kept.to_vec();
        self.wipe();
        self.0 = kept;
    }

    fn wipe(&mut self) {
        wipe_vec(&mut self.0);
    }
}

#[cfg(all(test, feature = "alloc"))]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    fn text<T: Text>(cap: usize) {
        let mut t = T::default();
        assert_eq!(T::CAPACITY, cap);
        t.set(5, "hello".chars()).unwrap();
        assert_eq!(t.as_str(), "hello");
        // Over the capacity, or past the length given: refused, emptied.
        let long = "x".repeat(cap + 1);
        assert_eq!(t.set(cap + 1, long.chars()), Err(Full));
        assert_eq!(t.as_str(), "");
        t.set(5, "hello".chars()).unwrap();
        assert_eq!(t.set(2, "abc".chars()), Err(Full));
        assert_eq!(t.as_str(), "");
        t.set(3, "é!".chars()).unwrap();
        assert_eq!(t.as_str(), "é!");
        t.set(0, "".chars()).unwrap();
        assert_eq!(t.as_str(), "");
        t.set(3, "abc".chars()).unwrap();
        t.wipe();
        assert_eq!(t.as_str(), "");
    }

    #[test]
    fn inline_and_heap_text_agree() {
        text::<heapless::String<8>>(8);
        text::<HeapText<8>>(8);
    }

    #[test]
    fn heap_text_takes_what_it_needs() {
        let mut t = HeapText::<32768>::default();
        assert_eq!(t.0.capacity(), 0);
        t.set(3, "abc".chars()).unwrap();
        assert_eq!(t.0.capacity(), 3);
        t.wipe();
        assert_eq!(t.0.capacity(), 0);
    }

    #[test]
    fn heap_bytes_keep_what_was_written() {
        let mut b = HeapBytes::<64>::default();
        assert!(b.get().is_empty());
        let s = b.space();
        assert_eq!(s.len(), 64);
        s[..3].copy_from_slice(b"abc");
        b.keep(3);
        assert_eq!(b.get(), b"abc");
        assert_eq!(b.0.capacity(), 3);
        b.wipe();
        assert!(b.get().is_empty());
        let mut i = InlineBytes::<4>::default();
        i.space().copy_from_slice(b"abcd");
        i.keep(2);
        assert_eq!(i.get(), b"abcd");
        i.wipe();
        assert_eq!(i.get(), &[0; 4]);
    }
}
