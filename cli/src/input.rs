//! Reading keys, certificates and files given on the command line.

use std::io::Read;
use std::path::Path;

use jwtmint::{CertThumbprints, SigningKey};

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

/// Parses a private key: PEM (PKCS#8 / PKCS#1) when it looks like text, else DER.
pub fn signing_key(path: Option<&str>) -> Result<SigningKey, Failure> {
    let path =
        path.ok_or_else(|| Failure::usage("error: --key FILE (or JWTMINT_KEY_FILE) is required"))?;
    let bytes = read_arg(path, "key")?;
    let parsed = match std::str::from_utf8(&bytes) {
        Ok(text) if text.contains("-----BEGIN") => SigningKey::from_pem(text),
        _ => SigningKey::from_der(&bytes),
    };
    parsed.map_err(|e| Failure::input(format!("error: key {path}: {e}")))
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
