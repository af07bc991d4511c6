// threadpoolctl's API for Musique's own thread pools: threadpoolInfo() lists
// them, threadpoolLimits() limits them. Unlike threadpoolctl, whose limits are
// process-global, a limit here belongs to its async context (AsyncLocalStorage)
// and its thread: two concurrent requests with different limits do not disturb
// each other, and each call passes its thread count down to Rust explicitly.

import { checkOptions, rangeError, typeError, unknownOption } from './internal/errors'
import { currentLimits, type Limits, limitsScope } from './internal/limits'
import native = require('./internal/native')
import { loadedBinary } from './internal/binary'
import { blasThreads, resolveThreads } from './workers'

/** The user APIs Musique's pools serve: 'blas' is linalg (all cores by default), 'workers' the `workers` option (1 by default). */
export type UserApi = 'blas' | 'workers'

const USER_APIS: readonly UserApi[] = ['blas', 'workers']

/** One thread pool, as threadpoolctl's `threadpool_info()` describes one (camelCase). */
export interface ThreadpoolInfo {
  /** 'blas' for linalg, 'workers' for the `workers` option's pools. */
  userApi: UserApi
  /** The library doing the work: 'faer' or 'openblas' for linalg, 'rayon' for `workers`. */
  internalApi: 'faer' | 'openblas' | 'rayon'
  /** Always 'musique': these pools live in Musique's native binary. */
  prefix: 'musique'
  /** The native binary that holds the pool. */
  filepath: string | null
  /** The library's version. */
  version: string
  /** Threads a call runs on in the current scope: linalg's thread count, or the `workers` limit (all cores when none). */
  numThreads: number
  /** What runs the threads: rayon pools, cached by size. */
  threadingLayer: 'rayon' | 'pthreads'
  /** Sizes of the rayon pools built so far (built once per size, shared by linalg and `workers`). */
  poolSizes: number[]
}

/** Limits for {@link threadpoolLimits}: a thread count for every pool, or one per user API. `null`/missing: no limit. */
export type ThreadpoolLimitsSpec = number | null | Partial<Record<UserApi, number | null>>

/** Handle returned by {@link threadpoolLimits} without a function: `restore()` puts the previous limits back. */
export interface ThreadpoolLimiter {
  /** Restores the limits in force before this one. Calling it twice does nothing more. */
  restore(): void
  /** Thread counts per user API before these limits (threadpoolctl's `get_original_num_threads`). */
  getOriginalNumThreads(): Record<UserApi, number>
}

/**
 * Lists every thread pool Musique owns, like Python's `threadpoolctl.threadpool_info()`:
 * the linalg pool (user API 'blas', faer or OpenBLAS) and the `workers` pools
 * (user API 'workers', rayon), each with its thread count in the current scope.
 *
 * @returns One entry per user API.
 * @example
 * ```ts
 * import { threadpoolInfo, threadpoolLimits } from 'musique'
 * threadpoolInfo()[0] // { userApi: 'blas', internalApi: 'faer', numThreads: 8, … }
 * threadpoolLimits({ blas: 1 }, () => threadpoolInfo()[0].numThreads) // 1
 * ```
 */
export function threadpoolInfo(): ThreadpoolInfo[] {
  const backend = native.linalgBackend()
  const limits = currentLimits()
  const poolSizes = native.workerPools().map((p) => p.threads)
  const filepath = loadedBinary()
  return [
    {
      userApi: 'blas',
      internalApi: backend.internalApi as 'faer' | 'openblas',
      prefix: 'musique',
      filepath,
      version: backend.version,
      numThreads: blasThreads(),
      threadingLayer: backend.internalApi === 'openblas' ? 'pthreads' : 'rayon',
      poolSizes,
    },
    {
      userApi: 'workers',
      internalApi: 'rayon',
      prefix: 'musique',
      filepath,
      version: native.rayonVersion(),
      numThreads: resolveThreads(undefined, 'workers', limits.workers),
      threadingLayer: 'rayon',
      poolSizes,
    },
  ]
}

function checkCount(v: unknown, name: string): number | undefined {
  if (v === undefined || v === null) return undefined
  if (typeof v !== 'number') throw typeError(name, 'a positive integer or null', v)
  if (!Number.isInteger(v) || v < 1) throw rangeError(name, 'a positive integer or null', v)
  return v
}

function merge(spec: unknown): Limits {
  const next: Limits = { ...currentLimits() }
  if (spec === null || spec === undefined) return {}
  if (typeof spec === 'number') {
    const n = checkCount(spec, 'limits')
    return { blas: n, workers: n }
  }
  if (typeof spec !== 'object' || Array.isArray(spec)) {
    throw typeError('limits', "a positive integer, null, or an object such as { blas: 1 }", spec)
  }
  for (const [key, value] of Object.entries(spec)) {
    if (key !== 'blas' && key !== 'workers') throw unknownOption(key, 'threadpoolLimits (a user API)', USER_APIS)
    const n = checkCount(value, `limits.${key}`)
    if (n === undefined) delete next[key]
    else next[key] = n
  }
  return next
}

/**
 * Limits Musique's thread pools, like Python's `threadpoolctl.threadpool_limits`.
 *
 * With `fn`, runs it (sync or async) with the limits in force and returns what
 * it returns; the limits end with it, even when it throws. Without `fn`, the
 * limits hold for the rest of the current async context until `restore()`.
 *
 * Limits follow the async context (AsyncLocalStorage) and the thread they were
 * set in: concurrent requests with different limits do not disturb each other,
 * and a worker_thread starts with none. `{ blas: 1 }` runs linalg on the
 * calling thread alone; `{ workers: n }` caps every `workers` option at n.
 *
 * @param limits - A thread count for every pool, `null` for no limit, or `{ blas?, workers? }`.
 * @param fn - Optional function to run under the limits.
 * @throws TypeError for an unknown user API (code ERR_UNKNOWN_OPTION) or a limit that is not a number; RangeError for a limit that is not a positive integer.
 * @example
 * ```ts
 * import { threadpoolLimits } from 'musique'
 * import { solve } from 'musique/linalg'
 * const x = threadpoolLimits({ blas: 1 }, () => solve(a, b)) // one thread
 * const limiter = threadpoolLimits(2)
 * // … every call here uses at most 2 threads …
 * limiter.restore()
 * ```
 */
export function threadpoolLimits<R>(limits: ThreadpoolLimitsSpec, fn: () => R): R
export function threadpoolLimits(limits: ThreadpoolLimitsSpec): ThreadpoolLimiter
export function threadpoolLimits<R>(limits: ThreadpoolLimitsSpec, fn?: () => R): R | ThreadpoolLimiter {
  const previous = limitsScope.getStore()
  const next = merge(limits)
  if (fn !== undefined) {
    if (typeof fn !== 'function') throw typeError('fn', 'a function', fn)
    return limitsScope.run(next, fn)
  }
  const original = { blas: resolveThreads(undefined, 'blas', previous?.blas), workers: resolveThreads(undefined, 'workers', previous?.workers) }
  limitsScope.enterWith(next)
  let restored = false
  return {
    restore() {
      if (restored) return
      restored = true
      limitsScope.enterWith(previous ?? {})
    },
    getOriginalNumThreads() {
      return original
    },
  }
}

/**
 * threadpoolctl's `ThreadpoolController`: {@link threadpoolInfo} and
 * {@link threadpoolLimits} behind one object, with `select` to pick pools.
 *
 * @example
 * ```ts
 * import { ThreadpoolController } from 'musique'
 * const controller = new ThreadpoolController()
 * controller.select({ userApi: 'blas' }).limit(1, () => heavyLinalg())
 * ```
 */
export class ThreadpoolController {
  private readonly apis: UserApi[]

  constructor(apis: UserApi[] = ['blas', 'workers']) {
    this.apis = apis
  }

  /** The selected pools' info. */
  info(): ThreadpoolInfo[] {
    return threadpoolInfo().filter((p) => this.apis.includes(p.userApi))
  }

  /** A controller over the pools whose user API (or internal API) matches. */
  select(filter: { userApi?: UserApi | UserApi[]; internalApi?: string | string[] }): ThreadpoolController {
    checkOptions(filter, 'ThreadpoolController.select', ['userApi', 'internalApi'], 'filter')
    const want = (v: string | string[] | undefined, x: string): boolean => v === undefined || v === null || (Array.isArray(v) ? v.includes(x) : v === x)
    const apis = threadpoolInfo()
      .filter((p) => this.apis.includes(p.userApi) && want(filter.userApi, p.userApi) && want(filter.internalApi, p.internalApi))
      .map((p) => p.userApi)
    return new ThreadpoolController(apis)
  }

  /** {@link threadpoolLimits} on the selected pools only. */
  limit<R>(limits: number | null, fn: () => R): R
  limit(limits: number | null): ThreadpoolLimiter
  limit<R>(limits: number | null, fn?: () => R): R | ThreadpoolLimiter {
    const spec = Object.fromEntries(this.apis.map((a) => [a, limits])) as Partial<Record<UserApi, number | null>>
    return fn === undefined ? threadpoolLimits(spec) : threadpoolLimits(spec, fn)
  }

  /** Runs `fn` with the selected pools limited to `limits` threads (threadpoolctl's `wrap`). */
  wrap<A extends unknown[], R>(limits: number | null, fn: (...args: A) => R): (...args: A) => R {
    return (...args: A) => this.limit(limits, () => fn(...args))
  }
}
