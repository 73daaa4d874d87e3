#![no_main]
//! Arbitrary bytes through the zero-copy JWT parser, claim validation and the
//! token-response parser: must never panic. Corpus: fuzz/corpus/jwt_parse
//! (the 60 shared fuzz seeds).

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
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
    if let Ok(r) = jwtmint::TokenResponse::parse(data) {
        let mut cache: jwtmint::TokenCache<256> = jwtmint::TokenCache::new(60);
        let _ = cache.store_response(&r, 1_700_000_000);
        let _ = cache.get(1_700_000_100);
    }
});
