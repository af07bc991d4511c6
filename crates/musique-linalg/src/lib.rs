//! scipy.linalg's dense solvers and decompositions on row-major matrices.
//!
//! Conventions, stated once:
//! - Every matrix is row-major and contiguous ([`MatRef`]); every result is a
//!   row-major [`Output`], shaped as SciPy shapes it.
//! - Work runs with the thread count of an explicit [`Par`], passed down to
//!   faer as `faer::Par` (never faer's global setting), inside Musique's
//!   cached rayon pool of that size: one thread runs on the calling thread.
//! - Numerical failure (singular, not positive definite, no convergence) is a
//!   [`LinalgError`]; shapes are checked by the caller (the binding validates
//!   once at the edge) and rechecked here only as [`LinalgError::Invalid`].
//!
//! [`run`] is the one entry point: an [`Op`] (a plain request, already
//! normalised) and its input matrices in, the outputs out. The default backend
//! is faer; with the `openblas-system` feature, [`openblas::run`] serves the
//! same ops over the system OpenBLAS/LAPACK (ops LAPACK lacks fall back to
//! faer), and [`run_with`] picks a [`Backend`].

use std::fmt;

pub use footprint::{Footprint, OutputKind};
pub use musique_core::Par;

mod faer_backend;
mod footprint;
#[cfg(feature = "openblas-system")]
pub mod openblas;

/// The element types Musique's linalg takes: `f32` and `f64`.
pub trait Real:
    faer::traits::RealField
    + num_traits::Float
    + num_traits::FromPrimitive
    + Copy
    + Send
    + Sync
    + fmt::Debug
    + 'static
{
    /// Machine epsilon of the type (`f64::EPSILON`, `f32::EPSILON`).
    const EPS: Self;
    fn of_f64(v: f64) -> Self;
    fn to_f64(self) -> f64;
}

impl Real for f64 {
    const EPS: f64 = f64::EPSILON;
    fn of_f64(v: f64) -> f64 {
        v
    }
    fn to_f64(self) -> f64 {
        self
    }
}

impl Real for f32 {
    const EPS: f32 = f32::EPSILON;
    fn of_f64(v: f64) -> f32 {
        v as f32
    }
    fn to_f64(self) -> f64 {
        self as f64
    }
}

/// A borrowed row-major matrix: element (i, j) is `data[i * cols + j]`.
#[derive(Debug, Clone, Copy)]
pub struct MatRef<'a, T> {
    pub rows: usize,
    pub cols: usize,
    pub data: &'a [T],
}

impl<'a, T> MatRef<'a, T> {
    /// Panics when `data.len() != rows * cols` (a caller bug, never user input).
    pub fn new(data: &'a [T], rows: usize, cols: usize) -> Self {
        assert_eq!(
            data.len(),
            rows * cols,
            "MatRef: data length and shape disagree"
        );
        MatRef { rows, cols, data }
    }
}

/// One result array, row-major, with its shape (0-D scalars have shape `[]`).
#[derive(Debug, Clone, PartialEq)]
pub enum Output<T> {
    /// Real values.
    Real { shape: Vec<usize>, data: Vec<T> },
    /// Complex values, interleaved re/im: `data.len() == 2 * product(shape)`.
    Complex { shape: Vec<usize>, data: Vec<T> },
    /// Integers (pivot indices, rank), as SciPy returns int32 pivots.
    Int { shape: Vec<usize>, data: Vec<i32> },
}

/// `assume_a` of scipy.linalg.solve.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Assume {
    /// General: LU with partial pivoting.
    Gen,
    /// Symmetric (indefinite): only the `lower` (or upper) triangle is read;
    /// Bunch–Kaufman LDLᵀ.
    Sym,
    /// Symmetric positive definite: Cholesky; only one triangle is read.
    Pos,
}

/// `mode` of scipy.linalg.qr.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QrMode {
    /// Q is m×m, R is m×n.
    Full,
    /// Q is m×k, R is k×n, k = min(m, n).
    Economic,
    /// Only R (m×n).
    R,
}

/// Matrix norms of scipy.linalg.norm / numpy.linalg.norm (`ord` for 2-D).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum MatrixOrd {
    /// 'fro' (the default).
    Fro,
    /// 'nuc': sum of singular values.
    Nuc,
    /// 1: max column sum of |a|.
    One,
    /// -1: min column sum.
    NegOne,
    /// inf: max row sum.
    Inf,
    /// -inf: min row sum.
    NegInf,
    /// 2: largest singular value.
    Two,
    /// -2: smallest singular value.
    NegTwo,
}

/// One operation, normalised by the caller. Inputs are listed per variant in
/// the order they are passed to [`run`]; outputs in the order returned.
#[derive(Debug, Clone, PartialEq)]
pub enum Op {
    /// `solve(a, b)`: a n×n, b n×k → x n×k. `Sym`/`Pos` read the `lower`
    /// triangle when `lower`, else the upper one. `transposed` solves aᵀx = b.
    /// Errors: `Singular`, also with `Pos` when the Cholesky factorization
    /// fails (a singular or indefinite a), as SciPy 1.17's solve reports it.
    Solve {
        assume: Assume,
        lower: bool,
        transposed: bool,
    },
    /// `solve_triangular(a, b)`: a n×n triangular (`lower`), b n×k → x n×k.
    /// `trans`: 0 solves a x = b, 1 aᵀ x = b (2 is the same for real data).
    /// `unit_diagonal`: the diagonal is taken as ones and not read.
    /// Errors: `Singular { index }` when a diagonal element is zero.
    SolveTriangular {
        lower: bool,
        trans: u8,
        unit_diagonal: bool,
    },
    /// `inv(a)` → n×n. Errors: `Singular`.
    Inv,
    /// `det(a)` → scalar (shape []). A singular matrix gives 0, not an error.
    /// The 0×0 determinant is 1.
    Det,
    /// `slogdet(a)` → sign (shape []), logabsdet (shape []). Singular: sign 0,
    /// logabsdet -inf.
    Slogdet,
    /// `lstsq(a, b)`: a m×n, b m×k → x n×k, residues (k,) or (0,), rank
    /// (Int, shape []), s (min(m, n),), as LAPACK's gelsd through an SVD:
    /// singular values below `cond * s_max` are treated as zero, `cond` None
    /// meaning eps. residues are the squared 2-norms of the columns of
    /// b − a x when m > n and rank == n, else empty.
    Lstsq { cond: Option<f64> },
    /// `pinv(a)` → n×m, through the SVD: singular values at most
    /// `atol + rtol * s_max` are dropped; `rtol` None means
    /// `max(m, n) * eps`, `atol` None means 0.
    Pinv {
        atol: Option<f64>,
        rtol: Option<f64>,
    },
    /// Matrix norm of a (or of aᵀ when `transpose`, for axis = (1, 0)) →
    /// scalar. Empty matrices give 0.
    MatrixNorm { ord: MatrixOrd, transpose: bool },
    /// Vector norms: `ord` any float (inf, -inf, 0 = count of non-zeros, p),
    /// `axis` None over every element (shape []), Some(0) one per column
    /// (shape [cols]), Some(1) one per row (shape [rows]).
    VectorNorm { ord: f64, axis: Option<usize> },
    /// `a @ b`: a m×k, b k×n → m×n.
    Matmul,
    /// `lu(a)`: a m×n, k = min(m, n) → p m×m, l m×k, u k×n with a = p l u;
    /// with `p_indices`, p is (Int, m,) with a = l[p] u (row i of a is row
    /// p[i] of l u); with `permute_l`: (p l) m×k, u k×n. An empty a (m or n
    /// zero) gives p 0×0 (or (0,)), as SciPy.
    Lu { permute_l: bool, p_indices: bool },
    /// `lu_factor(a)`: a m×n, k = min(m, n) → lu m×n (l below the unit
    /// diagonal, u on and above), piv (Int, k,) LAPACK-style 0-based row
    /// interchanges: row i was swapped with row piv[i]. A singular factor is
    /// returned without error (SciPy warns); `lu_solve` then reports
    /// `Singular`.
    LuFactor,
    /// `lu_solve((lu, piv), b)`: inputs lu n×n, piv as n values of T (the
    /// Int output of `LuFactor` converted back), b n×k → x n×k. `trans` as
    /// in `SolveTriangular`.
    LuSolve { trans: u8 },
    /// `qr(a, mode)` → q, r (or only r for `QrMode::R`), signs as LAPACK's
    /// geqrf/orgqr give them (Householder, r's diagonal may be negative).
    Qr { mode: QrMode },
    /// `qr(a, mode, pivoting=True)` → q, r (or only r) and p (Int, n,):
    /// `a[:, p] = q r`, |r's diagonal| non-increasing (LAPACK geqp3's
    /// column choice); q and r are [`Op::Qr`]'s of `a[:, p]`.
    QrPivoting { mode: QrMode },
    /// `cholesky(a, lower)` → c n×n with a = c cᵀ (lower) or cᵀ c (upper);
    /// the other triangle is zero. Reads only the requested triangle.
    /// Errors: `NotPositiveDefinite { index }`.
    Cholesky { lower: bool },
    /// `cho_solve((c, lower), b)`: inputs c n×n, b n×k → x n×k.
    ChoSolve { lower: bool },
    /// `svd(a)`: a m×n, k = min(m, n) → u, s (k,), vh; u m×m and vh n×n
    /// when `full_matrices`, else m×k and k×n; only s when not `compute_uv`.
    /// s is descending. Errors: `NoConvergence`.
    Svd {
        full_matrices: bool,
        compute_uv: bool,
    },
    /// `eig(a)`: a n×n → w (Complex, n,), then vr (Complex, n×n, columns the
    /// right eigenvectors, each of unit 2-norm) when `right`.
    /// Errors: `NoConvergence`.
    Eig { right: bool },
    /// `eigh(a)`: a n×n symmetric, read from the `lower` (else upper)
    /// triangle → w ascending, then v (columns, orthonormal) when `vectors`.
    /// `subset` = Some((lo, hi)) keeps eigenvalues lo..=hi (0-based,
    /// ascending order), v n×(hi−lo+1). Errors: `NoConvergence`.
    Eigh {
        lower: bool,
        vectors: bool,
        subset: Option<(usize, usize)>,
    },
    /// `expm(a)`: a n×n → e^a, by scaling and squaring with Padé
    /// approximants (Al-Mohy & Higham 2009, as SciPy).
    Expm,
    /// `cond(a, p)` as numpy.linalg.cond → scalar: `None` is the 2-norm
    /// condition number s_max/s_min (inf for singular), others
    /// ‖a‖·‖a⁻¹‖ in that matrix norm (inf when a is singular).
    Cond { p: Option<MatrixOrd> },
    /// `matrix_rank(a, tol)` as numpy.linalg.matrix_rank → Int, shape []:
    /// number of singular values > tol; `tol` None means
    /// `s_max * max(m, n) * eps`.
    MatrixRank { tol: Option<f64> },
}

/// Numerical failure, mapped to JS `LinAlgError` with a code.
#[derive(Debug, Clone, PartialEq)]
pub enum LinalgError {
    /// Exactly singular: pivot `index` (0-based) of the factorization is zero.
    Singular { index: usize },
    /// The leading minor of order `index + 1` is not positive definite.
    NotPositiveDefinite { index: usize },
    /// An iterative decomposition (SVD, eigenvalues) did not converge.
    NoConvergence,
    /// Memory of `bytes` (a result or a scratch buffer) could not be allocated.
    Alloc { bytes: usize },
    /// A caller bug: wrong number of inputs or shapes that disagree.
    Invalid(String),
}

impl fmt::Display for LinalgError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LinalgError::Singular { .. } => f.write_str("Matrix is singular."),
            LinalgError::NotPositiveDefinite { index } => write!(
                f,
                "{}-th leading minor of the array is not positive definite",
                index + 1
            ),
            LinalgError::NoConvergence => f.write_str("the decomposition did not converge"),
            LinalgError::Alloc { bytes } => write!(f, "cannot allocate {bytes} bytes"),
            LinalgError::Invalid(m) => f.write_str(m),
        }
    }
}

impl std::error::Error for LinalgError {}

pub type Result<T> = std::result::Result<T, LinalgError>;

/// The implementations behind [`run_with`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Faer,
    #[cfg(feature = "openblas-system")]
    OpenBlas,
}

impl Backend {
    /// The backend this build uses by default: OpenBLAS when the
    /// `openblas-system` feature is on, faer otherwise.
    pub const DEFAULT: Backend = {
        #[cfg(feature = "openblas-system")]
        {
            Backend::OpenBlas
        }
        #[cfg(not(feature = "openblas-system"))]
        {
            Backend::Faer
        }
    };

    /// threadpoolctl's `internal_api`: "faer" or "openblas".
    pub fn internal_api(self) -> &'static str {
        match self {
            Backend::Faer => "faer",
            #[cfg(feature = "openblas-system")]
            Backend::OpenBlas => "openblas",
        }
    }

    /// The backing library's version.
    pub fn version(self) -> String {
        match self {
            Backend::Faer => FAER_VERSION.to_string(),
            #[cfg(feature = "openblas-system")]
            Backend::OpenBlas => openblas::version(),
        }
    }
}

/// The faer version this crate is built against (kept in step with Cargo.toml).
pub const FAER_VERSION: &str = "0.24.4";

/// Runs `op` on `inputs` with faer, on `par`'s threads.
pub fn run<T: Real>(op: &Op, inputs: &[MatRef<'_, T>], par: Par) -> Result<Vec<Output<T>>> {
    faer_backend::run(op, inputs, par)
}

/// Runs `op` with the chosen backend.
pub fn run_with<T: Real>(
    backend: Backend,
    op: &Op,
    inputs: &[MatRef<'_, T>],
    par: Par,
) -> Result<Vec<Output<T>>> {
    match backend {
        Backend::Faer => faer_backend::run(op, inputs, par),
        #[cfg(feature = "openblas-system")]
        Backend::OpenBlas => openblas::run(op, inputs, par),
    }
}
