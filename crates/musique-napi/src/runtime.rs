//! Pools, workers, cancellation and the async runner shared by every module.

use std::mem::MaybeUninit;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;

use musique_core::{Cancel, Par};
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
    #[napi(constructor)]
    pub fn new() -> Self {
        AbortToken {
            inner: Cancel::new(),
            started: Arc::default(),
        }
    }

    /// Whether the job this token was passed to has started running on its pool.
    #[napi(getter)]
    pub fn started(&self) -> bool {
        self.started.load(Ordering::Acquire)
    }

    #[napi]
    pub fn abort(&self) {
        self.inner.cancel();
    }

    #[napi(getter)]
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
    if !hand_over(len * std::mem::size_of::<T>()) {
        // Engine memory comes zeroed, so it is initialized already.
        // SAFETY: `fill` writes only initialized values.
        return engine_array(env, len, |out| {
            fill(unsafe { musique_core::as_uninit(out) })
        });
    }
    // SAFETY: `fill` writes every element when it returns `Ok` (its contract).
    let v = unsafe { musique_core::written_vec(len, fill)? };
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
    let bytes = len * std::mem::size_of::<T>();
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
fn advise_huge_pages(ptr: *mut u8, bytes: usize) {
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
