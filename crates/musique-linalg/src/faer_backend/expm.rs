//! expm by scaling and squaring (Al-Mohy & Higham 2009), step for step as
//! scipy.linalg.expm (`pick_pade_structure` / `pade_UV_calc`): diagonal
//! input gives exp of the diagonal; otherwise A², A⁴, A⁶ (and A⁸) pick the
//! smallest Padé degree m ∈ {3, 5, 7, 9, 13} whose bound θ_m holds, with
//! the backward-error correction ℓ(A, m) from ‖ |A|^(2m+1) ‖ (scipy measures
//! it with row sums), else m = 13 and s = ⌈log₂(η/θ₁₃)⌉ + ℓ. Then
//! r_m = (V − U)⁻¹(V + U) (one LU solve), squared s times; for triangular
//! input the diagonal and first off-diagonal are recomputed exactly after
//! every squaring (Code Fragment 2.1). All products are faer matmuls on
//! `par`.

use faer::Mat;

use super::{expect_inputs, expect_square, lu, mul, real, real_mat, to_mat};
use crate::{MatRef, Output, Real, Result};

#[allow(clippy::excessive_precision)]
const THETA: [f64; 5] = [
    1.495585217958292e-002,
    2.539398330063230e-001,
    9.504178996162932e-001,
    2.097847961257068e+000,
    4.25,
];
/// c_m of ℓ(A, m) for m = 3, 5, 7, 9, 13 (times the unit roundoff below).
const C: [f64; 5] = [
    100800.0,
    10059033600.0,
    4487938430976000.0,
    5914384781877411840000.0,
    113250775606021113483283660800000000.0,
];
const B3: [f64; 4] = [120., 60., 12., 1.];
const B5: [f64; 6] = [30240., 15120., 3360., 420., 30., 1.];
const B7: [f64; 8] = [
    17297280., 8648640., 1995840., 277200., 25200., 1512., 56., 1.,
];
const B9: [f64; 10] = [
    17643225600.,
    8821612800.,
    2075673600.,
    302702400.,
    30270240.,
    2162160.,
    110880.,
    3960.,
    90.,
    1.,
];
const B13: [f64; 14] = [
    64764752532480000.,
    32382376266240000.,
    7771770303897600.,
    1187353796428800.,
    129060195264000.,
    10559470521600.,
    670442572800.,
    33522128640.,
    1323241920.,
    40840800.,
    960960.,
    16380.,
    182.,
    1.,
];
/// Squarings past this overflow or underflow any finite input anyway.
const MAX_S: i32 = 1100;

fn norm1<T: Real>(a: &Mat<T>) -> T {
    let n = a.nrows();
    (0..n)
        .map(|j| (0..n).fold(T::zero(), |s, i| s + a[(i, j)].abs()))
        .fold(T::zero(), |m, x| if x > m || x.is_nan() { x } else { m })
}

/// Σ cᵢ·Mᵢ (+ c₀·I) into a new matrix.
fn combo<T: Real>(n: usize, terms: &[(f64, &Mat<T>)], id: f64) -> Mat<T> {
    let id = T::of_f64(id);
    let terms: Vec<(T, &Mat<T>)> = terms.iter().map(|&(c, m)| (T::of_f64(c), m)).collect();
    Mat::from_fn(n, n, |i, j| {
        let mut v = if i == j { id } else { T::zero() };
        for (c, m) in &terms {
            v += *c * m[(i, j)];
        }
        v
    })
}

fn scaled<T: Real>(m: &Mat<T>, f: T) -> Mat<T> {
    Mat::from_fn(m.nrows(), m.ncols(), |i, j| m[(i, j)] * f)
}

/// Picks (m, s) as scipy's pick_pade_structure; `pw` = [A, A², A⁴, A⁶].
fn pick<T: Real>(
    a: &Mat<T>,
    pw: &[Mat<T>; 4],
    a8: &mut Option<Mat<T>>,
    par: faer::Par,
) -> (usize, i32) {
    let n = a.nrows();
    let u = T::EPS.to_f64() / 2.0;
    let abs_a = Mat::from_fn(n, n, |i, j| a[(i, j)].abs().to_f64());
    // Row sums of |A|^p by repeated |A|·w, w starting at ones (scipy's gemv "T"
    // on its row-major buffer).
    let mut w = vec![1.0f64; n];
    let spin = |w: &mut Vec<f64>, abs_a: &Mat<f64>, times: usize| {
        for _ in 0..times {
            let next: Vec<f64> = (0..n)
                .map(|i| (0..n).map(|j| abs_a[(i, j)] * w[j]).sum())
                .collect();
            *w = next;
        }
    };
    let wmax = |w: &[f64]| {
        w.iter()
            .fold(0.0f64, |m, &x| if x > m || x.is_nan() { x } else { m })
    };
    spin(&mut w, &abs_a, 1);
    let mut norm_a = wmax(&w);
    let ell = |temp: f64, norm_a: f64, idx: usize, m: f64| -> i32 {
        let v = ((temp / norm_a / (C[idx] * u)).log2() / (2.0 * m)).ceil();
        if v.is_nan() || v <= 0.0 {
            0
        } else {
            v.min(MAX_S as f64) as i32
        }
    };
    let d4 = norm1(&pw[2]).to_f64().powf(0.25);
    let d6 = norm1(&pw[3]).to_f64().powf(1.0 / 6.0);
    let eta1 = d4.max(d6);
    // m = 3: ‖|A|⁷‖
    spin(&mut w, &abs_a, 6);
    if eta1 < THETA[0] && ell(wmax(&w), norm_a, 0, 3.0) == 0 {
        return (3, 0);
    }
    // m = 5: ‖|A|¹¹‖
    spin(&mut w, &abs_a, 4);
    if eta1 < THETA[1] && ell(wmax(&w), norm_a, 1, 5.0) == 0 {
        return (5, 0);
    }
    let p8 = mul(pw[2].as_ref(), pw[2].as_ref(), par);
    let d8 = norm1(&p8).to_f64().powf(0.125);
    let eta2 = d6.max(d8);
    *a8 = Some(p8);
    // m = 7: ‖|A|¹⁵‖
    spin(&mut w, &abs_a, 4);
    if eta2 < THETA[2] && ell(wmax(&w), norm_a, 2, 7.0) == 0 {
        return (7, 0);
    }
    // m = 9: ‖|A|¹⁹‖
    spin(&mut w, &abs_a, 4);
    if eta2 < THETA[3] && ell(wmax(&w), norm_a, 3, 9.0) == 0 {
        return (9, 0);
    }
    // m = 13
    let p10 = mul(pw[3].as_ref(), pw[2].as_ref(), par);
    let d10 = norm1(&p10).to_f64().powf(0.1);
    let eta3 = d8.max(d10);
    let eta4 = eta2.min(eta3);
    let mut s = (eta4 / THETA[4]).log2().ceil();
    if s.is_nan() || s < 0.0 {
        s = 0.0;
    }
    let mut s = s.min(MAX_S as f64) as i32;
    let mut abs_a = abs_a;
    if s != 0 {
        let f = 2f64.powi(-s);
        for j in 0..n {
            for i in 0..n {
                abs_a[(i, j)] *= f;
            }
        }
        let f19 = 2f64.powf(-19.0 * s as f64);
        for x in w.iter_mut() {
            *x *= f19;
        }
        norm_a *= f;
    }
    // ‖|2⁻ˢA|²⁷‖
    spin(&mut w, &abs_a, 8);
    s += ell(wmax(&w), norm_a, 4, 13.0);
    (13, s.min(MAX_S))
}

/// exp of each diagonal entry's neighbours difference quotient (scipy's
/// `_exp_sinch`): (e^{x_{k+1}} − e^{x_k}) / (x_{k+1} − x_k), e^{x_k} when equal.
fn exp_sinch<T: Real>(x: &[T]) -> Vec<T> {
    x.windows(2)
        .map(|w| {
            let d = w[1] - w[0];
            if d == T::zero() {
                w[0].exp()
            } else {
                (w[1].exp() - w[0].exp()) / d
            }
        })
        .collect()
}

pub(super) fn expm<T: Real>(inputs: &[MatRef<'_, T>], par: faer::Par) -> Result<Vec<Output<T>>> {
    let ain = &expect_inputs(inputs, 1, "expm")?[0];
    let n = expect_square(ain, "expm")?;
    if n == 0 {
        return Ok(vec![real(vec![0, 0], vec![])]);
    }
    let a = to_mat(ain);
    let (mut lower_bw, mut upper_bw) = (false, false);
    for j in 0..n {
        for i in 0..n {
            if a[(i, j)] != T::zero() {
                if i > j {
                    lower_bw = true;
                } else if i < j {
                    upper_bw = true;
                }
            }
        }
    }
    if !lower_bw && !upper_bw {
        let mut out = vec![T::zero(); n * n];
        for i in 0..n {
            out[i * n + i] = a[(i, i)].exp();
        }
        return Ok(vec![real(vec![n, n], out)]);
    }
    if ain.data.iter().any(|x| !x.is_finite()) {
        // scipy's C code casts the resulting infinite scaling to int; there
        // is no meaningful answer.
        return Ok(vec![real(vec![n, n], vec![T::nan(); n * n])]);
    }
    let a2 = mul(a.as_ref(), a.as_ref(), par);
    let a4 = mul(a2.as_ref(), a2.as_ref(), par);
    let a6 = mul(a4.as_ref(), a2.as_ref(), par);
    let mut a8 = None;
    let pw = [a, a2, a4, a6];
    let (m, s) = pick(&pw[0], &pw, &mut a8, par);
    let [a, a2, a4, a6] = pw;
    let (a1, a2, a4, a6) = if s != 0 {
        let two = T::of_f64(2.0);
        let f = two.powi(-s);
        (
            scaled(&a, f),
            scaled(&a2, f * f),
            scaled(&a4, (f * f) * (f * f)),
            scaled(&a6, (f * f) * (f * f) * (f * f)),
        )
    } else {
        (a.clone(), a2, a4, a6)
    };
    // U = A·(odd part), V = even part.
    let (inner, v) = match m {
        3 => (
            combo(n, &[(B3[3], &a2)], B3[1]),
            combo(n, &[(B3[2], &a2)], B3[0]),
        ),
        5 => (
            combo(n, &[(B5[5], &a4), (B5[3], &a2)], B5[1]),
            combo(n, &[(B5[4], &a4), (B5[2], &a2)], B5[0]),
        ),
        7 => (
            combo(n, &[(B7[7], &a6), (B7[5], &a4), (B7[3], &a2)], B7[1]),
            combo(n, &[(B7[6], &a6), (B7[4], &a4), (B7[2], &a2)], B7[0]),
        ),
        9 => {
            let a8 = a8.unwrap_or_else(|| mul(a4.as_ref(), a4.as_ref(), par));
            (
                combo(
                    n,
                    &[(B9[9], &a8), (B9[7], &a6), (B9[5], &a4), (B9[3], &a2)],
                    B9[1],
                ),
                combo(
                    n,
                    &[(B9[8], &a8), (B9[6], &a6), (B9[4], &a4), (B9[2], &a2)],
                    B9[0],
                ),
            )
        }
        _ => {
            let hi_u = combo(n, &[(B13[13], &a6), (B13[11], &a4), (B13[9], &a2)], 0.0);
            let hi_v = combo(n, &[(B13[12], &a6), (B13[10], &a4), (B13[8], &a2)], 0.0);
            let mut inner = combo(n, &[(B13[7], &a6), (B13[5], &a4), (B13[3], &a2)], B13[1]);
            super::gemm(
                inner.as_mut(),
                true,
                a6.as_ref(),
                hi_u.as_ref(),
                T::one(),
                par,
            );
            let mut v = combo(n, &[(B13[6], &a6), (B13[4], &a4), (B13[2], &a2)], B13[0]);
            super::gemm(v.as_mut(), true, a6.as_ref(), hi_v.as_ref(), T::one(), par);
            (inner, v)
        }
    };
    let u = mul(a1.as_ref(), inner.as_ref(), par);
    let q = Mat::from_fn(n, n, |i, j| v[(i, j)] - u[(i, j)]);
    let mut r = Mat::from_fn(n, n, |i, j| v[(i, j)] + u[(i, j)]);
    let f = lu::factor(q, par);
    if f.first_zero_pivot().is_some() {
        return Ok(vec![real(vec![n, n], vec![T::nan(); n * n])]);
    }
    lu::solve_in_place(&f, r.as_mut(), false, par);
    let triangular = !lower_bw || !upper_bw;
    if s > 0 {
        if triangular {
            let upper = !lower_bw;
            let diag: Vec<T> = (0..n).map(|i| a[(i, i)]).collect();
            let sd: Vec<T> = (0..n - 1)
                .map(|i| if upper { a[(i, i + 1)] } else { a[(i + 1, i)] })
                .collect();
            let two = T::of_f64(2.0);
            let f = two.powi(-s);
            for i in 0..n {
                r[(i, i)] = (diag[i] * f).exp();
            }
            for i in (0..s).rev() {
                r = mul(r.as_ref(), r.as_ref(), par);
                let f = two.powi(-i);
                let d: Vec<T> = diag.iter().map(|&x| x * f).collect();
                for k in 0..n {
                    r[(k, k)] = d[k].exp();
                }
                let e = exp_sinch(&d);
                for k in 0..n - 1 {
                    let v = e[k] * (sd[k] * f);
                    if upper {
                        r[(k, k + 1)] = v;
                    } else {
                        r[(k + 1, k)] = v;
                    }
                }
            }
        } else {
            for _ in 0..s {
                r = mul(r.as_ref(), r.as_ref(), par);
            }
        }
    }
    if triangular {
        let upper = !lower_bw;
        for j in 0..n {
            for i in 0..n {
                if (upper && i > j) || (!upper && i < j) {
                    r[(i, j)] = T::zero();
                }
            }
        }
    }
    Ok(vec![real_mat(r.as_ref())?])
}
