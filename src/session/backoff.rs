//! The retry schedule: exponential, capped, with deterministic jitter from a
//! caller seed (the core has no RNG).

/// Delay before the next attempt after `failures` consecutive failures
/// (1 = the first): `base = min * 2^(failures-1)` capped at `max`, then
/// full jitter: a value in `[min, base]` picked by mixing `seed` and
/// `failures`. Saturating; `min >= 1`, `max >= min` expected
/// (see `Config::normalized`).
pub(crate) fn delay(failures: u32, min: i64, max: i64, seed: u64) -> i64 {
    let shift = failures.saturating_sub(1).min(62);
    let base = min.saturating_mul(1i64 << shift).min(max).max(min);
    let low = min.min(base);
    let span = u64::try_from(base.saturating_sub(low)).unwrap_or(0);
    let pick = mix(seed ^ u64::from(failures).wrapping_mul(0x9E37_79B9_7F4A_7C15));
    let jitter = pick.checked_rem(span.saturating_add(1)).unwrap_or(0);
    low.saturating_add(i64::try_from(jitter).unwrap_or(0))
}

/// This session's refresh spread: extra seconds of refresh-ahead in
/// `[0, ahead * percent / 100]`, fixed per `seed` (0: none).
pub(crate) fn spread(ahead: i64, percent: i64, seed: u64) -> i64 {
    if seed == 0 || ahead <= 0 || percent <= 0 {
        return 0;
    }
    let most = ahead.saturating_mul(percent.min(100)) / 100;
    let span = u64::try_from(most).unwrap_or(0).saturating_add(1);
    let pick = mix(seed ^ 0x5EED_5EED_0000_0001)
        .checked_rem(span)
        .unwrap_or(0);
    i64::try_from(pick).unwrap_or(0)
}

/// SplitMix64's finaliser: a fixed, well-mixed function of `x`.
pub(crate) const fn mix(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    x ^ (x >> 31)
}

#[cfg(test)]
mod tests {
    use super::delay;

    #[test]
    fn grows_within_bounds_and_caps() {
        for seed in [0u64, 1, 42, u64::MAX] {
            let mut prev_base = 0;
            for f in 1..80u32 {
                let d = delay(f, 1, 300, seed);
                let base = 1i64.saturating_mul(1i64 << (f - 1).min(62)).min(300);
                assert!(d >= 1 && d <= base, "f={f} d={d} base={base}");
                assert!(base >= prev_base);
                prev_base = base;
            }
        }
        assert_eq!(delay(1, 1, 300, 7), 1);
        assert_eq!(delay(u32::MAX, i64::MAX, i64::MAX, 7), i64::MAX);
    }

    #[test]
    fn full_jitter_reaches_down_to_min_and_spread_needs_a_seed() {
        let low = (0..200u64)
            .map(|s| delay(9, 1, 300, s))
            .min()
            .unwrap_or(i64::MAX);
        assert!(low < 50, "full jitter spreads over [min, base]: {low}");
        assert_eq!(super::spread(60, 50, 0), 0);
        let picks: std::vec::Vec<i64> = (1..50u64).map(|s| super::spread(60, 50, s)).collect();
        assert!(picks.iter().all(|&p| (0..=30).contains(&p)), "{picks:?}");
        assert!(picks.iter().any(|p| Some(p) != picks.first()), "{picks:?}");
    }

    #[test]
    fn seeds_spread_retries() {
        let a: [i64; 4] = core::array::from_fn(|s| delay(8, 1, 300, s as u64));
        assert!(a.iter().any(|&d| d != a[0]), "{a:?}");
    }
}
