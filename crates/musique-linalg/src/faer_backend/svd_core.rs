//! The SVD A = U·diag(s)·Vᵀ (faer `svd::svd`, s descending) that svd.rs and
//! norms.rs both build on; it sits below them so that neither imports the
//! other for it.
//!
//! [`compute`] first scales A by a power of two into LAPACK's safe range
//! when its largest entry is tiny or huge (as gesdd/gesvd do; faer's SVD
//! alone returns zeros for [[0, 1e-200], [0, 0]] and subnormal matrices, and
//! fails to converge on [[0, 1e300], [0, 0]]), then unscales s; U and V are
//! unaffected.

use faer::diag::Diag;
use faer::linalg::svd::{self as fsvd, ComputeSvdVectors};
use faer::Mat;

use super::{max_abs, mem, mul_pow2, safe_range_exp, scale_pow2, stack};
use crate::{LinalgError, Real, Result};

pub(super) struct Svd<T> {
    /// The singular values of A, descending.
    pub s: Vec<T>,
    /// The singular values of the scaled matrix A·2^exp, which `s` is
    /// 2^-exp times (kept: unscaling may round them to subnormals or inf).
    pub s_scaled: Vec<T>,
    /// The power of two A was scaled by (0 when it was not).
    pub exp: i32,
    pub u: Option<Mat<T>>,
    pub v: Option<Mat<T>>,
}

impl<T: Real> Svd<T> {
    /// A value computed from `s_scaled` (homogeneous of degree 1: a sum,
    /// a maximum), brought back to A's scale.
    pub fn unscale(&self, x: T) -> T {
        mul_pow2(x, -self.exp)
    }
}

/// The SVD of `a` (row-major view is fine: faer copies it), scaled into the
/// safe range first when its largest entry is outside it (LAPACK's gesdd).
pub(super) fn compute<T: Real>(
    a: faer::MatRef<'_, T>,
    vectors: ComputeSvdVectors,
    par: faer::Par,
) -> Result<Svd<T>> {
    let exp = safe_range_exp(max_abs(a));
    if exp != 0 {
        let mut c = a.to_owned();
        scale_pow2(c.as_mut(), exp);
        compute_scaled(c.as_ref(), exp, vectors, par)
    } else {
        compute_scaled(a, 0, vectors, par)
    }
}

/// The SVD of `a`, already scaled by 2^exp.
pub(super) fn compute_scaled<T: Real>(
    a: faer::MatRef<'_, T>,
    exp: i32,
    vectors: ComputeSvdVectors,
    par: faer::Par,
) -> Result<Svd<T>> {
    let (m, n) = (a.nrows(), a.ncols());
    let k = m.min(n);
    let (ucols, vcols) = match vectors {
        ComputeSvdVectors::No => (0, 0),
        ComputeSvdVectors::Thin => (k, k),
        ComputeSvdVectors::Full => (m, n),
    };
    let mut s = Diag::<T>::zeros(k);
    let mut u = (vectors != ComputeSvdVectors::No).then(|| Mat::<T>::zeros(m, ucols));
    let mut v = (vectors != ComputeSvdVectors::No).then(|| Mat::<T>::zeros(n, vcols));
    if k > 0 {
        let mut params = <fsvd::SvdParams as faer::Auto<T>>::auto();
        // faer splits the bidiagonalization's steps across threads from a
        // 192×256 trailing block on; below about 512×512 the per-step
        // synchronization costs more than it saves (svd of 500×500 at 2
        // threads: 45 ms parallel, 33 ms sequential, 37 ms at 1 thread).
        params.bidiag.par_threshold = 512 * 512;
        if vectors == ComputeSvdVectors::No && (matches!(par, faer::Par::Seq) || k <= 512) {
            // Values only: the shifted QR sweeps (O(k²)) beat divide and
            // conquer unless threads share a large problem (k = 500: 32
            // against 36 ms).
            params.recursion_threshold = usize::MAX;
        }
        let params = params.into();
        let mut buf = mem(fsvd::svd_scratch::<T>(m, n, vectors, vectors, par, params))?;
        fsvd::svd(
            a,
            s.as_mut(),
            u.as_mut().map(|u| u.as_mut()),
            v.as_mut().map(|v| v.as_mut()),
            par,
            stack(&mut buf),
            params,
        )
        .map_err(|_| LinalgError::NoConvergence)?;
    } else {
        // Full vectors of an empty matrix: identities.
        if let Some(u) = u.as_mut() {
            *u = Mat::identity(m, ucols);
        }
        if let Some(v) = v.as_mut() {
            *v = Mat::identity(n, vcols);
        }
    }
    let s_scaled: Vec<T> = (0..k).map(|i| s[i]).collect();
    let s = s_scaled.iter().map(|&x| mul_pow2(x, -exp)).collect();
    Ok(Svd {
        s,
        s_scaled,
        exp,
        u,
        v,
    })
}

/// The singular values only (their [`Svd`], without U and V).
pub(super) fn singular_values<T: Real>(a: faer::MatRef<'_, T>, par: faer::Par) -> Result<Svd<T>> {
    compute(a, ComputeSvdVectors::No, par)
}
