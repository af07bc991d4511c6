// Arrays from other libraries, and strided views of any kind, are read right
// or refused (issue 15, part 1). Every check compares a view with the same
// values made contiguous by hand: nested number arrays built from the view's
// own accessors (scijs and @stdlib `get`, ml-matrix `to2DArray`) or written
// out, which Musique reads through another path than the strided one. Results
// must be identical, bit for bit.
import * as sn from '@stdlib/ndarray'
import stranspose = require('@stdlib/ndarray/transpose')
import * as tf from '@tensorflow/tfjs'
import test, { type ExecutionContext } from 'ava'
import { Matrix, MatrixSubView, MatrixTransposeView } from 'ml-matrix'
import type * as MathJs from 'mathjs' with { 'resolution-mode': 'import' }

import * as F from '../src/fft'
import * as L from '../src/linalg'
import { asNDArray, type NDArray } from '../src/ndarray'
import { approxFprime, Bounds, differentialEvolution, LinearConstraint, minimize, rosen, sphere } from '../src/optimize'

// mathjs is typed as ESM only; it loads with require all the same.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const math = require('mathjs') as typeof MathJs

// tfjs greets Node users on its first op unless told it runs under test.
tf.env().set('IS_TEST', true)

// scijs `ndarray` ships no types: the members used here.
interface Scijs {
  data: Float64Array | Float32Array | number[]
  shape: number[]
  stride: number[]
  offset: number
  dtype: string
  transpose(...axes: number[]): Scijs
  step(...steps: number[]): Scijs
  lo(...at: number[]): Scijs
  hi(...at: number[]): Scijs
  pick(...at: (number | null)[]): Scijs
  get(...at: number[]): number
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const scijs = require('ndarray') as (data: Float64Array | Float32Array | Int32Array | number[], shape?: number[], stride?: number[], offset?: number) => Scijs

/** The values of a 1-D or 2-D view, through its own `get`. */
function viaGet(v: { shape: ArrayLike<number>; get(...at: number[]): number }): number[] | number[][] {
  const [m, n] = [v.shape[0], v.shape[1]]
  if (v.shape.length === 1) return Array.from({ length: m }, (_, i) => v.get(i))
  return Array.from({ length: m }, (_, i) => Array.from({ length: n }, (_, j) => v.get(i, j)))
}

const same = (t: ExecutionContext, a: NDArray, e: NDArray, what = 'values') => {
  t.deepEqual(a.shape, e.shape, `${what}: shape`)
  t.is(a.dtype, e.dtype, `${what}: dtype`)
  t.deepEqual(Array.from(a.data), Array.from(e.data), what)
}

const iota = (n: number, f = (i: number) => i + 1) => Float64Array.from({ length: n }, (_, i) => f(i))

// A non-symmetric, well-conditioned 4×4 (a transposed read differs from the untransposed one).
const A = [
  [4, -2, 1, 0.5],
  [3, 6, -4, 1],
  [2, 1, 8, -3],
  [-1, 0.5, 2, 7],
]
const AT = A[0].map((_, j) => A.map((row) => row[j]))

// ================================================================ the cases

test("the issue's case: rfft of a transposed scijs ndarray reads the transpose", (t) => {
  const x = scijs(new Float64Array([1, 2, 3, 4, 5, 6]), [2, 3]).transpose(1, 0)
  const r = F.rfft(x)
  t.deepEqual(r.shape, [3, 2])
  t.deepEqual(Array.from(r.data), [5, 0, -3, 0, 7, 0, -3, 0, 9, 0, -3, 0])
})

test('solve, det and inv of a transposed scijs view use the transpose', (t) => {
  const view = scijs(Float64Array.from(A.flat()), [4, 4]).transpose(1, 0)
  const b = [1, -2, 3, 0.5]
  same(t, L.solve(view, b), L.solve(AT, b), 'solve')
  t.is(L.det(view), L.det(AT))
  same(t, L.inv(view), L.inv(AT), 'inv')
  // Not the untransposed matrix:
  t.notDeepEqual(Array.from(L.solve(view, b).data), Array.from(L.solve(A, b).data))
})

test('a column-major @stdlib/ndarray gives the right rfft', (t) => {
  const x = sn.array(new Float64Array([1, 2, 3, 4, 5, 6]), { shape: [2, 3], order: 'column-major' })
  // Column-major data [1..6] over 2×3 is [[1, 3, 5], [2, 4, 6]].
  same(t, F.rfft(x), F.rfft([[1, 3, 5], [2, 4, 6]]))
})

// ================================================================ scijs ndarray views

test('scijs views (transposed, lo/hi, step(2), step(-1), offset, pick) in fft, fft2, rfft, dct', (t) => {
  const base = scijs(iota(48, (i) => Math.sin(i) * 10 + i), [6, 8])
  const views: [string, Scijs][] = [
    ['transposed', base.transpose(1, 0)],
    ['lo/hi', base.lo(1, 2).hi(4, 5)],
    ['step(2)', base.step(2)],
    ['step(2, 3)', base.step(2, 3)],
    ['step(-1)', base.step(-1)],
    ['step(-1, -1)', base.step(-1, -1)],
    ['step(1, -2)', base.step(1, -2)],
    ['offset (lo)', base.lo(2, 3)],
    ['transposed, reversed', base.transpose(1, 0).step(-1, 2)],
    ['one row (pick)', base.pick(3, null)],
    ['one column (pick)', base.pick(null, 5)],
  ]
  for (const [label, v] of views) {
    const e = viaGet(v)
    same(t, F.fft(v), F.fft(e), `${label}: fft`)
    same(t, F.rfft(v), F.rfft(e), `${label}: rfft`)
    same(t, F.dct(v, { type: 2 }), F.dct(e, { type: 2 }), `${label}: dct`)
    if (v.shape.length === 2) same(t, F.fft2(v), F.fft2(e), `${label}: fft2`)
  }
})

test('scijs float32, number[] and int32 data', (t) => {
  const f32 = scijs(new Float32Array([1, 2, 3, 4, 5, 6]), [2, 3]).transpose(1, 0)
  const r = F.rfft(f32)
  t.is(r.dtype, 'complex64')
  same(t, r, F.rfft({ data: new Float32Array([1, 4, 2, 5, 3, 6]), shape: [3, 2], dtype: 'float32' }))
  same(t, asNDArray(scijs([1, 2, 3, 4, 5, 6], [2, 3]).step(1, -1)), { data: new Float64Array([3, 2, 1, 6, 5, 4]), shape: [2, 3], dtype: 'float64' })
  same(t, asNDArray(scijs(new Int32Array([1, 2, 3, 4]), [2, 2]).transpose(1, 0)), { data: new Float64Array([1, 3, 2, 4]), shape: [2, 2], dtype: 'float64' })
})

// ================================================================ @stdlib/ndarray

test('@stdlib/ndarray: transposed, reversed, sliced, constructed with negative strides and an offset', (t) => {
  const base = sn.array(iota(20, (i) => (i * 7) % 11), { shape: [4, 5] })
  const views = {
    transposed: stranspose(base),
    reversed: sn.reverse(base),
    'reversed rows': sn.reverseDimension(base, 0),
    'sliceFrom(1, 2)': sn.sliceFrom(base, 1, 2),
    'column-major': sn.array(iota(20), { shape: [4, 5], order: 'column-major' }),
    // Element [i, j] at 11 − i + 4j of [1, …, 16]: [[12, 16], [11, 15], [10, 14]].
    'ctor, negative stride': new sn.ndarray('float64', iota(16), [3, 2], [-1, 4], 11, 'row-major'),
  }
  for (const [label, v] of Object.entries(views)) {
    const e = viaGet(v as never)
    same(t, asNDArray(v), asNDArray(e), `${label}: read`)
    same(t, F.fft2(v), F.fft2(e), `${label}: fft2`)
    same(t, L.svdvals(v), L.svdvals(e), `${label}: svdvals`)
  }
  t.deepEqual(viaGet(views['ctor, negative stride'] as never), [
    [12, 16],
    [11, 15],
    [10, 14],
  ])
})

test('@stdlib/ndarray complex128/complex64: Complex128Array data read in place, views gathered', (t) => {
  const z = sn.zeros([3, 4], { dtype: 'complex128' })
  const flat = new Float64Array(24)
  for (let i = 0; i < 12; i++) {
    flat[2 * i] = i + 1
    flat[2 * i + 1] = -(i % 5)
  }
  // Fill the Complex128Array's buffer through a float view of it.
  const d = (z as unknown as { data: { buffer: ArrayBuffer; byteOffset: number } }).data
  new Float64Array(d.buffer, d.byteOffset, 24).set(flat)
  const plain: NDArray = { data: flat, shape: [3, 4], dtype: 'complex128' }
  const read = asNDArray(z)
  same(t, read, plain, 'contiguous')
  t.is(read.data.buffer, d.buffer, 'zero-copy')
  same(t, F.fft(z), F.fft(plain), 'fft')
  // Transposed and reversed complex views: strides count complex elements.
  const zt = stranspose(z)
  const byHand = (i: number, j: number) => [flat[2 * (j * 4 + i)], flat[2 * (j * 4 + i) + 1]]
  const eT = new Float64Array(24)
  for (let i = 0; i < 4; i++) for (let j = 0; j < 3; j++) eT.set(byHand(i, j), 2 * (i * 3 + j))
  same(t, F.fft(zt), F.fft({ data: eT, shape: [4, 3], dtype: 'complex128' }), 'fft of the transpose')
  const zr = sn.reverse(z)
  const eR = new Float64Array(24)
  for (let k = 0; k < 12; k++) eR.set(flat.subarray(2 * (11 - k), 2 * (11 - k) + 2), 2 * k)
  same(t, F.ifft(zr), F.ifft({ data: eR, shape: [3, 4], dtype: 'complex128' }), 'ifft of the reverse')
  const c64 = sn.zeros([2, 2], { dtype: 'complex64' })
  const r64 = asNDArray(c64)
  t.is(r64.dtype, 'complex64')
  t.true(r64.data instanceof Float32Array)
  t.is(r64.data.length, 8)
})

test("@stdlib/ndarray 'generic' and integer dtypes are read as float64", (t) => {
  same(t, asNDArray(sn.array([1, 2, 3, 4], { shape: [2, 2], dtype: 'generic' })), { data: new Float64Array([1, 2, 3, 4]), shape: [2, 2], dtype: 'float64' })
  same(t, asNDArray(stranspose(sn.array(new Int32Array([1, 2, 3, 4]), { shape: [2, 2] }))), { data: new Float64Array([1, 3, 2, 4]), shape: [2, 2], dtype: 'float64' })
})

// ================================================================ typed-array views and the plain protocol

test('Float64Array/Float32Array subarray views and views at a byte offset are read as they are', (t) => {
  const buf = iota(12, (i) => i * i - 3)
  const sub = buf.subarray(3, 11)
  same(t, F.fft(sub), F.fft(Array.from(sub)))
  const at = new Float64Array(buf.buffer, 16, 6)
  same(t, F.dct(at), F.dct(Array.from(at)))
  t.is(asNDArray(at).data, at, 'zero-copy')
  const f32 = new Float32Array(buf).subarray(2, 9)
  same(t, F.rfft(f32), F.rfft(Float32Array.from(f32)))
})

test('the NDArray protocol: strides and offset in elements (complex elements for complex dtypes)', (t) => {
  const data = iota(12)
  // 3×2 transpose of a 2×3 at offset 0, and the 2×2 block at offset 4 of a 3×4 with reversed columns.
  same(t, asNDArray({ data, shape: [3, 2], dtype: 'float64', strides: [1, 3] }), { data: new Float64Array([1, 4, 2, 5, 3, 6]), shape: [3, 2], dtype: 'float64' })
  same(t, asNDArray({ data, shape: [2, 2], dtype: 'float64', strides: [4, -1], offset: 6 }), { data: new Float64Array([7, 6, 11, 10]), shape: [2, 2], dtype: 'float64' })
  // An offset alone: row-major from there; data may be longer.
  same(t, asNDArray({ data, shape: [2, 2], dtype: 'float64', offset: 8 }), { data: new Float64Array([9, 10, 11, 12]), shape: [2, 2], dtype: 'float64' })
  // Complex: 6 complex elements; every other one, backwards.
  same(t, asNDArray({ data, shape: [3], dtype: 'complex128', strides: [-2], offset: 5 }), { data: new Float64Array([11, 12, 7, 8, 3, 4]), shape: [3], dtype: 'complex128' })
  // Without strides, `order` says row- or column-major.
  same(t, asNDArray({ data: iota(6), shape: [2, 3], dtype: 'float64', order: 'column-major' } as NDArray), { data: new Float64Array([1, 3, 5, 2, 4, 6]), shape: [2, 3], dtype: 'float64' })
  same(t, asNDArray({ data: iota(6), shape: [2, 3], dtype: 'float64', order: 'F' } as NDArray), { data: new Float64Array([1, 3, 5, 2, 4, 6]), shape: [2, 3], dtype: 'float64' })
  t.throws(() => asNDArray({ data: iota(6), shape: [2, 3], dtype: 'float64', order: 'K' } as NDArray), { instanceOf: TypeError, message: /^x\.order must be 'row-major' \('C'\) or 'column-major' \('F'\); got 'K'/ })
  // A zero stride repeats an element (a broadcast view).
  same(t, asNDArray({ data, shape: [2, 3], dtype: 'float64', strides: [0, 1], offset: 3 }), { data: new Float64Array([4, 5, 6, 4, 5, 6]), shape: [2, 3], dtype: 'float64' })
  same(t, asNDArray(sn.broadcastArray(sn.array(new Float64Array([1, 2])), [3, 2])), asNDArray([[1, 2], [1, 2], [1, 2]]))
  // 0-d, and a length-1 axis whose stride does not matter.
  same(t, asNDArray({ data, shape: [], dtype: 'float64', strides: [], offset: 3 }), { data: new Float64Array([4]), shape: [], dtype: 'float64' })
  const r = asNDArray({ data, shape: [1, 4], dtype: 'float64', strides: [99, 1], offset: 2 })
  t.is(r.data.buffer, data.buffer, 'a contiguous view is not copied')
})

test('contiguous views stay zero-copy; overwriteX then computes in the caller’s memory, strided views in a copy', (t) => {
  const data = iota(16)
  const before = Array.from(data)
  F.dct(scijs(data, [2, 4], [8, 2], 1), { overwriteX: true }) // every other element: gathered

  t.deepEqual(Array.from(data), before, 'a gathered view leaves the caller’s data alone')
  // A contiguous row-major view at an offset: the same memory.
  const z = iota(20)
  const view: NDArray = { data: z, shape: [2, 4], dtype: 'complex128', offset: 1 }
  const read = asNDArray(view)
  t.is(read.data.buffer, z.buffer)
  t.is(read.data.byteOffset, 16)
  const expected = F.fft({ data: z.slice(2, 18), shape: [2, 4], dtype: 'complex128' })
  const r = F.fft(view, { overwriteX: true })
  same(t, r, expected)
  t.deepEqual(Array.from(z.subarray(2, 18)), Array.from(expected.data), 'computed in place')
  // An exact Float64Array keeps its identity.
  const own = iota(8)
  t.is(asNDArray({ data: own, shape: [2, 4], dtype: 'float64' }).data, own)
  t.is(asNDArray(scijs(own, [2, 4])).data, own)
})

test('the Promise forms read views as the sync forms do', async (t) => {
  const v = scijs(Float64Array.from(A.flat()), [4, 4]).transpose(1, 0).step(1, -1)
  const e = AT.map((row) => [...row].reverse())
  same(t, await F.fft2Async(v), F.fft2(e))
  same(t, await F.dctAsync(v), F.dct(e))
  same(t, await L.solveAsync(v, [1, 2, 3, 4]), L.solve(e, [1, 2, 3, 4]))
  same(t, await L.invAsync(v), L.inv(e))
})

// ================================================================ ml-matrix, mathjs, tfjs

test('ml-matrix Matrix and its transpose/sub views in linalg', (t) => {
  const m = new Matrix(A)
  same(t, asNDArray(m), asNDArray(A))
  const views = { matrix: m, transposeView: new MatrixTransposeView(m), transpose: m.transpose(), subView: new MatrixSubView(m, 1, 3, 0, 2) }
  for (const [label, v] of Object.entries(views)) {
    const e = v.to2DArray()
    same(t, L.inv(v), L.inv(e), `${label}: inv`)
    t.is(L.det(v), L.det(e), `${label}: det`)
    same(t, L.svd(v).s, L.svd(e).s, `${label}: svd`)
    same(t, L.matmul(v, v), L.matmul(e, e), `${label}: matmul`)
  }
  same(t, L.solve(new MatrixTransposeView(m), Matrix.columnVector([1, 2, 3, 4])), L.solve(AT, [[1], [2], [3], [4]]))
})

test('mathjs matrices: dense and sparse real ones as float64, Complex entries as complex128', (t) => {
  const m = math.matrix(A)
  same(t, L.inv(m), L.inv(A))
  same(t, L.lu(math.transpose(m)).u, L.lu(AT).u)
  same(t, L.qr(math.sparse(A)).r, L.qr(A).r)
  const z = math.matrix([math.complex(1, 2), 3, math.complex(0, -1), 4])
  const zr = asNDArray(z)
  t.is(zr.dtype, 'complex128')
  t.deepEqual(Array.from(zr.data), [1, 2, 3, 0, 0, -1, 4, 0])
  same(t, F.fft(z), F.fft({ data: new Float64Array([1, 2, 3, 0, 0, -1, 4, 0]), shape: [4], dtype: 'complex128' }))
  same(t, asNDArray(math.zeros(0, 3) as MathJs.Matrix), { data: new Float64Array(0), shape: [0, 3], dtype: 'float64' })
})

test("tfjs tensors: float32 and complex64 stay single, int32 and bool become float64, the tensor's data is never written", (t) => {
  const x = tf.tensor2d([
    [1, 2, 3],
    [4, 5, 6],
  ])
  const r = F.rfft(x)
  t.is(r.dtype, 'complex64')
  same(t, r, F.rfft({ data: new Float32Array([1, 2, 3, 4, 5, 6]), shape: [2, 3], dtype: 'float32' }))
  same(t, F.fft2(tf.transpose(x)), F.fft2({ data: new Float32Array([1, 4, 2, 5, 3, 6]), shape: [3, 2], dtype: 'float32' }))
  const z = tf.complex([1, 2, 3, 4], [0, -1, 0.5, 2])
  const before = Array.from(z.dataSync())
  const c = F.fft(z, { overwriteX: true })
  t.is(c.dtype, 'complex64')
  same(t, c, F.fft({ data: new Float32Array([1, 0, 2, -1, 3, 0.5, 4, 2]), shape: [4], dtype: 'complex64' }))
  t.deepEqual(Array.from(z.dataSync()), before, 'tensors are immutable')
  same(t, asNDArray(tf.tensor1d([1, 2, 3], 'int32')), { data: new Float64Array([1, 2, 3]), shape: [3], dtype: 'float64' })
  same(t, asNDArray(tf.tensor1d([1, 0, 1], 'bool')), { data: new Float64Array([1, 0, 1]), shape: [3], dtype: 'float64' })
  t.is(L.det(tf.transpose(tf.tensor2d(A))), L.det({ data: Float32Array.from(AT.flat()), shape: [4, 4], dtype: 'float32' }))
})

// ================================================================ optimize

test('optimize reads x0, bounds, init, A and other data arrays through the same reader (views read right)', (t) => {
  const x0 = scijs(new Float64Array([1.9, 1.2, 0.8, 0.7, 1.3]), [5]).step(-1) // [1.3, 0.7, 0.8, 1.2, 1.9]
  const plainX0 = [1.3, 0.7, 0.8, 1.2, 1.9]
  const a = minimize(rosen, x0, { method: 'BFGS' })
  const b = minimize(rosen, plainX0, { method: 'BFGS' })
  t.deepEqual(Array.from(a.x), Array.from(b.x))
  t.is(a.nfev, b.nfev)
  t.deepEqual(Array.from(minimize(sphere, new Float32Array([0, 3, -2, 9]).subarray(1), { method: 'L-BFGS-B' }).x), Array.from(minimize(sphere, [3, -2, 9], { method: 'L-BFGS-B' }).x))
  // Bounds as a 3×2 transposed view of a 2×3 [lo…; hi…], and a Bounds of typed arrays.
  const lohi = scijs(new Float64Array([0.5, -1, 2, 1, 1, 3]), [2, 3]).transpose(1, 0)
  const pairs: [number, number][] = [
    [0.5, 1],
    [-1, 1],
    [2, 3],
  ]
  const expected = Array.from(minimize(sphere, [0.7, 0.5, 2.5], { bounds: pairs }).x)
  t.deepEqual(Array.from(minimize(sphere, [0.7, 0.5, 2.5], { bounds: lohi }).x), expected)
  const typed = new Bounds(new Float64Array([0.5, -1, 2]), sn.array(new Float64Array([1, 1, 3])))
  t.deepEqual(Array.from(minimize(sphere, [0.7, 0.5, 2.5], { bounds: typed }).x), expected)
  t.is(expected[0], 0.5)
  // DE: init as the transpose of a 2×6 array, x0 as a reversed view, A as a transposed view.
  const B2: [number, number][] = [
    [-2, 2],
    [-2, 2],
  ]
  const pts = [
    [0.5, -1],
    [1, 1],
    [-1.5, 0.25],
    [0, 2],
    [1.75, -0.5],
    [-0.25, -1.75],
  ]
  const initView = scijs(Float64Array.from(transposeRows(pts).flat()), [2, 6]).transpose(1, 0)
  const de = (init: unknown, x0: unknown) => differentialEvolution(sphere, B2, { init: init as never, x0: x0 as never, seed: 3, maxiter: 2, polish: false })
  const r1 = de(initView, scijs([0.1, -0.2]).step(-1))
  const r2 = de(pts, [-0.2, 0.1])
  t.deepEqual(Array.from(r1.population.data), Array.from(r2.population.data))
  t.deepEqual(Array.from(r1.x), Array.from(r2.x))
  const Aview = scijs(new Float64Array([1, 0, 1, 1]), [2, 2]).transpose(1, 0) // [[1, 1], [0, 1]]
  const lin = (A: unknown) => differentialEvolution((x) => -x[0] - 2 * x[1], B2, { constraints: new LinearConstraint(A as never, -Infinity, [1, 0.5]), seed: 1, maxiter: 30 })
  t.deepEqual(Array.from(lin(Aview).x), Array.from(lin([[1, 1], [0, 1]]).x))
  t.deepEqual(Array.from(approxFprime(scijs([2, 1]).step(-1), (x) => x[0] ** 2 + 3 * x[1])), Array.from(approxFprime([1, 2], (x) => x[0] ** 2 + 3 * x[1])))
  // Musique's native test functions read views too.
  t.is(rosen(scijs(new Float64Array([0.5, 9, 2, 9, -1]), [3], [2], 0).step(-1)), rosen([-1, 2, 0.5]))
})

function transposeRows(rows: number[][]): number[][] {
  return rows[0].map((_, j) => rows.map((r) => r[j]))
}

// ================================================================ refusals

test('what cannot be read right is refused, naming the argument', (t) => {
  const data = iota(6)
  const bad = (x: unknown, err: { instanceOf: new (...a: never[]) => Error; message: RegExp }) => t.throws(() => F.fft(x as never), err)
  bad({ data, shape: [2, 3], dtype: 'float64', strides: [3] }, { instanceOf: RangeError, message: /^x\.strides must be 2 integers \(one per axis\); got '\[3\]'/ })
  bad({ data, shape: [2, 3], dtype: 'float64', strides: [3, 1.5] }, { instanceOf: RangeError, message: /^x\.strides must be 2 integers/ })
  bad({ data, shape: [2, 3], dtype: 'float64', strides: '3,1' }, { instanceOf: TypeError, message: /^x\.strides must be an array of 2 integers/ })
  bad({ data, shape: [2, 3], dtype: 'float64', offset: -1 }, { instanceOf: RangeError, message: /^x\.offset must be a non-negative integer; got -1/ })
  bad({ data, shape: [2, 3], dtype: 'float64', offset: 0.5 }, { instanceOf: RangeError, message: /^x\.offset must be a non-negative integer/ })
  bad({ data, shape: [2, 3], dtype: 'float64', offset: '1' }, { instanceOf: TypeError, message: /^x\.offset must be a non-negative integer/ })
  // Reaching past the end, and before the start.
  bad({ data, shape: [2, 3], dtype: 'float64', offset: 1 }, { instanceOf: RangeError, message: /^x must be a view within its data of 6 elements \(offset 1, strides \[3, 1\], shape \[2, 3\]\); got 'elements 1 to 6'/ })
  bad({ data, shape: [2, 3], dtype: 'float64', strides: [-3, 1] }, { instanceOf: RangeError, message: /^x must be a view within its data.*got 'elements -3 to 2'/ })
  bad(scijs(data, [2, 3], [3, 1], 2), { instanceOf: RangeError, message: /^x must be a view within its data of 6 elements \(offset 2, stride \[3, 1\]/ })
  bad({ data, shape: [2], dtype: 'complex128', strides: [3] }, { instanceOf: RangeError, message: /^x must be a view within its data of 3 elements/ })
  // Dtypes.
  bad({ data, shape: [6], dtype: 'float16' }, { instanceOf: TypeError, message: /^x\.dtype must be 'float64', 'float32', 'complex128' or 'complex64'.*got 'float16'/ })
  bad({ data, shape: [6], dtype: 'int32' }, { instanceOf: TypeError, message: /^x\.dtype must be/ })
  bad({ data, shape: [3], dtype: 'complex64' }, { instanceOf: TypeError, message: /^x\.data must be a Float32Array for dtype 'complex64'/ })
  bad({ data: [1, 'a'], shape: [2], dtype: 'generic' }, { instanceOf: TypeError, message: /^x\.data\[1\] must be a number; got 'a'/ })
  bad({ data: new BigInt64Array(2), shape: [2], dtype: 'int64' }, { instanceOf: TypeError, message: /^x\.dtype must be/ })
  bad({ data: sn.zeros([2], { dtype: 'complex64' }).data, shape: [2], dtype: 'complex128' }, { instanceOf: TypeError, message: /^x\.data must be a Float64Array for dtype 'complex128'/ })
  bad(tf.tensor1d(['a'], 'string'), { instanceOf: TypeError, message: /^x\.dtype must be 'float32', 'complex64', 'int32' or 'bool' \(a tfjs tensor\); got 'string'/ })
  const gone = tf.tensor1d([1, 2])
  gone.dispose()
  bad(gone, { instanceOf: TypeError, message: /^x must be a tensor that is not disposed/ })
  bad(math.matrix([math.bignumber(1)]), { instanceOf: TypeError, message: /^x must be numbers/ })
  bad({ data, shape: [2, 3] }, { instanceOf: TypeError, message: /^x\.dtype must be/ })
  bad({ rows: 2 }, { instanceOf: TypeError, message: /^x must be an NDArray .*ml-matrix, mathjs or tfjs array/ })
  const detached = iota(4)
  structuredClone(detached.buffer, { transfer: [detached.buffer] })
  bad({ data: detached, shape: [2], dtype: 'float64', strides: [1] }, { instanceOf: TypeError, message: /^x\.data must be a typed array whose buffer is not detached/ })
  // linalg and optimize name their own arguments.
  t.throws(() => L.solve({ data, shape: [2, 2], dtype: 'float64', strides: [4, 2] }, [1, 2]), { instanceOf: RangeError, message: /^a must be a view within its data/ })
  t.throws(() => L.det({ data, shape: [2, 2], dtype: 'float64', stride: [3] } as never), { instanceOf: RangeError, message: /^a\.stride must be 2 integers/ })
  t.throws(() => minimize(sphere, { data, shape: [3], dtype: 'float64', strides: [3] }), { instanceOf: RangeError, message: /^x0 must be a view within its data/ })
  t.throws(() => minimize(sphere, [[1, 2]] as never), { instanceOf: RangeError, message: /^x0 must be a 1-D array; got 'shape \[1, 2\]'/ })
  t.throws(() => minimize(sphere, { data: new Float64Array(4), shape: [2], dtype: 'complex128' }), { instanceOf: TypeError, message: /^x0 must be a real array; got 'complex128'/ })
  t.throws(() => minimize(sphere, ['a', 1] as never), { instanceOf: TypeError, message: /^x0 must be numbers/ })
  t.throws(() => minimize(sphere, [1, 2], { bounds: scijs([0, 1, 0, 1, 0, 1], [2, 3]) }), { instanceOf: RangeError, message: /^bounds must be an n×2 array of \[lo, hi\] pairs; got 'shape \[2, 3\]'/ })
  t.throws(() => minimize(sphere, [1, 2], { bounds: new Bounds([0, 0], [1, 1, 1]) }), { instanceOf: RangeError, message: /^bounds\.ub must be a number or 2 numbers/ })
  t.throws(() => differentialEvolution(sphere, [[0, 1]], { init: [[0.5, 0.5]] }), { instanceOf: RangeError, message: /^init must be an array of points with 1 values each; got 'shape \[1, 2\]'/ })
  t.throws(() => differentialEvolution(sphere, [[0, 1]], { init: scijs([0.1, 0.2, 0.3]) }), { instanceOf: RangeError, message: /^init must be a 2-D array/ })
  t.throws(() => differentialEvolution(sphere, [[0, 1], [0, 1]], { constraints: new LinearConstraint([1, 1, 1]) }), { instanceOf: RangeError, message: /^constraints\[0\]\.A must be a matrix with 2 columns; got 'shape \[3\]'/ })
})
