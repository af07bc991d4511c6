//! Everything built on the SVD A = U·diag(s)·Vᵀ (faer `svd::svd`, s
//! descending): svd itself; lstsq as gelsd (x = V·diag(1/sᵢ)·Uᵀ·b over the
//! sᵢ > rcond·s_max, residues ‖b − A·x‖² per column when m > n and the rank
//! is full), through a QR of A or Aᵀ first so that only the square R meets
//! the SVD ([`lstsq_qr`]); pinv (V·diag(1/sᵢ)·Uᵀ over sᵢ > atol + rtol·s_max);
//! numpy's cond (s_max/s_min, or ‖A‖·‖A⁻¹‖ in another norm) and
//! matrix_rank (#sᵢ > tol).
//!
//! Every one of them goes through [`compute`] (lstsq through
//! [`compute_scaled`], scaling A itself before its QR), which scales A into
//! LAPACK's safe range first (see [`super::svd_core`]).

use faer::linalg::svd::ComputeSvdVectors;
use faer::linalg::triangular_solve as ts;
use faer::Mat;

use super::svd_core::{compute, compute_scaled, singular_values, Svd};
use super::{
    expect_inputs, int_scalar, invalid, lu, max_abs, mul_pow2, norms, qr, real, real_mat,
    safe_range_exp, scalar, scale_pow2, to_mat, view,
};
use crate::{LinalgError, MatRef, MatrixOrd, Output, Real, Result};

fn s_max<T: Real>(s: &[T]) -> T {
    s.iter()
        .copied()
        .fold(T::zero(), |a, b| if b > a { b } else { a })
}

pub(super) fn svd<T: Real>(
    inputs: &[MatRef<'_, T>],
    full_matrices: bool,
    compute_uv: bool,
    par: faer::Par,
) -> Result<Vec<Output<T>>> {
    let a = &expect_inputs(inputs, 1, "svd")?[0];
    let k = a.rows.min(a.cols);
    let vectors = match (compute_uv, full_matrices) {
        (false, _) => ComputeSvdVectors::No,
        (true, true) => ComputeSvdVectors::Full,
        (true, false) => ComputeSvdVectors::Thin,
    };
    let r = compute(view(a), vectors, par)?;
    let s = real(vec![k], r.s);
    match (r.u, r.v) {
        (Some(u), Some(v)) => Ok(vec![real_mat(u.as_ref())?, s, real_mat(v.transpose())?]),
        _ => Ok(vec![s]),
    }
}

/// V·diag(1/sᵢ)·Uᵀ·b·2^exp over the first `rank` singular values, where
/// `b` is the right-hand side scaled by 2^b_exp and exp = `r.exp` − b_exp:
/// A⁺·b = 2^exp·(2^exp·A)⁺·(2^-b_exp·b), computed in the safe range (the
/// scaled singular values) and unscaled once at the end, as gelsd.
/// `b` None stands for the identity (A⁺ itself: Uᵀ·I is Uᵀ, and an m×m
/// identity would be far larger than A⁺ when m ≫ n).
fn apply_pinv<T: Real>(
    r: &Svd<T>,
    rank: usize,
    b: Option<faer::MatRef<'_, T>>,
    b_exp: i32,
    par: faer::Par,
) -> Result<Mat<T>> {
    let (Some(u), Some(v)) = (r.u.as_ref(), r.v.as_ref()) else {
        return Err(invalid("pinv: the SVD has no singular vectors"));
    };
    let n = v.nrows();
    let ut = u.as_ref().get(.., 0..rank).transpose();
    if rank == 0 {
        return Ok(Mat::zeros(n, b.map_or(u.nrows(), |b| b.ncols())));
    }
    let mut utb = match b {
        Some(b) => super::mul(ut, b, par),
        None => ut.to_owned(),
    };
    for i in 0..rank {
        let inv = r.s_scaled[i].recip();
        for j in 0..utb.ncols() {
            utb[(i, j)] *= inv;
        }
    }
    let mut x = super::mul(v.as_ref().get(.., 0..rank), utb.as_ref(), par);
    scale_pow2(x.as_mut(), r.exp - b_exp);
    Ok(x)
}

pub(super) fn lstsq<T: Real>(
    inputs: &[MatRef<'_, T>],
    cond: Option<f64>,
    par: faer::Par,
) -> Result<Vec<Output<T>>> {
    let ins = expect_inputs(inputs, 2, "lstsq")?;
    let (a, b) = (&ins[0], &ins[1]);
    let (m, n, nrhs) = (a.rows, a.cols, b.cols);
    if b.rows != m {
        return Err(invalid(format!(
            "lstsq: b has {} rows, expected {m}",
            b.rows
        )));
    }
    let k = m.min(n);
    if k == 0 {
        // scipy: x zeros; residues ‖b‖² per column when n == 0, else empty.
        let residues = if n == 0 {
            (0..nrhs)
                .map(|j| {
                    (0..m).fold(T::zero(), |acc, i| {
                        acc + b.data[i * nrhs + j] * b.data[i * nrhs + j]
                    })
                })
                .collect::<Vec<_>>()
        } else {
            vec![]
        };
        return Ok(vec![
            real(vec![n, nrhs], vec![T::zero(); n * nrhs]),
            real(vec![residues.len()], residues),
            int_scalar(0),
            real(vec![0], vec![]),
        ]);
    }
    // gelsd: rcond < 0 (SciPy's None) means machine epsilon.
    let rcond = match cond {
        Some(c) if c >= 0.0 => T::of_f64(c),
        _ => T::EPS,
    };
    let mut bs = to_mat(b);
    let b_exp = safe_range_exp(max_abs(bs.as_ref()));
    scale_pow2(bs.as_mut(), b_exp);
    lstsq_qr(a, bs, b_exp, rcond, par)
}

/// The number of singular values above rcond·s_max.
fn rank_of<T: Real>(s: &[T], rcond: T) -> usize {
    let thresh = rcond * s_max(s);
    s.iter().take_while(|&&s| s > thresh).count()
}

/// lstsq through a QR factorization, as gelsd's path for m ≫ n but for
/// every shape: A = Q·R when m ≥ n, Aᵀ = Q·R (A = Rᵀ·Qᵀ) when m < n, so
/// that only the k×k R (k = min(m, n)) meets an SVD and neither Q nor A's
/// singular vectors are formed. s and the rank are R's. At full rank x
/// needs no singular vectors: R⁻¹·(Qᵀb)₁ (m ≥ n), or Q·[R⁻ᵀb; 0] (the
/// minimum-norm solution, m < n); below it, x = V·Σ⁻¹·U_Rᵀ·(Qᵀb)₁, or
/// Q·[U_R·Σ⁻¹·V_Rᵀ·b; 0]. Residues (m > n, full rank) are ‖(Qᵀb)₂‖², as
/// gelsd leaves them. `bs` is b scaled by 2^b_exp; lstsq's outputs come
/// back unscaled.
fn lstsq_qr<T: Real>(
    a: &MatRef<'_, T>,
    bs: Mat<T>,
    b_exp: i32,
    rcond: T,
    par: faer::Par,
) -> Result<Vec<Output<T>>> {
    let (m, n) = (a.rows, a.cols);
    let wide = m < n;
    // Aᵀ in column-major order is A's row-major data as it stands.
    let mut qr = if wide {
        view(a).transpose().to_owned()
    } else {
        to_mat(a)
    };
    let k = qr.ncols();
    let exp = safe_range_exp(max_abs(qr.as_ref()));
    scale_pow2(qr.as_mut(), exp);
    let h = qr::factor(qr.as_mut(), par);
    let mut c = bs;
    if !wide {
        qr::apply_q(qr.as_ref(), h.as_ref(), true, c.as_mut(), par);
    }
    let r = Mat::from_fn(k, k, |i, j| if i <= j { qr[(i, j)] } else { T::zero() });
    // A diagonal entry of R at or below rcond·max|rᵢᵢ| bounds s_min from
    // above: rank deficient for sure, so go straight to the vectors.
    let (dmin, dmax) = (0..k).fold((T::infinity(), T::zero()), |(lo, hi), i| {
        let d = r[(i, i)].abs();
        (lo.min(d), hi.max(d))
    });
    let mut full = None;
    if dmin > rcond * dmax {
        let sv = compute_scaled(r.as_ref(), exp, ComputeSvdVectors::No, par)?;
        if rank_of(&sv.s_scaled, rcond) == k {
            full = Some(sv);
        }
    }
    let rt = qr.as_ref().get(0..k, 0..k);
    let (y, rank, s) = match full {
        Some(sv) => {
            let mut y = c.as_ref().get(0..k, ..).to_owned();
            if wide {
                ts::solve_lower_triangular_in_place(rt.transpose(), y.as_mut(), par);
            } else {
                ts::solve_upper_triangular_in_place(rt, y.as_mut(), par);
            }
            scale_pow2(y.as_mut(), exp - b_exp);
            (y, k, sv.s)
        }
        None => {
            let mut sv = compute_scaled(r.as_ref(), exp, ComputeSvdVectors::Thin, par)?;
            if wide {
                // pinv(Rᵀ) = U_R·Σ⁻¹·V_Rᵀ.
                std::mem::swap(&mut sv.u, &mut sv.v);
            }
            let rank = rank_of(&sv.s_scaled, rcond);
            let y = apply_pinv(&sv, rank, Some(c.as_ref().get(0..k, ..)), b_exp, par)?;
            (y, rank, sv.s)
        }
    };
    let x = if wide {
        let mut x = Mat::<T>::zeros(n, y.ncols());
        x.as_mut().get_mut(0..k, ..).copy_from(y.as_ref());
        qr::apply_q(qr.as_ref(), h.as_ref(), false, x.as_mut(), par);
        x
    } else {
        y
    };
    let residues = if m > n && rank == n {
        (0..c.ncols())
            .map(|j| {
                let ss = (n..m).fold(T::zero(), |acc, i| acc + c[(i, j)] * c[(i, j)]);
                mul_pow2(ss, -2 * b_exp)
            })
            .collect()
    } else {
        vec![]
    };
    Ok(vec![
        real_mat(x.as_ref())?,
        real(vec![residues.len()], residues),
        int_scalar(rank),
        real(vec![k], s),
    ])
}

pub(super) fn pinv<T: Real>(
    inputs: &[MatRef<'_, T>],
    atol: Option<f64>,
    rtol: Option<f64>,
    par: faer::Par,
) -> Result<Vec<Output<T>>> {
    let a = &expect_inputs(inputs, 1, "pinv")?[0];
    let (m, n) = (a.rows, a.cols);
    let atol = atol.unwrap_or(0.0);
    let rtol = rtol.unwrap_or(m.max(n) as f64 * T::EPS.to_f64());
    if atol < 0.0 || rtol < 0.0 {
        return Err(invalid("atol and rtol values must be positive."));
    }
    if m.min(n) == 0 {
        return Ok(vec![real(vec![n, m], vec![T::zero(); n * m])]);
    }
    let r = compute(view(a), ComputeSvdVectors::Thin, par)?;
    let val = T::of_f64(atol) + s_max(&r.s) * T::of_f64(rtol);
    let rank = r.s.iter().filter(|&&s| s > val).count();
    let x = apply_pinv(&r, rank, None, 0, par)?;
    Ok(vec![real_mat(x.as_ref())?])
}

pub(super) fn cond<T: Real>(
    inputs: &[MatRef<'_, T>],
    p: Option<MatrixOrd>,
    par: faer::Par,
) -> Result<Vec<Output<T>>> {
    let a = &expect_inputs(inputs, 1, "cond")?[0];
    if a.rows == 0 || a.cols == 0 {
        return Err(invalid("cond is not defined on empty arrays"));
    }
    let r = match p {
        None | Some(MatrixOrd::Two) | Some(MatrixOrd::NegTwo) => {
            // The ratio of the scaled values: unscaling cancels out.
            let s = singular_values(view(a), par)?.s_scaled;
            let (first, last) = (s[0], s[s.len() - 1]);
            if p == Some(MatrixOrd::NegTwo) {
                last / first
            } else {
                first / last
            }
        }
        Some(ord) => {
            if a.rows != a.cols {
                return Err(invalid(format!(
                    "cond: p = {ord:?} needs a square matrix, got {}x{}",
                    a.rows, a.cols
                )));
            }
            match lu::inverse(to_mat(a), par) {
                Ok(inv) => {
                    let na = norms::matrix_norm_of(view(a), ord, par)?;
                    let ni = norms::matrix_norm_of(inv.as_ref(), ord, par)?;
                    na * ni
                }
                Err(LinalgError::Singular { .. }) => T::infinity(),
                Err(e) => return Err(e),
            }
        }
    };
    // numpy: NaN becomes inf unless the input itself has NaN.
    let r = if r.is_nan() && !a.data.iter().any(|x| x.is_nan()) {
        T::infinity()
    } else {
        r
    };
    Ok(vec![scalar(r)])
}

pub(super) fn matrix_rank<T: Real>(
    inputs: &[MatRef<'_, T>],
    tol: Option<f64>,
    par: faer::Par,
) -> Result<Vec<Output<T>>> {
    let a = &expect_inputs(inputs, 1, "matrix_rank")?[0];
    if a.rows.min(a.cols) == 0 {
        return Ok(vec![int_scalar(0)]);
    }
    let s = singular_values(view(a), par)?.s;
    let tol = match tol {
        Some(t) => T::of_f64(t),
        None => s_max(&s) * T::of_f64(a.rows.max(a.cols) as f64) * T::EPS,
    };
    Ok(vec![int_scalar(s.iter().filter(|&&x| x > tol).count())])
}
