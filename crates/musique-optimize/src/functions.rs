//! Test objectives with scipy.optimize's definitions (`rosen`, `rosen_der`,
//! `rosen_hess`) and the usual global-optimization benchmarks, and
//! [`NativeObjective`], which evaluates one of them over a batch on a rayon
//! pool.

use std::convert::Infallible;
use std::f64::consts::{E, PI};

use musique_core::Par;
use rayon::prelude::*;

use crate::Objective;

/// `scipy.optimize.rosen`: sum of `100 (x[i+1] - x[i]^2)^2 + (1 - x[i])^2`.
/// Minimum 0 at all ones.
pub fn rosen(x: &[f64]) -> f64 {
    x.windows(2)
        .map(|w| 100.0 * (w[1] - w[0] * w[0]).powi(2) + (1.0 - w[0]).powi(2))
        .sum()
}

/// `scipy.optimize.rosen_der`: the gradient of [`rosen`].
pub fn rosen_der(x: &[f64]) -> Vec<f64> {
    let n = x.len();
    let mut der = vec![0.0; n];
    if n < 2 {
        return der;
    }
    for i in 1..n - 1 {
        let (xm, xm_m1, xm_p1) = (x[i], x[i - 1], x[i + 1]);
        der[i] = 200.0 * (xm - xm_m1 * xm_m1) - 400.0 * (xm_p1 - xm * xm) * xm - 2.0 * (1.0 - xm);
    }
    der[0] = -400.0 * x[0] * (x[1] - x[0] * x[0]) - 2.0 * (1.0 - x[0]);
    der[n - 1] = 200.0 * (x[n - 1] - x[n - 2] * x[n - 2]);
    der
}

/// `scipy.optimize.rosen_hess`: the Hessian of [`rosen`], `n x n` row-major.
pub fn rosen_hess(x: &[f64]) -> Vec<f64> {
    let n = x.len();
    let mut h = vec![0.0; n * n];
    if n == 0 {
        return h;
    }
    for i in 0..n.saturating_sub(1) {
        h[i * n + i + 1] = -400.0 * x[i];
        h[(i + 1) * n + i] = -400.0 * x[i];
    }
    if n == 1 {
        h[0] = 1200.0 * x[0] * x[0] - 400.0 * x[0] + 2.0;
        return h;
    }
    h[0] = 1200.0 * x[0] * x[0] - 400.0 * x[1] + 2.0;
    h[(n - 1) * n + n - 1] = 200.0;
    for i in 1..n - 1 {
        h[i * n + i] = 202.0 + 1200.0 * x[i] * x[i] - 400.0 * x[i + 1];
    }
    h
}

/// Rastrigin: `10 n + sum(x^2 - 10 cos(2 pi x))`, minimum 0 at the origin.
pub fn rastrigin(x: &[f64]) -> f64 {
    10.0 * x.len() as f64
        + x.iter()
            .map(|&v| v * v - 10.0 * (2.0 * PI * v).cos())
            .sum::<f64>()
}

/// Ackley (a = 20, b = 0.2, c = 2 pi), minimum 0 at the origin.
pub fn ackley(x: &[f64]) -> f64 {
    let n = x.len() as f64;
    let s1 = x.iter().map(|v| v * v).sum::<f64>() / n;
    let s2 = x.iter().map(|v| (2.0 * PI * v).cos()).sum::<f64>() / n;
    -20.0 * (-0.2 * s1.sqrt()).exp() - s2.exp() + 20.0 + E
}

/// Eggholder (2-D): minimum -959.6407 at (512, 404.2319).
pub fn eggholder(x: &[f64]) -> f64 {
    let (a, b) = (x[0], x[1]);
    -(b + 47.0) * (b + a / 2.0 + 47.0).abs().sqrt().sin() - a * (a - (b + 47.0)).abs().sqrt().sin()
}

/// Sum of squares, minimum 0 at the origin.
pub fn sphere(x: &[f64]) -> f64 {
    x.iter().map(|v| v * v).sum()
}

/// Griewank: `1 + sum(x^2) / 4000 - prod(cos(x_i / sqrt(i)))`, minimum 0 at
/// the origin.
pub fn griewank(x: &[f64]) -> f64 {
    let s = x.iter().map(|v| v * v).sum::<f64>() / 4000.0;
    let p: f64 = x
        .iter()
        .enumerate()
        .map(|(i, v)| (v / ((i + 1) as f64).sqrt()).cos())
        .product();
    1.0 + s - p
}

/// Styblinski-Tang: `sum(x^4 - 16 x^2 + 5 x) / 2`, minimum
/// `-39.16616570377142 n` at `x_i = -2.903534027771178`.
pub fn styblinski_tang(x: &[f64]) -> f64 {
    x.iter()
        .map(|&v| v.powi(4) - 16.0 * v * v + 5.0 * v)
        .sum::<f64>()
        / 2.0
}

/// Which test function a [`NativeObjective`] evaluates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Which {
    Rosen,
    Rastrigin,
    Ackley,
    Eggholder,
    Sphere,
    Griewank,
    StyblinskiTang,
}

impl Which {
    pub fn function(self) -> fn(&[f64]) -> f64 {
        match self {
            Which::Rosen => rosen,
            Which::Rastrigin => rastrigin,
            Which::Ackley => ackley,
            Which::Eggholder => eggholder,
            Which::Sphere => sphere,
            Which::Griewank => griewank,
            Which::StyblinskiTang => styblinski_tang,
        }
    }

    /// The dimension the function is defined in, when it is fixed
    /// (eggholder: 2); the others take any length.
    pub fn dims(self) -> Option<usize> {
        match self {
            Which::Eggholder => Some(2),
            _ => None,
        }
    }

    /// The name used on the JavaScript side.
    pub fn name(self) -> &'static str {
        match self {
            Which::Rosen => "rosen",
            Which::Rastrigin => "rastrigin",
            Which::Ackley => "ackley",
            Which::Eggholder => "eggholder",
            Which::Sphere => "sphere",
            Which::Griewank => "griewank",
            Which::StyblinskiTang => "styblinski_tang",
        }
    }
}

impl std::str::FromStr for Which {
    type Err = String;
    fn from_str(s: &str) -> Result<Which, String> {
        Ok(match s {
            "rosen" => Which::Rosen,
            "rastrigin" => Which::Rastrigin,
            "ackley" => Which::Ackley,
            "eggholder" => Which::Eggholder,
            "sphere" => Which::Sphere,
            "griewank" => Which::Griewank,
            "styblinski_tang" => Which::StyblinskiTang,
            _ => {
                return Err(format!(
                    "Invalid function '{s}', should be one of 'rosen', 'rastrigin', 'ackley', \
                     'eggholder', 'sphere', 'griewank', 'styblinski_tang'"
                ))
            }
        })
    }
}

/// Below this many values (`rows * dim`) a batch stays on the calling thread:
/// these functions cost a few nanoseconds a value, so smaller batches lose
/// more to waking the pool than they gain.
pub const PARALLEL_MIN_VALUES: usize = 4096;

/// One of the test functions as an [`Objective`]; large batches are split
/// over `par`'s rayon pool. Each row's value does not depend on how rows are
/// split, so results are identical for every `par`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NativeObjective {
    pub which: Which,
    pub dim: usize,
    pub par: Par,
}

impl Objective for NativeObjective {
    type Error = Infallible;

    fn dim(&self) -> usize {
        self.dim
    }

    fn eval_batch(&mut self, xs: &[f64], out: &mut [f64]) -> Result<(), Infallible> {
        let f = self.which.function();
        let dim = self.dim.max(1);
        let rows = out.len();
        debug_assert_eq!(xs.len(), rows * self.dim);
        if self.dim == 0 {
            out.iter_mut().for_each(|o| *o = f(&[]));
            return Ok(());
        }
        if self.par.threads() > 1 && rows > 1 && xs.len() >= PARALLEL_MIN_VALUES {
            self.par.install(|| {
                out.par_iter_mut()
                    .zip(xs.par_chunks_exact(dim))
                    .with_min_len(16)
                    .for_each(|(o, x)| *o = f(x));
            });
        } else {
            for (o, x) in out.iter_mut().zip(xs.chunks_exact(dim)) {
                *o = f(x);
            }
        }
        Ok(())
    }
}
