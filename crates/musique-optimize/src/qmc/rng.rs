//! The seedable generator shared by the samplers and differential evolution.

use rand::{Rng as _, RngCore, SeedableRng};
use rand_pcg::Pcg64;

/// A seeded PCG-64 (`rand_pcg::Pcg64`, O'Neill's XSL-RR 128/64), whose
/// stream for a seed is fixed by the crate's versioned algorithm.
///
/// Not NumPy's generator: samplers seeded with the same number as SciPy draw
/// different (equally distributed) points.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rng(Pcg64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(Pcg64::seed_from_u64(seed))
    }

    /// A fresh generator seeded from this one's stream: how an engine hands a
    /// sampler its own generator.
    pub fn spawn(&mut self) -> Rng {
        Rng::new(self.0.next_u64())
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0.next_u64()
    }

    /// Uniform in `[0, 1)` with 53 random bits.
    pub fn uniform(&mut self) -> f64 {
        self.0.gen::<f64>()
    }

    /// Uniform in `[lo, hi)`, as NumPy's `uniform(lo, hi)`: `lo + (hi - lo) * u`.
    pub fn uniform_in(&mut self, lo: f64, hi: f64) -> f64 {
        lo + (hi - lo) * self.uniform()
    }

    /// Uniform integer in `0..n` (`n >= 1`), unbiased.
    pub fn below(&mut self, n: usize) -> usize {
        self.0.gen_range(0..n)
    }

    /// One fair bit.
    pub fn bit(&mut self) -> bool {
        self.0.next_u32() & 1 == 1
    }

    /// Fisher-Yates shuffle in place.
    pub fn shuffle<T>(&mut self, v: &mut [T]) {
        for i in (1..v.len()).rev() {
            let j = self.below(i + 1);
            v.swap(i, j);
        }
    }
}

impl RngCore for Rng {
    fn next_u32(&mut self) -> u32 {
        self.0.next_u32()
    }
    fn next_u64(&mut self) -> u64 {
        self.0.next_u64()
    }
    fn fill_bytes(&mut self, dest: &mut [u8]) {
        self.0.fill_bytes(dest)
    }
    fn try_fill_bytes(&mut self, dest: &mut [u8]) -> Result<(), rand::Error> {
        self.0.try_fill_bytes(dest)
    }
}
