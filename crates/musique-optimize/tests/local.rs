//! The local minimizers against SciPy 1.17.1 (tests/data/local.json, written
//! by tools/local_fixtures.py): x*, fun, nfev within 2× of SciPy's, status
//! and message; then batching, callbacks, errors and bad input.

use std::ops::ControlFlow;

use musique_optimize::local::{
    approx_fprime, auglag, minimize, BfgsOptions, CgOptions, FiniteDiff, HessInv,
    IntermediateResult, LbfgsbOptions, Method, NelderMeadOptions, OptimizeError, PowellOptions,
    SQRT_EPS,
};
use musique_optimize::Objective;
use musique_testing::dist;
use serde_json::Value;

/// A closure objective that counts batches and points.
struct Fun<F> {
    dim: usize,
    f: F,
    batches: Vec<usize>,
}

impl<F: FnMut(&[f64]) -> Result<f64, String>> Fun<F> {
    fn new(dim: usize, f: F) -> Self {
        Fun {
            dim,
            f,
            batches: Vec::new(),
        }
    }
}

impl<F: FnMut(&[f64]) -> Result<f64, String>> Objective for Fun<F> {
    type Error = String;
    fn dim(&self) -> usize {
        self.dim
    }
    fn eval_batch(&mut self, xs: &[f64], out: &mut [f64]) -> Result<(), String> {
        self.batches.push(out.len());
        for (x, o) in xs.chunks(self.dim).zip(out.iter_mut()) {
            *o = (self.f)(x)?;
        }
        Ok(())
    }
}

fn rosen(x: &[f64]) -> f64 {
    x.windows(2)
        .map(|w| 100.0 * (w[1] - w[0] * w[0]).powi(2) + (1.0 - w[0]).powi(2))
        .sum()
}

fn rosen_der(x: &[f64], g: &mut [f64]) {
    let n = x.len();
    g.iter_mut().for_each(|v| *v = 0.0);
    for i in 0..n - 1 {
        let t = x[i + 1] - x[i] * x[i];
        g[i] += -400.0 * x[i] * t - 2.0 * (1.0 - x[i]);
        g[i + 1] += 200.0 * t;
    }
}

fn quad(x: &[f64]) -> f64 {
    x.iter()
        .enumerate()
        .map(|(i, v)| ((i + 1) as f64 * (v - 1.5)).powi(2))
        .sum()
}

fn quad_der(x: &[f64], g: &mut [f64]) {
    for (i, v) in x.iter().enumerate() {
        let k = (i + 1) as f64;
        g[i] = 2.0 * k * k * (v - 1.5);
    }
}

fn powell(x: &[f64]) -> f64 {
    let (a, b, c, d) = (x[0], x[1], x[2], x[3]);
    (a + 10.0 * b).powi(2) + 5.0 * (c - d).powi(2) + (b - 2.0 * c).powi(4) + 10.0 * (a - d).powi(4)
}

fn powell_der(x: &[f64], g: &mut [f64]) {
    let (a, b, c, d) = (x[0], x[1], x[2], x[3]);
    g[0] = 2.0 * (a + 10.0 * b) + 40.0 * (a - d).powi(3);
    g[1] = 20.0 * (a + 10.0 * b) + 4.0 * (b - 2.0 * c).powi(3);
    g[2] = 10.0 * (c - d) - 8.0 * (b - 2.0 * c).powi(3);
    g[3] = -10.0 * (c - d) - 40.0 * (a - d).powi(3);
}

type Problem = (fn(&[f64]) -> f64, fn(&[f64], &mut [f64]));

fn problem(name: &str) -> Problem {
    match name {
        n if n.starts_with("rosen") => (rosen, rosen_der),
        n if n.starts_with("quad") => (quad, quad_der),
        "powell4" => (powell, powell_der),
        _ => panic!("unknown problem {name}"),
    }
}

fn fixtures() -> Value {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/local.json"
    ))
    .unwrap();
    serde_json::from_str(&text).unwrap()
}

fn floats(v: &Value) -> Vec<f64> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_f64().unwrap())
        .collect()
}

fn bound(v: &Value, inf: f64) -> f64 {
    v.as_f64().unwrap_or(inf)
}

#[test]
fn every_method_reaches_scipys_minimum_with_comparable_evaluations() {
    let data = fixtures();
    let mut report = Vec::new();
    for case in data["local"].as_array().unwrap() {
        let name = case["problem"].as_str().unwrap();
        let method_name = case["method"].as_str().unwrap();
        let with_jac = case["jac"].as_bool().unwrap();
        let x0 = floats(&case["x0"]);
        let bounds: Option<Vec<(f64, f64)>> = case["bounds"].as_array().map(|bs| {
            bs.iter()
                .map(|b| (bound(&b[0], f64::NEG_INFINITY), bound(&b[1], f64::INFINITY)))
                .collect()
        });
        let (f, der) = problem(name);
        let mut obj = Fun::new(x0.len(), |x: &[f64]| Ok(f(x)));
        let mut jac = |x: &[f64], g: &mut [f64]| -> Result<(), String> {
            der(x, g);
            Ok(())
        };
        let method = Method::from_name(method_name).unwrap();
        let res = minimize(
            &method,
            &x0,
            &mut obj,
            if with_jac { Some(&mut jac) } else { None },
            bounds.as_deref(),
            None,
        )
        .unwrap();
        let x_ref = floats(&case["x"]);
        let fun_ref = case["fun"].as_f64().unwrap();
        let nfev_ref = case["nfev"].as_u64().unwrap() as usize;
        let label = format!("{name} {method_name} jac={with_jac}");
        report.push(format!(
            "{label}: nfev {} (scipy {nfev_ref}), nit {} (scipy {}), x {:?}",
            res.nfev, res.nit, case["nit"], res.x
        ));
        // The simplex and Powell's line searches stop at their own xtol;
        // the gradient methods at gtol: x* agrees to those tolerances.
        let (rtol, atol) = match method_name {
            "Nelder-Mead" => (0.0, 2e-3),
            "Powell" => (0.0, 2e-3),
            _ if name == "powell4" => (0.0, 2e-2), // singular Hessian at 0: x* is flat
            _ => (0.0, 2e-4),
        };
        for (i, (a, e)) in res.x.iter().zip(&x_ref).enumerate() {
            assert!(
                (a - e).abs() <= atol + rtol * e.abs(),
                "{label}: x[{i}] = {a}, scipy {e}"
            );
        }
        assert!(
            (res.fun - fun_ref).abs() <= 1e-6 + 1e-6 * fun_ref.abs(),
            "{label}: fun {} scipy {fun_ref}",
            res.fun
        );
        assert!(
            res.nfev <= 2 * nfev_ref && 2 * res.nfev >= nfev_ref,
            "{label}: nfev {} scipy {nfev_ref}",
            res.nfev
        );
        assert_eq!(
            res.status as i64,
            case["status"].as_i64().unwrap(),
            "{label}"
        );
        assert_eq!(res.success, case["success"].as_bool().unwrap(), "{label}");
        // L-BFGS-B's two convergence tests may trade places near the end.
        if method_name != "L-BFGS-B" {
            assert_eq!(res.message, case["message"].as_str().unwrap(), "{label}");
        } else {
            assert!(
                res.message.starts_with("CONVERGENCE: "),
                "{label}: {}",
                res.message
            );
        }
    }
    println!("{}", report.join("\n"));
}

#[test]
fn finite_difference_gradient_is_one_batch_per_gradient() {
    for method in [
        Method::Bfgs(BfgsOptions::default()),
        Method::Cg(CgOptions::default()),
        Method::LBfgsB(LbfgsbOptions::default()),
    ] {
        let x0 = [1.3, 0.7, 0.8, 1.9, 1.2];
        let mut obj = Fun::new(5, |x: &[f64]| Ok(rosen(x)));
        let res = minimize(&method, &x0, &mut obj, None, None, None).unwrap();
        let gradient_batches = obj.batches.iter().filter(|&&b| b == 5).count();
        assert!(
            obj.batches.iter().all(|&b| b == 1 || b == 5),
            "{:?}",
            obj.batches
        );
        assert_eq!(gradient_batches, res.njev, "{}", method.name());
        assert_eq!(
            obj.batches.iter().sum::<usize>(),
            res.nfev,
            "{}",
            method.name()
        );
    }
    // Central differences: 2n points in one batch.
    let opts = BfgsOptions {
        finite_diff: FiniteDiff::ThreePoint { rel_step: None },
        ..Default::default()
    };
    let mut obj = Fun::new(2, |x: &[f64]| Ok(rosen(x)));
    let res = minimize(
        &Method::Bfgs(opts),
        &[-1.2, 1.0],
        &mut obj,
        None,
        None,
        None,
    )
    .unwrap();
    assert!(res.success, "{}", res.message);
    assert!(obj.batches.contains(&4));
    assert!(
        (res.x[0] - 1.0).abs() < 1e-4 && (res.x[1] - 1.0).abs() < 1e-4,
        "{:?}",
        res.x
    );
}

#[test]
fn approx_fprime_matches_scipy_in_one_batch() {
    let data = fixtures();
    let expected = floats(&data["scalar"]["approx_fprime_rosen5"]);
    let mut obj = Fun::new(5, |x: &[f64]| Ok(rosen(x)));
    let g = approx_fprime(&[1.3, 0.7, 0.8, 1.9, 1.2], &mut obj, SQRT_EPS).unwrap();
    musique_testing::assert_allclose(&g, &expected, 1e-12, 0.0);
    assert_eq!(obj.batches, vec![1, 5]);
}

#[test]
fn bfgs_returns_the_inverse_hessian_and_lbfgsb_its_pairs() {
    let mut obj = Fun::new(4, |x: &[f64]| Ok(quad(x)));
    let mut jac = |x: &[f64], g: &mut [f64]| -> Result<(), String> {
        quad_der(x, g);
        Ok(())
    };
    let res = minimize(
        &Method::from_name("BFGS").unwrap(),
        &[0.0; 4],
        &mut obj,
        Some(&mut jac),
        None,
        None,
    )
    .unwrap();
    // The Hessian of quad is diag(2k²): its inverse is diag(1/(2k²)).
    let h = res.hess_inv.as_ref().unwrap().to_dense(4);
    for k in 0..4 {
        let e = 1.0 / (2.0 * ((k + 1) * (k + 1)) as f64);
        // SciPy ends with diag ≈ [0.5075, 0.1265, 0.0556, 0.0319].
        assert!(
            (h[k * 4 + k] - e).abs() < 3e-2 * e,
            "H[{k},{k}] = {} expected {e}",
            h[k * 4 + k]
        );
    }
    let res = minimize(
        &Method::from_name("l-bfgs-b").unwrap(),
        &[0.0; 4],
        &mut obj,
        Some(&mut jac),
        None,
        None,
    )
    .unwrap();
    match res.hess_inv.as_ref().unwrap() {
        HessInv::Lbfgs { s, y } => {
            assert_eq!(s.len(), y.len());
            assert!(!s.is_empty() && s.len() <= 10);
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn callback_can_stop_every_method() {
    let methods = [
        Method::NelderMead(NelderMeadOptions::default()),
        Method::Powell(PowellOptions::default()),
        Method::Cg(CgOptions::default()),
        Method::Bfgs(BfgsOptions::default()),
        Method::LBfgsB(LbfgsbOptions::default()),
    ];
    for method in &methods {
        let mut seen = Vec::new();
        let mut cb = |r: &IntermediateResult<'_>| {
            seen.push((r.nit, r.fun));
            if seen.len() >= 3 {
                ControlFlow::Break(())
            } else {
                ControlFlow::Continue(())
            }
        };
        let mut obj = Fun::new(5, |x: &[f64]| Ok(rosen(x)));
        let res = minimize(
            method,
            &[1.3, 0.7, 0.8, 1.9, 1.2],
            &mut obj,
            None,
            None,
            Some(&mut cb),
        )
        .unwrap();
        assert_eq!(res.status, 99, "{}", method.name());
        assert!(!res.success);
        assert_eq!(res.message, "`callback` raised `StopIteration`.");
        assert_eq!(seen.len(), 3, "{}", method.name());
        assert_eq!(res.fun, seen[2].1, "{}", method.name());
    }
}

#[test]
fn an_objective_error_ends_the_run_unchanged() {
    let methods = [
        Method::NelderMead(NelderMeadOptions::default()),
        Method::Powell(PowellOptions::default()),
        Method::Cg(CgOptions::default()),
        Method::Bfgs(BfgsOptions::default()),
        Method::LBfgsB(LbfgsbOptions::default()),
    ];
    for method in &methods {
        let mut calls = 0;
        let mut obj = Fun::new(2, |x: &[f64]| {
            calls += 1;
            if calls == 17 {
                Err("boom at 17".to_string())
            } else {
                Ok(rosen(x))
            }
        });
        let err = minimize(method, &[-1.2, 1.0], &mut obj, None, None, None).unwrap_err();
        assert_eq!(
            err,
            OptimizeError::Objective("boom at 17".to_string()),
            "{}",
            method.name()
        );
        drop(obj);
        assert_eq!(calls, 17, "{} kept evaluating", method.name());
    }
    // An error from the gradient ends it too.
    let mut obj = Fun::new(2, |x: &[f64]| Ok(rosen(x)));
    let mut n = 0;
    let mut jac = |x: &[f64], g: &mut [f64]| -> Result<(), String> {
        n += 1;
        if n == 3 {
            return Err("jac failed".into());
        }
        rosen_der(x, g);
        Ok(())
    };
    let err = minimize(
        &Method::LBfgsB(LbfgsbOptions::default()),
        &[-1.2, 1.0],
        &mut obj,
        Some(&mut jac),
        None,
        None,
    )
    .unwrap_err();
    assert_eq!(err, OptimizeError::Objective("jac failed".to_string()));
}

#[test]
fn limits_give_scipys_status_and_message() {
    let x0 = [1.3, 0.7, 0.8, 1.9, 1.2];
    let mut obj = Fun::new(5, |x: &[f64]| Ok(rosen(x)));
    let r = minimize(
        &Method::NelderMead(NelderMeadOptions {
            maxiter: Some(10),
            ..Default::default()
        }),
        &x0,
        &mut obj,
        None,
        None,
        None,
    )
    .unwrap();
    assert_eq!(
        (r.status, r.message.as_str()),
        (2, "Maximum number of iterations has been exceeded.")
    );
    let r = minimize(
        &Method::NelderMead(NelderMeadOptions {
            maxfev: Some(20),
            ..Default::default()
        }),
        &x0,
        &mut obj,
        None,
        None,
        None,
    )
    .unwrap();
    assert_eq!(r.nfev, 20);
    assert_eq!(
        (r.status, r.message.as_str()),
        (
            1,
            "Maximum number of function evaluations has been exceeded."
        )
    );
    let r = minimize(
        &Method::Bfgs(BfgsOptions {
            maxiter: Some(3),
            ..Default::default()
        }),
        &x0,
        &mut obj,
        None,
        None,
        None,
    )
    .unwrap();
    assert_eq!((r.status, r.nit), (1, 3));
    assert_eq!(r.message, "Maximum number of iterations has been exceeded.");
    let r = minimize(
        &Method::LBfgsB(LbfgsbOptions {
            maxiter: 3,
            ..Default::default()
        }),
        &x0,
        &mut obj,
        None,
        None,
        None,
    )
    .unwrap();
    assert_eq!((r.status, r.nit), (1, 3));
    assert_eq!(r.message, "STOP: TOTAL NO. OF ITERATIONS REACHED LIMIT");
    let r = minimize(
        &Method::LBfgsB(LbfgsbOptions {
            maxfun: 10,
            ..Default::default()
        }),
        &x0,
        &mut obj,
        None,
        None,
        None,
    )
    .unwrap();
    assert_eq!(r.status, 1);
    assert_eq!(
        r.message,
        "STOP: TOTAL NO. OF F,G EVALUATIONS EXCEEDS LIMIT"
    );
}

#[test]
fn lbfgsb_memory_grows_with_the_corrections_stored() {
    // A maxcor past the iterations run gives the same run as one that just
    // holds them all, and allocates no more (maxcor = usize::MAX used to
    // overflow the workspace's capacity up front).
    let run = |maxcor: usize| {
        let mut obj = Fun::new(5, |x: &[f64]| Ok::<f64, String>(rosen(x)));
        minimize(
            &Method::LBfgsB(LbfgsbOptions {
                maxcor,
                maxiter: 200,
                ..Default::default()
            }),
            &[1.3, 0.7, 0.8, 1.9, 1.2],
            &mut obj,
            None,
            None,
            None,
        )
        .unwrap()
    };
    let held = run(201);
    assert!(held.result.success, "{}", held.result.message);
    for maxcor in [1_000_000, usize::MAX] {
        let r = run(maxcor);
        assert_eq!(r.result.x, held.result.x);
        assert_eq!(
            (r.result.nit, r.result.nfev),
            (held.result.nit, held.result.nfev)
        );
    }
    // A small memory still wraps around as before.
    assert!(run(3).result.success);
}

#[test]
fn bad_input_is_refused_with_scipys_messages() {
    let mut obj = Fun::new(2, |x: &[f64]| Ok(rosen(x)));
    let lb = Method::LBfgsB(LbfgsbOptions::default());
    let value = |e: OptimizeError<String>| match e {
        OptimizeError::Value(m) => m,
        other => panic!("{other:?}"),
    };
    let e = minimize(
        &lb,
        &[1.0, 2.0],
        &mut obj,
        None,
        Some(&[(0.0, 1.0), (3.0, 2.0)]),
        None,
    )
    .unwrap_err();
    assert_eq!(
        value(e),
        "An upper bound is less than the corresponding lower bound."
    );
    let e = minimize(
        &lb,
        &[1.0, 2.0],
        &mut obj,
        None,
        Some(&[(0.0, 1.0); 3]),
        None,
    )
    .unwrap_err();
    assert_eq!(
        value(e),
        "The number of bounds is not compatible with the length of `x0`."
    );
    let e = minimize(&lb, &[1.0, 2.0, 3.0], &mut obj, None, None, None).unwrap_err();
    assert!(value(e).contains("3 elements"));
    let e = minimize(
        &Method::LBfgsB(LbfgsbOptions {
            maxls: 0,
            ..Default::default()
        }),
        &[1.0, 2.0],
        &mut obj,
        None,
        None,
        None,
    )
    .unwrap_err();
    assert_eq!(value(e), "maxls must be positive.");
    let e = minimize(
        &Method::Bfgs(BfgsOptions {
            c1: 0.9,
            c2: 0.1,
            ..Default::default()
        }),
        &[1.0, 2.0],
        &mut obj,
        None,
        None,
        None,
    )
    .unwrap_err();
    assert_eq!(value(e), "'c1' and 'c2' do not satisfy'0 < c1 < c2 < 1'.");
    let e = minimize(
        &Method::Bfgs(BfgsOptions {
            hess_inv0: Some(vec![1.0, 0.0, 0.0, -1.0]),
            ..Default::default()
        }),
        &[1.0, 2.0],
        &mut obj,
        None,
        None,
        None,
    )
    .unwrap_err();
    assert_eq!(value(e), "'hess_inv0' matrix isn't positive definite.");
    let e = minimize(
        &Method::NelderMead(NelderMeadOptions {
            initial_simplex: Some(vec![vec![0.0, 0.0], vec![1.0, 0.0]]),
            ..Default::default()
        }),
        &[1.0, 2.0],
        &mut obj,
        None,
        None,
        None,
    )
    .unwrap_err();
    assert_eq!(
        value(e),
        "`initial_simplex` should be an array of shape (N+1,N)"
    );
    assert_eq!(
        Method::from_name("newton-cg").unwrap_err(),
        "Unknown solver newton-cg"
    );
}

#[test]
fn bounds_hold_for_nelder_mead_powell_and_lbfgsb() {
    let b = [(-2.0, 0.8); 5];
    for method in [
        Method::NelderMead(NelderMeadOptions::default()),
        Method::LBfgsB(LbfgsbOptions::default()),
    ] {
        let mut obj = Fun::new(5, |x: &[f64]| {
            assert!(
                x.iter().all(|&v| (-2.0..=0.8).contains(&v)),
                "evaluated outside the bounds: {x:?}"
            );
            Ok(rosen(x))
        });
        let r = minimize(
            &method,
            &[1.3, 0.7, 0.8, 1.9, 1.2],
            &mut obj,
            None,
            Some(&b),
            None,
        )
        .unwrap();
        assert!(r.success, "{}", r.message);
        assert!((r.x[0] - 0.8).abs() < 1e-3, "{}: {:?}", method.name(), r.x);
    }
    // Powell from inside the box keeps to it, and stops where SciPy 1.17.1
    // stops (its ftol test ends the run early on this valley).
    let mut obj = Fun::new(2, |x: &[f64]| {
        assert!(
            (-2.0..=0.5).contains(&x[0]) && (-2.0..=2.0).contains(&x[1]),
            "{x:?}"
        );
        Ok(rosen(x))
    });
    let r = minimize(
        &Method::Powell(PowellOptions::default()),
        &[-1.0, 0.5],
        &mut obj,
        None,
        Some(&[(-2.0, 0.5), (-2.0, 2.0)]),
        None,
    )
    .unwrap();
    assert!(r.success, "{}", r.message);
    musique_testing::assert_allclose(&r.x, &[-0.85776607, 0.74589776], 1e-6, 0.0);
    assert_eq!(r.nfev, 146);
}

/// f and c by closures, for the augmented Lagrangian.
struct Problem2<F, C> {
    n: usize,
    m: usize,
    f: F,
    c: C,
    batches: usize,
}

impl<F: FnMut(&[f64]) -> f64, C: FnMut(&[f64], &mut [f64])> auglag::Constrained for Problem2<F, C> {
    type Error = String;
    fn dim(&self) -> usize {
        self.n
    }
    fn n_constraints(&self) -> usize {
        self.m
    }
    fn eval_batch(&mut self, xs: &[f64], f: &mut [f64], c: &mut [f64]) -> Result<(), String> {
        self.batches += 1;
        for (i, x) in xs.chunks_exact(self.n).enumerate() {
            f[i] = (self.f)(x);
            (self.c)(x, &mut c[i * self.m..(i + 1) * self.m]);
        }
        Ok(())
    }
}

#[test]
fn augmented_lagrangian_reaches_slsqps_constrained_minima_feasibly() {
    let inf = f64::INFINITY;
    let opts = auglag::AugLagOptions::default();
    // Rosenbrock in the unit disc (SciPy's tutorial): x* from SLSQP with ftol 1e-14.
    let mut p = Problem2 {
        n: 2,
        m: 1,
        f: rosen,
        c: |x: &[f64], c: &mut [f64]| c[0] = x[0] * x[0] + x[1] * x[1],
        batches: 0,
    };
    let r = auglag::minimize(
        &mut p,
        &[0.0, 0.0],
        &[(-inf, inf); 2],
        &[-inf],
        &[1.0],
        &opts,
    )
    .unwrap();
    assert!(r.result.success, "{:?}", r.result);
    assert!(
        dist(&r.result.x, &[0.78641515, 0.61769831]) < 1e-6,
        "{:?}",
        r.result.x
    );
    // Strictly feasible, as trust-constr's interior points.
    assert!(r.constr[0] <= 1.0 && r.maxcv == 0.0, "{:?}", r.constr);
    assert!((r.result.fun - 0.045674808719500984).abs() < 1e-7);
    // ∇f at x is reported: on the active circle it is parallel to x.
    let g = r.result.jac.unwrap();
    assert!(
        (g[0] * r.result.x[1] - g[1] * r.result.x[0]).abs() < 1e-4,
        "{g:?}"
    );
    // Every evaluation is counted, each gradient one batch.
    assert!(
        p.batches < r.result.nfev,
        "{} batches, nfev {}",
        p.batches,
        r.result.nfev
    );

    // Hock–Schittkowski 71: an inequality, an equality and bounds.
    let mut p = Problem2 {
        n: 4,
        m: 2,
        f: |x: &[f64]| x[0] * x[3] * (x[0] + x[1] + x[2]) + x[2],
        c: |x: &[f64], c: &mut [f64]| {
            c[0] = x[0] * x[1] * x[2] * x[3];
            c[1] = x.iter().map(|v| v * v).sum();
        },
        batches: 0,
    };
    let r = auglag::minimize(
        &mut p,
        &[1.0, 5.0, 5.0, 1.0],
        &[(1.0, 5.0); 4],
        &[25.0, 40.0],
        &[inf, 40.0],
        &opts,
    )
    .unwrap();
    assert!(r.result.success, "{:?}", r.result);
    assert!(
        dist(&r.result.x, &[1.0, 4.74299967, 3.82114994, 1.3794083]) < 1e-5,
        "{:?}",
        r.result.x
    );
    assert!((r.result.fun - 17.014017289133697).abs() < 1e-6);
    assert!(r.constr[0] >= 25.0, "{:?}", r.constr);
    assert!((r.constr[1] - 40.0).abs() <= 40.0 * 1e-8, "{:?}", r.constr);
    assert!(r.result.x.iter().all(|&v| (1.0..=5.0).contains(&v)));

    // An equality alone.
    let mut p = Problem2 {
        n: 2,
        m: 1,
        f: |x: &[f64]| (x[0] - 1.0).powi(2) + (x[1] - 2.0).powi(2),
        c: |x: &[f64], c: &mut [f64]| c[0] = x[0] * x[1],
        batches: 0,
    };
    let r = auglag::minimize(
        &mut p,
        &[1.0, 1.0],
        &[(-3.0, 3.0); 2],
        &[0.5],
        &[0.5],
        &opts,
    )
    .unwrap();
    assert!(r.result.success, "{:?}", r.result);
    assert!(
        dist(&r.result.x, &[0.26347059, 1.89774504]) < 1e-6,
        "{:?}",
        r.result.x
    );
    assert!((r.constr[0] - 0.5).abs() < 1e-8);
}

#[test]
fn augmented_lagrangian_passes_errors_through_and_checks_arguments() {
    let inf = f64::INFINITY;
    let opts = auglag::AugLagOptions::default();
    struct Failing;
    impl auglag::Constrained for Failing {
        type Error = String;
        fn dim(&self) -> usize {
            1
        }
        fn n_constraints(&self) -> usize {
            1
        }
        fn eval_batch(&mut self, _: &[f64], _: &mut [f64], _: &mut [f64]) -> Result<(), String> {
            Err("boom".into())
        }
    }
    assert_eq!(
        auglag::minimize(&mut Failing, &[0.0], &[(-1.0, 1.0)], &[-inf], &[0.0], &opts).unwrap_err(),
        OptimizeError::Objective("boom".to_string())
    );
    assert!(matches!(
        auglag::minimize(
            &mut Failing,
            &[0.0],
            &[(-1.0, 1.0)],
            &[-inf, 0.0],
            &[0.0, 1.0],
            &opts
        ),
        Err(OptimizeError::Value(_))
    ));
    assert!(matches!(
        auglag::minimize(&mut Failing, &[0.0], &[(1.0, -1.0)], &[-inf], &[0.0], &opts),
        Err(OptimizeError::Value(_))
    ));
}
