//! Norms as numpy.linalg.norm: lange for 'fro', 1 and inf; the 2-norms
//! through gesdd; vector norms computed here.

use super::svd_core::gesdd;
use super::{ch, invalid, to_i, Cm, Lapack, To64};
use crate::{MatRef, MatrixOrd, Output, Real, Result};

/// lange for 'F', '1', 'I'; the row-major data read as column-major is aᵀ,
/// so '1' and 'I' swap.
fn lange<T: Real, F: Lapack>(x: &MatRef<'_, T>, norm: u8, transpose: bool) -> Result<f64> {
    if x.data.is_empty() {
        return Ok(0.0);
    }
    let data: Vec<F> = x.data.iter().map(|v| F::of_f64(v.to64())).collect();
    // Column-major aᵀ: cols × rows.
    let (m, n) = (to_i(x.cols)?, to_i(x.rows)?);
    let norm = match (norm, transpose) {
        (b'F', _) => b'F',
        (b'1', false) | (b'I', true) => b'I',
        _ => b'1',
    };
    let mut work = vec![F::zero(); x.cols.max(1)];
    let c = ch(norm);
    // SAFETY: data is cols×rows column-major, ld = cols >= 1; work holds cols.
    Ok(unsafe { (F::LANGE)(&c, &m, &n, data.as_ptr(), &m, work.as_mut_ptr(), 1) }.to64())
}

pub(super) fn matrix_norm<T: Real, F: Lapack>(
    x: &MatRef<'_, T>,
    ord: MatrixOrd,
    transpose: bool,
) -> Result<f64> {
    if x.data.is_empty() {
        return Ok(0.0);
    }
    match ord {
        MatrixOrd::Fro => lange::<T, F>(x, b'F', transpose),
        MatrixOrd::One => lange::<T, F>(x, b'1', transpose),
        MatrixOrd::Inf => lange::<T, F>(x, b'I', transpose),
        MatrixOrd::NegOne | MatrixOrd::NegInf => {
            // min column sum (-1) or min row sum (-inf) of |a| (of aᵀ when transpose).
            let by_col = (ord == MatrixOrd::NegOne) != transpose;
            let (r, c) = (x.rows, x.cols);
            let sums: Vec<f64> = if by_col {
                (0..c)
                    .map(|j| (0..r).map(|i| x.data[i * c + j].to64().abs()).sum())
                    .collect()
            } else {
                (0..r)
                    .map(|i| {
                        x.data[i * c..(i + 1) * c]
                            .iter()
                            .map(|v| v.to64().abs())
                            .sum()
                    })
                    .collect()
            };
            let v = sums.into_iter().fold(f64::INFINITY, f64::min);
            Ok(T::of_f64(v).to64())
        }
        MatrixOrd::Nuc | MatrixOrd::Two | MatrixOrd::NegTwo => {
            let (_, s, _) = gesdd(&mut Cm::<F>::of(x), None)?;
            Ok(match ord {
                MatrixOrd::Nuc => s.iter().fold(F::zero(), |a, v| a + *v).to64(),
                MatrixOrd::Two => s[0].to64(),
                _ => s[s.len() - 1].to64(),
            })
        }
    }
}

/// numpy.linalg.norm for vectors, by columns, rows or all elements.
pub(super) fn vector_norm<T: Real>(
    x: &MatRef<'_, T>,
    ord: f64,
    axis: Option<usize>,
) -> Result<Output<T>> {
    let norm = |it: &mut dyn Iterator<Item = f64>| -> f64 {
        if ord == f64::INFINITY {
            it.fold(0.0, |a, v| a.max(v.abs()))
        } else if ord == f64::NEG_INFINITY {
            it.fold(f64::INFINITY, |a, v| a.min(v.abs()))
        } else if ord == 0.0 {
            it.filter(|v| *v != 0.0).count() as f64
        } else if ord == 1.0 {
            it.map(f64::abs).sum()
        } else if ord == 2.0 {
            // LAPACK's lassq scaling: no overflow for large values.
            let (mut scale, mut ssq) = (0.0f64, 1.0f64);
            for v in it {
                let a = v.abs();
                if a != 0.0 {
                    if scale < a {
                        ssq = 1.0 + ssq * (scale / a) * (scale / a);
                        scale = a;
                    } else {
                        ssq += (a / scale) * (a / scale);
                    }
                }
            }
            scale * ssq.sqrt()
        } else {
            it.map(|v| v.abs().powf(ord)).sum::<f64>().powf(1.0 / ord)
        }
    };
    let (r, c) = (x.rows, x.cols);
    let d = x.data;
    let (shape, data): (Vec<usize>, Vec<f64>) = match axis {
        None => (vec![], vec![norm(&mut d.iter().map(|v| v.to64()))]),
        Some(0) => (
            vec![c],
            (0..c)
                .map(|j| norm(&mut (0..r).map(|i| d[i * c + j].to64())))
                .collect(),
        ),
        Some(1) => (
            vec![r],
            (0..r)
                .map(|i| norm(&mut d[i * c..(i + 1) * c].iter().map(|v| v.to64())))
                .collect(),
        ),
        Some(a) => return invalid(format!("vector norm: axis {a} of a 2-D array")),
    };
    Ok(Output::Real {
        shape,
        data: data.into_iter().map(T::of_f64).collect(),
    })
}
