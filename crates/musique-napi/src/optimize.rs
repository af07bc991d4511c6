//! optimize bindings: the qmc samplers, Musique's native test functions, and
//! the differential-evolution engine driven from TypeScript (src/optimize.ts).

use std::str::FromStr;

use musique_core::Par;
use musique_optimize::functions::{NativeObjective, Which};
use musique_optimize::qmc::{
    permutation_bytes, primes_bytes, try_n_primes, Halton, LatinHypercube, QmcError, Rng, Sobol,
};
use musique_optimize::Objective;
use napi::bindgen_prelude::*;
use napi_derive::napi;

use crate::runtime::{alloc_error, available_memory, check_memory, range_error, vec_to_js};

/// A Float64Array for JS whose memory, when small, V8 owns (runtime.rs's
/// `vec_to_js`): the GC frees it at once. `Float64Array::new` hands JS a
/// buffer whose finalizer waits for the event loop, so a synchronous solve
/// (DE's generations driven from JS, minimize's calls into JS) piled up
/// about 600 bytes per array until it returned.
pub struct F64Vec(pub Vec<f64>);

impl TypeName for F64Vec {
    fn type_name() -> &'static str {
        "Float64Array"
    }
    fn value_type() -> ValueType {
        ValueType::Object
    }
}

impl ToNapiValue for F64Vec {
    unsafe fn to_napi_value(env: napi::sys::napi_env, val: Self) -> Result<napi::sys::napi_value> {
        let env = Env::from_raw(env);
        let v = vec_to_js(&env, val.0)?;
        Ok(napi::JsValue::raw(&v))
    }
}

/// Runs `f`, which calls into JS, in its own handle scope: a native loop
/// calling JS many times (minimize's iterations) frees each call's handles
/// when the call is done, not when the whole solve returns (Nelder-Mead on
/// a 50-D objective reached 3.4 GB).
fn scoped<T>(env: napi::sys::napi_env, f: impl FnOnce() -> Result<T>) -> Result<T> {
    let mut scope = std::ptr::null_mut();
    // SAFETY: plain Node-API calls on the JS thread; values made inside the
    // scope are not used after it closes (results are copied out by `f`).
    let opened =
        unsafe { napi::sys::napi_open_handle_scope(env, &mut scope) } == napi::sys::Status::napi_ok;
    let r = f();
    if opened {
        unsafe { napi::sys::napi_close_handle_scope(env, scope) };
    }
    r
}

fn qmc_err(e: QmcError) -> Error {
    range_error(e.to_string())
}

fn which(name: &str) -> Result<Which> {
    Which::from_str(name).map_err(range_error)
}

/// `which` at points of `dim` values: a function of fixed dimension
/// (eggholder) refuses others instead of indexing past them.
fn check_dims(which: Which, dim: usize) -> Result<()> {
    match which.dims() {
        Some(d) if d != dim => Err(range_error(format!(
            "{} is defined in {d} dimensions; got points of {dim} values",
            which.name()
        ))),
        _ => Ok(()),
    }
}

/// Refuses `bytes` of working memory for `what` that this process cannot have
/// (runtime.rs's measure): a RangeError naming the size, never an abort.
fn check_work(bytes: u128, what: &str) -> Result<()> {
    if bytes >= 64 << 20 && available_memory().is_some_and(|a| bytes > a) {
        return Err(alloc_error(bytes, what));
    }
    if usize::try_from(bytes).is_err() {
        return Err(alloc_error(bytes, what));
    }
    Ok(())
}

enum Sampler {
    Sobol(Sobol),
    Halton(Halton),
    Lhs(LatinHypercube),
}

/// One scipy.stats.qmc sampler (Sobol, Halton or LatinHypercube), stateful
/// as SciPy's: each `random(n)` continues the sequence.
#[napi]
pub struct QmcEngine {
    inner: Sampler,
}

#[napi]
impl QmcEngine {
    /// `kind`: 'sobol', 'halton' or 'lhs'; `seed` an integer below 2^53 (the TypeScript layer draws one when none is given).
    #[napi(constructor, catch_unwind)]
    pub fn new(kind: String, d: u32, scramble: bool, seed: f64, bits: Option<u32>) -> Result<Self> {
        let mut rng = Rng::new(seed as u64);
        let d = d as usize;
        let inner = match kind.as_str() {
            "sobol" => {
                Sampler::Sobol(Sobol::new(d, bits, scramble.then_some(&mut rng)).map_err(qmc_err)?)
            }
            "halton" => {
                check_work(primes_bytes(d), "the Halton bases (the first d primes)")?;
                let bases = try_n_primes(d).map_err(qmc_err)?;
                if scramble {
                    check_work(
                        permutation_bytes(&bases),
                        "the Halton scrambling permutations",
                    )?;
                }
                Sampler::Halton(
                    Halton::with_bases(bases, scramble.then_some(&mut rng)).map_err(qmc_err)?,
                )
            }
            "lhs" => Sampler::Lhs(LatinHypercube::new(d, scramble, rng)),
            other => return Err(range_error(format!("unknown qmc engine '{other}'"))),
        };
        Ok(QmcEngine { inner })
    }

    /// `n` points, n×d row-major, in [0, 1).
    #[napi(catch_unwind)]
    pub fn random(&mut self, n: u32) -> Result<Float64Array> {
        let (d, work, what) = match &self.inner {
            // Past 2**bits points, SciPy's own error comes first.
            Sampler::Sobol(s) if !sobol_fits(s, n as u128) => (0, 0, "Sobol.random"),
            Sampler::Sobol(s) => (s.d(), 0, "Sobol.random"),
            Sampler::Halton(s) => (s.d(), 0, "Halton.random"),
            Sampler::Lhs(s) => (s.d(), s.work_bytes(n as usize), "LatinHypercube.random"),
        };
        check_memory(n as u128 * d as u128, 8, work, what)?;
        let v = match &mut self.inner {
            Sampler::Sobol(s) => s.random(n as usize),
            Sampler::Halton(s) => s.random(n as usize),
            Sampler::Lhs(s) => s.random(n as usize),
        }
        .map_err(qmc_err)?;
        Ok(Float64Array::new(v))
    }

    /// Sobol only: 2^m points.
    #[napi(catch_unwind)]
    pub fn random_base2(&mut self, m: u32) -> Result<Float64Array> {
        match &mut self.inner {
            Sampler::Sobol(s) => {
                if m < 64 && sobol_fits(s, 1u128 << m) {
                    check_memory((1u128 << m) * s.d() as u128, 8, 0, "Sobol.randomBase2")?;
                }
                Ok(Float64Array::new(s.random_base2(m).map_err(qmc_err)?))
            }
            _ => Err(range_error("randomBase2 is a Sobol method")),
        }
    }

    /// Whether drawing `n` points now keeps Sobol's balance properties (n a power of two from the start).
    #[napi(catch_unwind)]
    pub fn is_balanced(&self, n: u32) -> bool {
        match &self.inner {
            Sampler::Sobol(s) => s.is_balanced(n as usize),
            _ => true,
        }
    }

    #[napi(catch_unwind)]
    pub fn reset(&mut self) {
        match &mut self.inner {
            Sampler::Sobol(s) => s.reset(),
            Sampler::Halton(s) => s.reset(),
            Sampler::Lhs(s) => s.reset(),
        }
    }

    #[napi(catch_unwind)]
    pub fn fast_forward(&mut self, n: f64) -> Result<()> {
        match &mut self.inner {
            Sampler::Sobol(s) => s.fast_forward(n as u64).map_err(qmc_err)?,
            Sampler::Halton(s) => s.fast_forward(n as u64).map_err(qmc_err)?,
            Sampler::Lhs(s) => {
                // SciPy's LatinHypercube draws fresh points each call: skipping is drawing and discarding.
                let n = n as u64;
                check_memory(
                    n as u128 * s.d() as u128,
                    8,
                    s.work_bytes(n as usize),
                    "LatinHypercube.fastForward",
                )?;
                let _ = self.random(n as u32)?;
            }
        }
        Ok(())
    }
}

/// Whether `n` more points stay within the `2**bits` a Sobol' engine can draw.
fn sobol_fits(s: &Sobol, n: u128) -> bool {
    s.num_generated() as u128 + n <= 1u128 << s.bits()
}

/// One of Musique's test functions (scipy.optimize's definitions) at one point.
#[napi(catch_unwind)]
pub fn optimize_test_function(name: String, x: Float64ArraySlice) -> Result<f64> {
    let which = which(&name)?;
    check_dims(which, x.len())?;
    Ok(which.function()(&x))
}

/// A test function at each of `count` points (rows of `xs`), split over `threads` threads when large.
#[napi(catch_unwind)]
pub fn optimize_test_function_batch(
    name: String,
    xs: Float64ArraySlice,
    dim: u32,
    threads: u32,
) -> Result<F64Vec> {
    let dim = dim as usize;
    if dim == 0 || !xs.len().is_multiple_of(dim) {
        return Err(range_error("xs must hold whole points of dim values"));
    }
    let which = which(&name)?;
    check_dims(which, dim)?;
    let mut objective = NativeObjective {
        which,
        dim,
        par: Par::new(threads as usize),
    };
    let mut out = vec![0.0; xs.len() / dim];
    let Ok(()) = objective.eval_batch(&xs, &mut out);
    Ok(F64Vec(out))
}

// ---------------------------------------------------------------- differential evolution

use musique_core::Cancel;
use musique_optimize::de::{
    self, Ask, Constraint, DeConfig, DeError, DeOutcome, DifferentialEvolution, Init, Mutation,
    PolishReply, Strategy, Updating,
};

use crate::runtime::{aborted, spawn, AbortToken};

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

impl TryFrom<&DeOptions> for DeConfig {
    type Error = Error;
    fn try_from(o: &DeOptions) -> Result<DeConfig> {
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
        c.integrality = o.integrality.clone();
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
            engine: DifferentialEvolution::new(DeConfig::try_from(&options)?).map_err(de_err)?,
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
        DeConfig::try_from(&options)?,
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
    let config = DeConfig::try_from(&options)?;
    let which = which(&name)?;
    spawn(env, threads as usize, started, move || {
        let (o, c) = native_run(config, which, threads, &cancel)?;
        Ok(de_result(o, c))
    })
}

// ---------------------------------------------------------------- local minimizers, scalar methods

use std::ops::ControlFlow;

use musique_optimize::local::{self, FiniteDiff, Method, OptimizeError};
use musique_optimize::scalar::{
    self, BoundedOptions, BracketSpec, BrentOptions, GoldenOptions, RootMethod, RootOptions,
    ScalarMethod,
};

/// The objective as the TypeScript layer hands it over: `(points) => values`
/// for a batch of rows (it runs them on this thread, worker_threads or a
/// map-like function), called synchronously on the JS thread.
struct JsBatch<'f, 'env> {
    f: &'f Function<'env, F64Vec, Float64Array>,
    dim: usize,
    env: napi::sys::napi_env,
}

impl Objective for JsBatch<'_, '_> {
    type Error = Error;
    fn dim(&self) -> usize {
        self.dim
    }
    fn eval_batch(&mut self, xs: &[f64], out: &mut [f64]) -> Result<()> {
        scoped(self.env, || {
            let values = self.f.call(F64Vec(xs.to_vec()))?;
            if values.len() != out.len() {
                return Err(range_error(format!(
                    "the objective gave {} values for {} points",
                    values.len(),
                    out.len()
                )));
            }
            out.copy_from_slice(&values);
            Ok(())
        })
    }
}

/// `code` of the RangeError for SciPy's `ValueError` from an optimizer: a
/// combination of arguments only the run can judge (f(a) and f(b) of one
/// sign, a bracket whose middle value is not the lowest, c1 ≥ c2).
const OPTIMIZE_VALUE_ERROR_CODE: &str = "ERR_INVALID_ARG_VALUE";
/// `code` of the Error for SciPy's `RuntimeError` from an optimizer: it gave
/// up within its iteration limit (no bracket found).
const OPTIMIZE_RUNTIME_ERROR_CODE: &str = "ERR_NO_CONVERGENCE";

/// The JS error for an optimizer's failure, built here with its class and
/// `code` (src/internal/errors.ts's `fromNative` passes it on as it is); the
/// objective's own error goes back unchanged.
fn opt_err(env: &Env, e: OptimizeError<Error>) -> Error {
    let js = match e {
        OptimizeError::Objective(e) => return e,
        OptimizeError::Value(m) => {
            JsRangeError::from(Error::new(OPTIMIZE_VALUE_ERROR_CODE, m)).into_unknown(*env)
        }
        OptimizeError::Runtime(m) => {
            JsError::from(Error::new(OPTIMIZE_RUNTIME_ERROR_CODE, m)).into_unknown(*env)
        }
    };
    // An Error holding a reference to the object just built: napi throws that object.
    Error::from(js)
}

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

fn method(o: &MinimizeOptions, n: usize) -> Result<Method> {
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
    let m = method(&options, n)?;
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

/// scipy.optimize.minimize_scalar with `f(x)` called on the JS thread.
#[napi(catch_unwind)]
pub fn minimize_scalar_execute(
    env: Env,
    f: Function<f64, f64>,
    options: ScalarOptions,
) -> Result<ScalarResult> {
    let bracket = match options.bracket.as_deref() {
        None => None,
        Some([a, b]) => Some(BracketSpec::Two(*a, *b)),
        Some([a, b, c]) => Some(BracketSpec::Three(*a, *b, *c)),
        Some(_) => return Err(range_error("bracket must have 2 or 3 values")),
    };
    let m = match options.method.to_ascii_lowercase().as_str() {
        "brent" => {
            let d = BrentOptions::default();
            ScalarMethod::Brent(BrentOptions {
                bracket,
                xtol: options.xtol.unwrap_or(d.xtol),
                maxiter: options.maxiter.map_or(d.maxiter, |m| m as usize),
            })
        }
        "golden" => {
            let d = GoldenOptions::default();
            ScalarMethod::Golden(GoldenOptions {
                bracket,
                xtol: options.xtol.unwrap_or(d.xtol),
                maxiter: options.maxiter.map_or(d.maxiter, |m| m as usize),
            })
        }
        "bounded" => {
            let Some([lo, hi]) = options.bounds.as_deref() else {
                return Err(range_error(
                    "The `bounds` parameter is mandatory for method `bounded`.",
                ));
            };
            let mut b = BoundedOptions::new(*lo, *hi);
            b.xatol = options.xatol.unwrap_or(b.xatol);
            b.maxiter = options.maxiter.map_or(b.maxiter, |m| m as usize);
            ScalarMethod::Bounded(b)
        }
        other => return Err(range_error(format!("Unknown solver {other}"))),
    };
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

/// scipy.optimize.root_scalar with `f` (and `fprime`) called on the JS thread.
#[napi(catch_unwind)]
pub fn root_scalar_execute(
    env: Env,
    f: Function<f64, f64>,
    fprime: Option<Function<f64, f64>>,
    options: RootScalarOptions,
) -> Result<RootResultJs> {
    let bracket = || match options.bracket.as_deref() {
        Some([a, b]) => Ok((*a, *b)),
        _ => Err(range_error("bracket must be [a, b] for this method")),
    };
    let m = match options.method.as_str() {
        "brentq" => RootMethod::Brentq {
            bracket: bracket()?,
        },
        "bisect" => RootMethod::Bisect {
            bracket: bracket()?,
        },
        "newton" => RootMethod::Newton {
            x0: options
                .x0
                .ok_or_else(|| range_error("x0 is required for method 'newton'"))?,
        },
        "secant" => RootMethod::Secant {
            x0: options
                .x0
                .ok_or_else(|| range_error("x0 is required for method 'secant'"))?,
            x1: options.x1,
        },
        other => return Err(range_error(format!("Unknown solver {other}"))),
    };
    let o = RootOptions {
        xtol: options.xtol,
        rtol: options.rtol,
        maxiter: options.maxiter.map(|m| m as usize),
    };
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
