//! Byte sinks the encoders write into: a caller slice, a length counter, and a
//! streaming Base64Url encoder. None of them allocates.

use crate::base64url;
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

/// Length of what `emit` writes, counted without storing it.
pub(crate) fn measure(emit: impl Fn(&mut dyn Sink) -> Result<()>) -> Result<usize> {
    let mut c = Counter::default();
    emit(&mut c)?;
    Ok(c.len)
}

/// Runs `emit` into `out`; when `out` is too small, a counting pass reports
/// the exact length needed. Returns the length written.
pub(crate) fn write_exact(
    out: &mut [u8],
    emit: impl Fn(&mut dyn Sink) -> Result<()>,
) -> Result<usize> {
    let mut sink = SliceSink::new(out);
    match emit(&mut sink) {
        Ok(()) => Ok(sink.position()),
        Err(Error::BufferTooSmall { .. }) => Err(Error::BufferTooSmall {
            needed: measure(emit)?,
        }),
        Err(e) => Err(e),
    }
}

/// Size of the staging block for [`B64Sink`], a multiple of 3: typical RFC 7523
/// claims (150–400 bytes of JSON) are staged whole and encoded in one call.
const STAGE: usize = 480;

/// Streams bytes through Base64Url (no padding) into a caller slice.
///
/// Writes are staged in a fixed stack block and encoded in whole 3-byte groups,
/// so the JSON writer's many small writes stay cheap and nothing is allocated.
/// When the output runs out it reports [`OUT_OF_ROOM`]; callers recompute the
/// exact length with a [`Counter`] pass (the rare path stays off the hot one).
pub(crate) struct B64Sink<'o> {
    out: &'o mut [u8],
    written: usize,
    stage: [u8; STAGE],
    staged: usize,
}

/// Placeholder error: the caller replaces it with the exact needed length.
pub(crate) const OUT_OF_ROOM: Error = Error::BufferTooSmall { needed: 0 };

impl<'o> B64Sink<'o> {
    pub(crate) fn new(out: &'o mut [u8]) -> Self {
        Self {
            out,
            written: 0,
            stage: [0; STAGE],
            staged: 0,
        }
    }

    /// Encodes the staged bytes; with `all == false` keeps the last 0–2 bytes
    /// that do not fill a 3-byte group, moved to the front of the stage.
    fn flush(&mut self, all: bool) -> Result<()> {
        let take = if all {
            self.staged
        } else {
            self.staged - self.staged % 3
        };
        let chunk = self.stage.get(..take).ok_or(Error::LengthOverflow)?;
        let dst = self.out.get_mut(self.written..).ok_or(OUT_OF_ROOM)?;
        let n = base64url::encode(chunk, dst).map_err(|_| OUT_OF_ROOM)?;
        self.written += n;
        self.stage.copy_within(take..self.staged, 0);
        self.staged -= take;
        Ok(())
    }

    /// Flushes and returns the number of Base64Url bytes written.
    pub(crate) fn finish(mut self) -> Result<usize> {
        self.flush(true)?;
        Ok(self.written)
    }
}

impl Sink for B64Sink<'_> {
    #[inline]
    fn put(&mut self, bytes: &[u8]) -> Result<()> {
        let end = self.staged + bytes.len();
        if let Some(dst) = self.stage.get_mut(self.staged..end) {
            dst.copy_from_slice(bytes);
            self.staged = end;
            return Ok(());
        }
        // Slow path: the stage is full.
        let mut rest = bytes;
        while !rest.is_empty() {
            let room = STAGE - self.staged;
            let (head, tail) = rest.split_at(room.min(rest.len()));
            let dst = self
                .stage
                .get_mut(self.staged..self.staged + head.len())
                .ok_or(Error::LengthOverflow)?;
            dst.copy_from_slice(head);
            self.staged += head.len();
            rest = tail;
            if self.staged == STAGE {
                self.flush(false)?;
            }
        }
        Ok(())
    }
}
