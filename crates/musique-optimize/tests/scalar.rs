//! minimize_scalar and the root finders against SciPy 1.17.1
//! (tests/data/local.json, "scalar"): same x, counts and messages.

use musique_optimize::local::OptimizeError;
use musique_optimize::scalar::{
    bisect, bracket, brentq, minimize_scalar, newton, root_scalar, secant, BoundedOptions,
    BracketSpec, BrentOptions, GoldenOptions, RootMethod, RootOptions, ScalarMethod,
    BRENTQ_MAXITER, BRENTQ_RTOL, BRENTQ_XTOL,
};
use serde_json::Value;

fn fixtures() -> Value {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/local.json"
    ))
    .unwrap();
    serde_json::from_str::<Value>(&text).unwrap()["scalar"].clone()
}

/// scipy's minimize_scalar doc example.
fn f(x: f64) -> Result<f64, String> {
    Ok((x - 2.0) * x * ((x + 2.0) * (x + 2.0)))
}

fn cube(x: f64) -> Result<f64, String> {
    Ok(x * x * x - 1.0)
}

#[test]
fn minimize_scalar_matches_scipy() {
    let data = fixtures();
    let cases = [
        ("brent", ScalarMethod::Brent(BrentOptions::default())),
        ("golden", ScalarMethod::Golden(GoldenOptions::default())),
        (
            "bounded",
            ScalarMethod::Bounded(BoundedOptions::new(-3.0, -1.0)),
        ),
        (
            "brent_bracket",
            ScalarMethod::Brent(BrentOptions {
                bracket: Some(BracketSpec::Three(0.0, 1.0, 2.0)),
                ..Default::default()
            }),
        ),
    ];
    for (name, method) in cases {
        let e = &data[name];
        let r = minimize_scalar(f, &method).unwrap();
        assert!(
            (r.x - e["x"].as_f64().unwrap()).abs() < 1e-12,
            "{name}: {} vs {}",
            r.x,
            e["x"]
        );
        assert!((r.fun - e["fun"].as_f64().unwrap()).abs() < 1e-12, "{name}");
        assert_eq!(r.nfev as u64, e["nfev"].as_u64().unwrap(), "{name}");
        assert_eq!(r.nit as u64, e["nit"].as_u64().unwrap(), "{name}");
        assert_eq!(r.success, e["success"].as_bool().unwrap(), "{name}");
        assert_eq!(r.message, e["message"].as_str().unwrap(), "{name}");
        assert_eq!(r.status.map(i64::from), e["status"].as_i64(), "{name}");
    }
}

#[test]
fn bounded_reports_maxiter_and_bad_bounds() {
    let mut o = BoundedOptions::new(-3.0, 3.0);
    o.maxiter = 4;
    let r = minimize_scalar(f, &ScalarMethod::Bounded(o)).unwrap();
    assert_eq!((r.status, r.success, r.nfev), (Some(1), false, 4));
    assert_eq!(r.message, "Maximum number of function calls reached.");
    let e = minimize_scalar(f, &ScalarMethod::Bounded(BoundedOptions::new(1.0, -1.0))).unwrap_err();
    assert_eq!(
        e,
        OptimizeError::Value("The lower bound exceeds the upper bound.".into())
    );
    let e = minimize_scalar(
        f,
        &ScalarMethod::Bounded(BoundedOptions::new(1.0, f64::INFINITY)),
    )
    .unwrap_err();
    assert_eq!(
        e,
        OptimizeError::Value("Optimization bounds must be finite scalars.".into())
    );
}

#[test]
fn brent_without_a_bracket_is_not_an_error() {
    // A line: bracket never finds a minimum; SciPy returns the best point
    // with success false (`_recover_from_bracket_error`): x = inf after 803
    // calls.
    let r = minimize_scalar(
        |x: f64| Ok::<f64, String>(-x),
        &ScalarMethod::Brent(BrentOptions::default()),
    )
    .unwrap();
    assert!(!r.success);
    assert_eq!(
        (r.x, r.fun, r.nfev, r.nit),
        (f64::INFINITY, f64::NEG_INFINITY, 803, 0)
    );
    assert_eq!(
        r.message,
        "The algorithm terminated without finding a valid bracket. Consider trying different initial points."
    );
    // A flat floor from x = 5: SciPy brackets it and stops at x ≈ 5.
    let r = minimize_scalar(
        |x: f64| Ok::<f64, String>(if x > 5.0 { 0.0 } else { -x }),
        &ScalarMethod::Brent(BrentOptions::default()),
    )
    .unwrap();
    assert!(r.success);
    assert_eq!((r.nfev, r.nit), (45, 41));
    assert!((r.x - 4.999999932018943).abs() < 1e-12, "{}", r.x);
    let e = minimize_scalar(
        f,
        &ScalarMethod::Brent(BrentOptions {
            bracket: Some(BracketSpec::Three(0.0, 3.0, 2.0)),
            ..Default::default()
        }),
    )
    .unwrap_err();
    assert_eq!(
        e,
        OptimizeError::Value(
            "Bracketing values (xa, xb, xc) do not fulfill this requirement: (xa < xb) and (xb < xc)".into()
        )
    );
    let b = bracket(f, 0.0, 1.0, 110.0, 1000).unwrap();
    assert!(b.fb < b.fa && b.fb < b.fc);
}

#[test]
fn root_finders_match_scipy() {
    let data = fixtures();
    let roots = &data["roots"];
    let mut fp = |x: f64| Ok::<f64, String>(3.0 * x * x);
    let cases = [
        (
            "brentq",
            root_scalar(
                cube,
                None,
                RootMethod::Brentq {
                    bracket: (0.0, 3.0),
                },
                RootOptions::default(),
            ),
        ),
        (
            "bisect",
            root_scalar(
                cube,
                None,
                RootMethod::Bisect {
                    bracket: (0.0, 3.0),
                },
                RootOptions::default(),
            ),
        ),
        (
            "newton",
            root_scalar(
                cube,
                Some(&mut fp),
                RootMethod::Newton { x0: 0.2 },
                RootOptions::default(),
            ),
        ),
        (
            "newton_fd",
            root_scalar(
                cube,
                None,
                RootMethod::Newton { x0: 0.2 },
                RootOptions::default(),
            ),
        ),
        (
            "secant",
            root_scalar(
                cube,
                None,
                RootMethod::Secant {
                    x0: 0.2,
                    x1: Some(0.3),
                },
                RootOptions::default(),
            ),
        ),
    ];
    for (name, r) in cases {
        let r = r.unwrap();
        let e = &roots[name];
        assert!(
            (r.root - e["root"].as_f64().unwrap()).abs() < 1e-12,
            "{name}: {}",
            r.root
        );
        assert_eq!(
            r.iterations as u64,
            e["iterations"].as_u64().unwrap(),
            "{name}"
        );
        assert_eq!(
            r.function_calls as u64,
            e["function_calls"].as_u64().unwrap(),
            "{name}"
        );
        assert_eq!(r.converged, e["converged"].as_bool().unwrap(), "{name}");
        assert_eq!(r.flag, e["flag"].as_str().unwrap(), "{name}");
    }
}

#[test]
fn bracketing_solvers_refuse_same_signs_and_bad_tolerances() {
    let e = brentq(cube, 2.0, 3.0, BRENTQ_XTOL, BRENTQ_RTOL, BRENTQ_MAXITER).unwrap_err();
    assert_eq!(
        e,
        OptimizeError::Value("f(a) and f(b) must have different signs".into())
    );
    let e = bisect(cube, 2.0, 3.0, BRENTQ_XTOL, BRENTQ_RTOL, BRENTQ_MAXITER).unwrap_err();
    assert_eq!(
        e,
        OptimizeError::Value("f(a) and f(b) must have different signs".into())
    );
    let e = brentq(cube, 0.0, 3.0, 0.0, BRENTQ_RTOL, BRENTQ_MAXITER).unwrap_err();
    assert_eq!(e, OptimizeError::Value("xtol too small (0 <= 0)".into()));
    let e = brentq(cube, 0.0, 3.0, BRENTQ_XTOL, 1e-20, BRENTQ_MAXITER).unwrap_err();
    assert_eq!(
        e,
        OptimizeError::Value("rtol too small (1e-20 < 8.88178e-16)".into())
    );
    // Not converging within maxiter is a result, not an error.
    let r = brentq(cube, 0.0, 3.0, BRENTQ_XTOL, BRENTQ_RTOL, 2).unwrap();
    assert!(!r.converged);
    assert_eq!(
        (r.root, r.iterations, r.function_calls),
        (1.5555555555555556, 2, 4)
    );
    assert_eq!(r.flag, "convergence error");
    // A NaN ends the search as root_scalar reports it.
    let r = brentq(
        |x: f64| {
            Ok::<f64, String>(if x > 1.5 && x < 1.6 {
                f64::NAN
            } else {
                x * x * x - 1.0
            })
        },
        0.0,
        3.0,
        BRENTQ_XTOL,
        BRENTQ_RTOL,
        100,
    )
    .unwrap();
    assert!(!r.converged);
    assert_eq!((r.root, r.function_calls), (1.5555555555555556, 4));
    assert_eq!(
        r.flag,
        "The function value at x=1.5555555555555556 is NaN; solver cannot continue."
    );
}

#[test]
fn newton_and_secant_edge_cases() {
    let r = newton(
        cube,
        |_x: f64| Ok::<f64, String>(0.0),
        0.5,
        1.48e-8,
        50,
        0.0,
    )
    .unwrap();
    assert!(!r.converged);
    assert_eq!((r.iterations, r.function_calls), (1, 2));
    let e = secant(cube, 0.5, Some(0.5), 1.48e-8, 50, 0.0).unwrap_err();
    assert_eq!(
        e,
        OptimizeError::Value("x1 and x0 must be different".into())
    );
    let e = newton(
        cube,
        |x: f64| Ok::<f64, String>(3.0 * x * x),
        0.5,
        1.48e-8,
        0,
        0.0,
    )
    .unwrap_err();
    assert_eq!(
        e,
        OptimizeError::Value("maxiter must be greater than 0".into())
    );
    let e = secant(cube, 0.5, None, -1.0, 50, 0.0).unwrap_err();
    assert_eq!(e, OptimizeError::Value("tol too small (-1 <= 0)".into()));
}

#[test]
fn scalar_function_errors_come_back_unchanged() {
    let mut n = 0;
    let g = |x: f64| {
        n += 1;
        if n == 5 {
            Err("stop".to_string())
        } else {
            f(x)
        }
    };
    assert_eq!(
        minimize_scalar(g, &ScalarMethod::Brent(BrentOptions::default())).unwrap_err(),
        OptimizeError::Objective("stop".to_string())
    );
    assert_eq!(n, 5);
    let mut n = 0;
    let h = |x: f64| {
        n += 1;
        if n == 4 {
            Err("stop".to_string())
        } else {
            cube(x)
        }
    };
    assert_eq!(
        brentq(h, 0.0, 3.0, BRENTQ_XTOL, BRENTQ_RTOL, 100).unwrap_err(),
        OptimizeError::Objective("stop".to_string())
    );
}
