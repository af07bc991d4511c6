//! Linear solves other than LU: Bunch–Kaufman LBLᵀ (faer `cholesky::lblt`,
//! partial pivoting with diagonal search) for symmetric systems, Cholesky
//! LLᵀ (faer `cholesky::llt`) for positive definite ones, and triangular
//! solves (faer `triangular_solve`) for solve_triangular and cho_solve:
//! A = L·Lᵀ gives x = L⁻ᵀ·(L⁻¹·b).

use faer::diag::Diag;
use faer::linalg::cholesky::{lblt, llt};
use faer::linalg::triangular_solve as ts;
use faer::Mat;

use super::{
    expect_inputs, expect_square, invalid, lu, mem, real_mat, stack, sym_lower, to_mat, view,
};
use crate::{Assume, LinalgError, MatRef, Output, Real, Result};

fn check_rhs<T>(b: &MatRef<'_, T>, n: usize, what: &str) -> Result<()> {
    if b.rows != n {
        return Err(invalid(format!(
            "{what}: b has {} rows, expected {n}",
            b.rows
        )));
    }
    Ok(())
}

/// Cholesky factor L (lower, column-major) of the symmetric matrix held in
/// `lower_sym`'s lower triangle; `NotPositiveDefinite` at the failing column.
pub(super) fn cholesky_lower<T: Real>(mut a: Mat<T>, par: faer::Par) -> Result<Mat<T>> {
    let n = a.nrows();
    let params = Default::default();
    let mut buf = mem(llt::factor::cholesky_in_place_scratch::<T>(n, par, params))?;
    llt::factor::cholesky_in_place(a.as_mut(), Default::default(), par, stack(&mut buf), params)
        .map_err(|e| match e {
            llt::factor::LltError::NonPositivePivot { index } => {
                LinalgError::NotPositiveDefinite { index }
            }
        })?;
    for j in 1..n {
        for i in 0..j {
            a[(i, j)] = T::zero();
        }
    }
    Ok(a)
}

pub(super) fn solve<T: Real>(
    inputs: &[MatRef<'_, T>],
    assume: Assume,
    lower: bool,
    transposed: bool,
    par: faer::Par,
) -> Result<Vec<Output<T>>> {
    let ins = expect_inputs(inputs, 2, "solve")?;
    let (a, b) = (&ins[0], &ins[1]);
    let n = expect_square(a, "solve")?;
    check_rhs(b, n, "solve")?;
    let x = match assume {
        Assume::Gen => lu::solve_gen(a, b, transposed, par)?,
        Assume::Pos => {
            // SciPy's solve reports a failed potrf as a singular matrix.
            let l = cholesky_lower(sym_lower(a, lower), par).map_err(|e| match e {
                LinalgError::NotPositiveDefinite { index } => LinalgError::Singular { index },
                e => e,
            })?;
            let mut x = to_mat(b);
            ts::solve_lower_triangular_in_place(l.as_ref(), x.as_mut(), par);
            ts::solve_upper_triangular_in_place(l.transpose(), x.as_mut(), par);
            x
        }
        Assume::Sym => solve_sym(a, b, lower, par)?,
    };
    Ok(vec![real_mat(x.as_ref())?])
}

fn solve_sym<T: Real>(
    a: &MatRef<'_, T>,
    b: &MatRef<'_, T>,
    lower: bool,
    par: faer::Par,
) -> Result<Mat<T>> {
    let n = a.rows;
    let k = b.cols;
    let mut f = sym_lower(a, lower);
    let mut subdiag = Diag::<T>::zeros(n);
    let mut perm = vec![0usize; n];
    let mut perm_inv = vec![0usize; n];
    let params = Default::default();
    let mut buf = mem(
        lblt::factor::cholesky_in_place_scratch::<usize, T>(n, par, params)
            .or(lblt::solve::solve_in_place_scratch::<usize, T>(n, k, par)),
    )?;
    let (_, p) = lblt::factor::cholesky_in_place(
        f.as_mut(),
        subdiag.as_mut(),
        &mut perm,
        &mut perm_inv,
        par,
        stack(&mut buf),
        params,
    );
    // sytrf's info: a 1×1 block of D that is exactly zero.
    let mut i = 0;
    while i < n {
        if subdiag[i] == T::zero() {
            if f[(i, i)] == T::zero() {
                return Err(LinalgError::Singular { index: i });
            }
            i += 1;
        } else {
            i += 2;
        }
    }
    let mut x = to_mat(b);
    let diag = f.as_ref().diagonal();
    lblt::solve::solve_in_place_with_conj(
        f.as_ref(),
        diag,
        subdiag.as_ref(),
        faer::Conj::No,
        p,
        x.as_mut(),
        par,
        stack(&mut buf),
    );
    Ok(x)
}

pub(super) fn solve_triangular<T: Real>(
    inputs: &[MatRef<'_, T>],
    lower: bool,
    trans: u8,
    unit_diagonal: bool,
    par: faer::Par,
) -> Result<Vec<Output<T>>> {
    let ins = expect_inputs(inputs, 2, "solve_triangular")?;
    let (a, b) = (&ins[0], &ins[1]);
    let n = expect_square(a, "solve_triangular")?;
    check_rhs(b, n, "solve_triangular")?;
    let trans = match trans {
        0 => false,
        1 | 2 => true,
        t => return Err(invalid(format!("trans must be 0, 1 or 2, got {t}"))),
    };
    if !unit_diagonal {
        if let Some(index) = (0..n).find(|&i| a.data[i * n + i] == T::zero()) {
            return Err(LinalgError::Singular { index });
        }
    }
    let av = view(a);
    let mut x = to_mat(b);
    // aᵀ of a lower matrix is upper, and the other way round.
    let (m, as_lower) = if trans {
        (av.transpose(), !lower)
    } else {
        (av, lower)
    };
    match (as_lower, unit_diagonal) {
        (true, false) => ts::solve_lower_triangular_in_place(m, x.as_mut(), par),
        (true, true) => ts::solve_unit_lower_triangular_in_place(m, x.as_mut(), par),
        (false, false) => ts::solve_upper_triangular_in_place(m, x.as_mut(), par),
        (false, true) => ts::solve_unit_upper_triangular_in_place(m, x.as_mut(), par),
    }
    Ok(vec![real_mat(x.as_ref())?])
}

pub(super) fn cholesky<T: Real>(
    inputs: &[MatRef<'_, T>],
    lower: bool,
    par: faer::Par,
) -> Result<Vec<Output<T>>> {
    let a = &expect_inputs(inputs, 1, "cholesky")?[0];
    expect_square(a, "cholesky")?;
    let l = cholesky_lower(sym_lower(a, lower), par)?;
    if lower {
        Ok(vec![real_mat(l.as_ref())?])
    } else {
        Ok(vec![real_mat(l.transpose())?])
    }
}

pub(super) fn cho_solve<T: Real>(
    inputs: &[MatRef<'_, T>],
    lower: bool,
    par: faer::Par,
) -> Result<Vec<Output<T>>> {
    let ins = expect_inputs(inputs, 2, "cho_solve")?;
    let (c, b) = (&ins[0], &ins[1]);
    let n = expect_square(c, "cho_solve")?;
    check_rhs(b, n, "cho_solve")?;
    let cv = view(c);
    let mut x = to_mat(b);
    if lower {
        // a = L·Lᵀ
        ts::solve_lower_triangular_in_place(cv, x.as_mut(), par);
        ts::solve_upper_triangular_in_place(cv.transpose(), x.as_mut(), par);
    } else {
        // a = Uᵀ·U
        ts::solve_lower_triangular_in_place(cv.transpose(), x.as_mut(), par);
        ts::solve_upper_triangular_in_place(cv, x.as_mut(), par);
    }
    Ok(vec![real_mat(x.as_ref())?])
}
