// musique/fft: all of scipy.fft. Arguments are validated and normalised here,
// once, into a request; the transform itself runs in Rust (musique-fft).
//
// Every transform has one signature shape, as in SciPy:
//   1-D: f(x, { n, axis, norm, workers })      n-D: f(x, { s, axes, norm, workers })
// and a Promise form `fAsync(x, { ...options, signal })` that runs off the JS
// thread on Musique's own pool. An options object may hold only its function's
// keys (anything else is a TypeError, code ERR_UNKNOWN_OPTION, naming the
// nearest valid key), every value is checked by SciPy's rule, and `null`
// stands for the default, as SciPy's None.
//
// Sizes: the binding refuses a request whose memory cannot be had before it
// allocates anything: a RangeError (code ERR_OUT_OF_RANGE) naming the size,
// "cannot allocate 32.0 GiB for the result of fft (21.0 GiB available)", when
// the result has more values than a typed array holds (2**32 in Node 20) or
// the result, with the plans, scratch and intermediates the transform needs,
// is more than the memory available (Linux: free memory and swap, the
// cgroup's limit, `ulimit -v`). Axes are padded and cropped one at a time,
// cropping first, so that no intermediate exceeds the larger of input and
// result (crates/musique-fft/src/memory.rs).

import { checkSignal, withAbort } from './internal/async'
import {
  abortError,
  callNative,
  checkOptions,
  rangeError,
  rangeErrorMessage,
  typeError,
  typeErrorMessage,
  valueError,
} from './internal/errors'
import native = require('./internal/native')
import { boolOption, oneOf } from './internal/options'
import { type ArrayInput, asNDArray, type ComplexOf, type DType, type DTypeOf, isComplex, type NDArray, product, type RealOf } from './ndarray'
import { encodeRequest, header, type Kind, NORM_NAMES, SMALL_RESULT } from './internal/request'
import { resolveWorkers, type Workers } from './workers'

/** scipy.fft's normalization mode. 'backward' (default): forward unscaled, inverse scaled by 1/n; 'ortho': both by 1/√n; 'forward': forward by 1/n. */
export type Norm = 'backward' | 'ortho' | 'forward'

/** Options shared by every transform. */
export interface TransformOptions {
  /** Normalization mode. @default 'backward' */
  norm?: Norm
  /** Threads for the batch of 1-D transforms: n ≥ 1, -1 for all cores, other negatives wrap. @default getWorkers() (1) */
  workers?: Workers
  /**
   * If true, the contents of `x` may be destroyed (SciPy's `overwrite_x`). A
   * complex-to-complex transform of complex input (fft, ifft, fft2, ifft2,
   * fftn, ifftn) or a DCT/DST of real input that pads and crops nothing is
   * then computed in `x.data` itself, and the result's `data` is that same
   * typed array: no memory is allocated for the result, which for large
   * arrays also spares the JS engine's garbage collector. Other transforms,
   * input backed by a SharedArrayBuffer (which other threads may be reading),
   * and the Promise forms (which work on their own copy of the input), behave
   * as with false.
   * @default false
   * @example
   * ```ts
   * const spectrum = fft2(frame, { overwriteX: true }) // spectrum.data === frame.data
   * ```
   */
  overwriteX?: boolean
}

/** Options of a 1-D transform. */
export interface FftOptions extends TransformOptions {
  /** Length of the transformed axis; the input is cropped or zero-padded to it. @default x.shape[axis] */
  n?: number
  /** Axis over which to compute the transform (negative counts from the end). @default -1 */
  axis?: number
}

/** Options of an n-D transform. */
export interface FftnOptions extends TransformOptions {
  /**
   * Length of each transformed axis, one integer or an array (-1 keeps the input's length,
   * on the last axis of irfftn/hfftn too). @default the input's lengths along `axes`
   * (2 (m - 1) on the last axis of irfftn/hfftn, for m input points)
   */
  s?: number | number[]
  /**
   * Axes over which to compute the transform, one integer or an array. `[]` (or a 0-d
   * input) transforms nothing: the input comes back as it is, as in SciPy, except from
   * rfftn/irfftn/hfftn/ihfftn and their 2-D forms, which need an axis.
   * @default all axes (the last `s.length` axes when `s` is given; [-2, -1] for the 2-D functions, even with `s`)
   */
  axes?: number | number[]
}

/** Extra options of DCT/DST functions. */
export interface DctExtra {
  /** Transform type, 1 to 4. @default 2 */
  type?: 1 | 2 | 3 | 4
  /** Weight the first/last terms so the basis is orthonormal. @default true when norm is 'ortho', else false */
  orthogonalize?: boolean
}

/** Options of dct, idct, dst and idst. */
export interface DctOptions extends FftOptions, DctExtra {}

/** Options of dctn, idctn, dstn and idstn. */
export interface DctnOptions extends FftnOptions, DctExtra {}

/** Options of every Promise form: an AbortSignal that rejects the call and stops work already running. */
export interface AsyncOptions {
  /** Rejects the call with the signal's reason (an AbortError) and stops work already running. */
  signal?: AbortSignal
}

interface Call {
  req: number[]
  data: Float64Array | Float32Array
  outShape: number[]
  outDtype: NDArray['dtype']
  /** overwriteX was asked and the result has the input's layout: a sync call computes it in `data`. */
  inPlace: boolean
}

/** SciPy's norm names, in the order of their wire codes (the binding's table). */
const NORMS = NORM_NAMES as readonly Norm[]

/** Lengths travel in a Uint32Array (the request header). */
const MAX_LEN = 2 ** 32 - 1

function checkNorm(norm: unknown): Norm {
  if (norm === undefined || norm === null) return 'backward'
  if (typeof norm !== 'string') throw typeError('norm', oneOf(NORMS), norm)
  if (!(NORMS as readonly string[]).includes(norm)) {
    const names = NORMS.map((v) => `"${v}"`)
    // SciPy's ValueError, word for word.
    throw rangeErrorMessage(
      `Invalid norm value '${norm}', should be ${names.slice(0, -1).join(', ')} or ${names[names.length - 1]}`,
      'ERR_INVALID_ARG_VALUE',
    )
  }
  return norm as Norm
}

function checkInt(value: unknown, name: string, expected = 'an integer'): number {
  if (typeof value !== 'number') throw typeError(name, expected, value)
  if (!Number.isInteger(value)) throw rangeError(name, expected, value)
  return value
}

/** A 1-D length (`n`): an integer from 1 to 2**32 - 1. */
function checkLen(value: unknown, name: string): number {
  const n = checkInt(value, name)
  if (n < 1) throw rangeErrorMessage(`${name} must be at least 1; got ${n} (invalid number of data points (${n}) specified)`)
  if (n > MAX_LEN) throw rangeError(name, 'below 2**32', n)
  return n
}

function wrapAxis(axis: unknown, ndim: number, name: 'axis' | 'axes'): number {
  const a = checkInt(axis, name, name === 'axes' ? 'an integer or an array of integers' : 'an integer')
  if (a < -ndim || a >= ndim) {
    const scipy = name === 'axes' ? ' (axes exceeds dimensionality of input)' : ''
    throw rangeErrorMessage(`${name} ${a} is out of bounds for array of dimension ${ndim}${scipy}`)
  }
  return a < 0 ? a + ndim : a
}

/** `s` or `axes`: one integer, or an array of them (SciPy takes a scalar for either). */
function intList(value: unknown, name: 's' | 'axes'): number[] | undefined {
  if (value === undefined || value === null) return undefined
  const expected = 'an integer or an array of integers'
  if (typeof value === 'number') return [checkInt(value, name, expected)]
  if (!Array.isArray(value)) throw typeError(name, expected, value)
  return value.map((v) => checkInt(v, name, expected))
}

const list = (v: readonly unknown[]): string => `[${v.join(', ')}]`

interface AxesLengths {
  /** The transformed axes, wrapped (non-negative) and unique. */
  axes: number[]
  /** Transform length along each: `s` with -1 replaced by the input's length, else the input's length. */
  lens: number[]
  /** Whether each length was given (`n`, or an `s` entry other than -1). */
  given: boolean[]
  /** Whether `s` (or `n`) was given at all. */
  sGiven: boolean
}

/**
 * SciPy's `_init_nd_shape_and_axes`: axes (wrapped, unique) and the transform
 * length along each. `defaultAxes` (the 2-D functions' [-2, -1]) stands for
 * `axes` when it is not given, even with `s`, as in SciPy.
 */
function shapeAndAxes(shape: number[], sRaw: unknown, axesRaw: unknown, defaultAxes?: number[]): AxesLengths {
  const ndim = shape.length
  const s = intList(sRaw, 's')
  let ax = intList(axesRaw, 'axes') ?? defaultAxes
  if (ax !== undefined) {
    const raw = ax
    ax = ax.map((a) => wrapAxis(a, ndim, 'axes'))
    if (new Set(ax).size !== ax.length) {
      throw rangeErrorMessage(`axes must be unique (each axis at most once); got ${list(raw)} (all axes must be unique)`, 'ERR_INVALID_ARG_VALUE')
    }
    if (s !== undefined && s.length !== ax.length) {
      throw rangeErrorMessage(
        `s must be the same length as axes (${ax.length}) when both are given; got ${list(s)} (when given, axes and shape arguments have to be of the same length)`,
        'ERR_INVALID_ARG_VALUE',
      )
    }
  } else if (s !== undefined) {
    if (s.length > ndim) {
      throw rangeErrorMessage(`s must have at most ${ndim} entries (the array's dimensions); got ${list(s)} (shape requires more axes than are present)`)
    }
    ax = s.map((_, i) => ndim - s.length + i)
  } else {
    ax = shape.map((_, i) => i)
  }
  const axes = ax
  if (s === undefined) return { axes, lens: axes.map((a) => shape[a]), given: axes.map(() => false), sGiven: false }
  const lens = s.map((v, i) => (v === -1 ? shape[axes[i]] : v))
  if (s.some((v) => v < 1 && v !== -1)) {
    throw rangeErrorMessage(`s must hold positive integers, or -1 for the input's length; got ${list(s)} (invalid number of data points (${list(lens)}) specified)`)
  }
  if (lens.some((n) => n > MAX_LEN)) throw rangeError('s', 'below 2**32 in each entry', list(s))
  return { axes, lens, given: s.map((v) => v !== -1), sGiven: true }
}

/** Refuses a zero transform length; `nd` gives SciPy's list of lengths in the message. */
function checkNonEmpty(l: AxesLengths, what: 'n' | 's', nd: boolean): void {
  const i = l.lens.findIndex((n) => n < 1)
  if (i < 0) return
  const points = nd ? list(l.lens) : String(l.lens[i])
  throw rangeErrorMessage(
    `x must have at least 1 element along axis ${l.axes[i]}; got 0 (invalid number of data points (${points}) specified; pass ${what} to zero-pad)`,
  )
}

interface Spec {
  kind: Kind
  /** c2c direction. */
  forward?: boolean
  /** r2c: ihfft; c2r: hfft. */
  hermitian?: boolean
  /** dct/dst: the inverse transform. */
  inverse?: boolean
  /** 1-D function (n, axis) or n-D (s, axes). */
  nd: boolean
  /** Default axes of an n-D function ([-2, -1] for the 2-D ones). */
  defaultAxes?: number[]
  name: string
}

/** A Spec with the option keys its sync and Promise forms know. */
interface FullSpec extends Spec {
  keys: readonly string[]
  asyncKeys: readonly string[]
}

function spec(s: Spec): FullSpec {
  const keys = [
    ...(s.nd ? ['s', 'axes'] : ['n', 'axis']),
    'norm',
    'workers',
    'overwriteX',
    ...(s.kind === 'dct' || s.kind === 'dst' ? ['type', 'orthogonalize'] : []),
  ]
  // The same fields in the same order for every spec: one object shape where prepare reads them.
  const { kind, forward, hermitian, inverse, nd, defaultAxes, name } = s
  return { kind, forward, hermitian, inverse, nd, defaultAxes, name, keys, asyncKeys: [...keys, 'signal'] }
}

/** A transform over no axis (0-d input, `axes: []`): SciPy returns the input itself. */
interface Unchanged {
  unchanged: NDArray
}

/** Validates `x` and `options` for one transform and builds its request. */
function prepare(spec: FullSpec, x: unknown, options: unknown, isAsync = false): Call | Call[] | Unchanged {
  const opts = isAsync ? checkOptions(options, `${spec.name}Async`, spec.asyncKeys) : checkOptions(options, spec.name, spec.keys)
  const a = asNDArray(x, 'x')
  const complexIn = isComplex(a.dtype)
  const single = a.dtype === 'float32' || a.dtype === 'complex64'
  const norm = checkNorm(opts.norm)
  const workers = resolveWorkers((opts.workers ?? undefined) as Workers | undefined)
  const overwriteX = boolOption(opts.overwriteX, 'overwriteX', false)
  const r2r = spec.kind === 'dct' || spec.kind === 'dst'
  let kindType = 0
  let orthogonalize = false
  if (r2r) {
    const type = opts.type ?? 2
    if (typeof type !== 'number') throw typeError('type', '1, 2, 3 or 4', type)
    if (![1, 2, 3, 4].includes(type)) throw valueError('type', '1, 2, 3 or 4', type)
    kindType = type
    orthogonalize = boolOption(opts.orthogonalize, 'orthogonalize', norm === 'ortho')
  }
  if (spec.kind === 'r2c' && complexIn) {
    throw typeErrorMessage(`x must be a real sequence (${spec.name} takes real input; use ${spec.nd ? 'fftn' : 'fft'} for complex); got '${a.dtype}'`)
  }

  let l: AxesLengths
  if (spec.nd) {
    l = shapeAndAxes(a.shape, opts.s, opts.axes, spec.defaultAxes)
    if (l.axes.length === 0) {
      if (spec.kind === 'r2c' || spec.kind === 'c2r') {
        const got = a.shape.length === 0 ? 'a 0-d array' : 'axes []'
        throw rangeErrorMessage(`${spec.name} must transform at least one axis; got ${got} (at least 1 axis must be transformed)`, 'ERR_INVALID_ARG_VALUE')
      }
      return { unchanged: { data: a.data, shape: [...a.shape], dtype: a.dtype } as NDArray }
    }
  } else {
    const axis = wrapAxis(opts.axis ?? -1, a.shape.length, 'axis')
    const n = opts.n === undefined || opts.n === null ? undefined : checkLen(opts.n, 'n')
    l = { axes: [axis], lens: [n ?? a.shape[axis]], given: [n !== undefined], sGiven: n !== undefined }
  }
  const { axes, lens, given } = l
  const what = spec.nd ? 's' : 'n'

  const last = axes.length - 1
  const outShape = [...a.shape]
  axes.forEach((ax, i) => (outShape[ax] = lens[i]))
  switch (spec.kind) {
    case 'c2c':
      checkNonEmpty(l, what, spec.nd)
      break
    case 'r2c':
      checkNonEmpty(l, what, spec.nd)
      outShape[axes[last]] = Math.floor(lens[last] / 2) + 1
      break
    case 'c2r': {
      // The real output length along the last axis defaults to 2 (m - 1);
      // an `s` entry of -1 keeps the input's m, as SciPy does.
      const m = a.shape[axes[last]]
      if (!l.sGiven) {
        // An empty axis first, with SciPy's list of the input's lengths.
        checkNonEmpty(l, what, spec.nd)
        lens[last] = 2 * (m - 1)
        if (lens[last] < 1) {
          throw rangeErrorMessage(
            `x must have at least 2 elements along axis ${axes[last]} to infer the output length; got ${m} (invalid number of data points (${lens[last]}) specified; pass ${what})`,
          )
        }
      }
      checkNonEmpty(l, what, spec.nd)
      outShape[axes[last]] = lens[last]
      break
    }
    case 'dct':
    case 'dst': {
      const min = spec.kind === 'dct' && kindType === 1 ? 2 : 1
      lens.forEach((n, i) => {
        if (n < min) {
          const head = given[i] ? `${what} must be at least ${min}` : `x must have at least ${min} elements along axis ${axes[i]}`
          throw rangeErrorMessage(
            `${head} for a type ${kindType} ${spec.kind.toUpperCase()}; got ${n} (invalid number of data points (${n}) specified)`,
          )
        }
      })
      break
    }
  }
  // The result's size is the binding's to judge, with the memory it needs beside it
  // (RangeError ERR_OUT_OF_RANGE: "cannot allocate 32.0 GiB for the result of fft").

  const outComplex = spec.kind === 'c2c' || spec.kind === 'r2c'
  const outDtype = outComplex ? (single ? 'complex64' : 'complex128') : single ? 'float32' : 'float64'
  // In place (only asked for with overwriteX, so a default call skips the test): the result
  // has the input's dtype and shape (complex to complex, or real to real), no axis is padded
  // or cropped, and there is something to transform.
  // Never in shared memory: other threads may read or write it while the transform runs,
  // and the kernels assume the values they overwrite are theirs alone (docs/thread-safety.md).
  const inPlace =
    overwriteX &&
    ((spec.kind === 'c2c' && complexIn) || (r2r && !complexIn)) &&
    axes.every((ax, i) => lens[i] === a.shape[ax]) &&
    a.data.length > 0 &&
    !(a.data.buffer instanceof SharedArrayBuffer)
  const req = (data: Float64Array | Float32Array, realInput: boolean): Call => ({
    req: encodeRequest({
      kind: spec.kind,
      shape: a.shape,
      axes,
      lens,
      forward: spec.forward ?? true,
      hermitian: spec.hermitian ?? false,
      inverse: spec.inverse ?? false,
      type: kindType,
      orthogonalize,
      norm,
      realInput,
      workers,
      name: spec.name,
    }),
    data,
    outShape,
    outDtype,
    inPlace: inPlace && data === a.data,
  })
  if (r2r && complexIn) {
    // As SciPy does: transform the real and imaginary parts separately.
    return [req(strided(a.data, 0), false), req(strided(a.data, 1), false)]
  }
  return req(a.data, !complexIn && (spec.kind === 'c2c' || spec.kind === 'c2r'))
}

function strided(data: Float64Array | Float32Array, offset: 0 | 1): Float64Array | Float32Array {
  const out = new (data.constructor as Float64ArrayConstructor)(data.length / 2)
  for (let i = 0; i < out.length; i++) out[i] = data[2 * i + offset]
  return out
}

function interleave(re: Float64Array | Float32Array, im: Float64Array | Float32Array): Float64Array | Float32Array {
  const out = new (re.constructor as Float64ArrayConstructor)(re.length * 2)
  for (let i = 0; i < re.length; i++) {
    out[2 * i] = re[i]
    out[2 * i + 1] = im[i]
  }
  return out
}

function wrap(call: Call, data: Float64Array | Float32Array): NDArray {
  return { data, shape: call.outShape, dtype: call.outDtype } as NDArray
}

/**
 * One sync transform. A small result goes into memory allocated here without
 * zero-filling (Buffer.allocUnsafeSlow: the transform writes every value), which
 * at n = 1024 costs a third of what a zero-filled ArrayBuffer costs.
 */
function execute(call: Call): Float64Array | Float32Array {
  if (call.inPlace) {
    callNative(() => native.fftExecuteInPlace(header(call.req), call.data))
    return call.data
  }
  const single = call.data instanceof Float32Array
  const len = product(call.outShape) * (isComplex(call.outDtype) ? 2 : 1)
  const bytes = len * (single ? 4 : 8)
  if (bytes === 0 || bytes >= SMALL_RESULT) return callNative(() => native.fftExecute(header(call.req), call.data))
  const buf = Buffer.allocUnsafeSlow(bytes)
  const out = single ? new Float32Array(buf.buffer, buf.byteOffset, len) : new Float64Array(buf.buffer, buf.byteOffset, len)
  callNative(() => native.fftExecuteInto(header(call.req), call.data, out))
  return out
}

function run(call: Call | Call[] | Unchanged): NDArray {
  if ('unchanged' in call) return call.unchanged
  if (Array.isArray(call)) {
    const [re, im] = call.map((c) => execute(c))
    return { data: interleave(re, im), shape: call[0].outShape, dtype: call[0].data instanceof Float32Array ? 'complex64' : 'complex128' } as NDArray
  }
  return wrap(call, execute(call))
}

/** Starts one native async transform; the running work stops between blocks of lines when `signal` aborts. */
function start(call: Call, signal: AbortSignal | undefined): Promise<Float64Array | Float32Array> {
  // A request refused before it starts (its memory cannot be had) throws here, and rejects as its JS class.
  return withAbort((token) => callNative(() => native.fftExecuteAsync(header(call.req), call.data, token)), signal)
}

async function runAsync(spec: FullSpec, x: unknown, options: unknown): Promise<NDArray> {
  const signal = checkSignal(checkOptions(options, `${spec.name}Async`, spec.asyncKeys).signal)
  if (signal?.aborted) throw abortError(signal)
  const call = prepare(spec, x, options, true)
  // A Promise form owns its input (it copies it first), so an unchanged input comes back as a copy.
  if ('unchanged' in call) return { ...call.unchanged, data: call.unchanged.data.slice(), shape: [...call.unchanged.shape] } as NDArray
  if (Array.isArray(call)) {
    const [re, im] = await Promise.all(call.map((c) => start(c, signal)))
    return { data: interleave(re, im), shape: call[0].outShape, dtype: call[0].data instanceof Float32Array ? 'complex64' : 'complex128' } as NDArray
  }
  return wrap(call, await start(call, signal))
}

const FFT = spec({ kind: 'c2c', forward: true, nd: false, name: 'fft' })
const IFFT = spec({ kind: 'c2c', forward: false, nd: false, name: 'ifft' })
const FFT2 = spec({ kind: 'c2c', forward: true, nd: true, defaultAxes: [-2, -1], name: 'fft2' })
const IFFT2 = spec({ kind: 'c2c', forward: false, nd: true, defaultAxes: [-2, -1], name: 'ifft2' })
const FFTN = spec({ kind: 'c2c', forward: true, nd: true, name: 'fftn' })
const IFFTN = spec({ kind: 'c2c', forward: false, nd: true, name: 'ifftn' })
const RFFT = spec({ kind: 'r2c', nd: false, name: 'rfft' })
const IRFFT = spec({ kind: 'c2r', nd: false, name: 'irfft' })
const RFFT2 = spec({ kind: 'r2c', nd: true, defaultAxes: [-2, -1], name: 'rfft2' })
const IRFFT2 = spec({ kind: 'c2r', nd: true, defaultAxes: [-2, -1], name: 'irfft2' })
const RFFTN = spec({ kind: 'r2c', nd: true, name: 'rfftn' })
const IRFFTN = spec({ kind: 'c2r', nd: true, name: 'irfftn' })
const HFFT = spec({ kind: 'c2r', hermitian: true, nd: false, name: 'hfft' })
const IHFFT = spec({ kind: 'r2c', hermitian: true, nd: false, name: 'ihfft' })
const HFFT2 = spec({ kind: 'c2r', hermitian: true, nd: true, defaultAxes: [-2, -1], name: 'hfft2' })
const IHFFT2 = spec({ kind: 'r2c', hermitian: true, nd: true, defaultAxes: [-2, -1], name: 'ihfft2' })
const HFFTN = spec({ kind: 'c2r', hermitian: true, nd: true, name: 'hfftn' })
const IHFFTN = spec({ kind: 'r2c', hermitian: true, nd: true, name: 'ihfftn' })
const DCT = spec({ kind: 'dct', nd: false, name: 'dct' })
const IDCT = spec({ kind: 'dct', inverse: true, nd: false, name: 'idct' })
const DST = spec({ kind: 'dst', nd: false, name: 'dst' })
const IDST = spec({ kind: 'dst', inverse: true, nd: false, name: 'idst' })
const DCTN = spec({ kind: 'dct', nd: true, name: 'dctn' })
const IDCTN = spec({ kind: 'dct', inverse: true, nd: true, name: 'idctn' })
const DSTN = spec({ kind: 'dst', nd: true, name: 'dstn' })
const IDSTN = spec({ kind: 'dst', inverse: true, nd: true, name: 'idstn' })

/**
 * 1-D discrete Fourier transform (scipy.fft.fft).
 *
 * @param x - Real or complex input; real input is treated as complex with zero imaginary part.
 * @param options - `n` (crop/zero-pad), `axis` (default -1), `norm` (default 'backward'), `workers`, `overwriteX` (compute in `x.data`).
 * @returns Complex NDArray ('complex128', or 'complex64' for float32 input) with `shape[axis] = n`.
 * @throws TypeError for a wrong kind of argument or an unknown option (code ERR_UNKNOWN_OPTION); RangeError for n < 1, an axis out of range, or an unknown norm; RangeError ERR_OUT_OF_RANGE ("cannot allocate 32.0 GiB for the result of fft (…)") when the memory the transform needs cannot be had.
 * @see https://docs.scipy.org/doc/scipy/reference/generated/scipy.fft.fft.html
 * @example
 * ```ts
 * import { fft } from 'musique/fft'
 * fft([1, 2, 3, 4]).data // Float64Array [10, 0, -2, 2, -2, 0, -2, -2]  (10, -2+2i, -2, -2-2i)
 * ```
 */
export function fft<X extends ArrayInput>(x: X, options?: FftOptions): NDArray<ComplexOf<DTypeOf<X>>> {
  return run(prepare(FFT, x, options)) as NDArray<ComplexOf<DTypeOf<X>>>
}

/**
 * 1-D inverse discrete Fourier transform (scipy.fft.ifft).
 *
 * @param x - Real or complex input.
 * @param options - `n`, `axis` (default -1), `norm` (default 'backward': scaled by 1/n), `workers`, `overwriteX`.
 * @returns Complex NDArray.
 * @throws TypeError / RangeError as {@link fft}.
 * @see https://docs.scipy.org/doc/scipy/reference/generated/scipy.fft.ifft.html
 * @example
 * ```ts
 * import { fft, ifft } from 'musique/fft'
 * ifft(fft([1, 2, 3])).data // Float64Array [1, 0, 2, 0, 3, 0] (up to rounding)
 * ```
 */
export function ifft<X extends ArrayInput>(x: X, options?: FftOptions): NDArray<ComplexOf<DTypeOf<X>>> {
  return run(prepare(IFFT, x, options)) as NDArray<ComplexOf<DTypeOf<X>>>
}

/**
 * 2-D discrete Fourier transform over `axes` (default [-2, -1]) (scipy.fft.fft2).
 *
 * @param x - Real or complex input of at least two dimensions.
 * @param options - `s` (lengths along axes), `axes`, `norm`, `workers`, `overwriteX` (compute in `x.data`).
 * @returns Complex NDArray.
 * @throws TypeError / RangeError for bad axes, s, norm or workers.
 * @see https://docs.scipy.org/doc/scipy/reference/generated/scipy.fft.fft2.html
 * @example
 * ```ts
 * import { fft2 } from 'musique/fft'
 * fft2([[1, 2], [3, 4]]).data // Float64Array [10, 0, -2, 0, -4, 0, 0, 0]
 * ```
 */
export function fft2<X extends ArrayInput>(x: X, options?: FftnOptions): NDArray<ComplexOf<DTypeOf<X>>> {
  return run(prepare(FFT2, x, options)) as NDArray<ComplexOf<DTypeOf<X>>>
}

/**
 * 2-D inverse discrete Fourier transform (scipy.fft.ifft2).
 *
 * @see https://docs.scipy.org/doc/scipy/reference/generated/scipy.fft.ifft2.html
 * @example
 * ```ts
 * import { fft2, ifft2 } from 'musique/fft'
 * ifft2(fft2([[1, 2], [3, 4]])) // back to [[1, 2], [3, 4]] as complex128
 * ```
 */
export function ifft2<X extends ArrayInput>(x: X, options?: FftnOptions): NDArray<ComplexOf<DTypeOf<X>>> {
  return run(prepare(IFFT2, x, options)) as NDArray<ComplexOf<DTypeOf<X>>>
}

/**
 * N-D discrete Fourier transform over `axes` (default all) (scipy.fft.fftn).
 * Over no axis (`axes: []`, or a 0-d input) the input comes back unchanged, as
 * SciPy returns `x` itself: the result shares `x`'s data and keeps its dtype.
 *
 * @param options - `s` (lengths, one integer or an array; -1 keeps the input's), `axes` (one integer or an array), `norm`, `workers`, `overwriteX`.
 * @see https://docs.scipy.org/doc/scipy/reference/generated/scipy.fft.fftn.html
 * @example
 * ```ts
 * import { fftn } from 'musique/fft'
 * fftn({ data: new Float64Array(24).fill(1), shape: [2, 3, 4], dtype: 'float64' }).data[0] // 24
 * ```
 */
export function fftn<X extends ArrayInput>(x: X, options?: FftnOptions): NDArray<ComplexOf<DTypeOf<X>>> {
  return run(prepare(FFTN, x, options)) as NDArray<ComplexOf<DTypeOf<X>>>
}

/**
 * N-D inverse discrete Fourier transform (scipy.fft.ifftn).
 *
 * @see https://docs.scipy.org/doc/scipy/reference/generated/scipy.fft.ifftn.html
 * @example
 * ```ts
 * import { fftn, ifftn } from 'musique/fft'
 * ifftn(fftn([[1, 2], [3, 4]])).data // Float64Array [1, 0, 2, 0, 3, 0, 4, 0]
 * ```
 */
export function ifftn<X extends ArrayInput>(x: X, options?: FftnOptions): NDArray<ComplexOf<DTypeOf<X>>> {
  return run(prepare(IFFTN, x, options)) as NDArray<ComplexOf<DTypeOf<X>>>
}

/**
 * 1-D discrete Fourier transform of real input, non-negative frequencies only (scipy.fft.rfft).
 *
 * @param x - Real input (a complex dtype is a TypeError).
 * @returns Complex NDArray with `shape[axis] = floor(n / 2) + 1`.
 * @see https://docs.scipy.org/doc/scipy/reference/generated/scipy.fft.rfft.html
 * @example
 * ```ts
 * import { rfft } from 'musique/fft'
 * rfft([1, 2, 3, 4]).data // Float64Array [10, 0, -2, 2, -2, 0]
 * ```
 */
export function rfft<X extends ArrayInput>(x: X, options?: FftOptions): NDArray<ComplexOf<DTypeOf<X>>> {
  return run(prepare(RFFT, x, options)) as NDArray<ComplexOf<DTypeOf<X>>>
}

/**
 * Inverse of {@link rfft} (scipy.fft.irfft). The output length `n` defaults to `2 (m - 1)`
 * for `m` input points; pass `n` for odd lengths.
 *
 * @returns Real NDArray ('float64' or 'float32').
 * @see https://docs.scipy.org/doc/scipy/reference/generated/scipy.fft.irfft.html
 * @example
 * ```ts
 * import { rfft, irfft } from 'musique/fft'
 * irfft(rfft([1, 2, 3]), { n: 3 }).data // Float64Array [1, 2, 3] (up to rounding)
 * ```
 */
export function irfft<X extends ArrayInput>(x: X, options?: FftOptions): NDArray<RealOf<DTypeOf<X>>> {
  return run(prepare(IRFFT, x, options)) as NDArray<RealOf<DTypeOf<X>>>
}

/**
 * 2-D FFT of real input (scipy.fft.rfft2); the last of `axes` is halved.
 *
 * @see https://docs.scipy.org/doc/scipy/reference/generated/scipy.fft.rfft2.html
 * @example
 * ```ts
 * import { rfft2 } from 'musique/fft'
 * rfft2([[1, 2], [3, 4]]).shape // [2, 2]
 * ```
 */
export function rfft2<X extends ArrayInput>(x: X, options?: FftnOptions): NDArray<ComplexOf<DTypeOf<X>>> {
  return run(prepare(RFFT2, x, options)) as NDArray<ComplexOf<DTypeOf<X>>>
}

/**
 * Inverse of {@link rfft2} (scipy.fft.irfft2). The output length along the last
 * of `axes` defaults to `2 (m - 1)` for `m` input points; an `s` entry of -1
 * keeps the input's length there, as elsewhere.
 *
 * @see https://docs.scipy.org/doc/scipy/reference/generated/scipy.fft.irfft2.html
 * @example
 * ```ts
 * import { rfft2, irfft2 } from 'musique/fft'
 * irfft2(rfft2([[1, 2], [3, 4]])).data // Float64Array [1, 2, 3, 4]
 * ```
 */
export function irfft2<X extends ArrayInput>(x: X, options?: FftnOptions): NDArray<RealOf<DTypeOf<X>>> {
  return run(prepare(IRFFT2, x, options)) as NDArray<RealOf<DTypeOf<X>>>
}

/**
 * N-D FFT of real input (scipy.fft.rfftn).
 *
 * @see https://docs.scipy.org/doc/scipy/reference/generated/scipy.fft.rfftn.html
 * @example
 * ```ts
 * import { rfftn } from 'musique/fft'
 * rfftn({ data: new Float64Array(24), shape: [2, 3, 4], dtype: 'float64' }).shape // [2, 3, 3]
 * ```
 */
export function rfftn<X extends ArrayInput>(x: X, options?: FftnOptions): NDArray<ComplexOf<DTypeOf<X>>> {
  return run(prepare(RFFTN, x, options)) as NDArray<ComplexOf<DTypeOf<X>>>
}

/**
 * Inverse of {@link rfftn} (scipy.fft.irfftn). The output length along the last
 * of `axes` defaults to `2 (m - 1)` for `m` input points; pass `s` for odd
 * lengths (an entry of -1 keeps the input's length, on the last axis too).
 *
 * @throws RangeError for `axes: []` or 0-d input (at least 1 axis must be transformed).
 * @see https://docs.scipy.org/doc/scipy/reference/generated/scipy.fft.irfftn.html
 * @example
 * ```ts
 * import { rfftn, irfftn } from 'musique/fft'
 * irfftn(rfftn([[1, 2], [3, 4]])).data // Float64Array [1, 2, 3, 4]
 * ```
 */
export function irfftn<X extends ArrayInput>(x: X, options?: FftnOptions): NDArray<RealOf<DTypeOf<X>>> {
  return run(prepare(IRFFTN, x, options)) as NDArray<RealOf<DTypeOf<X>>>
}

/**
 * FFT of a signal with Hermitian symmetry, i.e. a real spectrum (scipy.fft.hfft).
 * Output length `n` defaults to `2 (m - 1)`.
 *
 * @returns Real NDArray.
 * @see https://docs.scipy.org/doc/scipy/reference/generated/scipy.fft.hfft.html
 * @example
 * ```ts
 * import { hfft } from 'musique/fft'
 * hfft([1, 2, 3]).data // Float64Array [8, -2, 0, -2]
 * ```
 */
export function hfft<X extends ArrayInput>(x: X, options?: FftOptions): NDArray<RealOf<DTypeOf<X>>> {
  return run(prepare(HFFT, x, options)) as NDArray<RealOf<DTypeOf<X>>>
}

/**
 * Inverse of {@link hfft} (scipy.fft.ihfft): real input, Hermitian half spectrum out.
 *
 * @see https://docs.scipy.org/doc/scipy/reference/generated/scipy.fft.ihfft.html
 * @example
 * ```ts
 * import { ihfft } from 'musique/fft'
 * ihfft([1, 2, 3, 4]).data // Float64Array [2.5, 0, -0.5, -0.5, -0.5, 0]
 * ```
 */
export function ihfft<X extends ArrayInput>(x: X, options?: FftOptions): NDArray<ComplexOf<DTypeOf<X>>> {
  return run(prepare(IHFFT, x, options)) as NDArray<ComplexOf<DTypeOf<X>>>
}

/**
 * 2-D FFT of a Hermitian-symmetric signal (scipy.fft.hfft2). The output length
 * along the last of `axes` defaults to `2 (m - 1)`; an `s` entry of -1 keeps `m`.
 *
 * @see https://docs.scipy.org/doc/scipy/reference/generated/scipy.fft.hfft2.html
 * @example
 * ```ts
 * import { hfft2 } from 'musique/fft'
 * hfft2([[1, 0], [0, 0]]).shape // [2, 2]
 * ```
 */
export function hfft2<X extends ArrayInput>(x: X, options?: FftnOptions): NDArray<RealOf<DTypeOf<X>>> {
  return run(prepare(HFFT2, x, options)) as NDArray<RealOf<DTypeOf<X>>>
}

/**
 * Inverse of {@link hfft2} (scipy.fft.ihfft2).
 *
 * @see https://docs.scipy.org/doc/scipy/reference/generated/scipy.fft.ihfft2.html
 * @example
 * ```ts
 * import { ihfft2 } from 'musique/fft'
 * ihfft2([[1, 2], [3, 4]]).shape // [2, 2]
 * ```
 */
export function ihfft2<X extends ArrayInput>(x: X, options?: FftnOptions): NDArray<ComplexOf<DTypeOf<X>>> {
  return run(prepare(IHFFT2, x, options)) as NDArray<ComplexOf<DTypeOf<X>>>
}

/**
 * N-D FFT of a Hermitian-symmetric signal (scipy.fft.hfftn). The output length
 * along the last of `axes` defaults to `2 (m - 1)`; an `s` entry of -1 keeps `m`.
 *
 * @see https://docs.scipy.org/doc/scipy/reference/generated/scipy.fft.hfftn.html
 * @example
 * ```ts
 * import { hfftn } from 'musique/fft'
 * hfftn([[1, 0], [0, 0]]).data // Float64Array [1, 1, 1, 1]
 * ```
 */
export function hfftn<X extends ArrayInput>(x: X, options?: FftnOptions): NDArray<RealOf<DTypeOf<X>>> {
  return run(prepare(HFFTN, x, options)) as NDArray<RealOf<DTypeOf<X>>>
}

/**
 * Inverse of {@link hfftn} (scipy.fft.ihfftn).
 *
 * @see https://docs.scipy.org/doc/scipy/reference/generated/scipy.fft.ihfftn.html
 * @example
 * ```ts
 * import { ihfftn } from 'musique/fft'
 * ihfftn([[1, 1], [1, 1]]).data // Float64Array [1, 0, 0, 0, 0, 0, 0, 0]
 * ```
 */
export function ihfftn<X extends ArrayInput>(x: X, options?: FftnOptions): NDArray<ComplexOf<DTypeOf<X>>> {
  return run(prepare(IHFFTN, x, options)) as NDArray<ComplexOf<DTypeOf<X>>>
}

/**
 * Discrete cosine transform of type 1 to 4 (scipy.fft.dct), with SciPy's scaling
 * (type II: `y[k] = 2 Σ x[n] cos(π k (2n + 1) / 2N)`). Complex input is
 * transformed as its real and imaginary parts.
 *
 * @param options - `type` (default 2), `n`, `axis`, `norm`, `orthogonalize`, `workers`, `overwriteX` (compute in `x.data`).
 * @throws RangeError for a type outside 1-4, or n < 2 for type 1.
 * @see https://docs.scipy.org/doc/scipy/reference/generated/scipy.fft.dct.html
 * @example
 * ```ts
 * import { dct } from 'musique/fft'
 * dct([1, 2, 3]).data // Float64Array [12, -3.4641016, 0]
 * ```
 */
export function dct<X extends ArrayInput>(x: X, options?: DctOptions): NDArray<DTypeOf<X>> {
  return run(prepare(DCT, x, options)) as NDArray<DTypeOf<X>>
}

/**
 * Inverse discrete cosine transform (scipy.fft.idct): `idct(dct(x, {type}), {type})` is `x`.
 *
 * @see https://docs.scipy.org/doc/scipy/reference/generated/scipy.fft.idct.html
 * @example
 * ```ts
 * import { dct, idct } from 'musique/fft'
 * idct(dct([1, 2, 3])).data // Float64Array [1, 2, 3] (up to rounding)
 * ```
 */
export function idct<X extends ArrayInput>(x: X, options?: DctOptions): NDArray<DTypeOf<X>> {
  return run(prepare(IDCT, x, options)) as NDArray<DTypeOf<X>>
}

/**
 * Discrete sine transform of type 1 to 4 (scipy.fft.dst).
 *
 * @see https://docs.scipy.org/doc/scipy/reference/generated/scipy.fft.dst.html
 * @example
 * ```ts
 * import { dst } from 'musique/fft'
 * dst([1, 2, 3]).data // Float64Array [8, -3.4641016, 4]
 * ```
 */
export function dst<X extends ArrayInput>(x: X, options?: DctOptions): NDArray<DTypeOf<X>> {
  return run(prepare(DST, x, options)) as NDArray<DTypeOf<X>>
}

/**
 * Inverse discrete sine transform (scipy.fft.idst).
 *
 * @see https://docs.scipy.org/doc/scipy/reference/generated/scipy.fft.idst.html
 * @example
 * ```ts
 * import { dst, idst } from 'musique/fft'
 * idst(dst([1, 2, 3])).data // Float64Array [1, 2, 3] (up to rounding)
 * ```
 */
export function idst<X extends ArrayInput>(x: X, options?: DctOptions): NDArray<DTypeOf<X>> {
  return run(prepare(IDST, x, options)) as NDArray<DTypeOf<X>>
}

/**
 * N-D discrete cosine transform over `axes` (scipy.fft.dctn).
 *
 * @see https://docs.scipy.org/doc/scipy/reference/generated/scipy.fft.dctn.html
 * @example
 * ```ts
 * import { dctn } from 'musique/fft'
 * dctn([[1, 2], [3, 4]]).data // Float64Array [40, -5.6568542, -11.3137085, 0]
 * ```
 */
export function dctn<X extends ArrayInput>(x: X, options?: DctnOptions): NDArray<DTypeOf<X>> {
  return run(prepare(DCTN, x, options)) as NDArray<DTypeOf<X>>
}

/**
 * N-D inverse discrete cosine transform (scipy.fft.idctn).
 *
 * @see https://docs.scipy.org/doc/scipy/reference/generated/scipy.fft.idctn.html
 * @example
 * ```ts
 * import { dctn, idctn } from 'musique/fft'
 * idctn(dctn([[1, 2], [3, 4]])).data // Float64Array [1, 2, 3, 4] (up to rounding)
 * ```
 */
export function idctn<X extends ArrayInput>(x: X, options?: DctnOptions): NDArray<DTypeOf<X>> {
  return run(prepare(IDCTN, x, options)) as NDArray<DTypeOf<X>>
}

/**
 * N-D discrete sine transform (scipy.fft.dstn).
 *
 * @see https://docs.scipy.org/doc/scipy/reference/generated/scipy.fft.dstn.html
 * @example
 * ```ts
 * import { dstn } from 'musique/fft'
 * dstn([[1, 2], [3, 4]]).shape // [2, 2]
 * ```
 */
export function dstn<X extends ArrayInput>(x: X, options?: DctnOptions): NDArray<DTypeOf<X>> {
  return run(prepare(DSTN, x, options)) as NDArray<DTypeOf<X>>
}

/**
 * N-D inverse discrete sine transform (scipy.fft.idstn).
 *
 * @see https://docs.scipy.org/doc/scipy/reference/generated/scipy.fft.idstn.html
 * @example
 * ```ts
 * import { dstn, idstn } from 'musique/fft'
 * idstn(dstn([[1, 2], [3, 4]])).data // Float64Array [1, 2, 3, 4] (up to rounding)
 * ```
 */
export function idstn<X extends ArrayInput>(x: X, options?: DctnOptions): NDArray<DTypeOf<X>> {
  return run(prepare(IDSTN, x, options)) as NDArray<DTypeOf<X>>
}

/** What a transform gives for an input of dtype D: complex (fft, rfft, ihfft…), real (irfft, hfft…) or the same dtype (DCT/DST), in D's precision. */
export type ResultKind = 'complex' | 'real' | 'same'
/** The result dtype of a transform of kind K on dtype D. */
export type ResultOf<K extends ResultKind, D extends DType> = K extends 'complex' ? ComplexOf<D> : K extends 'real' ? RealOf<D> : D

/** The signature of every Promise form: the sync form's arguments plus `signal`; the result's dtype tracks the input's as the sync form's does. */
export type AsyncOf<O, K extends ResultKind = ResultKind> = <X extends ArrayInput>(x: X, options?: O & AsyncOptions) => Promise<NDArray<ResultOf<K, DTypeOf<X>>>>

function asyncOf<O, K extends ResultKind>(spec: FullSpec): AsyncOf<O, K> {
  return ((x: ArrayInput, options?: O & AsyncOptions) => runAsync(spec, x, options)) as AsyncOf<O, K>
}

/**
 * Promise form of {@link fft}: runs on Musique's own thread pool (not libuv's), keeps the
 * event loop free, copies its input first, and takes `signal` to abort (rejecting with
 * the signal's reason, an AbortError by default, and stopping work already running).
 * Every transform has one: `ifftAsync`, `fft2Async`, … `idstnAsync`.
 *
 * @example
 * ```ts
 * import { fftAsync } from 'musique/fft'
 * const ac = new AbortController()
 * const y = await fftAsync(new Float64Array(1 << 20), { workers: -1, signal: ac.signal })
 * ```
 */
export const fftAsync: AsyncOf<FftOptions, 'complex'> = asyncOf(FFT)
/** Promise form of {@link ifft} (see {@link fftAsync}). @example `await ifftAsync(y)` */
export const ifftAsync: AsyncOf<FftOptions, 'complex'> = asyncOf(IFFT)
/** Promise form of {@link fft2} (see {@link fftAsync}). @example `await fft2Async(image, { workers: 2 })` */
export const fft2Async: AsyncOf<FftnOptions, 'complex'> = asyncOf(FFT2)
/** Promise form of {@link ifft2} (see {@link fftAsync}). @example `await ifft2Async(spectrum)` */
export const ifft2Async: AsyncOf<FftnOptions, 'complex'> = asyncOf(IFFT2)
/** Promise form of {@link fftn} (see {@link fftAsync}). @example `await fftnAsync(volume)` */
export const fftnAsync: AsyncOf<FftnOptions, 'complex'> = asyncOf(FFTN)
/** Promise form of {@link ifftn} (see {@link fftAsync}). @example `await ifftnAsync(spectrum)` */
export const ifftnAsync: AsyncOf<FftnOptions, 'complex'> = asyncOf(IFFTN)
/** Promise form of {@link rfft} (see {@link fftAsync}). @example `await rfftAsync(signal)` */
export const rfftAsync: AsyncOf<FftOptions, 'complex'> = asyncOf(RFFT)
/** Promise form of {@link irfft} (see {@link fftAsync}). @example `await irfftAsync(half, { n: 1001 })` */
export const irfftAsync: AsyncOf<FftOptions, 'real'> = asyncOf(IRFFT)
/** Promise form of {@link rfft2} (see {@link fftAsync}). @example `await rfft2Async(image)` */
export const rfft2Async: AsyncOf<FftnOptions, 'complex'> = asyncOf(RFFT2)
/** Promise form of {@link irfft2} (see {@link fftAsync}). @example `await irfft2Async(half)` */
export const irfft2Async: AsyncOf<FftnOptions, 'real'> = asyncOf(IRFFT2)
/** Promise form of {@link rfftn} (see {@link fftAsync}). @example `await rfftnAsync(volume)` */
export const rfftnAsync: AsyncOf<FftnOptions, 'complex'> = asyncOf(RFFTN)
/** Promise form of {@link irfftn} (see {@link fftAsync}). @example `await irfftnAsync(half)` */
export const irfftnAsync: AsyncOf<FftnOptions, 'real'> = asyncOf(IRFFTN)
/** Promise form of {@link hfft} (see {@link fftAsync}). @example `await hfftAsync(half)` */
export const hfftAsync: AsyncOf<FftOptions, 'real'> = asyncOf(HFFT)
/** Promise form of {@link ihfft} (see {@link fftAsync}). @example `await ihfftAsync(signal)` */
export const ihfftAsync: AsyncOf<FftOptions, 'complex'> = asyncOf(IHFFT)
/** Promise form of {@link hfft2} (see {@link fftAsync}). @example `await hfft2Async(half)` */
export const hfft2Async: AsyncOf<FftnOptions, 'real'> = asyncOf(HFFT2)
/** Promise form of {@link ihfft2} (see {@link fftAsync}). @example `await ihfft2Async(image)` */
export const ihfft2Async: AsyncOf<FftnOptions, 'complex'> = asyncOf(IHFFT2)
/** Promise form of {@link hfftn} (see {@link fftAsync}). @example `await hfftnAsync(half)` */
export const hfftnAsync: AsyncOf<FftnOptions, 'real'> = asyncOf(HFFTN)
/** Promise form of {@link ihfftn} (see {@link fftAsync}). @example `await ihfftnAsync(volume)` */
export const ihfftnAsync: AsyncOf<FftnOptions, 'complex'> = asyncOf(IHFFTN)
/** Promise form of {@link dct} (see {@link fftAsync}). @example `await dctAsync(signal, { type: 2, norm: 'ortho' })` */
export const dctAsync: AsyncOf<DctOptions, 'same'> = asyncOf(DCT)
/** Promise form of {@link idct} (see {@link fftAsync}). @example `await idctAsync(coeffs)` */
export const idctAsync: AsyncOf<DctOptions, 'same'> = asyncOf(IDCT)
/** Promise form of {@link dst} (see {@link fftAsync}). @example `await dstAsync(signal)` */
export const dstAsync: AsyncOf<DctOptions, 'same'> = asyncOf(DST)
/** Promise form of {@link idst} (see {@link fftAsync}). @example `await idstAsync(coeffs)` */
export const idstAsync: AsyncOf<DctOptions, 'same'> = asyncOf(IDST)
/** Promise form of {@link dctn} (see {@link fftAsync}). @example `await dctnAsync(image)` */
export const dctnAsync: AsyncOf<DctnOptions, 'same'> = asyncOf(DCTN)
/** Promise form of {@link idctn} (see {@link fftAsync}). @example `await idctnAsync(coeffs)` */
export const idctnAsync: AsyncOf<DctnOptions, 'same'> = asyncOf(IDCTN)
/** Promise form of {@link dstn} (see {@link fftAsync}). @example `await dstnAsync(image)` */
export const dstnAsync: AsyncOf<DctnOptions, 'same'> = asyncOf(DSTN)
/** Promise form of {@link idstn} (see {@link fftAsync}). @example `await idstnAsync(coeffs)` */
export const idstnAsync: AsyncOf<DctnOptions, 'same'> = asyncOf(IDSTN)

/**
 * The threads a transform of an array of `shape` over `axes` really runs on
 * with `workers`: never more than the independent 1-D lines of any pass, and
 * one below SciPy's threshold of 32,768 elements. The transforms use this very
 * rule, so nothing is silently clamped.
 *
 * @param shape - Shape of the input (complex elements for complex input).
 * @param options - `axes` (an integer or an array; default all), `workers` (default `getWorkers()`).
 * @throws TypeError for a shape that is not an array of integers or an unknown option; RangeError for a bad axis or `workers`.
 * @example
 * ```ts
 * import { effectiveWorkers } from 'musique/fft'
 * effectiveWorkers([512, 4096], { axes: [-1], workers: 8 }) // 8 (on 8 CPUs or more)
 * effectiveWorkers([3, 100000], { axes: [-1], workers: 8 }) // 3
 * effectiveWorkers([1000], { workers: 8 }) // 1 (below the threshold)
 * ```
 */
export function effectiveWorkers(shape: number[], options?: { axes?: number | number[]; workers?: Workers }): number {
  const opts = checkOptions(options, 'effectiveWorkers', ['axes', 'workers'])
  if (!Array.isArray(shape)) throw typeError('shape', 'an array of non-negative integers', shape)
  for (const n of shape) {
    if (typeof n !== 'number') throw typeError('shape', 'an array of non-negative integers', n)
    if (!Number.isInteger(n) || n < 0 || n > MAX_LEN) throw rangeError('shape', 'an array of integers from 0 to 2**32 - 1', list(shape))
  }
  const axes = shapeAndAxes(shape, undefined, opts.axes).axes
  const workers = resolveWorkers((opts.workers ?? undefined) as Workers | undefined)
  return native.fftEffectiveWorkers(shape, axes, workers)
}

function checkSpacing(d: unknown): number {
  if (d === undefined || d === null) return 1
  if (typeof d !== 'number') throw typeError('d', 'a number', d)
  if (!Number.isFinite(d) || d === 0) throw rangeError('d', 'a finite, non-zero number', d)
  return d
}

/** Options of {@link fftfreq} and {@link rfftfreq}. */
export interface FreqOptions {
  /** Sample spacing (the inverse of the sampling rate). @default 1 */
  d?: number
}

/** `d` given directly, or as `{ d }` (SciPy's keyword). */
function spacing(d: unknown, where: string): number {
  if (d !== null && typeof d === 'object') return checkSpacing(checkOptions(d, where, ['d']).d)
  return checkSpacing(d)
}

/**
 * A new Float64Array of `len` values for `name`'s result, refused as a
 * transform's result is when its memory cannot be had (RangeError
 * ERR_OUT_OF_RANGE "cannot allocate … for the result of fftfreq") rather than
 * left to the JS engine, which throws an uncoded RangeError, or, where memory
 * is overcommitted, lets the process be killed as the values are written.
 */
function newResult(len: number, name: string): Float64Array {
  callNative(() => native.fftCheckResult(len, 8, name))
  return new Float64Array(len)
}

/**
 * Sample frequencies of an `n`-point FFT with sample spacing `d` (scipy.fft.fftfreq):
 * `[0, 1, …, ceil(n/2) - 1, -floor(n/2), …, -1] / (d n)`.
 *
 * @param n - Window length, an integer ≥ 1.
 * @param d - Sample spacing, a finite non-zero number (or `{ d }`). @default 1
 * @throws TypeError for a non-number; RangeError for n < 1, a non-integer n, or d zero or not finite.
 * @see https://docs.scipy.org/doc/scipy/reference/generated/scipy.fft.fftfreq.html
 * @example
 * ```ts
 * import { fftfreq } from 'musique/fft'
 * fftfreq(4).data // Float64Array [0, 0.25, -0.5, -0.25]
 * fftfreq(4, { d: 0.5 }).data // Float64Array [0, 0.5, -1, -0.5]
 * ```
 */
export function fftfreq(n: number, d: number | FreqOptions = 1): NDArray<'float64'> {
  const len = checkLen(n, 'n')
  const val = 1 / (len * spacing(d, 'fftfreq'))
  const out = newResult(len, 'fftfreq')
  const half = Math.floor((len - 1) / 2) + 1
  for (let i = 0; i < half; i++) out[i] = i * val
  for (let i = half; i < len; i++) out[i] = (i - len) * val
  return { data: out, shape: [len], dtype: 'float64' }
}

/**
 * Sample frequencies of an `n`-point {@link rfft} (scipy.fft.rfftfreq):
 * `[0, 1, …, floor(n/2)] / (d n)`.
 *
 * @param n - Window length, an integer ≥ 1.
 * @param d - Sample spacing (or `{ d }`). @default 1
 * @see https://docs.scipy.org/doc/scipy/reference/generated/scipy.fft.rfftfreq.html
 * @example
 * ```ts
 * import { rfftfreq } from 'musique/fft'
 * rfftfreq(5, 0.1).data // Float64Array [0, 2, 4]
 * ```
 */
export function rfftfreq(n: number, d: number | FreqOptions = 1): NDArray<'float64'> {
  const len = checkLen(n, 'n')
  const val = 1 / (len * spacing(d, 'rfftfreq'))
  const out = newResult(Math.floor(len / 2) + 1, 'rfftfreq')
  for (let i = 0; i < out.length; i++) out[i] = i * val
  return { data: out, shape: [out.length], dtype: 'float64' }
}

/** Options of {@link fftshift} and {@link ifftshift}. */
export interface ShiftOptions {
  /** Axes to shift (an integer or an array). @default all */
  axes?: number | number[]
}

function roll(x: unknown, axesArg: unknown, inverse: boolean): NDArray {
  const where = inverse ? 'ifftshift' : 'fftshift'
  const axes =
    axesArg !== null && typeof axesArg === 'object' && !Array.isArray(axesArg) ? checkOptions(axesArg, where, ['axes']).axes : axesArg
  const a = asNDArray(x, 'x')
  const ndim = a.shape.length
  const ax = (intList(axes, 'axes') ?? a.shape.map((_, i) => i)).map((v) => wrapAxis(v, ndim, 'axes'))
  const shift = a.shape.map(() => 0)
  for (const i of ax) {
    const n = a.shape[i]
    shift[i] = (shift[i] + (inverse ? n - Math.floor(n / 2) : Math.floor(n / 2))) % Math.max(n, 1)
  }
  const w = isComplex(a.dtype) ? 2 : 1
  const out = new (a.data.constructor as Float64ArrayConstructor)(a.data.length)
  const strides = a.shape.map((_, i) => product(a.shape.slice(i + 1)) * w)
  const total = product(a.shape)
  const idx = a.shape.map(() => 0)
  for (let k = 0; k < total; k++) {
    let dst = 0
    for (let i = 0; i < ndim; i++) dst += ((idx[i] + shift[i]) % a.shape[i]) * strides[i]
    for (let j = 0; j < w; j++) out[dst + j] = a.data[k * w + j]
    for (let i = ndim - 1; i >= 0; i--) {
      if (++idx[i] < a.shape[i]) break
      idx[i] = 0
    }
  }
  return { data: out, shape: [...a.shape], dtype: a.dtype } as NDArray
}

/**
 * Shifts the zero-frequency term to the centre (scipy.fft.fftshift).
 *
 * @param axes - Axes to shift: an integer, an array, or `{ axes }`; default all.
 * @see https://docs.scipy.org/doc/scipy/reference/generated/scipy.fft.fftshift.html
 * @example
 * ```ts
 * import { fftfreq, fftshift } from 'musique/fft'
 * fftshift(fftfreq(4)).data // Float64Array [-0.5, -0.25, 0, 0.25]
 * ```
 */
export function fftshift<X extends ArrayInput>(x: X, axes?: number | number[] | ShiftOptions): NDArray<DTypeOf<X>> {
  return roll(x, axes, false) as NDArray<DTypeOf<X>>
}

/**
 * Inverse of {@link fftshift} (scipy.fft.ifftshift).
 *
 * @param axes - Axes to shift: an integer, an array, or `{ axes }`; default all.
 * @see https://docs.scipy.org/doc/scipy/reference/generated/scipy.fft.ifftshift.html
 * @example
 * ```ts
 * import { fftfreq, fftshift, ifftshift } from 'musique/fft'
 * ifftshift(fftshift(fftfreq(5))).data // fftfreq(5).data
 * ```
 */
export function ifftshift<X extends ArrayInput>(x: X, axes?: number | number[] | ShiftOptions): NDArray<DTypeOf<X>> {
  return roll(x, axes, true) as NDArray<DTypeOf<X>>
}

/** Options of {@link nextFastLen} and {@link prevFastLen}. */
export interface FastLenOptions {
  /** 2,3,5-smooth lengths (for real transforms) instead of 2,3,5,7,11-smooth. @default false */
  real?: boolean
}

/** The largest target SciPy 1.17 takes (pocketfft's bound, about `2**64 / 11`): one more raises there. */
const FAST_LEN_MAX = 1676976733973595602n

function fastLen<T extends number | bigint>(target: T, realArg: unknown, next: boolean): T {
  const where = next ? 'nextFastLen' : 'prevFastLen'
  const realOpt = realArg !== null && typeof realArg === 'object' ? checkOptions(realArg, where, ['real']).real : realArg
  let t: bigint
  if (typeof target === 'bigint') {
    t = target
  } else {
    const n = checkInt(target, 'target', 'an integer (a bigint above 2**53)')
    if (!Number.isSafeInteger(n)) {
      throw rangeError('target', 'a safe integer (at most 2**53 - 1; pass a bigint for larger targets)', n)
    }
    t = BigInt(n)
  }
  // SciPy's ValueError, word for word.
  if (t < 0n) throw rangeErrorMessage(`target must be a non-negative integer; got ${t} (Target length must be positive)`)
  // SciPy's limit (pocketfft's SIZE_MAX / 11) and ValueError, word for word.
  if (t > FAST_LEN_MAX) throw rangeErrorMessage(`target must be at most ${FAST_LEN_MAX}; got ${t} (Target length is too large to perform an FFT: ${t})`)
  const real = boolOption(realOpt, 'real', false)
  if (t === 0n) return target
  const n = (next ? native.nextFastLen(t, real) : native.prevFastLen(t, real)) as bigint
  return (typeof target === 'bigint' ? n : Number(n)) as T
}

/**
 * The smallest length `≥ target` that the FFT computes fastest (scipy.fft.next_fast_len):
 * 2,3,5,7,11-smooth for complex transforms, 2,3,5-smooth when `real`. 0 gives 0.
 * A number target gives a number (exact: up to 2**53 - 1 in, at most 2**53 out);
 * a bigint target gives a bigint, up to SciPy's limit of 1676976733973595602 (about `2**64 / 11`).
 *
 * @param target - A non-negative integer (a bigint for targets above 2**53).
 * @param real - Whether the lengths are for a real transform (or `{ real }`). @default false
 * @throws TypeError for a target that is not an integer number or bigint, or a non-boolean `real`;
 *   RangeError for a negative, fractional or unsafe number, or a bigint above 1676976733973595602.
 * @see https://docs.scipy.org/doc/scipy/reference/generated/scipy.fft.next_fast_len.html
 * @example
 * ```ts
 * import { nextFastLen } from 'musique/fft'
 * nextFastLen(1009) // 1024
 * nextFastLen(11, { real: true }) // 12
 * nextFastLen(19200000000000001n, true) // 19221679687500000n
 * ```
 */
export function nextFastLen(target: number, real?: boolean | FastLenOptions): number
export function nextFastLen(target: bigint, real?: boolean | FastLenOptions): bigint
export function nextFastLen(target: number | bigint, real?: boolean | FastLenOptions): number | bigint {
  return fastLen(target, real, true)
}

/**
 * The largest fast length `≤ target` (scipy.fft.prev_fast_len); the same
 * arguments as {@link nextFastLen}.
 *
 * @see https://docs.scipy.org/doc/scipy/reference/generated/scipy.fft.prev_fast_len.html
 * @example
 * ```ts
 * import { prevFastLen } from 'musique/fft'
 * prevFastLen(1009) // 1008
 * prevFastLen(11, { real: true }) // 10
 * ```
 */
export function prevFastLen(target: number, real?: boolean | FastLenOptions): number
export function prevFastLen(target: bigint, real?: boolean | FastLenOptions): bigint
export function prevFastLen(target: number | bigint, real?: boolean | FastLenOptions): number | bigint {
  return fastLen(target, real, false)
}
