//! The symmetric and positive definite solvers (sytrf+sytrs as SciPy's sysv,
//! potrf / potrs for cholesky and cho_solve).

use super::{ch, check, lwork, to_i, Cm, Lapack, I};
use crate::{LinalgError, Result};

/// sytrf + sytrs (SciPy's sysv): Bunch–Kaufman on the chosen triangle.
pub(super) fn sysv<F: Lapack>(a: &mut Cm<F>, lower: bool, b: &mut Cm<F>) -> Result<()> {
    let (n, k, ld) = (to_i(a.n)?, to_i(b.n)?, a.ld());
    let u = ch(if lower { b'L' } else { b'U' });
    let mut piv = vec![0 as I; a.n];
    let mut info = 0;
    let mut q = F::zero();
    // SAFETY: a n×n, piv n, b n×k, column-major, ld max(1, n); workspace
    // query first.
    unsafe {
        (F::SYTRF)(
            &u,
            &n,
            a.a.as_mut_ptr(),
            &ld,
            piv.as_mut_ptr(),
            &mut q,
            &-1,
            &mut info,
            1,
        )
    };
    check(info, |i| LinalgError::Singular { index: i })?;
    let lw = lwork(q);
    let mut work = vec![F::zero(); lw];
    let lw = to_i(lw)?;
    unsafe {
        (F::SYTRF)(
            &u,
            &n,
            a.a.as_mut_ptr(),
            &ld,
            piv.as_mut_ptr(),
            work.as_mut_ptr(),
            &lw,
            &mut info,
            1,
        )
    };
    check(info, |i| LinalgError::Singular { index: i })?;
    unsafe {
        (F::SYTRS)(
            &u,
            &n,
            &k,
            a.a.as_ptr(),
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

pub(super) fn potrf<F: Lapack>(a: &mut Cm<F>, lower: bool) -> Result<()> {
    let (n, ld) = (to_i(a.n)?, a.ld());
    let u = ch(if lower { b'L' } else { b'U' });
    let mut info = 0;
    // SAFETY: a n×n column-major, ld max(1, n).
    unsafe { (F::POTRF)(&u, &n, a.a.as_mut_ptr(), &ld, &mut info, 1) };
    check(info, |i| LinalgError::NotPositiveDefinite { index: i })
}

pub(super) fn potrs<F: Lapack>(c: &Cm<F>, lower: bool, b: &mut Cm<F>) -> Result<()> {
    let (n, k, ld) = (to_i(c.n)?, to_i(b.n)?, c.ld());
    let u = ch(if lower { b'L' } else { b'U' });
    let mut info = 0;
    // SAFETY: c n×n, b n×k, column-major, ld max(1, n).
    unsafe {
        (F::POTRS)(
            &u,
            &n,
            &k,
            c.a.as_ptr(),
            &ld,
            b.a.as_mut_ptr(),
            &ld,
            &mut info,
            1,
        )
    };
    check(info, |i| LinalgError::NotPositiveDefinite { index: i })
}
