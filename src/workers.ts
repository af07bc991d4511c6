// The `workers` option, one implementation for every module: SciPy's rule
// (resolved in Rust, musique_core::resolve_workers), a scoped default that
// follows async code like scipy.fft.set_workers, and cached rayon pools.

import { AsyncLocalStorage } from 'node:async_hooks'
import { availableParallelism } from 'node:os'

import { rangeError, typeError } from './internal/errors'
import { workersLimit } from './internal/limits'
import native = require('./internal/native')

/** A thread count: ≥ 1 threads, -1 for every core, other negatives wrap as `cores + 1 + workers`. */
export type Workers = number

const scope = new AsyncLocalStorage<number>()

function check(workers: unknown, name = 'workers'): number {
  if (typeof workers !== 'number') throw typeError(name, 'an integer', workers)
  if (!Number.isInteger(workers)) throw rangeError(name, 'an integer', workers)
  if (workers === 0) throw rangeError(name, 'a non-zero integer (-1 for all cores)', workers)
  return workers
}

/**
 * Resolves a `workers` value to a thread count with SciPy's rule: `n ≥ 1` is
 * `n` threads, `-1` every core the process may use (`os.availableParallelism()`),
 * and other negatives wrap as `cores + 1 + workers`.
 *
 * A `workers` limit set with `threadpoolLimits` caps the result.
 *
 * @param workers - The value to resolve; `undefined` takes the scoped default ({@link getWorkers}).
 * @returns The number of threads, at least 1.
 * @throws TypeError if `workers` is not a number; RangeError if it is 0, not an integer, or wraps below 1.
 * @example
 * ```ts
 * import { resolveWorkers } from 'musique'
 * resolveWorkers(-1) // os.availableParallelism(), e.g. 8
 * resolveWorkers(-2) // 7 on 8 cores
 * ```
 */
export function resolveWorkers(workers?: Workers): number {
  const w = workers === undefined ? getWorkers() : check(workers)
  const cap = workersLimit()
  // Positive counts resolve to themselves; only negatives need the core count (and the native rule).
  if (w > 0) return cap === undefined ? w : Math.min(w, cap)
  let n: number
  try {
    n = native.resolveWorkers(w, availableParallelism())
  } catch (err) {
    throw new RangeError((err as Error).message)
  }
  return cap === undefined ? n : Math.min(n, cap)
}

/**
 * The default `workers` in the current scope: 1 (single-threaded) unless
 * changed by {@link withWorkers}. Mirrors `scipy.fft.get_workers`.
 *
 * @example
 * ```ts
 * import { getWorkers, withWorkers } from 'musique'
 * getWorkers() // 1
 * withWorkers(4, () => getWorkers()) // 4
 * ```
 */
export function getWorkers(): number {
  return scope.getStore() ?? 1
}

/**
 * Runs `fn` with `workers` as the default for every Musique call inside it,
 * including async code it starts (the scope follows AsyncLocalStorage), like
 * `with scipy.fft.set_workers(n):`. An explicit `workers` option still wins.
 *
 * @param workers - The scoped default (validated as {@link resolveWorkers} does).
 * @param fn - Sync or async function; its return value is returned.
 * @throws TypeError or RangeError for an invalid `workers`.
 * @example
 * ```ts
 * import { withWorkers, fft } from 'musique'
 * const y = withWorkers(-1, () => fft(signal)) // all cores
 * ```
 */
export function withWorkers<R>(workers: Workers, fn: () => R): R {
  check(workers)
  resolveWorkers(workers)
  if (typeof fn !== 'function') throw typeError('fn', 'a function', fn)
  return scope.run(workers, fn)
}

/** A rayon pool Musique has built for `workers`, cached by size. */
export interface WorkerPoolInfo {
  /** Threads in the pool. */
  threads: number
  /**
   * The CPU each thread is bound to (thread `i` on `cpus[i]`); absent when
   * the threads may run on any CPU the process may. On Linux a pool with one
   * thread for every CPU the process may use is bound (so the kernel cannot
   * stack two of its threads on one CPU while another idles); other pools
   * never are. `MUSIQUE_BIND_THREADS=0` in the environment turns it off.
   */
  cpus?: number[]
}

/**
 * The `workers` pools built so far, smallest first. Pools are built once per
 * size on first use and kept; no call builds threads.
 *
 * @example
 * ```ts
 * import { workerPools, fft } from 'musique'
 * fft({ data: new Float64Array(1 << 16), shape: [16, 4096], dtype: 'float64' }, { workers: 2 })
 * workerPools() // [{ threads: 2 }], or [{ threads: 2, cpus: [0, 1] }] on a 2-core Linux machine
 * ```
 */
export function workerPools(): WorkerPoolInfo[] {
  return native.workerPools()
}
