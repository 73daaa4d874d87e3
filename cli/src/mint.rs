//! `jwtmint mint` and `jwtmint sign`.

use jwtmint::profiles::{
    Auth0, DocuSign, DocuSignEnv, Entra, GitHubApp, Google, Login, Okta, Rfc7523, Salesforce,
    ServiceAccount, Snowflake, Thumbprint, docusign, salesforce,
};
use jwtmint::{Algorithm, ClaimValue, Header, RawJson, SigningKey};

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
    /// Whether the token request is a form POST (`exchange` sends only those;
    /// the JWT is the credential, or a bearer header, for the others).
    pub form_exchange: bool,
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

/// Mints per the profile at time `now`: the flags become one configured
/// [`jwtmint::profiles::Profile`], then the library's one mint path and the
/// profile's token request do the rest.
pub fn mint(a: &MintArgs, now: i64) -> Result<Minted, Failure> {
    let scope = a.scope.join(" ");
    match a.profile {
        Profile::Salesforce => {
            let key = input::signing_key(a.key.as_deref())?;
            let iss = need(&a.iss, "iss", "salesforce")?;
            let sub = need(&a.sub, "sub", "salesforce")?;
            let aud = a.aud.as_deref().unwrap_or(salesforce::PRODUCTION);
            let login = match aud {
                salesforce::PRODUCTION => Login::Production,
                salesforce::SANDBOX => Login::Sandbox,
                custom => Login::Custom(custom),
            };
            let mut sf = Salesforce::new(iss, sub, login)?;
            if let Some(l) = a.lifetime {
                sf = sf.with_lifetime(l)?;
            }
            finish(&sf, &key, now, a.jti.as_deref(), true)
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
            finish(&g, sa.key(), now, a.jti.as_deref(), true)
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
            let scope = if scope.is_empty() {
                "https://graph.microsoft.com/.default"
            } else {
                &scope
            };
            let mut e = Entra::new(tenant, client_id, thumb)?.with_scope(scope)?;
            if let Some(l) = a.lifetime {
                e = e.with_lifetime(l)?;
            }
            finish(&e, &key, now, a.jti.as_deref(), true)
        }
        Profile::Generic => generic(a, now, &scope),
        Profile::GithubApp => {
            let key = input::signing_key(a.key.as_deref())?;
            let iss = need(&a.iss, "iss", "github-app")?;
            let id = a.installation_id.ok_or_else(|| {
                Failure::usage("error: --installation-id is required for --profile github-app")
            })?;
            let mut p = GitHubApp::new(iss, id)?;
            if let Some(l) = a.lifetime {
                p = p.with_lifetime(l)?;
            }
            finish(&p, &key, now, a.jti.as_deref(), true)
        }
        Profile::Snowflake => {
            let key = input::signing_key(a.key.as_deref())?;
            let account = need(&a.account, "account", "snowflake")?;
            let user = need(&a.user, "user", "snowflake")?;
            let mut p = Snowflake::new(account, user, &key)?;
            if let Some(l) = a.lifetime {
                p = p.with_lifetime(l)?;
            }
            finish(&p, &key, now, a.jti.as_deref(), true)
        }
        Profile::Docusign => {
            let key = input::signing_key(a.key.as_deref())?;
            let env = match need(&a.aud, "aud", "docusign")? {
                docusign::DEMO => DocuSignEnv::Demo,
                docusign::PRODUCTION => DocuSignEnv::Production,
                _ => {
                    return Err(Failure::usage(
                        "error: --aud for --profile docusign is the host name account-d.docusign.com (demo) or account.docusign.com (production)",
                    ));
                }
            };
            let mut p = DocuSign::new(
                need(&a.iss, "iss", "docusign")?,
                need(&a.sub, "sub", "docusign")?,
                env,
            )?;
            if !scope.is_empty() {
                p = p.with_scope(&scope)?;
            }
            if let Some(l) = a.lifetime {
                p = p.with_lifetime(l)?;
            }
            finish(&p, &key, now, a.jti.as_deref(), true)
        }
        Profile::Okta => {
            let key = input::signing_key(a.key.as_deref())?;
            let mut p = Okta::new(
                need(&a.aud, "aud", "okta")?,
                need(&a.client_id, "client-id", "okta")?,
            )?
            .with_key(alg(a.alg), a.kid.as_deref())?;
            if !scope.is_empty() {
                p = p.with_scope(&scope)?;
            }
            if let Some(l) = a.lifetime {
                p = p.with_lifetime(l)?;
            }
            finish(&p, &key, now, a.jti.as_deref(), true)
        }
        Profile::Auth0 => {
            let key = input::signing_key(a.key.as_deref())?;
            let mut p = Auth0::new(
                need(&a.aud, "aud", "auth0")?,
                need(&a.client_id, "client-id", "auth0")?,
            )?
            .with_key(alg(a.alg), a.kid.as_deref())?;
            if !scope.is_empty() {
                // Auth0's client-credentials request names the API as `audience`.
                p = p.with_api_audience(&scope)?;
            }
            if let Some(l) = a.lifetime {
                p = p.with_lifetime(l)?;
            }
            finish(&p, &key, now, a.jti.as_deref(), true)
        }
    }
}

/// The one path after the flags: mint, then the token request's body and URL.
fn finish(
    profile: &dyn jwtmint::profiles::Profile,
    key: &SigningKey,
    now: i64,
    jti: Option<&str>,
    known_url: bool,
) -> Result<Minted, Failure> {
    let assertion = jwtmint::profiles::mint_string(profile, key, now, jti)?;
    let Some(request) = profile.token_request() else {
        // The JWT is the credential (Snowflake): nothing to exchange.
        return Ok(Minted {
            assertion,
            body: String::new(),
            token_url: None,
            form_exchange: false,
        });
    };
    let mut body = vec![0u8; request.body_len(&assertion)?];
    let n = request.write_body(&assertion, &mut body)?;
    Ok(Minted {
        body: to_string(&body[..n])?,
        assertion,
        token_url: known_url.then(|| request.url.to_owned()),
        form_exchange: request.content_type().is_some(),
    })
}

fn generic(a: &MintArgs, now: i64, scope: &str) -> Result<Minted, Failure> {
    let key = input::signing_key(a.key.as_deref())?;
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
    let mut header = Header::new(alg(a.alg));
    if let Some(kid) = &a.kid {
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
    finish(&p, &key, iat, a.jti.as_deref(), false)
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
