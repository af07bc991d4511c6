//! gesdd, the SVD that svd.rs and norms.rs both build on; it sits below
//! them so that neither imports the other for it.

use super::{ch, check, lwork, to_i, Cm, Lapack, I};
use crate::{LinalgError, Result};

/// gesdd of a non-empty a (destroyed). `uv`: None for s only, Some(full).
#[allow(clippy::type_complexity)]
pub(super) fn gesdd<F: Lapack>(
    a: &mut Cm<F>,
    uv: Option<bool>,
) -> Result<(Option<Cm<F>>, Vec<F>, Option<Cm<F>>)> {
    let (m, n) = (a.m, a.n);
    let k = m.min(n);
    let mut s = vec![F::zero(); k];
    let (jobz, ucols, vrows) = match uv {
        None => (b'N', 0, 0),
        Some(true) => (b'A', m, n),
        Some(false) => (b'S', k, k),
    };
    let mut u = Cm::<F>::zeros(if uv.is_some() { m } else { 0 }, ucols);
    let mut vt = Cm::<F>::zeros(vrows, if uv.is_some() { n } else { 0 });
    let (mi, ni, lda) = (to_i(m)?, to_i(n)?, a.ld());
    let (ldu, ldvt) = (to_i(m.max(1))?, to_i(vrows.max(1))?);
    let mut iwork = vec![0 as I; 8 * k];
    let j = ch(jobz);
    let mut info = 0;
    let mut q = F::zero();
    // Keep pointers valid even for empty buffers (jobz 'N' never touches them).
    let mut dummy = [F::zero(); 1];
    let up = if u.a.is_empty() {
        dummy.as_mut_ptr()
    } else {
        u.a.as_mut_ptr()
    };
    let vp = if vt.a.is_empty() {
        dummy.as_mut_ptr()
    } else {
        vt.a.as_mut_ptr()
    };
    // SAFETY: buffers sized per gesdd's documentation for jobz; workspace
    // query first.
    unsafe {
        (F::GESDD)(
            &j,
            &mi,
            &ni,
            a.a.as_mut_ptr(),
            &lda,
            s.as_mut_ptr(),
            up,
            &ldu,
            vp,
            &ldvt,
            &mut q,
            &-1,
            iwork.as_mut_ptr(),
            &mut info,
            1,
        )
    };
    check(info, |_| LinalgError::NoConvergence)?;
    let lw = lwork(q);
    let mut work = vec![F::zero(); lw];
    let lw = to_i(lw)?;
    unsafe {
        (F::GESDD)(
            &j,
            &mi,
            &ni,
            a.a.as_mut_ptr(),
            &lda,
            s.as_mut_ptr(),
            up,
            &ldu,
            vp,
            &ldvt,
            work.as_mut_ptr(),
            &lw,
            iwork.as_mut_ptr(),
            &mut info,
            1,
        )
    };
    check(info, |_| LinalgError::NoConvergence)?;
    Ok(match uv {
        None => (None, s, None),
        Some(_) => (Some(u), s, Some(vt)),
    })
}
