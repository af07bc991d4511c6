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

use std::any::TypeId;
use std::ffi::CStr;
use std::os::raw::{c_char, c_int};

use ndarray::Array2;
// The import links lax -> openblas-src -> the system libopenblas, whose
// LAPACK and OpenBLAS symbols are declared below.
use ndarray_linalg as _;

use crate::{Assume, LinalgError, MatRef, MatrixOrd, Op, Output, Par, QrMode, Real, Result};

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

/// getrf; a zero pivot is `Singular { index }` (as SciPy's solve / inv).
fn getrf<F: Lapack>(a: &mut Cm<F>) -> Result<Vec<I>> {
    let (piv, info) = getrf_raw(a)?;
    check(info, |i| LinalgError::Singular { index: i })?;
    Ok(piv)
}

/// getrf keeping a singular factor (lu, lu_factor, det).
fn getrf_any<F: Lapack>(a: &mut Cm<F>) -> Result<Vec<I>> {
    let (piv, info) = getrf_raw(a)?;
    check(info.min(0), |_| unreachable!())?;
    Ok(piv)
}

fn getrf_raw<F: Lapack>(a: &mut Cm<F>) -> Result<(Vec<I>, I)> {
    let k = a.m.min(a.n);
    let mut piv = vec![0 as I; k];
    if k == 0 {
        return Ok((piv, 0));
    }
    let (m, n, ld) = (to_i(a.m)?, to_i(a.n)?, a.ld());
    let mut info = 0;
    // SAFETY: a is m×n column-major with ld max(1, m); piv holds min(m, n).
    unsafe { (F::GETRF)(&m, &n, a.a.as_mut_ptr(), &ld, piv.as_mut_ptr(), &mut info) };
    Ok((piv, info))
}

fn getrs<F: Lapack>(lu: &Cm<F>, piv: &[I], trans: u8, b: &mut Cm<F>) -> Result<()> {
    let (n, k, ld) = (to_i(lu.n)?, to_i(b.n)?, lu.ld());
    let mut info = 0;
    let t = ch(trans);
    // SAFETY: lu n×n, piv n, b n×k, column-major, ld max(1, n).
    unsafe {
        (F::GETRS)(
            &t,
            &n,
            &k,
            lu.a.as_ptr(),
            &ld,
            piv.as_ptr(),
            b.a.as_mut_ptr(),
            &ld,
            &mut info,
            1,
        )
    };
    check(info, |i| LinalgError::Singular { index: i })
}

fn getri<F: Lapack>(a: &mut Cm<F>, piv: &[I]) -> Result<()> {
    let (n, ld) = (to_i(a.n)?, a.ld());
    let mut info = 0;
    let mut q = F::zero();
    // SAFETY: workspace query (lwork = -1), then the call with that workspace.
    unsafe {
        (F::GETRI)(
            &n,
            a.a.as_mut_ptr(),
            &ld,
            piv.as_ptr(),
            &mut q,
            &-1,
            &mut info,
        )
    };
    check(info, |i| LinalgError::Singular { index: i })?;
    let lw = lwork(q);
    let mut work = vec![F::zero(); lw];
    let lw = to_i(lw)?;
    unsafe {
        (F::GETRI)(
            &n,
            a.a.as_mut_ptr(),
            &ld,
            piv.as_ptr(),
            work.as_mut_ptr(),
            &lw,
            &mut info,
        )
    };
    check(info, |i| LinalgError::Singular { index: i })
}

/// sytrf + sytrs (SciPy's sysv): Bunch–Kaufman on the chosen triangle.
fn sysv<F: Lapack>(a: &mut Cm<F>, lower: bool, b: &mut Cm<F>) -> Result<()> {
    let (n, k, ld) = (to_i(a.n)?, to_i(b.n)?, a.ld());
    let u = ch(if lower { b'L' } else { b'U' });
    let mut piv = vec![0 as I; a.n];
    let mut info = 0;
    let mut q = F::zero();
    // SAFETY: a n×n, piv n, b n×k, column-major, ld max(1, n); workspace
    // query first.
    unsafe {
        (F::SYTRF)(
            &u,
            &n,
            a.a.as_mut_ptr(),
            &ld,
            piv.as_mut_ptr(),
            &mut q,
            &-1,
            &mut info,
            1,
        )
    };
    check(info, |i| LinalgError::Singular { index: i })?;
    let lw = lwork(q);
    let mut work = vec![F::zero(); lw];
    let lw = to_i(lw)?;
    unsafe {
        (F::SYTRF)(
            &u,
            &n,
            a.a.as_mut_ptr(),
            &ld,
            piv.as_mut_ptr(),
            work.as_mut_ptr(),
            &lw,
            &mut info,
            1,
        )
    };
    check(info, |i| LinalgError::Singular { index: i })?;
    unsafe {
        (F::SYTRS)(
            &u,
            &n,
            &k,
            a.a.as_ptr(),
            &ld,
            piv.as_ptr(),
            b.a.as_mut_ptr(),
            &ld,
            &mut info,
            1,
        )
    };
    check(info, |i| LinalgError::Singular { index: i })
}

fn potrf<F: Lapack>(a: &mut Cm<F>, lower: bool) -> Result<()> {
    let (n, ld) = (to_i(a.n)?, a.ld());
    let u = ch(if lower { b'L' } else { b'U' });
    let mut info = 0;
    // SAFETY: a n×n column-major, ld max(1, n).
    unsafe { (F::POTRF)(&u, &n, a.a.as_mut_ptr(), &ld, &mut info, 1) };
    check(info, |i| LinalgError::NotPositiveDefinite { index: i })
}

fn potrs<F: Lapack>(c: &Cm<F>, lower: bool, b: &mut Cm<F>) -> Result<()> {
    let (n, k, ld) = (to_i(c.n)?, to_i(b.n)?, c.ld());
    let u = ch(if lower { b'L' } else { b'U' });
    let mut info = 0;
    // SAFETY: c n×n, b n×k, column-major, ld max(1, n).
    unsafe {
        (F::POTRS)(
            &u,
            &n,
            &k,
            c.a.as_ptr(),
            &ld,
            b.a.as_mut_ptr(),
            &ld,
            &mut info,
            1,
        )
    };
    check(info, |i| LinalgError::NotPositiveDefinite { index: i })
}

/// gesdd of a non-empty a (destroyed). `uv`: None for s only, Some(full).
#[allow(clippy::type_complexity)]
fn gesdd<F: Lapack>(
    a: &mut Cm<F>,
    uv: Option<bool>,
) -> Result<(Option<Cm<F>>, Vec<F>, Option<Cm<F>>)> {
    let (m, n) = (a.m, a.n);
    let k = m.min(n);
    let mut s = vec![F::zero(); k];
    let (jobz, ucols, vrows) = match uv {
        None => (b'N', 0, 0),
        Some(true) => (b'A', m, n),
        Some(false) => (b'S', k, k),
    };
    let mut u = Cm::<F>::zeros(if uv.is_some() { m } else { 0 }, ucols);
    let mut vt = Cm::<F>::zeros(vrows, if uv.is_some() { n } else { 0 });
    let (mi, ni, lda) = (to_i(m)?, to_i(n)?, a.ld());
    let (ldu, ldvt) = (to_i(m.max(1))?, to_i(vrows.max(1))?);
    let mut iwork = vec![0 as I; 8 * k];
    let j = ch(jobz);
    let mut info = 0;
    let mut q = F::zero();
    // Keep pointers valid even for empty buffers (jobz 'N' never touches them).
    let mut dummy = [F::zero(); 1];
    let up = if u.a.is_empty() {
        dummy.as_mut_ptr()
    } else {
        u.a.as_mut_ptr()
    };
    let vp = if vt.a.is_empty() {
        dummy.as_mut_ptr()
    } else {
        vt.a.as_mut_ptr()
    };
    // SAFETY: buffers sized per gesdd's documentation for jobz; workspace
    // query first.
    unsafe {
        (F::GESDD)(
            &j,
            &mi,
            &ni,
            a.a.as_mut_ptr(),
            &lda,
            s.as_mut_ptr(),
            up,
            &ldu,
            vp,
            &ldvt,
            &mut q,
            &-1,
            iwork.as_mut_ptr(),
            &mut info,
            1,
        )
    };
    check(info, |_| LinalgError::NoConvergence)?;
    let lw = lwork(q);
    let mut work = vec![F::zero(); lw];
    let lw = to_i(lw)?;
    unsafe {
        (F::GESDD)(
            &j,
            &mi,
            &ni,
            a.a.as_mut_ptr(),
            &lda,
            s.as_mut_ptr(),
            up,
            &ldu,
            vp,
            &ldvt,
            work.as_mut_ptr(),
            &lw,
            iwork.as_mut_ptr(),
            &mut info,
            1,
        )
    };
    check(info, |_| LinalgError::NoConvergence)?;
    Ok(match uv {
        None => (None, s, None),
        Some(_) => (Some(u), s, Some(vt)),
    })
}

/// gelsd with SciPy's defaults; empty problems answered as SciPy does.
fn lstsq<T: Real, F: Lapack>(
    a: &MatRef<'_, T>,
    b: &MatRef<'_, T>,
    cond: Option<f64>,
) -> Result<Vec<Output<T>>> {
    let (m, n, k) = (a.rows, a.cols, b.cols);
    let rank = |r: usize| Output::Int {
        shape: vec![],
        data: vec![r as i32],
    };
    if m == 0 || n == 0 {
        // x = 0; with no unknowns every column of b is its own residual.
        let bb = Cm::<F>::of(b);
        let residues: Vec<F> = if n == 0 {
            (0..k)
                .map(|j| (0..m).fold(F::zero(), |acc, i| acc + bb.at(i, j) * bb.at(i, j)))
                .collect()
        } else {
            vec![]
        };
        return Ok(vec![
            Cm::<F>::zeros(n, k).out(),
            vec_out(&residues),
            rank(0),
            vec_out::<T, F>(&[]),
        ]);
    }
    let mut aa = Cm::<F>::of(a);
    let ldb = m.max(n);
    // gelsd's lalsd rejects nrhs = 0: solve for one zero column instead
    // (s and rank do not depend on b) and keep none.
    let mut bb = Cm::<F>::zeros(ldb, k.max(1));
    for j in 0..k {
        for i in 0..m {
            bb.a[i + j * ldb] = F::of_f64(b.data[i * k + j].to64());
        }
    }
    let mut s = vec![F::zero(); m.min(n)];
    let rcond = F::of_f64(cond.unwrap_or(F::EPS.to64()));
    let (mi, ni, ki, lda, ldbi) = (to_i(m)?, to_i(n)?, to_i(k.max(1))?, aa.ld(), to_i(ldb)?);
    let mut r: I = 0;
    let mut info = 0;
    let mut q = F::zero();
    let mut qi: I = 0;
    let bp = bb.a.as_mut_ptr();
    // SAFETY: a m×n (ld max(1, m)), b max(m, n)×max(k, 1), s min(m, n); workspace
    // query first (returns work and iwork sizes).
    unsafe {
        (F::GELSD)(
            &mi,
            &ni,
            &ki,
            aa.a.as_mut_ptr(),
            &lda,
            bp,
            &ldbi,
            s.as_mut_ptr(),
            &rcond,
            &mut r,
            &mut q,
            &-1,
            &mut qi,
            &mut info,
        )
    };
    check(info, |_| LinalgError::NoConvergence)?;
    let lw = lwork(q);
    let mut work = vec![F::zero(); lw];
    let mut iwork = vec![0 as I; (qi.max(1)) as usize];
    let lw = to_i(lw)?;
    unsafe {
        (F::GELSD)(
            &mi,
            &ni,
            &ki,
            aa.a.as_mut_ptr(),
            &lda,
            bp,
            &ldbi,
            s.as_mut_ptr(),
            &rcond,
            &mut r,
            work.as_mut_ptr(),
            &lw,
            iwork.as_mut_ptr(),
            &mut info,
        )
    };
    check(info, |_| LinalgError::NoConvergence)?;
    let xs = bb.block(n, k);
    let residues: Vec<F> = if m > n && r as usize == n {
        (0..k)
            .map(|j| {
                (n..m).fold(F::zero(), |acc, i| {
                    acc + bb.a[i + j * ldb] * bb.a[i + j * ldb]
                })
            })
            .collect()
    } else {
        vec![]
    };
    Ok(vec![
        xs.out(),
        vec_out(&residues),
        rank(r as usize),
        vec_out(&s),
    ])
}

fn qr<T: Real, F: Lapack>(x: &MatRef<'_, T>, mode: QrMode) -> Result<Vec<Output<T>>> {
    let mut a = Cm::<F>::of(x);
    let (m, n) = (a.m, a.n);
    let k = m.min(n);
    let mut tau = vec![F::zero(); k];
    if k > 0 {
        let (mi, ni, ld) = (to_i(m)?, to_i(n)?, a.ld());
        let mut info = 0;
        let mut q = F::zero();
        // SAFETY: a m×n column-major, tau min(m, n); workspace query first.
        unsafe {
            (F::GEQRF)(
                &mi,
                &ni,
                a.a.as_mut_ptr(),
                &ld,
                tau.as_mut_ptr(),
                &mut q,
                &-1,
                &mut info,
            )
        };
        check(info, |_| LinalgError::NoConvergence)?;
        let lw = lwork(q);
        let mut work = vec![F::zero(); lw];
        let lw = to_i(lw)?;
        unsafe {
            (F::GEQRF)(
                &mi,
                &ni,
                a.a.as_mut_ptr(),
                &ld,
                tau.as_mut_ptr(),
                work.as_mut_ptr(),
                &lw,
                &mut info,
            )
        };
        check(info, |_| LinalgError::NoConvergence)?;
    }
    let rrows = if mode == QrMode::Economic { k } else { m };
    let mut r = Cm::<F>::zeros(rrows, n);
    for j in 0..n {
        for i in 0..rrows.min(j + 1) {
            r.a[i + j * rrows] = a.at(i, j);
        }
    }
    if mode == QrMode::R {
        return Ok(vec![r.out()]);
    }
    let qc = if mode == QrMode::Full { m } else { k };
    let mut q = Cm::<F>::zeros(m, qc);
    for j in 0..qc.min(n) {
        for i in 0..m {
            q.a[i + j * m] = a.at(i, j);
        }
    }
    if m > 0 && qc > 0 {
        let (mi, qi, ki, ld) = (to_i(m)?, to_i(qc)?, to_i(k)?, q.ld());
        let mut info = 0;
        let mut w = F::zero();
        let mut dummy = [F::zero(); 1];
        let tp = if tau.is_empty() {
            dummy.as_mut_ptr()
        } else {
            tau.as_mut_ptr()
        };
        // SAFETY: q m×qc with its first k columns the reflectors, tau k;
        // m >= qc >= k. Workspace query first.
        unsafe {
            (F::ORGQR)(
                &mi,
                &qi,
                &ki,
                q.a.as_mut_ptr(),
                &ld,
                tp,
                &mut w,
                &-1,
                &mut info,
            )
        };
        check(info, |_| LinalgError::NoConvergence)?;
        let lw = lwork(w);
        let mut work = vec![F::zero(); lw];
        let lw = to_i(lw)?;
        unsafe {
            (F::ORGQR)(
                &mi,
                &qi,
                &ki,
                q.a.as_mut_ptr(),
                &ld,
                tp,
                work.as_mut_ptr(),
                &lw,
                &mut info,
            )
        };
        check(info, |_| LinalgError::NoConvergence)?;
    }
    Ok(vec![q.out(), r.out()])
}

fn eig<T: Real, F: Lapack>(x: &MatRef<'_, T>, right: bool) -> Result<Vec<Output<T>>> {
    let mut a = Cm::<F>::of(x);
    let n = a.n;
    let mut wr = vec![F::zero(); n];
    let mut wi = vec![F::zero(); n];
    let mut vr = Cm::<F>::zeros(if right { n } else { 0 }, if right { n } else { 0 });
    if n > 0 {
        let (ni, ld) = (to_i(n)?, a.ld());
        let (jl, jr) = (ch(b'N'), ch(if right { b'V' } else { b'N' }));
        let ldvr = if right { ld } else { 1 };
        let mut dummy = [F::zero(); 1];
        let mut dummy2 = [F::zero(); 1];
        let vp = if right {
            vr.a.as_mut_ptr()
        } else {
            dummy2.as_mut_ptr()
        };
        let mut info = 0;
        let mut q = F::zero();
        // SAFETY: a n×n, wr/wi n, vr n×n when right (ld max(1, n)), vl unused
        // (ld 1). Workspace query first.
        unsafe {
            (F::GEEV)(
                &jl,
                &jr,
                &ni,
                a.a.as_mut_ptr(),
                &ld,
                wr.as_mut_ptr(),
                wi.as_mut_ptr(),
                dummy.as_mut_ptr(),
                &1,
                vp,
                &ldvr,
                &mut q,
                &-1,
                &mut info,
                1,
                1,
            )
        };
        check(info, |_| LinalgError::NoConvergence)?;
        let lw = lwork(q);
        let mut work = vec![F::zero(); lw];
        let lw = to_i(lw)?;
        unsafe {
            (F::GEEV)(
                &jl,
                &jr,
                &ni,
                a.a.as_mut_ptr(),
                &ld,
                wr.as_mut_ptr(),
                wi.as_mut_ptr(),
                dummy.as_mut_ptr(),
                &1,
                vp,
                &ldvr,
                work.as_mut_ptr(),
                &lw,
                &mut info,
                1,
                1,
            )
        };
        check(info, |_| LinalgError::NoConvergence)?;
    }
    let c = |v: F| T::of_f64(v.to64());
    let w: Vec<T> = (0..n).flat_map(|j| [c(wr[j]), c(wi[j])]).collect();
    let mut out = vec![Output::Complex {
        shape: vec![n],
        data: w,
    }];
    if right {
        // A complex pair j, j+1 (wi[j] > 0) stores re in column j, im in j+1.
        let mut v = vec![T::zero(); 2 * n * n];
        let mut j = 0;
        while j < n {
            if wi[j] != F::zero() && j + 1 < n {
                for i in 0..n {
                    let (re, im) = (vr.at(i, j), vr.at(i, j + 1));
                    v[2 * (i * n + j)] = c(re);
                    v[2 * (i * n + j) + 1] = c(im);
                    v[2 * (i * n + j + 1)] = c(re);
                    v[2 * (i * n + j + 1) + 1] = c(-im);
                }
                j += 2;
            } else {
                for i in 0..n {
                    v[2 * (i * n + j)] = c(vr.at(i, j));
                }
                j += 1;
            }
        }
        out.push(Output::Complex {
            shape: vec![n, n],
            data: v,
        });
    }
    Ok(out)
}

fn eigh<T: Real, F: Lapack>(
    x: &MatRef<'_, T>,
    lower: bool,
    vectors: bool,
    subset: Option<(usize, usize)>,
) -> Result<Vec<Output<T>>> {
    let mut a = Cm::<F>::of(x);
    let n = a.n;
    if let Some((lo, hi)) = subset {
        if lo > hi || hi >= n {
            return invalid(format!("eigh: subset ({lo}, {hi}) outside 0..{n}"));
        }
    }
    let cnt = subset.map_or(n, |(lo, hi)| hi - lo + 1);
    let mut w = vec![F::zero(); n];
    let mut z = Cm::<F>::zeros(if vectors { n } else { 0 }, if vectors { cnt } else { 0 });
    let mut found: I = 0;
    if n > 0 {
        let (ni, ld) = (to_i(n)?, a.ld());
        let (il, iu) = subset.map_or((1, n as I), |(lo, hi)| (lo as I + 1, hi as I + 1));
        let (jz, rg, up) = (
            ch(if vectors { b'V' } else { b'N' }),
            ch(if subset.is_some() { b'I' } else { b'A' }),
            ch(if lower { b'L' } else { b'U' }),
        );
        let (vl, vu, abstol) = (F::zero(), F::zero(), F::zero());
        let mut dummy = [F::zero(); 1];
        let zp = if vectors {
            z.a.as_mut_ptr()
        } else {
            dummy.as_mut_ptr()
        };
        let ldz = if vectors { ld } else { 1 };
        let mut isuppz = vec![0 as I; 2 * n];
        let mut info = 0;
        let (mut q, mut qi) = (F::zero(), 0 as I);
        // SAFETY: a n×n, w n, z n×cnt when vectors (ld max(1, n)), isuppz 2n;
        // workspace query first (work and iwork sizes).
        unsafe {
            (F::SYEVR)(
                &jz,
                &rg,
                &up,
                &ni,
                a.a.as_mut_ptr(),
                &ld,
                &vl,
                &vu,
                &il,
                &iu,
                &abstol,
                &mut found,
                w.as_mut_ptr(),
                zp,
                &ldz,
                isuppz.as_mut_ptr(),
                &mut q,
                &-1,
                &mut qi,
                &-1,
                &mut info,
                1,
                1,
                1,
            )
        };
        check(info, |_| LinalgError::NoConvergence)?;
        let lw = lwork(q);
        let mut work = vec![F::zero(); lw];
        let mut iwork = vec![0 as I; qi.max(1) as usize];
        let (lw, liw) = (to_i(lw)?, to_i(iwork.len())?);
        unsafe {
            (F::SYEVR)(
                &jz,
                &rg,
                &up,
                &ni,
                a.a.as_mut_ptr(),
                &ld,
                &vl,
                &vu,
                &il,
                &iu,
                &abstol,
                &mut found,
                w.as_mut_ptr(),
                zp,
                &ldz,
                isuppz.as_mut_ptr(),
                work.as_mut_ptr(),
                &lw,
                iwork.as_mut_ptr(),
                &liw,
                &mut info,
                1,
                1,
                1,
            )
        };
        check(info, |_| LinalgError::NoConvergence)?;
        if found as usize != cnt {
            return Err(LinalgError::NoConvergence);
        }
    }
    let mut out = vec![vec_out::<T, F>(&w[..cnt])];
    if vectors {
        out.push(z.out());
    }
    Ok(out)
}

/// lange for 'F', '1', 'I'; the row-major data read as column-major is aᵀ,
/// so '1' and 'I' swap.
fn lange<T: Real, F: Lapack>(x: &MatRef<'_, T>, norm: u8, transpose: bool) -> Result<f64> {
    if x.data.is_empty() {
        return Ok(0.0);
    }
    let data: Vec<F> = x.data.iter().map(|v| F::of_f64(v.to64())).collect();
    // Column-major aᵀ: cols × rows.
    let (m, n) = (to_i(x.cols)?, to_i(x.rows)?);
    let norm = match (norm, transpose) {
        (b'F', _) => b'F',
        (b'1', false) | (b'I', true) => b'I',
        _ => b'1',
    };
    let mut work = vec![F::zero(); x.cols.max(1)];
    let c = ch(norm);
    // SAFETY: data is cols×rows column-major, ld = cols >= 1; work holds cols.
    Ok(unsafe { (F::LANGE)(&c, &m, &n, data.as_ptr(), &m, work.as_mut_ptr(), 1) }.to64())
}

fn matrix_norm<T: Real, F: Lapack>(
    x: &MatRef<'_, T>,
    ord: MatrixOrd,
    transpose: bool,
) -> Result<f64> {
    if x.data.is_empty() {
        return Ok(0.0);
    }
    match ord {
        MatrixOrd::Fro => lange::<T, F>(x, b'F', transpose),
        MatrixOrd::One => lange::<T, F>(x, b'1', transpose),
        MatrixOrd::Inf => lange::<T, F>(x, b'I', transpose),
        MatrixOrd::NegOne | MatrixOrd::NegInf => {
            // min column sum (-1) or min row sum (-inf) of |a| (of aᵀ when transpose).
            let by_col = (ord == MatrixOrd::NegOne) != transpose;
            let (r, c) = (x.rows, x.cols);
            let sums: Vec<f64> = if by_col {
                (0..c)
                    .map(|j| (0..r).map(|i| x.data[i * c + j].to64().abs()).sum())
                    .collect()
            } else {
                (0..r)
                    .map(|i| {
                        x.data[i * c..(i + 1) * c]
                            .iter()
                            .map(|v| v.to64().abs())
                            .sum()
                    })
                    .collect()
            };
            let v = sums.into_iter().fold(f64::INFINITY, f64::min);
            Ok(T::of_f64(v).to64())
        }
        MatrixOrd::Nuc | MatrixOrd::Two | MatrixOrd::NegTwo => {
            let (_, s, _) = gesdd(&mut Cm::<F>::of(x), None)?;
            Ok(match ord {
                MatrixOrd::Nuc => s.iter().fold(F::zero(), |a, v| a + *v).to64(),
                MatrixOrd::Two => s[0].to64(),
                _ => s[s.len() - 1].to64(),
            })
        }
    }
}

/// numpy.linalg.norm for vectors, by columns, rows or all elements.
fn vector_norm<T: Real>(x: &MatRef<'_, T>, ord: f64, axis: Option<usize>) -> Result<Output<T>> {
    let norm = |it: &mut dyn Iterator<Item = f64>| -> f64 {
        if ord == f64::INFINITY {
            it.fold(0.0, |a, v| a.max(v.abs()))
        } else if ord == f64::NEG_INFINITY {
            it.fold(f64::INFINITY, |a, v| a.min(v.abs()))
        } else if ord == 0.0 {
            it.filter(|v| *v != 0.0).count() as f64
        } else if ord == 1.0 {
            it.map(f64::abs).sum()
        } else if ord == 2.0 {
            // LAPACK's lassq scaling: no overflow for large values.
            let (mut scale, mut ssq) = (0.0f64, 1.0f64);
            for v in it {
                let a = v.abs();
                if a != 0.0 {
                    if scale < a {
                        ssq = 1.0 + ssq * (scale / a) * (scale / a);
                        scale = a;
                    } else {
                        ssq += (a / scale) * (a / scale);
                    }
                }
            }
            scale * ssq.sqrt()
        } else {
            it.map(|v| v.abs().powf(ord)).sum::<f64>().powf(1.0 / ord)
        }
    };
    let (r, c) = (x.rows, x.cols);
    let d = x.data;
    let (shape, data): (Vec<usize>, Vec<f64>) = match axis {
        None => (vec![], vec![norm(&mut d.iter().map(|v| v.to64()))]),
        Some(0) => (
            vec![c],
            (0..c)
                .map(|j| norm(&mut (0..r).map(|i| d[i * c + j].to64())))
                .collect(),
        ),
        Some(1) => (
            vec![r],
            (0..r)
                .map(|i| norm(&mut d[i * c..(i + 1) * c].iter().map(|v| v.to64())))
                .collect(),
        ),
        Some(a) => return invalid(format!("vector norm: axis {a} of a 2-D array")),
    };
    Ok(Output::Real {
        shape,
        data: data.into_iter().map(T::of_f64).collect(),
    })
}

/// numpy.linalg.cond: s_max / s_min for None and 2 (s_min / s_max for -2),
/// else ‖a‖ ‖a⁻¹‖ with inf for a singular a.
fn cond<T: Real, F: Lapack>(x: &MatRef<'_, T>, p: Option<MatrixOrd>) -> Result<f64> {
    match p {
        None | Some(MatrixOrd::Two) | Some(MatrixOrd::NegTwo) => {
            let (_, s, _) = gesdd(&mut Cm::<F>::of(x), None)?;
            let (hi, lo) = (s[0], s[s.len() - 1]);
            let r = if p == Some(MatrixOrd::NegTwo) {
                lo / hi
            } else {
                hi / lo
            };
            Ok(if r.is_nan() { f64::INFINITY } else { r.to64() })
        }
        Some(ord) => {
            let mut a = Cm::<F>::of(x);
            let (piv, info) = getrf_raw(&mut a)?;
            if info > 0 {
                return Ok(f64::INFINITY);
            }
            check(info, |_| unreachable!())?;
            getri(&mut a, &piv)?;
            let inv = a.out::<T>();
            let Output::Real { data, .. } = &inv else {
                unreachable!()
            };
            let ai = MatRef::new(data, x.rows, x.cols);
            let r = matrix_norm::<T, F>(x, ord, false)? * matrix_norm::<T, F>(&ai, ord, false)?;
            Ok(if r.is_nan() { f64::INFINITY } else { r })
        }
    }
}
