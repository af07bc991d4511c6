//! Finite-difference gradients as `scipy.optimize._numdiff.approx_derivative`
//! computes them for a scalar function, and `ScalarFunction`'s cache of f and
//! ∇f at the last point.
//!
//! Every gradient is one [`Objective::eval_batch`] call over the `n`
//! perturbed points (`2n` for central differences).

// Index loops mirror the reference code line by line.
#![allow(clippy::needless_range_loop)]

use super::{Bounds, FiniteDiff, Jac, OptimizeError};
use crate::Objective;

/// `np.finfo(float).eps ** (1/3)`, the relative step of '3-point'.
fn cbrt_eps() -> f64 {
    f64::EPSILON.powf(1.0 / 3.0)
}

fn sign(x: f64) -> f64 {
    if x >= 0.0 {
        1.0
    } else {
        -1.0
    }
}

/// The steps `h` and which coordinates use one-sided differences.
fn steps(x0: &[f64], fd: FiniteDiff, bounds: Option<&Bounds>) -> (Vec<f64>, Vec<bool>) {
    let n = x0.len();
    let (rstep, three) = match fd {
        FiniteDiff::ThreePoint { .. } => (cbrt_eps(), true),
        _ => (f64::EPSILON.sqrt(), false),
    };
    let auto = |x: f64| rstep * sign(x) * x.abs().max(1.0);
    let mut h: Vec<f64> = x0
        .iter()
        .map(|&x| {
            let h = match fd {
                FiniteDiff::AbsStep(eps) => eps,
                FiniteDiff::TwoPoint { rel_step: None }
                | FiniteDiff::ThreePoint { rel_step: None } => return auto(x),
                FiniteDiff::TwoPoint { rel_step: Some(r) }
                | FiniteDiff::ThreePoint { rel_step: Some(r) } => r * sign(x) * x.abs(),
            };
            if (x + h) - x == 0.0 {
                auto(x)
            } else {
                h
            }
        })
        .collect();
    let mut one_sided = vec![!three; n];
    if three {
        h.iter_mut().for_each(|v| *v = v.abs());
    }
    let Some(b) = bounds else {
        return (h, one_sided);
    };
    if b.lb.iter().all(|&l| l == f64::NEG_INFINITY) && b.ub.iter().all(|&u| u == f64::INFINITY) {
        return (h, one_sided);
    }
    for i in 0..n {
        let lower = x0[i] - b.lb[i];
        let upper = b.ub[i] - x0[i];
        if !three {
            let x = x0[i] + h[i];
            let violated = x < b.lb[i] || x > b.ub[i];
            let fitting = h[i].abs() <= lower.max(upper);
            if violated && fitting {
                h[i] = -h[i];
            } else if !fitting {
                h[i] = if upper >= lower { upper } else { -lower };
            }
        } else {
            let central = lower >= h[i] && upper >= h[i];
            if !central {
                if upper >= lower {
                    h[i] = h[i].min(0.5 * upper);
                } else {
                    h[i] = -h[i].min(0.5 * lower);
                }
                one_sided[i] = true;
                let min_dist = upper.min(lower);
                if h[i].abs() <= min_dist {
                    h[i] = min_dist;
                    one_sided[i] = false;
                }
            }
        }
    }
    (h, one_sided)
}

/// ∇f at `x0` by finite differences, from `f0 = f(x0)`, as one batch.
/// Returns the number of evaluations.
pub(crate) fn gradient<O: Objective>(
    objective: &mut O,
    x0: &[f64],
    f0: f64,
    fd: FiniteDiff,
    bounds: Option<&Bounds>,
    g: &mut [f64],
) -> Result<usize, O::Error> {
    let n = x0.len();
    let (h, one_sided) = steps(x0, fd, bounds);
    let three = matches!(fd, FiniteDiff::ThreePoint { .. });
    let rows = if three { 2 * n } else { n };
    let mut xs = Vec::with_capacity(rows * n);
    for i in 0..n {
        if three {
            let (a, b) = if one_sided[i] {
                (x0[i] + h[i], x0[i] + 2.0 * h[i])
            } else {
                (x0[i] - h[i], x0[i] + h[i])
            };
            for v in [a, b] {
                xs.extend_from_slice(x0);
                let at = xs.len() - n + i;
                xs[at] = v;
            }
        } else {
            xs.extend_from_slice(x0);
            let at = xs.len() - n + i;
            xs[at] = x0[i] + h[i];
        }
    }
    let mut fs = vec![0.0; rows];
    objective.eval_batch(&xs, &mut fs)?;
    for i in 0..n {
        g[i] = if three {
            let (f1, f2) = (fs[2 * i], fs[2 * i + 1]);
            if one_sided[i] {
                (-3.0 * f0 + 4.0 * f1 - f2) / ((x0[i] + 2.0 * h[i]) - x0[i])
            } else {
                (f2 - f1) / ((x0[i] + h[i]) - (x0[i] - h[i]))
            }
        } else {
            (fs[i] - f0) / ((x0[i] + h[i]) - x0[i])
        };
    }
    Ok(rows)
}

/// scipy.optimize.approx_fprime: forward differences with the absolute step
/// `epsilon` (SciPy's default is [`super::SQRT_EPS`]); `f(xk)` and then the
/// `n` perturbed points as one batch.
pub fn approx_fprime<O: Objective>(
    xk: &[f64],
    objective: &mut O,
    epsilon: f64,
) -> Result<Vec<f64>, OptimizeError<O::Error>> {
    if xk.len() != objective.dim() {
        return super::value_error(format!(
            "`xk` has {} elements but the objective takes {} variables.",
            xk.len(),
            objective.dim()
        ));
    }
    let f0 = objective.eval(xk).map_err(OptimizeError::Objective)?;
    let mut g = vec![0.0; xk.len()];
    gradient(
        objective,
        xk,
        f0,
        FiniteDiff::AbsStep(epsilon),
        None,
        &mut g,
    )
    .map_err(OptimizeError::Objective)?;
    Ok(g)
}

/// SciPy's `ScalarFunction`: f and ∇f cached at the last point, with SciPy's
/// counts (`nfev` includes the finite-difference evaluations, `ngev` counts
/// gradients however they were obtained).
pub(crate) struct ScalarFunction<'a, 'j, O: Objective> {
    objective: &'a mut O,
    jac: Option<Jac<'j, O::Error>>,
    fd: FiniteDiff,
    bounds: Option<Bounds>,
    x: Vec<f64>,
    f: f64,
    g: Vec<f64>,
    f_ok: bool,
    g_ok: bool,
    pub nfev: usize,
    pub ngev: usize,
}

impl<'a, 'j, O: Objective> ScalarFunction<'a, 'j, O> {
    /// Evaluates f and ∇f at `x0`, as SciPy's constructor does.
    pub fn new(
        objective: &'a mut O,
        jac: Option<Jac<'j, O::Error>>,
        fd: FiniteDiff,
        bounds: Option<Bounds>,
        x0: &[f64],
    ) -> Result<Self, O::Error> {
        let n = x0.len();
        let mut sf = ScalarFunction {
            objective,
            jac,
            fd,
            bounds,
            x: x0.to_vec(),
            f: 0.0,
            g: vec![0.0; n],
            f_ok: false,
            g_ok: false,
            nfev: 0,
            ngev: 0,
        };
        sf.update_fun()?;
        sf.update_grad()?;
        Ok(sf)
    }

    fn set_x(&mut self, x: &[f64]) {
        if x != self.x.as_slice() {
            self.x.copy_from_slice(x);
            self.f_ok = false;
            self.g_ok = false;
        }
    }

    fn update_fun(&mut self) -> Result<(), O::Error> {
        if !self.f_ok {
            self.f = self.objective.eval(&self.x)?;
            self.nfev += 1;
            self.f_ok = true;
        }
        Ok(())
    }

    fn update_grad(&mut self) -> Result<(), O::Error> {
        if !self.g_ok {
            if let Some(jac) = self.jac.as_mut() {
                jac(&self.x, &mut self.g)?;
            } else {
                self.update_fun()?;
                self.nfev += gradient(
                    self.objective,
                    &self.x,
                    self.f,
                    self.fd,
                    self.bounds.as_ref(),
                    &mut self.g,
                )?;
            }
            self.ngev += 1;
            self.g_ok = true;
        }
        Ok(())
    }

    pub fn fun(&mut self, x: &[f64]) -> Result<f64, O::Error> {
        self.set_x(x);
        self.update_fun()?;
        Ok(self.f)
    }

    pub fn grad(&mut self, x: &[f64]) -> Result<&[f64], O::Error> {
        self.set_x(x);
        self.update_grad()?;
        Ok(&self.g)
    }

    pub fn fun_and_grad(&mut self, x: &[f64], g: &mut [f64]) -> Result<f64, O::Error> {
        self.set_x(x);
        self.update_fun()?;
        self.update_grad()?;
        g.copy_from_slice(&self.g);
        Ok(self.f)
    }
}
