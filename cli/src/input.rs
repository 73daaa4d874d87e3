//! Reading keys, certificates and files given on the command line.

use std::io::Read;
use std::path::Path;

use jwtmint::keys::formats::LoadedKey;
use jwtmint::{CertThumbprints, SigningKey};
use zeroize::Zeroizing;

use crate::failure::Failure;

/// Reads `path`, or stdin for `-`.
pub fn read_arg(path: &str, what: &str) -> Result<Vec<u8>, Failure> {
    if path == "-" {
        let mut buf = Vec::new();
        std::io::stdin()
            .read_to_end(&mut buf)
            .map_err(|e| Failure::input(format!("error: reading {what} from stdin: {e}")))?;
        Ok(buf)
    } else {
        read_file(Path::new(path), what)
    }
}

/// Reads a file, naming it in the error.
pub fn read_file(path: &Path, what: &str) -> Result<Vec<u8>, Failure> {
    std::fs::read(path)
        .map_err(|e| Failure::input(format!("error: reading {what} {}: {e}", path.display())))
}

/// Parses a private key, sniffing its format: PEM (PKCS#8, PKCS#1, encrypted
/// PKCS#8), a private JWK (JSON object), PKCS#12 (`.p12`/`.pfx`), else DER
/// (plain or encrypted PKCS#8). An encrypted key takes its passphrase from
/// `passphrase_file` or `JWTMINT_KEY_PASSPHRASE` (see [`passphrase`]).
pub fn signing_key(
    path: Option<&str>,
    passphrase_file: Option<&Path>,
) -> Result<SigningKey, Failure> {
    loaded_key(path, passphrase_file).map(|loaded| loaded.key)
}

/// [`signing_key`] with what the file carried besides the key: a JWK's
/// `kid`, a PKCS#12 file's certificate.
pub fn loaded_key(
    path: Option<&str>,
    passphrase_file: Option<&Path>,
) -> Result<LoadedKey, Failure> {
    let path =
        path.ok_or_else(|| Failure::usage("error: --key FILE (or JWTMINT_KEY_FILE) is required"))?;
    let bytes = Zeroizing::new(read_arg(path, "key")?);
    let pass = passphrase(passphrase_file)?;
    let pass = pass.as_deref().map(Vec::as_slice);
    let key_only = |k: jwtmint::Result<SigningKey>| k.map(LoadedKey::from);
    let parsed = match std::str::from_utf8(&bytes) {
        Ok(text) if text.contains("-----BEGIN") => key_only(match pass {
            Some(p) => SigningKey::from_pem_with_passphrase(text, p),
            None => SigningKey::from_pem(text),
        }),
        Ok(text) if text.trim_start().starts_with('{') => SigningKey::from_jwk(text.trim()),
        _ if is_pkcs12(&bytes) => {
            let p = std::str::from_utf8(pass.unwrap_or_default())
                .map_err(|_| Failure::input("error: the PKCS#12 passphrase is not UTF-8"))?;
            SigningKey::from_pkcs12(&bytes, p)
        }
        _ => key_only(match pass {
            Some(p) => SigningKey::from_der_with_passphrase(&bytes, p),
            None => SigningKey::from_der(&bytes),
        }),
    };
    parsed.map_err(|e| match e {
        jwtmint::Error::EncryptedKey | jwtmint::Error::WrongPassphrase if pass.is_none() => {
            Failure::input(format!(
                "error: key {path} is encrypted: give its passphrase with --key-passphrase-file FILE or the JWTMINT_KEY_PASSPHRASE environment variable"
            ))
        }
        e => Failure::input(format!("error: key {path}: {e}")),
    })
}

/// A PKCS#12 `PFX` is `SEQUENCE { INTEGER 3, ... }`; a PKCS#8 key starts
/// with version 0 or 1, PKCS#1 with 0.
fn is_pkcs12(der: &[u8]) -> bool {
    let header = match der.get(1) {
        Some(&n) if n < 0x80 => 2,
        Some(&n) => 2 + usize::from(n & 0x7f),
        None => return false,
    };
    der.first() == Some(&0x30) && der.get(header..header + 3) == Some(&[2, 1, 3][..])
}

/// The key passphrase: the contents of `file` (one trailing `\n` or `\r\n`
/// removed), else `JWTMINT_KEY_PASSPHRASE`, else none. Never a flag value
/// (flags show in `ps` and shell history). Zeroized on drop.
pub fn passphrase(file: Option<&Path>) -> Result<Option<Zeroizing<Vec<u8>>>, Failure> {
    if let Some(file) = file {
        let mut p = Zeroizing::new(read_file(file, "key passphrase file")?);
        if p.ends_with(b"\n") {
            p.pop();
            if p.ends_with(b"\r") {
                p.pop();
            }
        }
        return Ok(Some(p));
    }
    Ok(std::env::var_os("JWTMINT_KEY_PASSPHRASE").map(|v| {
        #[cfg(unix)]
        let bytes = std::os::unix::ffi::OsStringExt::into_vec(v);
        #[cfg(not(unix))]
        let bytes = v.to_string_lossy().into_owned().into_bytes();
        Zeroizing::new(bytes)
    }))
}

/// Reads a raw HMAC secret (HS256/384/512): the file's bytes, exactly. A
/// PEM or DER private key is refused: it is not a shared secret.
pub fn hmac_secret(path: &str) -> Result<SigningKey, Failure> {
    let mut bytes = read_arg(path, "key")?;
    let is_key =
        bytes.windows(11).any(|w| w == b"-----BEGIN ") || SigningKey::from_der(&bytes).is_ok();
    let parsed = SigningKey::from_hmac_secret(&bytes);
    bytes.fill(0); // the key keeps its own (zeroized) copy
    if is_key {
        return Err(Failure::input(format!(
            "error: key {path}: HS* algorithms take a file holding the raw shared secret, not a private key (use RS*/PS*/ES*/EdDSA for it)"
        )));
    }
    parsed.map_err(|e| Failure::input(format!("error: key {path}: {e}")))
}

/// Parses a certificate (PEM or DER).
pub fn certificate(path: &Path) -> Result<CertThumbprints, Failure> {
    let bytes = read_file(path, "certificate")?;
    let parsed = match std::str::from_utf8(&bytes) {
        Ok(text) if text.contains("-----BEGIN") => CertThumbprints::from_pem(text),
        _ => CertThumbprints::from_der(&bytes),
    };
    parsed.map_err(|e| Failure::input(format!("error: certificate {}: {e}", path.display())))
}
