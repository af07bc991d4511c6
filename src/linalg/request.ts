// musique/linalg/request: options, argument checks and the call into the binding, shared by every function.

import { checkSignal, withAbort } from '../internal/async'
import { abortError, callNative, checkOptions, rangeErrorMessage, typeError, valueError } from '../internal/errors'
import native = require('../internal/native')
import { boolOption } from '../internal/options'
import { asNDArray, type NDArray } from '../ndarray'
import { blasThreads } from '../workers'
import type { ComplexArray, RealArray } from './types'

export type Out = { kind: 'real' | 'complex' | 'int'; shape: number[]; data: Float64Array | Float32Array | Int32Array }

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
export interface Call<R> {
  req: Omit<Request, 'threads'>
  inputs: (Float64Array | Float32Array)[]
  shapes: number[]
  finish: (outs: Out[]) => R
}

// ---------------------------------------------------------------- arguments

/** An options object whose keys were checked against its function's list. */
export type Opts = Record<string, unknown>

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
export function opts(options: unknown, fn: Fn, where: string = fn, extra: readonly string[] = []): Opts {
  const o = checkOptions(options, where, [...KEYS[fn], ...extra])
  boolOption(o.overwriteA, 'overwriteA', false)
  boolOption(o.overwriteB, 'overwriteB', false)
  return o
}

export function finiteOpt(o: Opts): boolean {
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
export function asReal(x: unknown, name: string, finite: boolean): NDArray<'float64' | 'float32'> {
  const a = asNDArray(x, name)
  if (a.dtype === 'complex128' || a.dtype === 'complex64') {
    throw typeError(name, 'a real array (float64 or float32); complex matrices are not supported yet', a.dtype)
  }
  if (finite) checkFinite(a, name)
  return a as NDArray<'float64' | 'float32'>
}

export function asMatrix(x: unknown, name: string, finite: boolean): NDArray<'float64' | 'float32'> {
  const a = asReal(x, name, finite)
  if (a.shape.length !== 2) {
    throw rangeErrorMessage(`${name} must be a 2-D array (a matrix); got shape [${a.shape.join(', ')}]`, 'ERR_INVALID_ARG_VALUE')
  }
  return a
}

export function asSquare(x: unknown, name: string, finite: boolean): NDArray<'float64' | 'float32'> {
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

export function make<R>(req: Omit<Request, 'threads'>, arrays: NDArray<'float64' | 'float32'>[], dims: [number, number][], finish: (outs: Out[], single: boolean) => R): Call<R> {
  const { single, data } = unify(arrays)
  return { req, inputs: data, shapes: dims.flat(), finish: (outs) => finish(outs, single) }
}

// ---------------------------------------------------------------- results

export function real(o: Out, single: boolean, shape = o.shape): RealArray {
  return { data: o.data as Float64Array | Float32Array, shape, dtype: single ? 'float32' : 'float64' } as RealArray
}

export function cplx(o: Out, single: boolean): ComplexArray {
  return { data: o.data as Float64Array | Float32Array, shape: o.shape, dtype: single ? 'complex64' : 'complex128' } as ComplexArray
}

export function scalar(o: Out): number {
  return o.data[0]
}

// ---------------------------------------------------------------- running

/** Runs `call` on the calling thread; `name` (the function called) is named in the binding's messages. */
export function run<R>(call: Call<R>, name: string): R {
  const outs = callNative(() => native.linalgExecute({ ...call.req, name, threads: blasThreads() }, call.inputs as Float64Array[], call.shapes)) as Out[]
  return call.finish(outs)
}

/** The Promise form of `fn`: options checked with 'signal' known too, then `prepare` (which ignores signal). */
export async function runAsync<R>(fn: Fn, options: unknown, prepare: (o: Opts) => Call<R>): Promise<R> {
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
export function rhs(b: unknown, n: number | undefined, finite: boolean, name = 'b'): { b: NDArray<'float64' | 'float32'>; k: number; vector: boolean } {
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


export function prepSquare<R>(op: string, a: unknown, o: Opts, finish: (outs: Out[], single: boolean, n: number) => R, extra: Omit<Request, 'threads' | 'op'> = {}): Call<R> {
  const A = asSquare(a, 'a', finiteOpt(o))
  const n = A.shape[0]
  return make({ op, ...extra }, [A], [[n, n]], (outs, single) => finish(outs, single, n))
}

/** SciPy's trans argument (solve_triangular, lu_solve) as the binding's 0, 1 or 2. */
const TRANS = new Map<unknown, number>([
  [0, 0],
  [1, 1],
  [2, 2],
  ['N', 0],
  ['T', 1],
  ['C', 2],
])

export function checkTrans(t: unknown): number {
  if (t === undefined || t === null) return 0
  const expected = "0, 1, 2, 'N', 'T' or 'C'"
  if (typeof t !== 'number' && typeof t !== 'string') throw typeError('trans', expected, t)
  const v = TRANS.get(t)
  if (v === undefined) throw valueError('trans', expected, t)
  return v
}
