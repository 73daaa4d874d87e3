//! The one mint path for every profile: the Rust API, the C ABI and the CLI
//! all come through [`prepare`].

use crate::claims::Claims;
use crate::error::{Error, Result};
use crate::header::HeaderTemplate;
use crate::signer::JwsKey;

use super::profile::{Jti, Profile};
use super::rules::non_empty;

/// Length of a UUID in text form (the `jti` drawn when a profile needs one).
pub const UUID_LEN: usize = 36;

/// Mints `profile`'s assertion issued at `now` with `key` into `out`, and
/// returns its length. The key makes a signer for the profile's algorithm,
/// so the algorithm cannot disagree with the header. `jti` is the assertion
/// id; when the profile requires one and none is given, a random UUID v4 is
/// drawn from the OS (with `std`).
///
/// ```
/// # #[cfg(feature = "std")] {
/// use jwtmint::profiles::{Login, Profile, Salesforce};
/// let key = jwtmint::SigningKey::from_pem(include_str!("../../examples/keys/demo-key.pem")).unwrap();
/// let sf = Salesforce::new("3MVG9...consumer-key", "user@example.com", Login::Sandbox).unwrap();
/// let mut out = [0u8; 1024];
/// let n = jwtmint::profiles::mint_profile(&sf, &key, 1_700_000_000, None, &mut out).unwrap();
/// assert_eq!(n, jwtmint::profiles::mint_profile_len(&sf, &key, 1_700_000_000, None).unwrap());
/// let request = sf.token_request().unwrap();
/// assert_eq!(request.url, "https://test.salesforce.com/services/oauth2/token");
/// # }
/// ```
///
/// # Errors
/// `InvalidField` for an empty `jti`, or a missing required one without `std`; the key's
/// `UnsupportedAlgorithm`; as [`crate::mint`] otherwise.
pub fn mint_profile<P: Profile + ?Sized, K: JwsKey + ?Sized>(
    profile: &P,
    key: &K,
    now: i64,
    jti: Option<&str>,
    out: &mut [u8],
) -> Result<usize> {
    prepare(profile, key, now, jti, |signer, header, claims| {
        crate::jws::mint(signer, header, claims, out)
    })
}

/// Exact length of [`mint_profile`]'s output (a drawn `jti` always has
/// [`UUID_LEN`] characters, so the length holds for the real mint).
///
/// # Errors
/// As [`mint_profile`], without the signing errors.
pub fn mint_profile_len<P: Profile + ?Sized, K: JwsKey + ?Sized>(
    profile: &P,
    key: &K,
    now: i64,
    jti: Option<&str>,
) -> Result<usize> {
    prepare(profile, key, now, jti, |signer, header, claims| {
        claims.validate()?;
        crate::jws::mint_len(
            header,
            claims,
            crate::signer::JwsSigner::signature_len(signer),
        )
    })
}

/// [`mint_profile`] into a `String` of exactly the right size.
///
/// # Errors
/// As [`mint_profile`].
#[cfg(feature = "alloc")]
#[cfg_attr(docsrs, doc(cfg(feature = "alloc")))]
pub fn mint_profile_string<P: Profile + ?Sized, K: JwsKey + ?Sized>(
    profile: &P,
    key: &K,
    now: i64,
    jti: Option<&str>,
) -> Result<alloc::string::String> {
    prepare(profile, key, now, jti, |signer, header, claims| {
        crate::jws::mint_string(signer, header, claims)
    })
}

/// The shared first half of every profile mint: settles the `jti`, builds
/// the claims and makes the key's signer for the profile's algorithm, then
/// hands them to `f` (which encodes, measures or signs).
pub(crate) fn prepare<P, K, T, F>(
    profile: &P,
    key: &K,
    now: i64,
    jti: Option<&str>,
    f: F,
) -> Result<T>
where
    P: Profile + ?Sized,
    K: JwsKey + ?Sized,
    F: FnOnce(&mut K::Signer<'_>, &HeaderTemplate, &Claims<'_>) -> Result<T>,
{
    crate::time::check_now(now)?;
    if let Some(j) = jti {
        non_empty("jti", j)?;
    }
    let mut uuid = [0u8; UUID_LEN];
    let jti = match (jti, profile.limits().jti) {
        (None, Jti::Required) => Some(random_jti(&mut uuid)?),
        (jti, _) => jti,
    };
    let claims = profile.claims(now, jti)?;
    let mut signer = key.signer(profile.algorithm())?;
    f(&mut signer, profile.header(), &claims)
}

#[cfg(feature = "std")]
fn random_jti(buf: &mut [u8; UUID_LEN]) -> Result<&str> {
    uuid_v4(&mut getrandom::SysRng, buf)
}

#[cfg(not(feature = "std"))]
fn random_jti(_: &mut [u8; UUID_LEN]) -> Result<&str> {
    Err(Error::InvalidField {
        field: "jti",
        reason: "required by this profile; pass one (no OS RNG without std)",
    })
}

/// Writes a random (version 4, RFC 9562) UUID from `rng` into `buf` and
/// returns it as lower-case text.
///
/// # Errors
/// `Rng` if the RNG fails.
pub fn uuid_v4<'b, R: rand_core::TryCryptoRng + ?Sized>(
    rng: &mut R,
    buf: &'b mut [u8; UUID_LEN],
) -> Result<&'b str> {
    let mut b = [0u8; 16];
    rng.try_fill_bytes(&mut b).map_err(|_| Error::Rng)?;
    let [_, _, _, _, _, _, v, _, var, ..] = &mut b;
    *v = (*v & 0x0f) | 0x40;
    *var = (*var & 0x3f) | 0x80;
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut pos = 0;
    for (i, byte) in b.iter().enumerate() {
        if matches!(i, 4 | 6 | 8 | 10) {
            if let Some(slot) = buf.get_mut(pos) {
                *slot = b'-';
            }
            pos += 1;
        }
        for nibble in [byte >> 4, byte & 0x0f] {
            if let Some(slot) = buf.get_mut(pos) {
                *slot = HEX.get(usize::from(nibble)).copied().unwrap_or(b'0');
            }
            pos += 1;
        }
    }
    core::str::from_utf8(buf).map_err(|_| Error::InvalidUtf8)
}
