//! DCT and DST of types 1 to 4 against SciPy's documented sums
//! (`musique_testing::naive_dct` / `naive_dst`), every norm, with and without
//! `orthogonalize`, their inverses, orthogonality of the orthonormal
//! variants, n-D forms with padding and cropping, and f32.
//!
//! `orthogonalize` (SciPy's `orthogonalize=True`) rescales the entries whose
//! basis vectors have a different norm, derived from the sums: DCT-I
//! multiplies `x₀`, `x_{N−1}` by √2 and divides `y₀`, `y_{N−1}` by √2;
//! DCT-II divides `y₀`; DCT-III multiplies `x₀`; DST-II divides `y_{N−1}`;
//! DST-III multiplies `x_{N−1}`; types 4 and DST-I have no such entries.
//!
//! Tolerances: f64 `rtol 1e-10`, `atol 1e-10 · √n · factor · 2` (outputs are
//! about `√(2n) · factor`); f32 `rtol 1e-4`, `atol 4e-5 · √n · factor`
//! against the f64 sums of the rounded input.

use crate::c2c::{len_choices, ordered_axes};
use crate::{ex, reals32, reals64, with_ctx, NORMS};
use musique_fft::*;
use musique_testing::{along, assert_allclose, naive_dct, naive_dst, Rng, SEED};
use std::f64::consts::SQRT_2;

fn kinds() -> Vec<R2rKind> {
    (1..=4)
        .flat_map(|t| [R2rKind::Dct(t), R2rKind::Dst(t)])
        .collect()
}

fn lengths() -> Vec<usize> {
    vec![
        1, 2, 3, 4, 5, 6, 7, 8, 9, 11, 13, 16, 17, 31, 32, 33, 64, 97, 100, 101, 127, 128, 1000,
        1009, 1024,
    ]
}

/// SciPy's logical length, the `n` of `norm`'s factor.
fn logical(kind: R2rKind, n: usize) -> usize {
    match kind {
        R2rKind::Dct(1) => 2 * (n - 1),
        R2rKind::Dst(1) => 2 * (n + 1),
        _ => 2 * n,
    }
}

/// The type computing the inverse (2 and 3 swap), written out here rather
/// than taken from the crate.
fn inverse_type(kind: R2rKind) -> R2rKind {
    let s = |t: u8| match t {
        2 => 3,
        3 => 2,
        t => t,
    };
    match kind {
        R2rKind::Dct(t) => R2rKind::Dct(s(t)),
        R2rKind::Dst(t) => R2rKind::Dst(s(t)),
    }
}

/// The unnormalized sum, with `orthogonalize`'s weights when `orth`.
fn naive(kind: R2rKind, x: &[f64], orth: bool) -> Vec<f64> {
    let n = x.len();
    let mut x = x.to_vec();
    // (x₀, x_{N−1}) pre-multipliers and (y₀, y_{N−1}) post-divisors.
    let (pre0, pre_last, post0, post_last) = match (orth, kind) {
        (false, _) => (false, false, false, false),
        (true, R2rKind::Dct(1)) => (true, true, true, true),
        (true, R2rKind::Dct(2)) => (false, false, true, false),
        (true, R2rKind::Dct(3)) => (true, false, false, false),
        (true, R2rKind::Dst(2)) => (false, false, false, true),
        (true, R2rKind::Dst(3)) => (false, true, false, false),
        (true, _) => (false, false, false, false),
    };
    if pre0 {
        x[0] *= SQRT_2;
    }
    if pre_last {
        x[n - 1] *= SQRT_2;
    }
    let mut y = match kind {
        R2rKind::Dct(t) => naive_dct(t, &x),
        R2rKind::Dst(t) => naive_dst(t, &x),
    };
    if post0 {
        y[0] /= SQRT_2;
    }
    if post_last {
        y[n - 1] /= SQRT_2;
    }
    y
}

fn valid(kind: R2rKind, n: usize) -> bool {
    kind != R2rKind::Dct(1) || n >= 2
}

fn scale(v: &[f64], f: f64) -> Vec<f64> {
    v.iter().map(|x| x * f).collect()
}

fn ax1(n: &[usize; 1]) -> Axes<'_> {
    Axes {
        axes: &[0],
        lens: n,
    }
}

#[test]
fn forward_transforms_match_scipys_sums_for_every_norm_with_and_without_orthogonalize() {
    let cancel = Cancel::never();
    let mut rng = Rng::new(SEED + 200);
    for kind in kinds() {
        for n in lengths().into_iter().filter(|&n| valid(kind, n)) {
            let x = rng.reals(n);
            let lens = [n];
            for orth in [false, true] {
                let want = naive(kind, &x, orth);
                for norm in NORMS {
                    let f = norm.factor(logical(kind, n), true);
                    let got = r2r(
                        &x,
                        &[n],
                        &ax1(&lens),
                        kind,
                        false,
                        orth,
                        &ex(&cancel, norm, Par::SEQ),
                    )
                    .unwrap();
                    assert_eq!(got.shape, vec![n]);
                    let atol = 2e-10 * (n as f64).sqrt() * f;
                    with_ctx(&format!("{kind:?} n {n} {norm:?} orth {orth}"), || {
                        assert_allclose(&got.data, &scale(&want, f), 1e-10, atol)
                    });
                }
            }
        }
    }
}

#[test]
fn inverse_transforms_are_the_other_type_with_the_inverse_normalization() {
    let cancel = Cancel::never();
    let mut rng = Rng::new(SEED + 201);
    for kind in kinds() {
        for n in lengths()
            .into_iter()
            .filter(|&n| valid(kind, n) && n <= 128)
        {
            let x = rng.reals(n);
            let lens = [n];
            for orth in [false, true] {
                let want = naive(inverse_type(kind), &x, orth);
                for norm in NORMS {
                    let f = norm.factor(logical(kind, n), false);
                    let got = r2r(
                        &x,
                        &[n],
                        &ax1(&lens),
                        kind,
                        true,
                        orth,
                        &ex(&cancel, norm, Par::SEQ),
                    )
                    .unwrap();
                    let atol = 2e-10 * (n as f64).sqrt() * f;
                    with_ctx(
                        &format!("inverse {kind:?} n {n} {norm:?} orth {orth}"),
                        || assert_allclose(&got.data, &scale(&want, f), 1e-10, atol),
                    );
                }
            }
        }
    }
}

#[test]
fn inverses_undo_the_forward_transforms_for_every_type_norm_and_orthogonalize() {
    let cancel = Cancel::never();
    let mut rng = Rng::new(SEED + 202);
    for kind in kinds() {
        for n in lengths().into_iter().filter(|&n| valid(kind, n)) {
            let x = rng.reals(n);
            let lens = [n];
            for norm in NORMS {
                for orth in [false, true] {
                    let e = ex(&cancel, norm, Par::SEQ);
                    let y = r2r(&x, &[n], &ax1(&lens), kind, false, orth, &e).unwrap();
                    let back = r2r(&y.data, &[n], &ax1(&lens), kind, true, orth, &e).unwrap();
                    with_ctx(&format!("{kind:?} n {n} {norm:?} orth {orth}"), || {
                        assert_allclose(&back.data, &x, 1e-10, 1e-12 * (n as f64).sqrt())
                    });
                }
            }
        }
    }
}

#[test]
fn orthonormal_variants_are_orthogonal_matrices_whose_inverse_is_the_transpose() {
    let cancel = Cancel::never();
    let e = ex(&cancel, Norm::Ortho, Par::SEQ);
    for kind in kinds() {
        for n in [1, 2, 3, 4, 5, 8, 9, 16, 17, 30]
            .into_iter()
            .filter(|&n| valid(kind, n))
        {
            let lens = [n];
            let unit = |j: usize| -> Vec<f64> { (0..n).map(|i| f64::from(i == j)).collect() };
            // Column j of Q is Q e_j; column j of Q⁻¹ is the inverse of e_j.
            let q: Vec<Vec<f64>> = (0..n)
                .map(|j| {
                    r2r(&unit(j), &[n], &ax1(&lens), kind, false, true, &e)
                        .unwrap()
                        .data
                })
                .collect();
            let qinv: Vec<Vec<f64>> = (0..n)
                .map(|j| {
                    r2r(&unit(j), &[n], &ax1(&lens), kind, true, true, &e)
                        .unwrap()
                        .data
                })
                .collect();
            for a in 0..n {
                for b in 0..n {
                    let dot: f64 = (0..n).map(|i| q[a][i] * q[b][i]).sum();
                    let want = f64::from(a == b);
                    assert!(
                        (dot - want).abs() < 1e-12,
                        "{kind:?} n {n}: columns {a}, {b} of QᵀQ give {dot}"
                    );
                    // Q⁻¹ = Qᵀ: Q⁻¹[a][b] = Q[b][a].
                    assert!(
                        (qinv[b][a] - q[a][b]).abs() < 1e-12,
                        "{kind:?} n {n}: inverse is not the transpose at ({a}, {b})"
                    );
                }
            }
        }
    }
}

#[test]
fn f32_transforms_match_the_f64_sums() {
    let cancel = Cancel::never();
    let mut rng = Rng::new(SEED + 203);
    for kind in kinds() {
        for n in [1, 2, 3, 5, 8, 13, 64, 97, 100, 1000, 1024]
            .into_iter()
            .filter(|&n| valid(kind, n))
        {
            let x32 = reals32(&rng.reals(n));
            let x = reals64(&x32);
            let lens = [n];
            for (norm, orth) in [
                (Norm::Backward, false),
                (Norm::Ortho, true),
                (Norm::Forward, false),
            ] {
                let e = ex(&cancel, norm, Par::SEQ);
                let f = norm.factor(logical(kind, n), true);
                let got = r2r(&x32, &[n], &ax1(&lens), kind, false, orth, &e).unwrap();
                let want = scale(&naive(kind, &x, orth), f);
                with_ctx(&format!("f32 {kind:?} n {n} {norm:?}"), || {
                    assert_allclose(
                        &reals64(&got.data),
                        &want,
                        1e-4,
                        4e-5 * (n as f64).sqrt() * f,
                    )
                });
                let back = r2r(&got.data, &[n], &ax1(&lens), kind, true, orth, &e).unwrap();
                with_ctx(&format!("f32 round trip {kind:?} n {n} {norm:?}"), || {
                    assert_allclose(&reals64(&back.data), &x, 1e-4, 1e-5 * (n as f64).sqrt())
                });
            }
        }
    }
}

#[test]
fn n_d_transforms_apply_the_sum_along_each_axis_with_padding_and_cropping() {
    let cancel = Cancel::never();
    let mut rng = Rng::new(SEED + 204);
    let shape = [3, 5, 4];
    let x = rng.reals(60);
    for kind in kinds() {
        for axes in ordered_axes(3) {
            for choice in 0..3 {
                let lens: Vec<usize> = axes
                    .iter()
                    .map(|&a| len_choices(shape[a])[choice])
                    .collect();
                let ax = Axes {
                    axes: &axes,
                    lens: &lens,
                };
                for (norm, orth) in [
                    (Norm::Backward, false),
                    (Norm::Ortho, true),
                    (Norm::Forward, true),
                ] {
                    let e = ex(&cancel, norm, Par::SEQ);
                    let ctx = format!("{kind:?} axes {axes:?} lens {lens:?} {norm:?} orth {orth}");
                    let got = r2r(&x, &shape, &ax, kind, false, orth, &e);
                    if lens.iter().any(|&n| !valid(kind, n)) {
                        assert_eq!(got, Err(FftError::InvalidLength { n: 1, min: 2 }), "{ctx}");
                        continue;
                    }
                    let got = got.unwrap();
                    let (mut want, mut s) = (x.clone(), shape.to_vec());
                    for (&a, &n) in axes.iter().zip(&lens) {
                        let f = norm.factor(logical(kind, n), true);
                        (want, s) = along(&want, &s, a, n, |l| scale(&naive(kind, l, orth), f));
                    }
                    assert_eq!(got.shape, s, "{ctx}");
                    with_ctx(&ctx, || assert_allclose(&got.data, &want, 1e-10, 1e-10));
                    // Inverse over the same axes, at the new lengths.
                    let back = r2r(&got.data, &got.shape, &ax, kind, true, orth, &e).unwrap();
                    if choice == 0 {
                        with_ctx(&ctx, || assert_allclose(&back.data, &x, 1e-10, 1e-12));
                    }
                }
            }
        }
    }
}

#[test]
fn large_strided_and_parallel_dct_passes() {
    // [128, 300] along axis 0 (strided, blocked) and 1, above the parallel
    // threshold, padded: the same values as the line-by-line sums.
    let cancel = Cancel::never();
    let mut rng = Rng::new(SEED + 205);
    let shape = [128, 300];
    let x = rng.reals(128 * 300);
    for kind in [
        R2rKind::Dct(2),
        R2rKind::Dst(3),
        R2rKind::Dct(1),
        R2rKind::Dst(4),
    ] {
        for axis in [0, 1] {
            let lens = [shape[axis] + 3];
            let ax = Axes {
                axes: &[axis],
                lens: &lens,
            };
            let got = r2r(
                &x,
                &shape,
                &ax,
                kind,
                false,
                false,
                &ex(&cancel, Norm::Ortho, Par::new(2)),
            )
            .unwrap();
            let f = Norm::Ortho.factor(logical(kind, lens[0]), true);
            let (want, s) = along(&x, &shape, axis, lens[0], |l| {
                scale(&naive(kind, l, false), f)
            });
            assert_eq!(got.shape, s);
            with_ctx(&format!("{kind:?} axis {axis}"), || {
                assert_allclose(&got.data, &want, 1e-10, 1e-10)
            });
        }
    }
}

#[test]
fn r2r_into_writes_the_same_values_as_r2r() {
    let cancel = Cancel::never();
    let mut rng = Rng::new(SEED + 206);
    let x = rng.reals(35);
    let e = ex(&cancel, Norm::Backward, Par::SEQ);
    for kind in kinds() {
        let ax = Axes {
            axes: &[1, 0],
            lens: &[6, 5],
        };
        let want = r2r(&x, &[5, 7], &ax, kind, true, false, &e).unwrap();
        let mut out = vec![f64::NAN; want.data.len()];
        r2r_into(&x, &[5, 7], &ax, kind, true, false, &e, &mut out).unwrap();
        assert_eq!(out, want.data, "{kind:?}");
    }
}

#[test]
fn in_place_transforms_write_the_same_values_as_r2r() {
    let cancel = Cancel::never();
    let mut rng = Rng::new(SEED + 205);
    let shape = [9, 16, 7];
    let x = rng.reals(shape.iter().product());
    for kind in kinds() {
        for (axes, threads) in [(&[2usize][..], 1), (&[0, 1][..], 2), (&[0, 1, 2][..], 3)] {
            let lens: Vec<usize> = axes.iter().map(|&a| shape[a]).collect();
            let ax = Axes { axes, lens: &lens };
            for (norm, inverse, orth) in [(Norm::Backward, false, false), (Norm::Ortho, true, true)]
            {
                let e = ex(&cancel, norm, Par::new(threads));
                let want = r2r(&x, &shape, &ax, kind, inverse, orth, &e).unwrap();
                let mut got = x.clone();
                r2r_in_place(&mut got, &shape, &ax, kind, inverse, orth, &e).unwrap();
                assert_eq!(
                    got, want.data,
                    "{kind:?} axes {axes:?} {norm:?} inverse {inverse}"
                );
            }
        }
    }
    let x32 = reals32(&x);
    let ax = Axes {
        axes: &[1],
        lens: &[16],
    };
    let e = ex(&cancel, Norm::Forward, Par::new(2));
    let want = r2r(&x32, &shape, &ax, R2rKind::Dst(3), false, false, &e).unwrap();
    let mut got = x32.clone();
    r2r_in_place(&mut got, &shape, &ax, R2rKind::Dst(3), false, false, &e).unwrap();
    assert_eq!(reals64(&got), reals64(&want.data));
}
