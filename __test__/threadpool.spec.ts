// threadpoolctl's API over Musique's pools: info, scoped limits that follow
// their own async context, restore on throw, and proof (from the kernel's
// per-thread CPU accounting, not from timing) that a limit of 1 runs linalg
// on the calling thread alone while the default uses the pool.
import { readdirSync, readFileSync } from 'node:fs'
import { availableParallelism } from 'node:os'
import { join } from 'node:path'
import { setTimeout as delay } from 'node:timers/promises'
import { Worker } from 'node:worker_threads'

import test from 'ava'

import { matmul, solve } from '../src/linalg'
import { ndarray } from '../src/ndarray'
import { ThreadpoolController, threadpoolInfo, threadpoolLimits } from '../src/threadpool'
import { resolveWorkers, workerPools } from '../src/workers'

const cores = availableParallelism()

function blas(): number {
  return threadpoolInfo().find((p) => p.userApi === 'blas')!.numThreads
}

test('threadpoolInfo lists the linalg pool and the workers pools, threadpoolctl-style', (t) => {
  const info = threadpoolInfo()
  t.deepEqual(
    info.map((p) => p.userApi),
    ['blas', 'workers'],
  )
  const [b, w] = info
  t.is(b.internalApi, 'faer')
  t.regex(b.version, /^\d+\.\d+\.\d+$/)
  t.is(b.numThreads, cores, 'linalg uses every core by default, as BLAS does')
  t.is(b.prefix, 'musique')
  t.regex(b.filepath ?? '', /musique.*\.node$/)
  t.is(w.internalApi, 'rayon')
  t.is(w.numThreads, cores)
  const lock = readFileSync(join(__dirname, '..', 'Cargo.lock'), 'utf8')
  t.is(w.version, /\nname = "rayon"\nversion = "([^"]+)"/.exec(lock)?.[1] ?? "(not in Cargo.lock)", "the rayon version Cargo.lock resolved")
})

test('threadpoolLimits(limits, fn) applies to fn only, and restores even when fn throws', (t) => {
  t.is(threadpoolLimits({ blas: 1 }, () => blas()), 1)
  t.is(threadpoolLimits(1, () => resolveWorkers(-1)), 1, 'a number limits every pool, `workers` included')
  t.is(threadpoolLimits({ workers: 2 }, () => resolveWorkers(8)), Math.min(8, 2))
  t.is(blas(), cores)
  t.throws(
    () =>
      threadpoolLimits({ blas: 1 }, () => {
        throw new Error('boom')
      }),
    { message: 'boom' },
  )
  t.is(blas(), cores)
  t.is(threadpoolLimits({ blas: 1 }, () => threadpoolLimits({ blas: null }, () => blas())), cores, 'null lifts a limit')
  t.is(threadpoolLimits({ blas: 1 }, () => threadpoolLimits({ workers: 3 }, () => blas())), 1, 'nested limits merge')
})

test('limits above the CPU count run on the CPUs: no pool beyond them is built', (t) => {
  // threadpoolLimits({ blas: 5000 }) once built 5,007 threads and a 2x2 solve took 27.9 s.
  t.is(threadpoolLimits({ blas: 5000 }, () => blas()), cores)
  t.is(threadpoolLimits({ blas: 100000, workers: 100000 }, () => resolveWorkers(-1)), cores)
  const x = threadpoolLimits({ blas: 100000 }, () => solve([[2, 0], [0, 4]], [2, 4]))
  t.deepEqual(Array.from(x.data), [1, 1])
  t.true(workerPools().every((p) => p.threads <= cores), JSON.stringify(workerPools()))
})

test('threadpoolLimits without fn returns a limiter whose restore() puts the previous limits back', async (t) => {
  // Run inside its own async context so the enterWith below cannot leak into other tests.
  await threadpoolLimits(null, async () => {
    const limiter = threadpoolLimits({ blas: 1 })
    t.is(blas(), 1)
    await delay(1)
    t.is(blas(), 1, 'the limit follows the async continuation')
    t.deepEqual(limiter.getOriginalNumThreads(), { blas: cores, workers: cores })
    limiter.restore()
    t.is(blas(), cores)
    limiter.restore()
    t.is(blas(), cores)
  })
})

test('bad limits are TypeError/RangeError naming the argument', (t) => {
  t.throws(() => threadpoolLimits(0, () => 1), { instanceOf: RangeError, message: 'limits must be a positive integer or null; got 0' })
  t.throws(() => threadpoolLimits({ blas: 1.5 }, () => 1), { instanceOf: RangeError, message: 'limits.blas must be a positive integer or null; got 1.5' })
  t.throws(() => threadpoolLimits({ openmp: 1 } as never, () => 1), {
    instanceOf: TypeError,
    code: 'ERR_UNKNOWN_OPTION',
    message: "Unknown option 'openmp' for threadpoolLimits (a user API); expected one of 'blas', 'workers'",
  })
  t.throws(() => threadpoolLimits({ blsa: 1 } as never, () => 1), {
    instanceOf: TypeError,
    code: 'ERR_UNKNOWN_OPTION',
    message: "Unknown option 'blsa' for threadpoolLimits (a user API); did you mean 'blas'?",
  })
  t.throws(() => threadpoolLimits('1' as never, () => 1), { instanceOf: TypeError })
})

test('two concurrent requests with different limits do not disturb each other', async (t) => {
  const seen: Record<string, number[]> = { one: [], two: [] }
  const a = ndarray(Float64Array.from({ length: 64 * 64 }, (_, i) => (i % 65 === 0 ? 64 : Math.cos(i))), [64, 64])
  const b = Float64Array.from({ length: 64 }, (_, i) => i)
  const request = (name: 'one' | 'two', n: number) =>
    threadpoolLimits({ blas: n }, async () => {
      for (let i = 0; i < 20; i++) {
        seen[name].push(blas())
        await delay(Math.random() * 2)
        solve(a, b)
      }
    })
  await Promise.all([request('one', 1), request('two', 2)])
  t.true(seen.one.every((n) => n === 1))
  t.true(seen.two.every((n) => n === 2))
})

test('a worker thread starts with no limits of its parent', async (t) => {
  const code = `
    const { parentPort } = require('node:worker_threads')
    const { threadpoolInfo } = require('musique')
    parentPort.postMessage(threadpoolInfo()[0].numThreads)
  `
  const got = await threadpoolLimits({ blas: 1 }, () => {
    const worker = new Worker(code, { eval: true })
    return new Promise<number>((resolve, reject) => {
      worker.once('message', resolve)
      worker.once('error', reject)
    })
  })
  t.is(got, cores)
})

test('ThreadpoolController selects pools by user API and limits only those', (t) => {
  const controller = new ThreadpoolController()
  t.is(controller.info().length, 2)
  const only = controller.select({ userApi: 'blas' })
  t.deepEqual(
    only.info().map((p) => p.userApi),
    ['blas'],
  )
  t.deepEqual(
    only.limit(1, () => [blas(), resolveWorkers(-1)]),
    [1, cores],
  )
  t.is(only.wrap(1, (x: number) => x + blas())(1), 2)
})

// /proc/self/task/<tid>/stat: CPU ticks (utime + stime) of Musique's pool threads, named musique-<size>-<i>.
function poolTicks(): number {
  let ticks = 0
  for (const tid of readdirSync('/proc/self/task')) {
    let stat: string
    try {
      stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8')
    } catch {
      continue
    }
    const close = stat.lastIndexOf(')')
    const comm = stat.slice(stat.indexOf('(') + 1, close)
    if (!comm.startsWith('musique-')) continue
    const fields = stat.slice(close + 2).split(' ')
    ticks += Number(fields[11]) + Number(fields[12]) // utime, stime (fields 14 and 15 of stat)
  }
  return ticks
}

// Linux exposes per-thread CPU time in /proc; the rule under test is platform-independent (Par::SEQ runs inline).
const linuxOnly = process.platform === 'linux' && cores > 1 ? test.serial : test.skip

linuxOnly('a blas limit of 1 really runs linalg on the calling thread; the default runs on the pool', (t) => {
  const n = 400
  const a = ndarray(Float64Array.from({ length: n * n }, (_, i) => Math.sin(i)), [n, n])
  // Default (every core): multiply until the pool threads have run 10 clock ticks (this counts work, not time).
  const before = poolTicks()
  let calls = 0
  while (poolTicks() - before < 10 && calls < 2000) {
    matmul(a, a)
    calls++
  }
  const pooled = poolTicks() - before
  t.true(pooled >= 10, `the pool threads ran the default calls (${pooled} ticks in ${calls} calls)`)

  // The same calls under a limit of 1: the pool threads do none of it.
  const before1 = poolTicks()
  threadpoolLimits({ blas: 1 }, () => {
    for (let i = 0; i < calls; i++) matmul(a, a)
  })
  const single = poolTicks() - before1
  t.true(single <= 1, `no pool thread ran the limited calls (${single} ticks)`)
})

/** Names of this process's threads that belong to Musique's rayon pools. */
function poolThreads(): string[] {
  return readdirSync('/proc/self/task')
    .map((tid) => {
      try {
        return readFileSync(`/proc/self/task/${tid}/comm`, 'utf8').trim()
      } catch {
        return ''
      }
    })
    .filter((name) => name.startsWith('musique-'))
}

linuxOnly('linalg from four worker_threads at once shares one pool of `cores` threads: no oversubscription', async (t) => {
  const code = `
    const { parentPort } = require('node:worker_threads')
    const { matmul, ndarray } = require('musique')
    const n = 300
    const a = ndarray(Float64Array.from({ length: n * n }, (_, i) => Math.cos(i)), [n, n])
    for (let i = 0; i < 20; i++) matmul(a, a)
    parentPort.postMessage('done')
  `
  const runs = Array.from({ length: 4 }, () => {
    const w = new Worker(code, { eval: true })
    return new Promise<void>((resolve, reject) => {
      w.once('message', () => resolve())
      w.once('error', reject)
    }).finally(() => w.terminate())
  })
  await Promise.all(runs)
  // Every linalg call above ran with `cores` threads: they all used the one pool of that size.
  const linalgPool = poolThreads().filter((name) => name.startsWith(`musique-${cores}-`))
  t.is(linalgPool.length, cores)
  t.true(poolThreads().every((name) => /^musique-\d+-\d+$/.test(name)))
})
