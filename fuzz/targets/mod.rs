//! The fuzz targets' bodies, shared by the libFuzzer binaries in
//! `fuzz/fuzz_targets/` and by `tests/fuzz_replay.rs`, which replays every
//! corpus file on stable `cargo test`. Each function must never panic on any
//! input except through a failed property assertion.
#![allow(
    dead_code,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use jwtmint::{
    Algorithm, Audience, ClaimValue, Claims, Header, HeaderTemplate, JwsSigner, RawJson,
};

/// Strict decode never panics; whatever it accepts re-encodes to the same text.
pub fn base64url_decode(data: &[u8]) {
    let mut out = vec![0u8; jwtmint::base64url::decoded_len_max(data.len())];
    if let Ok(n) = jwtmint::base64url::decode(data, &mut out) {
        let mut back = vec![0u8; jwtmint::base64url::encoded_len(n).unwrap()];
        let m = jwtmint::base64url::encode(&out[..n], &mut back).unwrap();
        assert_eq!(&back[..m], data, "decode/encode round trip");
    }
    // Encoding arbitrary bytes agrees with the decoder.
    let mut enc = vec![0u8; jwtmint::base64url::encoded_len(data.len()).unwrap()];
    let m = jwtmint::base64url::encode(data, &mut enc).unwrap();
    let mut dec = vec![0u8; data.len() + 3];
    let k = jwtmint::base64url::decode(&enc[..m], &mut dec).unwrap();
    assert_eq!(&dec[..k], data, "encode/decode round trip");
}

/// Key parsing never panics, whatever the bytes; PEM and DER paths both run.
pub fn key_pem_der(data: &[u8]) {
    let _ = jwtmint::SigningKey::from_der(data);
    let _ = jwtmint::SigningKey::from_pkcs8_der(data);
    let _ = jwtmint::SigningKey::from_pkcs1_der(data);
    if let Ok(s) = std::str::from_utf8(data) {
        let _ = jwtmint::SigningKey::from_pem(s);
    }
}

/// Certificate parsing never panics.
pub fn cert_parse(data: &[u8]) {
    if let Ok(t) = jwtmint::CertThumbprints::from_der(data) {
        assert_eq!((t.x5t().len(), t.x5t_s256().len()), (27, 43));
    }
    if let Ok(s) = std::str::from_utf8(data) {
        let _ = jwtmint::CertThumbprints::from_pem(s);
    }
}

/// Raw JSON validation never panics and agrees with serde_json on what is JSON
/// (we are stricter only on lone surrogates and depth > 32).
pub fn raw_json(data: &[u8]) {
    let Ok(s) = std::str::from_utf8(data) else {
        return;
    };
    if jwtmint::RawJson::new(s).is_ok() {
        assert!(
            serde_json::from_str::<serde_json::Value>(s).is_ok(),
            "we accepted what serde_json refuses: {s:?}"
        );
    }
}

/// Service-account JSON loading never panics.
pub fn service_account_json(data: &[u8]) {
    let _ = jwtmint::profiles::ServiceAccount::from_json(data);
}

/// A signer that needs no key: the signature is a function of the input.
struct EchoSigner;
impl JwsSigner for EchoSigner {
    fn algorithm(&self) -> Algorithm {
        Algorithm::Rs256
    }
    fn signature_len(&self) -> usize {
        32
    }
    fn sign(&mut self, input: &[u8], sig: &mut [u8]) -> jwtmint::Result<usize> {
        for (i, b) in sig.iter_mut().enumerate() {
            *b = input.get(i).copied().unwrap_or(0);
        }
        Ok(32)
    }
}

/// Structured claims for `claims_roundtrip`.
#[derive(Debug, arbitrary::Arbitrary)]
pub struct FuzzClaims {
    iss: Option<String>,
    sub: Option<String>,
    aud: Vec<String>,
    aud_as_array: bool,
    exp: Option<i64>,
    nbf: Option<i64>,
    iat: Option<i64>,
    jti: Option<String>,
    scope: Option<String>,
    kid: Option<String>,
    extra: Vec<(String, FuzzValue)>,
    out_cap: u16,
}

/// An extra claim value.
#[derive(Debug, arbitrary::Arbitrary)]
pub enum FuzzValue {
    /// String.
    Str(String),
    /// Integer.
    Int(i64),
    /// Boolean.
    Bool(bool),
    /// Raw JSON text (often invalid).
    Raw(String),
}

/// claims → mint → decode → equal claims; escaping round-trips every string;
/// a too-small buffer reports exactly the length that then succeeds.
pub fn claims_roundtrip(data: &[u8]) {
    let mut u = arbitrary::Unstructured::new(data);
    let Ok(fc) = <FuzzClaims as arbitrary::Arbitrary>::arbitrary(&mut u) else {
        return;
    };
    let raws: Vec<Option<RawJson<'_>>> = fc
        .extra
        .iter()
        .map(|(_, v)| match v {
            FuzzValue::Raw(s) => RawJson::new(s).ok(),
            _ => None,
        })
        .collect();
    let extra: Vec<(&str, ClaimValue<'_>)> = fc
        .extra
        .iter()
        .zip(&raws)
        .filter_map(|((k, v), raw)| {
            let v = match v {
                FuzzValue::Str(s) => ClaimValue::Str(s),
                FuzzValue::Int(i) => ClaimValue::Int(*i),
                FuzzValue::Bool(b) => ClaimValue::Bool(*b),
                FuzzValue::Raw(_) => ClaimValue::Raw((*raw)?),
            };
            Some((k.as_str(), v))
        })
        .collect();
    let auds: Vec<&str> = fc.aud.iter().map(String::as_str).collect();
    let claims = Claims {
        iss: fc.iss.as_deref(),
        sub: fc.sub.as_deref(),
        aud: match (auds.first(), fc.aud_as_array) {
            (None, false) => None,
            (Some(a), false) => Some(Audience::One(a)),
            (_, true) => Some(Audience::Many(&auds)),
        },
        exp: fc.exp,
        nbf: fc.nbf,
        iat: fc.iat,
        jti: fc.jti.as_deref(),
        scope: fc.scope.as_deref(),
        extra: &extra,
    };
    let mut header = Header::new(Algorithm::Rs256);
    if let Some(k) = fc.kid.as_deref() {
        header = header.kid(k);
    }
    let Ok(tpl) = HeaderTemplate::new(&header) else {
        return;
    };
    let need = match jwtmint::mint_len(&tpl, &claims, 32) {
        Ok(need) => need,
        Err(e) => {
            // Only invalid claims make mint_len fail, with validate's error.
            assert_eq!(claims.validate(), Err(e), "mint_len failed on {claims:?}");
            return;
        }
    };
    // Buffer negotiation: a smaller buffer reports exactly `need`.
    let cap = usize::from(fc.out_cap).min(need.saturating_sub(1));
    let mut small = vec![0u8; cap];
    assert_eq!(
        jwtmint::mint(&mut EchoSigner, &tpl, &claims, &mut small),
        Err(jwtmint::Error::BufferTooSmall { needed: need })
    );
    let mut out = vec![0u8; need];
    let n = jwtmint::mint(&mut EchoSigner, &tpl, &claims, &mut out).unwrap();
    assert_eq!(n, need);
    let token = std::str::from_utf8(&out).unwrap();
    let segs: Vec<&str> = token.split('.').collect();
    assert_eq!(segs.len(), 3);
    let decode = |s: &str| {
        let mut buf = vec![0u8; jwtmint::base64url::decoded_len_max(s.len())];
        let k = jwtmint::base64url::decode(s.as_bytes(), &mut buf).unwrap();
        buf.truncate(k);
        serde_json::from_slice::<serde_json::Value>(&buf).unwrap()
    };
    let h = decode(segs[0]);
    assert_eq!(h["alg"], "RS256");
    assert_eq!(h.get("kid").and_then(|v| v.as_str()), fc.kid.as_deref());
    let c = decode(segs[1]);
    let obj = c.as_object().unwrap();
    let s = |k: &str| obj.get(k).and_then(|v| v.as_str());
    assert_eq!(s("iss"), claims.iss);
    assert_eq!(s("sub"), claims.sub);
    assert_eq!(s("jti"), claims.jti);
    assert_eq!(s("scope"), claims.scope);
    for (k, v) in [
        ("exp", claims.exp),
        ("nbf", claims.nbf),
        ("iat", claims.iat),
    ] {
        assert_eq!(obj.get(k).and_then(serde_json::Value::as_i64), v);
    }
    match claims.aud {
        None => assert!(obj.get("aud").is_none()),
        Some(Audience::One(a)) => assert_eq!(s("aud"), Some(a)),
        Some(Audience::Many(list)) => {
            let got: Vec<&str> = obj["aud"]
                .as_array()
                .unwrap()
                .iter()
                .map(|v| v.as_str().unwrap())
                .collect();
            assert_eq!(got, list);
        }
    }
    for (k, v) in &extra {
        let got = &obj[*k];
        match v {
            ClaimValue::Str(s) => assert_eq!(got.as_str(), Some(*s)),
            ClaimValue::Int(i) => assert_eq!(got.as_i64(), Some(*i)),
            ClaimValue::Bool(b) => assert_eq!(got.as_bool(), Some(*b)),
            ClaimValue::Raw(r) => assert_eq!(
                got,
                &serde_json::from_str::<serde_json::Value>(r.as_str()).unwrap()
            ),
        }
    }
    let registered = [
        claims.iss.is_some(),
        claims.sub.is_some(),
        claims.aud.is_some(),
        claims.exp.is_some(),
        claims.nbf.is_some(),
        claims.iat.is_some(),
        claims.jti.is_some(),
        claims.scope.is_some(),
    ];
    assert_eq!(
        obj.len(),
        registered.iter().filter(|b| **b).count() + extra.len()
    );
}

/// Arbitrary bytes through the zero-copy JWT parser and claim validation:
/// must never panic.
pub fn jwt_parse(data: &[u8]) {
    let mut buf = vec![0u8; jwtmint::parse::buffer_len(data)];
    if let Ok(jwt) = jwtmint::parse::parse_jwt(data, &mut buf) {
        let _ = jwt.header.members().count();
        for (k, v) in jwt.claims.members() {
            let _ = (k.chars().count(), v.len());
        }
        if let Some(aud) = jwt.claims.aud {
            for a in aud.iter() {
                let mut tmp = [0u8; 64];
                let _ = a.unescape_into(&mut tmp);
            }
        }
        let _ = jwtmint::Validation::new()
            .audience("a")
            .max_lifetime(60)
            .validate(&jwt.claims, 1_700_000_000);
    }
}

/// The RFC 7515 A.2 public key, allowing RS256 and PS256.
const A2_PUBLIC_PEM: &str = include_str!("../../tests/data/vectors/rfc7515_a2/public.pem");

/// The same key parsed by the `rsa` crate, for the differential check.
fn a2_rsa_key() -> rsa::RsaPublicKey {
    use rsa::pkcs8::DecodePublicKey;
    rsa::RsaPublicKey::from_public_key_pem(A2_PUBLIC_PEM).unwrap()
}

fn a2_key() -> &'static jwtmint::VerifyingKey {
    static K: std::sync::OnceLock<jwtmint::VerifyingKey> = std::sync::OnceLock::new();
    K.get_or_init(|| {
        let pk = jwtmint::PublicKey::from_pem(A2_PUBLIC_PEM).unwrap();
        jwtmint::VerifyingKey::with_algorithms(pk, &[Algorithm::Rs256, Algorithm::Ps256])
    })
}

/// `VerifyingKey::verify` with a fixed key: never panics; whatever it accepts
/// names RS256/PS256, has no `crit`, and verifies with the `rsa` crate
/// directly over the exact signing input (a differential check against
/// accepting a forged or re-encoded token).
pub fn jwt_verify(data: &[u8]) {
    use rsa::signature::Verifier;
    let mut buf = vec![0u8; jwtmint::parse::buffer_len(data)];
    if let Ok(jws) = a2_key().verify_jws(data, &mut buf) {
        let alg = jwtmint::keys::algorithm_of(&jws.header.alg).unwrap();
        assert!(!jws.header.has_crit);
        let pk = a2_rsa_key();
        let ok = match alg {
            Algorithm::Rs256 => rsa::pkcs1v15::VerifyingKey::<sha2::Sha256>::new(pk)
                .verify(
                    jws.signing_input,
                    &rsa::pkcs1v15::Signature::try_from(jws.signature).unwrap(),
                )
                .is_ok(),
            Algorithm::Ps256 => rsa::pss::VerifyingKey::<sha2::Sha256>::new(pk)
                .verify(
                    jws.signing_input,
                    &rsa::pss::Signature::try_from(jws.signature).unwrap(),
                )
                .is_ok(),
            other => panic!("the key allows RS256/PS256 only, accepted {other:?}"),
        };
        assert!(ok, "accepted a token the rsa crate does not verify");
        // The signing input is exactly the token up to the last dot.
        let cut = data.iter().rposition(|&b| b == b'.').unwrap();
        assert_eq!(jws.signing_input, &data[..cut]);
    }
    let mut buf = vec![0u8; jwtmint::parse::buffer_len(data)];
    let _ = a2_key().verify_signature_only(data, &mut buf);
    let mut buf = vec![0u8; jwtmint::parse::buffer_len(data)];
    let _ = a2_key().verify(data, &mut buf, &jwtmint::validate::Validation::new(), 0);
}

/// Token-endpoint responses, and the session storing one as the answer to
/// its fetch (HS256, cheap to mint): never panic.
pub fn token_response(data: &[u8]) {
    use jwtmint::profiles::Rfc7523;
    use jwtmint::session::{Action, Config, Session};
    if let Ok(r) = jwtmint::TokenResponse::parse(data)
        && let Some(t) = r.access_token
    {
        let _ = t.chars().count();
    }
    let key = hmac_key();
    let Ok(p) = Rfc7523::grant("c", "u", "https://as.example/token")
        .and_then(|p| p.with_header(&jwtmint::Header::new(Algorithm::Hs256)))
    else {
        return;
    };
    let mut s: Session<_, _, 256, 1024> = Session::new(&p, key, Config::new());
    if let Action::Fetch(f) = s.poll(1_700_000_000) {
        let ticket = f.ticket;
        let _ = s.complete(1_700_000_000, ticket, 200, data);
        let _ = s.poll(1_700_000_100);
        let _ = s.poll(i64::MAX);
        let _ = s.poll(0);
    }
}

fn hmac_key() -> &'static jwtmint::SigningKey {
    static KEY: std::sync::OnceLock<jwtmint::SigningKey> = std::sync::OnceLock::new();
    KEY.get_or_init(|| jwtmint::SigningKey::from_hmac_secret(&[7u8; 32]).unwrap())
}

/// The passphrase of the encrypted fixtures in `tests/data/keys/` (seeds).
const FIXTURE_PASS: &str = "correct horse battery staple";

/// A loaded private key works: its signer for the key's default algorithm
/// signs, and the signature has the announced length.
fn signs(key: &jwtmint::SigningKey) {
    let alg = Algorithm::ALL
        .into_iter()
        .find(|a| a.key_kind() == key.kind())
        .unwrap();
    let mut signer = match jwtmint::JwsKey::signer(key, alg) {
        Ok(s) => s,
        // A short HMAC secret refuses HS256: the only expected refusal.
        Err(e) => {
            assert!(
                matches!(e, jwtmint::Error::HmacKeyTooShort { .. }),
                "a loaded key refused its own algorithm {alg:?}: {e:?}"
            );
            return;
        }
    };
    let mut sig = [0u8; jwtmint::MAX_SIGNATURE_LEN];
    let n = signer.sign(b"eyJhbGciOiJub25lIn0.e30", &mut sig).unwrap();
    assert_eq!(n, signer.signature_len());
}

/// Private JWKs (RSA with CRT members, EC, OKP, oct): parsing never panics;
/// an accepted JWK yields a key that signs, and its PKCS#8 form loads to a
/// key of the same kind.
pub fn private_jwk(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(jwk) = jwtmint::keys::formats::PrivateJwk::parse(text) else {
        return;
    };
    let _ = jwk.kid().map(str::len);
    if let Ok(key) = jwk.signing_key() {
        signs(&key);
        if let Some(der) = jwk.pkcs8_der() {
            let again = jwtmint::SigningKey::from_pkcs8_der(der).unwrap();
            assert_eq!(again.kind(), key.kind());
        }
    }
}

/// PKCS#12 files: parsing, MAC check and bag decryption never panic, with
/// the fixtures' passphrase and a wrong one (KDF iteration caps are 2 048
/// under `cfg(fuzzing)`, so a hostile count costs little).
pub fn pkcs12(data: &[u8]) {
    for pass in [FIXTURE_PASS, "wrong"] {
        if let Ok(loaded) = jwtmint::SigningKey::from_pkcs12(data, pass) {
            signs(&loaded.key);
            if let Some(cert) = &loaded.certificate_der {
                let _ = jwtmint::CertThumbprints::from_der(cert);
            }
        }
    }
}

/// Encrypted PKCS#8 (PEM and DER, PBES2 with PBKDF2 or scrypt): never
/// panics; the first byte picks the passphrase (KDF caps are tiny under
/// `cfg(fuzzing)`: 2 048 PBKDF2 iterations, 1 MiB of scrypt memory).
pub fn encrypted_pkcs8(data: &[u8]) {
    let Some((&which, rest)) = data.split_first() else {
        return;
    };
    let pass: &[u8] = if which & 1 == 0 {
        FIXTURE_PASS.as_bytes()
    } else {
        b""
    };
    if let Ok(key) = jwtmint::SigningKey::from_der_with_passphrase(rest, pass) {
        signs(&key);
    }
    if let Ok(text) = std::str::from_utf8(rest)
        && let Ok(key) = jwtmint::SigningKey::from_pem_with_passphrase(text, pass)
    {
        signs(&key);
    }
}

/// SEC1 EC private keys (`EC PRIVATE KEY`, DER and PEM with or without
/// `EC PARAMETERS`): never panic; an accepted key signs.
pub fn sec1(data: &[u8]) {
    if let Ok(key) = jwtmint::SigningKey::from_sec1_der(data) {
        signs(&key);
    }
    if let Ok(text) = std::str::from_utf8(data)
        && let Ok(key) = jwtmint::SigningKey::from_pem(text)
    {
        signs(&key);
    }
}

/// Box `config.json` loading (JSON, then the encrypted key inside it): never panics.
pub fn box_config(data: &[u8]) {
    if let Ok(cfg) = jwtmint::profiles::BoxConfig::from_json(data) {
        signs(cfg.key());
    }
}

/// Public keys for verification (PEM, DER, certificate, JWK of every type):
/// never panic; an accepted key makes a verifier for every algorithm it
/// suits, and verifying a token with a wrong signature fails cleanly.
pub fn public_key(data: &[u8]) {
    let mut keys = Vec::new();
    keys.extend(jwtmint::PublicKey::from_der(data).ok());
    if let Ok(text) = std::str::from_utf8(data) {
        keys.extend(jwtmint::PublicKey::from_pem(text).ok());
        keys.extend(jwtmint::PublicKey::from_jwk(text).ok());
    }
    for key in keys {
        let _ = key.bits();
        for alg in Algorithm::ALL {
            let Ok(v) = jwtmint::VerifyingKey::try_new(key.clone(), &[alg]) else {
                continue;
            };
            let token = format!("{}.e30.AAAA", header_b64(alg));
            let mut buf = vec![0u8; jwtmint::parse::buffer_len(token.as_bytes())];
            assert!(v.verify_jws(token.as_bytes(), &mut buf).is_err());
        }
    }
}

/// Base64Url of `{"alg":"<alg>"}`.
fn header_b64(alg: Algorithm) -> String {
    let json = format!("{{\"alg\":\"{}\"}}", alg.as_str());
    let mut out = vec![0u8; jwtmint::base64url::encoded_len(json.len()).unwrap()];
    let n = jwtmint::base64url::encode(json.as_bytes(), &mut out).unwrap();
    out.truncate(n);
    String::from_utf8(out).unwrap()
}

/// A target body.
pub type Target = fn(&[u8]);

/// Every target by name, for the replay test.
pub const TARGETS: &[(&str, Target)] = &[
    ("base64url_decode", base64url_decode),
    ("key_pem_der", key_pem_der),
    ("cert_parse", cert_parse),
    ("raw_json", raw_json),
    ("service_account_json", service_account_json),
    ("claims_roundtrip", claims_roundtrip),
    ("jwt_parse", jwt_parse),
    ("jwt_verify", jwt_verify),
    ("token_response", token_response),
    ("client_url_record", client_url_record),
    ("private_jwk", private_jwk),
    ("pkcs12", pkcs12),
    ("encrypted_pkcs8", encrypted_pkcs8),
    ("sec1", sec1),
    ("box_config", box_config),
    ("public_key", public_key),
    ("session", session),
];

/// The CLI's (and `jwtmint::client`'s) handling of outside text, split by
/// the first byte: the token URL check, the cache-record parser and the
/// redaction of server text. Properties: an accepted URL has no userinfo and
/// is https or loopback http; an accepted record re-serialises to bytes that
/// parse to the same record; sanitised text holds no control characters and
/// is bounded. (A no-op without the `client` feature.)
pub fn client_url_record(data: &[u8]) {
    #[cfg(feature = "client")]
    {
        use jwtmint::client::endpoint::TokenUrl;
        use jwtmint::client::file_store::RecordFile;
        use jwtmint::client::redact;
        let Some((&which, rest)) = data.split_first() else {
            return;
        };
        match which % 3 {
            0 => {
                let Ok(text) = core::str::from_utf8(rest) else {
                    return;
                };
                if let Ok(url) = TokenUrl::parse(text) {
                    let u = url.url();
                    assert!(
                        u.username().is_empty() && u.password().is_none(),
                        "userinfo accepted"
                    );
                    assert!(u.host().is_some(), "no host");
                    match u.scheme() {
                        "https" => {}
                        "http" => {
                            let host = u.host_str().unwrap();
                            assert!(
                                host.eq_ignore_ascii_case("localhost")
                                    || host.starts_with("127.")
                                    || host == "[::1]"
                                    || host.starts_with("[::ffff:7f"),
                                "non-loopback http accepted: {host}"
                            );
                        }
                        other => panic!("scheme {other} accepted"),
                    }
                    // The normalised text is a fixed point.
                    assert_eq!(TokenUrl::parse(url.as_str()).unwrap(), url);
                }
            }
            1 => {
                if let Ok(r) = RecordFile::parse(rest) {
                    let back = r.to_bytes();
                    assert_eq!(RecordFile::parse(&back).unwrap(), r, "record round trip");
                }
            }
            _ => {
                let text = String::from_utf8_lossy(rest);
                let clean = redact::sanitize(&text);
                assert!(
                    !clean.chars().any(char::is_control),
                    "control character kept"
                );
                assert!(
                    clean.chars().count() <= redact::MAX_CHARS + 40,
                    "not bounded"
                );
            }
        }
    }
    #[cfg(not(feature = "client"))]
    let _ = data;
}

/// Signs with 32 bytes of 0x5a: the session never checks a signature, and
/// the target stays fast.
struct FakeKey;
struct FakeSigner(Algorithm);

impl JwsSigner for FakeSigner {
    fn algorithm(&self) -> Algorithm {
        self.0
    }
    fn signature_len(&self) -> usize {
        32
    }
    fn sign(&mut self, _: &[u8], signature: &mut [u8]) -> jwtmint::Result<usize> {
        let out = signature.get_mut(..32).ok_or(jwtmint::Error::Signing)?;
        out.fill(0x5a);
        Ok(32)
    }
}

impl jwtmint::JwsKey for FakeKey {
    type Signer<'k> = FakeSigner;
    fn signer(&self, alg: Algorithm) -> jwtmint::Result<FakeSigner> {
        Ok(FakeSigner(alg))
    }
}

/// The session state machine under arbitrary step sequences and answer
/// bodies: the first byte picks a plain or a store-sharing session, then
/// each op byte picks a step (poll, complete with the next length-prefixed
/// bytes as the body and status, fail, clock moves both ways, invalidate,
/// reset, restore a record from the input, answer the store step out with
/// any answer and record bytes, or a stale ticket). Properties: a `Use` is
/// never expired and its token is printable ASCII without spaces; a poll
/// right after a `Fetch` never fetches again; a plain session never asks
/// for the store; nothing panics.
pub fn session(data: &[u8]) {
    use jwtmint::session::{
        Action, Config, Session, StoreAction, StoreAnswer, StorePolicy, Ticket, TransportError,
    };
    let Some((&mode, mut rest)) = data.split_first() else {
        return;
    };
    let p = jwtmint::profiles::Rfc7523::grant("c", "u", "https://as.example/token").unwrap();
    let config = Config::new()
        .jitter_seed(u64::from(mode))
        .fetch_timeout(30)
        .backoff(1, 60);
    let mut s: Session<_, _, 512, 1024> = Session::new(&p, &FakeKey, config);
    let shared = mode & 1 == 1;
    if shared {
        s.share(
            StorePolicy::new()
                .lock_wait(i64::from(mode >> 4))
                .lock_ttl(6)
                .keep_refresh(60),
        );
    }
    let mut now: i64 = 1_700_000_000;
    let mut fetch: Option<Ticket> = None;
    let mut store: Option<(Ticket, bool)> = None;
    // Takes a length-prefixed slice off the input.
    fn take<'a>(rest: &mut &'a [u8]) -> &'a [u8] {
        let Some((&n, tail)) = rest.split_first() else {
            return &[];
        };
        let n = usize::from(n).min(tail.len());
        let (body, tail) = tail.split_at(n);
        *rest = tail;
        body
    }
    let mut steps = 0;
    while let Some((&op, tail)) = rest.split_first() {
        rest = tail;
        steps += 1;
        if steps > 512 {
            break;
        }
        match op % 11 {
            0..=2 => match s.poll(now) {
                Action::Use(c) => {
                    assert!(now < c.expires_at, "expired credential");
                    assert!(
                        c.token.bytes().all(|b| (0x21..=0x7e).contains(&b)),
                        "a token that could split a header"
                    );
                }
                Action::Fetch(f) => {
                    fetch = Some(f.ticket);
                    assert!(!matches!(s.poll(now), Action::Fetch(_)), "two fetches");
                }
                Action::Store(a) => {
                    assert!(shared, "a plain session asked for the store");
                    let load =
                        matches!(a, StoreAction::Load { .. } | StoreAction::AwaitSave { .. });
                    store = Some((a.ticket(), load));
                }
                Action::Wait(_) | Action::Failed(_) => {}
            },
            3 => {
                let body = take(&mut rest);
                let status = match op >> 4 {
                    0..=9 => 200,
                    10 => 400,
                    11 => 401,
                    12 => 429,
                    _ => 503,
                };
                if let Some(t) = fetch {
                    let _ =
                        s.complete_with_retry_after(now, t, status, body, Some(i64::from(op >> 5)));
                }
            }
            4 => {
                if let Some(t) = fetch {
                    let _ = s.fail(now, t, TransportError::Timeout);
                }
            }
            5 => now = now.saturating_add(i64::from(op >> 3) * 7),
            6 => now = now.saturating_sub(i64::from(op >> 5)),
            7 => {
                let t = s.credential(now).map(|c| c.token.to_owned());
                if let Some(t) = t {
                    assert!(s.invalidate(&t));
                    assert!(s.credential(now).is_none());
                    s.forget_in_store(&t);
                }
            }
            8 => {
                if op >> 4 == 0 {
                    s.reset();
                }
                let rec = take(&mut rest);
                let _ = s.restore(now, rec);
            }
            _ => {
                let Some((t, load)) = store else { continue };
                let ticket = if op >> 7 == 1 {
                    Ticket::from_u64(t.get() ^ 0x55)
                } else {
                    t
                };
                let rec = take(&mut rest);
                let answer = if load {
                    match (op >> 4) % 3 {
                        0 => StoreAnswer::Record(None),
                        1 => StoreAnswer::Failed,
                        _ => StoreAnswer::Record(Some(rec)),
                    }
                } else {
                    [
                        StoreAnswer::Locked,
                        StoreAnswer::Busy,
                        StoreAnswer::GaveUp,
                        StoreAnswer::Saved,
                        StoreAnswer::KeptNewer,
                        StoreAnswer::LockLost,
                        StoreAnswer::Removed(true),
                        StoreAnswer::Removed(false),
                        StoreAnswer::Done,
                        StoreAnswer::Failed,
                    ][usize::from(op >> 4) % 10]
                };
                let _ = s.store_answer(now, ticket, answer);
                if let Some(c) = s.credential(now) {
                    assert!(now < c.expires_at);
                }
            }
        }
    }
    // A record encoded from whatever the session holds restores in a fresh
    // session of the same grant.
    let mut buf = [0u8; 2048];
    if let Ok(n) = s.encode_record(&mut buf) {
        let mut again: Session<_, _, 512, 1024> = Session::new(&p, &FakeKey, config);
        let r = again.restore(now, &buf[..n]);
        assert!(
            !matches!(r, Err(jwtmint::Error::ClaimMismatch { .. })),
            "own record refused: {r:?}"
        );
    }
}
