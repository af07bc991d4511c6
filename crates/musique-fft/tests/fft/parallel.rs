//! Threads and cancellation: results with 2 and 4 threads equal the
//! sequential ones bit for bit above the parallel threshold; the thread
//! count never exceeds the lines of a pass and is one below the threshold; a
//! raised `Cancel` stops every kind of call with `FftError::Cancelled`.

use crate::{ex, to32};
use musique_core::PARALLEL_THRESHOLD;
use musique_fft::*;
use musique_testing::{Rng, SEED};
use num_complex::Complex;

/// Bitwise equality of float slices (distinguishes -0.0 and 0.0).
fn same_bits<T: Copy + Into<f64>>(a: &[T], b: &[T]) -> bool {
    a.len() == b.len()
        && a.iter()
            .zip(b)
            .all(|(&x, &y)| x.into().to_bits() == y.into().to_bits())
}

fn same_complex_bits<T: Copy + Into<f64>>(a: &[Complex<T>], b: &[Complex<T>]) -> bool {
    let flat = |v: &[Complex<T>]| v.iter().flat_map(|c| [c.re, c.im]).collect::<Vec<T>>();
    same_bits(&flat(a), &flat(b))
}

const SHAPE: [usize; 2] = [64, 1024];

/// Axes of [64, 1024] with their lengths: each axis, both, both orders, and
/// padded / cropped variants.
fn cases() -> Vec<(Vec<usize>, Vec<usize>)> {
    vec![
        (vec![0], vec![64]),
        (vec![1], vec![1024]),
        (vec![0, 1], vec![64, 1024]),
        (vec![1, 0], vec![1024, 64]),
        (vec![0], vec![100]),
        (vec![1, 0], vec![1000, 70]),
        (vec![0, 1], vec![40, 1031]),
    ]
}

#[test]
fn the_parallel_path_is_taken_for_these_sizes() {
    assert!(SHAPE[0] * SHAPE[1] >= PARALLEL_THRESHOLD);
    for threads in [2, 4] {
        assert_eq!(effective_threads(&SHAPE, &[0], Par::new(threads)), threads);
        assert_eq!(effective_threads(&SHAPE, &[1], Par::new(threads)), threads);
    }
}

#[test]
fn c2c_with_2_and_4_threads_is_bit_identical_to_one_thread() {
    let cancel = Cancel::never();
    let mut rng = Rng::new(SEED + 300);
    let x = rng.complexes(SHAPE[0] * SHAPE[1]);
    let x32 = to32(&x);
    for (axes, lens) in cases() {
        let ax = Axes {
            axes: &axes,
            lens: &lens,
        };
        for forward in [true, false] {
            let one = c2c(
                &x,
                &SHAPE,
                &ax,
                forward,
                &ex(&cancel, Norm::Ortho, Par::SEQ),
            )
            .unwrap();
            let one32 = c2c(
                &x32,
                &SHAPE,
                &ax,
                forward,
                &ex(&cancel, Norm::Ortho, Par::SEQ),
            )
            .unwrap();
            for threads in [2, 4] {
                let e = ex(&cancel, Norm::Ortho, Par::new(threads));
                let many = c2c(&x, &SHAPE, &ax, forward, &e).unwrap();
                assert_eq!(many.shape, one.shape);
                assert!(
                    same_complex_bits(&one.data, &many.data),
                    "f64 axes {axes:?} lens {lens:?} forward {forward}: {threads} threads differ"
                );
                let many32 = c2c(&x32, &SHAPE, &ax, forward, &e).unwrap();
                assert!(
                    same_complex_bits(&one32.data, &many32.data),
                    "f32 axes {axes:?} lens {lens:?}: {threads} threads differ"
                );
            }
        }
    }
}

#[test]
fn real_transforms_with_2_and_4_threads_are_bit_identical_to_one_thread() {
    let cancel = Cancel::never();
    let mut rng = Rng::new(SEED + 301);
    let x = rng.reals(SHAPE[0] * SHAPE[1]);
    for (axes, lens) in cases() {
        let ax = Axes {
            axes: &axes,
            lens: &lens,
        };
        for hermitian in [false, true] {
            let seq = ex(&cancel, Norm::Backward, Par::SEQ);
            let half = r2c(&x, &SHAPE, &ax, hermitian, &seq).unwrap();
            let back = c2r(&half.data, &half.shape, &ax, hermitian, &seq).unwrap();
            for threads in [2, 4] {
                let e = ex(&cancel, Norm::Backward, Par::new(threads));
                let h = r2c(&x, &SHAPE, &ax, hermitian, &e).unwrap();
                assert!(
                    same_complex_bits(&half.data, &h.data),
                    "r2c axes {axes:?} lens {lens:?} hermitian {hermitian}: {threads} threads"
                );
                let b = c2r(&half.data, &half.shape, &ax, hermitian, &e).unwrap();
                assert!(
                    same_bits(&back.data, &b.data),
                    "c2r axes {axes:?} lens {lens:?} hermitian {hermitian}: {threads} threads"
                );
            }
        }
    }
}

#[test]
fn dct_and_dst_with_2_and_4_threads_are_bit_identical_to_one_thread() {
    let cancel = Cancel::never();
    let mut rng = Rng::new(SEED + 302);
    let x = rng.reals(SHAPE[0] * SHAPE[1]);
    for kind in [
        R2rKind::Dct(1),
        R2rKind::Dct(2),
        R2rKind::Dst(3),
        R2rKind::Dst(4),
    ] {
        for (axes, lens) in cases() {
            let ax = Axes {
                axes: &axes,
                lens: &lens,
            };
            let one = r2r(
                &x,
                &SHAPE,
                &ax,
                kind,
                false,
                true,
                &ex(&cancel, Norm::Ortho, Par::SEQ),
            )
            .unwrap();
            for threads in [2, 4] {
                let e = ex(&cancel, Norm::Ortho, Par::new(threads));
                let many = r2r(&x, &SHAPE, &ax, kind, false, true, &e).unwrap();
                assert!(
                    same_bits(&one.data, &many.data),
                    "{kind:?} axes {axes:?} lens {lens:?}: {threads} threads differ"
                );
            }
        }
    }
}

/// Lines of a pass along `axis`: the product of the other dimensions.
fn lines(shape: &[usize], axis: usize) -> usize {
    shape
        .iter()
        .enumerate()
        .filter(|&(i, _)| i != axis)
        .map(|(_, &d)| d)
        .product()
}

#[test]
fn effective_threads_never_exceed_the_lines_and_are_one_below_the_threshold() {
    let mut rng = Rng::new(SEED + 303);
    let dims = [1usize, 2, 3, 7, 16, 64, 100, 181, 1024, 5000, 40000];
    for _ in 0..3000 {
        let ndim = 1 + (rng.next_u64() % 3) as usize;
        let shape: Vec<usize> = (0..ndim)
            .map(|_| dims[(rng.next_u64() % dims.len() as u64) as usize])
            .collect();
        let size: usize = shape.iter().product();
        if size > 1 << 28 {
            continue;
        }
        let axes: Vec<usize> = (0..ndim)
            .filter(|_| rng.next_u64().is_multiple_of(2))
            .collect();
        let threads = 1 + (rng.next_u64() % 8) as usize;
        let t = effective_threads(&shape, &axes, Par::new(threads));
        let ctx = format!("shape {shape:?} axes {axes:?} threads {threads}: {t}");
        assert!(t >= 1 && t <= threads, "{ctx}");
        let most_lines = axes.iter().map(|&a| lines(&shape, a)).max().unwrap_or(1);
        assert!(t <= most_lines.max(1), "{ctx}");
        if size < PARALLEL_THRESHOLD {
            assert_eq!(t, 1, "{ctx}");
        }
        // Above the threshold, some pass with several lines gets threads.
        if size >= PARALLEL_THRESHOLD && threads > 1 && most_lines > 1 {
            assert!(t > 1, "{ctx}");
        }
    }
    // Hand-checked cases.
    assert_eq!(effective_threads(&[100, 100], &[0, 1], Par::new(8)), 1);
    assert_eq!(effective_threads(&[3, 100_000], &[1], Par::new(8)), 3);
    assert_eq!(effective_threads(&[1, 100_000], &[1], Par::new(8)), 1);
    assert_eq!(effective_threads(&[100_000], &[0], Par::new(8)), 1);
    assert_eq!(effective_threads(&[2, 16_384], &[1], Par::new(8)), 2);
    assert_eq!(effective_threads(&[2, 16_383], &[1], Par::new(8)), 1);
    assert_eq!(effective_threads(&[64, 1024], &[], Par::new(8)), 1);
    assert_eq!(effective_threads(&[64, 1024], &[0, 1], Par::SEQ), 1);
}

#[test]
fn pools_are_built_only_when_a_pass_really_runs_in_parallel() {
    // Three and five threads are used by no other test of this binary.
    let cancel = Cancel::never();
    let x = vec![Complex::new(1.0f64, 0.0); 64 * 1024];
    c2c(
        &x[..100 * 100],
        &[100, 100],
        &Axes {
            axes: &[0, 1],
            lens: &[100, 100],
        },
        true,
        &ex(&cancel, Norm::Backward, Par::new(5)),
    )
    .unwrap();
    assert!(!musique_core::pool_sizes().contains(&5));
    c2c(
        &x,
        &SHAPE,
        &Axes {
            axes: &[0],
            lens: &[64],
        },
        true,
        &ex(&cancel, Norm::Backward, Par::new(3)),
    )
    .unwrap();
    assert!(musique_core::pool_sizes().contains(&3));
}

#[test]
fn a_cancel_raised_before_the_call_stops_every_transform() {
    let cancel = Cancel::new();
    cancel.cancel();
    let mut rng = Rng::new(SEED + 304);
    let xc = rng.complexes(SHAPE[0] * SHAPE[1]);
    let xr = rng.reals(SHAPE[0] * SHAPE[1]);
    let both = Axes {
        axes: &[0, 1],
        lens: &[64, 1024],
    };
    let last = Axes {
        axes: &[1],
        lens: &[1024],
    };
    let padded = Axes {
        axes: &[1, 0],
        lens: &[2000, 64],
    };
    for par in [Par::SEQ, Par::new(2)] {
        for norm in [Norm::Backward, Norm::Ortho] {
            let e = ex(&cancel, norm, par);
            for ax in [&both, &last, &padded] {
                for forward in [true, false] {
                    assert_eq!(c2c(&xc, &SHAPE, ax, forward, &e), Err(FftError::Cancelled));
                    let mut out = vec![
                        Complex::new(0.0, 0.0);
                        output_shape(&SHAPE, ax, Layout::Same).iter().product()
                    ];
                    assert_eq!(
                        c2c_into(&xc, &SHAPE, ax, forward, &e, &mut out),
                        Err(FftError::Cancelled)
                    );
                }
                for hermitian in [false, true] {
                    assert_eq!(
                        r2c(&xr, &SHAPE, ax, hermitian, &e),
                        Err(FftError::Cancelled)
                    );
                    assert_eq!(
                        c2r(&xc, &SHAPE, ax, hermitian, &e),
                        Err(FftError::Cancelled)
                    );
                }
                for kind in [R2rKind::Dct(2), R2rKind::Dst(1), R2rKind::Dct(4)] {
                    assert_eq!(
                        r2r(&xr, &SHAPE, ax, kind, false, false, &e),
                        Err(FftError::Cancelled)
                    );
                }
            }
        }
    }
    // Small inputs too (one thread, one block).
    let e = ex(&cancel, Norm::Backward, Par::SEQ);
    let one = Axes {
        axes: &[0],
        lens: &[8],
    };
    assert_eq!(
        c2c(&xc[..8], &[8], &one, true, &e),
        Err(FftError::Cancelled)
    );
}

#[test]
fn a_clone_of_the_flag_cancels_the_call() {
    let cancel = Cancel::new();
    let handle = cancel.clone();
    let x = vec![Complex::new(0.5f32, 0.0); 16];
    let ax = Axes {
        axes: &[0],
        lens: &[16],
    };
    assert!(c2c(&x, &[16], &ax, true, &ex(&cancel, Norm::Backward, Par::SEQ)).is_ok());
    handle.cancel();
    assert_eq!(
        c2c(&x, &[16], &ax, true, &ex(&cancel, Norm::Backward, Par::SEQ)),
        Err(FftError::Cancelled)
    );
}

#[test]
fn a_cancel_raised_from_another_thread_is_seen() {
    let cancel = Cancel::new();
    let handle = cancel.clone();
    let x = vec![Complex::new(0.25f64, -1.0); SHAPE[0] * SHAPE[1]];
    let ax = Axes {
        axes: &[0, 1],
        lens: &[64, 1024],
    };
    let raiser = std::thread::spawn(move || {
        std::thread::sleep(std::time::Duration::from_millis(20));
        handle.cancel();
    });
    let start = std::time::Instant::now();
    let e = ex(&cancel, Norm::Backward, Par::new(2));
    loop {
        match c2c(&x, &SHAPE, &ax, true, &e) {
            Ok(_) => assert!(start.elapsed().as_secs() < 30, "the flag was never seen"),
            Err(err) => {
                assert_eq!(err, FftError::Cancelled);
                break;
            }
        }
    }
    raiser.join().unwrap();
    assert_eq!(FftError::from(Cancelled), FftError::Cancelled);
}
