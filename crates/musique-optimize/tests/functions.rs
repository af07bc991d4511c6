//! The test functions at known points, and NativeObjective on any pool size.

use musique_core::Par;
use musique_optimize::functions::*;
use musique_optimize::Objective;
use musique_testing::{assert_allclose, Rng, SEED};

#[test]
fn known_values() {
    assert_eq!(rosen(&[1.0; 7]), 0.0);
    assert_eq!(rosen(&[0.0, 0.0]), 1.0);
    // scipy.optimize.rosen([0.5, 1.5, -1.0]) = 156.25 + 0.25 + 1056.25 + 0.25
    assert_eq!(rosen(&[0.5, 1.5, -1.0]), 156.5 + 1056.5);
    assert_eq!(rastrigin(&[0.0; 4]), 0.0);
    assert_allclose(&[rastrigin(&[1.0, 1.0])], &[2.0], 0.0, 1e-12);
    assert!(ackley(&[0.0, 0.0]).abs() < 1e-15);
    assert_allclose(&[eggholder(&[512.0, 404.2319])], &[-959.6407], 1e-7, 0.0);
    assert_eq!(sphere(&[3.0, 4.0]), 25.0);
    assert_eq!(griewank(&[0.0; 3]), 0.0);
    assert_allclose(
        &[styblinski_tang(&[-2.903534027771178; 3])],
        &[-39.16616570377142 * 3.0],
        1e-14,
        0.0,
    );
}

#[test]
fn rosen_derivatives_match_finite_differences() {
    let x = [0.3, -1.2, 0.8, 2.0];
    let g = rosen_der(&x);
    let h = rosen_hess(&x);
    let eps = 1e-6;
    for i in 0..4 {
        let mut xp = x;
        let mut xm = x;
        xp[i] += eps;
        xm[i] -= eps;
        let fd = (rosen(&xp) - rosen(&xm)) / (2.0 * eps);
        assert_allclose(&[g[i]], &[fd], 1e-6, 1e-6);
        let gp = rosen_der(&xp);
        let gm = rosen_der(&xm);
        for j in 0..4 {
            assert_allclose(
                &[h[i * 4 + j]],
                &[(gp[j] - gm[j]) / (2.0 * eps)],
                1e-6,
                1e-5,
            );
        }
    }
    assert_eq!(rosen_der(&[1.0; 5]), vec![0.0; 5]);
}

#[test]
fn native_objective_is_the_same_on_any_pool() {
    let mut rng = Rng::new(SEED);
    for which in [Which::Rosen, Which::Ackley, Which::Griewank] {
        for rows in [1, 3, 1000] {
            let dim = 8;
            let xs = rng.reals(rows * dim);
            let serial: Vec<f64> = xs.chunks(dim).map(which.function()).collect();
            for threads in [1, 2, 3] {
                let mut obj = NativeObjective {
                    which,
                    dim,
                    par: Par::new(threads),
                };
                let mut out = vec![0.0; rows];
                obj.eval_batch(&xs, &mut out).unwrap();
                assert_eq!(out, serial, "{which:?} rows {rows} threads {threads}");
            }
        }
    }
    assert_eq!(
        "styblinski_tang".parse::<Which>(),
        Ok(Which::StyblinskiTang)
    );
    assert!("nope".parse::<Which>().is_err());
}
