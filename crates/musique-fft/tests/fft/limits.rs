//! Memory: intermediates stay within what the input and result need, the
//! workspace bound covers plans, and shapes past `usize` are refused.

use musique_fft::{
    c2c, c2r, r2c, workspace, Axes, Cancel, FftError, Norm, Par, R2rKind, Transform,
};
use num_complex::Complex64;

use crate::ex;

/// `[1, 2^20] → [2^20, 1]` over both axes crops first: the 2^40-value
/// intermediate that padding first would need is never made.
#[test]
fn padding_one_axis_and_cropping_another_crops_first() {
    let n = 1 << 20;
    let x: Vec<Complex64> = (0..n)
        .map(|i| Complex64::new(i as f64 + 2.0, 1.0))
        .collect();
    let (axes, lens) = ([0usize, 1], [n, 1]);
    let ax = Axes {
        axes: &axes,
        lens: &lens,
    };
    let bound = workspace::<f64>(&[1, n], &ax, Transform::C2c, Par::SEQ).unwrap();
    assert!(bound < 256 << 20, "workspace bound {bound}");
    let cancel = Cancel::never();
    let got = c2c(
        &x,
        &[1, n],
        &ax,
        true,
        &ex(&cancel, Norm::Backward, Par::SEQ),
    )
    .unwrap();
    assert_eq!(got.shape, [n, 1]);
    // Cropped to x[0, 0] = 2 + i, then padded: its DFT is that value everywhere.
    assert!(got.data.iter().all(|&v| v == Complex64::new(2.0, 1.0)));
}

/// r2c crops the other axes before its real pass; c2r crops the last axis
/// before its complex passes.
#[test]
fn real_transforms_crop_before_the_pass_that_must_come_first() {
    let cancel = Cancel::never();
    let e = ex(&cancel, Norm::Backward, Par::SEQ);
    let n = 1 << 16;
    let x: Vec<f64> = (0..n).map(|i| (i % 7) as f64).collect();
    // rfftn of [2^16, 1] to [1, 2^16]: axis 0 cropped to 1 row, axis 1 padded.
    let (axes, lens) = ([0usize, 1], [1, n]);
    let ax = Axes {
        axes: &axes,
        lens: &lens,
    };
    let bound = workspace::<f64>(&[n, 1], &ax, Transform::R2c, Par::SEQ).unwrap();
    assert!(bound < 64 << 20, "workspace bound {bound}");
    let got = r2c(&x, &[n, 1], &ax, false, &e).unwrap();
    assert_eq!(got.shape, [1, n / 2 + 1]);
    assert!(got.data.iter().all(|&v| v == Complex64::new(0.0, 0.0)));
    // irfftn of [1, 2^16] half spectra to [2^16, 2]: the last axis cropped first.
    let spec: Vec<Complex64> = (0..n)
        .map(|i| Complex64::new(if i == 0 { 4.0 } else { 1.0 }, 0.0))
        .collect();
    let (axes, lens) = ([0usize, 1], [n, 2]);
    let ax = Axes {
        axes: &axes,
        lens: &lens,
    };
    let bound =
        workspace::<f64>(&[1, n], &ax, Transform::C2r { hermitian: false }, Par::SEQ).unwrap();
    assert!(bound < 64 << 20, "workspace bound {bound}");
    let got = c2r(&spec, &[1, n], &ax, false, &e).unwrap();
    assert_eq!(got.shape, [n, 2]);
    // Half spectrum [4, 1] of length 2 on each of 2^16 rows (one nonzero row):
    // irfft of [4, 1] is [2.5, 1.5], then the inverse along axis 0 spreads it.
    let s = 1.0 / n as f64;
    assert!((got.data[0] - 2.5 * s).abs() < 1e-15 && (got.data[1] - 1.5 * s).abs() < 1e-15);
}

/// Bluestein lengths cost more than smooth ones; the bound grows with threads.
#[test]
fn workspace_bounds_plans_and_scratch() {
    let ws = |n: usize, t: Transform, threads: usize| {
        workspace::<f64>(
            &[4],
            &Axes {
                axes: &[0],
                lens: &[n],
            },
            t,
            Par::new(threads),
        )
        .unwrap()
    };
    let smooth = ws(1 << 24, Transform::C2c, 1);
    let prime = ws(16777213, Transform::C2c, 1);
    assert!(prime > 2 * smooth, "{prime} vs {smooth}");
    assert!(ws(1 << 24, Transform::R2c, 1) <= smooth);
    assert!(ws(1 << 24, Transform::R2r(R2rKind::Dct(2)), 1) > 0);
    // 2^31 - 1 is prime: its plan alone needs tens of GiB.
    assert!(ws((1 << 31) - 1, Transform::C2c, 1) > 64 << 30);
}

/// A shape whose number of elements wraps around `usize` is refused.
#[test]
fn shapes_past_usize_are_refused() {
    let cancel = Cancel::never();
    let e = ex(&cancel, Norm::Backward, Par::SEQ);
    let shape = [1usize << 32, 1 << 32, 1];
    let x: Vec<Complex64> = Vec::new();
    let err = c2c(
        &x,
        &shape,
        &Axes {
            axes: &[2],
            lens: &[1],
        },
        true,
        &e,
    )
    .unwrap_err();
    assert_eq!(err, FftError::TooLarge);
}
