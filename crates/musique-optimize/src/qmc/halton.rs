//! Halton sequence as `scipy.stats.qmc.Halton`: one van der Corput sequence
//! per dimension in the first `d` prime bases, optionally scrambled with
//! Owen's random digit permutations (`scipy/stats/_qmc_cy.pyx`).

use super::{QmcError, Rng};

/// `scipy.stats.qmc.Halton`.
#[derive(Debug, Clone)]
pub struct Halton {
    d: usize,
    bases: Vec<u64>,
    /// Per dimension: `count x base` digit permutations (empty unscrambled).
    permutations: Vec<Vec<Vec<u64>>>,
    num_generated: u64,
}

impl Halton {
    /// `Halton(d, scramble=rng.is_some())`: permutations are drawn from `rng`.
    pub fn new(d: usize, scramble: Option<&mut Rng>) -> Halton {
        let bases = n_primes(d);
        let permutations = match scramble {
            None => vec![Vec::new(); d],
            Some(rng) => bases
                .iter()
                .map(|&b| van_der_corput_permutations(b, rng))
                .collect(),
        };
        Halton {
            d,
            bases,
            permutations,
            num_generated: 0,
        }
    }

    pub fn d(&self) -> usize {
        self.d
    }

    /// The next `n` points, `n x d` row-major in `[0, 1)`.
    pub fn random(&mut self, n: usize) -> Result<Vec<f64>, QmcError> {
        let d = self.d;
        let mut sample = vec![0.0; n * d];
        for (j, &base) in self.bases.iter().enumerate() {
            let perms = &self.permutations[j];
            for i in 0..n {
                let index = self.num_generated + i as u64;
                sample[i * d + j] = if perms.is_empty() {
                    van_der_corput_point(index, base)
                } else {
                    van_der_corput_scrambled_point(index, base, perms)
                };
            }
        }
        self.num_generated += n as u64;
        Ok(sample)
    }

    pub fn reset(&mut self) {
        self.num_generated = 0;
    }

    pub fn fast_forward(&mut self, n: u64) {
        self.num_generated += n;
    }
}

/// The radical inverse of `index` in `base`, summed digit by digit in SciPy's
/// order (so the floating-point result is SciPy's bit for bit).
fn van_der_corput_point(index: u64, base: u64) -> f64 {
    let mut quotient = index;
    let mut b2r = 1.0 / base as f64;
    let mut x = 0.0;
    while quotient > 0 {
        let remainder = quotient % base;
        x += remainder as f64 * b2r;
        b2r /= base as f64;
        quotient /= base;
    }
    x
}

fn van_der_corput_scrambled_point(index: u64, base: u64, perms: &[Vec<u64>]) -> f64 {
    let mut quotient = index;
    let mut b2r = 1.0 / base as f64;
    let mut x = 0.0;
    for perm in perms {
        let remainder = perm[(quotient % base) as usize];
        x += remainder as f64 * b2r;
        b2r /= base as f64;
        quotient /= base;
    }
    x
}

/// One random permutation of the digits for each position `k` with
/// `base**-k > 2**-54` (Owen 2017, Algorithm 1), as SciPy counts them.
fn van_der_corput_permutations(base: u64, rng: &mut Rng) -> Vec<Vec<u64>> {
    let count = (54.0 / (base as f64).log2()).ceil() as usize - 1;
    (0..count)
        .map(|_| {
            let mut p: Vec<u64> = (0..base).collect();
            rng.shuffle(&mut p);
            p
        })
        .collect()
}

/// The first `n` primes.
pub fn n_primes(n: usize) -> Vec<u64> {
    let mut primes: Vec<u64> = Vec::with_capacity(n);
    let mut k = 2u64;
    while primes.len() < n {
        if primes
            .iter()
            .take_while(|&&p| p * p <= k)
            .all(|&p| !k.is_multiple_of(p))
        {
            primes.push(k);
        }
        k += 1;
    }
    primes
}
