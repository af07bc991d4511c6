//! Times the linalg backends on the same inputs, at one thread and at every
//! core: faer always, OpenBLAS when built with `--features openblas-system`.
//!
//! ```text
//! cargo run --release -p musique-linalg --example backends --features openblas-system -- --json
//! ```
//!
//! Flags: `--json` prints `{"rows":[{"name","backend","threads","medianMs"}]}`
//! (else a table); `--repeats N` timed runs per row (default 7, median
//! reported, after one warm-up); `--quick` divides every size by 10 (a smoke
//! run). Before timing, each case runs once on every backend and the results
//! are checked to agree (exit 1 when they do not); a backend that fails a
//! case is reported on stderr and left out of that case's rows.

use std::time::Instant;

use musique_linalg::{run_with, Assume, Backend, MatRef, Op, Output, Par};
use musique_testing::{Rng, SEED};

struct Case {
    name: String,
    op: Op,
    inputs: Vec<(Vec<f64>, usize, usize)>,
    /// Which output is unique and compared across backends.
    compare: usize,
}

fn random(rng: &mut Rng, r: usize, c: usize) -> (Vec<f64>, usize, usize) {
    (rng.reals(r * c), r, c)
}

/// Random plus n on the diagonal: well conditioned.
fn well(rng: &mut Rng, n: usize) -> (Vec<f64>, usize, usize) {
    let (mut d, _, _) = random(rng, n, n);
    for i in 0..n {
        d[i * n + i] += n as f64;
    }
    (d, n, n)
}

/// Symmetric, entries in [-1, 1], plus n on the diagonal: diagonally
/// dominant, hence positive definite.
fn spd(rng: &mut Rng, n: usize) -> (Vec<f64>, usize, usize) {
    let (r, _, _) = random(rng, n, n);
    let mut d = vec![0.0; n * n];
    for i in 0..n {
        for j in 0..n {
            d[i * n + j] = if i == j {
                r[i * n + i] + n as f64
            } else {
                r[i.min(j) * n + i.max(j)]
            };
        }
    }
    (d, n, n)
}

fn cases(scale: usize) -> Vec<Case> {
    let s = |n: usize| (n / scale).max(1);
    let mut rng = Rng::new(SEED);
    let mut v = Vec::new();
    let n = s(1000);
    v.push(Case {
        name: format!("matmul {n}"),
        op: Op::Matmul,
        inputs: vec![random(&mut rng, n, n), random(&mut rng, n, n)],
        compare: 0,
    });
    v.push(Case {
        name: format!("solve {n}"),
        op: Op::Solve {
            assume: Assume::Gen,
            lower: false,
            transposed: false,
        },
        inputs: vec![well(&mut rng, n), random(&mut rng, n, 1)],
        compare: 0,
    });
    v.push(Case {
        name: format!("inv {n}"),
        op: Op::Inv,
        inputs: vec![well(&mut rng, n)],
        compare: 0,
    });
    // det of the well matrix overflows; slogdet's scale is what matters, so
    // det runs on a matrix scaled to a determinant near one.
    let (mut d, _, _) = well(&mut rng, n);
    d.iter_mut().for_each(|x| *x /= n as f64);
    v.push(Case {
        name: format!("det {n}"),
        op: Op::Det,
        inputs: vec![(d, n, n)],
        compare: 0,
    });
    let m = s(500);
    v.push(Case {
        name: format!("svd {m}"),
        op: Op::Svd {
            full_matrices: false,
            compute_uv: true,
        },
        inputs: vec![random(&mut rng, m, m)],
        compare: 1,
    });
    v.push(Case {
        name: format!("eigh {n}"),
        op: Op::Eigh {
            lower: true,
            vectors: true,
            subset: None,
        },
        inputs: vec![spd(&mut rng, n)],
        compare: 0,
    });
    let (r, c) = (s(2000), s(500));
    v.push(Case {
        name: format!("lstsq {r}x{c}"),
        op: Op::Lstsq { cond: None },
        inputs: vec![random(&mut rng, r, c), random(&mut rng, r, 1)],
        compare: 0,
    });
    let n2 = s(2000);
    v.push(Case {
        name: format!("cholesky {n2}"),
        op: Op::Cholesky { lower: true },
        inputs: vec![spd(&mut rng, n2)],
        compare: 0,
    });
    v
}

fn values(o: &Output<f64>) -> &[f64] {
    match o {
        Output::Real { data, .. } | Output::Complex { data, .. } => data,
        Output::Int { .. } => &[],
    }
}

fn run(case: &Case, backend: Backend, par: Par) -> musique_linalg::Result<Vec<Output<f64>>> {
    let refs: Vec<MatRef<'_, f64>> = case
        .inputs
        .iter()
        .map(|(d, r, c)| MatRef::new(d, *r, *c))
        .collect();
    run_with(backend, &case.op, &refs, par)
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.partial_cmp(b).unwrap());
    let n = v.len();
    if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    }
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let json = args.iter().any(|a| a == "--json");
    let scale = if args.iter().any(|a| a == "--quick") {
        10
    } else {
        1
    };
    let repeats: usize = args
        .iter()
        .position(|a| a == "--repeats")
        .and_then(|i| args.get(i + 1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(7)
        .max(1);
    let backends: Vec<Backend> = {
        #[allow(unused_mut)]
        let mut b = vec![Backend::Faer];
        #[cfg(feature = "openblas-system")]
        b.push(Backend::OpenBlas);
        b
    };
    let cores = musique_core::available_cores();
    let mut threads = vec![1];
    if cores > 1 {
        threads.push(cores);
    }
    let mut rows = Vec::new();
    let mut disagree = false;
    for case in cases(scale) {
        // Check first: every backend's unique output agrees with the first
        // backend that succeeds.
        let mut ok: Vec<Backend> = Vec::new();
        let mut reference: Option<(Backend, Vec<f64>)> = None;
        for &b in &backends {
            match run(&case, b, Par::new(cores)) {
                Err(e) => eprintln!("{}: {} failed: {e}", case.name, b.internal_api()),
                Ok(out) => {
                    let vals = values(&out[case.compare]).to_vec();
                    if let Some((rb, rv)) = &reference {
                        let scale = rv.iter().fold(1.0f64, |m, x| m.max(x.abs()));
                        let worst = rv
                            .iter()
                            .zip(&vals)
                            .fold(0.0f64, |m, (x, y)| m.max((x - y).abs()));
                        if rv.len() != vals.len() || worst > 1e-6 * scale {
                            eprintln!(
                                "{}: {} and {} disagree (max difference {worst:e}, scale {scale:e})",
                                case.name,
                                rb.internal_api(),
                                b.internal_api()
                            );
                            disagree = true;
                            continue;
                        }
                    } else {
                        reference = Some((b, vals));
                    }
                    ok.push(b);
                }
            }
        }
        for &b in &ok {
            for &t in &threads {
                let par = Par::new(t);
                run(&case, b, par).expect("warm-up");
                let times: Vec<f64> = (0..repeats)
                    .map(|_| {
                        let start = Instant::now();
                        let out = run(&case, b, par).expect("timed run");
                        let ms = start.elapsed().as_secs_f64() * 1e3;
                        std::hint::black_box(out);
                        ms
                    })
                    .collect();
                rows.push((case.name.clone(), b.internal_api(), t, median(times)));
                if !json {
                    let (n, be, t, ms) = rows.last().unwrap();
                    println!("{n:<16} {be:<8} {t:>3} threads {ms:>10.3} ms");
                }
            }
        }
    }
    if json {
        let body: Vec<String> = rows
            .iter()
            .map(|(n, b, t, ms)| {
                format!(
                    "{{\"name\":\"{n}\",\"backend\":\"{b}\",\"threads\":{t},\"medianMs\":{ms:.4}}}"
                )
            })
            .collect();
        println!("{{\"rows\":[{}]}}", body.join(","));
    }
    if disagree {
        std::process::exit(1);
    }
}
