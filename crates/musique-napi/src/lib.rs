//! The napi-rs binding: converts JS values into the core crates' request
//! types, calls them, and maps their errors. No numerics live here.
//!
//! The TypeScript layer (`src/*.ts`) validates user arguments and builds the
//! requests; this crate re-checks only what could otherwise panic.

#![deny(clippy::all)]

mod fft;
mod runtime;

pub use fft::*;
pub use runtime::*;

// mimalloc keeps freed pages for reuse: large transform outputs are freed by
// V8's GC in bursts, and reusing those pages avoids first-touch page faults
// on every new output (as rolldown and oxc do for the same reason).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;
