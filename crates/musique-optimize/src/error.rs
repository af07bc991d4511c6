//! The error every minimizer and scalar routine returns. It sits below
//! `local` and `scalar` so that both can use it without importing each other.

use std::fmt;

/// Why a run ended without a result.
#[derive(Debug, Clone, PartialEq)]
pub enum OptimizeError<E> {
    /// The objective (or the gradient, or a scalar function) failed; the
    /// caller's error, unchanged.
    Objective(E),
    /// A bad argument, with SciPy's `ValueError` message.
    Value(String),
    /// A failure SciPy raises as `RuntimeError` (no bracket found within
    /// `maxiter`), with its message.
    Runtime(String),
}

impl<E: fmt::Display> fmt::Display for OptimizeError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            OptimizeError::Objective(e) => e.fmt(f),
            OptimizeError::Value(m) | OptimizeError::Runtime(m) => f.write_str(m),
        }
    }
}

impl<E: fmt::Debug + fmt::Display> std::error::Error for OptimizeError<E> {}

pub(crate) fn value_error<T, E>(msg: impl Into<String>) -> Result<T, OptimizeError<E>> {
    Err(OptimizeError::Value(msg.into()))
}
