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

/// `cos(π m / d)` with the integer argument reduced exactly first, so the
/// naive definitions below stay accurate for large indices.
pub fn cospi(m: usize, d: usize) -> f64 {
    let r = m % (2 * d);
    (std::f64::consts::PI * r as f64 / d as f64).cos()
}

/// `sin(π m / d)`, reduced like [`cospi`].
pub fn sinpi(m: usize, d: usize) -> f64 {
    let r = m % (2 * d);
    (std::f64::consts::PI * r as f64 / d as f64).sin()
}

/// Naive O(n²) DFT through a table of twiddles (same result as
/// [`naive_dft`], fast enough for lengths of ten thousand).
pub fn naive_dft_table(x: &[Complex64], sign: f64) -> Vec<Complex64> {
    let n = x.len();
    let tw: Vec<Complex64> = (0..n)
        .map(|m| {
            Complex64::from_polar(1.0, sign * 2.0 * std::f64::consts::PI * m as f64 / n as f64)
        })
        .collect();
    (0..n)
        .map(|k| {
            let mut idx = 0usize;
            let mut acc = Complex64::new(0.0, 0.0);
            for v in x {
                acc += v * tw[idx];
                idx += k;
                if idx >= n {
                    idx -= n;
                }
            }
            acc
        })
        .collect()
}

/// Zero-pads or crops `x` to `n` values.
pub fn resized<T: Copy + Default>(x: &[T], n: usize) -> Vec<T> {
    (0..n)
        .map(|i| x.get(i).copied().unwrap_or_default())
        .collect()
}

/// Applies `f` to every line of the row-major array `x` of `shape` along
/// `axis`, each line first zero-padded or cropped to `n_in`. Returns the
/// result (its `axis` as long as `f`'s output) and its shape.
pub fn along<A: Copy + Default, B: Copy + Default>(
    x: &[A],
    shape: &[usize],
    axis: usize,
    n_in: usize,
    f: impl Fn(&[A]) -> Vec<B>,
) -> (Vec<B>, Vec<usize>) {
    assert_eq!(x.len(), shape.iter().product::<usize>(), "shape");
    let outer: usize = shape[..axis].iter().product();
    let inner: usize = shape[axis + 1..].iter().product();
    let m = shape[axis];
    let mut out = Vec::new();
    let mut n_out = None;
    for o in 0..outer {
        for i in 0..inner {
            let line: Vec<A> = (0..n_in)
                .map(|k| {
                    if k < m {
                        x[(o * m + k) * inner + i]
                    } else {
                        A::default()
                    }
                })
                .collect();
            let y = f(&line);
            let len = *n_out.get_or_insert(y.len());
            assert_eq!(y.len(), len, "f must return lines of one length");
            if out.is_empty() {
                out = vec![B::default(); outer * len * inner];
            }
            for (k, v) in y.into_iter().enumerate() {
                out[(o * len + k) * inner + i] = v;
            }
        }
    }
    let mut s = shape.to_vec();
    // With no lines, `f` is never called: report `n_in`.
    s[axis] = n_out.unwrap_or(n_in);
    (out, s)
}

/// The full length-`n` spectrum whose first `n/2 + 1` values are `x`
/// (zero-padded or cropped) and whose others are `conj(x[n − k])`: the
/// Hermitian extension irfft and hfft read.
pub fn hermitian_extension(x: &[Complex64], n: usize) -> Vec<Complex64> {
    let h = resized(x, n / 2 + 1);
    (0..n)
        .map(|k| if k <= n / 2 { h[k] } else { h[n - k].conj() })
        .collect()
}

/// SciPy's DCT of type 1 to 4 (scipy.fft.dct, `norm="backward"`, no
/// orthogonalization), straight from the documented sums.
pub fn naive_dct(ty: u8, x: &[f64]) -> Vec<f64> {
    let n = x.len();
    let sign = |k: usize| if k.is_multiple_of(2) { 1.0 } else { -1.0 };
    (0..n)
        .map(|k| match ty {
            1 => {
                assert!(n >= 2, "DCT-I needs two points");
                x[0] + sign(k) * x[n - 1]
                    + 2.0 * (1..n - 1).map(|j| x[j] * cospi(k * j, n - 1)).sum::<f64>()
            }
            2 => {
                2.0 * (0..n)
                    .map(|j| x[j] * cospi(k * (2 * j + 1), 2 * n))
                    .sum::<f64>()
            }
            3 => {
                x[0] + 2.0
                    * (1..n)
                        .map(|j| x[j] * cospi((2 * k + 1) * j, 2 * n))
                        .sum::<f64>()
            }
            4 => {
                2.0 * (0..n)
                    .map(|j| x[j] * cospi((2 * k + 1) * (2 * j + 1), 4 * n))
                    .sum::<f64>()
            }
            _ => panic!("DCT type {ty}"),
        })
        .collect()
}

/// SciPy's DST of type 1 to 4 (scipy.fft.dst, `norm="backward"`, no
/// orthogonalization).
pub fn naive_dst(ty: u8, x: &[f64]) -> Vec<f64> {
    let n = x.len();
    let sign = |k: usize| if k.is_multiple_of(2) { 1.0 } else { -1.0 };
    (0..n)
        .map(|k| match ty {
            1 => {
                2.0 * (0..n)
                    .map(|j| x[j] * sinpi((k + 1) * (j + 1), n + 1))
                    .sum::<f64>()
            }
            2 => {
                2.0 * (0..n)
                    .map(|j| x[j] * sinpi((2 * j + 1) * (k + 1), 2 * n))
                    .sum::<f64>()
            }
            3 => {
                sign(k) * x[n - 1]
                    + 2.0
                        * (0..n - 1)
                            .map(|j| x[j] * sinpi((2 * k + 1) * (j + 1), 2 * n))
                            .sum::<f64>()
            }
            4 => {
                2.0 * (0..n)
                    .map(|j| x[j] * sinpi((2 * k + 1) * (2 * j + 1), 4 * n))
                    .sum::<f64>()
            }
            _ => panic!("DST type {ty}"),
        })
        .collect()
}

/// Largest absolute value (0 for an empty slice).
pub fn max_abs(x: &[f64]) -> f64 {
    x.iter().fold(0.0, |m, v| m.max(v.abs()))
}

/// Euclidean distance between two points.
pub fn dist(x: &[f64], y: &[f64]) -> f64 {
    x.iter()
        .zip(y)
        .map(|(a, b)| (a - b) * (a - b))
        .sum::<f64>()
        .sqrt()
}

/// Largest modulus (0 for an empty slice).
pub fn max_norm(x: &[Complex64]) -> f64 {
    x.iter().fold(0.0, |m, v| m.max(v.norm()))
}

/// The prime factors of `n` (with multiplicity, ascending) by trial division.
pub fn trial_factors(mut n: u64) -> Vec<u64> {
    let mut out = Vec::new();
    let mut p = 2u64;
    while p.saturating_mul(p) <= n {
        while n.is_multiple_of(p) {
            out.push(p);
            n /= p;
        }
        p += if p == 2 { 1 } else { 2 };
    }
    if n > 1 {
        out.push(n);
    }
    out
}
