//! optimize bindings, driven from TypeScript (src/optimize.ts). One file
//! per seam: `qmc` (scipy.stats.qmc's engines), `de` (differential_evolution),
//! `minimize` (minimize, approx_fprime) and `scalar` (minimize_scalar,
//! root_scalar), each turning its options into the core crate's with a
//! `TryFrom`. What they share lives here: the JS-owned result array, the
//! handle scope around calls into JS, the batch objective, Musique's native
//! test functions and the error helpers.

mod de;
mod minimize;
mod qmc;
mod scalar;

pub use de::*;
pub use minimize::*;
pub use qmc::*;
pub use scalar::*;

use std::str::FromStr;

use musique_core::Par;
use musique_optimize::functions::{NativeObjective, Which};
use musique_optimize::local::OptimizeError;
use musique_optimize::qmc::QmcError;
use musique_optimize::Objective;
use napi::bindgen_prelude::*;
use napi_derive::napi;

use crate::runtime::{alloc_error, available_memory, range_error, vec_to_js};

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
