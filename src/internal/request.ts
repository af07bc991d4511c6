// The transform request the native binding reads: one Uint32Array (see `header`), so a call
// costs one argument conversion instead of a dozen property reads. The layout, codes and
// flags are the binding's (crates/musique-napi/src/fft.rs, `fftWire()`), read once here.

import type { Norm } from '../fft'
import native = require('./native')

export type Kind = 'c2c' | 'r2c' | 'c2r' | 'dct' | 'dst'

/** A validated, normalised transform: axes non-negative, lengths ≥ 1, workers resolved. */
export interface FftRequest {
  kind: Kind
  shape: number[]
  axes: number[]
  lens: number[]
  forward: boolean
  hermitian: boolean
  inverse: boolean
  type: number
  orthogonalize: boolean
  norm: Norm
  realInput: boolean
  workers: number
  /** The function called (its name in musique/fft), named in the binding's messages. */
  name: string
}

const WIRE = native.fftWire()

/** Each name's code: its index in the binding's table. */
function codes(names: string[]): Record<string, number> {
  return Object.fromEntries(names.map((n, i) => [n, i]))
}

const KIND = codes(WIRE.kinds)
const NORM = codes(WIRE.norms)
const NAME = codes(WIRE.names)
const FIELD = codes(WIRE.header)
const FLAG = WIRE.flags

/** SciPy's norm names, in the order of their codes. */
export const NORM_NAMES: readonly string[] = WIRE.norms

/** Results below this many bytes are allocated by the caller (see runtime.rs, `EXTERNAL_MIN`). */
export const SMALL_RESULT: number = WIRE.smallResult

export function encodeRequest(r: FftRequest): number[] {
  const flags =
    (r.forward ? FLAG.forward : 0) |
    (r.hermitian ? FLAG.hermitian : 0) |
    (r.inverse ? FLAG.inverse : 0) |
    (r.orthogonalize ? FLAG.orthogonalize : 0) |
    (r.realInput ? FLAG.realInput : 0)
  const head = new Array<number>(WIRE.header.length)
  head[FIELD.kind] = KIND[r.kind]
  head[FIELD.flags] = flags
  head[FIELD.type] = r.type
  head[FIELD.norm] = NORM[r.norm]
  head[FIELD.workers] = r.workers
  head[FIELD.ndim] = r.shape.length
  head[FIELD.naxes] = r.axes.length
  head[FIELD.name] = NAME[r.name]
  return [...head, ...r.shape, ...r.axes, ...r.lens]
}

let scratch = new Uint32Array(64)

/**
 * `req` in a Uint32Array for the binding, which parses it before returning
 * (async calls included), so one buffer made once serves every call on this
 * thread. A fresh typed array per call would allocate an ArrayBuffer backing
 * store, and with large results outstanding that allocation is where V8 checks
 * its external-memory limit and starts GC work on its background threads, which
 * then ran beside a two-thread transform on a two-core machine: fft2 2048²
 * at workers 2 took 2-2.5 ms longer (22.4 against 20.1 ms).
 */
export function header(req: number[]): Uint32Array {
  if (req.length > scratch.length) scratch = new Uint32Array(2 * req.length)
  scratch.set(req)
  return scratch.subarray(0, req.length)
}
