//! QR by blocked Householder reflections, as LAPACK's geqrf/orgqr: each
//! reflector H = I − v·vᵀ/τ (faer's `make_householder_in_place`, β = −sign(α)·‖x‖,
//! H = I when the column below the diagonal is zero) is built and applied
//! column by column inside a panel; the panel's block reflector (faer's
//! "T factor" layout: τ on the diagonal, the strict upper part of VᵀV) then
//! updates the trailing columns with faer's
//! `apply_block_householder_transpose_on_the_left_in_place_with_conj`, and Q
//! is formed by applying the whole sequence to the identity. faer's own
//! `qr_in_place` is not used: it skips columns it judges numerically zero,
//! which departs from geqrf on rank-deficient input.

use faer::dyn_stack::MemBuffer;
use faer::linalg::householder as hh;
use faer::reborrow::{Reborrow, ReborrowMut};
use faer::{Mat, MatMut};

use super::{expect_inputs, panel_mem, par_cols, real_mat, stack, to_mat};
use crate::{MatRef, Output, QrMode, Real, Result};

/// Panel width (and the block size of the stored T factors).
fn block_size<T: Real>(m: usize, n: usize) -> usize {
    faer::linalg::qr::no_pivoting::factor::recommended_block_size::<T>(m, n).clamp(1, 32)
}

/// Factors `a` (m×n) in place: R on and above the diagonal, the reflectors'
/// essential parts below. Returns the T factors (bs × min(m, n)).
pub(super) fn factor<T: Real>(mut a: MatMut<'_, T>, par: faer::Par) -> Mat<T> {
    let (m, n) = (a.nrows(), a.ncols());
    let k = m.min(n);
    let bs = block_size::<T>(m, n);
    let mut h = Mat::<T>::zeros(bs, k);
    let mut buf = panel_mem(
        hh::apply_block_householder_transpose_on_the_left_in_place_scratch::<T>(m, bs, n),
    );
    let mut j = 0;
    while j < k {
        let b = bs.min(k - j);
        for c in j..j + b {
            let tau = {
                let (mut top, mut bottom) = a.rb_mut().split_at_row_mut(c + 1);
                hh::make_householder_in_place(&mut top[(c, c)], bottom.rb_mut().col_mut(c)).tau
            };
            h[(c - j, c)] = tau;
            if !tau.is_finite() {
                // H = I (nothing below the diagonal to annihilate).
                a.rb_mut().get_mut(c + 1.., c).fill(T::zero());
            } else if c + 1 < j + b {
                // One reflector on the rest of the panel: faer's SIMD path
                // for a block of width 1.
                let (v, rest) = a.rb_mut().get_mut(c.., ..j + b).split_at_col_mut(c + 1);
                hh::apply_block_householder_transpose_on_the_left_in_place_with_conj(
                    v.rb().get(.., c..c + 1),
                    h.as_ref().get(c - j..c - j + 1, c..c + 1),
                    faer::Conj::Yes,
                    rest,
                    faer::Par::Seq,
                    stack(&mut buf),
                );
            }
        }
        // Strict upper part of VᵀV, V the unit lower trapezoid of the panel.
        let rows = m - j;
        let v = Mat::from_fn(rows, b, |i, p| {
            if i == p {
                T::one()
            } else if i > p {
                a[(j + i, j + p)]
            } else {
                T::zero()
            }
        });
        let vtv = super::mul(v.transpose(), v.as_ref(), par);
        for p in 0..b {
            for q in p + 1..b {
                h[(p, j + q)] = vtv[(p, q)];
            }
        }
        if j + b < n {
            let (panel, rest) = a.rb_mut().get_mut(j.., ..).split_at_col_mut(j + b);
            let (v, t) = (panel.rb().get(.., j..j + b), h.as_ref().get(0..b, j..j + b));
            let update = |c: MatMut<'_, T>, buf: &mut MemBuffer| {
                hh::apply_block_householder_transpose_on_the_left_in_place_with_conj(
                    v,
                    t,
                    faer::Conj::Yes,
                    c,
                    faer::Par::Seq,
                    stack(buf),
                )
            };
            if par.degree() > 1 {
                // Columns are updated independently: a slab per thread, one
                // fork and join per panel (faer's threaded kernels
                // synchronise at every step).
                par_cols(rest, par.degree(), &|c| {
                    let req = hh::apply_block_householder_transpose_on_the_left_in_place_scratch::<T>(
                        m - j,
                        b,
                        c.ncols(),
                    );
                    update(c, &mut panel_mem(req))
                });
            } else {
                update(rest, &mut buf);
            }
        }
        j += b;
    }
    h
}

/// `b ← Q·b`, or `Qᵀ·b` with `transpose`, Q held as the factors (its
/// `h.ncols()` reflectors in `qr`'s columns), never formed.
pub(super) fn apply_q<T: Real>(
    qr: faer::MatRef<'_, T>,
    h: faer::MatRef<'_, T>,
    transpose: bool,
    b: MatMut<'_, T>,
    par: faer::Par,
) {
    let (m, k, cols) = (qr.nrows(), h.ncols(), b.ncols());
    if k == 0 {
        return;
    }
    let qr = qr.get(.., 0..k);
    if transpose {
        let mut buf = panel_mem(
            hh::apply_block_householder_sequence_transpose_on_the_left_in_place_scratch::<T>(
                m,
                h.nrows(),
                cols,
            ),
        );
        hh::apply_block_householder_sequence_transpose_on_the_left_in_place_with_conj(
            qr,
            h,
            faer::Conj::Yes,
            b,
            par,
            stack(&mut buf),
        );
    } else {
        let mut buf = panel_mem(
            hh::apply_block_householder_sequence_on_the_left_in_place_scratch::<T>(
                m,
                h.nrows(),
                cols,
            ),
        );
        hh::apply_block_householder_sequence_on_the_left_in_place_with_conj(
            qr,
            h,
            faer::Conj::No,
            b,
            par,
            stack(&mut buf),
        );
    }
}

/// Q's first `cols` columns (cols = m or min(m, n)) from the factors.
pub(super) fn form_q<T: Real>(
    qr: faer::MatRef<'_, T>,
    h: faer::MatRef<'_, T>,
    cols: usize,
    par: faer::Par,
) -> Mat<T> {
    let mut q = Mat::<T>::identity(qr.nrows(), cols);
    apply_q(qr, h, false, q.as_mut(), par);
    q
}

/// The column order of QR with column pivoting, by LAPACK geqp3's rule: at
/// step j the remaining column whose part below row j has the largest 2-norm
/// (the first on ties) moves to position j, then one Householder reflector
/// clears it below the diagonal. Norms are recomputed at each step (geqp3
/// downdates them), so the order is geqp3's but for near-ties. Unblocked:
/// the factors themselves come from [`factor`] on the permuted columns, so
/// that Q and R equal the unpivoted QR of `a[:, p]`, as SciPy's do.
fn pivot_order<T: Real>(a: &MatRef<'_, T>) -> Vec<usize> {
    let (m, n) = (a.rows, a.cols);
    let mut w = to_mat(a);
    let mut perm: Vec<usize> = (0..n).collect();
    for j in 0..m.min(n) {
        let mut best = j;
        let mut best_norm = -T::one();
        for c in j..n {
            let norm = w.as_ref().col(c).subrows(j, m - j).norm_l2();
            if norm > best_norm {
                best = c;
                best_norm = norm;
            }
        }
        if best != j {
            perm.swap(j, best);
            for i in 0..m {
                let t = w[(i, j)];
                w[(i, j)] = w[(i, best)];
                w[(i, best)] = t;
            }
        }
        let tau = {
            let (mut top, mut bottom) = w.as_mut().split_at_row_mut(j + 1);
            hh::make_householder_in_place(&mut top[(j, j)], bottom.rb_mut().col_mut(j)).tau
        };
        if !tau.is_finite() {
            continue;
        }
        // x ← x − v·(vᵀx)/τ for the columns right of j, v = [1; w[j+1.., j]].
        for c in j + 1..n {
            let mut dot = w[(j, c)];
            for i in j + 1..m {
                dot += w[(i, j)] * w[(i, c)];
            }
            let f = dot / tau;
            w[(j, c)] -= f;
            for i in j + 1..m {
                let v = w[(i, j)];
                w[(i, c)] -= f * v;
            }
        }
    }
    perm
}

/// `qr(a, pivoting=True)`: Q and R of `a[:, p]` (as [`qr`] gives them) and p
/// (Int, n,), with |R's diagonal| non-increasing.
pub(super) fn qr_pivoting<T: Real>(
    inputs: &[MatRef<'_, T>],
    mode: QrMode,
    par: faer::Par,
) -> Result<Vec<Output<T>>> {
    let a = &expect_inputs(inputs, 1, "qr")?[0];
    let (m, n) = (a.rows, a.cols);
    let perm = pivot_order(a);
    let mut permuted = Vec::with_capacity(m * n);
    for i in 0..m {
        let row = &a.data[i * n..(i + 1) * n];
        permuted.extend(perm.iter().map(|&c| row[c]));
    }
    let mut out = qr(&[MatRef::new(&permuted, m, n)], mode, par)?;
    out.push(Output::Int {
        shape: vec![n],
        data: perm
            .iter()
            .map(|&c| i32::try_from(c).unwrap_or(i32::MAX))
            .collect(),
    });
    Ok(out)
}

pub(super) fn qr<T: Real>(
    inputs: &[MatRef<'_, T>],
    mode: QrMode,
    par: faer::Par,
) -> Result<Vec<Output<T>>> {
    let a = &expect_inputs(inputs, 1, "qr")?[0];
    let (m, n) = (a.rows, a.cols);
    let k = m.min(n);
    let mut f = to_mat(a);
    let h = factor(f.as_mut(), par);
    let r_rows = if mode == QrMode::Economic { k } else { m };
    let r = Mat::from_fn(r_rows, n, |i, j| if i <= j { f[(i, j)] } else { T::zero() });
    match mode {
        QrMode::R => Ok(vec![real_mat(r.as_ref())?]),
        QrMode::Full | QrMode::Economic => {
            let q = form_q(
                f.as_ref(),
                h.as_ref(),
                if mode == QrMode::Full { m } else { k },
                par,
            );
            Ok(vec![real_mat(q.as_ref())?, real_mat(r.as_ref())?])
        }
    }
}
