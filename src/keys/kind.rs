//! The one key-type/algorithm agreement check (a leaf).

use crate::alg::{Algorithm, KeyKind};
use crate::error::{Error, Result};

/// `KeyAlgorithmMismatch` unless `alg` is made with keys of `kind`.
///
/// # Errors
/// `KeyAlgorithmMismatch`.
pub(crate) fn check(kind: KeyKind, alg: Algorithm) -> Result<()> {
    if alg.key_kind() == kind {
        Ok(())
    } else {
        Err(Error::KeyAlgorithmMismatch { key: kind, alg })
    }
}
