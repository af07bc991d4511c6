// musique/linalg/eig: eigenvalues and eigenvectors.

import type { AsyncOptions } from '../fft'
import { rangeError, rangeErrorMessage, typeError } from '../internal/errors'
import { boolOption } from '../internal/options'
import type { ComplexOf } from '../ndarray'
import { asSquare, type Call, cplx, finiteOpt, make, type Opts, opts, prepSquare, real, run, runAsync } from './request'
import type { ComplexArray, FiniteOptions, MatrixInput, OverwriteAOptions, RealArray, RealDType, RealDTypeOf } from './types'

/** `a vr = vr diag(w)`. */
export interface EigResult<D extends RealDType = RealDType> {
  /** Eigenvalues, complex (interleaved re/im). */
  w: ComplexArray<ComplexOf<D>>
  /** Right eigenvectors as columns, each of unit 2-norm, complex. */
  vr: ComplexArray<ComplexOf<D>>
}

function prepEig(a: unknown, options: Opts, right: boolean): Call<EigResult | ComplexArray> {
  return prepSquare('eig', a, options, (outs, single) => (right ? { w: cplx(outs[0], single), vr: cplx(outs[1], single) } : cplx(outs[0], single)), { vectors: right })
}

/**
 * Eigenvalues and right eigenvectors of a general square matrix (scipy.linalg.eig).
 * Results are complex, even for real eigenvalues.
 *
 * @throws LinAlgError 'ERR_NO_CONVERGENCE'.
 * @example
 * ```ts
 * import { eig, real, imag } from 'musique'
 * const { w } = eig([[0, -1], [1, 0]])
 * imag(w).data // Float64Array [1, -1]
 * ```
 */
export function eig<A extends MatrixInput>(a: A, options?: FiniteOptions & OverwriteAOptions): EigResult<RealDTypeOf<A>> {
  return run(prepEig(a, opts(options, 'eig'), true), 'eig') as EigResult<RealDTypeOf<A>>
}

/**
 * Eigenvalues of a general square matrix (scipy.linalg.eigvals), complex.
 *
 * @example
 * ```ts
 * import { eigvals } from 'musique/linalg'
 * eigvals([[2, 0], [0, 3]]).data // Float64Array [2, 0, 3, 0]
 * ```
 */
export function eigvals<A extends MatrixInput>(a: A, options?: FiniteOptions & OverwriteAOptions): ComplexArray<ComplexOf<RealDTypeOf<A>>> {
  return run(prepEig(a, opts(options, 'eigvals'), false), 'eigvals') as ComplexArray<ComplexOf<RealDTypeOf<A>>>
}

/** Options of {@link eigh} and {@link eigvalsh}. */
export interface EighOptions extends FiniteOptions, OverwriteAOptions {
  /** Read a's lower triangle (else the upper one). @default true */
  lower?: boolean
  /** Keep only the eigenvalues with these indices, inclusive, ascending order, 0-based: [lo, hi]. @default all */
  subsetByIndex?: [number, number]
}

/** `a v = v diag(w)`, v orthonormal. */
export interface EighResult<D extends RealDType = RealDType> {
  /** Eigenvalues, ascending. */
  w: RealArray<D>
  /** Eigenvectors as columns. */
  v: RealArray<D>
}

function prepEigh(a: unknown, o: Opts, vectors: boolean): Call<EighResult | RealArray> {
  const lower = boolOption(o.lower, 'lower', true)
  const s = o.subsetByIndex
  if (s !== undefined && s !== null) {
    if (!Array.isArray(s) || s.length !== 2 || !s.every((v) => typeof v === 'number')) throw typeError('subsetByIndex', 'a pair of integers [lo, hi]', s)
    if (!s.every((v) => Number.isInteger(v))) throw rangeError('subsetByIndex', 'a pair of integers [lo, hi]', `[${s.join(', ')}]`)
  }
  const A = asSquare(a, 'a', finiteOpt(o))
  const n = A.shape[0]
  let subset: number[] | undefined
  if (Array.isArray(s)) {
    if (!(s[0] >= 0 && s[0] <= s[1] && s[1] < n)) {
      throw rangeErrorMessage(`subsetByIndex must satisfy 0 <= lo <= hi < ${n}; got [${s.join(', ')}]`, 'ERR_INVALID_ARG_VALUE')
    }
    subset = s
  }
  return make({ op: 'eigh', lower, vectors, subset }, [A], [[n, n]], (outs, single) =>
    vectors ? { w: real(outs[0], single), v: real(outs[1], single) } : real(outs[0], single),
  )
}

/**
 * Eigenvalues and eigenvectors of a symmetric matrix (scipy.linalg.eigh), eigenvalues ascending.
 *
 * @example
 * ```ts
 * import { eigh } from 'musique/linalg'
 * eigh([[2, 1], [1, 2]]).w.data // Float64Array [1, 3]
 * eigh(big, { subsetByIndex: [0, 4] }) // the five smallest
 * ```
 */
export function eigh<A extends MatrixInput>(a: A, options?: EighOptions): EighResult<RealDTypeOf<A>> {
  return run(prepEigh(a, opts(options, 'eigh'), true), 'eigh') as EighResult<RealDTypeOf<A>>
}

/**
 * Eigenvalues of a symmetric matrix, ascending (scipy.linalg.eigvalsh).
 *
 * @example
 * ```ts
 * import { eigvalsh } from 'musique/linalg'
 * eigvalsh([[2, 1], [1, 2]]).data // Float64Array [1, 3]
 * ```
 */
export function eigvalsh<A extends MatrixInput>(a: A, options?: EighOptions): RealArray<RealDTypeOf<A>> {
  return run(prepEigh(a, opts(options, 'eigvalsh'), false), 'eigvalsh') as RealArray<RealDTypeOf<A>>
}


/** Promise form of {@link eig} (see {@link solveAsync}). @example `const { w, vr } = await eigAsync(a)` */
export function eigAsync<A extends MatrixInput>(a: A, options?: FiniteOptions & OverwriteAOptions & AsyncOptions): Promise<EigResult<RealDTypeOf<A>>> {
  return runAsync('eig', options, (o) => prepEig(a, o, true) as Call<EigResult>) as Promise<EigResult<RealDTypeOf<A>>>
}

/** Promise form of {@link eigvals} (see {@link solveAsync}). @example `await eigvalsAsync(a)` */
export function eigvalsAsync<A extends MatrixInput>(a: A, options?: FiniteOptions & OverwriteAOptions & AsyncOptions): Promise<ComplexArray<ComplexOf<RealDTypeOf<A>>>> {
  return runAsync('eigvals', options, (o) => prepEig(a, o, false) as Call<ComplexArray>) as Promise<ComplexArray<ComplexOf<RealDTypeOf<A>>>>
}

/** Promise form of {@link eigh} (see {@link solveAsync}). @example `const { w, v } = await eighAsync(a)` */
export function eighAsync<A extends MatrixInput>(a: A, options?: EighOptions & AsyncOptions): Promise<EighResult<RealDTypeOf<A>>> {
  return runAsync('eigh', options, (o) => prepEigh(a, o, true) as Call<EighResult>) as Promise<EighResult<RealDTypeOf<A>>>
}

/** Promise form of {@link eigvalsh} (see {@link solveAsync}). @example `await eigvalshAsync(a)` */
export function eigvalshAsync<A extends MatrixInput>(a: A, options?: EighOptions & AsyncOptions): Promise<RealArray<RealDTypeOf<A>>> {
  return runAsync('eigvalsh', options, (o) => prepEigh(a, o, false) as Call<RealArray>) as Promise<RealArray<RealDTypeOf<A>>>
}
