//! The n-D driver: applies a 1-D line transform to every line of a row-major
//! array along one axis, splitting the lines across threads.
//!
//! Lines are gathered in blocks into a contiguous buffer (padding with zeros
//! or cropping to the transform length), transformed, and scattered into the
//! output. Along a strided axis a block takes several neighbouring columns at
//! once so that reads stay within cache lines.

use std::mem::MaybeUninit;

use musique_core::{Cancel, Cancelled, Par};
use num_traits::Zero;

use crate::memory::try_written_vec;
use crate::FftError;

/// A 1-D transform applied to `k` contiguous lines at once.
pub(crate) trait LineOp<A, B>: Sync {
    /// Per-thread scratch.
    type State: Send;
    /// Length an input line is zero-padded or cropped to.
    fn len_in(&self) -> usize;
    /// Length of an output line.
    fn len_out(&self) -> usize;
    fn state(&self) -> Self::State;
    /// `input` holds `k * len_in` values (free to overwrite), `output`
    /// `k * len_out`.
    fn run(&self, state: &mut Self::State, input: &mut [A], output: &mut [B]);
    /// Whether [`Self::run_borrowed`] may be called: the op only reads its
    /// input, so contiguous lines of the right length need no copy.
    fn reads_only(&self) -> bool {
        false
    }
    /// [`Self::run`] on input it may not change (only when [`Self::reads_only`]).
    fn run_borrowed(&self, state: &mut Self::State, input: &[A], output: &mut [B]) {
        let _ = (state, input, output);
        unreachable!("run_borrowed without reads_only")
    }
    /// Whether [`Self::run_direct`] may be called for a pass of `lines`
    /// contiguous lines: the op loads each line into its output slot itself
    /// and transforms it there.
    fn direct(&self, lines: usize) -> bool {
        let _ = lines;
        false
    }
    /// The `output.len() / len_out` lines starting in `src`, each `n_src`
    /// apart, cropped or zero-padded to `len_in`; `src` is `None` when the
    /// pass is in place (the lines are already in `output`). With `stream`,
    /// the output is too large to stay in cache: the op transforms each line
    /// in a buffer and writes it with [`stream_copy`].
    fn run_direct(
        &self,
        state: &mut Self::State,
        src: Option<(&[A], usize)>,
        output: &mut [B],
        stream: bool,
    ) {
        let _ = (state, src, output, stream);
        unreachable!("run_direct without direct")
    }
}

/// Geometry of one pass along `axis`.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Pass {
    pub outer: usize,
    pub n_src: usize,
    pub inner: usize,
}

impl Pass {
    pub fn new(shape: &[usize], axis: usize) -> Pass {
        Pass {
            outer: shape[..axis].iter().product(),
            n_src: shape[axis],
            inner: shape[axis + 1..].iter().product(),
        }
    }

    pub fn lines(&self) -> usize {
        self.outer * self.inner
    }

    fn par(&self, par: Par) -> Par {
        par.for_batch(self.lines(), self.lines() * self.n_src.max(1))
    }
}

/// The threads a pass over `shape` along `axis` really uses: the one rule
/// `run_pass` applies, counted on the input's elements as SciPy does.
pub(crate) fn pass_par(shape: &[usize], axis: usize, par: Par) -> Par {
    Pass::new(shape, axis).par(par)
}

#[derive(Clone, Copy)]
struct SendPtr<T>(*mut T);
unsafe impl<T> Send for SendPtr<T> {}
unsafe impl<T> Sync for SendPtr<T> {}

impl<T> SendPtr<T> {
    // A method, so closures capture the whole (Sync) wrapper, not the field.
    fn get(self) -> *mut T {
        self.0
    }
}

/// `line` ← `row`, zero-padded: how every input line (cropped to at most
/// `line.len()` values by the caller) is loaded.
pub(crate) fn load_line<E: Copy + Zero>(line: &mut [E], row: &[E]) {
    line[..row.len()].copy_from_slice(row);
    line[row.len()..].fill(E::zero());
}

/// Outputs from this size on are written with streaming stores where an op
/// supports it: they cannot stay in cache anyway, and a streaming store skips
/// reading each destination line from memory before overwriting it.
const STREAM_MIN: usize = 8 << 20;

/// Copies `src` into `dst` with non-temporal (streaming) stores where the
/// target has them, bypassing the cache: a third less memory traffic than a
/// plain copy into memory that is not cached. Call [`stream_fence`] before
/// the data is read by another thread.
pub(crate) fn stream_copy<T: Copy>(dst: &mut [T], src: &[T]) {
    assert_eq!(dst.len(), src.len(), "stream_copy lengths");
    #[cfg(target_arch = "x86_64")]
    // SAFETY: SSE2 is part of x86_64. Byte ranges stay within both slices
    // (same length, `T: Copy` has no invariants a partial copy could break
    // once the whole slice is written); streaming stores go to 16-byte
    // aligned addresses only.
    unsafe {
        use std::arch::x86_64::{__m128i, _mm_loadu_si128, _mm_stream_si128};
        let bytes = std::mem::size_of_val(src);
        let (d, s) = (dst.as_mut_ptr().cast::<u8>(), src.as_ptr().cast::<u8>());
        let head = (d.align_offset(16)).min(bytes);
        std::ptr::copy_nonoverlapping(s, d, head);
        let mut i = head;
        while i + 16 <= bytes {
            _mm_stream_si128(
                d.add(i).cast::<__m128i>(),
                _mm_loadu_si128(s.add(i).cast::<__m128i>()),
            );
            i += 16;
        }
        std::ptr::copy_nonoverlapping(s.add(i), d.add(i), bytes - i);
    }
    #[cfg(not(target_arch = "x86_64"))]
    dst.copy_from_slice(src);
}

/// Orders [`stream_copy`]'s stores before later ones (x86's sfence).
pub(crate) fn stream_fence() {
    #[cfg(target_arch = "x86_64")]
    // SAFETY: SSE is part of x86_64.
    unsafe {
        std::arch::x86_64::_mm_sfence()
    };
}

/// How many rows ahead a strided gather or scatter prefetches (16 ran
/// best of 4 to 64 on 2048 x 2048; fft2 one thread 70 -> 45 ms with it).
const PREFETCH_ROWS: usize = 16;

/// Asks the CPU to start loading the cache lines of `len` elements at `p`.
/// Hardware prefetchers do not follow a stride of a whole row (kilobytes), so
/// without it every row a strided gather visits waits a full memory latency.
#[inline(always)]
fn prefetch_span<E>(p: *const E, len: usize) {
    #[cfg(target_arch = "x86_64")]
    {
        let bytes = len * std::mem::size_of::<E>();
        let mut off = 0;
        while off < bytes {
            // SAFETY: prefetching is a hint; it never faults, whatever the address.
            unsafe {
                std::arch::x86_64::_mm_prefetch::<{ std::arch::x86_64::_MM_HINT_T0 }>(
                    p.cast::<i8>().wrapping_add(off),
                )
            };
            off += 64;
        }
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = (p, len);
}

/// Rows a strided gather or scatter moves at once: one cache line of each
/// buffered line, written whole before the next line is touched. Buffered
/// lines lie a power-of-two distance apart and share L1 sets, so filling them
/// one element per row evicted them between writes (2048 x 2048 complex64
/// fft2, one thread: 34 -> 23 ms).
fn tile_rows<E>() -> usize {
    (64 / std::mem::size_of::<E>().max(1)).clamp(1, 8)
}

/// Block size: how many lines one unit of work gathers together.
///
/// Contiguous rows are grouped only while short (to amortise per-call
/// overhead), so a block stays in cache.
///
/// Strided columns are gathered so that each visit to a row moves 256 bytes
/// (four cache lines) of the narrower of input and output: every row visited
/// costs a memory latency that hardware prefetchers do not hide, so wide
/// blocks pay it fewer times. Both buffers together stay within 4 MiB (a
/// core's L2 on current server CPUs is 1-2 MiB; past 4 MiB longer lines ran
/// slower). Measured on a 2048 x 2048 complex128 fft2, one thread: 8 columns
/// (the former rule) 54 ms, 16 columns 43 ms; complex64 (32 columns) 40 -> 24 ms;
/// 4096 x 4096 along axis 0: 203 -> 154 ms (all with prefetching).
fn block_len(pass: &Pass, len_in: usize, len_out: usize, size_in: usize, size_out: usize) -> usize {
    if pass.inner == 1 {
        let len = len_in.max(len_out).max(1);
        // Never more lines than there are: the block buffer is zeroed per call,
        // and a 16-line buffer for one line of 1024 cost more than its transform.
        (8192 / len).clamp(1, 16).min(pass.outer.max(1))
    } else {
        let wide = 256 / size_in.min(size_out).max(1);
        let line_bytes = (len_in * size_in + len_out * size_out).max(1);
        wide.min((4 << 20) / line_bytes).max(4).min(pass.inner)
    }
}

/// Applies `op` along `axis`, reading `src` and returning a new array whose
/// `axis` has length `op.len_out()`.
pub(crate) fn apply<A, B, Op>(
    src: &[A],
    shape: &[usize],
    axis: usize,
    op: &Op,
    par: Par,
    cancel: &Cancel,
) -> Result<Vec<B>, FftError>
where
    A: Copy + Zero + Send + Sync,
    B: Copy + Zero + Send + Sync,
    Op: LineOp<A, B>,
{
    let total = Pass::new(shape, axis)
        .lines()
        .checked_mul(op.len_out())
        .ok_or(FftError::TooLarge)?;
    // SAFETY: `apply_into` writes every element when it returns `Ok`.
    unsafe {
        try_written_vec(total, |out| {
            Ok(apply_into(src, shape, axis, op, par, cancel, out)?)
        })
    }
}

/// Applies `op` along `axis`, reading `src` and writing `out`, which holds
/// exactly the output (`axis` of length `op.len_out()`). On `Ok`, every
/// element of `out` has been written; `out` is never read.
pub(crate) fn apply_into<A, B, Op>(
    src: &[A],
    shape: &[usize],
    axis: usize,
    op: &Op,
    par: Par,
    cancel: &Cancel,
    out: &mut [MaybeUninit<B>],
) -> Result<(), Cancelled>
where
    A: Copy + Zero + Send + Sync,
    B: Copy + Zero + Send + Sync,
    Op: LineOp<A, B>,
{
    let pass = Pass::new(shape, axis);
    assert_eq!(out.len(), pass.lines() * op.len_out(), "output length");
    // SAFETY: `out` is a distinct, exclusively borrowed buffer of the right
    // size; `run_pass` writes each output line once and reads none.
    unsafe {
        run_pass(
            src.as_ptr(),
            out.as_mut_ptr().cast::<B>(),
            pass,
            op,
            par,
            cancel,
        )
    }
}

/// Applies a length-preserving `op` along `axis`, in place.
pub(crate) fn apply_in_place<A, Op>(
    data: &mut [A],
    shape: &[usize],
    axis: usize,
    op: &Op,
    par: Par,
    cancel: &Cancel,
) -> Result<(), Cancelled>
where
    A: Copy + Zero + Send + Sync,
    Op: LineOp<A, A>,
{
    let pass = Pass::new(shape, axis);
    debug_assert!(op.len_in() == pass.n_src && op.len_out() == pass.n_src);
    let ptr = data.as_mut_ptr();
    // SAFETY: each unit reads its whole block of lines into a buffer before
    // writing the same lines back; units own disjoint lines.
    unsafe { run_pass(ptr as *const A, ptr, pass, op, par, cancel) }
}

unsafe fn run_pass<A, B, Op>(
    src: *const A,
    dst: *mut B,
    pass: Pass,
    op: &Op,
    par: Par,
    cancel: &Cancel,
) -> Result<(), Cancelled>
where
    A: Copy + Zero + Send + Sync,
    B: Copy + Zero + Send + Sync,
    Op: LineOp<A, B>,
{
    let lines = pass.lines();
    if lines == 0 {
        return Ok(());
    }
    let (len_in, len_out) = (op.len_in(), op.len_out());
    let block = block_len(
        &pass,
        len_in,
        len_out,
        std::mem::size_of::<A>(),
        std::mem::size_of::<B>(),
    );
    let blocks_per_outer = if pass.inner == 1 {
        0
    } else {
        pass.inner.div_ceil(block)
    };
    let units = if pass.inner == 1 {
        pass.outer.div_ceil(block)
    } else {
        pass.outer * blocks_per_outer
    };
    // Contiguous lines of the transform's length go to an op that only reads
    // them as they are: no gathering copy (and no buffer for it).
    let in_place = src.cast::<u8>() == dst.cast::<u8>().cast_const();
    let direct = pass.inner == 1 && op.direct(lines) && (!in_place || pass.n_src == len_in);
    let stream = !in_place && lines * len_out * std::mem::size_of::<B>() >= STREAM_MIN;
    // Never in place: the op would read the lines it writes.
    let borrow = pass.inner == 1
        && pass.n_src == len_in
        && op.reads_only()
        && src.cast::<u8>() != dst.cast::<u8>().cast_const();
    let src = SendPtr(src as *mut A);
    let dst = SendPtr(dst);
    let work = |unit: usize, st: &mut (Op::State, Vec<A>, Vec<B>)| -> Result<(), Cancelled> {
        cancel.check()?;
        let (state, inbuf, outbuf) = st;
        let copy = pass.n_src.min(len_in);
        if pass.inner == 1 {
            let first = unit * block;
            let k = block.min(pass.outer - first);
            let out = std::slice::from_raw_parts_mut(dst.get().add(first * len_out), k * len_out);
            if direct {
                let rows = (!in_place).then(|| {
                    let span = (k - 1) * pass.n_src + copy;
                    (
                        std::slice::from_raw_parts(src.get().add(first * pass.n_src), span),
                        pass.n_src,
                    )
                });
                op.run_direct(state, rows, out, stream);
                return Ok(());
            }
            if borrow {
                let rows = std::slice::from_raw_parts(src.get().add(first * len_in), k * len_in);
                op.run_borrowed(state, rows, out);
                return Ok(());
            }
            if inbuf.len() < k * len_in {
                inbuf.resize(block * len_in, A::zero());
            }
            let inb = &mut inbuf[..k * len_in];
            for (j, line) in inb.chunks_exact_mut(len_in).enumerate() {
                load_line(
                    line,
                    std::slice::from_raw_parts(src.get().add((first + j) * pass.n_src), copy),
                );
            }
            op.run(state, inb, out);
        } else {
            let o = unit / blocks_per_outer;
            let i0 = (unit % blocks_per_outer) * block;
            let k = block.min(pass.inner - i0);
            if inbuf.len() < k * len_in {
                inbuf.resize(block * len_in, A::zero());
            }
            let base_in = src.get().add(o * pass.n_src * pass.inner + i0);
            let inb = &mut inbuf[..k * len_in];
            let tile = tile_rows::<A>();
            let mut t = 0;
            while t < copy {
                let r = tile.min(copy - t);
                for q in t + PREFETCH_ROWS..(t + r + PREFETCH_ROWS).min(copy) {
                    prefetch_span(base_in.add(q * pass.inner), k);
                }
                for j in 0..k {
                    let line = &mut inb[j * len_in + t..j * len_in + t + r];
                    for (q, v) in line.iter_mut().enumerate() {
                        *v = *base_in.add((t + q) * pass.inner + j);
                    }
                }
                t += r;
            }
            if copy < len_in {
                for j in 0..k {
                    inb[j * len_in + copy..(j + 1) * len_in].fill(A::zero());
                }
            }
            let (outb, rows) = outbuf.split_at_mut(block * len_out);
            let outb = &mut outb[..k * len_out];
            op.run(state, inb, outb);
            let base_out = dst.get().add(o * len_out * pass.inner + i0);
            let tile = tile_rows::<B>();
            let mut t = 0;
            if stream {
                // Each output row's k values are contiguous: assemble a tile of
                // rows (one cache line of each transformed line, read whole),
                // then write each row with streaming stores, which skip reading
                // the destination from memory first. Out of place, that is a
                // third of the pass's memory traffic: 2048 x 2048 complex128
                // along axis 0 (in Node, medians of 12) 26.3 -> 23.0 ms on one
                // thread, 14.7 -> 12.6 ms on two; fft2 35.6 -> 33.0 and
                // 18.9 -> 16.8 ms.
                while t < len_out {
                    let r = tile.min(len_out - t);
                    for j in 0..k {
                        for (q, &v) in outb[j * len_out + t..j * len_out + t + r]
                            .iter()
                            .enumerate()
                        {
                            rows[q * k + j] = v;
                        }
                    }
                    for q in 0..r {
                        let row =
                            std::slice::from_raw_parts_mut(base_out.add((t + q) * pass.inner), k);
                        stream_copy(row, &rows[q * k..(q + 1) * k]);
                    }
                    t += r;
                }
                stream_fence();
                return Ok(());
            }
            while t < len_out {
                let r = tile.min(len_out - t);
                for q in t + PREFETCH_ROWS..(t + r + PREFETCH_ROWS).min(len_out) {
                    prefetch_span(base_out.add(q * pass.inner).cast_const(), k);
                }
                for j in 0..k {
                    let line = &outb[j * len_out + t..j * len_out + t + r];
                    for (q, v) in line.iter().enumerate() {
                        *base_out.add((t + q) * pass.inner + j) = *v;
                    }
                }
                t += r;
            }
        }
        Ok(())
    };
    let init = || {
        (
            op.state(),
            Vec::new(),
            if pass.inner == 1 {
                Vec::new()
            } else {
                // The transformed lines, then (streaming) a tile of output rows.
                vec![B::zero(); block * len_out + if stream { tile_rows::<B>() * block } else { 0 }]
            },
        )
    };

    pass.par(par)
        .for_each_index(units, init, |st, u| work(u, st))
}
