//! The OpenBLAS backend (feature `openblas-system`): every [`Op`] served by the
//! LAPACK routines SciPy itself calls, from the system's libopenblas.
//!
//! Linking: `ndarray-linalg` with its `openblas-system` feature pulls in
//! `lax` → `openblas-src`, which links the distribution's `libopenblas`
//! (BLAS + LAPACK, Debian's `libopenblas-dev`) and downloads nothing. The
//! LAPACK routines are called here through their Fortran symbols, declared
//! below, on column-major copies of the inputs: that keeps SciPy's exact
//! driver choice and its arguments (gelsd's `rcond`, syevr's index subset,
//! orgqr's full Q), which ndarray-linalg's wrappers do not expose. Matrix
//! products go through ndarray's `dot`, which is cblas `?gemm` with ndarray's
//! `blas` feature.
//!
//! | Op | LAPACK / BLAS |
//! |----|---------------|
//! | `Solve` gen / sym / pos | getrf+getrs / sytrf+sytrs / potrf+potrs |
//! | `SolveTriangular` | trtrs |
//! | `Inv` | getrf+getri |
//! | `Det`, `Slogdet` | getrf (product of U's diagonal, pivot parity) |
//! | `Lstsq` | gelsd (`rcond` = `cond`, eps when None, as SciPy) |
//! | `Pinv`, `Svd`, `MatrixRank`, 2-norms, `Cond` | gesdd |
//! | `MatrixNorm` fro / 1 / inf | lange (-1 / -inf summed here) |
//! | `VectorNorm` | computed here (plain sums; no LAPACK routine) |
//! | `Matmul` | gemm (ndarray `dot`) |
//! | `Lu`, `LuFactor` / `LuSolve` | getrf / getrs |
//! | `Qr` | geqrf+orgqr |
//! | `Cholesky` / `ChoSolve` | potrf / potrs |
//! | `Eig` | geev (unit-norm vectors, as LAPACK returns them) |
//! | `Eigh` | syevr (range 'I' for a subset, as SciPy's default driver) |
//! | `Expm` | none in LAPACK: falls back to the faer backend ([`crate::run`]) |
//!
//! Threads: OpenBLAS keeps one thread pool for the whole process. Each call
//! sets its size with `openblas_set_num_threads(par.threads())` before any
//! work, so the count is global to the process, not per call as with faer:
//! two calls running at the same time with different [`Par`]s race on it and
//! either may run with the other's count (results are unaffected).

mod eig;
mod lu;
mod norms;
mod qr;
mod solve;
mod svd;
mod svd_core;

use std::any::TypeId;
use std::ffi::CStr;
use std::os::raw::{c_char, c_int};

use ndarray::Array2;
// The import links lax -> openblas-src -> the system libopenblas, whose
// LAPACK and OpenBLAS symbols are declared below.
use ndarray_linalg as _;

use crate::{Assume, LinalgError, MatRef, Op, Output, Par, Real, Result};
use eig::{eig, eigh};
use lu::{getrf, getrf_any, getri, getrs};
use norms::{matrix_norm, vector_norm};
use qr::qr;
use solve::{potrf, potrs, sysv};
use svd::{cond, lstsq};
use svd_core::gesdd;

type I = c_int;
/// Fortran's hidden length of a CHARACTER argument (gfortran: size_t).
type Len = usize;
type Ch = *const c_char;

extern "C" {
    fn openblas_set_num_threads(n: c_int);
    fn openblas_get_config() -> *const c_char;
}

/// The OpenBLAS version, e.g. "0.3.21" (from `openblas_get_config()`, whose
/// full text [`config`] returns).
pub fn version() -> String {
    let cfg = config();
    cfg.split_whitespace()
        .nth(1)
        .map(str::to_string)
        .unwrap_or(cfg)
}

/// `openblas_get_config()` as is, e.g. "OpenBLAS 0.3.21 DYNAMIC_ARCH
/// NO_AFFINITY Haswell MAX_THREADS=64".
pub fn config() -> String {
    // SAFETY: OpenBLAS returns a pointer to a static NUL-terminated string.
    unsafe { CStr::from_ptr(openblas_get_config()) }
        .to_string_lossy()
        .into_owned()
}

/// Sets OpenBLAS's process-wide thread count (see the module docs).
pub fn set_threads(par: Par) {
    let n = par.threads().min(c_int::MAX as usize) as c_int;
    // SAFETY: plain setter of OpenBLAS's global pool size.
    unsafe { openblas_set_num_threads(n) }
}

type Getrf<F> = unsafe extern "C" fn(*const I, *const I, *mut F, *const I, *mut I, *mut I);
type Getrs<F> = unsafe extern "C" fn(
    Ch,
    *const I,
    *const I,
    *const F,
    *const I,
    *const I,
    *mut F,
    *const I,
    *mut I,
    Len,
);
type Getri<F> =
    unsafe extern "C" fn(*const I, *mut F, *const I, *const I, *mut F, *const I, *mut I);
type Sytrf<F> =
    unsafe extern "C" fn(Ch, *const I, *mut F, *const I, *mut I, *mut F, *const I, *mut I, Len);
type Sytrs<F> = unsafe extern "C" fn(
    Ch,
    *const I,
    *const I,
    *const F,
    *const I,
    *const I,
    *mut F,
    *const I,
    *mut I,
    Len,
);
type Potrf<F> = unsafe extern "C" fn(Ch, *const I, *mut F, *const I, *mut I, Len);
type Potrs<F> =
    unsafe extern "C" fn(Ch, *const I, *const I, *const F, *const I, *mut F, *const I, *mut I, Len);
type Trtrs<F> = unsafe extern "C" fn(
    Ch,
    Ch,
    Ch,
    *const I,
    *const I,
    *const F,
    *const I,
    *mut F,
    *const I,
    *mut I,
    Len,
    Len,
    Len,
);
type Gelsd<F> = unsafe extern "C" fn(
    *const I,
    *const I,
    *const I,
    *mut F,
    *const I,
    *mut F,
    *const I,
    *mut F,
    *const F,
    *mut I,
    *mut F,
    *const I,
    *mut I,
    *mut I,
);
type Gesdd<F> = unsafe extern "C" fn(
    Ch,
    *const I,
    *const I,
    *mut F,
    *const I,
    *mut F,
    *mut F,
    *const I,
    *mut F,
    *const I,
    *mut F,
    *const I,
    *mut I,
    *mut I,
    Len,
);
type Geev<F> = unsafe extern "C" fn(
    Ch,
    Ch,
    *const I,
    *mut F,
    *const I,
    *mut F,
    *mut F,
    *mut F,
    *const I,
    *mut F,
    *const I,
    *mut F,
    *const I,
    *mut I,
    Len,
    Len,
);
type Syevr<F> = unsafe extern "C" fn(
    Ch,
    Ch,
    Ch,
    *const I,
    *mut F,
    *const I,
    *const F,
    *const F,
    *const I,
    *const I,
    *const F,
    *mut I,
    *mut F,
    *mut F,
    *const I,
    *mut I,
    *mut F,
    *const I,
    *mut I,
    *const I,
    *mut I,
    Len,
    Len,
    Len,
);
type Geqrf<F> =
    unsafe extern "C" fn(*const I, *const I, *mut F, *const I, *mut F, *mut F, *const I, *mut I);
type Orgqr<F> = unsafe extern "C" fn(
    *const I,
    *const I,
    *const I,
    *mut F,
    *const I,
    *const F,
    *mut F,
    *const I,
    *mut I,
);
type Lange<F> = unsafe extern "C" fn(Ch, *const I, *const I, *const F, *const I, *mut F, Len) -> F;

/// f32 / f64 with their LAPACK routines (the s- and d- symbols).
trait Lapack: Real + ndarray::LinalgScalar + Default {
    const GETRF: Getrf<Self>;
    const GETRS: Getrs<Self>;
    const GETRI: Getri<Self>;
    const SYTRF: Sytrf<Self>;
    const SYTRS: Sytrs<Self>;
    const POTRF: Potrf<Self>;
    const POTRS: Potrs<Self>;
    const TRTRS: Trtrs<Self>;
    const GELSD: Gelsd<Self>;
    const GESDD: Gesdd<Self>;
    const GEEV: Geev<Self>;
    const SYEVR: Syevr<Self>;
    const GEQRF: Geqrf<Self>;
    const ORGQR: Orgqr<Self>;
    const LANGE: Lange<Self>;
}

macro_rules! lapack {
    ($t:ty, $getrf:ident, $getrs:ident, $getri:ident, $sytrf:ident, $sytrs:ident,
     $potrf:ident, $potrs:ident, $trtrs:ident, $gelsd:ident, $gesdd:ident,
     $geev:ident, $syevr:ident, $geqrf:ident, $orgqr:ident, $lange:ident) => {
        extern "C" {
            fn $getrf(
                m: *const I,
                n: *const I,
                a: *mut $t,
                lda: *const I,
                ipiv: *mut I,
                info: *mut I,
            );
            fn $getrs(
                trans: Ch,
                n: *const I,
                nrhs: *const I,
                a: *const $t,
                lda: *const I,
                ipiv: *const I,
                b: *mut $t,
                ldb: *const I,
                info: *mut I,
                l1: Len,
            );
            fn $getri(
                n: *const I,
                a: *mut $t,
                lda: *const I,
                ipiv: *const I,
                work: *mut $t,
                lwork: *const I,
                info: *mut I,
            );
            fn $sytrf(
                uplo: Ch,
                n: *const I,
                a: *mut $t,
                lda: *const I,
                ipiv: *mut I,
                work: *mut $t,
                lwork: *const I,
                info: *mut I,
                l1: Len,
            );
            fn $sytrs(
                uplo: Ch,
                n: *const I,
                nrhs: *const I,
                a: *const $t,
                lda: *const I,
                ipiv: *const I,
                b: *mut $t,
                ldb: *const I,
                info: *mut I,
                l1: Len,
            );
            fn $potrf(uplo: Ch, n: *const I, a: *mut $t, lda: *const I, info: *mut I, l1: Len);
            fn $potrs(
                uplo: Ch,
                n: *const I,
                nrhs: *const I,
                a: *const $t,
                lda: *const I,
                b: *mut $t,
                ldb: *const I,
                info: *mut I,
                l1: Len,
            );
            fn $trtrs(
                uplo: Ch,
                trans: Ch,
                diag: Ch,
                n: *const I,
                nrhs: *const I,
                a: *const $t,
                lda: *const I,
                b: *mut $t,
                ldb: *const I,
                info: *mut I,
                l1: Len,
                l2: Len,
                l3: Len,
            );
            fn $gelsd(
                m: *const I,
                n: *const I,
                nrhs: *const I,
                a: *mut $t,
                lda: *const I,
                b: *mut $t,
                ldb: *const I,
                s: *mut $t,
                rcond: *const $t,
                rank: *mut I,
                work: *mut $t,
                lwork: *const I,
                iwork: *mut I,
                info: *mut I,
            );
            fn $gesdd(
                jobz: Ch,
                m: *const I,
                n: *const I,
                a: *mut $t,
                lda: *const I,
                s: *mut $t,
                u: *mut $t,
                ldu: *const I,
                vt: *mut $t,
                ldvt: *const I,
                work: *mut $t,
                lwork: *const I,
                iwork: *mut I,
                info: *mut I,
                l1: Len,
            );
            fn $geev(
                jobvl: Ch,
                jobvr: Ch,
                n: *const I,
                a: *mut $t,
                lda: *const I,
                wr: *mut $t,
                wi: *mut $t,
                vl: *mut $t,
                ldvl: *const I,
                vr: *mut $t,
                ldvr: *const I,
                work: *mut $t,
                lwork: *const I,
                info: *mut I,
                l1: Len,
                l2: Len,
            );
            fn $syevr(
                jobz: Ch,
                range: Ch,
                uplo: Ch,
                n: *const I,
                a: *mut $t,
                lda: *const I,
                vl: *const $t,
                vu: *const $t,
                il: *const I,
                iu: *const I,
                abstol: *const $t,
                m: *mut I,
                w: *mut $t,
                z: *mut $t,
                ldz: *const I,
                isuppz: *mut I,
                work: *mut $t,
                lwork: *const I,
                iwork: *mut I,
                liwork: *const I,
                info: *mut I,
                l1: Len,
                l2: Len,
                l3: Len,
            );
            fn $geqrf(
                m: *const I,
                n: *const I,
                a: *mut $t,
                lda: *const I,
                tau: *mut $t,
                work: *mut $t,
                lwork: *const I,
                info: *mut I,
            );
            fn $orgqr(
                m: *const I,
                n: *const I,
                k: *const I,
                a: *mut $t,
                lda: *const I,
                tau: *const $t,
                work: *mut $t,
                lwork: *const I,
                info: *mut I,
            );
            fn $lange(
                norm: Ch,
                m: *const I,
                n: *const I,
                a: *const $t,
                lda: *const I,
                work: *mut $t,
                l1: Len,
            ) -> $t;
        }
        impl Lapack for $t {
            const GETRF: Getrf<$t> = $getrf;
            const GETRS: Getrs<$t> = $getrs;
            const GETRI: Getri<$t> = $getri;
            const SYTRF: Sytrf<$t> = $sytrf;
            const SYTRS: Sytrs<$t> = $sytrs;
            const POTRF: Potrf<$t> = $potrf;
            const POTRS: Potrs<$t> = $potrs;
            const TRTRS: Trtrs<$t> = $trtrs;
            const GELSD: Gelsd<$t> = $gelsd;
            const GESDD: Gesdd<$t> = $gesdd;
            const GEEV: Geev<$t> = $geev;
            const SYEVR: Syevr<$t> = $syevr;
            const GEQRF: Geqrf<$t> = $geqrf;
            const ORGQR: Orgqr<$t> = $orgqr;
            const LANGE: Lange<$t> = $lange;
        }
    };
}

lapack!(
    f64, dgetrf_, dgetrs_, dgetri_, dsytrf_, dsytrs_, dpotrf_, dpotrs_, dtrtrs_, dgelsd_, dgesdd_,
    dgeev_, dsyevr_, dgeqrf_, dorgqr_, dlange_
);
lapack!(
    f32, sgetrf_, sgetrs_, sgetri_, ssytrf_, ssytrs_, spotrf_, spotrs_, strtrs_, sgelsd_, sgesdd_,
    sgeev_, ssyevr_, sgeqrf_, sorgqr_, slange_
);

/// Runs `op` on `inputs` over OpenBLAS/LAPACK, with OpenBLAS's process-wide
/// pool set to `par.threads()` first. `Expm` (no LAPACK routine) and
/// `QrPivoting` run on faer through [`crate::run`].
pub fn run<T: Real>(op: &Op, inputs: &[MatRef<'_, T>], par: Par) -> Result<Vec<Output<T>>> {
    if let Op::Expm | Op::QrPivoting { .. } = op {
        // LAPACK has no matrix exponential: faer's Al-Mohy–Higham expm. QR
        // with column pivoting (geqp3 is not bound here) runs on faer too.
        return crate::run(op, inputs, par);
    }
    set_threads(par);
    if TypeId::of::<T>() == TypeId::of::<f64>() {
        run_as::<T, f64>(op, inputs)
    } else if TypeId::of::<T>() == TypeId::of::<f32>() {
        run_as::<T, f32>(op, inputs)
    } else {
        Err(LinalgError::Invalid("openblas: only f32 and f64".into()))
    }
}

/// `Real::to_f64` under a name num_traits' `ToPrimitive::to_f64` does not shadow.
trait To64 {
    fn to64(self) -> f64;
}

impl<T: Real> To64 for T {
    fn to64(self) -> f64 {
        Real::to_f64(self)
    }
}

fn invalid<R>(msg: impl Into<String>) -> Result<R> {
    Err(LinalgError::Invalid(msg.into()))
}

fn to_i(v: usize) -> Result<I> {
    I::try_from(v).map_err(|_| {
        LinalgError::Invalid(format!("dimension {v} exceeds LAPACK's 32-bit integers"))
    })
}

/// A column-major matrix, leading dimension max(1, m).
#[derive(Clone)]
struct Cm<F> {
    m: usize,
    n: usize,
    a: Vec<F>,
}

impl<F: Lapack> Cm<F> {
    fn zeros(m: usize, n: usize) -> Cm<F> {
        Cm {
            m,
            n,
            a: vec![F::zero(); m * n],
        }
    }
    fn eye(m: usize, n: usize) -> Cm<F> {
        let mut c = Cm::zeros(m, n);
        for i in 0..m.min(n) {
            c.a[i + i * m] = F::one();
        }
        c
    }
    /// Copy of a row-major input (T and F are the same type; the round trip
    /// through f64 is exact).
    fn of<T: Real>(x: &MatRef<'_, T>) -> Cm<F> {
        let (m, n) = (x.rows, x.cols);
        let mut a = vec![F::zero(); m * n];
        for i in 0..m {
            let row = &x.data[i * n..(i + 1) * n];
            for (j, v) in row.iter().enumerate() {
                a[i + j * m] = F::of_f64(v.to64());
            }
        }
        Cm { m, n, a }
    }
    fn at(&self, i: usize, j: usize) -> F {
        self.a[i + j * self.m]
    }
    fn ld(&self) -> I {
        self.m.max(1) as I
    }
    /// Row-major output.
    fn out<T: Real>(&self) -> Output<T> {
        let mut data = Vec::with_capacity(self.m * self.n);
        for i in 0..self.m {
            for j in 0..self.n {
                data.push(T::of_f64(self.at(i, j).to64()));
            }
        }
        Output::Real {
            shape: vec![self.m, self.n],
            data,
        }
    }
    /// The leading r×c block.
    fn block(&self, r: usize, c: usize) -> Cm<F> {
        let mut b = Cm::zeros(r, c);
        for j in 0..c {
            for i in 0..r {
                b.a[i + j * r] = self.at(i, j);
            }
        }
        b
    }
}

fn vec_out<T: Real, F: Lapack>(v: &[F]) -> Output<T> {
    Output::Real {
        shape: vec![v.len()],
        data: v.iter().map(|x| T::of_f64(x.to64())).collect(),
    }
}

fn scalar<T: Real>(v: f64) -> Output<T> {
    Output::Real {
        shape: vec![],
        data: vec![T::of_f64(v)],
    }
}

fn ch(c: u8) -> c_char {
    c as c_char
}

/// Optimal workspace from a query, rounded up (an f32 query result can
/// round below the integer LAPACK meant).
fn lwork<F: Lapack>(w: F) -> usize {
    let v = w.to64();
    ((v * (1.0 + 4.0 * F::EPS.to64())).ceil() as usize).max(1)
}

fn want(inputs: usize, n: usize, op: &Op) -> Result<()> {
    if inputs != n {
        return invalid(format!("{op:?}: {n} inputs expected, {inputs} given"));
    }
    Ok(())
}

fn square<T>(a: &MatRef<'_, T>, what: &str) -> Result<usize> {
    if a.rows != a.cols {
        return invalid(format!(
            "{what}: a must be square, got {}x{}",
            a.rows, a.cols
        ));
    }
    Ok(a.rows)
}

fn rhs<T>(b: &MatRef<'_, T>, n: usize, what: &str) -> Result<()> {
    if b.rows != n {
        return invalid(format!("{what}: b has {} rows, a has {n}", b.rows));
    }
    Ok(())
}

fn run_as<T: Real, F: Lapack>(op: &Op, x: &[MatRef<'_, T>]) -> Result<Vec<Output<T>>> {
    match *op {
        Op::Solve {
            assume,
            lower,
            transposed,
        } => {
            want(x.len(), 2, op)?;
            let n = square(&x[0], "solve")?;
            rhs(&x[1], n, "solve")?;
            let mut b = Cm::<F>::of(&x[1]);
            if b.a.is_empty() {
                return Ok(vec![b.out()]);
            }
            let mut a = Cm::<F>::of(&x[0]);
            match assume {
                Assume::Gen => {
                    let piv = getrf(&mut a)?;
                    getrs(&a, &piv, if transposed { b'T' } else { b'N' }, &mut b)?;
                }
                Assume::Sym => sysv(&mut a, lower, &mut b)?,
                Assume::Pos => {
                    // SciPy's solve reports a failed potrf as a singular matrix.
                    potrf(&mut a, lower).map_err(|e| match e {
                        LinalgError::NotPositiveDefinite { index } => {
                            LinalgError::Singular { index }
                        }
                        e => e,
                    })?;
                    potrs(&a, lower, &mut b)?;
                }
            }
            Ok(vec![b.out()])
        }
        Op::SolveTriangular {
            lower,
            trans,
            unit_diagonal,
        } => {
            want(x.len(), 2, op)?;
            let n = square(&x[0], "solve_triangular")?;
            rhs(&x[1], n, "solve_triangular")?;
            let mut b = Cm::<F>::of(&x[1]);
            if b.a.is_empty() {
                return Ok(vec![b.out()]);
            }
            let a = Cm::<F>::of(&x[0]);
            let (nn, k, ld) = (to_i(n)?, to_i(b.n)?, a.ld());
            let mut info = 0;
            let (u, t, d) = (
                ch(if lower { b'L' } else { b'U' }),
                ch(if trans == 0 { b'N' } else { b'T' }),
                ch(if unit_diagonal { b'U' } else { b'N' }),
            );
            // SAFETY: a is n×n, b n×k, both column-major with ld max(1, n).
            unsafe {
                (F::TRTRS)(
                    &u,
                    &t,
                    &d,
                    &nn,
                    &k,
                    a.a.as_ptr(),
                    &ld,
                    b.a.as_mut_ptr(),
                    &ld,
                    &mut info,
                    1,
                    1,
                    1,
                )
            };
            check(info, |i| LinalgError::Singular { index: i })?;
            Ok(vec![b.out()])
        }
        Op::Inv => {
            want(x.len(), 1, op)?;
            square(&x[0], "inv")?;
            let mut a = Cm::<F>::of(&x[0]);
            if a.a.is_empty() {
                return Ok(vec![a.out()]);
            }
            let piv = getrf(&mut a)?;
            getri(&mut a, &piv)?;
            Ok(vec![a.out()])
        }
        Op::Det => {
            want(x.len(), 1, op)?;
            square(&x[0], "det")?;
            let mut a = Cm::<F>::of(&x[0]);
            let piv = getrf_any(&mut a)?;
            let mut det = F::one();
            for (i, p) in piv.iter().enumerate() {
                det *= a.at(i, i);
                if *p as usize != i + 1 {
                    det = -det;
                }
            }
            Ok(vec![scalar(det.to64())])
        }
        Op::Slogdet => {
            want(x.len(), 1, op)?;
            square(&x[0], "slogdet")?;
            let mut a = Cm::<F>::of(&x[0]);
            let piv = getrf_any(&mut a)?;
            let (mut sign, mut log) = (F::one(), F::zero());
            for (i, p) in piv.iter().enumerate() {
                let d = a.at(i, i);
                if *p as usize != i + 1 {
                    sign = -sign;
                }
                if d == F::zero() {
                    return Ok(vec![scalar(0.0), scalar(f64::NEG_INFINITY)]);
                }
                if d < F::zero() {
                    sign = -sign;
                }
                log += d.abs().ln();
            }
            Ok(vec![scalar(sign.to64()), scalar(log.to64())])
        }
        Op::Lstsq { cond } => {
            want(x.len(), 2, op)?;
            rhs(&x[1], x[0].rows, "lstsq")?;
            lstsq::<T, F>(&x[0], &x[1], cond)
        }
        Op::Pinv { atol, rtol } => {
            want(x.len(), 1, op)?;
            let (m, n) = (x[0].rows, x[0].cols);
            let mut a = Cm::<F>::of(&x[0]);
            if a.a.is_empty() {
                return Ok(vec![Cm::<F>::zeros(n, m).out()]);
            }
            let (u, s, vt) = gesdd(&mut a, Some(false))?;
            let (u, vt) = (u.expect("u"), vt.expect("vt"));
            let smax = s.iter().fold(0.0f64, |acc, v| acc.max(v.to64()));
            let rtol = rtol.unwrap_or(m.max(n) as f64 * F::EPS.to64());
            let val = atol.unwrap_or(0.0) + smax * rtol;
            let rank = s.iter().filter(|v| v.to64() > val).count();
            // pinv = V_r diag(1/s_r) U_rᵀ (n×m), as SciPy's (u/s) @ vh, transposed.
            let vs = Array2::from_shape_fn((n, rank), |(i, r)| vt.at(r, i) / s[r]);
            let ut = Array2::from_shape_fn((rank, m), |(r, j)| u.at(j, r));
            let p = vs.dot(&ut);
            Ok(vec![Output::Real {
                shape: vec![n, m],
                data: p.iter().map(|v| T::of_f64(v.to64())).collect(),
            }])
        }
        Op::MatrixNorm { ord, transpose } => {
            want(x.len(), 1, op)?;
            Ok(vec![scalar(matrix_norm::<T, F>(&x[0], ord, transpose)?)])
        }
        Op::VectorNorm { ord, axis } => {
            want(x.len(), 1, op)?;
            Ok(vec![vector_norm::<T>(&x[0], ord, axis)?])
        }
        Op::Matmul => {
            want(x.len(), 2, op)?;
            let (a, b) = (&x[0], &x[1]);
            if a.cols != b.rows {
                return invalid(format!(
                    "matmul: {}x{} @ {}x{}",
                    a.rows, a.cols, b.rows, b.cols
                ));
            }
            let conv = |m: &MatRef<'_, T>| {
                Array2::from_shape_vec(
                    (m.rows, m.cols),
                    m.data.iter().map(|v| F::of_f64(v.to64())).collect(),
                )
                .expect("shape")
            };
            let c = conv(a).dot(&conv(b));
            Ok(vec![Output::Real {
                shape: vec![a.rows, b.cols],
                data: c.iter().map(|v| T::of_f64(v.to64())).collect(),
            }])
        }
        Op::Lu {
            permute_l,
            p_indices,
        } => {
            want(x.len(), 1, op)?;
            let mut a = Cm::<F>::of(&x[0]);
            let (m, n) = (a.m, a.n);
            let k = m.min(n);
            let piv = getrf_any(&mut a)?;
            // perm[i]: the row of a that ends up as row i of l u.
            let mut perm: Vec<usize> = (0..m).collect();
            for (i, p) in piv.iter().enumerate() {
                perm.swap(i, *p as usize - 1);
            }
            let mut l = Cm::<F>::zeros(m, k);
            for j in 0..k {
                l.a[j + j * m] = F::one();
                for i in j + 1..m {
                    l.a[i + j * m] = a.at(i, j);
                }
            }
            let mut u = Cm::<F>::zeros(k, n);
            for j in 0..n {
                for i in 0..k.min(j + 1) {
                    u.a[i + j * k] = a.at(i, j);
                }
            }
            if permute_l {
                let mut pl = Cm::<F>::zeros(m, k);
                for j in 0..k {
                    for (i, &r) in perm.iter().enumerate() {
                        pl.a[r + j * m] = l.at(i, j);
                    }
                }
                Ok(vec![pl.out(), u.out()])
            } else if p_indices {
                // a = l[p] u; an empty a gives an empty p, as SciPy.
                let mm = if k == 0 { 0 } else { m };
                let mut p = vec![0i32; mm];
                for (i, &r) in perm.iter().take(mm).enumerate() {
                    p[r] = i as i32;
                }
                let p = Output::Int {
                    shape: vec![mm],
                    data: p,
                };
                Ok(vec![p, l.out(), u.out()])
            } else {
                // An empty a gives a 0×0 p, as SciPy.
                let mm = if k == 0 { 0 } else { m };
                let mut p = Cm::<F>::zeros(mm, mm);
                for (i, &r) in perm.iter().take(mm).enumerate() {
                    p.a[r + i * mm] = F::one();
                }
                Ok(vec![p.out(), l.out(), u.out()])
            }
        }
        Op::LuFactor => {
            want(x.len(), 1, op)?;
            let mut a = Cm::<F>::of(&x[0]);
            let piv = getrf_any(&mut a)?;
            let piv0: Vec<i32> = piv.iter().map(|p| p - 1).collect();
            Ok(vec![
                a.out(),
                Output::Int {
                    shape: vec![piv0.len()],
                    data: piv0,
                },
            ])
        }
        Op::LuSolve { trans } => {
            want(x.len(), 3, op)?;
            let n = square(&x[0], "lu_solve")?;
            if x[1].data.len() != n {
                return invalid(format!("lu_solve: {} pivots for n = {n}", x[1].data.len()));
            }
            rhs(&x[2], n, "lu_solve")?;
            let mut piv = Vec::with_capacity(n);
            for (i, p) in x[1].data.iter().enumerate() {
                let p = p.to64();
                if !(p >= i as f64 && p < n as f64 && p.fract() == 0.0) {
                    return invalid(format!("lu_solve: pivot {i} is {p}, not in {i}..{n}"));
                }
                piv.push(p as I + 1);
            }
            let mut b = Cm::<F>::of(&x[2]);
            if b.a.is_empty() {
                return Ok(vec![b.out()]);
            }
            let lu = Cm::<F>::of(&x[0]);
            // getrs does not look for zero pivots; the contract reports them.
            if let Some(i) = (0..n).find(|&i| lu.at(i, i) == F::zero()) {
                return Err(LinalgError::Singular { index: i });
            }
            getrs(&lu, &piv, if trans == 0 { b'N' } else { b'T' }, &mut b)?;
            Ok(vec![b.out()])
        }
        Op::Qr { mode } => {
            want(x.len(), 1, op)?;
            qr::<T, F>(&x[0], mode)
        }
        Op::Cholesky { lower } => {
            want(x.len(), 1, op)?;
            let n = square(&x[0], "cholesky")?;
            let mut a = Cm::<F>::of(&x[0]);
            if n == 0 {
                return Ok(vec![a.out()]);
            }
            potrf(&mut a, lower)?;
            for j in 0..n {
                for i in 0..n {
                    if (lower && i < j) || (!lower && i > j) {
                        a.a[i + j * n] = F::zero();
                    }
                }
            }
            Ok(vec![a.out()])
        }
        Op::ChoSolve { lower } => {
            want(x.len(), 2, op)?;
            let n = square(&x[0], "cho_solve")?;
            rhs(&x[1], n, "cho_solve")?;
            let mut b = Cm::<F>::of(&x[1]);
            if b.a.is_empty() {
                return Ok(vec![b.out()]);
            }
            potrs(&Cm::<F>::of(&x[0]), lower, &mut b)?;
            Ok(vec![b.out()])
        }
        Op::Svd {
            full_matrices,
            compute_uv,
        } => {
            want(x.len(), 1, op)?;
            let mut a = Cm::<F>::of(&x[0]);
            let (m, n) = (a.m, a.n);
            if a.a.is_empty() {
                // SciPy: identity u / vh when full, empty otherwise.
                let s = Output::Real {
                    shape: vec![0],
                    data: vec![],
                };
                if !compute_uv {
                    return Ok(vec![s]);
                }
                let (u, vt) = if full_matrices {
                    (Cm::<F>::eye(m, m), Cm::<F>::eye(n, n))
                } else {
                    (Cm::<F>::zeros(m, 0), Cm::<F>::zeros(0, n))
                };
                return Ok(vec![u.out(), s, vt.out()]);
            }
            let (u, s, vt) = gesdd(&mut a, compute_uv.then_some(full_matrices))?;
            match (u, vt) {
                (Some(u), Some(vt)) => Ok(vec![u.out(), vec_out(&s), vt.out()]),
                _ => Ok(vec![vec_out(&s)]),
            }
        }
        Op::Eig { right } => {
            want(x.len(), 1, op)?;
            square(&x[0], "eig")?;
            eig::<T, F>(&x[0], right)
        }
        Op::Eigh {
            lower,
            vectors,
            subset,
        } => {
            want(x.len(), 1, op)?;
            square(&x[0], "eigh")?;
            eigh::<T, F>(&x[0], lower, vectors, subset)
        }
        Op::Expm | Op::QrPivoting { .. } => unreachable!("expm and pivoted qr run on faer"),
        Op::Cond { p } => {
            want(x.len(), 1, op)?;
            let n = square(&x[0], "cond")?;
            if n == 0 {
                return invalid("cond: empty matrix");
            }
            Ok(vec![scalar(cond::<T, F>(&x[0], p)?)])
        }
        Op::MatrixRank { tol } => {
            want(x.len(), 1, op)?;
            let (m, n) = (x[0].rows, x[0].cols);
            let mut a = Cm::<F>::of(&x[0]);
            let rank = if a.a.is_empty() {
                0
            } else {
                let (_, s, _) = gesdd(&mut a, None)?;
                let smax = s.iter().fold(0.0f64, |acc, v| acc.max(v.to64()));
                let tol = tol.unwrap_or(smax * m.max(n) as f64 * F::EPS.to64());
                s.iter().filter(|v| v.to64() > tol).count()
            };
            Ok(vec![Output::Int {
                shape: vec![],
                data: vec![rank as i32],
            }])
        }
    }
}

/// LAPACK's info: negative is an argument bug, positive the routine's
/// failure at 1-based position `info` (mapped 0-based by `fail`).
fn check(info: I, fail: impl FnOnce(usize) -> LinalgError) -> Result<()> {
    match info {
        0 => Ok(()),
        i if i < 0 => invalid(format!("LAPACK: illegal value in argument {}", -i)),
        i => Err(fail(i as usize - 1)),
    }
}
