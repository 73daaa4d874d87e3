//! Runs the no_std crate's code path on the host.

struct Counter(u64);
impl rand_core::TryRng for Counter {
    type Error = core::convert::Infallible;
    fn try_next_u32(&mut self) -> Result<u32, Self::Error> {
        Ok(self.try_next_u64()? as u32)
    }
    fn try_next_u64(&mut self) -> Result<u64, Self::Error> {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        Ok(self.0)
    }
    fn try_fill_bytes(&mut self, dst: &mut [u8]) -> Result<(), Self::Error> {
        for b in dst {
            *b = (self.try_next_u64()? >> 33) as u8;
        }
        Ok(())
    }
}
impl rand_core::TryCryptoRng for Counter {}

#[test]
fn mints_on_host() {
    let der = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../data/demo-pkcs8.der"
    ))
    .unwrap();
    let mut out = [0u8; 1024];
    let n = jwtmint_no_std_check::mint_assertion(&der, &mut Counter(7), 1_700_000_000, &mut out)
        .unwrap();
    let jwt = core::str::from_utf8(&out[..n]).unwrap();
    let parts: Vec<&str> = jwt.split('.').collect();
    assert_eq!(parts.len(), 3);
    assert_eq!(parts[2].len(), 342); // 256-byte signature, unpadded Base64Url
    // RS256 is deterministic whatever the blinding RNG: a second RNG gives the same token.
    let mut out2 = [0u8; 1024];
    let m = jwtmint_no_std_check::mint_assertion(&der, &mut Counter(99), 1_700_000_000, &mut out2)
        .unwrap();
    assert_eq!(&out[..n], &out2[..m]);
}

#[test]
fn verifies_and_parses_on_host() {
    let der = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../data/demo-pkcs8.der"
    ))
    .unwrap();
    let mut out = [0u8; 1024];
    let n = jwtmint_no_std_check::mint_assertion(&der, &mut Counter(7), 1_700_000_000, &mut out)
        .unwrap();
    let resp = br#"{"access_token":"abc","token_type":"Bearer","expires_in":3600}"#;
    let exp = jwtmint_no_std_check::verify_and_parse(&der, &out[..n], resp, 1_700_000_010).unwrap();
    assert_eq!(exp, 1_700_003_610);
    // Expired assertion (exp = now + 300 at mint time).
    assert_eq!(
        jwtmint_no_std_check::verify_and_parse(&der, &out[..n], resp, 1_700_000_300),
        Err(jwtmint::Error::Expired {
            exp: 1_700_000_300,
            now: 1_700_000_300
        })
    );
}

#[test]
fn session_core_on_host() {
    let der = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../data/demo-pkcs8.der"
    ))
    .unwrap();
    let r = jwtmint_no_std_check::session_round_trip(
        &der,
        1_700_000_000,
        br#"{"access_token":"a","expires_in":60}"#,
    );
    assert_eq!(r, Ok(1_700_000_060));
}

#[test]
fn profiles_take_the_key_with_a_lent_rng() {
    let der = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../data/demo-pkcs8.der"
    ))
    .unwrap();
    let mut out = [0u8; 1024];
    let n = jwtmint_no_std_check::mint_profile_with_rng(&der, Counter(7), 1_700_000_000, &mut out)
        .unwrap();
    // Verified with the public half, iss/aud/time checked.
    let resp = br#"{"access_token":"abc","token_type":"Bearer","expires_in":3600}"#;
    assert_eq!(
        jwtmint_no_std_check::verify_and_parse(&der, &out[..n], resp, 1_700_000_010).unwrap(),
        1_700_003_610
    );
    // No OS RNG without std: the plain signer of an RSA key refuses.
    assert_eq!(
        jwtmint_no_std_check::rsa_signer_without_rng(&der),
        Err(jwtmint::Error::Rng)
    );
}
