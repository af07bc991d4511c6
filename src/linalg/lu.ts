// musique/linalg/lu: LU decomposition and its solver.

import type { AsyncOptions } from '../fft'
import { rangeError, typeError } from '../internal/errors'
import { boolOption } from '../internal/options'
import type { NDArray } from '../ndarray'
import { asMatrix, asSquare, type Call, checkTrans, finiteOpt, make, type Opts, opts, real, rhs, run, runAsync } from './request'
import type { FiniteOptions, MatrixInput, OverwriteAOptions, OverwriteBOptions, PromotedOf, RealArray, RealDType, RealDTypeOf } from './types'

/** Options of {@link lu}. */
export interface LuOptions extends FiniteOptions, OverwriteAOptions {
  /** Return p·l as one matrix instead of p and l. @default false */
  permuteL?: boolean
  /** Return p as row indices (an Int32Array, a = l[p]·u) instead of a permutation matrix; ignored with permuteL. @default false */
  pIndices?: boolean
}

/** `a = p l u` (scipy.linalg.lu). */
export interface LuResult<D extends RealDType = RealDType> {
  /** Permutation matrix, m×m. */
  p: RealArray<D>
  /** Unit lower triangular, m×k. */
  l: RealArray<D>
  /** Upper triangular, k×n. */
  u: RealArray<D>
}

/** `a = l[p] u` (scipy.linalg.lu with p_indices): row i of a is row p[i] of l·u. */
export interface LuIndicesResult<D extends RealDType = RealDType> {
  /** Row indices, m of them (none when a is empty): p[i] is the row of l·u that is row i of a. */
  p: Int32Array
  /** Unit lower triangular, m×k. */
  l: RealArray<D>
  /** Upper triangular, k×n. */
  u: RealArray<D>
}

/** `a = pl u` (scipy.linalg.lu with permute_l). */
export interface LuPermutedResult<D extends RealDType = RealDType> {
  /** p·l, m×k. */
  pl: RealArray<D>
  /** Upper triangular, k×n. */
  u: RealArray<D>
}

function prepLu(a: unknown, o: Opts): Call<LuResult | LuIndicesResult | LuPermutedResult> {
  const permuteL = boolOption(o.permuteL, 'permuteL', false)
  const pIndices = boolOption(o.pIndices, 'pIndices', false)
  const A = asMatrix(a, 'a', finiteOpt(o))
  return make({ op: 'lu', permuteL, pIndices }, [A], [A.shape as [number, number]], (outs, single) => {
    if (permuteL) return { pl: real(outs[0], single), u: real(outs[1], single) }
    const p = pIndices ? (outs[0].data as Int32Array) : real(outs[0], single)
    return { p, l: real(outs[1], single), u: real(outs[2], single) } as LuResult | LuIndicesResult
  })
}

/**
 * LU decomposition with partial pivoting (scipy.linalg.lu): `a = p l u`, l unit lower
 * triangular (m×k), u upper triangular (k×n), k = min(m, n). As SciPy, an empty a (m or n
 * zero) gives an empty p (0×0, or no indices).
 *
 * @param options - `permuteL`: return `{ pl, u }` with pl = p·l; `pIndices`: p as row
 *   indices (a = l[p]·u); `checkFinite`.
 *
 * @example
 * ```ts
 * import { lu } from 'musique/linalg'
 * const { p, l, u } = lu([[1, 2], [3, 4]])
 * u.data // Float64Array [3, 4, 0, 0.666…]
 * ```
 */
export function lu<A extends MatrixInput>(a: A, options?: LuOptions & { permuteL?: false; pIndices?: false }): LuResult<RealDTypeOf<A>>
export function lu<A extends MatrixInput>(a: A, options: LuOptions & { permuteL?: false; pIndices: true }): LuIndicesResult<RealDTypeOf<A>>
export function lu<A extends MatrixInput>(a: A, options: LuOptions & { permuteL: true }): LuPermutedResult<RealDTypeOf<A>>
export function lu<A extends MatrixInput>(a: A, options?: LuOptions): LuResult<RealDTypeOf<A>> | LuIndicesResult<RealDTypeOf<A>> | LuPermutedResult<RealDTypeOf<A>>
export function lu(a: MatrixInput, options?: LuOptions): LuResult | LuIndicesResult | LuPermutedResult {
  return run(prepLu(a, opts(options, 'lu')), 'lu')
}

/** A compact LU factorization, for {@link luSolve}. */
export interface LuFactorResult<D extends RealDType = RealDType> {
  /** l below the (unit) diagonal, u on and above it: m×n, as a. */
  lu: RealArray<D>
  /** Row interchanges, 0-based, min(m, n) of them: row i was swapped with row piv[i]. */
  piv: Int32Array
}

/** What {@link luSolve} takes: luFactor's result, or the same with piv as any array of integers. */
export interface LuAndPiv {
  lu: MatrixInput
  piv: Int32Array | ArrayLike<number>
}

function prepLuFactor(a: unknown, o: Opts): Call<LuFactorResult> {
  // scipy.linalg.lu_factor takes any m×n matrix (LAPACK's getrf).
  const A = asMatrix(a, 'a', finiteOpt(o))
  return make({ op: 'luFactor' }, [A], [A.shape as [number, number]], (outs, single) => ({ lu: real(outs[0], single), piv: outs[1].data as Int32Array }))
}

/**
 * Compact LU factorization (scipy.linalg.lu_factor), for {@link luSolve}: of any m×n matrix,
 * giving lu m×n and min(m, n) pivots (luSolve takes only square factors).
 * A singular matrix is factored without error (SciPy warns); luSolve then throws.
 *
 * @example
 * ```ts
 * import { luFactor, luSolve } from 'musique/linalg'
 * const f = luFactor([[2, 1], [1, 3]])
 * luSolve(f, [3, 5]).data // Float64Array [0.8, 1.4]
 * ```
 */
export function luFactor<A extends MatrixInput>(a: A, options?: FiniteOptions & OverwriteAOptions): LuFactorResult<RealDTypeOf<A>> {
  return run(prepLuFactor(a, opts(options, 'luFactor')), 'luFactor') as LuFactorResult<RealDTypeOf<A>>
}

/** luSolve's pivots: n integers in [0, n), from an Int32Array, a number[] or another typed array. */
function checkPiv(piv: unknown, n: number): Float64Array {
  const listy = Array.isArray(piv) || (ArrayBuffer.isView(piv) && !(piv instanceof DataView) && !(piv instanceof BigInt64Array) && !(piv instanceof BigUint64Array))
  if (!listy || (piv as ArrayLike<unknown>).length !== n) throw typeError('luAndPiv.piv', `an Int32Array (or array) of ${n} pivots`, piv)
  const out = new Float64Array(n)
  for (let i = 0; i < n; i++) {
    const p = (piv as ArrayLike<unknown>)[i]
    if (typeof p !== 'number') throw typeError('luAndPiv.piv', `pivots in [0, ${n})`, p)
    if (!Number.isInteger(p) || p < 0 || p >= n) throw rangeError('luAndPiv.piv', `pivots in [0, ${n})`, p)
    out[i] = p
  }
  return out
}

function prepLuSolve(f: unknown, b: unknown, o: Opts): Call<RealArray> {
  const finite = finiteOpt(o)
  const trans = checkTrans(o.trans)
  if (f === null || typeof f !== 'object' || !('lu' in f) || !('piv' in f)) throw typeError('luAndPiv', 'the { lu, piv } that luFactor returns', f)
  const { lu: LU, piv } = f as LuAndPiv
  const A = asSquare(LU, 'luAndPiv.lu', finite)
  const n = A.shape[0]
  const pivots = checkPiv(piv, n)
  const B = rhs(b, n, finite)
  const single = A.dtype === 'float32' && B.b.dtype === 'float32'
  const P = { data: single ? Float32Array.from(pivots) : pivots, shape: [n, 1], dtype: single ? 'float32' : 'float64' } as NDArray<'float64' | 'float32'>
  return make(
    { op: 'luSolve', trans },
    [A, P, B.b],
    [
      [n, n],
      [n, 1],
      [n, B.k],
    ],
    (outs, single) => real(outs[0], single, [...B.b.shape]),
  )
}

/**
 * Solves `a x = b` from {@link luFactor}'s factorization (scipy.linalg.lu_solve).
 *
 * @param luAndPiv - `{ lu, piv }` from luFactor (piv may also be a number[]); lu must be square.
 * @param options - `trans`: 0 solves a x = b, 1 aᵀ x = b.
 * @throws LinAlgError 'ERR_SINGULAR_MATRIX' when the factor is singular.
 * @example
 * ```ts
 * import { luFactor, luSolve } from 'musique/linalg'
 * luSolve(luFactor([[2, 1], [1, 3]]), [3, 5]).data // Float64Array [0.8, 1.4]
 * ```
 */
export function luSolve<F extends LuAndPiv, B extends MatrixInput>(luAndPiv: F, b: B, options?: LuSolveOptions): RealArray<PromotedOf<F['lu'], B>> {
  return run(prepLuSolve(luAndPiv, b, opts(options, 'luSolve')), 'luSolve') as RealArray<PromotedOf<F['lu'], B>>
}

/** Options of {@link luSolve}. */
export interface LuSolveOptions extends FiniteOptions, OverwriteBOptions {
  /** 0 or 'N': a x = b; 1 or 'T' (and 2 or 'C', the same for real a): aᵀ x = b. @default 0 */
  trans?: 0 | 1 | 2 | 'N' | 'T' | 'C'
}


/** Promise form of {@link lu} (see {@link solveAsync}). @example `const { p, l, u } = await luAsync(a)` */
export function luAsync<A extends MatrixInput>(a: A, options?: LuOptions & AsyncOptions): Promise<LuResult<RealDTypeOf<A>> | LuIndicesResult<RealDTypeOf<A>> | LuPermutedResult<RealDTypeOf<A>>> {
  return runAsync('lu', options, (o) => prepLu(a, o)) as Promise<LuResult<RealDTypeOf<A>> | LuIndicesResult<RealDTypeOf<A>> | LuPermutedResult<RealDTypeOf<A>>>
}

/** Promise form of {@link luFactor} (see {@link solveAsync}). @example `await luFactorAsync(a)` */
export function luFactorAsync<A extends MatrixInput>(a: A, options?: FiniteOptions & OverwriteAOptions & AsyncOptions): Promise<LuFactorResult<RealDTypeOf<A>>> {
  return runAsync('luFactor', options, (o) => prepLuFactor(a, o)) as Promise<LuFactorResult<RealDTypeOf<A>>>
}

/** Promise form of {@link luSolve} (see {@link solveAsync}). @example `await luSolveAsync(f, b)` */
export function luSolveAsync<F extends LuAndPiv, B extends MatrixInput>(luAndPiv: F, b: B, options?: LuSolveOptions & AsyncOptions): Promise<RealArray<PromotedOf<F['lu'], B>>> {
  return runAsync('luSolve', options, (o) => prepLuSolve(luAndPiv, b, o)) as Promise<RealArray<PromotedOf<F['lu'], B>>>
}
