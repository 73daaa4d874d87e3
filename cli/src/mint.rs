//! `jwtmint mint` and `jwtmint sign`.

use jwtmint::profiles::declare::{KeyUse, Kind, Misfit};
use jwtmint::profiles::{Profile as JwtProfile, Provider, Rfc7523, Values};
use jwtmint::{ClaimValue, Header, JwsSigner, RawJson, SigningKey};

use crate::args::{Alg, MintArgs, MintCmd, Profile, SignArgs};
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

fn need<'a>(v: &'a Option<String>, flag: &str, profile: &str) -> Result<&'a str, Failure> {
    v.as_deref().ok_or_else(|| {
        Failure::usage(format!(
            "error: --{flag} is required for --profile {profile}"
        ))
    })
}

fn to_string(buf: &[u8]) -> Result<String, Failure> {
    String::from_utf8(buf.to_vec()).map_err(|_| Failure::input("error: output is not UTF-8"))
}

/// Mints per the profile at time `now`: the flags become one configured
/// [`jwtmint::profiles::Profile`], then the library's one mint path and the
/// profile's token request do the rest.
fn mint(a: &MintArgs, now: i64) -> Result<Minted, Failure> {
    build(a, now, &mut |p, key, at, jti, _| finish(p, key, at, jti))
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
/// above, or `exchange`'s token source).
pub fn build<R>(a: &MintArgs, now: i64, then: Then<'_, R>) -> Result<R, Failure> {
    crate::flags::check(a)?;
    let scope = a.scope.join(" ");
    match a.profile {
        Profile::Generic => generic(a, now, &scope, then),
        Profile::Custom => Err(Failure::usage(
            "error: --profile custom mints nothing: use it with `jwtmint exchange`",
        )),
        Profile::Declared(p) => declared(a, p, now, &scope, then),
    }
}

/// A declared provider: each option from its flag (`flags::value`), checked
/// against the declaration, built by the provider's own `build`.
fn declared<R>(
    a: &MintArgs,
    p: &'static Provider,
    now: i64,
    scope: &str,
    then: Then<'_, R>,
) -> Result<R, Failure> {
    let loaded = match p.key {
        KeyUse::Own => None,
        _ => Some(input::loaded_key(
            a.key.as_deref(),
            a.key_passphrase_file.as_deref(),
        )?),
    };
    // What the flags name rather than hold: the library's one reading step
    // (Bytes files read and wiped, Account files through their reader, the
    // certificate's thumbprint).
    let read = crate::flags::Read {
        scope,
        scopes: scope.split_whitespace().collect(),
        files: jwtmint::config::OptionFiles::read(
            p,
            |flag| crate::flags::path(a, flag),
            loaded.as_ref(),
            a.legacy_rs256,
        )
        .map_err(|e| crate::flags::file_failure(e, p))?,
    };
    let key = loaded.map(|l| l.key);
    let values = p
        .options
        .iter()
        .map(|o| crate::flags::value(a, p, o, &read))
        .collect::<Result<Vec<_>, _>>()?;
    let at_build = key.as_ref().filter(|_| p.key == KeyUse::CallerAtBuild);
    let checked = Values::new(p, &values, at_build).map_err(|m| match m {
        Misfit::Missing(o) => Failure::usage(format!(
            "error: --{} is required for --profile {}",
            o.flag, p.name
        )),
        Misfit::Unexpected(o) => Failure::usage(format!(
            "error: --{} is not used by --profile {}",
            o.flag, p.name
        )),
    })?;
    let built = (p.build)(&checked)?;
    // Options pick the algorithm (Entra's thumbprint kind): --alg may repeat it.
    if let Some(alg) = a.alg
        && alg.algorithm() != built.algorithm()
        && !p.options.iter().any(|o| o.kind == Kind::Alg)
    {
        return Err(Failure::usage(format!(
            "error: --alg is not used by --profile {}: it signs {} here (its options pick the algorithm)",
            p.name,
            built.algorithm().as_str()
        )));
    }
    let key = match (&built.key, &key) {
        (Some(own), _) => own.key(),
        (None, Some(k)) => k,
        (None, None) => {
            return Err(Failure::usage(format!(
                "error: --profile {} brought no key",
                p.name
            )));
        }
    };
    then(&*built.profile, key, now, a.jti.as_deref(), true)
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

/// `--profile generic`: the declared `rfc7523` profile (its summary and
/// flags come from that declaration) plus what the declaration lacks —
/// extra claims (borrowed pairs, which a declared, owned profile cannot
/// hold), `nbf`, explicit `iat`/`exp`, `x5t` from a certificate, HMAC keys —
/// built here and borrowed for the run.
fn generic<R>(a: &MintArgs, now: i64, scope: &str, then: Then<'_, R>) -> Result<R, Failure> {
    let alg = a.alg.unwrap_or(Alg::Rs256).algorithm();
    // HS*: the key file holds the raw secret; otherwise the key type is
    // sniffed (PEM, DER, JWK, PKCS#12, encrypted PKCS#8) and must suit `alg`.
    let (key, file_kid) = match (alg.key_kind(), a.key.as_deref()) {
        (jwtmint::KeyKind::Hmac, Some(path)) => (input::hmac_secret(path)?, None),
        (_, path) => {
            let loaded = input::loaded_key(path, a.key_passphrase_file.as_deref())?;
            (loaded.key, loaded.kid)
        }
    };
    // --kid, else the `kid` of a JWK key file.
    let kid = a.kid.clone().or(file_kid);
    let iss = need(&a.iss, "iss", "generic")?;
    let aud = need(&a.aud, "aud", "generic")?;
    let iat = a.iat.unwrap_or(now);
    let mut p = if a.client_assertion {
        Rfc7523::client_assertion(iss, aud)?
    } else {
        Rfc7523::grant(iss, need(&a.sub, "sub", "generic")?, aud)?
    };
    // Explicit --exp/--nbf are absolute; the profile takes them relative to iat.
    let lifetime = match (a.exp, a.lifetime) {
        (Some(exp), _) => exp.saturating_sub(iat),
        (None, l) => l.unwrap_or(jwtmint::profiles::generic::DEFAULT_LIFETIME),
    };
    if lifetime < 1 {
        return Err(jwtmint::Error::ExpiryNotAfterIssuedAt {
            iat,
            exp: iat.saturating_add(lifetime),
        }
        .into());
    }
    p = p.with_lifetime(lifetime)?;
    if let Some(nbf) = a.nbf {
        p = p.with_not_before(nbf.saturating_sub(iat));
    }
    if !scope.is_empty() {
        p = p.with_scope(scope)?;
    }
    let mut extras: Vec<(String, String, bool)> = Vec::new();
    for c in &a.claims {
        if let Some((k, v)) = c.split_once(":=") {
            extras.push((k.to_owned(), v.to_owned(), true));
        } else if let Some((k, v)) = c.split_once('=') {
            extras.push((k.to_owned(), v.to_owned(), false));
        } else {
            return Err(Failure::usage(format!(
                "error: --claim {c}: expected NAME=VALUE or NAME:=JSON"
            )));
        }
    }
    let mut values = Vec::new();
    for (k, v, raw) in &extras {
        let value = if *raw {
            ClaimValue::Raw(
                RawJson::new(v).map_err(|e| Failure::input(format!("error: --claim {k}: {e}")))?,
            )
        } else {
            ClaimValue::Str(v)
        };
        values.push((k.as_str(), value));
    }
    p = p.with_extra(&values);
    let thumbs;
    let mut header = Header::new(alg);
    if let Some(kid) = &kid {
        header = header.kid(kid);
    }
    if let Some(path) = &a.cert {
        thumbs = input::certificate(path)?;
        thumbs.check_key(&key)?;
        header = header.x5t(thumbs.x5t()).x5t_s256(thumbs.x5t_s256());
    }
    p = p.with_header(&header)?;
    // The generic profile's token URL is `aud` by default, which the CLI's
    // `aud` often is not: `exchange` asks for --token-url instead.
    then(&p, &key, iat, a.jti.as_deref(), false)
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
