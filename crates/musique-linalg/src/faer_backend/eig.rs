//! Eigenproblems. eig: faer `evd::evd_real` (Hessenberg reduction,
//! multishift QR to the real Schur form, back substitution), complex pairs
//! unpacked from LAPACK's (re, im) column layout, each eigenvector scaled to
//! unit 2-norm with its largest component real, as dgeev. eigh: faer
//! `evd::self_adjoint_evd` (tridiagonalisation, then QR /
//! divide-and-conquer), eigenvalues ascending, subset kept by index.

use faer::diag::Diag;
use faer::linalg::evd::{self, ComputeEigenvectors};
use faer::Mat;

use super::{expect_inputs, expect_square, invalid, mem, real, real_mat, stack, sym_lower, view};
use crate::{LinalgError, MatRef, Output, Real, Result};

pub(super) fn eig<T: Real>(
    inputs: &[MatRef<'_, T>],
    right: bool,
    par: faer::Par,
) -> Result<Vec<Output<T>>> {
    let a = &expect_inputs(inputs, 1, "eig")?[0];
    let n = expect_square(a, "eig")?;
    let mut s_re = Diag::<T>::zeros(n);
    let mut s_im = Diag::<T>::zeros(n);
    let mut ur = right.then(|| Mat::<T>::zeros(n, n));
    if n > 0 {
        let params = Default::default();
        let want = if right {
            ComputeEigenvectors::Yes
        } else {
            ComputeEigenvectors::No
        };
        let mut buf = mem(evd::evd_scratch::<T>(
            n,
            ComputeEigenvectors::No,
            want,
            par,
            params,
        ));
        evd::evd_real(
            view(a),
            s_re.as_mut(),
            s_im.as_mut(),
            None,
            ur.as_mut().map(|u| u.as_mut()),
            par,
            stack(&mut buf),
            params,
        )
        .map_err(|_| LinalgError::NoConvergence)?;
    }
    let mut w = Vec::with_capacity(2 * n);
    for i in 0..n {
        w.push(s_re[i]);
        w.push(s_im[i]);
    }
    let mut out = vec![Output::Complex {
        shape: vec![n],
        data: w,
    }];
    if let Some(u) = ur {
        // Complex n×n, interleaved, row-major.
        let mut v = vec![T::zero(); 2 * n * n];
        let mut j = 0;
        while j < n {
            if s_im[j] == T::zero() || j + 1 == n {
                let norm = col_norm((0..n).map(|i| (u[(i, j)], T::zero())));
                for i in 0..n {
                    v[2 * (i * n + j)] = u[(i, j)] / norm;
                }
                j += 1;
            } else {
                // Columns j, j+1 hold re and im of the vector for s_re + i·s_im;
                // its conjugate belongs to the next eigenvalue.
                let col = |i: usize| (u[(i, j)], u[(i, j + 1)]);
                let norm = col_norm((0..n).map(col));
                // Rotate so that the largest component is real (dgeev).
                let mut k = 0;
                let mut best = T::neg_infinity();
                for i in 0..n {
                    let (re, im) = col(i);
                    let m = re * re + im * im;
                    if m > best {
                        best = m;
                        k = i;
                    }
                }
                let (kr, ki) = col(k);
                let km = kr.hypot(ki);
                let (cr, ci) = if km > T::zero() && km.is_finite() {
                    let sgn = if kr < T::zero() { -T::one() } else { T::one() };
                    (sgn * kr / km, -sgn * ki / km)
                } else {
                    (T::one(), T::zero())
                };
                for i in 0..n {
                    let (re, im) = col(i);
                    let (re, im) = ((re * cr - im * ci) / norm, (re * ci + im * cr) / norm);
                    let im = if i == k { T::zero() } else { im };
                    v[2 * (i * n + j)] = re;
                    v[2 * (i * n + j) + 1] = im;
                    v[2 * (i * n + j + 1)] = re;
                    v[2 * (i * n + j + 1) + 1] = -im;
                }
                j += 2;
            }
        }
        out.push(Output::Complex {
            shape: vec![n, n],
            data: v,
        });
    }
    Ok(out)
}

fn col_norm<T: Real>(it: impl Iterator<Item = (T, T)> + Clone) -> T {
    let scale = it
        .clone()
        .fold(T::zero(), |m, (r, i)| m.max(r.abs()).max(i.abs()));
    if scale == T::zero() || !scale.is_finite() {
        return if scale == T::zero() { T::one() } else { scale };
    }
    let sum = it.fold(T::zero(), |s, (r, i)| {
        let (r, i) = (r / scale, i / scale);
        s + r * r + i * i
    });
    scale * sum.sqrt()
}

pub(super) fn eigh<T: Real>(
    inputs: &[MatRef<'_, T>],
    lower: bool,
    vectors: bool,
    subset: Option<(usize, usize)>,
    par: faer::Par,
) -> Result<Vec<Output<T>>> {
    let a = &expect_inputs(inputs, 1, "eigh")?[0];
    let n = expect_square(a, "eigh")?;
    let (lo, hi) = match subset {
        None => (0, n),
        Some((lo, hi)) => {
            if lo > hi || hi >= n {
                return Err(invalid(format!(
                    "eigh: subset_by_index ({lo}, {hi}) is out of range for n = {n}"
                )));
            }
            (lo, hi + 1)
        }
    };
    let mut s = Diag::<T>::zeros(n);
    let mut u = vectors.then(|| Mat::<T>::zeros(n, n));
    if n > 0 {
        let m = sym_lower(a, lower);
        let params = Default::default();
        let want = if vectors {
            ComputeEigenvectors::Yes
        } else {
            ComputeEigenvectors::No
        };
        let mut buf = mem(evd::self_adjoint_evd_scratch::<T>(n, want, par, params));
        evd::self_adjoint_evd(
            m.as_ref(),
            s.as_mut(),
            u.as_mut().map(|u| u.as_mut()),
            par,
            stack(&mut buf),
            params,
        )
        .map_err(|_| LinalgError::NoConvergence)?;
    }
    let w = (lo..hi).map(|i| s[i]).collect::<Vec<_>>();
    let mut out = vec![real(vec![hi - lo], w)];
    if let Some(u) = u {
        out.push(real_mat(u.as_ref().get(.., lo..hi)));
    }
    Ok(out)
}
