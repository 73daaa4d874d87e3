//! [`Secret`]: where a password comes from, lent for one request build.
//!
//! The resource-owner password grant (RFC 6749 §4.3) needs the password in
//! the request body. The session never keeps it: at each build it asks the
//! [`Secret`] to write the bytes into a scratch buffer the session owns and
//! zeroizes at once, encodes the form body, and forgets it (the body itself
//! is wiped when the fetch is answered). A `Secret` is never printed: its
//! `Debug` says where it comes from, never what it is.
//!
//! With `std`: [`SecretFile`] (read at each use, one trailing newline
//! dropped), [`SecretEnv`] (an environment variable) and [`SecretFn`] (a
//! closure: a vault, a keyring, a prompt). There is deliberately no
//! "literal string" source: a password on a command line leaks to `ps`.

use crate::error::{Error, Result};

/// How a `Debug` impl shows a secret (a token, a record, a body): its
/// length only, `<redacted, N bytes>` (`Some(<redacted, N bytes>)` as an
/// `Option`).
pub(crate) struct Redacted(pub(crate) usize);

impl core::fmt::Debug for Redacted {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "<redacted, {} bytes>", self.0)
    }
}

/// What a `Debug` impl shows of a secret field: [`Redacted`], its length
/// (`Some(..)` of it for an `Option`).
pub(crate) trait Redact {
    /// The redacted form.
    type Shown: core::fmt::Debug;
    /// The redacted form of `self`.
    fn redacted(&self) -> Self::Shown;
}

impl Redact for str {
    type Shown = Redacted;
    fn redacted(&self) -> Redacted {
        Redacted(self.len())
    }
}

impl Redact for [u8] {
    type Shown = Redacted;
    fn redacted(&self) -> Redacted {
        Redacted(self.len())
    }
}

impl Redact for crate::json::JsonStr<'_> {
    type Shown = Redacted;
    fn redacted(&self) -> Redacted {
        Redacted(self.raw().len())
    }
}

impl<T: Redact + ?Sized> Redact for &T {
    type Shown = T::Shown;
    fn redacted(&self) -> T::Shown {
        (**self).redacted()
    }
}

impl<T: Redact> Redact for Option<T> {
    type Shown = Option<T::Shown>;
    fn redacted(&self) -> Self::Shown {
        self.as_ref().map(T::redacted)
    }
}

/// `Debug` for a struct holding secrets: `debug_redacted!(Type<'_> { a,
/// token: secret, b })` prints the fields listed, in that order, those
/// marked `secret` as [`Redacted`] (their length only); a trailing `..`
/// leaves the unlisted fields out (`finish_non_exhaustive`).
macro_rules! debug_redacted {
    ($t:ident $(<$lt:lifetime>)? { $($field:ident $(: $secret:ident)?),+ $(,)? }) => {
        $crate::secret::debug_redacted!(@impl finish $t $(<$lt>)? { $($field $(: $secret)?),+ });
    };
    ($t:ident $(<$lt:lifetime>)? { $($field:ident $(: $secret:ident)?,)+ .. }) => {
        $crate::secret::debug_redacted!(
            @impl finish_non_exhaustive $t $(<$lt>)? { $($field $(: $secret)?),+ }
        );
    };
    (@impl $finish:ident $t:ident $(<$lt:lifetime>)? { $($field:ident $(: $secret:ident)?),+ }) => {
        impl core::fmt::Debug for $t $(<$lt>)? {
            fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                #[allow(unused_imports)]
                use $crate::secret::Redact as _;
                f.debug_struct(stringify!($t))
                    $(.field(
                        stringify!($field),
                        &$crate::secret::debug_redacted!(@show self.$field $($secret)?),
                    ))+
                    .$finish()
            }
        }
    };
    (@show $s:ident . $field:ident) => {
        $s.$field
    };
    (@show $s:ident . $field:ident secret) => {
        $s.$field.redacted()
    };
}
pub(crate) use debug_redacted;

/// Most bytes a secret may have (the scratch buffer the session lends).
pub const SECRET_CAPACITY: usize = 1024;

/// A source of one secret (a password), asked at each request build.
pub trait Secret {
    /// Writes the secret into `out` and returns its length. `out` is a
    /// zeroized-after-use scratch buffer of the caller.
    ///
    /// # Errors
    /// `BufferTooSmall` when it does not fit; `InvalidField { field:
    /// "password" }` when it is unavailable (never with the secret in it).
    fn reveal(&self, out: &mut [u8]) -> Result<usize>;
}

impl<S: Secret + ?Sized> Secret for &S {
    fn reveal(&self, out: &mut [u8]) -> Result<usize> {
        (**self).reveal(out)
    }
}

/// Copies `bytes` into `out` (the adapters' common tail).
#[cfg(feature = "std")]
fn put(bytes: &[u8], out: &mut [u8]) -> Result<usize> {
    let dst = out.get_mut(..bytes.len()).ok_or(Error::BufferTooSmall {
        needed: bytes.len(),
    })?;
    dst.copy_from_slice(bytes);
    Ok(bytes.len())
}

/// Reveals `secret` into a zeroized scratch buffer, hands the UTF-8 text to
/// `f`, and wipes the scratch before returning.
///
/// # Errors
/// The secret's errors; `InvalidUtf8`; `f`'s errors.
pub(crate) fn with_secret<S, T>(secret: &S, f: impl FnOnce(&str) -> Result<T>) -> Result<T>
where
    S: Secret + ?Sized,
{
    let mut scratch = zeroize::Zeroizing::new([0u8; SECRET_CAPACITY]);
    let n = secret.reveal(&mut scratch[..])?;
    let bytes = scratch.get(..n).ok_or(Error::LengthOverflow)?;
    let text = core::str::from_utf8(bytes).map_err(|_| Error::InvalidUtf8)?;
    f(text)
}

#[cfg(feature = "std")]
#[cfg_attr(docsrs, doc(cfg(feature = "std")))]
pub use self::sources::{SecretEnv, SecretFile, SecretFn};

#[cfg(feature = "std")]
mod sources {
    use std::io::Read;
    use std::path::PathBuf;

    use zeroize::Zeroizing;

    use super::{SECRET_CAPACITY, Secret, put};
    use crate::error::{Error, Result};

    const UNREADABLE: Error = Error::InvalidField {
        field: "password",
        reason: "the password file could not be read",
    };

    /// A secret read from a file at each use; one trailing `\n` (or `\r\n`)
    /// is dropped. Files over [`SECRET_CAPACITY`] bytes are refused.
    #[derive(Clone, Debug)]
    pub struct SecretFile(pub PathBuf);

    impl Secret for SecretFile {
        fn reveal(&self, out: &mut [u8]) -> Result<usize> {
            let file = std::fs::File::open(&self.0).map_err(|_| UNREADABLE)?;
            let mut buf = Zeroizing::new(std::vec::Vec::with_capacity(256));
            let limit = u64::try_from(SECRET_CAPACITY).unwrap_or(u64::MAX) + 1;
            file.take(limit)
                .read_to_end(&mut buf)
                .map_err(|_| UNREADABLE)?;
            if buf.len() > SECRET_CAPACITY {
                return Err(Error::InvalidField {
                    field: "password",
                    reason: "the password file is larger than SECRET_CAPACITY",
                });
            }
            let mut text: &[u8] = &buf;
            if let Some(t) = text.strip_suffix(b"\n") {
                text = t.strip_suffix(b"\r").unwrap_or(t);
            }
            put(text, out)
        }
    }

    /// A secret read from an environment variable at each use.
    #[derive(Clone, Debug)]
    pub struct SecretEnv(pub std::string::String);

    impl Secret for SecretEnv {
        fn reveal(&self, out: &mut [u8]) -> Result<usize> {
            let v = std::env::var_os(&self.0).ok_or(Error::InvalidField {
                field: "password",
                reason: "the password environment variable is not set",
            })?;
            let v = Zeroizing::new(v.into_encoded_bytes());
            put(&v, out)
        }
    }

    /// A secret from a closure (a vault, a keyring): it writes the bytes into
    /// the buffer it is given and returns their length.
    pub struct SecretFn<F>(pub F);

    impl<F> core::fmt::Debug for SecretFn<F> {
        fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
            f.write_str("SecretFn(<closure>)")
        }
    }

    impl<F: Fn(&mut [u8]) -> Result<usize>> Secret for SecretFn<F> {
        fn reveal(&self, out: &mut [u8]) -> Result<usize> {
            let n = (self.0)(out)?;
            if n > out.len() {
                return Err(Error::LengthOverflow);
            }
            Ok(n)
        }
    }
}

#[cfg(all(test, feature = "alloc"))]
mod tests {
    use crate::json::JsonStr;

    struct Held<'a> {
        token: &'a str,
        absent: Option<&'a str>,
        json: Option<JsonStr<'a>>,
        body: &'a [u8],
        count: u32,
        hidden: u8,
    }

    super::debug_redacted!(Held<'_> {
        token: secret,
        absent: secret,
        json: secret,
        body: secret,
        count,
        ..
    });

    struct Plain {
        id: u8,
        record: zeroize::Zeroizing<alloc::vec::Vec<u8>>,
    }

    super::debug_redacted!(Plain { record: secret, id });

    /// The fields listed, in order; secrets by length only; `..` for the
    /// fields left out, `finish` without it.
    #[test]
    fn debug_redacted_shows_lengths_only() {
        let held = Held {
            token: "s3cret-token",
            absent: None,
            json: Some(JsonStr::from_raw("a\\u0041b")),
            body: b"grant=xyz",
            count: 7,
            hidden: 9,
        };
        assert_eq!(held.hidden, 9);
        assert_eq!(
            alloc::format!("{held:?}"),
            "Held { token: <redacted, 12 bytes>, absent: None, \
             json: Some(<redacted, 8 bytes>), body: <redacted, 9 bytes>, count: 7, .. }"
        );
        let plain = Plain {
            id: 3,
            record: zeroize::Zeroizing::new(alloc::vec![1, 2, 3, 4]),
        };
        assert_eq!(
            alloc::format!("{plain:?}"),
            "Plain { record: <redacted, 4 bytes>, id: 3 }"
        );
    }
}
