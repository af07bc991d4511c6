//! scipy.optimize.minimize (Nelder-Mead, Powell, CG, BFGS, L-BFGS-B) and
//! approx_fprime, with the objective called on the JS thread.

use std::ops::ControlFlow;

use musique_optimize::local::{self, FiniteDiff, Method};
use napi::bindgen_prelude::*;
use napi_derive::napi;

use super::{opt_err, scoped, F64Vec, JsBatch};
use crate::runtime::range_error;

/// minimize's method and options, validated and defaulted by src/optimize.ts
/// (absent fields take SciPy's defaults here).
#[napi(object)]
pub struct MinimizeOptions {
    #[napi(ts_type = "'Nelder-Mead' | 'Powell' | 'CG' | 'BFGS' | 'L-BFGS-B'")]
    pub method: String,
    pub maxiter: Option<f64>,
    pub maxfev: Option<f64>,
    pub maxfun: Option<f64>,
    pub xatol: Option<f64>,
    pub fatol: Option<f64>,
    pub adaptive: Option<bool>,
    /// (n+1)×n, flattened.
    pub initial_simplex: Option<Float64Array>,
    pub xtol: Option<f64>,
    pub ftol: Option<f64>,
    /// n×n, flattened.
    pub direc: Option<Float64Array>,
    pub gtol: Option<f64>,
    pub norm: Option<f64>,
    pub xrtol: Option<f64>,
    pub c1: Option<f64>,
    pub c2: Option<f64>,
    pub maxcor: Option<f64>,
    pub maxls: Option<f64>,
    /// Finite differences when no jac: 'abs' (eps step, SciPy's jac=None), '2-point' or '3-point'.
    #[napi(ts_type = "'abs' | '2-point' | '3-point'")]
    pub finite_diff: Option<String>,
    pub eps: Option<f64>,
    pub rel_step: Option<f64>,
    /// n×n, flattened (BFGS).
    pub hess_inv0: Option<Float64Array>,
}

fn rows(flat: &[f64], n: usize) -> Vec<Vec<f64>> {
    flat.chunks(n.max(1)).map(<[f64]>::to_vec).collect()
}

/// [`MinimizeOptions`] with the number of parameters, which shapes the
/// flattened matrices (`initial_simplex`, `direc`) into rows.
struct MinimizeRequest {
    options: MinimizeOptions,
    n: usize,
}

impl TryFrom<MinimizeRequest> for Method {
    type Error = Error;
    fn try_from(MinimizeRequest { options: o, n }: MinimizeRequest) -> Result<Method> {
        let mut m = Method::from_name(&o.method).map_err(range_error)?;
        let us = |v: Option<f64>| v.map(|x| x as usize);
        let fd = match o.finite_diff.as_deref() {
            None | Some("abs") => FiniteDiff::AbsStep(o.eps.unwrap_or(local::SQRT_EPS)),
            Some("2-point") => FiniteDiff::TwoPoint {
                rel_step: o.rel_step,
            },
            Some("3-point") => FiniteDiff::ThreePoint {
                rel_step: o.rel_step,
            },
            Some(other) => {
                return Err(range_error(format!(
                    "unknown finite difference scheme '{other}'"
                )))
            }
        };
        match &mut m {
            Method::NelderMead(p) => {
                p.maxiter = us(o.maxiter);
                p.maxfev = us(o.maxfev);
                p.initial_simplex = o.initial_simplex.as_ref().map(|s| rows(s, n));
                if let Some(v) = o.xatol {
                    p.xatol = v;
                }
                if let Some(v) = o.fatol {
                    p.fatol = v;
                }
                p.adaptive = o.adaptive.unwrap_or(false);
            }
            Method::Powell(p) => {
                p.maxiter = us(o.maxiter);
                p.maxfev = us(o.maxfev);
                p.direc = o.direc.as_ref().map(|d| rows(d, n));
                if let Some(v) = o.xtol {
                    p.xtol = v;
                }
                if let Some(v) = o.ftol {
                    p.ftol = v;
                }
            }
            Method::Bfgs(p) => {
                p.maxiter = us(o.maxiter);
                p.gtol = o.gtol.unwrap_or(p.gtol);
                p.norm = o.norm.unwrap_or(p.norm);
                p.xrtol = o.xrtol.unwrap_or(p.xrtol);
                p.c1 = o.c1.unwrap_or(p.c1);
                p.c2 = o.c2.unwrap_or(p.c2);
                p.hess_inv0 = o.hess_inv0.as_ref().map(|h| h.to_vec());
                p.finite_diff = fd;
            }
            Method::Cg(p) => {
                p.maxiter = us(o.maxiter);
                p.gtol = o.gtol.unwrap_or(p.gtol);
                p.norm = o.norm.unwrap_or(p.norm);
                p.c1 = o.c1.unwrap_or(p.c1);
                p.c2 = o.c2.unwrap_or(p.c2);
                p.finite_diff = fd;
            }
            Method::LBfgsB(p) => {
                p.maxiter = us(o.maxiter).unwrap_or(p.maxiter);
                p.maxfun = us(o.maxfun).unwrap_or(p.maxfun);
                p.maxcor = us(o.maxcor).unwrap_or(p.maxcor);
                p.maxls = us(o.maxls).unwrap_or(p.maxls);
                p.ftol = o.ftol.unwrap_or(p.ftol);
                p.gtol = o.gtol.unwrap_or(p.gtol);
                p.finite_diff = fd;
            }
        }
        Ok(m)
    }
}

/// scipy.optimize.minimize's result.
#[napi(object)]
pub struct MinimizeResult {
    pub x: Float64Array,
    pub fun: f64,
    pub jac: Option<Float64Array>,
    pub nfev: u32,
    pub njev: u32,
    pub nit: u32,
    pub success: bool,
    pub status: i32,
    pub message: String,
    /// n×n, flattened (BFGS and L-BFGS-B).
    pub hess_inv: Option<Float64Array>,
    /// (n+1)×n then n+1 values (Nelder-Mead).
    pub final_simplex: Option<Float64Array>,
    pub final_simplex_values: Option<Float64Array>,
    /// n×n, flattened (Powell).
    pub direc: Option<Float64Array>,
}

/// scipy.optimize.minimize on the JS thread: `evaluate(points)` gives f at a
/// batch of rows (one point, or a finite-difference gradient's points at
/// once), `jac(x)` the gradient, `callback(state)` with state = [nit, fun, ...x]
/// returns true to stop. `bounds`: (lo, hi) pairs, flattened.
#[napi(catch_unwind)]
pub fn minimize_execute(
    env: Env,
    x0: Float64Array,
    evaluate: Function<F64Vec, Float64Array>,
    jac: Option<Function<F64Vec, Float64Array>>,
    bounds: Option<Float64Array>,
    callback: Option<Function<F64Vec, bool>>,
    options: MinimizeOptions,
) -> Result<MinimizeResult> {
    let n = x0.len();
    let m = Method::try_from(MinimizeRequest { options, n })?;
    let raw = env.raw();
    let mut objective = JsBatch {
        f: &evaluate,
        dim: n,
        env: raw,
    };
    let bounds: Option<Vec<(f64, f64)>> =
        bounds.map(|b| b.chunks_exact(2).map(|p| (p[0], p[1])).collect());
    let mut jac_fn = jac.as_ref().map(|j| {
        move |x: &[f64], g: &mut [f64]| -> Result<()> {
            scoped(raw, || {
                let v = j.call(F64Vec(x.to_vec()))?;
                if v.len() != g.len() {
                    return Err(range_error(format!(
                        "jac must return {} values; got {}",
                        g.len(),
                        v.len()
                    )));
                }
                g.copy_from_slice(&v);
                Ok(())
            })
        }
    });
    let mut cb_error: Option<Error> = None;
    let mut cb_fn = callback.as_ref().map(|c| {
        let cb_error = &mut cb_error;
        move |r: &local::IntermediateResult<'_>| -> ControlFlow<()> {
            let mut state = Vec::with_capacity(r.x.len() + 2);
            state.push(r.nit as f64);
            state.push(r.fun);
            state.extend_from_slice(r.x);
            match scoped(raw, || c.call(F64Vec(state))) {
                Ok(true) => ControlFlow::Break(()),
                Ok(false) => ControlFlow::Continue(()),
                Err(e) => {
                    *cb_error = Some(e);
                    ControlFlow::Break(())
                }
            }
        }
    });
    let r = local::minimize(
        &m,
        &x0,
        &mut objective,
        jac_fn.as_mut().map(|f| f as local::Jac<'_, Error>),
        bounds.as_deref(),
        cb_fn.as_mut().map(|f| f as local::Callback<'_>),
    );
    if let Some(e) = cb_error {
        return Err(e);
    }
    let r = r.map_err(|e| opt_err(&env, e))?;
    let (fs, fsv) = match r.final_simplex {
        Some((pts, vals)) => (
            Some(Float64Array::new(pts.into_iter().flatten().collect())),
            Some(Float64Array::new(vals)),
        ),
        None => (None, None),
    };
    Ok(MinimizeResult {
        hess_inv: r.hess_inv.map(|h| Float64Array::new(h.to_dense(n))),
        direc: r
            .direc
            .map(|d| Float64Array::new(d.into_iter().flatten().collect())),
        final_simplex: fs,
        final_simplex_values: fsv,
        x: Float64Array::new(r.result.x),
        fun: r.result.fun,
        jac: r.result.jac.map(Float64Array::new),
        nfev: r.result.nfev as u32,
        njev: r.result.njev as u32,
        nit: r.result.nit as u32,
        success: r.result.success,
        status: r.result.status,
        message: r.result.message,
    })
}

/// scipy.optimize.approx_fprime: forward differences, the n points evaluated as one batch.
#[napi(catch_unwind)]
pub fn approx_fprime_execute(
    env: Env,
    xk: Float64Array,
    evaluate: Function<F64Vec, Float64Array>,
    epsilon: f64,
) -> Result<Float64Array> {
    let mut objective = JsBatch {
        f: &evaluate,
        dim: xk.len(),
        env: env.raw(),
    };
    Ok(Float64Array::new(
        local::approx_fprime(&xk, &mut objective, epsilon).map_err(|e| opt_err(&env, e))?,
    ))
}
