//! Every transform against its definition, computed naively (O(n²)), as
//! rustfft checks its algorithms: all lengths 1..=64 and a few primes, every
//! norm, f64 and f32, along strided and contiguous axes.

use musique_fft::*;
use musique_testing::{assert_allclose, assert_allclose_complex, naive_dft, Rng, SEED};
use num_complex::{Complex, Complex64};
use std::f64::consts::PI;

const NORMS: [Norm; 3] = [Norm::Backward, Norm::Ortho, Norm::Forward];

fn exec(cancel: &Cancel, norm: Norm, threads: usize) -> Exec<'_> {
    Exec {
        norm,
        par: Par::new(threads),
        cancel,
    }
}

fn lengths() -> Vec<usize> {
    (1..=64).chain([97, 100, 127, 128, 243, 1009]).collect()
}

/// f64 tolerance: rounding grows like log n, values like √n.
fn tol(n: usize) -> f64 {
    1e-13 * (n as f64).sqrt().max(1.0) * ((n as f64).ln().max(1.0))
}

#[test]
fn c2c_matches_the_naive_dft_for_every_length_and_norm() {
    let cancel = Cancel::never();
    let mut rng = Rng::new(SEED);
    for n in lengths() {
        let x = rng.complexes(n);
        for norm in NORMS {
            for forward in [true, false] {
                let ex = exec(&cancel, norm, 1);
                let got = c2c(
                    &x,
                    &[n],
                    &Axes {
                        axes: &[0],
                        lens: &[n],
                    },
                    forward,
                    &ex,
                )
                .unwrap();
                let f = norm.factor(n, forward);
                let want: Vec<Complex64> = naive_dft(&x, if forward { -1.0 } else { 1.0 })
                    .into_iter()
                    .map(|v| v * f)
                    .collect();
                let scale = want.iter().map(|c| c.norm()).fold(1.0, f64::max);
                assert_allclose_complex(&got.data, &want, 1e-12, tol(n) * scale);
            }
        }
    }
}

#[test]
fn f32_c2c_is_close_to_the_f64_result() {
    let cancel = Cancel::never();
    let mut rng = Rng::new(SEED + 1);
    for n in [1, 2, 3, 16, 17, 100, 1009] {
        let x = rng.complexes(n);
        let x32: Vec<Complex<f32>> = x
            .iter()
            .map(|c| Complex::new(c.re as f32, c.im as f32))
            .collect();
        let ax = Axes {
            axes: &[0],
            lens: &[n],
        };
        let ex = exec(&cancel, Norm::Backward, 1);
        let got = c2c(&x32, &[n], &ax, true, &ex).unwrap();
        let want = naive_dft(&x, -1.0);
        let got64: Vec<Complex64> = got
            .data
            .iter()
            .map(|c| Complex64::new(c.re as f64, c.im as f64))
            .collect();
        // float32: ~1e-7 relative per operation, log n stages, values up to √n.
        assert_allclose_complex(&got64, &want, 1e-5, 2e-5 * (n as f64).sqrt() * 4.0);
    }
}

/// Applies the naive DFT along `axis` of a row-major array, line by line,
/// zero-padding or cropping to `n`.
fn naive_along(
    x: &[Complex64],
    shape: &[usize],
    axis: usize,
    n: usize,
    sign: f64,
) -> (Vec<Complex64>, Vec<usize>) {
    let outer: usize = shape[..axis].iter().product();
    let inner: usize = shape[axis + 1..].iter().product();
    let m = shape[axis];
    let mut out = vec![Complex64::new(0.0, 0.0); outer * n * inner];
    for o in 0..outer {
        for i in 0..inner {
            let line: Vec<Complex64> = (0..n)
                .map(|k| {
                    if k < m {
                        x[o * m * inner + k * inner + i]
                    } else {
                        Complex64::new(0.0, 0.0)
                    }
                })
                .collect();
            for (k, v) in naive_dft(&line, sign).into_iter().enumerate() {
                out[o * n * inner + k * inner + i] = v;
            }
        }
    }
    let mut s = shape.to_vec();
    s[axis] = n;
    (out, s)
}

#[test]
fn n_d_transforms_match_line_by_line_definitions_with_padding_and_cropping() {
    let cancel = Cancel::never();
    let mut rng = Rng::new(SEED + 2);
    let shape = [3, 5, 20];
    let x = rng.complexes(shape.iter().product());
    let cases: &[(&[usize], &[usize])] = &[
        (&[0], &[3]),
        (&[1], &[5]),
        (&[2], &[20]),
        (&[1], &[8]),
        (&[0], &[2]),
        (&[2, 0], &[20, 3]),
        (&[0, 1, 2], &[4, 5, 17]),
        (&[2, 1], &[25, 3]),
    ];
    for &(axes, lens) in cases {
        for threads in [1, 2] {
            let ex = exec(&cancel, Norm::Backward, threads);
            let got = c2c(&x, &shape, &Axes { axes, lens }, true, &ex).unwrap();
            let (mut want, mut s) = (x.clone(), shape.to_vec());
            for (&a, &n) in axes.iter().zip(lens) {
                (want, s) = naive_along(&want, &s, a, n, -1.0);
            }
            assert_eq!(got.shape, s, "axes {axes:?} lens {lens:?}");
            assert_allclose_complex(&got.data, &want, 1e-11, 1e-10);
        }
    }
}

#[test]
fn strided_axes_are_blocked_and_parallel_results_are_bit_identical() {
    let cancel = Cancel::never();
    let mut rng = Rng::new(SEED + 3);
    let shape = [256, 257];
    let x = rng.complexes(shape.iter().product());
    for axes in [&[0usize][..], &[1], &[0, 1], &[1, 0]] {
        let lens: Vec<usize> = axes.iter().map(|&a| shape[a]).collect();
        let ax = Axes { axes, lens: &lens };
        let one = c2c(&x, &shape, &ax, true, &exec(&cancel, Norm::Ortho, 1)).unwrap();
        for threads in [2, 3, 8] {
            let many = c2c(&x, &shape, &ax, true, &exec(&cancel, Norm::Ortho, threads)).unwrap();
            assert_eq!(one, many, "axes {axes:?}, {threads} threads");
        }
        assert!(effective_threads(&shape, axes, Par::new(8)) > 1);
    }
    assert_eq!(effective_threads(&[100, 100], &[0, 1], Par::new(8)), 1);
    assert_eq!(effective_threads(&[3, 100_000], &[1], Par::new(8)), 3);
}

#[test]
fn rfft_is_half_the_complex_spectrum_and_irfft_inverts_it() {
    let cancel = Cancel::never();
    let mut rng = Rng::new(SEED + 4);
    for n in lengths() {
        let x = rng.reals(n);
        let xc: Vec<Complex64> = x.iter().map(|&v| Complex64::new(v, 0.0)).collect();
        let ax = Axes {
            axes: &[0],
            lens: &[n],
        };
        let ex = exec(&cancel, Norm::Backward, 1);
        let half = r2c(&x, &[n], &ax, false, &ex).unwrap();
        let full = naive_dft(&xc, -1.0);
        assert_allclose_complex(&half.data, &full[..n / 2 + 1], 1e-12, tol(n) * n as f64);
        let back = c2r(&half.data, &half.shape, &ax, false, &ex).unwrap();
        assert_allclose(&back.data, &x, 1e-11, tol(n));
        // ihfft is conj(rfft)/n; hfft inverts it.
        let ih = r2c(&x, &[n], &ax, true, &ex).unwrap();
        for (a, b) in ih.data.iter().zip(&half.data) {
            assert!((a - b.conj() / n as f64).norm() <= tol(n) * 10.0);
        }
        let h = c2r(&ih.data, &ih.shape, &ax, true, &ex).unwrap();
        assert_allclose(&h.data, &x, 1e-11, tol(n));
    }
}

#[test]
fn rfftn_and_irfftn_agree_with_c2c() {
    let cancel = Cancel::never();
    let mut rng = Rng::new(SEED + 5);
    let shape = [4, 6, 7];
    let x = rng.reals(shape.iter().product());
    let xc: Vec<Complex64> = x.iter().map(|&v| Complex64::new(v, 0.0)).collect();
    let ex = exec(&cancel, Norm::Backward, 1);
    for axes in [&[1usize, 2][..], &[0, 2], &[2, 0, 1]] {
        let lens: Vec<usize> = axes.iter().map(|&a| shape[a]).collect();
        let ax = Axes { axes, lens: &lens };
        let half = r2c(&x, &shape, &ax, false, &ex).unwrap();
        let full = c2c(&xc, &shape, &ax, true, &ex).unwrap();
        let last = *axes.last().unwrap();
        let (outer, inner): (usize, usize) = (
            shape[..last].iter().product(),
            shape[last + 1..].iter().product(),
        );
        let m = shape[last] / 2 + 1;
        for o in 0..outer {
            for k in 0..m {
                for i in 0..inner {
                    let a = half.data[o * m * inner + k * inner + i];
                    let b = full.data[o * shape[last] * inner + k * inner + i];
                    assert!((a - b).norm() < 1e-10, "axes {axes:?}");
                }
            }
        }
        let back = c2r(&half.data, &half.shape, &ax, false, &ex).unwrap();
        assert_allclose(&back.data, &x, 1e-11, 1e-12);
    }
}

/// SciPy's definitions (scipy.fft.dct / dst docs), unnormalized.
fn naive_r2r(kind: R2rKind, x: &[f64]) -> Vec<f64> {
    let n = x.len();
    let nf = n as f64;
    (0..n)
        .map(|k| {
            let k = k as f64;
            let sum = |f: &dyn Fn(usize) -> f64| (0..n).map(f).sum::<f64>();
            match kind {
                R2rKind::Dct(1) => {
                    x[0] + (-1f64).powf(k) * x[n - 1]
                        + 2.0
                            * (1..n - 1)
                                .map(|j| x[j] * (PI * k * j as f64 / (nf - 1.0)).cos())
                                .sum::<f64>()
                }
                R2rKind::Dct(2) => {
                    2.0 * sum(&|j| x[j] * (PI * k * (2 * j + 1) as f64 / (2.0 * nf)).cos())
                }
                R2rKind::Dct(3) => {
                    x[0] + 2.0
                        * (1..n)
                            .map(|j| x[j] * (PI * (2.0 * k + 1.0) * j as f64 / (2.0 * nf)).cos())
                            .sum::<f64>()
                }
                R2rKind::Dct(4) => {
                    2.0 * sum(&|j| {
                        x[j] * (PI * (2.0 * k + 1.0) * (2 * j + 1) as f64 / (4.0 * nf)).cos()
                    })
                }
                R2rKind::Dst(1) => {
                    2.0 * sum(&|j| x[j] * (PI * (k + 1.0) * (j + 1) as f64 / (nf + 1.0)).sin())
                }
                R2rKind::Dst(2) => {
                    2.0 * sum(&|j| x[j] * (PI * (k + 1.0) * (2 * j + 1) as f64 / (2.0 * nf)).sin())
                }
                R2rKind::Dst(3) => {
                    (-1f64).powf(k) * x[n - 1]
                        + 2.0
                            * (0..n - 1)
                                .map(|j| {
                                    x[j] * (PI * (2.0 * k + 1.0) * (j + 1) as f64 / (2.0 * nf))
                                        .sin()
                                })
                                .sum::<f64>()
                }
                R2rKind::Dst(4) => {
                    2.0 * sum(&|j| {
                        x[j] * (PI * (2.0 * k + 1.0) * (2 * j + 1) as f64 / (4.0 * nf)).sin()
                    })
                }
                _ => unreachable!(),
            }
        })
        .collect()
}

fn kinds() -> Vec<R2rKind> {
    (1..=4)
        .flat_map(|t| [R2rKind::Dct(t), R2rKind::Dst(t)])
        .collect()
}

#[test]
fn dct_and_dst_match_scipys_definitions_and_invert() {
    let cancel = Cancel::never();
    let mut rng = Rng::new(SEED + 6);
    for kind in kinds() {
        for n in (1..=33).chain([64, 101]) {
            if kind == R2rKind::Dct(1) && n < 2 {
                continue;
            }
            let x = rng.reals(n);
            let ax = Axes {
                axes: &[0],
                lens: &[n],
            };
            let got = r2r(
                &x,
                &[n],
                &ax,
                kind,
                false,
                false,
                &exec(&cancel, Norm::Backward, 1),
            )
            .unwrap();
            assert_allclose(&got.data, &naive_r2r(kind, &x), 1e-11, 1e-11 * n as f64);
            for norm in NORMS {
                for orth in [false, true] {
                    let ex = exec(&cancel, norm, 1);
                    let y = r2r(&x, &[n], &ax, kind, false, orth, &ex).unwrap();
                    let back = r2r(&y.data, &[n], &ax, kind, true, orth, &ex).unwrap();
                    assert_allclose(&back.data, &x, 1e-10, 1e-11 * n as f64);
                }
            }
        }
    }
}

#[test]
fn ortho_transforms_with_orthogonalize_are_orthogonal_matrices() {
    let cancel = Cancel::never();
    let n = 9;
    for kind in kinds() {
        let ex = exec(&cancel, Norm::Ortho, 1);
        let ax = Axes {
            axes: &[0],
            lens: &[n],
        };
        let cols: Vec<Vec<f64>> = (0..n)
            .map(|j| {
                let e: Vec<f64> = (0..n).map(|i| if i == j { 1.0 } else { 0.0 }).collect();
                r2r(&e, &[n], &ax, kind, false, true, &ex).unwrap().data
            })
            .collect();
        for a in 0..n {
            for b in 0..n {
                let dot: f64 = (0..n).map(|i| cols[a][i] * cols[b][i]).sum();
                let want = if a == b { 1.0 } else { 0.0 };
                assert!(
                    (dot - want).abs() < 1e-12,
                    "{kind:?}: columns {a}, {b} give {dot}"
                );
            }
        }
    }
}

#[test]
fn a_raised_cancel_flag_stops_the_call() {
    let cancel = Cancel::new();
    cancel.cancel();
    let x = vec![Complex64::new(1.0, 0.0); 64];
    let ex = exec(&cancel, Norm::Backward, 1);
    assert_eq!(
        c2c(
            &x,
            &[8, 8],
            &Axes {
                axes: &[0, 1],
                lens: &[8, 8]
            },
            true,
            &ex
        ),
        Err(FftError::Cancelled)
    );
}

#[test]
fn bad_requests_are_errors_not_panics() {
    let cancel = Cancel::never();
    let ex = exec(&cancel, Norm::Backward, 1);
    let x = vec![Complex64::new(1.0, 0.0); 6];
    let r = vec![1.0; 6];
    let ax = |axes: &'static [usize], lens: &'static [usize]| Axes { axes, lens };
    assert_eq!(
        c2c(&x, &[2, 2], &ax(&[0], &[2]), true, &ex),
        Err(FftError::ShapeMismatch {
            len: 6,
            expected: 4
        })
    );
    assert_eq!(
        c2c(&x, &[2, 3], &ax(&[2], &[2]), true, &ex),
        Err(FftError::InvalidAxis { axis: 2, ndim: 2 })
    );
    assert_eq!(
        c2c(&x, &[2, 3], &ax(&[1, 1], &[3, 3]), true, &ex),
        Err(FftError::InvalidAxis { axis: 1, ndim: 2 })
    );
    assert_eq!(
        c2c(&x, &[6], &ax(&[0], &[0]), true, &ex),
        Err(FftError::InvalidLength { n: 0, min: 1 })
    );
    assert_eq!(
        r2r(
            &r[..1],
            &[1],
            &ax(&[0], &[1]),
            R2rKind::Dct(1),
            false,
            false,
            &ex
        ),
        Err(FftError::InvalidLength { n: 1, min: 2 })
    );
    assert_eq!(
        r2r(
            &r,
            &[6],
            &ax(&[0], &[6]),
            R2rKind::Dct(5),
            false,
            false,
            &ex
        ),
        Err(FftError::InvalidType(5))
    );
    assert!(r2c(&r, &[6], &ax(&[], &[]), false, &ex).is_err());
    let mut small = vec![Complex64::new(0.0, 0.0); 3];
    assert!(c2c_into(&x, &[6], &ax(&[0], &[6]), true, &ex, &mut small).is_err());
}

#[test]
fn the_plan_cache_stays_within_its_budget() {
    let cancel = Cancel::never();
    let ex = exec(&cancel, Norm::Backward, 1);
    for n in (0..12).map(|i| (1 << 20) + 2 * i) {
        let x = vec![Complex64::new(0.0, 0.0); n];
        c2c(
            &x,
            &[n],
            &Axes {
                axes: &[0],
                lens: &[n],
            },
            true,
            &ex,
        )
        .unwrap();
        let (plans, len) = cache_stats::<f64>();
        assert!(
            len <= BUDGET + n && plans <= MAX_PLANS,
            "{plans} plans of {len} points"
        );
    }
}

fn smooth(mut n: usize, primes: &[usize]) -> bool {
    for &p in primes {
        while n.is_multiple_of(p) {
            n /= p;
        }
    }
    n == 1
}

#[test]
fn fast_lengths_are_the_nearest_smooth_numbers() {
    for target in 1..2000 {
        for (real, primes) in [(false, &[2, 3, 5, 7, 11][..]), (true, &[2, 3, 5][..])] {
            let next = next_fast_len(target, real).unwrap();
            assert!(next >= target && smooth(next, primes));
            assert!((target..next).all(|m| !smooth(m, primes)));
            let prev = prev_fast_len(target, real).unwrap();
            assert!(prev <= target && smooth(prev, primes));
            assert!((prev + 1..=target).all(|m| !smooth(m, primes)));
        }
    }
}
