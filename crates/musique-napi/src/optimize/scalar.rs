//! scipy.optimize.minimize_scalar and root_scalar, with `f` called on the JS
//! thread.

use musique_optimize::scalar::{
    self, BoundedOptions, BracketSpec, BrentOptions, GoldenOptions, RootMethod, RootOptions,
    ScalarMethod,
};
use napi::bindgen_prelude::*;
use napi_derive::napi;

use super::{opt_err, scoped};
use crate::runtime::range_error;

/// minimize_scalar's options: `method` 'brent' | 'bounded' | 'golden'; bracket of 2 or 3 values; bounds for 'bounded'.
#[napi(object)]
pub struct ScalarOptions {
    #[napi(ts_type = "'brent' | 'bounded' | 'golden'")]
    pub method: String,
    pub bracket: Option<Vec<f64>>,
    pub bounds: Option<Vec<f64>>,
    pub xtol: Option<f64>,
    pub xatol: Option<f64>,
    pub maxiter: Option<f64>,
}

#[napi(object)]
pub struct ScalarResult {
    pub x: f64,
    pub fun: f64,
    pub nit: u32,
    pub nfev: u32,
    pub success: bool,
    pub status: Option<i32>,
    pub message: String,
}

impl TryFrom<ScalarOptions> for ScalarMethod {
    type Error = Error;
    fn try_from(o: ScalarOptions) -> Result<ScalarMethod> {
        let bracket = match o.bracket.as_deref() {
            None => None,
            Some([a, b]) => Some(BracketSpec::Two(*a, *b)),
            Some([a, b, c]) => Some(BracketSpec::Three(*a, *b, *c)),
            Some(_) => return Err(range_error("bracket must have 2 or 3 values")),
        };
        Ok(match o.method.to_ascii_lowercase().as_str() {
            "brent" => {
                let d = BrentOptions::default();
                ScalarMethod::Brent(BrentOptions {
                    bracket,
                    xtol: o.xtol.unwrap_or(d.xtol),
                    maxiter: o.maxiter.map_or(d.maxiter, |m| m as usize),
                })
            }
            "golden" => {
                let d = GoldenOptions::default();
                ScalarMethod::Golden(GoldenOptions {
                    bracket,
                    xtol: o.xtol.unwrap_or(d.xtol),
                    maxiter: o.maxiter.map_or(d.maxiter, |m| m as usize),
                })
            }
            "bounded" => {
                let Some([lo, hi]) = o.bounds.as_deref() else {
                    return Err(range_error(
                        "The `bounds` parameter is mandatory for method `bounded`.",
                    ));
                };
                let mut b = BoundedOptions::new(*lo, *hi);
                b.xatol = o.xatol.unwrap_or(b.xatol);
                b.maxiter = o.maxiter.map_or(b.maxiter, |m| m as usize);
                ScalarMethod::Bounded(b)
            }
            other => return Err(range_error(format!("Unknown solver {other}"))),
        })
    }
}

/// scipy.optimize.minimize_scalar with `f(x)` called on the JS thread.
#[napi(catch_unwind)]
pub fn minimize_scalar_execute(
    env: Env,
    f: Function<f64, f64>,
    options: ScalarOptions,
) -> Result<ScalarResult> {
    let m = ScalarMethod::try_from(options)?;
    let r = scalar::minimize_scalar(|x| scoped(env.raw(), || f.call(x)), &m)
        .map_err(|e| opt_err(&env, e))?;
    Ok(ScalarResult {
        x: r.x,
        fun: r.fun,
        nit: r.nit as u32,
        nfev: r.nfev as u32,
        success: r.success,
        status: r.status,
        message: r.message,
    })
}

/// root_scalar's method and options: 'brentq' | 'bisect' (bracket), 'newton' (x0, fprime), 'secant' (x0, x1).
#[napi(object)]
pub struct RootScalarOptions {
    #[napi(ts_type = "'brentq' | 'bisect' | 'newton' | 'secant'")]
    pub method: String,
    pub bracket: Option<Vec<f64>>,
    pub x0: Option<f64>,
    pub x1: Option<f64>,
    pub xtol: Option<f64>,
    pub rtol: Option<f64>,
    pub maxiter: Option<f64>,
}

#[napi(object)]
pub struct RootResultJs {
    pub root: f64,
    pub iterations: u32,
    pub function_calls: u32,
    pub converged: bool,
    pub flag: String,
    pub method: String,
}

/// root_scalar's solver and its options.
impl TryFrom<RootScalarOptions> for (RootMethod, RootOptions) {
    type Error = Error;
    fn try_from(o: RootScalarOptions) -> Result<(RootMethod, RootOptions)> {
        let bracket = || match o.bracket.as_deref() {
            Some([a, b]) => Ok((*a, *b)),
            _ => Err(range_error("bracket must be [a, b] for this method")),
        };
        let method = match o.method.as_str() {
            "brentq" => RootMethod::Brentq {
                bracket: bracket()?,
            },
            "bisect" => RootMethod::Bisect {
                bracket: bracket()?,
            },
            "newton" => RootMethod::Newton {
                x0: o
                    .x0
                    .ok_or_else(|| range_error("x0 is required for method 'newton'"))?,
            },
            "secant" => RootMethod::Secant {
                x0: o
                    .x0
                    .ok_or_else(|| range_error("x0 is required for method 'secant'"))?,
                x1: o.x1,
            },
            other => return Err(range_error(format!("Unknown solver {other}"))),
        };
        let options = RootOptions {
            xtol: o.xtol,
            rtol: o.rtol,
            maxiter: o.maxiter.map(|m| m as usize),
        };
        Ok((method, options))
    }
}

/// scipy.optimize.root_scalar with `f` (and `fprime`) called on the JS thread.
#[napi(catch_unwind)]
pub fn root_scalar_execute(
    env: Env,
    f: Function<f64, f64>,
    fprime: Option<Function<f64, f64>>,
    options: RootScalarOptions,
) -> Result<RootResultJs> {
    let (m, o) = <(RootMethod, RootOptions)>::try_from(options)?;
    let raw = env.raw();
    let mut fp = fprime
        .as_ref()
        .map(|g| move |x: f64| scoped(raw, || g.call(x)));
    let r = scalar::root_scalar(
        |x| scoped(raw, || f.call(x)),
        fp.as_mut().map(|g| g as &mut dyn FnMut(f64) -> Result<f64>),
        m,
        o,
    )
    .map_err(|e| opt_err(&env, e))?;
    Ok(RootResultJs {
        root: r.root,
        iterations: r.iterations as u32,
        function_calls: r.function_calls as u32,
        converged: r.converged,
        flag: r.flag,
        method: r.method.into(),
    })
}
