// musique/linalg/svd: singular value decomposition.

import type { AsyncOptions } from '../fft'
import { boolOption, enumOption } from '../internal/options'
import { asMatrix, type Call, finiteOpt, make, type Opts, opts, real, run, runAsync } from './request'
import type { FiniteOptions, MatrixInput, OverwriteAOptions, RealArray, RealDType, RealDTypeOf } from './types'

/** Options of {@link svd}. */
export interface SvdOptions extends FiniteOptions, OverwriteAOptions {
  /** u m×m and vh n×n; false gives m×k and k×n, k = min(m, n). @default true */
  fullMatrices?: boolean
  /** Compute u and vh; false returns s alone. @default true */
  computeUV?: boolean
  /**
   * SciPy's LAPACK driver, 'gesdd' or 'gesvd': checked and accepted. Both run faer's SVD, whose
   * results (singular values descending, vectors to within sign) are what either driver gives.
   * @default 'gesdd'
   */
  lapackDriver?: 'gesdd' | 'gesvd'
}

/** `a = u diag(s) vh`. */
export interface SvdResult<D extends RealDType = RealDType> {
  /** Left singular vectors as columns: m×m, or m×k without fullMatrices. */
  u: RealArray<D>
  /** Singular values, descending. */
  s: RealArray<D>
  /** Right singular vectors as rows: n×n, or k×n without fullMatrices. */
  vh: RealArray<D>
}

function prepSvd(a: unknown, o: Opts, uv?: boolean): Call<SvdResult | RealArray> {
  const fullMatrices = boolOption(o.fullMatrices, 'fullMatrices', true)
  const computeUv = uv ?? boolOption(o.computeUV, 'computeUV', true)
  enumOption(o.lapackDriver, 'lapackDriver', ['gesdd', 'gesvd'])
  const A = asMatrix(a, 'a', finiteOpt(o))
  return make({ op: 'svd', fullMatrices, computeUv }, [A], [A.shape as [number, number]], (outs, single) =>
    computeUv ? { u: real(outs[0], single), s: real(outs[1], single), vh: real(outs[2], single) } : real(outs[0], single),
  )
}

/**
 * Singular value decomposition (scipy.linalg.svd): `a = u diag(s) vh`.
 *
 * @returns `{ u, s, vh }`, or s alone with `computeUV: false`.
 * @throws LinAlgError 'ERR_NO_CONVERGENCE' if the SVD does not converge.
 * @example
 * ```ts
 * import { svd } from 'musique/linalg'
 * svd([[3, 0], [0, -2]]).s.data // Float64Array [3, 2]
 * ```
 */
export function svd<A extends MatrixInput>(a: A, options?: SvdOptions & { computeUV?: true }): SvdResult<RealDTypeOf<A>>
export function svd<A extends MatrixInput>(a: A, options: SvdOptions & { computeUV: false }): RealArray<RealDTypeOf<A>>
export function svd(a: MatrixInput, options?: SvdOptions): SvdResult | RealArray {
  return run(prepSvd(a, opts(options, 'svd')), 'svd')
}

/**
 * Singular values, descending (scipy.linalg.svdvals).
 *
 * @example
 * ```ts
 * import { svdvals } from 'musique/linalg'
 * svdvals([[1, 0], [0, 2], [0, 0]]).data // Float64Array [2, 1]
 * ```
 */
export function svdvals<A extends MatrixInput>(a: A, options?: FiniteOptions & OverwriteAOptions): RealArray<RealDTypeOf<A>> {
  return run(prepSvd(a, opts(options, 'svdvals'), false), 'svdvals') as RealArray<RealDTypeOf<A>>
}


/** Promise form of {@link svd} (see {@link solveAsync}). @example `const { u, s, vh } = await svdAsync(a)` */
export function svdAsync<A extends MatrixInput>(a: A, options?: SvdOptions & AsyncOptions): Promise<SvdResult<RealDTypeOf<A>> | RealArray<RealDTypeOf<A>>> {
  return runAsync('svd', options, (o) => prepSvd(a, o)) as Promise<SvdResult<RealDTypeOf<A>> | RealArray<RealDTypeOf<A>>>
}

/** Promise form of {@link svdvals} (see {@link solveAsync}). @example `await svdvalsAsync(a)` */
export function svdvalsAsync<A extends MatrixInput>(a: A, options?: FiniteOptions & OverwriteAOptions & AsyncOptions): Promise<RealArray<RealDTypeOf<A>>> {
  return runAsync('svdvals', options, (o) => prepSvd(a, o, false) as Call<RealArray>) as Promise<RealArray<RealDTypeOf<A>>>
}
