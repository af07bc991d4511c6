//! LU with partial pivoting, A = P·L·U, by LAPACK getrf2's recursion: factor
//! the left half of the columns, apply its interchanges to the right half,
//! U12 = L11⁻¹·A12 (faer triangular solve), A22 −= L21·U12 (faer matmul),
//! factor A22. Pivots are the first entry of largest magnitude in a column
//! (idamax); an exactly zero pivot column is left unscaled, as getf2 does, so
//! singular matrices factor without NaN. Interchanges are kept LAPACK-style
//! (row i swapped with row piv[i], 0-based). On top: lu, lu_factor,
//! lu_solve, solve(gen), inv, det = ±∏uᵢᵢ, slogdet.

use faer::linalg::triangular_solve as ts;
use faer::reborrow::{Reborrow, ReborrowMut};
use faer::{Mat, MatMut};

use super::{
    expect_inputs, expect_square, invalid, par_cols, real, real_mat, scalar, to_mat, transposed,
};
use crate::{LinalgError, MatRef, Output, Real, Result};

/// Columns at or below which the unblocked kernel runs.
const BASE: usize = 16;

/// A factored matrix: `lu` holds L (unit, strictly below) and U, `piv` the
/// min(m, n) interchanges.
pub(super) struct Lu<T> {
    pub lu: Mat<T>,
    pub piv: Vec<usize>,
}

impl<T: Real> Lu<T> {
    /// Index of the first exactly zero diagonal element of U (getrf's info).
    pub fn first_zero_pivot(&self) -> Option<usize> {
        let k = self.lu.nrows().min(self.lu.ncols());
        (0..k).find(|&i| self.lu[(i, i)] == T::zero())
    }

    /// Number of interchanges that swap two different rows.
    pub fn swaps(&self) -> usize {
        self.piv
            .iter()
            .enumerate()
            .filter(|&(i, &p)| i != p)
            .count()
    }

    /// `order` with (L·U)[i] = A[order[i]].
    pub fn row_order(&self) -> Vec<usize> {
        let mut order: Vec<usize> = (0..self.lu.nrows()).collect();
        for (i, &p) in self.piv.iter().enumerate() {
            order.swap(i, p);
        }
        order
    }
}

/// Factors `a` in place.
pub(super) fn factor<T: Real>(mut a: Mat<T>, par: faer::Par) -> Lu<T> {
    let k = a.nrows().min(a.ncols());
    let mut piv = vec![0usize; k];
    rec(a.as_mut(), &mut piv, par);
    Lu { lu: a, piv }
}

fn swap_rows<T: Real>(mut a: MatMut<'_, T>, i: usize, p: usize) {
    if i != p {
        for j in 0..a.ncols() {
            let t = a[(i, j)];
            a[(i, j)] = a[(p, j)];
            a[(p, j)] = t;
        }
    }
}

/// Row interchanges `offset + i <-> piv[i]`, in order (LAPACK's laswp).
/// Column by column: each column is contiguous, where swapping whole rows
/// in turn strides across every column once per interchange.
fn apply_swaps<T: Real>(mut a: MatMut<'_, T>, piv: &[usize], offset: usize) {
    if piv.iter().enumerate().all(|(i, &p)| offset + i == p) {
        return;
    }
    for j in 0..a.ncols() {
        match a.rb_mut().col_mut(j).try_as_col_major_mut() {
            Some(col) => {
                let col = col.as_slice_mut();
                for (i, &p) in piv.iter().enumerate() {
                    col.swap(offset + i, p);
                }
            }
            None => {
                for (i, &p) in piv.iter().enumerate() {
                    swap_rows(a.rb_mut().subcols_mut(j, 1), offset + i, p);
                }
            }
        }
    }
}

fn unblocked<T: Real>(mut a: MatMut<'_, T>, piv: &mut [usize]) {
    let (m, n) = (a.nrows(), a.ncols());
    let k = m.min(n);
    for j in 0..k {
        // idamax: first index of the largest |a(i, j)|; NaN never wins.
        let mut p = j;
        let mut max = a[(j, j)].abs();
        for i in j + 1..m {
            let v = a[(i, j)].abs();
            if v > max {
                max = v;
                p = i;
            }
        }
        piv[j] = p;
        let pivot = a[(p, j)];
        if pivot != T::zero() {
            swap_rows(a.rb_mut(), j, p);
            if pivot.abs() >= T::min_positive_value() {
                let r = pivot.recip();
                for i in j + 1..m {
                    a[(i, j)] *= r;
                }
            } else {
                for i in j + 1..m {
                    a[(i, j)] /= pivot;
                }
            }
        }
        for c in j + 1..n {
            let u = a[(j, c)];
            if u != T::zero() {
                let (lj, mut rest) = a.rb_mut().split_at_col_mut(c);
                let (l, mut x) = (lj.rb().col(j), rest.rb_mut().col_mut(0));
                match (l.try_as_col_major(), x.rb_mut().try_as_col_major_mut()) {
                    (Some(l), Some(x)) => {
                        let (l, x) = (&l.as_slice()[j + 1..], &mut x.as_slice_mut()[j + 1..]);
                        for (x, &l) in x.iter_mut().zip(l) {
                            *x -= l * u;
                        }
                    }
                    _ => {
                        for i in j + 1..m {
                            x[i] -= l[i] * u;
                        }
                    }
                }
            }
        }
    }
}

fn rec<T: Real>(mut a: MatMut<'_, T>, piv: &mut [usize], par: faer::Par) {
    let (m, n) = (a.nrows(), a.ncols());
    let k = m.min(n);
    if k == 0 {
        return;
    }
    if n <= BASE || k <= BASE {
        unblocked(a, piv);
        return;
    }
    let n1 = k / 2;
    let threads = par.degree();
    // [A11; A21] → P1·[L11; L21]·U11.
    rec(a.rb_mut().subcols_mut(0, n1), &mut piv[..n1], par);
    {
        let (left, mut right) = a.rb_mut().split_at_col_mut(n1);
        let p1 = &piv[..n1];
        par_cols(right.rb_mut(), threads, &|c| apply_swaps(c, p1, 0));
        let (l11, l21) = left.rb().split_at_row(n1);
        let (mut a12, a22) = right.split_at_row_mut(n1);
        par_cols(a12.rb_mut(), threads, &|c| {
            ts::solve_unit_lower_triangular_in_place(l11, c, faer::Par::Seq)
        });
        super::gemm(a22, true, l21, a12.rb(), -T::one(), par);
    }
    {
        let a22 = a.rb_mut().submatrix_mut(n1, n1, m - n1, n - n1);
        rec(a22, &mut piv[n1..k], par);
    }
    for p in &mut piv[n1..k] {
        *p += n1;
    }
    let left = a.rb_mut().subcols_mut(0, n1);
    let p2 = &piv[n1..k];
    par_cols(left, threads, &|c| apply_swaps(c, p2, n1));
}

/// Solves A·x = b (or Aᵀ·x = b) in place from A's factors (getrs).
pub(super) fn solve_in_place<T: Real>(
    f: &Lu<T>,
    mut b: MatMut<'_, T>,
    trans: bool,
    par: faer::Par,
) {
    let lu = f.lu.as_ref();
    let seq = faer::Par::Seq;
    // Right-hand sides are independent: with many, each thread takes a slab.
    par_cols(b.rb_mut(), par.degree(), &|mut b| {
        if !trans {
            apply_swaps(b.rb_mut(), &f.piv, 0);
            ts::solve_unit_lower_triangular_in_place(lu, b.rb_mut(), seq);
            ts::solve_upper_triangular_in_place(lu, b.rb_mut(), seq);
        } else {
            ts::solve_lower_triangular_in_place(lu.transpose(), b.rb_mut(), seq);
            ts::solve_unit_upper_triangular_in_place(lu.transpose(), b.rb_mut(), seq);
            for (i, &p) in f.piv.iter().enumerate().rev() {
                swap_rows(b.rb_mut(), i, p);
            }
        }
    });
}

fn trans_flag(trans: u8) -> Result<bool> {
    match trans {
        0 => Ok(false),
        1 | 2 => Ok(true),
        t => Err(invalid(format!("trans must be 0, 1 or 2, got {t}"))),
    }
}

pub(super) fn lu<T: Real>(
    inputs: &[MatRef<'_, T>],
    permute_l: bool,
    p_indices: bool,
    par: faer::Par,
) -> Result<Vec<Output<T>>> {
    let a = &expect_inputs(inputs, 1, "lu")?[0];
    let (m, n) = (a.rows, a.cols);
    let k = m.min(n);
    let f = factor(to_mat(a), par);
    let lu = f.lu.as_ref();
    let l = Mat::from_fn(m, k, |i, j| {
        if i == j {
            T::one()
        } else if i > j {
            lu[(i, j)]
        } else {
            T::zero()
        }
    });
    let u = Mat::from_fn(k, n, |i, j| if i <= j { lu[(i, j)] } else { T::zero() });
    let order = f.row_order();
    if permute_l {
        // (P·L)[order[i]] = L[i].
        let mut pl = vec![T::zero(); m * k];
        for (i, &r) in order.iter().enumerate() {
            for j in 0..k {
                pl[r * k + j] = l[(i, j)];
            }
        }
        return Ok(vec![real(vec![m, k], pl), real_mat(u.as_ref())?]);
    }
    let p = lu_permutation(&order, k == 0, p_indices);
    Ok(vec![p, real_mat(l.as_ref())?, real_mat(u.as_ref())?])
}

/// `lu`'s p from the row order ((L·U)[i] = A[order[i]]): the m×m matrix
/// with P[order[i], i] = 1, or with `p_indices` the m indices with
/// A = L[p]·U (p[order[i]] = i). An empty matrix gives an empty p, 0×0 or
/// (0,), whatever m is, as SciPy returns it.
pub(super) fn lu_permutation<T: Real>(order: &[usize], empty: bool, p_indices: bool) -> Output<T> {
    let m = if empty { 0 } else { order.len() };
    if p_indices {
        let mut p = vec![0i32; m];
        for (i, &r) in order.iter().take(m).enumerate() {
            p[r] = i32::try_from(i).unwrap_or(i32::MAX);
        }
        return Output::Int {
            shape: vec![m],
            data: p,
        };
    }
    let mut p = vec![T::zero(); m * m];
    for (i, &r) in order.iter().take(m).enumerate() {
        p[r * m + i] = T::one();
    }
    real(vec![m, m], p)
}

pub(super) fn lu_factor<T: Real>(
    inputs: &[MatRef<'_, T>],
    par: faer::Par,
) -> Result<Vec<Output<T>>> {
    let a = &expect_inputs(inputs, 1, "lu_factor")?[0];
    // scipy.linalg.lu_factor also takes rectangular matrices (getrf does):
    // lu is m×n, piv holds min(m, n) interchanges.
    let f = factor(to_mat(a), par);
    let piv = f
        .piv
        .iter()
        .map(|&p| i32::try_from(p).unwrap_or(i32::MAX))
        .collect::<Vec<_>>();
    Ok(vec![
        real_mat(f.lu.as_ref())?,
        Output::Int {
            shape: vec![piv.len()],
            data: piv,
        },
    ])
}

pub(super) fn lu_solve<T: Real>(
    inputs: &[MatRef<'_, T>],
    trans: u8,
    par: faer::Par,
) -> Result<Vec<Output<T>>> {
    let ins = expect_inputs(inputs, 3, "lu_solve")?;
    let (a, pv, b) = (&ins[0], &ins[1], &ins[2]);
    let n = expect_square(a, "lu_solve")?;
    let trans = trans_flag(trans)?;
    if pv.data.len() != n {
        return Err(invalid(format!(
            "lu_solve: piv has {} values, expected {n}",
            pv.data.len()
        )));
    }
    if b.rows != n {
        return Err(invalid(format!(
            "lu_solve: b has {} rows, expected {n}",
            b.rows
        )));
    }
    let mut piv = Vec::with_capacity(n);
    for (i, &p) in pv.data.iter().enumerate() {
        let pf = p.to_f64();
        if !(pf >= 0.0 && pf < n as f64 && pf.fract() == 0.0) {
            return Err(invalid(format!(
                "lu_solve: piv[{i}] = {pf} is not a row index"
            )));
        }
        piv.push(pf as usize);
    }
    let f = Lu { lu: to_mat(a), piv };
    if let Some(index) = f.first_zero_pivot() {
        return Err(LinalgError::Singular { index });
    }
    let mut x = to_mat(b);
    solve_in_place(&f, x.as_mut(), trans, par);
    Ok(vec![real_mat(x.as_ref())?])
}

/// solve(a, b, assume_a='gen'): getrf + getrs.
pub(super) fn solve_gen<T: Real>(
    a: &MatRef<'_, T>,
    b: &MatRef<'_, T>,
    transposed: bool,
    par: faer::Par,
) -> Result<Mat<T>> {
    // A·x = b from the factors of Aᵀ (A's row-major data as it is).
    let f = factor_transposed(a, par)?;
    let mut x = to_mat(b);
    solve_in_place(&f, x.as_mut(), !transposed, par);
    Ok(x)
}

/// The factors of Aᵀ (no transposing copy: A's row-major data is Aᵀ
/// column-major). Aᵀ is singular exactly when A is; the index reported is
/// then A's own first zero pivot, getrf's info, as SciPy's LAPACK sees it.
fn factor_transposed<T: Real>(a: &MatRef<'_, T>, par: faer::Par) -> Result<Lu<T>> {
    let f = factor(transposed(a, par), par);
    if let Some(zero_t) = f.first_zero_pivot() {
        let index = factor(to_mat(a), par).first_zero_pivot();
        return Err(LinalgError::Singular {
            index: index.unwrap_or(zero_t),
        });
    }
    Ok(f)
}

/// The inverse of the factored (nonsingular) matrix.
fn inverse_of<T: Real>(f: &Lu<T>, par: faer::Par) -> Mat<T> {
    let n = f.lu.nrows();
    let mut x = Mat::<T>::identity(n, n);
    solve_in_place(f, x.as_mut(), false, par);
    x
}

/// The inverse of a square matrix, `Singular` when a pivot is zero.
pub(super) fn inverse<T: Real>(a: Mat<T>, par: faer::Par) -> Result<Mat<T>> {
    let f = factor(a, par);
    if let Some(index) = f.first_zero_pivot() {
        return Err(LinalgError::Singular { index });
    }
    Ok(inverse_of(&f, par))
}

pub(super) fn inv<T: Real>(inputs: &[MatRef<'_, T>], par: faer::Par) -> Result<Vec<Output<T>>> {
    let a = &expect_inputs(inputs, 1, "inv")?[0];
    expect_square(a, "inv")?;
    // inv(A) = inv(Aᵀ)ᵀ: Aᵀ's inverse, column-major, is A's, row-major.
    let x = inverse_of(&factor_transposed(a, par)?, par);
    Ok(vec![real_mat(x.as_ref().transpose())?])
}

pub(super) fn det<T: Real>(inputs: &[MatRef<'_, T>], par: faer::Par) -> Result<Vec<Output<T>>> {
    let a = &expect_inputs(inputs, 1, "det")?[0];
    let n = expect_square(a, "det")?;
    // det(A) = det(Aᵀ), and A's row-major data is Aᵀ column-major.
    let f = factor(transposed(a, par), par);
    let mut d = T::one();
    for i in 0..n {
        d *= f.lu[(i, i)];
    }
    if f.swaps() % 2 == 1 {
        d = -d;
    }
    // A singular matrix's determinant is +0, as SciPy returns it, whatever the pivots' signs.
    if d == T::zero() {
        d = T::zero();
    }
    Ok(vec![scalar(d)])
}

pub(super) fn slogdet<T: Real>(inputs: &[MatRef<'_, T>], par: faer::Par) -> Result<Vec<Output<T>>> {
    let a = &expect_inputs(inputs, 1, "slogdet")?[0];
    let n = expect_square(a, "slogdet")?;
    let f = factor(transposed(a, par), par);
    let mut sign = if f.swaps() % 2 == 1 {
        -T::one()
    } else {
        T::one()
    };
    let mut logdet = T::zero();
    for i in 0..n {
        let u = f.lu[(i, i)];
        if u == T::zero() {
            return Ok(vec![scalar(T::zero()), scalar(T::neg_infinity())]);
        }
        if u.is_nan() {
            sign = T::nan();
        } else if u < T::zero() {
            sign = -sign;
        }
        logdet += u.abs().ln();
    }
    Ok(vec![scalar(sign), scalar(logdet)])
}
