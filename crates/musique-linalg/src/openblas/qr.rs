//! QR over geqrf + orgqr, in SciPy's modes.

use super::{check, lwork, to_i, Cm, Lapack};
use crate::{LinalgError, MatRef, Output, QrMode, Real, Result};

pub(super) fn qr<T: Real, F: Lapack>(x: &MatRef<'_, T>, mode: QrMode) -> Result<Vec<Output<T>>> {
    let mut a = Cm::<F>::of(x);
    let (m, n) = (a.m, a.n);
    let k = m.min(n);
    let mut tau = vec![F::zero(); k];
    if k > 0 {
        let (mi, ni, ld) = (to_i(m)?, to_i(n)?, a.ld());
        let mut info = 0;
        let mut q = F::zero();
        // SAFETY: a m×n column-major, tau min(m, n); workspace query first.
        unsafe {
            (F::GEQRF)(
                &mi,
                &ni,
                a.a.as_mut_ptr(),
                &ld,
                tau.as_mut_ptr(),
                &mut q,
                &-1,
                &mut info,
            )
        };
        check(info, |_| LinalgError::NoConvergence)?;
        let lw = lwork(q);
        let mut work = vec![F::zero(); lw];
        let lw = to_i(lw)?;
        unsafe {
            (F::GEQRF)(
                &mi,
                &ni,
                a.a.as_mut_ptr(),
                &ld,
                tau.as_mut_ptr(),
                work.as_mut_ptr(),
                &lw,
                &mut info,
            )
        };
        check(info, |_| LinalgError::NoConvergence)?;
    }
    let rrows = if mode == QrMode::Economic { k } else { m };
    let mut r = Cm::<F>::zeros(rrows, n);
    for j in 0..n {
        for i in 0..rrows.min(j + 1) {
            r.a[i + j * rrows] = a.at(i, j);
        }
    }
    if mode == QrMode::R {
        return Ok(vec![r.out()]);
    }
    let qc = if mode == QrMode::Full { m } else { k };
    let mut q = Cm::<F>::zeros(m, qc);
    for j in 0..qc.min(n) {
        for i in 0..m {
            q.a[i + j * m] = a.at(i, j);
        }
    }
    if m > 0 && qc > 0 {
        let (mi, qi, ki, ld) = (to_i(m)?, to_i(qc)?, to_i(k)?, q.ld());
        let mut info = 0;
        let mut w = F::zero();
        let mut dummy = [F::zero(); 1];
        let tp = if tau.is_empty() {
            dummy.as_mut_ptr()
        } else {
            tau.as_mut_ptr()
        };
        // SAFETY: q m×qc with its first k columns the reflectors, tau k;
        // m >= qc >= k. Workspace query first.
        unsafe {
            (F::ORGQR)(
                &mi,
                &qi,
                &ki,
                q.a.as_mut_ptr(),
                &ld,
                tp,
                &mut w,
                &-1,
                &mut info,
            )
        };
        check(info, |_| LinalgError::NoConvergence)?;
        let lw = lwork(w);
        let mut work = vec![F::zero(); lw];
        let lw = to_i(lw)?;
        unsafe {
            (F::ORGQR)(
                &mi,
                &qi,
                &ki,
                q.a.as_mut_ptr(),
                &ld,
                tp,
                work.as_mut_ptr(),
                &lw,
                &mut info,
            )
        };
        check(info, |_| LinalgError::NoConvergence)?;
    }
    Ok(vec![q.out(), r.out()])
}
