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

use std::sync::{Arc, Mutex};

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
    /// One set of buffers kept between calls: fresh ones cost a pass of page
    /// faults (or of zeroing) each, which at 2^20 is as much as the
    /// transform's own passes.
    spare: Arc<Mutex<Option<Buffers<T>>>>,
}

struct Buffers<T> {
    v: Vec<T>,
    spectrum: Vec<Complex<T>>,
    scratch: Vec<Complex<T>>,
}

/// Per-thread buffers; the plan's spare set when free, handed back on drop.
pub struct State<T> {
    bufs: Option<Buffers<T>>,
    home: Arc<Mutex<Option<Buffers<T>>>>,
}

impl<T> Drop for State<T> {
    fn drop(&mut self) {
        if let (Some(b), Ok(mut spare)) = (self.bufs.take(), self.home.lock()) {
            spare.get_or_insert(b);
        }
    }
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
            spare: Arc::new(Mutex::new(None)),
        }
    }

    pub fn state(&self) -> State<T> {
        let spare = self.spare.lock().ok().and_then(|mut s| s.take());
        let bufs = spare.unwrap_or_else(|| {
            let scratch = self.r2c.get_scratch_len().max(self.c2r.get_scratch_len());
            Buffers {
                v: vec![T::zero(); self.len],
                spectrum: vec![Complex::zero(); self.len / 2 + 1],
                scratch: vec![Complex::zero(); scratch],
            }
        });
        State {
            bufs: Some(bufs),
            home: Arc::clone(&self.spare),
        }
    }

    /// DCT-II of `x` into `y`, times `scale`; with `dst`, DST-II. `x` is
    /// only read. Writing the scaled result straight into `y` saves the
    /// caller a pass over the output.
    pub fn type2(&self, x: &[T], y: &mut [T], st: &mut State<T>, dst: bool, scale: T) {
        let n = self.len;
        let st = st.bufs.as_mut().expect("buffers are taken only on drop");
        // v = [x0, x2, x4, …, …, x5, x3, x1]: evens ascending, then odds descending.
        let (evens, odds) = st.v.split_at_mut(n.div_ceil(2));
        for (e, pair) in evens.iter_mut().zip(x.chunks(2)) {
            *e = pair[0];
        }
        for (o, pair) in odds.iter_mut().rev().zip(x.chunks_exact(2)) {
            // DST-II(x) is DCT-II of (−1)ⁿ·x, read backwards.
            *o = if dst { -pair[1] } else { pair[1] };
        }
        let _ = self
            .r2c
            .process_with_scratch(&mut st.v, &mut st.spectrum, &mut st.scratch);
        for k in 0..=n / 2 {
            let z = self.twiddles[k] * st.spectrum[k];
            y[k] = z.re * scale;
            if k != 0 && n - k != k {
                y[n - k] = -z.im * scale;
            }
        }
        if dst {
            y.reverse();
        }
    }

    /// DCT-III of `x` into `y`, times `scale`; with `dst`, DST-III. `x` is
    /// only read; its first sample (the last for the DST) counts `w0` times,
    /// as `orthogonalize` asks.
    #[allow(clippy::too_many_arguments)]
    pub fn type3(&self, x: &[T], y: &mut [T], st: &mut State<T>, dst: bool, scale: T, w0: T) {
        let n = self.len;
        let st = st.bufs.as_mut().expect("buffers are taken only on drop");
        // DST-III(x)_k is (−1)^k · DCT-III(reversed x)_k.
        let at = |i: usize| if dst { x[n - 1 - i] } else { x[i] };
        st.spectrum[0] = self.twiddles[0].conj() * Complex::new(at(0) * w0, T::zero());
        for k in 1..=n / 2 {
            st.spectrum[k] = self.twiddles[k].conj() * Complex::new(at(k), -at(n - k));
        }
        // Hermitian by construction; remove rounding from the parts that must be real.
        st.spectrum[0].im = T::zero();
        if n.is_multiple_of(2) {
            st.spectrum[n / 2].im = T::zero();
        }
        let _ = self
            .c2r
            .process_with_scratch(&mut st.spectrum, &mut st.v, &mut st.scratch);
        let half = T::of_f64(0.5) * scale;
        let (evens, odds) = st.v.split_at(n.div_ceil(2));
        for (pair, &e) in y.chunks_mut(2).zip(evens) {
            pair[0] = e * half;
        }
        for (pair, &o) in y.chunks_exact_mut(2).zip(odds.iter().rev()) {
            pair[1] = if dst { -o * half } else { o * half };
        }
    }
}
