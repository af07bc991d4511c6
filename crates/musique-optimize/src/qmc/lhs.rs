//! Latin hypercube as `scipy.stats.qmc.LatinHypercube` (strength 1): each of
//! the `n` strata of every axis holds exactly one point.

use super::{QmcError, Rng};

/// `scipy.stats.qmc.LatinHypercube(d, scramble=..., strength=1,
/// optimization=None)`.
#[derive(Debug, Clone)]
pub struct LatinHypercube {
    d: usize,
    scramble: bool,
    rng: Rng,
    seed: Rng,
    num_generated: u64,
}

impl LatinHypercube {
    /// `scramble = true` (SciPy's default) jitters each point uniformly inside
    /// its cell; `false` puts it at the cell's centre.
    pub fn new(d: usize, scramble: bool, rng: Rng) -> LatinHypercube {
        LatinHypercube {
            d,
            scramble,
            seed: rng.clone(),
            rng,
            num_generated: 0,
        }
    }

    pub fn d(&self) -> usize {
        self.d
    }

    /// `n` points, `n x d` row-major in `[0, 1)`: SciPy's
    /// `(perm - u) / n` with `perm` a shuffle of `1..=n` per axis.
    pub fn random(&mut self, n: usize) -> Result<Vec<f64>, QmcError> {
        let d = self.d;
        let jitter: Vec<f64> = if self.scramble {
            (0..n * d).map(|_| self.rng.uniform()).collect()
        } else {
            vec![0.5; n * d]
        };
        let mut sample = vec![0.0; n * d];
        let mut perm: Vec<usize> = Vec::with_capacity(n);
        for j in 0..d {
            perm.clear();
            perm.extend(1..=n);
            self.rng.shuffle(&mut perm);
            for (i, &p) in perm.iter().enumerate() {
                sample[i * d + j] = (p as f64 - jitter[i * d + j]) / n as f64;
            }
        }
        self.num_generated += n as u64;
        Ok(sample)
    }

    /// Back to the generator's first state.
    pub fn reset(&mut self) {
        self.rng = self.seed.clone();
        self.num_generated = 0;
    }
}
