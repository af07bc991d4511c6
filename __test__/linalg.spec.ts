// musique/linalg: argument errors, LinAlgError codes, dtypes, empty and 1×1
// matrices, the Promise forms and abort. Values against SciPy live in
// linalg.fixtures.spec.ts, invariants in linalg.properties.spec.ts.
import test from 'ava'

import * as linalg from '../src/linalg'
import { LinAlgError } from '../src/linalg'
import { ndarray } from '../src/ndarray'
import { assertAllclose } from './helpers/allclose'

const A = [
  [4, 1, 2],
  [1, 5, 3],
  [2, 3, 6],
]
const B = [1, 2, 3]

function f32(rows: number[][]): ReturnType<typeof ndarray> {
  return ndarray(Float32Array.from(rows.flat()), [rows.length, rows[0].length], 'float32')
}

test('solve: the 3×3 example, every assumeA, a 1-D and a 2-D right-hand side', (t) => {
  const want = [2, -2, 9]
  const a = [
    [3, 2, 0],
    [1, -1, 0],
    [0, 5, 1],
  ]
  assertAllclose(t, linalg.solve(a, [2, 4, -1]).data, want, { rtol: 1e-12, atol: 1e-12 })
  for (const assumeA of ['gen', 'sym', 'pos', 'general', 'symmetric', 'positive definite'] as const) {
    const x = linalg.solve(A, B, { assumeA })
    t.deepEqual(x.shape, [3])
    const back = linalg.matmul(A, x)
    assertAllclose(t, back.data, B, { rtol: 1e-12, atol: 1e-12, what: `assumeA ${assumeA}` })
  }
  const X = linalg.solve(A, [
    [1, 0],
    [0, 1],
    [0, 0],
  ])
  t.deepEqual(X.shape, [3, 2])
})

test('solve reads only the triangle it is told to with sym and pos', (t) => {
  const upperOnly = [
    [4, 1, 2],
    [NaN, 5, 3],
    [NaN, NaN, 6],
  ]
  const x = linalg.solve(upperOnly, B, { assumeA: 'pos', checkFinite: false })
  assertAllclose(t, x.data, linalg.solve(A, B).data, { rtol: 1e-12, atol: 1e-12 })
  const lowerOnly = [
    [4, NaN, NaN],
    [1, 5, NaN],
    [2, 3, 6],
  ]
  const y = linalg.solve(lowerOnly, B, { assumeA: 'sym', lower: true, checkFinite: false })
  assertAllclose(t, y.data, x.data, { rtol: 1e-12, atol: 1e-12 })
})

test('errors name the argument and what was expected', (t) => {
  t.throws(() => linalg.solve([[1, 2, 3]], [1]), { instanceOf: RangeError, message: 'a must be a square matrix; got shape [1, 3]' })
  t.throws(() => linalg.solve(A, [1, 2]), { instanceOf: RangeError, message: /^b must have 3 rows/ })
  t.throws(() => linalg.solve(A, B, { assumeA: 'banana' as never }), { instanceOf: RangeError, message: /^assumeA must be one of/ })
  t.throws(() => linalg.inv([1, 2, 3]), { instanceOf: RangeError, message: 'a must be a 2-D array (a matrix); got shape [3]' })
  t.throws(() => linalg.inv('x' as never), { instanceOf: TypeError, message: /^a must be an NDArray/ })
  t.throws(() => linalg.inv([[1, NaN], [0, 1]]), { instanceOf: RangeError, message: /^a must not contain infs or NaNs/ })
  t.throws(() => linalg.matmul([[1, 2]], [[1, 2]]), { instanceOf: RangeError, message: /^matmul: a's last dimension \(2\) must match b's first \(1\)/ })
  t.throws(() => linalg.norm([1, 2], { ord: 'fro' }), { instanceOf: RangeError, message: "Invalid norm order 'fro' for vectors" })
  t.throws(() => linalg.norm(A, { ord: 3 }), { instanceOf: RangeError, message: /^Invalid norm order '3' for matrices/ })
  t.throws(() => linalg.qr(A, { mode: 'raw' as never }), { instanceOf: RangeError, message: "mode must be 'full', 'economic' or 'r'; got 'raw'" })
  t.throws(() => linalg.eigh(A, { subsetByIndex: [2, 5] }), { instanceOf: RangeError, message: 'subsetByIndex must satisfy 0 <= lo <= hi < 3; got [2, 5]' })
  t.throws(() => linalg.cholesky(A, { lower: 'yes' as never }), { instanceOf: TypeError, message: "lower must be a boolean; got 'yes'" })
  t.throws(() => linalg.inv(ndarray(new Float64Array(8), [2, 2], 'complex128')), { instanceOf: TypeError, message: /^a must be a real array \(float64 or float32\); complex matrices are not supported yet/ })
  t.throws(() => linalg.luSolve({ lu: ndarray(new Float64Array(4), [2, 2]), piv: new Int32Array([0, 7]) }, [1, 2]), { instanceOf: RangeError, message: /^luAndPiv.piv must be pivots in \[0, 2\)/ })
})

test('LinAlgError: singular, not positive definite, with codes and SciPy messages', (t) => {
  const singular = [
    [1, 2],
    [2, 4],
  ]
  const e1 = t.throws(() => linalg.solve(singular, [1, 2]), { instanceOf: LinAlgError })
  t.is(e1?.code, 'ERR_SINGULAR_MATRIX')
  t.is(e1?.message, 'Matrix is singular.')
  t.is(e1?.name, 'LinAlgError')
  t.is(t.throws(() => linalg.inv(singular), { instanceOf: LinAlgError })?.code, 'ERR_SINGULAR_MATRIX')
  t.is(t.throws(() => linalg.solveTriangular([[1, 0], [1, 0]], [1, 1], { lower: true }), { instanceOf: LinAlgError })?.code, 'ERR_SINGULAR_MATRIX')
  const indefinite = [
    [1, 2],
    [2, 1],
  ]
  const e2 = t.throws(() => linalg.cholesky(indefinite), { instanceOf: LinAlgError })
  t.is(e2?.code, 'ERR_NOT_POSITIVE_DEFINITE')
  t.is(e2?.message, '2-th leading minor of the array is not positive definite')
  // solve with assumeA 'pos' reports a failed Cholesky as singular, as SciPy 1.17 does.
  const e3 = t.throws(() => linalg.solve(indefinite, [1, 1], { assumeA: 'pos' }), { instanceOf: LinAlgError })
  t.is(e3?.code, 'ERR_SINGULAR_MATRIX')
  t.is(e3?.message, 'Matrix is singular.')
  // det of a singular matrix is 0, not an error, as in SciPy.
  t.is(linalg.det(singular), 0)
  t.deepEqual(linalg.slogdet(singular), { sign: 0, logabsdet: -Infinity })
})

test('float32 in gives float32 out; mixed precision promotes to float64', (t) => {
  const a = f32(A)
  t.is(linalg.inv(a).dtype, 'float32')
  t.true(linalg.inv(a).data instanceof Float32Array)
  t.is(linalg.solve(a, Float32Array.from(B)).dtype, 'float32')
  t.is(linalg.solve(a, B).dtype, 'float64')
  t.is(linalg.eigvals(a).dtype, 'complex64')
  t.is(linalg.svd(a).u.dtype, 'float32')
  assertAllclose(t, linalg.inv(a).data, linalg.inv(A).data, { rtol: 1e-5, atol: 1e-6 })
})

test('empty and 1×1 matrices behave as in SciPy', (t) => {
  const empty = ndarray(new Float64Array(0), [0, 0])
  t.deepEqual(linalg.inv(empty).shape, [0, 0])
  t.is(linalg.det(empty), 1)
  t.deepEqual(linalg.solve(empty, ndarray(new Float64Array(0), [0])).shape, [0])
  t.deepEqual(linalg.svd(empty).s.shape, [0])
  t.deepEqual(linalg.eigh(empty).w.shape, [0])
  t.deepEqual(linalg.inv([[4]]).data, Float64Array.from([0.25]))
  t.is(linalg.det([[-3]]), -3)
  t.deepEqual(Array.from(linalg.cholesky([[9]]).data), [3])
  t.deepEqual(Array.from(linalg.eigvals([[2]]).data), [2, 0])
  t.deepEqual(linalg.qr(ndarray(new Float64Array(0), [0, 3])).r.shape, [0, 3])
})

test('results have SciPy shapes: lu, qr modes, svd fullMatrices, lstsq, eigh subset', (t) => {
  const a = ndarray(Float64Array.from({ length: 12 }, (_, i) => Math.sin(i * i + 1)), [4, 3])
  const { p, l, u } = linalg.lu(a)
  t.deepEqual([p.shape, l.shape, u.shape], [[4, 4], [4, 3], [3, 3]])
  const { pl } = linalg.lu(a, { permuteL: true })
  t.deepEqual(pl.shape, [4, 3])
  t.deepEqual(linalg.qr(a).q.shape, [4, 4])
  t.deepEqual(linalg.qr(a, { mode: 'economic' }).q.shape, [4, 3])
  t.deepEqual(linalg.qr(a, { mode: 'r' }).r.shape, [4, 3])
  const s = linalg.svd(a, { fullMatrices: false })
  t.deepEqual([s.u.shape, s.s.shape, s.vh.shape], [[4, 3], [3], [3, 3]])
  t.deepEqual(linalg.svd(a, { computeUV: false }).shape, [3])
  const r = linalg.lstsq(a, [1, 2, 3, 4])
  t.deepEqual([r.x.shape, r.residues.shape, r.rank, r.s.shape], [[3], [], 3, [3]])
  const e = linalg.eigh(A, { subsetByIndex: [1, 2] })
  t.deepEqual([e.w.shape, e.v.shape], [[2], [3, 2]])
  t.deepEqual(linalg.norm(A, { axis: 0 }).valueOf() instanceof Object, true)
  t.deepEqual((linalg.norm(A, { axis: 1, keepdims: true }) as { shape: number[] }).shape, [3, 1])
  t.is(linalg.matrixRank([[1, 2], [2, 4]]), 1)
})

test('every Promise form gives the sync result', async (t) => {
  const a = A
  const pairs: [string, unknown, unknown][] = [
    ['solve', linalg.solve(a, B), await linalg.solveAsync(a, B)],
    ['solveTriangular', linalg.solveTriangular(a, B), await linalg.solveTriangularAsync(a, B)],
    ['inv', linalg.inv(a), await linalg.invAsync(a)],
    ['det', linalg.det(a), await linalg.detAsync(a)],
    ['slogdet', linalg.slogdet(a), await linalg.slogdetAsync(a)],
    ['lstsq', linalg.lstsq(a, B), await linalg.lstsqAsync(a, B)],
    ['pinv', linalg.pinv(a), await linalg.pinvAsync(a)],
    ['norm', linalg.norm(a, { ord: 2 }), await linalg.normAsync(a, { ord: 2 })],
    ['matmul', linalg.matmul(a, a), await linalg.matmulAsync(a, a)],
    ['lu', linalg.lu(a), await linalg.luAsync(a)],
    ['luFactor', linalg.luFactor(a), await linalg.luFactorAsync(a)],
    ['luSolve', linalg.luSolve(linalg.luFactor(a), B), await linalg.luSolveAsync(linalg.luFactor(a), B)],
    ['qr', linalg.qr(a), await linalg.qrAsync(a)],
    ['cholesky', linalg.cholesky(a), await linalg.choleskyAsync(a)],
    ['choFactor', linalg.choFactor(a), await linalg.choFactorAsync(a)],
    ['choSolve', linalg.choSolve(linalg.choFactor(a), B), await linalg.choSolveAsync(linalg.choFactor(a), B)],
    ['svd', linalg.svd(a), await linalg.svdAsync(a)],
    ['svdvals', linalg.svdvals(a), await linalg.svdvalsAsync(a)],
    ['eig', linalg.eig(a), await linalg.eigAsync(a)],
    ['eigvals', linalg.eigvals(a), await linalg.eigvalsAsync(a)],
    ['eigh', linalg.eigh(a), await linalg.eighAsync(a)],
    ['eigvalsh', linalg.eigvalsh(a), await linalg.eigvalshAsync(a)],
    ['expm', linalg.expm(a), await linalg.expmAsync(a)],
    ['cond', linalg.cond(a), await linalg.condAsync(a)],
    ['matrixRank', linalg.matrixRank(a), await linalg.matrixRankAsync(a)],
  ]
  for (const [name, sync, async] of pairs) t.deepEqual(async, sync, name)
})

test('Promise forms reject with LinAlgError and with the abort reason', async (t) => {
  const e = await t.throwsAsync(linalg.invAsync([[1, 2], [2, 4]]), { instanceOf: LinAlgError })
  t.is(e?.code, 'ERR_SINGULAR_MATRIX')
  const reason = new Error('stop')
  const controller = new AbortController()
  controller.abort(reason)
  await t.throwsAsync(linalg.invAsync(A, { signal: controller.signal }), { is: reason })
  // Aborting while queued or running rejects at once with an AbortError.
  const n = 300
  const big = ndarray(Float64Array.from({ length: n * n }, (_, i) => (i % (n + 1) === 0 ? n : Math.sin(i))), [n, n])
  const c2 = new AbortController()
  const pending = linalg.svdAsync(big, { signal: c2.signal })
  c2.abort()
  const err = await pending.then(
    () => undefined,
    (e: unknown) => e,
  )
  t.is((err as DOMException).name, 'AbortError')
  await t.throwsAsync(linalg.invAsync(A, { signal: 'x' as never }), { instanceOf: TypeError, message: "signal must be an AbortSignal; got 'x'" })
})

test('an async call owns its input: changing it afterwards does not change the result', async (t) => {
  const data = Float64Array.from(A.flat())
  const a = ndarray(data, [3, 3])
  const want = linalg.inv(a).data.slice()
  const pending = linalg.invAsync(a)
  data.fill(0)
  assertAllclose(t, (await pending).data, want, { rtol: 0, atol: 0 })
})

test('SharedArrayBuffer-backed inputs are read in place by sync calls', (t) => {
  const sab = new SharedArrayBuffer(9 * 8)
  const data = new Float64Array(sab)
  data.set(A.flat())
  assertAllclose(t, linalg.inv(ndarray(data, [3, 3])).data, linalg.inv(A).data, { rtol: 0, atol: 0 })
})

test('results of 1 MiB and more (handed to JS from Musique memory) are right, also past 256 MiB of them waiting for collection', async (t) => {
  // a · 2I = 2a exactly (every other term is a product with zero), so each
  // result can be checked element by element. 400² float64 values are 1.25 MiB:
  // 220 kept alive pass the 256 MiB after which results go to V8's memory.
  const n = 400
  const a = ndarray(Float64Array.from({ length: n * n }, (_, i) => Math.sin(i)), [n, n])
  const twoI = new Float64Array(n * n)
  for (let i = 0; i < n; i++) twoI[i * n + i] = 2
  const b = ndarray(twoI, [n, n])
  const check = (c: { data: Float64Array | Float32Array; shape: number[] }, what: string) => {
    t.deepEqual(c.shape, [n, n], what)
    let bad = -1
    for (let i = 0; i < n * n && bad < 0; i++) if (c.data[i] !== 2 * a.data[i]) bad = i
    t.is(bad, -1, `${what}: first wrong element`)
  }
  const kept = []
  for (let k = 0; k < 220; k++) kept.push(linalg.matmul(a, b))
  kept.forEach((c, k) => {
    if (k % 20 === 0 || k === kept.length - 1) check(c, `sync result ${k}`)
  })
  check(await linalg.matmulAsync(a, b), 'async result')
  const a32 = ndarray(Float32Array.from(a.data), [n, n], 'float32')
  const c32 = linalg.matmul(a32, ndarray(Float32Array.from(twoI), [n, n], 'float32'))
  t.true(c32.data instanceof Float32Array)
  t.is(c32.data[n + 1], 2 * a32.data[n + 1])
})
