//! `scipy.optimize.differential_evolution` as an ask/tell engine.
//!
//! [`DifferentialEvolution::ask`] says what the engine needs next (objective
//! values at some points, constraint values, a user strategy's trials, or a
//! pause at the end of a generation for the caller's callback), and
//! [`DifferentialEvolution::tell`] hands the answer back. Every random draw
//! happens inside the engine in a fixed order, so a seed gives the same run
//! however (in whatever order, on however many threads) the caller evaluates.
//!
//! The algorithm is SciPy's `DifferentialEvolutionSolver`: the population
//! lives in the unit cube, parameters are `mid + (u - 1/2) * width` (rounded
//! half to even for integer parameters, whose bounds are widened to
//! `ceil(lo) - 1/2 .. floor(hi) + 1/2` just inside), out-of-range trial
//! entries are redrawn uniformly, constraints select by Lampinen's rules,
//! and the run stops when `std(E) <= atol + tol * |mean(E)|`. The random
//! stream is ours ([`Rng`]), not NumPy's: results match SciPy in law, not
//! draw for draw.

mod config;

pub use config::{Constraint, DeConfig, DeError, Init, Mutation, Strategy, Updating};

use musique_core::{Cancel, Cancelled};

use crate::error::OptimizeError;
use crate::local::auglag::{self, AugLagOptions, Constrained, ConstrainedMinimized};
use crate::qmc::{Halton, Rng, Sobol};
use crate::{Objective, OptimizeResult};

/// SciPy's messages.
pub const MSG_SUCCESS: &str = "Optimization terminated successfully.";
pub const MSG_MAXITER: &str = "Maximum number of iterations has been exceeded.";
pub const MSG_MAXFEV: &str = "Maximum number of function evaluations has been exceeded.";
pub const MSG_MAXFEV_REACHED: &str = "Maximum number of function evaluations has been reached.";
pub const MSG_CALLBACK: &str = "callback function requested stop early";

const MACHEPS: f64 = f64::EPSILON;

/// A user strategy: `(candidate, population, rng) -> trial`, population and
/// trial in parameter space (`population` is `S x N` row-major).
pub type StrategyFn = Box<dyn FnMut(usize, &[f64], &mut Rng) -> Vec<f64> + Send>;

/// Fills the nonlinear constraints' values (`M`) at one point (`N`).
pub type ConstraintFn<'a> = &'a mut dyn FnMut(&[f64], &mut [f64]);

/// Fills the nonlinear constraints' values at a batch of points (rows of
/// `N`): `M` per point, row-major, as [`Ask::Constraints`] asks.
pub type ConstraintBatchFn<'a, E> = &'a mut dyn FnMut(&[f64], &mut [f64]) -> Result<(), E>;

/// What the engine needs next.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Ask<'a> {
    /// The objective at each row of this `rows x N` array: `tell` one value
    /// per row.
    Objective(&'a [f64]),
    /// Every [`Constraint::Nonlinear`] at each row of this `rows x N` array:
    /// `tell` `rows x M` values, row-major, the nonlinear constraints'
    /// components concatenated in configuration order.
    Constraints(&'a [f64]),
    /// A [`Strategy::Custom`] trial for each listed candidate (the population
    /// is [`DifferentialEvolution::population`]): `tell` `len x N` values in
    /// parameter space.
    Trials(&'a [usize]),
    /// A generation ended (SciPy's callback point): read
    /// [`DifferentialEvolution::intermediate`], maybe call
    /// [`DifferentialEvolution::request_stop`], then ask again.
    Generation,
    /// Finished: [`DifferentialEvolution::outcome`].
    Done,
}

/// The end of a run, as SciPy's `OptimizeResult` for differential evolution.
#[derive(Debug, Clone, PartialEq)]
pub struct DeOutcome {
    /// `x`, `fun`, `nfev`, `nit`, `success`, `message` as SciPy; `jac` only
    /// from an accepted polish; `njev` 0; `status` (SciPy's DE sets none): 0
    /// converged, 1 function budget, 2 maxiter, 3 callback stop, 4 the best
    /// point violates the constraints.
    pub result: OptimizeResult,
    /// `S x N` row-major, parameter space, best first.
    pub population: Vec<f64>,
    pub population_energies: Vec<f64>,
    /// Violation of each constraint's components at `x` (empty without
    /// constraints).
    pub constr: Vec<Vec<f64>>,
    /// `constr_violation` (= `maxcv`), when there are constraints.
    pub constr_violation: Option<f64>,
}

/// What a polish did, for [`DifferentialEvolution::accept_polish`].
#[derive(Debug, Clone, PartialEq)]
pub struct PolishReply {
    pub x: Vec<f64>,
    pub fun: f64,
    pub success: bool,
    pub nfev: usize,
    pub jac: Option<Vec<f64>>,
    /// The nonlinear constraints' values at `x` (needed when there are any).
    pub constraint_values: Option<Vec<f64>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Stage {
    Start,
    GenBegin,
    Candidate(usize),
    GenerationEnd,
    Finished,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Context {
    Init,
    Immediate(usize),
    Deferred,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Pending {
    Trials,
    Constraints,
    Objective,
}

/// The engine.
pub struct DifferentialEvolution {
    n: usize,
    np: usize,
    lo: Vec<f64>,
    hi: Vec<f64>,
    mid: Vec<f64>,
    width: Vec<f64>,
    recip: Vec<f64>,
    integrality: Vec<bool>,
    strategy: Strategy,
    strategy_fn: Option<StrategyFn>,
    dither: Option<(f64, f64)>,
    scale: f64,
    cr: f64,
    tol: f64,
    atol: f64,
    maxiter: usize,
    maxfun: Option<usize>,
    updating: Updating,
    polish: bool,
    rng: Rng,
    population: Vec<f64>,
    energies: Vec<f64>,
    feasible: Vec<bool>,
    /// `S x mcols` componentwise violations (`mcols = max(1, total)`).
    cv: Vec<f64>,
    mcols: usize,
    constraints: Vec<Constraint>,
    n_nonlinear: usize,
    perm: Vec<usize>,
    nit: usize,
    nfev: usize,
    stage: Stage,
    stop_requested: bool,
    generation_reported: bool,
    finish: Option<(&'static str, bool, i32)>,
    polish_jac: Option<Vec<f64>>,
    /// An accepted polish's `x`, reported as given (SciPy returns
    /// `result.x`, not the round trip through the unit cube).
    polish_x: Option<Vec<f64>>,
    // The batch being evaluated.
    context: Context,
    pending: Option<Pending>,
    batch_candidates: Vec<usize>,
    batch: Vec<f64>,
    batch_params: Vec<f64>,
    batch_cv: Vec<f64>,
    batch_feasible: Vec<bool>,
    batch_energy: Vec<f64>,
    batch_nonlinear: Vec<f64>,
    request: Vec<f64>,
    request_rows: Vec<usize>,
}

impl std::fmt::Debug for DifferentialEvolution {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DifferentialEvolution")
            .field("n", &self.n)
            .field("np", &self.np)
            .field("strategy", &self.strategy)
            .field("nit", &self.nit)
            .field("nfev", &self.nfev)
            .field("stage", &self.stage)
            .finish_non_exhaustive()
    }
}

fn samples_needed(s: Strategy) -> usize {
    match s {
        Strategy::Best1Bin
        | Strategy::Best1Exp
        | Strategy::CurrentToBest1Bin
        | Strategy::CurrentToBest1Exp => 2,
        Strategy::Rand1Bin
        | Strategy::Rand1Exp
        | Strategy::RandToBest1Bin
        | Strategy::RandToBest1Exp => 3,
        Strategy::Best2Bin | Strategy::Best2Exp => 4,
        Strategy::Rand2Bin | Strategy::Rand2Exp => 5,
        Strategy::Custom => 0,
    }
}

/// NumPy's `maximum(v, 0)`: NaN stays NaN.
fn excess(v: f64) -> f64 {
    if v > 0.0 || v.is_nan() {
        v
    } else {
        0.0
    }
}

/// NumPy's `argmin`: the first NaN if any, else the first minimum.
fn argmin<I: Iterator<Item = f64>>(values: I) -> usize {
    let mut best = 0;
    let mut best_v = f64::INFINITY;
    let mut first = true;
    for (i, v) in values.enumerate() {
        if v.is_nan() {
            return i;
        }
        if first || v < best_v {
            best = i;
            best_v = v;
            first = false;
        }
    }
    best
}

/// Python's `repr` of a float (shortest round trip; exponent form below
/// 1e-4 and from 1e16), for SciPy's MAXCV message.
pub fn py_float_repr(x: f64) -> String {
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
    if (-4..16).contains(&exp) {
        let s = format!("{x}");
        if s.contains('.') {
            s
        } else {
            s + ".0"
        }
    } else {
        let sign = if exp < 0 { '-' } else { '+' };
        format!("{mant}e{sign}{:02}", exp.abs())
    }
}

impl DifferentialEvolution {
    /// Validates `config` and builds the initial population (no evaluation
    /// yet).
    pub fn new(config: DeConfig) -> Result<DifferentialEvolution, DeError> {
        let DeConfig {
            bounds,
            strategy,
            maxiter,
            popsize,
            tol,
            atol,
            mutation,
            recombination,
            seed,
            polish,
            init,
            updating,
            x0,
            integrality,
            constraints,
            maxfun,
        } = config;
        let (scale, dither) = match mutation {
            Mutation::Fixed(f) => {
                if !(f.is_finite() && (0.0..2.0).contains(&f)) {
                    return Err(DeError::Mutation);
                }
                (f, None)
            }
            Mutation::Dither(a, b) => {
                if !(a.is_finite()
                    && b.is_finite()
                    && (0.0..2.0).contains(&a)
                    && (0.0..2.0).contains(&b))
                {
                    return Err(DeError::Mutation);
                }
                let (a, b) = if a <= b { (a, b) } else { (b, a) };
                (a, Some((a, b)))
            }
        };
        let n = bounds.len();
        if n == 0 || bounds.iter().any(|(l, h)| !l.is_finite() || !h.is_finite()) {
            return Err(DeError::Bounds);
        }
        if let Some((index, &(lo, hi))) = bounds.iter().enumerate().find(|(_, (l, h))| l > h) {
            return Err(DeError::BoundsOrder { index, lo, hi });
        }
        let mut lo: Vec<f64> = bounds.iter().map(|b| b.0).collect();
        let mut hi: Vec<f64> = bounds.iter().map(|b| b.1).collect();
        let integrality = match integrality {
            Some(v) if v.iter().any(|&b| b) => {
                let v = if v.len() == 1 { vec![v[0]; n] } else { v };
                if v.len() != n {
                    return Err(DeError::IntegralityLength {
                        got: v.len(),
                        expected: n,
                    });
                }
                for j in 0..n {
                    if v[j] {
                        let (l, h) = (lo[j].ceil(), hi[j].floor());
                        if l > h {
                            return Err(DeError::Integrality);
                        }
                        lo[j] = (l - 0.5).next_up();
                        hi[j] = (h + 0.5).next_down();
                    }
                }
                v
            }
            _ => vec![false; n],
        };
        let mid: Vec<f64> = lo.iter().zip(&hi).map(|(l, h)| 0.5 * (l + h)).collect();
        let width: Vec<f64> = lo.iter().zip(&hi).map(|(l, h)| (l - h).abs()).collect();
        let recip: Vec<f64> = width
            .iter()
            .map(|w| {
                let r = 1.0 / w;
                if r.is_finite() {
                    r
                } else {
                    0.0
                }
            })
            .collect();
        let equal = lo.iter().zip(&hi).filter(|(l, h)| l == h).count();
        let mut np = 5.max(popsize * 1.max(n - equal));

        // Constraint shapes.
        let mut n_nonlinear = 0;
        let mut total = 0;
        for (index, c) in constraints.iter().enumerate() {
            let (l, u) = c.bounds();
            let ok = match c {
                Constraint::Nonlinear { .. } => true,
                Constraint::Linear { a, .. } => a.len() == l.len() * n,
                Constraint::Bounds { .. } => l.len() == n,
            };
            if !ok || l.len() != u.len() {
                return Err(DeError::ConstraintShape { index });
            }
            if matches!(c, Constraint::Nonlinear { .. }) {
                n_nonlinear += l.len();
            }
            total += l.len();
        }

        let mut rng = Rng::new(seed);
        let mut me = DifferentialEvolution {
            n,
            np,
            lo,
            hi,
            mid,
            width,
            recip,
            integrality,
            strategy,
            strategy_fn: None,
            dither,
            scale,
            cr: recombination,
            tol,
            atol,
            maxiter,
            maxfun,
            updating,
            polish,
            rng: Rng::new(0),
            population: Vec::new(),
            energies: Vec::new(),
            feasible: Vec::new(),
            cv: Vec::new(),
            mcols: total.max(1),
            constraints,
            n_nonlinear,
            perm: Vec::new(),
            nit: 0,
            nfev: 0,
            stage: Stage::Start,
            stop_requested: false,
            generation_reported: false,
            finish: None,
            polish_jac: None,
            polish_x: None,
            context: Context::Init,
            pending: None,
            batch_candidates: Vec::new(),
            batch: Vec::new(),
            batch_params: Vec::new(),
            batch_cv: Vec::new(),
            batch_feasible: Vec::new(),
            batch_energy: Vec::new(),
            batch_nonlinear: Vec::new(),
            request: Vec::new(),
            request_rows: Vec::new(),
        };
        me.population = match init {
            Init::LatinHypercube => {
                // SciPy's init_population_lhs: one point per segment of every
                // axis, segments shuffled independently per axis.
                let seg = 1.0 / np as f64;
                let samples: Vec<f64> = (0..np * n)
                    .map(|k| seg * rng.uniform() + (k / n) as f64 / np as f64)
                    .collect();
                let mut pop = vec![0.0; np * n];
                let mut order: Vec<usize> = (0..np).collect();
                for j in 0..n {
                    order.iter_mut().enumerate().for_each(|(i, o)| *o = i);
                    rng.shuffle(&mut order);
                    for i in 0..np {
                        pop[i * n + j] = samples[order[i] * n + j];
                    }
                }
                pop
            }
            Init::Sobol => {
                np = np.next_power_of_two();
                let mut child = rng.spawn();
                Sobol::new(n, None, Some(&mut child))
                    .and_then(|mut s| s.random(np))
                    .map_err(|e| DeError::Sampler(e.to_string()))?
            }
            Init::Halton => {
                let mut child = rng.spawn();
                crate::qmc::try_n_primes(n)
                    .and_then(|bases| Halton::with_bases(bases, Some(&mut child)))
                    .and_then(|mut h| h.random(np))
                    .map_err(|e| DeError::Sampler(e.to_string()))?
            }
            Init::Random => (0..np * n).map(|_| rng.uniform()).collect(),
            Init::Array(a) => {
                if a.len() % n != 0 || a.len() / n < 5 {
                    return Err(DeError::InitArray);
                }
                np = a.len() / n;
                a.iter()
                    .enumerate()
                    .map(|(k, &p)| me.unscale1(k % n, p).clamp(0.0, 1.0))
                    .collect()
            }
        };
        me.np = np;
        if np < samples_needed(strategy) + 1 {
            return Err(DeError::PopulationTooSmall {
                strategy: strategy.name(),
                np,
            });
        }
        if let Some(x0) = x0 {
            if x0.len() != n {
                return Err(DeError::X0Length {
                    got: x0.len(),
                    expected: n,
                });
            }
            let u: Vec<f64> = (0..n).map(|j| me.unscale1(j, x0[j])).collect();
            if u.iter().any(|&v| !(0.0..=1.0).contains(&v)) {
                return Err(DeError::X0Bounds);
            }
            me.population[..n].copy_from_slice(&u);
        }
        me.energies = vec![f64::INFINITY; np];
        me.feasible = vec![true; np];
        me.cv = vec![0.0; np * me.mcols];
        me.perm = (0..np).collect();
        me.rng = rng;
        Ok(me)
    }

    /// A function for [`Strategy::Custom`], called inside the engine with its
    /// generator (without one, the engine asks with [`Ask::Trials`]).
    pub fn with_strategy_fn(mut self, f: StrategyFn) -> DifferentialEvolution {
        self.strategy_fn = Some(f);
        self
    }

    fn unscale1(&self, j: usize, p: f64) -> f64 {
        (p - self.mid[j]) * self.recip[j] + 0.5
    }

    fn scale_row(&self, u: &[f64], out: &mut [f64]) {
        for j in 0..self.n {
            let mut p = self.mid[j] + (u[j] - 0.5) * self.width[j];
            if self.integrality[j] {
                p = p.round_ties_even();
            }
            out[j] = p;
        }
    }

    fn scaled(&self, u: &[f64]) -> Vec<f64> {
        let mut out = vec![0.0; u.len()];
        for (ur, orow) in u.chunks_exact(self.n).zip(out.chunks_exact_mut(self.n)) {
            self.scale_row(ur, orow);
        }
        out
    }

    // ---- read-only state -------------------------------------------------

    /// Number of parameters `N`.
    pub fn dim(&self) -> usize {
        self.n
    }

    /// Population size `S`.
    pub fn population_size(&self) -> usize {
        self.np
    }

    /// The population in parameter space, `S x N` row-major, best first once
    /// evaluated.
    pub fn population(&self) -> Vec<f64> {
        self.scaled(&self.population)
    }

    /// The population in the unit cube (SciPy's internal representation).
    pub fn population_unit(&self) -> &[f64] {
        &self.population
    }

    /// `+inf` until evaluated (and for infeasible members).
    pub fn population_energies(&self) -> &[f64] {
        &self.energies
    }

    pub fn best_x(&self) -> Vec<f64> {
        self.scaled(&self.population[..self.n])
    }

    pub fn best_fun(&self) -> f64 {
        self.energies[0]
    }

    pub fn nit(&self) -> usize {
        self.nit
    }

    pub fn nfev(&self) -> usize {
        self.nfev
    }

    /// The mutation constant of the current generation.
    pub fn mutation_scale(&self) -> f64 {
        self.scale
    }

    /// The engine's generator (what SciPy hands a user strategy).
    pub fn rng_mut(&mut self) -> &mut Rng {
        &mut self.rng
    }

    pub fn is_done(&self) -> bool {
        self.stage == Stage::Finished
    }

    /// SciPy's `convergence` property: `std(E) / (|mean(E)| + eps)`, `inf`
    /// while an energy is infinite. Callbacks get `tol / (this + eps)`.
    pub fn convergence(&self) -> f64 {
        if self.energies.iter().any(|e| e.is_infinite()) {
            return f64::INFINITY;
        }
        let (mean, std) = mean_std(&self.energies);
        std / (mean.abs() + MACHEPS)
    }

    fn converged(&self) -> bool {
        if self.energies.iter().any(|e| e.is_infinite()) {
            return false;
        }
        let (mean, std) = mean_std(&self.energies);
        std <= self.atol + self.tol * mean.abs()
    }

    /// Ends the run after this generation with SciPy's callback message (a
    /// callback returned true or raised StopIteration).
    pub fn request_stop(&mut self) {
        self.stop_requested = true;
    }

    // ---- the protocol ----------------------------------------------------

    /// What the engine needs next; asking again without telling repeats the
    /// request.
    pub fn ask(&mut self) -> Ask<'_> {
        loop {
            if let Some(p) = self.pending {
                return match p {
                    Pending::Trials => Ask::Trials(&self.batch_candidates),
                    Pending::Constraints => Ask::Constraints(&self.request),
                    Pending::Objective => Ask::Objective(&self.request),
                };
            }
            match self.stage {
                Stage::Finished => return Ask::Done,
                Stage::Start => {
                    self.context = Context::Init;
                    self.batch_candidates = (0..self.np).collect();
                    self.batch = self.population.clone();
                    self.begin_eval();
                }
                Stage::GenBegin => {
                    if self.nit >= self.maxiter {
                        self.finish_with(MSG_MAXITER, true, 2);
                        continue;
                    }
                    self.nit += 1;
                    if let Some((a, b)) = self.dither {
                        self.scale = self.rng.uniform_in(a, b);
                    }
                    match self.updating {
                        Updating::Immediate => self.stage = Stage::Candidate(0),
                        Updating::Deferred => {
                            if self.maxfun.is_some_and(|m| self.nfev >= m) {
                                self.stop_iteration();
                                continue;
                            }
                            self.context = Context::Deferred;
                            self.batch_candidates = (0..self.np).collect();
                            self.make_trials();
                        }
                    }
                }
                Stage::Candidate(c) => {
                    if c == self.np {
                        self.stage = Stage::GenerationEnd;
                        self.generation_reported = false;
                        continue;
                    }
                    if self.maxfun.is_some_and(|m| self.nfev > m) {
                        self.stop_iteration();
                        continue;
                    }
                    self.context = Context::Immediate(c);
                    self.batch_candidates = vec![c];
                    self.make_trials();
                }
                Stage::GenerationEnd => {
                    if !self.generation_reported {
                        self.generation_reported = true;
                        return Ask::Generation;
                    }
                    if self.stop_requested {
                        self.finish_with(MSG_CALLBACK, true, 3);
                    } else if self.converged() {
                        self.finish_with(MSG_SUCCESS, false, 0);
                    } else {
                        self.stage = Stage::GenBegin;
                    }
                }
            }
        }
    }

    /// Answers the pending request (see [`Ask`]).
    pub fn tell(&mut self, values: &[f64]) -> Result<(), DeError> {
        let Some(p) = self.pending else {
            return Err(DeError::NothingAsked);
        };
        match p {
            Pending::Trials => {
                let expected = self.batch_candidates.len() * self.n;
                if values.len() != expected {
                    return Err(DeError::TrialLength {
                        got: values.len(),
                        expected,
                    });
                }
                self.pending = None;
                self.batch = values
                    .iter()
                    .enumerate()
                    .map(|(k, &p)| self.unscale1(k % self.n, p))
                    .collect();
                self.ensure_constraint();
                self.begin_eval();
            }
            Pending::Constraints => {
                let expected = self.batch_candidates.len() * self.n_nonlinear;
                if values.len() != expected {
                    return Err(DeError::ConstraintValuesLength {
                        got: values.len(),
                        expected,
                    });
                }
                self.pending = None;
                self.batch_nonlinear = values.to_vec();
                self.after_constraints();
            }
            Pending::Objective => {
                let expected = self.request_rows.len();
                if values.len() != expected {
                    return Err(DeError::ObjectiveLength {
                        got: values.len(),
                        expected,
                    });
                }
                self.pending = None;
                for (&r, &v) in self.request_rows.iter().zip(values) {
                    self.batch_energy[r] = v;
                }
                self.nfev += expected;
                self.finish_batch();
            }
        }
        Ok(())
    }

    fn finish_with(&mut self, message: &'static str, warning: bool, status: i32) {
        self.finish = Some((message, warning, status));
        self.stage = Stage::Finished;
    }

    fn stop_iteration(&mut self) {
        let m = self.maxfun.unwrap_or(usize::MAX);
        let msg = if self.nfev > m {
            MSG_MAXFEV
        } else {
            MSG_MAXFEV_REACHED
        };
        self.finish_with(msg, true, 1);
    }

    /// Builds the trials of `batch_candidates` into `batch`, or asks for them.
    fn make_trials(&mut self) {
        if self.strategy == Strategy::Custom {
            if let Some(mut f) = self.strategy_fn.take() {
                let pop = self.population();
                let mut out = Vec::with_capacity(self.batch_candidates.len() * self.n);
                for &c in &self.batch_candidates {
                    let t = f(c, &pop, &mut self.rng);
                    assert!(
                        t.len() == self.n,
                        "{} (got {} values, expected {})",
                        DeError::TrialLength {
                            got: t.len(),
                            expected: self.n
                        },
                        t.len(),
                        self.n
                    );
                    out.extend(t);
                }
                self.strategy_fn = Some(f);
                self.batch = out
                    .iter()
                    .enumerate()
                    .map(|(k, &p)| self.unscale1(k % self.n, p))
                    .collect();
            } else {
                self.pending = Some(Pending::Trials);
                return;
            }
        } else if self.batch_candidates.len() == 1 {
            self.batch = self.mutate(self.batch_candidates[0]);
        } else {
            self.batch = self.mutate_many();
        }
        self.ensure_constraint();
        self.begin_eval();
    }

    /// Up to 5 distinct members other than `candidate` (SciPy shuffles the
    /// whole index array and drops the candidate from the first 6).
    fn select_samples(&mut self, candidate: usize) -> [usize; 5] {
        let np = self.np;
        let k = 6.min(np);
        for i in 0..k {
            let j = i + self.rng.below(np - i);
            self.perm.swap(i, j);
        }
        let mut out = [0usize; 5];
        let mut m = 0;
        for &idx in &self.perm[..k] {
            if idx != candidate && m < 5 {
                out[m] = idx;
                m += 1;
            }
        }
        out
    }

    fn bprime(&self, candidate: usize, r: &[usize; 5], j: usize) -> f64 {
        let n = self.n;
        let p = |i: usize| self.population[i * n + j];
        let f = self.scale;
        match self.strategy {
            Strategy::Best1Bin | Strategy::Best1Exp => p(0) + f * (p(r[0]) - p(r[1])),
            Strategy::Rand1Bin | Strategy::Rand1Exp => p(r[0]) + f * (p(r[1]) - p(r[2])),
            Strategy::RandToBest1Bin | Strategy::RandToBest1Exp => {
                let mut b = p(r[0]);
                b += f * (p(0) - b);
                b += f * (p(r[1]) - p(r[2]));
                b
            }
            Strategy::CurrentToBest1Bin | Strategy::CurrentToBest1Exp => {
                p(candidate) + f * (p(0) - p(candidate) + p(r[0]) - p(r[1]))
            }
            Strategy::Best2Bin | Strategy::Best2Exp => {
                p(0) + f * (p(r[0]) + p(r[1]) - p(r[2]) - p(r[3]))
            }
            Strategy::Rand2Bin | Strategy::Rand2Exp => {
                p(r[0]) + f * (p(r[1]) + p(r[2]) - p(r[3]) - p(r[4]))
            }
            Strategy::Custom => unreachable!(),
        }
    }

    fn crossover(&self, candidate: usize, r: &[usize; 5], fill: usize, cross: &[bool]) -> Vec<f64> {
        let n = self.n;
        let mut trial = self.population[candidate * n..(candidate + 1) * n].to_vec();
        if self.strategy.is_exponential() {
            let mut fp = fill;
            let mut i = 0;
            while i < n && (i == 0 || cross[i]) {
                trial[fp] = self.bprime(candidate, r, fp);
                fp = (fp + 1) % n;
                i += 1;
            }
        } else {
            for j in 0..n {
                if cross[j] || j == fill {
                    trial[j] = self.bprime(candidate, r, j);
                }
            }
        }
        trial
    }

    /// `_mutate`: fill point, samples, then crossover draws.
    fn mutate(&mut self, candidate: usize) -> Vec<f64> {
        let fill = self.rng.below(self.n);
        let r = self.select_samples(candidate);
        let cross: Vec<bool> = (0..self.n).map(|_| self.rng.uniform() < self.cr).collect();
        self.crossover(candidate, &r, fill, &cross)
    }

    /// `_mutate_many`: every candidate's samples, then fill points, then
    /// crossover draws.
    fn mutate_many(&mut self) -> Vec<f64> {
        let np = self.np;
        let samples: Vec<[usize; 5]> = (0..np).map(|c| self.select_samples(c)).collect();
        let fills: Vec<usize> = (0..np).map(|_| self.rng.below(self.n)).collect();
        let cross: Vec<bool> = (0..np * self.n)
            .map(|_| self.rng.uniform() < self.cr)
            .collect();
        let mut out = Vec::with_capacity(np * self.n);
        for c in 0..np {
            out.extend(self.crossover(
                c,
                &samples[c],
                fills[c],
                &cross[c * self.n..(c + 1) * self.n],
            ));
        }
        out
    }

    /// `_ensure_constraint`: entries outside `[0, 1]` are redrawn uniformly.
    fn ensure_constraint(&mut self) {
        for k in 0..self.batch.len() {
            let v = self.batch[k];
            if !(0.0..=1.0).contains(&v) {
                self.batch[k] = self.rng.uniform();
            }
        }
    }

    /// Starts evaluating `batch` (unit rows): constraints first, then the
    /// objective at the feasible rows.
    fn begin_eval(&mut self) {
        let rows = self.batch_candidates.len();
        self.batch_params = self.scaled(&self.batch);
        self.batch_energy = vec![f64::INFINITY; rows];
        if self.constraints.is_empty() {
            self.batch_cv = vec![0.0; rows];
            self.batch_feasible = vec![true; rows];
            self.ask_objective();
        } else if self.n_nonlinear > 0 {
            self.request = self.batch_params.clone();
            self.pending = Some(Pending::Constraints);
        } else {
            self.batch_nonlinear.clear();
            self.after_constraints();
        }
    }

    /// Componentwise violations of every constraint at `x`, `nonlinear` the
    /// caller's values of the nonlinear ones.
    fn violation(&self, x: &[f64], nonlinear: &[f64], out: &mut [f64]) {
        let mut k = 0;
        let mut nl = 0;
        for c in &self.constraints {
            let (lb, ub) = c.bounds();
            for i in 0..lb.len() {
                let v = match c {
                    Constraint::Nonlinear { .. } => {
                        nl += 1;
                        nonlinear[nl - 1]
                    }
                    Constraint::Linear { a, .. } => a[i * self.n..(i + 1) * self.n]
                        .iter()
                        .zip(x)
                        .map(|(a, x)| a * x)
                        .sum(),
                    Constraint::Bounds { .. } => x[i],
                };
                out[k] = excess(lb[i] - v) + excess(v - ub[i]);
                k += 1;
            }
        }
    }

    fn after_constraints(&mut self) {
        let rows = self.batch_candidates.len();
        let m = self.mcols;
        let mut cv = vec![0.0; rows * m];
        let empty: [f64; 0] = [];
        for r in 0..rows {
            let nl = if self.n_nonlinear > 0 {
                &self.batch_nonlinear[r * self.n_nonlinear..(r + 1) * self.n_nonlinear]
            } else {
                &empty[..]
            };
            self.violation(
                &self.batch_params[r * self.n..(r + 1) * self.n],
                nl,
                &mut cv[r * m..(r + 1) * m],
            );
        }
        // `~(sum > 0)`: a NaN violation counts as feasible, as in SciPy.
        self.batch_feasible = cv
            .chunks_exact(m)
            .map(|c| c.iter().sum::<f64>().partial_cmp(&0.0) != Some(std::cmp::Ordering::Greater))
            .collect();
        self.batch_cv = cv;
        self.ask_objective();
    }

    fn ask_objective(&mut self) {
        let mut rows: Vec<usize> = (0..self.batch_candidates.len())
            .filter(|&r| self.batch_feasible[r])
            .collect();
        if !matches!(self.context, Context::Immediate(_)) {
            // _calculate_population_energies stays within maxfun.
            if let Some(m) = self.maxfun {
                rows.truncate(m.saturating_sub(self.nfev));
            }
        }
        if rows.is_empty() {
            self.finish_batch();
            return;
        }
        self.request.clear();
        for &r in &rows {
            self.request
                .extend_from_slice(&self.batch_params[r * self.n..(r + 1) * self.n]);
        }
        self.request_rows = rows;
        self.pending = Some(Pending::Objective);
    }

    fn accept(&self, e_t: f64, f_t: bool, cv_t: &[f64], orig: usize) -> bool {
        let m = self.mcols;
        let (e_o, f_o, cv_o) = (
            self.energies[orig],
            self.feasible[orig],
            &self.cv[orig * m..(orig + 1) * m],
        );
        if f_o && f_t {
            e_t <= e_o
        } else if f_t && !f_o {
            true
        } else {
            !f_t && cv_t.iter().zip(cv_o).all(|(a, b)| a <= b)
        }
    }

    fn swap_members(&mut self, a: usize, b: usize) {
        if a == b {
            return;
        }
        let (n, m) = (self.n, self.mcols);
        for j in 0..n {
            self.population.swap(a * n + j, b * n + j);
        }
        for j in 0..m {
            self.cv.swap(a * m + j, b * m + j);
        }
        self.energies.swap(a, b);
        self.feasible.swap(a, b);
    }

    fn promote_lowest_energy(&mut self) {
        let feasible: Vec<usize> = (0..self.np).filter(|&i| self.feasible[i]).collect();
        let l = if !feasible.is_empty() {
            feasible[argmin(feasible.iter().map(|&i| self.energies[i]))]
        } else {
            argmin(
                self.cv
                    .chunks_exact(self.mcols)
                    .map(|c| c.iter().sum::<f64>()),
            )
        };
        self.swap_members(0, l);
    }

    fn set_member(&mut self, i: usize, r: usize) {
        let (n, m) = (self.n, self.mcols);
        self.population[i * n..(i + 1) * n].copy_from_slice(&self.batch[r * n..(r + 1) * n]);
        self.cv[i * m..(i + 1) * m].copy_from_slice(&self.batch_cv[r * m..(r + 1) * m]);
        self.energies[i] = self.batch_energy[r];
        self.feasible[i] = self.batch_feasible[r];
    }

    fn finish_batch(&mut self) {
        let m = self.mcols;
        match self.context {
            Context::Init => {
                self.energies.copy_from_slice(&self.batch_energy);
                self.feasible.copy_from_slice(&self.batch_feasible);
                self.cv.copy_from_slice(&self.batch_cv);
                self.promote_lowest_energy();
                self.stage = Stage::GenBegin;
            }
            Context::Immediate(c) => {
                let (e, f) = (self.batch_energy[0], self.batch_feasible[0]);
                let cv = self.batch_cv[..m].to_vec();
                if self.accept(e, f, &cv, c) {
                    self.set_member(c, 0);
                    if self.accept(e, f, &cv, 0) {
                        self.promote_lowest_energy();
                    }
                }
                self.stage = Stage::Candidate(c + 1);
            }
            Context::Deferred => {
                for c in 0..self.np {
                    let cv = &self.batch_cv[c * m..(c + 1) * m];
                    if self.accept(self.batch_energy[c], self.batch_feasible[c], cv, c) {
                        self.set_member(c, c);
                    }
                }
                self.promote_lowest_energy();
                self.stage = Stage::GenerationEnd;
                self.generation_reported = false;
            }
        }
    }

    // ---- results ---------------------------------------------------------

    fn result_with(&self, message: String, warning: bool, status: i32) -> DeOutcome {
        let x = self.polish_x.clone().unwrap_or_else(|| self.best_x());
        let mut success = !warning;
        let mut status = status;
        let mut message = message;
        let (constr, cv) = if self.constraints.is_empty() {
            (Vec::new(), None)
        } else {
            let row = &self.cv[..self.mcols];
            let mut k = 0;
            let constr: Vec<Vec<f64>> = self
                .constraints
                .iter()
                .map(|c| {
                    let v = row[k..k + c.len()].to_vec();
                    k += c.len();
                    v
                })
                .collect();
            let maxcv = row.iter().fold(f64::NEG_INFINITY, |a, &b| {
                if a.is_nan() || b.is_nan() {
                    f64::NAN
                } else {
                    a.max(b)
                }
            });
            if maxcv > 0.0 {
                success = false;
                if self.stage == Stage::Finished {
                    status = 4;
                    message = format!(
                        "The solution does not satisfy the constraints, MAXCV = {}",
                        py_float_repr(maxcv)
                    );
                }
            }
            (constr, Some(maxcv))
        };
        DeOutcome {
            result: OptimizeResult {
                x,
                fun: self.energies[0],
                jac: self.polish_jac.clone(),
                nfev: self.nfev,
                njev: 0,
                nit: self.nit,
                success,
                status,
                message,
            },
            population: self.population(),
            population_energies: self.energies.clone(),
            constr,
            constr_violation: cv,
        }
    }

    /// The state SciPy hands a callback (message "in progress").
    pub fn intermediate(&self) -> DeOutcome {
        self.result_with("in progress".into(), false, 0)
    }

    /// The result once [`Ask::Done`] (before that, as [`Self::intermediate`]).
    pub fn outcome(&self) -> DeOutcome {
        match self.finish {
            Some((msg, warning, status)) => self.result_with(msg.into(), warning, status),
            None => self.intermediate(),
        }
    }

    /// How to polish: `None` without `polish` or when every parameter is an
    /// integer, `"L-BFGS-B"` without constraints (as SciPy), and with them
    /// `"auglag"`, [`Self::polish_constrained`] (SciPy uses trust-constr).
    pub fn polish_method(&self) -> Option<&'static str> {
        if !self.polish || self.integrality.iter().all(|&b| b) {
            None
        } else if self.constraints.is_empty() {
            Some("L-BFGS-B")
        } else {
            Some("auglag")
        }
    }

    /// The polish under constraints: from the best member, within
    /// [`Self::polish_bounds`], subject to every constraint, by the
    /// augmented Lagrangian method ([`auglag`]). `nonlinear` evaluates the
    /// nonlinear constraints at a batch of points, as [`Ask::Constraints`].
    /// Hand the outcome to [`Self::accept_polish`] (see
    /// [`Self::polish_reply`]).
    pub fn polish_constrained<O: Objective>(
        &self,
        objective: &mut O,
        nonlinear: ConstraintBatchFn<'_, O::Error>,
    ) -> Result<ConstrainedMinimized, OptimizeError<O::Error>> {
        let (lo, hi) = self.polish_bounds();
        let bounds: Vec<(f64, f64)> = lo.into_iter().zip(hi).collect();
        let (mut cl, mut cu) = (Vec::new(), Vec::new());
        for c in &self.constraints {
            let (l, u) = c.bounds();
            cl.extend_from_slice(l);
            cu.extend_from_slice(u);
        }
        let mut problem = Polish {
            engine: self,
            objective,
            nonlinear,
            m: cl.len(),
            values: Vec::new(),
        };
        auglag::minimize(
            &mut problem,
            &self.best_x(),
            &bounds,
            &cl,
            &cu,
            &AugLagOptions::default(),
        )
    }

    /// The [`PolishReply`] for a [`Self::polish_constrained`] outcome.
    pub fn polish_reply(&self, r: ConstrainedMinimized) -> PolishReply {
        let mut nonlinear = Vec::with_capacity(self.n_nonlinear);
        let mut k = 0;
        for c in &self.constraints {
            if let Constraint::Nonlinear { .. } = c {
                nonlinear.extend_from_slice(&r.constr[k..k + c.len()]);
            }
            k += c.len();
        }
        PolishReply {
            x: r.result.x,
            fun: r.result.fun,
            success: r.result.success,
            nfev: r.result.nfev,
            jac: r.result.jac,
            constraint_values: Some(nonlinear),
        }
    }

    /// Bounds for the polish: the (integer-widened) limits, with integer
    /// parameters pinned to the best point's values.
    pub fn polish_bounds(&self) -> (Vec<f64>, Vec<f64>) {
        let x = self.best_x();
        let (mut lo, mut hi) = (self.lo.clone(), self.hi.clone());
        for j in 0..self.n {
            if self.integrality[j] {
                lo[j] = x[j];
                hi[j] = x[j];
            }
        }
        (lo, hi)
    }

    /// Takes a polish's result as SciPy does: its `nfev` always counts; the
    /// point replaces the best member only if it is lower, the polish
    /// succeeded and it lies within [`Self::polish_bounds`]. Returns whether
    /// it was taken.
    pub fn accept_polish(&mut self, reply: PolishReply) -> Result<bool, DeError> {
        self.nfev += reply.nfev;
        let (lo, hi) = self.polish_bounds();
        let inside = reply.x.len() == self.n
            && (0..self.n).all(|j| reply.x[j] <= hi[j] && lo[j] <= reply.x[j]);
        if !(reply.fun < self.energies[0] && reply.success && inside) {
            return Ok(false);
        }
        let mut cv = vec![0.0; self.mcols];
        if !self.constraints.is_empty() {
            let nl = reply.constraint_values.as_deref().unwrap_or(&[]);
            if nl.len() != self.n_nonlinear {
                return Err(DeError::ConstraintValuesLength {
                    got: nl.len(),
                    expected: self.n_nonlinear,
                });
            }
            self.violation(&reply.x, nl, &mut cv);
            // The caller's polish may ignore the constraints (SciPy polishes
            // with trust-constr, which honours them): keep a polished point
            // only when it is no more infeasible than the best member.
            let worst = |v: &[f64]| v.iter().fold(0.0_f64, |a, &b| a.max(b));
            if worst(&cv) > worst(&self.cv[..self.mcols]) {
                return Ok(false);
            }
        }
        for j in 0..self.n {
            self.population[j] = self.unscale1(j, reply.x[j]);
        }
        self.cv[..self.mcols].copy_from_slice(&cv);
        self.energies[0] = reply.fun;
        self.polish_jac = reply.jac;
        self.polish_x = Some(reply.x);
        Ok(true)
    }
}

/// The polish's view of the problem: the objective and every constraint's
/// components (nonlinear from the caller, linear and bounds here), in
/// configuration order.
struct Polish<'a, 'f, O: Objective> {
    engine: &'a DifferentialEvolution,
    objective: &'a mut O,
    nonlinear: ConstraintBatchFn<'f, O::Error>,
    m: usize,
    values: Vec<f64>,
}

impl<O: Objective> Constrained for Polish<'_, '_, O> {
    type Error = O::Error;
    fn dim(&self) -> usize {
        self.engine.n
    }
    fn n_constraints(&self) -> usize {
        self.m
    }
    fn eval_batch(&mut self, xs: &[f64], f: &mut [f64], c: &mut [f64]) -> Result<(), O::Error> {
        let (n, m, mn) = (self.engine.n, self.m, self.engine.n_nonlinear);
        let rows = f.len();
        if mn > 0 {
            self.values.clear();
            self.values.resize(rows * mn, 0.0);
            (self.nonlinear)(xs, &mut self.values)?;
        }
        self.objective.eval_batch(xs, f)?;
        for (r, x) in xs.chunks_exact(n).enumerate() {
            let (out, nl) = (
                &mut c[r * m..(r + 1) * m],
                &self.values[r * mn..(r + 1) * mn],
            );
            let (mut k, mut j) = (0, 0);
            for con in &self.engine.constraints {
                match con {
                    Constraint::Nonlinear { lb, .. } => {
                        out[k..k + lb.len()].copy_from_slice(&nl[j..j + lb.len()]);
                        j += lb.len();
                    }
                    Constraint::Linear { a, lb, .. } => {
                        for i in 0..lb.len() {
                            out[k + i] = a[i * n..(i + 1) * n]
                                .iter()
                                .zip(x)
                                .map(|(a, x)| a * x)
                                .sum();
                        }
                    }
                    Constraint::Bounds { .. } => out[k..k + n].copy_from_slice(x),
                }
                k += con.len();
            }
        }
        Ok(())
    }
}

fn mean_std(e: &[f64]) -> (f64, f64) {
    let n = e.len() as f64;
    let mean = e.iter().sum::<f64>() / n;
    let var = e.iter().map(|v| (v - mean) * (v - mean)).sum::<f64>() / n;
    (mean, var.sqrt())
}

/// Why [`run_native`] stopped early.
#[derive(Debug, Clone, PartialEq)]
pub enum RunError<E> {
    Config(DeError),
    Objective(E),
    Cancelled(Cancelled),
}

impl<E: std::fmt::Display> std::fmt::Display for RunError<E> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RunError::Config(e) => e.fmt(f),
            RunError::Objective(e) => e.fmt(f),
            RunError::Cancelled(e) => e.fmt(f),
        }
    }
}

impl<E: std::fmt::Debug + std::fmt::Display> std::error::Error for RunError<E> {}

/// Runs `engine` to the end against a native objective; `constraints` fills
/// the nonlinear constraints' values at one point (required when the config
/// has [`Constraint::Nonlinear`]). `cancel` is checked between requests.
/// No polish: see [`DifferentialEvolution::polish_method`].
pub fn drive<O: Objective>(
    engine: &mut DifferentialEvolution,
    objective: &mut O,
    mut constraints: Option<ConstraintFn<'_>>,
    cancel: &Cancel,
) -> Result<DeOutcome, RunError<O::Error>> {
    let n = engine.dim();
    let m = engine.n_nonlinear;
    let mut values = Vec::new();
    loop {
        cancel.check().map_err(RunError::Cancelled)?;
        match engine.ask() {
            Ask::Done => return Ok(engine.outcome()),
            Ask::Generation => {}
            Ask::Trials(_) => return Err(RunError::Config(DeError::StrategyFnMissing)),
            Ask::Objective(xs) => {
                values.clear();
                values.resize(xs.len() / n, 0.0);
                objective
                    .eval_batch(xs, &mut values)
                    .map_err(RunError::Objective)?;
                engine.tell(&values).map_err(RunError::Config)?;
            }
            Ask::Constraints(xs) => {
                let f = constraints.as_deref_mut().ok_or(RunError::Config(
                    DeError::ConstraintValuesLength {
                        got: 0,
                        expected: m,
                    },
                ))?;
                values.clear();
                values.resize(xs.len() / n * m, 0.0);
                for (x, out) in xs.chunks_exact(n).zip(values.chunks_exact_mut(m.max(1))) {
                    f(x, out);
                }
                engine.tell(&values).map_err(RunError::Config)?;
            }
        }
    }
}

/// Builds the engine from `config` and [`drive`]s it with no nonlinear
/// constraints.
pub fn run_native<O: Objective>(
    config: DeConfig,
    objective: &mut O,
    cancel: &Cancel,
) -> Result<DeOutcome, RunError<O::Error>> {
    let mut engine = DifferentialEvolution::new(config).map_err(RunError::Config)?;
    drive(&mut engine, objective, None, cancel)
}
