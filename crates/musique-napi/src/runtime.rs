//! Pools, workers, cancellation and the async runner shared by every module.

use std::mem::MaybeUninit;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;

use musique_core::{format_bytes, Cancel, Par};
use napi::bindgen_prelude::*;
use napi_derive::napi;

/// The rayon version the `workers` pools run on.
#[napi(catch_unwind)]
pub fn rayon_version() -> String {
    musique_core::RAYON_VERSION.to_string()
}

/// One rayon pool Musique owns.
#[napi(object)]
pub struct PoolInfo {
    pub threads: u32,
    /// The CPU each thread is bound to, or null when they are not bound.
    pub cpus: Option<Vec<u32>>,
}

/// The `workers` pools built so far, smallest first.
#[napi(catch_unwind)]
pub fn worker_pools() -> Vec<PoolInfo> {
    musique_core::pools_built()
        .iter()
        .map(|p| PoolInfo {
            threads: p.current_num_threads() as u32,
            cpus: p.cpus().map(|c| c.iter().map(|&c| c as u32).collect()),
        })
        .collect()
}

/// A flag an AbortSignal raises; kernels check it between chunks of work.
#[napi]
pub struct AbortToken {
    pub(crate) inner: Cancel,
    pub(crate) started: Arc<AtomicBool>,
}

#[napi]
impl AbortToken {
    #[napi(constructor, catch_unwind)]
    pub fn new() -> Self {
        AbortToken {
            inner: Cancel::new(),
            started: Arc::default(),
        }
    }

    /// Whether the job this token was passed to has started running on its pool.
    #[napi(getter, catch_unwind)]
    pub fn started(&self) -> bool {
        self.started.load(Ordering::Acquire)
    }

    #[napi(catch_unwind)]
    pub fn abort(&self) {
        self.inner.cancel();
    }

    #[napi(getter, catch_unwind)]
    pub fn aborted(&self) -> bool {
        self.inner.is_cancelled()
    }
}

impl Default for AbortToken {
    fn default() -> Self {
        Self::new()
    }
}

/// Panics on purpose, so tests can check that a Rust panic becomes a JS
/// error instead of ending the process.
#[napi(catch_unwind, js_name = "__provokePanic")]
pub fn provoke_panic(in_pool: bool) {
    if in_pool {
        Par::new(2).install(|| {
            musique_core::rayon::join(|| panic!("provoked panic in a pool thread"), || ())
        });
    } else {
        panic!("provoked panic");
    }
}

/// Element types of the typed arrays Musique returns.
pub(crate) trait Element: Copy + Send + Sync + 'static {
    const KIND: napi::sys::napi_typedarray_type;
    /// A typed array over `len` values at `ptr`, whose owner `notify` frees.
    ///
    /// # Safety
    /// `ptr` must stay valid for `len` values until `notify` runs.
    unsafe fn external(
        env: &Env,
        ptr: *mut Self,
        len: usize,
        notify: impl FnOnce(*mut Self, usize) + 'static,
    ) -> Result<napi::sys::napi_value>;
}

impl Element for f64 {
    const KIND: napi::sys::napi_typedarray_type = napi::sys::TypedarrayType::float64_array;
    unsafe fn external(
        env: &Env,
        ptr: *mut f64,
        len: usize,
        notify: impl FnOnce(*mut f64, usize) + 'static,
    ) -> Result<napi::sys::napi_value> {
        ToNapiValue::to_napi_value(
            env.raw(),
            Float64Array::with_external_data(ptr, len, notify),
        )
    }
}

impl Element for f32 {
    const KIND: napi::sys::napi_typedarray_type = napi::sys::TypedarrayType::float32_array;
    unsafe fn external(
        env: &Env,
        ptr: *mut f32,
        len: usize,
        notify: impl FnOnce(*mut f32, usize) + 'static,
    ) -> Result<napi::sys::napi_value> {
        ToNapiValue::to_napi_value(
            env.raw(),
            Float32Array::with_external_data(ptr, len, notify),
        )
    }
}

impl Element for i32 {
    const KIND: napi::sys::napi_typedarray_type = napi::sys::TypedarrayType::int32_array;
    unsafe fn external(
        env: &Env,
        ptr: *mut i32,
        len: usize,
        notify: impl FnOnce(*mut i32, usize) + 'static,
    ) -> Result<napi::sys::napi_value> {
        ToNapiValue::to_napi_value(env.raw(), Int32Array::with_external_data(ptr, len, notify))
    }
}

/// Bytes of results handed to JS from Musique's allocator whose finalizers
/// have not run yet (Node runs them on a later turn of the event loop).
static OUTSTANDING: AtomicUsize = AtomicUsize::new(0);
/// Above this, results go to engine-owned memory until finalizers catch up.
const OUTSTANDING_MAX: usize = 256 << 20;
/// Results smaller than this always go to engine-owned memory.
pub(crate) const EXTERNAL_MIN: usize = 1 << 20;

/// A sync call's result of `len` values, written by `fill`, which must write
/// every element when it returns `Ok`: the memory is not zeroed first.
/// Where it lives is [`vec_to_js`]'s rule.
pub(crate) fn result_array<'env, T: Element>(
    env: &'env Env,
    len: usize,
    fill: impl FnOnce(&mut [MaybeUninit<T>]) -> Result<()>,
) -> Result<Unknown<'env>> {
    let bytes = len as u128 * std::mem::size_of::<T>() as u128;
    if len > MAX_TYPED_ARRAY_LEN {
        return Err(alloc_error(bytes, "the result"));
    }
    if !hand_over(len * std::mem::size_of::<T>()) {
        // Engine memory comes zeroed, so it is initialized already.
        // SAFETY: `fill` writes only initialized values.
        return engine_array(env, len, |out| {
            fill(unsafe { musique_core::as_uninit(out) })
        });
    }
    let mut v = Vec::new();
    v.try_reserve_exact(len)
        .map_err(|_| alloc_error(bytes, "the result"))?;
    fill(&mut v.spare_capacity_mut()[..len])?;
    // SAFETY: `fill` wrote every element, as it returned `Ok` (its contract).
    unsafe { v.set_len(len) };
    external(env, v)
}

/// `v` as a typed array for JS.
///
/// Large results are handed to JS without a copy: their memory comes from
/// Musique's allocator, which reuses freed pages (fresh pages fault one 4 KiB
/// page at a time, which can cost more than the computation). Their
/// finalizers run only when the event loop turns, so once 256 MiB of them are
/// waiting (a synchronous loop over large calls), and for small results, the
/// values are copied into engine-owned memory instead, which V8's GC frees at
/// once: memory stays bounded.
pub(crate) fn vec_to_js<T: Element>(env: &Env, v: Vec<T>) -> Result<Unknown<'_>> {
    if hand_over(v.len() * std::mem::size_of::<T>()) {
        external(env, v)
    } else {
        engine_array(env, v.len(), |out| {
            out.copy_from_slice(&v);
            Ok(())
        })
    }
}

/// Whether a result of `bytes` goes to JS as Musique's own memory.
fn hand_over(bytes: usize) -> bool {
    bytes >= EXTERNAL_MIN && OUTSTANDING.load(Ordering::Relaxed) + bytes <= OUTSTANDING_MAX
}

fn external<T: Element>(env: &Env, v: Vec<T>) -> Result<Unknown<'_>> {
    let bytes = v.len() * std::mem::size_of::<T>();
    let mut v = std::mem::ManuallyDrop::new(v);
    let (ptr, len, cap) = (v.as_mut_ptr(), v.len(), v.capacity());
    OUTSTANDING.fetch_add(bytes, Ordering::Relaxed);
    // SAFETY: the vector's buffer is leaked here and rebuilt exactly once, by
    // the finalizer, with its original length and capacity.
    unsafe {
        let raw = T::external(env, ptr, len, move |p, n| {
            drop(Vec::from_raw_parts(p, n, cap));
            OUTSTANDING.fetch_sub(bytes, Ordering::Relaxed);
        })?;
        Ok(Unknown::from_raw_unchecked(env.raw(), raw))
    }
}

/// A new typed array of `len` elements in memory the JS engine owns, filled
/// by `fill`. V8 frees it at GC like any array made in JS: no finalizer has
/// to wait for the event loop, so a tight loop of sync calls does not pile up
/// native memory, and Electron's memory cage needs no copy.
pub(crate) fn engine_array<'env, T: Element>(
    env: &'env Env,
    len: usize,
    fill: impl FnOnce(&mut [T]) -> Result<()>,
) -> Result<Unknown<'env>> {
    use napi::sys;
    let raw = env.raw();
    let mut data = std::ptr::null_mut();
    let mut buffer = std::ptr::null_mut();
    let bytes = len.saturating_mul(std::mem::size_of::<T>());
    if len > MAX_TYPED_ARRAY_LEN || !can_allocate(bytes) {
        return Err(alloc_error(bytes as u128, "the result"));
    }
    // SAFETY: plain Node-API calls on the JS thread; the buffer's memory is
    // off-heap, so it stays put while `fill` writes it, and no JS runs meanwhile.
    unsafe {
        let status = sys::napi_create_arraybuffer(raw, bytes, &mut data, &mut buffer);
        if status != sys::Status::napi_ok {
            return Err(Error::new(
                Status::GenericFailure,
                format!("could not allocate {bytes} bytes for the result"),
            ));
        }
        advise_huge_pages(data.cast(), bytes);
        let out: &mut [T] = if len == 0 {
            &mut []
        } else {
            std::slice::from_raw_parts_mut(data.cast(), len)
        };
        fill(out)?;
        let mut array = std::ptr::null_mut();
        let status = sys::napi_create_typedarray(raw, T::KIND, len, buffer, 0, &mut array);
        if status != sys::Status::napi_ok {
            return Err(Error::new(
                Status::GenericFailure,
                "could not create the result's typed array".to_owned(),
            ));
        }
        Ok(Unknown::from_raw_unchecked(raw, array))
    }
}

/// Below this, results in engine memory are left as the engine's allocator
/// made them (numpy's threshold for the same advice, 4 MiB).
const HUGE_PAGE_MIN: usize = 4 << 20;

/// Asks Linux to back a large, freshly allocated result with transparent huge
/// pages, as numpy does for every array of 4 MiB or more.
///
/// Node's allocator gives large ArrayBuffers fresh pages from the OS on every
/// call; where transparent huge pages are `madvise`-only (the usual default),
/// writing a 32 MiB result then takes 8,192 page faults, and on a virtual
/// machine those cost more than the transform that fills the result (a sync
/// loop of 512 x 4096 ffts ran 3.7x slower than one whose results Musique's
/// allocator reuses). The advice covers whole pages inside `[ptr, ptr+bytes)`
/// only, so memory outside the buffer is never touched; failure is harmless.
pub(crate) fn advise_huge_pages(ptr: *mut u8, bytes: usize) {
    #[cfg(target_os = "linux")]
    if bytes >= HUGE_PAGE_MIN {
        const PAGE: usize = 4096;
        let start = (ptr as usize).next_multiple_of(PAGE);
        let end = (ptr as usize + bytes) / PAGE * PAGE;
        if end > start {
            // SAFETY: the range lies inside the buffer just allocated for us;
            // MADV_HUGEPAGE changes how its pages are backed, not their content.
            unsafe { libc::madvise(start as *mut libc::c_void, end - start, libc::MADV_HUGEPAGE) };
        }
    }
    #[cfg(not(target_os = "linux"))]
    let _ = (ptr, bytes);
}

/// Most values a typed array may hold: `v8::TypedArray::kMaxLength` in Node 20
/// (`require('buffer').constants.MAX_LENGTH`, 2^32; later Node versions allow
/// more). V8 ends the process when asked for a longer one.
pub(crate) const MAX_TYPED_ARRAY_LEN: usize = 1 << 32;

/// Requests needing less memory than this are not checked against what is
/// available: reading it costs a few small file reads.
const CHECK_MIN: u128 = 64 << 20;

/// The RangeError for memory that cannot be had, naming its size: "cannot
/// allocate 32.0 GiB for the result of fft". src/internal/errors.ts gives it
/// the code ERR_OUT_OF_RANGE (it is recognised by its first words).
pub(crate) fn alloc_error(bytes: u128, what: &str) -> Error {
    range_error(format!(
        "cannot allocate {} for {what}",
        format_bytes(bytes)
    ))
}

/// Whether `bytes` more can be allocated: not more than [`available_memory`]
/// (checked from [`CHECK_MIN`] on), and, for sizes that large, a trial
/// allocation of that much address space succeeds. Node-API's
/// `napi_create_arraybuffer` ends the process when its allocation fails, so
/// engine-owned results are tried here first.
fn can_allocate(bytes: usize) -> bool {
    if (bytes as u128) < CHECK_MIN {
        return true;
    }
    if available_memory().is_some_and(|a| bytes as u128 > a) {
        return false;
    }
    // SAFETY: malloc and free of a block nothing else sees; its pages are never touched.
    unsafe {
        let p = libc::malloc(bytes);
        if p.is_null() {
            return false;
        }
        libc::free(p);
    }
    true
}

/// The bytes this process may still allocate, where cheaply known (Linux):
/// the least of the system's available memory and free swap
/// (`MemAvailable + SwapFree`), the cgroup's `memory.max − memory.current`,
/// and `ulimit -v` less the address space in use. Memory past it is either
/// refused by the allocator or taken from other processes by the kernel's
/// OOM killer, so a request that needs more is refused before it starts.
pub(crate) fn available_memory() -> Option<u128> {
    #[cfg(target_os = "linux")]
    {
        let read = |p: &str| std::fs::read_to_string(p).ok();
        let mut least: Option<u128> = None;
        let mut bound = |v: u128| least = Some(least.map_or(v, |l| l.min(v)));
        if let Some(info) = read("/proc/meminfo") {
            let field = |name: &str| {
                info.lines()
                    .find_map(|l| l.strip_prefix(name))
                    .and_then(|r| r.trim().trim_end_matches("kB").trim().parse::<u128>().ok())
                    .map(|kb| kb * 1024)
            };
            if let Some(avail) = field("MemAvailable:") {
                bound(avail + field("SwapFree:").unwrap_or(0));
            }
        }
        // cgroup v2: the line "0::/path" of /proc/self/cgroup names the group.
        if let Some(path) = read("/proc/self/cgroup").and_then(|c| {
            c.lines()
                .find_map(|l| l.strip_prefix("0::").map(str::to_owned))
        }) {
            let dir = format!("/sys/fs/cgroup{}", path.trim_end_matches('/'));
            let num =
                |f: &str| read(&format!("{dir}/{f}")).and_then(|v| v.trim().parse::<u128>().ok());
            if let (Some(max), Some(cur)) = (num("memory.max"), num("memory.current")) {
                bound(max.saturating_sub(cur));
            }
        }
        let mut lim = libc::rlimit {
            rlim_cur: 0,
            rlim_max: 0,
        };
        // SAFETY: getrlimit writes the struct it is given.
        if unsafe { libc::getrlimit(libc::RLIMIT_AS, &mut lim) } == 0
            && lim.rlim_cur != libc::RLIM_INFINITY
        {
            // The first field of /proc/self/statm: address space in use, in pages.
            let used = read("/proc/self/statm")
                .and_then(|s| s.split_whitespace().next()?.parse::<u128>().ok())
                .map_or(0, |pages| pages * 4096);
            bound((lim.rlim_cur as u128).saturating_sub(used));
        }
        least
    }
    #[cfg(not(target_os = "linux"))]
    None
}

/// What a call will allocate, worked out before it allocates anything.
pub(crate) struct Need {
    /// Values in its longest result array.
    pub longest: u128,
    /// How many result arrays it makes.
    pub arrays: usize,
    /// Bytes of all its results.
    pub result: u128,
    /// Bytes of working memory beside them, at most.
    pub work: u128,
    /// What that working memory is, for the message ("plans, scratch and intermediates").
    pub work_is: &'static str,
}

/// Refuses a call whose results cannot be had: an array with more values
/// than a typed array holds, or more memory, with its working memory, than
/// [`available_memory`]. `what` names the call in the message ("fft").
pub(crate) fn check_need(need: &Need, what: &str) -> Result<()> {
    if need.longest > MAX_TYPED_ARRAY_LEN as u128 {
        let which = if need.arrays > 1 {
            "one of its arrays has"
        } else {
            "it has"
        };
        return Err(range_error(format!(
            "cannot allocate {} for the result of {what}: {which} {} values, and a typed array holds at most 2**32",
            format_bytes(need.result),
            need.longest
        )));
    }
    let total = need.result.saturating_add(need.work);
    if total < CHECK_MIN {
        return Ok(());
    }
    let Some(avail) = available_memory() else {
        return Ok(());
    };
    let avail_s = format_bytes(avail);
    if need.result > avail {
        return Err(range_error(format!(
            "cannot allocate {} for the result of {what} ({avail_s} available)",
            format_bytes(need.result)
        )));
    }
    if total > avail {
        return Err(range_error(format!(
            "cannot allocate {} for {what}: {} for the result and up to {} for {} ({avail_s} available)",
            format_bytes(total),
            format_bytes(need.result),
            format_bytes(need.work),
            need.work_is
        )));
    }
    Ok(())
}

/// [`check_need`] for a call with one result of `len` values of `elem` bytes.
pub(crate) fn check_memory(len: u128, elem: usize, work: u128, what: &str) -> Result<()> {
    check_need(
        &Need {
            longest: len,
            arrays: 1,
            result: len.saturating_mul(elem as u128),
            work,
            work_is: "plans, scratch and intermediates",
        },
        what,
    )
}

pub(crate) fn range_error(msg: impl Into<String>) -> Error {
    Error::new(Status::InvalidArg, msg.into())
}

pub(crate) fn aborted() -> Error {
    Error::new(Status::Cancelled, "The operation was aborted".to_owned())
}

fn panic_message(p: Box<dyn std::any::Any + Send>) -> String {
    p.downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| p.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".into())
}

/// Runs `job` on Musique's pool of `threads` threads (not on libuv's pool)
/// and settles the returned promise on the JS thread. Panics reject.
/// `started` is raised when the job begins running.
pub(crate) fn spawn<Out, Job>(
    env: &Env,
    threads: usize,
    started: Option<Arc<AtomicBool>>,
    job: Job,
) -> Result<Object<'_>>
where
    Out: ToNapiValue + Send + 'static,
    Job: FnOnce() -> Result<Out> + Send + 'static,
{
    let (deferred, promise) = env.create_deferred::<Out, Box<dyn FnOnce(Env) -> Result<Out>>>()?;
    musique_core::pool(threads).spawn(move || {
        if let Some(s) = started {
            s.store(true, Ordering::Release);
        }
        match catch_unwind(AssertUnwindSafe(job)) {
            Ok(Ok(out)) => deferred.resolve(Box::new(move |_| Ok(out))),
            Ok(Err(e)) => deferred.reject(e),
            Err(p) => deferred.reject(Error::new(
                Status::GenericFailure,
                format!("panic in Musique: {}", panic_message(p)),
            )),
        }
    });
    Ok(promise)
}
