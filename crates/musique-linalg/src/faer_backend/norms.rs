//! Norms and the matrix product. Matrix norms as numpy.linalg.norm: 'fro'
//! = sqrt(Σ aᵢⱼ²) (scaled to avoid overflow), 'nuc' = Σ sᵢ, ±1 = max/min
//! column sum of |a|, ±inf = max/min row sum, ±2 = s_max / s_min (faer SVD).
//! Vector norms: inf/−inf max/min |x|, 0 the count of non-zeros, 2 the
//! scaled Euclidean norm, otherwise (Σ|x|ᵖ)^(1/p). matmul is faer's
//! `matmul` straight into the row-major result.

use faer::MatMut;

use super::{expect_inputs, invalid, real, scalar, svd_core, view};
use crate::{MatRef, MatrixOrd, Output, Real, Result};

/// Euclidean norm of the values, scaled by the largest magnitude so that
/// neither overflow nor underflow happens (as BLAS nrm2).
fn nrm2<T: Real>(values: impl Iterator<Item = T> + Clone) -> T {
    let scale = values.clone().fold(T::zero(), |m, x| {
        let a = x.abs();
        if a > m || a.is_nan() {
            a
        } else {
            m
        }
    });
    if scale == T::zero() || !scale.is_finite() {
        return scale;
    }
    let s = scale.to_f64();
    let sum: f64 = values.map(|x| (x.to_f64() / s).powi(2)).sum();
    T::of_f64(s * sum.sqrt())
}

pub(super) fn matrix_norm_of<T: Real>(
    a: faer::MatRef<'_, T>,
    ord: MatrixOrd,
    par: faer::Par,
) -> Result<T> {
    let (m, n) = (a.nrows(), a.ncols());
    if m == 0 || n == 0 {
        return Ok(T::zero());
    }
    let col_sums = || (0..n).map(move |j| (0..m).fold(T::zero(), |s, i| s + a[(i, j)].abs()));
    let row_sums = || (0..m).map(move |i| (0..n).fold(T::zero(), |s, j| s + a[(i, j)].abs()));
    let max = |it: &mut dyn Iterator<Item = T>| {
        it.fold(
            T::neg_infinity(),
            |x, y| if y > x || y.is_nan() { y } else { x },
        )
    };
    let min = |it: &mut dyn Iterator<Item = T>| {
        it.fold(
            T::infinity(),
            |x, y| if y < x || y.is_nan() { y } else { x },
        )
    };
    Ok(match ord {
        MatrixOrd::Fro => nrm2((0..m).flat_map(move |i| (0..n).map(move |j| a[(i, j)]))),
        MatrixOrd::One => max(&mut col_sums()),
        MatrixOrd::NegOne => min(&mut col_sums()),
        MatrixOrd::Inf => max(&mut row_sums()),
        MatrixOrd::NegInf => min(&mut row_sums()),
        MatrixOrd::Nuc => {
            let r = svd_core::singular_values(a, par)?;
            r.unscale(r.s_scaled.iter().fold(T::zero(), |x, &y| x + y))
        }
        MatrixOrd::Two => svd_core::singular_values(a, par)?.s[0],
        MatrixOrd::NegTwo => *svd_core::singular_values(a, par)?.s.last().unwrap(),
    })
}

pub(super) fn matrix_norm<T: Real>(
    inputs: &[MatRef<'_, T>],
    ord: MatrixOrd,
    transpose: bool,
    par: faer::Par,
) -> Result<Vec<Output<T>>> {
    let a = &expect_inputs(inputs, 1, "norm")?[0];
    let v = if transpose {
        view(a).transpose()
    } else {
        view(a)
    };
    Ok(vec![scalar(matrix_norm_of(v, ord, par)?)])
}

fn vnorm<T: Real>(values: impl Iterator<Item = T> + Clone, ord: f64) -> T {
    if ord == f64::INFINITY {
        values.fold(T::zero(), |m, x| {
            let a = x.abs();
            if a > m || a.is_nan() {
                a
            } else {
                m
            }
        })
    } else if ord == f64::NEG_INFINITY {
        let mut it = values.peekable();
        if it.peek().is_none() {
            return T::zero();
        }
        it.fold(T::infinity(), |m, x| {
            let a = x.abs();
            if a < m || a.is_nan() {
                a
            } else {
                m
            }
        })
    } else if ord == 0.0 {
        T::of_f64(values.filter(|&x| x != T::zero()).count() as f64)
    } else if ord == 1.0 {
        values.fold(T::zero(), |s, x| s + x.abs())
    } else if ord == 2.0 {
        nrm2(values)
    } else {
        let p = T::of_f64(ord);
        let s = values.fold(T::zero(), |s, x| s + x.abs().powf(p));
        s.powf(p.recip())
    }
}

pub(super) fn vector_norm<T: Real>(
    inputs: &[MatRef<'_, T>],
    ord: f64,
    axis: Option<usize>,
) -> Result<Vec<Output<T>>> {
    let a = &expect_inputs(inputs, 1, "norm")?[0];
    let (r, c, d) = (a.rows, a.cols, a.data);
    if ord.is_nan() {
        return Err(invalid("Invalid norm order for vectors."));
    }
    match axis {
        None => Ok(vec![scalar(vnorm(d.iter().copied(), ord))]),
        Some(0) => Ok(vec![real(
            vec![c],
            (0..c)
                .map(|j| vnorm((0..r).map(move |i| d[i * c + j]), ord))
                .collect(),
        )]),
        Some(1) => Ok(vec![real(
            vec![r],
            (0..r)
                .map(|i| vnorm(d[i * c..(i + 1) * c].iter().copied(), ord))
                .collect(),
        )]),
        Some(x) => Err(invalid(format!(
            "norm: axis {x} is out of bounds for a 2-D array"
        ))),
    }
}

pub(super) fn matmul<T: Real>(inputs: &[MatRef<'_, T>], par: faer::Par) -> Result<Vec<Output<T>>> {
    let ins = expect_inputs(inputs, 2, "matmul")?;
    let (a, b) = (&ins[0], &ins[1]);
    if a.cols != b.rows {
        return Err(invalid(format!(
            "matmul: shapes {}x{} and {}x{} do not align",
            a.rows, a.cols, b.rows, b.cols
        )));
    }
    let (m, n) = (a.rows, b.cols);
    // Zeroed on the call's threads: a large result is memory-bound to clear.
    let mut out = musique_core::filled_vec(m * n, T::zero(), crate::Par::new(par.degree()));
    {
        let dst = MatMut::from_row_major_slice_mut(&mut out, m, n);
        super::gemm(dst, false, view(a), view(b), T::one(), par);
    }
    Ok(vec![real(vec![m, n], out)])
}
