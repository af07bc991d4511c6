//! A bounded cache of plans shared by every call and thread.
//!
//! rustfft's own planner caches without bound and needs `&mut`; this cache is
//! behind a mutex, keyed by transform and length, and evicts the least recently
//! used plans once the summed lengths pass [`BUDGET`], so a few huge Bluestein
//! plans cannot pile up.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use realfft::{ComplexToReal, RealFftPlanner, RealToComplex};
use rustdct::{Dct1, DctPlanner, Dst1, TransformType4};
use rustfft::{Fft, FftPlanner};

use crate::makhoul::Makhoul;
use crate::Float;

/// Summed transform lengths the cache keeps before evicting (per precision).
pub const BUDGET: usize = 1 << 23;
/// Most plans kept at once (per precision).
pub const MAX_PLANS: usize = 256;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum Key {
    C2c {
        len: usize,
        forward: bool,
    },
    R2c(usize),
    C2r(usize),
    Dct1(usize),
    Dst1(usize),
    Type23(usize),
    /// rustdct plans DCT/DST types 2 and 3 together, and types 4 together.
    Type4(usize),
}

#[derive(Clone)]
pub(crate) enum Plan<T: Float> {
    C2c(Arc<dyn Fft<T>>),
    R2c(Arc<dyn RealToComplex<T>>),
    C2r(Arc<dyn ComplexToReal<T>>),
    Dct1(Arc<dyn Dct1<T>>),
    Dst1(Arc<dyn Dst1<T>>),
    Type23(Arc<Makhoul<T>>),
    Type4(Arc<dyn TransformType4<T>>),
}

impl Key {
    fn len(self) -> usize {
        match self {
            Key::C2c { len, .. }
            | Key::R2c(len)
            | Key::C2r(len)
            | Key::Dct1(len)
            | Key::Dst1(len)
            | Key::Type23(len)
            | Key::Type4(len) => len,
        }
    }

    fn build<T: Float>(self) -> Plan<T> {
        match self {
            Key::C2c { len, forward } => {
                let mut p = FftPlanner::new();
                Plan::C2c(if forward {
                    p.plan_fft_forward(len)
                } else {
                    p.plan_fft_inverse(len)
                })
            }
            Key::R2c(len) => Plan::R2c(RealFftPlanner::new().plan_fft_forward(len)),
            Key::C2r(len) => Plan::C2r(RealFftPlanner::new().plan_fft_inverse(len)),
            Key::Dct1(len) => Plan::Dct1(DctPlanner::new().plan_dct1(len)),
            Key::Dst1(len) => Plan::Dst1(DctPlanner::new().plan_dst1(len)),
            Key::Type23(len) => Plan::Type23(Arc::new(Makhoul::new(len))),
            Key::Type4(len) => Plan::Type4(DctPlanner::new().plan_dct4(len)),
        }
    }
}

struct Entry<T: Float> {
    plan: Plan<T>,
    last_used: u64,
}

pub struct Cache<T: Float> {
    entries: HashMap<Key, Entry<T>>,
    clock: u64,
    total_len: usize,
}

impl<T: Float> Cache<T> {
    fn new() -> Self {
        Cache {
            entries: HashMap::new(),
            clock: 0,
            total_len: 0,
        }
    }

    fn get(&mut self, key: Key) -> Plan<T> {
        self.clock += 1;
        let clock = self.clock;
        if let Some(e) = self.entries.get_mut(&key) {
            e.last_used = clock;
            return e.plan.clone();
        }
        let plan = key.build::<T>();
        self.total_len += key.len();
        self.entries.insert(
            key,
            Entry {
                plan: plan.clone(),
                last_used: clock,
            },
        );
        while (self.total_len > BUDGET || self.entries.len() > MAX_PLANS) && self.entries.len() > 1
        {
            let oldest = self
                .entries
                .iter()
                .filter(|(k, _)| **k != key)
                .min_by_key(|(_, e)| e.last_used)
                .map(|(k, _)| *k);
            match oldest {
                Some(k) => {
                    self.entries.remove(&k);
                    self.total_len -= k.len();
                }
                None => break,
            }
        }
        plan
    }
}

/// Per-precision access to the process-wide cache.
pub(crate) fn plan<T: Float>(key: Key) -> Plan<T> {
    let mut cache = T::cache().lock().unwrap_or_else(|e| e.into_inner());
    cache.get(key)
}

/// Number of plans and their summed lengths, for one precision.
pub fn cache_stats<T: Float>() -> (usize, usize) {
    let cache = T::cache().lock().unwrap_or_else(|e| e.into_inner());
    (cache.entries.len(), cache.total_len)
}

pub(crate) static CACHE_F64: OnceLock<Mutex<Cache<f64>>> = OnceLock::new();
pub(crate) static CACHE_F32: OnceLock<Mutex<Cache<f32>>> = OnceLock::new();

pub(crate) fn init<T: Float>() -> Mutex<Cache<T>> {
    Mutex::new(Cache::new())
}
