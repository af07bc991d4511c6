//! The faer backend: every [`Op`] over faer 0.24's low-level kernels
//! (`faer::linalg::{matmul, triangular_solve, cholesky, svd, evd,
//! householder}`), each called with an explicit `faer::Par` derived from the
//! caller's [`Par`], inside that `Par`'s rayon pool. Nothing here reads
//! faer's global parallelism (no `Mat` operators, no high-level solvers).
//!
//! Families: `lu` (LU with partial pivoting, LAPACK getrf2-style recursion:
//! lu, lu_factor, lu_solve, solve(gen), inv, det, slogdet), `solve`
//! (Bunch–Kaufman, Cholesky, triangular solves), `qr` (blocked Householder),
//! `svd` (svd, lstsq, pinv, cond, matrix_rank, 2-norms), `eig` (eig, eigh),
//! `expm` (Al-Mohy & Higham 2009), `norms` (matrix/vector norms, matmul).

mod eig;
mod expm;
mod lu;
mod norms;
mod qr;
mod solve;
mod svd;
mod svd_core;

use faer::dyn_stack::{MemBuffer, MemStack, StackReq};
use faer::{Mat, MatMut};

use crate::{LinalgError, MatRef, Op, Output, Par, Real, Result};

pub(crate) fn run<T: Real>(op: &Op, inputs: &[MatRef<'_, T>], par: Par) -> Result<Vec<Output<T>>> {
    let fpar = if par.threads() <= 1 {
        faer::Par::Seq
    } else {
        faer::Par::rayon(par.threads())
    };
    for (i, m) in inputs.iter().enumerate() {
        if m.data.len() != m.rows * m.cols {
            return Err(invalid(format!(
                "input {i}: data length and shape disagree"
            )));
        }
    }
    par.install(|| dispatch(op, inputs, fpar))
}

fn dispatch<T: Real>(op: &Op, inputs: &[MatRef<'_, T>], par: faer::Par) -> Result<Vec<Output<T>>> {
    match *op {
        Op::Solve {
            assume,
            lower,
            transposed,
        } => solve::solve(inputs, assume, lower, transposed, par),
        Op::SolveTriangular {
            lower,
            trans,
            unit_diagonal,
        } => solve::solve_triangular(inputs, lower, trans, unit_diagonal, par),
        Op::Inv => lu::inv(inputs, par),
        Op::Det => lu::det(inputs, par),
        Op::Slogdet => lu::slogdet(inputs, par),
        Op::Lstsq { cond } => svd::lstsq(inputs, cond, par),
        Op::Pinv { atol, rtol } => svd::pinv(inputs, atol, rtol, par),
        Op::MatrixNorm { ord, transpose } => norms::matrix_norm(inputs, ord, transpose, par),
        Op::VectorNorm { ord, axis } => norms::vector_norm(inputs, ord, axis),
        Op::Matmul => norms::matmul(inputs, par),
        Op::Lu {
            permute_l,
            p_indices,
        } => lu::lu(inputs, permute_l, p_indices, par),
        Op::LuFactor => lu::lu_factor(inputs, par),
        Op::LuSolve { trans } => lu::lu_solve(inputs, trans, par),
        Op::Qr { mode } => qr::qr(inputs, mode, par),
        Op::QrPivoting { mode } => qr::qr_pivoting(inputs, mode, par),
        Op::Cholesky { lower } => solve::cholesky(inputs, lower, par),
        Op::ChoSolve { lower } => solve::cho_solve(inputs, lower, par),
        Op::Svd {
            full_matrices,
            compute_uv,
        } => svd::svd(inputs, full_matrices, compute_uv, par),
        Op::Eig { right } => eig::eig(inputs, right, par),
        Op::Eigh {
            lower,
            vectors,
            subset,
        } => eig::eigh(inputs, lower, vectors, subset, par),
        Op::Expm => expm::expm(inputs, par),
        Op::Cond { p } => svd::cond(inputs, p, par),
        Op::MatrixRank { tol } => svd::matrix_rank(inputs, tol, par),
    }
}

// ---------------------------------------------------------------------------
// Shared helpers.

pub(super) fn invalid(msg: impl Into<String>) -> LinalgError {
    LinalgError::Invalid(msg.into())
}

/// Checks the number of inputs.
pub(super) fn expect_inputs<'a, 'b, T>(
    inputs: &'b [MatRef<'a, T>],
    n: usize,
    what: &str,
) -> Result<&'b [MatRef<'a, T>]> {
    if inputs.len() != n {
        return Err(invalid(format!(
            "{what} takes {n} input(s), got {}",
            inputs.len()
        )));
    }
    Ok(inputs)
}

pub(super) fn expect_square<T>(a: &MatRef<'_, T>, what: &str) -> Result<usize> {
    if a.rows != a.cols {
        return Err(invalid(format!(
            "{what}: expected a square matrix, got {}x{}",
            a.rows, a.cols
        )));
    }
    Ok(a.rows)
}

/// A borrowed faer view of a row-major matrix (no copy).
pub(super) fn view<'a, T: Real>(a: &MatRef<'a, T>) -> faer::MatRef<'a, T> {
    faer::MatRef::from_row_major_slice(a.data, a.rows, a.cols)
}

/// Edge of the tiles the layout changes (row-major ↔ column-major) go
/// through: a 16×16 tile of f64 is 2 KiB, so both sides stay in L1, where an
/// element-by-element transpose of a large matrix reads a new cache line (and
/// often a new page) per element: 2-3× slower at 2000×2000.
const TILE: usize = 16;

/// A column-major `rows × cols` matrix whose column `j` is filled by
/// `fill(j, column)`; no zero-fill first.
fn mat_by_columns<T: Real>(
    rows: usize,
    cols: usize,
    mut fill: impl FnMut(usize, &mut [T]),
) -> Mat<T> {
    let mut m = Mat::<T>::with_capacity(rows, cols);
    // SAFETY: every element of every column is written below before the
    // matrix is read; T is a plain float (Copy, no drop).
    unsafe { m.set_dims(rows, cols) };
    for j in 0..cols {
        fill(j, m.col_as_slice_mut(j));
    }
    m
}

/// `dst(i, j) = src[i * cols + j]` for rows `i` of `range` and every `j`,
/// tile by tile.
fn gather_rows<T: Real>(src: &[T], cols: usize, rows: std::ops::Range<usize>, m: &mut Mat<T>) {
    for i0 in rows.clone().step_by(TILE) {
        let i1 = (i0 + TILE).min(rows.end);
        for j0 in (0..cols).step_by(TILE) {
            for j in j0..(j0 + TILE).min(cols) {
                let col = &mut m.col_as_slice_mut(j)[i0..i1];
                for (k, v) in col.iter_mut().enumerate() {
                    *v = src[(i0 + k) * cols + j];
                }
            }
        }
    }
}

/// A column-major copy, for decompositions that work in place.
pub(super) fn to_mat<T: Real>(a: &MatRef<'_, T>) -> Mat<T> {
    let (r, c) = (a.rows, a.cols);
    let mut m = Mat::<T>::with_capacity(r, c);
    // SAFETY: gather_rows writes every (i, j) before anything reads `m`.
    unsafe { m.set_dims(r, c) };
    gather_rows(a.data, c, 0..r, &mut m);
    m
}

/// `a`ᵀ as a column-major matrix: `a`'s rows, copied whole as its columns.
///
/// Where a result is the same for Aᵀ (det) or follows from Aᵀ's factors
/// (solve, inv), factoring Aᵀ saves [`to_mat`]'s transposing copy, which is
/// single-threaded and took a tenth of a two-thread det 1000.
/// With several threads, large copies are shared among them.
pub(super) fn transposed<T: Real>(a: &MatRef<'_, T>, par: faer::Par) -> Mat<T> {
    use rayon::prelude::*;
    let (r, c) = (a.rows, a.cols);
    let copy_row = |j: usize, col: &mut [T]| col.copy_from_slice(&a.data[j * c..(j + 1) * c]);
    if par.degree() <= 1 || r * c < 1 << 16 {
        return mat_by_columns(c, r, copy_row);
    }
    let mut m = Mat::<T>::with_capacity(c, r);
    // SAFETY: every column is written below before the matrix is read; T is
    // a plain float (Copy, no drop).
    unsafe { m.set_dims(c, r) };
    m.as_mut()
        .par_col_iter_mut()
        .enumerate()
        .with_min_len(16)
        .for_each(|(j, col)| {
            let col = col
                .try_as_col_major_mut()
                .expect("a Mat's columns are contiguous");
            copy_row(j, col.as_slice_mut());
        });
    m
}

/// A column-major copy of the symmetric matrix held in `a`'s `lower` (else
/// upper) triangle, stored in the lower triangle (the upper one is zero).
pub(super) fn sym_lower<T: Real>(a: &MatRef<'_, T>, lower: bool) -> Mat<T> {
    let (n, d) = (a.rows, a.data);
    if !lower {
        // Column j of the lower triangle is row j of the upper one: contiguous.
        return mat_by_columns(n, n, |j, col| {
            col[..j].fill(T::zero());
            col[j..].copy_from_slice(&d[j * n + j..(j + 1) * n]);
        });
    }
    let mut m = to_mat(a);
    for j in 1..n {
        m.col_as_slice_mut(j)[..j].fill(T::zero());
    }
    m
}

/// The largest |aᵢⱼ|; NaN when an entry is NaN.
pub(super) fn max_abs<T: Real>(a: faer::MatRef<'_, T>) -> T {
    let mut m = T::zero();
    for j in 0..a.ncols() {
        for i in 0..a.nrows() {
            let x = a[(i, j)].abs();
            if x.is_nan() {
                return x;
            }
            if x > m {
                m = x;
            }
        }
    }
    m
}

/// LAPACK's scaling into the safe range, as gesdd, gesvd, geev and syevd
/// do it: when the largest entry `amax` is below smlnum = √(smallest
/// normal)/eps (6.7e-139 in f64, 9.1e-13 in f32) or above bignum = 1/smlnum,
/// the exponent k such that amax·2ᵏ lands near that bound (within a factor of
/// 2 inside the range); 0 when amax is already in range, or is 0, inf or NaN.
/// Scaling by 2ᵏ is exact (LAPACK's dlascl by cto/cfrom is not): up always,
/// down for every entry that stays a normal number.
pub(super) fn safe_range_exp<T: Real>(amax: T) -> i32 {
    let amax = amax.to_f64();
    if !(amax > 0.0 && amax.is_finite()) {
        return 0;
    }
    let sml = (T::min_positive_value().sqrt() / T::EPS).to_f64();
    let big = 1.0 / sml;
    if amax < sml {
        (sml.log2() - amax.log2()).ceil() as i32
    } else if amax > big {
        (big.log2() - amax.log2()).floor() as i32
    } else {
        0
    }
}

/// x·2ᵏ, in steps whose factors are exact powers of two of T (a product
/// that overflows is ±inf, one that underflows is rounded as any product).
pub(super) fn mul_pow2<T: Real>(x: T, k: i32) -> T {
    // The largest step whose 2^step and 2^-step are normal in T.
    let lim = if T::EPS.to_f64() > 1e-10 { 120 } else { 1000 };
    let (mut x, mut k) = (x, k);
    while k != 0 {
        let step = k.clamp(-lim, lim);
        x *= T::of_f64(f64::from_bits(((1023 + step) as u64) << 52));
        k -= step;
    }
    x
}

/// Multiplies every entry of `a` by 2ᵏ in place.
pub(super) fn scale_pow2<T: Real>(mut a: MatMut<'_, T>, k: i32) {
    if k == 0 {
        return;
    }
    for j in 0..a.ncols() {
        for i in 0..a.nrows() {
            a[(i, j)] = mul_pow2(a[(i, j)], k);
        }
    }
}

/// An empty vector with room for `len` values, or [`LinalgError::Alloc`].
pub(super) fn try_with_capacity<T>(len: usize) -> Result<Vec<T>> {
    let mut v = Vec::new();
    v.try_reserve_exact(len).map_err(|_| LinalgError::Alloc {
        bytes: len.saturating_mul(std::mem::size_of::<T>()),
    })?;
    Ok(v)
}

/// Row-major data of a faer matrix; [`LinalgError::Alloc`] when it cannot be had.
pub(super) fn row_major<T: Real>(m: faer::MatRef<'_, T>) -> Result<Vec<T>> {
    let (r, c) = (m.nrows(), m.ncols());
    let mut out = try_with_capacity(r * c)?;
    let spare = &mut out.spare_capacity_mut()[..r * c];
    // Tile by tile (see TILE); every element is written once.
    for j0 in (0..c).step_by(TILE) {
        for i0 in (0..r).step_by(TILE) {
            for i in i0..(i0 + TILE).min(r) {
                let row = &mut spare[i * c..(i + 1) * c];
                for j in j0..(j0 + TILE).min(c) {
                    row[j].write(m[(i, j)]);
                }
            }
        }
    }
    // SAFETY: the loops above wrote all r * c elements.
    unsafe { out.set_len(r * c) };
    Ok(out)
}

/// A matrix result, row-major; [`LinalgError::Alloc`] when it cannot be had.
pub(super) fn real_mat<T: Real>(m: faer::MatRef<'_, T>) -> Result<Output<T>> {
    Ok(Output::Real {
        shape: vec![m.nrows(), m.ncols()],
        data: row_major(m)?,
    })
}

pub(super) fn real<T>(shape: Vec<usize>, data: Vec<T>) -> Output<T> {
    Output::Real { shape, data }
}

pub(super) fn scalar<T>(v: T) -> Output<T> {
    Output::Real {
        shape: vec![],
        data: vec![v],
    }
}

pub(super) fn int_scalar<T>(v: usize) -> Output<T> {
    Output::Int {
        shape: vec![],
        data: vec![i32::try_from(v).unwrap_or(i32::MAX)],
    }
}

/// faer's scratch for a small `req` (a panel's: rows × a block of at most
/// 32 columns, never n² as [`mem`]'s can be).
pub(super) fn panel_mem(req: StackReq) -> MemBuffer {
    MemBuffer::new(req)
}

/// faer's scratch for `req`; [`LinalgError::Alloc`] when it cannot be had
/// (the SVD's and eigensolvers' grow as n²).
pub(super) fn mem(req: StackReq) -> Result<MemBuffer> {
    MemBuffer::try_new(req).map_err(|_| LinalgError::Alloc {
        bytes: req.unaligned_bytes_required(),
    })
}

pub(super) fn stack(buf: &mut MemBuffer) -> &mut MemStack {
    MemStack::new(buf)
}

/// `dst = alpha * lhs * rhs` (or `+=` with `add`), on `par`.
///
/// On several threads a large product is cut into one slab of `dst` per
/// thread (along its longer side, at multiples of 16), each multiplied by
/// faer on one thread. faer's own threaded kernel shares every block among
/// the threads and waits for them at each step; on 2 vCPUs it ran 1000 x 1000
/// only 1.25-1.5x faster than one thread, the slabs 1.98-2.05x
/// (`examples/backends.rs` has the rows).
pub(super) fn gemm<T: Real>(
    dst: MatMut<'_, T>,
    add: bool,
    lhs: faer::MatRef<'_, T>,
    rhs: faer::MatRef<'_, T>,
    alpha: T,
    par: faer::Par,
) {
    let threads = par.degree();
    let (m, n, k) = (dst.nrows(), dst.ncols(), lhs.ncols());
    // Below ~128³ multiply-adds per call the product is too short to share.
    if threads > 1 && m.saturating_mul(n).saturating_mul(k) >= 1 << 21 && m.max(n) >= 32 * threads {
        gemm_slabs(dst, add, lhs, rhs, alpha, threads);
    } else {
        faer_gemm(dst, add, lhs, rhs, alpha, faer::Par::Seq);
    }
}

/// faer's own `matmul`, with [`gemm`]'s arguments.
fn faer_gemm<T: Real>(
    dst: MatMut<'_, T>,
    add: bool,
    lhs: faer::MatRef<'_, T>,
    rhs: faer::MatRef<'_, T>,
    alpha: T,
    par: faer::Par,
) {
    faer::linalg::matmul::matmul(
        dst,
        if add {
            faer::Accum::Add
        } else {
            faer::Accum::Replace
        },
        lhs,
        rhs,
        alpha,
        par,
    );
}

/// Narrowest slab of columns [`par_cols`] gives a thread.
const PAR_COLS: usize = 64;

/// `f` on `threads` slabs of `a`'s columns at once (rayon joins on the
/// current pool), each slab at least [`PAR_COLS`] wide; on `a` whole when
/// that leaves one slab. For column-wise independent work (row interchanges,
/// triangular solves with many right-hand sides, a block reflector's
/// update): one fork and one join, where faer's parallel kernels synchronise
/// their threads at every step.
pub(super) fn par_cols<T: Real>(
    a: MatMut<'_, T>,
    threads: usize,
    f: &(dyn Fn(MatMut<'_, T>) + Sync),
) {
    let n = a.ncols();
    let parts = threads.min(n / PAR_COLS).max(1);
    if parts <= 1 {
        return f(a);
    }
    let left = parts / 2;
    let (a0, a1) = a.split_at_col_mut(n * left / parts);
    rayon::join(|| par_cols(a0, left, f), || par_cols(a1, parts - left, f));
}

/// [`gemm`] as `parts` sequential products over slabs of `dst`, on the
/// current rayon pool.
fn gemm_slabs<T: Real>(
    dst: MatMut<'_, T>,
    add: bool,
    lhs: faer::MatRef<'_, T>,
    rhs: faer::MatRef<'_, T>,
    alpha: T,
    parts: usize,
) {
    let (m, n) = (dst.nrows(), dst.ncols());
    // A slab one element wide cannot be cut (`cut` needs a length of 2).
    if parts <= 1 || m.max(n) < 2 {
        return faer_gemm(dst, add, lhs, rhs, alpha, faer::Par::Seq);
    }
    let left = parts / 2;
    let cut = |len: usize| ((len * left / parts + 8) & !15).clamp(1, len - 1);
    if m >= n {
        let at = cut(m);
        let (d0, d1) = dst.split_at_row_mut(at);
        let (l0, l1) = lhs.split_at_row(at);
        rayon::join(
            || gemm_slabs(d0, add, l0, rhs, alpha, left),
            || gemm_slabs(d1, add, l1, rhs, alpha, parts - left),
        );
    } else {
        let at = cut(n);
        let (d0, d1) = dst.split_at_col_mut(at);
        let (r0, r1) = rhs.split_at_col(at);
        rayon::join(
            || gemm_slabs(d0, add, lhs, r0, alpha, left),
            || gemm_slabs(d1, add, lhs, r1, alpha, parts - left),
        );
    }
}

/// `lhs * rhs` into a new column-major matrix.
pub(super) fn mul<T: Real>(
    lhs: faer::MatRef<'_, T>,
    rhs: faer::MatRef<'_, T>,
    par: faer::Par,
) -> Mat<T> {
    let mut out = Mat::zeros(lhs.nrows(), rhs.ncols());
    gemm(out.as_mut(), false, lhs, rhs, T::one(), par);
    out
}
