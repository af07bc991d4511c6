// NDArray: typed data, a shape and a dtype. Complex data is interleaved
// re/im, so it reaches Rust's Complex<T> without a copy.

import { rangeError, typeError } from './internal/errors'

/** Element types: real float64/float32, and complex128/complex64 stored as interleaved re/im. */
export type DType = 'float64' | 'float32' | 'complex128' | 'complex64'

/** The typed array behind a dtype. */
export type DataOf<D extends DType> = D extends 'float64' | 'complex128' ? Float64Array : Float32Array

/**
 * An n-D array in row-major (C) order. `data.length` is the product of
 * `shape`, times two for complex dtypes (interleaved re, im).
 *
 * Any object with these three fields is accepted as input, so other array
 * libraries can pass theirs without conversion.
 *
 * @example
 * ```ts
 * import type { NDArray } from 'musique'
 * const a: NDArray = { data: new Float64Array([1, 2, 3, 4, 5, 6]), shape: [2, 3], dtype: 'float64' }
 * ```
 */
export interface NDArray<D extends DType = DType> {
  /** The values, row-major; complex values interleaved re, im. */
  data: DataOf<D>
  /** Length of each axis. */
  shape: number[]
  /** Element type. */
  dtype: D
}

/** Real or complex input accepted by Musique functions: an NDArray, a Float64Array/Float32Array (real 1-D) or (nested) number arrays (real, float64). */
export type ArrayInput = NDArray | Float64Array | Float32Array | number[] | number[][] | number[][][]

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

function checkShape(shape: unknown, name: string): number[] {
  if (!Array.isArray(shape)) throw typeError(name, 'an array of non-negative integers', shape)
  for (const s of shape) {
    if (typeof s !== 'number' || !Number.isInteger(s) || s < 0 || s > 2 ** 32 - 1) {
      throw rangeError(name, 'an array of non-negative integers', `[${shape.join(', ')}]`)
    }
  }
  return [...shape]
}

const DTYPES: DType[] = ['float64', 'float32', 'complex128', 'complex64']

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

function nested(x: unknown[], name: string): NDArray<'float64'> {
  const shape: number[] = []
  let level: unknown = x
  while (Array.isArray(level)) {
    shape.push(level.length)
    level = level[0]
  }
  const flat = new Float64Array(product(shape))
  let k = 0
  const walk = (v: unknown, depth: number): void => {
    if (depth === shape.length) {
      if (typeof v !== 'number') throw typeError(name, 'numbers (nested arrays of equal lengths)', v)
      flat[k++] = v
      return
    }
    if (!Array.isArray(v) || v.length !== shape[depth]) {
      throw rangeError(name, `a nested array with shape [${shape.join(', ')}] (ragged arrays are not supported)`, v)
    }
    for (const e of v) walk(e, depth + 1)
  }
  walk(x, 0)
  return { data: flat, shape, dtype: 'float64' }
}

/**
 * Normalises any accepted input to an NDArray and checks it: the one place
 * where arrays are validated. `name` is the argument's name in messages.
 */
export function asNDArray(x: unknown, name = 'x'): NDArray {
  if (x instanceof Float64Array || x instanceof Float32Array) {
    if (isDetached(x.buffer)) throw typeError(name, 'a typed array whose buffer is not detached', x)
    return { data: x, shape: [x.length], dtype: x instanceof Float32Array ? 'float32' : 'float64' }
  }
  if (Array.isArray(x)) return nested(x, name)
  if (x === null || typeof x !== 'object' || !('data' in x) || !('shape' in x) || !('dtype' in x)) {
    throw typeError(name, 'an NDArray ({ data, shape, dtype }), a Float64Array, a Float32Array or a number[]', x)
  }
  const { data, shape, dtype } = x as NDArray
  if (!DTYPES.includes(dtype)) {
    throw typeError(`${name}.dtype`, "'float64', 'float32', 'complex128' or 'complex64'", dtype)
  }
  const want = dtype === 'float32' || dtype === 'complex64' ? Float32Array : Float64Array
  if (!(data instanceof want)) throw typeError(`${name}.data`, `a ${want.name} for dtype '${dtype}'`, data)
  if (isDetached(data.buffer)) throw typeError(`${name}.data`, 'a typed array whose buffer is not detached', data)
  const sh = checkShape(shape, `${name}.shape`)
  const expected = product(sh) * (isComplex(dtype) ? 2 : 1)
  if (data.length !== expected) {
    throw rangeError(
      `${name}.data`,
      `${expected} values for shape [${sh.join(', ')}] and dtype '${dtype}'`,
      `${data.length} values`,
    )
  }
  return { data, shape: sh, dtype } as NDArray
}
