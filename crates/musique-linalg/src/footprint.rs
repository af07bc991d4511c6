//! What a request needs before it runs: the values of each result array and
//! an upper estimate of the working memory beside them (copies of the
//! inputs, factors, faer's scratch), from the input shapes alone, in `u128`
//! with saturating arithmetic, so that no shape can make it wrap.
//!
//! The estimates follow what the faer backend allocates, and were checked
//! against the peak resident memory of 2000-3000 square problems (with their
//! results: svd with vectors about 9 n² values, expm 16 n², eig and eigh
//! 5-6 n², lu and qr 6 n²): each at or up to about 1.5 times above it.
//!
//! The caller (the binding) compares these with what can be allocated and
//! refuses the request first: a result such as `lu`'s m×m permutation of an
//! m×1 matrix, or `matmul`'s m×n of an m×0 by a 0×n, grows far beyond its
//! input, and an allocation failure inside the kernels ends the process.

use crate::{LinalgError, MatrixOrd, Op, QrMode, Result};

/// The element type of one result array.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutputKind {
    /// Values of `T`.
    Real,
    /// Interleaved re, im values of `T` (counted as values, two per element).
    Complex,
    /// `i32`.
    Int,
}

/// Sizes of a request, in values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Footprint {
    /// Each result array, in [`crate::run`]'s order: its kind and number of values.
    pub outputs: Vec<(OutputKind, u128)>,
    /// Working memory, in values of `T`: an upper estimate of what the faer
    /// backend holds beside the results at its peak.
    pub work: u128,
}

impl Footprint {
    /// Bytes of the results, with `elem` bytes per value of `T`.
    pub fn output_bytes(&self, elem: usize) -> u128 {
        self.outputs.iter().fold(0u128, |acc, &(kind, n)| {
            let size = if kind == OutputKind::Int {
                4
            } else {
                elem as u128
            };
            acc.saturating_add(n.saturating_mul(size))
        })
    }

    /// Bytes of the working memory, with `elem` bytes per value of `T`.
    pub fn work_bytes(&self, elem: usize) -> u128 {
        self.work.saturating_mul(elem as u128)
    }
}

/// `a · b`, saturating.
fn mul(a: u128, b: u128) -> u128 {
    a.saturating_mul(b)
}

/// Sum of the terms, saturating.
fn sum(terms: &[u128]) -> u128 {
    terms.iter().fold(0u128, |a, &b| a.saturating_add(b))
}

impl Op {
    /// The sizes of this op on inputs of the given (rows, cols): `Invalid`
    /// when the number of inputs is not the op's; other shape checks are
    /// the kernels' (the sizes are computed from whatever the shapes are).
    pub fn footprint(&self, dims: &[(usize, usize)]) -> Result<Footprint> {
        let want = match self {
            Op::Solve { .. }
            | Op::SolveTriangular { .. }
            | Op::Lstsq { .. }
            | Op::Matmul
            | Op::ChoSolve { .. } => 2,
            Op::LuSolve { .. } => 3,
            _ => 1,
        };
        if dims.len() != want {
            return Err(LinalgError::Invalid(format!(
                "{self:?} takes {want} input(s), got {}",
                dims.len()
            )));
        }
        let (m, n) = (dims[0].0 as u128, dims[0].1 as u128);
        let k = m.min(n);
        // Columns of the last input (the right-hand sides), and its rows.
        let (br, bc) = dims
            .last()
            .map(|&(r, c)| (r as u128, c as u128))
            .unwrap_or((0, 0));
        // Scratch that grows with a dimension (panels, pivots, Householder
        // blocks, faer's stacks): generous, but never the dominant term.
        let lin = mul(64, m.saturating_add(n).saturating_add(bc));
        let real = |v: u128| (OutputKind::Real, v);
        let int = |v: u128| (OutputKind::Int, v);
        // The singular values alone: a scaled copy, faer's bidiagonal form
        // and its QR sweeps (measured: svdvals of 3000×3000 peaks near 2.2 n²).
        let values_only = sum(&[mul(2, mul(m, n)), mul(2, mul(k, k)), lin]);
        let (outputs, work) = match *self {
            Op::Solve { .. } => (
                vec![real(mul(n, bc))],
                sum(&[mul(2, mul(n, n)), mul(2, mul(n, bc)), lin]),
            ),
            Op::SolveTriangular { .. } | Op::ChoSolve { .. } => {
                (vec![real(mul(n, bc))], sum(&[mul(n, bc), lin]))
            }
            Op::LuSolve { .. } => (vec![real(mul(br, bc))], sum(&[mul(n, n), mul(br, bc), lin])),
            Op::Inv => (vec![real(mul(n, n))], sum(&[mul(3, mul(n, n)), lin])),
            Op::Det => (vec![real(1)], sum(&[mul(2, mul(n, n)), lin])),
            Op::Slogdet => (vec![real(1), real(1)], sum(&[mul(n, n), lin])),
            Op::Lstsq { .. } => (
                vec![real(mul(n, bc)), real(bc), int(1), real(k)],
                sum(&[
                    mul(m, n),
                    mul(2, mul(br, bc)),
                    mul(2, mul(n, bc)),
                    mul(2, mul(k, k)),
                    lin,
                ]),
            ),
            Op::Pinv { .. } => (
                vec![real(mul(n, m))],
                // A scaled copy and faer's, U and V (thin), Σ⁻¹·Uᵀ, the SVD's stack.
                sum(&[
                    mul(3, mul(m, n)),
                    mul(k, m),
                    mul(k, n),
                    mul(4, mul(k, k)),
                    lin,
                ]),
            ),
            Op::MatrixNorm { ord, .. } | Op::Cond { p: Some(ord) } => {
                let svd = matches!(ord, MatrixOrd::Nuc | MatrixOrd::Two | MatrixOrd::NegTwo);
                let inverse = matches!(self, Op::Cond { .. }) && !svd;
                let work = if svd {
                    values_only
                } else if inverse {
                    sum(&[mul(3, mul(n, n)), lin])
                } else {
                    0
                };
                (vec![real(1)], work)
            }
            Op::Cond { p: None } => (vec![real(1)], values_only),
            Op::MatrixRank { .. } => (vec![int(1)], values_only),
            Op::VectorNorm { axis, .. } => {
                let len = match axis {
                    Some(0) => n,
                    Some(_) => m,
                    None => 1,
                };
                (vec![real(len)], 0)
            }
            Op::Matmul => (vec![real(mul(m, bc))], lin),
            Op::Lu {
                permute_l,
                p_indices,
            } => {
                // l and u as faer matrices, the copy factored in place, and
                // room for what the allocator keeps between them (measured:
                // lu of 3000×3000 peaks near 6.3 n² with its results).
                let work = sum(&[mul(2, mul(m, n)), mul(m, k), mul(k, n), lin]);
                if permute_l {
                    (vec![real(mul(m, k)), real(mul(k, n))], work)
                } else {
                    // p is empty when a is (SciPy's shapes).
                    let pm = if k == 0 { 0 } else { m };
                    let p = if p_indices {
                        int(pm)
                    } else {
                        real(mul(pm, pm))
                    };
                    (vec![p, real(mul(m, k)), real(mul(k, n))], work)
                }
            }
            Op::LuFactor => (vec![real(mul(m, n)), int(k)], sum(&[mul(m, n), lin])),
            Op::Qr { mode } | Op::QrPivoting { mode } => {
                let (q, r) = match mode {
                    QrMode::Full => (mul(m, m), mul(m, n)),
                    QrMode::Economic => (mul(m, k), mul(k, n)),
                    QrMode::R => (0, mul(m, n)),
                };
                let mut outputs = if mode == QrMode::R {
                    vec![real(r)]
                } else {
                    vec![real(q), real(r)]
                };
                // The factored copy, R and Q as faer matrices; pivoting also
                // keeps a working copy and the permuted input.
                let mut work = sum(&[mul(2, mul(m, n)), q, r, mul(64, m), lin]);
                if matches!(self, Op::QrPivoting { .. }) {
                    outputs.push(int(n));
                    work = work.saturating_add(mul(2, mul(m, n)));
                }
                (outputs, work)
            }
            Op::Cholesky { .. } => (vec![real(mul(n, n))], sum(&[mul(n, n), lin])),
            Op::Svd {
                full_matrices,
                compute_uv,
            } => {
                if !compute_uv {
                    (vec![real(k)], values_only)
                } else {
                    let (u, vh) = if full_matrices {
                        (mul(m, m), mul(n, n))
                    } else {
                        (mul(m, k), mul(k, n))
                    };
                    // U and V as faer matrices beside the results, a scaled
                    // copy and the bidiagonalisation's, divide and conquer's blocks.
                    (
                        vec![real(u), real(k), real(vh)],
                        sum(&[u, vh, mul(2, mul(m, n)), mul(4, mul(k, k)), lin]),
                    )
                }
            }
            Op::Eig { right } => {
                let mut outputs = vec![(OutputKind::Complex, mul(2, n))];
                if right {
                    outputs.push((OutputKind::Complex, mul(2, mul(n, n))));
                }
                (outputs, sum(&[mul(5, mul(n, n)), lin]))
            }
            Op::Eigh {
                vectors, subset, ..
            } => {
                let count = match subset {
                    Some((lo, hi)) if lo <= hi => (hi - lo) as u128 + 1,
                    _ => n,
                };
                let mut outputs = vec![real(count)];
                if vectors {
                    outputs.push(real(mul(n, count)));
                }
                (outputs, sum(&[mul(5, mul(n, n)), lin]))
            }
            // The Padé terms: powers of a, U, V, their sum and difference, |a|.
            Op::Expm => (vec![real(mul(n, n))], sum(&[mul(16, mul(n, n)), lin])),
        };
        Ok(Footprint { outputs, work })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_that_outgrow_their_input_are_counted() {
        let f = Op::Matmul.footprint(&[(200_000, 0), (0, 200_000)]).unwrap();
        assert_eq!(f.outputs, vec![(OutputKind::Real, 40_000_000_000)]);
        assert_eq!(f.output_bytes(8), 320_000_000_000);
        let lu = Op::Lu {
            permute_l: false,
            p_indices: false,
        };
        let f = lu.footprint(&[(200_000, 1)]).unwrap();
        assert_eq!(f.outputs[0], (OutputKind::Real, 40_000_000_000));
        // An empty a has an empty p, as SciPy's.
        let f = lu.footprint(&[(200_000, 0)]).unwrap();
        assert_eq!(f.outputs[0], (OutputKind::Real, 0));
        let qr = Op::Qr { mode: QrMode::Full };
        assert_eq!(
            qr.footprint(&[(100_000, 1)]).unwrap().outputs[0],
            (OutputKind::Real, 10_000_000_000)
        );
    }

    #[test]
    fn no_shape_makes_it_wrap() {
        let huge = usize::MAX;
        let f = Op::Matmul.footprint(&[(huge, 0), (0, huge)]).unwrap();
        assert_eq!(f.outputs[0].1, (huge as u128) * (huge as u128));
        let svd = Op::Svd {
            full_matrices: true,
            compute_uv: true,
        };
        let f = svd.footprint(&[(huge, huge)]).unwrap();
        assert_eq!(f.work, u128::MAX);
        assert_eq!(f.output_bytes(8), u128::MAX);
    }

    #[test]
    fn a_wrong_number_of_inputs_is_invalid() {
        assert!(matches!(
            Op::Matmul.footprint(&[(2, 2)]),
            Err(LinalgError::Invalid(_))
        ));
    }
}
