//! Integration tests of the faer backend: structural identities (P·L·U = A,
//! QᵀQ = I, U·diag(s)·Vᵀ = A, A·v = λ·v, …) at sizes around faer's block
//! boundaries, closed forms for expm, error cases, f32 and f64, and
//! Par::new(2) against Par::SEQ.
//!
//! Tolerances: residuals are compared relative to ‖A‖ (or 1) with
//! `tol::<T>(n)` = 1e-12·(n+1) in f64 and 2e-4·(n+1) in f32, i.e. a small
//! multiple of n·eps for a backward-stable algorithm on well-conditioned
//! random data (the generated matrices are diagonally shifted where a
//! solve needs good conditioning).

#![allow(clippy::needless_range_loop)]

use musique_linalg::{
    run, run_with, Assume, Backend, LinalgError, MatRef, MatrixOrd, Op, Output, Par, QrMode, Real,
};
use musique_testing::{assert_allclose, Rng, SEED};

const SIZES: [usize; 12] = [0, 1, 2, 3, 17, 63, 64, 65, 127, 128, 129, 200];
const SMALL: [usize; 8] = [0, 1, 2, 3, 17, 64, 65, 129];

// ---------------------------------------------------------------------------
// Small dense helpers in f64, row-major.

#[derive(Clone, Debug)]
struct M {
    r: usize,
    c: usize,
    d: Vec<f64>,
}

impl M {
    fn new(r: usize, c: usize, d: Vec<f64>) -> M {
        assert_eq!(d.len(), r * c);
        M { r, c, d }
    }
    fn zeros(r: usize, c: usize) -> M {
        M::new(r, c, vec![0.0; r * c])
    }
    fn eye(n: usize) -> M {
        let mut m = M::zeros(n, n);
        for i in 0..n {
            m.d[i * n + i] = 1.0;
        }
        m
    }
    fn rand(rng: &mut Rng, r: usize, c: usize) -> M {
        M::new(r, c, rng.reals(r * c))
    }
    fn at(&self, i: usize, j: usize) -> f64 {
        self.d[i * self.c + j]
    }
    fn t(&self) -> M {
        let mut o = M::zeros(self.c, self.r);
        for i in 0..self.r {
            for j in 0..self.c {
                o.d[j * self.r + i] = self.at(i, j);
            }
        }
        o
    }
    fn mul(&self, b: &M) -> M {
        assert_eq!(self.c, b.r);
        let mut o = M::zeros(self.r, b.c);
        for i in 0..self.r {
            for k in 0..self.c {
                let a = self.at(i, k);
                if a != 0.0 {
                    for j in 0..b.c {
                        o.d[i * b.c + j] += a * b.at(k, j);
                    }
                }
            }
        }
        o
    }
    fn sub(&self, b: &M) -> M {
        M::new(
            self.r,
            self.c,
            self.d.iter().zip(&b.d).map(|(x, y)| x - y).collect(),
        )
    }
    fn max_abs(&self) -> f64 {
        self.d.iter().fold(0.0, |m, x| m.max(x.abs()))
    }
    fn shifted(mut self, s: f64) -> M {
        for i in 0..self.r.min(self.c) {
            self.d[i * self.c + i] += s;
        }
        self
    }
    fn sym(&self) -> M {
        let mut o = self.clone();
        for i in 0..self.r {
            for j in 0..self.c {
                o.d[i * self.c + j] = 0.5 * (self.at(i, j) + self.at(j, i));
            }
        }
        o
    }
    fn cols(&self, lo: usize, hi: usize) -> M {
        let mut o = M::zeros(self.r, hi - lo);
        for i in 0..self.r {
            for j in lo..hi {
                o.d[i * (hi - lo) + j - lo] = self.at(i, j);
            }
        }
        o
    }
}

fn tol<T: Real>(n: usize) -> f64 {
    if T::EPS.to_f64() < 1e-10 {
        1e-12 * (n as f64 + 1.0)
    } else {
        2e-4 * (n as f64 + 1.0)
    }
}

fn is_f32<T: Real>() -> bool {
    T::EPS.to_f64() > 1e-10
}

/// Asserts ‖x − y‖_max ≤ tol · max(1, scale).
fn close(x: &M, y: &M, tol: f64, scale: f64, what: &str) {
    assert_eq!((x.r, x.c), (y.r, y.c), "{what}: shapes");
    let e = x.sub(y).max_abs();
    assert!(
        e <= tol * scale.max(1.0),
        "{what}: error {e} > {tol} * {scale}"
    );
}

fn go<T: Real>(op: &Op, ins: &[&M], par: Par) -> Result<Vec<Output<T>>, LinalgError> {
    let data: Vec<Vec<T>> = ins
        .iter()
        .map(|m| m.d.iter().map(|&x| T::of_f64(x)).collect())
        .collect();
    let refs: Vec<MatRef<'_, T>> = ins
        .iter()
        .zip(&data)
        .map(|(m, d)| MatRef::new(d, m.r, m.c))
        .collect();
    run(op, &refs, par)
}

fn ok<T: Real>(op: &Op, ins: &[&M]) -> Vec<Output<T>> {
    go::<T>(op, ins, Par::SEQ).unwrap_or_else(|e| panic!("{op:?}: {e:?}"))
}

/// svdvals: the singular values of `a` (descending) as a column.
fn svdvals<T: Real>(a: &M) -> M {
    mat(&ok::<T>(
        &Op::Svd {
            full_matrices: false,
            compute_uv: false,
        },
        &[a],
    )[0])
}

/// A real output as a matrix (vectors as a column, scalars 1×1).
fn mat<T: Real>(o: &Output<T>) -> M {
    match o {
        Output::Real { shape, data } => {
            let d: Vec<f64> = data.iter().map(|x| Real::to_f64(*x)).collect();
            match shape.len() {
                0 => M::new(1, 1, d),
                1 => M::new(shape[0], 1, d),
                _ => M::new(shape[0], shape[1], d),
            }
        }
        other => panic!("expected a real output, got {other:?}"),
    }
}

fn shape<T>(o: &Output<T>) -> Vec<usize> {
    match o {
        Output::Real { shape, .. } | Output::Complex { shape, .. } | Output::Int { shape, .. } => {
            shape.clone()
        }
    }
}

fn ints<T>(o: &Output<T>) -> Vec<i32> {
    match o {
        Output::Int { data, .. } => data.clone(),
        _ => panic!("expected an int output"),
    }
}

fn cplx<T: Real>(o: &Output<T>) -> Vec<(f64, f64)> {
    match o {
        Output::Complex { data, .. } => data
            .chunks(2)
            .map(|c| (c[0].to_f64(), c[1].to_f64()))
            .collect(),
        _ => panic!("expected a complex output"),
    }
}

fn scal<T: Real>(o: &Output<T>) -> f64 {
    assert_eq!(shape(o), Vec::<usize>::new());
    mat(o).d[0]
}

fn rng(salt: u64) -> Rng {
    Rng::new(SEED ^ salt)
}

macro_rules! both {
    ($name:ident, $body:ident) => {
        mod $name {
            #[test]
            fn f64() {
                super::$body::<f64>();
            }
            #[test]
            fn f32() {
                super::$body::<f32>();
            }
        }
    };
}

// ---------------------------------------------------------------------------
// LU family.

fn shapes(n: usize) -> Vec<(usize, usize)> {
    let mut v = vec![(n, n)];
    if n > 0 && n <= 129 {
        v.push((n, n + 3));
        v.push((n + 3, n));
    }
    v.push((0, n));
    v
}

fn lu_reconstructs<T: Real>() {
    let mut g = rng(1);
    for n in SIZES {
        for (m, k) in shapes(n) {
            let a = M::rand(&mut g, m, k);
            let o = ok::<T>(
                &Op::Lu {
                    permute_l: false,
                    p_indices: false,
                },
                &[&a],
            );
            let (p, l, u) = (mat(&o[0]), mat(&o[1]), mat(&o[2]));
            let kk = m.min(k);
            assert_eq!((p.r, p.c, l.r, l.c, u.r, u.c), (m, m, m, kk, kk, k));
            close(&p.mul(&l).mul(&u), &a, tol::<T>(n), 1.0, "P·L·U");
            for i in 0..m {
                for j in 0..kk {
                    if i == j {
                        assert_eq!(l.at(i, j), 1.0);
                    }
                    if j > i {
                        assert_eq!(l.at(i, j), 0.0);
                    }
                    // partial pivoting: |l| ≤ 1
                    assert!(l.at(i, j).abs() <= 1.0 + 1e-6);
                }
            }
            for i in 0..kk {
                for j in 0..i {
                    assert_eq!(u.at(i, j), 0.0);
                }
            }
            close(&p.t().mul(&p), &M::eye(m), 0.0, 1.0, "P orthogonal");
            let o = ok::<T>(
                &Op::Lu {
                    permute_l: true,
                    p_indices: false,
                },
                &[&a],
            );
            close(&mat(&o[0]).mul(&mat(&o[1])), &a, tol::<T>(n), 1.0, "(PL)·U");
            // p_indices: a = l[p]·u, p the permutation the matrix p holds.
            let o = ok::<T>(
                &Op::Lu {
                    permute_l: false,
                    p_indices: true,
                },
                &[&a],
            );
            let idx = ints(&o[0]);
            assert_eq!(idx.len(), if kk == 0 { 0 } else { m });
            for (r, &i) in idx.iter().enumerate() {
                assert_eq!(p.at(r, i as usize), 1.0, "p_indices[{r}] = {i}");
            }
            // lu_factor on the same matrix: same packed factors.
            let o2 = ok::<T>(&Op::LuFactor, &[&a]);
            let f = mat(&o2[0]);
            let piv = ints(&o2[1]);
            assert_eq!(piv.len(), kk);
            for (i, &pi) in piv.iter().enumerate() {
                assert!(
                    pi as usize >= i && (pi as usize) < m.max(1),
                    "piv[{i}] = {pi}"
                );
            }
            for i in 0..kk {
                for j in i..k {
                    assert_eq!(f.at(i, j), u.at(i, j));
                }
            }
        }
    }
}
both!(lu_reconstructs_all_sizes, lu_reconstructs);

/// Empty and rectangular shapes as SciPy 1.17 returns them: lu of an m×0 or
/// 0×n matrix gives p 0×0 (or (0,) with p_indices), l m×k, u k×n; lu_factor
/// of an m×n matrix gives lu m×n and min(m, n) pivots.
fn lu_shapes<T: Real>() {
    let dims = |o: &Output<T>| match o {
        Output::Real { shape, .. } | Output::Complex { shape, .. } | Output::Int { shape, .. } => {
            shape.clone()
        }
    };
    for (m, n) in [(3, 0), (0, 3), (0, 0), (1, 1), (3, 2), (2, 3)] {
        let a = M::new(m, n, (0..m * n).map(|i| (i * i % 7) as f64 + 1.0).collect());
        let k = m.min(n);
        let pm = if k == 0 { 0 } else { m };
        let o = ok::<T>(
            &Op::Lu {
                permute_l: false,
                p_indices: false,
            },
            &[&a],
        );
        let got: Vec<Vec<usize>> = o.iter().map(dims).collect();
        assert_eq!(
            got,
            vec![vec![pm, pm], vec![m, k], vec![k, n]],
            "lu {m}x{n}"
        );
        let o = ok::<T>(
            &Op::Lu {
                permute_l: false,
                p_indices: true,
            },
            &[&a],
        );
        let got: Vec<Vec<usize>> = o.iter().map(dims).collect();
        assert_eq!(
            got,
            vec![vec![pm], vec![m, k], vec![k, n]],
            "lu p_indices {m}x{n}"
        );
        let o = ok::<T>(
            &Op::Lu {
                permute_l: true,
                p_indices: false,
            },
            &[&a],
        );
        let got: Vec<Vec<usize>> = o.iter().map(dims).collect();
        assert_eq!(got, vec![vec![m, k], vec![k, n]], "lu permute_l {m}x{n}");
        let o = ok::<T>(&Op::LuFactor, &[&a]);
        let got: Vec<Vec<usize>> = o.iter().map(dims).collect();
        assert_eq!(got, vec![vec![m, n], vec![k]], "lu_factor {m}x{n}");
    }
    // SciPy's test_decomp_lu values: lu_factor of a 3×4 and a 4×3 matrix.
    let h = M::new(
        3,
        4,
        vec![1., 2., 3., 4., 5., 6., 7., 8., 9., 10., 12., 12.],
    );
    let o = ok::<T>(&Op::LuFactor, &[&h]);
    assert_eq!(ints(&o[1]), vec![2, 2, 2]);
    let want = M::new(
        3,
        4,
        vec![
            9.,
            10.,
            12.,
            12.,
            1. / 9.,
            8. / 9.,
            15. / 9.,
            24. / 9.,
            5. / 9.,
            0.5,
            -0.5,
            0.,
        ],
    );
    close(&mat(&o[0]), &want, tol::<T>(4), 12.0, "lu_factor 3x4");
    let v = M::new(
        4,
        3,
        vec![1., 2., 3., 4., 5., 6., 7., 8., 9., 10., 12., 12.],
    );
    let o = ok::<T>(&Op::LuFactor, &[&v]);
    assert_eq!(ints(&o[1]), vec![3, 3, 2]);
    let want = M::new(
        4,
        3,
        vec![10., 12., 12., 0.1, 0.8, 1.8, 0.7, -0.5, 1.5, 0.4, 0.25, 0.5],
    );
    close(&mat(&o[0]), &want, tol::<T>(4), 12.0, "lu_factor 4x3");
}
both!(lu_empty_and_rectangular_shapes, lu_shapes);

fn lu_factor_solve<T: Real>() {
    let mut g = rng(2);
    for n in SIZES {
        let a = M::rand(&mut g, n, n).shifted(2.0);
        let b = M::rand(&mut g, n, 3);
        let o = ok::<T>(&Op::LuFactor, &[&a]);
        let lu = mat(&o[0]);
        let piv = M::new(n, 1, ints(&o[1]).iter().map(|&p| p as f64).collect());
        for trans in [0u8, 1, 2] {
            let x = mat(&ok::<T>(&Op::LuSolve { trans }, &[&lu, &piv, &b])[0]);
            let ax = if trans == 0 { a.mul(&x) } else { a.t().mul(&x) };
            close(&ax, &b, tol::<T>(n), 1.0, "lu_solve residual");
        }
    }
}
both!(lu_factor_then_solve, lu_factor_solve);

fn solve_all<T: Real>() {
    let mut g = rng(3);
    for n in SIZES {
        let b = M::rand(&mut g, n, 2);
        // General, both orientations.
        let a = M::rand(&mut g, n, n).shifted(3.0);
        for transposed in [false, true] {
            let op = Op::Solve {
                assume: Assume::Gen,
                lower: false,
                transposed,
            };
            let x = mat(&ok::<T>(&op, &[&a, &b])[0]);
            let ax = if transposed { a.t().mul(&x) } else { a.mul(&x) };
            close(&ax, &b, tol::<T>(n), 1.0, "solve gen");
        }
        // Symmetric indefinite and positive definite, reading one triangle
        // (the other holds garbage).
        let s = M::rand(&mut g, n, n)
            .sym()
            .shifted(if n % 2 == 0 { 3.0 } else { -3.0 });
        let r = M::rand(&mut g, n, n);
        let p = r.t().mul(&r).shifted(n as f64 + 1.0);
        for (assume, full) in [(Assume::Sym, &s), (Assume::Pos, &p)] {
            for lower in [true, false] {
                let mut half = full.clone();
                for i in 0..n {
                    for j in 0..n {
                        if (lower && j > i) || (!lower && j < i) {
                            half.d[i * n + j] = 1e3 * (i + 2 * j + 1) as f64;
                        }
                    }
                }
                let op = Op::Solve {
                    assume,
                    lower,
                    transposed: false,
                };
                let x = mat(&ok::<T>(&op, &[&half, &b])[0]);
                close(&full.mul(&x), &b, tol::<T>(n) * 10.0, 1.0, "solve sym/pos");
            }
        }
    }
}
both!(solve_gen_sym_pos, solve_all);

fn inv_det<T: Real>() {
    let mut g = rng(4);
    for n in SIZES {
        let a = M::rand(&mut g, n, n).shifted(2.0);
        let x = mat(&ok::<T>(&Op::Inv, &[&a])[0]);
        close(&x.mul(&a), &M::eye(n), tol::<T>(n), 1.0, "inv·A");
        // det against the LU diagonal.
        let d = scal(&ok::<T>(&Op::Det, &[&a])[0]);
        let o = ok::<T>(&Op::LuFactor, &[&a]);
        let lu = mat(&o[0]);
        let piv = ints(&o[1]);
        let mut e = 1.0;
        for i in 0..n {
            e *= lu.at(i, i);
            if piv[i] as usize != i {
                e = -e;
            }
        }
        // f32's range ends near 3.4e38: compare only where e fits.
        if e.abs() < 1e30 && e.abs() > 1e-30 {
            assert!(
                (d - e).abs() <= tol::<T>(n) * e.abs().max(1.0),
                "det {d} vs {e}"
            );
        }
        let sl = ok::<T>(&Op::Slogdet, &[&a]);
        let (sign, logdet) = (scal(&sl[0]), scal(&sl[1]));
        assert_eq!(sign, e.signum());
        assert!(
            (logdet - e.abs().ln()).abs() <= tol::<T>(n) * 10.0,
            "slogdet"
        );
    }
    // Hand cases.
    let a = M::new(3, 3, vec![2., -1., 0., -1., 2., -1., 0., -1., 2.]);
    assert!((scal(&ok::<T>(&Op::Det, &[&a])[0]) - 4.0).abs() < 1e-5);
    let b = M::new(3, 3, vec![1., 2., 3., 4., 5., 6., 7., 8., 10.]);
    assert!((scal(&ok::<T>(&Op::Det, &[&b])[0]) + 3.0).abs() < 1e-4);
    assert_eq!(scal(&ok::<T>(&Op::Det, &[&M::zeros(0, 0)])[0]), 1.0);
    let s = M::new(3, 3, vec![1., 2., 3., 2., 4., 6., 1., 1., 1.]);
    assert_eq!(scal(&ok::<T>(&Op::Det, &[&s])[0]), 0.0);
    let z = M::new(2, 2, vec![0., 0., 0., 1.]);
    assert_eq!(scal(&ok::<T>(&Op::Det, &[&z])[0]), 0.0);
    let sl = ok::<T>(&Op::Slogdet, &[&z]);
    assert_eq!((scal(&sl[0]), scal(&sl[1])), (0.0, f64::NEG_INFINITY));
    let sl = ok::<T>(&Op::Slogdet, &[&M::zeros(0, 0)]);
    assert_eq!((scal(&sl[0]), scal(&sl[1])), (1.0, 0.0));
    // A singular LU is returned like SciPy's, finite.
    let o = ok::<T>(
        &Op::Lu {
            permute_l: false,
            p_indices: false,
        },
        &[&z],
    );
    assert!(mat(&o[2]).d.iter().all(|x| x.is_finite()));
    close(
        &mat(&o[0]).mul(&mat(&o[1])).mul(&mat(&o[2])),
        &z,
        0.0,
        1.0,
        "singular PLU",
    );
}
both!(inv_det_slogdet, inv_det);

fn triangular<T: Real>() {
    let mut g = rng(5);
    for n in SIZES {
        // Off-diagonal entries O(1/n): random triangular matrices are
        // otherwise exponentially ill-conditioned.
        let full = M::rand(&mut g, n, n);
        let full = M::new(n, n, full.d.iter().map(|x| x / (n as f64)).collect()).shifted(2.0);
        let b = M::rand(&mut g, n, 2);
        for lower in [true, false] {
            for unit in [false, true] {
                // The true triangular matrix, and what is passed (garbage in
                // the other triangle, and on the diagonal when unit).
                let mut t = full.clone();
                let mut passed = full.clone();
                for i in 0..n {
                    for j in 0..n {
                        let outside = if lower { j > i } else { j < i };
                        if outside {
                            t.d[i * n + j] = 0.0;
                            passed.d[i * n + j] = 1e3;
                        }
                        if i == j && unit {
                            t.d[i * n + j] = 1.0;
                            passed.d[i * n + j] = 1e-3;
                        }
                    }
                }
                for trans in [0u8, 1, 2] {
                    let op = Op::SolveTriangular {
                        lower,
                        trans,
                        unit_diagonal: unit,
                    };
                    let x = mat(&ok::<T>(&op, &[&passed, &b])[0]);
                    let tx = if trans == 0 { t.mul(&x) } else { t.t().mul(&x) };
                    close(&tx, &b, tol::<T>(n), 1.0, "solve_triangular");
                }
            }
        }
    }
}
both!(solve_triangular_variants, triangular);

// ---------------------------------------------------------------------------
// QR, Cholesky, SVD.

/// QR with column pivoting: p a permutation, a[:, p] = q r, |r's diagonal|
/// non-increasing, q and r those of the unpivoted QR of a[:, p]; SciPy's
/// test_simple_pivoting values.
fn qr_pivoting_all<T: Real>() {
    let mut g = rng(26);
    for n in [0, 1, 2, 3, 5, 17, 40] {
        for (m, k) in shapes(n) {
            let mut a = M::rand(&mut g, m, k);
            if k > 2 {
                // A zero column and a repeated one: rank-deficient input.
                for i in 0..m {
                    a.d[i * k + 1] = 0.0;
                    a.d[i * k + 2] = a.d[i * k];
                }
            }
            let kk = m.min(k);
            let t = tol::<T>(m.max(k));
            for mode in [QrMode::Full, QrMode::Economic, QrMode::R] {
                let o = ok::<T>(&Op::QrPivoting { mode }, &[&a]);
                let p = ints(o.last().unwrap());
                let mut sorted = p.clone();
                sorted.sort_unstable();
                assert_eq!(
                    sorted,
                    (0..k as i32).collect::<Vec<_>>(),
                    "p is a permutation"
                );
                let ap = M::new(
                    m,
                    k,
                    (0..m * k).map(|x| a.at(x / k, p[x % k] as usize)).collect(),
                );
                let plain = ok::<T>(&Op::Qr { mode }, &[&ap]);
                assert_eq!(o.len(), plain.len() + 1);
                for (x, y) in o.iter().zip(&plain) {
                    close(&mat(x), &mat(y), 0.0, 1.0, "the QR of a[:, p]");
                }
                let r = mat(&o[if mode == QrMode::R { 0 } else { 1 }]);
                for i in 1..kk {
                    let (d0, d1) = (r.at(i - 1, i - 1).abs(), r.at(i, i).abs());
                    assert!(d1 <= d0 * (1.0 + t) + t, "|r[{i}, {i}]| = {d1} > {d0}");
                }
                if mode == QrMode::Full {
                    close(&mat(&o[0]).mul(&r), &ap, t, 1.0, "q r = a[:, p]");
                }
            }
        }
    }
    let a = M::new(3, 3, vec![8., 2., 3., 2., 9., 3., 5., 3., 6.]);
    let o = ok::<T>(&Op::QrPivoting { mode: QrMode::R }, &[&a]);
    assert_eq!(ints(&o[1]), vec![1, 0, 2]);
    let want = M::new(
        3,
        3,
        vec![
            -9.695360, -5.053964, -5.260248, 0., 8.213248, 4.068414, 0., 0., 3.126947,
        ],
    );
    close(&mat(&o[0]), &want, 1e-6, 10.0, "SciPy's pivoted r");
}
both!(qr_with_column_pivoting, qr_pivoting_all);

fn qr_all<T: Real>() {
    let mut g = rng(6);
    for n in SIZES {
        for (m, k) in shapes(n) {
            let mut a = M::rand(&mut g, m, k);
            if k > 2 {
                // A zero column and a repeated one: rank-deficient input.
                for i in 0..m {
                    a.d[i * k + 1] = 0.0;
                    a.d[i * k + 2] = a.d[i * k];
                }
            }
            let kk = m.min(k);
            let t = tol::<T>(m.max(k));
            let o = ok::<T>(&Op::Qr { mode: QrMode::Full }, &[&a]);
            let (q, r) = (mat(&o[0]), mat(&o[1]));
            assert_eq!((q.r, q.c, r.r, r.c), (m, m, m, k));
            close(&q.t().mul(&q), &M::eye(m), t, 1.0, "QᵀQ");
            close(&q.mul(&r), &a, t, 1.0, "QR");
            for i in 0..m {
                for j in 0..i.min(k) {
                    assert_eq!(r.at(i, j), 0.0);
                }
            }
            let o = ok::<T>(
                &Op::Qr {
                    mode: QrMode::Economic,
                },
                &[&a],
            );
            let (qe, re) = (mat(&o[0]), mat(&o[1]));
            assert_eq!((qe.r, qe.c, re.r, re.c), (m, kk, kk, k));
            close(&qe.t().mul(&qe), &M::eye(kk), t, 1.0, "economic QᵀQ");
            close(&qe.mul(&re), &a, t, 1.0, "economic QR");
            let o = ok::<T>(&Op::Qr { mode: QrMode::R }, &[&a]);
            assert_eq!(o.len(), 1);
            close(&mat(&o[0]), &r, 0.0, 1.0, "mode r");
        }
    }
    // geqrf's signs: R₀₀ = −sign(a₀₀)·‖a₀‖.
    let a = M::new(2, 2, vec![3., 1., 4., 2.]);
    let r = mat(&ok::<T>(&Op::Qr { mode: QrMode::R }, &[&a])[0]);
    assert!((r.at(0, 0) + 5.0).abs() < 1e-5, "{r:?}");
}
both!(qr_modes, qr_all);

fn cholesky_all<T: Real>() {
    let mut g = rng(7);
    for n in SIZES {
        let r = M::rand(&mut g, n, n);
        let a = r.t().mul(&r).shifted(n as f64 + 1.0);
        let t = tol::<T>(n) * (n as f64 + 1.0);
        for lower in [true, false] {
            let c = mat(&ok::<T>(&Op::Cholesky { lower }, &[&a])[0]);
            let rec = if lower { c.mul(&c.t()) } else { c.t().mul(&c) };
            close(&rec, &a, t, 1.0, "cholesky");
            for i in 0..n {
                for j in 0..n {
                    if (lower && j > i) || (!lower && j < i) {
                        assert_eq!(c.at(i, j), 0.0);
                    }
                }
            }
            let b = M::rand(&mut g, n, 2);
            let x = mat(&ok::<T>(&Op::ChoSolve { lower }, &[&c, &b])[0]);
            close(&a.mul(&x), &b, t, 1.0, "cho_solve");
        }
    }
    // Not positive definite: the leading minor of order 3 fails (index 2).
    let a = M::new(
        4,
        4,
        vec![
            4., 1., 0., 0., 1., 3., 0., 0., 0., 0., -1., 0., 0., 0., 0., 2.,
        ],
    );
    for lower in [true, false] {
        assert_eq!(
            go::<T>(&Op::Cholesky { lower }, &[&a], Par::SEQ).unwrap_err(),
            LinalgError::NotPositiveDefinite { index: 2 }
        );
        let op = Op::Solve {
            assume: Assume::Pos,
            lower,
            transposed: false,
        };
        // solve reports a failed Cholesky as singular, as SciPy 1.17 does.
        assert_eq!(
            go::<T>(&op, &[&a, &M::zeros(4, 1)], Par::SEQ).unwrap_err(),
            LinalgError::Singular { index: 2 }
        );
    }
    // An exactly singular (positive semidefinite) a, and a zero one.
    let op = Op::Solve {
        assume: Assume::Pos,
        lower: false,
        transposed: false,
    };
    let psd = M::new(2, 2, vec![1., 2., 2., 4.]);
    assert_eq!(
        go::<T>(&op, &[&psd, &M::zeros(2, 1)], Par::SEQ).unwrap_err(),
        LinalgError::Singular { index: 1 }
    );
    assert_eq!(
        go::<T>(&op, &[&M::zeros(3, 3), &M::zeros(3, 1)], Par::SEQ).unwrap_err(),
        LinalgError::Singular { index: 0 }
    );
    let z = M::zeros(1, 1);
    assert_eq!(
        go::<T>(&Op::Cholesky { lower: true }, &[&z], Par::SEQ).unwrap_err(),
        LinalgError::NotPositiveDefinite { index: 0 }
    );
}
both!(cholesky_and_cho_solve, cholesky_all);

fn svd_all<T: Real>() {
    let mut g = rng(8);
    for n in SIZES {
        for (m, k) in shapes(n) {
            let a = M::rand(&mut g, m, k);
            let kk = m.min(k);
            let t = tol::<T>(m.max(k)) * 10.0;
            for full in [true, false] {
                let o = ok::<T>(
                    &Op::Svd {
                        full_matrices: full,
                        compute_uv: true,
                    },
                    &[&a],
                );
                let (u, s, vh) = (mat(&o[0]), mat(&o[1]), mat(&o[2]));
                let (uc, vr) = if full { (m, k) } else { (kk, kk) };
                assert_eq!((u.r, u.c, s.r, vh.r, vh.c), (m, uc, kk, vr, k));
                for i in 1..kk {
                    assert!(s.d[i] <= s.d[i - 1], "s descending");
                }
                assert!(s.d.iter().all(|&x| x >= 0.0));
                close(&u.t().mul(&u), &M::eye(uc), t, 1.0, "UᵀU");
                close(&vh.mul(&vh.t()), &M::eye(vr), t, 1.0, "VᵀV");
                let mut us = u.cols(0, kk);
                for i in 0..m {
                    for j in 0..kk {
                        us.d[i * kk + j] *= s.d[j];
                    }
                }
                let mut vk = M::zeros(kk, k);
                vk.d.copy_from_slice(&vh.d[..kk * k]);
                close(&us.mul(&vk), &a, t, 1.0, "U·S·Vh");
            }
            let o = ok::<T>(
                &Op::Svd {
                    full_matrices: true,
                    compute_uv: false,
                },
                &[&a],
            );
            assert_eq!(o.len(), 1);
            assert_eq!(shape(&o[0]), vec![kk]);
        }
    }
}
both!(svd_shapes_and_identities, svd_all);

// ---------------------------------------------------------------------------
// Least squares, pinv, norms, cond, rank.

fn lstsq_pinv<T: Real>() {
    let mut g = rng(9);
    for n in SMALL {
        for (m, k) in [(n + 5, n), (n, n), (n, n + 5)] {
            let a = M::rand(&mut g, m, k);
            let b = M::rand(&mut g, m, 2);
            let o = ok::<T>(&Op::Lstsq { cond: None }, &[&a, &b]);
            let x = mat(&o[0]);
            assert_eq!((x.r, x.c), (k, 2));
            let rank = ints(&o[2])[0] as usize;
            assert_eq!(rank, m.min(k));
            assert_eq!(shape(&o[3]), vec![m.min(k)]);
            let res = a.mul(&x).sub(&b);
            // Normal equations: Aᵀ(Ax − b) = 0.
            close(
                &a.t().mul(&res),
                &M::zeros(k, 2),
                tol::<T>(m) * 10.0,
                1.0,
                "normal equations",
            );
            if m > k && k > 0 {
                let r = mat(&o[1]);
                assert_eq!(r.r, 2);
                for j in 0..2 {
                    let direct: f64 = (0..m).map(|i| res.at(i, j).powi(2)).sum();
                    assert!((r.d[j] - direct).abs() <= tol::<T>(m) * 10.0 * direct.max(1.0));
                }
            } else if k > 0 {
                assert_eq!(shape(&o[1]), vec![0]);
            }
            // pinv: the four Moore–Penrose conditions.
            let p = mat(&ok::<T>(
                &Op::Pinv {
                    atol: None,
                    rtol: None,
                },
                &[&a],
            )[0]);
            assert_eq!((p.r, p.c), (k, m));
            let t = tol::<T>(m.max(k)) * 100.0;
            close(&a.mul(&p).mul(&a), &a, t, 1.0, "A·A⁺·A");
            close(&p.mul(&a).mul(&p), &p, t, p.max_abs(), "A⁺·A·A⁺");
            let ap = a.mul(&p);
            close(&ap, &ap.t(), t, 1.0, "A·A⁺ symmetric");
            let pa = p.mul(&a);
            close(&pa, &pa.t(), t, 1.0, "A⁺·A symmetric");
        }
    }
    // Rank-deficient: a repeated column; cond cuts the zero singular value.
    let a = M::new(4, 3, vec![1., 1., 0., 2., 2., 1., 3., 3., 0., 4., 4., 1.]);
    let b = M::new(4, 1, vec![1., 2., 3., 5.]);
    let o = ok::<T>(&Op::Lstsq { cond: None }, &[&a, &b]);
    assert_eq!(ints(&o[2]), vec![2]);
    assert_eq!(shape(&o[1]), vec![0]);
    let x = mat(&o[0]);
    // Minimum norm: the two equal columns share the weight.
    assert!((x.d[0] - x.d[1]).abs() < 1e-4);
    let o = ok::<T>(&Op::Lstsq { cond: Some(0.9) }, &[&a, &b]);
    assert_eq!(ints(&o[2]), vec![1]);
    // Empty: n = 0 gives ‖b‖² residues.
    let o = ok::<T>(
        &Op::Lstsq { cond: None },
        &[&M::zeros(3, 0), &M::new(3, 1, vec![1., 2., 2.])],
    );
    assert_eq!(shape(&o[0]), vec![0, 1]);
    assert_allclose(&mat(&o[1]).d, &[9.0], 1e-6, 0.0);
    let p = ok::<T>(
        &Op::Pinv {
            atol: None,
            rtol: None,
        },
        &[&M::zeros(0, 3)],
    );
    assert_eq!(shape(&p[0]), vec![3, 0]);
    // atol drops small singular values: pinv(diag(1, 1e-3)) with atol 1e-2.
    let d = M::new(2, 2, vec![1., 0., 0., 1e-3]);
    let p = mat(&ok::<T>(
        &Op::Pinv {
            atol: Some(1e-2),
            rtol: None,
        },
        &[&d],
    )[0]);
    assert_allclose(&p.d, &[1., 0., 0., 0.], 1e-5, 1e-6);
    assert!(matches!(
        go::<T>(
            &Op::Pinv {
                atol: Some(-1.0),
                rtol: None
            },
            &[&d],
            Par::SEQ
        ),
        Err(LinalgError::Invalid(_))
    ));
}
both!(lstsq_and_pinv, lstsq_pinv);

/// pinv(A)·b with pinv's cut at rtol·s_max: the SVD-path reference for
/// lstsq's QR path (the same cut as lstsq's cond).
fn pinv_times<T: Real>(a: &M, b: &M, rtol: f64) -> M {
    let p = mat(&ok::<T>(
        &Op::Pinv {
            atol: Some(0.0),
            rtol: Some(rtol),
        },
        &[a],
    )[0]);
    p.mul(b)
}

fn lstsq_qr_path<T: Real>() {
    let mut g = rng(21);
    let cut = if is_f32::<T>() { 1e-4 } else { 1e-10 };
    // x against the SVD path, relative to max|x| (well-conditioned data).
    let xtol = if is_f32::<T>() { 1e-3 } else { 1e-10 };
    // Full rank, square, tall around gelsd's m = 1.6·n and wide, 3 columns.
    for (m, n) in [
        (40, 40),
        (48, 40),
        (63, 40),
        (64, 40),
        (65, 40),
        (200, 40),
        (130, 129),
        (40, 48),
        (40, 200),
    ] {
        let a = M::rand(&mut g, m, n);
        let b = M::rand(&mut g, m, 3);
        let o = ok::<T>(&Op::Lstsq { cond: None }, &[&a, &b]);
        let x = mat(&o[0]);
        assert_eq!(ints(&o[2]), vec![m.min(n) as i32], "{m}x{n} rank");
        let want = pinv_times::<T>(&a, &b, 0.0);
        close(
            &x,
            &want,
            xtol,
            want.max_abs(),
            &format!("{m}x{n} x vs pinv·b"),
        );
        let sv = svdvals::<T>(&a);
        close(&mat(&o[3]), &sv, xtol, sv.max_abs(), "s vs svdvals");
        if m > n {
            // ‖(Qᵀb)₂‖² against ‖b − A·x‖² computed directly.
            let res = a.mul(&x).sub(&b);
            let r = mat(&o[1]);
            assert_eq!((r.r, r.c), (3, 1));
            let rel = if is_f32::<T>() { 1e-3 } else { 1e-10 };
            for j in 0..3 {
                let direct: f64 = (0..m).map(|i| res.at(i, j).powi(2)).sum();
                rel_close(&[r.d[j]], &[direct], rel, "residues");
            }
        } else {
            assert_eq!(shape(&o[1]), vec![0]);
        }
    }
    // Rank deficient, tall and wide: column (row) n−1 repeats column (row)
    // 0 and n−2 is the sum of 1 and 2, so rank n−2; x is pinv(A)·b, the
    // minimum-norm solution (the repeated columns share their weight).
    for (m, n) in [(60, 12), (13, 12), (12, 12)] {
        let mut a = M::rand(&mut g, m, n);
        for i in 0..m {
            a.d[i * n + n - 1] = a.at(i, 0);
            a.d[i * n + n - 2] = a.at(i, 1) + a.at(i, 2);
        }
        for (a, t) in [(a.clone(), false), (a.t(), true)] {
            let (m, n) = (a.r, a.c);
            let b = M::rand(&mut g, m, 2);
            let o = ok::<T>(&Op::Lstsq { cond: Some(cut) }, &[&a, &b]);
            assert_eq!(ints(&o[2]), vec![(m.min(n) - 2) as i32], "{m}x{n} rank");
            assert_eq!(shape(&o[1]), vec![0]);
            let x = mat(&o[0]);
            let want = pinv_times::<T>(&a, &b, cut);
            close(&x, &want, xtol, want.max_abs(), "rank deficient x");
            if !t {
                for j in 0..2 {
                    let (x0, x1) = (x.at(0, j), x.at(n - 1, j));
                    assert!((x0 - x1).abs() <= xtol * want.max_abs());
                }
            }
        }
    }
    // Kahan's matrix: R's diagonal (s^i) gives no hint, yet s_min is tiny,
    // so the rank is found from the singular values. Stacked on zero rows
    // (reflectors that are the identity) and square.
    let n = 100;
    let (c, s) = (0.2f64, (1.0f64 - 0.04).sqrt());
    let mut k = M::zeros(n, n);
    for i in 0..n {
        let d = s.powi(i as i32);
        k.d[i * n + i] = d;
        for j in i + 1..n {
            k.d[i * n + j] = -c * d;
        }
    }
    for m in [n + 5, n] {
        let mut a = M::zeros(m, n);
        a.d[..n * n].copy_from_slice(&k.d);
        let sv = svdvals::<T>(&a);
        let cond = (sv.d[n - 1] * sv.d[n - 2]).sqrt() / sv.d[0];
        assert!(sv.d[n - 2] / sv.d[0] > 100.0 * cond && s.powi(n as i32) > cond);
        let b = M::rand(&mut g, m, 1);
        let o = ok::<T>(&Op::Lstsq { cond: Some(cond) }, &[&a, &b]);
        assert_eq!(ints(&o[2]), vec![(n - 1) as i32]);
        let want = pinv_times::<T>(&a, &b, cond);
        close(&mat(&o[0]), &want, xtol, want.max_abs(), "Kahan x");
    }
    // Out of the safe range: x(αA, βb) = (β/α)·x(A, b), residues β²·r,
    // s α·s; tall and wide.
    let (big, small) = if is_f32::<T>() {
        (1e15, 1e-15)
    } else {
        (1e150, 1e-150)
    };
    for (m, n) in [(30, 10), (10, 30)] {
        let a = M::rand(&mut g, m, n);
        let b = M::rand(&mut g, m, 2);
        let o0 = ok::<T>(&Op::Lstsq { cond: None }, &[&a, &b]);
        let scaled = |x: &M, f: f64| M::new(x.r, x.c, x.d.iter().map(|v| v * f).collect());
        for (al, be) in [(big, small), (small, big), (big, big), (small, small)] {
            let o = ok::<T>(
                &Op::Lstsq { cond: None },
                &[&scaled(&a, al), &scaled(&b, be)],
            );
            assert_eq!(ints(&o[2]), ints(&o0[2]));
            let rel = xtol;
            let (x, x0) = (mat(&o[0]), mat(&o0[0]));
            close(
                &scaled(&x, al / be),
                &x0,
                rel,
                x0.max_abs(),
                &format!("x at ({al:e}, {be:e})"),
            );
            rel_close(&scaled(&mat(&o[3]), 1.0 / al).d, &mat(&o0[3]).d, rel, "s");
            let (r, r0) = (mat(&o[1]), mat(&o0[1]));
            rel_close(&scaled(&r, 1.0 / (be * be)).d, &r0.d, rel, "residues");
        }
    }
    // Two threads: the same answer on a tall and a wide problem.
    for (m, n) in [(300, 90), (90, 300)] {
        let a = M::rand(&mut g, m, n);
        let b = M::rand(&mut g, m, 2);
        let op = Op::Lstsq { cond: None };
        let x1 = mat(&go::<T>(&op, &[&a, &b], Par::SEQ).unwrap()[0]);
        let x2 = mat(&go::<T>(&op, &[&a, &b], Par::new(2)).unwrap()[0]);
        close(&x2, &x1, xtol, x1.max_abs(), "Par::new(2)");
    }
}
both!(lstsq_qr, lstsq_qr_path);

fn norms_all<T: Real>() {
    let mut g = rng(10);
    for (m, k) in [(0, 0), (0, 3), (1, 1), (3, 5), (17, 4), (65, 64)] {
        let a = M::rand(&mut g, m, k);
        let t = tol::<T>(m.max(k)) * 10.0;
        let abs = |i: usize, j: usize| a.at(i, j).abs();
        let cols: Vec<f64> = (0..k).map(|j| (0..m).map(|i| abs(i, j)).sum()).collect();
        let rows: Vec<f64> = (0..m).map(|i| (0..k).map(|j| abs(i, j)).sum()).collect();
        let mx = |v: &[f64]| v.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
        let mn = |v: &[f64]| v.iter().cloned().fold(f64::INFINITY, f64::min);
        let empty = m == 0 || k == 0;
        let s = if empty { vec![] } else { svdvals::<T>(&a).d };
        let fro = a.d.iter().map(|x| x * x).sum::<f64>().sqrt();
        let expect = |ord: MatrixOrd| -> f64 {
            if empty {
                return 0.0;
            }
            match ord {
                MatrixOrd::Fro => fro,
                MatrixOrd::Nuc => s.iter().sum(),
                MatrixOrd::One => mx(&cols),
                MatrixOrd::NegOne => mn(&cols),
                MatrixOrd::Inf => mx(&rows),
                MatrixOrd::NegInf => mn(&rows),
                MatrixOrd::Two => s[0],
                MatrixOrd::NegTwo => *s.last().unwrap(),
            }
        };
        for ord in [
            MatrixOrd::Fro,
            MatrixOrd::Nuc,
            MatrixOrd::One,
            MatrixOrd::NegOne,
            MatrixOrd::Inf,
            MatrixOrd::NegInf,
            MatrixOrd::Two,
            MatrixOrd::NegTwo,
        ] {
            let v = scal(
                &ok::<T>(
                    &Op::MatrixNorm {
                        ord,
                        transpose: false,
                    },
                    &[&a],
                )[0],
            );
            let e = expect(ord);
            assert!((v - e).abs() <= t * e.max(1.0), "{ord:?}: {v} vs {e}");
            // axis = (1, 0): the norm of aᵀ swaps ±1 and ±inf.
            let vt = scal(
                &ok::<T>(
                    &Op::MatrixNorm {
                        ord,
                        transpose: true,
                    },
                    &[&a],
                )[0],
            );
            let et = match ord {
                MatrixOrd::One => expect(MatrixOrd::Inf),
                MatrixOrd::Inf => expect(MatrixOrd::One),
                MatrixOrd::NegOne => expect(MatrixOrd::NegInf),
                MatrixOrd::NegInf => expect(MatrixOrd::NegOne),
                o => expect(o),
            };
            assert!((vt - et).abs() <= t * et.max(1.0), "{ord:?}ᵀ: {vt} vs {et}");
        }
        // Vector norms over all, per column, per row.
        for ord in [
            f64::INFINITY,
            f64::NEG_INFINITY,
            0.0,
            1.0,
            2.0,
            3.0,
            0.5,
            -1.0,
        ] {
            let direct = |v: &[f64]| -> f64 {
                if v.is_empty() && ord.is_infinite() {
                    return 0.0;
                }
                let a: Vec<f64> = v.iter().map(|x| x.abs()).collect();
                if ord == f64::INFINITY {
                    mx(&a)
                } else if ord == f64::NEG_INFINITY {
                    mn(&a)
                } else if ord == 0.0 {
                    a.iter().filter(|&&x| x != 0.0).count() as f64
                } else {
                    a.iter()
                        .map(|x| x.powf(ord))
                        .fold(0.0, |s, x| s + x)
                        .powf(1.0 / ord)
                }
            };
            let all = scal(&ok::<T>(&Op::VectorNorm { ord, axis: None }, &[&a])[0]);
            let e = direct(&a.d);
            assert!(
                all == e || (all - e).abs() <= t * e.max(1.0),
                "vector {ord}: {all} vs {e}"
            );
            let per_col = ok::<T>(&Op::VectorNorm { ord, axis: Some(0) }, &[&a]);
            assert_eq!(shape(&per_col[0]), vec![k]);
            let at = a.t();
            for j in 0..k {
                let e = direct(&at.d[j * m..(j + 1) * m]);
                let v = mat(&per_col[0]).d[j];
                assert!(v == e || (v - e).abs() <= t * e.max(1.0));
            }
            let per_row = ok::<T>(&Op::VectorNorm { ord, axis: Some(1) }, &[&a]);
            assert_eq!(shape(&per_row[0]), vec![m]);
            for i in 0..m {
                let e = direct(&a.d[i * k..(i + 1) * k]);
                let v = mat(&per_row[0]).d[i];
                assert!(v == e || (v - e).abs() <= t * e.max(1.0));
            }
        }
    }
    // The Frobenius and 2-norms do not overflow.
    let big = M::new(1, 2, vec![3e30, 4e30]);
    let v = scal(
        &ok::<T>(
            &Op::VectorNorm {
                ord: 2.0,
                axis: None,
            },
            &[&big],
        )[0],
    );
    assert!((v / 5e30 - 1.0).abs() < 1e-5, "{v}");
}
both!(matrix_and_vector_norms, norms_all);

fn matmul_cond_rank<T: Real>() {
    let mut g = rng(11);
    for (m, k, n) in [
        (0, 0, 0),
        (0, 3, 2),
        (2, 0, 3),
        (1, 1, 1),
        (17, 63, 65),
        (129, 64, 3),
    ] {
        let a = M::rand(&mut g, m, k);
        let b = M::rand(&mut g, k, n);
        let c = mat(&ok::<T>(&Op::Matmul, &[&a, &b])[0]);
        assert_eq!((c.r, c.c), (m, n));
        close(&c, &a.mul(&b), tol::<T>(k), 1.0, "matmul");
    }
    assert!(matches!(
        go::<T>(&Op::Matmul, &[&M::zeros(2, 3), &M::zeros(2, 3)], Par::SEQ),
        Err(LinalgError::Invalid(_))
    ));
    // cond and rank.
    let d = M::new(3, 3, vec![4., 0., 0., 0., 2., 0., 0., 0., 0.5]);
    let c = |p| scal(&ok::<T>(&Op::Cond { p }, &[&d])[0]);
    assert!((c(None) - 8.0).abs() < 1e-4);
    assert!((c(Some(MatrixOrd::NegTwo)) - 0.125).abs() < 1e-5);
    assert!((c(Some(MatrixOrd::One)) - 8.0).abs() < 1e-4);
    assert!((c(Some(MatrixOrd::Inf)) - 8.0).abs() < 1e-4);
    assert!((c(Some(MatrixOrd::Fro)) - (20.25f64.sqrt() * 4.3125f64.sqrt())).abs() < 1e-4);
    let s = M::new(2, 2, vec![1., 2., 2., 4.]);
    for p in [None, Some(MatrixOrd::One), Some(MatrixOrd::Fro)] {
        let v = scal(&ok::<T>(&Op::Cond { p }, &[&s])[0]);
        assert!(v.is_infinite() || v > 1e6, "cond of singular {p:?}: {v}");
    }
    let r = |a: &M, tol| ints(&ok::<T>(&Op::MatrixRank { tol }, &[a])[0])[0];
    assert_eq!(r(&d, None), 3);
    assert_eq!(r(&d, Some(1.0)), 2);
    assert_eq!(r(&s, None), 1);
    assert_eq!(r(&M::zeros(3, 3), None), 0);
    assert_eq!(r(&M::zeros(0, 3), None), 0);
    let a = M::rand(&mut g, 65, 17);
    assert_eq!(r(&a, None), 17);
    assert_eq!(r(&a.mul(&a.t()), None), 17);
}
both!(matmul_cond_matrix_rank, matmul_cond_rank);

/// Products large enough to be cut into one slab per thread: tall (cut
/// between rows), wide (cut between columns), and three threads (uneven
/// halves), each against the naive product.
fn matmul_slabs<T: Real>() {
    let mut g = rng(12);
    for (m, k, n) in [(300, 40, 200), (90, 50, 700), (257, 129, 255)] {
        let a = M::rand(&mut g, m, k);
        let b = M::rand(&mut g, k, n);
        let want = a.mul(&b);
        for threads in [2, 3] {
            let c = mat(&go::<T>(&Op::Matmul, &[&a, &b], Par::new(threads)).unwrap()[0]);
            close(
                &c,
                &want,
                tol::<T>(k),
                1.0,
                &format!("matmul {m}x{k}x{n} on {threads} threads"),
            );
        }
    }
}
both!(matmul_in_slabs, matmul_slabs);

// ---------------------------------------------------------------------------
// Eigenproblems.

fn eig_all<T: Real>() {
    let mut g = rng(12);
    for n in SIZES {
        if is_f32::<T>() && n > 129 {
            continue;
        }
        let a = M::rand(&mut g, n, n);
        let o = ok::<T>(&Op::Eig { right: true }, &[&a]);
        let w = cplx(&o[0]);
        let v = cplx(&o[1]);
        assert_eq!((w.len(), v.len()), (n, n * n));
        let t = tol::<T>(n) * 100.0;
        let (res, dn) = eig_residual(&a, &w, &v);
        assert!(res <= t, "‖A·v − λ·v‖ = {res:e} at n = {n}");
        assert!(dn <= t, "unit eigenvectors: {dn:e} at n = {n}");
        // Conjugate pairs come together, positive imaginary part first.
        let mut j = 0;
        while j < n {
            if w[j].1 != 0.0 {
                assert!(w[j].1 > 0.0 && w[j + 1] == (w[j].0, -w[j].1));
                j += 2;
            } else {
                j += 1;
            }
        }
        let only = ok::<T>(&Op::Eig { right: false }, &[&a]);
        assert_eq!(only.len(), 1);
    }
    // Rotation generator: eigenvalues ±i.
    let r = M::new(2, 2, vec![0., -1., 1., 0.]);
    let w = cplx(&ok::<T>(&Op::Eig { right: false }, &[&r])[0]);
    assert!(
        (w[0].0.abs() + (w[0].1 - 1.0).abs()) < 1e-6 && (w[1].1 + 1.0).abs() < 1e-6,
        "{w:?}"
    );
}
both!(eig_general, eig_all);

fn eigh_all<T: Real>() {
    let mut g = rng(13);
    for n in SIZES {
        let full = M::rand(&mut g, n, n).sym();
        let t = tol::<T>(n) * 10.0;
        for lower in [true, false] {
            let mut half = full.clone();
            for i in 0..n {
                for j in 0..n {
                    if (lower && j > i) || (!lower && j < i) {
                        half.d[i * n + j] = f64::from(7u8);
                    }
                }
            }
            let o = ok::<T>(
                &Op::Eigh {
                    lower,
                    vectors: true,
                    subset: None,
                },
                &[&half],
            );
            let (w, v) = (mat(&o[0]), mat(&o[1]));
            for i in 1..n {
                assert!(w.d[i] >= w.d[i - 1], "ascending");
            }
            close(&v.t().mul(&v), &M::eye(n), t, 1.0, "VᵀV");
            let mut vl = v.clone();
            for i in 0..n {
                for j in 0..n {
                    vl.d[i * n + j] *= w.d[j];
                }
            }
            close(&full.mul(&v), &vl, t, 1.0, "A·V = V·Λ");
            if n >= 3 {
                let (lo, hi) = (1, n - 2);
                let o = ok::<T>(
                    &Op::Eigh {
                        lower,
                        vectors: true,
                        subset: Some((lo, hi)),
                    },
                    &[&half],
                );
                let (ws, vs) = (mat(&o[0]), mat(&o[1]));
                assert_eq!((ws.r, vs.r, vs.c), (hi - lo + 1, n, hi - lo + 1));
                assert_allclose(&ws.d, &w.d[lo..=hi], 0.0, 0.0);
                let o = ok::<T>(
                    &Op::Eigh {
                        lower,
                        vectors: false,
                        subset: Some((lo, hi)),
                    },
                    &[&half],
                );
                assert_eq!(o.len(), 1);
                assert_eq!(shape(&o[0]), vec![hi - lo + 1]);
            }
        }
    }
    assert!(matches!(
        go::<T>(
            &Op::Eigh {
                lower: true,
                vectors: false,
                subset: Some((2, 3))
            },
            &[&M::eye(3)],
            Par::SEQ
        ),
        Err(LinalgError::Invalid(_))
    ));
}
both!(eigh_symmetric, eigh_all);

// ---------------------------------------------------------------------------
// expm.

fn expm_all<T: Real>() {
    let ex = |a: &M| mat(&ok::<T>(&Op::Expm, &[a])[0]);
    let t = if is_f32::<T>() { 1e-4 } else { 1e-12 };
    // Empty, 1×1, diagonal.
    assert_eq!(ex(&M::zeros(0, 0)).d.len(), 0);
    close(
        &ex(&M::new(1, 1, vec![0.5])),
        &M::new(1, 1, vec![0.5f64.exp()]),
        t,
        1.0,
        "1×1",
    );
    let d = M::new(3, 3, vec![1., 0., 0., 0., -2., 0., 0., 0., 0.]);
    let e = M::new(
        3,
        3,
        vec![1f64.exp(), 0., 0., 0., (-2f64).exp(), 0., 0., 0., 1.],
    );
    close(&ex(&d), &e, t, 3.0, "diagonal");
    // Nilpotent: exp(N) = I + N + N²/2.
    let nmat = M::new(3, 3, vec![0., 2., 3., 0., 0., 4., 0., 0., 0.]);
    let n2 = nmat.mul(&nmat);
    let mut want = M::eye(3);
    for i in 0..9 {
        want.d[i] += nmat.d[i] + n2.d[i] / 2.0;
    }
    close(&ex(&nmat), &want, t, 8.0, "nilpotent");
    // Rotation generator [[0, −θ], [θ, 0]] → rotation by θ, for norms that
    // pick each Padé degree and scaling.
    for theta in [1e-3, 0.1, 0.5, 1.5, 3.0, 10.0, 100.0] {
        let g = M::new(2, 2, vec![0., -theta, theta, 0.]);
        let (c, s) = (theta.cos(), theta.sin());
        let rel = if theta > 50.0 { 100.0 } else { 10.0 };
        close(
            &ex(&g),
            &M::new(2, 2, vec![c, -s, s, c]),
            t * rel,
            1.0,
            &format!("rotation {theta}"),
        );
    }
    // Upper triangular with scaling: [[a, b], [0, c]] has the closed form
    // [[eᵃ, b(eᶜ − eᵃ)/(c − a)], [0, eᶜ]].
    for (a, b, c) in [(1.0, 5.0, 2.0f64), (-3.0, 20.0, 0.5), (4.0, 1.0, 4.0)] {
        let m = M::new(2, 2, vec![a, b, 0., c]);
        let off = if a == c {
            b * a.exp()
        } else {
            b * (c.exp() - a.exp()) / (c - a)
        };
        let want = M::new(2, 2, vec![a.exp(), off, 0., c.exp()]);
        close(&ex(&m), &want, t * 10.0, want.max_abs(), "2×2 triangular");
        let want_t = want.t();
        close(
            &ex(&m.t()),
            &want_t,
            t * 10.0,
            want.max_abs(),
            "2×2 lower triangular",
        );
    }
    // exp(A)·exp(−A) = I over norms from tiny to large, and sizes.
    let mut g = rng(14);
    for n in [2, 3, 17, 64, 65] {
        for scale in [1e-3, 0.2, 1.0, 3.0, 10.0] {
            let a = M::rand(&mut g, n, n);
            let a = M::new(
                n,
                n,
                a.d.iter().map(|x| x * scale / (n as f64).sqrt()).collect(),
            );
            let neg = M::new(n, n, a.d.iter().map(|x| -x).collect());
            let p = ex(&a).mul(&ex(&neg));
            let growth = ex(&a).max_abs() * ex(&neg).max_abs();
            close(
                &p,
                &M::eye(n),
                t * 10.0 * n as f64,
                growth,
                &format!("exp(A)exp(−A) n={n} s={scale}"),
            );
        }
    }
}
both!(expm_closed_forms, expm_all);

// ---------------------------------------------------------------------------
// Errors, empties, non-finite input, threads.

fn errors<T: Real>() {
    let sing = M::new(3, 3, vec![1., 2., 3., 2., 4., 6., 1., 1., 1.]);
    let b = M::new(3, 1, vec![1., 2., 3.]);
    let gen = Op::Solve {
        assume: Assume::Gen,
        lower: false,
        transposed: false,
    };
    assert!(matches!(
        go::<T>(&gen, &[&sing, &b], Par::SEQ),
        Err(LinalgError::Singular { .. })
    ));
    assert!(matches!(
        go::<T>(&Op::Inv, &[&sing], Par::SEQ),
        Err(LinalgError::Singular { .. })
    ));
    // Exact zero pivot position, as getrf's info: column 1 is zero.
    let z = M::new(3, 3, vec![1., 0., 2., 3., 0., 4., 5., 0., 7.]);
    assert_eq!(
        go::<T>(&Op::Inv, &[&z], Par::SEQ).unwrap_err(),
        LinalgError::Singular { index: 1 }
    );
    let o = ok::<T>(&Op::LuFactor, &[&z]);
    let piv = M::new(3, 1, ints(&o[1]).iter().map(|&p| p as f64).collect());
    assert_eq!(
        go::<T>(
            &Op::LuSolve { trans: 0 },
            &[&mat(&o[0]), &piv, &b],
            Par::SEQ
        )
        .unwrap_err(),
        LinalgError::Singular { index: 1 }
    );
    // Symmetric singular.
    let s = M::new(3, 3, vec![1., 1., 0., 1., 1., 0., 0., 0., 0.]);
    let sym = Op::Solve {
        assume: Assume::Sym,
        lower: true,
        transposed: false,
    };
    assert!(matches!(
        go::<T>(&sym, &[&s, &b], Par::SEQ),
        Err(LinalgError::Singular { .. })
    ));
    // Triangular zero diagonal.
    let tri = M::new(3, 3, vec![1., 0., 0., 2., 0., 0., 3., 4., 5.]);
    let op = Op::SolveTriangular {
        lower: true,
        trans: 0,
        unit_diagonal: false,
    };
    assert_eq!(
        go::<T>(&op, &[&tri, &b], Par::SEQ).unwrap_err(),
        LinalgError::Singular { index: 1 }
    );
    // Shapes and counts.
    let inv = |r| matches!(r, Err(LinalgError::Invalid(_)));
    assert!(inv(go::<T>(&Op::Inv, &[&M::zeros(2, 3)], Par::SEQ)));
    assert!(inv(go::<T>(&Op::Inv, &[], Par::SEQ)));
    assert!(inv(go::<T>(&Op::Det, &[&b, &b], Par::SEQ)));
    assert!(inv(go::<T>(&gen, &[&sing, &M::zeros(2, 1)], Par::SEQ)));
    assert!(inv(go::<T>(
        &Op::LuSolve { trans: 0 },
        &[&sing, &M::new(3, 1, vec![0., 5., 2.]), &b],
        Par::SEQ
    )));
    assert!(inv(go::<T>(
        &Op::LuSolve { trans: 7 },
        &[&sing, &M::zeros(3, 1), &b],
        Par::SEQ
    )));
    assert!(inv(go::<T>(
        &Op::Cond { p: None },
        &[&M::zeros(0, 0)],
        Par::SEQ
    )));
    assert!(inv(go::<T>(
        &Op::VectorNorm {
            ord: 2.0,
            axis: Some(2)
        },
        &[&b],
        Par::SEQ
    )));
}
both!(error_cases, errors);

fn all_ops() -> Vec<Op> {
    let mut ops = vec![
        Op::Inv,
        Op::Det,
        Op::Slogdet,
        Op::Lstsq { cond: None },
        Op::Pinv {
            atol: None,
            rtol: None,
        },
        Op::Matmul,
        Op::Lu {
            permute_l: false,
            p_indices: false,
        },
        Op::Lu {
            permute_l: true,
            p_indices: false,
        },
        Op::LuFactor,
        Op::LuSolve { trans: 0 },
        Op::LuSolve { trans: 1 },
        Op::Cholesky { lower: true },
        Op::ChoSolve { lower: false },
        Op::Eig { right: true },
        Op::Eigh {
            lower: true,
            vectors: true,
            subset: None,
        },
        Op::Expm,
        Op::Cond { p: None },
        Op::Cond {
            p: Some(MatrixOrd::One),
        },
        Op::MatrixRank { tol: None },
        Op::VectorNorm {
            ord: 3.0,
            axis: Some(0),
        },
    ];
    for assume in [Assume::Gen, Assume::Sym, Assume::Pos] {
        ops.push(Op::Solve {
            assume,
            lower: true,
            transposed: false,
        });
    }
    for mode in [QrMode::Full, QrMode::Economic, QrMode::R] {
        ops.push(Op::Qr { mode });
        ops.push(Op::QrPivoting { mode });
    }
    for ord in [
        MatrixOrd::Fro,
        MatrixOrd::Nuc,
        MatrixOrd::Two,
        MatrixOrd::Inf,
    ] {
        ops.push(Op::MatrixNorm {
            ord,
            transpose: false,
        });
    }
    ops.push(Op::SolveTriangular {
        lower: false,
        trans: 1,
        unit_diagonal: false,
    });
    ops.push(Op::Svd {
        full_matrices: true,
        compute_uv: true,
    });
    ops.push(Op::Svd {
        full_matrices: false,
        compute_uv: false,
    });
    ops
}

fn inputs_for(op: &Op, a: &M) -> Vec<M> {
    let n = a.r;
    let piv = M::new(n, 1, (0..n).map(|i| i as f64).collect());
    match op {
        Op::Lstsq { .. } | Op::Solve { .. } | Op::SolveTriangular { .. } | Op::ChoSolve { .. } => {
            vec![
                a.clone(),
                M::new(n, 2, (0..2 * n).map(|i| i as f64 * 0.1).collect()),
            ]
        }
        Op::Matmul => vec![a.clone(), a.clone()],
        Op::LuSolve { .. } => vec![a.clone(), piv, M::new(n, 1, vec![1.0; n])],
        _ => vec![a.clone()],
    }
}

fn empty_and_nonfinite<T: Real>() {
    // 0×0 works for every op and gives empty shapes (cond raises as numpy).
    for op in all_ops() {
        let ins = inputs_for(&op, &M::zeros(0, 0));
        let refs: Vec<&M> = ins.iter().collect();
        match go::<T>(&op, &refs, Par::SEQ) {
            Ok(out) => {
                for o in &out {
                    let len = match o {
                        Output::Real { data, .. } | Output::Complex { data, .. } => data.len(),
                        Output::Int { data, .. } => data.len(),
                    };
                    let prod: usize = shape(o).iter().product();
                    assert!(len == prod || len == 2 * prod, "{op:?}");
                }
            }
            Err(e) => assert!(matches!(op, Op::Cond { .. }), "{op:?} on 0×0: {e:?}"),
        }
    }
    // NaN and inf never panic (errors are fine).
    for bad in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
        for n in [1, 2, 5, 20] {
            let mut a = M::eye(n).shifted(1.0);
            a.d[n * n / 2] = bad;
            if n > 1 {
                a.d[1] = 0.5;
            }
            for op in all_ops() {
                let ins = inputs_for(&op, &a);
                let refs: Vec<&M> = ins.iter().collect();
                let _ = go::<T>(&op, &refs, Par::SEQ);
            }
        }
    }
}
both!(empty_and_nonfinite_inputs, empty_and_nonfinite);

fn threads_agree<T: Real>() {
    let mut g = rng(15);
    for n in [65, 129] {
        let a = M::rand(&mut g, n, n).shifted(2.0);
        let sa = a.t().mul(&a).shifted(1.0);
        for op in all_ops() {
            let base = if matches!(
                op,
                Op::Cholesky { .. }
                    | Op::ChoSolve { .. }
                    | Op::Solve {
                        assume: Assume::Pos,
                        ..
                    }
                    | Op::Eigh { .. }
            ) {
                &sa
            } else {
                &a
            };
            let ins = inputs_for(&op, base);
            let refs: Vec<&M> = ins.iter().collect();
            let seq = go::<T>(&op, &refs, Par::SEQ);
            let two = go::<T>(&op, &refs, Par::new(2));
            match (seq, two) {
                (Ok(x), Ok(y)) => {
                    assert_eq!(x.len(), y.len());
                    for (p, q) in x.iter().zip(&y) {
                        assert_eq!(shape(p), shape(q), "{op:?}");
                        let (dp, dq): (Vec<f64>, Vec<f64>) = match (p, q) {
                            (Output::Real { data: a, .. }, Output::Real { data: b, .. })
                            | (Output::Complex { data: a, .. }, Output::Complex { data: b, .. }) => {
                                (
                                    a.iter().map(|x| Real::to_f64(*x)).collect(),
                                    b.iter().map(|x| Real::to_f64(*x)).collect(),
                                )
                            }
                            (Output::Int { data: a, .. }, Output::Int { data: b, .. }) => {
                                assert_eq!(a, b, "{op:?}");
                                continue;
                            }
                            _ => panic!("{op:?}: output kinds differ"),
                        };
                        let scale = dp.iter().fold(1.0f64, |m, x| m.max(x.abs()));
                        // Eigenvectors may differ in sign between runs with
                        // a different reduction order; compare magnitudes.
                        let loose = matches!(op, Op::Eig { .. } | Op::Eigh { .. } | Op::Svd { .. });
                        for (u, v) in dp.iter().zip(&dq) {
                            let (u, v) = if loose { (u.abs(), v.abs()) } else { (*u, *v) };
                            if u == v || (u.is_nan() && v.is_nan()) {
                                continue;
                            }
                            assert!(
                                (u - v).abs() <= tol::<T>(n) * 100.0 * scale,
                                "{op:?}: {u} vs {v}"
                            );
                        }
                    }
                }
                (Err(e1), Err(e2)) => assert_eq!(e1, e2),
                (x, y) => panic!("{op:?}: {x:?} vs {y:?}"),
            }
        }
    }
}
both!(par_two_matches_seq, threads_agree);

#[test]
fn run_with_faer_is_run() {
    let a = M::new(2, 2, vec![2., 1., 1., 3.]);
    let d = vec![2.0f64, 1., 1., 3.];
    let r = MatRef::new(&d, 2, 2);
    assert_eq!(
        run_with(Backend::Faer, &Op::Det, &[r], Par::SEQ).unwrap(),
        ok::<f64>(&Op::Det, &[&a])
    );
}

// ---------------------------------------------------------------------------
// Tiny, subnormal and huge matrices (scaled into LAPACK's safe range before
// the SVD and the eigensolvers), and badly scaled ones (balanced before eig).

/// Asserts |x − y| ≤ rel·|y| for each pair.
fn rel_close(x: &[f64], y: &[f64], rel: f64, what: &str) {
    assert_eq!(x.len(), y.len(), "{what}: lengths");
    for (a, b) in x.iter().zip(y) {
        assert!((a - b).abs() <= rel * b.abs(), "{what}: {x:?} vs {y:?}");
    }
}

fn svd_out_of_range<T: Real>() {
    // (tiny normal, subnormal, huge) for T.
    let (tiny, sub, huge) = if is_f32::<T>() {
        (1e-30, 1e-40, 1e37)
    } else {
        (1e-200, 1e-310, 1e300)
    };
    // The subnormal case is only as precise as its entries.
    let rel = if is_f32::<T>() { 1e-3 } else { 1e-12 };
    for t in [tiny, huge] {
        // [[0, t], [0, 0]]: s = [t, 0], rank 1, pinv [[0, 0], [1/t, 0]].
        let a = M::new(2, 2, vec![0.0, t, 0.0, 0.0]);
        let s = svdvals::<T>(&a);
        rel_close(&s.d, &[t, 0.0], rel, "svdvals [[0, t], [0, 0]]");
        let o = ok::<T>(
            &Op::Svd {
                full_matrices: true,
                compute_uv: true,
            },
            &[&a],
        );
        let (u, s, vh) = (mat(&o[0]), mat(&o[1]), mat(&o[2]));
        rel_close(&s.d, &[t, 0.0], rel, "svd s");
        let mut us = u.clone();
        for i in 0..2 {
            for j in 0..2 {
                us.d[i * 2 + j] *= s.d[j] / t;
            }
        }
        close(
            &us.mul(&vh),
            &M::new(2, 2, vec![0.0, 1.0, 0.0, 0.0]),
            rel,
            1.0,
            "U·S·Vh / t",
        );
        assert_eq!(
            ints(&ok::<T>(&Op::MatrixRank { tol: None }, &[&a])[0]),
            vec![1]
        );
        let p = mat(&ok::<T>(
            &Op::Pinv {
                atol: None,
                rtol: None,
            },
            &[&a],
        )[0]);
        rel_close(&p.d, &[0.0, 0.0, 1.0 / t, 0.0], rel, "pinv");
        for (ord, want) in [
            (MatrixOrd::Two, t),
            (MatrixOrd::Nuc, t),
            (MatrixOrd::NegTwo, 0.0),
        ] {
            let v = scal(
                &ok::<T>(
                    &Op::MatrixNorm {
                        ord,
                        transpose: false,
                    },
                    &[&a],
                )[0],
            );
            rel_close(&[v], &[want], rel, "2-norms");
        }
        // lstsq with a and b at the same scale: x of order 1.
        let a2 = M::new(2, 2, vec![2.0 * t, t, 0.0, t]);
        let b = M::new(2, 1, vec![3.0 * t, t]);
        let o = ok::<T>(&Op::Lstsq { cond: None }, &[&a2, &b]);
        rel_close(&mat(&o[0]).d, &[1.0, 1.0], rel * 10.0, "lstsq x");
        assert_eq!(ints(&o[2]), vec![2]);
        let c = scal(&ok::<T>(&Op::Cond { p: None }, &[&a2])[0]);
        let c1 = scal(
            &ok::<T>(
                &Op::Cond { p: None },
                &[&M::new(2, 2, vec![2.0, 1.0, 0.0, 1.0])],
            )[0],
        );
        rel_close(&[c], &[c1], rel * 10.0, "cond");
    }
    // Subnormal entries: [[3, 1], [0, 2]]·sub, s = [3.2566, 1.8424]·sub, rank 2.
    let a = M::new(2, 2, vec![3.0 * sub, sub, 0.0, 2.0 * sub]);
    let s = svdvals::<T>(&a);
    let want = svdvals::<T>(&M::new(2, 2, vec![3.0, 1.0, 0.0, 2.0]));
    let sub_rel = if is_f32::<T>() { 1e-3 } else { 1e-11 };
    rel_close(
        &s.d,
        &[want.d[0] * sub, want.d[1] * sub],
        sub_rel,
        "subnormal svdvals",
    );
    assert_eq!(
        ints(&ok::<T>(&Op::MatrixRank { tol: None }, &[&a])[0]),
        vec![2]
    );
}
both!(svd_tiny_subnormal_huge, svd_out_of_range);

fn eig_residual(a: &M, w: &[(f64, f64)], v: &[(f64, f64)]) -> (f64, f64) {
    // max over columns of ‖a v − λ v‖∞ and of |‖v‖ − 1|.
    let n = a.r;
    let (mut res, mut dn): (f64, f64) = (0.0, 0.0);
    for j in 0..n {
        let (lr, li) = w[j];
        let mut nv = 0.0;
        for i in 0..n {
            let (mut sr, mut si) = (0.0, 0.0);
            for k in 0..n {
                sr += a.at(i, k) * v[k * n + j].0;
                si += a.at(i, k) * v[k * n + j].1;
            }
            let (vr, vi) = v[i * n + j];
            res = res.max((sr - (lr * vr - li * vi)).hypot(si - (lr * vi + li * vr)));
            nv += vr * vr + vi * vi;
        }
        dn = dn.max((nv.sqrt() - 1.0).abs());
    }
    (res, dn)
}

fn eig_out_of_range<T: Real>() {
    let (tiny, huge) = if is_f32::<T>() {
        (1e-30, 1e30)
    } else {
        (1e-200, 1e300)
    };
    let rel = tol::<T>(3) * 10.0;
    let base = M::new(3, 3, vec![4., 1., 0., 1., 3., 1., 0., 1., 2.]);
    let w0 = cplx(&ok::<T>(&Op::Eig { right: false }, &[&base])[0]);
    let h0 = mat(&ok::<T>(
        &Op::Eigh {
            lower: true,
            vectors: false,
            subset: None,
        },
        &[&base],
    )[0]);
    for t in [tiny, huge] {
        let mut a = base.clone();
        a.d.iter_mut().for_each(|x| *x *= t);
        let o = ok::<T>(&Op::Eig { right: true }, &[&a]);
        let w = cplx(&o[0]);
        for (x, y) in w.iter().zip(&w0) {
            assert!((x.0 - y.0 * t).abs() <= rel * t && x.1 == 0.0, "eig {w:?}");
        }
        let (res, dn) = eig_residual(&a, &w, &cplx(&o[1]));
        assert!(res <= rel * t && dn <= rel, "eig residual {res}, norm {dn}");
        let o = ok::<T>(
            &Op::Eigh {
                lower: true,
                vectors: true,
                subset: None,
            },
            &[&a],
        );
        let h: Vec<f64> = h0.d.iter().map(|x| x * t).collect();
        rel_close(&mat(&o[0]).d, &h, rel, "eigh");
    }
    // Diagonal similarity D·A·D⁻¹ with D = diag(1, 2^40, 2^-40, 2^20): the
    // same eigenvalues, which balancing recovers to working accuracy.
    let d = [1.0, 2f64.powi(40), 2f64.powi(-40), 2f64.powi(20)];
    let mut g = rng(21);
    let a = M::rand(&mut g, 4, 4);
    let mut b = a.clone();
    for i in 0..4 {
        for j in 0..4 {
            b.d[i * 4 + j] *= d[i] / d[j];
        }
    }
    let (wa, wb) = (
        cplx(&ok::<T>(&Op::Eig { right: false }, &[&a])[0]),
        cplx(&ok::<T>(&Op::Eig { right: true }, &[&b])[0]),
    );
    let t = tol::<T>(4) * 10.0;
    for (x, y) in wa.iter().zip(&wb) {
        assert!(
            (x.0 - y.0).abs() <= t && (x.1 - y.1).abs() <= t,
            "{wa:?} vs {wb:?}"
        );
    }
}
both!(eig_eigh_tiny_huge_badly_scaled, eig_out_of_range);

/// Found by the property tests (fixtures/scipy/generate_linalg.py,
/// BADLY_SCALED): without balancing, faer's eig gave an all-zero eigenvector
/// for the first and residuals of 2.2e-10 for the second.
#[test]
fn eig_badly_scaled_regressions() {
    type Entries = &'static [(usize, usize, f64)];
    let cases: [(usize, Entries); 2] = [
        (
            6,
            &[
                (1, 2, 2.3482643249263614e-86),
                (2, 0, 1.543766074928862e-05),
                (3, 5, 1.5239843084224313e-159),
                (4, 0, 2.6389804162737095e-83),
                (4, 1, -6.503519865179984e-21),
                (5, 4, 3.160696137306406e-154),
            ],
        ),
        (
            7,
            &[
                (0, 1, 0.9999999999999981),
                (0, 2, 4.566622325771135e-105),
                (0, 3, -2.7405145346620566e-05),
                (0, 4, 1.695383019333803e-119),
                (0, 6, -0.9999999999999996),
                (1, 0, -1.1230146498651108e-56),
                (1, 1, -3.5909022087883053e-147),
                (1, 2, -1.914416264352063e-45),
                (1, 3, 1.7812346679721162e-115),
                (1, 4, 5.892786943615811e-76),
                (1, 6, -1.9062124587201298e-115),
                (2, 0, -2.529269663916738e-39),
                (2, 3, 8.807359078110786e-196),
                (3, 1, 2.09131393498554e-105),
                (3, 2, -8.707645499001223e-29),
                (3, 5, -2.7947859812101383e-145),
                (3, 6, 1.802430036319718e-32),
                (4, 1, 5.5863314006751925e-195),
                (4, 2, 0.9999999999999998),
                (4, 3, -1.9329787610756354e-189),
                (4, 5, -1.331226911809029e-76),
                (4, 6, -8.276089115754848e-55),
                (5, 2, -1.850733514944018e-146),
                (5, 5, -3.2645682444068955e-133),
                (6, 1, -2.2040793524657393e-19),
                (6, 2, 3.420076192403832e-161),
                (6, 3, -1.515353901904749e-186),
                (6, 5, -7.212893088946819e-37),
            ],
        ),
    ];
    for (n, entries) in cases {
        let mut a = M::zeros(n, n);
        for &(i, j, v) in entries {
            a.d[i * n + j] = v;
        }
        let o = ok::<f64>(&Op::Eig { right: true }, &[&a]);
        let (res, dn) = eig_residual(&a, &cplx(&o[0]), &cplx(&o[1]));
        let norm2 = mat(&ok::<f64>(
            &Op::MatrixNorm {
                ord: MatrixOrd::Two,
                transpose: false,
            },
            &[&a],
        )[0])
        .d[0];
        assert!(
            res <= 4.0 * n as f64 * f64::EPSILON * norm2 && dn <= 1e-14,
            "n = {n}: residual {res}, |‖v‖ − 1| {dn}"
        );
    }
}

/// The LU paths at sizes where threads share work: row interchanges and
/// the recursion's triangular solves in slabs of at least 64 columns, many
/// right-hand sides (inv, a 200-column b) split among threads, Aᵀ factored
/// for solve, inv and det. Random matrices (not shifted: every column
/// pivots). On 1, 2 and 3 threads: residuals, A·inv(A) = I, det against
/// lu_factor's diagonal, every thread count agreeing with one thread; a
/// zero column j reports getrf's info j, as SciPy's LAPACK does.
fn lu_threads<T: Real>() {
    let mut g = rng(16);
    let n = 300;
    let a = M::rand(&mut g, n, n);
    let b1 = M::rand(&mut g, n, 1);
    let bm = M::rand(&mut g, n, 200);
    let t = tol::<T>(n) * 100.0;
    let (mut x_seq, mut inv_seq, mut det_seq) = (None, None, None);
    for threads in [1, 2, 3] {
        let par = Par::new(threads);
        for transposed in [false, true] {
            let op = Op::Solve {
                assume: Assume::Gen,
                lower: false,
                transposed,
            };
            let at = if transposed { a.t() } else { a.clone() };
            for b in [&b1, &bm] {
                let x = mat(&go::<T>(&op, &[&a, b], par).unwrap()[0]);
                close(&at.mul(&x), b, t, a.max_abs() * x.max_abs(), "A·x = b");
            }
        }
        let op = Op::Solve {
            assume: Assume::Gen,
            lower: false,
            transposed: false,
        };
        let x = mat(&go::<T>(&op, &[&a, &bm], par).unwrap()[0]);
        let inv = mat(&go::<T>(&Op::Inv, &[&a], par).unwrap()[0]);
        close(
            &a.mul(&inv),
            &M::eye(n),
            t,
            a.max_abs() * inv.max_abs(),
            "A·inv(A)",
        );
        let d = scal(&go::<T>(&Op::Det, &[&a], par).unwrap()[0]);
        let o = go::<T>(&Op::LuFactor, &[&a], par).unwrap();
        let (lu, piv) = (mat(&o[0]), ints(&o[1]));
        let (mut sign, mut logdet) = (1.0f64, 0.0f64);
        for i in 0..n {
            let u = lu.at(i, i);
            sign *= u.signum() * if piv[i] as usize != i { -1.0 } else { 1.0 };
            logdet += u.abs().ln();
        }
        let sl = go::<T>(&Op::Slogdet, &[&a], par).unwrap();
        assert_eq!(scal(&sl[0]), sign, "slogdet sign, {threads} threads");
        assert!(
            (scal(&sl[1]) - logdet).abs() <= t * logdet.abs().max(1.0),
            "logdet"
        );
        if logdet.abs() < 60.0 {
            let e = sign * logdet.exp();
            assert!(
                (d - e).abs() <= t * e.abs(),
                "det {d} vs {e}, {threads} threads"
            );
        }
        match (&x_seq, &inv_seq, det_seq) {
            (Some(x1), Some(i1), Some(d1)) => {
                close(&x, x1, t, x1.max_abs(), "solve vs one thread");
                close(&inv, i1, t, i1.max_abs(), "inv vs one thread");
                let d1: f64 = d1;
                // f32's det of a random 300 × 300 overflows: compare where finite.
                assert!(
                    !d1.is_finite() && d == d1 || (d - d1).abs() <= t * d1.abs(),
                    "det {d} vs one thread's {d1}"
                );
            }
            _ => (x_seq, inv_seq, det_seq) = (Some(x), Some(inv), Some(d)),
        }
        for j in [0, 1, 150, n - 1] {
            let mut z = a.clone();
            for i in 0..n {
                z.d[i * n + j] = 0.0;
            }
            for op in [op.clone(), Op::Inv] {
                let ins: Vec<&M> = if matches!(op, Op::Inv) {
                    vec![&z]
                } else {
                    vec![&z, &b1]
                };
                assert_eq!(
                    go::<T>(&op, &ins, par).unwrap_err(),
                    LinalgError::Singular { index: j },
                    "{op:?}, zero column {j}, {threads} threads"
                );
            }
            // (In f32 the other pivots' product overflows first: inf·0.)
            if !is_f32::<T>() {
                assert_eq!(scal(&go::<T>(&Op::Det, &[&z], par).unwrap()[0]), 0.0);
            }
        }
    }
}
both!(lu_paths_on_threads, lu_threads);

/// QR where threads share the trailing update (slabs of at least 64
/// columns after each 32-column panel): tall, square and wide inputs with a
/// zero and a repeated column, on 1, 2 and 3 threads. Q·R = A, QᵀQ = I, R
/// upper triangular, and the factors equal one thread's (each column sees the
/// same operations whatever slab it falls in).
fn qr_threads<T: Real>() {
    let mut g = rng(17);
    for (m, k) in [(400, 300), (300, 300), (200, 330)] {
        let mut a = M::rand(&mut g, m, k);
        for i in 0..m {
            a.d[i * k + 1] = 0.0;
            a.d[i * k + 2] = a.d[i * k];
        }
        let t = tol::<T>(m.max(k)) * 10.0;
        let one = go::<T>(&Op::Qr { mode: QrMode::Full }, &[&a], Par::SEQ).unwrap();
        for threads in [2, 3] {
            let o = go::<T>(&Op::Qr { mode: QrMode::Full }, &[&a], Par::new(threads)).unwrap();
            let (q, r) = (mat(&o[0]), mat(&o[1]));
            close(&q.t().mul(&q), &M::eye(m), t, 1.0, "QᵀQ");
            close(&q.mul(&r), &a, t, a.max_abs(), "QR");
            for i in 0..m {
                for j in 0..i.min(k) {
                    assert_eq!(r.at(i, j), 0.0);
                }
            }
            close(&r, &mat(&one[1]), t, a.max_abs(), "R vs one thread");
            close(&q, &mat(&one[0]), t, 1.0, "Q vs one thread");
        }
    }
}
both!(qr_on_threads, qr_threads);
