//! Reading keys, certificates and files given on the command line.

use std::io::Read;
use std::path::Path;

use jwtmint::SigningKey;
use jwtmint::keys::formats::LoadedKey;
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
    let parsed = jwtmint::config::load_key(&bytes, pass);
    parsed.map_err(|e| match e {
        jwtmint::Error::EncryptedKey | jwtmint::Error::WrongPassphrase if pass.is_none() => {
            Failure::input(format!(
                "error: key {path} is encrypted: give its passphrase with --key-passphrase-file FILE or the JWTMINT_KEY_PASSPHRASE environment variable"
            ))
        }
        e => Failure::input(format!("error: key {path}: {e}")),
    })
}

/// The environment variable of the key passphrase (--key-passphrase-env).
static PASSPHRASE_ENV: std::sync::OnceLock<String> = std::sync::OnceLock::new();

/// Reads the passphrase from `var` instead of JWTMINT_KEY_PASSPHRASE (set
/// once, before any key is read); an unset `var` is then an error.
pub fn set_passphrase_env(var: Option<&str>) {
    if let Some(v) = var {
        let _ = PASSPHRASE_ENV.set(v.to_owned());
    }
}

/// The key passphrase: the contents of `file` (at most 64 KiB, one
/// trailing `\n` or `\r\n` removed:
/// [`jwtmint::config::read_passphrase_file`]), else the variable of
/// --key-passphrase-env (which must be set), else
/// `JWTMINT_KEY_PASSPHRASE`, else none. Never a flag value
/// (flags show in `ps` and shell history). Zeroized on drop.
pub fn passphrase(file: Option<&Path>) -> Result<Option<Zeroizing<Vec<u8>>>, Failure> {
    if let Some(file) = file {
        let p = jwtmint::config::read_passphrase_file(file);
        return p
            .map(Some)
            .map_err(|e| Failure::input(format!("error: {e}")));
    }
    let named = PASSPHRASE_ENV.get();
    let var = named.map_or("JWTMINT_KEY_PASSPHRASE", String::as_str);
    let value = std::env::var_os(var);
    if value.is_none()
        && let Some(v) = named
    {
        return Err(Failure::input(format!(
            "error: --key-passphrase-env: environment variable {v} is not set"
        )));
    }
    Ok(value.map(|v| {
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
