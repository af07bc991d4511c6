//! linalg bindings: one request object, one sync and one async entry point.
//! The TypeScript layer (src/linalg.ts) validates shapes and options and
//! resolves the thread count; this converts, calls musique-linalg, converts.

use musique_core::Par;
use musique_linalg::{
    self as core, Assume, Backend, LinalgError, MatRef, MatrixOrd, Op, Output, QrMode, Real,
};
use napi::bindgen_prelude::*;
use napi::JsValue;
use napi_derive::napi;

use crate::runtime::{
    aborted, alloc_error, check_need, range_error, spawn, vec_to_js, AbortToken, Element, Need,
};

/// One linalg operation and its options, as the TypeScript layer normalised them.
#[napi(object)]
pub struct LinalgRequest {
    /// The scipy.linalg function: 'solve', 'solveTriangular', 'inv', 'det', 'slogdet', 'lstsq', 'pinv',
    /// 'matrixNorm', 'vectorNorm', 'matmul', 'lu', 'luFactor', 'luSolve', 'qr', 'cholesky', 'choSolve',
    /// 'svd', 'eig', 'eigh', 'expm', 'cond', 'matrixRank'.
    pub op: String,
    /// The musique/linalg function called ('svdvals', 'choFactor'…), named in
    /// messages ("cannot allocate 298.0 GiB for the result of matmul"); `op` when absent.
    pub name: Option<String>,
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
/// A malformed request ([`LinalgError::Invalid`]) is a plain RangeError, and
/// memory the kernels could not have ([`LinalgError::Alloc`]) the RangeError
/// of [`alloc_error`], naming the call `name`.
fn linalg_error(env: &Env, e: LinalgError, name: &str) -> Error {
    let code = match e {
        LinalgError::Singular { .. } => "ERR_SINGULAR_MATRIX",
        LinalgError::NotPositiveDefinite { .. } => "ERR_NOT_POSITIVE_DEFINITE",
        LinalgError::NoConvergence => "ERR_NO_CONVERGENCE",
        LinalgError::Invalid(m) => return range_error(m),
        LinalgError::Alloc { bytes } => {
            return alloc_error(bytes as u128, &format!("the working memory of {name}"))
        }
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

/// The (rows, cols) of each input, from `shapes` (a pair per input).
fn dims(shapes: &[u32], inputs: usize) -> Result<Vec<(usize, usize)>> {
    if shapes.len() != 2 * inputs {
        return Err(range_error(
            "malformed linalg request: one (rows, cols) pair per input",
        ));
    }
    Ok(shapes
        .chunks(2)
        .map(|s| (s[0] as usize, s[1] as usize))
        .collect())
}

/// Input matrices: data and, per input, (rows, cols), whose product must be
/// the data's length, checked: a product that wrapped around would let the
/// kernels read past the data.
fn mats<'a, T>(inputs: &'a [&'a [T]], dims: &[(usize, usize)]) -> Result<Vec<MatRef<'a, T>>> {
    inputs
        .iter()
        .zip(dims)
        .map(|(d, &(r, c))| {
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

/// Refuses `op` on inputs of `dims` when its results or its working memory
/// (with `copies` bytes of copied inputs) cannot be had: an array longer than
/// a typed array may be, or more memory than the process may still allocate
/// ([`available_memory`]). Checked before anything is allocated: an
/// allocation that fails in the kernels, or a typed array V8 cannot make,
/// ends the process. `name` names the call in the message.
fn check_memory(
    op: &Op,
    dims: &[(usize, usize)],
    elem: usize,
    copies: u128,
    name: &str,
) -> Result<()> {
    let f = op
        .footprint(dims)
        .map_err(|e| range_error(format!("malformed linalg request: {e}")))?;
    let need = Need {
        longest: f.outputs.iter().map(|o| o.1).max().unwrap_or(0),
        arrays: f.outputs.len(),
        result: f.output_bytes(elem),
        work: f.work_bytes(elem).saturating_add(copies),
        work_is: "copies, factors and scratch",
    };
    check_need(&need, name)
}

fn compute<T: Real>(
    op: &Op,
    inputs: &[&[T]],
    dims: &[(usize, usize)],
    threads: u32,
) -> Result<Computed<T>> {
    let m = mats(inputs, dims)?;
    Ok(core::run_with(
        Backend::DEFAULT,
        op,
        &m,
        Par::new(threads as usize),
    ))
}

/// [`mats`]' check, then [`check_memory`]'s, of `inputs` of `T` (with `copies`
/// when the async form copies them first): before anything is allocated.
fn admit<T>(
    op: &Op,
    inputs: &[&[T]],
    dims: &[(usize, usize)],
    copies: bool,
    name: &str,
) -> Result<()> {
    mats(inputs, dims)?;
    let elem = std::mem::size_of::<T>();
    let copied = if copies {
        inputs.iter().map(|s| s.len() as u128 * elem as u128).sum()
    } else {
        0
    };
    check_memory(op, dims, elem, copied, name)
}

/// The inputs, read after every argument was converted: converting a later
/// argument runs JS (getters), which could shrink or detach a buffer read
/// earlier, so each typed array's data and length are taken only here, where
/// no JS runs until the call has read them (sync) or copied them (async).
/// All Float64Array, or all Float32Array.
enum Inputs<'env> {
    F64(Vec<Float64ArraySlice<'env>>),
    F32(Vec<Float32ArraySlice<'env>>),
}

impl<'env> Inputs<'env> {
    fn read(env: &'env Env, values: &[Unknown<'env>]) -> Result<Inputs<'env>> {
        let all = |kind: napi::sys::napi_typedarray_type| {
            values
                .iter()
                .all(|v| typed_array_kind(env, v) == Some(kind))
        };
        let bad = || {
            Error::new(
                Status::InvalidArg,
                "malformed linalg request: inputs must be all Float64Array or all Float32Array",
            )
        };
        // SAFETY: each value is a typed array of the element type converted
        // to, checked just above; the slices live no longer than the call's scope.
        unsafe {
            if all(<f64 as Element>::KIND) {
                let v = values
                    .iter()
                    .map(|v| Float64ArraySlice::from_napi_value(env.raw(), v.raw()))
                    .collect::<Result<_>>()?;
                Ok(Inputs::F64(v))
            } else if all(<f32 as Element>::KIND) {
                let v = values
                    .iter()
                    .map(|v| Float32ArraySlice::from_napi_value(env.raw(), v.raw()))
                    .collect::<Result<_>>()?;
                Ok(Inputs::F32(v))
            } else {
                Err(bad())
            }
        }
    }
}

/// The element type of `v` when it is a typed array.
fn typed_array_kind(env: &Env, v: &Unknown<'_>) -> Option<napi::sys::napi_typedarray_type> {
    use napi::sys;
    let mut is = false;
    // SAFETY: plain Node-API queries on a live value; neither runs JS.
    unsafe {
        if sys::napi_is_typedarray(env.raw(), v.raw(), &mut is) != sys::Status::napi_ok || !is {
            return None;
        }
        let mut kind = 0;
        let status = sys::napi_get_typedarray_info(
            env.raw(),
            v.raw(),
            &mut kind,
            std::ptr::null_mut(),
            std::ptr::null_mut(),
            std::ptr::null_mut(),
            std::ptr::null_mut(),
        );
        (status == sys::Status::napi_ok).then_some(kind)
    }
}

/// A copy of `data` for the async path, refused as a RangeError when it
/// cannot be allocated.
fn owned<T: Copy>(data: &[T], name: &str) -> Result<Vec<T>> {
    let mut v = Vec::new();
    v.try_reserve_exact(data.len()).map_err(|_| {
        alloc_error(
            std::mem::size_of_val(data) as u128,
            &format!("a copy of the inputs of {name}"),
        )
    })?;
    v.extend_from_slice(data);
    Ok(v)
}

/// [`to_js`] of the outputs, or the failure as a thrown [`linalg_error`].
fn finish<'env, T: Real + Element>(
    env: &'env Env,
    c: Computed<T>,
    name: &str,
) -> Result<Array<'env>> {
    match c {
        Ok(outs) => to_js(env, outs),
        Err(e) => Err(linalg_error(env, e, name)),
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
/// With the name of the call, for messages.
pub enum AsyncOut {
    F64(Computed<f64>, String),
    F32(Computed<f32>, String),
}

impl ToNapiValue for AsyncOut {
    unsafe fn to_napi_value(raw: napi::sys::napi_env, val: Self) -> Result<napi::sys::napi_value> {
        let env = Env::from_raw(raw);
        let list = match val {
            AsyncOut::F64(c, name) => finish(&env, c, &name)?,
            AsyncOut::F32(c, name) => finish(&env, c, &name)?,
        };
        Ok(list.raw())
    }
}

/// Runs one linalg operation on the calling thread (and the cached pool of
/// `request.threads` threads when above one). `shapes` holds (rows, cols) per input.
#[napi(
    catch_unwind,
    ts_args_type = "request: LinalgRequest, inputs: Array<Float64Array> | Array<Float32Array>, shapes: Array<number>",
    ts_return_type = "Array<{ kind: 'real' | 'complex' | 'int'; shape: number[]; data: Float64Array | Float32Array | Int32Array }>"
)]
pub fn linalg_execute<'env>(
    env: &'env Env,
    request: LinalgRequest,
    inputs: Vec<Unknown<'env>>,
    shapes: Vec<u32>,
) -> Result<Array<'env>> {
    let op = Op::try_from(&request)?;
    let name = request.name.as_deref().unwrap_or(&request.op);
    let dims = dims(&shapes, inputs.len())?;
    match Inputs::read(env, &inputs)? {
        Inputs::F64(v) => {
            let refs: Vec<&[f64]> = v.iter().map(|s| &s[..]).collect();
            admit(&op, &refs, &dims, false, name)?;
            finish(
                env,
                compute::<f64>(&op, &refs, &dims, request.threads)?,
                name,
            )
        }
        Inputs::F32(v) => {
            let refs: Vec<&[f32]> = v.iter().map(|s| &s[..]).collect();
            admit(&op, &refs, &dims, false, name)?;
            finish(
                env,
                compute::<f32>(&op, &refs, &dims, request.threads)?,
                name,
            )
        }
    }
}

/// The same off the JS thread, on Musique's pool: inputs are copied first,
/// so later changes cannot change the result. An abort before the work starts
/// skips it; one during it (decompositions are not interruptible) drops the
/// result and rejects.
#[napi(
    catch_unwind,
    ts_args_type = "request: LinalgRequest, inputs: Array<Float64Array> | Array<Float32Array>, shapes: Array<number>, token?: AbortToken | undefined | null",
    ts_return_type = "Promise<Array<{ kind: 'real' | 'complex' | 'int'; shape: number[]; data: Float64Array | Float32Array | Int32Array }>>"
)]
pub fn linalg_execute_async<'env>(
    env: &'env Env,
    request: LinalgRequest,
    inputs: Vec<Unknown<'env>>,
    shapes: Vec<u32>,
    token: Option<&AbortToken>,
) -> Result<Object<'env>> {
    let op = Op::try_from(&request)?;
    let name = request.name.clone().unwrap_or_else(|| request.op.clone());
    let dims = dims(&shapes, inputs.len())?;
    let threads = request.threads.max(1);
    let cancel = token.map(|t| t.inner.clone()).unwrap_or_default();
    let started = token.map(|t| t.started.clone());
    match Inputs::read(env, &inputs)? {
        Inputs::F64(v) => {
            let refs: Vec<&[f64]> = v.iter().map(|s| &s[..]).collect();
            admit(&op, &refs, &dims, true, &name)?;
            let owned: Vec<Vec<f64>> = v.iter().map(|s| owned(s, &name)).collect::<Result<_>>()?;
            spawn(env, threads as usize, started, move || {
                cancel.check().map_err(|_| aborted())?;
                let refs: Vec<&[f64]> = owned.iter().map(|s| &s[..]).collect();
                let out = compute::<f64>(&op, &refs, &dims, threads)?;
                cancel.check().map_err(|_| aborted())?;
                Ok(AsyncOut::F64(out, name))
            })
        }
        Inputs::F32(v) => {
            let refs: Vec<&[f32]> = v.iter().map(|s| &s[..]).collect();
            admit(&op, &refs, &dims, true, &name)?;
            let owned: Vec<Vec<f32>> = v.iter().map(|s| owned(s, &name)).collect::<Result<_>>()?;
            spawn(env, threads as usize, started, move || {
                cancel.check().map_err(|_| aborted())?;
                let refs: Vec<&[f32]> = owned.iter().map(|s| &s[..]).collect();
                let out = compute::<f32>(&op, &refs, &dims, threads)?;
                cancel.check().map_err(|_| aborted())?;
                Ok(AsyncOut::F32(out, name))
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
