//! The napi-rs binding: converts JS values into the core crates' request
//! types, calls them, and maps their errors. No numerics live here.
//!
//! The TypeScript layer (`src/*.ts`) validates user arguments and builds the
//! requests; this crate re-checks only what could otherwise panic.

#![deny(clippy::all)]

mod fft;
mod linalg;
mod optimize;
mod runtime;

pub use fft::*;
pub use linalg::*;
pub use optimize::*;
pub use runtime::*;

// mimalloc keeps freed pages for reuse (as rolldown and oxc use it): transform
// outputs are freed by V8's GC in bursts, and scratch buffers are freed at
// the end of each call. Touching fresh pages costs more than the transform
// itself on some machines (virtual machines above all): a 2048 x 2048 fft2
// refaulted ~100 MiB per call when freed memory went back to the OS. So
// freed memory is kept for a second before it is purged (instead of 10 ms),
// and a purge marks it reclaimable (MADV_FREE) rather than unmapping its
// pages (MADV_DONTNEED): the kernel takes the pages back when it needs
// memory, and until then reusing them costs no fault.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// `mi_option_purge_decommits` and `mi_option_purge_delay` in mimalloc's
/// `mi_option_t` (mimalloc.h, v2), which libmimalloc-sys does not name.
const MI_OPTION_PURGE_DECOMMITS: libmimalloc_sys::mi_option_t = 5;
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

#[napi_derive::module_init]
fn init() {
    // SAFETY: setting an option is thread-safe and takes plain integers.
    unsafe {
        libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, 1000);
        libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DECOMMITS, 0);
    }
}
