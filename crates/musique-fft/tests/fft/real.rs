//! Real transforms: rfft / irfft / hfft / ihfft (the `hermitian` flag) and
//! their n-D forms, against the naive DFT of the real signal or of the
//! Hermitian-extended spectrum.
//!
//! SciPy's definitions used here:
//! - `rfft(x, n)` is the first `n/2 + 1` values of `fft(x, n)`;
//! - `irfft(X, n)` is the real part of `ifft(Y)`, `Y` the Hermitian
//!   extension of `X` padded or cropped to `n/2 + 1` (so the imaginary parts
//!   of `X[0]` and, for even `n`, `X[n/2]` are ignored);
//! - `hfft(x, n) = irfft(conj(x), n) · n` under `norm="backward"`, which is
//!   the real part of the forward DFT of the Hermitian extension, normalized
//!   as a forward transform;
//! - `ihfft(x) = conj(rfft(x)) / n` under `norm="backward"`;
//! - n-D: complex transforms along all axes but the last, the real one along
//!   the last (`hfftn(x) = irfftn(conj(x)) · N`, `ihfftn = conj(rfftn) / N`).
//!
//! Tolerances as in `c2c`: f64 `rtol 1e-10`, `atol 1e-10 · √n · factor`; f32
//! `rtol 1e-4`, `atol 2e-5 · √n · factor` against the f64 DFT of the rounded
//! input.

use crate::c2c::{len_choices, naive_nd, ordered_axes};
use crate::{ex, reals32, reals64, scaled, to32, to64, with_ctx, NORMS};
use musique_fft::*;
use musique_testing::{
    along, assert_allclose, assert_allclose_complex, hermitian_extension, naive_dft_table, Rng,
    SEED,
};
use num_complex::Complex64;

fn lengths() -> Vec<usize> {
    (1..=200).chain([1009, 4096, 10007]).collect()
}

fn atol64(n: usize, factor: f64) -> f64 {
    1e-10 * (n as f64).sqrt() * factor
}

fn complex(x: &[f64]) -> Vec<Complex64> {
    x.iter().map(|&v| Complex64::new(v, 0.0)).collect()
}

fn conj(x: &[Complex64]) -> Vec<Complex64> {
    x.iter().map(|c| c.conj()).collect()
}

fn re(x: &[Complex64]) -> Vec<f64> {
    x.iter().map(|c| c.re).collect()
}

/// Naive irfft of one line to `n` points (`hermitian`: hfft), scaled by `f`.
fn naive_c2r_line(x: &[Complex64], n: usize, hermitian: bool, f: f64) -> Vec<f64> {
    let y = hermitian_extension(x, n);
    let sign = if hermitian { -1.0 } else { 1.0 };
    re(&naive_dft_table(&y, sign))
        .into_iter()
        .map(|v| v * f)
        .collect()
}

fn ax1(n: &[usize; 1]) -> Axes<'_> {
    Axes {
        axes: &[0],
        lens: n,
    }
}

#[test]
fn rfft_and_ihfft_are_half_the_dft_for_every_length_and_norm() {
    let cancel = Cancel::never();
    let mut rng = Rng::new(SEED + 100);
    for n in lengths() {
        let x = rng.reals(n);
        let full = naive_dft_table(&complex(&x), -1.0);
        let h = n / 2 + 1;
        for norm in NORMS {
            let e = ex(&cancel, norm, Par::SEQ);
            let lens = [n];
            let ctx = format!("n {n} {norm:?}");
            let got = r2c(&x, &[n], &ax1(&lens), false, &e).unwrap();
            assert_eq!(got.shape, vec![h], "{ctx}");
            let f = norm.factor(n, true);
            with_ctx(&ctx, || {
                assert_allclose_complex(
                    &got.data,
                    &scaled(full[..h].to_vec(), f),
                    1e-10,
                    atol64(n, f),
                )
            });
            // ihfft: conjugate, normalized as an inverse transform.
            let got = r2c(&x, &[n], &ax1(&lens), true, &e).unwrap();
            let f = norm.factor(n, false);
            with_ctx(&ctx, || {
                assert_allclose_complex(
                    &got.data,
                    &scaled(conj(&full[..h]), f),
                    1e-10,
                    atol64(n, f),
                )
            });
        }
    }
}

#[test]
fn rfft_pads_and_crops_its_input() {
    let cancel = Cancel::never();
    let mut rng = Rng::new(SEED + 101);
    let e = ex(&cancel, Norm::Backward, Par::SEQ);
    for m in [1, 2, 5, 8, 13] {
        let x = rng.reals(m);
        for n in [1, 2, 3, 4, 7, 10, 16, 21] {
            let lens = [n];
            let got = r2c(&x, &[m], &ax1(&lens), false, &e).unwrap();
            let xn: Vec<f64> = (0..n).map(|i| x.get(i).copied().unwrap_or(0.0)).collect();
            let want = naive_dft_table(&complex(&xn), -1.0);
            with_ctx(&format!("m {m} n {n}"), || {
                assert_allclose_complex(&got.data, &want[..n / 2 + 1], 1e-10, atol64(n, 1.0))
            });
        }
    }
}

#[test]
fn irfft_and_hfft_match_the_hermitian_extension_for_every_length_and_norm() {
    let cancel = Cancel::never();
    let mut rng = Rng::new(SEED + 102);
    for n in lengths() {
        // The spectrum given has n/2 + 1 values, or more (cropped) or fewer
        // (zero-padded); its X[0] (and X[n/2]) carry imaginary parts the
        // transforms must ignore.
        let h = n / 2 + 1;
        let ms: Vec<usize> = if n <= 200 {
            vec![h, h + 2, h.saturating_sub(2).max(1)]
        } else {
            vec![h]
        };
        for m in ms {
            let x = rng.complexes(m);
            for hermitian in [false, true] {
                let want = naive_c2r_line(&x, n, hermitian, 1.0);
                for norm in NORMS {
                    let e = ex(&cancel, norm, Par::SEQ);
                    let lens = [n];
                    let got = c2r(&x, &[m], &ax1(&lens), hermitian, &e).unwrap();
                    assert_eq!(got.shape, vec![n]);
                    // irfft is an inverse transform, hfft a forward one.
                    let f = norm.factor(n, hermitian);
                    let want: Vec<f64> = want.iter().map(|v| v * f).collect();
                    let ctx = format!("n {n} m {m} hermitian {hermitian} {norm:?}");
                    with_ctx(&ctx, || {
                        assert_allclose(&got.data, &want, 1e-10, atol64(n, f * n as f64))
                    });
                }
            }
        }
    }
}

#[test]
fn hfft_is_irfft_of_the_conjugate_times_n() {
    let cancel = Cancel::never();
    let mut rng = Rng::new(SEED + 103);
    let e = ex(&cancel, Norm::Backward, Par::SEQ);
    for n in [1, 2, 3, 4, 9, 10, 31, 64, 101] {
        let x = rng.complexes(n / 2 + 1);
        let lens = [n];
        let h = c2r(&x, &[x.len()], &ax1(&lens), true, &e).unwrap();
        let i = c2r(&conj(&x), &[x.len()], &ax1(&lens), false, &e).unwrap();
        let want: Vec<f64> = i.data.iter().map(|v| v * n as f64).collect();
        assert_allclose(&h.data, &want, 1e-10, 1e-12 * n as f64);
    }
}

#[test]
fn irfft_inverts_rfft_and_hfft_inverts_ihfft_for_odd_and_even_lengths() {
    let cancel = Cancel::never();
    let mut rng = Rng::new(SEED + 104);
    for n in (1..=40).chain([99, 100, 1009, 1024]) {
        let x = rng.reals(n);
        let lens = [n];
        for norm in NORMS {
            let e = ex(&cancel, norm, Par::SEQ);
            for hermitian in [false, true] {
                let y = r2c(&x, &[n], &ax1(&lens), hermitian, &e).unwrap();
                let back = c2r(&y.data, &y.shape, &ax1(&lens), hermitian, &e).unwrap();
                with_ctx(&format!("n {n} {norm:?} hermitian {hermitian}"), || {
                    assert_allclose(&back.data, &x, 1e-10, 1e-12 * (n as f64).sqrt())
                });
            }
        }
    }
}

#[test]
fn f32_real_transforms_match_the_f64_definitions() {
    let cancel = Cancel::never();
    let mut rng = Rng::new(SEED + 105);
    for n in (1..=64).chain([97, 128, 1009, 4096]) {
        let x32 = reals32(&rng.reals(n));
        let x = reals64(&x32);
        let full = naive_dft_table(&complex(&x), -1.0);
        let lens = [n];
        for norm in NORMS {
            let e = ex(&cancel, norm, Par::SEQ);
            let f = norm.factor(n, true);
            let got = r2c(&x32, &[n], &ax1(&lens), false, &e).unwrap();
            let atol = 2e-5 * (n as f64).sqrt();
            assert_allclose_complex(
                &to64(&got.data),
                &scaled(full[..n / 2 + 1].to_vec(), f),
                1e-4,
                atol * f,
            );
            let spec32 = to32(&rng.complexes(n / 2 + 1));
            let spec = to64(&spec32);
            let got = c2r(&spec32, &[spec.len()], &ax1(&lens), false, &e).unwrap();
            let f = norm.factor(n, false);
            let want = naive_c2r_line(&spec, n, false, f);
            assert_allclose(&reals64(&got.data), &want, 1e-4, atol * f * n as f64);
        }
    }
}

#[test]
fn r2c_into_and_c2r_into_write_the_same_values() {
    let cancel = Cancel::never();
    let mut rng = Rng::new(SEED + 106);
    let e = ex(&cancel, Norm::Ortho, Par::SEQ);
    let shape = [5, 6];
    let x = rng.reals(30);
    for (axes, lens) in [
        (&[1usize][..], &[6usize][..]),
        (&[1, 0], &[9, 5]),
        (&[0, 1], &[3, 7]),
    ] {
        let ax = Axes { axes, lens };
        let want = r2c(&x, &shape, &ax, false, &e).unwrap();
        assert_eq!(want.shape, output_shape(&shape, &ax, Layout::Half));
        let mut out = vec![Complex64::new(f64::NAN, 1.0); want.data.len()];
        r2c_into(&x, &shape, &ax, false, &e, &mut out).unwrap();
        assert_eq!(out, want.data);
        let back = c2r(&want.data, &want.shape, &ax, false, &e).unwrap();
        assert_eq!(back.shape, output_shape(&want.shape, &ax, Layout::Real));
        let mut out = vec![f64::NAN; back.data.len()];
        c2r_into(&want.data, &want.shape, &ax, false, &e, &mut out).unwrap();
        assert_eq!(out, back.data);
    }
}

/// rfftn expected: the complex DFT over the same axes, cropped to
/// `n/2 + 1` along the last.
fn naive_rfftn(
    x: &[f64],
    shape: &[usize],
    axes: &[usize],
    lens: &[usize],
    norm: Norm,
) -> (Vec<Complex64>, Vec<usize>) {
    let (full, s) = naive_nd(&complex(x), shape, axes, lens, true, norm);
    let (&last, &n) = (axes.last().unwrap(), lens.last().unwrap());
    along(&full, &s, last, n / 2 + 1, |l| l.to_vec())
}

/// irfftn (`hermitian`: hfftn) expected: inverse DFTs along the leading axes,
/// the naive irfft along the last.
fn naive_c2r_nd(
    x: &[Complex64],
    shape: &[usize],
    axes: &[usize],
    lens: &[usize],
    hermitian: bool,
    norm: Norm,
) -> (Vec<f64>, Vec<usize>) {
    let src = if hermitian { conj(x) } else { x.to_vec() };
    let k = axes.len() - 1;
    let (mut y, mut s) = (src, shape.to_vec());
    for (&a, &n) in axes[..k].iter().zip(&lens[..k]) {
        let f = norm.factor(n, hermitian);
        (y, s) = along(&y, &s, a, n, |l| scaled(naive_dft_table(l, 1.0), f));
    }
    let n = lens[k];
    let f = norm.factor(n, hermitian);
    // The input is already conjugated for hfftn: an irfft line from here.
    along(&y, &s, axes[k], n / 2 + 1, |l| {
        naive_c2r_line(l, n, false, f)
    })
}

fn half_shape(shape: &[usize], axes: &[usize], lens: &[usize]) -> Vec<usize> {
    output_shape(shape, &Axes { axes, lens }, Layout::Half)
}

#[test]
fn rfftn_ihfftn_irfftn_and_hfftn_over_two_and_three_axes() {
    let cancel = Cancel::never();
    let mut rng = Rng::new(SEED + 107);
    for shape in [[4usize, 6, 7], [3, 5, 8]] {
        let x = rng.reals(shape.iter().product());
        for axes in ordered_axes(3).into_iter().filter(|a| a.len() >= 2) {
            // Same lengths; then every axis padded; then every axis cropped;
            // then padded and cropped axes alternating, both ways round.
            for choice in 0..5 {
                let lens: Vec<usize> = axes
                    .iter()
                    .enumerate()
                    .map(|(i, &a)| {
                        let pick = if choice < 3 {
                            choice
                        } else {
                            1 + (i + choice) % 2
                        };
                        len_choices(shape[a])[pick]
                    })
                    .collect();
                for norm in NORMS {
                    let e = ex(&cancel, norm, Par::SEQ);
                    let ax = Axes {
                        axes: &axes,
                        lens: &lens,
                    };
                    let ctx = format!("shape {shape:?} axes {axes:?} lens {lens:?} {norm:?}");
                    let size = lens.iter().product::<usize>() as f64;
                    let fwd: f64 = lens.iter().map(|&n| norm.factor(n, true)).product();
                    let inv: f64 = lens.iter().map(|&n| norm.factor(n, false)).product();

                    // rfftn, and ihfftn = conj(rfftn) normalized as an inverse.
                    let (want, s) = naive_rfftn(&x, &shape, &axes, &lens, Norm::Backward);
                    let got = r2c(&x, &shape, &ax, false, &e).unwrap();
                    assert_eq!(got.shape, s, "{ctx}");
                    with_ctx(&ctx, || {
                        assert_allclose_complex(
                            &got.data,
                            &scaled(want.clone(), fwd),
                            1e-10,
                            1e-10 * size.sqrt() * fwd,
                        )
                    });
                    let got = r2c(&x, &shape, &ax, true, &e).unwrap();
                    with_ctx(&ctx, || {
                        assert_allclose_complex(
                            &got.data,
                            &scaled(conj(&want), inv),
                            1e-10,
                            1e-10 * size.sqrt() * inv,
                        )
                    });

                    // irfftn and hfftn of a random half spectrum of the
                    // input's shape (padded or cropped to `lens`).
                    let hs = half_shape(&shape, &axes, &shape_lens(&shape, &axes));
                    let spec = rng.complexes(hs.iter().product());
                    for hermitian in [false, true] {
                        let (want, s) = naive_c2r_nd(&spec, &hs, &axes, &lens, hermitian, norm);
                        let got = c2r(&spec, &hs, &ax, hermitian, &e).unwrap();
                        assert_eq!(got.shape, s, "{ctx} hermitian {hermitian}");
                        let f = if hermitian { fwd } else { inv };
                        with_ctx(&format!("{ctx} hermitian {hermitian}"), || {
                            assert_allclose(&got.data, &want, 1e-10, 1e-10 * size.sqrt() * size * f)
                        });
                    }
                }
            }
        }
    }
}

fn shape_lens(shape: &[usize], axes: &[usize]) -> Vec<usize> {
    axes.iter().map(|&a| shape[a]).collect()
}

#[test]
fn irfftn_inverts_rfftn_and_hfftn_inverts_ihfftn() {
    let cancel = Cancel::never();
    let mut rng = Rng::new(SEED + 108);
    for shape in [[4usize, 6, 7], [2, 5, 9], [3, 4, 1]] {
        let x = rng.reals(shape.iter().product());
        for axes in [&[1usize, 2][..], &[2, 0], &[0, 1, 2], &[2, 1, 0]] {
            let lens = shape_lens(&shape, axes);
            let ax = Axes { axes, lens: &lens };
            for norm in NORMS {
                let e = ex(&cancel, norm, Par::SEQ);
                for hermitian in [false, true] {
                    let y = r2c(&x, &shape, &ax, hermitian, &e).unwrap();
                    let back = c2r(&y.data, &y.shape, &ax, hermitian, &e).unwrap();
                    assert_eq!(back.shape, shape.to_vec());
                    with_ctx(&format!("{shape:?} {axes:?} {norm:?} {hermitian}"), || {
                        assert_allclose(&back.data, &x, 1e-10, 1e-12)
                    });
                }
            }
        }
    }
}

#[test]
fn rfftn_equals_the_complex_transform_on_a_large_array() {
    // [128, 300]: above the parallel threshold, strided first pass.
    let cancel = Cancel::never();
    let mut rng = Rng::new(SEED + 109);
    let shape = [128, 300];
    let x = rng.reals(128 * 300);
    let xc = complex(&x);
    for axes in [&[1usize, 0][..], &[0, 1]] {
        let lens = shape_lens(&shape, axes);
        let ax = Axes { axes, lens: &lens };
        let e = ex(&cancel, Norm::Backward, Par::new(2));
        let half = r2c(&x, &shape, &ax, false, &e).unwrap();
        let full = c2c(&xc, &shape, &ax, true, &e).unwrap();
        let last = *axes.last().unwrap();
        let (want, s) = along(&full.data, &shape, last, shape[last] / 2 + 1, |l| {
            l.to_vec()
        });
        assert_eq!(half.shape, s);
        assert_allclose_complex(&half.data, &want, 1e-10, 1e-9);
        let back = c2r(&half.data, &half.shape, &ax, false, &e).unwrap();
        assert_allclose(&back.data, &x, 1e-10, 1e-12);
    }
}
