//! Refused requests come back as the right `FftError`, never as a panic; and
//! the small public helpers (`Norm`, `R2rKind`, `output_shape`).

use crate::ex;
use musique_fft::*;
use num_complex::Complex64;
use std::panic::{catch_unwind, AssertUnwindSafe};

/// Runs `f`, failing the test (instead of unwinding) if it panics.
fn no_panic<R>(what: &str, f: impl FnOnce() -> R) -> R {
    match catch_unwind(AssertUnwindSafe(f)) {
        Ok(r) => r,
        Err(_) => panic!("{what} panicked instead of returning an error"),
    }
}

/// The error `f` returns, failing the test if it succeeds or panics.
fn fails<R: std::fmt::Debug>(what: &str, f: impl FnOnce() -> Result<R, FftError>) -> FftError {
    match no_panic(what, f) {
        Ok(r) => panic!("{what} succeeded: {r:?}"),
        Err(e) => e,
    }
}

fn ax<'a>(axes: &'a [usize], lens: &'a [usize]) -> Axes<'a> {
    Axes { axes, lens }
}

#[test]
fn shape_and_data_length_must_agree() {
    let cancel = Cancel::never();
    let e = ex(&cancel, Norm::Backward, Par::SEQ);
    let c = vec![Complex64::new(1.0, 0.0); 6];
    let r = vec![1.0; 6];
    let want = FftError::ShapeMismatch {
        len: 6,
        expected: 4,
    };
    let a = ax(&[0], &[2]);
    assert_eq!(fails("c2c", || c2c(&c, &[2, 2], &a, true, &e)), want);
    assert_eq!(fails("r2c", || r2c(&r, &[2, 2], &a, false, &e)), want);
    assert_eq!(fails("c2r", || c2r(&c, &[2, 2], &a, true, &e)), want);
    assert_eq!(
        fails("r2r", || r2r(
            &r,
            &[2, 2],
            &a,
            R2rKind::Dct(2),
            false,
            false,
            &e
        )),
        want
    );
    // Too few elements as well as too many.
    assert_eq!(
        fails("c2c short", || c2c(&c, &[7], &ax(&[0], &[7]), true, &e)),
        FftError::ShapeMismatch {
            len: 6,
            expected: 7
        }
    );
}

#[test]
fn output_buffers_must_have_the_output_shape() {
    let cancel = Cancel::never();
    let e = ex(&cancel, Norm::Backward, Par::SEQ);
    let c = vec![Complex64::new(1.0, 0.0); 6];
    let r = vec![1.0; 6];
    let a = ax(&[0], &[6]);
    let mut small_c = vec![Complex64::new(0.0, 0.0); 3];
    let mut small_r = vec![0.0; 3];
    let short = |expected| FftError::ShapeMismatch { len: 3, expected };
    assert_eq!(
        fails("c2c_into", || c2c_into(
            &c,
            &[6],
            &a,
            true,
            &e,
            &mut small_c
        )),
        short(6)
    );
    // r2c of 6 points has 4 outputs; c2r to 6 points has 6.
    assert_eq!(
        fails("r2c_into", || r2c_into(
            &r,
            &[6],
            &a,
            false,
            &e,
            &mut small_c
        )),
        short(4)
    );
    assert_eq!(
        fails("c2r_into", || c2r_into(
            &c,
            &[6],
            &a,
            false,
            &e,
            &mut small_r
        )),
        short(6)
    );
    assert_eq!(
        fails("r2r_into", || r2r_into(
            &r,
            &[6],
            &a,
            R2rKind::Dst(2),
            false,
            false,
            &e,
            &mut small_r
        )),
        short(6)
    );
}

#[test]
fn axes_must_be_in_range_and_distinct() {
    let cancel = Cancel::never();
    let e = ex(&cancel, Norm::Backward, Par::SEQ);
    let c = vec![Complex64::new(1.0, 0.0); 6];
    let r = vec![1.0; 6];
    let shape = [2, 3];
    let cases: [(&[usize], &[usize], usize); 4] = [
        (&[2], &[2], 2),
        (&[0, 5], &[2, 2], 5),
        (&[1, 1], &[3, 3], 1),
        (&[0, 1, 0], &[2, 3, 2], 0),
    ];
    for (axes, lens, bad) in cases {
        let want = FftError::InvalidAxis { axis: bad, ndim: 2 };
        let a = ax(axes, lens);
        assert_eq!(
            fails("c2c", || c2c(&c, &shape, &a, true, &e)),
            want,
            "{axes:?}"
        );
        assert_eq!(
            fails("r2c", || r2c(&r, &shape, &a, false, &e)),
            want,
            "{axes:?}"
        );
        assert_eq!(
            fails("c2r", || c2r(&c, &shape, &a, false, &e)),
            want,
            "{axes:?}"
        );
        assert_eq!(
            fails("r2r", || r2r(
                &r,
                &shape,
                &a,
                R2rKind::Dct(3),
                true,
                true,
                &e
            )),
            want,
            "{axes:?}"
        );
    }
    // A 0-d array has no axis 0.
    assert_eq!(
        fails("0-d", || c2c(&c[..1], &[], &ax(&[0], &[1]), true, &e)),
        FftError::InvalidAxis { axis: 0, ndim: 0 }
    );
    // As many lengths as axes.
    assert!(matches!(
        fails("lens", || c2c(&c, &shape, &ax(&[0, 1], &[2]), true, &e)),
        FftError::InvalidAxis { .. }
    ));
    assert!(matches!(
        fails("lens", || r2c(&r, &shape, &ax(&[1], &[3, 3]), false, &e)),
        FftError::InvalidAxis { .. }
    ));
    // Real transforms need a last axis.
    assert!(matches!(
        fails("r2c no axes", || r2c(&r, &shape, &ax(&[], &[]), false, &e)),
        FftError::InvalidAxis { .. }
    ));
    assert!(matches!(
        fails("c2r no axes", || c2r(&c, &shape, &ax(&[], &[]), true, &e)),
        FftError::InvalidAxis { .. }
    ));
}

#[test]
fn lengths_must_be_positive_and_dct1_needs_two_points() {
    let cancel = Cancel::never();
    let e = ex(&cancel, Norm::Backward, Par::SEQ);
    let c = vec![Complex64::new(1.0, 0.0); 6];
    let r = vec![1.0; 6];
    let zero = FftError::InvalidLength { n: 0, min: 1 };
    for (axes, lens) in [(&[0usize][..], &[0usize][..]), (&[1, 0], &[3, 0])] {
        let a = ax(axes, lens);
        assert_eq!(fails("c2c", || c2c(&c, &[2, 3], &a, true, &e)), zero);
        assert_eq!(fails("r2c", || r2c(&r, &[2, 3], &a, false, &e)), zero);
        assert_eq!(fails("c2r", || c2r(&c, &[2, 3], &a, false, &e)), zero);
        for kind in [R2rKind::Dct(2), R2rKind::Dst(1), R2rKind::Dct(1)] {
            let got = fails("r2r", || r2r(&r, &[2, 3], &a, kind, false, false, &e));
            assert!(
                matches!(got, FftError::InvalidLength { n: 0, .. }),
                "{kind:?}: {got:?}"
            );
        }
    }
    // irfft / hfft to zero points (the last length is the real output's).
    assert_eq!(
        fails("c2r 0", || c2r(&c, &[6], &ax(&[0], &[0]), true, &e)),
        zero
    );
    // DCT-I of one point, forward or inverse, whether the data or `lens` says so.
    let one = FftError::InvalidLength { n: 1, min: 2 };
    for inverse in [false, true] {
        assert_eq!(
            fails("dct1", || r2r(
                &r[..1],
                &[1],
                &ax(&[0], &[1]),
                R2rKind::Dct(1),
                inverse,
                false,
                &e
            )),
            one
        );
        assert_eq!(
            fails("dct1 crop", || r2r(
                &r,
                &[2, 3],
                &ax(&[1], &[1]),
                R2rKind::Dct(1),
                inverse,
                true,
                &e
            )),
            one
        );
    }
    // One point is fine for every other type.
    for kind in [
        R2rKind::Dct(2),
        R2rKind::Dct(3),
        R2rKind::Dct(4),
        R2rKind::Dst(1),
        R2rKind::Dst(2),
        R2rKind::Dst(3),
        R2rKind::Dst(4),
    ] {
        assert!(r2r(&r[..1], &[1], &ax(&[0], &[1]), kind, false, true, &e).is_ok());
    }
}

#[test]
fn dct_and_dst_types_outside_one_to_four_are_refused() {
    let cancel = Cancel::never();
    let e = ex(&cancel, Norm::Ortho, Par::SEQ);
    let r = vec![1.0; 6];
    let a = ax(&[0], &[6]);
    for t in [0u8, 5, 6, 255] {
        for kind in [R2rKind::Dct(t), R2rKind::Dst(t)] {
            for inverse in [false, true] {
                assert_eq!(
                    fails("r2r", || r2r(&r, &[6], &a, kind, inverse, false, &e)),
                    FftError::InvalidType(t)
                );
                let mut out = vec![0.0; 6];
                assert_eq!(
                    fails("r2r_into", || r2r_into(
                        &r,
                        &[6],
                        &a,
                        kind,
                        inverse,
                        false,
                        &e,
                        &mut out
                    )),
                    FftError::InvalidType(t)
                );
            }
        }
    }
}

#[test]
fn errors_have_messages() {
    for err in [
        FftError::Cancelled,
        FftError::ShapeMismatch {
            len: 1,
            expected: 2,
        },
        FftError::InvalidAxis { axis: 3, ndim: 2 },
        FftError::InvalidLength { n: 0, min: 1 },
        FftError::InvalidType(5),
    ] {
        let msg = err.to_string();
        assert!(!msg.is_empty(), "{err:?}");
        let boxed: Box<dyn std::error::Error> = Box::new(err.clone());
        assert_eq!(boxed.to_string(), msg);
    }
    assert!(FftError::InvalidType(7).to_string().contains('7'));
}

#[test]
fn norm_names_and_factors_follow_scipy() {
    assert_eq!(Norm::parse("backward"), Some(Norm::Backward));
    assert_eq!(Norm::parse("ortho"), Some(Norm::Ortho));
    assert_eq!(Norm::parse("forward"), Some(Norm::Forward));
    assert_eq!(Norm::parse("Ortho"), None);
    assert_eq!(Norm::parse(""), None);
    assert_eq!(Norm::default(), Norm::Backward);
    // The wire codes are the indices in `ALL`, in SciPy's order; names round-trip.
    assert_eq!(Norm::ALL, [Norm::Backward, Norm::Ortho, Norm::Forward]);
    for norm in Norm::ALL {
        assert_eq!(Norm::parse(norm.name()), Some(norm));
    }
    for n in [1usize, 2, 7, 64, 1000] {
        let nf = n as f64;
        for norm in [Norm::Backward, Norm::Ortho, Norm::Forward] {
            // Forward and inverse factors multiply to 1/n.
            let prod = norm.factor(n, true) * norm.factor(n, false);
            assert!((prod * nf - 1.0).abs() < 1e-15, "{norm:?} {n}");
        }
        assert_eq!(Norm::Backward.factor(n, true), 1.0);
        assert_eq!(Norm::Forward.factor(n, false), 1.0);
        assert!((Norm::Ortho.factor(n, true) - 1.0 / nf.sqrt()).abs() < 1e-15);
        assert_eq!(Norm::Ortho.factor(n, true), Norm::Ortho.factor(n, false));
    }
}

#[test]
fn r2r_kinds_know_their_inverse_and_logical_length() {
    for t in 1..=4u8 {
        for kind in [R2rKind::Dct(t), R2rKind::Dst(t)] {
            assert_eq!(kind.inverse().inverse(), kind);
        }
    }
    assert_eq!(R2rKind::Dct(2).inverse(), R2rKind::Dct(3));
    assert_eq!(R2rKind::Dst(3).inverse(), R2rKind::Dst(2));
    assert_eq!(R2rKind::Dct(1).inverse(), R2rKind::Dct(1));
    assert_eq!(R2rKind::Dst(4).inverse(), R2rKind::Dst(4));
    assert_eq!(R2rKind::Dct(1).logical_len(5), 8);
    assert_eq!(R2rKind::Dst(1).logical_len(5), 12);
    for t in 2..=4 {
        assert_eq!(R2rKind::Dct(t).logical_len(5), 10);
        assert_eq!(R2rKind::Dst(t).logical_len(5), 10);
    }
}

#[test]
fn output_shapes_by_layout() {
    let a = ax(&[2, 0], &[9, 4]);
    let shape = [3, 5, 6];
    assert_eq!(output_shape(&shape, &a, Layout::Same), vec![4, 5, 9]);
    assert_eq!(output_shape(&shape, &a, Layout::Real), vec![4, 5, 9]);
    // The last axis listed (0) holds the half spectrum: 4 / 2 + 1.
    assert_eq!(output_shape(&shape, &a, Layout::Half), vec![3, 5, 9]);
    let b = ax(&[0, 2], &[4, 9]);
    assert_eq!(output_shape(&shape, &b, Layout::Half), vec![4, 5, 5]);
    assert_eq!(
        output_shape(&shape, &ax(&[], &[]), Layout::Half),
        shape.to_vec()
    );
}

#[test]
fn in_place_transforms_refuse_to_change_a_length() {
    let cancel = Cancel::never();
    let e = Exec {
        norm: Norm::Backward,
        par: Par::SEQ,
        cancel: &cancel,
    };
    let mut x = vec![Complex64::new(1.0, 0.0); 12];
    let err = fails("c2c_in_place padding", || {
        c2c_in_place(&mut x, &[3, 4], &ax(&[1], &[5]), true, &e)
    });
    assert_eq!(
        err,
        FftError::LengthChange {
            axis: 1,
            len: 4,
            n: 5
        }
    );
    assert!(err.to_string().contains("axis 1 has 4, not 5"), "{err}");
    let mut r = vec![1.0f64; 12];
    let err = fails("r2r_in_place cropping", || {
        r2r_in_place(
            &mut r,
            &[3, 4],
            &ax(&[0], &[2]),
            R2rKind::Dct(2),
            false,
            false,
            &e,
        )
    });
    assert_eq!(
        err,
        FftError::LengthChange {
            axis: 0,
            len: 3,
            n: 2
        }
    );
    // The usual checks come first: a shape that disagrees with the data.
    let err = fails("c2c_in_place bad shape", || {
        c2c_in_place(&mut x, &[5, 4], &ax(&[1], &[4]), true, &e)
    });
    assert!(matches!(err, FftError::ShapeMismatch { .. }), "{err:?}");
    let err = fails("r2r_in_place type 5", || {
        r2r_in_place(
            &mut r,
            &[12],
            &ax(&[0], &[12]),
            R2rKind::Dst(5),
            false,
            false,
            &e,
        )
    });
    assert_eq!(err, FftError::InvalidType(5));
    // Refused requests leave the data as it was.
    assert!(x.iter().all(|&v| v == Complex64::new(1.0, 0.0)));
    assert!(r.iter().all(|&v| v == 1.0));
}
