//! Latin hypercube as `scipy.stats.qmc.LatinHypercube` (strength 1): each of
//! the `n` strata of every axis holds exactly one point.

use super::{sample_len, try_filled, QmcError, Rng};

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

    /// Working memory of `random(n)` beside its result: the jitter and one permutation.
    pub fn work_bytes(&self, n: usize) -> u128 {
        (n as u128) * (self.d as u128 + 1) * 8
    }

    /// `n` points, `n x d` row-major in `[0, 1)`: SciPy's
    /// `(perm - u) / n` with `perm` a shuffle of `1..=n` per axis.
    pub fn random(&mut self, n: usize) -> Result<Vec<f64>, QmcError> {
        let d = self.d;
        let len = sample_len(n, d, "LatinHypercube.random")?;
        let mut jitter = try_filled(len, 0.5, "LatinHypercube.random")?;
        if self.scramble {
            jitter.iter_mut().for_each(|j| *j = self.rng.uniform());
        }
        let mut sample = try_filled(len, 0.0, "LatinHypercube.random")?;
        let mut perm: Vec<usize> = try_filled(n, 0, "LatinHypercube.random")?;
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
