//! PKCS#12 / `.pfx` (RFC 7292): the private key **and** its certificate from
//! one file — Entra app credentials usually come this way — so `x5t#S256`
//! is computed from the certificate that was delivered with the key.
//!
//! Read with RustCrypto's `pkcs12` types and KDF. Supported protections, as
//! written by `openssl pkcs12 -export` (OpenSSL 3 default: PBES2 with
//! PBKDF2-HMAC-SHA-256 and AES-256-CBC, HMAC-SHA-256 MAC), by `-legacy` and by
//! Windows exports (pbeWithSHAAnd3-KeyTripleDES-CBC key bags,
//! pbeWithSHAAnd40BitRC2-CBC certificate bags, HMAC-SHA-1 MAC). The MAC is
//! checked first: a wrong passphrase is [`Error::WrongPassphrase`]. PBES2
//! bags go through the same capped decryption as encrypted PKCS#8; legacy
//! PBE and MAC iteration counts are capped at [`MAX_PKCS12_ITERATIONS`].
//! The key bag's PKCS#8 DER goes to [`SigningKey::from_pkcs8_der`]; of the
//! certificates, the one whose public key is the key's is kept.

use alloc::vec::Vec;

use cbc::cipher::{BlockCipherDecrypt, BlockModeDecrypt, KeyInit, KeyIvInit, block_padding::Pkcs7};
use der::asn1::{AnyRef, ObjectIdentifier, OctetString, OctetStringRef};
use der::{Decode, Encode};
use hmac::Mac;
use hmac::digest::block_api::BlockSizeUser;
use hmac::digest::{Digest, FixedOutputReset};
use pkcs12::kdf::{Pkcs12KeyType, derive_key_utf8};
use pkcs12::{CertBag, MacData, Pfx, SafeBag};
use zeroize::Zeroizing;

use super::loaded::LoadedKey;
use crate::error::{Error, Result};
use crate::keys::SigningKey;

/// Largest accepted iteration count of the PKCS#12 KDF (MAC and legacy PBE);
/// OpenSSL writes 2048.
pub const MAX_PKCS12_ITERATIONS: i32 = 1_000_000;

/// The cap in force: [`MAX_PKCS12_ITERATIONS`], or
/// `encrypted::FUZZING_KDF_ITERATIONS` in fuzzing builds (`cfg(fuzzing)`).
const ITERATIONS_CAP: i32 = if cfg!(fuzzing) {
    super::encrypted::FUZZING_KDF_ITERATIONS as i32
} else {
    MAX_PKCS12_ITERATIONS
};

const ID_DATA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.7.1");
const ID_ENCRYPTED_DATA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.7.6");
const SHA1: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.14.3.2.26");
const SHA256: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.16.840.1.101.3.4.2.1");
const SHA384: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.16.840.1.101.3.4.2.2");
const SHA512: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.16.840.1.101.3.4.2.3");
const PBES2: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.5.13");

const MALFORMED: Error = Error::KeyMalformed;

impl SigningKey {
    /// Loads the private key and its certificate from a PKCS#12 (`.p12`,
    /// `.pfx`) file protected by `passphrase` (the same passphrase for the
    /// MAC and every bag, as every exporter writes). `certificate_der` of
    /// the result is the certificate whose public key is the key's (for
    /// [`crate::keys::x509::CertThumbprints::from_der`]); `kid` is `None`.
    ///
    /// # Errors
    /// `WrongPassphrase` (MAC or decryption fails), `UnsupportedKeyEncryption`
    /// (PBMAC1, RC4, an unknown scheme, costs above the caps), `KeyMalformed`
    /// (not PKCS#12, no key, two keys), `CertificateMalformed`, and what
    /// [`SigningKey::from_pkcs8_der`] returns.
    pub fn from_pkcs12(der: &[u8], passphrase: &str) -> Result<LoadedKey> {
        let pfx = Pfx::from_der(der).map_err(|_| MALFORMED)?;
        let auth_safe = data_content(&pfx.auth_safe.content_type, &pfx.auth_safe.content)?;
        if let Some(mac) = &pfx.mac_data {
            check_mac(mac, passphrase, auth_safe.as_bytes())?;
        }
        let infos = Vec::<cms::content_info::ContentInfo>::from_der(auth_safe.as_bytes())
            .map_err(|_| MALFORMED)?;
        let mut key: Option<Zeroizing<Vec<u8>>> = None;
        let mut certs: Vec<Vec<u8>> = Vec::new();
        for info in &infos {
            let contents: Zeroizing<Vec<u8>> = if info.content_type == ID_DATA {
                Zeroizing::new(
                    data_content(&info.content_type, &info.content)?
                        .into_bytes()
                        .into_vec(),
                )
            } else if info.content_type == ID_ENCRYPTED_DATA {
                encrypted_content(&info.content, passphrase)?
            } else {
                continue; // envelopedData (public-key protected): not used by exporters here
            };
            let bags = Vec::<SafeBag>::from_der(&contents).map_err(|_| MALFORMED)?;
            for bag in &bags {
                read_bag(bag, passphrase, &mut key, &mut certs)?;
            }
        }
        let pkcs8 = key.ok_or(MALFORMED)?;
        let key = SigningKey::from_pkcs8_der(&pkcs8)?;
        let certificate_der = pick_certificate(&key, certs)?;
        Ok(LoadedKey {
            key,
            kid: None,
            certificate_der,
        })
    }
}

/// The OCTET STRING of an `id-data` content.
fn data_content(content_type: &ObjectIdentifier, content: &der::Any) -> Result<OctetString> {
    if *content_type != ID_DATA {
        return Err(MALFORMED);
    }
    content.decode_as::<OctetString>().map_err(|_| MALFORMED)
}

/// Checks the password MAC (RFC 7292 §5: HMAC keyed with the PKCS#12 KDF).
fn check_mac(mac: &MacData, passphrase: &str, data: &[u8]) -> Result<()> {
    let iterations = mac.iterations;
    if !(1..=ITERATIONS_CAP).contains(&iterations) {
        return Err(Error::UnsupportedKeyEncryption {
            reason: "PKCS#12 MAC iteration count is 0 or above 1 000 000",
        });
    }
    let salt = mac.mac_salt.as_bytes();
    let want = mac.mac.digest.as_bytes();
    let oid = mac.mac.algorithm.oid;
    let ok = if oid == SHA1 {
        hmac_ok::<sha1::Sha1>(passphrase, salt, iterations, data, want)?
    } else if oid == SHA256 {
        hmac_ok::<sha2::Sha256>(passphrase, salt, iterations, data, want)?
    } else if oid == SHA384 {
        hmac_ok::<sha2::Sha384>(passphrase, salt, iterations, data, want)?
    } else if oid == SHA512 {
        hmac_ok::<sha2::Sha512>(passphrase, salt, iterations, data, want)?
    } else {
        return Err(Error::UnsupportedKeyEncryption {
            reason: "PKCS#12 MAC algorithm (PBMAC1 or an unknown digest); re-export with: openssl pkcs12 -export",
        });
    };
    if ok {
        Ok(())
    } else {
        Err(Error::WrongPassphrase)
    }
}

fn hmac_ok<D>(
    passphrase: &str,
    salt: &[u8],
    iterations: i32,
    data: &[u8],
    want: &[u8],
) -> Result<bool>
where
    D: Digest + FixedOutputReset + BlockSizeUser,
{
    let key = Zeroizing::new(
        derive_key_utf8::<D>(
            passphrase,
            salt,
            Pkcs12KeyType::Mac,
            iterations,
            <D as Digest>::output_size(),
        )
        .map_err(|_| MALFORMED)?,
    );
    let mut m =
        <hmac::SimpleHmac<D> as hmac::KeyInit>::new_from_slice(&key).map_err(|_| MALFORMED)?;
    m.update(data);
    Ok(m.verify_slice(want).is_ok())
}

/// Decrypts an `EncryptedData` content (certificate bags, usually).
fn encrypted_content(content: &der::Any, passphrase: &str) -> Result<Zeroizing<Vec<u8>>> {
    let data = content
        .decode_as::<cms::encrypted_data::EncryptedData>()
        .map_err(|_| MALFORMED)?;
    let info = &data.enc_content_info;
    let ciphertext = info.encrypted_content.as_ref().ok_or(MALFORMED)?;
    let alg = info.content_enc_alg.to_der().map_err(|_| MALFORMED)?;
    decrypt(&alg, ciphertext.as_bytes(), passphrase)
}

/// Decrypts under an encoded `AlgorithmIdentifier`: PBES2 through the
/// encrypted-PKCS#8 path (capped), PKCS#12 PBE (3DES, RC2) here.
fn decrypt(alg_der: &[u8], ciphertext: &[u8], passphrase: &str) -> Result<Zeroizing<Vec<u8>>> {
    let alg = spki::AlgorithmIdentifierRef::from_der(alg_der).map_err(|_| MALFORMED)?;
    if alg.oid == PBES2 {
        let scheme = pkcs8::pkcs5::EncryptionScheme::from_der(alg_der).map_err(|_| MALFORMED)?;
        return super::encrypted::decrypt_with(&scheme, ciphertext, passphrase.as_bytes());
    }
    let params: pkcs12::pbe_params::Pkcs12PbeParams = alg
        .parameters
        .ok_or(MALFORMED)?
        .decode_as()
        .map_err(|_| MALFORMED)?;
    if !(1..=ITERATIONS_CAP).contains(&params.iterations) {
        return Err(Error::UnsupportedKeyEncryption {
            reason: "PKCS#12 PBE iteration count is 0 or above 1 000 000",
        });
    }
    let derive = |kind, len| {
        derive_key_utf8::<sha1::Sha1>(
            passphrase,
            params.salt.as_bytes(),
            kind,
            params.iterations,
            len,
        )
        .map(Zeroizing::new)
        .map_err(|_| MALFORMED)
    };
    match alg.oid {
        pkcs12::PKCS_12_PBE_WITH_SHAAND3_KEY_TRIPLE_DES_CBC => cbc_decrypt::<des::TdesEde3>(
            &derive(Pkcs12KeyType::EncryptionKey, 24)?,
            &derive(Pkcs12KeyType::Iv, 8)?,
            ciphertext,
        ),
        pkcs12::PKCS_12_PBEWITH_SHAAND40_BIT_RC2_CBC => cbc_decrypt::<rc2::Rc2>(
            &derive(Pkcs12KeyType::EncryptionKey, 5)?,
            &derive(Pkcs12KeyType::Iv, 8)?,
            ciphertext,
        ),
        pkcs12::PKCS_12_PBE_WITH_SHAAND128_BIT_RC2_CBC => cbc_decrypt::<rc2::Rc2>(
            &derive(Pkcs12KeyType::EncryptionKey, 16)?,
            &derive(Pkcs12KeyType::Iv, 8)?,
            ciphertext,
        ),
        _ => Err(Error::UnsupportedKeyEncryption {
            reason: "PKCS#12 encryption scheme (RC4, 2-key 3DES or unknown); re-export with: openssl pkcs12 -export",
        }),
    }
}

fn cbc_decrypt<C: BlockCipherDecrypt + KeyInit>(
    key: &[u8],
    iv: &[u8],
    ciphertext: &[u8],
) -> Result<Zeroizing<Vec<u8>>> {
    let mut buf = Zeroizing::new(ciphertext.to_vec());
    let len = cbc::Decryptor::<C>::new_from_slices(key, iv)
        .map_err(|_| MALFORMED)?
        .decrypt_padded::<Pkcs7>(&mut buf)
        .map_err(|_| Error::WrongPassphrase)?
        .len();
    buf.truncate(len);
    Ok(buf)
}

/// One safe bag: a (shrouded) key bag or an X.509 certificate bag; other
/// bags (CRLs, secrets, nested safe contents) are skipped.
fn read_bag(
    bag: &SafeBag,
    passphrase: &str,
    key: &mut Option<Zeroizing<Vec<u8>>>,
    certs: &mut Vec<Vec<u8>>,
) -> Result<()> {
    // `bag_value` is the `[0] EXPLICIT` TLV; its content is the inner TLV.
    let wrapper = AnyRef::from_der(&bag.bag_value).map_err(|_| MALFORMED)?;
    let inner = wrapper.value();
    match bag.bag_id {
        pkcs12::PKCS_12_PKCS8_KEY_BAG_OID => {
            let (alg, ciphertext) = encrypted_key_info(inner)?;
            let plain = decrypt(alg, ciphertext, passphrase)?;
            pkcs8::PrivateKeyInfoRef::from_der(&plain).map_err(|_| Error::WrongPassphrase)?;
            set_key(key, plain)
        }
        pkcs12::PKCS_12_KEY_BAG_OID => set_key(key, Zeroizing::new(inner.to_vec())),
        pkcs12::PKCS_12_CERT_BAG_OID => {
            let cert = CertBag::from_der(inner).map_err(|_| Error::CertificateMalformed)?;
            if cert.cert_id == pkcs12::PKCS_12_X509_CERT_OID {
                let der: &OctetStringRef = (&cert.cert_value).into();
                certs.push(der.as_bytes().to_vec());
            }
            Ok(())
        }
        _ => Ok(()),
    }
}

/// `EncryptedPrivateKeyInfo ::= SEQUENCE { AlgorithmIdentifier, OCTET
/// STRING }` split into the algorithm's DER and the ciphertext, whatever the
/// scheme (`pkcs8`'s type only knows PBES2).
fn encrypted_key_info(der: &[u8]) -> Result<(&[u8], &[u8])> {
    use der::Reader;
    let mut r = der::SliceReader::new(der).map_err(|_| MALFORMED)?;
    let parts = r
        .sequence(|r| {
            let alg = r.tlv_bytes()?;
            let data = <&OctetStringRef>::decode(r)?;
            Ok::<_, der::Error>((alg, data.as_bytes()))
        })
        .map_err(|_| MALFORMED)?;
    if !r.is_finished() {
        return Err(MALFORMED);
    }
    Ok(parts)
}

fn set_key(slot: &mut Option<Zeroizing<Vec<u8>>>, der: Zeroizing<Vec<u8>>) -> Result<()> {
    if slot.is_some() {
        // Two keys: which one the caller means is not ours to guess.
        return Err(MALFORMED);
    }
    *slot = Some(der);
    Ok(())
}

/// The certificate that belongs to `key` (exporters also ship the CA chain).
fn pick_certificate(key: &SigningKey, certs: Vec<Vec<u8>>) -> Result<Option<Vec<u8>>> {
    if certs.is_empty() {
        return Ok(None);
    }
    for der in certs {
        let thumbs = crate::keys::x509::CertThumbprints::from_der(&der)?;
        if thumbs.check_key(key).is_ok() {
            return Ok(Some(der));
        }
    }
    Err(Error::CertificateKeyMismatch)
}
