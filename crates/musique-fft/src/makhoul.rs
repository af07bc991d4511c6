//! DCT-II/III and DST-II/III through one real FFT of the same length
//! (Makhoul, "A fast cosine transform in one and two dimensions", 1980).
//!
//! With `v = [x₀, x₂, x₄, …, x₅, x₃, x₁]` (even samples ascending, odd ones
//! descending) and `V = rfft(v)`, the DCT-II `X_k = Σ x_n cos(πk(2n+1)/2N)`
//! is `X_k = Re(W^k V_k)` and `X_{N−k} = −Im(W^k V_k)` with
//! `W = exp(−iπ/2N)`. The DCT-III (`x₀/2 + Σ_{n≥1} x_n cos(π(2k+1)n/2N)`) runs
//! the same steps backwards through an inverse real FFT. DST-II/III follow
//! from the DCT by flipping signs and order. Both conventions are rustdct's
//! (no factor two); `ops::R2r` adds SciPy's.
//!
//! rustdct computes these through a complex FFT of length `n` (or a scalar
//! split radix for powers of two); a real FFT does half the work.

use std::sync::Arc;

use num_complex::Complex;
use num_traits::Zero;
use realfft::{ComplexToReal, RealFftPlanner, RealToComplex};

use crate::Float;

pub struct Makhoul<T: Float> {
    len: usize,
    r2c: Arc<dyn RealToComplex<T>>,
    c2r: Arc<dyn ComplexToReal<T>>,
    /// `W^k` for `k = 0..=len/2`.
    twiddles: Vec<Complex<T>>,
}

/// Per-thread buffers.
pub struct State<T> {
    v: Vec<T>,
    spectrum: Vec<Complex<T>>,
    scratch: Vec<Complex<T>>,
}

impl<T: Float> Makhoul<T> {
    pub fn new(len: usize) -> Makhoul<T> {
        let mut planner = RealFftPlanner::new();
        let twiddles = (0..=len / 2)
            .map(|k| {
                let angle = -std::f64::consts::PI * k as f64 / (2 * len) as f64;
                Complex::new(T::of_f64(angle.cos()), T::of_f64(angle.sin()))
            })
            .collect();
        Makhoul {
            len,
            r2c: planner.plan_fft_forward(len),
            c2r: planner.plan_fft_inverse(len),
            twiddles,
        }
    }

    pub fn state(&self) -> State<T> {
        let scratch = self.r2c.get_scratch_len().max(self.c2r.get_scratch_len());
        State {
            v: vec![T::zero(); self.len],
            spectrum: vec![Complex::zero(); self.len / 2 + 1],
            scratch: vec![Complex::zero(); scratch],
        }
    }

    /// DCT-II in place; with `dst`, DST-II.
    pub fn type2(&self, x: &mut [T], st: &mut State<T>, dst: bool) {
        let n = self.len;
        for (i, &xi) in x.iter().enumerate() {
            // DST-II(x) is DCT-II of (−1)ⁿ·x, read backwards.
            let xi = if dst && i % 2 == 1 { -xi } else { xi };
            let j = if i % 2 == 0 { i / 2 } else { n - 1 - i / 2 };
            st.v[j] = xi;
        }
        let _ = self
            .r2c
            .process_with_scratch(&mut st.v, &mut st.spectrum, &mut st.scratch);
        for k in 0..=n / 2 {
            let z = self.twiddles[k] * st.spectrum[k];
            x[k] = z.re;
            if k != 0 && n - k != k {
                x[n - k] = -z.im;
            }
        }
        if dst {
            x.reverse();
        }
    }

    /// DCT-III in place; with `dst`, DST-III.
    pub fn type3(&self, x: &mut [T], st: &mut State<T>, dst: bool) {
        let n = self.len;
        if dst {
            // DST-III(x)_k is (−1)^k · DCT-III(reversed x)_k.
            x.reverse();
        }
        for k in 0..=n / 2 {
            let other = if k == 0 { T::zero() } else { x[n - k] };
            st.spectrum[k] = self.twiddles[k].conj() * Complex::new(x[k], -other);
        }
        // Hermitian by construction; remove rounding from the parts that must be real.
        st.spectrum[0].im = T::zero();
        if n.is_multiple_of(2) {
            st.spectrum[n / 2].im = T::zero();
        }
        let _ = self
            .c2r
            .process_with_scratch(&mut st.spectrum, &mut st.v, &mut st.scratch);
        let half = T::of_f64(0.5);
        for (i, xi) in x.iter_mut().enumerate() {
            let j = if i % 2 == 0 { i / 2 } else { n - 1 - i / 2 };
            let y = st.v[j] * half;
            *xi = if dst && i % 2 == 1 { -y } else { y };
        }
    }
}
