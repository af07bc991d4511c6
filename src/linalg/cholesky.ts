// musique/linalg/cholesky: Cholesky decomposition and its solver.

import type { AsyncOptions } from '../fft'
import { typeError } from '../internal/errors'
import { boolOption } from '../internal/options'
import { asSquare, type Call, finiteOpt, make, type Opts, opts, prepSquare, real, rhs, run, runAsync } from './request'
import type { FiniteOptions, MatrixInput, OverwriteAOptions, OverwriteBOptions, PromotedOf, RealArray, RealDType, RealDTypeOf } from './types'

// One prepare function per operation, shared by the sync and Promise forms.
const prepCholesky = (a: unknown, o: Opts) => {
  const lower = boolOption(o.lower, 'lower', false)
  return prepSquare('cholesky', a, o, (outs, single) => real(outs[0], single), { lower })
}
const prepChoFactor = (a: unknown, o: Opts) => {
  const lower = boolOption(o.lower, 'lower', false)
  return prepSquare('cholesky', a, o, (outs, single): ChoFactorResult => ({ c: real(outs[0], single), lower }), { lower })
}


/** Options of {@link cholesky} and {@link choFactor}. */
export interface CholeskyOptions extends FiniteOptions, OverwriteAOptions {
  /** Return the lower factor (a = c cᵀ) instead of the upper one (a = cᵀ c); only that triangle of a is read. @default false */
  lower?: boolean
}

/**
 * Cholesky decomposition of a symmetric positive-definite matrix (scipy.linalg.cholesky).
 *
 * @returns The upper factor c (a = cᵀ c), or the lower one with `lower: true`; the other triangle is zero.
 * @throws LinAlgError 'ERR_NOT_POSITIVE_DEFINITE' naming the leading minor that fails.
 * @example
 * ```ts
 * import { cholesky } from 'musique/linalg'
 * cholesky([[4, 2], [2, 3]], { lower: true }).data // Float64Array [2, 0, 1, 1.414…]
 * ```
 */
export function cholesky<A extends MatrixInput>(a: A, options?: CholeskyOptions): RealArray<RealDTypeOf<A>> {
  return run(prepCholesky(a, opts(options, 'cholesky')), 'cholesky') as RealArray<RealDTypeOf<A>>
}

/** A Cholesky factor and which triangle it is, for {@link choSolve}. */
export interface ChoFactorResult<D extends RealDType = RealDType> {
  /** The Cholesky factor. */
  c: RealArray<D>
  /** Whether c is the lower factor (a = c cᵀ) or the upper one (a = cᵀ c). */
  lower: boolean
}

/**
 * Cholesky factorization for {@link choSolve} (scipy.linalg.cho_factor).
 *
 * @throws LinAlgError 'ERR_NOT_POSITIVE_DEFINITE'.
 * @example
 * ```ts
 * import { choFactor, choSolve } from 'musique/linalg'
 * choSolve(choFactor([[4, 2], [2, 3]]), [2, 1]).data // Float64Array [0.5, 0]
 * ```
 */
export function choFactor<A extends MatrixInput>(a: A, options?: CholeskyOptions): ChoFactorResult<RealDTypeOf<A>> {
  return run(prepChoFactor(a, opts(options, 'choFactor')), 'choFactor') as ChoFactorResult<RealDTypeOf<A>>
}

function prepChoSolve(f: unknown, b: unknown, o: Opts): Call<RealArray> {
  const finite = finiteOpt(o)
  if (f === null || typeof f !== 'object' || !('c' in f)) throw typeError('cAndLower', 'the { c, lower } that choFactor returns', f)
  const { c, lower } = f as ChoFactorResult
  const lowerC = boolOption(lower, 'cAndLower.lower', false)
  const C = asSquare(c, 'cAndLower.c', finite)
  const n = C.shape[0]
  const B = rhs(b, n, finite)
  return make(
    { op: 'choSolve', lower: lowerC },
    [C, B.b],
    [
      [n, n],
      [n, B.k],
    ],
    (outs, single) => real(outs[0], single, [...B.b.shape]),
  )
}

/**
 * Solves `a x = b` from {@link choFactor}'s factor (scipy.linalg.cho_solve).
 *
 * @example
 * ```ts
 * import { choFactor, choSolve } from 'musique/linalg'
 * choSolve(choFactor([[4, 2], [2, 3]]), [2, 1]).data // Float64Array [0.5, 0]
 * ```
 */
export function choSolve<C extends ChoFactorResult, B extends MatrixInput>(cAndLower: C, b: B, options?: FiniteOptions & OverwriteBOptions): RealArray<PromotedOf<C['c'], B>> {
  return run(prepChoSolve(cAndLower, b, opts(options, 'choSolve')), 'choSolve') as RealArray<PromotedOf<C['c'], B>>
}


/** Promise form of {@link cholesky} (see {@link solveAsync}). @example `await choleskyAsync(a, { lower: true })` */
export function choleskyAsync<A extends MatrixInput>(a: A, options?: CholeskyOptions & AsyncOptions): Promise<RealArray<RealDTypeOf<A>>> {
  return runAsync('cholesky', options, (o) => prepCholesky(a, o)) as Promise<RealArray<RealDTypeOf<A>>>
}

/** Promise form of {@link choFactor} (see {@link solveAsync}). @example `await choFactorAsync(a)` */
export function choFactorAsync<A extends MatrixInput>(a: A, options?: CholeskyOptions & AsyncOptions): Promise<ChoFactorResult<RealDTypeOf<A>>> {
  return runAsync('choFactor', options, (o) => prepChoFactor(a, o)) as Promise<ChoFactorResult<RealDTypeOf<A>>>
}

/** Promise form of {@link choSolve} (see {@link solveAsync}). @example `await choSolveAsync(f, b)` */
export function choSolveAsync<C extends ChoFactorResult, B extends MatrixInput>(cAndLower: C, b: B, options?: FiniteOptions & OverwriteBOptions & AsyncOptions): Promise<RealArray<PromotedOf<C['c'], B>>> {
  return runAsync('choSolve', options, (o) => prepChoSolve(cAndLower, b, o)) as Promise<RealArray<PromotedOf<C['c'], B>>>
}
