//! `jwtmint inspect`: decode header and claims; optionally verify.

use jwtmint::PublicKey;
use jwtmint::VerifyingKey;
use serde_json::Value;

use crate::args::InspectArgs;
use crate::failure::{CmdResult, Failure};
use crate::input;

pub fn run(a: &InspectArgs) -> CmdResult {
    let raw = if a.token == "-" {
        input::read_arg("-", "token")?
    } else {
        a.token.clone().into_bytes()
    };
    let token =
        String::from_utf8(raw).map_err(|_| Failure::input("error: the token is not UTF-8"))?;
    let token = token.trim();
    let segs: Vec<&str> = token.split('.').collect();
    if segs.len() != 3 {
        return Err(Failure::input(format!(
            "error: a compact JWS has 3 dot-separated segments, this has {}",
            segs.len()
        )));
    }
    let header = decode_json(segs[0], "header")?;
    let claims = decode_json(segs[1], "payload")?;
    println!("header:");
    println!("{}", pretty(&header));
    println!("claims:");
    println!("{}", pretty(&claims));
    let mut warnings = Vec::new();
    if let Value::Object(map) = &claims {
        for name in ["iat", "nbf", "exp"] {
            if let Some(v) = map.get(name) {
                println!("  {name}: {}", describe_time(v, name, &mut warnings));
            }
        }
    }
    let sig_len = jwtmint::base64url::decoded_len_max(segs[2].len());
    println!("signature: {} bytes", sig_len);
    // The library's strict parser: report what a strict verifier would refuse.
    let mut buf = vec![0u8; jwtmint::parse::buffer_len(token.as_bytes())];
    if let Err(e) = jwtmint::parse::parse_jwt(token.as_bytes(), &mut buf) {
        warnings.push(format!("a strict JWT parser refuses this token: {e}"));
    }
    for w in &warnings {
        eprintln!("warning: {w}");
    }
    if a.verify {
        let key = public_key(a)?;
        let alg = a.alg.algorithm();
        let vk = VerifyingKey::new(key, alg);
        let mut buf = vec![0u8; jwtmint::parse::buffer_len(token.as_bytes())];
        vk.verify_signature_only(token.as_bytes(), &mut buf)
            .map_err(|e| Failure::input(format!("verify: FAILED: {e}")))?;
        println!(
            "verify: OK ({} with a {}-bit key)",
            alg.as_str(),
            vk.public_key().bits()
        );
    }
    Ok(())
}

fn public_key(a: &InspectArgs) -> Result<PublicKey, Failure> {
    let (path, what) = match (&a.pubkey, &a.cert) {
        (Some(p), None) => (p, "public key"),
        (None, Some(c)) => (c, "certificate"),
        _ => {
            return Err(Failure::usage(
                "error: --verify needs exactly one of --pubkey FILE or --cert FILE",
            ));
        }
    };
    let bytes = input::read_file(path, what)?;
    let parsed = match std::str::from_utf8(&bytes) {
        Ok(t) if t.trim_start().starts_with('{') => PublicKey::from_jwk(t),
        Ok(t) if t.contains("-----BEGIN") => PublicKey::from_pem(t),
        _ => PublicKey::from_der(&bytes),
    };
    parsed.map_err(|e| Failure::input(format!("error: {what} {}: {e}", path.display())))
}

fn decode_json(seg: &str, what: &str) -> Result<Value, Failure> {
    let mut buf = vec![0u8; jwtmint::base64url::decoded_len_max(seg.len())];
    let n = jwtmint::base64url::decode(seg.as_bytes(), &mut buf)
        .map_err(|e| Failure::input(format!("error: {what} segment: {e}")))?;
    serde_json::from_slice(&buf[..n])
        .map_err(|e| Failure::input(format!("error: {what} is not JSON: {e}")))
}

fn pretty(v: &Value) -> String {
    serde_json::to_string_pretty(v)
        .unwrap_or_default()
        .lines()
        .map(|l| format!("  {l}"))
        .collect::<Vec<_>>()
        .join("\n")
}

fn describe_time(v: &Value, name: &str, warnings: &mut Vec<String>) -> String {
    let Some(secs) = v.as_i64() else {
        warnings.push(format!("`{name}` is not an integer NumericDate: {v}"));
        return format!("{v} (not an integer)");
    };
    if secs > jwtmint::time::MAX_NUMERIC_DATE {
        warnings.push(format!(
            "`{name}` = {secs} looks like milliseconds; JWT NumericDate is seconds (this is {} in seconds)",
            utc(secs / 1000)
        ));
        return format!(
            "{secs} (milliseconds? {} if divided by 1000)",
            utc(secs / 1000)
        );
    }
    format!("{secs} = {}", utc(secs))
}

/// `YYYY-MM-DDTHH:MM:SSZ` for seconds since 1970 (proleptic Gregorian, UTC).
pub fn utc(secs: i64) -> String {
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    // Howard Hinnant's civil_from_days.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = if m <= 2 { y + 1 } else { y };
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}
