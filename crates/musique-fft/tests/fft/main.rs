//! musique-fft against definitions, one test binary (each binary
//! monomorphizes the transforms at opt-level 2, so they are kept together):
//!
//! - `c2c`: fft / ifft / fftn against the naive DFT;
//! - `real`: rfft / irfft / hfft / ihfft and their n-D forms;
//! - `r2r`: DCT / DST types 1 to 4 against SciPy's sums;
//! - `parallel`: thread counts, bit-identical parallel results, cancellation;
//! - `errors`: refused requests and the small helpers;
//! - `fast_len`: next_fast_len / prev_fast_len against trial factorisation.
//!
//! The plan cache is tested in its own binary (`plan_cache.rs`), where no
//! other test touches the process-wide cache.

mod c2c;
mod errors;
mod fast_len;
mod limits;
mod parallel;
mod r2r;
mod real;

use musique_fft::{Cancel, Exec, Norm, Par};
use num_complex::{Complex, Complex32, Complex64};

pub const NORMS: [Norm; 3] = [Norm::Backward, Norm::Ortho, Norm::Forward];

pub fn ex(cancel: &Cancel, norm: Norm, par: Par) -> Exec<'_> {
    Exec { norm, par, cancel }
}

pub fn to32(x: &[Complex64]) -> Vec<Complex32> {
    x.iter()
        .map(|c| Complex::new(c.re as f32, c.im as f32))
        .collect()
}

pub fn to64(x: &[Complex32]) -> Vec<Complex64> {
    x.iter()
        .map(|c| Complex::new(c.re as f64, c.im as f64))
        .collect()
}

pub fn reals32(x: &[f64]) -> Vec<f32> {
    x.iter().map(|&v| v as f32).collect()
}

pub fn reals64(x: &[f32]) -> Vec<f64> {
    x.iter().map(|&v| v as f64).collect()
}

pub fn scaled(x: Vec<Complex64>, f: f64) -> Vec<Complex64> {
    x.into_iter().map(|v| v * f).collect()
}

/// The exponent sign of the DFT in a direction.
pub fn sign(forward: bool) -> f64 {
    if forward {
        -1.0
    } else {
        1.0
    }
}

/// Runs `f` and, if it panics, panics again with `ctx` added.
pub fn with_ctx(ctx: &str, f: impl FnOnce() + std::panic::UnwindSafe) {
    if let Err(e) = std::panic::catch_unwind(f) {
        let msg = e
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| e.downcast_ref::<&str>().map(|s| s.to_string()))
            .unwrap_or_default();
        panic!("{ctx}: {msg}");
    }
}
