// musique/linalg/solve: solve, solve_triangular, inv, det and slogdet.

import type { AsyncOptions } from '../fft'
import { rangeErrorMessage, typeError } from '../internal/errors'
import { boolOption } from '../internal/options'
import type { NDArray } from '../ndarray'
import { asSquare, type Call, checkTrans, finiteOpt, make, type Opts, opts, type Out, prepSquare, real, rhs, run, runAsync, scalar } from './request'
import type { FiniteOptions, MatrixInput, OverwriteAOptions, OverwriteBOptions, PromotedOf, RealArray, RealDTypeOf } from './types'

/** assume_a values of scipy.linalg.solve that Musique handles. */
export type AssumeA = 'gen' | 'general' | 'sym' | 'symmetric' | 'her' | 'hermitian' | 'pos' | 'positive definite' | 'lower triangular' | 'upper triangular' | 'diagonal'

/** Options of {@link solve}. */
export interface SolveOptions extends FiniteOptions, OverwriteAOptions, OverwriteBOptions {
  /** What a is: 'gen' (LU), 'sym' (LDLᵀ, one triangle read), 'pos' (Cholesky, one triangle read), or triangular/diagonal. @default 'gen' */
  assumeA?: AssumeA
  /** With 'sym'/'pos', read a's lower triangle instead of the upper one. @default false */
  lower?: boolean
  /** Solve aᵀx = b. @default false */
  transposed?: boolean
}

const ASSUME = new Map<unknown, string>([
  ['gen', 'gen'],
  ['general', 'gen'],
  ['sym', 'sym'],
  ['symmetric', 'sym'],
  ['her', 'sym'],
  ['hermitian', 'sym'],
  ['pos', 'pos'],
  ['positive definite', 'pos'],
  ['lower triangular', 'lower'],
  ['upper triangular', 'upper'],
  ['diagonal', 'diagonal'],
])

/** assumeA, normalised to 'gen', 'sym', 'pos', 'lower', 'upper' or 'diagonal'. */
function checkAssume(v: unknown): string {
  if (v === undefined || v === null) return 'gen'
  if (typeof v !== 'string') throw typeError('assumeA', "'gen', 'sym', 'pos', 'lower triangular', 'upper triangular' or 'diagonal'", v)
  const assume = ASSUME.get(v)
  if (assume === undefined) {
    throw rangeErrorMessage(`assumeA must be one of 'gen', 'sym', 'her', 'pos', 'lower triangular', 'upper triangular', 'diagonal'; got '${v}'`, 'ERR_INVALID_ARG_VALUE')
  }
  return assume
}

function prepSolve(a: unknown, b: unknown, o: Opts): Call<RealArray> {
  const finite = finiteOpt(o)
  const assume = checkAssume(o.assumeA)
  const lower = boolOption(o.lower, 'lower', false)
  const transposed = boolOption(o.transposed, 'transposed', false)
  // SciPy takes a scalar a (and b), as np.atleast_2d (np.atleast_1d) makes them.
  const A = asSquare(typeof a === 'number' ? [[a]] : a, 'a', finite)
  const scalarA = A.shape[0] === 1
  const B = rhs(typeof b === 'number' ? [b] : b, scalarA ? undefined : A.shape[0], finite)
  if (scalarA && B.b.shape[0] !== 1) {
    // SciPy divides any b by a 1×1 a (x = b / a): one triangular solve of a·x = b with b seen as a
    // single row of every value (an m×m diagonal a·I would grow as m², far beyond b).
    const values = B.b.shape[0] * B.k
    return make({ op: 'solveTriangular', lower: true, trans: 0, unitDiagonal: false }, [A, B.b], [[1, 1], [1, values]], (outs, single) => real(outs[0], single, [...B.b.shape]))
  }
  const n = A.shape[0]
  const finish = (outs: Out[], single: boolean) => real(outs[0], single, [...B.b.shape])
  const dims: [number, number][] = [
    [n, n],
    [n, B.k],
  ]
  if (assume === 'diagonal') {
    // SciPy reads only the diagonal: solve with a copy that holds nothing else.
    const D = { ...A, data: A.data.map((v, i) => (i % (n + 1) === 0 ? v : 0)) } as NDArray<'float64' | 'float32'>
    return make({ op: 'solveTriangular', lower: true, trans: 0, unitDiagonal: false }, [D, B.b], dims, finish)
  }
  if (assume === 'lower' || assume === 'upper') {
    return make({ op: 'solveTriangular', lower: assume === 'lower', trans: transposed ? 1 : 0, unitDiagonal: false }, [A, B.b], dims, finish)
  }
  return make({ op: 'solve', assume, lower, transposed }, [A, B.b], dims, finish)
}

/**
 * Solves `a x = b` for x (scipy.linalg.solve), for one or several right-hand sides.
 *
 * @param a - Square matrix, n×n (a number or a 1×1 a divides any b, as SciPy's).
 * @param b - Right-hand side(s): n values, or n×k.
 * @param options - `assumeA` ('gen' LU, 'sym' LDLᵀ, 'pos' Cholesky, triangular, diagonal), `lower`, `transposed`, `checkFinite`.
 * @returns x, shaped like b.
 * @throws LinAlgError 'ERR_SINGULAR_MATRIX' when a is singular; with assumeA 'pos', also when a is not
 *   positive definite (its Cholesky factorization fails), as SciPy 1.17's solve reports it;
 *   RangeError when a is not square, b's rows do not match, or an input holds NaN/Infinity;
 *   TypeError for an unknown option.
 * @example
 * ```ts
 * import { solve } from 'musique/linalg'
 * solve([[3, 2, 0], [1, -1, 0], [0, 5, 1]], [2, 4, -1]).data // Float64Array [2, -2, 9]
 * ```
 */
export function solve<A extends MatrixInput | number, B extends MatrixInput | number>(a: A, b: B, options?: SolveOptions): RealArray<PromotedOf<A, B>> {
  return run(prepSolve(a, b, opts(options, 'solve')), 'solve') as RealArray<PromotedOf<A, B>>
}

/** Options of {@link solveTriangular}. */
export interface SolveTriangularOptions extends FiniteOptions, OverwriteBOptions {
  /** 0 or 'N': a x = b; 1 or 'T' (and 2 or 'C', the same for real a): aᵀ x = b. @default 0 */
  trans?: 0 | 1 | 2 | 'N' | 'T' | 'C'
  /** Use a's lower triangle (else the upper one); the other is not read. @default false */
  lower?: boolean
  /** Take a's diagonal as ones, without reading it. @default false */
  unitDiagonal?: boolean
}

function prepSolveTriangular(a: unknown, b: unknown, o: Opts): Call<RealArray> {
  const finite = finiteOpt(o)
  const req = {
    op: 'solveTriangular',
    trans: checkTrans(o.trans),
    lower: boolOption(o.lower, 'lower', false),
    unitDiagonal: boolOption(o.unitDiagonal, 'unitDiagonal', false),
  }
  const A = asSquare(a, 'a', finite)
  const n = A.shape[0]
  const B = rhs(b, n, finite)
  return make(
    req,
    [A, B.b],
    [
      [n, n],
      [n, B.k],
    ],
    (outs, single) => real(outs[0], single, [...B.b.shape]),
  )
}

/**
 * Solves `a x = b` for a triangular a (scipy.linalg.solve_triangular).
 *
 * @param a - Triangular n×n matrix; only the `lower` (default upper) triangle is read.
 * @param b - n values, or n×k.
 * @returns x, shaped like b.
 * @throws LinAlgError 'ERR_SINGULAR_MATRIX' when a diagonal element is zero.
 * @example
 * ```ts
 * import { solveTriangular } from 'musique/linalg'
 * solveTriangular([[3, 0, 0, 0], [2, 1, 0, 0], [1, 0, 1, 0], [1, 1, 1, 1]], [4, 2, 4, 2], { lower: true }).data
 * // Float64Array [1.333…, -0.666…, 2.666…, -1.333…]
 * ```
 */
export function solveTriangular<A extends MatrixInput, B extends MatrixInput>(a: A, b: B, options?: SolveTriangularOptions): RealArray<PromotedOf<A, B>> {
  return run(prepSolveTriangular(a, b, opts(options, 'solveTriangular')), 'solveTriangular') as RealArray<PromotedOf<A, B>>
}

/** inv with assumeA other than 'gen': solve(a, I) with the solver assumeA names, as SciPy picks its inverse. */
function prepInv(a: unknown, o: Opts): Call<RealArray> {
  const assume = checkAssume(o.assumeA)
  const lower = boolOption(o.lower, 'lower', false)
  if (assume === 'gen') return prepSquare('inv', a, o, (outs, single) => real(outs[0], single))
  const A = asSquare(a, 'a', finiteOpt(o))
  const n = A.shape[0]
  const eye = new Float64Array(n * n)
  for (let i = 0; i < n; i++) eye[i * n + i] = 1
  const I = { data: A.dtype === 'float32' ? Float32Array.from(eye) : eye, shape: [n, n], dtype: A.dtype } as NDArray<'float64' | 'float32'>
  return prepSolve(A, I, { assumeA: o.assumeA, lower, checkFinite: false })
}

// One prepare function per operation, shared by the sync and Promise forms.
const prepDet = (a: unknown, o: Opts) => prepSquare('det', a, o, (outs) => scalar(outs[0]))
const prepSlogdet = (a: unknown, o: Opts) => prepSquare('slogdet', a, o, (outs): SlogdetResult => ({ sign: scalar(outs[0]), logabsdet: scalar(outs[1]) }))

/** Options of {@link inv}. */
export interface InvOptions extends FiniteOptions, OverwriteAOptions {
  /**
   * What a is, as {@link SolveOptions.assumeA}: 'gen' inverts through LU; 'sym', 'pos' and the
   * triangular and diagonal structures invert through that solver (reading one triangle, or the diagonal).
   * @default 'gen'
   */
  assumeA?: AssumeA
  /** With 'sym'/'pos', read a's lower triangle instead of the upper one. @default false */
  lower?: boolean
}

/**
 * The inverse of a square matrix (scipy.linalg.inv).
 *
 * @param options - `assumeA` and `lower` as {@link solve}'s, `checkFinite`.
 * @throws LinAlgError 'ERR_SINGULAR_MATRIX' when a is singular (with assumeA 'pos', also when a is not
 *   positive definite); RangeError when a is not square.
 * @example
 * ```ts
 * import { inv } from 'musique/linalg'
 * inv([[1, 2], [3, 4]]).data // Float64Array [-2, 1, 1.5, -0.5]
 * ```
 */
export function inv<A extends MatrixInput>(a: A, options?: InvOptions): RealArray<RealDTypeOf<A>> {
  return run(prepInv(a, opts(options, 'inv')), 'inv') as RealArray<RealDTypeOf<A>>
}

/**
 * The determinant of a square matrix (scipy.linalg.det), from its LU factorization.
 * A singular matrix gives 0; the 0×0 determinant is 1.
 *
 * @example
 * ```ts
 * import { det } from 'musique/linalg'
 * det([[1, 2], [3, 4]]) // -2 (up to rounding)
 * ```
 */
export function det(a: MatrixInput, options?: FiniteOptions & OverwriteAOptions): number {
  return run(prepDet(a, opts(options, 'det')), 'det')
}

/** Sign and natural log of |det(a)|, as numpy.linalg.slogdet returns them. */
export interface SlogdetResult {
  /** 1, -1, or 0 for a singular matrix. */
  sign: number
  /** log|det(a)|, -Infinity for a singular matrix. */
  logabsdet: number
}

/**
 * The sign and log-magnitude of the determinant (numpy.linalg.slogdet), safe from
 * overflow where `det` would give Infinity or 0.
 *
 * @example
 * ```ts
 * import { slogdet } from 'musique/linalg'
 * slogdet([[1, 2], [3, 4]]) // { sign: -1, logabsdet: 0.6931471805599455 }
 * ```
 */
export function slogdet(a: MatrixInput, options?: FiniteOptions): SlogdetResult {
  return run(prepSlogdet(a, opts(options, 'slogdet')), 'slogdet')
}


/**
 * Promise form of {@link solve}: runs on Musique's own thread pool, off the JS thread,
 * with the thread count in force where it was called. `signal` rejects it with an AbortError.
 *
 * @example
 * ```ts
 * import { solveAsync } from 'musique/linalg'
 * const x = await solveAsync(a, b, { signal: AbortSignal.timeout(1000) })
 * ```
 */
export function solveAsync<A extends MatrixInput | number, B extends MatrixInput | number>(a: A, b: B, options?: SolveOptions & AsyncOptions): Promise<RealArray<PromotedOf<A, B>>> {
  return runAsync('solve', options, (o) => prepSolve(a, b, o)) as Promise<RealArray<PromotedOf<A, B>>>
}

/** Promise form of {@link solveTriangular} (see {@link solveAsync}). @example `await solveTriangularAsync(l, b, { lower: true })` */
export function solveTriangularAsync<A extends MatrixInput, B extends MatrixInput>(a: A, b: B, options?: SolveTriangularOptions & AsyncOptions): Promise<RealArray<PromotedOf<A, B>>> {
  return runAsync('solveTriangular', options, (o) => prepSolveTriangular(a, b, o)) as Promise<RealArray<PromotedOf<A, B>>>
}

/** Promise form of {@link inv} (see {@link solveAsync}). @example `await invAsync(a)` */
export function invAsync<A extends MatrixInput>(a: A, options?: InvOptions & AsyncOptions): Promise<RealArray<RealDTypeOf<A>>> {
  return runAsync('inv', options, (o) => prepInv(a, o)) as Promise<RealArray<RealDTypeOf<A>>>
}

/** Promise form of {@link det} (see {@link solveAsync}). @example `await detAsync(a)` */
export function detAsync(a: MatrixInput, options?: FiniteOptions & OverwriteAOptions & AsyncOptions): Promise<number> {
  return runAsync('det', options, (o) => prepDet(a, o))
}

/** Promise form of {@link slogdet} (see {@link solveAsync}). @example `await slogdetAsync(a)` */
export function slogdetAsync(a: MatrixInput, options?: FiniteOptions & AsyncOptions): Promise<SlogdetResult> {
  return runAsync('slogdet', options, (o) => prepSlogdet(a, o))
}
