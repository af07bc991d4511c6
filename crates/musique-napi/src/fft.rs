//! fft bindings: one request type, one sync and one async entry point.

use musique_core::{Cancel, Par};
use musique_fft::{self as core, Axes, Exec, FftError, Float, Layout, Norm, R2rKind, Transform};
use napi::bindgen_prelude::*;
use napi_derive::napi;

use std::mem::MaybeUninit;

use musique_core::as_uninit;

use crate::runtime::{
    aborted, advise_huge_pages, alloc_error, check_memory, range_error, result_array, spawn,
    AbortToken, EXTERNAL_MIN,
};

/// One transform, already validated and normalised by the TypeScript layer
/// (src/internal/request.ts), packed into a `Uint32Array` so a call costs one
/// argument conversion instead of a dozen property reads. The layout, the
/// codes and the flags are written here only: TypeScript reads them from
/// [`fft_wire`].
///
/// | index | value |
/// | --- | --- |
/// | [`KIND`] | kind: its index in [`KINDS`] (c2c, r2c, c2r, dct, dst) |
/// | [`FLAGS`] | [`FORWARD`] (c2c), [`HERMITIAN`] (hfft/ihfft), [`INVERSE`] (idct/idst), [`ORTHOGONALIZE`], [`REAL_INPUT`] (real input promoted to complex) |
/// | [`TYPE`] | dct/dst type, 1 to 4 |
/// | [`NORM`] | norm: its index in [`Norm::ALL`] (backward, ortho, forward) |
/// | [`WORKERS`] | workers, resolved (≥ 1) |
/// | [`NDIM`], [`NAXES`] | d = number of dimensions, k = number of axes |
/// | [`NAME`] | the function called: its index in [`NAMES`] (for messages) |
/// | [`HEADER_LEN`].. | shape (d values), then axes (k), then each axis' transform length (k; for c2r the last is the real output length) |
struct Request {
    kind: Kind,
    forward: bool,
    hermitian: bool,
    inverse: bool,
    orthogonalize: bool,
    real_input: bool,
    norm: Norm,
    workers: u32,
    name: &'static str,
}

const KIND: usize = 0;
const FLAGS: usize = 1;
const TYPE: usize = 2;
const NORM: usize = 3;
const WORKERS: usize = 4;
const NDIM: usize = 5;
const NAXES: usize = 6;
const NAME: usize = 7;
/// Header values before the shape.
const HEADER_LEN: usize = 8;

/// Kind codes: a kind's code is its index here.
const KINDS: [&str; 5] = ["c2c", "r2c", "c2r", "dct", "dst"];

/// The functions of musique/fft that send requests, named in messages (a
/// request that cannot have its memory is "cannot allocate 32.0 GiB for the
/// result of fft"); a name's code is its index here.
const NAMES: [&str; 26] = [
    "fft", "ifft", "fft2", "ifft2", "fftn", "ifftn", "rfft", "irfft", "rfft2", "irfft2", "rfftn",
    "irfftn", "hfft", "ihfft", "hfft2", "ihfft2", "hfftn", "ihfftn", "dct", "idct", "dst", "idst",
    "dctn", "idctn", "dstn", "idstn",
];

const FORWARD: u32 = 1;
const HERMITIAN: u32 = 2;
const INVERSE: u32 = 4;
const ORTHOGONALIZE: u32 = 8;
const REAL_INPUT: u32 = 16;

/// The flag bits of a request header.
#[napi(object)]
pub struct FftWireFlags {
    pub forward: u32,
    pub hermitian: u32,
    pub inverse: u32,
    pub orthogonalize: u32,
    pub real_input: u32,
}

/// The request format of `fftExecute*`, for the TypeScript layer that
/// builds requests (src/internal/request.ts): each value is written once, here.
#[napi(object)]
pub struct FftWire {
    /// The header's named values, in order: `kind`, `flags`, `type`, `norm`,
    /// `workers`, `ndim`, `naxes`; the shape, axes and lengths follow.
    pub header: Vec<String>,
    /// Kind names; a kind's code is its index.
    pub kinds: Vec<String>,
    /// Function names, for messages; a name's code is its index.
    pub names: Vec<String>,
    /// SciPy's norm names; a norm's code is its index.
    pub norms: Vec<String>,
    pub flags: FftWireFlags,
    /// Results of fewer bytes than this come from the engine's memory, so
    /// the caller allocates them itself and calls `fftExecuteInto`.
    pub small_result: u32,
}

/// The request format: header layout, codes and flags (see [`FftWire`]).
#[napi(catch_unwind)]
pub fn fft_wire() -> FftWire {
    let mut header = vec![String::new(); HEADER_LEN];
    for (i, name) in [
        (KIND, "kind"),
        (FLAGS, "flags"),
        (TYPE, "type"),
        (NORM, "norm"),
        (WORKERS, "workers"),
        (NDIM, "ndim"),
        (NAXES, "naxes"),
        (NAME, "name"),
    ] {
        header[i] = name.to_owned();
    }
    FftWire {
        header,
        kinds: KINDS.iter().map(|&k| k.to_owned()).collect(),
        names: NAMES.iter().map(|&k| k.to_owned()).collect(),
        norms: Norm::ALL.iter().map(|n| n.name().to_owned()).collect(),
        flags: FftWireFlags {
            forward: FORWARD,
            hermitian: HERMITIAN,
            inverse: INVERSE,
            orthogonalize: ORTHOGONALIZE,
            real_input: REAL_INPUT,
        },
        small_result: EXTERNAL_MIN as u32,
    }
}

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
    /// Values (reals, or twice the complex elements) of the input.
    in_len: usize,
    /// Values of the result (saturating: [`Plan::check_memory`] refuses
    /// more than a typed array holds before the result is made).
    out_len: u128,
}

impl TryFrom<&[u32]> for Plan {
    type Error = Error;
    fn try_from(h: &[u32]) -> Result<Plan> {
        let bad = || range_error("malformed fft request header");
        if h.len() < HEADER_LEN {
            return Err(bad());
        }
        let (d, k) = (h[NDIM] as usize, h[NAXES] as usize);
        if h.len() != HEADER_LEN + d + 2 * k {
            return Err(bad());
        }
        let ty = u8::try_from(h[TYPE]).unwrap_or(0);
        let kind = match KINDS.get(h[KIND] as usize).copied() {
            Some("c2c") => Kind::C2c,
            Some("r2c") => Kind::R2c,
            Some("c2r") => Kind::C2r,
            Some("dct") => Kind::R2r(R2rKind::Dct(ty)),
            Some("dst") => Kind::R2r(R2rKind::Dst(ty)),
            _ => return Err(bad()),
        };
        let norm = *Norm::ALL.get(h[NORM] as usize).ok_or_else(bad)?;
        let name = *NAMES.get(h[NAME] as usize).ok_or_else(bad)?;
        let flags = h[FLAGS];
        let us = |v: &[u32]| v.iter().map(|&x| x as usize).collect::<Vec<_>>();
        let (shape, rest) = h[HEADER_LEN..].split_at(d);
        let (axes, lens) = rest.split_at(k);
        // Axes in range and distinct: the sizes below index the shape by them.
        for (i, &a) in axes.iter().enumerate() {
            if a as usize >= d || axes[..i].contains(&a) {
                return Err(bad());
            }
        }
        let (shape, axes, lens) = (us(shape), us(axes), us(lens));
        // Checked: a product that wrapped around would let the kernels read
        // past the data.
        let elements = shape
            .iter()
            .try_fold(1usize, |p, &n| p.checked_mul(n))
            .ok_or_else(|| {
                range_error(format!(
                    "malformed fft request: shape {shape:?} has more elements than memory can hold"
                ))
            })?;
        let real_input = flags & REAL_INPUT != 0;
        let complex_in = matches!(kind, Kind::C2c | Kind::C2r);
        let in_len = if complex_in && !real_input {
            elements.checked_mul(2).ok_or_else(bad)?
        } else {
            elements
        };
        let (layout, complex_out) = match kind {
            Kind::C2c => (Layout::Same, true),
            Kind::R2c => (Layout::Half, true),
            Kind::C2r => (Layout::Real, false),
            Kind::R2r(_) => (Layout::Same, false),
        };
        let ax = Axes {
            axes: &axes,
            lens: &lens,
        };
        let out_values = core::output_shape(&shape, &ax, layout)
            .iter()
            .fold(1u128, |p, &n| p.saturating_mul(n as u128))
            .saturating_mul(if complex_out { 2 } else { 1 });
        Ok(Plan {
            req: Request {
                kind,
                forward: flags & FORWARD != 0,
                hermitian: flags & HERMITIAN != 0,
                inverse: flags & INVERSE != 0,
                orthogonalize: flags & ORTHOGONALIZE != 0,
                real_input,
                norm,
                workers: h[WORKERS].max(1),
                name,
            },
            shape,
            axes,
            lens,
            in_len,
            out_len: out_values,
        })
    }
}

fn map_err(e: FftError, name: &str) -> Error {
    match e {
        FftError::Cancelled => aborted(),
        FftError::Alloc { bytes } => {
            alloc_error(bytes as u128, &format!("the working memory of {name}"))
        }
        e => range_error(e.to_string()),
    }
}

impl Plan {
    /// Parses `header` for a call on `data_len` values of `T`, refusing it
    /// when the data does not have the shape's values or when its memory
    /// cannot be had ([`Plan::check_memory`]): before anything is allocated.
    fn for_call<T: Float>(
        header: &[u32],
        data_len: usize,
        result: bool,
        copies: usize,
    ) -> Result<Plan> {
        let plan = Plan::try_from(header)?;
        if data_len != plan.in_len {
            return Err(range_error(format!(
                "data has {data_len} values but shape {:?} needs {}",
                plan.shape, plan.in_len
            )));
        }
        plan.check_memory::<T>(result, copies)?;
        Ok(plan)
    }

    fn par(&self) -> Par {
        Par::new(self.req.workers as usize)
    }

    fn complex_in(&self) -> bool {
        matches!(self.req.kind, Kind::C2c | Kind::C2r)
    }

    /// The transform, as musique-fft's memory bound names it.
    fn transform(&self) -> Transform {
        match self.req.kind {
            Kind::C2c => Transform::C2c,
            Kind::R2c => Transform::R2c,
            Kind::C2r => Transform::C2r {
                hermitian: self.req.hermitian,
            },
            Kind::R2r(k) => Transform::R2r(k),
        }
    }

    /// Refuses the call when its memory cannot be had: the result (when
    /// `result`; else the caller owns it), plus `copies` input-sized copies
    /// the binding makes (the async forms' own input), plus what musique-fft
    /// allocates (intermediates, plans, scratch), against what is available.
    fn check_memory<T: Float>(&self, result: bool, copies: usize) -> Result<()> {
        let elem = std::mem::size_of::<T>();
        let name = self.req.name;
        // Small requests need little whatever their shape: no estimate.
        let small = self.lens.iter().all(|&n| n <= 1 << 16)
            && self.in_len <= 1 << 20
            && self.out_len <= 1 << 20;
        let len = if result { self.out_len } else { 0 };
        if small {
            return check_memory(len, elem, 0, name);
        }
        let ax = Axes {
            axes: &self.axes,
            lens: &self.lens,
        };
        let too_much = || range_error(format!("cannot allocate the working memory of {name}"));
        let mut work = core::workspace::<T>(&self.shape, &ax, self.transform(), self.par())
            .ok_or_else(too_much)?;
        // Real input promoted to complex: a copy twice its size.
        let promoted = if self.complex_in() && self.req.real_input {
            2
        } else {
            0
        };
        work = work.saturating_add(((promoted + copies) * self.in_len * elem) as u128);
        check_memory(len, elem, work, name)
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
        .map_err(|e| map_err(e, self.req.name))
    }

    /// A copy of the input `data` that the call owns, reserved fallibly.
    ///
    /// This copy is the one thing an async call does on the JS thread before
    /// it returns its Promise (parsing and the memory check take
    /// microseconds; plans are made on the pool). Fresh memory is backed by
    /// huge pages where Linux allows it: a 64 MiB copy (a 2048 x 2048
    /// complex128 input) otherwise takes 16,384 page faults, which on a
    /// virtual machine cost more than the copy itself.
    fn copy<T: Float>(&self, data: &[T]) -> Result<Vec<T>> {
        let bytes = std::mem::size_of_val(data);
        let mut v: Vec<T> = Vec::new();
        v.try_reserve_exact(data.len()).map_err(|_| {
            alloc_error(
                bytes as u128,
                &format!("the copy of the input of {}", self.req.name),
            )
        })?;
        advise_huge_pages(v.as_mut_ptr().cast(), bytes);
        v.extend_from_slice(data);
        Ok(v)
    }

    /// The transform of `data`, which the caller owns: computed in it where
    /// the result has its layout, else into a new vector of `len` values.
    fn run_owned<T: Float>(&self, mut data: Vec<T>, len: usize, cancel: &Cancel) -> Result<Vec<T>> {
        if self.in_place() {
            self.run_in_place(&mut data, cancel)?;
            return Ok(data);
        }
        let mut out = Vec::new();
        out.try_reserve_exact(len).map_err(|_| {
            alloc_error(
                (len * std::mem::size_of::<T>()) as u128,
                &format!("the result of {}", self.req.name),
            )
        })?;
        self.run::<T>(&data, cancel, &mut out.spare_capacity_mut()[..len])?;
        // SAFETY: `run` wrote every value, as it returned `Ok`.
        unsafe { out.set_len(len) };
        Ok(out)
    }

    /// The one compute path behind the sync and async forms. On `Ok`, every
    /// value of `out` is written (none is read).
    fn run<T: Float>(&self, data: &[T], cancel: &Cancel, out: &mut [MaybeUninit<T>]) -> Result<()> {
        let (ax, ex) = self.parts(cancel);
        let mut promoted: Vec<T> = Vec::new();
        let data = if self.complex_in() && self.req.real_input {
            let len = data.len().saturating_mul(2);
            promoted.try_reserve_exact(len).map_err(|_| {
                alloc_error(
                    (len * std::mem::size_of::<T>()) as u128,
                    &format!("the working memory of {}", self.req.name),
                )
            })?;
            promoted.extend(data.iter().flat_map(|&v| [v, T::zero()]));
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
        .map_err(|e| map_err(e, self.req.name))
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
    let cancel = Cancel::never();
    match data {
        Either::A(d) => {
            let plan = Plan::for_call::<f64>(&header, d.len(), true, 0)?;
            let len = plan.out_len as usize;
            result_array::<f64>(env, len, |out| plan.run::<f64>(&d, &cancel, out))
        }
        Either::B(d) => {
            let plan = Plan::for_call::<f32>(&header, d.len(), true, 0)?;
            let len = plan.out_len as usize;
            result_array::<f32>(env, len, |out| plan.run::<f32>(&d, &cancel, out))
        }
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
    let cancel = Cancel::never();
    // `out` holds the result's values, in memory of its own: the transform
    // reads `data` while it writes `out`.
    fn check<T>(plan: &Plan, d: &[T], o: &[T]) -> Result<()> {
        if o.len() as u128 != plan.out_len {
            return Err(range_error(format!(
                "out must hold {} values; got {}",
                plan.out_len,
                o.len()
            )));
        }
        let span = |x: &[T]| {
            let p = x.as_ptr() as usize;
            (p, p + std::mem::size_of_val(x))
        };
        let ((d0, d1), (o0, o1)) = (span(d), span(o));
        if d0 < o1 && o0 < d1 {
            return Err(range_error("out must not share memory with the input"));
        }
        Ok(())
    }
    match (data, out) {
        (Either::A(d), Either::A(mut o)) => {
            let plan = Plan::for_call::<f64>(&header, d.len(), false, 0)?;
            check(&plan, &d, &o)?;
            // SAFETY: a sync call on the JS thread: no JS runs (and so nothing
            // else touches `out`, a fresh array the caller made, apart from
            // `data`) until it returns.
            let o = unsafe { o.as_mut() };
            // SAFETY: `run` writes only initialized values.
            plan.run::<f64>(&d, &cancel, unsafe { as_uninit(o) })
        }
        (Either::B(d), Either::B(mut o)) => {
            let plan = Plan::for_call::<f32>(&header, d.len(), false, 0)?;
            check(&plan, &d, &o)?;
            // SAFETY: as above.
            let o = unsafe { o.as_mut() };
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
    let cancel = Cancel::never();
    let in_place = |plan: Plan| {
        if plan.in_place() {
            Ok(plan)
        } else {
            Err(range_error("this transform cannot run in place"))
        }
    };
    match data {
        Either::A(mut d) => {
            let plan = in_place(Plan::for_call::<f64>(&header, d.len(), false, 0)?)?;
            // SAFETY: a sync call on the JS thread: no JS runs, and so nothing
            // else on this thread reads or writes `data`, until it returns.
            plan.run_in_place::<f64>(unsafe { d.as_mut() }, &cancel)
        }
        Either::B(mut d) => {
            let plan = in_place(Plan::for_call::<f32>(&header, d.len(), false, 0)?)?;
            // SAFETY: as above.
            plan.run_in_place::<f32>(unsafe { d.as_mut() }, &cancel)
        }
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
    let cancel = token.map(|t| t.inner.clone()).unwrap_or_default();
    let started = token.map(|t| t.started.clone());
    match data {
        Either::A(d) => {
            let plan = Plan::for_call::<f64>(&header, d.len(), true, 1)?;
            let (threads, len) = (plan.par().threads(), plan.out_len as usize);
            let owned = plan.copy(&d)?;
            spawn(env, threads, started, move || {
                let out = plan.run_owned::<f64>(owned, len, &cancel)?;
                Ok(Either::<Float64Array, Float32Array>::A(Float64Array::new(
                    out,
                )))
            })
        }
        Either::B(d) => {
            let plan = Plan::for_call::<f32>(&header, d.len(), true, 1)?;
            let (threads, len) = (plan.par().threads(), plan.out_len as usize);
            let owned = plan.copy(&d)?;
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

/// A fast-length target from JS: a non-negative bigint that fits `usize`
/// (the TypeScript layer checks SciPy's range first).
fn fast_len_target(target: &BigInt) -> Result<usize> {
    let t = match target.words.as_slice() {
        [] => 0,
        [w] if !target.sign_bit || *w == 0 => *w,
        _ => return Err(range_error("fast length target out of range")),
    };
    usize::try_from(t).map_err(|_| range_error("fast length target out of range"))
}

/// scipy.fft.next_fast_len (`null` when the answer does not fit `usize`).
#[napi(catch_unwind)]
pub fn next_fast_len(target: BigInt, real: bool) -> Result<Option<BigInt>> {
    let t = fast_len_target(&target)?;
    Ok(core::next_fast_len(t, real).map(|n| BigInt::from(n as u64)))
}

/// scipy.fft.prev_fast_len (`null` for 0).
#[napi(catch_unwind)]
pub fn prev_fast_len(target: BigInt, real: bool) -> Result<Option<BigInt>> {
    let t = fast_len_target(&target)?;
    Ok(core::prev_fast_len(t, real).map(|n| BigInt::from(n as u64)))
}

/// Refuses a result of `len` values of `elem` bytes that the TypeScript layer
/// makes itself (fftfreq, rfftfreq) when its memory cannot be had, by the
/// rule every transform's result follows; `name` is the function, for the
/// message.
#[napi(catch_unwind)]
pub fn fft_check_result(len: f64, elem: u32, name: String) -> Result<()> {
    // `as` saturates: a length past u128 (or NaN, as 0) cannot pass for a small one.
    check_memory(len as u128, elem as usize, 0, &name)
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
