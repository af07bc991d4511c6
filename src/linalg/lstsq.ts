// musique/linalg/lstsq: least squares and the pseudo-inverse.

import type { AsyncOptions } from '../fft'
import { enumOption, numberOption } from '../internal/options'
import { asMatrix, type Call, finiteOpt, make, type Opts, opts, real, rhs, run, runAsync, scalar } from './request'
import type { FiniteOptions, MatrixInput, OverwriteAOptions, OverwriteBOptions, PromotedOf, RealArray, RealDType, RealDTypeOf } from './types'

/** Options of {@link lstsq}. */
export interface LstsqOptions extends FiniteOptions, OverwriteAOptions, OverwriteBOptions {
  /** Singular values below `cond * s[0]` count as zero. @default machine epsilon */
  cond?: number
  /**
   * SciPy's LAPACK driver, 'gelsd', 'gelss' or 'gelsy': checked and accepted. Each runs the same
   * SVD-based solve (gelsd's and gelss's method), so x and rank are what they give; with 'gelsy'
   * residues and s are given too, where SciPy returns none.
   * @default 'gelsd'
   */
  lapackDriver?: 'gelsd' | 'gelss' | 'gelsy'
}

/** The result of {@link lstsq}, as scipy.linalg.lstsq's tuple. */
export interface LstsqResult<D extends RealDType = RealDType> {
  /** Least-squares solution, n (or n×k). */
  x: RealArray<D>
  /** Squared 2-norm of each column of b − a x when m > n and a has full rank, else empty. */
  residues: RealArray<D>
  /** Effective rank of a. */
  rank: number
  /** Singular values of a, descending. */
  s: RealArray<D>
}

function prepLstsq(a: unknown, b: unknown, o: Opts): Call<LstsqResult> {
  const finite = finiteOpt(o)
  const cond = numberOption(o.cond, 'cond')
  enumOption(o.lapackDriver, 'lapackDriver', ['gelsd', 'gelss', 'gelsy'])
  const A = asMatrix(a, 'a', finite)
  const [m, n] = A.shape
  const B = rhs(b, m, finite)
  return make(
    { op: 'lstsq', cond },
    [A, B.b],
    [
      [m, n],
      [m, B.k],
    ],
    (outs, single) => ({
      x: real(outs[0], single, B.vector ? [n] : [n, B.k]),
      residues: real(outs[1], single, B.vector && outs[1].shape[0] === 1 ? [] : outs[1].shape),
      rank: scalar(outs[2]),
      s: real(outs[3], single),
    }),
  )
}

/**
 * The least-squares solution of `a x = b` (scipy.linalg.lstsq), through an SVD as LAPACK's gelsd.
 *
 * @param a - m×n matrix, any shape.
 * @param b - m values, or m×k.
 * @returns `{ x, residues, rank, s }`.
 * @throws LinAlgError 'ERR_NO_CONVERGENCE' if the SVD does not converge.
 * @example
 * ```ts
 * import { lstsq } from 'musique/linalg'
 * // fit y = c0 + c1 x through (0, 1), (1, 3), (2, 5)
 * lstsq([[1, 0], [1, 1], [1, 2]], [1, 3, 5]).x.data // Float64Array [1, 2]
 * ```
 */
export function lstsq<A extends MatrixInput, B extends MatrixInput>(a: A, b: B, options?: LstsqOptions): LstsqResult<PromotedOf<A, B>> {
  return run(prepLstsq(a, b, opts(options, 'lstsq')), 'lstsq') as LstsqResult<PromotedOf<A, B>>
}

/** Options of {@link pinv}. */
export interface PinvOptions extends FiniteOptions {
  /** Absolute threshold for dropping singular values. @default 0 */
  atol?: number
  /** Relative threshold (times the largest singular value). @default max(m, n) · eps */
  rtol?: number
}

function prepPinv(a: unknown, o: Opts): Call<RealArray> {
  // SciPy: "atol and rtol values must be positive" (zero allowed).
  const atol = numberOption(o.atol, 'atol', undefined, { min: 0 })
  const rtol = numberOption(o.rtol, 'rtol', undefined, { min: 0 })
  const A = asMatrix(a, 'a', finiteOpt(o))
  const [m, n] = A.shape
  return make({ op: 'pinv', atol, rtol }, [A], [[m, n]], (outs, single) => real(outs[0], single))
}

/**
 * The Moore–Penrose pseudo-inverse (scipy.linalg.pinv), through the SVD:
 * singular values at most `atol + rtol · s_max` are dropped.
 *
 * @returns n×m matrix.
 * @example
 * ```ts
 * import { pinv } from 'musique/linalg'
 * pinv([[1, 2], [2, 4]]).data // Float64Array [0.04, 0.08, 0.08, 0.16]
 * ```
 */
export function pinv<A extends MatrixInput>(a: A, options?: PinvOptions): RealArray<RealDTypeOf<A>> {
  return run(prepPinv(a, opts(options, 'pinv')), 'pinv') as RealArray<RealDTypeOf<A>>
}


/** Promise form of {@link lstsq} (see {@link solveAsync}). @example `await lstsqAsync(a, b)` */
export function lstsqAsync<A extends MatrixInput, B extends MatrixInput>(a: A, b: B, options?: LstsqOptions & AsyncOptions): Promise<LstsqResult<PromotedOf<A, B>>> {
  return runAsync('lstsq', options, (o) => prepLstsq(a, b, o)) as Promise<LstsqResult<PromotedOf<A, B>>>
}

/** Promise form of {@link pinv} (see {@link solveAsync}). @example `await pinvAsync(a)` */
export function pinvAsync<A extends MatrixInput>(a: A, options?: PinvOptions & AsyncOptions): Promise<RealArray<RealDTypeOf<A>>> {
  return runAsync('pinv', options, (o) => prepPinv(a, o)) as Promise<RealArray<RealDTypeOf<A>>>
}
