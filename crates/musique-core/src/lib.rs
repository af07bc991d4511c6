//! Pieces shared by every Musique module: the `workers` rule, the cache of
//! rayon pools, and cooperative cancellation.
//!
//! Nothing here knows about Node. SciPy's `workers` rule (negatives wrap as
//! `cpus + 1 + workers`, 0 is an error, counts are capped at the CPUs) is
//! applied once, in TypeScript (`src/workers.ts`); the binding receives a
//! plain thread count and passes it down to the kernels as a [`Par`] value
//! (as faer does with its `Par`), so no kernel reads a global thread count.

use std::collections::BTreeMap;
use std::fmt;
use std::mem::MaybeUninit;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

mod affinity;

pub use rayon;

/// The rayon version this crate was built with (from Cargo.lock).
pub const RAYON_VERSION: &str = env!("MUSIQUE_RAYON_VERSION");

/// SciPy's threshold under which a transform stays on one thread
/// (`scipy/fft/_pocketfft/pypocketfft.cxx`: 32 * 1024 elements).
pub const PARALLEL_THRESHOLD: usize = 32 * 1024;

/// `bytes` as Musique's messages say it ("cannot allocate 32.0 GiB for the
/// result of fft"): binary units, one decimal.
pub fn format_bytes(bytes: u128) -> String {
    const UNITS: [&str; 7] = ["bytes", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"];
    if bytes < 1024 {
        return format!("{bytes} bytes");
    }
    let (mut v, mut unit) = (bytes as f64, 0);
    while v >= 1024.0 && unit + 1 < UNITS.len() {
        v /= 1024.0;
        unit += 1;
    }
    format!("{v:.1} {}", UNITS[unit])
}

/// Cores this process may run on (respects affinity and cgroup quotas).
pub fn available_cores() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

/// How many threads one call may use, decided once and passed down.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Par {
    threads: usize,
}

impl Par {
    /// One thread: the calling one.
    pub const SEQ: Par = Par { threads: 1 };

    /// `threads` threads (at least one).
    pub fn new(threads: usize) -> Par {
        Par {
            threads: threads.max(1),
        }
    }

    pub fn threads(self) -> usize {
        self.threads
    }

    /// The threads a batch of `lines` independent jobs over `elements` values
    /// really gets: never more than the lines, and one below SciPy's threshold.
    pub fn for_batch(self, lines: usize, elements: usize) -> Par {
        if elements < PARALLEL_THRESHOLD {
            Par::SEQ
        } else {
            Par::new(self.threads.min(lines.max(1)))
        }
    }

    /// Runs `f` inside the cached pool of this size, or inline when it is one
    /// thread.
    ///
    /// Every thread of the pool is woken first (an empty rayon
    /// `spawn_broadcast`, which does not wait), so that the threads `f`'s
    /// joins and parallel iterators need are already up when their work
    /// appears: rayon wakes a sleeping thread only as work is pushed, one
    /// after another, and on a virtual machine whose idle vCPUs wake slowly
    /// that chain often never reached the second thread (a 5 ms two-thread
    /// job after 5-20 ms idle: 4.8-4.9 ms median without the wake-up,
    /// 2.5 ms with it; matmul 1000 at two threads in Node after 30 ms idle:
    /// a quarter of the calls took 18.7 ms instead of 13).
    pub fn install<R: Send>(self, f: impl FnOnce() -> R + Send) -> R {
        if self.threads == 1 {
            f()
        } else {
            let pool = pool(self.threads);
            pool.spawn_broadcast(|_| {});
            pool.install(f)
        }
    }

    /// Runs `work(state, i)` for every `i` in `0..n` on this many threads,
    /// each with its own `state`, made by `init` when it first gets an index.
    /// Stops at the first error (indices already started finish) and
    /// returns it.
    ///
    /// Thread `t` of `T` starts on the `t`-th contiguous share of `0..n` (so
    /// threads work on memory far apart, as halves of a parallel iterator
    /// do; taking indices alternately from one counter put two threads on
    /// neighbouring blocks and slowed a two-thread fft2 2048² by 2 ms), then
    /// takes what is left of the other shares, index by index.
    ///
    /// Every thread of the pool is woken at once (rayon's `broadcast`; see
    /// [`Par::install`] for what a chain of wake-ups costs on a virtual
    /// machine). A pool thread busy with another call joins once that call's
    /// share is done; until then the others take its indices.
    pub fn for_each_index<S, E: Send>(
        self,
        n: usize,
        init: impl Fn() -> S + Sync,
        work: impl Fn(&mut S, usize) -> Result<(), E> + Sync,
    ) -> Result<(), E> {
        if self.threads == 1 || n <= 1 {
            let mut state = init();
            return (0..n).try_for_each(|i| work(&mut state, i));
        }
        let pool = pool(self.threads);
        let shares = pool.current_num_threads();
        let bound = |t: usize| n * t / shares;
        let next: Vec<AtomicUsize> = (0..shares).map(|t| AtomicUsize::new(bound(t))).collect();
        let stop = AtomicBool::new(false);
        let error = Mutex::new(None);
        pool.broadcast(|ctx| {
            let mut state = None;
            for k in 0..shares {
                let share = (ctx.index() + k) % shares;
                while !stop.load(Ordering::Relaxed) {
                    let i = next[share].fetch_add(1, Ordering::Relaxed);
                    if i >= bound(share + 1) {
                        break;
                    }
                    let state = state.get_or_insert_with(&init);
                    if let Err(e) = work(state, i) {
                        stop.store(true, Ordering::Relaxed);
                        error
                            .lock()
                            .unwrap_or_else(|e| e.into_inner())
                            .get_or_insert(e);
                    }
                }
            }
        });
        match error.into_inner().unwrap_or_else(|e| e.into_inner()) {
            Some(e) => Err(e),
            None => Ok(()),
        }
    }
}

/// `out` seen as memory to overwrite, for the writers that take
/// [`MaybeUninit`] slices so that a fresh result needs no zero-fill.
///
/// # Safety
/// Only initialized values may be written through the result, so that `out`
/// is still initialized when the borrow ends.
pub unsafe fn as_uninit<T>(out: &mut [T]) -> &mut [MaybeUninit<T>] {
    // SAFETY: `MaybeUninit<T>` has `T`'s layout; validity is the caller's.
    unsafe { &mut *(out as *mut [T] as *mut [MaybeUninit<T>]) }
}

/// `out` as initialized values.
///
/// # Safety
/// Every element of `out` has been written.
pub unsafe fn assume_init<T>(out: &mut [MaybeUninit<T>]) -> &mut [T] {
    // SAFETY: same layout, and the caller vouches for initialization.
    unsafe { &mut *(out as *mut [MaybeUninit<T>] as *mut [T]) }
}

/// A vector of `len` values written by `fill`, with no zero-fill first.
///
/// # Safety
/// When `fill` returns `Ok`, it has written every element of its slice.
pub unsafe fn written_vec<T, E>(
    len: usize,
    fill: impl FnOnce(&mut [MaybeUninit<T>]) -> Result<(), E>,
) -> Result<Vec<T>, E> {
    let mut v = Vec::with_capacity(len);
    fill(&mut v.spare_capacity_mut()[..len])?;
    // SAFETY: `fill` returned `Ok`, so (by the caller's promise) it wrote
    // all `len` elements.
    unsafe { v.set_len(len) };
    Ok(v)
}

/// A vector of `len` copies of `zero`, filled by `par`'s threads when it is
/// large: zeroing a big result is memory-bound work that would otherwise run
/// on one thread before the parallel transform.
pub fn filled_vec<T: Copy + Send + Sync>(len: usize, zero: T, par: Par) -> Vec<T> {
    use rayon::prelude::*;
    const CHUNK: usize = 1 << 16;
    let mut v = Vec::with_capacity(len);
    let spare = &mut v.spare_capacity_mut()[..len];
    if par.threads() > 1 && len >= 4 * CHUNK {
        par.install(|| {
            spare.par_chunks_mut(CHUNK).for_each(|c| {
                c.iter_mut().for_each(|x| {
                    x.write(zero);
                })
            })
        });
    } else {
        spare.iter_mut().for_each(|x| {
            x.write(zero);
        });
    }
    // SAFETY: the first `len` elements were just initialized.
    unsafe { v.set_len(len) };
    v
}

/// A float that can say whether it is finite (f32 and f64).
pub trait Finite: Copy {
    fn finite(self) -> bool;
}

impl Finite for f64 {
    fn finite(self) -> bool {
        self.is_finite()
    }
}

impl Finite for f32 {
    fn finite(self) -> bool {
        self.is_finite()
    }
}

/// Index of the first NaN or infinity in `data` (SciPy's `check_finite`).
/// Blocks of 4 Ki values are tested without branching, which compiles to
/// SIMD; only a block that fails is searched element by element.
pub fn first_non_finite<T: Finite>(data: &[T]) -> Option<usize> {
    const BLOCK: usize = 4096;
    for (b, block) in data.chunks(BLOCK).enumerate() {
        if !block.iter().fold(true, |ok, &x| ok & x.finite()) {
            return block
                .iter()
                .position(|&x| !x.finite())
                .map(|i| b * BLOCK + i);
        }
    }
    None
}

/// A cached rayon pool (it derefs to the `rayon::ThreadPool`), and the CPUs
/// its threads are bound to. On Linux, a pool with one thread for every CPU
/// the process may run on binds thread `i` to the `i`-th of them, as each
/// thread starts, unless `MUSIQUE_BIND_THREADS=0`; see `affinity.rs` for
/// why and what it measured.
pub struct Pool {
    rayon: rayon::ThreadPool,
    cpus: Option<Vec<usize>>,
}

impl Pool {
    /// The CPU each thread is bound to (thread `i` on `cpus[i]`), or `None`
    /// when its threads may run anywhere the process may (or when one of
    /// them could not be bound).
    pub fn cpus(&self) -> Option<&[usize]> {
        self.cpus.as_deref()
    }
}

impl std::ops::Deref for Pool {
    type Target = rayon::ThreadPool;
    fn deref(&self) -> &rayon::ThreadPool {
        &self.rayon
    }
}

/// How many pools the cache keeps: distinct thread counts beyond this evict
/// the least recently used pool (its threads end once no call holds it), so
/// no sequence of `workers` values piles up threads. Thread counts are capped
/// at the CPUs before they reach Rust, so a process rarely needs more than
/// two or three pools (linalg's, and a `workers` count or two).
pub const MAX_POOLS: usize = 8;

struct Cache {
    pools: BTreeMap<usize, (Arc<Pool>, u64)>,
    clock: u64,
}

fn pools() -> &'static Mutex<Cache> {
    static POOLS: OnceLock<Mutex<Cache>> = OnceLock::new();
    POOLS.get_or_init(|| {
        Mutex::new(Cache {
            pools: BTreeMap::new(),
            clock: 0,
        })
    })
}

fn build_pool(threads: usize) -> Pool {
    let plan = affinity::plan(threads);
    let bind = plan.clone();
    let bound = Arc::new(AtomicUsize::new(0));
    let counted = bound.clone();
    let rayon = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .thread_name(move |i| format!("musique-{threads}-{i}"))
        .start_handler(move |i| {
            if let Some(&cpu) = bind.as_ref().and_then(|c| c.get(i)) {
                if affinity::bind_current(cpu) {
                    counted.fetch_add(1, Ordering::Relaxed);
                }
            }
        })
        .build()
        .expect("building a rayon pool failed");
    // The threads start (and bind) in the background; report the
    // binding only once every thread has taken it.
    let cpus = plan.filter(|_| {
        rayon.broadcast(|_| ());
        bound.load(Ordering::Relaxed) == threads
    });
    Pool { rayon, cpus }
}

/// The rayon pool with `threads` threads, built on first use and kept while
/// it is among the [`MAX_POOLS`] most recently used, so no call pays for
/// building threads in steady use.
pub fn pool(threads: usize) -> Arc<Pool> {
    let threads = threads.max(1);
    let mut cache = pools().lock().unwrap_or_else(|e| e.into_inner());
    cache.clock += 1;
    let now = cache.clock;
    if let Some((pool, used)) = cache.pools.get_mut(&threads) {
        *used = now;
        return pool.clone();
    }
    if cache.pools.len() >= MAX_POOLS {
        let oldest = cache
            .pools
            .iter()
            .min_by_key(|(_, (_, used))| *used)
            .map(|(&k, _)| k);
        if let Some(k) = oldest {
            cache.pools.remove(&k);
        }
    }
    let pool = Arc::new(build_pool(threads));
    cache.pools.insert(threads, (pool.clone(), now));
    pool
}

/// Sizes of the pools in the cache, smallest first.
pub fn pool_sizes() -> Vec<usize> {
    let cache = pools().lock().unwrap_or_else(|e| e.into_inner());
    cache.pools.keys().copied().collect()
}

/// The pools in the cache, smallest first.
pub fn pools_built() -> Vec<Arc<Pool>> {
    let cache = pools().lock().unwrap_or_else(|e| e.into_inner());
    cache.pools.values().map(|(p, _)| p.clone()).collect()
}

/// A cooperative cancellation flag, checked by kernels between chunks of work.
#[derive(Debug, Clone, Default)]
pub struct Cancel(Arc<AtomicBool>);

/// Work stopped because its [`Cancel`] flag was raised.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cancelled;

impl fmt::Display for Cancelled {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("The operation was aborted")
    }
}

impl std::error::Error for Cancelled {}

impl Cancel {
    pub fn new() -> Cancel {
        Cancel::default()
    }

    /// A flag nobody can raise, for synchronous calls.
    pub fn never() -> Cancel {
        Cancel::default()
    }

    pub fn cancel(&self) {
        self.0.store(true, Ordering::Relaxed);
    }

    pub fn is_cancelled(&self) -> bool {
        self.0.load(Ordering::Relaxed)
    }

    /// `Err(Cancelled)` once the flag is raised.
    pub fn check(&self) -> Result<(), Cancelled> {
        if self.is_cancelled() {
            Err(Cancelled)
        } else {
            Ok(())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_non_finite_finds_the_first_nan_or_infinity_in_any_block() {
        let mut v = vec![1.0f64; 10_000];
        assert_eq!(first_non_finite(&v), None);
        assert_eq!(first_non_finite::<f64>(&[]), None);
        for (at, bad) in [
            (0, f64::NAN),
            (4095, f64::INFINITY),
            (4096, f64::NEG_INFINITY),
            (9999, f64::NAN),
        ] {
            v[at] = bad;
            assert_eq!(first_non_finite(&v), Some(at));
            v[at] = 1.0;
        }
        v[7000] = f64::NAN;
        v[8000] = f64::INFINITY;
        assert_eq!(first_non_finite(&v), Some(7000));
        assert_eq!(
            first_non_finite(&[f32::MAX, f32::MIN_POSITIVE, -0.0, f32::NAN]),
            Some(3)
        );
    }

    #[test]
    fn bytes_read_as_messages_say_them() {
        assert_eq!(format_bytes(0), "0 bytes");
        assert_eq!(format_bytes(1023), "1023 bytes");
        assert_eq!(format_bytes(1536), "1.5 KiB");
        assert_eq!(format_bytes(32 << 30), "32.0 GiB");
        assert_eq!(
            format_bytes(u128::MAX),
            format!("{:.1} EiB", u128::MAX as f64 / 2f64.powi(60))
        );
    }

    #[test]
    fn batches_never_get_more_threads_than_lines() {
        let par = Par::new(8);
        assert_eq!(par.for_batch(3, 1 << 20).threads(), 3);
        assert_eq!(par.for_batch(100, 1000).threads(), 1);
        assert_eq!(par.for_batch(100, 1 << 20).threads(), 8);
    }

    #[test]
    fn the_cache_keeps_at_most_max_pools_evicting_the_least_recently_used() {
        // Sizes no other test uses, so tests running beside this one keep theirs.
        let keep = pool(11);
        for t in 12..12 + MAX_POOLS {
            let _ = pool(11); // 11 stays the most recently used
            let _ = pool(t);
            assert!(pool_sizes().len() <= MAX_POOLS);
        }
        let sizes = pool_sizes();
        assert!(sizes.contains(&11), "{sizes:?}");
        assert!(
            !sizes.contains(&12),
            "the least recently used went first: {sizes:?}"
        );
        // A pool evicted while a caller holds it still works for that caller.
        let held = pool(12);
        for t in 30..30 + MAX_POOLS {
            let _ = pool(t);
        }
        assert!(!pool_sizes().contains(&12));
        assert_eq!(held.install(rayon::current_num_threads), 12);
        assert_eq!(keep.current_num_threads(), 11);
    }

    #[test]
    fn pools_are_cached_by_size() {
        let a = pool(3);
        let b = pool(3);
        assert!(Arc::ptr_eq(&a, &b));
        assert_eq!(a.current_num_threads(), 3);
        assert!(pool_sizes().contains(&3));
    }

    #[test]
    fn for_each_index_visits_every_index_once() {
        for threads in [1, 2, 3] {
            for n in [0, 1, 2, 5, 64, 1000] {
                let seen: Vec<AtomicUsize> = (0..n).map(|_| AtomicUsize::new(0)).collect();
                let states = AtomicUsize::new(0);
                let r: Result<(), ()> = Par::new(threads).for_each_index(
                    n,
                    || states.fetch_add(1, Ordering::Relaxed),
                    |_, i| {
                        seen[i].fetch_add(1, Ordering::Relaxed);
                        Ok(())
                    },
                );
                assert_eq!(r, Ok(()));
                assert!(
                    seen.iter().all(|c| c.load(Ordering::Relaxed) == 1),
                    "{threads} threads, n = {n}"
                );
                assert!(states.load(Ordering::Relaxed) <= threads.max(1));
            }
        }
    }

    #[test]
    fn for_each_index_shares_work_and_stops_at_an_error() {
        // Two threads really run: each waits for the other once.
        let barrier = std::sync::Barrier::new(2);
        let ids = Mutex::new(std::collections::HashSet::new());
        Par::new(2)
            .for_each_index(
                2,
                || barrier.wait(),
                |_, _| {
                    ids.lock().unwrap().insert(std::thread::current().id());
                    Ok::<(), ()>(())
                },
            )
            .unwrap();
        assert_eq!(ids.lock().unwrap().len(), 2);
        // The first error comes back, and no index starts once it is seen.
        let done = AtomicUsize::new(0);
        let r = Par::new(2).for_each_index(
            10_000,
            || (),
            |_, i| {
                done.fetch_add(1, Ordering::Relaxed);
                if i == 10 {
                    Err(i)
                } else {
                    Ok(())
                }
            },
        );
        assert_eq!(r, Err(10));
        assert!(done.load(Ordering::Relaxed) < 10_000);
        // From inside a pool thread (an async call's job), same pool or another.
        for outer in [2, 3] {
            let count = AtomicUsize::new(0);
            Par::new(outer)
                .install(|| {
                    Par::new(2).for_each_index(
                        100,
                        || (),
                        |_, _| {
                            count.fetch_add(1, Ordering::Relaxed);
                            Ok::<(), ()>(())
                        },
                    )
                })
                .unwrap();
            assert_eq!(count.load(Ordering::Relaxed), 100);
        }
    }

    #[test]
    fn install_runs_on_that_many_threads() {
        use std::collections::HashSet;
        let ids = Mutex::new(HashSet::new());
        let barrier = std::sync::Barrier::new(2);
        Par::new(2).install(|| {
            rayon::scope(|s| {
                for _ in 0..2 {
                    s.spawn(|_| {
                        barrier.wait();
                        ids.lock().unwrap().insert(std::thread::current().id());
                    });
                }
            })
        });
        assert_eq!(ids.lock().unwrap().len(), 2);
    }

    #[test]
    fn filled_vec_fills_every_element_with_any_threads() {
        for par in [Par::SEQ, Par::new(2)] {
            for len in [0, 1, 1000, 1 << 19] {
                let v = filled_vec(len, 7u32, par);
                assert_eq!(v.len(), len);
                assert!(v.iter().all(|&x| x == 7));
            }
        }
    }

    #[test]
    fn cancel_is_shared() {
        let c = Cancel::new();
        let d = c.clone();
        assert!(c.check().is_ok());
        d.cancel();
        assert_eq!(c.check(), Err(Cancelled));
    }
}
