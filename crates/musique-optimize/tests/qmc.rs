//! scipy.stats.qmc: unscrambled Sobol' and Halton against SciPy bit for bit
//! (tests/data/qmc.json from tools/qmc_fixtures.py); scrambled samplers and
//! Latin hypercubes by their stratification and discrepancy.

use musique_optimize::qmc::{centered_discrepancy, Halton, LatinHypercube, QmcError, Rng, Sobol};
use musique_testing::SEED;
use serde_json::Value;

fn fixtures() -> Value {
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/qmc.json"))
        .unwrap();
    serde_json::from_str(&text).unwrap()
}

fn bits(v: &Value) -> f64 {
    f64::from_bits(u64::from_str_radix(v.as_str().unwrap(), 16).unwrap())
}

fn expected(case: &Value) -> Vec<f64> {
    case["sample"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|r| r.as_array().unwrap().iter().map(bits))
        .collect()
}

fn assert_bitwise(actual: &[f64], expected: &[f64], what: &str) {
    assert_eq!(actual.len(), expected.len(), "{what}: lengths");
    for (i, (a, e)) in actual.iter().zip(expected).enumerate() {
        assert_eq!(
            a.to_bits(),
            e.to_bits(),
            "{what}: index {i}: {a} vs SciPy {e}"
        );
    }
}

#[test]
fn unscrambled_sequences_equal_scipy_bit_for_bit() {
    let data = fixtures();
    let cases = data["cases"].as_array().unwrap();
    assert!(cases.len() >= 17);
    for case in cases {
        let d = case["d"].as_u64().unwrap() as usize;
        let call = case["call"].as_str().unwrap();
        let what = format!("{} d={d} {call} {:?}", case["engine"], case.get("bits"));
        let actual = match case["engine"].as_str().unwrap() {
            "sobol" => {
                let b = case.get("bits").map(|b| b.as_u64().unwrap() as u32);
                let mut s = Sobol::new(d, b, None).unwrap();
                match call {
                    "random" => s.random(case["n"].as_u64().unwrap() as usize).unwrap(),
                    "random_base2" => s.random_base2(case["m"].as_u64().unwrap() as u32).unwrap(),
                    "pieces" => case["ns"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .flat_map(|n| s.random(n.as_u64().unwrap() as usize).unwrap())
                        .collect(),
                    "fast_forward" => {
                        s.fast_forward(case["skip"].as_u64().unwrap()).unwrap();
                        s.random(case["n"].as_u64().unwrap() as usize).unwrap()
                    }
                    _ => unreachable!(),
                }
            }
            "halton" => {
                let mut h = Halton::new(d, None);
                match call {
                    "random" => h.random(case["n"].as_u64().unwrap() as usize).unwrap(),
                    "pieces" => case["ns"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .flat_map(|n| h.random(n.as_u64().unwrap() as usize).unwrap())
                        .collect(),
                    _ => unreachable!(),
                }
            }
            _ => unreachable!(),
        };
        assert_bitwise(&actual, &expected(case), &what);
    }
    let halton = Halton::new(3, None).random(64).unwrap();
    let cd = centered_discrepancy(&halton, 3);
    let scipy_cd = bits(&data["halton3_64_cd"]);
    assert!(
        (cd - scipy_cd).abs() <= 1e-14 * scipy_cd.abs(),
        "{cd} vs {scipy_cd}"
    );
}

#[test]
fn sobol_reset_and_pieces_repeat_the_sequence() {
    let mut rng = Rng::new(SEED);
    let mut s = Sobol::new(7, None, Some(&mut rng)).unwrap();
    let all = s.random(32).unwrap();
    s.reset();
    let mut pieces = s.random(1).unwrap();
    pieces.extend(s.random(15).unwrap());
    pieces.extend(s.random(16).unwrap());
    assert_eq!(all, pieces);
    s.reset();
    s.fast_forward(9).unwrap();
    assert_eq!(s.random(5).unwrap(), all[9 * 7..14 * 7]);
}

/// Every axis of `n = 2^m` scrambled Sobol' points puts one point in each
/// of the `n` elementary intervals (the (0, m, 1) net property survives LMS +
/// shift), and a two-dimensional projection is a (0, m, 2)-net in 2^k x 2^(m-k)
/// boxes for the first two dimensions.
#[test]
fn scrambled_sobol_keeps_the_net_property() {
    for seed in 0..5u64 {
        let mut rng = Rng::new(SEED + seed);
        let d = 6;
        let m = 8;
        let n = 1usize << m;
        let x = Sobol::new(d, None, Some(&mut rng))
            .unwrap()
            .random_base2(m)
            .unwrap();
        assert!(x.iter().all(|&v| (0.0..1.0).contains(&v)));
        for j in 0..d {
            let mut seen = vec![false; n];
            for i in 0..n {
                let cell = (x[i * d + j] * n as f64) as usize;
                assert!(
                    !seen[cell],
                    "seed {seed} axis {j}: two points in cell {cell}"
                );
                seen[cell] = true;
            }
        }
        for k in 0..=m {
            let (a, b) = (1usize << k, 1usize << (m - k));
            let mut seen = vec![false; n];
            for i in 0..n {
                let c = (x[i * d] * a as f64) as usize * b + (x[i * d + 1] * b as f64) as usize;
                assert!(!seen[c], "seed {seed}: box {c} of {a}x{b} twice");
                seen[c] = true;
            }
        }
        // Scrambling moved the points: the first one is not the origin.
        assert!(x[..d].iter().any(|&v| v != 0.0));
    }
}

#[test]
fn scrambled_samplers_have_low_discrepancy() {
    let d = 5;
    let n = 128;
    let mut rng = Rng::new(SEED);
    let mc: Vec<f64> = (0..n * d).map(|_| rng.uniform()).collect();
    let cd_mc = centered_discrepancy(&mc, d);
    let sobol = Sobol::new(d, None, Some(&mut rng))
        .unwrap()
        .random(n)
        .unwrap();
    let halton = Halton::new(d, Some(&mut rng)).random(n).unwrap();
    let lhs = LatinHypercube::new(d, true, rng.spawn()).random(n).unwrap();
    let cd_sobol = centered_discrepancy(&sobol, d);
    let cd_halton = centered_discrepancy(&halton, d);
    let cd_lhs = centered_discrepancy(&lhs, d);
    assert!(cd_sobol < cd_mc / 4.0, "sobol {cd_sobol} vs mc {cd_mc}");
    assert!(cd_halton < cd_mc / 2.0, "halton {cd_halton} vs mc {cd_mc}");
    assert!(cd_lhs < cd_mc, "lhs {cd_lhs} vs mc {cd_mc}");
}

#[test]
fn scrambled_halton_permutes_digits_and_stays_in_the_cube() {
    let mut rng = Rng::new(SEED);
    let mut h = Halton::new(4, Some(&mut rng));
    let x = h.random(27 * 8).unwrap();
    assert!(x.iter().all(|&v| (0.0..1.0).contains(&v)));
    // Base 3 axis (j = 1): any 27 consecutive points fill the 27 cells of
    // width 1/27, scrambled or not.
    let mut seen = [false; 27];
    for i in 0..27 {
        let c = (x[i * 4 + 1] * 27.0) as usize;
        assert!(!seen[c]);
        seen[c] = true;
    }
    assert_ne!(x, Halton::new(4, None).random(27 * 8).unwrap());
    h.reset();
    assert_eq!(h.random(27 * 8).unwrap(), x);
}

#[test]
fn latin_hypercube_has_one_point_per_stratum() {
    for scramble in [true, false] {
        let n = 50;
        let d = 4;
        let mut lhs = LatinHypercube::new(d, scramble, Rng::new(SEED));
        let x = lhs.random(n).unwrap();
        for j in 0..d {
            let mut seen = vec![false; n];
            for i in 0..n {
                let v = x[i * d + j];
                let c = (v * n as f64).floor() as usize;
                assert!(c < n && !seen[c], "axis {j}: stratum {c}");
                seen[c] = true;
                if !scramble {
                    assert_eq!(v, (c as f64 + 0.5) / n as f64);
                }
            }
        }
        lhs.reset();
        assert_eq!(lhs.random(n).unwrap(), x);
    }
}

#[test]
fn same_seed_same_points() {
    let a = Sobol::new(3, None, Some(&mut Rng::new(9)))
        .unwrap()
        .random(16)
        .unwrap();
    let b = Sobol::new(3, None, Some(&mut Rng::new(9)))
        .unwrap()
        .random(16)
        .unwrap();
    let c = Sobol::new(3, None, Some(&mut Rng::new(10)))
        .unwrap()
        .random(16)
        .unwrap();
    assert_eq!(a, b);
    assert_ne!(a, c);
}

#[test]
fn errors_carry_scipy_messages() {
    assert_eq!(
        Sobol::new(Sobol::MAXDIM + 1, None, None)
            .unwrap_err()
            .to_string(),
        "Maximum supported dimensionality is 1111."
    );
    assert_eq!(
        Sobol::new(2, Some(65), None).unwrap_err(),
        QmcError::SobolMaxBits
    );
    assert_eq!(
        QmcError::SobolMaxBits.to_string(),
        "Maximum supported 'bits' is 64"
    );
    let mut s = Sobol::new(2, Some(3), None).unwrap();
    s.random(6).unwrap();
    assert_eq!(
        s.random(3).unwrap_err().to_string(),
        "At most 2**3=8 distinct points can be generated. 6 points have been previously \
         generated, then: n=6+3=9. Consider increasing `bits`."
    );
    let mut s = Sobol::new(2, None, None).unwrap();
    s.random(3).unwrap();
    assert_eq!(
        s.random_base2(2).unwrap_err().to_string(),
        "The balance properties of Sobol' points require n to be a power of 2. 3 points have \
         been previously generated, then: n=3+2**2=7. If you still want to do this, the \
         function 'Sobol.random()' can be used."
    );
    assert!(!Sobol::new(2, None, None).unwrap().is_balanced(3));
}

#[test]
fn sobol_fast_forward_jumps_to_where_stepping_lands() {
    for bits in [30, 64] {
        for skip in [1u64, 2, 3, 7, 8, 100, 1023, 4096] {
            let mut a = Sobol::new(5, Some(bits), Some(&mut Rng::new(3))).unwrap();
            a.random(skip as usize).unwrap();
            let mut b = Sobol::new(5, Some(bits), Some(&mut Rng::new(3))).unwrap();
            b.fast_forward(skip).unwrap();
            assert_eq!(
                a.random(4).unwrap(),
                b.random(4).unwrap(),
                "bits {bits}, skip {skip}"
            );
        }
    }
    // Past 2**bits: SciPy's error, not an index past the direction numbers.
    let mut s = Sobol::new(2, Some(30), None).unwrap();
    assert!(matches!(
        s.fast_forward(1 << 31),
        Err(QmcError::SobolTooMany { .. })
    ));
    let mut s = Sobol::new(2, Some(64), None).unwrap();
    s.fast_forward(1 << 53).unwrap();
    assert_eq!(s.num_generated(), 1 << 53);
}

#[test]
fn sizes_past_usize_or_memory_are_errors_not_aborts() {
    let msg = Sobol::new(2, Some(64), None)
        .unwrap()
        .random_base2(64)
        .unwrap_err()
        .to_string();
    assert!(
        msg.contains("n=0+18446744073709551616=18446744073709551616."),
        "{msg}"
    );
    let err = LatinHypercube::new(usize::MAX / 2, true, Rng::new(1))
        .random(3)
        .unwrap_err();
    assert!(matches!(err, QmcError::Alloc { .. }), "{err}");
    assert!(err.to_string().starts_with("cannot allocate "), "{err}");
    let primes = musique_optimize::qmc::try_n_primes(1000).unwrap();
    assert_eq!(primes[..5], [2, 3, 5, 7, 11]);
    assert_eq!(primes[999], 7919);
}
