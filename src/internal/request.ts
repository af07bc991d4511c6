// The transform request the native binding reads: one Uint32Array, so a call
// costs one argument conversion instead of a dozen property reads. The layout
// is documented beside its parser, crates/musique-napi/src/fft.rs (`Request`).

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
  norm: 'backward' | 'ortho' | 'forward'
  realInput: boolean
  workers: number
}

const KINDS: Record<Kind, number> = { c2c: 0, r2c: 1, c2r: 2, dct: 3, dst: 4 }
const NORMS = { backward: 0, ortho: 1, forward: 2 } as const

export function encodeRequest(r: FftRequest): Uint32Array {
  const d = r.shape.length
  const k = r.axes.length
  const h = new Uint32Array(7 + d + 2 * k)
  h[0] = KINDS[r.kind]
  h[1] = (r.forward ? 1 : 0) | (r.hermitian ? 2 : 0) | (r.inverse ? 4 : 0) | (r.orthogonalize ? 8 : 0) | (r.realInput ? 16 : 0)
  h[2] = r.type
  h[3] = NORMS[r.norm]
  h[4] = r.workers
  h[5] = d
  h[6] = k
  h.set(r.shape, 7)
  h.set(r.axes, 7 + d)
  h.set(r.lens, 7 + d + k)
  return h
}
