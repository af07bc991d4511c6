// WorkerPool never waits forever: a worker that exits (at import or while
// evaluating), crashes, throws at import, loops forever, or a pool closed
// under a batch: the call throws or rejects naming the module, and the pool
// replaces the worker for later calls. The sync cases block the main thread,
// so each runs in a child process whose spawnSync timeout is the hang guard.
import test from 'ava'

import { FIXTURES, inChild } from './helpers/child'
import { WorkerPool } from '../src/workerpool'

const EXITED = { name: 'Error', code: 'ERR_WORKER_EXITED' }
const pts = (values: number[]) => `Float64Array.from(${JSON.stringify(values)})`

test('a worker that calls process.exit while evaluating: mapSync throws naming the module; the pool goes on', (t) => {
  const got = inChild(`
    const pool = new O.WorkerPool({ module: M.misbehave, export: 'exitNow' }, { size: 2 })
    let first
    try { pool.mapSync(${pts([0.9, 0.1, 0.2, 0.3])}, 4, 1) } catch (e) { first = { message: e.message, code: e.code } }
    // The replaced worker serves the next batch.
    const again = Array.from(pool.mapSync(${pts([0.1, 0.2, 0.3, 0.4])}, 4, 1))
    await pool.close()
    return { first, again }`)
  const v = got.value as { first: { message: string; code: string }; again: number[] }
  t.is(v.first.code, 'ERR_WORKER_EXITED')
  t.regex(v.first.message, /^a worker of the WorkerPool for file:.*misbehave\.mjs \(export 'exitNow'\) exited while evaluating \(exit code 4\)$/)
  t.deepEqual(v.again, [0.1, 0.2, 0.3, 0.4])
})

test('a module that calls process.exit or throws at import: mapSync and map name the module, every call', async (t) => {
  const got = inChild(`
    const exits = new O.WorkerPool({ module: M.exitAtImport }, { size: 2 })
    const out = []
    for (let i = 0; i < 2; i++) try { exits.mapSync(${pts([1])}, 1, 1) } catch (e) { out.push({ message: e.message, code: e.code }) }
    const throws = new O.WorkerPool({ module: M.throwsAtImport }, { size: 1 })
    for (let i = 0; i < 2; i++) try { throws.mapSync(${pts([1])}, 1, 1) } catch (e) { out.push({ message: e.message }) }
    try { await exits.map(${pts([1])}, 1, 1) } catch (e) { out.push({ message: e.message, code: e.code }) }
    await Promise.all([exits.close(), throws.close()])
    return out`)
  const v = got.value as { message: string; code?: string }[]
  t.is(v.length, 5)
  for (const i of [0, 1, 4]) {
    t.is(v[i].code, 'ERR_WORKER_EXITED')
    t.regex(v[i].message, /exit-at-import\.mjs exited while loading the module \(exit code 3\)$/)
  }
  t.is(v[2].message, 'import refused')
  t.is(v[3].message, 'import refused')
})

test('an uncaught error in a worker: the batch fails with it, naming the module', (t) => {
  const got = inChild(`
    const pool = new O.WorkerPool({ module: M.misbehave, export: 'crash' }, { size: 1 })
    try { pool.mapSync(${pts([1])}, 1, 1) } finally { await pool.close() }`)
  t.like(got, EXITED)
  t.regex(got.message ?? '', /misbehave\.mjs \(export 'crash'\) exited while evaluating \(an uncaught Error: crashed in a timer\)$/)
})

test('timeout: a worker stuck on a point is terminated and replaced; the batch throws ERR_WORKER_TIMEOUT', (t) => {
  const got = inChild(`
    // The timeout also bounds loading the module: 5 s leaves room for a loaded machine to load it,
    // while the stuck point (an endless loop) always runs past it.
    const pool = new O.WorkerPool({ module: M.misbehave, export: 'slowWhenBig' }, { size: 2, timeout: 5000 })
    let first
    try { pool.mapSync(${pts([0.9, 0.1])}, 2, 1) } catch (e) { first = { message: e.message, code: e.code } }
    const again = Array.from(pool.mapSync(${pts([0.1, 0.2])}, 2, 1))
    await pool.close()
    return { first, again }`)
  const v = got.value as { first: { message: string; code: string }; again: number[] }
  t.is(v.first.code, 'ERR_WORKER_TIMEOUT')
  t.regex(v.first.message, /misbehave\.mjs \(export 'slowWhenBig'\) took longer than timeout = 5000 ms to evaluate one point; its worker was terminated$/)
  t.deepEqual(v.again, [0.1 * 0.1, 0.2 * 0.2])
})

test('a sync differentialEvolution whose module objective exits throws; the Async form rejects', (t) => {
  const sync = inChild(`return O.differentialEvolution({ module: M.misbehave, export: 'exitNow' }, [[0, 1], [0, 1]], { workers: 2, seed: 1, maxiter: 3, polish: false })`)
  t.like(sync, EXITED)
  t.regex(sync.message ?? '', /misbehave\.mjs \(export 'exitNow'\) exited while evaluating/)
  const async_ = inChild(`return await O.differentialEvolutionAsync({ module: M.misbehave, export: 'exitNow' }, [[0, 1], [0, 1]], { workers: 2, seed: 1, maxiter: 3, polish: false })`)
  t.like(async_, EXITED)
  const loops = inChild(`return O.differentialEvolution({ module: M.misbehave, export: 'forever' }, [[0, 1]], { workers: 2, seed: 1, timeout: 300, polish: false })`)
  t.like(loops, { name: 'Error', code: 'ERR_WORKER_TIMEOUT' })
})

test('close() during a batch rejects it; a closed pool throws at once, whether or not it ran a batch', async (t) => {
  t.timeout(30_000)
  const pool = new WorkerPool({ module: FIXTURES.misbehave, export: 'forever' }, { size: 1 })
  const batch = pool.map(Float64Array.of(1), 1, 1)
  await new Promise((r) => setTimeout(r, 200))
  await pool.close()
  await t.throwsAsync(batch, { message: 'the WorkerPool is closed' })
  t.throws(() => pool.mapSync(Float64Array.of(1), 1, 1), { message: 'the WorkerPool is closed' })
  await t.throwsAsync(pool.map(Float64Array.of(1), 1, 1), { message: 'the WorkerPool is closed' })

  const used = new WorkerPool({ module: FIXTURES.misbehave }, { size: 2 })
  t.deepEqual(Array.from(used.mapSync(Float64Array.of(1, 2), 2, 1)), [1, 4])
  await used.close()
  t.throws(() => used.mapSync(Float64Array.of(1), 1, 1), { message: 'the WorkerPool is closed' })
  const never = new WorkerPool({ module: FIXTURES.misbehave }, { size: 1 })
  await never.close()
  t.throws(() => never.mapSync(Float64Array.of(1), 1, 1), { message: 'the WorkerPool is closed' })
})

test('map with a signal: aborting terminates the busy worker, rejects with the reason, and the pool goes on', async (t) => {
  t.timeout(30_000)
  const pool = new WorkerPool({ module: FIXTURES.misbehave, export: 'slowWhenBig' }, { size: 2 })
  try {
    const ac = new AbortController()
    const batch = pool.map(Float64Array.of(0.9, 0.1), 2, 1, { signal: ac.signal })
    setTimeout(() => ac.abort(new Error('enough')), 200)
    await t.throwsAsync(batch, { message: 'enough' })
    t.deepEqual(Array.from(await pool.map(Float64Array.of(0.1, 0.2), 2, 1)), [0.1 * 0.1, 0.2 * 0.2])
  } finally {
    await pool.close()
  }
})

test('timeout is checked: a positive number of milliseconds or null', (t) => {
  t.throws(() => new WorkerPool({ module: FIXTURES.misbehave }, { timeout: 0 }), { instanceOf: RangeError, message: /timeout/ })
  t.throws(() => new WorkerPool({ module: FIXTURES.misbehave }, { timeout: '1s' as never }), { instanceOf: TypeError, message: /timeout/ })
})
