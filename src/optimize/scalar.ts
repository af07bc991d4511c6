// musique/optimize/scalar: scalar minimization and root finding.

import { callNative, checkOptions, rangeError, rangeErrorMessage, typeError, typeErrorMessage, valueError } from '../internal/errors'
import native = require('../internal/native')
import { functionOption, intOption, numberOption, oneOf } from '../internal/options'
import { argsOption } from './common'

/** Options of {@link minimizeScalar}. */
export interface MinimizeScalarOptions {
  /** @default 'brent', or 'bounded' when bounds are given */
  method?: 'brent' | 'bounded' | 'golden'
  /** Bracketing interval [a, b] or [a, b, c] (brent, golden). */
  bracket?: [number, number] | [number, number, number]
  /** [lo, hi] for 'bounded'. */
  bounds?: [number, number]
  /** Tolerance (xtol, or xatol for 'bounded'). */
  tol?: number
  /** Method options, as SciPy's `options` dict; they take precedence over `tol`. */
  options?: {
    /** Maximum iterations ('bounded': function evaluations). @default 500 (brent, bounded), 5000 (golden) */
    maxiter?: number
    /** Relative tolerance on x (brent, golden). @default 1.48e-8 (brent), √(machine epsilon) ≈ 1.49e-8 (golden) */
    xtol?: number
    /** Absolute tolerance on x ('bounded'). @default 1e-5 */
    xatol?: number
  }
  /** Extra arguments passed to the objective after x. */
  args?: unknown[]
}

/** The result of {@link minimizeScalar}. */
export interface ScalarResult {
  /** The minimizer found. */
  x: number
  /** The objective's value at x. */
  fun: number
  /** Iterations. */
  nit: number
  /** Objective evaluations. */
  nfev: number
  /** Whether the minimizer converged; false with the reason in `message` otherwise. */
  success: boolean
  /** 'bounded' only: 0 solution found, 1 maxiter reached, 2 NaN encountered (SciPy's 'brent' and 'golden' report none). */
  status?: number
  /** Description of the cause of termination, as SciPy's. */
  message: string
}

const SCALAR_OPTIONS = ['method', 'bracket', 'bounds', 'tol', 'options', 'args'] as const
const SCALAR_METHODS = ['brent', 'bounded', 'golden'] as const
/** The method options of {@link minimizeScalar}, per method (SciPy's `disp` is not implemented). */
const SCALAR_METHOD_OPTIONS: Record<string, readonly string[]> = {
  brent: ['xtol', 'maxiter'],
  golden: ['xtol', 'maxiter'],
  bounded: ['xatol', 'maxiter'],
}

/** A short array of numbers (a bracket, a pair of bounds) of one of the `lengths`. */
function numbers(v: unknown, name: string, lengths: number[]): number[] {
  const expected = `an array of ${lengths.join(' or ')} numbers`
  if (!Array.isArray(v) || !v.every((e) => typeof e === 'number')) throw typeError(name, expected, v)
  if (!lengths.includes(v.length)) throw rangeError(name, expected, v)
  return v as number[]
}

function scalarFn(f: unknown, args: unknown[], name: string): (x: number) => number {
  if (typeof f !== 'function') throw typeError(name, 'a function (x: number) => number', f)
  return (x: number) => {
    const v = (f as (x: number, ...a: unknown[]) => unknown)(x, ...args)
    if (typeof v !== 'number') throw typeErrorMessage(`${name} must return a number; got ${v === null ? 'null' : typeof v}`)
    return v
  }
}

/**
 * Minimizes a function of one variable (scipy.optimize.minimize_scalar): 'brent'
 * (default), 'golden', or 'bounded' within `bounds`.
 *
 * @throws TypeError (unknown option, wrong kind of value) or RangeError (a value out of range, or SciPy's
 * ValueError with code 'ERR_INVALID_ARG_VALUE': bounds with 'brent', a bracket that does not bracket);
 * Error with code 'ERR_NO_CONVERGENCE' when the bracket search gives up within its 1000 iterations (SciPy's RuntimeError).
 *
 * @example
 * ```ts
 * import { minimizeScalar } from 'musique/optimize'
 * minimizeScalar((x) => (x - 2) * x * (x + 2) ** 2).x // ≈ 1.28077640403
 * ```
 */
export function minimizeScalar(fun: (x: number, ...args: never[]) => number, options?: MinimizeScalarOptions): ScalarResult {
  const o = checkOptions(options, 'minimizeScalar', SCALAR_OPTIONS) as Record<string, unknown>
  const methodName = o.method ?? (o.bounds !== undefined && o.bounds !== null ? 'bounded' : 'brent')
  if (typeof methodName !== 'string') throw typeError('method', oneOf(SCALAR_METHODS), methodName)
  // SciPy matches method names ignoring case.
  const method = methodName.toLowerCase() as (typeof SCALAR_METHODS)[number]
  if (!SCALAR_METHODS.includes(method)) throw valueError('method', oneOf(SCALAR_METHODS), methodName)
  const bracket = o.bracket === undefined || o.bracket === null ? undefined : numbers(o.bracket, 'bracket', [2, 3])
  const bounds = o.bounds === undefined || o.bounds === null ? undefined : numbers(o.bounds, 'bounds', [2])
  if (bounds && method !== 'bounded') throw rangeErrorMessage(`Use of \`bounds\` is incompatible with 'method=${methodName}'.`, 'ERR_INVALID_ARG_VALUE')
  if (!bounds && method === 'bounded') throw rangeErrorMessage('The `bounds` parameter is mandatory for method `bounded`.', 'ERR_INVALID_ARG_VALUE')
  const tol = numberOption(o.tol, 'tol', undefined, { min: 0 })
  const opts = checkOptions(o.options, `minimizeScalar (method '${method}')`, SCALAR_METHOD_OPTIONS[method], 'options.options')
  const f = scalarFn(fun, argsOption(o.args), 'fun')
  const r = callNative(() => native.minimizeScalarExecute(f, {
    method,
    bracket,
    bounds,
    xtol: numberOption(opts.xtol, 'options.xtol', undefined, { min: 0 }) ?? (method === 'bounded' ? undefined : tol),
    xatol: numberOption(opts.xatol, 'options.xatol', undefined, { min: 0 }) ?? (method === 'bounded' ? tol : undefined),
    maxiter: intOption(opts.maxiter, 'options.maxiter', undefined, { min: 0 }),
  }))
  const out: ScalarResult = { x: r.x, fun: r.fun, nit: r.nit, nfev: r.nfev, success: r.success, message: r.message }
  if (r.status !== undefined && r.status !== null) out.status = r.status
  return out
}

/** Options of {@link rootScalar}. */
export interface RootScalarOptions {
  /** @default 'brentq' with a bracket; else, from x0, 'secant' when x1 is given without fprime, 'newton' otherwise (a finite-difference derivative without fprime), as SciPy */
  method?: 'brentq' | 'bisect' | 'newton' | 'secant'
  /** [a, b] with f(a) and f(b) of different signs (brentq, bisect). */
  bracket?: [number, number]
  /** Initial guess (newton, secant). */
  x0?: number
  /** Second initial guess (secant). @default x0·(1 + 1e-4) ± 1e-4, as SciPy */
  x1?: number
  /** The derivative f'(x) (newton); without it, 'newton' uses a finite-difference derivative. */
  fprime?: (x: number) => number
  /** Absolute tolerance. @default 2e-12 (brentq, bisect), 1.48e-8 (newton, secant) */
  xtol?: number
  /** Relative tolerance. @default 4·(machine epsilon) ≈ 8.88e-16 (brentq, bisect), 0 (newton, secant) */
  rtol?: number
  /** Maximum iterations. @default 100 (brentq, bisect), 50 (newton, secant) */
  maxiter?: number
  /** Extra arguments passed to f (and fprime) after x. */
  args?: unknown[]
}

/** scipy.optimize.RootResults. */
export interface RootResults {
  /** The estimated root. */
  root: number
  /** Iterations needed to find the root. */
  iterations: number
  /** Times f was called (SciPy's `function_calls`). */
  functionCalls: number
  /** Whether the root converged. */
  converged: boolean
  /** 'converged', 'convergence error', or a message naming where f was NaN. */
  flag: string
  /** The method used: 'brentq', 'bisect', 'newton' or 'secant'. */
  method: string
}

/**
 * Finds a root of a scalar function (scipy.optimize.root_scalar).
 *
 * @throws RangeError when a bracket's ends do not have different signs ("f(a) and f(b) must have different signs").
 * @example
 * ```ts
 * import { rootScalar } from 'musique/optimize'
 * rootScalar((x) => x ** 3 - 1, { bracket: [0, 3] }).root // 1
 * ```
 */
export function rootScalar(f: (x: number, ...args: never[]) => number, options?: RootScalarOptions): RootResults {
  return rootScalarChecked(f, checkOptions(options, 'rootScalar', ROOT_OPTIONS))
}

const ROOT_OPTIONS = ['method', 'bracket', 'x0', 'x1', 'fprime', 'xtol', 'rtol', 'maxiter', 'args'] as const
const BRENTQ_OPTIONS = ['xtol', 'rtol', 'maxiter', 'args'] as const
const ROOT_METHODS = ['brentq', 'bisect', 'newton', 'secant'] as const

/** root_scalar on options whose keys are known; every value is checked here. */
function rootScalarChecked(f: unknown, o: Record<string, unknown>): RootResults {
  const bracket = o.bracket === undefined || o.bracket === null ? undefined : numbers(o.bracket, 'bracket', [2])
  const x0 = numberOption(o.x0, 'x0')
  const x1 = numberOption(o.x1, 'x1')
  const fprime = functionOption(o.fprime, 'fprime')
  // SciPy's choice: brentq with a bracket, else newton from x0 (secant when x1 is given without fprime).
  const chosen = o.method ?? (bracket ? 'brentq' : x0 !== undefined ? (fprime || x1 === undefined ? 'newton' : 'secant') : undefined)
  if (chosen === undefined) throw rangeErrorMessage('Unable to select a solver as neither bracket nor starting point provided.', 'ERR_INVALID_ARG_VALUE')
  if (typeof chosen !== 'string') throw typeError('method', oneOf(ROOT_METHODS), chosen)
  const method = chosen.toLowerCase() as (typeof ROOT_METHODS)[number]
  if (!ROOT_METHODS.includes(method)) throw valueError('method', oneOf(ROOT_METHODS), chosen)
  if ((method === 'brentq' || method === 'bisect') && !bracket) throw rangeErrorMessage(`Bracket needed for ${chosen}`, 'ERR_INVALID_ARG_VALUE')
  if ((method === 'newton' || method === 'secant') && x0 === undefined) throw rangeErrorMessage(`x0 must not be None for ${chosen}`, 'ERR_INVALID_ARG_VALUE')
  const args = argsOption(o.args)
  const fn = scalarFn(f, args, 'f')
  const fp = fprime ? scalarFn(fprime, args, 'fprime') : undefined
  // xtol/rtol's lower limits depend on the method (xtol > 0, rtol ≥ 4·eps for brentq/bisect): SciPy's ValueError from musique-optimize.
  const xtol = numberOption(o.xtol, 'xtol')
  const rtol = numberOption(o.rtol, 'rtol')
  const maxiter = intOption(o.maxiter, 'maxiter', undefined, { min: 0 })
  return callNative(() => native.rootScalarExecute(fn, fp, { method, bracket, x0, x1, xtol, rtol, maxiter }))
}

/**
 * A root of f in [a, b] by Brent's method (scipy.optimize.brentq); f(a) and f(b) must differ in sign.
 *
 * @returns The root.
 * @throws RangeError (code 'ERR_INVALID_ARG_VALUE') "f(a) and f(b) must have different signs"; Error with code
 * 'ERR_NO_CONVERGENCE' (SciPy's RuntimeError) when it does not converge within maxiter.
 * @example
 * ```ts
 * import { brentq } from 'musique/optimize'
 * brentq((x) => x * x - 2, 0, 2) // 1.4142135623731364 (as SciPy; xtol 2e-12)
 * ```
 */
export function brentq(f: (x: number, ...args: never[]) => number, a: number, b: number, options?: { xtol?: number; rtol?: number; maxiter?: number; args?: unknown[] }): number {
  const o = checkOptions(options, 'brentq', BRENTQ_OPTIONS)
  if (typeof a !== 'number') throw typeError('a', 'a number', a)
  if (typeof b !== 'number') throw typeError('b', 'a number', b)
  const r = rootScalarChecked(f, { ...o, method: 'brentq', bracket: [a, b] })
  // SciPy's ValueError from _wrap_nan_raise: "The function value at x=0.0 is NaN; solver cannot continue."
  if (!r.converged && r.flag.includes('is NaN')) throw rangeErrorMessage(r.flag, 'ERR_INVALID_ARG_VALUE')
  if (!r.converged) {
    // SciPy's RuntimeError, with the code the binding gives its own (see fromNative).
    const err = new Error(`Failed to converge after ${r.iterations} iterations, value is ${r.root}.`)
    Object.defineProperty(err, 'code', { value: 'ERR_NO_CONVERGENCE', enumerable: false, writable: true, configurable: true })
    throw err
  }
  return r.root
}
