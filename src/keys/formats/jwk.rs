//! JWK **private** keys (RFC 7517/7518/8037) normalised to PKCS#8 DER:
//! `RSA` with all CRT parameters, `EC` (P-256/384/521: SEC1 `ECPrivateKey`
//! with the public point inside PKCS#8, as OpenSSL writes it), `OKP` Ed25519
//! (RFC 8410), and `oct` (an HMAC secret). The DER then goes through
//! [`SigningKey::from_pkcs8_der`], the one key parser.

use alloc::string::String;
use alloc::vec;
use alloc::vec::Vec;

use der::asn1::{AnyRef, BitStringRef, ContextSpecific, ObjectIdentifier, OctetStringRef, UintRef};
use der::{Decode, Encode, Length, TagMode, TagNumber};
use pkcs8::PrivateKeyInfo;
use spki::AlgorithmIdentifier;
use zeroize::Zeroizing;

use super::jwk_object::JwkObject;
use super::loaded::LoadedKey;
use crate::error::{Error, Result};
use crate::keys::SigningKey;
use crate::keys::oid::{EC_PUBLIC_KEY, ED25519, RSA_ENCRYPTION, SECP256R1, SECP384R1, SECP521R1};

/// What a private JWK holds, normalised.
enum Material {
    /// PKCS#8 `PrivateKeyInfo` DER (RSA, EC, Ed25519).
    Pkcs8(Zeroizing<Vec<u8>>),
    /// The raw secret of an `oct` key (HMAC).
    Secret(Zeroizing<Vec<u8>>),
}

/// A private JWK, parsed and normalised (PKCS#8 DER, or an HMAC secret for
/// `kty: oct`), with its `kid`. Secrets are zeroized on drop; `Debug` shows
/// only the kind and the `kid`.
pub struct PrivateJwk {
    material: Material,
    kid: Option<String>,
}

impl core::fmt::Debug for PrivateJwk {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        let kind = match self.material {
            Material::Pkcs8(_) => "pkcs8",
            Material::Secret(_) => "oct",
        };
        f.debug_struct("PrivateJwk")
            .field("kind", &kind)
            .field("kid", &self.kid)
            .finish_non_exhaustive()
    }
}

impl PrivateJwk {
    /// Parses a private JWK (one JSON object, validated strictly).
    ///
    /// # Errors
    /// JSON errors with `part: Jwk`; `InvalidMemberType` (`kty`, `crv`,
    /// `kid` not strings); `UnsupportedKeyType` (other `kty`/`crv`);
    /// `JwkMember` (a required member missing, a wrong length, inconsistent
    /// RSA CRT values, `use`/`key_ops` not for signing, multi-prime RSA);
    /// `InvalidBase64`; `KeyTooSmall`/`KeyTooLarge` (RSA).
    pub fn parse(json: &str) -> Result<Self> {
        let jwk = JwkObject::parse(json)?;
        check_use(&jwk)?;
        let kid = jwk.string("kid")?.map(|k| k.chars().collect::<String>());
        let kty = jwk.kty();
        let material = if kty.eq_str("RSA") {
            Material::Pkcs8(rsa(&jwk)?)
        } else if kty.eq_str("EC") {
            Material::Pkcs8(ec(&jwk)?)
        } else if kty.eq_str("OKP") {
            Material::Pkcs8(okp(&jwk)?)
        } else if kty.eq_str("oct") {
            Material::Secret(jwk.required("k")?)
        } else {
            return Err(Error::UnsupportedKeyType);
        };
        Ok(Self { material, kid })
    }

    /// The `kid` member, decoded, when the JWK has one.
    pub fn kid(&self) -> Option<&str> {
        self.kid.as_deref()
    }

    /// The normalised PKCS#8 `PrivateKeyInfo` DER (`None` for `kty: oct`).
    pub fn pkcs8_der(&self) -> Option<&[u8]> {
        match &self.material {
            Material::Pkcs8(der) => Some(der),
            Material::Secret(_) => None,
        }
    }

    /// The HMAC secret of a `kty: oct` JWK (`None` for the other types).
    pub fn hmac_secret(&self) -> Option<&[u8]> {
        match &self.material {
            Material::Secret(k) => Some(k),
            Material::Pkcs8(_) => None,
        }
    }

    /// The signing key, through [`SigningKey::from_pkcs8_der`].
    ///
    /// # Errors
    /// What [`SigningKey::from_pkcs8_der`] returns; `UnsupportedKeyType` for
    /// an `oct` key on a build without HMAC keys.
    pub fn signing_key(&self) -> Result<SigningKey> {
        match &self.material {
            Material::Pkcs8(der) => SigningKey::from_pkcs8_der(der),
            #[cfg(feature = "hmac")]
            Material::Secret(k) => SigningKey::from_hmac_secret(k),
            #[cfg(not(feature = "hmac"))]
            Material::Secret(_) => Err(Error::UnsupportedKeyType),
        }
    }
}

impl SigningKey {
    /// Loads a private JWK (`RSA` with CRT parameters, `EC` P-256/384/521,
    /// `OKP` Ed25519, `oct`), returning the key and the JWK's `kid`.
    ///
    /// # Errors
    /// As [`PrivateJwk::parse`] and [`PrivateJwk::signing_key`].
    pub fn from_jwk(json: &str) -> Result<LoadedKey> {
        let jwk = PrivateJwk::parse(json)?;
        Ok(LoadedKey {
            key: jwk.signing_key()?,
            kid: jwk.kid,
            certificate_der: None,
        })
    }
}

fn member_error(name: &'static str, reason: &'static str) -> Error {
    Error::JwkMember { name, reason }
}

/// RFC 7517 §4.2/§4.3: a key marked for another use is not a signing key.
fn check_use(jwk: &JwkObject<'_>) -> Result<()> {
    if let Some(u) = jwk.string("use")?
        && !u.eq_str("sig")
    {
        return Err(member_error(
            "use",
            "not `sig`: the key is not for signatures",
        ));
    }
    if let Some(ops) = jwk.raw("key_ops") {
        let sign = crate::json::view::Elements::new(ops).is_some_and(|mut e| {
            e.any(|op| crate::json::view::raw_string(op).is_some_and(|op| op.eq_str("sign")))
        });
        if !sign {
            return Err(member_error("key_ops", "does not contain `sign`"));
        }
    }
    Ok(())
}

/// Encodes `v` into an exactly sized zeroizing buffer.
fn secret_der<T: Encode>(v: &T) -> Result<Zeroizing<Vec<u8>>> {
    let len = v.encoded_len().map_err(|_| Error::KeyMalformed)?;
    let len = usize::try_from(len).map_err(|_| Error::KeyMalformed)?;
    let mut out = Zeroizing::new(vec![0u8; len]);
    v.encode_to_slice(&mut out)
        .map_err(|_| Error::KeyMalformed)?;
    Ok(out)
}

/// Wraps an algorithm's private-key encoding in a PKCS#8 v1 `PrivateKeyInfo`.
fn pkcs8(
    oid: ObjectIdentifier,
    parameters: Option<AnyRef<'_>>,
    private_key: &[u8],
) -> Result<Zeroizing<Vec<u8>>> {
    let private_key = OctetStringRef::new(private_key).map_err(|_| Error::KeyMalformed)?;
    let info: pkcs8::PrivateKeyInfoRef<'_> =
        PrivateKeyInfo::new(AlgorithmIdentifier { oid, parameters }, private_key);
    secret_der(&info)
}

fn uint<'a>(name: &'static str, bytes: &'a [u8]) -> Result<UintRef<'a>> {
    UintRef::new(bytes).map_err(|_| member_error(name, "not a valid unsigned integer"))
}

/// RSA (RFC 7518 §6.3.2): every CRT member is required and checked against
/// `n`, `e`, `d`, `p`, `q`.
fn rsa(jwk: &JwkObject<'_>) -> Result<Zeroizing<Vec<u8>>> {
    if jwk.raw("oth").is_some() {
        return Err(member_error("oth", "multi-prime RSA is not supported"));
    }
    let [n, e, d, p, q, dp, dq, qi] =
        ["n", "e", "d", "p", "q", "dp", "dq", "qi"].map(|name| jwk.required(name));
    let (n, e, d, p, q, dp, dq, qi) = (n?, e?, d?, p?, q?, dp?, dq?, qi?);
    crate::keys::signing::rsa_bits(&n)?;
    let given = pkcs1::RsaPrivateKey {
        modulus: uint("n", &n)?,
        public_exponent: uint("e", &e)?,
        private_exponent: uint("d", &d)?,
        prime1: uint("p", &p)?,
        prime2: uint("q", &q)?,
        exponent1: uint("dp", &dp)?,
        exponent2: uint("dq", &dq)?,
        coefficient: uint("qi", &qi)?,
        other_prime_infos: None,
    };
    check_crt(&given)?;
    let pkcs1 = secret_der(&given)?;
    pkcs8(RSA_ENCRYPTION, Some(AnyRef::NULL), &pkcs1)
}

/// The CRT values must be the ones `n`, `e`, `d`, `p`, `q` imply: the `rsa`
/// crate checks those five and recomputes `dp`, `dq`, `qi`, which must equal
/// the JWK's (a JWK with a wrong CRT value is corrupt, and another
/// implementation would sign with it).
fn check_crt(given: &pkcs1::RsaPrivateKey<UintRef<'_>>) -> Result<()> {
    use pkcs1::EncodeRsaPrivateKey;
    let inconsistent = |_| member_error("d", "inconsistent with n, e, p and q");
    let key = rsa::RsaPrivateKey::try_from(given.clone()).map_err(inconsistent)?;
    let doc = key.to_pkcs1_der().map_err(|_| Error::KeyMalformed)?;
    let derived =
        pkcs1::RsaPrivateKeyRef::from_der(doc.as_bytes()).map_err(|_| Error::KeyMalformed)?;
    let pairs = [
        ("p", &derived.prime1, &given.prime1),
        ("q", &derived.prime2, &given.prime2),
        ("dp", &derived.exponent1, &given.exponent1),
        ("dq", &derived.exponent2, &given.exponent2),
        ("qi", &derived.coefficient, &given.coefficient),
    ];
    for (name, derived, given) in pairs {
        if derived.as_bytes() != given.as_bytes() {
            return Err(member_error(name, "inconsistent with n, e, d, p and q"));
        }
    }
    Ok(())
}

/// A member that must be exactly `len` bytes.
fn fixed(jwk: &JwkObject<'_>, name: &'static str, len: usize) -> Result<Zeroizing<Vec<u8>>> {
    let v = jwk.required(name)?;
    if v.len() != len {
        return Err(member_error(name, "wrong length for the curve"));
    }
    Ok(v)
}

/// EC (RFC 7518 §6.2.2): `d` is the full field size; `x`, `y` are required
/// and go into `publicKey`, which the EC parser checks against `d`.
fn ec(jwk: &JwkObject<'_>) -> Result<Zeroizing<Vec<u8>>> {
    let crv = jwk.string("crv")?.ok_or(member_error("crv", "missing"))?;
    let (curve, size) = if crv.eq_str("P-256") {
        (SECP256R1, 32)
    } else if crv.eq_str("P-384") {
        (SECP384R1, 48)
    } else if crv.eq_str("P-521") {
        (SECP521R1, 66)
    } else {
        return Err(Error::UnsupportedKeyType);
    };
    let d = fixed(jwk, "d", size)?;
    let x = fixed(jwk, "x", size)?;
    let y = fixed(jwk, "y", size)?;
    let mut point = Vec::with_capacity(1 + 2 * size);
    point.push(0x04);
    point.extend_from_slice(&x);
    point.extend_from_slice(&y);
    let sec1 = ec_private_key(&d, &point)?;
    let curve = AnyRef::new(der::Tag::ObjectIdentifier, curve.as_bytes())
        .map_err(|_| Error::KeyMalformed)?;
    pkcs8(EC_PUBLIC_KEY, Some(curve), &sec1)
}

/// SEC1 `ECPrivateKey` (RFC 5915) without `parameters` (the curve is in the
/// PKCS#8 algorithm identifier) and with `publicKey`, as OpenSSL writes it
/// inside PKCS#8.
fn ec_private_key(d: &[u8], point: &[u8]) -> Result<Zeroizing<Vec<u8>>> {
    let bad = |_| Error::KeyMalformed;
    let version = 1u8;
    let private_key = OctetStringRef::new(d).map_err(bad)?;
    let public_key = ContextSpecific {
        tag_number: TagNumber(1),
        tag_mode: TagMode::Explicit,
        value: BitStringRef::new(0, point).map_err(bad)?,
    };
    let body = (version.encoded_len().map_err(bad)?
        + private_key.encoded_len().map_err(bad)?
        + public_key.encoded_len().map_err(bad)?)
    .map_err(bad)?;
    let header = der::Header::new(der::Tag::Sequence, body);
    let total = (header.encoded_len().map_err(bad)? + body).map_err(bad)?;
    let mut out = Zeroizing::new(vec![0u8; usize::try_from(total).map_err(bad)?]);
    let mut w = der::SliceWriter::new(&mut out);
    header.encode(&mut w).map_err(bad)?;
    version.encode(&mut w).map_err(bad)?;
    private_key.encode(&mut w).map_err(bad)?;
    public_key.encode(&mut w).map_err(bad)?;
    let written = w.finish().map_err(bad)?.len();
    if Length::try_from(written).ok() != Some(total) {
        return Err(Error::KeyMalformed);
    }
    Ok(out)
}

/// OKP (RFC 8037): Ed25519 only; `d` and `x` are 32 bytes. PKCS#8 per
/// RFC 8410 (`CurvePrivateKey` = OCTET STRING of `d`, no parameters).
fn okp(jwk: &JwkObject<'_>) -> Result<Zeroizing<Vec<u8>>> {
    let crv = jwk.string("crv")?.ok_or(member_error("crv", "missing"))?;
    if !crv.eq_str("Ed25519") {
        return Err(Error::UnsupportedKeyType);
    }
    let d = fixed(jwk, "d", 32)?;
    // RFC 8410 PKCS#8 v1 carries no public key to check: compare the public
    // key derived from `d` with `x` here.
    let x = fixed(jwk, "x", 32)?;
    #[cfg(feature = "eddsa")]
    {
        let seed =
            Zeroizing::new(<[u8; 32]>::try_from(d.as_slice()).map_err(|_| Error::KeyMalformed)?);
        let derived = crate::keys::Ed25519Key::from_seed(&seed).public_key();
        if derived.as_slice() != x.as_slice() {
            return Err(member_error("x", "does not match the public key of d"));
        }
    }
    #[cfg(not(feature = "eddsa"))]
    let _ = x;
    let inner = secret_der(&OctetStringRef::new(&d).map_err(|_| Error::KeyMalformed)?)?;
    pkcs8(ED25519, None, &inner)
}
