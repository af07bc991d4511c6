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
