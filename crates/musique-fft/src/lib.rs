//! scipy.fft's transforms on row-major n-D arrays, over rustfft, realfft and
//! rustdct.
//!
//! Conventions are SciPy's, stated once here:
//! - Forward transforms use `exp(-2πi jk/n)`; output is in the standard order
//!   (zero frequency first, negative frequencies in the second half).
//! - `norm`: `Backward` leaves the forward transform unscaled and divides the
//!   inverse by `n`; `Ortho` scales both by `1/√n`; `Forward` divides the
//!   forward transform by `n`. For a DCT/DST, `n` is the logical length
//!   (`2(n−1)` for DCT-I, `2(n+1)` for DST-I, `2n` otherwise).
//! - DCT/DST outputs carry SciPy's factor of two (`y_k = 2 Σ x_j cos(…)`).
//! - Each axis may be zero-padded or cropped to its transform length.
//!
//! Every call takes an explicit [`Par`] and a [`Cancel`] flag that is checked
//! between blocks of lines.

mod driver;
mod makhoul;
mod memory;
mod ops;
mod plan;

use std::fmt;

use musique_core::{as_uninit, assume_init};
pub use musique_core::{Cancel, Cancelled, Par};
use num_complex::Complex;
use num_traits::FloatConst;
pub use plan::{cache_stats, BUDGET, MAX_PLANS};

use std::borrow::Cow;
use std::mem::MaybeUninit;

use driver::{apply, apply_in_place, apply_into, LineOp};
use memory::{checked_product, try_copy, try_written_vec, LineKind};
use plan::{Key, Plan};

/// The element types Musique transforms: `f32` and `f64`.
pub trait Float:
    rustfft::FftNum + FloatConst + num_traits::Float + bytemuck::Pod + 'static
{
    #[doc(hidden)]
    fn cache() -> &'static std::sync::Mutex<plan::Cache<Self>>;
    fn of_f64(v: f64) -> Self;
}

impl Float for f64 {
    fn cache() -> &'static std::sync::Mutex<plan::Cache<f64>> {
        plan::CACHE_F64.get_or_init(plan::init)
    }
    fn of_f64(v: f64) -> f64 {
        v
    }
}

impl Float for f32 {
    fn cache() -> &'static std::sync::Mutex<plan::Cache<f32>> {
        plan::CACHE_F32.get_or_init(plan::init)
    }
    fn of_f64(v: f64) -> f32 {
        v as f32
    }
}

/// scipy.fft's `norm`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Norm {
    #[default]
    Backward,
    Ortho,
    Forward,
}

impl Norm {
    /// Every mode, in the order of the binding's wire codes (a mode's code
    /// is its index here).
    pub const ALL: [Norm; 3] = [Norm::Backward, Norm::Ortho, Norm::Forward];

    /// SciPy's name for this mode.
    pub fn name(self) -> &'static str {
        match self {
            Norm::Backward => "backward",
            Norm::Ortho => "ortho",
            Norm::Forward => "forward",
        }
    }

    /// Parses SciPy's names.
    pub fn parse(s: &str) -> Option<Norm> {
        Norm::ALL.into_iter().find(|n| n.name() == s)
    }

    /// Factor applied to a transform of logical length `n`, in the forward
    /// (`forward = true`) or inverse direction.
    pub fn factor(self, n: usize, forward: bool) -> f64 {
        let n = n as f64;
        match (self, forward) {
            (Norm::Ortho, _) => 1.0 / n.sqrt(),
            (Norm::Backward, true) | (Norm::Forward, false) => 1.0,
            (Norm::Backward, false) | (Norm::Forward, true) => 1.0 / n,
        }
    }
}

/// DCT or DST, with its type (1 to 4).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum R2rKind {
    Dct(u8),
    Dst(u8),
}

impl R2rKind {
    /// The transform computing this one's inverse (types 2 and 3 swap).
    pub fn inverse(self) -> R2rKind {
        let swap = |t| match t {
            2 => 3,
            3 => 2,
            t => t,
        };
        match self {
            R2rKind::Dct(t) => R2rKind::Dct(swap(t)),
            R2rKind::Dst(t) => R2rKind::Dst(swap(t)),
        }
    }

    /// SciPy's logical length `N` used by `norm`.
    pub fn logical_len(self, n: usize) -> usize {
        match self {
            R2rKind::Dct(1) => 2 * (n.max(1) - 1),
            R2rKind::Dst(1) => 2 * (n + 1),
            _ => 2 * n,
        }
    }

    /// `(x₀·√2, x_{n−1}·√2, y₀/√2, y_{n−1}/√2)`: the weights that make the
    /// basis orthonormal (`orthogonalize=True` in SciPy).
    fn orthogonal_weights(self) -> (bool, bool, bool, bool) {
        match self {
            R2rKind::Dct(1) => (true, true, true, true),
            R2rKind::Dct(2) => (false, false, true, false),
            R2rKind::Dct(3) => (true, false, false, false),
            R2rKind::Dst(2) => (false, false, false, true),
            R2rKind::Dst(3) => (false, true, false, false),
            _ => (false, false, false, false),
        }
    }

    fn key(self, n: usize) -> Key {
        match self {
            R2rKind::Dct(1) => Key::Dct1(n),
            R2rKind::Dst(1) => Key::Dst1(n),
            R2rKind::Dct(4) | R2rKind::Dst(4) => Key::Type4(n),
            _ => Key::Type23(n),
        }
    }

    fn ty(self) -> u8 {
        match self {
            R2rKind::Dct(t) | R2rKind::Dst(t) => t,
        }
    }
}

/// Why a transform was refused or stopped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FftError {
    /// The caller's abort flag was raised.
    Cancelled,
    /// `data.len()` disagrees with the product of `shape`.
    ShapeMismatch { len: usize, expected: usize },
    /// An axis is not below the number of dimensions, or repeats.
    InvalidAxis { axis: usize, ndim: usize },
    /// A transform length SciPy refuses (`n < 1`; DCT-I needs `n ≥ 2`).
    InvalidLength { n: usize, min: usize },
    /// A DCT/DST type outside 1..=4.
    InvalidType(u8),
    /// An in-place transform asked to pad or crop `axis` (of length `len`)
    /// to `n`: in place, every length must stay.
    LengthChange { axis: usize, len: usize, n: usize },
    /// A buffer of `bytes` that the allocator refused.
    Alloc { bytes: usize },
    /// A shape whose number of elements does not fit `usize`.
    TooLarge,
}

impl fmt::Display for FftError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FftError::Cancelled => write!(f, "The operation was aborted"),
            FftError::ShapeMismatch { len, expected } => {
                write!(f, "data has {len} elements but shape needs {expected}")
            }
            FftError::InvalidAxis { axis, ndim } => {
                write!(
                    f,
                    "axis {axis} is out of bounds or repeated for an array of dimension {ndim}"
                )
            }
            FftError::InvalidLength { n, min } => {
                write!(
                    f,
                    "invalid number of data points ({n}) specified; must be at least {min}"
                )
            }
            FftError::InvalidType(t) => write!(f, "invalid type {t}; must be 1, 2, 3 or 4"),
            FftError::LengthChange { axis, len, n } => write!(
                f,
                "an in-place transform keeps every length; axis {axis} has {len}, not {n}"
            ),
            FftError::Alloc { bytes } => write!(f, "cannot allocate {bytes} bytes"),
            FftError::TooLarge => write!(f, "the shape has more elements than memory can hold"),
        }
    }
}

impl std::error::Error for FftError {}

impl From<Cancelled> for FftError {
    fn from(_: Cancelled) -> Self {
        FftError::Cancelled
    }
}

/// A row-major n-D array.
#[derive(Clone, Debug, PartialEq)]
pub struct Array<E> {
    pub data: Vec<E>,
    pub shape: Vec<usize>,
}

/// The axes of one transform and the length each is padded or cropped to.
/// For `c2r`, the last entry is the real output length.
#[derive(Clone, Debug)]
pub struct Axes<'a> {
    pub axes: &'a [usize],
    pub lens: &'a [usize],
}

/// Common settings of one call.
#[derive(Clone, Debug)]
pub struct Exec<'a> {
    pub norm: Norm,
    pub par: Par,
    pub cancel: &'a Cancel,
}

fn check(len: usize, shape: &[usize], ax: &Axes, min_len: usize) -> Result<(), FftError> {
    let expected = checked_product(shape).ok_or(FftError::TooLarge)?;
    if len != expected {
        return Err(FftError::ShapeMismatch { len, expected });
    }
    let ndim = shape.len();
    for (i, &a) in ax.axes.iter().enumerate() {
        if a >= ndim || ax.axes[..i].contains(&a) {
            return Err(FftError::InvalidAxis { axis: a, ndim });
        }
    }
    if ax.axes.len() != ax.lens.len() {
        return Err(FftError::InvalidAxis {
            axis: ax.axes.len(),
            ndim,
        });
    }
    if let Some(&n) = ax.lens.iter().find(|&&n| n < min_len) {
        return Err(FftError::InvalidLength { n, min: min_len });
    }
    Ok(())
}

fn with_len(shape: &[usize], axis: usize, n: usize) -> Vec<usize> {
    let mut s = shape.to_vec();
    s[axis] = n;
    s
}

/// What a transform does to the shape of its last axis in `ax.axes`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Layout {
    /// c2c, dct, dst: every axis becomes its length in `ax.lens`.
    Same,
    /// r2c: the last axis becomes `n / 2 + 1`.
    Half,
    /// c2r: the last axis becomes its (real) length in `ax.lens`.
    Real,
}

/// The shape a transform of an array of `shape` over `ax` returns.
pub fn output_shape(shape: &[usize], ax: &Axes, layout: Layout) -> Vec<usize> {
    let mut out = shape.to_vec();
    for (&a, &n) in ax.axes.iter().zip(ax.lens) {
        if a < out.len() {
            out[a] = n;
        }
    }
    if let (Layout::Half, Some(&a), Some(&n)) = (layout, ax.axes.last(), ax.lens.last()) {
        if a < out.len() {
            out[a] = n / 2 + 1;
        }
    }
    out
}

fn check_out(len: usize, shape: &[usize]) -> Result<(), FftError> {
    let expected = checked_product(shape).ok_or(FftError::TooLarge)?;
    if len == expected {
        Ok(())
    } else {
        Err(FftError::ShapeMismatch { len, expected })
    }
}

/// The order [`chain`] runs its passes in (indices into `axes`): the axes it
/// crops, then those whose length stays, then those it pads, each group in the
/// caller's order. Passes along different axes commute; in this order every
/// intermediate holds at most the larger of input and result (cropping first,
/// `[1, 2^20] → [2^20, 1]` never holds 2^40 values), and no transform runs on
/// padding it could have run before.
fn pass_order(shape: &[usize], axes: &[usize], lens: &[usize]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..axes.len()).collect();
    order.sort_by_key(|&i| match lens[i].cmp(&shape[axes[i]]) {
        std::cmp::Ordering::Less => 0,
        std::cmp::Ordering::Equal => 1,
        std::cmp::Ordering::Greater => 2,
    });
    order
}

/// The last pass (an index into `order`) whose length differs from the axis
/// it reads: the one [`chain`] writes into `out`.
fn last_change(shape: &[usize], axes: &[usize], lens: &[usize], order: &[usize]) -> usize {
    order
        .iter()
        .rposition(|&i| lens[i] != shape[axes[i]])
        .unwrap_or(0)
}

/// The most values [`chain`]'s source (when `owned`) and the intermediates it
/// makes hold at once, for [`workspace`].
fn chain_peak(owned: bool, shape: &[usize], axes: &[usize], lens: &[usize]) -> u128 {
    let order = pass_order(shape, axes, lens);
    let k = last_change(shape, axes, lens, &order);
    let size = |s: &[usize]| s.iter().fold(1u128, |p, &d| p.saturating_mul(d as u128));
    let mut shape = shape.to_vec();
    let mut cur = if owned { size(&shape) } else { 0 };
    let mut peak = cur;
    for &i in &order[..k] {
        let (axis, n) = (axes[i], lens[i]);
        let keep = cur > 0 && shape[axis] == n;
        shape[axis] = n;
        if !keep {
            let new = size(&shape);
            peak = peak.max(cur + new);
            cur = new;
        }
    }
    peak
}

/// Applies length-changing or -keeping passes over `axes` (in
/// [`pass_order`]), starting from `src`, so that the last pass that changes a
/// length writes into `out` and every later pass works in place there: no
/// temporary when no axis is padded or cropped after the first. On `Ok`,
/// every element of `out` is written.
fn chain<'a, E, Op>(
    mut src: Cow<'a, [E]>,
    mut shape: Vec<usize>,
    axes: &[usize],
    lens: &[usize],
    make_op: impl Fn(usize) -> Op,
    ex: &Exec,
    out: &mut [MaybeUninit<E>],
) -> Result<(), FftError>
where
    E: Copy + num_traits::Zero + Send + Sync,
    Op: LineOp<E, E>,
{
    if axes.is_empty() {
        for (o, &v) in out.iter_mut().zip(src.iter()) {
            o.write(v);
        }
        return Ok(());
    }
    // The last pass whose length differs from the axis it reads; the first
    // pass always reads `src`, which may be borrowed.
    let order = pass_order(&shape, axes, lens);
    let k = last_change(&shape, axes, lens, &order);
    for (i, &j) in order.iter().enumerate() {
        let (axis, n) = (axes[j], lens[j]);
        let op = make_op(n);
        if i < k {
            match &mut src {
                Cow::Owned(v) if shape[axis] == n => {
                    apply_in_place(v, &shape, axis, &op, ex.par, ex.cancel)?
                }
                _ => src = Cow::Owned(apply(&src, &shape, axis, &op, ex.par, ex.cancel)?),
            }
        } else if i == k {
            apply_into(&src, &shape, axis, &op, ex.par, ex.cancel, out)?;
        } else {
            // SAFETY: pass k wrote every element of `out`.
            let out = unsafe { assume_init(out) };
            apply_in_place(out, &shape, axis, &op, ex.par, ex.cancel)?;
        }
        shape[axis] = n;
    }
    Ok(())
}

/// A c2c line op in direction `forward`, normalized as a forward transform
/// when `scale_forward` (they differ only inside hfftn and ihfftn).
fn c2c_op<T: Float>(n: usize, forward: bool, scale_forward: bool, norm: Norm) -> ops::C2c<T> {
    let Plan::C2c(fft) = plan::plan::<T>(Key::C2c { len: n, forward }) else {
        unreachable!()
    };
    ops::C2c {
        fft,
        scale: T::of_f64(norm.factor(n, scale_forward)),
    }
}

/// A new array of `shape`, written by `f` (one of the `*_into_uninit`
/// functions, which write every element on `Ok`): no zero-fill first.
fn allocated<E>(
    shape: Vec<usize>,
    f: impl FnOnce(&mut [MaybeUninit<E>]) -> Result<(), FftError>,
) -> Result<Array<E>, FftError> {
    let len = checked_product(&shape).ok_or(FftError::TooLarge)?;
    // SAFETY: `f` is one of the `*_into_uninit` functions, which write every
    // element of `out` when they return `Ok`.
    let data = unsafe { try_written_vec(len, f)? };
    Ok(Array { data, shape })
}

/// fft / ifft / fftn / ifftn: complex to complex over `ax`, into `out`
/// (of [`output_shape`] with [`Layout::Same`]).
pub fn c2c_into<T: Float>(
    x: &[Complex<T>],
    shape: &[usize],
    ax: &Axes,
    forward: bool,
    ex: &Exec,
    out: &mut [Complex<T>],
) -> Result<(), FftError> {
    // SAFETY: the `*_into_uninit` functions write only initialized values.
    c2c_into_uninit(x, shape, ax, forward, ex, unsafe { as_uninit(out) })
}

/// [`c2c_into`] into memory that need not be initialized: on `Ok`, every
/// element of `out` has been written (and none was read), so a caller can
/// skip zeroing a fresh result. On an error, `out` may be partly written.
pub fn c2c_into_uninit<T: Float>(
    x: &[Complex<T>],
    shape: &[usize],
    ax: &Axes,
    forward: bool,
    ex: &Exec,
    out: &mut [MaybeUninit<Complex<T>>],
) -> Result<(), FftError> {
    check(x.len(), shape, ax, 1)?;
    check_out(out.len(), &output_shape(shape, ax, Layout::Same))?;
    chain(
        Cow::Borrowed(x),
        shape.to_vec(),
        ax.axes,
        ax.lens,
        |n| c2c_op::<T>(n, forward, forward, ex.norm),
        ex,
        out,
    )
}

/// [`c2c_into`] into a new array.
pub fn c2c<T: Float>(
    x: &[Complex<T>],
    shape: &[usize],
    ax: &Axes,
    forward: bool,
    ex: &Exec,
) -> Result<Array<Complex<T>>, FftError> {
    check(x.len(), shape, ax, 1)?;
    allocated(output_shape(shape, ax, Layout::Same), |out| {
        c2c_into_uninit(x, shape, ax, forward, ex, out)
    })
}

/// Length-preserving passes over `axes`, in place in `data`.
fn chain_in_place<E, Op>(
    data: &mut [E],
    shape: &[usize],
    ax: &Axes,
    make_op: impl Fn(usize) -> Op,
    ex: &Exec,
) -> Result<(), FftError>
where
    E: Copy + num_traits::Zero + Send + Sync,
    Op: LineOp<E, E>,
{
    if let Some((&axis, &n)) = ax.axes.iter().zip(ax.lens).find(|&(&a, &n)| shape[a] != n) {
        return Err(FftError::LengthChange {
            axis,
            len: shape[axis],
            n,
        });
    }
    for &axis in ax.axes {
        apply_in_place(data, shape, axis, &make_op(shape[axis]), ex.par, ex.cancel)?;
    }
    Ok(())
}

/// [`c2c`] in place, as SciPy's `overwrite_x=True` allows: `x` becomes the
/// result, and no memory is allocated for one. Every `ax.lens` must equal the
/// input's length along its axis. On an error other than a validation one
/// (a cancelled call), `x` may be partly transformed.
pub fn c2c_in_place<T: Float>(
    x: &mut [Complex<T>],
    shape: &[usize],
    ax: &Axes,
    forward: bool,
    ex: &Exec,
) -> Result<(), FftError> {
    check(x.len(), shape, ax, 1)?;
    chain_in_place(
        x,
        shape,
        ax,
        |n| c2c_op::<T>(n, forward, forward, ex.norm),
        ex,
    )
}

/// rfft / rfftn: real to half spectrum along the last of `ax.axes`, then
/// complex forward transforms along the others, into `out` (of
/// [`output_shape`] with [`Layout::Half`]). With `hermitian`, ihfft / ihfftn:
/// the conjugate, normalized as an inverse transform.
pub fn r2c_into<T: Float>(
    x: &[T],
    shape: &[usize],
    ax: &Axes,
    hermitian: bool,
    ex: &Exec,
    out: &mut [Complex<T>],
) -> Result<(), FftError> {
    // SAFETY: as in `c2c_into`.
    r2c_into_uninit(x, shape, ax, hermitian, ex, unsafe { as_uninit(out) })
}

/// [`r2c_into`] into memory that need not be initialized (as
/// [`c2c_into_uninit`]).
pub fn r2c_into_uninit<T: Float>(
    x: &[T],
    shape: &[usize],
    ax: &Axes,
    hermitian: bool,
    ex: &Exec,
    out: &mut [MaybeUninit<Complex<T>>],
) -> Result<(), FftError> {
    check(x.len(), shape, ax, 1)?;
    if ax.axes.is_empty() {
        return Err(FftError::InvalidAxis {
            axis: 0,
            ndim: shape.len(),
        });
    }
    check_out(out.len(), &output_shape(shape, ax, Layout::Half))?;
    let forward = !hermitian;
    let k = ax.axes.len() - 1;
    let (axis, n) = (ax.axes[k], ax.lens[k]);
    // The real pass comes first: the other axes are cropped before it, so
    // that it runs on no more lines than the result needs.
    let (xc, shape) = cropped(x, shape, &ax.axes[..k], &ax.lens[..k], ex)?;
    let (x, shape) = (&xc[..], &shape[..]);
    let Plan::R2c(p) = plan::plan::<T>(Key::R2c(n)) else {
        unreachable!()
    };
    let op = ops::R2c {
        scale: T::of_f64(ex.norm.factor(n, forward)),
        conj: false,
        plan: p,
    };
    let half_shape = with_len(shape, axis, n / 2 + 1);
    let (lead_axes, lead_lens) = (&ax.axes[..k], &ax.lens[..k]);
    let c2c = |n| c2c_op::<T>(n, true, forward, ex.norm);
    if lead_axes
        .iter()
        .zip(lead_lens)
        .all(|(&a, &n)| half_shape[a] == n)
    {
        // No padding after the real pass: it writes `out`, the rest is in place.
        apply_into(x, shape, axis, &op, ex.par, ex.cancel, out)?;
        // SAFETY: the real pass wrote every element.
        let out = unsafe { assume_init(out) };
        for (&a, &n) in lead_axes.iter().zip(lead_lens) {
            apply_in_place(out, &half_shape, a, &c2c(n), ex.par, ex.cancel)?;
        }
    } else {
        let half = apply(x, shape, axis, &op, ex.par, ex.cancel)?;
        drop(xc);
        chain(
            Cow::Owned(half),
            half_shape,
            lead_axes,
            lead_lens,
            c2c,
            ex,
            out,
        )?;
    }
    if hermitian {
        // SAFETY: both branches above wrote every element.
        let out = unsafe { assume_init(out) };
        out.iter_mut().for_each(|c| c.im = -c.im);
    }
    Ok(())
}

/// [`r2c_into`] into a new array.
pub fn r2c<T: Float>(
    x: &[T],
    shape: &[usize],
    ax: &Axes,
    hermitian: bool,
    ex: &Exec,
) -> Result<Array<Complex<T>>, FftError> {
    check(x.len(), shape, ax, 1)?;
    allocated(output_shape(shape, ax, Layout::Half), |out| {
        r2c_into_uninit(x, shape, ax, hermitian, ex, out)
    })
}

/// irfft / irfftn: inverse complex transforms along all but the last of
/// `ax.axes`, then half spectrum to real along the last, whose entry in
/// `ax.lens` is the real output length; into `out` (of [`output_shape`] with
/// [`Layout::Real`]). With `hermitian`, hfft / hfftn: the same on the
/// conjugated input, normalized as a forward transform.
pub fn c2r_into<T: Float>(
    x: &[Complex<T>],
    shape: &[usize],
    ax: &Axes,
    hermitian: bool,
    ex: &Exec,
    out: &mut [T],
) -> Result<(), FftError> {
    // SAFETY: as in `c2c_into`.
    c2r_into_uninit(x, shape, ax, hermitian, ex, unsafe { as_uninit(out) })
}

/// [`c2r_into`] into memory that need not be initialized (as
/// [`c2c_into_uninit`]).
pub fn c2r_into_uninit<T: Float>(
    x: &[Complex<T>],
    shape: &[usize],
    ax: &Axes,
    hermitian: bool,
    ex: &Exec,
    out: &mut [MaybeUninit<T>],
) -> Result<(), FftError> {
    check(x.len(), shape, ax, 1)?;
    if ax.axes.is_empty() {
        return Err(FftError::InvalidAxis {
            axis: 0,
            ndim: shape.len(),
        });
    }
    check_out(out.len(), &output_shape(shape, ax, Layout::Real))?;
    let forward = hermitian;
    let k = ax.axes.len() - 1;
    let (axis, n) = (ax.axes[k], ax.lens[k]);
    // The complex passes come first: the last axis is cropped to the half
    // spectrum the real pass reads before they run.
    let (src, shape) = cropped(x, shape, &[axis], &[n / 2 + 1], ex)?;
    let shape = &shape[..];
    let src: Cow<[Complex<T>]> = match src {
        Cow::Owned(mut v) if hermitian => {
            v.iter_mut().for_each(|c| *c = c.conj());
            Cow::Owned(v)
        }
        Cow::Borrowed(b) if hermitian => Cow::Owned(try_copy(b, |c| c.conj())?),
        src => src,
    };
    let mut lead_shape = shape.to_vec();
    let src = if k == 0 {
        src
    } else {
        lead_shape = output_shape(
            shape,
            &Axes {
                axes: &ax.axes[..k],
                lens: &ax.lens[..k],
            },
            Layout::Same,
        );
        let len = checked_product(&lead_shape).ok_or(FftError::TooLarge)?;
        // SAFETY: `chain` writes every element when it returns `Ok`.
        let lead = unsafe {
            try_written_vec(len, |out| {
                chain(
                    src,
                    shape.to_vec(),
                    &ax.axes[..k],
                    &ax.lens[..k],
                    |n| c2c_op::<T>(n, false, forward, ex.norm),
                    ex,
                    out,
                )
            })?
        };
        Cow::Owned(lead)
    };
    let Plan::C2r(p) = plan::plan::<T>(Key::C2r(n)) else {
        unreachable!()
    };
    let op = ops::C2r {
        scale: T::of_f64(ex.norm.factor(n, forward)),
        conj: false,
        plan: p,
    };
    apply_into(&src, &lead_shape, axis, &op, ex.par, ex.cancel, out)?;
    Ok(())
}

/// [`c2r_into`] into a new array.
pub fn c2r<T: Float>(
    x: &[Complex<T>],
    shape: &[usize],
    ax: &Axes,
    hermitian: bool,
    ex: &Exec,
) -> Result<Array<T>, FftError> {
    check(x.len(), shape, ax, 1)?;
    allocated(output_shape(shape, ax, Layout::Real), |out| {
        c2r_into_uninit(x, shape, ax, hermitian, ex, out)
    })
}

/// `x` cropped (not transformed) along each of `axes` whose length in `lens`
/// is shorter, with its new shape; borrowed when nothing is cropped.
fn cropped<'a, E>(
    x: &'a [E],
    shape: &[usize],
    axes: &[usize],
    lens: &[usize],
    ex: &Exec,
) -> Result<(Cow<'a, [E]>, Vec<usize>), FftError>
where
    E: Copy + num_traits::Zero + Send + Sync,
{
    let mut src = Cow::Borrowed(x);
    let mut shape = shape.to_vec();
    for (&a, &n) in axes.iter().zip(lens) {
        if n < shape[a] {
            src = Cow::Owned(apply(
                &src,
                &shape,
                a,
                &ops::Crop { len: n },
                ex.par,
                ex.cancel,
            )?);
            shape[a] = n;
        }
    }
    Ok((src, shape))
}

/// The most values [`cropped`] holds at once, and the shape it returns.
fn cropped_peak(shape: &[usize], axes: &[usize], lens: &[usize]) -> (u128, Vec<usize>) {
    let size = |s: &[usize]| s.iter().fold(1u128, |p, &d| p.saturating_mul(d as u128));
    let (mut cur, mut peak, mut shape) = (0, 0, shape.to_vec());
    for (&a, &n) in axes.iter().zip(lens) {
        if n < shape[a] {
            shape[a] = n;
            let new = size(&shape);
            peak = peak.max(cur + new);
            cur = new;
        }
    }
    (peak, shape)
}

/// A transform, as [`workspace`] needs to know it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Transform {
    C2c,
    R2c,
    C2r { hermitian: bool },
    R2r(R2rKind),
}

/// An upper bound on the bytes a transform of an array of `shape` over `ax`,
/// run with `par`, allocates beside its input and result: its intermediate
/// arrays, its plans (when not cached yet) and every thread's scratch. A
/// caller that knows the memory it may use can refuse a request before any
/// of it is allocated (plans allocate inside rustfft, where a refusal would
/// abort). `None` when the bound does not fit `u128`. The request must have
/// passed the transform's own checks (axes in range, one length per axis).
pub fn workspace<T: Float>(shape: &[usize], ax: &Axes, t: Transform, par: Par) -> Option<u128> {
    let (re, cx) = (
        std::mem::size_of::<T>() as u128,
        std::mem::size_of::<Complex<T>>() as u128,
    );
    let size = |s: &[usize]| s.iter().fold(1u128, |p, &d| p.saturating_mul(d as u128));
    let (axes, lens) = (ax.axes, ax.lens);
    let last = axes.len().saturating_sub(1);
    let intermediate = match t {
        Transform::C2c => chain_peak(false, shape, axes, lens) * cx,
        Transform::R2r(_) => chain_peak(false, shape, axes, lens) * re,
        Transform::R2c if !axes.is_empty() => {
            let (crop, cs) = cropped_peak(shape, &axes[..last], &lens[..last]);
            let half_shape = with_len(&cs, axes[last], lens[last] / 2 + 1);
            let lead_kept = axes[..last]
                .iter()
                .zip(&lens[..last])
                .all(|(&a, &n)| half_shape[a] == n);
            let copy = if cs == shape { 0 } else { size(&cs) * re };
            let half = if lead_kept {
                0
            } else {
                let chained = chain_peak(true, &half_shape, &axes[..last], &lens[..last]);
                (copy + size(&half_shape) * cx).max(chained * cx)
            };
            (crop * re).max(half)
        }
        Transform::C2r { hermitian } if !axes.is_empty() => {
            let (axis, n) = (axes[last], lens[last]);
            let (crop, cs) = cropped_peak(shape, &[axis], &[n / 2 + 1]);
            let copied = cs != shape || hermitian;
            let lead = if last == 0 {
                0
            } else {
                let lead_shape = output_shape(
                    &cs,
                    &Axes {
                        axes: &axes[..last],
                        lens: &lens[..last],
                    },
                    Layout::Same,
                );
                size(&lead_shape) + chain_peak(copied, &cs, &axes[..last], &lens[..last])
            };
            crop.max(if copied { size(&cs) } else { 0 }).max(lead) * cx
        }
        _ => 0,
    };
    let kinds = |i: usize| {
        let kind = match t {
            Transform::C2c => LineKind::C2c,
            Transform::R2c | Transform::C2r { .. } if i == last => LineKind::Real,
            Transform::R2c | Transform::C2r { .. } => LineKind::C2c,
            Transform::R2r(k) => LineKind::R2r(k),
        };
        // Rows when every later axis has one element, in the input and the result.
        let a = axes[i];
        let rows = (a + 1..shape.len())
            .all(|d| shape[d] == 1 && axes.iter().zip(lens).all(|(&b, &n)| b != d || n == 1));
        (kind, rows)
    };
    memory::workspace_bytes::<T>(ax, kinds, intermediate, par.threads())
}

/// [`check`] for a DCT/DST of `kind`: a type from 1 to 4, and at least two
/// points per axis for DCT-I.
fn check_r2r(len: usize, shape: &[usize], ax: &Axes, kind: R2rKind) -> Result<(), FftError> {
    if !(1..=4).contains(&kind.ty()) {
        return Err(FftError::InvalidType(kind.ty()));
    }
    let min = if kind == R2rKind::Dct(1) { 2 } else { 1 };
    check(len, shape, ax, min)
}

/// dct / dst / idct / idst and their n-D forms over `ax`, into `out` (of
/// [`output_shape`] with [`Layout::Same`]). `inverse` computes the inverse of
/// `kind` (`idct`), with the inverse normalization.
#[allow(clippy::too_many_arguments)]
pub fn r2r_into<T: Float>(
    x: &[T],
    shape: &[usize],
    ax: &Axes,
    kind: R2rKind,
    inverse: bool,
    orthogonalize: bool,
    ex: &Exec,
    out: &mut [T],
) -> Result<(), FftError> {
    // SAFETY: as in `c2c_into`.
    let out = unsafe { as_uninit(out) };
    r2r_into_uninit(x, shape, ax, kind, inverse, orthogonalize, ex, out)
}

/// [`r2r_into`] into memory that need not be initialized (as
/// [`c2c_into_uninit`]).
#[allow(clippy::too_many_arguments)]
pub fn r2r_into_uninit<T: Float>(
    x: &[T],
    shape: &[usize],
    ax: &Axes,
    kind: R2rKind,
    inverse: bool,
    orthogonalize: bool,
    ex: &Exec,
    out: &mut [MaybeUninit<T>],
) -> Result<(), FftError> {
    check_r2r(x.len(), shape, ax, kind)?;
    check_out(out.len(), &output_shape(shape, ax, Layout::Same))?;
    let computed = if inverse { kind.inverse() } else { kind };
    chain(
        Cow::Borrowed(x),
        shape.to_vec(),
        ax.axes,
        ax.lens,
        |n| r2r_op(kind, computed, inverse, n, orthogonalize, ex),
        ex,
        out,
    )
}

/// The line op of `kind` (or of its inverse, `computed`) at length `n`.
fn r2r_op<T: Float>(
    kind: R2rKind,
    computed: R2rKind,
    inverse: bool,
    n: usize,
    orthogonalize: bool,
    ex: &Exec,
) -> ops::R2r<T> {
    ops::R2r {
        plan: plan::plan::<T>(computed.key(n)),
        kind: computed,
        len: n,
        scale: T::of_f64(ex.norm.factor(kind.logical_len(n), !inverse)),
        orthogonalize,
    }
}

/// [`r2r`] in place (see [`c2c_in_place`]).
pub fn r2r_in_place<T: Float>(
    x: &mut [T],
    shape: &[usize],
    ax: &Axes,
    kind: R2rKind,
    inverse: bool,
    orthogonalize: bool,
    ex: &Exec,
) -> Result<(), FftError> {
    check_r2r(x.len(), shape, ax, kind)?;
    let computed = if inverse { kind.inverse() } else { kind };
    chain_in_place(
        x,
        shape,
        ax,
        |n| r2r_op(kind, computed, inverse, n, orthogonalize, ex),
        ex,
    )
}

/// [`r2r_into`] into a new array.
pub fn r2r<T: Float>(
    x: &[T],
    shape: &[usize],
    ax: &Axes,
    kind: R2rKind,
    inverse: bool,
    orthogonalize: bool,
    ex: &Exec,
) -> Result<Array<T>, FftError> {
    check_r2r(x.len(), shape, ax, kind)?;
    allocated(output_shape(shape, ax, Layout::Same), |out| {
        r2r_into_uninit(x, shape, ax, kind, inverse, orthogonalize, ex, out)
    })
}

/// The most threads any pass of a transform over `ax` would use with `par`:
/// what the call really runs on (never more than the lines of a pass, one
/// below SciPy's 32,768-element threshold).
pub fn effective_threads(shape: &[usize], axes: &[usize], par: Par) -> usize {
    axes.iter()
        .filter(|&&a| a < shape.len())
        .map(|&a| driver::pass_par(shape, a, par).threads())
        .max()
        .unwrap_or(1)
}

/// Every odd length up to `limit` whose prime factors are the odd ones of
/// 3, 5 (real) or 3, 5, 7, 11 (complex); the fast lengths are these times
/// powers of two.
fn odd_fast_parts(limit: u128, real: bool) -> Vec<u128> {
    let primes: &[u128] = if real { &[3, 5] } else { &[3, 5, 7, 11] };
    let mut parts = vec![1u128];
    for &p in primes {
        for i in 0..parts.len() {
            let mut m = parts[i] * p;
            while m <= limit {
                parts.push(m);
                m *= p;
            }
        }
    }
    parts
}

/// scipy.fft.next_fast_len: the smallest length `>= target` whose only prime
/// factors are 2, 3, 5 (real) or 2, 3, 5, 7, 11 (complex). `None` past
/// `usize`.
///
/// Enumerates the candidates (under 30,000 even near `usize::MAX`, about
/// 2,400 for 32-bit targets) rather than testing every integer: gaps
/// between fast lengths grow without bound (near 10¹² a scan took a minute).
pub fn next_fast_len(target: usize, real: bool) -> Option<usize> {
    let target = target.max(1) as u128;
    // The next power of two (< 2·target) bounds the answer, so odd parts
    // beyond 2·target never matter.
    odd_fast_parts(2 * target, real)
        .into_iter()
        .map(|mut m| {
            while m < target {
                m *= 2;
            }
            m
        })
        .min()
        .and_then(|m| usize::try_from(m).ok())
}

/// scipy.fft.prev_fast_len: the largest such length `<= target`.
pub fn prev_fast_len(target: usize, real: bool) -> Option<usize> {
    let target = target as u128;
    odd_fast_parts(target, real)
        .into_iter()
        .filter(|&m| m <= target)
        .map(|mut m| {
            while 2 * m <= target {
                m *= 2;
            }
            m
        })
        .max()
        .map(|m| m as usize)
}

/// Reinterprets interleaved re/im values as complex numbers, without a copy.
pub fn as_complex<T: Float>(x: &[T]) -> &[Complex<T>] {
    bytemuck::cast_slice(x)
}

/// Mutable [`as_complex`].
pub fn as_complex_mut<T: Float>(x: &mut [T]) -> &mut [Complex<T>] {
    bytemuck::cast_slice_mut(x)
}

/// [`as_complex_mut`] for memory not yet written. Panics on an odd length.
pub fn as_complex_uninit<T: Float>(x: &mut [MaybeUninit<T>]) -> &mut [MaybeUninit<Complex<T>>] {
    assert!(
        x.len().is_multiple_of(2),
        "interleaved complex data needs an even length"
    );
    // SAFETY: `Complex<T>` is `repr(C)` {re, im} with `T`'s alignment, so
    // two `MaybeUninit<T>` are one `MaybeUninit<Complex<T>>`.
    unsafe { std::slice::from_raw_parts_mut(x.as_mut_ptr().cast(), x.len() / 2) }
}

/// Turns complex numbers into interleaved re/im, without a copy.
pub fn into_interleaved<T: Float>(x: Vec<Complex<T>>) -> Vec<T> {
    bytemuck::allocation::cast_vec(x)
}
