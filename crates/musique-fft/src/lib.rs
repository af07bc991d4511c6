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
mod ops;
mod plan;

use std::fmt;

pub use musique_core::{Cancel, Cancelled, Par};
use num_complex::Complex;
use num_traits::FloatConst;
pub use plan::{cache_stats, BUDGET, MAX_PLANS};

use driver::{apply, apply_in_place};
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
    /// Parses SciPy's names.
    pub fn parse(s: &str) -> Option<Norm> {
        match s {
            "backward" => Some(Norm::Backward),
            "ortho" => Some(Norm::Ortho),
            "forward" => Some(Norm::Forward),
            _ => None,
        }
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
    let expected: usize = shape.iter().product();
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

/// Applies c2c passes over `axes` to `data` (already of the final shape
/// along axes that were handled), in place where lengths allow.
fn c2c_passes<T: Float>(
    mut data: Vec<Complex<T>>,
    mut shape: Vec<usize>,
    axes: &[usize],
    lens: &[usize],
    forward: bool,
    scale_forward: bool,
    ex: &Exec,
) -> Result<Array<Complex<T>>, FftError> {
    for (&axis, &n) in axes.iter().zip(lens) {
        let op = c2c_op::<T>(n, forward, scale_forward, ex.norm);
        if shape[axis] == n {
            apply_in_place(&mut data, &shape, axis, &op, ex.par, ex.cancel)?;
        } else {
            data = apply(&data, &shape, axis, &op, ex.par, ex.cancel)?;
            shape = with_len(&shape, axis, n);
        }
    }
    Ok(Array { data, shape })
}

/// fft / ifft / fftn / ifftn: complex to complex over `ax`.
pub fn c2c<T: Float>(
    x: &[Complex<T>],
    shape: &[usize],
    ax: &Axes,
    forward: bool,
    ex: &Exec,
) -> Result<Array<Complex<T>>, FftError> {
    check(x.len(), shape, ax, 1)?;
    if ax.axes.is_empty() {
        return Ok(Array {
            data: x.to_vec(),
            shape: shape.to_vec(),
        });
    }
    c2c_scaled(x, shape, ax, forward, forward, ex)
}

fn c2c_scaled<T: Float>(
    x: &[Complex<T>],
    shape: &[usize],
    ax: &Axes,
    forward: bool,
    scale_forward: bool,
    ex: &Exec,
) -> Result<Array<Complex<T>>, FftError> {
    let (axis, n) = (ax.axes[0], ax.lens[0]);
    let op = c2c_op::<T>(n, forward, scale_forward, ex.norm);
    let first = apply(x, shape, axis, &op, ex.par, ex.cancel)?;
    c2c_passes(
        first,
        with_len(shape, axis, n),
        &ax.axes[1..],
        &ax.lens[1..],
        forward,
        scale_forward,
        ex,
    )
}

/// rfft / rfftn: real to half spectrum along the last of `ax.axes`, then
/// complex forward transforms along the others. With `hermitian`, ihfft /
/// ihfftn: the conjugate, normalized as an inverse transform.
pub fn r2c<T: Float>(
    x: &[T],
    shape: &[usize],
    ax: &Axes,
    hermitian: bool,
    ex: &Exec,
) -> Result<Array<Complex<T>>, FftError> {
    check(x.len(), shape, ax, 1)?;
    if ax.axes.is_empty() {
        return Err(FftError::InvalidAxis {
            axis: 0,
            ndim: shape.len(),
        });
    }
    let forward = !hermitian;
    let k = ax.axes.len() - 1;
    let (axis, n) = (ax.axes[k], ax.lens[k]);
    let Plan::R2c(p) = plan::plan::<T>(Key::R2c(n)) else {
        unreachable!()
    };
    let op = ops::R2c {
        scale: T::of_f64(ex.norm.factor(n, forward)),
        conj: false,
        plan: p,
    };
    let half = apply(x, shape, axis, &op, ex.par, ex.cancel)?;
    let mut out = c2c_passes(
        half,
        with_len(shape, axis, n / 2 + 1),
        &ax.axes[..k],
        &ax.lens[..k],
        true,
        forward,
        ex,
    )?;
    if hermitian {
        out.data.iter_mut().for_each(|c| c.im = -c.im);
    }
    Ok(out)
}

/// irfft / irfftn: inverse complex transforms along all but the last of
/// `ax.axes`, then half spectrum to real along the last, whose entry in
/// `ax.lens` is the real output length. With `hermitian`, hfft / hfftn: the
/// same on the conjugated input, normalized as a forward transform.
pub fn c2r<T: Float>(
    x: &[Complex<T>],
    shape: &[usize],
    ax: &Axes,
    hermitian: bool,
    ex: &Exec,
) -> Result<Array<T>, FftError> {
    check(x.len(), shape, ax, 1)?;
    if ax.axes.is_empty() {
        return Err(FftError::InvalidAxis {
            axis: 0,
            ndim: shape.len(),
        });
    }
    let (conj, forward) = (hermitian, hermitian);
    let k = ax.axes.len() - 1;
    let (axis, n) = (ax.axes[k], ax.lens[k]);
    let conj_first: Vec<Complex<T>>;
    let x = if conj {
        conj_first = x.iter().map(|c| c.conj()).collect();
        &conj_first[..]
    } else {
        x
    };
    let Array { data, shape } = if k == 0 {
        Array {
            data: Vec::new(),
            shape: shape.to_vec(),
        }
    } else {
        let lead = Axes {
            axes: &ax.axes[..k],
            lens: &ax.lens[..k],
        };
        c2c_scaled(x, shape, &lead, false, forward, ex)?
    };
    let src = if k == 0 { x } else { &data[..] };
    let Plan::C2r(p) = plan::plan::<T>(Key::C2r(n)) else {
        unreachable!()
    };
    let op = ops::C2r {
        scale: T::of_f64(ex.norm.factor(n, forward)),
        conj: false,
        plan: p,
    };
    let out = apply(src, &shape, axis, &op, ex.par, ex.cancel)?;
    Ok(Array {
        data: out,
        shape: with_len(&shape, axis, n),
    })
}

/// dct / dst / idct / idst and their n-D forms over `ax`. `inverse` computes
/// the inverse of `kind` (`idct`), with the inverse normalization.
pub fn r2r<T: Float>(
    x: &[T],
    shape: &[usize],
    ax: &Axes,
    kind: R2rKind,
    inverse: bool,
    orthogonalize: bool,
    ex: &Exec,
) -> Result<Array<T>, FftError> {
    if !(1..=4).contains(&kind.ty()) {
        return Err(FftError::InvalidType(kind.ty()));
    }
    let min = if kind == R2rKind::Dct(1) { 2 } else { 1 };
    check(x.len(), shape, ax, min)?;
    let computed = if inverse { kind.inverse() } else { kind };
    let mut data: Option<Vec<T>> = None;
    let mut cur_shape = shape.to_vec();
    for (&axis, &n) in ax.axes.iter().zip(ax.lens) {
        let op = ops::R2r {
            plan: plan::plan::<T>(computed.key(n)),
            kind: computed,
            len: n,
            scale: T::of_f64(ex.norm.factor(kind.logical_len(n), !inverse)),
            orthogonalize,
        };
        match data.as_mut() {
            Some(d) if cur_shape[axis] == n => {
                apply_in_place(d, &cur_shape, axis, &op, ex.par, ex.cancel)?
            }
            _ => {
                let src = data.as_deref().unwrap_or(x);
                data = Some(apply(src, &cur_shape, axis, &op, ex.par, ex.cancel)?);
                cur_shape = with_len(&cur_shape, axis, n);
            }
        }
    }
    Ok(Array {
        data: data.unwrap_or_else(|| x.to_vec()),
        shape: cur_shape,
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

fn is_smooth(mut n: usize, primes: &[usize]) -> bool {
    for &p in primes {
        while n.is_multiple_of(p) {
            n /= p;
        }
    }
    n == 1
}

fn fast_primes(real: bool) -> &'static [usize] {
    if real {
        &[2, 3, 5]
    } else {
        &[2, 3, 5, 7, 11]
    }
}

/// scipy.fft.next_fast_len: the smallest length `>= target` whose only prime
/// factors are 2, 3, 5 (real) or 2, 3, 5, 7, 11 (complex). `None` past
/// `usize`.
pub fn next_fast_len(target: usize, real: bool) -> Option<usize> {
    let primes = fast_primes(real);
    (target.max(1)..=usize::MAX).find(|&n| is_smooth(n, primes))
}

/// scipy.fft.prev_fast_len: the largest such length `<= target`.
pub fn prev_fast_len(target: usize, real: bool) -> Option<usize> {
    let primes = fast_primes(real);
    (1..=target).rev().find(|&n| is_smooth(n, primes))
}

/// Reinterprets interleaved re/im values as complex numbers, without a copy.
pub fn as_complex<T: Float>(x: &[T]) -> &[Complex<T>] {
    bytemuck::cast_slice(x)
}

/// Mutable [`as_complex`].
pub fn as_complex_mut<T: Float>(x: &mut [T]) -> &mut [Complex<T>] {
    bytemuck::cast_slice_mut(x)
}

/// Turns complex numbers into interleaved re/im, without a copy.
pub fn into_interleaved<T: Float>(x: Vec<Complex<T>>) -> Vec<T> {
    bytemuck::allocation::cast_vec(x)
}
