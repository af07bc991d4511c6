//! LU over getrf / getrs / getri: the factorization behind solve, inv,
//! det, slogdet, lu, lu_factor and lu_solve.

use super::{ch, check, lwork, to_i, Cm, Lapack, I};
use crate::{LinalgError, Result};

/// getrf; a zero pivot is `Singular { index }` (as SciPy's solve / inv).
pub(super) fn getrf<F: Lapack>(a: &mut Cm<F>) -> Result<Vec<I>> {
    let (piv, info) = getrf_raw(a)?;
    check(info, |i| LinalgError::Singular { index: i })?;
    Ok(piv)
}

/// getrf keeping a singular factor (lu, lu_factor, det).
pub(super) fn getrf_any<F: Lapack>(a: &mut Cm<F>) -> Result<Vec<I>> {
    let (piv, info) = getrf_raw(a)?;
    check(info.min(0), |_| unreachable!())?;
    Ok(piv)
}

pub(super) fn getrf_raw<F: Lapack>(a: &mut Cm<F>) -> Result<(Vec<I>, I)> {
    let k = a.m.min(a.n);
    let mut piv = vec![0 as I; k];
    if k == 0 {
        return Ok((piv, 0));
    }
    let (m, n, ld) = (to_i(a.m)?, to_i(a.n)?, a.ld());
    let mut info = 0;
    // SAFETY: a is m×n column-major with ld max(1, m); piv holds min(m, n).
    unsafe { (F::GETRF)(&m, &n, a.a.as_mut_ptr(), &ld, piv.as_mut_ptr(), &mut info) };
    Ok((piv, info))
}

pub(super) fn getrs<F: Lapack>(lu: &Cm<F>, piv: &[I], trans: u8, b: &mut Cm<F>) -> Result<()> {
    let (n, k, ld) = (to_i(lu.n)?, to_i(b.n)?, lu.ld());
    let mut info = 0;
    let t = ch(trans);
    // SAFETY: lu n×n, piv n, b n×k, column-major, ld max(1, n).
    unsafe {
        (F::GETRS)(
            &t,
            &n,
            &k,
            lu.a.as_ptr(),
            &ld,
            piv.as_ptr(),
            b.a.as_mut_ptr(),
            &ld,
            &mut info,
            1,
        )
    };
    check(info, |i| LinalgError::Singular { index: i })
}

pub(super) fn getri<F: Lapack>(a: &mut Cm<F>, piv: &[I]) -> Result<()> {
    let (n, ld) = (to_i(a.n)?, a.ld());
    let mut info = 0;
    let mut q = F::zero();
    // SAFETY: workspace query (lwork = -1), then the call with that workspace.
    unsafe {
        (F::GETRI)(
            &n,
            a.a.as_mut_ptr(),
            &ld,
            piv.as_ptr(),
            &mut q,
            &-1,
            &mut info,
        )
    };
    check(info, |i| LinalgError::Singular { index: i })?;
    let lw = lwork(q);
    let mut work = vec![F::zero(); lw];
    let lw = to_i(lw)?;
    unsafe {
        (F::GETRI)(
            &n,
            a.a.as_mut_ptr(),
            &ld,
            piv.as_ptr(),
            work.as_mut_ptr(),
            &lw,
            &mut info,
        )
    };
    check(info, |i| LinalgError::Singular { index: i })
}
