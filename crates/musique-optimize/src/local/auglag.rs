//! Local minimization under general constraints `cl <= c(x) <= cu` and
//! bounds, by the augmented Lagrangian method (Powell–Hestenes–Rockafellar,
//! as NLopt's AUGLAG and LANCELOT do), each subproblem solved by L-BFGS-B
//! within the bounds:
//!
//! ```text
//! L(x; λ, μ, ρ) = f(x) + Σ_eq  λᵢ hᵢ + ρ/2 hᵢ²
//!                      + Σ_ineq ρ/2 (max(0, gⱼ + μⱼ/ρ)² − (μⱼ/ρ)²)
//! λ ← λ + ρ h,  μ ← max(0, μ + ρ g),  ρ ← 10ρ unless infeasibility halved.
//! ```
//!
//! It is differential evolution's polish when constraints are given (SciPy
//! polishes with trust-constr there). Inequalities are tightened by twice
//! [`AugLagOptions::ctol`] (relative) so that, like trust-constr's
//! interior-point iterates, the result satisfies them exactly rather than to
//! within a tolerance; equalities are met to `ctol`.
//!
//! f and c come together from one [`Constrained::eval_batch`], so each
//! finite-difference gradient of the subproblem is one batch: that is where
//! a caller's `workers` parallelise the polish, constraints included.

use super::fd::gradient;
use super::{lbfgsb, Bounds, FiniteDiff, Hook, LbfgsbOptions, OptimizeError};
use crate::{Objective, OptimizeResult};

/// f and the constraint values at a batch of points.
pub trait Constrained {
    type Error;
    /// Number of variables.
    fn dim(&self) -> usize;
    /// Number of constraint components `m`.
    fn n_constraints(&self) -> usize;
    /// For each row `i` of `xs`: `f[i] = f(xᵢ)` and `c[i·m..(i+1)·m] = c(xᵢ)`.
    fn eval_batch(&mut self, xs: &[f64], f: &mut [f64], c: &mut [f64]) -> Result<(), Self::Error>;
}

#[derive(Debug, Clone, PartialEq)]
pub struct AugLagOptions {
    /// Outer (multiplier) iterations. Default 100.
    pub maxiter: usize,
    /// Equality residual and inequality excess, relative to
    /// `max(1, |bound|)`, below which a point counts as feasible. Default 1e-8.
    pub ctol: f64,
    /// Relative change of f between outer iterations that ends the run once
    /// feasible. Default 1e-10.
    pub ftol: f64,
    /// Each subproblem's L-BFGS-B options (gradients by finite differences).
    pub inner: LbfgsbOptions,
}

impl Default for AugLagOptions {
    fn default() -> Self {
        AugLagOptions {
            maxiter: 100,
            ctol: 1e-8,
            ftol: 1e-10,
            inner: LbfgsbOptions {
                maxiter: 1000,
                // The subproblems need more than L-BFGS-B's default ftol (2.2e-9
                // relative): the multipliers are only as good as their minimizers.
                ftol: 10.0 * f64::EPSILON,
                gtol: 1e-8,
                ..LbfgsbOptions::default()
            },
        }
    }
}

/// The result, with the constraint values at `x`.
#[derive(Debug, Clone, PartialEq)]
pub struct ConstrainedMinimized {
    /// `jac` is ∇f at `x` (finite differences), as trust-constr reports it.
    pub result: OptimizeResult,
    /// c(x).
    pub constr: Vec<f64>,
    /// Largest violation of `cl <= c(x) <= cu` at `x` (0 when feasible).
    pub maxcv: f64,
}

enum Kind {
    /// `c = target`.
    Eq { target: f64, scale: f64 },
    /// `sign·c <= limit` (limit already tightened).
    Le { sign: f64, limit: f64, scale: f64 },
}

struct Lagrangian<'a, O: Constrained> {
    problem: &'a mut O,
    /// (component index, kind) of every finite bound.
    terms: Vec<(usize, Kind)>,
    mult: Vec<f64>,
    rho: f64,
    nfev: usize,
    c: Vec<f64>,
}

impl<O: Constrained> Lagrangian<'_, O> {
    /// The residual of term `k` at constraint values `c`: h (equality) or g (inequality).
    fn residual(&self, k: usize, c: &[f64]) -> f64 {
        let (i, kind) = &self.terms[k];
        match *kind {
            Kind::Eq { target, scale } => (c[*i] - target) / scale,
            Kind::Le { sign, limit, scale } => (sign * c[*i] - limit) / scale,
        }
    }

    fn value(&self, f: f64, c: &[f64]) -> f64 {
        let rho = self.rho;
        let mut l = f;
        for k in 0..self.terms.len() {
            let r = self.residual(k, c);
            let m = self.mult[k];
            l += match self.terms[k].1 {
                Kind::Eq { .. } => m * r + 0.5 * rho * r * r,
                Kind::Le { .. } => {
                    let t = (r + m / rho).max(0.0);
                    0.5 * rho * (t * t - (m / rho) * (m / rho))
                }
            };
        }
        l
    }

    /// Infeasibility and complementarity (NLopt's ICM), and the largest
    /// violation of the tightened constraints.
    fn measures(&self, c: &[f64]) -> (f64, f64) {
        let (mut icm, mut viol) = (0.0_f64, 0.0_f64);
        for k in 0..self.terms.len() {
            let r = self.residual(k, c);
            match self.terms[k].1 {
                Kind::Eq { .. } => {
                    icm = icm.max(r.abs());
                    viol = viol.max(r.abs());
                }
                Kind::Le { .. } => {
                    icm = icm.max(r.max(-self.mult[k] / self.rho).abs());
                    viol = viol.max(r.max(0.0));
                }
            }
        }
        (icm, viol)
    }

    fn update(&mut self, c: &[f64]) {
        for k in 0..self.terms.len() {
            let r = self.residual(k, c);
            let step = self.rho * r;
            self.mult[k] = match self.terms[k].1 {
                Kind::Eq { .. } => self.mult[k] + step,
                Kind::Le { .. } => (self.mult[k] + step).max(0.0),
            };
        }
    }
}

impl<O: Constrained> Objective for Lagrangian<'_, O> {
    type Error = O::Error;
    fn dim(&self) -> usize {
        self.problem.dim()
    }
    fn eval_batch(&mut self, xs: &[f64], out: &mut [f64]) -> Result<(), O::Error> {
        let m = self.problem.n_constraints();
        let mut c = std::mem::take(&mut self.c);
        c.resize(out.len() * m, 0.0);
        self.problem.eval_batch(xs, out, &mut c)?;
        self.nfev += out.len();
        for (i, v) in out.iter_mut().enumerate() {
            *v = self.value(*v, &c[i * m..(i + 1) * m]);
        }
        self.c = c;
        Ok(())
    }
}

/// f alone, for the final gradient.
struct FOnly<'a, O: Constrained>(&'a mut O);

impl<O: Constrained> Objective for FOnly<'_, O> {
    type Error = O::Error;
    fn dim(&self) -> usize {
        self.0.dim()
    }
    fn eval_batch(&mut self, xs: &[f64], out: &mut [f64]) -> Result<(), O::Error> {
        let mut c = vec![0.0; out.len() * self.0.n_constraints()];
        self.0.eval_batch(xs, out, &mut c)
    }
}

/// Largest violation of `cl <= c <= cu`.
pub fn max_violation(c: &[f64], cl: &[f64], cu: &[f64]) -> f64 {
    c.iter()
        .zip(cl.iter().zip(cu))
        .map(|(&v, (&l, &u))| (l - v).max(0.0) + (v - u).max(0.0))
        .fold(0.0, f64::max)
}

/// Minimizes f from `x0` subject to `cl <= c(x) <= cu` (infinite entries:
/// no bound) and `bounds` on x.
pub fn minimize<O: Constrained>(
    problem: &mut O,
    x0: &[f64],
    bounds: &[(f64, f64)],
    cl: &[f64],
    cu: &[f64],
    options: &AugLagOptions,
) -> Result<ConstrainedMinimized, OptimizeError<O::Error>> {
    let n = x0.len();
    let m = problem.n_constraints();
    if problem.dim() != n || bounds.len() != n {
        return super::value_error(format!(
            "`x0` has {n} elements, the bounds {} and the objective takes {} variables.",
            bounds.len(),
            problem.dim()
        ));
    }
    if cl.len() != m || cu.len() != m {
        return super::value_error(format!(
            "the constraint bounds have {} and {} entries; expected {m}.",
            cl.len(),
            cu.len()
        ));
    }
    let b = Bounds {
        lb: bounds.iter().map(|b| b.0).collect(),
        ub: bounds.iter().map(|b| b.1).collect(),
    };
    if b.lb
        .iter()
        .zip(&b.ub)
        .any(|(l, u)| l.partial_cmp(u).is_none_or(|o| o.is_gt()))
    {
        return super::value_error("An upper bound is less than the corresponding lower bound.");
    }
    let margin = 2.0 * options.ctol;
    let mut terms = Vec::new();
    for i in 0..m {
        let (l, u) = (cl[i], cu[i]);
        if l == u {
            terms.push((
                i,
                Kind::Eq {
                    target: l,
                    scale: l.abs().max(1.0),
                },
            ));
            continue;
        }
        if u.is_finite() {
            let scale = u.abs().max(1.0);
            let limit = (u - margin * scale).max(if l.is_finite() {
                (l + u) / 2.0
            } else {
                f64::MIN
            });
            terms.push((
                i,
                Kind::Le {
                    sign: 1.0,
                    limit,
                    scale,
                },
            ));
        }
        if l.is_finite() {
            let scale = l.abs().max(1.0);
            let limit = (l + margin * scale).min(if u.is_finite() {
                (l + u) / 2.0
            } else {
                f64::MAX
            });
            terms.push((
                i,
                Kind::Le {
                    sign: -1.0,
                    limit: -limit,
                    scale,
                },
            ));
        }
    }
    let mut x = x0.to_vec();
    b.clip(&mut x);
    let eval = |problem: &mut O, x: &[f64]| -> Result<(f64, Vec<f64>), O::Error> {
        let mut f = [0.0];
        let mut c = vec![0.0; m];
        problem.eval_batch(x, &mut f, &mut c)?;
        Ok((f[0], c))
    };
    let (mut f, mut c) = eval(problem, &x).map_err(OptimizeError::Objective)?;
    let mut lag = Lagrangian {
        problem,
        mult: vec![0.0; terms.len()],
        terms,
        rho: 1.0,
        nfev: 1,
        c: Vec::new(),
    };
    // NLopt's starting penalty: the objective and the squared violation balanced, within [1e-6, 10].
    let penalty: f64 = (0..lag.terms.len())
        .map(|k| {
            let r = lag.residual(k, &c);
            match lag.terms[k].1 {
                Kind::Eq { .. } => r * r,
                Kind::Le { .. } => r.max(0.0).powi(2),
            }
        })
        .sum();
    if penalty > 0.0 {
        lag.rho = (2.0 * f.abs() / penalty).clamp(1e-6, 10.0);
    }
    let (mut icm, _) = lag.measures(&c);
    let mut nit = 0;
    let mut converged = false;
    while nit < options.maxiter {
        nit += 1;
        let mut hook = Hook::new(None);
        let sub = lbfgsb::minimize(&mut lag, None, &x, Some(&b), &options.inner, &mut hook)?;
        let (f_new, c_new) = eval(lag.problem, &sub.result.x).map_err(OptimizeError::Objective)?;
        lag.nfev += 1;
        let (icm_new, viol) = lag.measures(&c_new);
        let df = (f_new - f).abs();
        let dx = sub
            .result
            .x
            .iter()
            .zip(&x)
            .map(|(a, b)| (a - b).abs() / a.abs().max(1.0))
            .fold(0.0, f64::max);
        x.copy_from_slice(&sub.result.x);
        (f, c) = (f_new, c_new);
        let feasible = viol <= options.ctol;
        if feasible && nit > 1 && (df <= options.ftol * f.abs().max(1.0) || dx <= options.ctol) {
            converged = true;
            break;
        }
        lag.update(&c);
        if icm_new > 0.5 * icm {
            lag.rho = (lag.rho * 10.0).min(1e12);
        }
        icm = icm_new;
    }
    let nfev_run = lag.nfev;
    let problem = lag.problem;
    let maxcv = max_violation(&c, cl, cu);
    let mut jac = vec![0.0; n];
    let ngev = gradient(
        &mut FOnly(problem),
        &x,
        f,
        FiniteDiff::default(),
        Some(&b),
        &mut jac,
    )
    .map_err(OptimizeError::Objective)?;
    let (success, status, message) = if converged {
        (true, 0, "Optimization terminated successfully.".to_string())
    } else {
        (
            false,
            1,
            "Maximum number of iterations has been exceeded.".to_string(),
        )
    };
    Ok(ConstrainedMinimized {
        result: OptimizeResult {
            x,
            fun: f,
            jac: Some(jac),
            nfev: nfev_run + ngev,
            njev: 1,
            nit,
            success,
            status,
            message,
        },
        constr: c,
        maxcv,
    })
}
