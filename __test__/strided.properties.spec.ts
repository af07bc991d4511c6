// Random strided views read right: fast-check draws a view (1 to 3 axes, any
// axis order, steps of ±1 to ±3, an offset into a larger buffer, any dtype),
// built as a plain NDArray with strides/offset, a scijs `ndarray` or an
// @stdlib/ndarray, and every fft family (c2c, r2c, c2r, dct) and several
// linalg entry points must give on it what they give on the same values
// copied out by hand. The copy walks the view's coordinates in the larger
// buffer, not its strides.
import * as sn from '@stdlib/ndarray'
import test from 'ava'
import fc from 'fast-check'

import * as F from '../src/fft'
import * as L from '../src/linalg'
import { asNDArray, type DType, type NDArray } from '../src/ndarray'

import { allcloseMismatch } from './helpers/allclose'

fc.configureGlobal({ includeErrorInReport: true, interruptAfterTimeLimit: 60_000 })

// eslint-disable-next-line @typescript-eslint/no-require-imports
const scijs = require('ndarray') as (data: Float64Array | Float32Array, shape: number[], stride: number[], offset: number) => unknown

interface View {
  /** The buffer the view looks into: `lead` values, then a row-major block of `outer` shape, then `tail`. */
  buffer: number[]
  dtype: DType
  shape: number[]
  /** View axis a walks block axis perm[a], from `start[perm[a]]` by `step[perm[a]]`. */
  perm: number[]
  step: number[]
  start: number[]
  outer: number[]
  lead: number
  kind: 'plain' | 'scijs' | 'stdlib'
}

const arbView: fc.Arbitrary<View> = fc
  .record({
    dims: fc.array(fc.record({ n: fc.integer({ min: 1, max: 5 }), step: fc.integer({ min: 1, max: 3 }), back: fc.boolean(), pad: fc.integer({ min: 0, max: 2 }) }), { minLength: 1, maxLength: 3 }),
    dtype: fc.constantFrom<DType>('float64', 'float32', 'complex128', 'complex64'),
    lead: fc.integer({ min: 0, max: 5 }),
    tail: fc.integer({ min: 0, max: 3 }),
    kind: fc.constantFrom<View['kind']>('plain', 'scijs', 'stdlib'),
    order: fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 3, maxLength: 3 }),
  })
  .chain(({ dims, dtype, lead, tail, kind, order }) => {
    const outer = dims.map((d) => (d.n - 1) * d.step + 1 + d.pad)
    const perm = dims.map((_, k) => k).sort((a, b) => order[a] - order[b] || a - b)
    const width = dtype === 'complex128' || dtype === 'complex64' ? 2 : 1
    const total = (lead + outer.reduce((p, s) => p * s, 1) + tail) * width
    const values = fc.array(fc.double({ min: -100, max: 100, noNaN: true }), { minLength: total, maxLength: total })
    return values.map(
      (buffer): View => ({
        buffer,
        dtype,
        shape: perm.map((k) => dims[k].n),
        perm,
        step: dims.map((d) => (d.back ? -d.step : d.step)),
        start: dims.map((d) => (d.back ? (d.n - 1) * d.step + d.pad : d.pad > 0 ? 1 : 0)),
        outer,
        lead,
        // scijs holds real data only; @stdlib's real views are built with its own constructor.
        kind: width === 2 ? 'plain' : kind,
      }),
    )
  })

const single = (d: DType) => d === 'float32' || d === 'complex64'
const widthOf = (d: DType) => (d === 'complex128' || d === 'complex64' ? 2 : 1)

/** The view as the caller passes it. */
function build(v: View): unknown {
  const data = single(v.dtype) ? Float32Array.from(v.buffer) : Float64Array.from(v.buffer)
  const blockStrides = v.outer.map((_, k) => v.outer.slice(k + 1).reduce((p, s) => p * s, 1))
  const strides = v.perm.map((k) => blockStrides[k] * v.step[k])
  const offset = v.lead + v.start.reduce((s, c, k) => s + c * blockStrides[k], 0)
  if (v.kind === 'scijs') return scijs(data, v.shape, strides, offset)
  if (v.kind === 'stdlib') return new sn.ndarray(v.dtype as 'float64', data as Float64Array, v.shape, strides, offset, 'row-major')
  return { data, shape: v.shape, dtype: v.dtype, strides, offset }
}

/** The same values copied out by hand: each element found by its coordinates in the block. */
function contiguous(v: View): NDArray {
  const w = widthOf(v.dtype)
  const n = v.shape.reduce((p, s) => p * s, 1)
  const out = single(v.dtype) ? new Float32Array(n * w) : new Float64Array(n * w)
  const src = single(v.dtype) ? Float32Array.from(v.buffer) : Float64Array.from(v.buffer)
  const idx = v.shape.map(() => 0)
  for (let e = 0; e < n; e++) {
    const coord = v.outer.map(() => 0)
    v.perm.forEach((k, a) => (coord[k] = v.start[k] + idx[a] * v.step[k]))
    let flat = 0
    for (let k = 0; k < v.outer.length; k++) flat = flat * v.outer[k] + coord[k]
    for (let c = 0; c < w; c++) out[e * w + c] = src[(v.lead + flat) * w + c]
    for (let a = idx.length - 1; a >= 0 && ++idx[a] === v.shape[a]; a--) idx[a] = 0
  }
  return { data: out, shape: [...v.shape], dtype: v.dtype } as NDArray
}

function identical(what: string, a: NDArray | number, e: NDArray | number): void {
  if (typeof a === 'number' || typeof e === 'number') {
    if (!Object.is(a, e)) throw new Error(`${what}: ${a} ≠ ${e}`)
    return
  }
  if (a.dtype !== e.dtype || a.shape.join() !== e.shape.join()) throw new Error(`${what}: ${a.dtype} [${a.shape}] ≠ ${e.dtype} [${e.shape}]`)
  for (let i = 0; i < e.data.length; i++) {
    if (!Object.is(a.data[i], e.data[i])) throw new Error(`${what}: [${i}] ${a.data[i]} ≠ ${e.data[i]}`)
  }
}

// linalg may split its work across threads; the same input still gives the same answer
// up to reassociation, so the tolerance is a few ulps of the result's scale.
function close(what: string, a: NDArray | number, e: NDArray | number): void {
  const [x, y] = typeof a === 'number' ? [[a], [e as number]] : [a.data, (e as NDArray).data]
  const scale = Math.max(1, ...Array.from(y, Math.abs))
  const why = allcloseMismatch(x, y, { rtol: 1e-13, atol: 1e-13 * scale, what })
  if (why) throw new Error(why)
}

/** The result of f, or the error's class and message: a view must fail exactly as its copy does. */
function outcome<R>(f: () => R): R | string {
  try {
    return f()
  } catch (err) {
    return `${(err as Error).name}: ${(err as Error).message}`
  }
}

function agree(what: string, f: (x: unknown) => NDArray | number, view: unknown, copy: NDArray, cmp = identical): void {
  const a = outcome(() => f(view))
  const e = outcome(() => f(copy))
  if (typeof a === 'string' || typeof e === 'string') {
    if (a !== e) throw new Error(`${what}: ${typeof a === 'string' ? a : 'a result'} vs ${typeof e === 'string' ? e : 'a result'}`)
    return
  }
  cmp(what, a, e)
}

test('a strided view is read as its contiguous copy', (t) => {
  fc.assert(
    fc.property(arbView, (v) => {
      identical('asNDArray', asNDArray(build(v)), contiguous(v))
    }),
    { numRuns: 300 },
  )
  t.pass()
})

test('every fft family gives on a random view what it gives on the contiguous copy, bit for bit', (t) => {
  fc.assert(
    fc.property(arbView, (v) => {
      const x = build(v)
      const c = contiguous(v)
      agree('fft', (y) => F.fft(y as never), x, c)
      agree('ifftn', (y) => F.ifftn(y as never), x, c)
      agree('dct', (y) => F.dct(y as never, { type: 2 }), x, c)
      agree('idstn', (y) => F.idstn(y as never, { type: 3 }), x, c)
      if (widthOf(v.dtype) === 1) {
        agree('rfft', (y) => F.rfft(y as never), x, c)
        agree('rfftn', (y) => F.rfftn(y as never), x, c)
        agree('ihfft', (y) => F.ihfft(y as never), x, c)
      } else {
        agree('irfft', (y) => F.irfft(y as never), x, c)
        agree('hfftn', (y) => F.hfftn(y as never), x, c)
      }
      agree('fftshift', (y) => F.fftshift(y as never), x, c)
    }),
  )
  t.pass()
})

test('linalg gives on a random real 2-D view what it gives on the contiguous copy', (t) => {
  const real2d = arbView.filter((v) => v.shape.length === 2 && widthOf(v.dtype) === 1)
  fc.assert(
    fc.property(real2d, (v) => {
      const x = build(v)
      const c = contiguous(v)
      agree('svdvals', (y) => L.svdvals(y as never), x, c, close)
      agree('qr r', (y) => L.qr(y as never, { mode: 'r' }).r, x, c, close)
      agree('matmul', (y) => L.matmul(y as never, { ...c, shape: [c.shape[1], c.shape[0]] }), x, c, close)
      agree('norm', (y) => L.norm(y as never) as number, x, c, close)
      if (v.shape[0] === v.shape[1]) {
        agree('det', (y) => L.det(y as never), x, c, close)
        agree('lu u', (y) => L.lu(y as never).u, x, c, close)
        agree('solve', (y) => L.solve(y as never, Array.from({ length: v.shape[0] }, (_, i) => i + 1)), x, c, (w, a, e) => {
          // A nearly singular draw amplifies the rounding of the two calls alike; compare residual-sized.
          const [p, q] = [(a as NDArray).data, (e as NDArray).data]
          const scale = Math.max(1, ...Array.from(q, Math.abs))
          const why = allcloseMismatch(p, q, { rtol: 1e-9, atol: 1e-9 * scale, what: w })
          if (why) throw new Error(why)
        })
      }
    }),
  )
  t.pass()
})
