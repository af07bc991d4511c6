//! Halton sequence as `scipy.stats.qmc.Halton`: one van der Corput sequence
//! per dimension in the first `d` prime bases, optionally scrambled with
//! Owen's random digit permutations (`scipy/stats/_qmc_cy.pyx`).

use super::{sample_len, try_filled, QmcError, Rng};

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
    ///
    /// # Panics
    /// When the bases or permutations cannot be allocated: use
    /// [`Halton::with_bases`] after [`try_n_primes`] where `d` is not small.
    pub fn new(d: usize, scramble: Option<&mut Rng>) -> Halton {
        Halton::with_bases(n_primes(d), scramble).expect("Halton: out of memory")
    }

    /// `Halton(d, scramble=...)` on the first `d` primes (from
    /// [`try_n_primes`]); every allocation is fallible. Check
    /// [`permutation_bytes`] first when memory matters: the scrambling
    /// permutations hold about `3 p` values per prime base `p`.
    pub fn with_bases(bases: Vec<u64>, scramble: Option<&mut Rng>) -> Result<Halton, QmcError> {
        let d = bases.len();
        let mut permutations = Vec::new();
        permutations
            .try_reserve_exact(d)
            .map_err(|_| QmcError::Alloc {
                bytes: d as u128 * 24,
                what: "the Halton permutations",
            })?;
        match scramble {
            None => permutations.resize(d, Vec::new()),
            Some(rng) => {
                for &b in &bases {
                    permutations.push(van_der_corput_permutations(b, rng)?);
                }
            }
        }
        Ok(Halton {
            d,
            bases,
            permutations,
            num_generated: 0,
        })
    }

    pub fn d(&self) -> usize {
        self.d
    }

    /// The next `n` points, `n x d` row-major in `[0, 1)`.
    pub fn random(&mut self, n: usize) -> Result<Vec<f64>, QmcError> {
        let d = self.d;
        let mut sample = try_filled(sample_len(n, d, "Halton.random")?, 0.0, "Halton.random")?;
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

    /// Skips `n` points; the count stays below `2**64`.
    pub fn fast_forward(&mut self, n: u64) -> Result<(), QmcError> {
        self.num_generated = self.num_generated.checked_add(n).ok_or(QmcError::Alloc {
            bytes: 0,
            what: "Halton.fastForward (more than 2**64 points)",
        })?;
        Ok(())
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
fn van_der_corput_permutations(base: u64, rng: &mut Rng) -> Result<Vec<Vec<u64>>, QmcError> {
    const WHAT: &str = "the Halton permutations";
    let count = permutation_count(base);
    let mut out = Vec::new();
    out.try_reserve_exact(count).map_err(|_| QmcError::Alloc {
        bytes: count as u128 * 24,
        what: WHAT,
    })?;
    for _ in 0..count {
        let mut p = try_filled(base as usize, 0u64, WHAT)?;
        p.iter_mut().enumerate().for_each(|(i, v)| *v = i as u64);
        rng.shuffle(&mut p);
        out.push(p);
    }
    Ok(out)
}

fn permutation_count(base: u64) -> usize {
    (54.0 / (base as f64).log2()).ceil() as usize - 1
}

/// Bytes the scrambling permutations of these prime bases take.
pub fn permutation_bytes(bases: &[u64]) -> u128 {
    bases
        .iter()
        .map(|&b| permutation_count(b) as u128 * b as u128 * 8)
        .sum()
}

/// An upper bound on the `n`-th prime (Rosser: `n (ln n + ln ln n)` from n = 6).
fn nth_prime_bound(n: usize) -> u128 {
    if n < 6 {
        return 13;
    }
    let x = n as f64;
    (x * (x.ln() + x.ln().ln())).ceil() as u128 + 1
}

/// Bytes [`try_n_primes`] takes for `n` primes: the primes and the sieve.
pub fn primes_bytes(n: usize) -> u128 {
    n as u128 * 8 + nth_prime_bound(n)
}

/// The first `n` primes.
///
/// # Panics
/// When they cannot be allocated (see [`try_n_primes`]).
pub fn n_primes(n: usize) -> Vec<u64> {
    try_n_primes(n).expect("n_primes: out of memory")
}

/// The first `n` primes, by a sieve of Eratosthenes up to a bound on the
/// `n`-th; every allocation is fallible.
pub fn try_n_primes(n: usize) -> Result<Vec<u64>, QmcError> {
    const WHAT: &str = "the Halton bases (the first d primes)";
    let alloc = || QmcError::Alloc {
        bytes: primes_bytes(n),
        what: WHAT,
    };
    let limit = usize::try_from(nth_prime_bound(n)).map_err(|_| alloc())?;
    let mut primes: Vec<u64> = Vec::new();
    primes.try_reserve_exact(n).map_err(|_| alloc())?;
    let mut composite = try_filled(limit + 1, false, WHAT).map_err(|_| alloc())?;
    let mut k = 2usize;
    while primes.len() < n && k <= limit {
        if !composite[k] {
            primes.push(k as u64);
            let mut m = k.saturating_mul(k);
            while m <= limit {
                composite[m] = true;
                m += k;
            }
        }
        k += 1;
    }
    debug_assert_eq!(primes.len(), n);
    Ok(primes)
}
