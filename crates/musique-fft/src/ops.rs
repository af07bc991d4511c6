//! The 1-D line transforms, with normalization folded in.

use std::sync::Arc;

use num_complex::Complex;
use num_traits::Zero;
use realfft::{ComplexToReal, RealToComplex};
use rustfft::Fft;

use crate::driver::{load_line, stream_copy, stream_fence, LineOp};
use crate::makhoul;
use crate::plan::Plan;
use crate::{Float, R2rKind};

fn scale_slice<E: std::ops::Mul<T, Output = E> + Copy, T: Float>(xs: &mut [E], s: T) {
    if s != T::one() {
        for x in xs {
            *x = *x * s;
        }
    }
}

/// A copy of each line, cropped to `len` (no transform): the crop of an axis
/// whose transform must run later than the passes that would crop it.
pub(crate) struct Crop {
    pub len: usize,
}

impl<E: Copy + Zero + Send + Sync> LineOp<E, E> for Crop {
    type State = ();
    fn len_in(&self) -> usize {
        self.len
    }
    fn len_out(&self) -> usize {
        self.len
    }
    fn state(&self) {}
    fn run(&self, _: &mut (), input: &mut [E], output: &mut [E]) {
        output.copy_from_slice(input);
    }
}

/// Complex to complex, forward or inverse.
pub(crate) struct C2c<T: Float> {
    pub fft: Arc<dyn Fft<T>>,
    pub scale: T,
}

impl<T: Float> LineOp<Complex<T>, Complex<T>> for C2c<T> {
    type State = Vec<Complex<T>>;
    fn len_in(&self) -> usize {
        self.fft.len()
    }
    fn len_out(&self) -> usize {
        self.fft.len()
    }
    fn state(&self) -> Self::State {
        vec![Complex::zero(); self.fft.get_outofplace_scratch_len()]
    }
    fn run(&self, scratch: &mut Self::State, input: &mut [Complex<T>], output: &mut [Complex<T>]) {
        if self.fft.len() == 0 {
            return;
        }
        self.fft
            .process_outofplace_with_scratch(input, output, scratch);
        scale_slice(output, self.scale);
    }
    /// A batch of lines up to 64 Ki points: copying each line into its output
    /// slot and transforming it there in place runs 1.25-1.35x faster than
    /// gathering into a buffer and transforming out of place (measured with
    /// rustfft 6.4 for 512 x 4096, 64 x 16384, 4096 x 256); a single line, or
    /// longer ones, do as well or better out of place. When the output is
    /// too large for the cache, each line is transformed from the input
    /// into a buffer and streamed out: 512 x 4096 ran 12.8 -> 11.0 ms on one
    /// thread, 7.0 -> 6.4 ms on two.
    fn direct(&self, lines: usize) -> bool {
        lines > 1 && self.fft.len() <= 1 << 16
    }
    fn run_direct(
        &self,
        scratch: &mut Self::State,
        src: Option<(&[Complex<T>], usize)>,
        output: &mut [Complex<T>],
        stream: bool,
    ) {
        let n = self.fft.len();
        if n == 0 {
            return;
        }
        let need = if stream {
            n + self
                .fft
                .get_inplace_scratch_len()
                .max(self.fft.get_immutable_scratch_len())
        } else {
            self.fft.get_inplace_scratch_len()
        };
        if scratch.len() < need {
            scratch.resize(need, Complex::zero());
        }
        for (j, line) in output.chunks_exact_mut(n).enumerate() {
            let row = src.map(|(src, stride)| &src[j * stride..j * stride + stride.min(n)]);
            match row {
                Some(row) if stream => {
                    let (buf, scratch) = scratch.split_at_mut(n);
                    if row.len() == n {
                        self.fft.process_immutable_with_scratch(row, buf, scratch);
                    } else {
                        load_line(buf, row);
                        self.fft.process_with_scratch(buf, scratch);
                    }
                    scale_slice(buf, self.scale);
                    stream_copy(line, buf);
                }
                _ => {
                    if let Some(row) = row {
                        load_line(line, row);
                    }
                    self.fft.process_with_scratch(line, scratch);
                    scale_slice(line, self.scale);
                }
            }
        }
        if stream {
            stream_fence();
        }
    }
}

/// Real to half-spectrum (rfft; with `conj`, ihfft).
pub(crate) struct R2c<T: Float> {
    pub plan: Arc<dyn RealToComplex<T>>,
    pub scale: T,
    pub conj: bool,
}

impl<T: Float> LineOp<T, Complex<T>> for R2c<T> {
    type State = Vec<Complex<T>>;
    fn len_in(&self) -> usize {
        self.plan.len()
    }
    fn len_out(&self) -> usize {
        self.plan.complex_len()
    }
    fn state(&self) -> Self::State {
        self.plan.make_scratch_vec()
    }
    fn run(&self, scratch: &mut Self::State, input: &mut [T], output: &mut [Complex<T>]) {
        let (n, m) = (self.len_in(), self.len_out());
        for (i, o) in input.chunks_exact_mut(n).zip(output.chunks_exact_mut(m)) {
            // Lengths are right by construction, so this cannot fail.
            let _ = self.plan.process_with_scratch(i, o, scratch);
            scale_slice(o, self.scale);
            if self.conj {
                o.iter_mut().for_each(|c| c.im = -c.im);
            }
        }
    }
}

/// Half-spectrum to real (irfft; with `conj`, hfft).
pub(crate) struct C2r<T: Float> {
    pub plan: Arc<dyn ComplexToReal<T>>,
    pub scale: T,
    pub conj: bool,
}

impl<T: Float> LineOp<Complex<T>, T> for C2r<T> {
    type State = Vec<Complex<T>>;
    fn len_in(&self) -> usize {
        self.plan.complex_len()
    }
    fn len_out(&self) -> usize {
        self.plan.len()
    }
    fn state(&self) -> Self::State {
        self.plan.make_scratch_vec()
    }
    fn run(&self, scratch: &mut Self::State, input: &mut [Complex<T>], output: &mut [T]) {
        let (m, n) = (self.len_in(), self.len_out());
        for (i, o) in input.chunks_exact_mut(m).zip(output.chunks_exact_mut(n)) {
            if self.conj {
                i.iter_mut().for_each(|c| c.im = -c.im);
            }
            // pocketfft ignores the imaginary parts a real signal's spectrum
            // cannot have; realfft wants them zero.
            i[0].im = T::zero();
            if n.is_multiple_of(2) {
                i[m - 1].im = T::zero();
            }
            let _ = self.plan.process_with_scratch(i, o, scratch);
            scale_slice(o, self.scale);
        }
    }
}

/// A DCT or DST of one type, with SciPy's factor of two, `orthogonalize`
/// weights and normalization.
pub(crate) struct R2r<T: Float> {
    pub plan: Plan<T>,
    pub kind: R2rKind,
    pub len: usize,
    pub scale: T,
    pub orthogonalize: bool,
}

/// Scratch of one thread: rustdct's, or the real FFT's buffers.
pub(crate) enum R2rState<T: Float> {
    Dct(Vec<T>),
    Makhoul(makhoul::State<T>),
}

impl<T: Float> LineOp<T, T> for R2r<T> {
    type State = R2rState<T>;
    fn reads_only(&self) -> bool {
        matches!(self.plan, Plan::Type23(_))
    }
    /// Types II and III (Makhoul) read `input` once into their own buffer:
    /// `orthogonalize`'s input weight (types III only) is applied as they read.
    fn run_borrowed(&self, state: &mut Self::State, input: &[T], output: &mut [T]) {
        let (Plan::Type23(p), R2rState::Makhoul(s)) = (&self.plan, &mut *state) else {
            unreachable!("reads_only is true for Makhoul plans only")
        };
        let n = self.len;
        let sqrt2 = T::SQRT_2();
        let scale = self.scale * (T::one() + T::one());
        let (pre_first, pre_last, post_first, post_last) = if self.orthogonalize {
            self.kind.orthogonal_weights()
        } else {
            (false, false, false, false)
        };
        let w0 = if pre_first || pre_last {
            sqrt2
        } else {
            T::one()
        };
        for (x, y) in input.chunks_exact(n).zip(output.chunks_exact_mut(n)) {
            match self.kind {
                R2rKind::Dct(2) => p.type2(x, y, s, false, scale),
                R2rKind::Dst(2) => p.type2(x, y, s, true, scale),
                R2rKind::Dct(3) => p.type3(x, y, s, false, scale, w0),
                R2rKind::Dst(3) => p.type3(x, y, s, true, scale, w0),
                _ => unreachable!("a Makhoul plan serves types II and III"),
            }
            if post_first {
                y[0] = y[0] / sqrt2;
            }
            if post_last {
                y[n - 1] = y[n - 1] / sqrt2;
            }
        }
    }
    fn len_in(&self) -> usize {
        self.len
    }
    fn len_out(&self) -> usize {
        self.len
    }
    fn state(&self) -> Self::State {
        let n = match &self.plan {
            Plan::Dct1(p) => p.get_scratch_len(),
            Plan::Dst1(p) => p.get_scratch_len(),
            Plan::Type4(p) => p.get_scratch_len(),
            Plan::Type23(p) => return R2rState::Makhoul(p.state()),
            _ => 0,
        };
        R2rState::Dct(vec![T::zero(); n])
    }
    fn run(&self, state: &mut Self::State, input: &mut [T], output: &mut [T]) {
        let n = self.len;
        let sqrt2 = T::SQRT_2();
        // rustdct leaves out SciPy's factor 2.
        let scale = self.scale * (T::one() + T::one());
        for (x, y) in input.chunks_exact_mut(n).zip(output.chunks_exact_mut(n)) {
            let (pre_first, pre_last, post_first, post_last) = if self.orthogonalize {
                self.kind.orthogonal_weights()
            } else {
                (false, false, false, false)
            };
            if pre_first {
                x[0] = x[0] * sqrt2;
            }
            if pre_last {
                x[n - 1] = x[n - 1] * sqrt2;
            }
            match (&self.plan, self.kind, &mut *state) {
                (Plan::Dct1(p), _, R2rState::Dct(s)) => p.process_dct1_with_scratch(x, s),
                (Plan::Dst1(p), _, R2rState::Dct(s)) => p.process_dst1_with_scratch(x, s),
                (Plan::Type4(p), R2rKind::Dct(_), R2rState::Dct(s)) => {
                    p.process_dct4_with_scratch(x, s)
                }
                (Plan::Type4(p), R2rKind::Dst(_), R2rState::Dct(s)) => {
                    p.process_dst4_with_scratch(x, s)
                }
                // Types II and III write the scaled result straight into y.
                (Plan::Type23(p), R2rKind::Dct(2), R2rState::Makhoul(s)) => {
                    p.type2(x, y, s, false, scale)
                }
                (Plan::Type23(p), R2rKind::Dst(2), R2rState::Makhoul(s)) => {
                    p.type2(x, y, s, true, scale)
                }
                (Plan::Type23(p), R2rKind::Dct(3), R2rState::Makhoul(s)) => {
                    p.type3(x, y, s, false, scale, T::one())
                }
                (Plan::Type23(p), R2rKind::Dst(3), R2rState::Makhoul(s)) => {
                    p.type3(x, y, s, true, scale, T::one())
                }
                _ => unreachable!("plan, kind and state are built together"),
            }
            if !matches!(self.plan, Plan::Type23(_)) {
                for (yi, xi) in y.iter_mut().zip(x.iter()) {
                    *yi = *xi * scale;
                }
            }
            if post_first {
                y[0] = y[0] / sqrt2;
            }
            if post_last {
                y[n - 1] = y[n - 1] / sqrt2;
            }
        }
    }
}
