// Loads the SciPy reference fixtures written by fixtures/scipy/generate.py.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'

import type { NDArray } from 'musique'

export interface EncodedArray {
  dtype: NDArray['dtype']
  shape: number[]
  b64: string
}

export interface FixtureFile<C> {
  scipy: string
  numpy: string
  cases: C[]
}

export interface TransformCase {
  fn: string
  options: Record<string, unknown>
  input: EncodedArray
  output: EncodedArray
}

const DIR = join(__dirname, '..', '..', 'fixtures', 'scipy')

export function loadFixtures<C = TransformCase>(name: string): FixtureFile<C> {
  return JSON.parse(readFileSync(join(DIR, name), 'utf8')) as FixtureFile<C>
}

/** Decodes an array: little-endian float64/float32 bytes, copied so the typed array is aligned. */
export function decode(a: EncodedArray): NDArray {
  const bytes = Buffer.from(a.b64, 'base64')
  const single = a.dtype === 'float32' || a.dtype === 'complex64'
  const Ctor = single ? Float32Array : Float64Array
  const data = new Ctor(bytes.byteLength / Ctor.BYTES_PER_ELEMENT)
  new Uint8Array(data.buffer).set(bytes)
  return { data, shape: a.shape, dtype: a.dtype } as NDArray
}

export function describeCase(c: { fn: string; options?: unknown; input?: EncodedArray }): string {
  const shape = c.input ? `${c.input.dtype}[${c.input.shape.join(', ')}]` : ''
  return `${c.fn}(${shape}${c.options ? ', ' + JSON.stringify(c.options) : ''})`
}
