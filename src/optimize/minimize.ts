// musique/optimize/minimize: local minimizers (scipy.optimize.minimize) and approx_fprime.

import { callNative, checkOptions, rangeError, typeError, valueError } from '../internal/errors'
import { evaluator, type OptimizeWorkers } from '../internal/evaluate'
import native = require('../internal/native')
import { boolOption, functionOption, intOption, numberOption, oneOf } from '../internal/options'
import { type ArrayInput, readFloat64 } from '../ndarray'
import { argsOption, finiteOption, type Objective } from './common'
import { type BoundsInput, flatBounds } from './constraints'
import { type IntermediateResult, mat, type OptimizeResult } from './results'

/** Methods of {@link minimize}. */
export type MinimizeMethod = 'Nelder-Mead' | 'Powell' | 'CG' | 'BFGS' | 'L-BFGS-B'

/** Options of {@link minimize}, as scipy.optimize.minimize's keywords. */
export interface MinimizeOptions {
  /** @default 'BFGS', or 'L-BFGS-B' when bounds are given */
  method?: MinimizeMethod
  /** Gradient: a function x → ∇f(x), or '2-point' / '3-point' finite differences. @default forward differences with step options.eps */
  jac?: ((x: Float64Array, ...args: never[]) => ArrayLike<number>) | '2-point' | '3-point'
  /** [[lo, hi], …] or a {@link Bounds} (Nelder-Mead, Powell, L-BFGS-B). */
  bounds?: BoundsInput
  /** Method-specific tolerance, as SciPy's `tol`. */
  tol?: number
  /** Called after each iteration with {x, fun, nit}; return true to stop (status 99). */
  callback?: (intermediate: IntermediateResult) => unknown
  /** Extra arguments passed to the objective after x. */
  args?: unknown[]
  /**
   * Method options, SciPy's names in camelCase; each method takes its own and an unknown key is a TypeError:
   * - 'Nelder-Mead': maxiter, maxfev, xatol, fatol, adaptive, initialSimplex ((n+1)×n);
   * - 'Powell': maxiter, maxfev, xtol, ftol, direc (n×n);
   * - 'CG': maxiter, gtol, norm, eps, c1, c2, finiteDiffRelStep, workers;
   * - 'BFGS': maxiter, gtol, norm, eps, c1, c2, xrtol, hessInv0 (n×n), finiteDiffRelStep, workers;
   * - 'L-BFGS-B': maxcor, ftol, gtol, eps, maxfun, maxiter, maxls, finiteDiffRelStep, workers.
   *
   * Counts are integers (maxiter, maxfev, maxfun ≥ 0; maxcor, maxls ≥ 1), tolerances numbers ≥ 0; `null` is the default.
   * `workers` evaluates a finite-difference gradient's points in parallel (a thread count with a module/test-function
   * objective, a map-like function, or a WorkerPool), as SciPy 1.16.
   */
  options?: Record<string, unknown> & {
    /** Parallel evaluation of a finite-difference gradient's points: a thread count, a map-like function, or a WorkerPool. @default 1 */
    workers?: OptimizeWorkers
  }
}

type EvalBatch = (xs: Float64Array) => Float64Array

interface CoreOptions {
  method?: unknown
  jac?: unknown
  bounds?: unknown
  tol?: unknown
  callback?: unknown
  options?: unknown
  args?: unknown
}

/** The keys of {@link minimize}'s options: SciPy's keywords that Musique supports. */
const MINIMIZE_OPTIONS = ['method', 'jac', 'bounds', 'tol', 'callback', 'args', 'options'] as const
const MINIMIZE_METHODS = ['Nelder-Mead', 'Powell', 'CG', 'BFGS', 'L-BFGS-B'] as const

/**
 * The method options each method reads: SciPy's names in camelCase, less
 * those Musique does not implement (disp, return_all, iprint). `workers` where
 * SciPy 1.16 takes it: the methods that evaluate finite-difference gradients.
 */
const METHOD_OPTIONS: Record<string, readonly string[]> = {
  'nelder-mead': ['maxiter', 'maxfev', 'xatol', 'fatol', 'adaptive', 'initialSimplex'],
  powell: ['maxiter', 'maxfev', 'xtol', 'ftol', 'direc'],
  cg: ['maxiter', 'gtol', 'norm', 'eps', 'c1', 'c2', 'finiteDiffRelStep', 'workers'],
  bfgs: ['maxiter', 'gtol', 'norm', 'eps', 'c1', 'c2', 'xrtol', 'hessInv0', 'finiteDiffRelStep', 'workers'],
  'l-bfgs-b': ['maxcor', 'ftol', 'gtol', 'eps', 'maxfun', 'maxiter', 'maxls', 'finiteDiffRelStep', 'workers'],
}

/** A rows×cols matrix option (initialSimplex, direc, hessInv0), row-major; its shape is checked so no array is misread. */
function matrixOption(v: unknown, name: string, rows: number, cols: number): Float64Array | undefined {
  if (v === undefined || v === null) return undefined
  const { data, shape } = readFloat64(v, name, 2)
  if (shape[0] !== rows || shape[1] !== cols) throw rangeError(name, `a ${rows}×${cols} array`, `shape [${shape.join(', ')}]`)
  return data
}

/** minimize's arguments, checked, as the binding takes them. */
interface MinimizeRequest {
  bounds?: Float64Array
  jac?: EvalBatch
  callback?: (state: Float64Array) => boolean
  options: Parameters<typeof native.minimizeExecute>[5]
  /** `options.workers`, for the evaluator. */
  workers: unknown
}

/** Checks minimize's options (top level and the method's own) once, for a problem in `n` variables. */
export function minimizeRequest(n: number, options: unknown): MinimizeRequest {
  const o = checkOptions(options, 'minimize', MINIMIZE_OPTIONS) as CoreOptions
  const bounds = o.bounds === undefined || o.bounds === null ? undefined : flatBounds(o.bounds)
  if (bounds && bounds.length !== 2 * n) throw rangeError('bounds', `${n} [lo, hi] pairs (one per variable)`, o.bounds)
  const methodName = o.method ?? (bounds ? 'L-BFGS-B' : 'BFGS')
  if (typeof methodName !== 'string') throw typeError('method', oneOf(MINIMIZE_METHODS), methodName)
  // SciPy matches method names ignoring case.
  const method = MINIMIZE_METHODS.find((k) => k.toLowerCase() === methodName.toLowerCase())
  if (method === undefined) throw valueError('method', oneOf(MINIMIZE_METHODS), methodName)
  const m = method.toLowerCase()
  const opts = checkOptions(o.options, `minimize (method '${method}')`, METHOD_OPTIONS[m], 'options.options')
  const int = (k: string, min: number) => intOption(opts[k], `options.${k}`, undefined, { min })
  const nonNegative = (k: string) => numberOption(opts[k], `options.${k}`, undefined, { min: 0 })
  const tol = numberOption(o.tol, 'tol', undefined, { min: 0 })
  const args = argsOption(o.args)
  let jac: EvalBatch | undefined
  let finiteDiff: 'abs' | '2-point' | '3-point' = 'abs'
  if (typeof o.jac === 'function') {
    const g = o.jac as (x: Float64Array, ...a: unknown[]) => ArrayLike<number>
    jac = (xx) => Float64Array.from(g(xx, ...args))
  } else if (o.jac === '2-point' || o.jac === '3-point') finiteDiff = o.jac
  else if (typeof o.jac === 'string') throw valueError('jac', "a function, '2-point' or '3-point'", o.jac)
  else if (o.jac !== undefined && o.jac !== null) throw typeError('jac', "a function, '2-point' or '3-point'", o.jac)
  const cb = functionOption<(r: IntermediateResult) => unknown>(o.callback, 'callback')
  const callback = cb
    ? // An exception propagates, as SciPy's do (only StopIteration stops it there; here, returning true).
      (state: Float64Array): boolean => cb({ nit: state[0], fun: state[1], x: state.slice(2) }) === true
    : undefined
  const adaptive = boolOption(opts.adaptive, 'options.adaptive')
  const c1 = numberOption(opts.c1, 'options.c1')
  const c2 = numberOption(opts.c2, 'options.c2')
  // SciPy's `tol` sets the method's own tolerances, unless they are given.
  const byTol = (k: string, methods: string[]) => nonNegative(k) ?? (methods.includes(m) ? tol : undefined)
  return {
    bounds,
    jac,
    callback,
    workers: opts.workers,
    options: {
      method,
      maxiter: int('maxiter', 0),
      maxfev: int('maxfev', 0),
      maxfun: int('maxfun', 0),
      // L-BFGS-B's memory and line-search steps: SciPy refuses 0 ('maxls must be positive.', 'ERROR: M <= 0').
      maxcor: int('maxcor', 1),
      maxls: int('maxls', 1),
      xatol: byTol('xatol', ['nelder-mead']),
      fatol: byTol('fatol', ['nelder-mead']),
      adaptive,
      initialSimplex: matrixOption(opts.initialSimplex, 'options.initialSimplex', n + 1, n),
      xtol: byTol('xtol', ['powell']),
      ftol: byTol('ftol', ['powell', 'l-bfgs-b']),
      direc: matrixOption(opts.direc, 'options.direc', n, n),
      gtol: byTol('gtol', ['cg', 'bfgs', 'l-bfgs-b']),
      // The order of the gradient norm (±Infinity: max/min abs), as np.linalg.norm's `ord`.
      norm: numberOption(opts.norm, 'options.norm'),
      xrtol: nonNegative('xrtol'),
      // 0 < c1 < c2 < 1 together is SciPy's ValueError from the line search, which musique-optimize raises.
      c1,
      c2,
      finiteDiff,
      eps: finiteOption(opts.eps, 'options.eps'),
      relStep: finiteOption(opts.finiteDiffRelStep, 'options.finiteDiffRelStep'),
      hessInv0: matrixOption(opts.hessInv0, 'options.hessInv0', n, n),
    },
  }
}

/** minimize on a batch evaluator (shared by minimize, DE's polish and brute's finish). */
export function minimizeCore(evaluate: EvalBatch, x: Float64Array, req: MinimizeRequest): OptimizeResult {
  const r = callNative(() => native.minimizeExecute(x, evaluate, req.jac, req.bounds, req.callback, req.options))
  const n = x.length
  const out: OptimizeResult = {
    x: r.x,
    fun: r.fun,
    nfev: r.nfev,
    njev: r.njev,
    nit: r.nit,
    success: r.success,
    status: r.status,
    message: r.message,
  }
  if (r.jac) out.jac = r.jac
  if (r.hessInv) out.hessInv = mat(r.hessInv, n)
  if (r.finalSimplex && r.finalSimplexValues) out.finalSimplex = { points: mat(r.finalSimplex, n), values: r.finalSimplexValues }
  if (r.direc) out.direc = mat(r.direc, n)
  return out
}

/**
 * Minimizes a function of several variables (scipy.optimize.minimize) with
 * 'Nelder-Mead', 'Powell', 'CG', 'BFGS' or 'L-BFGS-B'.
 *
 * Without `jac`, gradients are finite differences whose points are evaluated
 * as one batch; `options.workers` runs that batch in parallel, as SciPy 1.16.
 *
 * @param fun - f(x) → number (or a module reference / Musique test function with options.workers).
 * @param x0 - Initial guess.
 * @returns An OptimizeResult; not converging is `success: false` with SciPy's message, not an error.
 * @throws TypeError/RangeError for bad arguments; the objective's own error if it throws.
 * @example
 * ```ts
 * import { minimize, rosen } from 'musique/optimize'
 * const r = minimize(rosen, [1.3, 0.7, 0.8, 1.9, 1.2], { method: 'BFGS' })
 * r.x // ≈ Float64Array [1, 1, 1, 1, 1]
 * ```
 */
export function minimize(fun: Objective, x0: ArrayInput, options?: MinimizeOptions): OptimizeResult {
  if (x0 === null || typeof x0 !== 'object') throw typeError('x0', 'an array of numbers', x0)
  const x = readFloat64(x0, 'x0', 1).data
  const n = x.length
  // Every option is checked before the evaluator may start worker threads.
  const req = minimizeRequest(n, options)
  const ev = evaluator(fun, req.workers, argsOption(options?.args), 'fun')
  try {
    return minimizeCore((xs) => ev.evalSync(xs, xs.length / n, n), x, req)
  } finally {
    void ev.close()
  }
}

/**
 * The gradient by forward differences (scipy.optimize.approx_fprime); the n
 * shifted points are evaluated as one batch.
 *
 * @param epsilon - Step. @default √(machine epsilon) ≈ 1.49e-8
 * @example
 * ```ts
 * import { approxFprime } from 'musique/optimize'
 * approxFprime([1, 2], (x) => x[0] ** 2 + 3 * x[1]) // ≈ Float64Array [2, 3]
 * ```
 */
export function approxFprime(xk: ArrayInput, f: Objective, epsilon: number = Math.sqrt(Number.EPSILON), ...args: unknown[]): Float64Array {
  const x = readFloat64(xk, 'xk', 1).data
  const step = finiteOption(epsilon, 'epsilon') ?? Math.sqrt(Number.EPSILON)
  const ev = evaluator(f, undefined, args, 'f')
  try {
    const n = x.length
    return callNative(() => native.approxFprimeExecute(x, (xs) => ev.evalSync(xs, xs.length / n, n), step))
  } finally {
    void ev.close()
  }
}
