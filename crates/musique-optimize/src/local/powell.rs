//! Powell's conjugate direction method, as
//! `scipy.optimize._optimize._minimize_powell`: Brent line searches along
//! each direction (bounded, `fminbound`, when bounds are given), and the
//! direction of largest decrease replaced by the overall step when Powell's
//! test allows.

// Index loops mirror the reference code line by line.
#![allow(clippy::needless_range_loop)]

use super::bfgs::{MAXFEV, MAXITER, NAN, OUT_OF_BOUNDS, SUCCESS};
use super::{Bounds, Hook, Minimized, OptimizeError, PowellOptions};
use crate::scalar::{bounded, brent, BoundedOptions, BrentOptions};
use crate::{Objective, OptimizeResult};

/// Why a function call did not happen or failed.
enum Stop<E> {
    MaxFun,
    Objective(E),
}

struct Counted<'a, O: Objective> {
    objective: &'a mut O,
    ncalls: usize,
    maxfun: usize,
}

impl<O: Objective> Counted<'_, O> {
    fn call(&mut self, x: &[f64]) -> Result<f64, Stop<O::Error>> {
        if self.ncalls >= self.maxfun {
            return Err(Stop::MaxFun);
        }
        self.ncalls += 1;
        self.objective.eval(x).map_err(Stop::Objective)
    }
}

fn lift<E>(e: OptimizeError<Stop<E>>) -> Stop<OptimizeError<E>> {
    match e {
        OptimizeError::Objective(Stop::MaxFun) => Stop::MaxFun,
        OptimizeError::Objective(Stop::Objective(e)) => {
            Stop::Objective(OptimizeError::Objective(e))
        }
        OptimizeError::Value(m) => Stop::Objective(OptimizeError::Value(m)),
        OptimizeError::Runtime(m) => Stop::Objective(OptimizeError::Runtime(m)),
    }
}

/// `_line_for_search`: the step interval along `alpha` that stays in bounds.
fn line_for_search(x0: &[f64], alpha: &[f64], b: &Bounds) -> (f64, f64) {
    let mut lmin = f64::NEG_INFINITY;
    let mut lmax = f64::INFINITY;
    for i in 0..x0.len() {
        if alpha[i] == 0.0 {
            continue;
        }
        let low = (b.lb[i] - x0[i]) / alpha[i];
        let high = (b.ub[i] - x0[i]) / alpha[i];
        if alpha[i] > 0.0 {
            lmin = lmin.max(low);
            lmax = lmax.min(high);
        } else {
            lmin = lmin.max(high);
            lmax = lmax.min(low);
        }
    }
    if lmax >= lmin {
        (lmin, lmax)
    } else {
        (0.0, 0.0)
    }
}

type Step = (f64, Vec<f64>, Vec<f64>);

/// `_linesearch_powell`: (f, p + α·xi, α·xi).
fn linesearch<O: Objective>(
    f: &mut Counted<'_, O>,
    p: &[f64],
    xi: &[f64],
    tol: f64,
    bounds: Option<&Bounds>,
    fval: f64,
) -> Result<Step, Stop<OptimizeError<O::Error>>> {
    if xi.iter().all(|&v| v == 0.0) {
        return Ok((fval, p.to_vec(), xi.to_vec()));
    }
    let mut x = vec![0.0; p.len()];
    let mut myfunc = |alpha: f64| -> Result<f64, Stop<O::Error>> {
        for i in 0..p.len() {
            x[i] = p[i] + alpha * xi[i];
        }
        f.call(&x)
    };
    let bound = bounds.map(|b| line_for_search(p, xi, b));
    let (alpha, fret) = match bound {
        None | Some((f64::NEG_INFINITY, f64::INFINITY)) => {
            let opts = BrentOptions {
                xtol: tol,
                ..Default::default()
            };
            let r = brent(&mut myfunc, &opts).map_err(lift)?;
            (r.x, r.fun)
        }
        Some((lo, hi)) if lo.is_finite() && hi.is_finite() => {
            let mut opts = BoundedOptions::new(lo, hi);
            opts.xatol = tol / 100.0;
            let r = bounded(&mut myfunc, &opts).map_err(lift)?;
            (r.x, r.fun)
        }
        Some((lo, hi)) => {
            let mut opts = BoundedOptions::new(lo.atan(), hi.atan());
            opts.xatol = tol / 100.0;
            let mut g = |t: f64| myfunc(t.tan());
            let r = bounded(&mut g, &opts).map_err(lift)?;
            (r.x.tan(), r.fun)
        }
    };
    let step: Vec<f64> = xi.iter().map(|v| alpha * v).collect();
    let x: Vec<f64> = p.iter().zip(&step).map(|(a, b)| a + b).collect();
    Ok((fret, x, step))
}

pub(crate) fn minimize<O: Objective>(
    objective: &mut O,
    x0: &[f64],
    bounds: Option<&Bounds>,
    opts: &PowellOptions,
    hook: &mut Hook<'_>,
) -> Result<Minimized, OptimizeError<O::Error>> {
    let n = x0.len();
    let (maxiter, maxfun) = match (opts.maxiter, opts.maxfev) {
        (None, None) => (n * 1000, n * 1000),
        (None, Some(f)) => (usize::MAX, f),
        (Some(i), None) => (i, usize::MAX),
        (Some(i), Some(f)) => (i, f),
    };
    let mut direc: Vec<Vec<f64>> = match &opts.direc {
        None => (0..n)
            .map(|i| {
                let mut r = vec![0.0; n];
                r[i] = 1.0;
                r
            })
            .collect(),
        Some(d) => {
            if d.len() != n || d.iter().any(|r| r.len() != n) {
                return super::value_error("`direc` must be an array of shape (N,N)");
            }
            d.clone()
        }
    };
    let mut f = Counted {
        objective,
        ncalls: 0,
        maxfun,
    };
    let mut x = x0.to_vec();
    let mut fval = match f.call(&x) {
        Ok(v) => v,
        Err(Stop::Objective(e)) => return Err(OptimizeError::Objective(e)),
        Err(Stop::MaxFun) => f64::NAN,
    };
    let mut x1 = x.clone();
    let mut iter = 0;
    let tol = opts.xtol * 100.0;
    loop {
        let r = (|| -> Result<bool, Stop<OptimizeError<O::Error>>> {
            let fx = fval;
            let mut bigind = 0;
            let mut delta = 0.0;
            for (i, d) in direc.iter().enumerate() {
                let fx2 = fval;
                let (fv, xn, _) = linesearch(&mut f, &x, d, tol, bounds, fval)?;
                fval = fv;
                x = xn;
                if (fx2 - fval) > delta {
                    delta = fx2 - fval;
                    bigind = i;
                }
            }
            iter += 1;
            if hook.halt(&x, fval, iter) {
                return Ok(true);
            }
            let bnd = opts.ftol * (fx.abs() + fval.abs()) + 1e-20;
            if 2.0 * (fx - fval) <= bnd
                || f.ncalls >= maxfun
                || iter >= maxiter
                || (fx.is_nan() && fval.is_nan())
            {
                return Ok(true);
            }
            let direc1: Vec<f64> = x.iter().zip(&x1).map(|(a, b)| a - b).collect();
            x1 = x.clone();
            let lmax = match bounds {
                None => 1.0,
                Some(b) => line_for_search(&x, &direc1, b).1,
            };
            let s = lmax.min(1.0);
            let x2: Vec<f64> = x.iter().zip(&direc1).map(|(a, d)| a + s * d).collect();
            let fx2 = f.call(&x2).map_err(|e| match e {
                Stop::MaxFun => Stop::MaxFun,
                Stop::Objective(e) => Stop::Objective(OptimizeError::Objective(e)),
            })?;
            if fx > fx2 {
                let mut t = 2.0 * (fx + fx2 - 2.0 * fval);
                let temp = fx - fval - delta;
                t *= temp * temp;
                let temp = fx - fx2;
                t -= delta * temp * temp;
                if t < 0.0 {
                    let (fv, xn, d1) = linesearch(&mut f, &x, &direc1, tol, bounds, fval)?;
                    fval = fv;
                    x = xn;
                    if d1.iter().any(|&v| v != 0.0) {
                        direc[bigind] = direc[n - 1].clone();
                        direc[n - 1] = d1;
                    }
                }
            }
            Ok(false)
        })();
        match r {
            Ok(false) => {}
            Ok(true) | Err(Stop::MaxFun) => break,
            Err(Stop::Objective(e)) => return Err(e),
        }
    }
    let out_of_bounds = bounds.is_some_and(|b| {
        x.iter()
            .enumerate()
            .any(|(i, &v)| b.lb[i] > v || v > b.ub[i])
    });
    let (status, message) = if out_of_bounds {
        (4, OUT_OF_BOUNDS)
    } else if f.ncalls >= maxfun {
        (1, MAXFEV)
    } else if iter >= maxiter {
        (2, MAXITER)
    } else if fval.is_nan() || x.iter().any(|v| v.is_nan()) {
        (3, NAN)
    } else {
        (0, SUCCESS)
    };
    Ok(Minimized {
        result: OptimizeResult {
            x,
            fun: fval,
            jac: None,
            nfev: f.ncalls,
            njev: 0,
            nit: iter,
            success: status == 0,
            status,
            message: message.to_string(),
        },
        hess_inv: None,
        final_simplex: None,
        direc: Some(direc),
    })
}
