//! JWS algorithm identifiers and their size limits. A leaf: imports nothing
//! from the crate, so every other module (including [`crate::error`]) may use it.

/// JWS algorithms jwtmint signs with (RFC 7518 §3.3 and §3.5).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Algorithm {
    /// RSASSA-PKCS1-v1_5 with SHA-256.
    Rs256,
    /// RSASSA-PSS with SHA-256, MGF1-SHA-256, 32-byte salt.
    Ps256,
}

impl Algorithm {
    /// The `alg` header value.
    pub const fn as_str(self) -> &'static str {
        match self {
            Algorithm::Rs256 => "RS256",
            Algorithm::Ps256 => "PS256",
        }
    }
}

/// Largest signature any signer may produce: RSA-8192, 1024 bytes.
pub const MAX_SIGNATURE_LEN: usize = 1024;
