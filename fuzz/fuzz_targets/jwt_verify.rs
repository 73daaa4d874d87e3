#![no_main]
//! Arbitrary bytes through `VerifyingKey::verify` with the RFC 7515 A.2
//! public key (RS256 and PS256 allowed): must never panic, and must never
//! accept anything but a correctly signed RS256/PS256 token. Corpus:
//! fuzz/corpus/jwt_verify (the 60 shared fuzz seeds).

use std::sync::OnceLock;

use jwtmint::{Algorithm, PublicKey, VerifyingKey};

fn key() -> &'static VerifyingKey {
    static K: OnceLock<VerifyingKey> = OnceLock::new();
    K.get_or_init(|| {
        let pem = include_str!("../../../shared/vectors/rfc7515_a2/public.pem");
        let pk = PublicKey::from_pem(pem).expect("RFC 7515 A.2 public key");
        VerifyingKey::with_algorithms(pk, &[Algorithm::Rs256, Algorithm::Ps256])
    })
}

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let mut buf = vec![0u8; jwtmint::parse::buffer_len(data)];
    if let Ok(jws) = key().verify_jws(data, &mut buf) {
        // Anything accepted names RS256 or PS256 and has no `crit`.
        assert!(jwtmint::verify::algorithm_of(&jws.header.alg).is_ok());
        assert!(!jws.header.has_crit);
    }
    let mut buf = vec![0u8; jwtmint::parse::buffer_len(data)];
    let _ = key().verify(data, &mut buf);
});
