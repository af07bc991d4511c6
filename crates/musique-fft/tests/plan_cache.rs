//! The process-wide plan cache, in a binary of its own so that no other test
//! adds plans meanwhile: its size never passes `MAX_PLANS` plans nor `BUDGET`
//! summed lengths, and it evicts the least recently used plans first (checked
//! against a model of that documented policy after every call).
//!
//! Plans are requested through c2c calls on arrays with no lines (shape
//! `[0, n]`), which build the plan for `n` without transforming anything.

use musique_fft::*;
use num_complex::Complex;
use std::collections::VecDeque;

/// The documented policy: least recently used first out, once the count
/// passes `MAX_PLANS` or the summed lengths pass `BUDGET`; the plan just
/// requested is never evicted.
#[derive(Default)]
struct Model {
    /// (length, forward), least recently used first.
    order: VecDeque<(usize, bool)>,
}

impl Model {
    fn get(&mut self, key: (usize, bool)) {
        if let Some(i) = self.order.iter().position(|&k| k == key) {
            self.order.remove(i);
            self.order.push_back(key);
            return;
        }
        self.order.push_back(key);
        while (self.total() > BUDGET || self.order.len() > MAX_PLANS) && self.order.len() > 1 {
            self.order.pop_front();
        }
    }

    fn total(&self) -> usize {
        self.order.iter().map(|k| k.0).sum()
    }

    fn stats(&self) -> (usize, usize) {
        (self.order.len(), self.total())
    }
}

/// Builds (or reuses) the plan of one c2c length and direction.
fn request<T: Float>(n: usize, forward: bool) {
    let cancel = Cancel::never();
    let ex = Exec {
        norm: Norm::Backward,
        par: Par::SEQ,
        cancel: &cancel,
    };
    let empty: Vec<Complex<T>> = Vec::new();
    let out = c2c(
        &empty,
        &[0, n],
        &Axes {
            axes: &[1],
            lens: &[n],
        },
        forward,
        &ex,
    )
    .unwrap();
    assert_eq!(out.shape, vec![0, n]);
}

fn step<T: Float>(model: &mut Model, n: usize, forward: bool) {
    request::<T>(n, forward);
    model.get((n, forward));
    let (plans, total) = cache_stats::<T>();
    assert!(plans <= MAX_PLANS, "{plans} plans after length {n}");
    assert!(
        total <= BUDGET || plans == 1,
        "{total} points in {plans} plans after length {n}"
    );
    assert_eq!(
        (plans, total),
        model.stats(),
        "cache (plans, points) after length {n} forward {forward}"
    );
}

#[test]
fn the_plan_cache_is_bounded_and_evicts_the_least_recently_used_plans() {
    assert_eq!(cache_stats::<f64>(), (0, 0));
    assert_eq!(cache_stats::<f32>(), (0, 0));

    // Count bound: 50 more distinct small lengths than the cache holds.
    let mut m64 = Model::default();
    for n in 1..=MAX_PLANS + 50 {
        step::<f64>(&mut m64, n, true);
    }
    assert_eq!(cache_stats::<f64>().0, MAX_PLANS);
    // The oldest 50 went: the cache holds lengths 51..=MAX_PLANS + 50.
    let kept: usize = (51..=MAX_PLANS + 50).sum();
    assert_eq!(cache_stats::<f64>().1, kept);

    // Reuse refreshes: touch the oldest (51), then a new length evicts 52.
    step::<f64>(&mut m64, 51, true);
    step::<f64>(&mut m64, 5000, true);
    assert_eq!(cache_stats::<f64>().1, kept - 52 + 5000);
    step::<f64>(&mut m64, 51, true); // still there: nothing changes
    assert_eq!(cache_stats::<f64>().1, kept - 52 + 5000);
    // Directions are separate plans.
    step::<f64>(&mut m64, 5000, false);
    assert_eq!(cache_stats::<f64>().1, kept - 52 - 53 + 2 * 5000);

    // The f32 cache is separate and still empty.
    assert_eq!(cache_stats::<f32>(), (0, 0));

    // Length bound: large (smooth, cheap to plan) lengths summing past the
    // budget, some requested twice.
    let mut m32 = Model::default();
    let big = [
        (1 << 20, true),
        (1 << 20, false),
        (3 << 18, true),
        (5 << 18, true),
        (1 << 20, true),
        (1 << 21, true),
        (9 << 17, true),
        (25 << 16, true),
        (3 << 18, true),
        (15 << 16, true),
        (1 << 22, false),
        (1 << 22, true),
    ];
    let requested: usize = big.iter().map(|k| k.0).sum();
    assert!(requested > BUDGET, "the lengths must pass the budget");
    for (n, forward) in big {
        step::<f32>(&mut m32, n, forward);
        // The plan just requested is kept.
        assert!(cache_stats::<f32>().1 >= n);
    }
    // Many distinct lengths in turn never take the f64 cache past its bounds.
    for i in 0..40 {
        step::<f64>(&mut m64, 4000 * (100 + i), i % 2 == 0);
    }
}
