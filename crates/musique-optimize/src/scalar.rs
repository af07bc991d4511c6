//! scipy.optimize.minimize_scalar ('brent', 'bounded', 'golden', with
//! `bracket`) and root finding (`brentq`, `bisect`, `newton`, `secant`,
//! `root_scalar`), with SciPy's defaults, messages and counts.
//!
//! Scalar functions are `FnMut(f64) -> Result<f64, E>`; an `Err` ends the
//! call at once and comes back unchanged as [`OptimizeError::Objective`].

// Index loops mirror the reference code line by line.
#![allow(clippy::needless_range_loop)]

use crate::error::OptimizeError;

/// SciPy's `_xtol` for the bracketing root finders.
pub const BRENTQ_XTOL: f64 = 2e-12;
/// SciPy's `_rtol`: `4 · eps`.
pub const BRENTQ_RTOL: f64 = 4.0 * f64::EPSILON;
/// SciPy's `_iter`.
pub const BRENTQ_MAXITER: usize = 100;

const NAN_MESSAGE: &str = "NaN result encountered.";

/// Python's `repr(float)`: shortest round-trip digits, exponent form outside
/// `1e-4 <= |x| < 1e16`.
pub(crate) fn py_repr(x: f64) -> String {
    if x.is_nan() {
        return "nan".into();
    }
    if x.is_infinite() {
        return if x > 0.0 { "inf".into() } else { "-inf".into() };
    }
    if x == 0.0 {
        return if x.is_sign_negative() {
            "-0.0".into()
        } else {
            "0.0".into()
        };
    }
    let e = format!("{x:e}");
    let (mant, exp) = e.split_once('e').unwrap();
    let exp: i32 = exp.parse().unwrap();
    let neg = mant.starts_with('-');
    let digits: String = mant.chars().filter(|c| c.is_ascii_digit()).collect();
    let sign = if neg { "-" } else { "" };
    if (-4..16).contains(&exp) {
        let nd = digits.len() as i32;
        if exp >= 0 {
            let int_len = exp + 1;
            if nd <= int_len {
                format!("{sign}{}{}.0", digits, "0".repeat((int_len - nd) as usize))
            } else {
                format!(
                    "{sign}{}.{}",
                    &digits[..int_len as usize],
                    &digits[int_len as usize..]
                )
            }
        } else {
            format!("{sign}0.{}{}", "0".repeat((-exp - 1) as usize), digits)
        }
    } else {
        let m = if digits.len() > 1 {
            format!("{}.{}", &digits[..1], &digits[1..])
        } else {
            digits.clone()
        };
        format!(
            "{sign}{m}e{}{:02}",
            if exp < 0 { '-' } else { '+' },
            exp.abs()
        )
    }
}

/// Python's `format(x, 'g')`.
pub(crate) fn py_g(x: f64) -> String {
    if !x.is_finite() {
        return py_repr(x);
    }
    if x == 0.0 {
        return if x.is_sign_negative() {
            "-0".into()
        } else {
            "0".into()
        };
    }
    let e = format!("{x:.5e}");
    let (mant, exp) = e.split_once('e').unwrap();
    let exp: i32 = exp.parse().unwrap();
    let strip = |s: String| -> String {
        if s.contains('.') {
            s.trim_end_matches('0').trim_end_matches('.').to_string()
        } else {
            s
        }
    };
    if !(-4..6).contains(&exp) {
        format!(
            "{}e{}{:02}",
            strip(mant.to_string()),
            if exp < 0 { '-' } else { '+' },
            exp.abs()
        )
    } else {
        strip(format!("{:.*}", (5 - exp).max(0) as usize, x))
    }
}

fn obj<E>(e: E) -> OptimizeError<E> {
    OptimizeError::Objective(e)
}

/// A bracket `(xa, xb, xc)` with their values and the calls spent.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Bracket {
    pub xa: f64,
    pub xb: f64,
    pub xc: f64,
    pub fa: f64,
    pub fb: f64,
    pub fc: f64,
    pub funcalls: usize,
}

/// scipy.optimize.bracket: `Ok(Err(points))` when the search ended without a
/// valid bracket (SciPy's `BracketError` with its `data`).
pub(crate) fn bracket_search<E>(
    f: &mut dyn FnMut(f64) -> Result<f64, E>,
    xa: f64,
    xb: f64,
    grow_limit: f64,
    maxiter: usize,
) -> Result<Result<Bracket, Bracket>, OptimizeError<E>> {
    const GOLD: f64 = 1.618034;
    const VERYSMALL: f64 = 1e-21;
    let (mut xa, mut xb) = (xa, xb);
    let mut fa = f(xa).map_err(obj)?;
    let mut fb = f(xb).map_err(obj)?;
    if fa < fb {
        std::mem::swap(&mut xa, &mut xb);
        std::mem::swap(&mut fa, &mut fb);
    }
    let mut xc = xb + GOLD * (xb - xa);
    let mut fc = f(xc).map_err(obj)?;
    let mut funcalls = 3;
    let mut iter = 0;
    while fc < fb {
        let tmp1 = (xb - xa) * (fb - fc);
        let tmp2 = (xb - xc) * (fb - fa);
        let val = tmp2 - tmp1;
        let denom = if val.abs() < VERYSMALL {
            2.0 * VERYSMALL
        } else {
            2.0 * val
        };
        let mut w = xb - ((xb - xc) * tmp2 - (xb - xa) * tmp1) / denom;
        let wlim = xb + grow_limit * (xc - xb);
        if iter > maxiter {
            return Err(OptimizeError::Runtime(
                "No valid bracket was found before the iteration limit was reached. \
                 Consider trying different initial points or increasing `maxiter`."
                    .into(),
            ));
        }
        iter += 1;
        let mut fw;
        if (w - xc) * (xb - w) > 0.0 {
            fw = f(w).map_err(obj)?;
            funcalls += 1;
            if fw < fc {
                xa = xb;
                xb = w;
                fa = fb;
                fb = fw;
                break;
            } else if fw > fb {
                xc = w;
                fc = fw;
                break;
            }
            w = xc + GOLD * (xc - xb);
            fw = f(w).map_err(obj)?;
            funcalls += 1;
        } else if (w - wlim) * (wlim - xc) >= 0.0 {
            w = wlim;
            fw = f(w).map_err(obj)?;
            funcalls += 1;
        } else if (w - wlim) * (xc - w) > 0.0 {
            fw = f(w).map_err(obj)?;
            funcalls += 1;
            if fw < fc {
                xb = xc;
                xc = w;
                w = xc + GOLD * (xc - xb);
                fb = fc;
                fc = fw;
                fw = f(w).map_err(obj)?;
                funcalls += 1;
            }
        } else {
            w = xc + GOLD * (xc - xb);
            fw = f(w).map_err(obj)?;
            funcalls += 1;
        }
        xa = xb;
        xb = xc;
        xc = w;
        fa = fb;
        fb = fc;
        fc = fw;
    }
    let cond1 = (fb < fc && fb <= fa) || (fb < fa && fb <= fc);
    let cond2 = (xa < xb && xb < xc) || (xc < xb && xb < xa);
    let cond3 = xa.is_finite() && xb.is_finite() && xc.is_finite();
    let b = Bracket {
        xa,
        xb,
        xc,
        fa,
        fb,
        fc,
        funcalls,
    };
    Ok(if cond1 && cond2 && cond3 {
        Ok(b)
    } else {
        Err(b)
    })
}

/// scipy.optimize.bracket(func, xa=0, xb=1, grow_limit=110, maxiter=1000).
pub fn bracket<E>(
    mut f: impl FnMut(f64) -> Result<f64, E>,
    xa: f64,
    xb: f64,
    grow_limit: f64,
    maxiter: usize,
) -> Result<Bracket, OptimizeError<E>> {
    bracket_search(&mut f, xa, xb, grow_limit, maxiter)?.map_err(|_| {
        OptimizeError::Runtime(
            "The algorithm terminated without finding a valid bracket. Consider trying different initial points."
                .into(),
        )
    })
}

/// What minimize_scalar returns.
#[derive(Debug, Clone, PartialEq)]
pub struct ScalarMinimum {
    pub x: f64,
    pub fun: f64,
    pub nit: usize,
    pub nfev: usize,
    pub success: bool,
    /// 'bounded' only (0 solution found, 1 maxiter, 2 NaN); SciPy's 'brent'
    /// and 'golden' report none.
    pub status: Option<i32>,
    pub message: String,
}

/// The initial bracket of 'brent' and 'golden': two points to start
/// `bracket` from, or three points `xa < xb < xc` with `f(xb)` below both.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum BracketSpec {
    Two(f64, f64),
    Three(f64, f64, f64),
}

#[derive(Debug, Clone, PartialEq)]
pub struct BrentOptions {
    /// Default: `bracket` from (0, 1).
    pub bracket: Option<BracketSpec>,
    pub xtol: f64,
    pub maxiter: usize,
}

impl Default for BrentOptions {
    fn default() -> Self {
        BrentOptions {
            bracket: None,
            xtol: 1.48e-8,
            maxiter: 500,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct GoldenOptions {
    pub bracket: Option<BracketSpec>,
    pub xtol: f64,
    pub maxiter: usize,
}

impl Default for GoldenOptions {
    fn default() -> Self {
        GoldenOptions {
            bracket: None,
            xtol: crate::local::SQRT_EPS,
            maxiter: 5000,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct BoundedOptions {
    pub bounds: (f64, f64),
    pub xatol: f64,
    pub maxiter: usize,
}

impl BoundedOptions {
    pub fn new(lower: f64, upper: f64) -> BoundedOptions {
        BoundedOptions {
            bounds: (lower, upper),
            xatol: 1e-5,
            maxiter: 500,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum ScalarMethod {
    Brent(BrentOptions),
    Bounded(BoundedOptions),
    Golden(GoldenOptions),
}

fn bracket_info<E>(
    f: &mut dyn FnMut(f64) -> Result<f64, E>,
    spec: Option<BracketSpec>,
) -> Result<Result<Bracket, Bracket>, OptimizeError<E>> {
    match spec {
        None => bracket_search(f, 0.0, 1.0, 110.0, 1000),
        Some(BracketSpec::Two(a, b)) => bracket_search(f, a, b, 110.0, 1000),
        Some(BracketSpec::Three(mut xa, xb, mut xc)) => {
            if xa > xc {
                std::mem::swap(&mut xa, &mut xc);
            }
            if !(xa < xb && xb < xc) {
                return Err(OptimizeError::Value(
                    "Bracketing values (xa, xb, xc) do not fulfill this requirement: (xa < xb) and (xb < xc)".into(),
                ));
            }
            let fa = f(xa).map_err(obj)?;
            let fb = f(xb).map_err(obj)?;
            let fc = f(xc).map_err(obj)?;
            if !(fb < fa && fb < fc) {
                return Err(OptimizeError::Value(
                    "Bracketing values (xa, xb, xc) do not fulfill this requirement: (f(xb) < f(xa)) and (f(xb) < f(xc))"
                        .into(),
                ));
            }
            Ok(Ok(Bracket {
                xa,
                xb,
                xc,
                fa,
                fb,
                fc,
                funcalls: 3,
            }))
        }
    }
}

/// `_recover_from_bracket_error`: the best of the three points, unsuccessful.
fn recovered(b: Bracket) -> ScalarMinimum {
    let xs = [b.xa, b.xb, b.xc];
    let fs = [b.fa, b.fb, b.fc];
    let (x, fun) = if xs.iter().chain(&fs).any(|v| v.is_nan()) {
        (f64::NAN, f64::NAN)
    } else {
        let mut imin = 0;
        for i in 1..3 {
            if fs[i] < fs[imin] {
                imin = i;
            }
        }
        (xs[imin], fs[imin])
    };
    ScalarMinimum {
        x,
        fun,
        nit: 0,
        nfev: b.funcalls,
        success: false,
        status: None,
        message: "The algorithm terminated without finding a valid bracket. Consider trying different initial points."
            .into(),
    }
}

fn unbracketed_message(
    success: bool,
    nit: usize,
    maxiter: usize,
    x: f64,
    fval: f64,
    xtol: f64,
) -> String {
    if success {
        format!(
            "\nOptimization terminated successfully;\nThe returned value satisfies the termination criteria\n(using xtol = {} )",
            py_repr(xtol)
        )
    } else if x.is_nan() || fval.is_nan() {
        NAN_MESSAGE.into()
    } else if nit >= maxiter {
        "\nMaximum number of iterations exceeded".into()
    } else {
        String::new()
    }
}

/// `_minimize_scalar_brent` (with `_recover_from_bracket_error`).
pub(crate) fn brent<E>(
    f: &mut dyn FnMut(f64) -> Result<f64, E>,
    opts: &BrentOptions,
) -> Result<ScalarMinimum, OptimizeError<E>> {
    let tol = opts.xtol;
    if tol < 0.0 {
        return Err(OptimizeError::Value(format!(
            "tolerance should be >= 0, got {}",
            py_repr(tol)
        )));
    }
    let b = match bracket_info(f, opts.bracket)? {
        Ok(b) => b,
        Err(b) => return Ok(recovered(b)),
    };
    const MINTOL: f64 = 1.0e-11;
    const CG: f64 = 0.3819660;
    let mut funcalls = b.funcalls;
    let (mut x, mut w, mut v) = (b.xb, b.xb, b.xb);
    let (mut fw, mut fv, mut fx) = (b.fb, b.fb, b.fb);
    let (mut a, mut bb) = if b.xa < b.xc {
        (b.xa, b.xc)
    } else {
        (b.xc, b.xa)
    };
    let mut deltax: f64 = 0.0;
    let mut rat: f64 = 0.0;
    let mut iter = 0;
    while iter < opts.maxiter {
        let tol1 = tol * x.abs() + MINTOL;
        let tol2 = 2.0 * tol1;
        let xmid = 0.5 * (a + bb);
        if (x - xmid).abs() < (tol2 - 0.5 * (bb - a)) {
            break;
        }
        if deltax.abs() <= tol1 {
            deltax = if x >= xmid { a - x } else { bb - x };
            rat = CG * deltax;
        } else {
            let tmp1 = (x - w) * (fx - fv);
            let mut tmp2 = (x - v) * (fx - fw);
            let mut p = (x - v) * tmp2 - (x - w) * tmp1;
            tmp2 = 2.0 * (tmp2 - tmp1);
            if tmp2 > 0.0 {
                p = -p;
            }
            tmp2 = tmp2.abs();
            let dx_temp = deltax;
            deltax = rat;
            if p > tmp2 * (a - x) && p < tmp2 * (bb - x) && p.abs() < (0.5 * tmp2 * dx_temp).abs() {
                rat = p * 1.0 / tmp2;
                let u = x + rat;
                if (u - a) < tol2 || (bb - u) < tol2 {
                    rat = if xmid - x >= 0.0 { tol1 } else { -tol1 };
                }
            } else {
                deltax = if x >= xmid { a - x } else { bb - x };
                rat = CG * deltax;
            }
        }
        let u = if rat.abs() < tol1 {
            if rat >= 0.0 {
                x + tol1
            } else {
                x - tol1
            }
        } else {
            x + rat
        };
        let fu = f(u).map_err(obj)?;
        funcalls += 1;
        if fu > fx {
            if u < x {
                a = u;
            } else {
                bb = u;
            }
            if fu <= fw || w == x {
                v = w;
                w = u;
                fv = fw;
                fw = fu;
            } else if fu <= fv || v == x || v == w {
                v = u;
                fv = fu;
            }
        } else {
            if u >= x {
                a = x;
            } else {
                bb = x;
            }
            v = w;
            w = x;
            x = u;
            fv = fw;
            fw = fx;
            fx = fu;
        }
        iter += 1;
    }
    let success = iter < opts.maxiter && !(x.is_nan() || fx.is_nan());
    Ok(ScalarMinimum {
        x,
        fun: fx,
        nit: iter,
        nfev: funcalls,
        success,
        status: None,
        message: unbracketed_message(success, iter, opts.maxiter, x, fx, opts.xtol),
    })
}

fn golden<E>(
    f: &mut dyn FnMut(f64) -> Result<f64, E>,
    opts: &GoldenOptions,
) -> Result<ScalarMinimum, OptimizeError<E>> {
    let tol = opts.xtol;
    let b = match bracket_info(f, opts.bracket)? {
        Ok(b) => b,
        Err(b) => return Ok(recovered(b)),
    };
    const GR: f64 = 0.61803399;
    const GC: f64 = 1.0 - GR;
    let mut funcalls = b.funcalls;
    let (xa, xb, xc) = (b.xa, b.xb, b.xc);
    let mut x3 = xc;
    let mut x0 = xa;
    let (mut x1, mut x2) = if (xc - xb).abs() > (xb - xa).abs() {
        (xb, xb + GC * (xc - xb))
    } else {
        (xb - GC * (xb - xa), xb)
    };
    let mut f1 = f(x1).map_err(obj)?;
    let mut f2 = f(x2).map_err(obj)?;
    funcalls += 2;
    let mut nit = 0;
    for _ in 0..opts.maxiter {
        if (x3 - x0).abs() <= tol * (x1.abs() + x2.abs()) {
            break;
        }
        if f2 < f1 {
            x0 = x1;
            x1 = x2;
            x2 = GR * x1 + GC * x3;
            f1 = f2;
            f2 = f(x2).map_err(obj)?;
        } else {
            x3 = x2;
            x2 = x1;
            x1 = GR * x2 + GC * x0;
            f2 = f1;
            f1 = f(x1).map_err(obj)?;
        }
        funcalls += 1;
        nit += 1;
    }
    let (xmin, fval) = if f1 < f2 { (x1, f1) } else { (x2, f2) };
    let success = nit < opts.maxiter && !(fval.is_nan() || xmin.is_nan());
    Ok(ScalarMinimum {
        x: xmin,
        fun: fval,
        nit,
        nfev: funcalls,
        success,
        status: None,
        message: unbracketed_message(success, nit, opts.maxiter, xmin, fval, opts.xtol),
    })
}

/// `_minimize_scalar_bounded` (fminbound).
pub(crate) fn bounded<E>(
    f: &mut dyn FnMut(f64) -> Result<f64, E>,
    opts: &BoundedOptions,
) -> Result<ScalarMinimum, OptimizeError<E>> {
    let maxfun = opts.maxiter;
    let (x1, x2) = opts.bounds;
    if !(x1.is_finite() && x2.is_finite()) {
        return Err(OptimizeError::Value(
            "Optimization bounds must be finite scalars.".into(),
        ));
    }
    if x1 > x2 {
        return Err(OptimizeError::Value(
            "The lower bound exceeds the upper bound.".into(),
        ));
    }
    let xatol = opts.xatol;
    let mut flag = 0;
    let sqrt_eps = 2.2e-16f64.sqrt();
    let golden_mean = 0.5 * (3.0 - 5.0f64.sqrt());
    let (mut a, mut b) = (x1, x2);
    let mut fulc = a + golden_mean * (b - a);
    let (mut nfc, mut xf) = (fulc, fulc);
    let mut rat: f64 = 0.0;
    let mut e: f64 = 0.0;
    let mut x = xf;
    let mut fx = f(x).map_err(obj)?;
    let mut num = 1;
    let mut fu = f64::INFINITY;
    let (mut ffulc, mut fnfc) = (fx, fx);
    let mut xm = 0.5 * (a + b);
    let mut tol1 = sqrt_eps * xf.abs() + xatol / 3.0;
    let mut tol2 = 2.0 * tol1;
    while (xf - xm).abs() > (tol2 - 0.5 * (b - a)) {
        let mut golden = true;
        if e.abs() > tol1 {
            golden = false;
            let mut r = (xf - nfc) * (fx - ffulc);
            let mut q = (xf - fulc) * (fx - fnfc);
            let mut p = (xf - fulc) * q - (xf - nfc) * r;
            q = 2.0 * (q - r);
            if q > 0.0 {
                p = -p;
            }
            q = q.abs();
            r = e;
            e = rat;
            if p.abs() < (0.5 * q * r).abs() && p > q * (a - xf) && p < q * (b - xf) {
                rat = (p + 0.0) / q;
                x = xf + rat;
                if (x - a) < tol2 || (b - x) < tol2 {
                    let d = xm - xf;
                    let si = np_sign(d) + if d == 0.0 { 1.0 } else { 0.0 };
                    rat = tol1 * si;
                }
            } else {
                golden = true;
            }
        }
        if golden {
            e = if xf >= xm { a - xf } else { b - xf };
            rat = golden_mean * e;
        }
        let si = np_sign(rat) + if rat == 0.0 { 1.0 } else { 0.0 };
        x = xf + si * rat.abs().max(tol1);
        fu = f(x).map_err(obj)?;
        num += 1;
        if fu <= fx {
            if x >= xf {
                a = xf;
            } else {
                b = xf;
            }
            fulc = nfc;
            ffulc = fnfc;
            nfc = xf;
            fnfc = fx;
            xf = x;
            fx = fu;
        } else {
            if x < xf {
                a = x;
            } else {
                b = x;
            }
            if fu <= fnfc || nfc == xf {
                fulc = nfc;
                ffulc = fnfc;
                nfc = x;
                fnfc = fu;
            } else if fu <= ffulc || fulc == xf || fulc == nfc {
                fulc = x;
                ffulc = fu;
            }
        }
        xm = 0.5 * (a + b);
        tol1 = sqrt_eps * xf.abs() + xatol / 3.0;
        tol2 = 2.0 * tol1;
        if num >= maxfun {
            flag = 1;
            break;
        }
    }
    if xf.is_nan() || fx.is_nan() || fu.is_nan() {
        flag = 2;
    }
    let message = match flag {
        0 => "Solution found.",
        1 => "Maximum number of function calls reached.",
        _ => NAN_MESSAGE,
    };
    Ok(ScalarMinimum {
        x: xf,
        fun: fx,
        nit: num,
        nfev: num,
        success: flag == 0,
        status: Some(flag),
        message: message.into(),
    })
}

fn np_sign(x: f64) -> f64 {
    if x > 0.0 {
        1.0
    } else if x < 0.0 {
        -1.0
    } else if x == 0.0 {
        0.0
    } else {
        f64::NAN
    }
}

/// scipy.optimize.minimize_scalar.
pub fn minimize_scalar<E>(
    mut f: impl FnMut(f64) -> Result<f64, E>,
    method: &ScalarMethod,
) -> Result<ScalarMinimum, OptimizeError<E>> {
    match method {
        ScalarMethod::Brent(o) => brent(&mut f, o),
        ScalarMethod::Golden(o) => golden(&mut f, o),
        ScalarMethod::Bounded(o) => bounded(&mut f, o),
    }
}

/// scipy.optimize's RootResults.
#[derive(Debug, Clone, PartialEq)]
pub struct RootResults {
    pub root: f64,
    pub iterations: usize,
    pub function_calls: usize,
    pub converged: bool,
    /// "converged", "convergence error", or the NaN message.
    pub flag: String,
    pub method: &'static str,
}

const CONVERGED: &str = "converged";
const CONVERR: &str = "convergence error";

fn results(
    root: f64,
    function_calls: usize,
    iterations: usize,
    converged: bool,
    method: &'static str,
) -> RootResults {
    RootResults {
        root,
        iterations,
        function_calls,
        converged,
        flag: if converged { CONVERGED } else { CONVERR }.into(),
        method,
    }
}

/// f for the bracketing solvers: a NaN ends the search (SciPy's
/// `_wrap_nan_raise`), reported as root_scalar reports it.
enum Bracketing<E> {
    Fn(E),
    Nan(f64, usize),
}

fn check_bracket_tols<E>(xtol: f64, rtol: f64, maxiter: usize) -> Result<(), OptimizeError<E>> {
    if xtol <= 0.0 {
        return Err(OptimizeError::Value(format!(
            "xtol too small ({} <= 0)",
            py_g(xtol)
        )));
    }
    if rtol < BRENTQ_RTOL {
        return Err(OptimizeError::Value(format!(
            "rtol too small ({} < {})",
            py_g(rtol),
            py_g(BRENTQ_RTOL)
        )));
    }
    let _ = maxiter;
    Ok(())
}

fn sign_error<E>() -> OptimizeError<E> {
    OptimizeError::Value("f(a) and f(b) must have different signs".into())
}

type Solver<E> = fn(
    &mut dyn FnMut(f64) -> Result<f64, Bracketing<E>>,
    f64,
    f64,
    f64,
    f64,
    usize,
) -> Result<Option<(f64, usize, usize, bool)>, Bracketing<E>>;

#[allow(clippy::too_many_arguments)]
fn run_bracketing<E>(
    mut f: impl FnMut(f64) -> Result<f64, E>,
    a: f64,
    b: f64,
    xtol: f64,
    rtol: f64,
    maxiter: usize,
    solver: Solver<E>,
    method: &'static str,
) -> Result<RootResults, OptimizeError<E>> {
    check_bracket_tols(xtol, rtol, maxiter)?;
    let mut calls = 0;
    let mut g = |x: f64| -> Result<f64, Bracketing<E>> {
        let v = f(x).map_err(Bracketing::Fn)?;
        calls += 1;
        if v.is_nan() {
            return Err(Bracketing::Nan(x, calls));
        }
        Ok(v)
    };
    match solver(&mut g, a, b, xtol, rtol, maxiter) {
        Ok(Some((root, funcalls, iterations, converged))) => {
            Ok(results(root, funcalls, iterations, converged, method))
        }
        Ok(None) => Err(sign_error()),
        Err(Bracketing::Fn(e)) => Err(OptimizeError::Objective(e)),
        Err(Bracketing::Nan(x, calls)) => Ok(RootResults {
            root: x,
            iterations: 0,
            function_calls: calls,
            converged: false,
            flag: format!(
                "The function value at x={} is NaN; solver cannot continue.",
                py_repr(x)
            ),
            method,
        }),
    }
}

#[allow(clippy::type_complexity)]
fn brentq_core<E>(
    f: &mut dyn FnMut(f64) -> Result<f64, Bracketing<E>>,
    xa: f64,
    xb: f64,
    xtol: f64,
    rtol: f64,
    iter: usize,
) -> Result<Option<(f64, usize, usize, bool)>, Bracketing<E>> {
    let (mut xpre, mut xcur) = (xa, xb);
    let (mut xblk, mut fblk, mut spre, mut scur) = (0.0f64, 0.0f64, 0.0f64, 0.0f64);
    let mut fpre = f(xpre)?;
    let mut fcur = f(xcur)?;
    let mut funcalls = 2;
    if fpre == 0.0 {
        return Ok(Some((xpre, funcalls, 0, true)));
    }
    if fcur == 0.0 {
        return Ok(Some((xcur, funcalls, 0, true)));
    }
    if fpre.is_sign_negative() == fcur.is_sign_negative() {
        return Ok(None);
    }
    let mut iterations = 0;
    for _ in 0..iter {
        iterations += 1;
        if fpre != 0.0 && fcur != 0.0 && fpre.is_sign_negative() != fcur.is_sign_negative() {
            xblk = xpre;
            fblk = fpre;
            spre = xcur - xpre;
            scur = spre;
        }
        if fblk.abs() < fcur.abs() {
            xpre = xcur;
            xcur = xblk;
            xblk = xpre;
            fpre = fcur;
            fcur = fblk;
            fblk = fpre;
        }
        let delta = (xtol + rtol * xcur.abs()) / 2.0;
        let sbis = (xblk - xcur) / 2.0;
        if fcur == 0.0 || sbis.abs() < delta {
            return Ok(Some((xcur, funcalls, iterations, true)));
        }
        if spre.abs() > delta && fcur.abs() < fpre.abs() {
            let stry = if xpre == xblk {
                -fcur * (xcur - xpre) / (fcur - fpre)
            } else {
                let dpre = (fpre - fcur) / (xpre - xcur);
                let dblk = (fblk - fcur) / (xblk - xcur);
                -fcur * (fblk * dblk - fpre * dpre) / (dblk * dpre * (fblk - fpre))
            };
            if 2.0 * stry.abs() < spre.abs().min(3.0 * sbis.abs() - delta) {
                spre = scur;
                scur = stry;
            } else {
                spre = sbis;
                scur = sbis;
            }
        } else {
            spre = sbis;
            scur = sbis;
        }
        xpre = xcur;
        fpre = fcur;
        if scur.abs() > delta {
            xcur += scur;
        } else {
            xcur += if sbis > 0.0 { delta } else { -delta };
        }
        fcur = f(xcur)?;
        funcalls += 1;
    }
    Ok(Some((xcur, funcalls, iterations, false)))
}

#[allow(clippy::type_complexity)]
fn bisect_core<E>(
    f: &mut dyn FnMut(f64) -> Result<f64, Bracketing<E>>,
    mut xa: f64,
    xb: f64,
    xtol: f64,
    rtol: f64,
    iter: usize,
) -> Result<Option<(f64, usize, usize, bool)>, Bracketing<E>> {
    let fa = f(xa)?;
    let fb = f(xb)?;
    let mut funcalls = 2;
    if fa == 0.0 {
        return Ok(Some((xa, funcalls, 0, true)));
    }
    if fb == 0.0 {
        return Ok(Some((xb, funcalls, 0, true)));
    }
    if fa.is_sign_negative() == fb.is_sign_negative() {
        return Ok(None);
    }
    let mut dm = xb - xa;
    let mut iterations = 0;
    for _ in 0..iter {
        iterations += 1;
        dm *= 0.5;
        let xm = xa + dm;
        let fm = f(xm)?;
        funcalls += 1;
        if fm.is_sign_negative() == fa.is_sign_negative() {
            xa = xm;
        }
        if fm == 0.0 || dm.abs() < xtol + rtol * xm.abs() {
            return Ok(Some((xm, funcalls, iterations, true)));
        }
    }
    Ok(Some((xa, funcalls, iterations, false)))
}

/// scipy.optimize.brentq(f, a, b, xtol=2e-12, rtol=4·eps, maxiter=100), as
/// `root_scalar` calls it (`full_output=True, disp=False`): not converging
/// is `converged: false`, not an error.
pub fn brentq<E>(
    f: impl FnMut(f64) -> Result<f64, E>,
    a: f64,
    b: f64,
    xtol: f64,
    rtol: f64,
    maxiter: usize,
) -> Result<RootResults, OptimizeError<E>> {
    run_bracketing(f, a, b, xtol, rtol, maxiter, brentq_core, "brentq")
}

/// scipy.optimize.bisect, as `root_scalar` calls it.
pub fn bisect<E>(
    f: impl FnMut(f64) -> Result<f64, E>,
    a: f64,
    b: f64,
    xtol: f64,
    rtol: f64,
    maxiter: usize,
) -> Result<RootResults, OptimizeError<E>> {
    run_bracketing(f, a, b, xtol, rtol, maxiter, bisect_core, "bisect")
}

fn isclose(a: f64, b: f64, rtol: f64, atol: f64) -> bool {
    // np.isclose(a, b): |a − b| <= atol + rtol·|b|, inf == inf.
    if a == b {
        return true;
    }
    (a - b).abs() <= atol + rtol * b.abs()
}

fn check_newton<E>(tol: f64, maxiter: usize) -> Result<(), OptimizeError<E>> {
    if tol <= 0.0 {
        return Err(OptimizeError::Value(format!(
            "tol too small ({} <= 0)",
            py_g(tol)
        )));
    }
    if maxiter < 1 {
        return Err(OptimizeError::Value(
            "maxiter must be greater than 0".into(),
        ));
    }
    Ok(())
}

/// scipy.optimize.newton with `fprime` (Newton–Raphson), as `root_scalar`
/// calls it (`tol=1.48e-8, maxiter=50, rtol=0`); a zero derivative ends with
/// `converged: false`.
pub fn newton<E>(
    mut f: impl FnMut(f64) -> Result<f64, E>,
    mut fprime: impl FnMut(f64) -> Result<f64, E>,
    x0: f64,
    tol: f64,
    maxiter: usize,
    rtol: f64,
) -> Result<RootResults, OptimizeError<E>> {
    check_newton(tol, maxiter)?;
    let mut p0 = x0;
    let mut funcalls = 0;
    let mut p = p0;
    for itr in 0..maxiter {
        let fval = f(p0).map_err(obj)?;
        funcalls += 1;
        if fval == 0.0 {
            return Ok(results(p0, funcalls, itr, true, "newton"));
        }
        let fder = fprime(p0).map_err(obj)?;
        funcalls += 1;
        if fder == 0.0 {
            return Ok(results(p0, funcalls, itr + 1, false, "newton"));
        }
        p = p0 - fval / fder;
        if isclose(p, p0, rtol, tol) {
            return Ok(results(p, funcalls, itr + 1, true, "newton"));
        }
        p0 = p;
    }
    Ok(results(p, funcalls, maxiter, false, "newton"))
}

/// scipy.optimize.newton without `fprime` (the secant method), as
/// `root_scalar(method='secant')` calls it.
pub fn secant<E>(
    mut f: impl FnMut(f64) -> Result<f64, E>,
    x0: f64,
    x1: Option<f64>,
    tol: f64,
    maxiter: usize,
    rtol: f64,
) -> Result<RootResults, OptimizeError<E>> {
    check_newton(tol, maxiter)?;
    let mut p0 = x0;
    let mut p1 = match x1 {
        Some(x1) => {
            if x1 == x0 {
                return Err(OptimizeError::Value("x1 and x0 must be different".into()));
            }
            x1
        }
        None => {
            let eps = 1e-4;
            let p1 = x0 * (1.0 + eps);
            p1 + if p1 >= 0.0 { eps } else { -eps }
        }
    };
    let mut funcalls = 0;
    let mut q0 = f(p0).map_err(obj)?;
    funcalls += 1;
    let mut q1 = f(p1).map_err(obj)?;
    funcalls += 1;
    if q1.abs() < q0.abs() {
        std::mem::swap(&mut p0, &mut p1);
        std::mem::swap(&mut q0, &mut q1);
    }
    let mut p = p1;
    for itr in 0..maxiter {
        if q1 == q0 {
            return Ok(results((p1 + p0) / 2.0, funcalls, itr + 1, false, "secant"));
        }
        p = if q1.abs() > q0.abs() {
            (-q0 / q1 * p1 + p0) / (1.0 - q0 / q1)
        } else {
            (-q1 / q0 * p0 + p1) / (1.0 - q1 / q0)
        };
        if isclose(p, p1, rtol, tol) {
            return Ok(results(p, funcalls, itr + 1, true, "secant"));
        }
        p0 = p1;
        q0 = q1;
        p1 = p;
        q1 = f(p1).map_err(obj)?;
        funcalls += 1;
    }
    Ok(results(p, funcalls, maxiter, false, "secant"))
}

/// The solver of [`root_scalar`] with what it starts from.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum RootMethod {
    Brentq {
        bracket: (f64, f64),
    },
    Bisect {
        bracket: (f64, f64),
    },
    /// Uses `fprime`, or forward differences (`approx_derivative`,
    /// '2-point') when none is given.
    Newton {
        x0: f64,
    },
    Secant {
        x0: f64,
        x1: Option<f64>,
    },
}

/// root_scalar's `xtol`, `rtol`, `maxiter`; `None` keeps the solver's default.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct RootOptions {
    pub xtol: Option<f64>,
    pub rtol: Option<f64>,
    pub maxiter: Option<usize>,
}

/// scipy.optimize.root_scalar.
pub fn root_scalar<E>(
    f: impl FnMut(f64) -> Result<f64, E>,
    fprime: Option<&mut dyn FnMut(f64) -> Result<f64, E>>,
    method: RootMethod,
    options: RootOptions,
) -> Result<RootResults, OptimizeError<E>> {
    match method {
        RootMethod::Brentq { bracket: (a, b) } => brentq(
            f,
            a,
            b,
            options.xtol.unwrap_or(BRENTQ_XTOL),
            options.rtol.unwrap_or(BRENTQ_RTOL),
            options.maxiter.unwrap_or(BRENTQ_MAXITER),
        ),
        RootMethod::Bisect { bracket: (a, b) } => bisect(
            f,
            a,
            b,
            options.xtol.unwrap_or(BRENTQ_XTOL),
            options.rtol.unwrap_or(BRENTQ_RTOL),
            options.maxiter.unwrap_or(BRENTQ_MAXITER),
        ),
        RootMethod::Newton { x0 } => {
            let tol = options.xtol.unwrap_or(1.48e-8);
            let maxiter = options.maxiter.unwrap_or(50);
            let rtol = options.rtol.unwrap_or(0.0);
            match fprime {
                Some(fp) => newton(f, fp, x0, tol, maxiter, rtol),
                None => {
                    // Two closures over one f: share it through a RefCell.
                    let f = std::cell::RefCell::new(f);
                    let fd = |x: f64| -> Result<f64, E> {
                        let h = f64::EPSILON.sqrt()
                            * if x >= 0.0 { 1.0 } else { -1.0 }
                            * x.abs().max(1.0);
                        let f0 = (f.borrow_mut())(x)?;
                        let f1 = (f.borrow_mut())(x + h)?;
                        Ok((f1 - f0) / ((x + h) - x))
                    };
                    newton(|x| (f.borrow_mut())(x), fd, x0, tol, maxiter, rtol)
                }
            }
        }
        RootMethod::Secant { x0, x1 } => secant(
            f,
            x0,
            x1,
            options.xtol.unwrap_or(1.48e-8),
            options.maxiter.unwrap_or(50),
            options.rtol.unwrap_or(0.0),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn python_float_formatting() {
        assert_eq!(py_repr(1.48e-8), "1.48e-08");
        assert_eq!(py_repr(1.4901161193847656e-08), "1.4901161193847656e-08");
        assert_eq!(py_repr(0.001), "0.001");
        assert_eq!(py_repr(2.5), "2.5");
        assert_eq!(py_repr(100.0), "100.0");
        assert_eq!(py_repr(1e16), "1e+16");
        assert_eq!(py_g(4.0 * f64::EPSILON), "8.88178e-16");
        assert_eq!(py_g(-1.0), "-1");
        assert_eq!(py_g(0.5), "0.5");
        assert_eq!(py_g(123456789.0), "1.23457e+08");
    }
}
