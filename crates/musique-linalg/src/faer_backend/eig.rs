//! Eigenproblems. eig as LAPACK's dgeev: the matrix is scaled by a power of
//! two into the safe range when its largest entry is outside it, balanced
//! ([`balance`], dgebal with job 'B': permutations isolating eigenvalues,
//! then Parlett–Reinsch diagonal scaling by powers of two), decomposed by
//! faer `evd::evd_real` (Hessenberg reduction, multishift QR to the real
//! Schur form, back substitution), the eigenvectors taken back to the
//! original matrix ([`Balance::back_transform`], dgebak) and each scaled to
//! unit 2-norm with its largest component real; complex pairs unpacked from
//! LAPACK's (re, im) column layout. eigh: faer `evd::self_adjoint_evd`
//! (tridiagonalisation, then QR / divide-and-conquer) on the matrix scaled
//! into the safe range as dsyevd, eigenvalues ascending, subset kept by
//! index.

use faer::diag::Diag;
use faer::linalg::evd::{self, ComputeEigenvectors};
use faer::Mat;

use super::{
    expect_inputs, expect_square, invalid, max_abs, mem, mul_pow2, real, real_mat, safe_range_exp,
    scale_pow2, stack, sym_lower, to_mat,
};
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
    // dgeev: scale into the safe range, then balance.
    let mut b = to_mat(a);
    let exp = safe_range_exp(max_abs(b.as_ref()));
    scale_pow2(b.as_mut(), exp);
    let bal = balance(b.as_mut());
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
        ))?;
        evd::evd_real(
            b.as_ref(),
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
    if let Some(u) = ur.as_mut() {
        bal.back_transform(u.as_mut());
    }
    let mut w = Vec::with_capacity(2 * n);
    for i in 0..n {
        w.push(mul_pow2(s_re[i], -exp));
        w.push(mul_pow2(s_im[i], -exp));
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
    // dsyevd: scale into the safe range (the eigenvectors are unaffected).
    let mut exp = 0;
    if n > 0 {
        let mut m = sym_lower(a, lower);
        exp = safe_range_exp(max_abs(m.as_ref()));
        scale_pow2(m.as_mut(), exp);
        let params = Default::default();
        let want = if vectors {
            ComputeEigenvectors::Yes
        } else {
            ComputeEigenvectors::No
        };
        let mut buf = mem(evd::self_adjoint_evd_scratch::<T>(n, want, par, params))?;
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
    let w = (lo..hi).map(|i| mul_pow2(s[i], -exp)).collect::<Vec<_>>();
    let mut out = vec![real(vec![hi - lo], w)];
    if let Some(u) = u {
        out.push(real_mat(u.as_ref().get(.., lo..hi))?);
    }
    Ok(out)
}

/// What [`balance`] did: `perm[i]` is the row/column swapped with i when
/// eigenvalue i was isolated (i outside `lo..hi`), `scale[i]` the power of
/// two row i was divided by and column i multiplied by (inside `lo..hi`).
pub(super) struct Balance<T> {
    lo: usize,
    hi: usize,
    perm: Vec<usize>,
    scale: Vec<T>,
}

impl<T: Real> Balance<T> {
    /// dgebak('B', 'R'): right eigenvectors of the balanced matrix (rows of
    /// `v`) to those of the original one: rows lo..hi times their scale,
    /// then the swaps undone in the reverse order they were made.
    pub(super) fn back_transform(&self, mut v: faer::MatMut<'_, T>) {
        for i in self.lo..self.hi {
            let f = self.scale[i];
            if f != T::one() {
                for j in 0..v.ncols() {
                    v[(i, j)] *= f;
                }
            }
        }
        let n = v.nrows();
        for i in (0..self.lo).rev().chain(self.hi..n) {
            let k = self.perm[i];
            if k != i {
                for j in 0..v.ncols() {
                    let t = v[(i, j)];
                    v[(i, j)] = v[(k, j)];
                    v[(k, j)] = t;
                }
            }
        }
    }
}

/// Euclidean norm of the values, scaled so that tiny entries do not
/// underflow (balancing must see entries of 1e-200).
fn nrm2<T: Real>(values: impl Iterator<Item = T> + Clone) -> T {
    let scale = values.clone().fold(T::zero(), |m, x| m.max(x.abs()));
    if scale == T::zero() || !scale.is_finite() {
        return scale;
    }
    let sum = values.fold(T::zero(), |s, x| {
        let y = x / scale;
        s + y * y
    });
    scale * sum.sqrt()
}

/// LAPACK's dgebal with job 'B' (LAPACK 3.12), in place on the square
/// matrix `a`: rows whose off-diagonal entries within the active block are
/// all zero are swapped to the bottom and columns likewise to the left, so
/// that their eigenvalues are isolated in a triangular part; then rows and
/// columns lo..hi are scaled by powers of two (exact) until each row and
/// column have about the same 2-norm (Parlett–Reinsch), which makes the
/// eigenvalues and eigenvectors of badly scaled matrices accurate.
/// The eigenvalues are unchanged; right eigenvectors come back through
/// [`Balance::back_transform`]. Balancing stops at a NaN.
pub(super) fn balance<T: Real>(mut a: faer::MatMut<'_, T>) -> Balance<T> {
    let n = a.nrows();
    let mut perm: Vec<usize> = (0..n).collect();
    let mut scale = vec![T::one(); n];
    let swap =
        |a: &mut faer::MatMut<'_, T>, i: usize, j: usize, rows_to: usize, cols_from: usize| {
            // Columns i and j over rows 0..rows_to, rows i and j over columns
            // cols_from..n (the rest is zero in both).
            for r in 0..rows_to {
                let t = a[(r, i)];
                a[(r, i)] = a[(r, j)];
                a[(r, j)] = t;
            }
            for c in cols_from..a.ncols() {
                let t = a[(i, c)];
                a[(i, c)] = a[(j, c)];
                a[(j, c)] = t;
            }
        };
    let (mut k, mut l) = (0usize, n);
    // Rows isolating an eigenvalue, pushed down.
    while let Some(i) = (0..l)
        .rev()
        .find(|&i| (0..l).all(|j| j == i || a[(i, j)] == T::zero()))
    {
        perm[l - 1] = i;
        if i != l - 1 {
            swap(&mut a, i, l - 1, l, k);
        }
        if l == 1 {
            return Balance {
                lo: 0,
                hi: 0,
                perm,
                scale,
            };
        }
        l -= 1;
    }
    // Columns isolating an eigenvalue, pushed left.
    while let Some(j) = (k..l).find(|&j| (k..l).all(|i| i == j || a[(i, j)] == T::zero())) {
        perm[k] = j;
        if j != k {
            swap(&mut a, j, k, l, k);
        }
        k += 1;
    }
    // Scaling of rows and columns k..l.
    let two = T::one() + T::one();
    let sfmin1 = T::min_positive_value() / T::EPS;
    let sfmax1 = sfmin1.recip();
    let sfmin2 = sfmin1 * two;
    let sfmax2 = sfmin2.recip();
    let factor = T::of_f64(0.95);
    let mut noconv = true;
    while noconv {
        noconv = false;
        for i in k..l {
            let mut c = nrm2((k..l).map(|r| a[(r, i)]));
            let mut r = nrm2((k..l).map(|cc| a[(i, cc)]));
            let mut ca = (0..l).fold(T::zero(), |m, x| m.max(a[(x, i)].abs()));
            let mut ra = (k..n).fold(T::zero(), |m, x| m.max(a[(i, x)].abs()));
            if c == T::zero() || r == T::zero() {
                continue;
            }
            if (c + ca + r + ra).is_nan() {
                // dgebal gives up (info = -3); the scaling done so far is
                // kept in `scale`, and faer reports the NaN.
                return Balance {
                    lo: k,
                    hi: l,
                    perm,
                    scale,
                };
            }
            let mut g = r / two;
            let mut f = T::one();
            let s = c + r;
            while c < g && f.max(c).max(ca) < sfmax2 && r.min(g).min(ra) > sfmin2 {
                f *= two;
                c *= two;
                ca *= two;
                r /= two;
                g /= two;
                ra /= two;
            }
            g = c / two;
            while g >= r && r.max(ra) < sfmax2 && f.min(c).min(g).min(ca) > sfmin2 {
                f /= two;
                c /= two;
                g /= two;
                ca /= two;
                r *= two;
                ra *= two;
            }
            if c + r >= factor * s {
                continue;
            }
            if f < T::one() && scale[i] < T::one() && f * scale[i] <= sfmin1 {
                continue;
            }
            if f > T::one() && scale[i] > T::one() && scale[i] >= sfmax1 / f {
                continue;
            }
            let g = f.recip();
            scale[i] *= f;
            noconv = true;
            for x in k..n {
                a[(i, x)] *= g;
            }
            for x in 0..l {
                a[(x, i)] *= f;
            }
        }
    }
    Balance {
        lo: k,
        hi: l,
        perm,
        scale,
    }
}
