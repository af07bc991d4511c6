//! What a transform allocates, decided before it allocates.
//!
//! Every buffer this crate makes for a call (intermediate arrays, copies) is
//! reserved fallibly ([`try_written_vec`]): a size the allocator refuses is
//! [`FftError::Alloc`], never an abort. The plans of rustfft, realfft and
//! rustdct and their scratch allocate inside those crates, where a refusal
//! aborts the process; [`workspace_bytes`] bounds them (and everything else a
//! call needs beside its input and result) from above, so that a caller can
//! refuse a request whose memory it cannot have before anything runs.

use std::mem::{size_of, MaybeUninit};

use num_complex::Complex;

use crate::{Axes, FftError, Float, R2rKind};

/// A vector of `len` values written by `fill`, with no zero-fill first; its
/// memory is reserved fallibly, so a size that cannot be had is
/// [`FftError::Alloc`].
///
/// # Safety
/// When `fill` returns `Ok`, it has written every element of its slice.
pub(crate) unsafe fn try_written_vec<T>(
    len: usize,
    fill: impl FnOnce(&mut [MaybeUninit<T>]) -> Result<(), FftError>,
) -> Result<Vec<T>, FftError> {
    let mut v = Vec::new();
    v.try_reserve_exact(len).map_err(|_| FftError::Alloc {
        bytes: len.saturating_mul(size_of::<T>()),
    })?;
    fill(&mut v.spare_capacity_mut()[..len])?;
    // SAFETY: `fill` returned `Ok`, so (by the caller's promise) it wrote
    // all `len` elements.
    unsafe { v.set_len(len) };
    Ok(v)
}

/// `x` copied into a vector reserved fallibly.
pub(crate) fn try_copy<T: Copy>(x: &[T], f: impl Fn(T) -> T) -> Result<Vec<T>, FftError> {
    let mut v = Vec::new();
    v.try_reserve_exact(x.len()).map_err(|_| FftError::Alloc {
        bytes: x.len().saturating_mul(size_of::<T>()),
    })?;
    v.extend(x.iter().map(|&e| f(e)));
    Ok(v)
}

/// The product of `dims`, or `None` past `usize`.
pub(crate) fn checked_product(dims: &[usize]) -> Option<usize> {
    dims.iter().try_fold(1usize, |p, &d| p.checked_mul(d))
}

/// Distinct prime factors of `m` above rustfft's largest butterfly (31),
/// which it plans through Rader's or Bluestein's algorithm.
fn large_prime_factors(mut m: usize) -> Vec<usize> {
    let mut out = Vec::new();
    let mut p = 2;
    while p <= m / p {
        if m.is_multiple_of(p) {
            if p > 31 {
                out.push(p);
            }
            while m.is_multiple_of(p) {
                m /= p;
            }
        }
        p += if p == 2 { 1 } else { 2 };
    }
    if m > 31 {
        out.push(m);
    }
    out
}

/// Upper bounds, in complex values, on what a rustfft plan of length `m`
/// holds and on the scratch one call of it takes. Mixed-radix plans hold
/// about `m` twiddles; a prime factor `p > 31` is planned through a
/// Bluestein (or Rader) plan whose inner length is below `4p`, holding that
/// length of twiddles twice and as much scratch.
fn fft_cost(m: usize) -> (u128, u128) {
    let m128 = m as u128;
    // Short lengths cost little whatever their factors; factoring them on
    // every call would not pay.
    if m <= 1 << 16 {
        return (4 * m128.max(64), 4 * m128.max(64));
    }
    let inner: u128 = large_prime_factors(m).iter().map(|&p| 4 * p as u128).sum();
    (3 * m128 / 2 + 3 * inner, 2 * m128 + 2 * inner)
}

/// The line transform of one pass, for [`workspace_bytes`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum LineKind {
    /// A complex transform of the line's length.
    C2c,
    /// A real-to-half-spectrum or half-spectrum-to-real transform whose real
    /// length is the line's.
    Real,
    /// A DCT or DST.
    R2r(R2rKind),
}

/// Upper bounds, in complex values, on the plan of a line transform of
/// length `n` and on one thread's scratch for it (the plan's scratch and the
/// driver's block buffers); `contiguous` when the lines are rows (the last
/// axis, or every later axis of length 1).
fn line_cost(kind: LineKind, n: usize, contiguous: bool) -> (u128, u128) {
    let n128 = n as u128;
    let (plan, scratch) = match kind {
        LineKind::C2c => fft_cost(n),
        // realfft plans a complex FFT of half the length (or the whole, when odd).
        LineKind::Real => {
            let (p, s) = fft_cost(if n.is_multiple_of(2) { n / 2 } else { n });
            (p + n128 / 2, s + n128 / 2)
        }
        LineKind::R2r(k) => {
            // rustdct runs DCT-I / DST-I through an FFT of twice the length, types
            // II and III (Makhoul) through real FFTs of the length, type IV through
            // an FFT of the length or half of it.
            let m = match k {
                R2rKind::Dct(1) | R2rKind::Dst(1) => n.saturating_add(1).saturating_mul(2),
                _ => n,
            };
            let (p, s) = fft_cost(m);
            (2 * p + n128, s + 2 * m as u128 + n128)
        }
    };
    // Block buffers (driver.rs, `block_len`): rows gather at most max(8192,
    // n) values; columns at least 4 lines in and out, else up to 4 MiB.
    let blocks = if contiguous {
        n128 + 8192
    } else {
        2 * (4 * n128).max(8192) + (4u128 << 20) / 8
    };
    (plan, scratch + blocks)
}

/// An upper bound on the bytes the plans of a transform over `ax` and the
/// scratch of `threads` threads take, plus `intermediate` bytes of arrays;
/// `kinds(i)` is the line transform along `ax.axes[i]` and whether its lines
/// are contiguous. `None` past `u128`.
pub(crate) fn workspace_bytes<T: Float>(
    ax: &Axes,
    kinds: impl Fn(usize) -> (LineKind, bool),
    intermediate: u128,
    threads: usize,
) -> Option<u128> {
    let mut plans: u128 = 0;
    let mut scratch: u128 = 0;
    let mut seen: Vec<(LineKind, usize)> = Vec::new();
    for (i, &n) in ax.lens.iter().enumerate() {
        let (kind, contiguous) = kinds(i);
        let (p, s) = line_cost(kind, n, contiguous);
        if !seen.contains(&(kind, n)) {
            seen.push((kind, n));
            plans = plans.checked_add(p)?;
        }
        scratch = scratch.max(s);
    }
    let threads = threads.clamp(1, musique_core::available_cores()) as u128;
    plans
        .checked_add(scratch.checked_mul(threads)?)?
        .checked_mul(size_of::<Complex<T>>() as u128)?
        .checked_add(intermediate)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn large_primes() {
        assert_eq!(large_prime_factors(1 << 20), Vec::<usize>::new());
        assert_eq!(large_prime_factors(2 * 3 * 37 * 37 * 101), vec![37, 101]);
        assert_eq!(large_prime_factors(2147483647), vec![2147483647]);
    }

    #[test]
    fn bluestein_lengths_cost_more() {
        let (smooth, _) = fft_cost(1 << 30);
        let (prime, _) = fft_cost(2147483647);
        assert!(prime > 4 * smooth);
    }
}
