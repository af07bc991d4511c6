// musique/linalg: scipy.linalg's dense solvers and decompositions, over faer.
//
// Arguments are validated and normalised here, once, into a request; the work
// runs in Rust (musique-linalg). Like BLAS/LAPACK, linalg uses every core by
// default: the thread count comes from threadpoolLimits ({ blas: n }) in the
// current async context and is passed to each call explicitly.
//
// Every function has a Promise form `fAsync(…, { …options, signal })` that
// runs on Musique's own pool, off the JS thread.

import type { AsyncOptions } from './fft'
import { checkSignal, withAbort } from './internal/async'
import { abortError, callNative, checkOptions, LinAlgError, type LinAlgErrorCode, rangeError, typeError } from './internal/errors'
import { blasThreads } from './workers'
import native = require('./internal/native')
import { type ArrayInput, asNDArray, type NDArray } from './ndarray'

export { LinAlgError, type LinAlgErrorCode }

/** A real matrix (or vector) input: an NDArray (float64 or float32), nested number arrays, a Float64Array/Float32Array or a number[]. */
export type MatrixInput = ArrayInput

/** A real result: float64, or float32 when every input was float32. */
export type RealArray = NDArray<'float64' | 'float32'>

/** A complex result (interleaved re/im): complex128, or complex64 from float32 input. */
export type ComplexArray = NDArray<'complex128' | 'complex64'>

// The Promise forms take the same { signal } as fft's.
export type { AsyncOptions }

/** Option shared by the functions that read their input's values: SciPy's check_finite. */
export interface FiniteOptions {
  /** Throw a RangeError when an input holds NaN or ±Infinity, as SciPy's check_finite does. @default true */
  checkFinite?: boolean
}

type Out = { kind: 'real' | 'complex' | 'int'; shape: number[]; data: Float64Array | Float32Array | Int32Array }

interface Request {
  op: string
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
  mode?: string
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

function checkBool(v: unknown, name: string, dflt: boolean): boolean {
  if (v === undefined || v === null) return dflt
  if (typeof v !== 'boolean') throw typeError(name, 'a boolean', v)
  return v
}

function checkNumber(v: unknown, name: string): number | undefined {
  if (v === undefined || v === null) return undefined
  if (typeof v !== 'number') throw typeError(name, 'a number', v)
  if (Number.isNaN(v)) throw rangeError(name, 'a number, not NaN', v)
  return v
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
  if (at >= 0) throw new RangeError(`${name} must not contain infs or NaNs (checkFinite); found ${d[at]} at flat index ${at}`)
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
    throw new RangeError(`${name} must be a 2-D array (a matrix); got shape [${a.shape.join(', ')}]`)
  }
  return a
}

function asSquare(x: unknown, name: string, finite: boolean): NDArray<'float64' | 'float32'> {
  const a = asMatrix(x, name, finite)
  if (a.shape[0] !== a.shape[1]) {
    throw new RangeError(`${name} must be a square matrix; got shape [${a.shape.join(', ')}]`)
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

function run<R>(call: Call<R>): R {
  const outs = callNative(() => native.linalgExecute({ ...call.req, threads: blasThreads() }, call.inputs as Float64Array[], call.shapes)) as Out[]
  return call.finish(outs)
}

async function runAsync<R>(prepare: () => Call<R>, options: unknown): Promise<R> {
  const signal = checkSignal(checkOptions(options).signal)
  if (signal?.aborted) throw abortError(signal)
  const call = prepare()
  const threads = blasThreads()
  const outs = (await withAbort(
    (token) => native.linalgExecuteAsync({ ...call.req, threads }, call.inputs as Float64Array[], call.shapes, token),
    signal,
  )) as Out[]
  return call.finish(outs)
}

// ---------------------------------------------------------------- right-hand sides

/** b as an (n, k) matrix, remembering whether it was a vector. */
function rhs(b: unknown, n: number, finite: boolean, name = 'b'): { b: NDArray<'float64' | 'float32'>; k: number; vector: boolean } {
  const arr = asReal(b, name, finite)
  if (arr.shape.length !== 1 && arr.shape.length !== 2) {
    throw new RangeError(`${name} must be 1-D or 2-D; got shape [${arr.shape.join(', ')}]`)
  }
  if (arr.shape[0] !== n) {
    throw new RangeError(`${name} must have ${n} rows to match a's shape; got shape [${arr.shape.join(', ')}] (incompatible dimensions)`)
  }
  const vector = arr.shape.length === 1
  return { b: arr, k: vector ? 1 : arr.shape[1], vector }
}

// ================================================================ solve

/** assume_a values of scipy.linalg.solve that Musique handles. */
export type AssumeA = 'gen' | 'general' | 'sym' | 'symmetric' | 'her' | 'hermitian' | 'pos' | 'positive definite' | 'lower triangular' | 'upper triangular' | 'diagonal'

/** Options of {@link solve}. */
export interface SolveOptions extends FiniteOptions {
  /** What a is: 'gen' (LU), 'sym' (LDLᵀ, one triangle read), 'pos' (Cholesky, one triangle read), or triangular/diagonal. @default 'gen' */
  assumeA?: AssumeA
  /** With 'sym'/'pos', read a's lower triangle instead of the upper one. @default false */
  lower?: boolean
  /** Solve aᵀx = b. @default false */
  transposed?: boolean
}

const ASSUME: Record<string, string> = {
  gen: 'gen',
  general: 'gen',
  sym: 'sym',
  symmetric: 'sym',
  her: 'sym',
  hermitian: 'sym',
  pos: 'pos',
  'positive definite': 'pos',
  'lower triangular': 'lower',
  'upper triangular': 'upper',
  diagonal: 'diagonal',
}

function prepSolve(a: unknown, b: unknown, options: unknown): Call<RealArray> {
  const o = checkOptions(options)
  const finite = checkBool(o.checkFinite, 'checkFinite', true)
  const A = asSquare(a, 'a', finite)
  const n = A.shape[0]
  const B = rhs(b, n, finite)
  const assumeIn = o.assumeA ?? 'gen'
  if (typeof assumeIn !== 'string') throw typeError('assumeA', "'gen', 'sym', 'pos', 'lower triangular', 'upper triangular' or 'diagonal'", assumeIn)
  const assume = ASSUME[assumeIn]
  if (assume === undefined) {
    throw new RangeError(`assumeA must be one of 'gen', 'sym', 'her', 'pos', 'lower triangular', 'upper triangular', 'diagonal'; got '${assumeIn}'`)
  }
  const lower = checkBool(o.lower, 'lower', false)
  const transposed = checkBool(o.transposed, 'transposed', false)
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
 * @param a - Square matrix, n×n.
 * @param b - Right-hand side(s): n values, or n×k.
 * @param options - `assumeA` ('gen' LU, 'sym' LDLᵀ, 'pos' Cholesky, triangular), `lower`, `transposed`, `checkFinite`.
 * @returns x, shaped like b.
 * @throws LinAlgError 'ERR_SINGULAR_MATRIX' when a is singular, 'ERR_NOT_POSITIVE_DEFINITE' with assumeA 'pos';
 *   RangeError when a is not square, b's rows do not match, or an input holds NaN/Infinity.
 * @example
 * ```ts
 * import { solve } from 'musique/linalg'
 * solve([[3, 2, 0], [1, -1, 0], [0, 5, 1]], [2, 4, -1]).data // Float64Array [2, -2, 9]
 * ```
 */
export function solve(a: MatrixInput, b: MatrixInput, options?: SolveOptions): RealArray {
  return run(prepSolve(a, b, options))
}

/** Options of {@link solveTriangular}. */
export interface SolveTriangularOptions extends FiniteOptions {
  /** 0 or 'N': a x = b; 1 or 'T' (and 2 or 'C', the same for real a): aᵀ x = b. @default 0 */
  trans?: 0 | 1 | 2 | 'N' | 'T' | 'C'
  /** Use a's lower triangle (else the upper one); the other is not read. @default false */
  lower?: boolean
  /** Take a's diagonal as ones, without reading it. @default false */
  unitDiagonal?: boolean
}

function checkTrans(t: unknown): number {
  if (t === undefined || t === null) return 0
  const map: Record<string, number> = { N: 0, T: 1, C: 2, '0': 0, '1': 1, '2': 2 }
  const v = map[String(t)]
  if (v === undefined || (typeof t !== 'number' && typeof t !== 'string')) throw rangeError('trans', "0, 1, 2, 'N', 'T' or 'C'", t)
  return v
}

function prepSolveTriangular(a: unknown, b: unknown, options: unknown): Call<RealArray> {
  const o = checkOptions(options)
  const finite = checkBool(o.checkFinite, 'checkFinite', true)
  const A = asSquare(a, 'a', finite)
  const n = A.shape[0]
  const B = rhs(b, n, finite)
  const req = {
    op: 'solveTriangular',
    trans: checkTrans(o.trans),
    lower: checkBool(o.lower, 'lower', false),
    unitDiagonal: checkBool(o.unitDiagonal, 'unitDiagonal', false),
  }
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
export function solveTriangular(a: MatrixInput, b: MatrixInput, options?: SolveTriangularOptions): RealArray {
  return run(prepSolveTriangular(a, b, options))
}

function prepSquare<R>(op: string, a: unknown, options: unknown, finish: (outs: Out[], single: boolean, n: number) => R, extra: Omit<Request, 'threads' | 'op'> = {}): Call<R> {
  const o = checkOptions(options)
  const A = asSquare(a, 'a', checkBool(o.checkFinite, 'checkFinite', true))
  const n = A.shape[0]
  return make({ op, ...extra }, [A], [[n, n]], (outs, single) => finish(outs, single, n))
}

// One prepare function per operation, shared by the sync and Promise forms.
const prepInv = (a: unknown, o: unknown) => prepSquare('inv', a, o, (outs, single) => real(outs[0], single))
const prepDet = (a: unknown, o: unknown) => prepSquare('det', a, o, (outs) => scalar(outs[0]))
const prepSlogdet = (a: unknown, o: unknown) => prepSquare('slogdet', a, o, (outs): SlogdetResult => ({ sign: scalar(outs[0]), logabsdet: scalar(outs[1]) }))
const prepLuFactor = (a: unknown, o: unknown) =>
  prepSquare('luFactor', a, o, (outs, single): LuFactorResult => ({ lu: real(outs[0], single), piv: outs[1].data as Int32Array }))
const prepCholesky = (a: unknown, o: unknown) => {
  const lower = checkBool(checkOptions(o).lower, 'lower', false)
  return prepSquare('cholesky', a, o, (outs, single) => real(outs[0], single), { lower })
}
const prepChoFactor = (a: unknown, o: unknown) => {
  const lower = checkBool(checkOptions(o).lower, 'lower', false)
  return prepSquare('cholesky', a, o, (outs, single): ChoFactorResult => ({ c: real(outs[0], single), lower }), { lower })
}
const prepExpm = (a: unknown, o: unknown) => prepSquare('expm', a, o, (outs, single) => real(outs[0], single))

/**
 * The inverse of a square matrix (scipy.linalg.inv).
 *
 * @throws LinAlgError 'ERR_SINGULAR_MATRIX' when a is singular; RangeError when a is not square.
 * @example
 * ```ts
 * import { inv } from 'musique/linalg'
 * inv([[1, 2], [3, 4]]).data // Float64Array [-2, 1, 1.5, -0.5]
 * ```
 */
export function inv(a: MatrixInput, options?: FiniteOptions): RealArray {
  return run(prepInv(a, options))
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
export function det(a: MatrixInput, options?: FiniteOptions): number {
  return run(prepDet(a, options))
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
  return run(prepSlogdet(a, options))
}

// ================================================================ least squares, pinv

/** Options of {@link lstsq}. */
export interface LstsqOptions extends FiniteOptions {
  /** Singular values below `cond * s[0]` count as zero. @default machine epsilon */
  cond?: number
}

/** The result of {@link lstsq}, as scipy.linalg.lstsq's tuple. */
export interface LstsqResult {
  /** Least-squares solution, n (or n×k). */
  x: RealArray
  /** Squared 2-norm of each column of b − a x when m > n and a has full rank, else empty. */
  residues: RealArray
  /** Effective rank of a. */
  rank: number
  /** Singular values of a, descending. */
  s: RealArray
}

function prepLstsq(a: unknown, b: unknown, options: unknown): Call<LstsqResult> {
  const o = checkOptions(options)
  const finite = checkBool(o.checkFinite, 'checkFinite', true)
  const A = asMatrix(a, 'a', finite)
  const [m, n] = A.shape
  const B = rhs(b, m, finite)
  const cond = checkNumber(o.cond, 'cond')
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
export function lstsq(a: MatrixInput, b: MatrixInput, options?: LstsqOptions): LstsqResult {
  return run(prepLstsq(a, b, options))
}

/** Options of {@link pinv}. */
export interface PinvOptions extends FiniteOptions {
  /** Absolute threshold for dropping singular values. @default 0 */
  atol?: number
  /** Relative threshold (times the largest singular value). @default max(m, n) · eps */
  rtol?: number
}

function prepPinv(a: unknown, options: unknown): Call<RealArray> {
  const o = checkOptions(options)
  const A = asMatrix(a, 'a', checkBool(o.checkFinite, 'checkFinite', true))
  const [m, n] = A.shape
  return make({ op: 'pinv', atol: checkNumber(o.atol, 'atol'), rtol: checkNumber(o.rtol, 'rtol') }, [A], [[m, n]], (outs, single) => real(outs[0], single))
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
export function pinv(a: MatrixInput, options?: PinvOptions): RealArray {
  return run(prepPinv(a, options))
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
  if (typeof axis !== 'number' || !Number.isInteger(axis)) throw typeError('axis', 'an integer or a pair of integers', axis)
  if (axis < -ndim || axis >= ndim) throw new RangeError(`axis ${axis} is out of bounds for array of dimension ${ndim}`)
  return axis < 0 ? axis + ndim : axis
}

function prepNorm(a: unknown, options: unknown): Call<number | RealArray> {
  const o = checkOptions(options)
  const A = asReal(a, 'a', checkBool(o.checkFinite, 'checkFinite', true))
  const nd = A.shape.length
  if (nd < 1 || nd > 2) throw new RangeError(`a must be 1-D or 2-D; got shape [${A.shape.join(', ')}]`)
  const keepdims = checkBool(o.keepdims, 'keepdims', false)
  const ord = o.ord ?? null
  if (ord !== null && typeof ord !== 'number' && ord !== 'fro' && ord !== 'nuc') throw typeError('ord', "a number, Infinity, -Infinity, 'fro' or 'nuc'", ord)
  const [rows, cols] = nd === 1 ? [1, A.shape[0]] : A.shape
  const dims: [number, number][] = [[rows, cols]]
  // Which axes: all (flattened or matrix), one, or a pair.
  let axes: number[]
  if (o.axis === undefined || o.axis === null) axes = nd === 1 ? [0] : [0, 1]
  else if (Array.isArray(o.axis)) {
    if (o.axis.length !== 2) throw rangeError('axis', 'an integer or a pair of integers', `[${o.axis.join(', ')}]`)
    axes = o.axis.map((x) => wrapAxis(x, nd))
    if (axes[0] === axes[1]) throw new RangeError('axis must name two different axes for a matrix norm; got a repeated axis')
  } else axes = [wrapAxis(o.axis, nd)]

  if (axes.length === 2) {
    if (ord === null && o.axis === undefined) {
      // No ord, no axis: the 2-norm of the flattened array (the Frobenius norm).
      return make({ op: 'vectorNorm', vectorOrd: 2 }, [A], dims, (outs, single) => (keepdims ? real(outs[0], single, [1, 1]) : scalar(outs[0])))
    }
    const m = MATRIX_ORDS.get(ord ?? 'fro')
    if (m === undefined) throw new RangeError(`Invalid norm order '${String(ord)}' for matrices; expected 'fro', 'nuc', 1, -1, 2, -2, Infinity or -Infinity`)
    return make({ op: 'matrixNorm', matrixOrd: m, transpose: axes[0] > axes[1] }, [A], dims, (outs, single) =>
      keepdims ? real(outs[0], single, [1, 1]) : scalar(outs[0]),
    )
  }
  if (ord === 'fro' || ord === 'nuc') throw new RangeError(`Invalid norm order '${ord}' for vectors`)
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
export function norm(a: MatrixInput, options?: NormOptions): number | RealArray {
  return run(prepNorm(a, options))
}

// ================================================================ matmul

function prepMatmul(a: unknown, b: unknown): Call<RealArray> {
  const A = asReal(a, 'a', false)
  const B = asReal(b, 'b', false)
  if (A.shape.length < 1 || A.shape.length > 2) throw new RangeError(`a must be 1-D or 2-D; got shape [${A.shape.join(', ')}]`)
  if (B.shape.length < 1 || B.shape.length > 2) throw new RangeError(`b must be 1-D or 2-D; got shape [${B.shape.join(', ')}]`)
  // NumPy's rule: a 1-D a is a row, a 1-D b a column, and those axes are dropped from the result.
  const [m, k] = A.shape.length === 1 ? [1, A.shape[0]] : A.shape
  const [k2, n] = B.shape.length === 1 ? [B.shape[0], 1] : B.shape
  if (k !== k2) {
    throw new RangeError(`matmul: a's last dimension (${k}) must match b's first (${k2}); got shapes [${A.shape.join(', ')}] and [${B.shape.join(', ')}]`)
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
export function matmul(a: MatrixInput, b: MatrixInput): RealArray {
  return run(prepMatmul(a, b))
}

// ================================================================ LU

/** Options of {@link lu}. */
export interface LuOptions extends FiniteOptions {
  /** Return p·l as one matrix instead of p and l. @default false */
  permuteL?: boolean
}

/** `a = p l u` (scipy.linalg.lu). */
export interface LuResult {
  /** Permutation matrix, m×m. */
  p: RealArray
  /** Unit lower triangular, m×k. */
  l: RealArray
  /** Upper triangular, k×n. */
  u: RealArray
}

/** `a = pl u` (scipy.linalg.lu with permute_l). */
export interface LuPermutedResult {
  /** p·l, m×k. */
  pl: RealArray
  /** Upper triangular, k×n. */
  u: RealArray
}

function prepLu(a: unknown, options: unknown): Call<LuResult | LuPermutedResult> {
  const o = checkOptions(options)
  const A = asMatrix(a, 'a', checkBool(o.checkFinite, 'checkFinite', true))
  const permuteL = checkBool(o.permuteL, 'permuteL', false)
  return make({ op: 'lu', permuteL }, [A], [A.shape as [number, number]], (outs, single) =>
    permuteL ? { pl: real(outs[0], single), u: real(outs[1], single) } : { p: real(outs[0], single), l: real(outs[1], single), u: real(outs[2], single) },
  )
}

/**
 * LU decomposition with partial pivoting (scipy.linalg.lu): `a = p l u`, l unit lower
 * triangular (m×k), u upper triangular (k×n), k = min(m, n).
 *
 * @example
 * ```ts
 * import { lu } from 'musique/linalg'
 * const { p, l, u } = lu([[1, 2], [3, 4]])
 * u.data // Float64Array [3, 4, 0, 0.666…]
 * ```
 */
export function lu(a: MatrixInput, options?: LuOptions & { permuteL?: false }): LuResult
export function lu(a: MatrixInput, options: LuOptions & { permuteL: true }): LuPermutedResult
export function lu(a: MatrixInput, options?: LuOptions): LuResult | LuPermutedResult {
  return run(prepLu(a, options))
}

/** A compact LU factorization, for {@link luSolve}. */
export interface LuFactorResult {
  /** l below the (unit) diagonal, u on and above it. */
  lu: RealArray
  /** Row interchanges, 0-based: row i was swapped with row piv[i]. */
  piv: Int32Array
}

/**
 * Compact LU factorization of a square matrix (scipy.linalg.lu_factor), for {@link luSolve}.
 * A singular matrix is factored without error (SciPy warns); luSolve then throws.
 *
 * @example
 * ```ts
 * import { luFactor, luSolve } from 'musique/linalg'
 * const f = luFactor([[2, 1], [1, 3]])
 * luSolve(f, [3, 5]).data // Float64Array [0.8, 1.4]
 * ```
 */
export function luFactor(a: MatrixInput, options?: FiniteOptions): LuFactorResult {
  return run(prepLuFactor(a, options))
}

function prepLuSolve(f: unknown, b: unknown, options: unknown): Call<RealArray> {
  const o = checkOptions(options)
  const finite = checkBool(o.checkFinite, 'checkFinite', true)
  if (f === null || typeof f !== 'object' || !('lu' in f) || !('piv' in f)) throw typeError('luAndPiv', 'the { lu, piv } that luFactor returns', f)
  const { lu: LU, piv } = f as LuFactorResult
  const A = asSquare(LU, 'luAndPiv.lu', finite)
  const n = A.shape[0]
  if (!(piv instanceof Int32Array) || piv.length !== n) throw typeError('luAndPiv.piv', `an Int32Array of ${n} pivots`, piv)
  for (const p of piv) if (p < 0 || p >= n) throw rangeError('luAndPiv.piv', `pivots in [0, ${n})`, p)
  const B = rhs(b, n, finite)
  const P = { data: A.dtype === 'float32' && B.b.dtype === 'float32' ? Float32Array.from(piv) : Float64Array.from(piv), shape: [n, 1], dtype: A.dtype === 'float32' && B.b.dtype === 'float32' ? 'float32' : 'float64' } as NDArray<'float64' | 'float32'>
  return make(
    { op: 'luSolve', trans: checkTrans(o.trans) },
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
 * @param luAndPiv - `{ lu, piv }` from luFactor.
 * @param options - `trans`: 0 solves a x = b, 1 aᵀ x = b.
 * @throws LinAlgError 'ERR_SINGULAR_MATRIX' when the factor is singular.
 * @example
 * ```ts
 * import { luFactor, luSolve } from 'musique/linalg'
 * luSolve(luFactor([[2, 1], [1, 3]]), [3, 5]).data // Float64Array [0.8, 1.4]
 * ```
 */
export function luSolve(luAndPiv: LuFactorResult, b: MatrixInput, options?: FiniteOptions & { trans?: 0 | 1 | 2 | 'N' | 'T' | 'C' }): RealArray {
  return run(prepLuSolve(luAndPiv, b, options))
}

// ================================================================ QR

/** Options of {@link qr}. */
export interface QrOptions extends FiniteOptions {
  /** 'full': q m×m, r m×n; 'economic': q m×k, r k×n (k = min(m, n)); 'r': r only. @default 'full' */
  mode?: 'full' | 'economic' | 'r'
}

/** `a = q r`. */
export interface QrResult {
  /** Orthogonal factor: m×m ('full') or m×k ('economic'). */
  q: RealArray
  /** Upper triangular factor: m×n ('full') or k×n ('economic'). */
  r: RealArray
}

/** What qr returns with mode 'r'. */
export interface QrROnly {
  /** Upper triangular factor, m×n. */
  r: RealArray
}

function prepQr(a: unknown, options: unknown): Call<QrResult | QrROnly> {
  const o = checkOptions(options)
  const A = asMatrix(a, 'a', checkBool(o.checkFinite, 'checkFinite', true))
  const mode = o.mode ?? 'full'
  if (mode !== 'full' && mode !== 'economic' && mode !== 'r') throw new RangeError(`mode must be 'full', 'economic' or 'r'; got ${typeof mode === 'string' ? `'${mode}'` : String(mode)}`)
  return make({ op: 'qr', mode }, [A], [A.shape as [number, number]], (outs, single) =>
    mode === 'r' ? { r: real(outs[0], single) } : { q: real(outs[0], single), r: real(outs[1], single) },
  )
}

/**
 * QR decomposition (scipy.linalg.qr): `a = q r`, q orthogonal, r upper triangular,
 * by Householder reflections (r's diagonal may be negative, as LAPACK's).
 *
 * @example
 * ```ts
 * import { qr } from 'musique/linalg'
 * const { q, r } = qr([[1, 2], [3, 4], [5, 6]], { mode: 'economic' })
 * q.shape // [3, 2]
 * ```
 */
export function qr(a: MatrixInput, options?: QrOptions & { mode?: 'full' | 'economic' }): QrResult
export function qr(a: MatrixInput, options: QrOptions & { mode: 'r' }): QrROnly
export function qr(a: MatrixInput, options?: QrOptions): QrResult | QrROnly {
  return run(prepQr(a, options))
}

// ================================================================ Cholesky

/** Options of {@link cholesky} and {@link choFactor}. */
export interface CholeskyOptions extends FiniteOptions {
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
export function cholesky(a: MatrixInput, options?: CholeskyOptions): RealArray {
  return run(prepCholesky(a, options))
}

/** A Cholesky factor and which triangle it is, for {@link choSolve}. */
export interface ChoFactorResult {
  /** The Cholesky factor. */
  c: RealArray
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
export function choFactor(a: MatrixInput, options?: CholeskyOptions): ChoFactorResult {
  return run(prepChoFactor(a, options))
}

function prepChoSolve(f: unknown, b: unknown, options: unknown): Call<RealArray> {
  const o = checkOptions(options)
  const finite = checkBool(o.checkFinite, 'checkFinite', true)
  if (f === null || typeof f !== 'object' || !('c' in f)) throw typeError('cAndLower', 'the { c, lower } that choFactor returns', f)
  const { c, lower } = f as ChoFactorResult
  const C = asSquare(c, 'cAndLower.c', finite)
  const n = C.shape[0]
  const B = rhs(b, n, finite)
  return make(
    { op: 'choSolve', lower: checkBool(lower, 'cAndLower.lower', false) },
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
export function choSolve(cAndLower: ChoFactorResult, b: MatrixInput, options?: FiniteOptions): RealArray {
  return run(prepChoSolve(cAndLower, b, options))
}

// ================================================================ SVD

/** Options of {@link svd}. */
export interface SvdOptions extends FiniteOptions {
  /** u m×m and vh n×n; false gives m×k and k×n, k = min(m, n). @default true */
  fullMatrices?: boolean
  /** Compute u and vh; false returns s alone. @default true */
  computeUV?: boolean
}

/** `a = u diag(s) vh`. */
export interface SvdResult {
  /** Left singular vectors as columns: m×m, or m×k without fullMatrices. */
  u: RealArray
  /** Singular values, descending. */
  s: RealArray
  /** Right singular vectors as rows: n×n, or k×n without fullMatrices. */
  vh: RealArray
}

function prepSvd(a: unknown, options: unknown, uv?: boolean): Call<SvdResult | RealArray> {
  const o = checkOptions(options)
  const A = asMatrix(a, 'a', checkBool(o.checkFinite, 'checkFinite', true))
  const fullMatrices = checkBool(o.fullMatrices, 'fullMatrices', true)
  const computeUv = uv ?? checkBool(o.computeUV, 'computeUV', true)
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
export function svd(a: MatrixInput, options?: SvdOptions & { computeUV?: true }): SvdResult
export function svd(a: MatrixInput, options: SvdOptions & { computeUV: false }): RealArray
export function svd(a: MatrixInput, options?: SvdOptions): SvdResult | RealArray {
  return run(prepSvd(a, options))
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
export function svdvals(a: MatrixInput, options?: FiniteOptions): RealArray {
  return run(prepSvd(a, options, false)) as RealArray
}

// ================================================================ eigenvalues

/** `a vr = vr diag(w)`. */
export interface EigResult {
  /** Eigenvalues, complex (interleaved re/im). */
  w: ComplexArray
  /** Right eigenvectors as columns, each of unit 2-norm, complex. */
  vr: ComplexArray
}

function prepEig(a: unknown, options: unknown, right: boolean): Call<EigResult | ComplexArray> {
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
export function eig(a: MatrixInput, options?: FiniteOptions): EigResult {
  return run(prepEig(a, options, true)) as EigResult
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
export function eigvals(a: MatrixInput, options?: FiniteOptions): ComplexArray {
  return run(prepEig(a, options, false)) as ComplexArray
}

/** Options of {@link eigh} and {@link eigvalsh}. */
export interface EighOptions extends FiniteOptions {
  /** Read a's lower triangle (else the upper one). @default true */
  lower?: boolean
  /** Keep only the eigenvalues with these indices, inclusive, ascending order, 0-based: [lo, hi]. @default all */
  subsetByIndex?: [number, number]
}

/** `a v = v diag(w)`, v orthonormal. */
export interface EighResult {
  /** Eigenvalues, ascending. */
  w: RealArray
  /** Eigenvectors as columns. */
  v: RealArray
}

function prepEigh(a: unknown, options: unknown, vectors: boolean): Call<EighResult | RealArray> {
  const o = checkOptions(options)
  const A = asSquare(a, 'a', checkBool(o.checkFinite, 'checkFinite', true))
  const n = A.shape[0]
  let subset: number[] | undefined
  if (o.subsetByIndex !== undefined && o.subsetByIndex !== null) {
    const s = o.subsetByIndex
    if (!Array.isArray(s) || s.length !== 2 || !s.every((v) => typeof v === 'number' && Number.isInteger(v))) {
      throw typeError('subsetByIndex', 'a pair of integers [lo, hi]', s)
    }
    if (!(s[0] >= 0 && s[0] <= s[1] && s[1] < n)) {
      throw new RangeError(`subsetByIndex must satisfy 0 <= lo <= hi < ${n}; got [${s.join(', ')}]`)
    }
    subset = s
  }
  return make({ op: 'eigh', lower: checkBool(o.lower, 'lower', true), vectors, subset }, [A], [[n, n]], (outs, single) =>
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
export function eigh(a: MatrixInput, options?: EighOptions): EighResult {
  return run(prepEigh(a, options, true)) as EighResult
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
export function eigvalsh(a: MatrixInput, options?: EighOptions): RealArray {
  return run(prepEigh(a, options, false)) as RealArray
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
export function expm(a: MatrixInput, options?: FiniteOptions): RealArray {
  return run(prepExpm(a, options))
}

function prepCond(a: unknown, p: unknown): Call<number> {
  const A = asMatrix(a, 'a', true)
  let ord: string | undefined
  if (p !== undefined && p !== null) {
    ord = MATRIX_ORDS.get(p)
    if (ord === undefined) throw new RangeError(`p must be 'fro', 'nuc', 1, -1, 2, -2, Infinity or -Infinity; got ${String(p)}`)
  }
  if (ord !== undefined && ord !== '2' && ord !== '-2' && A.shape[0] !== A.shape[1]) {
    throw new RangeError(`a must be square for a condition number in the ${String(p)}-norm; got shape [${A.shape.join(', ')}]`)
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
  return run(prepCond(a, p))
}

function prepRank(a: unknown, options: unknown): Call<number> {
  const o = checkOptions(options)
  const A = asReal(a, 'a', true)
  if (A.shape.length > 2) throw new RangeError(`a must be 1-D or 2-D; got shape [${A.shape.join(', ')}]`)
  const dims: [number, number] = A.shape.length === 2 ? (A.shape as [number, number]) : [1, A.shape[0]]
  return make({ op: 'matrixRank', tol: checkNumber(o.tol, 'tol') }, [A], [dims], (outs) => scalar(outs[0]))
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
  return run(prepRank(a, options))
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
export function solveAsync(a: MatrixInput, b: MatrixInput, options?: SolveOptions & AsyncOptions): Promise<RealArray> {
  return runAsync(() => prepSolve(a, b, options), options)
}
/** Promise form of {@link solveTriangular} (see {@link solveAsync}). @example `await solveTriangularAsync(l, b, { lower: true })` */
export function solveTriangularAsync(a: MatrixInput, b: MatrixInput, options?: SolveTriangularOptions & AsyncOptions): Promise<RealArray> {
  return runAsync(() => prepSolveTriangular(a, b, options), options)
}
/** Promise form of {@link inv} (see {@link solveAsync}). @example `await invAsync(a)` */
export function invAsync(a: MatrixInput, options?: FiniteOptions & AsyncOptions): Promise<RealArray> {
  return runAsync(() => prepInv(a, options), options)
}
/** Promise form of {@link det} (see {@link solveAsync}). @example `await detAsync(a)` */
export function detAsync(a: MatrixInput, options?: FiniteOptions & AsyncOptions): Promise<number> {
  return runAsync(() => prepDet(a, options), options)
}
/** Promise form of {@link slogdet} (see {@link solveAsync}). @example `await slogdetAsync(a)` */
export function slogdetAsync(a: MatrixInput, options?: FiniteOptions & AsyncOptions): Promise<SlogdetResult> {
  return runAsync(() => prepSlogdet(a, options), options)
}
/** Promise form of {@link lstsq} (see {@link solveAsync}). @example `await lstsqAsync(a, b)` */
export function lstsqAsync(a: MatrixInput, b: MatrixInput, options?: LstsqOptions & AsyncOptions): Promise<LstsqResult> {
  return runAsync(() => prepLstsq(a, b, options), options)
}
/** Promise form of {@link pinv} (see {@link solveAsync}). @example `await pinvAsync(a)` */
export function pinvAsync(a: MatrixInput, options?: PinvOptions & AsyncOptions): Promise<RealArray> {
  return runAsync(() => prepPinv(a, options), options)
}
/** Promise form of {@link norm} (see {@link solveAsync}). @example `await normAsync(a, { ord: 2 })` */
export function normAsync(a: MatrixInput, options?: NormOptions & AsyncOptions): Promise<number | RealArray> {
  return runAsync(() => prepNorm(a, options), options)
}
/** Promise form of {@link matmul} (see {@link solveAsync}). @example `await matmulAsync(a, b)` */
export function matmulAsync(a: MatrixInput, b: MatrixInput, options?: AsyncOptions): Promise<RealArray> {
  return runAsync(() => prepMatmul(a, b), options)
}
/** Promise form of {@link lu} (see {@link solveAsync}). @example `const { p, l, u } = await luAsync(a)` */
export function luAsync(a: MatrixInput, options?: LuOptions & AsyncOptions): Promise<LuResult | LuPermutedResult> {
  return runAsync(() => prepLu(a, options), options)
}
/** Promise form of {@link luFactor} (see {@link solveAsync}). @example `await luFactorAsync(a)` */
export function luFactorAsync(a: MatrixInput, options?: FiniteOptions & AsyncOptions): Promise<LuFactorResult> {
  return runAsync(() => prepLuFactor(a, options), options)
}
/** Promise form of {@link luSolve} (see {@link solveAsync}). @example `await luSolveAsync(f, b)` */
export function luSolveAsync(luAndPiv: LuFactorResult, b: MatrixInput, options?: FiniteOptions & { trans?: 0 | 1 | 2 | 'N' | 'T' | 'C' } & AsyncOptions): Promise<RealArray> {
  return runAsync(() => prepLuSolve(luAndPiv, b, options), options)
}
/** Promise form of {@link qr} (see {@link solveAsync}). @example `const { q, r } = await qrAsync(a)` */
export function qrAsync(a: MatrixInput, options?: QrOptions & AsyncOptions): Promise<QrResult | QrROnly> {
  return runAsync(() => prepQr(a, options), options)
}
/** Promise form of {@link cholesky} (see {@link solveAsync}). @example `await choleskyAsync(a, { lower: true })` */
export function choleskyAsync(a: MatrixInput, options?: CholeskyOptions & AsyncOptions): Promise<RealArray> {
  return runAsync(() => prepCholesky(a, options), options)
}
/** Promise form of {@link choFactor} (see {@link solveAsync}). @example `await choFactorAsync(a)` */
export function choFactorAsync(a: MatrixInput, options?: CholeskyOptions & AsyncOptions): Promise<ChoFactorResult> {
  return runAsync(() => prepChoFactor(a, options), options)
}
/** Promise form of {@link choSolve} (see {@link solveAsync}). @example `await choSolveAsync(f, b)` */
export function choSolveAsync(cAndLower: ChoFactorResult, b: MatrixInput, options?: FiniteOptions & AsyncOptions): Promise<RealArray> {
  return runAsync(() => prepChoSolve(cAndLower, b, options), options)
}
/** Promise form of {@link svd} (see {@link solveAsync}). @example `const { u, s, vh } = await svdAsync(a)` */
export function svdAsync(a: MatrixInput, options?: SvdOptions & AsyncOptions): Promise<SvdResult | RealArray> {
  return runAsync(() => prepSvd(a, options), options)
}
/** Promise form of {@link svdvals} (see {@link solveAsync}). @example `await svdvalsAsync(a)` */
export function svdvalsAsync(a: MatrixInput, options?: FiniteOptions & AsyncOptions): Promise<RealArray> {
  return runAsync(() => prepSvd(a, options, false) as Call<RealArray>, options)
}
/** Promise form of {@link eig} (see {@link solveAsync}). @example `const { w, vr } = await eigAsync(a)` */
export function eigAsync(a: MatrixInput, options?: FiniteOptions & AsyncOptions): Promise<EigResult> {
  return runAsync(() => prepEig(a, options, true) as Call<EigResult>, options)
}
/** Promise form of {@link eigvals} (see {@link solveAsync}). @example `await eigvalsAsync(a)` */
export function eigvalsAsync(a: MatrixInput, options?: FiniteOptions & AsyncOptions): Promise<ComplexArray> {
  return runAsync(() => prepEig(a, options, false) as Call<ComplexArray>, options)
}
/** Promise form of {@link eigh} (see {@link solveAsync}). @example `const { w, v } = await eighAsync(a)` */
export function eighAsync(a: MatrixInput, options?: EighOptions & AsyncOptions): Promise<EighResult> {
  return runAsync(() => prepEigh(a, options, true) as Call<EighResult>, options)
}
/** Promise form of {@link eigvalsh} (see {@link solveAsync}). @example `await eigvalshAsync(a)` */
export function eigvalshAsync(a: MatrixInput, options?: EighOptions & AsyncOptions): Promise<RealArray> {
  return runAsync(() => prepEigh(a, options, false) as Call<RealArray>, options)
}
/** Promise form of {@link expm} (see {@link solveAsync}). @example `await expmAsync(a)` */
export function expmAsync(a: MatrixInput, options?: FiniteOptions & AsyncOptions): Promise<RealArray> {
  return runAsync(() => prepExpm(a, options), options)
}
/** Promise form of {@link cond} (see {@link solveAsync}). @example `await condAsync(a)` */
export function condAsync(a: MatrixInput, p?: NormOrd | null, options?: AsyncOptions): Promise<number> {
  return runAsync(() => prepCond(a, p), options)
}
/** Promise form of {@link matrixRank} (see {@link solveAsync}). @example `await matrixRankAsync(a)` */
export function matrixRankAsync(a: MatrixInput, options?: { tol?: number } & AsyncOptions): Promise<number> {
  return runAsync(() => prepRank(a, options), options)
}
