// musique/optimize/brute: brute force over a grid (scipy.optimize.brute).

import { checkOptions, rangeError, typeError, valueError } from '../internal/errors'
import { evaluator, type OptimizeWorkers } from '../internal/evaluate'
import { intOption } from '../internal/options'
import type { NDArray } from '../ndarray'
import { argsOption, type Objective } from './common'
import { flatBounds } from './constraints'
import { minimizeCore, minimizeRequest } from './minimize'
import type { OptimizeResult } from './results'

/** Options of {@link brute}. */
export interface BruteOptions {
  /** Grid points per axis for [lo, hi] ranges. @default 20 */
  Ns?: number
  /** Parallel grid evaluation, as in differentialEvolution. @default 1 */
  workers?: OptimizeWorkers
  /** Local refinement from the best grid point: 'Nelder-Mead' (SciPy's fmin), a function, or null. @default 'Nelder-Mead' */
  finish?: 'Nelder-Mead' | null | ((func: (x: Float64Array) => number, x0: Float64Array) => Pick<OptimizeResult, 'x' | 'fun'>)
  /** Extra arguments passed to func after x. */
  args?: unknown[]
}

const BRUTE_OPTIONS = ['Ns', 'workers', 'finish', 'args'] as const

/** The result of {@link brute}: SciPy's (x0, fval, grid, Jout). */
export interface BruteResult {
  /** The minimizer: the best grid point, then refined by `finish` unless it is null (SciPy's `x0`). */
  x: Float64Array
  /** The objective's value at x (SciPy's `fval`). */
  fun: number
  /** The grid points, one row per point (N×prod(Ns)). */
  grid: NDArray<'float64'>
  /** f at each grid point. */
  jout: Float64Array
  /** Objective evaluations: the grid points plus those of `finish`. */
  nfev: number
}

/**
 * Minimizes over a grid, then refines (scipy.optimize.brute): each range
 * [lo, hi] gets Ns points including both ends.
 *
 * @example
 * ```ts
 * import { brute } from 'musique/optimize'
 * brute((x) => (x[0] - 1) ** 2 + (x[1] + 2) ** 2, [[-4, 4], [-4, 4]], { Ns: 9 }).x // ≈ [1, -2]
 * ```
 */
export function brute(func: Objective, ranges: [number, number][], options?: BruteOptions): BruteResult {
  const o = checkOptions(options, 'brute', BRUTE_OPTIONS) as BruteOptions
  const Ns = intOption(o.Ns, 'Ns', 20, { min: 2 })
  // SciPy's finish=None means no refinement: here null is not the default.
  const finish = o.finish === undefined ? 'Nelder-Mead' : o.finish
  if (finish !== null && finish !== 'Nelder-Mead' && typeof finish !== 'function') {
    const expected = "'Nelder-Mead', a function or null"
    throw typeof finish === 'string' ? valueError('finish', expected, finish) : typeError('finish', expected, finish)
  }
  const args = argsOption(o.args)
  if (!Array.isArray(ranges) || ranges.length === 0) throw typeError('ranges', 'an array of [lo, hi] pairs', ranges)
  const b = flatBounds(ranges, 'ranges')
  const n = ranges.length
  const total = Ns ** n
  if (total > 2 ** 27) throw rangeError('Ns', `a grid of at most 2**27 points (Ns**${n})`, Ns)
  const grid = new Float64Array(total * n)
  for (let k = 0; k < total; k++) {
    let r = k
    for (let j = n - 1; j >= 0; j--) {
      const i = r % Ns
      r = (r - i) / Ns
      const lo = b[2 * j]
      const hi = b[2 * j + 1]
      grid[k * n + j] = lo + ((hi - lo) * i) / (Ns - 1)
    }
  }
  const ev = evaluator(func, o.workers, args)
  try {
    const jout = ev.evalSync(grid, total, n)
    let best = 0
    for (let k = 1; k < total; k++) if (jout[k] < jout[best]) best = k
    let x = grid.slice(best * n, (best + 1) * n)
    let fun = jout[best]
    let nfev = total
    if (finish !== null) {
      const single = (xx: Float64Array) => ev.evalSync(xx, 1, n)[0]
      const r =
        typeof finish === 'function'
          ? finish(single, x)
          : minimizeCore((xs) => ev.evalSync(xs, xs.length / n, n), x, minimizeRequest(n, { method: 'Nelder-Mead' }))
      nfev += (r as Partial<OptimizeResult>).nfev ?? 0
      x = Float64Array.from(r.x)
      fun = r.fun
    }
    return { x, fun, grid: { data: grid, shape: [total, n], dtype: 'float64' }, jout, nfev }
  } finally {
    void ev.close()
  }
}
