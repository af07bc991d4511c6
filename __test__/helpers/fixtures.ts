// Loads the SciPy reference fixtures that fixtures/scipy/generate.py writes
// (its docstring describes the format) and decodes their arrays to NDArrays.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'

import type { NDArray } from 'musique'

/** A JSON value of an array: a number, or a non-finite value spelt as a string. */
export type EncodedValue = number | 'NaN' | 'Infinity' | '-Infinity'

export interface EncodedArray {
  dtype: NDArray['dtype']
  shape: number[]
  /** Flat, row-major; complex values interleaved re, im. */
  data: EncodedValue[]
}

export interface FixtureFile<C> {
  generator: string
  scipy: string
  numpy: string
  seed: number
  cases: C[]
}

/** fft … idstn: `fn(input, options)` gives `output`. */
export interface TransformCase {
  fn: string
  options: Record<string, unknown>
  input: EncodedArray
  output: EncodedArray
}

/** fftfreq, rfftfreq, fftshift, ifftshift, nextFastLen, prevFastLen. */
export interface HelperCase {
  fn: 'fftfreq' | 'rfftfreq' | 'fftshift' | 'ifftshift' | 'nextFastLen' | 'prevFastLen'
  /** fftfreq/rfftfreq: { n, d? }; nextFastLen/prevFastLen: { target, real? }. */
  args?: Record<string, number | boolean>
  /** fftshift/ifftshift: { axes? }. */
  options?: { axes?: number | number[] }
  input?: EncodedArray
  output: EncodedArray | number
}

/** fixtures/scipy at the repository root. */
export const FIXTURE_DIR = join(__dirname, '..', '..', 'fixtures', 'scipy')

export function loadFixtures<C = TransformCase>(name: string): FixtureFile<C> {
  return JSON.parse(readFileSync(join(FIXTURE_DIR, name), 'utf8')) as FixtureFile<C>
}

function decodeValue(v: EncodedValue): number {
  if (typeof v === 'number') return v
  switch (v) {
    case 'NaN':
      return NaN
    case 'Infinity':
      return Infinity
    case '-Infinity':
      return -Infinity
    default:
      throw new TypeError(`fixture value ${JSON.stringify(v)} is neither a number nor 'NaN', 'Infinity' or '-Infinity'`)
  }
}

/**
 * Decodes an array: a Float64Array for float64/complex128, a Float32Array for
 * float32/complex64 (whose values the generator wrote so that they round to
 * the exact float32 here).
 */
export function decode(a: EncodedArray): NDArray {
  const single = a.dtype === 'float32' || a.dtype === 'complex64'
  const data = single ? new Float32Array(a.data.length) : new Float64Array(a.data.length)
  for (let i = 0; i < data.length; i++) data[i] = decodeValue(a.data[i])
  const count = a.shape.reduce((p, s) => p * s, 1) * (a.dtype.startsWith('complex') ? 2 : 1)
  if (count !== data.length) throw new RangeError(`fixture array of shape [${a.shape}] (${a.dtype}) has ${data.length} values`)
  return { data, shape: [...a.shape], dtype: a.dtype } as NDArray
}

/** `fn(dtype[shape], options)`, the way a case is named in test messages. */
export function describeCase(c: { fn: string; options?: unknown; args?: unknown; input?: EncodedArray }): string {
  const parts: string[] = []
  if (c.input) parts.push(`${c.input.dtype}[${c.input.shape.join(', ')}]`)
  if (c.args) parts.push(JSON.stringify(c.args))
  if (c.options && Object.keys(c.options).length > 0) parts.push(JSON.stringify(c.options))
  return `${c.fn}(${parts.join(', ')})`
}
