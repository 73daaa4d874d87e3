//! `jwtmint mint` and `jwtmint sign`.

use jwtmint::profiles::{Entra, Google, Login, Rfc7523, Salesforce, ServiceAccount, Thumbprint};
use jwtmint::{Algorithm, ClaimValue, Header, HeaderTemplate, RawJson, SigningKey};

use crate::args::{Alg, MintArgs, Profile, SignArgs};
use crate::{CmdResult, Failure, input};

/// A minted assertion and what is needed to send it.
pub struct Minted {
    /// The compact JWT.
    pub assertion: String,
    /// The form body for the token request.
    pub body: String,
    /// The profile's token endpoint, when it has one.
    pub token_url: Option<String>,
}

pub fn run(a: &MintArgs) -> CmdResult {
    let m = mint(a, jwtmint::time::now()?)?;
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

fn alg(a: Alg) -> Algorithm {
    match a {
        Alg::Rs256 => Algorithm::Rs256,
        Alg::Ps256 => Algorithm::Ps256,
    }
}

fn signer_mint(
    key: &SigningKey,
    alg: Algorithm,
    f: impl FnOnce(&mut dyn jwtmint::JwsSigner, &mut [u8]) -> jwtmint::Result<usize>,
) -> Result<String, Failure> {
    let mut out = vec![0u8; 16 * 1024];
    let n = match alg {
        Algorithm::Rs256 => f(&mut key.rs256(), &mut out)?,
        Algorithm::Ps256 => f(&mut key.ps256(), &mut out)?,
    };
    to_string(&out[..n])
}

fn grant_body(assertion: &str, extra: &[(&str, &str)]) -> Result<String, Failure> {
    let mut body = vec![0u8; jwtmint::form::grant_body_len(assertion, extra)?];
    let n = jwtmint::form::grant_body(assertion, extra, &mut body)?;
    to_string(&body[..n])
}

/// Mints per the profile at time `now`.
pub fn mint(a: &MintArgs, now: i64) -> Result<Minted, Failure> {
    let scope = a.scope.join(" ");
    match a.profile {
        Profile::Salesforce => {
            let key = input::signing_key(a.key.as_deref())?;
            let iss = need(&a.iss, "iss", "salesforce")?;
            let sub = need(&a.sub, "sub", "salesforce")?;
            let aud = a
                .aud
                .as_deref()
                .unwrap_or(jwtmint::profiles::salesforce::PRODUCTION);
            let login = match aud {
                jwtmint::profiles::salesforce::PRODUCTION => Login::Production,
                jwtmint::profiles::salesforce::SANDBOX => Login::Sandbox,
                custom => Login::Custom(custom),
            };
            let mut sf = Salesforce::new(iss, sub, login)?;
            if let Some(l) = a.lifetime {
                sf = sf.with_lifetime(l)?;
            }
            let assertion = signer_mint(&key, Algorithm::Rs256, |s, out| sf.mint(s, now, out))?;
            let mut url = [0u8; 1024];
            let token_url = sf.token_url(&mut url)?.to_owned();
            let body = grant_body(&assertion, &[])?;
            Ok(Minted {
                assertion,
                body,
                token_url: Some(token_url),
            })
        }
        Profile::Google => {
            let path = a.service_account.as_deref().ok_or_else(|| {
                Failure::usage("error: --service-account FILE is required for --profile google")
            })?;
            let json = input::read_file(path, "service account")?;
            let sa = ServiceAccount::from_json(&json).map_err(|e| {
                Failure::input(format!("error: service account {}: {e}", path.display()))
            })?;
            let scopes: Vec<&str> = scope.split_whitespace().collect();
            let mut g = Google::new(&sa, &scopes)?;
            if let Some(sub) = &a.sub {
                g = g.with_subject(sub)?;
            }
            if let Some(l) = a.lifetime {
                g = g.with_lifetime(l)?;
            }
            let assertion = signer_mint(sa.key(), Algorithm::Rs256, |s, out| g.mint(s, now, out))?;
            let body = grant_body(&assertion, &[])?;
            Ok(Minted {
                assertion,
                body,
                token_url: Some(g.token_url().to_owned()),
            })
        }
        Profile::Entra => {
            let key = input::signing_key(a.key.as_deref())?;
            let cert_path = a.cert.as_deref().ok_or_else(|| {
                Failure::usage("error: --cert FILE is required for --profile entra")
            })?;
            let cert = input::certificate(cert_path)?;
            cert.check_key(&key)?;
            let tenant = need(&a.tenant, "tenant", "entra")?;
            let client_id = need(&a.client_id, "client-id", "entra")?;
            let thumb = if a.legacy_rs256 {
                Thumbprint::Sha1(cert.x5t())
            } else {
                Thumbprint::Sha256(cert.x5t_s256())
            };
            let mut e = Entra::new(tenant, client_id, thumb)?;
            if let Some(l) = a.lifetime {
                e = e.with_lifetime(l)?;
            }
            let assertion = signer_mint(&key, e.algorithm(), |s, out| match &a.jti {
                Some(j) => e.mint(s, now, j, out),
                None => e.mint_with_random_jti(s, &mut getrandom_rng(), now, out),
            })?;
            let scope = if scope.is_empty() {
                "https://graph.microsoft.com/.default".to_owned()
            } else {
                scope
            };
            let mut body = vec![0u8; 16 * 1024];
            let n = e.form_body(&assertion, &scope, &mut body)?;
            Ok(Minted {
                body: to_string(&body[..n])?,
                assertion,
                token_url: Some(e.token_url().to_owned()),
            })
        }
        Profile::Generic => generic(a, now, &scope),
    }
}

fn getrandom_rng() -> impl rand_core::TryCryptoRng {
    getrandom::SysRng
}

fn generic(a: &MintArgs, now: i64, scope: &str) -> Result<Minted, Failure> {
    let key = input::signing_key(a.key.as_deref())?;
    let iss = need(&a.iss, "iss", "generic")?;
    let aud = need(&a.aud, "aud", "generic")?;
    let iat = a.iat.unwrap_or(now);
    let exp = match (a.exp, a.lifetime) {
        (Some(exp), _) => exp,
        (None, l) => iat.saturating_add(l.unwrap_or(300)),
    };
    let jti_buf;
    let mut claims = if a.client_assertion {
        let jti = match &a.jti {
            Some(j) => j.as_str(),
            None => {
                let mut b = [0u8; 36];
                jti_buf =
                    jwtmint::profiles::entra::uuid_v4(&mut getrandom_rng(), &mut b)?.to_owned();
                jti_buf.as_str()
            }
        };
        Rfc7523::client_assertion(iss, aud, jti, iat, exp)?
    } else {
        let sub = need(&a.sub, "sub", "generic")?;
        let c = Rfc7523::grant(iss, sub, aud, iat, exp)?;
        match &a.jti {
            Some(j) => c.jti(j),
            None => c,
        }
    };
    claims.nbf = a.nbf;
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
    claims.extra = &values;
    let thumbs;
    let mut header = Header::new(alg(a.alg));
    if let Some(kid) = &a.kid {
        header = header.kid(kid);
    }
    if let Some(p) = &a.cert {
        thumbs = input::certificate(p)?;
        thumbs.check_key(&key)?;
        header = header.x5t(thumbs.x5t()).x5t_s256(thumbs.x5t_s256());
    }
    let tpl = HeaderTemplate::new(&header)?;
    let assertion = signer_mint(&key, alg(a.alg), |s, out| {
        jwtmint::mint(s, &tpl, &claims, out)
    })?;
    let mut params: Vec<(&str, &str)> = Vec::new();
    if !scope.is_empty() {
        params.push(("scope", scope));
    }
    let body = if a.client_assertion {
        params.insert(0, ("grant_type", "client_credentials"));
        params.push(("client_id", iss));
        let mut body = vec![0u8; jwtmint::form::client_assertion_body_len(&assertion, &params)?];
        let n = jwtmint::form::client_assertion_body(&assertion, &params, &mut body)?;
        to_string(&body[..n])?
    } else {
        grant_body(&assertion, &params)?
    };
    Ok(Minted {
        assertion,
        body,
        token_url: None,
    })
}

pub fn sign(a: &SignArgs) -> CmdResult {
    let key = input::signing_key(Some(&a.key))?;
    let header = input::read_file(&a.header, "header")?;
    let payload = input::read_file(&a.payload, "payload")?;
    let len = jwtmint::sign_raw_len(header.len(), payload.len(), key.signature_len())?;
    let mut out = vec![0u8; len];
    let n = match a.alg {
        Alg::Rs256 => jwtmint::sign_raw(&mut key.rs256(), &header, &payload, &mut out)?,
        Alg::Ps256 => jwtmint::sign_raw(&mut key.ps256(), &header, &payload, &mut out)?,
    };
    println!("{}", to_string(&out[..n])?);
    Ok(())
}
