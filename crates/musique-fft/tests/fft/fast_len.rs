//! next_fast_len / prev_fast_len against trial factorisation: a length is
//! fast when its largest prime factor is at most 5 (real transforms) or 11
//! (complex ones).

use musique_fft::{next_fast_len, prev_fast_len};
use musique_testing::{trial_factors, Rng, SEED};

fn bound(real: bool) -> u64 {
    if real {
        5
    } else {
        11
    }
}

/// Fast by trial factorisation.
fn fast(n: u64, real: bool) -> bool {
    n >= 1 && trial_factors(n).last().is_none_or(|&p| p <= bound(real))
}

#[test]
fn small_targets_agree_with_a_scan_by_trial_factorisation() {
    for real in [false, true] {
        for target in 1..=20_000u64 {
            let mut next = target;
            while !fast(next, real) {
                next += 1;
            }
            let mut prev = target;
            while !fast(prev, real) {
                prev -= 1;
            }
            assert_eq!(
                next_fast_len(target as usize, real),
                Some(next as usize),
                "next_fast_len({target}, real={real})"
            );
            assert_eq!(
                prev_fast_len(target as usize, real),
                Some(prev as usize),
                "prev_fast_len({target}, real={real})"
            );
        }
    }
}

#[test]
fn hand_checked_values() {
    // Derived by hand from the factorisations, checked again here.
    for (target, real, next, prev) in [
        (7u64, true, 8u64, 6u64),  // 7 is prime; 8 = 2³, 6 = 2·3
        (7, false, 7, 7),          // 7 itself is allowed for complex
        (13, false, 14, 12),       // 13 prime; 14 = 2·7, 12 = 2²·3
        (97, true, 100, 96),       // 100 = 2²·5², 96 = 2⁵·3
        (1021, false, 1024, 1008), // 1008 = 2⁴·3²·7
        (1021, true, 1024, 1000),  // 1000 = 2³·5³
    ] {
        assert!(fast(next, real) && fast(prev, real));
        assert!((target..next).all(|m| !fast(m, real)));
        assert!((prev + 1..=target).all(|m| !fast(m, real)));
        assert_eq!(next_fast_len(target as usize, real), Some(next as usize));
        assert_eq!(prev_fast_len(target as usize, real), Some(prev as usize));
    }
    assert_eq!(prev_fast_len(0, true), None);
    assert_eq!(prev_fast_len(0, false), None);
    assert_eq!(next_fast_len(1, true), Some(1));
    assert_eq!(prev_fast_len(1, false), Some(1));
}

/// Every fast length up to `u64::MAX`, sorted: products of powers of the
/// allowed primes, each confirmed by trial factorisation.
fn all_fast(real: bool) -> Vec<u64> {
    let primes: &[u128] = if real { &[2, 3, 5] } else { &[2, 3, 5, 7, 11] };
    let mut v: Vec<u128> = vec![1];
    for &p in primes {
        let mut more = Vec::new();
        for &m in &v {
            let mut x = m * p;
            while x <= u64::MAX as u128 {
                more.push(x);
                x *= p;
            }
        }
        v.extend(more);
    }
    let mut v: Vec<u64> = v.into_iter().map(|x| x as u64).collect();
    v.sort_unstable();
    v
}

#[cfg(target_pointer_width = "64")]
#[test]
fn large_targets_agree_with_the_enumerated_fast_lengths() {
    // A scan is hopeless here (gaps between 5-smooth numbers near 10¹⁸ are
    // about 10¹⁶), so the expected values come from the sorted list of every
    // fast length, itself checked by trial factorisation on a sample.
    let mut rng = Rng::new(SEED + 400);
    for real in [false, true] {
        let all = all_fast(real);
        for &m in all.iter().step_by(97) {
            assert!(fast(m, real), "{m}");
        }
        let next = |t: u64| all.get(all.partition_point(|&m| m < t)).copied();
        let prev = |t: u64| {
            let i = all.partition_point(|&m| m <= t);
            (i > 0).then(|| all[i - 1])
        };
        let mut targets: Vec<u64> = vec![
            1 << 32,
            (1 << 32) + 1,
            u32::MAX as u64,
            1_000_000_000_001,
            1 << 62,
            (1 << 62) + 1,
            u64::MAX - 1,
            u64::MAX,
        ];
        for bits in 20..64 {
            targets.push(rng.next_u64() >> (64 - bits));
        }
        // Around fast lengths: just below, at, just above.
        for &m in all.iter().rev().step_by(501).take(40) {
            targets.extend([m - 1, m, m.saturating_add(1)]);
        }
        for t in targets.into_iter().filter(|&t| t >= 1) {
            let want_next = next(t).map(|m| m as usize);
            let want_prev = prev(t).map(|m| m as usize);
            assert_eq!(
                next_fast_len(t as usize, real),
                want_next,
                "next {t} real {real}"
            );
            assert_eq!(
                prev_fast_len(t as usize, real),
                want_prev,
                "prev {t} real {real}"
            );
        }
        // Past the largest fast length that fits, there is no next one.
        let last = *all.last().unwrap();
        assert_eq!(next_fast_len(last as usize, real), Some(last as usize));
        assert_eq!(next_fast_len(last as usize + 1, real), None);
        assert_eq!(next_fast_len(usize::MAX, real), None);
        assert_eq!(prev_fast_len(usize::MAX, real), Some(last as usize));
    }
}
