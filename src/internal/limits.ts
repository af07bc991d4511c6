// The thread limits in force in the current async context (threadpoolLimits),
// read by every call that passes a thread count down to Rust. Each worker
// thread loads its own copy of this module, so limits never cross threads.

import { AsyncLocalStorage } from 'node:async_hooks'
import { availableParallelism } from 'node:os'

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

/** Threads a linalg call runs on here: the 'blas' limit, else every core (as BLAS does). */
export function blasThreads(): number {
  return currentLimits().blas ?? availableParallelism()
}

/** The 'workers' limit here, if any: resolved `workers` counts are capped at it. */
export function workersLimit(): number | undefined {
  return currentLimits().workers
}
