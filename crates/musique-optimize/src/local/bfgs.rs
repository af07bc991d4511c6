//! BFGS and CG (Polak–Ribière with Powell's restart), as
//! `scipy.optimize._optimize._minimize_bfgs` and `_minimize_cg`.

// Index loops mirror the reference code line by line.
#![allow(clippy::needless_range_loop)]

use super::fd::ScalarFunction;
use super::linesearch::wolfe12;
use super::{
    dot, norm2, value_error, vecnorm, BfgsOptions, CgOptions, HessInv, Hook, Jac, Minimized,
    OptimizeError,
};
use crate::{Objective, OptimizeResult};

pub(crate) const SUCCESS: &str = "Optimization terminated successfully.";
pub(crate) const MAXFEV: &str = "Maximum number of function evaluations has been exceeded.";
pub(crate) const MAXITER: &str = "Maximum number of iterations has been exceeded.";
pub(crate) const PR_LOSS: &str = "Desired error not necessarily achieved due to precision loss.";
pub(crate) const NAN: &str = "NaN result encountered.";
pub(crate) const OUT_OF_BOUNDS: &str = "The result is outside of the provided bounds.";

fn check_c1_c2<E>(c1: f64, c2: f64) -> Result<(), OptimizeError<E>> {
    if 0.0 < c1 && c1 < c2 && c2 < 1.0 {
        Ok(())
    } else {
        value_error("'c1' and 'c2' do not satisfy'0 < c1 < c2 < 1'.")
    }
}

/// Cholesky of a symmetric matrix succeeds.
fn is_pos_def(a: &[f64], n: usize) -> bool {
    for i in 0..n {
        for j in 0..i {
            if a[i * n + j] != a[j * n + i] {
                return false;
            }
        }
    }
    let mut l = vec![0.0; n * n];
    for j in 0..n {
        let mut d = a[j * n + j];
        for k in 0..j {
            d -= l[j * n + k] * l[j * n + k];
        }
        if d.is_nan() || d <= 0.0 {
            return false;
        }
        let d = d.sqrt();
        l[j * n + j] = d;
        for i in j + 1..n {
            let mut s = a[i * n + j];
            for k in 0..j {
                s -= l[i * n + k] * l[j * n + k];
            }
            l[i * n + j] = s / d;
        }
    }
    true
}

fn status_of(
    warnflag: i32,
    k: usize,
    maxiter: usize,
    gnorm: f64,
    fval: f64,
    x: &[f64],
) -> (i32, &'static str) {
    if warnflag == 2 {
        (2, PR_LOSS)
    } else if k >= maxiter {
        (1, MAXITER)
    } else if gnorm.is_nan() || fval.is_nan() || x.iter().any(|v| v.is_nan()) {
        (3, NAN)
    } else {
        (0, SUCCESS)
    }
}

pub(crate) fn minimize_bfgs<O: Objective>(
    objective: &mut O,
    jac: Option<Jac<'_, O::Error>>,
    x0: &[f64],
    opts: &BfgsOptions,
    hook: &mut Hook<'_>,
) -> Result<Minimized, OptimizeError<O::Error>> {
    let n = x0.len();
    check_c1_c2(opts.c1, opts.c2)?;
    if let Some(h0) = &opts.hess_inv0 {
        if h0.len() != n * n || !is_pos_def(h0, n) {
            return value_error("'hess_inv0' matrix isn't positive definite.");
        }
    }
    let maxiter = opts.maxiter.unwrap_or(200 * n);
    let obj = OptimizeError::Objective;
    let mut sf = ScalarFunction::new(objective, jac, opts.finite_diff, None, x0).map_err(obj)?;
    let mut old_fval = sf.fun(x0).map_err(obj)?;
    let mut gfk = sf.grad(x0).map_err(obj)?.to_vec();
    let mut k = 0;
    let mut hk = match &opts.hess_inv0 {
        Some(h) => h.clone(),
        None => identity(n),
    };
    let mut old_old_fval = old_fval + norm2(&gfk) / 2.0;
    let mut xk = x0.to_vec();
    let mut warnflag = 0;
    let mut gnorm = vecnorm(&gfk, opts.norm);
    let mut pk = vec![0.0; n];
    while gnorm > opts.gtol && k < maxiter {
        for i in 0..n {
            pk[i] = -dot(&hk[i * n..(i + 1) * n], &gfk);
        }
        let found = wolfe12(
            &mut sf,
            &xk,
            &pk,
            &gfk,
            old_fval,
            old_old_fval,
            opts.c1,
            opts.c2,
            1e-100,
            1e100,
            None,
        )
        .map_err(obj)?;
        let Some(found) = found else {
            warnflag = 2;
            break;
        };
        old_fval = found.fval;
        old_old_fval = found.old_fval;
        let sk: Vec<f64> = pk.iter().map(|p| found.alpha * p).collect();
        for (x, s) in xk.iter_mut().zip(&sk) {
            *x += s;
        }
        let gfkp1 = match found.g {
            Some(g) => g,
            None => sf.grad(&xk).map_err(obj)?.to_vec(),
        };
        let yk: Vec<f64> = gfkp1.iter().zip(&gfk).map(|(a, b)| a - b).collect();
        gfk = gfkp1;
        k += 1;
        if hook.halt(&xk, old_fval, k) {
            break;
        }
        gnorm = vecnorm(&gfk, opts.norm);
        if gnorm <= opts.gtol {
            break;
        }
        if found.alpha * norm2(&pk) <= opts.xrtol * (opts.xrtol + norm2(&xk)) {
            break;
        }
        if !old_fval.is_finite() {
            warnflag = 2;
            break;
        }
        let rhok_inv = dot(&yk, &sk);
        let rhok = if rhok_inv == 0.0 {
            1000.0
        } else {
            1.0 / rhok_inv
        };
        // Hk = A1 Hk A2 + ρ s sᵀ with A1 = I − ρ s yᵀ, A2 = I − ρ y sᵀ = A1ᵀ.
        // A1 Hk = Hk − ρ s (yᵀ Hk); then (A1 Hk) A2 = M − ρ (M y) sᵀ.
        let mut yh = vec![0.0; n];
        for (i, &y) in yk.iter().enumerate() {
            for j in 0..n {
                yh[j] += y * hk[i * n + j];
            }
        }
        for i in 0..n {
            for j in 0..n {
                hk[i * n + j] -= rhok * sk[i] * yh[j];
            }
        }
        let my: Vec<f64> = (0..n).map(|i| dot(&hk[i * n..(i + 1) * n], &yk)).collect();
        for i in 0..n {
            for j in 0..n {
                hk[i * n + j] += -rhok * my[i] * sk[j] + rhok * sk[i] * sk[j];
            }
        }
    }
    let fval = old_fval;
    let (status, message) = status_of(warnflag, k, maxiter, gnorm, fval, &xk);
    Ok(Minimized {
        result: OptimizeResult {
            x: xk,
            fun: fval,
            jac: Some(gfk),
            nfev: sf.nfev,
            njev: sf.ngev,
            nit: k,
            success: status == 0,
            status,
            message: message.to_string(),
        },
        hess_inv: Some(HessInv::Dense(hk)),
        final_simplex: None,
        direc: None,
    })
}

fn identity(n: usize) -> Vec<f64> {
    let mut h = vec![0.0; n * n];
    for i in 0..n {
        h[i * n + i] = 1.0;
    }
    h
}

/// One Polak–Ribière–Powell step from `alpha`: (x, p, g, gnorm).
struct Step {
    alpha: f64,
    x: Vec<f64>,
    p: Vec<f64>,
    g: Vec<f64>,
    gnorm: f64,
}

pub(crate) fn minimize_cg<O: Objective>(
    objective: &mut O,
    jac: Option<Jac<'_, O::Error>>,
    x0: &[f64],
    opts: &CgOptions,
    hook: &mut Hook<'_>,
) -> Result<Minimized, OptimizeError<O::Error>> {
    let n = x0.len();
    check_c1_c2(opts.c1, opts.c2)?;
    let maxiter = opts.maxiter.unwrap_or(200 * n);
    let obj = OptimizeError::Objective;
    let mut sf = ScalarFunction::new(objective, jac, opts.finite_diff, None, x0).map_err(obj)?;
    let mut old_fval = sf.fun(x0).map_err(obj)?;
    let mut gfk = sf.grad(x0).map_err(obj)?.to_vec();
    let mut k = 0;
    let mut xk = x0.to_vec();
    let mut old_old_fval = old_fval + norm2(&gfk) / 2.0;
    let mut warnflag = 0;
    let mut pk: Vec<f64> = gfk.iter().map(|g| -g).collect();
    let mut gnorm = vecnorm(&gfk, opts.norm);
    let sigma_3 = 0.01;
    let (gtol, ord) = (opts.gtol, opts.norm);
    while gnorm > gtol && k < maxiter {
        let deltak = dot(&gfk, &gfk);
        let step = |alpha: f64, gfkp1: &[f64], xk: &[f64], pk: &[f64], gfk: &[f64]| -> Step {
            let x: Vec<f64> = xk.iter().zip(pk).map(|(x, p)| x + alpha * p).collect();
            let yk_dot: f64 = gfkp1
                .iter()
                .zip(gfk)
                .zip(gfkp1)
                .map(|((a, b), c)| (a - b) * c)
                .sum();
            let beta_k = (yk_dot / deltak).max(0.0);
            let p: Vec<f64> = gfkp1.iter().zip(pk).map(|(g, p)| -g + beta_k * p).collect();
            Step {
                alpha,
                x,
                p,
                g: gfkp1.to_vec(),
                gnorm: vecnorm(gfkp1, ord),
            }
        };
        let mut cached: Option<Step> = None;
        let found = {
            let (xk_r, pk_r, gfk_r) = (&xk, &pk, &gfk);
            let mut descent = |alpha: f64, _x: &[f64], _f: f64, gfkp1: &[f64]| -> bool {
                let s = step(alpha, gfkp1, xk_r, pk_r, gfk_r);
                let ok = s.gnorm <= gtol || dot(&s.p, &s.g) <= -sigma_3 * dot(&s.g, &s.g);
                cached = Some(s);
                ok
            };
            wolfe12(
                &mut sf,
                &xk,
                &pk,
                &gfk,
                old_fval,
                old_old_fval,
                opts.c1,
                opts.c2,
                1e-100,
                1e100,
                Some(&mut descent),
            )
            .map_err(obj)?
        };
        let Some(found) = found else {
            warnflag = 2;
            break;
        };
        old_fval = found.fval;
        old_old_fval = found.old_fval;
        let s = match cached {
            Some(s) if s.alpha == found.alpha => s,
            _ => {
                let g = match found.g {
                    Some(g) => g,
                    None => {
                        let x: Vec<f64> = xk
                            .iter()
                            .zip(&pk)
                            .map(|(x, p)| x + found.alpha * p)
                            .collect();
                        sf.grad(&x).map_err(obj)?.to_vec()
                    }
                };
                step(found.alpha, &g, &xk, &pk, &gfk)
            }
        };
        xk = s.x;
        pk = s.p;
        gfk = s.g;
        gnorm = s.gnorm;
        k += 1;
        if hook.halt(&xk, old_fval, k) {
            break;
        }
    }
    let fval = old_fval;
    let (status, message) = status_of(warnflag, k, maxiter, gnorm, fval, &xk);
    Ok(Minimized::plain(OptimizeResult {
        x: xk,
        fun: fval,
        jac: Some(gfk),
        nfev: sf.nfev,
        njev: sf.ngev,
        nit: k,
        success: status == 0,
        status,
        message: message.to_string(),
    }))
}
