//! JSON, crate-private: the writer used on the encode path, the strict
//! validator and the borrowed views used on the parse path.
//!
//! - [`write`]: escaping writer for headers and claims (`ObjectWriter`).
//! - [`check`]: strict RFC 8259 validator with a per-member callback; the
//!   single JSON pass of the parse path.
//! - [`view`]: zero-copy views of validated JSON — [`JsonStr`], [`Members`],
//!   [`Elements`].
//!
//! Data flows one way: `write` -> `check` (the shared SWAR scan) -> `view`.
//! The public parts are re-exported by [`crate::parse`] (and `JsonStr` at the
//! crate root).

pub(crate) mod check;
pub(crate) mod view;
pub(crate) mod write;

#[cfg(feature = "alloc")]
pub use check::validate_grammar;
pub use check::{MAX_DEPTH, validate, validate_object, validate_object_with};
pub use view::{Elements, JsonStr, Members, Unescape, raw_string};
