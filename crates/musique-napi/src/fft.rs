//! fft bindings: one request type, one sync and one async entry point.

use musique_core::{Cancel, Par};
use musique_fft::{self as core, Axes, Exec, FftError, Float, Layout, Norm, R2rKind};
use napi::bindgen_prelude::*;
use napi_derive::napi;

use std::mem::MaybeUninit;

use musique_core::{as_uninit, written_vec};

use crate::runtime::{aborted, range_error, result_array, spawn, AbortToken};

/// One transform, already validated and normalised by the TypeScript layer
/// (src/internal/request.ts), packed into a `Uint32Array` so a call costs one
/// argument conversion instead of a dozen property reads:
///
/// | index | value |
/// | --- | --- |
/// | 0 | kind: 0 c2c, 1 r2c, 2 c2r, 3 dct, 4 dst |
/// | 1 | flags: 1 forward (c2c), 2 hermitian (hfft/ihfft), 4 inverse (idct/idst), 8 orthogonalize, 16 real input promoted to complex |
/// | 2 | dct/dst type, 1 to 4 |
/// | 3 | norm: 0 backward, 1 ortho, 2 forward |
/// | 4 | workers, resolved (≥ 1) |
/// | 5, 6 | d = number of dimensions, k = number of axes |
/// | 7.. | shape (d values), then axes (k), then each axis' transform length (k; for c2r the last is the real output length) |
struct Request {
    kind: Kind,
    forward: bool,
    hermitian: bool,
    inverse: bool,
    orthogonalize: bool,
    real_input: bool,
    norm: Norm,
    workers: u32,
}

const FORWARD: u32 = 1;
const HERMITIAN: u32 = 2;
const INVERSE: u32 = 4;
const ORTHOGONALIZE: u32 = 8;
const REAL_INPUT: u32 = 16;

enum Kind {
    C2c,
    R2c,
    C2r,
    R2r(R2rKind),
}

struct Plan {
    req: Request,
    shape: Vec<usize>,
    axes: Vec<usize>,
    lens: Vec<usize>,
}

impl TryFrom<&[u32]> for Plan {
    type Error = Error;
    fn try_from(h: &[u32]) -> Result<Plan> {
        let bad = || range_error("malformed fft request header");
        if h.len() < 7 {
            return Err(bad());
        }
        let (d, k) = (h[5] as usize, h[6] as usize);
        if h.len() != 7 + d + 2 * k {
            return Err(bad());
        }
        let ty = u8::try_from(h[2]).unwrap_or(0);
        let kind = match h[0] {
            0 => Kind::C2c,
            1 => Kind::R2c,
            2 => Kind::C2r,
            3 => Kind::R2r(R2rKind::Dct(ty)),
            4 => Kind::R2r(R2rKind::Dst(ty)),
            _ => return Err(bad()),
        };
        let norm = match h[3] {
            0 => Norm::Backward,
            1 => Norm::Ortho,
            2 => Norm::Forward,
            _ => return Err(bad()),
        };
        let flags = h[1];
        let us = |v: &[u32]| v.iter().map(|&x| x as usize).collect::<Vec<_>>();
        Ok(Plan {
            req: Request {
                kind,
                forward: flags & FORWARD != 0,
                hermitian: flags & HERMITIAN != 0,
                inverse: flags & INVERSE != 0,
                orthogonalize: flags & ORTHOGONALIZE != 0,
                real_input: flags & REAL_INPUT != 0,
                norm,
                workers: h[4].max(1),
            },
            shape: us(&h[7..7 + d]),
            axes: us(&h[7 + d..7 + d + k]),
            lens: us(&h[7 + d + k..]),
        })
    }
}

fn map_err(e: FftError) -> Error {
    match e {
        FftError::Cancelled => aborted(),
        e => range_error(e.to_string()),
    }
}

impl Plan {
    fn par(&self) -> Par {
        Par::new(self.req.workers as usize)
    }

    fn complex_in(&self) -> bool {
        matches!(self.req.kind, Kind::C2c | Kind::C2r)
    }

    /// Values (reals, or twice the complex elements) of the result.
    fn out_len(&self) -> usize {
        let ax = Axes {
            axes: &self.axes,
            lens: &self.lens,
        };
        let (layout, complex) = match self.req.kind {
            Kind::C2c => (Layout::Same, true),
            Kind::R2c => (Layout::Half, true),
            Kind::C2r => (Layout::Real, false),
            Kind::R2r(_) => (Layout::Same, false),
        };
        let n: usize = core::output_shape(&self.shape, &ax, layout)
            .iter()
            .product();
        if complex {
            2 * n
        } else {
            n
        }
    }

    /// The axes and settings of this transform, for musique-fft.
    fn parts<'a>(&'a self, cancel: &'a Cancel) -> (Axes<'a>, Exec<'a>) {
        let ax = Axes {
            axes: &self.axes,
            lens: &self.lens,
        };
        let ex = Exec {
            norm: self.req.norm,
            par: self.par(),
            cancel,
        };
        (ax, ex)
    }

    /// Whether the result has the input's layout (a complex-to-complex or
    /// real-to-real transform that pads and crops nothing), so that it can
    /// be computed in the input's memory.
    fn in_place(&self) -> bool {
        let same = self
            .axes
            .iter()
            .zip(&self.lens)
            .all(|(&a, &n)| self.shape.get(a) == Some(&n));
        same && match self.req.kind {
            Kind::C2c => !self.req.real_input,
            Kind::R2r(_) => true,
            Kind::R2c | Kind::C2r => false,
        }
    }

    /// The transform computed in `data`, which becomes the result; only for
    /// a plan whose [`Plan::in_place`] holds.
    fn run_in_place<T: Float>(&self, data: &mut [T], cancel: &Cancel) -> Result<()> {
        let (ax, ex) = self.parts(cancel);
        let r = &self.req;
        match r.kind {
            Kind::C2c if !r.real_input => {
                if !data.len().is_multiple_of(2) {
                    return Err(range_error("complex data needs an even number of values"));
                }
                core::c2c_in_place(core::as_complex_mut(data), &self.shape, &ax, r.forward, &ex)
            }
            Kind::R2r(kind) => core::r2r_in_place(
                data,
                &self.shape,
                &ax,
                kind,
                r.inverse,
                r.orthogonalize,
                &ex,
            ),
            _ => return Err(range_error("this transform cannot run in place")),
        }
        .map_err(map_err)
    }

    /// The transform of `data`, which the caller owns: computed in it where
    /// the result has its layout, else into a new vector of `len` values.
    fn run_owned<T: Float>(&self, mut data: Vec<T>, len: usize, cancel: &Cancel) -> Result<Vec<T>> {
        if self.in_place() {
            self.run_in_place(&mut data, cancel)?;
            return Ok(data);
        }
        // SAFETY: `run` writes every value when it returns `Ok`.
        unsafe { written_vec(len, |o| self.run::<T>(&data, cancel, o)) }
    }

    /// The one compute path behind the sync and async forms. On `Ok`, every
    /// value of `out` is written (none is read).
    fn run<T: Float>(&self, data: &[T], cancel: &Cancel, out: &mut [MaybeUninit<T>]) -> Result<()> {
        let (ax, ex) = self.parts(cancel);
        let promoted: Vec<T>;
        let data = if self.complex_in() && self.req.real_input {
            promoted = data.iter().flat_map(|&v| [v, T::zero()]).collect();
            &promoted[..]
        } else {
            data
        };
        if self.complex_in() && data.len() % 2 != 0 {
            return Err(range_error("complex data needs an even number of values"));
        }
        let (h, r) = (self.req.hermitian, &self.req);
        match self.req.kind {
            Kind::C2c => core::c2c_into_uninit(
                core::as_complex(data),
                &self.shape,
                &ax,
                r.forward,
                &ex,
                core::as_complex_uninit(out),
            ),
            Kind::R2c => {
                core::r2c_into_uninit(data, &self.shape, &ax, h, &ex, core::as_complex_uninit(out))
            }
            Kind::C2r => {
                core::c2r_into_uninit(core::as_complex(data), &self.shape, &ax, h, &ex, out)
            }
            Kind::R2r(kind) => core::r2r_into_uninit(
                data,
                &self.shape,
                &ax,
                kind,
                r.inverse,
                r.orthogonalize,
                &ex,
                out,
            ),
        }
        .map_err(map_err)
    }
}

/// Runs one transform on the calling thread (and, with workers > 1, the
/// cached pool of that size), reading `data` in place and writing the result
/// once, where `result_array` decides (engine-owned or handed over).
#[napi(catch_unwind, ts_return_type = "Float64Array | Float32Array")]
pub fn fft_execute<'env>(
    env: &'env Env,
    header: Uint32ArraySlice,
    data: Either<Float64ArraySlice, Float32ArraySlice>,
) -> Result<Unknown<'env>> {
    let plan = Plan::try_from(&header[..])?;
    let cancel = Cancel::never();
    let len = plan.out_len();
    match data {
        Either::A(d) => result_array::<f64>(env, len, |out| plan.run::<f64>(&d, &cancel, out)),
        Either::B(d) => result_array::<f32>(env, len, |out| plan.run::<f32>(&d, &cancel, out)),
    }
}

/// Runs one transform into `out`, a typed array of the result's length and
/// precision that the caller allocated (the TypeScript layer does so for small
/// results, without zero-filling, where an engine-owned array would cost a
/// zero-fill of its own). Every transform writes every output value (the
/// SciPy fixture suite passes with `out` filled with NaN first), so `out`
/// needs no clearing.
#[napi(catch_unwind)]
pub fn fft_execute_into(
    header: Uint32ArraySlice,
    data: Either<Float64ArraySlice, Float32ArraySlice>,
    out: Either<Float64ArraySlice, Float32ArraySlice>,
) -> Result<()> {
    let plan = Plan::try_from(&header[..])?;
    let cancel = Cancel::never();
    let len = plan.out_len();
    let check = |n: usize| {
        if n == len {
            Ok(())
        } else {
            Err(range_error(format!("out must hold {len} values; got {n}")))
        }
    };
    match (data, out) {
        (Either::A(d), Either::A(mut o)) => {
            // SAFETY: a sync call on the JS thread: no JS runs (and so nothing
            // else touches `out`, a fresh array the caller made) until it returns.
            let o = unsafe { o.as_mut() };
            check(o.len())?;
            // SAFETY: `run` writes only initialized values.
            plan.run::<f64>(&d, &cancel, unsafe { as_uninit(o) })
        }
        (Either::B(d), Either::B(mut o)) => {
            // SAFETY: as above.
            let o = unsafe { o.as_mut() };
            check(o.len())?;
            // SAFETY: `run` writes only initialized values.
            plan.run::<f32>(&d, &cancel, unsafe { as_uninit(o) })
        }
        _ => Err(range_error("out must have the input's precision")),
    }
}

/// Runs one transform in `data`, which becomes the result (SciPy's
/// `overwrite_x=True`): a complex-to-complex or real-to-real transform that
/// pads or crops nothing, so no memory is allocated for the result. The
/// TypeScript layer calls it only for such requests.
#[napi(catch_unwind)]
pub fn fft_execute_in_place(
    header: Uint32ArraySlice,
    data: Either<Float64ArraySlice, Float32ArraySlice>,
) -> Result<()> {
    let plan = Plan::try_from(&header[..])?;
    if !plan.in_place() {
        return Err(range_error("this transform cannot run in place"));
    }
    let cancel = Cancel::never();
    match data {
        // SAFETY: a sync call on the JS thread: no JS runs, and so nothing
        // else reads or writes `data`, until it returns.
        Either::A(mut d) => plan.run_in_place::<f64>(unsafe { d.as_mut() }, &cancel),
        // SAFETY: as above.
        Either::B(mut d) => plan.run_in_place::<f32>(unsafe { d.as_mut() }, &cancel),
    }
}

/// Runs one transform on Musique's pool off the JS thread. The input is
/// copied first, so later changes to it cannot change the result (and where
/// the result has the input's layout, the copy becomes the result); `token`
/// stops the work between blocks of lines.
#[napi(catch_unwind, ts_return_type = "Promise<Float64Array | Float32Array>")]
pub fn fft_execute_async<'env>(
    env: &'env Env,
    header: Uint32ArraySlice,
    data: Either<Float64ArraySlice, Float32ArraySlice>,
    token: Option<&AbortToken>,
) -> Result<Object<'env>> {
    let plan = Plan::try_from(&header[..])?;
    let cancel = token.map(|t| t.inner.clone()).unwrap_or_default();
    let started = token.map(|t| t.started.clone());
    let threads = plan.par().threads();
    let len = plan.out_len();
    match data {
        Either::A(d) => {
            let owned = d.to_vec();
            spawn(env, threads, started, move || {
                let out = plan.run_owned::<f64>(owned, len, &cancel)?;
                Ok(Either::<Float64Array, Float32Array>::A(Float64Array::new(
                    out,
                )))
            })
        }
        Either::B(d) => {
            let owned = d.to_vec();
            spawn(env, threads, started, move || {
                let out = plan.run_owned::<f32>(owned, len, &cancel)?;
                Ok(Either::<Float64Array, Float32Array>::B(Float32Array::new(
                    out,
                )))
            })
        }
    }
}

/// The threads a transform over `axes` of `shape` really runs on with
/// `workers` threads allowed.
#[napi(catch_unwind)]
pub fn fft_effective_workers(shape: Vec<u32>, axes: Vec<u32>, workers: u32) -> u32 {
    let shape: Vec<usize> = shape.iter().map(|&x| x as usize).collect();
    let axes: Vec<usize> = axes.iter().map(|&x| x as usize).collect();
    core::effective_threads(&shape, &axes, Par::new(workers as usize)) as u32
}

/// scipy.fft.next_fast_len.
#[napi(catch_unwind)]
pub fn next_fast_len(target: u32, real: bool) -> Option<u32> {
    core::next_fast_len(target as usize, real).and_then(|n| u32::try_from(n).ok())
}

/// scipy.fft.prev_fast_len.
#[napi(catch_unwind)]
pub fn prev_fast_len(target: u32, real: bool) -> Option<u32> {
    core::prev_fast_len(target as usize, real).and_then(|n| u32::try_from(n).ok())
}

/// Plans held in the cache: count and summed lengths, per precision.
#[napi(object)]
pub struct PlanCacheInfo {
    pub plans_f64: u32,
    pub len_f64: u32,
    pub plans_f32: u32,
    pub len_f32: u32,
}

#[napi(catch_unwind)]
pub fn fft_plan_cache_info() -> PlanCacheInfo {
    let (a, b) = core::cache_stats::<f64>();
    let (c, d) = core::cache_stats::<f32>();
    PlanCacheInfo {
        plans_f64: a as u32,
        len_f64: b as u32,
        plans_f32: c as u32,
        len_f32: d as u32,
    }
}
