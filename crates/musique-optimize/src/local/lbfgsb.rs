//! L-BFGS-B (Byrd, Lu, Nocedal & Zhu 1995; Morales & Nocedal 2011), a port
//! of SciPy's `scipy/optimize/src/lbfgsb.c` (v3.0) driven as
//! `_minimize_lbfgsb` drives it.
//!
//! Each iteration: the generalized Cauchy point along the projected steepest
//! descent path (`cauchy`), a direct primal subspace minimization over the
//! free variables (`subsm`, with its projection and backtracking), and a
//! Moré–Thuente line search (`dcsrch`, ftol 1e-3, gtol 0.9, xtol 0.1) kept
//! inside the box (`lnsrlb`). The limited-memory matrix is kept in compact
//! form `B = θI − W M Wᵀ`.
//!
//! One difference of form: `formk`'s LELᵀ factorization of the subspace
//! matrix K is replaced by assembling K and solving with a pivoted LU (K is
//! at most 2m × 2m); the solution is the same up to rounding.

// Index loops mirror the reference code line by line.
#![allow(clippy::needless_range_loop)]

use super::fd::ScalarFunction;
use super::linesearch::{Dcsrch, Task};
use super::{
    dot, value_error, Bounds, HessInv, Hook, Jac, LbfgsbOptions, Minimized, OptimizeError,
};
use crate::{Objective, OptimizeResult};

const EPSMCH: f64 = f64::EPSILON;

/// Why the run stopped, as SciPy's `task` pair.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum End {
    ConvGrad,
    ConvF,
    Abnormal,
    MaxFun,
    MaxIter,
    Callback,
}

impl End {
    fn message(self) -> &'static str {
        match self {
            End::ConvGrad => "CONVERGENCE: NORM OF PROJECTED GRADIENT <= PGTOL",
            End::ConvF => "CONVERGENCE: RELATIVE REDUCTION OF F <= FACTR*EPSMCH",
            End::Abnormal => "ABNORMAL: ",
            End::MaxFun => "STOP: TOTAL NO. OF F,G EVALUATIONS EXCEEDS LIMIT",
            End::MaxIter => "STOP: TOTAL NO. OF ITERATIONS REACHED LIMIT",
            End::Callback => "STOP: CALLBACK REQUESTED HALT",
        }
    }
}

/// The limited-memory matrix: corrections in ring slots as the C code keeps
/// them (`head` is the oldest), with `SᵀY` (lower part) and `SᵀS`.
struct Memory {
    m: usize,
    ws: Vec<Vec<f64>>,
    wy: Vec<Vec<f64>>,
    /// `sy[i][j] = s_iᵀ y_j`, i, j counted from the oldest.
    sy: Vec<Vec<f64>>,
    /// `ss[i][j] = s_iᵀ s_j` (symmetric).
    ss: Vec<Vec<f64>>,
    /// Upper Cholesky factor of `T = θSᵀS + L D⁻¹ Lᵀ` (`formt`).
    wt: Vec<Vec<f64>>,
    theta: f64,
    col: usize,
    head: usize,
    itail: usize,
    iupdat: usize,
    updatd: bool,
}

impl Memory {
    /// Empty: the slots grow with the corrections actually stored (see
    /// [`Memory::grow`]), so a `maxcor` far above the iterations run costs
    /// nothing (the C code allocates all m up front).
    fn new(m: usize) -> Memory {
        Memory {
            m,
            ws: Vec::new(),
            wy: Vec::new(),
            sy: Vec::new(),
            ss: Vec::new(),
            wt: Vec::new(),
            theta: 1.0,
            col: 0,
            head: 0,
            itail: 0,
            iupdat: 0,
            updatd: false,
        }
    }

    fn reset(&mut self) {
        self.col = 0;
        self.head = 0;
        self.theta = 1.0;
        self.iupdat = 0;
        self.updatd = false;
    }

    /// The slot of the j-th correction, oldest first.
    fn slot(&self, j: usize) -> usize {
        (self.head + j) % self.m
    }

    /// Room for `col` corrections: while the memory fills, `head` is 0 and
    /// the slots in use are `0..col`.
    fn grow(&mut self, col: usize, n: usize) {
        while self.ws.len() < col {
            self.ws.push(vec![0.0; n]);
            self.wy.push(vec![0.0; n]);
        }
        for a in [&mut self.sy, &mut self.ss, &mut self.wt] {
            for row in a.iter_mut() {
                if row.len() < col {
                    row.resize(col, 0.0);
                }
            }
            while a.len() < col {
                a.push(vec![0.0; col]);
            }
        }
    }

    /// `matupd`: stores the step `d` (already scaled by stp) and `r = Δg`.
    fn update(&mut self, d: &[f64], r: &[f64], rr: f64, dr: f64, stp: f64, dtd: f64) {
        let m = self.m;
        if self.iupdat <= m {
            self.col = self.iupdat;
            self.itail = (self.head + self.iupdat - 1) % m;
            self.grow(self.col, d.len());
        } else {
            self.itail = (self.itail + 1) % m;
            self.head = (self.head + 1) % m;
        }
        self.ws[self.itail].copy_from_slice(d);
        self.wy[self.itail].copy_from_slice(r);
        self.theta = rr / dr;
        let col = self.col;
        if self.iupdat > m {
            // Drop the oldest row and column.
            for j in 1..col {
                for i in 0..j {
                    self.ss[i][j - 1] = self.ss[i + 1][j];
                    self.ss[j - 1][i] = self.ss[i][j - 1];
                }
                for i in j..col {
                    self.sy[i - 1][j - 1] = self.sy[i][j];
                }
            }
        }
        for j in 0..col - 1 {
            let p = self.slot(j);
            self.sy[col - 1][j] = dot(d, &self.wy[p]);
            self.ss[j][col - 1] = dot(&self.ws[p], d);
            self.ss[col - 1][j] = self.ss[j][col - 1];
        }
        self.ss[col - 1][col - 1] = if stp == 1.0 { dtd } else { stp * stp * dtd };
        self.sy[col - 1][col - 1] = dr;
    }

    /// `formt`: false when T is not positive definite.
    fn formt(&mut self) -> bool {
        let col = self.col;
        let theta = self.theta;
        let mut t = vec![vec![0.0; col]; col];
        for j in 0..col {
            t[0][j] = theta * self.ss[0][j];
        }
        for i in 1..col {
            for j in i..col {
                let k1 = i.min(j);
                let mut ddum = 0.0;
                for k in 0..k1 {
                    ddum += self.sy[i][k] * self.sy[j][k] / self.sy[k][k];
                }
                t[i][j] = ddum + theta * self.ss[i][j];
            }
        }
        // dpotrf('U'): T = RᵀR.
        for j in 0..col {
            let mut s = t[j][j];
            for k in 0..j {
                s -= self.wt[k][j] * self.wt[k][j];
            }
            if s.is_nan() || s <= 0.0 {
                return false;
            }
            let d = s.sqrt();
            self.wt[j][j] = d;
            for i in j + 1..col {
                let mut s = t[j][i];
                for k in 0..j {
                    s -= self.wt[k][j] * self.wt[k][i];
                }
                self.wt[j][i] = s / d;
            }
        }
        true
    }

    /// Solves Rᵀ z = b in place.
    fn solve_rt(&self, b: &mut [f64]) -> bool {
        for i in 0..b.len() {
            let mut s = b[i];
            for k in 0..i {
                s -= self.wt[k][i] * b[k];
            }
            if self.wt[i][i] == 0.0 {
                return false;
            }
            b[i] = s / self.wt[i][i];
        }
        true
    }

    /// Solves R z = b in place.
    fn solve_r(&self, b: &mut [f64]) -> bool {
        for i in (0..b.len()).rev() {
            let mut s = b[i];
            for k in i + 1..b.len() {
                s -= self.wt[i][k] * b[k];
            }
            if self.wt[i][i] == 0.0 {
                return false;
            }
            b[i] = s / self.wt[i][i];
        }
        true
    }

    /// `bmv`: p = M v for the 2·col middle matrix.
    fn bmv(&self, v: &[f64], p: &mut [f64]) -> bool {
        let col = self.col;
        if col == 0 {
            return true;
        }
        let sy = &self.sy;
        p[col] = v[col];
        for i in 1..col {
            let mut ssum = 0.0;
            for k in 0..i {
                ssum += sy[i][k] * v[k] / sy[k][k];
            }
            p[col + i] = v[col + i] + ssum;
        }
        if !self.solve_rt(&mut p[col..2 * col]) {
            return false;
        }
        for i in 0..col {
            p[i] = v[i] / sy[i][i].sqrt();
        }
        if !self.solve_r(&mut p[col..2 * col]) {
            return false;
        }
        for i in 0..col {
            p[i] = -p[i] / sy[i][i].sqrt();
        }
        for i in 0..col {
            let mut ssum = 0.0;
            for k in i + 1..col {
                ssum += sy[k][i] * p[col + k] / sy[i][i];
            }
            p[i] += ssum;
        }
        true
    }
}

/// `hpsolb`: heap of t[0..=n] (built when `iheap == 0`); moves the least
/// element to t[n].
fn hpsolb(n: usize, t: &mut [f64], iorder: &mut [usize], iheap: usize) {
    if iheap == 0 {
        for k in 2..=n + 1 {
            let ddum = t[k - 1];
            let indxin = iorder[k - 1];
            let mut i = k;
            while i > 1 {
                let j = i / 2;
                if ddum < t[j - 1] {
                    t[i - 1] = t[j - 1];
                    iorder[i - 1] = iorder[j - 1];
                    i = j;
                } else {
                    break;
                }
            }
            t[i - 1] = ddum;
            iorder[i - 1] = indxin;
        }
    }
    if n > 0 {
        let mut i = 1;
        let out = t[0];
        let indxout = iorder[0];
        let ddum = t[n];
        let indxin = iorder[n];
        loop {
            let mut j = i + i;
            if j <= n {
                if t[j] < t[j - 1] {
                    j += 1;
                }
                if t[j - 1] < ddum {
                    t[i - 1] = t[j - 1];
                    iorder[i - 1] = iorder[j - 1];
                    i = j;
                } else {
                    break;
                }
            } else {
                break;
            }
        }
        t[i - 1] = ddum;
        iorder[i - 1] = indxin;
        t[n] = out;
        iorder[n] = indxout;
    }
}

struct Problem<'b> {
    n: usize,
    l: &'b [f64],
    u: &'b [f64],
    /// 0 unbounded, 1 lower only, 2 both, 3 upper only.
    nbd: &'b [u8],
}

/// `cauchy`: the generalized Cauchy point into `xcp`, and `c = Wᵀ(xcp − x)`.
/// False when `bmv` fails.
#[allow(clippy::too_many_arguments, clippy::while_immutable_condition)]
fn cauchy(
    pb: &Problem<'_>,
    x: &[f64],
    g: &[f64],
    iwhere: &mut [i32],
    mem: &Memory,
    sbgnrm: f64,
    xcp: &mut [f64],
    c: &mut [f64],
) -> bool {
    let n = pb.n;
    let (l, u, nbd) = (pb.l, pb.u, pb.nbd);
    let col = mem.col;
    let col2 = 2 * col;
    let theta = mem.theta;
    if sbgnrm <= 0.0 {
        xcp.copy_from_slice(x);
        return true;
    }
    let mut bnded = true;
    let mut nfree = n;
    let mut nbreak: isize = -1;
    let mut ibkmin = 0usize;
    let mut bkmin = 0.0;
    let mut p = vec![0.0; col2];
    let mut d = vec![0.0; n];
    let mut t = vec![0.0; n];
    let mut iorder = vec![0usize; n];
    let mut f1 = 0.0;
    let (mut tl, mut tu) = (0.0, 0.0);
    for i in 0..n {
        let neggi = -g[i];
        if iwhere[i] != 3 && iwhere[i] != -1 {
            if nbd[i] <= 2 {
                tl = x[i] - l[i];
            }
            if nbd[i] >= 2 {
                tu = u[i] - x[i];
            }
            let xlower = nbd[i] <= 2 && tl <= 0.0;
            let xupper = nbd[i] >= 2 && tu <= 0.0;
            iwhere[i] = 0;
            if xlower {
                if neggi <= 0.0 {
                    iwhere[i] = 1;
                }
            } else if xupper {
                if neggi >= 0.0 {
                    iwhere[i] = 2;
                }
            } else if neggi.abs() <= 0.0 {
                iwhere[i] = -3;
            }
        }
        if iwhere[i] != 0 && iwhere[i] != -1 {
            d[i] = 0.0;
        } else {
            d[i] = neggi;
            f1 -= neggi * neggi;
            for j in 0..col {
                let s = mem.slot(j);
                p[j] += mem.wy[s][i] * neggi;
                p[col + j] += mem.ws[s][i] * neggi;
            }
            if nbd[i] <= 2 && nbd[i] != 0 && neggi < 0.0 {
                nbreak += 1;
                let nb = nbreak as usize;
                iorder[nb] = i;
                t[nb] = tl / (-neggi);
                if nb == 0 || t[nb] < bkmin {
                    bkmin = t[nb];
                    ibkmin = nb;
                }
            } else if nbd[i] >= 2 && neggi > 0.0 {
                nbreak += 1;
                let nb = nbreak as usize;
                iorder[nb] = i;
                t[nb] = tu / neggi;
                if nb == 0 || t[nb] < bkmin {
                    bkmin = t[nb];
                    ibkmin = nb;
                }
            } else {
                nfree -= 1;
                iorder[nfree] = i;
                if neggi.abs() > 0.0 {
                    bnded = false;
                }
            }
        }
    }
    if theta != 1.0 {
        for v in &mut p[col..col2] {
            *v *= theta;
        }
    }
    xcp.copy_from_slice(x);
    c[..col2].iter_mut().for_each(|v| *v = 0.0);
    if nbreak == -1 && nfree == n {
        return true;
    }
    let mut v = vec![0.0; col2];
    let mut f2 = -theta * f1;
    let f2_org = f2;
    if col > 0 {
        if !mem.bmv(&p, &mut v) {
            return false;
        }
        f2 -= dot(&v, &p);
    }
    let mut dtm = -f1 / f2;
    let mut tsum = 0.0;
    let mut nleft = nbreak;
    let mut iter = 0usize;
    let mut tj = 0.0;
    let mut wbp = vec![0.0; col2];
    while nbreak > -1 {
        let tj0 = tj;
        let ibp;
        if iter == 0 {
            tj = bkmin;
            ibp = iorder[ibkmin];
        } else {
            if iter == 1 && ibkmin != nbreak as usize {
                t[ibkmin] = t[nbreak as usize];
                iorder[ibkmin] = iorder[nbreak as usize];
            }
            hpsolb(nleft as usize, &mut t, &mut iorder, iter - 1);
            tj = t[nleft as usize];
            ibp = iorder[nleft as usize];
        }
        let dt = tj - tj0;
        if dtm < dt {
            if dtm <= 0.0 {
                dtm = 0.0;
            }
            tsum += dtm;
            for i in 0..n {
                xcp[i] += tsum * d[i];
            }
            if col > 0 {
                for i in 0..col2 {
                    c[i] += dtm * p[i];
                }
            }
            return true;
        }
        tsum += dt;
        nleft -= 1;
        iter += 1;
        let dibp = d[ibp];
        d[ibp] = 0.0;
        let zibp;
        if dibp > 0.0 {
            zibp = u[ibp] - x[ibp];
            xcp[ibp] = u[ibp];
            iwhere[ibp] = 2;
        } else {
            zibp = l[ibp] - x[ibp];
            xcp[ibp] = l[ibp];
            iwhere[ibp] = 1;
        }
        if nleft == -1 && nbreak == n as isize {
            dtm = dt;
            if col > 0 {
                for i in 0..col2 {
                    c[i] += dtm * p[i];
                }
            }
            return true;
        }
        let dibp2 = dibp * dibp;
        f1 = f1 + dt * f2 + dibp2 - theta * dibp * zibp;
        f2 -= theta * dibp2;
        if col > 0 {
            for i in 0..col2 {
                c[i] += dt * p[i];
            }
            for j in 0..col {
                let s = mem.slot(j);
                wbp[j] = mem.wy[s][ibp];
                wbp[col + j] = theta * mem.ws[s][ibp];
            }
            if !mem.bmv(&wbp, &mut v) {
                return false;
            }
            let wmc = dot(&c[..col2], &v);
            let wmp = dot(&p, &v);
            let wmw = dot(&wbp, &v);
            for i in 0..col2 {
                p[i] -= dibp * wbp[i];
            }
            f1 += dibp * wmc;
            f2 = f2 + dibp * 2.0 * wmp - dibp2 * wmw;
        }
        f2 = (EPSMCH * f2_org).max(f2);
        if nleft >= 0 {
            dtm = -f1 / f2;
        } else if bnded {
            dtm = 0.0;
            break;
        } else {
            dtm = -f1 / f2;
            break;
        }
    }
    if dtm <= 0.0 {
        dtm = 0.0;
    }
    tsum += dtm;
    for i in 0..n {
        xcp[i] += tsum * d[i];
    }
    if col > 0 {
        for i in 0..col2 {
            c[i] += dtm * p[i];
        }
    }
    true
}

/// Solves the small dense system `a z = b` by LU with partial pivoting.
fn lu_solve(mut a: Vec<Vec<f64>>, b: &mut [f64]) -> bool {
    let k = b.len();
    for j in 0..k {
        let mut piv = j;
        for i in j + 1..k {
            if a[i][j].abs() > a[piv][j].abs() {
                piv = i;
            }
        }
        if a[piv][j] == 0.0 || !a[piv][j].is_finite() {
            return false;
        }
        a.swap(j, piv);
        b.swap(j, piv);
        for i in j + 1..k {
            let f = a[i][j] / a[j][j];
            if f != 0.0 {
                for c in j..k {
                    a[i][c] -= f * a[j][c];
                }
                b[i] -= f * b[j];
            }
        }
    }
    for j in (0..k).rev() {
        let mut s = b[j];
        for c in j + 1..k {
            s -= a[j][c] * b[c];
        }
        b[j] = s / a[j][j];
    }
    b.iter().all(|v| v.is_finite())
}

/// `subsm`'s K⁻¹·v: K = [−D − YᵀZZᵀY/θ, L_aᵀ − R_zᵀ; L_a − R_z, θSᵀAAᵀS],
/// Z the free and A the active variables (`formk`'s matrix).
fn solve_k(mem: &Memory, free: &[usize], active: &[usize], wv: &mut [f64]) -> bool {
    let col = mem.col;
    let theta = mem.theta;
    let over =
        |set: &[usize], a: &[f64], b: &[f64]| -> f64 { set.iter().map(|&k| a[k] * b[k]).sum() };
    let mut k = vec![vec![0.0; 2 * col]; 2 * col];
    for i in 0..col {
        let (si, yi) = (&mem.ws[mem.slot(i)], &mem.wy[mem.slot(i)]);
        for j in 0..col {
            let (sj, yj) = (&mem.ws[mem.slot(j)], &mem.wy[mem.slot(j)]);
            let mut tl = -over(free, yi, yj) / theta;
            if i == j {
                tl -= mem.sy[i][i];
            }
            k[i][j] = tl;
            // Bottom-left (i, j): L_a − R_z.
            let bl = if i > j {
                over(active, si, yj)
            } else {
                -over(free, si, yj)
            };
            k[col + i][j] = bl;
            k[j][col + i] = bl;
            k[col + i][col + j] = theta * over(active, si, sj);
        }
    }
    lu_solve(k, wv)
}

/// `subsm`: the subspace minimizer from the Cauchy point `x` (= xcp) along
/// the reduced direction `d` (indexed like `ind`), projected and, when the
/// projection points uphill, backtracked to the box.
#[allow(clippy::too_many_arguments)]
fn subsm(
    pb: &Problem<'_>,
    ind: &[usize],
    active: &[usize],
    x: &mut [f64],
    d: &mut [f64],
    mem: &Memory,
    xx: &[f64],
    gg: &[f64],
) -> bool {
    let nsub = ind.len();
    let (l, u, nbd) = (pb.l, pb.u, pb.nbd);
    if nsub == 0 {
        return true;
    }
    let col = mem.col;
    let theta = mem.theta;
    let mut wv = vec![0.0; 2 * col];
    for i in 0..col {
        let s = mem.slot(i);
        let mut temp1 = 0.0;
        let mut temp2 = 0.0;
        for (j, &k) in ind.iter().enumerate() {
            temp1 += mem.wy[s][k] * d[j];
            temp2 += mem.ws[s][k] * d[j];
        }
        wv[i] = temp1;
        wv[col + i] = theta * temp2;
    }
    if !solve_k(mem, ind, active, &mut wv) {
        return false;
    }
    for jy in 0..col {
        let s = mem.slot(jy);
        let js = col + jy;
        for (i, &k) in ind.iter().enumerate() {
            d[i] += mem.wy[s][k] * wv[jy] / theta + mem.ws[s][k] * wv[js];
        }
    }
    let temp = 1.0 / theta;
    d[..nsub].iter_mut().for_each(|v| *v *= temp);
    let xp = x.to_vec();
    let mut iword = false;
    for (i, &k) in ind.iter().enumerate() {
        let dk = d[i];
        let xk = x[k];
        match nbd[k] {
            1 => {
                x[k] = l[k].max(xk + dk);
                if x[k] == l[k] {
                    iword = true;
                }
            }
            2 => {
                let v = l[k].max(xk + dk);
                x[k] = u[k].min(v);
                if x[k] == l[k] || x[k] == u[k] {
                    iword = true;
                }
            }
            3 => {
                x[k] = u[k].min(xk + dk);
                if x[k] == u[k] {
                    iword = true;
                }
            }
            _ => x[k] = xk + dk,
        }
    }
    if !iword {
        return true;
    }
    let dd_p: f64 = (0..x.len()).map(|i| (x[i] - xx[i]) * gg[i]).sum();
    if dd_p > 0.0 {
        x.copy_from_slice(&xp);
    } else {
        return true;
    }
    let mut alpha = 1.0;
    let mut temp1 = 1.0;
    let mut ibd = 0;
    for (i, &k) in ind.iter().enumerate() {
        let dk = d[i];
        if nbd[k] != 0 {
            if dk < 0.0 && nbd[k] <= 2 {
                let temp2 = l[k] - x[k];
                if temp2 >= 0.0 {
                    temp1 = 0.0;
                } else if dk * alpha < temp2 {
                    temp1 = temp2 / dk;
                }
            } else if dk > 0.0 && nbd[k] >= 2 {
                let temp2 = u[k] - x[k];
                if temp2 <= 0.0 {
                    temp1 = 0.0;
                } else if dk * alpha > temp2 {
                    temp1 = temp2 / dk;
                }
            }
            if temp1 < alpha {
                alpha = temp1;
                ibd = i;
            }
        }
    }
    if alpha < 1.0 {
        let dk = d[ibd];
        let k = ind[ibd];
        if dk > 0.0 {
            x[k] = u[k];
            d[ibd] = 0.0;
        } else if dk < 0.0 {
            x[k] = l[k];
            d[ibd] = 0.0;
        }
    }
    for (i, &k) in ind.iter().enumerate() {
        x[k] += alpha * d[i];
    }
    true
}

/// `projgr`: the infinity norm of the projected gradient.
fn projgr(pb: &Problem<'_>, x: &[f64], g: &[f64]) -> f64 {
    let mut sbgnrm: f64 = 0.0;
    for i in 0..pb.n {
        let mut gi = g[i];
        if gi.is_nan() {
            return gi;
        }
        if pb.nbd[i] != 0 {
            if gi < 0.0 {
                if pb.nbd[i] >= 2 {
                    gi = (x[i] - pb.u[i]).max(gi);
                }
            } else if pb.nbd[i] <= 2 {
                gi = (x[i] - pb.l[i]).min(gi);
            }
        }
        sbgnrm = sbgnrm.max(gi.abs());
    }
    sbgnrm
}

pub(crate) fn minimize<O: Objective>(
    objective: &mut O,
    jac: Option<Jac<'_, O::Error>>,
    x0: &[f64],
    bounds: Option<&Bounds>,
    opts: &LbfgsbOptions,
    hook: &mut Hook<'_>,
) -> Result<Minimized, OptimizeError<O::Error>> {
    let n = x0.len();
    if opts.maxls == 0 {
        return value_error("maxls must be positive.");
    }
    if opts.maxcor == 0 {
        return value_error("maxcor must be positive.");
    }
    let m = opts.maxcor;
    let mut x = x0.to_vec();
    let (l, u, nbd): (Vec<f64>, Vec<f64>, Vec<u8>) = match bounds {
        None => (vec![0.0; n], vec![0.0; n], vec![0; n]),
        Some(b) => {
            b.clip(&mut x);
            let mut l = vec![0.0; n];
            let mut u = vec![0.0; n];
            let mut nbd = vec![0u8; n];
            for i in 0..n {
                let (lf, uf) = (b.lb[i].is_finite(), b.ub[i].is_finite());
                // SciPy tests np.isinf: a NaN bound counts as finite.
                let lf = lf || b.lb[i].is_nan();
                let uf = uf || b.ub[i].is_nan();
                if lf {
                    l[i] = b.lb[i];
                }
                if uf {
                    u[i] = b.ub[i];
                }
                nbd[i] = match (lf, uf) {
                    (false, false) => 0,
                    (true, false) => 1,
                    (true, true) => 2,
                    (false, true) => 3,
                };
            }
            (l, u, nbd)
        }
    };
    let pb = Problem {
        n,
        l: &l,
        u: &u,
        nbd: &nbd,
    };
    let factr = opts.ftol / EPSMCH;
    let tol = factr * EPSMCH;
    let pgtol = opts.gtol;
    let obj = OptimizeError::Objective;
    let mut sf =
        ScalarFunction::new(objective, jac, opts.finite_diff, bounds.cloned(), &x).map_err(obj)?;

    // errclb has nothing left to reject (bounds were validated); `active`.
    let mut iwhere = vec![0i32; n];
    let mut cnstnd = false;
    let mut boxed = true;
    for i in 0..n {
        if nbd[i] != 2 {
            boxed = false;
        }
        if nbd[i] == 0 {
            iwhere[i] = -1;
        } else {
            cnstnd = true;
            iwhere[i] = if nbd[i] == 2 && u[i] - l[i] <= 0.0 {
                3
            } else {
                0
            };
        }
    }

    let mut g = vec![0.0; n];
    let mut f = sf.fun_and_grad(&x, &mut g).map_err(obj)?;
    let mut mem = Memory::new(m);
    let mut n_iterations = 0usize;
    let mut iter = 0usize;
    let mut index: Vec<usize> = (0..n).collect();
    let mut nfree = n;
    let mut z = vec![0.0; n];
    let mut r = vec![0.0; n];
    let mut d = vec![0.0; n];
    let mut t = vec![0.0; n];
    // Wᵀ(xcp − x): 2·col values, grown with the memory.
    let mut c: Vec<f64> = Vec::new();
    let mut sbgnrm = projgr(&pb, &x, &g);
    let end: End;
    if sbgnrm <= pgtol {
        end = End::ConvGrad;
    } else {
        'outer: loop {
            // Search direction.
            if cnstnd || mem.col == 0 {
                if c.len() < 2 * mem.col {
                    c.resize(2 * mem.col, 0.0);
                }
                if !cauchy(&pb, &x, &g, &mut iwhere, &mem, sbgnrm, &mut z, &mut c) {
                    mem.reset();
                    continue;
                }
                // freev
                nfree = 0;
                let mut act = Vec::new();
                let mut fr = Vec::new();
                for i in 0..n {
                    if iwhere[i] <= 0 {
                        fr.push(i);
                        nfree += 1;
                    } else {
                        act.push(i);
                    }
                }
                act.reverse();
                index = fr;
                index.extend(act);
            } else {
                z.copy_from_slice(&x);
            }
            if nfree != 0 && mem.col != 0 {
                // cmprlb
                let col = mem.col;
                if !cnstnd && col > 0 {
                    for i in 0..n {
                        r[i] = -g[i];
                    }
                } else {
                    for i in 0..nfree {
                        let k = index[i];
                        r[i] = -mem.theta * (z[k] - x[k]) - g[k];
                    }
                    let mut wa = vec![0.0; 2 * col];
                    if !mem.bmv(&c[..2 * col], &mut wa) {
                        mem.reset();
                        continue;
                    }
                    for j in 0..col {
                        let s = mem.slot(j);
                        let a1 = wa[j];
                        let a2 = mem.theta * wa[col + j];
                        for i in 0..nfree {
                            let k = index[i];
                            r[i] += mem.wy[s][k] * a1 + mem.ws[s][k] * a2;
                        }
                    }
                }
                let (free, active) = index.split_at(nfree);
                if !subsm(&pb, free, active, &mut z, &mut r[..nfree], &mem, &x, &g) {
                    mem.reset();
                    continue;
                }
            }
            for i in 0..n {
                d[i] = z[i] - x[i];
            }

            // lnsrlb, first call.
            let dnorm = dot(&d, &d).sqrt();
            let dtd = dnorm * dnorm;
            let mut stpmx: f64 = 1.0e10;
            if cnstnd {
                if iter == 0 {
                    stpmx = 1.0;
                } else {
                    for i in 0..n {
                        let a1 = d[i];
                        if nbd[i] != 0 {
                            if a1 < 0.0 && nbd[i] <= 2 {
                                let a2 = l[i] - x[i];
                                if a2 >= 0.0 {
                                    stpmx = 0.0;
                                } else if a1 * stpmx < a2 {
                                    stpmx = a2 / a1;
                                }
                            } else if a1 > 0.0 && nbd[i] >= 2 {
                                let a2 = u[i] - x[i];
                                if a2 <= 0.0 {
                                    stpmx = 0.0;
                                } else if a1 * stpmx > a2 {
                                    stpmx = a2 / a1;
                                }
                            }
                        }
                    }
                }
            }
            let mut stp = if iter == 0 && !boxed {
                (1.0 / dnorm).min(stpmx)
            } else {
                1.0
            };
            t.copy_from_slice(&x);
            r.copy_from_slice(&g);
            let fold = f;
            let mut ifun = 0usize;
            let mut search = Dcsrch::new(1e-3, 0.9, 0.1, 0.0, stpmx);
            let mut task = Task::Start;
            let gdold = dot(&g, &d);
            let mut gd = gdold;
            loop {
                let mut info_bad = false;
                if ifun == 0 && gd >= 0.0 {
                    info_bad = true;
                }
                let mut new_x = false;
                if !info_bad {
                    let (s, tk) = search.iterate(stp, f, gd, task);
                    stp = s;
                    task = tk;
                    if task == Task::Convergence || task == Task::Warning {
                        new_x = true;
                    } else {
                        ifun += 1;
                        if stp == 1.0 {
                            x.copy_from_slice(&z);
                        } else {
                            for i in 0..n {
                                x[i] = stp * d[i] + t[i];
                                if nbd[i] == 1 || nbd[i] == 2 {
                                    x[i] = x[i].max(l[i]);
                                }
                                if nbd[i] == 2 || nbd[i] == 3 {
                                    x[i] = x[i].min(u[i]);
                                }
                            }
                        }
                    }
                }
                let iback = ifun.saturating_sub(1);
                if info_bad || (!new_x && iback >= opts.maxls) {
                    // Restore the previous iterate.
                    x.copy_from_slice(&t);
                    g.copy_from_slice(&r);
                    f = fold;
                    if mem.col == 0 {
                        end = End::Abnormal;
                        break 'outer;
                    }
                    mem.reset();
                    continue 'outer;
                }
                if new_x {
                    break;
                }
                f = sf.fun_and_grad(&x, &mut g).map_err(obj)?;
                gd = dot(&g, &d);
            }
            iter += 1;
            sbgnrm = projgr(&pb, &x, &g);

            // Back in the Python driver: a new iterate.
            n_iterations += 1;
            // SciPy asks the callback first; the limits then override its
            // message.
            let halt = hook.halt(&x, f, n_iterations);
            if n_iterations >= opts.maxiter {
                end = End::MaxIter;
                break;
            } else if sf.nfev > opts.maxfun {
                end = End::MaxFun;
                break;
            } else if halt {
                end = End::Callback;
                break;
            }

            if sbgnrm <= pgtol {
                end = End::ConvGrad;
                break;
            }
            let ddum = fold.abs().max(f.abs()).max(1.0);
            if (fold - f) <= tol * ddum {
                end = End::ConvF;
                break;
            }
            for i in 0..n {
                r[i] = g[i] - r[i];
            }
            let rr = dot(&r, &r);
            let (dr, ddum);
            if stp == 1.0 {
                dr = gd - gdold;
                ddum = -gdold;
            } else {
                dr = (gd - gdold) * stp;
                d.iter_mut().for_each(|v| *v *= stp);
                ddum = -gdold * stp;
            }
            if dr <= EPSMCH * ddum {
                mem.updatd = false;
                continue;
            }
            mem.updatd = true;
            mem.iupdat += 1;
            mem.update(&d, &r, rr, dr, stp, dtd);
            if !mem.formt() {
                mem.reset();
                continue;
            }
        }
    }
    let status = match end {
        End::ConvGrad | End::ConvF => 0,
        _ if sf.nfev > opts.maxfun || n_iterations >= opts.maxiter => 1,
        _ => 2,
    };
    let ncorr = mem.iupdat.min(m);
    let hess_inv = HessInv::Lbfgs {
        s: mem.ws[..ncorr].to_vec(),
        y: mem.wy[..ncorr].to_vec(),
    };
    Ok(Minimized {
        result: OptimizeResult {
            x,
            fun: f,
            jac: Some(g),
            nfev: sf.nfev,
            njev: sf.ngev,
            nit: n_iterations,
            success: status == 0,
            status,
            message: end.message().to_string(),
        },
        hess_inv: Some(hess_inv),
        final_simplex: None,
        direc: None,
    })
}
