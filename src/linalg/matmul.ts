// musique/linalg/matmul: matrix products.

import type { AsyncOptions } from '../fft'
import { rangeErrorMessage } from '../internal/errors'
import { asReal, type Call, make, real, run, runAsync } from './request'
import type { MatrixInput, PromotedOf, RealArray } from './types'

function prepMatmul(a: unknown, b: unknown): Call<RealArray> {
  const A = asReal(a, 'a', false)
  const B = asReal(b, 'b', false)
  if (A.shape.length < 1 || A.shape.length > 2) throw rangeErrorMessage(`a must be 1-D or 2-D; got shape [${A.shape.join(', ')}]`, 'ERR_INVALID_ARG_VALUE')
  if (B.shape.length < 1 || B.shape.length > 2) throw rangeErrorMessage(`b must be 1-D or 2-D; got shape [${B.shape.join(', ')}]`, 'ERR_INVALID_ARG_VALUE')
  // NumPy's rule: a 1-D a is a row, a 1-D b a column, and those axes are dropped from the result.
  const [m, k] = A.shape.length === 1 ? [1, A.shape[0]] : A.shape
  const [k2, n] = B.shape.length === 1 ? [B.shape[0], 1] : B.shape
  if (k !== k2) {
    throw rangeErrorMessage(`matmul: a's last dimension (${k}) must match b's first (${k2}); got shapes [${A.shape.join(', ')}] and [${B.shape.join(', ')}]`, 'ERR_INVALID_ARG_VALUE')
  }
  const shape = [...(A.shape.length === 2 ? [m] : []), ...(B.shape.length === 2 ? [n] : [])]
  return make(
    { op: 'matmul' },
    [A, B],
    [
      [m, k],
      [k, n],
    ],
    (outs, single) => real(outs[0], single, shape),
  )
}

/**
 * Matrix product `a @ b` (numpy.matmul for 1-D and 2-D operands), on linalg's threads.
 *
 * @throws RangeError when the inner dimensions differ.
 * @example
 * ```ts
 * import { matmul } from 'musique/linalg'
 * matmul([[1, 2], [3, 4]], [[5], [6]]).data // Float64Array [17, 39]
 * ```
 */
export function matmul<A extends MatrixInput, B extends MatrixInput>(a: A, b: B): RealArray<PromotedOf<A, B>> {
  return run(prepMatmul(a, b), 'matmul') as RealArray<PromotedOf<A, B>>
}


/** Promise form of {@link matmul} (see {@link solveAsync}). @example `await matmulAsync(a, b)` */
export function matmulAsync<A extends MatrixInput, B extends MatrixInput>(a: A, b: B, options?: AsyncOptions): Promise<RealArray<PromotedOf<A, B>>> {
  return runAsync('matmul', options, () => prepMatmul(a, b)) as Promise<RealArray<PromotedOf<A, B>>>
}
