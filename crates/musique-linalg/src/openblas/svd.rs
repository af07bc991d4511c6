//! Everything built on the SVD besides svd itself: lstsq over gelsd with
//! SciPy's defaults, and numpy's cond.

use super::lu::{getrf_raw, getri};
use super::norms::matrix_norm;
use super::svd_core::gesdd;
use super::{check, lwork, to_i, vec_out, Cm, Lapack, To64, I};
use crate::{LinalgError, MatRef, MatrixOrd, Output, Real, Result};

/// gelsd with SciPy's defaults; empty problems answered as SciPy does.
pub(super) fn lstsq<T: Real, F: Lapack>(
    a: &MatRef<'_, T>,
    b: &MatRef<'_, T>,
    cond: Option<f64>,
) -> Result<Vec<Output<T>>> {
    let (m, n, k) = (a.rows, a.cols, b.cols);
    let rank = |r: usize| Output::Int {
        shape: vec![],
        data: vec![r as i32],
    };
    if m == 0 || n == 0 {
        // x = 0; with no unknowns every column of b is its own residual.
        let bb = Cm::<F>::of(b);
        let residues: Vec<F> = if n == 0 {
            (0..k)
                .map(|j| (0..m).fold(F::zero(), |acc, i| acc + bb.at(i, j) * bb.at(i, j)))
                .collect()
        } else {
            vec![]
        };
        return Ok(vec![
            Cm::<F>::zeros(n, k).out(),
            vec_out(&residues),
            rank(0),
            vec_out::<T, F>(&[]),
        ]);
    }
    let mut aa = Cm::<F>::of(a);
    let ldb = m.max(n);
    // gelsd's lalsd rejects nrhs = 0: solve for one zero column instead
    // (s and rank do not depend on b) and keep none.
    let mut bb = Cm::<F>::zeros(ldb, k.max(1));
    for j in 0..k {
        for i in 0..m {
            bb.a[i + j * ldb] = F::of_f64(b.data[i * k + j].to64());
        }
    }
    let mut s = vec![F::zero(); m.min(n)];
    let rcond = F::of_f64(cond.unwrap_or(F::EPS.to64()));
    let (mi, ni, ki, lda, ldbi) = (to_i(m)?, to_i(n)?, to_i(k.max(1))?, aa.ld(), to_i(ldb)?);
    let mut r: I = 0;
    let mut info = 0;
    let mut q = F::zero();
    let mut qi: I = 0;
    let bp = bb.a.as_mut_ptr();
    // SAFETY: a m×n (ld max(1, m)), b max(m, n)×max(k, 1), s min(m, n); workspace
    // query first (returns work and iwork sizes).
    unsafe {
        (F::GELSD)(
            &mi,
            &ni,
            &ki,
            aa.a.as_mut_ptr(),
            &lda,
            bp,
            &ldbi,
            s.as_mut_ptr(),
            &rcond,
            &mut r,
            &mut q,
            &-1,
            &mut qi,
            &mut info,
        )
    };
    check(info, |_| LinalgError::NoConvergence)?;
    let lw = lwork(q);
    let mut work = vec![F::zero(); lw];
    let mut iwork = vec![0 as I; (qi.max(1)) as usize];
    let lw = to_i(lw)?;
    unsafe {
        (F::GELSD)(
            &mi,
            &ni,
            &ki,
            aa.a.as_mut_ptr(),
            &lda,
            bp,
            &ldbi,
            s.as_mut_ptr(),
            &rcond,
            &mut r,
            work.as_mut_ptr(),
            &lw,
            iwork.as_mut_ptr(),
            &mut info,
        )
    };
    check(info, |_| LinalgError::NoConvergence)?;
    let xs = bb.block(n, k);
    let residues: Vec<F> = if m > n && r as usize == n {
        (0..k)
            .map(|j| {
                (n..m).fold(F::zero(), |acc, i| {
                    acc + bb.a[i + j * ldb] * bb.a[i + j * ldb]
                })
            })
            .collect()
    } else {
        vec![]
    };
    Ok(vec![
        xs.out(),
        vec_out(&residues),
        rank(r as usize),
        vec_out(&s),
    ])
}

/// numpy.linalg.cond: s_max / s_min for None and 2 (s_min / s_max for -2),
/// else ‖a‖ ‖a⁻¹‖ with inf for a singular a.
pub(super) fn cond<T: Real, F: Lapack>(x: &MatRef<'_, T>, p: Option<MatrixOrd>) -> Result<f64> {
    match p {
        None | Some(MatrixOrd::Two) | Some(MatrixOrd::NegTwo) => {
            let (_, s, _) = gesdd(&mut Cm::<F>::of(x), None)?;
            let (hi, lo) = (s[0], s[s.len() - 1]);
            let r = if p == Some(MatrixOrd::NegTwo) {
                lo / hi
            } else {
                hi / lo
            };
            Ok(if r.is_nan() { f64::INFINITY } else { r.to64() })
        }
        Some(ord) => {
            let mut a = Cm::<F>::of(x);
            let (piv, info) = getrf_raw(&mut a)?;
            if info > 0 {
                return Ok(f64::INFINITY);
            }
            check(info, |_| unreachable!())?;
            getri(&mut a, &piv)?;
            let inv = a.out::<T>();
            let Output::Real { data, .. } = &inv else {
                unreachable!()
            };
            let ai = MatRef::new(data, x.rows, x.cols);
            let r = matrix_norm::<T, F>(x, ord, false)? * matrix_norm::<T, F>(&ai, ord, false)?;
            Ok(if r.is_nan() { f64::INFINITY } else { r })
        }
    }
}
