//! Eigenvalues and vectors: geev for eig, syevr for eigh.

use super::{ch, check, invalid, lwork, to_i, vec_out, Cm, Lapack, To64, I};
use crate::{LinalgError, MatRef, Output, Real, Result};

pub(super) fn eig<T: Real, F: Lapack>(x: &MatRef<'_, T>, right: bool) -> Result<Vec<Output<T>>> {
    let mut a = Cm::<F>::of(x);
    let n = a.n;
    let mut wr = vec![F::zero(); n];
    let mut wi = vec![F::zero(); n];
    let mut vr = Cm::<F>::zeros(if right { n } else { 0 }, if right { n } else { 0 });
    if n > 0 {
        let (ni, ld) = (to_i(n)?, a.ld());
        let (jl, jr) = (ch(b'N'), ch(if right { b'V' } else { b'N' }));
        let ldvr = if right { ld } else { 1 };
        let mut dummy = [F::zero(); 1];
        let mut dummy2 = [F::zero(); 1];
        let vp = if right {
            vr.a.as_mut_ptr()
        } else {
            dummy2.as_mut_ptr()
        };
        let mut info = 0;
        let mut q = F::zero();
        // SAFETY: a n×n, wr/wi n, vr n×n when right (ld max(1, n)), vl unused
        // (ld 1). Workspace query first.
        unsafe {
            (F::GEEV)(
                &jl,
                &jr,
                &ni,
                a.a.as_mut_ptr(),
                &ld,
                wr.as_mut_ptr(),
                wi.as_mut_ptr(),
                dummy.as_mut_ptr(),
                &1,
                vp,
                &ldvr,
                &mut q,
                &-1,
                &mut info,
                1,
                1,
            )
        };
        check(info, |_| LinalgError::NoConvergence)?;
        let lw = lwork(q);
        let mut work = vec![F::zero(); lw];
        let lw = to_i(lw)?;
        unsafe {
            (F::GEEV)(
                &jl,
                &jr,
                &ni,
                a.a.as_mut_ptr(),
                &ld,
                wr.as_mut_ptr(),
                wi.as_mut_ptr(),
                dummy.as_mut_ptr(),
                &1,
                vp,
                &ldvr,
                work.as_mut_ptr(),
                &lw,
                &mut info,
                1,
                1,
            )
        };
        check(info, |_| LinalgError::NoConvergence)?;
    }
    let c = |v: F| T::of_f64(v.to64());
    let w: Vec<T> = (0..n).flat_map(|j| [c(wr[j]), c(wi[j])]).collect();
    let mut out = vec![Output::Complex {
        shape: vec![n],
        data: w,
    }];
    if right {
        // A complex pair j, j+1 (wi[j] > 0) stores re in column j, im in j+1.
        let mut v = vec![T::zero(); 2 * n * n];
        let mut j = 0;
        while j < n {
            if wi[j] != F::zero() && j + 1 < n {
                for i in 0..n {
                    let (re, im) = (vr.at(i, j), vr.at(i, j + 1));
                    v[2 * (i * n + j)] = c(re);
                    v[2 * (i * n + j) + 1] = c(im);
                    v[2 * (i * n + j + 1)] = c(re);
                    v[2 * (i * n + j + 1) + 1] = c(-im);
                }
                j += 2;
            } else {
                for i in 0..n {
                    v[2 * (i * n + j)] = c(vr.at(i, j));
                }
                j += 1;
            }
        }
        out.push(Output::Complex {
            shape: vec![n, n],
            data: v,
        });
    }
    Ok(out)
}

pub(super) fn eigh<T: Real, F: Lapack>(
    x: &MatRef<'_, T>,
    lower: bool,
    vectors: bool,
    subset: Option<(usize, usize)>,
) -> Result<Vec<Output<T>>> {
    let mut a = Cm::<F>::of(x);
    let n = a.n;
    if let Some((lo, hi)) = subset {
        if lo > hi || hi >= n {
            return invalid(format!("eigh: subset ({lo}, {hi}) outside 0..{n}"));
        }
    }
    let cnt = subset.map_or(n, |(lo, hi)| hi - lo + 1);
    let mut w = vec![F::zero(); n];
    let mut z = Cm::<F>::zeros(if vectors { n } else { 0 }, if vectors { cnt } else { 0 });
    let mut found: I = 0;
    if n > 0 {
        let (ni, ld) = (to_i(n)?, a.ld());
        let (il, iu) = subset.map_or((1, n as I), |(lo, hi)| (lo as I + 1, hi as I + 1));
        let (jz, rg, up) = (
            ch(if vectors { b'V' } else { b'N' }),
            ch(if subset.is_some() { b'I' } else { b'A' }),
            ch(if lower { b'L' } else { b'U' }),
        );
        let (vl, vu, abstol) = (F::zero(), F::zero(), F::zero());
        let mut dummy = [F::zero(); 1];
        let zp = if vectors {
            z.a.as_mut_ptr()
        } else {
            dummy.as_mut_ptr()
        };
        let ldz = if vectors { ld } else { 1 };
        let mut isuppz = vec![0 as I; 2 * n];
        let mut info = 0;
        let (mut q, mut qi) = (F::zero(), 0 as I);
        // SAFETY: a n×n, w n, z n×cnt when vectors (ld max(1, n)), isuppz 2n;
        // workspace query first (work and iwork sizes).
        unsafe {
            (F::SYEVR)(
                &jz,
                &rg,
                &up,
                &ni,
                a.a.as_mut_ptr(),
                &ld,
                &vl,
                &vu,
                &il,
                &iu,
                &abstol,
                &mut found,
                w.as_mut_ptr(),
                zp,
                &ldz,
                isuppz.as_mut_ptr(),
                &mut q,
                &-1,
                &mut qi,
                &-1,
                &mut info,
                1,
                1,
                1,
            )
        };
        check(info, |_| LinalgError::NoConvergence)?;
        let lw = lwork(q);
        let mut work = vec![F::zero(); lw];
        let mut iwork = vec![0 as I; qi.max(1) as usize];
        let (lw, liw) = (to_i(lw)?, to_i(iwork.len())?);
        unsafe {
            (F::SYEVR)(
                &jz,
                &rg,
                &up,
                &ni,
                a.a.as_mut_ptr(),
                &ld,
                &vl,
                &vu,
                &il,
                &iu,
                &abstol,
                &mut found,
                w.as_mut_ptr(),
                zp,
                &ldz,
                isuppz.as_mut_ptr(),
                work.as_mut_ptr(),
                &lw,
                iwork.as_mut_ptr(),
                &liw,
                &mut info,
                1,
                1,
                1,
            )
        };
        check(info, |_| LinalgError::NoConvergence)?;
        if found as usize != cnt {
            return Err(LinalgError::NoConvergence);
        }
    }
    let mut out = vec![vec_out::<T, F>(&w[..cnt])];
    if vectors {
        out.push(z.out());
    }
    Ok(out)
}
