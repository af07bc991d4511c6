//! Line searches: MINPACK-2's `dcsrch`/`dcstep` (Moré & Thuente), used by
//! L-BFGS-B and by `line_search_wolfe1`, and `line_search_wolfe2`'s
//! bracketing and zoom (Nocedal & Wright, algorithms 3.5 and 3.6), as in
//! `scipy/optimize/_dcsrch.py` and `_linesearch.py`.

// Index loops mirror the reference code line by line.
#![allow(clippy::needless_range_loop)]

use super::dot;
use super::fd::ScalarFunction;
use crate::Objective;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Task {
    Start,
    /// Evaluate f and g at the returned step.
    Fg,
    Convergence,
    Warning,
    Error,
}

/// The state of one `dcsrch` search.
#[derive(Debug, Clone)]
pub(crate) struct Dcsrch {
    ftol: f64,
    gtol: f64,
    xtol: f64,
    stpmin: f64,
    stpmax: f64,
    brackt: bool,
    stage: u8,
    ginit: f64,
    gtest: f64,
    gx: f64,
    gy: f64,
    finit: f64,
    fx: f64,
    fy: f64,
    stx: f64,
    sty: f64,
    stmin: f64,
    stmax: f64,
    width: f64,
    width1: f64,
}

impl Dcsrch {
    pub fn new(ftol: f64, gtol: f64, xtol: f64, stpmin: f64, stpmax: f64) -> Dcsrch {
        Dcsrch {
            ftol,
            gtol,
            xtol,
            stpmin,
            stpmax,
            brackt: false,
            stage: 1,
            ginit: 0.0,
            gtest: 0.0,
            gx: 0.0,
            gy: 0.0,
            finit: 0.0,
            fx: 0.0,
            fy: 0.0,
            stx: 0.0,
            sty: 0.0,
            stmin: 0.0,
            stmax: 0.0,
            width: 0.0,
            width1: 0.0,
        }
    }

    /// One call of `dcsrch`: `f`, `g` are φ and φ' at `stp`; returns the next
    /// step and the task.
    pub fn iterate(&mut self, mut stp: f64, f: f64, g: f64, task: Task) -> (f64, Task) {
        const P5: f64 = 0.5;
        const P66: f64 = 0.66;
        const XTRAPL: f64 = 1.1;
        const XTRAPU: f64 = 4.0;
        if task == Task::Start {
            if stp < self.stpmin
                || stp > self.stpmax
                || g >= 0.0
                || self.ftol < 0.0
                || self.gtol < 0.0
                || self.xtol < 0.0
                || self.stpmin < 0.0
                || self.stpmax < self.stpmin
            {
                return (stp, Task::Error);
            }
            self.brackt = false;
            self.stage = 1;
            self.finit = f;
            self.ginit = g;
            self.gtest = self.ftol * self.ginit;
            self.width = self.stpmax - self.stpmin;
            self.width1 = self.width / P5;
            self.stx = 0.0;
            self.fx = self.finit;
            self.gx = self.ginit;
            self.sty = 0.0;
            self.fy = self.finit;
            self.gy = self.ginit;
            self.stmin = 0.0;
            self.stmax = stp + XTRAPU * stp;
            return (stp, Task::Fg);
        }
        let ftest = self.finit + stp * self.gtest;
        if self.stage == 1 && f <= ftest && g >= 0.0 {
            self.stage = 2;
        }
        let mut out = None;
        if self.brackt && (stp <= self.stmin || stp >= self.stmax) {
            out = Some(Task::Warning); // ROUNDING ERRORS PREVENT PROGRESS
        }
        if self.brackt && self.stmax - self.stmin <= self.xtol * self.stmax {
            out = Some(Task::Warning); // XTOL TEST SATISFIED
        }
        if stp == self.stpmax && f <= ftest && g <= self.gtest {
            out = Some(Task::Warning); // STP = STPMAX
        }
        if stp == self.stpmin && (f > ftest || g >= self.gtest) {
            out = Some(Task::Warning); // STP = STPMIN
        }
        if f <= ftest && g.abs() <= self.gtol * -self.ginit {
            out = Some(Task::Convergence);
        }
        if let Some(t) = out {
            return (stp, t);
        }
        if self.stage == 1 && f <= self.fx && f > ftest {
            let fm = f - stp * self.gtest;
            let mut fxm = self.fx - self.stx * self.gtest;
            let mut fym = self.fy - self.sty * self.gtest;
            let gm = g - self.gtest;
            let mut gxm = self.gx - self.gtest;
            let mut gym = self.gy - self.gtest;
            dcstep(
                &mut self.stx,
                &mut fxm,
                &mut gxm,
                &mut self.sty,
                &mut fym,
                &mut gym,
                &mut stp,
                fm,
                gm,
                &mut self.brackt,
                self.stmin,
                self.stmax,
            );
            self.fx = fxm + self.stx * self.gtest;
            self.fy = fym + self.sty * self.gtest;
            self.gx = gxm + self.gtest;
            self.gy = gym + self.gtest;
        } else {
            dcstep(
                &mut self.stx,
                &mut self.fx,
                &mut self.gx,
                &mut self.sty,
                &mut self.fy,
                &mut self.gy,
                &mut stp,
                f,
                g,
                &mut self.brackt,
                self.stmin,
                self.stmax,
            );
        }
        if self.brackt {
            if (self.sty - self.stx).abs() >= P66 * self.width1 {
                stp = self.stx + P5 * (self.sty - self.stx);
            }
            self.width1 = self.width;
            self.width = (self.sty - self.stx).abs();
        }
        if self.brackt {
            self.stmin = self.stx.min(self.sty);
            self.stmax = self.stx.max(self.sty);
        } else {
            self.stmin = stp + XTRAPL * (stp - self.stx);
            self.stmax = stp + XTRAPU * (stp - self.stx);
        }
        stp = stp.max(self.stpmin).min(self.stpmax);
        if self.brackt
            && (stp <= self.stmin
                || stp >= self.stmax
                || self.stmax - self.stmin <= self.xtol * self.stmax)
        {
            stp = self.stx;
        }
        (stp, Task::Fg)
    }
}

fn signum(x: f64) -> f64 {
    // np.sign: 0 for 0, NaN for NaN.
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

#[allow(clippy::too_many_arguments)]
fn dcstep(
    stx: &mut f64,
    fx: &mut f64,
    dx: &mut f64,
    sty: &mut f64,
    fy: &mut f64,
    dy: &mut f64,
    stp: &mut f64,
    fp: f64,
    dp: f64,
    brackt: &mut bool,
    stpmin: f64,
    stpmax: f64,
) {
    let sgnd = signum(dp) * signum(*dx);
    let stpf;
    if fp > *fx {
        let theta = 3.0 * (*fx - fp) / (*stp - *stx) + *dx + dp;
        let s = theta.abs().max(dx.abs()).max(dp.abs());
        let mut gamma = s * ((theta / s).powi(2) - (*dx / s) * (dp / s)).sqrt();
        if *stp < *stx {
            gamma = -gamma;
        }
        let p = (gamma - *dx) + theta;
        let q = ((gamma - *dx) + gamma) + dp;
        let r = p / q;
        let stpc = *stx + r * (*stp - *stx);
        let stpq = *stx + ((*dx / ((*fx - fp) / (*stp - *stx) + *dx)) / 2.0) * (*stp - *stx);
        stpf = if (stpc - *stx).abs() <= (stpq - *stx).abs() {
            stpc
        } else {
            stpc + (stpq - stpc) / 2.0
        };
        *brackt = true;
    } else if sgnd < 0.0 {
        let theta = 3.0 * (*fx - fp) / (*stp - *stx) + *dx + dp;
        let s = theta.abs().max(dx.abs()).max(dp.abs());
        let mut gamma = s * ((theta / s).powi(2) - (*dx / s) * (dp / s)).sqrt();
        if *stp > *stx {
            gamma = -gamma;
        }
        let p = (gamma - dp) + theta;
        let q = ((gamma - dp) + gamma) + *dx;
        let r = p / q;
        let stpc = *stp + r * (*stx - *stp);
        let stpq = *stp + (dp / (dp - *dx)) * (*stx - *stp);
        stpf = if (stpc - *stp).abs() > (stpq - *stp).abs() {
            stpc
        } else {
            stpq
        };
        *brackt = true;
    } else if dp.abs() < dx.abs() {
        let theta = 3.0 * (*fx - fp) / (*stp - *stx) + *dx + dp;
        let s = theta.abs().max(dx.abs()).max(dp.abs());
        let mut gamma = s
            * (0f64)
                .max((theta / s).powi(2) - (*dx / s) * (dp / s))
                .sqrt();
        if *stp > *stx {
            gamma = -gamma;
        }
        let p = (gamma - dp) + theta;
        let q = (gamma + (*dx - dp)) + gamma;
        let r = p / q;
        let stpc = if r < 0.0 && gamma != 0.0 {
            *stp + r * (*stx - *stp)
        } else if *stp > *stx {
            stpmax
        } else {
            stpmin
        };
        let stpq = *stp + (dp / (dp - *dx)) * (*stx - *stp);
        if *brackt {
            let mut f = if (stpc - *stp).abs() < (stpq - *stp).abs() {
                stpc
            } else {
                stpq
            };
            if *stp > *stx {
                f = f.min(*stp + 0.66 * (*sty - *stp));
            } else {
                f = f.max(*stp + 0.66 * (*sty - *stp));
            }
            stpf = f;
        } else {
            let f = if (stpc - *stp).abs() > (stpq - *stp).abs() {
                stpc
            } else {
                stpq
            };
            stpf = f.max(stpmin).min(stpmax);
        }
    } else if *brackt {
        let theta = 3.0 * (fp - *fy) / (*sty - *stp) + *dy + dp;
        let s = theta.abs().max(dy.abs()).max(dp.abs());
        let mut gamma = s * ((theta / s).powi(2) - (*dy / s) * (dp / s)).sqrt();
        if *stp > *sty {
            gamma = -gamma;
        }
        let p = (gamma - dp) + theta;
        let q = ((gamma - dp) + gamma) + *dy;
        let r = p / q;
        stpf = *stp + r * (*sty - *stp);
    } else if *stp > *stx {
        stpf = stpmax;
    } else {
        stpf = stpmin;
    }
    if fp > *fx {
        *sty = *stp;
        *fy = fp;
        *dy = dp;
    } else {
        if sgnd < 0.0 {
            *sty = *stx;
            *fy = *fx;
            *dy = *dx;
        }
        *stx = *stp;
        *fx = fp;
        *dx = dp;
    }
    *stp = stpf;
}

/// What a successful Wolfe line search hands back.
pub(crate) struct Found {
    pub alpha: f64,
    /// f at the new point.
    pub fval: f64,
    /// f at the old point (becomes `old_old_fval`).
    pub old_fval: f64,
    /// ∇f at the new point when the search computed it.
    pub g: Option<Vec<f64>>,
}

/// An extra acceptance test `(alpha, x, f, g) -> bool` (CG's descent
/// condition).
pub(crate) type Extra<'a> = &'a mut dyn FnMut(f64, &[f64], f64, &[f64]) -> bool;

struct Line<'s, 'a, 'j, O: Objective> {
    sf: &'s mut ScalarFunction<'a, 'j, O>,
    xk: &'s [f64],
    pk: &'s [f64],
    x: Vec<f64>,
    /// Gradient at the last derphi call, and its step.
    gval: Vec<f64>,
    gval_alpha: Option<f64>,
}

impl<O: Objective> Line<'_, '_, '_, O> {
    fn point(&mut self, s: f64) {
        for ((x, &a), &p) in self.x.iter_mut().zip(self.xk).zip(self.pk) {
            *x = a + s * p;
        }
    }

    fn phi(&mut self, s: f64) -> Result<f64, O::Error> {
        self.point(s);
        self.sf.fun(&self.x)
    }

    fn derphi(&mut self, s: f64) -> Result<f64, O::Error> {
        self.point(s);
        let g = self.sf.grad(&self.x)?;
        self.gval.copy_from_slice(g);
        self.gval_alpha = Some(s);
        Ok(dot(&self.gval, self.pk))
    }
}

fn initial_alpha(phi0: f64, old_phi0: f64, derphi0: f64) -> f64 {
    if derphi0 != 0.0 {
        let a = (1.01 * 2.0 * (phi0 - old_phi0) / derphi0).min(1.0);
        if a < 0.0 {
            1.0
        } else {
            a
        }
    } else {
        1.0
    }
}

/// scipy's `_line_search_wolfe12`: `line_search_wolfe1` (dcsrch), then
/// `line_search_wolfe2` when it fails; `None` when both fail.
#[allow(clippy::too_many_arguments)]
pub(crate) fn wolfe12<O: Objective>(
    sf: &mut ScalarFunction<'_, '_, O>,
    xk: &[f64],
    pk: &[f64],
    gfk: &[f64],
    old_fval: f64,
    old_old_fval: f64,
    c1: f64,
    c2: f64,
    amin: f64,
    amax: f64,
    mut extra: Option<Extra<'_>>,
) -> Result<Option<Found>, O::Error> {
    let n = xk.len();
    let mut line = Line {
        sf,
        xk,
        pk,
        x: vec![0.0; n],
        gval: gfk.to_vec(),
        gval_alpha: None,
    };
    let derphi0 = dot(gfk, pk);
    // line_search_wolfe1
    let phi0 = old_fval;
    let alpha1 = initial_alpha(phi0, old_old_fval, derphi0);
    let mut search = Dcsrch::new(c1, c2, 1e-14, amin, amax);
    let (mut stp, mut phi1, mut derphi1) = (alpha1, phi0, derphi0);
    let mut task = Task::Start;
    let mut found = None;
    for _ in 0..100 {
        let (s, t) = search.iterate(stp, phi1, derphi1, task);
        task = t;
        if !s.is_finite() {
            break;
        }
        stp = s;
        if task == Task::Fg {
            phi1 = line.phi(stp)?;
            derphi1 = line.derphi(stp)?;
        } else {
            if task == Task::Convergence {
                found = Some(stp);
            }
            break;
        }
    }
    if let Some(alpha) = found {
        let mut ok = true;
        if let Some(extra) = extra.as_mut() {
            line.point(alpha);
            ok = extra(alpha, &line.x, phi1, &line.gval);
        }
        if ok {
            return Ok(Some(Found {
                alpha,
                fval: phi1,
                old_fval: phi0,
                g: Some(line.gval),
            }));
        }
    }
    line.gval_alpha = None;
    wolfe2(
        &mut line,
        phi0,
        old_old_fval,
        derphi0,
        c1,
        c2,
        Some(amax),
        extra,
    )
}

/// `scalar_search_wolfe2` with `line_search_wolfe2`'s bookkeeping.
#[allow(clippy::too_many_arguments)]
fn wolfe2<O: Objective>(
    line: &mut Line<'_, '_, '_, O>,
    phi0: f64,
    old_phi0: f64,
    derphi0: f64,
    c1: f64,
    c2: f64,
    amax: Option<f64>,
    mut extra: Option<Extra<'_>>,
) -> Result<Option<Found>, O::Error> {
    let mut extra2 =
        |line: &mut Line<'_, '_, '_, O>, alpha: f64, phi: f64| -> Result<bool, O::Error> {
            match extra.as_mut() {
                None => Ok(true),
                Some(e) => {
                    if line.gval_alpha != Some(alpha) {
                        line.derphi(alpha)?;
                    }
                    line.point(alpha);
                    Ok(e(alpha, &line.x, phi, &line.gval))
                }
            }
        };
    let mut alpha0 = 0.0;
    let mut alpha1 = initial_alpha(phi0, old_phi0, derphi0);
    if let Some(amax) = amax {
        alpha1 = alpha1.min(amax);
    }
    let mut phi_a1 = line.phi(alpha1)?;
    let mut phi_a0 = phi0;
    let mut derphi_a0 = derphi0;
    let maxiter = 10;
    let mut result: Option<(f64, f64, bool)> = None; // (alpha, phi, has derphi)
    let mut i = 0;
    loop {
        if i >= maxiter {
            result = Some((alpha1, phi_a1, false));
            break;
        }
        if alpha1 == 0.0 || amax.is_some_and(|m| alpha0 > m) {
            break;
        }
        if phi_a1 > phi0 + c1 * alpha1 * derphi0 || (phi_a1 >= phi_a0 && i > 0) {
            result = zoom(
                line,
                alpha0,
                alpha1,
                phi_a0,
                phi_a1,
                derphi_a0,
                phi0,
                derphi0,
                c1,
                c2,
                &mut extra2,
            )?
            .map(|(a, p)| (a, p, true));
            break;
        }
        let derphi_a1 = line.derphi(alpha1)?;
        if derphi_a1.abs() <= -c2 * derphi0 && extra2(line, alpha1, phi_a1)? {
            result = Some((alpha1, phi_a1, true));
            break;
        }
        if derphi_a1 >= 0.0 {
            result = zoom(
                line,
                alpha1,
                alpha0,
                phi_a1,
                phi_a0,
                derphi_a1,
                phi0,
                derphi0,
                c1,
                c2,
                &mut extra2,
            )?
            .map(|(a, p)| (a, p, true));
            break;
        }
        let mut alpha2 = 2.0 * alpha1;
        if let Some(amax) = amax {
            alpha2 = alpha2.min(amax);
        }
        alpha0 = alpha1;
        alpha1 = alpha2;
        phi_a0 = phi_a1;
        phi_a1 = line.phi(alpha1)?;
        derphi_a0 = derphi_a1;
        i += 1;
    }
    Ok(result.map(|(alpha, fval, has_g)| Found {
        alpha,
        fval,
        old_fval: phi0,
        g: has_g.then(|| line.gval.clone()),
    }))
}

fn cubicmin(a: f64, fa: f64, fpa: f64, b: f64, fb: f64, c: f64, fc: f64) -> Option<f64> {
    let cc = fpa;
    let db = b - a;
    let dc = c - a;
    let denom = (db * dc).powi(2) * (db - dc);
    let v0 = fb - fa - cc * db;
    let v1 = fc - fa - cc * dc;
    let aa = (dc * dc * v0 - db * db * v1) / denom;
    let bb = (-(dc * dc * dc) * v0 + db * db * db * v1) / denom;
    let radical = bb * bb - 3.0 * aa * cc;
    // numpy raises on division by zero, overflow and invalid operations.
    if denom == 0.0 || aa == 0.0 || radical < 0.0 {
        return None;
    }
    let xmin = a + (-bb + radical.sqrt()) / (3.0 * aa);
    xmin.is_finite().then_some(xmin)
}

fn quadmin(a: f64, fa: f64, fpa: f64, b: f64, fb: f64) -> Option<f64> {
    let db = b - a;
    if db == 0.0 {
        return None;
    }
    let bb = (fb - fa - fpa * db) / (db * db);
    if bb == 0.0 {
        return None;
    }
    let xmin = a - fpa / (2.0 * bb);
    xmin.is_finite().then_some(xmin)
}

/// `extra_condition2`: the extra test, fetching ∇f at `alpha` when needed.
type ExtraOnLine<'e, O> =
    dyn FnMut(&mut Line<'_, '_, '_, O>, f64, f64) -> Result<bool, <O as Objective>::Error> + 'e;

#[allow(clippy::too_many_arguments)]
fn zoom<O: Objective>(
    line: &mut Line<'_, '_, '_, O>,
    mut a_lo: f64,
    mut a_hi: f64,
    mut phi_lo: f64,
    mut phi_hi: f64,
    mut derphi_lo: f64,
    phi0: f64,
    derphi0: f64,
    c1: f64,
    c2: f64,
    extra: &mut ExtraOnLine<'_, O>,
) -> Result<Option<(f64, f64)>, O::Error> {
    let maxiter = 10;
    let delta1 = 0.2;
    let delta2 = 0.1;
    let mut phi_rec = phi0;
    let mut a_rec = 0.0;
    let mut i = 0;
    loop {
        let dalpha = a_hi - a_lo;
        let (a, b) = if dalpha < 0.0 {
            (a_hi, a_lo)
        } else {
            (a_lo, a_hi)
        };
        let mut a_j = None;
        let mut cchk = 0.0;
        if i > 0 {
            cchk = delta1 * dalpha;
            a_j = cubicmin(a_lo, phi_lo, derphi_lo, a_hi, phi_hi, a_rec, phi_rec);
        }
        let a_j = match a_j {
            Some(v) if i > 0 && !(v > b - cchk || v < a + cchk) => v,
            _ => {
                let qchk = delta2 * dalpha;
                match quadmin(a_lo, phi_lo, derphi_lo, a_hi, phi_hi) {
                    Some(v) if !(v > b - qchk || v < a + qchk) => v,
                    _ => a_lo + 0.5 * dalpha,
                }
            }
        };
        let phi_aj = line.phi(a_j)?;
        if phi_aj > phi0 + c1 * a_j * derphi0 || phi_aj >= phi_lo {
            phi_rec = phi_hi;
            a_rec = a_hi;
            a_hi = a_j;
            phi_hi = phi_aj;
        } else {
            let derphi_aj = line.derphi(a_j)?;
            if derphi_aj.abs() <= -c2 * derphi0 && extra(line, a_j, phi_aj)? {
                return Ok(Some((a_j, phi_aj)));
            }
            if derphi_aj * (a_hi - a_lo) >= 0.0 {
                phi_rec = phi_hi;
                a_rec = a_hi;
                a_hi = a_lo;
                phi_hi = phi_lo;
            } else {
                phi_rec = phi_lo;
                a_rec = a_lo;
            }
            a_lo = a_j;
            phi_lo = phi_aj;
            derphi_lo = derphi_aj;
        }
        i += 1;
        if i > maxiter {
            return Ok(None);
        }
    }
}
