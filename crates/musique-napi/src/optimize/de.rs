//! scipy.optimize.differential_evolution: the ask/tell solver src/optimize.ts
//! drives, and the whole run of a native test function.

use std::str::FromStr;

use musique_core::{Cancel, Par};
use musique_optimize::de::{
    self, Ask, Constraint, DeConfig, DeError, DeOutcome, DifferentialEvolution, Init, Mutation,
    PolishReply, Strategy, Updating,
};
use musique_optimize::functions::{NativeObjective, Which};
use musique_optimize::qmc::{permutation_bytes, primes_bytes, try_n_primes};
use napi::bindgen_prelude::*;
use napi_derive::napi;

use super::{check_dims, check_work, opt_err, qmc_err, scoped, which, F64Vec, JsBatch};
use crate::runtime::{aborted, range_error, spawn, AbortToken};

fn de_err(e: DeError) -> Error {
    range_error(e.to_string())
}

/// One constraint, as the TypeScript layer normalised it.
#[napi(object)]
pub struct DeConstraint {
    /// 'nonlinear' (values come from `tell`), 'linear' (`a` m×n row-major) or 'bounds'.
    #[napi(ts_type = "'nonlinear' | 'linear' | 'bounds'")]
    pub kind: String,
    pub a: Option<Float64Array>,
    pub lb: Float64Array,
    pub ub: Float64Array,
}

/// differential_evolution's options, validated by src/optimize.ts.
#[napi(object)]
pub struct DeOptions {
    /// (lo, hi) per parameter, flattened.
    pub bounds: Float64Array,
    /// A SciPy strategy name, or 'custom' (trials come from `tell`).
    pub strategy: String,
    pub maxiter: f64,
    pub popsize: f64,
    pub tol: f64,
    pub atol: f64,
    /// One value (fixed) or two (dithering).
    pub mutation: Vec<f64>,
    pub recombination: f64,
    pub seed: f64,
    pub polish: bool,
    /// 'latinhypercube', 'sobol', 'halton', 'random' or 'array' (then `init_array`).
    #[napi(ts_type = "'latinhypercube' | 'sobol' | 'halton' | 'random' | 'array'")]
    pub init: String,
    pub init_array: Option<Float64Array>,
    #[napi(ts_type = "'immediate' | 'deferred'")]
    pub updating: String,
    pub x0: Option<Float64Array>,
    pub integrality: Option<Vec<bool>>,
    pub constraints: Vec<DeConstraint>,
    pub maxfun: Option<f64>,
}

impl TryFrom<DeOptions> for DeConfig {
    type Error = Error;
    fn try_from(o: DeOptions) -> Result<DeConfig> {
        let b = o.bounds.as_ref();
        let mut c = DeConfig::new(b.chunks_exact(2).map(|p| (p[0], p[1])).collect());
        c.strategy = if o.strategy == "custom" {
            Strategy::Custom
        } else {
            Strategy::from_str(&o.strategy).map_err(|_| de_err(DeError::Strategy))?
        };
        c.maxiter = o.maxiter as usize;
        c.popsize = o.popsize as usize;
        c.tol = o.tol;
        c.atol = o.atol;
        c.mutation = match o.mutation[..] {
            [m] => Mutation::Fixed(m),
            [lo, hi] => Mutation::Dither(lo, hi),
            _ => return Err(de_err(DeError::Mutation)),
        };
        c.recombination = o.recombination;
        c.seed = o.seed as u64;
        c.polish = o.polish;
        c.init = match o.init.as_str() {
            "array" => Init::Array(
                o.init_array
                    .as_ref()
                    .map(|a| a.to_vec())
                    .unwrap_or_default(),
            ),
            s => Init::from_str(s).map_err(|_| de_err(DeError::Init))?,
        };
        c.updating = Updating::from_str(&o.updating)
            .map_err(|_| de_err(DeError::Updating(o.updating.clone())))?;
        c.x0 = o.x0.as_ref().map(|x| x.to_vec());
        c.integrality = o.integrality;
        c.constraints = o
            .constraints
            .iter()
            .map(|k| {
                let (lb, ub) = (k.lb.to_vec(), k.ub.to_vec());
                Ok(match k.kind.as_str() {
                    "nonlinear" => Constraint::Nonlinear { lb, ub },
                    "linear" => Constraint::Linear {
                        a: k.a.as_ref().map(|a| a.to_vec()).unwrap_or_default(),
                        lb,
                        ub,
                    },
                    "bounds" => Constraint::Bounds { lb, ub },
                    other => return Err(range_error(format!("unknown constraint kind '{other}'"))),
                })
            })
            .collect::<Result<_>>()?;
        c.maxfun = o.maxfun.map(|m| m as usize);
        if matches!(c.init, Init::Halton) {
            // Scrambled Halton permutations hold about 3p values per prime base p: 13 GB for 11,000 parameters.
            let d = c.bounds.len();
            check_work(
                primes_bytes(d),
                "the Halton bases of differentialEvolution's init",
            )?;
            let bases = try_n_primes(d).map_err(qmc_err)?;
            check_work(
                permutation_bytes(&bases),
                "the Halton permutations of differentialEvolution's init",
            )?;
        }
        Ok(c)
    }
}

/// What the engine asks next: `kind` 'objective' | 'constraints' (points in `points`, rows of dim values),
/// 'trials' (candidate indices in `indices`), 'generation' (callback point) or 'done'.
#[napi(object, object_from_js = false)]
pub struct DeAsk {
    #[napi(ts_type = "'objective' | 'constraints' | 'trials' | 'generation' | 'done'")]
    pub kind: String,
    pub points: Option<F64Vec>,
    pub indices: Option<Vec<u32>>,
}

/// A result or intermediate result, as SciPy's OptimizeResult.
#[napi(object, object_from_js = false)]
pub struct DeResult {
    pub x: F64Vec,
    pub fun: f64,
    pub jac: Option<F64Vec>,
    pub nfev: u32,
    pub nit: u32,
    pub success: bool,
    pub status: i32,
    pub message: String,
    pub population: F64Vec,
    pub population_energies: F64Vec,
    /// Violation of each constraint's components at x, concatenated; `constr_lengths` splits them.
    pub constr: Option<F64Vec>,
    pub constr_lengths: Option<Vec<u32>>,
    pub constr_violation: Option<f64>,
    /// The convergence measure: std(E) / |mean(E)| (SciPy's `convergence` of the callback).
    pub convergence: f64,
}

fn de_result(o: DeOutcome, convergence: f64) -> DeResult {
    let lengths: Vec<u32> = o.constr.iter().map(|c| c.len() as u32).collect();
    let flat: Vec<f64> = o.constr.into_iter().flatten().collect();
    let has = o.constr_violation.is_some();
    DeResult {
        x: F64Vec(o.result.x),
        fun: o.result.fun,
        jac: o.result.jac.map(F64Vec),
        nfev: o.result.nfev as u32,
        nit: o.result.nit as u32,
        success: o.result.success,
        status: o.result.status,
        message: o.result.message,
        population: F64Vec(o.population),
        population_energies: F64Vec(o.population_energies),
        constr: has.then_some(F64Vec(flat)),
        constr_lengths: has.then_some(lengths),
        constr_violation: o.constr_violation,
        convergence,
    }
}

/// A polish's outcome, for `acceptPolish`.
#[napi(object)]
pub struct DePolish {
    pub x: Float64Array,
    pub fun: f64,
    pub success: bool,
    pub nfev: u32,
    pub jac: Option<Float64Array>,
    pub constraint_values: Option<Float64Array>,
}

/// scipy.optimize.differential_evolution's solver, driven by src/optimize.ts
/// one `ask`/`tell` at a time, so the objective can run anywhere (this
/// thread, worker_threads, a map-like function) and the Promise form can
/// await between generations.
#[napi]
pub struct DeSolver {
    engine: DifferentialEvolution,
}

#[napi]
impl DeSolver {
    #[napi(constructor, catch_unwind)]
    pub fn new(options: DeOptions) -> Result<Self> {
        Ok(DeSolver {
            engine: DifferentialEvolution::new(DeConfig::try_from(options)?).map_err(de_err)?,
        })
    }

    #[napi(getter, catch_unwind)]
    pub fn dim(&self) -> u32 {
        self.engine.dim() as u32
    }

    #[napi(catch_unwind)]
    pub fn ask(&mut self) -> DeAsk {
        match self.engine.ask() {
            Ask::Objective(p) => DeAsk {
                kind: "objective".into(),
                points: Some(F64Vec(p.to_vec())),
                indices: None,
            },
            Ask::Constraints(p) => DeAsk {
                kind: "constraints".into(),
                points: Some(F64Vec(p.to_vec())),
                indices: None,
            },
            Ask::Trials(i) => DeAsk {
                kind: "trials".into(),
                points: None,
                indices: Some(i.iter().map(|&k| k as u32).collect()),
            },
            Ask::Generation => DeAsk {
                kind: "generation".into(),
                points: None,
                indices: None,
            },
            Ask::Done => DeAsk {
                kind: "done".into(),
                points: None,
                indices: None,
            },
        }
    }

    #[napi(catch_unwind)]
    pub fn tell(&mut self, values: Float64ArraySlice) -> Result<()> {
        self.engine.tell(&values).map_err(de_err)
    }

    /// Ends the run at the next ask with SciPy's callback message.
    #[napi(catch_unwind)]
    pub fn request_stop(&mut self) {
        self.engine.request_stop();
    }

    /// The population in parameter space (S×N), for a user strategy.
    #[napi(catch_unwind)]
    pub fn population(&self) -> F64Vec {
        F64Vec(self.engine.population())
    }

    /// A uniform draw from the engine's own stream (user strategies get their randomness here, so a seed fixes the run).
    #[napi(catch_unwind)]
    pub fn uniform(&mut self, n: u32) -> F64Vec {
        let rng = self.engine.rng_mut();
        F64Vec((0..n).map(|_| rng.uniform()).collect())
    }

    #[napi(catch_unwind)]
    pub fn intermediate(&self) -> DeResult {
        de_result(self.engine.intermediate(), self.engine.convergence())
    }

    #[napi(catch_unwind)]
    pub fn outcome(&self) -> DeResult {
        de_result(self.engine.outcome(), self.engine.convergence())
    }

    /// 'L-BFGS-B', 'auglag' (constraints: `polishConstrained`) or null (no polish).
    #[napi(catch_unwind)]
    pub fn polish_method(&self) -> Option<String> {
        self.engine.polish_method().map(str::to_owned)
    }

    /// Bounds for the polish: lo then hi, flattened.
    #[napi(catch_unwind)]
    pub fn polish_bounds(&self) -> Float64Array {
        let (lo, hi) = self.engine.polish_bounds();
        Float64Array::new(lo.into_iter().chain(hi).collect())
    }

    /// The polish under constraints (augmented Lagrangian from the best
    /// member), then SciPy's rule for keeping it; true when kept.
    /// `evaluate(points)` gives f at a batch of rows, `constraints(points)`
    /// every nonlinear constraint's components at each row, flattened.
    #[napi(catch_unwind)]
    pub fn polish_constrained(
        &mut self,
        env: Env,
        evaluate: Function<F64Vec, Float64Array>,
        constraints: Function<F64Vec, Float64Array>,
    ) -> Result<bool> {
        let n = self.engine.dim();
        let raw = env.raw();
        let mut objective = JsBatch {
            f: &evaluate,
            dim: n,
            env: raw,
        };
        let mut nonlinear = |xs: &[f64], out: &mut [f64]| -> Result<()> {
            scoped(raw, || {
                let v = constraints.call(F64Vec(xs.to_vec()))?;
                if v.len() != out.len() {
                    return Err(range_error(format!(
                        "the constraints gave {} values for {} points; expected {}",
                        v.len(),
                        xs.len() / n,
                        out.len()
                    )));
                }
                out.copy_from_slice(&v);
                Ok(())
            })
        };
        let r = self
            .engine
            .polish_constrained(&mut objective, &mut nonlinear)
            .map_err(|e| opt_err(&env, e))?;
        let reply = self.engine.polish_reply(r);
        self.engine.accept_polish(reply).map_err(de_err)
    }

    /// Applies SciPy's rule for keeping a polished point; true when kept.
    #[napi(catch_unwind)]
    pub fn accept_polish(&mut self, reply: DePolish) -> Result<bool> {
        self.engine
            .accept_polish(PolishReply {
                x: reply.x.to_vec(),
                fun: reply.fun,
                success: reply.success,
                nfev: reply.nfev as usize,
                jac: reply.jac.map(|j| j.to_vec()),
                constraint_values: reply.constraint_values.map(|c| c.to_vec()),
            })
            .map_err(de_err)
    }
}

fn native_run(
    config: DeConfig,
    which: Which,
    threads: u32,
    cancel: &Cancel,
) -> Result<(DeOutcome, f64)> {
    let mut engine = DifferentialEvolution::new(config).map_err(de_err)?;
    check_dims(which, engine.dim())?;
    let mut objective = NativeObjective {
        which,
        dim: engine.dim(),
        par: Par::new(threads as usize),
    };
    match de::drive(&mut engine, &mut objective, None, cancel) {
        Ok(outcome) => Ok((outcome, engine.convergence())),
        Err(de::RunError::Config(e)) => Err(de_err(e)),
        Err(de::RunError::Cancelled(_)) => Err(aborted()),
        Err(de::RunError::Objective(never)) => match never {},
    }
}

/// The whole run of a native test function in Rust, its batches on `threads` threads. No polish (the caller polishes).
#[napi(catch_unwind)]
pub fn de_run_native(options: DeOptions, name: String, threads: u32) -> Result<DeResult> {
    let (o, c) = native_run(
        DeConfig::try_from(options)?,
        which(&name)?,
        threads,
        &Cancel::never(),
    )?;
    Ok(de_result(o, c))
}

/// The same off the JS thread on Musique's pool; `token` stops it between batches.
#[napi(catch_unwind, ts_return_type = "Promise<DeResult>")]
pub fn de_run_native_async<'env>(
    env: &'env Env,
    options: DeOptions,
    name: String,
    threads: u32,
    token: Option<&AbortToken>,
) -> Result<Object<'env>> {
    let cancel = token.map(|t| t.inner.clone()).unwrap_or_default();
    let started = token.map(|t| t.started.clone());
    // Converted on the JS thread: only owned Rust data moves to the pool.
    let config = DeConfig::try_from(options)?;
    let which = which(&name)?;
    spawn(env, threads as usize, started, move || {
        let (o, c) = native_run(config, which, threads, &cancel)?;
        Ok(de_result(o, c))
    })
}
