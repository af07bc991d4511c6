// WorkerPool: worker_threads evaluating an imported objective over batches,
// waited on synchronously (Atomics.wait) or asynchronously.
import { availableParallelism } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'

import test from 'ava'

import { WorkerPool } from '../src/workerpool'

const MOD = pathToFileURL(join(__dirname, 'fixtures-js', 'objectives.mjs'))

function points(count: number, dim: number): Float64Array {
  return Float64Array.from({ length: count * dim }, (_, i) => Math.sin(i) * 2)
}

function rosen(x: ArrayLike<number>): number {
  let s = 0
  for (let i = 0; i < x.length - 1; i++) s += 100 * (x[i + 1] - x[i] * x[i]) ** 2 + (1 - x[i]) ** 2
  return s
}

test('mapSync and map give f at every point, in order', async (t) => {
  const pool = new WorkerPool({ module: MOD, export: 'rosen' }, { size: 3 })
  try {
    const xs = points(50, 4)
    const want = Array.from({ length: 50 }, (_, i) => rosen(xs.subarray(4 * i, 4 * i + 4)))
    t.deepEqual(Array.from(pool.mapSync(xs, 50, 4)), want)
    t.deepEqual(Array.from(await pool.map(xs, 50, 4)), want)
    // Fewer points than workers, a new dimension (buffers are resized), and one point.
    const ys = points(2, 7)
    t.deepEqual(Array.from(pool.mapSync(ys, 2, 7)), [rosen(ys.subarray(0, 7)), rosen(ys.subarray(7))])
    t.deepEqual(Array.from(await pool.map(points(1, 2), 1, 2)), [rosen(points(1, 2))])
    // A bigger batch than any before.
    const zs = points(500, 3)
    t.is(pool.mapSync(zs, 500, 3)[499], rosen(zs.subarray(1497)))
  } finally {
    await pool.close()
  }
})

test('the default export, async objectives, and linalg limited to one thread inside workers', async (t) => {
  const sphere = new WorkerPool({ module: MOD }, { size: 2 })
  const asyncSphere = new WorkerPool({ module: MOD.href, export: 'asyncSphere' }, { size: 2 })
  const threads = new WorkerPool({ module: MOD, export: 'linalgThreads' }, { size: 2 })
  const unlimited = new WorkerPool({ module: MOD, export: 'linalgThreads' }, { size: 1, linalgThreads: null })
  try {
    t.deepEqual(Array.from(sphere.mapSync(Float64Array.from([1, 2, 3, 4]), 2, 2)), [5, 25])
    t.deepEqual(Array.from(await asyncSphere.map(Float64Array.from([1, 2, 3, 4]), 2, 2)), [5, 25])
    t.deepEqual(Array.from(threads.mapSync(new Float64Array(4), 4, 1)), [1, 1, 1, 1])
    t.deepEqual(Array.from(unlimited.mapSync(new Float64Array(1), 1, 1)), [availableParallelism()])
  } finally {
    await Promise.all([sphere.close(), asyncSphere.close(), threads.close(), unlimited.close()])
  }
})

test('an objective that throws, a missing export or module: the error reaches the caller', async (t) => {
  const bad = new WorkerPool({ module: MOD, export: 'throws' }, { size: 2 })
  const missing = new WorkerPool({ module: MOD, export: 'nope' }, { size: 1 })
  const gone = new WorkerPool({ module: pathToFileURL(join(__dirname, 'no-such-module.mjs')) }, { size: 1 })
  try {
    t.throws(() => bad.mapSync(points(4, 2), 4, 2), { instanceOf: RangeError, message: /^objective refused/ })
    await t.throwsAsync(bad.map(points(4, 2), 4, 2), { instanceOf: RangeError, message: /^objective refused/ })
    t.throws(() => missing.mapSync(points(1, 1), 1, 1), { instanceOf: TypeError, message: /objective.export "nope" .* must be a function/ })
    t.throws(() => gone.mapSync(points(1, 1), 1, 1), { message: /Cannot find module|ERR_MODULE_NOT_FOUND|no-such-module/ })
  } finally {
    await Promise.all([bad.close(), missing.close(), gone.close()])
  }
  t.throws(() => bad.mapSync(points(1, 2), 1, 2), { message: 'the WorkerPool is closed' })
})

test('size is resolved as workers is: -1 every CPU, counts above the CPUs capped', async (t) => {
  const all = new WorkerPool({ module: MOD }, { size: -1 })
  const many = new WorkerPool({ module: MOD }, { size: 10_000 })
  try {
    t.is(all.size, availableParallelism())
    t.is(many.size, availableParallelism())
  } finally {
    await Promise.all([all.close(), many.close()])
  }
})

test('bad arguments are TypeError/RangeError naming them', (t) => {
  t.throws(() => new WorkerPool({ module: './relative.mjs' }), { instanceOf: RangeError, message: /^objective.module must be an absolute path or URL/ })
  t.throws(() => new WorkerPool((() => 1) as never), { instanceOf: TypeError, message: /^objective must be a \{ module, export \} reference/ })
  t.throws(() => new WorkerPool({ module: MOD }, { size: 0 }), { instanceOf: RangeError, code: 'ERR_OUT_OF_RANGE', message: 'size must be a non-zero integer (-1 for all cores); got 0' })
  t.throws(() => new WorkerPool({ module: MOD }, { size: 1.5 }), { instanceOf: RangeError, message: 'size must be an integer; got 1.5' })
  t.throws(() => new WorkerPool({ module: MOD }, { size: '2' as never }), { instanceOf: TypeError, code: 'ERR_INVALID_ARG_TYPE' })
})
