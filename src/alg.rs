//! JWS algorithm identifiers, the key types they need, and their size
//! limits. A leaf: imports nothing from the crate, so every other module
//! (including [`crate::error`]) may use it.

/// JWS algorithms jwtmint signs and verifies (RFC 7518 §3, RFC 8037).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Algorithm {
    /// RSASSA-PKCS1-v1_5 with SHA-256.
    Rs256,
    /// RSASSA-PKCS1-v1_5 with SHA-384.
    Rs384,
    /// RSASSA-PKCS1-v1_5 with SHA-512.
    Rs512,
    /// RSASSA-PSS with SHA-256, MGF1-SHA-256, 32-byte salt.
    Ps256,
    /// RSASSA-PSS with SHA-384, MGF1-SHA-384, 48-byte salt.
    Ps384,
    /// RSASSA-PSS with SHA-512, MGF1-SHA-512, 64-byte salt.
    Ps512,
    /// ECDSA P-256 with SHA-256; 64-byte `r || s` signature.
    Es256,
    /// ECDSA P-384 with SHA-384; 96-byte `r || s` signature.
    Es384,
    /// ECDSA P-521 with SHA-512; 132-byte `r || s` signature.
    Es512,
    /// EdDSA with Ed25519 (RFC 8037); 64-byte signature.
    EdDsa,
    /// HMAC with SHA-256; 32-byte MAC.
    Hs256,
    /// HMAC with SHA-384; 48-byte MAC.
    Hs384,
    /// HMAC with SHA-512; 64-byte MAC.
    Hs512,
}

/// The kind of key an algorithm needs (and a key has): the verifier and the
/// signer pin it, so a token's `alg` never chooses the key type.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum KeyKind {
    /// An RSA key (RS*, PS*).
    Rsa,
    /// An EC key on P-256 (ES256).
    P256,
    /// An EC key on P-384 (ES384).
    P384,
    /// An EC key on P-521 (ES512).
    P521,
    /// An Ed25519 key (EdDSA).
    Ed25519,
    /// A symmetric HMAC secret (HS*).
    Hmac,
}

impl KeyKind {
    /// A short human name (`"RSA"`, `"EC P-256"`, `"Ed25519"`, `"HMAC secret"`).
    pub const fn as_str(self) -> &'static str {
        match self {
            KeyKind::Rsa => "RSA",
            KeyKind::P256 => "EC P-256",
            KeyKind::P384 => "EC P-384",
            KeyKind::P521 => "EC P-521",
            KeyKind::Ed25519 => "Ed25519",
            KeyKind::Hmac => "HMAC secret",
        }
    }
}

impl Algorithm {
    /// Every algorithm, in RFC 7518 order.
    pub const ALL: [Algorithm; 13] = [
        Algorithm::Rs256,
        Algorithm::Rs384,
        Algorithm::Rs512,
        Algorithm::Ps256,
        Algorithm::Ps384,
        Algorithm::Ps512,
        Algorithm::Es256,
        Algorithm::Es384,
        Algorithm::Es512,
        Algorithm::EdDsa,
        Algorithm::Hs256,
        Algorithm::Hs384,
        Algorithm::Hs512,
    ];

    /// The `alg` header value.
    pub const fn as_str(self) -> &'static str {
        match self {
            Algorithm::Rs256 => "RS256",
            Algorithm::Rs384 => "RS384",
            Algorithm::Rs512 => "RS512",
            Algorithm::Ps256 => "PS256",
            Algorithm::Ps384 => "PS384",
            Algorithm::Ps512 => "PS512",
            Algorithm::Es256 => "ES256",
            Algorithm::Es384 => "ES384",
            Algorithm::Es512 => "ES512",
            Algorithm::EdDsa => "EdDSA",
            Algorithm::Hs256 => "HS256",
            Algorithm::Hs384 => "HS384",
            Algorithm::Hs512 => "HS512",
        }
    }

    /// The algorithm whose `alg` value is exactly `name` (case-sensitive, as
    /// RFC 7515 §4.1.1 requires).
    pub fn from_name(name: &str) -> Option<Algorithm> {
        Self::ALL.into_iter().find(|a| a.as_str() == name)
    }

    /// The key type this algorithm signs with.
    pub const fn key_kind(self) -> KeyKind {
        match self {
            Algorithm::Rs256
            | Algorithm::Rs384
            | Algorithm::Rs512
            | Algorithm::Ps256
            | Algorithm::Ps384
            | Algorithm::Ps512 => KeyKind::Rsa,
            Algorithm::Es256 => KeyKind::P256,
            Algorithm::Es384 => KeyKind::P384,
            Algorithm::Es512 => KeyKind::P521,
            Algorithm::EdDsa => KeyKind::Ed25519,
            Algorithm::Hs256 | Algorithm::Hs384 | Algorithm::Hs512 => KeyKind::Hmac,
        }
    }

    /// Output length of the algorithm's hash in bytes (the PSS salt length,
    /// the HMAC output and minimum secret length). EdDSA: 64 (SHA-512).
    pub const fn hash_len(self) -> usize {
        match self {
            Algorithm::Rs256 | Algorithm::Ps256 | Algorithm::Es256 | Algorithm::Hs256 => 32,
            Algorithm::Rs384 | Algorithm::Ps384 | Algorithm::Es384 | Algorithm::Hs384 => 48,
            Algorithm::Rs512
            | Algorithm::Ps512
            | Algorithm::Es512
            | Algorithm::EdDsa
            | Algorithm::Hs512 => 64,
        }
    }

    /// The signature length when the algorithm fixes it (`None` for RSA,
    /// where it is the modulus length).
    pub const fn fixed_signature_len(self) -> Option<usize> {
        match self.key_kind() {
            KeyKind::Rsa => None,
            KeyKind::P256 => Some(64),
            KeyKind::P384 => Some(96),
            KeyKind::P521 => Some(132),
            KeyKind::Ed25519 => Some(64),
            KeyKind::Hmac => Some(self.hash_len()),
        }
    }
}

/// Largest signature any signer may produce: RSA-8192, 1024 bytes (every
/// fixed-size signature — ES512's 132 bytes at most — is smaller).
pub const MAX_SIGNATURE_LEN: usize = 1024;

#[allow(clippy::indexing_slicing)] // compile time: an out-of-range index fails the build
const _: () = {
    let mut i = 0;
    while i < Algorithm::ALL.len() {
        if let Some(n) = Algorithm::ALL[i].fixed_signature_len() {
            assert!(n <= MAX_SIGNATURE_LEN);
        }
        i += 1;
    }
};
