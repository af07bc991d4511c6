//! scipy.optimize's global and local minimizers and scipy.stats.qmc's
//! samplers, on `f64` vectors.
//!
//! Objectives are reached through [`Objective`], which evaluates a batch of
//! points at once: a native objective (one of [`functions`]) fills the batch
//! on a rayon pool, the Node binding hands it to JavaScript (in the calling
//! thread, worker_threads or a user's map-like function). Differential
//! evolution is an ask/tell engine ([`de::DifferentialEvolution`]), so the
//! caller drives generations and may await between them.
//!
//! Module owners: `qmc`, `de`, `functions` (global); `local`, `scalar`
//! (local minimizers, scalar minimization and root finding, finite
//! differences).

pub mod de;
mod error;
pub mod functions;
pub mod local;
pub mod qmc;
pub mod scalar;

/// An objective: f at each of `xs.len() / dim` points (rows of `xs`).
///
/// `E` is the caller's error (a JS exception, a cancellation): returning it
/// ends the run at once and the error is handed back unchanged.
pub trait Objective {
    type Error;
    /// Number of variables.
    fn dim(&self) -> usize;
    /// Fills `out[i]` with f(row i of `xs`).
    fn eval_batch(&mut self, xs: &[f64], out: &mut [f64]) -> Result<(), Self::Error>;
    /// f(x) for one point.
    fn eval(&mut self, x: &[f64]) -> Result<f64, Self::Error> {
        let mut out = [0.0];
        self.eval_batch(x, &mut out)?;
        Ok(out[0])
    }
}

/// What every minimizer returns, as scipy.optimize.OptimizeResult.
#[derive(Debug, Clone, PartialEq)]
pub struct OptimizeResult {
    pub x: Vec<f64>,
    pub fun: f64,
    /// Gradient at x when the method computed one.
    pub jac: Option<Vec<f64>>,
    pub nfev: usize,
    pub njev: usize,
    pub nit: usize,
    pub success: bool,
    /// SciPy's status code for the method.
    pub status: i32,
    /// SciPy's message, word for word where SciPy has one.
    pub message: String,
}
