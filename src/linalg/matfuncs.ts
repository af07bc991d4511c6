// musique/linalg/matfuncs: functions of matrices and conditioning: expm, cond, matrix_rank.

import type { AsyncOptions } from '../fft'
import { rangeErrorMessage, typeError } from '../internal/errors'
import { numberOption } from '../internal/options'
import { MATRIX_ORDS, type NormOrd } from './norms'
import { asMatrix, asReal, type Call, make, type Opts, opts, prepSquare, real, run, runAsync, scalar } from './request'
import type { FiniteOptions, MatrixInput, RealArray, RealDTypeOf } from './types'

// Shared by the sync and Promise forms.
const prepExpm = (a: unknown, o: Opts) => prepSquare('expm', a, o, (outs, single) => real(outs[0], single))


/**
 * The matrix exponential (scipy.linalg.expm), by scaling and squaring with Padé approximants
 * (Al-Mohy and Higham, 2009).
 *
 * @example
 * ```ts
 * import { expm } from 'musique/linalg'
 * expm([[0, 0], [0, 0]]).data // Float64Array [1, 0, 0, 1]
 * ```
 */
export function expm<A extends MatrixInput>(a: A, options?: FiniteOptions): RealArray<RealDTypeOf<A>> {
  return run(prepExpm(a, opts(options, 'expm')), 'expm') as RealArray<RealDTypeOf<A>>
}

function prepCond(a: unknown, p: unknown): Call<number> {
  let ord: string | undefined
  if (p !== undefined && p !== null) {
    ord = MATRIX_ORDS.get(p)
    if (ord === undefined) {
      if (typeof p !== 'number' && typeof p !== 'string') throw typeError('p', "'fro', 'nuc', 1, -1, 2, -2, Infinity or -Infinity", p)
      throw rangeErrorMessage(`p must be 'fro', 'nuc', 1, -1, 2, -2, Infinity or -Infinity; got ${String(p)}`, 'ERR_INVALID_ARG_VALUE')
    }
  }
  const A = asMatrix(a, 'a', true)
  // numpy.linalg.cond raises LinAlgError here; an empty a is an argument error in Musique.
  if (A.shape[0] === 0 || A.shape[1] === 0) throw rangeErrorMessage(`cond is not defined on empty arrays; got shape [${A.shape.join(', ')}]`, 'ERR_INVALID_ARG_VALUE')
  if (ord !== undefined && ord !== '2' && ord !== '-2' && A.shape[0] !== A.shape[1]) {
    throw rangeErrorMessage(`a must be square for a condition number in the ${String(p)}-norm; got shape [${A.shape.join(', ')}]`, 'ERR_INVALID_ARG_VALUE')
  }
  return make({ op: 'cond', matrixOrd: ord }, [A], [A.shape as [number, number]], (outs) => scalar(outs[0]))
}

/**
 * The condition number of a matrix (numpy.linalg.cond): s_max / s_min by default,
 * or ‖a‖·‖a⁻¹‖ in the norm `p`. Infinity for a singular matrix.
 *
 * @example
 * ```ts
 * import { cond } from 'musique/linalg'
 * cond([[1, 0], [0, 1e-3]]) // 1000
 * ```
 */
export function cond(a: MatrixInput, p?: NormOrd | null): number {
  return run(prepCond(a, p), 'cond')
}

function prepRank(a: unknown, o: Opts): Call<number> {
  const tol = numberOption(o.tol, 'tol')
  const A = asReal(a, 'a', true)
  if (A.shape.length > 2) throw rangeErrorMessage(`a must be 0-D, 1-D or 2-D; got shape [${A.shape.join(', ')}]`, 'ERR_INVALID_ARG_VALUE')
  // A scalar or a vector is a one-row matrix: rank 1 unless it is all zeros (numpy's rule for ndim < 2).
  const dims: [number, number] = A.shape.length === 2 ? (A.shape as [number, number]) : [1, A.shape.length === 1 ? A.shape[0] : 1]
  return make({ op: 'matrixRank', tol }, [A], [dims], (outs) => scalar(outs[0]))
}

/**
 * The rank of a matrix: singular values above `tol` (numpy.linalg.matrix_rank).
 *
 * @param options - `tol`: threshold; default `s_max · max(m, n) · eps`.
 * @example
 * ```ts
 * import { matrixRank } from 'musique/linalg'
 * matrixRank([[1, 2], [2, 4]]) // 1
 * ```
 */
export function matrixRank(a: MatrixInput, options?: { tol?: number }): number {
  return run(prepRank(a, opts(options, 'matrixRank')), 'matrixRank')
}


/** Promise form of {@link expm} (see {@link solveAsync}). @example `await expmAsync(a)` */
export function expmAsync<A extends MatrixInput>(a: A, options?: FiniteOptions & AsyncOptions): Promise<RealArray<RealDTypeOf<A>>> {
  return runAsync('expm', options, (o) => prepExpm(a, o)) as Promise<RealArray<RealDTypeOf<A>>>
}

/** Promise form of {@link cond} (see {@link solveAsync}). @example `await condAsync(a)` */
export function condAsync(a: MatrixInput, p?: NormOrd | null, options?: AsyncOptions): Promise<number> {
  return runAsync('cond', options, () => prepCond(a, p))
}

/** Promise form of {@link matrixRank} (see {@link solveAsync}). @example `await matrixRankAsync(a)` */
export function matrixRankAsync(a: MatrixInput, options?: { tol?: number } & AsyncOptions): Promise<number> {
  return runAsync('matrixRank', options, (o) => prepRank(a, o))
}
