// The `workers` option, one implementation for every module: SciPy's rule,
// the cap at the CPUs the process may use, the `workers` limit of
// threadpoolLimits, and a scoped default that follows async code like
// scipy.fft.set_workers. fft, optimize, WorkerPool sizes and linalg's thread
// count all resolve here; Rust receives a plain thread count.

import { AsyncLocalStorage } from 'node:async_hooks'
import { availableParallelism } from 'node:os'

import { rangeError, rangeErrorMessage, typeError } from './internal/errors'
import { currentLimits } from './internal/limits'
import native = require('./internal/native')

/** A thread count: ≥ 1 threads, -1 for every core, other negatives wrap as `cores + 1 + workers`. */
export type Workers = number

const scope = new AsyncLocalStorage<number>()

/** CPUs this process may use (`os.availableParallelism()`: affinity-aware), at least 1. */
export function cpuCount(): number {
  return Math.max(1, availableParallelism())
}

/**
 * SciPy's rule (`scipy.fft._pocketfft.helper._workers`), without the cap:
 * `n ≥ 1` is `n`, `-1` is every CPU, other negatives wrap as `cpus + 1 + n`;
 * 0, non-integers and negatives that wrap below 1 are refused.
 */
function wrap(workers: unknown, name = 'workers'): number {
  if (typeof workers !== 'number') throw typeError(name, 'an integer', workers)
  if (!Number.isInteger(workers)) throw rangeError(name, 'an integer', workers)
  if (workers === 0) throw rangeError(name, 'a non-zero integer (-1 for all cores)', workers)
  if (workers > 0) return workers
  const cpus = cpuCount()
  const n = cpus + 1 + workers
  if (n < 1) {
    // SciPy's words (ValueError there).
    throw rangeErrorMessage(`${name} value out of range; got ${workers}, must not be less than ${-cpus} (there are ${cpus} CPUs)`)
  }
  return n
}

/** Caps a thread count at the CPUs the process may use and at `limit` (a threadpoolLimits entry). */
function cap(threads: number, limit: number | undefined): number {
  // One thread needs no CPU count (the default: keep small calls free of the syscall).
  const n = threads === 1 ? 1 : Math.min(threads, cpuCount())
  return limit === undefined ? n : Math.max(1, Math.min(n, limit))
}

/**
 * Resolves a `workers` value to the number of threads a call runs on. SciPy's
 * rule: `n ≥ 1` is `n` threads, `-1` every CPU the process may use
 * (`os.availableParallelism()`), and other negatives wrap as `cpus + 1 + workers`.
 * A count above the CPUs runs on that many threads (as SciPy's pocketfft
 * pool, whose size is the CPU count), so `workers: 4096` on 8 CPUs runs on 8;
 * a `workers` limit set with `threadpoolLimits` caps it further.
 *
 * @param workers - The value to resolve; `undefined` (or `null`) takes the scoped default ({@link withWorkers}, else 1).
 * @returns The number of threads, between 1 and the CPU count.
 * @throws TypeError if `workers` is not a number; RangeError if it is 0, not an integer, or wraps below 1.
 * @example
 * ```ts
 * import { resolveWorkers } from 'musique'
 * resolveWorkers(-1) // os.availableParallelism(), e.g. 8
 * resolveWorkers(-2) // 7 on 8 CPUs
 * resolveWorkers(64) // 8 on 8 CPUs
 * ```
 */
export function resolveWorkers(workers?: Workers | null): number {
  const w = workers === undefined || workers === null ? getWorkers() : wrap(workers)
  return cap(w, currentLimits().workers)
}

/**
 * The threads a `size`-like count runs on where SciPy's rule applies but the
 * count defaults to every CPU (WorkerPool's `size`, linalg's 'blas' threads):
 * `undefined` is every CPU, negatives wrap, and the result is capped.
 *
 * @internal
 */
export function resolveThreads(count: unknown, name: string, limit?: number): number {
  const n = count === undefined || count === null ? cpuCount() : wrap(count, name)
  return cap(n, limit)
}

/**
 * Threads a linalg call runs on here, as BLAS does: every CPU, or the 'blas'
 * limit of threadpoolLimits (capped at the CPUs).
 *
 * @internal
 */
export function blasThreads(): number {
  return cap(cpuCount(), currentLimits().blas)
}

/**
 * The default `workers` in the current scope, resolved by SciPy's rule as
 * `scipy.fft.get_workers` returns it: 1 (single-threaded) unless changed by
 * {@link withWorkers}; `withWorkers(-1, getWorkers)` is the CPU count.
 * (A count above the CPUs is reported as set; {@link resolveWorkers} gives
 * the threads a call really runs on.)
 *
 * @example
 * ```ts
 * import { getWorkers, withWorkers } from 'musique'
 * getWorkers() // 1
 * withWorkers(4, () => getWorkers()) // 4
 * withWorkers(-1, getWorkers) // os.availableParallelism()
 * ```
 */
export function getWorkers(): number {
  return scope.getStore() ?? 1
}

/**
 * Runs `fn` with `workers` as the default for every Musique call inside it,
 * including async code it starts (the scope follows AsyncLocalStorage), like
 * `with scipy.fft.set_workers(n):`. An explicit `workers` option still wins.
 * Negative values are resolved here, as SciPy's `set_workers` does.
 *
 * @param workers - The scoped default (validated as {@link resolveWorkers} does).
 * @param fn - Sync or async function; its return value is returned.
 * @throws TypeError or RangeError for an invalid `workers` or a `fn` that is not a function.
 * @example
 * ```ts
 * import { withWorkers, fft } from 'musique'
 * const y = withWorkers(-1, () => fft(signal)) // all cores
 * ```
 */
export function withWorkers<R>(workers: Workers, fn: () => R): R {
  const w = wrap(workers)
  if (typeof fn !== 'function') throw typeError('fn', 'a function', fn)
  return scope.run(w, fn)
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
