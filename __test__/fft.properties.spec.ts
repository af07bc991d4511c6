// Invariants of the transforms, checked on random inputs with fast-check.
import test from 'ava'
import fc from 'fast-check'

import type { NDArray } from 'musique'
import * as F from 'musique/fft'

import { assertAllclose } from './helpers/allclose'

// float64 round trips lose a few ulps per butterfly stage: rtol 1e-9 with an
// absolute floor scaled by the signal's size.
const RTOL = 1e-9
const ATOL = 1e-9

const signal = (min: number, max: number) =>
  fc.array(fc.double({ min: -1e3, max: 1e3, noNaN: true, noDefaultInfinity: true }), { minLength: min, maxLength: max })

const asComplex = (re: number[], im: number[]): NDArray => {
  const data = new Float64Array(2 * re.length)
  re.forEach((v, i) => {
    data[2 * i] = v
    data[2 * i + 1] = im[i] ?? 0
  })
  return { data, shape: [re.length], dtype: 'complex128' }
}

const sumSq = (a: ArrayLike<number>) => {
  let s = 0
  for (let i = 0; i < a.length; i++) s += a[i] * a[i]
  return s
}

const scale = (xs: ArrayLike<number>) => Math.max(1, ...Array.from(xs, Math.abs))

test('ifft(fft(x)) ≈ x for every norm', (t) => {
  fc.assert(
    fc.property(signal(1, 300), fc.constantFrom<F.Norm>('backward', 'ortho', 'forward'), (re, norm) => {
      const x = asComplex(re, re.map((v) => v / 3 - 1))
      const back = F.ifft(F.fft(x, { norm }), { norm })
      assertAllclose(t, back.data, x.data, { rtol: RTOL, atol: ATOL * scale(x.data) })
    }),
  )
})

test('Parseval: ‖fft(x)‖² = n ‖x‖², and ortho preserves the norm', (t) => {
  fc.assert(
    fc.property(signal(1, 300), (re) => {
      const x = asComplex(re, re.map((v) => -v / 2))
      const e = sumSq(x.data)
      const n = re.length
      assertAllclose(t, [sumSq(F.fft(x).data)], [n * e], { rtol: 1e-9, atol: 1e-9 })
      assertAllclose(t, [sumSq(F.fft(x, { norm: 'ortho' }).data)], [e], { rtol: 1e-9, atol: 1e-9 })
    }),
  )
})

test('linearity: fft(a x + b y) = a fft(x) + b fft(y)', (t) => {
  fc.assert(
    fc.property(
      fc.integer({ min: 1, max: 200 }).chain((n) => fc.tuple(signal(n, n), signal(n, n))),
      fc.double({ min: -10, max: 10, noNaN: true }),
      fc.double({ min: -10, max: 10, noNaN: true }),
      ([x, y], a, b) => {
        const lhs = F.fft(x.map((v, i) => a * v + b * y[i])).data
        const fx = F.fft(x).data
        const fy = F.fft(y).data
        const rhs = fx.map((v, i) => a * v + b * fy[i])
        assertAllclose(t, lhs, rhs, { rtol: 1e-9, atol: 1e-9 * scale(rhs) })
      },
    ),
  )
})

test('irfft(rfft(x), n) ≈ x for odd and even n, and rfft is the first half of fft', (t) => {
  fc.assert(
    fc.property(signal(1, 300), (x) => {
      const r = F.rfft(x)
      assertAllclose(t, F.irfft(r, { n: x.length }).data, x, { rtol: RTOL, atol: ATOL * scale(x) })
      const full = F.fft(x).data
      assertAllclose(t, r.data, full.subarray(0, r.data.length), { rtol: 1e-12, atol: 1e-12 * scale(full) })
    }),
  )
})

test('dct/idct and dst/idst round trips for each type and norm', (t) => {
  fc.assert(
    fc.property(
      signal(2, 200),
      fc.constantFrom<1 | 2 | 3 | 4>(1, 2, 3, 4),
      fc.constantFrom<F.Norm>('backward', 'ortho', 'forward'),
      fc.boolean(),
      (x, type, norm, orthogonalize) => {
        const o = { type, norm, orthogonalize }
        assertAllclose(t, F.idct(F.dct(x, o), o).data, x, { rtol: RTOL, atol: ATOL * scale(x) })
        assertAllclose(t, F.idst(F.dst(x, o), o).data, x, { rtol: RTOL, atol: ATOL * scale(x) })
      },
    ),
  )
})

test('n-D round trips: ifftn(fftn(x)) and irfftn(rfftn(x)) over random shapes and axes', (t) => {
  fc.assert(
    fc.property(
      fc.array(fc.integer({ min: 1, max: 6 }), { minLength: 1, maxLength: 3 }),
      fc.integer({ min: 0, max: 1000 }),
      (shape, seed) => {
        const n = shape.reduce((a, b) => a * b, 1)
        const data = new Float64Array(n).map((_, i) => Math.sin(seed + i * 1.7))
        const x: NDArray = { data, shape, dtype: 'float64' }
        const c = F.ifftn(F.fftn(x))
        const re = c.data.filter((_, i) => i % 2 === 0)
        assertAllclose(t, re, data, { rtol: RTOL, atol: ATOL })
        assertAllclose(t, F.irfftn(F.rfftn(x), { s: shape }).data, data, { rtol: RTOL, atol: ATOL })
      },
    ),
  )
})

test('overwriteX: an in-place transform equals the default one, and ifftn undoes fftn in the same memory', (t) => {
  fc.assert(
    fc.property(
      fc.array(fc.integer({ min: 1, max: 9 }), { minLength: 1, maxLength: 3 }),
      fc.integer({ min: 0, max: 1000 }),
      fc.constantFrom<F.Norm>('backward', 'ortho', 'forward'),
      fc.constantFrom(1, 2),
      fc.boolean(),
      (shape, seed, norm, workers, single) => {
        const n = shape.reduce((a, b) => a * b, 1)
        const Ctor = single ? Float32Array : Float64Array
        const values = new Ctor(2 * n).map((_, i) => Math.sin(seed + i * 1.3))
        const dtype = single ? 'complex64' : 'complex128'
        // A random subset of axes, in a random order (fftn's axes need not be sorted).
        const axes = shape.map((_, i) => i).filter((i) => (seed >> i) & 1)
        if (axes.length === 0) axes.push(shape.length - 1)
        if (seed & 8) axes.reverse()
        const opts = { axes, norm, workers }
        const expected = F.fftn({ data: values, shape, dtype } as NDArray, opts)
        const x = { data: values.slice(), shape, dtype } as NDArray
        const y = F.fftn(x, { ...opts, overwriteX: true })
        t.is(y.data, x.data)
        t.deepEqual(y.data, expected.data)
        const back = F.ifftn(y, { ...opts, overwriteX: true })
        t.is(back.data, x.data)
        const tol = single ? 1e-4 : RTOL
        assertAllclose(t, back.data, values, { rtol: tol, atol: tol * scale(values) })
        // Real-to-real: dctn of a real array, in place, equals the default dctn.
        const r = { data: values.slice(0, n), shape, dtype: single ? 'float32' : 'float64' } as NDArray
        const type = ((seed % 4) + 1) as 1 | 2 | 3 | 4
        if (type === 1 && axes.some((a) => shape[a] < 2)) return
        const want = F.dctn(r, { axes, norm, type, workers })
        const rr = { ...r, data: r.data.slice() } as NDArray
        const got = F.dctn(rr, { axes, norm, type, workers, overwriteX: true })
        t.is(got.data, rr.data)
        t.deepEqual(got.data, want.data)
      },
    ),
  )
})
