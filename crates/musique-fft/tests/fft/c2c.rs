//! Complex-to-complex transforms (fft, ifft, fftn, ifftn) against the naive
//! DFT: every length 1..=200 plus primes and large lengths, f64 and f32, every
//! norm, both directions; n-D arrays along every axis and set of axes, with
//! zero-padding and cropping, through both the contiguous and the strided
//! (blocked) paths of the driver.

use crate::{ex, scaled, sign, to32, to64, with_ctx, NORMS};
use musique_fft::*;
use musique_testing::{along, assert_allclose_complex, naive_dft_table, Rng, SEED};
use num_complex::Complex64;

/// Every length 1..=200, then primes (Bluestein / Rader), a power of two and
/// a large prime.
fn lengths() -> Vec<usize> {
    (1..=200).chain([1009, 4096, 10007]).collect()
}

/// Tolerances. Inputs are uniform in [-1, 1) so outputs have size about
/// `√n · factor`; rounding of a good FFT grows like `log n` on top of that.
/// - f64: `rtol = 1e-10`, `atol = 1e-10 · √n · factor`. The largest error
///   measured over these lengths is 1.8e-14 · √n · factor (n = 10007), so
///   the margin is large, yet any wrong bin is off by order `√n · factor`.
/// - f32: compared with the f64 DFT of the same (rounded) f32 input,
///   `rtol = 1e-4`, `atol = 2e-5 · √n · factor`; the largest error measured
///   is 8.1e-7 · √n · factor (n = 10007, Bluestein), float32 epsilon being
///   6e-8.
fn atol64(n: usize, factor: f64) -> f64 {
    1e-10 * (n as f64).sqrt() * factor
}

fn atol32(n: usize, factor: f64) -> f64 {
    2e-5 * (n as f64).sqrt() * factor
}

#[test]
fn f64_c2c_matches_the_naive_dft_for_every_length_norm_and_direction() {
    let cancel = Cancel::never();
    let mut rng = Rng::new(SEED);
    for n in lengths() {
        let x = rng.complexes(n);
        let ax = Axes {
            axes: &[0],
            lens: &[n],
        };
        for forward in [true, false] {
            let want = naive_dft_table(&x, sign(forward));
            for norm in NORMS {
                let f = norm.factor(n, forward);
                let got = c2c(&x, &[n], &ax, forward, &ex(&cancel, norm, Par::SEQ)).unwrap();
                assert_eq!(got.shape, vec![n]);
                assert_allclose_complex(&got.data, &scaled(want.clone(), f), 1e-10, atol64(n, f));
            }
        }
    }
}

#[test]
fn f32_c2c_matches_the_naive_dft_for_every_length_norm_and_direction() {
    let cancel = Cancel::never();
    let mut rng = Rng::new(SEED + 1);
    for n in lengths() {
        let x32 = to32(&rng.complexes(n));
        let x = to64(&x32);
        let ax = Axes {
            axes: &[0],
            lens: &[n],
        };
        for forward in [true, false] {
            let want = naive_dft_table(&x, sign(forward));
            for norm in NORMS {
                let f = norm.factor(n, forward);
                let got = c2c(&x32, &[n], &ax, forward, &ex(&cancel, norm, Par::SEQ)).unwrap();
                assert_allclose_complex(
                    &to64(&got.data),
                    &scaled(want.clone(), f),
                    1e-4,
                    atol32(n, f),
                );
            }
        }
    }
}

#[test]
fn ifft_inverts_fft_for_every_norm() {
    let cancel = Cancel::never();
    let mut rng = Rng::new(SEED + 2);
    for n in [1, 2, 3, 7, 60, 97, 128, 1000, 1009] {
        let x = rng.complexes(n);
        let ax = Axes {
            axes: &[0],
            lens: &[n],
        };
        for norm in NORMS {
            let e = ex(&cancel, norm, Par::SEQ);
            let y = c2c(&x, &[n], &ax, true, &e).unwrap();
            let back = c2c(&y.data, &[n], &ax, false, &e).unwrap();
            assert_allclose_complex(&back.data, &x, 1e-10, 1e-12 * (n as f64).sqrt());
        }
    }
}

#[test]
fn c2c_into_writes_the_same_values_as_c2c() {
    let cancel = Cancel::never();
    let mut rng = Rng::new(SEED + 3);
    let shape = [6, 9];
    let x = rng.complexes(54);
    for (axes, lens) in [(&[1usize][..], &[9usize][..]), (&[0, 1], &[4, 12])] {
        let ax = Axes { axes, lens };
        let e = ex(&cancel, Norm::Ortho, Par::SEQ);
        let want = c2c(&x, &shape, &ax, false, &e).unwrap();
        assert_eq!(want.shape, output_shape(&shape, &ax, Layout::Same));
        // Pre-filled with garbage: every element must be overwritten.
        let mut out = vec![Complex64::new(f64::NAN, 7.0); want.data.len()];
        c2c_into(&x, &shape, &ax, false, &e, &mut out).unwrap();
        assert_eq!(out, want.data);
    }
}

#[test]
fn c2c_in_place_writes_the_same_values_as_c2c() {
    let cancel = Cancel::never();
    let mut rng = Rng::new(SEED + 4);
    // Contiguous and strided axes, several thread counts (the in-place pass
    // reads each block of lines before writing it back).
    let shape = [12, 40, 33];
    let x = rng.complexes(shape.iter().product());
    for axes in [&[2usize][..], &[1], &[0], &[0, 2], &[0, 1, 2]] {
        let lens: Vec<usize> = axes.iter().map(|&a| shape[a]).collect();
        let ax = Axes { axes, lens: &lens };
        for (norm, forward, threads) in [
            (Norm::Backward, true, 1),
            (Norm::Ortho, false, 2),
            (Norm::Forward, true, 3),
        ] {
            let e = ex(&cancel, norm, Par::new(threads));
            let want = c2c(&x, &shape, &ax, forward, &e).unwrap();
            let mut got = x.clone();
            c2c_in_place(&mut got, &shape, &ax, forward, &e).unwrap();
            assert_eq!(
                got, want.data,
                "axes {axes:?}, {norm:?}, forward {forward}, {threads} threads"
            );
        }
    }
    let x32 = to32(&x);
    let ax = Axes {
        axes: &[1, 2],
        lens: &[40, 33],
    };
    let e = ex(&cancel, Norm::Backward, Par::new(2));
    let want = c2c(&x32, &shape, &ax, true, &e).unwrap();
    let mut got = x32.clone();
    c2c_in_place(&mut got, &shape, &ax, true, &e).unwrap();
    assert_eq!(to64(&got), to64(&want.data));
}

/// The naive expectation of a c2c over `axes` with `lens`, line by line.
pub fn naive_nd(
    x: &[Complex64],
    shape: &[usize],
    axes: &[usize],
    lens: &[usize],
    forward: bool,
    norm: Norm,
) -> (Vec<Complex64>, Vec<usize>) {
    let (mut y, mut s) = (x.to_vec(), shape.to_vec());
    for (&a, &n) in axes.iter().zip(lens) {
        let f = norm.factor(n, forward);
        (y, s) = along(&y, &s, a, n, |line| {
            scaled(naive_dft_table(line, sign(forward)), f)
        });
    }
    (y, s)
}

fn check_nd(
    x: &[Complex64],
    shape: &[usize],
    axes: &[usize],
    lens: &[usize],
    forward: bool,
    norm: Norm,
    par: Par,
) {
    let cancel = Cancel::never();
    let ax = Axes { axes, lens };
    let got = c2c(x, shape, &ax, forward, &ex(&cancel, norm, par)).unwrap();
    let (want, s) = naive_nd(x, shape, axes, lens, forward, norm);
    let ctx = format!("shape {shape:?} axes {axes:?} lens {lens:?} forward {forward} {norm:?}");
    assert_eq!(got.shape, s, "{ctx}");
    let size: f64 = lens.iter().product::<usize>() as f64;
    let f: f64 = axes
        .iter()
        .zip(lens)
        .map(|(_, &n)| norm.factor(n, forward))
        .product();
    let atol = 1e-10 * size.sqrt() * f;
    with_ctx(&ctx, || {
        assert_allclose_complex(&got.data, &want, 1e-10, atol)
    });
}

/// Every ordered choice of 1, 2 or 3 distinct axes of `ndim`.
pub fn ordered_axes(ndim: usize) -> Vec<Vec<usize>> {
    let mut out: Vec<Vec<usize>> = vec![vec![]];
    let mut all = Vec::new();
    for _ in 0..ndim {
        let mut next = Vec::new();
        for p in &out {
            for a in 0..ndim {
                if !p.contains(&a) {
                    let mut q = p.clone();
                    q.push(a);
                    next.push(q);
                }
            }
        }
        all.extend(next.iter().cloned());
        out = next;
    }
    all
}

/// For each axis: its own length, a longer one (zero-padding) and a shorter
/// one (cropping).
pub fn len_choices(m: usize) -> [usize; 3] {
    [m, m + 3, m.saturating_sub(2).max(1)]
}

#[test]
fn three_d_c2c_matches_the_naive_dft_along_every_set_of_axes_with_padding_and_cropping() {
    let mut rng = Rng::new(SEED + 4);
    let shape = [3, 5, 4];
    let x = rng.complexes(60);
    let mut cases = 0;
    for axes in ordered_axes(3) {
        // Every combination of same / padded / cropped length per axis.
        let combos = 3usize.pow(axes.len() as u32);
        for c in 0..combos {
            let lens: Vec<usize> = axes
                .iter()
                .enumerate()
                .map(|(i, &a)| len_choices(shape[a])[(c / 3usize.pow(i as u32)) % 3])
                .collect();
            for forward in [true, false] {
                check_nd(&x, &shape, &axes, &lens, forward, Norm::Backward, Par::SEQ);
                cases += 1;
            }
        }
    }
    // 3·3 + 6·9 + 6·27 length choices, both directions.
    assert_eq!(cases, 2 * (9 + 54 + 162));
}

#[test]
fn three_d_c2c_applies_every_norm_once_per_axis() {
    let mut rng = Rng::new(SEED + 5);
    let shape = [3, 5, 4];
    let x = rng.complexes(60);
    for norm in NORMS {
        for forward in [true, false] {
            check_nd(&x, &shape, &[2, 0], &[4, 3], forward, norm, Par::SEQ);
            check_nd(&x, &shape, &[0, 1, 2], &[6, 5, 2], forward, norm, Par::SEQ);
            check_nd(&x, &shape, &[1], &[8], forward, norm, Par::SEQ);
        }
    }
}

#[test]
fn four_d_c2c_over_non_adjacent_axes() {
    let mut rng = Rng::new(SEED + 6);
    let shape = [2, 3, 4, 5];
    let x = rng.complexes(120);
    check_nd(&x, &shape, &[3, 1], &[5, 3], true, Norm::Ortho, Par::SEQ);
    check_nd(
        &x,
        &shape,
        &[0, 2],
        &[3, 2],
        false,
        Norm::Backward,
        Par::SEQ,
    );
    check_nd(
        &x,
        &shape,
        &[1, 3, 0, 2],
        &[4, 6, 2, 4],
        true,
        Norm::Forward,
        Par::SEQ,
    );
}

#[test]
fn strided_axes_wider_than_a_block_are_transformed_column_by_column() {
    // Along axis 0 of [7, 40] each pass gathers 16 columns at a time
    // (16 + 16 + 8): full and partial blocks, with and without padding.
    let mut rng = Rng::new(SEED + 7);
    let shape = [7, 40];
    let x = rng.complexes(280);
    for lens in [7, 9, 5, 1, 16] {
        for forward in [true, false] {
            check_nd(&x, &shape, &[0], &[lens], forward, Norm::Backward, Par::SEQ);
        }
    }
    check_nd(&x, &shape, &[0, 1], &[7, 40], true, Norm::Ortho, Par::SEQ);
    check_nd(
        &x,
        &shape,
        &[1, 0],
        &[33, 11],
        true,
        Norm::Backward,
        Par::SEQ,
    );
    // An axis in the middle: outer 3, inner 17 (blocks of 16 + 1).
    let shape = [3, 6, 17];
    let x = rng.complexes(3 * 6 * 17);
    check_nd(&x, &shape, &[1], &[6], true, Norm::Backward, Par::SEQ);
    check_nd(&x, &shape, &[1], &[10], false, Norm::Forward, Par::SEQ);
}

#[test]
fn contiguous_rows_in_partial_blocks() {
    // Along the last axis rows are grouped up to 16 at a time: 37 rows leave
    // a partial block of 5.
    let mut rng = Rng::new(SEED + 8);
    let shape = [37, 5];
    let x = rng.complexes(185);
    for lens in [5, 9, 3, 1] {
        check_nd(&x, &shape, &[1], &[lens], true, Norm::Backward, Par::SEQ);
    }
}

#[test]
fn long_strided_axis_of_a_large_array() {
    // [2048, 64] along axis 0: 2048-point columns gathered 8 at a time, above
    // the parallel threshold; padded to a prime and cropped too.
    let mut rng = Rng::new(SEED + 9);
    let shape = [2048, 64];
    let x = rng.complexes(2048 * 64);
    check_nd(&x, &shape, &[0], &[2048], true, Norm::Backward, Par::SEQ);
    check_nd(&x, &shape, &[0], &[2053], false, Norm::Ortho, Par::new(2));
    check_nd(&x, &shape, &[0], &[1000], true, Norm::Forward, Par::new(2));
    check_nd(&x, &shape, &[1], &[64], true, Norm::Backward, Par::new(2));
}

#[test]
fn arrays_with_an_empty_dimension() {
    let cancel = Cancel::never();
    let e = ex(&cancel, Norm::Backward, Par::SEQ);
    let x: Vec<Complex64> = vec![];
    // No lines: an empty result of the same shape.
    let got = c2c(
        &x,
        &[0, 4],
        &Axes {
            axes: &[1],
            lens: &[4],
        },
        true,
        &e,
    )
    .unwrap();
    assert_eq!(got.shape, vec![0, 4]);
    assert!(got.data.is_empty());
    // Padding an empty axis gives the transform of zeros.
    let got = c2c(
        &x,
        &[0, 4],
        &Axes {
            axes: &[0],
            lens: &[3],
        },
        true,
        &e,
    )
    .unwrap();
    assert_eq!(got.shape, vec![3, 4]);
    assert!(got.data.iter().all(|c| *c == Complex64::new(0.0, 0.0)));
}

#[test]
fn no_axes_returns_the_input_unchanged() {
    let cancel = Cancel::never();
    let mut rng = Rng::new(SEED + 10);
    let x = rng.complexes(12);
    let got = c2c(
        &x,
        &[3, 4],
        &Axes {
            axes: &[],
            lens: &[],
        },
        true,
        &ex(&cancel, Norm::Forward, Par::SEQ),
    )
    .unwrap();
    assert_eq!(got.shape, vec![3, 4]);
    assert_eq!(got.data, x);
}

#[test]
fn interleaved_views_round_trip() {
    let v: Vec<f64> = (0..10).map(|i| i as f64).collect();
    let c = as_complex(&v);
    assert_eq!(c.len(), 5);
    assert_eq!(c[2], Complex64::new(4.0, 5.0));
    let mut w = v.clone();
    as_complex_mut(&mut w)[1] = Complex64::new(-1.0, -2.0);
    assert_eq!(&w[2..4], &[-1.0, -2.0]);
    assert_eq!(into_interleaved(c.to_vec()), v);
}

/// Batches whose output reaches 8 MiB are transformed line by line into a
/// buffer and streamed to memory (non-temporal stores on x86_64): the same
/// values as transforming each line alone, with padding and cropping, in f64
/// and f32 (whose 8-byte elements start odd lines of 8001 off 16-byte alignment),
/// on one and two threads.
#[test]
fn large_batches_streamed_to_memory_match_single_lines() {
    let cancel = Cancel::never();
    let mut rng = Rng::new(SEED + 4);
    // 135 rows: at least 8 MiB of output in f32 too.
    let (rows, n) = (135usize, 8192usize);
    let x = rng.complexes(rows * n);
    for len in [n, 8200, 8001] {
        let ax = Axes {
            axes: &[1],
            lens: &[len],
        };
        let one = Axes {
            axes: &[0],
            lens: &[len],
        };
        for par in [Par::SEQ, Par::new(2)] {
            let e = ex(&cancel, Norm::Ortho, par);
            let got = c2c(&x, &[rows, n], &ax, true, &e).unwrap();
            let got32 = c2c(&to32(&x), &[rows, n], &ax, true, &e).unwrap();
            for r in [0, 1, 33, rows - 1] {
                let line = &x[r * n..(r + 1) * n];
                let want = c2c(line, &[n], &one, true, &e).unwrap();
                assert_eq!(
                    &got.data[r * len..(r + 1) * len],
                    &want.data[..],
                    "len {len} row {r}"
                );
                let want32 = c2c(&to32(line), &[n], &one, true, &e).unwrap();
                assert_eq!(
                    &got32.data[r * len..(r + 1) * len],
                    &want32.data[..],
                    "f32 len {len} row {r}"
                );
            }
        }
    }
}

/// Out of place, a strided pass with at least 8 MiB of output writes each
/// output row with streaming stores, a tile of rows at a time: results must
/// equal each column transformed alone, with partial blocks (width 530 =
/// 33 x 16 + 2 in f64; 1060 = 33 x 32 + 4 in f32, both above 8 MiB), a
/// partial row tile (1026 rows), padding and cropping, on one and two threads.
#[test]
fn streamed_strided_passes_match_single_columns() {
    let cancel = Cancel::never();
    let mut rng = Rng::new(SEED + 5);
    let rows = 1026usize;
    let (cols, cols32) = (530usize, 1060usize);
    let x = rng.complexes(rows * cols);
    let x32 = to32(&rng.complexes(rows * cols32));
    for len in [rows, 1030, 1021] {
        let ax = Axes {
            axes: &[0],
            lens: &[len],
        };
        for par in [Par::SEQ, Par::new(2)] {
            let e = ex(&cancel, Norm::Backward, par);
            let got = c2c(&x, &[rows, cols], &ax, true, &e).unwrap();
            for c in [0, 1, 15, 16, 17, 511, 512, 528, cols - 1] {
                let column: Vec<_> = (0..rows).map(|r| x[r * cols + c]).collect();
                let want = c2c(&column, &[rows], &ax, true, &e).unwrap();
                let col: Vec<_> = (0..len).map(|r| got.data[r * cols + c]).collect();
                assert_eq!(col, want.data, "len {len} column {c}");
            }
            let got32 = c2c(&x32, &[rows, cols32], &ax, true, &e).unwrap();
            for c in [0, 1, 31, 32, 33, 1023, 1024, 1056, cols32 - 1] {
                let column: Vec<_> = (0..rows).map(|r| x32[r * cols32 + c]).collect();
                let want = c2c(&column, &[rows], &ax, true, &e).unwrap();
                let col: Vec<_> = (0..len).map(|r| got32.data[r * cols32 + c]).collect();
                assert_eq!(to64(&col), to64(&want.data), "f32 len {len} column {c}");
            }
        }
    }
}

/// Passes along a strided axis gather blocks of up to 32 columns (256 bytes
/// of each row), a few rows at a time, with prefetching ahead: results must
/// equal each column transformed alone. Widths leave partial blocks (37 = 16 +
/// 16 + 5 in f64, 32 + 5 in f32), column lengths leave partial row tiles (13,
/// 19), lengths are padded and cropped, and a 3-D middle axis has both outer
/// and inner dimensions; complex and real (r2c: 8-byte input, 16-byte output)
/// on one and three threads.
#[test]
fn strided_blocks_match_single_columns() {
    let cancel = Cancel::never();
    let mut rng = Rng::new(SEED + 5);
    for (shape, axis) in [
        (vec![13usize, 37], 0usize),
        (vec![19, 37], 0),
        (vec![3, 13, 37], 1),
        (vec![40, 70], 0),
    ] {
        let total: usize = shape.iter().product();
        let x = rng.complexes(total);
        let xr: Vec<f64> = x.iter().map(|c| c.re).collect();
        let (rows, inner) = (shape[axis], shape[axis + 1..].iter().product::<usize>());
        let outer: usize = shape[..axis].iter().product();
        for len in [rows, rows + 3, rows - 2] {
            let ax = Axes {
                axes: &[axis],
                lens: &[len],
            };
            let one = Axes {
                axes: &[0],
                lens: &[len],
            };
            for par in [Par::SEQ, Par::new(3)] {
                let e = ex(&cancel, Norm::Ortho, par);
                let got = c2c(&x, &shape, &ax, true, &e).unwrap();
                let got32 = c2c(&to32(&x), &shape, &ax, true, &e).unwrap();
                let half = r2c(&xr, &shape, &ax, false, &e).unwrap();
                let m = len / 2 + 1;
                for o in [0, outer - 1] {
                    for j in [0, 5, 16, inner - 1] {
                        let col = |v: &[Complex64]| -> Vec<Complex64> {
                            (0..rows).map(|t| v[(o * rows + t) * inner + j]).collect()
                        };
                        let c = col(&x);
                        let want = c2c(&c, &[rows], &one, true, &e).unwrap();
                        let at = |t: usize| (o * len + t) * inner + j;
                        let got_col: Vec<Complex64> = (0..len).map(|t| got.data[at(t)]).collect();
                        assert_eq!(
                            got_col, want.data,
                            "{shape:?} axis {axis} len {len} column {o}/{j}"
                        );
                        let want32 = c2c(&to32(&c), &[rows], &one, true, &e).unwrap();
                        let got32_col: Vec<_> = (0..len).map(|t| got32.data[at(t)]).collect();
                        assert_eq!(
                            got32_col, want32.data,
                            "f32 {shape:?} len {len} column {o}/{j}"
                        );
                        let cr: Vec<f64> = c.iter().map(|c| c.re).collect();
                        let want_half = r2c(&cr, &[rows], &one, false, &e).unwrap();
                        let got_half: Vec<Complex64> =
                            (0..m).map(|t| half.data[(o * m + t) * inner + j]).collect();
                        assert_eq!(
                            got_half, want_half.data,
                            "r2c {shape:?} len {len} column {o}/{j}"
                        );
                    }
                }
            }
        }
    }
}
