//! Nelder-Mead, as `scipy.optimize._optimize._minimize_neldermead`
//! (with SciPy ≥ 1.7's bounds: the simplex is reflected and clipped into the
//! box and every trial point is clipped).

// Index loops mirror the reference code line by line.
#![allow(clippy::needless_range_loop)]

use super::bfgs::{MAXFEV, MAXITER, SUCCESS};
use super::{value_error, Bounds, Hook, Minimized, NelderMeadOptions, OptimizeError};
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

/// Stable argsort by value (NaN last), as `np.argsort` orders.
fn sort_simplex(sim: &mut Vec<Vec<f64>>, fsim: &mut Vec<f64>) {
    let mut idx: Vec<usize> = (0..fsim.len()).collect();
    idx.sort_by(|&a, &b| fsim[a].total_cmp(&fsim[b]).then(a.cmp(&b)));
    // total_cmp puts -NaN first; NaN from objectives is positive in practice.
    *sim = idx.iter().map(|&i| sim[i].clone()).collect();
    *fsim = idx.iter().map(|&i| fsim[i]).collect();
}

fn limits(maxiter: Option<usize>, maxfev: Option<usize>, per_dim: usize) -> (usize, usize) {
    match (maxiter, maxfev) {
        (None, None) => (per_dim, per_dim),
        (None, Some(f)) => (usize::MAX, f),
        (Some(i), None) => (i, usize::MAX),
        (Some(i), Some(f)) => (i, f),
    }
}

pub(crate) fn minimize<O: Objective>(
    objective: &mut O,
    x0: &[f64],
    bounds: Option<&Bounds>,
    opts: &NelderMeadOptions,
    hook: &mut Hook<'_>,
) -> Result<Minimized, OptimizeError<O::Error>> {
    let (rho, chi, psi, sigma) = if opts.adaptive {
        let dim = x0.len() as f64;
        (
            1.0,
            1.0 + 2.0 / dim,
            0.75 - 1.0 / (2.0 * dim),
            1.0 - 1.0 / dim,
        )
    } else {
        (1.0, 2.0, 0.5, 0.5)
    };
    let nonzdelt = 0.05;
    let zdelt = 0.00025;
    let mut x0 = x0.to_vec();
    if let Some(b) = bounds {
        b.clip(&mut x0);
    }
    let n = x0.len();
    let mut sim: Vec<Vec<f64>> = match &opts.initial_simplex {
        None => {
            let mut sim = vec![x0.clone()];
            for k in 0..n {
                let mut y = x0.clone();
                y[k] = if y[k] != 0.0 {
                    (1.0 + nonzdelt) * y[k]
                } else {
                    zdelt
                };
                sim.push(y);
            }
            sim
        }
        Some(s) => {
            if s.is_empty() || s.iter().any(|r| r.len() != s[0].len()) || s.len() != s[0].len() + 1
            {
                return value_error("`initial_simplex` should be an array of shape (N+1,N)");
            }
            if s[0].len() != n {
                return value_error("Size of `initial_simplex` is not consistent with `x0`");
            }
            s.clone()
        }
    };
    let (maxiter, maxfun) = limits(opts.maxiter, opts.maxfev, n * 200);
    if let Some(b) = bounds {
        for v in sim.iter_mut() {
            for (i, x) in v.iter_mut().enumerate() {
                if *x > b.ub[i] {
                    *x = 2.0 * b.ub[i] - *x;
                }
            }
            b.clip(v);
        }
    }
    let clip = |v: &mut Vec<f64>| {
        if let Some(b) = bounds {
            b.clip(v);
        }
    };
    let mut f = Counted {
        objective,
        ncalls: 0,
        maxfun,
    };
    let mut fsim = vec![f64::INFINITY; n + 1];
    for k in 0..=n {
        match f.call(&sim[k]) {
            Ok(v) => fsim[k] = v,
            Err(Stop::MaxFun) => break,
            Err(Stop::Objective(e)) => return Err(OptimizeError::Objective(e)),
        }
    }
    sort_simplex(&mut sim, &mut fsim);
    let mut iterations = 1;
    let combine = |a: f64, xa: &[f64], b: f64, xb: &[f64]| -> Vec<f64> {
        xa.iter().zip(xb).map(|(p, q)| a * p + b * q).collect()
    };
    while f.ncalls < maxfun && iterations < maxiter {
        let step = (|| -> Result<bool, Stop<O::Error>> {
            let spread_x = sim[1..]
                .iter()
                .flat_map(|v| v.iter().zip(&sim[0]).map(|(a, b)| (a - b).abs()))
                .fold(0.0f64, f64::max);
            let spread_f = fsim[1..]
                .iter()
                .map(|v| (fsim[0] - v).abs())
                .fold(0.0f64, f64::max);
            if spread_x <= opts.xatol && spread_f <= opts.fatol {
                return Ok(true);
            }
            let mut xbar = vec![0.0; n];
            for v in &sim[..n] {
                for (s, x) in xbar.iter_mut().zip(v) {
                    *s += x;
                }
            }
            xbar.iter_mut().for_each(|s| *s /= n as f64);
            let worst = sim[n].clone();
            let mut xr = combine(1.0 + rho, &xbar, -rho, &worst);
            clip(&mut xr);
            let fxr = f.call(&xr)?;
            let mut doshrink = false;
            if fxr < fsim[0] {
                let mut xe = combine(1.0 + rho * chi, &xbar, -rho * chi, &worst);
                clip(&mut xe);
                let fxe = f.call(&xe)?;
                if fxe < fxr {
                    sim[n] = xe;
                    fsim[n] = fxe;
                } else {
                    sim[n] = xr;
                    fsim[n] = fxr;
                }
            } else if fxr < fsim[n - 1] {
                sim[n] = xr;
                fsim[n] = fxr;
            } else if fxr < fsim[n] {
                let mut xc = combine(1.0 + psi * rho, &xbar, -psi * rho, &worst);
                clip(&mut xc);
                let fxc = f.call(&xc)?;
                if fxc <= fxr {
                    sim[n] = xc;
                    fsim[n] = fxc;
                } else {
                    doshrink = true;
                }
            } else {
                let mut xcc = combine(1.0 - psi, &xbar, psi, &worst);
                clip(&mut xcc);
                let fxcc = f.call(&xcc)?;
                if fxcc < fsim[n] {
                    sim[n] = xcc;
                    fsim[n] = fxcc;
                } else {
                    doshrink = true;
                }
            }
            if doshrink {
                for j in 1..=n {
                    let mut v: Vec<f64> = sim[j]
                        .iter()
                        .zip(&sim[0])
                        .map(|(a, b)| b + sigma * (a - b))
                        .collect();
                    clip(&mut v);
                    sim[j] = v;
                    fsim[j] = f.call(&sim[j])?;
                }
            }
            Ok(false)
        })();
        match step {
            Ok(true) => break,
            Ok(false) => iterations += 1,
            Err(Stop::MaxFun) => {}
            Err(Stop::Objective(e)) => return Err(OptimizeError::Objective(e)),
        }
        sort_simplex(&mut sim, &mut fsim);
        if hook.halt(&sim[0], fsim[0], iterations) {
            break;
        }
    }
    let x = sim[0].clone();
    let fval = fsim.iter().copied().fold(f64::INFINITY, f64::min);
    let fval = if fsim.iter().any(|v| v.is_nan()) {
        f64::NAN
    } else {
        fval
    };
    let (status, message) = if f.ncalls >= maxfun {
        (1, MAXFEV)
    } else if iterations >= maxiter {
        (2, MAXITER)
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
            nit: iterations,
            success: status == 0,
            status,
            message: message.to_string(),
        },
        hess_inv: None,
        final_simplex: Some((sim, fsim)),
        direc: None,
    })
}
