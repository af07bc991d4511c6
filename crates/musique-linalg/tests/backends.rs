//! The OpenBLAS backend checked two ways, f32 and f64, on seeded random
//! inputs of several sizes (0, 1, small, non-square where the op allows):
//! - `residual_*`: OpenBLAS alone against the mathematics (a x = b,
//!   u s vᵀ = a, orthonormality, ordering, error indices, ...);
//! - `cross_*`: OpenBLAS against faer on identical inputs: values equal
//!   within tolerance where the result is unique, structurally (columns up to
//!   sign, eigenvectors by residual) where it is not; the same errors.
#![cfg(feature = "openblas-system")]

use musique_linalg::{
    openblas, run_with, Assume, Backend, LinalgError, MatRef, MatrixOrd, Op, Output, Par, QrMode,
    Real,
};
use musique_testing::{Rng, SEED};

// ---------------------------------------------------------------- helpers

/// A row-major f64 matrix for checking.
#[derive(Debug, Clone)]
struct M {
    r: usize,
    c: usize,
    d: Vec<f64>,
}

impl M {
    fn at(&self, i: usize, j: usize) -> f64 {
        self.d[i * self.c + j]
    }
    fn t(&self) -> M {
        M {
            r: self.c,
            c: self.r,
            d: (0..self.c * self.r)
                .map(|k| self.at(k % self.r, k / self.r))
                .collect(),
        }
    }
    fn eye(n: usize) -> M {
        M {
            r: n,
            c: n,
            d: (0..n * n)
                .map(|k| if k / n == k % n { 1.0 } else { 0.0 })
                .collect(),
        }
    }
    fn mul(&self, b: &M) -> M {
        assert_eq!(self.c, b.r);
        let mut d = vec![0.0; self.r * b.c];
        for i in 0..self.r {
            for k in 0..self.c {
                let a = self.at(i, k);
                for j in 0..b.c {
                    d[i * b.c + j] += a * b.at(k, j);
                }
            }
        }
        M {
            r: self.r,
            c: b.c,
            d,
        }
    }
    fn col(&self, j: usize) -> Vec<f64> {
        (0..self.r).map(|i| self.at(i, j)).collect()
    }
}

fn tol<T: Real>() -> f64 {
    if Real::to_f64(T::EPS) > 1e-10 {
        2e-3
    } else {
        1e-9
    }
}

/// Inputs as T (exactly representable: drawn in f64, rounded once).
fn data<T: Real>(m: &M) -> Vec<T> {
    m.d.iter().map(|v| T::of_f64(*v)).collect()
}

/// The f64 values the T inputs really hold.
fn held<T: Real>(m: &M) -> M {
    M {
        r: m.r,
        c: m.c,
        d: data::<T>(m).iter().map(|v| Real::to_f64(*v)).collect(),
    }
}

fn random(rng: &mut Rng, r: usize, c: usize) -> M {
    M {
        r,
        c,
        d: rng.reals(r * c),
    }
}

/// Random plus n on the diagonal: well conditioned.
fn well(rng: &mut Rng, n: usize) -> M {
    let mut a = random(rng, n, n);
    for i in 0..n {
        a.d[i * n + i] += n as f64;
    }
    a
}

fn spd(rng: &mut Rng, n: usize) -> M {
    let b = random(rng, n, n);
    let mut a = b.mul(&b.t());
    for i in 0..n {
        a.d[i * n + i] += n as f64;
    }
    a
}

fn sym(rng: &mut Rng, n: usize) -> M {
    let b = random(rng, n, n);
    let mut a = b.clone();
    for i in 0..n {
        for j in 0..n {
            a.d[i * n + j] = b.at(i, j) + b.at(j, i);
        }
    }
    a
}

/// Keeps only the lower (or upper) triangle, filling the other with junk
/// that must not be read.
fn one_triangle(a: &M, lower: bool) -> M {
    let mut b = a.clone();
    for i in 0..a.r {
        for j in 0..a.c {
            if (lower && j > i) || (!lower && j < i) {
                b.d[i * a.c + j] = 1e3 + (i * 7 + j) as f64;
            }
        }
    }
    b
}

fn call<T: Real>(be: Backend, op: &Op, ins: &[&M]) -> Result<Vec<Output<T>>, LinalgError> {
    let ds: Vec<Vec<T>> = ins.iter().map(|m| data::<T>(m)).collect();
    let refs: Vec<MatRef<'_, T>> = ins
        .iter()
        .zip(&ds)
        .map(|(m, d)| MatRef::new(d, m.r, m.c))
        .collect();
    run_with(be, op, &refs, Par::SEQ)
}

fn ob<T: Real>(op: &Op, ins: &[&M]) -> Vec<Output<T>> {
    call::<T>(Backend::OpenBlas, op, ins)
        .unwrap_or_else(|e| panic!("openblas {op:?} ({}): {e:?}", std::any::type_name::<T>()))
}

fn fa<T: Real>(op: &Op, ins: &[&M]) -> Vec<Output<T>> {
    call::<T>(Backend::Faer, op, ins)
        .unwrap_or_else(|e| panic!("faer {op:?} ({}): {e:?}", std::any::type_name::<T>()))
}

/// A Real output as a matrix (vectors as a column, scalars 1×1).
fn mat<T: Real>(o: &Output<T>) -> M {
    match o {
        Output::Real { shape, data } => {
            let (r, c) = match shape.len() {
                0 => (1, 1),
                1 => (shape[0], 1),
                _ => (shape[0], shape[1]),
            };
            M {
                r,
                c,
                d: data.iter().map(|v| Real::to_f64(*v)).collect(),
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

fn int<T>(o: &Output<T>) -> Vec<i32> {
    match o {
        Output::Int { data, .. } => data.clone(),
        _ => panic!("expected an Int output"),
    }
}

fn complex<T: Real>(o: &Output<T>) -> Vec<(f64, f64)> {
    match o {
        Output::Complex { data, .. } => data
            .chunks(2)
            .map(|p| (Real::to_f64(p[0]), Real::to_f64(p[1])))
            .collect(),
        _ => panic!("expected a complex output"),
    }
}

#[track_caller]
fn close(a: &[f64], e: &[f64], tol: f64, what: &str) {
    assert_eq!(a.len(), e.len(), "{what}: lengths differ");
    let scale = e.iter().fold(1.0f64, |m, v| m.max(v.abs()));
    for (i, (x, y)) in a.iter().zip(e).enumerate() {
        let ok = (x - y).abs() <= tol * scale || x == y || (x.is_nan() && y.is_nan());
        assert!(
            ok,
            "{what}: index {i}: {x} vs {y} (tol {tol} x scale {scale})"
        );
    }
}

#[track_caller]
fn close_m(a: &M, e: &M, tol: f64, what: &str) {
    assert_eq!((a.r, a.c), (e.r, e.c), "{what}: shapes differ");
    close(&a.d, &e.d, tol, what);
}

/// qᵀq = I for the columns of q.
#[track_caller]
fn orthonormal_cols(q: &M, tol: f64, what: &str) {
    close_m(&q.t().mul(q), &M::eye(q.c), tol, what);
}

const SQUARE: [usize; 6] = [0, 1, 2, 5, 17, 48];
const RECT: [(usize, usize); 10] = [
    (0, 0),
    (0, 3),
    (3, 0),
    (1, 1),
    (1, 4),
    (4, 1),
    (7, 3),
    (3, 7),
    (6, 6),
    (40, 25),
];

macro_rules! both {
    ($($name:ident => $f:ident),* $(,)?) => {
        $(
            #[test]
            fn $name() {
                $f::<f64>();
                $f::<f32>();
            }
        )*
    };
}

// ------------------------------------------------ residual checks (OpenBLAS)

fn residual_solve<T: Real>() {
    let mut rng = Rng::new(SEED);
    let t = tol::<T>();
    for &n in &SQUARE {
        for k in [0, 1, 3] {
            let b = random(&mut rng, n, k);
            let bh = held::<T>(&b);
            let cases = [
                (Assume::Gen, well(&mut rng, n)),
                (Assume::Sym, sym(&mut rng, n)),
                (Assume::Pos, spd(&mut rng, n)),
            ];
            for (assume, a) in cases {
                for lower in [true, false] {
                    for transposed in [false, true] {
                        let input = if assume == Assume::Gen {
                            a.clone()
                        } else {
                            one_triangle(&a, lower)
                        };
                        let op = Op::Solve {
                            assume,
                            lower,
                            transposed,
                        };
                        let x = mat(&ob::<T>(&op, &[&input, &b])[0]);
                        assert_eq!((x.r, x.c), (n, k));
                        let ah = held::<T>(&a);
                        let ah = if transposed && assume == Assume::Gen {
                            ah.t()
                        } else {
                            ah
                        };
                        // Symmetric inputs: reconstruct the full matrix held.
                        let lhs = ah.mul(&x);
                        let tol = if assume == Assume::Sym {
                            t * 10.0 * n.max(1) as f64
                        } else {
                            t
                        };
                        close_m(&lhs, &bh, tol, &format!("{op:?} n={n} k={k}"));
                    }
                }
            }
        }
    }
}

fn residual_triangular<T: Real>() {
    let mut rng = Rng::new(SEED + 1);
    for &n in &SQUARE {
        let b = random(&mut rng, n, 2);
        for lower in [true, false] {
            for trans in [0u8, 1, 2] {
                for unit in [false, true] {
                    let mut a = well(&mut rng, n);
                    for i in 0..n {
                        for j in 0..n {
                            if (lower && j > i) || (!lower && j < i) {
                                a.d[i * n + j] = 0.0;
                            }
                        }
                    }
                    let input = {
                        let mut x = one_triangle(&a, lower);
                        if unit {
                            for i in 0..n {
                                x.d[i * n + i] = 7.0; // not read
                            }
                        }
                        x
                    };
                    let mut ah = held::<T>(&a);
                    if unit {
                        for i in 0..n {
                            ah.d[i * n + i] = 1.0;
                        }
                    }
                    let op = Op::SolveTriangular {
                        lower,
                        trans,
                        unit_diagonal: unit,
                    };
                    let x = mat(&ob::<T>(&op, &[&input, &b])[0]);
                    let lhs = if trans == 0 {
                        ah.mul(&x)
                    } else {
                        ah.t().mul(&x)
                    };
                    close_m(
                        &lhs,
                        &held::<T>(&b),
                        tol::<T>() * 10.0,
                        &format!("{op:?} n={n}"),
                    );
                }
            }
        }
    }
}

fn residual_inv_det<T: Real>() {
    let mut rng = Rng::new(SEED + 2);
    let t = tol::<T>();
    for &n in &SQUARE {
        let a = well(&mut rng, n);
        let ah = held::<T>(&a);
        let inv = mat(&ob::<T>(&Op::Inv, &[&a])[0]);
        close_m(&ah.mul(&inv), &M::eye(n), t, "a inv(a)");
        // det of l u with known factors: det(a) = det via slogdet agree;
        // det(triangular) = product of the diagonal.
        let det = mat(&ob::<T>(&Op::Det, &[&a])[0]).d[0];
        let sl = ob::<T>(&Op::Slogdet, &[&a]);
        let (sign, logabs) = (mat(&sl[0]).d[0], mat(&sl[1]).d[0]);
        assert_eq!(shape(&sl[0]), Vec::<usize>::new());
        if det.is_finite() {
            close(&[det], &[sign * logabs.exp()], t * 10.0, "det vs slogdet");
        } else {
            // Overflows T (48^48 in f32) while its logarithm does not.
            assert!(
                logabs > Real::to_f64(T::max_value()).ln(),
                "det {det}, log {logabs}"
            );
        }
        let mut tri = a.clone();
        let mut prod = 1.0;
        for i in 0..n {
            for j in 0..i {
                tri.d[i * n + j] = 0.0;
            }
            prod *= held::<T>(&tri).at(i, i);
        }
        let dt = mat(&ob::<T>(&Op::Det, &[&tri])[0]).d[0];
        // In T's range (inf where T overflows, as SciPy's float32 det).
        let prod = Real::to_f64(T::of_f64(prod));
        close(&[dt], &[prod], t, "det of a triangular matrix");
        // A row swap flips the sign.
        if n >= 2 {
            let mut sw = a.clone();
            for j in 0..n {
                sw.d.swap(j, n + j);
            }
            let ds = mat(&ob::<T>(&Op::Det, &[&sw])[0]).d[0];
            close(&[ds], &[-det], t * 10.0, "det after a row swap");
        }
    }
    // Singular: det 0, slogdet (0, -inf).
    let z = M {
        r: 3,
        c: 3,
        d: vec![1.0, 2.0, 3.0, 2.0, 4.0, 6.0, 1.0, 0.0, 1.0],
    };
    assert_eq!(mat(&ob::<T>(&Op::Det, &[&z])[0]).d[0], 0.0);
    let sl = ob::<T>(&Op::Slogdet, &[&z]);
    assert_eq!(
        (mat(&sl[0]).d[0], mat(&sl[1]).d[0]),
        (0.0, f64::NEG_INFINITY)
    );
}

fn residual_lstsq_pinv<T: Real>() {
    let mut rng = Rng::new(SEED + 3);
    let t = tol::<T>();
    for &(m, n) in &RECT {
        let a = random(&mut rng, m, n);
        let b = random(&mut rng, m, 2);
        let (ah, bh) = (held::<T>(&a), held::<T>(&b));
        let out = ob::<T>(&Op::Lstsq { cond: None }, &[&a, &b]);
        let x = mat(&out[0]);
        assert_eq!((x.r, x.c), (n, 2));
        let rank = int(&out[2])[0] as usize;
        let s = mat(&out[3]);
        assert_eq!(s.r, if m == 0 || n == 0 { 0 } else { m.min(n) });
        if m > 0 && n > 0 {
            assert_eq!(rank, m.min(n), "random a has full rank");
        }
        // Normal equations: aᵀ (a x − b) = 0.
        let mut r = ah.mul(&x);
        for (v, w) in r.d.iter_mut().zip(&bh.d) {
            *v -= w;
        }
        close_m(
            &ah.t().mul(&r),
            &M {
                r: n,
                c: 2,
                d: vec![0.0; n * 2],
            },
            t * 10.0,
            "normal equations",
        );
        let res = mat(&out[1]);
        if m > n && rank == n {
            let want: Vec<f64> = (0..2)
                .map(|j| r.col(j).iter().map(|v| v * v).sum())
                .collect();
            close(&res.d, &want, t * 10.0, "residues");
        } else if n == 0 {
            assert_eq!(res.r, 2);
        } else {
            assert_eq!(res.r, 0);
        }
        // pinv: a p a = a, p a p = p, shape n×m.
        let p = mat(&ob::<T>(
            &Op::Pinv {
                atol: None,
                rtol: None,
            },
            &[&a],
        )[0]);
        assert_eq!((p.r, p.c), (n, m));
        close_m(&ah.mul(&p).mul(&ah), &ah, t * 10.0, "a pinv(a) a");
        close_m(&p.mul(&ah).mul(&p), &p, t * 10.0, "pinv(a) a pinv(a)");
    }
    // Rank-deficient: cond cuts the small singular value.
    let a = M {
        r: 3,
        c: 2,
        d: vec![1.0, 2.0, 2.0, 4.0, 3.0, 6.0],
    };
    let b = M {
        r: 3,
        c: 1,
        d: vec![1.0, 2.0, 3.0],
    };
    let out = ob::<T>(&Op::Lstsq { cond: Some(1e-3) }, &[&a, &b]);
    assert_eq!(int(&out[2]), vec![1]);
    assert_eq!(shape(&out[1]), vec![0]);
    // Minimum-norm solution of a x = b: x = (1, 2) / 5.
    close(&mat(&out[0]).d, &[0.2, 0.4], t * 10.0, "minimum-norm x");
}

fn residual_svd<T: Real>() {
    let mut rng = Rng::new(SEED + 4);
    let t = tol::<T>();
    for &(m, n) in &RECT {
        let a = random(&mut rng, m, n);
        let ah = held::<T>(&a);
        let k = m.min(n);
        for full in [false, true] {
            let out = ob::<T>(
                &Op::Svd {
                    full_matrices: full,
                    compute_uv: true,
                },
                &[&a],
            );
            let (u, s, vt) = (mat(&out[0]), mat(&out[1]), mat(&out[2]));
            let (uc, vr) = if full { (m, n) } else { (k, k) };
            assert_eq!((u.r, u.c, s.r, vt.r, vt.c), (m, uc, k, vr, n), "svd shapes");
            assert!(s.d.windows(2).all(|w| w[0] >= w[1]), "s descending");
            orthonormal_cols(&u, t, "u");
            orthonormal_cols(&vt.t(), t, "v");
            let mut us = M {
                r: m,
                c: k,
                d: vec![0.0; m * k],
            };
            for i in 0..m {
                for j in 0..k {
                    us.d[i * k + j] = u.at(i, j) * s.d[j];
                }
            }
            let vk = M {
                r: k,
                c: n,
                d: vt.d[..k * n].to_vec(),
            };
            close_m(&us.mul(&vk), &ah, t * 10.0, "u s vh");
        }
        let only = ob::<T>(
            &Op::Svd {
                full_matrices: false,
                compute_uv: false,
            },
            &[&a],
        );
        assert_eq!(only.len(), 1);
        let s_full = mat(&ob::<T>(
            &Op::Svd {
                full_matrices: false,
                compute_uv: true,
            },
            &[&a],
        )[1]);
        close(&mat(&only[0]).d, &s_full.d, t, "s without u, v");
        // Norms and rank from the same singular values.
        if k > 0 {
            let two = mat(&ob::<T>(
                &Op::MatrixNorm {
                    ord: MatrixOrd::Two,
                    transpose: false,
                },
                &[&a],
            )[0]);
            close(&two.d, &[s_full.d[0]], t, "2-norm");
            let nuc = mat(&ob::<T>(
                &Op::MatrixNorm {
                    ord: MatrixOrd::Nuc,
                    transpose: true,
                },
                &[&a],
            )[0]);
            close(&nuc.d, &[s_full.d.iter().sum()], t, "nuclear norm");
            let rank = int(&ob::<T>(&Op::MatrixRank { tol: None }, &[&a])[0]);
            assert_eq!(rank, vec![k as i32]);
        }
    }
    // Rank 1.
    let a = M {
        r: 3,
        c: 3,
        d: vec![1.0, 2.0, 3.0, 2.0, 4.0, 6.0, -1.0, -2.0, -3.0],
    };
    assert_eq!(
        int(&ob::<T>(&Op::MatrixRank { tol: None }, &[&a])[0]),
        vec![1]
    );
    assert_eq!(
        int(&ob::<T>(&Op::MatrixRank { tol: Some(100.0) }, &[&a])[0]),
        vec![0]
    );
}

fn residual_eig<T: Real>() {
    let mut rng = Rng::new(SEED + 5);
    let t = tol::<T>();
    for &n in &SQUARE {
        let a = random(&mut rng, n, n);
        let ah = held::<T>(&a);
        let out = ob::<T>(&Op::Eig { right: true }, &[&a]);
        let (w, v) = (complex(&out[0]), complex(&out[1]));
        assert_eq!((shape(&out[0]), shape(&out[1])), (vec![n], vec![n, n]));
        // A v_j = w_j v_j, ‖v_j‖ = 1.
        for j in 0..n {
            let norm: f64 = (0..n)
                .map(|i| v[i * n + j].0.powi(2) + v[i * n + j].1.powi(2))
                .sum();
            close(&[norm], &[1.0], t, "unit eigenvector");
            for i in 0..n {
                let (mut re, mut im) = (0.0, 0.0);
                for k in 0..n {
                    re += ah.at(i, k) * v[k * n + j].0;
                    im += ah.at(i, k) * v[k * n + j].1;
                }
                let (wr, wi) = w[j];
                let (vr, vi) = v[i * n + j];
                close(
                    &[re, im],
                    &[wr * vr - wi * vi, wr * vi + wi * vr],
                    t * 10.0 * n as f64,
                    "A v = w v",
                );
            }
        }
        let only = ob::<T>(&Op::Eig { right: false }, &[&a]);
        assert_eq!(only.len(), 1);
        let w2 = complex(&only[0]);
        let flat = |w: &[(f64, f64)]| w.iter().flat_map(|p| [p.0, p.1]).collect::<Vec<_>>();
        close(
            &flat(&sorted(w2)),
            &flat(&sorted(w)),
            t * 10.0,
            "eigenvalues without vectors",
        );
    }
}

fn sorted(mut w: Vec<(f64, f64)>) -> Vec<(f64, f64)> {
    w.sort_by(|a, b| {
        a.0.partial_cmp(&b.0)
            .unwrap()
            .then(a.1.partial_cmp(&b.1).unwrap())
    });
    w
}

fn residual_eigh<T: Real>() {
    let mut rng = Rng::new(SEED + 6);
    let t = tol::<T>();
    for &n in &SQUARE {
        let a = sym(&mut rng, n);
        let ah = held::<T>(&a);
        for lower in [true, false] {
            let input = one_triangle(&a, lower);
            let out = ob::<T>(
                &Op::Eigh {
                    lower,
                    vectors: true,
                    subset: None,
                },
                &[&input],
            );
            let (w, v) = (mat(&out[0]), mat(&out[1]));
            assert!(w.d.windows(2).all(|p| p[0] <= p[1]), "ascending");
            orthonormal_cols(&v, t, "eigh v");
            let av = ah.mul(&v);
            let mut vw = v.clone();
            for i in 0..n {
                for j in 0..n {
                    vw.d[i * n + j] *= w.d[j];
                }
            }
            close_m(&av, &vw, t * 10.0, "A v = v w");
            let only = ob::<T>(
                &Op::Eigh {
                    lower,
                    vectors: false,
                    subset: None,
                },
                &[&input],
            );
            close(&mat(&only[0]).d, &w.d, t, "eigvalsh");
            if n >= 2 {
                let (lo, hi) = (1, n - 1);
                let sub = ob::<T>(
                    &Op::Eigh {
                        lower,
                        vectors: true,
                        subset: Some((lo, hi)),
                    },
                    &[&input],
                );
                close(&mat(&sub[0]).d, &w.d[lo..=hi], t, "subset eigenvalues");
                let vs = mat(&sub[1]);
                assert_eq!((vs.r, vs.c), (n, hi - lo + 1));
                for (c, j) in (lo..=hi).enumerate() {
                    let (x, y) = (vs.col(c), v.col(j));
                    let d: f64 = x.iter().zip(&y).map(|(p, q)| p * q).sum();
                    close(
                        &[d.abs()],
                        &[1.0],
                        t * 10.0,
                        "subset vector = ± full vector",
                    );
                }
            }
        }
    }
}

fn residual_qr<T: Real>() {
    let mut rng = Rng::new(SEED + 7);
    let t = tol::<T>();
    for &(m, n) in &RECT {
        let a = random(&mut rng, m, n);
        let ah = held::<T>(&a);
        let k = m.min(n);
        for mode in [QrMode::Full, QrMode::Economic] {
            let out = ob::<T>(&Op::Qr { mode }, &[&a]);
            let (q, r) = (mat(&out[0]), mat(&out[1]));
            let qc = if mode == QrMode::Full { m } else { k };
            assert_eq!((q.r, q.c, r.r, r.c), (m, qc, qc, n), "{mode:?} shapes");
            orthonormal_cols(&q, t, "q");
            for i in 0..r.r {
                for j in 0..i.min(n) {
                    assert_eq!(r.at(i, j), 0.0, "r upper triangular");
                }
            }
            close_m(&q.mul(&r), &ah, t * 10.0, "q r");
        }
        let only = ob::<T>(&Op::Qr { mode: QrMode::R }, &[&a]);
        assert_eq!(only.len(), 1);
        let full_r = mat(&ob::<T>(&Op::Qr { mode: QrMode::Full }, &[&a])[1]);
        close_m(&mat(&only[0]), &full_r, t, "mode r");
    }
}

fn residual_lu<T: Real>() {
    let mut rng = Rng::new(SEED + 8);
    let t = tol::<T>();
    for &(m, n) in &RECT {
        let a = random(&mut rng, m, n);
        let ah = held::<T>(&a);
        let k = m.min(n);
        let out = ob::<T>(
            &Op::Lu {
                permute_l: false,
                p_indices: false,
            },
            &[&a],
        );
        let (p, l, u) = (mat(&out[0]), mat(&out[1]), mat(&out[2]));
        // p is 0×0 for an empty a, as SciPy returns it.
        let pm = if k == 0 { 0 } else { m };
        assert_eq!((p.r, p.c, l.r, l.c, u.r, u.c), (pm, pm, m, k, k, n));
        if k > 0 {
            close_m(&p.mul(&l).mul(&u), &ah, t * 10.0, "p l u");
            orthonormal_cols(&p, 0.0, "p is a permutation");
        }
        for i in 0..m {
            for j in 0..k {
                if j == i {
                    assert_eq!(l.at(i, j), 1.0);
                } else if j > i {
                    assert_eq!(l.at(i, j), 0.0);
                } else {
                    assert!(l.at(i, j).abs() <= 1.0, "partial pivoting bounds l");
                }
            }
        }
        let pl = ob::<T>(
            &Op::Lu {
                permute_l: true,
                p_indices: false,
            },
            &[&a],
        );
        assert_eq!(pl.len(), 2);
        if k > 0 {
            close_m(&mat(&pl[0]), &p.mul(&l), 0.0, "permute_l");
        }
        // lu_factor / lu_solve.
        if m == n {
            let a = well(&mut rng, n);
            let ah = held::<T>(&a);
            let f = ob::<T>(&Op::LuFactor, &[&a]);
            let lu = mat(&f[0]);
            let piv = int(&f[1]);
            assert_eq!(piv.len(), n);
            for (i, p) in piv.iter().enumerate() {
                assert!(
                    *p as usize >= i && (*p as usize) < n,
                    "0-based LAPACK pivots"
                );
            }
            let pivm = M {
                r: n,
                c: 1,
                d: piv.iter().map(|v| *v as f64).collect(),
            };
            let b = random(&mut rng, n, 3);
            for trans in [0u8, 1] {
                let x = mat(&ob::<T>(&Op::LuSolve { trans }, &[&lu, &pivm, &b])[0]);
                let lhs = if trans == 0 {
                    ah.mul(&x)
                } else {
                    ah.t().mul(&x)
                };
                close_m(&lhs, &held::<T>(&b), t * 10.0, "lu_solve");
            }
        }
    }
}

fn residual_cholesky<T: Real>() {
    let mut rng = Rng::new(SEED + 9);
    let t = tol::<T>();
    for &n in &SQUARE {
        let a = spd(&mut rng, n);
        let ah = held::<T>(&a);
        let b = random(&mut rng, n, 2);
        for lower in [true, false] {
            let c = mat(&ob::<T>(&Op::Cholesky { lower }, &[&one_triangle(&a, lower)])[0]);
            for i in 0..n {
                for j in 0..n {
                    if (lower && j > i) || (!lower && j < i) {
                        assert_eq!(c.at(i, j), 0.0, "other triangle zero");
                    }
                }
            }
            let back = if lower { c.mul(&c.t()) } else { c.t().mul(&c) };
            close_m(&back, &ah, t, "c cᵀ");
            let x = mat(&ob::<T>(&Op::ChoSolve { lower }, &[&c, &b])[0]);
            close_m(&ah.mul(&x), &held::<T>(&b), t * 10.0, "cho_solve");
        }
    }
}

fn residual_matmul_norms<T: Real>() {
    let mut rng = Rng::new(SEED + 10);
    let t = tol::<T>();
    for &(m, k) in &RECT {
        for n in [0, 1, 5, 33] {
            let (a, b) = (random(&mut rng, m, k), random(&mut rng, k, n));
            let c = mat(&ob::<T>(&Op::Matmul, &[&a, &b])[0]);
            close_m(&c, &held::<T>(&a).mul(&held::<T>(&b)), t, "matmul");
        }
        let a = held::<T>(&random(&mut rng, m, k));
        for transpose in [false, true] {
            let x = if transpose { a.t() } else { a.clone() };
            let colsums: Vec<f64> = (0..x.c)
                .map(|j| x.col(j).iter().map(|v| v.abs()).sum())
                .collect();
            let rowsums: Vec<f64> = (0..x.r)
                .map(|i| x.d[i * x.c..(i + 1) * x.c].iter().map(|v| v.abs()).sum())
                .collect();
            let mx = |v: &[f64]| {
                if v.is_empty() || x.d.is_empty() {
                    0.0
                } else {
                    v.iter().cloned().fold(f64::MIN, f64::max)
                }
            };
            let mn = |v: &[f64]| {
                if v.is_empty() || x.d.is_empty() {
                    0.0
                } else {
                    v.iter().cloned().fold(f64::MAX, f64::min)
                }
            };
            let fro = x.d.iter().map(|v| v * v).sum::<f64>().sqrt();
            for (ord, want) in [
                (MatrixOrd::Fro, fro),
                (MatrixOrd::One, mx(&colsums)),
                (MatrixOrd::NegOne, mn(&colsums)),
                (MatrixOrd::Inf, mx(&rowsums)),
                (MatrixOrd::NegInf, mn(&rowsums)),
            ] {
                let got = mat(&ob::<T>(&Op::MatrixNorm { ord, transpose }, &[&a])[0]);
                assert_eq!(
                    shape(&ob::<T>(&Op::MatrixNorm { ord, transpose }, &[&a])[0]),
                    Vec::<usize>::new()
                );
                close(
                    &got.d,
                    &[want],
                    t,
                    &format!("{ord:?} transpose={transpose} {m}x{k}"),
                );
            }
        }
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
            let vn = |v: &[f64]| -> f64 {
                if ord == f64::INFINITY {
                    v.iter().fold(0.0, |a, x| a.max(x.abs()))
                } else if ord == f64::NEG_INFINITY {
                    v.iter().fold(f64::INFINITY, |a, x| a.min(x.abs()))
                } else if ord == 0.0 {
                    v.iter().filter(|x| **x != 0.0).count() as f64
                } else {
                    v.iter()
                        .map(|x| x.abs().powf(ord))
                        .sum::<f64>()
                        .powf(1.0 / ord)
                }
            };
            let all = mat(&ob::<T>(&Op::VectorNorm { ord, axis: None }, &[&a])[0]);
            if !a.d.is_empty() {
                close(&all.d, &[vn(&a.d)], t, "vector norm, all");
            }
            let cols = mat(&ob::<T>(&Op::VectorNorm { ord, axis: Some(0) }, &[&a])[0]);
            let want: Vec<f64> = (0..k).map(|j| vn(&a.col(j))).collect();
            if m > 0 {
                close(&cols.d, &want, t, "vector norm, axis 0");
            }
            assert_eq!(cols.r, k);
            let rows = mat(&ob::<T>(&Op::VectorNorm { ord, axis: Some(1) }, &[&a])[0]);
            assert_eq!(rows.r, m);
        }
    }
}

fn residual_cond<T: Real>() {
    let mut rng = Rng::new(SEED + 11);
    let t = tol::<T>();
    for &n in &SQUARE[1..] {
        let a = well(&mut rng, n);
        let s = mat(&ob::<T>(
            &Op::Svd {
                full_matrices: false,
                compute_uv: false,
            },
            &[&a],
        )[0]);
        let c2 = mat(&ob::<T>(&Op::Cond { p: None }, &[&a])[0]).d[0];
        close(&[c2], &[s.d[0] / s.d[n - 1]], t, "cond 2");
        let inv = mat(&ob::<T>(&Op::Inv, &[&a])[0]);
        for ord in [
            MatrixOrd::Fro,
            MatrixOrd::One,
            MatrixOrd::Inf,
            MatrixOrd::NegOne,
        ] {
            let na = mat(&ob::<T>(
                &Op::MatrixNorm {
                    ord,
                    transpose: false,
                },
                &[&a],
            )[0])
            .d[0];
            let ni = mat(&ob::<T>(
                &Op::MatrixNorm {
                    ord,
                    transpose: false,
                },
                &[&inv],
            )[0])
            .d[0];
            let c = mat(&ob::<T>(&Op::Cond { p: Some(ord) }, &[&a])[0]).d[0];
            close(&[c], &[na * ni], t * 10.0, "cond p");
        }
    }
    let z = M {
        r: 2,
        c: 2,
        d: vec![1.0, 2.0, 2.0, 4.0],
    };
    let c = mat(&ob::<T>(
        &Op::Cond {
            p: Some(MatrixOrd::One),
        },
        &[&z],
    )[0])
    .d[0];
    assert_eq!(c, f64::INFINITY);
}

fn errors_openblas<T: Real>() {
    let mut rng = Rng::new(SEED + 12);
    for &n in &[1usize, 4, 9] {
        for j in 0..n {
            // Column j zero: the j-th pivot of partial-pivoting LU is zero.
            let mut a = random(&mut rng, n, n);
            for i in 0..n {
                a.d[i * n + j] = 0.0;
            }
            let b = random(&mut rng, n, 1);
            let want = Err(LinalgError::Singular { index: j });
            let op = Op::Solve {
                assume: Assume::Gen,
                lower: false,
                transposed: false,
            };
            assert_eq!(
                call::<T>(Backend::OpenBlas, &op, &[&a, &b]).map(|_| ()),
                want
            );
            assert_eq!(
                call::<T>(Backend::OpenBlas, &Op::Inv, &[&a]).map(|_| ()),
                want
            );
            // lu_factor returns the singular factor; lu_solve reports it.
            let f = ob::<T>(&Op::LuFactor, &[&a]);
            let pivm = M {
                r: n,
                c: 1,
                d: int(&f[1]).iter().map(|v| *v as f64).collect(),
            };
            let got = call::<T>(
                Backend::OpenBlas,
                &Op::LuSolve { trans: 0 },
                &[&mat(&f[0]), &pivm, &b],
            );
            assert_eq!(got.map(|_| ()), want);
            // Triangular with a zero diagonal at j.
            let mut tr = well(&mut rng, n);
            tr.d[j * n + j] = 0.0;
            let op = Op::SolveTriangular {
                lower: true,
                trans: 0,
                unit_diagonal: false,
            };
            assert_eq!(
                call::<T>(Backend::OpenBlas, &op, &[&tr, &b]).map(|_| ()),
                want
            );
            let op = Op::SolveTriangular {
                lower: true,
                trans: 0,
                unit_diagonal: true,
            };
            assert!(
                call::<T>(Backend::OpenBlas, &op, &[&tr, &b]).is_ok(),
                "unit diagonal is not read"
            );
            // Symmetric: diagonal with a zero at j.
            let mut d = M {
                r: n,
                c: n,
                d: vec![0.0; n * n],
            };
            for i in 0..n {
                d.d[i * n + i] = if i == j { 0.0 } else { 1.0 + i as f64 };
            }
            for lower in [true, false] {
                let op = Op::Solve {
                    assume: Assume::Sym,
                    lower,
                    transposed: false,
                };
                assert_eq!(
                    call::<T>(Backend::OpenBlas, &op, &[&d, &b]).map(|_| ()),
                    want
                );
            }
            // Not positive definite from the leading minor of order j + 1.
            let mut p = spd(&mut rng, n);
            p.d[j * n + j] = -1.0;
            let want = Err(LinalgError::NotPositiveDefinite { index: j });
            for lower in [true, false] {
                assert_eq!(
                    call::<T>(Backend::OpenBlas, &Op::Cholesky { lower }, &[&p]).map(|_| ()),
                    want
                );
                // solve reports a failed potrf as singular, as SciPy 1.17 does.
                let op = Op::Solve {
                    assume: Assume::Pos,
                    lower,
                    transposed: false,
                };
                assert_eq!(
                    call::<T>(Backend::OpenBlas, &op, &[&p, &b]).map(|_| ()),
                    Err(LinalgError::Singular { index: j })
                );
            }
        }
    }
    // Wrong input counts are caller bugs.
    let a = random(&mut rng, 2, 2);
    assert!(matches!(
        call::<T>(Backend::OpenBlas, &Op::Matmul, &[&a]),
        Err(LinalgError::Invalid(_))
    ));
}

both! {
    residual_solve_f64_f32 => residual_solve,
    residual_triangular_f64_f32 => residual_triangular,
    residual_inv_det_f64_f32 => residual_inv_det,
    residual_lstsq_pinv_f64_f32 => residual_lstsq_pinv,
    residual_svd_f64_f32 => residual_svd,
    residual_eig_f64_f32 => residual_eig,
    residual_eigh_f64_f32 => residual_eigh,
    residual_qr_f64_f32 => residual_qr,
    residual_lu_f64_f32 => residual_lu,
    residual_cholesky_f64_f32 => residual_cholesky,
    residual_matmul_norms_f64_f32 => residual_matmul_norms,
    residual_cond_f64_f32 => residual_cond,
    errors_openblas_f64_f32 => errors_openblas,
}

#[test]
fn version_and_threads() {
    let v = openblas::version();
    assert!(
        v.chars().next().is_some_and(|c| c.is_ascii_digit()),
        "version {v:?}"
    );
    assert!(
        openblas::config().starts_with("OpenBLAS"),
        "{}",
        openblas::config()
    );
    assert_eq!(Backend::OpenBlas.internal_api(), "openblas");
    assert_eq!(Backend::OpenBlas.version(), v);
    // Any thread count gives the same answer (to rounding).
    let mut rng = Rng::new(SEED + 13);
    let (a, b) = (random(&mut rng, 300, 300), random(&mut rng, 300, 300));
    let ds: Vec<Vec<f64>> = vec![a.d.clone(), b.d.clone()];
    let refs = [MatRef::new(&ds[0], 300, 300), MatRef::new(&ds[1], 300, 300)];
    let one = run_with(Backend::OpenBlas, &Op::Matmul, &refs, Par::SEQ).unwrap();
    let four = run_with(Backend::OpenBlas, &Op::Matmul, &refs, Par::new(4)).unwrap();
    close(&mat(&one[0]).d, &mat(&four[0]).d, 1e-12, "threads");
}

// ------------------------------------------------- cross-checks (vs faer)

/// Unique results: equal within tolerance, shapes and kinds identical.
#[track_caller]
fn same<T: Real>(o: &[Output<T>], f: &[Output<T>], t: f64, what: &str) {
    assert_eq!(o.len(), f.len(), "{what}: output counts");
    for (i, (x, y)) in o.iter().zip(f).enumerate() {
        assert_eq!(shape(x), shape(y), "{what}: output {i} shape");
        match (x, y) {
            (Output::Int { data: a, .. }, Output::Int { data: b, .. }) => {
                assert_eq!(a, b, "{what}: output {i}")
            }
            (Output::Real { .. }, Output::Real { .. }) => {
                close(&mat(x).d, &mat(y).d, t, &format!("{what}: output {i}"))
            }
            _ => panic!("{what}: output {i} kinds differ: {x:?} vs {y:?}"),
        }
    }
}

/// Columns `0..k` of a and b equal up to one sign per column; returns the signs.
#[track_caller]
fn same_cols_up_to_sign(a: &M, b: &M, k: usize, t: f64, what: &str) -> Vec<f64> {
    assert_eq!((a.r, a.c), (b.r, b.c), "{what}: shapes");
    (0..k)
        .map(|j| {
            let (x, y) = (a.col(j), b.col(j));
            let dot: f64 = x.iter().zip(&y).map(|(p, q)| p * q).sum();
            let s = if dot < 0.0 { -1.0 } else { 1.0 };
            let ys: Vec<f64> = y.iter().map(|v| v * s).collect();
            close(&x, &ys, t, &format!("{what}: column {j}"));
            s
        })
        .collect()
}

fn cross_solve<T: Real>() {
    let mut rng = Rng::new(SEED + 20);
    let t = tol::<T>() * 10.0;
    for &n in &SQUARE {
        for k in [0, 1, 4] {
            let b = random(&mut rng, n, k);
            for (assume, a) in [
                (Assume::Gen, well(&mut rng, n)),
                (Assume::Sym, sym(&mut rng, n)),
                (Assume::Pos, spd(&mut rng, n)),
            ] {
                for lower in [true, false] {
                    for transposed in [false, true] {
                        let a = if assume == Assume::Gen {
                            a.clone()
                        } else {
                            one_triangle(&a, lower)
                        };
                        let op = Op::Solve {
                            assume,
                            lower,
                            transposed,
                        };
                        // Symmetric indefinite systems can be ill-conditioned.
                        let t = if assume == Assume::Sym { t * 100.0 } else { t };
                        same(
                            &ob::<T>(&op, &[&a, &b]),
                            &fa::<T>(&op, &[&a, &b]),
                            t,
                            &format!("{op:?} n={n}"),
                        );
                    }
                }
            }
            for lower in [true, false] {
                for trans in [0u8, 1] {
                    for unit_diagonal in [false, true] {
                        let a = well(&mut rng, n);
                        let op = Op::SolveTriangular {
                            lower,
                            trans,
                            unit_diagonal,
                        };
                        same(
                            &ob::<T>(&op, &[&a, &b]),
                            &fa::<T>(&op, &[&a, &b]),
                            t,
                            &format!("{op:?}"),
                        );
                    }
                }
            }
            let c = spd(&mut rng, n);
            for lower in [true, false] {
                let f = mat(&ob::<T>(&Op::Cholesky { lower }, &[&c])[0]);
                let op = Op::ChoSolve { lower };
                same(
                    &ob::<T>(&op, &[&f, &b]),
                    &fa::<T>(&op, &[&f, &b]),
                    t,
                    "cho_solve",
                );
            }
        }
    }
}

fn cross_inv_det_norms<T: Real>() {
    let mut rng = Rng::new(SEED + 21);
    let t = tol::<T>() * 10.0;
    for &n in &SQUARE {
        let a = well(&mut rng, n);
        let mut ops = vec![Op::Inv, Op::Det, Op::Slogdet, Op::Expm];
        if n > 0 {
            ops.push(Op::Cond { p: None });
            for p in [
                MatrixOrd::Fro,
                MatrixOrd::Nuc,
                MatrixOrd::One,
                MatrixOrd::NegOne,
                MatrixOrd::Inf,
                MatrixOrd::NegInf,
                MatrixOrd::Two,
                MatrixOrd::NegTwo,
            ] {
                ops.push(Op::Cond { p: Some(p) });
            }
        }
        // expm of a scaled-down matrix (its entries stay moderate).
        let small = M {
            r: n,
            c: n,
            d: a.d.iter().map(|v| v / (n.max(1) as f64)).collect(),
        };
        for op in &ops {
            let input = if *op == Op::Expm { &small } else { &a };
            let (o, f) = (ob::<T>(op, &[input]), fa::<T>(op, &[input]));
            // det grows like n^n: compare relatively.
            same(&o, &f, t * 10.0, &format!("{op:?} n={n}"));
        }
    }
    for &(m, n) in &RECT {
        let a = random(&mut rng, m, n);
        let mut ops = vec![
            Op::MatrixRank { tol: None },
            Op::MatrixRank { tol: Some(0.5) },
        ];
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
            for transpose in [false, true] {
                ops.push(Op::MatrixNorm { ord, transpose });
            }
        }
        if m > 0 && n > 0 {
            for ord in [f64::INFINITY, f64::NEG_INFINITY, 0.0, 1.0, 2.0, 3.5, -2.0] {
                for axis in [None, Some(0), Some(1)] {
                    ops.push(Op::VectorNorm { ord, axis });
                }
            }
        }
        for op in &ops {
            same(
                &ob::<T>(op, &[&a]),
                &fa::<T>(op, &[&a]),
                t,
                &format!("{op:?} {m}x{n}"),
            );
        }
        for k in [0, 3] {
            let b = random(&mut rng, n, k);
            same(
                &ob::<T>(&Op::Matmul, &[&a, &b]),
                &fa::<T>(&Op::Matmul, &[&a, &b]),
                t,
                "matmul",
            );
        }
    }
}

fn cross_lstsq_pinv<T: Real>() {
    let mut rng = Rng::new(SEED + 22);
    let t = tol::<T>() * 100.0;
    for &(m, n) in &RECT {
        let a = random(&mut rng, m, n);
        for k in [0, 1, 3] {
            let b = random(&mut rng, m, k);
            for cond in [None, Some(1e-2)] {
                let op = Op::Lstsq { cond };
                same(
                    &ob::<T>(&op, &[&a, &b]),
                    &fa::<T>(&op, &[&a, &b]),
                    t,
                    &format!("{op:?} {m}x{n} k={k}"),
                );
            }
        }
        for (atol, rtol) in [(None, None), (Some(0.1), None), (None, Some(0.2))] {
            let op = Op::Pinv { atol, rtol };
            same(
                &ob::<T>(&op, &[&a]),
                &fa::<T>(&op, &[&a]),
                t,
                &format!("{op:?} {m}x{n}"),
            );
        }
    }
}

fn cross_decompositions<T: Real>() {
    let mut rng = Rng::new(SEED + 23);
    let t = tol::<T>() * 10.0;
    for &(m, n) in &RECT {
        let a = random(&mut rng, m, n);
        let k = m.min(n);
        // LU with partial pivoting is unique for inputs without ties.
        for (permute_l, p_indices) in [(false, false), (true, false), (false, true)] {
            let op = Op::Lu {
                permute_l,
                p_indices,
            };
            same(
                &ob::<T>(&op, &[&a]),
                &fa::<T>(&op, &[&a]),
                t,
                &format!("{op:?} {m}x{n}"),
            );
        }
        // lu_factor takes m×n matrices, as getrf does.
        same(
            &ob::<T>(&Op::LuFactor, &[&a]),
            &fa::<T>(&Op::LuFactor, &[&a]),
            t,
            &format!("lu_factor {m}x{n}"),
        );
        if m == n {
            let f = ob::<T>(&Op::LuFactor, &[&a]);
            let pivm = M {
                r: n,
                c: 1,
                d: int(&f[1]).iter().map(|v| *v as f64).collect(),
            };
            let b = random(&mut rng, n, 2);
            for trans in [0u8, 1] {
                let op = Op::LuSolve { trans };
                let ins = [&mat(&f[0]), &pivm, &b];
                same(
                    &ob::<T>(&op, &ins),
                    &fa::<T>(&op, &ins),
                    t * 100.0,
                    "lu_solve",
                );
            }
        }
        // QR: r's rows and q's columns up to one sign each; the columns of a
        // full q beyond k are any orthonormal completion.
        for mode in [QrMode::Full, QrMode::Economic, QrMode::R] {
            let (o, f) = (
                ob::<T>(&Op::Qr { mode }, &[&a]),
                fa::<T>(&Op::Qr { mode }, &[&a]),
            );
            assert_eq!(o.len(), f.len());
            let (ro, rf) = (mat(o.last().unwrap()), mat(f.last().unwrap()));
            let signs = same_cols_up_to_sign(&ro.t(), &rf.t(), k, t, "r rows");
            if mode != QrMode::R {
                let (qo, qf) = (mat(&o[0]), mat(&f[0]));
                let qs = same_cols_up_to_sign(&qo, &qf, k, t, "q columns");
                assert_eq!(qs, signs, "q and r flip together");
                orthonormal_cols(&qf, t, "faer q");
            }
        }
        // SVD: s equal; u, v columns up to a common sign.
        for full in [false, true] {
            let op = Op::Svd {
                full_matrices: full,
                compute_uv: true,
            };
            let (o, f) = (ob::<T>(&op, &[&a]), fa::<T>(&op, &[&a]));
            close(&mat(&o[1]).d, &mat(&f[1]).d, t, "s");
            let su = same_cols_up_to_sign(&mat(&o[0]), &mat(&f[0]), k, t * 10.0, "u");
            let sv = same_cols_up_to_sign(&mat(&o[2]).t(), &mat(&f[2]).t(), k, t * 10.0, "v");
            assert_eq!(su, sv, "u and v flip together");
            orthonormal_cols(&mat(&f[0]), t, "faer u");
            orthonormal_cols(&mat(&f[2]).t(), t, "faer v");
        }
        let op = Op::Svd {
            full_matrices: false,
            compute_uv: false,
        };
        same(&ob::<T>(&op, &[&a]), &fa::<T>(&op, &[&a]), t, "svd s only");
    }
    for &n in &SQUARE {
        // Cholesky is unique.
        let c = spd(&mut rng, n);
        for lower in [true, false] {
            let op = Op::Cholesky { lower };
            let c = one_triangle(&c, lower);
            same(&ob::<T>(&op, &[&c]), &fa::<T>(&op, &[&c]), t, "cholesky");
        }
        // eigh: values equal, vectors up to sign.
        let s = sym(&mut rng, n);
        for lower in [true, false] {
            let s = one_triangle(&s, lower);
            let mut subsets = vec![None];
            if n >= 3 {
                subsets.push(Some((1, n - 2)));
                subsets.push(Some((n - 1, n - 1)));
            }
            for subset in subsets {
                let op = Op::Eigh {
                    lower,
                    vectors: true,
                    subset,
                };
                let (o, f) = (ob::<T>(&op, &[&s]), fa::<T>(&op, &[&s]));
                close(&mat(&o[0]).d, &mat(&f[0]).d, t, "eigh w");
                let (vo, vf) = (mat(&o[1]), mat(&f[1]));
                same_cols_up_to_sign(&vo, &vf, vo.c, t * 10.0, "eigh v");
                let op = Op::Eigh {
                    lower,
                    vectors: false,
                    subset,
                };
                same(&ob::<T>(&op, &[&s]), &fa::<T>(&op, &[&s]), t, "eigvalsh");
            }
        }
        // eig: sorted eigenvalues equal; faer's vectors checked by residual.
        let a = random(&mut rng, n, n);
        let ah = held::<T>(&a);
        let (o, f) = (
            ob::<T>(&Op::Eig { right: true }, &[&a]),
            fa::<T>(&Op::Eig { right: true }, &[&a]),
        );
        let flat = |w: Vec<(f64, f64)>| {
            sorted(w)
                .into_iter()
                .flat_map(|p| [p.0, p.1])
                .collect::<Vec<_>>()
        };
        close(
            &flat(complex(&o[0])),
            &flat(complex(&f[0])),
            t * 10.0,
            "eig w",
        );
        assert_eq!(shape(&f[1]), vec![n, n]);
        let (w, v) = (complex(&f[0]), complex(&f[1]));
        for j in 0..n {
            let norm: f64 = (0..n)
                .map(|i| v[i * n + j].0.powi(2) + v[i * n + j].1.powi(2))
                .sum();
            close(&[norm], &[1.0], t, "faer unit eigenvector");
            for i in 0..n {
                let (mut re, mut im) = (0.0, 0.0);
                for kk in 0..n {
                    re += ah.at(i, kk) * v[kk * n + j].0;
                    im += ah.at(i, kk) * v[kk * n + j].1;
                }
                let ((wr, wi), (vr, vi)) = (w[j], v[i * n + j]);
                close(
                    &[re, im],
                    &[wr * vr - wi * vi, wr * vi + wi * vr],
                    t * 10.0 * n as f64,
                    "faer A v = w v",
                );
            }
        }
        let only = fa::<T>(&Op::Eig { right: false }, &[&a]);
        assert_eq!(only.len(), 1);
    }
}

fn cross_errors<T: Real>() {
    let mut rng = Rng::new(SEED + 24);
    for &n in &[1usize, 3, 8] {
        for j in 0..n {
            let mut a = random(&mut rng, n, n);
            for i in 0..n {
                a.d[i * n + j] = 0.0;
            }
            let b = random(&mut rng, n, 2);
            let mut tr = well(&mut rng, n);
            tr.d[j * n + j] = 0.0;
            let mut d = M {
                r: n,
                c: n,
                d: vec![0.0; n * n],
            };
            for i in 0..n {
                d.d[i * n + i] = if i == j { 0.0 } else { 2.0 + i as f64 };
            }
            let mut p = spd(&mut rng, n);
            p.d[j * n + j] = -1.0;
            let f = ob::<T>(&Op::LuFactor, &[&a]);
            let pivm = M {
                r: n,
                c: 1,
                d: int(&f[1]).iter().map(|v| *v as f64).collect(),
            };
            let lu = mat(&f[0]);
            let cases: Vec<(Op, Vec<&M>)> = vec![
                (
                    Op::Solve {
                        assume: Assume::Gen,
                        lower: false,
                        transposed: false,
                    },
                    vec![&a, &b],
                ),
                (
                    Op::Solve {
                        assume: Assume::Gen,
                        lower: false,
                        transposed: true,
                    },
                    vec![&a, &b],
                ),
                (Op::Inv, vec![&a]),
                (Op::LuSolve { trans: 0 }, vec![&lu, &pivm, &b]),
                (
                    Op::SolveTriangular {
                        lower: true,
                        trans: 0,
                        unit_diagonal: false,
                    },
                    vec![&tr, &b],
                ),
                (
                    Op::SolveTriangular {
                        lower: false,
                        trans: 1,
                        unit_diagonal: false,
                    },
                    vec![&tr, &b],
                ),
                (
                    Op::Solve {
                        assume: Assume::Sym,
                        lower: true,
                        transposed: false,
                    },
                    vec![&d, &b],
                ),
                (
                    Op::Solve {
                        assume: Assume::Sym,
                        lower: false,
                        transposed: false,
                    },
                    vec![&d, &b],
                ),
                (
                    Op::Solve {
                        assume: Assume::Pos,
                        lower: true,
                        transposed: false,
                    },
                    vec![&p, &b],
                ),
                (
                    Op::Solve {
                        assume: Assume::Pos,
                        lower: false,
                        transposed: false,
                    },
                    vec![&p, &b],
                ),
                (Op::Cholesky { lower: true }, vec![&p]),
                (Op::Cholesky { lower: false }, vec![&p]),
            ];
            for (op, ins) in cases {
                // Bunch–Kaufman's zero pivot is reported in elimination
                // order, which differs between LAPACK's sytrf (the index
                // SciPy sees) and faer's LBLT: only the kind must agree.
                if let Op::Solve {
                    assume: Assume::Sym,
                    ..
                } = op
                {
                    let (o, f) = (
                        call::<T>(Backend::OpenBlas, &op, &ins),
                        call::<T>(Backend::Faer, &op, &ins),
                    );
                    assert_eq!(
                        o.map(|_| ()),
                        Err(LinalgError::Singular { index: j }),
                        "{op:?}"
                    );
                    assert!(
                        matches!(f, Err(LinalgError::Singular { .. })),
                        "{op:?} faer: {f:?}"
                    );
                    continue;
                }
                let (o, f) = (
                    call::<T>(Backend::OpenBlas, &op, &ins),
                    call::<T>(Backend::Faer, &op, &ins),
                );
                assert!(o.is_err(), "{op:?} n={n} j={j}: openblas succeeded");
                assert_eq!(o.map(|_| ()), f.map(|_| ()), "{op:?} n={n} j={j}");
            }
            // A singular factor is no error for lu / lu_factor / det.
            for op in [
                Op::LuFactor,
                Op::Lu {
                    permute_l: false,
                    p_indices: false,
                },
                Op::Det,
            ] {
                same(
                    &ob::<T>(&op, &[&a]),
                    &fa::<T>(&op, &[&a]),
                    tol::<T>() * 10.0,
                    "singular factor",
                );
            }
        }
    }
}

both! {
    cross_solve_f64_f32 => cross_solve,
    cross_inv_det_norms_f64_f32 => cross_inv_det_norms,
    cross_lstsq_pinv_f64_f32 => cross_lstsq_pinv,
    cross_decompositions_f64_f32 => cross_decompositions,
    cross_errors_f64_f32 => cross_errors,
}
