//! The errors of the client pieces: each names what failed, never a secret.
//! Text that came from a server is sanitised by [`super::redact`] before it
//! is stored here.

#[allow(unused_imports)]
use std::prelude::rust_2024::*;
#[allow(unused_imports)]
use std::{format, vec};

use std::fmt;
use std::path::PathBuf;

/// What went wrong talking to a token endpoint or a token store.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ClientError {
    /// The token URL does not parse (WHATWG URL rules).
    UrlInvalid {
        /// Why, from the parser.
        reason: String,
    },
    /// The token URL carries a user name or password (`user:pass@host`).
    UrlUserinfo,
    /// Neither `https://` nor `http://`.
    UrlScheme {
        /// The scheme given.
        scheme: String,
    },
    /// `http://` to a host that is not loopback (127.0.0.0/8, ::1, `localhost`).
    UrlNotLoopback {
        /// The parsed host.
        host: String,
    },
    /// The endpoint answered 3xx: token endpoints are never redirected.
    Redirect {
        /// The status code.
        status: u16,
        /// The `Location` header, sanitised (empty when absent).
        location: String,
    },
    /// No connection within the connect timeout.
    ConnectTimeout {
        /// The timeout, in milliseconds.
        millis: u64,
    },
    /// The whole request (connect, send, response, body) took too long.
    RequestTimeout {
        /// The timeout, in milliseconds.
        millis: u64,
    },
    /// The connection failed (refused, DNS, TLS, reset).
    Connect {
        /// The transport's description (sanitised).
        reason: String,
    },
    /// The response body is larger than the cap.
    BodyTooLarge {
        /// The cap, in bytes.
        limit: usize,
    },
    /// Any other transport failure.
    Transport {
        /// The transport's description (sanitised).
        reason: String,
    },
    /// A timeout of zero was configured.
    ZeroTimeout,
    /// A store refused a file or record it did not write (owner, mode).
    StoreUntrusted {
        /// The file.
        path: PathBuf,
        /// Why it is not trusted.
        reason: String,
    },
    /// A stored record is not in the expected format.
    StoreCorrupt {
        /// Where.
        path: PathBuf,
        /// What is wrong.
        reason: &'static str,
    },
    /// A store's IO failed.
    StoreIo {
        /// What was being done (`"write"`, `"rename"`, ...).
        op: &'static str,
        /// The file or directory.
        path: PathBuf,
        /// The OS error kind.
        kind: std::io::ErrorKind,
        /// The OS message.
        message: String,
    },
    /// A store backend (e.g. Redis) failed.
    StoreBackend {
        /// Which backend.
        store: &'static str,
        /// Its description (must not contain record bytes).
        reason: String,
    },
    /// The key cannot sign for the profile (e.g. `KeyAlgorithmMismatch`:
    /// an EC key for an RS256 profile).
    Key {
        /// The key's error.
        error: crate::error::Error,
    },
}

impl ClientError {
    /// A [`ClientError::StoreIo`] from an `io::Error`.
    pub fn store_io(op: &'static str, path: &std::path::Path, e: &std::io::Error) -> Self {
        Self::StoreIo {
            op,
            path: path.to_path_buf(),
            kind: e.kind(),
            message: e.to_string(),
        }
    }
}

impl fmt::Display for ClientError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::UrlInvalid { reason } => write!(f, "the token URL is not a valid URL: {reason}"),
            Self::UrlUserinfo => f.write_str(
                "the token URL must not contain a user name or password (user:pass@host)",
            ),
            Self::UrlScheme { scheme } => write!(
                f,
                "the token URL must use https:// (scheme `{scheme}` refused)"
            ),
            Self::UrlNotLoopback { host } => write!(
                f,
                "plain http:// is only allowed to loopback hosts (127.0.0.0/8, ::1, localhost), not {host}; use https://"
            ),
            Self::Redirect { status, location } if location.is_empty() => write!(
                f,
                "the token endpoint answered HTTP {status} (a redirect, without Location): token endpoints are never redirected"
            ),
            Self::Redirect { status, location } => write!(
                f,
                "the token endpoint answered HTTP {status} redirecting to {location}: not followed, token endpoints are never redirected (use that URL as --token-url if you trust it)"
            ),
            Self::ConnectTimeout { millis } => {
                write!(f, "connect timed out after {}", Ms(*millis))
            }
            Self::RequestTimeout { millis } => write!(
                f,
                "the request timed out after {} (connect, send, response and body together)",
                Ms(*millis)
            ),
            Self::Connect { reason } => write!(f, "connection failed: {reason}"),
            Self::BodyTooLarge { limit } => {
                write!(f, "the response body is larger than {limit} bytes")
            }
            Self::Transport { reason } => write!(f, "transport error: {reason}"),
            Self::ZeroTimeout => f.write_str("a timeout must be at least 1 second"),
            Self::StoreUntrusted { path, reason } => {
                write!(f, "not using {}: {reason}", path.display())
            }
            Self::StoreCorrupt { path, reason } => {
                write!(
                    f,
                    "{} is not a jwtmint token record: {reason}",
                    path.display()
                )
            }
            Self::StoreIo {
                op, path, message, ..
            } => write!(f, "{op} {}: {message}", path.display()),
            Self::StoreBackend { store, reason } => write!(f, "{store} store: {reason}"),
            Self::Key { error } => write!(f, "the key cannot sign for this profile: {error}"),
        }
    }
}

impl std::error::Error for ClientError {}

/// Milliseconds as `N s` when whole seconds, else `N ms`.
struct Ms(u64);

impl fmt::Display for Ms {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.is_multiple_of(1000) {
            write!(f, "{} s", self.0 / 1000)
        } else {
            write!(f, "{} ms", self.0)
        }
    }
}
