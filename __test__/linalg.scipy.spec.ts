// SciPy 1.17's own linalg tests, translated: scipy/linalg/tests/test_decomp_lu.py
// (TestLU, TestLUFactor, TestLUSolve), test_basic.py (TestSolve, TestInv: singular
// and positive definite cases, scalars, empty inputs) and test_decomp.py (empty
// shapes). Real cases only (complex matrices are not supported yet) and 2-D only
// (no batches). Each test names the SciPy test it mirrors.
import test from 'ava'

import * as linalg from 'musique/linalg'
import { LinAlgError, type RealArray } from 'musique/linalg'

import { ndarray } from '../src/ndarray'
import { assertAllclose } from './helpers/allclose'

type Mat = RealArray

function mat(rows: number[][]): Mat {
  return ndarray(Float64Array.from(rows.flat()), [rows.length, rows[0]?.length ?? 0])
}
function empty(m: number, n: number): Mat {
  return ndarray(new Float64Array(0), [m, n])
}
function eye(m: number, n = m): Mat {
  const d = new Float64Array(m * n)
  for (let i = 0; i < Math.min(m, n); i++) d[i * n + i] = 1
  return ndarray(d, [m, n])
}
function matmul(a: Mat, b: Mat): Mat {
  return linalg.matmul(a, b)
}
/** Rows of l taken in the order p (SciPy's l[p, :]). */
function rowsOf(l: Mat, p: Int32Array): Mat {
  const k = l.shape[1]
  const d = new Float64Array(p.length * k)
  p.forEach((r, i) => d.set(l.data.subarray(r * k, (r + 1) * k), i * k))
  return ndarray(d, [p.length, k])
}
/** A deterministic uniform(lo, hi) matrix (a small LCG; the values do not matter, only that they are generic). */
function uniform(m: number, n: number, seed: number, lo = -10, hi = 10): Mat {
  let s = seed >>> 0
  const d = Float64Array.from({ length: m * n }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0
    return lo + ((hi - lo) * s) / 2 ** 32
  })
  return ndarray(d, [m, n])
}
function triu(a: Mat): Mat {
  const [m, n] = a.shape
  return ndarray(Float64Array.from(a.data, (v, i) => (Math.floor(i / n) <= i % n ? v : 0)), [m, n], 'float64')
}
function tril(a: Mat): Mat {
  const [m, n] = a.shape
  return ndarray(Float64Array.from(a.data, (v, i) => (Math.floor(i / n) >= i % n ? v : 0)), [m, n], 'float64')
}
/** a with NaN strictly below (below = true) or above the diagonal: a triangle that must not be read. */
function poisoned(a: Mat, below: boolean): Mat {
  const n = a.shape[1]
  return ndarray(Float64Array.from(a.data, (v, i) => ((below ? Math.floor(i / n) > i % n : Math.floor(i / n) < i % n) ? NaN : v)), [...a.shape], 'float64')
}

// ---------------------------------------------------------------- TestLU

test('TestLU.test_old_lu_smoke_tests (real cases)', (t) => {
  const tol = { rtol: 1e-7, atol: 1e-14 }
  {
    const { p, l, u } = linalg.lu([
      [1, 2, 3],
      [1, 2, 3],
      [2, 5, 6],
    ])
    // p = rot90(eye(3)), l = tril(result, -1) + I, u = triu(result)
    assertAllclose(t, p.data, [0, 0, 1, 0, 1, 0, 1, 0, 0], tol)
    assertAllclose(t, l.data, [1, 0, 0, 0.5, 1, 0, 0.5, 1, 1], tol)
    assertAllclose(t, u.data, [2, 5, 6, 0, -0.5, 0, 0, 0, 0], tol)
  }
  {
    const { p, l, u } = linalg.lu([
      [1, 2, 3],
      [4, 5, 6],
      [7, 8, 9],
    ])
    assertAllclose(t, p.data, [0, 1, 0, 0, 0, 1, 1, 0, 0], tol)
    assertAllclose(t, l.data, [1, 0, 0, 1 / 7, 1, 0, 4 / 7, 0.5, 1], tol)
    assertAllclose(t, u.data, [7, 8, 9, 0, 6 / 7, 12 / 7, 0, 0, 0], { rtol: 0, atol: 1e-14 })
  }
  {
    const { p, l, u } = linalg.lu([
      [1, 2, 3, 4],
      [5, 6, 7, 8],
      [9, 10, 12, 12],
    ])
    assertAllclose(t, p.data, [0, 1, 0, 0, 0, 1, 1, 0, 0], tol)
    assertAllclose(t, l.data, [1, 0, 0, 1 / 9, 1, 0, 5 / 9, 0.5, 1], tol)
    assertAllclose(t, u.data, [9, 10, 12, 12, 0, 8 / 9, 15 / 9, 24 / 9, 0, 0, -0.5, 0], { rtol: 0, atol: 1e-14 })
  }
  {
    const { p, l, u } = linalg.lu([
      [1, 2, 3],
      [4, 5, 6],
      [7, 8, 9],
      [10, 12, 12],
    ])
    // eye(4)[[1, 3, 2, 0], :]
    assertAllclose(t, p.data, [0, 1, 0, 0, 0, 0, 0, 1, 0, 0, 1, 0, 1, 0, 0, 0], tol)
    assertAllclose(t, l.data, [1, 0, 0, 0.1, 1, 0, 0.7, -0.5, 1, 0.4, 0.25, 0.5], tol)
    assertAllclose(t, u.data, [10, 12, 12, 0, 0.8, 1.8, 0, 0, 1.5], tol)
  }
})

for (const [m, n] of [
  [2, 2],
  [2, 4],
  [4, 2],
  [20, 20],
  [20, 4],
  [4, 20],
]) {
  test(`TestLU.test_simple_lu_shapes_real_complex / _2d_indices ${m}x${n}`, (t) => {
    const a = uniform(m, n, m * 100 + n)
    const tol = { rtol: 1e-7, atol: 1e-12 }
    const { p, l, u } = linalg.lu(a)
    assertAllclose(t, matmul(matmul(p, l), u).data, a.data, tol)
    const { pl, u: u2 } = linalg.lu(a, { permuteL: true })
    assertAllclose(t, matmul(pl, u2).data, a.data, tol)
    const r = linalg.lu(a, { pIndices: true })
    t.true(r.p instanceof Int32Array)
    t.is(r.p.length, m)
    assertAllclose(t, matmul(rowsOf(r.l, r.p), r.u).data, a.data, tol)
  })
}

test('TestLU.test_1by1_input_output (2-D)', (t) => {
  const a = ndarray(Float32Array.from([0.75]), [1, 1], 'float32')
  const r = linalg.lu(a, { pIndices: true })
  t.deepEqual(Array.from(r.p), [0])
  t.deepEqual([Array.from(r.l.data), Array.from(r.u.data)], [[1], [0.75]])
  const { p, l, u } = linalg.lu(a)
  t.deepEqual([Array.from(p.data), Array.from(l.data), Array.from(u.data)], [[1], [1], [0.75]])
  t.deepEqual([p.dtype, l.dtype, u.dtype], ['float32', 'float32', 'float32'])
  const { pl, u: u2 } = linalg.lu(a, { permuteL: true })
  t.deepEqual([Array.from(pl.data), Array.from(u2.data)], [[1], [0.75]])
})

test('TestLU.test_empty_edge_cases (2-D): p is 0×0 (or no indices) whenever a is empty', (t) => {
  const shapes = (r: Record<string, Mat | Int32Array>) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, v instanceof Int32Array ? [v.length] : v.shape]))
  t.deepEqual(shapes(linalg.lu(empty(0, 0)) as never), { p: [0, 0], l: [0, 0], u: [0, 0] })
  t.deepEqual(shapes(linalg.lu(empty(0, 3)) as never), { p: [0, 0], l: [0, 0], u: [0, 3] })
  t.deepEqual(shapes(linalg.lu(empty(3, 0)) as never), { p: [0, 0], l: [3, 0], u: [0, 0] })
  t.deepEqual(shapes(linalg.lu(empty(3, 0), { pIndices: true }) as never), { p: [0], l: [3, 0], u: [0, 0] })
  t.deepEqual(shapes(linalg.lu(empty(3, 0), { permuteL: true }) as never), { pl: [3, 0], u: [0, 0] })
  t.deepEqual(shapes(linalg.lu(empty(0, 3), { permuteL: true }) as never), { pl: [0, 0], u: [0, 3] })
  t.deepEqual(shapes(linalg.lu([[]]) as never), { p: [0, 0], l: [1, 0], u: [0, 0] })
  const e = t.throws(() => linalg.lu([]), { instanceOf: RangeError })
  t.is((e as Error & { code?: string }).code, 'ERR_INVALID_ARG_VALUE')
  t.regex(e?.message ?? '', /must be a 2-D array/)
})

// ---------------------------------------------------------------- TestLUFactor

test('TestLUFactor: rectangular matrices factor as getrf does (hrect, vrect, medium)', (t) => {
  // getrf's values for SciPy's hrect and vrect.
  const h = linalg.luFactor([
    [1, 2, 3, 4],
    [5, 6, 7, 8],
    [9, 10, 12, 12],
  ])
  t.deepEqual(h.lu.shape, [3, 4])
  t.deepEqual(Array.from(h.piv), [2, 2, 2])
  assertAllclose(t, h.lu.data, [9, 10, 12, 12, 1 / 9, 8 / 9, 15 / 9, 24 / 9, 5 / 9, 0.5, -0.5, 0], { rtol: 1e-7, atol: 1e-14 })
  const v = linalg.luFactor([
    [1, 2, 3],
    [4, 5, 6],
    [7, 8, 9],
    [10, 12, 12],
  ])
  t.deepEqual(v.lu.shape, [4, 3])
  t.deepEqual(Array.from(v.piv), [3, 3, 2])
  assertAllclose(t, v.lu.data, [10, 12, 12, 0.1, 0.8, 1.8, 0.7, -0.5, 1.5, 0.4, 0.25, 0.5], { rtol: 1e-7, atol: 1e-14 })
  // medium 30×40: the packed factors rebuild a (as lu's p, l, u do).
  const a = uniform(30, 40, 7, 0, 1)
  const f = linalg.luFactor(a)
  const { p, l, u } = linalg.lu(a)
  t.deepEqual([f.lu.shape, f.piv.length], [[30, 40], 30])
  assertAllclose(t, triu(f.lu).data, u.data, { rtol: 0, atol: 0 })
  assertAllclose(t, matmul(matmul(p, l), u).data, a.data, { rtol: 1e-12, atol: 1e-12 })
})

test('TestLUFactor.test_simple_known', (t) => {
  const { lu, piv } = linalg.luFactor([
    [2, 1],
    [0, 1],
  ])
  t.deepEqual(Array.from(lu.data), [2, 1, 0, 1])
  t.deepEqual(Array.from(piv), [0, 1])
})

test('TestLUFactor.test_shape_dtype and test_empty: lu is m×n, piv min(m, n) int32', (t) => {
  for (const m of [0, 1, 2]) {
    for (const n of [0, 1, 2]) {
      for (const single of [false, true]) {
        const e = eye(m, n)
        const a = single ? ndarray(Float32Array.from(e.data), [m, n], 'float32') : e
        const { lu, piv } = linalg.luFactor(a)
        t.deepEqual(lu.shape, [m, n])
        t.is(lu.dtype, single ? 'float32' : 'float64')
        t.true(piv instanceof Int32Array)
        t.is(piv.length, Math.min(m, n))
      }
    }
  }
  for (const [m, n] of [
    [0, 0],
    [0, 2],
    [2, 0],
  ]) {
    const { lu, piv } = linalg.luFactor(ndarray(new Float64Array(m * n), [m, n]))
    t.deepEqual([lu.shape, lu.data.length, piv.length], [[m, n], 0, 0])
  }
})

// ---------------------------------------------------------------- TestLUSolve

test('TestLUSolve.test_lu and test_check_finite: luSolve(luFactor(a), b) = solve(a, b)', (t) => {
  const a = uniform(10, 10, 3, 0, 1)
  const b = uniform(10, 1, 4, 0, 1).data
  const x1 = linalg.solve(a, b)
  assertAllclose(t, linalg.luSolve(linalg.luFactor(a), b).data, x1.data, { rtol: 1e-7, atol: 0 })
  assertAllclose(t, linalg.luSolve(linalg.luFactor(a, { checkFinite: false }), b, { checkFinite: false }).data, x1.data, { rtol: 1e-7, atol: 0 })
})

test('TestLUSolve.test_empty: piv as a plain array, empty b of one or two dimensions', (t) => {
  const luAndPiv = { lu: empty(0, 0), piv: [] as number[] }
  t.deepEqual(linalg.luSolve(luAndPiv, ndarray(new Float64Array(0), [0])).shape, [0])
  t.deepEqual(linalg.luSolve(luAndPiv, empty(0, 0)).shape, [0, 0])
  const m = linalg.luSolve({ lu: eye(2), piv: [0, 1] }, [1, 1])
  t.deepEqual(Array.from(m.data), [1, 1])
  t.is(m.dtype, 'float64')
  // a rectangular factor cannot be solved with
  t.throws(() => linalg.luSolve(linalg.luFactor(uniform(3, 2, 1)), [1, 1, 1]), { instanceOf: RangeError, message: 'luAndPiv.lu must be a square matrix; got shape [3, 2]' })
})

// ---------------------------------------------------------------- TestSolve

const STRUCTURES = ['diagonal', 'lower triangular', 'upper triangular', 'symmetric', 'hermitian', 'positive definite', 'general', undefined] as const

test('TestSolve.test_exactly_singular_gh22263: every structure reports a zero matrix as singular', (t) => {
  const z = ndarray(new Float64Array(100), [10, 10])
  for (const assumeA of STRUCTURES) {
    const e = t.throws(() => linalg.solve(z, new Float64Array(10).fill(1), { assumeA }), { instanceOf: LinAlgError }, String(assumeA))
    t.regex(e?.message ?? '', /singular/, String(assumeA))
    t.is(e?.code, 'ERR_SINGULAR_MATRIX', String(assumeA))
  }
})

test("TestSolve.test_posdef_not_posdef: assumeA 'pos' does not fall back; SciPy 1.17 reports it as singular", (t) => {
  // a + aᵀ + I for a = arange(9): invertible, not positive definite
  const A = [
    [1, 4, 8],
    [4, 9, 12],
    [8, 12, 17],
  ]
  const b = [1, 1, 1]
  const x0 = linalg.solve(A, b)
  assertAllclose(t, linalg.matmul(A, x0).data, b, { rtol: 0, atol: 1e-14 })
  const e = t.throws(() => linalg.solve(A, b, { assumeA: 'pos' }), { instanceOf: LinAlgError })
  t.is(e?.code, 'ERR_SINGULAR_MATRIX')
  t.is(e?.message, 'Matrix is singular.')
  // exactly singular, positive semidefinite
  t.is(t.throws(() => linalg.solve([[1, 2], [2, 4]], [1, 1], { assumeA: 'pos' }), { instanceOf: LinAlgError })?.code, 'ERR_SINGULAR_MATRIX')
  t.is(t.throws(() => linalg.solve([[0, 0], [0, 1]], [1, 1], { assumeA: 'positive definite' }), { instanceOf: LinAlgError })?.code, 'ERR_SINGULAR_MATRIX')
  // cholesky itself still says which leading minor fails
  t.is(t.throws(() => linalg.cholesky(A), { instanceOf: LinAlgError })?.code, 'ERR_NOT_POSITIVE_DEFINITE')
})

test('TestSolve.test_singular_scalar, test_scalar_a_and_1D_b: a scalar or 1×1 a divides b', (t) => {
  for (const b of [0, 1, [0, 1]]) {
    for (const a of [0, [[0]], ndarray(new Float64Array(1), [1, 1])]) {
      t.is(t.throws(() => linalg.solve(a, b), { instanceOf: LinAlgError })?.code, 'ERR_SINGULAR_MATRIX')
    }
  }
  const x = linalg.solve(1, [1, 2, 3])
  t.deepEqual(x.shape, [3])
  assertAllclose(t, x.data, [1, 2, 3], { rtol: 0, atol: 0 })
  t.deepEqual(Array.from(linalg.solve([[2]], [2, 4, 6]).data), [1, 2, 3])
  t.deepEqual(linalg.solve([[2]], [[2, 4, 6]]).shape, [1, 3])
  const y = linalg.solve(2, 4)
  t.deepEqual([y.shape, Array.from(y.data)], [[1], [2]])
})

test('TestSolve: keywords and shapes (test_pos_and_sym, test_nonsquare_a, test_size_mismatch_with_1D_b, test_assume_a_keyword, test_empty, test_empty_rhs)', (t) => {
  // tril(arange(1, 10).reshape(3, 3)) / 9 with 'pos'/'sym' reads the upper triangle: its diagonal
  const L = [
    [1 / 9, 0, 0],
    [4 / 9, 5 / 9, 0],
    [7 / 9, 8 / 9, 1],
  ]
  for (const assumeA of ['pos', 'sym'] as const) assertAllclose(t, linalg.solve(L, [1, 1, 1], { assumeA }).data, [9, 1.8, 1], { rtol: 1e-7, atol: 1e-7 })
  t.throws(() => linalg.solve([1, 2], 1), { instanceOf: RangeError, code: 'ERR_INVALID_ARG_VALUE' } as never)
  assertAllclose(t, linalg.solve(eye(3), [1, 1, 1]).data, [1, 1, 1], { rtol: 0, atol: 0 })
  t.throws(() => linalg.solve(eye(3), [1, 1, 1, 1]), { instanceOf: RangeError, code: 'ERR_INVALID_ARG_VALUE' } as never)
  t.throws(() => linalg.solve(1, 1, { assumeA: 'zxcv' as never }), { instanceOf: RangeError, code: 'ERR_INVALID_ARG_VALUE' } as never)
  const x = linalg.solve(empty(0, 0), ndarray(new Float64Array(0), [0]))
  t.deepEqual([x.shape, x.dtype], [[0], 'float64'])
  const x32 = linalg.solve(ndarray(new Float32Array(0), [0, 0], 'float32'), ndarray(new Float32Array(0), [0], 'float32'))
  t.is(x32.dtype, 'float32')
  t.deepEqual(linalg.solve(eye(2), [[], []]).shape, [2, 0])
  t.deepEqual(linalg.solveTriangular(empty(0, 0), ndarray(new Float64Array(0), [0])).shape, [0])
  t.deepEqual(linalg.solveTriangular(eye(2), [[], []]).shape, [2, 0])
})

test('TestSolve.test_pos_lower and test_diagonal', (t) => {
  const a = [
    [4, 0, 0, 0],
    [1, 5, 0, 0],
    [2, 1, 6, 0],
    [0, 1, 2, 7],
  ]
  const full = [
    [4, 1, 2, 0],
    [1, 5, 1, 1],
    [2, 1, 6, 2],
    [0, 1, 2, 7],
  ]
  const b = [
    [1, 0],
    [0, 1],
    [1, 1],
    [2, -1],
  ]
  const want = linalg.solve(full, b).data
  assertAllclose(t, linalg.solve(a, b, { assumeA: 'pos', lower: true }).data, want, { rtol: 0, atol: 1e-15 })
  const aT = a[0].map((_, j) => a.map((r) => r[j]))
  assertAllclose(t, linalg.solve(aT, b, { assumeA: 'pos', lower: false }).data, want, { rtol: 0, atol: 1e-15 })
  assertAllclose(t, linalg.solve([[1, 0, 0], [0, 2, 0], [0, 0, 3]], [1, 1, 1], { assumeA: 'diagonal' }).data, [1, 1 / 2, 1 / 3], { rtol: 0, atol: 1e-14 })
  t.is(t.throws(() => linalg.solve([[0, 0], [0, 1]], [1, 1], { assumeA: 'diagonal' }), { instanceOf: LinAlgError })?.code, 'ERR_SINGULAR_MATRIX')
})

// ---------------------------------------------------------------- TestInv

// y = x + xᵀ + 21 I, x = arange(25).reshape(5, 5): symmetric positive definite
const Y = ndarray(
  Float64Array.from({ length: 25 }, (_, k) => {
    const [i, j] = [Math.floor(k / 5), k % 5]
    return i * 5 + j + (j * 5 + i) + (i === j ? 21 : 0)
  }),
  [5, 5],
  'float64',
)

test('TestInv.test_posdef: assumeA pos reads one triangle', (t) => {
  const y0 = linalg.inv(Y)
  assertAllclose(t, linalg.inv(Y, { assumeA: 'pos' }).data, y0.data, { rtol: 0, atol: 1e-15 })
  assertAllclose(t, linalg.inv(poisoned(Y, true), { checkFinite: false, assumeA: 'pos', lower: false }).data, y0.data, { rtol: 0, atol: 1e-15 })
  assertAllclose(t, linalg.inv(poisoned(Y, false), { checkFinite: false, assumeA: 'pos', lower: true }).data, y0.data, { rtol: 0, atol: 1e-15 })
})

test('TestInv.test_posdef_not_posdef, test_wrong_assume_a, test_diagonal, test_empty', (t) => {
  const b = [
    [1, 4, 8],
    [4, 9, 12],
    [8, 12, 17],
  ]
  assertAllclose(t, linalg.matmul(linalg.inv(b), b).data, eye(3).data, { rtol: 0, atol: 3e-15 })
  t.true(t.throws(() => linalg.inv(b, { assumeA: 'pos' })) instanceof LinAlgError)
  t.throws(() => linalg.inv(eye(2), { assumeA: 'kaboom' as never }), { instanceOf: RangeError, code: 'ERR_INVALID_ARG_VALUE' } as never)
  assertAllclose(t, linalg.inv([[1, 0, 0], [0, 2, 0], [0, 0, 3]], { assumeA: 'diagonal' }).data, [1, 0, 0, 0, 0.5, 0, 0, 0, 1 / 3], { rtol: 0, atol: 1e-14 })
  t.is(t.throws(() => linalg.inv([[0, 0], [0, 1]], { assumeA: 'diagonal' }), { instanceOf: LinAlgError })?.code, 'ERR_SINGULAR_MATRIX')
  for (const assumeA of [undefined, 'pos', 'sym', 'diagonal'] as const) {
    const r = linalg.inv(empty(0, 0), { assumeA })
    t.deepEqual([r.shape, r.dtype], [[0, 0], 'float64'])
  }
})

test('TestInv.test_sym_her: sym and her read one triangle', (t) => {
  // b = a + aᵀ + I, a = arange(9).reshape(3, 3)
  const b = mat([
    [1, 4, 8],
    [4, 9, 12],
    [8, 12, 17],
  ])
  const b0 = linalg.inv(b)
  assertAllclose(t, linalg.matmul(b0, b).data, eye(3).data, { rtol: 0, atol: 1e-14 })
  for (const assumeA of ['sym', 'her'] as const) {
    assertAllclose(t, linalg.inv(b, { assumeA }).data, b0.data, { rtol: 0, atol: 1e-15 })
    assertAllclose(t, linalg.inv(poisoned(b, true), { checkFinite: false, assumeA, lower: false }).data, b0.data, { rtol: 0, atol: 1e-15 })
    assertAllclose(t, linalg.inv(poisoned(b, false), { checkFinite: false, assumeA, lower: true }).data, b0.data, { rtol: 0, atol: 1e-15 })
  }
})

test('TestInv.test_triangular_1 and test_triangular_2', (t) => {
  const y0 = linalg.inv(Y, { assumeA: 'upper triangular' })
  const yPos = linalg.inv(Y, { assumeA: 'pos' })
  t.true(Array.from(y0.data).some((v, i) => Math.abs(v - yPos.data[i]) > 1e-8))
  const ones = ndarray(new Float64Array(25).fill(1), [5, 5], 'float64')
  const tol = { rtol: 0, atol: 1e-15 }
  assertAllclose(t, matmul(linalg.inv(triu(ones)), triu(ones)).data, eye(5).data, tol)
  assertAllclose(t, matmul(linalg.inv(ones, { assumeA: 'upper triangular' }), triu(ones)).data, eye(5).data, tol)
  assertAllclose(t, matmul(linalg.inv(poisoned(ones, true), { checkFinite: false, assumeA: 'upper triangular' }), triu(ones)).data, eye(5).data, tol)
  assertAllclose(t, matmul(linalg.inv(tril(ones)), tril(ones)).data, eye(5).data, tol)
  assertAllclose(t, matmul(linalg.inv(ones, { assumeA: 'lower triangular' }), tril(ones)).data, eye(5).data, tol)
  assertAllclose(t, matmul(linalg.inv(poisoned(ones, false), { checkFinite: false, assumeA: 'lower triangular' }), tril(ones)).data, eye(5).data, tol)
})

// ---------------------------------------------------------------- empty shapes elsewhere (test_decomp.py)

test('empty shapes as SciPy: svd, svdvals, qr, cholesky, det, inv, eig, eigh, lstsq, pinv', (t) => {
  for (const [m, n] of [
    [0, 0],
    [3, 0],
    [0, 3],
    [2, 0],
  ]) {
    const a = empty(m, n)
    const { u, s, vh } = linalg.svd(a)
    t.deepEqual([u.shape, s.shape, vh.shape], [[m, m], [0], [n, n]], `svd ${m}x${n}`)
    t.deepEqual([Array.from(u.data), Array.from(vh.data)], [Array.from(eye(m).data), Array.from(eye(n).data)], `svd ${m}x${n}: identities`)
    const e = linalg.svd(a, { fullMatrices: false })
    t.deepEqual([e.u.shape, e.s.shape, e.vh.shape], [[m, 0], [0], [0, n]], `svd economic ${m}x${n}`)
    t.deepEqual(linalg.svdvals(a).shape, [0])
    const q = linalg.qr(a)
    t.deepEqual([q.q.shape, Array.from(q.q.data), q.r.shape], [[m, m], Array.from(eye(m).data), [m, n]], `qr ${m}x${n}`)
    t.deepEqual(linalg.pinv(a).shape, [n, m])
  }
  t.deepEqual(linalg.svdvals([[]]).shape, [0])
  const z = empty(0, 0)
  t.deepEqual(linalg.cholesky(z).shape, [0, 0])
  t.is(linalg.det(z), 1)
  t.deepEqual(linalg.inv(z).shape, [0, 0])
  const { w, vr } = linalg.eig(z)
  t.deepEqual([w.shape, vr.shape, w.dtype], [[0], [0, 0], 'complex128'])
  const h = linalg.eigh(z)
  t.deepEqual([h.w.shape, h.v.shape], [[0], [0, 0]])
  t.deepEqual(linalg.eigvals(z).shape, [0])
  t.deepEqual(linalg.eigvalsh(z).shape, [0])
  // lstsq of an m×0 a: x empty, residues |b|² (a number for a vector b, as SciPy's 0-d array)
  const r = linalg.lstsq(empty(3, 0), [1, 2, 3])
  t.deepEqual([r.x.shape, r.residues.shape, Array.from(r.residues.data), r.rank, r.s.shape], [[0], [], [14], 0, [0]])
  const r2 = linalg.lstsq(empty(3, 0), [
    [1, 2],
    [3, 4],
    [5, 6],
  ])
  t.deepEqual([r2.x.shape, Array.from(r2.residues.data)], [[0, 2], [35, 56]])
  const r3 = linalg.lstsq(empty(0, 3), ndarray(new Float64Array(0), [0]))
  t.deepEqual([r3.x.shape, Array.from(r3.x.data), r3.residues.shape], [[3], [0, 0, 0], [0]])
})

test('TestCholesky.test_empty and TestChoFactor.test_empty', (t) => {
  const c = linalg.cholesky(empty(0, 0))
  t.deepEqual([c.shape, c.dtype], [[0, 0], 'float64'])
  t.deepEqual(linalg.choSolve({ c, lower: true }, ndarray(new Float64Array(0), [0])).shape, [0])
  t.deepEqual(linalg.choSolve({ c, lower: true }, empty(0, 0)).shape, [0, 0])
  for (const x of [[], [[]]]) {
    const e = t.throws(() => linalg.cholesky(x), { instanceOf: RangeError })
    t.is((e as Error & { code?: string }).code, 'ERR_INVALID_ARG_VALUE')
  }
  const f = linalg.choFactor(empty(0, 0))
  t.deepEqual([f.c.shape, f.lower], [[0, 0], false])
})

// ---------------------------------------------------------------- TestLstsq

test('TestLstsq.test_simple_exact and test_random_exact: every lapackDriver (and overwrite) gives rank and x', (t) => {
  for (const single of [false, true]) {
    const eps = single ? 2 ** -23 : 2 ** -52
    const f = (rows: number[][]) => (single ? ndarray(Float32Array.from(rows.flat()), [rows.length, rows[0].length], 'float32') : mat(rows))
    const a = f([
      [1, 20],
      [-30, 4],
    ])
    for (const lapackDriver of ['gelsd', 'gelss', 'gelsy', undefined] as const) {
      for (const overwrite of [true, false]) {
        for (const bt of [
          [
            [1, 0],
            [0, 1],
          ],
          [[1], [0]],
          [
            [2, 1],
            [-30, 4],
          ],
        ]) {
          const b = f(bt)
          const out = linalg.lstsq(a, b, { lapackDriver, overwriteA: overwrite, overwriteB: overwrite })
          t.is(out.rank, 2)
          assertAllclose(t, linalg.matmul(a, out.x).data, b.data, { rtol: 25 * eps, atol: 25 * eps, what: `driver ${String(lapackDriver)}` })
        }
      }
    }
  }
  const n = 20
  const a = uniform(n, n, 1234, 0, 1)
  for (let i = 0; i < n; i++) a.data[i * n + i] = 20 * (0.1 + a.data[i * n + i])
  const b = uniform(n, 3, 99, 0, 1)
  for (const lapackDriver of ['gelsd', 'gelss', 'gelsy'] as const) {
    const out = linalg.lstsq(a, b, { lapackDriver })
    t.is(out.rank, n)
    assertAllclose(t, linalg.matmul(a, out.x).data, b.data, { rtol: 1000 * 2 ** -52, atol: 1000 * 2 ** -52 })
  }
})

test('TestLstsq.test_empty', (t) => {
  for (const [aShape, bShape] of [
    [
      [0, 2],
      [0],
    ],
    [
      [0, 4],
      [0, 2],
    ],
    [
      [4, 0],
      [4],
    ],
    [
      [4, 0],
      [4, 2],
    ],
  ]) {
    const b = ndarray(new Float64Array(bShape.reduce((p, q) => p * q, 1)).fill(1), bShape, 'float64')
    const { x, residues, rank, s } = linalg.lstsq(empty(aShape[0], aShape[1]), b)
    t.deepEqual([x.shape, Array.from(x.data).every((v) => v === 0)], [[aShape[1], ...bShape.slice(1)], true])
    // |b|² per column when a has no columns, else none
    const want = aShape[1] ? [] : bShape.length === 1 ? [4] : [4, 4]
    t.deepEqual(Array.from(residues.data), want)
    t.is(rank, 0)
    t.deepEqual(s.shape, [0])
  }
})

// ---------------------------------------------------------------- TestQR (pivoting)

/** Columns of a taken in the order p (SciPy's a[:, p]). */
function colsOf(a: Mat, p: Int32Array): Mat {
  const [m, n] = a.shape
  return ndarray(Float64Array.from({ length: m * n }, (_, x) => a.data[Math.floor(x / n) * n + p[x % n]]), [m, n], 'float64')
}

for (const [name, rows, mode] of [
  ['test_simple_pivoting', [[8, 2, 3], [2, 9, 3], [5, 3, 6]], 'full'],
  ['test_simple_trap_pivoting', [[8, 2, 3], [2, 9, 3]], 'full'],
  ['test_simple_tall_pivoting', [[8, 2], [2, 9], [5, 3]], 'full'],
  ['test_simple_tall_e_pivoting', [[8, 2], [2, 9], [5, 3]], 'economic'],
  ['test_simple_fat_e_pivoting', [[8, 2, 5], [2, 9, 3]], 'economic'],
] as const) {
  test(`TestQR.${name}: |diag r| non-increasing, qᵀq = I, q r = a[:, p], q = qr(a[:, p]).q`, (t) => {
    const a = mat(rows.map((r) => [...r]))
    const { q, r, p } = linalg.qr(a, { pivoting: true, mode })
    t.true(p instanceof Int32Array)
    const k = Math.min(...a.shape)
    const d = Array.from({ length: k }, (_, i) => Math.abs(r.data[i * r.shape[1] + i]))
    for (let i = 1; i < k; i++) t.true(d[i] <= d[i - 1], `|r[${i}, ${i}]| <= |r[${i - 1}, ${i - 1}]|`)
    const tol = { rtol: 1e-7, atol: 1e-6 }
    assertAllclose(t, matmul(ndarray(transpose(q), [q.shape[1], q.shape[0]], 'float64'), q).data, eye(q.shape[1]).data, tol)
    assertAllclose(t, matmul(q, r).data, colsOf(a, p).data, tol)
    const plain = linalg.qr(colsOf(a, p), { mode })
    assertAllclose(t, q.data, plain.q.data, tol)
    // mode 'r' gives the same r and p
    const rOnly = linalg.qr(a, { pivoting: true, mode: 'r' })
    t.deepEqual(Array.from(rOnly.p), Array.from(p))
  })
}

function transpose(a: Mat): Float64Array {
  const [m, n] = a.shape
  return Float64Array.from({ length: m * n }, (_, x) => a.data[(x % m) * n + Math.floor(x / m)])
}

test('TestQR.test_simple_pivoting values (SciPy 1.17) and test_empty with pivoting', (t) => {
  const { r, p } = linalg.qr([[8, 2, 3], [2, 9, 3], [5, 3, 6]], { pivoting: true })
  t.deepEqual(Array.from(p), [1, 0, 2])
  assertAllclose(t, r.data, [-9.69536, -5.053964, -5.260248, 0, 8.213248, 4.068414, 0, 0, 3.126947], { rtol: 0, atol: 1e-6 })
  for (const [m, n] of [
    [0, 0],
    [0, 3],
    [3, 0],
  ]) {
    const e = linalg.qr(empty(m, n), { pivoting: true })
    t.deepEqual([e.q.shape, Array.from(e.q.data), e.r.shape, Array.from(e.p)], [[m, m], Array.from(eye(m).data), [m, n], Array.from({ length: n }, (_, i) => i)])
  }
  t.throws(() => linalg.qr([[1]], { pivoting: 'yes' as never }), { instanceOf: TypeError, message: "pivoting must be a boolean; got 'yes'", code: 'ERR_INVALID_ARG_TYPE' } as never)
})
