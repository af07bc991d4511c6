// musique/linalg/norms: matrix and vector norms.

import type { AsyncOptions } from '../fft'
import { rangeError, rangeErrorMessage, typeError, valueError } from '../internal/errors'
import { boolOption } from '../internal/options'
import { asReal, type Call, finiteOpt, make, type Opts, opts, real, run, runAsync, scalar } from './request'
import type { FiniteOptions, MatrixInput, RealArray, RealDTypeOf } from './types'

/** Norm orders: numbers (vector p-norms, or 1, -1, 2, -2 for matrices), ±Infinity, 'fro' and 'nuc'. */
export type NormOrd = number | 'fro' | 'nuc'

/** Options of {@link norm}. */
export interface NormOptions extends FiniteOptions {
  /** The norm: see {@link norm}. @default 2-norm of vectors, Frobenius of matrices */
  ord?: NormOrd | null
  /** An axis (vector norms along it) or two axes (a matrix norm). @default every axis */
  axis?: number | [number, number] | null
  /** Keep the reduced axes with length one. @default false */
  keepdims?: boolean
}

export const MATRIX_ORDS = new Map<unknown, string>([
  ['fro', 'fro'],
  ['nuc', 'nuc'],
  [1, '1'],
  [-1, '-1'],
  [2, '2'],
  [-2, '-2'],
  [Infinity, 'inf'],
  [-Infinity, '-inf'],
])

function wrapAxis(axis: unknown, ndim: number): number {
  if (typeof axis !== 'number') throw typeError('axis', 'an integer or a pair of integers', axis)
  if (!Number.isInteger(axis)) throw rangeError('axis', 'an integer or a pair of integers', axis)
  if (axis < -ndim || axis >= ndim) throw rangeErrorMessage(`axis ${axis} is out of bounds for array of dimension ${ndim}`)
  return axis < 0 ? axis + ndim : axis
}

function prepNorm(a: unknown, o: Opts): Call<number | RealArray> {
  const keepdims = boolOption(o.keepdims, 'keepdims', false)
  const ord = o.ord ?? null
  const ordText = "a number, Infinity, -Infinity, 'fro' or 'nuc'"
  if (ord !== null && typeof ord !== 'number' && typeof ord !== 'string') throw typeError('ord', ordText, ord)
  if (typeof ord === 'string' && ord !== 'fro' && ord !== 'nuc') throw valueError('ord', ordText, ord)
  if (Number.isNaN(ord)) throw rangeError('ord', ordText, ord)
  if (o.axis !== undefined && o.axis !== null && typeof o.axis !== 'number' && !Array.isArray(o.axis)) throw typeError('axis', 'an integer or a pair of integers', o.axis)
  const A = asReal(a, 'a', finiteOpt(o))
  const nd = A.shape.length
  if (nd < 1 || nd > 2) throw rangeErrorMessage(`a must be 1-D or 2-D; got shape [${A.shape.join(', ')}]`, 'ERR_INVALID_ARG_VALUE')
  const [rows, cols] = nd === 1 ? [1, A.shape[0]] : A.shape
  const dims: [number, number][] = [[rows, cols]]
  // Which axes: all (flattened or matrix), one, or a pair.
  let axes: number[]
  if (o.axis === undefined || o.axis === null) axes = nd === 1 ? [0] : [0, 1]
  else if (Array.isArray(o.axis)) {
    if (o.axis.length !== 2) throw rangeError('axis', 'an integer or a pair of integers', `[${o.axis.join(', ')}]`)
    axes = o.axis.map((x) => wrapAxis(x, nd))
    if (axes[0] === axes[1]) throw rangeErrorMessage('axis must name two different axes for a matrix norm; got a repeated axis', 'ERR_INVALID_ARG_VALUE')
  } else axes = [wrapAxis(o.axis, nd)]

  if (axes.length === 2) {
    if (ord === null && o.axis === undefined) {
      // No ord, no axis: the 2-norm of the flattened array (the Frobenius norm).
      return make({ op: 'vectorNorm', vectorOrd: 2 }, [A], dims, (outs, single) => (keepdims ? real(outs[0], single, [1, 1]) : scalar(outs[0])))
    }
    const m = MATRIX_ORDS.get(ord ?? 'fro')
    if (m === undefined) throw rangeErrorMessage(`Invalid norm order '${String(ord)}' for matrices; expected 'fro', 'nuc', 1, -1, 2, -2, Infinity or -Infinity`, 'ERR_INVALID_ARG_VALUE')
    return make({ op: 'matrixNorm', matrixOrd: m, transpose: axes[0] > axes[1] }, [A], dims, (outs, single) =>
      keepdims ? real(outs[0], single, [1, 1]) : scalar(outs[0]),
    )
  }
  if (ord === 'fro' || ord === 'nuc') throw rangeErrorMessage(`Invalid norm order '${ord}' for vectors`, 'ERR_INVALID_ARG_VALUE')
  const p = ord ?? 2
  if (nd === 1) {
    return make({ op: 'vectorNorm', vectorOrd: p }, [A], dims, (outs, single) => (keepdims ? real(outs[0], single, [1]) : scalar(outs[0])))
  }
  const axis = axes[0]
  return make({ op: 'vectorNorm', vectorOrd: p, axis }, [A], dims, (outs, single) => {
    const shape = axis === 0 ? [cols] : [rows]
    return real(outs[0], single, keepdims ? (axis === 0 ? [1, cols] : [rows, 1]) : shape)
  })
}

/**
 * Matrix or vector norm (scipy.linalg.norm).
 *
 * For vectors (1-D input, or with one `axis`): `ord` p gives (Σ|x|ᵖ)^(1/p),
 * Infinity max|x|, -Infinity min|x|, 0 the count of non-zeros; default 2.
 * For matrices: 'fro' (default), 'nuc' (sum of singular values), 1/-1 (max/min
 * column sum), Infinity/-Infinity (max/min row sum), 2/-2 (largest/smallest singular value).
 *
 * @returns A number, or an array of norms when `axis` is one axis of a matrix (or with `keepdims`).
 * @throws RangeError for an order that does not apply (e.g. 'fro' for a vector).
 * @example
 * ```ts
 * import { norm } from 'musique/linalg'
 * norm([3, 4]) // 5
 * norm([[1, 2], [3, 4]], { ord: 1 }) // 6
 * norm([[1, 2], [3, 4]], { axis: 1 }).data // Float64Array [2.236…, 5]
 * ```
 */
export function norm<A extends MatrixInput>(a: A, options?: NormOptions): number | RealArray<RealDTypeOf<A>> {
  return run(prepNorm(a, opts(options, 'norm')), 'norm') as number | RealArray<RealDTypeOf<A>>
}


/** Promise form of {@link norm} (see {@link solveAsync}). @example `await normAsync(a, { ord: 2 })` */
export function normAsync<A extends MatrixInput>(a: A, options?: NormOptions & AsyncOptions): Promise<number | RealArray<RealDTypeOf<A>>> {
  return runAsync('norm', options, (o) => prepNorm(a, o)) as Promise<number | RealArray<RealDTypeOf<A>>>
}
