//! Quick timing of the driver without Node: `cargo run --release --example timing -p musique-fft`.
use musique_fft::*;
use num_complex::Complex;
use std::time::Instant;

fn main() {
    let cancel = Cancel::never();
    let (rows, n) = (512usize, 4096usize);
    let x: Vec<Complex<f64>> = (0..rows * n)
        .map(|i| Complex::new((i as f64).sin(), 0.5))
        .collect();
    for threads in [1, 2, 1] {
        let ex = Exec {
            norm: Norm::Backward,
            par: Par::new(threads),
            cancel: &cancel,
        };
        let ax = Axes {
            axes: &[1],
            lens: &[n],
        };
        let _ = c2c(&x, &[rows, n], &ax, true, &ex).unwrap();
        let t = Instant::now();
        for _ in 0..5 {
            let _ = c2c(&x, &[rows, n], &ax, true, &ex).unwrap();
        }
        println!(
            "batch threads {threads}: {:.2} ms",
            t.elapsed().as_secs_f64() * 1e3 / 5.0
        );
        let mut out = vec![Complex::new(0.0, 0.0); rows * n];
        c2c_into(&x, &[rows, n], &ax, true, &ex, &mut out).unwrap();
        let t = Instant::now();
        for _ in 0..10 {
            c2c_into(&x, &[rows, n], &ax, true, &ex, &mut out).unwrap();
        }
        println!(
            "batch into a reused buffer, threads {threads}: {:.2} ms ({} threads)",
            t.elapsed().as_secs_f64() * 1e3 / 10.0,
            effective_threads(&[rows, n], &[1], Par::new(threads))
        );
    }
    let big: Vec<Complex<f64>> = (0..1 << 20)
        .map(|i| Complex::new((i as f64).sin(), 0.5))
        .collect();
    let ex = Exec {
        norm: Norm::Backward,
        par: Par::SEQ,
        cancel: &cancel,
    };
    let ax = Axes {
        axes: &[0],
        lens: &[1 << 20],
    };
    let _ = c2c(&big, &[1 << 20], &ax, true, &ex).unwrap();
    let t = Instant::now();
    for _ in 0..5 {
        let _ = c2c(&big, &[1 << 20], &ax, true, &ex).unwrap();
    }
    println!("2^20: {:.2} ms", t.elapsed().as_secs_f64() * 1e3 / 5.0);

    let img: Vec<Complex<f64>> = (0..2048 * 2048)
        .map(|i| Complex::new((i as f64).sin(), 0.5))
        .collect();
    for (axes, name) in [
        (&[0usize, 1][..], "fft2"),
        (&[0][..], "axis0"),
        (&[1][..], "axis1"),
    ] {
        for threads in [1, 2] {
            let ex = Exec {
                norm: Norm::Backward,
                par: Par::new(threads),
                cancel: &cancel,
            };
            let lens = vec![2048; axes.len()];
            let ax = Axes { axes, lens: &lens };
            let _ = c2c(&img, &[2048, 2048], &ax, true, &ex).unwrap();
            let t = Instant::now();
            for _ in 0..3 {
                let _ = c2c(&img, &[2048, 2048], &ax, true, &ex).unwrap();
            }
            println!(
                "{name} threads {threads}: {:.2} ms",
                t.elapsed().as_secs_f64() * 1e3 / 3.0
            );
        }
    }
    let r: Vec<f64> = (0..1 << 20).map(|i| (i as f64).sin()).collect();
    let ex = Exec {
        norm: Norm::Backward,
        par: Par::SEQ,
        cancel: &cancel,
    };
    let ax = Axes {
        axes: &[0],
        lens: &[1 << 20],
    };
    let _ = r2r(&r, &[1 << 20], &ax, R2rKind::Dct(2), false, false, &ex).unwrap();
    let t = Instant::now();
    for _ in 0..5 {
        let _ = r2r(&r, &[1 << 20], &ax, R2rKind::Dct(2), false, false, &ex).unwrap();
    }
    println!("dct2 2^20: {:.2} ms", t.elapsed().as_secs_f64() * 1e3 / 5.0);
    let _ = r2c(&r, &[1 << 20], &ax, false, &ex).unwrap();
    let t = Instant::now();
    for _ in 0..5 {
        let _ = r2c(&r, &[1 << 20], &ax, false, &ex).unwrap();
    }
    println!("rfft 2^20: {:.2} ms", t.elapsed().as_secs_f64() * 1e3 / 5.0);
}
