// Sizes, the raw binding and panics in musique/linalg (issue 16 §1, §2, §3):
// each case that used to end the process runs in a child process, which must
// exit normally having caught the error, whose message and code are checked.
// Where memory is the point, the child runs under `ulimit -v`, so that the
// outcome does not depend on the machine's memory.

import test from 'ava'

import { inChild as run, type Outcome, PRELUDES } from './helpers/child'


/** Runs `body` in a child Node with the linalg prelude (helpers/child.ts), under `ulimit -v kb` when given. */
function inChild(body: string, kb?: number): Outcome {
  return run(body, { prelude: PRELUDES.linalg, kb, timeoutMs: 120_000 })
}

/** 16 GiB of address space: more than Node needs, less than the requests below. */
const KB_16G = 16 * 2 ** 20
/** 3 GiB of address space, part of which Node itself uses. */
const KB_3G = 3 * 2 ** 20

const ALLOC = { name: 'RangeError', code: 'ERR_OUT_OF_RANGE' }

// ---------------------------------------------------------------- §1 sizes

test('matmul of 200000×0 by 0×200000 is a RangeError naming the 298 GiB result, not an abort', (t) => {
  const got = inChild(`return L.matmul(M(200000, 0), M(0, 200000))`, KB_16G)
  t.like(got, ALLOC)
  t.is(got.message, 'cannot allocate 298.0 GiB for the result of matmul: it has 40000000000 values, and a typed array holds at most 2**32')
})

test('matmulAsync rejects with the same RangeError', (t) => {
  const got = inChild(`return L.matmulAsync(M(200000, 0), M(0, 200000))`, KB_16G)
  t.like(got, ALLOC)
  t.regex(got.message ?? '', /^cannot allocate 298\.0 GiB for the result of matmul: /)
})

test('lu of 200000×0 gives SciPy’s empty shapes; lu of 200000×1 is a RangeError naming its m×m p', (t) => {
  const empty = inChild(`const r = L.lu(M(200000, 0)); return [r.p.shape, r.l.shape, r.u.shape]`, KB_16G)
  t.deepEqual(empty.value, [
    [0, 0],
    [200000, 0],
    [0, 0],
  ])
  const got = inChild(`return L.lu(M(200000, 1))`, KB_16G)
  t.like(got, ALLOC)
  t.is(got.message, 'cannot allocate 298.0 GiB for the result of lu: one of its arrays has 40000000000 values, and a typed array holds at most 2**32')
  // With pIndices, p is 200000 indices: it runs.
  const indices = inChild(`const r = L.lu(M(200000, 1), { pIndices: true }); return [r.p.length, r.l.shape, r.u.shape]`, KB_16G)
  t.deepEqual(indices.value, [200000, [200000, 1], [1, 1]])
})

test('qr in full mode and svd with fullMatrices of a tall matrix are refused by their m×m factor', (t) => {
  const q = inChild(`return L.qr(M(100000, 1))`, KB_16G)
  t.like(q, ALLOC)
  t.regex(q.message ?? '', /^cannot allocate 74\.5 GiB for the result of qr: one of its arrays has 10000000000 values/)
  const u = inChild(`return L.svdAsync(M(100000, 1))`, KB_16G)
  t.like(u, ALLOC)
  t.regex(u.message ?? '', /^cannot allocate 74\.5 GiB for the result of svd: /)
  // The economic forms are small, and run.
  const econ = inChild(`return [L.qr(M(100000, 1), { mode: 'economic' }).q.shape, L.svd(M(100000, 1), { fullMatrices: false }).u.shape]`, KB_16G)
  t.deepEqual(econ.value, [
    [100000, 1],
    [100000, 1],
  ])
})

test('under ulimit -v, a result that fits a typed array but not the address space is a RangeError', (t) => {
  // 20000 × 20000 float64: 3.0 GiB, under a 3 GiB limit that Node already uses part of.
  const got = inChild(`return L.matmul(M(20000, 0), M(0, 20000))`, KB_3G)
  t.like(got, ALLOC)
  t.regex(got.message ?? '', /^cannot allocate 3\.0 GiB for the result of matmul \(.* available\)$/)
  const single = inChild(
    `const z = (r, c) => ({ data: new Float32Array(r * c), shape: [r, c], dtype: 'float32' })
     return L.matmulAsync(z(30000, 0), z(0, 30000))`,
    KB_3G,
  )
  t.like(single, ALLOC)
  t.regex(single.message ?? '', /^cannot allocate 3\.4 GiB for the result of matmul \(.* available\)$/)
})

test('working memory is counted too: expm of 6000×6000 under 3 GiB names result and scratch', (t) => {
  const got = inChild(`return L.expm(M(6000, 6000), { checkFinite: false })`, KB_3G)
  t.like(got, ALLOC)
  t.regex(got.message ?? '', /^cannot allocate [\d.]+ GiB for expm: 274\.7 MiB for the result and up to [\d.]+ GiB for copies, factors and scratch \(.* available\)$/)
})

test('pinv of a tall matrix no longer forms an m×m identity: 200000×2 runs under 3 GiB', (t) => {
  const got = inChild(
    `const a = M(200000, 2)
     a.data[0] = 1
     a.data[3] = 2
     const p = L.pinv(a)
     return [p.shape, p.data[0], p.data[200001], p.data.reduce((s, v) => s + Math.abs(v), 0)]`,
    KB_3G,
  )
  t.deepEqual(got.value, [[2, 200000], 1, 0.5, 1.5])
})

test('solve with a scalar a and a long b divides b, without an m×m diagonal', (t) => {
  const got = inChild(
    `const x = L.solve(2, new Float64Array(100000).fill(3))
     return [x.shape, x.data[0], x.data[99999]]`,
    KB_3G,
  )
  t.deepEqual(got.value, [[100000], 1.5, 1.5])
})

// ---------------------------------------------------------------- §2 the raw binding

/** Defines, on `shapes`, a getter for index 1 that shrinks `buf` to nothing first. */
const SHRINK = `
  const n = 256
  const buf = new ArrayBuffer(n * n * 8, { maxByteLength: n * n * 8 })
  const a = new Float64Array(buf)
  for (let i = 0; i < n; i++) a[i * n + i] = 1
  const shapes = [n, n]
  Object.defineProperty(shapes, 1, { get() { buf.resize(0); return n }, enumerable: true })`

test('raw linalgExecute: a getter that shrinks an already passed resizable buffer cannot make it read freed memory', (t) => {
  const got = inChild(`${SHRINK}
    return B.linalgExecute({ op: 'det', threads: 1 }, [a], shapes)`)
  t.like(got, { code: 'InvalidArg', message: 'malformed linalg request: data length and shape disagree' })
  const async = inChild(`${SHRINK}
    return B.linalgExecuteAsync({ op: 'inv', threads: 1 }, [a], shapes)`)
  t.like(async, { code: 'InvalidArg', message: 'malformed linalg request: data length and shape disagree' })
})

test('raw linalgExecute: shape products are checked, whatever they wrap to', (t) => {
  const big = 2 ** 32 - 1
  const got = inChild(`return B.linalgExecute({ op: 'matmul', threads: 1 }, [new Float64Array(0), new Float64Array(0)], [${big}, 0, 0, ${big}])`)
  t.like(got, { code: 'InvalidArg' })
  t.regex(got.message ?? '', /^cannot allocate 128\.0 EiB for the result of matmul: it has 18446744065119617025 values/)
  const lying = inChild(`return B.linalgExecute({ op: 'det', threads: 1 }, [new Float64Array(4)], [65536, 65536])`)
  t.like(lying, { code: 'InvalidArg', message: 'malformed linalg request: data length and shape disagree' })
})

test('raw linalgExecute: malformed inputs are errors', (t) => {
  const cases = [
    `B.linalgExecute({ op: 'matmul', threads: 1 }, [new Float64Array(1), new Float32Array(1)], [1, 1, 1, 1])`,
    `B.linalgExecute({ op: 'matmul', threads: 1 }, [new Float64Array(1), [1]], [1, 1, 1, 1])`,
    `B.linalgExecute({ op: 'matmul', threads: 1 }, [new Float64Array(1)], [1, 1])`,
    `B.linalgExecute({ op: 'det', threads: 1 }, [new Float64Array(1)], [1, 1, 1])`,
    `B.linalgExecute({ op: 'eigh', threads: 1, subset: [0, 5] }, [new Float64Array(4)], [2, 2])`,
    `B.linalgExecute({ op: 'luSolve', threads: 1 }, [new Float64Array(4), new Float64Array([7, 0]), new Float64Array(2)], [2, 2, 2, 1, 2, 1])`,
    `B.linalgExecute({ op: 'solve', threads: 1 }, [new Float64Array(4), new Float64Array(3)], [2, 2, 3, 1])`,
    `B.linalgExecute({ op: 'nope', threads: 1 }, [new Float64Array(1)], [1, 1])`,
  ]
  const got = inChild(`
    const out = []
    for (const c of ${JSON.stringify(cases)}) {
      try { eval(c); out.push('returned') } catch (e) { out.push(e instanceof Error && typeof e.code === 'string' ? 'error' : 'untyped') }
    }
    return out`)
  t.deepEqual(got.value, cases.map(() => 'error'))
})

// ---------------------------------------------------------------- §3 no panics

test('raw linalgExecute: random requests on small shapes never crash, and fail only with coded errors', (t) => {
  // Every op, option values in and out of range, shapes that agree and that do not.
  const got = inChild(`
    let seed = 12345
    // xorshift32
    const rnd = (n) => { seed ^= seed << 13; seed ^= seed >>> 17; seed ^= seed << 5; return (seed >>> 0) % n }
    const ops = ['solve', 'solveTriangular', 'inv', 'det', 'slogdet', 'lstsq', 'pinv', 'matrixNorm', 'vectorNorm', 'matmul', 'lu', 'luFactor', 'luSolve', 'qr', 'cholesky', 'choSolve', 'svd', 'eig', 'eigh', 'expm', 'cond', 'matrixRank']
    const ords = ['fro', 'nuc', '1', '-1', 'inf', '-inf', '2', '-2']
    const values = [0, 1, -1, 0.5, 1e300, -1e-300, NaN, Infinity]
    const seen = { ok: 0, error: 0, untyped: [] }
    for (let call = 0; call < 3000; call++) {
      const op = ops[rnd(ops.length)]
      // Mostly the op's own number of inputs, with shapes that agree: n×n, then n×k (luSolve: n×n, n×1, n×k).
      const arity = { solve: 2, solveTriangular: 2, lstsq: 2, matmul: 2, choSolve: 2, luSolve: 3 }[op] ?? 1
      const count = rnd(10) === 0 ? 1 + rnd(3) : arity
      const n = rnd(5), k = rnd(4)
      const agree = rnd(5) !== 0
      const shapes = []
      const inputs = []
      const single = rnd(2) === 0
      for (let i = 0; i < count; i++) {
        const [r, c] = !agree ? [rnd(5), rnd(5)] : i === 0 ? (rnd(3) === 0 ? [n, 1 + rnd(4)] : [n, n]) : op === 'matmul' ? [shapes[1], k] : i === 1 && count === 3 ? [n, 1] : [n, k]
        shapes.push(r, c)
        const len = rnd(8) === 0 ? rnd(20) : r * c
        const d = single ? new Float32Array(len) : new Float64Array(len)
        for (let j = 0; j < len; j++) d[j] = rnd(4) === 0 ? values[rnd(values.length)] : rnd(7) - 3
        inputs.push(d)
      }
      const req = {
        op, threads: 1 + rnd(2),
        assume: ['gen', 'sym', 'pos'][rnd(3)], lower: rnd(2) === 0, transposed: rnd(2) === 0,
        trans: rnd(4), unitDiagonal: rnd(2) === 0, matrixOrd: ords[rnd(ords.length)],
        vectorOrd: values[rnd(values.length)], axis: rnd(3), mode: ['full', 'economic', 'r'][rnd(3)],
        pivoting: rnd(2) === 0, fullMatrices: rnd(2) === 0, computeUv: rnd(2) === 0, vectors: rnd(2) === 0,
        permuteL: rnd(2) === 0, pIndices: rnd(2) === 0,
        subset: rnd(3) === 0 ? [rnd(5), rnd(5)] : undefined,
        cond: rnd(2) ? undefined : values[rnd(values.length)], tol: rnd(2) ? undefined : values[rnd(values.length)],
      }
      try {
        B.linalgExecute(req, inputs, shapes)
        seen.ok++
      } catch (e) {
        if (e instanceof Error && typeof e.code === 'string' && !/panic/.test(e.message)) seen.error++
        else seen.untyped.push(op + ': ' + String(e && e.message))
      }
    }
    return seen`)
  const seen = got.value as { ok: number; error: number; untyped: string[] }
  t.deepEqual(seen.untyped, [])
  t.true(seen.ok > 100)
  t.true(seen.error > 100)
})
