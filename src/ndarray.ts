// NDArray: typed data, a shape and a dtype. Complex data is interleaved
// re/im, so it reaches Rust's Complex<T> without a copy. asNDArray reads every
// accepted input (views of other libraries too) and is the one place arrays
// are validated; gather() is the one place a strided view is made contiguous.

import { rangeError, typeError } from './internal/errors'

/** Element types: real float64/float32, and complex128/complex64 stored as interleaved re/im. */
export type DType = 'float64' | 'float32' | 'complex128' | 'complex64'

/** The typed array behind a dtype. */
export type DataOf<D extends DType> = D extends 'float64' | 'complex128' ? Float64Array : Float32Array

/**
 * An n-D array: typed data, a shape and a dtype, with complex values stored
 * interleaved (re, im). Musique's results are row-major (C order) and
 * contiguous: `data.length` is the product of `shape`, times two for complex
 * dtypes.
 *
 * As input, `strides` and `offset` describe a view into `data` (any axis
 * order, steps, negative steps, an offset), as NumPy's strides do but counted
 * in elements: element `[i, j, …]` is at `offset + i·strides[0] + j·strides[1] + …`
 * (complex elements, so two numbers each, for complex dtypes). Contiguous
 * row-major input is used in place, without a copy; any other view is first
 * gathered into a contiguous copy. A view reaching outside `data` is refused.
 *
 * @example
 * ```ts
 * import type { NDArray } from 'musique'
 * const a: NDArray = { data: new Float64Array([1, 2, 3, 4, 5, 6]), shape: [2, 3], dtype: 'float64' }
 * // A view of its transpose, 3×2 (strides in elements):
 * const t: NDArray = { data: a.data, shape: [3, 2], dtype: 'float64', strides: [1, 3] }
 * ```
 */
export interface NDArray<D extends DType = DType> {
  /** The values; complex values interleaved re, im. */
  data: DataOf<D>
  /** Length of each axis. */
  shape: number[]
  /** Element type. */
  dtype: D
  /** Input only: steps through `data` between neighbours along each axis, in elements (may be negative). @default row-major */
  strides?: number[]
  /** Input only: the index in `data` of the first element, in elements. @default 0 */
  offset?: number
}

/**
 * An NDArray as input: the same fields, read-only, so a literal shape such as
 * `[2, 3] as const` (a readonly tuple) is accepted.
 */
export interface NDArrayLike<D extends DType = DType> {
  readonly data: DataOf<D>
  readonly shape: readonly number[]
  readonly dtype: D
  readonly strides?: readonly number[]
  readonly offset?: number
}

/**
 * The dtype Musique reads from an input's type: an NDArray's own, float32 for
 * a Float32Array, float64 for a Float64Array or number arrays, and any
 * {@link DType} where the type does not say (another library's array).
 *
 * @example
 * ```ts
 * import type { DTypeOf } from 'musique'
 * type A = DTypeOf<Float32Array> // 'float32'
 * ```
 */
export type DTypeOf<X> = X extends { readonly dtype: infer D extends DType; readonly data: Float64Array | Float32Array }
  ? D
  : X extends Float32Array
    ? 'float32'
    : X extends Float64Array | readonly unknown[]
      ? 'float64'
      : DType

/** The complex dtype of a transform's result: single precision stays single (complex64), double gives complex128. */
export type ComplexOf<D extends DType> = D extends 'float32' | 'complex64' ? 'complex64' : 'complex128'

/** The real dtype of the same precision: float32 for float32/complex64, float64 for float64/complex128. */
export type RealOf<D extends DType> = D extends 'float32' | 'complex64' ? 'float32' : 'float64'

/**
 * A strided view as scijs `ndarray` (`stride`, `offset`) and `@stdlib/ndarray`
 * (`strides`, `offset`) expose one: read with its strides, whatever its order.
 * `dtype` names the elements: the four {@link DType}s (with @stdlib's
 * `Complex128Array`/`Complex64Array` data read in place), or 'generic'/'array'
 * number arrays and integer dtypes over integer typed arrays, read as float64.
 * Without strides the data is row-major, or column-major when an `order`
 * field says 'column-major' (or 'F').
 */
export interface StridedArrayLike {
  readonly data: object
  readonly shape: ArrayLike<number>
  readonly dtype: string | object
  readonly strides?: ArrayLike<number>
  readonly stride?: ArrayLike<number>
  readonly offset?: number
}

/** An ml-matrix `Matrix` (or one of its views): read with `to1DArray()` as float64. */
export interface MatrixLike {
  readonly rows: number
  readonly columns: number
  to1DArray(): number[]
}

/** A mathjs `Matrix` (dense or sparse): read with `size()` and `valueOf()`; Complex entries make it complex128. */
export interface MathMatrixLike {
  storage(): string
  size(): number[]
  valueOf(): unknown
}

/** A tfjs `Tensor`: read with `dataSync()`; 'float32' and 'complex64' stay single precision, 'int32' and 'bool' become float64. */
export interface TensorLike {
  readonly shape: number[]
  readonly dtype: string
  dataSync(): ArrayLike<number>
}

/**
 * Input accepted by Musique functions: an NDArray (a view with `strides`/`offset`
 * too), a Float64Array/Float32Array (real 1-D), (nested) number arrays (float64;
 * `{ re, im }` entries make them complex128), or another library's array —
 * scijs `ndarray`, `@stdlib/ndarray`, ml-matrix, mathjs or tfjs — read through
 * its public fields. Nothing is misread: what cannot be read right is refused
 * with a TypeError or RangeError naming the argument.
 */
export type ArrayInput = NDArray | NDArrayLike | Float64Array | Float32Array | number[] | number[][] | number[][][] | StridedArrayLike | MatrixLike | MathMatrixLike | TensorLike

/**
 * Whether `dtype` is complex (interleaved re/im storage).
 *
 * @example
 * ```ts
 * import { isComplex } from 'musique'
 * isComplex('complex64') // true
 * isComplex('float64') // false
 * ```
 */
export function isComplex(dtype: DType): dtype is 'complex128' | 'complex64' {
  return dtype === 'complex128' || dtype === 'complex64'
}

/**
 * Builds a complex array from its real and imaginary parts.
 *
 * @param re - Real parts (Float64Array gives complex128, Float32Array complex64, number[] complex128).
 * @param im - Imaginary parts, the same length and type as `re`; zeros when omitted.
 * @param shape - Shape of the result; `[re.length]` when omitted.
 * @returns A complex NDArray with interleaved storage.
 * @throws TypeError for mismatched types; RangeError for mismatched lengths or shape.
 * @example
 * ```ts
 * import { complex } from 'musique'
 * const z = complex([1, 2], [0, -1])
 * // { data: Float64Array [1, 0, 2, -1], shape: [2], dtype: 'complex128' }
 * ```
 */
export function complex(
  re: Float64Array | Float32Array | number[],
  im?: Float64Array | Float32Array | number[],
  shape?: number[],
): NDArray<'complex128' | 'complex64'> {
  const single = re instanceof Float32Array
  if (!(Array.isArray(re) || re instanceof Float64Array || single)) {
    throw typeError('re', 'a Float64Array, Float32Array or number[]', re)
  }
  if (im !== undefined) {
    if (!(Array.isArray(im) || im instanceof Float64Array || im instanceof Float32Array)) {
      throw typeError('im', 'a Float64Array, Float32Array or number[]', im)
    }
    if ((im instanceof Float32Array) !== single) throw typeError('im', `the same precision as re (${single ? 'Float32Array' : 'Float64Array'})`, im)
    if (im.length !== re.length) throw rangeError('im', `of length ${re.length} like re`, im.length)
  }
  const n = re.length
  const sh = shape === undefined ? [n] : checkShape(shape, 'shape')
  if (product(sh) !== n) throw rangeError('shape', `a shape of ${n} elements`, `[${sh.join(', ')}]`)
  const data = single ? new Float32Array(2 * n) : new Float64Array(2 * n)
  for (let i = 0; i < n; i++) {
    data[2 * i] = re[i]
    data[2 * i + 1] = im === undefined ? 0 : im[i]
  }
  return { data, shape: sh, dtype: single ? 'complex64' : 'complex128' } as NDArray<'complex128' | 'complex64'>
}

function part(z: NDArray, offset: 0 | 1, name: string): NDArray<'float64' | 'float32'> {
  const a = asNDArray(z, name)
  const dtype = a.dtype === 'complex64' || a.dtype === 'float32' ? 'float32' : 'float64'
  if (!isComplex(a.dtype)) {
    const data = offset === 0 ? a.data.slice() : new (a.data.constructor as Float64ArrayConstructor)(a.data.length)
    return { data, shape: [...a.shape], dtype } as NDArray<'float64' | 'float32'>
  }
  const n = a.data.length / 2
  const data = dtype === 'float32' ? new Float32Array(n) : new Float64Array(n)
  for (let i = 0; i < n; i++) data[i] = a.data[2 * i + offset]
  return { data, shape: [...a.shape], dtype } as NDArray<'float64' | 'float32'>
}

/**
 * The real parts of a complex array (a copy of a real one).
 *
 * @example
 * ```ts
 * import { complex, real } from 'musique'
 * real(complex([1, 2], [3, 4])).data // Float64Array [1, 2]
 * ```
 */
export function real(z: NDArray): NDArray<'float64' | 'float32'> {
  return part(z, 0, 'z')
}

/**
 * The imaginary parts of a complex array (zeros for a real one).
 *
 * @example
 * ```ts
 * import { complex, imag } from 'musique'
 * imag(complex([1, 2], [3, 4])).data // Float64Array [3, 4]
 * ```
 */
export function imag(z: NDArray): NDArray<'float64' | 'float32'> {
  return part(z, 1, 'z')
}

/**
 * Wraps data as an NDArray, checking that data, shape and dtype agree.
 *
 * @param data - Float64Array (float64, complex128) or Float32Array (float32, complex64).
 * @param shape - Row-major shape; `[n]` (or `[n / 2]` for complex) when omitted.
 * @param dtype - Defaults to 'float64' for a Float64Array and 'float32' for a Float32Array.
 * @example
 * ```ts
 * import { ndarray } from 'musique'
 * const a = ndarray(new Float64Array(6), [2, 3])
 * ```
 */
export function ndarray<D extends DType>(data: DataOf<D>, shape?: number[], dtype?: D): NDArray<D> {
  const dt = (dtype ?? (data instanceof Float32Array ? 'float32' : 'float64')) as D
  const len = (data as ArrayLike<number>)?.length
  const sh = shape ?? [isComplex(dt) ? len / 2 : len]
  return asNDArray({ data, shape: sh, dtype: dt } as NDArray, 'data') as NDArray<D>
}

/** Number of elements of an array of this shape (internal). */
export function product(shape: readonly number[]): number {
  let p = 1
  for (const s of shape) p *= s
  return p
}

/** A typed array (a shape or strides may come as one, as @stdlib's types allow). */
function isNumberView(x: unknown): x is ArrayLike<number> {
  return ArrayBuffer.isView(x) && !(x instanceof DataView)
}

function checkShape(shape: unknown, name: string): number[] {
  const sh = isNumberView(shape) ? Array.from(shape) : shape
  if (!Array.isArray(sh)) throw typeError(name, 'an array of non-negative integers', shape)
  for (const s of sh) {
    if (typeof s !== 'number' || !Number.isInteger(s) || s < 0 || s > 2 ** 32 - 1) {
      throw rangeError(name, 'an array of non-negative integers', `[${sh.join(', ')}]`)
    }
  }
  return [...sh]
}

const DTYPES: DType[] = ['float64', 'float32', 'complex128', 'complex64']

type Numbers = Float64Array | Float32Array | Int8Array | Uint8Array | Uint8ClampedArray | Int16Array | Uint16Array | Int32Array | Uint32Array

/** Integer element types (scijs `ndarray` and `@stdlib/ndarray` names), read as float64 as NumPy casts them for SciPy. */
const INTEGER_ARRAYS = new Map<string, new (length: number) => Numbers>([
  ['int8', Int8Array],
  ['uint8', Uint8Array],
  ['uint8c', Uint8ClampedArray],
  ['uint8_clamped', Uint8ClampedArray],
  ['int16', Int16Array],
  ['uint16', Uint16Array],
  ['int32', Int32Array],
  ['uint32', Uint32Array],
])

function isIntegerArray(x: unknown): x is Numbers {
  for (const C of INTEGER_ARRAYS.values()) if (x instanceof C) return true
  return false
}

function isDetached(buf: ArrayBufferLike): boolean {
  const d = (buf as ArrayBuffer & { detached?: boolean }).detached
  if (typeof d === 'boolean') return d
  if (buf.byteLength !== 0) return false
  try {
    // Node 20 has no ArrayBuffer.prototype.detached; a view on a detached buffer cannot be built.
    new Uint8Array(buf)
    return false
  } catch {
    return true
  }
}

function isComplexScalar(v: unknown): v is { re: number; im: number } {
  return typeof v === 'object' && v !== null && typeof (v as { re?: unknown }).re === 'number' && typeof (v as { im?: unknown }).im === 'number'
}

/** Nested arrays of numbers, or of complex numbers ({ re, im }, e.g. mathjs's Complex) giving complex128. */
function nested(x: unknown[], name: string, shape?: number[]): NDArray<'float64' | 'complex128'> {
  if (shape === undefined) {
    shape = []
    for (let level: unknown = x; Array.isArray(level); level = level[0]) shape.push(level.length)
  }
  const sh = shape
  const n = product(sh)
  const re = new Float64Array(n)
  let im: Float64Array | undefined
  let k = 0
  const walk = (v: unknown, depth: number): void => {
    if (depth === sh.length) {
      if (typeof v === 'number') re[k++] = v
      else if (isComplexScalar(v)) {
        im ??= new Float64Array(n)
        im[k] = v.im
        re[k++] = v.re
      } else throw typeError(name, 'numbers or complex numbers { re, im } (nested arrays of equal lengths)', v)
      return
    }
    if (!Array.isArray(v) || v.length !== sh[depth]) {
      throw rangeError(name, `a nested array with shape [${sh.join(', ')}] (ragged arrays are not supported)`, v)
    }
    for (const e of v) walk(e, depth + 1)
  }
  walk(x, 0)
  if (im === undefined) return { data: re, shape: sh, dtype: 'float64' }
  const data = new Float64Array(2 * n)
  for (let i = 0; i < n; i++) {
    data[2 * i] = re[i]
    data[2 * i + 1] = im[i]
  }
  return { data, shape: sh, dtype: 'complex128' }
}

/** Row-major (C order) strides of `shape`, in elements. */
function rowMajor(shape: readonly number[]): number[] {
  const strides = new Array<number>(shape.length)
  for (let i = shape.length - 1, s = 1; i >= 0; i--) {
    strides[i] = s
    s *= shape[i]
  }
  return strides
}

/** Strides when none are given: row-major, or column-major when `order` says so (@stdlib's and NumPy's names). */
function defaultStrides(shape: number[], order: unknown, name: string): number[] {
  if (order === undefined || order === null || order === 'row-major' || order === 'C') return rowMajor(shape)
  if (order === 'column-major' || order === 'F') return rowMajor([...shape].reverse()).reverse()
  throw typeError(name, "'row-major' ('C') or 'column-major' ('F')", order)
}

function checkStrides(strides: unknown, ndim: number, name: string): number[] {
  const st = isNumberView(strides) ? Array.from(strides) : strides
  if (!Array.isArray(st)) throw typeError(name, `an array of ${ndim} integers`, strides)
  // @stdlib/ndarray gives a 0-d array the strides [0].
  if (ndim === 0 && st.length === 1 && st[0] === 0) return []
  if (st.length !== ndim || !st.every((s) => Number.isSafeInteger(s))) {
    throw rangeError(name, `${ndim} integers (one per axis)`, `[${st.join(', ')}]`)
  }
  return st
}

/**
 * The numbers behind a strided array's `data` and the dtype they are read as:
 * the four dtypes as they are (with @stdlib's Complex128Array/Complex64Array
 * reinterpreted in place as interleaved re, im), 'generic'/'array' number
 * arrays and integer typed arrays as float64.
 */
function elements(data: unknown, dtype: unknown, name: string): { values: Numbers; dtype: DType } {
  const buffer = (data as { buffer?: unknown } | null)?.buffer
  if (buffer instanceof ArrayBuffer && isDetached(buffer)) throw typeError(`${name}.data`, 'a typed array whose buffer is not detached', data)
  if (DTYPES.includes(dtype as DType)) {
    const d = dtype as DType
    const F = d === 'float32' || d === 'complex64' ? Float32Array : Float64Array
    if (data instanceof F) return { values: data, dtype: d }
    const c = data as { buffer: ArrayBuffer; byteOffset: number; length: number; BYTES_PER_ELEMENT?: number }
    if (isComplex(d) && !ArrayBuffer.isView(data) && buffer instanceof ArrayBuffer && c.BYTES_PER_ELEMENT === 2 * F.BYTES_PER_ELEMENT) {
      return { values: new F(buffer, c.byteOffset, 2 * c.length), dtype: d }
    }
    throw typeError(`${name}.data`, `a ${F.name} for dtype '${d}'`, data)
  }
  if ((dtype === 'generic' || dtype === 'array') && Array.isArray(data)) {
    const values = new Float64Array(data.length)
    data.forEach((v, i) => {
      if (typeof v !== 'number') throw typeError(`${name}.data[${i}]`, 'a number', v)
      values[i] = v
    })
    return { values, dtype: 'float64' }
  }
  const I = typeof dtype === 'string' ? INTEGER_ARRAYS.get(dtype) : undefined
  if (I !== undefined && data instanceof I) return { values: data as Numbers, dtype: 'float64' }
  throw typeError(
    `${name}.dtype`,
    "'float64', 'float32', 'complex128' or 'complex64' (or 'generic' and integer dtypes over data of that kind, read as float64)",
    dtype,
  )
}

/**
 * Copies the view `shape`/`strides`/`offset` (in elements of `width`
 * numbers) of `src` into `dst` in row-major order: the one place where
 * strided input is made contiguous. A contiguous last axis is copied a row
 * at a time.
 */
function gather(src: Numbers, dst: Float64Array | Float32Array, shape: number[], strides: number[], offset: number, width: 1 | 2): void {
  const nd = shape.length
  if (nd === 0) {
    dst.set(src.subarray(offset * width, offset * width + width))
    return
  }
  const len = shape[nd - 1]
  const step = strides[nd - 1] * width
  const row = len * width
  const index = new Array<number>(nd - 1).fill(0)
  let at = offset * width
  for (let k = 0; k < dst.length; k += row) {
    if (step === width) dst.set(src.subarray(at, at + row), k)
    else if (width === 1) for (let i = 0, p = at; i < len; i++, p += step) dst[k + i] = src[p]
    else {
      for (let i = 0, p = at; i < row; i += 2, p += step) {
        dst[k + i] = src[p]
        dst[k + i + 1] = src[p + 1]
      }
    }
    // The next row: count up the leading axes like an odometer.
    for (let ax = nd - 2; ax >= 0; ax--) {
      at += strides[ax] * width
      if (++index[ax] < shape[ax]) break
      at -= strides[ax] * width * shape[ax]
      index[ax] = 0
    }
  }
}

/** A strided array: the NDArray protocol with optional `strides`/`offset`, scijs `ndarray` (`stride`) and `@stdlib/ndarray`. */
function strided(x: StridedArrayLike, name: string): NDArray {
  const { values, dtype } = elements(x.data, x.dtype, name)
  const shape = checkShape(x.shape, `${name}.shape`)
  const width = isComplex(dtype) ? 2 : 1
  const n = product(shape)
  const F = dtype === 'float32' || dtype === 'complex64' ? Float32Array : Float64Array
  const key = x.strides !== undefined && x.strides !== null ? 'strides' : x.stride !== undefined && x.stride !== null ? 'stride' : undefined
  const given = x.offset !== undefined && x.offset !== null
  // Without strides or offset the data must be exactly the array, as a length mismatch is most likely a bug.
  if (key === undefined && !given && values.length !== n * width) {
    throw rangeError(`${name}.data`, `${n * width} values for shape [${shape.join(', ')}] and dtype '${dtype}'`, `${values.length} values`)
  }
  const offset = given ? x.offset : 0
  if (typeof offset !== 'number') throw typeError(`${name}.offset`, 'a non-negative integer', offset)
  if (!Number.isSafeInteger(offset) || offset < 0) throw rangeError(`${name}.offset`, 'a non-negative integer', offset)
  const strides = key === undefined ? defaultStrides(shape, (x as { order?: unknown }).order, `${name}.order`) : checkStrides(x[key], shape.length, `${name}.${key}`)
  if (n === 0) return { data: new F(0), shape, dtype } as NDArray
  // Every element must lie inside data: a view reaching outside it is refused, never read as garbage.
  const len = Math.floor(values.length / width)
  let lo = offset
  let hi = offset
  shape.forEach((s, i) => {
    const reach = (s - 1) * strides[i]
    if (reach < 0) lo += reach
    else hi += reach
  })
  if (lo < 0 || hi >= len) {
    throw rangeError(
      name,
      `a view within its data of ${len} elements (offset ${offset}, ${key ?? 'strides'} [${strides.join(', ')}], shape [${shape.join(', ')}])`,
      `elements ${lo} to ${hi}`,
    )
  }
  const dense = rowMajor(shape)
  if (shape.every((s, i) => s === 1 || strides[i] === dense[i])) {
    // Contiguous: the same memory, as a view when it starts past the beginning or ends before the end.
    const start = offset * width
    const whole = start === 0 && values.length === n * width
    if (values instanceof F) return { data: whole ? values : values.subarray(start, start + n * width), shape, dtype } as NDArray
    return { data: F.from(values.subarray(start, start + n * width)), shape, dtype } as NDArray
  }
  const data = new F(n * width)
  gather(values, data, shape, strides, offset, width)
  return { data, shape, dtype } as NDArray
}

/** mathjs's Matrix: its size and nested values, Complex entries giving complex128. */
function mathMatrix(x: MathMatrixLike, name: string): NDArray {
  const shape = checkShape(x.size(), `${name}.size()`)
  const v = x.valueOf()
  return nested(Array.isArray(v) ? v : [v], name, shape)
}

/** tfjs's Tensor: a copy of `dataSync()` (tensors are immutable, and it may be the tensor's own storage). */
function tensor(x: TensorLike, name: string): NDArray {
  if ((x as { isDisposed?: unknown }).isDisposed === true) throw typeError(name, 'a tensor that is not disposed', x)
  const shape = checkShape(x.shape, `${name}.shape`)
  const values = x.dataSync()
  let a: NDArray
  if (x.dtype === 'float32' || x.dtype === 'complex64') a = { data: Float32Array.from(values), shape, dtype: x.dtype }
  else if (x.dtype === 'int32' || x.dtype === 'bool') a = { data: Float64Array.from(values), shape, dtype: 'float64' }
  else throw typeError(`${name}.dtype`, "'float32', 'complex64', 'int32' or 'bool' (a tfjs tensor)", x.dtype)
  const want = product(shape) * (isComplex(a.dtype) ? 2 : 1)
  if (a.data.length !== want) throw rangeError(`${name}.dataSync()`, `${want} values for shape [${shape.join(', ')}]`, `${a.data.length} values`)
  return a
}

function has(x: object, method: string): boolean {
  return typeof (x as Record<string, unknown>)[method] === 'function'
}

/**
 * Normalises any accepted input to a contiguous row-major NDArray and checks
 * it: the one place where arrays are validated. Contiguous input keeps its
 * memory (zero-copy); strided, offset, reversed or column-major views are
 * gathered into a fresh array; integer and 'generic' data become float64.
 * `name` is the argument's name in messages.
 *
 * @throws TypeError or RangeError naming `name` for anything that cannot be read right.
 */
export function asNDArray(x: unknown, name = 'x'): NDArray {
  if (x instanceof Float64Array || x instanceof Float32Array) {
    if (isDetached(x.buffer)) throw typeError(name, 'a typed array whose buffer is not detached', x)
    return { data: x, shape: [x.length], dtype: x instanceof Float32Array ? 'float32' : 'float64' }
  }
  if (isIntegerArray(x)) {
    if (isDetached(x.buffer)) throw typeError(name, 'a typed array whose buffer is not detached', x)
    return { data: Float64Array.from(x), shape: [x.length], dtype: 'float64' }
  }
  if (Array.isArray(x)) return nested(x, name)
  if (x !== null && typeof x === 'object') {
    // Before the strided protocol: a tfjs Tensor has `shape` and a `data()` method.
    if (has(x, 'dataSync') && 'shape' in x) return tensor(x as TensorLike, name)
    if ('data' in x && 'shape' in x) return strided(x as StridedArrayLike, name)
    if (has(x, 'storage') && has(x, 'size')) return mathMatrix(x as MathMatrixLike, name)
    if (has(x, 'to1DArray') && typeof (x as MatrixLike).rows === 'number' && typeof (x as MatrixLike).columns === 'number') {
      const m = x as MatrixLike
      return { data: Float64Array.from(m.to1DArray()), shape: checkShape([m.rows, m.columns], `${name}.rows/columns`), dtype: 'float64' }
    }
  }
  throw typeError(
    name,
    'an NDArray ({ data, shape, dtype, strides?, offset? }), a Float64Array, a Float32Array, a (nested) number[], or an ndarray, @stdlib/ndarray, ml-matrix, mathjs or tfjs array',
    x,
  )
}

/**
 * Reads a real array into a fresh row-major Float64Array, with its shape: how
 * optimize reads x0, bounds, init, constraint matrices and other data, so
 * they accept every input {@link asNDArray} does (views read right).
 *
 * @param ndim - The number of axes the array must have; any when omitted.
 * @throws TypeError for complex or unreadable input, RangeError for another number of axes, both naming `name`.
 */
export function readFloat64(x: unknown, name: string, ndim?: number): { data: Float64Array; shape: number[] } {
  const a = asNDArray(x, name)
  if (isComplex(a.dtype)) throw typeError(name, 'a real array', a.dtype)
  if (ndim !== undefined && a.shape.length !== ndim) throw rangeError(name, `a ${ndim}-D array`, `shape [${a.shape.join(', ')}]`)
  return { data: Float64Array.from(a.data), shape: a.shape }
}
