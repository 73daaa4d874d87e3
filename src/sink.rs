//! Byte sinks the encoders write into: a caller slice, a length counter, and a
//! streaming Base64Url encoder. None of them allocates.

use base64ct::{Base64UrlUnpadded, Encoder};

use crate::error::{Error, Result};

/// Something bytes can be written to.
pub(crate) trait Sink {
    /// Append `bytes`.
    fn put(&mut self, bytes: &[u8]) -> Result<()>;
}

/// Counts bytes without storing them: the preflight for `*_len()` functions.
#[derive(Default)]
pub(crate) struct Counter {
    pub(crate) len: usize,
}

impl Sink for Counter {
    #[inline]
    fn put(&mut self, bytes: &[u8]) -> Result<()> {
        self.len = self
            .len
            .checked_add(bytes.len())
            .ok_or(Error::LengthOverflow)?;
        Ok(())
    }
}

/// Writes into a caller slice; fails (without partial-write guarantees) when full.
pub(crate) struct SliceSink<'o> {
    out: &'o mut [u8],
    pos: usize,
}

impl<'o> SliceSink<'o> {
    pub(crate) fn new(out: &'o mut [u8]) -> Self {
        Self { out, pos: 0 }
    }

    pub(crate) fn position(&self) -> usize {
        self.pos
    }
}

impl Sink for SliceSink<'_> {
    #[inline]
    fn put(&mut self, bytes: &[u8]) -> Result<()> {
        let end = self
            .pos
            .checked_add(bytes.len())
            .ok_or(Error::LengthOverflow)?;
        let dst = self
            .out
            .get_mut(self.pos..end)
            .ok_or(Error::BufferTooSmall { needed: end })?;
        dst.copy_from_slice(bytes);
        self.pos = end;
        Ok(())
    }
}

/// Size of the staging block for [`B64Sink`]; a multiple of 3 so whole blocks are flushed.
const STAGE: usize = 192;

/// Streams bytes through Base64Url (no padding) into a caller slice.
///
/// Small writes are staged in a fixed stack block and handed to `base64ct` in
/// bulk, so the JSON writer's many tiny writes stay cheap. When the output runs
/// out it reports `BufferTooSmall { needed: 0 }`: callers recompute the exact
/// length with a [`Counter`] pass (the rare path stays off the hot one).
pub(crate) struct B64Sink<'o> {
    enc: Encoder<'o, Base64UrlUnpadded>,
    stage: [u8; STAGE],
    staged: usize,
}

/// Placeholder error: the caller replaces it with the exact needed length.
pub(crate) const OUT_OF_ROOM: Error = Error::BufferTooSmall { needed: 0 };

impl<'o> B64Sink<'o> {
    pub(crate) fn new(out: &'o mut [u8]) -> Result<Self> {
        let enc = Encoder::new(out).map_err(|_| OUT_OF_ROOM)?;
        Ok(Self {
            enc,
            stage: [0; STAGE],
            staged: 0,
        })
    }

    fn flush(&mut self) -> Result<()> {
        let chunk = self.stage.get(..self.staged).ok_or(Error::LengthOverflow)?;
        self.enc.encode(chunk).map_err(|_| OUT_OF_ROOM)?;
        self.staged = 0;
        Ok(())
    }

    /// Flushes and returns the number of Base64Url bytes written.
    pub(crate) fn finish(mut self) -> Result<usize> {
        self.flush()?;
        Ok(self.enc.finish().map_err(|_| OUT_OF_ROOM)?.len())
    }
}

impl Sink for B64Sink<'_> {
    #[inline]
    fn put(&mut self, mut bytes: &[u8]) -> Result<()> {
        while !bytes.is_empty() {
            let room = STAGE - self.staged;
            let (head, tail) = bytes.split_at(room.min(bytes.len()));
            let dst = self
                .stage
                .get_mut(self.staged..self.staged + head.len())
                .ok_or(Error::LengthOverflow)?;
            dst.copy_from_slice(head);
            self.staged += head.len();
            bytes = tail;
            if self.staged == STAGE {
                self.flush()?;
            }
        }
        Ok(())
    }
}
