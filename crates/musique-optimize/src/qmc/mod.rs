//! scipy.stats.qmc's samplers: [`Sobol`], [`Halton`], [`LatinHypercube`],
//! and the seeded [`Rng`] they share with differential evolution.
//!
//! Samples are `n x d` row-major `Vec<f64>` in `[0, 1)`. Unscrambled Sobol'
//! and Halton points equal SciPy's bit for bit (same direction numbers, same
//! Gray-code order, same floating-point sums). Scrambled points and Latin
//! hypercubes follow SciPy's constructions but draw from [`Rng`] (PCG-64),
//! not NumPy's generator, so a seed gives different points than SciPy's.

mod halton;
mod lhs;
mod rng;
mod sobol;
mod sobol_table;

use musique_core::format_bytes;
use std::fmt;

pub use halton::{n_primes, permutation_bytes, primes_bytes, try_n_primes, Halton};
pub use lhs::LatinHypercube;
pub use rng::Rng;
pub use sobol::Sobol;

/// Why a sampler refused, with SciPy's message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum QmcError {
    SobolMaxDim {
        maxdim: usize,
    },
    SobolMaxBits,
    SobolZeroBits,
    SobolTooMany {
        bits: u32,
        num_generated: u64,
        n: u128,
    },
    SobolBase2 {
        num_generated: u64,
        m: u32,
        /// `num_generated + 2**m`, when it fits in 128 bits.
        total: Option<u128>,
    },
    /// A request whose memory (`bytes`, saturated) cannot be had, or whose
    /// size overflows `usize`: never an abort.
    Alloc {
        bytes: u128,
        what: &'static str,
    },
}

/// `n * d` values, or [`QmcError::Alloc`] when the product overflows.
pub(crate) fn sample_len(n: usize, d: usize, what: &'static str) -> Result<usize, QmcError> {
    n.checked_mul(d).ok_or(QmcError::Alloc {
        bytes: (n as u128).saturating_mul(d as u128).saturating_mul(8),
        what,
    })
}

/// A vector of `len` copies of `value`, reserved fallibly.
pub(crate) fn try_filled<T: Clone>(
    len: usize,
    value: T,
    what: &'static str,
) -> Result<Vec<T>, QmcError> {
    let mut v = Vec::new();
    v.try_reserve_exact(len).map_err(|_| QmcError::Alloc {
        bytes: (len as u128).saturating_mul(std::mem::size_of::<T>() as u128),
        what,
    })?;
    v.resize(len, value);
    Ok(v)
}

impl fmt::Display for QmcError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            QmcError::SobolMaxDim { maxdim } => {
                write!(f, "Maximum supported dimensionality is {maxdim}.")
            }
            QmcError::SobolMaxBits => f.write_str("Maximum supported 'bits' is 64"),
            QmcError::SobolZeroBits => f.write_str("'bits' must be at least 1"),
            QmcError::SobolTooMany {
                bits,
                num_generated,
                n,
            } => {
                let maxn = 1u128 << bits;
                let total = num_generated as u128 + n;
                write!(
                    f,
                    "At most 2**{bits}={maxn} distinct points can be generated. \
                     {num_generated} points have been previously generated, then: \
                     n={num_generated}+{n}={total}. "
                )?;
                if bits != 64 {
                    f.write_str("Consider increasing `bits`.")?;
                }
                Ok(())
            }
            QmcError::SobolBase2 {
                num_generated,
                m,
                total,
            } => {
                write!(
                    f,
                    "The balance properties of Sobol' points require n to be a power of 2. \
                     {num_generated} points have been previously generated, then: \
                     n={num_generated}+2**{m}"
                )?;
                if let Some(total) = total {
                    write!(f, "={total}")?;
                }
                f.write_str(
                    ". If you still want to do this, the function 'Sobol.random()' can be used.",
                )
            }
            QmcError::Alloc { bytes, what } => {
                write!(f, "cannot allocate {} for {what}", format_bytes(bytes))
            }
        }
    }
}

impl std::error::Error for QmcError {}

/// Centered L2 discrepancy of an `n x d` sample in the unit cube
/// (`scipy.stats.qmc.discrepancy(sample, method='CD')`).
pub fn centered_discrepancy(sample: &[f64], d: usize) -> f64 {
    if d == 0 || sample.is_empty() {
        return 0.0;
    }
    let n = sample.len() / d;
    let rows: Vec<&[f64]> = sample.chunks_exact(d).collect();
    let mut disc1 = 0.0;
    for r in &rows {
        let mut prod = 1.0;
        for &x in r.iter() {
            let a = (x - 0.5).abs();
            prod *= 1.0 + 0.5 * a - 0.5 * a * a;
        }
        disc1 += prod;
    }
    let mut disc2 = 0.0;
    for ri in &rows {
        for rj in &rows {
            let mut prod = 1.0;
            for (&xi, &xj) in ri.iter().zip(rj.iter()) {
                prod *=
                    1.0 + 0.5 * (xi - 0.5).abs() + 0.5 * (xj - 0.5).abs() - 0.5 * (xi - xj).abs();
            }
            disc2 += prod;
        }
    }
    let n = n as f64;
    (13.0f64 / 12.0).powi(d as i32) - 2.0 / n * disc1 + disc2 / (n * n)
}

/// `scipy.stats.qmc.scale`: maps unit-cube rows onto `[lo, hi)` per axis.
pub fn scale(sample: &[f64], lo: &[f64], hi: &[f64]) -> Vec<f64> {
    let d = lo.len();
    sample
        .iter()
        .enumerate()
        .map(|(k, &x)| {
            let j = k % d;
            x * (hi[j] - lo[j]) + lo[j]
        })
        .collect()
}
