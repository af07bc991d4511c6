//! scipy.optimize.minimize's local methods: Nelder-Mead, Powell, CG, BFGS
//! and L-BFGS-B, with SciPy's defaults, option names, status codes and
//! messages.
//!
//! One entry point, [`minimize`], takes a [`Method`] that carries the options
//! of that method. When no gradient is given, the gradient methods estimate
//! it by finite differences as `scipy.optimize._numdiff.approx_derivative`
//! does, and evaluate the `n` (or `2n`) perturbed points as one
//! [`Objective::eval_batch`] call: that is where the caller's `workers`
//! parallelise the gradient, as SciPy 1.16's `workers` option does.
//!
//! Function and gradient values are cached at the last point as SciPy's
//! `ScalarFunction` does, so `nfev`/`njev` count what SciPy counts.
//!
//! An error from the objective, the gradient or nothing else ends the run at
//! once and comes back unchanged as [`OptimizeError::Objective`].

// Index loops mirror the reference code line by line.
#![allow(clippy::needless_range_loop)]

pub mod auglag;
mod bfgs;
mod fd;
mod lbfgsb;
mod linesearch;
mod neldermead;
mod powell;

use std::ops::{ControlFlow, Deref};

pub(crate) use crate::error::value_error;
pub use crate::error::OptimizeError;
use crate::{Objective, OptimizeResult};

pub use fd::approx_fprime;

/// `sqrt(np.finfo(float).eps)`, SciPy's `_epsilon`: the default absolute
/// finite-difference step of BFGS, CG and L-BFGS-B when no gradient is given.
pub const SQRT_EPS: f64 = 1.490_116_119_384_765_6e-8;

/// What a callback sees after each iteration (SciPy's
/// `callback(intermediate_result)`, with `x` and `fun`).
#[derive(Debug, Clone, Copy)]
pub struct IntermediateResult<'a> {
    pub x: &'a [f64],
    pub fun: f64,
    /// Iterations done so far.
    pub nit: usize,
}

/// A per-iteration hook; `ControlFlow::Break(())` stops the run as SciPy's
/// `StopIteration` does (status 99).
pub type Callback<'a> = &'a mut dyn FnMut(&IntermediateResult<'_>) -> ControlFlow<()>;

/// An analytic gradient: fills `g` with ∇f(x).
pub type Jac<'a, E> = &'a mut dyn FnMut(&[f64], &mut [f64]) -> Result<(), E>;

/// SciPy's status and message when the callback stops a run.
pub const CALLBACK_STATUS: i32 = 99;
pub const CALLBACK_MESSAGE: &str = "`callback` raised `StopIteration`.";

/// How a gradient is estimated when none is given.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum FiniteDiff {
    /// `jac=None`: forward differences with the absolute step `eps` (SciPy's
    /// `eps` option, default [`SQRT_EPS`]), pushed inside the bounds.
    AbsStep(f64),
    /// `jac='2-point'`: forward differences with the relative step
    /// `rel_step · sign(x) · |x|` (default `sqrt(eps) · sign(x) · max(1, |x|)`).
    TwoPoint { rel_step: Option<f64> },
    /// `jac='3-point'`: central differences (one-sided near a bound), relative
    /// step default `eps^(1/3) · max(1, |x|)`; `2n` evaluations per gradient.
    ThreePoint { rel_step: Option<f64> },
}

impl Default for FiniteDiff {
    fn default() -> Self {
        FiniteDiff::AbsStep(SQRT_EPS)
    }
}

/// Options of `method='Nelder-Mead'`.
#[derive(Debug, Clone, PartialEq)]
pub struct NelderMeadOptions {
    /// Default `200·n` (when neither limit is given).
    pub maxiter: Option<usize>,
    /// Default `200·n` (when neither limit is given).
    pub maxfev: Option<usize>,
    /// `n + 1` vertices of `n` values each; replaces the simplex built from x0.
    pub initial_simplex: Option<Vec<Vec<f64>>>,
    pub xatol: f64,
    pub fatol: f64,
    /// Gao & Han's dimension-dependent coefficients.
    pub adaptive: bool,
}

impl Default for NelderMeadOptions {
    fn default() -> Self {
        NelderMeadOptions {
            maxiter: None,
            maxfev: None,
            initial_simplex: None,
            xatol: 1e-4,
            fatol: 1e-4,
            adaptive: false,
        }
    }
}

/// Options of `method='Powell'`.
#[derive(Debug, Clone, PartialEq)]
pub struct PowellOptions {
    pub xtol: f64,
    pub ftol: f64,
    /// Default `1000·n` (when neither limit is given).
    pub maxiter: Option<usize>,
    /// Default `1000·n` (when neither limit is given).
    pub maxfev: Option<usize>,
    /// Initial set of direction vectors (rows); default the identity.
    pub direc: Option<Vec<Vec<f64>>>,
}

impl Default for PowellOptions {
    fn default() -> Self {
        PowellOptions {
            xtol: 1e-4,
            ftol: 1e-4,
            maxiter: None,
            maxfev: None,
            direc: None,
        }
    }
}

/// Options of `method='BFGS'`.
#[derive(Debug, Clone, PartialEq)]
pub struct BfgsOptions {
    pub gtol: f64,
    /// Order of the gradient norm (`f64::INFINITY`: max abs).
    pub norm: f64,
    /// Default `200·n`.
    pub maxiter: Option<usize>,
    pub xrtol: f64,
    pub c1: f64,
    pub c2: f64,
    /// Initial inverse Hessian, `n·n` row-major; default the identity.
    pub hess_inv0: Option<Vec<f64>>,
    pub finite_diff: FiniteDiff,
}

impl Default for BfgsOptions {
    fn default() -> Self {
        BfgsOptions {
            gtol: 1e-5,
            norm: f64::INFINITY,
            maxiter: None,
            xrtol: 0.0,
            c1: 1e-4,
            c2: 0.9,
            hess_inv0: None,
            finite_diff: FiniteDiff::default(),
        }
    }
}

/// Options of `method='CG'` (Polak–Ribière with Powell's restart).
#[derive(Debug, Clone, PartialEq)]
pub struct CgOptions {
    pub gtol: f64,
    pub norm: f64,
    /// Default `200·n`.
    pub maxiter: Option<usize>,
    pub c1: f64,
    pub c2: f64,
    pub finite_diff: FiniteDiff,
}

impl Default for CgOptions {
    fn default() -> Self {
        CgOptions {
            gtol: 1e-5,
            norm: f64::INFINITY,
            maxiter: None,
            c1: 1e-4,
            c2: 0.4,
            finite_diff: FiniteDiff::default(),
        }
    }
}

/// Options of `method='L-BFGS-B'`.
#[derive(Debug, Clone, PartialEq)]
pub struct LbfgsbOptions {
    pub maxcor: usize,
    /// `factr · eps`; default `1e7 · eps`.
    pub ftol: f64,
    pub gtol: f64,
    pub maxfun: usize,
    pub maxiter: usize,
    pub maxls: usize,
    pub finite_diff: FiniteDiff,
}

impl Default for LbfgsbOptions {
    fn default() -> Self {
        LbfgsbOptions {
            maxcor: 10,
            ftol: 1e7 * f64::EPSILON,
            gtol: 1e-5,
            maxfun: 15000,
            maxiter: 15000,
            maxls: 20,
            finite_diff: FiniteDiff::default(),
        }
    }
}

/// A method with its options.
#[derive(Debug, Clone, PartialEq)]
pub enum Method {
    NelderMead(NelderMeadOptions),
    Powell(PowellOptions),
    Cg(CgOptions),
    Bfgs(BfgsOptions),
    LBfgsB(LbfgsbOptions),
}

impl Method {
    /// The method named as SciPy names it (case-insensitive), with its
    /// default options.
    pub fn from_name(name: &str) -> Result<Method, String> {
        match name.to_ascii_lowercase().as_str() {
            "nelder-mead" => Ok(Method::NelderMead(Default::default())),
            "powell" => Ok(Method::Powell(Default::default())),
            "cg" => Ok(Method::Cg(Default::default())),
            "bfgs" => Ok(Method::Bfgs(Default::default())),
            "l-bfgs-b" => Ok(Method::LBfgsB(Default::default())),
            _ => Err(format!("Unknown solver {name}")),
        }
    }

    /// SciPy's spelling of the method's name.
    pub fn name(&self) -> &'static str {
        match self {
            Method::NelderMead(_) => "Nelder-Mead",
            Method::Powell(_) => "Powell",
            Method::Cg(_) => "CG",
            Method::Bfgs(_) => "BFGS",
            Method::LBfgsB(_) => "L-BFGS-B",
        }
    }
}

/// The inverse-Hessian approximation a quasi-Newton method ends with.
#[derive(Debug, Clone, PartialEq)]
pub enum HessInv {
    /// BFGS: `n·n`, row-major.
    Dense(Vec<f64>),
    /// L-BFGS-B: the stored correction pairs, oldest first (SciPy's
    /// `LbfgsInvHessProduct(sk, yk)`).
    Lbfgs { s: Vec<Vec<f64>>, y: Vec<Vec<f64>> },
}

impl HessInv {
    /// The matrix as `n·n` row-major (for L-BFGS-B, SciPy's
    /// `LbfgsInvHessProduct.todense()`).
    pub fn to_dense(&self, n: usize) -> Vec<f64> {
        match self {
            HessInv::Dense(h) => h.clone(),
            HessInv::Lbfgs { s, y } => {
                let mut h = vec![0.0; n * n];
                for i in 0..n {
                    h[i * n + i] = 1.0;
                }
                for (sk, yk) in s.iter().zip(y) {
                    let rho = 1.0 / dot(sk, yk);
                    // H = (I - ρ s yᵀ) H (I - ρ y sᵀ) + ρ s sᵀ
                    let mut a = vec![0.0; n * n];
                    for i in 0..n {
                        for j in 0..n {
                            a[i * n + j] = f64::from(u8::from(i == j)) - rho * sk[i] * yk[j];
                        }
                    }
                    let ah = matmul(&a, &h, n);
                    let mut at = vec![0.0; n * n];
                    for i in 0..n {
                        for j in 0..n {
                            at[i * n + j] = a[j * n + i];
                        }
                    }
                    h = matmul(&ah, &at, n);
                    for i in 0..n {
                        for j in 0..n {
                            h[i * n + j] += rho * sk[i] * sk[j];
                        }
                    }
                }
                h
            }
        }
    }
}

/// What [`minimize`] returns: SciPy's `OptimizeResult` and the
/// method-specific fields.
#[derive(Debug, Clone, PartialEq)]
pub struct Minimized {
    pub result: OptimizeResult,
    /// BFGS and L-BFGS-B.
    pub hess_inv: Option<HessInv>,
    /// Nelder-Mead: the vertices and their values, best first.
    pub final_simplex: Option<(Vec<Vec<f64>>, Vec<f64>)>,
    /// Powell: the direction set at the end.
    pub direc: Option<Vec<Vec<f64>>>,
}

impl Deref for Minimized {
    type Target = OptimizeResult;
    fn deref(&self) -> &OptimizeResult {
        &self.result
    }
}

impl Minimized {
    pub(crate) fn plain(result: OptimizeResult) -> Minimized {
        Minimized {
            result,
            hess_inv: None,
            final_simplex: None,
            direc: None,
        }
    }
}

/// Validated bounds, one `(lb, ub)` per variable (`±inf` for none).
#[derive(Debug, Clone)]
pub(crate) struct Bounds {
    pub lb: Vec<f64>,
    pub ub: Vec<f64>,
}

impl Bounds {
    pub fn clip(&self, x: &mut [f64]) {
        for ((xi, &l), &u) in x.iter_mut().zip(&self.lb).zip(&self.ub) {
            // np.clip(x, lb, ub): min(max(x, lb), ub)
            *xi = xi.max(l).min(u);
        }
    }
}

/// Tracks a callback and whether it asked to stop.
pub(crate) struct Hook<'a> {
    callback: Option<Callback<'a>>,
    pub stopped: bool,
}

impl<'a> Hook<'a> {
    pub fn new(callback: Option<Callback<'a>>) -> Hook<'a> {
        Hook {
            callback,
            stopped: false,
        }
    }

    /// Calls the callback; true when it asks to stop.
    pub fn halt(&mut self, x: &[f64], fun: f64, nit: usize) -> bool {
        if let Some(cb) = self.callback.as_mut() {
            if cb(&IntermediateResult { x, fun, nit }).is_break() {
                self.stopped = true;
            }
        }
        self.stopped
    }
}

/// scipy.optimize.minimize for the local methods.
///
/// `jac` is used by CG, BFGS and L-BFGS-B (ignored by Nelder-Mead and
/// Powell, as SciPy ignores it with a warning); when `None` the gradient is
/// estimated as the method's `finite_diff` option says. `bounds` is used by
/// Nelder-Mead, Powell and L-BFGS-B; CG and BFGS ignore it as SciPy does
/// (SciPy warns). A callback that breaks ends the run with `success: false`,
/// status 99 and SciPy's message.
pub fn minimize<O: Objective>(
    method: &Method,
    x0: &[f64],
    objective: &mut O,
    jac: Option<Jac<'_, O::Error>>,
    bounds: Option<&[(f64, f64)]>,
    callback: Option<Callback<'_>>,
) -> Result<Minimized, OptimizeError<O::Error>> {
    let n = x0.len();
    if n == 0 {
        return value_error("`x0` must not be empty.");
    }
    if objective.dim() != n {
        return value_error(format!(
            "`x0` has {n} elements but the objective takes {} variables.",
            objective.dim()
        ));
    }
    let bounds = match bounds {
        None => None,
        Some(b) => {
            if b.iter().any(|&(l, u)| u < l) {
                return value_error("An upper bound is less than the corresponding lower bound.");
            }
            if b.len() != n && b.len() != 1 {
                return value_error(
                    "The number of bounds is not compatible with the length of `x0`.",
                );
            }
            let pick = |i: usize| b[if b.len() == 1 { 0 } else { i }];
            Some(Bounds {
                lb: (0..n).map(|i| pick(i).0).collect(),
                ub: (0..n).map(|i| pick(i).1).collect(),
            })
        }
    };
    let mut hook = Hook::new(callback);
    let mut out = match method {
        Method::NelderMead(o) => {
            neldermead::minimize(objective, x0, bounds.as_ref(), o, &mut hook)?
        }
        Method::Powell(o) => powell::minimize(objective, x0, bounds.as_ref(), o, &mut hook)?,
        Method::Cg(o) => bfgs::minimize_cg(objective, jac, x0, o, &mut hook)?,
        Method::Bfgs(o) => bfgs::minimize_bfgs(objective, jac, x0, o, &mut hook)?,
        Method::LBfgsB(o) => lbfgsb::minimize(objective, jac, x0, bounds.as_ref(), o, &mut hook)?,
    };
    if hook.stopped {
        out.result.success = false;
        out.result.status = CALLBACK_STATUS;
        out.result.message = CALLBACK_MESSAGE.to_string();
    }
    Ok(out)
}

pub(crate) fn dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

/// `np.linalg.norm(x)`, scaled against overflow the way BLAS `dnrm2` is not
/// needed here: the inputs are gradients and steps.
pub(crate) fn norm2(a: &[f64]) -> f64 {
    dot(a, a).sqrt()
}

/// SciPy's `vecnorm(x, ord)`.
pub(crate) fn vecnorm(x: &[f64], ord: f64) -> f64 {
    if ord == f64::INFINITY {
        x.iter().fold(0.0f64, |m, v| {
            if m.is_nan() || v.is_nan() {
                f64::NAN
            } else {
                m.max(v.abs())
            }
        })
    } else if ord == f64::NEG_INFINITY {
        x.iter().fold(f64::INFINITY, |m, v| m.min(v.abs()))
    } else {
        x.iter()
            .map(|v| v.abs().powf(ord))
            .sum::<f64>()
            .powf(1.0 / ord)
    }
}

fn matmul(a: &[f64], b: &[f64], n: usize) -> Vec<f64> {
    let mut c = vec![0.0; n * n];
    for i in 0..n {
        for k in 0..n {
            let aik = a[i * n + k];
            if aik != 0.0 {
                for j in 0..n {
                    c[i * n + j] += aik * b[k * n + j];
                }
            }
        }
    }
    c
}
