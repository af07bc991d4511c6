// musique/optimize/functions: Musique's test functions, evaluated in Rust (and by Rust's threads when `workers` allows).

import { callNative } from '../internal/errors'
import { NATIVE } from '../internal/evaluate'
import native = require('../internal/native')
import { type ArrayInput, readFloat64 } from '../ndarray'

function testFunction(name: string, label: string): (x: ArrayInput) => number {
  const f = (x: ArrayInput): number => {
    // The optimizers pass a Float64Array; a caller's other arrays and views are read as everywhere else.
    const v = x instanceof Float64Array ? x : readFloat64(x, 'x', 1).data
    return callNative(() => native.optimizeTestFunction(name, v))
  }
  Object.defineProperty(f, 'name', { value: label })
  Object.defineProperty(f, NATIVE, { value: name })
  return f
}

/**
 * The Rosenbrock function (scipy.optimize.rosen): Σ 100(x[i+1] − x[i]²)² + (1 − x[i])², minimum 0 at all ones.
 * Musique's optimizers evaluate it natively in Rust, across threads with `workers`.
 *
 * @example
 * ```ts
 * import { rosen } from 'musique/optimize'
 * rosen([1, 1, 1]) // 0
 * ```
 */
export const rosen = testFunction('rosen', 'rosen')
/** Rastrigin: 10n + Σ (x² − 10 cos 2πx), minimum 0 at the origin. Native (see {@link rosen}). @example `rastrigin([0, 0]) // 0` */
export const rastrigin = testFunction('rastrigin', 'rastrigin')
/** Ackley (2-D form of SciPy's benchmarks generalised to n): minimum 0 at the origin. Native (see {@link rosen}). @example `ackley([0, 0]) // 0` */
export const ackley = testFunction('ackley', 'ackley')
/** Eggholder (2-D): minimum −959.6407 at (512, 404.2319). Native (see {@link rosen}). @example `eggholder([512, 404.2319]) // -959.64…` */
export const eggholder = testFunction('eggholder', 'eggholder')
/** Sphere: Σ x², minimum 0 at the origin. Native (see {@link rosen}). @example `sphere([1, 2]) // 5` */
export const sphere = testFunction('sphere', 'sphere')
/** Griewank: 1 + Σ x²/4000 − Π cos(x/√i), minimum 0 at the origin. Native (see {@link rosen}). @example `griewank([0, 0]) // 0` */
export const griewank = testFunction('griewank', 'griewank')
/** Styblinski–Tang: Σ (x⁴ − 16x² + 5x)/2, minimum −39.166…·n at x ≈ −2.9035. Native (see {@link rosen}). @example `styblinskiTang([-2.903534, -2.903534]) // -78.33…` */
export const styblinskiTang = testFunction('styblinski_tang', 'styblinskiTang')
