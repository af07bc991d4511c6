// The thread limits in force in the current async context (threadpoolLimits),
// read by every call that passes a thread count down to Rust. Each worker
// thread loads its own copy of this module, so limits never cross threads.

import { AsyncLocalStorage } from 'node:async_hooks'

/** Limits per user API; a missing entry means no limit. */
export interface Limits {
  blas?: number
  workers?: number
}

export const limitsScope = new AsyncLocalStorage<Limits>()

/** Limits a WorkerPool's worker thread starts with (set before it imports the objective). */
const DEFAULTS = Symbol.for('musique.defaultLimits')

/** The limits in force here: the async context's, else this thread's defaults, else none. */
export function currentLimits(): Limits {
  return limitsScope.getStore() ?? ((globalThis as Record<symbol, unknown>)[DEFAULTS] as Limits | undefined) ?? {}
}

