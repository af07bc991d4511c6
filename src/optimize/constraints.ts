// musique/optimize/constraints: bounds and constraints of differential evolution and the local minimizers, and their flattening.

import { rangeError, typeError } from '../internal/errors'
import { type ArrayInput, readFloat64 } from '../ndarray'
import { isModuleFunction, type ModuleFunction } from '../workerpool'

/**
 * Bounds on variables (scipy.optimize.Bounds): lb ≤ x ≤ ub, scalars broadcast.
 * Accepted wherever `bounds` are, and as a constraint of differentialEvolution.
 *
 * @example
 * ```ts
 * import { Bounds, differentialEvolution, sphere } from 'musique/optimize'
 * differentialEvolution(sphere, new Bounds([-1, -1], [1, 1]), { seed: 0 }).x // ≈ [0, 0]
 * ```
 */
export class Bounds {
  /** Lower bounds, one per variable or one number for all. @default -Infinity */
  readonly lb: number | ArrayInput
  /** Upper bounds, one per variable or one number for all. @default Infinity */
  readonly ub: number | ArrayInput
  constructor(lb: number | ArrayInput = -Infinity, ub: number | ArrayInput = Infinity) {
    this.lb = lb
    this.ub = ub
  }
}

/**
 * lb ≤ fun(x) ≤ ub (scipy.optimize.NonlinearConstraint). `fun` returns a number or an array.
 * differentialEvolution evaluates it before the objective, in parallel like the objective
 * (SciPy evaluates constraints serially): through a map-like `workers` when `fun` is a function,
 * or on the solve's worker_threads when `fun` is a `{ module, export }` reference (with an integer
 * `workers` or a {@link WorkerPool}). A function with any other `workers` runs on the calling thread.
 *
 * @throws TypeError when fun is neither a function nor a `{ module, export }` reference.
 * @example
 * ```ts
 * import { NonlinearConstraint, differentialEvolution } from 'musique/optimize'
 * const inCircle = new NonlinearConstraint((x) => x[0] ** 2 + x[1] ** 2, -Infinity, 1)
 * differentialEvolution((x) => -x[0] - x[1], [[-2, 2], [-2, 2]], { constraints: inCircle, seed: 1 }).x // ≈ [0.707, 0.707]
 * ```
 */
export class NonlinearConstraint {
  constructor(
    /** The constraint function of x (one value, or one per component), or a `{ module, export }` reference to one. */
    readonly fun: ((x: Float64Array) => number | ArrayLike<number>) | ModuleFunction,
    /** Lower bound on fun(x), per component or one number for all (-Infinity for none). */
    readonly lb: number | ArrayInput,
    /** Upper bound on fun(x), per component or one number for all (Infinity for none). */
    readonly ub: number | ArrayInput,
  ) {
    if (typeof fun !== 'function' && !isModuleFunction(fun)) throw typeError('fun', 'a function (x) => number | number[] or a { module, export } reference', fun)
  }
}

/**
 * lb ≤ A x ≤ ub (scipy.optimize.LinearConstraint); A is m×n (nested arrays or an NDArray).
 * Evaluated inside the Rust engine.
 *
 * @example
 * ```ts
 * import { LinearConstraint, differentialEvolution } from 'musique/optimize'
 * const sumAtMostOne = new LinearConstraint([[1, 1]], -Infinity, 1)
 * differentialEvolution((x) => -x[0] - 2 * x[1], [[0, 1], [0, 1]], { constraints: sumAtMostOne, seed: 1 }).x // ≈ [0, 1]
 * ```
 */
export class LinearConstraint {
  constructor(
    /** The m×n constraint matrix (nested rows, one row as a flat array, or any 2-D array input, views included). */
    readonly A: ArrayInput,
    /** Lower bound on A x, per row or one number for all. @default -Infinity */
    readonly lb: number | ArrayInput = -Infinity,
    /** Upper bound on A x, per row or one number for all. @default Infinity */
    readonly ub: number | ArrayInput = Infinity,
  ) {}
}

/** Bounds as [[lo, hi], …], an n×2 array (any array input), or a {@link Bounds}. */
export type BoundsInput = [number, number][] | Bounds | ArrayInput

export function flatBounds(bounds: unknown, name = 'bounds'): Float64Array {
  if (bounds instanceof Bounds) {
    const sized = typeof bounds.lb !== 'number' ? 'lb' : typeof bounds.ub !== 'number' ? 'ub' : undefined
    if (sized === undefined) throw rangeError(name, 'a Bounds with array lb or ub (the dimension must be known)', bounds)
    const n = readFloat64(bounds[sized], `${name}.${sized}`, 1).data.length
    const lb = broadcast(bounds.lb, n, `${name}.lb`)
    const ub = broadcast(bounds.ub, n, `${name}.ub`)
    const out = new Float64Array(2 * n)
    for (let i = 0; i < n; i++) {
      out[2 * i] = lb[i]
      out[2 * i + 1] = ub[i]
    }
    return out
  }
  // An n×2 array other than nested pairs: an NDArray, a view, another library's matrix.
  if (!Array.isArray(bounds) && typeof bounds === 'object' && bounds !== null) {
    const { data, shape } = readFloat64(bounds, name, 2)
    if (shape[0] === 0 || shape[1] !== 2) throw rangeError(name, 'an n×2 array of [lo, hi] pairs', `shape [${shape.join(', ')}]`)
    return data
  }
  if (!Array.isArray(bounds) || bounds.length === 0) throw typeError(name, 'an array of [lo, hi] pairs or a Bounds', bounds)
  const out = new Float64Array(2 * bounds.length)
  bounds.forEach((p, i) => {
    if (!Array.isArray(p) || p.length !== 2 || typeof p[0] !== 'number' || typeof p[1] !== 'number') {
      throw typeError(`${name}[${i}]`, 'a [lo, hi] pair of numbers', p)
    }
    out[2 * i] = p[0]
    out[2 * i + 1] = p[1]
  })
  return out
}

export function broadcast(v: unknown, n: number, name: string): Float64Array {
  if (typeof v === 'number') return new Float64Array(n).fill(v)
  const { data } = readFloat64(v, name, 1)
  if (data.length !== n) throw rangeError(name, `a number or ${n} numbers`, v)
  return data
}
