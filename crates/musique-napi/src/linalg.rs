//! linalg bindings: one request object, one sync and one async entry point.
//! The TypeScript layer (src/linalg.ts) validates shapes and options and
//! resolves the thread count; this converts, calls musique-linalg, converts.

use musique_core::Par;
use musique_linalg::{
    self as core, Assume, Backend, LinalgError, MatRef, MatrixOrd, Op, Output, QrMode, Real,
};
use napi::bindgen_prelude::*;
use napi_derive::napi;

use crate::runtime::{aborted, range_error, spawn, vec_to_js, AbortToken, Element};

/// One linalg operation and its options, as the TypeScript layer normalised them.
#[napi(object)]
pub struct LinalgRequest {
    /// The scipy.linalg function: 'solve', 'solveTriangular', 'inv', 'det', 'slogdet', 'lstsq', 'pinv',
    /// 'matrixNorm', 'vectorNorm', 'matmul', 'lu', 'luFactor', 'luSolve', 'qr', 'cholesky', 'choSolve',
    /// 'svd', 'eig', 'eigh', 'expm', 'cond', 'matrixRank'.
    pub op: String,
    /// Threads to run on (≥ 1), resolved from the threadpool limits.
    pub threads: u32,
    pub assume: Option<String>,
    pub lower: Option<bool>,
    pub transposed: Option<bool>,
    pub trans: Option<u32>,
    pub unit_diagonal: Option<bool>,
    pub cond: Option<f64>,
    pub atol: Option<f64>,
    pub rtol: Option<f64>,
    pub tol: Option<f64>,
    /// Matrix norm: 'fro', 'nuc', '1', '-1', 'inf', '-inf', '2', '-2'.
    pub matrix_ord: Option<String>,
    /// Vector norm order (Infinity, -Infinity, 0, p).
    pub vector_ord: Option<f64>,
    pub axis: Option<u32>,
    pub transpose: Option<bool>,
    pub permute_l: Option<bool>,
    pub p_indices: Option<bool>,
    pub mode: Option<String>,
    /// With 'qr': QR with column pivoting (SciPy's `pivoting=True`).
    pub pivoting: Option<bool>,
    pub full_matrices: Option<bool>,
    pub compute_uv: Option<bool>,
    pub vectors: Option<bool>,
    pub subset: Option<Vec<u32>>,
}

fn matrix_ord(s: Option<&str>) -> Result<MatrixOrd> {
    Ok(match s.unwrap_or("fro") {
        "fro" => MatrixOrd::Fro,
        "nuc" => MatrixOrd::Nuc,
        "1" => MatrixOrd::One,
        "-1" => MatrixOrd::NegOne,
        "inf" => MatrixOrd::Inf,
        "-inf" => MatrixOrd::NegInf,
        "2" => MatrixOrd::Two,
        "-2" => MatrixOrd::NegTwo,
        other => {
            return Err(range_error(format!(
                "malformed linalg request: matrix norm '{other}'"
            )))
        }
    })
}

impl TryFrom<&LinalgRequest> for Op {
    type Error = Error;
    fn try_from(r: &LinalgRequest) -> Result<Op> {
        let lower = r.lower.unwrap_or(false);
        let trans = u8::try_from(r.trans.unwrap_or(0)).unwrap_or(0);
        Ok(match r.op.as_str() {
            "solve" => Op::Solve {
                assume: match r.assume.as_deref().unwrap_or("gen") {
                    "gen" => Assume::Gen,
                    "sym" => Assume::Sym,
                    "pos" => Assume::Pos,
                    other => {
                        return Err(range_error(format!(
                            "malformed linalg request: assume '{other}'"
                        )))
                    }
                },
                lower,
                transposed: r.transposed.unwrap_or(false),
            },
            "solveTriangular" => Op::SolveTriangular {
                lower,
                trans,
                unit_diagonal: r.unit_diagonal.unwrap_or(false),
            },
            "inv" => Op::Inv,
            "det" => Op::Det,
            "slogdet" => Op::Slogdet,
            "lstsq" => Op::Lstsq { cond: r.cond },
            "pinv" => Op::Pinv {
                atol: r.atol,
                rtol: r.rtol,
            },
            "matrixNorm" => Op::MatrixNorm {
                ord: matrix_ord(r.matrix_ord.as_deref())?,
                transpose: r.transpose.unwrap_or(false),
            },
            "vectorNorm" => Op::VectorNorm {
                ord: r.vector_ord.unwrap_or(2.0),
                axis: r.axis.map(|a| a as usize),
            },
            "matmul" => Op::Matmul,
            "lu" => Op::Lu {
                permute_l: r.permute_l.unwrap_or(false),
                p_indices: r.p_indices.unwrap_or(false),
            },
            "luFactor" => Op::LuFactor,
            "luSolve" => Op::LuSolve { trans },
            "qr" => {
                let mode = match r.mode.as_deref().unwrap_or("full") {
                    "full" => QrMode::Full,
                    "economic" => QrMode::Economic,
                    "r" => QrMode::R,
                    other => {
                        return Err(range_error(format!(
                            "malformed linalg request: mode '{other}'"
                        )))
                    }
                };
                if r.pivoting.unwrap_or(false) {
                    Op::QrPivoting { mode }
                } else {
                    Op::Qr { mode }
                }
            }
            "cholesky" => Op::Cholesky { lower },
            "choSolve" => Op::ChoSolve { lower },
            "svd" => Op::Svd {
                full_matrices: r.full_matrices.unwrap_or(true),
                compute_uv: r.compute_uv.unwrap_or(true),
            },
            "eig" => Op::Eig {
                right: r.vectors.unwrap_or(true),
            },
            "eigh" => Op::Eigh {
                lower: r.lower.unwrap_or(true),
                vectors: r.vectors.unwrap_or(true),
                subset: match r.subset.as_deref() {
                    None => None,
                    Some([lo, hi]) => Some((*lo as usize, *hi as usize)),
                    Some(_) => return Err(range_error("malformed linalg request: subset")),
                },
            },
            "expm" => Op::Expm,
            "cond" => Op::Cond {
                p: match r.matrix_ord.as_deref() {
                    None => None,
                    Some(s) => Some(matrix_ord(Some(s))?),
                },
            },
            "matrixRank" => Op::MatrixRank { tol: r.tol },
            other => {
                return Err(range_error(format!(
                    "malformed linalg request: op '{other}'"
                )))
            }
        })
    }
}

/// The JS error for a numerical failure, built on the JS thread: an Error
/// whose `name` is 'LinAlgError' and whose `code` says which failure
/// ('ERR_SINGULAR_MATRIX', 'ERR_NOT_POSITIVE_DEFINITE', 'ERR_NO_CONVERGENCE');
/// `fromNative` (src/internal/errors.ts) reads the two and makes the class.
/// A malformed request ([`LinalgError::Invalid`]) is a plain RangeError.
fn linalg_error(env: &Env, e: LinalgError) -> Error {
    let code = match e {
        LinalgError::Singular { .. } => "ERR_SINGULAR_MATRIX",
        LinalgError::NotPositiveDefinite { .. } => "ERR_NOT_POSITIVE_DEFINITE",
        LinalgError::NoConvergence => "ERR_NO_CONVERGENCE",
        LinalgError::Invalid(m) => return range_error(m),
    };
    let build = || -> Result<Error> {
        let js = JsError::from(Error::new(code, e.to_string())).into_unknown(*env);
        let mut obj = js.coerce_to_object()?;
        obj.set_named_property("name", "LinAlgError")?;
        // The error keeps a reference to this object: thrown or rejected, it
        // reaches JS as built here.
        Ok(Error::from(js))
    };
    build().unwrap_or_else(|err| err)
}

/// What a computation gives: its outputs, or a numerical failure to be
/// turned into a JS error on the JS thread ([`linalg_error`]).
type Computed<T> = std::result::Result<Vec<Output<T>>, LinalgError>;

/// Input matrices: data and, per input, (rows, cols).
fn mats<'a, T>(inputs: &'a [&'a [T]], shapes: &[u32]) -> Result<Vec<MatRef<'a, T>>> {
    if shapes.len() != 2 * inputs.len() {
        return Err(range_error(
            "malformed linalg request: one (rows, cols) pair per input",
        ));
    }
    inputs
        .iter()
        .zip(shapes.chunks(2))
        .map(|(d, s)| {
            let (r, c) = (s[0] as usize, s[1] as usize);
            if r.checked_mul(c) != Some(d.len()) {
                return Err(range_error(
                    "malformed linalg request: data length and shape disagree",
                ));
            }
            Ok(MatRef {
                rows: r,
                cols: c,
                data: d,
            })
        })
        .collect()
}

fn compute<T: Real>(op: &Op, inputs: &[&[T]], shapes: &[u32], threads: u32) -> Result<Computed<T>> {
    let m = mats(inputs, shapes)?;
    Ok(core::run_with(
        Backend::DEFAULT,
        op,
        &m,
        Par::new(threads as usize),
    ))
}

/// [`to_js`] of the outputs, or the failure as a thrown [`linalg_error`].
fn finish<'env, T: Real + Element>(env: &'env Env, c: Computed<T>) -> Result<Array<'env>> {
    match c {
        Ok(outs) => to_js(env, outs),
        Err(e) => Err(linalg_error(env, e)),
    }
}

/// Results as JS: an array of `{ kind, shape, data }`, kind 'real', 'complex'
/// (interleaved re, im) or 'int' (Int32Array); each data array is handed over
/// or copied by [`vec_to_js`]'s rule.
fn to_js<'env, T: Real + Element>(env: &'env Env, outs: Vec<Output<T>>) -> Result<Array<'env>> {
    let mut list = env.create_array(outs.len() as u32)?;
    for (i, o) in outs.into_iter().enumerate() {
        let (kind, shape, data) = match o {
            Output::Real { shape, data } => ("real", shape, vec_to_js(env, data)?),
            Output::Complex { shape, data } => ("complex", shape, vec_to_js(env, data)?),
            Output::Int { shape, data } => ("int", shape, vec_to_js(env, data)?),
        };
        let mut obj = Object::new(env)?;
        obj.set_named_property("kind", kind)?;
        obj.set_named_property(
            "shape",
            shape.iter().map(|&d| d as u32).collect::<Vec<u32>>(),
        )?;
        obj.set_named_property("data", data)?;
        list.set(i as u32, obj)?;
    }
    Ok(list)
}

/// Owned results of an async call, converted on the JS thread; a numerical
/// failure rejects the promise there, with the error [`linalg_error`] builds.
pub enum AsyncOut {
    F64(Computed<f64>),
    F32(Computed<f32>),
}

impl ToNapiValue for AsyncOut {
    unsafe fn to_napi_value(raw: napi::sys::napi_env, val: Self) -> Result<napi::sys::napi_value> {
        let env = Env::from_raw(raw);
        let list = match val {
            AsyncOut::F64(c) => finish(&env, c)?,
            AsyncOut::F32(c) => finish(&env, c)?,
        };
        Ok(list.raw())
    }
}

/// Runs one linalg operation on the calling thread (and the cached pool of
/// `request.threads` threads when above one). `shapes` holds (rows, cols) per input.
#[napi(
    catch_unwind,
    ts_return_type = "Array<{ kind: 'real' | 'complex' | 'int'; shape: number[]; data: Float64Array | Float32Array | Int32Array }>"
)]
pub fn linalg_execute<'env>(
    env: &'env Env,
    request: LinalgRequest,
    inputs: Either<Vec<Float64ArraySlice>, Vec<Float32ArraySlice>>,
    shapes: Vec<u32>,
) -> Result<Array<'env>> {
    let op = Op::try_from(&request)?;
    match inputs {
        Either::A(v) => {
            let refs: Vec<&[f64]> = v.iter().map(|s| &s[..]).collect();
            finish(env, compute::<f64>(&op, &refs, &shapes, request.threads)?)
        }
        Either::B(v) => {
            let refs: Vec<&[f32]> = v.iter().map(|s| &s[..]).collect();
            finish(env, compute::<f32>(&op, &refs, &shapes, request.threads)?)
        }
    }
}

/// The same off the JS thread, on Musique's pool: inputs are copied first,
/// so later changes cannot change the result. An abort before the work starts
/// skips it; one during it (decompositions are not interruptible) drops the
/// result and rejects.
#[napi(
    catch_unwind,
    ts_return_type = "Promise<Array<{ kind: 'real' | 'complex' | 'int'; shape: number[]; data: Float64Array | Float32Array | Int32Array }>>"
)]
pub fn linalg_execute_async<'env>(
    env: &'env Env,
    request: LinalgRequest,
    inputs: Either<Vec<Float64ArraySlice>, Vec<Float32ArraySlice>>,
    shapes: Vec<u32>,
    token: Option<&AbortToken>,
) -> Result<Object<'env>> {
    let op = Op::try_from(&request)?;
    let threads = request.threads.max(1);
    let cancel = token.map(|t| t.inner.clone()).unwrap_or_default();
    let started = token.map(|t| t.started.clone());
    match inputs {
        Either::A(v) => {
            let owned: Vec<Vec<f64>> = v.iter().map(|s| s.to_vec()).collect();
            spawn(env, threads as usize, started, move || {
                cancel.check().map_err(|_| aborted())?;
                let refs: Vec<&[f64]> = owned.iter().map(|s| &s[..]).collect();
                let out = compute::<f64>(&op, &refs, &shapes, threads)?;
                cancel.check().map_err(|_| aborted())?;
                Ok(AsyncOut::F64(out))
            })
        }
        Either::B(v) => {
            let owned: Vec<Vec<f32>> = v.iter().map(|s| s.to_vec()).collect();
            spawn(env, threads as usize, started, move || {
                cancel.check().map_err(|_| aborted())?;
                let refs: Vec<&[f32]> = owned.iter().map(|s| &s[..]).collect();
                let out = compute::<f32>(&op, &refs, &shapes, threads)?;
                cancel.check().map_err(|_| aborted())?;
                Ok(AsyncOut::F32(out))
            })
        }
    }
}

/// Flat index of the first NaN or infinity in `data`, or -1: the linalg
/// functions' `checkFinite` on large arrays (a vectorized scan, several
/// times faster than a JavaScript loop).
#[napi(catch_unwind)]
pub fn first_non_finite(data: Either<Float64ArraySlice, Float32ArraySlice>) -> i64 {
    let found = match &data {
        Either::A(d) => musique_core::first_non_finite(&d[..]),
        Either::B(d) => musique_core::first_non_finite(&d[..]),
    };
    found.map_or(-1, |i| i as i64)
}

/// The linalg backend of this build, threadpoolctl-style.
#[napi(object)]
pub struct LinalgBackendInfo {
    /// 'faer' or 'openblas'.
    pub internal_api: String,
    pub version: String,
}

#[napi(catch_unwind)]
pub fn linalg_backend() -> LinalgBackendInfo {
    LinalgBackendInfo {
        internal_api: Backend::DEFAULT.internal_api().into(),
        version: Backend::DEFAULT.version(),
    }
}
