//! Test helpers shared by Musique's crates. `publish = false`.

use num_complex::Complex64;

/// The seed every randomized test starts from.
pub const SEED: u64 = 0x5eed_2026;

/// A small deterministic generator (SplitMix64), so tests need no RNG crate.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// Uniform in [-1, 1).
    pub fn uniform(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 52) as f64 - 1.0
    }

    pub fn reals(&mut self, n: usize) -> Vec<f64> {
        (0..n).map(|_| self.uniform()).collect()
    }

    pub fn complexes(&mut self, n: usize) -> Vec<Complex64> {
        (0..n)
            .map(|_| Complex64::new(self.uniform(), self.uniform()))
            .collect()
    }
}

/// Naive O(n²) DFT, `sign` = -1 forward, +1 inverse (unscaled).
pub fn naive_dft(x: &[Complex64], sign: f64) -> Vec<Complex64> {
    let n = x.len();
    (0..n)
        .map(|k| {
            x.iter()
                .enumerate()
                .map(|(j, v)| {
                    let angle = sign * 2.0 * std::f64::consts::PI * ((j * k) % n) as f64 / n as f64;
                    v * Complex64::from_polar(1.0, angle)
                })
                .sum()
        })
        .collect()
}

/// NumPy's rule `|a - e| <= atol + rtol * |e|`; panics naming the first index
/// that breaks it, both values and the tolerance.
pub fn assert_allclose(actual: &[f64], expected: &[f64], rtol: f64, atol: f64) {
    assert_eq!(actual.len(), expected.len(), "lengths differ");
    for (i, (a, e)) in actual.iter().zip(expected).enumerate() {
        let ok = (a - e).abs() <= atol + rtol * e.abs() || (a.is_nan() && e.is_nan()) || a == e;
        assert!(
            ok,
            "index {i}: actual {a}, expected {e} (rtol {rtol}, atol {atol})"
        );
    }
}

/// [`assert_allclose`] on interleaved re/im.
pub fn assert_allclose_complex(actual: &[Complex64], expected: &[Complex64], rtol: f64, atol: f64) {
    let flat = |v: &[Complex64]| v.iter().flat_map(|c| [c.re, c.im]).collect::<Vec<_>>();
    assert_allclose(&flat(actual), &flat(expected), rtol, atol);
}
