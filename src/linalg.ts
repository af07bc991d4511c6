// musique/linalg: scipy.linalg's dense solvers and decompositions, over faer.
//
// Arguments are validated and normalised here, once, into a request; the work
// runs in Rust (musique-linalg). Each function's options are checked against
// the keys it knows (KEYS: an unknown one is a TypeError ERR_UNKNOWN_OPTION
// naming the nearest known key, as SciPy raises for an unexpected keyword) and
// each value by SciPy's rule (./internal/options). A numerical failure comes
// back from the binding as an Error named 'LinAlgError' with its code set, and
// fromNative (./internal/errors) makes it a LinAlgError. Like BLAS/LAPACK, linalg uses every core by
// default: the thread count comes from threadpoolLimits ({ blas: n }) in the
// current async context and is passed to each call explicitly.
//
// Every function has a Promise form `fAsync(…, { …options, signal })` that
// runs on Musique's own pool, off the JS thread.

import type { AsyncOptions } from './fft'
import { checkSignal, withAbort } from './internal/async'
import { abortError, callNative, checkOptions, LinAlgError, type LinAlgErrorCode, rangeError, rangeErrorMessage, typeError, valueError } from './internal/errors'
import { boolOption, enumOption, numberOption } from './internal/options'
import { blasThreads } from './workers'
import native = require('./internal/native')
import { type ArrayInput, asNDArray, type ComplexOf, type DTypeOf, type NDArray, type RealOf } from './ndarray'

export { LinAlgError, type LinAlgErrorCode }

/** A real matrix (or vector) input: an NDArray (float64 or float32), nested number arrays, a Float64Array/Float32Array or a number[]. */
export type MatrixInput = ArrayInput

/** The real dtypes linalg computes in. */
export type RealDType = 'float64' | 'float32'

/** A real result: float64, or float32 when every input was float32; `D` narrows it where the input types say which. */
export type RealArray<D extends RealDType = RealDType> = NDArray<D>

/** A complex result (interleaved re/im): complex128, or complex64 from float32 input. */
export type ComplexArray<D extends 'complex128' | 'complex64' = 'complex128' | 'complex64'> = NDArray<D>

/**
 * The dtype of a result computed from one input of type `X`: float32 input stays float32; float64,
 * numbers and (nested) number arrays give float64; an input whose type does not say gives either.
 *
 * @example
 * ```ts
 * import type { RealDTypeOf } from 'musique/linalg'
 * type A = RealDTypeOf<Float32Array> // 'float32'
 * type B = RealDTypeOf<number[][]> // 'float64'
 * ```
 */
export type RealDTypeOf<X> = X extends number ? 'float64' : RealOf<DTypeOf<X>>

/**
 * The dtype of a result computed from two inputs, by NumPy's promotion: float32 only when both are
 * float32, float64 when either is float64.
 *
 * @example
 * ```ts
 * import type { PromotedOf } from 'musique/linalg'
 * type A = PromotedOf<Float32Array, number[]> // 'float64'
 * ```
 */
export type PromotedOf<A, B> = [RealDTypeOf<A>, RealDTypeOf<B>] extends ['float32', 'float32']
  ? 'float32'
  : [RealDTypeOf<A>] extends ['float64']
    ? 'float64'
    : [RealDTypeOf<B>] extends ['float64']
      ? 'float64'
      : RealDType

// The Promise forms take the same { signal } as fft's.
export type { AsyncOptions }

/** Option shared by the functions that read their input's values: SciPy's check_finite. */
export interface FiniteOptions {
  /** Throw a RangeError when an input holds NaN or ±Infinity, as SciPy's check_finite does. @default true */
  checkFinite?: boolean
}

/**
 * SciPy's `overwrite_a`: permission to overwrite `a`. Musique never writes to
 * its inputs, which that permission allows; the option is checked (a boolean)
 * and accepted so that SciPy calls port unchanged.
 */
export interface OverwriteAOptions {
  /** Allow a to be overwritten (Musique never does). @default false */
  overwriteA?: boolean
}

/** SciPy's `overwrite_b`, as {@link OverwriteAOptions}. */
export interface OverwriteBOptions {
  /** Allow b to be overwritten (Musique never does). @default false */
  overwriteB?: boolean
}

type Out = { kind: 'real' | 'complex' | 'int'; shape: number[]; data: Float64Array | Float32Array | Int32Array }

interface Request {
  op: string
  name?: string
  threads: number
  assume?: string
  lower?: boolean
  transposed?: boolean
  trans?: number
  unitDiagonal?: boolean
  cond?: number
  atol?: number
  rtol?: number
  tol?: number
  matrixOrd?: string
  vectorOrd?: number
  axis?: number
  transpose?: boolean
  permuteL?: boolean
  pIndices?: boolean
  mode?: string
  pivoting?: boolean
  fullMatrices?: boolean
  computeUv?: boolean
  vectors?: boolean
  subset?: number[]
}

/** One call, ready for the native side: inputs as (rows, cols) matrices of one precision, and how to shape the result. */
interface Call<R> {
  req: Omit<Request, 'threads'>
  inputs: (Float64Array | Float32Array)[]
  shapes: number[]
  finish: (outs: Out[]) => R
}

// ---------------------------------------------------------------- arguments

/** An options object whose keys were checked against its function's list. */
type Opts = Record<string, unknown>

// The options each function knows, in SciPy's words (camelCase); the Promise
// forms know 'signal' too. An unknown key is a TypeError naming the nearest
// known one, as SciPy raises for an unexpected keyword.
const FINITE = ['checkFinite'] as const
const OVERWRITE_A = [...FINITE, 'overwriteA'] as const
const KEYS = {
  solve: [...OVERWRITE_A, 'overwriteB', 'assumeA', 'lower', 'transposed'],
  solveTriangular: [...FINITE, 'overwriteB', 'trans', 'lower', 'unitDiagonal'],
  inv: [...OVERWRITE_A, 'assumeA', 'lower'],
  det: OVERWRITE_A,
  slogdet: FINITE,
  lstsq: [...OVERWRITE_A, 'overwriteB', 'cond', 'lapackDriver'],
  pinv: [...FINITE, 'atol', 'rtol'],
  norm: [...FINITE, 'ord', 'axis', 'keepdims'],
  matmul: [],
  lu: [...OVERWRITE_A, 'permuteL', 'pIndices'],
  luFactor: OVERWRITE_A,
  luSolve: [...FINITE, 'overwriteB', 'trans'],
  qr: [...OVERWRITE_A, 'mode', 'pivoting'],
  cholesky: [...OVERWRITE_A, 'lower'],
  choFactor: [...OVERWRITE_A, 'lower'],
  choSolve: [...FINITE, 'overwriteB'],
  svd: [...OVERWRITE_A, 'fullMatrices', 'computeUV', 'lapackDriver'],
  svdvals: OVERWRITE_A,
  eig: OVERWRITE_A,
  eigvals: OVERWRITE_A,
  eigh: [...OVERWRITE_A, 'lower', 'subsetByIndex'],
  eigvalsh: [...OVERWRITE_A, 'lower', 'subsetByIndex'],
  expm: FINITE,
  cond: [],
  matrixRank: ['tol'],
} satisfies Record<string, readonly string[]>

type Fn = keyof typeof KEYS

/** `options` of the sync `fn`, keys checked, and its permission flags (overwriteA/B) checked once. */
function opts(options: unknown, fn: Fn, where: string = fn, extra: readonly string[] = []): Opts {
  const o = checkOptions(options, where, [...KEYS[fn], ...extra])
  boolOption(o.overwriteA, 'overwriteA', false)
  boolOption(o.overwriteB, 'overwriteB', false)
  return o
}

function finiteOpt(o: Opts): boolean {
  return boolOption(o.checkFinite, 'checkFinite', true)
}

function checkFinite(a: NDArray, name: string): void {
  const d = a.data
  let at = -1
  // Large arrays are scanned natively (vectorized); small ones are not worth the call.
  if (d.length >= 4096) at = native.firstNonFinite(d)
  else {
    for (let i = 0; i < d.length; i++) {
      if (!Number.isFinite(d[i])) {
        at = i
        break
      }
    }
  }
  if (at >= 0) throw rangeErrorMessage(`${name} must not contain infs or NaNs (checkFinite); found ${d[at]} at flat index ${at}`, 'ERR_INVALID_ARG_VALUE')
}

/** A real array of at most `maxDim` dimensions (float64 or float32). */
function asReal(x: unknown, name: string, finite: boolean): NDArray<'float64' | 'float32'> {
  const a = asNDArray(x, name)
  if (a.dtype === 'complex128' || a.dtype === 'complex64') {
    throw typeError(name, 'a real array (float64 or float32); complex matrices are not supported yet', a.dtype)
  }
  if (finite) checkFinite(a, name)
  return a as NDArray<'float64' | 'float32'>
}

function asMatrix(x: unknown, name: string, finite: boolean): NDArray<'float64' | 'float32'> {
  const a = asReal(x, name, finite)
  if (a.shape.length !== 2) {
    throw rangeErrorMessage(`${name} must be a 2-D array (a matrix); got shape [${a.shape.join(', ')}]`, 'ERR_INVALID_ARG_VALUE')
  }
  return a
}

function asSquare(x: unknown, name: string, finite: boolean): NDArray<'float64' | 'float32'> {
  const a = asMatrix(x, name, finite)
  if (a.shape[0] !== a.shape[1]) {
    throw rangeErrorMessage(`${name} must be a square matrix; got shape [${a.shape.join(', ')}]`, 'ERR_INVALID_ARG_VALUE')
  }
  return a
}

/** Inputs in one precision: float32 only when every input is float32 (NumPy's promotion). */
function unify(arrays: NDArray<'float64' | 'float32'>[]): { single: boolean; data: (Float64Array | Float32Array)[] } {
  const single = arrays.every((a) => a.dtype === 'float32')
  return { single, data: arrays.map((a) => (single || a.dtype === 'float64' ? a.data : Float64Array.from(a.data))) }
}

function make<R>(req: Omit<Request, 'threads'>, arrays: NDArray<'float64' | 'float32'>[], dims: [number, number][], finish: (outs: Out[], single: boolean) => R): Call<R> {
  const { single, data } = unify(arrays)
  return { req, inputs: data, shapes: dims.flat(), finish: (outs) => finish(outs, single) }
}

// ---------------------------------------------------------------- results

function real(o: Out, single: boolean, shape = o.shape): RealArray {
  return { data: o.data as Float64Array | Float32Array, shape, dtype: single ? 'float32' : 'float64' } as RealArray
}

function cplx(o: Out, single: boolean): ComplexArray {
  return { data: o.data as Float64Array | Float32Array, shape: o.shape, dtype: single ? 'complex64' : 'complex128' } as ComplexArray
}

function scalar(o: Out): number {
  return o.data[0]
}

// ---------------------------------------------------------------- running

/** Runs `call` on the calling thread; `name` (the function called) is named in the binding's messages. */
function run<R>(call: Call<R>, name: string): R {
  const outs = callNative(() => native.linalgExecute({ ...call.req, name, threads: blasThreads() }, call.inputs as Float64Array[], call.shapes)) as Out[]
  return call.finish(outs)
}

/** The Promise form of `fn`: options checked with 'signal' known too, then `prepare` (which ignores signal). */
async function runAsync<R>(fn: Fn, options: unknown, prepare: (o: Opts) => Call<R>): Promise<R> {
  const o = opts(options, fn, `${fn}Async`, ['signal'])
  const signal = checkSignal(o.signal)
  if (signal?.aborted) throw abortError(signal)
  const call = prepare(o)
  const threads = blasThreads()
  const outs = (await withAbort(
    // A request refused before it starts (its memory, say) throws here: callNative gives it its class too.
    (token) => callNative(() => native.linalgExecuteAsync({ ...call.req, name: fn, threads }, call.inputs as Float64Array[], call.shapes, token)),
    signal,
  )) as Out[]
  return call.finish(outs)
}

// ---------------------------------------------------------------- right-hand sides

/** b as an (n, k) matrix, remembering whether it was a vector. */
function rhs(b: unknown, n: number | undefined, finite: boolean, name = 'b'): { b: NDArray<'float64' | 'float32'>; k: number; vector: boolean } {
  const arr = asReal(b, name, finite)
  if (arr.shape.length !== 1 && arr.shape.length !== 2) {
    throw rangeErrorMessage(`${name} must be 1-D or 2-D; got shape [${arr.shape.join(', ')}]`, 'ERR_INVALID_ARG_VALUE')
  }
  if (n !== undefined && arr.shape[0] !== n) {
    throw rangeErrorMessage(`${name} must have ${n} rows to match a's shape; got shape [${arr.shape.join(', ')}] (incompatible dimensions)`, 'ERR_INVALID_ARG_VALUE')
  }
  const vector = arr.shape.length === 1
  return { b: arr, k: vector ? 1 : arr.shape[1], vector }
}

// ================================================================ solve

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

const TRANS = new Map<unknown, number>([
  [0, 0],
  [1, 1],
  [2, 2],
  ['N', 0],
  ['T', 1],
  ['C', 2],
])

function checkTrans(t: unknown): number {
  if (t === undefined || t === null) return 0
  const expected = "0, 1, 2, 'N', 'T' or 'C'"
  if (typeof t !== 'number' && typeof t !== 'string') throw typeError('trans', expected, t)
  const v = TRANS.get(t)
  if (v === undefined) throw valueError('trans', expected, t)
  return v
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

function prepSquare<R>(op: string, a: unknown, o: Opts, finish: (outs: Out[], single: boolean, n: number) => R, extra: Omit<Request, 'threads' | 'op'> = {}): Call<R> {
  const A = asSquare(a, 'a', finiteOpt(o))
  const n = A.shape[0]
  return make({ op, ...extra }, [A], [[n, n]], (outs, single) => finish(outs, single, n))
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
const prepCholesky = (a: unknown, o: Opts) => {
  const lower = boolOption(o.lower, 'lower', false)
  return prepSquare('cholesky', a, o, (outs, single) => real(outs[0], single), { lower })
}
const prepChoFactor = (a: unknown, o: Opts) => {
  const lower = boolOption(o.lower, 'lower', false)
  return prepSquare('cholesky', a, o, (outs, single): ChoFactorResult => ({ c: real(outs[0], single), lower }), { lower })
}
const prepExpm = (a: unknown, o: Opts) => prepSquare('expm', a, o, (outs, single) => real(outs[0], single))

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

// ================================================================ least squares, pinv

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

// ================================================================ norms

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

const MATRIX_ORDS = new Map<unknown, string>([
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

// ================================================================ matmul

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

// ================================================================ LU

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

// ================================================================ QR

/** Options of {@link qr}. */
export interface QrOptions extends FiniteOptions, OverwriteAOptions {
  /** 'full': q m×m, r m×n; 'economic': q m×k, r k×n (k = min(m, n)); 'r': r only. @default 'full' */
  mode?: 'full' | 'economic' | 'r'
  /**
   * QR with column pivoting (LAPACK geqp3's column choice): `a[:, p] = q r` with |r's diagonal|
   * non-increasing, and the column order p returned too. q and r are those of `qr(a[:, p])`.
   * @default false
   */
  pivoting?: boolean
}

/** `a = q r`. */
export interface QrResult<D extends RealDType = RealDType> {
  /** Orthogonal factor: m×m ('full') or m×k ('economic'). */
  q: RealArray<D>
  /** Upper triangular factor: m×n ('full') or k×n ('economic'). */
  r: RealArray<D>
}

/** What qr returns with mode 'r'. */
export interface QrROnly<D extends RealDType = RealDType> {
  /** Upper triangular factor, m×n. */
  r: RealArray<D>
}

/** What qr returns with `pivoting`: the column order too. */
export interface QrPivoted {
  /** Column indices, n of them: `a[:, p] = q r`. */
  p: Int32Array
}

function prepQr(a: unknown, o: Opts): Call<QrResult | QrROnly | ((QrResult | QrROnly) & QrPivoted)> {
  const mode = enumOption(o.mode, 'mode', ['full', 'economic', 'r'] as const, 'full')
  const pivoting = boolOption(o.pivoting, 'pivoting', false)
  const A = asMatrix(a, 'a', finiteOpt(o))
  return make({ op: 'qr', mode, pivoting }, [A], [A.shape as [number, number]], (outs, single) => {
    const f = mode === 'r' ? { r: real(outs[0], single) } : { q: real(outs[0], single), r: real(outs[1], single) }
    return pivoting ? { ...f, p: outs[outs.length - 1].data as Int32Array } : f
  })
}

/**
 * QR decomposition (scipy.linalg.qr): `a = q r`, q orthogonal, r upper triangular,
 * by Householder reflections (r's diagonal may be negative, as LAPACK's). With `pivoting`,
 * `a[:, p] = q r` and p is returned too.
 *
 * @example
 * ```ts
 * import { qr } from 'musique/linalg'
 * const { q, r } = qr([[1, 2], [3, 4], [5, 6]], { mode: 'economic' })
 * q.shape // [3, 2]
 * ```
 */
export function qr<A extends MatrixInput>(a: A, options?: QrOptions & { mode?: 'full' | 'economic'; pivoting?: false }): QrResult<RealDTypeOf<A>>
export function qr<A extends MatrixInput>(a: A, options: QrOptions & { mode: 'r'; pivoting?: false }): QrROnly<RealDTypeOf<A>>
export function qr<A extends MatrixInput>(a: A, options: QrOptions & { mode?: 'full' | 'economic'; pivoting: true }): QrResult<RealDTypeOf<A>> & QrPivoted
export function qr<A extends MatrixInput>(a: A, options: QrOptions & { mode: 'r'; pivoting: true }): QrROnly<RealDTypeOf<A>> & QrPivoted
export function qr<A extends MatrixInput>(a: A, options?: QrOptions): QrResult<RealDTypeOf<A>> | QrROnly<RealDTypeOf<A>> | ((QrResult<RealDTypeOf<A>> | QrROnly<RealDTypeOf<A>>) & QrPivoted)
export function qr(a: MatrixInput, options?: QrOptions): QrResult | QrROnly | ((QrResult | QrROnly) & QrPivoted) {
  return run(prepQr(a, opts(options, 'qr')), 'qr')
}

// ================================================================ Cholesky

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

// ================================================================ SVD

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

// ================================================================ eigenvalues

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

// ================================================================ functions of matrices, conditioning

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

// ================================================================ Promise forms

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
/** Promise form of {@link lstsq} (see {@link solveAsync}). @example `await lstsqAsync(a, b)` */
export function lstsqAsync<A extends MatrixInput, B extends MatrixInput>(a: A, b: B, options?: LstsqOptions & AsyncOptions): Promise<LstsqResult<PromotedOf<A, B>>> {
  return runAsync('lstsq', options, (o) => prepLstsq(a, b, o)) as Promise<LstsqResult<PromotedOf<A, B>>>
}
/** Promise form of {@link pinv} (see {@link solveAsync}). @example `await pinvAsync(a)` */
export function pinvAsync<A extends MatrixInput>(a: A, options?: PinvOptions & AsyncOptions): Promise<RealArray<RealDTypeOf<A>>> {
  return runAsync('pinv', options, (o) => prepPinv(a, o)) as Promise<RealArray<RealDTypeOf<A>>>
}
/** Promise form of {@link norm} (see {@link solveAsync}). @example `await normAsync(a, { ord: 2 })` */
export function normAsync<A extends MatrixInput>(a: A, options?: NormOptions & AsyncOptions): Promise<number | RealArray<RealDTypeOf<A>>> {
  return runAsync('norm', options, (o) => prepNorm(a, o)) as Promise<number | RealArray<RealDTypeOf<A>>>
}
/** Promise form of {@link matmul} (see {@link solveAsync}). @example `await matmulAsync(a, b)` */
export function matmulAsync<A extends MatrixInput, B extends MatrixInput>(a: A, b: B, options?: AsyncOptions): Promise<RealArray<PromotedOf<A, B>>> {
  return runAsync('matmul', options, () => prepMatmul(a, b)) as Promise<RealArray<PromotedOf<A, B>>>
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
/** Promise form of {@link qr} (see {@link solveAsync}). @example `const { q, r } = await qrAsync(a)` */
export function qrAsync<A extends MatrixInput>(a: A, options?: QrOptions & AsyncOptions): Promise<QrResult<RealDTypeOf<A>> | QrROnly<RealDTypeOf<A>> | ((QrResult<RealDTypeOf<A>> | QrROnly<RealDTypeOf<A>>) & QrPivoted)> {
  return runAsync('qr', options, (o) => prepQr(a, o)) as Promise<QrResult<RealDTypeOf<A>> | QrROnly<RealDTypeOf<A>> | ((QrResult<RealDTypeOf<A>> | QrROnly<RealDTypeOf<A>>) & QrPivoted)>
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
/** Promise form of {@link svd} (see {@link solveAsync}). @example `const { u, s, vh } = await svdAsync(a)` */
export function svdAsync<A extends MatrixInput>(a: A, options?: SvdOptions & AsyncOptions): Promise<SvdResult<RealDTypeOf<A>> | RealArray<RealDTypeOf<A>>> {
  return runAsync('svd', options, (o) => prepSvd(a, o)) as Promise<SvdResult<RealDTypeOf<A>> | RealArray<RealDTypeOf<A>>>
}
/** Promise form of {@link svdvals} (see {@link solveAsync}). @example `await svdvalsAsync(a)` */
export function svdvalsAsync<A extends MatrixInput>(a: A, options?: FiniteOptions & OverwriteAOptions & AsyncOptions): Promise<RealArray<RealDTypeOf<A>>> {
  return runAsync('svdvals', options, (o) => prepSvd(a, o, false) as Call<RealArray>) as Promise<RealArray<RealDTypeOf<A>>>
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
