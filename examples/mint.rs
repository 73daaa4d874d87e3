//! The main job: mint a Salesforce JWT bearer assertion with the bundled DEMO
//! key and print it, with its decoded header and claims and the token request.
//!
//! ```text
//! cargo run --example mint
//! cargo run --example mint -- --iss CONSUMER_KEY --sub user@example.com \
//!     --aud https://test.salesforce.com --key path/to/key.pem --lifetime 120
//! ```

use std::process::ExitCode;

use jwtmint::SigningKey;
use jwtmint::profiles::{Login, Profile, Salesforce};

const DEMO_KEY: &str = include_str!("keys/demo-key.pem");

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
    }
}

fn decode_segment(seg: &str) -> String {
    let mut buf = vec![0u8; jwtmint::base64url::decoded_len_max(seg.len())];
    match jwtmint::base64url::decode(seg.as_bytes(), &mut buf) {
        Ok(n) => String::from_utf8_lossy(&buf[..n]).into_owned(),
        Err(e) => format!("<{e}>"),
    }
}

fn run() -> Result<(), Box<dyn std::error::Error>> {
    let mut iss = "3MVG9DEMO.CONSUMER.KEY.FROM.YOUR.CONNECTED.APP".to_owned();
    let mut sub = "integration.user@example.com".to_owned();
    let mut aud = "https://login.salesforce.com".to_owned();
    let mut key_path: Option<String> = None;
    let mut lifetime: i64 = 180;
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        let mut value = || args.next().ok_or_else(|| format!("{flag} needs a value"));
        match flag.as_str() {
            "--iss" => iss = value()?,
            "--sub" => sub = value()?,
            "--aud" => aud = value()?,
            "--key" => key_path = Some(value()?),
            "--lifetime" => lifetime = value()?.parse()?,
            "-h" | "--help" => {
                println!(
                    "usage: mint [--iss CONSUMER_KEY] [--sub USERNAME] [--aud LOGIN_URL] [--key PEM] [--lifetime 1..180]"
                );
                return Ok(());
            }
            other => return Err(format!("unknown argument {other}; try --help").into()),
        }
    }

    let pem = match &key_path {
        Some(p) => std::fs::read_to_string(p)?,
        None => {
            eprintln!("warning: signing with the bundled DEMO key (examples/keys/demo-key.pem).");
            eprintln!(
                "         It is public; never register it with a real provider. Use --key for yours."
            );
            DEMO_KEY.to_owned()
        }
    };
    // Parse once; in a service, keep `key` and the profile for the process lifetime.
    let key = SigningKey::from_pem(&pem)?;
    let login = match aud.as_str() {
        "https://login.salesforce.com" => Login::Production,
        "https://test.salesforce.com" => Login::Sandbox,
        custom => Login::Custom(custom),
    };
    let salesforce = Salesforce::new(&iss, &sub, login)?.with_lifetime(lifetime)?;

    let now = jwtmint::time::now()?;
    let mut out = [0u8; 2048];
    let n = jwtmint::profiles::mint_profile(&salesforce, &key, now, None, &mut out)?;
    let assertion = std::str::from_utf8(&out[..n])?;

    let mut segs = assertion.split('.');
    println!("{assertion}");
    eprintln!();
    eprintln!(
        "header: {}",
        decode_segment(segs.next().unwrap_or_default())
    );
    eprintln!(
        "claims: {}",
        decode_segment(segs.next().unwrap_or_default())
    );
    eprintln!(
        "key:    RSA-{} ({})",
        key.bits(),
        key_path.as_deref().unwrap_or("DEMO KEY")
    );
    let request = salesforce
        .token_request()
        .ok_or("the Salesforce profile always has a token request")?;
    let mut body = vec![0u8; request.body_len(assertion)?];
    let m = request.write_body(assertion, &mut body)?;
    eprintln!("{} {} with body:", request.method.as_str(), request.url);
    eprintln!("{}", String::from_utf8_lossy(&body[..m]));
    Ok(())
}
