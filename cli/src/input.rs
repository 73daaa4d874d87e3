//! Reading keys, certificates and files given on the command line.

use std::io::Read;
use std::path::Path;

use jwtmint::{CertThumbprints, SigningKey};
use zeroize::Zeroizing;

use crate::Failure;

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
/// PKCS#8), a private JWK (JSON object), else DER (plain or encrypted
/// PKCS#8). An encrypted key takes its passphrase from `passphrase_file` or
/// `JWTMINT_KEY_PASSPHRASE` (see [`passphrase`]).
pub fn signing_key(
    path: Option<&str>,
    passphrase_file: Option<&Path>,
) -> Result<SigningKey, Failure> {
    let path =
        path.ok_or_else(|| Failure::usage("error: --key FILE (or JWTMINT_KEY_FILE) is required"))?;
    let bytes = Zeroizing::new(read_arg(path, "key")?);
    let pass = passphrase(passphrase_file)?;
    let pass = pass.as_deref().map(Vec::as_slice);
    let parsed = match std::str::from_utf8(&bytes) {
        Ok(text) if text.contains("-----BEGIN") => match pass {
            Some(p) => SigningKey::from_pem_with_passphrase(text, p),
            None => SigningKey::from_pem(text),
        },
        Ok(text) if text.trim_start().starts_with('{') => {
            SigningKey::from_jwk(text.trim()).map(|loaded| loaded.key)
        }
        _ => match pass {
            Some(p) => SigningKey::from_der_with_passphrase(&bytes, p),
            None => SigningKey::from_der(&bytes),
        },
    };
    parsed.map_err(|e| match e {
        jwtmint::Error::EncryptedKey if pass.is_none() => Failure::input(format!(
            "error: key {path} is encrypted: give its passphrase with --key-passphrase-file FILE or the JWTMINT_KEY_PASSPHRASE environment variable"
        )),
        e => Failure::input(format!("error: key {path}: {e}")),
    })
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

/// Parses a certificate (PEM or DER).
pub fn certificate(path: &Path) -> Result<CertThumbprints, Failure> {
    let bytes = read_file(path, "certificate")?;
    let parsed = match std::str::from_utf8(&bytes) {
        Ok(text) if text.contains("-----BEGIN") => CertThumbprints::from_pem(text),
        _ => CertThumbprints::from_der(&bytes),
    };
    parsed.map_err(|e| Failure::input(format!("error: certificate {}: {e}", path.display())))
}
