//! scipy.stats.qmc's engines: Sobol, Halton and LatinHypercube.

use musique_optimize::qmc::{
    permutation_bytes, primes_bytes, try_n_primes, Halton, LatinHypercube, Rng, Sobol,
};
use napi::bindgen_prelude::*;
use napi_derive::napi;

use super::{check_work, qmc_err};
use crate::runtime::{check_memory, range_error};

enum Sampler {
    Sobol(Sobol),
    Halton(Halton),
    Lhs(LatinHypercube),
}

/// One scipy.stats.qmc sampler (Sobol, Halton or LatinHypercube), stateful
/// as SciPy's: each `random(n)` continues the sequence.
#[napi]
pub struct QmcEngine {
    inner: Sampler,
}

#[napi]
impl QmcEngine {
    /// `kind`: 'sobol', 'halton' or 'lhs'; `seed` an integer below 2^53 (the TypeScript layer draws one when none is given).
    #[napi(constructor, catch_unwind)]
    pub fn new(kind: String, d: u32, scramble: bool, seed: f64, bits: Option<u32>) -> Result<Self> {
        let mut rng = Rng::new(seed as u64);
        let d = d as usize;
        let inner = match kind.as_str() {
            "sobol" => {
                Sampler::Sobol(Sobol::new(d, bits, scramble.then_some(&mut rng)).map_err(qmc_err)?)
            }
            "halton" => {
                check_work(primes_bytes(d), "the Halton bases (the first d primes)")?;
                let bases = try_n_primes(d).map_err(qmc_err)?;
                if scramble {
                    check_work(
                        permutation_bytes(&bases),
                        "the Halton scrambling permutations",
                    )?;
                }
                Sampler::Halton(
                    Halton::with_bases(bases, scramble.then_some(&mut rng)).map_err(qmc_err)?,
                )
            }
            "lhs" => Sampler::Lhs(LatinHypercube::new(d, scramble, rng)),
            other => return Err(range_error(format!("unknown qmc engine '{other}'"))),
        };
        Ok(QmcEngine { inner })
    }

    /// `n` points, n×d row-major, in [0, 1).
    #[napi(catch_unwind)]
    pub fn random(&mut self, n: u32) -> Result<Float64Array> {
        let (d, work, what) = match &self.inner {
            // Past 2**bits points, SciPy's own error comes first.
            Sampler::Sobol(s) if !sobol_fits(s, n as u128) => (0, 0, "Sobol.random"),
            Sampler::Sobol(s) => (s.d(), 0, "Sobol.random"),
            Sampler::Halton(s) => (s.d(), 0, "Halton.random"),
            Sampler::Lhs(s) => (s.d(), s.work_bytes(n as usize), "LatinHypercube.random"),
        };
        check_memory(n as u128 * d as u128, 8, work, what)?;
        let v = match &mut self.inner {
            Sampler::Sobol(s) => s.random(n as usize),
            Sampler::Halton(s) => s.random(n as usize),
            Sampler::Lhs(s) => s.random(n as usize),
        }
        .map_err(qmc_err)?;
        Ok(Float64Array::new(v))
    }

    /// Sobol only: 2^m points.
    #[napi(catch_unwind)]
    pub fn random_base2(&mut self, m: u32) -> Result<Float64Array> {
        match &mut self.inner {
            Sampler::Sobol(s) => {
                if m < 64 && sobol_fits(s, 1u128 << m) {
                    check_memory((1u128 << m) * s.d() as u128, 8, 0, "Sobol.randomBase2")?;
                }
                Ok(Float64Array::new(s.random_base2(m).map_err(qmc_err)?))
            }
            _ => Err(range_error("randomBase2 is a Sobol method")),
        }
    }

    /// Whether drawing `n` points now keeps Sobol's balance properties (n a power of two from the start).
    #[napi(catch_unwind)]
    pub fn is_balanced(&self, n: u32) -> bool {
        match &self.inner {
            Sampler::Sobol(s) => s.is_balanced(n as usize),
            _ => true,
        }
    }

    #[napi(catch_unwind)]
    pub fn reset(&mut self) {
        match &mut self.inner {
            Sampler::Sobol(s) => s.reset(),
            Sampler::Halton(s) => s.reset(),
            Sampler::Lhs(s) => s.reset(),
        }
    }

    #[napi(catch_unwind)]
    pub fn fast_forward(&mut self, n: f64) -> Result<()> {
        match &mut self.inner {
            Sampler::Sobol(s) => s.fast_forward(n as u64).map_err(qmc_err)?,
            Sampler::Halton(s) => s.fast_forward(n as u64).map_err(qmc_err)?,
            Sampler::Lhs(s) => {
                // SciPy's LatinHypercube draws fresh points each call: skipping is drawing and discarding.
                let n = n as u64;
                check_memory(
                    n as u128 * s.d() as u128,
                    8,
                    s.work_bytes(n as usize),
                    "LatinHypercube.fastForward",
                )?;
                let _ = self.random(n as u32)?;
            }
        }
        Ok(())
    }
}

/// Whether `n` more points stay within the `2**bits` a Sobol' engine can draw.
fn sobol_fits(s: &Sobol, n: u128) -> bool {
    s.num_generated() as u128 + n <= 1u128 << s.bits()
}
