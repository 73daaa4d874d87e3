//! `jwtmint mint` and `jwtmint sign`.

use jwtmint::keys::formats::LoadedKey;
use jwtmint::profiles::declare::{KeyUse, Kind};
use jwtmint::profiles::{Profile as JwtProfile, Provider};
use jwtmint::{JwsSigner, KeyKind, SigningKey};

use crate::args::{MintArgs, MintCmd, Profile, SignArgs};
use crate::failure::{CmdResult, Failure};
use crate::input;

/// A minted assertion and its token-request body.
struct Minted {
    /// The compact JWT.
    assertion: String,
    /// The form body for the token request.
    body: String,
}

pub fn run(a: &MintCmd) -> CmdResult {
    let m = mint(&a.mint, jwtmint::time::now()?)?;
    println!("{}", if a.form { &m.body } else { &m.assertion });
    Ok(())
}

fn to_string(buf: &[u8]) -> Result<String, Failure> {
    String::from_utf8(buf.to_vec()).map_err(|_| Failure::input("error: output is not UTF-8"))
}

/// Mints per the profile at time `now`: the flags become one configured
/// [`jwtmint::profiles::Profile`], then the library's one mint path and the
/// profile's token request do the rest.
fn mint(a: &MintArgs, now: i64) -> Result<Minted, Failure> {
    build(a, now, None, &mut |p, key, at, jti, _| {
        finish(p, key, at, jti)
    })
}

/// What to do with the configured profile: `(profile, key, now, jti,
/// whether the profile's token URL is the one to use)`.
pub type Then<'t, R> = &'t mut dyn FnMut(
    &(dyn JwtProfile + Sync),
    &SigningKey,
    i64,
    Option<&str>,
    bool,
) -> Result<R, Failure>;

/// Configures the profile from the flags and hands it to `then` (the mint
/// above, or `exchange`'s token source). `token_url`: exchange's checked
/// `--token-url`, for a provider that takes its token URL as an option
/// (generic: else its `aud` stands in and must pass the token-URL rule).
pub fn build<R>(
    a: &MintArgs,
    now: i64,
    token_url: Option<&str>,
    then: Then<'_, R>,
) -> Result<R, Failure> {
    crate::flags::check(a)?;
    match a.profile {
        Profile::Custom => Err(Failure::usage(
            "error: --profile custom mints nothing: use it with `jwtmint exchange`",
        )),
        Profile::Declared(p) => declared(a, p, now, token_url, then),
    }
}

/// A declared provider: the key from `--key`, then the library types the
/// flags by the declaration, reads the files they name and builds the
/// profile ([`jwtmint::config::build_provider`]).
fn declared<R>(
    a: &MintArgs,
    p: &'static Provider,
    now: i64,
    token_url: Option<&str>,
    then: Then<'_, R>,
) -> Result<R, Failure> {
    let name = a.profile.name();
    // HS* (where the provider signs it): the key file holds the raw secret;
    // otherwise the key type is sniffed (PEM, DER, JWK, PKCS#12, encrypted
    // PKCS#8) and must suit the algorithm.
    let hmac = a
        .alg
        .map(|x| x.algorithm())
        .filter(|alg| alg.key_kind() == KeyKind::Hmac && p.algorithms.contains(alg));
    let loaded = match (p.key, hmac, a.key.as_deref()) {
        (KeyUse::Own, ..) => None,
        (_, Some(_), Some(path)) => Some(LoadedKey::from(input::hmac_secret(path)?)),
        _ => Some(input::loaded_key(
            a.key.as_deref(),
            a.key_passphrase_file.as_deref(),
        )?),
    };
    let iat = a.iat.unwrap_or(now);
    // An explicit --exp is --iat + the lifetime.
    let lifetime = match a.exp {
        Some(exp) if exp.saturating_sub(iat) < 1 => {
            return Err(jwtmint::Error::ExpiryNotAfterIssuedAt { iat, exp }.into());
        }
        Some(exp) => Some(exp - iat),
        None => a.lifetime,
    };
    for c in &a.claims {
        crate::flags::claim(c)?;
    }
    let get = |flag: &str| match flag {
        "token-url" => token_url.map(jwtmint::config::Raw::Text),
        flag => crate::flags::raw(a, flag, lifetime),
    };
    let (built, key) =
        jwtmint::config::build_provider(p, get, loaded).map_err(|e| crate::flags::failure(e, a))?;
    // --alg may repeat the algorithm the profile signs, not change it: a
    // fixed one, or the one its options pick (Entra's thumbprint kind).
    if let Some(alg) = a.alg
        && alg.algorithm() != built.algorithm()
        && !p.options.iter().any(|o| o.kind == Kind::Alg)
    {
        let (how, why) = match p.fixed_algorithm() {
            Some(_) => ("always signs", ""),
            None => ("signs", " here (its options pick the algorithm)"),
        };
        let alg = built.algorithm().as_str();
        return Err(Failure::usage(format!(
            "error: --alg is not used by --profile {name}: it {how} {alg}{why}"
        )));
    }
    // A provider taking its token URL as an option (generic, whose `aud`
    // stands in for it): the CLI's mint flags do not carry it, so `exchange`
    // asks for --token-url.
    let known_url = !p.options.iter().any(|o| o.flag == "token-url");
    then(&*built.profile, &key, iat, a.jti.as_deref(), known_url)
}

/// The one path after the flags: mint, then the token request's body and URL.
fn finish(
    profile: &(dyn JwtProfile + Sync),
    key: &SigningKey,
    now: i64,
    jti: Option<&str>,
) -> Result<Minted, Failure> {
    let assertion = jwtmint::profiles::mint_profile_string(profile, key, now, jti)?;
    let Some(request) = profile.token_request() else {
        // The JWT is the credential (Snowflake): no body.
        return Ok(Minted {
            assertion,
            body: String::new(),
        });
    };
    let mut body = vec![0u8; request.body_len(&assertion)?];
    let n = request.write_body(&assertion, &mut body)?;
    Ok(Minted {
        body: to_string(&body[..n])?,
        assertion,
    })
}

pub fn sign(a: &SignArgs) -> CmdResult {
    let alg = a.alg.algorithm();
    // HS*: the key file holds the raw secret; otherwise the key type is
    // sniffed and must suit `alg` (KeyAlgorithmMismatch names both).
    let key = if alg.key_kind() == jwtmint::KeyKind::Hmac {
        input::hmac_secret(&a.key)?
    } else {
        input::signing_key(Some(&a.key), a.key_passphrase_file.as_deref())?
    };
    let mut signer = key.signer(alg)?;
    let header = input::read_file(&a.header, "header")?;
    let payload = input::read_file(&a.payload, "payload")?;
    let len = jwtmint::sign_raw_len(header.len(), payload.len(), signer.signature_len())?;
    let mut out = vec![0u8; len];
    let n = jwtmint::sign_raw(&mut signer, &header, &payload, &mut out)?;
    println!("{}", to_string(&out[..n])?);
    Ok(())
}
