// One batch evaluator per solve: the objective (a closure, a { module, export }
// reference, or one of Musique's native test functions) and the `workers`
// option (a thread count, a map-like function, or a WorkerPool) become one
// `evaluate(points)` used by every optimizer, sync or async.

import { typeError, typeErrorMessage } from './errors'
import native = require('./native')
import { resolveWorkers } from '../workers'
import { isModuleFunction, type ModuleFunction, WorkerPool } from '../workerpool'

/** Marks Musique's own test functions, which optimizers evaluate natively in Rust. */
export const NATIVE = Symbol.for('musique.nativeObjective')

/** A JS objective: f(x, ...args) → number. */
export type ObjectiveFunction = (x: Float64Array, ...args: never[]) => number

/** SciPy's map-like `workers`: `(fn, points) => results`, or a Promise of them. */
export type MapLike = (fn: (x: Float64Array) => number, points: Float64Array[]) => ArrayLike<number> | Promise<ArrayLike<number>>

/** What `workers` may be for optimizers: a thread count, a map-like function, or a WorkerPool to share across solves. */
export type OptimizeWorkers = number | MapLike | WorkerPool

export interface Evaluator {
  /** Name of a native test function, when the whole solve can run in Rust. */
  native?: string
  /** Threads for a native objective (the resolved `workers`). */
  threads: number
  /** True when evaluations run anywhere but the calling thread in order (SciPy then forces updating = 'deferred'). */
  parallel: boolean
  /** Evaluations so far. */
  nfev: number
  evalSync(xs: Float64Array, count: number, dim: number): Float64Array
  /** `signal` reaches a WorkerPool batch, whose busy workers are terminated when it aborts. */
  evalAsync(xs: Float64Array, count: number, dim: number, signal?: AbortSignal): Promise<Float64Array>
  /** The worker_threads pool evaluating the objective, when there is one (constraints given by reference share it). */
  pool?: WorkerPool
  /** Closes a WorkerPool the evaluator built itself. */
  close(): Promise<void>
}

function checkValue(v: unknown, i: number): number {
  if (typeof v !== 'number') throw typeErrorMessage(`the objective must return a number; got ${v === null ? 'null' : typeof v} for point ${i}`)
  return v
}

/** The `count` rows of `dim` values in `xs`, each its own copy. */
export function rows(xs: Float64Array, count: number, dim: number): Float64Array[] {
  return Array.from({ length: count }, (_, i) => xs.slice(i * dim, (i + 1) * dim))
}

function fromMapped(values: ArrayLike<number>, count: number): Float64Array {
  if (values === null || typeof values !== 'object' || typeof values.length !== 'number' || values.length !== count) {
    throw typeErrorMessage(`workers (a map-like function) must return ${count} numbers, one per point; got ${values === null ? 'null' : typeof values === 'object' ? `${values.length} values` : typeof values}`)
  }
  const out = new Float64Array(count)
  for (let i = 0; i < count; i++) out[i] = checkValue(values[i], i)
  return out
}

/**
 * Builds the evaluator for `objective` under `workers`.
 *
 * @param args - Extra arguments passed after x (SciPy's `args`).
 */
export function evaluator(objective: unknown, workers: unknown, args: readonly unknown[] = [], name = 'func', timeout?: number): Evaluator {
  const nativeName = typeof objective === 'function' ? (objective as unknown as Record<symbol, unknown>)[NATIVE] : undefined
  const isRef = isModuleFunction(objective)
  if (typeof objective !== 'function' && !isRef) {
    throw typeError(name, 'a function (x) => number, a { module, export } reference, or one of Musique\'s test functions', objective)
  }
  let nfev = 0
  const base = { threads: 1, parallel: false, async close() {} }

  // A map-like function: hand it the batch, as SciPy hands it to Pool.map.
  if (typeof workers === 'function') {
    if (isRef) throw typeErrorMessage(`${name} must be a function when workers is a map-like function (it is called as workers(${name}, points))`)
    const fn = (x: Float64Array) => (objective as (x: Float64Array, ...a: unknown[]) => number)(x, ...args)
    return {
      ...base,
      parallel: true,
      get nfev() {
        return nfev
      },
      evalSync(xs, count, dim) {
        const r = (workers as MapLike)(fn, rows(xs, count, dim))
        if (r !== null && typeof r === 'object' && typeof (r as Promise<unknown>).then === 'function') {
          throw typeErrorMessage('workers returned a Promise: use the Async form of this function with an asynchronous map-like workers')
        }
        nfev += count
        return fromMapped(r as ArrayLike<number>, count)
      },
      async evalAsync(xs, count, dim) {
        const r = await (workers as MapLike)(fn, rows(xs, count, dim))
        nfev += count
        return fromMapped(r, count)
      },
    }
  }

  // A WorkerPool shared across solves: the caller closes it.
  if (workers instanceof WorkerPool) {
    if (!isRef && nativeName === undefined) {
      throw typeErrorMessage(`${name} must be the pool's { module, export } reference (pool.objective) when workers is a WorkerPool; a closure cannot run on another thread`)
    }
    return poolEvaluator(workers, false)
  }

  const threads = resolveWorkers(workers as number | undefined)
  if (typeof nativeName === 'string') {
    // Musique's own test functions: the whole batch is evaluated in Rust, on `threads` threads.
    return {
      ...base,
      native: nativeName,
      threads,
      parallel: threads > 1,
      get nfev() {
        return nfev
      },
      evalSync(xs, count, dim) {
        nfev += count
        if (count === 0) return new Float64Array(0)
        return native.optimizeTestFunctionBatch(nativeName, xs, dim, threads)
      },
      async evalAsync(xs, count, dim) {
        return this.evalSync(xs, count, dim)
      },
    }
  }
  if (isRef) {
    if (args.length > 0) throw typeErrorMessage(`args cannot be passed to a { module, export } ${name}; bind them in the module`)
    return poolEvaluator(new WorkerPool(objective as ModuleFunction, { size: threads, timeout }), true)
  }
  if (threads > 1) {
    throw typeErrorMessage(
      `workers = ${String(workers)} needs an objective that worker threads can import: a JavaScript closure cannot run on another thread ` +
        "(as SciPy needs a picklable function). Pass func as { module: new URL('./objective.mjs', import.meta.url), export: 'name' }, " +
        'pass workers as a map-like function (fn, points) => results (a piscina pool, say), or use one of Musique\'s native test functions.',
    )
  }
  const f = objective as (x: Float64Array, ...a: unknown[]) => number
  return {
    ...base,
    get nfev() {
      return nfev
    },
    evalSync(xs, count, dim) {
      const out = new Float64Array(count)
      for (let i = 0; i < count; i++) {
        nfev++
        out[i] = checkValue(f(xs.slice(i * dim, (i + 1) * dim), ...args), i)
      }
      return out
    },
    async evalAsync(xs, count, dim) {
      const out = new Float64Array(count)
      for (let i = 0; i < count; i++) {
        nfev++
        let v: unknown = f(xs.slice(i * dim, (i + 1) * dim), ...args)
        if (v !== null && typeof v === 'object' && typeof (v as Promise<unknown>).then === 'function') v = await v
        out[i] = checkValue(v, i)
      }
      return out
    },
  }
}

function poolEvaluator(pool: WorkerPool, owned: boolean): Evaluator {
  let nfev = 0
  return {
    pool,
    threads: pool.size,
    parallel: pool.size > 1,
    get nfev() {
      return nfev
    },
    evalSync(xs, count, dim) {
      nfev += count
      return pool.mapSync(xs, count, dim)
    },
    async evalAsync(xs, count, dim, signal) {
      nfev += count
      return pool.map(xs, count, dim, { signal })
    },
    async close() {
      if (owned) await pool.close()
    },
  }
}
