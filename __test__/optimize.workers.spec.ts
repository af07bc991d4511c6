// differentialEvolution's `workers` and the Promise form: where evaluations
// run (worker_threads, a map-like function, a shared WorkerPool, Rust), that a
// seed fixes the run whatever `workers` is, the updating warning, errors and
// shutdown of worker threads, AbortSignal, per-generation callbacks and a
// responsive event loop.
import { execFileSync } from 'node:child_process'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import * as wt from 'node:worker_threads'

import test from 'ava'

import {
  differentialEvolution,
  differentialEvolutionAsync,
  type DifferentialEvolutionResult,
  type MapLike,
  minimize,
  NonlinearConstraint,
  rosen as nativeRosen,
  WorkerPool,
} from '../src/optimize'

const MOD = pathToFileURL(join(__dirname, 'fixtures-js', 'objectives.mjs'))
const ref = (name: string) => ({ module: MOD, export: name })

function rosen(x: ArrayLike<number>): number {
  let s = 0
  for (let i = 0; i < x.length - 1; i++) s += 100 * (x[i + 1] - x[i] * x[i]) ** 2 + (1 - x[i]) ** 2
  return s
}

// Every Worker constructed from here on is tracked until it exits, so tests can
// check that a run leaves no worker thread behind. (The pool's workers are
// unref'd, so process.getActiveResourcesInfo() would not list them.)
const live = new Set<wt.Worker>()
let created = 0
// eslint-disable-next-line @typescript-eslint/no-require-imports
const workerThreads = require('node:worker_threads') as { Worker: typeof wt.Worker }
const Original = workerThreads.Worker
workerThreads.Worker = class extends Original {
  constructor(...a: ConstructorParameters<typeof wt.Worker>) {
    super(...a)
    created++
    live.add(this)
    this.once('exit', () => live.delete(this))
  }
}

async function noWorkersLeft(ms = 5000): Promise<boolean> {
  const end = Date.now() + ms
  while (live.size > 0 && Date.now() < end) await new Promise((r) => setTimeout(r, 10))
  return live.size === 0
}

function same(t: import('ava').ExecutionContext, a: DifferentialEvolutionResult, b: DifferentialEvolutionResult, what: string): void {
  t.deepEqual(Array.from(a.x), Array.from(b.x), `${what}: x`)
  t.is(a.fun, b.fun, `${what}: fun`)
  t.is(a.nfev, b.nfev, `${what}: nfev`)
  t.is(a.nit, b.nit, `${what}: nit`)
  t.deepEqual(Array.from(a.populationEnergies), Array.from(b.populationEnergies), `${what}: populationEnergies`)
}

const BOUNDS: [number, number][] = [
  [-2, 2],
  [-2, 2],
  [-2, 2],
]
const BASE = { seed: 3, updating: 'deferred' as const, popsize: 6, maxiter: 40 }

test.serial('a seed gives the same run whatever workers is (deferred): 1, module reference on 2 threads, map-like, native on 1 and 2, a WorkerPool', async (t) => {
  const one = differentialEvolution(rosen, BOUNDS, BASE)
  t.true(one.nfev > 40 * 18, 'a real run')
  t.true(one.fun < 1e-6, `polished to the minimum: ${one.fun}`)
  same(t, differentialEvolution(ref('rosen'), BOUNDS, { ...BASE, workers: 2 }), one, 'module reference, workers 2')
  same(t, differentialEvolution(rosen, BOUNDS, { ...BASE, workers: (fn, pts) => pts.map(fn) }), one, 'map-like')
  same(t, differentialEvolution(nativeRosen, BOUNDS, BASE), one, 'native, workers 1')
  same(t, differentialEvolution(nativeRosen, BOUNDS, { ...BASE, workers: 2 }), one, 'native, workers 2')
  same(t, await differentialEvolutionAsync(ref('rosen'), BOUNDS, { ...BASE, workers: 2 }), one, 'Async, module reference, workers 2')
  same(t, await differentialEvolutionAsync(nativeRosen, BOUNDS, { ...BASE, workers: 2 }), one, 'Async, native, workers 2')
  same(t, await differentialEvolutionAsync(rosen, BOUNDS, { ...BASE, workers: async (fn, pts) => pts.map(fn) }), one, 'Async, async map-like')
  const pool = new WorkerPool(ref('rosen'), { size: 2 })
  try {
    same(t, differentialEvolution(pool.objective, BOUNDS, { ...BASE, workers: pool }), one, 'WorkerPool')
  } finally {
    await pool.close()
  }
  t.true(await noWorkersLeft())
})

test('a script with nothing else pending waits for differentialEvolutionAsync on worker threads (the process does not exit mid-run)', (t) => {
  const out = execFileSync(process.execPath, [join(__dirname, 'fixtures-js', 'de-async-alone.mjs')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })
  const r = JSON.parse(out)
  t.true(r.fun < 1e-10 && r.nit > 0)
})

test.serial('a module-reference objective with workers 2 runs in worker_threads, with linalg on one thread there', async (t) => {
  const seen: { threadId: number; isMainThread: boolean; linalgThreads: number }[] = []
  const channel = new wt.BroadcastChannel('musique-optimize-threads')
  channel.onmessage = (e) => seen.push((e as unknown as { data: (typeof seen)[number] }).data)
  try {
    const before = created
    const r = differentialEvolution(ref('reportThread'), BOUNDS, { ...BASE, maxiter: 3, polish: false, workers: 2 })
    t.is(created - before, 2, 'two worker threads')
    t.is(r.nit, 3)
    const end = Date.now() + 5000
    while (seen.length < 2 && Date.now() < end) await new Promise((res) => setTimeout(res, 10))
    t.is(seen.length, 2, 'each worker reported once')
    t.true(seen.every((s) => !s.isMainThread && s.threadId !== wt.threadId))
    t.is(new Set(seen.map((s) => s.threadId)).size, 2)
    t.deepEqual(seen.map((s) => s.linalgThreads), [1, 1])
  } finally {
    channel.close()
  }
  t.true(await noWorkersLeft(), 'the pool built for the run is closed')
})

test.serial('a shared WorkerPool serves two solves and stays open until closed', async (t) => {
  const pool = new WorkerPool(ref('rosen'), { size: 2 })
  const before = created
  try {
    const a = differentialEvolution(pool.objective, BOUNDS, { ...BASE, workers: pool })
    const b = await differentialEvolutionAsync(pool.objective, [[-3, 3], [-3, 3]], { ...BASE, workers: pool })
    t.true(a.fun < 1e-6 && b.fun < 1e-6)
    t.is(created, before, 'no new threads for the solves')
    t.is(live.size, 2, 'the pool is still running')
    // The pool also serves minimize's finite differences.
    const m = minimize(pool.objective, [1.3, 0.7, 0.8], { method: 'BFGS', options: { workers: pool } })
    t.true(m.fun < 1e-8)
  } finally {
    await pool.close()
  }
  t.true(await noWorkersLeft())
  t.throws(() => differentialEvolution(pool.objective, BOUNDS, { ...BASE, workers: pool }), { message: 'the WorkerPool is closed' })
})

test('map-like workers: sync function; an async one needs the Async form', async (t) => {
  let calls = 0
  let points = 0
  const map: MapLike = (fn, pts) => {
    calls++
    points += pts.length
    t.true(pts.every((p) => p instanceof Float64Array && p.length === 2))
    return pts.map(fn)
  }
  const r = differentialEvolution(rosen, [[-2, 2], [-2, 2]], { seed: 1, popsize: 5, maxiter: 5, polish: false, workers: map })
  t.is(calls, 6, 'one call for the initial population and one per generation')
  t.is(points, r.nfev)
  t.is(r.nfev, 10 * 6)
  const asyncMap: MapLike = async (fn, pts) => pts.map(fn)
  t.throws(() => differentialEvolution(rosen, [[-2, 2]], { seed: 1, workers: asyncMap }), {
    instanceOf: TypeError,
    message: /workers returned a Promise: use the Async form/,
  })
  const a = await differentialEvolutionAsync(rosen, [[-2, 2], [-2, 2]], { seed: 1, popsize: 5, maxiter: 5, polish: false, workers: asyncMap })
  t.deepEqual(Array.from(a.x), Array.from(r.x))
  // A map-like function that returns the wrong number of values.
  t.throws(() => differentialEvolution(rosen, [[-2, 2]], { seed: 1, workers: (fn, pts) => pts.slice(1).map(fn) }), {
    instanceOf: TypeError,
    message: /workers \(a map-like function\) must return \d+ numbers, one per point/,
  })
})

test('a plain closure with workers 2 is a TypeError saying why and what to pass', (t) => {
  const e = t.throws(() => differentialEvolution((x) => x[0] ** 2, [[-1, 1]], { workers: 2 }), { instanceOf: TypeError })
  t.regex(e!.message, /closure cannot run on another thread/)
  t.regex(e!.message, /\{ module: .*export/)
  t.regex(e!.message, /map-like function/)
  t.regex(e!.message, /native test functions/)
  // Same for minimize's finite differences.
  t.throws(() => minimize((x) => x[0] ** 2, [1], { options: { workers: 2 } }), { instanceOf: TypeError, message: /closure cannot run on another thread/ })
})

test.serial("workers ≠ 1 with updating 'immediate' warns (UserWarning) and runs deferred", async (t) => {
  const warnings: Error[] = []
  const onWarning = (w: Error) => warnings.push(w)
  process.on('warning', onWarning)
  try {
    const immediate = differentialEvolution(nativeRosen, BOUNDS, { ...BASE, updating: 'immediate', workers: 2 })
    const modRef = differentialEvolution(ref('rosen'), BOUNDS, { ...BASE, updating: 'immediate', workers: 2 })
    const mapped = differentialEvolution(rosen, BOUNDS, { ...BASE, updating: 'immediate', workers: (f, p) => p.map(f) })
    // Default updating is 'immediate': the same warning.
    differentialEvolution(nativeRosen, BOUNDS, { seed: 1, popsize: 5, maxiter: 2, workers: 2 })
    // workers 1: no warning.
    differentialEvolution(nativeRosen, BOUNDS, { seed: 1, popsize: 5, maxiter: 2, workers: 1 })
    await new Promise((r) => setImmediate(r))
    t.is(warnings.length, 4)
    for (const w of warnings) {
      t.is(w.name, 'UserWarning')
      t.is(w.message, "differential_evolution: the 'workers' keyword has overridden updating='immediate' to updating='deferred'")
    }
    const deferred = differentialEvolution(rosen, BOUNDS, BASE)
    same(t, immediate, deferred, 'native, immediate → deferred')
    same(t, modRef, deferred, 'module reference, immediate → deferred')
    same(t, mapped, deferred, 'map-like, immediate → deferred')
    // And immediate really differs from deferred on one thread.
    t.notDeepEqual(Array.from(differentialEvolution(rosen, BOUNDS, { ...BASE, updating: 'immediate', polish: false }).populationEnergies), Array.from(differentialEvolution(rosen, BOUNDS, { ...BASE, polish: false }).populationEnergies))
  } finally {
    process.off('warning', onWarning)
  }
})

test.serial('an objective that throws in a worker ends the run with its error and shuts the threads down', async (t) => {
  const before = created
  t.throws(() => differentialEvolution(ref('throws'), BOUNDS, { seed: 1, workers: 2, updating: 'deferred' }), { instanceOf: RangeError, message: /^objective refused/ })
  t.is(created - before, 2)
  t.true(await noWorkersLeft(), 'sync form: worker threads gone')
  await t.throwsAsync(differentialEvolutionAsync(ref('throws'), BOUNDS, { seed: 1, workers: 2, updating: 'deferred' }), { instanceOf: RangeError, message: /^objective refused/ })
  t.is(live.size, 0, 'Async form: worker threads gone when it rejects')
  // A missing export is reported the same way.
  t.throws(() => differentialEvolution(ref('nope'), BOUNDS, { seed: 1, workers: 2, updating: 'deferred' }), { instanceOf: TypeError, message: /objective.export "nope"/ })
  t.true(await noWorkersLeft())
  // A closure that throws on the main thread: its own error, unchanged.
  const boom = new SyntaxError('boom')
  t.is(
    t.throws(() =>
      differentialEvolution(
        () => {
          throw boom
        },
        BOUNDS,
      ),
    ),
    boom,
  )
})

test.serial('differentialEvolutionAsync: a Promise, aborted mid-run by an AbortSignal, shutting its workers down', async (t) => {
  const controller = new AbortController()
  let generations = 0
  const before = created
  const run = differentialEvolutionAsync(ref('slowerSphere'), [[-5, 5], [-5, 5], [-5, 5]], {
    seed: 1,
    workers: 2,
    updating: 'deferred',
    popsize: 10,
    tol: 0,
    maxiter: 1000,
    signal: controller.signal,
    callback: () => {
      // Abort from a timer once the run is well under way.
      if (++generations === 2) setTimeout(() => controller.abort(), 100)
    },
  })
  t.true(run instanceof Promise)
  const err = await run.then(
    () => null,
    (e: unknown) => e,
  )
  t.is((err as Error).name, 'AbortError')
  t.true(generations >= 2 && generations < 1000, `stopped mid-run after ${generations} generations`)
  t.is(created - before, 2)
  t.is(live.size, 0, 'worker threads gone when it rejects')

  // The abort reason is what it rejects with; an already aborted signal rejects at once.
  const reason = new Error('enough')
  const c2 = new AbortController()
  const run2 = differentialEvolutionAsync(ref('slowerSphere'), [[-5, 5], [-5, 5]], { seed: 1, workers: 2, updating: 'deferred', tol: 0, signal: c2.signal })
  setTimeout(() => c2.abort(reason), 100)
  t.is(
    await run2.then(
      () => null,
      (e: unknown) => e,
    ),
    reason,
  )
  t.is(live.size, 0)
  t.is(((await differentialEvolutionAsync(rosen, [[-1, 1]], { signal: AbortSignal.abort() }).catch((e: unknown) => e)) as Error).name, 'AbortError')
  // Native test functions are cancelled in Rust. In 50 dimensions this run
  // needs all 100000 generations (about 40 s on two cores), so the abort at
  // 50 ms always lands mid-run; in 10 dimensions it converged in ~50 ms and
  // raced the timer.
  const c3 = new AbortController()
  const run3 = differentialEvolutionAsync(nativeRosen, Array.from({ length: 50 }, (): [number, number] => [-5, 5]), { seed: 1, tol: 0, maxiter: 100000, workers: 2, updating: 'deferred', signal: c3.signal })
  setTimeout(() => c3.abort(), 50)
  t.is(((await run3.catch((e: unknown) => e)) as Error).name, 'AbortError')
  await t.throwsAsync(differentialEvolutionAsync(rosen, [[-1, 1]], { signal: 'no' as never }), { instanceOf: TypeError, message: /^signal must be an AbortSignal/ })
})

test('differentialEvolutionAsync calls callback every generation and keeps the event loop responsive with a sync JS objective', async (t) => {
  const slow = (x: Float64Array) => {
    const end = performance.now() + 0.05
    while (performance.now() < end);
    return rosen(x)
  }
  let ticks = 0
  const timer = setInterval(() => ticks++, 5)
  const nits: number[] = []
  let ticksAtEnd: number
  try {
    const r = await differentialEvolutionAsync(slow, BOUNDS, {
      seed: 2,
      popsize: 10,
      maxiter: 60,
      tol: 0,
      polish: false,
      callback: (res) => {
        nits.push(res.nit)
        t.is(res.population!.shape[0], 30)
      },
    })
    ticksAtEnd = ticks
    t.deepEqual(nits, Array.from({ length: r.nit }, (_, i) => i + 1), 'one callback per generation, in order')
    t.is(r.nit, 60)
  } finally {
    clearInterval(timer)
  }
  // 60 generations × 30 points × ≥ 0.05 ms ≥ 90 ms of objective time.
  t.true(ticksAtEnd >= 5, `the interval fired ${ticksAtEnd} times during the run`)
})

test('nonlinear constraints go through a map-like workers too (sync and Async), with the same result as on this thread', async (t) => {
  const mapped: string[] = []
  const map = (f: (x: Float64Array) => number, xs: Float64Array[]) => {
    mapped.push(f.name)
    return xs.map(f)
  }
  const circle = new NonlinearConstraint(function circle(x: Float64Array) {
    return x[0] ** 2 + x[1] ** 2
  }, -Infinity, 1)
  const objective = (x: Float64Array) => -x[0] - x[1]
  const bounds: [number, number][] = [
    [-2, 2],
    [-2, 2],
  ]
  const options = { constraints: circle, seed: 1, updating: 'deferred' as const, maxiter: 60 }
  const here = differentialEvolution(objective, bounds, options)
  const viaMap = differentialEvolution(objective, bounds, { ...options, workers: map })
  const viaAsync = await differentialEvolutionAsync(objective, bounds, { ...options, workers: async (f, xs) => xs.map(f) })
  t.true(mapped.includes('circle'), 'the constraint function was handed to workers')
  t.deepEqual(Array.from(viaMap.x), Array.from(here.x))
  t.deepEqual(Array.from(viaAsync.x), Array.from(here.x))
  t.is(viaMap.constrViolation, here.constrViolation)
})

test.serial('nonlinear constraints given by reference run on the solve\'s worker_threads (vector outputs too) and match this thread', async (t) => {
  const bounds: [number, number][] = [
    [-2, 2],
    [-2, 2],
  ]
  const base = { seed: 1, updating: 'deferred' as const }
  // Here: closures on this thread.
  const here = differentialEvolution((x) => -x[0] - x[1], bounds, {
    ...base,
    constraints: new NonlinearConstraint((x) => [x[0] * x[0] + x[1] * x[1], x[0] - x[1]], [-Infinity, -0.1], [1, 0.1]),
  })
  t.true(here.success, here.message)
  const seen: { threadId: number; isMainThread: boolean }[] = []
  const channel = new wt.BroadcastChannel('musique-optimize-constraints')
  channel.onmessage = (e) => seen.push((e as unknown as { data: (typeof seen)[number] }).data)
  try {
    const before = created
    const constraints = new NonlinearConstraint(ref('discAndLine'), [-Infinity, -0.1], [1, 0.1])
    const there = differentialEvolution(ref('negSum'), bounds, { ...base, workers: 2, constraints })
    t.is(created - before, 2, 'one pool of two threads serves the objective and the constraint')
    t.deepEqual(Array.from(there.x), Array.from(here.x), 'the same run as on this thread')
    t.is(there.nfev, here.nfev)
    t.deepEqual(there.constr!.map((c) => Array.from(c)), here.constr!.map((c) => Array.from(c)))
    // The polish (augmented Lagrangian) reaches the disc's edge from inside.
    t.true(Math.abs(there.x[0] - Math.SQRT1_2) < 1e-6 && Math.abs(there.x[1] - Math.SQRT1_2) < 1e-6, `${there.x}`)
    t.true(there.x[0] ** 2 + there.x[1] ** 2 <= 1)
    t.is(there.maxcv, 0)
    const end = Date.now() + 5000
    while (seen.length < 2 && Date.now() < end) await new Promise((res) => setTimeout(res, 10))
    t.is(new Set(seen.map((s) => s.threadId)).size, 2, 'both workers evaluated the constraint')
    t.true(seen.every((s) => !s.isMainThread))
    // The Promise form, and a shared WorkerPool, give the same run.
    const viaAsync = await differentialEvolutionAsync(ref('negSum'), bounds, { ...base, workers: 2, constraints })
    t.deepEqual(Array.from(viaAsync.x), Array.from(here.x))
    const pool = new WorkerPool(ref('negSum'), { size: 2 })
    try {
      const shared = differentialEvolution(pool.objective, bounds, { ...base, workers: pool, constraints })
      t.deepEqual(Array.from(shared.x), Array.from(here.x))
      // The pool evaluates other functions by reference, with several values per point.
      const xs = Float64Array.from([1, 2, 3, 4])
      t.deepEqual(Array.from(pool.mapSync(xs, 2, 2, { fn: ref('discAndLine'), width: 2 })), [5, -1, 25, -1])
      t.deepEqual(Array.from(await pool.map(xs, 2, 2, { fn: ref('disc') })), [5, 25])
      t.deepEqual(pool.callSync(ref('discAndLine'), [1, 2]), [5, -1])
      t.throws(() => pool.mapSync(xs, 2, 2, { fn: ref('discAndLine') }), { instanceOf: TypeError, message: /must return a number for every point; got 2 values/ })
      t.throws(() => pool.mapSync(xs, 2, 2, { fn: ref('disc'), width: 0 }), { instanceOf: RangeError, message: 'width must be an integer >= 1; got 0' })
    } finally {
      await pool.close()
    }
  } finally {
    channel.close()
  }
  // A constraint whose length changes, and one a map-like workers cannot call.
  const err = t.throws(() => differentialEvolution(ref('negSum'), bounds, { ...base, workers: 2, constraints: new NonlinearConstraint(ref('badConstraint'), -Infinity, 1) }), { instanceOf: TypeError })
  t.regex(err!.message, /NonlinearConstraint fun must return 2 numbers for every point; got 3 values/)
  t.throws(() => differentialEvolution((x) => x[0], bounds, { workers: (f, xs) => xs.map(f), constraints: new NonlinearConstraint(ref('disc'), -Infinity, 1) }), {
    instanceOf: TypeError,
    message: /^constraints\[0\]\.fun is a \{ module, export \} reference, which a map-like workers cannot call/,
  })
  t.true(await noWorkersLeft(), 'every pool built for a run is closed, failed runs included')
})
